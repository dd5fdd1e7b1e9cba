"""xent.lessons.comparison against an independent recomputation.

The references here are plain numpy/scipy: the gradient of each loss with respect to the
logit written out by hand, gradient descent stepped by hand, the two phases counted by
hand (escape: the first step on p's side of ½; arrival: the first step after it within the
threshold of the loss's own minimiser, found by scipy), over random settings. The
README's "In class" numbers are checked against the same hand-stepped race.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar

from xent import frames, navigation
from xent.lessons import comparison
from xent.losses import BINARY_LOSSES

ROOT = Path(__file__).resolve().parents[1]
NAMES = ("cross_entropy", "squared_error", "absolute_error", "focal")
LABELS = {
    "cross_entropy": "cross-entropy",
    "squared_error": "squared error",
    "absolute_error": "absolute error",
    "focal": "focal (γ = 2)",
}


# --- the references --------------------------------------------------------------------------


def hand_grad(loss: str, p: float, q):
    """∂L/∂z with q = σ(z), written out from each loss's formula by the chain rule."""
    q = np.asarray(q, dtype=float)
    slope = q * (1 - q)
    if loss == "cross_entropy":
        return q - p
    if loss == "squared_error":
        return 2 * (q - p) * slope
    if loss == "absolute_error":
        return np.sign(q - p) * slope
    # focal, γ = 2: L = −p (1−q)² log q − (1−p) q² log(1−q)
    with np.errstate(divide="ignore", invalid="ignore"):
        d_pos = 2 * (1 - q) * np.log(q) - (1 - q) ** 2 / q
        d_neg = -2 * q * np.log1p(-q) + q**2 / (1 - q)
    return (p * np.nan_to_num(d_pos) + (1 - p) * np.nan_to_num(d_neg)) * slope


def hand_goal(loss: str, p: float) -> float:
    """Where L(p, q) is smallest: scipy on the written-out focal loss, p otherwise."""
    if loss != "focal" or p in (0.0, 0.5, 1.0):
        return p
    focal = lambda q: -p * (1 - q) ** 2 * np.log(q) - (1 - p) * q**2 * np.log1p(-q)  # noqa: E731
    bounds = (1e-9, 1 - 1e-9)
    return float(
        minimize_scalar(focal, bounds=bounds, method="bounded", options={"xatol": 1e-12}).x
    )


def hand_run(loss: str, p: float, q0, lr, steps: int) -> np.ndarray:
    """q over the steps (steps + 1, runs): z ← z − η ∂L/∂z from z = logit(q0)."""
    z = np.log(np.asarray(q0, dtype=float)) - np.log1p(-np.asarray(q0, dtype=float))
    qs = []
    with np.errstate(over="ignore"):
        for _ in range(steps + 1):
            q = 1 / (1 + np.exp(-z))
            qs.append(q)
            z = z - np.asarray(lr) * hand_grad(loss, p, q)
    return np.array(qs).reshape(steps + 1, -1)


SETTLE = 50  # the look-ahead the page states: a run stays 50 steps past the budget


def hand_phases(q: np.ndarray, p: float, goal: float, tol: float, budget=None):
    """(escape, arrival) of one run; -1 for never. Arrival is settling: the first step
    (within ``budget``) from which every later state of ``q`` is within ``tol`` of the goal;
    ``q`` may run past the budget (the look-ahead)."""
    budget = len(q) - 1 if budget is None else budget
    near = np.abs(q - goal) <= tol
    right = ((q - 0.5) * (p - 0.5) > 0) | (p == 0.5) | near
    escape = int(np.argmax(right[: budget + 1])) if right[: budget + 1].any() else -1
    if escape < 0:
        return -1, -1
    arrival = -1
    for t in range(len(q) - 1, escape - 1, -1):  # walk back from the end while near
        if not near[t]:
            break
        arrival = t
    return escape, (arrival if arrival <= budget else -1)


def hand_cycles(loss: str, p: float, goal: float, lr: float, q: np.ndarray, tol: float) -> bool:
    """A run that cannot settle: |1 − η ∂²L/∂z²| > 1 at the goal (∂²L/∂z² by a central
    difference of ``hand_grad`` in z); absolute error (a kink at p): it jumped past the goal
    by more than ``tol`` and has not settled."""
    if loss == "absolute_error":
        side = np.sign(q[0] - goal)
        past = ((np.sign(q - goal) == -side) & (np.abs(q - goal) > tol))[: len(q) - SETTLE]
        return bool(
            past.any() and side != 0 and hand_phases(q, p, goal, tol, len(q) - SETTLE - 1)[1] < 0
        )
    if goal in (0.0, 1.0):
        return False
    z, h = math.log(goal / (1 - goal)), 1e-5
    curve = (
        hand_grad(loss, p, 1 / (1 + math.exp(-z - h)))
        - hand_grad(loss, p, 1 / (1 + math.exp(-z + h)))
    ) / (2 * h)
    return abs(1 - lr * float(curve)) > 1


def unambiguous(q: np.ndarray, goal: float, tol: float) -> bool:
    """No state within rounding of ½ or of the threshold's edge (where float order decides)."""
    return bool((np.abs(q - 0.5) > 1e-9).all() and (np.abs(np.abs(q - goal) - tol) > 1e-9).all())


# --- the race --------------------------------------------------------------------------------

settings_ = st.fixed_dictionaries(
    {
        "p": st.sampled_from([0.0, 0.5, 0.9, 1.0]) | st.floats(0, 1).map(lambda x: round(x, 2)),
        "q0": st.floats(0.001, 0.999).map(lambda x: round(x, 3)),
        "lr": st.sampled_from([0.1, 0.3, 1.0, 3.0]),
        "tol": st.sampled_from([0.01, 0.02, 0.05, 0.1, 0.2]),
        "names": st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True),
    }
)


@settings(max_examples=60, deadline=None)
@given(s=settings_)
def test_race_phases_and_reading_match_a_hand_stepped_race(s):
    p, q0, lr, tol, names, steps = s["p"], s["q0"], s["lr"], s["tol"], s["names"], 150
    assume(q0 != p)
    run = comparison.race(p, q0, lr, steps, tol, names)
    text = comparison.race_reading(run)
    bars = comparison.race_bars(run).datasets["totals"]
    for loss, name in zip(run.runs, names, strict=True):
        goal = hand_goal(name, p)
        q = hand_run(name, p, q0, lr, steps + SETTLE)[:, 0]
        assume(np.isfinite(q).all() and unambiguous(q, goal, tol))
        assume(not loss.phases.diverged[0])
        assert loss.goal == pytest.approx(goal, abs=1e-6)
        assert np.allclose(loss.q, q[: steps + 1], atol=1e-9)
        escape, arrival = hand_phases(q, p, goal, tol, steps)
        cycles = hand_cycles(name, p, goal, lr, q, tol)
        arrival = -1 if cycles else arrival
        assert bool(loss.phases.cycles[0]) == cycles
        assert (int(loss.phases.escape[0]), int(loss.phases.arrival[0])) == (escape, arrival)
        label = LABELS[name]
        shown = bars.loc[bars["series"] == label, "text"].item()
        if cycles:
            assert shown == "never settles"
        elif arrival >= 0 and escape > 0 and p != 0.5:
            steps_words = f"{escape} step" + ("" if escape == 1 else "s")
            assert f"{label.capitalize()} takes {steps_words} to escape" in text
            assert f"then {arrival - escape} more" in text
            assert shown == f"{escape} + {arrival - escape} = {arrival}"
        elif arrival >= 0:
            assert shown == str(arrival)
        else:
            assert shown == f"not within {steps}"
        if name == "focal" and abs(goal - p) > 0.005 and escape >= 0:
            assert f"of {goal:.2f}, where this loss is smallest (not p" in text


def _rows(p, q0, lr, steps, tol):
    out = {}
    for name in ("cross_entropy", "squared_error"):
        q = hand_run(name, p, q0, lr, steps + SETTLE)[:, 0]
        out[name] = hand_phases(q, p, p, tol, steps)
    return out


@settings(max_examples=40, deadline=None)
@given(
    p=st.floats(0, 1).map(lambda x: round(x, 2)),
    q0=st.floats(0.001, 0.999).map(lambda x: round(x, 3)),
    lr=st.sampled_from([0.3, 1.0, 3.0]),
)
def test_the_ratios_credit_escape_and_approach_separately(p, q0, lr):
    steps, tol = 400, 0.05
    rows = _rows(p, q0, lr, steps, tol)
    for name in rows:
        q = hand_run(name, p, q0, lr, steps + SETTLE)[:, 0]
        assume(unambiguous(q, p, tol))
    text = comparison.race_reading(
        comparison.race(p, q0, lr, steps, tol, ("cross_entropy", "squared_error"))
    )
    (ce_e, ce_a), (se_e, se_a) = rows["cross_entropy"], rows["squared_error"]
    escape = re.search(r"Escaping the mistake, (.+?) took ([\d.]+)× .+? \((\d+) vs (\d+)\)", text)
    if min(ce_e, se_e) > 0:
        slow, fast = max(ce_e, se_e), min(ce_e, se_e)
        assert escape is not None, text
        assert (int(escape[3]), int(escape[4])) == (slow, fast)
        assert float(escape[2]) == pytest.approx(slow / fast, abs=0.05)
    else:
        assert escape is None, text
    approach = re.search(r"Approaching the goal, .+? took ([\d.]+)× .+? \((\d+) vs (\d+)\)", text)
    ce_ap = ce_a - ce_e if ce_a >= 0 else -1
    se_ap = se_a - se_e if se_a >= 0 else -1
    if min(ce_ap, se_ap) > 0:
        assert approach is not None, text
        assert (int(approach[2]), int(approach[3])) == (max(ce_ap, se_ap), min(ce_ap, se_ap))
    else:
        assert approach is None, text


@pytest.mark.parametrize("p", [0.0, 0.05, 0.9, 0.95, 1.0])
def test_slow_near_the_target_quotes_both_steps_at_the_thresholds_edge(p):
    tol = 0.05
    text = comparison.race_reading(
        comparison.race(p, 0.5 if p in (0.0, 0.05) else 0.001, 1.0, 50, tol, ["squared_error"])
    )
    q = p - tol if p >= 0.5 else p + tol
    se, ce = 2 * (q - p) * q * (1 - q), q - p
    found = re.search(
        r"= (−?[\d.e]+) at q = ([\d.]+), against cross-entropy's q − p = (−?[\d.]+)", text
    )
    assert found is not None, text
    num = [float(g.replace("−", "-")) for g in found.groups()]
    assert num[1] == pytest.approx(q, abs=0.005)
    assert num[0] == pytest.approx(se, rel=0.01)
    assert num[2] == pytest.approx(ce, rel=0.01)
    assert ("small again near 1" in text) == (p >= 0.5)


def test_race_chart_marks_each_phase_at_its_hand_counted_step():
    p, q0, lr, steps, tol = 0.9, 0.001, 1.0, 700, 0.05
    run = comparison.race(p, q0, lr, steps, tol, ["cross_entropy", "squared_error"])
    marks = comparison.race_chart(run).datasets["phases"]
    for name in ("cross_entropy", "squared_error"):
        q = hand_run(name, p, q0, lr, steps + SETTLE)[:, 0]
        escape, arrival = hand_phases(q, p, p, tol, steps)
        mine = marks[marks["series"] == LABELS[name]].set_index("phase")
        assert mine.loc["crosses ½", "step"] == escape
        assert mine.loc["settled within threshold", "step"] == arrival
        assert mine.loc["crosses ½", "value"] == pytest.approx(q[escape])
        assert q[escape] > 0.5 > q[escape - 1]


def test_race_bars_split_into_escape_then_approach():
    run = comparison.race(1.0, 0.001, 1.0, 700, 0.05, ["squared_error", "absolute_error"])
    seg = comparison.race_bars(run).datasets["segments"]
    q = hand_run("squared_error", 1.0, 0.001, 1.0, 700 + SETTLE)[:, 0]
    escape, arrival = hand_phases(q, 1.0, 1.0, 0.05, 700)
    se = seg[seg["series"] == "squared error"]
    assert se[["start", "end"]].to_numpy().tolist() == [[0, escape], [escape, arrival]]
    assert se["phase"].tolist() == ["escape to ½", "approach to goal"]
    # absolute error's push is tiny there too: it never crosses ½ in 700 steps
    ae = seg[seg["series"] == "absolute error"]
    assert ae[["start", "end"]].to_numpy().tolist() == [[0, 700]]


# --- the grid --------------------------------------------------------------------------------


@settings(max_examples=12, deadline=None)
@given(
    p=st.floats(0, 1).map(lambda x: round(x, 2)),
    tol=st.sampled_from([0.02, 0.05, 0.1]),
    name=st.sampled_from(NAMES),
)
def test_grid_counts_the_hand_stepped_arrivals(p, tol, name):
    steps = 80
    grid = comparison.grid(p, steps, tol, [name])
    (loss,) = grid.losses
    goal = hand_goal(name, p)
    q0 = 1 / (1 + np.exp(-np.repeat(np.linspace(-7, 7, 15), 9)))
    lr = np.tile([0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0], 15)
    q = hand_run(name, p, q0, lr, steps + SETTLE)
    cells = loss.cells
    checked = 0
    for i in range(q.shape[1]):
        if cells["status"][i] == "diverged" or not unambiguous(q[:, i], goal, tol):
            continue
        if not np.isfinite(q[:, i]).all():
            continue
        arrival = hand_phases(q[:, i], p, goal, tol, steps)[1]
        if hand_cycles(name, p, goal, lr[i], q[:, i], tol):
            assert cells["status"][i] == "cycles", (i, q0[i], lr[i])
            assert cells["steps"][i] == -1
        else:
            assert cells["steps"][i] == arrival, (i, q0[i], lr[i])
            assert cells["status"][i] == ("reached" if arrival >= 0 else "not reached")
        checked += 1
    assert checked > 100
    reached = int((cells["status"] == "reached").sum())
    text = comparison.grid_reading(grid)
    assert f"{reached} of 135 cells" in text
    if abs(goal - p) > 0.005:
        assert f"is smallest at {goal:.2f}, not at p (not a proper scoring rule)" in text
    else:
        assert f"settles within {tol:g} of p in {reached} of 135 cells" in text
    cycling = int((cells["status"] == "cycles").sum())
    assert (f"{cycling} never settle, ↻" in text) == (cycling > 0)


def test_grid_subtitles_name_the_goal():
    grid = comparison.grid(0.8, 50, 0.05, ["cross_entropy", "focal"])
    titles = [comparison.grid_chart(grid, i).spec["title"] for i in range(len(grid.losses))]
    assert "p = 0.8" in " ".join(titles[0]["subtitle"])
    assert f"{hand_goal('focal', 0.8):.2f}" in " ".join(titles[1]["subtitle"])


# --- the start -------------------------------------------------------------------------------


@given(
    p=st.floats(0, 1).map(lambda x: round(x, 2)),
    q0=st.floats(0.001, 0.999).map(lambda x: round(x, 3)),
)
@example(p=0.75, q0=0.75)  # at q₀ = p: no push from absolute error (σ(logit q₀) ≠ q₀ there)
@example(p=0.25, q0=0.25)
def test_start_readings_match_hand_written_losses(p, q0):
    start = comparison.at_start(p, q0, NAMES)
    ce = -(p * math.log(q0) + (1 - p) * math.log(1 - q0))
    se, ae = (q0 - p) ** 2, abs(q0 - p)
    assert start.loss[:3] == pytest.approx((ce, se, ae), rel=1e-9, abs=1e-12)
    pushes = [abs(float(hand_grad(n, p, q0))) for n in NAMES]
    assert start.push == pytest.approx(pushes, rel=1e-7, abs=1e-12)
    text = comparison.push_reading(start)
    found = re.search(
        r"pushes ([\d.e−]+)× harder than squared error here \(([\d.e−]+) / ([\d.e−]+)\)", text
    )
    if pushes[1] > 0 and pushes[0] > 0:
        ratio, ce_s, se_s = (float(x.replace("−", "-")) for x in found.groups())
        # the ratio of the numbers shown, to 3 figures, and near the true ratio
        assert ratio == pytest.approx(ce_s / se_s, rel=5e-3)
        assert ratio == pytest.approx(pushes[0] / pushes[1], rel=1e-2)


def hand_loss(loss: str, p: float, q):
    q = np.asarray(q, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if loss == "cross_entropy":
            return -(np.where(p > 0, p * np.log(q), 0) + np.where(p < 1, (1 - p) * np.log1p(-q), 0))
        if loss == "squared_error":
            return (q - p) ** 2
        if loss == "absolute_error":
            return np.abs(q - p)
        pos = np.where(p > 0, -p * (1 - q) ** 2 * np.log(q), 0)
        return pos + np.where(p < 1, -(1 - p) * q**2 * np.log1p(-q), 0)


@settings(max_examples=30, deadline=None)
@given(
    p=st.floats(0, 1).map(lambda x: round(x, 2)),
    q0=st.floats(0.001, 0.999).map(lambda x: round(x, 3)),
    names=st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True),
)
def test_the_clipping_note_names_exactly_the_curves_above_the_axis(p, q0, names):
    names = [n for n in NAMES if n in names]
    view, _ = frames.comparison_curves(p, tuple(names), q0)
    x = view.curves["x"].unique()
    above = [LABELS[n] for n in names if np.nanmax(hand_loss(n, p, x)) > view.y_max]
    if not above:
        assert view.note is None
    else:
        assert view.note.startswith(f"Clipped at L = {view.y_max:g}: {' and '.join(above)} ru")


# --- the README ------------------------------------------------------------------------------


def test_readme_in_class_numbers_are_the_hand_stepped_race():
    text = (ROOT / "README.md").read_text().split("## In class", 1)[1].split("\n## ", 1)[0]
    text = " ".join(text.split())
    d = navigation.lesson("loss-comparison").state.defaults
    p, q0, lr, steps, tol = d["p"], d["q0"], d["lr"], d["steps"], d["tol"]
    (ce_e, ce_a), (se_e, se_a) = _rows(p, q0, lr, steps, tol).values()
    assert f"q₀ = {q0:g} with p = {p:g}" in text
    assert f"crosses to the right side of ½ in {ce_e} steps and squared error in {se_e}" in text
    then = f"needs {ce_a - ce_e} more steps to settle within {tol:g} of p"
    assert f"{then} and squared error {se_a - se_e}" in text
    almost = {**d, **navigation.lesson("loss-comparison").state.presets["Almost right"]}
    (ce_e, ce_a), (se_e, se_a) = _rows(almost["p"], almost["q0"], lr, steps, tol).values()
    assert ce_e == se_e == 0
    assert f"(p = {almost['p']:g}, q₀ = {almost['q0']:g})" in text
    assert f"{se_a} steps against {ce_a}" in text


@pytest.mark.parametrize("seed", range(6))
def test_a_race_and_grid_sliced_from_the_largest_budget_equal_fresh_ones(seed):
    """The page trains the race once at the largest budget for every learning rate, and the
    grid once at the largest budget, and slices them for a smaller *Step budget* and picks
    the run of the chosen η: every number (phases, CSV table) equals, exactly, that of a
    fresh run of that one η and budget."""
    rng = np.random.default_rng(seed)
    p = float(rng.choice([0.0, 0.3, 0.5, 0.9, 1.0]))
    q0 = float(rng.choice([0.001, 0.05, 0.3, 0.8]))
    lr = float(rng.choice(frames.LEARNING_RATES))
    steps, tol = int(rng.integers(1, 31)) * 10, float(rng.choice([0.01, 0.05, 0.2]))
    names = tuple(BINARY_LOSSES)
    fresh = comparison.race(p, q0, lr, steps, tol, names)
    sliced = comparison.race(p, q0, lr, steps, tol, names, frames.race_runs(p, q0, names))
    pd.testing.assert_frame_equal(sliced.table, fresh.table, check_exact=True)
    for a, b in zip(sliced.runs, fresh.runs, strict=True):
        for field in ("escape", "arrival", "approach", "overshoot", "diverged"):
            np.testing.assert_array_equal(getattr(a.phases, field), getattr(b.phases, field))
    fresh_grid = comparison.grid(p, steps, tol, names)
    sliced_grid = comparison.grid(p, steps, tol, names, frames.grid_runs(p, names))
    pd.testing.assert_frame_equal(sliced_grid.table, fresh_grid.table)
    for a, b in zip(sliced_grid.losses, fresh_grid.losses, strict=True):
        pd.testing.assert_frame_equal(a.cells, b.cells)


@settings(max_examples=30, deadline=None)
@given(s=settings_)
def test_the_race_takeaway_is_a_sentence_of_the_whole_reading(s):
    """Present mode's one-line takeaway under the race says nothing the page does not."""
    assume(s["q0"] != s["p"])
    run = comparison.race(s["p"], s["q0"], s["lr"], 150, s["tol"], s["names"])
    takeaway = comparison.race_takeaway(run)
    assert takeaway
    assert takeaway in comparison.race_reading(run)


def test_the_race_takeaway_compares_the_hand_stepped_escapes():
    p, q0, lr, tol, steps = 0.9, 0.01, 1.0, 0.05, 700
    run = comparison.race(p, q0, lr, steps, tol, ["cross_entropy", "squared_error"])
    escapes = {}
    for name in ("cross_entropy", "squared_error"):
        q = hand_run(name, p, q0, lr, steps + SETTLE)[:, 0]
        escapes[name] = hand_phases(q, p, hand_goal(name, p), tol, steps)[0]
    ce, se = escapes["cross_entropy"], escapes["squared_error"]
    assert comparison.race_takeaway(run) == (
        f"Escaping the mistake, squared error took {se / ce:.1f}× as many steps as "
        f"cross-entropy ({se} vs {ce})."
    )
