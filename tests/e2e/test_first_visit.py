"""A deep link is the first request a freshly started server sees: it must still open its page.

Streamlit treats a ``pages/`` folder as legacy file-based navigation until a script calls
``st.navigation``; on a fresh process the first session runs through that legacy router. A
teacher's link such as ``/loss-comparison`` must then neither pop up "Page not found" nor
open the page without the app's navigation. Each case starts its own server, because only
the first visit after a start takes this path.
"""

from __future__ import annotations

import pytest

from xent import navigation

from .conftest import ARTIFACTS, _free_port, _start_server, _stop
from .helpers import PAGES, require_page, wait_for_charts, wait_for_run

pytestmark = pytest.mark.browser

DEEP_PATHS = [path for path in PAGES if path]  # every page but Home (Home is "/")


@pytest.mark.parametrize("path", DEEP_PATHS)
def test_first_request_after_start_is_a_deep_link(browser, path: str) -> None:
    require_page(path)
    ARTIFACTS.mkdir(exist_ok=True)
    port = _free_port()
    proc = _start_server(port, ARTIFACTS / f"e2e-first-visit-{path}.log")
    assert proc is not None, "the server exited before it was healthy"
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"http://127.0.0.1:{port}/{path}")
        wait_for_run(page)
        wait_for_charts(page)
        assert "Page not found" not in page.inner_text("body")
        assert page.url.split("?")[0].rstrip("/").endswith(f"/{path}"), page.url
        # Routed through streamlit_app.py: its navigation lists every page, and the entry
        # marked current is the one linked.
        nav = page.locator('[data-testid="stTopNavLink"]')
        assert nav.count() == len(navigation.entries()), nav.all_inner_texts()
        current = page.locator('[data-testid="stTopNavLink"][aria-current="page"]')
        assert current.count() == 1
        assert (current.get_attribute("href") or "").rstrip("/").endswith(f"/{path}")
        assert page.locator(".vega-embed").count() > 0
    finally:
        context.close()
        _stop(proc)
