"""Report workbooks print and filter as an office expects: dates are dates, percentages are numbers with a
percent format, every table has an autofilter, A4 with the header rows repeated and fitted to the width."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import load_workbook
from progress_helpers import fill, small_plan

from tasks.progress import (
    build_report,
    commit_upload,
    default_rules,
    reminders_xlsx,
    report_xlsx,
    template_bytes,
    validate_upload,
)
from tasks.store import Store

RULES = default_rules()


def _report(tmp_path) -> bytes:
    s = Store(f"sqlite:///{tmp_path / 'r.db'}")
    s.load_plan_into_store(small_plan(), actor="cli")
    for m in ("2021-08", "2021-09"):
        s.open_period(m, "cli")
    data = fill(
        template_bytes(s, "市审改办", "2021-09"),
        {
            "1": {"status": "推进中", "percent": 30, "date": date(2021, 9, 20)},
            "2": {"status": "推进中", "percent": 90, "date": date(2021, 9, 20)},
        },
    )
    commit_upload(s, validate_upload(s, data, "a.xlsx", unit="市审改办", today=date(2021, 10, 1), rules=RULES), "cli")
    out = report_xlsx(build_report(s, "quarter", "2021-Q3", rules=RULES))
    s.dispose()
    return out


def test_report_sheets_have_typed_cells_filters_and_print_setup(tmp_path):
    wb = load_workbook(io.BytesIO(_report(tmp_path)))
    for ws in wb.worksheets:
        assert ws.page_setup.paperSize in (9, "9"), ws.title  # A4
        assert ws.print_title_rows == "$1:$2", ws.title  # header repeated
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, ws.title
        if ws.max_row > 2 and ws.cell(3, 1).value not in (None, "(无)"):
            assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A2:"), ws.title
    tasks = wb["任务状态"]
    assert tasks.page_setup.orientation == "landscape"  # a wide table
    header = [c.value for c in tasks[2]]
    rows = {r[1]: r for r in tasks.iter_rows(min_row=3, values_only=True)}
    due, progress, last = header.index("完成时限"), header.index("完成进度"), header.index("最近填报")
    assert rows["2"][due] == datetime(2021, 8, 31) and rows["1"][progress] == 0.3
    assert rows["1"][last] == datetime(2021, 9, 20)
    assert tasks.cell(3 + list(rows).index("1"), progress + 1).number_format == "0%"
    assert tasks.cell(3, due + 1).number_format == "yyyy-mm-dd"
    assert rows["3"][due] == "长期坚持"  # an ongoing task keeps its words
    rank = wb["单位排名"]
    col = [c.value for c in rank[2]].index("报送率") + 1
    assert isinstance(rank.cell(3, col).value, float) and rank.cell(3, col).number_format == "0%"
    assert wb["概况"]["B3"].is_date


def test_reminder_sheet_due_dates_are_dates(tmp_path):
    from tasks.progress import Reminder

    ws = load_workbook(
        io.BytesIO(
            reminders_xlsx([Reminder("市财政局", "2021-10", date(2021, 11, 5), True, [{"id": "3", "title": "窗口"}])])
        )
    ).active
    assert ws["C3"].value == datetime(2021, 11, 5) and ws["C3"].number_format == "yyyy-mm-dd"
    assert ws.auto_filter.ref == "A2:F3"
