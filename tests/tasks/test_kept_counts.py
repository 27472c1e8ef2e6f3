"""Counts from the kept tables (issue 18): scorecards, rankings, reminders, 报送率, the region
comparison and the board's trend read the kept per-unit reported periods and done-state history
(``status_unit_done``) instead of one record per duty or a replay of every report, and give
exactly what the replay gives — on the history of test_kept_status (late, back-dated, non-canonical
periods, several reports per period, non-lead units, closures), on ~55 dates, three rule sets,
SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import delete, select
from test_kept_status import BACKENDS, PG_URL, A, B, C, _days, _Uploads, build

from tasks.board import build_board, trend
from tasks.progress import default_rules, ranking, reminders, scorecards
from tasks.progress.rules import rules_from_dict
from tasks.progress.status import DutyCounts, snapshot
from tasks.regions import compare_regions, due_periods, facts_from_snapshot
from tasks.store.kept import rebuild_kept
from tasks.store.kept_trend import changes, unpack_changes
from tasks.store.schema_trend import StatusUnitDoneRow
from tasks.store.testing import temporary_store

STRICT = {
    "reporting": {"grace_days": 2},
    "status": {"at_risk_gap": 5},
    "levels": [
        {"key": "blue", "name": "蓝牌", "when": ["late_reports >= 1", "missed_reports >= 1"]},
        {"key": "orange", "name": "橙牌", "when": ["status == at_risk"]},
        {"key": "red", "name": "红牌", "when": ["status == overdue", "missed_reports >= 2"]},
    ],
    "supervision": {"recover_to": "orange", "extended_deadline_counts": True},
    "scoring": {"late_report": 3, "missed_report": 7},
}
BY_REPORT = {
    "levels": [
        {"key": "blue", "name": "蓝牌", "when": ["missed_reports >= 1"]},
        {"key": "red", "name": "红牌", "when": ["status == at_risk", "gap > 30", "status == not_started"]},
    ],
    "supervision": {"recover_to": "blue"},
}


@pytest.fixture(params=BACKENDS)
def built(request, tmp_path):
    with temporary_store(request.param, tmp_path, PG_URL) as store:
        build(store, tmp_path)
        yield store


def _cards(snap, period=None) -> list[dict]:
    return [c.to_dict() for c in scorecards(snap, period=period)]


def _same_counts(store, day: date, plan: str | None, rules) -> set:
    kept = snapshot(store, day, plan=plan, rules=rules)
    full = snapshot(store, day, plan=plan, rules=rules, replay=True)
    where = (day, plan)
    # the counts equal the replay's duties counted, and no duty list was made on the kept path
    assert kept.duty_counts() == DutyCounts.of(full.duties, {t.pk: t.plan for t in full.tasks}), where
    months = sorted({p.key for p in kept.periods if p.start <= day} | {"2021-08", "2021-09", "2021-10", "2021-11"})
    for period in [None, "2021-Q3", "2021-Q4", "2021-H2", *months]:
        assert _cards(kept, period) == _cards(full, period), (where, period)
        assert [c.to_dict() for c in ranking(kept, period=period)] == [
            c.to_dict() for c in ranking(full, period=period)
        ], (where, period)
    for period in [None, *months]:
        assert [r.to_dict() for r in reminders(kept, period)] == [r.to_dict() for r in reminders(full, period)], (
            where,
            period,
        )
    for key in months:
        assert kept.unreported(key) == [d for d in full.duties if d.period == key and d.reported is None], (where, key)
        assert kept.compliance(key) == full.compliance(key), (where, key)
    plans = {A: "甲市", B: "乙县", C: "甲市"}
    assert due_periods(kept) == due_periods(full), where
    for period in [None, *months]:
        k_facts, k_duties = facts_from_snapshot(kept, plans, period)
        f_facts, f_duties = facts_from_snapshot(full, plans, period)
        assert k_facts == f_facts and sorted(k_duties, key=repr) == sorted(f_duties, key=repr), (where, period)
        parents = {"甲市": None, "乙县": "甲市"}
        assert compare_regions(k_facts, k_duties, parents, plans=plans) == compare_regions(
            f_facts, f_duties, parents, plans=plans
        )
    assert trend(kept, 12) == trend(full, 12), where
    assert build_board(kept) == build_board(full), where
    assert "duties" in kept._loaders, "the kept path listed every duty"
    return {(p.done, p.overdue) for p in trend(kept, 12)}


@pytest.mark.slow
def test_counts_from_the_kept_tables_equal_the_replay_on_every_day(built):
    store = built
    rules, strict, by_report = default_rules(), rules_from_dict(STRICT), rules_from_dict(BY_REPORT)
    seen: set = set()
    for day in _days():
        for plan in (A, B, C, None):
            seen |= _same_counts(store, day, plan, rules)
        _same_counts(store, day, A, strict)
        _same_counts(store, day, B, by_report)
    # the trend moved: tasks done and overdue at several month ends
    assert {d for d, _o in seen} >= {0, 1, 2} and {o for _d, o in seen} >= {0, 1, 2}


def test_the_trend_reads_the_kept_done_history(built):
    """Board trend on the kept path: counts from ``status_unit_done``; emptied, they change (so
    they are what is read), rebuilt, they are back."""
    store = built
    day = date(2022, 1, 20)
    before = trend(snapshot(store, day, plan=A, rules=default_rules()), 12)
    assert any(p.done for p in before)
    with store.session(write=True) as s:
        s.execute(delete(StatusUnitDoneRow))
    emptied = trend(snapshot(store, day, plan=A, rules=default_rules()), 12)
    assert [p.done for p in emptied[:-1]] == [0] * (len(emptied) - 1)
    assert rebuild_kept(store)["status_unit_done"] > 0
    assert trend(snapshot(store, day, plan=A, rules=default_rules()), 12) == before


def test_done_history_kept_by_uploads_equals_the_rebuild(built):
    store = built
    with store.session() as s:
        kept = sorted(tuple(r) for r in s.execute(select(StatusUnitDoneRow.__table__)))
    rebuild_kept(store)
    with store.session() as s:
        assert sorted(tuple(r) for r in s.execute(select(StatusUnitDoneRow.__table__))) == kept
    # a back-dated 已完成 and a same-day correction land in the middle of a unit's history
    up = _Uploads(store)
    up(A, "市数据局", "2021-12", [("5", "推进中", 60, date(2021, 11, 2))])  # same day as its 已完成: newer id wins
    with store.session() as s:
        rows = {(t, u): unpack_changes(b) for t, u, b in s.execute(select(
            StatusUnitDoneRow.task_pk, StatusUnitDoneRow.unit_id, StatusUnitDoneRow.changes))}  # fmt: skip
        rebuild_kept(store)
        again = {(t, u): unpack_changes(b) for t, u, b in s.execute(select(
            StatusUnitDoneRow.task_pk, StatusUnitDoneRow.unit_id, StatusUnitDoneRow.changes))}  # fmt: skip
    assert rows == again
    # two lead units reporting the same day, one 已完成 and one not: the newer report (by id) speaks
    up(A, "市审改办", "2021-11", [("1", "推进中", 85, date(2021, 11, 26))])
    for day in (date(2021, 12, 20), date(2022, 1, 20)):
        _same_counts(store, day, A, default_rules())
        _same_counts(store, day, None, default_rules())


def test_changes_records():
    d = date(2024, 1, 1)
    o = d.toordinal()
    assert changes([]) == []
    assert changes([(d, 1, "推进中"), (d, 2, "已完成")]) == [(o, 1)]  # same day: the later report counts
    assert changes([(d, 1, "已完成"), (d, 2, "推进中"), (date(2024, 1, 3), 3, "推进中")]) == [(o, 0), (o + 2, 0)]
    assert changes([(d, 1, "已完成"), (date(2024, 1, 2), 2, "已完成"), (date(2024, 1, 5), 3, "滞后")]) == [
        (o, 1),
        (o + 1, 1),
        (o + 4, 0),
    ]
    assert changes([("2024-01-01", 1, "推进中")]) == [(o, 0)]  # a raw SQLite date


def test_office_queue_replays_only_the_tasks_with_steps(built, tmp_path):
    """The office's queue reads only the tasks with stored steps: the same items as a replay of the
    whole plan (pending extension, claim and appeal, beside decided ones)."""
    from datetime import datetime

    from tasks.progress import lifecycle as lc

    store = built
    when = datetime(2022, 1, 5, 10)
    lc.sign(store, B, "6", unit="市审改办", actor="t", at=datetime(2022, 1, 4, 9))
    lc.request_extension(store, B, "6", to=date(2022, 3, 31), reason="资金未到位", actor="t", at=when)
    lc.claim(store, B, "4", evidence=[("p.pdf", b"%PDF-1.4\n%%EOF\n")], actor="t", at=when, root=tmp_path)
    lc.appeal(store, B, "7", card="red", reason="已报送", unit="市数据局", actor="t", at=when)

    def replayed(plan):  # the whole plan's lifecycles, as before
        out = []
        for one in lc.lifecycles(store, plan).values():
            out += [("extension", e.id) for e in one.extensions if e.decision == "pending"]
            out += [("claim", u.claim_id) for u in one.units.values() if u.state == lc.CLAIMED and u.claim_id]
            out += [("appeal", a.id) for a in one.appeals if a.decision == "pending"]
        return sorted(out)

    seen = 0
    for plan in (A, B, C):
        got = lc.office_queue(store, plan)
        assert sorted((q.kind, q.id) for q in got) == replayed(plan), plan
        seen += len(got)
    assert {q.kind for q in lc.office_queue(store, B)} == {"extension", "claim", "appeal"}
    assert seen >= 3


def test_unit_task_counts_by_one_query_equal_the_task_list(tmp_path):
    """Tasks per unit (the 进展填报 page) come from one aggregate query: the same counts as going
    through every task — collective names left out, a unit in both roles of a task counted once,
    archived tasks and other plans not counted."""
    from tasks.model import Plan, Task
    from tasks.store import Store, unit_task_counts

    def plan(n: int) -> Plan:
        tasks = [
            Task("1", "甲", lead_units=["市审改办"], responsible_units=["市审改办", "市直各相关单位"]),
            Task("2", "乙", lead_units=["市数据局", "市审改办"], responsible_units=["市公安局"]),
            Task("3", "丙", lead_units=["市公安局"]),
            Task("4", "丁", lead_units=["市民政局"]),
        ]
        return Plan("计数", tasks=tasks[:n])

    store = Store(f"sqlite:///{tmp_path / 'c.db'}")
    store.load_plan_into_store(plan(4), actor="t", key="计数")
    store.load_plan_into_store(plan(3), actor="t", key="计数")  # task 4 archived
    store.load_plan_into_store(Plan("别的", tasks=[Task("1", "戊", lead_units=["市审改办"])]), actor="t", key="别的")

    class View:  # a store-like view: counted through its task list
        def __init__(self, raw):
            self.units, self.tasks = raw.units, raw.tasks

    for key in ("计数", "别的"):
        view: Any = View(store)
        assert unit_task_counts(store, key) == unit_task_counts(view, key)
    assert unit_task_counts(store, "计数") == {"市公安局": 2, "市审改办": 2, "市数据局": 1}
