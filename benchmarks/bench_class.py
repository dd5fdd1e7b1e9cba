"""Class mode under a class's load: N students submit within about a second across two
Streamlit processes behind nginx, on SQLite (default) or Postgres (--db-url).

Each student is a real WebSocket session (``stclient.Session``) on ``/bernoulli?room=CODE``
that sets the answer slider and clicks "Submit my answer"; the submit latency is that
rerun's time. The teacher view's refresh cost is the time of what ``live_answers`` reads
every 2 s (the room and its tally), measured while the students submit.

    .venv/bin/python benchmarks/bench_class.py --students 60
    .venv/bin/python benchmarks/bench_class.py --students 60 --db-url postgresql+psycopg://…
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks"), str(ROOT / "deploy")]

import render_nginx  # noqa: E402
import stclient  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ClientState_pb2 import ClientState  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402
from widgets import widget_state  # noqa: E402

from xent.classroom import store as cs  # noqa: E402


def _wait_http(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


class Cluster:
    """K Streamlit processes on one database, behind nginx; all on 127.0.0.1."""

    def __init__(self, db_url: str, nginx_port: int, backend_ports: list[int]):
        self.db_url, self.nginx_port, self.ports = db_url, nginx_port, backend_ports
        self.run_dir = Path(tempfile.mkdtemp(prefix="xent-class-"))
        self.cookie_secret = secrets.token_hex(32)
        self.procs: list[subprocess.Popen | None] = [None] * len(backend_ports)
        self.nginx: subprocess.Popen | None = None
        self.logs: list = [None] * len(backend_ports)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    def start_backend(self, i: int) -> None:
        env = {
            **os.environ,
            "XENT_DATABASE_URL": self.db_url,
            "STREAMLIT_SERVER_COOKIE_SECRET": self.cookie_secret,
        }
        cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py")]
        cmd += ["--server.port", str(self.ports[i]), "--server.address", "127.0.0.1"]
        cmd += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
        self.logs[i] = open(self.run_dir / f"streamlit-{i}.log", "ab")  # noqa: SIM115
        self.procs[i] = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=self.logs[i], stderr=self.logs[i]
        )
        _wait_http(f"http://127.0.0.1:{self.ports[i]}/_stcore/health")

    def stop_backend(self, i: int) -> None:
        proc = self.procs[i]
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs[i] = None
        if self.logs[i] is not None:
            self.logs[i].close()
            self.logs[i] = None

    def __enter__(self) -> Cluster:
        try:
            for i in range(len(self.ports)):
                self.start_backend(i)
            conf = self.run_dir / "nginx.conf"
            conf.write_text(render_nginx.render(str(self.run_dir), self.nginx_port, self.ports))
            nginx = "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "nginx"
            cmd = [nginx, "-p", str(self.run_dir), "-c", str(conf)]
            cmd += ["-e", str(self.run_dir / "nginx-error.log"), "-g", "daemon off;"]
            self.nginx = subprocess.Popen(cmd)
            _wait_http(self.url + "/_stcore/health")
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.nginx is not None:
            self.nginx.terminate()
            self.nginx.wait(timeout=20)
        for i in range(len(self.ports)):
            self.stop_backend(i)


@dataclass
class Student(stclient.Session):
    """A stclient session whose first run carries the room in the URL's query string."""

    query: str = ""

    async def rerun(self, state=None, fragment_id: str = "", first: bool = False):
        """stclient's rerun, with the URL's query string (a browser sends it every rerun)."""
        if state is not None:
            self.widget_values[state.id] = state
        client_state = ClientState(
            query_string=self.query,
            page_script_hash="" if first else self.page_hash,
            page_name=self.page if first else "",
            fragment_id=fragment_id,
            cached_message_hashes=sorted(self.cached),
        )
        client_state.widget_states.widgets.extend(self.widget_values.values())
        self._run = run = stclient._Run(asyncio.get_running_loop().create_future())
        start = time.perf_counter()
        await self.ws.send(BackMsg(rerun_script=client_state).SerializeToString())
        await asyncio.wait_for(run.future, self.timeout)
        return stclient.RerunResult(
            seconds=time.perf_counter() - start,
            bytes_received=run.bytes_received,
            messages=run.messages,
            fragment=bool(fragment_id),
            errors=run.errors,
        )

    def button_id(self, label: str) -> str:
        for msg in self.elements.values():
            element = msg.delta.new_element
            is_button = msg.delta.HasField("new_element") and element.HasField("button")
            if is_button and element.button.label == label:
                return element.button.id
        raise LookupError(f"no button {label!r} on the page")

    async def submit(self, guess: float) -> float:
        """Set the answer slider and click Submit; returns the click's rerun seconds."""
        (slider, _), *_ = [s for s in self.sliders() if s[0].label == "Your answer"]
        self.widget_values[slider.id] = widget_state(slider, guess)
        click = WidgetState(id=self.button_id("Submit my answer"), trigger_value=True)
        result = await self.rerun(click)
        self.widget_values.pop(click.id, None)  # a trigger fires once, as in a browser
        return result.seconds


async def _join(base_url: str, code: str, n: int) -> list[Student]:
    students = [Student(base_url, page="bernoulli", query=f"room={code}") for _ in range(n)]
    await asyncio.gather(*(s.open() for s in students))
    return students


async def class_round(base_url: str, code: str, guesses: list[float]) -> tuple[list[float], float]:
    """Students join, then all submit at once; returns the submit latencies and the span."""
    students = await _join(base_url, code, len(guesses))
    try:
        start = time.perf_counter()
        latencies = await asyncio.gather(
            *(s.submit(g) for s, g in zip(students, guesses, strict=True))
        )
        return list(latencies), time.perf_counter() - start
    finally:
        await asyncio.gather(*(s.close() for s in students))


def run_round(base_url: str, code: str, guesses: list[float]) -> tuple[list[float], float]:
    """:func:`class_round` in a fresh thread with its own event loop (the caller's thread may
    already run one, e.g. Playwright's sync API under pytest)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(class_round(base_url, code, guesses))).result()


class TeacherPoller(threading.Thread):
    """What the teacher's fragment reads every refresh, timed, in a loop (here every 0.2 s)."""

    def __init__(self, db: cs.Store, code: str):
        super().__init__(daemon=True)
        self.db, self.code, self.times, self.stop = db, code, [], threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            start = time.perf_counter()
            self.db.room(self.code)
            self.db.tally(self.code)
            self.times.append(time.perf_counter() - start)
            self.stop.wait(0.2)


def _ms(values: list[float], q: float) -> float:
    return 1000 * statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--db-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--nginx-port", type=int, default=8760)
    parser.add_argument("--ports", default="8761,8762")
    args = parser.parse_args()
    db_url = args.db_url or f"sqlite:///{tempfile.mkdtemp(prefix='xent-db-')}/class.sqlite3"
    db = cs.Store(cs.make_engine(db_url))
    new = db.create_room()
    db.pose(new.code, new.teacher_token, "bernoulli.min_q", {"p": 0.2})
    guesses = [round(i / args.students, 2) for i in range(args.students)]
    with Cluster(db_url, args.nginx_port, [int(p) for p in args.ports.split(",")]) as cluster:
        poller = TeacherPoller(db, new.code)
        poller.start()
        latencies, span = run_round(cluster.url, new.code, guesses)
        poller.stop.set()
        poller.join()
    tally = db.tally(new.code)
    backend = db.engine.dialect.name
    print(
        f"{backend}: {args.students} students, all submits answered within {span:.2f} s; "
        f"teacher count {tally.count}"
    )
    print(
        f"submit latency ms: median {1000 * statistics.median(latencies):.0f}, "
        f"p95 {_ms(latencies, 95):.0f}, max {1000 * max(latencies):.0f}"
    )
    print(
        f"teacher refresh (room + tally) ms over {len(poller.times)} refreshes: "
        f"median {1000 * statistics.median(poller.times):.1f}, max {1000 * max(poller.times):.1f}"
    )
    with contextlib.suppress(Exception):
        db.engine.dispose()


if __name__ == "__main__":
    main()
