"""Class mode under a class's load, on SQLite (default) or Postgres (--db-url).

Each student is a real WebSocket session (``stclient.Session``) on the question's page with
``?room=CODE`` that sets the answer input and clicks "Submit my answer"; the submit latency
is that rerun's time, the open latency the page's first run.

- default: N students submit within about a second across two Streamlit processes behind
  nginx; the teacher view's refresh cost is the time of what ``live_answers`` reads every
  2 s (the room and its tally), measured while the students submit.
- ``--questions``: one process; for every question type (at the page's defaults, and the
  costliest settings a link allows for the race), N students open the page, then submit
  at once: open and submit p50/p95.
- ``--follow S``: one process; N students wait on a posed question for S seconds, each
  sending the follow fragment's rerun every ``FOLLOW_SECONDS`` as a browser does: the
  server's CPU share over that time (a fraction of one core), then how long after the
  teacher's next question each student's page shows it.

    .venv/bin/python benchmarks/bench_class.py --students 60
    .venv/bin/python benchmarks/bench_class.py --students 60 --db-url postgresql+psycopg://…
    .venv/bin/python benchmarks/bench_class.py --students 60 --questions
    .venv/bin/python benchmarks/bench_class.py --students 60 --follow 30
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
    follow_fragment: str = ""  # the fragment a browser reruns on a timer (run_every)

    def _on_frame(self, frame: bytes) -> None:
        super()._on_frame(frame)
        msg = stclient.ForwardMsg()
        msg.ParseFromString(frame)
        if msg.WhichOneof("type") == "auto_rerun":
            self.follow_fragment = msg.auto_rerun.fragment_id

    def shows(self, text: str) -> bool:
        """Whether a markdown element on the page contains ``text``."""
        return any(
            text in m.delta.new_element.markdown.body
            for m in self.elements.values()
            if m.delta.HasField("new_element") and m.delta.new_element.HasField("markdown")
        )

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

    def answer_state(self, guess) -> WidgetState:
        """The browser's state of the "Your answer" input (slider, radio or number) at guess."""
        for msg in self.elements.values():
            if not msg.delta.HasField("new_element"):
                continue
            element = msg.delta.new_element
            kind = element.WhichOneof("type")
            proto = getattr(element, kind) if kind else None
            if getattr(proto, "label", None) != "Your answer":
                continue
            if kind == "slider":
                return widget_state(proto, guess)
            if kind == "radio":
                return WidgetState(id=proto.id, string_value=proto.options[guess])
            return WidgetState(id=proto.id, double_value=float(guess))
        raise LookupError("no answer input on the page")

    async def submit(self, guess) -> float:
        """Set the answer input (a slider's value, a radio's option index, a number) and click
        Submit; returns the click's rerun seconds."""
        state = self.answer_state(guess)
        self.widget_values[state.id] = state
        click = WidgetState(id=self.button_id("Submit my answer"), trigger_value=True)
        result = await self.rerun(click)
        self.widget_values.pop(click.id, None)  # a trigger fires once, as in a browser
        return result.seconds


async def _join(base_url: str, code: str, n: int, page: str = "bernoulli") -> list[Student]:
    students = [Student(base_url, page=page, query=f"room={code}") for _ in range(n)]
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


# --- every question type on one process ---------------------------------------------------

COSTLIEST_RACE = {  # near the most a link allows: many steps, every loss, a tight tolerance
    "p": 0.9,
    "q0": 0.001,
    "lr": 0.01,
    "steps": 1000,  # the page's largest step budget (comparison.MAX_BUDGET)
    "tol": 0.01,  # the tightest threshold the page offers (widgets.TOL_OPTIONS)
    "losses": ["cross_entropy", "squared_error", "absolute_error", "focal"],
}


def question_cases() -> list[tuple[str, str, dict]]:
    """(label, question key, settings): every question at its page's defaults, and the race
    at the costliest settings."""
    from xent import navigation, questions

    cases = []
    for key, template in questions.TEMPLATES.items():
        defaults = dict(navigation.page_states()[template.page].defaults)
        cases.append((key, key, defaults))
    race = {**navigation.page_states()["loss-comparison"].defaults, **COSTLIEST_RACE}
    cases.append(("loss-comparison.winner (costliest)", "loss-comparison.winner", race))
    return cases


def _guess(question, i: int):
    answer = question.answer
    if answer.kind == "choice":
        return i % len(answer.options)
    if answer.kind == "number":
        return int(answer.low + i % max(1, int(answer.high - answer.low)))
    return round(answer.low + (answer.high - answer.low) * (i % 20) / 20, 2)


async def question_round(
    base_url: str, code: str, page: str, question, n: int, pid: int, spread: float
):
    """N students open the question's page at once, then submit within ``spread`` seconds
    (0: all at once); also the server's CPU per submit."""
    import cpuclock

    students = [Student(base_url, page=page, query=f"room={code}") for _ in range(n)]
    clock = cpuclock.ProcessCpuClock([pid])
    try:
        opened = await asyncio.gather(*(s.open() for s in students))
        cpu0 = sum(clock.per_pid_ns())

        async def later(i: int, student: Student) -> float:
            await asyncio.sleep(spread * i / n)
            return await student.submit(_guess(question, i))

        submits = await asyncio.gather(*(later(i, s) for i, s in enumerate(students)))
        cpu_ms = (sum(clock.per_pid_ns()) - cpu0) / 1e6 / n
        return [r.seconds for r in opened], list(submits), cpu_ms
    finally:
        await asyncio.gather(*(s.close() for s in students))


def every_question(db: cs.Store, cluster: Cluster, n: int, spread: float) -> None:
    for label, key, settings in question_cases():
        new = db.create_room()
        start = time.perf_counter()
        try:
            question = db.pose(new.code, new.teacher_token, key, settings)
        except cs.RoomError as error:
            print(f"{label:36s} not posed: {error}")
            continue
        posed_s = time.perf_counter() - start
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pid = cluster.procs[0].pid
            round_ = question_round(cluster.url, new.code, question.page, question, n, pid, spread)
            opened, submits, cpu_ms = pool.submit(asyncio.run, round_).result()
        count = db.tally(new.code).count
        print(
            f"{label:36s} pose {1000 * posed_s:6.0f} ms | open p50 {_ms(opened, 50):5.0f} "
            f"p95 {_ms(opened, 95):5.0f} ms | submit p50 {_ms(submits, 50):4.0f} "
            f"p95 {_ms(submits, 95):4.0f} ms, CPU {cpu_ms:4.1f} ms each | counted {count}/{n}"
        )


# --- waiting students: what following the class costs ------------------------------------


async def follow_round(base_url: str, db: cs.Store, new: cs.NewRoom, n: int, seconds: float, pid):
    import cpuclock

    from xent.classroom.ui import FOLLOW_SECONDS

    students = await _join(base_url, new.code, n)
    stop = asyncio.Event()

    async def tick(student: Student, offset: float) -> None:
        await asyncio.sleep(offset)
        while not stop.is_set():
            with contextlib.suppress(Exception):
                await student.rerun(fragment_id=student.follow_fragment)
            await asyncio.sleep(FOLLOW_SECONDS)

    try:
        assert all(s.follow_fragment for s in students), "no follow fragment on the page"
        clock = cpuclock.ProcessCpuClock([pid])
        tasks = [
            asyncio.create_task(tick(s, FOLLOW_SECONDS * i / n)) for i, s in enumerate(students)
        ]
        await asyncio.sleep(FOLLOW_SECONDS)  # every student ticking
        cpu0, wall0 = sum(clock.per_pid_ns()), time.monotonic_ns()
        await asyncio.sleep(seconds)
        share = (sum(clock.per_pid_ns()) - cpu0) / (time.monotonic_ns() - wall0)
        posed_at = time.monotonic()
        await asyncio.to_thread(
            db.pose, new.code, new.teacher_token, "bernoulli.min_loss", {"p": 0.2}
        )
        seen = {}
        while len(seen) < n and time.monotonic() - posed_at < 15:
            for i, s in enumerate(students):
                if i not in seen and s.shows("Question 2."):
                    seen[i] = time.monotonic() - posed_at
            await asyncio.sleep(0.05)
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        return share, sorted(seen.values())
    finally:
        await asyncio.gather(*(s.close() for s in students))


def waiting_students(db: cs.Store, cluster: Cluster, n: int, seconds: float) -> None:
    new = db.create_room()
    db.pose(new.code, new.teacher_token, "bernoulli.min_q", {"p": 0.2})
    pid = cluster.procs[0].pid
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        share, seen = pool.submit(
            lambda: asyncio.run(follow_round(cluster.url, db, new, n, seconds, pid))
        ).result()
    print(f"{n} students waiting {seconds:g} s: server CPU {100 * share:.1f} % of one core")
    print(
        f"next question on screen: {len(seen)}/{n} students, after p50 {_ms(seen, 50):.0f} ms, "
        f"max {1000 * max(seen, default=float('nan')):.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--db-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--nginx-port", type=int, default=8760)
    parser.add_argument("--ports", default="8761,8762")
    parser.add_argument("--questions", action="store_true", help="every question, one process")
    parser.add_argument(
        "--spread", type=float, default=0, help="--questions: submits spread over S seconds"
    )
    parser.add_argument("--follow", type=float, default=0, help="seconds of waiting students")
    args = parser.parse_args()
    db_url = args.db_url or f"sqlite:///{tempfile.mkdtemp(prefix='xent-db-')}/class.sqlite3"
    db = cs.Store(cs.make_engine(db_url))
    if args.questions or args.follow:
        port = [int(args.ports.split(",")[0])]
        with Cluster(db_url, args.nginx_port, port) as cluster:
            if args.questions:
                every_question(db, cluster, args.students, args.spread)
            if args.follow:
                waiting_students(db, cluster, args.students, args.follow)
        print(f"load average during the run: {os.getloadavg()[0]:.2f} (2 cores)")
        return
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
