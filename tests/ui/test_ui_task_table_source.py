"""The 任务 table built from a plan's stored task dicts (no Task objects, issue 18) is the table built from
the plan's Task objects, column for column, for the bundled sample plans and a province-sized synthetic one."""

from __future__ import annotations

import pandas as pd
import pytest

from tasks.samples import plan_files, read_plan_file
from tasks.store import Store, plan_task_dicts
from tasks.store.synthetic import synthetic_plan
from ui.common import tasks_frame


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'wb.db'}")
    yield s
    s.dispose()


def _plans():
    out = [(f"样例{i}", read_plan_file(p)) for i, p in enumerate(plan_files())]
    out.append(("合成方案", synthetic_plan(300, 12, seed=3, title="合成方案")))
    return out


def test_dicts_and_task_objects_give_the_same_table(store):
    plans = _plans()
    assert plans
    for key, plan in plans:
        store.load_plan_into_store(plan, actor="test", key=key)
    first = store.tasks(plans[0][0])
    if len(first) > 2:  # a link edited in the dashboard: both sources show the current predecessors
        store.set_predecessors(plans[0][0], first[2].id, [first[0].id], actor="test")
    for key, _plan in plans:
        stored = store.plan(key)
        status = {t.id: s for t, s in zip(stored.tasks, ["overdue", "done", "", "on_track"] * len(stored.tasks))}
        by_objects = tasks_frame(stored.tasks, key, status)
        by_dicts = tasks_frame(plan_task_dicts(store, key), key, status)
        pd.testing.assert_frame_equal(by_dicts, by_objects)
        assert len(by_dicts) == len(stored.tasks)


def test_an_empty_table_has_the_columns():
    assert list(tasks_frame([], "")) == list(tasks_frame([], "", {}))
    assert "_lead" in tasks_frame([], "").columns
