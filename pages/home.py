"""Home: what classification is, what cross-entropy is, and a card for each page."""

import streamlit as st

from xent import language, navigation
from xent.i18n import tr
from xent.ui import drawing

navigation.ensure_entry()
st.title(tr("Why cross-entropy?"))
language.switch()  # under the title: above it, the sticky top bar covered half of it
st.markdown(
    tr(
        "A **classifier** looks at something and says how likely each answer is. "
        "Will this user buy the new product, yes or no? That is **binary** classification. "
        "Is the picture an apple, a gorilla or a rappa (a trumpet)? That is **multiclass**. "
        "To learn, the model needs one number that says how wrong its probabilities are, "
        "and a direction that makes it less wrong. That number is the **cross-entropy**."
    )
)

left, right = st.columns([3, 2], gap="large")
with left:
    st.header(tr("The definition"))
    drawing.formula(
        r"L = H(P, Q) = -\sum_x P(x)\,\log Q(x)",
        tr("L equals minus the sum over outcomes x of P(x) times log Q(x)."),
    )
    st.markdown(
        tr(
            "P is the truth (how often each outcome really happens), Q is the model's guess. "
            "Each outcome costs −log Q(x): nothing when the model was sure and right, "
            "a lot when it gave the real outcome almost no chance. "
            "Logs are natural, so L is in **nats**."
        )
    )
    drawing.formula(
        r"\begin{aligned}H(P, Q) &= H(P) + \mathrm{KL}(P \,\|\, Q)\\ &\ge H(P)\end{aligned}",
        tr(
            "cross-entropy equals the entropy of P plus the KL divergence from P to Q, "
            "so it is never below the entropy, and equal to it only when Q = P."
        ),
    )
    st.markdown(
        tr(
            "So the loss is smallest exactly when the model tells the truth, Q = P. "
            "With a sigmoid or softmax output its gradient with respect to the logits z (the "
            "scores before the sigmoid or softmax) is simply **∂L/∂z = Q − P** (with respect "
            "to Q itself it is −P/Q): the step on the logits is as big as the mistake."
        )
    )
with right:
    st.header(tr("In class"))
    st.markdown(
        tr(
            "1. **Project** a page; every control sits beside the charts it moves "
            "(above them on a phone).\n"
            "2. **Ask first**, then move a slider: *where will the loss be smallest?*\n"
            "3. **Presets** at the top of each page jump to a prepared situation; "
            "**Reset** brings the defaults back.\n"
            "4. **Share a link**: the address bar carries every setting, "
            "so students open exactly what you show.\n"
            "5. Under each chart a reading puts its numbers into words; "
            "every run downloads as CSV."
        )
    )

st.header(tr("The pages"))
cards = [*navigation.LESSONS, navigation.CLASS]  # the lessons, then class mode
for column, entry in zip(st.columns(len(cards), gap="medium"), cards, strict=True):
    title = tr(entry.title)
    with column, st.container(border=True):
        st.markdown(f"### {entry.icon} {title}")
        st.markdown(tr(entry.card))
        st.page_link(
            entry.page(), label=tr("Open {page}", page=title), icon=":material/arrow_forward:"
        )
