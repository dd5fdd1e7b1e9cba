"""A lesson page's state as plain data: its URL keys with their defaults, presets and docs.

Each lesson module declares its page's ``STATE`` (``xent.lessons.bernoulli.STATE``, …);
its entry in the page registry (``xent.navigation``) carries it; ``xent.ui`` derives the
widgets, the address bar, the Share link and the notice from it, and
the README's URL tables are checked against it. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["PageState"]


@dataclass(frozen=True)
class PageState:
    """A page's URL keys with their defaults, and its named presets (partial settings)."""

    slug: str
    defaults: Mapping[str, Any]
    presets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    docs: Mapping[str, str] = field(default_factory=dict)
