"""Concurrent students: N WebSocket sessions moving sliders at a human pace.

Each virtual student is a `stclient.Session`: it speaks Streamlit's own browser protocol
(protobuf BackMsg/ForwardMsg over /_stcore/stream), opens one page of the app (students
are spread round-robin over the pages that have sliders), then, until the time is up,
waits a think time drawn uniformly from --think (default 1-3 s), moves one random slider
of its page to a random value, and waits for the rerun to finish (script_finished). The
latency is send -> script_finished, as a browser would see it minus rendering.

It is a closed loop (a student does not move again before the page has answered), so an
overloaded server shows up as long latencies and fewer moves per second than offered
(offered = N / mean think time). The server's memory (RSS, summed over --pids) is sampled
every 0.5 s. Its CPU is read from the processes' CPU-time clocks (ns, all threads:
`cpuclock.ProcessCpuClock`), as means over the round: all CPU / reruns, and split into the
opens (all students open their page before anyone moves) and the moves, so that "CPU per
rerun, moves only" does not carry the N page opens of the round. And per rerun
(`cpuclock.CpuLedger`): the CPU between two consecutive events of any student (a rerun
sent, a rerun's script_finished received) goes in equal parts to the reruns in flight
then, which gives the median and p90 per rerun; CPU while no rerun is in flight is
"unattributed", and moves + opens + unattributed = the round's total. At N=1 a rerun's
share is the server's CPU from its send to its script_finished (what bench_controls.py
measures, less the 20 ms after); with reruns overlapping, equal parts is an estimate.
`--groups` prints the attributed CPU per control group as well. Everything is bounded:
--duration per N, a per-rerun timeout, and a hard deadline after which the run is abandoned.

    # against a server this script starts (`streamlit run`, or main's old configuration):
    .venv/bin/python benchmarks/load.py --start-server [--launcher before] --sessions 1,10,30,60
    # against anything already running (e.g. deploy/run_cluster.sh behind nginx):
    .venv/bin/python benchmarks/load.py --url http://127.0.0.1:8580 --pids 123,456
    # the same students in Japanese (issue 25: CPU per move within noise of English):
    .venv/bin/python benchmarks/load.py --start-server --sessions 10 --query lang=ja
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import resource
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    APP,
    LAUNCHERS,
    ROOT,
    Server,
    free_ports,
    kb,
    markdown_table,
    ms,
    percentile,
    print_machine,
    rss_kib,
)
from cpuclock import CpuLedger, ProcessCpuClock
from stclient import RerunResult, Session


@dataclass
class Round:
    n: int
    results: list[RerunResult] = field(default_factory=list)
    opens: list[float] = field(default_factory=list)
    open_cpu: list[float] = field(default_factory=list)  # attributed server CPU per open
    failures: list[str] = field(default_factory=list)
    rss_samples: list[int] = field(default_factory=list)
    rss_before: int = 0
    cpu_seconds: float = 0.0
    open_cpu_seconds: float = 0.0  # the server's CPU while the students opened their pages
    cpu_per_pid: list[float] = field(default_factory=list)
    seconds: float = 0.0
    client_cpu: float = 0.0
    offered_per_s: float = 0.0
    ledger: CpuLedger | None = None  # each rerun's share of the server's CPU

    def move_cpu(self) -> list[float]:
        """The server CPU attributed to each slider move that finished, in seconds."""
        return [x.cpu_s for x in self.results if x.cpu_s == x.cpu_s]  # NaN: no ledger


async def discover_pages(base_url: str, timeout: float) -> list[str]:
    """URL paths of the app's pages that have at least one slider."""
    probe = Session(base_url, "", timeout=timeout)
    await probe.open()
    paths: list[str] = []
    assert probe.ws is not None
    await probe.close()
    # The navigation message lists the pages; open each once to see if it has sliders.
    for path in probe.nav_paths or [""]:
        session = Session(base_url, path, timeout=timeout)
        try:
            await session.open()
            if session.sliders():
                paths.append(path)
        finally:
            await session.close()
    return paths or [""]


async def student(
    session: Session,
    rng: random.Random,
    think: tuple[float, float],
    deadline: float,
    out: Round,
) -> None:
    while True:
        pause = rng.uniform(*think)
        if time.monotonic() + pause >= deadline:
            return
        await asyncio.sleep(pause)
        try:
            out.results.append(await session.move_random_slider(rng))
        except (TimeoutError, ConnectionError, OSError) as exc:
            out.failures.append(f"{session.page or '/'}: {type(exc).__name__} {exc}")
            return


async def run_round(
    base_url: str,
    n: int,
    pages: list[str],
    pids: list[int],
    duration: float,
    think: tuple[float, float],
    timeout: float,
    seed: int,
    query: str = "",
) -> Round:
    out = Round(n=n, offered_per_s=n / statistics.mean(think))
    out.rss_before = sum(rss_kib(pid) for pid in pids)
    clock = ProcessCpuClock(pids)
    if pids:
        out.ledger = CpuLedger(clock.read_ns)
        out.ledger.start()
    cpu_before = clock.per_pid_ns()
    client_before = resource.getrusage(resource.RUSAGE_SELF)
    sessions = [
        Session(base_url, pages[i % len(pages)], timeout=timeout, ledger=out.ledger, query=query)
        for i in range(n)
    ]

    async def sample_rss(stop: asyncio.Event) -> None:
        while not stop.is_set():
            out.rss_samples.append(sum(rss_kib(pid) for pid in pids))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.5)

    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_rss(stop))
    start = time.monotonic()
    try:
        # Students arrive over a few seconds, as a class does, not all in one instant.
        ramp = min(5.0, 0.1 * n)

        async def arrive(i: int, session: Session) -> None:
            await asyncio.sleep(ramp * i / max(n, 1))
            opened = await session.open()
            out.opens.append(opened.seconds)
            out.open_cpu.append(opened.cpu_s)

        opened = await asyncio.gather(
            *(arrive(i, s) for i, s in enumerate(sessions)), return_exceptions=True
        )
        for s, result in zip(sessions, opened, strict=True):
            if isinstance(result, BaseException):
                out.failures.append(f"{s.page or '/'}: open failed: {result!r}")
        # Nobody moves a slider before every student has opened a page, so the CPU until
        # here is the opens' and the rest is the moves'.
        out.open_cpu_seconds = (clock.read_ns() - sum(cpu_before)) / 1e9
        live = [s for s, r in zip(sessions, opened, strict=True) if r is None]
        deadline = time.monotonic() + duration
        await asyncio.gather(
            *(
                student(s, random.Random(seed * 1000 + i), think, deadline, out)
                for i, s in enumerate(live)
            )
        )
    finally:
        out.seconds = time.monotonic() - start
        if out.ledger is not None:
            out.ledger.close()
        out.cpu_per_pid = [
            (a - b) / 1e9 for a, b in zip(clock.per_pid_ns(), cpu_before, strict=True)
        ]
        out.cpu_seconds = sum(out.cpu_per_pid)
        stop.set()
        await sampler
        await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)
        client_after = resource.getrusage(resource.RUSAGE_SELF)
        out.client_cpu = (client_after.ru_utime + client_after.ru_stime) - (
            client_before.ru_utime + client_before.ru_stime
        )
    return out


def summarize(rounds: list[Round], label: str) -> str:
    rows = []
    for r in rounds:
        lat = [x.seconds for x in r.results]
        errors = sum(1 for x in r.results if x.errors)
        moves_per_s = len(lat) / max(r.seconds, 1e-9)
        peak = max(r.rss_samples or [0])
        rows.append(
            [
                r.n,
                len(lat),
                f"{moves_per_s:.1f} / {r.offered_per_s:.1f}",
                ms(percentile(lat, 50)) if lat else "-",
                ms(percentile(lat, 95)) if lat else "-",
                ms(max(lat)) if lat else "-",
                ms(statistics.median(r.opens)) if r.opens else "-",
                kb(statistics.median(x.bytes_received for x in r.results)) if lat else "-",
                sum(1 for x in r.results if x.fragment),
                f"{errors + len(r.failures)}",
                f"{r.rss_before / 1024:.0f} -> {peak / 1024:.0f}",
                " + ".join(f"{100 * c / max(r.seconds, 1e-9):.0f}%" for c in r.cpu_per_pid) or "-",
                ms(r.cpu_seconds / max(len(lat), 1)),
                ms(r.open_cpu_seconds / max(len(r.opens), 1)),
                ms((r.cpu_seconds - r.open_cpu_seconds) / max(len(lat), 1)),
                *attributed_cells(r),
                f"{100 * r.client_cpu / max(r.seconds, 1e-9):.0f}%",
            ]
        )
    header = [
        "N",
        "reruns",
        "reruns/s done / offered",
        "p50 ms",
        "p95 ms",
        "max ms",
        "page open ms (median)",
        "kB per rerun",
        "fragment reruns",
        "errors",
        "server RSS MiB (before -> peak)",
        "server CPU (per process, of one core)",
        "server CPU ms per rerun (all CPU / reruns, as in earlier rounds)",
        "server CPU ms per page open",
        "server CPU ms per rerun, moves only (after the opens)",
        *ATTRIBUTED_HEADER,
        "load-generator CPU",
    ]
    return f"{label}\n\n" + markdown_table(header, rows)


ATTRIBUTED_HEADER = (
    "attributed CPU ms per rerun, moves: median",
    "attributed CPU ms per rerun, moves: p90",
    "attributed CPU ms per rerun, moves: mean",
    "attributed CPU ms per page open: median",
    "server CPU s: moves + opens + unattributed = total",
)


def attributed_cells(r: Round) -> list[str]:
    """The ATTRIBUTED_HEADER cells of one round ("-" without server pids)."""
    moves = r.move_cpu()
    opens = [x for x in r.open_cpu if x == x]
    if r.ledger is None or not moves:
        return ["-"] * len(ATTRIBUTED_HEADER)
    shares = r.ledger.attributed_ns
    split = (
        f"{shares.get('move', 0) / 1e9:.2f} + {shares.get('open', 0) / 1e9:.2f} + "
        f"{r.ledger.unattributed_ns / 1e9:.2f} = {r.ledger.total_ns / 1e9:.2f}"
    )
    return [
        ms(statistics.median(moves)),
        ms(percentile(moves, 90)),
        ms(statistics.mean(moves)),
        ms(statistics.median(opens)) if opens else "-",
        split,
    ]


def group_table(r: Round) -> str:
    """Attributed CPU per control group (page, fragment) of one round, as bench_controls
    groups the sliders: page-level ones (a full rerun) and each fragment's."""
    groups: dict[tuple[str, str], list[RerunResult]] = {}
    for x in r.results:
        groups.setdefault((x.page, x.fragment_id), []).append(x)
    rows = []
    for (page, fragment_id), results in sorted(groups.items()):
        cpu = [x.cpu_s for x in results if x.cpu_s == x.cpu_s]
        if not cpu:
            continue
        kind = "section (fragment)" if fragment_id else "page-level (full rerun)"
        labels = ", ".join(dict.fromkeys(x.widget for x in results)).replace("|", "\\|")
        rows.append(
            [
                f"/{page}",
                f"{kind}: {labels}",
                len(cpu),
                f"{1000 * statistics.mean(cpu):.1f}",
                ms(statistics.median(cpu)),
                ms(percentile(cpu, 90)),
            ]
        )
    header = [
        "page",
        "control group",
        "moves",
        "attributed CPU ms per rerun (mean)",
        "median",
        "p90",
    ]
    return f"Control groups at N={r.n}\n\n" + markdown_table(header, rows)


async def main_async(args: argparse.Namespace) -> None:
    counts = [int(x) for x in args.sessions.split(",")]
    think = tuple(float(x) for x in args.think.split(","))
    if len(think) != 2 or not 0 < think[0] <= think[1]:
        raise SystemExit("--think wants two numbers 0 < low <= high, e.g. 1,3")
    server: Server | None = None
    base_url = args.url
    pids = [int(p) for p in args.pids.split(",") if p.strip()] if args.pids else []
    if args.pid_file:
        pids += [int(x) for x in Path(args.pid_file).read_text().split()]
    if args.start_server:
        script = Path(args.script).resolve() if args.script else APP
        server = Server(script, port=free_ports(1)[0], launcher=args.launcher)
        await asyncio.to_thread(server.start)
        base_url, pids = server.base_url, [server.pid]
    assert base_url, "give --url or --start-server"
    try:
        ProcessCpuClock(pids)
    except OSError as exc:  # e.g. a server in another pid namespace (a container)
        raise SystemExit(f"{exc}: give --pids of server processes this machine sees") from exc
    try:
        pages = args.pages.split(",") if args.pages else await discover_pages(base_url, 60)
        print(
            f"target {base_url}; pages {', '.join('/' + p for p in pages)}; "
            f"think time {think[0]:g}-{think[1]:g} s; {args.duration:g} s per N; "
            f"server pids {pids or 'unknown'}; query {args.query or '(none)'}\n"
        )
        rounds = []
        for n in counts:
            # Hard stop for this N: arrivals (a page open costs ~1 s of server CPU each),
            # the measured window, and the last rerun's timeout.
            budget = args.duration + args.timeout + 60 + 3 * n
            r = await asyncio.wait_for(
                run_round(
                    base_url,
                    n,
                    pages,
                    pids,
                    args.duration,
                    think,
                    args.timeout,
                    args.seed,
                    args.query,
                ),
                budget,
            )
            rounds.append(r)
            for failure in r.failures[:5]:
                print(f"  N={n}: {failure}")
            # Let the server drop the closed sessions before the next round.
            await asyncio.sleep(args.pause)
        print(summarize(rounds, args.label or f"Load against {base_url}"))
        if args.groups:
            for r in rounds:
                print()
                print(group_table(r))
    finally:
        if server is not None:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url",
        default=os.environ.get("XENT_CLUSTER_URL"),
        help="base URL of a running app (default: $XENT_CLUSTER_URL from run_cluster.sh)",
    )
    parser.add_argument("--pids", default="", help="server pids to sample (comma-separated)")
    parser.add_argument(
        "--pid-file",
        default=os.environ.get("XENT_CLUSTER_PIDFILE"),
        help="file with server pids (default: $XENT_CLUSTER_PIDFILE from run_cluster.sh)",
    )
    parser.add_argument("--start-server", action="store_true", help="start one server")
    parser.add_argument(
        "--launcher",
        choices=LAUNCHERS,
        default="stock",
        help="with --start-server: `streamlit run` with the repository's settings (stock) "
        "or main's configuration before issue 9 (before)",
    )
    parser.add_argument(
        "--script", help="with --start-server: another script, e.g. benchmarks/floor_page.py"
    )
    parser.add_argument("--sessions", default="1,10,30,60")
    parser.add_argument("--duration", type=float, default=40.0, help="seconds per N")
    parser.add_argument("--think", default="1,3", help="think time range in seconds")
    parser.add_argument("--timeout", type=float, default=30.0, help="longest wait per rerun")
    parser.add_argument("--pause", type=float, default=3.0, help="seconds between rounds")
    parser.add_argument("--pages", default="", help="URL paths to use (default: all)")
    parser.add_argument(
        "--query", default="", help="query string every student's page has, e.g. lang=ja"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--label", default="")
    parser.add_argument(
        "--groups",
        action="store_true",
        help="also print the attributed CPU per control group (page, fragment) of each N",
    )
    parser.add_argument("--no-machine", action="store_true")
    args = parser.parse_args()
    if not args.no_machine:
        print_machine()
    if args.start_server:
        print(f"app: {ROOT}\n")
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
