"""Finished chart specs that cost a rerun nothing but the send (issue 9).

``st.vega_lite_chart(spec)`` turns every pandas frame in ``spec["datasets"]`` into Arrow IPC
bytes on every call, and leaves bytes that are already Arrow IPC as they are (Streamlit 1.67,
documented in its source as the path Altair's own data transformer uses). A page that
builds its spec in a cached function can therefore convert once, in the cache:

    @st.cache_resource(max_entries=64)
    def bernoulli_spec(p: float, K: int) -> dict:
        return arrow_ready(charts.bernoulli_spec(...))

    st.vega_lite_chart(bernoulli_spec(p, K), width="stretch")

``st.cache_resource`` hands back the same dict on every hit (no pickled copy); Streamlit
copies the top level of the spec before it edits it, so the cached dict is never changed.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa


def arrow_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as one Arrow IPC stream, the format Streamlit sends to the browser."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.RecordBatchStreamWriter(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def arrow_ready(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of a finished Vega-Lite spec whose named datasets are Arrow IPC bytes.

    Only the top level and ``datasets`` are copied; datasets that are not pandas frames
    (e.g. GeoJSON) are kept as they are.
    """
    datasets = spec.get("datasets")
    if not datasets:
        return dict(spec)
    converted = {
        name: arrow_bytes(data) if isinstance(data, pd.DataFrame) else data
        for name, data in datasets.items()
    }
    return {**spec, "datasets": converted}
