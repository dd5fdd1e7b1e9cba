"""Shared test settings.

Hypothesis runs one deterministic profile everywhere: ``derandomize=True`` draws the same
examples on every run and machine (a property test cannot pass locally and fail in CI,
or the other way round), ``deadline=None`` keeps a slow CI runner from turning timing
into failures, and ``database=None`` leaves no example files behind.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "xent",
    derandomize=True,
    deadline=None,
    database=None,
    max_examples=100,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("xent")


def pytest_configure(config) -> None:
    """With ``XENT_THROWAWAY_PAGE=1``, register the tests' throwaway page before collection, so
    that the generic suites' tables (built from the registries) include it."""
    if os.environ.get("XENT_THROWAWAY_PAGE") == "1":
        from tests import throwaway  # imports Streamlit: only when asked

        throwaway.register()


# Page scripts run under Streamlit, not on import: keep the doctest collector out of them.
collect_ignore = ["pages"]
