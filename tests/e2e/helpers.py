"""Helpers for driving the Streamlit app in Playwright: wait for a run, check a page is clean,
screenshot the whole app."""

from __future__ import annotations

import pytest

from .conftest import ROOT, SCREENSHOTS, server_log_path

# URL path -> the script that draws it (the URL paths are what teachers share: keep them stable).
PAGES = {
    "": "streamlit_app.py",
    "bernoulli": "pages/bernoulli.py",
    "multiclass": "pages/multiclass.py",
    "loss-comparison": "pages/loss-comparison.py",
}
# Viewports: a projector/laptop and a phone. Each is also shown in the dark scheme, switched live
# (Streamlit follows prefers-color-scheme), which saves a page load per look.
LOOKS = {
    "desktop": {"width": 1400, "height": 900},
    "phone": {"width": 390, "height": 844},
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


def settle(page) -> None:
    """After a load or an interaction: the run has finished and raised nothing."""
    wait_for_run(page)
    assert_no_exception(page)


def open_page(page, path: str, query: str = "") -> None:
    page.goto(f"/{path}{'?' + query if query else ''}")
    settle(page)


def assert_no_exception(page) -> None:
    """No exception box; on failure show the server's traceback (the browser's is redacted)."""
    exceptions = page.locator('[data-testid="stException"]')
    if exceptions.count():
        log = server_log_path()
        tail = log.read_text(errors="replace")[-4000:] if log.is_file() else "(no server log)"
        pytest.fail(
            f"exception on {page.url}: {exceptions.first.inner_text()[:300]}\n"
            f"--- server log ({log}) ---\n{tail}"
        )


def assert_clean(page) -> None:
    """No exception box, charts drawn, formulas typeset by KaTeX without errors."""
    assert_no_exception(page)
    charts = page.locator('[data-testid="stVegaLiteChart"]').count()
    drawn = wait_for_charts(page)
    assert drawn >= charts, f"{charts} chart elements but only {drawn} .vega-embed drawn"
    # Every chart carries a text alternative (st.altair_chart(alt=...) -> aria-label).
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
              .map((e, i) => [i, (e.getAttribute('aria-label') || '').trim()])
              .filter(([, label]) => label.length < 15).map(([i]) => i)"""
    )
    assert not unlabelled, f"charts without a text alternative (aria-label): {unlabelled}"
    latex = page.locator('[data-testid="stLatex"], .stLatex').count()
    if latex or page.locator(".katex").count():
        assert page.locator(".katex").count() > 0, "st.latex present but nothing typeset by KaTeX"
    errors = page.locator(".katex-error")
    assert errors.count() == 0, f"KaTeX could not typeset: {errors.first.get_attribute('title')}"


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


def is_dark(css_colour: str) -> bool:
    channels = [float(c) for c in css_colour[css_colour.index("(") + 1 : -1].split(",")[:3]]
    return sum(channels) / 3 < 80
