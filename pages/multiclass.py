"""Multiclass: softmax over K classes, the loss -log Q(true class), and its gradient Q - t."""

import streamlit as st

from xent import caches, charts, data, explanations, i18n, navigation, text
from xent.i18n import tr
from xent.lessons import multiclass as lesson
from xent.ui import drawing, notice, page, state, widgets
from xent.ui import multiclass as multiclass_controls

S = lesson.STATE

# A link's class names spelt in the other language: opened again, spelt in this one (on
# arrival, once the run came through the entry point, which set the language).
multiclass_controls.spell_link(
    st.session_state.get(state.CURRENT_PAGE) != S.slug
    and st.session_state.get(navigation.ENTRY_RAN, False),
    lesson.spelled_query,
    text.class_names,
    navigation.lesson(S.slug).script,
)
notice_slot = page.header(
    S,
    tr("Multiclass: what is in the picture?"),
    tr(
        "Now there are K answers: an **Apple**, a **Gorilla** or a **Rappa** (a trumpet). "
        "The model gives each class a score, its **logit z**, and the **softmax** turns the "
        "scores into probabilities **Q** that add up to 1. The truth is a one-hot target **t**. "
        "Cross-entropy only looks at the probability of the true class: L = −log Q(true). "
        "Its gradient with respect to the logits is simply **∂L/∂z = Q − t**: the more wrong "
        "the model, the larger the step."
    ),
)

# --- 1. softmax and the loss ---------------------------------------------------------------
st.header(tr("1 · Softmax, the target and the loss"), divider="gray")
controls, figures = st.columns([1, 2.3], gap="large")
with controls:
    # The logits (what moves the charts) come first on screen; the class setup that their
    # labels depend on is read first in code and drawn below them, folded away.
    st.markdown(tr("**Logits z** (the model's scores)"))
    logits_box, true_class_box = st.container(), st.container()
    with st.expander(tr("Classes and label smoothing"), icon=":material/tune:"):
        k = widgets.slider(S, "k", tr("Number of classes K"), 2, 10, 1)
        names = lesson.class_names(
            text.class_names(multiclass_controls.names_input(S, data.localized_names), k)
        )
        ls = widgets.slider(
            S,
            "ls",
            tr("Label smoothing ε"),
            0.0,
            0.5,
            0.01,
            help=tr("Soften the target: t = (1 − ε)·one-hot + ε/K."),
        )
    with true_class_box:
        y = multiclass_controls.true_class(S, names)
    with logits_box:
        z = multiclass_controls.logit_sliders(S, k, names)
view = caches.softmax_view(z, y, names, ls)
labels = tuple(text.literal(n) for n in names)  # the names as Markdown shows them, once
with figures:
    a, b = st.columns(2)
    with a:
        drawing.chart(
            drawing.finished_chart(charts.class_bars, view.bars, class_order=names, height=280),
            tr(
                "Bar chart of the model's softmax probabilities beside the one-hot target, "
                "per class."
            ),
            lesson.bars_reading(view.at.Q, view.at.t, y, labels),
        )
    with b:
        drawing.chart(
            drawing.finished_chart(
                charts.curves_chart,
                view.curve,
                x_title=f"Q({names[y]})",
                y_title=tr("−log Q (nats)"),
                height=280,
            ),
            tr("Line chart of minus log Q against Q, steep near Q = 0, with the model's point."),
            lesson.nll_reading(view.at.q_true, view.at.L, ls, labels[y]),
        )
    drawing.chart(
        drawing.finished_chart(charts.gradient_bars, view.grad, class_order=names, height=240),
        tr("Bar chart of the gradient Q minus t for each class."),
        lesson.grad_reading(view.at.grad, labels),
    )
    drawing.reading(lesson.smoothing_reading(lesson.smoothed_target(k, ls), labels[y]))
drawing.formulas(
    (
        r"Q_k = \frac{e^{z_k}}{\sum_j e^{z_j}}",
        tr("Q_k is e to the z_k over the sum over j of e to the z_j."),
    ),
    lesson.loss_formula(ls),
    (
        r"\frac{\partial L}{\partial z_k} = Q_k - t_k",
        tr("the gradient of L with respect to the logit z_k is Q_k minus t_k."),
    ),
    widths=(1, 1.6, 1),
)

# --- 2. descent on the logits --------------------------------------------------------------
st.header(tr("2 · Gradient descent on the logits"), divider="gray")
drawing.formula(
    r"z \leftarrow z - \eta\,(Q - t)",
    tr("each step, the logits z become z minus eta times (Q minus t)."),
)


# Sections 2 and 3 are fragments: their own controls rerun only their section.
@st.fragment(run_every=widgets.play_interval("t"))
def descent_section(z, y, names, labels, ls):
    controls, figures = st.columns([1, 2.3], gap="large")
    with controls:
        lr = widgets.choice(S, "lr", tr("Learning rate η"), widgets.LR_OPTIONS)
        steps = widgets.slider(S, "steps", tr("Steps"), 1, 200, 1)
        run = caches.logit_descent(z, y, names, ls, lr, steps)
        t = widgets.player("t", steps)
        drawing.download(run.table, "xent-logit-descent.csv")
    with figures:
        a, b = st.columns(2)
        with a:
            drawing.chart(
                drawing.played_step_chart(
                    run.probs, "t", t, y_title=tr("probability Q"), height=260
                ),
                tr("Line chart of each class probability over the steps."),
                lesson.descent_reading(run, t, y, labels[y]),
            )
        with b:
            if run.simplex is not None:
                drawing.chart(
                    drawing.finished_chart(
                        charts.simplex_chart, run.simplex, run.corners, marker_step=t, height=300
                    ),
                    tr("The path of the softmax probabilities across the probability triangle."),
                    lesson.simplex_reading(run, t, labels[y], ls),
                )
            else:
                drawing.chart(
                    drawing.played_step_chart(
                        run.loss, "t", t, y_title=tr("loss L (nats)"), height=260
                    ),
                    tr("Line chart of the loss over the steps."),
                )
                st.caption(
                    tr("With K = 3 this place shows the path across the probability triangle.")
                )
        race = multiclass_controls.shown_race(
            caches.logit_race_run(z, y, lr, steps), z, y, lr, steps, i18n.language()
        )
        st.markdown(
            tr(
                "**Cross-entropy against squared error**: Q({label}) from the same logits, "
                "the same η and steps, towards the one-hot target.",
                label=labels[y],
            )
        )
        drawing.chart(
            drawing.played_step_chart(
                race.q_true, "t", t, y_title=f"Q({names[y]})", y_max=1.0, height=300
            ),
            tr(
                "Line chart of the true class's probability over the steps, descending "
                "cross-entropy and squared error from the same logits."
            ),
            lesson.logit_race_reading(race, labels[y], ls),
        )


descent_section(z, y, names, labels, ls)

# --- 3. softmax regression -----------------------------------------------------------------
st.header(tr("3 · Softmax regression on 2-D points"), divider="gray")
st.markdown(
    tr(
        "A real classifier does not set logits by hand: it computes them from features, "
        "z = W·[x₁, x₂, 1]. Gradient descent on the mean cross-entropy of all points "
        "finds W; the shaded regions show which class the model picks where."
    )
)


@st.fragment(run_every=widgets.play_interval("rt"))
def regression_section(k, names):
    controls, figures = st.columns([1, 2.3], gap="large")
    with controls:
        n = widgets.slider(S, "n", tr("Points per class"), 5, 100, 1)
        spread = widgets.slider(S, "spread", tr("Spread of each blob"), 0.3, 3.0, 0.1)
        seed = widgets.count(S, "seed", tr("Random seed"), 0, 999)
        rlr = widgets.choice(S, "rlr", tr("Learning rate η"), widgets.LR_OPTIONS)
        rsteps = widgets.slider(S, "rsteps", tr("Steps"), 1, 500, 1)
        rt = widgets.player("rt", rsteps, state.scrubber_start(S, "rt"))
    reg = caches.softmax_regression_run(k, names, n, spread, seed, rlr, rsteps, rt)
    with figures:
        a, b = st.columns([3, 2])
        with a:
            drawing.chart(
                drawing.finished_chart(
                    charts.regions_chart, reg.grid, reg.points, class_order=names, height=340
                ),
                tr(
                    "Scatter plot of the points by class over the shaded decision regions "
                    "of the model."
                ),
                lesson.regression_reading(reg),
            )
        with b:
            drawing.chart(
                drawing.played_step_chart(
                    reg.loss, "rt", rt, y_title=tr("loss (nats)"), height=180
                ),
                tr("Line chart of the mean cross-entropy over the training steps."),
            )
            drawing.chart(
                drawing.played_step_chart(
                    reg.accuracy, "rt", rt, y_title=tr("accuracy"), y_max=1.0, height=180
                ),
                tr(
                    "Line chart of the fraction of points classified right over the training steps."
                ),
            )
    drawing.reading(
        lesson.accuracy_reading(reg.accuracy["value"].to_numpy(), reg.loss["value"].to_numpy())
    )
    with controls:
        drawing.download(reg.table, "xent-softmax-regression.csv")


regression_section(k, names)

# --- 4. numerics -----------------------------------------------------------------------------
st.header(tr("4 · Numerics: why frameworks take logits"), divider="gray")
st.markdown(
    tr(
        "On paper log(softmax(z)) is fine. In floating point, exp(z) overflows past z ≈ 709 "
        "and a tiny probability rounds to 0, whose log is −∞. The log-sum-exp form subtracts "
        "the largest logit first and never takes the log of a rounded probability; this is why "
        "loss functions take the logits z, not the probabilities."
    )
)


@st.fragment
def numerics_section():
    controls, figures = st.columns([1, 2.3], gap="large")
    with controls:
        a = widgets.choice(S, "za", tr("Logit size a in z = (a, 0, −a)"), lesson.LOGIT_SIZES)
    comparison = explanations.log_softmax_comparison(lesson.extreme_logits(a))
    with figures:
        st.table(lesson.log_softmax_table(comparison), hide_index=True)
        drawing.reading(explanations.log_softmax_reading(comparison))


numerics_section()

multiclass_controls.link_understood(state.LINK, lesson.true_class_index)
notice.url_notice(notice_slot)
