"""Server CPU per rerun for each control group of each lesson page (issue 9, item 3).

A "control group" is the set of sliders that rerun the same part of the page: the sliders
outside any ``st.fragment`` (page-level controls such as p, K: a full rerun of the page)
and, for each fragment, the sliders inside it (a section's controls: only that section
reruns). One WebSocket student (``stclient.Session``, Streamlit's own browser protocol,
fragment ids and the browser's message cache included) opens each page on a real
``streamlit run`` server and moves the sliders of one group at a time to random values on
their grid, waiting for each rerun to finish. The server is otherwise idle, so the CPU time
it spent between the send and the end of the rerun (its CPU-time clock, to the ns:
``cpuclock.ProcessCpuClock``) is that rerun's cost; the table shows the mean over the
group's moves, the median and p90 wall time, bytes per rerun and error boxes.

Several app trees can be compared in one run, each on its own server, interleaved page by
page with the same random moves (the machine's load then hits both alike):

    before=$(benchmarks/snapshot.sh 33624e1)
    .venv/bin/python benchmarks/bench_controls.py --app before=$before --app after=.

Sliders only: a multiselect (Loss Comparison's loss list) or a text input is not moved.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    ROOT,
    Server,
    free_ports,
    kb,
    markdown_table,
    ms,
    percentile,
    print_machine,
)
from cpuclock import ProcessCpuClock
from stclient import Session
from widgets import random_value, widget_state

PAGES = ("bernoulli", "multiclass", "loss-comparison")
SETTLE_S = 0.02
"""Wait after script_finished before reading the server's CPU, so that the last frames'
send is counted; an idle server adds nothing in that time."""


@dataclass
class Group:
    """The moves of one control group of one page on one app tree."""

    page: str
    fragment_id: str
    labels: list[str] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)
    wall_s: list[float] = field(default_factory=list)
    bytes_received: list[int] = field(default_factory=list)
    errors: int = 0

    @property
    def name(self) -> str:
        kind = "page-level (full rerun)" if not self.fragment_id else "section (fragment)"
        labels = ", ".join(self.labels).replace("|", "\\|")  # a label may hold "|q − p|"
        return f"{kind}: {labels}"

    @property
    def cpu_ms_per_rerun(self) -> float:
        return 1000 * sum(self.cpu_s) / max(1, len(self.cpu_s))


def groups_of(session: Session) -> dict[str, list[str]]:
    """Fragment id ("" for page-level) -> the labels of its movable sliders, page order."""
    found: dict[str, list[str]] = {}
    for proto, fragment_id in session.sliders():
        found.setdefault(fragment_id, []).append(proto.label)
    return found


def pick_value(proto, rng: random.Random, distinct: int):
    """A random value on the slider's grid; with ``distinct`` > 0, one of that many values
    fixed per slider (a class following the teacher's "set p to 0.8": the same settings
    come back, so the caches are hit)."""
    if distinct <= 0:
        return random_value(proto, rng)
    choices = [random_value(proto, random.Random(f"{proto.label}-{i}")) for i in range(distinct)]
    return rng.choice(choices)


async def measure_page(
    server: Server, page: str, moves: int, seed: int, timeout: float, distinct: int = 0
) -> list[Group]:
    """Open ``page`` on ``server`` and move each control group's sliders ``moves`` times."""
    session = Session(server.base_url, page, timeout=timeout)
    clock = ProcessCpuClock([server.pid])
    await session.open()
    try:
        groups = [
            Group(page, fragment_id, labels) for fragment_id, labels in groups_of(session).items()
        ]
        for group in groups:
            rng = random.Random(f"{seed}-{page}-{group.fragment_id or 'page'}")
            for _ in range(moves):
                sliders = [p for p, f in session.sliders() if f == group.fragment_id]
                if not sliders:
                    break
                proto = rng.choice(sliders)
                state = widget_state(proto, pick_value(proto, rng, distinct))
                before = clock.read_ns()
                result = await session.rerun(state, group.fragment_id)
                await asyncio.sleep(SETTLE_S)
                group.cpu_s.append((clock.read_ns() - before) / 1e9)
                group.wall_s.append(result.seconds)
                group.bytes_received.append(result.bytes_received)
                group.errors += result.errors
        return groups
    finally:
        await session.close()


def table(results: dict[str, list[Group]]) -> str:
    """One row per page and control group, the app trees side by side."""
    labels = list(results)
    header = ["page", "control group", "moves"]
    for label in labels:
        header += [f"{label}: CPU ms per rerun (mean)", f"{label}: wall ms median / p90"]
    header += [f"{label}: kB per rerun" for label in labels]
    header += ["errors"]
    first = results[labels[0]]
    rows = []
    for i, group in enumerate(first):
        same = [results[label][i] if i < len(results[label]) else None for label in labels]
        row: list[object] = [f"/{group.page}", group.name, len(group.cpu_s)]
        for g in same:
            if g is None or not g.wall_s:
                row += ["-", "-"]
                continue
            wall = f"{ms(statistics.median(g.wall_s))} / {ms(percentile(g.wall_s, 90))}"
            row += [f"{g.cpu_ms_per_rerun:.1f}", wall]
        row += [kb(statistics.median(g.bytes_received)) if g and g.wall_s else "-" for g in same]
        row.append(sum(g.errors for g in same if g))
        rows.append(row)
    return markdown_table(header, rows)


def parse_apps(specs: list[str]) -> dict[str, Path]:
    apps: dict[str, Path] = {}
    for spec in specs or [f"this checkout={ROOT}"]:
        label, sep, path = spec.partition("=")
        if not sep:
            raise SystemExit(f"--app {spec!r}: use LABEL=PATH")
        root = Path(path).resolve()
        if not (root / "streamlit_app.py").is_file():
            raise SystemExit(f"--app {spec!r}: no streamlit_app.py in {root}")
        apps[label] = root
    return apps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--app", action="append", default=[], help="LABEL=PATH of an app tree (repeatable)"
    )
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated URL paths")
    parser.add_argument("--moves", type=int, default=20, help="moves per control group")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument(
        "--distinct",
        type=int,
        default=0,
        help="draw each slider's values from this many fixed values (0: any value)",
    )
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--no-machine", action="store_true")
    args = parser.parse_args(argv)
    apps = parse_apps(args.app)
    pages = [p.strip().strip("/") for p in args.pages.split(",") if p.strip()]
    if not args.no_machine:
        print_machine()
    ports = free_ports(len(apps))  # one port each, chosen before any server starts
    servers = {
        label: Server(root / "streamlit_app.py", port=port, root=root)
        for (label, root), port in zip(apps.items(), ports, strict=True)
    }
    results: dict[str, list[Group]] = {label: [] for label in apps}
    started = time.perf_counter()
    try:
        for server in servers.values():
            server.start()
        for page in pages:  # interleaved: each page on every tree before the next page
            for label, server in servers.items():
                groups = asyncio.run(
                    measure_page(server, page, args.moves, args.seed, args.timeout, args.distinct)
                )
                results[label].extend(groups)
    finally:
        for server in servers.values():
            server.stop()
    load = " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(
        f"{len(pages)} pages, {args.moves} moves per group, {time.perf_counter() - started:.0f} s;"
    )
    print(f"load average (1/5/15 min) at the end: {load}")
    print()
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
