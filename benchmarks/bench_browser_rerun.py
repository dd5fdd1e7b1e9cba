"""Rerun latency seen by a real Chromium: slider key press -> script_finished frame.

For each page (and the floor page), headless Chromium opens the page and, --moves times,
focuses the next slider (they take turns) and presses an arrow key. For each move, the
time from the WebSocket frame that carries the rerun_script BackMsg to the frame that
carries script_finished is read from Playwright's WebSocket events (both timestamps are
taken in this process, so the event-delivery delay is on both ends). It runs against
`streamlit run` and against deploy/serve.py: the difference is the server-side fixes
(TCP_NODELAY, gc.freeze) as a browser sees them. It also cross-checks the WebSocket load
generator, whose N = 1 latencies should be close to these.

    .venv/bin/python benchmarks/bench_browser_rerun.py [--moves 15]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    APP,
    FLOOR,
    Server,
    markdown_table,
    ms,
    percentile,
    print_machine,
    quiet_streamlit_logs,
)
from bench_cold_start import CHARTS_DRAWN_JS, CHROMIUM, CHROMIUM_ARGS, chart_counts
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN


class FrameClock:
    """Records when rerun_script goes out and when script_finished comes back."""

    def __init__(self) -> None:
        self.sent: list[float] = []
        self.finished: list[float] = []

    def on_socket(self, ws) -> None:
        ws.on("framesent", self._sent)
        ws.on("framereceived", self._received)

    def _sent(self, payload) -> None:
        if isinstance(payload, bytes):
            msg = BackMsg()
            msg.ParseFromString(payload)
            if msg.WhichOneof("type") == "rerun_script":
                self.sent.append(time.perf_counter())

    def _received(self, payload) -> None:
        if isinstance(payload, bytes):
            msg = ForwardMsg()
            msg.ParseFromString(payload)
            if msg.WhichOneof("type") == "script_finished" and msg.script_finished != EARLY:
                self.finished.append(time.perf_counter())


def measure(browser, url: str, expected_charts: int, moves: int) -> list[float]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    clock = FrameClock()
    page.on("websocket", clock.on_socket)
    page.goto(url, wait_until="commit")
    page.wait_for_function(CHARTS_DRAWN_JS, arg=expected_charts, timeout=120_000, polling=50)
    thumbs = page.locator('[data-testid="stSlider"] input[type="range"]')
    count = thumbs.count()
    latencies: list[float] = []
    key = "ArrowRight"
    for i in range(moves * 2):  # the sliders take turns; a thumb at its end is skipped
        if len(latencies) >= moves or count == 0:
            break
        thumb = thumbs.nth(i % count)
        before, sent_before = len(clock.finished), len(clock.sent)
        thumb.focus()
        page.keyboard.press(key)
        # No frame within 3 s: the thumb was at its end (or the slider does not rerun).
        deadline = time.monotonic() + 3
        while len(clock.sent) <= sent_before and time.monotonic() < deadline:
            page.wait_for_timeout(5)
        if len(clock.sent) <= sent_before:
            key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
            continue
        deadline = time.monotonic() + 60
        while len(clock.finished) <= before and time.monotonic() < deadline:
            page.wait_for_timeout(5)
        if len(clock.finished) > before:
            latencies.append(clock.finished[-1] - clock.sent[sent_before])
        page.wait_for_timeout(300)  # let the UI settle, as a person would
    context.close()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=15)
    args = parser.parse_args()
    quiet_streamlit_logs()
    print_machine()
    from playwright.sync_api import sync_playwright

    counts = chart_counts()
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for label, launcher in (
                ("main before issue 9", "before"),
                ("streamlit run (repository settings)", "stock"),
            ):
                targets = [("floor page", FLOOR, "", 1)] + [
                    (f"/{path}", APP, path, n) for path, n in counts.items()
                ]
                for name, script, path, n_charts in targets:
                    server = Server(script, launcher=launcher)
                    server.start(timeout=120)
                    try:
                        lat = measure(browser, f"{server.base_url}/{path}", n_charts, args.moves)
                    finally:
                        server.stop()
                    if lat:
                        rows.append(
                            [
                                label,
                                name,
                                len(lat),
                                ms(statistics.median(lat)),
                                ms(percentile(lat, 90)),
                            ]
                        )
        finally:
            browser.close()
    print("Rerun in Chromium: rerun_script frame out -> script_finished frame in (ms)\n")
    print(markdown_table(["server", "page", "moves", "median", "p90"], rows))


if __name__ == "__main__":
    main()
