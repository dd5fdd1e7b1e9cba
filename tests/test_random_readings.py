"""Every section's reading at random link states, each number against an independent
recomputation (plain math and a hand-stepped descent written in the tests, not the code
under test). Each test prints how many states and numbers it checked (``pytest -s``).

Pages are opened through their links (AppTest), as a student opening a shared URL would.
"""

from __future__ import annotations

import math
import re

import numpy as np

from tests.test_app import open_page, readings
from tests.test_lesson_comparison import SETTLE, hand_cycles, hand_goal, hand_phases, hand_run

NUMBER = r"[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?"
STATES = 10


def num(text: str) -> float:
    return float(text.replace("−", "-"))


def close(shown: str, exact: float) -> bool:
    """``shown`` is ``exact`` rounded to the places shown (3 significant figures for e-form)."""
    mantissa = shown.replace("−", "-").split("e")[0]
    places = len(mantissa.split(".")[1]) if "." in mantissa else 0
    if "e" in shown:
        return math.isclose(num(shown), exact, rel_tol=5e-3)
    return abs(num(shown) - exact) <= 0.5 * 10**-places + 1e-12


def find(pattern: str, texts: list[str]) -> tuple[str, ...]:
    for text in texts:
        m = re.search(pattern, text)
        if m:
            return m.groups()
    raise AssertionError(f"no reading matches {pattern!r}:\n" + "\n".join(texts))


def test_bernoulli_section_readings_at_random_links():
    rng = np.random.default_rng(2101)
    numbers = 0
    for _ in range(STATES):
        p, q = (round(float(v), 2) for v in rng.integers(1, 100, 2) / 100)
        texts = readings(open_page("bernoulli", {"p": str(p), "q": str(q)}))
        H = -(p * math.log(p) + (1 - p) * math.log(1 - p))
        L = -(p * math.log(q) + (1 - p) * math.log(1 - q))
        L_s, q_s, H_s = find(
            rf"L = ({NUMBER}) nats at q = ({NUMBER}); the minimum ({NUMBER})", texts
        )
        assert close(L_s, L), (p, q)
        assert close(q_s, q)
        assert close(H_s, H)
        (g_s,) = find(rf"∂L/∂z = q − p = \+?({NUMBER})", texts)
        assert math.isclose(num(g_s), q - p, rel_tol=5e-3, abs_tol=1e-12), (p, q)
        nats, bits, perplexity = find(
            rf"= ({NUMBER}) nats = ({NUMBER}) bits.*perplexity e\^H = 2\^\(bits\) = ({NUMBER})",
            texts,
        )
        assert close(nats, H)
        assert close(bits, H / math.log(2))
        assert close(perplexity, math.exp(H))
        numbers += 7
    print(f"bernoulli: {STATES} link states, {numbers} numbers checked")


def test_multiclass_section_readings_at_random_links():
    rng = np.random.default_rng(2102)
    numbers = 0
    names = ("Apple", "Gorilla", "Rappa")
    for _ in range(STATES):
        z = np.round(rng.uniform(-5, 5, 3), 1)
        y = int(rng.integers(3))
        query = {f"z{i + 1}": f"{v:g}" for i, v in enumerate(z)} | {"y": names[y]}
        texts = readings(open_page("multiclass", query))
        Q = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
        (q_s,) = find(rf"The model gives {names[y]} Q = ({NUMBER})", texts)
        assert close(q_s, Q[y]), (z, y)
        arg, nll = find(rf"−log Q\({names[y]}\) = −log ({NUMBER}) = ({NUMBER}) nats", texts)
        assert close(nll, -math.log(Q[y])), (z, y)
        assert close(f"{-math.log(num(arg)):.{len(nll.split('.')[1])}f}", -math.log(Q[y]))
        grads = find(
            rf"∂L/∂z = Q − t: Apple \+?({NUMBER}), Gorilla \+?({NUMBER}), Rappa \+?({NUMBER})",
            texts,
        )
        t = np.eye(3)[y]
        for shown, exact in zip(grads, Q - t, strict=True):
            assert close(shown, exact), (z, y)
        numbers += 6
    print(f"multiclass: {STATES} link states, {numbers} numbers checked")


LRS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)


def _hand_grid_count(name: str, p: float, steps: int, tol: float) -> tuple[int, int]:
    """Cells that settle and cells that cycle, by the hand-stepped descent."""
    q0 = 1 / (1 + np.exp(-np.repeat(np.linspace(-7, 7, 15), 9)))
    lr = np.tile(LRS, 15)
    q = hand_run(name, p, q0, lr, steps + SETTLE)
    goal = hand_goal(name, p)
    settled = cycling = 0
    for i in range(q.shape[1]):
        if hand_cycles(name, p, goal, lr[i], q[:, i], tol) and q[0, i] != goal:
            cycling += 1
        elif hand_phases(q[:, i], p, goal, tol, steps)[1] >= 0:
            settled += 1
    return settled, cycling


def test_loss_comparison_race_and_grid_readings_at_random_links():
    rng = np.random.default_rng(2103)
    states = numbers = 0
    for _ in range(STATES):
        p = round(float(rng.integers(0, 21)) * 0.05, 2)
        q0 = round(float(rng.integers(1, 1000)) / 1000, 3)
        lr = float(rng.choice(LRS))
        steps = int(rng.integers(1, 101)) * 10
        tol = float(rng.choice([0.01, 0.02, 0.05, 0.1, 0.2]))
        query = {"p": f"{p:g}", "q0": f"{q0:g}", "lr": f"{lr:g}", "steps": str(steps)}
        texts = readings(open_page("loss-comparison", query | {"tol": f"{tol:g}"}))
        for name, label in (("cross_entropy", "cross-entropy"), ("squared_error", "squared error")):
            # the race: the hand-stepped run of this loss, counted the page's way
            q = hand_run(name, p, q0, lr, steps + SETTLE)[:, 0]
            if np.min(np.abs(np.abs(q - p) - tol)) < 1e-9 or np.min(np.abs(q - 0.5)) < 1e-9:
                continue  # a state on the band's edge: float order decides
            escape, arrival = hand_phases(q, p, p, tol, steps)
            cycles = hand_cycles(name, p, p, lr, q, tol) and q[0] != p
            race = " ".join(texts)
            if cycles:
                assert f"{label.capitalize()}: near its goal a step multiplies" in race
            elif arrival >= 0 and escape > 0 and p != 0.5:
                assert f": {arrival} in all." in race, (query, label)
            numbers += 1
            # the grid's count for this loss
            settled, cycling = _hand_grid_count(name, p, steps, tol)
            (part,) = find(
                rf"({label} settles within {tol:g} of p in \d+ of 135 cells[^;.]*)", texts
            )
            count = int(re.search(r"in (\d+) of 135", part).group(1))
            # ± 2 cells: a run that ends on the band's edge is decided by float order
            assert abs(count - settled) <= 2, (query, label, count, settled)
            shown_cycling = re.search(r"\((\d+) never settle, ↻\)", part)
            assert (int(shown_cycling.group(1)) if shown_cycling else 0) == cycling, query
            numbers += 2
        states += 1
    print(f"loss comparison: {states} link states, {numbers} race and grid numbers checked")
    assert states >= STATES // 2


def _random_query(at, rng) -> dict[str, str]:
    """A link's query: each bound slider, number and choice of the page at a random value of
    its range, as a shared link carries it (numbers as text, the true class by name)."""
    from tests.test_app import bound_widgets

    query: dict[str, str] = {}
    for key, w in bound_widgets(at).items():
        if w.type in ("slider", "number_input"):
            lo, hi = float(w.min), float(w.max)
            step = float(getattr(w, "step", 1) or 1)
            v = lo + step * int(rng.integers(0, round((hi - lo) / step) + 1))
            query[key] = f"{round(v, 6):g}"
        elif w.type == "select_slider" or (w.type == "selectbox" and key == "y"):
            query[key] = str(rng.choice(list(w.options)))
    return query


def test_every_displayed_equality_holds_at_random_link_states():
    """Item 4: the arithmetic checker of tests/test_reading_arithmetic.py over pages opened
    from random links (not moved control by control)."""
    from tests.test_app import PAGES, bound_widgets
    from tests.test_reading_arithmetic import _shown_text, arithmetic_errors

    rng = np.random.default_rng(2104)
    states = 0
    for page in PAGES:
        base = open_page(page)
        for _ in range(8):
            query = _random_query(base, rng)
            at = open_page(page, query)
            shown = {k: w.value for k, w in bound_widgets(at).items() if k in query}
            assert shown, page  # the link's values reached the controls
            errors = arithmetic_errors(_shown_text(at))
            assert not errors, f"{page}?{query}:\n" + "\n".join(errors)
            states += 1
    print(f"arithmetic at random links: {states} states on {len(PAGES)} pages")
