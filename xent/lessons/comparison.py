"""The Loss Comparison lesson: the readings and chart adapters of its page, Streamlit-free.

The page races the binary losses of ``xent.losses.BINARY_LOSSES`` from one start q₀: a
one-weight neuron (x = 1) trained on L(p, q). Each run is split by
``training.race_phases`` into *escaping the mistake* (until q crosses to p's side of ½)
and *approaching* (until q is within the threshold of its goal). The goal is where the
loss itself is smallest (``scoring.target_minimiser``): p for cross-entropy, squared error
and absolute error, elsewhere for focal loss, so that a biased minimum is never shown as
slowness. The grid measures every start and learning rate the same way.

Losses are read by their registry names; labels come from the registry, shown in the
reader's language (``BinaryLoss.shown_label``) while the data keep the registry's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from xent import charts, explanations, frames, i18n, scoring
from xent.explanations import RaceRow, fmt, fmt_setting, fmt_sig
from xent.i18n import N_, tr
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
    # A preset's name is its key (stable in every language); the page shows tr(name).
    presets={
        N_("Confident and wrong (default)"): {},
        N_("Less confident: q₀ = 0.05"): {"q0": 0.05},
        N_("Almost right"): {"p": 1.0, "q0": 0.8},
        N_("Hard label p = 1: both slow stretches"): {"p": 1.0},
        N_("Learning rate too large"): {"p": 0.5, "q0": 0.2, "lr": 30.0},
        N_("Every loss"): {"losses": list(BINARY_LOSSES)},
    },
    docs={
        "losses": N_("losses compared (repeat the key)"),
        "p": N_("target probability p"),
        "q0": N_("start prediction q₀"),
        "lr": N_("learning rate η"),
        "steps": N_("step budget"),
        "tol": N_("threshold: |q - p| at most this"),
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
    "curves_chart",
    "curves_shown",
    "goals",
    "grid",
    "grid_chart",
    "grid_intro",
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
    "series_shown",
]

RACE_ROWS_PER_LOSS = 150
"""Points per line of the race chart (the step budget goes to 1000): the eye cannot tell."""


# --- the reader's language -------------------------------------------------------------------


def _japanese() -> bool:
    return i18n.language() == "ja"


def _listed(parts: Sequence[str]) -> str:
    """Items of a list in a sentence: ``a, b`` in English, ``a、b`` in Japanese."""
    return ("、" if _japanese() else ", ").join(parts)


def _sentences(parts: Sequence[str]) -> str:
    """Sentences one after another: a space between them in English, none in Japanese (a
    Japanese sentence ends with 「。」)."""
    return ("" if _japanese() else " ").join(part for part in parts if part)


def _shown(label: str) -> str:
    """A loss's label (as the data hold it) in the reader's language."""
    return tr(label)


def series_shown(frame: pd.DataFrame, column: str = "series") -> pd.DataFrame:
    """``frame`` with its loss labels in ``column`` shown in the reader's language (the same
    frame in English)."""
    if not _japanese() or column not in frame:
        return frame
    names = {name: _shown(name) for name in frame[column].unique()}
    return frame.assign(**{column: frame[column].map(names)})


def curves_shown(view: frames.Curves) -> frames.Curves:
    """A ``frames.Curves`` bundle of loss curves with its series in the reader's language
    (the bundle itself in English)."""
    if not _japanese():
        return view
    return frames.Curves(series_shown(view.curves), *view[1:])


def curves_chart(view: frames.Curves, **options) -> charts.Chart:
    """``charts.curves_chart`` of the page's loss curves (``frames.comparison_curves``), each
    loss named in the reader's language. Drawn through ``finished_chart``, whose cache keys
    the cached bundle by identity and the language by value."""
    return charts.curves_chart(curves_shown(view), **options)


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
    parts = [f"{_shown(label)} {fmt(L)}" for label, L in zip(start.labels, start.loss, strict=True)]
    units = explanations.units_note(names)
    return tr(
        "At the start q₀ = {q0_shown} with target p = {p_shown}: L = {values}{units}.",
        q0_shown=fmt(start.q0, 3),
        p_shown=fmt(start.p),
        values=_listed(parts),
        units=f"{'' if _japanese() else ' '}{units}" if units else "",
    )


def push_reading(start: AtStart) -> str:
    """The push of each loss at q₀, and how many times harder cross-entropy pushes than
    squared error (when both are chosen and the ratio is a number)."""
    # 3 significant figures (0.00179, not 0.002), and the ratio of the numbers as shown
    pushes = {label: fmt_sig(x) for label, x in zip(start.labels, start.push, strict=True)}
    parts = [f"{_shown(label)} {shown}" for label, shown in pushes.items()]
    text = tr(
        "The push |∂L/∂z| at q₀ = {q0_shown}: {values}.",
        q0_shown=fmt(start.q0, 3),
        values=_listed(parts),
    )
    ce = pushes.get(BINARY_LOSSES["cross_entropy"].label)
    se = pushes.get(BINARY_LOSSES["squared_error"].label)
    if ce and se and explanations.value_of(se) > 0 and explanations.value_of(ce) > 0:
        ratio = fmt_sig(explanations.value_of(ce) / explanations.value_of(se))
        more = tr(
            "Cross-entropy pushes {ratio_shown}× harder than squared error here "
            "({ce_shown} / {se_shown}).",
            ratio_shown=ratio,
            ce_shown=ce,
            se_shown=se,
        )
        text = _sentences([text, more])
    return text


def scoring_reading(p: float, names: Sequence[str]) -> str:
    """For each chosen loss, where its expected loss under p is smallest, and whether it is a
    proper scoring rule (smallest exactly at q = p for every p)."""
    return _sentences(
        [
            explanations.scoring_reading(
                BINARY_LOSSES[name].shown_label, scoring.expected_loss_minimiser(name, p)
            )
            for name in names
        ]
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
    """One ``explanations.RaceRow`` per loss of the race, in the race's order, each labelled
    in the reader's language."""
    rows: list[RaceRow] = []
    for loss in run.runs:
        rows += explanations.race_rows([_shown(loss.label)], loss.phases, run.p, run.steps)
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
    head = tr(
        "From q₀ = {q0_shown} with η = {lr_shown}, threshold {tol_shown}.",
        q0_shown=fmt(run.q0, 3),
        lr_shown=fmt_setting(run.lr),
        tol_shown=fmt_setting(run.tol),
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
            parts.append(_settle(_shown(loss.label), loss.goal, run.lr, curvature))
    return _sentences(parts)


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
        label = _shown(loss.label)
        if escape > 0 and run.p != 0.5:
            q = float(loss.q[escape])
            text = tr("crosses ½ at step {step}", step=escape)
            rows.append((label, escape, q, "crosses ½", text))
        if arrival >= 0:
            q = float(loss.q[arrival])
            text = tr(
                "within {tol_shown} of {goal_shown} from step {step} on",
                tol_shown=fmt_setting(run.tol),
                goal_shown=fmt(loss.goal),
                step=arrival,
            )
            rows.append((label, arrival, q, "settled within threshold", text))
    return pd.DataFrame(rows, columns=["series", "step", "value", "phase", "text"])


def _goal_lines(run: frames.Race) -> pd.DataFrame:
    """The dashed line at p, and one at each loss's own minimum where that is not p."""
    ys, labels = [run.p], [tr("target p")]
    for loss in run.runs:
        if loss.goal != run.p and loss.goal not in ys:
            ys.append(loss.goal)
            labels.append(tr("{loss} smallest", loss=_shown(loss.label)))
    return pd.DataFrame({"y": ys, "label": labels})


def race_chart(run: frames.Race, height: int = 300) -> charts.Chart:
    """q over the steps, the decision line ½, and each run's phase marks."""
    return charts.race_chart(
        series_shown(run.q),
        _phase_marks(run),
        _goal_lines(run),
        half=run.p != 0.5,
        height=height,
        max_rows=RACE_ROWS_PER_LOSS * max(len(run.runs), 1),
    )


def _bar_text(row: RaceRow) -> str:
    if row.diverged:
        return tr("diverged")
    if row.cycles:
        return tr("never settles")
    if row.arrival < 0:
        return tr("not within {steps}", steps=row.steps)
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

GRID_INTRO = N_(
    "Each cell is one run: a start q₀ (rows) and a learning rate η (columns). "
    "The number is the step from which the run *settles*: it stays within the threshold of "
    "where that loss is smallest (p, unless the reading below says otherwise) to the end of "
    "the budget and {settle_steps} steps past it. **–** means it has not settled "
    "within the budget, **↻** that it never settles (the learning rate is too large: each "
    "step overshoots, the reading below says why), **✕** that the run diverged. Darker "
    "means faster."
)
"""What a cell of the grid counts, above the heatmaps (shown by :func:`grid_intro`)."""


def grid_intro() -> str:
    """:data:`GRID_INTRO` in the reader's language, with the settling steps filled in."""
    return tr(GRID_INTRO, settle_steps=frames.SETTLE_STEPS)


def grid(p: float, steps: int, tol: float, names: Sequence[str], trained=None) -> frames.Grid:
    """Every start and learning rate (``frames.Grid``), each loss toward its own goal;
    ``trained``: the runs of ``frames.grid_runs`` (trained here when not given)."""
    names = tuple(names)
    return frames.comparison_grid(p, steps, tol, names, goals(p, names), trained)


def grid_subtitle(loss: frames.GridLoss, p: float, tol: float) -> str:
    """What a cell of this loss's heatmap counts."""
    if loss.goal == p:
        return tr(
            "steps to settle within {tol_shown} of p = {p_shown}",
            tol_shown=fmt_setting(tol),
            p_shown=fmt_setting(p),
        )
    return tr(
        "steps to settle within {tol_shown} of {goal_shown}, where it is smallest",
        tol_shown=fmt_setting(tol),
        goal_shown=fmt(loss.goal),
    )


def grid_chart(result: frames.Grid, index: int, height: int = 520) -> charts.Chart:
    """The heatmap of the grid's ``index``-th loss."""
    loss = result.losses[index]
    return charts.heatmap(
        loss.cells,
        budget=result.steps,
        title=_shown(loss.label),
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
        shown = {
            "loss": _shown(loss.label),
            "tol_shown": fmt_setting(result.tol),
            "reached": counts["reached"],
            "cells": len(status),
        }
        if loss.goal == result.p:
            text = tr(
                "{loss} settles within {tol_shown} of p in {reached} of {cells} cells", **shown
            )
        else:
            text = tr(
                "{loss} is smallest at {goal_shown}, not at p (not a proper scoring rule), "
                "so its cells count the steps to settle within {tol_shown} of {goal_shown}: "
                "{reached} of {cells} cells do",
                goal_shown=fmt(loss.goal),
                **shown,
            )
        extra = [tr("{count} never settle, ↻", count=counts["cycles"])] if counts["cycles"] else []
        extra += [tr("{count} diverge", count=counts["diverged"])] if counts["diverged"] else []
        if extra:
            text += f"（{_listed(extra)}）" if _japanese() else f" ({_listed(extra)})"
        parts.append(text)
        if counts["cycles"]:
            why.append(_grid_settle(loss, result.p))
    head = tr(
        "Within {steps} steps, p = {p_shown}: {parts}.",
        steps=result.steps,
        p_shown=fmt_setting(result.p),
        parts=("。" if _japanese() else "; ").join(parts),
    )
    return _sentences([head, *why])


def _grid_settle(loss: frames.GridLoss, p: float) -> str:
    """Why a loss's ↻ cells cycle: the step-size condition, at the smallest cycling η."""
    cycling = loss.cells[loss.cells["status"] == "cycles"]
    lr = min(float(v) for v in cycling["lr"])
    return _settle(_shown(loss.label), loss.goal, lr, scoring.goal_curvature(loss.name, p))


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
    curves = pd.DataFrame({"x": CONVEXITY_W, "y": y, "series": loss.shown_label})
    points = None
    if name == "squared_error":
        w, q, _ = _bend(p)
        points = pd.DataFrame(
            {"x": [w], "y": [float(loss.value(p, q))], "label": [tr("bends down")]}
        )
    return charts.function_chart(
        curves,
        points,
        x_title=tr("weight w (one input x = 1, so z = w)"),
        y_title=loss.shown_label,
        x_domain=(float(CONVEXITY_W[0]), float(CONVEXITY_W[-1])),
        height=height,
    )


def convexity_reading(p: float) -> str:
    """Cross-entropy is convex in a linear model's weights; squared error through a sigmoid
    is not: the point where its curvature is most negative, and the flat far side."""
    w, q, curv = _bend(p)
    return tr(
        "With z = x · w, cross-entropy's curvature is ∂²L/∂w² = x² q(1 − q) ≥ 0 at every w: "
        "convex, one valley, and gradient descent cannot get stuck on a bump (the same holds "
        "for a linear model with many weights). Squared error through the sigmoid is not "
        "convex: at w = {w_shown} (q = {q_shown}) its curvature ∂²E/∂w² = "
        "{curvature_shown} < 0, the curve bends down, and farther out it is almost flat "
        "(q(1 − q) → 0), the plateau where a confidently wrong model stalls.",
        w_shown=fmt(w, 2),
        q_shown=fmt_sig(q),
        curvature_shown=fmt_sig(curv),
    )
