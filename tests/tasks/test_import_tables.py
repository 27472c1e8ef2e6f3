"""Task-breakdown tables from xlsx, xls and csv, built here with every feature real tables have."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from tasks.importers import load_plan
from tasks.importers.tables import parse_predecessors, read_table
from tasks.importers.tables_header import header_field

TITLE = "某市2022年政务服务改革攻坚行动任务分解表"


def _merge(ws, ref: str, value=None) -> None:
    first = ref.split(":")[0]
    if value is not None:
        ws[first] = value
    ws.merge_cells(ref)


def rich_workbook(path: Path) -> Path:
    """Decoy sheets first, then the table: 附件 line, merged title, two-row header, merged
    sections, multi-line cells, Chinese numerals, date cells beside text, blank rows, a task
    spread over two rows by vertical merges, a repeated header, a 注 row and a footer."""
    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "说明"
    info["A1"] = "填表说明:序号按任务顺序填写,牵头单位负总责。"
    info["A2"] = "完成时限请写到月。"
    stats = wb.create_sheet("统计")
    stats.append(["序号", "单位", "任务数", "已完成"])
    stats.append([1, "市审改办", 3, 1])
    stats.append([2, "市政务服务中心", 4, 0])
    ws = wb.create_sheet("任务分解表")
    ws["A1"] = "附件2"
    _merge(ws, "A2:G2", TITLE)
    for ref, label in (
        ("A3:A4", "编号"),
        ("B3:B4", "任务名称"),
        ("C3:C4", "具体措施"),
        ("F3:F4", "时间节点"),
        ("G3:G4", "前置任务"),
    ):
        _merge(ws, ref, label)
    _merge(ws, "D3:E3", "责任单位")
    ws["D4"], ws["E4"] = "牵头单位", "配合单位"
    # row 5 blank
    _merge(ws, "A6:G6", "一、深化审批制度改革")
    rows = {
        7: [
            "一",
            "推进简政放权",
            "按照应放尽放原则\uff1b\n继续下放审批事项。",
            "市审改办\n市政务服务中心",
            "各县(市、区)人民政府、市直各相关单位",
            datetime(2022, 8, 31),
            None,
        ],
        8: [2, "推进清单管理", "编制公布政务服务事项清单。", "市审改办", "市委编办、市司法局等", "2022年底前", "1"],
        # row 9 blank
        11: [
            "三",
            "推行周末轮班",
            "高频事项窗口周末无休。",
            "市政务服务中心",
            "市人社局\uff1b市医保局\n市公安局按职责分工负责",
            "长期坚持",
            "1、2",
        ],
        12: ["4", "推行延时服务", "窗口提供预约、延时服务。", "市政务服务中心", None, "8月底前", "1-3"],
        13: [
            "(五)",
            "建设一网通办平台",
            "平台上线试运行。",
            "市数据局",
            "市政务服务中心",
            "2022年9月底前上线试运行",
            "四",
        ],
        14: [None, None, "全市推广应用。", "市财政局", None, "2023年扩容推广", None],
        16: [6, "完善评价制度", "推行好差评。", "市政务服务中心", "市直各相关单位", "视情况而定", None],
    }
    for r, vals in rows.items():
        for c, v in enumerate(vals, start=1):  # type: ignore[arg-type, var-annotated]
            if v is not None:
                ws.cell(r, c, v)
    ws.cell(7, 6).number_format = "yyyy-mm-dd"
    _merge(ws, "A13:A14")
    _merge(ws, "B13:B14")
    _merge(ws, "A10:G10", "二、优化窗口服务")
    # row 15: the header printed again (the table ran over a page)
    for c, label in enumerate(["编号", "任务名称", "具体措施", "牵头单位", "配合单位", "时间节点", "前置任务"], 1):
        ws.cell(15, c, label)
    _merge(ws, "A17:G17", "注\uff1a1.牵头单位负总责\uff1b\n2.完成时限为最迟时间。")
    ws["A18"] = "填表人:张三"
    wb.save(path)
    return path


@pytest.fixture
def rich_plan(tmp_path):
    return load_plan(rich_workbook(tmp_path / "计划.xlsx"))


def test_rich_workbook_picks_the_table_sheet_and_rows(rich_plan):
    assert rich_plan.title == TITLE
    assert rich_plan.used["sheet"] == "任务分解表"
    assert rich_plan.used["header_row"] == 3
    assert rich_plan.used["rows"] == [7, 16]
    assert rich_plan.warnings[0] == "读取了工作表“任务分解表”第7–16行(表头在第3行),共6项任务"
    assert "未使用的工作表:说明、统计" in rich_plan.warnings
    assert [t.id for t in rich_plan.tasks] == ["1", "2", "3", "4", "5", "6"]
    assert [t.source.row for t in rich_plan.tasks] == [7, 8, 11, 12, 13, 16]
    assert {t.source.sheet for t in rich_plan.tasks} == {"任务分解表"}
    assert {t.source.file for t in rich_plan.tasks} == {"计划.xlsx"}


def test_rich_workbook_fields(rich_plan):
    t1, t2, t3, t4, t5, t6 = rich_plan.tasks
    assert t1.section == "一、深化审批制度改革"
    assert t1.title == "推进简政放权"
    assert t1.description == "按照应放尽放原则\uff1b继续下放审批事项。"
    assert t1.lead_units == ["市审改办", "市政务服务中心"]
    assert t1.responsible_units == ["各县(市、区)人民政府", "市直各相关单位"]
    assert t1.deadline == date(2022, 8, 31) and t1.deadline_kind == "date"  # a date cell
    assert t1.predecessors == []
    assert t2.responsible_units == ["市委编办", "市司法局"]
    assert (t2.deadline, t2.deadline_text) == (date(2022, 12, 31), "2022年底前")
    assert t2.predecessors == ["1"]
    assert t3.section == "二、优化窗口服务"
    assert t3.responsible_units == ["市人社局", "市医保局", "市公安局"]
    assert t3.deadline is None and t3.deadline_kind == "ongoing"
    assert t3.predecessors == ["1", "2"]
    assert t4.deadline == date(2022, 8, 31)  # 8月底前 takes the year of the title
    assert t4.predecessors == ["1", "2", "3"]
    assert t4.responsible_units == []
    # task 5 spreads over rows 13-14 (序号 and 任务名称 merged down)
    assert t5.title == "建设一网通办平台"
    assert t5.description == "平台上线试运行。全市推广应用。"
    assert t5.lead_units == ["市数据局", "市财政局"]
    assert t5.deadline == date(2022, 9, 30)
    assert [(m.date, m.text) for m in t5.milestones] == [
        (date(2022, 9, 30), "2022年9月底前上线试运行"),
        (date(2023, 12, 31), "2023年扩容推广"),
    ]
    assert t5.predecessors == ["4"]
    assert t6.deadline is None and t6.deadline_kind == "unknown" and t6.deadline_text == "视情况而定"


def test_unreadable_deadline_is_a_plan_warning(rich_plan):
    t6 = rich_plan.task("6")
    assert t6.warnings and "视情况而定" in t6.warnings[0]
    assert t6.warnings[0] in rich_plan.warnings


def test_note_and_footer_rows_are_not_tasks(rich_plan):
    assert all("注" not in t.title and "填表人" not in t.title for t in rich_plan.tasks)
    assert not any("第18行" in w or "第17行" in w for w in rich_plan.warnings)


def test_workbook_with_only_the_table_and_header_on_first_row(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "重点任务", "工作内容", "牵头部门", "责任部门", "完成时间"])
    ws.append([1, "设立综合窗口", "一窗受理、集成服务", "市政务服务中心", "市直各相关单位", "2021/6/30"])
    ws.append([2, "自助服务", "", "市政务服务中心", "", "2021年上半年"])
    wb.save(tmp_path / "t.xlsx")
    plan = load_plan(tmp_path / "t.xlsx")
    assert plan.title == "t"  # no title row: the file name
    assert plan.used == {
        "sheet": "Sheet",
        "header_row": 1,
        "rows": [2, 3],
        "columns": {
            "序号": "serial",
            "重点任务": "title",
            "工作内容": "description",
            "牵头部门": "lead",
            "责任部门": "responsible",
            "完成时间": "deadline",
        },
    }
    assert [(t.title, t.description, t.deadline) for t in plan.tasks] == [
        ("设立综合窗口", "一窗受理、集成服务", date(2021, 6, 30)),
        ("自助服务", "", date(2021, 6, 30)),
    ]


def test_only_one_text_column_is_the_title(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "主要任务", "牵头单位", "完成时限"])
    ws.append([1, "推行告知承诺制", "市司法局", "2021年底前"])
    wb.save(tmp_path / "t.xlsx")
    (t,) = load_plan(tmp_path / "t.xlsx").tasks
    assert (t.title, t.description) == ("推行告知承诺制", "")


def test_section_numbered_in_the_serial_column_and_renumbered_serials(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "工作要点", "牵头单位", "完成时限"])
    ws.append(["一", "审批改革", None, None])
    ws.append([1, "简政放权", "市审改办", "2021年底前"])
    ws.append([2, "清单管理", "市委编办", "2021年底前"])
    ws.append(["二", "窗口服务", None, None])
    ws.append([1, "延时服务", "市政务服务中心", "2021年底前"])
    wb.save(tmp_path / "t.xlsx")
    plan = load_plan(tmp_path / "t.xlsx")
    assert [(t.id, t.section, t.title) for t in plan.tasks] == [
        ("1", "一、审批改革", "简政放权"),
        ("2", "一、审批改革", "清单管理"),
        ("3", "二、窗口服务", "延时服务"),
    ]
    assert any("重新编号" in w for w in plan.warnings)


def test_plan_year_from_deadlines_when_the_title_has_none(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "工作要点", "牵头单位", "完成时限"])
    ws.append([1, "简政放权", "市审改办", "2020年底前"])
    ws.append([2, "清单管理", "市审改办", "2020年6月底前"])
    ws.append([3, "延时服务", "市政务服务中心", "9月底前"])
    wb.save(tmp_path / "t.xlsx")
    assert load_plan(tmp_path / "t.xlsx").task("3").deadline == date(2020, 9, 30)


def test_row_without_serial_gets_the_next_number(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "工作要点", "牵头单位", "完成时限"])
    ws.append([1, "简政放权", "市审改办", "2021年底前"])
    ws.append([None, "清单管理", "市委编办", "2021年底前"])
    wb.save(tmp_path / "t.xlsx")
    plan = load_plan(tmp_path / "t.xlsx")
    assert [(t.id, t.title) for t in plan.tasks] == [("1", "简政放权"), ("2", "清单管理")]
    assert "第3行没有序号,已编为2号" in plan.warnings


@pytest.mark.parametrize(
    "label, field",
    [
        ("序号", "serial"),
        ("编号", "serial"),
        ("序 号", "serial"),
        ("工作要点", "title"),
        ("任务名称", "title"),
        ("重点任务", "title"),
        ("主要任务", "description"),
        ("工作内容", "description"),
        ("具体措施", "description"),
        ("牵头部门", "lead"),
        ("牵头单位", "lead"),
        ("牵头\n单位", "lead"),
        ("责任部门", "responsible"),
        ("责任单位", "responsible"),
        ("配合单位", "responsible"),
        ("协办单位", "responsible"),
        ("完成时限", "deadline"),
        ("完成时间", "deadline"),
        ("时间节点", "deadline"),
        ("完成时限(时间节点)", "deadline"),
        ("完成时限\uff08时间节点\uff09", "deadline"),
        ("前置任务", "predecessors"),
        ("依赖", "predecessors"),
        ("备注", "note"),
        ("耒阳市2021年优化营商环境政务服务便利化攻坚行动方案任务分解表", None),
        ("市审改办", None),
        (3, None),
    ],
)
def test_header_variants(label, field):
    assert header_field(label) == field


@pytest.mark.parametrize(
    "value, ids",
    [
        ("3、5", ["3", "5"]),
        ("3\uff0c5", ["3", "5"]),
        ("3-5", ["3", "4", "5"]),
        ("3~5,8", ["3", "4", "5", "8"]),
        ("三", ["3"]),
        ("二、十二", ["2", "12"]),
        ("任务3", ["3"]),
        ("第4项", ["4"]),
        (7, ["7"]),
        (7.0, ["7"]),
        ("无", []),
        (None, []),
        ("—", []),
    ],
)
def test_predecessor_forms(value, ids):
    assert parse_predecessors(value) == (ids, None)


def test_unreadable_predecessor_is_a_warning(tmp_path):
    got, warning = parse_predecessors("3、见上")
    assert got == ["3"] and "见上" in warning  # type: ignore[operator]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "工作要点", "牵头单位", "完成时限", "前置任务"])
    ws.append([1, "简政放权", "市审改办", "2021年底前", "9"])
    wb.save(tmp_path / "t.xlsx")
    plan = load_plan(tmp_path / "t.xlsx")
    assert "任务1:前置任务9在表中不存在" in plan.warnings


def _table_rows() -> list[list[str]]:
    return [
        [TITLE, "", "", "", "", ""],
        ["序号", "工作要点", "主要任务", "牵头部门", "责任部门", "完成时限"],
        ["一、深化审批制度改革", "", "", "", "", ""],
        [
            "1",
            "推进简政放权",
            "按照应放尽放原则\uff1b\n继续下放审批事项。",
            "市审改办\n市政务服务中心",
            "各县(市、区)人民政府、市直各相关单位",
            "2022年8月底前",
        ],
        ["", "", "", "", "", ""],
        ["二、优化窗口服务", "", "", "", "", ""],
        ["二", "推行周末轮班", "高频事项窗口周末无休。", "市政务服务中心", "市人社局\uff0c市医保局", "2022/6/30"],
        ["注:完成时限为最迟时间。", "", "", "", "", ""],
    ]


def _check_simple(plan, sheet):
    assert plan.title == TITLE
    assert plan.used["sheet"] == sheet and plan.used["header_row"] == 2 and plan.used["rows"] == [4, 7]
    t1, t2 = plan.tasks
    assert (t1.id, t1.section, t1.title) == ("1", "一、深化审批制度改革", "推进简政放权")
    assert t1.description == "按照应放尽放原则\uff1b继续下放审批事项。"
    assert t1.lead_units == ["市审改办", "市政务服务中心"]
    assert t1.responsible_units == ["各县(市、区)人民政府", "市直各相关单位"]
    assert t1.deadline == date(2022, 8, 31)
    assert (t2.id, t2.section, t2.source.row) == ("2", "二、优化窗口服务", 7)
    assert t2.responsible_units == ["市人社局", "市医保局"]
    assert t2.deadline == date(2022, 6, 30)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(tmp_path, encoding):
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf).writerows(_table_rows())
    path = tmp_path / "任务表.csv"
    path.write_bytes(buf.getvalue().encode(encoding))
    plan = load_plan(path)
    _check_simple(plan, None)
    assert plan.tasks[0].source.sheet is None
    assert plan.warnings[0] == "读取了文件第4–7行(表头在第2行),共2项任务"


def test_csv_tab_separated(tmp_path):
    text = "\n".join("\t".join(c.replace("\n", " ") for c in r) for r in _table_rows())
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    assert [t.title for t in load_plan(path).tasks] == ["推进简政放权", "推行周末轮班"]


def test_xls_written_with_xlwt(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook(encoding="utf-8")
    wb.add_sheet("封面").write(0, 0, "封面")
    ws = wb.add_sheet("分解表")
    rows = _table_rows()
    ws.write_merge(0, 0, 0, 5, rows[0][0])
    for c, v in enumerate(rows[1]):
        ws.write(1, c, v)
    ws.write_merge(2, 2, 0, 5, rows[2][0])
    for c, v in enumerate(rows[3]):
        ws.write(3, c, float(v) if c == 0 else v)
    ws.write_merge(5, 5, 0, 5, rows[5][0])
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for c, v in enumerate(rows[6]):
        if c == 5:
            ws.write(6, c, datetime(2022, 6, 30), date_style)
        else:
            ws.write(6, c, v)
    ws.write_merge(7, 7, 0, 5, rows[7][0])
    path = tmp_path / "旧版.xls"
    wb.save(str(path))
    plan = load_plan(path)
    _check_simple(plan, "分解表")
    assert plan.tasks[1].deadline_text == "2022-06-30"


def test_read_table_directly(tmp_path):
    path = rich_workbook(tmp_path / "p.xlsx")
    plan = read_table(path, kind="xlsx", display_name="上传的计划.xlsx")
    assert plan.source_file == "上传的计划.xlsx"
    assert plan.tasks[0].source.file == "上传的计划.xlsx"
    assert len(plan.tasks) == 6


# ---------------------------------------------------------------- the writer and the bundled workbook
BUNDLED = Path(__file__).resolve().parents[2] / "data" / "plans" / "leiyang-2021-tasks.xlsx"
_COMPARED = (
    "id",
    "section",
    "title",
    "description",
    "lead_units",
    "responsible_units",
    "deadline",
    "deadline_text",
    "deadline_kind",
    "milestones",
    "predecessors",
)


def _hand_plan():
    from tasks.importers.common import make_task
    from tasks.model import Plan

    sec1, sec2 = "一、深化审批制度改革", "二、优化窗口服务"
    return Plan(
        title="示例市2023年任务分解表",
        tasks=[
            make_task(
                "1",
                title="推进简政放权",
                description="继续下放审批事项\uff1b开展回头看。",
                section=sec1,
                lead="市审改办\n市政务服务中心",
                responsible="各县(市、区)人民政府、市直各相关单位",
                deadline="2023年底前",
            ),
            make_task(
                "2",
                title="推行周末轮班",
                section=sec2,
                lead="市政务服务中心",
                responsible="市人社局、市医保局",
                deadline="2023年9月底前上线试运行,2024年扩容推广",
                predecessors=["1"],
            ),
            make_task("3", title="延时服务", section=sec2, lead="市政务服务中心", deadline="长期坚持"),
        ],
    )


def test_writer_round_trip_and_layout(tmp_path):
    from tasks.importers.workbook_writer import DEFAULT_README, write_plan_workbook

    plan = _hand_plan()
    path = write_plan_workbook(plan, tmp_path / "out.xlsx", readme=DEFAULT_README)
    back = load_plan(path)
    assert back.title == plan.title
    assert [{k: t.to_dict()[k] for k in _COMPARED} for t in back.tasks] == [
        {k: t.to_dict()[k] for k in _COMPARED} for t in plan.tasks
    ]
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["任务分解表", "说明"]
    ws = wb["任务分解表"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:G1", "A3:G3", "A5:G5"} <= merged  # title and the two section rows
    assert [c.value for c in ws[2]] == ["序号", "工作要点", "主要任务", "牵头部门", "责任部门", "完成时限", "前置任务"]
    assert ws["E4"].alignment.wrap_text
    assert str(ws.cell(ws.max_row, 1).value).startswith("注")


@pytest.fixture
def bundled():
    return load_plan(BUNDLED)


def test_bundled_workbook_rows(bundled):
    """The shipped workbook, checked against the appendix of the 2021 plan written out here."""
    assert bundled.used["sheet"] == "任务分解表"
    assert len(bundled.tasks) == 32
    assert [t.id for t in bundled.tasks] == [str(i) for i in range(1, 33)]
    assert len({t.section for t in bundled.tasks}) == 8
    t1 = bundled.task("1")
    assert (t1.section, t1.title) == ("一、深入推进行政审批制度改革", "大力推进简政放权")
    assert t1.lead_units == ["市审改办", "市政务服务中心"]
    assert t1.responsible_units == ["市经济开发区", "各乡镇(街道)", "市直各相关单位"]
    assert t1.deadline == date(2021, 12, 31)
    t2 = bundled.task("2")
    assert t2.lead_units == ["市审改办", "市委编办", "市司法局", "市政务服务中心"]
    assert (t2.deadline, t2.deadline_text) == (date(2021, 8, 31), "20218月底前")
    assert bundled.task("5").deadline == date(2021, 9, 30)
    assert bundled.task("6").section == "二、持续推进三集中三到位改革"
    assert bundled.task("7").lead_units == ["市委组织部", "市民政局", "市政务服务中心"]
    assert bundled.task("32").lead_units == ["市财政局", "市科工信局", "市税务局", "市人社局", "市政务服务中心"]
    assert bundled.task("32").deadline == date(2021, 12, 31)
    assert {t.id for t in bundled.tasks if t.deadline_kind == "ongoing"} == {"22", "24", "29", "30"}


def test_bundled_workbook_matches_the_seed_text(bundled, seed_2021):
    seed = load_plan(seed_2021)
    assert len(seed.tasks) == 32
    assert [{k: t.to_dict()[k] for k in _COMPARED} for t in bundled.tasks] == [
        {k: t.to_dict()[k] for k in _COMPARED} for t in seed.tasks
    ]


def test_regenerating_the_bundled_workbook_gives_the_same_tasks(tmp_path, seeds_dir, bundled):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_sample_workbooks", BUNDLED.parent.parent.parent / "scripts" / "make_sample_workbooks.py"
    )
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    fresh = load_plan(mod.make_leiyang(seeds_dir, tmp_path))
    assert fresh.title == bundled.title
    assert [t.to_dict() | {"source": None} for t in fresh.tasks] == [
        t.to_dict() | {"source": None} for t in bundled.tasks
    ]


def test_html_table_saved_as_xls(tmp_path):
    """What many web systems' “导出Excel” writes: an HTML page named .xls, in GB2312."""
    html = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>导出</title></head><body>
<table border="1">
<tr><td colspan="6">某市2022年政务服务改革攻坚行动任务分解表</td></tr>
<tr><th>序号</th><th>工作要点</th><th>主要任务</th><th>牵头部门</th><th>责任部门</th><th>完成时限</th></tr>
<tr><td colspan="6">一、深化审批制度改革</td></tr>
<tr><td>1</td><td>推进简政放权</td><td>按照应放尽放原则\uff1b<br>继续下放审批事项。</td>
<td>市审改办<br>市政务服务中心</td><td>各县(市、区)人民政府、市直各相关单位</td><td>2022年8月底前</td></tr>
<tr><td></td><td></td><td></td><td></td><td></td><td></td></tr>
<tr><td colspan="6">二、优化窗口服务</td></tr>
<tr><td rowspan="1">二</td><td>推行周末轮班</td><td>高频事项窗口周末无休。</td><td>市政务服务中心</td>
<td>市人社局\uff0c市医保局</td><td>2022/6/30</td></tr>
<tr><td colspan="6">注\uff1a完成时限为最迟时间。</td></tr>
</table></body></html>"""
    path = tmp_path / "导出.xls"
    path.write_bytes(html.encode("gb2312"))
    plan = load_plan(path)
    _check_simple(plan, "表格1")


def test_html_rowspan_continues_the_task(tmp_path):
    html = """<html><body><table>
<tr><td>序号</td><td>任务名称</td><td>具体措施</td><td>牵头单位</td><td>完成时限</td></tr>
<tr><td rowspan="2">1</td><td rowspan="2">建设一网通办平台</td><td>平台上线试运行。</td><td>市数据局</td>
<td>2022年9月底前上线试运行</td></tr>
<tr><td>全市推广应用。</td><td>市财政局</td><td>2023年扩容推广</td></tr>
<tr><td>2</td><td>推行周末轮班</td><td>周末无休。</td><td>市政务服务中心</td><td>2022年底前</td></tr>
</table></body></html>"""
    path = tmp_path / "t.xls"
    path.write_text(html, encoding="utf-8")
    t1, t2 = load_plan(path).tasks
    assert t1.description == "平台上线试运行。全市推广应用。"
    assert t1.lead_units == ["市数据局", "市财政局"]
    assert [m.date for m in t1.milestones] == [date(2022, 9, 30), date(2023, 12, 31)]
    assert (t2.id, t2.source.row) == ("2", 4)


def test_table_without_serial_column_numbers_tasks_in_order(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["任务名称", "工作内容", "牵头单位", "完成时限"])
    ws.append(["简政放权", "下放事项", "市审改办", "2021年底前"])
    ws.append([None, "开展回头看", None, None])
    ws.append(["清单管理", "编制清单", "市委编办", "2021年底前"])
    wb.save(tmp_path / "t.xlsx")
    plan = load_plan(tmp_path / "t.xlsx")
    assert [(t.id, t.title, t.description) for t in plan.tasks] == [
        ("1", "简政放权", "下放事项开展回头看"),
        ("2", "清单管理", "编制清单"),
    ]
    assert not any("没有序号" in w for w in plan.warnings)


def test_cells_merged_down_over_several_tasks_belong_to_each(tmp_path):
    """One 工作要点 and one 牵头单位 merged over three numbered 主要任务 rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "工作要点", "主要任务", "牵头单位", "责任单位", "完成时限"])
    ws.append([1, "推进一件事一次办", "梳理事项清单。", "市政务服务中心", "市直各相关单位", "2021年6月底前"])
    ws.append([2, None, "再造办事流程。", None, "市人社局", "2021年8月底前"])
    ws.append([3, None, "设立综合窗口。", None, None, None])
    ws.append([4, "加强督查", "每月一检查。", "市委督查室", None, "长期坚持"])
    for ref in ("B2:B4", "D2:D4", "F3:F4"):
        ws.merge_cells(ref)
    wb.save(tmp_path / "t.xlsx")
    tasks = load_plan(tmp_path / "t.xlsx").tasks
    assert [(t.id, t.title, t.description, t.lead_units, t.responsible_units, t.deadline) for t in tasks] == [
        ("1", "推进一件事一次办", "梳理事项清单。", ["市政务服务中心"], ["市直各相关单位"], date(2021, 6, 30)),
        ("2", "推进一件事一次办", "再造办事流程。", ["市政务服务中心"], ["市人社局"], date(2021, 8, 31)),
        ("3", "推进一件事一次办", "设立综合窗口。", ["市政务服务中心"], [], date(2021, 8, 31)),
        ("4", "加强督查", "每月一检查。", ["市委督查室"], [], None),
    ]


def test_merged_ranges_are_read_from_xlsx(tmp_path):
    from tasks.importers.tables_read import read_xlsx

    grids = read_xlsx(rich_workbook(tmp_path / "p.xlsx"), "p.xlsx")
    assert [g.name for g in grids] == ["说明", "统计", "任务分解表"]
    table = grids[2]
    assert {(2, 1, 2, 7), (3, 4, 3, 5), (6, 1, 6, 7), (13, 1, 14, 1), (17, 1, 17, 7)} <= set(table.merges)
    assert table.value(13, 2) == "建设一网通办平台" and table.value(14, 2) is None
    assert table.merged_value(14, 2) == "建设一网通办平台"
    assert table.rows[6][5] == datetime(2022, 8, 31)  # row 7: a real date cell


def test_two_row_header_in_csv_without_merge_information(tmp_path):
    text = (
        "序号,工作要点,责任单位,,完成时限,,\n,,牵头单位,配合单位,,,\n1,简政放权,市审改办,市直各相关单位,2021年底前,,\n"
    )
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    plan = load_plan(path)
    assert plan.used["header_row"] == 1 and plan.used["rows"] == [3, 3]
    assert plan.used["columns"] == {
        "序号": "serial",
        "工作要点": "title",
        "责任单位/牵头单位": "lead",
        "责任单位/配合单位": "responsible",
        "完成时限": "deadline",
    }
    (t,) = plan.tasks
    assert (t.lead_units, t.responsible_units, t.deadline) == (["市审改办"], ["市直各相关单位"], date(2021, 12, 31))


def test_an_empty_template_sheet_with_the_same_header_is_not_chosen(tmp_path):
    wb = openpyxl.Workbook()
    template = wb.active
    template.title = "模板"
    header = ["序号", "工作要点", "牵头单位", "责任单位", "完成时限"]
    template.append(header)
    real = wb.create_sheet("2021年")
    real.append(header)
    real.append([1, "简政放权", "市审改办", "市直各相关单位", "2021年底前"])
    real.cell(5, 30, "   ")  # a stray formatted cell far to the right
    wb.save(tmp_path / "t.xlsx")
    plan = load_plan(tmp_path / "t.xlsx")
    assert plan.used["sheet"] == "2021年" and [t.title for t in plan.tasks] == ["简政放权"]
    assert "未使用的工作表:模板" in plan.warnings


def test_sheet_with_too_many_rows_is_refused(tmp_path, monkeypatch):
    from tasks.errors import ImportFailed
    from tasks.importers import tables_read

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "工作要点", "牵头单位", "完成时限"])
    for i in range(1, 11):
        ws.append([i, f"任务{i}", "市审改办", "2021年底前"])
    wb.save(tmp_path / "t.xlsx")
    assert len(load_plan(tmp_path / "t.xlsx").tasks) == 10
    monkeypatch.setattr(tables_read, "MAX_ROWS", 5)
    with pytest.raises(ImportFailed, match="行数超过 5 行"):
        load_plan(tmp_path / "t.xlsx")


def test_prenumbered_empty_template_rows_are_not_tasks(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "工作要点", "牵头单位", "完成时限"])
    ws.append([1, "简政放权", "市审改办", "2021年底前"])
    for i in range(2, 6):
        ws.append([i, None, None, None])
    wb.save(tmp_path / "t.xlsx")
    plan = load_plan(tmp_path / "t.xlsx")
    assert [t.id for t in plan.tasks] == ["1"] and plan.used["rows"] == [2, 2]
