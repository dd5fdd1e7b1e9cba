"""The readings (``xent.explanations``) in Japanese: the same claim as the English one.

At random states (Hypothesis), every reading is made twice, in English and with
``i18n.using("ja")``: the numbers written in the two are the same multiset (they are
formatted once and filled into both sentences), the Japanese one is Japanese (kana in it, no
English word left: ``i18n_support.english_left``, the names of losses and classes the test
passes in aside) and no ``{placeholder}`` is left unfilled. The English stays the default.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from i18n_support import english_left

from xent import explanations as ex
from xent import i18n
from xent.losses import BINARY_LOSSES
from xent.scoring import expected_loss_minimiser, goal_curvature

NUMBER = re.compile(r"\d+(?:\.\d+)?")
KANA = re.compile(r"[\u3040-\u30ff]")
LEFT_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")

LABELS = [loss.label for loss in BINARY_LOSSES.values()]
"""The losses' labels (the comparison area's text, passed through ``tr`` by the readings)."""
NAMES = [f"{loss.label} {loss.in_words}" for loss in BINARY_LOSSES.values()] + ["Gorilla"]
OTHERS = {w for name in NAMES for w in re.findall(r"[A-Za-z]+", name)}
"""Words of the names the readings are given (another area's text, or a class name)."""


def both(make: Callable[[], str | None]) -> tuple[str | None, str | None]:
    english = make()
    with i18n.using("ja"):
        japanese = make()
    return english, japanese


def check(make: Callable[[], str | None]) -> tuple[str | None, str | None]:
    english, japanese = both(make)
    assert (english is None) == (japanese is None)
    if english is None:
        return english, japanese
    assert Counter(NUMBER.findall(english)) == Counter(NUMBER.findall(japanese)), (
        english,
        japanese,
    )
    assert not english_left(japanese, OTHERS), japanese
    assert KANA.search(japanese), japanese
    assert not LEFT_PLACEHOLDER.search(japanese), japanese
    assert not LEFT_PLACEHOLDER.search(english), english
    assert i18n.language() == "en"
    assert make() == english
    return english, japanese


probability = st.floats(0.001, 0.999).map(lambda v: round(v, 3))
steps = st.integers(0, 400)


@st.composite
def race_rows(draw) -> ex.RaceRow:
    """Any row a race can give, including the branches a real run seldom reaches."""
    p = draw(st.sampled_from([0.5]) | probability)
    n = draw(st.integers(1, 400))
    escape = draw(st.integers(-1, n))
    arrival = draw(st.integers(-1, n))
    return ex.RaceRow(
        label=draw(st.sampled_from(LABELS)),
        p=p,
        goal=draw(st.sampled_from([p]) | probability),
        tol=draw(st.sampled_from([0.01, 0.02, 0.05, 0.1])),
        steps=n,
        escape=escape,
        arrival=arrival,
        approach=max(arrival - max(escape, 0), 0) if arrival >= 0 else -1,
        overshoot=draw(st.booleans()),
        diverged=draw(st.booleans()),
        cycles=draw(st.booleans()),
    )


@given(race_rows(), race_rows())
def test_the_race_reads_the_same_numbers_in_japanese(row, other) -> None:
    _, japanese = check(lambda: ex.race_reading(row))
    if row.diverged and (row.escape < 0 or not row.cycles):
        assert japanese.endswith("学習は発散しました。")
    fast, slow = sorted((row, other), key=lambda r: r.escape)
    check(lambda: ex.race_ratio_reading(fast, slow))
    fast, slow = sorted((row, other), key=lambda r: r.approach)
    check(lambda: ex.approach_ratio_reading(fast, slow))


@given(
    p=probability,
    q0=probability,
    lr=st.sampled_from([0.1, 0.5, 1.0, 2.0, 5.0]),
    n=st.integers(1, 200),
    names=st.lists(st.sampled_from(sorted(BINARY_LOSSES)), min_size=1, max_size=4, unique=True),
)
def test_a_real_race_and_its_settling_read_the_same_numbers(p, q0, lr, n, names) -> None:
    labels = [BINARY_LOSSES[name].label for name in names]
    rows = ex.race(names, labels, p=p, q0=q0, lr=lr, steps=n, tol=0.05)
    for name, row in zip(names, rows, strict=True):
        check(lambda row=row: ex.race_reading(row))
        curvature = goal_curvature(name, p)
        check(lambda row=row, c=curvature: ex.settle_reading(row.label, row.goal, lr, c))
        minimiser = expected_loss_minimiser(name, p)
        check(lambda row=row, m=minimiser: ex.scoring_reading(row.label, m))
    check(lambda: ex.units_note(names) or None)
    check(lambda: ex.slow_near_target_reading(p, q0))


@given(p=probability, q=probability)
def test_the_slow_near_target_note_reads_the_same_numbers(p, q) -> None:
    for p_end in (p / 10, 1 - p / 10):
        check(lambda p_end=p_end: ex.slow_near_target_reading(p_end, q))


@given(
    label=st.sampled_from(LABELS),
    goal=probability,
    lr=st.floats(0.01, 20).map(lambda v: round(v, 2)),
    curvature=st.none() | st.floats(1e-4, 50),
)
def test_settling_reads_the_same_numbers(label, goal, lr, curvature) -> None:
    english, japanese = check(lambda: ex.settle_reading(label, goal, lr, curvature))
    if curvature is not None:
        assert ("> 1" in english) == ("> 1" in japanese)


@given(p=st.sampled_from([0.0, 1.0, 0.5]) | probability)
def test_bits_and_nats_read_the_same_numbers(p) -> None:
    check(lambda: ex.entropy_units_reading(p))


@given(
    h=st.floats(0, 3),
    kl=st.sampled_from([math.inf]) | st.floats(0, 5),
)
def test_an_infinite_decomposition_says_why_in_japanese(h, kl) -> None:
    english, japanese = both(lambda: ex.decomposition(h + kl, h, kl))
    assert english[0] == japanese[0]  # the KaTeX is the same
    if math.isinf(kl):
        check(lambda: ex.decomposition(h + kl, h, kl)[1])
    else:
        assert english[1] == japanese[1]  # numbers and symbols only


@given(a=st.sampled_from([0, 1, 10, 300, 400, 709, 710, 1000]), b=st.floats(-5, 5))
def test_log_softmax_reads_the_same_numbers(a, b) -> None:
    c = ex.log_softmax_comparison([a, b, -a])
    english, japanese = check(lambda: ex.log_softmax_reading(c))
    if c.overflow:  # NaN in the naive form: 'undefined' in English, 未定義 in Japanese
        assert "undefined" in english
        assert "未定義" in japanese


@given(q=st.floats(1e-6, 0.999999))
def test_the_logit_slope_reads_the_same_numbers(q) -> None:
    check(lambda: ex.logit_slope_reading("Gorilla", q))


@given(
    z=st.lists(st.floats(-8, 8).map(lambda v: round(v, 1)), min_size=2, max_size=5),
    data=st.data(),
    lr=st.sampled_from([0.1, 0.5, 1.0, 3.0]),
    n=st.integers(1, 100),
    q_ce=probability,
    q_se=probability,
)
def test_the_logit_race_reads_the_same_numbers(z, data, lr, n, q_ce, q_se) -> None:
    true_index = data.draw(st.integers(0, len(z) - 1))
    race = ex.LogitRace(tuple(z), true_index, lr, n, q_ce, q_se)
    english, japanese = check(lambda: ex.logit_race_reading(race, "Gorilla"))
    assert ("Squared error's logit step" in english) == ("ソフトマックスの傾き" in japanese)


@given(
    accuracy=st.lists(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]), min_size=2, max_size=30),
    data=st.data(),
)
def test_accuracy_against_loss_reads_the_same_numbers(accuracy, data) -> None:
    loss = data.draw(st.lists(st.floats(0.01, 5), min_size=len(accuracy), max_size=len(accuracy)))
    english, japanese = check(lambda: ex.accuracy_vs_loss_reading(accuracy, loss))
    assert ("Here it rose instead" in english) == ("逆に損失が上がりました" in japanese)
    assert (" only " in english) == ("だけです" in japanese)


def test_the_steps_and_the_undefined_value_are_words_of_the_language() -> None:
    with i18n.using("ja"):
        assert ex.steps_words(1) == "1 ステップ"
        assert ex.steps_words(12) == "12 ステップ"
        assert ex.fmt(float("nan")) == "未定義"
        assert math.isnan(ex.value_of(ex.fmt(float("nan"))))
        assert ex.fmt_signed(float("nan")) == "未定義"
        assert ex.fmt(np.inf) == "∞"
        assert ex.fmt(-0.25) == "−0.25"
    assert ex.steps_words(1) == "1 step"
    assert ex.fmt(float("nan")) == "undefined"
    assert math.isnan(ex.value_of("undefined"))
