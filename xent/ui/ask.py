"""Predict, then reveal: a link that asks a question before it shows the lesson.

A link with ``ask=<question key>`` (a key of ``xent.questions``, for this page) opens the page
with the question first; the lesson (whose readings and results give the answer away) stays
hidden until the student commits a guess. The guess travels in the link too
(``guess=<answer>``), so a reload keeps it; then guess, truth and how far off are shown in one
box under the page's controls, and the page scrolls to it. Nothing is stored anywhere but in
the address. This is class mode's question bank without the room: the same questions, the
same true answers.

``xent.ui.page`` composes it: its header draws the gate (:func:`gate`) under the title, the
reveal (:func:`reveal`) under the controls, and its Share dialog
offers the question (:func:`share_option`). This module imports only the shared layer below
it (``xent.text``, ``xent.ui.widgets``) and class mode's answer input, never the header.

The link is read by :func:`read_link`, a pure function (tests call it without a session).

Languages: ``ask=`` and ``guess=`` hold the same values in every language (a question's key,
an option's English value or a number), so a link made in Japanese asks the same question and
keeps the same guess in English; only what is shown is translated (``xent.i18n``).
"""

from __future__ import annotations

import math
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from xent import a11y, i18n, navigation, questions
from xent.classroom.ui import answer_input
from xent.data import MAX_CLASSES
from xent.i18n import tr
from xent.pagestate import PageState
from xent.text import class_names, literal
from xent.ui.widgets import LR_OPTIONS, TOL_OPTIONS

ASK, GUESS = "ask", "guess"
"""The URL keys: the question's key, and the committed guess."""
INPUT = "_predict_input"
AGAIN = "_guess_again"
LOCK = "_lock_in"
BOX = "_predict"
"""Key of the bordered box holding the question and its input (``.st-key-_predict``)."""
REVEAL = "_reveal"
"""Key of the bordered box of the reveal (``xent.style`` gives it its room, ``xent.a11y``
scrolls to it)."""
SCROLLED = "_predict_scrolled"
"""Session key: the (question, guess) whose reveal the page last scrolled to."""
"""The key of the reveal's "Guess again" button: where the focus goes after the guess."""
"""Session key of the guess input (not bound to the URL: only a committed guess goes there)."""


@dataclass(frozen=True)
class Ask:
    """What a link asks on one page: the question posed at the page's settings (None when
    the link asks nothing usable), the committed guess (None while none is placed), and what
    was wrong with the link's ``ask``/``guess`` values (None when nothing was)."""

    question: questions.Question | None
    guess: float | int | str | None
    problem: str | None = None


@dataclass(frozen=True)
class Comparison:
    """Guess and truth side by side, as shown: the numbers as strings, and the verdict.

    For a number question ``off`` is |guess − truth| computed from the numbers as shown (so
    the three add up on screen) and ``right`` says whether it is within the question's
    tolerance; for a choice ``off`` is None.
    """

    guess: str
    truth: str
    off: str | None
    right: bool
    verdict: str


def page_questions(slug: str) -> tuple[questions.Template, ...]:
    """The questions a link may ask on the page ``slug`` (its registry entry's questions)."""
    entry = navigation.lesson(slug)
    return entry.questions if entry is not None else ()


def _allowed(slug: str) -> str:
    keys = [t.key for t in page_questions(slug)]
    return ", ".join(keys) if keys else tr("none (this page has no questions)")


def _one(raw: Sequence[str], key: str) -> str:
    if len(raw) != 1:
        raise ValueError(
            tr(
                "{key}= must appear once in the link; it appears {count} times",
                key=key,
                count=str(len(raw)),
            )
        )
    return raw[0]


def _parse_guess(question: questions.Question, text: str) -> float | int | str:
    """The guess as the question's input takes it; ValueError naming what is allowed."""
    answer = question.answer
    if answer.kind == questions.CHOICE:
        return answer.parse(text)
    try:
        number = float(text)
    except ValueError:
        raise ValueError(
            tr("answer must be a number; got {kind_name}", kind_name=repr(text[:30]))
        ) from None
    return answer.parse(number)


def read_link(slug: str, query: Mapping[str, Sequence[str]], settings: Mapping[str, Any]) -> Ask:
    """The question a link asks on page ``slug``, posed at ``settings`` (the page's values),
    and its committed guess. ``query``: the link's values of ``ask`` and ``guess`` (each a
    list, as a URL can repeat a key). Never raises: an unusable value becomes ``problem``."""
    asked, guessed = list(query.get(ASK, ())), list(query.get(GUESS, ()))
    if not asked:
        if guessed:
            return Ask(
                None, None, tr("This link has a guess= but no question (ask=); it is ignored.")
            )
        return Ask(None, None)
    try:
        key = _one(asked, ASK)
    except ValueError as error:
        return Ask(
            None,
            None,
            tr(
                "{problem}. Questions on this page: {allowed}.",
                problem=str(error),
                allowed=_allowed(slug),
            ),
        )
    if key not in {t.key for t in page_questions(slug)}:
        return Ask(
            None,
            None,
            tr(
                "This link asks ask={key}, which is not a question of this page. "
                "Questions on this page: {allowed}.",
                key=key[:40],
                allowed=_allowed(slug),
            ),
        )
    try:
        question = questions.pose(key, settings)
    except ValueError as error:
        return Ask(
            None,
            None,
            tr(
                "The question {key} cannot be asked at these settings: {problem}.",
                key=key,
                problem=str(error),
            ),
        )
    if not guessed:
        return Ask(question, None)
    try:
        return Ask(question, _parse_guess(question, _one(guessed, GUESS)))
    except ValueError as error:
        return Ask(
            question,
            None,
            tr("The link's guess cannot be used ({problem}); guess again.", problem=str(error)),
        )


# --- guess and truth, as shown -----------------------------------------------------------


def compare(question: questions.Question, guess: float | int | str) -> Comparison:
    """Guess and truth as shown, how far off, and whether that is right: the one rule of
    ``xent.grading`` (exact truth), which class mode uses too."""
    g = question.grade(guess)
    return Comparison(g.guess, g.truth, g.off, g.right, g.verdict)


# --- the page's settings -----------------------------------------------------------------


def _from_link(raw: Sequence[str], default: Any) -> Any:
    """A URL value as its control would take it; the default when it cannot (like the
    control, which ignores a value it cannot use)."""
    if isinstance(default, list):
        return list(raw)
    if not raw:
        return default
    text = raw[-1]
    if isinstance(default, bool) or not isinstance(default, int | float):
        return text
    try:
        number = float(text)
    except ValueError:
        return default
    if not math.isfinite(number):
        return default
    if isinstance(default, int):
        return int(number) if number == int(number) else default
    return number


BY_NAME = {"y"}
"""Keys a link may give by name (``y=Apple``): passed to the question as written."""
OPTIONS = {"lr": LR_OPTIONS, "tol": TOL_OPTIONS}
"""Keys whose control offers fixed options: a link value outside them is not taken."""


def page_settings(state: PageState) -> dict[str, Any]:
    """The page's values: the session's where a control has set them, else the link's (a
    first visit: the controls are not drawn yet while the question waits), else defaults."""
    values = {}
    for key, default in state.defaults.items():
        if st.session_state.get(key) is not None:  # a widget not yet given its value: None
            values[key] = st.session_state[key]
        elif key in BY_NAME and key in st.query_params:
            values[key] = st.query_params.get_all(key)[-1]  # the question resolves a name
        elif key in st.query_params:
            value = _from_link(st.query_params.get_all(key), default)
            if key in OPTIONS and value not in OPTIONS[key]:
                value = default
            values[key] = value
        else:
            values[key] = default
    k = values.get("k")
    # The names the page shows (cut, de-duplicated); a k out of range is left to the question,
    # which names the allowed range.
    if "names" in values and isinstance(k, int | float) and 1 <= k <= MAX_CLASSES:
        with i18n.using(i18n.DEFAULT):  # the question's options: one value in every language
            shown = class_names(str(values["names"]), int(k))
        values["names"] = ", ".join(shown)
        # the true class box takes a link's y by name only (y=2 leaves it at its default), as
        # either language spells it
        if isinstance(values.get("y"), str) and questions.class_index(values["y"], shown) is None:
            values["y"] = state.defaults["y"]
    return values


def current(state: PageState) -> Ask:
    """What this session's link asks on the page."""
    query = {key: st.query_params.get_all(key) for key in (ASK, GUESS)}
    if not any(query.values()):  # the common case: no question, nothing to read
        return Ask(None, None)
    return read_link(state.slug, query, page_settings(state))


# --- drawing ----------------------------------------------------------------------------


def gate(state: PageState) -> Ask | None:
    """Predict-then-reveal's question, at the top of a lesson page (called by
    ``xent.ui.page.header``, under the title).

    Without ``ask=`` it draws nothing and returns None. With a question and no guess yet, it
    draws the question and its input and **stops the script**: the lesson, and the controls
    row with its presets and intro (they give answers away), stay hidden. With a guess it
    draws nothing and returns the answered question, for :func:`reveal` under the controls.
    """
    ask = current(state)
    if ask.problem:
        st.warning(literal(ask.problem), icon=":material/help:")
    if ask.question is None:
        return None
    if ask.guess is not None:
        return ask
    with st.container(border=True, key=BOX):
        st.markdown(_prompt(ask.question))
        _guess_form(ask.question)
    st.stop()


def reveal(ask: Ask | None) -> None:
    """The reveal of an answered question (from :func:`gate`), under the page's controls and
    above the lesson; nothing without one. The first time a session draws a reveal (the guess
    just locked in, or a link opened with ``guess=``), the page scrolls to it, so that the
    reveal, the first lesson chart and its reading share a 1280x720 screen."""
    if ask is None:
        return
    with st.container(border=True, key=REVEAL):
        _reveal(ask.question, ask.guess)
    shown = (ask.question.key, str(ask.guess))
    if st.session_state.get(SCROLLED) != shown:  # once per reveal, not on every slider move
        st.session_state[SCROLLED] = shown
        a11y.scroll_to(REVEAL)


def _prompt(question: questions.Question) -> str:
    return tr("**Predict, then reveal:** {prompt}", prompt=literal(question.prompt))


def _guess_form(question: questions.Question) -> None:
    answer = question.answer
    if answer.kind == questions.CHOICE:  # the options' values, shown in the reader's language
        value = st.session_state.get(INPUT)
        st.radio(
            tr("Your guess"),
            answer.options,
            index=answer.options.index(value) if value in answer.options else None,
            key=INPUT,
            # labels made here, in the script run's language (a format_func may be called
            # again on another thread, AppTest's)
            format_func={o: literal(answer.label(o)) for o in answer.options}.__getitem__,
        )
    else:
        answer_input(question, INPUT, st.session_state.get(INPUT))
    st.caption(literal(question.rule))
    st.button(tr("Lock in my guess and reveal"), icon=":material/lock:", on_click=_commit, key=LOCK)
    if "_predict_error" in st.session_state:
        st.session_state.pop("_predict_error")
        st.error(tr("Choose an answer first."), icon=":material/error:")
    st.caption(tr("The lesson below stays hidden until you place your guess."))


def _commit() -> None:
    """Button callback: the guess goes into the URL (a reload keeps it)."""
    value = st.session_state.get(INPUT)
    if value is None:
        st.session_state["_predict_error"] = True  # shown in the reader's language
        return
    st.query_params[GUESS] = value if isinstance(value, str | int) else f"{value:g}"
    a11y.focus_next(AGAIN)  # the button is gone on the rerun: the focus goes to the reveal


def _reveal(question: questions.Question, guess: float | int | str) -> None:
    """The question, guess, truth and verdict in one paragraph with Guess again beside it
    (below it on a phone): two lines, about 70 px, at 1280x720, so that after the scroll to it
    the lesson's first chart and its reading fit under it. The explanation is the help (ⓘ)."""
    shown = compare(question, guess)
    result = tr(
        "Your guess: **{guess}** · The truth: **{truth}**. {verdict}",
        guess=literal(shown.guess),
        truth=literal(shown.truth),
        verdict=literal(shown.verdict),
    )
    with st.container(horizontal=True, gap="medium", vertical_alignment="center"):
        st.markdown(
            f"{_prompt(question)} {result}", width="stretch", help=literal(question.explanation)
        )
        st.button(tr("Guess again"), icon=":material/replay:", on_click=_forget_guess, key=AGAIN)


def _forget_guess() -> None:
    st.session_state.pop(INPUT, None)
    a11y.focus_next(INPUT)  # back to the guess's input, drawn again
    if GUESS in st.query_params:
        del st.query_params[GUESS]


# --- the Share dialog ----------------------------------------------------------------------


def share_option(state: PageState, url: str) -> None:
    """In the Share dialog: the link (``st.code``, with its copy button), then "Ask a question
    first" with the page's questions; a chosen question adds ``ask=`` to the link shown and
    says what students will be asked. The link comes first, so that it is the next stop in
    the tab order after the dialog opens."""
    link = st.empty()
    link.code(url, language=None, wrap_lines=True)
    bank = {t.key: t for t in page_questions(state.slug)}
    if not bank:
        return
    titles = {None: tr("No question: show the lesson")} | {k: t.title for k, t in bank.items()}
    key = st.selectbox(
        tr("Ask a question first"),
        [None, *bank],
        format_func=titles.__getitem__,
        key="_share_ask",
        help=tr("Students see the question first and the lesson after they place a guess."),
    )
    if key is None:
        return
    try:
        question = questions.pose(key, page_settings(state))
    except ValueError as error:
        st.warning(
            literal(
                tr("This question cannot be asked at these settings: {problem}.", problem=error)
            )
        )
        return
    st.caption(literal(tr("Students will first be asked: {prompt}", prompt=question.prompt)))
    joiner = "&" if "?" in url else "?"
    link.code(url + joiner + urllib.parse.urlencode({ASK: key}), language=None, wrap_lines=True)
