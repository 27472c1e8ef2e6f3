"""The hall model's queue discipline, checked exactly against independent recursions."""

from __future__ import annotations

import heapq

import numpy as np

from sim.arrivals import Customers
from sim.hall import HallEngine, simulate_arrays
from sim.schedule import Change


def heap_fcfs_waits(arrival, service, c):
    """Textbook FCFS multi-server recursion: each customer takes the earliest free server."""
    free = [0.0] * c
    waits = []
    for a, s in zip(arrival, service):
        f = heapq.heappop(free)
        start = a if a > f else f
        waits.append(start - a)
        heapq.heappush(free, start + s)
    return np.array(waits)


def test_mmc_waits_equal_heap_recursion_exactly():
    rng = np.random.default_rng(20261123)
    for c, rho in ((1, 0.9), (5, 0.95), (20, 0.8)):
        n = 30_000
        arrival = np.cumsum(rng.exponential(1.0 / (rho * c), n)).tolist()
        service = rng.exponential(1.0, n).tolist()
        hall = simulate_arrays(np.array(arrival), np.array(service), c).wait()
        ref = heap_fcfs_waits(arrival, service, c)
        assert (ref > 0).mean() > 0.2  # a real queue formed
        assert np.max(np.abs(hall - ref)) == 0.0  # difference exactly 0, customer by customer


def _engine(arrival, types, service, group_types, windows, appointment=None):
    n = len(arrival)
    cust = Customers(
        np.array(arrival, float),
        np.array(types, np.int32),
        np.array(service, float),
        np.zeros(n, bool) if appointment is None else np.array(appointment, bool),
        np.full(n, np.inf),
    )
    changes = [Change(0.0, g, k) for g, k in enumerate(windows)]
    n_types = max(max(types), *(t for g in group_types for t in g)) + 1
    return HallEngine(cust, group_types, changes, n_types=n_types).run()


def test_appointment_holder_is_called_before_earlier_walk_ins():
    run = _engine([0, 1, 2, 3], [0, 0, 0, 0], [10, 5, 5, 5], [[0]], [1], appointment=[0, 0, 1, 0])
    order = np.argsort(run.start)
    assert order.tolist() == [0, 2, 1, 3]


def test_window_calls_longest_waiting_ticket_across_its_types():
    run = _engine([0, 1, 2], [0, 1, 0], [10, 5, 5], [[0, 1]], [1])
    assert run.start.tolist() == [0, 10, 15]  # the type-1 ticket (taken at 1) goes before type 0 (taken at 2)


def test_arrival_prefers_the_dedicated_window_over_the_pooled_one():
    run = _engine([0.0], [0], [5.0], [[0, 1], [0]], [1, 1])
    assert run.window_group[run.window[0]] == 1  # group 1 is the dedicated one


def test_pooled_window_helps_when_dedicated_is_busy():
    run = _engine([0, 1], [0, 0], [10, 10], [[0, 1], [0]], [1, 1])
    assert run.wait().tolist() == [0.0, 0.0]
    assert sorted(run.window_group[run.window].tolist()) == [0, 1]
