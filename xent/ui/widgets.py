"""URL-bound controls shared by the pages: sliders, fixed options, whole numbers, the player.

Each takes the page's ``PageState`` and a URL key, starts at the page's default and is bound
to the address bar (``bind="query-params"``). A value from a callback, a preset or a saved
page that the control cannot take is clamped before it is drawn, and named in the notice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from xent.frames import LEARNING_RATES
from xent.pagestate import PageState
from xent.text import option_text
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
):
    """A slider bound to the URL parameter ``key``, starting at the page's default."""
    clamp(key, lo, hi, state.defaults[key])
    address.keep(key, state.defaults[key], address.numbers)
    value = st.slider(
        label,
        lo,
        hi,
        state.defaults[key],
        step,
        format=fmt,
        key=key,
        help=help,
        on_change=address.moved(key),
        bind="query-params",
    )
    address.resend(key)
    return value


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
