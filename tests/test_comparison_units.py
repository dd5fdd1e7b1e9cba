"""Loss Comparison: the units note names only the chosen losses measured in nats, and the
scoring reading's focal minimiser matches an independent grid search (issue 12 §1-2)."""

import re

import numpy as np
import pytest

from tests.test_app import open_page, readings


@pytest.mark.parametrize(
    ("losses", "note"),
    [
        (["squared error", "absolute error"], None),
        (["cross-entropy", "squared error"], "(cross-entropy in nats)"),
        (["squared error", "focal (γ = 2)"], "(focal in nats)"),
    ],
)
def test_units_note_names_only_selected_losses(losses: list[str], note: str | None) -> None:
    at = open_page("loss-comparison", {"losses": losses})
    (text,) = [r for r in readings(at) if "At the start" in r]
    if note is None:
        assert "nats" not in text, text
    else:
        assert note in text, text
        other = "focal" if "cross-entropy" in note else "cross-entropy"
        assert f"{other} in nats" not in text, text
        assert f"and {other}" not in text, text


def _focal_expected_minimiser(p: float) -> float:
    """Independent: grid search of p·(−(1−q)² log q) + (1−p)·(−q² log(1−q)), γ = 2."""
    q = np.linspace(1e-6, 1 - 1e-6, 2_000_001)
    expected = -p * (1 - q) ** 2 * np.log(q) - (1 - p) * q**2 * np.log1p(-q)
    return float(q[np.argmin(expected)])


@pytest.mark.parametrize("p", ["0.9", "0.7", "0.25"])
def test_scoring_reading_focal_minimiser_matches_numpy(p: str) -> None:
    at = open_page("loss-comparison", {"losses": ["focal (γ = 2)"], "p": p})
    (text,) = [r for r in readings(at) if "expected loss is smallest" in r]
    shown = re.search(r"smallest at q = ([0-9.]+)", text)
    assert shown is not None, text
    assert float(shown.group(1)) == pytest.approx(_focal_expected_minimiser(float(p)), abs=0.006)
    assert "Not a proper scoring rule" in text
