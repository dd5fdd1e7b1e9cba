"""Benchmarks of the numpy core (issue 3), each beside a plain-numpy baseline in the same run.

(a) softmax cross-entropy value + gradient w.r.t. the logits, 65 536 x 128 float64;
(b) ``train_neuron``: 1 600 runs (40 starts x 40 learning rates) x 1 000 steps, per loss;
(c) ``train_softmax_regression``: 3 000 points x 500 steps.

Usage: ``.venv/bin/python benchmarks/bench_core.py [--repeat N] [--quick]``. Prints a
Markdown table. Each case runs ``--repeat`` times; the table gives the fastest and the
median wall time and the fastest CPU time of this process (CPU time is steadier on a busy
machine). Numpy only: no Streamlit, no server.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import xent
from xent.data import make_blobs
from xent.training import (
    grid_runs,
    softmax_cross_entropy_value_and_grad,
    train_neuron,
    train_softmax_regression,
)


def measure(fn: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """(fastest wall, median wall, fastest CPU) in seconds over ``repeat`` calls."""
    fn()  # warm-up: first-touch page faults, imports, caches
    walls, cpus = [], []
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return min(walls), float(np.median(walls)), min(cpus)


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f}"


# --- (a) softmax cross-entropy value + gradient ------------------------------------------


def baseline_softmax_xent(labels: np.ndarray, z: np.ndarray):
    """Plain numpy, written the usual way (shifted by the max, one full-array op per line)."""
    rows = np.arange(z.shape[0])
    m = z.max(axis=1, keepdims=True)
    e = np.exp(z - m)
    s = e.sum(axis=1, keepdims=True)
    loss = np.log(s[:, 0]) - (z[rows, labels] - m[:, 0])
    grad = e / s
    grad[rows, labels] -= 1
    return loss, grad


def bench_a(repeat: int, quick: bool) -> list[list[str]]:
    n, k = (8192, 128) if quick else (65536, 128)
    rng = np.random.default_rng(0)
    z = rng.normal(scale=3.0, size=(n, k))
    labels = rng.integers(0, k, size=n)
    out = np.empty_like(z)
    mb = z.nbytes / 1e6

    # the result must agree with the baseline before it is timed
    loss, grad = softmax_cross_entropy_value_and_grad(labels, z)
    ref_loss, ref_grad = baseline_softmax_xent(labels, z)
    assert np.allclose(loss, ref_loss, rtol=1e-12, atol=1e-12)
    assert np.allclose(grad, ref_grad, rtol=1e-12, atol=1e-15)

    def public():  # the unfused library route: two public functions, then the target
        value = xent.softmax_cross_entropy_with_integer_labels(labels, z)
        g = xent.softmax(z)
        g[np.arange(n), labels] -= 1
        return value, g

    cases = [
        ("memory floor: np.copyto(out, z)", lambda: np.copyto(out, z)),
        ("baseline: plain numpy", lambda: baseline_softmax_xent(labels, z)),
        ("xent public: with_integer_labels + softmax", public),
        (
            "xent fused: value_and_grad(labels, z)",
            lambda: softmax_cross_entropy_value_and_grad(labels, z),
        ),
        (
            "xent fused, out= preallocated",
            lambda: softmax_cross_entropy_value_and_grad(labels, z, out=out),
        ),
    ]
    rows = []
    base = None
    for name, fn in cases:
        fast, median, cpu = measure(fn, repeat)
        if name.startswith("baseline"):
            base = cpu
        gbs = 2 * mb / 1e3 / fast  # one read of z + one write of the gradient
        speed = f"{base / cpu:.2f}x" if base and not name.startswith(("baseline", "memory")) else ""
        rows.append(
            [f"(a) {n} x {k} f64", name, ms(fast), ms(median), ms(cpu), f"{gbs:.1f} GB/s", speed]
        )
    return rows


# --- (b) the neuron, a grid of runs -------------------------------------------------------


def baseline_neuron(x, p, w0, lr, steps, name):
    """Plain numpy loop over steps (runs-first arrays) with the public loss registry.

    Same update and the same per-step records as train_neuron, without its stopping rule.
    """
    entry = xent.BINARY_LOSSES[name]
    W = w0.copy()
    runs = W.shape[0]
    weights = np.empty((steps + 1, runs, W.shape[1]))
    preds = np.empty((steps + 1, runs))
    losses = np.empty((steps + 1, runs))
    norms = np.empty((steps + 1, runs))
    with np.errstate(all="ignore"):
        for s in range(steps + 1):
            y = W @ x
            q = xent.sigmoid(y)
            grad = entry.grad_logit(p, y)[:, None] * x
            weights[s], preds[s] = W, q
            if name == "cross_entropy":
                losses[s] = xent.binary_cross_entropy_with_logits(p, y)
            else:
                losses[s] = entry.value(p, q)
            norms[s] = np.linalg.norm(grad, axis=1)
            if s < steps:
                W = W - lr[:, None] * grad
    return weights, preds, losses, norms


def bench_b(repeat: int, quick: bool) -> list[list[str]]:
    steps = 200 if quick else 1000
    x = np.array([1.0])
    p = 0.8
    q0 = np.linspace(0.001, 0.999, 40)
    w0, lr = grid_runs(np.log(q0 / (1 - q0))[:, None], np.geomspace(0.01, 100.0, 40))
    rows = []
    for name in xent.BINARY_LOSSES:
        traj = train_neuron(x, p, w0, lr=lr, steps=steps, loss=name)
        base_w = baseline_neuron(x, p, w0, lr, steps, name)[0]
        # Compare the stable runs (lr < 8 = 2 / max curvature): the bouncing ones at large lr
        # are chaotic and amplify last-bit differences; the baseline has no stopping rule.
        ok = (lr < 8) & ~traj.diverged
        agree = np.allclose(traj.weights[:, ok], base_w[:, ok], rtol=1e-9, atol=1e-9)
        label = f"(b) 1600 runs x {steps} steps, {name}"
        fast_b, med_b, cpu_b = measure(
            lambda name=name: baseline_neuron(x, p, w0, lr, steps, name), repeat
        )
        fast, med, cpu = measure(
            lambda name=name: train_neuron(x, p, w0, lr=lr, steps=steps, loss=name), repeat
        )
        note = f"{int(traj.diverged.sum())} diverged; same weights: {agree}"
        rows.append([label, "baseline: plain numpy loop", ms(fast_b), ms(med_b), ms(cpu_b), "", ""])
        rows.append(
            [label, "xent train_neuron", ms(fast), ms(med), ms(cpu), note, f"{cpu_b / cpu:.2f}x"]
        )
    return rows


# --- (c) softmax regression ---------------------------------------------------------------


def baseline_softmax_regression(X, labels, lr, steps, k):
    """Plain numpy loop: (n, K) logits, softmax along the last axis, full-batch descent."""
    n = X.shape[0]
    Xb = np.column_stack([X, np.ones(n)])
    T = np.eye(k)[labels]
    W = np.zeros((Xb.shape[1], k))
    rows = np.arange(n)
    weights = np.empty((steps + 1, *W.shape))
    preds = np.empty((steps + 1, n, k))
    losses = np.empty(steps + 1)
    norms = np.empty(steps + 1)
    for s in range(steps + 1):
        Z = Xb @ W
        Z -= Z.max(axis=1, keepdims=True)
        E = np.exp(Z)
        S = E.sum(axis=1, keepdims=True)
        Q = E / S
        grad = Xb.T @ (Q - T) / n
        weights[s], preds[s] = W, Q
        losses[s] = np.mean(np.log(S[:, 0]) - Z[rows, labels])
        norms[s] = np.linalg.norm(grad)
        if s < steps:
            W = W - lr * grad
    return weights, preds, losses, norms


def bench_c(repeat: int, quick: bool) -> list[list[str]]:
    steps = 100 if quick else 500
    X, labels = make_blobs(1000, k=3, seed=0)
    lr = 0.1
    traj = train_softmax_regression(X, labels, lr=lr, steps=steps)
    base = baseline_softmax_regression(X, labels, lr, steps, 3)
    agree = np.allclose(traj.weights[:, 0], base[0], rtol=1e-9, atol=1e-12)
    label = f"(c) softmax regression, 3000 points x {steps} steps"
    fast_b, med_b, cpu_b = measure(
        lambda: baseline_softmax_regression(X, labels, lr, steps, 3), repeat
    )
    fast, med, cpu = measure(
        lambda: train_softmax_regression(X, labels, lr=lr, steps=steps), repeat
    )
    acc = float(xent.training.accuracy(traj.weights[-1, 0], X, labels))
    return [
        [label, "baseline: plain numpy loop", ms(fast_b), ms(med_b), ms(cpu_b), "", ""],
        [
            label,
            "xent train_softmax_regression",
            ms(fast),
            ms(med),
            ms(cpu),
            f"accuracy {acc:.3f}; same weights: {agree}",
            f"{cpu_b / cpu:.2f}x",
        ],
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed calls per case (default 7)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = parser.parse_args()

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    print(f"machine: {os.cpu_count()} x {cpu}; load average {load}")
    print(f"python {platform.python_version()}, numpy {np.__version__}; repeat {args.repeat}")
    print()
    header = ["case", "implementation", "min ms", "median ms", "CPU min ms", "note", "speed-up"]
    rows = bench_a(args.repeat, args.quick) + bench_b(args.repeat, args.quick)
    rows += bench_c(args.repeat, args.quick)
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
