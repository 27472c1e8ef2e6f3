"""Status at province size (issue 18): what the faster kept path caches and shares stays exact.

- ``Store.tasks`` is read once per data version: the same records until any change of data (by
  this store or another process on the same database) moves the version; a bounded number kept.
- The card memo of one status computation shares entries between tasks whose figures differ only
  where the rules do not look: every card and reason equals the one worked out without the memo.
"""

from __future__ import annotations

import random
from datetime import date

import pytest
from accounts_helpers import BACKENDS, PG_URL

from tasks.model import Plan, Task
from tasks.progress import default_rules
from tasks.progress.lifecycle import set_calendar
from tasks.progress.rules import STATUSES, rules_from_dict
from tasks.progress.status import _card_of
from tasks.store import Store
from tasks.store.repo import _TASKS_CACHED
from tasks.store.testing import temporary_store


def _plan(*extra: Task) -> Plan:
    return Plan(
        "缓存方案",
        date=date(2024, 1, 5),
        tasks=[
            Task("1", "任务一", lead_units=["市财政局", "市公安局"], deadline=date(2024, 6, 30)),
            Task("2", "任务二", lead_units=["市司法局"], responsible_units=["市财政局"], deadline=date(2024, 9, 30)),
            *extra,
        ],
    )


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with temporary_store(request.param, tmp_path, PG_URL) as s:
        s.load_plan_into_store(_plan(), actor="test", key="p")
        yield s


def test_tasks_are_read_once_per_data_version(store):
    first = store.tasks("p")
    again = store.tasks("p")
    assert again == first and all(a is b for a, b in zip(again, first))  # the same records…
    again.append(first[0])  # …in a new list each time: a caller's list is its own
    assert len(store.tasks("p")) == 2
    assert store.tasks("p") == store._read_tasks("p", all_plans=False, include_archived=False, unit=None)

    store.set_predecessors("p", "2", ["1"], actor="test")
    assert [t.predecessors for t in store.tasks("p")] == [[], ["1"]]

    before = {t.id: t.assigned_on for t in store.tasks("p")}
    set_calendar(store, "p", start=date(2024, 2, 1), cycle="monthly", actor="test")
    assert before == {"1": date(2024, 1, 5), "2": date(2024, 1, 5)}
    assert {t.id: t.assigned_on for t in store.tasks("p")} == {"1": date(2024, 2, 1), "2": date(2024, 2, 1)}

    # a re-import adds task 3 and drops task 1 (archived): both show at once
    plan = _plan(Task("3", "任务三", lead_units=["市数据局"]))
    plan.tasks = plan.tasks[1:]
    store.load_plan_into_store(plan, actor="test", key="p")
    assert [t.id for t in store.tasks("p")] == ["2", "3"]
    assert [(t.id, t.archived) for t in store.tasks("p", include_archived=True)] == [
        ("1", True),
        ("2", False),
        ("3", False),
    ]
    assert store.tasks("p")[0].predecessors == []  # the re-imported list (without predecessors) replaced it
    for key, all_plans, archived, unit in [("p", False, False, None), (None, True, False, None),
                                            ("p", False, True, None), (None, False, False, "市财政局")]:  # fmt: skip
        kw = {"all_plans": all_plans, "include_archived": archived, "unit": unit}
        assert store.tasks(key, **kw) == store._read_tasks(key, **kw)


def test_another_store_on_the_same_database_moves_the_version(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    reader, writer = Store(url), Store(url)
    try:
        writer.load_plan_into_store(_plan(), actor="test", key="p")
        assert [t.title for t in reader.tasks("p")] == ["任务一", "任务二"]
        plan = _plan()
        plan.tasks[0].title = "任务一(修订)"
        writer.load_plan_into_store(plan, actor="test", key="p")
        assert [t.title for t in reader.tasks("p")] == ["任务一(修订)", "任务二"]
    finally:
        reader.dispose()
        writer.dispose()


def test_the_task_cache_is_bounded(store):
    units = ["市财政局", "市公安局", "市司法局", "市数据局", "市气象局", "市教育局"]
    for unit in units:
        store.tasks(unit=unit)
    assert len(store._tasks_cache) == _TASKS_CACHED < len(units)
    assert [t.id for t in store.tasks(unit="市财政局")] == ["1", "2"]  # evicted, read again


RULE_SETS = {
    "default": default_rules(),
    "strict": rules_from_dict(
        {
            "levels": [
                {"key": "blue", "name": "蓝牌", "when": ["late_reports >= 1", "missed_reports >= 1"]},
                {"key": "orange", "name": "橙牌", "when": ["status == at_risk"]},
                {"key": "red", "name": "红牌", "when": ["status == overdue", "missed_reports >= 2"]},
            ]
        }
    ),
    "by_report": rules_from_dict(
        {
            "levels": [
                {"key": "blue", "name": "蓝牌", "when": ["missed_reports >= 1"]},
                {"key": "red", "name": "红牌", "when": ["status == at_risk", "gap > 30", "status == not_started"]},
            ]
        }
    ),
    # numbers only (no status condition): the overdue days matter only where a condition holds
    "numbers": rules_from_dict(
        {
            "levels": [
                {"key": "yellow", "name": "黄牌", "when": ["gap >= 10", "late_reports > 2", "overdue_days < 0"]},
                {"key": "red", "name": "红牌", "when": ["overdue_days >= 30", "missed_reports == 3"]},
            ]
        }
    ),
}


@pytest.mark.parametrize("name", sorted(RULE_SETS))
def test_the_card_memo_gives_each_tasks_own_card_and_reason(name):
    rules = RULE_SETS[name]
    figures = [
        (status, streak, late, overdue, gap)
        for status in STATUSES
        for streak in (0, 1, 2, 3, 4)
        for late in (0, 1, 3)
        for overdue in (0, 1, 12, 29, 30, 45)
        for gap in (-5.0, 0, 4.9, 10, 10.5, 30, 30.1, 55.25)
    ]
    random.Random(18).shuffle(figures)
    memo: dict = {}
    cards = [_card_of(rules, f, memo) for f in figures]
    assert cards == [_card_of(rules, f) for f in figures]  # without a memo: worked out one by one
    assert any(cards) and None in cards
    reasons = {c[3] for c in cards if c}
    assert len(memo) < len(figures) / 2  # tasks share entries…
    assert len(reasons) > 5  # …and still get their own figures in the reason
