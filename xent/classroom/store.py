"""Rooms, questions and answers of class mode in a SQL database (SQLAlchemy Core).

No Streamlit here: the same store serves the app, the tests and the benchmark. A SQLite
file (WAL mode, so several processes on one host share it) is the default; Postgres is
chosen by a connection URL for replicas on several hosts. The schema is created on first
use and upgraded by numbered migrations recorded in ``schema_version``.

Trust rules:

- teacher actions need the room's teacher token (only its SHA-256 is stored);
- a student is a random id made by the browser's first visit (``xent.classroom.ui``); the
  database keeps only a hash of it with the room code (:func:`student_key`), so one student's
  rows in two rooms cannot be linked, and one student has one answer per question;
- a question's true answer is computed once, when it is posed, and stored with it;
- an answer names the question it answers: it is checked against the room in the same
  transaction that stores it (the room row is locked against a concurrent Close or Reveal),
  so no answer counts once ``reveal()`` has returned;
- every input is checked before anything is written; a refusal raises :class:`RoomError`
  with a message naming what was wrong; a database that cannot be used raises
  :class:`StoreFault` (never a driver's exception); students get only aggregates (:class:`Tally`).

Languages: what is stored (codes, question keys, answers, the posed question) does not depend
on the reader's language. The messages of refusals and faults are English (``str(error)``, for
logs and tests) and are marked with ``N_``; the screen shows them in the reader's language
(:meth:`RoomError.shown`, ``tr(fault.reason)``), translated when shown, not when raised.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import time
import typing
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from xent import questions
from xent.i18n import N_, fill, tr

CODE_ALPHABET = "ACDEFHJKMNPQRTUVWXY34679"  # no 0/O, 1/I/L, 2/Z, 5/S, 8/B, G/6
CODE_LENGTH = 6  # 24**6 = 191 million codes: see JOIN_FAIL_LIMIT for what guessing costs
DEFAULT_TTL = 24 * 3600.0
MAX_ANSWER_CHARS = 200
MAX_SETTINGS_CHARS = 4000
MAX_QUESTION_CHARS = 20000
MAX_STUDENT_CHARS = 64
MAX_CLIENT_CHARS = 64
BURST_LIMIT = 10  # submissions per student ...
BURST_WINDOW = 10.0  # ... in this many seconds
JOIN_FAIL_LIMIT = 30  # wrong room codes per client (network address) ...
JOIN_FAIL_WINDOW = 600.0  # ... in ten minutes; then that client waits
ROOMS_PER_CLIENT = 10  # rooms opened per client ...
ROOMS_WINDOW = 3600.0  # ... in an hour
PURGE_EVERY = 300.0  # seconds between purges of expired rooms (per process)
ENV_URL = "XENT_DATABASE_URL"
# The engine options of every engine class mode uses (the app's st.connection too): a pooled
# connection is tested before use, so the first request after a database restart works.
ENGINE_OPTIONS = {"pool_pre_ping": True}

OPEN, CLOSED, REVEALED = "open", "closed", "revealed"  # a question's phase

# --- schema ------------------------------------------------------------------------------
# Version 1's tables are frozen in _v1 (migration 1 creates exactly them); ``metadata`` is the
# current schema that the queries use.
_v1 = sa.MetaData()
sa.Table(
    "rooms",
    _v1,
    sa.Column("code", sa.String(4), primary_key=True),
    sa.Column("teacher_hash", sa.String(64), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False),
    sa.Column("question_no", sa.Integer, nullable=False, default=0),
    sa.Column("question_key", sa.String(64)),
    sa.Column("settings_json", sa.Text),
    sa.Column("revealed", sa.Boolean, nullable=False, default=False),
)
sa.Table(
    "answers",
    _v1,
    sa.Column("room_code", sa.String(4), primary_key=True),
    sa.Column("question_no", sa.Integer, primary_key=True),
    sa.Column("session_id", sa.String(MAX_STUDENT_CHARS), primary_key=True),
    sa.Column("value_json", sa.String(MAX_ANSWER_CHARS), nullable=False),
    sa.Column("submitted_at", sa.Float, nullable=False),
)
sa.Table(
    "submissions",
    _v1,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.String(MAX_STUDENT_CHARS), nullable=False, index=True),
    sa.Column("at", sa.Float, nullable=False),
)

metadata = sa.MetaData()
schema_version = sa.Table("schema_version", metadata, sa.Column("version", sa.Integer))
rooms = sa.Table(
    "rooms",
    metadata,
    sa.Column("code", sa.String(8), primary_key=True),
    sa.Column("teacher_hash", sa.String(64), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False),
    sa.Column("question_no", sa.Integer, nullable=False, default=0),
    sa.Column("question_key", sa.String(64)),
    sa.Column("settings_json", sa.Text),
    sa.Column("revealed", sa.Boolean, nullable=False, default=False),
    sa.Column("phase", sa.String(16)),  # OPEN, CLOSED or REVEALED (version 2)
    sa.Column("version", sa.Integer, nullable=False, default=0),  # +1 at every change
    sa.Column("ended", sa.Boolean, nullable=False, default=False),
)
answers = sa.Table(
    "answers",
    metadata,
    sa.Column("room_code", sa.String(8), primary_key=True),
    sa.Column("question_no", sa.Integer, primary_key=True),
    # Holds student_key(room, student) since version 2 (a session id in version 1).
    sa.Column("session_id", sa.String(MAX_STUDENT_CHARS), primary_key=True),
    sa.Column("value_json", sa.String(MAX_ANSWER_CHARS), nullable=False),
    sa.Column("submitted_at", sa.Float, nullable=False),
)
submissions = sa.Table(
    "submissions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.String(MAX_STUDENT_CHARS), nullable=False, index=True),
    sa.Column("at", sa.Float, nullable=False),
)
posed = sa.Table(  # each posed question with its true answer, computed once (version 2)
    "posed",
    metadata,
    sa.Column("room_code", sa.String(8), primary_key=True),
    sa.Column("question_no", sa.Integer, primary_key=True),
    sa.Column("question_json", sa.Text, nullable=False),
)
events = sa.Table(  # rate-limited events of a client: wrong codes, rooms opened (version 2)
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("client", sa.String(MAX_CLIENT_CHARS), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.Index("events_by_client", "kind", "client", "at"),
)


def _row_query(lock: str | None):
    """The room with its current question, by code; locked for Postgres as asked (SQLite
    renders no lock: its write transactions take the database's write lock first)."""
    query = (
        sa.select(rooms, posed.c.question_json)
        .select_from(
            rooms.outerjoin(
                posed,
                (posed.c.room_code == rooms.c.code) & (posed.c.question_no == rooms.c.question_no),
            )
        )
        .where(rooms.c.code == sa.bindparam("code"))
    )
    if lock == "share":  # a concurrent Close/Reveal waits for this transaction
        return query.with_for_update(read=True, of=rooms)
    if lock == "update":
        return query.with_for_update(of=rooms)
    return query


_ROW_QUERIES = {lock: _row_query(lock) for lock in (None, "share", "update")}
"""Built once: building a statement costs more than running it."""


def _upsert_statement(dialect):
    """Insert an answer, or replace the student's answer to the same question."""
    stmt = dialect.insert(answers)
    return stmt.on_conflict_do_update(
        index_elements=[answers.c.room_code, answers.c.question_no, answers.c.session_id],
        set_={"value_json": stmt.excluded.value_json, "submitted_at": stmt.excluded.submitted_at},
    )


_MY_ANSWER = sa.select(answers.c.value_json).where(
    answers.c.room_code == sa.bindparam("code"),
    answers.c.question_no == sa.bindparam("question_no"),
    answers.c.session_id == sa.bindparam("key"),
)
_VERSION = sa.select(rooms.c.question_no, rooms.c.version).where(
    rooms.c.code == sa.bindparam("code")
)
_RECENT = (
    sa.select(sa.func.count())
    .select_from(submissions)
    .where(
        submissions.c.session_id == sa.bindparam("key"), submissions.c.at > sa.bindparam("since")
    )
)
_UPSERTS = {"sqlite": _upsert_statement(sqlite), "postgresql": _upsert_statement(postgresql)}


def _migration_2(conn) -> None:
    """Question phases, a room version, ended rooms, posed questions, longer codes, events."""
    for column in (
        "phase VARCHAR(16)",
        "version INTEGER NOT NULL DEFAULT 0",
        "ended BOOLEAN NOT NULL DEFAULT FALSE",
    ):
        conn.exec_driver_sql(f"ALTER TABLE rooms ADD COLUMN {column}")
    conn.execute(
        rooms.update()
        .where(rooms.c.question_key.is_not(None))
        .values(phase=sa.case((rooms.c.revealed, REVEALED), else_=OPEN))
    )
    if conn.dialect.name == "postgresql":  # SQLite does not enforce a VARCHAR's length
        conn.exec_driver_sql("ALTER TABLE rooms ALTER COLUMN code TYPE VARCHAR(8)")
        conn.exec_driver_sql("ALTER TABLE answers ALTER COLUMN room_code TYPE VARCHAR(8)")
    metadata.create_all(conn, tables=[posed, events])


# Migration n brings the schema from version n - 1 to n; append, never edit.
MIGRATIONS = (lambda conn: _v1.create_all(conn), _migration_2)


class RoomError(ValueError):
    """A refused request; the message says what was wrong and what is allowed.

    ``message`` is the English text (marked with ``N_``) with ``{placeholders}`` filled from
    ``values``; ``str(error)`` is it in English, :meth:`shown` in the reader's language."""

    def __init__(self, message: str, /, **values: object):
        super().__init__(fill(message, values))
        self.message = message
        self.values = values

    def shown(self) -> str:
        """The message in the current language (``xent.i18n``)."""
        return tr(self.message, **self.values)


class StoreFault(RuntimeError):
    """The database could not be used (down, restarted, unwritable, full, file gone).

    ``reason`` is one short phrase for the screen, in English (marked with ``N_``; shown as
    ``tr(fault.reason)``); the driver's error is kept as the cause for the server's log.
    Nothing was stored by the request that raised it.
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


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
    phase: str | None  # OPEN, CLOSED, REVEALED; None before the first question
    version: int  # changes whenever what students see changes (pose, close, reveal, end)
    ended: bool
    settings: Mapping[str, object]  # the lesson page's settings the question was posed at

    @property
    def revealed(self) -> bool:
        return self.phase == REVEALED

    @property
    def accepting(self) -> bool:
        return self.phase == OPEN and not self.ended


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


def student_key(code: str, student: str) -> str:
    """What the database keeps of a student: a hash of the room code and the student's random
    id, so the same browser's answers in two rooms share nothing."""
    return hashlib.sha256(f"{code}:{student}".encode()).hexdigest()[:40]


# --- questions as stored (the truth is kept, never recomputed) ----------------------------


def question_to_json(question: questions.Question) -> str:
    return json.dumps(dataclasses.asdict(question), ensure_ascii=False)


_WORDS_BEFORE_LANGUAGES = {
    "prompt": "asked",
    "explanation": "why",
    "excluded_reason": "excluded_why",
}
"""A question stored before it was written in every language kept these English strings;
read back, each is the English of its :class:`questions.Text`."""


@functools.lru_cache(maxsize=256)  # a room's question is read on every rerun of every student
def question_from_json(text: str) -> questions.Question:
    """A stored question back as a :class:`questions.Question` (nested dataclasses and tuples
    restored from their JSON objects and lists; the words of one stored before questions
    were written in every language are its English)."""
    values = json.loads(text)
    for old, new in _WORDS_BEFORE_LANGUAGES.items():
        if isinstance(values.get(old), str) and new not in values:
            values[new] = {"en": values.pop(old)}
    return _build(questions.Question, values)


@functools.cache
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def _build(cls, values: dict):
    hints = _hints(cls)
    fields = {f.name for f in dataclasses.fields(cls)}
    out = {}
    for name, value in values.items():
        if name not in fields:
            continue
        if isinstance(value, dict) and dataclasses.is_dataclass(hints.get(name)):
            value = _build(hints[name], value)
        elif isinstance(value, list):
            value = tuple(value)
        out[name] = value
    return cls(**out)


# --- engines ------------------------------------------------------------------------------


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA busy_timeout=30000")  # writers queue instead of failing
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> sa.Engine:
    """An engine for ``url`` with :data:`ENGINE_OPTIONS`; a SQLite file gets WAL mode and its
    folder is created."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        import pathlib

        pathlib.Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, **ENGINE_OPTIONS)
    prepare_engine(engine)
    return engine


def prepare_engine(engine: sa.Engine) -> None:
    """Give a SQLite engine WAL mode and a busy timeout (other databases: nothing to do)."""
    if engine.dialect.name == "sqlite" and not sa.event.contains(
        engine, "connect", _sqlite_pragmas
    ):
        sa.event.listen(engine, "connect", _sqlite_pragmas)


def migrate(engine: sa.Engine) -> int:
    """Create or upgrade the schema; returns the version. Safe to call from many processes; a
    database already up to date is only read (so a read-only one can still be opened)."""
    with engine.connect() as conn:
        if sa.inspect(conn).has_table("schema_version"):
            version = conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()
            if (version or 0) >= len(MIGRATIONS):
                return len(MIGRATIONS)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":  # one migrator at a time across processes
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(720514)"))
        elif engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        metadata.create_all(conn, tables=[schema_version])
        version = conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0
        for number in range(version + 1, len(MIGRATIONS) + 1):
            MIGRATIONS[number - 1](conn)
            conn.execute(schema_version.insert().values(version=number))
    return len(MIGRATIONS)


# --- checks ---------------------------------------------------------------------------------


def clip(text: object, limit: int = 24) -> str:
    """At most ``limit`` characters of an echoed input (never a whole pasted payload)."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_code(code: object) -> str:
    text = str(code or "").strip().upper()
    if len(text) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in text):
        raise RoomError(
            N_("A room code is {length} characters from {alphabet}; got {typed}."),
            length=CODE_LENGTH,
            alphabet=CODE_ALPHABET,
            typed=repr(clip(code)),
        )
    return text


def _check_student(student: object) -> str:
    if not isinstance(student, str) or not 8 <= len(student) <= MAX_STUDENT_CHARS:
        raise RoomError(N_("This browser has no valid student id; reload the page."))
    return student


def _fault_reason(error: BaseException) -> str:
    text = str(error).lower()
    if "readonly" in text or "read-only" in text or "permission" in text:
        return N_("the class's database cannot be written to")
    if "disk is full" in text or "no space" in text or "database or disk is full" in text:
        return N_("the class's database is out of space")
    return N_("the class's database is not answering")


def _guarded(method):
    """Turn any database or file error into a :class:`StoreFault` (never a driver error)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        self._check_file()
        try:
            return method(self, *args, **kwargs)
        except (RoomError, StoreFault):
            raise
        except (sa.exc.SQLAlchemyError, sqlite3.Error, OSError) as error:
            raise StoreFault(_fault_reason(error)) from error

    return wrapper


class Store:
    """Class-mode storage on one SQLAlchemy engine (shared by threads and processes)."""

    def __init__(self, engine: sa.Engine, clock=time.time):
        prepare_engine(engine)
        self.engine = engine
        self.clock = clock
        self._sqlite = engine.dialect.name == "sqlite"
        migrate(engine)
        self._file = self._file_identity()
        self._purged_at = -PURGE_EVERY

    # --- the SQLite file --------------------------------------------------------------------

    def _path(self) -> str | None:
        database = self.engine.url.database
        if self._sqlite and database and database != ":memory:" and "file:" not in database:
            return database
        return None

    def _file_identity(self):
        path = self._path()
        if path is None:
            return None
        stat = os.stat(path)
        return (stat.st_dev, stat.st_ino)

    def _check_file(self) -> None:
        """A SQLite file deleted or replaced under the running app is refused, not written:
        the open connections would go on writing to the deleted file, lost at the restart."""
        if self._file is None:
            return
        try:
            now = self._file_identity()
        except OSError:
            now = None
        if now != self._file:
            raise StoreFault(
                N_("the class's database file was deleted or replaced while the app ran")
            )

    @contextlib.contextmanager
    def _writing(self):
        """A write transaction; on SQLite it takes the write lock first (BEGIN IMMEDIATE), so
        what it reads cannot change before it writes."""
        with self.engine.connect() as conn:
            if self._sqlite:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    # --- limits -----------------------------------------------------------------------------

    def _count_events(self, conn, kind: str, client: str, window: float) -> int:
        client = clip(client, MAX_CLIENT_CHARS)
        return conn.execute(
            sa.select(sa.func.count())
            .select_from(events)
            .where(
                events.c.kind == kind,
                events.c.client == client,
                events.c.at > self.clock() - window,
            )
        ).scalar()

    def _note(self, conn, kind: str, client: str) -> None:
        client = clip(client, MAX_CLIENT_CHARS)
        conn.execute(events.insert().values(kind=kind, client=client, at=self.clock()))

    # --- rooms ------------------------------------------------------------------------------

    @_guarded
    def create_room(self, client: str | None = None, ttl: float = DEFAULT_TTL) -> NewRoom:
        """A new room with a fresh join code (collision-checked) and teacher token; at most
        :data:`ROOMS_PER_CLIENT` rooms per client per hour (None: the server's own host, no
        limit)."""
        self.purge()
        token = secrets.token_urlsafe(24)
        now = self.clock()
        for _ in range(50):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            row = dict(code=code, teacher_hash=_hash(token), created_at=now, expires_at=now + ttl)
            try:
                with self._writing() as conn:
                    if client is not None and (
                        self._count_events(conn, "room", client, ROOMS_WINDOW) >= ROOMS_PER_CLIENT
                    ):
                        raise RoomError(
                            N_(
                                "This device opened {rooms} classes in the last hour; "
                                "use one of them (its teacher link) or wait."
                            ),
                            rooms=ROOMS_PER_CLIENT,
                        )
                    conn.execute(
                        rooms.insert().values(**row, question_no=0, revealed=False, version=0)
                    )
                    if client is not None:
                        self._note(conn, "room", client)
                return NewRoom(code, token)
            except sa.exc.IntegrityError:
                continue  # the code is taken: draw another
        raise RoomError(N_("Could not find a free room code; try again in a minute."))

    def _row(self, conn, code: str, lock: str | None = None):
        query = _ROW_QUERIES[lock]
        row = conn.execute(query, {"code": code}).first()
        if row is None:
            raise RoomError(
                N_("Room {code} does not exist. Check the code on the projector."), code=code
            )
        if row.expires_at <= self.clock():
            raise RoomError(
                N_("Room {code} has expired; ask your teacher for a new code."), code=code
            )
        return row

    def _as_room(self, row) -> Room:
        settings = json.loads(row.settings_json) if row.settings_json else {}
        if row.question_json:
            question = question_from_json(row.question_json)
        elif row.question_key:  # posed before version 2: computed from its settings
            question = questions.pose(row.question_key, settings)
        else:
            question = None
        phase = row.phase or ((REVEALED if row.revealed else OPEN) if question else None)
        return Room(
            row.code,
            row.expires_at,
            row.question_no,
            question,
            phase,
            row.version,
            row.ended,
            settings,
        )

    @_guarded
    def room(self, code: object) -> Room:
        code = check_code(code)
        self._maybe_purge()
        with self.engine.connect() as conn:
            return self._as_room(self._row(conn, code))

    @_guarded
    def join(self, code: object, client: str | None = None) -> Room:
        """The room a student asks for by code, with a per-client limit on wrong codes: after
        :data:`JOIN_FAIL_LIMIT` unknown codes in ten minutes the client must wait (None: the
        server's own host, no limit)."""
        if client is None:
            return self.room(code)
        with self.engine.connect() as conn:
            fails = self._count_events(conn, "wrong_code", client, JOIN_FAIL_WINDOW)
        if fails >= JOIN_FAIL_LIMIT:
            raise RoomError(
                N_(
                    "Too many wrong room codes from this network in {minutes} minutes; "
                    "wait a few minutes, then type the code from the projector."
                ),
                minutes=f"{JOIN_FAIL_WINDOW / 60:g}",
            )
        try:
            return self.room(code)
        except RoomError:
            with self._writing() as conn:
                self._note(conn, "wrong_code", client)
            raise

    @_guarded
    def version(self, code: object) -> tuple[int, int]:
        """(question number, version): cheap, for a student's screen to see a change."""
        code = check_code(code)
        with self.engine.connect() as conn:
            row = conn.execute(_VERSION, {"code": code}).first()
        return (-1, -1) if row is None else (row.question_no, row.version)

    def _teacher_row(self, conn, code: object, token: object, lock: str | None = None):
        row = self._row(conn, check_code(code), lock)
        if not isinstance(token, str) or not hmac.compare_digest(_hash(token), row.teacher_hash):
            raise RoomError(
                N_("Only the teacher can do this: the teacher link's token is missing or wrong.")
            )
        return row

    @_guarded
    def check_teacher(self, code: object, token: object) -> None:
        with self.engine.connect() as conn:
            self._teacher_row(conn, code, token)

    @_guarded
    def pose(self, code: object, token: object, key: str, settings: Mapping[str, object]):
        """Pose question ``key`` at ``settings``: its true answer is computed here, once, and
        stored with it; a new question number, answers open and hidden."""
        text = json.dumps(dict(settings), sort_keys=True)
        if len(text) > MAX_SETTINGS_CHARS:
            raise RoomError(
                N_("The question's settings are too long (over {limit} characters)."),
                limit=MAX_SETTINGS_CHARS,
            )
        self.check_teacher(code, token)  # before the (possibly long) computation
        try:
            question = questions.pose(key, json.loads(text))
        except ValueError as error:
            raise RoomError(
                N_("Cannot pose this question: {reason}."), reason=clip(error, 300)
            ) from None
        stored = question_to_json(question)
        if len(stored) > MAX_QUESTION_CHARS:
            raise RoomError(N_("The question's text is too long; use shorter class names."))
        with self._writing() as conn:
            row = self._teacher_row(conn, code, token, lock="update")
            if row.ended:
                raise RoomError(N_("This class has ended; open a new class to pose questions."))
            number = row.question_no + 1
            conn.execute(
                posed.insert().values(room_code=row.code, question_no=number, question_json=stored)
            )
            conn.execute(
                rooms.update()
                .where(rooms.c.code == row.code)
                .values(
                    question_no=number,
                    question_key=key,
                    settings_json=text,
                    revealed=False,
                    phase=OPEN,
                    version=rooms.c.version + 1,
                )
            )
        return question

    def _set_phase(self, code: object, token: object, phase: str) -> None:
        with self._writing() as conn:
            row = self._teacher_row(conn, code, token, lock="update")
            if row.question_key is None:
                raise RoomError(N_("There is no question yet: pose one first."))
            conn.execute(
                rooms.update()
                .where(rooms.c.code == row.code)
                .values(phase=phase, revealed=phase == REVEALED, version=rooms.c.version + 1)
            )

    @_guarded
    def close(self, code: object, token: object) -> None:
        """Stop taking answers to the current question, without revealing the truth."""
        self._set_phase(code, token, CLOSED)

    @_guarded
    def reopen(self, code: object, token: object) -> None:
        self._set_phase(code, token, OPEN)

    @_guarded
    def reveal(self, code: object, token: object) -> None:
        """Show the truth; from when this returns, no answer to the question counts."""
        self._set_phase(code, token, REVEALED)

    @_guarded
    def end(self, code: object, token: object) -> None:
        """End the class: students see that it is over; the answers stay until the room expires."""
        with self._writing() as conn:
            row = self._teacher_row(conn, code, token, lock="update")
            conn.execute(
                rooms.update()
                .where(rooms.c.code == row.code)
                .values(ended=True, version=rooms.c.version + 1)
            )

    def _maybe_purge(self) -> None:
        if self.clock() - self._purged_at >= PURGE_EVERY:
            with contextlib.suppress(StoreFault):  # a read must not fail for a purge
                self.purge()

    @_guarded
    def purge(self) -> int:
        """Delete expired rooms with their questions and answers, and old rate-limit records
        (also run by room reads, at most every :data:`PURGE_EVERY` seconds per process)."""
        now = self._purged_at = self.clock()
        with self._writing() as conn:
            old = sa.select(rooms.c.code).where(rooms.c.expires_at <= now)
            conn.execute(answers.delete().where(answers.c.room_code.in_(old)))
            conn.execute(posed.delete().where(posed.c.room_code.in_(old)))
            gone = conn.execute(rooms.delete().where(rooms.c.expires_at <= now)).rowcount
            conn.execute(submissions.delete().where(submissions.c.at < now - BURST_WINDOW))
            longest = max(JOIN_FAIL_WINDOW, ROOMS_WINDOW)
            conn.execute(events.delete().where(events.c.at < now - longest))
        return gone

    # --- answers ----------------------------------------------------------------------------

    @_guarded
    def submit(self, code: object, student: object, question_no: int, guess: object) -> None:
        """Store (or replace) this student's answer to question ``question_no``.

        Refused unless that question is the room's current one and still open, checked in
        the transaction that stores the answer, with the room row locked (Postgres: FOR
        SHARE, which Close and Reveal wait for; SQLite: the write lock, taken first).
        """
        key = student_key(check_code(code), _check_student(student))
        now = self.clock()
        with self._writing() as conn:
            room = self._as_room(self._row(conn, check_code(code), lock="share"))
            self._check_open(room, question_no)
            try:
                value = room.question.answer.parse(guess)
            except ValueError as error:
                raise RoomError(N_("Not stored: {reason}."), reason=clip(error, 200)) from None
            text = json.dumps(value)
            if len(text) > MAX_ANSWER_CHARS:
                raise RoomError(
                    N_("Not stored: the answer is over {limit} characters."),
                    limit=MAX_ANSWER_CHARS,
                )
            recent = conn.execute(_RECENT, {"key": key, "since": now - BURST_WINDOW}).scalar()
            if recent >= BURST_LIMIT:
                raise RoomError(
                    N_(
                        "Not stored: at most {limit} submissions in {seconds} s. "
                        "Wait a moment, then submit again."
                    ),
                    limit=BURST_LIMIT,
                    seconds=f"{BURST_WINDOW:g}",
                )
            conn.execute(submissions.insert().values(session_id=key, at=now))
            self._upsert(conn, room, key, text, now)

    @staticmethod
    def _check_open(room: Room, question_no: object) -> None:
        if room.ended:
            raise RoomError(N_("Not stored: the class has ended."))
        if room.question is None:
            raise RoomError(N_("Not stored: there is no question yet; wait for your teacher."))
        if question_no != room.question_no:
            raise RoomError(
                N_(
                    "Not stored: question {old_number} is over; your teacher has "
                    "posed question {new_number}. Answer it below."
                ),
                old_number=clip(question_no, 12),
                new_number=room.question_no,
            )
        if room.phase == REVEALED:
            raise RoomError(N_("Not stored: the answer has been revealed; answers are closed."))
        if room.phase == CLOSED:
            raise RoomError(N_("Not stored: your teacher has closed the answers to this question."))

    def _upsert(self, conn, room: Room, key: str, text: str, now: float) -> None:
        row = dict(
            room_code=room.code,
            question_no=room.question_no,
            session_id=key,
            value_json=text,
            submitted_at=now,
        )
        conn.execute(_UPSERTS[self.engine.dialect.name], row)

    @_guarded
    def my_answer(self, code: object, student: object, question_no: int):
        """This student's stored answer to question ``question_no``, or None."""
        code = check_code(code)
        with self.engine.connect() as conn:
            key = student_key(code, _check_student(student))
            text = conn.execute(
                _MY_ANSWER, {"code": code, "question_no": question_no, "key": key}
            ).scalar()
        return None if text is None else json.loads(text)

    @_guarded
    def tally(self, code: object, question_no: int | None = None) -> Tally:
        """How many answered a question (default: the current one), and their answers (no ids)."""
        code = check_code(code)
        with self.engine.connect() as conn:
            if question_no is None:
                question_no = self._row(conn, code).question_no
            texts = conn.execute(
                sa.select(answers.c.value_json).where(
                    answers.c.room_code == code, answers.c.question_no == question_no
                )
            ).scalars()
            values = [json.loads(t) for t in texts]
        return Tally(question_no, len(values), tuple(sorted(values, key=_order)))

    @_guarded
    def export(self, code: object, token: object) -> list[dict]:
        """Every answer of the class, question by question, for a CSV: the question, its true
        answer, the answer and whether it is right; no student ids, no times."""
        with self.engine.connect() as conn:
            row = self._teacher_row(conn, code, token)
            posed_rows = conn.execute(
                sa.select(posed.c.question_no, posed.c.question_json)
                .where(posed.c.room_code == row.code)
                .order_by(posed.c.question_no)
            ).all()
            answer_rows = conn.execute(
                sa.select(answers.c.question_no, answers.c.value_json).where(
                    answers.c.room_code == row.code
                )
            ).all()
        by_question: dict[int, list] = {}
        for number, text in answer_rows:
            by_question.setdefault(number, []).append(json.loads(text))
        out = []
        for number, text in posed_rows:
            question = question_from_json(text)
            for value in sorted(by_question.get(number, []), key=_order):
                out.append(
                    {
                        "question": number,
                        "prompt": question.prompt,
                        "truth": question.truth,
                        "answer": value,
                        "right": question.is_right(value),
                    }
                )
        return out


def _order(value):
    """Sort key for answers of one question (numbers, or texts)."""
    return (isinstance(value, str), value)
