"""The Bernoulli lesson: its readings, chart adapters and typed results (no Streamlit).

The page (``pages/bernoulli.py``) draws; this module says what the numbers mean. The cached
computations are in ``xent.caches`` (they need ``st.cache_resource``); their results arrive
here as ``xent.frames`` bundles that carry typed results (``LossAt``, ``GradientAt``,
``NeuronSummary``, ``ChainPoint``, ``Sample``: frozen dataclasses), which readings take.
``tests/test_lesson_bernoulli.py`` recomputes every number with plain numpy/scipy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from xent import charts, explanations, frames
from xent.explanations import (
    MINUS,
    fmt,
    fmt_setting,
    fmt_sig,
    latex_number,
    steps_words,
    value_of,
)
from xent.explanations import decomposition as _sum_shown
from xent.frames import ChainPoint, GradientAt, LossAt, NeuronSummary, Sample
from xent.i18n import N_, tr
from xent.losses import BINARY_LOSSES
from xent.pagestate import PageState

STATE = PageState(
    slug="bernoulli",
    defaults={
        "red": 2,
        "white": 8,
        "p": 0.2,
        "q": 0.6,
        "x1": 1.0,
        "x2": 0.5,
        "w1": 2.0,
        "w2": -1.0,
        "lr": 1.0,
        "steps": 40,
        "n": 50,
        "seed": 0,
    },
    presets={
        # the stored names are the English ones (stable in every language), shown as tr(name)
        N_("Box: 2 red, 8 white"): {},
        N_("Fair coin: 5 red, 5 white"): {"red": 5, "white": 5, "p": 0.5, "q": 0.9},
        N_("Confident and wrong"): {
            "red": 9,
            "white": 1,
            "p": 0.9,
            "q": 0.02,
            "w1": -4.0,
            "w2": 0.0,
        },
        N_("Learning rate too large"): {"lr": 30.0, "steps": 30},
        N_("Sure thing: all red"): {"red": 10, "white": 0, "p": 1.0, "q": 0.5},
    },
    docs={
        "red": N_("red balls in the box"),
        "white": N_("white balls in the box"),
        "p": N_("true probability of red"),
        "q": N_("model prediction"),
        "x1": N_("neuron input x₁"),
        "x2": N_("neuron input x₂"),
        "w1": N_("start weight w₁"),
        "w2": N_("start weight w₂"),
        "lr": N_("learning rate η"),
        "steps": N_("gradient steps"),
        "t": N_("step shown by the scrubber"),
        "n": N_("balls drawn by the sampler"),
        "seed": N_("random seed of the sampler"),
    },
)
"""The page's URL keys, their defaults, presets and docs (its entry in ``xent.navigation``
carries them; ``xent.ui`` draws them)."""

SAMPLER_LR, SAMPLER_STEPS = 1.0, 100
"""The sampler's training: learning rate and steps of the fit to the drawn balls."""


# --- section 1: the loss of a prediction q ------------------------------------------------


def loss_formula() -> tuple[str, str]:
    """L(p, q) as the Bernoulli page shows it: the registry's cross-entropy formula (the one
    the Loss Comparison page shows), and in words."""
    latex = BINARY_LOSSES["cross_entropy"].latex
    return (
        rf"\begin{{aligned}}&{latex}\end{{aligned}}",
        tr("L equals minus p log q minus (1 minus p) log (1 minus q)."),
    )


def box_caption(red: int, white: int, p: float) -> str:
    total = red + white
    if total == 0:
        return tr("The box is empty: p is set directly.")
    ratio = red / total
    if abs(ratio - p) < 5e-3:
        return tr(
            "The box: {reds} red of {total} balls, so p = {reds}/{total} = {ratio}.",
            reds=red,
            total=total,
            ratio=fmt(ratio),
        )
    return tr(
        "p is set directly (the box of {reds} red and {whites} white would give {ratio}).",
        reds=red,
        whites=white,
        ratio=fmt(ratio),
    )


def decomposition(at: LossAt) -> tuple[str, str]:
    """L = H(p) + KL(p‖q) with numbers that add up as shown: (latex, plain text); the
    formula on one line and its numbers on the next, to fit beside a chart."""
    latex, text = _sum_shown(at.L, at.H, at.KL)
    return r"\begin{gathered}" + latex.replace(r":\ ", r"\\ ") + r"\end{gathered}", text


def loss_reading(at: LossAt) -> str:
    return tr(
        "L = {loss} nats at q = {q_shown}; the minimum {floor} is at q = p = {p_shown}. "
        "{decomposition} nats: KL(p‖q) is what the model pays on top of the floor.",
        loss=fmt(at.L),
        q_shown=fmt(at.q),
        floor=fmt(at.H),
        p_shown=fmt(at.p),
        decomposition=decomposition(at)[1],
    )


def gradient_reading(at: GradientAt) -> str:
    """∂L/∂z = q − p, with z the logit defined first; zero only when q = p exactly (a small
    gradient is shown to 3 significant figures: q = 0.33 with p = 1/3 is −0.00333)."""
    define = tr("With z = log(q / (1 − q)), the logit (q = σ(z); section 2's neuron calls it y): ")
    q_shown, p_shown = fmt_setting(at.q), fmt_setting(at.p)
    if at.grad == 0:
        return define + tr(
            "∂L/∂z = q − p = 0 at q = {q_shown}: the gradient is zero, the model already says "
            "the truth.",
            q_shown=q_shown,
        )
    shown = fmt_sig(at.grad)
    signed = shown if shown.startswith(MINUS) else "+" + shown
    if at.q in (0.0, 1.0):  # z = ∓∞: a finite step does not move it
        infinite = "−∞" if at.q == 0 else "+∞"
        return define + tr(
            "∂L/∂z = q − p = {gradient} at q = {q_shown}, but there the logit z = {infinity}: "
            "a finite step η (q − p) cannot move it, so gradient descent leaves q at {q_shown}.",
            gradient=signed,
            q_shown=q_shown,
            infinity=infinite,
        )
    if at.grad > 0:
        move = tr(
            "∂L/∂z = q − p = {gradient} at q = {q_shown}: a gradient step lowers z, so q falls "
            "towards p = {p_shown}.",
            gradient=signed,
            q_shown=q_shown,
            p_shown=p_shown,
        )
    else:
        move = tr(
            "∂L/∂z = q − p = {gradient} at q = {q_shown}: a gradient step raises z, so q rises "
            "towards p = {p_shown}.",
            gradient=signed,
            q_shown=q_shown,
            p_shown=p_shown,
        )
    return define + move


def _side(x: float, preferred: str, room: float = 0.35) -> str:
    """``preferred`` ("left" or "right") unless a label there would run off the q axis."""
    if preferred == "left" and x < room:
        return "right"
    if preferred == "right" and x > 1 - room:
        return "left"
    return preferred


def loss_label_places(p: float, q: float, h: float, current: float, top: float):
    """Where the three labels of the L(q) chart go (keys of ``charts.PLACES``) so that none
    covers another at any width, phone included.

    The minimum's label goes under the floor H(p), or over it when the floor lies too near
    the q axis; there, with the model's point close by, it is left out (the reading under
    the chart names the minimum, its tooltip too). The model's point is labelled on the
    minimum's side, where the curve falls away (see ``curve_label_place``). The KL gap is
    labelled half-way up its segment on the far side from the minimum, where the curve
    leaves room; near the edge of the axis, on the near side: low, just over the floor, when
    the gap is tall and the floor is free, else half-way up. A gap too small to see is not
    labelled (the formula above the chart and the reading below it give its value).
    """
    y_q = min(current, top)
    below = h >= 0.16 * top
    vertical = "below" if below else "above"
    minimum = vertical if 0.2 <= p <= 0.8 else f"{vertical}-{'right' if p < 0.5 else 'left'}"
    if not below and abs(q - p) < 0.35:
        minimum = "none"
    outer = "right" if q >= p else "left"
    kl = _side(q, outer)
    if kl != outer and below and y_q - h >= 0.3 * top:
        kl = f"above-{kl}"
    if y_q - h < 0.06 * top:
        kl = "none"
    return {"KL": kl, "model": curve_label_place(q, current, p, top), "minimum": minimum}


def curve_label_place(x: float, y: float, p: float, top: float) -> str:
    """Where the label of a point on the L(q) curve goes: on the minimum's side, where the
    curve falls away from the point; above it, or level with it near the top edge; below it
    when the point is off the axis (drawn on the top edge, away from the clipped curve)."""
    inner = _side(x, "left" if x >= p else "right", room=0.25)  # a short label
    if y >= top:
        return f"below-{inner}"
    if y > 0.8 * top:
        return inner
    return f"above-{inner}"


def loss_view(view: frames.Curves) -> frames.Curves:
    """The L(q) chart's bundle with its three labels placed by :func:`loss_label_places`."""
    at: LossAt = view.at
    places = loss_label_places(at.p, at.q, at.H, at.L, view.y_max)
    y_q = min(at.L, view.y_max)
    points = view.points.assign(place=[places["minimum"], places["model"]])
    label_y = at.H if places["KL"].startswith("above") else (at.H + y_q) / 2
    segment = view.segment.assign(place=[places["KL"]], label_y=[label_y])
    return frames.Curves(view.curves, points, view.floor, segment, view.y_max, view.note, at)


def loss_chart(view: frames.Curves, **options) -> charts.Chart:
    """The L(q) chart of section 1 (``charts.curves_chart`` of :func:`loss_view`)."""
    return charts.curves_chart(loss_view(view), **options)


def gradient_places(p: float, q: float) -> tuple[str, str]:
    """Where the labels "q = p" and "model q" of the gradient chart go (keys of
    ``charts.PLACES``): the line q − p rises, so the left point is labelled above-left and
    the right one below-right, each on the side the line leaves free and away from the
    other; near a side edge a label is centred instead, so that it is not cut."""

    def left(x: float) -> str:
        return "above-left" if x >= 0.25 else "above"

    def right(x: float) -> str:
        return "below-right" if x <= 0.75 else "below"

    return (left(p), right(q)) if p <= q else (right(p), left(q))


def gradient_view(view: frames.Curves) -> frames.Curves:
    """The gradient chart's bundle with its two labels placed by :func:`gradient_places`
    (Vega's default placement let them cover each other on a phone at p = 0.3, q = 0.6)."""
    at: GradientAt = view.at
    places = dict(zip(("q = p", "model q"), gradient_places(at.p, at.q), strict=True))
    points = view.points.assign(place=view.points["label"].map(places).fillna("none"))
    return frames.Curves(
        view.curves, points, view.floor, view.segment, view.y_max, view.note, view.at
    )


def gradient_chart(view: frames.Curves, **options) -> charts.Chart:
    """The gradient chart of section 1 (``charts.curves_chart`` of :func:`gradient_view`)."""
    return charts.curves_chart(gradient_view(view), **options)


# --- section 2: the neuron ------------------------------------------------------------------


def p_target(p: float) -> pd.DataFrame:
    """The dashed line q = p of the prediction chart."""
    return pd.DataFrame({"y": [p], "label": [tr("target q = p")]})


def q_chart(run: frames.NeuronRun, t: int, p: float, height: int = 220) -> charts.Chart:
    """The prediction q over the steps, the marker at step t and the dashed line q = p."""
    return charts.step_chart(
        run.q, y_title=tr("prediction q"), marker_step=t, target=p_target(p), height=height
    )


def path_chart(view: frames.Curves, run: frames.NeuronRun, t: int) -> charts.Chart:
    """The L(q) curve with the neuron's steps along it and the marker at step t."""
    trail = run.path
    xs, ys = trail["x"].to_numpy(), trail["y"].to_numpy()
    top = max(view.y_max or frames.L_MAX, frames.axis_top(ys))
    x, y = float(xs[t]), float(ys[t])
    loss: LossAt = view.at
    places = loss_label_places(loss.p, x, loss.H, y, top)
    # The curve's points except the model's, then the marker at step t (one frame).
    marked = zip(*(view.points[name].tolist() for name in ("x", "y", "label")), strict=True)
    rows = [(*row, places["minimum"]) for row in marked if row[2] != "model q"]
    rows.append((x, y, tr("step {step}", step=t), places["model"]))
    columns = map(list, zip(*rows, strict=True))
    points = pd.DataFrame(dict(zip(("x", "y", "label", "place"), columns, strict=True)))
    return charts.function_chart(
        view.curves,
        points,
        trail=trail,
        floor=view.floor,
        y_max=top,
        x_title=tr("model prediction q"),
        y_title=tr("loss L (nats)"),
        height=260,
        note=tr("Dots: q and L after each gradient step."),
    )


def cycling_reading(x: Sequence[float], p: float, lr: float) -> str | None:
    """Why the neuron's q jumps back and forth: a step moves y = x · w by −η |x|² (q − p),
    so near q = p it multiplies y's distance from its goal by 1 − η |x|² p(1 − p). None
    when that is at most 1 in size (or nothing moves). Numbers from the shown operands."""
    norm2, slope = sum(v * v for v in x), p * (1 - p)
    if norm2 == 0 or slope == 0 or abs(1 - lr * norm2 * slope) <= 1:
        return None
    n_s, s_s = fmt_sig(norm2), fmt_sig(slope)
    factor = fmt_sig(abs(1 - lr * value_of(n_s) * value_of(s_s)))
    return tr(
        " The learning rate is too large for this p: a step moves y = x · w by "
        "−η |x|² (q − p), so near q = p it multiplies y's distance from its goal by "
        "1 − η |x|² p(1 − p), and |1 − {learning_rate} × {norm2} × {slope}| = {factor} > 1: "
        "each step overshoots, so q jumps back and forth around p and never settles.",
        learning_rate=fmt_setting(lr),
        norm2=n_s,
        slope=s_s,
        factor=factor,
    )


def neuron_reading(
    run: frames.NeuronRun, t: int, p: float, x: Sequence[float] = (), lr: float = 0.0
) -> str:
    """The shown step and the run's end; why it cycles when η is too large (``x``, ``lr``:
    the run's inputs and learning rate)."""
    row = run.table.iloc[t]
    s: NeuronSummary = run.summary
    text = tr(
        "Step {step}: q = {q_shown}, L = {loss} nats. After all {steps} q = {q_end} "
        "(p = {p_shown}), L = {loss_end}, the floor H(p) = {floor}.",
        step=t,
        q_shown=fmt(row["q"]),
        loss=fmt(row["loss_nats"]),
        steps=steps_words(s.steps),
        q_end=fmt(s.q_end),
        p_shown=fmt(p),
        loss_end=fmt(s.loss_end),
        floor=fmt(s.H),
    )
    cycling = cycling_reading(x, p, lr) if len(x) and s.q_end != p else None
    if s.diverged:
        text += tr(" The run diverged: the learning rate is too large.")
    elif cycling:
        text += cycling
    elif s.loss_end > s.loss_start:
        text += tr(
            " The loss went up, not down: the learning rate is too large, the steps overshoot."
        )
    return text


# --- the chain rule -------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainRuleLine:
    """One weight's chain rule as shown: factors, their product, the exact value, the check.

    The product is computed from the *shown* (rounded) factors, so the equality displayed
    holds as displayed; ``exact`` is x_i (q − p) computed without rounding.
    """

    x: str
    sigma_prime: str
    dL_dq: str
    product: str | None  # None when a factor is 0 or ∞ in double precision
    exact: str
    finite_difference: str
    text: str
    latex: str


def _paren(shown: str) -> str:
    return f"({shown})" if shown.startswith(MINUS) else shown


def chain_rule_line(x_i: float, q: float, one_minus_q: float, p: float, fd: float) -> ChainRuleLine:
    """∂L/∂w_i = x_i · σ′(y) · ∂L/∂q with σ′(y) = q(1 − q), each factor to 3 significant figures.

    Args:
        x_i: the input of this weight; q, one_minus_q: σ(y) and 1 − σ(y) (computed apart);
        p: the target; fd: the finite-difference estimate of ∂L/∂w_i.
    """
    sigma_prime = q * one_minus_q
    with np.errstate(all="ignore"):
        dL_dq = float(np.where(p == 0, 0.0, -p / np.float64(q))) + float(
            np.where(p == 1, 0.0, (1 - p) / np.float64(one_minus_q))
        )
    shown = [fmt_sig(x_i), fmt_sig(sigma_prime), fmt_sig(dL_dq)]
    exact = fmt_sig(x_i * (q - p))
    fd_shown = fmt_sig(fd)
    factors = " × ".join(_paren(s) for s in shown)
    if sigma_prime == 0 or not math.isfinite(dL_dq):
        product = None
        text = tr(
            "x_i × σ′(y) × ∂L/∂q = {factors}: in double precision σ′(y) rounds to 0 and "
            "∂L/∂q to ∞, so the product cannot be formed from the factors. The cancelled "
            "form x_i (q − p) = {exact} still can.",
            factors=factors,
            exact=exact,
        )
    else:
        product = fmt_sig(math.prod(value_of(s) for s in shown))
        if product == exact:
            text = tr(
                "x_i × σ′(y) × ∂L/∂q = {factors} = {product} (each factor rounded to 3 figures); "
                "without rounding, x_i (q − p) = {exact} too.",
                factors=factors,
                product=product,
                exact=exact,
            )
        else:
            text = tr(
                "x_i × σ′(y) × ∂L/∂q = {factors} = {product} (each factor rounded to 3 figures); "
                "without rounding, x_i (q − p) = {exact}, the difference is the rounding.",
                factors=factors,
                product=product,
                exact=exact,
            )
    if fd_shown == exact:
        text += tr(" The finite difference gives {estimate}: they agree.", estimate=fd_shown)
    else:
        text += tr(
            " The finite difference gives {estimate}: the difference is the finite step.",
            estimate=fd_shown,
        )
    rhs = f" = {latex_number(product)}" if product is not None else ""
    latex = (
        r"x_i \cdot \sigma'(y) \cdot \frac{\partial L}{\partial q} = "
        + r" \times ".join(f"({latex_number(s)})" for s in shown)
        + rhs
    )
    return ChainRuleLine(*shown, product, exact, fd_shown, text, latex)


def chain_lines(table: pd.DataFrame, point: ChainPoint) -> list[ChainRuleLine]:
    """Each weight's chain rule as shown: factors to 3 figures, their product as shown."""
    return [
        chain_rule_line(x_i, point.q, point.one_minus_q, point.p, fd)
        for x_i, fd in zip(table["∂y/∂wᵢ = xᵢ"], table["finite difference"], strict=True)
    ]


CHAIN_ROWS = (
    ("∂y/∂wᵢ = xᵢ", "x"),
    ("∂q/∂y = σ′(y) = q(1 − q)", "sigma_prime"),
    ("∂L/∂q = −p/q + (1 − p)/(1 − q)", "dL_dq"),
    (N_("product of the three, as shown"), "product"),
    (N_("xᵢ (q − p), the cancelled form"), "exact"),
    (N_("finite difference"), "finite_difference"),
)
"""The chain-rule table's rows: label (English, shown as ``tr(label)``; the formulas are the
same in both languages), and the ``ChainRuleLine`` field shown in it."""


def chain_table_view(table: pd.DataFrame, lines: Sequence[ChainRuleLine]) -> pd.DataFrame:
    """One row per factor, one column per weight (three columns fit a phone), each number to
    3 significant figures, so that the product row is the product of the numbers shown."""
    view = {tr("factor"): [tr(label) for label, _ in CHAIN_ROWS]}
    for weight, line in zip(table["weight"], lines, strict=True):
        view[weight] = [getattr(line, attr) or "—" for _, attr in CHAIN_ROWS]
    return pd.DataFrame(view)


def chain_reading(point: ChainPoint, t: int, lines: Sequence[ChainRuleLine]) -> str:
    first = lines[0]
    # q with the decimals that make q(1 − q) read σ′ as shown (q = 0.82 gave 0.148, not 0.149)
    q = explanations.shown_operand(point.q, lambda v: v * (1 - v), first.sigma_prime, fmt_sig)
    return tr(
        "At step {step}: y = {y_shown}, q = σ(y) = {q_shown}, σ′(y) = q(1 − q) = {slope}. "
        "For w₁: {chain_rule}",
        step=t,
        y_shown=fmt(point.y),
        q_shown=q,
        slope=first.sigma_prime,
        chain_rule=first.text,
    )


# --- section 3: the sampler -----------------------------------------------------------------


def mle_reading(red: int, draws: int, q_final: float, steps: int) -> str:
    """The MLE reading: p̂ = red/draws, CE = mean negative log-likelihood, and where q is."""
    if draws == 0:
        return tr("No draws yet: there is no likelihood to maximise.")
    p_hat = red / draws
    shown = {"p_hat": fmt(p_hat), "q_end": fmt(q_final), "steps": steps_words(steps)}
    mle = tr(
        "Drawn: {reds} red of {draws}, so p̂ = {p_hat}, the maximum-likelihood estimate: "
        "of all q it makes these draws most probable. The mean cross-entropy over the draws "
        "is their average negative log-likelihood, so descending it maximises the likelihood.",
        reds=red,
        draws=draws,
        p_hat=shown["p_hat"],
    )
    if shown["q_end"] == shown["p_hat"]:
        where = tr(" After {steps} q = {q_end} = p̂ (to the decimals shown).", **shown)
    elif red in (0, draws):
        where = tr(
            " p̂ = {p_hat} is an end no sigmoid output reaches: after {steps} q = {q_end}, "
            "and it only creeps closer with more steps.",
            **shown,
        )
    else:
        where = tr(
            " After {steps} q = {q_end}, not yet p̂ = {p_hat}: training has not converged.",
            **shown,
        )
    return mle + where


def sampler_reading(sample: Sample, p: float | None = None) -> str:
    """The draws come from the box; when p was set directly (not the box's share of red),
    the reading says so, and that p̂ is near the box's share, not near that p."""
    if p is None or abs(p - sample.p) < 5e-3:
        head = tr("The box's p = {p_box}. ", p_box=fmt(sample.p))
    else:
        head = tr(
            "The balls are drawn from the box, whose share of red is {p_box}, not from the "
            "p = {p_set} set directly above: p̂ comes near {p_box} with many draws, not near "
            "that p. ",
            p_box=fmt(sample.p),
            p_set=fmt(p),
        )
    return head + mle_reading(sample.reds, sample.draws, sample.q_end, sample.steps)
