"""Plain gradient descent on the models the pages animate, batched over runs.

Three models, one engine:

- :func:`train_neuron`: one sigmoid neuron y = x · w, q = σ(y), any loss in
  ``BINARY_LOSSES`` (the Bernoulli and Loss Comparison pages);
- :func:`descend_logits`: descent directly on K logits toward a target distribution
  (the Multiclass page);
- :func:`train_softmax_regression`: a linear K-class model with bias on 2-D points.

Each returns a :class:`Trajectory`: every state from step 0 (the start) to step
``steps``, for every run. A *run* is one start and one learning rate; runs are computed
together as one array (the loop is over steps only), so a page can draw a grid of
hundreds of runs in one call. The update is the textbook one, w <- w - lr · ∂L/∂w, with
the mean loss over the examples, so that any row can be reproduced by hand.

**When a run stops.** A run *converges* at the first state whose gradient norm is below
``tol`` (only when ``tol`` is given). A run *diverges* at the first step after which

- a weight, the loss or the gradient is not finite (NaN or ±inf), or
- a weight is larger than ``MAX_ABS_WEIGHT`` (1e6) in absolute value, or
- the loss is above ``DIVERGENCE_FACTOR · (L0 + 1)`` (10 · (L0 + 1)), with L0 the run's
  loss at step 0: the loss has exploded rather than decreased (not with
  ``train_neuron(..., loss_bound=False)``: there a loss that jumps up and down in a bounded
  cycle is run to the end, so that the cycle can be seen for what it is).

(The gradients of these models are bounded, so a too-large learning rate makes the
weights jump back and forth rather than overflow; the loss rule catches that. Squared
and absolute error are bounded by 1, so with them a too-large step stalls in a saturated
wrong answer, and only the weight bound can call it diverged.)

A stopped run keeps its last state: its later rows repeat it, and ``steps_taken`` counts
the updates it made. The state of a diverging step is kept when it is finite (so a chart
shows the jump), and dropped otherwise, so no NaN or inf ever reaches ``weights``.

>>> traj = train_neuron([1.0], 0.2, [0.0], lr=1.0, steps=200)  # one example, p = 0.2
>>> traj.weights.shape, traj.prediction.shape, traj.loss.shape  # (steps + 1, runs, ...)
((201, 1, 1), (201, 1), (201, 1))
>>> round(float(traj.prediction[-1, 0]), 4)  # q -> p
0.2
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from xent._validation import as_float, check_distribution
from xent.functions import softmax
from xent.losses import (
    BINARY_LOSSES,
    MULTICLASS_LOSSES,
    softmax_cross_entropy_with_integer_labels,
    softmax_cross_entropy_with_logits,
)

__all__ = [
    "DIVERGENCE_FACTOR",
    "FUSED_BLOCK_BYTES",
    "MAX_ABS_WEIGHT",
    "MAX_STEPS",
    "MAX_STORED_VALUES",
    "MULTICLASS_LOSSES",
    "ChainRuleFactors",
    "RacePhases",
    "Trajectory",
    "accuracy",
    "chain_rule_factors",
    "descend_logits",
    "finite_difference_grad",
    "grid_runs",
    "predict_neuron",
    "predict_proba",
    "race_phases",
    "softmax_cross_entropy_value_and_grad",
    "steps_to_reach",
    "train_neuron",
    "train_softmax_regression",
]

#: Most gradient-descent steps one call may take (a page's step slider stays below it).
MAX_STEPS = 5000
#: A weight above this in absolute value means the run diverged.
MAX_ABS_WEIGHT = 1e6
#: A loss above DIVERGENCE_FACTOR · (L0 + 1) means the run diverged.
DIVERGENCE_FACTOR = 10.0
#: Most numbers a Trajectory may hold (weights and predictions of every step and run),
#: about 270 MB of float64: a guard against a URL asking for a huge run.
MAX_STORED_VALUES = 2**25


# --- the result ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Trajectory:
    """Every state of a batch of gradient-descent runs (read-only arrays).

    ``weights`` and ``prediction`` are transposed views of the engine's buffers (not
    C-contiguous; ``np.ascontiguousarray`` makes a compact copy). Equality and hashing
    are by identity. The object pickles (for ``st.cache_data``).

    Attributes:
        weights: (steps + 1, runs, ...) the parameters after each step; row 0 is the start.
            (runs, d) per row for the neuron, (runs, K) logits for :func:`descend_logits`,
            (runs, d + 1, K) for softmax regression (the bias is the last row).
        prediction: (steps + 1, runs, ...) the model's output at those parameters: q = σ(y)
            for the neuron ((runs,) for one example, (runs, n) for a data set), the softmax
            (runs, K) for the logits, the class probabilities (runs, n, K) for softmax
            regression.
        loss: (steps + 1, runs) the (mean) loss, in nats for cross-entropy.
        grad_norm: (steps + 1, runs) the Euclidean norm of ∂L/∂weights.
        converged: (runs,) bool, the gradient norm fell below ``tol``.
        diverged: (runs,) bool, see the module docstring for the rule.
        steps_taken: (runs,) int, updates made before the run stopped (``steps`` if never).
        stopped_at: (runs,) int, the row at which the run stopped: 0 if it stopped at its
            start, ``steps + 1`` if it never stopped (what :meth:`head` needs to tell whether
            a shorter budget would have seen the stop).
        lr: (runs,) the learning rate of each run.
        loss_name: the loss that was minimised.
    """

    weights: np.ndarray
    prediction: np.ndarray
    loss: np.ndarray
    grad_norm: np.ndarray
    converged: np.ndarray
    diverged: np.ndarray
    steps_taken: np.ndarray
    stopped_at: np.ndarray
    lr: np.ndarray
    loss_name: str

    def __post_init__(self) -> None:
        for name in ("weights", "prediction", "loss", "grad_norm", "converged", "diverged"):
            getattr(self, name).setflags(write=False)
        for name in ("steps_taken", "stopped_at", "lr"):
            getattr(self, name).setflags(write=False)

    def head(self, steps: int) -> Trajectory:
        """The same runs with a budget of ``steps`` (at most :attr:`steps`): plain gradient
        descent is deterministic, so a shorter run is the first ``steps + 1`` rows of a
        longer one; a run that stopped after them is neither diverged nor converged yet.

        >>> z0 = [[-2.0], [3.0]]  # with η = 100 the first run diverges at step 5
        >>> long = train_neuron([1.0], 0.3, z0, lr=100.0, steps=50)
        >>> long.diverged.tolist(), long.head(3).diverged.tolist(), long.head(5).diverged.tolist()
        ([True, False], [False, False], [True, False])
        >>> fresh = train_neuron([1.0], 0.3, z0, lr=100.0, steps=3)
        >>> bool(np.array_equal(long.head(3).prediction, fresh.prediction))
        True
        """
        steps = int(steps)
        if not 0 <= steps <= self.steps:
            raise ValueError(f"steps must be an integer in [0, {self.steps}]; got {steps}")
        within = self.stopped_at <= steps
        return Trajectory(
            weights=self.weights[: steps + 1],
            prediction=self.prediction[: steps + 1],
            loss=self.loss[: steps + 1],
            grad_norm=self.grad_norm[: steps + 1],
            converged=self.converged & within,
            diverged=self.diverged & within,
            steps_taken=np.where(within, self.steps_taken, steps),
            stopped_at=np.where(within, self.stopped_at, steps + 1),
            lr=self.lr.copy(),
            loss_name=self.loss_name,
        )

    def run(self, index: int) -> Trajectory:
        """Run ``index`` alone, as a batch of one (views of the same buffers, no copy):
        runs are independent, so it is the run a batch of that one start and learning
        rate gives.

        >>> both = train_neuron([1.0], 0.3, [[-2.0]], lr=[0.1, 100.0], steps=8)
        >>> alone = train_neuron([1.0], 0.3, [[-2.0]], lr=100.0, steps=8)
        >>> bool(np.array_equal(both.run(1).prediction, alone.prediction))
        True
        """
        if isinstance(index, bool) or not isinstance(index, numbers.Integral):
            raise ValueError(f"index must be an integer in [0, {self.runs - 1}]; got {index!r}")
        if not 0 <= index < self.runs:
            raise ValueError(f"index must be an integer in [0, {self.runs - 1}]; got {index!r}")
        one = slice(index, index + 1)
        return Trajectory(
            weights=self.weights[:, one],
            prediction=self.prediction[:, one],
            loss=self.loss[:, one],
            grad_norm=self.grad_norm[:, one],
            converged=self.converged[one],
            diverged=self.diverged[one],
            steps_taken=self.steps_taken[one],
            stopped_at=self.stopped_at[one],
            lr=self.lr[one].copy(),
            loss_name=self.loss_name,
        )

    @property
    def steps(self) -> int:
        """Number of steps asked for (rows - 1)."""
        return self.loss.shape[0] - 1

    @property
    def runs(self) -> int:
        """Number of runs."""
        return self.loss.shape[1]

    def columns(self, run: int = 0) -> dict[str, np.ndarray]:
        """One run as named columns, one row per step (for a table or a CSV download).

        Columns: ``step``, ``loss``, ``grad_norm``, then ``weights[i]`` (``weights[i,j]``
        for a matrix) and ``prediction`` (``prediction[i]``, ...), flattened in C order.

        >>> traj = train_neuron([1.0, 2.0], 1.0, [0.0, 0.0], lr=0.5, steps=2)
        >>> list(traj.columns())
        ['step', 'loss', 'grad_norm', 'weights[0]', 'weights[1]', 'prediction']
        """
        if isinstance(run, bool) or not isinstance(run, numbers.Integral):
            raise ValueError(f"run must be an integer in [0, {self.runs - 1}]; got {run!r}")
        if not 0 <= run < self.runs:
            raise ValueError(f"run must be an integer in [0, {self.runs - 1}]; got {run!r}")
        out = {
            "step": np.arange(self.steps + 1),
            "loss": self.loss[:, run],
            "grad_norm": self.grad_norm[:, run],
        }
        for name in ("weights", "prediction"):
            values = getattr(self, name)[:, run]
            if values.ndim == 1:
                out[name] = values
                continue
            for index in np.ndindex(values.shape[1:]):
                out[f"{name}[{','.join(map(str, index))}]"] = values[(slice(None), *index)]
        return out


# --- argument checks (each error names the argument and the allowed range) ---------------


def _check_steps(steps: object) -> int:
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral):
        raise ValueError(f"steps must be an integer in [0, {MAX_STEPS}]; got {steps!r}")
    if not 0 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be an integer in [0, {MAX_STEPS}]; got {steps!r}")
    return int(steps)


def _check_tol(tol: object) -> float | None:
    if tol is None:
        return None
    if isinstance(tol, bool) or not isinstance(tol, numbers.Real) or not (np.isfinite(tol)):
        raise ValueError(f"tol must be None or a finite number > 0; got {tol!r}")
    if tol <= 0:
        raise ValueError(f"tol must be None or a finite number > 0; got {tol!r}")
    return float(tol)


def _real_array(value: object, name: str, what: str) -> np.ndarray:
    a = np.asarray(value)
    if a.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be {what}; got dtype {a.dtype}")
    a = a.astype(np.float64)
    if not np.isfinite(a).all():
        raise ValueError(f"{name} must be {what} (finite); got NaN or inf")
    return a


def _check_start(value: object, name: str, shape: str) -> np.ndarray:
    a = _real_array(value, name, f"real numbers, shape {shape}")
    if a.size and np.abs(a).max() > MAX_ABS_WEIGHT:
        raise ValueError(
            f"{name} must lie in [-{MAX_ABS_WEIGHT:g}, {MAX_ABS_WEIGHT:g}] (beyond, a run counts "
            f"as diverged); got {np.abs(a).max():g}"
        )
    return a


def _describe(a: np.ndarray) -> str:
    """A short account of the values of ``a`` for an error message."""
    if a.size == 1:
        return repr(a.reshape(-1)[0].item())
    if a.size == 0:
        return "an empty array"
    if a.dtype.kind not in "biuf":
        return f"dtype {a.dtype}"
    return f"values in [{np.nanmin(a)!r}, {np.nanmax(a)!r}]" + (
        " and NaN" if np.isnan(a).any() else ""
    )


def _check_lr(lr: object) -> np.ndarray:
    a = np.asarray(lr)
    if a.dtype.kind not in "biuf" or a.ndim > 1:
        raise ValueError(
            f"lr must be a finite number > 0 or a 1-D array of them (one per run); "
            f"got shape {a.shape}, {_describe(a)}"
        )
    a = a.astype(np.float64)
    if a.size == 0 or not (np.isfinite(a).all() and (a > 0).all()):
        raise ValueError(f"lr must be finite numbers > 0 (one per run); got {_describe(a)}")
    return a


def _runs(lr: np.ndarray, start: np.ndarray, start_ndim: int, start_name: str) -> int:
    """The number of runs: from ``lr`` (runs,) and/or the start's leading axis."""
    from_start = start.shape[0] if start.ndim == start_ndim + 1 else None
    from_lr = lr.shape[0] if lr.ndim == 1 else None
    if from_start is not None and from_lr is not None and from_start != from_lr:
        if from_lr == 1:
            return from_start
        if from_start == 1:
            return from_lr
        raise ValueError(
            f"lr must be a number or have one entry per run; got {from_lr} learning rates "
            f"and {from_start} starts in {start_name}"
        )
    return from_start or from_lr or 1


def _check_loss(loss: object, allowed) -> str:
    if not isinstance(loss, str) or loss not in allowed:
        raise ValueError(f"loss must be one of {sorted(allowed)}; got {loss!r}")
    return loss


def _check_run_settings(lr, steps, tol, loss, allowed, start, start_ndim: int, start_name: str):
    """The settings every trainer shares, checked: (lr, steps, tol, loss, runs).

    ``lr`` comes back as a (runs,) array; ``runs`` is read from ``lr`` and the start's
    leading axis (see ``_runs``).
    """
    lr = _check_lr(lr)
    steps = _check_steps(steps)
    tol = _check_tol(tol)
    loss = _check_loss(loss, allowed)
    runs = _runs(lr, start, start_ndim, start_name)
    return np.broadcast_to(lr, (runs,)), steps, tol, loss, runs


def _check_memory(steps: int, runs: int, per_run: int) -> None:
    total = (steps + 1) * runs * per_run
    if total > MAX_STORED_VALUES:
        raise ValueError(
            f"steps × runs × (weights + predictions) must be at most {MAX_STORED_VALUES}; "
            f"got {steps + 1} × {runs} × {per_run} = {total} (use fewer steps, runs or points)"
        )


# --- the engine ----------------------------------------------------------------------------
#
# Inside the engine the runs axis is the LAST axis of every array (weights (..., runs),
# predictions (..., runs)): numpy reduces over a short *inner* axis (d = 2 weights of 1 600
# runs) some 20 times slower than over a leading one, so this layout keeps every per-step
# reduction a handful of fast row-wise ufunc calls. The public Trajectory is a transposed
# view of the same buffers (no copy).

# evaluate(w) -> (loss (runs,), grad like w, prediction (..., runs)), with no validation
# and NaN-tolerant (the engine checks finiteness itself).
Evaluate = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]


@dataclass
class _Run:
    weights: np.ndarray  # (steps + 1, ..., runs)
    prediction: np.ndarray  # (steps + 1, ..., runs)
    loss: np.ndarray  # (steps + 1, runs)
    grad_norm: np.ndarray  # (steps + 1, runs)
    converged: np.ndarray
    diverged: np.ndarray
    steps_taken: np.ndarray
    stopped_at: np.ndarray  # (runs,) the row where a run stopped; steps + 1 if never


@dataclass
class _Stops:
    """Which runs of a descent have stopped, why, and when (updated in place)."""

    converged: np.ndarray  # (runs,) bool
    diverged: np.ndarray  # (runs,) bool
    taken: np.ndarray  # (runs,) updates made
    stopped_at: np.ndarray  # (runs,) the row where a run stopped; steps + 1 if never
    rate: np.ndarray  # (runs,) the learning rate; 0 once a run stopped
    done: np.ndarray  # (runs,) bool: converged or diverged (kept, not recomputed per step)

    @classmethod
    def at_start(cls, loss, gnorm, lr, steps: int, tol: float | None) -> _Stops:
        """Runs that start non-finite have diverged; below ``tol`` they have converged."""
        diverged = ~(np.isfinite(loss) & np.isfinite(gnorm))
        converged = ~diverged & (gnorm < tol) if tol is not None else np.zeros_like(diverged)
        done = converged | diverged
        taken = np.where(done, 0, steps).astype(np.int64)
        stopped_at = np.where(done, 0, steps + 1)
        return cls(converged, diverged, taken, stopped_at, np.where(done, 0.0, lr), done)

    def stop(self, stop: np.ndarray, ok: np.ndarray, bad: np.ndarray, row: int) -> None:
        """Runs ``stop`` stop at ``row``: converged if ``ok``, else diverged; a ``bad``
        (non-finite) last step was dropped, so it is not counted as taken."""
        self.taken[stop] = row - bad[stop]
        self.stopped_at[stop] = row
        self.diverged |= stop & ~ok
        self.converged |= stop & ok
        self.done |= stop
        self.rate[stop] = 0.0


def _grad_norm(grad, rows: int, runs: int, out: np.ndarray) -> np.ndarray:
    """Per run: the gradient's Euclidean norm, into ``out``."""
    if rows == 1:  # one weight per run (x = (1,)): the norm is |g|
        return np.abs(grad.reshape(runs), out=out)
    return np.sqrt(np.add.reduce((grad * grad).reshape(rows, runs), axis=0), out=out)


def _sizes(grad, w, rows: int, runs: int, out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per run: the gradient's Euclidean norm (into ``out``) and the largest |weight|."""
    if rows == 1:
        return _grad_norm(grad, rows, runs, out), np.abs(w.reshape(runs))
    return _grad_norm(grad, rows, runs, out), np.maximum.reduce(
        np.abs(w).reshape(rows, runs), axis=0
    )


def _stop_runs(status: _Stops, stop, ok, row: int, old: tuple, new: tuple, w_max):
    """Runs ``stop`` stop at ``row``. A non-finite step is dropped: such a run keeps its
    last state (``old``: w, grad, pred, loss, gnorm) in the step's row (``new``, the same
    in place for w and gnorm). Returns the step's grad, pred and loss after the drop."""
    w, grad, pred, loss, gnorm = old
    w_new, grad_new, pred_new, loss_new, gnorm_new = new
    bad = stop & ~(np.isfinite(w_max) & np.isfinite(loss_new) & np.isfinite(gnorm_new))
    if bad.any():
        w_new[...] = np.where(bad, w, w_new)
        gnorm_new[...] = np.where(bad, gnorm, gnorm_new)
        grad_new, pred_new, loss_new = (
            np.where(bad, a, b) for a, b in ((grad, grad_new), (pred, pred_new), (loss, loss_new))
        )
    status.stop(stop, ok, bad, row)
    return grad_new, pred_new, loss_new


FIRST_BLOCK = 8
"""Steps of the first optimistic block (see :func:`_descend`); a block that runs clean
doubles the next one, up to ``MAX_BLOCK``, and a block in which some run stops starts
the count again."""
MAX_BLOCK = 128


class _Descent:
    """The buffers and the current state of one batched descent (see :func:`_descend`)."""

    def __init__(
        self, w0: np.ndarray, lr: np.ndarray, steps: int, tol, evaluate: Evaluate, bounded=True
    ):
        self.runs = runs = w0.shape[-1]
        self.rows = rows = int(np.prod(w0.shape[:-1]))
        self.tol, self.evaluate = tol, evaluate
        self.weights = np.empty((steps + 1, *w0.shape))
        self.losses = np.empty((steps + 1, runs))
        self.norms = np.empty((steps + 1, runs))
        self.w = self.weights[0]
        self.w[...] = w0
        with np.errstate(all="ignore"):
            self.loss, self.grad, self.pred = evaluate(self.w)
            self.gnorm = np.sqrt(np.add.reduce((self.grad * self.grad).reshape(rows, runs), axis=0))
        self.prediction = np.empty((steps + 1, *self.pred.shape))
        self.prediction[0], self.losses[0], self.norms[0] = self.pred, self.loss, self.gnorm
        self.status = _Stops.at_start(self.loss, self.gnorm, lr, steps, tol)
        # bounded=False: only a non-finite step or a weight beyond MAX_ABS_WEIGHT stops a
        # run (a loss that grows and falls again, a cycle, is left to run)
        self.limit = DIVERGENCE_FACTOR * (self.loss + 1.0) if bounded else np.inf
        self.all_done = bool(self.status.done.all())

    def repeat_from(self, s: int) -> None:
        """Every run has stopped by row ``s``: the rows after it repeat it."""
        for rows_of in (self.weights, self.prediction, self.losses, self.norms):
            rows_of[s + 1 :] = rows_of[s]

    def _going_on(self, w_max, loss, gnorm) -> tuple[np.ndarray, np.ndarray]:
        """The stopping rules for one row of runs (runs,) or a block of rows (rows, runs):
        ``ok``, the step is finite and within the divergence bounds, and ``go_on``, the run
        neither stops there nor has stopped before. NaN compares False, so ``ok`` is False
        for a non-finite weight, loss or gradient as well as for one beyond the bounds."""
        ok = (w_max <= MAX_ABS_WEIGHT) & (loss <= self.limit) & (gnorm < np.inf)
        go_on = (ok if self.tol is None else ok & (gnorm >= self.tol)) | self.status.done
        return ok, go_on

    def unchecked(self, s0: int, s1: int) -> bool:
        """Steps ``s0`` to ``s1`` with the stopping rules checked once, over the whole block,
        after the steps. True: no run stops in the block, and the state moves to row ``s1``
        (the very numbers :meth:`checked` computes). False: some run would stop; the state
        stays at row ``s0`` and the block's rows are to be computed again by :meth:`checked`."""
        w, grad, rate, evaluate = self.w, self.grad, self.status.rate, self.evaluate
        for s in range(s0, s1):
            w_new = self.weights[s + 1]
            np.multiply(grad, rate, out=w_new)
            np.subtract(w, w_new, out=w_new)
            loss, grad, pred = evaluate(w_new)
            _grad_norm(grad, self.rows, self.runs, self.norms[s + 1])
            self.prediction[s + 1], self.losses[s + 1] = pred, loss
            w = w_new
        block = slice(s0 + 1, s1 + 1)
        w_max = np.maximum.reduce(
            np.abs(self.weights[block]).reshape(s1 - s0, self.rows, self.runs), axis=1
        )
        _, go_on = self._going_on(w_max, self.losses[block], self.norms[block])
        if not go_on.all():
            return False
        self.w, self.loss, self.grad, self.pred, self.gnorm = w, loss, grad, pred, self.norms[s1]
        return True

    def checked(self, s0: int, s1: int) -> None:
        """Steps ``s0`` to ``s1``, each checked for runs that stop there."""
        status, rows, runs = self.status, self.rows, self.runs
        w, loss, grad, pred, gnorm = self.w, self.loss, self.grad, self.pred, self.gnorm
        for s in range(s0, s1):
            if self.all_done:
                self.repeat_from(s)
                break
            w_new = self.weights[s + 1]  # the step is computed straight into its row
            np.multiply(grad, status.rate, out=w_new)
            np.subtract(w, w_new, out=w_new)
            loss_new, grad_new, pred_new = self.evaluate(w_new)
            gnorm_new, w_max = _sizes(grad_new, w_new, rows, runs, self.norms[s + 1])
            ok, go_on = self._going_on(w_max, loss_new, gnorm_new)
            if not go_on.all():  # some runs stop at this step
                old, new = (w, grad, pred, loss, gnorm), (w_new, grad_new, pred_new, loss_new)
                grad_new, pred_new, loss_new = _stop_runs(
                    status, ~go_on, ok, s + 1, old, (*new, gnorm_new), w_max
                )
                self.all_done = bool(status.done.all())
            w, loss, grad, pred, gnorm = w_new, loss_new, grad_new, pred_new, gnorm_new
            self.prediction[s + 1], self.losses[s + 1] = pred, loss
        self.w, self.loss, self.grad, self.pred, self.gnorm = w, loss, grad, pred, gnorm


def _descend(
    w0: np.ndarray,
    lr: np.ndarray,
    steps: int,
    tol: float | None,
    evaluate: Evaluate,
    bounded: bool = True,
) -> _Run:
    """Gradient descent w <- w - lr · grad on every run at once; w0 is (..., runs).

    A run that stops gets a learning rate of 0 from then on, so it keeps being evaluated
    at the same weights and its rows repeat its last state with no per-step masking.

    The steps go in blocks: each block is first taken with the stopping rules checked
    once for the whole block (:meth:`_Descent.unchecked`), and taken again step by step
    (:meth:`_Descent.checked`) only when some run stops inside it. Runs stop at most once,
    so most blocks need no second pass, and a step costs its update and its evaluation
    with no per-step bookkeeping. Both passes compute the same numbers.
    """
    descent = _Descent(w0, lr, steps, tol, evaluate, bounded)
    s, block = 0, FIRST_BLOCK
    with np.errstate(all="ignore"):  # NaN and inf are caught by the checks, run by run
        while s < steps and not descent.all_done:
            end = min(s + block, steps)
            if descent.unchecked(s, end):
                block = min(2 * block, MAX_BLOCK)
            else:
                descent.checked(s, end)
                block = FIRST_BLOCK
            s = end
        if descent.all_done and s < steps:
            descent.repeat_from(s)
    status = descent.status
    return _Run(
        descent.weights,
        descent.prediction,
        descent.losses,
        descent.norms,
        status.converged,
        status.diverged,
        status.taken,
        status.stopped_at,
    )


def _trajectory(run: _Run, weights, prediction, lr: np.ndarray, loss_name: str) -> Trajectory:
    return Trajectory(
        weights=weights,
        prediction=prediction,
        loss=run.loss,
        grad_norm=run.grad_norm,
        converged=run.converged,
        diverged=run.diverged,
        steps_taken=run.steps_taken,
        stopped_at=run.stopped_at,
        lr=np.array(lr, dtype=np.float64),
        loss_name=loss_name,
    )


# --- the neuron ----------------------------------------------------------------------------


def _neuron_data(x: object, p: object) -> tuple[np.ndarray, np.ndarray, bool]:
    """x as (n, d), p as (n,), and whether x was one example."""
    x = _real_array(x, "x", "real numbers, shape (d,) or (n, d)")
    if x.ndim not in (1, 2) or x.shape[-1] == 0 or x.size == 0:
        raise ValueError(f"x must have shape (d,) or (n, d) with n, d >= 1; got {x.shape}")
    single = x.ndim == 1
    X = x[None, :] if single else x
    p = np.asarray(p)
    if p.dtype.kind not in "biuf":
        raise ValueError(f"p must be probabilities in [0, 1]; got dtype {p.dtype}")
    p = p.astype(np.float64)
    if not ((p >= 0) & (p <= 1)).all():
        raise ValueError(f"p must be probabilities in [0, 1]; got {_describe(p)}")
    if p.ndim > 1 or (p.ndim == 1 and (single or p.shape[0] != X.shape[0])):
        want = "a number" if single else f"a number or shape ({X.shape[0]},)"
        raise ValueError(f"p must be {want} (one per example in x); got shape {p.shape}")
    return X, np.broadcast_to(p, (X.shape[0],)), single


def train_neuron(
    x, p, w0, *, lr, steps: int, loss: str = "cross_entropy", tol=None, loss_bound: bool = True
):
    """Gradient descent on one sigmoid neuron y = x · w, q = σ(y), batched over runs.

    Minimises the mean over examples of L(p_i, q_i) for a loss in ``BINARY_LOSSES``, with
    ∂L/∂w = mean_i x_i · ∂L/∂y_i (for cross-entropy ∂L/∂y = q - p). Each step is
    w <- w - lr · ∂L/∂w.

    Args:
        x: one example, shape (d,), or a data set, shape (n, d); finite.
        p: target probability in [0, 1]: a number, or shape (n,) for a data set
            (0/1 labels such as ball draws work as they are).
        w0: start weights, shape (d,) for one run or (runs, d).
        lr: learning rate > 0, a number or shape (runs,).
        steps: gradient steps, in [0, ``MAX_STEPS``].
        loss: a name in ``BINARY_LOSSES``.
        tol: stop a run once its gradient norm is below ``tol`` (None: never).
        loss_bound: False: no loss bound (a bounded cycle runs on; module docstring).

    Returns:
        A :class:`Trajectory` with ``weights`` (steps + 1, runs, d) and ``prediction`` q
        (steps + 1, runs) for one example, (steps + 1, runs, n) for a data set.

    >>> traj = train_neuron([1.0], 1.0, [[0.0], [0.0]], lr=[0.1, 1.0], steps=1)
    >>> traj.weights[1, :, 0].tolist()  # w1 = 0 - lr · 1 · (σ(0) - 1) = lr / 2
    [0.05, 0.5]
    """
    X, p, single = _neuron_data(x, p)
    n, d = X.shape
    w0 = _check_start(w0, "w0", "(d,) or (runs, d)")
    if w0.ndim not in (1, 2) or w0.shape[-1] != d:
        raise ValueError(f"w0 must have shape ({d},) or (runs, {d}) to match x; got {w0.shape}")
    lr, steps, tol, loss, runs = _check_run_settings(
        lr, steps, tol, loss, BINARY_LOSSES, w0, 1, "w0"
    )
    _check_memory(steps, runs, d + n)
    Xt = np.ascontiguousarray(X.T)
    p_col = p[:, None]

    from_logit = BINARY_LOSSES[loss].from_logit  # stable from the logit, no validation
    unit = X.shape == (1, 1) and X[0, 0] == 1.0  # y = w and ∂L/∂w = ∂L/∂y, exactly

    def evaluate(w):  # w (d, runs)
        if unit:  # the Loss Comparison page's neuron: descent on the logit itself
            value, dy, q = from_logit(p_col, w)
            return value[0], dy, q
        y = X * w if d == 1 else X @ w  # (n, runs); an outer product for one input
        value, dy, q = from_logit(p_col, y)
        if n == 1:  # one example: no mean to take, the gradient is an outer product
            return value[0], Xt * dy, q
        grad = Xt @ dy  # (d, runs)
        grad /= n
        mean = np.add.reduce(value, axis=0)
        mean /= n
        return mean, grad, q

    run = _descend(np.broadcast_to(w0, (runs, d)).T, lr, steps, tol, evaluate, loss_bound)
    prediction = run.prediction[:, 0, :] if single else run.prediction.transpose(0, 2, 1)
    return _trajectory(run, run.weights.transpose(0, 2, 1), prediction, lr, loss)


def predict_neuron(w, x):
    """The neuron's output q = σ(x · w) for weights ``w`` (..., d), e.g. a trajectory's.

    Args:
        w: weights, shape (..., d), e.g. ``trajectory.weights`` (steps + 1, runs, d).
        x: one example (d,) or a data set (n, d).

    Returns:
        q of shape (...) for one example, (..., n) for a data set.

    >>> predict_neuron([[0.0, 1.0], [2.0, 0.0]], [1.0, -1.0]).round(4).tolist()
    [0.2689, 0.8808]
    """
    w = _real_array(w, "w", "real numbers, shape (..., d)")
    x = _real_array(x, "x", "real numbers, shape (d,) or (n, d)")
    if x.ndim not in (1, 2) or w.ndim == 0 or w.shape[-1] != x.shape[-1]:
        raise ValueError(
            f"w and x must share the feature axis: w (..., d), x (d,) or (n, d); "
            f"got {w.shape} and {x.shape}"
        )
    with np.errstate(all="ignore"):
        return BINARY_LOSSES["cross_entropy"].from_logit(np.float64(0), w @ x.T).prediction


class ChainRuleFactors(NamedTuple):
    """The chain rule for one neuron and cross-entropy, factor by factor.

    ``dL_dw = dL_dq · dq_dy · dy_dw = x (q - p)``; ``dL_dw`` is computed as x (q - p)
    directly, so it stays finite where q rounds to 0 or 1 and ``dL_dq`` is infinite.
    """

    y: np.ndarray  #: y = x · w
    q: np.ndarray  #: q = σ(y)
    dy_dw: np.ndarray  #: ∂y/∂w = x
    dq_dy: np.ndarray  #: ∂q/∂y = q (1 - q)
    dL_dq: np.ndarray  #: ∂L/∂q = -p / q + (1 - p) / (1 - q)
    dL_dw: np.ndarray  #: ∂L/∂w = x (q - p)


def chain_rule_factors(x, w, p) -> ChainRuleFactors:
    """The four factors of ∂L/∂w for a neuron with cross-entropy, with live numbers.

    Args:
        x: inputs, shape (d,) (or (..., d), broadcast with ``w``).
        w: weights, shape (d,) (or (..., d), e.g. a trajectory's weights).
        p: target probability in [0, 1], a number (or broadcastable to the leading shape).

    Returns:
        A :class:`ChainRuleFactors`; ``y``, ``q``, ``dq_dy`` and ``dL_dq`` have the leading
        shape (numbers for 1-D input), ``dy_dw`` and ``dL_dw`` have the feature axis too.

    >>> f = chain_rule_factors([1.0, 2.0], [0.5, -0.25], 1.0)
    >>> float(f.y), float(f.q), float(f.dq_dy), float(f.dL_dq)
    (0.0, 0.5, 0.25, -2.0)
    >>> f.dL_dw.tolist()  # x (q - p) = (-2 · 0.25) · x
    [-0.5, -1.0]
    """
    x = _real_array(x, "x", "real numbers, shape (d,)")
    w = _real_array(w, "w", "real numbers, shape (d,)")
    if x.ndim == 0 or w.ndim == 0 or x.shape[-1] != w.shape[-1]:
        raise ValueError(f"x and w must have the same length d; got {x.shape} and {w.shape}")
    p = np.asarray(p)
    if p.dtype.kind not in "biuf" or not ((p >= 0) & (p <= 1)).all():
        raise ValueError(f"p must be a probability in [0, 1]; got {_describe(p)}")
    p = p.astype(np.float64)
    y = np.sum(x * w, axis=-1)
    with np.errstate(all="ignore"):
        e = np.exp(-np.abs(y))
        q = np.where(y >= 0, 1.0, e) / (1.0 + e)
        r = np.where(y >= 0, e, 1.0) / (1.0 + e)  # 1 - q, without cancellation
        # ∂L/∂q with 0 / 0 read as 0 (a term whose target weight is 0 does not count).
        dL_dq = np.where(p == 0, 0.0, -p / q) + np.where(p == 1, 0.0, (1 - p) / r)
    dL_dw = x * (q - p)[..., None]

    def num(a):
        return a[()] if a.ndim == 0 else a

    return ChainRuleFactors(
        y=num(y),
        q=num(q),
        dy_dw=np.broadcast_to(x, dL_dw.shape).copy(),
        dq_dy=num(q * r),
        dL_dq=num(np.asarray(dL_dq)),
        dL_dw=dL_dw,
    )


def finite_difference_grad(x, w, p, *, loss: str = "cross_entropy", h: float = 1e-6):
    """∂L/∂w by central differences (L(w + h e_i) - L(w - h e_i)) / 2h, to check a gradient.

    Takes the arguments of :func:`chain_rule_factors`, in the same order, so a page can
    show the analytic ``dL_dw`` next to this numerical one.

    Args:
        x: one example (d,) or a data set (n, d); L is the mean loss over the examples.
        w: weights, shape (d,).
        p: target probability, a number or (n,).
        loss: a name in ``BINARY_LOSSES``.
        h: the step, a finite number > 0.

    Returns:
        shape (d,).

    >>> finite_difference_grad([1.0, 2.0], [0.5, -0.25], 1.0).round(6).tolist()
    [-0.5, -1.0]
    """
    X, p, _ = _neuron_data(x, p)
    w = _real_array(w, "w", "real numbers, shape (d,)")
    if w.shape != (X.shape[1],):
        raise ValueError(f"w must have shape ({X.shape[1]},) to match x; got {w.shape}")
    loss = _check_loss(loss, BINARY_LOSSES)
    if isinstance(h, bool) or not isinstance(h, numbers.Real) or not (np.isfinite(h) and h > 0):
        raise ValueError(f"h must be a finite number > 0; got {h!r}")
    shifts = h * np.eye(w.size)
    with np.errstate(all="ignore"):
        from_logit = BINARY_LOSSES[loss].from_logit
        plus = from_logit(p, (w + shifts) @ X.T).value.mean(axis=-1)
        minus = from_logit(p, (w - shifts) @ X.T).value.mean(axis=-1)
    return (plus - minus) / (2 * h)


# --- K classes ------------------------------------------------------------------------------


def _check_target_distribution(t: object, k: int | None = None) -> np.ndarray:
    t = _real_array(t, "t", "a distribution over K classes, shape (K,) or (runs, K)")
    if t.ndim not in (1, 2) or t.shape[-1] < 2:
        raise ValueError(f"t must have shape (K,) or (runs, K) with K >= 2; got {t.shape}")
    if k is not None and t.shape[-1] != k:
        raise ValueError(f"t and z0 must have the same K; got {t.shape} and K = {k}")
    return check_distribution(t, "t", -1)  # in [0, 1], summing to 1 (shared check)


def descend_logits(t, z0, *, lr, steps: int, loss: str = "cross_entropy", tol=None):
    """Gradient descent directly on K logits z toward a target distribution t.

    Cross-entropy L = -Σ_k t_k log Q_k has ∂L/∂z = Q - t with Q = softmax(z); squared error
    L = Σ_k (Q_k - t_k)^2 has ∂L/∂z = J (2 (Q - t)) with the softmax Jacobian
    J = diag(Q) - Q Qᵀ, which vanishes where Q is confidently wrong. The mean of z never
    changes (both gradients sum to 0).

    Args:
        t: target distribution, shape (K,) (one-hot or soft) or (runs, K).
        z0: start logits, shape (K,) or (runs, K); finite.
        lr: learning rate > 0, a number or shape (runs,).
        steps: in [0, ``MAX_STEPS``].
        loss: a name in ``MULTICLASS_LOSSES`` (cross-entropy, squared error, label smoothing).
        tol: stop a run once ‖∂L/∂z‖ < tol (None: never).

    Returns:
        A :class:`Trajectory`: ``weights`` the logits (steps + 1, runs, K), ``prediction``
        Q = softmax(z) (steps + 1, runs, K).

    >>> traj = descend_logits([1, 0, 0], [0.0, 0.0, 0.0], lr=3.0, steps=1)
    >>> traj.weights[1, 0].tolist()  # z - lr (Q - t) = -3 ([1/3, 1/3, 1/3] - [1, 0, 0])
    [2.0, -1.0, -1.0]
    """
    z0 = _check_start(z0, "z0", "(K,) or (runs, K)")
    if z0.ndim not in (1, 2) or z0.shape[-1] < 2:
        raise ValueError(f"z0 must have shape (K,) or (runs, K) with K >= 2; got {z0.shape}")
    k = z0.shape[-1]
    t = _check_target_distribution(t, k)
    lr, steps, tol, loss, runs = _check_run_settings(
        lr, steps, tol, loss, MULTICLASS_LOSSES, z0, 1, "z0"
    )
    if t.ndim == 2 and t.shape[0] not in (1, runs):
        raise ValueError(f"t must have shape ({k},) or ({runs}, {k}) (one per run); got {t.shape}")
    _check_memory(steps, runs, 2 * k)
    t_col = np.ascontiguousarray(t.T) if t.ndim == 2 else t[:, None]  # (K, runs) or (K, 1)

    from_logits = MULTICLASS_LOSSES[loss].from_logits

    def evaluate(z):  # z (K, runs)
        return from_logits(t_col, z, 0)

    run = _descend(np.broadcast_to(z0, (runs, k)).T, lr, steps, tol, evaluate)
    return _trajectory(
        run, run.weights.transpose(0, 2, 1), run.prediction.transpose(0, 2, 1), lr, loss
    )


def _with_bias(X: np.ndarray) -> np.ndarray:
    return np.concatenate([X, np.ones((*X.shape[:-1], 1))], axis=-1)


def _regression_inputs(X, labels, W0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Softmax regression's points (n, d), labels (n,) in [0, K) and start weights
    (d + 1, K) or (runs, d + 1, K), checked; W0 None: zeros with K = labels.max() + 1."""
    X = _real_array(X, "X", "real numbers, shape (n, d)")
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X must have shape (n, d) with n, d >= 1; got {X.shape}")
    n, d = X.shape
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu" or labels.shape != (n,):
        raise ValueError(
            f"labels must be integers of shape ({n},) (one per point in X); "
            f"got dtype {labels.dtype}, shape {labels.shape}"
        )
    if labels.min() < 0:
        raise ValueError(f"labels must be integers in [0, K); got {labels.min()}")
    if W0 is None:
        k = max(int(labels.max()) + 1, 2)
        W0 = np.zeros((d + 1, k))
    W0 = _check_start(W0, "W0", "(d + 1, K) or (runs, d + 1, K)")
    if W0.ndim not in (2, 3) or W0.shape[-2] != d + 1 or W0.shape[-1] < 2:
        raise ValueError(
            f"W0 must have shape ({d + 1}, K) or (runs, {d + 1}, K) with K >= 2 "
            f"(d + 1 rows: the weights, then the bias); got {W0.shape}"
        )
    k = W0.shape[-1]
    if labels.max() >= k:
        raise ValueError(f"labels must be integers in [0, {k}) (K = {k}); got {labels.max()}")
    return X, labels, W0


def train_softmax_regression(
    X, labels, *, lr, steps: int, loss: str = "cross_entropy", W0=None, tol=None
):
    """Gradient descent on a linear K-class model with bias: Q = softmax([x, 1] · W).

    Minimises the mean over the n points of -log Q(true class) (cross-entropy) or of
    Σ_k (Q_k - t_k)^2 (squared error, t one-hot). For cross-entropy
    ∂L/∂W = [X, 1]ᵀ (Q - T) / n.

    Args:
        X: points, shape (n, d); finite.
        labels: integer classes in [0, K), shape (n,).
        lr: learning rate > 0, a number or shape (runs,).
        steps: in [0, ``MAX_STEPS``].
        loss: a name in ``MULTICLASS_LOSSES`` (cross-entropy, squared error, label smoothing).
        W0: start weights (d + 1, K) or (runs, d + 1, K), the bias in the last row;
            None: zeros with K = labels.max() + 1 (every class equally likely).
        tol: stop a run once ‖∂L/∂W‖ < tol (None: never).

    Returns:
        A :class:`Trajectory`: ``weights`` (steps + 1, runs, d + 1, K), ``prediction`` the
        class probabilities of every point (steps + 1, runs, n, K).

    >>> X = np.array([[-1.0], [1.0]]); labels = np.array([0, 1])
    >>> traj = train_softmax_regression(X, labels, lr=1.0, steps=100)
    >>> float(accuracy(traj.weights[-1, 0], X, labels))
    1.0
    """
    X, labels, W0 = _regression_inputs(X, labels, W0)
    n, d = X.shape
    k = W0.shape[-1]
    lr, steps, tol, loss, runs = _check_run_settings(
        lr, steps, tol, loss, MULTICLASS_LOSSES, W0, 2, "W0"
    )
    _check_memory(steps, runs, (d + 1) * k + n * k)
    Xb = _with_bias(X)
    Xbt = np.ascontiguousarray(Xb.T)
    T = np.zeros((k, n, 1))  # one-hot targets, class axis first
    T[labels, np.arange(n), 0] = 1.0

    from_logits = MULTICLASS_LOSSES[loss].from_logits

    def evaluate(W):  # W (K, d + 1, runs): class axis first, runs last
        Z = np.matmul(Xb, W)  # (K, n, runs)
        value, dZ, Q = from_logits(T, Z, 0)
        grad = np.matmul(Xbt, dZ)  # (K, d + 1, runs)
        grad /= n
        mean = np.add.reduce(value, axis=0)
        mean /= n
        return mean, grad, Q

    W0 = np.broadcast_to(W0, (runs, d + 1, k)).transpose(2, 1, 0)
    run = _descend(W0, lr, steps, tol, evaluate)
    return _trajectory(
        run, run.weights.transpose(0, 3, 2, 1), run.prediction.transpose(0, 3, 2, 1), lr, loss
    )


def predict_proba(W, X):
    """Class probabilities softmax([x, 1] · W) of a softmax-regression model.

    Args:
        W: weights (..., d + 1, K), the bias in the last row, e.g. ``trajectory.weights``
            or one step of it.
        X: points, shape (n, d) (e.g. a grid for decision regions).

    Returns:
        shape (..., n, K), rows summing to 1.

    >>> W = np.array([[1.0, -1.0], [0.0, 0.0]])  # d = 1, K = 2, no bias
    >>> predict_proba(W, [[0.0], [1.0]]).round(4).tolist()
    [[0.5, 0.5], [0.8808, 0.1192]]
    """
    W = _real_array(W, "W", "real numbers, shape (..., d + 1, K)")
    X = _real_array(X, "X", "real numbers, shape (n, d)")
    if X.ndim != 2 or W.ndim < 2 or W.shape[-2] != X.shape[1] + 1:
        raise ValueError(
            f"W must have shape (..., d + 1, K) for X of shape (n, d); got {W.shape} and {X.shape}"
        )
    Z = _with_bias(X) @ W
    # softmax(z) = exp(z - m) / Σ exp(z - m): the same ratio, every exponent <= 0.
    Z -= np.max(Z, axis=-1, keepdims=True)
    np.exp(Z, out=Z)
    Z /= np.sum(Z, axis=-1, keepdims=True)
    return Z


def accuracy(W, X, labels):
    """Fraction of points whose most probable class is their label.

    Args:
        W: weights (..., d + 1, K), e.g. ``trajectory.weights`` for accuracy per step.
        X: points (n, d).
        labels: integer classes, shape (n,).

    Returns:
        shape (...) (a number for one W).

    >>> float(accuracy(np.array([[1.0, -1.0], [0.0, 0.0]]), [[1.0], [-1.0]], [0, 0]))
    0.5
    """
    labels = np.asarray(labels)
    X = np.asarray(X)
    if labels.dtype.kind not in "iu" or labels.shape != X.shape[:1]:
        raise ValueError(f"labels must be integers of shape ({X.shape[0]},); got {labels.shape}")
    W = _real_array(W, "W", "real numbers, shape (..., d + 1, K)")
    X = _real_array(X, "X", "real numbers, shape (n, d)")
    if X.ndim != 2 or W.ndim < 2 or W.shape[-2] != X.shape[1] + 1:
        raise ValueError(
            f"W must have shape (..., d + 1, K) for X of shape (n, d); got {W.shape} and {X.shape}"
        )
    Z = _with_bias(X) @ W  # argmax of the logits = argmax of the probabilities
    out = np.mean(np.argmax(Z, axis=-1) == labels, axis=-1)
    return out[()] if out.ndim == 0 else out


# --- reading trajectories --------------------------------------------------------------------


def steps_to_reach(trajectory, threshold):
    """Per run, the first step whose loss is at or below ``threshold``; -1 if never.

    Args:
        trajectory: a :class:`Trajectory` (its ``loss`` is used), or any array of per-step
            values of shape (steps + 1, runs), e.g. ``abs(traj.prediction - p)``.
        threshold: a number, or shape (runs,); not NaN.

    Returns:
        int64 array of shape (runs,); 0 when the start already qualifies.

    >>> steps_to_reach(np.array([[3.0, 3.0], [2.0, 3.0], [1.0, 3.0]]), 2.0).tolist()
    [1, -1]
    """
    values = trajectory.loss if isinstance(trajectory, Trajectory) else np.asarray(trajectory)
    if values.dtype.kind not in "biuf" or values.ndim != 2:
        raise ValueError(
            f"trajectory must be a Trajectory or per-step values of shape (steps + 1, runs); "
            f"got {getattr(values, 'shape', None)}"
        )
    threshold = np.asarray(threshold)
    if threshold.dtype.kind not in "biuf" or np.isnan(threshold).any():
        raise ValueError(f"threshold must be a number (not NaN) or one per run; got {threshold!r}")
    if threshold.ndim > 1 or (threshold.ndim == 1 and threshold.shape[0] != values.shape[1]):
        raise ValueError(
            f"threshold must be a number or have shape ({values.shape[1]},); got {threshold.shape}"
        )
    return _first_true(values <= threshold)


def grid_runs(starts, lrs):
    """Every (start, learning rate) pair as runs, start-major: run = i_start · L + i_lr.

    Args:
        starts: S starts, shape (S, ...) (e.g. (S, d) weights or (S, K) logits).
        lrs: L learning rates > 0, shape (L,).

    Returns:
        ``(w0, lr)`` of shapes (S · L, ...) and (S · L,); reshape a per-run result with
        ``.reshape(S, L)``.

    >>> w0, lr = grid_runs([[0.0], [1.0]], [0.1, 1.0])
    >>> w0[:, 0].tolist(), lr.tolist()
    ([0.0, 0.0, 1.0, 1.0], [0.1, 1.0, 0.1, 1.0])
    """
    starts = _real_array(starts, "starts", "real numbers, shape (S, ...)")
    if starts.ndim < 1 or starts.shape[0] == 0:
        raise ValueError(f"starts must have shape (S, ...) with S >= 1; got {starts.shape}")
    lrs = _check_lr(lrs)
    lrs = np.atleast_1d(lrs)
    return np.repeat(starts, lrs.size, axis=0), np.tile(lrs, starts.shape[0])


# --- softmax cross-entropy: value and gradient in one pass --------------------------------

#: Rows per block of the fused softmax cross-entropy are chosen so a block of logits is
#: about this many bytes: small enough that its five passes stay in the L2 cache, large
#: enough that the per-block Python overhead is small.
FUSED_BLOCK_BYTES = 1 << 18


def _checked_out(out, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """``out`` if it can take the gradient: writable, C-contiguous, ``shape`` and ``dtype``."""
    if (
        not isinstance(out, np.ndarray)
        or out.shape != shape
        or out.dtype != dtype
        or not out.flags.c_contiguous
        or not out.flags.writeable
    ):
        raise ValueError(
            f"out must be a writable C-contiguous array of shape {shape} and dtype "
            f"{dtype}; got {getattr(out, 'shape', type(out).__name__)}"
        )
    return out


def softmax_cross_entropy_value_and_grad(target, z, *, out=None):
    """Softmax cross-entropy -Σ_k t_k log softmax(z)_k and its gradient softmax(z) - t, fused.

    The value and the gradient share the shift by the max, the exponentials and their sum,
    so this does the work of ``softmax_cross_entropy_with_*`` and ``softmax`` together.
    The rows are processed in blocks that fit in the CPU cache, so main memory sees one
    read of ``z`` and one write of the gradient (with ``out=z``, one read-write pass).

    Args:
        target: integer labels in [0, K), shape (...,), or a target distribution (one-hot
            or soft) of the shape of ``z``.
        z: logits, shape (..., K), the class axis last; may hold ±inf (not NaN).
        out: optional C-contiguous array for the gradient, the shape of ``z`` and its
            floating dtype; may be ``z`` itself, which is then overwritten.

    Returns:
        ``(loss, grad)``: loss of shape (...,) in nats (a number for 1-D ``z``) and the
        gradient ∂L/∂z = softmax(z) - t of the shape of ``z``, in ``z``'s floating dtype.

    >>> loss, grad = softmax_cross_entropy_value_and_grad(0, [0.0, 0.0])
    >>> round(float(loss), 4), grad.tolist()  # log 2, and softmax - t = (1/2 - 1, 1/2)
    (0.6931, [-0.5, 0.5])
    """
    z = np.asarray(z)
    if z.dtype.kind not in "biuf" or z.ndim == 0 or z.shape[-1] == 0:
        raise ValueError(
            f"z must be real logits with a class axis (last, K >= 1); got {z.dtype}, {z.shape}"
        )
    dtype = z.dtype if z.dtype.kind == "f" else np.dtype(np.float64)
    k = z.shape[-1]
    z2 = np.ascontiguousarray(z.reshape(-1, k), dtype=dtype)
    labels, t2 = _fused_target(target, z.shape, dtype)
    grad = np.empty_like(z2) if out is None else _checked_out(out, z.shape, dtype).reshape(-1, k)
    n = z2.shape[0]
    loss = np.empty(n, dtype=dtype)
    block = max(1, FUSED_BLOCK_BYTES // (k * dtype.itemsize))
    # exp(z) goes straight into the output, except when the output is z itself: then a
    # block-sized scratch keeps z intact for the shifted fallback.
    in_place = np.may_share_memory(grad, z2)  # bounds only: cheap and conservative
    scratch = np.empty((min(block, n), k), dtype=dtype) if in_place else None
    for a in range(0, n, block):
        b = min(a + block, n)
        _fused_block(z2[a:b], grad[a:b], loss[a:b], labels, t2, a, b, scratch)
    loss = loss.reshape(z.shape[:-1])
    grad = grad.reshape(z.shape)
    if out is not None:
        grad = out
    return (loss[()] if loss.ndim == 0 else loss), grad


def _fused_target(target, shape: tuple[int, ...], dtype: np.dtype):
    """(labels (n,), None) for integer labels, (None, t (n, K)) for a distribution."""
    target = np.asarray(target)
    k = shape[-1]
    if target.dtype.kind in "iu" and target.shape == shape[:-1]:
        labels = target.reshape(-1)
        if labels.size and (labels.min() < 0 or labels.max() >= k):
            raise ValueError(
                f"labels must be integers in [0, {k}); got values in "
                f"[{labels.min()}, {labels.max()}]"
            )
        return labels, None
    if target.shape != shape:
        raise ValueError(
            f"target must be integer labels of shape {shape[:-1]} or a distribution of "
            f"shape {shape}; got {target.dtype}, {target.shape}"
        )
    t = check_distribution(as_float(target, "t", dtype), "t", -1)
    return None, np.ascontiguousarray(t.reshape(-1, k))


#: The unshifted fast path of the fused softmax cross-entropy is taken for a block when
#: every row has |log Σ exp z| + |z_target| <= this bound (see ``_fused_block``).
_UNSHIFTED_BOUND = 32.0


def _fused_block(zc, gc, loss, labels, t2, a: int, b: int, scratch) -> None:
    """One block of rows: writes softmax(z) - t into ``gc`` and the loss into ``loss``.

    Shifting by the row max m costs two passes (the max, then z - m). It only matters
    when exp(z) would overflow or underflow, or when log Σ exp(z) - z_target would cancel
    (large common offsets). So the block is first tried unshifted, and the result kept
    only if every row has |log s| + |z_target| <= 32 with s = Σ exp(z): then nothing
    overflowed, s is a normal number, and the cancellation in log s - z_target adds at
    most about 32 ε (ε the machine epsilon), the size of the shifted formula's own error
    for ordinary logits. Otherwise (or for ±inf, NaN)
    the block is redone with the shift. exp(z) is written straight into ``gc``, or into
    ``scratch`` when ``gc`` is ``z`` itself (so that z stays intact for the fallback).
    """
    rows = np.arange(b - a)
    e = gc if scratch is None else scratch[: b - a]
    if t2 is None:
        lab = labels[a:b]
        picked = zc[rows, lab]
    else:
        picked = np.einsum("ij,ij->i", t2[a:b], zc)  # Σ_k t_k z_k
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        # Unshifted: pass 1 exp(z), pass 2 the row sums; L = log s - z_target.
        np.exp(zc, out=e)
        s = np.add.reduce(e, axis=1)
        log_s = np.log(s)
        cancel = np.abs(log_s) + np.abs(picked)  # NaN or inf for every bad row
    if not (cancel <= _UNSHIFTED_BOUND).all():
        m = np.max(zc, axis=1, keepdims=True)
        if not np.isfinite(m).all():  # ±inf or NaN logits: the careful public functions
            _fused_block_public(zc, gc, loss, labels, t2, a, b)
            return
        # Shift first, also before picking the target logit (large offsets cancel first).
        np.subtract(zc, m, out=e)
        if t2 is None:
            picked = e[rows, lab]
        else:
            with np.errstate(invalid="ignore"):
                picked = np.einsum("ij,ij->i", t2[a:b], e)
            if not np.isfinite(picked).all():  # 0 · (-inf) for a -inf logit
                _fused_block_public(zc, gc, loss, labels, t2, a, b)
                return
        np.exp(e, out=e)
        s = np.add.reduce(e, axis=1)
        log_s = np.log(s)
    np.subtract(log_s, picked, out=loss)
    # Last pass: softmax = exp(·) / s as a multiply by 1/s, written to the output.
    np.reciprocal(s, out=s)
    np.multiply(e, s[:, None], out=gc)  # in place when e is gc
    if t2 is None:
        gc[rows, lab] -= 1
    else:
        gc -= t2[a:b]


def _fused_block_public(zc, gc, loss, labels, t2, a: int, b: int) -> None:
    """A block with ±inf or NaN logits, through the validating public functions."""
    if t2 is None:
        loss[:] = softmax_cross_entropy_with_integer_labels(labels[a:b], zc)
        q = softmax(zc)
        q[np.arange(b - a), labels[a:b]] -= 1
        gc[:] = q
    else:
        loss[:] = softmax_cross_entropy_with_logits(t2[a:b], zc)
        gc[:] = softmax(zc) - t2[a:b]


# --- the race, in two phases ----------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RacePhases:
    """Each run of a one-example neuron race split into *escaping* and *approaching*.

    The line between the phases is q = ½, the decision threshold: a prediction on the same
    side of ½ as p already gives the right answer when rounded to a label, so until then
    the model is *wrong*, after it only *imprecise*. At p = ½ there is no wrong side: the
    escape phase takes 0 steps and the whole run is approach. A prediction of exactly ½
    (with p ≠ ½) is not yet on the right side. A prediction already within ``tol`` of its
    goal has nothing left to escape either (this only matters for p within ``tol`` of ½).

    *Arrived* means settled: within ``tol`` of the goal and staying there to the end of the
    steps run. A run that touches the band and leaves it again has not arrived.

    Attributes (each (runs,), int64, -1 for "never within the steps run"):
        escape: first step on the right side of ½ (0 when the start is already there).
        arrival: the step from which |q - goal| <= tol holds at every later step of the run
            (-1 if the last step is outside, or the run never settles, see ``cycles``).
        approach: ``arrival - escape``, the steps spent near the answer.
        started_right: (runs,) bool, q₀ already on the right side.
        overshoot: (runs,) bool, after escaping, q went past the goal by more than ``tol``.
        diverged: (runs,) bool, copied from the trajectory; a diverged run's phases count
            only the states before its last update.
        cycles: (runs,) bool, the run cannot settle at its goal (``never_settles`` of
            :func:`race_phases`, e.g. a learning rate past the step-size condition) and did
            not diverge: its arrival is -1 whatever the band.
        goal: (runs,) the value approached (p, or a loss's own minimiser).
        tol: the tolerance.
    """

    escape: np.ndarray
    arrival: np.ndarray
    approach: np.ndarray
    started_right: np.ndarray
    overshoot: np.ndarray
    diverged: np.ndarray
    cycles: np.ndarray
    goal: np.ndarray
    tol: float


def _first_true(hit: np.ndarray) -> np.ndarray:
    """Per column, the first row where ``hit`` holds; -1 if none."""
    return np.where(hit.any(axis=0), np.argmax(hit, axis=0), -1).astype(np.int64)


def _stays(hit: np.ndarray) -> np.ndarray:
    """Per column, the first row from which ``hit`` holds to the last row; -1 if none."""
    tail = np.logical_and.accumulate(hit[::-1], axis=0)[::-1]
    return _first_true(tail)


def _check_phase_args(tol, p) -> tuple[float, np.ndarray]:
    tol = _check_tol(tol)
    if tol is None or tol >= 1:
        raise ValueError(f"tol must be a number in (0, 1); got {tol!r}")
    p = _real_array(p, "p", "a probability in [0, 1]")
    if not ((p >= 0) & (p <= 1)).all() or p.ndim > 1:
        raise ValueError(f"p must be a probability in [0, 1] or one per run; got {_describe(p)}")
    return tol, p


def race_phases(
    trajectory: Trajectory, p, *, tol: float, goal=None, never_settles=None, budget=None
) -> RacePhases:
    """Split every run of a one-example neuron trajectory into escape and approach.

    Args:
        trajectory: from :func:`train_neuron` with one example (prediction (steps + 1, runs)).
        p: the target probability in [0, 1] (a number or one per run).
        tol: how close to ``goal`` counts as arrived, in (0, 1).
        goal: the value to approach, default p; pass a loss's own minimiser (see
            ``xent.scoring``) when the loss is not proper, so that a run is not called slow
            for settling where its loss is smallest.
        never_settles: (runs,) bool or a bool, runs that cannot settle at their goal
            (``scoring.step_factor`` above 1 in size): they get ``cycles`` and no arrival.
        budget: the steps that count (default: all). The rows after it are a look-ahead:
            a run has arrived only if it stays within ``tol`` through them too, so that a
            run touching the band at the budget's last step and leaving is not "arrived".

    >>> traj = train_neuron([1.0], 1.0, [np.log(0.01 / 0.99)], lr=1.0, steps=60)  # q0 = 0.01
    >>> ph = race_phases(traj, 1.0, tol=0.05)
    >>> int(ph.escape[0]), int(ph.approach[0])
    (6, 19)
    """
    q = np.asarray(trajectory.prediction)
    if q.ndim != 2:
        raise ValueError(f"race_phases needs a one-example trajectory; got predictions {q.shape}")
    tol, p = _check_phase_args(tol, p)
    runs = q.shape[1]
    p = np.broadcast_to(p, (runs,))
    goal = p if goal is None else np.broadcast_to(_real_array(goal, "goal", "numbers"), (runs,))
    rows = np.arange(q.shape[0])[:, None]
    valid = ~trajectory.diverged | (rows < trajectory.steps_taken)
    near = np.abs(q - goal) <= tol
    right = ((q - 0.5) * (p - 0.5) > 0) | (p == 0.5) | near
    counted = rows <= (q.shape[0] - 1 if budget is None else int(budget))
    escape = _first_true(right & valid & counted)
    after = (rows >= np.where(escape < 0, q.shape[0], escape)) & counted
    diverged = np.asarray(trajectory.diverged).copy()
    cycles = (
        np.zeros(runs, bool) if never_settles is None else np.broadcast_to(never_settles, (runs,))
    )
    cycles = cycles & ~diverged
    # near ⊂ right, so a run that stays near from some step on has escaped by then
    arrival = _stays(near & valid)
    arrival = np.where(cycles | (arrival >= counted.sum()), -1, arrival)
    start_side = np.sign(q[0] - goal)
    overshoot = (after & valid & (np.sign(q - goal) == -start_side) & ~near).any(axis=0)
    approach = np.where((escape >= 0) & (arrival >= 0), arrival - escape, -1)
    return RacePhases(
        escape=escape,
        arrival=arrival.astype(np.int64),
        approach=approach.astype(np.int64),
        started_right=right[0],
        overshoot=overshoot & (start_side != 0),
        diverged=diverged,
        cycles=cycles,
        goal=np.array(goal, dtype=np.float64),
        tol=tol,
    )
