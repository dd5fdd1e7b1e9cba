"""Shared helpers for the benchmark scripts: statistics, machine facts, servers, memory.

Everything here talks only to 127.0.0.1 and every wait is bounded in time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
# The app under test: this checkout, or another tree (e.g. a `git archive` snapshot of a
# commit, so that measurements are not disturbed by edits in progress) named by
# XENT_APP_ROOT.
ROOT = Path(os.environ.get("XENT_APP_ROOT") or BENCH_DIR.parent).resolve()
APP = ROOT / "streamlit_app.py"
FLOOR = BENCH_DIR / "floor_page.py"


def _port_block() -> range:
    """The port block the benchmarks may use: 8550-8599, or XENT_BENCH_PORTS="LO-HI"."""
    lo, _, hi = os.environ.get("XENT_BENCH_PORTS", "8550-8599").partition("-")
    return range(int(lo), int(hi or lo) + 1)


PORTS = _port_block()

# Streamlit options for every benchmark server: where it listens, and no telemetry. Nothing
# that changes its speed: a benchmark measures the app's own .streamlit/config.toml, which
# is what `make run`, Docker and Community Cloud start (tests/test_benchmarks_smoke.py).
SERVER_FLAGS = (
    "--server.headless=true",
    "--server.address=127.0.0.1",
    "--browser.gatherUsageStats=false",
)


# --- statistics -----------------------------------------------------------------------


def percentile(values: Sequence[float], pct: float) -> float:
    """Linear-interpolated percentile (numpy's default method) without numpy."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100.0
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}" if seconds >= 0.1 else f"{seconds * 1000:.1f}"


def kb(n_bytes: float) -> str:
    return f"{n_bytes / 1000:.1f}"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


# --- machine --------------------------------------------------------------------------


def _first_line(cmd: Sequence[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    text = (out.stdout or out.stderr).strip().splitlines()
    return text[0] if text else "not found"


def machine_info() -> dict[str, str]:
    """The facts RESULTS.md records next to every table."""
    import altair
    import numpy
    import pandas
    import streamlit

    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    stamp = ROOT / ".xent_commit"  # written by benchmarks/snapshot.sh
    commit = os.environ.get("XENT_APP_COMMIT") or (
        f"{stamp.read_text().strip()} (snapshot {ROOT})"
        if stamp.exists()
        else _first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    )
    load = " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    return {
        "date (UTC)": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        "git commit": commit,
        "cpu": f"{os.cpu_count()} x {cpu}",
        "memory": mem,
        "load average (1/5/15 min) at start": load,
        "os": platform.platform(),
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "altair / pandas / numpy": f"{altair.__version__} / {pandas.__version__} / "
        f"{numpy.__version__}",
        "nginx": _first_line(["nginx", "-v"]) if shutil.which("nginx") else "not installed",
        "chromium": _first_line(["/usr/bin/chromium", "--version"])
        if Path("/usr/bin/chromium").exists()
        else "not installed",
    }


def quiet_streamlit_logs() -> None:
    """Keep app tracebacks (counted by the benchmarks) out of the printed tables."""
    # Streamlit re-applies logger.level from its config whenever options change (AppTest
    # does that on every run), so set it where the config reads it, too.
    os.environ["STREAMLIT_LOGGER_LEVEL"] = "critical"
    logging.disable(logging.CRITICAL)
    from streamlit import logger

    logger.set_log_level("CRITICAL")


def print_machine() -> None:
    print(markdown_table(["machine", ""], list(machine_info().items())))
    print()


# --- processes and memory -------------------------------------------------------------


def rss_kib(pid: int) -> int:
    """Resident set size of one process in KiB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_ports(count: int, start: int = PORTS.start) -> list[int]:
    found = [port for port in range(start, PORTS.stop) if port_is_free(port)][:count]
    if len(found) < count:
        raise RuntimeError(f"need {count} free ports in {PORTS.start}-{PORTS.stop - 1}")
    return found


def http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # loopback only
            return response.status == 200
    except OSError:
        return False


def wait_healthy(base_url: str, timeout: float = 60.0) -> float:
    """Poll /_stcore/health until it answers 200; return the seconds it took."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if http_ok(f"{base_url}/_stcore/health", timeout=1.0):
            return time.perf_counter() - start
        time.sleep(0.02)
    raise TimeoutError(f"{base_url} not healthy after {timeout:.0f} s")


LAUNCHERS = ("stock", "before")
"""How `Server` starts Streamlit. "stock": `streamlit run` with the repository's own settings
(what Docker, `make run` and Community Cloud run). "before": the same command in main's
configuration before issue 9 (postScriptGC on, asyncio's loop instead of uvloop, no
gc.freeze; see before_env/sitecustomize.py), for before/after tables in one run."""
BEFORE_ENV = Path(__file__).resolve().parent / "before_env"


class Server:
    """One `streamlit run` process on a loopback port, stopped on exit."""

    def __init__(
        self,
        script: Path = APP,
        port: int | None = None,
        log: Path | None = None,
        launcher: str = "stock",
        root: Path = ROOT,
    ):
        if launcher not in LAUNCHERS:
            raise ValueError(f"launcher {launcher!r}: use one of {', '.join(LAUNCHERS)}")
        self.script = script
        self.root = root  # the working directory: its .streamlit/config.toml applies
        self.launcher = launcher
        self.port = port or free_ports(1)[0]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None
        self.seconds_to_healthy = float("nan")

    def start(self, timeout: float = 60.0) -> Server:
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(self.script),
            f"--server.port={self.port}",
            *SERVER_FLAGS,
        ]
        env = dict(os.environ)
        if self.launcher == "before":
            cmd.append("--runner.postScriptGC=true")
            env["PYTHONPATH"] = os.pathsep.join(
                p for p in (str(BEFORE_ENV), env.get("PYTHONPATH", "")) if p
            )
        out = open(self.log, "wb") if self.log else subprocess.DEVNULL  # noqa: SIM115
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            cmd, cwd=self.root, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            wait_healthy(self.base_url, timeout)
        except TimeoutError:
            self.stop()
            raise
        self.seconds_to_healthy = time.perf_counter() - started
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def running_server(script: Path = APP, port: int | None = None) -> Iterator[Server]:
    server = Server(script, port)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def app_pages() -> list[tuple[str, str, str]]:
    """(title, url path, script) of every page of the app, "" the home page's path.

    Read from the app's page registry (``xent.navigation.entries()``) in a fresh Python at
    ``ROOT``, so that the benchmarks follow the pages as they are added, and a snapshot
    (``XENT_APP_ROOT``) answers with its own pages. Open one in AppTest with
    ``at.switch_page(script)``.
    """
    code = (
        "import json; from xent import navigation; print(json.dumps("
        "[(e.title, e.url_path, e.script) for e in navigation.entries()]))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return [(title, path, script) for title, path, script in json.loads(out.stdout)]
