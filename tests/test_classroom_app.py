"""Class mode through AppTest: the teacher opens a class and poses, a student submits,
the teacher reveals; on a real SQLite file (``XENT_DATABASE_URL``)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from xent.classroom import store as cs

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")
TIMEOUT = 60


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/class.sqlite3"
    monkeypatch.setenv(cs.ENV_URL, url)
    engine = cs.make_engine(url)
    yield cs.Store(engine)
    engine.dispose()


def open_page(page, query=None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(page)
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def button(at, label):
    return next(b for b in at.button if b.label == label)


def texts(at):
    return " ".join(m.value for m in at.markdown) + " ".join(e.value for e in at.error)


def test_teacher_opens_poses_student_submits_teacher_reveals(db):
    teacher = open_page("pages/class.py")
    button(teacher, "Open a class").click().run()
    code, token = teacher.query_params["room"], teacher.query_params["teacher"]
    assert db.room(code).question is None
    db.check_teacher(code, token)
    assert any(code in m.value for m in teacher.markdown)
    qr = [m.value for m in teacher.markdown if m.value.startswith("![QR code of")]
    assert len(qr) == 1, "the QR code is shown, named for screen readers"
    assert qr[0].startswith("![QR code of the student link](data:image/png;base64,")
    teacher.selectbox[1].set_value("bernoulli.min_q")
    button(teacher, "Pose it").click().run()
    assert not teacher.exception
    room = db.room(code)
    assert room.question.key == "bernoulli.min_q"
    assert room.question.truth == 0.2  # the Bernoulli page's default p

    student = open_page("pages/bernoulli.py", {"room": code})
    assert "At which prediction q is the loss L smallest" in texts(student)
    assert not student.get("vega_lite_chart"), "the lesson's charts stay hidden until the reveal"
    assert "q = p" not in texts(student), "nor the intro, which says where L is smallest"
    student.slider(key="class_guess_1").set_value(0.35)
    button(student, "Submit my answer").click().run()
    assert not student.exception
    assert db.tally(code).count == 1
    assert db.tally(code).values == (0.35,)
    assert any("Your answer: **0.35**" in s.value for s in student.success)

    teacher.run()
    button(teacher, "Reveal").click().run()
    assert db.room(code).revealed

    button(student, "Check for the reveal").click().run()
    metrics = {m.label: m.value for m in student.metric}
    assert metrics["The truth"] == "0.2"
    assert metrics["Your guess"] == "0.35"
    assert student.get("vega_lite_chart"), "the lesson's charts are back, with the class's"


def test_unknown_room_and_forged_teacher_token_get_clear_messages(db):
    at = open_page("pages/bernoulli.py", {"room": "KQXY"})
    assert "Room KQXY does not exist" in " ".join(e.value for e in at.error)
    assert at.get("vega_lite_chart"), "the page still works"
    new = db.create_room()
    at = open_page("pages/class.py", {"room": new.code, "teacher": "forged"})
    assert "Only the teacher" in " ".join(e.value for e in at.error)
    assert not at.exception


def test_a_student_joins_by_code(db):
    new = db.create_room()
    db.pose(
        new.code,
        new.teacher_token,
        "loss-comparison.winner",
        {
            "p": 1.0,
            "q0": 0.01,
            "lr": 1.0,
            "steps": 300,
            "tol": 0.05,
            "losses": ["cross_entropy", "squared_error"],
        },
    )
    at = open_page("pages/class.py")
    at.text_input[0].input(new.code.lower())
    button(at, "Join").click().run()
    assert not at.exception
    assert "Which loss first settles within" in texts(at)  # now on the question's page


def test_a_bad_code_on_the_join_form_is_explained(db):
    at = open_page("pages/class.py")
    at.text_input[0].input("O0")
    button(at, "Join").click().run()
    assert "room code is 4 characters" in " ".join(e.value for e in at.error)


def test_a_pasted_share_link_sets_the_question(db):
    from xent.classroom.ui import settings_from_link

    settings = settings_from_link("multiclass", "http://h/multiclass?y=Rappa&z1=4&z2=-2&z3=0")
    assert settings["y"] == "Rappa"
    assert settings["lr"] == 1.0  # the page's default fills what the link leaves out
    new = db.create_room()
    question = db.pose(new.code, new.teacher_token, "multiclass.first_raise", settings)
    assert "the true class is Rappa" in question.prompt
    assert question.truth == "Rappa"  # Q − t is most negative for the true class here
    race = settings_from_link(
        "loss-comparison", "/loss-comparison?losses=cross-entropy&losses=absolute+error&q0=0.001"
    )
    question = db.pose(new.code, new.teacher_token, "loss-comparison.winner", race)
    assert question.answer.options[:2] == ("cross-entropy", "absolute error")
