"""The Multiclass page's lesson numbers, recomputed with plain numpy (issue 12 §4).

From a confident mistake, z = (4, −2, 0) with Gorilla true, 30 steps at η = 1: cross-entropy
brings Q(Gorilla) to about 0.976, squared error on the softmax to about 0.057. And the −log Q
curve is steep near 0 while the logit step Q − 1 stays bounded.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
READING = "**Reading:**"


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def descend(z0, true: int, loss: str, lr: float, steps: int) -> float:
    """Q(true) after `steps` of gradient descent on the logits, written out by hand."""
    z, t = np.array(z0, float), np.eye(len(z0))[true]
    for _ in range(steps):
        q = softmax(z)
        if loss == "cross_entropy":
            grad = q - t
        else:  # L = Σ (Q − t)², dL/dz = Jᵀ 2 (Q − t), J = diag(Q) − Q Qᵀ
            jac = np.diag(q) - np.outer(q, q)
            grad = jac.T @ (2 * (q - t))
        z = z - lr * grad
    return float(softmax(z)[true])


def open_multiclass(query: dict[str, str]) -> list[str]:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/multiclass.py")
    at.query_params.update(query)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return [m.value for m in at.markdown if m.value.startswith(READING)]


@pytest.mark.parametrize(
    ("z", "y", "lr", "steps"),
    [((4.0, -2.0, 0.0), 1, 1.0, 30), ((0.0, 3.0, 0.0), 0, 0.3, 50), ((2.0, 1.0, 0.1), 2, 3.0, 10)],
)
def test_the_logit_race_reading_matches_a_hand_written_descent(z, y, lr, steps):
    names = ("Apple", "Gorilla", "Rappa")
    query = {f"z{i + 1}": f"{v:g}" for i, v in enumerate(z)}
    query |= {"y": names[y], "lr": f"{lr:g}", "steps": str(steps)}
    race = next(r for r in open_multiclass(query) if "cross-entropy brings" in r)
    ce, se = re.search(r"to (\d\.\d+), squared error to (\d\.\d+)", race).groups()
    assert float(ce) == pytest.approx(descend(z, y, "cross_entropy", lr, steps), abs=5e-4)
    assert float(se) == pytest.approx(descend(z, y, "squared_error", lr, steps), abs=5e-4)


def test_the_confident_mistake_numbers_of_the_issue():
    assert descend((4.0, -2.0, 0.0), 1, "cross_entropy", 1.0, 30) == pytest.approx(0.976, abs=1e-3)
    assert descend((4.0, -2.0, 0.0), 1, "squared_error", 1.0, 30) == pytest.approx(0.057, abs=1e-3)


def test_the_slope_reading_shows_a_steep_curve_and_a_bounded_step():
    texts = open_multiclass({"z1": "4", "z2": "-2", "z3": "0"})
    slope = next(r for r in texts if "slope −1/Q" in r)
    q, dlog, step = re.search(
        r"Q\(Gorilla\) = ([\d.e−]+) the −log Q curve has slope −1/Q = (−[\d.e]+), yet the "
        r"step on the Gorilla logit is Q − 1 = (−[\d.]+)",
        slope,
    ).groups()
    q_true = softmax(np.array([4.0, -2.0, 0.0]))[1]
    assert float(q.replace("−", "-")) == pytest.approx(q_true, rel=5e-3)
    assert float(dlog.replace("−", "-")) == pytest.approx(-1 / q_true, rel=5e-3)
    assert abs(float(step.replace("−", "-"))) <= 1
    assert abs(float(dlog.replace("−", "-"))) > 100  # steep: Q(Gorilla) is about 0.0025
