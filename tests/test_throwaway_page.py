"""A page is declared once: register a throwaway page, and the generic suites pick it up.

The throwaway page (``tests/throwaway.py``) adds one ``PageEntry`` and one ``PageState``
and nothing else. Run with it, the AppTest suite must collect and pass its generic tests for
that page too (it runs, every control changes what it shows, its payload is small), and Home
must link it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests import throwaway

ROOT = Path(__file__).resolve().parent.parent
GENERIC = (
    "test_page_runs_with_charts_formulas_and_readings[throwaway]",
    "test_payload_per_rerun_is_small[throwaway]",
    "test_every_widget_at_min_middle_and_max[throwaway]",
    "test_home_runs_and_links_every_page",
)


SELECTION = ("-q", "-rA", "-p", "no:cacheprovider", "-k", "throwaway or home_runs")


def _run_suite(with_throwaway: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != throwaway.ENV}
    if with_throwaway:
        env[throwaway.ENV] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_app.py", *SELECTION],
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
