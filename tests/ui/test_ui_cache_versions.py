"""The dashboard's caches key on data versions: a login keeps them, a report or a decision renews them."""

from __future__ import annotations

import hashlib
from datetime import date

from accounts_helpers import make_book

from tasks.progress import lifecycle
from tasks.store.synthetic import monthly_rows, synthetic_plan
from ui import common
from ui.store import store_at


def test_login_keeps_caches_a_report_renews_them(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cache.db'}"
    monkeypatch.setenv("WORKBENCH_DB_URL", url)
    store = store_at(url)  # seeded with the bundled sample plans
    plan = synthetic_plan(20, 4, seed=2, title="甲市方案")
    store.load_plan_into_store(plan, actor="test", key="甲市方案")
    other = next(p.key for p in store.plans() if p.key != "甲市方案")
    book = make_book(store)
    book.add("office1", "office", actor="test", password="Secret-pass-123")
    as_of = date(2024, 3, 1)
    snap, plans = common.get_snapshot(store, as_of), common.store_plans(store)
    graph, other_graph = common.plan_graph(store, "甲市方案"), common.plan_graph(store, other)

    book.login("office1", "Secret-pass-123")  # writes audit rows: must not throw caches away
    assert common.get_snapshot(store, as_of) is snap
    assert common.plan_graph(store, "甲市方案") is graph
    assert common.store_plans(store)["甲市方案"] is plans["甲市方案"]

    unit, period, rows = next(iter(monthly_rows(plan, date(2024, 1, 1), 1, seed=2)))
    assert store.add_upload(
        sha256=hashlib.sha256(b"u1").hexdigest(),
        filename="u.xlsx",
        unit=unit,
        plan="甲市方案",
        person="",
        period=period,
        rows=rows,
        actor="test",
    )
    fresh = common.get_snapshot(store, as_of)
    assert fresh is not snap  # a report renews the snapshot …
    assert fresh.reports == []  # … which keeps no history rows in memory
    assert {s.id for s in fresh.statuses if s.plan == "甲市方案" and s.last_report_date} == {
        r["task_id"] for r in rows if r["report_date"] <= as_of
    }
    assert common.plan_graph(store, "甲市方案") is not graph  # … and the plan's caches
    assert common.plan_graph(store, other) is other_graph  # another plan's stay

    snap2 = common.get_snapshot(store, as_of)
    lifecycle.sign(store, "甲市方案", "3", actor="test")  # a lifecycle decision renews too
    assert common.get_snapshot(store, as_of) is not snap2


def _history_app() -> None:
    import os

    import pandas as pd

    from ui.common import store_plans
    from ui.store import store_at
    from ui.task_views import history_table

    store = store_at(os.environ["WORKBENCH_DB_URL"])
    shown = pd.DataFrame([{"计划": "甲市方案", "编号": "1", "任务": "任务1"}])
    history_table(store, store_plans(store), shown)


def test_task_history_is_read_per_task(tmp_path, monkeypatch):
    """The task page's history table comes from the task's own rows (the cached snapshot keeps none)."""
    from streamlit.testing.v1 import AppTest

    url = f"sqlite:///{tmp_path / 'hist.db'}"
    monkeypatch.setenv("WORKBENCH_DB_URL", url)
    store = store_at(url)
    plan = synthetic_plan(6, 2, seed=4, title="甲市方案")
    store.load_plan_into_store(plan, actor="test", key="甲市方案")
    for unit, period, rows in monthly_rows(plan, date(2024, 1, 1), 3, seed=4):
        store.add_upload(
            sha256=hashlib.sha256(f"{unit}{period}".encode()).hexdigest(),
            filename="u.xlsx",
            unit=unit,
            plan="甲市方案",
            person="",
            period=period,
            rows=rows,
            actor="test",
        )
    mine = [r for r in store.reports(plan="甲市方案") if r.task_id == "1"]
    at = AppTest.from_function(_history_app, default_timeout=60).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == len(mine) > 0
    assert list(table["进展情况"]) == [r.progress for r in reversed(mine)]
