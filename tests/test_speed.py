"""xent.speed.arrow_ready: a pre-converted spec reaches the browser exactly as the original."""

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from xent.speed import arrow_bytes, arrow_ready


def _frame(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 300))
    return pd.DataFrame(
        {
            "step": np.arange(n),
            "q": rng.uniform(0, 1, n),
            "series": rng.choice(["w1", "w2"], n),
        }
    )


def _spec(frame: pd.DataFrame) -> dict:
    return {
        "datasets": {"traj": frame},
        "layer": [
            {
                "name": "marker",
                "data": {"name": "traj"},
                "mark": "point",
                "encoding": {
                    "x": {"field": "step", "type": "quantitative"},
                    "y": {"field": "q", "type": "quantitative"},
                },
            }
        ],
    }


@pytest.mark.parametrize("seed", range(5))
def test_arrow_bytes_read_back_as_the_same_frame(seed):
    frame = _frame(seed)
    back = pa.ipc.open_stream(arrow_bytes(frame)).read_pandas()
    np.testing.assert_array_equal(back["step"].to_numpy(), frame["step"].to_numpy())
    np.testing.assert_array_equal(back["q"].to_numpy(), frame["q"].to_numpy())
    assert list(back["series"]) == list(frame["series"])


def test_arrow_ready_leaves_the_original_spec_alone():
    frame = _frame(0)
    spec = _spec(frame)
    ready = arrow_ready(spec)
    assert spec["datasets"]["traj"] is frame
    assert isinstance(ready["datasets"]["traj"], bytes)
    assert ready["layer"] is spec["layer"]
    assert arrow_ready({"mark": "point"}) == {"mark": "point"}


def _chart_app():
    import numpy as np
    import pandas as pd
    import streamlit as st

    from xent.speed import arrow_ready

    rng = np.random.default_rng(int(st.query_params.get("seed", "0")))
    frame = pd.DataFrame({"step": np.arange(50), "q": rng.uniform(0, 1, 50)})
    spec = {
        "datasets": {"traj": frame},
        "mark": "point",
        "data": {"name": "traj"},
        "encoding": {
            "x": {"field": "step", "type": "quantitative"},
            "y": {"field": "q", "type": "quantitative"},
        },
    }
    st.vega_lite_chart(spec)
    st.vega_lite_chart(arrow_ready(spec))


@pytest.mark.parametrize("seed", [0, 7, 123])
def test_streamlit_sends_the_same_chart_for_both(seed):
    at = AppTest.from_function(_chart_app)
    at.query_params["seed"] = str(seed)
    at.run(timeout=60)
    assert not at.exception
    plain, ready = (chart.proto for chart in at.get("vega_lite_chart"))
    assert plain.spec == ready.spec
    assert [d.name for d in plain.datasets] == [d.name for d in ready.datasets] == ["traj"]
    frames = [pa.ipc.open_stream(p.datasets[0].data.data).read_pandas() for p in (plain, ready)]
    expected = np.random.default_rng(seed).uniform(0, 1, 50)
    for frame in frames:
        np.testing.assert_allclose(frame["q"].to_numpy(), expected)


def test_a_session_builds_its_pages_once_and_sessions_do_not_share_them():
    from xent import navigation

    app = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")
    first, second = AppTest.from_file(app), AppTest.from_file(app)
    seen = []
    for at in (first, second, first, first):
        at.run(timeout=60)
        assert not at.exception
        entries, pages = at.session_state[navigation.BUILT_PAGES]
        assert list(entries) == navigation.entries()
        assert [page.url_path for page in pages] == [e.url_path for e in navigation.entries()]
        seen.append([id(page) for page in pages])
    assert seen[0] == seen[2] == seen[3]  # the first session's reruns reuse its objects
    assert not set(seen[0]) & set(seen[1])  # the second session has its own
