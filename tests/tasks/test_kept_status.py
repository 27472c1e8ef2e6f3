"""Kept status (issues 18 and 13): status read from the kept tables equals the full replay.

A plan with reports (late, back-dated, after closure, by non-lead units, several per period),
extensions, claims, returns and closures over several periods, beside a quarterly plan and a plan
on the global periods, is compared field by field — statuses, cards, duties — for many as-of dates,
on SQLite and PostgreSQL.  A refused upload or decision leaves the kept tables unchanged; the kept
tables can be rebuilt from the history (function, command line and migration) to the same bytes.
"""

from __future__ import annotations

import hashlib
import os
from datetime import date, datetime, timedelta

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import delete, func, insert, select

from tasks.model import Plan, Task
from tasks.progress import default_rules, lifecycle_state
from tasks.progress import lifecycle as lc
from tasks.progress.lifecycle_state import kept_lifecycles, rebuild_lifecycle_state
from tasks.progress.rules import rules_from_dict
from tasks.progress.status import snapshot
from tasks.store import StoreError
from tasks.store.config import _alembic_config
from tasks.store.kept import period_code, rebuild_kept, unpack_periods
from tasks.store.schema import PlanRow, TaskRow, UnitRow
from tasks.store.schema_kept import StatusTaskPeriodsRow, StatusUnitPeriodsRow
from tasks.store.schema_province import ProgressLatestRow
from tasks.store.schema_supervision import LifecycleStateRow, SupervisionEventRow
from tasks.store.schema_trend import StatusUnitDoneRow
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
A, B, C = "督办月度计划", "督办季度计划", "全局报告期计划"
JIA, YI, BING = "市政务服务中心", "市审改办", "市数据局"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _task(i: str, lead: list[str], deadline: date | None, resp: list[str] | None = None) -> Task:
    return Task(
        id=i,
        title=f"任务{i}",
        lead_units=lead,
        responsible_units=resp or [],
        deadline=deadline,
        deadline_text=f"{deadline:%Y年%m月%d日}前" if deadline else "长期坚持",
        deadline_kind="date" if deadline else "ongoing",
    )


def _plan(title: str) -> Plan:
    return Plan(
        title=title,
        date=date(2021, 8, 9),
        tasks=[
            _task("1", [JIA, YI], date(2021, 12, 31)),
            _task("2", [JIA], date(2021, 10, 31)),
            _task("3", [YI], None),
            _task("4", [BING], date(2022, 3, 31), [JIA]),
            _task("5", [BING], date(2021, 9, 30)),
            _task("6", [YI], date(2022, 1, 31)),
            _task("7", [BING], date(2022, 6, 30)),  # silent two months (red), then catches up (yellow)
        ],
    )


class _Uploads:
    def __init__(self, store):
        self.store, self.n = store, 0

    def __call__(self, plan: str, unit: str, period: str, rows: list[tuple]) -> int | None:
        """rows: (task, status, percent, report date[, period])."""
        self.n += 1
        return self.store.add_upload(
            sha256=hashlib.sha256(f"{plan}{unit}{period}{self.n}".encode()).hexdigest(),
            filename=f"{unit}-{period}-{self.n}.xlsx",
            unit=unit,
            plan=plan,
            person="",
            period=period,
            rows=[
                {
                    "task_id": r[0],
                    "status": r[1],
                    "percent": r[2],
                    "report_date": r[3],
                    "period": r[4] if len(r) > 4 else period,
                    "progress": f"{unit}{r[0]}{r[3]}",
                    "source_row": 3 + k,
                }
                for k, r in enumerate(rows)
            ],
            actor="test",
        )


def at(m: int, d: int, y: int = 2021) -> datetime:
    return datetime(y, m, d, 10)


def build(store, tmp_path) -> None:
    """Three plans, five months of reports and a lifecycle for each kind of step."""
    up = _Uploads(store)
    for title in (A, B, C):
        store.load_plan_into_store(_plan(title), actor="test", key=title)
    lc.set_calendar(store, A, start=date(2021, 8, 9), cycle="monthly", actor="test")
    lc.set_calendar(store, B, start=date(2021, 7, 1), cycle="quarterly", due_day=25, actor="test")
    for m in ("2021-07", "2021-08", "2021-09", "2021-10", "2021-11", "2021-12", "2022-01"):
        store.open_period(m, "test")
    for plan in (A, B, C):
        up(plan, JIA, "2021-08", [("1", "推进中", 20, date(2021, 8, 28)), ("2", "推进中", 30, date(2021, 8, 28))])
        up(plan, YI, "2021-08", [("1", "推进中", 10, date(2021, 9, 3)), ("3", "推进中", 5, date(2021, 9, 7))])
        up(plan, BING, "2021-08", [("4", "未启动", 0, date(2021, 8, 30)), ("5", "滞后", 10, date(2021, 8, 30))])
        # a responsible unit reports a task it does not lead; a second report in the same period
        up(plan, JIA, "2021-09", [("4", "推进中", 15, date(2021, 9, 20)), ("2", "推进中", 60, date(2021, 9, 25))])
        up(plan, JIA, "2021-09b", [("2", "推进中", 70, date(2021, 10, 2), "2021-09")])
        up(plan, YI, "2021-09", [("6", "推进中", 10, date(2021, 9, 12))])
        # late (after the due date) and back-dated reports; a quarter and a non-canonical period
        up(plan, BING, "2021-09", [("5", "推进中", 50, date(2021, 10, 20)), ("4", "推进中", 20, date(2021, 10, 20))])
        up(plan, YI, "2021-10", [("1", "推进中", 40, date(2021, 10, 28)), ("3", "推进中", 30, date(2021, 10, 28))])
        up(plan, YI, "2021-Q3", [("6", "推进中", 20, date(2021, 10, 8), "2021-Q3")])
        up(plan, JIA, "2021-10", [("1", "已完成", 100, date(2021, 10, 29)), ("2", "已完成", 100, date(2021, 10, 30))])
        up(plan, YI, "2021-8", [("3", "推进中", 8, date(2021, 9, 6), "2021-8")])
        up(plan, BING, "2021-10", [("5", "已完成", 100, date(2021, 11, 2))])
        up(plan, BING, "2021-10", [("7", "推进中", 30, date(2021, 10, 28))])
        up(plan, BING, "2021-11", [("7", "推进中", 45, date(2021, 11, 25))])
        up(plan, JIA, "2021-11", [("1", "已完成", 100, date(2021, 11, 26)), ("2", "已完成", 100, date(2021, 11, 26))])
        up(plan, YI, "2021-11", [("1", "推进中", 80, date(2021, 11, 27)), ("6", "滞后", 30, date(2021, 11, 27))])
        up(plan, BING, "2021-11", [("4", "推进中", 50, date(2021, 12, 12))])
        up(plan, YI, "2021-12", [("3", "推进中", 60, date(2021, 12, 30)), ("1", "已完成", 100, date(2021, 12, 28))])
        up(plan, JIA, "2021-12", [("2", "已完成", 100, date(2021, 12, 27))])  # after its closure
        # the lifecycle: signing, extensions (approved, rejected), claims returned and accepted
        for task, unit, day in (("1", JIA, 10), ("1", YI, 12), ("2", JIA, 10), ("4", BING, 16), ("5", BING, 11)):
            lc.sign(store, plan, task, unit=unit, actor="test", at=at(8, day))
        req = lc.request_extension(store, plan, "2", to=date(2021, 11, 30), reason="系统对接", actor="t", at=at(9, 20))
        lc.decide_extension(store, req.id, approve=True, to=date(2021, 12, 15), actor="office", at=at(9, 22))
        req = lc.request_extension(store, plan, "4", to=date(2022, 6, 30), reason="资金", actor="t", at=at(10, 5))
        lc.decide_extension(store, req.id, approve=False, note="理由不足", actor="office", at=at(10, 9))
        ev = [("p.pdf", PDF)]
        lc.claim(store, plan, "2", evidence=ev, actor="t", at=at(10, 30), root=tmp_path)
        lc.review(store, plan, "2", accept=False, note="缺验收材料", actor="office", at=at(11, 3))
        lc.claim(store, plan, "2", evidence=ev, actor="t", at=at(11, 10), root=tmp_path)
        lc.review(store, plan, "2", accept=True, actor="office", at=at(11, 15))
        lc.claim(store, plan, "5", evidence=ev, actor="t", at=at(11, 2), root=tmp_path)
        lc.review(store, plan, "5", accept=True, actor="office", at=at(11, 20))
        lc.claim(store, plan, "1", unit=JIA, evidence=ev, actor="t", at=at(10, 29), root=tmp_path)
        lc.review(store, plan, "1", unit=JIA, accept=True, actor="office", at=at(11, 1))
        lc.appeal(store, plan, "6", card="yellow", reason="已按期报送", unit=YI, actor="t", at=at(12, 1))
        lc.decide_appeal(store, lc.events(store, plan)[-1].id, uphold=True, note="属实", actor="o", at=at(12, 3))


def _days() -> list[date]:
    days = [date(2021, 7, 15) + timedelta(days=6 * k) for k in range(45)]  # every 6 days to 2022-02
    days += [date(2021, 9, 5), date(2021, 9, 6), date(2021, 10, 5), date(2021, 10, 6), date(2021, 11, 15)]
    days += [date(2021, 9, 25), date(2021, 9, 26), date(2021, 12, 25), date(2021, 12, 26), date(2026, 1, 1)]
    return sorted(set(days))


def _same(store, day: date, plan: str | None, rules) -> None:
    kept = snapshot(store, day, plan=plan, rules=rules)
    full = snapshot(store, day, plan=plan, rules=rules, replay=True)
    assert [s.to_dict() for s in kept.statuses] == [s.to_dict() for s in full.statuses], (day, plan)
    assert kept.duties == full.duties, (day, plan)
    assert kept.reports == full.reports and kept.periods == full.periods
    assert kept.counts() == full.counts() and kept.compliance() == full.compliance()


@pytest.fixture(params=BACKENDS)
def built(request, tmp_path):
    with temporary_store(request.param, tmp_path, PG_URL) as store:
        build(store, tmp_path)
        yield store


@pytest.mark.slow
def test_kept_status_equals_the_replay_on_every_day(built):
    store = built
    rules = default_rules()
    strict = rules_from_dict(
        {
            "reporting": {"grace_days": 2},
            "status": {"at_risk_gap": 5},
            "levels": [
                {"key": "blue", "name": "蓝牌", "when": ["late_reports >= 1", "missed_reports >= 1"]},
                {"key": "orange", "name": "橙牌", "when": ["status == at_risk"]},
                {"key": "red", "name": "红牌", "when": ["status == overdue", "missed_reports >= 2"]},
            ],
            "supervision": {"recover_to": "orange", "extended_deadline_counts": True},
        }
    )
    # a top card that depends on the last report (its status and the gap), recovering to blue
    by_report = rules_from_dict(
        {
            "levels": [
                {"key": "blue", "name": "蓝牌", "when": ["missed_reports >= 1"]},
                {"key": "red", "name": "红牌", "when": ["status == at_risk", "gap > 30", "status == not_started"]},
            ],
            "supervision": {"recover_to": "blue"},
        }
    )
    seen: set = set()
    recovered: set = set()
    for day in _days():
        for plan in (A, B, C, None):
            _same(store, day, plan, rules)
        _same(store, day, A, strict)
        _same(store, day, B, by_report)
        snap = snapshot(store, day, rules=rules)
        seen |= {(s.status, s.lifecycle, s.card, s.missed_reports > 0, s.late_reports > 0) for s in snap.statuses}
        recovered |= {s.plan for s in snap.statuses if "已整改" in s.card_reason}
        recovered |= {
            "by_report" for s in snapshot(store, day, plan=B, rules=by_report).statuses if "已整改" in s.card_reason
        }
    # the history exercises what the comparison is about
    statuses = {x[0] for x in seen}
    assert {"done", "overdue", "at_risk", "on_track", "ongoing", "not_started"} <= statuses
    assert {"pending_sign", "in_progress", "claimed", "closed"} <= {x[1] for x in seen}
    assert {"yellow", "red"} <= {x[2] for x in seen}
    assert any(x[3] for x in seen) and any(x[4] for x in seen)
    assert recovered == {A, C, "by_report"}  # a red card turned yellow (blue) after the unit caught up


def test_kept_tables_hold_the_reported_periods(built):
    store = built
    pk = {(t.plan, t.id): t.pk for t in store.tasks(all_plans=True)}
    with store.session() as s:
        blobs = dict(s.execute(select(StatusTaskPeriodsRow.task_pk, StatusTaskPeriodsRow.periods)).all())
    got = unpack_periods(blobs[pk[(A, "2")]])
    # 2021-09 first reported on 09-25 (the second report of 10-02 does not move it)
    assert got == {
        period_code("2021-08"): date(2021, 8, 28).toordinal(),
        period_code("2021-09"): date(2021, 9, 25).toordinal(),
        period_code("2021-10"): date(2021, 10, 30).toordinal(),
        period_code("2021-11"): date(2021, 11, 26).toordinal(),
        period_code("2021-12"): date(2021, 12, 27).toordinal(),
    }
    assert set(unpack_periods(blobs[pk[(A, "3")]])) == {
        period_code(p) for p in ("2021-08", "2021-8", "2021-10", "2021-12")
    }


def _events_by_sqlalchemy(store, plan: str | None, task: str | None = None, as_of: date | None = None) -> list:
    """The steps as SQLAlchemy's own result processing reads them (joined names, parsed dates, JSON)."""
    E = SupervisionEventRow
    q = lc._event_query().order_by(E.at, E.id)
    if plan is not None:
        q = q.where(PlanRow.key == plan)
    if task is not None:
        q = q.where(TaskRow.task_id == task)
    if as_of is not None:
        q = q.where(E.at < datetime.combine(as_of, datetime.max.time()))
    with store.session() as s:
        return [lc._to_event(*r) for r in s.execute(q)]


def test_steps_read_from_the_driver_equal_sqlalchemys_reading(built):
    """``events`` takes the driver's rows (dates as SQLite text, JSON undecoded) and looks names up
    instead of joining: every field of every step equals the ORM's reading, on both databases."""
    store = built
    every = lc.events(store, all_plans=True)
    assert every == _events_by_sqlalchemy(store, None)
    kinds = {e.kind for e in every}
    assert {lc.SIGN, lc.EXT_REQUEST, lc.EXT_APPROVED, lc.EXT_REJECTED, lc.CLAIM, lc.ACCEPTED, lc.RETURNED,
            lc.APPEAL, lc.APPEAL_UPHELD} <= kinds  # fmt: skip
    assert any(e.evidence for e in every) and any(e.data for e in every) and any(e.new_date for e in every)
    assert all(isinstance(e.at, datetime) for e in every)
    for plan in (A, B, C):
        assert lc.events(store, plan) == _events_by_sqlalchemy(store, plan)
        assert lc.events(store, plan, "2") == _events_by_sqlalchemy(store, plan, "2") != []
        for day in (date(2021, 9, 20), date(2021, 11, 1), date(2021, 11, 15)):
            assert lc.events(store, plan, as_of=day) == _events_by_sqlalchemy(store, plan, as_of=day)
    assert lc.events(store, A, "99") == []


def test_steps_are_read_once_per_tasks_version(built):
    """The steps are kept with the store until a step (or any change but an upload) is written,
    here or by another process on the same database; what is read is what the database holds."""
    from tasks.store import Store

    store = built
    first = lc.events(store, A)
    assert lc.events(store, A)[0] is first[0]  # kept
    version = store.tasks_version()
    _Uploads(store)(A, BING, "2022-01", [("7", "推进中", 60, date(2022, 1, 20))])
    assert store.tasks_version() == version and lc.events(store, A)[0] is first[0]  # an upload: still kept
    lc.sign(store, A, "3", unit=YI, actor="t", at=at(1, 21, 2022))
    after = lc.events(store, A)
    assert after[0] is not first[0] and after == first + [after[-1]] and after[-1].kind == lc.SIGN
    assert after == _events_by_sqlalchemy(store, A)
    other = Store(store.engine.url.render_as_string(hide_password=False))  # another dashboard process
    try:
        lc.sign(other, A, "6", unit=YI, actor="t", at=at(8, 20))  # dated back: it sorts before later steps
    finally:
        other.dispose()
    again = lc.events(store, A)
    assert len(again) == len(after) + 1 and again == _events_by_sqlalchemy(store, A)
    assert lc.events(store, all_plans=True) == _events_by_sqlalchemy(store, None)


def test_lifecycles_are_replayed_once_per_tasks_version(built):
    """The last replay is kept with the store: an upload reuses it (and the status still equals the
    full replay), a step or a change of tasks replays again, another date or plan is its own replay."""
    from tasks.progress.status import supervision_data

    store = built
    day = date(2022, 1, 25)

    def lifecycles(plan: str | None = None, as_of: date = day) -> dict:
        tasks = store.tasks(plan) if plan else store.tasks(all_plans=True)
        return supervision_data(store, as_of, plan, tasks).lifecycles

    first = lifecycles()
    assert lifecycles() is first
    _Uploads(store)(A, BING, "2022-01", [("7", "推进中", 60, date(2022, 1, 20))])
    assert lifecycles() is first  # reports do not change a lifecycle
    _same(store, day, None, default_rules())
    pk3 = next(t.pk for t in store.tasks(A) if t.id == "3")
    assert first[pk3].state == lc.PENDING_SIGN
    lc.sign(store, A, "3", unit=YI, actor="t", at=at(1, 21, 2022))
    after = lifecycles()
    assert after is not first and after[pk3].state == lc.IN_PROGRESS
    assert lifecycles(as_of=date(2022, 1, 10)) is not after and lifecycles(A) is not after
    assert lifecycles(A)[pk3].state == lc.IN_PROGRESS
    before = lifecycles(A)
    assert lifecycles(A) is before
    store.set_predecessors(A, "2", ["1"], actor="t")  # any change of tasks: replayed again
    assert lifecycles(A) is not before
    _same(store, day, None, default_rules())


def _replayed(store, plan: str | None, day: date) -> tuple[list, dict]:
    """The tasks of ``plan`` (None: all) and their lifecycles replayed from every step up to ``day``."""
    tasks = store.tasks(plan) if plan else store.tasks(all_plans=True)
    units = {t.pk: sorted(t.lead_units or t.responsible_units) for t in tasks}
    return tasks, lc.replay(tasks, units, lc.events(store, plan, all_plans=plan is None, as_of=day), day)


def _kept_lifecycles(store, plan: str | None, day: date):
    tasks = store.tasks(plan) if plan else store.tasks(all_plans=True)
    units = {t.pk: sorted(t.lead_units or t.responsible_units) for t in tasks}
    return kept_lifecycles(store, tasks, units, plan, day)


def test_kept_lifecycle_state_equals_the_replay(built, tmp_path, monkeypatch):
    """The state kept with each step is what a replay of the steps gives, as of the end and of
    every earlier day (claims returned, accepted, waiting; extensions; appeals), after a step dated
    back by another process, and after steps written past the workbench (then the kept state steps
    aside until it is rebuilt)."""
    from tasks.progress.status import supervision_data
    from tasks.store import Store
    from tasks.store.kept import bump_version

    store = built
    day = date(2022, 1, 25)
    lc.claim(store, A, "4", evidence=[("p.pdf", PDF)], actor="t", at=at(12, 20), root=tmp_path)  # waits
    lc.request_extension(store, B, "4", to=date(2022, 6, 30), reason="待批", actor="t", at=at(12, 21))
    lc.appeal(store, C, "5", card="red", reason="已办结", actor="t", at=at(12, 22))  # after its closure
    lc.claim(store, C, "4", evidence=[("p.pdf", PDF)], actor="t", at=at(12, 18), root=tmp_path)
    lc.review(store, C, "4", accept=False, note="补材料", actor="office", at=at(12, 19))  # returned, not claimed again
    queued: set[tuple[str, str]] = set()
    seen: set[str] = set()

    def check(days: list[date]) -> None:
        for d in days:
            for plan in (A, B, C, None):
                kept = _kept_lifecycles(store, plan, d)
                assert kept is not None and kept == _replayed(store, plan, d)[1], (d, plan)
                seen.update(u.state for v in kept.values() for u in v.units.values())
        tasks = store.tasks(all_plans=True)
        assert supervision_data(store, day, None, tasks).lifecycles == _replayed(store, None, day)[1]
        for plan in (A, B, C):  # the office's queue, read from the kept state, is the replay's
            queue = lc.office_queue(store, plan)
            with monkeypatch.context() as m:
                m.setattr(lifecycle_state, "kept_lifecycles", lambda *a: None)
                assert lc.office_queue(store, plan) == queue, plan
            queued.update((plan, q.kind) for q in queue)

    check(_days())
    assert seen == set(lc.STATES)
    states = {(v.task, u.unit): u.state for v in _kept_lifecycles(store, A, day).values() for u in v.units.values()}
    assert states[("4", BING)] == lc.CLAIMED and states[("2", JIA)] == lc.CLOSED
    assert states[("1", YI)] == lc.IN_PROGRESS and states[("3", YI)] == lc.PENDING_SIGN
    with store.session() as s:  # one row per task and unit with a step (task 6: an appeal, not signed)
        assert s.scalar(select(func.count()).select_from(LifecycleStateRow)) == len(
            {(e.plan, e.task, e.unit) for e in lc.events(store, all_plans=True)}
        )
    other = Store(store.engine.url.render_as_string(hide_password=False))  # another dashboard process
    try:
        lc.sign(other, A, "6", unit=YI, actor="t", at=at(8, 20))  # before that unit's appeal
    finally:
        other.dispose()
    lc.sign(store, C, "3", unit=YI, actor="t", at=at(2, 2, 2022))  # after the day status is asked for
    check([date(2021, 8, 19), date(2021, 8, 20), date(2021, 12, 1), day, date(2022, 2, 2)])
    _same(store, day, C, default_rules())
    # a step written straight into the table (as a bulk import would): replayed until rebuilt
    pk = next(t.pk for t in store.tasks(B) if t.id == "3")
    with store.session(write=True) as s:
        s.execute(
            insert(SupervisionEventRow),
            [{"plan_id": s.scalar(select(PlanRow.id).where(PlanRow.key == B)), "task_pk": pk,
              "unit_id": s.scalar(select(UnitRow.id).where(UnitRow.name == YI)), "kind": lc.SIGN,
              "at": at(12, 30), "actor": "import", "note": "", "data": {}}],
        )  # fmt: skip
        bump_version(s)
    assert _kept_lifecycles(store, B, day) is None
    assert supervision_data(store, day, B, store.tasks(B)).lifecycles[pk].state == lc.IN_PROGRESS
    assert rebuild_lifecycle_state(store) == {"supervision_state": len(
        {(e.plan, e.task, e.unit) for e in lc.events(store, all_plans=True)})}  # fmt: skip
    check([date(2021, 12, 29), date(2021, 12, 30), date(2022, 2, 2)])
    assert queued == {(A, "claim"), (B, "extension"), (C, "appeal")}


def test_the_loop_as_of_an_earlier_date_is_derived_for_what_cards_read(built):
    """``lifecycle_as_of`` (the recovery check's view of the previous check, from the kept state)
    equals a replay up to that day in every completion date, deadline, extension and appeal."""
    store = built
    lc.sign(store, A, "6", unit=YI, actor="t", at=at(9, 1))  # two extensions approved, one after the other
    for asked, on, to in ((date(2022, 3, 31), 11, date(2022, 3, 31)), (date(2022, 6, 30), 12, date(2022, 5, 31))):
        req = lc.request_extension(store, A, "6", to=asked, reason="分步推进", actor="t", at=at(on, 10))
        lc.decide_extension(store, req.id, approve=True, to=to, actor="office", at=at(on, 12))
    tasks, final = _replayed(store, None, date(2026, 1, 1))
    seen: set[object] = set()
    for day in _days():
        past = _replayed(store, None, day)[1]
        for t in tasks:
            got, want = lc.lifecycle_as_of(final[t.pk], day), past[t.pk]
            assert (got.deadline, got.closed_date) == (want.deadline, want.closed_date), (day, t.plan, t.id)
            assert [e.to_dict() for e in got.extensions] == [e.to_dict() for e in want.extensions]
            assert [(a.id, a.card, a.decision, a.note) for a in got.appeals] == [
                (a.id, a.card, a.decision, a.note) for a in want.appeals
            ]
            waiting = {lc.CLAIMED: lc.IN_PROGRESS}  # a claim waiting then is not known from the later state
            assert {u: (v.state, v.signed_at) for u, v in got.units.items()} == {
                u: (waiting.get(v.state, v.state), v.signed_at) for u, v in want.units.items()
            }
            seen |= {(got.deadline != got.original_deadline), got.closed_date is not None}
            seen |= {"moved twice"} if got.deadline == date(2022, 3, 31) and t.id == "6" else set()
            seen |= {e.decision for e in got.extensions} | {a.decision for a in got.appeals}
    assert {True, False, "pending", "approved", "rejected", "upheld", "moved twice"} <= seen


def _kept_rows(store) -> dict[str, list]:
    with store.session() as s:
        return {
            "latest": sorted(tuple(r) for r in s.execute(select(ProgressLatestRow.__table__))),
            "tasks": sorted(tuple(r) for r in s.execute(select(StatusTaskPeriodsRow.__table__))),
            "units": sorted(tuple(r) for r in s.execute(select(StatusUnitPeriodsRow.__table__))),
            "units_done": sorted(tuple(r) for r in s.execute(select(StatusUnitDoneRow.__table__))),
            "lifecycle": sorted(tuple(r) for r in s.execute(select(LifecycleStateRow.__table__))),
        }


def test_refused_uploads_and_decisions_leave_the_kept_tables_unchanged(built, tmp_path):
    store = built
    before, counts = _kept_rows(store), store.counts()
    up = _Uploads(store)
    store.close_period("2021-12", "test")
    counts = store.counts()
    with pytest.raises(StoreError):  # closed period
        up(A, JIA, "2021-12", [("4", "推进中", 90, date(2022, 1, 3))])
    with pytest.raises(StoreError):  # unknown unit
        up(A, "不存在的单位", "2022-01", [("4", "推进中", 90, date(2022, 1, 3))])
    with pytest.raises(KeyError):  # a task outside the plan fails inside the transaction: all rolled back
        up(A, JIA, "2022-01", [("4", "推进中", 90, date(2022, 1, 3)), ("99", "推进中", 1, date(2022, 1, 3))])
    with pytest.raises(lc.LifecycleError):  # after the deadline
        lc.request_extension(store, A, "6", to=date(2022, 5, 1), reason="晚了", actor="t", at=at(2, 2, 2022))
    with pytest.raises(lc.LifecycleError):  # a closed task
        lc.claim(store, A, "2", evidence=[("p.pdf", PDF)], actor="t", at=at(12, 20), root=tmp_path)
    with pytest.raises(lc.LifecycleError):  # a return without a reason
        lc.review(store, A, "5", accept=False, actor="office", at=at(12, 20))
    assert _kept_rows(store) == before and store.counts() == counts
    # an accepted upload changes them, and status follows
    day = date(2022, 1, 20)
    up(A, BING, "2022-01", [("4", "推进中", 95, date(2022, 1, 18))])
    assert _kept_rows(store) != before
    kept = snapshot(store, day, plan=A, rules=default_rules()).by_id("4")
    assert (kept.percent, kept.last_report_date) == (95.0, date(2022, 1, 18))
    _same(store, day, A, default_rules())


def test_rebuild_gives_the_same_kept_tables(built):
    store = built
    before = _kept_rows(store)
    counts = rebuild_kept(store)
    assert _kept_rows(store) == before
    assert counts == {"progress_latest": len(before["latest"]), "status_task_periods": len(before["tasks"]),
                      "status_unit_periods": len(before["units"]),
                      "status_unit_done": len(before["units_done"])}  # fmt: skip
    assert rebuild_lifecycle_state(store) == {"supervision_state": len(before["lifecycle"])}
    assert _kept_rows(store) == before
    with store.session(write=True) as s:  # lost (say, a table restored from an old backup)
        s.execute(delete(LifecycleStateRow))
    # the command line rebuilds them all
    from accounts_helpers import make_book

    from tasks.__main__ import main

    make_book(store).add("ld1", "leader", actor="test", password="Lead-pass-2021!x")
    os.environ["WORKBENCH_DB_URL"] = store.engine.url.render_as_string(hide_password=False)
    try:
        assert main(["rebuild-kept", "--json"]) == 0
        audit = len(store.audit_log())
        assert main(["--as", "ld1", "rebuild-kept"]) == 2  # a leader only reads: refused, nothing written
        assert len(store.audit_log()) == audit
    finally:
        del os.environ["WORKBENCH_DB_URL"]
    assert _kept_rows(store) == before


def test_migration_fills_the_kept_tables_of_an_existing_database(built):
    """A database with history from before 0008: downgrade (drops the tables), upgrade (fills them)."""
    store = built
    before = _kept_rows(store)
    cfg = _alembic_config()
    before_kept = ScriptDirectory.from_config(cfg).get_revision("0008_kept_status").down_revision
    assert isinstance(before_kept, str)  # one parent: the chain has a single head
    for step, target in ((command.downgrade, before_kept), (command.upgrade, "head")):
        with store.engine.connect() as conn:
            cfg.attributes["connection"] = conn
            step(cfg, target)
            conn.commit()
    with store.session() as s:
        assert s.scalar(select(StatusTaskPeriodsRow.count).limit(1))
    assert _kept_rows(store) == before


@pytest.mark.parametrize("backend", BACKENDS)
def test_concurrent_uploads_on_the_same_tasks_keep_every_period(tmp_path, backend):
    """Units uploading at the same time for the same tasks (each unit several months at once): no
    upload fails and no update of the shared kept rows is lost."""
    import threading

    with temporary_store(backend, tmp_path, PG_URL) as store:
        units = [f"单位{i}" for i in range(6)]
        plan = Plan(
            title="并发",
            date=date(2021, 8, 1),
            tasks=[_task(str(i), units, date(2022, 6, 30)) for i in range(1, 21)],
        )
        store.load_plan_into_store(plan, actor="test", key="并发")
        up = _Uploads(store)
        lock = threading.Lock()
        errors: list[str] = []

        def send(unit: str, month: int) -> None:
            rows = [(str(i), "推进中", 10 * month, date(2021, month, 10 + units.index(unit))) for i in range(1, 21)]
            try:
                with lock:
                    up.n += 1  # distinct file hashes
                up("并发", unit, f"2021-{month:02d}", rows)
            except Exception as err:
                errors.append(f"{type(err).__name__}: {err}"[:200])

        threads = [threading.Thread(target=send, args=(u, m)) for m in (8, 9, 10) for u in units]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        kept = _kept_rows(store)
        rebuild_kept(store)
        assert _kept_rows(store) == kept
        # every task: three periods, each first reported on the 10th (the first unit's day)
        for blob in (r[1] for r in kept["tasks"]):
            assert unpack_periods(blob) == {
                period_code(f"2021-{m:02d}"): date(2021, m, 10).toordinal() for m in (8, 9, 10)
            }
