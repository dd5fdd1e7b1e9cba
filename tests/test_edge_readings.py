"""Readings at the edges a careful reader checks: a gradient that is small but not zero,
the logit z defined before it is used, label smoothing, p set directly, and "with respect
to the logits". Each claim is checked against plain arithmetic written here."""

from __future__ import annotations

import re
from fractions import Fraction

import numpy as np
import pytest

from tests.test_app import open_page
from xent import frames
from xent.lessons import bernoulli, multiclass

NUMBER = r"[−-]?\d+(?:\.\d+)?"


def num(text: str) -> float:
    return float(text.replace("−", "-"))


@pytest.mark.parametrize(("red", "white", "q"), [(1, 2, 0.33), (1, 2, 0.34), (2, 7, 0.22)])
def test_a_small_gradient_is_not_called_zero(red, white, q):
    """1 red and 2 white, q = 0.33: q − p = 0.33 − 1/3 = −1/300, not zero."""
    p = red / (red + white)
    _, grad_view = frames.bernoulli_curves(p, q)
    text = bernoulli.gradient_reading(grad_view.at)
    exact = Fraction(q).limit_denominator(1000) - Fraction(red, red + white)
    assert "zero" not in text
    shown = re.search(rf"q − p = \+?({NUMBER})", text).group(1)
    assert num(shown) == pytest.approx(float(exact), rel=5e-3)
    assert ("raises z" in text) == (exact < 0)
    assert text.startswith("With z = log(q / (1 − q)), the logit")  # z defined first


def test_the_gradient_is_zero_only_at_q_equal_p():
    _, grad_view = frames.bernoulli_curves(0.3, 0.3)
    assert "the gradient is zero" in bernoulli.gradient_reading(grad_view.at)


def test_label_smoothing_readings_name_the_smoothed_target():
    """/multiclass?ls=0.5: the path ends at Q = t, a sure model pays ∞, and the formula is
    the whole sum."""
    k, eps = 3, 0.5
    view = frames.softmax_view((2.0, 1.0, 0.1), 1, ("Apple", "Gorilla", "Rappa"), eps)
    nll = multiclass.nll_reading(view.at.q_true, view.at.L, eps, "Gorilla")
    assert "would pay ∞" in nll
    assert "would pay 0" not in nll
    latex, _ = multiclass.loss_formula(eps)
    assert r"\log Q(\text{true})" not in latex
    run = frames.logit_descent((2.0, 1.0, 0.1), 1, ("Apple", "Gorilla", "Rappa"), eps, 1.0, 200)
    text = multiclass.simplex_reading(run, 200, "Gorilla", eps)
    assert "not the ★ Gorilla corner" in text
    on, off = 1 - eps + eps / k, eps / k  # t = (0.17, 0.67, 0.17)
    assert f"Gorilla {on:.2f}, the others {off:.2f}" in text
    end = np.asarray(run.summary.Q[-1])
    assert end == pytest.approx([off, on, off], abs=0.01)  # where the path really ends
    plain = multiclass.simplex_reading(run, 200, "Gorilla", 0.0)
    assert "heads for the ★ Gorilla corner" in plain


def test_p_set_directly_is_not_called_the_box_p():
    """p = 0.92 with 6 red and 45 white: the draws come from the box (6/51 = 0.12)."""
    sample = frames.sampler_run(6, 45, 200, 0, bernoulli.SAMPLER_LR, bernoulli.SAMPLER_STEPS)
    text = bernoulli.sampler_reading(sample.summary, 0.92)
    assert "The box's p" not in text
    assert f"share of red is {6 / 51:.2f}" in text
    assert "not from the p = 0.92 set directly" in text
    same = bernoulli.sampler_reading(sample.summary, 6 / 51)
    assert same.startswith("The box's p = 0.12.")


@pytest.mark.parametrize("page", [None, "multiclass"])  # None: Home
def test_the_gradient_q_minus_p_says_with_respect_to_what(page):
    at = open_page(page)
    text = " ".join(m.value for m in at.markdown)
    assert "with respect to the logits" in text
    assert "simply **Q − " not in text  # an unqualified gradient


@pytest.mark.parametrize(("rsteps", "start"), [("474", 100), ("40", 40)])
def test_readme_says_where_the_regression_scrubber_opens(rsteps, start):
    """README: `rt` opens at 100, or at the last step of a shorter run (it said `rsteps`,
    but ?rsteps=474 opens at step 100)."""
    from pathlib import Path

    row = next(
        line
        for line in (Path(__file__).parents[1] / "README.md").read_text().splitlines()
        if line.startswith("| `rt` |")
    )
    assert "100, the end of a default run" in row
    at = open_page("multiclass", {"rsteps": rsteps})
    assert at.slider(key="rt").value == start


def test_equal_logits_are_a_tie_not_a_wrong_top_guess():
    """z = (1, 1, 0.1) with Gorilla true: Apple and Gorilla tie (e/(2e + e^0.1) each)."""
    view = frames.softmax_view((1.0, 1.0, 0.1), 1, ("Apple", "Gorilla", "Rappa"), 0.0)
    text = multiclass.bars_reading(view.at.Q, view.at.t, 1, ("Apple", "Gorilla", "Rappa"))
    each = np.e / (2 * np.e + np.exp(0.1))
    assert f"a tie between Apple and Gorilla ({each:.2f} each, as shown)" in text
    assert "wrong" not in text


def test_a_neuron_with_too_large_a_rate_cycles_and_says_why():
    """η = 100, x = (1, 0.5), p = 0.2: |1 − 100 · 1.25 · 0.16| = 19 > 1: a bounded cycle,
    not 'diverged' (it was stopped by the loss bound and called diverged)."""
    run = frames.neuron_run((1.0, 0.5), 0.2, (2.0, -1.0), 100.0, 40)
    assert not run.summary.diverged
    q = run.table["q"].to_numpy()
    assert ((q > 0) & (q < 1)).all()
    assert (np.diff(np.sign(q - 0.2)) != 0).sum() >= 5  # it keeps crossing p
    text = bernoulli.neuron_reading(run, 40, 0.2, (1.0, 0.5), 100.0)
    assert "diverged" not in text
    assert f"|1 − 100 × 1.25 × 0.160| = {abs(1 - 100 * 1.25 * 0.16):.1f} > 1" in text
    calm = frames.neuron_run((1.0, 0.5), 0.2, (2.0, -1.0), 1.0, 40)
    assert "overshoots" not in bernoulli.neuron_reading(calm, 40, 0.2, (1.0, 0.5), 1.0)


def test_a_smoothed_path_that_overshoots_is_not_said_to_head_for_the_target():
    """ls = 0.5, η = 100: the path ends at Q(Gorilla) = 1.00 with L = 37.9, far from
    Q = t = (0.17, 0.67, 0.17)."""
    names = ("Apple", "Gorilla", "Rappa")
    run = frames.logit_descent((2.0, 1.0, 0.1), 1, names, 0.5, 100.0, 200)
    end = np.asarray(run.summary.Q[-1])
    assert abs(end[1] - 2 / 3) > 0.1  # independent of the reading: it did not get there
    text = multiclass.simplex_reading(run, 200, "Gorilla", 0.5)
    assert "heads for" not in text
    assert "overshoot" in text


@pytest.mark.parametrize(("p", "q"), [(0.5, 1.0), (0.5, 0.0), (1.0, 0.0)])
def test_a_prediction_of_zero_or_one_cannot_move(p, q):
    """q = 1 is z = +∞: z − η (q − p) is still +∞, so a step leaves q at 1."""
    _, grad_view = frames.bernoulli_curves(p, q)
    text = bernoulli.gradient_reading(grad_view.at)
    assert "cannot move it" in text
    assert "falls towards" not in text
    assert "rises towards" not in text
