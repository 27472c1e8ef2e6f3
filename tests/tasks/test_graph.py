"""Dependency graph on a hand-built copy of the 2021 Leiyang appendix (seed deadlines, simplified units).

Predecessor file (task ← predecessor): 11←10, 12←11, 7←6, 5←2, 13←5, 23←22.
Due dates: 10 08-31, 11 06-30, 12 08-31, 6 08-31, 7 12-31, 2 08-31, 5 09-30,
13 09-30, 22 ongoing (长期坚持), 23 09-30.  The same numbers are checked on the
real seed in test_graph_seed.py.
"""

from __future__ import annotations

from datetime import date

import pytest
from graph_helpers import LINKS_CSV, seed_like_plan

from tasks.errors import WorkbenchError
from tasks.graph import (
    BadPredecessorText,
    CycleError,
    PredecessorFileError,
    UnknownPredecessor,
    analyse,
    build_combined,
    build_graph,
    check_predecessors,
    collaboration_pairs,
    critical_path,
    deadline_inversions,
    expand_collectives,
    load_members,
    load_table,
    parse_predecessor_text,
    read_predecessor_file,
    set_predecessors,
    slack,
    slip_impact,
    unit_centrality,
    unit_load,
)
from tasks.model import Milestone, Plan, Task


@pytest.fixture
def links(tmp_path):
    p = tmp_path / "predecessors.csv"
    p.write_text(LINKS_CSV, encoding="utf-8")
    return read_predecessor_file(p)


@pytest.fixture
def g(links):
    return build_graph(seed_like_plan(), links)


# ------------------------------------------------------------------ parsing
@pytest.mark.parametrize(
    "text, ids",
    [
        ("3", ["3"]),
        ("3、5", ["3", "5"]),
        ("3-5", ["3", "4", "5"]),
        ("3~5,7", ["3", "4", "5", "7"]),
        ("三至五", ["3", "4", "5"]),
        ("第十二项", ["12"]),
        ("任务3和任务4", ["3", "4"]),
        ("２；１０", ["2", "10"]),
        (7.0, ["7"]),
        ("12.0", ["12"]),
        ("无", []),
        ("", []),
        (None, []),
        ("3.1", ["3.1"]),
        ("5、5", ["5"]),
    ],
)
def test_parse_predecessor_text(text, ids):
    assert parse_predecessor_text(text) == ids


@pytest.mark.parametrize("text", ["见上", "5-3", "3-", "1-999"])
def test_parse_predecessor_text_refuses_what_is_not_ids(text):
    with pytest.raises(BadPredecessorText) as e:
        parse_predecessor_text(text)
    assert "无法识别的前置任务" in str(e.value)


def test_read_predecessor_file_keeps_rows_and_expands_ranges(tmp_path):
    p = tmp_path / "links.csv"
    p.write_bytes("任务,前置任务\n12,10-11\n\n7,六\n".encode("gbk"))  # GBK, as Excel on Chinese Windows saves
    got = [(ln.task, ln.predecessor, ln.origin) for ln in read_predecessor_file(p)]
    assert got == [("12", "10", "links.csv 第2行"), ("12", "11", "links.csv 第2行"), ("7", "6", "links.csv 第4行")]


def test_read_predecessor_file_xlsx_english_headers(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["task", "predecessor"])
    wb.active.append([11, 10])
    wb.active.append(["12", "11"])
    wb.save(tmp_path / "p.xlsx")
    assert [(ln.task, ln.predecessor, ln.origin) for ln in read_predecessor_file(tmp_path / "p.xlsx")] == [
        ("11", "10", "p.xlsx 第2行"),
        ("12", "11", "p.xlsx 第3行"),
    ]


def test_predecessor_file_without_headers_or_with_bad_cell_names_the_row(tmp_path):
    p = tmp_path / "p.csv"
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(PredecessorFileError, match="p.csv 第1行: 找不到表头"):
        read_predecessor_file(p)
    p.write_text("任务,前置任务\n11,10\n12,见上\n", encoding="utf-8")
    with pytest.raises(BadPredecessorText, match="p.csv 第3行: 无法识别的前置任务“见上”"):
        read_predecessor_file(p)


# ------------------------------------------------------------------ errors naming rows
def test_unknown_predecessor_names_the_file_row(tmp_path):
    p = tmp_path / "predecessors.csv"
    p.write_text("任务,前置任务\n11,10\n12,99\n", encoding="utf-8")
    with pytest.raises(UnknownPredecessor) as e:
        build_graph(seed_like_plan(), read_predecessor_file(p))
    assert str(e.value) == "predecessors.csv 第3行: 前置任务“99”不存在"
    assert isinstance(e.value, WorkbenchError)


def test_unknown_task_in_file_is_named_too(tmp_path):
    p = tmp_path / "predecessors.csv"
    p.write_text("任务,前置任务\n40,10\n", encoding="utf-8")
    with pytest.raises(UnknownPredecessor, match="predecessors.csv 第2行: 任务“40”不存在"):
        build_graph(seed_like_plan(), read_predecessor_file(p))


def test_unknown_predecessor_from_table_column_names_the_source_row():
    plan = seed_like_plan()
    plan.task("3").predecessors = ["77"]
    with pytest.raises(UnknownPredecessor, match=r"耒阳方案.txt / 第103行: 前置任务“77”不存在"):
        build_graph(plan)


def test_two_task_cycle_names_loop_and_rows(tmp_path):
    p = tmp_path / "predecessors.csv"
    p.write_text("任务,前置任务\n7,5\n5,7\n", encoding="utf-8")
    with pytest.raises(CycleError) as e:
        build_graph(seed_like_plan(), read_predecessor_file(p))
    assert e.value.loop == ["5", "7", "5"]
    assert "5 → 7 → 5" in str(e.value)
    assert "predecessors.csv 第2行" in str(e.value) and "predecessors.csv 第3行" in str(e.value)


def test_three_task_cycle_starts_at_smallest_id_and_lists_each_link_row(tmp_path):
    p = tmp_path / "predecessors.csv"
    # links 10→11 (row 2), 12→10 (row 3), 11→12 (row 4): the loop is 10 → 11 → 12 → 10
    p.write_text("任务,前置任务\n11,10\n10,12\n12,11\n", encoding="utf-8")
    with pytest.raises(CycleError) as e:
        build_graph(seed_like_plan(), read_predecessor_file(p))
    assert e.value.loop == ["10", "11", "12", "10"]
    assert e.value.origins == ["predecessors.csv 第2行", "predecessors.csv 第4行", "predecessors.csv 第3行"]


def test_self_link_is_a_cycle(tmp_path):
    plan = seed_like_plan()
    plan.task("4").predecessors = ["4"]
    with pytest.raises(CycleError, match="4 → 4"):
        build_graph(plan)


# ------------------------------------------------------------------ structure
def test_nodes_and_edges(g):
    assert g.nodes["task:22"]["due"] is None
    assert g.nodes["task:10"]["due"] == date(2021, 8, 31)
    assert g.edges["unit:市审改办", "task:1"]["role"] == "lead"
    assert g.edges["unit:市直各相关单位", "task:1"]["role"] == "responsible"
    assert g.nodes["unit:市直各相关单位"]["collective"] is True
    assert g.edges["task:10", "task:11"] == {"kind": "precedes", "origin": "predecessors.csv 第2行"}
    assert g.has_edge("section:一、审批改革", "task:3")


# ------------------------------------------------------------------ analyses, by hand
def test_inversions_by_hand(g):
    # 11 is due 2021-06-30, its predecessor 10 on 2021-08-31: 31 (Jul) + 31 (Aug) = 62 days.
    # 12 (08-31) after 11 (06-30), 7 (12-31) after 6 (08-31), 5 (09-30) after 2 (08-31): fine.
    # 13 and 5 are both 09-30: equal dates are not an inversion.  23 ← 22: 22 is ongoing, left out.
    assert deadline_inversions(g) == [
        {"task": "11", "predecessor": "10", "days": 62, "task_due": "2021-06-30", "predecessor_due": "2021-08-31"}
    ]


def test_critical_path_by_hand(g):
    # chains: 10→11→12 (3 tasks, slack -62 + 62 = 0), 2→5→13 (3 tasks, 30 + 0 = 30), 6→7 (2 tasks).
    # Longest are the two 3-task chains; the tighter (0 days) wins.
    cp = critical_path(g)
    assert cp["tasks"] == ["10", "11", "12"]
    assert cp["total_slack_days"] == 0
    assert [s["days_after_previous"] for s in cp["steps"]] == [None, -62, 62]


def test_critical_path_breaks_equal_tightness_by_ids():
    plan = seed_like_plan()
    for t, p in (("3", "1"), ("7", "3")):
        plan.task(t).predecessors.append(p)
    for t, p in (("16", "21"), ("32", "16")):
        plan.task(t).predecessors.append(p)
    # 1→3→7 and 21→16→32 are all 12-31: same length, same slack 0 → the one whose ids come first
    assert critical_path(build_graph(plan))["tasks"] == ["1", "3", "7"]


def test_slack_by_hand(g):
    s = slack(g)
    assert s["10"] == -62  # 11 downstream is due 62 days earlier
    assert s["11"] == 62  # 12 is due 08-31
    assert s["6"] == 122  # 7 is due 12-31: Sep 30 + Oct 31 + Nov 30 + Dec 31
    assert s["2"] == 30  # 5 and 13 are due 09-30
    assert s["5"] == 0
    assert s["12"] is None and s["7"] is None and s["13"] is None
    assert "22" not in s and "23" in s  # ongoing left out; 23 kept, its ongoing predecessor dropped


def test_slip_10_by_30_days_by_hand(g):
    # 10 finishes 09-30; 11 (due 06-30, already pushed to 08-31 by 10) now 09-30; 12 (due 08-31) 09-30.
    r = slip_impact(g, "10", 30)
    assert r["affected_tasks"] == ["11", "12"]
    assert [(d["task"], d["finish"], d["days_late"]) for d in r["details"]] == [
        ("11", "2021-09-30", 92),
        ("12", "2021-09-30", 30),
    ]
    units = {u["unit"]: u for u in r["affected_units"]}
    assert units["市政务服务中心"]["tasks"] == ["11", "12"] and units["市政务服务中心"]["roles"] == ["牵头"]
    assert units["市直各相关单位"]["tasks"] == ["11"] and units["市发改局"]["roles"] == ["责任"]


def test_slip_absorbed_by_slack(g):
    # 2 (08-31) late 20 days → 09-20; 5 is due 09-30: absorbed, 13 untouched
    r = slip_impact(g, "2", 20)
    assert r["affected_tasks"] == [] and r["absorbed_by"] == ["5"]
    # 45 days → 10-15: 5 and 13 (both due 09-30) are at risk by 15 days
    r = slip_impact(g, "2", 45)
    assert r["affected_tasks"] == ["5", "13"]
    assert [d["days_late"] for d in r["details"]] == [15, 15]
    # slack of 6 is 122 days: 122 is absorbed, 123 is not
    assert slip_impact(g, "6", 122)["affected_tasks"] == []
    assert slip_impact(g, "6", 123)["affected_tasks"] == ["7"]


def test_slip_of_a_task_held_back_by_its_predecessor(g):
    # 11 late 30 days → own 07-30, but 10 finishes 08-31 anyway: 12 (08-31) is not moved
    r = slip_impact(g, "11", 30)
    assert r["finish"] == "2021-08-31" and r["affected_tasks"] == []


def test_slip_errors(g):
    with pytest.raises(WorkbenchError, match="长期坚持"):
        slip_impact(g, "22", 10)
    with pytest.raises(WorkbenchError, match="任务“99”不存在"):
        slip_impact(g, "99", 10)


def test_milestones_use_the_last_date():
    plan = Plan(
        tasks=[
            Task(
                "1",
                deadline=date(2017, 9, 30),
                deadline_kind="date",
                milestones=[Milestone(date(2017, 9, 30), "上线试运行"), Milestone(date(2019, 12, 31), "扩容推广")],
            ),
            Task("2", deadline=date(2018, 6, 30), deadline_kind="date", predecessors=["1"]),
        ]
    )
    inv = deadline_inversions(build_graph(plan))
    assert inv[0]["predecessor_due"] == "2019-12-31" and inv[0]["days"] == 549


def test_analyse_summary(g):
    a = analyse(g)
    assert a["counts"] == {
        "tasks": 32,
        "units": 6,
        "sections": 2,
        "predecessor_links": 6,
        "dated_tasks": 28,
        "excluded_tasks": 4,
    }
    assert a["excluded"] == ["22", "24", "29", "30"]
    assert a["least_slack"][0] == {"task": "10", "slack_days": -62}


# ------------------------------------------------------------------ load and collaboration
def test_unit_load_by_month(g):
    rows = {r["unit"]: r for r in unit_load(g)}
    hall = rows["市政务服务中心"]
    # leads all 32: 12-31 ×6, 08-31 ×7, 09-30 ×9, 06-30 ×6, ongoing ×4
    assert (hall["led"], hall["joined"], hall["ongoing"]) == (32, 0, 4)
    assert {m: c["led"] for m, c in hall["by_month"].items()} == {
        "2021-06": 6,
        "2021-08": 7,
        "2021-09": 9,
        "2021-12": 6,
        "长期": 4,
    }
    # 市审改办 co-leads 1 (12), 2 (08), 3 (12), 4 (08), 5 (09)
    assert rows["市审改办"]["by_month"] == {
        "2021-08": {"led": 2, "joined": 0},
        "2021-09": {"led": 1, "joined": 0},
        "2021-12": {"led": 2, "joined": 0},
    }
    assert rows["市直各相关单位"]["joined"] == 29
    assert unit_load(g)[0]["unit"] == "市政务服务中心"
    done = unit_load(g, done={"1", "2"})
    assert next(r for r in done if r["unit"] == "市审改办")["open"] == 3


def test_load_table_months_sorted_ongoing_last(g):
    months, table = load_table(g)
    assert months == ["2021-06", "2021-08", "2021-09", "2021-12", "长期"]
    assert table["市审改办"] == {"2021-08": 2, "2021-09": 1, "2021-12": 2}


def test_collaboration_pairs(g):
    pairs = {tuple(p["units"]): p for p in collaboration_pairs(g)}
    assert pairs[("市审改办", "市政务服务中心")]["task_ids"] == ["1", "2", "3", "4", "5"]
    assert pairs[("市政务服务中心", "市直各相关单位")]["tasks"] == 29
    assert pairs[("市公安局", "市发改局")]["task_ids"] == ["12"]
    assert collaboration_pairs(g)[0]["units"] == ["市政务服务中心", "市直各相关单位"]
    no_coll = collaboration_pairs(g, include_collective=False)
    assert all("市直各相关单位" not in p["units"] for p in no_coll)


def test_centrality_names_the_hub_with_a_reason(g):
    c = unit_centrality(g)
    top = c["units"][0]
    # 市政务服务中心 is the only link between the 12th task's units and the others
    assert top["unit"] == "市政务服务中心" and top["betweenness"] > 0
    # pairs through it: {市公安局, 市发改局, 市市场监督管理局} × {市审改办, 市直各相关单位} = 6 of 10
    assert top["betweenness"] == 0.6
    assert "牵头32项" in top["reason"] and "约6对不直接协作的单位要经过它" in top["reason"]
    # no other unit stands between two others; ties go to the unit with more tasks
    assert [u["unit"] for u in c["units"][1:3]] == ["市直各相关单位", "市审改办"]
    assert "不处在其他单位协作的必经位置" in c["units"][1]["reason"]
    assert "精确计算" in c["method"]
    coll = next(u for u in c["units"] if u["unit"] == "市直各相关单位")
    assert "集体单位" in coll["reason"]


# ------------------------------------------------------------------ collective units, combined plans
def test_expand_collective_from_data_file(g):
    members = load_members()
    assert "市财政局" in members["市直各相关单位"]
    h = expand_collectives(g, {"市直各相关单位": ["市财政局", "市人社局"]})
    assert h.has_edge("unit:市直各相关单位", "unit:市财政局")
    assert h.edges["unit:市财政局", "task:1"] == {"kind": "unit", "role": "responsible", "via": "市直各相关单位"}
    rows = {r["unit"]: r for r in unit_load(h)}
    assert rows["市财政局"]["joined"] == 29 and rows["市直各相关单位"]["joined"] == 29
    assert not g.has_node("unit:市财政局")  # the original is untouched


def test_member_list_as_gbk_csv_or_xlsx_and_a_missing_file(tmp_path):
    # offices edit the list in Excel: GBK csv or xlsx must read the same as the bundled UTF-8 csv
    from openpyxl import Workbook

    text = "集体单位,成员单位,说明\n市直各相关单位,市财政局,\n市直各相关单位,市人社局,\n各乡镇(街道),城关镇,\n"
    (tmp_path / "m.csv").write_bytes(text.encode("gbk"))
    want = {"市直各相关单位": ["市财政局", "市人社局"], "各乡镇(街道)": ["城关镇"]}
    assert load_members(tmp_path / "m.csv") == want
    wb = Workbook()
    for line in text.splitlines():
        wb.active.append(line.split(","))
    wb.save(tmp_path / "m.xlsx")
    assert load_members(tmp_path / "m.xlsx") == want
    with pytest.raises(WorkbenchError, match="nope.csv: 集体单位成员表文件不存在"):
        load_members(tmp_path / "nope.csv")
    (tmp_path / "m.csv").write_text("集体单位,成员单位\n市直各相关单位,\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="m.csv 第2行: “成员单位”是空的"):
        load_members(tmp_path / "m.csv")


def test_combined_graph_prefixes_ids_and_shares_units():
    a, b = seed_like_plan(), seed_like_plan()
    b.task("2").predecessors = ["1"]
    g = build_combined({"2021": a, "2022": b})
    assert g.nodes["task:2021/5"]["plan"] == "2021" and g.nodes["task:2022/5"]["local_id"] == "5"
    assert g.has_edge("task:2022/1", "task:2022/2") and not g.has_edge("task:2021/1", "task:2021/2")
    rows = {r["unit"]: r for r in unit_load(g)}
    assert rows["市政务服务中心"]["led"] == 64
    assert deadline_inversions(g) == [
        {
            "task": "2022/2",
            "predecessor": "2022/1",
            "days": 122,
            "task_due": "2021-08-31",
            "predecessor_due": "2021-12-31",
        }
    ]


# ------------------------------------------------------------------ dashboard edits
def test_check_and_set_predecessors_before_saving():
    plan = seed_like_plan()
    plan.task("11").predecessors = ["10"]
    # a loop is refused and nothing is saved
    problems = set_predecessors(plan, "10", ["11"])
    assert [p["kind"] for p in problems] == ["cycle"] and problems[0]["loop"] == ["10", "11", "10"]
    assert plan.task("10").predecessors == []
    # an unknown id is refused
    assert check_predecessors(plan, "10", "99")[0]["message"] == "前置任务“99”不存在"
    assert check_predecessors(plan, "10", "见上")[0]["kind"] == "text"
    # an inversion is a warning: saved, and reported with its days (10 is 08-31, 1 is 12-31)
    problems = set_predecessors(plan, "10", "1、6")
    assert problems == [
        {
            "kind": "inversion",
            "predecessor": "1",
            "days": 122,
            "message": "任务10的完成时限(2021-08-31)比前置任务1(2021-12-31)早122天",
        }
    ]
    assert plan.task("10").predecessors == ["1", "6"]
    assert set_predecessors(plan, "12", ["11"]) == []


def test_cycle_found_behind_a_long_chain():
    # 1 → 2 → … → 60, plus 60 → 30: the loop is 30 → 31 → … → 60 → 30; 1-29 lead into it but are not on it
    plan = Plan(
        tasks=[
            Task(str(i), deadline=date(2021, 1, 1), predecessors=[str(i - 1)] if i > 1 else []) for i in range(1, 61)
        ]
    )
    plan.task("30").predecessors.append("60")
    with pytest.raises(CycleError) as e:
        build_graph(plan)
    assert e.value.loop == [str(i) for i in range(30, 61)] + ["30"]
    assert e.value.origins[-1] == "任务30"  # a hand-made plan has no source row: the task is named


def test_with_links_keeps_file_links_on_a_copy(links, tmp_path):
    from tasks.graph import with_links

    plan = seed_like_plan()
    merged = with_links(plan, links)
    assert merged.task("12").predecessors == ["11"] and plan.task("12").predecessors == []
    assert deadline_inversions(build_graph(merged))[0]["task"] == "11"
    bad = tmp_path / "bad.csv"
    bad.write_text("任务,前置任务\n5,7\n7,5\n", encoding="utf-8")
    with pytest.raises(CycleError):
        with_links(plan, read_predecessor_file(bad))


def test_predecessor_file_with_a_serial_column_uses_the_task_column(tmp_path):
    p = tmp_path / "p.csv"
    p.write_text("序号,任务,前置任务\n1,11,10\n2,12,11\n", encoding="utf-8")
    assert [(ln.task, ln.predecessor) for ln in read_predecessor_file(p)] == [("11", "10"), ("12", "11")]
