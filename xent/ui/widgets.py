"""URL-bound controls shared by the pages: sliders, fixed options, whole numbers, the player.

Each takes the page's ``PageState`` and a URL key, starts at the page's default and is bound
to the address bar (``bind="query-params"``). A value from a callback, a preset or a saved
page that the control cannot take is clamped before it is drawn, and named in the notice.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence

import streamlit as st

from xent.frames import LEARNING_RATES
from xent.pagestate import PageState
from xent.text import literal, option_text, plain
from xent.ui import address
from xent.ui.player import Player
from xent.ui.state import CLAMPED, clamp

LR_OPTIONS = tuple(LEARNING_RATES.tolist())

TOL_OPTIONS = (0.01, 0.02, 0.05, 0.1, 0.2)


def slider(
    state: PageState,
    key: str,
    label: str,
    lo,
    hi,
    step,
    *,
    help: str | None = None,
    fmt: str | None = None,
    user_text: bool = False,
):
    """A slider bound to the URL parameter ``key``, starting at the page's default.

    ``user_text``: the label holds user text (a class name), drawn by :func:`literal_label`.
    """
    clamp(key, lo, hi, state.defaults[key])
    address.keep(key, state.defaults[key], address.numbers)
    with st.container(gap=None) if user_text else contextlib.nullcontext():
        if user_text:
            literal_label(label)
        value = st.slider(
            plain(label) if user_text else label,
            lo,
            hi,
            state.defaults[key],
            step,
            format=fmt,
            key=key,
            help=help,
            on_change=address.moved(key),
            bind="query-params",
            label_visibility="collapsed" if user_text else "visible",
        )
    address.resend(key)
    return value


def literal_label(label: str) -> None:
    """A widget's label that holds user text, shown as typed (:func:`xent.text.literal`).

    Streamlit reads a widget's label as markdown and names the widget for screen readers
    by the label as given, escapes included (``z for \\*\\*bold\\*\\*``). So the widget
    gets the text itself as its label, hidden (its accessible name is then the text as
    typed), and the text is shown here, literally, in the label's size, right above it.
    """
    st.markdown(f":small[{literal(label)}]")


def choice(
    state: PageState,
    key: str,
    label: str,
    options: Sequence,
    *,
    help: str | None = None,
    fmt: Callable | None = None,
):
    """A select-slider over fixed options (e.g. learning rates), bound to the URL."""
    if key in st.session_state and st.session_state[key] not in options:
        shown = st.session_state[key]
        st.session_state[key] = state.defaults[key]
        st.session_state.setdefault(CLAMPED, {})[key] = (shown, state.defaults[key])
    address.keep(key, state.defaults[key], lambda v: [(fmt or option_text)(v)])
    value = st.select_slider(
        label,
        options=list(options),
        value=state.defaults[key],
        format_func=fmt or option_text,
        key=key,
        help=help,
        on_change=address.moved(key),
        bind="query-params",
    )
    address.resend(key)
    return value


def count(
    state: PageState,
    key: str,
    label: str,
    lo: int,
    hi: int,
    *,
    help: str | None = None,
    on_change=None,
):
    """A whole number bound to the URL (ball counts, seeds).

    A slider rather than ``st.number_input``: in Streamlit 1.67 a number_input bound to
    the URL raises on a link value such as ``red=inf`` ("cannot convert float infinity
    to integer"), while a slider ignores it and falls back to its default.
    """
    clamp(key, lo, hi, state.defaults[key])
    address.keep(key, state.defaults[key], address.numbers)
    value = st.slider(
        label,
        lo,
        hi,
        state.defaults[key],
        1,
        key=key,
        help=help,
        on_change=address.moved(key, on_change),
        bind="query-params",
    )
    address.resend(key)
    return value


def player(key: str, steps: int, default: int = 0) -> int:
    """Play / pause, one step forward and the step scrubber ``key`` (see :class:`Player`)."""
    return Player(key).draw(steps, default)


def play_interval(key: str) -> float | None:
    """``run_every`` for the fragment holding the player of scrubber ``key``."""
    return Player(key).interval()
