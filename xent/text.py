"""User text shown as typed, and values as a control shows them. No Streamlit here.

Text that comes from a user (a link's values, a class name, a room's question) is shown
through :func:`literal`, never as markup. Class names are data: :func:`class_names` makes
K printable, distinct names from a comma-separated text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from xent.data import CLASS_NAMES, DEFAULT_CLASSES

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


def classes_shown(values: Mapping[str, Any]) -> int:
    """The number of classes K a page's ``values`` show (``k``; the default K without it)."""
    return int(values.get("k", DEFAULT_CLASSES))


def names_shown(values: Mapping[str, Any]) -> tuple[str, ...]:
    """The class names a page's ``values`` show: its ``names`` text made into K names."""
    return class_names(values.get("names", ""), classes_shown(values))


def option_text(v: Any) -> str:
    """A control's value as its label and the address bar show it (``0.1``, not ``0.1000``)."""
    return f"{v:g}" if isinstance(v, float) else str(v)
