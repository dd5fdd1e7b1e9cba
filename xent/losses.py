"""Entropy, cross-entropy, KL divergence and the classification losses built on them.

Natural log throughout, so every value is in nats. Argument order is target first,
prediction second, as in H(P, Q). Conventions: 0 · log 0 = 0, and a target with mass
where the prediction has none gives +inf (never NaN).

The losses the app compares and trains with are declared once, as entries of two
registries: ``BINARY_LOSSES`` (a prediction q = σ(z) against a target p) and
``MULTICLASS_LOSSES`` (Q = softmax(z) against a target distribution t). An entry carries
its math, its stable form from the logit for the training engine, its words, unit, link
slug and chart style; see ``docs/ARCHITECTURE.md`` ("A binary loss").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np

from xent._validation import (
    as_float,
    broadcast_class_pair,
    check_broadcast,
    check_distribution,
    check_logits,
    check_probabilities,
    common_float_dtype,
    finish,
)
from xent.functions import _log_sum_exp_shifted, _shifted, log_sigmoid, log_softmax, sigmoid
from xent.i18n import N_, tr

__all__ = [
    "BINARY_LOSSES",
    "LABEL_SMOOTHING",
    "MULTICLASS_LOSSES",
    "NATS",
    "BinaryLoss",
    "LineStyle",
    "LogitTerms",
    "MulticlassLoss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "binary_focal_loss",
    "cross_entropy",
    "entropy",
    "find_binary_loss",
    "kl_divergence",
    "line_styles",
    "register_binary_loss",
    "register_multiclass_loss",
    "softmax_cross_entropy_with_integer_labels",
    "softmax_cross_entropy_with_logits",
    "unregister_binary_loss",
]


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x · log y with the convention 0 · log y = 0, even for y = 0 (no NaN, no warning)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = x * np.log(y)
    return np.where(x == 0, 0, out)


def _xlog1my(x: np.ndarray, q: np.ndarray) -> np.ndarray:
    """x · log(1 - q), as x · log1p(-q), with 0 · log 0 = 0.

    log1p(-q) keeps small q: log(1 - 1e-20) would round to log(1) = 0.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        out = x * np.log1p(-q)
    return np.where(x == 0, 0, out)


def _nats(neg_sum: np.ndarray) -> np.ndarray:
    """-x for a sum x of terms p log q <= 0, written 0 - x so that a loss of 0 is +0.0.

    Plain negation gives -0.0, which a page would print as "-0.00 nats".
    """
    return 0.0 - neg_sum


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
    return finish(_nats(np.sum(_xlogy(p, p), axis=axis)), dtype)


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
    p, q, axis, dtype = _distribution_pair(p, q, axis)
    return finish(_nats(np.sum(_xlogy(p, q), axis=axis)), dtype)


def _distribution_pair(p, q, axis: int) -> tuple[np.ndarray, np.ndarray, int, np.dtype]:
    """p and q checked, broadcast together, and ``axis`` counted in the broadcast shape."""
    dtype = common_float_dtype(p=p, q=q)
    p, q = as_float(p, "p", dtype), as_float(q, "q", dtype)
    p, q, ax = broadcast_class_pair(p, q, "p", "q", axis)
    check_distribution(p, "p", axis)
    check_distribution(q, "q", axis)
    return p, q, ax, dtype


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
    p, q, axis, dtype = _distribution_pair(p, q, axis)
    # p log(p / q) (scipy's rel_entr): one log, and exactly 0 where p = q. When p / q
    # overflows or is subnormal (q = 5e-324) it uses log(p / q) = log p - log q instead,
    # which stays finite (744.4 for p = 1) where the ratio alone would say +inf.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        ratio = p / q
        normal = np.isfinite(ratio) & (ratio >= np.finfo(dtype).tiny)
        log_ratio = np.where(normal, np.log(ratio), np.log(p) - np.log(q))
        terms = p * log_ratio
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
    return finish(_nats(_xlogy(p, q) + _xlog1my(1 - p, q)), dtype)


def binary_cross_entropy_with_logits(p, z):
    """Binary cross-entropy of q = σ(z), computed from the logit z, elementwise.

    L = max(z, 0) - z p + log(1 + exp(-|z|)), that is z (1 - p) + log(1 + exp(-z)) for
    z >= 0 and -z p + log(1 + exp(z)) for z < 0.

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
    # max(z, 0) - z p is written z (1 - p) or -z p by the sign of z: two terms >= 0, so
    # nothing cancels (30 - 30 p loses 8 digits for p = 1 - 1e-10).
    with np.errstate(invalid="ignore"):  # only ±inf logits reach inf · 0
        linear = np.where(z >= 0, z * (1 - p), -z * p)
        out = linear + np.log1p(np.exp(-np.abs(z)))
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
    gamma = _check_gamma(gamma)
    dtype = common_float_dtype(p=p, q=q)
    p = _probabilities("p", p, dtype)
    q = _probabilities("q", q, dtype)
    check_broadcast(p, q, "p", "q")
    return finish(_nats(_xlogy(p * (1 - q) ** gamma, q) + _xlog1my((1 - p) * q**gamma, q)), dtype)


def _check_gamma(gamma: object) -> float:
    message = f"gamma must be a finite number >= 0; got {gamma!r}"
    if isinstance(gamma, bool | str | bytes):
        raise ValueError(message)
    try:
        g = float(gamma)
    except (TypeError, ValueError):
        raise ValueError(message) from None
    if not (np.isfinite(g) and g >= 0):
        raise ValueError(message)
    return g


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
    t, z = as_float(t, "t", dtype), as_float(z, "z", dtype)
    t, z, ax = broadcast_class_pair(t, z, "t", "z", axis)
    check_distribution(t, "t", axis)
    check_logits(z, "z")
    # log_softmax shifts by the max before anything else (see xent.functions). Logits near the
    # float limit can make the true loss itself exceed it: that sum is +inf, without a warning.
    with np.errstate(over="ignore"):
        total = np.sum(_xlogy_logs(t, log_softmax(z, axis=ax)), axis=ax)
    return finish(_nats(total), dtype)


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
    shifted, _ = _shifted(z, -1)
    picked = np.take_along_axis(shifted, labels[..., None], axis=-1)[..., 0]
    lse = _log_sum_exp_shifted(shifted, -1)[..., 0]
    return finish(_nats(picked - lse), z.dtype)


# --- the loss registries ----------------------------------------------------------------------
#
# A loss is declared once, as an entry: its math (value, gradient, the engine's stable form
# from the logit), its words (label, name in a sentence, unit, formulas) and its place in a
# link and on a chart (slug, line style). Training, the pages' readings, CSV columns, colours
# and legends all read the entry; nothing else lists the losses.

#: The unit of a loss that is a log of a probability (natural log). Other losses (squared
#: and absolute error of probabilities) have no unit.
NATS = "nats"
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class LineStyle:
    """How a loss's series is drawn on every chart, the same on every page.

    Attributes:
        color: a colour name of ``xent.charts.OKABE_ITO`` ("blue") or a CSS hex colour.
        dash: the stroke dash, Vega-Lite's ``strokeDash``: lengths of dash and gap in
            pixels, ``(1, 0)`` for a solid line.
    """

    color: str
    dash: tuple[int, ...]


class LogitTerms(NamedTuple):
    """A loss at a logit, as the training engine needs it: elementwise value, gradient with
    respect to the logit(s), and the prediction (q = σ(y), or Q = softmax(z))."""

    value: np.ndarray
    grad: np.ndarray
    prediction: np.ndarray


class _Shown:
    """What a loss shows a reader, in the current language (``xent.i18n.tr``): its label,
    its name inside a sentence and its formula in words (the stored English ones are keys:
    links, CSV columns and line styles use them)."""

    label: str
    in_words: str
    text: str

    @property
    def shown_label(self) -> str:
        """:attr:`label` in the current language."""
        return tr(self.label)

    @property
    def shown_in_words(self) -> str:
        """:attr:`in_words` in the current language."""
        return tr(self.in_words)

    @property
    def shown_text(self) -> str:
        """:attr:`text` in the current language."""
        return tr(self.text)


@dataclass(frozen=True, kw_only=True)
class BinaryLoss(_Shown):
    """A loss for a binary prediction q = σ(z) against a target probability p.

    Attributes:
        name: registry key (what code passes around: ``train_neuron(loss=name)``).
        label: its name in legends, chart tooltips and formula headings, in English: the
            key links, CSV files and line styles are matched by, and the message
            (``xent.i18n``) that :attr:`shown_label` shows in the reader's language.
        slug: its value in a link (``?losses=focal``) and on its toggle: lowercase letters,
            digits and hyphens. Links written before slugs named a loss by its ``label`` or
            ``name``; :func:`find_binary_loss` still reads those.
        in_words: its name inside a sentence ("focal", where the label says "focal (γ = 2)"),
            in English; :attr:`shown_in_words` in the reader's language.
        unit: ``NATS`` when the loss is a log of a probability, None when it has no unit.
        style: its line on every chart.
        proper: whether it is a (strictly) proper scoring rule: its expected loss under
            y ~ Bernoulli(p) is smallest at q = p, for every p. The pages say so for exactly
            these losses; ``tests/test_loss_registry.py`` checks the claim numerically.
        latex: the formula L(p, q), for ``st.latex``, drawn after a ``&`` inside an
            ``aligned`` environment: a long one breaks into indented lines so that it fits a
            phone.
        grad_latex: the formula ∂L/∂z, the same way.
        text: the formula in plain text, for screen readers and tooltips (:attr:`shown_text`
            in the reader's language, when it has words).
        value: L(p, q) from probabilities, elementwise, validated.
        grad_logit: ∂L/∂z at q = σ(z), elementwise, validated.
        from_logit: ``(p, y) -> LogitTerms(L, ∂L/∂y, q)`` from the logit y, for the training
            engine's inner loop: no validation, finite for every finite y (q rounding to 0
            or 1 never gives inf or NaN); where y is not finite the engine stops the run.
    """

    name: str
    label: str
    slug: str
    in_words: str
    unit: str | None
    style: LineStyle
    proper: bool
    latex: str
    grad_latex: str
    text: str
    value: Callable[..., np.ndarray]
    grad_logit: Callable[..., np.ndarray]
    from_logit: Callable[[np.ndarray, np.ndarray], LogitTerms]

    @property
    def loss_column(self) -> str:
        """The CSV column of this loss's values: ``loss_<name>``, with ``_nats`` for nats."""
        return f"loss_{self.name}" + (f"_{self.unit}" if self.unit else "")


def _logit_args(p, z) -> tuple[np.ndarray, np.ndarray, np.dtype]:
    dtype = common_float_dtype(p=p, z=z)
    p = _probabilities("p", p, dtype)
    z = check_logits(as_float(z, "z", dtype), "z")
    check_broadcast(p, z, "p", "z")
    return p, z, dtype


def _sigmoid_pair(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """q = σ(z) and 1 - q = σ(-z), each computed directly (1 - σ(40) would round to 0)."""
    return np.asarray(sigmoid(z)), np.asarray(sigmoid(-z))


def _q_minus_p(p: np.ndarray, q: np.ndarray, one_minus_q: np.ndarray) -> np.ndarray:
    """q - p, written (1 - p) - (1 - q) when q > 1/2: q = σ(40) rounds to 1, σ(-40) does not."""
    return np.where(q > 0.5, (1 - p) - one_minus_q, q - p)


def _cross_entropy_grad(p, z):
    # ∂L/∂q · ∂q/∂z = (-p/q + (1-p)/(1-q)) · q(1-q) = q - p: the sigmoid's slope cancels.
    p, z, dtype = _logit_args(p, z)
    return finish(_q_minus_p(p, *_sigmoid_pair(z)), dtype)


# --- the other losses, each written once: its value and its slope side by side --------------
#
# As in micrograd, a loss is its value and its local derivative written next to each other,
# here in the sigmoid's pieces (q = σ(z), r = 1 - q, log q, log r, d = q - p). The training
# engine's ``from_logit`` feeds them pieces computed fast from the logit (no validation, in
# place where it saves an array: once per gradient step); ``grad_logit`` and ``value`` feed
# the same function pieces computed for precision from validated input.


class _Pieces(NamedTuple):
    """The pieces a binary loss is written in, each computed directly (never 1 - σ(z))."""

    q: np.ndarray  # σ(z)
    r: np.ndarray  # 1 - q = σ(-z)
    log_q: np.ndarray
    log_r: np.ndarray
    d: np.ndarray  # q - p


def _precise_pieces(p: np.ndarray, z: np.ndarray) -> _Pieces:
    """The pieces for validated input: d = (1 - p) - (1 - q) above q = ½ (σ(40) rounds to 1),
    and the logs kept finite at z = ±inf (where r^γ log r → 0, as the loss's limit says)."""
    q, r = _sigmoid_pair(z)
    lowest = np.finfo(q.dtype).min
    log_q = np.maximum(np.asarray(log_sigmoid(z)), lowest)
    log_r = np.maximum(np.asarray(log_sigmoid(-z)), lowest)
    return _Pieces(q, r, log_q, log_r, _q_minus_p(p, q, r))


def _fast_pieces(p: np.ndarray, y: np.ndarray) -> _Pieces:
    """The pieces for the training engine: q and 1 - q from their logs (no cancellation)."""
    q, r, log_q, log_r = _probabilities_from_logit(y)
    return _Pieces(q, r, log_q, log_r, q - p)


def _squared_error_terms(p, s: _Pieces) -> tuple[np.ndarray, np.ndarray]:
    # L = (q - p)^2; ∂L/∂z = 2 (q - p) · q(1 - q): the sigmoid's slope q(1-q) stays and
    # stalls learning where the model is confidently wrong.
    grad = 2.0 * s.d
    grad *= s.q
    grad *= s.r
    return s.d * s.d, grad


def _absolute_error_terms(p, s: _Pieces) -> tuple[np.ndarray, np.ndarray]:
    # L = |q - p|; ∂L/∂z = sign(q - p) · q(1 - q), 0 at q = p (the subgradient's midpoint).
    grad = np.sign(s.d)
    grad *= s.q
    grad *= s.r
    return np.abs(s.d), grad


def _focal_terms(p, s: _Pieces) -> tuple[np.ndarray, np.ndarray]:
    # L = -p (1-q)^γ log q - (1-p) q^γ log(1-q), and with q' = q (1-q):
    # ∂L/∂z = p [γ q (1-q)^γ log q - (1-q)^(γ+1)] + (1-p) [q^(γ+1) - γ q^γ (1-q) log(1-q)]
    # numpy squares for r ** 2.0 (no float power, which is ~10x slower); r^(γ+1) = r^γ r.
    g = FOCAL_GAMMA
    rg, qg = s.r**g, s.q**g
    a, b = rg * s.log_q, qg * s.log_r
    value = -p * a - (1 - p) * b
    grad = p * (g * s.q * a - rg * s.r) + (1 - p) * (qg * s.q - g * s.r * b)
    return value, grad


def _value_from_probabilities(terms):
    """``value(p, q)`` of a loss written by ``terms``: validated, elementwise."""

    def value(p, q):
        dtype = common_float_dtype(p=p, q=q)
        p, q = _probabilities("p", p, dtype), _probabilities("q", q, dtype)
        check_broadcast(p, q, "p", "q")
        pieces = _Pieces(q, 1 - q, np.zeros_like(q), np.zeros_like(q), q - p)
        return finish(terms(p, pieces)[0], dtype)

    return value


def _grad_from_logit(terms):
    """``grad_logit(p, z)`` of a loss written by ``terms``: validated, elementwise."""

    def grad_logit(p, z):
        p, z, dtype = _logit_args(p, z)
        return finish(terms(p, _precise_pieces(p, z))[1], dtype)

    return grad_logit


def _engine_terms(terms):
    """``from_logit(p, y) -> LogitTerms`` of a loss written by ``terms``, for the engine."""

    def from_logit(p, y) -> LogitTerms:
        pieces = _fast_pieces(p, y)
        value, grad = terms(p, pieces)
        return LogitTerms(value, grad, pieces.q)

    return from_logit


FOCAL_GAMMA = 2.0
"""γ of the registry's focal loss: its label, formulas, value, gradient and the training
engine's form from the logit all read it."""


def _focal(p, q):
    return binary_focal_loss(p, q, gamma=FOCAL_GAMMA)


# --- the same losses from the logit: the training engine's inner loop -----------------------
#
# No validation, in place where it saves an array: these run once per gradient step.


def _log_sigmoids(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """log q = log σ(y) and softplus(-|y|) = log1p(exp(-|y|)), which log(1 - q) reuses.

    log σ(y) = min(y, 0) - log1p(exp(-|y|)): exp(-|y|) <= 1 never overflows, and log1p
    keeps its tiny tail. Then q = exp(log q), never 1 - σ(-y).
    """
    soft = np.abs(y)
    np.negative(soft, out=soft)
    np.exp(soft, out=soft)
    np.log1p(soft, out=soft)
    log_q = np.minimum(y, 0.0)
    log_q -= soft
    return log_q, soft


def _log_one_minus_q(y: np.ndarray, soft: np.ndarray) -> np.ndarray:
    """log(1 - q) = log σ(-y) = -max(y, 0) - log1p(exp(-|y|)), with no cancellation."""
    log_r = np.maximum(y, 0.0)
    log_r += soft
    np.negative(log_r, out=log_r)
    return log_r


def _cross_entropy_from_logit(p, y) -> LogitTerms:
    # L = -p log q - (1 - p) log(1 - q) = (1 - p) y - log q, since log(1 - q) =
    # log σ(-y) = log q - y; ∂L/∂y = q - p (the sigmoid's slope cancels).
    log_q, _ = _log_sigmoids(y)
    q = np.exp(log_q)
    value = (1.0 - p) * y
    value -= log_q
    return LogitTerms(value, q - p, q)


def _probabilities_from_logit(y) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """q, 1 - q and their logs, each computed directly from y."""
    log_q, soft = _log_sigmoids(y)
    log_r = _log_one_minus_q(y, soft)
    return np.exp(log_q), np.exp(log_r), log_q, log_r


# --- the binary registry ----------------------------------------------------------------------

_BINARY: dict[str, BinaryLoss] = {}
BINARY_LOSSES: Mapping[str, BinaryLoss] = MappingProxyType(_BINARY)
"""Every binary loss by name, in the order the pages list them (read-only)."""


def _check_entry(loss, registry: Mapping[str, Any]) -> None:
    """A new entry's keys and style are its own: nothing a link or a chart could mix up."""
    if not _SLUG.fullmatch(loss.slug):
        raise ValueError(
            f"slug must be lowercase letters, digits and single hyphens; got {loss.slug!r}"
        )
    if loss.unit not in (NATS, None):
        raise ValueError(f"unit must be {NATS!r} or None; got {loss.unit!r}")
    for other in registry.values():
        taken = {other.name, other.slug, other.label}
        if taken & {loss.name, loss.slug, loss.label}:
            raise ValueError(
                f"loss {loss.name!r}: its name, slug and label must differ from those of "
                f"{other.name!r} ({sorted(taken)})"
            )
        if other.style == loss.style:
            raise ValueError(f"loss {loss.name!r} has the line style of {other.name!r}")


def register_binary_loss(loss: BinaryLoss) -> None:
    """Add ``loss`` to ``BINARY_LOSSES`` (after the others); training, every page, the CSV
    downloads, the colours and the legends then offer it. Raises ValueError when its name,
    slug or label is another loss's, or its slug is not URL-safe."""
    _check_entry(loss, _BINARY)
    _BINARY[loss.name] = loss


def unregister_binary_loss(name: str) -> None:
    """Remove a loss added with :func:`register_binary_loss` (tests add a throwaway one)."""
    del _BINARY[name]


def find_binary_loss(text: str) -> BinaryLoss | None:
    """The loss a link names: by its slug, or, for links written before slugs, by its label
    (``squared error``, ``focal (γ = 2)``) or registry name (``squared_error``)."""
    for loss in _BINARY.values():
        if text in (loss.slug, loss.label, loss.name):
            return loss
    return None


for _loss in (
    BinaryLoss(
        name="cross_entropy",
        label=N_("cross-entropy"),
        slug="cross-entropy",
        in_words=N_("cross-entropy"),
        unit=NATS,
        style=LineStyle("blue", (1, 0)),
        proper=True,
        latex=r"L = -p\log q\\ &\quad - (1-p)\log(1-q)",
        grad_latex=r"\frac{\partial L}{\partial z} = q - p",
        text="L = -p log q - (1-p) log(1-q); dL/dz = q - p",
        value=binary_cross_entropy,
        grad_logit=_cross_entropy_grad,
        from_logit=_cross_entropy_from_logit,
    ),
    BinaryLoss(
        name="squared_error",
        label=N_("squared error"),
        slug="squared-error",
        in_words=N_("squared error"),
        unit=None,
        style=LineStyle("vermillion", (8, 4)),
        proper=True,
        latex=r"L = (q - p)^2",
        grad_latex=r"\frac{\partial L}{\partial z} = 2\,(q - p)\,q\,(1-q)",
        text="L = (q - p)^2; dL/dz = 2 (q - p) q (1-q)",
        value=_value_from_probabilities(_squared_error_terms),
        grad_logit=_grad_from_logit(_squared_error_terms),
        from_logit=_engine_terms(_squared_error_terms),
    ),
    BinaryLoss(
        name="absolute_error",
        label=N_("absolute error"),
        slug="absolute-error",
        in_words=N_("absolute error"),
        unit=None,
        style=LineStyle("green", (2, 3)),
        proper=False,
        latex=r"L = |q - p|",
        grad_latex=r"\frac{\partial L}{\partial z} = \operatorname{sgn}(q - p)\,q\,(1-q)",
        text=N_("L = |q - p|; dL/dz = sign(q - p) q (1-q)"),
        value=_value_from_probabilities(_absolute_error_terms),
        grad_logit=_grad_from_logit(_absolute_error_terms),
        from_logit=_engine_terms(_absolute_error_terms),
    ),
    BinaryLoss(
        name="focal",
        label=N_("focal (γ = 2)"),  # FOCAL_GAMMA (tests/test_i18n_comparison.py checks it)
        slug="focal",
        in_words=N_("focal"),
        unit=NATS,
        style=LineStyle("purple", (10, 3, 2, 3)),
        proper=False,
        latex=(
            r"L = -p\,(1-q)^{\gamma}\log q\\ &\quad - (1-p)\,q^{\gamma}\log(1-q),"
            rf"\quad \gamma = {FOCAL_GAMMA:g}"
        ),
        grad_latex=(
            r"\frac{\partial L}{\partial z} =\\ &\quad p\,\big[\gamma q (1-q)^{\gamma}\log q"
            r" - (1-q)^{\gamma+1}\big]\\ &\quad + (1-p)\,\big[q^{\gamma+1}"
            r"\\ &\qquad - \gamma q^{\gamma}(1-q)\log(1-q)\big]"
        ),
        text=f"L = -p (1-q)^{FOCAL_GAMMA:g} log q - (1-p) q^{FOCAL_GAMMA:g} log(1-q)",
        value=_focal,
        grad_logit=_grad_from_logit(_focal_terms),
        from_logit=_engine_terms(_focal_terms),
    ),
):
    register_binary_loss(_loss)


# --- the multiclass registry ------------------------------------------------------------------

#: ε of the registry's label-smoothing loss: the target (1 - ε) t + ε/K.
LABEL_SMOOTHING = 0.1


@dataclass(frozen=True, kw_only=True)
class MulticlassLoss(_Shown):
    """A loss for K-class probabilities Q = softmax(z) against a target distribution t.

    Attributes:
        name, label, slug, in_words, unit, style, latex, text: as for :class:`BinaryLoss`.
        from_logits: ``(t, z, axis) -> LogitTerms(L, ∂L/∂z, Q)`` along the class axis
            ``axis``, for the training engine: no validation; ``t`` sums to 1 along
            ``axis`` and broadcasts to ``z``; finite for every finite ``z``.
    """

    name: str
    label: str
    slug: str
    in_words: str
    unit: str | None
    style: LineStyle
    latex: str
    text: str
    from_logits: Callable[[np.ndarray, np.ndarray, int], LogitTerms]


def _softmax_parts(z: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """z - max z, Q = softmax(z) and Σ exp(z - max z) along ``axis`` (kept).

    Shift by the max first: exp(z - m) <= 1 never overflows, and
    log Σ exp(z) = m + log Σ exp(z - m) exactly (the shift cancels in log Q).
    """
    shifted = z - np.maximum.reduce(z, axis=axis, keepdims=True)
    Q = np.exp(shifted)
    total = np.add.reduce(Q, axis=axis, keepdims=True)
    Q /= total
    return shifted, Q, total


def _softmax_cross_entropy_from_logits(t, z, axis: int) -> LogitTerms:
    # L = -Σ_k t_k log Q_k = log Σ exp(z - m) - Σ_k t_k (z_k - m), using Σ_k t_k = 1;
    # every term is finite for finite z, so 0 · log 0 never arises. ∂L/∂z = Q - t.
    shifted, Q, total = _softmax_parts(z, axis)
    value = np.log(total) - np.add.reduce(t * shifted, axis=axis, keepdims=True)
    return LogitTerms(np.squeeze(value, axis=axis), Q - t, Q)


def _softmax_squared_error_from_logits(t, z, axis: int) -> LogitTerms:
    # Σ_k (Q_k - t_k)^2 through the softmax Jacobian J = diag(Q) - Q Qᵀ (symmetric):
    # ∂L/∂z = J · 2 (Q - t) = 2 [Q ⊙ D - Q (Q · D)], D = Q - t.
    _, Q, _ = _softmax_parts(z, axis)
    D = Q - t
    QD = Q * D
    grad = QD - Q * np.add.reduce(QD, axis=axis, keepdims=True)
    grad *= 2.0
    return LogitTerms(np.add.reduce(D * D, axis=axis), grad, Q)


def _label_smoothing_from_logits(t, z, axis: int) -> LogitTerms:
    # Cross-entropy against the softened target (1 - ε) t + ε/K: ∂L/∂z = Q - t_ε.
    k = z.shape[axis]
    return _softmax_cross_entropy_from_logits(
        (1 - LABEL_SMOOTHING) * t + LABEL_SMOOTHING / k, z, axis
    )


_MULTICLASS: dict[str, MulticlassLoss] = {}
MULTICLASS_LOSSES: Mapping[str, MulticlassLoss] = MappingProxyType(_MULTICLASS)
"""Every K-class loss by name (read-only): what ``descend_logits`` and
``train_softmax_regression`` accept."""


def register_multiclass_loss(loss: MulticlassLoss) -> None:
    """Add ``loss`` to ``MULTICLASS_LOSSES``; the same checks as
    :func:`register_binary_loss`."""
    _check_entry(loss, _MULTICLASS)
    _MULTICLASS[loss.name] = loss


for _multiclass in (
    MulticlassLoss(
        name="cross_entropy",
        label=N_("cross-entropy"),
        slug="cross-entropy",
        in_words=N_("cross-entropy"),
        unit=NATS,
        style=BINARY_LOSSES["cross_entropy"].style,
        latex=r"L = -\sum_k t_k \log Q_k",
        text=N_("L = -sum over k of t_k log Q_k; dL/dz = Q - t"),
        from_logits=_softmax_cross_entropy_from_logits,
    ),
    MulticlassLoss(
        name="squared_error",
        label=N_("squared error"),
        slug="squared-error",
        in_words=N_("squared error"),
        unit=None,
        style=BINARY_LOSSES["squared_error"].style,
        latex=r"L = \sum_k (Q_k - t_k)^2",
        text=N_("L = sum over k of (Q_k - t_k)^2; dL/dz = J 2 (Q - t), J the softmax Jacobian"),
        from_logits=_softmax_squared_error_from_logits,
    ),
    MulticlassLoss(
        name="label_smoothing",
        label=N_("label smoothing (ε = 0.1)"),  # LABEL_SMOOTHING (checked by a test)
        slug="label-smoothing",
        in_words=N_("label smoothing"),
        unit=NATS,
        style=LineStyle("sky", (4, 4)),
        latex=r"L = -\sum_k \big[(1-\varepsilon)\,t_k + \tfrac{\varepsilon}{K}\big]\log Q_k,"
        rf"\quad \varepsilon = {LABEL_SMOOTHING:g}",
        # LABEL_SMOOTHING written out (a message is a literal; checked by a test)
        text=N_("L = -sum over k of ((1-ε) t_k + ε/K) log Q_k, ε = 0.1; dL/dz = Q - t_ε"),
        from_logits=_label_smoothing_from_logits,
    ),
):
    register_multiclass_loss(_multiclass)


def line_styles() -> dict[str, LineStyle]:
    """Each loss's line style by its label (the series name on a chart), in English and in
    the current language (a chart names a series by its shown label), binary losses
    first; a multiclass loss with a binary loss's label draws like it."""
    styles: dict[str, LineStyle] = {}
    for registry in (MULTICLASS_LOSSES, BINARY_LOSSES):
        for loss in registry.values():
            styles[loss.label] = loss.style
            styles[tr(loss.label)] = loss.style
    return styles
