"""xent: why cross-entropy is the loss for classification (entry point).

Page config and navigation only; each page is a thin script in ``pages/``. The URL paths
are stable (teachers share them): ``/``, ``/bernoulli``, ``/multiclass``,
``/loss-comparison``.
"""

import streamlit as st

st.set_page_config(
    page_title="xent: cross-entropy, live",
    page_icon="🎯",
    layout="wide",
    initial_sidebar_state="auto",
)

pages = [
    st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
    st.Page(
        "pages/bernoulli.py", title="Bernoulli", icon=":material/casino:", url_path="bernoulli"
    ),
    st.Page(
        "pages/multiclass.py", title="Multiclass", icon=":material/category:", url_path="multiclass"
    ),
    st.Page(
        "pages/loss-comparison.py",
        title="Loss Comparison",
        icon=":material/compare_arrows:",
        url_path="loss-comparison",
    ),
    # --- class mode (xent/classroom) ---
    st.Page("pages/class.py", title="Class", icon=":material/groups:", url_path="class"),
    # --- end class mode ---
]
st.navigation(pages).run()
