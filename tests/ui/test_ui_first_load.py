"""Issue 18, first loads: the 各地区比较 page computes its comparison once per data version (a later run
reuses it, a data change recomputes it), the 任务 page's table view reads no plan, and the 总览 page's unit
list for printouts comes with the snapshot."""

from __future__ import annotations

from collections import Counter

import pytest
from ui_support import app_on

import tasks.accounts.guarded
import tasks.store.views
import ui.common
from tasks.store import Store


@pytest.fixture
def calls(monkeypatch) -> Counter:
    seen: Counter = Counter()

    def spy(owner, name: str) -> None:
        real = getattr(owner, name)

        def wrapper(*args, **kwargs):
            seen[name] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, wrapper)

    spy(tasks.accounts.guarded.GuardedStore, "compare_regions")
    spy(tasks.store.views, "plan_from_store")
    spy(ui.common, "tasks_frame")
    return seen


def _change_data() -> None:
    from tasks.progress.lifecycle import sign
    from tasks.store import default_url

    store = Store(default_url())
    try:
        key = next(p.key for p in store.plans() if p.tasks)
        task = store.tasks(key)[0]
        sign(store, key, task.id, unit=task.lead_units[0], actor="test")
    finally:
        store.dispose()


def test_the_region_comparison_is_computed_once_per_data_version(tmp_path, monkeypatch, calls):
    at = app_on(tmp_path, monkeypatch, "ui/page_regions.py")
    assert not at.exception and not at.error
    assert calls["compare_regions"] == 1
    table = at.dataframe[0].value.copy()

    at.run()
    assert not at.exception and not at.error
    assert calls["compare_regions"] == 1  # the same figures, not recomputed
    assert at.dataframe[0].value.equals(table)

    at.radio(key="regions_by").set_value("region").run()  # another comparison: computed
    assert calls["compare_regions"] == 2

    _change_data()
    at.run()
    assert not at.exception and not at.error
    assert calls["compare_regions"] == 3  # a data change: computed afresh


def test_the_task_table_reads_no_plan_until_a_view_needs_one(tmp_path, monkeypatch, calls):
    at = app_on(tmp_path, monkeypatch, "ui/page_tasks.py")
    assert not at.exception and not at.error
    assert calls["tasks_frame"] >= 1 and calls["plan_from_store"] == 0
    assert len(at.dataframe[0].value) > 0

    at.segmented_control(key="tasks_view").set_value("时间轴").run()  # the timeline draws the plans' milestones
    assert not at.exception and not at.error
    assert calls["plan_from_store"] >= 1


def test_the_overview_lists_the_units_of_the_snapshot(tmp_path, monkeypatch):
    from tasks import is_collective

    at = app_on(tmp_path, monkeypatch, "ui/page_overview.py")
    assert not at.exception and not at.error
    snap = ui.common.get_snapshot(ui.common.get_raw_store())
    expected = sorted({u for s in snap.statuses for u in s.lead_units + s.responsible_units if not is_collective(u)})
    assert at.selectbox(key="ov_print_unit").options == expected


def test_a_kept_build_runs_paused_and_lands_in_the_oldest_generation():
    """What a cache keeps is built with the collector off and moved to its oldest generation as the
    pause ends: no young collection walks a 50,000-task plan or graph on its way into the cache."""
    import gc

    seen: dict[str, object] = {}

    def make() -> list[list[int]]:
        seen["collector on"] = gc.isenabled()
        seen["collections"] = gc.get_stats()[0]["collections"]  # read inside: nothing else allocates between
        return [[i] for i in range(5000)]

    value = ui.common.NewestVersions().get("plan", 1, make)
    assert seen["collector on"] is False and gc.isenabled()
    assert gc.get_stats()[0]["collections"] == seen["collections"]  # no young collection on the way
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert id(value) in oldest and id(value[-1]) in oldest


def test_the_overview_builds_its_cached_board_with_the_collector_paused(tmp_path, monkeypatch):
    import gc

    import tasks.board

    real = tasks.board.build_board
    seen: list[bool] = []

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(tasks.board, "build_board", spy)
    at = app_on(tmp_path, monkeypatch, "ui/page_overview.py")
    assert not at.exception and not at.error
    assert seen == [False] and gc.isenabled()
