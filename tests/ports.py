"""Loopback ports for the servers the tests start (Streamlit, Postgres, nginx)."""

from __future__ import annotations

import socket


def free_port(ports: range) -> int:
    """The first port in ``ports`` that nothing on 127.0.0.1 listens on."""
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")
