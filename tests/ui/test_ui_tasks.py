"""AppTest: the 任务 page shows the plans' tasks and its filters narrow the table."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from ui_support import APP, log_in, write_small_plan


@pytest.fixture
def app(tmp_path, monkeypatch):
    plans = tmp_path / "plans"
    write_small_plan(plans)
    monkeypatch.setenv("WORKBENCH_PLANS_DIR", str(plans))
    monkeypatch.setenv("WORKBENCH_DB_URL", f"sqlite:///{tmp_path / 'wb.db'}")
    at = AppTest.from_file(APP, default_timeout=60)
    log_in(at)
    at.run()
    at.switch_page("ui/page_tasks.py").run()
    return at


def test_tasks_page_shows_the_plan_in_chinese(app):
    assert not app.exception
    df = app.dataframe[0].value
    # one plan shown: no 计划 column repeating its title in every row
    assert list(df.columns)[:5] == ["编号", "板块", "任务", "具体内容", "牵头单位"]
    assert sorted(df["编号"]) == ["1", "2", "3", "4"]
    assert "推行周末无休" in set(df["任务"])


def test_unit_filter_narrows_the_table(app):
    app.multiselect(key="tasks_units").set_value(["市政务服务中心"]).run()
    df = app.dataframe[0].value
    assert sorted(df["编号"]) == ["3", "4"]
    app.radio(key="tasks_role").set_value("责任").run()
    assert len(app.dataframe[0].value) == 0


def test_deadline_range_and_search_narrow_the_table(app):
    from datetime import date

    app.checkbox(key="tasks_undated").uncheck().run()
    app.date_input(key="tasks_range").set_value((date(2021, 7, 1), date(2021, 12, 31))).run()
    assert sorted(app.dataframe[0].value["编号"]) == ["2", "3"]
    app.text_input(key="tasks_text").input("综合窗口").run()
    assert list(app.dataframe[0].value["编号"]) == ["3"]


def _open_predecessors(app):
    app.multiselect(key="tasks_plans").set_value(["测试计划"]).run()
    app.segmented_control(key="tasks_view").set_value("前置任务").run()
    assert not app.exception


def test_predecessor_edit_with_a_cycle_is_refused(app, tmp_path):
    from tasks.store import Store

    _open_predecessors(app)
    app.selectbox(key="pred_one_task").set_value("1").run()
    app.text_input(key="pred_one_text").input("2").run()
    app.button(key="pred_one_check").click().run()
    errors = " ".join(e.value for e in app.error)
    assert "循环" in errors and "未保存" in errors
    assert not [b for b in app.button if b.key == "pred_save"]
    stored = {t.id: t.predecessors for t in Store(f"sqlite:///{tmp_path / 'wb.db'}").tasks("测试计划")}
    assert stored["1"] == [] and stored["2"] == ["1"]


def test_predecessor_edit_without_problems_is_saved(app, tmp_path):
    from tasks.store import Store

    _open_predecessors(app)
    app.selectbox(key="pred_one_task").set_value("3").run()
    app.text_input(key="pred_one_text").input("2").run()
    app.button(key="pred_one_check").click().run()
    assert not app.error
    app.button(key="pred_save").click().run()
    assert not app.exception
    stored = {t.id: t.predecessors for t in Store(f"sqlite:///{tmp_path / 'wb.db'}").tasks("测试计划")}
    assert stored["3"] == ["2"]
    assert any("已保存" in s.value for s in app.success)


def test_predecessor_edit_with_an_inversion_needs_confirmation(app, tmp_path):
    from tasks.store import Store

    _open_predecessors(app)
    app.selectbox(key="pred_one_task").set_value("1").run()
    app.text_input(key="pred_one_text").input("3").run()  # 3 is due 2021-12-31, task 1 on 2021-06-30
    app.button(key="pred_one_check").click().run()
    assert not app.error
    assert any("早184天" in w.value for w in app.warning)
    assert app.button(key="pred_save").disabled
    app.checkbox(key="pred_accept_inversions").check().run()
    app.button(key="pred_save").click().run()
    assert not app.exception
    stored = {t.id: t.predecessors for t in Store(f"sqlite:///{tmp_path / 'wb.db'}").tasks("测试计划")}
    assert stored["1"] == ["3"]


def test_plan_column_shows_short_names_when_several_plans_are_shown():
    import pandas as pd

    from ui.common import short_plan_names, table_for_display

    long = "耒阳市2021年优化营商环境“政务服务便利化”攻坚行动方案任务分解表"
    names = short_plan_names([long, "某市优化窗口服务工作方案", "某市2022年深化政务服务改革重点任务清单及分工"])
    assert names[long] == "政务服务便利化"
    assert names["某市优化窗口服务工作方案"] == "某市优化窗口服务"
    assert len(names["某市2022年深化政务服务改革重点任务清单及分工"]) <= 12
    df = pd.DataFrame({"计划": [long, "某市优化窗口服务工作方案"], "编号": ["1", "1"], "_lead": [[], []]})
    assert list(table_for_display(df, 2)["计划"]) == ["政务服务便利化", "某市优化窗口服务"]
    assert "计划" not in table_for_display(df.iloc[:1], 1).columns
    # two titles that shorten alike keep their full titles rather than become indistinguishable
    twins = short_plan_names(["甲市“一网通办”方案", "乙市“一网通办”方案"])
    assert twins == {"甲市“一网通办”方案": "甲市“一网通办”方案", "乙市“一网通办”方案": "乙市“一网通办”方案"}
