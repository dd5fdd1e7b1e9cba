"""The playback marker animated in the browser: a Vega-Lite timer selection.

While a player plays, a step chart (x = ``step``) gets one more layer: a rule that walks
from the step where the playback started to the run's last step, on the browser's clock
(Vega-Lite 6's ``"select": {"type": "point", "on": "timer"}`` with the ``time`` encoding).
The server is not asked for the frames in between: the player reruns once when the run
ends (see :mod:`xent.ui.player`).

Vega-Lite 6.4 (the version Streamlit 1.67 bundles) logs "Animation involving facet, layer,
or concat is currently unsupported" for a timer selection inside a layered chart; it draws
and moves the rule all the same in Chromium (checked in ``tests/e2e``), and the page never
relies on it for a number: the reading, the table and the address bar are the server's,
and they catch up when the playback stops.
"""

from __future__ import annotations

from dataclasses import dataclass

MARKER_COLOR = "#D62728"
"""Colour of the moving rule (the static markers' red)."""


@dataclass(frozen=True)
class PlayWindow:
    """A running playback: from step ``start`` to step ``end``, ``seconds_per_step`` apart."""

    start: int
    end: int
    seconds_per_step: float

    @property
    def duration_ms(self) -> float:
        """How long the rule takes from ``start`` to ``end``, in milliseconds."""
        return 1000.0 * self.seconds_per_step * (self.end - self.start)


def moving_rule(window: PlayWindow) -> dict:
    """The Vega-Lite layer of a rule at x = step, walking ``window`` on a timer."""
    return {
        "data": {"values": [{"step": s} for s in range(window.start, window.end + 1)]},
        "params": [
            {"name": "play", "select": {"type": "point", "fields": ["step"], "on": "timer"}}
        ],
        "transform": [{"filter": {"param": "play"}}],
        "mark": {"type": "rule", "color": MARKER_COLOR, "strokeWidth": 3},
        "encoding": {
            "x": {"field": "step", "type": "quantitative"},
            "time": {
                "field": "step",
                "type": "ordinal",
                "scale": {"range": [0, window.duration_ms]},
            },
        },
    }


def with_playback(spec: dict, window: PlayWindow | None) -> dict:
    """``spec`` (a layered step chart) with the moving rule added while ``window`` plays;
    ``spec`` itself when nothing plays or the window is empty. ``spec`` is not modified
    (finished specs are shared through a cache)."""
    if window is None or window.end <= window.start or "layer" not in spec:
        return spec
    return {**spec, "layer": [*spec["layer"], moving_rule(window)]}
