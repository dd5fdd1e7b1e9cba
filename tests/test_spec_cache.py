"""xent.spec_cache.arrow_ready: a pre-converted spec reaches the browser exactly as the original."""

import inspect
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from xent import navigation
from xent.spec_cache import arrow_bytes, arrow_ready


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

    from xent.spec_cache import arrow_ready

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
        (entries, language), pages = at.session_state[navigation.BUILT_PAGES]
        assert list(entries) == navigation.entries()
        assert language == "en"  # built for the session's language (rebuilt when it changes)
        assert [page.url_path for page in pages] == [e.url_path for e in navigation.entries()]
        seen.append([id(page) for page in pages])
    assert seen[0] == seen[2] == seen[3]  # the first session's reruns reuse its objects
    assert not set(seen[0]) & set(seen[1])  # the second session has its own


def test_the_arrow_cache_converts_a_frame_once_and_a_new_frame_again():
    from xent.spec_cache import ArrowCache

    cache = ArrowCache(max_entries=3)
    frame = _frame(1)
    first = cache.bytes_of(frame)
    assert cache.bytes_of(frame) is first  # the same object: no second conversion
    assert (cache.hits, cache.misses) == (1, 1)
    changed = frame.assign(q=frame["q"] + 1.0)  # a new frame with other values
    back = pa.ipc.open_stream(cache.bytes_of(changed)).read_pandas()
    np.testing.assert_allclose(back["q"].to_numpy(), frame["q"].to_numpy() + 1.0)
    assert cache.misses == 2


def test_the_arrow_cache_is_bounded_and_keeps_its_keys_alive():
    from xent.spec_cache import ArrowCache

    cache = ArrowCache(max_entries=4)
    for seed in range(10):
        cache.bytes_of(_frame(seed))  # each frame is dropped by the caller at once
    assert len(cache) == 4
    # Ids of the dropped frames cannot be reused while cached: every entry is still its frame.
    fresh = [_frame(100 + seed) for seed in range(4)]
    for frame in fresh:
        back = pa.ipc.open_stream(cache.bytes_of(frame)).read_pandas()
        np.testing.assert_array_equal(back["q"].to_numpy(), frame["q"].to_numpy())
    assert cache.hits == 0


def test_threads_sharing_the_arrow_cache_each_get_their_frames_bytes():
    import threading

    from xent.spec_cache import ArrowCache

    cache = ArrowCache(max_entries=8)
    frames_ = [_frame(seed) for seed in range(12)]
    wrong = []

    def work(offset: int) -> None:
        for i in range(60):
            frame = frames_[(i + offset) % len(frames_)]
            back = pa.ipc.open_stream(cache.bytes_of(frame)).read_pandas()
            if not np.array_equal(back["q"].to_numpy(), frame["q"].to_numpy()):
                wrong.append(i)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not wrong
    assert len(cache) <= 8


@pytest.mark.parametrize(
    "script", [e.script for e in navigation.LESSONS], ids=[e.url_path for e in navigation.LESSONS]
)
def test_a_rerun_sends_the_same_charts_from_the_cache(script):
    from xent.spec_cache import ARROW, SPECS

    app = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")
    at = AppTest.from_file(app, default_timeout=60)
    at.switch_page(script).run()
    assert not at.exception
    first = [chart.proto for chart in at.get("vega_lite_chart")]
    arrow_misses, spec_hits, spec_misses = ARROW.misses, SPECS.hits, SPECS.misses
    at.run()
    again = [chart.proto for chart in at.get("vega_lite_chart")]
    # Every chart of the page comes from the finished-spec cache: nothing built or converted.
    assert SPECS.hits - spec_hits == len(again)
    assert (SPECS.misses, ARROW.misses) == (spec_misses, arrow_misses)
    assert len(first) == len(again) > 0
    for a, b in zip(first, again, strict=True):
        assert a.spec == b.spec
        assert [(d.name, d.data.data) for d in a.datasets] == [
            (d.name, d.data.data) for d in b.datasets
        ]
        for dataset in a.datasets:  # every dataset is a readable Arrow stream with rows
            assert pa.ipc.open_stream(dataset.data.data).read_all().num_rows > 0


class _CountingBuilder:
    """A chart builder that counts its calls (a real xent.charts builder underneath)."""

    def __init__(self):
        self.calls = 0

    def __call__(self, frame, *, height=200):
        from xent import charts

        self.calls += 1
        return charts.step_chart(frame, y_title="q", height=height)


def _steps_frame(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(30, 120))
    return pd.DataFrame({"step": np.arange(n), "value": rng.uniform(0, 1, n), "series": "q"})


def test_the_spec_cache_builds_once_per_inputs():
    from xent.spec_cache import SpecCache

    cache, build = SpecCache(max_entries=8), _CountingBuilder()
    frame = _steps_frame(3)
    first = cache.finished(build, frame, height=200)
    assert cache.finished(build, frame, height=200) is first
    assert build.calls == 1
    cache.finished(build, frame, height=240)  # another number: another chart
    cache.finished(build, frame.copy(), height=200)  # equal values, another object: rebuilt
    assert build.calls == 3
    cache.finished(build, frame, height=200.0)  # 200 and 200.0 hash alike: still two keys
    assert build.calls == 4
    assert (cache.hits, cache.misses) == (1, 4)
    assert all(isinstance(data, bytes) for data in first["datasets"].values())


def test_the_spec_cache_is_bounded():
    from xent.spec_cache import SpecCache

    cache, build = SpecCache(max_entries=3), _CountingBuilder()
    frames_ = [_steps_frame(seed) for seed in range(6)]
    for frame in frames_:
        cache.finished(build, frame)
    assert len(cache) == 3
    cache.finished(build, frames_[0])  # evicted: built again
    assert build.calls == 7


def _finished_chart_app():
    import numpy as np
    import pandas as pd
    import streamlit as st

    from xent import charts
    from xent.ui import drawing

    rng = np.random.default_rng(int(st.query_params.get("seed", "0")))
    n = int(rng.integers(30, 300))
    frame = pd.DataFrame({"step": np.arange(n), "value": rng.uniform(0, 1, n), "series": "q"})
    drawing.chart(charts.step_chart(frame, y_title="q", height=220), "plain")
    finished = drawing.finished_chart(charts.step_chart, frame, y_title="q", height=220)
    drawing.chart(finished, "finished")


@pytest.mark.parametrize("seed", [0, 5, 77])
def test_a_finished_chart_reaches_the_browser_as_the_plain_one(seed):
    at = AppTest.from_function(_finished_chart_app)
    at.query_params["seed"] = str(seed)
    at.run(timeout=60)
    assert not at.exception
    plain, finished = (chart.proto for chart in at.get("vega_lite_chart"))
    assert plain.spec == finished.spec
    assert [d.name for d in plain.datasets] == [d.name for d in finished.datasets]
    rng = np.random.default_rng(seed)
    n = int(rng.integers(30, 300))
    expected = rng.uniform(0, 1, n)
    for proto in (plain, finished):
        back = pa.ipc.open_stream(proto.datasets[0].data.data).read_pandas()
        np.testing.assert_allclose(back["value"].to_numpy(), expected)


def test_adding_a_loss_trains_that_loss_alone(monkeypatch):
    # The race's and the grid's runs are cached per loss: a list that grows by one loss
    # trains the new loss only, and a list that shrinks trains nothing.
    from xent import frames

    st.cache_resource.clear()  # whatever other tests trained before
    trained: list[tuple[str, tuple[str, ...]]] = []
    for name in ("race_runs", "grid_runs"):
        real = getattr(frames, name)

        def counting(*args, _real=real, _name=name, **kwargs):
            names = inspect.signature(_real).bind(*args, **kwargs).arguments["names"]
            trained.append((_name, tuple(names)))
            return _real(*args, **kwargs)

        monkeypatch.setattr(frames, name, counting)
    app = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")
    at = AppTest.from_file(app, default_timeout=60)
    at.query_params.update({"p": "0.65", "q0": "0.217"})
    at.switch_page("pages/loss-comparison.py").run()
    assert not at.exception
    first = sorted(trained)
    assert first == [
        ("grid_runs", ("cross_entropy",)),
        ("grid_runs", ("squared_error",)),
        ("race_runs", ("cross_entropy",)),
        ("race_runs", ("squared_error",)),
    ]
    at.button_group(key="losses").set_value(["cross_entropy", "squared_error", "focal"]).run()
    assert not at.exception
    assert sorted(trained[len(first) :]) == [("grid_runs", ("focal",)), ("race_runs", ("focal",))]
    done = len(trained)
    at.button_group(key="losses").set_value(["focal"]).run()
    assert not at.exception
    assert trained[done:] == []
