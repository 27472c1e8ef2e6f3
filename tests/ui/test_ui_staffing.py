"""AppTest: 排班 — a staffing run produces the requirement table; a bad target is a Chinese message."""

from __future__ import annotations

import pytest
from ui_support import app_on


def test_staffing_run_produces_a_requirement_table(tmp_path, monkeypatch):
    at = app_on(tmp_path, monkeypatch, "ui/page_staffing.py", timeout=300)
    assert not at.exception and not at.error
    at.radio(key="staff_method").set_value("仅 Erlang C").run()
    at.button(key="staff_run").click().run()
    assert not at.exception and not at.error
    table = next(d.value for d in at.dataframe if "Erlang C 窗口数" in d.value.columns)
    assert {"窗口组", "星期", "时段"} <= set(table.columns)
    assert len(table) > 100 and (table["Erlang C 窗口数"] >= 1).all()
    assert set(table["星期"]) >= {"周一", "周五"}
    labels = {m.label: m.value for m in at.metric}
    assert float(labels["Erlang C 窗口·小时/周"]) > 0


def test_service_target_is_two_numbers_in_a_form(tmp_path, monkeypatch):
    at = app_on(tmp_path, monkeypatch, "ui/page_staffing.py")
    assert not at.exception and not at.main.text_input  # no "90%<=15" to type
    assert {n.label for n in at.number_input} >= {"达标比例(%)", "等候不超过(分钟)"}
    at.number_input(key="staff_target_pct").set_value(80.0).run()
    at.number_input(key="staff_target_min").set_value(20.0).run()
    assert not at.exception and not at.error
    assert any("至少80%的群众等候时间不超过20分钟" in i.value for i in at.info)
    assert at.session_state["staff_target"] == "80%<=20"


@pytest.mark.slow
def test_roster_solve_gives_a_grid_and_a_verification(tmp_path, monkeypatch):
    at = app_on(tmp_path, monkeypatch, "ui/page_staffing.py", timeout=300)
    at.number_input(key="roster_weeks").set_value(1).run()
    at.number_input(key="roster_limit").set_value(3).run()
    at.radio(key="roster_method").set_value("Erlang C").run()
    at.button(key="roster_run").click().run()
    assert not at.exception and not at.error
    grid = next(d.value for d in at.dataframe if "周末值班" in d.value.columns)  # not the staff list above it
    assert len(grid) == 40 and len(grid.columns) == 2 + 7 + 1
    day_cols = grid.columns[2:9]
    assert grid[day_cols].isin(["休", "假"]).to_numpy().sum() < grid[day_cols].size  # people are on duty
    metrics = {m.label: m.value for m in at.metric}
    assert "仿真验证达标时段" in metrics and metrics["求解状态"] in ("最优", "可行")
    assert at.get("vega_lite_chart")  # the pass/fail map of the verification
    at.checkbox(key="roster_only_failed").uncheck().run()
    slots = next(d.value for d in at.dataframe if "在岗人数" in d.value.columns)
    assert set(slots["达标"]) <= {"是", "否"} and len(slots) > 50
