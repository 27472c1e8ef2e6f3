"""Pages do not recompute status, board, ranking, reminders, office queue, task table or upload list on a later run
without a data change (issue 18: later loads ≤ 0.5 s at province size), and do after a change."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from supervision_helpers import loop_plan
from ui_support import app_on

import tasks.board
import tasks.progress
import tasks.progress.lifecycle
import ui.common
from tasks.store import Store


@pytest.fixture
def calls(monkeypatch) -> Counter:
    """Counts of the expensive library calls the pages make (each still runs the real function)."""
    seen: Counter = Counter()

    def spy(module, name: str) -> None:
        real = getattr(module, name)

        def wrapper(*args, **kwargs):
            seen[name] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    spy(tasks.progress, "snapshot")
    spy(tasks.progress, "ranking")
    spy(tasks.progress, "reminders")
    spy(tasks.board, "build_board")
    spy(tasks.progress.lifecycle, "office_queue")
    spy(ui.common, "tasks_frame")
    spy(Store, "uploads")
    return seen


def _change_data() -> None:
    """A real data change (a lifecycle step: a unit signs a task) in the dashboard's store."""
    from tasks.progress.lifecycle import sign
    from tasks.store import default_url

    store = Store(default_url())
    try:
        key = next(p.key for p in store.plans() if p.tasks)
        task = store.tasks(key)[0]
        sign(store, key, task.id, unit=task.lead_units[0], actor="test")
    finally:
        store.dispose()


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("ui/page_overview.py", {"snapshot", "build_board", "reminders"}),
        ("ui/page_units.py", {"snapshot", "ranking"}),
        ("ui/page_tasks.py", {"snapshot", "tasks_frame"}),
        ("ui/page_progress.py", {"uploads"}),
    ],
)
def test_later_runs_reuse_what_the_first_computed(tmp_path, monkeypatch, calls, page, expected):
    at = app_on(tmp_path, monkeypatch, page)
    assert not at.exception and not at.error
    assert expected <= set(calls), calls  # the first load computed them (the spies see the calls)
    first = dict(calls)

    calls.clear()
    at.run()  # coming back to the page, nothing changed
    assert not at.exception and not at.error
    assert not calls, f"{page} recomputed {dict(calls)} without a data change"

    _change_data()
    at.run()
    assert not at.exception and not at.error
    assert expected <= set(calls), f"{page} kept stale results after a data change: {dict(calls)}"
    assert all(calls[name] <= first[name] for name in expected)


def test_supervision_page_reuses_status_and_queue_until_a_step(tmp_path, monkeypatch, calls):
    from tasks.accounts import Account, GuardedStore
    from tasks.progress.baselines import baselines

    store = Store(f"sqlite:///{tmp_path / 'wb.db'}")
    GuardedStore(store, Account("ban", "office")).load_plan_into_store(
        loop_plan("督办页面计划", date.today().year + 1), start=date.today()
    )
    at = app_on(tmp_path, monkeypatch, "ui/page_supervision.py")
    at.selectbox(key="sup_plan").set_value("督办页面计划").run()
    assert not at.exception and not at.error
    assert {"snapshot", "office_queue"} <= set(calls)
    shown = at.dataframe[0].value.copy()

    calls.clear()
    at.run()
    assert not at.exception and not at.error
    assert not calls, f"督办 recomputed {dict(calls)} without a data change"
    assert at.dataframe[0].value.equals(shown)

    at.button(key="sup_freeze").click().run()  # a step on the page changes the data …
    at.run()
    assert not at.exception and not at.error
    assert [b["kind"] for b in baselines(store, "督办页面计划")] == ["load", "manual"]
    assert calls["snapshot"] >= 1 and calls["office_queue"] >= 1  # … so the next run reads afresh
    store.dispose()


def test_a_plans_old_graph_and_plan_are_freed_when_its_data_moves(tmp_path, monkeypatch):
    """Only the newest version of a plan and its graph stays in memory (a 50,000-task graph is ~160 MiB)."""
    import gc
    import weakref

    from tasks.progress.lifecycle import sign
    from tasks.store.synthetic import synthetic_plan
    from ui.store import store_at

    url = f"sqlite:///{tmp_path / 'mem.db'}"
    monkeypatch.setenv("WORKBENCH_DB_URL", url)
    store = store_at(url)
    store.load_plan_into_store(synthetic_plan(12, 3, seed=5, title="乙市方案"), actor="test", key="乙市方案")
    graph = ui.common.plan_graph(store, "乙市方案")
    plan = ui.common.store_plans(store)["乙市方案"]
    assert ui.common.plan_graph(store, "乙市方案") is graph  # kept while nothing changes
    old_graph, old_plan = weakref.ref(graph), weakref.ref(plan)
    nodes = set(graph.nodes)
    del graph, plan

    first = store.tasks("乙市方案")[0]
    sign(store, "乙市方案", first.id, unit=first.lead_units[0], actor="test")  # the plan's data version moves
    fresh = ui.common.plan_graph(store, "乙市方案")
    assert set(fresh.nodes) == nodes and ui.common.store_plans(store)["乙市方案"].tasks
    gc.collect()
    assert old_graph() is None and old_plan() is None  # the old versions are gone, not cached
