"""The squashing functions of a classifier: sigmoid, softmax and their logs.

All functions take array-likes, work elementwise or along the class axis ``axis``
(default: the last), and return the input's floating dtype (float64 for integers).
Logits may be any real number or ±inf; NaN raises ``ValueError``.
"""

from __future__ import annotations

import numpy as np

from xent._validation import as_float, check_logits, class_axis_index, finish

__all__ = ["log_sigmoid", "log_softmax", "logsumexp", "sigmoid", "softmax"]


def sigmoid(z):
    """Logistic sigmoid σ(z) = 1 / (1 + exp(-z)), elementwise.

    Args:
        z: logits, any shape.

    Returns:
        Probabilities in [0, 1], the shape of ``z``.

    >>> float(sigmoid(0.0))
    0.5
    >>> sigmoid([-1000.0, 1000.0]).tolist()
    [0.0, 1.0]
    """
    z = check_logits(as_float(z, "z"), "z")
    # exp(-|z|) <= 1 never overflows; σ(z) = 1 / (1 + e) for z >= 0 and
    # σ(z) = e / (1 + e) for z < 0, with e = exp(-|z|) (the same identity, mirrored).
    e = np.exp(-np.abs(z))
    out = np.where(z >= 0, 1.0, e) / (1.0 + e)
    return finish(out, z.dtype)


def log_sigmoid(z):
    """log σ(z) = -softplus(-z), elementwise, exact for large negative z.

    Args:
        z: logits, any shape.

    Returns:
        Values in (-inf, 0], the shape of ``z``.

    >>> float(log_sigmoid(0.0))  # log(1/2)
    -0.6931471805599453
    >>> float(log_sigmoid(-1000.0))
    -1000.0
    """
    z = check_logits(as_float(z, "z"), "z")
    # log σ(z) = -log(1 + exp(-z)) = min(z, 0) - log1p(exp(-|z|)):
    # exp(-|z|) cannot overflow and log1p keeps the tiny tail for large |z|.
    with np.errstate(invalid="ignore"):  # -inf + ... is fine; only inf - inf would be NaN
        out = np.minimum(z, 0) - np.log1p(np.exp(-np.abs(z)))
    return finish(out, z.dtype)


def _shifted(z: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """``z - m`` and ``m``, with m the max along ``axis`` (kept dims).

    Shifting by the max is the identity log Σ exp(z) = m + log Σ exp(z - m): the largest
    exponent becomes exp(0) = 1, so nothing overflows, and large common offsets (float32
    logits near 1e8) cancel exactly before any rounding of the sum. A row whose max is
    +inf puts all its mass on its +inf entries (shifted to 0, the rest to -inf).
    """
    if z.shape[class_axis_index(axis, z.ndim, "z")] == 0:
        raise ValueError(f"z must have at least one class along axis {axis}; got 0")
    m = np.max(z, axis=axis, keepdims=True)
    if np.any(m == -np.inf):
        raise ValueError("z must have at least one logit above -inf along the class axis")
    finite = np.isfinite(m)
    # z - m can overflow to -inf (z = -1e308, m = 1e308): exp(-inf) = 0 is then exact.
    with np.errstate(over="ignore"):
        if finite.all():
            return z - m, m
        shifted = np.where(finite, z - np.where(finite, m, 0), np.where(z == np.inf, 0, -np.inf))
    return shifted.astype(z.dtype, copy=False), m


def _log_sum_exp_shifted(shifted: np.ndarray, axis: int) -> np.ndarray:
    """log Σ_k exp(s_k) for s = z - max z (kept dims), exact also when the sum is near 1.

    The max entry contributes exp(0) = 1, so log Σ exp(s) = log1p(Σ_{k ≠ argmax} exp(s_k)):
    log1p keeps a small remainder that log(1 + 4e-18) would round away (z = [40, 0]),
    the same separation scipy's logsumexp makes.
    """
    e = np.exp(shifted)
    top = np.argmax(shifted, axis=axis, keepdims=True)
    np.put_along_axis(e, top, 0, axis=axis)
    return np.log1p(np.sum(e, axis=axis, keepdims=True))


def logsumexp(z, axis: int = -1):
    """log Σ_k exp(z_k) along ``axis``, without overflow.

    Args:
        z: logits, shape (..., K) for the default ``axis``.
        axis: the class axis.

    Returns:
        Shape of ``z`` without ``axis``; a scalar for 1-D input.

    >>> float(logsumexp([1000.0, 1000.0]))  # 1000 + log 2
    1000.6931471805599
    """
    z = check_logits(as_float(z, "z"), "z")
    shifted, m = _shifted(z, axis)
    out = _log_sum_exp_shifted(shifted, axis) + m
    return finish(np.squeeze(out, axis=axis), z.dtype)


def log_softmax(z, axis: int = -1):
    """log softmax(z)_k = z_k - log Σ_j exp(z_j) along ``axis``.

    Args:
        z: logits, shape (..., K) for the default ``axis``.
        axis: the class axis.

    Returns:
        Log-probabilities in (-inf, 0], the shape of ``z``.

    >>> log_softmax([0.0, 0.0]).tolist() == [-np.log(2)] * 2
    True
    >>> float(log_softmax([40.0, 0.0])[0])  # -log(1 + e^-40), not rounded to 0
    -4.248354255291589e-18
    """
    z = check_logits(as_float(z, "z"), "z")
    shifted, _ = _shifted(z, axis)
    # (z - m) - log Σ exp(z - m): the shift cancels in the difference, so it is exact.
    return finish(shifted - _log_sum_exp_shifted(shifted, axis), z.dtype)


def softmax(z, axis: int = -1):
    """softmax(z)_k = exp(z_k) / Σ_j exp(z_j) along ``axis``.

    Args:
        z: logits, shape (..., K) for the default ``axis``.
        axis: the class axis.

    Returns:
        Probabilities summing to 1 along ``axis``, the shape of ``z``.

    >>> softmax([1000.0, 1.0]).tolist()  # unshifted, exp(1000) would overflow
    [1.0, 0.0]
    """
    z = check_logits(as_float(z, "z"), "z")
    shifted, _ = _shifted(z, axis)
    # exp(z - m) / Σ exp(z - m): the same ratio as unshifted, with every exponent <= 0.
    e = np.exp(shifted)
    e /= np.sum(e, axis=axis, keepdims=True)
    return finish(e, z.dtype)
