"""Tests for xent.data: reproducible draws, estimates within bounds that cannot flake."""

from __future__ import annotations

import math

import numpy as np
import pytest

from xent.data import (
    BLOB_CENTER_SPACING,
    CLASS_NAMES,
    MAX_CLASSES,
    MAX_DRAWS,
    blob_centers,
    draw_balls,
    make_blobs,
)


def test_class_names_start_with_the_design_examples_and_are_distinct():
    assert CLASS_NAMES[:3] == ("Apple", "Gorilla", "Rappa")
    assert len(CLASS_NAMES) == MAX_CLASSES == 10
    assert len({name.lower() for name in CLASS_NAMES}) == len(CLASS_NAMES)


def test_draws_are_reproducible_per_seed():
    a = draw_balls(3, 7, 500, seed=42)
    assert np.array_equal(a, draw_balls(3, 7, 500, seed=42))
    assert not np.array_equal(a, draw_balls(3, 7, 500, seed=43))
    assert a.dtype == np.int64
    assert a.shape == (500,)
    assert set(np.unique(a)) <= {0, 1}
    # a Generator works too and continues its own stream
    rng = np.random.default_rng(42)
    assert np.array_equal(draw_balls(3, 7, 500, seed=rng), a)


def test_draws_prefix_does_not_depend_on_how_many_are_drawn():
    # Drawing more balls extends the sequence: a slider for N shows the same first balls.
    assert np.array_equal(draw_balls(2, 8, 1000, seed=5)[:100], draw_balls(2, 8, 100, seed=5))


@pytest.mark.parametrize(("n_red", "n_white"), [(2, 8), (1, 1), (7, 3), (1, 99)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_estimate_is_close_to_p(n_red, n_white, seed):
    # Hoeffding: P(|p̂ - p| >= ε) <= 2 exp(-2 N ε²). With N = 200 000 and ε = 0.01 that is
    # 2 e^-40 ≈ 8e-18 per case; the seeds are fixed as well, so the test is deterministic.
    draws = 200_000
    eps = 0.01
    assert 2 * math.exp(-2 * draws * eps**2) < 1e-17
    p = n_red / (n_red + n_white)
    p_hat = draw_balls(n_red, n_white, draws, seed=seed).mean()
    assert abs(p_hat - p) < eps


def test_boxes_of_one_colour_are_exact():
    assert draw_balls(0, 5, 100, seed=0).sum() == 0
    assert draw_balls(5, 0, 100, seed=0).sum() == 100
    assert draw_balls(1, 1, 0, seed=0).shape == (0,)


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ((-1, 5, 10), "n_red"),
        ((1.5, 5, 10), "n_red"),
        ((1, -5, 10), "n_white"),
        ((0, 0, 10), "n_red \\+ n_white"),
        ((1, 1, -1), "draws"),
        ((1, 1, MAX_DRAWS + 1), "draws"),
        ((1, 1, True), "draws"),
    ],
)
def test_draw_balls_rejects_bad_arguments(args, name):
    with pytest.raises(ValueError, match=f"^{name} "):
        draw_balls(*args, seed=0)


def test_draw_balls_rejects_bad_seed():
    with pytest.raises(ValueError, match=r"^seed "):
        draw_balls(1, 1, 10, seed=-1)
    with pytest.raises(ValueError, match=r"^seed "):
        draw_balls(1, 1, 10, seed=1.5)


@pytest.mark.parametrize("k", range(2, MAX_CLASSES + 1))
def test_blob_centers_are_evenly_spaced(k):
    centers = blob_centers(k)
    assert centers.shape == (k, 2)
    neighbours = np.linalg.norm(centers - np.roll(centers, -1, axis=0), axis=1)
    np.testing.assert_allclose(neighbours, BLOB_CENTER_SPACING)
    np.testing.assert_allclose(centers.mean(axis=0), 0.0, atol=1e-12)
    distances = np.linalg.norm(centers[:, None] - centers[None], axis=-1)
    assert distances[~np.eye(k, dtype=bool)].min() == pytest.approx(BLOB_CENTER_SPACING)


def test_make_blobs_shapes_labels_and_reproducibility():
    X, labels = make_blobs(50, k=4, spread=0.5, seed=9)
    assert X.shape == (200, 2)
    assert X.dtype == np.float64
    assert labels.tolist() == [c for c in range(4) for _ in range(50)]
    X2, labels2 = make_blobs(50, k=4, spread=0.5, seed=9)
    assert np.array_equal(X, X2)
    assert np.array_equal(labels, labels2)
    assert not np.array_equal(X, make_blobs(50, k=4, spread=0.5, seed=10)[0])


def test_make_blobs_are_centred_with_the_given_spread():
    # Each class mean is its centre plus N(0, spread² / n) per coordinate: with n = 20 000
    # and spread 2 its standard deviation is 0.0141, so 0.1 is 7 standard deviations
    # (probability below 1e-11 per coordinate), on a fixed seed.
    n, spread = 20_000, 2.0
    X, labels = make_blobs(n, k=3, spread=spread, seed=0)
    centers = blob_centers(3)
    for c in range(3):
        points = X[labels == c]
        np.testing.assert_allclose(points.mean(axis=0), centers[c], atol=0.1)
        np.testing.assert_allclose(points.std(axis=0), spread, rtol=0.03)


def test_default_blobs_are_nearly_separable_by_nearest_centre():
    X, labels = make_blobs(500, k=3, seed=1)
    nearest = np.argmin(np.linalg.norm(X[:, None] - blob_centers(3)[None], axis=-1), axis=1)
    assert np.mean(nearest == labels) > 0.98


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"n_per_class": 0}, "n_per_class"),
        ({"k": 1}, "k"),
        ({"k": MAX_CLASSES + 1}, "k"),
        ({"spread": 0.0}, "spread"),
        ({"spread": float("nan")}, "spread"),
        ({"seed": -3}, "seed"),
    ],
)
def test_make_blobs_rejects_bad_arguments(kwargs, name):
    args = {"n_per_class": 10} | kwargs
    with pytest.raises(ValueError, match=f"^{name} "):
        make_blobs(args.pop("n_per_class"), **args)
