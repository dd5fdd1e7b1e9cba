"""User text shown as typed, and values as a control shows them. No Streamlit here.

Text that comes from a user (a link's values, a class name, a room's question) is shown
through :func:`literal`, never as markup. Class names are data: :func:`class_names` makes
K printable, distinct names from a comma-separated text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from xent.data import CLASS_NAMES, DEFAULT_CLASSES
from xent.i18n import tr

MARKUP_CHARS = frozenset("\\`*_{}[]()#+-.!|$<>~:&^")
"""ASCII punctuation that markdown, KaTeX or Streamlit's directives could read as markup."""

WORD_JOINER = "\u2060"
"""An invisible character (screen readers skip it) that :func:`literal` puts where a
backslash escape is not enough."""

INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
)
"""Zero-width and bidirectional control characters: they reorder or hide text."""


def plain(text: str) -> str:
    """User text with line breaks, control and bidi characters turned into spaces."""
    return "".join(
        " " if (ord(c) < 32 or 127 <= ord(c) < 160 or c in INVISIBLE) else c for c in str(text)
    )


def literal(text: str) -> str:
    """User text (from a link or a text box) for anything Streamlit reads as markdown
    (``st.markdown``, captions, notices, widget labels): shown as typed, never as markup.

    Every ASCII punctuation mark markdown could read is backslash-escaped, as CommonMark
    allows (no emphasis, link, image, heading, list, code, HTML, table, KaTeX ``$``,
    ``:color[…]`` directive or ``<…>`` autolink), and an invisible word joiner breaks what
    escapes cannot (:data:`_JOINS`: no ``:material/…:`` icon, no ``:emoji:`` shortcode, no
    ``www.``, ``https://`` or e-mail autolink). Line breaks, control and bidi characters
    become spaces (:func:`plain`).
    A widget's accessible name is its label as given, escapes included: a label with user
    text is drawn through ``xent.ui.widgets.literal_label``.
    """
    joined = _JOINS.sub(WORD_JOINER, plain(text))
    return "".join("\\" + c if c in MARKUP_CHARS else c for c in joined)


_JOINS = re.compile(r"(?<=:)(?=\S)|(?<=@)(?=\w)|(?<=www)(?=\.)", re.IGNORECASE)
"""Where :func:`literal` puts a word joiner: after a colon that opens a name
(``:material/home:``, ``:smile:``, ``https://``), after an at sign before a name
(``mail@host``), and inside ``www.``: GitHub's autolinks and Streamlit's shortcodes match in
text markdown has already unescaped, where a backslash escape is gone."""


NAME_CHARS = 16
"""Longest class name kept: it must fit a bar's label and a chart legend on a phone."""


def class_names(text: str, k: int) -> tuple[str, ...]:
    """K distinct class names from a comma-separated text, padded with the defaults in the
    reader's language (りんご, ゴリラ, … in Japanese); each name is cut to ``NAME_CHARS``
    characters.

    A class name is printable text on one line: line breaks, control and bidi characters
    become spaces (runs of spaces one), so a name cannot break a chart or reorder a reading.
    Names are data: readings and labels show them through :func:`literal`."""
    given = [" ".join(n.split())[:NAME_CHARS].strip() for n in plain(text).split(",") if n.strip()]
    names: list[str] = []
    for i in range(k):
        name = given[i] if i < len(given) else tr(CLASS_NAMES[i])
        base, j = name, 2
        while name in names:
            name, j = f"{base} {j}", j + 1
        names.append(name)
    return tuple(names)


def classes_shown(values: Mapping[str, Any]) -> int:
    """The number of classes K a page's ``values`` show (``k``; the default K without it)."""
    return int(values.get("k", DEFAULT_CLASSES))


def names_shown(values: Mapping[str, Any]) -> tuple[str, ...]:
    """The class names a page's ``values`` show: its ``names`` text made into K names."""
    return class_names(values.get("names", ""), classes_shown(values))


def option_text(v: Any) -> str:
    """A control's value as its label and the address bar show it (``0.1``, not ``0.1000``)."""
    return f"{v:g}" if isinstance(v, float) else str(v)
