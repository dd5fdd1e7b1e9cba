"""Charts in both languages: the same chart and the same numbers, its words translated.

Every chart builder of ``xent.charts`` is drawn from the frames of ``xent.frames`` once in
English and once in Japanese: the numbers (every numeric column of every dataset, every
scale domain of numbers) are the very same, and the words a reader sees differ: titles,
axes, legends, tooltips, the notes under a title, the data summary (alt text), the labels
and series names drawn from the data, and the texts Vega computes in the browser. In Japanese
none of it is English (``i18n_support.english_left``). The caches that hold text keep one
result per language; the CSV downloads are the same bytes in both.
"""

from __future__ import annotations

import json
import re
import threading

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from i18n_support import _chart_text, english_left
from test_app import open_page

from xent import caches, charts, frames, i18n
from xent.spec_cache import SpecCache
from xent.ui import drawing

NAMES = ("ab", "cd", "ef")
"""Class names the test gives (user text: shown as they are in both languages)."""
TEXT_COLUMNS = ("series", "label", "direction", "text", "phase")
"""Columns of a chart's data whose values a reader sees (legends, labels, tooltips)."""


def _race_frames(names: tuple[str, ...] = ("cross_entropy",)):
    race = frames.race(0.9, 0.2, 1.0, 120, 0.05, names)
    marks = pd.DataFrame(
        {
            "series": [run.label for run in race.runs],
            "step": [10] * len(race.runs),
            "value": [0.6] * len(race.runs),
            "phase": ["crosses ½"] * len(race.runs),
            "text": ["½ → 10"] * len(race.runs),
        }
    )
    goals = pd.DataFrame({"y": [0.9], "label": ["p = 0.9"]})
    escape, approach, short = charts.PHASE_OPACITY
    segments = pd.DataFrame(
        [
            (run.label, phase, a, b)
            for run in race.runs
            for phase, a, b in ((escape, 0, 10), (approach, 10, 40), (short, 40, 120))
        ],
        columns=["series", "phase", "start", "end"],
    )
    totals = pd.DataFrame(
        {
            "series": [run.label for run in race.runs],
            "end": [40] * len(race.runs),
            "text": ["10 + 30 = 40"] * len(race.runs),
        }
    )
    return race, marks, goals, segments, totals


def _cells() -> pd.DataFrame:
    """A heatmap's cells with every status."""
    status = ["reached", "not reached", "cycles", "diverged"]
    return pd.DataFrame(
        {
            "q0": ["0.1", "0.1", "0.9", "0.9"],
            "lr": ["1", "10", "1", "10"],
            "steps": [12, -1, -1, -1],
            "status": status,
            "text": status,
        }
    )


def every_chart(names: tuple[str, ...] = ("cross_entropy",)) -> dict[str, charts.Chart]:
    """One of each chart the pages draw, in the current language (frames from xent.frames,
    axis titles from this catalogue or symbols)."""
    loss, grad = frames.bernoulli_curves(0.7, 0.001)  # clipped: a note under the title
    neuron = frames.neuron_run((1.0, -0.5), 0.7, (0.1, 0.2), 0.5, 40)
    sample = frames.sampler_run(3, 2, 20, 1, 0.5, 60)
    softmax = frames.softmax_view((2.0, -1.0, 0.5), 1, NAMES, 0.0)
    descent = frames.logit_descent((2.0, -1.0, 0.5), 1, NAMES, 0.0, 0.5, 30)
    regression = frames.softmax_regression_run(3, NAMES, 10, 1.0, 0, 0.5, 30, 15)
    comparison_loss, _ = frames.comparison_curves(1.0, names, 0.01)
    race, marks, goals, segments, totals = _race_frames(names)
    q, L = "q", "L (nats)"
    return {
        "loss": charts.curves_chart(loss, x_title=q, y_title=L),
        "gradient": charts.curves_chart(grad, x_title=q, y_title="∂L/∂z", zero_rule=True),
        "path": charts.function_chart(
            loss.curves, x_title=q, y_title=L, trail=neuron.path.assign(step=neuron.path.step)
        ),
        "neuron": charts.step_chart(neuron.q, y_title=q, marker_step=5),
        "neuron loss": charts.step_chart(neuron.loss, y_title=L),
        "weights": charts.step_chart(neuron.weights, y_title="w"),
        "sampler": charts.step_chart(sample.q, y_title=q, target=sample.target, y_max=1.0),
        "class bars": charts.class_bars(softmax.bars, class_order=NAMES),
        "gradient bars": charts.gradient_bars(softmax.grad, class_order=NAMES),
        "true class": charts.curves_chart(softmax.curve, x_title="Q", y_title=L),
        "descent": charts.step_chart(descent.probs, y_title="Q", marker_step=3),
        "simplex": charts.simplex_chart(descent.simplex, descent.corners, marker_step=3),
        "regions": charts.regions_chart(regression.grid, regression.points, class_order=NAMES),
        "regression": charts.step_chart(regression.loss, y_title=L),
        "accuracy": charts.step_chart(regression.accuracy, y_title="accuracy", y_max=1.0),
        "comparison": charts.curves_chart(comparison_loss, x_title=q, y_title=L),
        "race": charts.race_chart(race.q, marks, goals),
        "race bars": charts.race_bars(segments, totals, budget=120),
        "heatmap": charts.heatmap(_cells(), budget=120, title="learning rate η"),
    }


def _built(language: str, names: tuple[str, ...] = ("cross_entropy",)) -> dict[str, dict]:
    with i18n.using(language):
        return {name: chart.to_dict() for name, chart in every_chart(names).items()}


LITERAL = re.compile(r"'((?:[^'\\]|\\.)*)'")
"""A string literal of a Vega expression."""


def _expression_text(expression: str) -> list[str]:
    """The string literals of a Vega expression that are not compared with (``== 'diverged'``
    is a key of the data): the texts the browser shows (the heatmap's cell texts, its
    legend's names)."""
    return [
        m.group(1)
        for m in LITERAL.finditer(expression)
        if not re.search(r"[=!]=\s*$", expression[: m.start()])
    ]


def _expressions(node) -> list[str]:
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("calculate", "labelExpr", "test") and isinstance(value, str):
                found.append(value)
            elif key != "datasets":
                found += _expressions(value)
    elif isinstance(node, list):
        for value in node:
            found += _expressions(value)
    return found


def shown_text(spec: dict) -> list[str]:
    """Every text a reader sees of a chart: titles, axes, legends, tooltip titles, its data
    summary, its data's names and labels, the words of a scale with a legend, texts computed
    in Vega."""
    texts = list(_chart_text(spec))
    for rows in spec.get("datasets", {}).values():
        texts += [str(r[c]) for r in rows for c in TEXT_COLUMNS if c in r]
    for view in _views(spec):
        for channel in view.get("encoding", {}).values():
            legend = channel.get("legend", {}) if isinstance(channel, dict) else None
            if legend is not None and "labelExpr" not in legend:  # labelExpr: its own words
                domain = channel.get("scale", {}).get("domain", [])
                if isinstance(domain, list):
                    texts += [d for d in domain if isinstance(d, str)]
        for row in view.get("data", {}).get("values", []):
            texts += [str(row[c]) for c in TEXT_COLUMNS if c in row]
    for expression in _expressions(spec):
        texts += _expression_text(expression)
    return texts


def _views(spec: dict):
    yield spec
    for sub in spec.get("layer", []):
        yield from _views(sub)


def _numbers(spec: dict) -> dict[str, dict[str, list]]:
    """Every numeric column of every dataset (named or inline), by dataset and column."""
    found: dict[str, dict[str, list]] = {}
    named = spec.get("datasets", {})
    inline = {
        f"layer {i}": view["data"]["values"]
        for i, view in enumerate(_views(spec))
        if "values" in view.get("data", {})
    }
    for name, rows in {**named, **inline}.items():
        columns = {c for row in rows for c in row}
        found[name] = {
            c: [row.get(c) for row in rows]
            for c in sorted(columns)
            if all(isinstance(row.get(c), int | float) for row in rows)
        }
    return found


@pytest.fixture(scope="module")
def both() -> tuple[dict[str, dict], dict[str, dict]]:
    return _built("en"), _built("ja")


def test_every_chart_has_the_same_numbers_in_both_languages(both) -> None:
    en, ja = both
    assert en.keys() == ja.keys()
    for name in en:
        assert _numbers(en[name]) == _numbers(ja[name]), name
        assert len(list(_views(en[name]))) == len(list(_views(ja[name]))), name
        assert en[name]["height"] == ja[name]["height"], name


def test_every_chart_says_its_words_in_japanese(both) -> None:
    en, ja = both
    for name in en:
        assert en[name] != ja[name], name
        english, japanese = shown_text(en[name]), shown_text(ja[name])
        assert english != japanese, name
        assert english_left(" ".join(english)), f"{name}: the English chart has no words?"
        left = english_left(" ".join(japanese))
        assert not left, f"{name}: English left in Japanese: {sorted(set(left))}"
        assert any(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", t) for t in japanese), name


def test_the_japanese_chart_texts_are_the_catalogues(both) -> None:
    _, ja = both
    loss = ja["loss"]
    assert loss["title"]["text"]
    assert "で切っています" in "".join(loss["title"]["text"])
    assert "ステップ t" in json.dumps(ja["neuron"], ensure_ascii=False)
    assert "から始まり" in ja["neuron"]["description"]  # the data summary, in Japanese
    # a label of the data is translated, a number in it is not
    labels = [r["label"] for r in ja["loss"]["datasets"]["points"]]
    assert "モデルの q" in labels


def test_the_data_summary_quotes_the_same_numbers(both) -> None:
    en, ja = both
    number = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
    for name in en:
        english, japanese = en[name].get("description", ""), ja[name].get("description", "")
        assert sorted(number.findall(english)) == sorted(number.findall(japanese)), name


def test_a_loss_keeps_its_style_under_its_translated_name() -> None:
    with i18n.using("en"):
        en = charts.step_chart(frames.neuron_run((1.0,), 0.7, (0.1,), 0.5, 5).loss, y_title="L")
    with i18n.using("ja"):
        ja = charts.step_chart(frames.neuron_run((1.0,), 0.7, (0.1,), 0.5, 5).loss, y_title="L")
    scale = [
        layer["encoding"]["color"]["scale"] for layer in (en.spec["layer"][0], ja.spec["layer"][0])
    ]
    assert scale[0]["domain"] == ["cross-entropy"]
    assert scale[1]["domain"] == ["交差エントロピー"]
    assert scale[0]["range"] == scale[1]["range"]


def test_the_race_keeps_its_phases_and_losses_apart_in_japanese() -> None:
    with i18n.using("ja"):
        race, marks, goals, segments, totals = _race_frames(("cross_entropy", "squared_error"))
        bars = charts.race_bars(segments, totals, budget=120).to_dict()
        chart = charts.race_chart(race.q, marks, goals).to_dict()
    opacity = bars["layer"][0]["encoding"]["opacity"]["scale"]
    phases = {row["phase"] for row in bars["datasets"]["segments"]}
    assert phases == set(opacity["domain"])
    assert not english_left(" ".join(phases))
    # the shapes keep their English keys (the marks' data): every mark has its shape
    shapes = [v for v in _views(chart) if v.get("data", {}).get("name") == "phases"]
    assert (
        {r["phase"] for r in chart["datasets"].get("phases", [])}
        <= set(shapes[0]["encoding"]["shape"]["scale"]["domain"])
        if chart["datasets"].get("phases")
        else True
    )


def test_the_japanese_note_wraps_within_the_chart() -> None:
    with i18n.using("ja"):
        loss, _ = frames.bernoulli_curves(0.7, 0.0)  # clipped, and L = ∞ at q = 0
        spec = charts.curves_chart(loss, x_title="q", y_title="L").to_dict()
    lines = spec["title"]["text"]
    assert len(lines) >= 2
    assert all(len(line) <= 24 for line in lines)
    assert "0" in "".join(lines)
    assert "∞" in "".join(lines)


# --- caches --------------------------------------------------------------------------------


def _views_of(result) -> list:
    """The ``frames.Curves`` a cached result holds (a pair of them, or a softmax view's)."""
    if isinstance(result, frames.Curves):
        return [result]
    if hasattr(result, "curve"):
        return [result.curve]
    return list(result)


def test_cached_views_with_text_are_kept_per_language() -> None:
    calls = [
        (caches.bernoulli_curves, (0.7, 0.001)),
        (caches.bernoulli_loss_view, (0.7, 0.001)),
        (caches.softmax_view, ((9.0, -1.0, 0.5), 1, NAMES, 0.0)),
        (caches.comparison_curves, (1.0, ("cross_entropy",), 0.01)),
    ]
    for function, args in calls:
        with i18n.using("en"):
            en = function(*args)
            assert function(*args) is en  # cached
        with i18n.using("ja"):
            ja = function(*args)
            assert function(*args) is ja
        assert ja is not en, function.__name__
        notes = 0
        for a, b in zip(_views_of(en), _views_of(ja), strict=True):
            np.testing.assert_array_equal(a.curves["y"], b.curves["y"])
            assert a.y_max == b.y_max
            if a.note:
                notes += 1
                assert a.note != b.note
                assert not english_left(b.note), b.note
                number = re.compile(r"\d+(?:\.\d+)?")
                assert sorted(number.findall(a.note)) == sorted(number.findall(b.note))
        assert notes, function.__name__  # each of these clips its axis and says so


def test_the_spec_cache_keeps_one_spec_per_language() -> None:
    cache = SpecCache(max_entries=8)
    frame = frames.neuron_run((1.0,), 0.7, (0.1,), 0.5, 10).q
    with i18n.using("en"):
        en = cache.finished(charts.step_chart, frame, y_title="q")
        assert cache.finished(charts.step_chart, frame, y_title="q") is en
    with i18n.using("ja"):
        ja = cache.finished(charts.step_chart, frame, y_title="q")
    assert ja is not en
    assert ja["layer"][0]["encoding"]["x"]["title"] == "ステップ t"
    assert en["layer"][0]["encoding"]["x"]["title"] == "step t"
    assert (cache.hits, cache.misses) == (1, 2)


# --- drawing: downloads, formulas in words --------------------------------------------------


def test_a_download_is_labelled_in_japanese_and_its_csv_is_the_same(monkeypatch) -> None:
    drawn = {}
    monkeypatch.setattr(
        st, "download_button", lambda label, data, **kw: drawn.update(label=label, data=data)
    )
    table = frames.neuron_run((1.0, -0.5), 0.7, (0.1, 0.2), 0.5, 10).table
    with i18n.using("ja"):
        drawing.download(table, "run.csv")
    assert drawn["label"] == "この実行結果をダウンロード（CSV）"
    # Streamlit writes the file later on its own thread, where no page run set a language:
    # the language was taken when the button was drawn
    assert drawn["data"].keywords["language"] == "ja"
    out = {}
    thread = threading.Thread(target=lambda: out.update(csv=drawn["data"]()))
    thread.start()
    thread.join()
    with i18n.using("en"):
        drawing.download(table, "run.csv")
    assert drawn["label"] == "Download this run (CSV)"
    assert out["csv"] == drawn["data"]() == drawing.csv_bytes(table)
    assert out["csv"].splitlines()[0] == b"step,q,loss_nats,w1,w2,grad_norm"


def test_the_bernoulli_page_in_japanese_draws_the_same_numbers() -> None:
    en = open_page("bernoulli", {"lang": "en"})
    ja = open_page("bernoulli", {"lang": "ja"})
    en_charts, ja_charts = en.get("vega_lite_chart"), ja.get("vega_lite_chart")
    assert len(en_charts) == len(ja_charts) > 0
    import pyarrow as pa

    for a, b in zip(en_charts, ja_charts, strict=True):
        assert a.proto.spec != b.proto.spec
        assert [d.name for d in a.proto.datasets] == [d.name for d in b.proto.datasets]
        for x, y in zip(a.proto.datasets, b.proto.datasets, strict=True):
            tx = pa.ipc.open_stream(x.data.data).read_pandas()
            ty = pa.ipc.open_stream(y.data.data).read_pandas()
            numeric = tx.select_dtypes("number").columns
            pd.testing.assert_frame_equal(tx[numeric], ty[numeric])
        # the words of the charts' own (the pages' titles are the pages' areas')
        assert "ステップ t" in b.proto.spec or "q" in b.proto.spec
    shown = " ".join(" ".join(shown_text(json.loads(c.proto.spec))) for c in ja_charts)
    for mine in ("ステップ t", "モデルの q", "下限 H(p)"):
        assert mine in shown, mine
    assert [m.value for m in ja.markdown if m.value.startswith("**読み取り：**")]
    assert [c.value for c in ja.caption if str(c.value).startswith("式を言葉で：")]
    labels = [b.proto.label for b in ja.get("download_button")]
    assert "この実行結果をダウンロード（CSV）" in labels
