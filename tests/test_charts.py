"""Chart builders and the frames they draw, checked through the Vega-Lite spec (to_dict)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from xent import charts, frames
from xent.lessons import comparison
from xent.losses import BINARY_LOSSES

NAMES = ("Apple", "Gorilla", "Rappa")


def layers(spec: dict):
    """Every unit view (a dict with a mark) in a spec, through layer and concat."""
    if "mark" in spec:
        yield spec
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for sub in spec.get(key, []):
            yield from layers(sub)
    if "spec" in spec:
        yield from layers(spec["spec"])


def mark_type(view: dict) -> str:
    mark = view["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def check_spec(chart, *, expect_marks: set[str]) -> dict:
    """The common look and the data rules: tooltips everywhere, finite data, few rows."""
    spec = chart.to_dict()
    views = list(layers(spec))
    assert views, "no marks"
    assert expect_marks <= {mark_type(v) for v in views}
    for view in views:
        assert "tooltip" in view.get("encoding", {}), f"{mark_type(view)} layer has no tooltip"
    assert spec["width"] == "container"
    assert spec["config"]["axis"]["labelFontSize"] >= 14
    for name, rows in spec.get("datasets", {}).items():
        assert len(rows) <= charts.MAX_ROWS, f"dataset {name} has {len(rows)} rows"
        for row in rows:
            for value in row.values():
                if isinstance(value, float):
                    assert math.isfinite(value), f"non-finite value in {name}: {row}"
    return spec


def encoded_fields(spec: dict) -> set[str]:
    return {
        enc.get("field")
        for view in layers(spec)
        for enc in view.get("encoding", {}).values()
        if isinstance(enc, dict)
    }


def test_q_grid_is_dense_at_both_ends_and_small():
    g = frames.q_grid()
    assert len(g) <= 300
    assert (np.diff(g) > 0).all()
    assert (g < 1e-3).sum() >= 20
    assert (g > 1 - 1e-3).sum() >= 20


@pytest.mark.parametrize(("p", "q"), [(0.2, 0.6), (0.0, 0.5), (1.0, 0.0), (0.5, 1.0), (0.2, 0.2)])
def test_bernoulli_curve_chart(p, q):
    loss_view, grad_view = frames.bernoulli_curves(p, q)
    v = loss_view.at
    assert pytest.approx(v.H + v.KL) == v.L or math.isinf(v.L)
    spec = check_spec(
        charts.function_chart(
            loss_view.curves,
            loss_view.points,
            floor=loss_view.floor,
            segment=loss_view.segment,
            y_max=loss_view.y_max,
            note=loss_view.note,
            x_title="q",
            y_title="L",
        ),
        expect_marks={"line", "point", "rule", "text"},
    )
    # the y axis is clipped and the chart says so
    line = next(view for view in layers(spec) if mark_type(view) == "line")
    assert line["encoding"]["y"]["scale"]["domain"][1] == loss_view.y_max
    assert "Clipped" in str(spec["title"])
    check_spec(
        charts.function_chart(
            grad_view.curves, grad_view.points, x_title="q", y_title="dL/dz", zero_rule=True
        ),
        expect_marks={"line", "point"},
    )


def test_infinite_point_is_drawn_on_the_edge_not_as_inf():
    loss_view, _ = frames.bernoulli_curves(1.0, 0.0)
    assert math.isinf(loss_view.at.L)
    assert "∞" in loss_view.note
    chart = charts.function_chart(
        loss_view.curves, loss_view.points, y_max=loss_view.y_max, x_title="q", y_title="L"
    )
    check_spec(chart, expect_marks={"point"})


def test_a_chart_caps_infinite_values_and_drops_undefined_ones():
    """What a curve chart sends: ±inf drawn at ±1e6 (beyond any axis: the line leaves
    through the edge), NaN rows left out (Vega-Lite has no number for them)."""
    df = pd.DataFrame(
        {"x": [0.0, 1.0, 2.0, 3.0], "y": [1.0, np.inf, -np.inf, np.nan], "series": "L"}
    )
    spec = charts.function_chart(df, x_title="q", y_title="L").to_dict()
    rows = next(rows for name, rows in spec["datasets"].items() if name.startswith("curves"))
    assert [(row["x"], row["y"]) for row in rows] == [(0.0, 1.0), (1.0, 1e6), (2.0, -1e6)]


def test_step_chart_thins_long_runs_and_marks_the_step():
    steps = np.arange(3001)
    df = pd.DataFrame({"step": steps, "value": np.exp(-steps / 300), "series": "q"})
    spec = check_spec(
        charts.step_chart(
            df, y_title="q", marker_step=1234, target=pd.DataFrame({"y": [0.2], "label": ["p"]})
        ),
        expect_marks={"line", "rule", "point"},
    )
    assert {"step", "value", "series"} <= encoded_fields(spec)


def test_neuron_and_path_charts():
    run = frames.neuron_run((1.0, 0.5), 0.2, (2.0, -1.0), 1.0, 40)
    assert run.summary.q_end == pytest.approx(0.2, abs=1e-3)
    for df in (run.q, run.loss, run.weights):
        check_spec(charts.step_chart(df, y_title="v", marker_step=10), expect_marks={"line"})
    loss_view, _ = frames.bernoulli_curves(0.2, 0.6)
    check_spec(
        charts.function_chart(
            loss_view.curves, loss_view.points, trail=run.path, x_title="q", y_title="L"
        ),
        expect_marks={"line", "point"},
    )


def test_chain_rule_table_matches_finite_difference():
    table, v = frames.chain_rule_table((1.0, 0.5), np.array([2.0, -1.0]), 0.2)
    assert v.max_diff < 1e-6
    assert len(table) == 2


def test_multiclass_charts():
    view = frames.softmax_view((2.0, 1.0, 0.1), 1, NAMES, 0.0)
    assert pytest.approx(-math.log(view.at.q_true)) == view.at.L
    assert abs(view.at.grad.sum()) < 1e-12
    check_spec(charts.class_bars(view.bars, class_order=NAMES), expect_marks={"bar", "text"})
    check_spec(charts.gradient_bars(view.grad, class_order=NAMES), expect_marks={"bar", "text"})
    run = frames.logit_descent((2.0, 1.0, 0.1), 1, NAMES, 0.0, 1.0, 30)
    check_spec(charts.step_chart(run.probs, y_title="Q", marker_step=5), expect_marks={"line"})
    check_spec(
        charts.simplex_chart(run.simplex, run.corners, marker_step=5),
        expect_marks={"line", "text", "point"},
    )
    reg = frames.softmax_regression_run(3, NAMES, 30, 1.0, 0, 0.3, 100, 50)
    assert len(reg.grid) <= 900
    spec = check_spec(
        charts.regions_chart(reg.grid, reg.points, class_order=NAMES),
        expect_marks={"rect", "point"},
    )
    assert {"cls", "conf"} <= encoded_fields(spec)


def test_label_smoothing_softens_the_target():
    view = frames.softmax_view((2.0, 1.0, 0.1), 1, NAMES, 0.3)
    assert view.at.t.min() == pytest.approx(0.1)
    assert view.at.t.sum() == pytest.approx(1.0)


def test_comparison_charts():
    names = tuple(BINARY_LOSSES)
    loss_view, grad_view = frames.comparison_curves(1.0, names, 0.01)
    for view in (loss_view, grad_view):
        spec = check_spec(
            charts.function_chart(
                view.curves, view.points, y_max=view.y_max, x_title="q", y_title="L"
            ),
            expect_marks={"line"},
        )
        assert len(spec["layer"][0]["encoding"]["color"]["scale"]["domain"]) == len(names)
    race = comparison.race(1.0, 0.01, 1.0, 300, 0.05, names)
    ce, se = (int(run.phases.arrival[0]) for run in race.runs[:2])
    assert 0 < ce < se
    check_spec(comparison.race_chart(race), expect_marks={"line", "rule", "point"})
    check_spec(comparison.race_bars(race), expect_marks={"bar", "text"})
    grid = comparison.grid(1.0, 300, 0.05, names)
    assert set(grid.table.columns) >= {"loss", "q0", "lr", "steps_to_reach", "diverged"}
    for i in range(len(grid.losses)):
        check_spec(comparison.grid_chart(grid, i), expect_marks={"rect", "text"})


def test_divergence_and_cycling_are_categories_of_their_own():
    # p = 0.5: cross-entropy's step condition |1 − η/4| < 1 fails for η = 10, 30, 100
    df = frames.comparison_grid(0.5, 200, 0.05, ("cross_entropy",)).losses[0].cells
    assert set(df["status"]) <= {"reached", "not reached", "cycles", "diverged"}
    assert set(df.loc[df["status"] == "cycles", "lr"]) == {"10", "30", "100"}
    spec = charts.heatmap(df, budget=200).to_dict()
    fills = [v["encoding"].get("fill") for v in layers(spec) if "fill" in v.get("encoding", {})]
    assert fills
    assert {"diverged", "cycles"} <= set(fills[0]["scale"]["domain"])


def test_bernoulli_points_keep_their_shape_across_charts():
    """The minimum (q = p) and the model's point have one shape each on both Bernoulli charts."""
    loss_view, grad_view = frames.bernoulli_curves(0.2, 0.6)

    def shapes(view):
        spec = charts.function_chart(view.curves, view.points, x_title="q", y_title="y").to_dict()
        layer = next(la for la in spec["layer"] if "shape" in la.get("encoding", {}))
        scale = layer["encoding"]["shape"]["scale"]
        return dict(zip(scale["domain"], scale["range"], strict=True))

    loss_shapes, grad_shapes = shapes(loss_view), shapes(grad_view)
    assert loss_shapes["model q"] == grad_shapes["model q"]
    assert loss_shapes["minimum q = p"] == grad_shapes["q = p"]
    assert loss_shapes["model q"] != loss_shapes["minimum q = p"]


# --- accessibility of every chart: contrast, size, screen-reader view, named marker layer --------


def every_chart():
    """One chart from each builder, on real frames at random settings."""
    rng = np.random.default_rng(13)
    p, q = rng.uniform(0.05, 0.95, 2)
    loss_view, grad_view = frames.bernoulli_curves(p, q)
    run = frames.neuron_run((1.0, 0.5), p, (2.0, -1.0), 1.0, 40)
    yield charts.function_chart(
        loss_view.curves,
        loss_view.points,
        floor=loss_view.floor,
        segment=loss_view.segment,
        y_max=loss_view.y_max,
        note=loss_view.note,
        trail=run.path,
        x_title="q",
        y_title="L",
        title="loss",
    )
    yield charts.function_chart(
        grad_view.curves, grad_view.points, x_title="q", y_title="dL/dz", zero_rule=True
    )
    target = pd.DataFrame({"y": [p], "label": ["p"]})
    yield charts.step_chart(run.q, y_title="q", marker_step=10, target=target)
    view = frames.softmax_view((2.0, 1.0, 0.1), 1, NAMES, 0.0)
    yield charts.class_bars(view.bars, class_order=NAMES)
    yield charts.gradient_bars(view.grad, class_order=NAMES)
    descent = frames.logit_descent((2.0, 1.0, 0.1), 1, NAMES, 0.0, 1.0, 30)
    yield charts.simplex_chart(descent.simplex, descent.corners, marker_step=5)
    reg = frames.softmax_regression_run(3, NAMES, 30, 1.0, 0, 0.3, 100, 50)
    yield charts.regions_chart(reg.grid, reg.points, class_order=NAMES)
    names = tuple(BINARY_LOSSES)
    race = comparison.race(1.0, 0.01, 1.0, 300, 0.05, names)
    yield comparison.race_chart(race)
    yield comparison.race_bars(race)
    yield comparison.grid_chart(comparison.grid(1.0, 300, 0.05, names), 0)


def theme_colours() -> dict[str, tuple[str, str]]:
    """(background, text colour) of each theme, read from .streamlit/config.toml."""
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).parents[1] / ".streamlit/config.toml").read_text())
    return {
        name: (config["theme"][name]["backgroundColor"], config["theme"][name]["textColor"])
        for name in ("light", "dark")
    }


def wcag_contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two #RRGGBB colours (the formula of its definition)."""

    def luminance(hex_colour: str) -> float:
        srgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
        linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
        return float(linear @ [0.2126, 0.7152, 0.0722])

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_colours(spec: dict) -> list[tuple[str, object]]:
    """Every colour chart text is drawn in outside a heatmap cell: config and text marks."""
    config = spec["config"]
    found = [("config.text", config["text"]["color"])]
    for part in ("axis", "legend"):
        found += [(f"config.{part}.{k}", config[part][k]) for k in ("labelColor", "titleColor")]
    found += [(f"config.title.{k}", config["title"][k]) for k in ("color", "subtitleColor")]
    for view in layers(spec):
        mark = view["mark"]
        colour = view.get("encoding", {}).get("color", {})
        if mark_type(view) == "text" and "condition" not in colour:
            found.append(("text mark", mark.get("color", config["text"]["color"])))
    return found


def test_wcag_formula_matches_known_ratios():
    assert wcag_contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert wcag_contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert wcag_contrast("#808495", "#FFFFFF") == pytest.approx(3.72, abs=0.01)


def test_every_chart_text_passes_aa_in_both_themes():
    """Chart text is drawn in ``currentColor`` (the theme's text colour, resolved by the
    browser on every theme switch); a hex colour must pass on both backgrounds itself."""
    themes = theme_colours()
    for chart in every_chart():
        for where, colour in text_colours(chart.to_dict()):
            for theme, (background, text) in themes.items():
                drawn = text if colour == "currentColor" else colour
                ratio = wcag_contrast(drawn, background)
                assert ratio >= 4.5, f"{where} {colour} is {ratio:.2f}:1 in the {theme} theme"


def test_heatmap_numbers_contrast_with_their_cells():
    """Heatmap numbers sit on their cell: white on dark viridis cells, black on light ones."""
    rng = np.random.default_rng(7)
    grid = frames.comparison_grid(rng.uniform(0.1, 0.9), 300, 0.05, ("cross_entropy",))
    spec = charts.heatmap(grid.losses[0].cells, budget=300).to_dict()
    text = next(v for v in layers(spec) if mark_type(v) == "text")
    condition = text["encoding"]["color"]
    assert {condition["condition"]["value"], condition["value"]} == {"white", "black"}


def test_no_chart_text_under_16_px():
    for chart in every_chart():
        spec = chart.to_dict()
        config = spec["config"]
        sizes = [config["axis"]["labelFontSize"], config["axis"]["titleFontSize"]]
        sizes += [config["legend"]["labelFontSize"], config["legend"]["titleFontSize"]]
        sizes += [config["title"]["fontSize"], config["title"]["subtitleFontSize"]]
        sizes += [v["mark"]["fontSize"] for v in layers(spec) if mark_type(v) == "text"]
        assert min(sizes) >= 16, sizes


def _luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance, written out here (not taken from the code under test)."""
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


BACKGROUNDS = {"light": "#FFFFFF", "dark": "#111418"}
"""The themes' backgrounds (.streamlit/config.toml), where every chart is drawn."""


@pytest.mark.parametrize("theme", list(BACKGROUNDS))
def test_every_line_and_marker_colour_reads_on_both_themes(theme):
    """WCAG 1.4.11: graphics at least 3:1 against their background, both themes (Okabe-Ito's
    orange was 2.25:1 on white, Tol's wine 2.12:1 on dark)."""
    colours = {*charts.OKABE_ITO.values(), *charts.CLASS_COLORS, charts.MARKER, charts.FLOOR}
    low = {c: round(_contrast(c, BACKGROUNDS[theme]), 2) for c in colours}
    assert min(low.values()) >= 3.0, {c: r for c, r in low.items() if r < 3.0}


def test_markers_are_outlined_in_the_text_colour():
    """A filled marker's outline is the theme's text colour (over 14:1 on either background),
    not white, which vanished on the light theme."""
    for chart in every_chart():
        for view in layers(chart.to_dict()):
            mark = view["mark"] if isinstance(view["mark"], dict) else {}
            if mark.get("type") == "point" and mark.get("filled") and "stroke" in mark:
                assert mark["stroke"] == "currentColor", mark


def is_invisible(view: dict) -> bool:
    mark = view["mark"]
    return mark.get("opacity") == 0 or any(
        "param" in str(f.get("filter", "")) for f in view.get("transform", [])
    )


def test_invisible_and_hover_only_marks_are_hidden_from_screen_readers():
    hidden_somewhere = 0
    for chart in every_chart():
        for view in layers(chart.to_dict()):
            if is_invisible(view):
                assert view["mark"].get("aria") is False, view["mark"]
                hidden_somewhere += 1
    assert hidden_somewhere >= 4  # the curve and step charts' hover points and hover rule


def test_step_marker_is_one_layer_named_marker_with_a_step_field():
    steps = np.arange(200)
    df = pd.DataFrame({"step": steps, "value": np.exp(-steps / 50), "series": "q"})
    chart = charts.step_chart(df, y_title="q", marker_step=77)
    spec = chart.to_dict()
    named = [layer for layer in spec["layer"] if layer.get("name") == "marker"]
    assert len(named) == 1
    marker = named[0]
    rows = spec["datasets"][marker["data"]["name"]]
    assert [row["step"] for row in rows] == [77]
    assert {mark_type(v) for v in layers(marker)} == {"rule", "point"}
    # the same layer, data inlined, reaches st.vega_lite_chart
    inlined = next(x for x in chart.streamlit_spec()["layer"] if x.get("name") == "marker")
    assert inlined["data"]["values"][0]["step"] == 77


# Builders still over the limit of issue 11, at their length today: they may only shrink.
LONG_BUILDERS = {
    "function_chart": 196,
    "step_chart": 91,
    "regions_chart": 80,
    "simplex_chart": 70,
    "heatmap": 106,
}


def test_builders_stay_small():
    """No other function in xent/charts.py over 60 lines, and the long ones never grow."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(charts))
    lengths = {
        node.name: node.end_lineno - node.lineno + 1
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
    }
    too_long = {name: n for name, n in lengths.items() if n > LONG_BUILDERS.get(name, 60)}
    assert not too_long, too_long


def test_a_line_chart_says_its_data_in_words():
    """The summary a screen reader gets instead of the marks: start, end and minimum of each
    line, checked against the frame read here (numpy), not through the summary's code."""
    rng = np.random.default_rng(3)
    for _ in range(20):
        x = np.sort(rng.uniform(0, 1, 30))
        frame = pd.DataFrame(
            {"step": np.tile(x, 2), "value": rng.normal(size=60), "series": ["a"] * 30 + ["b"] * 30}
        )
        spec = charts.step_chart(frame, y_title="value v").spec
        summary = spec["description"]
        for name in ("a", "b"):
            values = frame.loc[frame["series"] == name, "value"].to_numpy()
            steps = frame.loc[frame["series"] == name, "step"].to_numpy()
            expected = (
                f"{name}: value v starts at {values[0]:.3g} (step t {steps[0]:.3g}), "
                f"ends at {values[-1]:.3g} (step t {steps[-1]:.3g}), lowest "
                f"{values.min():.3g} at step t {steps[values.argmin()]:.3g}."
            )
            assert expected in summary, summary


def test_every_line_chart_has_a_data_summary():
    for chart in every_chart():
        kinds = {mark_type(v) for v in layers(chart.to_dict())}
        if "line" in kinds and chart.spec.get("layer"):
            assert chart.spec.get("description"), chart.spec.get("title")


@pytest.mark.parametrize("k", range(2, 11))
def test_class_series_differ_by_more_than_colour_for_any_k(k):
    """Multiclass allows K = 2 to 10: every two class lines differ in dash or point shape."""
    names = [f"class {i}" for i in range(k)]
    frame = pd.DataFrame(
        {
            "step": np.tile(np.arange(20), k),
            "value": np.linspace(0, 1, 20 * k),
            "series": np.repeat(names, 20),
        }
    )
    spec = charts.step_chart(frame, y_title="probability Q").to_dict()
    looks = {name: [] for name in names}
    for view in layers(spec):
        for channel in ("strokeDash", "shape"):
            scale = view.get("encoding", {}).get(channel, {}).get("scale")
            if scale:
                for name, value in zip(scale["domain"], scale["range"], strict=True):
                    looks[name].append((channel, str(value)))
    distinct = {tuple(sorted(set(v))) for v in looks.values()}
    assert len(distinct) == k, looks
