"""Class mode in a real Chromium: a teacher and a student in two browser contexts.

The server is a real ``streamlit run`` on a SQLite file; skipped, with a reason, only when
no Chromium is found (like the other browser tests).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from ports import free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("XENT_CHROMIUM", "/usr/bin/chromium")
SHOTS = os.environ.get("XENT_CLASS_SHOTS")  # a folder: save screenshots there to look at

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}"),
]


def _free_port() -> int:
    return free_port(range(8750, 8800))


def start_server(port: int, db_url: str) -> subprocess.Popen:
    env = {**os.environ, "XENT_DATABASE_URL": db_url}
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py")]
    cmd += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    cmd += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not start")


@pytest.fixture(scope="module")
def class_server(tmp_path_factory):
    port = _free_port()
    db = tmp_path_factory.mktemp("classdb") / "class.sqlite3"
    proc = start_server(port, f"sqlite:///{db}")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=30)


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=False)


def test_teacher_and_student_in_two_browsers(class_server, browser):
    """``browser`` is the e2e suite's shared Chromium; the server is this module's own."""
    from playwright.sync_api import expect

    server = class_server
    teacher_context = browser.new_context(viewport={"width": 1280, "height": 720})
    student_context = browser.new_context(viewport={"width": 390, "height": 844})
    teacher, student = teacher_context.new_page(), student_context.new_page()
    try:
        teacher.goto(f"{server}/class")
        teacher.get_by_role("button", name="Open a class").click()
        expect(teacher.get_by_text("Join code:")).to_be_visible(timeout=30000)
        code = re.search(r"room=([A-Z0-9]{4})", teacher.url).group(1)
        qr = teacher.get_by_role("img", name="QR code of the student link")
        expect(qr).to_have_count(1)
        teacher.get_by_role("button", name="Pose it").click()
        expect(teacher.get_by_test_id("stMetricLabel").get_by_text("Answers")).to_be_visible(
            timeout=30000
        )
        shot(teacher, "teacher-posed")

        student.goto(f"{server}/bernoulli?room={code}")
        expect(student.get_by_text("At which prediction q is the loss L smallest")).to_be_visible(
            timeout=30000
        )
        assert student.locator("[data-testid='stVegaLiteChart']").count() == 0
        shot(student, "student-question")
        student.get_by_role("button", name="Submit my answer").click()
        expect(student.get_by_text("Your answer: 0.5")).to_be_visible(timeout=30000)

        # the teacher's live view counts the answer without any click (run_every=2)
        expect(teacher.locator("[data-testid='stMetricValue']")).to_have_text("1", timeout=15000)
        teacher.get_by_role("button", name="Reveal").click()
        expect(teacher.get_by_text("Revealed. The truth")).to_be_visible(timeout=30000)
        shot(teacher, "teacher-revealed")

        student.get_by_role("button", name="Check for the reveal").click()
        expect(student.get_by_text("The truth", exact=True)).to_be_visible(timeout=30000)
        expect(student.get_by_text("Your guess", exact=True)).to_be_visible()
        expect(student.locator("[data-testid='stVegaLiteChart']").first).to_be_visible(
            timeout=30000
        )
        shot(student, "student-revealed")
    finally:
        teacher_context.close()
        student_context.close()
