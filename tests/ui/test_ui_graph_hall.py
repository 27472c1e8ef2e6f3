"""AppTest: 依赖图 (critical path, slip impact) and 窗口仿真 (a run gives KPIs; a bad scenario is refused)."""

from __future__ import annotations

import io
import json
import re

from ui_support import app_on


def test_graph_page_shows_critical_path_and_slip_impact(tmp_path, monkeypatch):
    at = app_on(tmp_path, monkeypatch, "ui/page_graph.py")
    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["任务"] == "4" and metrics["前置关系"] == "1" and metrics["关键路径长度"] == "2"
    assert "digraph" in at.get("graphviz_chart")[0].proto.spec
    at.selectbox(key="graph_slip_task").set_value("1").run()
    at.number_input(key="graph_slip_days").set_value(90).run()  # 2021-06-30 + 90 d > task 2's 2021-08-31
    assert not at.exception
    assert any("1 项后续任务" in w.value for w in at.warning)
    slip = next(d.value for d in at.dataframe if "超期(天)" in d.value.columns)
    assert list(slip["编号"]) == ["2"] and int(slip["超期(天)"].iloc[0]) == 28
    at.number_input(key="graph_slip_days").set_value(30).run()  # 2021-07-30: task 2 absorbs it
    assert any("没有后续任务" in s.value for s in at.success)


def test_hall_run_produces_kpis_with_intervals(tmp_path, monkeypatch):
    at = app_on(tmp_path, monkeypatch, "ui/page_hall.py")
    assert not at.exception and not at.error
    at.number_input(key="hall_reps").set_value(2).run()
    at.number_input(key="hall_days").set_value(1).run()
    at.number_input(key="hall_seed").set_value(11).run()
    at.button(key="hall_run").click().run()
    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert float(metrics["平均等候(分钟)"]) > 0
    assert metrics["目标内办理比例"].endswith("%")
    assert int(metrics["取号人次"]) > 1000
    assert any("95%CI" in c.value for c in at.caption)
    charts = at.get("vega_lite_chart")
    assert len(charts) >= 3  # heat-map, queue length, utilisation


def test_bad_scenario_upload_names_sheet_row_and_column(tmp_path, monkeypatch):
    from openpyxl import load_workbook
    from ui_support import ROOT

    wb = load_workbook(ROOT / "data" / "hall" / "sample-hall.xlsx")
    ws = wb["窗口组"]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("可办业务") + 1, "不存在的业务")
    buf = io.BytesIO()
    wb.save(buf)
    at = app_on(tmp_path, monkeypatch, "ui/page_hall.py")
    at.radio(key="hall_source").set_value("上传场景文件").run()
    at.file_uploader(key="hall_upload").set_value(("我的大厅.xlsx", buf.getvalue(), "application/octet-stream")).run()
    assert not at.exception
    msg = " ".join(e.value for e in at.error)
    assert "我的大厅.xlsx" in msg and "窗口组" in msg and "第2行" in msg and "不存在的业务" in msg
    assert not [b for b in at.button if b.key == "hall_run"]


def test_hall_comparison_puts_scenarios_side_by_side(tmp_path, monkeypatch):
    at = app_on(tmp_path, monkeypatch, "ui/page_hall.py")
    at.number_input(key="hall_days").set_value(1).run()
    at.radio(key="hall_cmp_kind").set_value("周末轮班:开 vs 关").run()
    at.number_input(key="hall_cmp_reps").set_value(2).run()
    at.button(key="hall_cmp_run").click().run()
    assert not at.exception and not at.error
    table = next(d.value for d in at.dataframe if "指标" in d.value.columns and len(d.value.columns) == 3)
    names = [c for c in table.columns if c != "指标"]
    assert len(names) == 2 and names[0].endswith("周末轮班开") and names[1].endswith("周末轮班关")
    rows = table.set_index("指标")
    assert re.fullmatch(r"\d+\.\d ± \d+\.\d", rows.loc["平均等候(分钟)", names[0]])  # minutes, one decimal
    assert re.fullmatch(r"\d+\.\d% ± \d+\.\d%", rows.loc["窗口利用率", names[0]])  # shares as percentages
    sentence = next(i.value for i in at.info if i.value.startswith("关闭周末轮班:"))
    found = re.search(r"95%置信区间 (-?[\d.]+)–(-?[\d.]+)", sentence.replace("−", "-"))
    assert found, sentence
    lo, hi = map(float, found.groups())
    assert re.match(r"关闭周末轮班:平均等候(增加|减少|不变)", sentence) and lo <= hi
    chart = json.dumps(json.loads(at.get("vega_lite_chart")[-1].proto.spec), ensure_ascii=False)
    assert all(day in chart for day in ("周一", "周三", "周日"))  # every weekday label
