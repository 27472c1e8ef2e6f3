"""20 uploads at once into one store: all rows land once, nothing fails with "database is locked"."""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from datetime import date

import pytest
from progress_helpers import fill

from tasks.model import Plan, Task
from tasks.progress import commit_upload, default_rules, template_bytes, validate_upload
from tasks.store import Store
from tasks.store.testing import temporary_store

PG_URL = os.environ.get("WORKBENCH_TEST_PG_URL", "").strip()
N = 20
UNITS = [f"测试单位{i:02d}" for i in range(N)]
TODAY = date(2021, 10, 3)


def plan() -> Plan:
    return Plan(
        title="并发测试方案",
        date=date(2021, 8, 1),
        tasks=[
            Task(
                id=str(i + 1),
                title=f"任务{i + 1}",
                lead_units=[UNITS[i]],
                responsible_units=[UNITS[(i + 1) % N]],
                deadline=date(2021, 12, 31),
                deadline_text="2021年底前",
                deadline_kind="date",
            )
            for i in range(N)
        ],
    )


def filled_files(store: Store) -> list[tuple[str, bytes]]:
    out = []
    for i, u in enumerate(UNITS):
        data = fill(
            template_bytes(store, u, "2021-09"),
            {
                str(i + 1): {"status": "推进中", "percent": i, "date": date(2021, 9, 20)},
                str((i - 1) % N + 1): {"status": "推进中", "percent": 50, "date": date(2021, 9, 21)},
            },
        )
        out.append((u, data))
    return out


def _upload(url: str, unit: str, data: bytes, barrier, results) -> None:
    try:
        store = Store(url)
        rep = validate_upload(store, data, f"{unit}.xlsx", unit=unit, today=TODAY, rules=default_rules())
        barrier.wait(timeout=60)
        results.put((unit, commit_upload(store, rep, actor=unit), ""))
    except Exception as err:  # reported to the parent, which fails the test
        results.put((unit, None, f"{type(err).__name__}: {err}"))


def check_store(store: Store, expected_uploads: int) -> None:
    counts = store.counts()
    assert counts["uploads"] == expected_uploads
    assert counts["progress_reports"] == 2 * expected_uploads
    rows = [(r.task_pk, r.unit, r.period) for r in store.reports()]
    assert len(rows) == len(set(rows))  # no row twice
    assert len({u.sha256 for u in store.uploads()}) == expected_uploads


@pytest.mark.slow
def test_twenty_processes_upload_into_sqlite_at_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'concurrent.db'}"
    store = Store(url)
    store.load_plan_into_store(plan(), actor="cli")
    store.open_period("2021-09", "cli")
    files = filled_files(store)
    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(N), ctx.Queue()
    procs = [ctx.Process(target=_upload, args=(url, u, d, barrier, results)) for u, d in files]
    for p in procs:
        p.start()
    got = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    errors = [e for _, _, e in got if e]
    assert errors == []
    assert all(isinstance(uid, int) for _, uid, _ in got)
    check_store(store, N)


@pytest.mark.slow
@pytest.mark.parametrize(
    "backend",
    [
        "sqlite",
        pytest.param(
            "postgresql",
            marks=[
                pytest.mark.pg,
                pytest.mark.skipif(
                    not PG_URL, reason="WORKBENCH_TEST_PG_URL not set (make test starts a local PostgreSQL)"
                ),
            ],
        ),
    ],
)
def test_twenty_threads_with_repeated_files(tmp_path, backend):
    """15 distinct files, 5 of them sent twice at the same moment: each saved exactly once."""
    with temporary_store(backend, tmp_path, PG_URL) as store:
        store.load_plan_into_store(plan(), actor="cli")
        store.open_period("2021-09", "cli")
        files = filled_files(store)[:15]
        jobs = files + files[:5]
        barrier = threading.Barrier(len(jobs))
        results, errors = [], []

        def work(unit: str, data: bytes) -> None:
            try:
                rep = validate_upload(store, data, f"{unit}.xlsx", unit=unit, today=TODAY, rules=default_rules())
                barrier.wait(timeout=60)
                results.append(commit_upload(store, rep, actor=unit))
            except Exception as err:
                errors.append(f"{type(err).__name__}: {err}")

        threads = [threading.Thread(target=work, args=job) for job in jobs]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert errors == []
        assert len(results) == 20 and sum(r is None for r in results) == 5
        check_store(store, 15)
