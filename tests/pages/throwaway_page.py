"""The throwaway page's script (see tests/throwaway.py): the smallest page that follows the
app's conventions (header first, a control, charts with readings, formulas, notice last)."""

import pandas as pd

from tests.throwaway import STATE
from xent import charts
from xent.ui import drawing, notice, page, widgets

notice_slot = page.header(STATE, "Throwaway", "A page registered only by the tests.")
p = widgets.slider(STATE, "p", "Target p", 0.0, 1.0, 0.05)
steps = widgets.slider(STATE, "steps", "Points", 2, 50, 1)
drawing.formulas((r"q = p", "q equals p"), (r"L = -\log q", "L is minus log q"))
table = pd.DataFrame({"x": range(steps), "y": [p * i for i in range(steps)]})
spec = {
    "mark": "line",
    "data": {"name": "points"},
    "encoding": {
        "x": {"field": "x", "type": "quantitative"},
        "y": {"field": "y", "type": "quantitative"},
    },
}
figure = charts.Chart({"layer": [spec]}, {"points": table})  # a small page: one chart
drawing.chart(figure, "A line", f"The line rises to {p * (steps - 1):.2f}.")
notice.url_notice(notice_slot)
