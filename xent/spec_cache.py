"""Chart data sent as Arrow without converting the same frame twice (issue 9).

``st.vega_lite_chart(spec)`` turns every pandas frame in ``spec["datasets"]`` into Arrow IPC
bytes on every call, and passes datasets that are already Arrow IPC bytes through as they are
(Streamlit 1.67, the path Altair's own data transformer uses). The lesson pages' large
frames (loss curves, training runs, decision grids) come from ``st.cache_resource``
functions, which hand back the very same frame object for the same inputs: a section rerun
whose inputs did not change used to convert those frames again for every chart.

:data:`ARROW` remembers the Arrow bytes of each frame it converted, keyed by the frame object
itself (it keeps a reference, so the key cannot be reused by another object while the entry
lives), in a bounded, thread-safe LRU shared by every session of the process.
:func:`arrow_ready` uses it: ``xent.ui.drawing.chart`` sends every chart through it, so an
unchanged frame costs a dictionary look-up instead of a conversion. Frames are read-only once
built (cached frames are shared by every session already); a frame built afresh on each run is
simply a miss and ages out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import pandas as pd
import pyarrow as pa

from xent import i18n


def arrow_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as one Arrow IPC stream, the format Streamlit sends to the browser.

    Converted on the calling thread (``nthreads=1``): with more threads, pyarrow starts a
    thread pool for every frame, which made a chart's 400-row frame cost ~2.5 ms instead of
    ~0.15 ms (benchmarks/RESULTS.md, "Class capacity, round 4b").
    """
    table = pa.Table.from_pandas(frame, preserve_index=False, nthreads=1)
    sink = pa.BufferOutputStream()
    with pa.RecordBatchStreamWriter(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


class ArrowCache:
    """Arrow IPC bytes of DataFrames, keyed by the frame object; a bounded LRU."""

    def __init__(self, max_entries: int = 512):
        self.max_entries = max_entries
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[int, tuple[pd.DataFrame, bytes]] = OrderedDict()
        self._lock = threading.Lock()  # sessions' script threads share the cache

    def __len__(self) -> int:
        return len(self._entries)

    def bytes_of(self, frame: pd.DataFrame) -> bytes:
        """``arrow_bytes(frame)``, converted once while the entry lives."""
        key = id(frame)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] is frame:
                self._entries.move_to_end(key)
                self.hits += 1
                return entry[1]
        data = arrow_bytes(frame)  # outside the lock: other sessions keep going
        with self._lock:
            self._entries[key] = (frame, data)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
            self.misses += 1
        return data

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0


ARROW = ArrowCache()
"""The process's cache (512 frames: the lesson pages draw about 20 frames per student's
page; a frame is held until it ages out, a few MB at most)."""


def arrow_ready(spec: dict[str, Any], cache: ArrowCache = ARROW) -> dict[str, Any]:
    """A copy of a finished Vega-Lite spec whose named datasets are Arrow IPC bytes.

    Only the top level and ``datasets`` are copied; datasets that are not pandas frames
    (e.g. GeoJSON) are kept as they are. Frames are converted through ``cache``.
    """
    datasets = spec.get("datasets")
    if not datasets:
        return dict(spec)
    converted = {
        name: cache.bytes_of(data) if isinstance(data, pd.DataFrame) else data
        for name, data in datasets.items()
    }
    return {**spec, "datasets": converted}


_SCALARS = (bool, int, float, str, bytes, type(None))


def _is_scalar(value: Any) -> bool:
    if isinstance(value, tuple):
        return all(_is_scalar(item) for item in value)
    return isinstance(value, _SCALARS)


def _typed(value: Any) -> Any:
    """A scalar with its type, so that True, 1 and 1.0 are three keys (they hash alike)."""
    if isinstance(value, tuple):
        return (tuple, tuple(_typed(item) for item in value))
    return (type(value), value)


class SpecCache:
    """Finished chart specs (:func:`arrow_ready` of ``builder(...).streamlit_spec()``), keyed on
    the builder, the session's language (``xent.i18n``) and its inputs; a bounded,
    thread-safe LRU shared by every session.

    Numbers, strings and tuples of them are keyed by value; any other input (a frame, a
    ``frames.Curves`` bundle from an ``st.cache_resource`` function) by the object itself,
    which the entry keeps alive so that its id cannot be reused. Inputs must not be changed
    after they are passed (cached results never are).
    """

    def __init__(self, max_entries: int = 256, arrow: ArrowCache = ARROW):
        self.max_entries = max_entries
        self.arrow = arrow
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[tuple, tuple[tuple, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def finished(self, builder, /, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The finished spec of ``builder(*args, **kwargs)``, built once while it is cached."""
        inputs = (*args, *(kwargs[name] for name in sorted(kwargs)))
        objects = tuple(value for value in inputs if not _is_scalar(value))
        key = (
            builder,
            i18n.language(),  # a chart's titles, axes and legends are in the session's language
            tuple(sorted(kwargs)),
            tuple(
                _typed(value) if _is_scalar(value) else ("object", id(value)) for value in inputs
            ),
        )
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and all(a is b for a, b in zip(entry[0], objects, strict=True)):
                self._entries.move_to_end(key)
                self.hits += 1
                return entry[1]
        spec = arrow_ready(builder(*args, **kwargs).streamlit_spec(), self.arrow)
        with self._lock:
            self._entries[key] = (objects, spec)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
            self.misses += 1
        return spec


SPECS = SpecCache()
"""The process's finished specs (``xent.ui.drawing.finished_chart`` draws through it)."""
