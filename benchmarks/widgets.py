"""Random but valid slider moves, shared by the AppTest and the WebSocket benchmarks.

A "move" picks one slider (st.slider or st.select_slider) and a new value inside its
range on its step grid, the way a student drags the thumb somewhere else.
"""

from __future__ import annotations

import random
from typing import Any

from streamlit.proto.Slider_pb2 import Slider as SliderProto
from streamlit.proto.WidgetStates_pb2 import WidgetState

_NUMERIC = (SliderProto.DataType.INT, SliderProto.DataType.FLOAT)


def is_movable(proto: SliderProto) -> bool:
    """Sliders we know how to move: numeric sliders and select sliders, not disabled."""
    if proto.disabled:
        return False
    if proto.type == SliderProto.Type.SELECT_SLIDER:
        return len(proto.options) > 1
    return proto.data_type in _NUMERIC and proto.max > proto.min


def random_value(proto: SliderProto, rng: random.Random) -> Any:
    """A random value on the slider's grid: a number, an option string, or a pair."""
    is_range = len(proto.default) == 2
    if proto.type == SliderProto.Type.SELECT_SLIDER:
        picks = sorted(rng.sample(range(len(proto.options)), 2 if is_range else 1))
        values = [proto.options[i] for i in picks]
    else:
        step = proto.step or (1 if proto.data_type == SliderProto.DataType.INT else 0.01)
        n_steps = round((proto.max - proto.min) / step)
        picks = sorted(rng.randint(0, n_steps) for _ in range(2 if is_range else 1))
        values = [min(proto.max, proto.min + k * step) for k in picks]
        if proto.data_type == SliderProto.DataType.INT:
            values = [round(v) for v in values]
        else:
            # Round away binary noise to the decimals of the step, as the browser does.
            decimals = max(0, len(f"{step:.10f}".rstrip("0").split(".")[1]))
            values = [round(v, decimals) for v in values]
    return tuple(values) if is_range else values[0]


def widget_state(proto: SliderProto, value: Any) -> WidgetState:
    """The WidgetState the browser sends for this slider at this value."""
    values = list(value) if isinstance(value, tuple) else [value]
    state = WidgetState(id=proto.id)
    if proto.type == SliderProto.Type.SELECT_SLIDER:
        state.string_array_value.data[:] = [str(v) for v in values]
    else:
        state.double_array_value.data[:] = [float(v) for v in values]
    return state
