"""Hostile query strings never crash a page.

A shared link is user input: a student may mangle it, a teacher may paste it half-copied, and
anyone can type `?p=<script>`. Hypothesis builds query strings from the keys the pages bind to
the URL (plus unknown ones) and from values chosen to hurt (text, NaN, 1e999, negative counts,
script tags, huge repeated lists, very long strings); each is opened with a fresh AppTest on
every page, and the run must end without an exception (garbage falls back to defaults).

Cost: one fresh AppTest session per case (the only faithful replay of "open this link"), about
0.1-0.3 s each with warm caches; the case counts below keep the file near half a minute.
A second, deterministic test sets every key of a page to the same garbage at once and checks
that each control falls back to its default.
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pytest
import streamlit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from tests.test_app import open_page
from xent import navigation
from xent.ui.state import SCRUBBERS, canonical, share_query

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "streamlit_app.py"
PAGE_SCRIPTS = [entry.script for entry in navigation.entries()]
"""Every page of the page registry (Home, the lessons, Class), by its script."""

# The URL keys each page binds (its defaults, plus the step scrubbers), read from the page
# registry so that new pages and controls are fuzzed without editing this file; a few keys
# from nowhere as well.
_STATES = {entry.script: entry.state for entry in navigation.LESSONS}


def page_keys(page: str) -> list[str]:
    state = _STATES.get(page)
    return sorted({*(state.defaults if state else ()), *SCRUBBERS, "_preset"})


ALL_KEYS = sorted({k for page in PAGE_SCRIPTS for k in page_keys(page)})

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
    "Gorilla",
    "cross_entropy",
    "focal",
    "Box: 2 red, 8 white",
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
    st.sampled_from(HOSTILE_VALUES),  # listed twice: most values come from the hostile list
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


def query_params(page: str):
    keys = st.one_of(
        st.sampled_from(page_keys(page)),  # mostly the page's own keys
        st.sampled_from(page_keys(page)),
        st.sampled_from(ALL_KEYS),
        st.text(min_size=1, max_size=12),
    )
    return st.dictionaries(keys, param_values, min_size=1, max_size=8)


# 80 cases on each content page and 20 on Home (it binds no keys): 260 in all, about 0.1-0.3 s
# each with warm caches (a fresh AppTest session per case is the point, so no batching).
CASES = {"pages/home.py": 20}
CASES_PER_PAGE = 80


def _open(page: str, params: dict) -> AppTest:
    """Open `page` with `params` in a fresh session, like a student opening a shared link."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    # AppTest learns the pages' custom url_paths (loss-comparison) from a first run only.
    at.run()
    at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


@pytest.fixture(autouse=True)
def full_error_details():
    """Full error details inside these tests only, so a failure names the exception (set
    through the public ``st.set_option``, and put back after each test)."""
    before = streamlit.get_option("client.showErrorDetails")
    streamlit.set_option("client.showErrorDetails", "full")
    yield
    streamlit.set_option("client.showErrorDetails", before)


def query_of(link_query: str) -> dict[str, str | list[str]]:
    """A link's query as ``AppTest.query_params`` holds it: one value as a string, a repeated
    key as a list, a blank value kept."""
    parsed = urllib.parse.parse_qs(link_query, keep_blank_values=True)
    return {key: values[0] if len(values) == 1 else values for key, values in parsed.items()}


@pytest.mark.parametrize("page", PAGE_SCRIPTS)
def test_hostile_query_strings_never_raise(page: str) -> None:
    @settings(
        max_examples=CASES.get(page, CASES_PER_PAGE),
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(params=query_params(page))
    def check(params: dict) -> None:
        at = _open(page, params)
        problems = [f"{e.message}\n{''.join(e.stack_trace)}" for e in at.exception]
        assert not problems, f"{page} with query {params!r} raised:\n" + "\n".join(problems)

    check()


GARBAGE = ["banana", "nan", "1e999", "-1e999", "-5e3", "<script>alert(1)</script>", ""]


@pytest.mark.parametrize("bad", GARBAGE)
@pytest.mark.parametrize("page", sorted(_STATES))
def test_garbage_in_every_key_falls_back_to_the_defaults(page: str, bad: str) -> None:
    """Every bound key set to garbage at once: the page runs, every control is at its default,
    and a notice says so.

    ``names`` is free text (any text is a valid list of class names), so it is left out.
    """
    state = _STATES[page]
    keys = [k for k in state.defaults if k != "names"]
    at = _open(page, dict.fromkeys(keys, bad))
    problems = [f"{e.message}\n{''.join(e.stack_trace)}" for e in at.exception]
    assert not problems, f"{page} with every key = {bad!r} raised:\n" + "\n".join(problems)
    if bad == "":  # an empty value is how a URL says "nothing selected" for a multi-select
        keys = [k for k in keys if not isinstance(state.defaults[k], list)]
    rendered = [k for k in keys if k in at.session_state]
    assert rendered, "no control of the page was drawn"
    moved = {k: at.session_state[k] for k in rendered if at.session_state[k] != state.defaults[k]}
    assert not moved, f"{page}: garbage {bad!r} was taken as a value: {moved}"
    # ... and the student is told, in a short notice rather than an error.
    notices = [e.value for e in (*at.info, *at.warning, *at.toast)]
    assert any("default" in text for text in notices), f"{page}: no notice for {bad!r}"


def _readme_tables() -> dict[str, set[str]]:
    """URL keys per page path, from the README's "Links and URL keys" tables."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Links and URL keys", 1)[1].split("\n## ", 1)[0]
    tables: dict[str, set[str]] = {}
    current = None
    for line in section.splitlines():
        heading = re.match(r"\*\*.+\*\* \(`/([a-z-]+)`\)", line)
        if heading:
            current = tables.setdefault(heading[1], set())
        elif current is not None and line.startswith("| `"):
            first_cell = line.split("|")[1]
            names = re.findall(r"`([a-z_0-9]+)`", first_cell)
            if "…" in first_cell:  # z1 … z10
                lo, hi = (int(re.sub(r"\D", "", n)) for n in names)
                prefix = re.sub(r"\d", "", names[0])
                names = [f"{prefix}{i}" for i in range(lo, hi + 1)]
            current.update(names)
    return tables


@pytest.mark.parametrize("slug", [entry.url_path for entry in navigation.LESSONS])
def test_readme_documents_every_url_key(slug: str) -> None:
    state = navigation.lesson(slug).state
    documented = _readme_tables().get(slug, set())
    missing = set(state.defaults) - documented
    assert not missing, f"README's table for /{slug} lacks {sorted(missing)}"
    extra = documented - set(state.defaults) - set(SCRUBBERS)
    assert not extra, f"README's table for /{slug} names unknown keys {sorted(extra)}"


def test_readme_example_links_open_with_their_settings() -> None:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Links and URL keys", 1)[1].split("\n## ", 1)[0]
    links = re.findall(r"^- `/([a-z-]+)\?([^`]+)`", section, flags=re.MULTILINE)
    assert len(links) >= 3
    pages = {state.slug: page for page, state in _STATES.items()}
    for slug, query in links:
        params = query_of(query)
        at = _open(pages[slug], params)
        assert not at.exception, f"/{slug}?{query} raised"
        # Streamlit keeps exactly the values it accepted in the URL: all of them, unchanged.
        assert at.query_params == params, f"/{slug}?{query} was not taken as written"


SPELLINGS = [
    ("bernoulli", "lr", "3.0", 3.0),
    ("bernoulli", "lr", "3e0", 3.0),
    ("bernoulli", "lr", ".1", 0.1),
    ("loss-comparison", "tol", "0.10", 0.1),
    ("multiclass", "za", "1e2", 100.0),
    ("multiclass", "rlr", "+3", 3.0),
    ("bernoulli", "p", "1e-1", 0.1),
    ("bernoulli", "steps", "100.0", 100),
    ("bernoulli", "q", "+0.5", 0.5),
]


@pytest.mark.parametrize(("page", "key", "text", "value"), SPELLINGS)
def test_a_number_from_a_link_is_read_by_value_the_same_for_every_control(page, key, text, value):
    """A fixed option and a plain slider take any spelling of a value they can take (before:
    lr=3.0 or tol=0.10 were refused with a notice, while p=1e-1 was taken), with no notice,
    and the Share link spells it as the page writes it."""
    at = open_page(page, {key: text})
    assert not at.exception
    assert at.session_state[key] == pytest.approx(value)
    assert not at.info, [i.value for i in at.info]
    shared = dict(share_query(navigation.lesson(page).state, at.session_state))
    assert float(shared[key]) == pytest.approx(value)
    assert shared[key] == canonical(text)


def test_share_never_rounds_a_value_the_page_uses():
    at = open_page("bernoulli", {"p": "0.123456789"})
    assert at.session_state["p"] == 0.123456789
    shared = dict(share_query(navigation.lesson("bernoulli").state, at.session_state))
    assert float(shared["p"]) == at.session_state["p"]  # before: 0.123457, another value
