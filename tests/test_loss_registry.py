"""The loss registries are the one place a loss is declared (issue 11 §2).

Each entry's math is checked here against plain numpy written in this file (never against
xent's own functions): its stable form from the logit against its value and gradient, its
declared properness against a grid search of the expected loss. Then a throwaway loss is
registered, and every page, the legends, the colours, the notes and the CSV must take it
up with no other change. Links name losses by slug; links written before slugs (labels,
registry names) still open.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from tests.test_app import PAGES, open_page, readings
from xent import charts, frames, navigation, training
from xent.losses import (
    BINARY_LOSSES,
    MULTICLASS_LOSSES,
    NATS,
    BinaryLoss,
    LineStyle,
    LogitTerms,
    find_binary_loss,
    register_binary_loss,
    unregister_binary_loss,
)
from xent.ui import drawing, state

RNG = np.random.default_rng(20261128)


def _sigma(y):
    return 1.0 / (1.0 + np.exp(-y))


# Independent references, L(p, q) with q = σ(y) and ∂L/∂y, written out in plain numpy.
REFERENCE = {
    "cross_entropy": lambda p, q: -p * np.log(q) - (1 - p) * np.log1p(-q),
    "squared_error": lambda p, q: (q - p) ** 2,
    "absolute_error": lambda p, q: np.abs(q - p),
    "focal": lambda p, q: -p * (1 - q) ** 2 * np.log(q) - (1 - p) * q**2 * np.log1p(-q),
}


# --- the throwaway loss: binary cross-entropy against a smoothed target ----------------------

EPS = 0.2


def _smoothed_target(p):
    return (1 - EPS) * np.asarray(p, dtype=float) + EPS / 2


def _smoothed_value(p, q):
    t, q = _smoothed_target(p), np.asarray(q, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -t * np.log(q) - (1 - t) * np.log1p(-q)


def _smoothed_grad(p, z):
    return _sigma(np.asarray(z, dtype=float)) - _smoothed_target(p)


def _smoothed_from_logit(p, y):
    t = _smoothed_target(p)
    log_q = np.minimum(y, 0.0) - np.log1p(np.exp(-np.abs(y)))
    q = np.exp(log_q)
    return LogitTerms((1 - t) * y - log_q, q - t, q)


SMOOTHED = BinaryLoss(
    name="smoothed_cross_entropy",
    label="smoothed cross-entropy (ε = 0.2)",
    slug="smoothed-cross-entropy",
    in_words="smoothed cross-entropy",
    unit=NATS,
    style=LineStyle("#882255", (6, 2, 1, 2)),
    proper=False,
    latex=r"L = -p_\varepsilon\log q - (1-p_\varepsilon)\log(1-q)",
    grad_latex=r"\frac{\partial L}{\partial z} = q - p_\varepsilon",
    text="L = -p_ε log q - (1-p_ε) log(1-q), p_ε = 0.8 p + 0.1; dL/dz = q - p_ε",
    value=_smoothed_value,
    grad_logit=_smoothed_grad,
    from_logit=_smoothed_from_logit,
)
REFERENCE[SMOOTHED.name] = _smoothed_value


@pytest.fixture
def smoothed():
    register_binary_loss(SMOOTHED)
    yield SMOOTHED
    unregister_binary_loss(SMOOTHED.name)


# --- every entry's own fields -----------------------------------------------------------------


def test_every_entry_has_a_url_safe_slug_and_its_own_style():
    for registry in (BINARY_LOSSES, MULTICLASS_LOSSES):
        slugs = [loss.slug for loss in registry.values()]
        assert len(set(slugs)) == len(slugs)
        assert all(s == s.lower() and " " not in s and "_" not in s for s in slugs)
        styles = [loss.style for loss in registry.values()]
        assert len(set(styles)) == len(styles)
        for loss in registry.values():
            assert loss.unit in (NATS, None)
            color = charts.OKABE_ITO.get(loss.style.color, loss.style.color)
            assert color.startswith("#"), loss.name
            assert len(color) == 7, loss.name


def test_the_binary_slugs_are_the_documented_ones():
    slugs = {name: loss.slug for name, loss in BINARY_LOSSES.items()}
    assert slugs == {
        "cross_entropy": "cross-entropy",
        "squared_error": "squared-error",
        "absolute_error": "absolute-error",
        "focal": "focal",
    }
    assert set(MULTICLASS_LOSSES) == {"cross_entropy", "squared_error", "label_smoothing"}


def test_units_follow_what_the_loss_is():
    # A log of a probability is in nats; an error of probabilities has no unit.
    assert {n for n, loss in BINARY_LOSSES.items() if loss.unit == NATS} == {
        "cross_entropy",
        "focal",
    }
    assert BINARY_LOSSES["focal"].loss_column == "loss_focal_nats"
    assert BINARY_LOSSES["squared_error"].loss_column == "loss_squared_error"


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_from_logit_matches_the_reference(name, smoothed):
    loss = BINARY_LOSSES[name]
    p = RNG.uniform(0, 1, 400)
    y = RNG.uniform(-6, 6, 400)  # where differences of the plain formulas stay accurate
    value, grad, q = loss.from_logit(p, y)
    assert_allclose(q, _sigma(y), rtol=1e-12)
    assert_allclose(value, REFERENCE[name](p, _sigma(y)), rtol=1e-7, atol=1e-12)
    h = 1e-6  # central differences of the reference
    numeric = (REFERENCE[name](p, _sigma(y + h)) - REFERENCE[name](p, _sigma(y - h))) / (2 * h)
    assert_allclose(grad, numeric, rtol=1e-5, atol=1e-9)
    assert_allclose(loss.value(p, _sigma(y)), REFERENCE[name](p, _sigma(y)), rtol=1e-7, atol=1e-12)
    assert_allclose(loss.grad_logit(p, y), grad, rtol=1e-7, atol=1e-12)


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_from_logit_stays_finite_where_q_rounds_to_0_or_1(name, smoothed):
    y = np.array([-800.0, -60.0, 60.0, 800.0])
    for p in (0.0, 0.3, 1.0):
        value, grad, q = BINARY_LOSSES[name].from_logit(np.full(4, p), y)
        assert np.isfinite(value).all(), (name, p)
        assert np.isfinite(grad).all(), (name, p)
        assert ((q >= 0) & (q <= 1)).all()


def test_every_binary_loss_has_a_reference():
    assert set(BINARY_LOSSES) <= set(REFERENCE)


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_declared_properness_matches_a_grid_search(name, smoothed):
    """Proper: the expected loss p L(1, q) + (1 - p) L(0, q) is smallest at q = p for every
    p; not proper: somewhere it is not."""
    q = np.linspace(1e-6, 1 - 1e-6, 200_001)
    with np.errstate(divide="ignore", invalid="ignore"):
        one, zero = REFERENCE[name](1.0, q), REFERENCE[name](0.0, q)
    misses = []
    for p in RNG.uniform(0.05, 0.95, 12):
        best = q[np.argmin(p * one + (1 - p) * zero)]
        misses.append(abs(best - p))
    assert (max(misses) < 1e-4) == BINARY_LOSSES[name].proper, (name, max(misses))


def _softmax(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


MULTICLASS_REFERENCE = {
    "cross_entropy": lambda t, z: -(t * np.log(_softmax(z))).sum(axis=0),
    "squared_error": lambda t, z: ((_softmax(z) - t) ** 2).sum(axis=0),
    "label_smoothing": lambda t, z: (
        -(((1 - 0.1) * t + 0.1 / t.shape[0]) * np.log(_softmax(z))).sum(axis=0)
    ),
}


@pytest.mark.parametrize("name", sorted(MULTICLASS_LOSSES))
def test_multiclass_from_logits_matches_the_reference(name):
    k, runs = 4, 50
    z = RNG.normal(0, 3, (k, runs))
    t = RNG.dirichlet(np.ones(k), runs).T
    value, grad, Q = MULTICLASS_LOSSES[name].from_logits(t, z, 0)
    reference = MULTICLASS_REFERENCE[name]
    assert_allclose(Q, _softmax(z), rtol=1e-12)
    assert_allclose(value, reference(t, z), rtol=1e-9, atol=1e-12)
    h = 1e-6
    for i in range(k):
        step = np.zeros((k, 1))
        step[i] = h
        numeric = (reference(t, z + step) - reference(t, z - step)) / (2 * h)
        assert_allclose(grad[i], numeric, rtol=1e-5, atol=1e-8)


def test_descend_logits_with_label_smoothing_settles_at_the_softened_target():
    traj = training.descend_logits(
        [1.0, 0.0, 0.0], [0.0, 0.0, 0.0], lr=1.0, steps=2000, loss="label_smoothing"
    )
    assert_allclose(traj.prediction[-1, 0], [0.9 + 0.1 / 3, 0.1 / 3, 0.1 / 3], atol=1e-6)


def test_training_accepts_exactly_the_registered_losses(smoothed):
    traj = training.train_neuron([1.0], 0.75, [0.0], lr=1.0, steps=3000, loss=smoothed.name)
    assert traj.prediction[-1, 0] == pytest.approx(0.8 * 0.75 + 0.1, abs=1e-6)
    with pytest.raises(ValueError, match="loss must be one of"):
        training.descend_logits([1.0, 0.0], [0.0, 0.0], lr=1.0, steps=1, loss=smoothed.name)


# --- registration -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"name": "focal"},
        {"slug": "focal"},
        {"label": "squared error"},
        {"slug": "Smoothed CE"},
        {"style": LineStyle("blue", (1, 0))},
        {"unit": "bits"},
    ],
)
def test_registration_refuses_what_a_link_or_a_chart_could_mix_up(change):
    with pytest.raises(ValueError, match=r"slug|unit|style|name"):
        register_binary_loss(dataclasses.replace(SMOOTHED, **change))
    assert SMOOTHED.name not in BINARY_LOSSES


# --- links --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["focal", "focal (γ = 2)", "squared-error", "squared error", "squared_error"],
)
def test_a_link_names_a_loss_by_slug_or_as_older_links_did(text):
    assert find_binary_loss(text) is not None
    assert find_binary_loss("focal+(γ") is None


def test_slug_links_open_and_share_links_use_slugs():
    at = open_page("loss-comparison", {"losses": ["focal", "cross-entropy"]})
    assert sorted(at.button_group(key="losses").value) == ["cross_entropy", "focal"]
    assert not at.info
    comparison = navigation.lesson("loss-comparison").state
    values = {key: at.session_state[key] for key in comparison.defaults}
    query = state.share_query(comparison, values)
    assert sorted(v for k, v in query if k == "losses") == ["cross-entropy", "focal"]


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        (["focal (γ = 2)", "absolute error"], ["absolute_error", "focal"]),  # labels only
        (["cross-entropy", "focal (γ = 2)"], ["cross_entropy", "focal"]),  # a slug and a label
        (["squared_error", "focal"], ["squared_error", "focal"]),  # a registry name
    ],
)
def test_older_links_keep_working(link, expected):
    at = open_page("loss-comparison", {"losses": link, "q0": "0.2"})
    assert sorted(at.button_group(key="losses").value) == sorted(expected)
    assert at.slider(key="q0").value == pytest.approx(0.2)  # the rest of the link stays
    assert not at.info  # no "values the page cannot use" notice
    # The address now names them by slug, as a reload or a copied address must.
    slugs = {BINARY_LOSSES[name].slug for name in expected}
    shown = at.query_params["losses"]
    assert set([shown] if isinstance(shown, str) else shown) == slugs


def test_an_unknown_loss_in_a_link_is_named_in_the_notice():
    at = open_page("loss-comparison", {"losses": ["focal (γ = 2)", "hinge"]})
    assert at.button_group(key="losses").value == ["focal"]
    (notice,) = at.info
    assert "hinge" in notice.value


# --- a throwaway loss on every page -------------------------------------------------------------


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_page_runs_with_a_registered_loss(page, smoothed):
    at = open_page(page)
    assert not at.exception


def _colour_encodings(at, series: str) -> list[dict]:
    """The colour encodings of every chart layer that draws ``series``."""
    found = []
    for chart in at.get("vega_lite_chart"):
        for layer in json.loads(chart.proto.spec).get("layer", []):
            colour = layer.get("encoding", {}).get("color", {})
            if series in colour.get("scale", {}).get("domain", []):
                found.append(colour)
    return found


def test_a_registered_loss_is_in_the_picker_charts_legend_notes_and_csv(smoothed):
    at = open_page(
        "loss-comparison", {"losses": [smoothed.slug, "cross-entropy"], "p": "0.75", "q0": "0.01"}
    )
    assert not at.exception
    picker = at.button_group(key="losses")
    assert sorted(picker.value) == ["cross_entropy", smoothed.name]
    assert smoothed.slug in [o.content for o in picker.proto.options]
    colours = _colour_encodings(at, smoothed.label)
    assert colours, "no chart draws the registered loss as a series"
    for colour in colours:  # its own colour, not a fallback (focal's purple for a fifth)
        scale = colour["scale"]
        assert scale["range"][scale["domain"].index(smoothed.label)] == "#882255"
    assert any(colour.get("legend") is not None for colour in colours)  # a legend lists it
    text = " ".join(readings(at))
    assert "(cross-entropy and smoothed cross-entropy in nats)" in text
    # L at q0 = 0.01 with p = 0.75, recomputed here: the reading shows it to 2 decimals.
    t = 0.8 * 0.75 + 0.1
    expected = -t * np.log(0.01) - (1 - t) * np.log(0.99)
    assert f"{smoothed.label} {expected:.2f}" in text
    assert any(smoothed.label in latex.value for latex in at.get("latex"))
    # Its expected loss under p = 0.75 is smallest at the smoothed target 0.8 p + 0.1 = 0.7.
    pattern = r": the expected loss is smallest at q = 0\.70?, not at p = 0\.75\. Not a proper"
    assert re.search(re.escape(smoothed.label) + pattern, text), text


def test_a_registered_loss_has_its_csv_column_with_its_unit(smoothed):
    race = frames.race(0.75, 0.01, 1.0, 50, 0.05, ("cross_entropy", smoothed.name))
    table = pd.read_csv(io.BytesIO(drawing.csv_bytes(race.table)))
    column = "loss_smoothed_cross_entropy_nats"
    assert column in table.columns
    assert "loss_cross_entropy_nats" in table.columns
    # Independent: the loss of each row's q, from the definition.
    q = table["q_smoothed_cross_entropy"].to_numpy()
    t = 0.8 * 0.75 + 0.1
    assert_allclose(table[column], -t * np.log(q) - (1 - t) * np.log1p(-q), rtol=1e-6)


def test_a_fifth_loss_keeps_the_curve_charts_within_max_rows(smoothed):
    """Five losses of 201 points each are 1005 rows: the curves are thinned (every other q,
    the last kept) instead of exceeding ``charts.MAX_ROWS``; every loss keeps its curve."""
    names = tuple(BINARY_LOSSES)
    assert len(names) == 5
    for view in frames.comparison_curves(0.9, names, 0.01):
        assert len(view.curves) > charts.MAX_ROWS
        spec = charts.function_chart(view.curves, view.points, x_title="q", y_title="L").to_dict()
        rows = spec["datasets"][next(n for n in spec["datasets"] if n.startswith("curves"))]
        assert len(rows) <= charts.MAX_ROWS
        assert {row["series"] for row in rows} == set(view.curves["series"])
        xs = [row["x"] for row in rows]
        assert (min(xs), max(xs)) == (view.curves["x"].min(), view.curves["x"].max())
