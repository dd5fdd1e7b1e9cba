"""The Multiclass page's own controls: the logits, the class names and the true class.

The default class names are shown in the reader's language (Apple, Gorilla, Rappa;
りんご, ゴリラ, ラッパ): the class-names box holds them as the reader's language spells them,
and a link's ``names=`` and ``y=`` may spell them in either language (:func:`spell_link`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import streamlit as st

from xent import caches, data, i18n, navigation
from xent.data import DEFAULT_CLASSES, MAX_CLASSES
from xent.i18n import tr
from xent.lessons import multiclass as lesson
from xent.pagestate import PageState
from xent.text import NAME_CHARS, names_shown
from xent.ui import address
from xent.ui.state import CURRENT_PAGE, LINK
from xent.ui.widgets import slider

SHOWN_IN = "_multiclass_language"
"""Session key: the language the page's class names were last shown in."""


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
                label = tr("z for {name}", name=names[i])
                z.append(slider(state, f"z{i + 1}", label, -6.0, 6.0, 0.1, user_text=True))
    return tuple(z)


def true_class(state: PageState, names: Sequence[str]) -> int:
    """The true class, by index; a true class beyond the K classes (K lowered) goes back to
    the page's default, in the screen, the address and the link alike."""
    default = min(state.defaults["y"], len(names) - 1)
    held = st.session_state.get("y")
    if held is not None and not (isinstance(held, int) and 0 <= held < len(names)):
        st.session_state["y"] = default
    elif isinstance(held, int) and _language_changed():
        # The browser re-sends the option's label in the language it was shown in, which no
        # option has any more: the class stays by its index, as after a change of names.
        st.session_state["y"] = held
    address.keep("y", default, lambda i: [names[i]])
    value = st.selectbox(
        tr("True class"),
        list(range(len(names))),
        index=default,
        format_func=lambda i: names[i],
        key="y",
        on_change=address.moved("y"),
        bind="query-params",
        help=tr("What is really in the picture: the target t is one-hot on this class."),
    )
    st.session_state[SHOWN_IN] = i18n.language()
    address.resend("y")
    return value


def names_input(state: PageState) -> str:
    """The class-names box: the names as typed, the default names in the reader's language
    (a text that came in another language's spelling is respelt before the box is drawn)."""
    held = st.session_state.get("names")
    if isinstance(held, str) and data.localized_names(held) != held:
        st.session_state["names"] = data.localized_names(held)
    address.keep("names", state.defaults["names"], lambda text: [text])
    names = st.text_input(
        tr("Class names (comma-separated)"),
        value=state.defaults["names"],
        max_chars=200,
        key="names",
        bind="query-params",
        on_change=address.moved("names", _keep_true_class),
        help=tr(
            "One name per class, separated by commas; each name is cut to {name_chars} "
            "characters. Missing names are filled in with the defaults.",
            name_chars=NAME_CHARS,
        ),
    )
    address.resend("names")
    return names


def _language_changed() -> bool:
    shown_in = st.session_state.get(SHOWN_IN)
    return shown_in is not None and shown_in != i18n.language()


def spell_link(state: PageState) -> None:
    """Open a link whose ``names=`` or ``y=`` spells default class names in another language
    than the reader's again, spelt in the reader's: ``y=Gorilla`` opens in Japanese as
    ``y=ゴリラ`` (the option the true-class box shows), ``names=りんご, Pear`` in English as
    ``names=Apple, Pear``. Runs first on the page, on arrival only (a link or a page switch),
    before any control is drawn, so the link's values are what the page then reads.
    """
    if st.session_state.get(CURRENT_PAGE) == state.slug:
        return
    query = [(k, v) for k in st.query_params for v in st.query_params.get_all(k)]
    given = dict(query)
    if "names" not in given and "y" not in given:
        return
    names_text = data.localized_names(given.get("names", state.defaults["names"]))
    spelled = []
    for key, value in query:
        if key == "names":
            value = data.localized_names(value)
        elif key == "y":
            k = _classes(given.get("k"))
            shown = lesson.class_names(names_text, k)
            if value not in shown:
                index = lesson.true_class_index(value, names_text, k)
                value = shown[index] if index is not None else value
        spelled.append((key, value))
    if spelled != query:
        st.switch_page(navigation.lesson(state.slug).script, query_params=spelled)


def link_understood() -> None:
    """Before the page's notice: a link's ``y=`` that named the true class in any spelling of
    its name (either language's, :func:`spell_link`) was used as given. The notice compares
    the link with the names as ``xent.text.names_shown`` spells them, which fills in missing
    names in English: ``y=凧`` would otherwise be reported as not used."""
    link = st.session_state.get(LINK)
    if not isinstance(link, dict) or len(link.get("y", ())) != 1:
        return
    held = st.session_state.get("y")
    if not isinstance(held, int):
        return
    names_text = str(st.session_state.get("names", ""))
    k = _classes(str(st.session_state.get("k", DEFAULT_CLASSES)))
    if lesson.true_class_index(link["y"][0], names_text, k) == held:
        shown = names_shown(st.session_state)
        if 0 <= held < len(shown):
            link["y"] = [shown[held]]


def _classes(asked: str | None) -> int:
    """K as a link's ``k=`` asks for it (the default when it cannot be read), within range."""
    try:
        k = int(float(asked)) if asked is not None else DEFAULT_CLASSES
    except (TypeError, ValueError, OverflowError):
        k = DEFAULT_CLASSES
    return min(max(k, 2), MAX_CLASSES)


@st.cache_resource(max_entries=64, show_spinner=False)
def logit_race_run(z, y, lr, steps, language: str) -> lesson.LogitRaceRun:
    """``caches.logit_race_run`` with its series named in ``language`` (the shared run keeps
    its English names; each language's copy is cached beside it)."""
    run = caches.logit_race_run(z, y, lr, steps)
    with i18n.using(language):
        series = run.q_true["series"].map(tr)
    return dataclasses.replace(run, q_true=run.q_true.assign(series=series))


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
