"""Class mode in the app: the teacher's Class page and the room panel of each lesson page.

Students never poll: their page reads the room when they interact (or press "Check for the
reveal"). Only the teacher's live count runs in ``st.fragment(run_every=2)``.
"""

from __future__ import annotations

import base64
import io
import os
import pathlib
import secrets
import urllib.parse
from dataclasses import dataclass

import altair as alt
import pandas as pd
import segno
import streamlit as st

from xent import navigation, questions
from xent.classroom import store as cs

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAGE_TITLES = navigation.LessonField("title")
PAGE_FILES = navigation.LessonField("script")


@dataclass(frozen=True)
class RoomState:
    """What a lesson page must know about the room in its URL."""

    code: str | None  # None: no room (or a room that could not be opened)
    hide_answers: bool  # True while this page's question is posed and not yet revealed


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
    return cs.Store(st.connection("sql", type="sql", **kwargs).engine)


def get_store() -> cs.Store:
    return _store(database_url())


def session_id() -> str:
    """An anonymous id for this browser session (no account, no name)."""
    if "class_session" not in st.session_state:
        st.session_state["class_session"] = secrets.token_hex(16)
    return st.session_state["class_session"]


def base_url() -> str:
    try:
        parts = urllib.parse.urlsplit(st.context.url or "")
        if parts.netloc:
            return f"{parts.scheme}://{parts.netloc}"
    except Exception:  # no browser (AppTest): relative links
        pass
    return ""


def student_link(code: str, page: str = "bernoulli") -> str:
    return f"{base_url()}/{page}?room={code}"


def teacher_link(code: str, token: str) -> str:
    return f"{base_url()}/class?room={code}&teacher={urllib.parse.quote(token)}"


# Buttons here use the default (secondary) style: a primary button's white label on the dark
# theme's primary colour (#56B4E9, chosen to read on the dark background) is 2.3:1, under
# WCAG AA's 4.5:1 (axe, tests/e2e/test_a11y.py).


def qr_png(text: str) -> bytes:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=8, border=2)
    return out.getvalue()


QR_ALT = "QR code of the student link"


def qr_markdown(text: str) -> str:
    """The QR code as a markdown image with a text alternative (``st.image`` takes none):
    a PNG in a data URI, black on white in both themes so that phones can scan it."""
    encoded = base64.b64encode(qr_png(text)).decode()
    return f"![{QR_ALT}](data:image/png;base64,{encoded})"


def distribution_chart(question: questions.Question, tally: cs.Tally, show_truth: bool):
    """Bars of the class's answers (choices) or a histogram (numbers), truth marked on reveal."""
    if question.answer.kind == questions.CHOICE:
        counts = pd.Series(tally.values, dtype=object).value_counts()
        data = pd.DataFrame(
            {
                "answer": list(question.answer.options),
                "students": [int(counts.get(o, 0)) for o in question.answer.options],
            }
        )
        data["truth"] = data["answer"] == question.truth if show_truth else False
        return (
            alt.Chart(data)
            .mark_bar()
            .encode(
                x=alt.X("students:Q", title="students", axis=alt.Axis(tickMinStep=1)),
                y=alt.Y("answer:N", sort=list(question.answer.options), title=None),
                color=alt.Color(
                    "truth:N",
                    legend=None,
                    scale=alt.Scale(domain=[False, True], range=["#8a8a8a", "#1a7f37"]),
                ),
            )
            .properties(height=40 * len(question.answer.options) + 30)
        )
    data = pd.DataFrame({"answer": list(tally.values)})
    bins = alt.Bin(extent=[question.answer.low, question.answer.high], maxbins=20)
    bars = (
        alt.Chart(data)
        .mark_bar(color="#8a8a8a")
        .encode(
            x=alt.X("answer:Q", bin=bins, title="answer"),
            y=alt.Y("count():Q", title="students", axis=alt.Axis(tickMinStep=1)),
        )
    )
    if show_truth:
        rule = alt.Chart(pd.DataFrame({"truth": [question.truth]})).mark_rule(
            color="#1a7f37", size=3
        )
        bars = bars + rule.encode(x="truth:Q")
    return bars.properties(height=220)


def _show_error(error: cs.RoomError) -> None:
    st.error(str(error), icon=":material/error:")


# --- students: the panel at the top of a lesson page --------------------------------------


def answer_input(question: questions.Question, key: str, value=None):
    """The question's own input widget."""
    a = question.answer
    if a.kind == questions.CHOICE:
        index = a.options.index(value) if value in a.options else None
        return st.radio("Your answer", a.options, index=index, key=key)
    if a.kind == questions.NUMBER:
        start = int(value) if value is not None else int(a.low)
        return st.number_input("Your answer", int(a.low), int(a.high), start, 1, key=key)
    start = float(value) if value is not None else (a.low + a.high) / 2
    return st.slider("Your answer", float(a.low), float(a.high), start, float(a.step), key=key)


def room_panel(page: str) -> RoomState:
    """Draw the room's question at the top of a lesson page when ``room`` is in the URL.

    Returns whether the page must hide the readings and results that give the answer away.
    """
    code = st.query_params.get("room")
    if not code:
        return RoomState(None, False)
    try:
        room = get_store().room(code)
    except cs.RoomError as error:
        _show_error(error)
        return RoomState(None, False)
    with st.container(border=True):
        st.markdown(f"**Class {room.code}**")
        if room.question is None:
            st.info("No question yet. Explore the page; your teacher will pose one soon.")
            st.button("Check for a question", key="class_check")
            return RoomState(room.code, False)
        if room.question.page != page:
            title = PAGE_TITLES.get(room.question.page, room.question.page)
            st.info(f"The class question is on the {title} page.")
            st.page_link(
                PAGE_FILES[room.question.page],
                label=f"Go to {title}",
                query_params={"room": room.code},
            )
            return RoomState(room.code, False)
        return _student_question(room)


def _student_question(room: cs.Room) -> RoomState:
    db, me = get_store(), session_id()
    question = room.question
    st.markdown(f"**Question {room.question_no}.** {question.prompt}")
    try:
        mine = db.my_answer(room.code, me)
    except cs.RoomError as error:
        _show_error(error)
        return RoomState(room.code, False)
    if room.revealed:
        _reveal_view(db, room, mine)
        return RoomState(room.code, False)
    guess_key = f"class_guess_{room.question_no}"
    answer_input(question, guess_key, mine)
    st.button(
        "Submit my answer",
        key=f"class_submit_{room.question_no}",
        on_click=_submit,
        args=(room.code, guess_key),
    )
    if "class_error" in st.session_state:
        st.error(st.session_state.pop("class_error"), icon=":material/error:")
    mine = db.my_answer(room.code, me)
    if mine is not None:
        st.success(f"Your answer: **{mine}**. You may change it until your teacher reveals.")
    st.caption(
        "The readings and results that would give the answer away stay hidden until the reveal."
    )
    st.button("Check for the reveal", key="class_check")
    return RoomState(room.code, True)


def _submit(code: str, guess_key: str) -> None:
    """Button callback (runs before the rerun, so the click is never lost)."""
    try:
        get_store().submit(code, session_id(), st.session_state.get(guess_key))
    except cs.RoomError as error:
        st.session_state["class_error"] = str(error)


def _reveal_view(db: cs.Store, room: cs.Room, mine) -> None:
    question = room.question
    truth = question.truth if question.answer.kind == questions.CHOICE else f"{question.truth:.4g}"
    left, right = st.columns(2)
    left.metric("The truth", truth)
    left.metric("Your guess", "none" if mine is None else str(mine))
    if mine is not None:
        left.markdown("Right!" if question.is_right(mine) else "Not quite: compare with the truth.")
    st.markdown(question.explanation)
    tally = db.tally(room.code)
    with right:
        st.markdown(f"**The class: {tally.count} answer{'' if tally.count == 1 else 's'}**")
        st.altair_chart(distribution_chart(question, tally, True), width="stretch")


# --- the teacher: the Class page ----------------------------------------------------------


def _open_class() -> None:
    try:
        new = get_store().create_room()
    except cs.RoomError as error:
        st.session_state["class_error"] = str(error)
        return
    st.query_params.from_dict({"room": new.code, "teacher": new.teacher_token})


def class_page() -> None:
    """The Class page: open a class (teacher) or join one by code (student)."""
    navigation.ensure_entry()  # a first visit to /class goes through the app's menu too
    st.title("Class mode")
    code, token = st.query_params.get("room"), st.query_params.get("teacher")
    if code and token:
        teacher_view(code, token)
        return
    st.markdown(
        "Ask the class a question about a lesson page, let every student commit a guess, "
        "watch the class's answers come in, then reveal what the math does. "
        "No accounts, no names: students are anonymous."
    )
    if "class_error" in st.session_state:
        st.error(st.session_state.pop("class_error"))
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("Teacher")
        st.button("Open a class", on_click=_open_class, icon=":material/groups:")
    with right:
        st.subheader("Student")
        with st.form("class_join", border=False):
            st.text_input(
                "Room code", max_chars=cs.CODE_LENGTH, placeholder="K7QX", key="class_code"
            )
            st.form_submit_button("Join", on_click=_join)
        if "class_goto" in st.session_state:
            page, code = st.session_state.pop("class_goto")
            st.switch_page(PAGE_FILES[page], query_params={"room": code})


def _join() -> None:
    """Form callback: find the room, then the script switches to its question's page."""
    try:
        room = get_store().room(st.session_state.get("class_code"))
    except cs.RoomError as error:
        st.session_state["class_error"] = str(error)
        return
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


def teacher_view(code: str, token: str) -> None:
    db = get_store()
    try:
        db.check_teacher(code, token)
        room = db.room(code)
    except cs.RoomError as error:
        _show_error(error)
        return
    join, pose = st.columns([1, 1.4], gap="large")
    with join:
        st.markdown(f"Join code: **{room.code}**")
        st.markdown(f"# {room.code}")
        link = student_link(room.code, room.question.page if room.question else "bernoulli")
        st.markdown(qr_markdown(link), width=220)
        st.caption("Scan to join")
        st.code(link, language=None, wrap_lines=True)
        with st.expander("Teacher link (keep it private)"):
            st.caption("It lets you come back to this room as its teacher. Expires with the room.")
            st.code(teacher_link(room.code, token), language=None, wrap_lines=True)
    with pose:
        _pose_form(db, room.code, token)
        if room.question is not None:
            live_answers(room.code, token)


def _pose_form(db: cs.Store, code: str, token: str) -> None:
    st.subheader("Pose a question")
    page = st.selectbox("Lesson page", list(PAGE_TITLES), format_func=PAGE_TITLES.get)
    keys = [t.key for t in questions.BANK[page]]
    st.selectbox(
        "Question", keys, format_func=lambda k: questions.TEMPLATES[k].title, key="class_key"
    )
    st.text_input(
        "At the settings of a page link (optional)",
        placeholder="Paste the page's Share link; empty: the page's defaults",
        key="class_link",
    )
    st.button("Pose it", icon=":material/help:", on_click=_pose, args=(code, token, page))
    if "class_error" in st.session_state:
        st.error(st.session_state.pop("class_error"), icon=":material/error:")


def _pose(code: str, token: str, page: str) -> None:
    """Button callback: pose the chosen question (runs before the rerun; never lost)."""
    key, link = st.session_state.get("class_key"), st.session_state.get("class_link") or ""
    try:
        get_store().pose(code, token, key, settings_from_link(page, link))
    except cs.RoomError as error:
        st.session_state["class_error"] = str(error)


def _reveal(code: str, token: str) -> None:
    try:
        get_store().reveal(code, token)
    except cs.RoomError as error:
        st.session_state["class_error"] = str(error)


@st.fragment(run_every=2)
def live_answers(code: str, token: str) -> None:
    """The teacher's live count and distribution (the only view that refreshes itself)."""
    db = get_store()
    try:
        room, tally = db.room(code), db.tally(code)
    except cs.RoomError as error:
        _show_error(error)
        return
    question = room.question
    st.markdown(
        f"**Question {room.question_no}** ({PAGE_TITLES[question.page]}): {question.prompt}"
    )
    st.metric("Answers", tally.count)
    st.altair_chart(distribution_chart(question, tally, room.revealed), width="stretch")
    if room.revealed:
        truth = (
            question.truth if question.answer.kind == questions.CHOICE else f"{question.truth:.4g}"
        )
        st.success(f"Revealed. The truth: **{truth}**. {question.explanation}")
    else:
        st.button(
            "Reveal",
            icon=":material/visibility:",
            on_click=_reveal,
            args=(code, token),
        )
