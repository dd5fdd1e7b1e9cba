"""Entropy, cross-entropy, KL divergence and the classification losses built on them.

Natural log throughout, so every value is in nats. Argument order is target first,
prediction second, as in H(P, Q). Conventions: 0 · log 0 = 0, and a target with mass
where the prediction has none gives +inf (never NaN).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from xent._validation import (
    as_float,
    check_broadcast,
    check_class_axis,
    check_distribution,
    check_logits,
    check_probabilities,
    common_float_dtype,
    finish,
)
from xent.functions import log_sigmoid, log_softmax, sigmoid

__all__ = [
    "BINARY_LOSSES",
    "BinaryLoss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "binary_focal_loss",
    "cross_entropy",
    "entropy",
    "kl_divergence",
    "softmax_cross_entropy_with_integer_labels",
    "softmax_cross_entropy_with_logits",
]


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x · log y with the convention 0 · log y = 0, even for y = 0 (no NaN, no warning)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = x * np.log(y)
    return np.where(x == 0, 0, out)


def _probabilities(name: str, value: object, dtype: np.dtype) -> np.ndarray:
    return check_probabilities(as_float(value, name, dtype), name)


# --- distributions over K outcomes (class axis ``axis``) -------------------------------


def entropy(p, axis: int = -1):
    """Shannon entropy H(P) = -Σ_x P(x) log P(x), in nats.

    Args:
        p: a distribution, shape (..., K): entries in [0, 1] summing to 1 along ``axis``.
        axis: the class axis.

    Returns:
        Shape of ``p`` without ``axis``; a scalar for 1-D input.

    >>> round(float(entropy([0.2, 0.8])), 4)  # a box of 2 red and 8 white balls
    0.5004
    """
    dtype = common_float_dtype(p=p)
    p = check_distribution(as_float(p, "p", dtype), "p", axis)
    return finish(-np.sum(_xlogy(p, p), axis=axis), dtype)


def cross_entropy(p, q, axis: int = -1):
    """Cross-entropy H(P, Q) = -Σ_x P(x) log Q(x), in nats.

    Never below H(P); equal to it exactly when Q = P, since H(P, Q) = H(P) + KL(P || Q).

    Args:
        p: the true distribution, shape (..., K).
        q: the model's distribution, broadcastable to ``p``, same K.
        axis: the class axis.

    Returns:
        The broadcast shape without ``axis``; a scalar for 1-D input.

    >>> round(float(cross_entropy([0.2, 0.8], [0.5, 0.5])), 4)  # log 2
    0.6931
    """
    dtype = common_float_dtype(p=p, q=q)
    p = check_distribution(as_float(p, "p", dtype), "p", axis)
    q = check_distribution(as_float(q, "q", dtype), "q", axis)
    check_class_axis(p, q, "p", "q", axis)
    return finish(-np.sum(_xlogy(p, q), axis=axis), dtype)


def kl_divergence(p, q, axis: int = -1):
    """Kullback-Leibler divergence KL(P || Q) = Σ_x P(x) log(P(x) / Q(x)), in nats.

    Args:
        p: the true distribution, shape (..., K).
        q: the model's distribution, broadcastable to ``p``, same K.
        axis: the class axis.

    Returns:
        Values >= 0, the broadcast shape without ``axis``; +inf where P(x) > 0 = Q(x).

    >>> float(kl_divergence([0.5, 0.5], [0.5, 0.5]))
    0.0
    """
    dtype = common_float_dtype(p=p, q=q)
    p = check_distribution(as_float(p, "p", dtype), "p", axis)
    q = check_distribution(as_float(q, "q", dtype), "q", axis)
    check_class_axis(p, q, "p", "q", axis)
    # p log(p / q) (scipy's rel_entr): one log, and exactly 0 where p = q.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        terms = p * np.log(p / q)
    terms = np.where(p == 0, 0, terms)
    # Rounding can leave a sum of -1e-17 for P ≈ Q; KL is never negative.
    return finish(np.maximum(np.sum(terms, axis=axis), 0), dtype)


# --- binary (Bernoulli) case, elementwise ------------------------------------------------


def binary_cross_entropy(p, q):
    """Binary cross-entropy L(p, q) = -p log q - (1 - p) log(1 - q), elementwise, in nats.

    The cross-entropy of the Bernoulli distributions (p, 1 - p) and (q, 1 - q);
    smallest, and equal to the entropy H(p), at q = p.

    Args:
        p: true probability of the positive outcome, in [0, 1].
        q: predicted probability, in [0, 1]; broadcastable with ``p``.

    Returns:
        The broadcast shape; +inf where the prediction rules out what can happen.

    >>> round(float(binary_cross_entropy(0.2, 0.2)), 4)  # = H(0.2)
    0.5004
    >>> float(binary_cross_entropy(1.0, 0.0))
    inf
    """
    dtype = common_float_dtype(p=p, q=q)
    p = _probabilities("p", p, dtype)
    q = _probabilities("q", q, dtype)
    check_broadcast(p, q, "p", "q")
    return finish(-_xlogy(p, q) - _xlogy(1 - p, 1 - q), dtype)


def binary_cross_entropy_with_logits(p, z):
    """Binary cross-entropy of q = σ(z), computed from the logit z, elementwise.

    L = max(z, 0) - z p + log(1 + exp(-|z|)).

    Args:
        p: true probability of the positive outcome, in [0, 1].
        z: the model's logit (q = σ(z)), any real number; broadcastable with ``p``.

    Returns:
        The broadcast shape; finite for every finite ``z``.

    >>> float(binary_cross_entropy_with_logits(1.0, 1e9))  # 1 - σ(1e9) rounds to 0
    0.0
    """
    dtype = common_float_dtype(p=p, z=z)
    p = _probabilities("p", p, dtype)
    z = check_logits(as_float(z, "z", dtype), "z")
    check_broadcast(p, z, "p", "z")
    # -p log σ(z) - (1-p) log σ(-z) with log σ(z) = -softplus(-z) and
    # softplus(z) = max(z, 0) + log1p(exp(-|z|)): exp never overflows, no 1 - σ(z).
    with np.errstate(invalid="ignore"):  # only ±inf logits reach inf - inf
        out = np.maximum(z, 0) - z * p + np.log1p(np.exp(-np.abs(z)))
    # Infinite logits: the limit is 0 when the target agrees and +inf otherwise.
    if not np.isfinite(z).all():
        wrong = np.where(z > 0, 1 - p, p)
        out = np.where(np.isinf(z), np.where(wrong == 0, 0, np.inf), out)
    return finish(out, dtype)


def binary_focal_loss(p, q, *, gamma: float = 2.0):
    """Focal loss L = -p (1-q)^γ log q - (1-p) q^γ log(1-q), elementwise.

    Cross-entropy with each term damped by how right the model already is (Lin et al.,
    2017); γ = 0 gives binary cross-entropy back.

    Args:
        p: true probability, in [0, 1].
        q: predicted probability, in [0, 1]; broadcastable with ``p``.
        gamma: focusing exponent, >= 0.

    Returns:
        The broadcast shape.

    >>> bool(np.isclose(binary_focal_loss(1.0, 0.5), 0.25 * np.log(2)))
    True
    """
    _check_gamma(gamma)
    dtype = common_float_dtype(p=p, q=q)
    p = _probabilities("p", p, dtype)
    q = _probabilities("q", q, dtype)
    check_broadcast(p, q, "p", "q")
    return finish(-_xlogy(p * (1 - q) ** gamma, q) - _xlogy((1 - p) * q**gamma, 1 - q), dtype)


def _check_gamma(gamma: float) -> None:
    if not (np.isfinite(gamma) and gamma >= 0):
        raise ValueError(f"gamma must be a finite number >= 0; got {gamma!r}")


# --- K classes from logits --------------------------------------------------------------


def softmax_cross_entropy_with_logits(t, z, axis: int = -1):
    """Cross-entropy of softmax(z) against a target distribution t: -Σ_k t_k log softmax(z)_k.

    For a one-hot target this is -log Q(true class). Its gradient is ∂L/∂z = softmax(z) - t.

    Args:
        t: target distribution (one-hot or soft), shape (..., K).
        z: logits, the same shape (or broadcastable, same K).
        axis: the class axis.

    Returns:
        The broadcast shape without ``axis``; a scalar for 1-D input.

    >>> round(float(softmax_cross_entropy_with_logits([1, 0, 0], [2.0, 1.0, 0.1])), 4)
    0.417
    """
    dtype = common_float_dtype(t=t, z=z)
    t = check_distribution(as_float(t, "t", dtype), "t", axis)
    z = check_logits(as_float(z, "z", dtype), "z")
    check_class_axis(t, z, "t", "z", axis)
    # log_softmax shifts by the max before anything else (see xent.functions).
    return finish(-np.sum(_xlogy_logs(t, log_softmax(z, axis=axis)), axis=axis), dtype)


def _xlogy_logs(t: np.ndarray, log_q: np.ndarray) -> np.ndarray:
    """t · log q given log q, with 0 · (-inf) = 0."""
    with np.errstate(invalid="ignore"):
        out = t * log_q
    return np.where(t == 0, 0, out)


def softmax_cross_entropy_with_integer_labels(labels, z):
    """-log softmax(z)[label] for integer class labels; the class axis of ``z`` is last.

    L = log Σ_k exp(z_k - m) - (z_label - m), with m = max_k z_k.

    Args:
        labels: integers in [0, K), shape (...,).
        z: logits, shape (..., K).

    Returns:
        Shape (...,); a scalar for 1-D ``z``.

    >>> bool(np.isclose(softmax_cross_entropy_with_integer_labels(0, [0.0, 0.0]), np.log(2)))
    True
    """
    z = check_logits(as_float(z, "z"), "z")
    if z.ndim == 0:
        raise ValueError("z must have a class axis (last); got a scalar")
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        raise ValueError(f"labels must be integers in [0, {z.shape[-1]}); got dtype {labels.dtype}")
    k = z.shape[-1]
    if labels.size and (labels.min() < 0 or labels.max() >= k):
        raise ValueError(
            f"labels must be integers in [0, {k}); got values in [{labels.min()}, {labels.max()}]"
        )
    try:
        batch = np.broadcast_shapes(labels.shape, z.shape[:-1])
    except ValueError:
        raise ValueError(
            f"labels must have the shape of z without its class axis; "
            f"got {labels.shape} and {z.shape}"
        ) from None
    z = np.broadcast_to(z, (*batch, k))
    labels = np.broadcast_to(labels, batch)
    # Shift by the max first, also before picking the target logit: otherwise
    # logsumexp(z) - z_label cancels catastrophically for large common offsets.
    m = np.max(z, axis=-1, keepdims=True)
    if not np.isfinite(m).all():
        return finish(-np.take_along_axis(log_softmax(z), labels[..., None], -1)[..., 0], z.dtype)
    shifted = z - m
    picked = np.take_along_axis(shifted, labels[..., None], axis=-1)[..., 0]
    lse = np.log(np.sum(np.exp(shifted), axis=-1))
    return finish(lse - picked, z.dtype)


# --- the binary loss registry -------------------------------------------------------------


@dataclass(frozen=True)
class BinaryLoss:
    """A loss for a binary prediction q = σ(z) against a target probability p.

    Attributes:
        name: registry key.
        label: a short name for legends.
        latex: the formula L(p, q), for ``st.latex``.
        grad_latex: the formula ∂L/∂z, for ``st.latex``.
        text: the formula in plain text, for screen readers and tooltips.
        value: L(p, q) from probabilities, elementwise.
        grad_logit: ∂L/∂z at q = σ(z), elementwise.
    """

    name: str
    label: str
    latex: str
    grad_latex: str
    text: str
    value: Callable[..., np.ndarray]
    grad_logit: Callable[..., np.ndarray]


def _logit_args(p, z) -> tuple[np.ndarray, np.ndarray, np.dtype]:
    dtype = common_float_dtype(p=p, z=z)
    p = _probabilities("p", p, dtype)
    z = check_logits(as_float(z, "z", dtype), "z")
    check_broadcast(p, z, "p", "z")
    return p, z, dtype


def _sigmoid_pair(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """q = σ(z) and 1 - q = σ(-z), each computed directly (1 - σ(40) would round to 0)."""
    return np.asarray(sigmoid(z)), np.asarray(sigmoid(-z))


def _cross_entropy_grad(p, z):
    # ∂L/∂q · ∂q/∂z = (-p/q + (1-p)/(1-q)) · q(1-q) = q - p: the sigmoid's slope cancels.
    p, z, dtype = _logit_args(p, z)
    return finish(np.asarray(sigmoid(z)) - p, dtype)


def _squared_error(p, q):
    dtype = common_float_dtype(p=p, q=q)
    p, q = _probabilities("p", p, dtype), _probabilities("q", q, dtype)
    check_broadcast(p, q, "p", "q")
    return finish((q - p) ** 2, dtype)


def _squared_error_grad(p, z):
    # ∂/∂z (q - p)^2 = 2 (q - p) · q(1 - q): the slope q(1-q) stays and stalls learning.
    p, z, dtype = _logit_args(p, z)
    q, one_minus_q = _sigmoid_pair(z)
    return finish(2 * (q - p) * q * one_minus_q, dtype)


def _absolute_error(p, q):
    dtype = common_float_dtype(p=p, q=q)
    p, q = _probabilities("p", p, dtype), _probabilities("q", q, dtype)
    check_broadcast(p, q, "p", "q")
    return finish(np.abs(q - p), dtype)


def _absolute_error_grad(p, z):
    # ∂/∂z |q - p| = sign(q - p) · q(1 - q); 0 at q = p (the subgradient's midpoint).
    p, z, dtype = _logit_args(p, z)
    q, one_minus_q = _sigmoid_pair(z)
    return finish(np.sign(q - p) * q * one_minus_q, dtype)


_FOCAL_GAMMA = 2.0


def _focal(p, q):
    return binary_focal_loss(p, q, gamma=_FOCAL_GAMMA)


def _focal_grad(p, z):
    # With q = σ(z), q' = q(1-q), log q = log σ(z), log(1-q) = log σ(-z):
    # ∂/∂z [-(1-q)^γ log q]   = γ q (1-q)^γ log q - (1-q)^(γ+1)
    # ∂/∂z [-q^γ log(1-q)]    = q^(γ+1) - γ q^γ (1-q) log(1-q)
    p, z, dtype = _logit_args(p, z)
    g = _FOCAL_GAMMA
    q, r = _sigmoid_pair(z)
    log_q, log_r = np.asarray(log_sigmoid(z)), np.asarray(log_sigmoid(-z))
    with np.errstate(invalid="ignore"):  # 0 · (-inf) only for infinite logits
        positive = g * q * r**g * log_q - r ** (g + 1)
        negative = q ** (g + 1) - g * q**g * r * log_r
    positive = np.where(r == 0, 0, positive)
    negative = np.where(q == 0, 0, negative)
    return finish(p * positive + (1 - p) * negative, dtype)


BINARY_LOSSES: Mapping[str, BinaryLoss] = MappingProxyType(
    {
        "cross_entropy": BinaryLoss(
            name="cross_entropy",
            label="cross-entropy",
            latex=r"L = -p\log q - (1-p)\log(1-q)",
            grad_latex=r"\frac{\partial L}{\partial z} = q - p",
            text="L = -p log q - (1-p) log(1-q); dL/dz = q - p",
            value=binary_cross_entropy,
            grad_logit=_cross_entropy_grad,
        ),
        "squared_error": BinaryLoss(
            name="squared_error",
            label="squared error",
            latex=r"L = (q - p)^2",
            grad_latex=r"\frac{\partial L}{\partial z} = 2\,(q - p)\,q\,(1-q)",
            text="L = (q - p)^2; dL/dz = 2 (q - p) q (1-q)",
            value=_squared_error,
            grad_logit=_squared_error_grad,
        ),
        "absolute_error": BinaryLoss(
            name="absolute_error",
            label="absolute error",
            latex=r"L = |q - p|",
            grad_latex=r"\frac{\partial L}{\partial z} = \operatorname{sign}(q - p)\,q\,(1-q)",
            text="L = |q - p|; dL/dz = sign(q - p) q (1-q)",
            value=_absolute_error,
            grad_logit=_absolute_error_grad,
        ),
        "focal": BinaryLoss(
            name="focal",
            label="focal (γ = 2)",
            latex=r"L = -p\,(1-q)^{\gamma}\log q - (1-p)\,q^{\gamma}\log(1-q),\quad \gamma = 2",
            grad_latex=(
                r"\frac{\partial L}{\partial z} = p\left[\gamma q (1-q)^{\gamma}\log q"
                r" - (1-q)^{\gamma+1}\right] + (1-p)\left[q^{\gamma+1}"
                r" - \gamma q^{\gamma}(1-q)\log(1-q)\right]"
            ),
            text="L = -p (1-q)^2 log q - (1-p) q^2 log(1-q)",
            value=_focal,
            grad_logit=_focal_grad,
        ),
    }
)
