"""The Multiclass lesson's readings and frames (xent.lessons.multiclass), recomputed by hand.

References are plain numpy/scipy written here: softmax, the smoothed target and its entropy,
logits stepped by hand with each loss, a softmax regression's accuracy and mean loss from its
weights, log(softmax) in both forms. Settings are drawn at random (hypothesis), so a
sentence has to be true at every setting a URL can produce, not only at the defaults.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.special import log_softmax, logsumexp
from scipy.special import softmax as sp_softmax
from scipy.stats import entropy

from xent import frames
from xent.data import CLASS_NAMES
from xent.explanations import log_softmax_comparison
from xent.lessons import multiclass as lesson
from xent.ui.widgets import LR_OPTIONS

NUMBER = r"−?(?:\d+(?:\.\d+)?(?:e−?\d+)?|∞|undefined)"


def num(s: str) -> float:
    return float(s.replace("−", "-").replace("∞", "inf").replace("undefined", "nan"))


def close(shown: str, x: float, decimals: int = 2) -> bool:
    """``shown`` is x at ``decimals`` decimals (or at one fewer significant figure below)."""
    v = num(shown)
    if not np.isfinite(x) or not np.isfinite(v):
        return (np.isnan(x) and np.isnan(v)) or v == x
    return abs(v - x) <= 0.51 * 10**-decimals or abs(v - x) <= 0.06 * abs(x)


def softmax(z) -> np.ndarray:
    z = np.asarray(z, float)
    e = np.exp(z - z.max())
    return e / e.sum()


def smoothed(k: int, true: int, eps: float) -> np.ndarray:
    return np.where(np.arange(k) == true, 1 - eps + eps / k, eps / k)


logits = st.integers(2, 10).flatmap(
    lambda k: st.lists(st.floats(-6, 6).map(lambda x: round(x, 1)), min_size=k, max_size=k)
)
epsilons = st.integers(0, 50).map(lambda i: i / 100)


# --- softmax, the target, the loss -----------------------------------------------------------


@given(z=logits, data=st.data(), eps=epsilons)
def test_bars_nll_and_grad_readings_match_numpy(z, data, eps):
    k = len(z)
    y = data.draw(st.integers(0, k - 1))
    labels = CLASS_NAMES[:k]
    Q, t = softmax(z), smoothed(k, y, eps)
    view = frames.softmax_view(tuple(z), y, labels, eps)

    bars = lesson.bars_reading(view.at.Q, view.at.t, y, labels)
    q_shown, t_shown = re.search(rf"Q = ({NUMBER}); the target puts ({NUMBER})", bars).groups()
    assert close(q_shown, Q[y])
    assert close(t_shown, t[y])
    top = int(np.argmax(Q))
    tied = [k for k in range(k) if round(Q[k], 2) == round(Q[top], 2)]  # as shown
    if len(tied) > 1:
        assert f"a tie between {' and '.join(labels[j] for j in tied)}" in bars
    else:
        assert ("Its top guess is right." in bars) == (top == y)
    if top != y and len(tied) == 1:
        assert f"Its top guess is {labels[top]} (" in bars

    nll = lesson.nll_reading(view.at.q_true, view.at.L, eps, labels[y])
    if eps > 0:
        L = re.search(rf"L = −Σ t log Q = ({NUMBER}) nats", nll).group(1)
        assert close(L, -(t * log_softmax(np.asarray(z, float))).sum())
        assert "slope" not in nll  # the Q − 1 step holds for a one-hot target only
        assert "would pay ∞" in nll  # smoothed: a sure model pays ∞, not 0
        assert "would pay 0" not in nll
    else:
        shown = re.search(rf"= −log ({NUMBER}) = ({NUMBER}) nats", nll).groups()
        assert close(shown[0], Q[y])
        assert close(shown[1], -np.log(Q[y]))
        # the equality holds as printed: −log of the shown Q rounds to the shown L
        if Q[y] > 0:
            assert abs(-np.log(float(shown[0].replace("−", "-"))) - float(shown[1])) <= 0.005
        assert "slope −1/Q" in nll

    grad = lesson.grad_reading(view.at.grad, labels)
    shown = re.findall(r"(\w+) ([+−](?:\d+(?:\.\d+)?(?:e−?\d+)?))", grad.split(":", 1)[1])
    assert [name for name, _ in shown] == list(labels[:5])
    for (_, g), expected in zip(shown, Q - t, strict=False):
        assert close(g.replace("+", ""), expected)


@given(k=st.integers(2, 10), eps=epsilons, y=st.integers(0, 9))
def test_smoothing_reading_puts_the_minimum_of_the_loss_at_the_smoothed_target(k, eps, y):
    y = y % k
    text = lesson.smoothing_reading(lesson.smoothed_target(k, eps), "Gorilla")
    t = smoothed(k, y, eps)
    if eps == 0:
        assert "one-hot" in text
        assert "no finite logits reach" in text
        # L keeps falling as the true logit grows: no finite minimum
        z = np.zeros(k)
        losses = []
        for big in (1.0, 10.0, 30.0):
            z[y] = big
            losses.append(-log_softmax(z)[y])
        assert losses[0] > losses[1] > losses[2] > 0
        return
    t_true, t_other, h = (
        num(x)
        for x in re.search(
            rf"= ({NUMBER}) and every other class ε/K = ({NUMBER})\. .* L = H\(t\) = ({NUMBER}) "
            "nats",
            text,
        ).groups()
    )
    assert close(str(t_true), t[y], 3)
    assert close(str(t_other), t[(y + 1) % k], 3)
    assert close(str(h), entropy(t), 3)
    # the claim: L(Q) = −Σ t log Q is smallest at Q = t (reached by z = log t, where Q − t = 0)
    z_star = np.log(t)
    assert np.allclose(sp_softmax(z_star) - t, 0, atol=1e-12)
    L_star = -(t * log_softmax(z_star)).sum()
    assert L_star == pytest.approx(entropy(t))
    rng = np.random.default_rng(k)
    for z in rng.normal(0, 3, (50, k)):
        assert -(t * log_softmax(z)).sum() >= L_star - 1e-12
    one_hot = np.where(np.arange(k) == y, 30.0, 0.0)  # almost one-hot
    assert -(t * log_softmax(one_hot)).sum() > L_star


# --- cross-entropy vs squared error on the logits ---------------------------------------------


def descend_by_hand(z0, y: int, loss: str, lr: float, steps: int) -> np.ndarray:
    """Q(true) at every step, logits stepped by hand."""
    z, t = np.array(z0, float), np.eye(len(z0))[y]
    out = [softmax(z)[y]]
    for _ in range(steps):
        q = softmax(z)
        jacobian = np.diag(q) - np.outer(q, q)  # of the softmax
        # cross-entropy: dL/dz = Q − t; squared error L = Σ (Q − t)²: dL/dz = Jᵀ 2 (Q − t)
        grad = q - t if loss == "cross-entropy" else jacobian.T @ (2 * (q - t))
        z = z - lr * grad
        out.append(softmax(z)[y])
    return np.array(out)


@given(
    z=logits,
    data=st.data(),
    lr=st.sampled_from(LR_OPTIONS[:6]),
    steps=st.integers(1, 80),
    eps=epsilons,
)
def test_the_race_chart_and_reading_match_a_hand_written_descent(z, data, lr, steps, eps):
    y = data.draw(st.integers(0, len(z) - 1))
    run = lesson.logit_race_run(tuple(z), y, lr, steps)
    for series in ("cross-entropy", "squared error"):
        shown = run.q_true[run.q_true["series"] == series]
        assert shown["step"].tolist() == list(range(steps + 1))
        np.testing.assert_allclose(
            shown["value"], descend_by_hand(z, y, series, lr, steps), rtol=1e-7, atol=1e-9
        )
    text = lesson.logit_race_reading(run, "Gorilla", eps)
    ce, se = re.search(rf"to ({NUMBER}), squared error to ({NUMBER})\.", text).groups()
    assert close(ce, descend_by_hand(z, y, "cross-entropy", lr, steps)[-1], 3)
    assert close(se, descend_by_hand(z, y, "squared error", lr, steps)[-1], 3)
    assert ("without label smoothing" in text) == (eps > 0)


def test_the_confident_mistake_of_the_issue_is_on_the_chart():
    run = lesson.logit_race_run((4.0, -2.0, 0.0), 1, 1.0, 30)
    end = run.q_true[run.q_true["step"] == 30].set_index("series")["value"]
    assert end["cross-entropy"] == pytest.approx(0.976, abs=1e-3)
    assert end["squared error"] == pytest.approx(0.057, abs=1e-3)


# --- softmax regression: accuracy vs loss -----------------------------------------------------


def by_hand(X, labels, W):
    """Accuracy and mean cross-entropy of weights W (d + 1, K) on the points, in numpy."""
    Z = np.hstack([X, np.ones((len(X), 1))]) @ W
    mean_loss = np.mean(logsumexp(Z, axis=1) - Z[np.arange(len(X)), labels])
    return np.mean(Z.argmax(1) == labels), mean_loss


@given(
    k=st.integers(2, 6),
    n=st.integers(5, 40),
    spread=st.integers(3, 30).map(lambda i: i / 10),
    seed=st.integers(0, 999),
    lr=st.sampled_from(LR_OPTIONS[:6]),
    steps=st.integers(1, 120),
    data=st.data(),
)
def test_accuracy_and_loss_per_step_and_their_reading(k, n, spread, seed, lr, steps, data):
    step = data.draw(st.integers(0, steps))
    names = CLASS_NAMES[:k]
    reg = frames.softmax_regression_run(k, names, n, spread, seed, lr, steps, step, cells=4)
    fit = frames.softmax_regression_fit(k, n, spread, seed, lr, steps)
    X, labels = fit.X, fit.labels
    # each step is gradient descent, written out here: W − η [X, 1]ᵀ (Q − T) / n from W = 0
    # (checked one step at a time: at a large η the run is chaotic, so rounding differences
    # between two implementations would grow without meaning anything)
    Xb = np.hstack([X, np.ones((len(X), 1))])
    T = np.eye(k)[labels]
    W = fit.weights
    assert np.all(W[0] == 0)
    for s in range(steps):
        by_step = W[s] - lr * Xb.T @ (sp_softmax(Xb @ W[s], axis=1) - T) / len(X)
        np.testing.assert_allclose(W[s + 1], by_step, rtol=1e-9, atol=1e-9)
    # accuracy and mean loss of the page, from those weights, in numpy
    acc, loss = np.array([by_hand(X, labels, W[s]) for s in range(steps + 1)]).T
    np.testing.assert_allclose(reg.loss["value"], loss, rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(reg.accuracy["value"], acc)

    text = lesson.regression_reading(reg)
    at, start, pct, count = re.search(
        rf"mean loss ({NUMBER}) nats \(from ({NUMBER}) = log K.*\), (\d+)% of the (\d+) points",
        text,
    ).groups()
    assert close(at, loss[step])
    assert close(start, np.log(k))
    assert int(pct) == round(100 * acc[step])
    assert int(count) == k * n

    text = lesson.accuracy_reading(acc, reg.loss["value"].to_numpy())
    first = re.search(
        rf"from ({NUMBER}) to ({NUMBER}) and fell on (\d+) of them; accuracy went from "
        rf"(\d+)% to (\d+)% and changed on (?:only )?(\d+)\.",
        text,
    ).groups()
    assert close(first[0], loss[0])
    assert close(first[1], loss[-1])
    assert int(first[2]) == np.count_nonzero(np.diff(reg.loss["value"].to_numpy()) < 0)
    assert int(first[3]) == round(100 * acc[0])
    assert int(first[4]) == round(100 * acc[-1])
    assert int(first[5]) == np.count_nonzero(np.diff(acc))
    flat = re.search(
        rf"From step (\d+) to (\d+) accuracy stayed at (\d+)% while the loss fell from "
        rf"({NUMBER}) to ({NUMBER}): .* rose from ({NUMBER}) to ({NUMBER})",
        text,
    )
    if flat:
        a, b = int(flat.group(1)), int(flat.group(2))
        assert b == steps
        assert b > a
        assert np.all(acc[a:] == acc[-1])
        assert a == 0 or acc[a - 1] != acc[a]
        assert int(flat.group(3)) == round(100 * acc[-1])
        assert close(flat.group(4), loss[a])
        assert close(flat.group(5), loss[b])
        assert loss[b] < loss[a]
        # exp(−mean CE) is the geometric mean of Q(true class) over the points
        for shown, s in ((flat.group(6), a), (flat.group(7), b)):
            Z = Xb @ fit.weights[s]
            q_true = sp_softmax(Z, axis=1)[np.arange(len(X)), labels]
            assert close(shown, np.exp(np.mean(np.log(q_true))))
        assert flat.group(6) != flat.group(7)


# --- numerics ---------------------------------------------------------------------------------


@pytest.mark.parametrize("a", lesson.LOGIT_SIZES)
def test_numerics_table_shows_the_naive_and_the_stable_numbers(a):
    z = np.array(lesson.extreme_logits(a))
    with np.errstate(all="ignore"):
        naive = np.log(np.exp(z) / np.exp(z).sum())
    stable = log_softmax(z)
    table = lesson.log_softmax_table(log_softmax_comparison(z))
    naive_col, stable_col = table.columns[2], table.columns[3]
    for shown, x in zip(table[naive_col], naive, strict=True):
        assert close(shown, x)
    for shown, x in zip(table[stable_col], stable, strict=True):
        assert close(shown, x)
        assert np.isfinite(num(shown))
    # where it breaks: exp overflows from a = 710, the log of a rounded 0 from a = 400
    assert np.isfinite(naive).all() == (a < 400)
    assert ("undefined" in table[naive_col].tolist()) == (a >= 710)


def test_the_extreme_preset_breaks_the_naive_form():
    c = log_softmax_comparison(lesson.extreme_logits(1000.0))
    assert c.overflow
    assert c.underflow
    table = lesson.log_softmax_table(c)
    assert table.iloc[:, 2].tolist() == ["undefined", "−∞", "−∞"]
    assert table.iloc[:, 3].tolist() == ["0.00", "−1000.00", "−2000.00"]
