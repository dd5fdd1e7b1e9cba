"""The address bar kept in step with the controls bound to it (``bind="query-params"``).

What Streamlit 1.67 does (its source, and measured in Chromium): the browser writes a moved
control's value into the address itself, and sends the rerun with the query string it keeps
in its own state, which can lag one move behind the address. Whenever the server sets a
bound key in code (a callback such as the ball counts setting p, a step scrubber held within
a new run length, a preset), Streamlit sends the whole query string as the server has it,
with that lagging value, and the browser replaces its address with it. A message of an
earlier run can also arrive after the student's next move. Four quick presses on *White
balls* so left ``white=11`` in the address while the screen and the Share link said 12.

So, for every bound control:

- :func:`keep`, before it is drawn: a value the server's copy of the address has wrong (or
  has at all, for a value at its default) is set again, and Streamlit writes it when the
  control registers;
- :func:`touched`, in its ``on_change`` (and in every callback that sets a bound key), then
  :func:`resend` after the next control is drawn: the run a student's action started sends
  the address once more, so the last word the browser hears is the last run's. A browser
  that already shows it changes nothing (no history entry).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

RESEND = "_address_resend"
"""Session key: a student's action started this run; the address is sent once more."""


def url_number(value: Any) -> str:
    """A number as Streamlit writes it into the address (``5.0`` -> ``5``, ``0.1`` -> ``0.1``)."""
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        return str(int(value))
    return str(value)


def numbers(value: Any) -> list[str]:
    """The address values of a number control (slider, whole number)."""
    return [url_number(value)]


def same(value: Any, default: Any) -> bool:
    """Whether a control's value is its default (Streamlit then leaves it out of the address)."""
    if isinstance(value, list | tuple) or isinstance(default, list | tuple):
        return isinstance(value, list | tuple) and list(value) == list(default or ())
    if isinstance(value, int | float) and isinstance(default, int | float):
        return float(value) == float(default)
    return value == default


def _writable(key: str) -> bool:
    """Whether Streamlit can write the session's value of ``key`` into the address: not on a
    first visit (the address is the link, and Streamlit seeds the control from it), and not
    an empty selection (the browser writes ``?losses=``; the server would drop the key)."""
    if key not in st.session_state:
        return False
    value = st.session_state[key]
    return not (isinstance(value, list | tuple) and not value)


def keep(key: str, default: Any, spell: Callable[[Any], Sequence[str]]) -> None:
    """Before the control of ``key`` is drawn: make Streamlit write its value into the
    address when the server's copy of the address says something else.

    ``spell(value)`` is what the control writes into the address for ``value`` (in the
    browser's order; compared as a set for a multi-choice control).
    """
    if not _writable(key):
        return
    value = st.session_state[key]
    wanted = [] if same(value, default) else list(spell(value))
    if sorted(st.query_params.get_all(key)) != sorted(wanted):
        st.session_state[key] = value


def touched(key: str | None = None) -> None:
    """A student's action; ``key``: the control they moved, if any. The run sends the address
    once more after that control is drawn (after the first control drawn, for an action on no
    control: a preset, Reset, Step, Play)."""
    st.session_state[RESEND] = key


def resend(key: str) -> None:
    """After the control of ``key`` is drawn: send the address once in a run a student's
    action started.

    ``st.query_params.update()`` with nothing to change sends the query string as the server
    has it (every bound control drawn so far is right there, :func:`keep`); any control drawn
    later whose value the server's copy has wrong is sent again when it registers.
    """
    if RESEND in st.session_state and st.session_state[RESEND] in (key, None):
        del st.session_state[RESEND]
        st.query_params.update()


def moved(key: str, callback: Callable | None = None) -> Callable:
    """The ``on_change`` of the control of ``key``: its value set again (Streamlit writes it
    into the address, which the browser's rerun may hold one move behind, and into the
    browser, where the last run's value wins over an earlier one that arrives late), then
    ``callback``."""

    def changed(*args: Any, **kwargs: Any) -> None:
        if _writable(key):
            st.session_state[key] = st.session_state[key]
        touched(key)
        if callable(callback):
            callback(*args, **kwargs)

    return changed
