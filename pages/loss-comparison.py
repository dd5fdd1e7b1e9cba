"""Loss Comparison: cross-entropy against squared error, absolute error and focal loss."""

import streamlit as st

from xent import caches
from xent.i18n import tr
from xent.lessons import comparison
from xent.losses import BINARY_LOSSES
from xent.ui import comparison as comparison_controls
from xent.ui import drawing, notice, page, present, widgets

S = comparison.STATE

notice_slot = page.header(
    S,
    tr("Loss comparison: who learns from a confident mistake?"),
    tr(
        "The truth is **p** (by default 0.9: the answer is *yes* nine times in ten), but the "
        "model starts out confidently wrong, **q₀** near 0. Cross-entropy and squared error are "
        "both proper scoring rules: averaged over labels drawn with chance p, their loss is "
        "smallest at q = p (for absolute error and focal loss that average is smallest "
        "elsewhere, see under the first chart, although |q − p| itself is smallest at p). So why "
        "pick cross-entropy? Look at the **push** each loss gives the logit z = log(q / (1 − q)), "
        "|∂L/∂z|. "
        "Squared error carries the sigmoid's slope q(1 − q), which is almost 0 when the model "
        "is confidently wrong, so learning stalls (and again near a target of 1, where q(1 − q) "
        "is small too). In cross-entropy that factor cancels: the push is q − p, as large as "
        "the mistake."
    ),
)

# The losses, then p and q₀ beside the first chart, the formulas under the charts: on a
# 1280x720 projector the loss curves and what moves them are on screen when the page opens.
names = comparison_controls.loss_picker(S)
controls, figures = st.columns([1, 2.3], gap="large")
with controls:
    p = widgets.slider(S, "p", tr("Target p"), 0.0, 1.0, 0.05)
    q0 = widgets.slider(S, "q0", tr("Start prediction q₀"), 0.001, 0.999, 0.001, fmt="%.3f")
if not names:
    with figures:
        st.info(tr("Pick at least one loss to compare."))
    notice.url_notice(notice_slot)
    st.stop()

loss_view, grad_view = caches.comparison_curves(p, names, q0)
start = comparison.at_start(p, q0, names)
# One above the other, at the column's full width: side by side, each was too narrow for
# its legend (up to four loss names) and left the curves a strip 80 px tall.
with figures:
    drawing.chart(
        drawing.finished_chart(
            comparison.curves_chart,
            loss_view,
            x_title=tr("model prediction q"),
            y_title=tr("loss L"),
            height=300,
        ),
        tr("Line chart of each loss against q."),
        comparison.loss_reading(start, names),
    )
    drawing.reading(comparison.scoring_reading(p, names))
    drawing.chart(
        drawing.finished_chart(
            comparison.curves_chart,
            grad_view,
            x_title=tr("model prediction q"),
            y_title=tr("push |∂L/∂z|"),
            height=260,
        ),
        tr("Line chart of the size of each loss's gradient with respect to the logit, against q."),
        comparison.push_reading(start),
    )
    comparison_controls.loss_formulas(names)

st.header(tr("The race: same start, same learning rate"), divider="gray")


# The race and the grid are fragments, so that a control reruns only what it affects: the
# learning rate only the race; the step budget and the threshold the race and the grid
# (the race's fragment is nested in theirs); p, q0 and the losses the whole page.
@st.fragment
def budget_section(p, q0, names):
    with st.container(horizontal=True, gap="large"):
        steps = widgets.slider(S, "steps", tr("Step budget"), 10, comparison.MAX_BUDGET, 10)
        tol = widgets.choice(S, "tol", tr("Threshold: |q − p| at most"), widgets.TOL_OPTIONS)
    race_section(p, q0, steps, tol, names)
    st.header(tr("Every start, every learning rate"), divider="gray")
    st.markdown(comparison.grid_intro())
    grid = caches.comparison_grid(p, steps, tol, names)
    cells = st.columns(2)
    for i, loss in enumerate(grid.losses):
        with cells[i % 2]:
            drawing.chart(
                drawing.finished_chart(comparison.grid_chart, grid, i),
                tr(
                    "Heatmap of steps to reach the threshold for {loss}, "
                    "by start q and learning rate.",
                    loss=tr(loss.label),
                ),
            )
    drawing.reading(comparison.grid_reading(grid))
    drawing.download(grid.table, "xent-comparison-grid.csv", tr("Download the grid (CSV)"))


@st.fragment
def race_section(p, q0, steps, tol, names):
    a, b = st.columns([3, 2])
    with b:
        lr = widgets.choice(S, "lr", tr("Learning rate η"), widgets.LR_OPTIONS)
    race = caches.race(p, q0, lr, steps, tol, names)
    whole = comparison.race_reading(race)
    # A projected slide shows the race's one-sentence takeaway, the whole reading folded
    # under it (five sentences would push it below a 720 px screen); the page shows it all.
    presenting = present.active()
    with a:
        drawing.chart(
            drawing.finished_chart(comparison.race_chart, race, height=300),
            tr(
                "Line chart of q over the steps for each loss, from the same start, with the "
                "step where each crosses ½ and the step where each comes within the threshold."
            ),
            comparison.race_takeaway(race) if presenting else whole,
        )
        if presenting:
            with st.expander(tr("The whole reading"), key=present.MORE):
                st.markdown(whole)
    with b:
        drawing.chart(
            drawing.finished_chart(comparison.race_bars, race),
            tr("Bar chart of the steps each loss needs: escaping the mistake, then approaching."),
        )
        drawing.download(race.table, "xent-race.csv")


budget_section(p, q0, names)

st.header(tr("Convex or not: the loss against a weight"), divider="gray")
st.markdown(
    tr(
        "A linear model feeds z = x · w into the sigmoid. Plotted against the weight w (one "
        "input x = 1), cross-entropy is a single smooth valley; squared error through the "
        "sigmoid bends down and flattens out far from the answer."
    )
)
left, right = st.columns(2)
for column, name in ((left, "cross_entropy"), (right, "squared_error")):
    with column:
        drawing.chart(
            drawing.finished_chart(comparison.convexity_chart, p, name),
            tr(
                "Line chart of the {loss} loss against the weight w.",
                loss=BINARY_LOSSES[name].shown_label,
            ),
        )
drawing.reading(comparison.convexity_reading(p))

notice.url_notice(notice_slot)
