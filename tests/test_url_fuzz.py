"""Hostile query strings never crash a page.

A shared link is user input: a student may mangle it, a teacher may paste it half-copied, and
anyone can type `?p=<script>`. Hypothesis builds query strings from the keys the pages bind to
the URL (plus unknown ones) and from values chosen to hurt (text, NaN, 1e999, negative counts,
script tags, huge repeated lists, very long strings); each is opened with a fresh AppTest on
every page, and the run must end without an exception (garbage falls back to defaults).

Cost: one AppTest run per case (a fresh session is the only way to replay "open this link").
The number of cases per page is set so that the whole file stays well under a minute.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "streamlit_app.py"

# Keys documented in README ("Links and URL keys"), plus every literal widget key in the pages
# and the shared UI module, so new controls are fuzzed without editing this file.
DOCUMENTED_KEYS = ["p", "q", "k", "lr", "q0"]


def _page_scripts() -> list[str | None]:
    """None is the home page (the app's default); the rest are paths AppTest can switch to."""
    return [None, *sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))]


def _literal_keys() -> list[str]:
    sources = [*(ROOT / "pages").glob("*.py"), ROOT / "xent" / "ui.py"]
    found = {
        key
        for path in sources
        if path.is_file()
        for key in re.findall(r"""\bkey\s*=\s*["']([A-Za-z0-9_\-]{1,20})["']""", path.read_text())
    }
    return sorted(found)


KEYS = sorted({*DOCUMENTED_KEYS, *_literal_keys()})

HOSTILE_VALUES = [
    "",
    " ",
    "nan",
    "NaN",
    "-nan",
    "inf",
    "-inf",
    "Infinity",
    "1e999",
    "-1e999",
    "1e-999",
    "1e308",
    "-1",
    "-5",
    "-1000000",
    "0",
    "1",
    "2",
    "0.5",
    "0.2",
    "1.0000001",
    "-0.0",
    "0x10",
    "1,5",
    "1_000",
    " 0.3 ",
    "None",
    "null",
    "true",
    "[1, 2]",
    "{}",
    "Apple",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "%00",
    "\x00",
    "../../etc/passwd",
    "9" * 400,
    "ß∞√ 🎯",
    "x" * 5_000,
]

values = st.one_of(
    st.sampled_from(HOSTILE_VALUES),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=30),
)
# A key maps to one value or to a list (a repeated key); some lists are huge (Streamlit ignores a
# query string of more than 1 000 parameters altogether, so both sides of that limit are covered).
param_values = st.one_of(
    values,
    st.lists(values, min_size=2, max_size=6),
    st.builds(lambda v, n: [v] * n, values, st.integers(min_value=100, max_value=1_200)),
)
keys = st.one_of(st.sampled_from(KEYS), st.text(min_size=1, max_size=12))
query_params = st.dictionaries(keys, param_values, min_size=1, max_size=6)

CASES_PER_PAGE = 60


def _open(page: str | None, params: dict) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    if page is not None:
        at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = value
    # Full error details inside the test only, so a failure names the exception.
    with patch_config_options({"client.showErrorDetails": "full"}):
        return at.run()


@pytest.mark.parametrize("page", _page_scripts(), ids=lambda p: p or "home")
def test_hostile_query_strings_never_raise(page: str | None) -> None:
    @settings(
        max_examples=CASES_PER_PAGE,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(params=query_params)
    def check(params: dict) -> None:
        at = _open(page, params)
        problems = [f"{e.message}\n{''.join(e.stack_trace)}" for e in at.exception]
        assert not problems, f"{page or 'home'} with query {params!r} raised:\n" + "\n".join(
            problems
        )

    check()
