"""First load of each lesson page in a new Chromium context, with where the time goes (issue 9).

A student opens a shared link on a projector (1280x720) or a phone (390x844): a new browser
context (empty cache), from navigation start until every chart on the first screen (a
``.vega-embed`` whose box starts above the bottom of the viewport) holds a drawn canvas or
svg and the app is idle. The milestones come from the page itself and from Playwright's
WebSocket frame events:

- ``html``: the document's responseEnd (navigation timing);
- ``js ready``: DOMContentLoaded (Streamlit's JS bundle fetched, parsed and run);
- ``ws open``: the WebSocket to /_stcore/stream is created;
- ``script done``: the server's ``script_finished`` frame (the page's first script run over
  the socket; decoded with ``streamlit.proto``);
- ``charts drawn``: the end point above.

Each page is loaded --repeat times per app tree after one throw-away load (the server's
first session, which imports the page modules); several trees (e.g. a snapshot of the
commit before) are measured in turn, page by page, in one run:

    before=$(benchmarks/snapshot.sh 33624e1)
    .venv/bin/python benchmarks/bench_first_load.py --app before=$before --app after=.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, Server, free_ports, markdown_table, ms, print_machine
from bench_cold_start import CHROMIUM, CHROMIUM_ARGS
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

PAGES = ("bernoulli", "multiclass", "loss-comparison")
VIEWPORTS = {"projector": (1280, 720), "phone": (390, 844)}

FIRST_SCREEN_DRAWN_JS = """
() => {
  const running = document.querySelector('[data-testid="stStatusWidget"]');
  if (running && /running/i.test(running.textContent || '')) return false;
  if (!document.querySelector('[data-testid="stMainBlockContainer"]')) return false;
  const embeds = Array.from(document.querySelectorAll('.vega-embed'))
    .filter((e) => e.getBoundingClientRect().top < window.innerHeight);
  if (embeds.length === 0) return false;
  return embeds.every((e) => {
    const c = e.querySelector('canvas, svg');
    if (!c) return false;
    const r = c.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  }) ? embeds.length : false;
}
"""

TIMING_JS = """
() => {
  const nav = performance.getEntriesByType('navigation')[0];
  return [nav.responseEnd, nav.domContentLoadedEventEnd];
}
"""


@dataclass
class Load:
    html: float
    js_ready: float
    ws_open: float
    script_done: float
    drawn: float
    charts: int


def _is_script_finished(payload: bytes | str) -> bool:
    if isinstance(payload, str):
        return False
    msg = ForwardMsg()
    try:
        msg.ParseFromString(payload)
    except Exception:  # not a ForwardMsg (never expected): ignore the frame
        return False
    return msg.WhichOneof("type") == "script_finished"


def load_once(browser, base_url: str, path: str, viewport: tuple[int, int]) -> Load:
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    marks: dict[str, float] = {}

    def on_socket(ws) -> None:
        marks.setdefault("ws_open", time.perf_counter())

        def on_frame(payload) -> None:
            if "script_done" not in marks and _is_script_finished(payload):
                marks["script_done"] = time.perf_counter()

        ws.on("framereceived", on_frame)

    page.on("websocket", on_socket)
    start = time.perf_counter()
    try:
        page.goto(f"{base_url}/{path}", wait_until="commit")
        handle = page.wait_for_function(FIRST_SCREEN_DRAWN_JS, timeout=120_000, polling=50)
        drawn = time.perf_counter() - start
        charts = int(handle.json_value())
        html_end, dom_ready = page.evaluate(TIMING_JS)
    finally:
        context.close()
    return Load(
        html=html_end / 1000,
        js_ready=dom_ready / 1000,
        ws_open=marks.get("ws_open", float("nan")) - start,
        script_done=marks.get("script_done", float("nan")) - start,
        drawn=drawn,
        charts=charts,
    )


def parse_apps(specs: list[str]) -> dict[str, Path]:
    apps: dict[str, Path] = {}
    for spec in specs or [f"this checkout={ROOT}"]:
        label, sep, path = spec.partition("=")
        if not sep or not (Path(path) / "streamlit_app.py").is_file():
            raise SystemExit(f"--app {spec!r}: use LABEL=PATH of a tree with streamlit_app.py")
        apps[label] = Path(path).resolve()
    return apps


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", action="append", default=[], help="LABEL=PATH (repeatable)")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--viewport", choices=sorted(VIEWPORTS), default="projector")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-machine", action="store_true")
    args = parser.parse_args(argv)
    apps = parse_apps(args.app)
    pages = [p.strip().strip("/") for p in args.pages.split(",") if p.strip()]
    viewport = VIEWPORTS[args.viewport]
    if not args.no_machine:
        print_machine()
    ports = free_ports(len(apps))  # one port each, chosen before any server starts
    servers = {
        label: Server(root / "streamlit_app.py", port=port, root=root)
        for (label, root), port in zip(apps.items(), ports, strict=True)
    }
    loads: dict[tuple[str, str], list[Load]] = {}
    try:
        for server in servers.values():
            server.start(timeout=120)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for server in servers.values():  # the server's first session: not timed
                    load_once(browser, server.base_url, pages[0], viewport)
                for path in pages:
                    for _ in range(args.repeat):
                        for label, server in servers.items():
                            key = (path, label)
                            got = load_once(browser, server.base_url, path, viewport)
                            loads.setdefault(key, []).append(got)
            finally:
                browser.close()
    finally:
        for server in servers.values():
            server.stop()
    load = " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"viewport {viewport[0]}x{viewport[1]}, {args.repeat} loads per page and tree;")
    print(f"load average (1/5/15 min) at the end: {load}\n")
    header = [
        "page",
        "app",
        "charts on first screen",
        "html",
        "js ready",
        "ws open",
        "script done",
        "**charts drawn** (median)",
        "charts drawn (max)",
    ]
    rows = []
    for (path, label), got in loads.items():

        def med(field: str, got: list[Load] = got) -> str:
            return ms(statistics.median(getattr(x, field) for x in got))

        rows.append(
            [
                f"/{path}",
                label,
                got[0].charts,
                med("html"),
                med("js_ready"),
                med("ws_open"),
                med("script_done"),
                f"**{med('drawn')}**",
                ms(max(x.drawn for x in got)),
            ]
        )
    print("Milestones after navigation start (ms, median of the loads)\n")
    print(markdown_table(header, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
