"""Prototype (issue 5): client-side playback of the Bernoulli neuron run, for bench_playback.py.

The run of the Bernoulli page's section 2 (page defaults; ``?steps=`` sets the length) is
drawn as ONE Vega-Lite spec: the L(q) curve with the steps along it, the marker and a
text reading, above q over the steps and the weights over the steps, each with a rule
and points at the marked step. The marked step is a Vega-Lite param ``t`` bound to an
HTML range input (``"bind": {"input": "range"}``): moving it redraws in the browser,
with no message to the server. Vega-Lite params have no timer, so there is no Play in
that spec; ``?vega=1`` draws instead a raw Vega spec (L(q) chart only) whose step signal
listens to a ``timer`` event while a bound "Play" checkbox is on (``?every=`` ms per step).

The "Rerun the script" button checks what a rerun does to the bound input (the chart
is sent again; the browser keeps the input's value only while the spec is unchanged).

    .venv/bin/streamlit run benchmarks/playback_client_page.py --server.port 8601
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from xent import charts, frames
from xent.lessons.bernoulli import STATE as BERNOULLI

D = BERNOULLI.defaults


def _run(steps: int):
    """The page's neuron run: the trajectory, the L(q) curve below the axis top, weights."""
    p = D["p"]
    run = frames.neuron_run((D["x1"], D["x2"]), p, (D["w1"], D["w2"]), D["lr"], steps)
    curve = frames.bernoulli_loss_view(p, p)
    traj = run.table[["step", "q", "loss_nats", "w1", "w2"]].rename(columns={"loss_nats": "L"})
    y_top = max(curve.y_max or frames.L_MAX, frames.axis_top(traj["L"].to_numpy()))
    lines = curve.curves[curve.curves["y"] <= y_top]
    return traj, lines, y_top, run


@st.cache_data(max_entries=8, show_spinner=False)
def playback_spec(steps: int) -> dict:
    traj, lines, y_top, run = _run(steps)
    weights = run.weights
    marker = charts.MARKER
    at_t = [{"filter": "datum.step == t"}]
    x_q = {"field": "x", "type": "quantitative", "title": "model prediction q"}
    step_x = {"field": "step", "type": "quantitative", "title": "step t", "axis": {"format": "d"}}
    text = (
        "'Step ' + datum.step + ': q = ' + format(datum.q, '.2f') + ', L = ' + "
        "format(datum.L, '.2f') + ' nats'"
    )
    path_view = {
        "width": 640,
        "height": 260,
        "layer": [
            {
                "data": {"name": "curve"},
                "mark": {"type": "line", "strokeWidth": 3},
                "encoding": {
                    "x": {**x_q, "scale": {"domain": [0, 1]}},
                    "y": {
                        "field": "y",
                        "type": "quantitative",
                        "title": "loss L (nats)",
                        "scale": {"domain": [0, y_top]},
                    },
                },
            },
            {
                "data": {"name": "traj"},
                "mark": {"type": "point", "size": 30, "filled": True, "opacity": 0.45},
                "encoding": {
                    "x": {"field": "q", "type": "quantitative"},
                    "y": {"field": "L", "type": "quantitative"},
                },
            },
            {
                "data": {"name": "traj"},
                "transform": at_t,
                "mark": {
                    "type": "point",
                    "size": 220,
                    "filled": True,
                    "color": marker,
                    "stroke": "white",
                    "opacity": 1,
                },
                "encoding": {
                    "x": {"field": "q", "type": "quantitative"},
                    "y": {"field": "L", "type": "quantitative"},
                },
            },
            {
                "data": {"name": "traj"},
                "transform": [*at_t, {"calculate": text, "as": "reading"}],
                "mark": {"type": "text", "align": "left", "x": 8, "y": 12, "fontSize": 15},
                "encoding": {"text": {"field": "reading", "type": "nominal"}},
            },
        ],
    }

    def steps_view(data: str, y_field: str, y_title: str, color: dict | None) -> dict:
        enc = {"x": step_x, "y": {"field": y_field, "type": "quantitative", "title": y_title}}
        if color:
            enc = {**enc, "color": color, "strokeDash": {"field": "series", "type": "nominal"}}
        return {
            "width": 300,
            "height": 200,
            "layer": [
                {
                    "data": {"name": data},
                    "mark": {"type": "line", "strokeWidth": 3},
                    "encoding": enc,
                },
                {
                    "data": {"name": data},
                    "transform": at_t,
                    "mark": {"type": "rule", "color": marker, "strokeWidth": 2},
                    "encoding": {"x": step_x},
                },
                {
                    "data": {"name": data},
                    "transform": at_t,
                    "mark": {"type": "point", "size": 160, "filled": True, "opacity": 1},
                    "encoding": {**enc, "strokeDash": {"value": [1, 0]}},
                },
            ],
        }

    spec = {
        "params": [
            {
                "name": "t",
                "value": 0,
                "bind": {
                    "input": "range",
                    "min": 0,
                    "max": steps,
                    "step": 1,
                    "name": "Show step t ",
                },
            }
        ],
        "config": charts.CONFIG,
        "vconcat": [
            path_view,
            {
                "hconcat": [
                    steps_view("traj", "q", "prediction q", None),
                    steps_view(
                        "weights", "value", "weights w", {"field": "series", "type": "nominal"}
                    ),
                ]
            },
        ],
        "datasets": {
            "curve": lines.reset_index(drop=True),
            "traj": traj,
            "weights": weights.reset_index(drop=True),
        },
    }
    return spec


@st.cache_data(max_entries=8, show_spinner=False)
def vega_player_spec(steps: int, every_ms: int) -> dict:
    """A raw Vega spec (not Vega-Lite): Play checkbox + step slider + a timer event.

    Vega-Lite params cannot listen to events; a Vega signal can (``timer``). Streamlit
    1.67 hands a spec with a Vega ``$schema`` to vega-embed as Vega, so this draws.
    """
    traj, lines, y_top, _ = _run(steps)
    marker = charts.MARKER
    return {
        "$schema": "https://vega.github.io/schema/vega/v6.json",
        "width": 640,
        "height": 260,
        "signals": [
            {"name": "playing", "value": False, "bind": {"input": "checkbox", "name": "Play "}},
            {
                "name": "t",
                "value": 0,
                "bind": {
                    "input": "range",
                    "min": 0,
                    "max": steps,
                    "step": 1,
                    "name": "Show step t ",
                },
                "on": [
                    {
                        "events": {"type": "timer", "throttle": every_ms},
                        "update": f"playing ? (t < {steps} ? t + 1 : 0) : t",
                    }
                ],
            },
        ],
        # Streamlit pulls a top-level "data" out of the spec (as Arrow, for Vega-Lite),
        # which breaks a Vega spec: the data, scales and marks live in one group mark.
        "marks": [
            {
                "type": "group",
                "encode": {"enter": {"width": {"signal": "width"}, "height": {"signal": "height"}}},
                "data": [
                    {"name": "curve", "values": lines[["x", "y"]].to_dict("records")},
                    {"name": "traj", "values": traj[["step", "q", "L"]].to_dict("records")},
                    {
                        "name": "at",
                        "source": "traj",
                        "transform": [{"type": "filter", "expr": "datum.step == t"}],
                    },
                ],
                "scales": [
                    {"name": "x", "type": "linear", "domain": [0, 1], "range": "width"},
                    {"name": "y", "type": "linear", "domain": [0, y_top], "range": "height"},
                ],
                "axes": [
                    {"orient": "bottom", "scale": "x", "title": "model prediction q"},
                    {"orient": "left", "scale": "y", "title": "loss L (nats)"},
                ],
                "marks": [
                    {
                        "type": "line",
                        "from": {"data": "curve"},
                        "encode": {
                            "enter": {
                                "x": {"scale": "x", "field": "x"},
                                "y": {"scale": "y", "field": "y"},
                                "stroke": {"value": "#0072B2"},
                                "strokeWidth": {"value": 3},
                            }
                        },
                    },
                    {
                        "type": "symbol",
                        "from": {"data": "traj"},
                        "encode": {
                            "enter": {
                                "x": {"scale": "x", "field": "q"},
                                "y": {"scale": "y", "field": "L"},
                                "size": {"value": 30},
                                "fill": {"value": "#0072B2"},
                                "opacity": {"value": 0.45},
                            }
                        },
                    },
                    {
                        "type": "symbol",
                        "from": {"data": "at"},
                        "encode": {
                            "update": {
                                "x": {"scale": "x", "field": "q"},
                                "y": {"scale": "y", "field": "L"},
                                "size": {"value": 220},
                                "fill": {"value": marker},
                                "stroke": {"value": "white"},
                            }
                        },
                    },
                    {
                        "type": "text",
                        "from": {"data": "at"},
                        "encode": {
                            "update": {
                                "x": {"value": 8},
                                "y": {"value": 12},
                                "fontSize": {"value": 15},
                                "text": {
                                    "signal": "'Step ' + datum.step + ': q = '"
                                    " + format(datum.q, '.2f')"
                                    " + ', L = ' + format(datum.L, '.2f') + ' nats'"
                                },
                            }
                        },
                    },
                ],
            }
        ],
    }


steps = st.query_params.get("steps", "200")
steps = int(np.clip(int(steps) if steps.isdigit() else 200, 1, 200))
every = st.query_params.get("every", "350")
every = int(np.clip(int(every) if every.isdigit() else 350, 16, 5000))
if st.query_params.get("vega"):
    st.title("Playback prototype: a raw Vega spec with a timer")
    st.caption(f"The neuron run, {steps} steps; the timer steps every {every} ms while Play is on.")
    st.vega_lite_chart(spec=vega_player_spec(steps, every), width="content")
else:
    st.title("Playback prototype: a Vega-Lite param bound to a range input")
    st.caption(f"The neuron run (page defaults), {steps} steps; no server round trip.")
    st.vega_lite_chart(spec=playback_spec(steps), width="content")
st.button("Rerun the script")
st.session_state["_runs"] = st.session_state.get("_runs", 0) + 1
st.caption(f"Script runs in this session: {st.session_state['_runs']}")
