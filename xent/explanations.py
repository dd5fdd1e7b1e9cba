"""The sentences of the lessons: typed results in, plain text (and KaTeX) out.

Streamlit-free (numpy only). Every function here turns numbers into a reading that must be
true at every setting a URL can produce: an equality shown holds at the precision shown,
a sum shown adds up as shown, and a note that depends on a condition appears only when
the condition holds. ``tests/test_explanations.py`` parses the numbers back out of the
text and recomputes them with plain numpy.

Number formats (one place for them): :func:`fmt` (fixed decimals, tiny values kept
visible, ``−`` for minus, ``∞``), :func:`fmt_sig` (significant figures, ``3.16e6`` beyond
[0.001, 1000) at 3 figures) and :func:`latex_number` (the same string for KaTeX).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from xent.losses import BINARY_LOSSES, NATS
from xent.scoring import Minimiser, target_minimiser
from xent.training import RacePhases, race_phases, train_neuron

__all__ = [
    "LogSoftmaxComparison",
    "LogitRace",
    "RaceRow",
    "accuracy_vs_loss_reading",
    "approach_ratio_reading",
    "decomposition",
    "entropy_units_reading",
    "fmt",
    "fmt_setting",
    "fmt_sig",
    "latex_number",
    "log_softmax_comparison",
    "log_softmax_reading",
    "logit_race_reading",
    "logit_slope_reading",
    "race",
    "race_ratio_reading",
    "race_reading",
    "race_rows",
    "scoring_reading",
    "settle_reading",
    "shown_operand",
    "slow_near_target_reading",
    "steps_words",
    "units_note",
]

MINUS = "−"


# --- number formats ---------------------------------------------------------------------


def fmt(x: float, decimals: int = 2) -> str:
    """Fixed decimals; a nonzero value below 10^-decimals keeps decimals - 1 significant
    figures (so it never reads 0.00); '∞', '−∞', 'undefined' for the non-finite."""
    x = float(x)
    if math.isnan(x):
        return "undefined"
    if math.isinf(x):
        return "∞" if x > 0 else MINUS + "∞"
    if x != 0 and abs(x) < 10 ** (-decimals):
        return f"{x:.{max(decimals - 1, 1)}g}".replace("-", MINUS)
    return f"{x:.{decimals}f}".replace("-", MINUS)


def fmt_signed(x: float, decimals: int = 2) -> str:
    """:func:`fmt` with a '+' before a nonnegative number (a gradient's direction).

    >>> fmt_signed(0.25), fmt_signed(-0.25), fmt_signed(float("nan"))
    ('+0.25', '−0.25', 'undefined')
    """
    s = fmt(x, decimals)
    return s if s.startswith("−") or s == "undefined" else "+" + s


def fmt_sig(x: float, digits: int = 3) -> str:
    """``digits`` significant figures: fixed in [0.001, 10^digits), else ``3.16e6`` style
    (so a fixed number never shows more figures than ``digits``: 1098 reads 1.10e3)."""
    x = float(x)
    if x == 0:
        return "0"
    if not math.isfinite(x):
        return fmt(x)
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    exponent = int(exponent)
    if -3 <= exponent < digits:
        return f"{x:.{max(digits - 1 - exponent, 0)}f}".replace("-", MINUS)
    return f"{mantissa}e{exponent}".replace("-", MINUS)


def fmt_setting(x: float) -> str:
    """A setting as the user gave it (up to 4 significant figures, no padding): 0.05, 0.0125."""
    return f"{float(x):.4g}".replace("-", MINUS)


def value_of(shown: str) -> float:
    """The number a formatted string stands for (the inverse of fmt and fmt_sig)."""
    s = shown.replace(MINUS, "-").replace("∞", "inf")
    return float("nan") if s == "undefined" else float(s)


def shown_operand(x: float, f, result: str, show=fmt, decimals: int = 2) -> str:
    """``x`` to as few decimals (at least ``decimals``) as make f(shown x), shown with
    ``show``, read ``result``: an equality ``f(x) = result`` then holds as printed
    (−log 0.00243 = 6.02, where −log 0.002 would be 6.21). Falls back to 3 significant
    figures beyond 12 decimals.

    >>> shown_operand(0.0024312, lambda v: -math.log(v), "6.02")
    '0.00243'
    """
    for places in range(decimals, 13):
        shown = fmt(x, places)
        v = value_of(shown)
        try:
            if show(f(v)) == result:
                return shown
        except (ValueError, ZeroDivisionError):
            continue
    return fmt_sig(x)


def latex_number(shown: str) -> str:
    """A formatted number for KaTeX: 3.16e6 -> 3.16 \\times 10^{6}, − -> -, ∞ -> \\infty."""
    s = shown.replace(MINUS, "-").replace("∞", r"\infty")
    if "e" in s:
        mantissa, exponent = s.split("e")
        s = rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return s


# --- the race ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RaceRow:
    """One loss's run of the race, ready for a sentence.

    ``escape``, ``arrival``, ``approach``: steps (-1 never), see ``training.RacePhases``.
    ``goal``: what was approached (p, or the loss's own minimiser when it is not proper).
    """

    label: str
    p: float
    goal: float
    tol: float
    steps: int
    escape: int
    arrival: int
    approach: int
    overshoot: bool
    diverged: bool
    cycles: bool = False  # never settles: each step overshoots (``RacePhases.cycles``)


def race_rows(labels: Sequence[str], phases: RacePhases, p: float, steps: int) -> list[RaceRow]:
    """One :class:`RaceRow` per run of ``phases`` (labels in run order)."""
    return [
        RaceRow(
            label=label,
            p=float(p),
            goal=float(phases.goal[i]),
            tol=phases.tol,
            steps=int(steps),
            escape=int(phases.escape[i]),
            arrival=int(phases.arrival[i]),
            approach=int(phases.approach[i]),
            overshoot=bool(phases.overshoot[i]),
            diverged=bool(phases.diverged[i]),
            cycles=bool(phases.cycles[i]),
        )
        for i, label in enumerate(labels)
    ]


def race(
    loss_names: Sequence[str],
    labels: Sequence[str],
    *,
    p: float,
    q0: float,
    lr: float,
    steps: int,
    tol: float,
) -> list[RaceRow]:
    """The Loss Comparison race, one :class:`RaceRow` per loss: a one-weight neuron (x = 1)
    from q0 trained on L(p, q), each loss measured toward where *it* is smallest
    (``scoring.target_minimiser``: p, except focal's biased minimum)."""
    rows = []
    w0 = [float(np.log(q0) - np.log1p(-q0))]
    for name, label in zip(loss_names, labels, strict=True):
        goal = target_minimiser(name, p)
        traj = train_neuron([1.0], p, w0, lr=lr, steps=steps, loss=name)
        rows += race_rows([label], race_phases(traj, p, tol=tol, goal=goal), p, steps)
    return rows


def _goal_words(row: RaceRow) -> str:
    if row.goal == row.p:
        return f"p = {fmt_setting(row.p)}"
    return f"{fmt(row.goal)}, where this loss is smallest (not p = {fmt_setting(row.p)})"


def steps_words(n: int) -> str:
    """'1 step', '2 steps'.

    >>> steps_words(1), steps_words(0), steps_words(12)
    ('1 step', '0 steps', '12 steps')
    """
    return f"{n} step" if n == 1 else f"{n} steps"


def race_reading(row: RaceRow) -> str:
    """Escape, then approach, for one loss, in one sentence."""
    within = f"within {fmt_setting(row.tol)} of {_goal_words(row)}"
    end = " It diverged." if row.diverged else ""
    if row.escape < 0:
        return (
            f"{row.label} never crosses ½ to the right side in the {steps_words(row.steps)} "
            f"run.{end}"
        )
    over = ", overshooting the goal on the way" if row.overshoot else ""
    if row.p == 0.5:
        first = f"{row.label}: p = ½ has no wrong side, so the whole run is approach"
        if row.cycles:
            return f"{first}, and it never settles {within}: it keeps jumping back and forth."
        if row.arrival < 0:
            return (
                f"{first}, and in {steps_words(row.steps)} it does not settle {within}{over}.{end}"
            )
        return f"{first}: {steps_words(row.arrival)} to settle {within}{over}.{end}"
    if row.escape == 0:
        first = f"{row.label} starts on the right side of ½ (0 steps to escape)"
    else:
        first = f"{row.label} takes {steps_words(row.escape)} to escape the mistake (cross ½)"
    if row.cycles:
        return f"{first}, then never settles {within}: it keeps jumping back and forth around it."
    if row.arrival < 0:
        rest = steps_words(row.steps - row.escape)
        return f"{first}, then in the {rest} left does not settle {within}{over}.{end}"
    return f"{first}, then {row.approach} more to settle {within}{over}: {row.arrival} in all.{end}"


def settle_reading(label: str, goal: float, lr: float, curvature: float | None) -> str:
    """Why a run with learning rate η cycles instead of settling: near its goal z*, a step
    z ← z − η ∂L/∂z multiplies the distance z − z* by about 1 − η · ∂²L/∂z²; it shrinks only
    where |1 − η · ∂²L/∂z²| < 1, that is η < 2 / (∂²L/∂z²). The numbers shown are computed
    from the shown ∂²L/∂z² (3 significant figures), so the equalities hold as printed.
    ``curvature`` None: a loss with a kink at its goal (absolute error)."""
    at = f"q = {fmt(goal)}"
    if curvature is None:
        return (
            f"{label} cannot settle at its goal: its push does not shrink near it (its size "
            f"stays q(1 − q), about {fmt_sig(goal * (1 - goal))} at {at}), so each step jumps "
            f"across the goal by up to η q(1 − q) in z."
        )
    shown = fmt_sig(curvature)
    c = value_of(shown)
    factor = fmt_sig(abs(1 - lr * c))
    limit = fmt_sig(2 / c) if c > 0 else "∞"
    verdict = (
        "> 1: each step overshoots by more than it corrects, so q cycles around its goal"
        if abs(1 - lr * c) > 1
        else "< 1: each step shrinks the distance to the goal, so the run settles"
    )
    return (
        f"{label}: near its goal a step multiplies the logit's distance from it by "
        f"1 − η · ∂²L/∂z²; at {at}, ∂²L/∂z² = {shown}, so |1 − {fmt_setting(lr)} × {shown}| "
        f"= {factor} {verdict}. It settles only for η < 2 / {shown} = {limit}."
    )


def race_ratio_reading(fast: RaceRow, slow: RaceRow) -> str | None:
    """'Escaping, X took r× as many steps as Y', only when both had something to escape."""
    if min(fast.escape, slow.escape) <= 0:
        return None
    ratio = f"{slow.escape / fast.escape:.1f}"
    return (
        f"Escaping the mistake, {slow.label} took {ratio}× as many steps as {fast.label} "
        f"({slow.escape} vs {fast.escape})."
    )


def approach_ratio_reading(fast: RaceRow, slow: RaceRow) -> str | None:
    """'Approaching the goal, X took r× as many steps as Y', only when both arrived and
    the faster one needed at least one approach step."""
    if min(fast.approach, slow.approach) <= 0:
        return None
    ratio = f"{slow.approach / fast.approach:.1f}"
    return (
        f"Approaching the goal, {slow.label} took {ratio}× as many steps as {fast.label} "
        f"({slow.approach} vs {fast.approach})."
    )


def slow_near_target_reading(p: float, q: float) -> str | None:
    """Why squared error is slow near p = 0 or 1 too: its logit step keeps q(1 − q).

    Shown only for p within 0.1 of 0 or 1, q on p's side of ½ and within
    :data:`NEAR_END` of 0 or 1 (there q(1 − q) <= 0.1275, about half or less of its 0.25
    at ½: a threshold of 0.2 puts the approach's start at q = 0.25, where it is 0.19, not
    small) and q ≠ p (at p there is no step to be slow); None otherwise.
    """
    near_end = min(q, 1 - q) <= NEAR_END + 1e-12  # q = 0.85 from 0.9 − 0.05 is near
    if not (p <= 0.1 or p >= 0.9) or (q - 0.5) * (p - 0.5) <= 0 or q == p or not near_end:
        return None
    ce = q - p
    se = 2 * (q - p) * q * (1 - q)
    return (
        f"Squared error is slow near the target too: its step on the logit is "
        f"2 (q − p) q (1 − q) = {fmt_sig(se)} at q = {fmt(q)}, against cross-entropy's "
        f"q − p = {fmt_sig(ce)}; the sigmoid's slope q (1 − q) = {fmt_sig(q * (1 - q))} is "
        f"small again near {'1' if p >= 0.9 else '0'} (0.250 at q = ½), and squared error "
        "keeps it."
    )


NEAR_END = 0.15
"""How close to 0 or 1 the approach's start must be for the slow-near-the-target note."""


# --- proper scoring ----------------------------------------------------------------------

_PURPOSE = {
    "focal": (
        "Focal loss is not a mistake: it down-weights easy, already-right examples so that "
        "rare classes count under class imbalance, and pays for it with probabilities that "
        "are not calibrated."
    ),
    "absolute_error": (
        "With hard 0/1 labels, absolute error pushes the prediction to the more frequent "
        "label: it answers 'which label', not 'how likely'. (Trained on the soft target p "
        "itself, |q − p| is smallest at p; averaged over drawn labels it is not.)"
    ),
}


def scoring_reading(label: str, m: Minimiser) -> str:
    """Where ``m``'s loss has its smallest expected loss, and whether it is proper."""
    if m.proper:
        return (
            f"{label}: the expected loss is smallest at q = p = {fmt(m.p)}. A proper "
            f"scoring rule: minimising it makes the model report the true probability."
        )
    if not m.unique:
        where = (
            f"every q from {fmt(m.q_low)} to {fmt(m.q_high)} gives the same expected loss "
            f"{fmt(m.expected_loss)}"
        )
    elif m.at_p:
        where = (
            f"the expected loss is smallest at q = p = {fmt(m.p)} for this p, but not for every p"
        )
    else:
        where = f"the expected loss is smallest at q = {fmt(m.q_low)}, not at p = {fmt(m.p)}"
    return f"{label}: {where}. Not a proper scoring rule. {_PURPOSE.get(m.loss_name, '')}".strip()


def units_note(loss_names: Sequence[str]) -> str:
    """'(cross-entropy and focal in nats)': the chosen losses measured in nats (their
    registry ``unit``), in the order given; empty when none is."""
    words = [BINARY_LOSSES[n].in_words for n in loss_names if BINARY_LOSSES[n].unit == NATS]
    if not words:
        return ""
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return f"({listed} in nats)"


# --- L = H + KL --------------------------------------------------------------------------


def decomposition(cross_entropy: float, entropy: float, kl: float) -> tuple[str, str]:
    """'L = H + KL' with numbers that add up as shown: (latex, text).

    Uses the fewest decimals (2 to 8) at which the shown H and KL add up to the shown L;
    an infinite KL gives L = ∞.
    """
    if not math.isfinite(kl) or not math.isfinite(cross_entropy):
        text = f"L = H + KL: ∞ = {fmt(entropy)} + ∞ (q rules out an outcome that can happen)"
        return rf"L = H + D_{{KL}}:\ \infty = {fmt(entropy)} + \infty", text
    for decimals in range(2, 9):
        parts = [f"{v:.{decimals}f}" for v in (cross_entropy, entropy, kl)]
        if Decimal(parts[1]) + Decimal(parts[2]) == Decimal(parts[0]):
            break
    shown = [s.replace("-", MINUS) for s in parts]
    equals = "=" if Decimal(parts[1]) + Decimal(parts[2]) == Decimal(parts[0]) else "≈"
    text = f"L = H + KL: {shown[0]} {equals} {shown[1]} + {shown[2]}"
    tex_equals = "=" if equals == "=" else r"\approx"
    latex = rf"L = H + D_{{KL}}:\ {parts[0]} {tex_equals} {parts[1]} + {parts[2]}"
    return latex, text


# --- bits vs nats -------------------------------------------------------------------------


def entropy_units_reading(p: float) -> str:
    """H(p) in nats and in bits, with the code-length reading."""
    terms = [v * math.log(v) for v in (p, 1 - p) if v > 0]
    nats = -sum(terms) if terms else 0.0
    nats = max(nats, 0.0)
    if nats == 0:
        return (
            f"H({fmt(p)}) = 0 nats = 0 bits: the outcome is certain, so no question needs "
            "asking. Perplexity e^H = 1: one possible outcome."
        )
    bits = nats / math.log(2)
    return (
        f"H({fmt(p)}) = {fmt(nats)} nats = {fmt(bits)} bits: the same amount in two units "
        f"(1 bit = ln 2 ≈ 0.69 nats). In bits it is a code length: an ideal code for these "
        f"draws needs on average {fmt(bits)} yes/no answers per ball, and no code needs fewer. "
        f"A third unit is the perplexity e^H = 2^(bits) = {fmt(math.exp(nats))}: the draw is "
        f"as hard to guess as a fair pick among {fmt(math.exp(nats))} equally likely outcomes "
        "(2 for a fair coin); a model's perplexity e^L is the same for its loss L."
    )


# --- numerics: log-sum-exp ---------------------------------------------------------------


@dataclass(frozen=True)
class LogSoftmaxComparison:
    """log softmax(z) computed naively and with log-sum-exp.

    ``overflow``: some exp(z_k) is ∞; ``underflow``: the naive log gives −∞ where the
    stable form is finite.
    """

    z: tuple[float, ...]
    naive: tuple[float, ...]
    stable: tuple[float, ...]
    overflow: bool
    underflow: bool


def log_softmax_comparison(z: Sequence[float]) -> LogSoftmaxComparison:
    """Both forms, without a numpy warning (the naive one is meant to fail)."""
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(all="ignore"):
        e = np.exp(z)
        naive = np.log(e / e.sum())
    shifted = z - z.max()
    stable = shifted - np.log(np.exp(shifted).sum())
    return LogSoftmaxComparison(
        z=tuple(z.tolist()),
        naive=tuple(naive.tolist()),
        stable=tuple(stable.tolist()),
        overflow=bool(np.isinf(e).any()),
        underflow=bool((np.isneginf(naive) & np.isfinite(stable)).any()),
    )


def _vector(values: Sequence[float]) -> str:
    return "(" + ", ".join(fmt(v) for v in values) + ")"


def log_softmax_reading(c: LogSoftmaxComparison) -> str:
    """Why frameworks take logits, with both computed vectors."""
    stable = _vector(c.stable)
    if not (c.overflow or c.underflow):
        return (
            f"At z = {_vector(c.z)} both forms give log softmax(z) = {stable}; push a logit "
            f"past about 709 and exp(z) overflows."
        )
    causes = []
    if c.overflow:
        causes.append("exp(z) overflows to ∞")
    if c.underflow:
        causes.append("a probability rounds to 0, whose log is −∞")
    return (
        f"At z = {_vector(c.z)} the naive log(softmax(z)) gives {_vector(c.naive)}: "
        f"{' and '.join(causes)}. The log-sum-exp form z − max z − log Σ exp(z − max z) gives "
        f"{stable}. That is why frameworks take logits, not probabilities."
    )


# --- multiclass ----------------------------------------------------------------------------


def logit_slope_reading(true_label: str, q_true: float) -> str:
    """−log Q is steep near 0, yet the logit step Q − 1 stays bounded by 1.

    The slope and the step are Q's own (3 significant figures), and Q is shown with as
    few decimals as make both equalities hold as printed: Q = 0.909443 reads 0.9094 and
    Q − 1 = −0.0906 (from 0.909 it would read −0.0910, not the model's step).

    >>> logit_slope_reading("Gorilla", 0.909443).split(" the ")[0:4:3]
    ['At Q(Gorilla) = 0.9094', 'Gorilla logit is Q − 1 = −0.0906, never larger than 1 in size:']
    """
    slope, step = fmt_sig(-1 / q_true), fmt_sig(q_true - 1)
    q_shown = shown_operand(
        q_true,
        lambda v: (-1 / v, v - 1),
        (slope, step),
        show=lambda pair: tuple(map(fmt_sig, pair)),
    )
    return (
        f"At Q({true_label}) = {q_shown} the −log Q curve has slope −1/Q = {slope}, yet the "
        f"step on the {true_label} logit is Q − 1 = {step}, never larger than 1 in size: "
        f"the softmax's own slope Q (1 − Q) multiplies −1/Q and cancels the steepness."
    )


@dataclass(frozen=True)
class LogitRace:
    """Cross-entropy vs squared error descending the logits from the same start."""

    z0: tuple[float, ...]
    true_index: int
    lr: float
    steps: int
    q_cross_entropy: float
    q_squared_error: float


def logit_race_reading(race: LogitRace, true_label: str) -> str:
    """Which loss gets the true class's probability further from the same start; the why
    only when squared error ends behind and the start is a confident mistake (Q < 0.1)."""
    ce, se = fmt(race.q_cross_entropy, 3), fmt(race.q_squared_error, 3)
    head = (
        f"From z = {_vector(race.z0)}, {steps_words(race.steps)} with η = {fmt(race.lr)}: "
        f"cross-entropy brings Q({true_label}) to {ce}, squared error to {se}."
    )
    z = np.asarray(race.z0)
    start = float(np.exp(z[race.true_index] - z.max()) / np.exp(z - z.max()).sum())
    if race.q_squared_error < race.q_cross_entropy and ce != se and start < 0.1:
        head += (
            " Squared error's logit step carries the softmax's slope, which is tiny while "
            f"Q({true_label}) is near 0; cross-entropy's Q − t does not."
        )
    return head


def accuracy_vs_loss_reading(accuracy: Sequence[float], loss: Sequence[float]) -> str:
    """Accuracy moves in jumps while the loss moves on every step: why we descend the loss."""
    accuracy, loss = np.asarray(accuracy, float), np.asarray(loss, float)
    steps = loss.size - 1
    jumps = int(np.count_nonzero(np.diff(accuracy)))
    falls = int(np.count_nonzero(np.diff(loss) < 0))
    only = "only " if jumps < falls else ""
    text = (
        f"Over {steps_words(steps)} the mean loss went from {fmt(loss[0])} to {fmt(loss[-1])} and "
        f"fell on {falls} of them; accuracy went from {fmt(100 * accuracy[0], 0)}% to "
        f"{fmt(100 * accuracy[-1], 0)}% and changed on {only}{jumps}. Accuracy (1 − the 0-1 "
        f"loss) is flat between its jumps, so its gradient is zero almost everywhere and "
        f"gives descent nothing to follow; the loss is smooth, so we descend it."
    )
    if loss[-1] > loss[0]:  # a small enough step lowers a smooth loss: this one was too large
        text += (
            " Here it rose instead: the learning rate is too large for this data, so the "
            "steps overshoot; a smaller η lets the loss fall."
        )
    return text
