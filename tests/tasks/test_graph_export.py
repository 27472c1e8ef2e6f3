"""Exports parse back: GraphML, GEXF, edge list csv/xlsx, DOT and the graphviz picture."""

from __future__ import annotations

import csv
import shutil

import networkx as nx
import pytest
from graph_helpers import LINKS_CSV, seed_like_plan
from openpyxl import load_workbook

from tasks.graph import (
    build_graph,
    edge_list,
    export_all,
    neighbourhood,
    read_predecessor_file,
    render,
    to_dot,
    write_edge_list,
    write_gexf,
    write_graphml,
)


@pytest.fixture
def g(tmp_path):
    p = tmp_path / "predecessors.csv"
    p.write_text(LINKS_CSV, encoding="utf-8")
    return build_graph(seed_like_plan(), read_predecessor_file(p))


def test_graphml_round_trip(g, tmp_path):
    back = nx.read_graphml(write_graphml(g, tmp_path / "g.graphml"))
    assert back.number_of_nodes() == g.number_of_nodes() and back.number_of_edges() == g.number_of_edges()
    assert back.nodes["task:10"]["due"] == "2021-08-31"
    assert "due" not in back.nodes["task:22"] and back.nodes["task:22"]["deadline_text"] == "长期坚持"
    assert back.edges["task:10", "task:11"]["origin"] == "predecessors.csv 第2行"
    assert back.edges["unit:市审改办", "task:1"]["label"] == "牵头"
    assert back.nodes["unit:市直各相关单位"]["collective"] is True


def test_gexf_round_trip(g, tmp_path):
    back = nx.read_gexf(write_gexf(g, tmp_path / "g.gexf"))
    assert set(back.nodes) == set(g.nodes)
    assert back.has_edge("task:11", "task:12") and not back.has_edge("task:12", "task:11")
    assert back.nodes["unit:市政务服务中心"]["kind"] == "unit"


def test_edge_list_csv_and_xlsx(g, tmp_path):
    rows = edge_list(g)
    assert {
        "起点": "10",
        "起点类型": "任务",
        "终点": "11",
        "终点类型": "任务",
        "关系": "前置",
        "经由集体单位": "",
        "来源": "predecessors.csv 第2行",
    } in rows
    with write_edge_list(g, tmp_path / "e.csv").open(encoding="utf-8-sig") as f:
        back = list(csv.DictReader(f))
    assert len(back) == g.number_of_edges() and back[0].keys() == rows[0].keys()
    ws = load_workbook(write_edge_list(g, tmp_path / "e.xlsx")).active
    assert ws.max_row == g.number_of_edges() + 1 and ws["E1"].value == "关系"


def test_neighbourhood_of_one_task(g):
    h = neighbourhood(g, "11")
    assert {"task:10", "task:11", "task:12", "unit:市政务服务中心"} <= set(h.nodes)
    assert "task:13" not in h


def test_dot_text_has_every_node_and_the_due_dates(g):
    text = to_dot(neighbourhood(g, "11"))
    assert "2021-06-30" in text and "Noto Sans CJK SC" in text and "牵头" in text
    assert "倒挂62天" in text  # the 10 → 11 link is marked on the picture


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz is not installed")
def test_picture_svg_and_png(g, tmp_path):
    svg = render(neighbourhood(g, "11"), tmp_path / "n.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "市政务服务中心" in svg
    assert render(g, tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    files = export_all(g, tmp_path / "out", focus="11")
    assert sorted(p.name for p in files) == [
        "edges.csv",
        "edges.xlsx",
        "graph.gexf",
        "graph.graphml",
        "task-11.dot",
        "task-11.png",
        "task-11.svg",
    ]


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz is not installed")
def test_picture_with_ascii_quotes_and_backslashes_in_names(tmp_path):
    # titles and unit names typed in a csv may hold " and \ ; they used to end the DOT string early
    from datetime import date

    from tasks.model import Plan, Task

    g = build_graph(
        Plan(
            title='方案"试行"',
            tasks=[Task("1", title='推进"一件事"办\\理', lead_units=['单位"甲"'], deadline=date(2021, 8, 31))],
        )
    )
    svg = render(g, tmp_path / "q.svg").read_text(encoding="utf-8")
    assert "推进&quot;一件事&quot;办\\理" in svg and "单位&quot;甲&quot;" in svg and "方案&quot;试行&quot;" in svg


def test_undated_milestone_is_written_without_none(tmp_path):
    from datetime import date

    from tasks.model import Milestone, Plan, Task

    g = build_graph(
        Plan(
            tasks=[
                Task(
                    "1",
                    deadline=date(2021, 6, 30),
                    milestones=[Milestone(date(2021, 6, 30), "完成试点"), Milestone(None, "逐步推开")],
                )
            ]
        )
    )
    back = nx.read_graphml(write_graphml(g, tmp_path / "m.graphml"))
    assert back.nodes["task:1"]["milestones"] == "2021-06-30 完成试点;逐步推开"
