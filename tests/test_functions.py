"""xent.functions against independent references: scipy.special and closed forms.

Closed forms are written with the ``math`` module (one float at a time), so a reference
never shares code with the array implementation under test.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal
from scipy import special

import xent

EPS64 = float(np.finfo(np.float64).eps)
EPS32 = float(np.finfo(np.float32).eps)
RTOL = 1e-10  # agreement asked of every value in float64
# Any finite float, with the extremes a student (or an overflow) reaches mixed in often.
EXTREMES = [0.0, 1.0, 40.0, 1000.0, 1e4, 1e9, 1e308, float(np.finfo(np.float64).max)]
FINITE = st.one_of(
    st.sampled_from(EXTREMES + [-x for x in EXTREMES]),
    st.floats(allow_nan=False, allow_infinity=False),
)


def arrays(elements=FINITE, min_dims=1, dtype=np.float64):
    shape = hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=1, max_side=5)
    return hnp.arrays(dtype, shape, elements=elements)


def moderate(bound=1e3):
    return st.floats(-bound, bound, allow_nan=False)


def shifted_reference_lse(z, axis=-1):
    """log Σ exp(z) from scipy, and z - max z: the reference pieces for log_softmax."""
    m = np.max(z, axis=axis, keepdims=True)
    with np.errstate(over="ignore"):  # z - m may round to -inf for |z| near 1e308
        s = z - m
    return s, special.logsumexp(s, axis=axis, keepdims=True)


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    """A RuntimeWarning fails the test even if pytest's filterwarnings setting changes."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# --- sigmoid ------------------------------------------------------------------------------


@given(arrays(min_dims=0))
def test_sigmoid_matches_scipy_expit_over_all_finite_floats(z):
    q = xent.sigmoid(z)
    assert_allclose(q, special.expit(z), rtol=RTOL, atol=0)
    assert np.all((q >= 0) & (q <= 1))


@pytest.mark.parametrize(
    ("z", "expected"),
    [
        (0.0, 0.5),
        (1.0, 1 / (1 + math.exp(-1))),
        (-1.0, math.exp(-1) / (1 + math.exp(-1))),
        (40.0, 1.0),  # 1 / (1 + 4.2e-18) rounds to 1
        (-40.0, math.exp(-40) / (1 + math.exp(-40))),  # 4.2e-18, not 1 - 1
        (-700.0, math.exp(-700) / (1 + math.exp(-700))),
        (-745.0, math.exp(-745)),  # the smallest subnormal
        (1000.0, 1.0),
        (-1000.0, 0.0),
        (1e4, 1.0),
        (-1e4, 0.0),
        (1e9, 1.0),
        (-1e9, 0.0),
        (math.inf, 1.0),
        (-math.inf, 0.0),
    ],
)
def test_sigmoid_extremes(z, expected):
    assert_allclose(xent.sigmoid(z), expected, rtol=RTOL, atol=0)


# --- log_sigmoid --------------------------------------------------------------------------


@given(arrays(min_dims=0))
def test_log_sigmoid_matches_scipy_log_expit_over_all_finite_floats(z):
    out = xent.log_sigmoid(z)
    assert_allclose(out, special.log_expit(z), rtol=RTOL, atol=0)
    assert np.all(out <= 0)


@pytest.mark.parametrize(
    ("z", "expected"),
    [
        (0.0, -math.log(2)),
        (40.0, -math.log1p(math.exp(-40))),  # -4.2e-18: log(σ(40)) would give log(1) = 0
        (-40.0, -40.0 - math.log1p(math.exp(-40))),
        (1000.0, 0.0),
        (-1000.0, -1000.0),  # log(σ(-1000)) would give log(0) = -inf
        (1e4, 0.0),
        (-1e4, -1e4),
        (1e9, 0.0),
        (-1e9, -1e9),
        (math.inf, 0.0),
        (-math.inf, -math.inf),
    ],
)
def test_log_sigmoid_extremes(z, expected):
    assert_allclose(xent.log_sigmoid(z), expected, rtol=RTOL, atol=0)


# --- softmax ------------------------------------------------------------------------------


@given(arrays(moderate()))
def test_softmax_matches_scipy(z):
    assert_allclose(xent.softmax(z), special.softmax(z, axis=-1), rtol=RTOL, atol=0)


@given(arrays())
def test_softmax_rows_sum_to_one_for_any_finite_logits(z):
    q = xent.softmax(z)
    assert np.isfinite(q).all()
    assert np.all((q >= 0) & (q <= 1))
    k = z.shape[-1]
    assert_allclose(q.sum(axis=-1), 1.0, rtol=0, atol=2 * k * EPS64)


@given(
    arrays(st.integers(-100, 100).map(float)),
    st.integers(-(10**12), 10**12).map(float),
)
def test_softmax_unchanged_by_a_common_offset(z, c):
    # Integer-valued floats below 2^53: z + c is exact, so the shifted logits are identical.
    assert_array_equal(xent.softmax(z + c), xent.softmax(z))


@pytest.mark.parametrize(
    ("z", "expected"),
    [
        ([1000.0, 1.0], [1.0, math.exp(-999)]),  # exp(1000) overflows unshifted
        ([1e9, -1e9], [1.0, 0.0]),
        ([-1000.0, -1000.0], [0.5, 0.5]),  # exp(-1000) underflows unshifted: 0 / 0
        ([1e4, 1e4, 1e4], [1 / 3] * 3),
        ([0.0, math.log(2), math.log(3)], [1 / 6, 2 / 6, 3 / 6]),
        ([math.inf, 0.0], [1.0, 0.0]),
        ([math.inf, math.inf, 0.0], [0.5, 0.5, 0.0]),
        ([-math.inf, 0.0], [0.0, 1.0]),
    ],
)
def test_softmax_extremes(z, expected):
    assert_allclose(xent.softmax(z), expected, rtol=RTOL, atol=0)


def test_softmax_float32_logits_near_1e8():
    q = xent.softmax(np.full(3, 1e8, dtype=np.float32))
    assert q.dtype == np.float32
    assert_allclose(q, 1 / 3, rtol=EPS32, atol=0)


# --- log_softmax --------------------------------------------------------------------------


@given(arrays(moderate()))
def test_log_softmax_matches_scipy_logsumexp_reference(z):
    s, lse = shifted_reference_lse(z)
    assert_allclose(xent.log_softmax(z), s - lse, rtol=RTOL, atol=0)


@given(arrays(moderate()))
def test_log_softmax_agrees_with_scipy_log_softmax(z):
    # scipy's log_softmax takes log(1 + r) as log of the rounded sum: within an ulp of 1.
    assert_allclose(xent.log_softmax(z), special.log_softmax(z, axis=-1), rtol=RTOL, atol=EPS64)


@given(arrays())
def test_log_softmax_no_nan_for_any_finite_logits(z):
    out = xent.log_softmax(z)
    assert not np.isnan(out).any()
    assert np.all(out <= 0)
    # The largest logit keeps probability >= 1/K: log_softmax >= -log K there.
    assert np.all(np.max(out, axis=-1) >= -math.log(z.shape[-1]) * (1 + 4 * EPS64))


@pytest.mark.parametrize(
    ("z", "expected"),
    [
        ([1000.0, 1.0], [-math.log1p(math.exp(-999)), -999.0]),
        ([40.0, 0.0], [-math.log1p(math.exp(-40)), -40.0 - math.log1p(math.exp(-40))]),
        ([1e9, -1e9], [0.0, -2e9]),
        ([1e308, -1e308], [0.0, -math.inf]),  # -2e308 rounds to -inf
        ([0.0, 0.0, 0.0, 0.0], [-math.log(4)] * 4),
        ([math.inf, 0.0], [0.0, -math.inf]),
    ],
)
def test_log_softmax_extremes(z, expected):
    assert_allclose(xent.log_softmax(z), expected, rtol=RTOL, atol=0)


@pytest.mark.parametrize("k", [2, 3, 10])
@pytest.mark.parametrize("offset", [1e8, -1e8, 3e7])
def test_log_softmax_float32_equal_logits_give_minus_log_k(k, offset):
    out = xent.log_softmax(np.full(k, offset, dtype=np.float32))
    assert out.dtype == np.float32
    assert_allclose(out, -math.log(k), rtol=2 * EPS32, atol=0)


# --- logsumexp ----------------------------------------------------------------------------


@given(arrays(moderate()))
def test_logsumexp_matches_scipy(z):
    # The result is m + log(...) with m = max z: absolute rounding is about eps · |m|,
    # which is the conditioning of the problem where the result itself is near 0.
    scale = 1 + np.max(np.abs(z))
    assert_allclose(
        xent.logsumexp(z), special.logsumexp(z, axis=-1), rtol=RTOL, atol=4 * EPS64 * scale
    )


@given(arrays())
def test_logsumexp_no_nan_for_any_finite_logits(z):
    out = xent.logsumexp(z)
    assert np.isfinite(out).all()
    assert np.all(out >= np.max(z, axis=-1))


@pytest.mark.parametrize(
    ("z", "expected"),
    [
        ([1000.0, 1000.0], 1000 + math.log(2)),
        ([40.0, 0.0], 40 + math.log1p(math.exp(-40))),
        ([0.0, -40.0], math.log1p(math.exp(-40))),  # 4.2e-18, where log(1 + x) gives 0
        ([1e9, 0.0], 1e9),
        ([-1e9, -1e9], -1e9 + math.log(2)),
        ([1e308, 1e308], 1e308),
        ([1e308, -1e308], 1e308),
        ([-1000.0, -1000.0, -1000.0], -1000 + math.log(3)),
        ([math.inf, 0.0], math.inf),
        ([-math.inf, 0.0], 0.0),
    ],
)
def test_logsumexp_extremes(z, expected):
    assert_allclose(xent.logsumexp(z), expected, rtol=RTOL, atol=0)


def test_logsumexp_float32_equal_logits_near_1e8():
    out = xent.logsumexp(np.full(3, 1e8, dtype=np.float32))
    assert out.dtype == np.float32
    assert out == np.float32(1e8)  # 1e8 + log 3 rounds to 1e8 in float32 (spacing 8)


# --- dtypes, shapes, axes -----------------------------------------------------------------

ALL = [xent.sigmoid, xent.log_sigmoid, xent.softmax, xent.log_softmax, xent.logsumexp]
CLASSWISE = [xent.softmax, xent.log_softmax]


@pytest.mark.parametrize("f", ALL)
def test_float32_in_float32_out(f):
    z = np.array([[-3.0, 0.5, 2.0], [1e8, 1e8, 1e8]], dtype=np.float32)
    assert f(z).dtype == np.float32


@pytest.mark.parametrize("f", ALL)
@pytest.mark.parametrize("z", [[1, 2, 3], np.array([[1, 2], [3, 4]], dtype=np.int8), [True, False]])
def test_integer_and_bool_input_gives_float64(f, z):
    out = f(z)
    assert out.dtype == np.float64
    assert_allclose(out, f(np.asarray(z, dtype=np.float64)), rtol=0, atol=0)


def test_logsumexp_of_1d_is_a_scalar_and_nd_drops_only_the_class_axis():
    out = xent.logsumexp([0.0, 1.0])
    assert np.ndim(out) == 0
    assert isinstance(out, np.floating)
    assert xent.logsumexp(np.zeros((2, 3, 4))).shape == (2, 3)
    assert xent.logsumexp(np.zeros((2, 3, 4)), axis=1).shape == (2, 4)


@pytest.mark.parametrize("f", [xent.sigmoid, xent.log_sigmoid])
def test_elementwise_functions_keep_shape_and_scalars(f):
    assert np.ndim(f(0.5)) == 0
    assert f(np.zeros((2, 3, 4))).shape == (2, 3, 4)


@pytest.mark.parametrize("f", CLASSWISE)
def test_classwise_functions_keep_shape(f):
    assert f(np.zeros((2, 3, 4))).shape == (2, 3, 4)


@given(
    hnp.arrays(
        np.float64, hnp.array_shapes(min_dims=3, max_dims=3, max_side=4), elements=moderate()
    ),
    st.sampled_from([0, 1, -2, -3]),
)
def test_axis_other_than_last_matches_scipy(z, axis):
    assert_allclose(xent.softmax(z, axis=axis), special.softmax(z, axis=axis), rtol=RTOL, atol=0)
    s, lse = shifted_reference_lse(z, axis=axis)
    assert_allclose(xent.log_softmax(z, axis=axis), s - lse, rtol=RTOL, atol=0)
    scale = 1 + np.max(np.abs(z))
    assert_allclose(
        xent.logsumexp(z, axis=axis),
        special.logsumexp(z, axis=axis),
        rtol=RTOL,
        atol=4 * EPS64 * scale,
    )
