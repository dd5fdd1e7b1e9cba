"""Present mode's pure parts: the link it reads and writes, and the chart text it enlarges."""

from __future__ import annotations

import copy

import pytest

from tests.test_charts import every_chart
from xent.lessons import bernoulli
from xent.ui import present


def _font_sizes(node, found=None) -> list[float]:
    found = [] if found is None else found
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("ontSize") and isinstance(value, int | float):
                found.append(value)
            elif key != "datasets":
                _font_sizes(value, found)
    elif isinstance(node, list):
        for item in node:
            _font_sizes(item, found)
    return found


def test_every_chart_text_is_at_least_20_px_when_presented():
    for chart in every_chart():
        spec = chart.to_dict()
        before = copy.deepcopy(spec)
        scaled = present.scaled_text(spec, present.CHART_SCALE)
        assert spec == before  # the cached spec is not touched
        sizes = _font_sizes(scaled)
        assert sizes, "no font size found"
        assert min(sizes) >= 20, sizes
        assert len(sizes) == len(_font_sizes(spec))


def test_scaled_text_shares_the_datasets():
    spec = {"datasets": {"a": object()}, "mark": {"fontSize": 16}}
    scaled = present.scaled_text(spec, 1.25)
    assert scaled["datasets"] is spec["datasets"]
    assert scaled["mark"] == {"fontSize": 20.0}


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (None, []),
        ("", []),
        ("q", ["q"]),
        ("t, q,nope", ["q", "t"]),  # page order; an unknown key is left out
        ("<script>", []),
    ],
)
def test_show_names_controls_of_the_page(raw, shown):
    keys = present.control_keys(bernoulli.STATE.defaults, bernoulli.STATE.docs)
    assert present.shown_controls(raw, keys) == shown


def test_scrubbers_are_controls_a_teacher_can_keep():
    keys = present.control_keys(bernoulli.STATE.defaults, bernoulli.STATE.docs)
    assert "t" in keys
    assert "q" in keys


@pytest.mark.parametrize(
    ("raw", "slide"), [(None, 1), ("2", 2), ("0", 1), ("-3", 1), ("99", 3), ("x", 1), ("1e9", 1)]
)
def test_slide_is_one_of_the_sections(raw, slide):
    assert present.slide_number(raw, 3) == slide


def test_the_link_adds_present_then_what_differs():
    assert present.link_query([]) == [("present", "1")]
    assert present.link_query(["q", "t"], 2) == [("present", "1"), ("show", "q,t"), ("slide", "2")]


def test_the_sections_of_each_page():
    """The slides as a teacher sees them (the browser test checks the served pages)."""
    assert present.section_count("bernoulli") == 3
    assert present.section_count("multiclass") == 4
    assert present.section_count("loss-comparison") == 3  # curves; race and grid; convexity
