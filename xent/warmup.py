"""Process warm-up, run once by the first script run: import what reruns use, then freeze it.

``streamlit_app.py`` imports this module; Python runs its body once per process (later
reruns find it in ``sys.modules``). It loads numpy, pandas, Altair with its Vega-Lite
schema and validator, and xent, then calls ``gc.freeze()``: the ~100 000 long-lived objects
these imports create move to the collector's permanent generation, so the automatic
full collections that a busy server still runs no longer walk them on every rerun.
Only public Python APIs (``gc``) are used; nothing of Streamlit is touched.
"""

from __future__ import annotations

import gc

import altair as alt
import numpy as np
import pandas as pd

import xent.charts  # noqa: F401  (the heaviest of xent's modules; pulls in the rest)


def _load_vega_lite_schema() -> None:
    """Build and validate one tiny chart, so the schema is loaded before the freeze."""
    frame = pd.DataFrame({"x": np.array([0.0, 1.0])})
    alt.Chart(frame).mark_line().encode(x="x:Q", y="x:Q").to_dict()


_load_vega_lite_schema()
gc.collect()
gc.freeze()
FROZEN_OBJECTS: int = gc.get_freeze_count()
"""How many objects the freeze moved out of the collector's reach (for tests and benchmarks)."""
