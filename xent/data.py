"""Toy data for the pages: a box of red and white balls, and 2-D blobs of K classes.

Numpy only (and ``xent.i18n``: the default class names in the reader's language). Every draw
comes from ``numpy.random.default_rng(seed)``, so the same seed gives the same data on every
machine and every rerun (a shared link shows the same balls).

>>> draw_balls(2, 8, 10, seed=2).tolist()  # 1 = red, 0 = white: p̂ = 2/10
[0, 0, 1, 0, 0, 0, 0, 1, 0, 0]
>>> X, labels = make_blobs(4, k=3, seed=0)
>>> X.shape, labels.tolist()
((12, 2), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
"""

from __future__ import annotations

import functools
import numbers
import re

import numpy as np

from xent.i18n import LANGUAGES, N_, tr, using

__all__ = [
    "BLOB_CENTER_SPACING",
    "CLASS_NAMES",
    "DEFAULT_CLASSES",
    "MAX_BALLS",
    "MAX_CLASSES",
    "MAX_DRAWS",
    "MAX_POINTS_PER_CLASS",
    "blob_centers",
    "class_name",
    "default_class_index",
    "default_names",
    "draw_balls",
    "localized_class_name",
    "localized_names",
    "make_blobs",
]

#: Default class names, in class order: the lesson's examples first (Rappa is a trumpet),
#: then distinct, friendly nouns for up to ``MAX_CLASSES`` classes. The English is each name's
#: identity (and its key in the catalogue); a reader sees :func:`class_name`, in their
#: language (りんご, ゴリラ, ラッパ, … in Japanese: the shiritori the first three come from).
CLASS_NAMES: tuple[str, ...] = (
    N_("Apple"),
    N_("Gorilla"),
    N_("Rappa"),
    N_("Kite"),
    N_("Teapot"),
    N_("Cactus"),
    N_("Bicycle"),
    N_("Penguin"),
    N_("Lighthouse"),
    N_("Umbrella"),
)
MAX_CLASSES = len(CLASS_NAMES)
#: How many classes the Multiclass page shows by default (Apple, Gorilla, Rappa); also what a
#: link without ``k`` means.
DEFAULT_CLASSES = 3
MAX_BALLS = 1_000_000  # red + white in the box
MAX_DRAWS = 1_000_000
MAX_POINTS_PER_CLASS = 100_000
#: Distance between neighbouring blob centres: with ``spread = 1`` (unit standard
#: deviation) the classes overlap on well under 1% of the points.
BLOB_CENTER_SPACING = 5.0


def class_name(i: int) -> str:
    """The default name of class ``i`` in the current language (``xent.i18n``).

    >>> class_name(1)
    'Gorilla'
    >>> with using("ja"):
    ...     class_name(1)
    'ゴリラ'
    """
    return tr(CLASS_NAMES[i])


def default_names(k: int = DEFAULT_CLASSES) -> str:
    """The first ``k`` default class names, comma-separated, in the current language: what the
    class-names box holds by default (``"Apple, Gorilla, Rappa"``; ``"りんご, ゴリラ, ラッパ"``)."""
    return ", ".join(class_name(i) for i in range(k))


@functools.cache
def _spellings() -> dict[str, int]:
    """Every language's spelling of every default class name -> the class's index."""
    found: dict[str, int] = {}
    for code in LANGUAGES:
        with using(code):
            for i in range(len(CLASS_NAMES)):
                found.setdefault(class_name(i), i)
    return found


def default_class_index(name: str) -> int | None:
    """The class whose default name ``name`` is, in any language (``"ゴリラ"`` and
    ``"Gorilla"`` -> 1); ``None`` for any other name (one a user typed)."""
    return _spellings().get(" ".join(str(name).split()))


def localized_class_name(name: str) -> str:
    """``name`` as the current language spells it: a default class name (in any language) in
    the current language, any other name as typed.

    >>> with using("ja"):
    ...     localized_class_name("Apple"), localized_class_name("Pear")
    ('りんご', 'Pear')
    """
    i = default_class_index(name)
    return name if i is None else class_name(i)


_PART = re.compile(r"[^,]+")


def localized_names(text: str) -> str:
    """A comma-separated class-names text with each default class name (in any language)
    spelled in the current language; every other name, comma and space left as typed.

    >>> with using("ja"):
    ...     localized_names("Apple, Pear,Rappa")
    'りんご, Pear,ラッパ'
    """

    def spell(m: re.Match) -> str:
        part = m.group(0)
        name = part.strip()
        if not name or default_class_index(name) is None:
            return part
        start = part.index(name[0])
        return part[:start] + localized_class_name(name) + part[start + len(name) :]

    return _PART.sub(spell, str(text))


def _check_int(value: object, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer in [{low}, {high}]; got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be an integer in [{low}, {high}]; got {value!r}")
    return int(value)


def _rng(seed: object) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(_check_int(seed, "seed", 0, 2**63 - 1))


def draw_balls(n_red: int, n_white: int, draws: int, *, seed) -> np.ndarray:
    """Draw ``draws`` balls with replacement from a box of ``n_red`` red and ``n_white`` white.

    Each draw picks one of the ``n_red + n_white`` balls uniformly at random, so a draw is
    red with probability p = n_red / (n_red + n_white) exactly (no floating-point p).

    Args:
        n_red: red balls in the box, an integer >= 0.
        n_white: white balls in the box, an integer >= 0; at least one ball in all,
            at most ``MAX_BALLS``.
        draws: how many balls to draw, in [0, ``MAX_DRAWS``].
        seed: an integer >= 0 (or a ``numpy.random.Generator``); the same seed gives the
            same draws.

    Returns:
        int64 array of shape (draws,): 1 for red, 0 for white. Its mean is the estimate p̂.

    >>> balls = draw_balls(2, 8, 10_000, seed=1)
    >>> round(float(balls.mean()), 2)  # p̂ close to p = 0.2
    0.2
    """
    n_red = _check_int(n_red, "n_red", 0, MAX_BALLS)
    n_white = _check_int(n_white, "n_white", 0, MAX_BALLS)
    if not 1 <= n_red + n_white <= MAX_BALLS:
        raise ValueError(
            f"n_red + n_white must be in [1, {MAX_BALLS}] (a box with balls); got {n_red + n_white}"
        )
    draws = _check_int(draws, "draws", 0, MAX_DRAWS)
    rng = _rng(seed)
    # Ball number i in [0, n_red + n_white) is red when i < n_red.
    picked = rng.integers(0, n_red + n_white, size=draws)
    return (picked < n_red).astype(np.int64)


def blob_centers(k: int = 3) -> np.ndarray:
    """The ``k`` blob centres: evenly spaced on a circle, neighbours ``BLOB_CENTER_SPACING`` apart.

    Class 0 sits at the top, the others follow counter-clockwise.

    Args:
        k: number of classes, in [2, ``MAX_CLASSES``].

    Returns:
        float64 array of shape (k, 2).

    >>> blob_centers(2).round(6).tolist()
    [[0.0, 2.5], [-0.0, -2.5]]
    """
    k = _check_int(k, "k", 2, MAX_CLASSES)
    # A chord between neighbours on a circle of radius R is 2 R sin(π / k).
    radius = BLOB_CENTER_SPACING / (2 * np.sin(np.pi / k))
    angles = np.pi / 2 + 2 * np.pi * np.arange(k) / k
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=-1)


def make_blobs(n_per_class: int, k: int = 3, *, spread: float = 1.0, seed=0):
    """2-D points in ``k`` round Gaussian blobs, one blob per class.

    Point j of class c is ``blob_centers(k)[c] + spread * N(0, I)``. With the default
    ``spread = 1`` the classes are well separated (linearly, up to a few stray points).

    Args:
        n_per_class: points per class, in [1, ``MAX_POINTS_PER_CLASS``].
        k: number of classes, in [2, ``MAX_CLASSES``]; names in ``CLASS_NAMES[:k]``.
        spread: standard deviation of each blob, a finite number > 0.
        seed: an integer >= 0 (or a ``numpy.random.Generator``).

    Returns:
        ``(X, labels)``: float64 points of shape (k * n_per_class, 2) and int64 labels of
        shape (k * n_per_class,), grouped by class (all of class 0 first).

    >>> X, labels = make_blobs(100, k=2, spread=0.5, seed=3)
    >>> bool((X[labels == 0, 1] > 0).all() and (X[labels == 1, 1] < 0).all())
    True
    """
    n_per_class = _check_int(n_per_class, "n_per_class", 1, MAX_POINTS_PER_CLASS)
    centers = blob_centers(k)
    if isinstance(spread, bool) or not isinstance(spread, numbers.Real):
        raise ValueError(f"spread must be a finite number > 0; got {spread!r}")
    if not (np.isfinite(spread) and spread > 0):
        raise ValueError(f"spread must be a finite number > 0; got {spread!r}")
    rng = _rng(seed)
    labels = np.repeat(np.arange(k, dtype=np.int64), n_per_class)
    X = centers[labels] + float(spread) * rng.standard_normal((labels.size, 2))
    return X, labels
