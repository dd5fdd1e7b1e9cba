"""Predict-then-reveal questions tied to the lessons (numpy only, no Streamlit).

Each page has a bank of :class:`Template`s. A template turns the settings of its page (a
plain dict of the page's URL values, complete: the caller merges the page's defaults in)
into a :class:`Question`: its prompt, the input the student answers with, the true answer
computed by ``xent`` at those settings, and the rule for what counts as right.

>>> q = pose("bernoulli.min_q", {"p": 0.3, "q": 0.6, "lr": 1.0})
>>> q.truth, q.is_right(0.31), q.is_right(0.6)
(0.3, True, False)

A question's identity does not depend on the language it is read in: its key, its settings,
its true answer and its options (the values a guess takes, kept in links and in class mode's
store) are the same English values in every language. What a reader sees (the prompt, the
explanation, an option's label) is written in every language when the question is posed
(:class:`Text`) and shown in the reader's (``xent.i18n``), so a question posed by a teacher
reading Japanese is the very same question, stored the same way, for a student reading
English.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from xent import frames, grading, i18n, losses, scoring, training
from xent.data import CLASS_NAMES
from xent.explanations import race_reading, race_rows, settle_reading
from xent.functions import softmax
from xent.i18n import N_, tr
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
                raise ValueError(
                    tr(
                        "answer must be one of {options}; got {guess_shown}",
                        options=", ".join(map(option_text, self.options)),
                        guess_shown=repr(guess),
                    )
                )
            return guess
        if isinstance(guess, bool) or not isinstance(guess, int | float):
            raise ValueError(
                tr("answer must be a number; got {kind_name}", kind_name=type(guess).__name__)
            )
        if not math.isfinite(guess) or not self.low <= guess <= self.high:
            raise ValueError(
                tr(
                    "answer must be between {low} and {high}; got {guess_shown}",
                    low=f"{self.low:g}",
                    high=f"{self.high:g}",
                    guess_shown=str(guess),
                )
            )
        if self.kind == NUMBER:
            if guess != int(guess):
                raise ValueError(
                    tr("answer must be a whole number; got {guess_shown}", guess_shown=str(guess))
                )
            return int(guess)
        return float(guess)

    def label(self, value: object) -> str:
        """An option (or a number) as a reader sees it, in the current language."""
        return option_text(value) if self.kind == CHOICE and isinstance(value, str) else str(value)


@dataclass(frozen=True)
class Text:
    """A sentence a reader sees, written in every language (``xent.i18n.LANGUAGES``) when the
    question is posed; :meth:`shown` is the reader's. Stored with the question as it is, so
    what class mode keeps does not depend on the language of whoever posed it."""

    en: str = ""
    ja: str = ""

    @classmethod
    def each(cls, write: Callable[[], str]) -> Text:
        """``write()`` (which calls ``tr``) in every language."""
        words = {}
        for code in i18n.LANGUAGES:
            with i18n.using(code):
                words[code] = write()
        return cls(**words)

    def shown(self) -> str:
        """The text in the current language (English for a language it lacks)."""
        return getattr(self, i18n.language(), "") or self.en


NONE = Text()


@dataclass(frozen=True)
class Question:
    """One question posed at one set of settings, with its true answer.

    Graded by the one rule of ``xent.grading`` (exact truth, ``tolerance`` in ``unit``);
    ``excluded``: number guesses that are wrong whatever their distance, for the reason
    ``excluded_why`` (q = 1 where the loss is infinite, say).

    ``asked``, ``why`` and ``excluded_why`` are written in every language (:class:`Text`);
    :attr:`prompt`, :attr:`explanation` and :attr:`excluded_reason` are them in the reader's.
    Everything else (key, options, truth) is the same in every language."""

    key: str
    page: str
    asked: Text
    answer: AnswerInput
    truth: float | int | str
    tolerance: float  # a numeric guess is right within this distance of the truth
    why: Text
    unit: str = ""  # of the guess, the truth and the tolerance: "nats", "steps" or ""
    excluded: tuple[float, ...] = ()
    excluded_why: Text = NONE

    @property
    def prompt(self) -> str:
        """The question, in the current language."""
        return self.asked.shown()

    @property
    def explanation(self) -> str:
        """Why the truth is the truth, in the current language."""
        return self.why.shown()

    @property
    def excluded_reason(self) -> str:
        """Why an excluded guess is wrong, in the current language ("" without one)."""
        return self.excluded_why.shown()

    def is_right(self, guess: object) -> bool:
        value = self.answer.parse(guess)
        return grading.is_right(self.answer.kind, self.truth, self.tolerance, value, self.excluded)

    def grade(self, guess: object) -> grading.Grade:
        """The guess against the truth, as shown, by the one rule (``xent.grading``)."""
        value = self.answer.parse(guess)
        if self.answer.kind == CHOICE:
            return grading.grade_choice(value, self.truth, self.answer.label)
        return grading.grade_number(
            value,
            self.truth,
            self.tolerance,
            unit=self.unit,
            whole=self.answer.kind == NUMBER,
            excluded=self.excluded,
            excluded_reason=self.excluded_reason,
        )

    def truth_shown(self) -> str:
        """The true answer as a reader sees it (an option's label in the current language)."""
        return self.answer.label(self.truth)

    @property
    def rule(self) -> str:
        """What counts as right, in the units the student types."""
        return grading.rule_text(self.answer.kind, self.tolerance, self.unit)


@dataclass(frozen=True)
class Template:
    """A question of a page's bank, before settings are chosen (``name``: its title in
    English, marked for translation; :attr:`title` in the current language)."""

    key: str
    page: str
    name: str
    build: Callable[[Mapping[str, object]], Question]

    @property
    def title(self) -> str:
        return tr(self.name)


def _number(settings: Mapping[str, object], key: str, low: float, high: float) -> float:
    try:
        value = float(settings[key])
    except KeyError:
        raise ValueError(tr("setting {name} is missing", name=repr(key))) from None
    except (TypeError, ValueError):
        raise ValueError(
            tr(
                "setting {name} must be a number; got {value_shown}",
                name=repr(key),
                value_shown=repr(settings[key]),
            )
        ) from None
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(
            tr(
                "setting {name} must be between {low} and {high}; got {value_shown}",
                name=repr(key),
                low=f"{low:g}",
                high=f"{high:g}",
                value_shown=f"{value:g}",
            )
        )
    return value


def option_text(value: object) -> str:
    """A choice option (a value kept in links and class mode's store, the same in every
    language) as a reader sees it: its words in the current language. Class names and loss
    labels are shown as their own areas translate them (a name a user typed stays as typed)."""
    if not isinstance(value, str):
        return str(value)
    match = _NONE_SETTLES.fullmatch(value)
    if match:
        return tr(NONE_SETTLES, steps=match.group(1))
    if value in _WORDED or value in CLASS_NAMES or value in _LOSS_LABELS:
        return tr(value)
    return value  # a class name a user typed: as typed


def _spellings() -> dict[str, str]:
    """Every language's spelling of every default class name -> the name (its English)."""
    found: dict[str, str] = {}
    for code in i18n.LANGUAGES:
        with i18n.using(code):
            for name in CLASS_NAMES:
                found.setdefault(tr(name), name)
    return found


def canonical_name(name: str) -> str:
    """A class name as the questions keep it: a default name in any language's spelling
    (``"りんご"``) is its English (``"Apple"``), the same value in every language; any other
    name as typed."""
    return _spellings().get(name, name)


def class_index(name: str, names: Sequence[str]) -> int | None:
    """Which of ``names`` the class ``name`` is, either spelled as given or as any language
    spells the same default class; None for none."""
    if name in names:
        return list(names).index(name)
    same = canonical_name(name)
    found = [i for i, n in enumerate(names) if canonical_name(n) == same]
    return found[0] if found else None


def _and(items: list[str]) -> str:
    """``A and B and C`` in the current language."""
    out = items[0]
    for item in items[1:]:
        out = tr("{first} and {second}", first=out, second=item)
    return out


# --- Bernoulli ---------------------------------------------------------------------------

UP, DOWN, SAME = N_("q goes up"), N_("q goes down"), N_("q stays")
"""The options of "Which way does q move?" (values kept in links and the store)."""
STEPS = "steps"
"""The unit of a count of steps (``xent.grading.UNIT_WORDS`` writes an amount of it)."""


def _bernoulli_min_q(settings: Mapping[str, object]) -> Question:
    p = _number(settings, "p", 0, 1)
    p_shown = f"{p:g}"
    # q = 0 with p > 0, or q = 1 with p < 1, costs an infinite loss: never the answer,
    # however close to p it is (p = 0.98, q = 1)
    excluded = tuple(q for q, costly in ((0.0, p > 0), (1.0, p < 1)) if costly)
    return Question(
        "bernoulli.min_q",
        "bernoulli",
        Text.each(
            lambda: tr(
                "The box has p = {p_shown} (chance of red). "
                "At which prediction q is the loss L smallest?",
                p_shown=p_shown,
            )
        ),
        AnswerInput(SLIDER),
        p,
        0.02,
        Text.each(
            lambda: tr(
                "L(p, q) = H(p) + KL(p‖q), and KL(p‖q) = 0 only at q = p: cross-entropy is "
                "smallest when the model says the truth."
            )
        ),
        excluded=excluded,
        excluded_why=Text.each(
            lambda: tr(
                "at q = 0 or q = 1 the loss is infinite unless p is that same 0 or 1 "
                "(−log 0 = ∞), so such a q is never where L is smallest."
            )
        ),
    )


def _bernoulli_min_loss(settings: Mapping[str, object]) -> Question:
    p = _number(settings, "p", 0, 1)
    h = float(losses.entropy([p, 1 - p]))
    p_shown = f"{p:g}"
    return Question(
        "bernoulli.min_loss",
        "bernoulli",
        Text.each(
            lambda: tr(
                "The box has p = {p_shown}. What is the smallest loss L (in nats) any "
                "prediction q can reach?",
                p_shown=p_shown,
            )
        ),
        AnswerInput(SLIDER, 0.0, 0.7, 0.01),
        h,
        0.02,
        Text.each(
            lambda: tr(
                "The floor is the entropy H(p) = −p log p − (1 − p) log(1 − p), reached at q = p."
            )
        ),
        unit="nats",
    )


def _bernoulli_step(settings: Mapping[str, object]) -> Question:
    p = _number(settings, "p", 0, 1)
    q = _number(settings, "q", 0, 1)
    p_shown, q_shown = f"{p:g}", f"{q:g}"
    # q = 0 or 1 is the logit z = ∓∞: z − η (q − p) is still ∓∞, so q cannot move
    stuck = q in (0.0, 1.0)
    truth = SAME if q == p or stuck else (UP if q < p else DOWN)

    def why() -> str:
        if stuck and q != p:
            return tr(
                "At q = {q_shown} the logit z = log(q / (1 − q)) is {infinity}: a finite "
                "step η (q − p) does not move it, so q stays.",
                q_shown=q_shown,
                infinity="−∞" if q == 0 else "+∞",
            )
        return tr(
            "∂L/∂z = q − p, and the step is z ← z − η (q − p): q moves toward p, by a step "
            "as big as the mistake (and not at all when q = p)."
        )

    return Question(
        "bernoulli.step",
        "bernoulli",
        Text.each(
            lambda: tr(
                "The model says q = {q_shown}, the truth is p = {p_shown}. One gradient step "
                "on the logit z (q = σ(z)): what happens to q?",
                q_shown=q_shown,
                p_shown=p_shown,
            )
        ),
        AnswerInput(CHOICE, options=(UP, DOWN, SAME)),
        truth,
        0.0,
        Text.each(why),
    )


# --- Multiclass --------------------------------------------------------------------------


def _multiclass_target(
    settings: Mapping[str, object],
) -> tuple[np.ndarray, list[str], int, np.ndarray]:
    k = int(_number(settings, "k", 2, 10))
    text = str(settings.get("names", ""))
    with i18n.using(i18n.DEFAULT):  # the options are the same values in every language:
        shown = list(class_names(text, k))  # the names the page shows, a default name
    names = [canonical_name(n) for n in shown]  # by its English whatever its spelling
    if len(set(names)) < len(names):  # "Apple, りんご": two classes, as the page shows them
        names = shown
    y = settings.get("y")
    if isinstance(y, str) and (index := class_index(y, names)) is not None:
        y = index  # share links carry the true class by name
    elif isinstance(y, str):
        try:
            float(y)
        except ValueError:
            raise ValueError(
                tr(
                    "the true class y={name} is none of this page's classes ({names})",
                    name=repr(y[:20]),
                    names=", ".join(map(option_text, names)),
                )
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
        raise ValueError(tr("two logits get the same push at these settings; pick other logits"))
    zs = ", ".join(f"{v:g}" for v in z)
    return Question(
        "multiclass.first_raise",
        "multiclass",
        Text.each(
            lambda: tr(
                "Logits z = ({logits}), the true class is {true_class}. Which logit does the "
                "first cross-entropy gradient step raise the most?",
                logits=zs,
                true_class=option_text(names[y]),
            )
        ),
        AnswerInput(CHOICE, options=tuple(names)),
        names[int(order[0])],
        0.0,
        Text.each(
            lambda: tr(
                "The step is z ← z − η (Q − t): the logit with the most negative Q − t rises most."
            )
        ),
    )


def _multiclass_top_after(settings: Mapping[str, object]) -> Question:
    z, names, y, t = _multiclass_target(settings)
    lr = _number(settings, "lr", 1e-6, 1e3)
    steps = int(_number(settings, "steps", 1, 1000))
    traj = training.descend_logits(t, z, lr=lr, steps=steps)
    final = np.asarray(traj.prediction)[-1, 0]
    top = np.sort(final)[::-1]
    if np.isclose(top[0], top[1]):
        raise ValueError(tr("two classes end up tied at these settings; pick other settings"))
    zs = ", ".join(f"{v:g}" for v in z)
    return Question(
        "multiclass.top_after",
        "multiclass",
        Text.each(
            lambda: tr(
                "Start from z = ({logits}), true class {true_class}. After {steps} "
                "cross-entropy steps with η = {lr_shown}, which class has the largest "
                "probability?",
                logits=zs,
                true_class=option_text(names[y]),
                steps=str(steps),
                lr_shown=f"{lr:g}",
            )
        ),
        AnswerInput(CHOICE, options=tuple(names)),
        names[int(np.argmax(final))],
        0.0,
        Text.each(
            lambda: tr("Each step moves z by −η (Q − t); the chart shows Q after every step.")
        ),
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


def _joined(parts: list[str]) -> str:
    """Sentences one after another: a space between English ones, none between Japanese."""
    return ("" if i18n.language() == "ja" else " ").join(p for p in parts if p)


def _reading(row) -> str:
    """The page's sentence for one loss's run, with the loss named in the current language."""
    return _sentence(race_reading(dataclasses.replace(row, label=tr(row.label))))


def _race_why(run, rows: Mapping[str, object]) -> str:
    """The page's own sentences for each loss, and for a loss that cycles the step-size
    condition that explains it."""
    parts = [_reading(row) for row in rows.values()]
    for loss in run.runs:
        if rows[loss.name].cycles:
            curvature = scoring.goal_curvature(loss.name, run.p)
            parts.append(_sentence(settle_reading(tr(loss.label), loss.goal, run.lr, curvature)))
    return _joined(parts)


TIE, NONE_SETTLES = N_("a tie"), N_("none settles within {steps} steps")
_WORDED = frozenset({UP, DOWN, SAME, TIE})
"""The options written here, shown through ``tr``."""
_LOSS_LABELS = frozenset(loss.label for loss in losses.BINARY_LOSSES.values())
"""The race's options that are losses, shown as their area translates their labels."""
"""Options of "Which loss arrives first?" besides the losses (values kept in links and the
store, the second with its step count filled in)."""
_NONE_SETTLES = re.compile(re.escape(NONE_SETTLES).replace(re.escape("{steps}"), r"(\d+)"))


def _winner(rows: Mapping[str, object], steps: int) -> str:
    """The true option."""
    done = [(row.arrival, row.label) for row in rows.values() if row.arrival >= 0]
    if not done:
        return NONE_SETTLES.format(steps=steps)
    best = min(s for s, _ in done)
    winners = [label for s, label in done if s == best]
    return TIE if len(winners) > 1 else winners[0]


def _winner_words(rows: Mapping[str, object], steps: int) -> str:
    """The reveal's first sentence, in the current language."""
    done = [(row.arrival, row.label) for row in rows.values() if row.arrival >= 0]
    if not done:
        return tr("No loss settles within {steps} steps here.", steps=str(steps))
    best = min(s for s, _ in done)
    winners = [tr(label) for s, label in done if s == best]
    if len(winners) > 1:
        return tr(
            "{losses} settle first together, at step {step}.",
            losses=_sentence(_and(winners)),
            step=str(best),
        )
    return tr(
        "{loss} settles first, from step {step} on.", loss=_sentence(winners[0]), step=str(best)
    )


def _race_winner(settings: Mapping[str, object]) -> Question:
    p, q0, lr, steps, tol = _race_settings(settings)
    names = _race_losses(settings)
    if len(names) < 2:
        raise ValueError(tr("the race on this page has fewer than two losses; pick at least two"))
    run, rows = _page_race(settings, names)
    labels = [losses.BINARY_LOSSES[n].label for n in names]
    shown = {"q0_shown": f"{q0:g}", "p_shown": f"{p:g}", "lr_shown": f"{lr:g}"}
    return Question(
        "loss-comparison.winner",
        "loss-comparison",
        Text.each(
            lambda: tr(
                "Start at q₀ = {q0_shown}, target p = {p_shown}, η = {lr_shown}, {steps} steps. "
                "Which loss first settles within {tol_shown} of its goal (p, or where that "
                "loss is smallest) and stays there, as the race on this page counts it?",
                steps=str(steps),
                tol_shown=f"{tol:g}",
                **shown,
            )
        ),
        AnswerInput(CHOICE, options=(*labels, TIE, NONE_SETTLES.format(steps=steps))),
        _winner(rows, steps),
        0.0,
        Text.each(lambda: _joined([_winner_words(rows, steps), _race_why(run, rows)])),
    )


def _race_steps(settings: Mapping[str, object]) -> Question:
    p, q0, lr, steps, tol = _race_settings(settings)
    if "cross_entropy" not in _race_losses(settings):
        raise ValueError(tr("cross-entropy is not in this page's race; add it to the losses"))
    _, rows = _page_race(settings, ["cross_entropy"])
    row = rows["cross_entropy"]
    if row.cycles:
        raise ValueError(
            tr(
                "cross-entropy never settles with η = {lr_shown} at p = {p_shown} (each step "
                "overshoots); pick a smaller learning rate",
                lr_shown=f"{lr:g}",
                p_shown=f"{p:g}",
            )
        )
    if row.arrival < 0:
        raise ValueError(
            tr(
                "cross-entropy does not settle within {tol_shown} of p in {steps} steps here; "
                "pick other settings",
                tol_shown=f"{tol:g}",
                steps=str(steps),
            )
        )
    return Question(
        "loss-comparison.ce_steps",
        "loss-comparison",
        Text.each(
            lambda: tr(
                "Start at q₀ = {q0_shown}, target p = {p_shown}, η = {lr_shown}. After how "
                "many gradient steps has cross-entropy settled within |q − p| ≤ {tol_shown} "
                "(the step from which it stays there, as the race on this page counts it)?",
                q0_shown=f"{q0:g}",
                p_shown=f"{p:g}",
                lr_shown=f"{lr:g}",
                tol_shown=f"{tol:g}",
            )
        ),
        AnswerInput(NUMBER, 0, steps, 1),
        row.arrival,
        max(1.0, round(0.1 * row.arrival)),
        Text.each(
            lambda: _joined(
                [
                    tr(
                        "Right within 10 % (at least ±1 step). Each step moves the logit "
                        "by −η (q − p)."
                    ),
                    _reading(row),
                ]
            )
        ),
        unit=STEPS,
    )


BANK: Mapping[str, tuple[Template, ...]] = {
    "bernoulli": (
        Template("bernoulli.min_q", "bernoulli", N_("Where is L smallest?"), _bernoulli_min_q),
        Template("bernoulli.min_loss", "bernoulli", N_("The lowest loss"), _bernoulli_min_loss),
        Template("bernoulli.step", "bernoulli", N_("Which way does q move?"), _bernoulli_step),
    ),
    "multiclass": (
        Template(
            "multiclass.first_raise",
            "multiclass",
            N_("Which logit rises first?"),
            _multiclass_first_raise,
        ),
        Template(
            "multiclass.top_after",
            "multiclass",
            N_("Who wins after training?"),
            _multiclass_top_after,
        ),
    ),
    "loss-comparison": (
        Template(
            "loss-comparison.winner",
            "loss-comparison",
            N_("Which loss arrives first?"),
            _race_winner,
        ),
        Template(
            "loss-comparison.ce_steps",
            "loss-comparison",
            N_("How many steps for cross-entropy?"),
            _race_steps,
        ),
    ),
}
TEMPLATES: Mapping[str, Template] = {t.key: t for bank in BANK.values() for t in bank}


def pose(key: str, settings: Mapping[str, object]) -> Question:
    """The question ``key`` at a page's settings; ValueError with a clear message otherwise."""
    if key not in TEMPLATES:
        raise ValueError(
            tr(
                "unknown question {key_shown}; known: {known}",
                key_shown=repr(key),
                known=", ".join(TEMPLATES),
            )
        )
    return TEMPLATES[key].build(settings)
