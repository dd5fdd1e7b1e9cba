"""Rooms, answers and limits of class mode on a real SQLite file and a real Postgres server."""

from __future__ import annotations

import os
import threading

import pytest
import sqlalchemy as sa
from classroom_support import pg_bin, postgres_cluster, start_postgres, stop_postgres

from xent import questions
from xent.classroom import store as cs

PG_MISSING = not (pg_bin("initdb") and pg_bin("pg_ctl"))


@pytest.fixture(scope="module")
def pg_url():
    if PG_MISSING:
        message = "POSTGRES MISSING: initdb/pg_ctl not found (apt-get install postgresql)"
        if os.environ.get("XENT_REQUIRE_CLASS_SERVERS") == "1":  # under .ci/run
            pytest.fail(message)
        pytest.skip(message)
    with postgres_cluster() as url:
        yield url


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


def _empty(engine) -> None:
    cs.migrate(engine)
    with engine.begin() as conn:  # each test starts from empty tables
        for table in (cs.answers, cs.submissions, cs.posed, cs.events, cs.rooms):
            conn.execute(table.delete())


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        engine = cs.make_engine(f"sqlite:///{tmp_path}/class.sqlite3")
    else:
        engine = cs.make_engine(request.getfixturevalue("pg_url"))
        _empty(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def db(engine, clock):
    return cs.Store(engine, clock=clock)


STUDENT = "student-aaaa"
P03 = {"p": 0.3, "q": 0.6}


def posed_room(db, key="bernoulli.min_q", settings=P03):
    new = db.create_room()
    db.pose(new.code, new.teacher_token, key, settings)
    return new


def test_sqlite_is_in_wal_mode(tmp_path):
    engine = cs.make_engine(f"sqlite:///{tmp_path}/x/class.sqlite3")
    cs.Store(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


def test_schema_is_versioned_and_migrating_twice_is_harmless(db):
    assert cs.migrate(db.engine) == len(cs.MIGRATIONS)
    with db.engine.connect() as conn:
        versions = conn.execute(sa.select(cs.schema_version.c.version)).scalars().all()
    assert versions == list(range(1, len(cs.MIGRATIONS) + 1))


def test_a_version_1_database_is_migrated_with_its_rooms_and_answers(tmp_path):
    engine = cs.make_engine(f"sqlite:///{tmp_path}/old.sqlite3")
    with engine.begin() as conn:  # a database as the version-1 app left it
        cs.metadata.create_all(conn, tables=[cs.schema_version])
        cs.MIGRATIONS[0](conn)
        conn.execute(cs.schema_version.insert().values(version=1))
        conn.exec_driver_sql(
            "INSERT INTO rooms VALUES ('KQXY', 'h', 0, 9e18, 1, 'bernoulli.min_q', "
            "'{\"p\": 0.3}', 1)"
        )
    cs.Store(engine)
    with engine.connect() as conn:
        row = conn.execute(sa.select(cs.rooms)).one()
    assert (row.phase, row.version, row.ended) == (cs.REVEALED, 0, False)
    engine.dispose()


def test_codes_use_the_unambiguous_alphabet_and_the_token_is_stored_only_hashed(db):
    new = db.create_room()
    assert len(new.code) == cs.CODE_LENGTH == 6
    assert set(new.code) <= set(cs.CODE_ALPHABET)
    assert not set("0O1IL") & set(cs.CODE_ALPHABET)
    with db.engine.connect() as conn:
        stored = conn.execute(sa.select(cs.rooms)).one()
    assert new.teacher_token not in tuple(str(v) for v in stored)
    assert len(new.teacher_token) >= 32


def test_a_taken_code_is_drawn_again(db, monkeypatch):
    first = db.create_room()
    draws = iter([*first.code, *"KQXY34"])
    monkeypatch.setattr(cs.secrets, "choice", lambda alphabet: next(draws))
    second = db.create_room()
    assert second.code == "KQXY34" != first.code


def test_teacher_flow_and_one_answer_per_student(db):
    new = posed_room(db)
    db.submit(new.code, STUDENT, 1, 0.5)
    db.submit(new.code, STUDENT, 1, 0.31)  # a resubmission replaces it
    db.submit(new.code, "student-bbbb", 1, 0.7)
    tally = db.tally(new.code)
    assert tally.count == 2
    assert tally.values == (0.31, 0.7)
    assert db.my_answer(new.code, STUDENT, 1) == 0.31
    assert not db.room(new.code).revealed
    db.reveal(new.code, new.teacher_token)
    room = db.room(new.code)
    assert room.revealed
    assert room.question.truth == 0.3
    with pytest.raises(cs.RoomError, match="revealed"):
        db.submit(new.code, STUDENT, 1, 0.2)
    assert db.my_answer(new.code, STUDENT, 1) == 0.31  # the reveal still has the own guess


def test_the_same_student_after_a_server_restart_is_still_one_answer(db, engine, clock):
    new = posed_room(db)
    db.submit(new.code, STUDENT, 1, 0.4)
    restarted = cs.Store(engine, clock=clock)  # a new process on the same database
    restarted.submit(new.code, STUDENT, 1, 0.45)
    assert restarted.tally(new.code).values == (0.45,)
    assert restarted.my_answer(new.code, STUDENT, 1) == 0.45


def test_the_database_keeps_no_student_id_and_rooms_cannot_be_linked(db):
    a, b = posed_room(db), posed_room(db)
    db.submit(a.code, STUDENT, 1, 0.4)
    db.submit(b.code, STUDENT, 1, 0.4)
    with db.engine.connect() as conn:
        keys = conn.execute(sa.select(cs.answers.c.session_id)).scalars().all()
    assert len(set(keys)) == 2
    assert all(STUDENT not in key for key in keys)


def test_a_new_question_starts_an_empty_tally(db):
    new = posed_room(db)
    db.submit(new.code, STUDENT, 1, 0.5)
    db.pose(new.code, new.teacher_token, "bernoulli.step", P03)
    assert db.tally(new.code).count == 0
    assert db.my_answer(new.code, STUDENT, 2) is None
    assert db.tally(new.code, 1).values == (0.5,)


def test_an_answer_to_a_question_that_is_over_is_refused_with_its_number(db):
    new = posed_room(db)
    db.pose(new.code, new.teacher_token, "bernoulli.min_loss", P03)
    with pytest.raises(cs.RoomError, match=r"question 1 is over.*question 2"):
        db.submit(new.code, STUDENT, 1, 0.6)  # the slider of the old question
    assert db.tally(new.code).count == 0
    assert db.tally(new.code, 1).count == 0


def test_closed_and_ended_questions_take_no_answers(db):
    new = posed_room(db)
    db.close(new.code, new.teacher_token)
    with pytest.raises(cs.RoomError, match="closed the answers"):
        db.submit(new.code, STUDENT, 1, 0.6)
    db.reopen(new.code, new.teacher_token)
    db.submit(new.code, STUDENT, 1, 0.6)
    db.end(new.code, new.teacher_token)
    with pytest.raises(cs.RoomError, match="class has ended"):
        db.submit(new.code, STUDENT, 1, 0.7)
    assert db.tally(new.code).values == (0.6,)
    with pytest.raises(cs.RoomError, match="ended"):
        db.pose(new.code, new.teacher_token, "bernoulli.step", P03)


def test_every_change_students_must_see_moves_the_room_version(db):
    new = db.create_room()
    seen = [db.version(new.code)]
    db.pose(new.code, new.teacher_token, "bernoulli.min_q", P03)
    seen.append(db.version(new.code))
    db.submit(new.code, STUDENT, 1, 0.5)  # an answer is not a change of the room
    assert db.version(new.code) == seen[-1]
    for action in (db.close, db.reveal, db.end):
        action(new.code, new.teacher_token)
        seen.append(db.version(new.code))
    assert len(set(seen)) == len(seen)


def test_the_truth_is_computed_once_when_posed(db, monkeypatch):
    settings = {"p": 1.0, "q0": 0.01, "lr": 1.0, "steps": 300, "tol": 0.05}
    new = posed_room(db, "loss-comparison.ce_steps", settings)
    truth = questions.pose("loss-comparison.ce_steps", settings).truth

    def no_recompute(*args):
        raise AssertionError("the truth was computed again")

    monkeypatch.setattr(questions, "pose", no_recompute)
    db.submit(new.code, STUDENT, 1, 3)
    assert db.room(new.code).question.truth == truth
    db.reveal(new.code, new.teacher_token)
    assert db.room(new.code).question.is_right(truth)


@pytest.mark.parametrize("token", [None, "", "forged-token-xxxxxxxxxxxxxxxxxxxxx"])
def test_teacher_actions_need_the_token(db, token):
    new = db.create_room()
    with pytest.raises(cs.RoomError, match="Only the teacher"):
        db.pose(new.code, token, "bernoulli.min_q", P03)
    db.pose(new.code, new.teacher_token, "bernoulli.min_q", P03)
    for action in (db.reveal, db.close, db.end, db.export):
        with pytest.raises(cs.RoomError, match="Only the teacher"):
            action(new.code, token)
    assert db.room(new.code).phase == cs.OPEN


def test_another_rooms_token_does_not_work(db):
    a, b = db.create_room(), db.create_room()
    with pytest.raises(cs.RoomError, match="Only the teacher"):
        db.pose(a.code, b.teacher_token, "bernoulli.min_q", P03)


@pytest.mark.parametrize(
    ("guess", "message"),
    [
        (1.5, "between 0 and 1"),
        ("0.3", "must be a number"),
        (None, "must be a number"),
        (float("nan"), "between"),
        ([0.3], "must be a number"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_stored(db, guess, message):
    new = posed_room(db)
    with pytest.raises(cs.RoomError, match=message):
        db.submit(new.code, STUDENT, 1, guess)
    assert db.tally(new.code).count == 0


def test_oversized_payloads_are_refused_and_never_echoed_whole(db):
    new = db.create_room()
    with pytest.raises(cs.RoomError, match="too long"):
        db.pose(new.code, new.teacher_token, "bernoulli.min_q", {**P03, "x": "a" * 5000})
    db.pose(new.code, new.teacher_token, "bernoulli.step", P03)
    with pytest.raises(cs.RoomError, match="one of") as refused:
        db.submit(new.code, STUDENT, 1, "q goes up" * 100_000)
    assert len(str(refused.value)) < 400
    with pytest.raises(cs.RoomError, match="student id"):
        db.submit(new.code, "s" * 500, 1, "q goes up")
    with pytest.raises(cs.RoomError, match="room code") as refused:
        db.room("X" * 5_000_000)
    assert len(str(refused.value)) < 200
    assert db.tally(new.code).count == 0


@pytest.mark.parametrize("code", ["", "K7", "ZZZZZZZ", "O0I1QQ", None, "ab!cde"])
def test_malformed_codes_get_a_clear_message(db, code):
    with pytest.raises(cs.RoomError, match="room code is 6 characters"):
        db.room(code)


def test_unknown_and_expired_rooms(db, clock):
    with pytest.raises(cs.RoomError, match="does not exist"):
        db.room("KQXY34")
    new = db.create_room(ttl=60)
    db.pose(new.code, new.teacher_token, "bernoulli.min_q", P03)
    db.submit(new.code, STUDENT, 1, 0.4)
    clock.now += 61
    with pytest.raises(cs.RoomError, match="expired"):
        db.submit(new.code, "student-cccc", 1, 0.4)
    assert db.purge() == 1
    with db.engine.connect() as conn:
        for table in (cs.answers, cs.posed):
            assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0
    with pytest.raises(cs.RoomError, match="does not exist"):
        db.room(new.code)


def test_expired_rooms_are_purged_without_a_new_room(db, clock):
    db.create_room(ttl=60)
    live = db.create_room()
    clock.now += cs.PURGE_EVERY + 1
    db.room(live.code)  # any room read purges, at most every PURGE_EVERY seconds
    with db.engine.connect() as conn:
        codes = conn.execute(sa.select(cs.rooms.c.code)).scalars().all()
    assert codes == [live.code]


def test_a_burst_from_one_student_is_limited_across_store_instances(db, engine, clock):
    new = posed_room(db)
    other = cs.Store(engine, clock=clock)  # another process sees the same limit
    for i in range(cs.BURST_LIMIT):
        (db if i % 2 else other).submit(new.code, STUDENT, 1, i / 100)
    with pytest.raises(cs.RoomError, match="at most 10 submissions"):
        other.submit(new.code, STUDENT, 1, 0.99)
    assert db.my_answer(new.code, STUDENT, 1) == (cs.BURST_LIMIT - 1) / 100
    clock.now += cs.BURST_WINDOW + 1
    db.submit(new.code, STUDENT, 1, 0.99)
    assert db.my_answer(new.code, STUDENT, 1) == 0.99


def test_guessing_codes_is_limited_per_client(db):
    live = db.create_room()
    for i in range(cs.JOIN_FAIL_LIMIT):
        with pytest.raises(cs.RoomError, match="does not exist"):
            db.join(f"KQXY{cs.CODE_ALPHABET[i % 24]}{cs.CODE_ALPHABET[i // 24]}", "10.0.0.9")
    with pytest.raises(cs.RoomError, match="Too many wrong room codes"):
        db.join(live.code, "10.0.0.9")  # even the right code waits now
    assert db.join(live.code, "10.0.0.10").code == live.code  # another network is not locked


def test_rooms_per_client_are_limited(db, clock):
    for _ in range(cs.ROOMS_PER_CLIENT):
        db.create_room("10.0.0.9")
    with pytest.raises(cs.RoomError, match="opened 10 classes"):
        db.create_room("10.0.0.9")
    db.create_room("10.0.0.10")
    clock.now += cs.ROOMS_WINDOW + 1
    db.create_room("10.0.0.9")


def test_rooms_do_not_leak_into_each_other(db):
    a, b = posed_room(db), posed_room(db, settings={"p": 0.8})
    db.submit(a.code, STUDENT, 1, 0.3)
    assert db.tally(b.code).count == 0
    assert db.my_answer(b.code, STUDENT, 1) is None
    db.reveal(a.code, a.teacher_token)
    assert not db.room(b.code).revealed


def test_export_has_questions_truths_and_answers_but_no_students(db):
    new = posed_room(db)
    db.submit(new.code, STUDENT, 1, 0.3)
    db.submit(new.code, "student-bbbb", 1, 0.9)
    db.pose(new.code, new.teacher_token, "bernoulli.step", P03)
    db.submit(new.code, STUDENT, 2, "q goes down")
    rows = db.export(new.code, new.teacher_token)
    assert [(r["question"], r["answer"], r["right"]) for r in rows] == [
        (1, 0.3, True),
        (1, 0.9, False),
        (2, "q goes down", True),
    ]
    assert set(rows[0]) == {"question", "prompt", "truth", "answer", "right"}
    assert STUDENT not in repr(rows)


def test_concurrent_submissions_are_neither_lost_nor_doubled(db):
    new = posed_room(db)
    errors = []

    def student(i):
        try:
            for guess in (0.1, i / 100):  # each student answers, then changes the answer
                db.submit(new.code, f"student-{i:04d}", 1, guess)
        except Exception as error:  # collected: an exception in a thread would vanish
            errors.append(error)

    threads = [threading.Thread(target=student, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    tally = db.tally(new.code)
    assert tally.count == 40
    assert tally.values == tuple(sorted(i / 100 for i in range(40)))


def test_no_answer_counts_after_reveal_returns(db, engine):
    """Students submit as fast as they can on two engines (two processes) while the teacher
    reveals: every answer acknowledged is counted, and the count never moves after reveal()
    has returned."""
    new = posed_room(db)
    second = cs.Store(cs.make_engine(str(engine.url.render_as_string(hide_password=False))))
    accepted, errors, stop = [], [], threading.Event()

    def student(i):
        store = second if i % 2 else db
        n = 0
        while not stop.is_set():
            sid = f"student-{i:03d}-{n:05d}"  # a new student each time: each answer adds one
            n += 1
            try:
                store.submit(new.code, sid, 1, 0.5)
            except cs.RoomError:
                return  # refused: answers are closed
            except Exception as error:
                errors.append(error)
                return
            accepted.append(sid)

    threads = [threading.Thread(target=student, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    while len(accepted) < 40:
        threading.Event().wait(0.01)
    db.reveal(new.code, new.teacher_token)
    at_reveal = db.tally(new.code).count
    threading.Event().wait(0.5)
    stop.set()
    for t in threads:
        t.join()
    second.engine.dispose()
    assert errors == []
    assert db.tally(new.code).count == at_reveal == len(accepted)


# --- faults: a message, never a driver error, nothing shown as stored that was not ---------


def test_a_deleted_or_replaced_sqlite_file_is_detected(tmp_path):
    path = tmp_path / "class.sqlite3"
    db = cs.Store(cs.make_engine(f"sqlite:///{path}"))
    new = posed_room(db)
    db.submit(new.code, STUDENT, 1, 0.5)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{path}{suffix}"):
            os.remove(f"{path}{suffix}")
    with pytest.raises(cs.StoreFault, match="deleted or replaced"):
        db.submit(new.code, "student-bbbb", 1, 0.5)
    with pytest.raises(cs.StoreFault, match="deleted or replaced"):
        db.tally(new.code)
    path.write_bytes(b"")  # a new file in its place is not the class's database either
    with pytest.raises(cs.StoreFault, match="deleted or replaced"):
        db.room(new.code)
    db.engine.dispose()


def test_a_read_only_database_refuses_answers_with_a_message(tmp_path):
    path = tmp_path / "class.sqlite3"
    writer = cs.Store(cs.make_engine(f"sqlite:///{path}"))
    new = posed_room(writer)
    writer.engine.dispose()
    # the same file opened read-only (as a chmod would make it; the tests run as root,
    # whom file permissions do not stop)
    engine = sa.create_engine(f"sqlite:///file:{path}?mode=ro&uri=true", **cs.ENGINE_OPTIONS)
    reader = cs.Store(engine)
    assert reader.room(new.code).question is not None  # reading still works
    with pytest.raises(cs.StoreFault, match="cannot be written"):
        reader.submit(new.code, STUDENT, 1, 0.5)
    engine.dispose()


def test_a_full_disk_refuses_answers_with_a_message(tmp_path):
    engine = cs.make_engine(f"sqlite:///{tmp_path}/class.sqlite3")
    db = cs.Store(engine)
    new = posed_room(db)

    def full(dbapi_connection, _record):  # the database may not grow by a single page
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    engine.dispose()
    sa.event.listen(engine, "connect", full)
    answered, fault = 0, None
    for i in range(5000):
        try:
            db.submit(new.code, f"student-{i:05d}", 1, 0.5)
        except cs.StoreFault as error:
            fault = error
            break
        answered += 1
    assert fault is not None
    assert "out of space" in fault.reason
    sa.event.remove(engine, "connect", full)
    engine.dispose()
    assert db.tally(new.code).count == answered  # each answer taken was kept, no more
    engine.dispose()


def test_postgres_down_is_a_fault_and_its_restart_is_invisible(pg_url):
    engine = cs.make_engine(pg_url)
    _empty(engine)
    db = cs.Store(engine)
    new = posed_room(db)
    db.submit(new.code, STUDENT, 1, 0.5)  # the pool now holds a connection
    stop_postgres(pg_url)
    start_postgres(pg_url)
    db.submit(new.code, "student-bbbb", 1, 0.6)  # the first request after a restart works
    stop_postgres(pg_url)
    try:
        with pytest.raises(cs.StoreFault, match="not answering"):
            db.submit(new.code, "student-cccc", 1, 0.7)
        with pytest.raises(cs.StoreFault, match="not answering"):
            db.tally(new.code)
    finally:
        start_postgres(pg_url)
    assert db.tally(new.code).values == (0.5, 0.6)
    engine.dispose()


@pytest.mark.parametrize("key", list(questions.TEMPLATES))
def test_a_stored_question_reads_back_equal(key):
    """What the store keeps at pose time is the question itself, every field (a field added
    to Question later must survive the round trip too)."""
    from xent import navigation

    page = questions.TEMPLATES[key].page
    question = questions.pose(key, dict(navigation.page_states()[page].defaults))
    assert cs.question_from_json(cs.question_to_json(question)) == question
