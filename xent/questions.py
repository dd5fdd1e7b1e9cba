"""Predict-then-reveal questions tied to the lessons (numpy only, no Streamlit).

Each page has a bank of :class:`Template`s. A template turns the settings of its page (a
plain dict of the page's URL values, complete: the caller merges the page's defaults in)
into a :class:`Question`: its prompt, the input the student answers with, the true answer
computed by ``xent`` at those settings, and the rule for what counts as right.

>>> q = pose("bernoulli.min_q", {"p": 0.3, "q": 0.6, "lr": 1.0})
>>> q.truth, q.is_right(0.31), q.is_right(0.6)
(0.3, True, False)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from xent import frames, grading, losses, scoring, training
from xent.explanations import race_reading, race_rows, settle_reading
from xent.functions import softmax
from xent.text import class_names

SLIDER, CHOICE, NUMBER = "slider", "choice", "number"


@dataclass(frozen=True)
class AnswerInput:
    """How a student answers: a slider in [low, high], a choice, or a whole number."""

    kind: str
    low: float = 0.0
    high: float = 1.0
    step: float = 0.01
    options: tuple[str, ...] = ()

    def parse(self, guess: object) -> float | int | str:
        """The guess in its proper type; ValueError naming what is allowed otherwise."""
        if self.kind == CHOICE:
            if not isinstance(guess, str) or guess not in self.options:
                raise ValueError(f"answer must be one of {', '.join(self.options)}; got {guess!r}")
            return guess
        if isinstance(guess, bool) or not isinstance(guess, int | float):
            raise ValueError(f"answer must be a number; got {type(guess).__name__}")
        if not math.isfinite(guess) or not self.low <= guess <= self.high:
            raise ValueError(f"answer must be between {self.low:g} and {self.high:g}; got {guess}")
        if self.kind == NUMBER:
            if guess != int(guess):
                raise ValueError(f"answer must be a whole number; got {guess}")
            return int(guess)
        return float(guess)


@dataclass(frozen=True)
class Question:
    """One question posed at one set of settings, with its true answer.

    Graded by the one rule of ``xent.grading`` (exact truth, ``tolerance`` in ``unit``);
    ``excluded``: number guesses that are wrong whatever their distance, for the reason
    ``excluded_reason`` (q = 1 where the loss is infinite, say)."""

    key: str
    page: str
    prompt: str
    answer: AnswerInput
    truth: float | int | str
    tolerance: float  # a numeric guess is right within this distance of the truth
    explanation: str
    unit: str = ""  # of the guess, the truth and the tolerance: "nats", "steps" or ""
    excluded: tuple[float, ...] = ()
    excluded_reason: str = ""

    def is_right(self, guess: object) -> bool:
        value = self.answer.parse(guess)
        return grading.is_right(self.answer.kind, self.truth, self.tolerance, value, self.excluded)

    def grade(self, guess: object) -> grading.Grade:
        """The guess against the truth, as shown, by the one rule (``xent.grading``)."""
        value = self.answer.parse(guess)
        if self.answer.kind == CHOICE:
            return grading.grade_choice(value, self.truth)
        return grading.grade_number(
            value,
            self.truth,
            self.tolerance,
            unit=self.unit,
            whole=self.answer.kind == NUMBER,
            excluded=self.excluded,
            excluded_reason=self.excluded_reason,
        )

    @property
    def rule(self) -> str:
        """What counts as right, in the units the student types."""
        return grading.rule_text(self.answer.kind, self.tolerance, self.unit)


@dataclass(frozen=True)
class Template:
    """A question of a page's bank, before settings are chosen."""

    key: str
    page: str
    title: str
    build: Callable[[Mapping[str, object]], Question]


def _number(settings: Mapping[str, object], key: str, low: float, high: float) -> float:
    try:
        value = float(settings[key])
    except KeyError:
        raise ValueError(f"setting {key!r} is missing") from None
    except (TypeError, ValueError):
        raise ValueError(f"setting {key!r} must be a number; got {settings[key]!r}") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"setting {key!r} must be between {low:g} and {high:g}; got {value:g}")
    return value


# --- Bernoulli ---------------------------------------------------------------------------


def _bernoulli_min_q(settings: Mapping[str, object]) -> Question:
    p = _number(settings, "p", 0, 1)
    # q = 0 with p > 0, or q = 1 with p < 1, costs an infinite loss: never the answer,
    # however close to p it is (p = 0.98, q = 1)
    excluded = tuple(q for q, costly in ((0.0, p > 0), (1.0, p < 1)) if costly)
    reason = (
        "at q = 0 or q = 1 the loss is infinite unless p is that same 0 or 1 (−log 0 = ∞), "
        "so such a q is never where L is smallest."
    )
    return Question(
        "bernoulli.min_q",
        "bernoulli",
        f"The box has p = {p:g} (chance of red). At which prediction q is the loss L smallest?",
        AnswerInput(SLIDER),
        p,
        0.02,
        "L(p, q) = H(p) + KL(p‖q), and KL(p‖q) = 0 only at q = p: cross-entropy is smallest "
        "when the model says the truth.",
        excluded=excluded,
        excluded_reason=reason,
    )


def _bernoulli_min_loss(settings: Mapping[str, object]) -> Question:
    p = _number(settings, "p", 0, 1)
    h = float(losses.entropy([p, 1 - p]))
    return Question(
        "bernoulli.min_loss",
        "bernoulli",
        f"The box has p = {p:g}. What is the smallest loss L (in nats) any prediction q can reach?",
        AnswerInput(SLIDER, 0.0, 0.7, 0.01),
        h,
        0.02,
        "The floor is the entropy H(p) = −p log p − (1 − p) log(1 − p), reached at q = p.",
        unit="nats",
    )


def _bernoulli_step(settings: Mapping[str, object]) -> Question:
    p = _number(settings, "p", 0, 1)
    q = _number(settings, "q", 0, 1)
    up, down, same = "q goes up", "q goes down", "q stays"
    # q = 0 or 1 is the logit z = ∓∞: z − η (q − p) is still ∓∞, so q cannot move
    stuck = q in (0.0, 1.0)
    truth = same if q == p or stuck else (up if q < p else down)
    why = (
        f"At q = {q:g} the logit z = log(q / (1 − q)) is {'−∞' if q == 0 else '+∞'}: a finite "
        "step η (q − p) does not move it, so q stays."
        if stuck and q != p
        else "∂L/∂z = q − p, and the step is z ← z − η (q − p): q moves toward p, by a step "
        "as big as the mistake (and not at all when q = p)."
    )
    return Question(
        "bernoulli.step",
        "bernoulli",
        f"The model says q = {q:g}, the truth is p = {p:g}. One gradient step on the "
        "logit z (q = σ(z)): what happens to q?",
        AnswerInput(CHOICE, options=(up, down, same)),
        truth,
        0.0,
        why,
    )


# --- Multiclass --------------------------------------------------------------------------


def _multiclass_target(
    settings: Mapping[str, object],
) -> tuple[np.ndarray, list[str], int, np.ndarray]:
    k = int(_number(settings, "k", 2, 10))
    names = list(class_names(str(settings.get("names", "")), k))  # as the page shows them
    y = settings.get("y")
    if isinstance(y, str) and y in names:  # share links carry the true class by name
        y = names.index(y)
    elif isinstance(y, str):
        try:
            float(y)
        except ValueError:
            raise ValueError(
                f"the true class y={y[:20]!r} is none of this page's classes ({', '.join(names)})"
            ) from None
    y = int(_number({"y": y}, "y", 0, k - 1))
    z = np.array([_number(settings, f"z{i + 1}", -50, 50) for i in range(k)])
    eps = _number(settings, "ls", 0, 1)
    t = np.full(k, eps / k)
    t[y] += 1 - eps
    return z, names, y, t


def _multiclass_first_raise(settings: Mapping[str, object]) -> Question:
    z, names, y, t = _multiclass_target(settings)
    step = softmax(z) - t  # ∂L/∂z; the step z ← z − η (Q − t) raises z_k most where Q − t is least
    order = np.argsort(step, kind="stable")
    if np.isclose(step[order[0]], step[order[1]]):
        raise ValueError("two logits get the same push at these settings; pick other logits")
    zs = ", ".join(f"{v:g}" for v in z)
    return Question(
        "multiclass.first_raise",
        "multiclass",
        f"Logits z = ({zs}), the true class is {names[y]}. Which logit does the first "
        "cross-entropy gradient step raise the most?",
        AnswerInput(CHOICE, options=tuple(names)),
        names[int(order[0])],
        0.0,
        "The step is z ← z − η (Q − t): the logit with the most negative Q − t rises most.",
    )


def _multiclass_top_after(settings: Mapping[str, object]) -> Question:
    z, names, y, t = _multiclass_target(settings)
    lr = _number(settings, "lr", 1e-6, 1e3)
    steps = int(_number(settings, "steps", 1, 1000))
    traj = training.descend_logits(t, z, lr=lr, steps=steps)
    final = np.asarray(traj.prediction)[-1, 0]
    top = np.sort(final)[::-1]
    if np.isclose(top[0], top[1]):
        raise ValueError("two classes end up tied at these settings; pick other settings")
    return Question(
        "multiclass.top_after",
        "multiclass",
        f"Start from z = ({', '.join(f'{v:g}' for v in z)}), true class {names[y]}. After "
        f"{steps} cross-entropy steps with η = {lr:g}, which class has the largest probability?",
        AnswerInput(CHOICE, options=tuple(names)),
        names[int(np.argmax(final))],
        0.0,
        "Each step moves z by −η (Q − t); the chart shows Q after every step.",
    )


# --- Loss comparison ---------------------------------------------------------------------


def _race_settings(settings: Mapping[str, object]) -> tuple[float, float, float, int, float]:
    return (
        _number(settings, "p", 0, 1),
        _number(settings, "q0", 0, 1),
        _number(settings, "lr", 1e-6, 1e3),
        int(_number(settings, "steps", 1, frames.MAX_BUDGET)),  # the page's step budget
        _number(settings, "tol", 1e-6, 1),
    )


def _race_losses(settings: Mapping[str, object]) -> list[str]:
    """The page's losses (its ``losses`` values, by name or label), in registry order;
    settings without the key: the page's default pair."""
    chosen = settings.get("losses", ["cross_entropy", "squared_error"]) or []
    named = {loss.name for loss in map(losses.find_binary_loss, chosen) if loss is not None}
    return [n for n in losses.BINARY_LOSSES if n in named]


def _page_race(settings: Mapping[str, object], names: list[str]):
    """The race the page draws at these settings, counted as the page counts it: each loss
    toward its own goal, arrival meaning settled (``frames.race``)."""
    p, q0, lr, steps, tol = _race_settings(settings)
    goals = tuple(scoring.target_minimiser(n, p) for n in names)
    run = frames.race(p, q0, lr, steps, tol, tuple(names), goals)
    rows = {}
    for loss in run.runs:
        rows[loss.name] = race_rows([loss.label], loss.phases, p, steps)[0]
    return run, rows


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _race_why(run, rows: Mapping[str, object]) -> str:
    """The page's own sentences for each loss, and for a loss that cycles the step-size
    condition that explains it."""
    parts = [_sentence(race_reading(row)) for row in rows.values()]
    for loss in run.runs:
        if rows[loss.name].cycles:
            curvature = scoring.goal_curvature(loss.name, run.p)
            parts.append(_sentence(settle_reading(loss.label, loss.goal, run.lr, curvature)))
    return " ".join(parts)


def _winner_words(rows: Mapping[str, object], steps: int) -> tuple[str, str]:
    """The true option and the reveal's first sentence."""
    done = [(row.arrival, row.label) for row in rows.values() if row.arrival >= 0]
    if not done:
        return NONE_SETTLES.format(steps=steps), f"No loss settles within {steps} steps here."
    best = min(s for s, _ in done)
    winners = [label for s, label in done if s == best]
    if len(winners) > 1:
        return TIE, f"{_sentence(' and '.join(winners))} settle first together, at step {best}."
    return winners[0], f"{_sentence(winners[0])} settles first, from step {best} on."


TIE, NONE_SETTLES = "a tie", "none settles within {steps} steps"


def _race_winner(settings: Mapping[str, object]) -> Question:
    p, q0, lr, steps, tol = _race_settings(settings)
    names = _race_losses(settings)
    if len(names) < 2:
        raise ValueError("the race on this page has fewer than two losses; pick at least two")
    run, rows = _page_race(settings, names)
    labels = [losses.BINARY_LOSSES[n].label for n in names]
    truth, head = _winner_words(rows, steps)
    return Question(
        "loss-comparison.winner",
        "loss-comparison",
        f"Start at q₀ = {q0:g}, target p = {p:g}, η = {lr:g}, {steps} steps. Which loss "
        f"first settles within {tol:g} of its goal (p, or where that loss is smallest) and "
        "stays there, as the race on this page counts it?",
        AnswerInput(CHOICE, options=(*labels, TIE, NONE_SETTLES.format(steps=steps))),
        truth,
        0.0,
        f"{head} {_race_why(run, rows)}",
    )


def _race_steps(settings: Mapping[str, object]) -> Question:
    p, q0, lr, steps, tol = _race_settings(settings)
    if "cross_entropy" not in _race_losses(settings):
        raise ValueError("cross-entropy is not in this page's race; add it to the losses")
    _, rows = _page_race(settings, ["cross_entropy"])
    row = rows["cross_entropy"]
    if row.cycles:
        raise ValueError(
            f"cross-entropy never settles with η = {lr:g} at p = {p:g} (each step "
            "overshoots); pick a smaller learning rate"
        )
    if row.arrival < 0:
        raise ValueError(
            f"cross-entropy does not settle within {tol:g} of p in {steps} steps here; "
            "pick other settings"
        )
    return Question(
        "loss-comparison.ce_steps",
        "loss-comparison",
        f"Start at q₀ = {q0:g}, target p = {p:g}, η = {lr:g}. After how many gradient steps "
        f"has cross-entropy settled within |q − p| ≤ {tol:g} (the step from which it stays "
        "there, as the race on this page counts it)?",
        AnswerInput(NUMBER, 0, steps, 1),
        row.arrival,
        max(1.0, round(0.1 * row.arrival)),
        "Right within 10 % (at least ±1 step). Each step moves the logit by −η (q − p). "
        + _sentence(race_reading(row)),
        unit="steps",
    )


BANK: Mapping[str, tuple[Template, ...]] = {
    "bernoulli": (
        Template("bernoulli.min_q", "bernoulli", "Where is L smallest?", _bernoulli_min_q),
        Template("bernoulli.min_loss", "bernoulli", "The lowest loss", _bernoulli_min_loss),
        Template("bernoulli.step", "bernoulli", "Which way does q move?", _bernoulli_step),
    ),
    "multiclass": (
        Template(
            "multiclass.first_raise",
            "multiclass",
            "Which logit rises first?",
            _multiclass_first_raise,
        ),
        Template(
            "multiclass.top_after", "multiclass", "Who wins after training?", _multiclass_top_after
        ),
    ),
    "loss-comparison": (
        Template(
            "loss-comparison.winner", "loss-comparison", "Which loss arrives first?", _race_winner
        ),
        Template(
            "loss-comparison.ce_steps",
            "loss-comparison",
            "How many steps for cross-entropy?",
            _race_steps,
        ),
    ),
}
TEMPLATES: Mapping[str, Template] = {t.key: t for bank in BANK.values() for t in bank}


def pose(key: str, settings: Mapping[str, object]) -> Question:
    """The question ``key`` at a page's settings; ValueError with a clear message otherwise."""
    if key not in TEMPLATES:
        raise ValueError(f"unknown question {key!r}; known: {', '.join(TEMPLATES)}")
    return TEMPLATES[key].build(settings)
