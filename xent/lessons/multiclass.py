"""The Multiclass lesson, Streamlit-free: its readings, its chart frames and typed results.

Readings take class labels already escaped for Markdown (the page escapes the names once);
they never escape or format text for Streamlit themselves. Every number in every sentence
is checked against plain numpy in tests/test_lesson_multiclass.py.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from xent import explanations, frames, training
from xent.data import CLASS_NAMES, DEFAULT_CLASSES, MAX_CLASSES
from xent.explanations import fmt, fmt_signed, steps_words
from xent.pagestate import PageState

STATE = PageState(
    slug="multiclass",
    defaults={
        "k": DEFAULT_CLASSES,
        "names": ", ".join(CLASS_NAMES[:DEFAULT_CLASSES]),
        "y": 1,
        "ls": 0.0,
        **{f"z{i + 1}": v for i, v in enumerate((2.0, 1.0, 0.1, *([0.0] * (MAX_CLASSES - 3))))},
        "lr": 1.0,
        "steps": 30,
        "n": 30,
        "spread": 1.0,
        "seed": 0,
        "rlr": 0.3,
        "rsteps": 100,
        "za": 10.0,
    },
    presets={
        "Somewhat wrong (default)": {},
        "Confident and wrong": {"z1": 4.0, "z2": -2.0, "z3": 0.0},
        "Nearly right": {"z1": 0.0, "z2": 3.0, "z3": 0.0},
        "Uniform guess": {"z1": 0.0, "z2": 0.0, "z3": 0.0},
        "Label smoothing": {"ls": 0.1},
        "Ten classes": {"k": 10},
        "Overlapping blobs": {"spread": 2.5},
        "Extreme logits (numerics)": {"za": 1000.0},
    },
    docs={
        "k": "number of classes K",
        "names": "class names, comma-separated",
        "y": "the true class (its name)",
        "ls": "label smoothing ε",
        "z1 … z10": "logits z₁ … z_K",
        "lr": "learning rate η of the logit descent",
        "steps": "steps of the logit descent",
        "t": "step shown by the logit scrubber",
        "n": "points per class (softmax regression)",
        "spread": "blob spread",
        "seed": "random seed of the blobs",
        "rlr": "learning rate of the softmax regression",
        "rsteps": "steps of the softmax regression",
        "rt": "step shown by the regression scrubber",
        "za": "size a of the extreme logits z = (a, 0, −a) (numerics)",
    },
)
"""The page's URL keys, their defaults, presets and docs (its entry in ``xent.navigation``
carries them; ``xent.ui`` draws them)."""

# --- softmax, the target and the loss --------------------------------------------------------


def bars_reading(Q: np.ndarray, t: np.ndarray, true_index: int, labels: Sequence[str]) -> str:
    """The true class's probability, its target and whether the top guess is right."""
    top = int(np.argmax(Q))
    text = (
        f"The model gives {labels[true_index]} Q = {fmt(Q[true_index])}; "
        f"the target puts {fmt(t[true_index])} there."
    )
    # classes whose Q reads the same as the largest, at the decimals shown, tie for the top
    tied = [k for k in range(len(Q)) if fmt(Q[k]) == fmt(Q[top])]
    if len(tied) > 1:
        names = " and ".join(labels[k] for k in tied)
        return text + f" Its top guess is a tie between {names} ({fmt(Q[top])} each, as shown)."
    if top != true_index:
        return text + f" Its top guess is {labels[top]} ({fmt(Q[top])}): wrong."
    return text + " Its top guess is right."


def nll_reading(q_true: float, loss: float, smoothing: float, label: str) -> str:
    """−log Q(true) (Q shown with the decimals that make the equality hold as printed);
    with smoothing the loss is the whole sum −Σ t log Q, and a model sure of one class
    pays ∞ (every class has t > 0); without it the slope note."""
    if smoothing > 0:
        return (
            f"With label smoothing ε = {fmt(smoothing)} the loss is the whole sum "
            f"L = −Σ t log Q = {fmt(loss)} nats, not −log Q({label}) alone: every class has a "
            f"target t > 0, so a model sure of {label} (Q = 1, every other Q = 0) would pay ∞. "
            "L is smallest at Q = t."
        )
    nll = -np.log(q_true) if q_true > 0 else np.inf
    shown_nll = fmt(nll)
    shown_q = explanations.shown_operand(
        q_true, lambda v: -math.log(v) if v > 0 else math.inf, shown_nll
    )
    text = (
        f"−log Q({label}) = −log {shown_q} = {shown_nll} nats; "
        "a model sure of the truth (Q = 1) would pay 0."
    )
    # the step on the true logit is Q − 1 only for a one-hot target
    return text + " " + explanations.logit_slope_reading(label, q_true)


def grad_reading(grad: np.ndarray, labels: Sequence[str]) -> str:
    """The gradient Q − t per class (the first five) and what a step does with it."""
    parts = [f"{name} {fmt_signed(g)}" for name, g in zip(labels, grad, strict=True)]
    shown = ", ".join(parts[:5]) + (", …" if len(parts) > 5 else "")
    return (
        f"∂L/∂z = Q − t: {shown}. Negative entries get raised by a gradient step, "
        "positive ones lowered; they sum to 0."
    )


@dataclass(frozen=True)
class SmoothedTarget:
    """The target t = (1 − ε)·one-hot + ε/K and the smallest loss it allows, H(t)."""

    k: int
    epsilon: float
    t_true: float  # t at the true class: 1 − ε + ε/K
    t_other: float  # t at every other class: ε/K
    entropy: float  # min over Q of L = −Σ t log Q, reached at Q = t


def smoothed_target(k: int, epsilon: float) -> SmoothedTarget:
    t = frames.target_vector(k, 0, epsilon)
    positive = t[t > 0]
    return SmoothedTarget(
        k, float(epsilon), float(t[0]), float(t[1]), float(-(positive * np.log(positive)).sum())
    )


def loss_formula(smoothing: float) -> tuple[str, str]:
    """The loss as (latex, words): −Σ t log Q, which is −log Q(true) only for a one-hot
    target; with label smoothing every class's term counts, so the formula stops there."""
    if smoothing > 0:
        return (
            r"L = -\sum_k t_k \log Q_k",
            "L is minus the sum of t_k log Q_k: with label smoothing every class has t_k > 0, "
            "so every term counts (not only minus log Q of the true class).",
        )
    return (
        r"L = -\sum_k t_k \log Q_k = -\log Q(\text{true})",
        "L is minus the sum of t_k log Q_k: for a one-hot t, minus log Q of the true class.",
    )


def smoothing_reading(s: SmoothedTarget, label: str) -> str:
    """What label smoothing is for and what it changes: where L is smallest and Q − t."""
    if s.epsilon == 0:
        return (
            f"Without label smoothing (ε = 0) the target is one-hot: L = −log Q({label}) "
            "falls towards 0 only as Q → one-hot, which no finite logits reach, so descent "
            "keeps pushing the logits apart: the model grows ever more confident."
        )
    return (
        f"Label smoothing ε = {fmt(s.epsilon)} trains on a softer target, against "
        f"over-confidence: t({label}) = 1 − ε + ε/K = {fmt(s.t_true, 3)} and every other class "
        f"ε/K = {fmt(s.t_other, 3)}. The minimum of L is then no longer at Q = one-hot but at "
        f"Q = t, where L = H(t) = {fmt(s.entropy, 3)} nats and the gradient Q − t is 0: "
        "finite logits reach it, so descent stops pushing them apart."
    )


# --- descent on the logits -------------------------------------------------------------------


def descent_reading(run: frames.LogitRun, t: int, true_index: int, label: str) -> str:
    s = run.summary
    return (
        f"Step {t}: Q({label}) = {fmt(s.Q[t, true_index])}, L = {fmt(s.loss[t])} nats. "
        f"From Q = {fmt(s.q_true_start)} at the start to {fmt(s.q_true_end)} "
        f"after {steps_words(s.steps)} (L = {fmt(s.loss_end)})."
    )


def simplex_reading(run: frames.LogitRun, t: int, label: str, smoothing: float = 0.0) -> str:
    """Where the path across the triangle goes: the ★ corner for a one-hot target; with
    label smoothing ε the point Q = t inside the triangle (L is smallest there), unless the
    steps overshoot it (the loss ends above where it started)."""
    Q = run.summary.Q
    k = Q.shape[1]
    if smoothing > 0:
        on, off = 1 - smoothing + smoothing / k, smoothing / k
        target = f"Q = t, inside the triangle ({label} {fmt(on)}, the others {fmt(off)} each)"
        if run.summary.loss_end > run.summary.loss_start:
            goal = (
                f"is meant for the smoothed target {target}, but with this learning rate the "
                "steps overshoot it and the path does not settle there"
            )
        else:
            goal = f"heads for the smoothed target {target}, not the ★ {label} corner"
    else:
        goal = f"heads for the ★ {label} corner"
    return (
        f"Each point is one Q: a corner means certainty. The path starts at "
        f"({' / '.join(fmt(x) for x in Q[0])}) and {goal}; "
        f"at step {t} it is at ({' / '.join(fmt(x) for x in Q[t])})."
    )


RACE_SERIES = {"cross_entropy": "cross-entropy", "squared_error": "squared error"}


@dataclass(frozen=True)
class LogitRaceRun:
    """Cross-entropy and squared error descending the same logits to a one-hot target."""

    race: explanations.LogitRace  # the final Q(true class) of each loss
    q_true: pd.DataFrame  # step, value (Q of the true class), series (the loss)


def logit_race_run(z0: Sequence[float], true_index: int, lr: float, steps: int) -> LogitRaceRun:
    """Q(true class) at every step of both descents (``training.descend_logits``)."""
    z0 = np.asarray(z0, dtype=np.float64)
    target = np.eye(z0.size)[true_index]
    q = {
        loss: training.descend_logits(target, z0, lr=lr, steps=steps, loss=loss).prediction[
            :, 0, true_index
        ]
        for loss in RACE_SERIES
    }
    step = np.arange(steps + 1)
    frame = pd.concat(
        [pd.DataFrame({"step": step, "value": q[k], "series": RACE_SERIES[k]}) for k in q],
        ignore_index=True,
    )
    race = explanations.LogitRace(
        tuple(z0.tolist()),
        int(true_index),
        float(lr),
        int(steps),
        float(q["cross_entropy"][-1]),
        float(q["squared_error"][-1]),
    )
    return LogitRaceRun(race, frame)


def logit_race_reading(run: LogitRaceRun, label: str, smoothing: float) -> str:
    text = explanations.logit_race_reading(run.race, label)
    if smoothing > 0:
        text += " Both race to the one-hot target, without label smoothing."
    return text


# --- softmax regression: accuracy vs loss ----------------------------------------------------


def regression_reading(v: frames.RegressionRun) -> str:
    at = v.at
    return (
        f"At step {at.step}: mean loss {fmt(at.loss_at)} nats (from "
        f"{fmt(at.loss_start)} = log K at the start), {at.accuracy:.0%} of the "
        f"{at.n} points classified right."
    )


@dataclass(frozen=True)
class FlatStretch:
    """The last run of steps over which accuracy did not change, and the loss across it."""

    first: int  # the step accuracy last changed (or 0)
    last: int
    accuracy: float
    loss_first: float
    loss_last: float


def flat_stretch(accuracy: np.ndarray, loss: np.ndarray) -> FlatStretch:
    changed = np.flatnonzero(np.diff(accuracy))
    first = int(changed[-1] + 1) if changed.size else 0
    last = accuracy.size - 1
    return FlatStretch(first, last, float(accuracy[-1]), float(loss[first]), float(loss[last]))


def accuracy_reading(accuracy: np.ndarray, loss: np.ndarray) -> str:
    """Accuracy jumps, the loss moves every step; and where accuracy is flat while the loss
    still falls, the model's geometric-mean probability of the true classes, exp(−L), grows."""
    text = explanations.accuracy_vs_loss_reading(accuracy, loss)
    s = flat_stretch(accuracy, loss)
    before, after = fmt(np.exp(-s.loss_first)), fmt(np.exp(-s.loss_last))
    if s.last - s.first >= 1 and s.loss_last < s.loss_first and before != after:
        text += (
            f" From step {s.first} to {s.last} accuracy stayed at {fmt(100 * s.accuracy, 0)}% "
            f"while the loss fell from {fmt(s.loss_first)} to {fmt(s.loss_last)}: the "
            f"probability given to the true classes (geometric mean exp(−L)) rose from "
            f"{before} to {after}, a growing confidence accuracy cannot see."
        )
    return text


# --- numerics: why frameworks take logits ----------------------------------------------------

LOGIT_SIZES = (1.0, 10.0, 100.0, 300.0, 400.0, 700.0, 710.0, 1000.0)
"""The choices of a in z = (a, 0, −a): fine up to 300, the naive log underflows from 400
(e^−2a < the smallest double) and exp overflows from 710 (e^710 > the largest double)."""


def extreme_logits(a: float) -> tuple[float, float, float]:
    return (float(a), 0.0, -float(a))


def log_softmax_table(c: explanations.LogSoftmaxComparison) -> pd.DataFrame:
    """The numerics table: per class z, the naive log(softmax(z)) and the log-sum-exp form,
    as the strings the reading uses (∞, −∞ and 'undefined' for NaN)."""
    return pd.DataFrame(
        {
            "k": list(range(1, len(c.z) + 1)),
            "z": [fmt(x) for x in c.z],
            "naive log(exp(z) / Σ exp(z))": [fmt(x) for x in c.naive],
            "log-sum-exp: z − max z − log Σ exp(z − max z)": [fmt(x) for x in c.stable],
        }
    )
