"""The tests' servers under two pytest-xdist workers start from different ports."""

from __future__ import annotations

from ports import _worker_share

PORTS = range(8530, 8550)


def test_each_worker_tries_every_port_from_its_own_start(monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "2")
    orders = {}
    for worker in ("gw0", "gw1"):
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
        orders[worker] = _worker_share(PORTS)
        assert sorted(orders[worker]) == list(PORTS)
    assert orders["gw0"][0] == 8530
    assert orders["gw1"][0] == 8540


def test_without_xdist_the_range_is_tried_in_order(monkeypatch):
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    monkeypatch.delenv("PYTEST_XDIST_WORKER_COUNT", raising=False)
    assert _worker_share(PORTS) == list(PORTS)
