"""Rooms, answers and limits of class mode on a real SQLite file and a real Postgres server."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from classroom_support import pg_bin, postgres_cluster

from xent.classroom import store as cs

PG_MISSING = not (pg_bin("initdb") and pg_bin("pg_ctl"))


@pytest.fixture(scope="module")
def pg_url():
    if PG_MISSING:
        pytest.skip("POSTGRES TESTS SKIPPED: initdb/pg_ctl not found (apt-get install postgresql)")
    with postgres_cluster() as url:
        yield url


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        engine = cs.make_engine(f"sqlite:///{tmp_path}/class.sqlite3")
    else:
        engine = cs.make_engine(request.getfixturevalue("pg_url"))
        cs.migrate(engine)
        with engine.begin() as conn:  # each test starts from empty tables
            for table in (cs.answers, cs.submissions, cs.rooms):
                conn.execute(table.delete())
    yield engine
    engine.dispose()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def db(engine, clock):
    return cs.Store(engine, clock=clock)


SESSION = "session-aaaa"
P03 = {"p": 0.3, "q": 0.6}


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


def test_codes_use_the_unambiguous_alphabet_and_the_token_is_stored_only_hashed(db):
    new = db.create_room()
    assert len(new.code) == cs.CODE_LENGTH
    assert set(new.code) <= set(cs.CODE_ALPHABET)
    assert not set("0O1IL") & set(cs.CODE_ALPHABET)
    with db.engine.connect() as conn:
        stored = conn.execute(sa.select(cs.rooms)).one()
    assert new.teacher_token not in tuple(str(v) for v in stored)
    assert len(new.teacher_token) >= 32


def test_a_taken_code_is_drawn_again(db, monkeypatch):
    first = db.create_room()
    draws = iter([*first.code, *"KQXY"])
    monkeypatch.setattr(cs.secrets, "choice", lambda alphabet: next(draws))
    second = db.create_room()
    assert second.code == "KQXY" != first.code


def test_teacher_flow_and_one_answer_per_session(db):
    new = db.create_room()
    db.pose(new.code, new.teacher_token, "bernoulli.min_q", P03)
    db.submit(new.code, SESSION, 0.5)
    db.submit(new.code, SESSION, 0.31)  # a resubmission replaces it
    db.submit(new.code, "session-bbbb", 0.7)
    tally = db.tally(new.code)
    assert tally.count == 2
    assert tally.values == (0.31, 0.7)
    assert db.my_answer(new.code, SESSION) == 0.31
    assert not db.room(new.code).revealed
    db.reveal(new.code, new.teacher_token)
    room = db.room(new.code)
    assert room.revealed
    assert room.question.truth == 0.3
    with pytest.raises(cs.RoomError, match="revealed"):
        db.submit(new.code, SESSION, 0.2)


def test_a_new_question_starts_an_empty_tally(db):
    new = db.create_room()
    db.pose(new.code, new.teacher_token, "bernoulli.min_q", P03)
    db.submit(new.code, SESSION, 0.5)
    db.pose(new.code, new.teacher_token, "bernoulli.step", P03)
    assert db.tally(new.code).count == 0
    assert db.my_answer(new.code, SESSION) is None


@pytest.mark.parametrize("token", [None, "", "forged-token-xxxxxxxxxxxxxxxxxxxxx"])
def test_teacher_actions_need_the_token(db, token):
    new = db.create_room()
    with pytest.raises(cs.RoomError, match="Only the teacher"):
        db.pose(new.code, token, "bernoulli.min_q", P03)
    db.pose(new.code, new.teacher_token, "bernoulli.min_q", P03)
    with pytest.raises(cs.RoomError, match="Only the teacher"):
        db.reveal(new.code, token)
    assert not db.room(new.code).revealed


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
    new = db.create_room()
    db.pose(new.code, new.teacher_token, "bernoulli.min_q", P03)
    with pytest.raises(cs.RoomError, match=message):
        db.submit(new.code, SESSION, guess)
    assert db.tally(new.code).count == 0


def test_oversized_payloads_are_refused(db):
    new = db.create_room()
    with pytest.raises(cs.RoomError, match="too long"):
        db.pose(new.code, new.teacher_token, "bernoulli.min_q", {**P03, "x": "a" * 5000})
    db.pose(new.code, new.teacher_token, "bernoulli.step", P03)
    with pytest.raises(cs.RoomError, match="one of"):
        db.submit(new.code, SESSION, "q goes up" * 100)
    with pytest.raises(cs.RoomError, match="session"):
        db.submit(new.code, "s" * 500, "q goes up")
    assert db.tally(new.code).count == 0


@pytest.mark.parametrize("code", ["", "K7", "ZZZZZ", "O0I1", None, "ab!c"])
def test_malformed_codes_get_a_clear_message(db, code):
    with pytest.raises(cs.RoomError, match="room code is 4 characters"):
        db.room(code)


def test_unknown_and_expired_rooms(db, clock):
    with pytest.raises(cs.RoomError, match="does not exist"):
        db.room("KQXY")
    new = db.create_room(ttl=60)
    db.pose(new.code, new.teacher_token, "bernoulli.min_q", P03)
    db.submit(new.code, SESSION, 0.4)
    clock.now += 61
    with pytest.raises(cs.RoomError, match="expired"):
        db.submit(new.code, "session-cccc", 0.4)
    assert db.purge() == 1
    with db.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(cs.answers)).scalar() == 0
    with pytest.raises(cs.RoomError, match="does not exist"):
        db.room(new.code)


def test_a_burst_from_one_session_is_limited_across_store_instances(db, engine, clock):
    new = db.create_room()
    db.pose(new.code, new.teacher_token, "bernoulli.min_q", P03)
    other = cs.Store(engine, clock=clock)  # another process sees the same limit
    for i in range(cs.BURST_LIMIT):
        (db if i % 2 else other).submit(new.code, SESSION, i / 100)
    with pytest.raises(cs.RoomError, match="Too many submissions"):
        other.submit(new.code, SESSION, 0.99)
    assert db.my_answer(new.code, SESSION) == (cs.BURST_LIMIT - 1) / 100
    clock.now += cs.BURST_WINDOW + 1
    db.submit(new.code, SESSION, 0.99)
    assert db.my_answer(new.code, SESSION) == 0.99


def test_rooms_do_not_leak_into_each_other(db):
    a, b = db.create_room(), db.create_room()
    db.pose(a.code, a.teacher_token, "bernoulli.min_q", P03)
    db.pose(b.code, b.teacher_token, "bernoulli.min_q", {"p": 0.8})
    db.submit(a.code, SESSION, 0.3)
    assert db.tally(b.code).count == 0
    assert db.my_answer(b.code, SESSION) is None
    db.reveal(a.code, a.teacher_token)
    assert not db.room(b.code).revealed


def test_concurrent_submissions_are_neither_lost_nor_doubled(db, engine):
    new = db.create_room()
    db.pose(new.code, new.teacher_token, "bernoulli.min_q", P03)
    errors = []

    def student(i):
        try:
            for guess in (0.1, i / 100):  # each student answers, then changes the answer
                db.submit(new.code, f"session-{i:04d}", guess)
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
