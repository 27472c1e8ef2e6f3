"""Upload validation: every rejection reason, with sheet/row/column, and the database untouched."""

from __future__ import annotations

import io
import os
from datetime import date

import pytest
from openpyxl import load_workbook
from progress_helpers import fill, plain_sheet, small_plan

from tasks.progress import (
    UploadRejected,
    commit_upload,
    default_rules,
    report_xlsx,
    template_bytes,
    upload_files,
    validate_upload,
)
from tasks.progress.reports import build_report
from tasks.store.testing import temporary_store

PG_URL = os.environ.get("WORKBENCH_TEST_PG_URL", "").strip()
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=[
            pytest.mark.pg,
            pytest.mark.skipif(
                not PG_URL, reason="WORKBENCH_TEST_PG_URL not set (make test starts a local PostgreSQL)"
            ),
        ],
    ),
]
TODAY = date(2021, 10, 3)
RULES = default_rules()


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with temporary_store(request.param, tmp_path, PG_URL) as s:
        s.load_plan_into_store(small_plan(), actor="cli")
        s.open_period("2021-09", "cli")
        yield s


def good(**over):
    row = {"status": "推进中", "percent": 50, "progress": "已印发清单", "date": date(2021, 9, 28)}
    row.update(over)
    return row


def check(store, data: bytes, unit="市审改办", **kw):
    return validate_upload(store, data, "填报.xlsx", unit=unit, today=TODAY, rules=RULES, **kw)


def assert_rejected(store, rep, column: str, words: str, row: int | None = 4):
    """Rejected with a located Chinese reason, and commit writes nothing."""
    before = store.counts()
    assert not rep.ok and rep.outcome == "rejected"
    assert any(p.column == column and words in p.reason and (row is None or p.row == row) for p in rep.problems), [
        str(p) for p in rep.problems
    ]
    assert all(p.sheet for p in rep.problems)
    with pytest.raises(UploadRejected):
        commit_upload(store, rep, actor="cli")
    assert store.counts() == before
    assert store.counts()["progress_reports"] == 0 and store.counts()["uploads"] == 0


def tpl(store, unit="市审改办", period="2021-09"):
    return template_bytes(store, unit, period)


def test_clean_template_saved_with_source_rows(store):
    data = fill(tpl(store), {"1": good(), "2": good(status="已完成", percent=100)}, person="李四")
    before = store.counts()
    rep = check(store, data)
    assert store.counts() == before  # a clean file is not written until confirmed
    assert rep.ok and rep.is_template and (rep.unit, rep.period, rep.person) == ("市审改办", "2021-09", "李四")
    assert [(r.task_id, r.source_row) for r in rep.rows] == [("1", 4), ("2", 5)]
    assert store.counts()["progress_reports"] == 0  # validation writes nothing
    uid = commit_upload(store, rep, actor="cli")
    assert isinstance(uid, int) and store.counts()["progress_reports"] == 2
    up = store.uploads()[0]
    assert (up.unit, up.person, up.filename, up.sha256) == ("市审改办", "李四", "填报.xlsx", rep.sha256)
    again = check(store, data)  # same bytes again
    assert again.duplicate and again.outcome == "duplicate" and commit_upload(store, again, "cli") is None
    assert store.counts()["uploads"] == 1


def test_reject_unknown_task_id(store):
    rep = check(store, fill(tpl(store), {"1": good(id="99")}))
    assert_rejected(store, rep, "任务编号", "“99”不在计划")


def test_reject_task_without_role(store):
    rep = check(store, fill(tpl(store, "市政务服务中心"), {"3": good(id="2")}), unit="市政务服务中心")
    assert_rejected(store, rep, "任务编号", "不是任务2的牵头或责任单位", row=5)


@pytest.mark.parametrize("value, words", [(120, "超出 0–100"), (-5, "超出 0–100"), ("大约一半", "不是数字")])
def test_reject_bad_percent(store, value, words):
    rep = check(store, fill(tpl(store), {"1": good(percent=value)}))
    assert_rejected(store, rep, "完成进度(%)", words)


def test_reject_done_below_100(store):
    rep = check(store, fill(tpl(store), {"2": good(status="已完成", percent=80)}))
    assert_rejected(store, rep, "完成进度(%)", "已完成的任务完成进度须为 100", row=5)


def test_reject_future_report_date(store):
    rep = check(store, fill(tpl(store), {"1": good(date=date(2021, 10, 20))}))
    assert_rejected(store, rep, "填报日期", "晚于今天")


def test_reject_closed_period(store):
    data = fill(tpl(store), {"1": good()})
    store.close_period("2021-09", "cli")
    rep = check(store, data)
    assert_rejected(store, rep, "报告期", "已关闭")


def test_reject_template_of_another_unit(store):
    rep = check(store, fill(tpl(store, "市政务服务中心"), {"1": good()}), unit="市审改办")
    assert_rejected(store, rep, "填报单位", "这是“市政务服务中心”的填报模板", row=2)


def test_reject_bad_status(store):
    rep = check(store, fill(tpl(store), {"1": good(status="差不多了")}))
    assert_rejected(store, rep, "状态", "无效")


def test_all_problems_listed_at_once(store):
    data = fill(tpl(store), {"1": good(percent=150), "2": good(status="已完成", percent=90, date="明天")})
    rep = check(store, data)
    located = {(p.row, p.column) for p in rep.problems}
    assert located == {(4, "完成进度(%)"), (5, "完成进度(%)"), (5, "填报日期")}
    text = rep.summary()
    assert "整个文件未保存" in text and "第5行 “填报日期”列" in text
    assert_rejected(store, rep, "填报日期", "无法识别", row=5)


def test_one_bad_row_rejects_whole_file(store):
    rep = check(store, fill(tpl(store), {"1": good(), "2": good(percent="abc")}))
    assert rep.rows == [] and len(rep.problems) == 1
    assert_rejected(store, rep, "完成进度(%)", "不是数字", row=5)


def test_not_a_workbook(store):
    rep = validate_upload(store, "进度很好".encode(), "a.xlsx", unit="市审改办", today=TODAY, rules=RULES)
    assert not rep.ok and "不是 Excel" in rep.problems[0].reason
    with pytest.raises(UploadRejected):
        commit_upload(store, rep, "cli")


def test_empty_template(store):
    rep = check(store, tpl(store))
    assert not rep.ok and "没有填写任何任务" in rep.problems[0].reason


def test_foreign_sheet_matched_by_header_names(store):
    data = plain_sheet(
        [
            ["填报单位:市审改办", None, None, "报告期:2021年9月"],
            [" 序号", "工作要点", "进展状态", "完成比例(%)", "工作进展", "填报时间"],
            [1, "推进简政放权", "推进中", "60%", "推进中", "2021/9/30"],
            [2, "清单管理", "已完成", 100, "完成", "2021年9月29日"],
        ]
    )
    rep = validate_upload(store, data, "自制表.xlsx", today=TODAY, rules=RULES)
    assert rep.ok and not rep.is_template, [str(p) for p in rep.problems]
    assert (rep.unit, rep.period) == ("市审改办", "2021-09")
    assert [(r.task_id, r.percent, r.report_date) for r in rep.rows] == [
        ("1", 60.0, date(2021, 9, 30)),
        ("2", 100.0, date(2021, 9, 29)),
    ]


def test_foreign_percent_fraction_with_percent_format(store):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["任务编号", "状态", "完成进度"])
    ws.append(["2", "已完成", 1.0])
    ws["C2"].number_format = "0%"
    buf = io.BytesIO()
    wb.save(buf)
    rep = validate_upload(store, buf.getvalue(), "b.xlsx", unit="市审改办", period="2021-09", today=TODAY, rules=RULES)
    assert rep.ok and rep.rows[0].percent == 100.0


def test_foreign_sheet_missing_columns_rejected(store):
    data = plain_sheet([["任务编号", "进展情况"], ["1", "正在推进"]])
    rep = validate_upload(store, data, "c.xlsx", unit="市审改办", today=TODAY, rules=RULES)
    assert not rep.ok and "缺少必需的列:状态、完成进度(%)" in rep.problems[0].reason
    assert rep.problems[0].row == 1
    data = plain_sheet([["姓名", "电话"], ["张三", "123"]])
    rep = validate_upload(store, data, "d.xlsx", unit="市审改办", today=TODAY, rules=RULES)
    assert not rep.ok and "找不到表头" in rep.problems[0].reason


def test_foreign_sheet_needs_a_unit(store):
    data = plain_sheet([["任务编号", "状态", "完成进度"], ["1", "推进中", 10]])
    rep = validate_upload(store, data, "e.xlsx", today=TODAY, rules=RULES)
    assert not rep.ok and "无法确定填报单位" in rep.problems[0].reason


def test_template_is_locked_with_dropdowns_and_hidden_identity(store):
    wb = load_workbook(io.BytesIO(tpl(store)))
    ws = wb["进度填报"]
    assert wb.sheetnames == ["进度填报", "填报说明", "_meta"] and wb["_meta"].sheet_state == "veryHidden"
    assert ws.protection.sheet
    assert ws["B2"].value == "市审改办" and ws["E2"].value == "2021-09"
    assert [ws.cell(3, j).value for j in range(1, 12)] == [
        "任务编号",
        "工作要点",
        "完成时限",
        "本单位角色",
        "状态",
        "完成进度(%)",
        "进展情况",
        "存在问题",
        "下步计划",
        "佐证材料",
        "填报日期",
    ]
    assert [ws.cell(r, 1).value for r in (4, 5)] == ["1", "2"] and ws["D4"].value == "牵头"
    assert ws["A4"].protection.locked and ws["B4"].protection.locked
    assert not ws["E4"].protection.locked and not ws["F4"].protection.locked
    assert ws["A5"].protection.locked and not ws["E5"].protection.locked and not ws["K5"].protection.locked
    assert (ws["F5"].number_format, ws["K5"].number_format, ws["B5"].font.name) == ("0", "yyyy-mm-dd", "宋体")
    dvs = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert dvs["E4:E5"].formula1 == '"未启动,推进中,已完成,滞后,暂缓"'
    assert (dvs["F4:F5"].type, dvs["F4:F5"].formula1, dvs["F4:F5"].formula2) == ("decimal", "0", "100")
    assert set(wb.defined_names) >= {"WB_UNIT", "WB_PERIOD", "WB_PLAN"}


def test_formula_injection_neutralised_in_exports(store):
    data = fill(
        tpl(store),
        {
            "1": good(progress='=HYPERLINK("http://evil","点我")'),
            "2": good(status="已完成", percent=100, progress="@SUM(A1)"),
        },
    )
    rep = check(store, data)
    assert rep.rows[0].progress.startswith("=HYPERLINK")  # stored as the unit wrote it
    commit_upload(store, rep, "cli")
    out = load_workbook(
        io.BytesIO(report_xlsx(build_report(store, "month", "2021-09", rules=RULES, as_of=date(2021, 10, 3))))
    )
    cells = [c.value for row in out["任务状态"].iter_rows() for c in row if isinstance(c.value, str)]
    assert '\'=HYPERLINK("http://evil","点我")' in cells
    values = [c.value for ws in out.worksheets for row in ws.iter_rows() for c in row]
    assert not any(v.startswith(("=", "+", "-", "@")) for v in values if isinstance(v, str))
    assert not any(c.data_type == "f" for ws in out.worksheets for row in ws.iter_rows() for c in row)


def test_reject_task_archived_after_reimport(store):
    data = fill(tpl(store), {"2": good()})
    revised = small_plan()
    revised.tasks = [t for t in revised.tasks if t.id != "2"]
    assert store.load_plan_into_store(revised, actor="cli").archived == ["2"]
    rep = check(store, data)
    assert_rejected(store, rep, "任务编号", "已从计划中撤销", row=5)


def test_gbk_csv_matched_by_headers_and_upload_files(store):
    text = (
        "序号,状态,完成进度,进展情况,填报日期\n1,推进中,45,窗口已调整,2021-09-30\n2,已完成,100,清单已公布,2021-09-29\n"
    )
    reps = upload_files(
        store,
        [("审改办九月.csv", text.encode("gbk"))],
        actor="cli",
        save=True,
        unit="市审改办",
        period="2021-09",
        today=TODAY,
        rules=RULES,
    )
    assert [r.outcome for r in reps] == ["saved"]
    assert [(r.task_id, r.unit, r.percent, r.progress) for r in sorted(store.reports(), key=lambda r: r.id)] == [
        ("1", "市审改办", 45.0, "窗口已调整"),
        ("2", "市审改办", 100.0, "清单已公布"),
    ]


def test_zip_given_as_one_file_is_explained(store):
    buf = io.BytesIO()
    with __import__("zipfile").ZipFile(buf, "w") as z:
        z.writestr("a.xlsx", tpl(store))
    rep = validate_upload(store, buf.getvalue(), "填报.zip", unit="市审改办", today=TODAY, rules=RULES)
    assert not rep.ok and "压缩包" in rep.problems[0].reason


def test_foreign_sheet_unknown_unit_and_bad_period(store):
    data = plain_sheet([["任务编号", "状态", "完成进度"], ["1", "推进中", 10]])
    rep = validate_upload(store, data, "f.xlsx", unit="市不存在局", period="2021-09", today=TODAY, rules=RULES)
    assert not rep.ok and "不在任务分解表中" in rep.problems[0].reason
    data = plain_sheet([["填报单位:市审改办", "报告期:九月份"], ["任务编号", "状态", "完成进度"], ["1", "推进中", 10]])
    rep = validate_upload(store, data, "g.xlsx", today=TODAY, rules=RULES)
    assert not rep.ok and rep.problems[0].column == "报告期" and "无法识别的报告期" in rep.problems[0].reason
    assert store.counts()["uploads"] == 0


def _no_formula(data: bytes) -> list[str]:
    """Every string cell of an xlsx; fails if any could run as a formula."""
    wb = load_workbook(io.BytesIO(data))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts), [t for t in texts if t[:1] in "=+-@"]
    return texts


def test_every_export_neutralises_formulas(tmp_path):
    """Templates, the templates zip, report xlsx and docx, and the reminder list: no cell runs as a formula."""
    import zipfile

    from docx import Document

    from tasks.model import Plan, Task
    from tasks.progress import all_templates_zip, reminders, reminders_xlsx, report_docx, snapshot
    from tasks.progress.rules import rules_from_dict
    from tasks.store import Store

    evil = '=HYPERLINK("http://evil","点我")'
    plan = Plan(
        title="+注入测试方案",
        date=date(2021, 8, 1),
        tasks=[
            Task(
                id="1",
                title=evil,
                lead_units=["市审改办"],
                deadline=date(2021, 8, 31),
                deadline_text="-8月底前",
                deadline_kind="date",
            ),
            Task(
                id="2",
                title="@SUM(A1)",
                lead_units=["市财政局"],
                deadline=date(2021, 12, 31),
                deadline_text="2021年底前",
                deadline_kind="date",
            ),
        ],
    )
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    store.load_plan_into_store(plan, actor="cli")
    store.open_period("2021-09", "cli")
    texts = _no_formula(template_bytes(store, "市审改办", "2021-09"))
    assert "'" + evil in texts and "'-8月底前" in texts and "'+注入测试方案 任务进展填报表(2021年9月)" in texts
    z = zipfile.ZipFile(io.BytesIO(all_templates_zip(store, "2021-09")))
    assert len(z.namelist()) == 2
    for name in z.namelist():
        _no_formula(z.read(name))
    data = fill(
        template_bytes(store, "市审改办", "2021-09"),
        {
            "1": {
                "status": "推进中",
                "percent": 50,
                "date": date(2021, 9, 20),
                "progress": "-已推进",
                "problems": "@人手不足",
            }
        },
    )
    rep = check(store, data)
    assert rep.ok and rep.rows[0].problems == "@人手不足"
    commit_upload(store, rep, "cli")
    ladder = rules_from_dict(
        {
            "levels": [
                {"key": "y", "name": "=黄牌", "when": ["missed_reports >= 1"]},
                {"key": "r", "name": "+红牌", "when": ["status == overdue"]},
            ]
        }
    )
    report = build_report(store, "quarter", "2021-Q3", rules=ladder, as_of=date(2021, 10, 10))
    texts = _no_formula(report_xlsx(report))
    assert "'" + evil in texts and "'=黄牌" in texts and "'@人手不足" in texts
    doc = Document(io.BytesIO(report_docx(report)))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "'" + evil in cells and not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    items = reminders(snapshot(store, date(2021, 10, 10), rules=ladder), "2021-09")
    assert [r.unit for r in items] == ["市财政局"]
    texts = _no_formula(reminders_xlsx(items))
    assert any(t.startswith("《") and "》2 @SUM(A1)" in t for t in texts)  # each task named with its plan


def test_foreign_sheet_with_wrong_dimension_and_blank_top_rows_read_whole(store):
    """Some tools write a wrong <dimension>; every row is still read, with its real row number."""
    import re
    import zipfile

    data = plain_sheet([[], [], ["任务编号", "状态", "完成进度"], ["1", "推进中", 10], ["2", "推进中", 150]])
    zin, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for n in zin.namelist():
            body = zin.read(n)
            if n == "xl/worksheets/sheet1.xml":
                body = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:C4"', body)
            z.writestr(n, body)
    rep = validate_upload(store, out.getvalue(), "h.xlsx", unit="市审改办", period="2021-09", today=TODAY, rules=RULES)
    assert [(p.row, p.column) for p in rep.problems] == [(5, "完成进度(%)")]
