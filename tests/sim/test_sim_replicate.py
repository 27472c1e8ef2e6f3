"""Replications: reproducible by seed, the same in parallel, progress reported, cancellable."""

from __future__ import annotations

import threading

import pytest

from sim.compare import compare
from sim.hall import Cancelled, simulate
from sim.replicate import rep_seeds, replicate
from sim.sample_hall import policy_variant, sample_scenario


@pytest.fixture(scope="module")
def hall():
    return sample_scenario()


@pytest.mark.slow
def test_same_seed_same_numbers_serial_or_parallel(hall):
    seen = []
    a = replicate(hall, reps=3, days=1, seed=42, workers=1, progress=lambda d, n: seen.append((d, n)))
    b = replicate(hall, reps=3, days=1, seed=42, workers=2)
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert a.summaries.equals(b.summaries) and a.ci.equals(b.ci)
    assert a.seeds == rep_seeds(42, 3) and len(set(a.seeds)) == 3
    assert a.summaries["mean_wait"].nunique() == 3  # replications differ from each other
    ci = a.ci.set_index("metric").loc["mean_wait"]
    assert ci["lo"] < ci["mean"] < ci["hi"]
    assert set(a.tables) == {"by_type", "by_group", "by_weekday", "by_slot"}


def test_cancel_by_event_and_by_callable(hall):
    ev = threading.Event()
    ev.set()
    with pytest.raises(Cancelled):
        replicate(hall, reps=2, days=1, seed=1, workers=1, cancel=ev)
    calls = []

    def progress(d, n):
        calls.append(d)

    with pytest.raises(Cancelled):
        replicate(hall, reps=4, days=1, seed=1, workers=1, progress=progress, cancel=lambda: len(calls) >= 1)
    assert calls == [1]
    days = []  # type: ignore[var-annotated]
    with pytest.raises(Cancelled):  # inside one long run: stops at a day boundary
        simulate(hall, days=7, seed=1, on_day=days.append, cancel=lambda: len(days) >= 2)
    assert days == [0, 1]


def test_compare_uses_common_random_numbers(hall):
    c = compare([policy_variant(hall, False), policy_variant(hall, True)], reps=2, days=1, seed=3, workers=1)
    t = c.table.set_index("metric")
    assert t.loc["customers", c.names[0]] == t.loc["customers", c.names[1]]  # type: ignore[operator]  # the same customers
    d = c.diff.set_index("metric").loc["customers"]
    assert d["difference"] == 0 and d["lo"] == d["hi"] == 0
    assert t.loc["adjustments", c.names[0]] == 0 < t.loc["adjustments", c.names[1]]  # type: ignore[operator]


@pytest.mark.slow
def test_cancel_in_parallel_mode_stops_before_all_replications(hall):
    ev = threading.Event()
    done = []

    def progress(d, n):
        done.append(d)
        ev.set()  # the user presses 取消 after the first replication is back

    with pytest.raises(Cancelled):
        replicate(hall, reps=8, days=1, seed=2, workers=2, progress=progress, cancel=ev)
    assert 1 <= len(done) < 8
