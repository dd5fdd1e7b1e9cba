"""Streamlit helpers shared by the pages: URL-bound controls, presets, formatting, readings.

Every control that changes what a page shows is bound to a URL query parameter
(``bind="query-params"``; the widget key is the parameter name), so a copied link opens
with the same settings. Streamlit leaves a parameter out of the URL while its widget sits
at its default, and ignores values that do not fit the widget (text, NaN, out of range),
falling back to the default. Presets and "Reset to defaults" write the same keys through
``st.session_state`` in a callback, which moves the URL along with them.

The page's defaults and presets live here, beside the controls, as plain data
(``PageState``), so tests and the README can read them. A link value a control cannot
use is named in a short notice (``url_notice``) instead of failing silently.

Pages draw each section as an ``st.fragment``; ``player`` adds play / step to a section's
step scrubber by rerunning only that fragment on a timer (``play_interval``).

Heavy work runs through ``st.cache_resource`` with a bounded ``max_entries`` (shared,
read-only results: see ``CACHE``); the chart
builders in ``xent.charts`` write plain Vega-Lite, drawn here by ``chart``.
"""

from __future__ import annotations

import contextlib
import functools
import math
import time
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from xent import charts, explanations, frames, navigation, scoring
from xent.data import CLASS_NAMES, MAX_CLASSES
from xent.losses import BINARY_LOSSES, find_binary_loss

LR_OPTIONS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
TOL_OPTIONS = (0.01, 0.02, 0.05, 0.1, 0.2)
RACE_ROWS_PER_LOSS = 150
"""Points per line of the race chart (the step budget goes to 1000): the eye cannot tell."""
CACHE = {"max_entries": 64, "show_spinner": False}
"""Settings of every cache below. They are ``st.cache_resource`` caches: a hit returns the
same objects (no pickling, which ``st.cache_data`` does on every hit and which took a
quarter to a third of a rerun). The frames, arrays and dicts they return are shared by
all sessions and are read-only by convention: pages and ``xent.charts`` only read them
(chart builders copy a frame before they add a column)."""


# --- page state: defaults, presets, URL -----------------------------------------------------


@dataclass(frozen=True)
class PageState:
    """A page's URL keys with their defaults, and its named presets (partial settings)."""

    slug: str
    defaults: Mapping[str, Any]
    presets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    docs: Mapping[str, str] = field(default_factory=dict)


BERNOULLI = PageState(
    slug="bernoulli",
    defaults={
        "red": 2,
        "white": 8,
        "p": 0.2,
        "q": 0.6,
        "x1": 1.0,
        "x2": 0.5,
        "w1": 2.0,
        "w2": -1.0,
        "lr": 1.0,
        "steps": 40,
        "n": 50,
        "seed": 0,
    },
    presets={
        "Box: 2 red, 8 white": {},
        "Fair coin: 5 red, 5 white": {"red": 5, "white": 5, "p": 0.5, "q": 0.9},
        "Confident and wrong": {"red": 9, "white": 1, "p": 0.9, "q": 0.02, "w1": -4.0, "w2": 0.0},
        "Learning rate too large": {"lr": 30.0, "steps": 30},
        "Sure thing: all red": {"red": 10, "white": 0, "p": 1.0, "q": 0.5},
    },
    docs={
        "red": "red balls in the box",
        "white": "white balls in the box",
        "p": "true probability of red",
        "q": "model prediction",
        "x1": "neuron input x₁",
        "x2": "neuron input x₂",
        "w1": "start weight w₁",
        "w2": "start weight w₂",
        "lr": "learning rate η",
        "steps": "gradient steps",
        "t": "step shown by the scrubber",
        "n": "balls drawn by the sampler",
        "seed": "random seed of the sampler",
    },
)

MULTICLASS = PageState(
    slug="multiclass",
    defaults={
        "k": 3,
        "names": ", ".join(CLASS_NAMES[:3]),
        "y": 1,
        "ls": 0.0,
        **{f"z{i + 1}": v for i, v in enumerate((2.0, 1.0, 0.1, *([0.0] * (MAX_CLASSES - 3))))},
        "lr": 1.0,
        "steps": 30,
        "n": 30,
        "spread": 1.0,
        "seed": 0,
        "rlr": 0.3,
        "rsteps": 100,
    },
    presets={
        "Somewhat wrong (default)": {},
        "Confident and wrong": {"z1": 4.0, "z2": -2.0, "z3": 0.0},
        "Nearly right": {"z1": 0.0, "z2": 3.0, "z3": 0.0},
        "Uniform guess": {"z1": 0.0, "z2": 0.0, "z3": 0.0},
        "Label smoothing": {"ls": 0.1},
        "Ten classes": {"k": 10},
        "Overlapping blobs": {"spread": 2.5},
    },
    docs={
        "k": "number of classes K",
        "names": "class names, comma-separated",
        "y": "the true class (its name)",
        "ls": "label smoothing ε",
        "z1 … z10": "logits z₁ … z_K",
        "lr": "learning rate η of the logit descent",
        "steps": "steps of the logit descent",
        "t": "step shown by the logit scrubber",
        "n": "points per class (softmax regression)",
        "spread": "blob spread",
        "seed": "random seed of the blobs",
        "rlr": "learning rate of the softmax regression",
        "rsteps": "steps of the softmax regression",
        "rt": "step shown by the regression scrubber",
    },
)

COMPARISON = PageState(
    slug="loss-comparison",
    defaults={
        "losses": ["cross_entropy", "squared_error"],
        "p": 1.0,
        "q0": 0.01,
        "lr": 1.0,
        "steps": 300,
        "tol": 0.05,
    },
    presets={
        "Confident and wrong (default)": {},
        "Very confident and wrong": {"q0": 0.001},
        "Almost right": {"q0": 0.8},
        "Learning rate too large": {"p": 0.5, "q0": 0.2, "lr": 30.0},
        "Every loss": {"losses": list(BINARY_LOSSES)},
    },
    docs={
        "losses": "losses compared (repeat the key)",
        "p": "target probability p",
        "q0": "start prediction q₀",
        "lr": "learning rate η",
        "steps": "step budget",
        "tol": "threshold: |q - p| at most this",
    },
)


PAGE_STATES: dict[str, PageState] = {s.slug: s for s in (BERNOULLI, MULTICLASS, COMPARISON)}
"""Every lesson page's state by its slug (its URL path)."""

CURRENT_PAGE = "_page"
"""Session key: the slug of the lesson page that ran last in this session."""


def _saved_key(slug: str) -> str:
    return f"_saved_{slug}"


def enter_page(state: PageState) -> None:
    """Give the page its own values when the session arrives from another page.

    The pages share URL keys (``p``, ``steps``, ``t``, ``n``, ``lr``) with different
    meanings and ranges, and Streamlit carries a bound query parameter across a page
    switch. So on a switch the page left behind keeps its values aside (they come back
    when the student returns) and this page starts from its own saved values or its
    defaults, never from the other page's. A first visit (a link) keeps the link's values.
    The address the other page left (Streamlit carries it over) is cleared, and the page
    reruns once so that no widget is seeded from it.
    """
    previous = st.session_state.get(CURRENT_PAGE)
    st.session_state[CURRENT_PAGE] = state.slug
    if previous is None or previous == state.slug:
        return
    left = PAGE_STATES.get(previous)
    if left is not None:
        st.session_state[_saved_key(previous)] = {
            key: st.session_state[key] for key in left.defaults if key in st.session_state
        }
    for key in list(st.query_params):  # carried over from the page left behind
        # (a parameter still bound to a widget cannot be deleted: nothing to drop then)
        with contextlib.suppress(StreamlitAPIException):
            del st.query_params[key]
    _apply(state, st.session_state.get(_saved_key(state.slug), {}))
    for key in SCRUBBERS:  # a scrubber is clamped to its run's length where it is drawn
        st.session_state[key] = 0
    # Bound widgets seed from the address the run started with (the other page's values):
    # rerun once from the cleaned address, where the values set above win.
    st.rerun()


def _clamped(key: str, lo, hi, default):
    """The session's value of ``key`` put inside [lo, hi] before its widget is drawn.

    A value can arrive out of range from a callback, a preset or a page's saved values;
    Streamlit would raise for it, so it is clamped (and named in the notice) instead.
    """
    value = st.session_state.get(key)
    if value is None:
        return
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if math.isnan(number):
        st.session_state[key] = default
    elif number < lo or number > hi:
        st.session_state[key] = type(default)(min(max(number, lo), hi))
    else:
        return
    st.session_state.setdefault(CLAMPED, {})[key] = (value, st.session_state[key])


CLAMPED = "_clamped"
"""Session key: values a control could not take, with what it shows instead."""


def _apply(state: PageState, values: Mapping[str, Any]) -> None:
    for key, default in state.defaults.items():
        st.session_state[key] = values.get(key, default)
    for key in SCRUBBERS:  # scrubbers follow their run's length; a playback stops
        st.session_state.pop(key, None)
        stop_playback(key)


def stop_playback(key: str) -> None:
    """Stop the player of scrubber ``key`` (a preset, Reset or page switch ends a playback)."""
    st.session_state[f"_play_{key}"] = False
    for part in ("clock", "frame", "restart"):
        st.session_state.pop(f"_{part}_{key}", None)


def _on_preset(state: PageState) -> None:
    name = st.session_state.get("_preset")
    if name in state.presets:
        _apply(state, state.presets[name])
    st.session_state["_preset"] = None


def share_query(state: PageState, values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The query of the page's link for the session's ``values``: every setting that differs
    from its default, as Streamlit writes the address bar (a value at its default is left
    out), the step scrubbers included."""
    current = {key: values.get(key, default) for key, default in state.defaults.items()}
    query = []
    for key, default in state.defaults.items():
        value = current[key]
        if value == default:
            continue
        if isinstance(value, list | tuple):
            query += [(key, loss_slug(v)) for v in value]
        else:
            query.append((key, _url_value(key, value, current)))
    for key, run in SCRUBBER_RUNS.items():
        if key in state.docs and key in values:
            start = state.defaults.get(run, 0) if key == "rt" else 0
            shown = int(values[key])
            if shown != min(int(start), int(current[run])):
                query.append((key, str(shown)))
    return query


def _share_url(state: PageState) -> str:
    """The page's address (scheme and host from the browser) with :func:`share_query`."""
    query = share_query(state, st.session_state)
    base = "/" + state.slug
    try:
        url = st.context.url
        if url:
            parts = urllib.parse.urlsplit(url)
            base = f"{parts.scheme}://{parts.netloc}/{state.slug}"
    except Exception:  # no browser context (bare mode, tests)
        pass
    return base + ("?" + urllib.parse.urlencode(query) if query else "")


def _url_value(key: str, value: Any, values: Mapping[str, Any]) -> str:
    if key == "y":  # the true class travels by name, as Streamlit writes it
        names = class_names(values.get("names", ""), int(values.get("k", 3)))
        return names[int(value)] if 0 <= int(value) < len(names) else str(value)
    return _fmt_option(value)


def header(state: PageState, title: str, intro: str):
    """Title, then one compact row: presets, reset, share and the plain-language intro (behind
    "About this page"), so that on a 1280x720 projector the first lesson chart is on screen.

    Returns a placeholder for :func:`url_notice`, which the page calls at its end.
    """
    navigation.ensure_entry()
    enter_page(state)
    # Class mode: in a room, the room's question comes first and the lesson (whose intro and
    # readings give the answer away) stays hidden until the teacher reveals it.
    from xent.classroom.ui import room_panel

    if room_panel(state.slug).hide_answers:
        st.stop()
    st.session_state.pop(CLAMPED, None)
    st.session_state["_url_raw"] = {
        key: st.query_params.get_all(key)
        for key in (*state.defaults, *SCRUBBERS)
        if key in st.query_params
    }
    st.title(title)
    notice = st.empty()
    with st.container(horizontal=True, vertical_alignment="center"):
        st.selectbox(
            "Presets",
            list(state.presets),
            index=None,
            placeholder="Choose a preset…",
            key="_preset",
            on_change=_on_preset,
            args=(state,),
            width=300,
            label_visibility="collapsed",
            help="Load a named situation; every control on the page moves to it.",
        )
        st.button(
            "Reset to defaults",
            icon=":material/restart_alt:",
            on_click=_apply,
            args=(state, {}),
            help="Put every control back where the page started.",
        )
        if st.button(
            "Share this view",
            icon=":material/link:",
            help="A link that opens this page with every setting you see now.",
        ):
            share_dialog(state)
        with st.popover("About this page", icon=":material/info:"):
            st.markdown(intro)
    return notice


SCRUBBERS = ("t", "rt")

SCRUBBER_RUNS = {"t": "steps", "rt": "rsteps"}
"""The run length each scrubber is bounded by; ``rt`` starts at the run's default end."""


@st.dialog("Share this view")
def share_dialog(state: PageState) -> None:
    """The link, built when the dialog opens from the page's current values, so it is never
    stale (a section rerun or a playback since the last full run moves it along)."""
    st.markdown(
        "This link opens the page with every setting you see now, step scrubbers "
        "included. Copy it with the button at its right:"
    )
    st.code(_share_url(state), language=None, wrap_lines=True)


def url_notice(placeholder) -> None:
    """Say which values of the opening link were unusable, and which values a control could
    not take (out of its range): what was asked, and what the page shows instead."""
    raw = st.session_state.pop("_url_raw", {})
    bad = [
        f"{key}={values[0] if len(values) == 1 else values}"[:40]
        for key, values in raw.items()
        if key in st.session_state and not _same(key, values, st.session_state[key])
    ]
    clamped = st.session_state.pop(CLAMPED, {})
    moved = [
        f"{key}={str(asked)[:20]} (shown: {_fmt_option(shown)})"
        for key, (asked, shown) in clamped.items()
        if key not in raw
    ]
    parts = []
    if bad:
        parts.append(
            "This link had values the page cannot use, so these controls start at their "
            f"defaults: {literal(', '.join(bad))}."
        )
    if moved:
        parts.append(
            f"These values were outside their control's range: {literal(', '.join(moved))}."
        )
    if parts:
        placeholder.info(" ".join(parts), icon=":material/link_off:")


MARKUP_CHARS = frozenset("\\`*_{}[]()#+-.!|$<>~:&^")
"""ASCII punctuation that markdown, KaTeX or Streamlit's directives could read as markup."""

INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
)
"""Zero-width and bidirectional control characters: they reorder or hide text."""


def plain(text: str) -> str:
    """User text with line breaks, control and bidi characters turned into spaces."""
    return "".join(
        " " if (ord(c) < 32 or 127 <= ord(c) < 160 or c in INVISIBLE) else c for c in str(text)
    )


def literal(text: str) -> str:
    """User text (from a link or a text box) for ``st.markdown``: shown as typed, never as
    markup (every ASCII punctuation mark backslash-escaped, as CommonMark allows)."""
    return "".join("\\" + c if c in MARKUP_CHARS else c for c in plain(text))


def _same(key: str, raw: list[str], value: Any) -> bool:
    """Whether the widget took the link's value (the comparison Streamlit's URL format needs)."""
    if isinstance(value, list | tuple):
        if key == "losses":  # the link names losses by slug (older links: label or name)
            return linked_losses(raw) == (set(value), len(raw))
        return sorted(map(str, value)) == sorted(raw)
    if len(raw) != 1:
        return False
    text = raw[0]
    if key == "y":  # the true class travels by name
        names = class_names(st.session_state.get("names", ""), int(st.session_state.get("k", 3)))
        return 0 <= int(value) < len(names) and names[int(value)] == text
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return math.isclose(float(text), float(value), rel_tol=1e-9, abs_tol=1e-12)
        except ValueError:
            return False
    return str(value) == text


# --- URL-bound controls ----------------------------------------------------------------------


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
    _clamped(key, lo, hi, state.defaults[key])
    return st.slider(
        label,
        lo,
        hi,
        state.defaults[key],
        step,
        format=fmt,
        key=key,
        help=help,
        bind="query-params",
    )


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
    return st.select_slider(
        label,
        options=list(options),
        value=state.defaults[key],
        format_func=fmt or _fmt_option,
        key=key,
        help=help,
        bind="query-params",
    )


def _fmt_option(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


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
    _clamped(key, lo, hi, state.defaults[key])
    return st.slider(
        label,
        lo,
        hi,
        state.defaults[key],
        1,
        key=key,
        help=help,
        on_change=on_change or "rerun",
        bind="query-params",
    )


def scrubber(key: str, steps: int, default: int = 0, label: str = "Show step t") -> int:
    """A step slider for a trajectory, from the start (step 0), bound to the URL.

    The default is a fixed step (the start unless given), not "the last step", so that
    it stays put when the number of steps changes (a moving default resets the slider).
    """
    if steps < 1:
        return 0
    # A step beyond a now shorter run (the browser re-sends the old value, a link may carry
    # one) would make st.slider raise: show the run's last step instead.
    if int(st.session_state.get(key, 0)) > steps:
        st.session_state[key] = steps
    return st.slider(
        label,
        0,
        steps,
        min(default, steps),
        1,
        key=key,
        bind="query-params",
        help="Move the marker along the run: every chart of this section follows.",
    )


PLAY_INTERVAL = 0.35
"""Seconds between frames of a playback (a fragment rerun each)."""


def play_interval(key: str) -> float | None:
    """``run_every`` for the fragment holding the player of ``key``: set while it plays."""
    return PLAY_INTERVAL if st.session_state.get(f"_play_{key}") else None


def _on_play(key: str, steps: int) -> None:
    play = f"_play_{key}"
    if st.session_state.get(play):
        if int(st.session_state.get(key, 0)) >= steps:
            st.session_state[key] = 0  # play again from the start
        start = int(st.session_state.get(key, 0))
        st.session_state[f"_clock_{key}"] = (time.monotonic(), start)
        st.session_state[f"_frame_{key}"] = start
    else:
        st.session_state.pop(f"_clock_{key}", None)
        st.session_state.pop(f"_frame_{key}", None)
    st.session_state[f"_restart_{key}"] = True


def _on_step(key: str, steps: int) -> None:
    st.session_state[key] = min(int(st.session_state.get(key, 0)) + 1, steps)


def _play_frame(key: str, steps: int) -> int:
    """The step a playback shows now: the play clock's, and at least one past the last frame.

    The clock (start time and start step, set when Play is switched on) keeps the step with
    the wall clock: a late timer rerun catches up instead of losing time. The last frame
    drawn is kept apart from the scrubber's value, because a timer rerun carries the
    browser's value of the scrubber, which can be a frame behind the server's (it used to
    overwrite ``t += 1``, and a quarter of the frames drew no new step).
    """
    now = time.monotonic()
    started, start = st.session_state.get(f"_clock_{key}") or (
        now,
        int(st.session_state.get(key, 0)),
    )
    last = int(st.session_state.get(f"_frame_{key}", start))
    by_clock = start + round((now - started) / PLAY_INTERVAL)
    return min(max(last + 1, by_clock), steps)


def player(key: str, steps: int, default: int = 0) -> int:
    """Play / pause, one step forward, and the step scrubber for a trajectory.

    Playback reruns only the fragment that holds the player (``st.fragment`` with
    ``run_every=play_interval(key)``); each frame shows the step of the play clock
    (``_play_frame``), so the markers move along the curves on the server's clock, not
    the browser's.
    """
    play = f"_play_{key}"
    if st.session_state.pop(f"_restart_{key}", False):
        st.rerun()  # a full rerun switches the fragment's timer on or off
    if st.session_state.get(play):
        if int(st.session_state.get(f"_frame_{key}", 0)) >= steps:
            st.session_state[play] = False  # the last frame is drawn: stop
            st.session_state.pop(f"_clock_{key}", None)
            st.session_state.pop(f"_frame_{key}", None)
            st.session_state[key] = steps
            st.rerun()
        frame = _play_frame(key, steps)
        st.session_state[key] = st.session_state[f"_frame_{key}"] = frame
    with st.container(horizontal=True, vertical_alignment="center"):
        st.toggle(
            "Play",
            key=play,
            on_change=_on_play,
            args=(key, steps),
            help="Step through the run automatically; the markers move along every chart.",
        )
        st.button(
            "Step",
            key=f"_step_{key}",
            icon=":material/skip_next:",
            on_click=_on_step,
            args=(key, steps),
            help="One gradient step forward.",
        )
    return scrubber(key, steps, default)


def box_to_p() -> None:
    """Callback: the ball counts set p = red / (red + white)."""
    red, white = st.session_state.get("red", 0), st.session_state.get("white", 0)
    if red + white > 0:
        st.session_state["p"] = round(red / (red + white), 4)


NAME_CHARS = 16
"""Longest class name kept: it must fit a bar's label and a chart legend on a phone."""


def class_names(text: str, k: int) -> tuple[str, ...]:
    """K distinct class names from a comma-separated text, padded with the defaults; each name
    is cut to ``NAME_CHARS`` characters.

    A class name is printable text on one line: line breaks, control and bidi characters
    become spaces (runs of spaces one), so a name cannot break a chart or reorder a reading.
    Names are data: readings and labels show them through :func:`literal`."""
    given = [" ".join(n.split())[:NAME_CHARS].strip() for n in plain(text).split(",") if n.strip()]
    names: list[str] = []
    for i in range(k):
        name = given[i] if i < len(given) else CLASS_NAMES[i]
        base, j = name, 2
        while name in names:
            name, j = f"{base} {j}", j + 1
        names.append(name)
    return tuple(names)


# --- formatting and readings -----------------------------------------------------------------


def fmt(x: float, decimals: int = 2) -> str:
    """A number for a reading: '∞' for infinity, fixed decimals, small values kept visible."""
    x = float(x)
    if math.isnan(x):
        return "undefined"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x != 0 and abs(x) < 10 ** (-decimals):
        return f"{x:.{max(decimals - 1, 1)}g}".replace("-", "−")
    return f"{x:.{decimals}f}".replace("-", "−")


def fmt_signed(x: float, decimals: int = 2) -> str:
    s = fmt(x, decimals)
    return s if s.startswith("−") or s in ("undefined",) else "+" + s


READING = "**Reading:**"
"""What starts every reading under a chart: a word a screen reader says as it is (an icon
before the text was announced by its name, "visibility"), and what tests find readings by."""


def reading(text: str) -> None:
    """The one-line reading under a chart."""
    st.markdown(f"{READING} {text}")


def chart(figure: charts.Chart, alt_text: str, reading_text: str | None = None) -> None:
    """Draw a chart at container width with its text alternative and its reading."""
    st.vega_lite_chart(spec=figure.streamlit_spec(), width="stretch", alt=alt_text)
    if reading_text:
        reading(reading_text)


def formula(latex: str, plain: str) -> None:
    """A formula with st.latex and its plain-text version beneath (for screen readers)."""
    st.latex(latex)
    st.caption(f"In words: {plain}")


def formulas(*items: tuple[str, str], widths: Sequence[float] | None = None) -> None:
    """Several formulas side by side (stacked on a phone), each with its plain text."""
    for column, (latex, plain) in zip(st.columns(widths or len(items)), items, strict=True):
        with column:
            formula(latex, plain)


def download(table, name: str, label: str = "Download this run (CSV)") -> None:
    """A CSV download of ``table``, written only when the button is clicked (Streamlit calls
    ``data`` then, on its own thread), not on every rerun."""
    st.download_button(
        label,
        functools.partial(csv_bytes, table),
        file_name=name,
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )


def csv_bytes(table) -> bytes:
    """``table`` as the CSV the download buttons give: no index, 8 significant digits."""
    return table.to_csv(index=False, float_format="%.8g").encode()


# --- cached computations ------------------------------------------------------------------


@st.cache_resource(**CACHE)
def bernoulli_curves(p: float, q: float):
    return frames.bernoulli_curves(p, q)


@st.cache_resource(**CACHE)
def neuron_run(x, p, w0, lr, steps):
    return frames.neuron_run(tuple(x), p, tuple(w0), lr, steps)


@st.cache_resource(**CACHE)
def chain_rule_table(x, w, p):
    return frames.chain_rule_table(tuple(x), w, p)


@st.cache_resource(**CACHE)
def softmax_view(z, true_class, names, smoothing):
    return frames.softmax_view(tuple(z), true_class, tuple(names), smoothing)


@st.cache_resource(**CACHE)
def logit_descent(z0, true_class, names, smoothing, lr, steps):
    return frames.logit_descent(tuple(z0), true_class, tuple(names), smoothing, lr, steps)


@st.cache_resource(**CACHE)
def _regression_fit(k, n, spread, seed, lr, steps):
    return frames.softmax_regression_fit(k, n, spread, seed, lr, steps)


@st.cache_resource(**CACHE)
def softmax_regression_run(k, names, n, spread, seed, lr, steps, step):
    """Trained once per setting; moving the step only redraws the regions."""
    fit = _regression_fit(k, n, spread, seed, lr, steps)
    return frames.softmax_regression_run(k, tuple(names), n, spread, seed, lr, steps, step, fit=fit)


@st.cache_resource(**CACHE)
def comparison_curves(p, names, q):
    return frames.comparison_curves(p, tuple(names), q)


@st.cache_resource(**CACHE)
def race(p, q0, lr, steps, tol, names):
    return frames.race(p, q0, lr, steps, tol, tuple(names))


@st.cache_resource(**CACHE)
def comparison_grid(p, steps, tol, names):
    return frames.comparison_grid(p, steps, tol, tuple(names))


# --- the Bernoulli page: charts from frames, readings -----------------------------------------


def curves_chart(view: frames.Curves, **kw):
    """``charts.function_chart`` for a ``frames.Curves`` bundle."""
    return charts.function_chart(
        view.curves,
        view.points,
        floor=view.floor,
        segment=view.segment,
        y_max=view.y_max,
        note=view.note,
        **kw,
    )


def path_chart(view: frames.Curves, run: frames.NeuronRun, t: int):
    """The L(q) curve with the neuron's steps along it and the marker at step t."""
    trail = run.path
    at = trail.iloc[t]
    top = max(view.y_max or frames.L_MAX, frames.axis_top(trail["y"].to_numpy()))
    x, y, p = float(at["x"]), float(at["y"]), float(view.values["p"])
    places = frames.bernoulli_label_places(p, x, float(view.values["H"]), y, top)
    minimum = view.points[view.points["label"] != "model q"].assign(place=places["minimum"])
    step = {"x": [x], "y": [y], "label": [f"step {t}"], "place": [places["model"]]}
    points = pd.concat([minimum, pd.DataFrame(step)], ignore_index=True)
    return charts.function_chart(
        view.curves,
        points,
        trail=trail,
        floor=view.floor,
        y_max=top,
        x_title="model prediction q",
        y_title="loss L (nats)",
        height=260,
        note="Dots: q and L after each gradient step.",
    )


def p_target(p: float):
    return pd.DataFrame({"y": [p], "label": ["target q = p"]})


SAMPLER_LR, SAMPLER_STEPS = 1.0, 100


def sampler_run(red: int, white: int, draws: int, seed: int):
    """Balls drawn from the box and the fit to them; None for an empty box."""
    if red + white < 1:
        return None
    return _sampler_run(red, white, draws, seed, SAMPLER_LR, SAMPLER_STEPS)


_sampler_run = st.cache_resource(**CACHE)(frames.sampler_run)


def tex(x: float, decimals: int = 2) -> str:
    """A number for st.latex: \\infty for infinity."""
    s = fmt(x, decimals).replace("−", "-")
    return r"\infty" if s == "∞" else s


def box_caption(red: int, white: int, p: float) -> str:
    total = red + white
    if total == 0:
        return "The box is empty: p is set directly."
    ratio = red / total
    if abs(ratio - p) < 5e-3:
        return f"The box: {red} red of {total} balls, so p = {red}/{total} = {fmt(ratio)}."
    return f"p is set directly (the box of {red} red and {white} white would give {fmt(ratio)})."


def decomposition(v: Mapping[str, float]) -> tuple[str, str]:
    """L = H(p) + KL(p‖q) with numbers that add up as shown: (latex, plain text); the
    formula on one line and its numbers on the next, to fit beside a chart."""
    latex, text = explanations.decomposition(v["L"], v["H"], v["KL"])
    return r"\begin{gathered}" + latex.replace(r":\ ", r"\\ ") + r"\end{gathered}", text


def bernoulli_reading(v: Mapping[str, float]) -> str:
    return (
        f"L = {fmt(v['L'])} nats at q = {fmt(v['q'])}; the minimum {fmt(v['H'])} is at "
        f"q = p = {fmt(v['p'])}. {decomposition(v)[1]} nats: KL(p‖q) is what the model "
        "pays on top of the floor."
    )


def gradient_reading(v: Mapping[str, float]) -> str:
    g = v["grad"]
    if abs(g) < 5e-3:
        move = "the gradient is zero: the model already says the truth."
    elif g > 0:
        move = f"a gradient step lowers z, so q falls towards p = {fmt(v['p'])}."
    else:
        move = f"a gradient step raises z, so q rises towards p = {fmt(v['p'])}."
    return f"∂L/∂z = q − p = {fmt_signed(g)} at q = {fmt(v['q'])}: {move}"


def neuron_reading(run: frames.NeuronRun, t: int, p: float) -> str:
    row = run.table.iloc[t]
    v = run.values
    text = (
        f"Step {t}: q = {fmt(row['q'])}, L = {fmt(row['loss_nats'])} nats. "
        f"After all {v['steps']} steps q = {fmt(v['q_end'])} (p = {fmt(p)}), "
        f"L = {fmt(v['loss_end'])}, the floor H(p) = {fmt(v['H'])}."
    )
    if v["diverged"]:
        text += " The run diverged: the learning rate is too large."
    elif v["loss_end"] > v["loss_start"]:
        text += " The loss went up, not down: the learning rate is too large, the steps overshoot."
    return text


def chain_lines(table, v: Mapping[str, float]) -> list[explanations.ChainRuleLine]:
    """Each weight's chain rule as shown: factors to 3 figures, their product as shown."""
    return [
        explanations.chain_rule_line(x_i, v["q"], v["one_minus_q"], v["p"], fd)
        for x_i, fd in zip(table["∂y/∂wᵢ = xᵢ"], table["finite difference"], strict=True)
    ]


CHAIN_ROWS = (
    ("∂y/∂wᵢ = xᵢ", "x"),
    ("∂q/∂y = σ′(y) = q(1 − q)", "sigma_prime"),
    ("∂L/∂q = −p/q + (1 − p)/(1 − q)", "dL_dq"),
    ("product of the three, as shown", "product"),
    ("xᵢ (q − p), the cancelled form", "exact"),
    ("finite difference", "finite_difference"),
)


def chain_table_view(table, lines: Sequence[explanations.ChainRuleLine]):
    """One row per factor, one column per weight (three columns fit a phone), each number to
    3 significant figures, so that the product row is the product of the numbers shown."""
    view = {"factor": [label for label, _ in CHAIN_ROWS]}
    for weight, line in zip(table["weight"], lines, strict=True):
        view[weight] = [getattr(line, attr) or "—" for _, attr in CHAIN_ROWS]
    return pd.DataFrame(view)


def chain_reading(v: Mapping[str, float], t: int, lines) -> str:
    first = lines[0]
    return (
        f"At step {t}: y = {fmt(v['y'])}, q = σ(y) = {fmt(v['q'])}, "
        f"σ′(y) = q(1 − q) = {first.sigma_prime}. For w₁: {first.text}"
    )


def sampler_reading(v: Mapping[str, Any]) -> str:
    return f"The box's p = {fmt(v['p'])}. " + explanations.sampler_reading(
        v["reds"], v["draws"], v["q_end"], v["steps"]
    )


# --- multiclass readings and controls ---------------------------------------------------------


def logit_sliders(state: PageState, k: int, names: Sequence[str]) -> tuple[float, ...]:
    """K logit sliders (keys z1 … zK), two to a row: on a phone, where columns stack, they
    still come in class order."""
    z = []
    for row in range(0, k, 2):
        for col, i in zip(st.columns(2), range(row, min(row + 2, k)), strict=False):
            with col:
                z.append(slider(state, f"z{i + 1}", f"z for {literal(names[i])}", -6.0, 6.0, 0.1))
    return tuple(z)


def true_class(state: PageState, names: Sequence[str]) -> int:
    return st.selectbox(
        "True class",
        list(range(len(names))),
        index=min(state.defaults["y"], len(names) - 1),
        format_func=lambda i: names[i],
        key="y",
        bind="query-params",
        help="What is really in the picture: the target t is one-hot on this class.",
    )


def names_input(state: PageState) -> str:
    return st.text_input(
        "Class names (comma-separated)",
        value=state.defaults["names"],
        max_chars=200,
        key="names",
        bind="query-params",
        help=f"One name per class, separated by commas; each name is cut to {NAME_CHARS} "
        "characters. Missing names are filled in with the defaults.",
    )


def bars_reading(v: Mapping[str, Any], names: Sequence[str]) -> str:
    Q, t = v["Q"], v["t"]
    i = names.index(v["true"])
    top = int(Q.argmax())
    text = (
        f"The model gives {literal(v['true'])} Q = {fmt(Q[i])}; the target puts {fmt(t[i])} there."
    )
    if top != i:
        text += f" Its top guess is {literal(names[top])} ({fmt(Q[top])}): wrong."
    else:
        text += " Its top guess is right."
    return text


def nll_reading(v: Mapping[str, Any]) -> str:
    text = (
        f"−log Q({literal(v['true'])}) = −log {fmt(v['q_true'])} = {fmt(v['nll'])} nats; "
        "a model sure of the truth (Q = 1) would pay 0."
    )
    if v["smoothing"] > 0:
        text += (
            f" With label smoothing ε = {fmt(v['smoothing'])} the loss is "
            f"L = −Σ t log Q = {fmt(v['L'])} nats."
        )
    else:  # the step on the true logit is Q − 1 only for a one-hot target
        text += " " + explanations.logit_slope_reading(literal(v["true"]), v["q_true"])
    return text


def grad_reading(v: Mapping[str, Any], names: Sequence[str]) -> str:
    parts = [f"{literal(n)} {fmt_signed(g)}" for n, g in zip(names, v["grad"], strict=True)]
    shown = ", ".join(parts[:5]) + (", …" if len(parts) > 5 else "")
    return (
        f"∂L/∂z = Q − t: {shown}. Negative entries get raised by a gradient step, "
        "positive ones lowered; they sum to 0."
    )


@st.cache_resource(**CACHE)
def logit_race(z0: tuple[float, ...], true_class: int, lr: float, steps: int):
    """Cross-entropy against squared error on the same logits (one-hot target)."""
    return explanations.logit_race(z0, true_class, lr=lr, steps=steps)


def logit_race_reading(z0, true_class: int, names: Sequence[str], lr: float, steps: int) -> str:
    race = logit_race(tuple(float(x) for x in z0), int(true_class), float(lr), int(steps))
    return explanations.logit_race_reading(race, literal(names[true_class]))


def units_reading(p: float) -> str:
    """H(p) in nats and in bits, with the code-length reading."""
    return explanations.entropy_units_reading(p)


def descent_reading(run: frames.LogitRun, t: int, true_name: str, i: int) -> str:
    v = run.values
    return (
        f"Step {t}: Q({literal(true_name)}) = {fmt(v['Q'][t, i])}, L = {fmt(v['loss'][t])} nats. "
        f"From Q = {fmt(v['q_true_start'])} at the start to {fmt(v['q_true_end'])} "
        f"after {v['steps']} steps (L = {fmt(v['loss_end'])})."
    )


def simplex_reading(run: frames.LogitRun, t: int, true_name: str) -> str:
    Q = run.values["Q"]
    return (
        f"Each point is one Q: a corner means certainty. The path starts at "
        f"({' / '.join(fmt(x) for x in Q[0])}) and heads for the ★ {literal(true_name)} corner; "
        f"at step {t} it is at ({' / '.join(fmt(x) for x in Q[t])})."
    )


def regression_reading(v: Mapping[str, Any]) -> str:
    return (
        f"At step {v['step']}: mean loss {fmt(v['loss_at'])} nats (from {fmt(v['loss_start'])} "
        f"= log K at the start), {v['accuracy']:.0%} of the {v['n']} points classified right."
    )


# --- loss comparison ------------------------------------------------------------------------


def loss_slug(name: str) -> str:
    """How a link and the loss's toggle name it (``losses=focal``)."""
    return BINARY_LOSSES[name].slug


def linked_losses(raw: Sequence[str]) -> tuple[set[str], int]:
    """The losses a link's ``losses`` values name (slugs, or an older link's labels or
    names), and how many of the values named one."""
    found = [loss for loss in map(find_binary_loss, raw) if loss is not None]
    return {loss.name for loss in found}, len(found)


def _older_link(raw: Sequence[str]) -> list[str] | None:
    """The link's ``losses`` values with every loss named as links written before slugs did
    (by label or registry name) put as its slug; None when no value names a loss that way.
    A value that names no loss is kept, so that the notice names it."""
    found = [find_binary_loss(v) for v in raw]
    if not any(loss is not None and v != loss.slug for v, loss in zip(raw, found, strict=True)):
        return None
    return [v if loss is None else loss.slug for v, loss in zip(raw, found, strict=True)]


def loss_picker(state: PageState) -> list[str]:
    """Which losses to compare, in registry order. The toggles show the losses' slugs, and
    Streamlit writes what a toggle shows into the link (``?losses=focal``).

    Links written before slugs named the losses by their labels (``focal+(γ+%3D+2)``) or
    names, which are no option of the toggles, so Streamlit would drop them. Such a link
    opens the page again, before the toggles are drawn, with the same query and the losses
    named by slug: the toggles then take them from the address as from any link, and the
    address bar shows the slugs (setting the bound widget through session state instead
    would leave the address bar behind).
    """
    raw = st.query_params.get_all("losses")
    older = _older_link(raw)
    if older is not None:
        query = {key: st.query_params.get_all(key) for key in st.query_params}
        st.switch_page(f"pages/{state.slug}.py", query_params={**query, "losses": older})
    picked = st.pills(
        "Losses to compare",
        list(BINARY_LOSSES),
        selection_mode="multi",
        default=state.defaults["losses"],
        format_func=loss_slug,
        key="losses",
        bind="query-params",
    )
    return [name for name in BINARY_LOSSES if name in (picked or [])]


def loss_formulas(names: Sequence[str]) -> None:
    """Each chosen loss with its gradient, as LaTeX and as plain text."""
    for name in names:
        loss = BINARY_LOSSES[name]
        formula(
            rf"\begin{{aligned}}&\text{{{loss.label}:}}\\ &{loss.latex}\\"
            rf"&{loss.grad_latex}\end{{aligned}}",
            loss.text,
        )


def comparison_loss_reading(v: Mapping[str, Any], names: Sequence[str]) -> str:
    parts = [f"{label} {fmt(L)}" for label, L in v["L"].items()]
    units = explanations.units_note(names)
    return (
        f"At the start q₀ = {fmt(v['q'], 3)} with target p = {fmt(v['p'])}: L = "
        + ", ".join(parts)
        + (f" {units}" if units else "")
        + "."
    )


def scoring_reading(p: float, names: Sequence[str]) -> str:
    """For each chosen loss, where its expected loss under p is smallest, and whether it is a
    proper scoring rule (smallest exactly at q = p for every p)."""
    return " ".join(
        explanations.scoring_reading(
            BINARY_LOSSES[name].label, scoring.expected_loss_minimiser(name, p)
        )
        for name in names
    )


def comparison_grad_reading(v: Mapping[str, Any]) -> str:
    g = v["grad"]
    parts = [f"{label} {fmt(x, 3)}" for label, x in g.items()]
    text = f"The push |∂L/∂z| at q₀ = {fmt(v['q'], 3)}: " + ", ".join(parts) + "."
    ce, se = g.get("cross-entropy"), g.get("squared error")
    if ce and se and se > 0:
        text += f" Cross-entropy pushes {ce / se:.0f}× harder than squared error here."
    return text


def race_chart(run: frames.Race, **kw):
    """q over the steps for each loss of the race, thinned to ``RACE_ROWS_PER_LOSS`` a line."""
    return charts.step_chart(
        run.q,
        y_title="prediction q",
        target=run.target,
        y_max=1.0,
        max_rows=RACE_ROWS_PER_LOSS * max(len(run.bars), 1),
        **kw,
    )


def race_reading(v: Mapping[str, Any]) -> str:
    parts = []
    for label, r in v["results"].items():
        if r["diverged"]:
            parts.append(f"{label} diverged")
        elif r.get("overshoots"):
            parts.append(f"{label} overshoots back and forth across p (η too large)")
        elif r["steps"] < 0:
            parts.append(f"{label} not within {v['steps']} steps (q = {fmt(r['q_end'])})")
        else:
            parts.append(f"{label} in {r['steps']} steps")
    return (
        f"From q₀ = {fmt(v['q0'], 3)} with η = {v['lr']:g}, reaching |q − p| ≤ {v['tol']:g}: "
        + "; ".join(parts)
        + "."
    )


def grid_reading(frames_by_loss: Mapping[str, Any], steps: int) -> str:
    parts = []
    for label, df in frames_by_loss.items():
        reached = int((df["status"] == "reached").sum())
        diverged = int((df["status"] == "diverged").sum())
        text = f"{label} reaches the threshold in {reached} of {len(df)} cells"
        if diverged:
            text += f" ({diverged} diverge)"
        parts.append(text)
    return "Within " + f"{steps} steps: " + "; ".join(parts) + "."
