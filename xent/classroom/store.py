"""Rooms, questions and answers of class mode in a SQL database (SQLAlchemy Core).

No Streamlit here: the same store serves the app, the tests and the benchmark. A SQLite
file (WAL mode, so several processes on one host share it) is the default; Postgres is
chosen by a connection URL for replicas on several hosts. The schema is created on first
use and upgraded by numbered migrations recorded in ``schema_version``.

Trust rules: teacher actions need the room's teacher token (only its SHA-256 is stored);
every input is checked before anything is written and a refusal raises :class:`RoomError`
with a message naming what was wrong; students get only aggregates (:class:`Tally`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from xent import questions

CODE_ALPHABET = "ACDEFHJKMNPQRTUVWXY34679"  # no 0/O, 1/I/L, 2/Z, 5/S, 8/B, G/6
CODE_LENGTH = 4
DEFAULT_TTL = 24 * 3600.0
MAX_ANSWER_CHARS = 200
MAX_SETTINGS_CHARS = 4000
MAX_SESSION_CHARS = 64
BURST_LIMIT = 10  # submissions per session ...
BURST_WINDOW = 10.0  # ... in this many seconds
ENV_URL = "XENT_DATABASE_URL"

metadata = sa.MetaData()
schema_version = sa.Table("schema_version", metadata, sa.Column("version", sa.Integer))
rooms = sa.Table(
    "rooms",
    metadata,
    sa.Column("code", sa.String(CODE_LENGTH), primary_key=True),
    sa.Column("teacher_hash", sa.String(64), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False),
    sa.Column("question_no", sa.Integer, nullable=False, default=0),
    sa.Column("question_key", sa.String(64)),
    sa.Column("settings_json", sa.Text),
    sa.Column("revealed", sa.Boolean, nullable=False, default=False),
)
answers = sa.Table(
    "answers",
    metadata,
    sa.Column("room_code", sa.String(CODE_LENGTH), primary_key=True),
    sa.Column("question_no", sa.Integer, primary_key=True),
    sa.Column("session_id", sa.String(MAX_SESSION_CHARS), primary_key=True),
    sa.Column("value_json", sa.String(MAX_ANSWER_CHARS), nullable=False),
    sa.Column("submitted_at", sa.Float, nullable=False),
)
submissions = sa.Table(
    "submissions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.String(MAX_SESSION_CHARS), nullable=False, index=True),
    sa.Column("at", sa.Float, nullable=False),
)

# Migration n brings the schema from version n - 1 to n; append, never edit.
MIGRATIONS = (lambda conn: metadata.create_all(conn, tables=[rooms, answers, submissions]),)


class RoomError(ValueError):
    """A refused request; the message says what was wrong and what is allowed."""


@dataclass(frozen=True)
class NewRoom:
    code: str
    teacher_token: str


@dataclass(frozen=True)
class Room:
    code: str
    expires_at: float
    question_no: int
    question: questions.Question | None
    settings: Mapping[str, object]
    revealed: bool


@dataclass(frozen=True)
class Tally:
    """The class's answers to the current question, without who gave them."""

    question_no: int
    count: int
    values: tuple  # sorted, so their order says nothing about who answered when


def default_url(root: str = ".") -> str:
    return f"sqlite:///{root}/.xent/classroom.sqlite3"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA busy_timeout=30000")  # writers queue instead of failing
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> sa.Engine:
    """An engine for ``url``; a SQLite file gets WAL mode and its folder is created."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        import pathlib

        pathlib.Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, pool_pre_ping=True)
    prepare_engine(engine)
    return engine


def prepare_engine(engine: sa.Engine) -> None:
    """Give a SQLite engine WAL mode and a busy timeout (other databases: nothing to do)."""
    if engine.dialect.name == "sqlite" and not sa.event.contains(
        engine, "connect", _sqlite_pragmas
    ):
        sa.event.listen(engine, "connect", _sqlite_pragmas)


def migrate(engine: sa.Engine) -> int:
    """Create or upgrade the schema; returns the version. Safe to call from many processes."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":  # one migrator at a time across processes
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(720514)"))
        metadata.create_all(conn, tables=[schema_version])
        version = conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0
        for number in range(version + 1, len(MIGRATIONS) + 1):
            MIGRATIONS[number - 1](conn)
            conn.execute(schema_version.insert().values(version=number))
    return len(MIGRATIONS)


def _check_code(code: object) -> str:
    text = str(code or "").strip().upper()
    if len(text) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in text):
        raise RoomError(
            f"A room code is {CODE_LENGTH} characters from {CODE_ALPHABET}; got {str(code)[:20]!r}."
        )
    return text


def _check_session(session_id: object) -> str:
    if not isinstance(session_id, str) or not 8 <= len(session_id) <= MAX_SESSION_CHARS:
        raise RoomError("This browser session has no valid id; reload the page.")
    return session_id


class Store:
    """Class-mode storage on one SQLAlchemy engine (shared by threads and processes)."""

    def __init__(self, engine: sa.Engine, clock=time.time):
        prepare_engine(engine)
        self.engine = engine
        self.clock = clock
        migrate(engine)

    # --- rooms -----------------------------------------------------------------------

    def create_room(self, ttl: float = DEFAULT_TTL) -> NewRoom:
        """A new room with a fresh join code (collision-checked) and teacher token."""
        self.purge()
        token = secrets.token_urlsafe(24)
        now = self.clock()
        for _ in range(50):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            row = dict(code=code, teacher_hash=_hash(token), created_at=now, expires_at=now + ttl)
            try:
                with self.engine.begin() as conn:
                    conn.execute(rooms.insert().values(**row, question_no=0, revealed=False))
                return NewRoom(code, token)
            except sa.exc.IntegrityError:
                continue  # the code is taken: draw another
        raise RoomError("Could not find a free room code; try again in a minute.")

    def _row(self, conn, code: str):
        row = conn.execute(sa.select(rooms).where(rooms.c.code == code)).first()
        if row is None:
            raise RoomError(f"Room {code} does not exist. Check the code on the projector.")
        if row.expires_at <= self.clock():
            raise RoomError(f"Room {code} has expired; ask your teacher for a new code.")
        return row

    def room(self, code: object) -> Room:
        code = _check_code(code)
        with self.engine.connect() as conn:
            row = self._row(conn, code)
        settings = json.loads(row.settings_json) if row.settings_json else {}
        question = questions.pose(row.question_key, settings) if row.question_key else None
        return Room(code, row.expires_at, row.question_no, question, settings, row.revealed)

    def _teacher_row(self, conn, code: object, token: object):
        row = self._row(conn, _check_code(code))
        if not isinstance(token, str) or not hmac.compare_digest(_hash(token), row.teacher_hash):
            raise RoomError(
                "Only the teacher can do this: the teacher link's token is missing or wrong."
            )
        return row

    def check_teacher(self, code: object, token: object) -> None:
        with self.engine.connect() as conn:
            self._teacher_row(conn, code, token)

    def pose(self, code: object, token: object, key: str, settings: Mapping[str, object]):
        """Pose question ``key`` at ``settings`` (a new question number, answers hidden)."""
        text = json.dumps(dict(settings), sort_keys=True)
        if len(text) > MAX_SETTINGS_CHARS:
            raise RoomError(
                f"The question's settings are too long (over {MAX_SETTINGS_CHARS} characters)."
            )
        try:
            question = questions.pose(key, json.loads(text))
        except ValueError as error:
            raise RoomError(f"Cannot pose this question: {error}.") from None
        with self.engine.begin() as conn:
            row = self._teacher_row(conn, code, token)
            conn.execute(
                rooms.update()
                .where(rooms.c.code == row.code)
                .values(
                    question_no=rooms.c.question_no + 1,
                    question_key=key,
                    settings_json=text,
                    revealed=False,
                )
            )
        return question

    def reveal(self, code: object, token: object) -> None:
        with self.engine.begin() as conn:
            row = self._teacher_row(conn, code, token)
            if row.question_key is None:
                raise RoomError("There is no question to reveal yet: pose one first.")
            conn.execute(rooms.update().where(rooms.c.code == row.code).values(revealed=True))

    def purge(self) -> int:
        """Delete expired rooms and their answers, and old rate-limit records."""
        now = self.clock()
        with self.engine.begin() as conn:
            old = sa.select(rooms.c.code).where(rooms.c.expires_at <= now)
            conn.execute(answers.delete().where(answers.c.room_code.in_(old)))
            gone = conn.execute(rooms.delete().where(rooms.c.expires_at <= now)).rowcount
            conn.execute(submissions.delete().where(submissions.c.at < now - BURST_WINDOW))
        return gone

    # --- answers ---------------------------------------------------------------------

    def submit(self, code: object, session_id: object, guess: object) -> None:
        """Store (or replace) this session's answer to the room's current question."""
        session_id = _check_session(session_id)
        room = self.room(code)
        if room.question is None:
            raise RoomError("There is no question yet; wait for your teacher to pose one.")
        if room.revealed:
            raise RoomError("The answer has been revealed; answers are closed.")
        try:
            value = room.question.answer.parse(guess)
        except ValueError as error:
            raise RoomError(f"Not stored: {error}.") from None
        text = json.dumps(value)
        if len(text) > MAX_ANSWER_CHARS:
            raise RoomError(f"Not stored: the answer is over {MAX_ANSWER_CHARS} characters.")
        now = self.clock()
        with self.engine.begin() as conn:
            recent = conn.execute(
                sa.select(sa.func.count())
                .select_from(submissions)
                .where(
                    submissions.c.session_id == session_id, submissions.c.at > now - BURST_WINDOW
                )
            ).scalar()
            if recent >= BURST_LIMIT:
                raise RoomError(
                    f"Too many submissions: at most {BURST_LIMIT} in {BURST_WINDOW:g} s. "
                    "Wait a moment."
                )
            conn.execute(submissions.insert().values(session_id=session_id, at=now))
            conn.execute(self._upsert(room, session_id, text, now))

    def _upsert(self, room: Room, session_id: str, text: str, now: float):
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        row = dict(
            room_code=room.code,
            question_no=room.question_no,
            session_id=session_id,
            value_json=text,
            submitted_at=now,
        )
        stmt = dialect.insert(answers).values(**row)
        return stmt.on_conflict_do_update(
            index_elements=[answers.c.room_code, answers.c.question_no, answers.c.session_id],
            set_={
                "value_json": stmt.excluded.value_json,
                "submitted_at": stmt.excluded.submitted_at,
            },
        )

    def my_answer(self, code: object, session_id: object):
        """This session's answer to the current question, or None."""
        room = self.room(code)
        with self.engine.connect() as conn:
            text = conn.execute(
                sa.select(answers.c.value_json).where(
                    answers.c.room_code == room.code,
                    answers.c.question_no == room.question_no,
                    answers.c.session_id == _check_session(session_id),
                )
            ).scalar()
        return None if text is None else json.loads(text)

    def tally(self, code: object) -> Tally:
        """How many answered the current question, and their answers (no session ids)."""
        room = self.room(code)
        with self.engine.connect() as conn:
            texts = conn.execute(
                sa.select(answers.c.value_json).where(
                    answers.c.room_code == room.code, answers.c.question_no == room.question_no
                )
            ).scalars()
            values = [json.loads(t) for t in texts]
        return Tally(room.question_no, len(values), tuple(sorted(values)))
