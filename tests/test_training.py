"""Tests for xent.training against independent references.

References used: central finite differences of the mean loss computed with the public
loss functions of ``xent.losses`` (not the engine's own kernels), closed forms (entropy
at the optimum, the softmax Jacobian), steps reproduced by hand, and bounds derived in
the comments.
"""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from xent import (
    BINARY_LOSSES,
    binary_cross_entropy_with_logits,
    entropy,
    sigmoid,
    softmax,
    softmax_cross_entropy_with_integer_labels,
    softmax_cross_entropy_with_logits,
    training,
)
from xent.data import make_blobs
from xent.training import (
    DIVERGENCE_FACTOR,
    MAX_ABS_WEIGHT,
    MAX_STEPS,
    ChainRuleFactors,
    Trajectory,
    accuracy,
    chain_rule_factors,
    descend_logits,
    finite_difference_grad,
    grid_runs,
    predict_neuron,
    predict_proba,
    race_phases,
    softmax_cross_entropy_value_and_grad,
    steps_to_reach,
    train_neuron,
    train_softmax_regression,
)

LOSS_NAMES = sorted(BINARY_LOSSES)


def logit(q: float) -> float:
    return math.log(q / (1 - q))


# --- independent references -------------------------------------------------------------


def mean_binary_loss(name, X, p, w):
    """Mean registry loss at weights w, from probabilities q = σ(Xw) (xent.losses)."""
    y = np.asarray(X) @ np.asarray(w)
    if name == "cross_entropy":  # from the logit, exact for any y
        return float(np.mean(binary_cross_entropy_with_logits(p, y)))
    return float(np.mean(BINARY_LOSSES[name].value(p, sigmoid(y))))


def central_difference(f, w, h=1e-6):
    w = np.asarray(w, dtype=float)
    grad = np.empty_like(w)
    for index in np.ndindex(w.shape):
        e = np.zeros_like(w)
        e[index] = h
        grad[index] = (f(w + e) - f(w - e)) / (2 * h)
    return grad


def one_step_gradient(traj: Trajectory, run: int = 0, lr: float = 1.0) -> np.ndarray:
    """The gradient the engine used for its first step: (w0 - w1) / lr."""
    return (traj.weights[0, run] - traj.weights[1, run]) / lr


# --- gradients against finite differences ----------------------------------------------------


@pytest.mark.parametrize("name", LOSS_NAMES)
def test_neuron_gradient_matches_finite_differences_of_the_mean_loss(name):
    rng = np.random.default_rng(7)
    X = rng.normal(size=(6, 3))
    p = np.array([0.0, 1.0, 0.3, 0.5, 0.9, 0.05])
    for w in rng.normal(size=(5, 3)):
        traj = train_neuron(X, p, w, lr=1.0, steps=1, loss=name)
        expected = central_difference(lambda v: mean_binary_loss(name, X, p, v), w)
        np.testing.assert_allclose(one_step_gradient(traj), expected, rtol=1e-6, atol=1e-9)
        # the recorded loss and gradient norm at step 0 are those of w0
        assert traj.loss[0, 0] == pytest.approx(mean_binary_loss(name, X, p, w), rel=1e-12)
        assert traj.grad_norm[0, 0] == pytest.approx(np.linalg.norm(expected), rel=1e-6)


@pytest.mark.parametrize("name", LOSS_NAMES)
def test_single_example_gradient_matches_registry_grad_logit(name):
    # ∂L/∂w = x · grad_logit(p, y) for one example; y spans saturated logits too.
    x = np.array([1.0, -0.5])
    for y in [-40.0, -6.0, -0.7, 0.0, 0.4, 3.0, 40.0]:
        w = np.array([y, 0.0])
        for p in [0.0, 0.25, 1.0]:
            traj = train_neuron(x, p, w, lr=1.0, steps=1, loss=name)
            expected = x * BINARY_LOSSES[name].grad_logit(p, y)
            np.testing.assert_allclose(one_step_gradient(traj), expected, rtol=1e-9, atol=1e-15)


def test_finite_difference_grad_helper_agrees_with_the_chain_rule():
    x, w = np.array([0.5, -1.5, 2.0]), np.array([0.3, 0.1, -0.2])
    f = chain_rule_factors(x, w, 0.7)
    np.testing.assert_allclose(finite_difference_grad(x, w, 0.7), f.dL_dw, rtol=1e-7)
    for name in LOSS_NAMES:  # and with every loss, against the independent reference
        expected = central_difference(lambda v, name=name: mean_binary_loss(name, x, 0.7, v), w)
        np.testing.assert_allclose(
            finite_difference_grad(x, w, 0.7, loss=name), expected, rtol=1e-6, atol=1e-10
        )


@pytest.mark.parametrize("loss", ["cross_entropy", "squared_error"])
def test_logit_gradient_matches_finite_differences(loss):
    rng = np.random.default_rng(3)
    t = np.array([0.1, 0.0, 0.6, 0.3])

    def value(z):
        if loss == "cross_entropy":
            return float(softmax_cross_entropy_with_logits(t, z))
        return float(np.sum((softmax(z) - t) ** 2))

    for z in rng.normal(scale=2.0, size=(4, 4)):
        traj = descend_logits(t, z, lr=1.0, steps=1, loss=loss)
        np.testing.assert_allclose(
            one_step_gradient(traj), central_difference(value, z), rtol=1e-6, atol=1e-9
        )
        assert traj.loss[0, 0] == pytest.approx(value(z), rel=1e-12)


@pytest.mark.parametrize("loss", ["cross_entropy", "squared_error"])
def test_softmax_regression_gradient_matches_finite_differences(loss):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(7, 2))
    labels = np.array([0, 1, 2, 2, 1, 0, 2])
    W = rng.normal(size=(3, 3))

    def value(W):
        Z = X @ W[:2] + W[2]
        if loss == "cross_entropy":
            return float(np.mean(softmax_cross_entropy_with_integer_labels(labels, Z)))
        return float(np.mean(np.sum((softmax(Z) - np.eye(3)[labels]) ** 2, axis=-1)))

    traj = train_softmax_regression(X, labels, lr=1.0, steps=1, loss=loss, W0=W)
    np.testing.assert_allclose(
        one_step_gradient(traj), central_difference(value, W), rtol=1e-6, atol=1e-9
    )
    assert traj.loss[0, 0] == pytest.approx(value(W), rel=1e-12)


# --- steps reproduced by hand ---------------------------------------------------------------


def test_neuron_steps_reproduced_by_hand():
    # Cross-entropy, x = (1, 2), p = 1, w0 = 0, lr = 0.5: ∂L/∂w = x (σ(x·w) - 1).
    x, lr = (1.0, 2.0), 0.5
    w = [0.0, 0.0]
    rows = [list(w)]
    for _ in range(3):
        q = 1 / (1 + math.exp(-(x[0] * w[0] + x[1] * w[1])))
        w = [w[i] - lr * x[i] * (q - 1.0) for i in range(2)]
        rows.append(list(w))
    traj = train_neuron(list(x), 1.0, [0.0, 0.0], lr=lr, steps=3)
    np.testing.assert_allclose(traj.weights[:, 0], rows, rtol=1e-14)
    q_hand = [1 / (1 + math.exp(-(x[0] * a + x[1] * b))) for a, b in rows]
    np.testing.assert_allclose(traj.prediction[:, 0], q_hand, rtol=1e-14)


def test_data_set_neuron_uses_the_mean_gradient():
    X = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    p = np.array([1.0, 0.0, 0.5])
    traj = train_neuron(X, p, [0.0, 0.0], lr=1.0, steps=1)
    # at w = 0 every q is 1/2: mean of x_i (1/2 - p_i)
    expected = -np.mean(X * (0.5 - p)[:, None], axis=0)
    np.testing.assert_allclose(traj.weights[1, 0], expected, rtol=1e-15)
    assert traj.prediction.shape == (2, 1, 3)


def test_descend_logits_with_cross_entropy_steps_along_softmax_minus_t():
    t = np.array([0.0, 1.0, 0.0])
    lr = 0.7
    traj = descend_logits(t, [2.0, -1.0, 0.5], lr=lr, steps=25)
    z = traj.weights[:, 0]
    for s in range(25):
        np.testing.assert_allclose(z[s + 1] - z[s], -lr * (softmax(z[s]) - t), atol=1e-14)
    np.testing.assert_allclose(traj.prediction[:, 0], softmax(z), atol=1e-15)
    # the mean logit never moves: Σ_k (Q_k - t_k) = 0
    np.testing.assert_allclose(z.mean(axis=1), z[0].mean(), atol=1e-14)
    assert np.all(np.diff(traj.loss[:, 0]) < 0)


def test_descend_logits_squared_error_uses_the_softmax_jacobian():
    t = np.array([1.0, 0.0, 0.0])
    z0 = np.array([-3.0, 2.0, 0.0])
    traj = descend_logits(t, z0, lr=1.0, steps=1, loss="squared_error")
    Q = softmax(z0)
    J = np.diag(Q) - np.outer(Q, Q)
    np.testing.assert_allclose(one_step_gradient(traj), J @ (2 * (Q - t)), rtol=1e-13)


# --- convergence -------------------------------------------------------------------------------


@pytest.mark.parametrize("p", [0.001, 0.01, 0.2, 0.5, 0.77, 0.99, 0.999])
def test_cross_entropy_neuron_converges_to_q_equals_p(p):
    # L(y) has curvature q(1 - q) <= 1/4, so lr = 4 is stable (lr · 1/4 = 1 < 2); near the
    # optimum the error shrinks by (1 - 4 p (1 - p)) per step: e^-20 within 5000 steps
    # even for p = 0.001.
    traj = train_neuron([1.0], p, [[-3.0], [0.0], [3.0]], lr=4.0, steps=MAX_STEPS)
    np.testing.assert_allclose(traj.prediction[-1], p, rtol=1e-7)
    np.testing.assert_allclose(traj.loss[-1], entropy([p, 1 - p]), rtol=1e-12)
    assert not traj.diverged.any()


def test_tol_stops_runs_and_later_rows_repeat():
    traj = train_neuron([1.0], 0.3, [[0.0], [5.0]], lr=[4.0, 0.5], steps=400, tol=1e-6)
    assert traj.converged.all()
    assert not traj.diverged.any()
    assert (traj.steps_taken < 400).all()
    for run in range(2):
        k = traj.steps_taken[run]
        assert traj.grad_norm[k, run] < 1e-6 <= traj.grad_norm[k - 1, run]
        for field in (traj.weights, traj.prediction, traj.loss, traj.grad_norm):
            assert (field[k:, run] == field[k, run]).all()


def test_confidently_wrong_start_squared_error_is_many_times_slower():
    # q0 = 0.001, p = 1, x = (1,), lr = 1, steps until q >= 1/2 (y >= 0).
    # Cross-entropy: y_{k+1} = y_k + (1 - q_k) >= y_k + 1/2 while q_k <= 1/2, so from
    # y0 = log(0.001 / 0.999) = -6.907 it takes at most 14 steps.
    # Squared error: y_{k+1} - y_k = 2 (1 - q_k)^2 q_k <= 2 e^{y_k}, hence
    # e^{-y_{k+1}} >= e^{-y_k} (1 - 2 e^{y_k}) = e^{-y_k} - 2, so e^{-y_k} >= 999 - 2k
    # and y_k < 0 for every k < 499: at least 499 steps. The ratio is at least 499 / 14.
    y0 = logit(0.001)
    runs = {
        name: train_neuron([1.0], 1.0, [y0], lr=1.0, steps=2000, loss=name)
        for name in ("cross_entropy", "squared_error")
    }
    reach = {
        name: int(steps_to_reach(1.0 - traj.prediction, 0.5)[0]) for name, traj in runs.items()
    }
    assert 0 < reach["cross_entropy"] <= 14
    assert reach["squared_error"] >= 499
    assert reach["squared_error"] >= 35 * reach["cross_entropy"]
    # The same race in terms of each loss's own value reaching that of q = 1/2.
    assert steps_to_reach(runs["cross_entropy"], math.log(2))[0] == reach["cross_entropy"]
    assert steps_to_reach(runs["squared_error"], 0.25)[0] == reach["squared_error"]


def test_softmax_regression_on_separated_blobs():
    X, labels = make_blobs(100, k=4, seed=2)
    # Mean cross-entropy is L-smooth with L <= λmax(Xbᵀ Xb) / (2 n) (the softmax Hessian
    # diag(Q) - Q Qᵀ has eigenvalues <= 1/2), so lr = 1 / L decreases the loss every step.
    Xb = np.column_stack([X, np.ones(len(X))])
    smoothness = np.linalg.eigvalsh(Xb.T @ Xb).max() / (2 * len(X))
    traj = train_softmax_regression(X, labels, lr=1.0 / smoothness, steps=300)
    assert float(accuracy(traj.weights[-1, 0], X, labels)) >= 0.95
    assert np.all(np.diff(traj.loss[:, 0]) <= 0)
    assert traj.loss[-1, 0] < 0.2 * traj.loss[0, 0]
    assert traj.loss[0, 0] == pytest.approx(math.log(4))  # W0 = 0: uniform over 4 classes
    assert traj.weights.shape == (301, 1, 3, 4)
    assert traj.prediction.shape == (301, 1, 400, 4)
    np.testing.assert_allclose(traj.prediction[-1, 0], predict_proba(traj.weights[-1, 0], X))


# --- divergence -----------------------------------------------------------------------------


def assert_stopped_cleanly(traj: Trajectory):
    for field in (traj.weights, traj.prediction, traj.loss, traj.grad_norm):
        assert np.isfinite(field).all()
    for run in np.flatnonzero(traj.diverged | traj.converged):
        k = traj.steps_taken[run]
        assert (traj.weights[k:, run] == traj.weights[k, run]).all()
        assert (traj.loss[k:, run] == traj.loss[k, run]).all()


def test_too_large_learning_rate_diverges_with_finite_weights():
    traj = train_neuron([1.0], 0.3, [[0.0], [0.0]], lr=[0.5, 1e3], steps=50)
    assert traj.diverged.tolist() == [False, True]
    assert traj.steps_taken[1] == 1  # one jump to y = -200: L = 60 > 10 (L0 + 1)
    assert traj.loss[1, 1] > DIVERGENCE_FACTOR * (traj.loss[0, 1] + 1)
    assert_stopped_cleanly(traj)

    X, labels = make_blobs(30, k=3, seed=1)
    traj = train_softmax_regression(X, labels, lr=[0.1, 1e4], steps=50)
    assert traj.diverged.tolist() == [False, True]
    assert_stopped_cleanly(traj)

    traj = descend_logits([0.2, 0.5, 0.3], [0.0, 0.0, 0.0], lr=[1.0, 1e4], steps=50)
    assert traj.diverged.tolist() == [False, True]
    assert_stopped_cleanly(traj)


def test_non_finite_step_is_dropped():
    # x = 1.5e154, lr = 10: the first step gives w = 7.5e154 and y = x w = inf (above
    # 1.8e308), where the loss is NaN; the step is dropped, the run keeps w0 and stops.
    traj = train_neuron([1.5e154], 1.0, [0.0], lr=10.0, steps=5)
    assert traj.diverged[0]
    assert traj.steps_taken[0] == 0
    assert (traj.weights == 0).all()
    assert_stopped_cleanly(traj)


def test_weight_bound_counts_as_divergence():
    # Squared error is bounded by 1, so a huge lr shows up in the weights, not the loss.
    traj = train_neuron([1.0], 1.0, [0.0], lr=1e7, steps=10, loss="squared_error")
    assert traj.diverged[0]
    assert traj.steps_taken[0] == 1
    assert abs(traj.weights[1, 0, 0]) > MAX_ABS_WEIGHT
    assert_stopped_cleanly(traj)


# --- batching ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LOSS_NAMES)
def test_batched_runs_equal_runs_one_at_a_time(name):
    rng = np.random.default_rng(11)
    X = rng.normal(size=(5, 2))
    p = rng.uniform(size=5)
    w0 = rng.normal(scale=3.0, size=(6, 2))
    # Stable learning rates and ones that diverge at once: a run that bounces for long at
    # a too-large lr is chaotic and would amplify the last-bit differences that BLAS and
    # SIMD loops make between a batch and a single run (absolute error, whose gradient
    # jumps at q = p, amplifies them to ~1e-10). Mixing runs up would differ by O(1).
    lr = np.array([0.1, 1.0, 3.0, 5.0, 1e5, 1e8])
    batch = train_neuron(X, p, w0, lr=lr, steps=200, loss=name, tol=1e-4)
    for run in range(6):
        one = train_neuron(X, p, w0[run], lr=lr[run], steps=200, loss=name, tol=1e-4)
        for field in ("weights", "prediction", "loss", "grad_norm"):
            np.testing.assert_allclose(
                getattr(batch, field)[:, run], getattr(one, field)[:, 0], rtol=1e-9, atol=1e-12
            )
        for field in ("converged", "diverged", "steps_taken"):
            assert getattr(batch, field)[run] == getattr(one, field)[0]


def test_batched_logits_and_regression_equal_one_at_a_time():
    t = np.array([0.0, 0.0, 1.0])
    z0 = np.array([[0.0, 0.0, 0.0], [5.0, -2.0, -4.0]])
    batch = descend_logits(t, z0, lr=[0.5, 2.0], steps=50, loss="squared_error")
    for run in range(2):
        one = descend_logits(t, z0[run], lr=[0.5, 2.0][run], steps=50, loss="squared_error")
        np.testing.assert_allclose(batch.weights[:, run], one.weights[:, 0], rtol=1e-12)
    X, labels = make_blobs(20, k=3, seed=4)
    batch = train_softmax_regression(X, labels, lr=[0.01, 0.3], steps=40)
    for run, lr in enumerate([0.01, 0.3]):
        one = train_softmax_regression(X, labels, lr=lr, steps=40)
        np.testing.assert_allclose(batch.weights[:, run], one.weights[:, 0], atol=1e-14)
        np.testing.assert_allclose(batch.loss[:, run], one.loss[:, 0], rtol=1e-12)


def test_grid_runs_is_start_major():
    starts = np.array([[-1.0], [0.0], [2.0]])
    w0, lr = grid_runs(starts, [0.1, 1.0])
    traj = train_neuron([1.0], 0.5, w0, lr=lr, steps=3)
    assert traj.runs == 6
    assert traj.weights[0, :, 0].reshape(3, 2).tolist() == [[-1, -1], [0, 0], [2, 2]]
    assert traj.lr.reshape(3, 2).tolist() == [[0.1, 1.0]] * 3


# --- chain rule, predictions, reading ------------------------------------------------------


def test_chain_rule_factors_multiply_to_the_gradient():
    x, w, p = np.array([0.5, -2.0]), np.array([1.0, 0.25]), 0.8
    f = chain_rule_factors(x, w, p)
    assert isinstance(f, ChainRuleFactors)
    assert float(f.y) == pytest.approx(0.0)
    assert float(f.q) == pytest.approx(0.5)
    assert float(f.dq_dy) == pytest.approx(central_difference(lambda y: sigmoid(y), 0.0))
    assert float(f.dL_dq) == pytest.approx(-p / 0.5 + (1 - p) / 0.5)
    np.testing.assert_allclose(f.dL_dq * f.dq_dy * f.dy_dw, f.dL_dw, rtol=1e-14)
    np.testing.assert_allclose(f.dL_dw, x * (0.5 - p), rtol=1e-14)
    expected = central_difference(lambda v: mean_binary_loss("cross_entropy", x, p, v), w)
    np.testing.assert_allclose(f.dL_dw, expected, rtol=1e-7)


def test_chain_rule_factors_saturated_and_batched():
    f = chain_rule_factors([1.0], [800.0], 1.0)  # q rounds to 1
    assert float(f.q) == 1.0
    assert float(f.dL_dq) == -1.0
    assert f.dL_dw.tolist() == [0.0]
    f = chain_rule_factors([1.0], [-800.0], 1.0)  # q = 0: ∂L/∂q = -inf, ∂L/∂w finite
    assert float(f.dL_dq) == -np.inf
    assert f.dL_dw.tolist() == [-1.0]
    traj = train_neuron([1.0, 2.0], 0.3, [0.0, 0.0], lr=0.5, steps=4)
    f = chain_rule_factors([1.0, 2.0], traj.weights[:, 0], 0.3)
    np.testing.assert_allclose(f.q, traj.prediction[:, 0], rtol=1e-14)
    assert f.dL_dw.shape == (5, 2)


def test_predict_neuron_and_predict_proba_match_the_trajectory():
    x = np.array([[1.0, 0.0], [1.0, 3.0]])
    traj = train_neuron(x, [1.0, 0.0], [[0.0, 0.0], [1.0, -1.0]], lr=0.3, steps=5)
    np.testing.assert_allclose(predict_neuron(traj.weights, x), traj.prediction, rtol=1e-13)
    np.testing.assert_allclose(predict_neuron(traj.weights, x), sigmoid(traj.weights @ x.T))
    X, labels = make_blobs(10, k=3, seed=0)
    traj = train_softmax_regression(X, labels, lr=0.5, steps=5)
    W = traj.weights
    np.testing.assert_allclose(predict_proba(W, X), traj.prediction, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(predict_proba(W, X), softmax(X @ W[..., :2, :] + W[..., 2:, :]))
    acc = accuracy(W, X, labels)
    assert acc.shape == (6, 1)
    np.testing.assert_allclose(acc, np.mean(np.argmax(traj.prediction, -1) == labels, -1))


def test_steps_to_reach():
    traj = descend_logits([1, 0], [[0.0, 0.0], [0.0, 5.0]], lr=[1.0, 1e-3], steps=30)
    hit = steps_to_reach(traj, 0.1)
    assert hit.dtype == np.int64
    assert hit.shape == (2,)
    k = hit[0]
    assert traj.loss[k, 0] <= 0.1 < traj.loss[k - 1, 0]
    assert hit[1] == -1
    assert steps_to_reach(traj, np.inf).tolist() == [0, 0]
    assert steps_to_reach(traj, [0.1, 10.0]).tolist() == [k, 0]


def test_trajectory_is_read_only_with_a_runs_axis():
    traj = descend_logits([0.5, 0.5], [1.0, 0.0], lr=0.1, steps=3)
    assert traj.weights.shape == (4, 1, 2)
    assert traj.loss.shape == (4, 1)
    assert traj.steps == 3
    assert traj.runs == 1
    with pytest.raises(ValueError, match="read-only"):
        traj.weights[0, 0, 0] = 1.0
    columns = traj.columns()
    assert list(columns) == [
        "step",
        "loss",
        "grad_norm",
        "weights[0]",
        "weights[1]",
        "prediction[0]",
        "prediction[1]",
    ]
    assert all(len(v) == 4 for v in columns.values())


def test_steps_zero_is_the_start_only():
    traj = train_neuron([1.0], 0.5, [2.0], lr=1.0, steps=0)
    assert traj.weights.shape == (1, 1, 1)
    assert traj.steps_taken.tolist() == [0]


# --- fused softmax cross-entropy ------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fused_softmax_cross_entropy_matches_the_public_functions(dtype):
    rng = np.random.default_rng(0)
    z = (rng.normal(scale=4.0, size=(1000, 7)) + 50.0).astype(dtype)
    z[0] = [1000.0, 1, 2, 3, 4, 5, 6]  # overflows unshifted
    labels = rng.integers(0, 7, size=1000)
    value, grad = softmax_cross_entropy_value_and_grad(labels, z)
    assert value.dtype == dtype
    assert grad.dtype == dtype
    rtol = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(
        value, softmax_cross_entropy_with_integer_labels(labels, z), rtol=rtol, atol=rtol
    )
    t = np.eye(7, dtype=dtype)[labels]
    np.testing.assert_allclose(grad, softmax(z) - t, atol=10 * rtol)
    soft_value, soft_grad = softmax_cross_entropy_value_and_grad(t, z)
    np.testing.assert_allclose(soft_value, value, rtol=rtol, atol=rtol)
    np.testing.assert_allclose(soft_grad, grad, atol=10 * rtol)


def test_fused_softmax_cross_entropy_gradient_by_finite_differences():
    t = np.array([0.2, 0.0, 0.5, 0.3])
    z = np.array([0.3, -1.0, 2.0, 0.0])
    _, grad = softmax_cross_entropy_value_and_grad(t[None], z[None])
    expected = central_difference(lambda v: float(softmax_cross_entropy_with_logits(t, v)), z)
    np.testing.assert_allclose(grad[0], expected, rtol=1e-7, atol=1e-10)


def test_fused_softmax_cross_entropy_in_place_and_chunked():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(5000, 16))
    labels = rng.integers(0, 16, size=5000)
    value, grad = softmax_cross_entropy_value_and_grad(labels, z)
    z2 = z.copy()
    value2, grad2 = softmax_cross_entropy_value_and_grad(labels, z2, out=z2)
    assert grad2 is z2
    np.testing.assert_array_equal(value, value2)
    np.testing.assert_array_equal(grad, grad2)


def test_fused_softmax_cross_entropy_infinite_logits_and_errors():
    z = np.array([[np.inf, 0.0, -np.inf], [0.0, -np.inf, 1.0]])
    value, grad = softmax_cross_entropy_value_and_grad(np.array([0, 2]), z)
    np.testing.assert_allclose(value, [0.0, np.log1p(np.exp(-1.0))])
    assert np.isfinite(grad).all()
    with pytest.raises(ValueError, match="z"):
        softmax_cross_entropy_value_and_grad(np.array([0]), np.array([[np.nan, 0.0]]))
    with pytest.raises(ValueError, match="labels"):
        softmax_cross_entropy_value_and_grad(np.array([2]), np.zeros((1, 2)))
    with pytest.raises(ValueError, match="sum to 1"):
        softmax_cross_entropy_value_and_grad(np.array([[0.5, 0.6]]), np.zeros((1, 2)))
    with pytest.raises(ValueError, match="out"):
        softmax_cross_entropy_value_and_grad(np.array([0]), np.zeros((1, 2)), out=np.zeros(2))


# --- argument checks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"steps": -1}, "steps"),
        ({"steps": MAX_STEPS + 1}, "steps"),
        ({"steps": 2.5}, "steps"),
        ({"lr": 0.0}, "lr"),
        ({"lr": -1.0}, "lr"),
        ({"lr": np.inf}, "lr"),
        ({"lr": np.nan}, "lr"),
        ({"lr": [0.1, 0.2, 0.3]}, "lr"),
        ({"p": 1.5}, "p"),
        ({"p": -0.1}, "p"),
        ({"p": [0.5, 0.5]}, "p"),
        ({"w0": [0.0, 0.0, 0.0]}, "w0"),
        ({"w0": [np.nan, 0.0]}, "w0"),
        ({"w0": [2e6, 0.0]}, "w0"),
        ({"x": [1.0, np.inf]}, "x"),
        ({"loss": "hinge"}, "loss"),
        ({"tol": 0.0}, "tol"),
        ({"tol": np.nan}, "tol"),
    ],
)
def test_train_neuron_rejects_bad_arguments(kwargs, name):
    args = {"x": [1.0, 2.0], "p": 0.5, "w0": [[0.0, 0.0], [1.0, 1.0]], "lr": 0.1, "steps": 5}
    args |= kwargs
    with pytest.raises(ValueError, match=rf"^{name} "):
        train_neuron(args.pop("x"), args.pop("p"), args.pop("w0"), **args)


def test_multiclass_functions_reject_bad_arguments():
    with pytest.raises(ValueError, match=r"^t "):
        descend_logits([0.5, 0.6], [0.0, 0.0], lr=0.1, steps=1)
    with pytest.raises(ValueError, match=r"^t "):
        descend_logits([1.0, 0.0, 0.0], [0.0, 0.0], lr=0.1, steps=1)
    with pytest.raises(ValueError, match=r"^loss "):
        descend_logits([1.0, 0.0], [0.0, 0.0], lr=0.1, steps=1, loss="focal")
    X = np.zeros((4, 2))
    with pytest.raises(ValueError, match=r"^labels "):
        train_softmax_regression(X, [0, 1, 2], lr=0.1, steps=1)
    with pytest.raises(ValueError, match=r"^labels "):
        train_softmax_regression(X, [0, 1, 2, -1], lr=0.1, steps=1)
    with pytest.raises(ValueError, match=r"^labels "):
        train_softmax_regression(X, [0, 1, 2, 3], lr=0.1, steps=1, W0=np.zeros((3, 3)))
    with pytest.raises(ValueError, match=r"^W0 "):
        train_softmax_regression(X, [0, 1, 1, 0], lr=0.1, steps=1, W0=np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"^steps "):
        train_softmax_regression(X, [0, 1, 1, 0], lr=0.1, steps=MAX_STEPS + 1)
    with pytest.raises(ValueError, match=r"^threshold "):
        steps_to_reach(np.zeros((3, 2)), np.nan)
    with pytest.raises(ValueError, match=r"^run "):
        descend_logits([1.0, 0.0], [0.0, 0.0], lr=0.1, steps=1).columns(run=1)


def test_memory_guard_names_steps():
    X = np.zeros((20_000, 2))
    with pytest.raises(ValueError, match="steps"):
        train_softmax_regression(X, np.zeros(20_000, dtype=int), lr=0.1, steps=MAX_STEPS)


@pytest.mark.parametrize("offset", [0.0, 20.0, 31.0, 40.0, 700.0, 1e8, -800.0])
def test_fused_softmax_cross_entropy_shifts_when_it_matters(offset, monkeypatch):
    # Logits with a common offset: unshifted for small ones, shifted for large ones (exp
    # overflow, underflow, or cancellation in log Σ exp z - z_label); small blocks of 3
    # rows mix both paths. The loss does not depend on the offset.
    monkeypatch.setattr("xent.training.FUSED_BLOCK_BYTES", 3 * 5 * 8)
    rng = np.random.default_rng(2)
    base = rng.normal(scale=3.0, size=(20, 5))
    labels = rng.integers(0, 5, size=20)
    z = base + offset
    z[::4] = base[::4]  # every 4th row without the offset
    value, grad = softmax_cross_entropy_value_and_grad(labels, z)
    base = z - np.where(np.arange(20) % 4 == 0, 0.0, offset)[:, None]  # exact (Sterbenz)
    ref_value, ref_grad = softmax_cross_entropy_value_and_grad(labels, base)
    np.testing.assert_allclose(value, ref_value, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grad, ref_grad, atol=1e-12)
    # against the public functions, independently
    np.testing.assert_allclose(ref_value, softmax_cross_entropy_with_integer_labels(labels, base))
    np.testing.assert_allclose(ref_grad, softmax(base) - np.eye(5)[labels], atol=1e-15)


def test_fused_softmax_cross_entropy_float32_large_offset_keeps_log_k():
    # A known trap: float32 logits all equal to 1e8 lose log K when the max is not subtracted.
    z = np.full((4, 10), 1e8, dtype=np.float32)
    value, grad = softmax_cross_entropy_value_and_grad(np.arange(4), z)
    np.testing.assert_allclose(value, np.log(10), rtol=1e-6)
    np.testing.assert_allclose(grad.sum(axis=1), 0, atol=1e-6)


def test_trajectory_pickles_for_the_streamlit_cache():
    traj = train_neuron([1.0, 2.0], 0.3, [[0.0, 0.0], [1.0, 1.0]], lr=[0.1, 0.2], steps=3)
    again = pickle.loads(pickle.dumps(traj))
    assert again.loss_name == "cross_entropy"
    for field in ("weights", "prediction", "loss", "grad_norm", "steps_taken", "lr"):
        np.testing.assert_array_equal(getattr(again, field), getattr(traj, field))
    assert traj == traj
    assert traj != again  # identity, not an elementwise array comparison


# --- race_phases: escaping the mistake, then approaching ----------------------------------
#
# Reference: the one-weight neuron stepped by hand in plain Python floats (x = 1, so
# y = w, and ∂L/∂y is q - p for cross-entropy, 2 (q - p) q (1 - q) for squared error),
# and the phases read off the list of predictions by the definitions in the docstring.


def _hand_race(p, q0, lr, steps, loss):
    w = math.log(q0 / (1 - q0))
    qs = []
    for _ in range(steps + 1):
        q = 1 / (1 + math.exp(-w))
        qs.append(q)
        w -= lr * ((q - p) if loss == "cross_entropy" else 2 * (q - p) * q * (1 - q))
    return qs


def _hand_phases(qs, p, tol, goal):
    def right(q):
        return p == 0.5 or (q - 0.5) * (p - 0.5) > 0 or abs(q - goal) <= tol

    escape = next((s for s, q in enumerate(qs) if right(q)), -1)
    arrival = -1
    if escape >= 0:
        arrival = next((s for s in range(escape, len(qs)) if abs(qs[s] - goal) <= tol), -1)
    return escape, arrival


@given(
    p=st.sampled_from([0.0, 0.1, 0.5, 0.8, 1.0]) | st.floats(0, 1),
    q0=st.floats(0.001, 0.999),
    lr=st.floats(0.05, 5.0),
    tol=st.floats(0.005, 0.2),
    loss=st.sampled_from(["cross_entropy", "squared_error"]),
)
def test_race_phases_match_a_hand_stepped_run(p, q0, lr, tol, loss):
    steps = 150
    w0 = math.log(q0 / (1 - q0))
    traj = train_neuron([1.0], p, [w0], lr=lr, steps=steps, loss=loss)
    assume(not traj.diverged[0])
    qs = _hand_race(p, q0, lr, steps, loss)
    assert np.allclose(traj.prediction[:, 0], qs, atol=1e-9)
    # a prediction within 1e-9 of a boundary could be read either way: skip those
    assume(all(abs(q - 0.5) > 1e-9 and abs(abs(q - p) - tol) > 1e-9 for q in qs))
    ph = race_phases(traj, p, tol=tol)
    escape, arrival = _hand_phases(qs, p, tol, p)
    assert int(ph.escape[0]) == escape
    assert int(ph.arrival[0]) == arrival
    assert int(ph.approach[0]) == (arrival - escape if arrival >= 0 else -1)
    assert bool(ph.started_right[0]) == (escape == 0)


def test_race_phases_at_the_issue_defaults():
    """p = 1, q0 = 0.01, η = 1, tol 0.05: CE 6 + 19, SE 59 + 120 (recomputed by hand)."""
    for loss, expected in (("cross_entropy", (6, 19)), ("squared_error", (59, 120))):
        qs = _hand_race(1.0, 0.01, 1.0, 300, loss)
        assert _hand_phases(qs, 1.0, 0.05, 1.0) == (expected[0], sum(expected))
        traj = train_neuron([1.0], 1.0, [math.log(0.01 / 0.99)], lr=1.0, steps=300, loss=loss)
        ph = race_phases(traj, 1.0, tol=0.05)
        assert (int(ph.escape[0]), int(ph.approach[0])) == expected


def test_race_phases_edge_cases():
    w_wrong = math.log(0.2 / 0.8)  # q0 = 0.2
    # p = 1/2: no wrong side, escape is 0 steps
    ph = race_phases(train_neuron([1.0], 0.5, [w_wrong], lr=1.0, steps=50), 0.5, tol=0.01)
    assert int(ph.escape[0]) == 0
    assert int(ph.arrival[0]) > 0
    # q0 already on the right side
    ph = race_phases(train_neuron([1.0], 0.1, [w_wrong], lr=1.0, steps=50), 0.1, tol=0.01)
    assert bool(ph.started_right[0])
    assert int(ph.escape[0]) == 0
    # never crosses in 3 steps of squared error from a confident mistake
    traj = train_neuron([1.0], 1.0, [math.log(0.01 / 0.99)], lr=1.0, steps=3, loss="squared_error")
    ph = race_phases(traj, 1.0, tol=0.05)
    assert (int(ph.escape[0]), int(ph.arrival[0]), int(ph.approach[0])) == (-1, -1, -1)
    # overshoot: p = 0.6 from q0 = 0.2 with a big step jumps past 0.6 (by hand: q1 = σ(w0 + 8·0.4))
    q1 = 1 / (1 + math.exp(-(w_wrong + 8.0 * 0.4)))
    assert q1 > 0.6 + 0.01
    ph = race_phases(train_neuron([1.0], 0.6, [w_wrong], lr=8.0, steps=20), 0.6, tol=0.01)
    assert bool(ph.overshoot[0])
    ph = race_phases(train_neuron([1.0], 0.6, [w_wrong], lr=0.5, steps=20), 0.6, tol=0.01)
    assert not bool(ph.overshoot[0])


def test_race_phases_toward_a_loss_minimiser():
    """Focal at p = 0.8 settles near 0.627 and never within 0.05 of p; toward 0.627 it arrives."""
    traj = train_neuron([1.0], 0.8, [math.log(0.01 / 0.99)], lr=1.0, steps=400, loss="focal")
    assert int(race_phases(traj, 0.8, tol=0.05).arrival[0]) == -1
    assert int(race_phases(traj, 0.8, tol=0.05, goal=0.627).arrival[0]) > 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"p": 1.5, "tol": 0.1}, "p must be a probability"),
        ({"p": 0.5, "tol": 0.0}, "tol must be"),
        ({"p": 0.5, "tol": 1.0}, "tol must be a number in"),
    ],
)
def test_race_phases_bad_input(kwargs, message):
    traj = train_neuron([1.0], 0.5, [0.0], lr=1.0, steps=2)
    with pytest.raises(ValueError, match=message):
        race_phases(traj, kwargs["p"], tol=kwargs["tol"])


@given(
    p=st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.75, 0.9, 1.0]),
    lr=st.sampled_from([0.01, 0.3, 1.0, 3.0, 30.0, 100.0]),
    loss=st.sampled_from(sorted(BINARY_LOSSES)),
    long_steps=st.integers(1, 120),
    fraction=st.floats(0.0, 1.0),
)
def test_a_shorter_budget_is_the_head_of_a_longer_run(p, lr, loss, long_steps, fraction):
    """Training once at the largest budget and slicing equals training at the smaller one:
    every row, and which runs diverged, converged or stopped within it (the grid's 15
    starts, where η = 30 and 100 make some runs diverge early and others late)."""
    steps = int(fraction * long_steps)
    w0 = np.linspace(-7.0, 7.0, 15)[:, None]
    head = train_neuron([1.0], p, w0, lr=lr, steps=long_steps, loss=loss).head(steps)
    fresh = train_neuron([1.0], p, w0, lr=lr, steps=steps, loss=loss)
    for field in ("weights", "prediction", "loss", "grad_norm"):
        np.testing.assert_array_equal(getattr(head, field), getattr(fresh, field), err_msg=field)
    for field in ("converged", "diverged", "steps_taken", "stopped_at", "lr"):
        np.testing.assert_array_equal(getattr(head, field), getattr(fresh, field), err_msg=field)


def test_head_refuses_a_longer_budget():
    run = train_neuron([1.0], 0.5, [0.0], lr=1.0, steps=5)
    with pytest.raises(ValueError, match=r"steps must be an integer in \[0, 5\]; got 6"):
        run.head(6)


@pytest.mark.parametrize("seed", range(8))
def test_each_run_of_a_batch_over_learning_rates_equals_that_run_trained_alone(seed):
    """The race trains every learning rate in one batch and shows one run of it
    (``Trajectory.run``): for every loss and η that run equals, exactly, the run trained
    alone, stops (divergence at η = 100) included."""
    rng = np.random.default_rng(seed)
    p, q0 = float(rng.uniform(0, 1)), float(rng.uniform(0.001, 0.999))
    z0 = [[float(np.log(q0 / (1 - q0)))]]
    lrs = np.array([0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0])
    steps = int(rng.integers(1, 400))
    for loss in BINARY_LOSSES:
        batch = train_neuron([1.0], p, z0, lr=lrs, steps=steps, loss=loss)
        for i, lr in enumerate(lrs):
            alone = train_neuron([1.0], p, z0, lr=lr, steps=steps, loss=loss)
            one = batch.run(i)
            for field in ("weights", "prediction", "loss", "grad_norm", "lr"):
                np.testing.assert_array_equal(getattr(one, field), getattr(alone, field))
            for field in ("converged", "diverged", "steps_taken", "stopped_at"):
                np.testing.assert_array_equal(getattr(one, field), getattr(alone, field))


def test_run_names_a_run_of_the_batch():
    traj = train_neuron([1.0], 0.5, [[0.0]], lr=[0.1, 1.0], steps=2)
    assert traj.run(1).runs == 1
    assert traj.run(1).lr.tolist() == [1.0]
    for bad in (2, -1, 1.0, True):
        with pytest.raises(ValueError, match=r"index must be an integer in \[0, 1\]"):
            traj.run(bad)


# --- the engine's blocks ------------------------------------------------------------------------


def _stepwise(monkeypatch_context, run):
    """``run()`` with every step checked as it is taken: no optimistic block at all."""
    monkeypatch_context.setattr(training._Descent, "unchecked", lambda self, s0, s1: False)
    return run()


def _assert_same_descent(a: Trajectory, b: Trajectory) -> None:
    for field in (
        "weights",
        "prediction",
        "loss",
        "grad_norm",
        "converged",
        "diverged",
        "steps_taken",
        "stopped_at",
    ):
        x, y = np.asarray(getattr(a, field)), np.asarray(getattr(b, field))
        assert x.shape == y.shape, field
        assert np.array_equal(x, y, equal_nan=True), field


@given(
    loss=st.sampled_from(LOSS_NAMES),
    seed=st.integers(0, 2**32 - 1),
    runs=st.integers(1, 12),
    steps=st.integers(0, 300),
    tol=st.one_of(st.none(), st.floats(1e-7, 1e-1)),
    block=st.sampled_from([(1, 1), (8, 128), (3, 5)]),
)
def test_blocks_take_the_very_steps_a_step_by_step_descent_takes(
    loss, seed, runs, steps, tol, block
):
    # Runs that converge (tol), diverge (learning rates up to 10^3) or stop on a non-finite
    # step, at any step of a block: the blocked descent must equal, bit for bit, the one
    # that checks each step as it is taken, for any block sizes.
    rng = np.random.default_rng(seed)
    x = rng.normal(scale=3.0, size=2)
    w0 = rng.normal(scale=5.0, size=(runs, 2))
    lr = 10 ** rng.uniform(-2, 3, size=runs)
    t = rng.dirichlet(np.ones(3))
    z0 = rng.normal(scale=5.0, size=(runs, 3))

    def both():
        return (
            train_neuron(x, 0.7, w0, lr=lr, steps=steps, loss=loss, tol=tol),
            descend_logits(t, z0, lr=lr, steps=steps, tol=tol),
        )

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(training, "FIRST_BLOCK", block[0])
        mp.setattr(training, "MAX_BLOCK", block[1])
        blocked = both()
        stepwise = _stepwise(mp, both)
    for a, b in zip(blocked, stepwise, strict=True):
        _assert_same_descent(a, b)


def test_blocked_regression_equals_a_step_by_step_one():
    X, labels = make_blobs(30, k=3, seed=2)
    lr = [0.01, 0.3, 50.0, 1e4]

    def run():
        return train_softmax_regression(X, labels, lr=lr, steps=300, tol=1e-3)

    blocked = run()
    with pytest.MonkeyPatch.context() as mp:
        stepwise = _stepwise(mp, run)
    stops = blocked.stopped_at
    assert ((stops > 1) & (stops <= 300)).any()  # some run stops inside a block
    assert (stops > 300).any()
    _assert_same_descent(blocked, stepwise)


@pytest.mark.parametrize("name", LOSS_NAMES)
def test_descent_on_the_logit_itself_equals_two_copies_of_the_example(name):
    # x = (1,) takes a shortcut (y = w, ∂L/∂w = ∂L/∂y); a data set of two copies of the
    # same example takes the general path and, the mean of two equal numbers being exact,
    # must give the very same numbers.
    z0 = np.array([[-6.9], [0.0], [3.0]])
    lr = np.array([0.3, 10.0, 100.0])
    one = train_neuron([1.0], 0.9, z0, lr=lr, steps=120, loss=name)
    two = train_neuron([[1.0], [1.0]], [0.9, 0.9], z0, lr=lr, steps=120, loss=name)
    for field in ("weights", "loss", "grad_norm", "diverged", "steps_taken", "stopped_at"):
        assert np.array_equal(getattr(one, field), getattr(two, field)), field
    assert np.array_equal(one.prediction, two.prediction[:, :, 0])
