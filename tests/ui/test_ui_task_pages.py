"""AppTest: the 任务 page's table is paged (a province's 50,000 tasks are not sent at once), the pages
hold the filtered rows in table order, and the export still has every filtered row."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook
from ui_support import app_on, downloaded, filled_template

import ui.common


def _ids(at) -> list[str]:
    return list(at.dataframe[0].value["编号"])


def test_task_table_pages_keep_the_order_and_the_export_keeps_every_row(tmp_path, monkeypatch, deferred):
    monkeypatch.setattr(ui.common, "TABLE_PAGE_ROWS", 3)  # the small plan's 4 tasks: two pages
    at = app_on(tmp_path, monkeypatch, "ui/page_tasks.py")
    assert not at.exception and not at.error
    assert _ids(at) == ["1", "2", "3"]
    assert at.number_input(key="tasks_page").value == 1
    assert any("第 1/2 页:第 1–3 项,共 4 项" in c.value for c in at.caption)
    at.number_input(key="tasks_page").set_value(2).run()
    assert _ids(at) == ["4"]
    assert any("第 2/2 页:第 4–4 项,共 4 项" in c.value for c in at.caption)

    ws = load_workbook(io.BytesIO(downloaded(at, deferred, "tasks_export")))["任务清单"]
    exported = [r[1] for r in ws.iter_rows(min_row=3, values_only=True) if r[1] is not None]
    assert exported == ["1", "2", "3", "4"]  # every filtered row, not only the page shown


def test_narrowing_the_filter_moves_a_page_beyond_the_last_back(tmp_path, monkeypatch):
    monkeypatch.setattr(ui.common, "TABLE_PAGE_ROWS", 1)
    at = app_on(tmp_path, monkeypatch, "ui/page_tasks.py")
    at.number_input(key="tasks_page").set_value(4).run()
    assert _ids(at) == ["4"]
    at.multiselect(key="tasks_units").set_value(["市政务服务中心"]).run()  # tasks 3 and 4: two pages
    assert not at.exception and not at.error
    assert at.number_input(key="tasks_page").value == 2
    assert _ids(at) == ["4"]
    at.number_input(key="tasks_page").set_value(1).run()
    assert _ids(at) == ["3"]


def test_one_page_shows_no_page_box(tmp_path, monkeypatch):
    at = app_on(tmp_path, monkeypatch, "ui/page_tasks.py")
    assert _ids(at) == ["1", "2", "3", "4"]
    assert not [n for n in at.number_input if n.key == "tasks_page"]


def test_upload_history_is_paged_and_its_download_keeps_every_upload(tmp_path, monkeypatch, deferred):
    from tasks.progress import commit_upload, validate_upload
    from tasks.store import Store

    monkeypatch.setattr(ui.common, "TABLE_PAGE_ROWS", 2)
    at = app_on(tmp_path, monkeypatch, "ui/page_progress.py")
    store = Store(f"sqlite:///{tmp_path / 'wb.db'}")
    unit = "市政务服务中心"
    for month in (7, 8, 9):
        period = f"2021-{month:02d}"
        data = filled_template(store, unit, period, "测试计划", report_date=date(2021, month, 20))
        report = validate_upload(store, data, f"{period}.xlsx", today=date(2021, month, 25))
        assert commit_upload(store, report, actor="test") is not None
    store.dispose()
    at.run()
    assert not at.exception and not at.error
    assert at.number_input(key="prog_hist_page").value == 1
    first = list(at.dataframe[0].value["报告期"])
    at.number_input(key="prog_hist_page").set_value(2).run()
    second = list(at.dataframe[0].value["报告期"])
    assert (len(first), len(second)) == (2, 1)
    assert sorted(first + second) == ["2021-07", "2021-08", "2021-09"]
    ws = load_workbook(io.BytesIO(downloaded(at, deferred, "prog_hist_xlsx"))).active
    periods = sorted(v for row in ws.iter_rows(values_only=True) for v in row if v in {"2021-07", "2021-08", "2021-09"})
    assert periods == ["2021-07", "2021-08", "2021-09"]  # the download: every upload, not one page


def test_overview_late_list_is_paged_picks_the_row_of_its_page_and_downloads_all(monkeypatch, deferred, demo_db_url):
    """总览's overdue list a page at a time (a province has tens of thousands): a row picked on page 2 is
    that page's task, and the download has every late task in the board's order. The store: a copy of the
    bundled plans with four months of demo reports (tests/conftest.py)."""
    from streamlit.testing.v1 import AppTest
    from ui_support import APP, ROOT, log_in

    from tasks.board import build_board
    from tasks.progress import snapshot
    from tasks.store import Store

    as_of = date(2021, 11, 30)
    url = demo_db_url
    monkeypatch.setenv("WORKBENCH_PLANS_DIR", str(ROOT / "data" / "plans"))
    monkeypatch.setenv("WORKBENCH_DB_URL", url)
    store = Store(url)
    late = build_board(snapshot(store, as_of)).late
    store.dispose()
    assert len(late) >= 3
    monkeypatch.setattr(ui.common, "TABLE_PAGE_ROWS", 2)

    at = AppTest.from_file(APP, default_timeout=180)
    log_in(at, "office")
    at.session_state["_as_of"] = as_of
    at.run()
    at.switch_page("ui/page_overview.py").run()
    assert not at.exception and not at.error
    table = next(d.value for d in at.dataframe if "逾期天数" in d.value.columns)
    assert list(table["编号"]) == [r.id for r in late[:2]]
    at.number_input(key="ov_late_page").set_value(2).run()
    table = next(d.value for d in at.dataframe if "逾期天数" in d.value.columns)
    assert list(table["编号"]) == [r.id for r in late[2:4]]
    at.session_state["ov_late"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception and not at.error
    assert any(m.value.startswith("##### 任务详情") and f"{late[2].id}." in m.value for m in at.markdown)

    ws = load_workbook(io.BytesIO(downloaded(at, deferred, "ov_late_xlsx"))).active
    header_row = next(i for i, row in enumerate(ws.iter_rows(values_only=True)) if "编号" in row)
    rows = list(ws.iter_rows(min_row=header_row + 2, values_only=True))
    col = list(next(ws.iter_rows(min_row=header_row + 1, max_row=header_row + 1, values_only=True))).index("编号")
    assert [str(r[col]) for r in rows if r[col] is not None] == [r.id for r in late]


def test_supervision_table_is_paged_and_its_download_has_every_task(tmp_path, monkeypatch, deferred):
    monkeypatch.setattr(ui.common, "TABLE_PAGE_ROWS", 3)
    at = app_on(tmp_path, monkeypatch, "ui/page_supervision.py")
    assert not at.exception and not at.error
    frame = next(d.value for d in at.dataframe if "督办状态" in d.value.columns)
    assert list(frame["任务编号"]) == ["1", "2", "3"]
    at.number_input(key="sup_table_page").set_value(2).run()
    frame = next(d.value for d in at.dataframe if "督办状态" in d.value.columns)
    assert list(frame["任务编号"]) == ["4"]
    ws = load_workbook(io.BytesIO(downloaded(at, deferred, "sup_table_xlsx"))).active
    ids = [str(row[0]) for row in ws.iter_rows(values_only=True) if row[0] is not None]
    assert [i for i in ids if i in {"1", "2", "3", "4"}] == ["1", "2", "3", "4"]
