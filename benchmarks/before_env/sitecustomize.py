"""Benchmarks only: make a server process run main's old configuration, for before/after tables.

Put on PYTHONPATH by ``benchmarks/_common.py``'s ``Server(launcher="before")`` (together with
``--runner.postScriptGC=true``). Before issue 9 the app ran on asyncio's default event loop
(no uvloop, so Nagle's algorithm stayed on) and never froze its long-lived objects. Here
``import uvloop`` fails as if it were not installed, so Streamlit keeps asyncio's loop, and
``gc.freeze`` does nothing. Never used by the app, Docker or ``make run``.
"""

import gc
import sys

sys.modules["uvloop"] = None  # type: ignore[assignment]  # `import uvloop` -> ModuleNotFoundError
gc.freeze = lambda: None
