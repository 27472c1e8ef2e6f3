"""The signing clock (签收) starts on the day the task was assigned (交办): the plan's start (calendar
start, else issue date, else first load), or the day a later re-import added the task — not the day
the plan happened to be loaded; the same day in every replay — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from accounts_helpers import BACKENDS, PG_URL
from supervision_helpers import UNIT_A, UNIT_B, loop_plan

from tasks.accounts import Account, GuardedStore
from tasks.model import Task
from tasks.progress import TaskStatus, default_rules, snapshot
from tasks.progress.lifecycle import sign_due
from tasks.store.testing import temporary_store

RULES = default_rules()
LOADED = datetime(2021, 8, 20, 10)  # the day the office typed the plan in (after its start)


def statuses(store, plan: str, day: date) -> dict[str, TaskStatus]:
    return {s.id: s for s in snapshot(store, day, plan=plan, rules=RULES).statuses}


@pytest.fixture(params=BACKENDS)
def env(request, tmp_path, monkeypatch):
    import tasks.store.repo as repo

    clock = {"now": LOADED}
    monkeypatch.setattr(repo, "_now", lambda: clock["now"])
    with temporary_store(request.param, tmp_path, PG_URL) as store:
        yield store, GuardedStore(store, Account("ban", "office")), clock


def test_clock_starts_at_the_plans_start_not_at_load_day(env):
    store, office, _clock = env
    office.load_plan_into_store(loop_plan("旧计划"), start=date(2021, 8, 2))  # --start in the past
    t = store.tasks("旧计划")[0]
    assert t.assigned_on == date(2021, 8, 2) and t.plan_loaded == LOADED.date()
    due = sign_due(date(2021, 8, 2), 3)
    assert due == date(2021, 8, 5)
    # replay: pending and on time up to the due day, overdue from the next day, whatever the load day
    assert not statuses(store, "旧计划", due)["1"].sign_overdue
    late = statuses(store, "旧计划", date(2021, 8, 6))["1"]
    assert late.lifecycle == "pending_sign" and late.sign_overdue and late.sign_due == due
    # signed (late) on the load day: overdue before, signed after — the same answers every time
    GuardedStore(store, Account("zwzx", "unit", unit=UNIT_A)).sign_task("旧计划", "1", at=LOADED)
    assert statuses(store, "旧计划", date(2021, 8, 19))["1"].sign_overdue
    after = statuses(store, "旧计划", LOADED.date())["1"]
    assert after.lifecycle == "in_progress" and not after.sign_overdue
    # the office moves the plan's start: the clock moves with it
    office.set_calendar("旧计划", start=date(2021, 8, 16))
    assert store.tasks("旧计划")[0].assigned_on == date(2021, 8, 16)
    assert statuses(store, "旧计划", date(2021, 8, 18))["2"].sign_due == sign_due(date(2021, 8, 16), 3)


def test_plan_in_the_past_and_plan_loaded_today_side_by_side(env):
    store, office, clock = env
    office.load_plan_into_store(loop_plan("旧计划"), start=date(2021, 8, 2))
    fresh = loop_plan("新计划")
    fresh.date = None  # no issue date, no --start: assigned the day it is loaded
    office.load_plan_into_store(fresh)
    dated = loop_plan("有日期计划")  # issue date 2021-08-09, no --start: assigned on the issue date
    office.load_plan_into_store(dated)
    assert {t.assigned_on for t in store.tasks("新计划")} == {LOADED.date()}
    assert {t.assigned_on for t in store.tasks("有日期计划")} == {date(2021, 8, 9)}
    day = LOADED.date()
    old, new = statuses(store, "旧计划", day), statuses(store, "新计划", day)
    assert all(s.sign_overdue for s in old.values() if s.lifecycle == "pending_sign")
    assert all(not s.sign_overdue and s.sign_due == sign_due(day, 3) for s in new.values())
    assert all(s.missed_reports == 0 and s.card is None for s in new.values())


def test_a_task_added_by_a_re_import_is_assigned_that_day(env):
    store, office, clock = env
    plan = loop_plan("计划")
    office.load_plan_into_store(plan, start=date(2021, 8, 2))
    clock["now"] = datetime(2021, 9, 15, 11)
    plan.tasks.append(
        Task(id="5", title="新增任务", lead_units=[UNIT_B], deadline=date(2021, 12, 31), deadline_kind="date")
    )
    office.load_plan_into_store(plan)
    by_id = {t.id: t for t in store.tasks("计划")}
    assert by_id["5"].added_on == date(2021, 9, 15) and by_id["5"].assigned_on == date(2021, 9, 15)
    assert by_id["1"].assigned_on == date(2021, 8, 2)  # unchanged by the re-import
    due = sign_due(date(2021, 9, 15), 3)
    assert due is not None
    s = statuses(store, "计划", due)["5"]
    assert s.sign_due == due and not s.sign_overdue
    assert statuses(store, "计划", date.fromordinal(due.toordinal() + 1))["5"].sign_overdue
    # as of a day before the re-import the clock had not started for task 5
    assert not statuses(store, "计划", date(2021, 9, 1))["5"].sign_overdue
