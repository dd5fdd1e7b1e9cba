"""Proper scoring: where each binary loss's *expected* loss under p is smallest.

A loss L(y, q) scores a prediction q of a label y ∈ {0, 1}. When the labels are drawn
y ~ Bernoulli(p), the expected loss is

    E[L] = p · L(1, q) + (1 − p) · L(0, q).

A loss is a *proper scoring rule* when E[L] is smallest at q = p for every p (strictly
proper: only there): then minimising it makes the model report the true probability.
Cross-entropy and squared error are strictly proper; absolute error (E = p + q(1 − 2p),
smallest at q = 0 or 1) and focal loss (γ = 2; at p = 0.8 smallest near q = 0.627) are
not. Focal loss is not a mistake for that: it down-weights easy examples under class
imbalance, at the price of calibrated probabilities.

Numpy only, keyed by the names of ``xent.BINARY_LOSSES``.

>>> m = expected_loss_minimiser("focal", 0.8)
>>> round(m.q_low, 3), m.proper
(0.627, False)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from xent.losses import BINARY_LOSSES

__all__ = [
    "PROPER_LOSSES",
    "Minimiser",
    "expected_loss",
    "expected_loss_minimiser",
    "target_minimiser",
]

#: The built-in losses that are (strictly) proper scoring rules (each entry's ``proper``).
PROPER_LOSSES = frozenset(name for name, loss in BINARY_LOSSES.items() if loss.proper)


@dataclass(frozen=True)
class Minimiser:
    """Where E_{y~Bernoulli(p)}[L(y, q)] is smallest over q ∈ [0, 1].

    Attributes:
        loss_name: the registry key.
        p: the label rate.
        q_low, q_high: the minimisers form the interval [q_low, q_high] (one point when
            they are equal; absolute error at p = ½ is minimised by every q).
        expected_loss: the smallest expected loss (nats for cross-entropy and focal).
        proper: the loss is a proper scoring rule (its minimiser is q = p for every p).
        closed_form: the minimiser comes from a formula, not a numeric search.
    """

    loss_name: str
    p: float
    q_low: float
    q_high: float
    expected_loss: float
    proper: bool
    closed_form: bool

    @property
    def unique(self) -> bool:
        """One minimiser (not an interval)."""
        return self.q_low == self.q_high

    @property
    def at_p(self) -> bool:
        """The minimiser is q = p and nothing else."""
        return self.unique and self.q_low == self.p


def _check(name: object, p: object) -> float:
    if not isinstance(name, str) or name not in BINARY_LOSSES:
        raise ValueError(f"loss must be one of {sorted(BINARY_LOSSES)}; got {name!r}")
    if isinstance(p, bool) or not isinstance(p, int | float | np.floating | np.integer):
        raise ValueError(f"p must be a probability in [0, 1]; got {p!r}")
    if not 0 <= float(p) <= 1:
        raise ValueError(f"p must be a probability in [0, 1]; got {p!r}")
    return float(p)


def expected_loss(name: str, p: float, q):
    """E_{y~Bernoulli(p)}[L(y, q)] = p · L(1, q) + (1 − p) · L(0, q), elementwise in q.

    A term whose label has probability 0 counts 0 (even where that L is infinite).

    >>> float(expected_loss("absolute_error", 0.8, 0.25))  # p + q (1 - 2p)
    0.65
    """
    p = _check(name, p)
    value = BINARY_LOSSES[name].value
    q = np.asarray(q, dtype=np.float64)
    positive = value(1.0, q) if p > 0 else np.zeros_like(q)
    negative = value(0.0, q) if p < 1 else np.zeros_like(q)
    with np.errstate(invalid="ignore"):
        out = np.where(p > 0, p * positive, 0.0) + np.where(p < 1, (1 - p) * negative, 0.0)
    return out[()] if out.ndim == 0 else out


def _golden_section(f, lo: float, hi: float, iterations: int = 80) -> float:
    """The minimiser of a unimodal f on [lo, hi] to about 1e-15 of the bracket."""
    ratio = (math.sqrt(5) - 1) / 2
    a, b = lo, hi
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = f(c), f(d)
    for _ in range(iterations):
        if fc <= fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = f(c)
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = f(d)
    return (a + b) / 2


def _numeric_minimiser(f) -> float:
    """A grid over [0, 1] (every 1/2000, ends included), then golden section around the
    best grid point: robust to a minimiser at an end and to a flat region elsewhere."""
    grid = np.linspace(0.0, 1.0, 2001)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.nan_to_num(np.asarray(f(grid), dtype=np.float64), nan=np.inf)
    best = int(np.argmin(values))
    if best in (0, grid.size - 1):
        return float(grid[best])
    lo, hi = float(grid[best - 1]), float(grid[best + 1])
    return _golden_section(lambda q: float(f(q)), lo, hi)


def target_minimiser(name: str, p: float) -> float:
    """Where L(p, q) itself, the loss *with the soft target p* that the race trains on, is
    smallest. Cross-entropy, squared error and focal are linear in the target up to a
    constant, so this is the expected-loss minimiser; absolute error |q − p| is not
    (its soft-target minimum is q = p, its hard-label one 0 or 1).

    >>> target_minimiser("absolute_error", 0.8), round(target_minimiser("focal", 0.8), 3)
    (0.8, 0.627)
    """
    p = _check(name, p)
    if name == "focal":
        return expected_loss_minimiser(name, p).q_low
    if BINARY_LOSSES[name].proper or name == "absolute_error":
        return p
    value = BINARY_LOSSES[name].value  # another registered loss: a numeric search
    return _numeric_minimiser(lambda q: value(p, q))


def expected_loss_minimiser(name: str, p: float) -> Minimiser:
    """Where the expected loss under p is smallest, closed form when there is one.

    Cross-entropy and squared error: q = p. Absolute error: E = p + q (1 − 2p), linear in
    q, so q = 1 for p > ½, q = 0 for p < ½ and every q at p = ½. Focal (γ = 2): a numeric
    search (q = p only at p ∈ {0, ½, 1}, by symmetry and at the ends). Any other registered
    loss: the search, and ``proper`` as its entry declares.

    >>> m = expected_loss_minimiser("absolute_error", 0.5)
    >>> (m.q_low, m.q_high, m.unique)
    (0.0, 1.0, False)
    """
    p = _check(name, p)
    closed = True
    proper = BINARY_LOSSES[name].proper
    if proper:
        low = high = p
    elif name == "absolute_error":
        low, high = (0.0, 1.0) if p == 0.5 else ((1.0, 1.0) if p > 0.5 else (0.0, 0.0))
    elif name == "focal" and p in (0.0, 0.5, 1.0):
        low = high = p
    else:
        low = high = _numeric_minimiser(lambda q: expected_loss(name, p, q))
        closed = False
    return Minimiser(
        loss_name=name,
        p=p,
        q_low=low,
        q_high=high,
        expected_loss=float(expected_loss(name, p, low)),
        proper=proper,
        closed_form=closed,
    )


# --- when a gradient step settles ------------------------------------------------------------


def goal_curvature(name: str, p: float) -> float | None:
    """∂²L/∂z² at the loss's own minimum z* = logit(goal) (``target_minimiser``): how fast the
    push grows as the logit moves off its goal. None for a loss with a kink there
    (absolute error: its push is ±q(1 − q), not 0, on either side of p). 0 at a goal of 0
    or 1 (z* = ∓∞, where the push flattens out).

    Cross-entropy: p(1 − p); squared error: 2 (p(1 − p))²; others: a central difference of
    ``grad_logit`` at z*.

    >>> goal_curvature("cross_entropy", 0.9), goal_curvature("absolute_error", 0.9)
    (0.08999999999999998, None)
    """
    p = _check(name, p)
    if name == "absolute_error":
        return None
    goal = target_minimiser(name, p)
    if goal in (0.0, 1.0):
        return 0.0
    if name == "cross_entropy":
        return p * (1 - p)
    if name == "squared_error":
        return 2 * (p * (1 - p)) ** 2
    z = math.log(goal) - math.log1p(-goal)
    h = 1e-4
    grad = BINARY_LOSSES[name].grad_logit
    return float((grad(p, z + h) - grad(p, z - h)) / (2 * h))


def step_factor(name: str, p: float, lr):
    """1 − η · ∂²L/∂z² at the goal: near it, one step z ← z − η ∂L/∂z multiplies the
    logit's distance from the goal by about this. Below 1 in size the runs settle; above 1
    each step overshoots by more than it corrects, and q never settles at the goal
    (it cycles around it). None where ``goal_curvature`` is None. Elementwise in ``lr``.

    >>> round(float(step_factor("cross_entropy", 0.9, 30.0)), 6)  # 1 − 30 · 0.09
    -1.7
    """
    curvature = goal_curvature(name, p)
    if curvature is None:
        return None
    return 1 - np.asarray(lr, dtype=np.float64) * curvature
