"""The Multiclass page's own controls: the logits, the class names and the true class."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from xent.pagestate import PageState
from xent.text import NAME_CHARS
from xent.ui import address
from xent.ui.widgets import slider


def logit_sliders(state: PageState, k: int, names: Sequence[str]) -> tuple[float, ...]:
    """K logit sliders (keys z1 … zK), two to a row: on a phone, where columns stack, they
    still come in class order. The logits of classes beyond K (K lowered) go back to their
    defaults: not on screen, so in neither the address nor the link."""
    for key in state.defaults:
        if key[0] == "z" and key[1:].isdigit() and int(key[1:]) > k:
            st.session_state.pop(key, None)
    z = []
    for row in range(0, k, 2):
        for col, i in zip(st.columns(2), range(row, min(row + 2, k)), strict=False):
            with col:
                label = f"z for {names[i]}"
                z.append(slider(state, f"z{i + 1}", label, -6.0, 6.0, 0.1, user_text=True))
    return tuple(z)


def true_class(state: PageState, names: Sequence[str]) -> int:
    """The true class, by index; a true class beyond the K classes (K lowered) goes back to
    the page's default, in the screen, the address and the link alike."""
    default = min(state.defaults["y"], len(names) - 1)
    held = st.session_state.get("y")
    if held is not None and not (isinstance(held, int) and 0 <= held < len(names)):
        st.session_state["y"] = default
    address.keep("y", default, lambda i: [names[i]])
    value = st.selectbox(
        "True class",
        list(range(len(names))),
        index=default,
        format_func=lambda i: names[i],
        key="y",
        on_change=address.moved("y"),
        bind="query-params",
        help="What is really in the picture: the target t is one-hot on this class.",
    )
    address.resend("y")
    return value


def names_input(state: PageState) -> str:
    address.keep("names", state.defaults["names"], lambda text: [text])
    names = st.text_input(
        "Class names (comma-separated)",
        value=state.defaults["names"],
        max_chars=200,
        key="names",
        bind="query-params",
        on_change=address.moved("names", _keep_true_class),
        help=f"One name per class, separated by commas; each name is cut to {NAME_CHARS} "
        "characters. Missing names are filled in with the defaults.",
    )
    address.resend("names")
    return names


def _keep_true_class() -> None:
    """Callback of the class names: the true class keeps its place (index) under its new
    name. Without it the browser re-sends the selectbox's old label, which no option has
    any more: the box showed nothing and the Share link named the old class."""
    held = st.session_state.get("y")
    if isinstance(held, int):
        st.session_state["y"] = held
    _cut_long_names()


def _cut_long_names() -> None:
    """A name typed longer than a class name keeps is cut in the box itself, so the box, the
    address and the Share link hold the names as shown: a link the app made never raises
    the notice when opened (before: the uncut name went into the link, and everyone who
    opened it read "cannot use as given")."""
    text = str(st.session_state.get("names", ""))
    parts = [part.strip() for part in text.split(",")]
    if any(len(part) > NAME_CHARS for part in parts):
        st.session_state["names"] = ", ".join(part[:NAME_CHARS].strip() for part in parts)
