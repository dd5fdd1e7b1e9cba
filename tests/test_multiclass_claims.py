"""The Multiclass page's lesson numbers, recomputed with plain numpy (issue 12 §4).

From a confident mistake, z = (4, −2, 0) with Gorilla true, 30 steps at η = 1: cross-entropy
brings Q(Gorilla) to about 0.976, squared error on the softmax to about 0.057. And the −log Q
curve is steep near 0 while the logit step Q − 1 stays bounded.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from scipy.special import log_softmax, logsumexp
from scipy.special import softmax as sp_softmax
from streamlit.testing.v1 import AppTest

from xent.data import make_blobs

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


def open_page(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/multiclass.py")
    at.query_params.update(query)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def readings(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith(READING)]


def open_multiclass(query: dict[str, str]) -> list[str]:
    return readings(open_page(query))


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


# --- on the page: the race chart, accuracy beside the loss, the numerics section --------------


def chart_frames(at: AppTest) -> list[pd.DataFrame]:
    """Every chart's Arrow datasets, as DataFrames."""
    return [
        pa.ipc.open_stream(ds.data.data).read_pandas()
        for chart in at.get("vega_lite_chart")
        for ds in chart.proto.datasets
    ]


def series_frame(at: AppTest, names: set[str]) -> pd.DataFrame:
    return next(df for df in chart_frames(at) if "series" in df and set(df["series"]) == names)


def test_the_race_chart_of_the_confident_mistake_is_on_the_page():
    at = open_page({"z1": "4", "z2": "-2", "z3": "0"})
    race = series_frame(at, {"cross-entropy", "squared error"})
    last = race[race["step"] == race["step"].max()].set_index("series")["value"]
    assert int(race["step"].max()) == 30
    assert last["cross-entropy"] == pytest.approx(descend((4, -2, 0), 1, "cross_entropy", 1, 30))
    assert last["squared error"] == pytest.approx(descend((4, -2, 0), 1, "squared_error", 1, 30))
    race_text = next(r for r in readings(at) if "cross-entropy brings" in r)
    assert "to 0.976, squared error to 0.057" in race_text


def test_accuracy_is_drawn_beside_the_loss_and_read_out():
    at = open_page({"rsteps": "60", "rlr": "1", "spread": "2.5", "seed": "7", "n": "20"})
    accuracy = series_frame(at, {"accuracy"})
    loss = series_frame(at, {"mean cross-entropy"})
    assert len(accuracy) == len(loss) == 61
    # by hand: the blobs' points at these settings, gradient descent from W = 0, in numpy
    X, labels = make_blobs(20, 3, spread=2.5, seed=7)
    Xb = np.hstack([X, np.ones((len(X), 1))])
    W, T = np.zeros((3, 3)), np.eye(3)[labels]
    acc, mean = [], []
    for _ in range(61):
        Z = Xb @ W
        acc.append(np.mean(Z.argmax(1) == labels))
        mean.append(np.mean(logsumexp(Z, axis=1) - Z[np.arange(len(X)), labels]))
        W = W - Xb.T @ (sp_softmax(Z, axis=1) - T) / len(X)
    np.testing.assert_allclose(accuracy["value"], acc)
    np.testing.assert_allclose(loss["value"], mean, rtol=1e-6)
    text = next(r for r in readings(at) if "0-1 loss" in r)
    jumps = int(np.count_nonzero(np.diff(acc)))
    assert f"changed on {'only ' if jumps < 60 else ''}{jumps}." in text


@pytest.mark.parametrize(
    ("za", "naive"),
    [("10", None), ("400", ["0.00", "−400.00", "−∞"]), ("1000", ["undefined", "−∞", "−∞"])],
)
def test_the_numerics_section_shows_naive_and_stable_numbers(za, naive):
    at = open_page({"za": za})
    table = at.table[0].value
    a = float(za)
    shown = [float(x.replace("−", "-")) for x in table.iloc[:, 3]]
    exact = log_softmax(np.array([a, 0.0, -a]))  # scipy's, stable
    np.testing.assert_allclose(shown, exact, rtol=0.06, atol=0.005)
    if naive is None:
        assert "both forms give" in readings(at)[-1]
    else:
        assert table.iloc[:, 2].tolist()[-len(naive) :] == naive
        assert "That is why frameworks take logits" in readings(at)[-1]


@pytest.mark.parametrize("bad", ["banana", "5", "1e999", ""])
def test_a_bad_extreme_logit_size_is_named_and_falls_back(bad):
    at = open_page({"za": bad})
    assert at.session_state["za"] == 10.0
    if bad:
        notices = " ".join(n.value for n in at.info)
        assert f"za={bad}" in notices


def test_the_extreme_logits_preset():
    at = open_page({})
    at.selectbox(key="_preset").select("Extreme logits (numerics)").run()
    assert at.session_state["za"] == 1000.0
    assert at.table[0].value.iloc[:, 2].tolist() == ["undefined", "−∞", "−∞"]
