"""Where a page's rerun time goes: a sampling profile of slider-move reruns in AppTest.

A background thread samples the script thread's stack every millisecond while the page
is rerun after random slider moves; the report shows, for the project's own lines
(pages/, xent/, streamlit_app.py) and for the library functions they call, the share of
samples in which each appears (inclusive time).

    .venv/bin/python benchmarks/profile_page.py bernoulli [--reruns 20] [--top 25]
        [--label "True probability"]  # only sliders whose label starts so (repeatable)
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import APP, ROOT, app_pages, quiet_streamlit_logs
from streamlit.testing.v1 import AppTest
from widgets import is_movable, random_value

LIBRARY_HOTSPOTS = (
    "altair/vegalite/v6/api.py:to_dict",
    "altair/utils/schemapi.py:validate",
    "altair/utils/schemapi.py:to_dict",
    "streamlit/elements/vega_charts.py:_altair_chart",
    "streamlit/elements/lib/built_in_chart_utils.py",
    "streamlit/dataframe_util.py:convert_pandas_df_to_arrow_bytes",
    "streamlit/runtime/caching/cache_utils.py:__call__",
    "streamlit/runtime/caching/hashing.py:update_hash",
    "jsonschema",
    "pandas",
    "numpy",
)


def _frame_key(code_file: str, lineno: int, name: str) -> str | None:
    path = Path(code_file)
    try:
        rel = path.resolve().relative_to(ROOT)
    except ValueError:
        rel = None
    if rel is not None and rel.parts[0] in ("pages", "xent", "streamlit_app.py"):
        return f"{rel}:{lineno} {name}"
    text = f"{code_file}:{name}"
    for hot in LIBRARY_HOTSPOTS:
        if hot in text:
            return f"[lib] {hot}"
    return None


def main() -> None:
    quiet_streamlit_logs()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", help="URL path of the page, e.g. bernoulli ('' for home)")
    parser.add_argument("--reruns", type=int, default=20)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--label",
        dest="labels",
        action="append",
        default=[],
        help="move only the sliders whose label starts with this (repeatable)",
    )
    args = parser.parse_args()

    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.switch_page(next(script for _, path, script in app_pages() if path == args.page)).run()

    counts: collections.Counter[str] = collections.Counter()
    total = 0
    stop = threading.Event()
    main_id = threading.get_ident()

    def sample() -> None:
        nonlocal total
        me = threading.get_ident()
        while not stop.is_set():
            time.sleep(0.001)
            for thread_id, frame in sys._current_frames().items():
                if thread_id in (me, main_id):
                    continue
                seen: set[str] = set()
                f = frame
                while f is not None:
                    key = _frame_key(f.f_code.co_filename, f.f_lineno, f.f_code.co_name)
                    if key:
                        seen.add(key)
                    f = f.f_back
                if seen:
                    total += 1
                    counts.update(seen)

    rng = random.Random(args.seed)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    for i in range(args.reruns):
        sliders = sorted(
            (
                w
                for w in (*at.slider, *at.select_slider)
                if is_movable(w.proto)
                and (not args.labels or w.label.startswith(tuple(args.labels)))
            ),
            key=lambda w: w.id,
        )
        if sliders:
            slider = sliders[i % len(sliders)]
            slider.set_value(random_value(slider.proto, rng))
        at.run()
    elapsed = time.perf_counter() - start
    stop.set()
    sampler.join()

    print(f"{args.reruns} reruns of /{args.page} in {elapsed:.1f} s; {total} samples\n")
    print("| share | where |\n|---|---|")
    for key, n in counts.most_common(args.top):
        print(f"| {100 * n / max(total, 1):.0f}% | `{key}` |")


if __name__ == "__main__":
    main()
