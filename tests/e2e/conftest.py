"""Fixtures for the real-browser suite: a Streamlit server started as README says, and Chromium.

The server is ``python -m streamlit run streamlit_app.py`` (what ``make run`` and README's
"without make" line run) on a free port in 8530-8549, headless, stopped at the end of the
session by killing its process group. Chromium is Debian's (``XENT_CHROMIUM``, default
``/usr/bin/chromium``): Playwright cannot download its own browser here. Without a Chromium the
whole suite is skipped with a reason that ``pytest -ra`` prints, plus a visible line in the
terminal summary, never silently.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from ports import free_port

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
SERVER_LOG = ARTIFACTS / "e2e-server.log"

CHROMIUM = os.environ.get("XENT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PORTS = range(8530, 8550)
STARTUP_TIMEOUT_S = 60.0


def chromium_missing_reason() -> str | None:
    """Why the browser suite cannot run here, or None when it can."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return (
            f"browser tests skipped: no Chromium at {CHROMIUM} "
            "(install Debian's chromium or set XENT_CHROMIUM)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests skipped: playwright is not installed (see requirements-dev.txt)"
    return None


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say loudly, at the end of every run that collected browser tests, whether they ran."""
    browser_reports = [
        r
        for key in ("passed", "failed", "skipped", "error")
        for r in terminalreporter.stats.get(key, [])
        if "browser" in getattr(r, "keywords", {})
    ]
    if not browser_reports:
        return
    reason = chromium_missing_reason()
    if reason:
        terminalreporter.write_sep("!", reason, yellow=True, bold=True)
    else:
        terminalreporter.write_line(
            f"browser tests ran in {CHROMIUM}; screenshots in {SCREENSHOTS.relative_to(ROOT)}/"
        )


def server_log_path() -> Path:
    """The test server's console log (one per xdist worker): tracebacks the browser hides."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return SERVER_LOG.with_stem(f"{SERVER_LOG.stem}-{worker}") if worker else SERVER_LOG


def _free_port() -> int:
    return free_port(PORTS)


def _healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


def _stop(proc: subprocess.Popen) -> None:
    """Stop the server and anything it started: SIGTERM to its process group, then SIGKILL."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="session")
def chromium_path() -> str:
    reason = chromium_missing_reason()
    if reason:
        print(f"\n{reason}", file=sys.stderr)
        pytest.skip(reason)
    return CHROMIUM


def _start_server(
    port: int, log_path: Path, script: str = "streamlit_app.py"
) -> subprocess.Popen | None:
    """Start the app as README says (or another ``script``, relative to the project root) and
    wait for its health check; None if it exited early."""
    base_url = f"http://127.0.0.1:{port}"
    env = dict(
        os.environ,
        STREAMLIT_SERVER_PORT=str(port),
        STREAMLIT_SERVER_ADDRESS="127.0.0.1",
        STREAMLIT_SERVER_HEADLESS="true",
        STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
        STREAMLIT_SERVER_FILE_WATCHER_TYPE="none",
    )
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group, so teardown can kill all of it
        )
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not _healthy(base_url):
        if proc.poll() is not None:
            return None
        if time.monotonic() > deadline:
            _stop(proc)
            pytest.fail(f"{base_url}/_stcore/health not ok after {STARTUP_TIMEOUT_S:.0f} s")
        time.sleep(0.2)
    return proc


@pytest.fixture(scope="session")
def server(chromium_path: str) -> Iterator[str]:
    """Base URL of a Streamlit server running this checkout's app (started only if Chromium is)."""
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = server_log_path()
    for _attempt in range(3):  # the free port may be taken between the check and the start
        port = _free_port()
        proc = _start_server(port, log_path)
        if proc is not None:
            break
    else:
        pytest.fail(
            "streamlit exited before it was healthy:\n"
            + log_path.read_text(errors="replace")[-3000:]
        )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser, server):
    """Factory for a page in a fresh browser context (own cookies, storage and session)."""
    contexts = []

    def make(*, width: int = 1400, height: int = 900, dark: bool = False, **kwargs):
        context = browser.new_context(
            base_url=server,
            viewport={"width": width, "height": height},
            color_scheme="dark" if dark else "light",
            accept_downloads=True,
            **kwargs,
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's browser bundle, from the npm lockfile at the project root (``npm ci`` is run
    here when node_modules is missing, as ``.ci/run`` does on a fresh checkout)."""
    if not AXE_JS.is_file():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)
    return AXE_JS.read_text()
