"""Cheap checks that the benchmark and deployment pieces still fit together.

Benchmarks are not tests; this only checks, untimed, that the harness modules import, that
the nginx template renders completely, that the cluster script parses, that random slider
moves stay on the slider's grid, that every Streamlit cache in the app is bounded (issue 6:
max_entries or ttl), that the load harness drives a real `streamlit run` server with
three students for a few seconds (every rerun finishes, no error box, each rerun's CPU
share is measured), that the CPU clock it reads counts exited threads and the ledger's
shares add up, and that the playback bench sees script runs and paints in a real Chromium,
so they cannot rot.
"""

import importlib
import random
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.proto.Slider_pb2 import Slider

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
DEPLOY = ROOT / "deploy"


@pytest.fixture(autouse=True)
def _benchmarks_on_path(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    monkeypatch.syspath_prepend(str(DEPLOY))


@pytest.mark.parametrize(
    "module",
    [
        "_common",
        "widgets",
        "stclient",
        "cpuclock",
        "load",
        "bench_rerun",
        "bench_memory",
        "bench_controls",
        "bench_first_load",
        "bench_playback",
        "bench_chart_cache",
        "render_nginx",
    ],
)
def test_harness_module_imports(module):
    importlib.import_module(module)


def test_nginx_template_renders_every_placeholder():
    render_nginx = importlib.import_module("render_nginx")
    text = render_nginx.render("/tmp/xent-run", 8580, [8551, 8552])
    assert "@@" not in text
    assert text.count("server 127.0.0.1:855") == 2
    assert "listen 127.0.0.1:8580;" in text
    assert "hash $xent_route consistent;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_read_timeout 3600s;" in text
    with pytest.raises(ValueError, match="backend"):
        render_nginx.render("/tmp/xent-run", 8580, [])


def test_run_cluster_script_parses():
    subprocess.run(["bash", "-n", str(DEPLOY / "run_cluster.sh")], check=True, timeout=10)


@pytest.mark.parametrize(
    ("data_type", "lo", "hi", "step", "default"),
    [
        (Slider.DataType.FLOAT, 0.0, 1.0, 0.01, [0.3]),
        (Slider.DataType.INT, 1, 200, 1, [40]),
        (Slider.DataType.FLOAT, -5.0, 5.0, 0.1, [-1.0, 2.0]),
    ],
)
def test_random_slider_moves_stay_on_the_grid(data_type, lo, hi, step, default):
    widgets = importlib.import_module("widgets")
    proto = Slider(id="w", min=lo, max=hi, step=step, data_type=data_type, default=default)
    rng = random.Random(0)
    for _ in range(200):
        value = widgets.random_value(proto, rng)
        values = value if isinstance(value, tuple) else (value,)
        assert len(values) == len(default)
        for v in values:
            assert lo <= v <= hi
            assert abs((v - lo) / step - round((v - lo) / step)) < 1e-6
        state = widgets.widget_state(proto, value)
        assert list(state.double_array_value.data) == pytest.approx(list(values))


def test_every_streamlit_cache_is_bounded():
    bench_memory = importlib.import_module("bench_memory")
    rows = bench_memory.audit_caches([ROOT / "pages", ROOT / "xent"])
    unbounded = [row for row in rows if row[3] != "ok"]
    assert not unbounded, f"caches without max_entries / ttl: {unbounded}"


def test_load_harness_against_a_real_server():
    """Untimed: three students on a real `streamlit run`; every rerun finishes, no error box."""
    out = _run_bench(
        "load.py",
        "--start-server",
        "--sessions",
        "3",
        "--duration",
        "4",
        "--think",
        "0.2,0.5",
        "--timeout",
        "60",
        "--no-machine",
    )
    lines = out.stdout.splitlines()
    rows = [line for line in lines if line.startswith("| 3 |")]
    assert len(rows) == 1, out.stdout
    header = next(line for line in lines if line.startswith("| N |"))
    cell = dict(zip(_cells(header), _cells(rows[0]), strict=True))
    assert int(cell["reruns"]) >= 3, f"too few reruns finished:\n{out.stdout}"
    assert cell["errors"] == "0", f"reruns with an error box or a failure:\n{out.stdout}"
    # Each rerun's share of the server's CPU: a rerun costs the server something.
    for name in (
        "attributed CPU ms per rerun, moves: median",
        "attributed CPU ms per rerun, moves: p90",
        "attributed CPU ms per rerun, moves: mean",
        "attributed CPU ms per page open: median",
    ):
        assert float(cell[name]) > 0, f"{name}:\n{out.stdout}"
    median, p90 = (
        float(cell[f"attributed CPU ms per rerun, moves: {q}"]) for q in ("median", "p90")
    )
    assert median <= p90, out.stdout
    # moves + opens + unattributed = total (each printed to 0.01 s).
    parts, total = cell["server CPU s: moves + opens + unattributed = total"].split("=")
    moves, opens, unattributed = (float(x) for x in parts.split("+"))
    assert moves > 0, out.stdout
    assert opens > 0, out.stdout
    assert unattributed >= 0, out.stdout
    assert moves + opens + unattributed == pytest.approx(float(total), abs=0.02), out.stdout


def _run_bench(script: str, *args: str) -> subprocess.CompletedProcess:
    """Run a benchmark script untimed (a 240 s guard only); it must exit cleanly."""
    out = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    return out


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


_BURNER = """
import threading, time
spent = []
def burn():
    end = time.thread_time() + 0.1
    while time.thread_time() < end:
        pass
    spent.append(time.thread_time())
threads = [threading.Thread(target=burn) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sum(spent), time.process_time(), flush=True)
time.sleep(30)
"""


def test_process_cpu_clock_counts_exited_threads():
    """The clock read from outside counts the CPU of threads that have already exited (as
    Streamlit's script threads do): 4 threads burn 0.1 s each and end before we read."""
    cpuclock = importlib.import_module("cpuclock")
    with subprocess.Popen(
        [sys.executable, "-c", _BURNER], stdout=subprocess.PIPE, text=True
    ) as child:
        try:
            threads_s, process_s = (float(x) for x in child.stdout.readline().split())
            seen_s = cpuclock.ProcessCpuClock([child.pid]).read_ns() / 1e9
        finally:
            child.kill()
    assert threads_s >= 0.4
    # The exited threads' 0.4 s are in it (the main thread alone spent far less), and it
    # agrees with the child's own process_time (only a sleep happens in between).
    assert seen_s >= threads_s
    assert seen_s == pytest.approx(process_s, abs=0.05)


def test_no_cpu_clock_for_a_pid_that_does_not_exist():
    cpuclock = importlib.import_module("cpuclock")
    with subprocess.Popen([sys.executable, "-c", "pass"]) as child:
        child.wait(timeout=30)  # reaped: the pid is free (and not reused this quickly)
    with pytest.raises(OSError, match=f"no CPU clock for pid {child.pid}"):
        cpuclock.cpu_clock_id(child.pid)


def test_cpu_ledger_shares_each_interval_among_the_reruns_in_flight():
    cpuclock = importlib.import_module("cpuclock")
    readings = iter([0, 10, 30, 60, 100, 110, 130])
    ledger = cpuclock.CpuLedger(lambda: next(readings))
    ledger.start()  # 0
    a = ledger.begin("move")  # 10: nothing in flight before, 10 unattributed
    b = ledger.begin("open")  # 30: a alone gets 20
    assert ledger.end(a) == pytest.approx(35e-9)  # 60: a and b share 30 -> a 20 + 15
    assert ledger.end(b) == pytest.approx(55e-9)  # 100: b alone gets 40 -> 15 + 40
    c = ledger.begin("move")  # 110: 10 more unattributed
    ledger.close()  # 130: c still in flight keeps its 20
    assert ledger.attributed_ns == {"move": pytest.approx(55), "open": pytest.approx(55)}
    assert ledger.unattributed_ns == pytest.approx(20)
    assert ledger.total_ns == 130
    assert ledger.end(c) != ledger.end(c)  # settled by close: NaN, nothing counted twice


def test_control_group_harness_against_a_real_server():
    """Untimed: one student moves each control group of /bernoulli twice on a real server."""
    out = _run_bench("bench_controls.py", "--pages", "bernoulli", "--moves", "2", "--no-machine")
    rows = [line for line in out.stdout.splitlines() if line.startswith("| /bernoulli |")]
    kinds = [row.split("|")[2].strip().split(":")[0] for row in rows]
    # The page-level controls (a full rerun) and at least one section (a fragment rerun).
    assert "page-level (full rerun)" in kinds, out.stdout
    assert "section (fragment)" in kinds, out.stdout
    for row in rows:
        cells = _cells(row)
        assert cells[2] == "2", f"not every move finished:\n{out.stdout}"
        float(cells[3])  # a CPU figure was measured
        assert cells[-1] == "0", f"a move ended in an error box:\n{out.stdout}"


def test_playback_harness_counts_runs_and_times_scrubs():
    """Untimed: bench_playback in a real Chromium against a real server sees the script runs
    of Play and of each scrub (it once read 0: frames stamped after a time.sleep) and a
    scrub's paint (it once gave NaN: the keydown never reached its listener)."""
    out = _run_bench("bench_playback.py", "--seconds", "1", "--moves", "2")
    rows = dict(
        _cells(line)[:2]
        for line in out.stdout.splitlines()
        if line.startswith("| ") and "|---" not in line
    )
    assert float(rows["runs at Play"]) >= 1, out.stdout
    assert float(rows["runs per scrub (median)"]) >= 1, out.stdout
    scrub_ms = float(rows["scrub-to-paint median (ms)"])
    assert scrub_ms == scrub_ms, f"no paint after a scrub:\n{out.stdout}"  # not NaN
    assert scrub_ms > 0, out.stdout


def test_benchmark_servers_run_the_repository_configuration():
    # A benchmark measures what `make run`, Docker and Community Cloud start: its servers
    # get where to listen and no telemetry, never a speed setting of their own; the speed
    # settings live in .streamlit/config.toml, and the file watcher is off there.
    import tomllib

    common = importlib.import_module("_common")
    options = {flag.split("=")[0] for flag in common.SERVER_FLAGS}
    assert options <= {"--server.headless", "--server.address", "--browser.gatherUsageStats"}
    cluster = (DEPLOY / "run_cluster.sh").read_text()
    assert "fileWatcherType" not in cluster
    assert "--runner." not in cluster
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["fileWatcherType"] == "none"
    assert config["runner"]["postScriptGC"] is False
