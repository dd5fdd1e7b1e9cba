"""The Bernoulli page's own controls (Streamlit): the ball box's callback."""

from __future__ import annotations

import streamlit as st


def box_to_p() -> None:
    """Callback: the ball counts set p = red / (red + white)."""
    red, white = st.session_state.get("red", 0), st.session_state.get("white", 0)
    if red + white > 0:
        st.session_state["p"] = round(red / (red + white), 4)
