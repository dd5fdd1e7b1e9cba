"""The notice: values of the opened link a control could not take, and values clamped into a
control's range, named as literal text (what was asked, and what the page shows instead)."""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

from xent.i18n import tr
from xent.text import class_names, classes_shown, literal, names_shown, option_text
from xent.ui.state import CLAMPED, LINK, linked_losses, loss_slug


def url_notice(placeholder) -> None:
    """Say which values of the link that opened the page were not used as given, and which
    values a control could not take (out of its range): what was asked, and what the page
    shows instead. Only the run that opened the link can have link values: a later rerun
    (a move, a preset, Reset, a playback, a page switch) never shows this notice again."""
    link = st.session_state.pop(LINK, {})
    bad = [
        tr(
            "{key}={asked} (shown: {shown})",
            key=key,
            asked=_asked(values),
            shown=_shown(key, st.session_state[key]),
        )
        for key, values in link.items()
        if key in st.session_state and not _same(key, values, st.session_state[key])
    ]
    clamped = st.session_state.pop(CLAMPED, {})
    moved = [
        tr(
            "{key}={asked} (shown: {shown})",
            key=key,
            asked=str(asked)[:20],
            shown=_shown(key, shown),
        )
        for key, (asked, shown) in clamped.items()
        if key not in link
    ]
    parts = []
    if bad:
        parts.append(
            tr(
                "This link had values the page cannot use as given, so these controls show "
                "their defaults or the nearest value they can take: {values}.",
                values=literal(", ".join(bad)),
            )
        )
    if moved:
        parts.append(
            tr(
                "These values were outside their control's range: {values}.",
                values=literal(", ".join(moved)),
            )
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
        names = names_shown(st.session_state)
        if isinstance(value, int) and 0 <= value < len(names):
            return names[value]
        return str(value)
    if key == "names":
        shown = ", ".join(class_names(str(value), classes_shown(st.session_state)))
        return shown if len(shown) <= 60 else shown[:59] + "…"
    if isinstance(value, list | tuple):
        return ", ".join(loss_slug(v) for v in value) or tr("none")
    return option_text(value)


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
        k = classes_shown(st.session_state)
        given = [n.strip() for n in text.split(",") if n.strip()][:k]
        return list(class_names(text, k)[: len(given)]) == given
    if key == "y":  # the true class travels by name
        names = names_shown(st.session_state)
        return 0 <= int(value) < len(names) and names[int(value)] == text
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return math.isclose(float(text), float(value), rel_tol=1e-9, abs_tol=1e-12)
        except ValueError:
            return False
    return str(value) == text
