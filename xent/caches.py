"""The lessons' heavy computations, cached once per process for every session.

Every cache here is an ``st.cache_resource`` with a bounded ``max_entries``: a hit returns
the same objects (no pickling), which the finished-chart cache (``drawing.finished_chart``) keys by
identity, so an unchanged input draws its chart without building it again. The objects are
shared by all sessions and read-only by convention. The computations themselves live in
``xent.frames`` and the lesson modules (no Streamlit there).

Languages: a result that holds text a reader sees in the session's language (a chart's note,
"Clipped at L = 2 nats: …") is cached per language: the public function passes
``i18n.language()`` to a cached one, which builds the result in that language. The frames'
series names and labels are English keys, the same in every language (``xent.frames``
marks them with ``N_``): ``xent.charts`` shows them translated, so the frames, the trained
runs and grids behind them stay shared by the sessions of both languages.
"""

from __future__ import annotations

import streamlit as st

from xent import frames, i18n
from xent.lessons import bernoulli, comparison
from xent.lessons import multiclass as multiclass_lesson

CACHE = {"max_entries": 64, "show_spinner": False}
"""Settings of every cache below. They are ``st.cache_resource`` caches: a hit returns the
same objects (no pickling, which ``st.cache_data`` does on every hit and which took a
quarter to a third of a rerun). The frames, arrays and dicts they return are shared by
all sessions and are read-only by convention: pages and ``xent.charts`` only read them
(chart builders copy a frame before they add a column)."""


# --- cached computations ------------------------------------------------------------------


def bernoulli_curves(p: float, q: float):
    """The loss and gradient curves (their notes in the session's language)."""
    return _bernoulli_curves(p, q, i18n.language())


@st.cache_resource(**CACHE)
def _bernoulli_curves(p: float, q: float, language: str):
    with i18n.using(language):
        return frames.bernoulli_curves(p, q)


def bernoulli_loss_view(p: float, q: float):
    """The loss curve (its note in the session's language)."""
    return _bernoulli_loss_view(p, q, i18n.language())


@st.cache_resource(**CACHE)
def _bernoulli_loss_view(p: float, q: float, language: str):
    with i18n.using(language):
        return frames.bernoulli_loss_view(p, q)


@st.cache_resource(**CACHE)
def neuron_run(x, p, w0, lr, steps):
    return frames.neuron_run(tuple(x), p, tuple(w0), lr, steps)


@st.cache_resource(**CACHE)
def chain_rule_table(x, w, p):
    return frames.chain_rule_table(tuple(x), w, p)


def softmax_view(z, true_class, names, smoothing):
    """The softmax's bars, gradient and curve (its note in the session's language)."""
    return _softmax_view(tuple(z), true_class, tuple(names), smoothing, i18n.language())


@st.cache_resource(**CACHE)
def _softmax_view(z, true_class, names, smoothing, language: str):
    with i18n.using(language):
        return frames.softmax_view(tuple(z), true_class, tuple(names), smoothing)


@st.cache_resource(**CACHE)
def logit_descent(z0, true_class, names, smoothing, lr, steps):
    return frames.logit_descent(tuple(z0), true_class, tuple(names), smoothing, lr, steps)


@st.cache_resource(**CACHE)
def _regression_fit(k, n, spread, seed, lr, steps):
    return frames.softmax_regression_fit(k, n, spread, seed, lr, steps)


@st.cache_resource(**CACHE)
def softmax_regression_run(k, names, n, spread, seed, lr, steps, step):
    """Trained once per setting; moving the step only redraws the regions."""
    fit = _regression_fit(k, n, spread, seed, lr, steps)
    return frames.softmax_regression_run(k, tuple(names), n, spread, seed, lr, steps, step, fit=fit)


def comparison_curves(p, names, q):
    """Each loss's curves (the note naming the clipped ones in the session's language)."""
    return _comparison_curves(p, tuple(names), q, i18n.language())


@st.cache_resource(**CACHE)
def _comparison_curves(p, names, q, language: str):
    with i18n.using(language):
        return frames.comparison_curves(p, tuple(names), q)


# The race's and the grid's runs are cached per loss, so that adding a loss to the list
# trains that loss alone and the other losses' runs are shared by every list they are in.


@st.cache_resource(max_entries=4 * CACHE["max_entries"], show_spinner=False)
def _race_run(p, q0, name):
    """One loss's race runs at the largest step budget and every learning rate (9 runs ×
    1001 steps, ~0.3 MB): a budget, threshold or η move slices them."""
    return frames.race_runs(p, q0, (name,))[name]


@st.cache_resource(**CACHE)
def race(p, q0, lr, steps, tol, names):
    """The race, each loss toward its own goal (``lessons.comparison.race``)."""
    runs = {name: _race_run(p, q0, name) for name in names}
    return comparison.race(p, q0, lr, steps, tol, tuple(names), runs)


@st.cache_resource(max_entries=32, show_spinner=False)
def _grid_run(p, name):
    """One loss's grid runs at the largest step budget: a budget or threshold move slices
    them. About 4.3 MB each (135 runs × 1001 steps), so fewer entries than the other
    caches: at most 32 × 4.3 MB ≈ 140 MB (16 values of p with the two default losses)."""
    return frames.grid_runs(p, (name,))[name]


@st.cache_resource(**CACHE)
def comparison_grid(p, steps, tol, names):
    """Every start and learning rate (``lessons.comparison.grid``)."""
    runs = {name: _grid_run(p, name) for name in names}
    return comparison.grid(p, steps, tol, tuple(names), runs)


# --- the Bernoulli sampler ---------------------------------------------------------------


def sampler_run(red: int, white: int, draws: int, seed: int):
    """Balls drawn from the box and the fit to them; None for an empty box."""
    if red + white < 1:
        return None
    return _sampler_run(red, white, draws, seed, bernoulli.SAMPLER_LR, bernoulli.SAMPLER_STEPS)


_sampler_run = st.cache_resource(**CACHE)(frames.sampler_run)


@st.cache_resource(**CACHE)
def logit_race_run(z0: tuple[float, ...], true_class: int, lr: float, steps: int):
    """Cross-entropy against squared error on the same logits (one-hot target)."""
    return multiclass_lesson.logit_race_run(z0, true_class, lr, steps)
