"""What a playing student costs the server, and how the marker moves (issue 9 item 4).

One headless Chromium student per app tree opens ``/bernoulli?steps=200`` on its own
``streamlit run`` server (the server otherwise idle), presses Play (section 2, the neuron's
run), lets it play for ``--seconds``, presses Pause, then moves the step scrubber with
ArrowRight ``--moves`` times. Several app trees (e.g. main before the change, exported with
``benchmarks/snapshot.sh``, and this tree) are measured one after the other in one run:

    before=$(benchmarks/snapshot.sh 4c33f19)
    .venv/bin/python benchmarks/bench_playback.py --app before=$before --app after=.

Rows per tree:

* script runs per second while playing: ``script_finished`` messages the browser received
  (every script run, full or fragment, aborted ones included) during the play window, and
  the server's CPU seconds per second over the same window (its CPU-time clock,
  ``cpuclock.ProcessCpuClock``);
* script runs for Play, for Pause and for one scrub, and of those for Play and Pause how
  many ran to their end (``script_finished`` other than ``FINISHED_EARLY_FOR_RERUN``: a run
  that a rerun asked for by the same click cut short);
* the marker's frames: a MutationObserver on the section's q chart (SVG renderer) stamps
  every batch of changes at the start of the frame that paints it (``requestAnimationFrame``);
  interval median / p95 and jitter (standard deviation) of those paints, and frames per
  second;
* scrub-to-paint: ``keydown`` of ArrowRight on the scrubber to the paint of the new step's
  reading, median / p95.

Every wait is Playwright's ``page.wait_for_timeout``, never ``time.sleep``: the sync API
delivers the WebSocket frame events only while one of its calls runs, so a frame that
arrives during a ``time.sleep`` is stamped when the next call starts (after the count).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    ROOT,
    Server,
    markdown_table,
    percentile,
    print_machine,
    quiet_streamlit_logs,
)
from bench_cold_start import CHROMIUM, CHROMIUM_ARGS
from cpuclock import ProcessCpuClock
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

Q_CHART = 3  # section 2's q chart: the 4th chart on the Bernoulli page

RECORDER_JS = """(index) => {
    window.__paints = [];
    const chart = document.querySelectorAll('[data-testid="stVegaLiteChart"]')[index];
    new MutationObserver(() => requestAnimationFrame(t => window.__paints.push(t)))
        .observe(chart, {subtree: true, childList: true, attributes: true});
}"""

SCRUB_JS = """() => { window.__scrub = new Promise(resolve => {
    const reading = () => [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
        .map(e => e.textContent).find(t => /Step \\d+: q = /.test(t)) || '';
    const before = reading();
    let pressed = null;
    // Capture phase: the slider handles the key and stops it before it bubbles up.
    window.addEventListener('keydown', () => { pressed = performance.now(); },
                            {once: true, capture: true});
    const watch = () => {
        if (reading() !== before && pressed !== null)
            requestAnimationFrame(t => resolve(t - pressed));
        else setTimeout(watch, 5);
    };
    watch();
    setTimeout(() => resolve(NaN), 5000);
}); }"""


class Runs:
    """When the page's websocket received each script_finished: one per script run, full
    or fragment, aborted ones included (a full run also starts with a new_session, which
    is not counted: that would count it twice)."""

    def __init__(self) -> None:
        self.finished: list[float] = []
        self.statuses: list[str] = []

    def on_socket(self, ws) -> None:
        ws.on("framereceived", self._received)

    def _received(self, payload) -> None:
        if isinstance(payload, bytes):
            msg = ForwardMsg()
            msg.ParseFromString(payload)
            if msg.WhichOneof("type") == "script_finished":
                self.finished.append(time.perf_counter())
                self.statuses.append(ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished))

    def since(self, t: float, *, completed: bool = False) -> int:
        """Script runs finished at or after ``t``; with ``completed``, only those that ran to
        their end (not a run Streamlit cut short for a rerun the same click asked for)."""
        return sum(
            1
            for f, status in zip(self.finished, self.statuses, strict=True)
            if f >= t and not (completed and status == "FINISHED_EARLY_FOR_RERUN")
        )


def frames(paints: list[float], group_ms: float = 30.0) -> list[float]:
    """Paint stamps closer than ``group_ms`` merged into one frame (its last paint)."""
    out: list[float] = []
    for t in sorted(paints):
        if out and t - out[-1] < group_ms:
            out[-1] = t
        else:
            out.append(t)
    return out


def runs_after(page, runs: Runs, action, settle_s: float = 1.5) -> int:
    start = time.perf_counter()
    action()
    page.wait_for_timeout(1000 * settle_s)
    return runs.since(start)


def measure(browser, server: Server, seconds: float, moves: int) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    runs = Runs()
    page.on("websocket", runs.on_socket)
    page.goto(f"{server.base_url}/bernoulli?steps=200")
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=\"stVegaLiteChart\"] svg').length >= 6",
        timeout=60_000,
    )
    page.wait_for_timeout(2000)
    play = page.get_by_role("switch", name="Play").first
    print(f"{server.base_url}: playing", file=sys.stderr, flush=True)
    page.evaluate(RECORDER_JS, Q_CHART)
    clock = ProcessCpuClock([server.proc.pid])
    start, cpu0 = time.perf_counter(), clock.read_ns() / 1e9
    play.focus()
    page.keyboard.press("Space")
    page.wait_for_timeout(1000)
    at_play, completed_at_play = runs.since(start), runs.since(start, completed=True)
    window, window_cpu = time.perf_counter(), clock.read_ns() / 1e9
    page.wait_for_timeout(1000 * seconds)
    played = runs.since(window) / seconds
    cpu_rate = (clock.read_ns() / 1e9 - window_cpu) / seconds
    paints = frames(page.evaluate("window.__paints").copy())
    paused = time.perf_counter()
    at_pause = runs_after(page, runs, lambda: (play.focus(), page.keyboard.press("Space")))
    completed_at_pause = runs.since(paused, completed=True)
    total_cpu = clock.read_ns() / 1e9 - cpu0
    print(f"{server.base_url}: scrubbing", file=sys.stderr, flush=True)
    scrub = page.get_by_role("slider", name="Show step t").first
    latencies, per_scrub = [], []
    for _ in range(moves):
        scrub.focus()
        mark = time.perf_counter()
        page.evaluate(SCRUB_JS)
        page.keyboard.press("ArrowRight")
        latencies.append(page.evaluate("window.__scrub"))
        page.wait_for_timeout(600)
        per_scrub.append(runs.since(mark))
    intervals = [b - a for a, b in pairwise(paints[1:])]  # the first frame is Play's rerun
    context.close()
    return {
        "runs at Play": at_play,
        "runs at Play that ran to the end": completed_at_play,
        "runs/s playing": played,
        "server CPU s/s playing": cpu_rate,
        "runs at Pause": at_pause,
        "runs at Pause that ran to the end": completed_at_pause,
        "runs per scrub (median)": statistics.median(per_scrub),
        "server CPU, Play..Pause (s)": total_cpu,
        "marker frames/s": len(paints) / (seconds + 1.0),
        "frame interval median (ms)": statistics.median(intervals) if intervals else float("nan"),
        "frame interval p95 (ms)": percentile(intervals, 95),
        "jitter sd (ms)": statistics.pstdev(intervals) if len(intervals) > 1 else float("nan"),
        "scrub-to-paint median (ms)": statistics.median(latencies),  # NaN: no paint in 5 s
        "scrub-to-paint p95 (ms)": percentile(latencies, 95),
    }


def fmt(x: float) -> str:
    return f"{x:.0f}" if abs(x) >= 100 else f"{x:.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--app", action="append", default=[], help="LABEL=PATH (repeatable)")
    ap.add_argument("--seconds", type=float, default=10.0, help="play window")
    ap.add_argument("--moves", type=int, default=10, help="scrubs per latency figure")
    args = ap.parse_args(argv)
    apps = [a.split("=", 1) for a in args.app] or [["this tree", str(ROOT)]]
    from playwright.sync_api import sync_playwright

    print_machine()
    quiet_streamlit_logs()
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for label, path in apps:
            root = Path(path).resolve()
            with Server(script=root / "streamlit_app.py", root=root) as server:
                results[label] = measure(browser, server, args.seconds, args.moves)
        browser.close()
    rows = [[k, *(fmt(results[a][k]) for a, _ in apps)] for k in next(iter(results.values()))]
    print(markdown_table(["", *(a for a, _ in apps)], rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
