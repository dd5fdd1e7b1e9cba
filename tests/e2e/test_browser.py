"""The dashboard in a real Chromium: every page renders cleanly, at desktop and phone width, light
and dark, and its screenshots land in artifacts/screenshots/ for a human to look at.

Run alone with ``.venv/bin/python -m pytest tests/e2e -q``; ``make test`` runs it too when a
Chromium is present and says so loudly when it is not.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import ROOT, SCREENSHOTS
from .test_deployment import arguments_of

pytestmark = pytest.mark.browser

# URL path -> the script that draws it (the URL paths are what teachers share: keep them stable).
PAGES = {
    "": "streamlit_app.py",
    "bernoulli": "pages/bernoulli.py",
    "multiclass": "pages/multiclass.py",
    "loss-comparison": "pages/loss_comparison.py",
}
LOOKS = {
    "desktop": {"width": 1400, "height": 900, "dark": False},
    "phone": {"width": 390, "height": 844, "dark": False},
    "dark": {"width": 1400, "height": 900, "dark": True},
}

RUN_TIMEOUT_MS = 30_000

# Every chart has finished drawing: each .vega-embed holds an svg or canvas with a nonzero size.
_UNDRAWN_CHARTS_JS = """
() => [...document.querySelectorAll('.vega-embed')].flatMap((embed, i) => {
    const mark = embed.querySelector('svg.marks, canvas.marks')
        || embed.querySelector('svg, canvas');
    const box = mark ? mark.getBoundingClientRect() : null;
    return box && box.width > 0 && box.height > 0 ? [] : [i];
})
"""


def require_page(path: str) -> None:
    script = PAGES[path]
    if not (ROOT / script).is_file():
        pytest.skip(f"{script} does not exist yet (issue 4)")


def wait_for_run(page, timeout: float = RUN_TIMEOUT_MS) -> None:
    """Wait until the app is connected, its script has finished and the page is drawn."""
    page.locator(
        '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
        '[data-test-script-state="notRunning"]'
    ).wait_for(timeout=timeout)
    page.locator('[data-testid="stStatusWidgetRunningIcon"]').wait_for(
        state="detached", timeout=timeout
    )
    page.locator('[data-testid="stMain"] [data-testid="stElementContainer"]').first.wait_for(
        timeout=timeout
    )
    page.locator('[data-testid="stSkeleton"]').first.wait_for(state="detached", timeout=timeout)
    page.locator('[data-stale="true"]').first.wait_for(state="detached", timeout=timeout)


def wait_for_charts(page, timeout: float = RUN_TIMEOUT_MS) -> int:
    """Wait until every Vega chart has drawn; return how many there are."""
    page.wait_for_function(f"({_UNDRAWN_CHARTS_JS})().length === 0", timeout=timeout)
    return page.locator(".vega-embed").count()


def open_page(page, path: str, query: str = "") -> None:
    page.goto(f"/{path}{'?' + query if query else ''}")
    wait_for_run(page)


def assert_clean(page) -> None:
    """No exception box, charts drawn, formulas typeset by KaTeX without errors."""
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, f"exception on page: {exceptions.first.inner_text()[:500]}"
    charts = page.locator('[data-testid="stVegaLiteChart"]').count()
    drawn = wait_for_charts(page)
    assert drawn >= charts, f"{charts} chart elements but only {drawn} .vega-embed drawn"
    latex = page.locator('[data-testid="stLatex"], .stLatex').count()
    if latex or page.locator(".katex").count():
        assert page.locator(".katex").count() > 0, "st.latex present but nothing typeset by KaTeX"
    errors = page.locator(".katex-error")
    assert errors.count() == 0, f"KaTeX could not typeset: {errors.first.get_attribute('title')}"


@pytest.mark.parametrize("look", list(LOOKS))
@pytest.mark.parametrize("path", list(PAGES), ids=lambda p: p or "home")
def test_page_renders_cleanly(new_page, path: str, look: str) -> None:
    require_page(path)
    page = new_page(**LOOKS[look])
    console_errors: list[str] = []
    page.on("pageerror", lambda exc: console_errors.append(str(exc)))
    open_page(page, path)
    assert_clean(page)
    if path:  # a content page states its lesson with formulas
        assert page.locator(".katex").count() > 0, "no formula rendered with KaTeX"
    if look == "phone":
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"page scrolls sideways by {overflow} px at 390 px width"
    if LOOKS[look]["dark"]:
        background = page.evaluate(
            "() => getComputedStyle(document.querySelector('[data-testid=\"stApp\"]'))"
            ".backgroundColor"
        )
        assert _is_dark(background), f"dark scheme requested but the app background is {background}"
    screenshot_whole_app(page, f"{path or 'home'}-{look}.png")
    assert not console_errors, f"uncaught errors in the browser: {console_errors}"


def screenshot_whole_app(page, name: str, max_height: int = 16_000) -> None:
    """Screenshot the whole page, not just the viewport.

    Streamlit scrolls inside ``stMain``, not the document, so Playwright's ``full_page`` sees
    one screen only: grow the viewport to the content's height first, then restore it.
    """
    viewport = page.viewport_size
    extra = page.evaluate(
        """() => { const m = document.querySelector('[data-testid="stMain"]');
                   return m ? m.scrollHeight - m.clientHeight : 0; }"""
    )
    if extra > 0:
        height = min(viewport["height"] + extra, max_height)
        page.set_viewport_size({"width": viewport["width"], "height": height})
        wait_for_charts(page)
        page.wait_for_timeout(300)  # let re-laid-out charts settle
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))
    page.set_viewport_size(viewport)


def _is_dark(css_colour: str) -> bool:
    channels = [float(c) for c in css_colour[css_colour.index("(") + 1 : -1].split(",")[:3]]
    return sum(channels) / 3 < 80


def test_docker_healthcheck_command_passes_against_a_live_server(server: str) -> None:
    """The Dockerfile's HEALTHCHECK one-liner, pointed at the test server, exits 0."""
    (healthcheck,) = arguments_of("HEALTHCHECK")
    argv = json.loads(healthcheck[healthcheck.index("CMD") + 3 :].strip())
    code = argv[2].replace("http://127.0.0.1:8501", server)
    assert code != argv[2]
    subprocess.run([sys.executable, "-c", code], check=True, timeout=15)
    dead = code.replace(server, "http://127.0.0.1:9")  # nothing listens on the discard port
    assert subprocess.run([sys.executable, "-c", dead], capture_output=True).returncode == 1
