"""Rerun latency and bytes per rerun for every page, beside the floor page.

Each page is opened in AppTest (streamlit.testing.v1), warmed up, then a slider is moved
to a random value on its grid and the script rerun, ``--reruns`` times (the sliders of
the page take turns, so every slider is exercised). The floor page
(benchmarks/floor_page.py: one slider, one 500-point Altair chart) is measured in the
same process the same way, and each page's median is divided by the floor's median.

Bytes: every ForwardMsg the rerun produced is captured (AppTest keeps them in its
LocalScriptRunner's queue) and serialized; the table shows the whole rerun, the part
that is Vega-Lite (spec JSON + Arrow datasets), and what a browser that already holds
the previous run's messages would receive (Streamlit sends a 'ref_hash' stub instead of
any cacheable element, i.e. >= 10 kB, whose hash the browser reports it has).

AppTest always reruns the whole script: st.fragment does not shorten an AppTest rerun,
so pages that put controls in fragments do better in a browser than here (load.py talks
to a real server and does send fragment reruns).

    .venv/bin/python benchmarks/bench_rerun.py [--reruns 20] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import streamlit.testing.v1.app_test as app_test_module
from _common import (
    APP,
    FLOOR,
    app_pages,
    kb,
    markdown_table,
    ms,
    percentile,
    print_machine,
    quiet_streamlit_logs,
)
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.testing.v1 import AppTest
from widgets import is_movable, random_value

REF_STUB_BYTES = 60  # approximate size of a ForwardMsg that only carries ref_hash + metadata

# --- capture the ForwardMsgs of each AppTest run ---------------------------------------

_last_run_msgs: list[ForwardMsg] = []


class _RecordingRunner(app_test_module.LocalScriptRunner):
    def run(self, *args: Any, **kwargs: Any) -> Any:
        tree = super().run(*args, **kwargs)
        _last_run_msgs[:] = [msg for msg in self.forward_msgs() if msg.HasField("delta")]
        return tree


def record_forward_msgs() -> None:
    """Make AppTest keep each run's ForwardMsgs in _last_run_msgs (this process only)."""
    app_test_module.LocalScriptRunner = _RecordingRunner  # type: ignore[misc]


def payload(msgs: list[ForwardMsg], browser_cache: set[str]) -> dict[str, int]:
    """Bytes of one rerun: all deltas, Vega-Lite part, and after the browser's cache."""
    total = vega = cached = 0
    for msg in msgs:
        size = msg.ByteSize()
        total += size
        element = msg.delta.new_element if msg.delta.HasField("new_element") else None
        if element is not None and element.HasField("vega_lite_chart"):
            chart = element.vega_lite_chart
            vega += len(chart.spec.encode()) + len(chart.data.data)
            vega += sum(len(ds.data.data) for ds in chart.datasets)
        hit = msg.metadata.cacheable and msg.hash in browser_cache
        cached += REF_STUB_BYTES if hit else size
    return {"total": total, "vega": vega, "cached": cached}


def chart_sizes(msgs: list[ForwardMsg]) -> list[tuple[str, int, int, int]]:
    """(chart title or description, spec bytes, data bytes, data rows) per Vega-Lite chart."""
    import json

    import pyarrow as pa

    found = []
    for msg in msgs:
        if not (
            msg.delta.HasField("new_element") and msg.delta.new_element.HasField("vega_lite_chart")
        ):
            continue
        chart = msg.delta.new_element.vega_lite_chart
        spec = json.loads(chart.spec or "{}")
        title = chart.alt or spec.get("description") or spec.get("title") or "(untitled)"
        if isinstance(title, dict):
            title = title.get("text") or "(untitled)"
        if isinstance(title, list):
            title = " ".join(map(str, title))
        blobs = [chart.data.data] if chart.data.data else []
        blobs += [ds.data.data for ds in chart.datasets]
        rows = 0
        for blob in blobs:
            with pa.ipc.open_stream(blob) as reader:
                rows += reader.read_all().num_rows
        found.append((str(title)[:70], len(chart.spec.encode()), sum(map(len, blobs)), rows))
    return found


def cacheable_hashes(msgs: list[ForwardMsg]) -> set[str]:
    return {msg.hash for msg in msgs if msg.metadata.cacheable}


# --- one page --------------------------------------------------------------------------


def movable_sliders(at: AppTest) -> list[Any]:
    found = [w for w in (*at.slider, *at.select_slider) if is_movable(w.proto)]
    return sorted(found, key=lambda w: w.id)


def errors_of(at: AppTest) -> list[str]:
    return [str(e.value)[:200] for e in at.exception] + [e.value[:200] for e in at.error]


def measure(
    script: Path, page: str | None, reruns: int, rng: random.Random, warmup: int = 3
) -> dict[str, Any]:
    at = AppTest.from_file(str(script), default_timeout=120)
    start = time.perf_counter()
    at.run()
    if page:
        at.switch_page(page).run()
    first_run = time.perf_counter() - start
    if errors := errors_of(at):
        return {"error": errors[0]}
    cache = cacheable_hashes(_last_run_msgs)
    first_bytes = payload(_last_run_msgs, set())

    times: list[float] = []
    cpu_times: list[float] = []  # CPU of this process: robust to other load on the machine
    per_widget: dict[str, list[float]] = {}
    sizes: list[dict[str, int]] = []
    moves: list[str] = []
    failures: list[str] = []
    for i in range(warmup + reruns):
        sliders = movable_sliders(at)
        label = "(no slider: plain rerun)"
        if sliders:
            slider = sliders[i % len(sliders)]
            value = random_value(slider.proto, rng)
            slider.set_value(value)
            label = slider.label
            moves.append(f"{slider.key or label}={value}")
        start, cpu_start = time.perf_counter(), time.process_time()
        at.run()
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        if errors_of(at):
            # Keep going (the page recovers on the next move) but remember how to
            # reproduce it: the moves so far, in order.
            failures.append(" -> ".join(moves[-4:]))
        sizes_now = payload(_last_run_msgs, cache)
        cache = cacheable_hashes(_last_run_msgs)
        if i < warmup:
            continue
        times.append(elapsed)
        cpu_times.append(cpu)
        per_widget.setdefault(label, []).append(elapsed)
        sizes.append(sizes_now)
    slowest = max(per_widget.items(), key=lambda item: statistics.median(item[1]))
    return {
        "first_run": first_run,
        "first_bytes": first_bytes["total"],
        "median": statistics.median(times),
        "p90": percentile(times, 90),
        "cpu": statistics.median(cpu_times),
        "n": len(times),
        "n_sliders": len(movable_sliders(at)),
        "bytes_total": statistics.median(s["total"] for s in sizes),
        "bytes_max": max(s["total"] for s in sizes),
        "bytes_vega": statistics.median(s["vega"] for s in sizes),
        "bytes_cached": statistics.median(s["cached"] for s in sizes),
        "n_charts": len(at.get("vega_lite_chart")),
        "slowest": (slowest[0], statistics.median(slowest[1])),
        "failures": failures,
        "charts": chart_sizes(_last_run_msgs),
    }


def page_list() -> list[tuple[str, str]]:
    """(label, script) for each page of the app's page registry."""
    return [(f"{title} (/{path})", script) for title, path, script in app_pages()]


def main() -> None:
    quiet_streamlit_logs()
    record_forward_msgs()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=20, help="measured reruns per page")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pages", default="", help="comma-separated URL paths (default: all)")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    print_machine()
    wanted = {p.strip() for p in args.pages.split(",") if p.strip()}
    pages = [(n, h) for n, h in page_list() if not wanted or n.split("(/")[-1][:-1] in wanted]
    targets = [("floor page", FLOOR, None)] + [(name, APP, h) for name, h in pages]
    results = [(name, measure(script, h, args.reruns, rng)) for name, script, h in targets]
    # Measure the floor a second time at the end: drift between the two says how
    # noisy this machine was during the run.
    floor_again = measure(FLOOR, None, args.reruns, rng)
    floor = statistics.median([results[0][1]["median"], floor_again["median"]])
    floor_cpu = statistics.median([results[0][1]["cpu"], floor_again["cpu"]])

    rows, size_rows, slow_rows = [], [], []
    failure_lines: list[str] = []
    for name, r in results:
        if "error" in r:
            rows.append([name, "ERROR", r["error"], "", "", "", "", "", ""])
            continue
        ratio = r["median"] / floor
        rows.append(
            [
                name,
                ms(r["median"]),
                ms(r["p90"]),
                f"{ratio:.1f}x" + ("" if ratio <= 3 else " (over 3x)"),
                ms(r["cpu"]),
                f"{r['cpu'] / floor_cpu:.1f}x",
                r["n"],
                r["n_sliders"],
                ms(r["first_run"]),
            ]
        )
        over = " (over 150)" if r["bytes_total"] > 150_000 else ""
        size_rows.append(
            [
                name,
                r["n_charts"],
                kb(r["bytes_total"]) + over,
                kb(r["bytes_max"]),
                kb(r["bytes_vega"]),
                kb(r["bytes_cached"]),
                kb(r["first_bytes"]),
            ]
        )
        slow_rows.append([name, r["slowest"][0], ms(r["slowest"][1])])
        for failure in r["failures"]:
            failure_lines.append(f"- {name}: error box after the moves {failure}")

    print(
        f"floor median: first pass {ms(results[0][1]['median'])} ms, "
        f"second pass {ms(floor_again['median'])} ms; ratios use their median {ms(floor)} ms\n"
    )
    print("Rerun after a slider move (AppTest, ms)\n")
    print(
        markdown_table(
            [
                "page",
                "median",
                "p90",
                "ratio to floor",
                "CPU median",
                "CPU ratio",
                "reruns",
                "sliders",
                "first run",
            ],
            rows,
        )
    )
    print("\nBytes per rerun (kB = 1000 bytes; medians over the measured reruns)\n")
    print(
        markdown_table(
            [
                "page",
                "charts",
                "rerun total",
                "rerun max",
                "Vega-Lite part",
                "with browser cache",
                "first load",
            ],
            size_rows,
        )
    )
    print("\nSlowest slider per page (median of its reruns, ms)\n")
    print(markdown_table(["page", "slider", "median"], slow_rows))
    chart_rows = [
        [name, title, kb(spec), kb(data), rows]
        for name, r in results
        if "charts" in r
        for title, spec, data, rows in sorted(r["charts"], key=lambda c: -(c[1] + c[2]))
    ]
    print("\nEach chart of the last measured rerun, largest first (kB; rows of its datasets)\n")
    print(markdown_table(["page", "chart", "spec", "data", "rows"], chart_rows))
    if failure_lines:
        print("\nReruns that ended in an exception (counted in the timings above)\n")
        print("\n".join(failure_lines))


if __name__ == "__main__":
    main()
