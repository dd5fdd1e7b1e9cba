"""The Multiclass page's own controls: the logits, the class names and the true class.

The default class names are shown in the reader's language (Apple, Gorilla, Rappa;
りんご, ゴリラ, ラッパ): the class-names box holds them as the reader's language spells them
(the page passes ``xent.data.localized_names`` as ``respell``), and the true class keeps its
place when the language changes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

import streamlit as st

from xent import i18n
from xent.i18n import LANGUAGES, tr
from xent.pagestate import PageState
from xent.text import NAME_CHARS, class_names, names_shown
from xent.ui import address
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


def names_input(state: PageState, respell: Callable[[str], str] = str) -> str:
    """The class-names box: the names as typed, the default names in the reader's language
    (``respell``: a text that came in another language's spelling, from a language switch or
    a saved page, is respelt before the box is drawn)."""
    held = st.session_state.get("names")
    if isinstance(held, str) and respell(held) != held:
        st.session_state["names"] = respell(held)
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


def spell_link(
    arriving: bool,
    spelled: Callable[..., list[tuple[str, str]]],
    names_of: Callable[[str, int], Sequence[str]],
    script: str,
) -> None:
    """On arrival (a link or a page switch), before any control is drawn: a link whose
    ``names=`` or ``y=`` spells default class names in the other language is opened again
    (``script``, this page) with the query ``spelled(query, names_of)`` makes of it, in the
    reader's spelling (``xent.lessons.multiclass.spelled_query``, ``xent.text.class_names``):
    the controls then take the link's values."""
    if not arriving or ("names" not in st.query_params and "y" not in st.query_params):
        return
    query = [(k, v) for k in st.query_params for v in st.query_params.get_all(k)]
    respelt = spelled(query, names_of)
    if respelt != query:
        st.switch_page(script, query_params=respelt)


def link_understood(link_key: str, true_class_index: Callable[..., int | None]) -> None:
    """Before the page's notice: a link's ``y=`` that named the true class in either language's
    spelling (``true_class_index``: ``xent.lessons.multiclass.true_class_index``) was used as
    given. The notice (session key ``link_key``) spells the names as ``xent.text.names_shown``
    does, missing ones in English: ``y=凧`` would otherwise be reported as not used."""
    link = st.session_state.get(link_key)
    held = st.session_state.get("y")
    if not isinstance(link, dict) or len(link.get("y", ())) != 1 or not isinstance(held, int):
        return
    written = names_shown(st.session_state)
    given = class_names(str(st.session_state.get("names", "")), len(written))
    if true_class_index(link["y"][0], given) == held and 0 <= held < len(written):
        link["y"] = [written[held]]


@st.cache_resource(max_entries=64, show_spinner=False)
def shown_race(_run, z, y, lr, steps, language: str):
    """The race ``_run`` (``caches.logit_race_run(z, y, lr, steps)``, shared by every
    language: its series are English) with its series named in ``language``; cached by the
    run's inputs and the language."""
    if language not in LANGUAGES:
        return _run
    with i18n.using(language):
        series = _run.q_true["series"].map(tr)
    return dataclasses.replace(_run, q_true=_run.q_true.assign(series=series))


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
