"""The Multiclass lesson, Streamlit-free: its readings, its chart frames and typed results.

Readings take class labels already escaped for Markdown (the page escapes the names once);
they never escape or format text for Streamlit themselves. Every number in every sentence
is checked against plain numpy in tests/test_lesson_multiclass.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from xent import data, explanations, frames, training
from xent.data import DEFAULT_CLASSES, MAX_CLASSES
from xent.explanations import fmt, fmt_signed, steps_words
from xent.i18n import LANGUAGES, N_, tr, using
from xent.pagestate import PageState


class Defaults(Mapping[str, Any]):
    """A page's defaults whose ``names`` is the default class names in the reader's language
    (``"Apple, Gorilla, Rappa"``; ``"りんご, ゴリラ, ラッパ"``), read when asked: the class-names
    box, Reset, the address and the Share link all leave the names out at their default, in
    either language. Every other default is a plain value."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)

    def __getitem__(self, key: str) -> Any:
        if key == "names":
            return data.default_names(DEFAULT_CLASSES)
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return repr(dict(self))


STATE = PageState(
    slug="multiclass",
    defaults=Defaults(
        {
            "k": DEFAULT_CLASSES,
            "names": data.default_names(DEFAULT_CLASSES),
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
        }
    ),
    # a preset's name is its identity (stored, in links): shown through tr(name)
    presets={
        N_("Somewhat wrong (default)"): {},
        N_("Confident and wrong"): {"z1": 4.0, "z2": -2.0, "z3": 0.0},
        N_("Nearly right"): {"z1": 0.0, "z2": 3.0, "z3": 0.0},
        N_("Uniform guess"): {"z1": 0.0, "z2": 0.0, "z3": 0.0},
        N_("Label smoothing"): {"ls": 0.1},
        N_("Ten classes"): {"k": 10},
        N_("Overlapping blobs"): {"spread": 2.5},
        N_("Extreme logits (numerics)"): {"za": 1000.0},
    },
    docs={
        "k": N_("number of classes K"),
        "names": N_("class names, comma-separated"),
        "y": N_("the true class (its name)"),
        "ls": N_("label smoothing ε"),
        "z1 … z10": N_("logits z₁ … z_K"),
        "lr": N_("learning rate η of the logit descent"),
        "steps": N_("steps of the logit descent"),
        "t": N_("step shown by the logit scrubber"),
        "n": N_("points per class (softmax regression)"),
        "spread": N_("blob spread"),
        "seed": N_("random seed of the blobs"),
        "rlr": N_("learning rate of the softmax regression"),
        "rsteps": N_("steps of the softmax regression"),
        "rt": N_("step shown by the regression scrubber"),
        "za": N_("size a of the extreme logits z = (a, 0, −a) (numerics)"),
    },
)
"""The page's URL keys, their defaults, presets and docs (its entry in ``xent.navigation``
carries them; ``xent.ui`` draws them). Preset names and docs are English marked with ``N_``:
shown through ``tr``; the defaults' ``names`` follows the reader's language (:class:`Defaults`)."""


def class_names(given: Sequence[str]) -> tuple[str, ...]:
    """The class names the page shows, in the current language: ``given`` (the K names
    ``xent.text.class_names`` makes of the class-names text, missing ones filled in with the
    English defaults) with every default class name in the current language's spelling, any
    other name as typed; a name the respelling makes twice gets a number, as typed ones do.

    >>> with using("ja"):
    ...     class_names(("Apple", "Pear", "Rappa", "Kite"))
    ('りんご', 'Pear', 'ラッパ', '凧')
    >>> class_names(("りんご", "Apple"))
    ('Apple', 'Apple 2')
    """
    names: list[str] = []
    for given_name in given:
        name = base = data.localized_class_name(given_name)
        j = 2
        while name in names:
            name, j = f"{base} {j}", j + 1
        names.append(name)
    return tuple(names)


def true_class_index(asked: str, given: Sequence[str]) -> int | None:
    """The class a link's ``y=`` names, in either language's spelling of the page's names
    (``given`` as in :func:`class_names`): ``y=ゴリラ`` and ``y=Gorilla`` are the second of
    the default names. ``None`` when it names none of them."""
    for code in LANGUAGES:
        with using(code):
            names = class_names(given)
        if asked in names:
            return names.index(asked)
    return None


def link_classes(asked: object) -> int:
    """K as a link's ``k=`` (or the session) asks for it, within range; the default K when it
    cannot be read.

    >>> link_classes("4"), link_classes("4.0"), link_classes("99"), link_classes("x")
    (4, 4, 10, 3)
    """
    try:
        k = int(float(asked)) if asked is not None else DEFAULT_CLASSES  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        k = DEFAULT_CLASSES
    return min(max(k, 2), MAX_CLASSES)


def spelled_query(
    query: Sequence[tuple[str, str]],
    names_of: Callable[[str, int], Sequence[str]],
) -> list[tuple[str, str]]:
    """A link's query with its ``names=`` and ``y=`` spelling the default class names in the
    current language (``names_of``: ``xent.text.class_names``, the K names of a names text):
    ``y=Gorilla`` becomes ``y=ゴリラ`` in Japanese (the option the true-class box shows),
    ``names=りんご, Pear`` becomes ``names=Apple, Pear`` in English. Any other value as it is.

    >>> with using("ja"):
    ...     spelled_query([("k", "4"), ("y", "Kite"), ("lr", "1")], lambda t, k: (
    ...         "Apple", "Gorilla", "Rappa", "Kite")[:k])
    [('k', '4'), ('y', '凧'), ('lr', '1')]
    """
    given = dict(query)
    names_text = data.localized_names(given.get("names", STATE.defaults["names"]))
    names = names_of(names_text, link_classes(given.get("k")))
    spelled = []
    for key, value in query:
        if key == "names":
            value = data.localized_names(value)
        elif key == "y" and value not in class_names(names):
            index = true_class_index(value, names)
            value = class_names(names)[index] if index is not None else value
        spelled.append((key, value))
    return spelled


# --- softmax, the target and the loss --------------------------------------------------------


def bars_reading(Q: np.ndarray, t: np.ndarray, true_index: int, labels: Sequence[str]) -> str:
    """The true class's probability, its target and whether the top guess is right."""
    top = int(np.argmax(Q))
    said = tr(
        "The model gives {label} Q = {q_shown}; the target puts {t_shown} there.",
        label=labels[true_index],
        q_shown=fmt(Q[true_index]),
        t_shown=fmt(t[true_index]),
    )
    # classes whose Q reads the same as the largest, at the decimals shown, tie for the top
    tied = [k for k in range(len(Q)) if fmt(Q[k]) == fmt(Q[top])]
    if len(tied) > 1:
        names = tr(" and ").join(labels[k] for k in tied)
        return said + tr(
            " Its top guess is a tie between {names} ({q_shown} each, as shown).",
            names=names,
            q_shown=fmt(Q[top]),
        )
    if top != true_index:
        return said + tr(
            " Its top guess is {label} ({q_shown}): wrong.", label=labels[top], q_shown=fmt(Q[top])
        )
    return said + tr(" Its top guess is right.")


def nll_reading(q_true: float, loss: float, smoothing: float, label: str) -> str:
    """−log Q(true) (Q shown with the decimals that make the equality hold as printed);
    with smoothing the loss is the whole sum −Σ t log Q, and a model sure of one class
    pays ∞ (every class has t > 0); without it the slope note."""
    if smoothing > 0:
        return tr(
            "With label smoothing ε = {eps_shown} the loss is the whole sum "
            "L = −Σ t log Q = {loss_shown} nats, not −log Q({label}) alone: every class has a "
            "target t > 0, so a model sure of {label} (Q = 1, every other Q = 0) would pay ∞. "
            "L is smallest at Q = t.",
            eps_shown=fmt(smoothing),
            loss_shown=fmt(loss),
            label=label,
        )
    nll = -np.log(q_true) if q_true > 0 else np.inf
    shown_nll = fmt(nll)
    shown_q = explanations.shown_operand(
        q_true, lambda v: -math.log(v) if v > 0 else math.inf, shown_nll
    )
    said = tr(
        "−log Q({label}) = −log {q_shown} = {nll_shown} nats; "
        "a model sure of the truth (Q = 1) would pay 0. ",
        label=label,
        q_shown=shown_q,
        nll_shown=shown_nll,
    )
    # the step on the true logit is Q − 1 only for a one-hot target
    return said + explanations.logit_slope_reading(label, q_true)


def grad_reading(grad: np.ndarray, labels: Sequence[str]) -> str:
    """The gradient Q − t per class (the first five) and what a step does with it."""
    parts = [f"{name} {fmt_signed(g)}" for name, g in zip(labels, grad, strict=True)]
    shown = ", ".join(parts[:5]) + (", …" if len(parts) > 5 else "")
    return tr(
        "∂L/∂z = Q − t: {entries}. Negative entries get raised by a gradient step, "
        "positive ones lowered; they sum to 0.",
        entries=shown,
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
            tr(
                "L is minus the sum of t_k log Q_k: with label smoothing every class has "
                "t_k > 0, so every term counts (not only minus log Q of the true class)."
            ),
        )
    return (
        # the word in the formula is the reader's ("true": 正解)
        r"L = -\sum_k t_k \log Q_k = -\log Q(\text{" + tr("true") + "})",
        tr("L is minus the sum of t_k log Q_k: for a one-hot t, minus log Q of the true class."),
    )


def smoothing_reading(s: SmoothedTarget, label: str) -> str:
    """What label smoothing is for and what it changes: where L is smallest and Q − t."""
    if s.epsilon == 0:
        return tr(
            "Without label smoothing (ε = 0) the target is one-hot: L = −log Q({label}) "
            "falls towards 0 only as Q → one-hot, which no finite logits reach, so descent "
            "keeps pushing the logits apart: the model grows ever more confident.",
            label=label,
        )
    return tr(
        "Label smoothing ε = {eps_shown} trains on a softer target, against "
        "over-confidence: t({label}) = 1 − ε + ε/K = {t_true_shown} and every other class "
        "ε/K = {t_other_shown}. The minimum of L is then no longer at Q = one-hot but at "
        "Q = t, where L = H(t) = {entropy_shown} nats and the gradient Q − t is 0: "
        "finite logits reach it, so descent stops pushing them apart.",
        eps_shown=fmt(s.epsilon),
        label=label,
        t_true_shown=fmt(s.t_true, 3),
        t_other_shown=fmt(s.t_other, 3),
        entropy_shown=fmt(s.entropy, 3),
    )


# --- descent on the logits -------------------------------------------------------------------


def descent_reading(run: frames.LogitRun, t: int, true_index: int, label: str) -> str:
    s = run.summary
    return tr(
        "Step {step}: Q({label}) = {q_shown}, L = {loss_shown} nats. "
        "From Q = {start_shown} at the start to {end_shown} "
        "after {steps_shown} (L = {loss_end_shown}).",
        step=t,
        label=label,
        q_shown=fmt(s.Q[t, true_index]),
        loss_shown=fmt(s.loss[t]),
        start_shown=fmt(s.q_true_start),
        end_shown=fmt(s.q_true_end),
        steps_shown=steps_words(s.steps),
        loss_end_shown=fmt(s.loss_end),
    )


def simplex_reading(run: frames.LogitRun, t: int, label: str, smoothing: float = 0.0) -> str:
    """Where the path across the triangle goes: the ★ corner for a one-hot target; with
    label smoothing ε the point Q = t inside the triangle (L is smallest there), unless the
    steps overshoot it (the loss ends above where it started)."""
    Q = run.summary.Q
    k = Q.shape[1]
    if smoothing > 0:
        on, off = 1 - smoothing + smoothing / k, smoothing / k
        target = tr(
            "Q = t, inside the triangle ({label} {on_shown}, the others {off_shown} each)",
            label=label,
            on_shown=fmt(on),
            off_shown=fmt(off),
        )
        if run.summary.loss_end > run.summary.loss_start:
            goal = tr(
                "is meant for the smoothed target {target}, but with this learning rate the "
                "steps overshoot it and the path does not settle there",
                target=target,
            )
        else:
            goal = tr(
                "heads for the smoothed target {target}, not the ★ {label} corner",
                target=target,
                label=label,
            )
    else:
        goal = tr("heads for the ★ {label} corner", label=label)
    return tr(
        "Each point is one Q: a corner means certainty. The path starts at "
        "({start_shown}) and {goal}; at step {step} it is at ({now_shown}).",
        start_shown=" / ".join(fmt(x) for x in Q[0]),
        goal=goal,
        step=t,
        now_shown=" / ".join(fmt(x) for x in Q[t]),
    )


RACE_SERIES = {"cross_entropy": N_("cross-entropy"), "squared_error": N_("squared error")}
"""The race's two series, by loss: English names (the frame is cached for every language);
the page shows them through ``tr``."""


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
        text += tr(" Both race to the one-hot target, without label smoothing.")
    return text


# --- softmax regression: accuracy vs loss ----------------------------------------------------


def regression_reading(v: frames.RegressionRun) -> str:
    at = v.at
    return tr(
        "At step {step}: mean loss {loss_shown} nats (from "
        "{start_shown} = log K at the start), {accuracy_shown} of the "
        "{n_points} points classified right.",
        step=at.step,
        loss_shown=fmt(at.loss_at),
        start_shown=fmt(at.loss_start),
        accuracy_shown=f"{at.accuracy:.0%}",
        n_points=at.n,
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
        text += tr(
            " From step {first} to {last} accuracy stayed at {accuracy_shown}% "
            "while the loss fell from {loss_first_shown} to {loss_last_shown}: the "
            "probability given to the true classes (geometric mean exp(−L)) rose from "
            "{before} to {after}, a growing confidence accuracy cannot see.",
            first=s.first,
            last=s.last,
            accuracy_shown=fmt(100 * s.accuracy, 0),
            loss_first_shown=fmt(s.loss_first),
            loss_last_shown=fmt(s.loss_last),
            before=before,
            after=after,
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
            tr("naive log(exp(z) / Σ exp(z))"): [fmt(x) for x in c.naive],
            tr("log-sum-exp: z − max z − log Σ exp(z − max z)"): [fmt(x) for x in c.stable],
        }
    )
