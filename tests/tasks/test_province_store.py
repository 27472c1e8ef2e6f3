"""Kept current state and data versions (issue 18) on SQLite and PostgreSQL.

The kept ``progress_latest`` table must say exactly what a replay of the history says, after
uploads committed one by one (some re-reporting an older date), as of today and of past dates;
data versions move with every data change and never with a login.
"""

from __future__ import annotations

import hashlib
import os
from datetime import date

import pytest
import sqlalchemy as sa
from accounts_helpers import make_book
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import select, update

from tasks.accounts.errors import LoginFailed
from tasks.progress import lifecycle
from tasks.progress.status import snapshot
from tasks.store import StoreError
from tasks.store.config import _alembic_config, current_revision, migrate
from tasks.store.kept import latest_reports, rebuild_latest, task_reports
from tasks.store.schema import PeriodRow
from tasks.store.schema_province import ProgressLatestRow
from tasks.store.synthetic import monthly_rows, synthetic_plan
from tasks.store.testing import temporary_store

PG_URL = os.environ.get("WORKBENCH_TEST_PG_URL", "").strip()
BACKENDS = [
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
]
START = date(2024, 1, 1)


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with temporary_store(request.param, tmp_path, PG_URL) as s:
        yield s


def _upload(store, key: str, unit: str, period: str, rows: list[dict], tag: str = "") -> int | None:
    sha = hashlib.sha256(f"{key}/{unit}/{period}/{tag}".encode()).hexdigest()
    return store.add_upload(
        sha256=sha,
        filename=f"{unit}-{period}{tag}.xlsx",
        unit=unit,
        plan=key,
        person="",
        period=period,
        rows=[dict(r) for r in rows],
        actor="test",
    )


def _year(store, key: str = "省方案", n_tasks: int = 60, seed: int = 3):
    plan = synthetic_plan(n_tasks, 7, seed=seed, title=key, issued=START)
    store.load_plan_into_store(plan, actor="test", key=key)
    for unit, period, rows in monthly_rows(plan, START, 12, seed=seed):
        _upload(store, key, unit, period, rows)
    return plan


def _replayed_latest(store, as_of=None, plan=None) -> dict[tuple[int, str], tuple]:
    """The last report per (task, unit) from a full replay of the history."""
    out = {}
    for r in store.reports(as_of=as_of, plan=plan):  # oldest first, by (report date, id)
        out[(r.task_pk, r.unit)] = r
    return {k: (r.id, r.report_date, r.status, r.percent, r.progress, r.period) for k, r in out.items()}


def _kept(store, as_of=None, plan=None):
    return {
        (r.task_pk, r.unit): (r.id, r.report_date, r.status, r.percent, r.progress, r.period)
        for r in latest_reports(store, as_of=as_of, plan=plan)
    }


DATES = [None, date(2024, 2, 10), date(2024, 6, 30), date(2024, 9, 25), date(2025, 1, 15), date(2023, 12, 1)]


def test_kept_latest_equals_replay_after_a_year(store):
    _year(store)
    # a late correction dated before the unit's newest report must not replace it; a newer one must
    plan_units = store.tasks("省方案")[0].lead_units
    unit = plan_units[0]
    old = {
        "task_id": "1",
        "status": "滞后",
        "percent": 5.0,
        "report_date": date(2024, 3, 3),
        "period": "2024-03",
        "progress": "补报",
        "source_row": 3,
    }
    new = {
        **old,
        "status": "推进中",
        "percent": 55.0,
        "report_date": date(2025, 1, 2),
        "period": "2024-12",
        "progress": "最新",
    }
    _upload(store, "省方案", unit, "2024-03", [old], "fix")
    _upload(store, "省方案", unit, "2024-12", [new], "new")
    for as_of in DATES:
        replayed = _replayed_latest(store, as_of)
        assert _kept(store, as_of) == replayed, as_of
        assert _kept(store, as_of, plan="省方案") == _replayed_latest(store, as_of, plan="省方案")
    latest = _kept(store)
    pk1 = next(t.pk for t in store.tasks("省方案") if t.id == "1")
    assert latest[(pk1, unit)][4] == "最新"
    assert _kept(store, date(2023, 12, 1)) == {}  # before any report
    # order matches the replay's (report date, id)
    rows = latest_reports(store)
    assert [(r.report_date, r.id) for r in rows] == sorted((r.report_date, r.id) for r in rows)


def test_rebuild_matches_what_uploads_kept(store):
    """The migration's backfill (the same SQL as ``rebuild_latest``) gives the table the uploads kept."""
    _year(store, n_tasks=30, seed=5)
    with store.session() as s:
        kept = sorted(
            tuple(r)
            for r in s.execute(
                select(
                    ProgressLatestRow.task_pk,
                    ProgressLatestRow.unit_id,
                    ProgressLatestRow.report_id,
                    ProgressLatestRow.report_date,
                    ProgressLatestRow.status,
                    ProgressLatestRow.percent,
                    ProgressLatestRow.progress,
                    ProgressLatestRow.problems,
                )
            )
        )
    with store.session(write=True) as s:
        rebuild_latest(s)
    with store.session() as s:
        rebuilt = sorted(
            tuple(r)
            for r in s.execute(
                select(
                    ProgressLatestRow.task_pk,
                    ProgressLatestRow.unit_id,
                    ProgressLatestRow.report_id,
                    ProgressLatestRow.report_date,
                    ProgressLatestRow.status,
                    ProgressLatestRow.percent,
                    ProgressLatestRow.progress,
                    ProgressLatestRow.problems,
                )
            )
        )
    assert kept == rebuilt and len(kept) > 30
    assert _texts_of_their_reports(store) == len(kept)


def _texts_of_their_reports(store) -> int:
    """Every kept row's texts are its report's (what status reads instead of joining the history);
    returns the rows checked."""
    from tasks.store.schema import ProgressReportRow as R

    L = ProgressLatestRow
    with store.session() as s:
        rows = s.execute(select(L.progress, L.problems, R.progress, R.problems).join(R, R.id == L.report_id)).all()
    assert [(a, b) for a, b, _c, _d in rows] == [(c or "", d or "") for _a, _b, c, d in rows]
    assert any(a for a, _b, _c, _d in rows)  # texts there to compare
    return len(rows)


def test_snapshot_last_report_agrees_with_kept_state(store):
    """Status's "last report" of each task is one of the kept rows (the lead units' newest)."""
    _year(store, n_tasks=25, seed=9)
    for as_of in (date(2024, 5, 31), date(2024, 12, 31)):
        kept: dict[str, list] = {}
        for r in latest_reports(store, as_of=as_of):
            kept.setdefault(r.task_id, []).append(r)
        for st in snapshot(store, as_of).statuses:
            mine = [r for r in kept.get(st.id, []) if r.unit in st.lead_units] or kept.get(st.id, [])
            if not mine:
                assert st.last_report_date is None
                continue
            newest = max(mine, key=lambda r: (r.report_date, r.id))
            assert (st.last_report_date, st.last_status, st.percent, st.reported_by) == (
                newest.report_date,
                newest.status,
                newest.percent,
                newest.unit,
            )


def test_versions_move_with_data_not_with_logins(store):
    plan = synthetic_plan(10, 3, seed=1, title="甲市方案")
    store.load_plan_into_store(plan, actor="test", key="甲市方案")
    store.load_plan_into_store(synthetic_plan(10, 3, seed=2, title="乙市方案"), actor="test", key="乙市方案")
    book = make_book(store)
    book.add("office1", "office", actor="test", password="Secret-pass-123")
    v0, a0, b0 = store.data_version(), store.data_version("甲市方案"), store.data_version("乙市方案")
    book.login("office1", "Secret-pass-123")
    with pytest.raises(LoginFailed):
        book.login("office1", "wrong-password")
    assert (store.data_version(), store.data_version("甲市方案"), store.data_version("乙市方案")) == (v0, a0, b0)
    unit, period, rows = next(iter(monthly_rows(plan, START, 1, seed=1)))
    _upload(store, "甲市方案", unit, period, rows)
    assert store.data_version() > v0 and store.data_version("甲市方案") > a0
    assert store.data_version("乙市方案") == b0  # another plan's caches stay
    a1, v1 = store.data_version("甲市方案"), store.data_version()
    lifecycle.sign(store, "甲市方案", "2", actor="test")
    assert store.data_version("甲市方案") > a1 and store.data_version() > v1
    assert store.data_version("没有的方案") == 0


def test_refused_upload_keeps_state_and_versions(store):
    plan = synthetic_plan(10, 3, seed=1, title="甲市方案")
    store.load_plan_into_store(plan, actor="test", key="甲市方案")
    unit, period, rows = next(iter(monthly_rows(plan, START, 1, seed=1)))
    store.close_period(period, actor="test")
    before = (store.counts(), store.data_version(), store.data_version("甲市方案"))
    with pytest.raises(StoreError, match="已关闭"):
        _upload(store, "甲市方案", unit, period, rows)
    assert (store.counts(), store.data_version(), store.data_version("甲市方案")) == before
    with store.session(write=True) as s:
        s.execute(update(PeriodRow).values(closed=False))
    assert _upload(store, "甲市方案", unit, period, rows)
    assert _kept(store) == _replayed_latest(store)


def test_migration_backfills_an_existing_database(store):
    """A database made before 0005_province (history, no kept state) gets it filled on upgrade."""
    _year(store, n_tasks=30, seed=7)
    expected = _replayed_latest(store)
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    cfg = _alembic_config()
    with store.engine.connect().execution_options(write=True) as conn:  # as the revisions before left it
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005_province-1")  # later revisions first (their own downgrades), then 0005's
        conn.commit()
    assert "progress_latest" not in sa.inspect(store.engine).get_table_names()
    with store.engine.connect().execution_options(write=True) as conn:  # what migrate() runs
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        conn.commit()
    migrate(store.engine)  # and then finds nothing left to do
    assert current_revision(store.engine) == head
    assert _kept(store) == expected and len(expected) > 30
    assert _texts_of_their_reports(store) == len(expected)  # 0012 filled the texts of the rows 0005 made
    assert store.data_version() == 1 and store.data_version("省方案") == 1


def test_task_reports_are_the_replays_rows_of_that_task(store):
    _year(store, n_tasks=20, seed=11)
    for as_of in (None, date(2024, 7, 15)):
        every = store.reports(as_of=as_of, plan="省方案")
        for task_id in ("1", "6", "20"):
            assert task_reports(store, "省方案", task_id, as_of=as_of) == [r for r in every if r.task_id == task_id]
    assert task_reports(store, "省方案", "999") == [] and task_reports(store, "没有的方案", "1") == []


def test_bulk_lifecycle_writes_a_years_steps_the_loop_reads(store):
    """The benches' lifecycle generator: steps in time order, each answer after the step it answers
    (same task and unit), every lead unit signed, claimed-and-accepted tasks closed; and kept
    status equals the full replay over that history (with the recovery check), day after day."""
    from tasks.progress import default_rules
    from tasks.store.synthetic import bulk_history, bulk_lifecycle, lifecycle_rows

    plan = synthetic_plan(120, 9, seed=5, title="省方案", issued=START)
    store.load_plan_into_store(plan, actor="test", key="省方案")
    bulk_history(store, "省方案", plan, START, 15, seed=5)
    n = bulk_lifecycle(store, "省方案", plan, START, 6, seed=5)  # in two parts, as the province bench writes
    n += bulk_lifecycle(store, "省方案", plan, START, 15, seed=5, first=6)
    steps = lifecycle.events(store, "省方案")
    assert len(steps) == n > 2 * len(plan.tasks)
    assert [(e.task, e.unit, e.kind, e.at) for e in steps] == [
        (v["task_id"], v["unit"], v["kind"], v["at"]) for v in lifecycle_rows(plan, START, 15, seed=5)
    ]
    assert [e.id for e in steps] == sorted(e.id for e in steps)  # ids follow time, as a live store's do
    by_id = {e.id: e for e in steps}
    answers = {
        lifecycle.EXT_APPROVED: lifecycle.EXT_REQUEST,
        lifecycle.EXT_REJECTED: lifecycle.EXT_REQUEST,
        lifecycle.ACCEPTED: lifecycle.CLAIM,
        lifecycle.RETURNED: lifecycle.CLAIM,
    }
    for e in steps:
        if e.kind in answers:
            assert e.ref_id is not None
            asked = by_id[e.ref_id]
            assert (asked.kind, asked.task, asked.unit) == (answers[e.kind], e.task, e.unit) and asked.at < e.at
    assert {e.kind for e in steps} == {lifecycle.SIGN, *answers, *answers.values()}
    signed = {(e.task, e.unit) for e in steps if e.kind == lifecycle.SIGN}
    assert signed == {(t.id, u) for t in plan.tasks for u in t.lead_units}
    lcs = lifecycle.lifecycles(store, "省方案", date(2025, 4, 1))
    accepted = {(e.task, e.unit) for e in steps if e.kind == lifecycle.ACCEPTED}
    closed = {(t.id, u) for t in store.tasks("省方案") for u, v in lcs[t.pk].units.items() if v.state == "closed"}
    assert closed == accepted != set()
    rules = default_rules()
    for day in (date(2024, 3, 10), date(2024, 9, 5), date(2025, 1, 20), date(2025, 4, 1)):
        kept = snapshot(store, day, plan="省方案", rules=rules)
        full = snapshot(store, day, plan="省方案", rules=rules, replay=True)
        assert [s.to_dict() for s in kept.statuses] == [s.to_dict() for s in full.statuses], day
    assert {"closed", "in_progress"} <= {s.lifecycle for s in kept.statuses}
