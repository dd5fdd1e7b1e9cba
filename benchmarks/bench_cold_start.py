"""Cold start: `import xent`, server start to healthy, first page load in Chromium.

1. `import xent` (numpy only) and `import xent.charts` (adds altair, pandas), each in a
   fresh interpreter, --repeat times: the import time measured inside the interpreter,
   plus the whole `python -c` wall time.
2. A fresh `streamlit run` (stock) and deploy/serve.py (tuned, which imports and freezes
   more up front) until /_stcore/health answers 200.
3. Each page opened in headless Chromium (Playwright, Debian's /usr/bin/chromium) in a new
   browser context (empty cache), from navigation start until every chart of the page is
   drawn: as many `.vega-embed` elements as the page has charts (counted with AppTest),
   each holding a non-empty canvas or svg, and the app no longer running. The very first
   load after the server started (the first script run imports the page modules) is
   reported apart from later loads, and loads in a new context (empty browser cache, a
   first visit) apart from reloads in the same tab (JS and CSS cached).

    .venv/bin/python benchmarks/bench_cold_start.py [--repeat 5] [--no-browser]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    APP,
    ROOT,
    Server,
    app_pages,
    markdown_table,
    ms,
    print_machine,
    quiet_streamlit_logs,
)

CHROMIUM = os.environ.get("XENT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

IMPORT_SNIPPET = (
    "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
)

# Resolves when the app is idle and `expected` charts are drawn; reads the page's DOM.
CHARTS_DRAWN_JS = """
(expected) => {
  const running = document.querySelector('[data-testid="stStatusWidget"]');
  if (running && /running/i.test(running.textContent || '')) return false;
  if (!document.querySelector('[data-testid="stMain"], [data-testid="stAppViewContainer"]'))
    return false;
  const embeds = Array.from(document.querySelectorAll('.vega-embed'));
  if (embeds.length < expected) return false;
  return embeds.every((e) => {
    const c = e.querySelector('canvas, svg');
    if (!c) return false;
    const r = c.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  });
}
"""


def _load_until_drawn(page, base_url: str, path: str, expected: int) -> float:
    """Seconds from navigating ``page`` to ``/path`` until its ``expected`` charts are drawn."""
    start = time.perf_counter()
    page.goto(f"{base_url}/{path}", wait_until="commit")
    page.wait_for_function(CHARTS_DRAWN_JS, arg=expected, timeout=120_000, polling=50)
    return time.perf_counter() - start


def time_imports(repeat: int) -> list[list[str]]:
    rows = []
    for module in ("xent", "xent.charts", "streamlit"):
        inner, outer = [], []
        for _ in range(repeat):
            start = time.perf_counter()
            out = subprocess.run(
                [sys.executable, "-c", IMPORT_SNIPPET.format(module=module)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=120,
                check=True,
            )
            outer.append(time.perf_counter() - start)
            inner.append(float(out.stdout.strip().splitlines()[-1]))
        rows.append(
            [f"`import {module}`", ms(statistics.median(inner)), ms(statistics.median(outer))]
        )
    return rows


LABELLED_LAUNCHERS = (("main before issue 9", "before"), ("streamlit run", "stock"))


def time_server_starts(repeat: int) -> list[list[str]]:
    rows = []
    for label, launcher in LABELLED_LAUNCHERS:
        starts = []
        for _ in range(repeat):
            server = Server(APP, launcher=launcher)
            try:
                server.start(timeout=120)
                starts.append(server.seconds_to_healthy)
            finally:
                server.stop()
        rows.append([label, ms(statistics.median(starts)), ms(max(starts))])
    return rows


def chart_counts() -> dict[str, int]:
    """URL path -> number of Vega-Lite charts the page draws with its defaults."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=120).run()
    counts = {}
    for _, path, script in app_pages():
        at.switch_page(script).run()
        counts[path] = len(at.get("vega_lite_chart"))
    return counts


def time_page_loads(repeat: int, launcher: str) -> list[list[str]]:
    from playwright.sync_api import sync_playwright

    counts = chart_counts()
    rows = []
    server = Server(APP, launcher=launcher)
    server.start(timeout=120)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for path, expected in counts.items():
                    loads = []
                    for _ in range(repeat + 1):  # the first load of each page is its cold one
                        context = browser.new_context(viewport={"width": 1400, "height": 900})
                        page = context.new_page()
                        loads.append(_load_until_drawn(page, server.base_url, path, expected))
                        context.close()
                    # The same tab loading the page again: JS, CSS and fonts come from
                    # the browser cache, as on a student's second visit.
                    warm = []
                    context = browser.new_context(viewport={"width": 1400, "height": 900})
                    page = context.new_page()
                    for _ in range(repeat + 1):
                        warm.append(_load_until_drawn(page, server.base_url, path, expected))
                    context.close()
                    rows.append(
                        [
                            f"/{path}",
                            expected,
                            ms(loads[0]),
                            ms(statistics.median(loads[1:])),
                            ms(max(loads[1:])),
                            ms(statistics.median(warm[1:])),
                        ]
                    )
            finally:
                browser.close()
    finally:
        server.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium part")
    args = parser.parse_args()
    quiet_streamlit_logs()
    print_machine()

    print("Imports in a fresh interpreter (median ms)\n")
    print(markdown_table(["", "import time", "whole `python -c`"], time_imports(args.repeat)))
    print("\nServer start to /_stcore/health = 200 (ms)\n")
    print(markdown_table(["launcher", "median", "max"], time_server_starts(args.repeat)))
    if args.no_browser:
        return
    if not Path(CHROMIUM).exists():
        print(f"\nChromium not found at {CHROMIUM}: page loads skipped (apt-get install chromium)")
        return
    for label, launcher in LABELLED_LAUNCHERS:
        print(
            f"\nPage load in headless Chromium until every chart is drawn ({label}; ms; "
            "new context per load)\n"
        )
        header = [
            "page",
            "charts",
            "first load after server start",
            "median later (empty cache)",
            "max later",
            "median, cached JS (same tab)",
        ]
        print(markdown_table(header, time_page_loads(args.repeat, launcher)))


if __name__ == "__main__":
    main()
