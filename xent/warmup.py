"""Process warm-up, run once by the first script run: import what reruns use, then freeze it.

``streamlit_app.py`` imports this module; Python runs its body once per process (later
reruns find it in ``sys.modules``). It loads numpy, pandas, Altair with its Vega-Lite
schema and validator, and xent, sets pyarrow to convert frames on the calling thread and
pandas to keep text columns in Python objects, then calls ``gc.freeze()``: the ~100 000
long-lived objects these imports create move to the collector's permanent generation, so
the automatic full collections that a busy server still runs no longer walk them on every
rerun. Only public APIs (``gc``, ``pyarrow.set_cpu_count``, ``pandas.set_option``) are
used; nothing of Streamlit is touched.
"""

from __future__ import annotations

import gc

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa

import xent.charts  # noqa: F401  (the heaviest of xent's modules; pulls in the rest)

# pandas 3 stores a column of text (a series label, a class name) as a pyarrow array by
# default: building one, its column labels, or reading it back to Python costs two to three
# times what the same column costs in plain Python objects, and the charts build a few such
# frames on every rerun. The public option below keeps the text dtype ("str") and its
# behaviour, with Python storage; the charts' datasets are the same rows.
pd.set_option("mode.string_storage", "python")


def _load_vega_lite_schema() -> None:
    """Build and validate one tiny chart, so the schema is loaded before the freeze."""
    frame = pd.DataFrame({"x": np.array([0.0, 1.0])})
    alt.Chart(frame).mark_line().encode(x="x:Q", y="x:Q").to_dict()


_load_vega_lite_schema()
# pyarrow converts a pandas frame with one thread per CPU by default, starting a Python
# thread pool for every frame: for the app's small frames (Streamlit converts those of
# st.table and st.dataframe itself) that cost ~2.5 ms a frame instead of ~0.15 ms, and the
# extra threads fight the sessions' script threads for the GIL. One thread per conversion.
pa.set_cpu_count(1)
gc.collect()
gc.freeze()
FROZEN_OBJECTS: int = gc.get_freeze_count()
"""How many objects the freeze moved out of the collector's reach (for tests and benchmarks)."""
