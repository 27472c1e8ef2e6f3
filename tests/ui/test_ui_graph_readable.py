"""AppTest: the 依赖图 page opens on a readable view (critical path + the picked task's neighbours, coloured
by status, wrapped labels); the whole plan is one click away."""

from __future__ import annotations

from ui_support import app_on


def test_graph_opens_readable_and_the_whole_plan_is_one_click_away(tmp_path, monkeypatch):
    at = app_on(tmp_path, monkeypatch, "ui/page_graph.py")
    assert not at.exception and not at.error
    first = at.get("graphviz_chart")[0].proto.spec
    # the small plan: critical path 1 -> 2; task 1 is overdue today (due 2021-06-30), so it is filled red
    assert "1. 清理证明事项" in first and "2. 公布保留证明清单" in first
    assert 'fillcolor="#ffcdd2"' in first and "逾期" in first and "penwidth=3" in first
    assert "unit:" not in first and "市审改办" not in first  # no unit clutter in the first view
    at.selectbox(key="graph_readable_focus").set_value("3").run()  # task 3 has no links: it joins the view
    assert "3. 设立综合窗口" in at.get("graphviz_chart")[0].proto.spec
    at.segmented_control(key="graph_view").set_value("整个计划").run()
    assert not at.exception and not at.error
    whole = at.get("graphviz_chart")[0].proto.spec
    assert "4. 推行周末无休" in whole and "市审改办" in whole  # every task and the units
