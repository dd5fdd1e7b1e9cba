"""The teaching readings (convexity, perplexity) against an independent recomputation:
plain math and numeric second differences written here, at random p."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from scipy.stats import entropy

from xent import explanations
from xent.lessons import comparison

NUMBER = r"[−-]?\d+(?:\.\d+)?"
RNG = np.random.default_rng(21)


def num(text: str) -> float:
    return float(text.replace("−", "-"))


def expit(w):
    return 1 / (1 + math.exp(-w))


def second_difference(f, w: float, h: float = 1e-3) -> float:
    return (f(w + h) - 2 * f(w) + f(w - h)) / h**2


@pytest.mark.parametrize("p", [0.0, 0.5, 1.0, *RNG.uniform(0, 1, 12).round(2)])
def test_convexity_reading_and_picture_match_second_differences(p):
    text = comparison.convexity_reading(p)
    w_s, q_s, c_s = re.search(
        rf"at w = ({NUMBER}) \(q = ({NUMBER})\) its curvature ∂²E/∂w² = ({NUMBER}) < 0", text
    ).groups()
    w = num(w_s)
    assert abs(expit(w) - num(q_s)) <= 0.5 * 10 ** -(len(q_s.split(".")[1]))  # σ(shown w)

    def se(v):
        return (expit(v) - p) ** 2

    def ce(v):
        q = expit(v)
        return -(p * math.log(q) if p else 0) - ((1 - p) * math.log(1 - q) if p < 1 else 0)

    curvature = second_difference(se, w)
    assert curvature < 0
    assert curvature == pytest.approx(num(c_s), rel=1e-2, abs=5e-4)
    # the most negative curvature on [-8, 8], by an independent grid
    grid = np.linspace(-8, 8, 1601)
    worst = min(second_difference(se, v) for v in grid)
    assert curvature == pytest.approx(worst, rel=0.02, abs=1e-3)
    # cross-entropy: convex everywhere on the picture
    assert min(second_difference(ce, v) for v in grid[::20]) > -1e-6
    chart = comparison.convexity_chart(p, "squared_error").to_dict()
    assert "bends down" in str(chart)


@pytest.mark.parametrize("p", [0.0, 0.5, 1.0, 0.2, *RNG.uniform(0, 1, 10).round(2)])
def test_perplexity_is_e_to_the_entropy(p):
    text = explanations.entropy_units_reading(p)
    h = entropy([p, 1 - p])  # nats, scipy
    if h == 0:
        assert "Perplexity e^H = 1" in text
        return
    shown = re.search(rf"perplexity e\^H = 2\^\(bits\) = ({NUMBER})", text).group(1)
    assert num(shown) == pytest.approx(math.exp(h), abs=0.005)
    bits = re.search(rf"nats = ({NUMBER}) bits", text).group(1)
    assert 2 ** num(bits) == pytest.approx(math.exp(h), abs=0.02)
    if p == 0.5:
        assert shown == "2.00"
