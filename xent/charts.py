"""Chart builders: a tidy DataFrame in, a Vega-Lite chart out, one look for all pages.

The look: the Okabe-Ito palette (safe for the common colour-vision deficiencies), a dash
pattern or a point shape beside every colour so that colour never carries meaning alone,
fonts large enough for a projector, axis titles with the symbols of the formulas, a
tooltip on every mark and a width that follows the container.

No chart ever receives NaN or ±inf: every builder passes its data through ``_finite``,
which caps values at the axis limit (the chart then says so in its title) and drops
anything still undefined. Long trajectories are thinned to ``MAX_ROWS`` rows.

Each builder returns a :class:`Chart`: a Vega-Lite spec plus its data as DataFrames. It
is written as plain dictionaries rather than through Altair's object model because a page
rebuilds several charts on every slider move, and Altair's per-object validation costs
tens of milliseconds per chart (``Chart.to_altair()`` gives the Altair object for a
notebook; ``Chart.to_dict()`` the full Vega-Lite spec with inline data, as Altair's
``to_dict`` would). The builders compute nothing about cross-entropy themselves;
``xent.frames`` turns the math into the DataFrames drawn here.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from xent import i18n
from xent.i18n import N_, tr
from xent.losses import line_styles

__all__ = [
    "CLASS_COLORS",
    "MAX_ROWS",
    "OKABE_ITO",
    "Chart",
    "class_bars",
    "function_chart",
    "gradient_bars",
    "heatmap",
    "race_bars",
    "race_chart",
    "regions_chart",
    "simplex_chart",
    "step_chart",
]

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
INLINE_ROWS = 20
"""Datasets this small are written into the spec rather than sent as Arrow tables."""
MAX_ROWS = 1000
"""Most rows any one dataset of a chart holds (the eye cannot tell more on a slide)."""

OKABE_ITO = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "green": "#009E73",
    "purple": "#C46A9C",
    "orange": "#B87D00",
    "sky": "#3A8FC4",
    "yellow": "#9C8F00",
    "grey": "#8C8C8C",
}
"""Okabe & Ito (2008)'s hues, minus black (it disappears on a dark theme), each at a lightness
that reads on both themes' backgrounds: every line and marker colour is at least 3:1 on white
and on the dark #111418 (WCAG 1.4.11; tests/test_charts.py checks it). Okabe-Ito's own orange,
sky blue, yellow and reddish purple are too light for white (2.3:1, 2.3:1, 1.3:1, 3.06:1), so
they are darkened within their hue: #E69F00 -> #B87D00, #56B4E9 -> #3A8FC4, #F0E442 -> #9C8F00,
#CC79A7 -> #C46A9C."""

CLASS_COLORS = (
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["green"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["purple"],
    OKABE_ITO["sky"],
    OKABE_ITO["yellow"],
    OKABE_ITO["grey"],
    "#A84D7F",  # Paul Tol's wine and olive extend the set to ten classes, at the same
    "#888833",  # contrast (Tol's #882255 was 2.1:1 on the dark theme)
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


FONT_SIZES = {
    "label": 16,
    "title": 17,
    "legend": 16,
    "chart_title": 18,
    "subtitle": 16,
    "mark": 16,
}
"""Chart text in pixels: none under 16, the smallest a projected chart's ticks and labels can
be read from the back of a room (present mode scales them to 20 and more: ``scaled_text``)."""
HEIGHT = 300
MARKER = OKABE_ITO["orange"]
FLOOR = OKABE_ITO["grey"]
INK = "currentColor"
"""Colour of every chart text (axes, legends, titles, labels): the CSS text colour of the page
around the chart, i.e. the theme's ``textColor`` (#1A1A1A on white, #EDEDED on #111418: both
above 14:1). No single colour passes 4.5:1 on both backgrounds (it would need a relative
luminance both <= 0.183 and >= 0.206), and a live switch of the theme does not rerun the
script (``st.context.theme`` lags it), so the colour cannot be chosen on the server. Vega's SVG
renderer writes it as ``fill="currentColor"``, which the browser resolves from CSS on every
switch. Streamlit's own chart theme would give axis text its faded grey (3.7:1 on white)."""
SILENT = {"aria": False}
"""Mark property that keeps a layer out of the accessibility tree: hover helpers and the
hundreds of invisible points that carry tooltips would otherwise each be read aloud."""
CONFIG = {
    "text": {"color": INK, "fontSize": FONT_SIZES["mark"]},
    "axis": {
        "labelColor": INK,
        "titleColor": INK,
        "labelFontSize": FONT_SIZES["label"],
        "titleFontSize": FONT_SIZES["title"],
        "titleFontWeight": "normal",
        "gridOpacity": 0.4,
    },
    "legend": {
        "labelColor": INK,
        "titleColor": INK,
        "labelFontSize": FONT_SIZES["legend"],
        "titleFontSize": FONT_SIZES["legend"],
        "orient": "bottom",
        "symbolStrokeWidth": 3,
        "symbolSize": 200,
        # two columns of a symbol and a label fit in the plot's width: longer labels end in
        # an ellipsis instead of running past the chart's edge
        "labelLimit": {"expr": "max(40, width / 2 - 50)"},
        "columnPadding": 8,
    },
    "title": {
        "color": INK,
        "subtitleColor": INK,
        "fontSize": FONT_SIZES["chart_title"],
        "subtitleFontSize": FONT_SIZES["subtitle"],
        "anchor": "start",
        "fontWeight": "normal",
    },
    "view": {"strokeWidth": 0},
}


class Chart:
    """A Vega-Lite spec whose data are named DataFrames.

    ``spec`` refers to its data by name (``{"data": {"name": ...}}``); ``datasets`` maps
    those names to DataFrames. ``to_dict()`` inlines the data as records, exactly the
    form ``altair.Chart.to_dict()`` produces.
    """

    def __init__(self, spec: dict[str, Any], datasets: dict[str, pd.DataFrame]):
        self.spec = spec
        self.datasets = datasets

    def streamlit_spec(self) -> dict[str, Any]:
        """The spec for ``st.vega_lite_chart``: large datasets go as Arrow, tiny ones inline.

        Streamlit converts every named dataset to Arrow (about a millisecond each); a
        marker or a rule of one to twenty rows is cheaper written into its layer.
        """
        small = {n: df for n, df in self.datasets.items() if len(df) <= INLINE_ROWS}
        spec = dict(self.spec)
        if small:
            values = {n: _records(df) for n, df in small.items()}
            spec["layer"] = [
                {**layer, "data": {"values": values[layer["data"]["name"]]}}
                if layer.get("data", {}).get("name") in values
                else layer
                for layer in spec["layer"]
            ]
        spec["datasets"] = {n: df for n, df in self.datasets.items() if n not in small}
        return spec

    def to_dict(self) -> dict[str, Any]:
        records = {name: _records(df) for name, df in self.datasets.items()}
        return {"$schema": SCHEMA, **self.spec, "datasets": records}

    def to_altair(self):
        """The same chart as an Altair object (for notebooks; imports Altair)."""
        import altair as alt

        return alt.Chart.from_dict(self.to_dict(), validate=False)

    def _repr_mimebundle_(self, *args, **kwargs):  # pragma: no cover - notebook display
        return self.to_altair()._repr_mimebundle_(*args, **kwargs)


def _in_order(column: pd.Series) -> list:
    """The column's distinct values in order of appearance (read through ``tolist``: a
    string column iterated value by value costs ~100x more)."""
    return list(dict.fromkeys(column.tolist()))


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of Python scalars (``tolist`` converts numpy types; fast for few rows)."""
    columns = {str(name): df[name].to_numpy().tolist() for name in df.columns}
    return [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]


# --- shared helpers -----------------------------------------------------------------------


def _finite(df: pd.DataFrame, columns: Sequence[str], cap: float | None = None) -> pd.DataFrame:
    """Cap ±inf (and values beyond ``cap``) at the axis limit; drop rows still undefined."""
    clean = True
    for col in columns:
        values = df[col].to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            if not np.isfinite(values).all() or (cap is not None and (np.abs(values) > cap).any()):
                clean = False
                break
    if clean:  # the common case: nothing to do, no copy
        return df
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


def _half_step(values: pd.Series) -> float:
    """Half the spacing of an even grid's coordinate (1 for a single value)."""
    unique = np.unique(values.to_numpy(dtype=float))
    return float(unique[1] - unique[0]) / 2 if len(unique) > 1 else 0.5


def _legend(names: Sequence[str], title: str | None = None) -> dict[str, Any] | None:
    """No legend for a single series (the axis title names it); two columns for many."""
    if len(names) <= 1:
        return None
    legend: dict[str, Any] = {"columns": 2 if len(names) > 2 else 0}
    if title:
        legend["title"] = title
    return legend


LEGEND_ROW = 26
SLANTED_LABELS = 60
"""Pixels a chart grows by for each legend row past the first, and for slanted class names:
the chart's height is fixed, so without them a long legend squeezes the plot to a strip."""


def _legend_growth(names: Sequence[str]) -> int:
    """Extra height for the rows of ``_legend(names)`` beyond the first."""
    rows = (len(names) + 1) // 2 if len(names) > 2 else 1
    return LEGEND_ROW * (rows - 1)


def _series_scales(names: Sequence[str]) -> tuple[dict, dict]:
    """Colour and dash scales over ``names``: a loss's series (named by its label) keeps its
    registry style (``xent.losses``) on every page; other series are styled by order."""
    styles = line_styles()
    shown = {tr(label): style for label, style in styles.items()}  # a label as it is shown
    colors, dashes = [], []
    for i, name in enumerate(names):
        style = styles.get(name) or shown.get(name)
        if style is None:
            colors.append(CLASS_COLORS[i % len(CLASS_COLORS)])
            dashes.append(list(DASHES[i % len(DASHES)]))
        else:
            colors.append(OKABE_ITO.get(style.color, style.color))
            dashes.append(list(style.dash))
    return {"domain": list(names), "range": colors}, {"domain": list(names), "range": dashes}


def _shown(df: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """``df`` with its text ``columns`` (series names, labels: English in the frames, the
    cached data shared by every session) in the reader's language, through ``tr``; the frame
    itself in English or when nothing changes. Numbers are never touched."""
    if i18n.language() == i18n.DEFAULT:
        return df
    changed = {}
    for column in columns:
        if column not in df:
            continue
        values = {v: tr(v) for v in _in_order(df[column]) if isinstance(v, str)}
        if any(v != shown for v, shown in values.items()):
            changed[column] = df[column].map(lambda v, values=values: values.get(v, v))
    return df.assign(**changed) if changed else df


def _js(text: str) -> str:
    """``text`` as a single-quoted string literal of a Vega expression (Japanese as is).

    >>> _js("it's")
    "'it\\\\'s'"
    """
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _text(text: Any) -> Any:
    """A caller's title in the reader's language: ``tr`` of a string marked with ``N_``
    somewhere (a string already translated, or never marked, stays as it is)."""
    return tr(text) if isinstance(text, str) and text else text


_UNSET: Any = object()


def _q(field: str, title: str | None = _UNSET, **kw) -> dict[str, Any]:
    """A quantitative channel; ``title=None`` hides the title, leaving it out keeps the field's."""
    enc: dict[str, Any] = {"field": field, "type": "quantitative"}
    if title is not _UNSET:
        enc["title"] = title
    return {**enc, **kw}


def _n(field: str, title: str | None = _UNSET, **kw) -> dict[str, Any]:
    """A nominal channel, like ``_q``."""
    enc: dict[str, Any] = {"field": field, "type": "nominal"}
    if title is not _UNSET:
        enc["title"] = title
    return {**enc, **kw}


def _tip(field: str, title: str, kind: str = "quantitative", fmt: str | None = None) -> dict:
    tip = {"field": field, "type": kind, "title": title}
    if fmt:
        tip["format"] = fmt
    return tip


def _layer(data: str, mark: dict[str, Any], encoding: dict[str, Any], **extra) -> dict:
    return {"data": {"name": data}, "mark": mark, "encoding": encoding, **extra}


def _dashed_rule(data: str, y_title: str) -> dict:
    """A dashed horizontal reference line (a floor such as H(p), or a target), labelled."""
    return _layer(
        data,
        {"type": "rule", "color": FLOOR, "strokeDash": [6, 4], "strokeWidth": 2},
        {
            "y": _q("y"),
            "tooltip": [_tip("label", tr("line"), "nominal"), _tip("y", y_title, fmt=".4g")],
        },
    )


def _wrapped(note: str) -> list[str]:
    """A note's lines: 36 characters in English; in Japanese (a character about twice as wide,
    no spaces between words) one sentence to a line, 24 characters at most."""
    if i18n.language() == i18n.DEFAULT:
        return textwrap.wrap(note, 36)
    sentences = [part for part in re.split(r"(?<=。)\s*", note) if part.strip()]
    return [line for sentence in sentences for line in textwrap.wrap(sentence, 24)]


def _title(title: str | None, subtitle: str | Sequence[str] | None) -> Any:
    # a caller's text marked with N_ (or already translated: then tr leaves it as it is)
    title = _text(title)
    subtitle = _text(subtitle) if isinstance(subtitle, str) else [_text(s) for s in subtitle or []]
    lines = _wrapped(subtitle) if isinstance(subtitle, str) else list(subtitle or [])
    if lines and title:
        return {"text": title, "subtitle": lines}
    if lines:  # a note alone (e.g. "clipped at L = 4") reads as a small italic title
        return {"text": lines, "fontSize": FONT_SIZES["subtitle"], "fontStyle": "italic"}
    return title or ""


def _finish(
    layers: list[dict],
    datasets: dict[str, pd.DataFrame],
    *,
    height: int = HEIGHT,
    title: str | None = None,
    subtitle: str | Sequence[str] | None = None,
    description: str | None = None,
    resolve: dict | None = None,
) -> Chart:
    """The common look: container width, projector-sized fonts, legend below."""
    spec: dict[str, Any] = {
        "width": "container",
        "height": height,
        "title": _title(title, subtitle),
        "config": CONFIG,
        "layer": layers,
    }
    description = description or data_summary(layers, datasets)
    if description:
        spec["description"] = description
    if resolve:
        spec["resolve"] = resolve
    return Chart(spec, datasets)


SUMMARY_SERIES = 4
"""Most series a chart's data summary names (a legend says the rest)."""


def _line_layers(layers: list[dict], datasets: Mapping[str, pd.DataFrame]):
    """(frame, (x field, x title), y field, series field or None, y title) of each drawn line
    layer."""
    for layer in layers:
        mark = layer.get("mark")
        kind = mark.get("type") if isinstance(mark, dict) else mark
        frame = datasets.get(layer.get("data", {}).get("name"))
        enc = layer.get("encoding", {})
        x, y = enc.get("x", {}), enc.get("y", {})
        if kind != "line" or frame is None or "field" not in x or "field" not in y:
            continue
        if x["field"] not in frame or y["field"] not in frame:
            continue
        series = enc.get("color", {}).get("field")
        series = series if series in frame else None
        yield frame, (x["field"], x.get("title") or x["field"]), y["field"], series, y.get("title")


def data_summary(layers: list[dict], datasets: Mapping[str, pd.DataFrame]) -> str:
    """A line chart's data in words for a screen reader, in place of its raw marks: for each
    line (up to ``SUMMARY_SERIES``), where it starts, where it ends and its minimum.
    Empty for a chart without lines."""
    parts = []
    for frame, (x, x_title), y, series, y_title in _line_layers(layers, datasets):
        groups = frame.groupby(series, sort=False) if series else [(None, frame)]
        for name, group in list(groups)[:SUMMARY_SERIES]:
            group = group[np.isfinite(group[y].to_numpy(dtype=float))]
            if group.empty:
                continue
            lowest = group.loc[group[y].idxmin()]
            first, last = group.iloc[0], group.iloc[-1]
            numbers = {
                "quantity": y_title or y,
                "x_name": x_title,
                "first_y": f"{first[y]:.3g}",
                "first_x": f"{first[x]:.3g}",
                "last_y": f"{last[y]:.3g}",
                "last_x": f"{last[x]:.3g}",
                "low_y": f"{lowest[y]:.3g}",
                "low_x": f"{lowest[x]:.3g}",
            }
            if name is None:
                text = tr(
                    "{quantity} starts at {first_y} ({x_name} {first_x}), ends at {last_y} "
                    "({x_name} {last_x}), lowest {low_y} at {x_name} {low_x}.",
                    **numbers,
                )
            else:
                text = tr(
                    "{series_name}: {quantity} starts at {first_y} ({x_name} {first_x}), ends at "
                    "{last_y} ({x_name} {last_x}), lowest {low_y} at {x_name} {low_x}.",
                    series_name=name,
                    **numbers,
                )
            parts.append(text)
        if parts:
            break  # the first line layer is the chart's data; later ones are guides
    return " ".join(parts)


# Where a label sits relative to its anchor point: text-mark alignment and offsets.
PLACES: Mapping[str, dict[str, Any]] = {
    "above": {"align": "center", "baseline": "bottom", "dy": -12},
    "below": {"align": "center", "baseline": "top", "dy": 12},
    "left": {"align": "right", "baseline": "middle", "dx": -10},
    "right": {"align": "left", "baseline": "middle", "dx": 10},
    "above-left": {"align": "right", "baseline": "bottom", "dx": -8, "dy": -12},
    "above-right": {"align": "left", "baseline": "bottom", "dx": 8, "dy": -12},
    "below-left": {"align": "right", "baseline": "top", "dx": -8, "dy": 12},
    "below-right": {"align": "left", "baseline": "top", "dx": 8, "dy": 12},
}
LABEL_LIMIT = {"expr": "max(48, width / 2 - 14)"}
"""Longest label on a chart, in pixels: half the plot's width (a label points away from the
nearer edge, so half the width always fits); longer text ends in an ellipsis."""


def _label_layers(data: str, places: pd.Series, mark: dict, encoding: dict) -> list[dict]:
    """Text labels, one layer per placement used (see ``PLACES``), cut to ``LABEL_LIMIT``;
    rows placed ``"none"`` are left unlabelled (no room; their tooltip names them)."""
    return [
        _layer(
            data,
            {"type": "text", "limit": LABEL_LIMIT, **mark, **PLACES[place]},
            encoding,
            transform=[{"filter": f"datum.place == '{place}'"}],
        )
        for place in dict.fromkeys(places)
        if place != "none"
    ]


def _default_places(
    points: pd.DataFrame, x_domain: tuple[float, float], y_max: float | None
) -> list[str]:
    """Labels alternate above and below their points so that neighbours never collide; each
    points away from the nearer side edge, and below a point at the top of the axis."""
    lo, hi = x_domain
    places = []
    xs, ys = points["x"].tolist(), points["y"].tolist()
    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        vertical = "above" if i % 2 == 0 else "below"
        if y_max is not None and y > 0.8 * y_max:
            vertical = "below"
        side = "left" if x > lo + 0.55 * (hi - lo) else "right"
        places.append(f"{vertical}-{side}")
    return places


# --- curves of a function of q ------------------------------------------------------------


class _Axes(NamedTuple):
    """The x and y encodings every layer of a function chart shares."""

    x: dict
    y: dict


def _curve_layers(names: list[str], axes: _Axes, x_title: str, y_title: str) -> list[dict]:
    """The curves (colour and dash per series), the invisible hover points that carry the
    tooltip anywhere on a curve, and the rule at the hovered x."""
    color, dash = _series_scales(names)
    tips = [
        _tip("series", tr("curve"), "nominal"),
        _tip("x", x_title, fmt=".4g"),
        _tip("y", y_title, fmt=".4g"),
    ]
    hover = {
        "name": "hover",
        "select": {
            "type": "point",
            "on": "pointerover",
            "nearest": True,
            "fields": ["x"],
            "clear": "pointerout",
        },
    }
    return [
        _layer(
            "curves",
            {"type": "line", "strokeWidth": 3, "clip": True},
            {
                "x": axes.x,
                "y": axes.y,
                "color": _n("series", None, scale=color, legend=_legend(names)),
                "strokeDash": _n("series", None, scale=dash, legend=_legend(names)),
                "tooltip": tips,
            },
        ),
        _layer(
            "curves",
            {"type": "point", "size": 80, "opacity": 0, "clip": True, **SILENT},
            {"x": axes.x, "y": axes.y, "tooltip": tips},
            params=[hover],
        ),
        _layer(
            "curves",
            {"type": "rule", "color": FLOOR, "strokeWidth": 1, **SILENT},
            {"x": _q("x"), "tooltip": tips},
            transform=[{"filter": {"param": "hover", "empty": False}}],
        ),
    ]


def _zero_rule_layer() -> dict:
    """The line y = 0."""
    return _layer(
        "zero",
        {"type": "rule", "color": FLOOR, "strokeWidth": 1},
        {"y": _q("y"), "tooltip": [_tip("label", tr("line"), "nominal")]},
    )


def _segment_frame(segment: pd.DataFrame, cap: float) -> pd.DataFrame:
    """The vertical gaps, capped at the axis, with the height (``mid``) and place of each
    label: half-way up unless ``label_y`` says otherwise, left unless ``place`` does."""
    segment = _finite(segment, ["x", "y", "y2"], cap)
    segment = segment.assign(mid=(segment["y"] + segment["y2"]) / 2)
    if "label_y" in segment:
        segment = segment.assign(mid=segment["label_y"].fillna(segment["mid"]))
    if "place" not in segment:
        segment = segment.assign(place="left")
    return segment


def _segment_layers(segment: pd.DataFrame, x_title: str) -> list[dict]:
    """Each gap's label, then the gap itself as a thick vermillion rule."""
    labels = _label_layers(
        "segment",
        segment["place"],
        {"fontSize": FONT_SIZES["mark"], "fontWeight": "bold"},
        {
            "x": _q("x"),
            "y": _q("mid"),
            "text": _n("label"),
            "tooltip": [_tip("label", tr("gap"), "nominal")],
        },
    )
    rule = _layer(
        "segment",
        {"type": "rule", "color": OKABE_ITO["vermillion"], "strokeWidth": 4, "clip": True},
        {
            "x": _q("x"),
            "y": _q("y"),
            "y2": {"field": "y2"},
            "tooltip": [_tip("label", tr("gap"), "nominal"), _tip("x", x_title, fmt=".4g")],
        },
    )
    return [*labels, rule]


def _trail_layer(x_title: str, y_title: str) -> dict:
    """A gradient-descent path along the curve: one sky-blue point per step."""
    return _layer(
        "trail",
        {
            "type": "point",
            "size": 45,
            "filled": True,
            "color": OKABE_ITO["sky"],
            "opacity": 1,
            "clip": True,
            **SILENT,
        },
        {
            "x": _q("x"),
            "y": _q("y"),
            "tooltip": [
                _tip("step", tr("step t")),
                _tip("x", x_title, fmt=".4g"),
                _tip("y", y_title, fmt=".4g"),
            ],
        },
    )


def _points_frame(points, cap: float, x_domain, y_max: float | None) -> pd.DataFrame:
    """The marked points, capped at the axis, each with the place of its label: the
    caller's ``place`` where it names one of ``PLACES`` (or "none"), else the default."""
    points = _finite(points, ["x", "y"], cap)
    places = _default_places(points, x_domain, y_max)
    if "place" in points:
        known = {*PLACES, "none"}
        places = [
            given if given in known else default
            for given, default in zip(points["place"].tolist(), places, strict=True)
        ]
    return points.assign(place=places)


def _point_layers(points: pd.DataFrame, x_title: str, y_title: str) -> list[dict]:
    """The marked points (a shape per label) and their text labels."""
    point_tips = [
        _tip("label", tr("point"), "nominal"),
        _tip("x", x_title, fmt=".4g"),
        _tip("y", y_title, fmt=".4g"),
    ]
    labels = _in_order(points["label"])
    shapes = {"domain": labels, "range": list(CLASS_SHAPES[: len(labels)])}
    xy = {"x": _q("x"), "y": _q("y")}
    marks = _layer(
        "points",
        {
            "type": "point",
            "size": 220,
            "filled": True,
            "color": MARKER,
            "stroke": INK,
            "strokeWidth": 1.5,
            "opacity": 1,
        },
        {**xy, "shape": _n("label", scale=shapes, legend=None), "tooltip": point_tips},
    )
    texts = _label_layers(
        "points",
        points["place"],
        {"fontSize": FONT_SIZES["mark"], "fontWeight": "bold"},
        {**xy, "text": _n("label"), "tooltip": point_tips},
    )
    return [marks, *texts]


class _Overlays(NamedTuple):
    """What a function chart draws over its curves, each optional (None or empty: not)."""

    floor: pd.DataFrame | None
    segment: pd.DataFrame | None
    trail: pd.DataFrame | None
    points: pd.DataFrame | None

    def add_to(self, datasets: dict, cap: float, x_domain, y_max, titles) -> list[dict]:
        """Put each overlay's frame into ``datasets``; return its layers, in drawing order."""
        x_title, y_title = titles
        layers: list[dict] = []
        if self.floor is not None and len(self.floor):
            datasets["floor"] = _finite(self.floor, ["y"], cap)
            layers.append(_dashed_rule("floor", y_title))
        if self.segment is not None and len(self.segment):
            datasets["segment"] = _segment_frame(self.segment, cap)
            layers += _segment_layers(datasets["segment"], x_title)
        if self.trail is not None and len(self.trail):
            datasets["trail"] = _thin(_finite(self.trail, ["x", "y"], cap))
            layers.append(_trail_layer(x_title, y_title))
        if self.points is not None and len(self.points):
            datasets["points"] = _points_frame(self.points, cap, x_domain, y_max)
            layers += _point_layers(datasets["points"], x_title, y_title)
        return layers


def curves_chart(view, **options) -> Chart:
    """:func:`function_chart` for a ``frames.Curves`` bundle (its curves, marked points,
    floor, segment, axis top and clipping note); ``options`` as for :func:`function_chart`."""
    return function_chart(
        view.curves,
        view.points,
        floor=view.floor,
        segment=view.segment,
        y_max=view.y_max,
        note=view.note,
        **options,
    )


def _shown_overlays(*frames: pd.DataFrame | None) -> _Overlays:
    """The floor, segment, trail and points frames with their labels in the reader's
    language (each may be absent)."""
    return _Overlays(*(None if frame is None else _shown(frame, "label") for frame in frames))


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
) -> Chart:
    """Curves y(x), one per series, with labelled points, a floor and a vertical segment.

    Args:
        curves: columns ``x``, ``y``, ``series`` (one line per series, colour plus dash).
        points: columns ``x``, ``y``, ``label``: marked points (shape and text label), and
            optionally ``place`` (a key of ``PLACES``) where a label goes.
        y_max: clip the y axis here; values above it are drawn at the edge and ``note``
            (shown as the chart's title) should say so.
        floor: columns ``y``, ``label``: horizontal dashed rules (e.g. the entropy H(p)).
        segment: columns ``x``, ``y``, ``y2``, ``label``: vertical gaps (e.g. the KL term);
            optional ``place`` (a key of ``PLACES``) and ``label_y`` for the label.
        zero_rule: draw y = 0.
        trail: columns ``x``, ``y``, ``step``: a gradient-descent path drawn along the curve.
    """
    cap = y_max if y_max is not None else 1e12
    # Curves keep their values beyond the axis (the clipped line leaves through the top
    # edge); only ±inf is capped, far above. Marked points are capped at the edge.
    curves = _thin(_finite(curves, ["x", "y"], 1e6), key="x")  # a fifth loss stays in MAX_ROWS
    curves = _shown(curves, "series")
    x_title, y_title = _text(x_title), _text(y_title)
    names = _in_order(curves["series"])
    y_scale = {"domain": [y_min if y_min is not None else 0.0, y_max]} if y_max else {}
    axes = _Axes(
        _q("x", x_title, scale={"domain": list(x_domain)}), _q("y", y_title, scale=y_scale)
    )
    datasets = {"curves": curves}
    layers = _curve_layers(names, axes, x_title, y_title)
    if zero_rule:
        datasets["zero"] = pd.DataFrame({"y": [0.0], "label": [tr("zero")]})
        layers.append(_zero_rule_layer())
    overlays = _shown_overlays(floor, segment, trail, points)
    layers += overlays.add_to(datasets, cap, x_domain, y_max, (x_title, y_title))
    return _finish(
        layers,
        datasets,
        height=height + _legend_growth(names),
        title=title,
        subtitle=note,
        description=description,
    )


# --- trajectories over gradient-descent steps --------------------------------------------


def _step_line_layers(axes: _Axes, color: dict, dash: dict, tips: list[dict]) -> list[dict]:
    """One line per series over the steps, and invisible points that carry the tooltip."""
    return [
        _layer(
            "steps",
            {"type": "line", "strokeWidth": 3, "clip": True},
            {"x": axes.x, "y": axes.y, "color": color, "strokeDash": dash, "tooltip": tips},
        ),
        _layer(
            "steps",
            {"type": "point", "size": 60, "opacity": 0, **SILENT},
            {"x": axes.x, "y": axes.y, "tooltip": tips},
        ),
    ]


SHAPE_POINTS = 10
"""Points a series gets its shape at, when its dash alone would repeat another series'."""


def _shape_layer(df: pd.DataFrame, names: list[str], color_enc: dict) -> tuple[pd.DataFrame, dict]:
    """With more series than dash patterns (K >= 7 classes), each line also carries its own
    point shape at ``SHAPE_POINTS`` steps, so that no two series differ by colour alone
    (7 classes had Kite and Umbrella identical under deuteranopia)."""
    steps = np.unique(df["step"].to_numpy())
    picked = steps[np.linspace(0, len(steps) - 1, min(SHAPE_POINTS, len(steps))).astype(int)]
    shapes = {
        "domain": names,
        "range": [CLASS_SHAPES[i % len(CLASS_SHAPES)] for i in range(len(names))],
    }
    legend = {**(_legend(names) or {}), "symbolDash": [1, 0], "symbolStrokeWidth": 1}
    layer = _layer(
        "shapes",
        {
            "type": "point",
            "size": 80,
            "filled": True,
            "stroke": INK,
            "strokeWidth": 1,
            "opacity": 1,
            **SILENT,
        },
        {
            "x": _q("step"),
            "y": _q("value"),
            "color": color_enc,
            "shape": _n("series", None, scale=shapes, legend=legend),
        },
    )
    return df[df["step"].isin(picked)], layer


def _guide_layers(datasets: dict, names: list[str], color_enc: dict, target_spec) -> list[dict]:
    """A step chart's shapes (more series than dashes) and target rules, their data added to
    ``datasets``; ``target_spec`` is (target frame or None, cap, y title)."""
    target, cap, y_title = target_spec
    layers = []
    if len(names) > len(DASHES):
        datasets["shapes"], shape_layer = _shape_layer(datasets["steps"], names, color_enc)
        layers.append(shape_layer)
    if target is not None and len(target):
        datasets["target"] = _target_frame(target, cap)
        layers += _target_layers(y_title)
    return layers


def _target_frame(target: pd.DataFrame, cap: float) -> pd.DataFrame:
    """The target lines, capped at the axis. The highest is labelled above itself, the
    others below theirs, so that two nearby lines (p̂ close to p) never print their labels
    over each other."""
    target = _finite(target, ["y"], cap)
    y = target["y"].to_numpy()
    below = y < y.max() if len(np.unique(y)) == len(y) else np.arange(len(y)) > 0
    return target.assign(below=below)


def _target_layers(y_title: str) -> list[dict]:
    """The dashed target rules and their labels, above or below each line."""
    labels = [
        _layer(
            "target",
            {"type": "text", "align": "right", "dx": -4, "dy": dy, "fontSize": FONT_SIZES["mark"]},
            {
                "x": {"value": "width"},
                "y": _q("y"),
                "text": _n("label"),
                "tooltip": [_tip("label", tr("line"), "nominal")],
            },
            transform=[{"filter": f"datum.below == {str(below).lower()}"}],
        )
        for below, dy in ((False, -8), (True, 16))
    ]
    return [_dashed_rule("target", y_title), *labels]


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
    max_rows: int = MAX_ROWS,
) -> Chart:
    """Values over gradient-descent steps, one line per series, with a scrubber marker.

    Args:
        df: columns ``step``, ``value``, ``series``.
        marker_step: draw a vertical rule and a point per series at this step.
        target: columns ``y``, ``label``: horizontal dashed rules (e.g. q = p).
        max_rows: thin the steps (every k-th, and the last) to at most this many rows.
    """
    cap = y_max if y_max is not None else 1e12
    df = _shown(_thin(_finite(df, ["value"], cap), max_rows=max_rows), "series")
    target = None if target is None else _shown(target, "label")
    y_title = _text(y_title)
    names = _in_order(df["series"])
    if y_max is not None:
        y_scale = {"domain": [y_min if y_min is not None else 0.0, y_max]}
    else:
        y_scale = {"zero": False}
    axes = _Axes(
        _q("step", tr("step t"), axis={"tickMinStep": 1, "format": "d"}),
        _q("value", y_title, scale=y_scale),
    )
    tips = [
        _tip("series", tr("series"), "nominal"),
        _tip("step", tr("step t")),
        _tip("value", y_title, fmt=".4g"),
    ]
    color, dash = _series_scales(names)
    color_enc = _n("series", None, scale=color, legend=_legend(names))
    datasets = {"steps": df}
    shaped = len(names) > len(DASHES)  # the legend shows shapes, the dashes repeat
    dash_enc = _n("series", None, scale=dash, legend=None if shaped else _legend(names))
    layers = _step_line_layers(axes, color_enc, dash_enc, tips)
    layers += _guide_layers(datasets, names, color_enc, (target, cap, y_title))
    if marker_step is not None and len(df):
        steps = df["step"].to_numpy()
        nearest = steps[int(np.abs(steps - marker_step).argmin())]
        datasets["marker"] = df[steps == nearest]
        layers.append(_marker_layer(color_enc, tips))
    return _finish(
        layers,
        datasets,
        height=height + _legend_growth(names),
        title=title,
        subtitle=note,
        description=description,
    )


def _marker_layer(color_enc: dict, tips: list[dict]) -> dict:
    """The scrubber: a rule and one point per series at the current step, as one layer named
    ``"marker"`` whose data (named ``"marker"`` too, with a ``step`` field) a client-side
    player can replace to move it without a rerun."""
    return {
        "name": "marker",
        "data": {"name": "marker"},
        "layer": [
            {
                "mark": {"type": "rule", "color": MARKER, "strokeWidth": 2},
                "encoding": {"x": _q("step"), "tooltip": [_tip("step", tr("marker at step t"))]},
            },
            {
                "mark": {
                    "type": "point",
                    "size": 160,
                    "filled": True,
                    "stroke": INK,
                    "opacity": 1,
                },
                "encoding": {
                    "x": _q("step"),
                    "y": _q("value"),
                    "color": color_enc,
                    "tooltip": tips,
                },
            },
        ],
    }


PHASE_SHAPES = {N_("crosses ½"): "circle", N_("settled within threshold"): "diamond"}
"""The race's phase marks: where a run crosses to the right side of ½, where it arrives."""
PHASE_OPACITY = {N_("escape to ½"): 1.0, N_("approach to goal"): 0.45, N_("not reached"): 0.15}
"""The race's bars: escaping the mistake solid, approaching the goal lighter, the budget
left unreached faint."""


def _half_rule() -> list[dict]:
    """The decision line q = ½, dotted, labelled at its left end."""
    enc = {"y": _q("y"), "tooltip": [_tip("label", tr("line"), "nominal")]}
    return [
        _layer(
            "half", {"type": "rule", "color": FLOOR, "strokeDash": [2, 3], "strokeWidth": 2}, enc
        ),
        _layer(
            "half",
            {"type": "text", "align": "center", "dy": -10, "fontSize": FONT_SIZES["mark"]},
            {**enc, "x": {"value": {"expr": "width / 2"}}, "text": _n("label")},
        ),
    ]


def _phase_layer(names: Sequence[str]) -> dict:
    """The race's phase marks (data ``"phases"``): one point per run and phase, coloured by
    loss, shaped by phase (``PHASE_SHAPES``)."""
    color, _ = _series_scales(names)
    shapes = {"domain": [tr(p) for p in PHASE_SHAPES], "range": list(PHASE_SHAPES.values())}
    return _layer(
        "phases",
        {"type": "point", "size": 170, "filled": True, "stroke": INK, "opacity": 1},
        {
            "x": _q("step"),
            "y": _q("value"),
            "color": _n("series", None, scale=color, legend=None),
            "shape": _n("phase", None, scale=shapes, legend=None),
            "tooltip": [
                _tip("series", tr("loss"), "nominal"),
                _tip("text", tr("phase"), "nominal"),
                _tip("value", tr("prediction q"), fmt=".3f"),
            ],
        },
    )


def race_chart(
    q: pd.DataFrame,
    marks: pd.DataFrame,
    goals: pd.DataFrame,
    *,
    half: bool = True,
    height: int = HEIGHT,
    max_rows: int = MAX_ROWS,
    description: str | None = None,
) -> Chart:
    """The race: q over the steps per loss (``step_chart``), the decision line q = ½, and
    each run's phase marks.

    Args:
        q: columns ``step``, ``value``, ``series``.
        marks: columns ``series``, ``step``, ``value``, ``phase`` (a key of ``PHASE_SHAPES``),
            ``text``: a point where each run crosses ½ and where it comes within the threshold.
        goals: columns ``y``, ``label``: the dashed goal lines (p, and a loss's own
            minimiser where it is not p).
        half: draw the line q = ½ (not at p = ½, where there is no wrong side).
    """
    base = step_chart(
        q,
        y_title=tr("prediction q"),
        target=goals,
        y_max=1.0,
        height=height + (40 if len(marks) else 0),  # room for the two-line subtitle
        max_rows=max_rows,
        description=description,
        # named in the subtitle: a legend of the shapes beside the losses' ran off a phone
        note=[tr("● where a run crosses ½"), tr("◆ where it comes within the threshold")]
        if len(marks)
        else None,
    )
    layers, datasets = list(base.spec["layer"]), dict(base.datasets)
    if half:
        datasets["half"] = pd.DataFrame({"y": [0.5], "label": [tr("decision line q = ½")]})
        layers += _half_rule()
    if len(marks):
        datasets["phases"] = _shown(marks, "series", "phase", "text")
        layers.append(_phase_layer([tr(name) for name in _in_order(q["series"])]))
    return Chart({**base.spec, "layer": layers}, datasets)


def race_bars(
    segments: pd.DataFrame,
    totals: pd.DataFrame,
    *,
    budget: int,
    title: str | None = None,
    height: int | None = None,
) -> Chart:
    """Each loss's steps as one bar in two parts: escaping the mistake, then approaching.

    Args:
        segments: columns ``series``, ``phase`` (a key of ``PHASE_OPACITY``), ``start``,
            ``end`` (steps); a run that never arrives ends in a faint last part
            up to the budget.
        totals: columns ``series``, ``end``, ``text``: the label at the end of each bar.
        budget: the step budget (the axis reaches at least this far when a run falls short).
    """
    segments, totals = _shown(segments, "series", "phase"), _shown(totals, "series", "text")
    loss_tip = _tip("series", tr("loss"), "nominal")
    names = _in_order(totals["series"])
    color, _ = _series_scales(names)
    y = _n("series", None, sort=names, axis={"labelLimit": 200})
    opacity = {"domain": [tr(p) for p in PHASE_OPACITY], "range": list(PHASE_OPACITY.values())}
    layers = [
        _layer(
            "segments",
            {"type": "bar", "height": {"band": 0.7}},
            {
                "y": y,
                "x": _q("start", tr("steps"), scale={"domainMin": 0}),
                "x2": {"field": "end"},
                "color": _n("series", None, scale=color, legend=None),
                "opacity": _n("phase", None, scale=opacity, legend=None),
                "tooltip": [
                    loss_tip,
                    _tip("phase", tr("phase"), "nominal"),
                    _tip("start", tr("from step")),
                    _tip("end", tr("to step")),
                ],
            },
        ),
        _layer(
            "totals",
            {"type": "text", "align": "left", "dx": 6, "fontSize": FONT_SIZES["mark"]},
            {
                "y": y,
                "x": _q("end"),
                "text": _n("text"),
                "tooltip": [loss_tip, _tip("text", tr("result"), "nominal")],
            },
        ),
    ]
    return _finish(
        layers,
        {"segments": segments, "totals": totals},
        height=height or 130 + 45 * len(names),
        title=title,
        # a legend of the phases squeezed the bars to nothing in a 300 px column
        subtitle=[tr("solid: escaping the mistake (to ½)"), tr("faded: approaching the goal")],
    )


# --- the multiclass page -------------------------------------------------------------------


def class_bars(
    df: pd.DataFrame, *, class_order: Sequence[str], title: str | None = None, height: int = HEIGHT
) -> Chart:
    """The model's softmax Q beside the target t, per class.

    Args:
        df: columns ``cls``, ``series`` (the model first, then the target), ``value``.
    """
    df = _shown(_finite(df, ["value"], 1.0), "series")
    series = _in_order(df["series"])
    color = {"domain": series, "range": [OKABE_ITO["blue"], OKABE_ITO["orange"]][: len(series)]}
    many = len(class_order) > 5  # then no value labels, and slanted class names
    enc = {
        "x": _n("cls", None, sort=list(class_order), axis=_class_axis(many, len(class_order))),
        "xOffset": _n("series", sort=series),
        "y": _q("value", tr("probability"), scale={"domain": [0, 1.1]}),
        "tooltip": [
            _tip("cls", tr("class"), "nominal"),
            _tip("series", tr("series"), "nominal"),
            _tip("value", tr("probability"), fmt=".3f"),
        ],
    }
    layers = [
        # the target is drawn hollow, the model filled: fill is a second cue beside colour
        _layer(
            "bars",
            {"type": "bar", "strokeWidth": 3},
            {
                **enc,
                "color": _n("series", None, scale=color),
                "stroke": _n("series", None, scale=color),
                "fillOpacity": {
                    "condition": {"test": f"datum.series == {_js(series[0])}", "value": 0.9},
                    "value": 0.1,
                },
            },
        ),
    ]
    if not many:
        layers.append(
            _layer(
                "bars",
                {"type": "text", "dy": -10, "fontSize": FONT_SIZES["mark"]},
                {**enc, "text": _q("value", format=".2f")},
            )
        )
    return _finish(layers, {"bars": df}, height=height + many * SLANTED_LABELS, title=title)


def _class_axis(many: bool, k: int) -> dict[str, Any]:
    """Every class name shown: level when few, each within its band; slanted when many. A
    name too long for its place ends in an ellipsis."""
    limit = 110 if many else {"expr": f"max(32, width / {k} - 8)"}
    return {"labelAngle": -40 if many else 0, "labelOverlap": False, "labelLimit": limit}


def gradient_bars(
    df: pd.DataFrame, *, class_order: Sequence[str], title: str | None = None, height: int = HEIGHT
) -> Chart:
    """Per-class gradient ∂L/∂z_k = Q_k - t_k: bars below zero push a logit up.

    Args:
        df: columns ``cls``, ``grad``, ``direction`` (a short phrase for the legend).
    """
    df = _shown(_finite(df, ["grad"], 1e6), "direction")
    directions = _in_order(df["direction"])
    palette = {
        tr("raise this logit"): OKABE_ITO["blue"],
        tr("lower this logit"): OKABE_ITO["vermillion"],
        tr("leave it"): FLOOR,
    }
    color = {"domain": directions, "range": [palette.get(d, FLOOR) for d in directions]}
    many = len(class_order) > 5
    enc = {
        "x": _n("cls", None, sort=list(class_order), axis=_class_axis(many, len(class_order))),
        "y": _q("grad", "∂L/∂zₖ = Qₖ − tₖ", scale={"domain": [-1.05, 1.05]}),
        "tooltip": [
            _tip("cls", tr("class"), "nominal"),
            _tip("grad", "∂L/∂z = Q − t", fmt="+.3f"),
            _tip("direction", tr("a gradient step will"), "nominal"),
        ],
    }
    zero = pd.DataFrame({"y": [0.0], "label": [tr("zero: no push")]})
    layers = [
        _layer(
            "grad",
            {"type": "bar"},
            {**enc, "color": _n("direction", None, scale=color, legend=_legend(directions))},
        ),
        _layer(
            "zero",
            {"type": "rule", "color": FLOOR},
            {"y": _q("y"), "tooltip": [_tip("label", tr("line"), "nominal")]},
        ),
    ]
    if not many:  # value labels above (or below) each bar; for many classes the tooltip
        for test, dy in (("datum.grad >= 0", -10), ("datum.grad < 0", 12)):
            layers.append(
                _layer(
                    "grad",
                    {"type": "text", "fontSize": FONT_SIZES["mark"], "dy": dy},
                    {**enc, "text": _q("grad", format="+.2f")},
                    transform=[{"filter": test}],
                )
            )
    growth = many * SLANTED_LABELS + _legend_growth(directions)
    return _finish(layers, {"grad": df, "zero": zero}, height=height + growth, title=title)


def _class_scales(classes: list[str]) -> tuple[dict, dict, dict | None]:
    """Colour and shape per class, and one legend for both (in columns)."""
    color = {"domain": classes, "range": list(CLASS_COLORS[: len(classes)])}
    shape = {"domain": classes, "range": list(CLASS_SHAPES[: len(classes)])}
    return color, shape, _legend(classes, tr("class"))


def _region_layer(classes: list[str], name_of: dict, half_x: float, half_y: float) -> dict:
    """The shaded regions: one rect per grid cell, coloured by the predicted class and as
    opaque as the model is sure (576 cells, named by the chart's alt text, not one by one)."""
    color, _, legend = _class_scales(classes)
    cell = [
        name_of,
        {"calculate": "datum.p / 100", "as": "conf"},
        {"calculate": f"datum.x - {half_x!r}", "as": "x0"},
        {"calculate": f"datum.x + {half_x!r}", "as": "x1"},
        {"calculate": f"datum.y - {half_y!r}", "as": "y0"},
        {"calculate": f"datum.y + {half_y!r}", "as": "y1"},
    ]
    free = {"nice": False, "zero": False}
    return _layer(
        "grid",
        {"type": "rect", **SILENT},
        {
            "x": _q("x0", tr("feature x₁"), scale=free),
            "x2": {"field": "x1"},
            "y": _q("y0", tr("feature x₂"), scale=free),
            "y2": {"field": "y1"},
            "color": _n("cls", tr("class"), scale=color, legend=legend),
            "opacity": _q("conf", scale={"domain": [0, 1], "range": [0.05, 0.55]}, legend=None),
            "tooltip": [
                _tip("cls", tr("predicted class"), "nominal"),
                _tip("conf", tr("its probability"), fmt=".2f"),
            ],
        },
        transform=cell,
    )


def _class_points_layer(classes: list[str], name_of: dict) -> dict:
    """The data points, coloured and shaped by their true class."""
    color, shape, legend = _class_scales(classes)
    return _layer(
        "points",
        {
            "type": "point",
            "size": 90,
            "filled": True,
            "stroke": INK,
            "strokeWidth": 1,
            "opacity": 1,
        },
        {
            "x": _q("x"),
            "y": _q("y"),
            "color": _n("cls", tr("class"), scale=color, legend=legend),
            "shape": _n("cls", tr("class"), scale=shape, legend=legend),
            "tooltip": [
                _tip("cls", tr("true class"), "nominal"),
                _tip("x", "x₁", fmt=".2f"),
                _tip("y", "x₂", fmt=".2f"),
            ],
        },
        transform=[name_of],
    )


def regions_chart(
    grid: pd.DataFrame,
    points: pd.DataFrame,
    *,
    class_order: Sequence[str],
    title: str | None = None,
    height: int = 360,
) -> Chart:
    """Decision regions of a softmax classifier on 2-D points.

    Args:
        grid: columns ``x``, ``y`` (cell centres of an even grid), ``c`` (predicted class
            index), ``p`` (its probability, in percent): cells shaded by confidence.
        points: columns ``x``, ``y``, ``c`` (true class index): colour and shape by class.

    The frames hold indices and small numbers only (they travel as Arrow on every rerun);
    the cell bounds, the class names (``cls``) and the probability (``conf``) are derived in
    the browser by Vega-Lite ``calculate`` transforms.
    """
    classes = list(class_order)
    grid = _finite(grid, ["x", "y"], 1e6)
    points = _finite(points, ["x", "y"], 1e6)
    name_of = {"calculate": f"{json.dumps(classes)}[datum.c]", "as": "cls"}
    layers = [
        _region_layer(classes, name_of, _half_step(grid["x"]), _half_step(grid["y"])),
        _class_points_layer(classes, name_of),
    ]
    height += _legend_growth(classes)
    return _finish(layers, {"grid": grid, "points": points}, height=height, title=title)


def _triangle_layers(axes: _Axes, places: pd.Series) -> list[dict]:
    """The probability triangle's edges and its corners' names (a corner: Q certain)."""
    corner_tips = [_tip("label", tr("corner: Q certain of"), "nominal")]
    edges = _layer(
        "tri",
        {"type": "line", "color": FLOOR, "strokeWidth": 2},
        {"x": axes.x, "y": axes.y, "order": _q("order"), "tooltip": corner_tips},
    )
    names = _label_layers(
        "corners",
        places,
        {"fontSize": FONT_SIZES["mark"]},
        {"x": axes.x, "y": axes.y, "text": _n("label"), "tooltip": corner_tips},
    )
    return [edges, *names]


def _simplex_path_layer(axes: _Axes, tips: list[dict]) -> dict:
    """The path of Q over the steps, a point per step."""
    return _layer(
        "path",
        {
            "type": "line",
            "color": OKABE_ITO["blue"],
            "strokeWidth": 3,
            "point": {"size": 30, "color": OKABE_ITO["blue"]},
        },
        {"x": axes.x, "y": axes.y, "order": _q("step"), "tooltip": tips},
    )


def _simplex_marker_layer(axes: _Axes, tips: list[dict]) -> dict:
    """The marker at the scrubber's step."""
    return _layer(
        "marker",
        {
            "type": "point",
            "size": 260,
            "filled": True,
            "color": MARKER,
            "stroke": INK,
            "strokeWidth": 1.5,
            "opacity": 1,
        },
        {"x": axes.x, "y": axes.y, "tooltip": tips},
    )


def simplex_chart(
    path: pd.DataFrame,
    corners: pd.DataFrame,
    *,
    marker_step: int | None = None,
    title: str | None = None,
    height: int = 340,
) -> Chart:
    """The path of Q = softmax(z) across the probability triangle (K = 3).

    Args:
        path: columns ``step``, ``sx``, ``sy`` (2-D position), ``Q`` (text like
            "0.24 / 0.66 / 0.10") and ``loss``.
        corners: columns ``sx``, ``sy``, ``label``: the three vertices (each a certain
            class); the target's label is starred.
    """
    path = _thin(_finite(path, ["sx", "sy", "loss"], 1e6))
    tri = pd.concat([corners, corners.iloc[[0]]], ignore_index=True).assign(order=range(4))
    axis_off = {"title": None, "labels": False, "ticks": False, "grid": False, "domain": False}
    axes = _Axes(
        _q("sx", None, scale={"domain": [-0.12, 1.12]}, axis=axis_off),
        _q("sy", None, scale={"domain": [-0.12, 1.0]}, axis=axis_off),
    )
    path_tips = [
        _tip("step", tr("step t")),
        _tip("Q", "Q", "nominal"),
        _tip("loss", "L", fmt=".3f"),
    ]
    # the top corner's name above it, the bottom ones below, each running inwards
    sx, sy = corners["sx"].to_numpy(), corners["sy"].to_numpy()
    corners = corners.assign(
        place=np.where(sy >= 0.5, "above", np.where(sx < 0.5, "below-right", "below-left"))
    )
    datasets = {"tri": tri, "corners": corners, "path": path}
    layers = [*_triangle_layers(axes, corners["place"]), _simplex_path_layer(axes, path_tips)]
    if marker_step is not None and len(path):
        datasets["marker"] = path.iloc[[int((path["step"] - marker_step).abs().argmin())]]
        layers.append(_simplex_marker_layer(axes, path_tips))
    return _finish(layers, datasets, height=height, title=title)


# --- the comparison grid -------------------------------------------------------------------


VIRIDIS_WHITE_TEXT = 0.435
"""Where a cell's label turns from white to black, as a fraction of the viridis scale: below it
the cell's luminance is under 0.181 and white text is at least 4.55:1, above it black text is at
least 4.62:1 (the scale halfway, 0.5, left white text at 3.8:1; tests/e2e measure the cells)."""


def _heatmap_fields(budget: int, reached: str) -> list[dict]:
    """Computed in the browser: the log shade, the cell's label, its tooltip, its ink."""
    dark = float(np.log(max(budget, 2)) * VIRIDIS_WHITE_TEXT)
    # "settled from step {step_number}" with the number put in by the browser
    before, _, after = tr("settled from step {step_number}").partition("{step_number}")
    diverged, cycles = _js(tr("diverged")), _js(tr("never settles: cycles"))
    short = _js(tr("not settled within {budget_steps} steps", budget_steps=int(budget)))
    return [
        {"calculate": "max(datum.steps, 1)", "as": "shade"},  # 0 steps on the log scale
        {
            "calculate": f"{reached} ? '' + datum.steps : datum.status == 'diverged' ? '✕' : "
            "datum.status == 'cycles' ? '↻' : '–'",
            "as": "short",
        },
        {
            "calculate": f"{reached} ? {_js(before)} + datum.steps + {_js(after)} : "
            f"datum.status == 'diverged' ? {diverged} : datum.status == 'cycles' ? {cycles} : "
            f"{short}",
            "as": "text",
        },
        {"calculate": f"{reached} && log(datum.shade) < {dark!r}", "as": "light_text"},
    ]


def _heatmap_layers(axes: _Axes, budget: int) -> list[dict]:
    """The cells that reached (shaded by steps, log scale), the others (by status), and
    each cell's short label in a colour that reads on its shade."""
    reached = "datum.status == 'reached'"
    derived = _heatmap_fields(budget, reached)
    tips = [
        _tip("q0", tr("start q₀"), "nominal"),
        _tip("lr", tr("learning rate η"), "nominal"),
        _tip("text", tr("result"), "nominal"),
    ]
    status_color = {
        "domain": ["not reached", "cycles", "diverged"],
        "range": ["#E8E8E8", OKABE_ITO["orange"], OKABE_ITO["vermillion"]],
    }
    shade = _q(
        "shade",
        tr("steps"),
        scale={"type": "log", "scheme": "viridis", "domain": [1, max(budget, 2)]},
        # upright beside the grid: a bar along the bottom, next to the status legend, ran
        # past the edge of a half-width or phone-width chart
        legend={
            "orient": "right",
            "direction": "vertical",
            "gradientLength": 160,
            "gradientThickness": 14,
        },
    )
    # two short names: a fixed limit, not half the (narrow) grid's width
    names = (
        f"datum.label == 'cycles' ? {_js(tr('↻ never settles'))} : datum.label == 'diverged' ? "
        f"{_js(tr('✕ diverged'))} : {_js(tr('– not within budget'))}"
    )
    # one status to a row: three in a row at 16 px ran 150 px past a phone-width grid
    status_legend = {"labelLimit": 140, "labelExpr": names, "columns": 1}
    status = _n("status", None, scale=status_color, legend=status_legend)
    text_color = {"condition": {"test": "datum.light_text", "value": "white"}, "value": "black"}
    xy = {"x": axes.x, "y": axes.y}
    return [
        _layer(
            "cells",
            {"type": "rect"},
            {**xy, "color": shade, "tooltip": tips},
            transform=[*derived, {"filter": reached}],
        ),
        _layer(
            "cells",
            {"type": "rect"},
            {**xy, "fill": status, "tooltip": tips},
            transform=[*derived, {"filter": f"!({reached})"}],
        ),
        _layer(
            "cells",
            {"type": "text", "fontSize": FONT_SIZES["mark"], **SILENT},  # the cell says it
            {**xy, "text": _n("short"), "color": text_color, "tooltip": tips},
            transform=derived,
        ),
    ]


def heatmap(
    df: pd.DataFrame,
    *,
    budget: int,
    title: str | None = None,
    subtitle: str | None = None,
    height: int = 320,
) -> Chart:
    """Steps to reach the threshold for each start q₀ and learning rate η (one loss).

    Args:
        df: columns ``q0`` and ``lr`` (labels, in order), ``steps`` (int), ``status`` (one
            of ``"reached"`` (settled), ``"not reached"``, ``"cycles"``, ``"diverged"``),
            ``text`` (cell label).
        budget: the step budget, the top of the colour scale.
    """
    # Only the columns the chart reads go to the browser (as Arrow, on every rerun); the
    # shade, the cell's label and the tooltip's text are derived there.
    df = pd.DataFrame(
        {
            "q0": df["q0"],
            "lr": df["lr"],
            "steps": df["steps"].to_numpy().astype(np.int32),
            "status": df["status"],
        }
    )
    q_order = _in_order(df["q0"])
    lr_order = _in_order(df["lr"])
    axes = _Axes(
        {
            "field": "lr",
            "type": "ordinal",
            "title": tr("learning rate η"),
            "sort": lr_order,
            "axis": {"labelAngle": -45},
        },
        {"field": "q0", "type": "ordinal", "title": tr("start q₀"), "sort": q_order},
    )
    layers = _heatmap_layers(axes, budget)
    return _finish(
        layers,
        {"cells": df},
        height=height,
        title=title,
        subtitle=subtitle,
        resolve={"scale": {"color": "independent"}},
    )
