"""A throwaway lesson page, registered only in tests, that proves a page is declared once.

With ``XENT_THROWAWAY_PAGE=1`` in the environment, ``tests/conftest.py`` calls
:func:`register` before collection: the page gets one :class:`~xent.navigation.PageEntry`
(with its :class:`~xent.pagestate.PageState`), nothing else, and every generic suite (AppTest's
tables, Home's cards, class mode's page list, the URL fuzz, the README check, the browser
tables) must pick it up from the registry alone.
``tests/test_throwaway_page.py`` runs those suites that way.
"""

from __future__ import annotations

from xent import navigation
from xent.pagestate import PageState

ENV = "XENT_THROWAWAY_PAGE"
"""The environment variable that registers the page (read by ``tests/conftest.py``)."""
SLUG = "throwaway"

STATE = PageState(
    slug=SLUG,
    defaults={"p": 0.3, "steps": 20},
    presets={"Start (default)": {}, "Even odds": {"p": 0.5}},
    docs={"p": "target probability p", "steps": "points drawn"},
)
ENTRY = navigation.PageEntry(
    "tests/pages/throwaway_page.py",
    SLUG,
    "Throwaway",
    ":material/science:",
    "A page that exists only in the tests: one registry entry, its state in it.",
    STATE,
)


def register() -> None:
    """Declare the page the way a real one is declared: one entry in the page registry."""
    if ENTRY not in navigation.LESSONS:
        navigation.LESSONS.append(ENTRY)
