"""One command for the issue-9 table: main's old configuration and the repository's, interleaved.

For each N, one `load.py --start-server` round with the "before" launcher (postScriptGC on,
asyncio's loop, no gc.freeze) and one with the stock `streamlit run` and the repository's
settings, each on a fresh server, so that both see the same machine load. The host's load
average is printed before every round (the machine may be shared).

    .venv/bin/python benchmarks/before_after.py                       # N = 1,10,30,60,90
    .venv/bin/python benchmarks/before_after.py --sessions 10,30 --duration 20
    make bench-load
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import LAUNCHERS, ROOT, print_machine

LOAD = Path(__file__).resolve().parent / "load.py"


def table_rows(stdout: str) -> list[str]:
    """The data rows of load.py's table (header and separator dropped)."""
    rows = [line for line in stdout.splitlines() if line.startswith("| ")]
    return rows[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,10,30,60,90")
    parser.add_argument("--duration", default="30", help="seconds per N and launcher")
    parser.add_argument("--think", default="2,5")
    args = parser.parse_args()
    print_machine()
    header = None
    lines = []
    for n in args.sessions.split(","):
        for launcher in reversed(LAUNCHERS):  # "before" first
            load_avg = " ".join(f"{x:.2f}" for x in os.getloadavg())
            cmd = [
                sys.executable,
                str(LOAD),
                "--start-server",
                "--launcher",
                launcher,
                "--sessions",
                n,
                "--duration",
                args.duration,
                "--think",
                args.think,
                "--timeout",
                "60",
                "--no-machine",
            ]
            out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
            if out.returncode != 0:
                print(out.stdout, out.stderr, sep="\n", file=sys.stderr)
                raise SystemExit(f"load.py failed for N={n}, launcher {launcher}")
            table = [line for line in out.stdout.splitlines() if line.startswith("|")]
            header = header or table[:2]
            for row in table_rows(out.stdout):
                lines.append(f"| {launcher} | {load_avg} {row}")
            print(f"N={n} {launcher}: done (load average before: {load_avg})", file=sys.stderr)
    assert header is not None
    print("\n| launcher | load avg 1/5/15 min " + header[0])
    print("|---|---" + header[1])
    print("\n".join(lines))


if __name__ == "__main__":
    main()
