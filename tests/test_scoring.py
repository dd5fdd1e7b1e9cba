"""Tests for xent.scoring against independent references.

References: the expected losses written out here in plain numpy (not the registry's
functions), scipy.optimize.minimize_scalar on them, and brute-force grids.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar

from xent.scoring import PROPER_LOSSES, expected_loss, expected_loss_minimiser, target_minimiser

probabilities = st.floats(0.0, 1.0)
inner = st.floats(1e-6, 1 - 1e-6)


def _xlogy(a, b):
    return 0.0 if a == 0 else a * np.log(b)


def reference(name: str, p: float, q: float) -> float:
    """E_{y~Bernoulli(p)}[L(y, q)] written out by hand for each loss."""
    if name == "cross_entropy":
        return -_xlogy(p, q) - _xlogy(1 - p, 1 - q)
    if name == "squared_error":
        return p * (1 - q) ** 2 + (1 - p) * q**2
    if name == "absolute_error":
        return p * (1 - q) + (1 - p) * q
    if name == "focal":
        return -_xlogy(p * (1 - q) ** 2, q) - _xlogy((1 - p) * q**2, 1 - q)
    raise AssertionError(name)


NAMES = ["cross_entropy", "squared_error", "absolute_error", "focal"]


@pytest.mark.parametrize("name", NAMES)
@given(p=probabilities, q=inner)
def test_expected_loss_matches_the_written_out_formula(name, p, q):
    assert float(expected_loss(name, p, q)) == pytest.approx(
        reference(name, p, q), rel=1e-9, abs=1e-12
    )


def test_absolute_error_expected_loss_is_linear_in_q():
    q = np.linspace(0, 1, 11)
    assert np.allclose(expected_loss("absolute_error", 0.8, q), 0.8 + q * (1 - 1.6))


@pytest.mark.parametrize("name", NAMES)
@given(p=probabilities)
@example(p=0.5)
@example(p=0.0)
@example(p=1.0)
def test_the_minimiser_is_no_worse_than_a_fine_grid(name, p):
    m = expected_loss_minimiser(name, p)
    with np.errstate(divide="ignore"):  # log 0 at an end: +inf, which never wins
        values = [reference(name, p, q) for q in np.linspace(0, 1, 4001)]
        at_minimiser = reference(name, p, m.q_low)
    assert at_minimiser <= min(values) + 1e-9
    assert m.expected_loss == pytest.approx(at_minimiser, abs=1e-12)


@given(p=st.floats(0.01, 0.99).filter(lambda p: abs(p - 0.5) > 1e-3))
def test_focal_minimiser_matches_scipy(p):
    ref = minimize_scalar(
        lambda q: reference("focal", p, q),
        bounds=(1e-9, 1 - 1e-9),
        method="bounded",
        options={"xatol": 1e-12},
    )
    m = expected_loss_minimiser("focal", p)
    assert not m.closed_form
    assert not m.proper
    assert m.q_low == pytest.approx(ref.x, abs=1e-6)


def test_focal_numbers_from_the_issue():
    assert round(expected_loss_minimiser("focal", 0.8).q_low, 3) == 0.627
    assert round(expected_loss_minimiser("focal", 0.2).q_low, 3) == 0.373


@given(p=probabilities)
def test_proper_losses_are_smallest_at_p(p):
    for name in PROPER_LOSSES:
        m = expected_loss_minimiser(name, p)
        assert m.at_p
        assert m.proper
        # and scipy agrees, away from the ends where the minimum sits on the boundary
        if 0.001 < p < 0.999:
            ref = minimize_scalar(
                lambda q, n=name: reference(n, p, q),
                bounds=(0, 1),
                method="bounded",
                options={"xatol": 1e-10},
            )
            assert ref.x == pytest.approx(p, abs=1e-6)


@given(p=probabilities)
def test_absolute_error_goes_to_the_frequent_hard_label(p):
    m = expected_loss_minimiser("absolute_error", p)
    ends = {q: reference("absolute_error", p, q) for q in (0.0, 1.0)}
    if p == 0.5:
        assert (m.q_low, m.q_high) == (0.0, 1.0)
        assert not m.unique
        assert ends[0.0] == ends[1.0] == reference("absolute_error", p, 0.37)
    else:
        assert m.unique
        assert m.q_low == min(ends, key=ends.get)


def test_not_proper_losses_miss_p_somewhere():
    for name in set(NAMES) - PROPER_LOSSES:
        assert not expected_loss_minimiser(name, 0.8).at_p


@pytest.mark.parametrize(
    ("name", "p", "message"),
    [
        ("hinge", 0.5, "loss must be one of"),
        ("focal", 1.5, "p must be a probability"),
        ("focal", float("nan"), "p must be a probability"),
        ("focal", True, "p must be"),
    ],
)
def test_bad_input_is_named(name, p, message):
    with pytest.raises(ValueError, match=message):
        expected_loss_minimiser(name, p)


@pytest.mark.parametrize("name", NAMES)
@given(p=st.floats(0.01, 0.99))
def test_target_minimiser_is_where_the_soft_target_loss_is_smallest(name, p):
    """The race trains on L(p, q) with the soft target p; written out here by hand."""
    soft = {
        "cross_entropy": lambda q: -p * np.log(q) - (1 - p) * np.log1p(-q),
        "squared_error": lambda q: (q - p) ** 2,
        "absolute_error": lambda q: abs(q - p),
        "focal": lambda q: -p * (1 - q) ** 2 * np.log(q) - (1 - p) * q**2 * np.log1p(-q),
    }[name]
    ref = minimize_scalar(soft, bounds=(1e-9, 1 - 1e-9), method="bounded", options={"xatol": 1e-12})
    assert target_minimiser(name, p) == pytest.approx(ref.x, abs=1e-6)
