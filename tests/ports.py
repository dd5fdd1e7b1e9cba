"""Loopback ports for the servers the tests start (Streamlit, Postgres, nginx)."""

from __future__ import annotations

import os
import socket


def _worker_share(ports: range) -> list[int]:
    """``ports`` in the order this test process tries them: under pytest-xdist each worker
    starts in its own part of the range, so two workers starting a server at the same moment
    do not both pick the first free port (one would fail to bind it)."""
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    offset = (len(ports) // max(count, 1)) * (worker % max(count, 1))
    return [*ports[offset:], *ports[:offset]]


def free_port(ports: range) -> int:
    """The first port of this process's share of ``ports`` that nothing on 127.0.0.1
    listens on (then any other free one in ``ports``)."""
    for port in _worker_share(ports):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")
