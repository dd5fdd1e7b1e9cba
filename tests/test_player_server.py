"""Play and Pause cost the server one script run each, on a real `streamlit run` server.

The browser's side of the protocol is ``benchmarks/stclient.py`` (protobuf over
/_stcore/stream, as the browser speaks it); the server is the stock command. A click on a
widget inside a fragment starts that fragment's run; the player's callback asks for the
full rerun instead (Streamlit 1.67), so that run must end before its first statement,
with nothing drawn, and the one run that does the work is the page's.
"""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import Server  # noqa: E402
from stclient import Session  # noqa: E402

EARLY = "script_finished:FINISHED_EARLY_FOR_RERUN"
FULL = "script_finished:FINISHED_SUCCESSFULLY"


@pytest.fixture(scope="module")
def server():
    with Server(root=ROOT) as running:
        yield running


def _play_toggle(session: Session) -> tuple[str, str]:
    """(widget id, fragment id) of the neuron section's Play toggle."""
    for msg in session.elements.values():
        element = msg.delta.new_element
        if element.HasField("checkbox") and element.checkbox.label == "Play":
            return element.checkbox.id, msg.delta.fragment_id
    raise AssertionError("no Play toggle on the page")


async def _click(session: Session, widget: str, fragment: str, value: bool) -> list[str]:
    """What the server sends for one Play or Pause click, up to the run that finishes."""
    session.trace = []
    await session.rerun(WidgetState(id=widget, bool_value=value), fragment)
    trace, session.trace = session.trace, None
    return trace


async def _play_then_pause(base_url: str) -> tuple[list[str], list[str]]:
    session = Session(base_url, "bernoulli", timeout=60)
    await session.open()
    try:
        widget, fragment = _play_toggle(session)
        assert fragment, "the Play toggle lives in the neuron section's fragment"
        played = await _click(session, widget, fragment, True)
        await asyncio.sleep(1.0)
        paused = await _click(session, widget, fragment, False)
        return played, paused
    finally:
        await session.close()


def test_play_and_pause_are_one_full_run_each_and_the_cut_run_draws_nothing(server):
    # On a thread of its own: the browser tests' Playwright (sync API) may have left an
    # event loop running in this one, where asyncio.run refuses to start.
    with ThreadPoolExecutor(max_workers=1) as worker:
        played, paused = worker.submit(
            lambda: asyncio.run(_play_then_pause(server.base_url))
        ).result(timeout=180)
    for trace in (played, paused):
        runs = [kind for kind in trace if kind.startswith("script_finished")]
        assert runs in ([FULL], [EARLY, FULL]), trace
        if runs[0] == EARLY:  # the click's fragment run, ended before its first statement
            assert "delta" not in trace[: trace.index(EARLY)], trace
