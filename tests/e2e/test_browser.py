"""The dashboard in a real Chromium: every page renders cleanly, at desktop and phone width, light
and dark, and its screenshots land in artifacts/screenshots/ for a human to look at.

Run alone with ``.venv/bin/python -m pytest tests/e2e -q``; ``make test`` runs it too when a
Chromium is present and says so loudly when it is not.
"""

from __future__ import annotations

import json
import subprocess
import sys
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from .helpers import (
    LOOKS,
    PAGES,
    assert_clean,
    is_dark,
    open_page,
    require_page,
    screenshot_whole_app,
    wait_for_charts,
)
from .test_deployment import arguments_of

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("look", list(LOOKS))
@pytest.mark.parametrize("path", list(PAGES), ids=lambda p: p or "home")
def test_page_renders_cleanly_light_and_dark(new_page, path: str, look: str) -> None:
    """Light, then dark after a live switch: both screenshots are always written, then every
    problem found in either is reported together."""
    require_page(path)
    page = new_page(**LOOKS[look])
    browser_errors: list[str] = []
    page.on("pageerror", lambda exc: browser_errors.append(str(exc)))
    problems: list[str] = []

    def check(when: str = "") -> None:
        try:
            assert_clean(page, when)
        except AssertionError as exc:
            problems.append(str(exc).split("\nassert")[0])

    open_page(page, path)
    screenshot_whole_app(page, f"{path or 'home'}-{look}.png")
    check()
    if path and page.locator(".katex").count() == 0:  # a content page shows its formulas
        problems.append("no formula rendered with KaTeX")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 1:
        problems.append(f"the page scrolls sideways by {overflow} px at {look} width")
    if is_dark(app_background(page)):
        problems.append("light scheme requested, dark background shown")

    # A live switch (the OS at sunset, or the app menu's theme picker) must leave every chart
    # readable too, not only a page loaded in the dark.
    page.emulate_media(color_scheme="dark")
    page.wait_for_function(
        "() => { const c = getComputedStyle(document.querySelector('[data-testid=\"stApp\"]'))"
        ".backgroundColor.match(/\\d+/g).slice(0, 3).map(Number);"
        " return c.reduce((a, b) => a + b) / 3 < 80; }"
    )
    screenshot_whole_app(page, f"{path or 'home'}-{look}-dark.png")
    check(" after a live switch to the dark scheme")
    if browser_errors:
        problems.append(f"uncaught errors in the browser: {browser_errors}")
    assert not problems, "\n".join(problems)


def app_background(page) -> str:
    return page.evaluate(
        "() => getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).backgroundColor"
    )


def test_docker_healthcheck_command_passes_against_a_live_server(server: str) -> None:
    """The Dockerfile's HEALTHCHECK one-liner, pointed at the test server, exits 0."""
    (healthcheck,) = arguments_of("HEALTHCHECK")
    argv = json.loads(healthcheck[healthcheck.index("CMD") + 3 :].strip())
    code = argv[2].replace("http://127.0.0.1:8501", server)
    assert code != argv[2]
    subprocess.run([sys.executable, "-c", code], check=True, timeout=15)
    dead = code.replace(server, "http://127.0.0.1:9")  # nothing listens on the discard port
    assert subprocess.run([sys.executable, "-c", dead], capture_output=True).returncode == 1


HOSTILE_NAMES = '<img src=x onerror="window.__xss=1">, <script>window.__xss=2</script>, **bold**'


def test_hostile_link_is_harmless(new_page) -> None:
    """Markup in a link (class names are free text) is shown as text, never run; numbers that
    make no sense fall back to the defaults with a notice, not an error box."""
    require_page("multiclass")
    page = new_page()
    query = urlencode({"names": HOSTILE_NAMES, "k": "1e999", "z1": "nan", "ls": "<b>1</b>"})
    open_page(page, "multiclass", query)  # fails on an exception box
    wait_for_charts(page)  # (layout of long names is the render test's business, not this one's)
    assert page.evaluate("() => window.__xss") is None, "markup from the URL was executed"
    assert page.locator("main img[src='x']").count() == 0, "an <img> from the URL was rendered"
    notice = page.locator('[data-testid="stAlert"]', has_text="default")
    expect(notice.first).to_be_visible()  # the unusable values are named in a short notice
