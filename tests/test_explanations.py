"""Every number in every sentence of xent.explanations, parsed back and recomputed.

References are plain numpy/scipy written here (a hand-stepped neuron, scipy.special's
log_softmax and entropy, logits stepped by hand), never xent's own functions. Claimed
equalities must hold at the precision shown, sums shown must add up as shown, and
conditional notes must appear exactly when their condition holds.
"""

from __future__ import annotations

import itertools
import math
import re
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax
from scipy.stats import entropy as scipy_entropy

from xent import explanations as ex
from xent.lessons.multiclass import logit_race_run
from xent.scoring import expected_loss_minimiser
from xent.training import race_phases, train_neuron, train_softmax_regression

NUMBER = r"−?(?:\d+(?:\.\d+)?(?:e−?\d+)?|∞)"


def num(s: str) -> float:
    return float(s.replace("−", "-").replace("∞", "inf"))


def sig(x: float, digits: int = 3) -> float:
    """x rounded to ``digits`` significant figures, independently of ex.fmt_sig."""
    return float(f"{x:.{digits - 1}e}")


def numbers(text: str) -> list[float]:
    return [num(m) for m in re.findall(NUMBER, text)]


# --- formats -----------------------------------------------------------------------------


@given(x=st.floats(-1e12, 1e12))
def test_fmt_sig_keeps_three_significant_figures(x):
    shown = ex.fmt_sig(x)
    assert re.fullmatch(NUMBER, shown)
    assert num(shown) == (0.0 if x == 0 else sig(x))


@given(x=st.floats(-1e6, 1e6))
def test_fmt_never_hides_a_nonzero_value(x):
    shown = ex.fmt(x)
    if x != 0:
        assert num(shown) != 0
    if abs(x) >= 0.01:
        assert num(shown) == pytest.approx(x, abs=0.005 + 1e-12)


# --- the race ------------------------------------------------------------------------------


def _hand_race(p, q0, lr, steps, loss):
    w, qs = math.log(q0 / (1 - q0)), []
    for _ in range(steps + 1):
        q = 1 / (1 + math.exp(-w))
        qs.append(q)
        w -= lr * ((q - p) if loss == "cross_entropy" else 2 * (q - p) * q * (1 - q))
    return qs


def _n_steps(n: int) -> str:
    """'1 step' or 'n steps', written here apart from the code's own helper."""
    return "1 step" if n == 1 else f"{n} steps"


@given(
    p=st.sampled_from([0.5, 0.8, 1.0, 0.0]) | st.floats(0, 1),
    q0=st.floats(0.001, 0.999),
    lr=st.floats(0.1, 4.0),
    loss=st.sampled_from(["cross_entropy", "squared_error"]),
)
@example(p=1.0, q0=0.01, lr=1.0, loss="squared_error")
@example(p=0.5, q0=0.2, lr=4.0, loss="cross_entropy")
@example(p=0.5, q0=0.2, lr=0.3, loss="squared_error")
def test_race_reading_counts_the_hand_stepped_phases(p, q0, lr, loss):
    steps, tol = 120, 0.05
    traj = train_neuron([1.0], p, [math.log(q0 / (1 - q0))], lr=lr, steps=steps, loss=loss)
    assume(not traj.diverged[0])
    qs = _hand_race(p, q0, lr, steps, loss)
    assume(all(abs(q - 0.5) > 1e-9 and abs(abs(q - p) - tol) > 1e-9 for q in qs))
    row = ex.race_rows(["the loss"], race_phases(traj, p, tol=tol), p, steps)[0]
    text = ex.race_reading(row)
    right = [p == 0.5 or (q - 0.5) * (p - 0.5) > 0 or abs(q - p) <= tol for q in qs]
    escape = right.index(True) if any(right) else -1
    if escape < 0:
        assert "never crosses ½" in text
        assert f"{steps} steps" in text
        return
    # arrival is settling: the first step from which every later state is within tol
    arrival = next(
        (s for s in range(escape, steps + 1) if all(abs(q - p) <= tol for q in qs[s:])), -1
    )
    if p == 0.5:
        assert "no wrong side" in text
    elif escape == 0:
        assert "starts on the right side of ½ (0 steps to escape)" in text
    else:
        assert f"takes {_n_steps(escape)} to escape" in text
    within = re.search(rf"within ({NUMBER}) of p = ({NUMBER})", text)
    assert num(within.group(1)) == pytest.approx(tol, rel=5e-4)
    assert num(within.group(2)) == pytest.approx(p, rel=5e-4, abs=1e-12)
    if p == 0.5 and arrival >= 0:
        assert f"approach: {_n_steps(arrival)} to settle" in text
    elif p == 0.5:
        assert f"and in {steps} steps it does not settle" in text
    elif arrival < 0:
        assert f"in the {_n_steps(steps - escape)} left does not settle" in text
    else:
        assert f"then {arrival - escape} more" in text
        assert f": {arrival} in all." in text
    wrong_way = -np.sign(qs[0] - p)
    overshoot = (
        any(np.sign(q - p) == wrong_way and abs(q - p) > tol for q in qs[escape:]) and qs[0] != p
    )
    assert ("overshooting" in text) == overshoot


def test_race_ratio_at_the_issue_defaults():
    rows = []
    for loss in ("cross_entropy", "squared_error"):
        traj = train_neuron([1.0], 1.0, [math.log(0.01 / 0.99)], lr=1.0, steps=300, loss=loss)
        rows += ex.race_rows([loss], race_phases(traj, 1.0, tol=0.05), 1.0, 300)
    text = ex.race_ratio_reading(*rows)
    assert "(59 vs 6)" in text
    assert f"{59 / 6:.1f}×" in text
    rows[0] = ex.RaceRow(**{**rows[0].__dict__, "escape": 0})
    assert ex.race_ratio_reading(*rows) is None


@given(p=st.floats(0, 1), q=st.floats(0.001, 0.999))
def test_slow_near_target_only_near_the_ends_and_with_right_numbers(p, q):
    text = ex.slow_near_target_reading(p, q)
    near_end = min(q, 1 - q) <= 0.15 + 1e-12
    shown = (p <= 0.1 or p >= 0.9) and (q - 0.5) * (p - 0.5) > 0 and q != p and near_end
    assert (text is not None) == shown
    if text:
        se, q_shown, ce = numbers(text.split("= ", 1)[1])[:3]
        slope = num(re.search(rf"q \(1 − q\) = ({NUMBER}) is small", text).group(1))
        assert slope == sig(q * (1 - q))
        assert slope <= 0.128  # "small again": about half its 0.25 at ½ or less (0.1275 shown)
        assert se == sig(2 * (q - p) * q * (1 - q))
        assert q_shown == pytest.approx(q, abs=0.005 + 1e-9)
        assert ce == sig(q - p)
        assert abs(se) < abs(ce)  # the claim "slow": its step is smaller


# --- proper scoring --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["cross_entropy", "squared_error", "absolute_error", "focal"])
@given(p=st.sampled_from([0.0, 0.5, 1.0]) | st.floats(0, 1))
def test_scoring_reading_names_the_right_minimiser(name, p):
    text = ex.scoring_reading(name, expected_loss_minimiser(name, p))
    proper = name in ("cross_entropy", "squared_error")
    assert ("Not a proper scoring rule" in text) == (not proper)
    assert ("A proper scoring rule" in text) == proper
    grid = np.linspace(0, 1, 100001)
    with np.errstate(divide="ignore", invalid="ignore"):
        if name == "focal":
            values = -(p * (1 - grid) ** 2 * np.log(grid)) - (1 - p) * grid**2 * np.log1p(-grid)
            values = np.nan_to_num(values, nan=np.inf)
        elif name == "absolute_error":
            values = p * (1 - grid) + (1 - p) * grid
        else:
            values = p * (1 - grid) ** 2 + (1 - p) * grid**2  # both proper: also at p
    argmins = grid[values <= values.min() + 1e-12]
    if "every q from" in text:
        assert argmins[0] == 0.0
        assert argmins[-1] == 1.0
    else:
        q_shown = numbers(text.split("smallest at q = ")[1])[0]
        assert q_shown == pytest.approx(float(np.median(argmins)), abs=0.005 + 1e-4)
    if name == "focal":
        assert "class imbalance" in text


def test_units_note_names_the_losses_in_nats():
    assert ex.units_note(["squared_error", "absolute_error"]) == ""
    assert ex.units_note(["focal"]) == "(focal in nats)"
    assert ex.units_note(["cross_entropy", "focal"]) == "(cross-entropy and focal in nats)"


# --- L = H + KL ------------------------------------------------------------------------------


@given(
    p=st.lists(st.floats(0, 1), min_size=2, max_size=4).filter(lambda v: sum(v) > 0.1),
    q=st.lists(st.floats(1e-6, 1), min_size=4, max_size=4),
)
def test_decomposition_adds_up_as_displayed(p, q):
    p = np.array(p) / sum(p)
    q = np.array(q[: p.size]) / sum(q[: p.size])
    h = float(scipy_entropy(p))
    kl = float(scipy_entropy(p, q))
    ce = h + kl
    _, text = ex.decomposition(ce, h, kl)
    shown = re.search(rf"({NUMBER}) (=|≈) ({NUMBER}) \+ ({NUMBER})", text)
    total, sign, h_s, kl_s = shown.group(1), shown.group(2), shown.group(3), shown.group(4)
    decimals = len(total.split(".")[1])
    for s, v in ((total, ce), (h_s, h), (kl_s, kl)):
        assert len(s.split(".")[1]) == decimals
        assert num(s) == pytest.approx(v, abs=0.5 * 10**-decimals + 1e-12)
    adds = Decimal(h_s.replace("−", "-")) + Decimal(kl_s.replace("−", "-")) == Decimal(
        total.replace("−", "-")
    )
    assert adds == (sign == "=")


def test_decomposition_with_infinite_kl():
    _, text = ex.decomposition(math.inf, 0.5, math.inf)
    assert text.startswith("L = H + KL: ∞ = 0.50 + ∞")


# --- bits, log-sum-exp, sampler ------------------------------------------------------------


@given(p=st.sampled_from([0.0, 0.2, 1.0]) | st.floats(0, 1))
def test_entropy_in_nats_and_bits(p):
    text = ex.entropy_units_reading(p)
    nats = float(scipy_entropy([p, 1 - p]))
    bits = float(scipy_entropy([p, 1 - p], base=2))
    shown_nats = num(re.search(rf"= ({NUMBER}) nats", text).group(1))
    shown_bits = num(re.search(rf"= ({NUMBER}) bits", text).group(1))
    assert shown_nats == pytest.approx(nats, abs=0.005)
    assert shown_bits == pytest.approx(bits, abs=0.005)
    assert ("certain" in text) == (nats == 0)
    if p == 0.2:
        assert "0.50 nats = 0.72 bits" in text


@given(
    z=st.lists(
        st.floats(-2000, 2000) | st.sampled_from([1000.0, -1000.0, 0.0]), min_size=2, max_size=4
    )
)
@example(z=[1000.0, 0.0, -1000.0])
def test_log_softmax_reading_claims_only_what_happens(z):
    c = ex.log_softmax_comparison(z)  # runs under -W error: no numpy warning may leak
    text = ex.log_softmax_reading(c)
    reference = log_softmax(np.array(z))
    assert np.allclose(c.stable, reference, rtol=1e-12, atol=1e-9)
    overflow = any(v > math.log(np.finfo(float).max) for v in z)
    assert ("overflows to ∞" in text) == overflow
    shown_stable = text.split("gives ")[-1] if "log-sum-exp form" in text else text.split("= ")[-1]
    values = numbers(shown_stable.split(")")[0])
    assert values == [num(ex.fmt(v)) for v in reference]


# --- multiclass ------------------------------------------------------------------------------


@given(q=st.floats(1e-8, 1.0))
def test_logit_slope_numbers(q):
    text = ex.logit_slope_reading("Gorilla", q)
    shown = re.findall(rf"= ({NUMBER})", text)
    q_s, slope, step = (num(s) for s in shown)
    # the slope and the step are the model's own, to 3 significant figures ...
    assert slope == sig(-1 / q)
    assert step == (0.0 if q == 1 else sig(q - 1))
    # ... and Q is q rounded to the decimals it shows, at which both equalities hold as shown
    if "e" not in shown[0]:
        places = len(shown[0].split(".")[1]) if "." in shown[0] else 0
        assert abs(q_s - q) <= 0.5 * 10**-places * (1 + 1e-9)
    assert slope == sig(-1 / q_s)
    assert step == (0.0 if q_s == 1 else sig(q_s - 1))
    assert abs(step) <= 1


def _hand_logits(z, t, lr, steps, loss):
    z = np.array(z, float)
    for _ in range(steps):
        e = np.exp(z - z.max())
        q = e / e.sum()
        g = q - t if loss == "ce" else (np.diag(q) - np.outer(q, q)) @ (2 * (q - t))
        z = z - lr * g
    e = np.exp(z - z.max())
    return e / e.sum()


@given(
    z=st.lists(st.floats(-6, 6), min_size=3, max_size=3),
    true=st.integers(0, 2),
    lr=st.floats(0.1, 3),
    steps=st.integers(1, 40),
)
@example(z=[4.0, -2.0, 0.0], true=1, lr=1.0, steps=30)
def test_logit_race_against_hand_stepped_logits(z, true, lr, steps):
    t = np.eye(3)[true]
    race = logit_race_run(tuple(z), true, lr, steps).race  # what the page reads
    ce = _hand_logits(z, t, lr, steps, "ce")[true]
    se = _hand_logits(z, t, lr, steps, "se")[true]
    text = ex.logit_race_reading(race, "Gorilla")
    shown = re.search(rf"to ({NUMBER}), squared error to ({NUMBER})", text)
    assert num(shown.group(1)) == pytest.approx(ce, abs=0.0005 + 1e-9)
    assert num(shown.group(2)) == pytest.approx(se, abs=0.0005 + 1e-9)
    start = np.exp(np.array(z) - max(z))
    start = start[true] / start.sum()
    why = se < ce and shown.group(1) != shown.group(2) and start < 0.1
    assert ("tiny while" in text) == why
    if z == [4.0, -2.0, 0.0] and steps == 30 and lr == 1.0:
        assert (shown.group(1), shown.group(2)) == ("0.976", "0.057")


@given(
    acc=st.lists(st.sampled_from([0.25, 0.5, 0.75, 1.0]), min_size=2, max_size=30),
    data=st.data(),
)
def test_accuracy_vs_loss_counts(acc, data):
    loss = data.draw(st.lists(st.floats(0.01, 3), min_size=len(acc), max_size=len(acc)))
    text = ex.accuracy_vs_loss_reading(acc, loss)
    falls = sum(b < a for a, b in itertools.pairwise(loss))
    jumps = sum(b != a for a, b in itertools.pairwise(acc))
    assert f"fell on {falls} of them" in text
    assert re.search(rf"changed on (only )?{jumps}\.", text)
    assert ("only" in text) == (jumps < falls)
    assert f"from {ex.fmt(100 * acc[0], 0)}%" in text
    assert ("learning rate is too large" in text) == (loss[-1] > loss[0])


def test_a_rising_loss_is_read_as_a_learning_rate_too_large_on_a_real_run():
    """/multiclass?k=10&rlr=30&rsteps=349&z1=4.4 (found in review): softmax regression with
    η = 30 ends far above its start, and the reading says so instead of only "we descend it";
    with η = 0.1 the same data's loss falls and the reading does not say it."""
    rng = np.random.default_rng(1)
    X = np.concatenate([rng.normal(c, 1.0, (20, 2)) for c in ((0, 0), (3, 0), (0, 3))])
    labels = np.repeat(np.arange(3), 20)
    Xb = np.hstack([X, np.ones((60, 1))])
    for lr, rises in ((30.0, True), (0.1, False)):
        W, acc, loss = np.zeros((3, 3)), [], []
        for _ in range(60):  # plain gradient descent on the mean cross-entropy, by hand
            Z = Xb @ W
            acc.append(float(np.mean(Z.argmax(1) == labels)))
            loss.append(float(np.mean(-log_softmax(Z, axis=1)[np.arange(60), labels])))
            G = np.exp(log_softmax(Z, axis=1))
            G[np.arange(60), labels] -= 1
            W -= lr * Xb.T @ G / 60
        assert (loss[-1] > loss[0]) == rises
        text = ex.accuracy_vs_loss_reading(acc, loss)
        assert ("learning rate is too large" in text) == rises


@pytest.mark.parametrize("p", [0.5, 0.8, 0.9])
def test_race_measures_each_loss_toward_its_own_minimiser(p):
    names = ["cross_entropy", "squared_error", "absolute_error", "focal"]
    rows = ex.race(names, names, p=p, q0=0.01, lr=1.0, steps=400, tol=0.05)
    by_name = {r.label: r for r in rows}
    assert by_name["cross_entropy"].goal == p
    assert by_name["squared_error"].goal == p
    # focal's goal: scipy's minimiser of the written-out expected loss
    ref = minimize_scalar(
        lambda q: -(p * (1 - q) ** 2 * np.log(q)) - (1 - p) * q**2 * np.log1p(-q),
        bounds=(1e-9, 1 - 1e-9),
        method="bounded",
        options={"xatol": 1e-12},
    )
    assert by_name["focal"].goal == pytest.approx(0.5 if p == 0.5 else ref.x, abs=1e-6)
    # trained on the soft target p, |q - p| is smallest at q = p (hard labels differ)
    assert by_name["absolute_error"].goal == p
    if p != 0.5:
        assert "where this loss is smallest (not p" in ex.race_reading(by_name["focal"])


def test_accuracy_is_flat_where_the_loss_is_not_on_a_real_softmax_regression():
    """The reading's claim, checked on a real run: nudging any weight by 1e-6 changes the
    mean loss but (at almost every step) not the accuracy, computed here by hand."""
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(c, 1.0, (30, 2)) for c in ((0, 0), (3, 0), (0, 3))])
    labels = np.repeat(np.arange(3), 30)
    traj = train_softmax_regression(X, labels, lr=0.3, steps=60)
    Xb = np.hstack([X, np.ones((90, 1))])

    def acc_and_loss(W):
        Z = Xb @ W
        return np.mean(Z.argmax(1) == labels), float(
            np.mean(-log_softmax(Z, axis=1)[np.arange(90), labels])
        )

    flat = moved = 0
    # step 0 is W = 0, where every logit ties and any nudge flips the argmax: skip it
    for W in np.asarray(traj.weights)[1:, 0]:
        a0, l0 = acc_and_loss(W)
        for idx in np.ndindex(W.shape):
            Wh = W.copy()
            Wh[idx] += 1e-6
            a1, l1 = acc_and_loss(Wh)
            flat += a1 == a0
            moved += l1 != l0
    total = (len(traj.weights) - 1) * traj.weights.shape[-1] * traj.weights.shape[-2]
    assert flat >= 0.99 * total
    assert moved >= 0.99 * total
    accs = [acc_and_loss(W)[0] for W in np.asarray(traj.weights)[:, 0]]
    text = ex.accuracy_vs_loss_reading(accs, np.asarray(traj.loss)[:, 0])
    assert f"changed on only {int(np.count_nonzero(np.diff(accs)))}." in text
