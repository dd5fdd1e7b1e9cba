"""A server's CPU time in nanoseconds, read from outside, and each rerun's share of it.

`/proc/PID/stat` counts CPU in clock ticks (10 ms here): too coarse for reruns of 4-70 ms.
The kernel keeps a CPU-time clock per process, exact to the nanosecond, that any process
may read for a pid it can see: libc's `clock_getcpuclockid(pid)` (POSIX, public) gives its
id and `time.clock_gettime_ns(id)` reads it. It counts every thread of the process,
including threads that have exited (Streamlit runs each script run in a new thread), as
`test_benchmarks_smoke.test_process_cpu_clock_counts_exited_threads` checks. Linux does
not restrict it to the caller's user: a process running as `nobody` reads root's pid 1
(checked on this machine with `setpriv --reuid=65534`), as it could read /proc/PID/stat.
A pid in another pid namespace (a server in a container) is not visible: ESRCH, reported
as a clear error.

`CpuLedger` shares that CPU among reruns: between two consecutive events (a rerun sent, a
rerun finished) the server's CPU goes in equal parts to the reruns in flight in that
interval; CPU while none is in flight (pings, session cleanup, the tail of a rerun after
its script_finished reached the client) is "unattributed". Attributed + unattributed is
the CPU from `start()` to `close()`, exactly.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

_libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


def cpu_clock_id(pid: int) -> int:
    """The id of ``pid``'s process CPU-time clock (all its threads, live and exited)."""
    clock = ctypes.c_int()
    err = _libc.clock_getcpuclockid(pid, ctypes.byref(clock))
    if err:
        raise OSError(err, f"no CPU clock for pid {pid}: {os.strerror(err)}")
    return clock.value


@dataclass
class ProcessCpuClock:
    """The summed CPU time of some processes, in ns; a process that exits keeps its last."""

    pids: Sequence[int]
    _ids: list[int] = field(default_factory=list)
    _last: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._ids = [cpu_clock_id(pid) for pid in self.pids]
        self._last = [0] * len(self._ids)

    def per_pid_ns(self) -> list[int]:
        for i, clock in enumerate(self._ids):
            with contextlib.suppress(OSError):  # an exited process's clock is gone
                self._last[i] = time.clock_gettime_ns(clock)
        return list(self._last)

    def read_ns(self) -> int:
        return sum(self.per_pid_ns())


@dataclass
class CpuLedger:
    """Each rerun's share of the server's CPU, from the events of every client session.

    The share is kept as one running sum: ``per_rerun_ns`` is the CPU that a rerun in
    flight since the start would have been given so far (each interval's CPU divided by
    the reruns in flight then); a rerun's share is its value at the end minus at the
    start. Constant work per event, whatever the number of reruns in flight.
    """

    read_ns: Callable[[], int]
    in_flight: dict[int, tuple[str, float]] = field(default_factory=dict)
    attributed_ns: dict[str, float] = field(default_factory=dict)  # by kind of rerun
    unattributed_ns: float = 0.0
    per_rerun_ns: float = 0.0
    _last_ns: int = 0
    _first_ns: int = 0
    _next_token: int = 0

    def start(self) -> None:
        self._first_ns = self._last_ns = self.read_ns()

    def _advance(self) -> None:
        now = self.read_ns()
        spent, self._last_ns = now - self._last_ns, now
        if self.in_flight:
            self.per_rerun_ns += spent / len(self.in_flight)
        else:
            self.unattributed_ns += spent

    def begin(self, kind: str) -> int:
        """A rerun of ``kind`` (e.g. "open", "move") is sent now; its token for ``end``."""
        self._advance()
        self._next_token += 1
        self.in_flight[self._next_token] = (kind, self.per_rerun_ns)
        return self._next_token

    def end(self, token: int) -> float:
        """The rerun ``token`` finished now: its CPU share in seconds (NaN for a rerun
        that ``close`` already settled)."""
        if token not in self.in_flight:
            return float("nan")
        self._advance()
        kind, at_begin = self.in_flight.pop(token)
        share = self.per_rerun_ns - at_begin
        self.attributed_ns[kind] = self.attributed_ns.get(kind, 0.0) + share
        return share / 1e9

    def close(self) -> None:
        """End of the measurement: reruns still in flight keep what they were given."""
        self._advance()
        for kind, at_begin in self.in_flight.values():
            share = self.per_rerun_ns - at_begin
            self.attributed_ns[kind] = self.attributed_ns.get(kind, 0.0) + share
        self.in_flight.clear()

    @property
    def total_ns(self) -> int:
        return self._last_ns - self._first_ns
