"""Playback smoothness (issue 5): st.fragment(run_every=...) against a client-side Vega-Lite param.

Two ways to play a trajectory, measured in headless Chromium on the same run (the
Bernoulli page's neuron, page defaults, ``steps=200`` so that playback lasts long enough):

* **server**: the app as it is. ``/bernoulli?steps=200``; the "Play" toggle of section 2
  makes the section an ``st.fragment(run_every=ui.PLAY_INTERVAL)``; every fragment rerun
  advances the scrubber ``t`` one step and sends the section's charts and reading again.
* **client**: ``benchmarks/playback_client_page.py``, the same run as ONE Vega-Lite spec
  whose marker is a param ``t`` bound to an HTML range input: a move redraws in the
  browser with no message to the server. Vega-Lite has no timer, so its "autoplay" is a
  page script stepping the input (what a custom component or a raw Vega spec with a
  ``timer`` event would do).

A recorder in the page stamps (``performance.now()``, in a ``requestAnimationFrame``
callback, i.e. at the start of the frame that paints the change) every change of the
step reading (the server's "Step t: ..." markdown; the client's SVG text) and every
batch of DOM mutations in the charts (SVG renderer). Frames of the L(q) chart are
mutation batches less than ``GROUP_MS`` apart, merged; a frame's time is its last paint.

Rows: playback frame interval median / p95, jitter (standard deviation of the
intervals), steps per second; latency from a key press (ArrowRight on the step slider,
``keydown`` time) to the reading and to the L(q) chart, median / p95 of --moves; bytes
the browser received per step. Also: whether the bound input renders in
``st.vega_lite_chart``, what a rerun does to it, and the chart width on a 390-px phone.

    .venv/bin/python benchmarks/bench_playback.py                 # ~2 min, ports 8600/8601
    .venv/bin/python benchmarks/bench_playback.py --seconds 10 --moves 20
    .venv/bin/python benchmarks/bench_playback.py --app-url http://127.0.0.1:8600 \
        --client-url http://127.0.0.1:8601                        # servers already running
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    APP,
    BENCH_DIR,
    ROOT,
    Server,
    cpu_seconds,
    markdown_table,
    percentile,
    print_machine,
    quiet_streamlit_logs,
)
from bench_browser_rerun import FrameClock
from bench_cold_start import CHARTS_DRAWN_JS, CHROMIUM, CHROMIUM_ARGS

CLIENT_PAGE = BENCH_DIR / "playback_client_page.py"
GROUP_MS = 150  # chart mutation batches closer than this belong to one frame

# The recorder: step readings and chart paints, stamped in requestAnimationFrame.
# opts.embeds: indices (in document order) of the .vega-embed charts to watch; the first
# is "the L(q) chart". opts.reading: CSS selector of the elements holding the reading.
RECORDER_JS = """
(opts) => {
  const R = {reading: [], chart: [], keys: [], watched: opts.embeds};
  window.__pb = R;
  const dirty = new Set();
  const stepOf = () => {
    for (const el of document.querySelectorAll(opts.reading)) {
      const m = /Step (\\d+): q =/.exec(el.textContent || '');
      if (m) return Number(m[1]);
    }
    return null;
  };
  new MutationObserver((list) => {
    const embeds = Array.from(document.querySelectorAll('.vega-embed'));
    for (const m of list) {
      const node = m.target.nodeType === 1 ? m.target : m.target.parentElement;
      const e = node && node.closest ? node.closest('.vega-embed') : null;
      if (!e) continue;
      const i = embeds.indexOf(e);
      if (opts.embeds.includes(i)) dirty.add(i);
    }
  }).observe(document.body, {subtree: true, childList: true, attributes: true,
                             characterData: true});
  document.addEventListener('keydown', () => R.keys.push(performance.now()), true);
  let last = stepOf();
  R.reading.push([last, performance.now()]);
  const frame = () => {
    const now = performance.now();
    for (const i of dirty) R.chart.push([i, now]);
    dirty.clear();
    const s = stepOf();
    if (s !== last) { R.reading.push([s, now]); last = s; }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  return true;
}
"""

# Idle: no script running, the L(q) chart untouched for `quiet` ms.
SETTLED_JS = """
(quiet) => {
  const st = document.querySelector('[data-testid="stStatusWidget"]');
  if (st && /running/i.test(st.textContent || '')) return false;
  const R = window.__pb;
  const c = R.chart.filter((x) => x[0] === R.watched[0]);
  const lastPaint = c.length ? c[c.length - 1][1] : 0;
  return performance.now() - lastPaint > quiet;
}
"""

# Set the bound input's value and dispatch `input`; time to the frame that paints it.
CLIENT_SET_JS = """
async (n) => {
  const el = document.querySelector('.vega-bindings input[type=range]');
  const root = document.querySelector('.vega-embed');
  const out = [];
  for (let i = 0; i < n; i++) {
    await new Promise((r) => setTimeout(r, 120));
    const painted = new Promise((res) => {
      const mo = new MutationObserver(() => {
        mo.disconnect();
        requestAnimationFrame(() => res(performance.now()));
      });
      mo.observe(root, {subtree: true, childList: true, attributes: true, characterData: true});
    });
    const t0 = performance.now();
    el.value = String((Number(el.value) + 1) % (Number(el.max) + 1));
    el.dispatchEvent(new Event('input', {bubbles: true}));
    out.push((await painted) - t0);
  }
  return out;
}
"""

# A scripted autoplay: step the bound input every `period` ms for `seconds`.
CLIENT_AUTOPLAY_JS = """
async ([period, seconds]) => {
  const el = document.querySelector('.vega-bindings input[type=range]');
  el.value = '0';
  el.dispatchEvent(new Event('input', {bubbles: true}));
  await new Promise((r) => setTimeout(r, 300));
  const R = window.__pb;
  R.reading.length = 0; R.chart.length = 0;
  const t0 = performance.now();
  const id = setInterval(() => {
    el.value = String((Number(el.value) + 1) % (Number(el.max) + 1));
    el.dispatchEvent(new Event('input', {bubbles: true}));
  }, period);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  clearInterval(id);
  return performance.now() - t0;
}
"""


def groups(paints: list[float]) -> list[float]:
    """Merge paints less than GROUP_MS apart into frames; each frame's time is its last paint."""
    frames: list[float] = []
    for t in sorted(paints):
        if frames and t - frames[-1] < GROUP_MS:
            frames[-1] = t
        else:
            frames.append(t)
    return frames


def interval_stats(times: list[float]) -> dict[str, float]:
    gaps = [b - a for a, b in pairwise(times)]
    if len(gaps) < 2:
        return {"n": len(gaps), "median": float("nan"), "p95": float("nan"), "sd": float("nan")}
    return {
        "n": len(gaps),
        "median": statistics.median(gaps),
        "p95": percentile(gaps, 95),
        "sd": statistics.stdev(gaps),
    }


def fmt_ms(x: float) -> str:
    return "-" if x != x else f"{x:.0f}"


def load1() -> str:
    return f"{os.getloadavg()[0]:.1f}"


class Bytes:
    """WebSocket bytes the page receives (Streamlit's ForwardMsgs)."""

    def __init__(self) -> None:
        self.total = 0

    def on_socket(self, ws) -> None:
        ws.on("framereceived", self._received)

    def _received(self, payload) -> None:
        self.total += len(payload)


def new_page(browser, url: str, width: int = 1400):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    counter = Bytes()
    page.on("websocket", counter.on_socket)
    clock = FrameClock()  # rerun_script sent -> script_finished received
    page.on("websocket", clock.on_socket)
    page.goto(url, wait_until="commit")
    page.clock_ = clock
    return context, page, counter


def server_times(clock: FrameClock, since: float) -> list[float]:
    """rerun_script -> script_finished (ms) of the reruns sent after `since`."""
    out = []
    for sent in (t for t in clock.sent if t >= since):
        done = [f for f in clock.finished if f >= sent]
        if done:
            out.append((done[0] - sent) * 1000)
    return out


# --- server: st.fragment(run_every=...) -----------------------------------------------------


def measure_server(
    browser, base: str, seconds: float, moves: int, steps: int, pid: int | None = None
) -> dict:
    context, page, counter = new_page(browser, f"{base}/bernoulli?steps={steps}")
    page.wait_for_function(CHARTS_DRAWN_JS, arg=6, timeout=120_000, polling=100)
    n_embeds = page.locator(".vega-embed").count()
    # Section 2's charts follow section 1's two: the L(q) path chart, q, weights.
    page.evaluate(RECORDER_JS, {"embeds": [2, 3, 4], "reading": '[data-testid="stMarkdown"]'})
    page.wait_for_function(SETTLED_JS, arg=500, timeout=60_000, polling=100)
    toggle = page.locator('[data-testid="stCheckbox"]').filter(has_text="Play").locator("label")
    toggle.first.scroll_into_view_if_needed()
    load_play = load1()
    before = counter.total
    page.evaluate("window.__pb.reading.length = 0; window.__pb.chart.length = 0")
    cpu0 = cpu_seconds(pid) if pid else float("nan")
    clicked = time.perf_counter()
    toggle.first.click()
    time.sleep(seconds)
    rec = page.evaluate("window.__pb")
    played_bytes = counter.total - before
    ended = time.perf_counter()
    cpu = (cpu_seconds(pid) - cpu0) / (ended - clicked) if pid else float("nan")
    clock = page.clock_
    # The browser's setInterval sends a fragment rerun every run_every seconds whatever
    # the server is doing; the server runs what it can (requests during a run coalesce).
    sent = sum(1 for t in clock.sent if clicked <= t <= ended)
    finished = sum(1 for t in clock.finished if clicked <= t <= ended)
    toggle.first.click()  # pause
    page.wait_for_function(SETTLED_JS, arg=800, timeout=60_000, polling=100)

    # Playback frames after the first (the click's full rerun) to the end of the window.
    readings = [(s, t) for s, t in rec["reading"] if s is not None]
    path = groups([t for i, t in rec["chart"] if i == 2])
    play = {
        "reading": interval_stats([t for _, t in readings]),
        "chart": interval_stats(path),
        "steps": (readings[-1][0] - readings[0][0]) if len(readings) > 1 else 0,
        "span_s": (readings[-1][1] - readings[0][1]) / 1000 if len(readings) > 1 else float("nan"),
        "frames_per_s": (len(path) - 1) / ((path[-1] - path[0]) / 1000)
        if len(path) > 1
        else float("nan"),
        "bytes_per_step": played_bytes / max(1, len(readings) - 1),
        "load": load_play,
        "server_cpu": cpu,
        "sent_per_s": sent / (ended - clicked),
        "finished_per_s": finished / (ended - clicked),
    }
    skipped = sum(1 for (a, _), (b, _) in pairwise(readings) if b - a != 1)
    play["skipped"] = skipped

    # Keyboard: ArrowRight on the 'Show step t' slider, paused.
    load_keys = load1()
    thumb = (
        page.locator('[data-testid="stSlider"]')
        .filter(has_text="Show step t")
        .locator('input[type="range"]')
    )
    thumb.first.focus()
    to_reading, to_chart = [], []
    keys_from = time.perf_counter()
    for _ in range(moves):
        page.wait_for_function(SETTLED_JS, arg=400, timeout=60_000, polling=50)
        n_read = page.evaluate("window.__pb.reading.length")
        n_chart = page.evaluate("window.__pb.chart.length")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "(n) => window.__pb.reading.length > n", arg=n_read, timeout=30_000, polling=20
        )
        page.wait_for_function(SETTLED_JS, arg=400, timeout=60_000, polling=50)
        rec = page.evaluate("window.__pb")
        key = rec["keys"][-1]
        to_reading.append(rec["reading"][n_read][1] - key)
        paints = [t for i, t in rec["chart"][n_chart:] if i == 2]
        if paints:
            to_chart.append(groups(paints)[0] - key)
    key_server_ms = server_times(page.clock_, keys_from)
    context.close()
    return {
        "key_server_ms": key_server_ms,
        "embeds": n_embeds,
        "play": play,
        "key_reading": to_reading,
        "key_chart": to_chart,
        "load_keys": load_keys,
    }


# --- client: a Vega-Lite param bound to a range input ----------------------------------------


def measure_client(browser, base: str, seconds: float, moves: int, steps: int) -> dict:
    context, page, counter = new_page(browser, f"{base}/?steps={steps}")
    page.wait_for_function(CHARTS_DRAWN_JS, arg=1, timeout=120_000, polling=100)
    time.sleep(0.5)
    first_load_bytes = counter.total
    bound = page.locator(".vega-bindings input[type=range]")
    out: dict = {
        "bound_inputs": bound.count(),
        "bound_visible": bound.count() > 0 and bound.first.is_visible(),
        "bound_label": page.locator(".vega-bindings").first.inner_text().strip()
        if bound.count()
        else "",
        "first_load_bytes": first_load_bytes,
    }
    out["slider_role_named"] = page.get_by_role("slider", name="Show step t").count()
    if not bound.count():
        context.close()
        return out
    page.evaluate(RECORDER_JS, {"embeds": [0], "reading": ".vega-embed svg"})

    # Keyboard on the bound input.
    load_keys = load1()
    bound.first.focus()
    to_chart, to_reading = [], []
    before = counter.total
    for _ in range(moves):
        time.sleep(0.12)
        n_read = page.evaluate("window.__pb.reading.length")
        n_chart = page.evaluate("window.__pb.chart.length")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "(n) => window.__pb.reading.length > n", arg=n_read, timeout=10_000, polling=10
        )
        time.sleep(0.2)
        rec = page.evaluate("window.__pb")
        key = rec["keys"][-1]
        to_reading.append(rec["reading"][n_read][1] - key)
        paints = [t for _, t in rec["chart"][n_chart:]]
        if paints:
            to_chart.append(groups(paints)[0] - key)
    out.update(
        key_reading=to_reading,
        key_chart=to_chart,
        load_keys=load_keys,
        key_bytes=counter.total - before,
    )
    out["set_input"] = page.evaluate(CLIENT_SET_JS, moves)

    # Scripted autoplay at the server's cadence and at 20 steps per second.
    sys.path.insert(0, str(ROOT))
    quiet_streamlit_logs()  # xent.ui's st.cache_data warns without a runtime
    from xent.ui import PLAY_INTERVAL

    out["autoplay"] = {}
    for period in (round(PLAY_INTERVAL * 1000), 50):
        load = load1()
        before = counter.total
        span = page.evaluate(CLIENT_AUTOPLAY_JS, [period, seconds / 2])
        rec = page.evaluate("window.__pb")
        readings = [(s, t) for s, t in rec["reading"] if s is not None]
        path = groups([t for _, t in rec["chart"]]) if period > GROUP_MS else None
        paints = sorted(t for _, t in rec["chart"])
        out["autoplay"][period] = {
            "reading": interval_stats([t for _, t in readings]),
            "chart": interval_stats(path if path is not None else paints),
            "steps": readings[-1][0] - readings[0][0] if len(readings) > 1 else 0,
            "span_s": (readings[-1][1] - readings[0][1]) / 1000
            if len(readings) > 1
            else span / 1000,
            "skipped": sum(1 for (a, _), (b, _) in pairwise(readings) if b - a != 1),
            "load": load,
            "bytes": counter.total - before,
        }

    # A rerun of the script: does the bound input keep its value?
    bound.first.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    time.sleep(0.3)
    value_before = bound.first.input_value()
    page.get_by_role("button", name="Rerun the script").click()
    page.wait_for_function(
        "() => /runs in this session: 2/.test(document.body.innerText)", timeout=30_000
    )
    time.sleep(1.0)
    bound = page.locator(".vega-bindings input[type=range]")
    out["rerun"] = (value_before, bound.first.input_value() if bound.count() else "gone")
    context.close()

    # A raw Vega spec with a timer: the bound "Play" checkbox steps t in the browser.
    out["vega_timer"] = {}
    for period in (round(PLAY_INTERVAL * 1000), 50):
        context, page, counter = new_page(browser, f"{base}/?steps={steps}&vega=1&every={period}")
        page.wait_for_function(CHARTS_DRAWN_JS, arg=1, timeout=120_000, polling=100)
        page.evaluate(RECORDER_JS, {"embeds": [0], "reading": ".vega-embed svg"})
        time.sleep(0.5)
        load = load1()
        before = counter.total
        page.evaluate("window.__pb.reading.length = 0; window.__pb.chart.length = 0")
        page.locator(".vega-bindings input[type=checkbox]").first.check()
        t0 = time.perf_counter()
        time.sleep(seconds / 2)
        rec = page.evaluate("window.__pb")
        span = time.perf_counter() - t0
        readings = [(s, t) for s, t in rec["reading"] if s is not None]
        paints = sorted(t for _, t in rec["chart"])
        out["vega_timer"][period] = {
            "reading": interval_stats([t for _, t in readings]),
            "chart": interval_stats(groups(paints) if period > GROUP_MS else paints),
            "steps": readings[-1][0] - readings[0][0] if len(readings) > 1 else 0,
            "span_s": (readings[-1][1] - readings[0][1]) / 1000 if len(readings) > 1 else span,
            "skipped": sum(1 for (a, _), (b, _) in pairwise(readings) if b - a != 1),
            "load": load,
            "bytes": counter.total - before,
        }
        context.close()

    # Phone width: does the fixed-width concat fit 390 px?
    context, page, _ = new_page(browser, f"{base}/?steps={steps}", width=390)
    page.wait_for_function(CHARTS_DRAWN_JS, arg=1, timeout=120_000, polling=100)
    out["phone"] = page.evaluate(
        """() => { const e = document.querySelector('.vega-embed');
                   const s = e.querySelector('svg').getBoundingClientRect();
                   const b = document.querySelector('.vega-bindings input[type=range]')
                               .getBoundingClientRect();
                   return [Math.round(s.width), window.innerWidth, Math.round(b.width),
                           Math.round(b.height)]; }"""
    )
    context.close()
    return out


# --- report -------------------------------------------------------------------------------


def med(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def report(server: dict, client: dict, moves: int) -> None:
    sp = server["play"]
    rows = [
        [
            "server: Play (st.fragment run_every=0.35 s)",
            "reading",
            fmt_ms(sp["reading"]["median"]),
            fmt_ms(sp["reading"]["p95"]),
            fmt_ms(sp["reading"]["sd"]),
            f"{sp['steps'] / sp['span_s']:.2f}" if sp["span_s"] == sp["span_s"] else "-",
            sp["skipped"],
            f"{sp['bytes_per_step'] / 1000:.1f}",
            sp["load"],
        ],
        [
            "server: Play (st.fragment run_every=0.35 s)",
            "L(q) chart",
            fmt_ms(sp["chart"]["median"]),
            fmt_ms(sp["chart"]["p95"]),
            fmt_ms(sp["chart"]["sd"]),
            f"{sp['frames_per_s']:.2f} frames/s",
            "",
            "",
            sp["load"],
        ],
    ]
    runs = [
        (f"client: Vega-Lite param, scripted autoplay every {period} ms", a)
        for period, a in client.get("autoplay", {}).items()
    ] + [
        (f"client: raw Vega timer, Play checkbox, every {period} ms", a)
        for period, a in client.get("vega_timer", {}).items()
    ]
    for name, a in runs:
        for what in ("reading", "chart"):
            s = a[what]
            rows.append(
                [
                    name,
                    "SVG reading" if what == "reading" else "L(q) chart",
                    fmt_ms(s["median"]),
                    fmt_ms(s["p95"]),
                    fmt_ms(s["sd"]),
                    f"{a['steps'] / a['span_s']:.2f}" if what == "reading" else "",
                    a["skipped"] if what == "reading" else "",
                    f"{a['bytes'] / max(1, a['steps']) / 1000:.1f}" if what == "reading" else "",
                    a["load"],
                ]
            )
    print("### Playback: interval between successive frames (ms)\n")
    print(
        markdown_table(
            [
                "playback",
                "watched",
                "median",
                "p95",
                "jitter (sd)",
                "steps/s",
                "skipped steps",
                "kB received / step",
                "load 1 min",
            ],
            rows,
        )
    )

    def lat(xs: list[float]) -> list[str]:
        return [fmt_ms(med(xs)), fmt_ms(percentile(xs, 95)) if xs else "-", str(len(xs))]

    print(f"\n### Scrubber move -> update (ms; median, p95, n of {moves})\n")
    krows = [
        [
            "server: ArrowRight on 'Show step t' (st.slider)",
            "reading",
            *lat(server["key_reading"]),
            server["load_keys"],
        ],
        ["", "L(q) chart", *lat(server["key_chart"]), server["load_keys"]],
        [
            "",
            "server: rerun_script -> script_finished",
            *lat(server["key_server_ms"]),
            server["load_keys"],
        ],
    ]
    if client.get("key_chart") is not None:
        krows += [
            [
                "client: ArrowRight on the bound range input",
                "SVG reading",
                *lat(client["key_reading"]),
                client["load_keys"],
            ],
            ["", "L(q) chart", *lat(client["key_chart"]), client["load_keys"]],
            [
                "client: input.value = v; dispatch 'input'",
                "chart (next frame)",
                *lat(client["set_input"]),
                client["load_keys"],
            ],
        ]
    print(markdown_table(["move", "watched", "median", "p95", "n", "load 1 min"], krows))

    print("\n### Client prototype checks\n")
    phone = client.get("phone")
    checks = [
        [
            "param-bound input rendered by st.vega_lite_chart",
            f"{client['bound_inputs']} input(s), visible={client['bound_visible']}, "
            f"label {client['bound_label']!r}",
        ],
        ["first load (spec + data), kB received", f"{client['first_load_bytes'] / 1000:.1f}"],
        [
            "bytes received during the keyboard moves",
            str(client.get("key_bytes", "-")),
        ],
        [
            "bound value across a script rerun (before -> after)",
            " -> ".join(client.get("rerun", ("-", "-"))),
        ],
        [
            "390-px phone: chart width / viewport / input w x h (px)",
            " / ".join(map(str, phone[:2])) + f" / {phone[2]} x {phone[3]}" if phone else "-",
        ],
        [
            "bound input found by role=slider, name 'Show step t'",
            str(client.get("slider_role_named", "-")),
        ],
        ["server page .vega-embed count", str(server["embeds"])],
        [
            "server Play: server process CPU, seconds per second of playback",
            f"{sp['server_cpu']:.2f}" if sp["server_cpu"] == sp["server_cpu"] else "-",
        ],
        [
            "server Play: rerun requests sent / runs finished, per second",
            f"{sp['sent_per_s']:.2f} / {sp['finished_per_s']:.2f}",
        ],
    ]
    print(markdown_table(["check", "result"], checks))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=10.0, help="server Play window")
    ap.add_argument("--moves", type=int, default=20, help="key presses per latency figure")
    ap.add_argument("--steps", type=int, default=200, help="length of the run (1-200)")
    ap.add_argument("--app-url", help="a running app (default: start one on --app-port)")
    ap.add_argument("--client-url", help="a running playback_client_page.py")
    ap.add_argument("--app-port", type=int, default=8600)
    ap.add_argument("--client-port", type=int, default=8601)
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    print_machine()
    servers = []
    app_pid = None
    try:
        if not args.app_url:
            servers.append(Server(APP, port=args.app_port).start())
            args.app_url = servers[-1].base_url
            app_pid = servers[-1].pid
        if not args.client_url:
            servers.append(Server(CLIENT_PAGE, port=args.client_port).start())
            args.client_url = servers[-1].base_url
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                server = measure_server(
                    browser, args.app_url, args.seconds, args.moves, args.steps, app_pid
                )
                client = measure_client(
                    browser, args.client_url, args.seconds, args.moves, args.steps
                )
            finally:
                browser.close()
    finally:
        for s in servers:
            s.stop()
    report(server, client, args.moves)
    print(f"\nload average at the end: {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
