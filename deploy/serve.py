"""Serve the app like `streamlit run`, with two latency fixes for Streamlit 1.67's server.

    python deploy/serve.py streamlit_app.py --server.port=8551 [any `streamlit run` option]

1. TCP_NODELAY on every connection. Streamlit's Starlette server creates its listening
   socket with `socket.socket(family=...)`, whose `proto` is 0; asyncio only turns Nagle's
   algorithm off for sockets whose proto is IPPROTO_TCP, so it never does here. A rerun
   sends several small WebSocket frames in a row; with Nagle on, the second one waits for
   the client's delayed ACK (40 ms on Linux, more elsewhere): +40 ms on every rerun
   (benchmarks/RESULTS.md). We set the option whatever the proto.
2. gc.freeze() after importing what every script run uses (numpy, pandas, altair and its
   Vega-Lite schema, xent). Streamlit runs a full gc.collect() after every script run
   (runner.postScriptGC); on ~120 000 long-lived objects that is 30-50 ms of work holding
   the GIL, per rerun, per student. Frozen objects are skipped by the collector, so the
   collection stays but costs a few ms. Set XENT_GC_FREEZE=0 to skip this step.

Everything else is Streamlit's own CLI: same options, same config files, same logs.
"""

from __future__ import annotations

import asyncio.base_events
import gc
import os
import socket
import sys
from pathlib import Path


def _set_nodelay(sock: socket.socket) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _warm_and_freeze(app_dir: Path) -> None:
    import altair as alt
    import pandas as pd
    import streamlit.web.server.starlette.starlette_app  # noqa: F401

    # Load the Vega-Lite schema and validator now (the first chart would do it anyway).
    alt.Chart(pd.DataFrame({"x": [0.0, 1.0]})).mark_line().encode(x="x:Q", y="x:Q").to_dict()
    sys.path.insert(0, str(app_dir))
    try:
        import xent
        import xent.charts  # noqa: F401
    except ImportError:
        pass
    finally:
        sys.path.remove(str(app_dir))
    gc.collect()
    gc.freeze()


def main() -> None:
    asyncio.base_events._set_nodelay = _set_nodelay  # type: ignore[attr-defined]
    script = next((a for a in sys.argv[1:] if not a.startswith("-")), "streamlit_app.py")
    if os.environ.get("XENT_GC_FREEZE", "1") != "0":
        _warm_and_freeze(Path(script).resolve().parent)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
