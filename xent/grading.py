"""One rule for grading a guess, shared by predict-then-reveal and class mode (no Streamlit).

A choice is right when it is the true option. A number is right when

    |guess − truth| <= tolerance,

computed exactly: the guess and the truth are taken as the decimals they print as (their
``repr``), never rounded first to what a screen shows. A guess whose distance says nothing
(``excluded``: q = 1 where the loss is infinite, say) is wrong whatever the distance, and
the verdict says why.

The sentences (:func:`rule_text`, a :class:`Grade`'s verdict) are in the current language
(``xent.i18n``), written when they are shown; the numbers in them are formatted once, the
same in every language, and an amount in steps is written through ``tr`` ("3 steps",
:data:`UNIT_WORDS`; "nats" is a symbol).

What is shown is consistent with the rule: the truth is shown with enough decimals that
the distance computed from the *shown* guess and truth falls on the same side of the
tolerance as the exact one, and that shown distance is the one displayed.

>>> g = grade_number(0.48, 0.5004024235381879, 0.02, unit="nats")
>>> g.truth, g.off, g.right
('0.5004', '0.0204', False)
>>> g.verdict
'Not right: off by 0.0204 nats; a guess within ±0.02 nats of the answer counts as right.'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from xent.i18n import N_, tr

SHOWN_DECIMALS = 4
"""A number's truth is shown to at least this many decimals (more when needed, see above)."""


@dataclass(frozen=True)
class Grade:
    """A guess against the truth, as shown: the numbers as strings, the verdict.

    ``off`` is |guess − truth| as shown (None for a choice); ``right`` is the exact rule."""

    guess: str
    truth: str
    off: str | None
    right: bool
    verdict: str


def exact(x: float | int) -> Decimal:
    """A number as the decimal it prints as: 0.1 is 1/10 here, not the nearest double."""
    if isinstance(x, int):
        return Decimal(x)
    return Decimal(repr(float(x)))


UNIT_WORDS = {"steps": N_("{amount} steps")}
"""An amount in a unit, as a sentence writes it ("3 steps", "3 ステップ"); other units are
symbols written after the number as they are ("0.02 nats")."""


def _amount(number: str, unit: str) -> str:
    """``number`` with its unit, in the current language."""
    if unit in UNIT_WORDS:
        return tr(UNIT_WORDS[unit], amount=number)
    return f"{number} {unit}" if unit else number


def is_right(kind: str, truth, tolerance: float, guess, excluded: Sequence[float] = ()) -> bool:
    """The rule: a choice equals the truth; a number is not excluded and within
    ``tolerance`` of the truth, exactly (see the module docstring)."""
    if kind == "choice":
        return guess == truth
    if any(exact(guess) == exact(x) for x in excluded):
        return False
    return abs(exact(guess) - exact(truth)) <= exact(tolerance)


def rule_text(kind: str, tolerance: float, unit: str = "") -> str:
    """The rule in words, shown before the student answers."""
    if kind == "choice":
        return tr("One answer is right.")
    tol = f"{exact(tolerance).normalize():f}"
    return tr(
        "A guess within ±{tolerance} of the exact answer counts as right.",
        tolerance=_amount(tol, unit),
    )


def _decimals(x: Decimal) -> int:
    return max(-x.normalize().as_tuple().exponent, 0)


def _shown(guess: Decimal, truth: Decimal, tol: Decimal, right: bool) -> tuple[str, Decimal]:
    """The truth to as few decimals as keep the shown distance on the rule's side."""
    places = max(SHOWN_DECIMALS, _decimals(guess))
    while True:
        shown = truth.quantize(Decimal(1).scaleb(-places))
        off = abs(guess - shown)
        if (off <= tol) == right or places >= 17:
            return f"{shown:f}", off
        places += 1


def grade_number(
    guess: float | int,
    truth: float | int,
    tolerance: float,
    *,
    unit: str = "",
    whole: bool = False,
    excluded: Sequence[float] = (),
    excluded_reason: str = "",
) -> Grade:
    """A number guess against the truth by the rule; ``whole`` for a count of steps."""
    g, t, tol = exact(guess), exact(truth), exact(tolerance)
    tol_s = _amount(f"{tol.normalize():f}", unit)
    if any(g == exact(x) for x in excluded):
        verdict = (
            tr("Not right: {reason}", reason=excluded_reason)
            if excluded_reason
            else tr("Not right.")
        )
        return Grade(f"{g.normalize():f}", f"{t:f}", None, False, verdict)
    right = abs(g - t) <= tol
    if whole:
        truth_s, off = f"{t:f}", abs(g - t)
    else:
        truth_s, off = _shown(g, t, tol, right)
    off_s = f"{off.normalize():f}"
    verdict = (
        tr(
            "Right: {off} off, within the ±{tolerance} that counts as right.",
            off=_amount(off_s, unit),
            tolerance=tol_s,
        )
        if right
        else tr(
            "Not right: off by {off}; a guess within ±{tolerance} of the answer counts as right.",
            off=_amount(off_s, unit),
            tolerance=tol_s,
        )
    )
    return Grade(f"{g.normalize():f}", truth_s, off_s, right, verdict)


def grade_choice(guess: str, truth: str, label: Callable[[str], str] = str) -> Grade:
    """A choice against the true option; ``label``: an option as a reader sees it (its words
    in the current language), used for the guess, the truth and the verdict shown."""
    right = guess == truth
    shown = label(truth)
    verdict = (
        tr("Right!") if right else tr("Not this time: the answer is “{answer}”.", answer=shown)
    )
    return Grade(label(guess), shown, None, right, verdict)
