"""``python -m tasks graph``: JSON contract, --slip, errors as ``error: …`` with exit 2.

The plan is a small csv task table (read by the table importer).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from graph_helpers import LINKS_CSV

from tasks.cli import build_parser, run

PLAN_CSV = (
    "\n".join(
        [
            "序号,工作要点,牵头单位,责任单位,完成时限",
            "1,推进简政放权,市审改办、市政务服务中心,市直各相关单位,2021年底前",
            "2,清单管理,市审改办,市直各相关单位,2021年8月底前",
            "3,办事指南,市政务服务中心,市直各相关单位,2021年8月底前",
            "4,一件事一次办,市政务服务中心,市财政局,2021年6月底前",
            "5,企业开办,市市场监督管理局,市政务服务中心,2021年8月底前",
            "6,监管系统,市政务服务中心,市直各相关单位,长期坚持",
        ]
    )
    + "\n"
)


def graph(*argv: str, capsys) -> tuple[int, str, str]:
    code = run(build_parser("tasks", "", "tasks.commands"), ["graph", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def plan(tmp_path):
    p = tmp_path / "plan.csv"
    p.write_text(PLAN_CSV, encoding="utf-8")
    (tmp_path / "links.csv").write_text("任务,前置任务\n4,3\n5,4\n", encoding="utf-8")
    return p


def test_json_summary_and_slip(plan, tmp_path, capsys):
    code, out, err = graph(
        str(plan), "--predecessors", str(tmp_path / "links.csv"), "--json", "--slip", "3", "10", capsys=capsys
    )
    assert code == 0, err
    r = json.loads(out)
    # 4 (06-30) waits for 3 (08-31): 62 days early; 5 (08-31) after 4: fine
    assert r["inversions"] == [
        {"task": "4", "predecessor": "3", "days": 62, "task_due": "2021-06-30", "predecessor_due": "2021-08-31"}
    ]
    assert r["critical_path"] == ["3", "4", "5"]
    # 3 late 10 days → 09-10; 4 (06-30) and 5 (08-31) both pushed to 09-10
    assert r["affected_tasks"] == ["4", "5"]
    assert r["counts"]["predecessor_links"] == 2 and r["excluded"] == ["6"]
    assert r["top_units"][0]["unit"] == "市政务服务中心"


def test_human_output_is_chinese(plan, tmp_path, capsys):
    code, out, _ = graph(str(plan), "--predecessors", str(tmp_path / "links.csv"), "--slip", "3", "10", capsys=capsys)
    assert code == 0
    assert "【时限倒挂】" in out and "任务4(2021-06-30)早于前置任务3(2021-08-31)62天" in out
    assert "3(2021-08-31) → 4(2021-06-30) → 5(2021-08-31)" in out
    assert "【延误影响】任务3延误10天" in out


def test_predecessors_file_beside_the_plan_is_used(plan, tmp_path, capsys):
    (tmp_path / "plan.predecessors.csv").write_text("任务,前置任务\n5,2\n", encoding="utf-8")
    code, out, _ = graph(str(plan), "--json", capsys=capsys)
    assert code == 0 and json.loads(out)["critical_path"] == ["2", "5"]


def test_unknown_id_and_cycle_exit_2(plan, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("任务,前置任务\n4,3\n5,99\n", encoding="utf-8")
    code, out, err = graph(str(plan), "--predecessors", str(bad), "--json", capsys=capsys)
    assert code == 2 and out == ""
    assert err.strip() == "error: bad.csv 第3行: 前置任务“99”不存在"
    bad.write_text("任务,前置任务\n5,4\n4,5\n", encoding="utf-8")
    code, _, err = graph(str(plan), "--predecessors", str(bad), capsys=capsys)
    assert code == 2 and "4 → 5 → 4" in err and "第2行" in err and "第3行" in err


def test_slip_of_ongoing_task_is_an_error(plan, capsys):
    code, _, err = graph(str(plan), "--slip", "6", "5", capsys=capsys)
    assert code == 2 and err.startswith("error: ") and "长期坚持" in err


def test_combined_plans_prefix_ids(plan, tmp_path, capsys):
    other = tmp_path / "other.csv"
    other.write_text(PLAN_CSV, encoding="utf-8")
    code, out, err = graph(
        str(plan),
        str(other),
        "--json",
        "--predecessors",
        str(tmp_path / "links.csv"),
        "--predecessors",
        str(tmp_path / "links.csv"),
        capsys=capsys,
    )
    assert code == 0, err
    r = json.loads(out)
    assert r["counts"]["tasks"] == 12
    assert [i["task"] for i in r["inversions"]] == ["other/4", "plan/4"]


@pytest.mark.slow
def test_export_and_real_subprocess(plan, tmp_path):
    (tmp_path / "plan.predecessors.csv").write_text(LINKS_CSV.splitlines()[0] + "\n4,3\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "tasks", "graph", str(plan), "--json", "--export", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert (out / "graph.graphml").is_file() and (out / "edges.xlsx").is_file()
    assert json.loads(proc.stdout)["critical_path"] == ["3", "4"]


def test_expand_collective_with_member_file(plan, tmp_path, capsys):
    members = tmp_path / "members.csv"
    members.write_text(
        "集体单位,成员单位,说明\n市直各相关单位,市司法局,示例\n市直各相关单位,市民政局,示例\n", encoding="utf-8"
    )
    code, out, err = graph(
        str(plan), "--json", "--expand-collective", "--members", str(members), "--top", "50", capsys=capsys
    )
    assert code == 0, err
    rows = {r["unit"]: r for r in json.loads(out)["top_units"]}
    # 市直各相关单位 joins tasks 1, 2, 3 and 6; each member now joins them too
    assert rows["市司法局"]["joined"] == 4 and rows["市直各相关单位"]["joined"] == 4


def test_bare_id_in_a_combined_graph_says_how_to_write_it(plan, tmp_path, capsys):
    other = tmp_path / "other.csv"
    other.write_text(PLAN_CSV, encoding="utf-8")
    code, out, err = graph(str(plan), str(other), "--slip", "3", "10", capsys=capsys)
    assert code == 2 and out == ""
    assert err.strip() == "error: 任务“3”不存在;合并多个方案时任务编号要带方案名,如“other/3”“plan/3”"
    links = str(tmp_path / "links.csv")
    code, out, err = graph(
        str(plan),
        str(other),
        "--json",
        "--predecessors",
        links,
        "--predecessors",
        links,
        "--slip",
        "plan/3",
        "10",
        capsys=capsys,
    )
    assert code == 0 and json.loads(out)["affected_tasks"] == ["plan/4", "plan/5"]


def test_focus_is_checked_before_anything_is_written(plan, tmp_path, capsys):
    code, _, err = graph(str(plan), "--focus", "3", capsys=capsys)
    assert code == 2 and "--export" in err
    out = tmp_path / "out"
    code, _, err = graph(str(plan), "--export", str(out), "--focus", "99", capsys=capsys)
    assert code == 2 and err.strip() == "error: 任务“99”不存在" and not out.exists()
