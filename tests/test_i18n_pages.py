"""Every page in Japanese: opened with ``lang=ja``, no English sentence is left on it.

Each page is run through AppTest at its defaults and at a few other states (a preset, the
extremes a link can produce); everything a reader sees (``i18n_support.page_text``: text,
labels, help, options, chart titles, axes, legends, alt text) must hold no English word of four
or more letters that is not a symbol, a unit or the app's name. The same page in English
must show English (the check is not vacuous).
"""

from __future__ import annotations

import pytest
from i18n_support import english_left, page_text
from test_app import open_page

PAGES = ("bernoulli", "multiclass", "loss-comparison")
STATES = {
    "bernoulli": ({}, {"q": "0", "red": "0"}, {"q": "1", "red": "10", "white": "0"}),
    "multiclass": ({}, {"k": "2"}, {"k": "8", "ls": "0.3"}),
    "loss-comparison": ({}, {"losses": ""}, {"p": "1", "lr": "5"}),
}


def _japanese(page: str | None, query: dict[str, str]) -> str:
    return page_text(open_page(page, {"lang": "ja", **query}))


def test_home_in_japanese_has_no_english_left() -> None:
    assert english_left(_japanese(None, {})) == []


@pytest.mark.parametrize("page", PAGES)
def test_a_page_in_japanese_has_no_english_left(page: str) -> None:
    left = {}
    for query in STATES[page]:
        words = english_left(_japanese(page, query))
        if words:
            left[str(query)] = sorted(set(words))
    assert not left, left


@pytest.mark.parametrize("page", PAGES)
def test_the_same_page_in_english_is_english(page: str) -> None:
    assert len(english_left(page_text(open_page(page, {"lang": "en"})))) > 50
