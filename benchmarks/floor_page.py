"""The floor page: one slider and one 500-point Altair chart.

The rerun benchmarks measure every dashboard page beside this page, in the same run and
the same way, so that the ratio page / floor says how much slower a page is than the
cheapest interactive Streamlit page with a chart could be (target: at most 3x).
"""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

st.title("Floor page")
q = st.slider("q", min_value=0.01, max_value=0.99, value=0.3, step=0.01)
x = np.linspace(0.001, 0.999, 500)
frame = pd.DataFrame({"x": x, "y": -q * np.log(x) - (1 - q) * np.log(1 - x)})
chart = (
    alt.Chart(frame)
    .mark_line()
    .encode(x=alt.X("x:Q", title="q"), y=alt.Y("y:Q", title="L (nats)"), tooltip=["x:Q", "y:Q"])
)
st.altair_chart(chart, width="stretch")
st.write(f"L at the minimum: {float(frame['y'].min()):.4f} nats")
