"""A page is declared once: register a throwaway page, and the generic suites pick it up.

The throwaway page (``tests/throwaway.py``) adds one ``PageEntry`` (its ``PageState`` in it)
to the page registry and nothing else. Run with it, the AppTest suite must collect and pass
its generic tests for that page too (it runs, every control changes what it shows, its
payload is small), Home must link it, class mode must know it, the URL fuzz must open it,
the README check must ask for its URL table (which the README does not have: that check
fails for it, and only for it), and the browser suites' tables must hold it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests import throwaway
from xent import i18n, navigation

ROOT = Path(__file__).resolve().parent.parent
GENERIC = (
    *(
        f"{test}[throwaway-{lang}]"
        for test in (
            "test_page_runs_with_charts_formulas_and_readings",
            "test_every_widget_at_min_middle_and_max",
        )
        for lang in i18n.LANGUAGES
    ),
    "test_payload_per_rerun_is_small[throwaway]",
    "test_home_runs_and_links_every_page",
)


SELECTION = ("-q", "-rA", "-p", "no:cacheprovider", "-k", "throwaway or home_runs")


def _run_suite(
    with_throwaway: bool, files=("tests/test_app.py",), selection=SELECTION
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != throwaway.ENV}
    if with_throwaway:
        env[throwaway.ENV] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", *files, *selection],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _passed(output: str) -> set[str]:
    return {m.group(1) for m in re.finditer(r"^PASSED \S+::(\S+)", output, re.MULTILINE)}


def test_the_generic_suites_run_a_page_declared_only_in_the_registries():
    run = _run_suite(with_throwaway=True)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert set(GENERIC) <= _passed(run.stdout), run.stdout[-4000:]


def test_without_the_registration_the_page_does_not_exist():
    """The control: the same selection without the entry finds no throwaway test, so the
    passes above come from the registration, not from a hard-coded table."""
    run = _run_suite(with_throwaway=False)
    assert "throwaway" not in " ".join(_passed(run.stdout))
    assert "test_home_runs_and_links_every_page" in _passed(run.stdout)


def _outcomes(output: str, outcome: str) -> set[str]:
    return {m.group(1) for m in re.finditer(rf"^{outcome} (\S+)", output, re.MULTILINE)}


def test_the_url_fuzz_opens_the_page_and_the_readme_check_asks_for_its_table():
    run = _run_suite(
        True,
        ("tests/test_url_fuzz.py",),
        ("-q", "-rA", "-p", "no:cacheprovider", "-k", "throwaway"),
    )
    passed, failed = _outcomes(run.stdout, "PASSED"), _outcomes(run.stdout, "FAILED")
    fuzzed = "tests/test_url_fuzz.py::test_hostile_query_strings_never_raise"
    assert f"{fuzzed}[tests/pages/throwaway_page.py]" in passed, run.stdout[-3000:]
    garbage = {name for name in passed if "test_garbage_in_every_key" in name}
    assert len(garbage) == 7, run.stdout[-3000:]
    assert all("throwaway" in name for name in garbage)
    assert failed == {"tests/test_url_fuzz.py::test_readme_documents_every_url_key[throwaway]"}
    assert "README's table for /throwaway lacks ['p', 'steps']" in run.stdout


def test_the_browser_tables_hold_the_page():
    """The generic browser suites (not ``test_interactions``, whose table holds each page's own
    slider, reading and preset) collect the page: collected, not run, as the browser's server
    runs the app without the test's registration."""
    run = _run_suite(True, ("tests/e2e",), ("-q", "--collect-only", "-p", "no:cacheprovider"))
    ids = [line for line in run.stdout.splitlines() if "throwaway" in line]
    for suite in ("test_browser.py", "test_a11y.py", "test_first_visit.py", "test_projector.py"):
        assert any(suite in line for line in ids), (suite, run.stdout[-3000:])
    control = _run_suite(False, ("tests/e2e",), ("-q", "--collect-only", "-p", "no:cacheprovider"))
    assert "throwaway" not in control.stdout
    assert "test_browser.py" in control.stdout


def test_class_mode_knows_the_page(monkeypatch):
    """Class mode's page titles (its question labels, the projector) and scripts (where a
    student who joins is sent) gain the page once it is registered. The page has no
    questions, so no question of it can be posed: the bank, not the page list, says which
    pages class mode can ask about."""
    from xent.classroom import ui as classroom

    monkeypatch.setattr(navigation, "LESSONS", list(navigation.LESSONS))  # undone after
    assert "throwaway" not in classroom.PAGE_TITLES
    throwaway.register()
    assert classroom.PAGE_TITLES["throwaway"] == "Throwaway"
    assert classroom.PAGE_FILES["throwaway"] == "tests/pages/throwaway_page.py"
    assert list(classroom.PAGE_TITLES)[-1] == "throwaway"
