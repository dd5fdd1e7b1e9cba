"""The sentences of the lessons: typed results in, plain text (and KaTeX) out.

Streamlit-free (numpy only). Every function here turns numbers into a reading that must be
true at every setting a URL can produce: an equality shown holds at the precision shown,
a sum shown adds up as shown, and a note that depends on a condition appears only when
the condition holds. ``tests/test_explanations.py`` parses the numbers back out of the
text and recomputes them with plain numpy.

Number formats (one place for them): :func:`fmt` (fixed decimals, tiny values kept
visible, ``−`` for minus, ``∞``), :func:`fmt_sig` (significant figures, ``3.16e6`` beyond
[0.001, 1000) at 3 figures) and :func:`latex_number` (the same string for KaTeX).

Both languages (``xent.i18n``): each reading is a whole sentence in ``tr("…")`` whose numbers
are formatted here first and passed in as placeholders named by what they hold, so the
English and the Japanese reading show the very same numbers. A part that comes and goes with
a condition is either its own whole message or a sentence appended through a
``"{reading} …"`` message (Japanese joins sentences without a space).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from xent.i18n import DEFAULT, LANGUAGES, N_, catalogue, tr
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

UNDEFINED = N_("undefined")
"""What :func:`fmt` shows for NaN (``tr(UNDEFINED)``: 未定義 in Japanese); :func:`value_of`
reads it back in either language."""


# --- number formats ---------------------------------------------------------------------


def fmt(x: float, decimals: int = 2) -> str:
    """Fixed decimals; a nonzero value below 10^-decimals keeps decimals - 1 significant
    figures (so it never reads 0.00); '∞', '−∞', 'undefined' for the non-finite."""
    x = float(x)
    if math.isnan(x):
        return tr(UNDEFINED)
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
    return s if s.startswith("−") or _undefined(s) else "+" + s


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


def _undefined(shown: str) -> bool:
    """``shown`` is :func:`fmt`'s NaN in any language."""
    return shown == UNDEFINED or any(
        shown == catalogue(code).get(UNDEFINED) for code in LANGUAGES if code != DEFAULT
    )


def value_of(shown: str) -> float:
    """The number a formatted string stands for (the inverse of fmt and fmt_sig)."""
    if _undefined(shown):
        return float("nan")
    return float(shown.replace(MINUS, "-").replace("∞", "inf"))


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
    return tr(
        "{goal_shown}, where this loss is smallest (not p = {p_shown})",
        goal_shown=fmt(row.goal),
        p_shown=fmt_setting(row.p),
    )


def steps_words(n: int) -> str:
    """'1 step', '2 steps'.

    >>> steps_words(1), steps_words(0), steps_words(12)
    ('1 step', '0 steps', '12 steps')
    """
    return tr("{count} step", count=n) if n == 1 else tr("{count} steps", count=n)


def _diverged(text: str, row: RaceRow) -> str:
    return tr("{reading} It diverged.", reading=text) if row.diverged else text


def _half_reading(row: RaceRow, label: str, within: str) -> str:
    """At p = ½ there is no wrong side: the whole run is approach."""
    if row.cycles:
        return tr(
            "{label}: p = ½ has no wrong side, so the whole run is approach, and it never "
            "settles {within}: it keeps jumping back and forth.",
            label=label,
            within=within,
        )
    if row.arrival < 0:
        text = tr(
            N_(
                "{label}: p = ½ has no wrong side, so the whole run is approach, and in "
                "{run_length} it does not settle {within}, overshooting the goal on the way."
            )
            if row.overshoot
            else N_(
                "{label}: p = ½ has no wrong side, so the whole run is approach, and in "
                "{run_length} it does not settle {within}."
            ),
            label=label,
            run_length=steps_words(row.steps),
            within=within,
        )
        return _diverged(text, row)
    text = tr(
        N_(
            "{label}: p = ½ has no wrong side, so the whole run is approach: "
            "{arrival_steps} to settle {within}, overshooting the goal on the way."
        )
        if row.overshoot
        else N_(
            "{label}: p = ½ has no wrong side, so the whole run is approach: "
            "{arrival_steps} to settle {within}."
        ),
        label=label,
        arrival_steps=steps_words(row.arrival),
        within=within,
    )
    return _diverged(text, row)


def _after_escape(row: RaceRow, first: str, within: str) -> str:
    """The approach after the escape (``first`` says the escape)."""
    if row.cycles:
        return tr(
            "{first}, then never settles {within}: it keeps jumping back and forth around it.",
            first=first,
            within=within,
        )
    if row.arrival < 0:
        text = tr(
            N_(
                "{first}, then in the {remaining} left does not settle {within}, overshooting the "
                "goal on the way."
            )
            if row.overshoot
            else N_("{first}, then in the {remaining} left does not settle {within}."),
            first=first,
            remaining=steps_words(row.steps - row.escape),
            within=within,
        )
        return _diverged(text, row)
    text = tr(
        N_(
            "{first}, then {approach_count} more to settle {within}, overshooting the goal on the "
            "way: {arrival_count} in all."
        )
        if row.overshoot
        else N_("{first}, then {approach_count} more to settle {within}: {arrival_count} in all."),
        first=first,
        approach_count=row.approach,
        within=within,
        arrival_count=row.arrival,
    )
    return _diverged(text, row)


def race_reading(row: RaceRow) -> str:
    """Escape, then approach, for one loss, in one sentence."""
    label = tr(row.label)
    within = tr(
        "within {tolerance} of {goal}", tolerance=fmt_setting(row.tol), goal=_goal_words(row)
    )
    if row.escape < 0:
        text = tr(
            "{label} never crosses ½ to the right side in the {run_length} run.",
            label=label,
            run_length=steps_words(row.steps),
        )
        return _diverged(text, row)
    if row.p == 0.5:
        return _half_reading(row, label, within)
    if row.escape == 0:
        first = tr("{label} starts on the right side of ½ (0 steps to escape)", label=label)
    else:
        first = tr(
            "{label} takes {escape_steps} to escape the mistake (cross ½)",
            label=label,
            escape_steps=steps_words(row.escape),
        )
    return _after_escape(row, first, within)


def settle_reading(label: str, goal: float, lr: float, curvature: float | None) -> str:
    """Why a run with learning rate η cycles instead of settling: near its goal z*, a step
    z ← z − η ∂L/∂z multiplies the distance z − z* by about 1 − η · ∂²L/∂z²; it shrinks only
    where |1 − η · ∂²L/∂z²| < 1, that is η < 2 / (∂²L/∂z²). The numbers shown are computed
    from the shown ∂²L/∂z² (3 significant figures), so the equalities hold as printed.
    ``curvature`` None: a loss with a kink at its goal (absolute error)."""
    label = tr(label)
    if curvature is None:
        return tr(
            "{label} cannot settle at its goal: its push does not shrink near it (its size "
            "stays q(1 − q), about {size_shown} at q = {goal_shown}), so each step jumps "
            "across the goal by up to η q(1 − q) in z.",
            label=label,
            size_shown=fmt_sig(goal * (1 - goal)),
            goal_shown=fmt(goal),
        )
    shown = fmt_sig(curvature)
    c = value_of(shown)
    message = (
        N_(
            "{label}: near its goal a step multiplies the logit's distance from it by "
            "1 − η · ∂²L/∂z²; at q = {goal_shown}, ∂²L/∂z² = {curvature_shown}, so "
            "|1 − {lr_shown} × {curvature_shown}| = {factor_shown} > 1: each step overshoots "
            "by more than it corrects, so q cycles around its goal. It settles only for "
            "η < 2 / {curvature_shown} = {limit_shown}."
        )
        if abs(1 - lr * c) > 1
        else N_(
            "{label}: near its goal a step multiplies the logit's distance from it by "
            "1 − η · ∂²L/∂z²; at q = {goal_shown}, ∂²L/∂z² = {curvature_shown}, so "
            "|1 − {lr_shown} × {curvature_shown}| = {factor_shown} < 1: each step shrinks the "
            "distance to the goal, so the run settles. It settles only for "
            "η < 2 / {curvature_shown} = {limit_shown}."
        )
    )
    return tr(
        message,
        label=label,
        goal_shown=fmt(goal),
        curvature_shown=shown,
        lr_shown=fmt_setting(lr),
        factor_shown=fmt_sig(abs(1 - lr * c)),
        limit_shown=fmt_sig(2 / c) if c > 0 else "∞",
    )


def race_ratio_reading(fast: RaceRow, slow: RaceRow) -> str | None:
    """'Escaping, X took r× as many steps as Y', only when both had something to escape."""
    if min(fast.escape, slow.escape) <= 0:
        return None
    return tr(
        "Escaping the mistake, {slow_label} took {ratio}× as many steps as {fast_label} "
        "({slow_count} vs {fast_count}).",
        slow_label=tr(slow.label),
        ratio=f"{slow.escape / fast.escape:.1f}",
        fast_label=tr(fast.label),
        slow_count=slow.escape,
        fast_count=fast.escape,
    )


def approach_ratio_reading(fast: RaceRow, slow: RaceRow) -> str | None:
    """'Approaching the goal, X took r× as many steps as Y', only when both arrived and
    the faster one needed at least one approach step."""
    if min(fast.approach, slow.approach) <= 0:
        return None
    return tr(
        "Approaching the goal, {slow_label} took {ratio}× as many steps as {fast_label} "
        "({slow_count} vs {fast_count}).",
        slow_label=tr(slow.label),
        ratio=f"{slow.approach / fast.approach:.1f}",
        fast_label=tr(fast.label),
        slow_count=slow.approach,
        fast_count=fast.approach,
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
    return tr(
        "Squared error is slow near the target too: its step on the logit is "
        "2 (q − p) q (1 − q) = {squared_error_step} at q = {q_shown}, against cross-entropy's "
        "q − p = {cross_entropy_step}; the sigmoid's slope q (1 − q) = {slope_shown} is "
        "small again near {end_shown} (0.250 at q = ½), and squared error keeps it.",
        squared_error_step=fmt_sig(se),
        q_shown=fmt(q),
        cross_entropy_step=fmt_sig(ce),
        slope_shown=fmt_sig(q * (1 - q)),
        end_shown="1" if p >= 0.9 else "0",
    )


NEAR_END = 0.15
"""How close to 0 or 1 the approach's start must be for the slow-near-the-target note."""


# --- proper scoring ----------------------------------------------------------------------

_PURPOSE = {
    "focal": N_(
        "Focal loss is not a mistake: it down-weights easy, already-right examples so that "
        "rare classes count under class imbalance, and pays for it with probabilities that "
        "are not calibrated."
    ),
    "absolute_error": N_(
        "With hard 0/1 labels, absolute error pushes the prediction to the more frequent "
        "label: it answers 'which label', not 'how likely'. (Trained on the soft target p "
        "itself, |q − p| is smallest at p; averaged over drawn labels it is not.)"
    ),
}


def scoring_reading(label: str, m: Minimiser) -> str:
    """Where ``m``'s loss has its smallest expected loss, and whether it is proper."""
    label = tr(label)
    if m.proper:
        return tr(
            "{label}: the expected loss is smallest at q = p = {p_shown}. A proper "
            "scoring rule: minimising it makes the model report the true probability.",
            label=label,
            p_shown=fmt(m.p),
        )
    if not m.unique:
        where = tr(
            "every q from {q_low_shown} to {q_high_shown} gives the same expected loss "
            "{loss_shown}",
            q_low_shown=fmt(m.q_low),
            q_high_shown=fmt(m.q_high),
            loss_shown=fmt(m.expected_loss),
        )
    elif m.at_p:
        where = tr(
            "the expected loss is smallest at q = p = {p_shown} for this p, but not for every p",
            p_shown=fmt(m.p),
        )
    else:
        where = tr(
            "the expected loss is smallest at q = {q_shown}, not at p = {p_shown}",
            q_shown=fmt(m.q_low),
            p_shown=fmt(m.p),
        )
    purpose = _PURPOSE.get(m.loss_name)
    if purpose is None:
        return tr("{label}: {where}. Not a proper scoring rule.", label=label, where=where)
    return tr(
        "{label}: {where}. Not a proper scoring rule. {purpose}",
        label=label,
        where=where,
        purpose=tr(purpose),
    )


def units_note(loss_names: Sequence[str]) -> str:
    """'(cross-entropy and focal in nats)': the chosen losses measured in nats (their
    registry ``unit``), in the order given; empty when none is."""
    words = [tr(BINARY_LOSSES[n].in_words) for n in loss_names if BINARY_LOSSES[n].unit == NATS]
    if not words:
        return ""
    listed = words[0]
    for word in words[1:-1]:
        listed = tr("{listed}, {next_loss}", listed=listed, next_loss=word)
    if len(words) > 1:
        listed = tr("{listed} and {last_loss}", listed=listed, last_loss=words[-1])
    return tr("({listed} in nats)", listed=listed)


# --- L = H + KL --------------------------------------------------------------------------


def decomposition(cross_entropy: float, entropy: float, kl: float) -> tuple[str, str]:
    """'L = H + KL' with numbers that add up as shown: (latex, text).

    Uses the fewest decimals (2 to 8) at which the shown H and KL add up to the shown L;
    an infinite KL gives L = ∞.
    """
    if not math.isfinite(kl) or not math.isfinite(cross_entropy):
        text = tr(
            "L = H + KL: ∞ = {entropy_shown} + ∞ (q rules out an outcome that can happen)",
            entropy_shown=fmt(entropy),
        )
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
        return tr(
            "H({p_shown}) = 0 nats = 0 bits: the outcome is certain, so no question needs "
            "asking. Perplexity e^H = 1: one possible outcome.",
            p_shown=fmt(p),
        )
    bits = nats / math.log(2)
    return tr(
        "H({p_shown}) = {nats_shown} nats = {bits_shown} bits: the same amount in two units "
        "(1 bit = ln 2 ≈ 0.69 nats). In bits it is a code length: an ideal code for these "
        "draws needs on average {bits_shown} yes/no answers per ball, and no code needs fewer. "
        "A third unit is the perplexity e^H = 2^(bits) = {perplexity_shown}: the draw is "
        "as hard to guess as a fair pick among {perplexity_shown} equally likely outcomes "
        "(2 for a fair coin); a model's perplexity e^L is the same for its loss L.",
        p_shown=fmt(p),
        nats_shown=fmt(nats),
        bits_shown=fmt(bits),
        perplexity_shown=fmt(math.exp(nats)),
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
        return tr(
            "At z = {z_shown} both forms give log softmax(z) = {stable_shown}; push a logit "
            "past about 709 and exp(z) overflows.",
            z_shown=_vector(c.z),
            stable_shown=stable,
        )
    if c.overflow and c.underflow:
        causes = tr("exp(z) overflows to ∞ and a probability rounds to 0, whose log is −∞")
    elif c.overflow:
        causes = tr("exp(z) overflows to ∞")
    else:
        causes = tr("a probability rounds to 0, whose log is −∞")
    return tr(
        "At z = {z_shown} the naive log(softmax(z)) gives {naive_shown}: {causes}. The "
        "log-sum-exp form z − max z − log Σ exp(z − max z) gives {stable_shown}. That is why "
        "frameworks take logits, not probabilities.",
        z_shown=_vector(c.z),
        naive_shown=_vector(c.naive),
        causes=causes,
        stable_shown=stable,
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
    return tr(
        "At Q({label}) = {q_shown} the −log Q curve has slope −1/Q = {slope_shown}, yet the "
        "step on the {label} logit is Q − 1 = {step_shown}, never larger than 1 in size: "
        "the softmax's own slope Q (1 − Q) multiplies −1/Q and cancels the steepness.",
        label=true_label,
        q_shown=q_shown,
        slope_shown=slope,
        step_shown=step,
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
    head = tr(
        "From z = {z_shown}, {run_length} with η = {lr_shown}: cross-entropy brings "
        "Q({label}) to {cross_entropy_shown}, squared error to {squared_error_shown}.",
        z_shown=_vector(race.z0),
        run_length=steps_words(race.steps),
        lr_shown=fmt(race.lr),
        label=true_label,
        cross_entropy_shown=ce,
        squared_error_shown=se,
    )
    z = np.asarray(race.z0)
    start = float(np.exp(z[race.true_index] - z.max()) / np.exp(z - z.max()).sum())
    if race.q_squared_error < race.q_cross_entropy and ce != se and start < 0.1:
        head = tr(
            "{reading} Squared error's logit step carries the softmax's slope, which is tiny "
            "while Q({label}) is near 0; cross-entropy's Q − t does not.",
            reading=head,
            label=true_label,
        )
    return head


def accuracy_vs_loss_reading(accuracy: Sequence[float], loss: Sequence[float]) -> str:
    """Accuracy moves in jumps while the loss moves on every step: why we descend the loss."""
    accuracy, loss = np.asarray(accuracy, float), np.asarray(loss, float)
    steps = loss.size - 1
    jumps = int(np.count_nonzero(np.diff(accuracy)))
    falls = int(np.count_nonzero(np.diff(loss) < 0))
    message = (
        N_(
            "Over {run_length} the mean loss went from {loss_start} to {loss_end} and fell on "
            "{falls} of them; accuracy went from {accuracy_start}% to {accuracy_end}% and "
            "changed on only {jumps}. Accuracy (1 − the 0-1 loss) is flat between its jumps, "
            "so its gradient is zero almost everywhere and gives descent nothing to follow; "
            "the loss is smooth, so we descend it."
        )
        if jumps < falls
        else N_(
            "Over {run_length} the mean loss went from {loss_start} to {loss_end} and fell on "
            "{falls} of them; accuracy went from {accuracy_start}% to {accuracy_end}% and "
            "changed on {jumps}. Accuracy (1 − the 0-1 loss) is flat between its jumps, "
            "so its gradient is zero almost everywhere and gives descent nothing to follow; "
            "the loss is smooth, so we descend it."
        )
    )
    text = tr(
        message,
        run_length=steps_words(steps),
        loss_start=fmt(loss[0]),
        loss_end=fmt(loss[-1]),
        falls=falls,
        accuracy_start=fmt(100 * accuracy[0], 0),
        accuracy_end=fmt(100 * accuracy[-1], 0),
        jumps=jumps,
    )
    if loss[-1] > loss[0]:  # a small enough step lowers a smooth loss: this one was too large
        text = tr(
            "{reading} Here it rose instead: the learning rate is too large for this data, so "
            "the steps overshoot; a smaller η lets the loss fall.",
            reading=text,
        )
    return text
