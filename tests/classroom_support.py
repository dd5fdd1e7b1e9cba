"""Real databases for the class-mode tests: a SQLite file and a throwaway Postgres cluster.

The Postgres cluster is made with Debian's ``initdb``/``pg_ctl`` in a temporary folder, on a
port in 55432-55439, run as the ``postgres`` user when the tests run as root (Postgres
refuses root). Only when the binaries are absent is it skipped, with a reason that says so.
"""

from __future__ import annotations

import contextlib
import gc
import glob
import os
import pathlib
import shutil
import subprocess
import tempfile
import warnings

from ports import free_port

PG_PORTS = range(55432, 55440)
_CLUSTERS: dict[str, tuple[str, str, pathlib.Path]] = {}  # url -> (pg_ctl, options, data dir)


def pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    return free_port(PG_PORTS)


def _as_owner(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _collect_cut_connections() -> None:
    """Collect here the psycopg connections that a stop or restart of this server cut.

    psycopg drops such a connection without close(), and its ResourceWarning fires whenever
    the garbage collector meets it: in the full suite that was an unrelated later test
    (test_state_machine failed on "psycopg.Connection ... was deleted while still open").
    Collected at the end of the tests that cut them, where the cut was intended."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


@contextlib.contextmanager
def postgres_cluster():
    """Yield a SQLAlchemy URL of a fresh Postgres server; stop and delete it afterwards."""
    initdb, pg_ctl = pg_bin("initdb"), pg_bin("pg_ctl")
    if not (initdb and pg_ctl):
        raise FileNotFoundError("initdb/pg_ctl not found: install Debian's postgresql package")
    root = pathlib.Path(tempfile.mkdtemp(prefix="xent-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    run = dict(check=True, capture_output=True, timeout=120)
    subprocess.run(
        _as_owner([initdb, "-D", str(data), "-U", "xent", "--auth=trust", "-E", "UTF8"]), **run
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=200"
    subprocess.run(
        _as_owner([pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"]),
        **run,
    )
    url = f"postgresql+psycopg://xent@127.0.0.1:{port}/postgres"
    _CLUSTERS[url] = (pg_ctl, options, data)
    try:
        yield url
    finally:
        _collect_cut_connections()
        _CLUSTERS.pop(url, None)
        subprocess.run(
            _as_owner([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]),
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(root, ignore_errors=True)


def stop_postgres(url: str) -> None:
    """Stop the server of a :func:`postgres_cluster` (fast: open connections are cut)."""
    pg_ctl, _options, data = _CLUSTERS[url]
    subprocess.run(
        _as_owner([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]),
        check=True,
        capture_output=True,
        timeout=120,
    )


def start_postgres(url: str) -> None:
    pg_ctl, options, data = _CLUSTERS[url]
    log = str(data.parent / "log")
    subprocess.run(
        _as_owner([pg_ctl, "-D", str(data), "-o", options, "-l", log, "-w", "start"]),
        check=True,
        capture_output=True,
        timeout=120,
    )
