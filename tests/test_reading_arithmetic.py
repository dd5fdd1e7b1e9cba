"""Arithmetic shown to students adds up as shown, on every page, at random settings.

A teacher reads the sentences aloud and a student checks them with a calculator. So at
random in-range settings of every control of every lesson page (drawn by Hypothesis,
derandomized), every reading and every formula on screen is parsed for arithmetic written
with numbers only, and each must hold at the precision it is displayed with:

- a sum ``a = b + c (+ ...)`` or difference: the displayed terms, added, round to the
  displayed result;
- a product ``a × b (× ...) = c``: the displayed factors, multiplied, round to the result;
- an equality of two bare numbers ``a = b``: the same number;
- no ``nan``, ``inf`` or ``None`` in text, and no negative zero (``−0.00``).

These checks know nothing about which page wrote the sentence; the page's own claims are
recomputed independently in the per-page tests (``test_*_claims.py``).
"""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from tests.test_app import PAGES, bound_widgets, open_page, readings

EXAMPLES_PER_PAGE = 20
RAW_NUMBER = r"[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?"
NUMBER = rf"(?<![\w.(−-]){RAW_NUMBER}(?![\w.)(])"
"""A bare decimal number, not part of a name (``w1``), a call (``H(0.20)``) or a word."""
FACTOR = rf"(?:{NUMBER}|\({RAW_NUMBER}\))"
"""A factor of a product: a bare number, or a negative one in parentheses (``(−2.00)``)."""
FUNCTION_BEFORE = re.compile(r"(?:[A-Za-z]|\\[a-z]+)\s*$")
"""Text right before a number that makes it an argument (``log 0.24``, ``\\log 0.24``)."""


def value(shown: str) -> float:
    return float(shown.replace("−", "-"))


def half_unit(shown: str) -> float:
    """Half a unit in the last displayed place: the rounding a displayed number carries."""
    mantissa, _, exponent = shown.replace("−", "-").partition("e")
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    return 0.5 * 10.0 ** (int(exponent or 0) - decimals)


def _is_argument(text: str, start: int) -> bool:
    return bool(FUNCTION_BEFORE.search(text[max(0, start - 8) : start]))


def sums(text: str) -> list[tuple[str, list[str]]]:
    """``a = b + c − d``: the result and the signed terms, as displayed."""
    pattern = re.compile(rf"({NUMBER})\s*=\s*({NUMBER}(?:\s*[+−-]\s*{NUMBER})+)(?![\s]*[×·*/])")
    found = []
    for match in pattern.finditer(text):
        if _is_argument(text, match.start()):
            continue
        terms = re.findall(rf"([+−-]?)\s*({NUMBER})", match.group(2))
        signed = [("-" if sign in "−-" and sign else "") + number for sign, number in terms]
        found.append((match.group(1), signed))
    reverse = re.compile(rf"({NUMBER}(?:\s*[+−-]\s*{NUMBER})+)\s*=\s*({NUMBER})")
    for match in reverse.finditer(text):
        if _is_argument(text, match.start()):
            continue
        terms = re.findall(rf"([+−-]?)\s*({NUMBER})", match.group(1))
        signed = [("-" if sign in "−-" and sign else "") + number for sign, number in terms]
        found.append((match.group(2), signed))
    return found


def products(text: str) -> list[tuple[list[str], str]]:
    """``a × b × c = d``: the displayed factors and the displayed result."""
    pattern = re.compile(rf"((?:{FACTOR}\s*×\s*)+{FACTOR})\s*=\s*({NUMBER})")
    found = []
    for match in pattern.finditer(text):
        if _is_argument(text, match.start()):
            continue
        factors = re.findall(RAW_NUMBER, match.group(1))
        found.append((factors, match.group(2)))
    return found


def equalities(text: str) -> list[tuple[str, str]]:
    """``a = b`` with a bare number on each side (not part of a sum, product or call)."""
    pattern = re.compile(rf"({NUMBER})\s*=\s*({NUMBER})(?!\s*[+−×*/-])")
    found = []
    for match in pattern.finditer(text):
        if _is_argument(text, match.start()):
            continue
        before = text[max(0, match.start() - 3) : match.start()]
        if re.search(r"[×+−-]\s*$", before):  # the tail of a product or a sum
            continue
        found.append((match.group(1), match.group(2)))
    return found


def _close(computed: float, shown: str) -> bool:
    return abs(computed - value(shown)) <= half_unit(shown) + 1e-9


def function_errors(text: str) -> list[str]:
    """Equalities with a function of shown numbers: ``−log a = b`` (natural log), a ratio
    ``r× … (a / b)`` or ``r× … (a vs b)``, ``a / b = c``, ``|1 − a × b| = c``, and
    ``q = a, σ′(y) = q(1 − q) = b``: each computed from the shown operands must round to
    the shown result."""
    errors = []
    R = RAW_NUMBER
    for a, b in re.findall(rf"−log ({R}) = ({R})", text):
        if value(a) > 0 and not _close(-math.log(value(a)), b):
            errors.append(f"log: −log {a} = {b} (is {-math.log(value(a)):.6g})")
    for r, a, b in re.findall(rf"({R})× [^.]*?\(({R}) (?:/|vs) ({R})\)", text):
        if value(b) != 0 and not _close(value(a) / value(b), r):
            errors.append(f"ratio: {r}× for {a} / {b} (is {value(a) / value(b):.6g})")
    for a, b, c in re.findall(rf"(?<![\w.]){R} / ({R}) = ({R})".replace(R, f"({R})", 1), text):
        if value(b) != 0 and not _close(value(a) / value(b), c):
            errors.append(f"division: {a} / {b} = {c} (is {value(a) / value(b):.6g})")
    for factors, c in re.findall(rf"\|1 − ((?:{R} × )+{R})\| = ({R})", text):
        shown = [value(f) for f in re.findall(R, factors)]
        if not _close(abs(1 - math.prod(shown)), c):
            errors.append(f"|1 − {factors}| = {c}")
    for q, s in re.findall(rf"q = (?:σ\(y\) = )?({R}), σ′\(y\) = q\(1 − q\) = ({R})", text):
        if not _close(value(q) * (1 - value(q)), s):
            errors.append(f"σ′: q = {q} gives q(1 − q) = {value(q) * (1 - value(q)):.6g}, not {s}")
    return errors


def arithmetic_errors(text: str) -> list[str]:
    errors = function_errors(text)
    for result, terms in sums(text):
        total = math.fsum(value(t) for t in terms)
        if abs(total - value(result)) > half_unit(result) + 1e-9:
            errors.append(f"sum: {result} = {' + '.join(terms)} (adds up to {total:.6g})")
    for factors, result in products(text):
        product = math.prod(value(f) for f in factors)
        if abs(product - value(result)) > half_unit(result) + 1e-9:
            errors.append(f"product: {' × '.join(factors)} = {result} (is {product:.6g})")
    for left, right in equalities(text):
        if abs(value(left) - value(right)) > max(half_unit(left), half_unit(right)) + 1e-9:
            errors.append(f"equality: {left} = {right}")
    for word in re.findall(r"\b(?:nan|NaN|inf|None)\b", text):
        errors.append(f"'{word}' in the text")
    for zero in re.findall(r"(?<![\d.])[−-]0(?:\.0+)?(?![\d.]*[1-9])(?!\.?\d)", text):
        errors.append(f"negative zero {zero!r}")
    return errors


# --- the parser itself, on sentences whose truth is known ------------------------------------


@pytest.mark.parametrize(
    ("text", "errors"),
    [
        ("L = H + KL: 0.835 = 0.500 + 0.335 nats", 0),
        ("0.84 = 0.50 + 0.33", 1),  # the sum a student could not make add up
        ("1.00 × 0.149 × 4.14 = 0.617", 0),
        ("1 × 0.000000 × (−3.16e6) = −0.2", 1),  # the product the issue found
        ("1.00 × 0.150 × 4.14 = 0.617", 1),
        ("(−2.00) × 0.00150 × 666 = −2.00", 0),
        ("(−2.00) × 0.00150 × 666 = 2.00", 1),
        ("0.800 × 2.25e−4 × 889 = 0.160", 0),
        ("0.800 × 2.25e−4 × 889 = 0.170", 1),
        ("−log 0.24 = 1.42 nats", 1),  # a log, checked as one: −log 0.24 = 1.43
        ("−log 0.242 = 1.42 nats", 0),
        ("H(0.20) = 0.50 nats = 0.72 bits", 0),
        ("q = 0.28 = 0.27", 1),
        ("q = 0.28 = 0.280", 0),
        ("the step is −0.00 here", 1),
        ("the step is −0.01 here", 0),
        ("L = nan", 1),
        ("∂L/∂z = 0.60 − 0.20 = 0.40", 0),
        ("∂L/∂z = 0.60 − 0.20 = 0.30", 1),
        # the examples: each fails at the precision shown
        ("−log Q(Apple) = −log 0.03 = 3.38 nats", 1),
        ("−log Q(Apple) = −log 0.0340 = 3.38 nats", 0),
        ("−log 0.002 = 6.02", 1),
        ("At step 3: y = 1.52, q = σ(y) = 0.82, σ′(y) = q(1 − q) = 0.149.", 1),
        ("At step 3: y = 1.52, q = σ(y) = 0.818, σ′(y) = q(1 − q) = 0.149.", 0),
        ("Cross-entropy pushes 501× harder than squared error here (0.899 / 0.002).", 1),
        ("Cross-entropy pushes 499× harder than squared error here (0.899 / 0.00180).", 0),
        ("squared error took 63.6× as many steps as cross-entropy (572 vs 9).", 0),
        ("squared error took 63.0× as many steps as cross-entropy (572 vs 9).", 1),
        ("so |1 − 30 × 0.0900| = 1.70 > 1", 0),
        ("so |1 − 30 × 0.0900| = 1.60 > 1", 1),
        ("and |1 − 100 × 1.25 × 0.160| = 19.0 > 1", 0),
        ("and |1 − 100 × 1.25 × 0.160| = 20.0 > 1", 1),
        ("It settles only for η < 2 / 0.0900 = 22.2.", 0),
        ("It settles only for η < 2 / 0.0900 = 20.2.", 1),
    ],
)
def test_the_checker_sees_what_a_calculator_sees(text, errors):
    assert len(arithmetic_errors(text)) == errors, arithmetic_errors(text)


# --- every page at random settings -----------------------------------------------------------


def _choices(widget) -> hs.SearchStrategy:
    kind = widget.type
    if kind == "slider":
        lo, hi, step = widget.min, widget.max, widget.step
        count = round((hi - lo) / step)
        return hs.integers(0, count).map(
            lambda i: round(lo + i * step, 6) if isinstance(lo, float) else lo + i * step
        )
    if kind == "number_input":
        return hs.integers(int(widget.min), int(widget.max))
    if kind == "select_slider":
        return hs.sampled_from(list(widget.options)).map(
            lambda o: float(o) if re.fullmatch(r"[−-]?[\d.]+", o) else o
        )
    if kind == "selectbox":
        return hs.integers(0, len(widget.options) - 1)
    if kind == "text_input":
        return hs.sampled_from(["", "Cat, Dog, Bird", "A, B, C, D, E", widget.value])
    if kind == "button_group":
        names = ["cross_entropy", "squared_error", "absolute_error", "focal"]
        return hs.lists(hs.sampled_from(names), min_size=1, max_size=4, unique=True)
    raise AssertionError(f"no strategy for {kind}")


def in_move_order(keys: list[str]) -> list[str]:
    """K first (the logits and the true class follow it), run lengths before scrubbers."""
    first = [k for k in ("k", "steps", "rsteps") if k in keys]
    return first + [k for k in keys if k not in first]


def _shown_text(at) -> str:
    texts = readings(at) + [str(el.value) for el in (*at.latex, *at.caption)]
    return "\n".join(texts)


@pytest.mark.parametrize("page", PAGES)
def test_every_displayed_sum_product_and_equality_holds_at_random_settings(page):
    at = open_page(page)  # one session per page: each example sets every control anew
    widgets = {key: w for key, w in bound_widgets(at).items() if key != "names"}
    keys = sorted(widgets)
    strategy = hs.fixed_dictionaries({key: _choices(widgets[key]) for key in keys})

    @settings(
        max_examples=EXAMPLES_PER_PAGE,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(values=strategy)
    def check(values):
        for key in in_move_order(keys):  # one control per run, as a student moves them
            if key in bound_widgets(at):
                widget = bound_widgets(at)[key]
                value = values[key]
                if widget.type == "selectbox":  # options follow K: pick among today's
                    value = min(value, len(widget.options) - 1)
                widget.set_value(value)
                at.run()
                assert not at.exception, (key, values[key], [e.message for e in at.exception])
        errors = arithmetic_errors(_shown_text(at))
        assert not errors, f"{page} at {values}:\n" + "\n".join(errors)

    check()
