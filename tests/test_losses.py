"""xent.losses against independent references: scipy.special, closed forms, finite differences.

No expected value here comes from xent itself: each is a textbook formula (entropy,
cross-entropy, KL) written with scipy.special or the ``math`` module, a known limit, or a
numerical derivative.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal
from scipy import special

import xent

EPS64 = float(np.finfo(np.float64).eps)
EPS32 = float(np.finfo(np.float32).eps)
RTOL = 1e-10  # agreement asked of every value in float64
PROB = st.floats(0.0, 1.0)  # includes exact 0 and 1 and subnormals
# Any finite float, with the extremes a student (or an overflow) reaches mixed in often.
EXTREMES = [0.0, 1.0, 40.0, 1000.0, 1e4, 1e9, 1e308, float(np.finfo(np.float64).max)]
FINITE = st.one_of(
    st.sampled_from(EXTREMES + [-x for x in EXTREMES]),
    st.floats(allow_nan=False, allow_infinity=False),
)


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    """A RuntimeWarning fails the test even if pytest's filterwarnings setting changes."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# --- strategies and references ---------------------------------------------------------------


@st.composite
def distribution_pairs(draw, batch=True):
    """(P, Q): weights normalised over the last axis, zeros and tiny masses included."""
    k = draw(st.integers(2, 6))
    shape = (*draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3)), k) if batch else (k,)
    out = []
    for _ in range(2):
        w = draw(hnp.arrays(np.float64, shape, elements=PROB))
        assume(np.all(w.sum(axis=-1) > 0))
        out.append(w / w.sum(axis=-1, keepdims=True))
    return tuple(out)


def broadcastable_pair(elements_a, elements_b):
    """Two float64 arrays of mutually broadcastable shapes (scalars included)."""
    shapes = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=4)
    return shapes.flatmap(
        lambda s: st.tuples(
            hnp.arrays(np.float64, s.input_shapes[0], elements=elements_a),
            hnp.arrays(np.float64, s.input_shapes[1], elements=elements_b),
        )
    )


def assert_within(actual, expected, rtol, atol):
    """Like assert_allclose, with ``atol`` allowed to be an array (one bound per value)."""
    actual, expected, atol = np.broadcast_arrays(
        np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64), atol
    )
    inf = np.isinf(expected)
    assert_array_equal(actual[inf], expected[inf])
    a, e, tol = actual[~inf], expected[~inf], atol[~inf]
    ok = np.abs(a - e) <= tol + rtol * np.abs(e)
    assert np.all(ok), f"actual {a[~ok]} != expected {e[~ok]}"


def ref_entropy(p):
    return np.sum(special.entr(p), axis=-1)


def ref_cross_entropy(p, q):
    return -np.sum(special.xlogy(p, q), axis=-1)


def ref_kl(p, q):
    """Σ rel_entr(p, q); where p / q overflows (q subnormal), p (log p - log q) instead."""
    terms = special.rel_entr(p, q)
    overflowed = np.isinf(terms) & (q > 0)
    with np.errstate(divide="ignore", invalid="ignore"):  # only where p or q is 0
        closed = p * (np.log(p) - np.log(q))
    # KL >= 0 (Gibbs): a negative sum of rounded terms means 0.
    return np.maximum(np.sum(np.where(overflowed, closed, terms), axis=-1), 0.0)


def ref_bce(p, q):
    # -p log q - (1 - p) log(1 - q), with log(1 - q) as log1p(-q) (exact for small q).
    return -(special.xlogy(p, q) + special.xlog1py(1 - p, -q))


def ref_bce_logits(p, z):
    # -p log σ(z) - (1 - p) log σ(-z)
    return -(p * special.log_expit(z) + (1 - p) * special.log_expit(-z))


def ref_softmax_ce(t, z, axis=-1):
    m = np.max(z, axis=axis, keepdims=True)
    with np.errstate(over="ignore"):
        s = z - m
    log_q = s - special.logsumexp(s, axis=axis, keepdims=True)
    with np.errstate(invalid="ignore"):  # 0 · (-inf), replaced by 0
        terms = np.where(t == 0, 0, t * log_q)
    return -np.sum(terms, axis=axis)


def five_point_derivative(f, x, h=1e-3):
    """f'(x) by the fourth-order central difference (error about h^4 f^(5) / 30)."""
    return (-f(x + 2 * h) + 8 * f(x + h) - 8 * f(x - h) + f(x - 2 * h)) / (12 * h)


def h_binary(p):
    """Closed-form entropy of a Bernoulli(p), -p log p - (1-p) log(1-p), in nats."""
    # log(1 - p) as log1p(-p): for p = 1e-176 it is -1e-176, not log(1) = 0.
    return (-p * math.log(p) if p > 0 else 0.0) - ((1 - p) * math.log1p(-p) if p < 1 else 0.0)


# --- the worked example -------------------------------------------------------------------


def test_worked_example_two_red_eight_white_balls():
    p = 2 / (2 + 8)
    h = -0.2 * math.log(0.2) - 0.8 * math.log(0.8)
    assert round(h, 4) == 0.5004
    assert_allclose(xent.binary_cross_entropy(p, p), h, rtol=RTOL)
    assert_allclose(xent.entropy([p, 1 - p]), h, rtol=RTOL)
    assert_allclose(xent.cross_entropy([p, 1 - p], [p, 1 - p]), h, rtol=RTOL)
    assert_allclose(xent.binary_cross_entropy_with_logits(p, math.log(p / (1 - p))), h, rtol=RTOL)
    # Any other model does worse: L(0.2, 0.3) = H(0.2) + KL.
    kl = 0.2 * math.log(0.2 / 0.3) + 0.8 * math.log(0.8 / 0.7)
    assert_allclose(xent.binary_cross_entropy(p, 0.3), h + kl, rtol=RTOL)


# --- entropy, cross-entropy, KL -------------------------------------------------------------


@given(distribution_pairs())
def test_entropy_cross_entropy_kl_match_scipy(pq):
    p, q = pq
    assert_allclose(xent.entropy(p), ref_entropy(p), rtol=RTOL, atol=0)
    assert_allclose(xent.cross_entropy(p, q), ref_cross_entropy(p, q), rtol=RTOL, atol=0)
    # KL sums terms of both signs: rounding is about eps times the sum of their sizes,
    # plus the rounding of each ratio p/q (relative eps/2, so absolute p·eps/2 in
    # p log(p/q)), which adds up to about eps/2 over a distribution (Σ p = 1).
    scale = np.sum(np.abs(special.rel_entr(p, q)), axis=-1)
    atol = 2 * EPS64 + 8 * EPS64 * scale
    assert_within(xent.kl_divergence(p, q), ref_kl(p, q), rtol=RTOL, atol=atol)


@given(distribution_pairs())
def test_gibbs_inequality_with_equality_only_at_q_equal_p(pq):
    p, q = pq
    h, hpq, kl = xent.entropy(p), xent.cross_entropy(p, q), xent.kl_divergence(p, q)
    assert not np.isnan(hpq).any()
    # H(P, Q) = H(P) + KL(P || Q)
    assert_allclose(hpq, h + kl, rtol=RTOL, atol=8 * EPS64)
    # KL >= 0, and at least Pinsker's bound ½ ||P - Q||_1^2 > 0 when Q differs from P.
    pinsker = 0.5 * np.sum(np.abs(p - q), axis=-1) ** 2
    assert np.all(kl >= pinsker * (1 - 1e-9) - 8 * EPS64)
    assert np.all(hpq >= h + pinsker * (1 - 1e-9) - 8 * EPS64 * (1 + h))
    # Equality at Q = P.
    assert_allclose(xent.cross_entropy(p, p), h, rtol=RTOL, atol=0)
    assert_array_equal(xent.kl_divergence(p, p), 0.0)


@pytest.mark.parametrize(
    ("p", "q", "h_pq"),
    [
        ([1.0, 0.0], [0.0, 1.0], math.inf),  # mass where the model has none
        ([0.0, 1.0], [0.0, 1.0], 0.0),  # 0 · log 0 = 0
        ([1.0, 0.0], [1e-300, 1.0], -math.log(1e-300)),
        ([1.0, 0.0, 0.0], [5e-324, 0.5, 0.5], -math.log(5e-324)),
        ([0.5, 0.5], [0.5, 0.5], math.log(2)),
        ([0.25] * 4, [0.25] * 4, math.log(4)),
        ([0.2, 0.8], [0.5, 0.5], math.log(2)),
        ([1.0, 0.0, 0.0], [0.7, 0.2, 0.1], -math.log(0.7)),
    ],
)
def test_cross_entropy_and_kl_extremes(p, q, h_pq):
    h = sum(-x * math.log(x) for x in p if x > 0)
    assert_allclose(xent.cross_entropy(p, q), h_pq, rtol=RTOL, atol=0)
    assert_allclose(xent.entropy(p), h, rtol=RTOL, atol=0)
    assert_allclose(xent.kl_divergence(p, q), h_pq - h, rtol=RTOL, atol=4 * EPS64)


def test_kl_stays_finite_when_q_is_subnormal():
    # p / q = 1 / 5e-324 overflows; KL = log p - log q = 744.44 all the same.
    assert_allclose(xent.kl_divergence([1.0, 0.0], [5e-324, 1.0]), -math.log(5e-324), rtol=RTOL)
    assert_allclose(
        xent.kl_divergence([0.5, 0.5], [1e-320, 1.0]),
        0.5 * (math.log(0.5) - math.log(1e-320)) + 0.5 * math.log(0.5),
        rtol=RTOL,
    )


@pytest.mark.parametrize(
    ("f", "args"),
    [
        (xent.entropy, ([1.0, 0.0],)),
        (xent.cross_entropy, ([0.0, 1.0], [0.0, 1.0])),
        (xent.kl_divergence, ([0.0, 1.0], [0.0, 1.0])),
        (xent.binary_cross_entropy, (0.0, 0.0)),
        (xent.binary_cross_entropy, (1.0, 1.0)),
        (xent.binary_cross_entropy_with_logits, (1.0, 1e9)),
        (xent.softmax_cross_entropy_with_logits, ([1.0, 0.0], [1e9, 0.0])),
        (xent.softmax_cross_entropy_with_integer_labels, (0, [1e9, 0.0])),
    ],
)
def test_a_loss_of_zero_is_plus_zero(f, args):
    # -0.0 would print as "-0.00 nats" on a page.
    out = f(*args)
    assert out == 0.0
    assert not np.signbit(out)


# --- binary cross-entropy from probabilities ------------------------------------------------


@given(broadcastable_pair(PROB, PROB))
def test_binary_cross_entropy_matches_closed_form(pq):
    p, q = pq
    out = xent.binary_cross_entropy(p, q)
    assert_allclose(out, ref_bce(p, q), rtol=RTOL, atol=0)
    assert not np.isnan(out).any()
    qb = np.broadcast_to(q, np.shape(out))
    assert np.isfinite(np.broadcast_to(out, qb.shape)[(qb > 0) & (qb < 1)]).all()


@given(PROB)
def test_binary_cross_entropy_is_smallest_at_q_equal_p(p):
    grid = np.linspace(0.0, 1.0, 1001)
    at_p = float(xent.binary_cross_entropy(p, p))
    assert_allclose(at_p, h_binary(p), rtol=RTOL, atol=0)
    losses = xent.binary_cross_entropy(p, grid)
    assert np.all(losses >= at_p * (1 - 4 * EPS64))
    assert abs(grid[np.argmin(losses)] - p) <= 1e-3  # the grid's best point is next to p


@pytest.mark.parametrize(
    ("p", "q", "expected"),
    [
        (1.0, 0.0, math.inf),
        (0.0, 1.0, math.inf),
        (0.5, 0.0, math.inf),
        (0.0, 0.0, 0.0),
        (1.0, 1.0, 0.0),
        (0.5, 0.5, math.log(2)),
        (1.0, 0.5, math.log(2)),
        (1.0, 1e-300, -math.log(1e-300)),
        (0.0, 1e-300, 1e-300),  # -log(1 - 1e-300) = 1e-300 to first order
        (0.0, 1e-20, 1e-20),  # log(1 - 1e-20) would round to log(1) = 0
        (0.0, 0.5, math.log(2)),
        (0.3, 0.7, -0.3 * math.log(0.7) - 0.7 * math.log(0.3)),
    ],
)
def test_binary_cross_entropy_extremes(p, q, expected):
    assert_allclose(xent.binary_cross_entropy(p, q), expected, rtol=RTOL, atol=0)


# --- binary cross-entropy from logits -------------------------------------------------------


@given(broadcastable_pair(PROB, FINITE))
def test_binary_cross_entropy_with_logits_matches_closed_form(pz):
    p, z = pz
    out = xent.binary_cross_entropy_with_logits(p, z)
    assert_allclose(out, ref_bce_logits(p, z), rtol=RTOL, atol=0)
    assert np.isfinite(out).all()


@given(broadcastable_pair(PROB, st.floats(-5, 5)))
def test_binary_cross_entropy_with_logits_equals_the_probability_form(pz):
    p, z = pz
    assert_allclose(
        xent.binary_cross_entropy_with_logits(p, z),
        xent.binary_cross_entropy(p, special.expit(z)),
        rtol=1e-9,
        atol=1e-14,
    )


@pytest.mark.parametrize(
    ("p", "z", "expected"),
    [
        (1.0, 1e9, 0.0),
        (0.0, 1e9, 1e9),
        (1.0, -1e9, 1e9),
        (0.0, -1e9, 0.0),
        (0.5, 0.0, math.log(2)),
        (1.0, 1e4, 0.0),
        (0.0, 1e4, 1e4),
        (0.3, 1000.0, 700.0),
        (0.3, -1000.0, 300.0),
        (1.0, 40.0, math.log1p(math.exp(-40))),  # 4.2e-18: 1 - σ(40) rounds to 0
        (0.0, -40.0, math.log1p(math.exp(-40))),
        (1.0, math.inf, 0.0),
        (0.0, math.inf, math.inf),
        (0.5, math.inf, math.inf),
        (1.0, -math.inf, math.inf),
        (0.0, -math.inf, 0.0),
        (0.5, -math.inf, math.inf),
    ],
)
def test_binary_cross_entropy_with_logits_extremes(p, z, expected):
    assert_allclose(xent.binary_cross_entropy_with_logits(p, z), expected, rtol=RTOL, atol=0)


@pytest.mark.parametrize("z", [3.0, 30.0, 700.0])
@pytest.mark.parametrize("gap", [1e-10, 3e-13, 1e-15])
def test_binary_cross_entropy_with_logits_no_cancellation_for_p_near_one(z, gap):
    # L = z (1 - p) + log(1 + e^-z); 1 - p is exact for p in [1/2, 1] (Sterbenz).
    p = 1.0 - gap
    expected = z * (1.0 - p) + math.log1p(math.exp(-z))
    assert_allclose(xent.binary_cross_entropy_with_logits(p, z), expected, rtol=RTOL)
    assert_allclose(xent.binary_cross_entropy_with_logits(1 - p, -z), expected, rtol=RTOL)


# --- softmax cross-entropy --------------------------------------------------------------------


@st.composite
def targets_and_logits(draw, elements=None):
    elements = st.floats(-1e3, 1e3) if elements is None else elements
    t, _ = draw(distribution_pairs())
    z = draw(hnp.arrays(np.float64, t.shape, elements=elements))
    return t, z


@given(targets_and_logits())
def test_softmax_cross_entropy_matches_scipy_reference(tz):
    t, z = tz
    assert_allclose(xent.softmax_cross_entropy_with_logits(t, z), ref_softmax_ce(t, z), rtol=RTOL)


@given(targets_and_logits(FINITE))
def test_softmax_cross_entropy_no_nan_for_any_finite_logits(tz):
    t, z = tz
    out = xent.softmax_cross_entropy_with_logits(t, z)
    assert not np.isnan(out).any()
    assert np.all(out >= 0)


@given(
    targets_and_logits(st.integers(-100, 100).map(float)),
    st.integers(-(10**12), 10**12).map(float),
)
def test_softmax_cross_entropy_unchanged_by_a_common_offset(tz, c):
    t, z = tz
    # Integer-valued floats below 2^53: z + c is exact, so the result must be identical.
    assert_array_equal(
        xent.softmax_cross_entropy_with_logits(t, z + c),
        xent.softmax_cross_entropy_with_logits(t, z),
    )


@given(
    targets_and_logits(st.integers(-8, 8).map(lambda k: 8.0 * k)),
    st.sampled_from([1e8, -1e8, 3e7]),
)
def test_softmax_cross_entropy_float32_unchanged_by_offsets_near_1e8(tz, c):
    t, z = tz
    t32, z32 = t.astype(np.float32), z.astype(np.float32)
    # float32 spacing is 8 below 2^27 = 1.3e8: multiples of 8 plus c are exact in float32.
    shifted = z32 + np.float32(c)
    assert_array_equal(shifted - np.float32(c), z32)
    out = xent.softmax_cross_entropy_with_logits(t32, shifted)
    assert out.dtype == np.float32
    assert_array_equal(out, xent.softmax_cross_entropy_with_logits(t32, z32))
    assert_allclose(out, ref_softmax_ce(t, z), rtol=8 * EPS32, atol=8 * EPS32)


@pytest.mark.parametrize("k", [2, 3, 7])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("offset", [1e8, -1e8, 1e15])
def test_softmax_cross_entropy_equal_logits_give_log_k(k, dtype, offset):
    z = np.full(k, offset, dtype=dtype)
    t = np.eye(k, dtype=dtype)[k - 1]
    rtol = 2 * float(np.finfo(dtype).eps)
    assert_allclose(xent.softmax_cross_entropy_with_logits(t, z), math.log(k), rtol=rtol)
    assert_allclose(
        xent.softmax_cross_entropy_with_integer_labels(k - 1, z), math.log(k), rtol=rtol
    )


@pytest.mark.parametrize(
    ("t", "z", "expected"),
    [
        ([1, 0], [1000.0, 1.0], math.log1p(math.exp(-999))),
        ([0, 1], [1000.0, 1.0], 999.0),
        ([0, 1], [1e9, -1e9], 2e9),
        ([1, 0], [40.0, 0.0], math.log1p(math.exp(-40))),  # 4.2e-18, not 0
        ([1, 0, 0], [2.0, 1.0, 0.1], math.log(math.exp(2) + math.exp(1) + math.exp(0.1)) - 2),
        ([0.5, 0.5], [0.0, 0.0], math.log(2)),
        ([0.5, 0.5], [1.0, 0.0], math.log1p(math.e) - 0.5),
        ([1, 0], [math.inf, 0.0], 0.0),
        ([0, 1], [math.inf, 0.0], math.inf),
        ([0, 1], [0.0, -math.inf], math.inf),
        ([1, 0], [0.0, -math.inf], 0.0),
    ],
)
def test_softmax_cross_entropy_extremes(t, z, expected):
    assert_allclose(xent.softmax_cross_entropy_with_logits(t, z), expected, rtol=RTOL, atol=0)
    if max(t) == 1:
        label = t.index(1)
        assert_allclose(
            xent.softmax_cross_entropy_with_integer_labels(label, z), expected, rtol=RTOL, atol=0
        )


def test_apple_gorilla_rappa():
    # Q = softmax(z); L = -log Q(true class).
    z = [2.0, 1.0, 0.1]
    denominator = math.exp(2.0) + math.exp(1.0) + math.exp(0.1)
    for label, name in enumerate(["Apple", "Gorilla", "Rappa"]):
        expected = -math.log(math.exp(z[label]) / denominator)
        t = [1.0 if k == label else 0.0 for k in range(3)]
        assert_allclose(
            xent.softmax_cross_entropy_with_logits(t, z), expected, rtol=RTOL, err_msg=name
        )


@given(
    hnp.arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(2, 6)), elements=FINITE),
    st.data(),
)
def test_integer_labels_equal_one_hot_targets(z, data):
    n, k = z.shape
    labels = data.draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, k - 1)))
    one_hot = np.eye(k)[labels]
    from_labels = xent.softmax_cross_entropy_with_integer_labels(labels, z)
    assert_allclose(from_labels, xent.softmax_cross_entropy_with_logits(one_hot, z), rtol=1e-15)
    assert_allclose(from_labels, ref_softmax_ce(one_hot, z), rtol=RTOL)


@given(targets_and_logits(st.floats(-30, 30)))
def test_softmax_cross_entropy_gradient_is_softmax_minus_target(tz):
    t, z = tz
    t, z = t.reshape(-1, t.shape[-1])[0], z.reshape(-1, z.shape[-1])[0]
    expected = special.softmax(z) - t
    for k in range(z.size):

        def loss_along_k(x, k=k):
            zk = z.copy()
            zk[k] = x
            return float(xent.softmax_cross_entropy_with_logits(t, zk))

        assert_allclose(
            five_point_derivative(loss_along_k, z[k]), expected[k], rtol=1e-6, atol=1e-9
        )


@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=3, max_dims=3, max_side=4),
        elements=st.floats(-50, 50),
    ),
    st.sampled_from([0, 1, -2]),
)
def test_softmax_cross_entropy_along_another_axis(z, axis):
    t = special.softmax(-z, axis=axis)  # any distribution along ``axis``
    # Moving the class axis last and reducing it leaves the other axes in their order.
    expected = ref_softmax_ce(np.moveaxis(t, axis, -1), np.moveaxis(z, axis, -1))
    assert_allclose(xent.softmax_cross_entropy_with_logits(t, z, axis=axis), expected, rtol=RTOL)
    p, q = special.softmax(z, axis=axis), t
    moved = np.moveaxis(p, axis, -1), np.moveaxis(q, axis, -1)
    assert_allclose(xent.cross_entropy(p, q, axis=axis), ref_cross_entropy(*moved), rtol=RTOL)
    assert_allclose(xent.entropy(p, axis=axis), ref_entropy(moved[0]), rtol=RTOL)


# --- the binary loss registry -----------------------------------------------------------------


def test_registry_names_and_display_fields():
    assert set(xent.BINARY_LOSSES) == {"cross_entropy", "squared_error", "absolute_error", "focal"}
    for name, loss in xent.BINARY_LOSSES.items():
        assert loss.name == name
        assert isinstance(loss.label, str)
        assert loss.label
        assert isinstance(loss.latex, str)
        assert "L" in loss.latex
    with pytest.raises(TypeError):
        xent.BINARY_LOSSES["mine"] = xent.BINARY_LOSSES["focal"]  # type: ignore[index]


def focal_closed_form(p, q, gamma=2.0):
    """-p (1-q)^γ log q - (1-p) q^γ log(1-q), for 0 < q < 1."""
    return -p * (1 - q) ** gamma * math.log(q) - (1 - p) * q**gamma * math.log1p(-q)


VALUE_CLOSED_FORMS = {
    "cross_entropy": lambda p, q: -(special.xlogy(p, q) + special.xlog1py(1 - p, -q)),
    "squared_error": lambda p, q: (q - p) ** 2,
    "absolute_error": lambda p, q: abs(q - p),
    "focal": focal_closed_form,
}


@pytest.mark.parametrize("name", sorted(VALUE_CLOSED_FORMS))
@given(p=PROB, q=st.floats(1e-12, 1 - 1e-12))
def test_registry_values_match_closed_forms(name, p, q):
    loss = xent.BINARY_LOSSES[name]
    assert_allclose(loss.value(p, q), VALUE_CLOSED_FORMS[name](p, q), rtol=RTOL, atol=0)


@pytest.mark.parametrize(
    ("p", "q", "expected"),
    [
        (1.0, 0.5, 0.25 * math.log(2)),
        (0.0, 0.5, 0.25 * math.log(2)),
        (1.0, 0.9, 0.01 * -math.log(0.9)),
        (1.0, 0.0, math.inf),
        (0.0, 1.0, math.inf),
        (1.0, 1.0, 0.0),
        (0.0, 0.0, 0.0),
    ],
)
def test_focal_loss_table(p, q, expected):
    assert_allclose(xent.BINARY_LOSSES["focal"].value(p, q), expected, rtol=RTOL, atol=0)
    assert_allclose(xent.binary_focal_loss(p, q), expected, rtol=RTOL, atol=0)


def test_focal_gamma_is_keyword_only():
    with pytest.raises(TypeError):
        xent.binary_focal_loss(1.0, 0.5, 0.0)  # type: ignore[misc]
    # γ = 1: -(1 - q) log q at p = 1
    assert_allclose(xent.binary_focal_loss(1.0, 0.25, gamma=1.0), -0.75 * math.log(0.25), rtol=RTOL)


@given(broadcastable_pair(PROB, PROB))
def test_focal_loss_with_gamma_zero_is_binary_cross_entropy(pq):
    p, q = pq
    assert_allclose(xent.binary_focal_loss(p, q, gamma=0.0), ref_bce(p, q), rtol=RTOL, atol=0)


def _value_of_logit(name, p):
    loss = xent.BINARY_LOSSES[name]
    return lambda z: float(loss.value(p, special.expit(z)))


@pytest.mark.parametrize("name", sorted(VALUE_CLOSED_FORMS))
@given(p=PROB, z=st.floats(-8, 8))
def test_grad_logit_matches_finite_differences(name, p, z):
    if name == "absolute_error":
        assume(abs(special.expit(z) - p) > 1e-2)  # |q - p| has a kink at q = p
    numeric = five_point_derivative(_value_of_logit(name, p), z)
    assert_allclose(xent.BINARY_LOSSES[name].grad_logit(p, z), numeric, rtol=1e-6, atol=1e-9)


@given(broadcastable_pair(PROB, st.floats(-50, 50)))
def test_cross_entropy_grad_is_q_minus_p(pz):
    p, z = pz
    # q - p, written so that neither side rounds away: for z > 0, (1 - p) - σ(-z).
    expected = np.where(z > 0, (1 - p) - special.expit(-z), special.expit(z) - p)
    # atol: the reference's own 1 - p rounds by up to eps/2 (tiny values: see the next tests).
    grad = xent.BINARY_LOSSES["cross_entropy"].grad_logit(p, z)
    assert_allclose(grad, expected, rtol=RTOL, atol=EPS64)


@given(broadcastable_pair(PROB, st.floats(-50, 50)))
def test_squared_error_grad_is_two_q_minus_p_times_the_slope(pz):
    p, z = pz
    q, one_minus_q = special.expit(z), special.expit(-z)
    q_minus_p = np.where(z > 0, (1 - p) - one_minus_q, q - p)
    expected = 2 * q_minus_p * q * one_minus_q
    grad = xent.BINARY_LOSSES["squared_error"].grad_logit(p, z)
    assert_allclose(grad, expected, rtol=RTOL, atol=EPS64)


@pytest.mark.parametrize("p", [1.0, 1 - 2.0**-30])
@pytest.mark.parametrize("z", [20.0, 40.0, 700.0])
def test_cross_entropy_grad_keeps_small_errors(p, z):
    # q - p = (1 - p) - σ(-z): σ(40) rounds to 1, so σ(z) - p would give 0 or 1 - p.
    expected = (1 - p) - math.exp(-z) / (1 + math.exp(-z))
    assert_allclose(xent.BINARY_LOSSES["cross_entropy"].grad_logit(p, z), expected, rtol=RTOL)


@pytest.mark.parametrize(("p", "z"), [(0.5, 0.0), (1.0, math.inf), (0.0, -math.inf)])
def test_absolute_error_grad_is_zero_exactly_at_q_equal_p(p, z):
    assert xent.BINARY_LOSSES["absolute_error"].grad_logit(p, z) == 0.0


def test_confidently_wrong_squared_error_stalls_and_cross_entropy_does_not():
    # p = 1, q = σ(-10) ≈ 4.5e-5: the model is sure of the wrong answer.
    z, q = -10.0, math.exp(-10) / (1 + math.exp(-10))
    ce = xent.BINARY_LOSSES["cross_entropy"].grad_logit(1.0, z)
    se = xent.BINARY_LOSSES["squared_error"].grad_logit(1.0, z)
    assert_allclose(ce, q - 1, rtol=RTOL)
    assert_allclose(se, 2 * (q - 1) * q * (1 - q), rtol=RTOL)
    assert abs(ce) > 0.9999
    assert abs(se) < 1e-4


@pytest.mark.parametrize("name", ["cross_entropy", "squared_error"])
@given(z=st.floats(-30, 30))
def test_grad_is_zero_where_the_model_is_right(name, z):
    # Not for focal: it is not minimised at q = p for a soft target p. Nor for absolute
    # error: its slope jumps at q = p, so rounding decides the side (tested exactly below).
    q = special.expit(z)
    assert abs(xent.BINARY_LOSSES[name].grad_logit(q, z)) <= 4 * EPS64


@pytest.mark.parametrize("name", sorted(VALUE_CLOSED_FORMS))
@pytest.mark.parametrize("p", [0.0, 0.3, 0.5, 1.0])
@pytest.mark.parametrize("z", [1e4, -1e4, 1e9, -1e9, 1e308, -1e308, math.inf, -math.inf])
def test_grad_logit_at_extreme_logits_is_finite(name, p, z):
    g = xent.BINARY_LOSSES[name].grad_logit(p, z)
    assert np.isfinite(g)
    # q is 0 or 1 in float64 out there: the cross-entropy gradient is q - p exactly.
    if name == "cross_entropy":
        assert g == (1.0 if z > 0 else 0.0) - p


@pytest.mark.parametrize(
    ("p", "z", "expected"),
    [
        (1.0, -math.inf, -1.0),  # -(1 - q)^3 -> -1 as q -> 0
        (0.0, math.inf, 1.0),  # q^3 -> 1 as q -> 1
        (1.0, math.inf, 0.0),
        (0.0, -math.inf, 0.0),
        (0.5, 0.0, 0.0),
    ],
)
def test_focal_grad_limits(p, z, expected):
    assert_allclose(xent.BINARY_LOSSES["focal"].grad_logit(p, z), expected, rtol=RTOL, atol=0)


@pytest.mark.parametrize("name", sorted(VALUE_CLOSED_FORMS))
@given(p=PROB, q=PROB, z=FINITE)
def test_registry_never_nan_for_finite_input(name, p, q, z):
    loss = xent.BINARY_LOSSES[name]
    assert not np.isnan(loss.value(p, q))
    assert np.isfinite(loss.grad_logit(p, z))


# --- dtypes, shapes and broadcasting --------------------------------------------------------

P32 = np.array([0.2, 0.8], dtype=np.float32)
Z32 = np.array([1.5, -0.5], dtype=np.float32)
DTYPE_CASES = [
    (xent.entropy, (P32,)),
    (xent.cross_entropy, (P32, P32)),
    (xent.kl_divergence, (P32, P32)),
    (xent.binary_cross_entropy, (P32, P32)),
    (xent.binary_cross_entropy, (0.2, P32)),  # a Python float does not promote
    (xent.binary_cross_entropy_with_logits, (P32, Z32)),
    (xent.binary_focal_loss, (P32, P32)),
    (xent.softmax_cross_entropy_with_logits, (P32, Z32)),
    (xent.softmax_cross_entropy_with_integer_labels, (1, Z32)),
    *[(loss.value, (P32, P32)) for loss in xent.BINARY_LOSSES.values()],
    *[(loss.grad_logit, (P32, Z32)) for loss in xent.BINARY_LOSSES.values()],
]


@pytest.mark.parametrize(("f", "args"), DTYPE_CASES)
def test_float32_in_float32_out(f, args):
    assert np.asarray(f(*args)).dtype == np.float32


@pytest.mark.parametrize(
    ("f", "args"),
    [
        (xent.entropy, ([1, 0],)),
        (xent.cross_entropy, ([1, 0], [0, 1])),
        (xent.binary_cross_entropy, (1, 0)),
        (xent.binary_cross_entropy_with_logits, (1, 3)),
        (xent.softmax_cross_entropy_with_logits, ([1, 0, 0], [3, 2, 1])),
        (xent.softmax_cross_entropy_with_integer_labels, (0, [3, 2, 1])),
        *[(loss.grad_logit, (1, 2)) for loss in xent.BINARY_LOSSES.values()],
    ],
)
def test_integers_become_float64(f, args):
    assert np.asarray(f(*args)).dtype == np.float64


@pytest.mark.parametrize(
    ("f", "args"),
    [
        (xent.entropy, ([0.2, 0.8],)),
        (xent.cross_entropy, ([0.2, 0.8], [0.5, 0.5])),
        (xent.kl_divergence, ([0.2, 0.8], [0.5, 0.5])),
        (xent.softmax_cross_entropy_with_logits, ([1.0, 0.0], [0.5, 0.5])),
        (xent.softmax_cross_entropy_with_integer_labels, (0, [0.5, 0.5])),
        (xent.binary_cross_entropy, (0.2, 0.3)),
        (xent.binary_cross_entropy_with_logits, (0.2, 0.3)),
    ],
)
def test_one_example_gives_a_scalar(f, args):
    out = f(*args)
    assert np.ndim(out) == 0
    assert isinstance(out, np.floating)


def test_broadcasting_over_examples():
    p = np.array([0.2, 0.8])
    q = np.array([[0.5, 0.5], [0.1, 0.9], [0.2, 0.8]])
    expected = [ref_cross_entropy(p, row) for row in q]
    assert_allclose(xent.cross_entropy(p, q), expected, rtol=RTOL)
    assert xent.kl_divergence(q, p).shape == (3,)
    # Elementwise binary losses broadcast like numpy: (3, 1) with (4,) gives (3, 4).
    pb, qb = np.array([[0.0], [0.5], [1.0]]), np.array([0.1, 0.4, 0.6, 0.9])
    assert_allclose(xent.binary_cross_entropy(pb, qb), ref_bce(pb, qb), rtol=RTOL)
    labels = np.array([[0, 1], [2, 0]])
    z = np.arange(12.0).reshape(2, 2, 3)
    assert xent.softmax_cross_entropy_with_integer_labels(labels, z).shape == (2, 2)


def test_integer_target_keeps_float32_logits_dtype():
    # A one-hot integer target must not promote float32 logits to float64.
    z = np.array([2.0, 1.0, 0.1], dtype=np.float32)
    out = xent.softmax_cross_entropy_with_logits(np.array([1, 0, 0]), z)
    assert out.dtype == np.float32
    ref = -special.log_softmax(z.astype(np.float64))[0]
    assert abs(float(out) - ref) <= 1e-6 * ref
    # Integer probabilities beside a float32 prediction: float32 as well.
    assert xent.binary_cross_entropy(np.array([1, 0]), np.float32([0.5, 0.5])).dtype == np.float32
