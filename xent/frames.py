"""From the math to tidy DataFrames: what each chart of the pages draws, and its numbers.

numpy and pandas only (no Streamlit, no Altair), so every function here is testable and
cacheable. ``xent.caches`` wraps them in ``st.cache_resource``; ``xent.charts`` draws the frames.
Each function returns a small ``Figure``-like named tuple: the frames plus the numbers
the readings quote.

Languages: the frames' text columns (series names, labels) are English keys marked with
``N_``, the same in every language, so that the cached frames are shared by every session
and the lessons can find a label by its key; ``xent.charts`` shows them through ``tr``. A
note built here for a chart's title ("Clipped at L = 2 nats: …") is in the session's
language (``tr``): ``xent.caches`` keys the functions that build one by language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from xent import data as _data
from xent.functions import sigmoid, softmax
from xent.i18n import N_, tr
from xent.losses import (
    BINARY_LOSSES,
    binary_cross_entropy,
    entropy,
    kl_divergence,
    softmax_cross_entropy_with_logits,
)

__all__ = [
    "ChainPoint",
    "Curves",
    "GradientAt",
    "Grid",
    "GridLoss",
    "LogitSummary",
    "LossAt",
    "NeuronSummary",
    "Race",
    "RaceRun",
    "RegressionAt",
    "Sample",
    "SoftmaxAt",
    "bernoulli_curves",
    "bernoulli_gradient_view",
    "bernoulli_loss_view",
    "chain_rule_table",
    "comparison_curves",
    "comparison_grid",
    "grid_runs",
    "logit_descent",
    "neuron_run",
    "q_grid",
    "race",
    "race_runs",
    "sampler_run",
    "softmax_regression_fit",
    "softmax_regression_run",
    "softmax_view",
]

L_MAX = 2.0
"""Default top of a loss axis, in nats; curves above it are clipped (and the chart says so)."""


def q_grid(n_tail: int = 60, n_mid: int = 81, lo: float = 1e-6) -> np.ndarray:
    """Probabilities in (0, 1): log-spaced towards 0 and towards 1, even in the middle.

    The loss rises steeply as q -> 0 or 1; log spacing draws that rise with few points.

    >>> g = q_grid(); bool(g[0] == 1e-6 and g[-1] == 1 - 1e-6 and (np.diff(g) > 0).all())
    True
    """
    low = np.logspace(np.log10(lo), -1, n_tail, endpoint=False)
    mid = np.linspace(0.1, 0.9, n_mid)
    high = 1 - low[::-1]
    return np.concatenate([low, mid, high])


def logit(q: np.ndarray) -> np.ndarray:
    """z = log q - log(1 - q), the inverse of the sigmoid (±inf at 0 and 1)."""
    q = np.asarray(q, dtype=float)
    with np.errstate(divide="ignore"):
        return np.log(q) - np.log1p(-q)


def axis_top(values, default: float = L_MAX, ceiling: float = 12.0) -> float:
    """The top of a loss axis: ``default``, raised to show a finite current value up to a cap."""
    finite = np.asarray(values, dtype=float)[np.isfinite(values)]
    top = max([default, *(1.15 * finite).tolist()])
    return float(min(np.ceil(top), ceiling))


# --- typed results: the numbers a reading quotes ------------------------------------------


@dataclass(frozen=True)
class LossAt:
    """L(p, q) at the model's q, its floor H(p) and the gap KL(p‖q), in nats."""

    p: float
    q: float
    L: float
    H: float
    KL: float


@dataclass(frozen=True)
class GradientAt:
    """∂L/∂z = q − p at the model's q."""

    p: float
    q: float
    grad: float


@dataclass(frozen=True)
class NeuronSummary:
    """A whole run of the neuron: its length, where it started and ended, and the floor."""

    steps: int
    q_end: float
    loss_start: float
    loss_end: float
    H: float
    diverged: bool
    converged: bool
    steps_taken: int


@dataclass(frozen=True)
class ChainPoint:
    """The neuron at one step: y = x·w, q = σ(y) and 1 − q (computed apart), the target p,
    and the largest gap between the chain-rule product and the finite difference."""

    y: float
    q: float
    one_minus_q: float
    p: float
    max_diff: float


@dataclass(frozen=True)
class Sample:
    """Balls drawn from the box (``reds`` red of ``draws``; p̂ = reds / draws) and the fit's
    q after ``steps``; p is the box's share of red."""

    p: float
    p_hat: float
    reds: int
    draws: int
    q_end: float
    steps: int


@dataclass(frozen=True)
class SoftmaxAt:
    """The softmax Q of the logits, the target t, the loss L = −Σ t log Q, Q of the true
    class and −log of it, the gradient Q − t, the names of the true and the top class."""

    L: float
    q_true: float
    nll: float
    true: str
    top: str
    Q: np.ndarray
    t: np.ndarray
    grad: np.ndarray
    smoothing: float


@dataclass(frozen=True)
class LogitSummary:
    """A descent on the logits: the loss and Q(true class) at its start and end."""

    steps: int
    loss_start: float
    loss_end: float
    q_true_start: float
    q_true_end: float
    Q: np.ndarray  # (steps + 1, K)
    loss: np.ndarray  # (steps + 1,)


@dataclass(frozen=True)
class RegressionAt:
    """Softmax regression at the shown step: its mean loss (and at the start), accuracy."""

    step: int
    loss_at: float
    loss_start: float
    accuracy: float
    n: int


class Curves(NamedTuple):
    """Frames for ``charts.function_chart`` plus the numbers for the reading (``at``)."""

    curves: pd.DataFrame
    points: pd.DataFrame
    floor: pd.DataFrame | None
    segment: pd.DataFrame | None
    y_max: float | None
    note: str | None
    at: Any  # LossAt, GradientAt or SoftmaxAt: what the chart's reading quotes


# --- Bernoulli ------------------------------------------------------------------------------


def bernoulli_curves(p: float, q: float) -> tuple[Curves, Curves]:
    """L(p, q) against q, and ∂L/∂z = q - p against q, with the model's point.

    Returns:
        ``(loss, gradient)``: :func:`bernoulli_loss_view` and :func:`bernoulli_gradient_view`.
    """
    return bernoulli_loss_view(p, q), bernoulli_gradient_view(p, q)


def bernoulli_loss_view(p: float, q: float) -> Curves:
    """L(p, q) against q: the curve, the points "model q" and "minimum q = p", the floor
    H(p) and the KL gap at q (where their labels go is the lesson's: ``lessons.bernoulli``)."""
    grid = q_grid()
    loss = np.asarray(binary_cross_entropy(p, grid))
    h = float(entropy([p, 1 - p]))
    current = float(binary_cross_entropy(p, q))
    kl = float(kl_divergence([p, 1 - p], [q, 1 - q]))
    top = axis_top([current], default=2.0)
    clipped_curve = bool((loss > top).any())
    note = []
    if clipped_curve:
        note.append(tr("Clipped at L = {L_top} nats: L → ∞ as q → 0 or 1.", L_top=f"{top:g}"))
    if not np.isfinite(current):
        note.append(tr("L = ∞ at q = {q_shown}: the point sits on the top edge.", q_shown=f"{q:g}"))
    curves = pd.DataFrame({"x": grid, "y": loss, "series": "L(p, q)"})
    y_q = min(current, top)
    points = pd.DataFrame(
        {"x": [p, q], "y": [h, y_q], "label": [N_("minimum q = p"), N_("model q")]}
    )
    floor = pd.DataFrame({"y": [h], "label": [N_("floor H(p)")]})
    segment = pd.DataFrame({"x": [q], "y": [h], "y2": [y_q], "label": [f"KL = {kl:.2f}"]})
    at = LossAt(p=p, q=q, L=current, H=h, KL=kl)
    return Curves(curves, points, floor, segment, top, " ".join(note) or None, at)


def bernoulli_gradient_view(p: float, q: float) -> Curves:
    """∂L/∂z = q - p against q, with the points q = p and the model's q."""
    grid = q_grid()
    grad = grid - p
    gcurves = pd.DataFrame({"x": grid, "y": grad, "series": "∂L/∂z = q - p"})
    # The same order as the L(q) chart's points (minimum first), so that each point keeps
    # its shape from one chart to the next: q = p a circle, the model a square.
    gpoints = pd.DataFrame({"x": [p, q], "y": [0.0, q - p], "label": ["q = p", N_("model q")]})
    return Curves(gcurves, gpoints, None, None, None, None, GradientAt(p=p, q=q, grad=q - p))


def _training():
    # Imported on first use: the page scripts import this module before anything trains.
    from xent import training

    return training


def _runs_first(a: np.ndarray) -> np.ndarray:
    """(steps+1, runs, ...) with a trailing singleton example axis dropped."""
    a = np.asarray(a)
    while a.ndim > 2 and a.shape[-1] == 1:
        a = a[..., 0]
    return a


class NeuronRun(NamedTuple):
    q: pd.DataFrame  # step, value, series
    loss: pd.DataFrame
    weights: pd.DataFrame
    path: pd.DataFrame  # x = q, y = L, label "step t" for the marker on the L(q) curve
    table: pd.DataFrame  # the CSV download
    w: np.ndarray  # (steps+1, d)
    summary: NeuronSummary


def neuron_run(x: tuple[float, ...], p: float, w0: tuple[float, ...], lr: float, steps: int):
    """Gradient descent on one neuron q = σ(x·w) with cross-entropy, from w0."""
    tr = _training()
    # no loss bound: a too-large η makes a bounded cycle, run to the end and called that
    traj = tr.train_neuron(
        np.asarray(x, float), p, np.asarray(w0, float), lr=lr, steps=steps, loss_bound=False
    )
    w = np.asarray(traj.weights)[:, 0, :]  # (steps+1, d)
    q = _runs_first(traj.prediction)[:, 0]
    loss = np.asarray(traj.loss)[:, 0]
    step = np.arange(len(q))
    d = w.shape[1]
    weight_names = [f"w{i + 1}" for i in range(d)]
    grad_norm = np.asarray(traj.grad_norm)[:, 0]
    table = pd.DataFrame(
        {"step": step, "q": q, "loss_nats": loss, **dict(zip(weight_names, w.T, strict=True))}
        | {"grad_norm": grad_norm}
    )
    summary = NeuronSummary(
        steps=steps,
        q_end=float(q[-1]),
        loss_start=float(loss[0]),
        loss_end=float(loss[-1]),
        H=float(entropy([p, 1 - p])),
        diverged=bool(np.asarray(traj.diverged).reshape(-1)[0]),
        converged=bool(np.asarray(traj.converged).reshape(-1)[0]),
        steps_taken=int(np.asarray(traj.steps_taken).reshape(-1)[0]),
    )
    # One frame, built at once (not one frame per weight and a concat: a third of the time).
    wlong = pd.DataFrame(
        {
            "step": np.tile(step, d),
            "value": w.T.ravel(),
            "series": np.repeat(np.array(weight_names, dtype=object), len(step)),
        }
    )
    return NeuronRun(
        q=pd.DataFrame({"step": step, "value": q, "series": N_("model q")}),
        loss=pd.DataFrame({"step": step, "value": loss, "series": N_("cross-entropy")}),
        weights=wlong,
        path=pd.DataFrame({"step": step, "x": q, "y": loss}),
        table=table,
        w=w,
        summary=summary,
    )


def chain_rule_table(x: tuple[float, ...], w: np.ndarray, p: float, h: float = 1e-6):
    """The four chain-rule factors of ∂L/∂w_i at w, beside a central finite difference.

    Returns:
        ``(table, values)``: one row per weight with ∂y/∂w_i, ∂q/∂y, ∂L/∂q, their product
        and the finite difference [L(w + h e_i) - L(w - h e_i)] / 2h; ``values`` has y, q.
    """
    tr = _training()
    xv = np.asarray(x, float)
    wv = np.asarray(w, float)
    f = tr.chain_rule_factors(xv, wv, p)
    d = xv.size
    fd = np.asarray(tr.finite_difference_grad(x=xv, w=wv, p=p, h=h))
    dL_dw = np.broadcast_to(np.asarray(f.dL_dw, float), (d,))
    table = pd.DataFrame(
        {
            "weight": [f"w{i + 1}" for i in range(d)],
            "∂y/∂wᵢ = xᵢ": np.broadcast_to(np.asarray(f.dy_dw, float), (d,)),
            "∂q/∂y = q(1-q)": float(np.asarray(f.dq_dy)),
            "∂L/∂q": float(np.asarray(f.dL_dq)),
            "product ∂L/∂wᵢ": dL_dw,
            "finite difference": fd,
            "difference": np.abs(dL_dw - fd),
        }
    )
    y = float(np.asarray(f.y))
    point = ChainPoint(
        y=y,
        q=float(np.asarray(f.q)),
        one_minus_q=float(1.0 / (1.0 + np.exp(y))),  # 1 - σ(y) = σ(-y), without cancellation
        p=float(p),
        max_diff=float(np.max(np.abs(dL_dw - fd))),
    )
    return table, point


class SamplerRun(NamedTuple):
    q: pd.DataFrame
    target: pd.DataFrame
    table: pd.DataFrame
    summary: Sample


def sampler_run(n_red: int, n_white: int, draws: int, seed: int, lr: float, steps: int):
    """Draw balls, then fit q = σ(w) to the draws by gradient descent on the mean loss."""
    tr = _training()
    balls = _data.draw_balls(int(n_red), int(n_white), int(draws), seed=int(seed))
    p_hat = float(balls.mean()) if balls.size else float("nan")
    traj = tr.train_neuron(
        np.ones((balls.size, 1)), balls.astype(float), np.zeros(1), lr=lr, steps=steps
    )
    pred = np.asarray(traj.prediction)[:, 0]
    q = pred.reshape(pred.shape[0], -1)[:, 0]
    step = np.arange(len(q))
    p = n_red / (n_red + n_white)
    summary = Sample(
        p=p,
        p_hat=p_hat,
        reds=int(balls.sum()),
        draws=int(balls.size),
        q_end=float(q[-1]),
        steps=steps,
    )
    target = pd.DataFrame({"y": [p_hat, p], "label": [N_("p̂ from the draws"), N_("p of the box")]})
    table = pd.DataFrame({"step": step, "q": q, "loss_nats": np.asarray(traj.loss)[:, 0]})
    return SamplerRun(
        pd.DataFrame({"step": step, "value": q, "series": N_("model q")}), target, table, summary
    )


# --- multiclass ------------------------------------------------------------------------------


def target_vector(k: int, true_class: int, smoothing: float) -> np.ndarray:
    """One-hot target for ``true_class``, softened by label smoothing ε: (1-ε) t + ε/K."""
    t = np.zeros(k)
    t[true_class] = 1.0
    return (1 - smoothing) * t + smoothing / k


class SoftmaxView(NamedTuple):
    bars: pd.DataFrame
    grad: pd.DataFrame
    curve: Curves
    at: SoftmaxAt


def softmax_view(z: tuple[float, ...], true_class: int, names: tuple[str, ...], smoothing: float):
    """Softmax of the logits beside the target, the loss, its curve and the gradient Q - t."""
    zv = np.asarray(z, float)
    k = zv.size
    t = target_vector(k, true_class, smoothing)
    Q = np.asarray(softmax(zv))
    L = float(softmax_cross_entropy_with_logits(t, zv))
    grad = Q - t
    bars = pd.DataFrame(
        {
            "cls": list(names) * 2,
            "series": [N_("model Q")] * k + [N_("target t")] * k,
            "value": np.concatenate([Q, t]),
        }
    )
    direction = np.where(
        grad < -1e-9,
        N_("raise this logit"),
        np.where(grad > 1e-9, N_("lower this logit"), N_("leave it")),
    )
    gdf = pd.DataFrame({"cls": list(names), "grad": grad, "direction": direction})
    q_true = float(Q[true_class])
    grid = q_grid()[:-60]  # Q(true) in (0, 0.9]; the right tail adds nothing to -log Q
    grid = np.concatenate([grid, np.linspace(0.9, 1.0, 11)[1:]])
    nll = -np.log(grid)
    top = axis_top([-np.log(max(q_true, 1e-300))], default=5.0)
    curves = pd.DataFrame({"x": grid, "y": nll, "series": N_("-log Q(true class)")})
    y_point = -np.log(q_true) if q_true > 0 else np.inf
    points = pd.DataFrame(
        {"x": [q_true], "y": [min(y_point, top)], "label": [f"Q({names[true_class]})"]}
    )
    note = tr("Clipped at {L_top} nats: −log Q → ∞ as Q → 0.", L_top=f"{top:g}")
    at = SoftmaxAt(
        L=L,
        q_true=q_true,
        nll=float(y_point),
        true=names[true_class],
        top=names[int(np.argmax(Q))],
        Q=Q,
        t=t,
        grad=grad,
        smoothing=smoothing,
    )
    curve = Curves(curves, points, None, None, top, note, at)
    return SoftmaxView(bars, gdf, curve, at)


class LogitRun(NamedTuple):
    probs: pd.DataFrame  # step, value, series (one per class)
    loss: pd.DataFrame
    simplex: pd.DataFrame | None
    corners: pd.DataFrame | None
    table: pd.DataFrame
    summary: LogitSummary


_CORNERS = np.array([[0.5, np.sqrt(3) / 2], [0.0, 0.0], [1.0, 0.0]])  # class 0 at the top


def _simplex_frames(Q: np.ndarray, loss: np.ndarray, names: tuple[str, ...], true_class: int):
    """The path of Q (K = 3) across the probability triangle and its three corners."""
    step = np.arange(Q.shape[0])
    xy = Q @ _CORNERS
    simplex = pd.DataFrame(
        {
            "step": step,
            "sx": xy[:, 0],
            "sy": xy[:, 1],
            "Q": [" / ".join(f"{v:.2f}" for v in row) for row in Q],
            "loss": loss,
        }
    )
    corners = pd.DataFrame(
        {
            "sx": _CORNERS[:, 0],
            "sy": _CORNERS[:, 1],
            "label": [f"★ {n}" if i == true_class else n for i, n in enumerate(names)],
            "target": [i == true_class for i in range(3)],
        }
    )
    return simplex, corners


def logit_descent(
    z0: tuple[float, ...],
    true_class: int,
    names: tuple[str, ...],
    smoothing: float,
    lr: float,
    steps: int,
):
    """Gradient descent on the logits themselves towards the target."""
    tr = _training()
    k = len(z0)
    t = target_vector(k, true_class, smoothing)
    traj = tr.descend_logits(t, np.asarray(z0, float), lr=lr, steps=steps)
    Q = np.asarray(traj.prediction)[:, 0, :]  # (steps+1, K)
    loss = np.asarray(traj.loss)[:, 0]
    step = np.arange(Q.shape[0])
    probs = pd.concat(
        [
            pd.DataFrame({"step": step, "value": Q[:, i], "series": f"Q({names[i]})"})
            for i in range(k)
        ],
        ignore_index=True,
    )
    table = pd.DataFrame({"step": step, "loss_nats": loss})
    for i in range(k):
        table[f"Q_{names[i]}"] = Q[:, i]
    simplex, corners = _simplex_frames(Q, loss, names, true_class) if k == 3 else (None, None)
    summary = LogitSummary(
        steps=steps,
        loss_start=float(loss[0]),
        loss_end=float(loss[-1]),
        q_true_start=float(Q[0, true_class]),
        q_true_end=float(Q[-1, true_class]),
        Q=Q,
        loss=loss,
    )
    return LogitRun(
        probs,
        pd.DataFrame({"step": step, "value": loss, "series": N_("cross-entropy")}),
        simplex,
        corners,
        table,
        summary,
    )


class RegressionRun(NamedTuple):
    grid: pd.DataFrame
    points: pd.DataFrame
    loss: pd.DataFrame  # step, value (mean cross-entropy), series
    table: pd.DataFrame
    at: RegressionAt
    accuracy: pd.DataFrame | None = None  # step, value (fraction right), series


class RegressionFit(NamedTuple):
    X: np.ndarray  # (n, 2) points
    labels: np.ndarray  # (n,) classes
    weights: np.ndarray  # (steps + 1, d + 1, K)
    loss: np.ndarray  # (steps + 1,)
    accuracy: np.ndarray  # (steps + 1,) fraction of the points classified right


def softmax_regression_fit(
    k: int, n_per_class: int, spread: float, seed: int, lr: float, steps: int
) -> RegressionFit:
    """Blobs of ``k`` classes and the gradient-descent run of a softmax regression on them."""
    tr = _training()
    X, labels = _data.make_blobs(int(n_per_class), int(k), spread=float(spread), seed=int(seed))
    traj = tr.train_softmax_regression(X, labels, lr=lr, steps=steps)
    loss = np.asarray(traj.loss).reshape(steps + 1, -1)[:, 0]
    W_all = np.asarray(traj.weights)
    weights = W_all[:, 0] if W_all.ndim >= 4 else W_all
    return RegressionFit(X, labels, weights, loss, np.asarray(tr.accuracy(weights, X, labels)))


def _region_cells(tr, W: np.ndarray, X: np.ndarray, cells: int, pad: float = 1.0):
    """The model's decision regions on a ``cells`` × ``cells`` grid around the points X.

    Only what the chart needs, in small types (it goes to the browser as Arrow on every
    rerun): cell centres, the predicted class's index and its probability in percent;
    ``charts.regions_chart`` rebuilds the cell bounds and the class names.
    """
    xs = np.linspace(X[:, 0].min() - pad, X[:, 0].max() + pad, cells + 1)
    ys = np.linspace(X[:, 1].min() - pad, X[:, 1].max() + pad, cells + 1)
    gx, gy = np.meshgrid((xs[:-1] + xs[1:]) / 2, (ys[:-1] + ys[1:]) / 2)
    probs = np.asarray(tr.predict_proba(W, np.stack([gx.ravel(), gy.ravel()], axis=-1)))
    return pd.DataFrame(
        {
            "x": gx.ravel().astype(np.float32),
            "y": gy.ravel().astype(np.float32),
            "c": probs.argmax(axis=-1).astype(np.uint8),
            "p": np.rint(probs.max(axis=-1) * 100).astype(np.uint8),
        }
    )


def softmax_regression_run(
    k: int,
    names: tuple[str, ...],
    n_per_class: int,
    spread: float,
    seed: int,
    lr: float,
    steps: int,
    step: int,
    cells: int = 24,
    fit: RegressionFit | None = None,
):
    """Softmax regression on 2-D blobs; decision regions at ``step``, loss over all steps.

    ``fit`` (from :func:`softmax_regression_fit` with the same arguments) skips training,
    so that moving the step only redraws the regions.
    """
    tr = _training()
    if fit is None:
        fit = softmax_regression_fit(k, n_per_class, spread, seed, lr, steps)
    X, labels, loss = fit.X, fit.labels, fit.loss
    step = int(min(max(step, 0), steps))
    grid = _region_cells(tr, fit.weights[step], X, cells)
    points = pd.DataFrame(
        {
            "x": X[:, 0].astype(np.float32),
            "y": X[:, 1].astype(np.float32),
            "c": np.asarray(labels).astype(np.uint8),
        }
    )
    acc = float(fit.accuracy[step])
    steps_axis = np.arange(steps + 1)
    at = RegressionAt(
        step=step, loss_at=float(loss[step]), loss_start=float(loss[0]), accuracy=acc, n=len(X)
    )
    return RegressionRun(
        grid,
        points,
        pd.DataFrame({"step": steps_axis, "value": loss, "series": N_("mean cross-entropy")}),
        pd.DataFrame({"step": steps_axis, "loss_nats": loss, "accuracy": fit.accuracy}),
        at,
        pd.DataFrame({"step": steps_axis, "value": fit.accuracy, "series": N_("accuracy")}),
    )


# --- loss comparison --------------------------------------------------------------------------


def _start_logit(q: float) -> float:
    """The logit of a start prediction q, kept finite at q = 0 or 1."""
    return float(logit(np.clip(q, 1e-12, 1 - 1e-12)))


def comparison_curves(p: float, names: tuple[str, ...], q: float):
    """L(q) and |∂L/∂z|(q) for each chosen loss, with the start point q marked."""
    grid = q_grid()
    z = logit(grid)
    frames, gframes, points, gpoints = [], [], [], []
    z_q = _start_logit(q)
    vals: dict[str, Any] = {"p": p, "q": q, "L": {}, "grad": {}}
    for name in names:
        loss = BINARY_LOSSES[name]
        frames.append(
            pd.DataFrame({"x": grid, "y": np.asarray(loss.value(p, grid)), "series": loss.label})
        )
        gframes.append(
            pd.DataFrame(
                {"x": grid, "y": np.abs(np.asarray(loss.grad_logit(p, z))), "series": loss.label}
            )
        )
        Lq = float(loss.value(p, q))
        gq = abs(float(loss.grad_logit(p, z_q)))
        vals["L"][loss.label] = Lq
        vals["grad"][loss.label] = gq
    curves = pd.concat(frames, ignore_index=True)
    gcurves = pd.concat(gframes, ignore_index=True)
    L_at = list(vals["L"].values())
    top = axis_top(L_at, default=3.0)
    g_top = float(max(1.05, min(np.nanmax(gcurves["y"]) * 1.05, 3.0)))
    points = pd.DataFrame(
        {"x": [q], "y": [min(max(L_at), top) if L_at else 0.0], "label": [N_("start q₀")]}
    )
    gpoints = pd.DataFrame(
        {
            "x": [q],
            "y": [min(max(vals["grad"].values()), g_top) if L_at else 0.0],
            "label": [N_("start q₀")],
        }
    )
    # Named only when true: the losses whose curve runs above the clipped axis.
    above = [f["series"].iloc[0] for f in frames if np.nanmax(f["y"].to_numpy()) > top]
    note = _clipped_note(f"{top:g}", [tr(name) for name in above]) if above else None
    loss_view = Curves(curves, points, None, None, top, note, None)
    grad_view = Curves(gcurves, gpoints, None, None, g_top, None, None)
    return loss_view, grad_view


def _clipped_note(top: str, names: list[str]) -> str:
    """The comparison chart's subtitle: which losses run above the clipped axis."""
    if len(names) == 1:
        return tr(
            "Clipped at L = {L_top}: {loss_name} runs above it.", L_top=top, loss_name=names[0]
        )
    joined = names[0]
    for name in names[1:]:
        joined = tr("{names_so_far} and {loss_name}", names_so_far=joined, loss_name=name)
    return tr("Clipped at L = {L_top}: {loss_names} run above it.", L_top=top, loss_names=joined)


class RaceRun(NamedTuple):
    """One loss's run of the race: q and L over the steps, split into its two phases."""

    name: str
    label: str
    goal: float  # what the run approaches: p, or the loss's own minimiser
    q: np.ndarray  # (steps + 1,)
    loss: np.ndarray  # (steps + 1,)
    phases: Any  # training.RacePhases of this one run


class Race(NamedTuple):
    """The same start q₀ and learning rate η for every loss, one run each."""

    p: float
    q0: float
    lr: float
    steps: int
    tol: float
    runs: tuple[RaceRun, ...]
    q: pd.DataFrame  # step, value, series (the loss's label)
    table: pd.DataFrame  # the CSV: step, q_<loss>, loss_<loss>


MAX_BUDGET = 1000
"""The largest step budget of the race and the grid (the top of the *Step budget* slider)."""

SETTLE_STEPS = 50
"""A run has *arrived* (settled) when it stays within the threshold from that step to the
end of the budget and for this many steps after it: the race and the grid train this much
further than their budget, to tell a run that stays from one that touches the band and
leaves."""


def race_runs(
    p: float,
    q0: float,
    names: tuple[str, ...],
    budget: int = MAX_BUDGET + SETTLE_STEPS,
    lrs: Sequence[float] | None = None,
):
    """Each loss's runs of the race at the largest budget, one run per learning rate
    (``lrs``, default every η of the page, ``LEARNING_RATES``), keyed by the loss's name.

    One batch per loss costs about what one run costs (the descent's per-step overhead is
    the same for 1 run and 9), so an η move picks another run and trains nothing; a race
    with a smaller budget is the head of these runs (``Trajectory.head``), so a *Step
    budget* or *Threshold* move trains nothing either.
    """
    tr = _training()
    z0 = np.array([_start_logit(q0)])
    lrs = LEARNING_RATES if lrs is None else np.asarray(lrs, dtype=float)
    return {
        name: tr.train_neuron(np.ones(1), p, z0, lr=lrs, steps=budget, loss=name, loss_bound=False)
        for name in names
    }


def phases_of(traj, name: str, p: float, tol: float, goal: float, steps: int):
    """``training.race_phases`` of a Loss Comparison run of loss ``name`` over a budget of
    ``steps`` (``traj`` runs ``SETTLE_STEPS`` further), arrival meaning settled: within
    ``tol`` of ``goal`` from then to the end of the budget and ``SETTLE_STEPS`` beyond.
    Runs whose learning rate breaks the step-size condition |1 − η · ∂²L/∂z²| < 1 at the
    goal (``scoring.step_factor``) cycle, unless they start exactly at the goal (no push);
    absolute error (a kink at its goal, the push never shrinks) cycles when it jumps past
    its goal and does not stay within ``tol``."""
    from dataclasses import replace

    from xent import scoring

    tr = _training()
    factor = scoring.step_factor(name, p, traj.lr)
    # a run that starts exactly at its goal (no push) never moves, whatever η
    moves = np.asarray(traj.grad_norm)[0] > 0
    unstable = None if factor is None else (np.abs(factor) > 1) & moves
    traj = traj.head(steps + SETTLE_STEPS)
    phases = tr.race_phases(traj, p, tol=tol, goal=goal, never_settles=unstable, budget=steps)
    if factor is None:
        bounces = phases.overshoot & (phases.arrival < 0) & ~phases.diverged
        phases = replace(phases, cycles=bounces)
    return phases


def _run_at(trained, lr: float):
    """The run of ``trained`` (a Trajectory over learning rates) with learning rate ``lr``,
    or None when it has none."""
    at = np.flatnonzero(np.asarray(trained.lr) == lr)
    return trained.run(int(at[0])) if at.size else None


def race(
    p: float,
    q0: float,
    lr: float,
    steps: int,
    tol: float,
    names: tuple[str, ...],
    goals: tuple[float, ...] | None = None,
    trained: Mapping[str, Any] | None = None,
) -> Race:
    """The same start, the same learning rate: one run per loss, q over the steps, each
    split by ``training.race_phases`` into escaping the mistake and approaching its goal
    (``goals``, one per loss; default p). ``trained``: the runs of :func:`race_runs` at a
    budget of at least ``steps + SETTLE_STEPS`` (trained here, for ``lr`` alone, when not
    given or when they have no run with learning rate ``lr``)."""
    goals = tuple(float(p) for _ in names) if goals is None else goals
    picked = {name: _run_at(trained[name], lr) for name in names} if trained else {}
    if not trained or any(run is None for run in picked.values()):
        picked = {
            name: runs.run(0)
            for name, runs in race_runs(p, q0, names, steps + SETTLE_STEPS, lrs=(lr,)).items()
        }
    runs, lines = [], []
    table = pd.DataFrame({"step": np.arange(steps + 1)})
    for name, goal in zip(names, goals, strict=True):
        loss = BINARY_LOSSES[name]
        traj = picked[name].head(steps)
        q = _runs_first(traj.prediction)[:, 0]
        phases = phases_of(picked[name], name, p, tol, goal, steps)
        runs.append(RaceRun(name, loss.label, goal, q, np.asarray(traj.loss)[:, 0], phases))
        lines.append(pd.DataFrame({"step": np.arange(len(q)), "value": q, "series": loss.label}))
        table[f"q_{name}"] = q
        table[loss.loss_column] = runs[-1].loss
    q_frame = pd.concat(lines, ignore_index=True) if lines else pd.DataFrame()
    return Race(p, q0, lr, steps, tol, tuple(runs), q_frame, table)


START_LOGITS = np.linspace(-7.0, 7.0, 15)
"""The grid's start logits y₀ (its rows): 15 from −7 to 7, so q₀ = σ(y₀) runs 0.0009 … 0.9991."""
LEARNING_RATES = np.array([0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0])
"""Every learning rate η the pages offer (``xent.ui.widgets.LR_OPTIONS``): the grid's columns
and the race's batch."""


class GridLoss(NamedTuple):
    """One loss over every start q₀ (rows) and learning rate η (columns)."""

    name: str
    label: str
    goal: float  # what "reached" means: |q − goal| <= tol from then to the budget's end
    cells: pd.DataFrame  # q0, lr (labels), steps (-1: not reached), status, text


class Grid(NamedTuple):
    p: float
    steps: int
    tol: float
    losses: tuple[GridLoss, ...]
    table: pd.DataFrame  # the CSV


def _grid_cells(q0, lr, first: np.ndarray, diverged: np.ndarray, cycles: np.ndarray, steps):
    """One row per cell: ``status`` is "reached" (settled within the budget), "cycles"
    (never settles: each step overshoots), "diverged" or "not reached"."""
    status = np.where(
        diverged,
        "diverged",
        np.where(cycles, "cycles", np.where(first >= 0, "reached", "not reached")),
    )
    text = np.where(
        status == "reached",
        [f"{s} step" if s == 1 else f"{s} steps" for s in first],
        np.where(
            status == "diverged",
            "diverged",
            np.where(status == "cycles", "never settles", f"not within {steps} steps"),
        ),
    )
    return pd.DataFrame(
        {
            "q0": [f"{v:.3g}" for v in q0],
            "lr": [f"{v:g}" for v in lr],
            "steps": first,
            "status": status,
            "text": text,
        }
    )


def grid_runs(p: float, names: tuple[str, ...], budget: int = MAX_BUDGET + SETTLE_STEPS):
    """Each loss's runs from every start q₀ with every learning rate η (``training.grid_runs``)
    at the largest budget, keyed by the loss's name; a grid with a smaller budget reads
    their head."""
    tr = _training()
    w0, lr = tr.grid_runs(START_LOGITS[:, None], LEARNING_RATES)
    return {
        name: tr.train_neuron(np.ones(1), p, w0, lr=lr, steps=budget, loss=name, loss_bound=False)
        for name in names
    }


def comparison_grid(
    p: float,
    steps: int,
    tol: float,
    names: tuple[str, ...],
    goals: tuple[float, ...] | None = None,
    trained: Mapping[str, Any] | None = None,
) -> Grid:
    """Steps to come within ``tol`` of each loss's goal (default p) for every start q₀ and
    learning rate η, read by ``training.race_phases``. ``trained``: the runs of
    :func:`grid_runs` at a budget of at least ``steps + SETTLE_STEPS`` (trained here when
    not given)."""
    goals = tuple(float(p) for _ in names) if goals is None else goals
    trained = grid_runs(p, names, steps + SETTLE_STEPS) if trained is None else trained
    losses, csv = [], []
    for name, goal in zip(names, goals, strict=True):
        loss = BINARY_LOSSES[name]
        traj = trained[name]
        q0, lr = np.asarray(sigmoid(traj.weights[0, :, 0])), traj.lr
        phases = phases_of(traj, name, p, tol, goal, steps)
        first, diverged = phases.arrival, phases.diverged
        cells = _grid_cells(q0, lr, first, diverged, phases.cycles, steps)
        losses.append(GridLoss(name, loss.label, goal, cells))
        csv.append(
            pd.DataFrame(
                {
                    "loss": name,
                    "q0": q0,
                    "lr": lr,
                    "steps_to_reach": first,
                    "diverged": diverged,
                    "cycles": phases.cycles,
                    "goal": goal,
                    "steps_to_cross_half": phases.escape,
                }
            )
        )
    table = pd.concat(csv, ignore_index=True) if csv else pd.DataFrame()
    return Grid(p, steps, tol, tuple(losses), table)
