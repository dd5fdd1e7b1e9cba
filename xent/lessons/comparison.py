"""The Loss Comparison lesson: the readings and chart adapters of its page, Streamlit-free.

The page races the binary losses of ``xent.losses.BINARY_LOSSES`` from one start q₀: a
one-weight neuron (x = 1) trained on L(p, q). Each run is split by
``training.race_phases`` into *escaping the mistake* (until q crosses to p's side of ½)
and *approaching* (until q is within the threshold of its goal). The goal is where the
loss itself is smallest (``scoring.target_minimiser``): p for cross-entropy, squared error
and absolute error, elsewhere for focal loss, so that a biased minimum is never shown as
slowness. The grid measures every start and learning rate the same way.

Losses are read by their registry names; labels come from the registry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from xent import charts, explanations, frames, scoring
from xent.explanations import RaceRow, fmt, fmt_setting, fmt_sig
from xent.losses import BINARY_LOSSES
from xent.pagestate import PageState

STATE = PageState(
    slug="loss-comparison",
    defaults={
        "losses": ["cross_entropy", "squared_error"],
        "p": 0.9,
        "q0": 0.001,
        "lr": 1.0,
        "steps": 700,
        "tol": 0.05,
    },
    # The default race is mostly escape (squared error 572 + 32 steps, cross-entropy 9 + 11):
    # it carries the claim "a confident mistake stalls squared error". "Almost right" starts
    # on the right side and shows the other slow stretch, near a target of 1.
    presets={
        "Confident and wrong (default)": {},
        "Less confident: q₀ = 0.05": {"q0": 0.05},
        "Almost right": {"p": 1.0, "q0": 0.8},
        "Hard label p = 1: both slow stretches": {"p": 1.0},
        "Learning rate too large": {"p": 0.5, "q0": 0.2, "lr": 30.0},
        "Every loss": {"losses": list(BINARY_LOSSES)},
    },
    docs={
        "losses": "losses compared (repeat the key)",
        "p": "target probability p",
        "q0": "start prediction q₀",
        "lr": "learning rate η",
        "steps": "step budget",
        "tol": "threshold: |q - p| at most this",
    },
)
"""The page's URL keys, their defaults, presets and docs (its entry in ``xent.navigation``
carries them; ``xent.ui`` draws them)."""

MAX_BUDGET = frames.MAX_BUDGET
"""The top of the *Step budget* slider: the race and the grid are trained this far once."""

__all__ = [
    "RACE_ROWS_PER_LOSS",
    "AtStart",
    "approach_q",
    "at_start",
    "convexity_chart",
    "convexity_reading",
    "goals",
    "grid",
    "grid_chart",
    "grid_reading",
    "grid_subtitle",
    "loss_reading",
    "push_reading",
    "race",
    "race_bars",
    "race_chart",
    "race_reading",
    "race_rows",
    "race_takeaway",
    "scoring_reading",
]

RACE_ROWS_PER_LOSS = 150
"""Points per line of the race chart (the step budget goes to 1000): the eye cannot tell."""


# --- the curves at the start -----------------------------------------------------------------


@dataclass(frozen=True)
class AtStart:
    """Each chosen loss at the start q₀: its value L(p, q₀) and its push |∂L/∂z|."""

    p: float
    q0: float
    labels: tuple[str, ...]
    loss: tuple[float, ...]
    push: tuple[float, ...]


def at_start(p: float, q0: float, names: Sequence[str]) -> AtStart:
    """L(p, q₀) and |∂L/∂z| at z = logit(q₀) for each loss in ``names``."""
    z0 = float(np.log(q0) - np.log1p(-q0))
    losses = [BINARY_LOSSES[n] for n in names]
    # At its own minimum a loss does not push (absolute error's subgradient there is 0);
    # σ(logit(q₀)) can miss q₀ in the last bit, which would give sign(q − p) a sign.
    at_goal = [q0 == scoring.target_minimiser(n, p) for n in names]
    return AtStart(
        p=float(p),
        q0=float(q0),
        labels=tuple(loss.label for loss in losses),
        loss=tuple(float(loss.value(p, q0)) for loss in losses),
        push=tuple(
            0.0 if still else abs(float(loss.grad_logit(p, z0)))
            for loss, still in zip(losses, at_goal, strict=True)
        ),
    )


def loss_reading(start: AtStart, names: Sequence[str]) -> str:
    """'At the start q₀ = … with target p = …: L = cross-entropy 4.61, … (… in nats).'"""
    parts = [f"{label} {fmt(L)}" for label, L in zip(start.labels, start.loss, strict=True)]
    units = explanations.units_note(names)
    return (
        f"At the start q₀ = {fmt(start.q0, 3)} with target p = {fmt(start.p)}: L = "
        + ", ".join(parts)
        + (f" {units}" if units else "")
        + "."
    )


def push_reading(start: AtStart) -> str:
    """The push of each loss at q₀, and how many times harder cross-entropy pushes than
    squared error (when both are chosen and the ratio is a number)."""
    # 3 significant figures (0.00179, not 0.002), and the ratio of the numbers as shown
    pushes = {label: fmt_sig(x) for label, x in zip(start.labels, start.push, strict=True)}
    parts = [f"{label} {shown}" for label, shown in pushes.items()]
    text = f"The push |∂L/∂z| at q₀ = {fmt(start.q0, 3)}: " + ", ".join(parts) + "."
    ce = pushes.get(BINARY_LOSSES["cross_entropy"].label)
    se = pushes.get(BINARY_LOSSES["squared_error"].label)
    if ce and se and explanations.value_of(se) > 0 and explanations.value_of(ce) > 0:
        ratio = fmt_sig(explanations.value_of(ce) / explanations.value_of(se))
        text += f" Cross-entropy pushes {ratio}× harder than squared error here ({ce} / {se})."
    return text


def scoring_reading(p: float, names: Sequence[str]) -> str:
    """For each chosen loss, where its expected loss under p is smallest, and whether it is a
    proper scoring rule (smallest exactly at q = p for every p)."""
    return " ".join(
        explanations.scoring_reading(
            BINARY_LOSSES[name].label, scoring.expected_loss_minimiser(name, p)
        )
        for name in names
    )


# --- the race ----------------------------------------------------------------------------


def goals(p: float, names: Sequence[str]) -> tuple[float, ...]:
    """What each loss's run approaches: where L(p, q) is smallest."""
    return tuple(scoring.target_minimiser(name, p) for name in names)


def race(
    p: float, q0: float, lr: float, steps: int, tol: float, names: Sequence[str], trained=None
):
    """The race (``frames.Race``), each loss measured toward its own goal; ``trained``: the
    runs of ``frames.race_runs`` at the largest budget (trained here when not given)."""
    names = tuple(names)
    return frames.race(p, q0, lr, steps, tol, names, goals(p, names), trained)


def race_rows(run: frames.Race) -> list[RaceRow]:
    """One ``explanations.RaceRow`` per loss of the race, in the race's order."""
    rows: list[RaceRow] = []
    for loss in run.runs:
        rows += explanations.race_rows([loss.label], loss.phases, run.p, run.steps)
    return rows


def approach_q(p: float, tol: float) -> float:
    """Where the last stretch of the approach starts: the threshold's edge on p's wrong side
    (p − tol above ½, p + tol below), inside [0, 1]."""
    return float(np.clip(p - tol if p >= 0.5 else p + tol, 0.0, 1.0))


def _sentence(text: str) -> str:
    """A reading that starts with a loss's label, capitalised as a sentence."""
    return text[:1].upper() + text[1:]


def _by_name(run: frames.Race, rows: Sequence[RaceRow]) -> dict[str, RaceRow]:
    return {loss.name: row for loss, row in zip(run.runs, rows, strict=True)}


def race_reading(run: frames.Race) -> str:
    """Each loss's escape and approach, then (cross-entropy and squared error both chosen)
    the two ratios, and why squared error is slow near a target close to 0 or 1 too."""
    rows = race_rows(run)
    head = (
        f"From q₀ = {fmt(run.q0, 3)} with η = {fmt_setting(run.lr)}, threshold "
        f"{fmt_setting(run.tol)}."
    )
    parts = [head, *(_sentence(explanations.race_reading(row)) for row in rows)]
    by_name = _by_name(run, rows)
    ce, se = by_name.get("cross_entropy"), by_name.get("squared_error")
    if ce and se and not (ce.diverged or se.diverged or ce.cycles or se.cycles):
        fast, slow = sorted((ce, se), key=lambda r: r.escape)
        parts.append(explanations.race_ratio_reading(fast, slow) or "")
        fast, slow = sorted((ce, se), key=lambda r: r.approach)
        parts.append(explanations.approach_ratio_reading(fast, slow) or "")
    if se:
        note = explanations.slow_near_target_reading(run.p, approach_q(run.p, run.tol))
        parts.append(note or "")
    for loss in run.runs:
        if by_name[loss.name].cycles:
            curvature = scoring.goal_curvature(loss.name, run.p)
            parts.append(_settle(loss.label, loss.goal, run.lr, curvature))
    return " ".join(part for part in parts if part)


def race_takeaway(run: frames.Race) -> str:
    """The race's reading in one sentence, for a projected slide (present mode; the full
    page shows :func:`race_reading`): with cross-entropy and squared error both run
    normally, how many times as many steps the slower needed to escape (a sentence of the
    full reading); otherwise the first loss's escape and approach."""
    rows = race_rows(run)
    by_name = _by_name(run, rows)
    ce, se = by_name.get("cross_entropy"), by_name.get("squared_error")
    if ce and se and not (ce.diverged or se.diverged or ce.cycles or se.cycles):
        fast, slow = sorted((ce, se), key=lambda r: r.escape)
        ratio = explanations.race_ratio_reading(fast, slow)
        if ratio:
            return ratio
    return _sentence(explanations.race_reading(rows[0]))


def _settle(label: str, goal: float, lr: float, curvature: float | None) -> str:
    return _sentence(explanations.settle_reading(label, goal, lr, curvature))


def _phase_marks(run: frames.Race) -> pd.DataFrame:
    """A point where each run crosses ½ (when it had to) and where it arrives."""
    rows = []
    for loss in run.runs:
        escape, arrival = int(loss.phases.escape[0]), int(loss.phases.arrival[0])
        if escape > 0 and run.p != 0.5:
            q = float(loss.q[escape])
            text = f"crosses ½ at step {escape}"
            rows.append((loss.label, escape, q, "crosses ½", text))
        if arrival >= 0:
            q = float(loss.q[arrival])
            text = f"within {fmt_setting(run.tol)} of {fmt(loss.goal)} from step {arrival} on"
            rows.append((loss.label, arrival, q, "settled within threshold", text))
    return pd.DataFrame(rows, columns=["series", "step", "value", "phase", "text"])


def _goal_lines(run: frames.Race) -> pd.DataFrame:
    """The dashed line at p, and one at each loss's own minimum where that is not p."""
    ys, labels = [run.p], ["target p"]
    for loss in run.runs:
        if loss.goal != run.p and loss.goal not in ys:
            ys.append(loss.goal)
            labels.append(f"{loss.label} smallest")
    return pd.DataFrame({"y": ys, "label": labels})


def race_chart(run: frames.Race, height: int = 300) -> charts.Chart:
    """q over the steps, the decision line ½, and each run's phase marks."""
    return charts.race_chart(
        run.q,
        _phase_marks(run),
        _goal_lines(run),
        half=run.p != 0.5,
        height=height,
        max_rows=RACE_ROWS_PER_LOSS * max(len(run.runs), 1),
    )


def _bar_text(row: RaceRow) -> str:
    if row.diverged:
        return "diverged"
    if row.cycles:
        return "never settles"
    if row.arrival < 0:
        return f"not within {row.steps}"
    if row.escape > 0 and row.p != 0.5:
        return f"{row.escape} + {row.approach} = {row.arrival}"
    return f"{row.arrival}"


def _segments(row: RaceRow) -> list[tuple[str, str, int, int]]:
    """(series, phase, start, end) parts of one loss's bar."""
    escaping, approaching, short = charts.PHASE_OPACITY
    if row.escape < 0:
        return [(row.label, short, 0, row.steps)]
    parts = [(row.label, escaping, 0, row.escape)] if row.escape > 0 else []
    if row.arrival < 0:
        return [*parts, (row.label, short, row.escape, row.steps)]
    return [*parts, (row.label, approaching, row.escape, row.arrival)]


def race_bars(run: frames.Race) -> charts.Chart:
    """Each loss's steps as escape + approach, with the numbers at the end of the bar."""
    rows = race_rows(run)
    segments = [part for row in rows for part in _segments(row)]
    totals = pd.DataFrame(
        {
            "series": [row.label for row in rows],
            "end": [row.steps if row.arrival < 0 else row.arrival for row in rows],
            "text": [_bar_text(row) for row in rows],
        }
    )
    frame = pd.DataFrame(segments, columns=["series", "phase", "start", "end"])
    return charts.race_bars(frame, totals, budget=run.steps)


# --- the grid ------------------------------------------------------------------------------

GRID_INTRO = (
    "Each cell is one run: a start q₀ (rows) and a learning rate η (columns). "
    "The number is the step from which the run *settles*: it stays within the threshold of "
    "where that loss is smallest (p, unless the reading below says otherwise) to the end of "
    f"the budget and {frames.SETTLE_STEPS} steps past it. **–** means it has not settled "
    "within the budget, **↻** that it never settles (the learning rate is too large: each "
    "step overshoots, the reading below says why), **✕** that the run diverged. Darker "
    "means faster."
)
"""What a cell of the grid counts, above the heatmaps."""


def grid(p: float, steps: int, tol: float, names: Sequence[str], trained=None) -> frames.Grid:
    """Every start and learning rate (``frames.Grid``), each loss toward its own goal;
    ``trained``: the runs of ``frames.grid_runs`` (trained here when not given)."""
    names = tuple(names)
    return frames.comparison_grid(p, steps, tol, names, goals(p, names), trained)


def _goal_words(goal: float, p: float) -> str:
    if goal == p:
        return f"p = {fmt_setting(p)}"
    return f"{fmt(goal)}, where it is smallest"


def grid_subtitle(loss: frames.GridLoss, p: float, tol: float) -> str:
    """What a cell of this loss's heatmap counts."""
    return f"steps to settle within {fmt_setting(tol)} of {_goal_words(loss.goal, p)}"


def grid_chart(result: frames.Grid, index: int, height: int = 520) -> charts.Chart:
    """The heatmap of the grid's ``index``-th loss."""
    loss = result.losses[index]
    return charts.heatmap(
        loss.cells,
        budget=result.steps,
        title=loss.label,
        subtitle=grid_subtitle(loss, result.p, result.tol),
        height=height,
    )


def grid_reading(result: frames.Grid) -> str:
    """Per loss, how many cells settle (and cycle, and diverge), and for a loss with cycling
    cells the step-size condition that explains them. A loss whose own minimum is not p is
    measured toward that minimum, and the reading says why."""
    parts, why = [], []
    for loss in result.losses:
        status = loss.cells["status"]
        counts = {s: int((status == s).sum()) for s in ("reached", "cycles", "diverged")}
        tol, cells = fmt_setting(result.tol), f"{counts['reached']} of {len(status)} cells"
        if loss.goal == result.p:
            text = f"{loss.label} settles within {tol} of p in {cells}"
        else:
            goal = fmt(loss.goal)
            text = (
                f"{loss.label} is smallest at {goal}, not at p (not a proper scoring rule), "
                f"so its cells count the steps to settle within {tol} of {goal}: {cells} do"
            )
        extra = [f"{counts['cycles']} never settle, ↻"] if counts["cycles"] else []
        extra += [f"{counts['diverged']} diverge"] if counts["diverged"] else []
        text += f" ({', '.join(extra)})" if extra else ""
        parts.append(text)
        if counts["cycles"]:
            why.append(_grid_settle(loss, result.p))
    head = f"Within {result.steps} steps, p = {fmt_setting(result.p)}: " + "; ".join(parts) + "."
    return " ".join([head, *why])


def _grid_settle(loss: frames.GridLoss, p: float) -> str:
    """Why a loss's ↻ cells cycle: the step-size condition, at the smallest cycling η."""
    cycling = loss.cells[loss.cells["status"] == "cycles"]
    lr = min(float(v) for v in cycling["lr"])
    return _settle(loss.label, loss.goal, lr, scoring.goal_curvature(loss.name, p))


# --- convexity: one weight, one example ------------------------------------------------------

CONVEXITY_W = np.linspace(-8.0, 8.0, 401)
"""The weights w of the convexity picture (one input x = 1, so z = w)."""


def _sigmoid(w: np.ndarray) -> np.ndarray:
    return 0.5 * (1 + np.tanh(w / 2))  # σ(w), without overflow


def squared_error_curvature(p: float, w: np.ndarray) -> np.ndarray:
    """∂²/∂w² (σ(w) − p)² = 2 [σ′² + (σ − p) σ″], with σ′ = σ(1 − σ), σ″ = σ′ (1 − 2σ)."""
    q = _sigmoid(w)
    slope = q * (1 - q)
    return 2 * (slope**2 + (q - p) * slope * (1 - 2 * q))


def _bend(p: float) -> tuple[float, float, float]:
    """(w, q, ∂²E/∂w²) where squared error bends down the most on the picture's range."""
    curv = squared_error_curvature(p, CONVEXITY_W)
    i = int(np.argmin(curv))
    w = float(CONVEXITY_W[i])
    return w, float(_sigmoid(np.array(w))), float(curv[i])


def convexity_chart(p: float, name: str, height: int = 220) -> charts.Chart:
    """The loss of a one-weight model z = w (x = 1) against w; squared error's point where
    it bends down the most is marked."""
    loss = BINARY_LOSSES[name]
    y = np.asarray(loss.value(p, _sigmoid(CONVEXITY_W)), dtype=float)
    curves = pd.DataFrame({"x": CONVEXITY_W, "y": y, "series": loss.label})
    points = None
    if name == "squared_error":
        w, q, _ = _bend(p)
        points = pd.DataFrame({"x": [w], "y": [float(loss.value(p, q))], "label": ["bends down"]})
    return charts.function_chart(
        curves,
        points,
        x_title="weight w (one input x = 1, so z = w)",
        y_title=f"{loss.label}",
        x_domain=(float(CONVEXITY_W[0]), float(CONVEXITY_W[-1])),
        height=height,
    )


def convexity_reading(p: float) -> str:
    """Cross-entropy is convex in a linear model's weights; squared error through a sigmoid
    is not: the point where its curvature is most negative, and the flat far side."""
    w, q, curv = _bend(p)
    return (
        f"With z = x · w, cross-entropy's curvature is ∂²L/∂w² = x² q(1 − q) ≥ 0 at every w: "
        "convex, one valley, and gradient descent cannot get stuck on a bump (the same holds "
        "for a linear model with many weights). Squared error through the sigmoid is not "
        f"convex: at w = {fmt(w, 2)} (q = {fmt_sig(q)}) its curvature ∂²E/∂w² = "
        f"{fmt_sig(curv)} < 0, the curve bends down, and farther out it is almost flat "
        "(q(1 − q) → 0), the plateau where a confidently wrong model stalls."
    )
