"""Class mode in the app: the teacher's Class page and the room panel of each lesson page.

Who is who (README, "Class mode"):

- a **student** is a random id (128 bits) made on the browser's first visit to a room and
  kept in a cookie (``xent_student``, this site only, one day): a reload, a reconnect, a
  second tab of the same link and a server restart are the same student, with one answer
  per question. No name, no account; the database keeps only a hash of the id with the
  room code, so one student's answers in two rooms cannot be linked.
- the **teacher** holds the room's token: kept in the session and in a cookie for that room
  (``xent_teacher_<CODE>``), never in the projected address bar; the teacher link (folded
  away) brings it to another browser, and the address bar drops it at once.

Students follow the class without clicking: a fragment reads the room's version every
:data:`FOLLOW_SECONDS` (one small row, shared by all the process's students for a second)
and reruns the page when the teacher poses, closes, reveals or ends.

Languages: every sentence is translated when it is drawn (``tr``; a message kept in the
session for the next run is kept untranslated, :func:`_keep_error`). What is stored and what
travels in links (room codes, question keys, answers, option values) is the same in every
language, so a student in Japanese and one in English answer the same question together.
"""

from __future__ import annotations

import base64
import hashlib
import io
import ipaddress
import os
import pathlib
import re
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass

import altair as alt
import pandas as pd
import segno
import streamlit as st

from xent import a11y, charts, language, navigation, questions
from xent import text as user_text
from xent.classroom import store as cs
from xent.i18n import N_, tr

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAGE_TITLES = navigation.LessonField("title")
PAGE_FILES = navigation.LessonField("script")
STUDENT_COOKIE = "xent_student"
TEACHER_COOKIE = "xent_teacher_"  # + the room code
COOKIE_SECONDS = int(cs.DEFAULT_TTL)
FOLLOW_SECONDS = 3  # a student's screen checks the room this often (a change shows within 5 s)
TEACHER_SECONDS = 2  # the teacher's count refreshes this often
_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,64}")

STUDENT_FAULT = N_(
    "Not connected to the class right now: {reason}. Nothing you do now is stored. "
    "This page tries again every few seconds; if it goes on, tell your teacher."
)
TEACHER_FAULT = N_(
    "The class's database cannot be used: {reason}. The numbers here may be out of date and "
    "nothing new is stored. This view tries again every {seconds} s; check the database "
    "server or the app's disk, or restart the app."
)


@dataclass(frozen=True)
class RoomState:
    """What a lesson page must know about the room in its URL."""

    code: str | None  # None: no room (or a room that could not be opened)
    hide_answers: bool  # True while this page's question is posed and not yet revealed


def literal(value: object) -> str:
    """User text shown as typed (the app's one literal-text rule, ``xent.text.literal``)."""
    return user_text.literal(str(value))


def database_url() -> str | None:
    """``XENT_DATABASE_URL`` if set; None when ``[connections.sql]`` is in secrets; else the
    default SQLite file ``.xent/classroom.sqlite3`` in the app folder."""
    if os.environ.get(cs.ENV_URL):
        return os.environ[cs.ENV_URL]
    try:
        if "sql" in st.secrets.get("connections", {}):
            return None
    except FileNotFoundError:  # no secrets.toml at all
        pass
    (ROOT / ".xent").mkdir(exist_ok=True)
    return cs.default_url(str(ROOT))


@st.cache_resource(show_spinner=False, max_entries=4)  # one per database URL
def _store(url: str | None) -> cs.Store:
    kwargs = {"url": url} if url else {}
    engine = st.connection("sql", type="sql", **kwargs, **cs.ENGINE_OPTIONS).engine
    return cs.Store(engine)


def get_store() -> cs.Store:
    """The process's store; a database that cannot be opened is a :class:`cs.StoreFault`."""
    try:
        return _store(database_url())
    except cs.StoreFault:
        raise
    except Exception as error:  # the engine or the migration failed: the database is down
        raise cs.StoreFault(N_("the class's database is not answering")) from error


# --- who is who ---------------------------------------------------------------------------


def _set_cookie(name: str, value: str) -> None:
    """Keep ``name=value`` in this browser for a day (Streamlit 1.67 reads cookies through
    ``st.context.cookies`` but has no call to set one: a line of script does it)."""
    if not (_TOKEN.fullmatch(value) and re.fullmatch(r"[A-Za-z0-9_]+", name)):
        return
    secure = "; Secure" if base_url().startswith("https:") else ""
    st.html(
        f"<script>document.cookie = '{name}={value}; path=/; max-age={COOKIE_SECONDS}; "
        f"SameSite=Lax{secure}';</script>",
        unsafe_allow_javascript=True,
    )


def student_id() -> str:
    """This browser's anonymous student id: the cookie's, else a new random one."""
    if "class_student" not in st.session_state:
        cookie = st.context.cookies.get(STUDENT_COOKIE)
        known = isinstance(cookie, str) and _TOKEN.fullmatch(cookie)
        st.session_state["class_student"] = cookie if known else secrets.token_hex(16)
        st.session_state["class_cookie_due"] = not known
    return st.session_state["class_student"]


def remember_student() -> None:
    """Write the student cookie once per session when the browser did not send it."""
    student_id()
    if st.session_state.pop("class_cookie_due", False):
        _set_cookie(STUDENT_COOKIE, st.session_state["class_student"])


def client_key() -> str | None:
    """Who asks, for the abuse limits: a hash of the network address (nginx's
    X-Forwarded-For when the app sits behind a local proxy), never stored in clear; None for
    the server's own host (a teacher or a test on the machine itself: no limit)."""
    try:
        address = st.context.ip_address
        forwarded = st.context.headers.get("X-Forwarded-For")
        if forwarded and (address is None or ipaddress.ip_address(address).is_loopback):
            address = forwarded.split(",")[-1].strip()
        if address is None or ipaddress.ip_address(address).is_loopback:
            return None
    except Exception:  # no browser (AppTest), or an address that is not one
        return None
    return hashlib.sha256(f"xent-client:{address}".encode()).hexdigest()[:32]


def teacher_token(code: str) -> str | None:
    tokens = st.session_state.setdefault("class_teacher", {})
    if code not in tokens:
        cookie = st.context.cookies.get(TEACHER_COOKIE + code)
        if isinstance(cookie, str) and _TOKEN.fullmatch(cookie):
            tokens[code] = cookie
    return tokens.get(code)


def keep_teacher_token(code: str, token: str) -> None:
    st.session_state.setdefault("class_teacher", {})[code] = token
    st.session_state["class_teacher_cookie_due"] = code


def base_url() -> str:
    try:
        parts = urllib.parse.urlsplit(st.context.url or "")
        if parts.netloc:
            return f"{parts.scheme}://{parts.netloc}"
    except Exception:  # no browser (AppTest): relative links
        pass
    return ""


def _lang() -> str:
    """``&lang=…``: a link the app makes opens in the language shown now (``language.query``)."""
    return "".join(f"&{key}={value}" for key, value in language.query())


def student_link(code: str, page: str = "bernoulli") -> str:
    return f"{base_url()}/{page}?room={code}{_lang()}"


def teacher_link(code: str, token: str) -> str:
    return f"{base_url()}/class?room={code}&teacher={urllib.parse.quote(token)}{_lang()}"


# Buttons here use the default (secondary) style: a primary button's white label on the dark
# theme's primary colour (#56B4E9, chosen to read on the dark background) is 2.3:1, under
# WCAG AA's 4.5:1 (axe, tests/e2e/test_a11y.py).


def qr_png(text: str) -> bytes:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=8, border=2)
    return out.getvalue()


QR_ALT = N_("QR code of the student link")


def qr_markdown(text: str) -> str:
    """The QR code as a markdown image with a text alternative (``st.image`` takes none):
    a PNG in a data URI, black on white in both themes so that phones can scan it."""
    encoded = base64.b64encode(qr_png(text)).decode()
    return f"![{tr(QR_ALT)}](data:image/png;base64,{encoded})"


def shown(value: object) -> str:
    """An answer or a truth as the screen shows it (numbers to 4 significant digits)."""
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def shown_answer(question: questions.Question, value: object) -> str:
    """An answer or a truth of ``question`` as the reader sees it: a choice by its label in
    the current language (the stored value is the same in every language), a number by
    :func:`shown`."""
    if question.answer.kind == questions.CHOICE:
        return question.answer.label(value)
    return shown(value)


def labels_of(options, label) -> dict:
    """``option -> label`` for a widget's ``format_func``, made in the script run: a format
    function that read the language itself would give another label where it runs on another
    thread (AppTest formats a widget's value again in the test's own thread)."""
    return {option: label(option) for option in options}


def distribution_chart(question: questions.Question, tally: cs.Tally, show_truth: bool):
    """Bars of the class's answers (choices) or a histogram (numbers), truth marked on reveal."""
    if question.answer.kind == questions.CHOICE:
        counts = pd.Series(tally.values, dtype=object).value_counts()
        options = list(question.answer.options)
        labels = [question.answer.label(o) for o in options]  # the bars say them as read
        data = pd.DataFrame(
            {
                "answer": labels,
                "students": [int(counts.get(o, 0)) for o in options],
            }
        )
        data["truth"] = [o == question.truth for o in options] if show_truth else False
        return (
            alt.Chart(data)
            .mark_bar()
            .encode(
                x=alt.X("students:Q", title=tr("students"), axis=alt.Axis(tickMinStep=1)),
                y=alt.Y("answer:N", sort=labels, title=None),
                color=alt.Color(
                    "truth:N",
                    legend=None,
                    scale=alt.Scale(domain=[False, True], range=["#8a8a8a", "#1a7f37"]),
                ),
            )
            .properties(height=alt.Step(30))
        )
    data = pd.DataFrame({"answer": list(tally.values)})
    bins = alt.Bin(extent=[question.answer.low, question.answer.high], maxbins=20)
    bars = (
        alt.Chart(data)
        .mark_bar(color="#8a8a8a")
        .encode(
            # "~g": 0.2 and 40, never 0.000000 (an empty histogram's one tick)
            x=alt.X("answer:Q", bin=bins, title=tr("answer"), axis=alt.Axis(format="~g")),
            y=alt.Y("count():Q", title=tr("students"), axis=alt.Axis(tickMinStep=1)),
        )
    )
    if show_truth:
        truth = alt.Chart(pd.DataFrame({"truth": [question.truth], "label": [tr("truth")]}))
        rule = truth.mark_rule(color="#1a7f37", size=3).encode(x="truth:Q")
        label = truth.mark_text(align="left", dx=6, baseline="top", y=0, fontWeight="bold")
        bars = bars + rule + label.encode(x="truth:Q", text="label:N")  # the rule says what it is
    return bars.properties(height=200)


def distribution_alt(question: questions.Question, tally: cs.Tally, show_truth: bool) -> str:
    """The answers chart in words (its text alternative): how many answered and, for a choice,
    how many chose each option; the truth once revealed."""
    if question.answer.kind == questions.CHOICE:
        counts = pd.Series(tally.values, dtype=object).value_counts()
        each = ", ".join(
            f"{question.answer.label(o)} {int(counts.get(o, 0))}" for o in question.answer.options
        )
        said = tr("Bar chart of the class's {count} answers: {each}.", count=tally.count, each=each)
    else:
        said = tr(
            "Histogram of the class's {count} answers between {low} and {high}.",
            count=tally.count,
            low=shown(question.answer.low),
            high=shown(question.answer.high),
        )
    if show_truth:
        said += " " + tr("The truth: {truth}.", truth=shown_answer(question, question.truth))
    return said


def _draw(chart, alt_text: str) -> None:
    """A class-mode chart with the lesson charts' text settings (16 px and more, the page's
    text colour; ``xent.charts.CONFIG``), readable on the projector, and its text alternative."""
    spec = chart.to_dict()
    spec["config"] = {**spec.get("config", {}), **charts.CONFIG}
    st.vega_lite_chart(spec, width="stretch", alt=alt_text)


def _show_error(error: cs.RoomError) -> None:
    st.error(literal(error.shown()), icon=":material/error:")


def _show_fault(fault: cs.StoreFault, template: str = STUDENT_FAULT) -> None:
    st.warning(
        tr(template, reason=tr(fault.reason), seconds=TEACHER_SECONDS),
        icon=":material/cloud_off:",
    )


# A message for the next run (a callback's refusal) is kept untranslated in the session, as
# (English message, values), a value itself such a pair when it is a message (a fault's
# reason): it is translated when shown, in the language of the run that shows it.
Said = tuple[str, dict]


def _keep_error(message: str, /, **values: object) -> None:
    st.session_state["class_error"] = (message, values)


def _keep_refusal(error: cs.RoomError) -> None:
    _keep_error(error.message, **error.values)


def _keep_fault(message: str, fault: cs.StoreFault) -> None:
    _keep_error(message, reason=(fault.reason, {}))


def _words(said: Said) -> str:
    message, values = said
    return tr(message, **{k: _words(v) if isinstance(v, tuple) else v for k, v in values.items()})


def _show_kept_error() -> None:
    """The refusal a callback kept for this run, said once, in the run's language."""
    if "class_error" in st.session_state:
        st.error(literal(_words(st.session_state.pop("class_error"))), icon=":material/error:")


# --- students: the panel at the top of a lesson page --------------------------------------


def answer_input(question: questions.Question, key: str, value=None):
    """The question's own input widget (options shown as typed, never as markup)."""
    a = question.answer
    if a.kind == questions.CHOICE:
        index = a.options.index(value) if value in a.options else None
        labels = labels_of(a.options, lambda option: literal(a.label(option)))
        return st.radio(
            tr("Your answer"), a.options, index=index, key=key, format_func=labels.__getitem__
        )
    if a.kind == questions.NUMBER:
        start = int(value) if value is not None else int(a.low)
        return st.number_input(tr("Your answer"), int(a.low), int(a.high), start, 1, key=key)
    start = float(value) if value is not None else (a.low + a.high) / 2
    return st.slider(tr("Your answer"), float(a.low), float(a.high), start, float(a.step), key=key)


_versions: dict[str, tuple[float, tuple[int, int]]] = {}
_versions_lock = threading.Lock()


def room_version(code: str) -> tuple[int, int]:
    """The room's (question, version), read at most once a second per process and room:
    sixty waiting students cost one small query a second, not sixty."""
    now = time.monotonic()
    with _versions_lock:
        seen = _versions.get(code)
    if seen is not None and now - seen[0] < 1.0:
        return seen[1]
    version = get_store().version(code)
    with _versions_lock:
        if len(_versions) > 1000:
            _versions.clear()
        _versions[code] = (now, version)
    return version


@st.fragment(run_every=FOLLOW_SECONDS)
def _follow(code: str, seen: tuple[int, int] | None) -> None:
    """Rerun the page when the room changed since it was drawn (or the database is back)."""
    try:
        now = room_version(code)
    except (cs.StoreFault, cs.RoomError):
        return
    if now != seen:
        st.rerun()


def _first_join(code: str) -> cs.Room:
    """The room, counted against the client's wrong-code limit on the session's first visit."""
    db = get_store()
    joined = st.session_state.setdefault("class_joined", set())
    if code in joined:
        return db.room(code)
    room = db.join(code, client_key())
    joined.add(room.code)
    return room


def room_panel(page: str) -> RoomState:
    """Draw the room's question at the top of a lesson page when ``room`` is in the URL.

    Returns whether the page must hide the readings and results that give the answer away.
    """
    code = st.query_params.get("room")
    if not code:
        return RoomState(None, False)
    st.space("small")  # the panel's first line clear of the navigation bar
    try:
        room = _first_join(code)
    except cs.RoomError as error:
        _show_error(error)
        return RoomState(None, False)
    except cs.StoreFault as fault:
        _show_fault(fault)
        _follow(cs.clip(code, cs.CODE_LENGTH), None)
        return RoomState(None, True)
    with st.container(border=True):
        remember_student()
        _follow(room.code, (room.question_no, room.version))
        try:
            return _panel_body(room, page)
        except cs.StoreFault as fault:
            _show_fault(fault)
            return RoomState(room.code, True)


def _panel_body(room: cs.Room, page: str) -> RoomState:
    st.markdown(tr("**Class {code}**", code=literal(room.code)))
    _show_kept_error()  # a refused answer: said here, at once
    if room.ended:
        st.info(tr("The class has ended. Thank you! The lesson is yours to explore."))
        return RoomState(room.code, False)
    if room.question is None:
        st.info(tr("No question yet. This page shows it as soon as your teacher poses one."))
        return RoomState(room.code, False)
    if room.question.page != page:
        _follow_to_page(room)
        title = page_title(room.question.page)
        st.info(tr("The class question is on the {title} page.", title=title))
        st.page_link(
            PAGE_FILES[room.question.page],
            label=tr("Go to {title}", title=title),
            query_params=question_query(room),
        )
        return RoomState(room.code, False)
    return _student_question(room)


def page_title(page: str) -> str:
    """A lesson page's title in the current language (the menu's, ``xent.navigation``)."""
    return tr(PAGE_TITLES.get(page, page))


def question_query(room: cs.Room) -> list[tuple[str, str]]:
    """The address of the question's page: the room, and each setting the question was posed
    at that differs from the page's default (what the teacher's pasted link set), so the
    lesson a student sees, and its reveal, are at the question's settings."""
    defaults = _page_defaults(room.question.page)
    query = [("room", room.code)]
    for key, value in room.settings.items():
        if key in defaults and value != defaults[key]:
            query += [(key, str(v)) for v in (value if isinstance(value, list) else [value])]
    return query


def _follow_to_page(room: cs.Room) -> None:
    """Take the student to a new question's page, once per question (a student who then
    goes exploring elsewhere is not pulled back)."""
    seen = (room.code, room.question_no)
    if room.revealed or st.session_state.get("class_followed") == seen:
        return
    st.session_state["class_followed"] = seen
    st.switch_page(PAGE_FILES[room.question.page], query_params=question_query(room))


def _at_question_settings(room: cs.Room) -> None:
    """Once per question, a student already on its page is put at the question's settings
    (a student who joined by the plain room link, or was on the page before it was posed);
    after that the controls are the student's to move."""
    seen = (room.code, room.question_no)
    if st.session_state.get("class_followed") == seen:
        return
    st.session_state["class_followed"] = seen
    query = question_query(room)
    if any(value not in st.query_params.get_all(key) for key, value in query):
        st.switch_page(PAGE_FILES[room.question.page], query_params=query)


def _student_question(room: cs.Room) -> RoomState:
    _at_question_settings(room)
    db, me = get_store(), student_id()
    question = room.question
    st.markdown(
        tr(
            "**Question {number}.** {prompt}",
            number=room.question_no,
            prompt=literal(question.prompt),
        )
    )
    mine = db.my_answer(room.code, me, room.question_no)
    # the region exists (empty) while the question is open, so the reveal is spoken
    a11y.announce("class-reveal", _reveal_words(question, mine) if room.revealed else "")
    if room.revealed:
        _reveal_view(db, room, mine)
        return RoomState(room.code, False)
    if room.phase == cs.CLOSED:
        st.info(tr("Your teacher has closed the answers. The reveal comes next."))
    else:
        guess_key = f"class_guess_{room.question_no}"
        answer_input(question, guess_key, mine)
        st.caption(literal(question.rule))
        st.button(
            tr("Submit my answer"),
            key=f"class_submit_{room.question_no}",
            on_click=_submit,
            args=(room.code, room.question_no, guess_key),
        )
    if mine is not None:
        st.success(
            tr("Stored: your answer **{answer}**.", answer=literal(shown_answer(question, mine)))
        )
    st.caption(
        tr(
            "The readings and results that would give the answer away stay hidden until the "
            "reveal. This page follows the class by itself."
        )
    )
    return RoomState(room.code, True)


def _submit(code: str, question_no: int, guess_key: str) -> None:
    """Button callback: the answer names the question it was drawn for."""
    if st.session_state.get(guess_key) is None:
        _keep_error(N_("Choose an answer first; nothing was stored."))
        return
    try:
        get_store().submit(code, student_id(), question_no, st.session_state.get(guess_key))
    except cs.RoomError as error:
        _keep_refusal(error)
    except cs.StoreFault as fault:
        _keep_fault(
            N_(
                "Not stored: {reason}. Press Submit again in a moment; "
                "if it goes on, tell your teacher."
            ),
            fault,
        )


def _reveal_words(question, mine) -> str:
    """The reveal as a screen reader hears it: the truth, and the student's guess graded."""
    if mine is None:
        return tr("The truth: **{truth}**", truth=shown_answer(question, question.truth))
    grade = question.grade(mine)
    return " ".join(
        (
            tr("The truth: **{truth}**", truth=grade.truth),
            tr("Your guess: **{guess}**", guess=grade.guess),
            grade.verdict,
        )
    )


def _reveal_view(db: cs.Store, room: cs.Room, mine) -> None:
    question = room.question
    left, right = st.columns(2)
    with left:
        if mine is None:
            st.markdown(
                tr("The truth: **{truth}**", truth=literal(shown_answer(question, question.truth)))
            )
            st.markdown(
                tr("Your guess: **none** (no answer of yours was stored for this question)")
            )
        else:  # the one grading rule, worded as predict-then-reveal words it
            grade = question.grade(mine)
            st.markdown(tr("The truth: **{truth}**", truth=literal(grade.truth)))
            st.markdown(tr("Your guess: **{guess}**", guess=literal(grade.guess)))
            st.markdown(literal(grade.verdict))
        st.markdown(literal(question.explanation))
    tally = db.tally(room.code, room.question_no)
    with right:
        one = N_("**The class: {count} answer**")
        many = N_("**The class: {count} answers**")
        st.markdown(tr(one if tally.count == 1 else many, count=tally.count))
        _draw(distribution_chart(question, tally, True), distribution_alt(question, tally, True))


# --- the Class page: open a class (teacher) or join one (student) --------------------------


def _open_class() -> None:
    try:
        new = get_store().create_room(client_key())
    except cs.RoomError as error:
        _keep_refusal(error)
        return
    except cs.StoreFault as fault:
        _keep_fault(N_("Could not open a class: {reason}."), fault)
        return
    keep_teacher_token(new.code, new.teacher_token)
    st.query_params.from_dict({"room": new.code})  # the token stays out of the address bar
    a11y.focus_next(ACTIONS)  # the button is gone: the focus goes to the room's first action


def class_page() -> None:
    """The Class page: the teacher's room when this browser holds its token, else a start
    page to open a class or to join one by code."""
    navigation.ensure_entry()  # a first visit to /class goes through the app's menu too
    a11y.restore_focus()
    code = st.query_params.get("room")
    if "teacher" in st.query_params:  # a teacher link: keep its token, clear the address
        token = st.query_params.get("teacher")
        del st.query_params["teacher"]
        if code and _TOKEN.fullmatch(token or ""):
            keep_teacher_token(cs.clip(code, 16).upper(), token)
    token = teacher_token(str(code).upper()) if code else None
    if code and token:
        teacher_view(str(code).upper(), token)
        return
    _start_page(code)


def _start_page(code: str | None) -> None:
    st.title(tr("Class mode"))
    language.switch()  # English | 日本語, as in a lesson page's header row
    st.markdown(
        tr(
            "Ask the class a question about a lesson page, let every student commit a guess, "
            "watch the class's answers come in, then reveal what the math does. "
            "No accounts, no names: students are anonymous."
        )
    )
    if code:
        st.info(
            tr(
                "This browser is not the teacher of class {code}: open "
                "the teacher link to manage it, or join it below as a student.",
                code=literal(cs.clip(code, 16)),
            )
        )
    _show_kept_error()
    left, right = st.columns(2, gap="large")
    with left:
        st.header(tr("Teacher"))
        st.button(tr("Open a class"), on_click=_open_class, icon=":material/groups:")
    with right:
        st.header(tr("Student"))
        with st.form("class_join", border=False):
            st.text_input(
                tr("Room code"),
                value=cs.clip(code or "", cs.CODE_LENGTH),
                max_chars=cs.CODE_LENGTH,
                placeholder="K7QX3M",
                key="class_code",
            )
            st.form_submit_button(tr("Join"), on_click=_join)
        if "class_goto" in st.session_state:
            page, room_code = st.session_state.pop("class_goto")
            st.switch_page(PAGE_FILES[page], query_params={"room": room_code})


def _join() -> None:
    """Form callback: find the room, then the script switches to its question's page."""
    try:
        room = get_store().join(st.session_state.get("class_code"), client_key())
    except cs.RoomError as error:
        _keep_refusal(error)
        return
    except cs.StoreFault as fault:
        _keep_fault(N_("Could not join: {reason}. Try again soon."), fault)
        return
    st.session_state.setdefault("class_joined", set()).add(room.code)
    st.session_state["class_goto"] = (
        room.question.page if room.question else "bernoulli",
        room.code,
    )


def _page_defaults(page: str) -> dict:
    """The lesson page's own defaults (from its entry in the page registry)."""
    entry = navigation.lesson(page)
    return dict(entry.state.defaults) if entry else {}


def settings_from_link(page: str, link: str) -> dict:
    """A lesson page's settings: its defaults, overridden by the values in a copied link."""
    settings = _page_defaults(page)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(link.strip()).query)
    for key, values in query.items():
        if key in settings:
            settings[key] = values if isinstance(settings[key], list) else values[-1]
    return settings


# --- the teacher's room: fits a 1280x720 projector ----------------------------------------


def teacher_view(code: str, token: str) -> None:
    try:
        db = get_store()
        db.check_teacher(code, token)
        room = db.room(code)
    except cs.RoomError as error:
        _show_error(error)
        return
    except cs.StoreFault as fault:
        _show_fault(fault, TEACHER_FAULT)
        st.button(tr("Retry"), icon=":material/refresh:")
        return
    st.session_state["class_seen_version"] = room.version  # what this full run draws
    if st.session_state.get("class_teacher_cookie_due") == code:
        del st.session_state["class_teacher_cookie_due"]
        _set_cookie(TEACHER_COOKIE + code, token)
    st.space("small")  # the first line clear of the top navigation bar
    join, live = st.columns([1, 2.2], gap="medium")
    with join:
        language.switch()  # the projected room in English or 日本語 (links carry it)
        _join_card(room)
    with live:
        _show_kept_error()
        _live_header(room)
        if room.question is not None:
            live_answers(code, room.question_no)
        _actions(room, token)
    _teacher_extras(db, room, token)


def _join_card(room: cs.Room) -> None:
    link = student_link(room.code, room.question.page if room.question else "bernoulli")
    st.markdown(tr("Join code") + f"\n# {literal(room.code)}")
    st.markdown(qr_markdown(link), width=170)
    st.markdown(tr("Scan, or open {link}", link=literal(link)))


PHASES = {
    cs.OPEN: N_("answers open"),
    cs.CLOSED: N_("answers closed"),
    cs.REVEALED: N_("revealed"),
}
"""A question's phase as the teacher's header says it (the stored phase stays as it is)."""


def _live_header(room: cs.Room) -> None:
    if room.ended:
        st.markdown(tr("**The class has ended.** Students see that it is over."))
        return
    if room.question is None:
        st.markdown(tr("**No question yet.** Pose the first one: students see it within seconds."))
        return
    st.markdown(
        tr(
            "**Question {number}** ({title}, {phase}): {prompt}",
            number=room.question_no,
            title=page_title(room.question.page),
            phase=tr(PHASES[room.phase]),
            prompt=literal(room.question.prompt),
        )
    )
    if room.revealed:
        st.markdown(
            tr(
                "The truth: **{truth}**. {explanation}",
                truth=literal(shown_answer(room.question, room.question.truth)),
                explanation=literal(room.question.explanation),
            )
        )


ACTIONS = "class_actions"
"""The key of the teacher's row of actions: where the focus goes after one (each replaces
its own button: Close answers becomes Reopen answers) and after Open a class."""


def _actions(room: cs.Room, token: str) -> None:
    """The next action, in class order: Close answers, Reveal, Next question, End class."""
    st.session_state["class_room"] = (room.code, token)
    with st.container(horizontal=True, key=ACTIONS):
        if room.ended:
            return
        live = room.question is not None
        if live and room.phase == cs.OPEN:
            st.button(tr("Close answers"), icon=":material/lock:", on_click=_act, args=("close",))
        if live and room.phase == cs.CLOSED:
            st.button(
                tr("Reopen answers"),
                icon=":material/lock_open:",
                on_click=_act,
                args=("reopen",),
            )
        if live and not room.revealed:
            st.button(tr("Reveal"), icon=":material/visibility:", on_click=_act, args=("reveal",))
        label = tr("Next question") if live else tr("Pose a question")
        with st.popover(label, icon=":material/help:"):
            _pose_form(room)
        st.button(tr("End class"), icon=":material/logout:", on_click=_act, args=("end",))
        if live and not room.revealed:
            st.toggle(
                tr("Show answers"),
                key="class_show",
                help=tr("The distribution, before the reveal"),
            )


def _act(action: str) -> None:
    """Button callback for Close, Reopen, Reveal and End (runs before the rerun; never lost)."""
    code, token = st.session_state["class_room"]
    a11y.focus_next(ACTIONS)  # the pressed button is replaced: the focus stays in the row
    try:
        db = get_store()
        {"close": db.close, "reopen": db.reopen, "reveal": db.reveal, "end": db.end}[action](
            code, token
        )
    except cs.RoomError as error:
        _keep_refusal(error)
    except cs.StoreFault as fault:
        _keep_fault(N_("Not done: {reason}. Try again in a moment."), fault)


def _question_label(key: str) -> str:
    template = questions.TEMPLATES[key]
    return tr(
        "{page_title}: {question_title}",
        page_title=page_title(template.page),
        question_title=tr(template.title),
    )


def _pose_form(room: cs.Room) -> None:
    """The pose form (in the Next question popover): it says what is live now. A form, so
    that choosing does not rerun the page (which would close the popover)."""
    if room.question is not None:
        st.caption(
            tr(
                "Live now: question {number}, {prompt} Posing replaces it for every student.",
                number=room.question_no,
                prompt=literal(room.question.prompt),
            )
        )
    with st.form("class_pose", border=False):
        st.selectbox(
            tr("Question"),
            list(questions.TEMPLATES),  # the keys are stored; their titles are shown
            format_func=labels_of(questions.TEMPLATES, _question_label).__getitem__,
            key="class_key",
        )
        st.text_input(
            tr("At the settings of a page link (optional)"),
            placeholder=tr("Paste the page's Share link; empty: the page's defaults"),
            key="class_link",
        )
        st.form_submit_button(tr("Pose it"), icon=":material/help:", on_click=_pose)


def _pose() -> None:
    """Button callback: pose the chosen question (runs before the rerun; never lost)."""
    code, token = st.session_state["class_room"]
    key = st.session_state.get("class_key")
    link = st.session_state.get("class_link") or ""
    try:
        page = questions.TEMPLATES[key].page
        get_store().pose(code, token, key, settings_from_link(page, link))
        st.session_state["class_show"] = False  # each question's answers start hidden
    except cs.RoomError as error:
        _keep_refusal(error)
    except cs.StoreFault as fault:
        _keep_fault(N_("Not posed: {reason}. Try again in a moment."), fault)


@st.fragment(run_every=TEACHER_SECONDS)
def live_answers(code: str, question_no: int) -> None:
    """The live count and (when shown) the distribution: the part that refreshes itself."""
    try:
        db = get_store()
        room, tally = db.room(code), db.tally(code, question_no)
    except cs.RoomError as error:
        _show_error(error)
        return
    except cs.StoreFault as fault:
        _show_fault(fault, TEACHER_FAULT)
        return
    if room.version != st.session_state.get("class_seen_version", room.version):
        st.session_state.pop("class_seen_version", None)
        st.rerun()  # another teacher tab changed the room: redraw the whole view
    st.session_state["class_seen_version"] = room.version
    one, many = N_("{count} student has answered"), N_("{count} students have answered")
    count_text = tr(one if tally.count == 1 else many, count=tally.count)
    st.markdown("## " + count_text)
    a11y.announce("class-count", count_text)  # a screen reader hears the count change
    if room.revealed or st.session_state.get("class_show"):
        _draw(
            distribution_chart(room.question, tally, room.revealed),
            distribution_alt(room.question, tally, room.revealed),
        )
    else:
        st.caption(tr("The distribution is hidden until the reveal (Show answers shows it now)."))


EXPORT_COLUMNS = ("question", "prompt", "truth", "answer", "right")
"""The CSV export's column headers: machine-readable English names, the same in every
language (not translated on purpose; ``cs.Store.export`` names its fields so)."""


def _teacher_extras(db: cs.Store, room: cs.Room, token: str) -> None:
    with st.expander(tr("Export answers, teacher link")):
        try:
            rows = db.export(room.code, token)
        except (cs.RoomError, cs.StoreFault):
            rows = None
        if rows is not None:
            st.download_button(
                tr("Download the answers (CSV)"),
                # The CSV's column headers stay these English machine names in every
                # language (a spreadsheet or a script reads the same columns whoever
                # exported), and so do the truth and answer values (the stored option
                # values); the prompt is in the exporter's language. The caption below says
                # what the columns hold in the reader's language.
                pd.DataFrame(rows, columns=list(EXPORT_COLUMNS)).to_csv(index=False).encode(),
                file_name=f"class-{room.code}.csv",
                mime="text/csv",
                icon=":material/download:",
            )
            st.caption(
                tr(
                    "One row per answer, with the columns question (its number), prompt, truth, "
                    "answer and right (English headers in every language). No names, no ids."
                )
            )
        st.caption(
            tr(
                "The teacher link brings this room to another browser. Keep it private: "
                "whoever has it can pose, reveal and end."
            )
        )
        st.code(teacher_link(room.code, token), language=None, wrap_lines=True)
