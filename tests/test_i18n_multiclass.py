"""The Multiclass page in Japanese: its text, its class names, its links and its numbers.

The default class names are shown in the reader's language (Apple, Gorilla, Rappa ->
りんご, ゴリラ, ラッパ, …); a link may spell them in either language and opens the same state;
names a user typed are shown as typed. The readings of ``xent.lessons.multiclass`` say the
same numbers in both languages; the race's series, cached once for every language, are named
in the reader's language outside that cache.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest
from i18n_support import english_left, page_text
from test_app import open_page

from xent import caches, data, frames, i18n
from xent.lessons import multiclass as lesson
from xent.locales.ja import multiclass as catalogue
from xent.ui import multiclass as controls

JA_DEFAULTS = ("りんご", "ゴリラ", "ラッパ")
NUMBER = re.compile(r"[−+-]?\d+(?:\.\d+)?(?:e[−+-]?\d+)?")


def numbers(text: str) -> Counter:
    """The numbers a sentence says (signs and exponents included), as a multiset."""
    return Counter(m.replace("−", "-") for m in NUMBER.findall(text))


def both(make):
    """``make()`` in English and in Japanese."""
    with i18n.using("en"):
        en = make()
    with i18n.using("ja"):
        ja = make()
    return en, ja


def widget(at, kind: str, key: str):
    return next(w for w in at.get(kind) if w.key == key)


# --- the class names ---------------------------------------------------------------------------


def test_the_default_class_names_have_their_japanese_and_stay_distinct() -> None:
    en, ja = both(lambda: tuple(data.class_name(i) for i in range(data.MAX_CLASSES)))
    assert en == data.CLASS_NAMES
    assert ja[:3] == JA_DEFAULTS
    assert len(set(ja)) == data.MAX_CLASSES
    assert not any(re.search(r"[A-Za-z]", name) for name in ja)
    assert both(data.default_names) == ("Apple, Gorilla, Rappa", "りんご, ゴリラ, ラッパ")


def test_either_spelling_of_a_default_name_is_the_same_class() -> None:
    for i, name in enumerate(data.CLASS_NAMES):
        with i18n.using("ja"):
            japanese = data.class_name(i)
        assert data.default_class_index(name) == data.default_class_index(japanese) == i
    assert data.default_class_index("Pear") is None


def test_a_names_text_is_respelt_name_by_name_and_typed_names_stay_as_typed() -> None:
    typed = "りんご,  Pear ,Gorilla, ラッパ 2"
    en, ja = both(lambda: data.localized_names(typed))
    assert en == "Apple,  Pear ,Gorilla, ラッパ 2"
    assert ja == "りんご,  Pear ,ゴリラ, ラッパ 2"


def test_the_page_names_fill_in_missing_names_in_the_readers_language() -> None:
    given = ("Apple", "Pear", "Rappa", "Kite", "Teapot")
    en, ja = both(lambda: lesson.class_names(given))
    assert en == given
    assert ja == ("りんご", "Pear", "ラッパ", "凧", "ティーポット")
    # a typed name and a default one that read the same after respelling stay distinct
    assert both(lambda: lesson.class_names(("りんご", "Apple")))[1] == ("りんご", "りんご 2")


def test_the_names_default_follows_the_language_and_the_other_defaults_do_not() -> None:
    en, ja = both(lambda: dict(lesson.STATE.defaults))
    assert en["names"] == "Apple, Gorilla, Rappa"
    assert ja["names"] == "りんご, ゴリラ, ラッパ"
    assert {k: v for k, v in en.items() if k != "names"} == {
        k: v for k, v in ja.items() if k != "names"
    }


def test_a_links_y_in_either_spelling_names_the_same_class() -> None:
    names = ("Apple", "Gorilla", "Rappa", "Kite")
    for asked in ("Kite", "凧"):
        assert lesson.true_class_index(asked, names) == 3
    assert lesson.true_class_index("Pear", names) is None
    with i18n.using("ja"):
        spelled = lesson.spelled_query(
            [("k", "4"), ("y", "Kite"), ("names", "Apple, Gorilla")],
            lambda text, k: ("Apple", "Gorilla", "Rappa", "Kite")[:k],
        )
    assert spelled == [("k", "4"), ("y", "凧"), ("names", "りんご, ゴリラ")]


# --- the page -----------------------------------------------------------------------------------


def test_the_page_in_japanese_shows_japanese_and_the_default_names() -> None:
    at = open_page("multiclass", {"lang": "ja"})
    assert at.title[0].value == "多クラス分類：写っているのはどれ？"
    assert widget(at, "text_input", "names").value == "りんご, ゴリラ, ラッパ"
    box = widget(at, "selectbox", "y")
    assert box.label == "正解クラス"
    assert list(box.proto.options) == list(JA_DEFAULTS)
    assert box.value == 1
    shown = page_text(at)
    # the preset names are shown by the header (xent.ui.page), the docs in present mode
    elsewhere = {*lesson.STATE.presets, *lesson.STATE.docs.values()}
    for english in set(catalogue.MESSAGES) - elsewhere:
        if "{" not in english and len(english) > 24 and re.search(r"[A-Za-z]{4,}", english):
            assert english not in shown, english
    assert "モデルはゴリラに Q = " in shown
    assert "names" not in at.query_params  # the default names stay out of the address


def test_the_japanese_page_messages_hold_no_english() -> None:
    left = {
        e: english_left(i18n.PLACEHOLDER.sub("", j))
        for e, j in catalogue.MESSAGES.items()
        if english_left(i18n.PLACEHOLDER.sub("", j))
    }
    assert not left, left


@pytest.mark.parametrize(
    ("lang", "query"),
    [
        ("en", {"names": "りんご, ゴリラ, ラッパ", "y": "りんご"}),
        ("ja", {"names": "Apple, Gorilla, Rappa", "y": "Apple"}),
        ("ja", {"y": "Apple"}),
    ],
)
def test_a_link_spelling_the_defaults_in_the_other_language_opens_the_same_state(
    lang: str, query: dict[str, str]
) -> None:
    at = open_page("multiclass", {"lang": lang, **query})
    expected = ("Apple", "Gorilla", "Rappa") if lang == "en" else JA_DEFAULTS
    assert list(widget(at, "selectbox", "y").proto.options) == list(expected)
    assert at.session_state["y"] == 0
    assert not at.info, [i.value for i in at.info]  # no "cannot use as given" notice
    assert widget(at, "text_input", "names").value == ", ".join(expected)


def test_a_class_filled_in_by_default_opens_by_either_name_without_a_notice() -> None:
    for lang, asked in (("ja", "Kite"), ("ja", "凧"), ("en", "凧")):
        at = open_page("multiclass", {"lang": lang, "k": "4", "y": asked})
        assert at.session_state["y"] == 3, (lang, asked)
        assert not at.info, [i.value for i in at.info]


def test_typed_names_are_shown_as_typed_in_japanese() -> None:
    at = open_page("multiclass", {"lang": "ja", "names": "Pear, Gorilla, Plum", "y": "Plum"})
    assert list(widget(at, "selectbox", "y").proto.options) == ["Pear", "ゴリラ", "Plum"]
    assert at.session_state["y"] == 2
    assert not at.info


def test_switching_the_language_keeps_the_true_class_and_respells_the_names() -> None:
    at = open_page("multiclass", {"lang": "en", "k": "4", "y": "Kite", "ls": "0.1"})
    assert at.session_state["y"] == 3
    at.segmented_control(key="_lang_switch").set_value("ja").run()
    assert not at.exception
    assert at.session_state["y"] == 3
    assert widget(at, "selectbox", "y").proto.options[3] == "凧"
    assert widget(at, "text_input", "names").value == "りんご, ゴリラ, ラッパ"
    assert at.session_state["ls"] == 0.1
    assert at.session_state["k"] == 4
    at.segmented_control(key="_lang_switch").set_value("en").run()
    assert at.session_state["y"] == 3
    assert widget(at, "text_input", "names").value == "Apple, Gorilla, Rappa"


def test_the_readings_on_the_page_say_the_same_numbers_in_both_languages() -> None:
    query = {"k": "4", "y": "Rappa", "ls": "0.2", "steps": "12"}
    said = {}
    for lang in ("en", "ja"):
        at = open_page("multiclass", {"lang": lang, **query})
        said[lang] = [m.value for m in at.markdown if "Q(" in m.value or "nats" in m.value]
    assert len(said["en"]) == len(said["ja"]) > 3
    for en, ja in zip(said["en"], said["ja"], strict=True):
        assert numbers(en) == numbers(ja), (en, ja)


# --- the lesson's readings: the same numbers in both languages -------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_each_reading_says_the_same_numbers_in_both_languages(seed: int) -> None:
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 6))
    z = tuple(float(v) for v in np.round(rng.normal(0, 2, k), 1))
    y = int(rng.integers(0, k))
    ls = float(rng.choice([0.0, 0.1, 0.3]))
    labels = tuple(f"c{chr(97 + i)}" for i in range(k))  # no digits in a label
    view = frames.softmax_view(z, y, labels, ls)
    run = frames.logit_descent(z, y, labels, ls, 1.0, 20)
    reg = caches.softmax_regression_run(k, labels, 10, 1.0, seed, 0.3, 40, 40)
    acc, loss = reg.accuracy["value"].to_numpy(), reg.loss["value"].to_numpy()
    readings = [
        lambda: lesson.bars_reading(view.at.Q, view.at.t, y, labels),
        lambda: lesson.nll_reading(view.at.q_true, view.at.L, ls, labels[y]),
        lambda: lesson.grad_reading(view.at.grad, labels),
        lambda: lesson.smoothing_reading(lesson.smoothed_target(k, ls), labels[y]),
        lambda: lesson.descent_reading(run, 7, y, labels[y]),
        lambda: lesson.regression_reading(reg),
        lambda: lesson.accuracy_reading(acc, loss),
        lambda: lesson.loss_formula(ls)[1],
    ]
    if k == 3:
        readings.append(lambda: lesson.simplex_reading(run, 7, labels[y], ls))
    for reading in readings:
        en, ja = both(reading)
        assert en != ja
        assert numbers(en) == numbers(ja), (en, ja)
        assert re.search(r"[ぁ-んァ-ン一-龥]", ja), ja


def test_a_tie_and_a_wrong_top_guess_read_the_same_numbers() -> None:
    labels = ("ca", "cb", "cc")
    Q, t = np.array([0.4, 0.4, 0.2]), np.array([0.0, 0.0, 1.0])
    en, ja = both(lambda: lesson.bars_reading(Q, t, 2, labels))
    assert "tie" in en
    assert "同点" in ja
    assert "caとcb" in ja
    assert numbers(en) == numbers(ja)


def test_the_numerics_table_keeps_its_cells_and_names_its_columns_in_japanese() -> None:
    from xent import explanations

    for a in (10.0, 1000.0):
        comparison = explanations.log_softmax_comparison(lesson.extreme_logits(a))
        en, ja = both(lambda c=comparison: lesson.log_softmax_table(c))
        undefined = both(lambda: explanations.fmt(float("nan")))
        cells = [str(v).replace(undefined[1], undefined[0]) for v in ja.to_numpy().ravel()]
        assert cells == [str(v) for v in en.to_numpy().ravel()]
        assert list(ja.columns)[2].startswith("素朴な計算")
        assert list(en.columns)[2].startswith("naive")


# --- caches: the race's series by language --------------------------------------------------


def test_the_race_is_shared_and_its_series_are_named_per_language() -> None:
    z, y, lr, steps = (2.0, 1.0, 0.1), 1, 1.0, 10
    run = caches.logit_race_run(z, y, lr, steps)
    en = controls.shown_race(run, z, y, lr, steps, "en")
    ja = controls.shown_race(run, z, y, lr, steps, "ja")
    assert set(run.q_true["series"]) == {"cross-entropy", "squared error"}  # shared: English
    assert set(en.q_true["series"]) == {"cross-entropy", "squared error"}
    assert set(ja.q_true["series"]) == {"交差エントロピー", "二乗誤差"}
    assert en.q_true["value"].tolist() == ja.q_true["value"].tolist()
    assert controls.shown_race(run, z, y, lr, steps, "ja") is ja  # cached


def _share(at, lang: str) -> list[tuple[str, str]]:
    from xent.ui.state import share_query

    values = {k: at.session_state[k] for k in lesson.STATE.defaults if k in at.session_state}
    with i18n.using(lang):
        return share_query(lesson.STATE, values)


def test_the_default_names_stay_out_of_links_in_both_languages_and_after_a_switch() -> None:
    at = open_page("multiclass", {"lang": "en", "k": "4"})
    assert _share(at, "en") == [("k", "4")]
    at.segmented_control(key="_lang_switch").set_value("ja").run()
    assert _share(at, "ja") == [("k", "4")]
    assert "names" not in at.query_params


def test_reset_and_a_preset_in_japanese_give_the_japanese_default_names() -> None:
    at = open_page("multiclass", {"lang": "ja", "names": "Pear, Plum", "y": "Plum", "k": "5"})
    assert list(widget(at, "selectbox", "y").proto.options)[:3] == ["Pear", "Plum", "ラッパ"]
    with i18n.using("ja"):
        reset, ten = i18n.tr("Reset to defaults"), i18n.tr("Ten classes")
    next(b for b in at.button if b.label == reset).click().run()
    assert widget(at, "text_input", "names").value == "りんご, ゴリラ, ラッパ"
    assert at.session_state["y"] == 1
    presets = list(widget(at, "selectbox", "_preset").proto.options)
    widget(at, "selectbox", "_preset").select_index(presets.index(ten)).run()
    assert list(widget(at, "selectbox", "y").proto.options)[-1] == "傘"
    assert not at.info


def test_names_a_reader_did_not_type_are_padded_in_the_readers_language() -> None:
    from xent.data import CLASS_NAMES
    from xent.locales.ja import MESSAGES
    from xent.text import class_names

    with i18n.using("ja"):
        japanese = class_names("a, b, c", 5)
    assert japanese[:3] == ("a", "b", "c")
    assert japanese[3:] == tuple(MESSAGES[name] for name in CLASS_NAMES[3:5])
    assert class_names("a, b, c", 5)[3:] == CLASS_NAMES[3:5]
