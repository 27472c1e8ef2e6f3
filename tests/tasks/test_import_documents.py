"""Policy documents (txt/docx/html) in their three layouts, encodings and bad inputs.

Also one test per deadline form and per unit-splitting rule of issue 2 (the
parsers live in tasks/deadlines.py and tasks/units.py; documents use them).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from tasks.deadlines import parse_deadline
from tasks.errors import ImportFailed
from tasks.importers import load_plan
from tasks.importers.text_body import parse_inline
from tasks.importers.text_units import is_unit_line, join_unit_fragments
from tasks.units import AliasTable, is_collective, split_units

FIXTURES = Path(__file__).parent.parent / "fixtures" / "documents"


def _iso(d):
    return d.isoformat() if d else None


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


# ---------------------------------------------------------------- block layout (the sample)
def test_block_sample_four_tasks(block_sample):
    plan = load_plan(block_sample)
    assert plan.title == "某市优化窗口服务工作方案"
    assert plan.issuer == "某市机关效能建设领导小组办公室"
    assert plan.date == date(2018, 6, 12)  # written 2018612
    assert [u["layout"] for u in plan.used["layouts"]] == ["block"]
    assert plan.used["layouts"][0]["lines"] == [15, 45]
    assert plan.warnings == []
    t1, t2, t3, t4 = plan.tasks
    assert (t1.id, t1.section, t1.title) == ("1", "一、提升窗口办事效率", "推行叫号系统联网")
    assert t1.description == "全市各级政务服务大厅叫号系统统一接入市级平台,实时汇聚取号、叫号、办结数据。"
    assert t1.lead_units == ["市数字办", "市政务服务中心管委会"]
    assert t1.lead_units_canonical == ["市数字办", "市政务服务中心"]  # alias table
    assert t1.responsible_units == ["各县(市、区)人民政府"]
    assert (_iso(t1.deadline), t1.deadline_text) == ("2018-08-31", "20188月底前")  # damaged 2018年8月底前
    assert (t1.source.file, t1.source.sheet, t1.source.row) == ("block-format-example.txt", None, 15)

    assert (t2.id, t2.title, t2.section) == ("2", "建立窗口等候时长预警", "一、提升窗口办事效率")
    assert t2.lead_units == ["市政务服务中心管委会"] and t2.responsible_units == []
    assert (t2.deadline, t2.deadline_kind, t2.deadline_text) == (None, "ongoing", "长期")

    assert (t3.id, t3.title, t3.section) == ("3", "推行周六上午轮班", "二、拓展错时延时服务")
    assert t3.responsible_units == ["市自然资源局", "市人社局", "市医保局", "市住房公积金中心"]
    assert [(_iso(m.date), m.text) for m in t3.milestones] == [
        ("2018-09-30", "2018年9月底前试运行"),
        ("2019-12-31", "2019年全面推行"),
    ]
    assert _iso(t3.deadline) == "2018-09-30"

    assert (t4.id, t4.title, t4.description) == ("4", "开展窗口服务“好差评”月度通报", "")
    assert t4.lead_units == ["市效能办"]
    assert t4.responsible_units == ["市直有关单位", "各县(市、区)人民政府"]
    assert t4.collective_units == ["市直有关单位", "各县(市、区)人民政府"]
    assert _iso(t4.deadline) == "2018-12-31"


BLOCK_VARIANTS = """某县2021年窗口服务提升方案
一、总体任务
1.推行延时服务。工作日中午不间断服务。
牵头单位:县政务服务中心;责任单位:县直各相关单位;完成时限:8月31日前
2.推行周末轮班。
牵头部门:县政务服务中心
配合单位:县不动产登记中心,
县人社局
完成时间:年内
3.开展满意度测评。
牵头单位:县效能办
完成时限:尽快
"""


def test_block_variants_plan_year_fields_on_one_line_and_continuations(tmp_path):
    plan = load_plan(_write(tmp_path, "v.txt", BLOCK_VARIANTS))
    t1, t2, t3 = plan.tasks
    assert t1.lead_units == ["县政务服务中心"] and t1.responsible_units == ["县直各相关单位"]
    assert _iso(t1.deadline) == "2021-08-31"  # 8月31日前 takes the year in the title
    assert t2.responsible_units == ["县不动产登记中心", "县人社局"]  # 配合单位 continues on the next line
    assert _iso(t2.deadline) == "2021-12-31"  # 年内
    # unreadable deadline: raw text kept, task listed in the warnings
    assert (t3.deadline, t3.deadline_kind, t3.deadline_text) == (None, "unknown", "尽快")
    assert any(w.startswith("任务3:完成时限“尽快”无法识别") for w in plan.warnings)
    assert t3.warnings == [w for w in plan.warnings if w.startswith("任务3:")]


def test_block_numbering_restarting_per_section_is_renumbered(tmp_path):
    text = (
        "一、甲\n(一)任务甲。\n牵头单位:市财政局\n完成时限:2021年底前\n"
        "二、乙\n(一)任务乙。\n牵头单位:市税务局\n完成时限:2021年底前\n"
    )
    plan = load_plan(_write(tmp_path, "r.txt", text))
    assert [(t.id, t.title, t.section) for t in plan.tasks] == [("1", "任务甲", "一、甲"), ("2", "任务乙", "二、乙")]
    assert any("重新编号" in w for w in plan.warnings)


# ---------------------------------------------------------------- inline layout
INLINE = """某市2021年政务服务攻坚行动方案
二、主要举措
(一)深入推进审批改革
1.大力推进简政放权。开展乡镇(街道)放权赋权回头看。(市审改办、市政务服务中心牵头,市经济开发区、各乡镇(街道)、市直各相关单位按职责分工负责,2021年底前完成)
2.优化外线施工办理环节。并联审批。(市政务服务中心、市城管局、国网某市供电公司等相关涉及部门按照职责分工负责,20219月底前完成)
3.完善网站功能。(市政务服务中心负责,长期坚持)
4.推行告知承诺制。(牵头单位:市司法局;责任单位:市直各相关单位;完成时限:2021年6月30日前)
(二)提升窗口服务
5.推行帮代办服务,为企业无偿代办(含延伸服务事项)。(市人社局牵头,各乡镇人民政府、街道办事处,市直各相关单位按职责分工负责,8月31日前完成)。
6.本段只有括号(含说明)不是任务。
"""


def test_inline_form_and_variants(tmp_path):
    plan = load_plan(_write(tmp_path, "inline.txt", INLINE))
    assert [u["layout"] for u in plan.used["layouts"]] == ["inline"]
    assert [t.id for t in plan.tasks] == ["1", "2", "3", "4", "5"]
    t1, t2, t3, t4, t5 = plan.tasks
    assert (t1.title, t1.description) == ("大力推进简政放权", "开展乡镇(街道)放权赋权回头看。")
    assert t1.section == "(一)深入推进审批改革" and t5.section == "(二)提升窗口服务"
    assert t1.lead_units == ["市审改办", "市政务服务中心"]
    assert t1.responsible_units == ["市经济开发区", "各乡镇(街道)", "市直各相关单位"]
    assert _iso(t1.deadline) == "2021-12-31"
    # without 牵头: every unit is responsible, and the missing lead is a warning
    assert t2.lead_units == [] and t2.responsible_units == ["市政务服务中心", "市城管局", "国网某市供电公司"]
    assert "任务2:没有牵头单位" in plan.warnings
    assert _iso(t2.deadline) == "2021-09-30"
    # a single unit that 负责 (not 按职责分工负责) leads
    assert t3.lead_units == ["市政务服务中心"] and t3.deadline_kind == "ongoing"
    # labelled fields inside the brackets
    assert (t4.lead_units, t4.responsible_units, _iso(t4.deadline)) == (["市司法局"], ["市直各相关单位"], "2021-06-30")
    # a clause without a marker before the 负责 clause is responsible; 8月31日前 takes the plan year
    assert t5.responsible_units == ["各乡镇人民政府", "街道办事处", "市直各相关单位"]
    assert _iso(t5.deadline) == "2021-08-31"
    assert t5.title == "推行帮代办服务,为企业无偿代办(含延伸服务事项)"


def test_parse_inline_clauses():
    assert parse_inline("市财政局牵头,2021年底前完成") == {"lead": "市财政局", "deadline": "2021年底前"}
    assert parse_inline("由市财政局牵头,市税务局配合") == {"lead": "市财政局", "responsible": "市税务局"}
    assert parse_inline("含延伸服务事项") is None
    assert parse_inline("第三版") is None


# ---------------------------------------------------------------- flattened appendix table rules
APPENDIX = """附件
某县2021年任务分解表
序号
工作要点
主要任务
牵头部门
责任部门
完成时限
一、第一部分
1
任务一
内容一。
县审改办
县政务服务中心
县经济开发区、各乡镇(街道)、县直各相关单位
2021年底前
2
任务二
内容二,不写句号
县政务服务中心
县直各相关
单位
长期坚持
二、第二部分
3
任务三
内容三。
县财政局
县税务局
县人社局
2021年9月底前试运行,
2022年全面推行
4
任务四
内容四。
县政务服务中心
县城管局、国网某县供电公司等相关涉及部门
三季度末
送:县委办
某县人民政府办公室 2021年8月9日印发
"""


def test_flattened_appendix_unit_lines(tmp_path):
    plan = load_plan(_write(tmp_path, "appendix.txt", APPENDIX))
    assert [u["layout"] for u in plan.used["layouts"]] == ["appendix"]
    t1, t2, t3, t4 = plan.tasks
    # a collective unit starts the responsible cell: the two lines before it are the lead cell
    assert t1.lead_units == ["县审改办", "县政务服务中心"]
    assert t1.responsible_units == ["县经济开发区", "各乡镇(街道)", "县直各相关单位"]
    assert (t1.title, t1.description, t1.section) == ("任务一", "内容一。", "一、第一部分")
    # 县直各相关 / 单位 is one unit broken over two lines
    assert t2.responsible_units == ["县直各相关单位"] and t2.deadline_kind == "ongoing"
    assert t2.description == "内容二,不写句号"
    # three single-unit lines, no clue: last line taken as responsible, and the user is told
    assert t3.lead_units == ["县财政局", "县税务局"] and t3.responsible_units == ["县人社局"]
    assert any(w.startswith("任务3:附件表牵头单位与责任单位分在3行") for w in plan.warnings)
    # a deadline cell on two lines gives two milestones
    assert [(_iso(m.date), m.text) for m in t3.milestones] == [
        ("2021-09-30", "2021年9月底前试运行"),
        ("2022-12-31", "2022年全面推行"),
    ]
    assert t4.responsible_units == ["县城管局", "国网某县供电公司"]
    assert _iso(t4.deadline) == "2021-09-30"  # 三季度末 in the plan's year
    assert plan.used["layouts"][0]["lines"] == [3, 38]  # the footer 送:… is not read
    assert [t.source.row for t in plan.tasks] == [10, 17, 25, 33]  # the serial lines


@pytest.mark.parametrize("written", ["尽快", "2021年13月底前", "视情况而定"])
def test_flattened_appendix_unreadable_deadline_is_kept_and_warned(tmp_path, written):
    """The cell stays the row's 完成时限 (not glued to the units or lost) and the user is told."""
    text = APPENDIX.replace("县直各相关\n单位\n长期坚持", f"县直各相关\n单位\n{written}")
    plan = load_plan(_write(tmp_path, "appendix.txt", text))
    t2 = plan.task("2")
    assert (t2.deadline, t2.deadline_kind, t2.deadline_text) == (None, "unknown", written)
    assert (t2.lead_units, t2.responsible_units) == (["县政务服务中心"], ["县直各相关单位"])
    assert t2.description == "内容二,不写句号"
    assert any(w.startswith(f"任务2:完成时限“{written}”无法识别") for w in plan.warnings)
    assert plan.task("3").lead_units == ["县财政局", "县税务局"]  # the next rows are unchanged


def test_flattened_appendix_unreadable_deadline_in_the_last_row(tmp_path):
    """The last row is followed by the footer: its dated 印发 line is not the task's deadline."""
    plan = load_plan(_write(tmp_path, "appendix.txt", APPENDIX.replace("三季度末", "尽快")))
    t4 = plan.task("4")
    assert (t4.deadline, t4.deadline_kind, t4.deadline_text) == (None, "unknown", "尽快")
    assert t4.lead_units == ["县政务服务中心"] and t4.responsible_units == ["县城管局", "国网某县供电公司"]
    assert plan.used["layouts"][0]["lines"] == [3, 38]
    assert any(w.startswith("任务4:完成时限“尽快”无法识别") for w in plan.warnings)


@pytest.mark.parametrize("written", ["尽快", "2021年13月底前"])
def test_inline_unreadable_deadline_is_kept_and_warned(tmp_path, written):
    text = INLINE.replace("(市政务服务中心负责,长期坚持)", f"(市政务服务中心负责,{written}完成)")
    t3 = load_plan(_write(tmp_path, "inline.txt", text)).task("3")
    assert (t3.deadline, t3.deadline_kind, t3.deadline_text) == (None, "unknown", written)
    assert t3.lead_units == ["市政务服务中心"]
    assert any(f"完成时限“{written}”无法识别" in w for w in t3.warnings)


def test_join_unit_fragments_and_unit_lines():
    assert join_unit_fragments(["市直各相关", "单位"]) == ["市直各相关单位"]
    assert join_unit_fragments(["市政务服务", "中心"]) == ["市政务服务中心"]
    assert join_unit_fragments(["市审改办", "市政务服务中心"]) == ["市审改办", "市政务服务中心"]
    assert join_unit_fragments(["增强用户黏性", "市政务服务中心"]) == ["增强用户黏性", "市政务服务中心"]
    assert is_unit_line("各县(市、区)人民政府,市直有关单位")
    assert not is_unit_line("持续畅通互动交流渠道,引导网民有序参与网上政府治理,增强用户黏性")
    assert not is_unit_line("送:市委办")


# ---------------------------------------------------------------- docx
def _docx_plan(path: Path, *, body_deadline_1: str = "2022年6月底前") -> Path:
    from docx import Document

    d = Document()
    d.add_paragraph("某县人民政府办公室关于印发《某县2022年政务服务提升方案》的通知")
    d.add_paragraph("某县人民政府办公室")
    d.add_paragraph("2022年3月1日")
    d.add_paragraph("一、主要任务")
    d.add_paragraph(
        f"1.推行综合窗口。整合部门窗口。(县政务服务中心牵头,县直各相关单位按职责分工负责,{body_deadline_1}完成)"
    )
    d.add_paragraph("2.推行周末轮班。周六上午轮班。(县政务服务中心、县人社局牵头,各乡镇(街道)按职责分工负责,长期坚持)")
    d.add_paragraph("4.推行帮代办。(县发改局牵头,县直各相关单位按职责分工负责,2022年底前完成)")
    d.add_paragraph("附件:任务分解表")
    t = d.add_table(rows=5, cols=5)
    for i, h in enumerate(["序号", "工作要点", "牵头单位", "责任单位", "完成时限"]):
        t.cell(0, i).text = h
    t.cell(1, 0).merge(t.cell(1, 4)).text = "一、主要任务"
    rows = [
        ["1", "推行综合窗口", "县政务服务中心", "县直各相关\n单位", "2022年6月底前"],
        ["2", "推行周末轮班", "", "各乡镇(街道)", "长期坚持"],
        ["3", "建立帮代办", "", "县直各相关单位", "年底前"],
    ]
    for r, row in enumerate(rows, start=2):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    t.cell(3, 2).merge(t.cell(4, 2)).text = "县政务服务中心\n县人社局"  # vertically merged lead cell
    d.save(str(path))
    return path


def test_docx_table_and_body_reconciled(tmp_path):
    plan = load_plan(_docx_plan(tmp_path / "plan.docx", body_deadline_1="2022年8月底前"))
    assert (plan.title, plan.issuer, plan.date) == (
        "某县2022年政务服务提升方案",
        "某县人民政府办公室",
        date(2022, 3, 1),
    )
    assert {u["layout"] for u in plan.used["layouts"]} == {"table", "inline"}
    assert [t.id for t in plan.tasks] == ["1", "2", "3", "4"]
    t1, t2, t3, t4 = plan.tasks
    assert (t1.source.file, t1.source.sheet, t1.source.row) == ("plan.docx", "表格1", 3)
    assert t1.responsible_units == ["县直各相关单位"] and t1.section == "一、主要任务"
    assert _iso(t1.deadline) == "2022-06-30"  # the table wins
    assert t2.lead_units == ["县政务服务中心", "县人社局"] and t3.lead_units == ["县政务服务中心", "县人社局"]
    assert _iso(t3.deadline) == "2022-12-31"
    assert t4.lead_units == ["县发改局"] and t4.source.sheet is None and t4.source.row == 7
    assert plan.warnings == [
        "任务1:正文与附件表的完成时限不一致:正文为“2022年8月底前”,附件表为“2022年6月底前”,已采用附件表",
        "任务3:只在附件表中出现,正文中没有对应的任务段落",
        "任务4:只在正文中出现,附件表中没有,已按正文导入",
    ]


def test_docx_block_layout(tmp_path, block_sample):
    from docx import Document

    d = Document()
    for line in block_sample.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d.add_paragraph(line)
    d.save(str(tmp_path / "block.docx"))
    plan = load_plan(tmp_path / "block.docx")
    assert [t.title for t in plan.tasks] == [
        "推行叫号系统联网",
        "建立窗口等候时长预警",
        "推行周六上午轮班",
        "开展窗口服务“好差评”月度通报",
    ]
    assert plan.task("3").responsible_units == ["市自然资源局", "市人社局", "市医保局", "市住房公积金中心"]
    assert plan.task("2").source.row == 12  # paragraph number (non-empty paragraphs)
    assert plan.date == date(2018, 6, 12)


def test_damaged_docx_is_refused(tmp_path):
    import zipfile

    p = tmp_path / "bad.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("word/document.xml", "<not xml")
    with pytest.raises(ImportFailed) as err:
        load_plan(p)
    assert str(err.value).startswith("bad.docx:")


# ---------------------------------------------------------------- html
HTML = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>某市方案</title>
<script>var x = "牵头单位:假的";</script></head><body>
<div class="nav">首页 &gt; 政策文件</div>
<table><tr><td>
<p>某市人民政府办公室关于印发《某市2021年一窗受理改革方案》的通知</p>
<p>某市人民政府办公室</p><p>2021年5月20日</p>
<p>一、主要任务</p>
<p>1.推行一窗受理。<span>设置综合窗口</span>。(市政务服务中心牵头,市直各相关单位按职责分工负责,2021年底前完成)</p>
<p>2.推行预约服务。(市政务服务中心牵头,各乡镇(街道)按职责分工负责,20218月底前完成)</p>
<p>附件</p>
<table border="1">
<tr><th>序号</th><th>工作要点</th><th>牵头单位</th><th>责任单位</th><th>完成时限</th></tr>
<tr><td colspan="5">一、主要任务</td></tr>
<tr><td>1</td><td>推行一窗受理</td><td rowspan="2">市政务服务中心</td><td>市直各相关<br>单位</td><td>2021年底前</td></tr>
<tr><td>2</td><td>推行预约服务</td><td>市直各相关单位</td><td>2021年8月底前</td></tr>
</table>
</td></tr></table></body></html>
"""


@pytest.mark.parametrize("charset,encoding", [("utf-8", "utf-8"), ("gbk", "gbk")])
def test_html_table_and_body(tmp_path, charset, encoding):
    plan = load_plan(_write(tmp_path, "plan.html", HTML.format(charset=charset), encoding))
    assert plan.title == "某市2021年一窗受理改革方案" and plan.date == date(2021, 5, 20)
    assert {u["layout"] for u in plan.used["layouts"]} == {"table", "inline"}
    t1, t2 = plan.tasks
    assert (t1.section, t1.title, t1.lead_units, t1.responsible_units, _iso(t1.deadline)) == (
        "一、主要任务",
        "推行一窗受理",
        ["市政务服务中心"],
        ["市直各相关单位"],
        "2021-12-31",
    )
    assert (t2.lead_units, _iso(t2.deadline)) == (["市政务服务中心"], "2021-08-31")  # rowspan lead
    assert t1.source.sheet == "表格1" and t1.source.row == 3
    assert plan.warnings == [
        "任务2:正文与附件表的责任单位不一致:正文为“各乡镇(街道)”,附件表为“市直各相关单位”,已采用附件表"
    ]


def test_html_block_layout(tmp_path, block_sample):
    paras = "".join(f"<p>{ln}</p>" for ln in block_sample.read_text(encoding="utf-8").splitlines() if ln.strip())
    plan = load_plan(_write(tmp_path, "block.htm", f"<html><body>{paras}</body></html>"))
    assert [t.id for t in plan.tasks] == ["1", "2", "3", "4"]
    assert plan.task("1").lead_units == ["市数字办", "市政务服务中心管委会"]


# ---------------------------------------------------------------- encodings and bad text
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_text_encodings(tmp_path, block_sample, encoding):
    text = block_sample.read_text(encoding="utf-8")
    plan = load_plan(_write(tmp_path, f"plan-{encoding}.txt", text, encoding))
    assert len(plan.tasks) == 4
    assert plan.task("3").lead_units == ["市政务服务中心管委会"]
    assert plan.title == "某市优化窗口服务工作方案"  # no BOM left in front of the first line


def test_mojibake_gbk_read_as_latin1_is_refused(tmp_path, block_sample):
    garbled = block_sample.read_text(encoding="utf-8").encode("gbk").decode("latin-1")
    with pytest.raises(ImportFailed) as err:
        load_plan(_write(tmp_path, "garbled.txt", garbled))
    assert "没有找到任何任务" in str(err.value) and str(err.value).startswith("garbled.txt")


def test_mojibake_utf8_read_as_gbk_is_refused(tmp_path, block_sample):
    garbled = block_sample.read_text(encoding="utf-8").encode("utf-8").decode("gbk", errors="replace")
    with pytest.raises(ImportFailed):
        load_plan(_write(tmp_path, "garbled2.txt", garbled))


def test_text_without_tasks_is_refused(tmp_path):
    text = "关于做好窗口服务工作的通知\n\n一、提高认识\n各单位要高度重视窗口服务工作。\n二、加强领导\n(一)明确责任。\n"
    with pytest.raises(ImportFailed) as err:
        load_plan(_write(tmp_path, "notice.txt", text))
    assert "没有找到任何任务" in str(err.value)
    with pytest.raises(ImportFailed):
        load_plan(_write(tmp_path, "empty.html", "<html><body><p>   </p></body></html>"))


# ---------------------------------------------------------------- deadline forms (tasks/deadlines.py)
@pytest.mark.parametrize(
    "value,expected",
    [
        ("2021年底前", "2021-12-31"),
        ("2021年8月底前", "2021-08-31"),
        ("20218月底前", "2021-08-31"),
        ("2021年6月30日前", "2021-06-30"),
        ("8月31日前", "2021-08-31"),
        ("年底前", "2021-12-31"),
        ("年内", "2021-12-31"),
        ("上半年", "2021-06-30"),
        ("三季度末", "2021-09-30"),
        ("第四季度", "2021-12-31"),
        ("2021-08-31", "2021-08-31"),
        ("2021/8/31", "2021-08-31"),
        (44439, "2021-08-31"),  # Excel serial day
        (datetime(2021, 8, 31), "2021-08-31"),  # Excel date cell
        (date(2021, 8, 31), "2021-08-31"),
        ("2021年9月上旬", "2021-09-10"),
        ("2021年9月中旬", "2021-09-20"),
        ("2021年9月下旬", "2021-09-30"),
        ("2021年8月至9月", "2021-09-30"),  # a month range ends with its last month
        ("2021年8-9月", "2021-09-30"),
    ],
)
def test_deadline_forms(value, expected):
    d = parse_deadline(value, 2021)
    assert (_iso(d.deadline), d.kind, d.warning) == (expected, "date", None)


@pytest.mark.parametrize("value", ["长期", "长期坚持", "持续推进"])
def test_ongoing_deadlines(value):
    d = parse_deadline(value, 2021)
    assert (d.deadline, d.kind, d.milestones, d.warning) == (None, "ongoing", [], None)


def test_deadline_milestones():
    d = parse_deadline("2017年9月底前上线试运行,2018-2019年扩容推广", 2017)
    assert _iso(d.deadline) == "2017-09-30"
    assert [(_iso(m.date), m.text) for m in d.milestones] == [
        ("2017-09-30", "2017年9月底前上线试运行"),
        ("2019-12-31", "2018-2019年扩容推广"),
    ]


@pytest.mark.parametrize("value", ["2021年13月底前", "2021年0月底前", "2021年32月", "2021年第五季度"])
def test_impossible_month_or_quarter_is_unreadable_not_year_end(value):
    d = parse_deadline(value, 2021)  # was silently read as 2021-12-31
    assert (d.deadline, d.kind, d.text) == (None, "unknown", value) and value in d.warning  # type: ignore[operator]


def test_unreadable_deadline_keeps_text_and_warns():
    d = parse_deadline("尽快", 2021)
    assert (d.deadline, d.kind, d.text) == (None, "unknown", "尽快") and "尽快" in d.warning  # type: ignore[operator]
    assert parse_deadline("年底前", None).kind == "unknown"  # no plan year: not guessed


# ---------------------------------------------------------------- unit rules (tasks/units.py)
@pytest.mark.parametrize("sep", ["、", ",", ",", ";", ";", "\n"])
def test_unit_separators(sep):
    assert split_units(f"市审改办{sep}市政务服务中心") == ["市审改办", "市政务服务中心"]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("各县(市、区)人民政府,市直有关单位", ["各县(市、区)人民政府", "市直有关单位"]),  # brackets (full width)
        ("各县(市、区)人民政府、各乡镇(街道)", ["各县(市、区)人民政府", "各乡镇(街道)"]),  # brackets (half width)
        ("市城管局、国网耒阳市供电公司等相关涉及部门", ["市城管局", "国网耒阳市供电公司"]),  # 等…
        ("市发改局、市财政局等", ["市发改局", "市财政局"]),
        ("市直各相关单位按职责分工负责", ["市直各相关单位"]),  # duty phrase
        ("市城管局按照职责分工负责", ["市城管局"]),
        ("市财政局。", ["市财政局"]),  # trailing punctuation
        ("市财政局、市税务局;", ["市财政局", "市税务局"]),
        (" 市 财政局 ", ["市财政局"]),
    ],
)
def test_unit_splitting_rules(text, expected):
    assert split_units(text) == expected


def test_unit_aliases_and_collectives(tmp_path):
    table = AliasTable.load()
    assert table.canonical("市行政服务中心管委会") == "市政务服务中心"
    assert table.canonical("市财政局") == "市财政局"
    extra = tmp_path / "aliases.csv"
    extra.write_text("别名,标准名称\n县行政服务中心,县政务服务中心\n", encoding="utf-8")
    assert AliasTable.load(extra).canonical("县行政服务中心") == "县政务服务中心"
    assert is_collective("市直各相关单位") and is_collective("各乡镇(街道)")
    assert not is_collective("市财政局")


@pytest.mark.parametrize(
    "name,collective",
    [
        ("市直各相关单位", True),
        ("县直有关单位", True),
        ("市直单位", True),
        ("市直机关各单位", True),
        ("各乡镇(街道)", True),
        ("各县(市、区)人民政府", True),
        ("领导小组成员单位", True),
        ("市直机关工委", False),  # one real unit (scorecards rank it), not “all units under the city”
        ("县直机关工委", False),
        ("市政务服务中心", False),
    ],
)
def test_collective_units(name, collective):
    assert is_collective(name) is collective


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_alias_table_saved_by_excel_is_read(tmp_path, encoding):
    """Excel on a Chinese Windows saves the alias CSV as GBK; a BOM comes from “CSV UTF-8”."""
    extra = tmp_path / "aliases.csv"
    extra.write_bytes("别名,标准名称\r\n县行政服务中心,县政务服务中心\r\n".encode(encoding))
    assert AliasTable.load(extra).aliases == {"县行政服务中心": "县政务服务中心"}


def test_aliases_apply_to_document_tasks_without_replacing_names(tmp_path, block_sample):
    plan = load_plan(block_sample, aliases=AliasTable({"市效能办": "市机关效能建设办公室"}))
    t4 = plan.task("4")
    assert t4.lead_units == ["市效能办"] and t4.lead_units_canonical == ["市机关效能建设办公室"]


def test_tab_separated_table_pasted_as_text(tmp_path):
    text = (
        "某县2021年任务分解表\n"
        "序号\t工作要点\t牵头单位\t责任单位\t完成时限\t前置任务\n"
        "一、第一部分\t\t\t\t\t\n"
        '1\t建设平台\t县数据局\t"县直各相关\n单位"\t2021年6月底前\t\n'
        "2\t上线运行\t县政务服务中心\t县数据局\t年底前\t1\n"
    )
    plan = load_plan(_write(tmp_path, "pasted.txt", text))
    assert [u["layout"] for u in plan.used["layouts"]] == ["tsv"]
    t1, t2 = plan.tasks
    assert (t1.section, t1.responsible_units, _iso(t1.deadline)) == ("一、第一部分", ["县直各相关单位"], "2021-06-30")
    assert (t2.predecessors, _iso(t2.deadline), t2.source.row) == (["1"], "2021-12-31", 6)


def test_grid_two_row_header():
    from tasks.importers.text_grid import parse_grid

    rows = [
        ["序号", "重点任务", "责任单位", "责任单位", "完成时限"],
        ["", "", "牵头单位", "配合单位", ""],
        ["1", "推行一窗受理", "市政务服务中心", "市直各相关单位", "2021年底前"],
        ["注:各单位每月报送进展。", "", "", "", ""],
        ["2", "不应读到", "市财政局", "", "2021年底前"],
    ]
    found = parse_grid(rows, sheet="表格1")
    assert [(t.id, t.lead, t.responsible, t.line) for t in found.tasks] == [
        ("1", "市政务服务中心", "市直各相关单位", 3)
    ]


def test_lead_marked_inside_responsible_list_and_mixed_inline(tmp_path):
    text = (
        "某区2021年方案\n一、任务\n"
        "(一)推行综合窗口。\n责任单位:区发改局(牵头)、区财政局\n完成时限:\n2021年底前\n"
        "(二)推行帮代办。(区政务服务中心牵头;完成时限:2021年9月底前)\n"
    )
    plan = load_plan(_write(tmp_path, "marks.txt", text))
    t1, t2 = plan.tasks
    assert (t1.lead_units, t1.responsible_units, _iso(t1.deadline)) == (["区发改局"], ["区财政局"], "2021-12-31")
    assert (t2.lead_units, _iso(t2.deadline)) == (["区政务服务中心"], "2021-09-30")


def test_html_bracket_on_its_own_line_joins_its_paragraph(tmp_path):
    html = (
        "<html><body><p>某市2021年方案</p><p>1.推行一窗受理。设置综合窗口。<br>"
        "(市政务服务中心牵头,市妇联、市残联按职责分工负责,2021年底前完成)</p>"
        "<p>2.推行预约服务。<br>(市政务服务中心牵头,长期坚持)</p></body></html>"
    )
    plan = load_plan(_write(tmp_path, "br.html", html))
    assert [(t.id, t.title, t.lead_units, t.responsible_units) for t in plan.tasks] == [
        ("1", "推行一窗受理", ["市政务服务中心"], ["市妇联", "市残联"]),
        ("2", "推行预约服务", ["市政务服务中心"], []),
    ]


def test_flattened_appendix_numbering_restarts_and_gaps(tmp_path):
    text = (
        "序号\n工作要点\n牵头单位\n责任单位\n完成时限\n"
        "一、甲\n1\n任务甲一\n市财政局\n市直各相关单位\n2021年底前\n"
        "二、乙\n1\n任务乙一\n市税务局\n市直各相关单位\n2021年6月底前\n"
        "3\n任务乙三\n市人社局\n市直各相关单位\n长期坚持\n"
    )
    plan = load_plan(_write(tmp_path, "restart.txt", text))
    assert [(t.id, t.title, t.section, t.lead_units) for t in plan.tasks] == [
        ("1", "任务甲一", "一、甲", ["市财政局"]),
        ("2", "任务乙一", "二、乙", ["市税务局"]),
        ("3", "任务乙三", "二、乙", ["市人社局"]),
    ]
    assert [t.source.row for t in plan.tasks] == [7, 13, 18]
    assert "附件表序号不连续:第1项之后是第3项,请核对是否漏项" in plan.warnings
    assert any("重新编号" in w for w in plan.warnings)


def test_gbk_file_cut_in_the_middle_of_a_character(tmp_path, block_sample):
    data = block_sample.read_text(encoding="utf-8").encode("gbk") + "某".encode("gbk")[:1]
    p = tmp_path / "cut.txt"
    p.write_bytes(data)
    plan = load_plan(p)
    assert len(plan.tasks) == 4 and plan.used["encoding"] == "gb18030"


def test_reconcile_reports_every_kind_of_difference():
    from tasks.importers.documents import reconcile
    from tasks.importers.text_layouts import RawTask

    table = [
        RawTask("1", "甲", lead="市财政局", responsible="市税务局", deadline="2021年9月底前试运行,2022年全面推行"),
        RawTask("2", "乙", lead="", responsible="市税务局", deadline="尽快"),
        RawTask("3", "丙", lead="市人社局", responsible="", deadline="2021年底前"),
    ]
    body = [
        RawTask("1", "甲", lead="市财政局", responsible="市税务局", deadline="2021年9月底前"),
        RawTask("2", "乙", lead="市发改局", responsible="市税务局", deadline="2021年6月底前"),
        RawTask("3", "丙", lead="市医保局", responsible="市直各相关单位", deadline="长期坚持"),
    ]
    tasks, warnings = reconcile(table, body, "p.txt", 2021)
    assert warnings == [
        "任务1:正文与附件表的时间节点不一致:正文为“2021年9月底前”,附件表为“2021年9月底前试运行,2022年全面推行”,已采用附件表",
        "任务2:附件表未写牵头单位,已采用正文中的“市发改局”",
        "任务2:附件表完成时限为“尽快”,已采用正文中的“2021年6月底前”",
        "任务3:正文与附件表的牵头单位不一致:正文为“市医保局”,附件表为“市人社局”,已采用附件表",
        "任务3:附件表未写责任单位,已采用正文中的“市直各相关单位”",
        "任务3:正文与附件表的完成时限不一致:正文为“长期坚持”,附件表为“2021年底前”,已采用附件表",
    ]
    t1, t2, t3 = tasks
    assert len(t1.milestones) == 2
    assert (t2.lead_units, t2.deadline.isoformat(), t2.deadline_kind) == (["市发改局"], "2021-06-30", "date")  # type: ignore[union-attr]
    assert not any("无法识别" in w or "没有牵头单位" in w for w in t2.warnings)
    assert (t3.lead_units, t3.responsible_units, t3.deadline.isoformat()) == (  # type: ignore[union-attr]
        ["市人社局"],
        ["市直各相关单位"],
        "2021-12-31",
    )
