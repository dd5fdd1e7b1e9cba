"""Page state and the URL: a page's values on entry, a page switch, presets, the Share query.

Every control that changes what a page shows is bound to a URL query parameter
(``bind="query-params"``; the widget key is the parameter name), so a copied link opens
with the same settings. Streamlit leaves a parameter out of the URL while its widget sits
at its default, and ignores values that do not fit the widget (text, NaN, out of range),
falling back to the default. Presets and "Reset to defaults" write the same keys through
``st.session_state`` in a callback, which moves the URL along with them.

Each page's defaults and presets are plain data (``xent.pagestate.PageState``), declared as
``STATE`` in its lesson module and carried by its entry in the page registry
(``xent.navigation``), so tests and the README read them from there.
"""

from __future__ import annotations

import contextlib
import math
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from xent import language, navigation
from xent.losses import BINARY_LOSSES, find_binary_loss
from xent.pagestate import PageState
from xent.text import names_shown, option_text
from xent.ui import address
from xent.ui.player import Player

SCRUBBERS = ("t", "rt")

SCRUBBER_RUNS = {"t": "steps", "rt": "rsteps"}
"""The run length each scrubber is bounded by; ``rt`` starts at the run's default end."""


def lesson_keys() -> frozenset[str]:
    """Every URL key of a lesson page (of the registry's lessons, scrubbers included)."""
    return frozenset(
        key
        for page in navigation.page_states().values()
        for key in (*page.defaults, *SCRUBBER_RUNS)
    )


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
        _open_spelled_as_the_page_writes(state)
    if previous is None or previous == state.slug:
        return
    left = navigation.page_states().get(previous)
    if left is not None:
        st.session_state[_saved_key(previous)] = {
            key: st.session_state[key]
            for key in (*left.defaults, *SCRUBBERS)
            if key in st.session_state and (key in left.defaults or key in left.docs)
        }
    saved = st.session_state.get(_saved_key(state.slug), {})
    apply_values(state, saved)
    carried = [key for key in st.query_params if key in lesson_keys()]
    if carried:  # not filtered (see above): open this page again without them
        kept = [
            (k, v) for k in st.query_params if k not in carried for v in st.query_params.get_all(k)
        ]
        st.switch_page(navigation.lesson(state.slug).script, query_params=kept)
    # Streamlit writes a value set in code to the address only for a key it saw in the
    # last run; a scrubber's key was dropped on the other page, so its value goes back
    # into the address here (it is not bound yet: the widget binds it later in this run).
    for key, value in share_query(state, saved):
        if key in SCRUBBERS and not st.query_params.get(key):
            with contextlib.suppress(StreamlitAPIException):  # still bound: Streamlit writes it
                st.query_params[key] = value


def canonical(text: str) -> str:
    """A link's number as the page writes it (``1e-1``, ``.1``, ``+0.1``, ``0.10`` -> ``0.1``;
    ``3.0``, ``3e0`` -> ``3``); any other text as it is."""
    try:
        number = float(text)
    except ValueError:
        return text
    return address.url_number(number) if math.isfinite(number) else text


def _open_spelled_as_the_page_writes(state: PageState) -> None:
    """A link's numbers are read by their value, not their spelling, the same for every
    control: a link that spells a number otherwise than the page writes it is opened again,
    before any control is drawn, with every number spelled as the page writes it. A fixed
    option (η, the threshold, the logit size) then takes ``lr=3.0`` as the option 3, and the
    address says what the Share link says (``p=1e-1`` stayed in the address, shared as
    ``p=0.1``)."""
    numeric = [key for key in (*state.defaults, *SCRUBBERS) if key not in ("names", "y", "losses")]
    query = [(k, v) for k in st.query_params for v in st.query_params.get_all(k)]
    spelled = [(k, canonical(v) if k in numeric else v) for k, v in query]
    if spelled != query:
        st.switch_page(navigation.lesson(state.slug).script, query_params=spelled)


def clamp(key: str, lo, hi, default):
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


def apply_values(state: PageState, values: Mapping[str, Any]) -> None:
    """Set every control of the page: ``values`` where given, the defaults elsewhere.

    A scrubber of the page not in ``values`` goes back to where the page starts it (set, not
    dropped: a dropped key would let the browser's old step win); every playback stops.
    """
    address.touched()  # a preset, Reset or page switch: the run sends the address once more
    for key, default in state.defaults.items():
        st.session_state[key] = values.get(key, default)
    for key in SCRUBBERS:
        if key in values:
            st.session_state[key] = values[key]
        elif key in st.session_state:  # this page's scrubber: back to where the page starts it
            st.session_state[key] = scrubber_start(state, key)
        stop_playback(key)


def scrubber_start(state: PageState, key: str) -> int:
    """Where scrubber ``key`` starts on a page opened without it: step 0, except ``rt``,
    which starts at the end of its run (the trained model)."""
    return int(state.defaults.get(SCRUBBER_RUNS[key], 0)) if key == "rt" else 0


def stop_playback(key: str) -> None:
    """Stop the player of scrubber ``key`` (a preset, Reset or page switch ends a playback)."""
    Player(key).stop()


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
            shown = int(values[key])
            if shown != min(scrubber_start(state, key), int(current[run])):
                query.append((key, str(shown)))
    return query


def share_url(state: PageState) -> str:
    """The page's address (scheme and host from the browser) with :func:`share_query`, and
    ``lang=`` when the link should open in the language shown (``language.query``)."""
    query = share_query(state, st.session_state) + language.query()
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
        names = names_shown(values)
        if isinstance(value, int) and 0 <= value < len(names):
            return names[value]
        return str(value)
    if isinstance(value, float):  # every digit the page uses (0.123456789, not 0.123457)
        return address.url_number(value)
    return option_text(value)


def loss_slug(name: str) -> str:
    """How a link and the loss's toggle name it (``losses=focal``)."""
    return BINARY_LOSSES[name].slug


def linked_losses(raw: Sequence[str]) -> tuple[set[str], int]:
    """The losses a link's ``losses`` values name (slugs, or an older link's labels or
    names), and how many of the values named one."""
    found = [loss for loss in map(find_binary_loss, raw) if loss is not None]
    return {loss.name for loss in found}, len(found)
