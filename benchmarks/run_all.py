"""Run every benchmark in turn and keep the printed tables (`make bench`).

Each step is a separate process with a time limit; its output is printed and appended to
artifacts/bench-<UTC time>.md, under the exact command that produced it. Steps:

    core      benchmarks/bench_core.py            numpy core and training (issue 3)
    rerun     benchmarks/bench_rerun.py           AppTest rerun latency + bytes vs floor
    cold      benchmarks/bench_cold_start.py      imports, server start, Chromium loads
    browser   benchmarks/bench_browser_rerun.py   rerun latency in Chromium, before vs stock
    floor     benchmarks/load.py --script floor   the floor page under load (before, stock)
    load      benchmarks/load.py --start-server   N students on one process (before, stock)
    cluster   deploy/run_cluster.sh -k 1 / -k 2   the same load through nginx
    memory    benchmarks/bench_memory.py          RSS over 500 reruns; cache audit

    .venv/bin/python benchmarks/run_all.py                 # everything (~35 min)
    .venv/bin/python benchmarks/run_all.py --only rerun,load --quick
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PY = sys.executable


def steps(quick: bool) -> list[tuple[str, list[str], int]]:
    """(name, command, time limit in s) for every step."""
    duration = "10" if quick else "45"
    sessions = "1,10" if quick else "1,10,30,60"
    load = [
        PY,
        "benchmarks/load.py",
        "--sessions",
        sessions,
        "--duration",
        duration,
        "--timeout",
        "60",
        "--no-machine",
    ]
    cluster = [str(REPO / "deploy" / "run_cluster.sh")]
    return [
        ("core", [PY, "benchmarks/bench_core.py", *(["--quick"] if quick else [])], 900),
        ("rerun", [PY, "benchmarks/bench_rerun.py", "--reruns", "5" if quick else "20"], 900),
        ("cold", [PY, "benchmarks/bench_cold_start.py", "--repeat", "1" if quick else "3"], 900),
        (
            "browser",
            [PY, "benchmarks/bench_browser_rerun.py", "--moves", "4" if quick else "12"],
            900,
        ),
        *(
            (
                "floor",
                [
                    *load[:3],
                    "1,10,30",
                    *load[4:],
                    "--start-server",
                    "--script",
                    "benchmarks/floor_page.py",
                    "--launcher",
                    launcher,
                    "--label",
                    f"Floor page, one process, {launcher} launcher",
                ],
                900,
            )
            for launcher in ("before", "stock")
        ),
        (
            "load",
            [
                *load,
                "--start-server",
                "--launcher",
                "before",
                "--label",
                "One process: main before issue 9 (postScriptGC on, no uvloop, no gc.freeze)",
            ],
            1200,
        ),
        (
            "load",
            [
                *load,
                "--start-server",
                "--launcher",
                "stock",
                "--label",
                "One process: `streamlit run` with the repository's settings",
            ],
            1200,
        ),
        (
            "cluster",
            [
                *cluster,
                "-k",
                "1",
                "--",
                *load,
                "--label",
                "nginx + 1 process (deploy/run_cluster.sh -k 1)",
            ],
            1500,
        ),
        (
            "cluster",
            [
                *cluster,
                "-k",
                "2",
                "--",
                *load,
                "--label",
                "nginx + 2 processes (deploy/run_cluster.sh -k 2)",
            ],
            1500,
        ),
        (
            "memory",
            [PY, "benchmarks/bench_memory.py", "--reruns", "100" if quick else "500"],
            1800,
        ),
        (
            "memory",
            [
                PY,
                "benchmarks/bench_memory.py",
                "--reruns",
                "100" if quick else "500",
                "--launcher",
                "before",
            ],
            1800,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated step names")
    parser.add_argument("--quick", action="store_true", help="short runs, to try the setup")
    args = parser.parse_args()
    wanted = {s for s in args.only.split(",") if s}
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
    out_dir = REPO / "artifacts"
    out_dir.mkdir(exist_ok=True)
    out_path = out_dir / f"bench-{stamp}.md"
    failed = []
    with out_path.open("w") as out:
        for name, cmd, limit in steps(args.quick):
            if wanted and name not in wanted:
                continue
            shown = shlex.join(
                [
                    ".venv/bin/python"
                    if c == PY
                    else os.path.relpath(c, REPO)
                    if c.startswith(str(REPO))
                    else c
                    for c in cmd
                ]
            )
            header = f"\n## {name}\n\n`{shown}`\n"
            print(header, flush=True)
            out.write(header + "\n")
            start = time.monotonic()
            try:
                proc = subprocess.run(
                    cmd,
                    cwd=REPO,
                    capture_output=True,
                    text=True,
                    timeout=limit,
                    check=False,
                    env={**os.environ, "PYTHON": PY},  # run_cluster.sh uses this Python
                )
                text, code = proc.stdout, proc.returncode
                if code:
                    text += "\n" + proc.stderr[-3000:]
            except subprocess.TimeoutExpired as exc:
                text, code = (exc.stdout or b"").decode() + f"\n(timed out after {limit} s)", -1
            text += f"\n({time.monotonic() - start:.0f} s, exit code {code})\n"
            print(text, flush=True)
            out.write(text)
            out.flush()
            if code:
                failed.append(name)
    print(f"\nwritten to {out_path.relative_to(REPO)}" + (f"; failed: {failed}" if failed else ""))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
