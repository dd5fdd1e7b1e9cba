"""Every construct Streamlit's markdown renders, each shown through ``xent.text.literal`` in
the places the app shows user text: a paragraph, a caption, a notice box and a slider's
label (tests/e2e/test_literal.py reads what the browser drew)."""

import streamlit as st

from tests.literal_constructs import CONSTRUCTS
from xent.text import literal
from xent.ui.widgets import literal_label

for i, text in enumerate(CONSTRUCTS):
    with st.container(key=f"literal-{i}"):
        st.markdown(literal(text))
        st.caption(literal(text))
        st.info(literal(text))
        with st.container(gap=None):
            literal_label(text)
            st.slider(text, 0, 1, key=f"slider-{i}", label_visibility="collapsed")
