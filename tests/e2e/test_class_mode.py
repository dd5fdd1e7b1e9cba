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

from xent.classroom.ui import ACTIONS

from .helpers import FOCUSED_IN, wait_for_charts

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
    os.environ["XENT_TEST_CLASS_DB"] = f"sqlite:///{db}"  # tests may pose through the store
    proc = start_server(port, f"sqlite:///{db}")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=30)


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=False)


def answered(page) -> int:
    """The count on the teacher's screen ("N students have answered")."""
    # the heading, not the live region that speaks the same words
    heading = page.locator("h2").filter(has_text=re.compile(r"^\d+ students? ha(s|ve) answered$"))
    text = heading.inner_text().strip()
    return int(text.split()[0])


def wait_count(page, n: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while answered(page) != n:
        assert time.monotonic() < deadline, f"the teacher's count stayed {answered(page)}, not {n}"
        time.sleep(0.5)


def submit(page) -> None:
    page.get_by_role("button", name="Submit my answer").click()


def test_a_teacher_and_three_students(class_server, browser):
    """One student reloads and submits again, one submits from a stale page, one after the
    reveal: the teacher's count is always the number of distinct students who answered."""
    from playwright.sync_api import expect

    server = class_server
    teacher_context = browser.new_context(viewport={"width": 1280, "height": 720})
    contexts = [browser.new_context(viewport={"width": 390, "height": 844}) for _ in range(3)]
    teacher = teacher_context.new_page()
    reloader, stale, late = (c.new_page() for c in contexts)
    try:
        teacher.goto(f"{server}/class")
        teacher.get_by_role("button", name="Open a class").focus()
        teacher.keyboard.press("Enter")  # from the keyboard: the focus must not drop
        expect(teacher.get_by_text("Join code")).to_be_visible(timeout=30000)
        teacher.wait_for_function(FOCUSED_IN, arg=ACTIONS, timeout=15_000)
        code = re.search(r"room=([A-Z0-9]{6})", teacher.url).group(1)
        assert "teacher=" not in teacher.url, "the token is not in the projected address bar"
        expect(teacher.get_by_role("img", name="QR code of the student link")).to_have_count(1)
        teacher.get_by_role("button", name="Pose a question").click()
        teacher.get_by_role("button", name="Pose it").click()
        expect(teacher.get_by_text("0 students have answered")).to_be_visible(timeout=30000)
        for student in (reloader, stale, late):
            student.goto(f"{server}/bernoulli?room={code}")
            expect(
                student.get_by_text("At which prediction q is the loss L smallest")
            ).to_be_visible(timeout=30000)
        assert reloader.locator("[data-testid='stVegaLiteChart']").count() == 0
        shot(reloader, "student-question")

        submit(reloader)
        expect(reloader.get_by_text("Stored: your answer 0.5")).to_be_visible(timeout=30000)
        wait_count(teacher, 1)
        spoken = teacher.locator('[role="status"]').filter(has_text="1 student has answered")
        expect(spoken).to_have_count(1)  # a screen reader hears the count change
        reloader.reload()  # the same student: one answer, shown as stored after the reload
        expect(reloader.get_by_text("Stored: your answer 0.5")).to_be_visible(timeout=30000)
        submit(reloader)
        second_tab = contexts[0].new_page()  # and a second tab of the same link
        second_tab.goto(f"{server}/bernoulli?room={code}")
        expect(second_tab.get_by_text("Stored: your answer 0.5")).to_be_visible(timeout=30000)
        submit(second_tab)
        submit(stale)
        expect(stale.get_by_text("Stored: your answer 0.5")).to_be_visible(timeout=30000)
        wait_count(teacher, 2)
        # the projected teacher screen at 1280x720: count and actions without scrolling
        for shown in (
            teacher.get_by_role("heading", name="2 students have answered"),
            teacher.get_by_role("button", name="Reveal"),
        ):
            expect(shown).to_be_in_viewport()
        shot(teacher, "teacher-posed")

        # the teacher moves on while the stale page still shows question 1: its Submit is
        # refused with a message (or, if the page followed first, answers question 2)
        teacher.get_by_role("button", name="Next question").click()
        teacher.get_by_label("Question", exact=True).click()
        teacher.get_by_role("option", name="Bernoulli: The lowest loss").click()
        teacher.get_by_role("button", name="Pose it").click()
        submit(stale)
        refused = stale.get_by_text("Not stored: question 1 is over")
        stored = stale.get_by_text("Stored: your answer 0.35")
        expect(refused.or_(stored)).to_be_visible(timeout=15000)
        counted = 0 if refused.is_visible() else 1
        wait_count(teacher, counted)
        # every student follows to question 2 by itself, within 5 s
        for student in (reloader, stale, late):
            expect(student.get_by_text("What is the smallest loss L")).to_be_visible(timeout=8000)
        if not counted:
            submit(stale)
            expect(stale.get_by_text("Stored: your answer 0.35")).to_be_visible(timeout=15000)
        wait_count(teacher, 1)
        teacher.keyboard.press("Escape")
        teacher.get_by_role("button", name="Reveal").click()
        late_click = late.get_by_role("button", name="Submit my answer")
        if late_click.is_visible():  # after the reveal: refused, or already gone
            late_click.click()
        expect(teacher.get_by_text("The truth:")).to_be_visible(timeout=30000)
        wait_count(teacher, 1)
        answers = teacher.locator("[data-testid='stVegaLiteChart']")
        expect(answers).to_have_count(1)  # the distribution, drawn, on the projected screen
        wait_for_charts(teacher)
        for shown in (
            teacher.get_by_role("heading", name="1 student has answered"),
            answers,
            teacher.get_by_role("button", name="Next question"),
        ):
            expect(shown).to_be_in_viewport()
        shot(teacher, "teacher-revealed")
        # every student sees the reveal, with their own guess, without clicking
        expect(stale.get_by_text("Your guess: 0.35", exact=True)).to_be_visible(timeout=8000)
        expect(late.get_by_text("Your guess: none")).to_be_visible(timeout=8000)
        expect(late.locator("[data-testid='stVegaLiteChart']").first).to_be_visible(timeout=30000)
        shot(late, "student-revealed")
        wait_count(teacher, 1)
        teacher.get_by_role("button", name="End class").click()
        expect(late.get_by_text("The class has ended")).to_be_visible(timeout=8000)
    finally:
        teacher_context.close()
        for context in contexts:
            context.close()


def test_the_same_browser_is_the_same_student_after_a_server_restart(browser, tmp_path):
    """The server dies mid-question and comes back: the open page reconnects by itself, its
    stored answer is still shown as the student's, a new submission replaces it (one
    answer), and the reveal, also after a reload, shows the student's own guess."""
    from playwright.sync_api import expect

    from xent.classroom import store as cs

    url = f"sqlite:///{tmp_path}/class.sqlite3"
    db = cs.Store(cs.make_engine(url))
    new = db.create_room()
    db.pose(new.code, new.teacher_token, "bernoulli.min_q", {"p": 0.2, "q": 0.6})
    port = _free_port()
    proc = start_server(port, url)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"http://127.0.0.1:{port}/bernoulli?room={new.code}")
        submit(page)
        expect(page.get_by_text("Stored: your answer 0.5")).to_be_visible(timeout=30000)
        proc.terminate()
        proc.wait(timeout=30)
        proc = start_server(port, url)
        page.wait_for_timeout(3000)  # the page reconnects to the new process by itself
        expect(page.get_by_text("Stored: your answer 0.5")).to_be_visible(timeout=30000)
        submit(page)
        expect(page.get_by_text("Stored: your answer 0.5")).to_be_visible(timeout=30000)
        assert db.tally(new.code).count == 1
        db.reveal(new.code, new.teacher_token)
        expect(page.get_by_text("Your guess: 0.5", exact=True)).to_be_visible(timeout=8000)
        page.reload()
        expect(page.get_by_text("Your guess: 0.5", exact=True)).to_be_visible(timeout=30000)
        assert db.tally(new.code).count == 1
    finally:
        context.close()
        proc.terminate()
        proc.wait(timeout=30)
        db.engine.dispose()


def test_the_student_lesson_is_at_the_settings_the_question_was_posed_at(class_server, browser):
    """A question posed from a pasted link (p = 0.3, q = 0.9): a student who joins by the
    plain room link sees the lesson, and so the reveal, at p = 0.3, not at the page's
    default p = 0.2, so the truth and the chart under it agree."""
    from playwright.sync_api import expect

    sys.path.insert(0, str(ROOT))
    from xent import navigation
    from xent.classroom import store as cs

    db = cs.Store(cs.make_engine(os.environ["XENT_TEST_CLASS_DB"]))
    new = db.create_room()
    settings = {**navigation.lesson("bernoulli").state.defaults, "p": "0.3", "q": "0.9"}
    db.pose(new.code, new.teacher_token, "bernoulli.min_q", settings)
    db.close(new.code, new.teacher_token)
    db.reveal(new.code, new.teacher_token)
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        page.goto(f"{class_server}/bernoulli?room={new.code}")
        expect(page.get_by_text("the minimum 0.61 is at q = p = 0.30")).to_be_visible(
            timeout=30000
        )  # H(0.3) = 0.6109 nats; at the default p = 0.2 it would read 0.50 at 0.20
        assert "p=0.3" in page.url
        assert "q=0.9" in page.url
    finally:
        context.close()
