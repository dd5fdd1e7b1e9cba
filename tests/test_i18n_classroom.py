"""Class mode in Japanese: the Class page, the teacher's room, the student's panel and the
messages of refusals and faults, through AppTest with ``lang=ja`` on a real SQLite file.

What the class stores does not depend on the language: a student in Japanese and one in
English answer the same question, are counted together, and their answers are the same
values. Numbers shown are the same in both languages; links differ only by ``lang=``.
"""

from __future__ import annotations

import json
import re

import pytest
from i18n_support import english_left, page_text
from test_classroom_app import P02, button, open_page, said

from xent import i18n, navigation, questions
from xent.classroom import store as cs
from xent.classroom import ui as classroom_ui

CLASS = "pages/class.py"
BERNOULLI = "pages/bernoulli.py"
NUMBER = re.compile(r"\d+(?:\.\d+)?")
SWITCH = ["Language", "content"]
"""The language switch's (collapsed) label "Language / 言語" (area "app") and the words
``page_text`` reads in a segmented control's option protos (``content: "English"``)."""


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/class.sqlite3"
    monkeypatch.setenv(cs.ENV_URL, url)
    engine = cs.make_engine(url)
    yield cs.Store(engine)
    engine.dispose()


def _not_mine(*texts: str) -> list[str]:
    """Words of text other areas translate (question prompts, page and question titles): a
    test of this area must not fail on them; each test passes what its screen shows."""
    words = [*texts, *SWITCH]
    words += [str(entry.title) for entry in navigation.entries()]
    words += [t.title for t in questions.TEMPLATES.values()]
    return re.findall(r"[A-Za-z]+", " ".join(words))


def _reader_text(at) -> str:
    """What the page shows, without the QR image's data URI (base64, not words)."""
    text = page_text(at)
    return re.sub(r"\(data:image/png;base64,[^)]*\)", "", text)


def test_the_class_page_in_japanese_has_no_english_left(db) -> None:
    at = open_page(CLASS, {"lang": "ja"})
    text = _reader_text(at)
    assert "授業モード" in [t.value for t in at.title]
    assert english_left(text, _not_mine()) == [], english_left(text, _not_mine())
    assert any(b.label == "授業を始める" for b in at.button)
    assert any(b.label == "参加" for b in at.button)
    assert at.text_input(key="class_code").label == "ルームコード"
    # the language switch is on the Class page, showing the session's language
    assert at.segmented_control(key="_lang_switch").value == "ja"
    english = open_page(CLASS, {"lang": "en"})
    assert len(english_left(_reader_text(english))) > 20, "the same page in English is English"


def test_the_switch_on_the_class_page_changes_its_language(db) -> None:
    at = open_page(CLASS, {"lang": "en"})
    assert "Class mode" in [t.value for t in at.title]
    at.segmented_control(key="_lang_switch").set_value("ja").run()
    assert "授業モード" in [t.value for t in at.title]
    assert at.query_params["lang"] == "ja"


def test_the_teachers_room_in_japanese_has_no_english_left(db) -> None:
    new = db.create_room()
    question = db.pose(new.code, new.teacher_token, "bernoulli.min_q", P02)
    at = open_page(CLASS, {"room": new.code, "teacher": new.teacher_token, "lang": "ja"})
    text = _reader_text(at)
    # the room's code (random letters), its student link's path and query, the question's text
    shown_as_is = (new.code, "bernoulli room lang")
    allowed = _not_mine(question.prompt, question.explanation, question.rule, *shown_as_is)
    assert english_left(text, allowed) == [], english_left(text, allowed)
    assert "0人が回答しました" in said(at)
    assert any(b.label == "授業を終了" for b in at.button)
    assert any(b.label == "回答を締め切る" for b in at.button)
    assert "![生徒用リンクのQRコード](data:image/png;base64," in texts_of(at)
    assert at.get("download_button")[0].proto.label == "回答をダウンロード（CSV）"
    # Close and Reveal in Japanese: the header's phase and the chart's axes are Japanese
    button(at, "回答を締め切る").click().run()
    assert "回答締切" in said(at)
    button(at, "正解を発表").click().run()
    assert db.room(new.code).revealed
    text = _reader_text(at)
    assert english_left(text, allowed) == [], english_left(text, allowed)
    assert "生徒数" in text
    assert "正解発表済み" in said(at)


def texts_of(at) -> str:
    return " ".join(m.value for m in at.markdown)


def _answer(page: str, code: str, lang: str, value: float):
    """A student in ``lang`` answers ``value`` on the question's page."""
    student = open_page(page, {"room": code, "lang": lang})
    student.slider(key="class_guess_1").set_value(value)
    label = {"en": "Submit my answer", "ja": "回答を送信"}[lang]
    button(student, label).click().run()
    assert not student.exception
    return student


def test_students_in_two_languages_are_counted_together(db) -> None:
    new = db.create_room()
    db.pose(new.code, new.teacher_token, "bernoulli.min_q", P02)
    english = _answer(BERNOULLI, new.code, "en", 0.35)
    japanese = _answer(BERNOULLI, new.code, "ja", 0.35)
    assert "Stored: your answer **0.35**" in said(english)
    assert "保存しました：あなたの回答は **0.35** です。" in said(japanese)
    tally = db.tally(new.code)
    assert tally.count == 2, "one question, one count"
    assert tally.values == (0.35, 0.35)
    teachers = {
        lang: open_page(CLASS, {"room": new.code, "teacher": new.teacher_token, "lang": lang})
        for lang in ("en", "ja")
    }
    assert "2 students have answered" in said(teachers["en"])
    assert "2人が回答しました" in said(teachers["ja"])
    # the export is the same data whoever exports it, with English machine-readable headers;
    # only the prompt is written in the exporter's language
    with i18n.using("ja"):
        rows_ja = db.export(new.code, new.teacher_token)
    rows_en = db.export(new.code, new.teacher_token)
    assert [{**r, "prompt": ""} for r in rows_ja] == [{**r, "prompt": ""} for r in rows_en]
    assert set(rows_en[0]) == set(classroom_ui.EXPORT_COLUMNS)
    assert english_left(rows_ja[0]["prompt"]) == []


def test_a_choice_answered_in_two_languages_is_the_same_value(db) -> None:
    new = db.create_room()
    question = db.pose(new.code, new.teacher_token, "bernoulli.step", P02)
    option = question.answer.options[0]
    for lang, label in (("en", "Submit my answer"), ("ja", "回答を送信")):
        student = open_page(BERNOULLI, {"room": new.code, "lang": lang})
        assert (
            student.radio(key="class_guess_1").label
            == {"en": "Your answer", "ja": "あなたの回答"}[lang]
        )
        student.radio(key="class_guess_1").set_value(option)
        button(student, label).click().run()
    tally = db.tally(new.code)
    assert tally.count == 2
    assert set(tally.values) == {option}


def test_the_students_panel_in_japanese(db) -> None:
    new = db.create_room()
    db.pose(new.code, new.teacher_token, "bernoulli.min_q", P02)
    student = open_page(BERNOULLI, {"room": new.code, "lang": "ja"})
    shown = said(student)
    assert f"**授業 {new.code}**" in shown
    assert "**問1**" in shown
    assert "正解の発表まで隠してあります" in shown
    assert student.slider(key="class_guess_1").label == "あなたの回答"
    for english in ("Submit my answer", "Your answer", "Class ", "stay hidden until"):
        assert english not in page_text(student), english
    db.reveal(new.code, new.teacher_token)
    student.run()
    assert "あなたの予想：**なし**" in said(student)
    assert "**クラスの回答：0件**" in said(student)


def test_a_refusal_is_said_in_the_language_of_the_screen(db) -> None:
    new = db.create_room()
    db.pose(new.code, new.teacher_token, "bernoulli.min_q", P02)
    student = open_page(BERNOULLI, {"room": new.code, "lang": "ja"})
    db.pose(new.code, new.teacher_token, "bernoulli.min_loss", P02)  # the teacher moves on
    button(student, "回答を送信").click().run()
    assert db.tally(new.code, 1).count == 0
    assert "保存されませんでした：問1は終わり、先生が問2を出しました。" in said(student)
    at = open_page(CLASS, {"lang": "ja"})
    at.text_input(key="class_code").input("O0")
    button(at, "参加").click().run()
    error = " ".join(e.value for e in at.error).replace("\\", "")
    assert "ルームコードは" in error
    assert "6文字" in error
    assert english_left(error, re.findall("[A-Z]+", cs.CODE_ALPHABET)) == [], error


def test_a_kept_refusal_is_translated_when_shown_not_when_kept(db) -> None:
    """A callback's refusal waits in the session untranslated: a language switch before it is
    shown says it in the new language."""
    at = open_page(CLASS, {"lang": "en"})
    at.text_input(key="class_code").input("KQXY34")
    at.session_state["_lang"] = "ja"  # as if the switch had been moved meanwhile
    at.query_params["lang"] = "ja"
    button(at, "Join").click().run()
    error = " ".join(e.value for e in at.error)
    assert "ルーム KQXY34 はありません" in error, error


@pytest.mark.parametrize(
    "raise_it",
    [
        lambda store: cs.check_code("O0"),
        lambda store: store.room("KQXY34"),
        lambda store: store.check_teacher(store.create_room().code, "forged-token-xxxxxxxx"),
    ],
)
def test_a_refusal_keeps_english_for_logs_and_the_same_numbers_in_japanese(db, raise_it) -> None:
    with pytest.raises(cs.RoomError) as refused:
        raise_it(db)
    error = refused.value
    english = str(error)
    assert english == error.shown()
    assert re.search(r"[A-Za-z]{4,} [A-Za-z]{4,}", english)
    with i18n.using("ja"):
        japanese = error.shown()
        assert str(error) == english, "str() stays English whatever the language"
    assert japanese != english
    assert sorted(NUMBER.findall(japanese)) == sorted(NUMBER.findall(english))


def test_a_database_down_is_said_in_japanese(monkeypatch) -> None:
    monkeypatch.setenv(cs.ENV_URL, "postgresql+psycopg://xent@127.0.0.1:9/none")
    student = open_page(BERNOULLI, {"room": "KQXY34", "lang": "ja"})
    assert "いまクラスに接続できていません（クラスのデータベースが応答していません）" in said(
        student
    )
    teacher = open_page(CLASS, {"lang": "ja"})
    button(teacher, "授業を始める").click().run()
    assert not teacher.exception
    assert "授業を始められませんでした：クラスのデータベースが応答していません。" in said(teacher)


def test_the_store_keeps_the_same_data_in_both_languages(db) -> None:
    new = db.create_room()
    with i18n.using("ja"):
        posed_ja = db.pose(new.code, new.teacher_token, "bernoulli.min_q", P02)
    posed_en = db.pose(new.code, new.teacher_token, "bernoulli.min_q", P02)
    for field in ("key", "page", "answer", "truth", "tolerance", "unit", "excluded"):
        assert getattr(posed_ja, field) == getattr(posed_en, field), field


def test_links_differ_only_by_lang(db) -> None:
    """A room's links made in Japanese carry lang=ja (they open in Japanese); otherwise they
    are the very same links as in English (a browser's own English adds none)."""
    links = {}
    for lang in ("en", "ja"):
        with i18n.using(lang):
            links[lang] = (
                classroom_ui.student_link("KQXY34", "multiclass"),
                classroom_ui.teacher_link("KQXY34", "token-xyz-123"),
            )
    for en, ja in zip(links["en"], links["ja"], strict=True):
        assert ja.endswith("&lang=ja")
        assert ja.removesuffix("&lang=ja") == en.removesuffix("&lang=en")
    assert links["ja"][0] == "/multiclass?room=KQXY34&lang=ja"


def test_a_question_stored_before_languages_reads_back_in_english(db) -> None:
    """A room posed by the previous version kept its question's words as English strings."""
    question = questions.pose("bernoulli.min_q", P02)
    stored = json.loads(cs.question_to_json(question))
    for old, new in (
        ("prompt", "asked"),
        ("explanation", "why"),
        ("excluded_reason", "excluded_why"),
    ):
        stored[old] = stored.pop(new)["en"]
    read = cs.question_from_json(json.dumps(stored))
    assert read.key == question.key
    assert read.truth == question.truth
    with i18n.using("ja"):
        assert read.prompt == question.asked.en, "English, the only words it has"
