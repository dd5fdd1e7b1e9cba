"""What a chart costs the server per rerun, and what xent.spec_cache's caches save (issue 9).

For real charts of the lesson pages, built from the same cached frames the pages use, it
times in this process (CPU time, median of --repeat calls):

- **build + convert**: the builder (``charts.*``/``ui.*_chart``), ``Chart.streamlit_spec()``
  and Streamlit's own Arrow conversion of every frame (``st.vega_lite_chart`` without
  caches, what main did before this round);
- **build, Arrow cached**: the same, with ``xent.spec_cache.ArrowCache`` (what
  ``drawing.chart`` does now): the builder still runs, unchanged frames are not converted again;
- **finished spec cached**: ``drawing.finished_chart`` on a hit
  (``xent.spec_cache.SpecCache``): a key and a dictionary look-up.

Streamlit's own part of ``st.vega_lite_chart`` (``json.dumps`` of the spec, the proto, the
message hash) is the same for all three and not included.

    .venv/bin/python benchmarks/bench_chart_cache.py [--repeat 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import markdown_table, print_machine
from streamlit import dataframe_util

from xent import charts, frames, spec_cache


def _streamlit_convert(spec: dict) -> None:
    for data in spec.get("datasets", {}).values():
        dataframe_util.convert_anything_to_arrow_bytes(data)


def cases():
    """(label, builder, args, kwargs) of real lesson charts with the pages' default inputs."""

    loss_view, grad_view = frames.bernoulli_curves(0.7, 0.3)
    run = frames.neuron_run((1.0, 0.5), 0.7, (0.0, 0.0), 0.5, 40)
    names = ("Apple", "Gorilla", "Rappa")
    view = frames.softmax_view((2.0, 1.0, -1.0), 0, names, 0.0)
    descent = frames.logit_descent((0.0, 0.0, 0.0), 0, names, 0.0, 1.0, 30)
    return [
        (
            "Bernoulli: L(q) curves",
            charts.curves_chart,
            (loss_view,),
            {"x_title": "model prediction q", "y_title": "loss L (nats)", "height": 290},
        ),
        (
            "Bernoulli: gradient line",
            charts.curves_chart,
            (grad_view,),
            {"x_title": "q", "y_title": "∂L/∂z", "zero_rule": True, "height": 220},
        ),
        (
            "Bernoulli: q over the steps",
            charts.step_chart,
            (run.q,),
            {"y_title": "prediction q", "marker_step": 10, "height": 220},
        ),
        (
            "Multiclass: class bars",
            charts.class_bars,
            (view.bars,),
            {"class_order": names, "height": 280},
        ),
        (
            "Multiclass: simplex path",
            charts.simplex_chart,
            (descent.simplex, descent.corners),
            {"marker_step": 10, "height": 300},
        ),
    ]


def cpu_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time_ns()
        fn()
        times.append((time.process_time_ns() - start) / 1e6)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--no-machine", action="store_true")
    args = parser.parse_args(argv)
    if not args.no_machine:
        print_machine()
    rows = []
    for label, builder, a, kw in cases():
        arrow = spec_cache.ArrowCache()
        specs = spec_cache.SpecCache(arrow=arrow)
        specs.finished(builder, *a, **kw)  # warm: the hit is what a repeated rerun pays

        def plain(builder=builder, a=a, kw=kw):
            _streamlit_convert(builder(*a, **kw).streamlit_spec())

        def arrow_cached(builder=builder, a=a, kw=kw, arrow=arrow):
            spec_cache.arrow_ready(builder(*a, **kw).streamlit_spec(), arrow)

        def finished(builder=builder, a=a, kw=kw, specs=specs):
            specs.finished(builder, *a, **kw)

        full, half, hit = (cpu_ms(fn, args.repeat) for fn in (plain, arrow_cached, finished))
        rows.append([label, f"{full:.2f}", f"{half:.2f}", f"{hit:.3f}"])
    load = " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"CPU ms per chart, median of {args.repeat}; load average at the end: {load}\n")
    print(
        markdown_table(
            ["chart", "build + convert", "build, Arrow cached", "finished spec cached (hit)"],
            rows,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
