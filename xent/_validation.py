"""Argument checks shared by the math modules.

Every check raises ``ValueError`` with a message that names the argument and the
allowed range, so that a page can show it to a student as it is (in the language of the
run that raised it: ``xent.i18n.tr``; English outside a page).
"""

from __future__ import annotations

import numbers

import numpy as np

from xent.i18n import tr

__all__ = [
    "as_float",
    "broadcast_class_pair",
    "check_broadcast",
    "check_distribution",
    "check_logits",
    "check_probabilities",
    "class_axis_index",
    "common_float_dtype",
    "finish",
    "sum_tolerance",
]


def common_float_dtype(**named: object) -> np.dtype:
    """The floating dtype a result should have: the float inputs' own, float64 if none.

    Arguments are passed by name so that a bad one can be named. Python scalars are
    "weak" (NEP 50): ``0.2`` next to a float32 array stays float32.
    """
    arrays = []
    for name, value in named.items():
        a = value if isinstance(value, numbers.Real) else _asarray(value, name)
        kind = np.asarray(a).dtype.kind
        if kind not in "biuf":
            raise ValueError(
                tr(
                    "{name} must be real numbers; got dtype {dtype}",
                    name=name,
                    dtype=np.asarray(a).dtype,
                )
            )
        arrays.append(a)
    # Integer and bool inputs (one-hot targets, counts) take no part in the choice:
    # a one-hot int64 target beside float32 logits gives float32, not float64.
    floats = [a for a in arrays if np.asarray(a).dtype.kind == "f"]
    return np.result_type(*floats) if floats else np.dtype(np.float64)


def _asarray(x: object, name: str) -> np.ndarray:
    """``np.asarray(x)``, with a ragged nested list reported under the argument's name."""
    try:
        return np.asarray(x)
    except ValueError:
        raise ValueError(
            tr("{name} must be a rectangular array of real numbers", name=name)
        ) from None


def as_float(x: object, name: str, dtype: np.dtype | None = None) -> np.ndarray:
    """``x`` as a floating array (float64 for integers and bools)."""
    a = _asarray(x, name)
    if a.dtype.kind not in "biuf":
        raise ValueError(
            tr("{name} must be real numbers; got dtype {dtype}", name=name, dtype=a.dtype)
        )
    if dtype is None:
        dtype = a.dtype if a.dtype.kind == "f" else np.dtype(np.float64)
    return a.astype(dtype, copy=False)


def _describe_bad(a: np.ndarray, ok: np.ndarray) -> str:
    bad = a[~ok]
    if np.isnan(bad).any():
        return "NaN"
    # float() first: a numpy scalar's repr would read "np.float64(-0.1)" to a student.
    if bad.size == 1:
        return repr(float(bad.flat[0]))
    return tr("values in [{low}, {high}]", low=repr(float(bad.min())), high=repr(float(bad.max())))


def check_probabilities(a: np.ndarray, name: str) -> np.ndarray:
    """Raise unless every entry of ``a`` is a probability in [0, 1] (NaN fails)."""
    ok = (a >= 0) & (a <= 1)
    if not ok.all():
        raise ValueError(
            tr(
                "{name} must be probabilities in [0, 1]; got {bad}",
                name=name,
                bad=_describe_bad(np.asarray(a), ok),
            )
        )
    return a


def sum_tolerance(dtype: np.dtype, k: int) -> float:
    """How far from 1 a distribution over ``k`` outcomes may sum in ``dtype``.

    sqrt(eps) scaled by the number of terms: about 1.5e-8 per term in float64 and
    3.5e-4 per term in float32, far above rounding and far below a real mistake.
    """
    return float(np.sqrt(np.finfo(dtype).eps)) * max(1.0, np.sqrt(k))


def class_axis_index(axis: int, ndim: int, name: str) -> int:
    """``axis`` as a non-negative index into an array of ``ndim`` dimensions."""
    if ndim == 0:
        raise ValueError(
            tr("{name} must have a class axis (at least 1-D); got a scalar", name=name)
        )
    if not isinstance(axis, numbers.Integral) or not -ndim <= axis < ndim:
        raise ValueError(
            tr(
                "axis must be an integer in [{low}, {ndim}) for {name} of {ndim} dimensions; "
                "got {axis}",
                low=-ndim,
                ndim=ndim,
                name=name,
                axis=repr(axis),
            )
        )
    return int(axis) % ndim


def check_distribution(a: np.ndarray, name: str, axis: int = -1) -> np.ndarray:
    """Raise unless ``a`` holds probabilities summing to 1 along ``axis``."""
    check_probabilities(a, name)
    ax = class_axis_index(axis, a.ndim, name)
    k = a.shape[ax]
    if k == 0:
        raise ValueError(
            tr("{name} must have at least one class along axis {axis}; got 0", name=name, axis=axis)
        )
    totals = a.sum(axis=ax, dtype=np.float64)
    tol = sum_tolerance(a.dtype, k)
    off = np.abs(totals - 1.0)
    if (off > tol).any():
        worst = float(np.asarray(totals).flat[int(np.argmax(off))])
        raise ValueError(
            tr(
                "{name} must sum to 1 along axis {axis} (within {tol}); got a sum of {total}",
                name=name,
                axis=axis,
                tol=f"{tol:.1e}",
                total=f"{worst:.6g}",
            )
        )
    return a


def check_logits(a: np.ndarray, name: str) -> np.ndarray:
    """Raise if ``a`` contains NaN (logits may be any real number, or ±inf)."""
    if np.isnan(a).any():
        raise ValueError(tr("{name} must be real numbers or ±inf (logits); got NaN", name=name))
    return a


def broadcast_class_pair(
    a: np.ndarray, b: np.ndarray, a_name: str, b_name: str, axis: int
) -> tuple[np.ndarray, np.ndarray, int]:
    """``a`` and ``b`` broadcast together, and ``axis`` as an index into the result.

    As in numpy and scipy, ``axis`` counts in the broadcast shape (trailing dimensions
    line up). Both must have the class axis at full length: a size-1 class axis would be
    stretched into a distribution nobody wrote down, so it is refused.
    """
    try:
        shape = np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(
            tr(
                "{a_name} and {b_name} must have the same shape (or broadcast); "
                "got {a_shape} and {b_shape}",
                a_name=a_name,
                b_name=b_name,
                a_shape=a.shape,
                b_shape=b.shape,
            )
        ) from None
    ax = class_axis_index(
        axis, len(shape), tr("{a_name} and {b_name}", a_name=a_name, b_name=b_name)
    )
    k = shape[ax]
    for arr in (a, b):
        own = ax - (len(shape) - arr.ndim)
        if own < 0 or arr.shape[own] != k:
            raise ValueError(
                tr(
                    "{a_name} and {b_name} must have the same number of classes along axis "
                    "{axis}; got shapes {a_shape} and {b_shape}",
                    a_name=a_name,
                    b_name=b_name,
                    axis=axis,
                    a_shape=a.shape,
                    b_shape=b.shape,
                )
            )
    a_b, b_b = np.broadcast_arrays(a, b)
    return a_b, b_b, ax


def check_broadcast(a: np.ndarray, b: np.ndarray, a_name: str, b_name: str) -> None:
    """Raise unless ``a`` and ``b`` broadcast together."""
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(
            tr(
                "{a_name} and {b_name} must have broadcastable shapes; got {a_shape} and {b_shape}",
                a_name=a_name,
                b_name=b_name,
                a_shape=a.shape,
                b_shape=b.shape,
            )
        ) from None


def finish(out: np.ndarray, dtype: np.dtype) -> np.ndarray | np.floating:
    """Cast to ``dtype`` and turn a 0-d array into a numpy scalar."""
    out = np.asarray(out, dtype=dtype)
    return out[()] if out.ndim == 0 else out
