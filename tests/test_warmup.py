"""The process-level speed settings are really in effect (issue 9); timings live in benchmarks/."""

import gc
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _in_fresh_python(code: str) -> str:
    """What ``code`` prints, run by a new Python process in the project directory (where
    Streamlit reads .streamlit/config.toml), so that nothing this test session imported
    or set counts."""
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_config_turns_off_the_full_collection_after_every_script_run():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False


def test_streamlit_knows_the_option_and_reads_it_from_the_repository_config():
    code = "import streamlit as st; print(st.get_option('runner.postScriptGC'))"
    out = _in_fresh_python(code)
    # Streamlit reads .streamlit/config.toml lazily on the first get_option in the project dir.
    assert out.strip().splitlines()[-1] == "False"


def test_warmup_freezes_the_long_lived_objects_in_a_fresh_process():
    code = (
        "import gc; before = gc.get_freeze_count(); import xent.warmup as w; "
        "print(before, gc.get_freeze_count(), w.FROZEN_OBJECTS)"
    )
    out = _in_fresh_python(code)
    before, after, reported = (int(x) for x in out.split())
    assert before == 0
    # numpy + pandas + altair's schema are far more than this (a few frozen objects may be freed)
    assert after > 20_000
    assert reported > 20_000


def test_uvloop_is_installed_so_streamlit_runs_its_server_on_it():
    # Streamlit 1.67 runs its server on uvloop whenever `import uvloop` works (its
    # [performance] extra); uvloop sets TCP_NODELAY on every accepted TCP socket.
    import uvloop

    assert callable(uvloop.new_event_loop)
    assert gc.isenabled()  # the generational collector itself stays on


def test_warmup_makes_pyarrow_convert_frames_on_the_calling_thread_in_a_fresh_process():
    """Streamlit converts st.table's and st.dataframe's frames with pyarrow's default thread
    count; the warm-up sets it to one (a thread pool per small frame cost ~15x more)."""
    code = "import xent.warmup, pyarrow as pa; print(pa.cpu_count())"
    out = _in_fresh_python(code)
    assert out.split() == ["1"]


def test_arrow_bytes_are_those_of_pyarrows_default_conversion():
    """One thread changes how a frame is converted, not what is sent: the IPC bytes equal
    those of ``pa.Table.from_pandas`` with its default threads."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from xent.spec_cache import arrow_bytes

    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {"x": rng.random(401), "y": rng.normal(size=401), "series": "L(p, q)", "n": np.arange(401)}
    )
    table = pa.Table.from_pandas(frame, preserve_index=False, nthreads=4)
    sink = pa.BufferOutputStream()
    with pa.RecordBatchStreamWriter(sink, table.schema) as writer:
        writer.write_table(table)
    assert arrow_bytes(frame) == sink.getvalue().to_pybytes()


def test_warmup_keeps_text_columns_in_python_objects_in_a_fresh_process():
    """pandas 3 backs text columns with pyarrow by default; building and reading them back
    cost 2-3x more than Python storage for the charts' small frames. The dtype stays "str"."""
    code = (
        "import xent.warmup, pandas as pd; s = pd.DataFrame({'series': ['a', 'b']})['series']; "
        "print(s.dtype.storage, s.dtype == 'str', pd.Index(['a']).dtype.storage)"
    )
    out = _in_fresh_python(code)
    assert out.split() == ["python", "True", "python"]
