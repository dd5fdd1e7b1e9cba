"""Questions in both languages: one question, whatever language it is read in.

A question's identity (its key, options, truth, what class mode stores, what a link keeps in
``ask=``/``guess=``) is the same in English and Japanese; only what a reader sees changes, and
the numbers in it are the very same. A student reading Japanese and one reading English answer
the same question of the same room and are counted together.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from i18n_support import english_left
from test_app import open_page

from xent import grading, i18n, navigation, questions
from xent.classroom import store as cs
from xent.locales import CATALOGUES
from xent.ui import ask as predict

NUMBER = re.compile(r"[−-]?\d+(?:\.\d+)?")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
STATES = {slug: state.defaults for slug, state in navigation.page_states().items()}
ASKED = [(t.page, t.key) for bank in questions.BANK.values() for t in bank]
"""Every question of the bank with its page."""


def numbers(text: str) -> Counter:
    return Counter(n.replace("−", "-") for n in NUMBER.findall(text))


def _pose(key: str, settings: dict, code: str) -> questions.Question:
    with i18n.using(code):
        return questions.pose(key, settings)


def _words_of(question: questions.Question) -> set[str]:
    """Names a Japanese prompt may still show in English: class names and loss labels (their
    own areas translate them; a name a user typed stays as typed)."""
    return {w for option in question.answer.options for w in re.findall(r"[A-Za-z]+", option)}


@pytest.mark.parametrize(("page", "key"), ASKED)
def test_a_question_is_the_same_question_in_both_languages(page, key):
    en, ja = _pose(key, STATES[page], "en"), _pose(key, STATES[page], "ja")
    assert en == ja  # key, options, truth, tolerance, unit and every language's words
    assert cs.question_to_json(en) == cs.question_to_json(ja)  # what class mode stores
    with i18n.using("ja"):
        prompt, explanation, rule = ja.prompt, ja.explanation, ja.rule
    assert (en.prompt, en.explanation) == (en.asked.en, en.why.en)
    assert prompt == ja.asked.ja != en.prompt
    assert JAPANESE.search(prompt)
    assert JAPANESE.search(explanation)
    assert JAPANESE.search(rule)
    assert english_left(prompt, _words_of(ja)) == []
    # the numbers a reader sees are the same ones, formatted once
    assert numbers(prompt) == numbers(en.prompt)
    assert numbers(rule) == numbers(en.rule)


@pytest.mark.parametrize(("page", "key"), ASKED)
def test_explanations_and_titles_are_japanese(page, key):
    question = _pose(key, STATES[page], "en")
    with i18n.using("ja"):
        explanation, title = question.explanation, questions.TEMPLATES[key].title
    assert english_left(title) == []
    if page != "loss-comparison":  # the race's own sentences are the readings' (another area)
        assert english_left(explanation) == []
        assert numbers(explanation) == numbers(question.explanation)
    else:
        first = re.split(r"(?<=。)", explanation)[0]
        assert JAPANESE.search(first)
        assert english_left(first, _words_of(question)) == []


@pytest.mark.parametrize(
    ("key", "settings", "guess"),
    [
        ("bernoulli.min_loss", {"p": 0.2}, 0.48),
        ("bernoulli.min_loss", {"p": 0.2}, 0.51),
        ("bernoulli.min_q", {"p": 0.98}, 1.0),  # excluded: the reason in the reader's words
        ("bernoulli.step", {"p": 0.2, "q": 0.6}, "q goes up"),
        ("bernoulli.step", {"p": 0.2, "q": 0.6}, "q goes down"),
        (
            "loss-comparison.ce_steps",
            {"p": 0.9, "q0": 0.2, "lr": 1.0, "steps": 300, "tol": 0.05},
            3,
        ),
    ],
)
def test_a_grade_is_the_same_in_both_languages_apart_from_its_words(key, settings, guess):
    question = questions.pose(key, settings)
    en = question.grade(guess)
    with i18n.using("ja"):
        ja = question.grade(guess)
    assert en.right == ja.right == question.is_right(guess)
    assert en.off == ja.off
    if question.answer.kind == questions.CHOICE:
        assert (en.guess, en.truth) == (guess, question.truth)
        assert JAPANESE.search(ja.guess)
        assert JAPANESE.search(ja.truth)
    else:
        assert (en.guess, en.truth) == (ja.guess, ja.truth)
    assert JAPANESE.search(ja.verdict)
    assert english_left(ja.verdict) == []
    assert numbers(ja.verdict) == numbers(en.verdict)
    assert ja.verdict != en.verdict


def test_the_rule_and_the_unit_steps_are_translated_and_nats_is_not():
    with i18n.using("ja"):
        nats = grading.rule_text("slider", 0.02, "nats")
        steps = grading.rule_text("number", 3, "steps")
        one = grading.rule_text("choice", 0)
    assert "±0.02 nats" in nats
    assert "ステップ" in steps
    assert "±3" in steps
    assert english_left(one + nats + steps) == []


def test_a_link_made_in_japanese_asks_the_same_question_and_keeps_the_same_guess():
    query = {"ask": ["bernoulli.step"], "guess": ["q goes down"]}
    settings = {"p": 0.2, "q": 0.6}
    en = predict.read_link("bernoulli", query, settings)
    with i18n.using("ja"):
        ja = predict.read_link("bernoulli", query, settings)
        shown = predict.compare(ja.question, ja.guess)
    assert en == ja
    assert ja.guess == "q goes down"  # the value, never its Japanese
    assert shown.right
    assert shown.truth == "q は下がる"
    # a problem with the link is told in the reader's language, naming the same keys
    with i18n.using("ja"):
        bad = predict.read_link("bernoulli", {"ask": ["nope"]}, settings)
    assert "このページの問題" in bad.problem
    assert all(t.key in bad.problem for t in questions.BANK["bernoulli"])


@pytest.mark.parametrize(
    ("key", "settings"),
    [
        (
            "loss-comparison.winner",
            {"p": 0.9, "q0": 0.001, "lr": 0.001, "steps": 30, "tol": 0.01},
        ),
        ("loss-comparison.winner", STATES["loss-comparison"]),
    ],
)
def test_the_race_options_stay_values_and_are_shown_in_words(key, settings):
    question = questions.pose(key, settings)
    options = question.answer.options
    assert questions.TIE in options
    assert options[-1].startswith("none settles within")
    with i18n.using("ja"):
        shown = [question.answer.label(o) for o in options]
        head = question.explanation.split("。")[0]
    assert shown[-2:] == ["同着", options[-1].split()[3] + " ステップ以内に落ち着く損失はない"]
    assert JAPANESE.search(head)


def test_a_class_name_given_in_either_language_is_the_same_class(monkeypatch):
    """A true class named as the Japanese page shows it (the multiclass area's names): the
    same question, the same English option values, the Japanese name in the Japanese prompt."""
    monkeypatch.setitem(CATALOGUES["ja"], "Apple", "りんご")
    settings = {**STATES["multiclass"], "z1": -2}
    by_en = questions.pose("multiclass.first_raise", {**settings, "y": "Apple"})
    by_ja = questions.pose("multiclass.first_raise", {**settings, "y": "りんご"})
    assert by_en == by_ja
    assert by_en.truth == "Apple"
    assert "Apple" in by_en.answer.options
    with i18n.using("ja"):
        assert "正解クラスはりんごです" in by_ja.prompt
        assert by_ja.grade("Apple").truth == "りんご"


def test_default_class_names_in_japanese_spelling_are_the_same_options(monkeypatch):
    """The names box in Japanese holds りんご, ゴリラ, ラッパ: the same classes, so the same
    option values (English) and the same question as the English page's; a name a user typed
    stays as typed."""
    for english, japanese in (("Apple", "りんご"), ("Gorilla", "ゴリラ"), ("Rappa", "ラッパ")):
        monkeypatch.setitem(CATALOGUES["ja"], english, japanese)
    settings = {**STATES["multiclass"], "k": 3}
    en = questions.pose("multiclass.first_raise", {**settings, "names": "", "y": "Gorilla"})
    with i18n.using("ja"):
        ja = questions.pose(
            "multiclass.first_raise", {**settings, "names": "りんご, ゴリラ, ラッパ", "y": "ゴリラ"}
        )
        shown = [ja.answer.label(o) for o in ja.answer.options]
    assert en == ja
    assert ja.answer.options == ("Apple", "Gorilla", "Rappa")
    assert shown == ["りんご", "ゴリラ", "ラッパ"]
    typed = questions.pose("multiclass.first_raise", {**settings, "names": "Pear, Fig, steps"})
    with i18n.using("ja"):
        assert [typed.answer.label(o) for o in typed.answer.options] == ["Pear", "Fig", "steps"]


def test_students_in_both_languages_are_counted_together(tmp_path):
    """A teacher reading Japanese poses; one student answers reading English, one reading
    Japanese; the room counts both answers of the one option, and both are right."""
    engine = cs.make_engine(f"sqlite:///{tmp_path}/class.sqlite3")
    try:
        db = cs.Store(engine)
        with i18n.using("ja"):
            new = db.create_room()
            posed_ja = db.pose(new.code, new.teacher_token, "bernoulli.step", {"p": 0.2, "q": 0.6})
        posed_en = questions.pose("bernoulli.step", {"p": 0.2, "q": 0.6})
        assert posed_ja == posed_en
        with i18n.using("en"):
            room = db.join(new.code)
            db.submit(new.code, "student-english", room.question_no, room.question.truth)
        with i18n.using("ja"):
            room = db.join(new.code)
            assert "勾配" in room.question.prompt
            # the Japanese radio shows "q は下がる"; the value it submits is the option itself
            (option,) = [
                o
                for o in room.question.answer.options
                if room.question.answer.label(o) == "q は下がる"
            ]
            db.submit(new.code, "student-japanese", room.question_no, option)
        tally = db.tally(new.code)
        assert tally.count == 2
        assert tally.values == ("q goes down", "q goes down")
        rows = db.export(new.code, new.teacher_token)
        assert [r["right"] for r in rows] == [True, True]
    finally:
        engine.dispose()


# --- the page --------------------------------------------------------------------------------


def _gate_text(at) -> str:
    parts = [m.value for m in at.markdown if "予想" in m.value or "Predict" in m.value]
    parts += [c.value for c in at.caption]
    parts += [
        b.label for b in at.button if b.label in {"予想を確定して答えを見る", "もう一度予想する"}
    ]
    return "\n".join(parts)


def test_the_gate_in_japanese_shows_japanese_and_keeps_english_values():
    at = open_page("bernoulli", {"lang": "ja", "ask": "bernoulli.step", "p": "0.2", "q": "0.6"})
    assert any(m.value.startswith("**予想してから答え合わせ：**") for m in at.markdown)
    radio = at.get_by_key(predict.INPUT)
    assert list(radio.options) == ["q は上がる", "q は下がる", "q は変わらない"]
    gate = _gate_text(at)
    assert "勾配" in gate
    assert english_left(gate) == []
    # the value is the option, shown in Japanese (AppTest formats it again with the app's
    # format_func on its own thread, where no page run set the language)
    radio.set_value("q goes down")
    [lock] = [b for b in at.button if b.label == "予想を確定して答えを見る"]
    lock.click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.query_params["guess"] == "q goes down"  # the link keeps the value
    [said] = [re.sub(r"\\(.)", r"\1", m.value) for m in at.markdown if "あなたの予想：" in m.value]
    assert "あなたの予想：**q は下がる**・正解：**q は下がる**。正解です" in said


def test_the_same_link_in_english_shows_the_same_guess_and_numbers():
    query = {"ask": "bernoulli.min_loss", "p": "0.2", "guess": "0.48"}
    en = open_page("bernoulli", {"lang": "en", **query})
    ja = open_page("bernoulli", {"lang": "ja", **query})
    unescaped = [re.sub(r"\\(.)", r"\1", m.value) for m in (*en.markdown, *ja.markdown)]
    [said_en] = [text for text in unescaped if "Your guess: " in text]
    [said_ja] = [text for text in unescaped if "あなたの予想：" in text]
    assert "Your guess: **0.48** · The truth: **0.5004**. Not right: off by 0.0204 nats" in said_en
    assert "あなたの予想：**0.48**・正解：**0.5004**。不正解です：差は 0.0204" in said_ja
    assert numbers(said_en) == numbers(said_ja)


# --- the Share dialog's question -------------------------------------------------------------


def _share_script() -> None:
    """The Share dialog's "Ask a question first", drawn inline (AppTest draws no dialog)."""
    import streamlit as st

    from xent import language, navigation
    from xent.ui import ask

    language.settle()
    for key, value in {"p": 0.2, "q": 0.6}.items():
        st.session_state.setdefault(key, value)
    ask.share_option(navigation.lesson("bernoulli").state, "http://h/bernoulli?p=0.2&q=0.6")


def _share(lang: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_share_script, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    at.selectbox(key="_share_ask").set_value("bernoulli.step").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_the_share_option_in_japanese_asks_the_same_question_by_the_same_link():
    en, ja = _share("en"), _share("ja")
    box = ja.selectbox(key="_share_ask")
    assert box.label == "先に問題を出す"
    with i18n.using("ja"):
        titles = [t.title for t in questions.BANK["bernoulli"]]
    assert list(box.options) == ["問題なし：レッスンを表示", *titles]
    assert english_left(box.help) == []
    [asked] = [c.value for c in ja.caption if c.value.startswith("生徒に最初に出される問題")]
    assert "勾配" in asked
    assert english_left(asked) == []
    # the link students get is the same in both languages: ask= holds the question's key
    assert [c.value for c in en.code] == [c.value for c in ja.code]
    assert ja.code[-1].value.endswith("&ask=bernoulli.step")
