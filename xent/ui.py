"""Streamlit helpers shared by the pages: URL-bound controls, presets, formatting, readings.

Every control that changes what a page shows is bound to a URL query parameter
(``bind="query-params"``; the widget key is the parameter name), so a copied link opens
with the same settings. Streamlit leaves a parameter out of the URL while its widget sits
at its default, and ignores values that do not fit the widget (text, NaN, out of range),
falling back to the default. Presets and "Reset to defaults" write the same keys through
``st.session_state`` in a callback, which moves the URL along with them.

Each page's defaults and presets are plain data (``xent.pagestate.PageState``), declared as
``STATE`` in its lesson module and collected in ``PAGE_STATES`` here, so tests and the
README can read them. A link value a control cannot use is named in a short notice
(``url_notice``) instead of failing silently.

Pages draw each section as an ``st.fragment``; ``player`` adds play / step to a section's
step scrubber: the browser moves the marker, and a one-shot timer (``play_interval``) reruns
only that fragment when the run ends (``xent.player``).

Heavy work runs through the bounded ``st.cache_resource`` caches of ``xent.caches``; the
chart builders in ``xent.charts`` write plain Vega-Lite, drawn here by ``chart`` from a
finished spec (``finished_chart``).
"""

from __future__ import annotations

import contextlib
import functools
import math
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from xent import address, charts, navigation
from xent.data import CLASS_NAMES
from xent.lessons import bernoulli, comparison
from xent.lessons import multiclass as multiclass_lesson
from xent.losses import BINARY_LOSSES, find_binary_loss
from xent.pagestate import PageState
from xent.player import PLAY_INTERVAL, Player, scrubber  # noqa: F401  (pages use ui.*)

LR_OPTIONS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
TOL_OPTIONS = (0.01, 0.02, 0.05, 0.1, 0.2)


# --- page state: defaults, presets, URL -----------------------------------------------------


BERNOULLI = bernoulli.STATE
MULTICLASS = multiclass_lesson.STATE
COMPARISON = comparison.STATE


PAGE_STATES: dict[str, PageState] = {s.slug: s for s in (BERNOULLI, MULTICLASS, COMPARISON)}
"""Every lesson page's state by its slug (its URL path)."""

SCRUBBERS = ("t", "rt")

SCRUBBER_RUNS = {"t": "steps", "rt": "rsteps"}
"""The run length each scrubber is bounded by; ``rt`` starts at the run's default end."""


LESSON_KEYS = frozenset(
    key for page in PAGE_STATES.values() for key in (*page.defaults, *SCRUBBER_RUNS)
)
"""Every URL key of a lesson page."""

LINK = "_link"
"""Session key: the values of the link that opened the session (raw, as in the address),
kept until the end of that first full run, where :func:`url_notice` checks them."""

CURRENT_PAGE = "_page"
"""Session key: the slug of the lesson page that ran last in this session."""


def _saved_key(slug: str) -> str:
    return f"_saved_{slug}"


def enter_page(state: PageState) -> None:
    """Give the page its own values when the session arrives from another page.

    The pages share URL keys (``p``, ``steps``, ``t``, ``n``, ``lr``, ``seed``) with
    different meanings and ranges. On a switch the page left behind keeps its values aside
    (they come back when the student returns) and this page starts from its own saved
    values or its defaults, never from the other page's. A first visit (a link) keeps the
    link's values.

    What Streamlit 1.67 does on a switch (its ``bind="query-params"`` behaviour, read in its
    source): a parameter bound to a widget of the page left behind is dropped from the
    address before this page's widgets are seeded, so the values set here win. A plain
    ``st.rerun()`` must not follow: it reruns with the unfiltered address of the page left
    behind, and every shared key would leak into this page's widgets
    (``tests/e2e/test_page_switch.py``). A lesson key that arrives unfiltered all the same
    (AppTest does not filter; a key no widget was bound to) is removed by opening this page
    again with ``st.switch_page(..., query_params=...)``, the public way to set the address
    a run starts from.
    """
    previous = st.session_state.get(CURRENT_PAGE)
    st.session_state[CURRENT_PAGE] = state.slug
    if previous is None:  # the session opened this page: its address is a link
        st.session_state[LINK] = {
            key: st.query_params.get_all(key)
            for key in (*state.defaults, *SCRUBBERS)
            if key in st.query_params
        }
    if previous is None or previous == state.slug:
        return
    left = PAGE_STATES.get(previous)
    if left is not None:
        st.session_state[_saved_key(previous)] = {
            key: st.session_state[key]
            for key in (*left.defaults, *SCRUBBERS)
            if key in st.session_state and (key in left.defaults or key in left.docs)
        }
    saved = st.session_state.get(_saved_key(state.slug), {})
    _apply(state, saved)
    carried = [key for key in st.query_params if key in LESSON_KEYS]
    if carried:  # not filtered (see above): open this page again without them
        kept = [
            (k, v) for k in st.query_params if k not in carried for v in st.query_params.get_all(k)
        ]
        script = next(e.script for e in navigation.LESSONS if e.url_path == state.slug)
        st.switch_page(script, query_params=kept)
    # Streamlit writes a value set in code to the address only for a key it saw in the
    # last run; a scrubber's key was dropped on the other page, so its value goes back
    # into the address here (it is not bound yet: the widget binds it later in this run).
    for key, value in share_query(state, saved):
        if key in SCRUBBERS and not st.query_params.get(key):
            with contextlib.suppress(StreamlitAPIException):  # still bound: Streamlit writes it
                st.query_params[key] = value


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
    """Set every control of the page: ``values`` where given, the defaults elsewhere.

    A scrubber of the page not in ``values`` goes back to where the page starts it (set, not
    dropped: a dropped key would let the browser's old step win); every playback stops.
    """
    for key, default in state.defaults.items():
        st.session_state[key] = values.get(key, default)
    for key in SCRUBBERS:
        if key in values:
            st.session_state[key] = values[key]
        elif key in st.session_state:  # this page's scrubber: back to where the page starts it
            st.session_state[key] = scrubber_start(state, key)
        stop_playback(key)


def _reset(state: PageState) -> None:
    """Reset to defaults: every control of the page back where the page starts it."""
    address.touched()
    _apply(state, {})


def scrubber_start(state: PageState, key: str) -> int:
    """Where scrubber ``key`` starts on a page opened without it: step 0, except ``rt``,
    which starts at the end of its run (the trained model)."""
    return int(state.defaults.get(SCRUBBER_RUNS[key], 0)) if key == "rt" else 0


def stop_playback(key: str) -> None:
    """Stop the player of scrubber ``key`` (a preset, Reset or page switch ends a playback)."""
    Player(key).stop()


def _on_preset(state: PageState) -> None:
    address.touched()
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
            query += [(key, loss_slug(v)) for v in value] or [(key, "")]  # none: ?losses=
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
        if isinstance(value, int) and 0 <= value < len(names):
            return names[value]
        return str(value)
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
    from xent.predict import gate  # predict-then-reveal: ask= hides the lesson until a guess

    st.session_state.pop(CLAMPED, None)
    st.title(title)
    gate(state)
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
            on_click=_reset,
            args=(state,),
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


@st.dialog("Share this view")
def share_dialog(state: PageState) -> None:
    """The link, built when the dialog opens from the page's current values, so it is never
    stale (a section rerun or a playback since the last full run moves it along)."""
    st.markdown(
        "This link opens the page with every setting you see now, step scrubbers "
        "included. Copy it with the button at its right:"
    )
    from xent.predict import share_option  # "Ask a question first": the link gains ask=

    share_option(state, _share_url(state))  # draws the link (st.code), then the question


def url_notice(placeholder) -> None:
    """Say which values of the link that opened the page were not used as given, and which
    values a control could not take (out of its range): what was asked, and what the page
    shows instead. Only the run that opened the link can have link values: a later rerun
    (a move, a preset, Reset, a playback, a page switch) never shows this notice again."""
    link = st.session_state.pop(LINK, {})
    bad = [
        f"{key}={_asked(values)} (shown: {_shown(key, st.session_state[key])})"
        for key, values in link.items()
        if key in st.session_state and not _same(key, values, st.session_state[key])
    ]
    clamped = st.session_state.pop(CLAMPED, {})
    moved = [
        f"{key}={str(asked)[:20]} (shown: {_shown(key, shown)})"
        for key, (asked, shown) in clamped.items()
        if key not in link
    ]
    parts = []
    if bad:
        parts.append(
            "This link had values the page cannot use as given, so these controls show their "
            f"defaults or the nearest value they can take: {literal(', '.join(bad))}."
        )
    if moved:
        parts.append(
            f"These values were outside their control's range: {literal(', '.join(moved))}."
        )
    if parts:
        placeholder.info(" ".join(parts), icon=":material/link_off:")


ASKED_CHARS = 40
"""Longest link value the notice repeats (a longer one is cut, with an ellipsis)."""


def _asked(values: list[str]) -> str:
    """A link's value(s) of one key, cut short for the notice."""
    text = values[0] if len(values) == 1 else ", ".join(values)
    return text if len(text) <= ASKED_CHARS else text[: ASKED_CHARS - 1] + "…"


def _shown(key: str, value: Any) -> str:
    """What the control of ``key`` shows for ``value``, as the student reads it."""
    if key == "y":
        names = class_names(st.session_state.get("names", ""), int(st.session_state.get("k", 3)))
        if isinstance(value, int) and 0 <= value < len(names):
            return names[value]
        return str(value)
    if key == "names":
        shown = ", ".join(class_names(str(value), int(st.session_state.get("k", 3))))
        return shown if len(shown) <= 60 else shown[:59] + "…"
    if isinstance(value, list | tuple):
        return ", ".join(loss_slug(v) for v in value) or "none"
    return _fmt_option(value)


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
        asked = [text for text in raw if text]  # a blank value (``losses=``) asks for none
        if key == "losses":  # the link names losses by slug (older links: label or name)
            return linked_losses(asked) == (set(value), len(asked))
        return set(map(str, value)) == set(asked)
    if len(raw) != 1:
        return False
    text = raw[0]
    if key == "names":  # used as given only if every name given is shown as typed
        k = int(st.session_state.get("k", 3))
        given = [n.strip() for n in text.split(",") if n.strip()][:k]
        return list(class_names(text, k)[: len(given)]) == given
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
    address.keep(key, state.defaults[key], lambda v: [(fmt or _fmt_option)(v)])
    value = st.select_slider(
        label,
        options=list(options),
        value=state.defaults[key],
        format_func=fmt or _fmt_option,
        key=key,
        help=help,
        on_change=address.moved(key),
        bind="query-params",
    )
    address.resend(key)
    return value


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


def with_playback(spec: dict, key: str) -> dict:
    """A finished step chart with the marker of scrubber ``key``'s running playback moving
    in the browser (:mod:`xent.animation`); the chart itself when nothing plays."""
    from xent import animation  # here, not at the top: keeps this edit inside the play lines

    return animation.with_playback(spec, Player(key).window())


def played_step_chart(frame, key: str, step: int, **options) -> dict:
    """``charts.step_chart`` of ``frame`` with its marker at step ``step`` of scrubber ``key``,
    from the finished-spec cache, its marker walking in the browser while ``key`` plays."""
    return with_playback(finished_chart(charts.step_chart, frame, marker_step=step, **options), key)


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


READING = "**Reading:**"
"""What starts every reading under a chart: a word a screen reader says as it is (an icon
before the text was announced by its name, "visibility"), and what tests find readings by."""


def reading(text: str) -> None:
    """The one-line reading under a chart."""
    st.markdown(f"{READING} {text}")


def chart(figure: charts.Chart | dict, alt_text: str, reading_text: str | None = None) -> None:
    """Draw a chart at container width with its text alternative and its reading.

    ``figure`` is a ``charts.Chart``, or a finished spec from :func:`finished_chart`.
    """
    from xent import speed  # here, not at the top: keeps this edit inside chart() (issue 9)

    # Frames go as Arrow bytes through xent.speed's cache: an unchanged frame (the cached
    # curves, runs and grids) is converted once per process, not on every rerun.
    spec = figure if isinstance(figure, dict) else speed.arrow_ready(figure.streamlit_spec())
    st.vega_lite_chart(spec=spec, width="stretch", alt=alt_text)
    if reading_text:
        reading(reading_text)


def finished_chart(builder, /, *args, **kwargs) -> dict:
    """``builder(*args, **kwargs)`` as a finished spec for :func:`chart`, built once per process
    for the same inputs: numbers and strings by value, frames and views from the cached
    functions by identity (``xent.speed.SpecCache``). A hit skips the chart's construction
    and its Arrow conversion, e.g.
    ``chart(finished_chart(charts.curves_chart, view, height=290), alt, reading)``.
    """
    from xent import speed

    return speed.SPECS.finished(builder, *args, **kwargs)


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


# --- multiclass readings and controls ---------------------------------------------------------


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
                z.append(slider(state, f"z{i + 1}", f"z for {literal(names[i])}", -6.0, 6.0, 0.1))
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
    address.keep("losses", list(state.defaults["losses"]), _loss_values)
    picked = st.pills(
        "Losses to compare",
        list(BINARY_LOSSES),
        selection_mode="multi",
        default=state.defaults["losses"],
        format_func=loss_slug,
        key="losses",
        on_change=address.moved("losses"),
        bind="query-params",
    )
    address.resend("losses")
    return [name for name in BINARY_LOSSES if name in (picked or [])]


def _loss_values(names: Sequence[str]) -> list[str]:
    """The address values of a list of losses: their slugs, or one blank value for none
    (``?losses=``: an empty selection, not the default)."""
    return [loss_slug(name) for name in names] or [""]


def loss_formulas(names: Sequence[str]) -> None:
    """Each chosen loss with its gradient, as LaTeX and as plain text."""
    for name in names:
        loss = BINARY_LOSSES[name]
        formula(
            rf"\begin{{aligned}}&\text{{{loss.label}:}}\\ &{loss.latex}\\"
            rf"&{loss.grad_latex}\end{{aligned}}",
            loss.text,
        )
