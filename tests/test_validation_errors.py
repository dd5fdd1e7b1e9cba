"""Every invalid input raises ValueError naming the argument (and, where there is one, the range).

A page shows these messages to a student as they are, so each test matches the wording
that matters: the argument's name and what it may be.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import xent

LOSSES = xent.BINARY_LOSSES
NAN = math.nan

PROBABILITY_RANGE = r"must be probabilities in \[0, 1\]"

CASES = [
    # probabilities outside [0, 1]
    (xent.entropy, ([-0.1, 1.1],), {}, rf"^p {PROBABILITY_RANGE}; got values in \[-0.1, 1.1\]"),
    (xent.cross_entropy, ([0.5, 0.5], [1.5, -0.5]), {}, rf"^q {PROBABILITY_RANGE}"),
    (xent.cross_entropy, ([1.5, -0.5], [0.5, 0.5]), {}, rf"^p {PROBABILITY_RANGE}"),
    (xent.kl_divergence, ([0.5, 0.5], [2.0, -1.0]), {}, rf"^q {PROBABILITY_RANGE}"),
    (xent.binary_cross_entropy, (1.5, 0.5), {}, rf"^p {PROBABILITY_RANGE}; got 1.5$"),
    (xent.binary_cross_entropy, (0.5, -0.01), {}, rf"^q {PROBABILITY_RANGE}; got -0.01$"),
    (xent.binary_cross_entropy_with_logits, (-1, 0.0), {}, rf"^p {PROBABILITY_RANGE}; got -1.0$"),
    (xent.binary_focal_loss, (0.5, 1.01), {}, rf"^q {PROBABILITY_RANGE}"),
    (
        xent.softmax_cross_entropy_with_logits,
        ([1.5, -0.5], [0.0, 0.0]),
        {},
        rf"^t {PROBABILITY_RANGE}",
    ),
    *[(loss.value, (0.5, 7.0), {}, rf"^q {PROBABILITY_RANGE}") for loss in LOSSES.values()],
    *[(loss.value, (-2.0, 0.5), {}, rf"^p {PROBABILITY_RANGE}") for loss in LOSSES.values()],
    *[(loss.grad_logit, (1.2, 0.0), {}, rf"^p {PROBABILITY_RANGE}") for loss in LOSSES.values()],
    # infinite probabilities
    (xent.binary_cross_entropy, (math.inf, 0.5), {}, rf"^p {PROBABILITY_RANGE}; got inf$"),
    (xent.entropy, ([math.inf, 0.0],), {}, rf"^p {PROBABILITY_RANGE}"),
    # NaN probabilities
    (xent.entropy, ([NAN, 1.0],), {}, rf"^p {PROBABILITY_RANGE}; got NaN$"),
    (xent.cross_entropy, ([0.5, 0.5], [NAN, 0.5]), {}, rf"^q {PROBABILITY_RANGE}; got NaN$"),
    (xent.kl_divergence, ([NAN, 0.5], [0.5, 0.5]), {}, rf"^p {PROBABILITY_RANGE}; got NaN$"),
    (xent.binary_cross_entropy, (NAN, 0.5), {}, rf"^p {PROBABILITY_RANGE}; got NaN$"),
    (xent.binary_cross_entropy, (0.5, NAN), {}, rf"^q {PROBABILITY_RANGE}; got NaN$"),
    (xent.binary_cross_entropy_with_logits, (NAN, 0.0), {}, rf"^p {PROBABILITY_RANGE}; got NaN$"),
    (
        xent.softmax_cross_entropy_with_logits,
        ([NAN, 1.0], [0.0, 0.0]),
        {},
        rf"^t {PROBABILITY_RANGE}",
    ),
    *[
        (loss.value, (NAN, 0.5), {}, rf"^p {PROBABILITY_RANGE}; got NaN$")
        for loss in LOSSES.values()
    ],
    *[
        (loss.grad_logit, (NAN, 0.0), {}, rf"^p {PROBABILITY_RANGE}; got NaN$")
        for loss in LOSSES.values()
    ],
    # distributions that do not sum to 1
    (
        xent.entropy,
        ([0.5, 0.6],),
        {},
        r"^p must sum to 1 along axis -1 \(within .*\); got a sum of 1.1$",
    ),
    (xent.cross_entropy, ([0.5, 0.5], [0.2, 0.2]), {}, r"^q must sum to 1"),
    (xent.cross_entropy, ([0.0, 0.0], [0.5, 0.5]), {}, r"^p must sum to 1"),
    (xent.kl_divergence, ([0.5, 0.5], [[0.5, 0.5], [0.9, 0.9]]), {}, r"^q must sum to 1"),
    (xent.softmax_cross_entropy_with_logits, ([1.0, 1.0], [0.0, 0.0]), {}, r"^t must sum to 1"),
    (xent.entropy, ([[0.5, 0.4], [0.5, 0.6]],), {}, r"^p must sum to 1 along axis -1"),
    (xent.entropy, ([[0.5, 0.4], [0.5, 0.6]],), {"axis": 0}, None),  # columns sum to 1: fine
    (xent.entropy, ([[0.5, 0.5], [0.6, 0.4]],), {"axis": 0}, r"^p must sum to 1 along axis 0"),
    # mismatched shapes and class counts
    (xent.cross_entropy, ([0.5, 0.5], [1 / 3] * 3), {}, r"^p and q must have the same shape"),
    (
        xent.kl_divergence,
        ([0.5, 0.5], [[0.5], [1.0]]),
        {},
        r"^p and q must have the same number of classes",
    ),
    (xent.cross_entropy, ([0.5, 0.5], 1.0), {}, r"^p and q must have the same number of classes"),
    (
        xent.binary_cross_entropy,
        ([0.1, 0.2], [0.1, 0.2, 0.3]),
        {},
        r"^p and q must have broadcastable",
    ),
    (xent.binary_cross_entropy_with_logits, ([0.1, 0.2], [0.0] * 3), {}, r"^p and z must have"),
    (xent.binary_focal_loss, ([0.1, 0.2], [0.1] * 3), {}, r"^p and q must have"),
    (
        xent.softmax_cross_entropy_with_logits,
        ([1.0, 0.0, 0.0], [0.0, 0.0]),
        {},
        r"^t and z must have",
    ),
    (
        xent.softmax_cross_entropy_with_logits,
        ([1.0, 0.0], [[0.0], [0.0]]),
        {},
        r"^t and z must have the same number of classes",
    ),
    *[(loss.value, ([0.1, 0.2], [0.1] * 3), {}, r"^p and q must have") for loss in LOSSES.values()],
    *[
        (loss.grad_logit, ([0.1, 0.2], [0.0] * 3), {}, r"^p and z must have")
        for loss in LOSSES.values()
    ],
    (
        xent.softmax_cross_entropy_with_integer_labels,
        ([0, 1], np.zeros((3, 4))),
        {},
        r"^labels must have the shape of z without its class axis",
    ),
    # a positive axis counts in the broadcast shape, as in numpy: p's classes are on axis -1 here
    (
        xent.cross_entropy,
        ([0.2, 0.3, 0.5], np.full((3, 3), 1 / 3)),
        {"axis": 0},
        r"^p and q must have the same number of classes along axis 0",
    ),
    # the class axis must exist
    (xent.entropy, (1.0,), {}, r"^p must have a class axis"),
    (xent.softmax, (1.0,), {}, r"^z must have a class axis"),
    (xent.log_softmax, (1.0,), {}, r"^z must have a class axis"),
    (xent.logsumexp, (1.0,), {}, r"^z must have a class axis"),
    (xent.softmax_cross_entropy_with_integer_labels, (0, 1.0), {}, r"^z must have a class axis"),
    (xent.entropy, ([0.5, 0.5],), {"axis": 1}, r"^axis must be an integer in \[-1, 1\)"),
    (xent.cross_entropy, ([0.5, 0.5], [0.5, 0.5]), {"axis": -2}, r"^axis must be an integer"),
    (xent.entropy, (np.empty((2, 0)),), {}, r"^p must have at least one class"),
    (xent.softmax, (np.empty((2, 0)),), {}, r"^z must have at least one class along axis -1"),
    (xent.logsumexp, (np.empty(0),), {}, r"^z must have at least one class"),
    (xent.softmax, ([1.0, 2.0],), {"axis": 1}, r"^axis must be an integer in \[-1, 1\)"),
    (xent.log_softmax, (np.zeros((2, 3)),), {"axis": -3}, r"^axis must be an integer in \[-2, 2\)"),
    # integer labels outside [0, K), or not integers
    (
        xent.softmax_cross_entropy_with_integer_labels,
        (3, [0.0, 0.0, 0.0]),
        {},
        r"^labels must be integers in \[0, 3\); got values in \[3, 3\]$",
    ),
    (
        xent.softmax_cross_entropy_with_integer_labels,
        ([-1, 0], np.zeros((2, 3))),
        {},
        r"^labels must be integers in \[0, 3\); got values in \[-1, 0\]$",
    ),
    (
        xent.softmax_cross_entropy_with_integer_labels,
        (1.0, [0.0, 0.0]),
        {},
        r"^labels must be integers in \[0, 2\); got dtype float64$",
    ),
    (
        xent.softmax_cross_entropy_with_integer_labels,
        ([True], [0.0, 0.0]),
        {},
        r"^labels must be integers",
    ),
    (
        xent.softmax_cross_entropy_with_integer_labels,
        ("0", [0.0, 0.0]),
        {},
        r"^labels must be integers",
    ),
    # NaN logits
    (xent.sigmoid, ([0.0, NAN],), {}, r"^z must be real numbers or ±inf \(logits\); got NaN$"),
    (xent.log_sigmoid, (NAN,), {}, r"^z must be real numbers or ±inf"),
    (xent.softmax, ([NAN, 0.0],), {}, r"^z must be real numbers or ±inf"),
    (xent.log_softmax, ([NAN, 0.0],), {}, r"^z must be real numbers or ±inf"),
    (xent.logsumexp, ([NAN, 0.0],), {}, r"^z must be real numbers or ±inf"),
    (xent.binary_cross_entropy_with_logits, (0.5, NAN), {}, r"^z must be real numbers or ±inf"),
    (
        xent.softmax_cross_entropy_with_logits,
        ([1.0, 0.0], [NAN, 0.0]),
        {},
        r"^z must be real numbers or ±inf",
    ),
    (
        xent.softmax_cross_entropy_with_integer_labels,
        (0, [NAN, 0.0]),
        {},
        r"^z must be real numbers or ±inf",
    ),
    *[
        (loss.grad_logit, (0.5, NAN), {}, r"^z must be real numbers or ±inf")
        for loss in LOSSES.values()
    ],
    # all logits -inf: softmax has no mass to share out
    (xent.softmax, ([-math.inf, -math.inf],), {}, r"^z must have at least one logit above -inf"),
    # gamma
    (
        xent.binary_focal_loss,
        (0.5, 0.5),
        {"gamma": -1.0},
        r"^gamma must be a finite number >= 0; got -1.0$",
    ),
    (
        xent.binary_focal_loss,
        (0.5, 0.5),
        {"gamma": NAN},
        r"^gamma must be a finite number >= 0; got nan$",
    ),
    (
        xent.binary_focal_loss,
        (0.5, 0.5),
        {"gamma": math.inf},
        r"^gamma must be a finite number >= 0",
    ),
    (xent.binary_focal_loss, (0.5, 0.5), {"gamma": "2"}, r"^gamma must be a finite number >= 0"),
    (
        xent.binary_focal_loss,
        (0.5, 0.5),
        {"gamma": [1.0, 2.0]},
        r"^gamma must be a finite number >= 0",
    ),
    # not real numbers at all
    (xent.sigmoid, ("1",), {}, r"^z must be real numbers; got dtype <U1$"),
    (xent.softmax, ([1j, 0],), {}, r"^z must be real numbers; got dtype complex128$"),
    (xent.binary_cross_entropy, ("a", 0.5), {}, r"^p must be real numbers"),
    (xent.cross_entropy, ([0.5, 0.5], [None, 1.0]), {}, r"^q must be real numbers"),
    (xent.entropy, ([[0.5, 0.5], [1.0]],), {}, r"^p must be a rectangular array of real numbers$"),
    (xent.sigmoid, ([[0.0], [1.0, 2.0]],), {}, r"^z must be a rectangular array"),
]


def _case_id(case):
    f, _, _, match = case
    name = getattr(f, "__name__", repr(f)).lstrip("_")
    return f"{name}-{match[:40] if match else 'valid'}"


@pytest.mark.parametrize(("f", "args", "kwargs", "match"), CASES, ids=[_case_id(c) for c in CASES])
def test_invalid_input_raises_value_error_naming_the_argument(f, args, kwargs, match):
    if match is None:  # a neighbouring valid input, so that the table cannot pass by raising always
        f(*args, **kwargs)
        return
    with pytest.raises(ValueError, match=match):
        f(*args, **kwargs)


@pytest.mark.parametrize(
    ("f", "make_args"),
    [
        (xent.entropy, lambda p: (p,)),
        (xent.cross_entropy, lambda p: (p, p)),
        (xent.kl_divergence, lambda p: (p, p)),
        (xent.softmax_cross_entropy_with_logits, lambda p: (p, np.zeros_like(p))),
    ],
)
def test_sum_tolerance_is_scaled_to_the_dtype(f, make_args):
    off_by_1e6 = [0.5, 0.5 + 1e-6]
    # float32 rounds 0.1 + 0.2 + 0.7 by about 1e-7: an off-by-1e-6 sum is rounding there ...
    f(*make_args(np.array(off_by_1e6, dtype=np.float32)))
    # ... but a mistake in float64, where rounding is about 1e-16.
    name = "t" if f is xent.softmax_cross_entropy_with_logits else "p"
    with pytest.raises(ValueError, match=rf"^{name} must sum to 1"):
        f(*make_args(np.array(off_by_1e6, dtype=np.float64)))
    # A real mistake is refused in float32 too.
    with pytest.raises(ValueError, match=rf"^{name} must sum to 1"):
        f(*make_args(np.array([0.5, 0.51], dtype=np.float32)))


def test_rounding_of_a_long_float64_distribution_is_accepted():
    p = np.full(1000, 1 / 1000)
    p[-1] = 1 - p[:-1].sum()  # as a student's code would make it
    assert abs(float(xent.entropy(p)) - math.log(1000)) < 1e-12
    q = np.random.default_rng(0).dirichlet(np.ones(1000))
    xent.cross_entropy(p, q)
