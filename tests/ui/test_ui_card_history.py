"""AppTest: the 任务 page's task detail lists the task's stored card history (预警牌履历) in Chinese."""

from __future__ import annotations

from datetime import date

from ui_support import app_on, small_plan

from tasks.accounts import Account, GuardedStore
from tasks.progress import default_rules
from tasks.progress.card_history import card_history, record_card_history
from tasks.store import Store


def test_task_detail_shows_card_history(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'wb.db'}"
    store = Store(url)
    try:
        GuardedStore(store, Account("ban", "office")).load_plan_into_store(small_plan(), start=date(2021, 6, 1))
        record_card_history(store, "测试计划", actor="ban", as_of=date(2021, 12, 10), rules=default_rules())
        expected = [r for r in card_history(store, "测试计划") if r.task == "1"]
    finally:
        store.dispose()
    assert expected and expected[0].kind == "issued"
    at = app_on(tmp_path, monkeypatch, "ui/page_tasks.py", db_url=url)
    at.segmented_control(key="tasks_view").set_value("任务详情").run()
    at.selectbox(key="tasks_detail_pick").set_value("测试计划|1").run()
    assert not at.exception
    tables = [d.value for d in at.dataframe if "变化" in list(d.value.columns)]
    assert len(tables) == 1
    df = tables[0]
    assert list(df.columns) == ["日期", "检查", "变化", "原因", "规则", "申诉"]
    assert list(df["日期"]) == [r.checked_on.isoformat() for r in expected]
    assert df["变化"].iloc[0] == f"发出{expected[0].level_name}"
    assert "None" not in df.to_string() and "nan" not in df.to_string()
    assert any("预警牌履历" in m.value for m in at.markdown)
