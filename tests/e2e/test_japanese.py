"""The app in Japanese, in a real Chromium (issue 25): a browser whose locale is Japanese gets
Japanese without asking, the switch turns it to English keeping every setting, and every page
in Japanese is clean (no exception, charts and formulas drawn), fits a phone and a projector
without sideways scrolling, passes axe-core light and dark, and its Share link keeps the
language. Screenshots: artifacts/screenshots/ja-*.png."""

from __future__ import annotations

import re
import urllib.parse

import pytest

from xent import i18n
from xent.i18n import tr

from .helpers import PAGES, assert_clean, open_page, screenshot_whole_app, settle
from .test_a11y import _RUN_EVERY_DEFAULT_RULE_JS, KNOWN_PAGE_FIX, VIEWPORTS, _describe

pytestmark = pytest.mark.browser

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
"""Hiragana, katakana or a kanji."""


def _ja(text: str) -> str:
    with i18n.using("ja"):
        return tr(text)


def _heading(page) -> str:
    return page.locator('[data-testid="stMain"] h1').first.inner_text()


def _chosen(page) -> str:
    return page.locator('button[role="radio"][aria-checked="true"]').first.inner_text()


def test_a_japanese_browser_opens_in_japanese_and_the_switch_keeps_the_settings(new_page):
    page = new_page(width=1280, height=720, locale="ja-JP")
    open_page(page, "bernoulli", "q=0.3")
    assert _chosen(page) == "日本語"
    assert JAPANESE.search(_heading(page)), _heading(page)
    page.get_by_role("radio", name="English").click()
    settle(page)
    page.wait_for_function("() => location.search.includes('lang=en')")
    assert _chosen(page) == "English"
    assert not JAPANESE.search(_heading(page)), _heading(page)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert query["q"] == ["0.3"]
    assert query["lang"] == ["en"]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("path", [*PAGES, "class"], ids=lambda p: p or "home")
def test_every_page_in_japanese_is_clean_fits_and_passes_axe(new_page, axe_source, path, viewport):
    width, height = VIEWPORTS[viewport]
    page = new_page(width=width, height=height)
    open_page(page, path, "lang=ja")
    problems = []
    try:
        assert_clean(page)
    except AssertionError as exc:
        problems.append(str(exc).split("\nassert")[0])
    if not JAPANESE.search(_heading(page)):
        problems.append(f"the heading is not Japanese: {_heading(page)!r}")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 1:
        problems.append(f"the page scrolls sideways by {overflow} px")
    page.add_script_tag(content=axe_source)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.wait_for_timeout(300)
        screenshot_whole_app(page, f"ja-{path or 'home'}-{viewport}-{scheme}.png")
        found = [v for v in page.evaluate(_RUN_EVERY_DEFAULT_RULE_JS) if v["id"] != KNOWN_PAGE_FIX]
        if found:
            problems.append(f"{scheme}: {_describe(found)}")
    assert not problems, "\n".join(problems)


def test_a_share_link_made_in_japanese_opens_in_japanese(new_page):
    page = new_page(width=1280, height=720)
    open_page(page, "multiclass", "lang=ja&k=4")
    page.get_by_role("button", name=_ja("Share this view")).click()
    code = page.get_by_role("dialog").locator("code").first
    code.wait_for()
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(code.inner_text().strip()).query)
    assert query["lang"] == ["ja"]
    assert query["k"] == ["4"]
