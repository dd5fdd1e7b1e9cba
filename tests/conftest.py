"""Shared test settings.

Hypothesis runs one deterministic profile everywhere: ``derandomize=True`` draws the same
examples on every run and machine (a property test cannot pass locally and fail in CI,
or the other way round), ``deadline=None`` keeps a slow CI runner from turning timing
into failures, and ``database=None`` leaves no example files behind.
"""

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
