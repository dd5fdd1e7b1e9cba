"""The Bernoulli lesson's readings and chart adapters, against plain numpy/scipy.

Every number a reading shows is parsed back and recomputed here (scipy's entropy and expit, a
neuron stepped by hand), over random settings: an equality shown holds at the precision
shown, a sum shown adds up as shown, a note appears exactly when its condition holds.
No Streamlit: the lesson module is tested alone (the page is covered by
tests/test_bernoulli_claims.py).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy.special import expit
from scipy.stats import entropy

from xent import frames
from xent.explanations import fmt as shown  # the readings' one number format
from xent.lessons import bernoulli as lesson

NUMBER = r"−?(?:\d+(?:\.\d+)?(?:e−?\d+)?|∞)"
RNG = np.random.default_rng(20261128)


def num(s: str) -> float:
    return float(s.replace("−", "-").replace("∞", "inf"))


def sig(x: float, digits: int = 3) -> float:
    """x rounded to ``digits`` significant figures, independently of the module's formats."""
    return float(f"{x:.{digits - 1}e}")


def fmt2(x: float) -> str:
    """Two decimals, as the readings show them (tiny values aside)."""
    return f"{x:.2f}".replace("-", "−")


def bce(p: float, q: float) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = [
            t for t in (p * -np.log(q) if p else 0.0, (1 - p) * -np.log1p(-q) if p < 1 else 0.0)
        ]
    return float(sum(terms))


# --- section 1 ------------------------------------------------------------------------------


@pytest.mark.parametrize(("p", "q"), [tuple(v) for v in RNG.uniform(0, 1, (30, 2)).round(2)])
def test_loss_reading_numbers_and_sum_as_displayed(p, q):
    view, _grad = frames.bernoulli_curves(p, q)
    at = view.at
    text = lesson.loss_reading(at)
    h = float(entropy([p, 1 - p]))
    L = bce(p, q)
    kl = L - h
    shown = re.findall(NUMBER, text.split("L = H + KL:")[0])
    if not math.isfinite(L):  # q = 0 or 1 rules out an outcome that can happen
        assert shown[0] == "∞"
        assert f"L = H + KL: ∞ = {fmt2(h)} + ∞" in text
        return
    assert num(shown[0]) == pytest.approx(L, abs=0.005 + 1e-9)
    assert num(shown[1]) == pytest.approx(q, abs=0.005 + 1e-9)
    assert num(shown[2]) == pytest.approx(h, abs=0.005 + 1e-9)
    assert num(shown[3]) == pytest.approx(p, abs=0.005 + 1e-9)
    total, sign, h_s, kl_s = re.search(rf"({NUMBER}) (=|≈) ({NUMBER}) \+ ({NUMBER})", text).groups()
    assert num(total) == pytest.approx(L, abs=1e-2)
    assert num(kl_s) == pytest.approx(kl, abs=1e-2)
    adds = Decimal(h_s.replace("−", "-")) + Decimal(kl_s.replace("−", "-")) == Decimal(
        total.replace("−", "-")
    )
    assert adds == (sign == "=")
    latex, plain = lesson.decomposition(at)
    assert plain in text
    assert total in latex
    assert h_s in latex


@pytest.mark.parametrize(("p", "q"), [tuple(v) for v in RNG.uniform(0, 1, (30, 2)).round(2)])
def test_gradient_reading_sign_and_value(p, q):
    _, grad = frames.bernoulli_curves(p, q)
    text = lesson.gradient_reading(grad.at)
    g = num(re.search(rf"q − p = \+?({NUMBER})", text).group(1))
    assert g == pytest.approx(q - p, abs=0.005 + 1e-9)
    if abs(q - p) < 5e-3:
        assert "gradient is zero" in text
    elif q > p:
        assert "lowers z, so q falls" in text
    else:
        assert "raises z, so q rises" in text


@pytest.mark.parametrize(("red", "white"), [tuple(v) for v in RNG.integers(0, 51, (20, 2))])
def test_box_caption_matches_the_box(red, white):
    p = round(red / (red + white), 4) if red + white else 0.2
    text = lesson.box_caption(red, white, p)
    if red + white == 0:
        assert "empty" in text
    else:
        assert f"{red} red of {red + white}" in text
        assert num(re.findall(NUMBER, text)[-1]) == pytest.approx(p, abs=0.005 + 1e-9)
    other = lesson.box_caption(
        red, white, 0.999 if red + white and red / (red + white) < 0.9 else 0.001
    )
    if red + white:
        assert other.startswith("p is set directly")


# --- section 2 ------------------------------------------------------------------------------


def hand_neuron(x, p, w0, lr, steps):
    x, w = np.asarray(x, float), np.asarray(w0, float)
    qs, losses = [], []
    for _ in range(steps + 1):
        q = float(expit(x @ w))
        qs.append(q)
        losses.append(float(np.logaddexp(0, -(x @ w)) * p + np.logaddexp(0, x @ w) * (1 - p)))
        w = w - lr * x * (q - p)
    return np.array(qs), np.array(losses)


@pytest.mark.parametrize("seed", range(15))
def test_neuron_reading_against_a_hand_stepped_neuron(seed):
    rng = np.random.default_rng(seed)
    x = tuple(rng.uniform(-2, 2, 2).round(1))
    w0 = tuple(rng.uniform(-5, 5, 2).round(1))
    p = round(float(rng.uniform(0, 1)), 2)
    lr = float(rng.choice([0.1, 1.0, 3.0, 10.0]))
    steps = int(rng.integers(1, 80))
    t = int(rng.integers(0, steps + 1))
    run = frames.neuron_run(x, p, w0, lr, steps)
    text = lesson.neuron_reading(run, t, p)
    qs, losses = hand_neuron(x, p, w0, lr, steps)
    shown = [num(s) for s in re.findall(rf"(?:q|L|H\(p\)|p) = ({NUMBER})", text)]
    q_t, l_t, q_end, _p, l_end, h = shown[:6]
    assert q_t == pytest.approx(qs[t], abs=0.005 + 1e-9)
    assert l_t == pytest.approx(losses[t], abs=0.005 + 1e-9)
    assert q_end == pytest.approx(qs[-1], abs=0.005 + 1e-9)
    assert l_end == pytest.approx(losses[-1], abs=0.005 + 1e-9)
    assert h == pytest.approx(entropy([p, 1 - p]), abs=0.005 + 1e-9)
    assert ("went up" in text) == (losses[-1] > losses[0] and "diverged" not in text)


@pytest.mark.parametrize("seed", range(10))
def test_chain_table_product_row_is_the_product_of_the_rows_shown(seed):
    rng = np.random.default_rng(seed)
    x = tuple(rng.uniform(-2, 2, 2).round(1))
    w = rng.uniform(-5, 5, 2).round(1)
    p = round(float(rng.uniform(0, 1)), 2)
    table, point = frames.chain_rule_table(x, w, p)
    assert point.q == pytest.approx(expit(np.dot(x, w)), rel=1e-12)
    lines = lesson.chain_lines(table, point)
    view = lesson.chain_table_view(table, lines)
    assert list(view["factor"]) == [label for label, _ in lesson.CHAIN_ROWS]
    for weight, x_i in zip(["w1", "w2"], x, strict=True):
        col = list(view[weight])
        assert num(col[0]) == (0.0 if x_i == 0 else sig(x_i))
        if col[3] != "—":
            product = num(col[0]) * num(col[1]) * num(col[2])
            assert num(col[3]) == (0.0 if product == 0 else sig(product))
        exact = x_i * (point.q - p)
        assert num(col[4]) == (0.0 if exact == 0 else sig(exact))
    reading = lesson.chain_reading(point, 3, lines)
    assert reading.startswith("At step 3:")
    assert lines[0].text in reading


# --- the chain rule --------------------------------------------------------------------------


@given(
    x=st.floats(-5, 5),
    w=st.floats(-800, 800) | st.sampled_from([0.0, 12.0, 40.0, -40.0, 745.0, 800.0]),
    p=st.sampled_from([0.0, 0.5, 1.0]) | st.floats(0, 1),
)
@example(x=1.0, w=40.0, p=0.5)
def test_chain_rule_product_holds_as_displayed(x, w, p):
    y = x * w
    q, r = float(expit(y)), float(expit(-y))
    with np.errstate(all="ignore"):
        dL_dq = (0.0 if p == 0 else -p / np.float64(q)) + (
            0.0 if p == 1 else (1 - p) / np.float64(r)
        )
    exact = x * (q - p)
    h = 1e-6

    def bce(wv):
        return float(np.logaddexp(0, -x * wv) * p + np.logaddexp(0, x * wv) * (1 - p))

    fd = (bce(w + h) - bce(w - h)) / (2 * h)
    line = lesson.chain_rule_line(x, q, r, p, fd)
    factors = [num(s) for s in (line.x, line.sigma_prime, line.dL_dq)]
    assert factors[0] == (0.0 if x == 0 else sig(x))
    assert factors[1] == (0.0 if q * r == 0 else sig(q * r))
    if math.isfinite(dL_dq):
        assert factors[2] == (0.0 if dL_dq == 0 else sig(dL_dq))
    assert num(line.exact) == (0.0 if exact == 0 else sig(exact))
    assert num(line.finite_difference) == (0.0 if fd == 0 else sig(fd))
    degenerate = q * r == 0 or not math.isfinite(dL_dq)
    assert (line.product is None) == degenerate
    assert ("rounds to 0" in line.text) == degenerate
    if not degenerate:
        product = math.prod(factors)
        assert num(line.product) == (0.0 if product == 0 else sig(product))
        # the text's equation is exactly the shown factors and the shown product
        assert f"= {line.product} (each factor" in line.text
        assert ("too" in line.text) == (line.product == line.exact)
    assert ("they agree" in line.text) == (line.finite_difference == line.exact)


@given(draws=st.integers(0, 50), data=st.data(), q=st.floats(1e-6, 1 - 1e-6))
@example(draws=10, data=None, q=0.01)
def test_sampler_says_q_equals_p_hat_only_when_it_does(draws, data, q):
    red = data.draw(st.integers(0, draws)) if data is not None else 0
    text = lesson.mle_reading(red, draws, q, 100)
    if draws == 0:
        assert "No draws" in text
        return
    p_hat = red / draws
    assert num(re.search(rf"p̂ = ({NUMBER})", text).group(1)) == pytest.approx(
        p_hat, abs=0.005 + 1e-9
    )
    claims_equal = "= p̂" in text
    assert claims_equal == (shown(q) == shown(p_hat))
    if red in (0, draws) and not claims_equal:
        assert "no sigmoid output reaches" in text
    # the average negative log-likelihood claim: mean CE over draws equals it (any q)
    draws_vec = np.array([1] * red + [0] * (draws - red))
    mean_ce = np.mean(-(draws_vec * np.log(q) + (1 - draws_vec) * np.log1p(-q)))
    nll = (
        -np.log(np.prod(np.where(draws_vec == 1, q, 1 - q)) ** (1 / draws)) if q > 0.01 else mean_ce
    )
    assert mean_ce == pytest.approx(nll, rel=1e-6)


# --- section 3 ------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(8))
def test_sampler_reading_names_the_box_and_the_draws(seed):
    rng = np.random.default_rng(seed)
    red, white = (int(v) for v in rng.integers(0, 11, 2))
    if red + white == 0:
        red = 1
    draws = int(rng.integers(1, 200))
    run = frames.sampler_run(red, white, draws, seed, lesson.SAMPLER_LR, lesson.SAMPLER_STEPS)
    sample = run.summary
    text = lesson.sampler_reading(sample)
    assert text.startswith(f"The box's p = {fmt2(red / (red + white))}.")
    assert f"Drawn: {sample.reds} red of {draws}," in text
    # the fit, stepped by hand on the drawn balls: q = σ(w), w ← w − η (q − p̂)
    p_hat = sample.reds / draws
    w = 0.0
    for _ in range(lesson.SAMPLER_STEPS):
        w -= lesson.SAMPLER_LR * (float(expit(w)) - p_hat)
    assert sample.q_end == pytest.approx(float(expit(w)), abs=1e-9)


@pytest.mark.parametrize(("p", "q"), [tuple(v) for v in RNG.uniform(0, 1, (40, 2)).round(2)])
def test_gradient_labels_sit_on_opposite_sides_and_away_from_the_edges(p, q):
    _, grad = frames.bernoulli_curves(p, q)
    points = lesson.gradient_view(grad).points.set_index("label")
    minimum, model = points.loc["q = p", "place"], points.loc["model q", "place"]
    assert {minimum.split("-")[0], model.split("-")[0]} == {"above", "below"}
    for x, place in ((p, minimum), (q, model)):
        if x < 0.25:
            assert not place.endswith("left")
        if x > 0.75:
            assert not place.endswith("right")
