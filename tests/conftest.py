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
    that the generic suites' tables (built from the registries) include it.

    Under pytest-xdist (``make test`` runs two workers) each worker's benchmark servers take
    their own half of the benchmarks' port block (``XENT_BENCH_PORTS``), as the tests' own
    servers take their own part of theirs (``tests/ports.py``)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and "XENT_BENCH_PORTS" not in os.environ:
        half = int(worker.removeprefix("gw") or 0) % 2
        os.environ["XENT_BENCH_PORTS"] = ("8550-8574", "8575-8599")[half]
    if os.environ.get("XENT_THROWAWAY_PAGE") == "1":
        from tests import throwaway  # imports Streamlit: only when asked

        throwaway.register()


# Page scripts run under Streamlit, not on import: keep the doctest collector out of them.
collect_ignore = ["pages"]
