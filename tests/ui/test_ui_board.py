"""AppTest: the 总览 decision board as the office and as a leader, and the task-list export button."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from ui_support import APP, ROOT, downloaded, log_in

AS_OF = date(2021, 11, 30)


@pytest.fixture
def demo_db(demo_db_url, monkeypatch):
    """The bundled plans with four months of demo reports (this test's copy of the shared demo store,
    see tests/conftest.py), as the dashboard's store."""
    from tasks.store import Store

    monkeypatch.setenv("WORKBENCH_PLANS_DIR", str(ROOT / "data" / "plans"))
    monkeypatch.setenv("WORKBENCH_DB_URL", demo_db_url)
    store = Store(demo_db_url)
    yield store
    store.dispose()


def _board_app(role: str, page: str = "ui/page_overview.py"):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=180)
    log_in(at, role)
    at.session_state["_as_of"] = AS_OF
    at.run()
    at.switch_page(page).run()
    return at


def _clean(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _expected(store):
    from tasks.board import build_board
    from tasks.progress import snapshot

    return build_board(snapshot(store, AS_OF))


def _frame(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


@pytest.mark.parametrize("role", ["office", "leader"])
def test_board_answers_what_is_late_and_who_is_lagging(role, demo_db):
    at = _board_app(role)
    _clean(at)
    board = _expected(demo_db)
    headline = at.info[0].value
    assert headline == board.headline
    # 已办结 = claims the office accepted (issue 13): 19 of the demo's tasks, not every 已完成 report
    assert headline.startswith("截至2021年11月30日,36项任务已办结19项;") and "报送率84%,较上月上升3个百分点" in headline
    late = _frame(at, "逾期天数")
    days = list(late["逾期天数"])
    assert days == sorted(days, reverse=True) and len(late) == len(board.late) >= 3
    assert list(late.columns[:6]) == ["计划", "编号", "状态", "进度", "完成时限", "预警"]  # several plans: named
    assert list(late.columns[-1:]) == ["任务"]  # long text last
    # short names, on every row (both plans have late tasks once 已办结 needs the office's acceptance)
    assert set(late["计划"]) == {"某市优化窗口服务", "政务服务便利化"}
    lagging = _frame(at, "得分")
    assert list(lagging["单位"]) == [u.unit for u in board.lagging] and len(lagging) == 5
    assert lagging["单位"].iloc[0] == "市政务服务中心"  # worst first
    assert [int(r.split("/")[0]) for r in lagging["名次"]] == sorted(
        [int(r.split("/")[0]) for r in lagging["名次"]], reverse=True
    )
    assert any("与10月相比" in m.value for m in at.markdown)  # the trend's one-line conclusion
    assert len(at.get("vega_lite_chart")) >= 2  # done/overdue and 报送率 by month
    shown = " ".join(str(v) for d in at.dataframe for v in d.value.astype(str).to_numpy().ravel())
    assert "None" not in shown and "nan" not in shown and "NaT" not in shown


def test_leader_opens_a_task_detail_read_only_without_links_it_cannot_follow(demo_db):
    at = _board_app("leader")
    _clean(at)
    at.session_state["ov_late"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    _clean(at)
    first = _expected(demo_db).late[0]
    assert any(m.value.startswith(f"##### 任务详情(只读):{first.id}.") for m in at.markdown)
    labels = [b.label for b in at.button]
    assert not any("任务页" in label for label in labels), labels  # the leader may not open 任务
    assert not at.main.text_input and not at.main.text_area and not at.main.get("arrow_data_frame_editor")  # read-only
    at.session_state["ov_lagging"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    _clean(at)
    assert any("的考评" in b.label for b in at.button)  # 单位考评 is a leader's page


@pytest.mark.parametrize("role", ["office", "leader"])
def test_task_detail_lists_the_tasks_reports(role, demo_db):
    """The detail reads the picked task's history through the index (the cached snapshot keeps none):
    its rows are the store's own rows on that task, newest first."""
    late = _expected(demo_db).late
    plans = {p.key: p for p in demo_db.plans()}
    reports = demo_db.reports(as_of=AS_OF)
    pk = {(t.plan, t.id): t.pk for t in demo_db.tasks(all_plans=True)}
    index, row = next((i, r) for i, r in enumerate(late) if any(x.task_pk == pk[r.plan, r.id] for x in reports))
    expected = [x for x in reports if x.task_pk == pk[row.plan, row.id]]
    at = _board_app(role)
    at.session_state["ov_late"] = {"selection": {"rows": [index], "columns": [], "cells": []}}
    at.run()
    _clean(at)
    assert row.plan in plans
    assert not any(c.value == "尚无填报记录。" for c in at.caption)
    history = _frame(at, "报告期")
    assert len(history) == len(expected) >= 1
    assert list(history["单位"]) == [x.unit for x in reversed(expected)]
    assert list(history["填报日期"]) == [x.report_date.isoformat() for x in reversed(expected)]


def test_office_detail_links_to_the_task_page(demo_db):
    at = _board_app("office")
    at.session_state["ov_late"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    _clean(at)
    first = _expected(demo_db).late[0]
    go = next(b for b in at.button if b.label == f"在任务页查看任务 {first.id} 的详情")
    go.click().run()
    _clean(at)
    assert at.session_state["tasks_detail_pick"] == f"{first.plan}|{first.id}"


def test_export_button_writes_the_filtered_rows(demo_db, deferred):
    at = _board_app("office", "ui/page_tasks.py")
    _clean(at)
    at.multiselect(key="tasks_status").select("逾期").run()
    _clean(at)
    from tasks.progress import snapshot

    expected = sorted((s.plan, s.id) for s in snapshot(demo_db, AS_OF).statuses if s.status == "overdue")
    blob = downloaded(at, deferred, "tasks_export")  # written when clicked, not on every run
    ws = load_workbook(io.BytesIO(blob))["任务清单"]
    header = [c.value for c in ws[2]]
    assert header[:5] == ["计划", "编号", "状态", "完成进度", "完成时限"]
    rows = [r for r in ws.iter_rows(min_row=3, values_only=True) if r[1] is not None]
    assert sorted((r[0], r[1]) for r in rows) == expected
    assert {r[2] for r in rows} == {"逾期"}
    assert ws.auto_filter.ref == f"A2:L{2 + len(rows)}"
    assert ws["E3"].is_date and ws["D3"].number_format == "0%" and isinstance(ws["D3"].value, (int, float))
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$2"


def test_reports_page_previews_the_document_before_download(demo_db):
    at = _board_app("leader", "ui/page_reports.py")
    _clean(at)
    at.text_input(key="rep_period_month").input("2021-10").run()
    at.button(key="rep_build").click().run()
    _clean(at)
    titles = [m.value for m in at.markdown if "<h3" in m.value]
    assert titles and "关于各项改革任务2021年10月任务推进情况的通报" in titles[0]
    text = " ".join(m.value for m in at.markdown)
    assert "一、总体情况" in text and "各有关单位:" in text and "2021年11月6日" in text
    tables = [d.value for d in at.dataframe]
    assert any(list(t.columns[:3]) == ["名次", "单位", "得分"] for t in tables)
    assert ">=" not in text and "None" not in text


def test_timeline_starts_each_plan_at_its_start_and_groups_by_plan(demo_db):
    from tasks.board import plan_starts
    from tasks.progress import snapshot

    at = _board_app("office", "ui/page_tasks.py")
    at.segmented_control(key="tasks_view").set_value("时间轴").run()
    _clean(at)
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    frames = [convert_arrow_bytes_to_pandas_df(d.data.data) for d in at.get("vega_lite_chart")[0].proto.datasets]
    bars = next(f for f in frames if {"开始", "计划", "完成时限"} <= set(f.columns))
    rows = [{**r, "开始": str(r["开始"]), "完成时限": str(r["完成时限"])} for r in bars.to_dict("records")]
    starts = plan_starts(snapshot(demo_db, AS_OF))
    short = {"政务服务便利化": next(k for k in starts if "耒阳" in k), "某市优化窗口服务": "某市优化窗口服务工作方案"}
    for r in rows:
        begin = starts[short[r["计划"]]].isoformat()
        assert r["开始"][:10] == min(begin, r["完成时限"][:10]), r
        assert r["任务"].startswith(r["计划"] + " · ")  # several plans: each bar names its plan
    plans_in_order = [r["计划"] for r in rows]
    assert plans_in_order == sorted(plans_in_order, key=plans_in_order.index)  # grouped, not interleaved
    assert len(set(plans_in_order)) == 2
