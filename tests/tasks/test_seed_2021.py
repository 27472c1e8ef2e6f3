"""The real 2021 Leiyang action plan: its 32-row appendix, its body, and their agreement.

Every expected row below was copied by hand from the seed's appendix
(附件 任务分解表), not produced by the importer.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from conftest import ROOT

from tasks.importers import load_plan

S1 = "一、深入推进行政审批制度改革"
S2 = "二、持续推进三集中三到位改革"
S3 = "三、创新推进一件事一次办改革"
S4 = "四、扎实推进工程建设项目审批制度改革"
S5 = "五、加快推进互联网+政务服务建设"
S6 = "六、继续推进行政效能建设"
S7 = "七、深化政务公开政府网站管理"
S8 = "八、稳步推进惠企政策落地"

C = "市政务服务中心"
ALL = ["市直各相关单位"]
TOWNS = ["各乡镇(街道)", "市直各相关单位"]
EDZ = ["市经济开发区", "各乡镇(街道)", "市直各相关单位"]
ONGOING = None  # 长期坚持

# id, section, lead units, responsible units, deadline (None = 长期坚持), deadline text as written
EXPECTED = [
    ("1", S1, ["市审改办", C], EDZ, "2021-12-31", "2021年底前"),
    ("2", S1, ["市审改办", "市委编办", "市司法局", C], EDZ, "2021-08-31", "20218月底前"),
    (
        "3",
        S1,
        ["市审改办", "市发改局", "市司法局", "市自然资源局", "市住建局", "市市场监督管理局", C],
        ALL,
        "2021-12-31",
        "2021年底前",
    ),
    ("4", S1, ["市审改办", "市委优化办", C], ALL, "2021-08-31", "20218月底前"),
    ("5", S1, ["市审改办", C], ALL, "2021-09-30", "20219月底前"),
    ("6", S2, [C], ALL, "2021-08-31", "20218月底前"),
    ("7", S2, ["市委组织部", "市民政局", C], TOWNS, "2021-12-31", "2021年底前"),
    ("8", S2, [C], ALL, "2021-08-31", "20218月底前"),
    ("9", S2, [C], ALL, "2021-08-31", "20218月底前"),
    ("10", S2, [C], ALL, "2021-08-31", "20218月底前"),
    ("11", S3, [C], TOWNS, "2021-06-30", "20216月底前"),
    (
        "12",
        S3,
        ["市市场监督管理局", C],
        [
            "市发改局",
            "市公安局",
            "市人社局",
            "市医保局",
            "市税务局",
            "衡阳市住房公积金管理中心耒阳市管理部",
            "人民银行耒阳支行",
        ],
        "2021-08-31",
        "20218月底前",
    ),
    ("13", S3, [C], ALL, "2021-09-30", "20219月底前"),
    ("14", S3, [C], ALL, "2021-09-30", "20219月底前"),
    ("15", S3, ["市人社局", "市财政局", C], ALL, "2021-09-30", "20219月底"),
    (
        "16",
        S4,
        ["市发改局", "市自然资源局", "市住建局", C],
        ["市经济开发区", "市直各相关单位"],
        "2021-12-31",
        "2021年底前",
    ),
    ("17", S4, [C], ["市政公用服务单位"], "2021-09-30", "20219月底前"),
    # the cell reads 市城管局、国网耒阳市供电公司等相关涉及部门: 等相关涉及部门 is trimmed
    ("18", S4, [C], ["市城管局", "国网耒阳市供电公司"], "2021-09-30", "20219月底前"),
    ("19", S4, [C], ALL, "2021-09-30", "20219月底前"),
    ("20", S4, ["市自然资源局", "市住建局", C], ALL, "2021-09-30", "20219月底前"),
    # rows 21-31 write the responsible cell over two lines: 市直各相关 / 单位
    ("21", S5, [C], ALL, "2021-12-31", "2021年底前"),
    ("22", S5, ["市市场监督管理局", C], ALL, ONGOING, "长期坚持"),
    ("23", S5, ["市发改局", "市财政局", C], ALL, "2021-09-30", "20219月底前"),
    ("24", S5, [C], ALL, ONGOING, "长期坚持"),
    ("25", S6, [C], ALL, "2021-06-30", "20216月底前"),
    ("26", S6, [C], ALL, "2021-06-30", "20216月底前"),
    ("27", S6, [C], ALL, "2021-06-30", "20216月底前"),
    ("28", S6, [C], ALL, "2021-06-30", "20216月底前"),
    ("29", S7, [C], ALL, ONGOING, "长期坚持"),
    ("30", S7, [C], ALL, ONGOING, "长期坚持"),
    ("31", S7, [C], ALL, "2021-06-30", "20216月底前"),
    ("32", S8, ["市财政局", "市科工信局", "市税务局", "市人社局", C], ALL, "2021-12-31", "2021年底前"),
]

# where the body's inline form (…牵头,…按职责分工负责,…完成) says something else than the table
EXPECTED_WARNINGS = [
    "任务7:正文与附件表的责任单位不一致:正文为“各乡镇人民政府、街道办事处、市直各相关单位”,"
    "附件表为“各乡镇(街道)、市直各相关单位”,已采用附件表",
    "任务11:正文与附件表的责任单位不一致:正文为“各乡镇人民政府、街道办事处、市直各相关单位”,"
    "附件表为“各乡镇(街道)、市直各相关单位”,已采用附件表",
    "任务18:正文未单列牵头单位(正文写“市政务服务中心、市城管局、国网耒阳市供电公司”按职责分工负责),"
    "附件表牵头单位为“市政务服务中心”、责任单位为“市城管局、国网耒阳市供电公司”,已采用附件表",
]


# 工作要点 of each appendix row, as written (row 14's stray quotes are the seed's own extraction damage)
TITLES = [
    "大力推进简政放权",
    "推进政务服务事项标准化、规范化、便利化清单管理",
    "全面落实证明事项和涉企经营许可事项告知承诺制",
    "推行行政审批超时默认制度",
    "推行政务服务事项四减举措",
    "推进政务服务大厅三集中三到位改革",
    "推进基层公共服务一门式全覆盖",
    "推行政务服务大厅标准化管理",
    "推行政务服务预约、延时服务",
    "统一规范政务服务事项办事指南标准化",
    "推进一件事一次办改革",
    "推进企业开办全流程一件事一次办便利化改革",
    "推进互联网+政务服务一体化平台一件事一次办系统和一件事一次办微信小程序应用业务工作",
    "加快推进政务服务事项跨域通办”“全程网办",
    "持续推进政策兑现一件事一次办",
    "优化工程建设项目审批服务模式",
    "压缩市政公用服务报装流程",
    "优化外线施工办理环节",
    "推行工程建设项目帮代办服务",
    "推进工程建设项目联合踏勘、联合审图、联合验收工作机制",
    "推动数字政务建设、推进数据融合共享",
    "完善互联网+监管工作建设运维机制,强化互联网+监管系统应用",
    "加快网上中介超市建设",
    "完善政府网站政务服务旗舰店服务功能和应用场景",
    "提升政务服务满意度",
    "加快12345政务服务便民热线归并优化工作",
    "提高工单办理实效",
    "加强问题交办和处理",
    "建设政府信息公开专栏,主动公开各类规划",
    "推进政府信息公开政策解读",
    "加强政府网站和政务新媒体建设管理",
    "抓好惠企政策兑现实施",
]


def _check_rows(plan, *, only_fields=("lead", "resp", "deadline", "section")):
    assert [t.id for t in plan.tasks] == [row[0] for row in EXPECTED]
    for tid, section, lead, resp, deadline, text in EXPECTED:
        t = plan.task(tid)
        if "lead" in only_fields:
            assert t.lead_units == lead, tid
        if "resp" in only_fields:
            assert t.responsible_units == resp, tid
        if "deadline" in only_fields:
            assert (t.deadline.isoformat() if t.deadline else None) == deadline, tid
            assert t.deadline_kind == ("ongoing" if deadline is None else "date"), tid
        if "text" in only_fields:
            assert t.deadline_text == text, tid
        if "section" in only_fields:
            assert t.section == section, tid


def test_seed_appendix_rows(seed_2021):
    plan = load_plan(seed_2021)
    assert len(plan.tasks) == 32
    _check_rows(plan, only_fields=("lead", "resp", "deadline", "text", "section"))


def test_seed_appendix_titles(seed_2021):
    plan = load_plan(seed_2021)
    assert [t.title for t in plan.tasks] == TITLES


def test_bundled_workbook_titles():
    plan = load_plan(ROOT / "data" / "plans" / "leiyang-2021-tasks.xlsx")  # runs without ../shared
    assert [t.title for t in plan.tasks] == TITLES
    _check_rows(plan, only_fields=("lead", "resp", "deadline", "text", "section"))


def test_seed_plan_metadata_and_layouts(seed_2021):
    plan = load_plan(seed_2021)
    assert plan.title == "耒阳市2021年优化营商环境“政务服务便利化”攻坚行动方案"
    assert plan.issuer == "耒阳市人民政府办公室"
    assert plan.date == date(2021, 8, 9)  # written 202189 in the text
    assert plan.source_file == "leiyang-2021-action-plan.txt"
    layouts = {u["layout"]: u for u in plan.used["layouts"]}
    assert set(layouts) == {"appendix", "inline"}
    assert layouts["appendix"]["tasks"] == 32 and layouts["inline"]["tasks"] == 32
    assert layouts["appendix"]["lines"] == [159, 591]  # header 序号 … last deadline 2021年底前
    assert layouts["inline"]["lines"] == [56, 132]  # paragraphs 1. … 32.
    assert plan.used["plan_year"] == 2021


def test_seed_sources_and_texts(seed_2021):
    plan = load_plan(seed_2021)
    t1 = plan.task("1")
    assert (t1.source.file, t1.source.sheet, t1.source.row) == ("leiyang-2021-action-plan.txt", None, 173)
    assert plan.task("21").source.row == 423
    assert plan.task("32").source.row == 581
    assert t1.title == "大力推进简政放权"
    assert t1.description.startswith("按照应放尽放、能放全放") and t1.description.endswith("提升事项承接能力。")
    assert plan.task("13").title.startswith("推进互联网+政务服务一体化平台")
    assert plan.task("24").description == "持续畅通互动交流渠道,引导网民有序参与网上政府治理,增强用户黏性"
    assert plan.task("12").collective_units == []
    assert plan.task("1").collective_units == ["各乡镇(街道)", "市直各相关单位"]


def test_body_agrees_with_table_except_reported_differences(seed_2021):
    plan = load_plan(seed_2021)
    assert plan.warnings == EXPECTED_WARNINGS
    for tid in ("7", "11", "18"):
        assert plan.task(tid).warnings == [w for w in EXPECTED_WARNINGS if w.startswith(f"任务{tid}:")]


def _write_part(src: Path, dst: Path, keep) -> Path:
    lines = src.read_text(encoding="utf-8").split("\n")
    dst.write_text("\n".join(ln for n, ln in enumerate(lines, start=1) if keep(n)), encoding="utf-8")
    return dst


def test_body_alone_gives_the_same_leads_and_deadlines(seed_2021, tmp_path):
    """Cut the appendix off: the body's inline form alone must give the table's values."""
    body = load_plan(_write_part(seed_2021, tmp_path / "body.txt", lambda n: n < 146))
    assert [u["layout"] for u in body.used["layouts"]] == ["inline"]
    assert [t.id for t in body.tasks] == [r[0] for r in EXPECTED]
    for tid, _section, lead, resp, deadline, _text in EXPECTED:
        t = body.task(tid)
        assert (t.deadline.isoformat() if t.deadline else None) == deadline, tid
        if tid == "18":  # 市政务服务中心、市城管局、国网耒阳市供电公司等相关涉及部门按照职责分工负责
            assert t.lead_units == [] and t.responsible_units == lead + resp
        elif tid in ("7", "11"):
            assert t.lead_units == lead
            assert t.responsible_units == ["各乡镇人民政府", "街道办事处", "市直各相关单位"]
        else:
            assert (t.lead_units, t.responsible_units) == (lead, resp), tid
    assert body.task("1").section == "(一)深入推进行政审批制度改革"
    assert body.task("32").section == "(八)稳步推进惠企政策落地"


def test_table_alone_needs_no_body(seed_2021, tmp_path):
    """Without the body's hints the lead/responsible split still follows the cell shapes."""
    table = load_plan(_write_part(seed_2021, tmp_path / "table.txt", lambda n: n < 48 or n > 146))
    assert [u["layout"] for u in table.used["layouts"]] == ["appendix"]
    assert table.warnings == []
    _check_rows(table)


def test_cli_import_json(seed_2021):
    out = subprocess.run(
        [sys.executable, "-m", "tasks", "import", str(seed_2021), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == 32
    by_id = {r["id"]: r for r in rows}
    for tid, section, lead, resp, deadline, _text in EXPECTED:
        r = by_id[tid]
        assert (r["lead_units"], r["responsible_units"], r["deadline"], r["section"]) == (lead, resp, deadline, section)
    assert by_id["1"]["source"] == {"file": "leiyang-2021-action-plan.txt", "sheet": None, "row": 173}
    assert by_id["22"]["deadline_kind"] == "ongoing"
