"""Period reports: month/quarter/half periods, styled xlsx, editable docx bulletin, clear errors."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from progress_helpers import fill, small_plan

from tasks.errors import WorkbenchError
from tasks.progress import (
    build_report,
    commit_upload,
    default_rules,
    report_xlsx,
    template_bytes,
    validate_upload,
    write_report,
)
from tasks.store import Store

RULES = default_rules()


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'r.db'}")
    s.load_plan_into_store(small_plan(), actor="cli")
    for m in ("2021-08", "2021-09"):
        s.open_period(m, "cli")
    data = fill(
        template_bytes(s, "市审改办", "2021-09"),
        {
            "1": {"status": "推进中", "percent": 30, "date": date(2021, 9, 20), "problems": "+人员不足"},
            "2": {"status": "推进中", "percent": 90, "date": date(2021, 9, 20)},
        },
    )
    rep = validate_upload(s, data, "a.xlsx", unit="市审改办", today=date(2021, 10, 1), rules=RULES)
    commit_upload(s, rep, "cli")
    return s


def test_quarter_report_figures(store):
    rep = build_report(store, "quarter", "2021年第三季度", rules=RULES)
    assert rep.as_of == date(2021, 10, 6) and rep.period_label == "2021年第三季度"
    assert rep.title == "测试方案2021年第三季度评估"  # not "季度季度评估"
    assert [s.id for s in rep.overdue] == ["2"]
    # on 10-06 task 3 has missed August and September (red); task 1 was reported for September
    assert [(s.id, s.card) for s in rep.carded] == [("2", "red"), ("3", "red")]
    # August is a registered month of the quarter: nobody reported it; September: 政务服务中心 owes 3 and 1
    assert [(r.unit, r.period, [t["id"] for t in r.tasks]) for r in rep.reminders] == [
        ("市审改办", "2021-08", ["1", "2"]),
        ("市政务服务中心", "2021-08", ["1", "3"]),
        ("市政务服务中心", "2021-09", ["1", "3"]),
    ]


def test_xlsx_is_styled_and_complete(store):
    wb = load_workbook(io.BytesIO(report_xlsx(build_report(store, "month", "2021-09", rules=RULES))))
    ws = wb["任务状态"]
    assert ws["A1"].value == "测试方案2021年9月月度检查 任务状态" and ws["A1"].font.b
    assert ws["A2"].fill.fgColor.rgb.endswith("1F4E78") and ws.freeze_panes == "A3"
    rows = {r[1]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    assert rows["2"][5] == "逾期" and rows["2"][10] == "红牌"
    assert ws["A4"].fill.fgColor.rgb.endswith("C00000")  # task 2's row in red
    assert "排名规则" in str(wb["单位排名"].cell(wb["单位排名"].max_row, 1).value)
    overview = dict(wb["概况"].iter_rows(min_row=3, values_only=True))
    assert overview["任务总数"] == 3 and overview["逾期"] == 1
    assert wb["逾期任务"]["G3"].value == "" or wb["逾期任务"]["G3"].value is None


def test_docx_bulletin_is_editable_draft(store, tmp_path):
    out = write_report(store, "half", "2021-H2", tmp_path / "通报.docx", rules=RULES, as_of=date(2021, 10, 10))
    doc = Document(out)  # type: ignore[arg-type]
    text = [p.text for p in doc.paragraphs]
    assert text[0] == "关于测试方案2021年下半年任务推进情况的通报"  # no "半年半年"
    assert "一、总体情况" in text and "六、下步工作要求" in text
    assert any("纳入督查的任务共3项" in t and "逾期1项" in t for t in text)
    ranking = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert ranking[0][:3] == ["名次", "单位", "得分"] and {r[1] for r in ranking[1:]} == {"市审改办", "市政务服务中心"}


def test_bad_requests_are_clear(store, tmp_path):
    with pytest.raises(WorkbenchError, match="不是季度报告期"):
        build_report(store, "quarter", "2021-09")
    with pytest.raises(WorkbenchError, match="报告类型"):
        build_report(store, "year", "2021")
    with pytest.raises(WorkbenchError, match=".xlsx 或 .docx"):
        write_report(store, "month", "2021-09", tmp_path / "x.pdf", rules=RULES)


def test_period_reports_rank_on_the_period_reporting(store):
    """A month report counts only that month's reports; the quarter counts all its months (August missed)."""
    month = build_report(store, "month", "2021-09", rules=RULES)
    quarter = build_report(store, "quarter", "2021-Q3", rules=RULES)
    m = {c.unit: c for c in month.ranking}
    q = {c.unit: c for c in quarter.ranking}
    assert (m["市审改办"].duties, m["市审改办"].reported, m["市审改办"].missed) == (2, 2, 0)
    assert (q["市审改办"].duties, q["市审改办"].reported, q["市审改办"].missed) == (4, 2, 2)
    assert q["市审改办"].score == m["市审改办"].score - 2 * RULES.missed_report
    assert "只计2021年9月内各月" in month.rule_text and "只计2021年第三季度内各月" in quarter.rule_text
    wb = load_workbook(io.BytesIO(report_xlsx(month)))
    assert "只计2021年9月" in str(wb["单位排名"].cell(wb["单位排名"].max_row, 1).value)
