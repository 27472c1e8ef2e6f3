"""Store.tasks answers one plan from every plan's cached list, and every plan from the only live plan's."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from accounts_helpers import BACKENDS, PG_URL
from sqlalchemy import event, update

from tasks.model import Plan, Task
from tasks.store import Store, StoreError
from tasks.store.kept import bump_version
from tasks.store.schema import PlanRow
from tasks.store.testing import temporary_store


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with temporary_store(request.param, tmp_path, PG_URL) as s:
        yield s


def small_plan(title: str, ids: tuple[str, ...]) -> Plan:
    """A plan of tasks ``ids``: task n led by 市单位n and joined by 市公安局, due n months into 2022, 2 after 1."""
    return Plan(
        title=title,
        date=date(2021, 8, 9),
        tasks=[
            Task(
                id=i,
                title=f"{title}任务{i}",
                lead_units=[f"市单位{i}"],
                responsible_units=["市公安局"],
                deadline=date(2022, int(i), 28),
                deadline_kind="date",
                predecessors=["1"] if i == "2" else [],
            )
            for i in ids
        ],
    )


class TaskReads:
    """Counts the statements that read the tasks table."""

    def __init__(self, store: Store) -> None:
        self.n = 0
        event.listen(store.engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if "FROM tasks" in statement:
            self.n += 1


def _fresh(store: Store, **kw) -> list[tuple]:
    """The same call on a second Store of the same database (nothing cached), as plain tuples."""
    other = Store(engine=store.engine, upgrade=False)
    return [dataclasses.astuple(t) for t in other.tasks(**kw)]


def _rows(tasks) -> list[tuple]:
    return [dataclasses.astuple(t) for t in tasks]


def test_one_plan_from_every_plans_list(store):
    store.load_plan_into_store(small_plan("甲方案", ("1", "2", "3")), actor="t", key="甲")
    store.load_plan_into_store(small_plan("乙方案", ("1", "4")), actor="t", key="乙")
    every = store.tasks(all_plans=True)
    reads = TaskReads(store)
    mine = store.tasks("乙")
    assert reads.n == 0
    assert [t.id for t in mine] == ["1", "4"] and {t.plan for t in mine} == {"乙"}
    assert _rows(mine) == _fresh(store, plan="乙") and len(every) == 5
    with pytest.raises(StoreError):  # an unknown plan still asks the database, which refuses it
        store.tasks("丙")


def test_every_plan_from_the_only_live_plans_list(store):
    store.load_plan_into_store(small_plan("甲方案", ("1", "2", "3")), actor="t", key="甲")
    mine = store.tasks("甲")
    reads = TaskReads(store)
    every = store.tasks(all_plans=True)
    assert reads.n == 0
    assert _rows(every) == _rows(mine) == _fresh(store, all_plans=True)


def test_two_live_plans_or_an_archived_one_are_read_from_the_database(store):
    store.load_plan_into_store(small_plan("甲方案", ("1", "2", "3")), actor="t", key="甲")
    store.load_plan_into_store(small_plan("乙方案", ("1", "4")), actor="t", key="乙")
    store.tasks("甲")
    reads = TaskReads(store)
    every = store.tasks(all_plans=True)  # 甲's list alone is not every plan's
    assert reads.n > 0 and [t.plan for t in every] == ["甲"] * 3 + ["乙"] * 2
    # an archived plan is left out of every plan's list; asked for by its key, the database answers (refuses)
    with store.session(write=True) as s:  # as a writing transaction of the store does, it moves the version
        s.execute(update(PlanRow).where(PlanRow.key == "乙").values(archived=True))
        bump_version(s)
    every = store.tasks(all_plans=True)
    assert [t.plan for t in every] == ["甲"] * 3
    reads.n = 0
    with pytest.raises(StoreError, match="乙"):
        store.tasks("乙")
    assert _fresh(store, all_plans=True) == _rows(every)
