"""Altair chart builders: a tidy DataFrame in, a Vega-Lite chart out, one look for all pages.

The look: the Okabe-Ito palette (safe for the common colour-vision deficiencies), a dash
pattern or a point shape beside every colour so that colour never carries meaning alone,
fonts large enough for a projector, axis titles with the symbols of the formulas, a
tooltip on every mark and a width that follows the container.

No chart ever receives NaN or ±inf: every builder passes its data through ``_finite``,
which caps values at the axis limit (the chart then says so in its subtitle) and drops
anything still undefined. Long trajectories are thinned to ``MAX_ROWS`` rows.

The builders compute nothing about cross-entropy themselves; ``xent.frames`` turns the
math into the DataFrames these functions draw.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

__all__ = [
    "CLASS_COLORS",
    "MAX_ROWS",
    "OKABE_ITO",
    "class_bars",
    "function_chart",
    "gradient_bars",
    "heatmap",
    "regions_chart",
    "simplex_chart",
    "step_chart",
    "steps_bars",
]

MAX_ROWS = 1000
"""Most rows any one chart layer receives (the eye cannot tell more on a slide)."""

OKABE_ITO = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "green": "#009E73",
    "purple": "#CC79A7",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "grey": "#8C8C8C",
}
"""Okabe & Ito (2008), minus black, which disappears on a dark theme."""

CLASS_COLORS = (
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["green"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["purple"],
    OKABE_ITO["sky"],
    OKABE_ITO["yellow"],
    OKABE_ITO["grey"],
    "#882255",  # Paul Tol's wine and olive extend the set to ten classes
    "#999933",
)
CLASS_SHAPES = (
    "circle",
    "square",
    "triangle-up",
    "diamond",
    "cross",
    "triangle-down",
    "triangle-right",
    "triangle-left",
    "stroke",
    "wedge",
)
DASHES = ((1, 0), (8, 4), (2, 3), (10, 3, 2, 3), (4, 4), (1, 5))

# Well-known series keep their colour and dash on every page.
SERIES_STYLE: Mapping[str, tuple[str, tuple[int, ...]]] = {
    "cross-entropy": (OKABE_ITO["blue"], DASHES[0]),
    "squared error": (OKABE_ITO["vermillion"], DASHES[1]),
    "absolute error": (OKABE_ITO["green"], DASHES[2]),
    "focal (γ = 2)": (OKABE_ITO["purple"], DASHES[3]),
}

FONT_SIZES = {"label": 14, "title": 16, "legend": 14, "chart_title": 18, "subtitle": 14}
HEIGHT = 300
MARKER = OKABE_ITO["orange"]
FLOOR = OKABE_ITO["grey"]


# --- shared helpers -----------------------------------------------------------------------


def _finite(df: pd.DataFrame, columns: Sequence[str], cap: float | None = None) -> pd.DataFrame:
    """Cap ±inf (and values beyond ``cap``) at the axis limit; drop rows still undefined."""
    out = df.copy()
    for col in columns:
        values = out[col].to_numpy(dtype=float, copy=True)
        if cap is not None:
            values = np.clip(values, -cap, cap)
        values[~np.isfinite(values)] = np.nan
        out[col] = values
    return out.dropna(subset=list(columns))


def _thin(df: pd.DataFrame, key: str = "step", max_rows: int = MAX_ROWS) -> pd.DataFrame:
    """Keep every k-th value of ``key`` (and the last) so that the frame fits in max_rows."""
    if len(df) <= max_rows:
        return df
    keys = np.unique(df[key].to_numpy())
    per_key = max(1, len(df) // len(keys))
    stride = int(np.ceil(len(keys) * per_key / max_rows))
    keep = set(keys[::stride].tolist()) | {keys[-1]}
    return df[df[key].isin(keep)]


def _legend(names: Sequence[str]) -> alt.Legend | None:
    """No legend for a single series (the axis title names it); two columns for many."""
    if len(names) <= 1:
        return None
    return alt.Legend(columns=2 if len(names) > 2 else 0)


def _series_scales(names: Sequence[str]) -> tuple[alt.Scale, alt.Scale]:
    """Colour and dash scales over ``names``: fixed styles for known names, then by order."""
    colors, dashes = [], []
    for i, name in enumerate(names):
        color, dash = SERIES_STYLE.get(name, (CLASS_COLORS[i % 10], DASHES[i % len(DASHES)]))
        colors.append(color)
        dashes.append(list(dash))
    return alt.Scale(domain=list(names), range=colors), alt.Scale(domain=list(names), range=dashes)


def _title(title: str | None, subtitle: str | Sequence[str] | None) -> alt.TitleParams | str:
    if subtitle and title:
        lines = textwrap.wrap(subtitle, 48) if isinstance(subtitle, str) else list(subtitle)
        return alt.TitleParams(text=title, subtitle=lines)
    if subtitle:  # a note alone (e.g. "curve clipped at L = 4") reads as a small title
        lines = textwrap.wrap(subtitle, 48) if isinstance(subtitle, str) else list(subtitle)
        return alt.TitleParams(text=lines, fontSize=FONT_SIZES["subtitle"], fontStyle="italic")
    return title or ""


def _finish(
    chart: alt.TopLevelMixin,
    *,
    height: int = HEIGHT,
    title: str | None = None,
    subtitle: str | Sequence[str] | None = None,
    description: str | None = None,
) -> alt.TopLevelMixin:
    """Apply the common look: container width, projector-sized fonts, legend below."""
    props = {"width": "container", "height": height, "title": _title(title, subtitle)}
    if description:
        props["description"] = description
    return (
        chart.properties(**props)
        .configure_axis(
            labelFontSize=FONT_SIZES["label"],
            titleFontSize=FONT_SIZES["title"],
            titleFontWeight="normal",
            grid=True,
            gridOpacity=0.4,
        )
        .configure_legend(
            labelFontSize=FONT_SIZES["legend"],
            titleFontSize=FONT_SIZES["legend"],
            orient="bottom",
            symbolStrokeWidth=3,
            symbolSize=200,
            labelLimit=260,
        )
        .configure_title(
            fontSize=FONT_SIZES["chart_title"],
            subtitleFontSize=FONT_SIZES["subtitle"],
            anchor="start",
            fontWeight="normal",
        )
        .configure_view(strokeWidth=0)
    )


# --- curves of a function of q ------------------------------------------------------------


def function_chart(
    curves: pd.DataFrame,
    points: pd.DataFrame | None = None,
    *,
    x_title: str,
    y_title: str,
    y_max: float | None = None,
    y_min: float | None = None,
    floor: pd.DataFrame | None = None,
    segment: pd.DataFrame | None = None,
    zero_rule: bool = False,
    trail: pd.DataFrame | None = None,
    x_domain: tuple[float, float] = (0.0, 1.0),
    title: str | None = None,
    note: str | None = None,
    height: int = HEIGHT,
    description: str | None = None,
) -> alt.TopLevelMixin:
    """Curves y(x), one per series, with labelled points, a floor and a vertical segment.

    Args:
        curves: columns ``x``, ``y``, ``series`` (one line per series, colour plus dash).
        points: columns ``x``, ``y``, ``label``: marked points (shape and text label).
        y_max: clip the y axis here; values above it are drawn at the edge and ``note``
            (the subtitle) should say so.
        floor: columns ``y``, ``label``: horizontal dashed rules (e.g. the entropy H(p)).
        segment: columns ``x``, ``y``, ``y2``, ``label``: vertical gaps (e.g. the KL term).
        zero_rule: draw y = 0.
        trail: columns ``x``, ``y``, ``step``: a gradient-descent path drawn along the curve.
    """
    cap = y_max if y_max is not None else 1e12
    curves = _finite(curves, ["x", "y"], cap)
    names = list(dict.fromkeys(curves["series"]))
    color, dash = _series_scales(names)
    y_scale = (
        alt.Scale(domain=[y_min if y_min is not None else 0.0, y_max]) if y_max else alt.Scale()
    )
    x_enc = alt.X("x:Q", title=x_title, scale=alt.Scale(domain=list(x_domain)))
    y_enc = alt.Y("y:Q", title=y_title, scale=y_scale)
    hover = alt.selection_point(
        name="hover", nearest=True, on="pointerover", fields=["x"], empty=False, clear="pointerout"
    )
    tips = [
        alt.Tooltip("series:N", title="curve"),
        alt.Tooltip("x:Q", title=x_title, format=".4g"),
        alt.Tooltip("y:Q", title=y_title, format=".4g"),
    ]
    base = alt.Chart(curves)
    layers = [
        base.mark_line(strokeWidth=3, clip=True).encode(
            x=x_enc,
            y=y_enc,
            color=alt.Color("series:N", scale=color, title=None, legend=_legend(names)),
            strokeDash=alt.StrokeDash("series:N", scale=dash, title=None, legend=_legend(names)),
            tooltip=tips,
        ),
        # invisible points carry the hover selection and the tooltip anywhere on the curve
        base.mark_point(size=80, opacity=0, clip=True)
        .encode(x=x_enc, y=y_enc, tooltip=tips)
        .add_params(hover),
        base.mark_rule(color=FLOOR, strokeWidth=1)
        .encode(x="x:Q", tooltip=tips)
        .transform_filter(hover),
    ]
    if zero_rule:
        zero = pd.DataFrame({"y": [0.0], "label": ["zero"]})
        layers.append(
            alt.Chart(zero)
            .mark_rule(color=FLOOR, strokeWidth=1)
            .encode(y="y:Q", tooltip=[alt.Tooltip("label:N", title="line")])
        )
    if floor is not None and len(floor):
        floor = _finite(floor, ["y"], cap)
        layers.append(
            alt.Chart(floor)
            .mark_rule(color=FLOOR, strokeDash=[6, 4], strokeWidth=2)
            .encode(
                y="y:Q",
                tooltip=[
                    alt.Tooltip("label:N", title="line"),
                    alt.Tooltip("y:Q", title=y_title, format=".4g"),
                ],
            )
        )
    if segment is not None and len(segment):
        segment = _finite(segment, ["x", "y", "y2"], cap)
        layers.append(
            alt.Chart(segment)
            .mark_rule(color=OKABE_ITO["vermillion"], strokeWidth=4, clip=True)
            .encode(
                x="x:Q",
                y="y:Q",
                y2="y2:Q",
                tooltip=[
                    alt.Tooltip("label:N", title="gap"),
                    alt.Tooltip("x:Q", title=x_title, format=".4g"),
                ],
            )
        )
    if trail is not None and len(trail):
        trail = _thin(_finite(trail, ["x", "y"], cap))
        layers.append(
            alt.Chart(trail)
            .mark_point(size=45, filled=True, color=OKABE_ITO["sky"], opacity=0.9, clip=True)
            .encode(
                x="x:Q",
                y="y:Q",
                tooltip=[
                    alt.Tooltip("step:Q", title="step t"),
                    alt.Tooltip("x:Q", title=x_title, format=".4g"),
                    alt.Tooltip("y:Q", title=y_title, format=".4g"),
                ],
            )
        )
    if points is not None and len(points):
        points = _finite(points, ["x", "y"], cap)
        points = points.assign(pos=np.arange(len(points)) % 2)
        point_tips = [
            alt.Tooltip("label:N", title="point"),
            alt.Tooltip("x:Q", title=x_title, format=".4g"),
            alt.Tooltip("y:Q", title=y_title, format=".4g"),
        ]
        labels = list(dict.fromkeys(points["label"]))
        shapes = alt.Scale(domain=labels, range=list(CLASS_SHAPES[: len(labels)]))
        pts = alt.Chart(points)
        layers += [
            pts.mark_point(
                size=220, filled=True, color=MARKER, stroke="white", strokeWidth=1.5
            ).encode(
                x="x:Q",
                y="y:Q",
                shape=alt.Shape("label:N", scale=shapes, legend=None),
                tooltip=point_tips,
            ),
            # labels alternate above and below their points so that neighbours never collide
            pts.mark_text(align="left", dx=10, dy=-14, fontSize=15, fontWeight="bold")
            .encode(x="x:Q", y="y:Q", text="label:N", tooltip=point_tips)
            .transform_filter("datum.pos == 0"),
            pts.mark_text(align="left", dx=10, dy=18, fontSize=15, fontWeight="bold")
            .encode(x="x:Q", y="y:Q", text="label:N", tooltip=point_tips)
            .transform_filter("datum.pos == 1"),
        ]
    return _finish(
        alt.layer(*layers), height=height, title=title, subtitle=note, description=description
    )


# --- trajectories over gradient-descent steps --------------------------------------------


def step_chart(
    df: pd.DataFrame,
    *,
    y_title: str,
    marker_step: int | None = None,
    target: pd.DataFrame | None = None,
    y_max: float | None = None,
    y_min: float | None = None,
    title: str | None = None,
    note: str | None = None,
    height: int = HEIGHT,
    description: str | None = None,
) -> alt.TopLevelMixin:
    """Values over gradient-descent steps, one line per series, with a scrubber marker.

    Args:
        df: columns ``step``, ``value``, ``series``.
        marker_step: draw a vertical rule and a point per series at this step.
        target: columns ``y``, ``label``: horizontal dashed rules (e.g. q = p).
    """
    cap = y_max if y_max is not None else 1e12
    df = _thin(_finite(df, ["value"], cap))
    names = list(dict.fromkeys(df["series"]))
    color, dash = _series_scales(names)
    if y_max is not None:
        y_scale = alt.Scale(domain=[y_min if y_min is not None else 0.0, y_max])
    else:
        y_scale = alt.Scale(zero=False)
    x_enc = alt.X("step:Q", title="step t", axis=alt.Axis(tickMinStep=1, format="d"))
    y_enc = alt.Y("value:Q", title=y_title, scale=y_scale)
    tips = [
        alt.Tooltip("series:N", title="series"),
        alt.Tooltip("step:Q", title="step t"),
        alt.Tooltip("value:Q", title=y_title, format=".4g"),
    ]
    base = alt.Chart(df)
    color_enc = alt.Color("series:N", scale=color, title=None, legend=_legend(names))
    layers = [
        base.mark_line(strokeWidth=3, clip=True).encode(
            x=x_enc,
            y=y_enc,
            color=color_enc,
            strokeDash=alt.StrokeDash("series:N", scale=dash, title=None, legend=_legend(names)),
            tooltip=tips,
        ),
        base.mark_point(size=60, opacity=0).encode(x=x_enc, y=y_enc, tooltip=tips),
    ]
    if target is not None and len(target):
        layers.append(
            alt.Chart(_finite(target, ["y"], cap))
            .mark_rule(color=FLOOR, strokeDash=[6, 4], strokeWidth=2)
            .encode(
                y="y:Q",
                tooltip=[
                    alt.Tooltip("label:N", title="line"),
                    alt.Tooltip("y:Q", title=y_title, format=".4g"),
                ],
            )
        )
    if marker_step is not None:
        at = df[df["step"] == df["step"].iloc[(df["step"] - marker_step).abs().argmin()]]
        layers += [
            alt.Chart(at)
            .mark_rule(color=MARKER, strokeWidth=2)
            .encode(x="step:Q", tooltip=[alt.Tooltip("step:Q", title="marker at step t")]),
            alt.Chart(at)
            .mark_point(size=160, filled=True, stroke="white", strokeWidth=1.5)
            .encode(x="step:Q", y="value:Q", color=color_enc, tooltip=tips),
        ]
    return _finish(
        alt.layer(*layers), height=height, title=title, subtitle=note, description=description
    )


def steps_bars(
    df: pd.DataFrame, *, budget: int, title: str | None = None, height: int | None = None
):
    """Steps each loss needed to reach the threshold: one bar per series, text on each bar.

    Args:
        df: columns ``series``, ``steps`` (int, -1 when never reached), ``text``.
        budget: the step budget; series that never got there fill it, hatched by their text.
    """
    df = df.copy()
    df["shown"] = np.where(df["steps"] < 0, budget, df["steps"]).astype(float)
    names = list(dict.fromkeys(df["series"]))
    color, _ = _series_scales(names)
    tips = [alt.Tooltip("series:N", title="loss"), alt.Tooltip("text:N", title="result")]
    base = alt.Chart(df).encode(
        y=alt.Y("series:N", title=None, sort=names, axis=alt.Axis(labelLimit=200)),
        x=alt.X("shown:Q", title="steps to reach the threshold", scale=alt.Scale(domainMin=0)),
        tooltip=tips,
    )
    chart = alt.layer(
        base.mark_bar(height={"band": 0.7}).encode(
            color=alt.Color("series:N", scale=color, legend=None),
            opacity=alt.condition("datum.steps < 0", alt.value(0.35), alt.value(1.0)),
        ),
        base.mark_text(align="left", dx=6, fontSize=15).encode(text="text:N"),
    )
    return _finish(chart, height=height or 70 + 45 * len(names), title=title)


# --- the multiclass page -------------------------------------------------------------------


def class_bars(
    df: pd.DataFrame, *, class_order: Sequence[str], title: str | None = None, height: int = HEIGHT
):
    """The model's softmax Q beside the target t, per class.

    Args:
        df: columns ``cls``, ``series`` (``"model Q"`` or ``"target t"``), ``value`` in [0, 1].
    """
    df = _finite(df, ["value"], 1.0)
    series = list(dict.fromkeys(df["series"]))
    color = alt.Scale(domain=series, range=[OKABE_ITO["blue"], OKABE_ITO["orange"]][: len(series)])
    tips = [
        alt.Tooltip("cls:N", title="class"),
        alt.Tooltip("series:N", title="series"),
        alt.Tooltip("value:Q", title="probability", format=".3f"),
    ]
    base = alt.Chart(df).encode(
        x=alt.X("cls:N", title=None, sort=list(class_order), axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("series:N", sort=series),
        y=alt.Y("value:Q", title="probability", scale=alt.Scale(domain=[0, 1.1])),
        tooltip=tips,
    )
    chart = alt.layer(
        # the target is drawn hollow, the model filled: fill is a second cue beside colour
        base.mark_bar(strokeWidth=3).encode(
            color=alt.Color("series:N", scale=color, title=None),
            fillOpacity=alt.condition(
                f"datum.series == '{series[0]}'", alt.value(0.9), alt.value(0.1)
            ),
            stroke=alt.Color("series:N", scale=color, legend=None),
        ),
        base.mark_text(dy=-10, fontSize=14).encode(text=alt.Text("value:Q", format=".2f")),
    )
    return _finish(chart, height=height, title=title)


def gradient_bars(
    df: pd.DataFrame, *, class_order: Sequence[str], title: str | None = None, height: int = HEIGHT
):
    """Per-class gradient ∂L/∂z_k = Q_k - t_k: bars below zero push a logit up.

    Args:
        df: columns ``cls``, ``grad``, ``direction`` (a short phrase for the legend).
    """
    df = _finite(df, ["grad"], 1e6)
    directions = list(dict.fromkeys(df["direction"]))
    palette = {
        "raise this logit": OKABE_ITO["blue"],
        "lower this logit": OKABE_ITO["vermillion"],
        "leave it": FLOOR,
    }
    color = alt.Scale(domain=directions, range=[palette.get(d, FLOOR) for d in directions])
    tips = [
        alt.Tooltip("cls:N", title="class"),
        alt.Tooltip("grad:Q", title="∂L/∂z = Q - t", format="+.3f"),
        alt.Tooltip("direction:N", title="a gradient step will"),
    ]
    base = alt.Chart(df).encode(
        x=alt.X("cls:N", title=None, sort=list(class_order), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("grad:Q", title="∂L/∂zₖ = Qₖ - tₖ", scale=alt.Scale(domain=[-1.05, 1.05])),
        tooltip=tips,
    )
    chart = alt.layer(
        base.mark_bar().encode(color=alt.Color("direction:N", scale=color, title=None)),
        base.mark_text(fontSize=14, dy=alt.ExprRef("datum.grad < 0 ? 12 : -10")).encode(
            text=alt.Text("grad:Q", format="+.2f")
        ),
        alt.Chart(pd.DataFrame({"y": [0.0], "label": ["zero: no push"]}))
        .mark_rule(color=FLOOR)
        .encode(y="y:Q", tooltip=[alt.Tooltip("label:N", title="line")]),
    )
    return _finish(chart, height=height, title=title)


def regions_chart(
    grid: pd.DataFrame,
    points: pd.DataFrame,
    *,
    class_order: Sequence[str],
    title: str | None = None,
    height: int = 360,
):
    """Decision regions of a softmax classifier on 2-D points.

    Args:
        grid: columns ``x0``, ``x1``, ``y0``, ``y1`` (cell bounds), ``cls`` (predicted
            class name), ``conf`` (its probability): cells shaded by confidence.
        points: columns ``x``, ``y``, ``cls`` (true class name): colour and shape by class.
    """
    classes = list(class_order)
    color = alt.Scale(domain=classes, range=list(CLASS_COLORS[: len(classes)]))
    shape = alt.Scale(domain=classes, range=list(CLASS_SHAPES[: len(classes)]))
    grid = _finite(grid, ["x0", "x1", "y0", "y1", "conf"], 1e6)
    points = _finite(points, ["x", "y"], 1e6)
    cells = (
        alt.Chart(grid)
        .mark_rect()
        .encode(
            x=alt.X("x0:Q", title="feature x₁", scale=alt.Scale(nice=False, zero=False)),
            x2="x1:Q",
            y=alt.Y("y0:Q", title="feature x₂", scale=alt.Scale(nice=False, zero=False)),
            y2="y1:Q",
            color=alt.Color("cls:N", scale=color, title="class"),
            opacity=alt.Opacity(
                "conf:Q", scale=alt.Scale(domain=[0, 1], range=[0.05, 0.55]), legend=None
            ),
            tooltip=[
                alt.Tooltip("cls:N", title="predicted class"),
                alt.Tooltip("conf:Q", title="its probability", format=".2f"),
            ],
        )
    )
    dots = (
        alt.Chart(points)
        .mark_point(size=90, filled=True, stroke="white", strokeWidth=1, opacity=1)
        .encode(
            x="x:Q",
            y="y:Q",
            color=alt.Color("cls:N", scale=color, title="class"),
            shape=alt.Shape("cls:N", scale=shape, title="class"),
            tooltip=[
                alt.Tooltip("cls:N", title="true class"),
                alt.Tooltip("x:Q", title="x₁", format=".2f"),
                alt.Tooltip("y:Q", title="x₂", format=".2f"),
            ],
        )
    )
    return _finish(alt.layer(cells, dots), height=height, title=title)


def simplex_chart(
    path: pd.DataFrame,
    corners: pd.DataFrame,
    *,
    marker_step: int | None = None,
    title: str | None = None,
    height: int = 340,
):
    """The path of Q = softmax(z) across the probability triangle (K = 3).

    Args:
        path: columns ``step``, ``sx``, ``sy`` (2-D position), ``Q`` (text like
            "0.24 / 0.66 / 0.10") and ``loss``.
        corners: columns ``sx``, ``sy``, ``label``, ``target`` (bool): the three vertices
            (each a certain class); the target's is starred.
    """
    path = _thin(_finite(path, ["sx", "sy", "loss"], 1e6))
    tri = pd.concat([corners, corners.iloc[[0]]], ignore_index=True).assign(order=range(4))
    axis_off = alt.Axis(title=None, labels=False, ticks=False, grid=False, domain=False)
    x = alt.X("sx:Q", scale=alt.Scale(domain=[-0.12, 1.12]), axis=axis_off)
    y = alt.Y("sy:Q", scale=alt.Scale(domain=[-0.12, 1.0]), axis=axis_off)
    corner_tips = [alt.Tooltip("label:N", title="corner: Q certain of")]
    path_tips = [
        alt.Tooltip("step:Q", title="step t"),
        alt.Tooltip("Q:N", title="Q"),
        alt.Tooltip("loss:Q", title="L", format=".3f"),
    ]
    layers = [
        alt.Chart(tri)
        .mark_line(color=FLOOR, strokeWidth=2)
        .encode(x=x, y=y, order="order:Q", tooltip=corner_tips),
        alt.Chart(corners)
        .mark_text(fontSize=16, dy=alt.ExprRef("datum.sy > 0.5 ? -14 : 18"))
        .encode(
            x=x,
            y=y,
            text="label:N",
            tooltip=corner_tips,
        ),
        alt.Chart(path)
        .mark_line(color=OKABE_ITO["blue"], strokeWidth=3, point=alt.OverlayMarkDef(size=30))
        .encode(x=x, y=y, order="step:Q", tooltip=path_tips),
    ]
    if marker_step is not None and len(path):
        at = path.iloc[[int((path["step"] - marker_step).abs().argmin())]]
        layers.append(
            alt.Chart(at)
            .mark_point(size=260, filled=True, color=MARKER, stroke="white", strokeWidth=1.5)
            .encode(x=x, y=y, tooltip=path_tips)
        )
    return _finish(alt.layer(*layers), height=height, title=title)


# --- the comparison grid -------------------------------------------------------------------


def heatmap(df: pd.DataFrame, *, budget: int, title: str | None = None, height: int = 320):
    """Steps to reach the threshold for each start q₀ and learning rate η (one loss).

    Args:
        df: columns ``q0`` and ``lr`` (labels, in order), ``steps`` (int), ``status`` (one
            of ``"reached"``, ``"not reached"``, ``"diverged"``), ``text`` (cell label).
        budget: the step budget, the top of the colour scale.
    """
    df = df.copy()
    df["steps"] = df["steps"].astype(float)
    df["shade"] = df["steps"].clip(lower=1)  # 0 steps (already there) on the log scale
    q_order = list(dict.fromkeys(df["q0"]))
    lr_order = list(dict.fromkeys(df["lr"]))
    x = alt.X("lr:O", title="learning rate η", sort=lr_order, axis=alt.Axis(labelAngle=-45))
    y = alt.Y("q0:O", title="start q₀", sort=q_order)
    tips = [
        alt.Tooltip("q0:N", title="start q₀"),
        alt.Tooltip("lr:N", title="learning rate η"),
        alt.Tooltip("text:N", title="result"),
    ]
    reached = df[df["status"] == "reached"]
    other = df[df["status"] != "reached"]
    status_color = alt.Scale(
        domain=["not reached", "diverged"], range=["#E8E8E8", OKABE_ITO["vermillion"]]
    )
    dark = np.log(max(budget, 2)) / 2
    layers = [
        alt.Chart(reached)
        .mark_rect()
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "shade:Q",
                title="steps",
                scale=alt.Scale(type="log", scheme="viridis", domain=[1, max(budget, 2)]),
            ),
            tooltip=tips,
        ),
        alt.Chart(other)
        .mark_rect()
        .encode(
            x=x,
            y=y,
            fill=alt.Fill("status:N", scale=status_color, title=None),
            tooltip=tips,
        ),
        alt.Chart(df)
        .mark_text(fontSize=11)
        .encode(
            x=x,
            y=y,
            text="short:N",
            color=alt.condition(
                f"datum.status == 'reached' && log(datum.shade) < {dark:.4f}",
                alt.value("white"),
                alt.value("black"),
            ),
            tooltip=tips,
        )
        .transform_calculate(
            short="datum.status == 'reached' ? datum.steps"
            " : (datum.status == 'diverged' ? '✕' : '–')"
        ),
    ]
    return _finish(
        alt.layer(*layers).resolve_scale(color="independent"), height=height, title=title
    )
