"""Issue 14: the conventions real documents use to assign tasks, each as a short synthetic document."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.errors import ImportFailed
from tasks.importers import load_plan
from tasks.importers.confidence import confidence


def _plan(tmp_path: Path, text: str, name: str = "doc.txt", encoding: str = "utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return load_plan(p)


def _rows(plan):
    return [
        (t.id, t.lead_units, t.responsible_units, t.deadline.isoformat() if t.deadline else None) for t in plan.tasks
    ]


# ---------------------------------------------------------------- compound labels
def test_compound_labels_lead_responsible_and_persons(tmp_path):
    plan = _plan(
        tmp_path,
        """某市2021年改革方案
1.推行一窗受理。
牵头责任单位:市政务服务中心
协同责任单位:市财政局、市人社局
协办单位:市医保局
牵头负责领导:王某某
完成时限:2021年底前
2.推行周末轮班。
牵头单位:市人社局
配合部门:市公安局
参与单位:各乡镇(街道)
责任领导:李某、张某
完成时限:2021年8月底前
""",
    )
    assert _rows(plan) == [
        ("1", ["市政务服务中心"], ["市财政局", "市人社局", "市医保局"], "2021-12-31"),
        ("2", ["市人社局"], ["市公安局", "各乡镇(街道)"], "2021-08-31"),
    ]
    assert plan.tasks[0].persons == ["王某某"] and plan.tasks[1].persons == ["李某", "张某"]
    assert "王某某" not in plan.tasks[0].units
    assert confidence(plan)["level"] == "high"


def test_compound_labels_inside_brackets_on_one_line(tmp_path):
    plan = _plan(
        tmp_path,
        "某市2021年方案\n3.推行帮办代办。(牵头责任单位:市发改局;协同责任单位:市工信局;"
        "牵头负责领导:赵某;完成时限:2021年6月底前)\n",
    )
    assert _rows(plan) == [("3", ["市发改局"], ["市工信局"], "2021-06-30")]
    assert plan.tasks[0].persons == ["赵某"]


# ---------------------------------------------------------------- unlabelled lists
def test_unlabelled_lists_with_the_stated_rule(tmp_path):
    plan = _plan(
        tmp_path,
        """国务院办公厅关于进一步优化营商环境的通知(2022年)
各项任务中,排在第一位的部门为牵头部门,其他部门按职责分工负责。
1.压减进出口环节审批。(财政部、海关总署、税务总局负责,2022年底前完成)
2.推进电子发票。(税务总局负责)
3.规范涉企收费。(市场监管总局牵头,国家发展改革委、财政部按职责分工负责)
""",
    )
    assert _rows(plan) == [
        ("1", ["财政部"], ["海关总署", "税务总局"], "2022-12-31"),
        ("2", ["税务总局"], [], None),
        ("3", ["市场监管总局"], ["国家发展改革委", "财政部"], None),
    ]
    c = confidence(plan)
    assert c["first_leads_line"] == 2 and c["unlabelled"] == ["1"] and c["no_lead"] == []


def test_stated_rule_variant_xia_tong_applies_only_after_it(tmp_path):
    plan = _plan(
        tmp_path,
        """某省2022年实施方案
1.建立清单。(省发展改革委、省财政厅负责)
以下各项,列第一位的单位为牵头单位,下同。
2.推行承诺制。(省司法厅、省市场监管局负责)
""",
    )
    assert _rows(plan) == [
        ("1", [], ["省发展改革委", "省财政厅"], None),
        ("2", ["省司法厅"], ["省市场监管局"], None),
    ]


def test_unlabelled_list_without_a_rule_is_responsible_with_a_warning(tmp_path):
    plan = _plan(tmp_path, "某市2022年方案\n1.清理证明事项。(市司法局、市公安局、市民政局负责,2022年6月底前完成)\n")
    assert _rows(plan) == [("1", [], ["市司法局", "市公安局", "市民政局"], "2022-06-30")]
    assert any("任务1:单位列表未写明牵头或责任" in w and "已全部列为责任单位" in w for w in plan.warnings)
    assert "任务1:没有牵头单位" in plan.warnings
    c = confidence(plan)
    assert c["no_lead"] == ["1"] and c["unlabelled"] == ["1"] and c["level"] == "low"


# ---------------------------------------------------------------- sub-items
def test_assignments_at_sub_item_level_on_one_line(tmp_path):
    plan = _plan(
        tmp_path,
        "某市2021年实施方案\n一、重点任务\n"
        "1.深化商事制度改革。(1)放宽住所登记条件。(市工商质监局牵头负责)"
        "(2)推行全程电子化登记。(市行政审批局牵头,市数据局配合,2021年9月底前完成)\n"
        "2.优化纳税服务。(市税务局牵头,2021年底前完成)\n",
    )
    assert _rows(plan) == [
        ("1.1", ["市工商质监局"], [], None),
        ("1.2", ["市行政审批局"], ["市数据局"], "2021-09-30"),
        ("2", ["市税务局"], [], "2021-12-31"),
    ]
    t11, t12, t2 = plan.tasks
    assert (t11.title, t11.section) == ("放宽住所登记条件", "1.深化商事制度改革")
    assert (t12.title, t12.section) == ("推行全程电子化登记", "1.深化商事制度改革")
    assert t2.section == "一、重点任务"


def test_assignments_at_sub_item_level_on_separate_lines(tmp_path):
    plan = _plan(
        tmp_path,
        "某市2021年实施方案\n3.提升政务服务水平。\n(1)推行预约服务。(市政务服务中心牵头)\n"
        "(2)推行延时服务。(市政务服务中心牵头,各进驻单位配合,长期坚持)\n",
    )
    assert _rows(plan) == [("3.1", ["市政务服务中心"], [], None), ("3.2", ["市政务服务中心"], ["各进驻单位"], None)]
    assert plan.tasks[1].deadline_kind == "ongoing"
    assert {t.section for t in plan.tasks} == {"3.提升政务服务水平"}


def test_sub_items_without_their_own_assignment_stay_one_task(tmp_path):
    plan = _plan(tmp_path, "某市2021年方案\n1.优化流程。(1)减材料;(2)减环节。(市审改办牵头,2021年底前完成)\n")
    assert _rows(plan) == [("1", ["市审改办"], [], "2021-12-31")]


# ---------------------------------------------------------------- brackets and notes
@pytest.mark.parametrize(
    "opening,closing", [("〔", "〕"), ("[", "]"), ("【", "】"), ("(", ")"), ("(", ")"), ("(", ")"), ("(", ")")]
)
def test_bracket_forms(tmp_path, opening, closing):
    plan = _plan(
        tmp_path,
        f"某市2021年方案\n1.推行叫号。{opening}牵头单位:市数字办,责任单位:各县(市、区)人民政府;"
        f"完成时限:2021年6月底前{closing}\n",
    )
    assert _rows(plan) == [("1", ["市数字办"], ["各县(市、区)人民政府"], "2021-06-30")]


def test_a_note_after_the_full_stop_inside_brackets_is_not_a_unit(tmp_path):
    plan = _plan(
        tmp_path,
        "某市2021年方案\n1.推行综合窗口。(牵头单位:市政务服务中心,责任单位:市直各单位。"
        "以下任务均需各区市落实,不再一一列出)\n"
        "2.推行帮办。(市人社局牵头,各区市按职责分工负责。具体方案另行制定)\n",
    )
    assert _rows(plan) == [("1", ["市政务服务中心"], ["市直各单位"], None), ("2", ["市人社局"], ["各区市"], None)]
    assert any("任务1:括号内“以下任务均需各区市落实,不再一一列出”是说明文字" in w for w in plan.warnings)


# ---------------------------------------------------------------- traditional characters
def test_traditional_characters_labels_and_deadlines(tmp_path):
    plan = _plan(
        tmp_path,
        """某縣2021年政務服務改革方案
1.推行綜合窗口受理。
牽頭單位:縣政務服務中心
責任單位:縣財政局、縣市場監督管理局
完成時限:6月底完成
2.推行周末輪班。(縣人社局牽頭,各鄉鎮按職責分工負責,2021年底前完成)
""",
    )
    assert _rows(plan) == [
        ("1", ["縣政務服務中心"], ["縣財政局", "縣市場監督管理局"], "2021-06-30"),
        ("2", ["縣人社局"], ["各鄉鎮"], "2021-12-31"),
    ]
    t1, t2 = plan.tasks
    assert t1.lead_units_canonical == ["县政务服务中心"]
    assert t1.responsible_units_canonical == ["县财政局", "县市场监督管理局"]
    assert t2.responsible_units_canonical == ["各乡镇"] and t2.collective_units == ["各鄉鎮"]
    assert t1.title == "推行綜合窗口受理" and t1.deadline_text == "6月底完成"
    assert any("繁体" in w for w in plan.warnings)


def test_traditional_gbk_big5_free_utf16(tmp_path):
    text = "某市2021年方案\n1.推行叫號。(市數字辦牽頭,市直各相關單位按職責分工負責,長期堅持)\n"
    plan = _plan(tmp_path, text, encoding="utf-16")
    assert _rows(plan) == [("1", ["市數字辦"], ["市直各相關單位"], None)]
    assert plan.tasks[0].deadline_kind == "ongoing"


# ---------------------------------------------------------------- numbering
def test_the_documents_own_numbers_are_the_ids(tmp_path):
    plan = _plan(
        tmp_path,
        """某市2021年方案
一、总体要求
2.推行叫号。(市数字办牵头)
(十三)推行预约。(市政务服务中心牵头)
第5条 推行延时。(市人社局牵头)
""",
    )
    assert [t.id for t in plan.tasks] == ["2", "13", "5"]
    assert confidence(plan)["renumbered"] == []
    assert not any("编号" in w for w in plan.warnings)


def test_unnumbered_tasks_are_numbered_and_the_plan_says_so(tmp_path):
    plan = _plan(tmp_path, "某市2021年方案\n推行叫号。(市数字办牵头)\n推行预约。(市政务服务中心牵头)\n")
    assert [t.id for t in plan.tasks] == ["1", "2"]
    assert any("2项任务没有编号,已按出现顺序编号" in w for w in plan.warnings)
    assert confidence(plan)["renumbered"] == ["1", "2"]


def test_block_tasks_numbered_1000_and_above_are_kept(tmp_path):
    """Issue 19: 1,003 tasks in, 1,003 out (tasks 1000 and above were dropped)."""
    blocks = "".join(f"{i}.任务第{i}项。\n牵头单位:市审改办\n完成时限:2021年底前\n" for i in range(1, 1004))
    plan = _plan(tmp_path, "某市2021年方案\n" + blocks)
    assert len(plan.tasks) == 1003
    assert [t.id for t in plan.tasks[-4:]] == ["1000", "1001", "1002", "1003"]
    assert plan.tasks[-1].title == "任务第1003项"


def test_a_year_at_the_start_of_a_line_is_not_task_2021(tmp_path):
    plan = _plan(tmp_path, "某市2021年方案\n1.推行叫号。\n牵头单位:市数字办\n2021.各单位要抓好落实。(市政府办牵头)\n")
    assert [t.id for t in plan.tasks] == ["1", "2"]  # the 2021. paragraph is an unnumbered task, not “2021”


# ---------------------------------------------------------------- truncated input
def test_a_task_cut_off_in_its_brackets_is_a_warning_not_a_task(tmp_path):
    plan = _plan(
        tmp_path, "某市2021年方案\n1.推行叫号。(市数字办牵头,2021年底前完成)\n2.推行预约服务。(市政务服务中心牵头,各区"
    )
    assert [t.id for t in plan.tasks] == ["1"]
    assert any("第3行" in w and "疑似截断" in w and "各区" in w for w in plan.warnings)


def test_a_block_task_cut_off_in_its_unit_list_is_a_warning(tmp_path):
    plan = _plan(
        tmp_path,
        "某市2021年方案\n1.推行叫号。\n牵头单位:市数字办\n2.推行预约。\n牵头单位:市政务服务中心\n责任单位:市公安局、区",
    )
    assert [t.id for t in plan.tasks] == ["1"]
    assert any("任务2" in w and "疑似截断" in w and "“区”" in w for w in plan.warnings)
    assert all(u != "区" for t in plan.tasks for u in t.units)


# ---------------------------------------------------------------- length caps (issue 19)
def test_a_million_character_title_is_refused(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "任务名称", "牵头单位", "完成时限"])
    ws.append([1, "推行叫号", "市数字办", "2021年底前"])
    ws.append([2, "长" * 5_000, "市数字办", "2021年底前"])
    wb.save(tmp_path / "big.xlsx")
    with pytest.raises(ImportFailed) as err:
        load_plan(tmp_path / "big.xlsx")
    msg = str(err.value)
    assert "big.xlsx" in msg and "第3行" in msg and "任务2" in msg and "超过上限1,000字" in msg
    assert "任务名称有" in msg
    # a million characters never reach the importer: the one reader refuses the cell (file, sheet, row);
    # openpyxl cuts cells at 32,767 characters, so the long cell is written into the sheet's XML by hand
    import zipfile

    ws.cell(3, 2, "LONGTEXT")
    wb.save(tmp_path / "marked.xlsx")
    with zipfile.ZipFile(tmp_path / "marked.xlsx") as src, zipfile.ZipFile(tmp_path / "huge.xlsx", "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b"LONGTEXT", ("长" * 1_000_000).encode())
                item.compress_type = zipfile.ZIP_STORED  # a 3 MB file, not a suspicious compression ratio
            dst.writestr(item, data)
    with pytest.raises(ImportFailed) as err:
        load_plan(tmp_path / "huge.xlsx")
    msg = str(err.value)
    assert "huge.xlsx" in msg and "第3行" in msg and "32767" in msg


def test_a_description_over_the_cap_in_a_text_document_is_refused(tmp_path):
    with pytest.raises(ImportFailed, match="具体内容有.*字,超过上限20,000字"):
        _plan(tmp_path, "某市2021年方案\n1.推行叫号。" + "说" * 25000 + "。(市数字办牵头)\n")


def test_traditional_html_table(tmp_path):
    html = (
        "<html><body><p>某市2021年任務分解表</p><table>"
        "<tr><th>序號</th><th>工作任務</th><th>牽頭單位</th><th>責任單位</th><th>完成時限</th></tr>"
        "<tr><td>1</td><td>推行綜合窗口</td><td>市政務服務中心</td><td>市財政局、市人社局</td><td>2021年6月底前</td></tr>"
        "<tr><td>2</td><td>推行周末輪班</td><td>市人社局</td><td>各縣(市、區)人民政府</td><td>長期堅持</td></tr>"
        "</table></body></html>"
    )
    plan = _plan(tmp_path, html, name="t.html")
    assert _rows(plan) == [
        ("1", ["市政務服務中心"], ["市財政局", "市人社局"], "2021-06-30"),
        ("2", ["市人社局"], ["各縣(市、區)人民政府"], None),
    ]
    assert plan.tasks[1].responsible_units_canonical == ["各县(市、区)人民政府"]
    assert plan.tasks[1].deadline_kind == "ongoing"


def test_addressees_of_the_notice_are_not_unrecognised_labels(tmp_path):
    plan = _plan(
        tmp_path,
        "某市2021年方案\n各县(市、区)人民政府,市直有关单位:\n现将方案印发给你们。\n"
        "1.推行叫号。\n牵头单位:市数字办\n主办科室:信息科\n",
    )
    assert plan.used["unknown_labels"] == ["主办科室"]
    assert confidence(plan)["level"] == "low"


def test_a_leader_column_in_a_workbook_is_not_the_lead_unit(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "任务名称", "牵头单位", "牵头负责领导", "责任单位", "责任领导", "完成时限"])
    ws.append([1, "推行叫号", "市数字办", "王某", "市公安局", "李某", "2021年底前"])
    wb.save(tmp_path / "t.xlsx")
    t = load_plan(tmp_path / "t.xlsx").tasks[0]
    assert (t.lead_units, t.responsible_units) == (["市数字办"], ["市公安局"])


def test_a_unit_list_and_a_deadline_without_role_words(tmp_path):
    plan = _plan(
        tmp_path,
        "某市2021年方案\n1.推行延时。(市人社局、市医保局,2021年底前)\n2.推行帮办。(市审改办,9月底前)\n"
        "3.本条(含说明,试行)不是任务。\n",
    )
    assert _rows(plan) == [("1", [], ["市人社局", "市医保局"], "2021-12-31"), ("2", ["市审改办"], [], "2021-09-30")]
    assert confidence(plan)["unlabelled"] == ["1"]


def test_half_bracket_and_circled_sub_item_numbers(tmp_path):
    plan = _plan(
        tmp_path, "某市2021年方案\n2.提升服务。\n1)推行叫号。(市数字办牵头)\n②推行预约。(市政务服务中心牵头)\n"
    )
    assert [(t.id, t.title, t.section, t.lead_units) for t in plan.tasks] == [
        ("2.1", "推行叫号", "2.提升服务", ["市数字办"]),
        ("2.2", "推行预约", "2.提升服务", ["市政务服务中心"]),
    ]
