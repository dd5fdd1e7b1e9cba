"""The Bernoulli page in Japanese: the same lesson, the same numbers, the same state.

Every reading of ``xent.lessons.bernoulli`` is written in both languages over many settings:
the Japanese shows the very numbers the English shows (the same multiset), and holds no
English word of its own (words of other areas' helpers, ``steps_words`` and the L = H + KL
sum of ``xent.explanations``, are taken out first: they are the readings area's). The page
opened with ``lang=ja`` shows Japanese headers, labels and captions, keeps the same widget
state and the same Share link as in English, and its chart specs differ by language while
their numbers do not.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest
from i18n_support import english_left, page_text
from test_app import open_page, readings

from xent import explanations, frames, i18n
from xent.lessons import bernoulli as lesson
from xent.locales.ja.bernoulli import MESSAGES as JA
from xent.ui import drawing, state

NUMBER = re.compile(r"\d+(?:\.\d+)?")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def numbers(text: str) -> Counter:
    return Counter(NUMBER.findall(text))


def both(function, *args, **kwargs) -> tuple[str, str]:
    """``function(*args, **kwargs)`` in English, then in Japanese."""
    out = []
    for code in ("en", "ja"):
        with i18n.using(code):
            out.append(function(*args, **kwargs))
    return out[0], out[1]


def others_words(*texts: str) -> set[str]:
    """The English words of other areas' text inserted into a reading (their own to fix)."""
    return {w for text in texts for w in re.findall(r"[A-Za-z]+", text)}


def assert_same_reading(english: str, japanese: str, *inserted: str) -> None:
    assert english != japanese
    assert JAPANESE.search(japanese), japanese
    assert numbers(english) == numbers(japanese), (english, japanese)
    assert english_left(japanese, others_words(*inserted)) == [], japanese


RNG = np.random.default_rng(20261205)
SETTINGS = [(0.2, 0.6), (0.5, 0.5), (0.9, 0.02), (1.0, 0.5), (0.3, 0.0), (0.3, 1.0), (0.0, 0.0)]
SETTINGS += [tuple(v) for v in RNG.uniform(0, 1, (12, 2)).round(2)]


@pytest.mark.parametrize(("p", "q"), SETTINGS)
def test_section_1_readings_show_the_same_numbers_in_japanese(p, q):
    loss, grad = frames.bernoulli_curves(p, q)
    with i18n.using("ja"):
        inserted = lesson.decomposition(loss.at)[1]
    assert_same_reading(*both(lesson.loss_reading, loss.at), inserted)
    assert_same_reading(*both(lesson.gradient_reading, grad.at))


@pytest.mark.parametrize(
    ("red", "white", "p"), [(2, 8, 0.2), (2, 8, 0.7), (0, 0, 0.4), (10, 0, 1.0), (5, 13, 0.5)]
)
def test_the_box_caption_in_japanese_counts_red_balls(red, white, p):
    english, japanese = both(lesson.box_caption, red, white, p)
    assert_same_reading(english, japanese)
    if red + white:
        assert "赤玉" in japanese


@pytest.mark.parametrize("seed", range(12))
def test_neuron_and_chain_rule_readings_show_the_same_numbers(seed):
    rng = np.random.default_rng(seed)
    x = tuple(rng.uniform(-2, 2, 2).round(1))
    w0 = tuple(rng.uniform(-5, 5, 2).round(1))
    p = round(float(rng.uniform(0, 1)), 2)
    lr = float(rng.choice([0.1, 1.0, 3.0, 10.0, 30.0]))
    steps = int(rng.integers(1, 80))
    t = int(rng.integers(0, steps + 1))
    run = frames.neuron_run(x, p, w0, lr, steps)
    with i18n.using("ja"):
        inserted = explanations.steps_words(steps)
    assert_same_reading(*both(lesson.neuron_reading, run, t, p, x, lr), inserted)
    table, point = frames.chain_rule_table(x, run.w[t], p)
    english, japanese = both(
        lambda: lesson.chain_reading(point, t, lesson.chain_lines(table, point))
    )
    assert_same_reading(english, japanese)


def test_the_too_large_learning_rate_reading_in_japanese():
    english, japanese = both(lesson.cycling_reading, (1.0, 0.5), 0.2, 30.0)
    assert english
    assert "学習率" in japanese
    assert_same_reading(english, japanese)


@pytest.mark.parametrize(
    ("x_i", "q", "one_minus_q", "p", "fd"),
    [(1.0, 0.818, 0.182, 0.2, 0.618), (1.0, 0.5, 0.5, 0.2, 0.3), (2.0, 1.0, 0.0, 0.2, 1.6)],
)
def test_each_chain_rule_line_shows_the_same_numbers(x_i, q, one_minus_q, p, fd):
    english, japanese = both(lesson.chain_rule_line, x_i, q, one_minus_q, p, fd)
    assert english.latex == japanese.latex  # the formula is the same in both languages
    assert (english.product, english.exact) == (japanese.product, japanese.exact)
    assert_same_reading(english.text, japanese.text)


@pytest.mark.parametrize(
    ("red", "white", "draws", "seed", "p"),
    [
        (2, 8, 50, 0, 0.2),
        (2, 8, 50, 0, 0.7),
        (0, 3, 20, 1, 0.0),
        (4, 0, 9, 2, 1.0),
        (3, 3, 500, 3, 0.5),
    ],
)
def test_sampler_reading_shows_the_same_numbers(red, white, draws, seed, p):
    run = frames.sampler_run(red, white, draws, seed, lesson.SAMPLER_LR, lesson.SAMPLER_STEPS)
    with i18n.using("ja"):
        inserted = explanations.steps_words(lesson.SAMPLER_STEPS)
    assert_same_reading(*both(lesson.sampler_reading, run.summary, p), inserted)
    assert_same_reading(*both(lesson.mle_reading, 0, 0, 0.5, 10))


def test_the_chain_rule_table_in_japanese_has_the_same_numbers():
    table, point = frames.chain_rule_table((1.0, 0.5), np.array([2.0, -1.0]), 0.2)
    english, japanese = both(
        lambda: lesson.chain_table_view(table, lesson.chain_lines(table, point))
    )
    assert english.columns[0] == "factor"
    assert japanese.columns[0] == "因子"
    assert list(english.columns)[1:] == list(japanese.columns)[1:]
    assert (english.iloc[:, 1:].to_numpy() == japanese.iloc[:, 1:].to_numpy()).all()
    assert japanese.iloc[5, 0] == "有限差分"
    assert english.iloc[:3, 0].tolist() == japanese.iloc[:3, 0].tolist()  # formulas only


def test_presets_and_docs_stay_english_and_show_japanese():
    """A preset is stored by its English name (a link made in Japanese opens the same state);
    it and each control's doc are shown through tr()."""
    assert "Box: 2 red, 8 white" in lesson.STATE.presets
    for name in (*lesson.STATE.presets, *lesson.STATE.docs.values()):
        assert JA.get(name, name) != name, name
    with i18n.using("ja"):
        assert i18n.tr("Fair coin: 5 red, 5 white") == "公平なコイン：赤玉 5 個、白玉 5 個"


def test_charts_differ_by_language_but_not_their_numbers():
    run = frames.neuron_run((1.0, 0.5), 0.2, (2.0, -1.0), 1.0, 40)
    view = frames.bernoulli_loss_view(0.2, 0.2)
    specs = {}
    for code in ("en", "ja"):
        with i18n.using(code):
            specs[code] = lesson.path_chart(view, run, 3).to_dict()
    english, japanese = (str(specs[c]) for c in ("en", "ja"))
    assert "model prediction q" in english
    for shown in ("モデルの予測 q", "ステップ 3", "損失 L（nats）"):
        assert shown in japanese
    assert numbers(english) == numbers(japanese.replace("ステップ 3", "step 3"))


def test_the_page_in_japanese_shows_japanese_and_the_same_state():
    english = open_page("bernoulli", {"lang": "en", "q": "0.7", "red": "3"})
    japanese = open_page("bernoulli", {"lang": "ja", "q": "0.7", "red": "3"})
    headers = [h.value for h in japanese.header]
    assert headers == [
        "1 · 予測 q の損失",
        "2 · ニューロンが q = p を学習する",
        "3 · 引いた玉から学ぶ",
    ]
    assert japanese.slider(key="red").label == "赤玉の数"
    assert japanese.slider(key="white").label == "白玉の数"
    assert japanese.slider(key="q").label == "モデルの予測 q"
    caption = " ".join(c.value for c in japanese.caption)
    assert "赤玉 3 個・白玉 8 個" in caption  # a link's red= leaves p as it was
    keys = set(lesson.STATE.defaults)
    assert {k: english.session_state[k] for k in keys} == {
        k: japanese.session_state[k] for k in keys
    }
    values = {k: japanese.session_state[k] for k in keys}
    assert state.share_query(lesson.STATE, values) == state.share_query(
        lesson.STATE, {k: english.session_state[k] for k in keys}
    )
    en_readings = readings(english)
    with i18n.using("ja"):
        prefix = i18n.tr(drawing.READING)
    ja_readings = [m.value for m in japanese.markdown if m.value.startswith(prefix)]
    assert len(en_readings) == len(ja_readings)
    for en, ja in zip(en_readings, ja_readings, strict=True):
        assert numbers(en) == numbers(ja), (en, ja)
    # none of this page's own sentences is left in English (the header row showing the presets
    # by tr(name) is the app area's xent/ui/page.py, present mode's list of docs too)
    text = page_text(japanese)
    shown_elsewhere = {*lesson.STATE.presets, *lesson.STATE.docs.values()}
    for english_text in set(JA) - shown_elsewhere:
        if len(english_text) > 12 and "{" not in english_text:
            assert english_text not in text, english_text


def test_a_preset_chosen_in_japanese_sets_the_same_state_as_in_english():
    """The preset box shows the Japanese names; the one chosen loads the same values."""
    keys = set(lesson.STATE.defaults)
    values = {}
    for code in ("en", "ja"):
        at = open_page("bernoulli", {"lang": code})
        box = at.selectbox(key="_preset")
        shown = list(box.proto.options)
        if code == "ja":
            assert "公平なコイン：赤玉 5 個、白玉 5 個" in shown
            assert not set(shown) & set(lesson.STATE.presets)
        # by index: AppTest matches a value against the options as shown
        box.select_index(list(lesson.STATE.presets).index("Fair coin: 5 red, 5 white")).run()
        assert not at.exception
        values[code] = {k: at.session_state[k] for k in keys}
    assert values["en"] == values["ja"]
    assert values["ja"]["red"] == 5
