"""Every number the Bernoulli page claims, at random link states, recomputed with plain numpy.

Issue 12 §3: a displayed sum adds up as displayed, the chain-rule product is the product of
the factors shown, and the sampler says q = p̂ only when the numbers shown are equal.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
READING = "**Reading:**"
NUMBER = r"−?\d+(?:\.\d+)?(?:e−?\d+)?|∞"


def number(text: str) -> Decimal:
    text = text.replace("−", "-")
    return Decimal("Infinity") if text == "∞" else Decimal(text)


def open_bernoulli(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/bernoulli.py")
    at.query_params.update(query)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def readings(at: AppTest) -> list[str]:
    return [
        m.value.removeprefix(READING).strip() for m in at.markdown if m.value.startswith(READING)
    ]


states = st.fixed_dictionaries(
    {
        "p": st.integers(0, 100).map(lambda i: f"{i / 100:g}"),
        "q": st.integers(0, 100).map(lambda i: f"{i / 100:g}"),
        "w1": st.integers(-50, 50).map(lambda i: f"{i / 10:g}"),
        "lr": st.sampled_from(["0.1", "1", "10", "100"]),
        "steps": st.integers(1, 200).map(str),
        "n": st.integers(1, 60).map(str),
        "seed": st.integers(0, 999).map(str),
    }
)


@settings(max_examples=12)
@given(states)
def test_bernoulli_claims_hold_as_displayed(query):
    at = open_bernoulli(query)
    texts = readings(at)
    p, q = float(query["p"]), float(query["q"])

    # L = H + KL: the shown numbers add up as shown (or the sign says ≈), and L is right.
    loss = next(t for t in texts if "L = H + KL:" in t)
    shown_l, eq, shown_h, shown_kl = re.search(
        rf"L = H \+ KL: ({NUMBER}) (=|≈) ({NUMBER}) \+ ({NUMBER})", loss
    ).groups()
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -np.nansum([p * np.log(p) if p else 0.0, (1 - p) * np.log1p(-p) if p < 1 else 0.0])
        ce = -(p * np.log(q) if p else 0.0) - ((1 - p) * np.log1p(-q) if p < 1 else 0.0)
    if eq == "=":
        assert number(shown_h) + number(shown_kl) == number(shown_l)
    if np.isfinite(ce):
        decimals = len(shown_l.split(".")[1])
        assert abs(float(number(shown_l)) - ce) <= 0.5 * 10**-decimals + 1e-12
        assert abs(float(number(shown_h)) - h) <= 0.5 * 10**-decimals + 1e-12
    else:
        assert shown_l == "∞"

    # Chain rule: the product row is the product of the three factors as shown.
    table = at.table[0].value
    for weight in [c for c in table.columns if c.startswith("w")]:
        x_i, sigma_prime, dl_dq, product = (table[weight].iloc[i] for i in range(4))
        if product != "—":
            factors = [float(number(s)) for s in (x_i, sigma_prime, dl_dq)]
            assert np.isclose(np.prod(factors), float(number(product)), rtol=6e-3, atol=0)
        else:
            assert sigma_prime == "0" or dl_dq in ("∞", "−∞")

    # Sampler: "= p̂" only when q and p̂ are shown equal.
    sampler = next(t for t in texts if "p̂ =" in t)
    if "= p̂ (to the decimals shown)" in sampler:
        q_end, p_hat = (
            re.search(rf"q = ({NUMBER}) = p̂ \(", sampler).group(1),
            re.search(rf"so p̂ = ({NUMBER})", sampler).group(1),
        )
        assert q_end == p_hat
