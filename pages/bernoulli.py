"""Bernoulli: one yes-or-no outcome, a box of balls, and a neuron that learns q -> p."""

import streamlit as st

from xent import caches, charts, explanations
from xent.i18n import tr
from xent.lessons import bernoulli as lesson
from xent.ui import bernoulli as bernoulli_controls
from xent.ui import drawing, notice, page, widgets

S = lesson.STATE

notice_slot = page.header(
    S,
    tr("Bernoulli: one yes-or-no outcome"),
    tr(
        "A box holds red and white balls; draw one. The truth is **p**, the chance of red. "
        "A model says **q**. Cross-entropy scores the model by how surprised it is, on average, "
        "by what really comes out of the box. Move **q** and watch the loss: it is lowest "
        "exactly when the model says the truth, **q = p**, and it never goes below the "
        "box's own uncertainty, the entropy **H(p)**."
    ),
)

# --- the truth: a box of balls -------------------------------------------------------------
# The box, the prediction q and the loss curve come first, so that a 1280x720 projector
# shows the lesson without scrolling; the definition sits beside the curve.
st.header(tr("1 · The loss of a prediction q"), divider="gray")
box = st.columns([1, 1, 2.6], gap="medium", vertical_alignment="bottom")
with box[0]:
    red = widgets.count(S, "red", tr("Red balls"), 0, 50, on_change=bernoulli_controls.box_to_p)
with box[1]:
    white = widgets.count(
        S, "white", tr("White balls"), 0, 50, on_change=bernoulli_controls.box_to_p
    )
with box[2]:
    p = widgets.slider(
        S,
        "p",
        tr("True probability p (of red)"),
        0.0,
        1.0,
        0.01,
        help=tr("Set by the ball counts; or move it yourself."),
    )
st.caption(lesson.box_caption(red, white, p))


# Each section is a fragment: its own controls rerun only that section.
@st.fragment
def loss_section(p):
    controls, figures = st.columns([1, 2.3], gap="large")
    with controls:
        q = widgets.slider(
            S,
            "q",
            tr("Model prediction q"),
            0.0,
            1.0,
            0.01,
            help=tr("What the model says P(red) is."),
        )
        loss_view, grad_view = caches.bernoulli_curves(p, q)
        at_q = loss_view.at
        drawing.formula(*lesson.loss_formula())
        drawing.formula(*lesson.decomposition(at_q))
        drawing.reading(explanations.entropy_units_reading(p))
    with figures:
        drawing.chart(
            drawing.finished_chart(
                lesson.loss_chart,
                loss_view,
                x_title=tr("model prediction q"),
                y_title=tr("loss L (nats)"),
                height=270,
            ),
            tr(
                "Line chart of the cross-entropy L against the model prediction q, with its minimum at q = p."
            ),
            lesson.loss_reading(at_q),
        )
        drawing.chart(
            drawing.finished_chart(
                lesson.gradient_chart,
                grad_view,
                x_title=tr("model prediction q"),
                y_title="∂L/∂z = q − p",
                zero_rule=True,
                height=220,
            ),
            tr(
                "Line chart of the gradient q minus p against q: a straight line crossing zero at q = p."
            ),
            lesson.gradient_reading(grad_view.at),
        )


loss_section(p)

# --- 2. the neuron ---------------------------------------------------------------------------
st.header(tr("2 · A neuron learns q = p"), divider="gray")
st.markdown(
    tr(
        "One neuron: inputs x₁, x₂, weights w₁, w₂, output q = σ(x₁w₁ + x₂w₂). "
        "Gradient descent moves the weights a step against the gradient, over and over."
    )
)
drawing.formulas(
    (r"q = \sigma(x_1 w_1 + x_2 w_2)", tr("q is the sigmoid of x1 w1 + x2 w2.")),
    (
        r"w_i \leftarrow w_i - \eta\,\frac{\partial L}{\partial w_i} = w_i - \eta\,x_i\,(q - p)",
        tr("each step, w_i becomes w_i minus eta times x_i times (q minus p)."),
    ),
)


@st.fragment(run_every=widgets.play_interval("t"))
def neuron_section(p):
    controls, figures = st.columns([1, 2.3], gap="large")
    with controls:
        cols = st.columns(2)
        with cols[0]:
            x1 = widgets.slider(S, "x1", tr("Input x₁"), -2.0, 2.0, 0.1)
            w1 = widgets.slider(S, "w1", tr("Start weight w₁"), -5.0, 5.0, 0.1)
        with cols[1]:
            x2 = widgets.slider(S, "x2", tr("Input x₂"), -2.0, 2.0, 0.1)
            w2 = widgets.slider(S, "w2", tr("Start weight w₂"), -5.0, 5.0, 0.1)
        lr = widgets.choice(S, "lr", tr("Learning rate η"), widgets.LR_OPTIONS)
        steps = widgets.slider(S, "steps", tr("Steps"), 1, 200, 1)
        run = caches.neuron_run((x1, x2), p, (w1, w2), lr, steps)
        t = widgets.player("t", steps)
        drawing.download(run.table, "xent-neuron-run.csv")
    with figures:
        drawing.chart(
            drawing.finished_chart(lesson.path_chart, caches.bernoulli_loss_view(p, p), run, t),
            tr("The loss curve L(q) with the neuron's predictions at every step marked along it."),
            lesson.neuron_reading(run, t, p, (x1, x2), lr),
        )
        a, b = st.columns(2)
        with a:
            drawing.chart(
                drawing.with_playback(drawing.finished_chart(lesson.q_chart, run, t, p), "t"),
                tr(
                    "Line chart of the prediction q over the steps, approaching the dashed line q = p."
                ),
            )
        with b:
            drawing.chart(
                drawing.played_step_chart(run.weights, "t", t, y_title=tr("weights w"), height=220),
                tr("Line chart of the two weights over the steps."),
            )

    st.subheader(tr("The chain rule, factor by factor (at the marked step)"))
    table, point = caches.chain_rule_table((x1, x2), run.w[t], p)
    drawing.formula(
        r"\begin{aligned}\frac{\partial L}{\partial w_i}"
        r"&= \frac{\partial y}{\partial w_i}\cdot\frac{\partial q}{\partial y}\cdot\frac{\partial L}{\partial q}\\"
        r"&= x_i \cdot \sigma'(y) \cdot \frac{\partial L}{\partial q}\\"
        r"&= x_i\,q(1-q)\left(-\tfrac{p}{q}+\tfrac{1-p}{1-q}\right)\\"
        r"&= x_i\,(q-p)\end{aligned}",
        tr(
            "dL/dw_i = dy/dw_i times dq/dy times dL/dq = x_i times sigma'(y) times dL/dq, with "
            "sigma'(y) = q(1 - q) and dL/dq = -p/q + (1-p)/(1-q), "
            "which simplifies to x_i (q - p): the sigmoid's slope cancels."
        ),
    )
    lines = lesson.chain_lines(table, point)
    st.table(lesson.chain_table_view(table, lines), hide_index=True)
    drawing.reading(lesson.chain_reading(point, t, lines))


neuron_section(p)

# --- 3. the sampler --------------------------------------------------------------------------
st.header(tr("3 · Learn from draws"), divider="gray")
st.markdown(
    tr(
        "In real life nobody tells us p. We draw balls and train on what we saw. "
        "The balls are drawn from the box above. The model then learns the share of red "
        "**in the draws**, p̂, which is near the box's share of red when we draw many balls "
        "(that is p, unless p was set directly)."
    )
)


@st.fragment
def sampler_section(red, white, p):
    controls, figures = st.columns([1, 2.3], gap="large")
    with controls:
        n = widgets.slider(S, "n", tr("Balls drawn N"), 1, 1000, 1)
        seed = widgets.count(
            S, "seed", tr("Random seed"), 0, 999, help=tr("The same seed draws the same balls.")
        )
    sample = caches.sampler_run(red, white, n, seed)
    with figures:
        if sample is None:
            st.info(tr("The box is empty: add a red or a white ball to draw from it."))
            return
        drawing.chart(
            drawing.finished_chart(
                charts.step_chart,
                sample.q,
                y_title=tr("prediction q"),
                target=sample.target,
                height=240,
                y_max=1.0,
            ),
            tr("Line chart of q over the steps of training on the drawn balls, approaching p-hat."),
            lesson.sampler_reading(sample.summary, p),
        )
    with controls:
        drawing.download(sample.table, "xent-sampler-run.csv")


sampler_section(red, white, p)

notice.url_notice(notice_slot)
