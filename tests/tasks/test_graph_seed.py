"""The dependency graph on the real 2021 Leiyang action plan, with a predecessor file written here.

Appendix deadlines (2021): 1,3,7,16,21,32 → 12-31; 2,4,6,8,9,10,12 → 08-31;
5,13,14,15,17,18,19,20,23 → 09-30; 11,25,26,27,28,31 → 06-30; 22,24,29,30 长期坚持.
Predecessor file (task ← predecessor): 11←10, 12←11, 7←6, 5←2, 13←5, 23←22.
"""

from __future__ import annotations

import json

import pytest
from graph_helpers import LINKS_CSV, SEED_DEADLINES

from tasks.cli import build_parser, run
from tasks.graph import (
    build_graph,
    collaboration_pairs,
    critical_path,
    deadline_inversions,
    read_predecessor_file,
    slack,
    slip_impact,
    unit_load,
)


@pytest.fixture
def seed_plan(seed_2021):
    from tasks.importers import load_plan

    return load_plan(seed_2021)


@pytest.fixture
def links_file(tmp_path):
    p = tmp_path / "predecessors.csv"
    p.write_text(LINKS_CSV, encoding="utf-8")
    return p


@pytest.fixture
def g(seed_plan, links_file):
    return build_graph(seed_plan, read_predecessor_file(links_file))


def test_seed_has_the_appendix_deadlines(seed_plan):
    # the premise of every hand calculation below
    assert {t.id: t.deadline for t in seed_plan.tasks} == SEED_DEADLINES


def test_seed_inversions(g):
    # 11 (06-30) waits for 10 (08-31): 62 days; 13 and 5 share 09-30; 23 ← 22 (ongoing) left out
    assert deadline_inversions(g) == [
        {"task": "11", "predecessor": "10", "days": 62, "task_due": "2021-06-30", "predecessor_due": "2021-08-31"}
    ]


def test_seed_critical_path_and_slack(g):
    # 10→11→12 (slack -62 + 62 = 0) beats 2→5→13 (30 + 0 = 30); 6→7 is shorter
    assert critical_path(g)["tasks"] == ["10", "11", "12"]
    s = slack(g)
    assert (s["10"], s["11"], s["6"], s["2"], s["5"], s["12"]) == (-62, 62, 122, 30, 0, None)


def test_seed_slip_impact(g):
    # 10 late 30 days → 09-30: 11 (due 06-30) and 12 (due 08-31) both finish 09-30
    r = slip_impact(g, "10", 30)
    assert r["affected_tasks"] == ["11", "12"]
    assert [d["days_late"] for d in r["details"]] == [92, 30]
    units = {u["unit"] for u in r["affected_units"]}
    # 12 is led by 市市场监督管理局 and 市政务服务中心 in the seed, with 市公安局 among its responsible units
    assert {"市政务服务中心", "市市场监督管理局", "市公安局"} <= units
    # 2 late 20 days → 09-20: 5 (09-30) absorbs; 45 days → 10-15 puts 5 and 13 at risk
    assert slip_impact(g, "2", 20)["affected_tasks"] == []
    assert slip_impact(g, "2", 45)["affected_tasks"] == ["5", "13"]
    # 6 has 122 days of slack before 7 (12-31)
    assert slip_impact(g, "6", 122)["affected_tasks"] == [] and slip_impact(g, "6", 123)["affected_tasks"] == ["7"]


def test_seed_unit_load_by_month(g):
    rows = {r["unit"]: r for r in unit_load(g)}
    hall = rows["市政务服务中心"]
    # 市政务服务中心 leads all 32 tasks of the appendix
    assert hall["led"] == 32
    assert {m: c["led"] for m, c in hall["by_month"].items()} == {
        "2021-06": 6,
        "2021-08": 7,
        "2021-09": 9,
        "2021-12": 6,
        "长期": 4,
    }
    # 市审改办 co-leads 1-5: 1 and 3 in December, 2 and 4 in August, 5 in September
    assert {m: c["led"] for m, c in rows["市审改办"]["by_month"].items()} == {"2021-08": 2, "2021-09": 1, "2021-12": 2}


def test_seed_collaboration(g):
    pairs = {tuple(p["units"]): p["task_ids"] for p in collaboration_pairs(g)}
    assert pairs[("市审改办", "市政务服务中心")] == ["1", "2", "3", "4", "5"]


def test_seed_cli_json(seed_2021, links_file, capsys):
    code = run(
        build_parser("tasks", "", "tasks.commands"),
        ["graph", str(seed_2021), "--predecessors", str(links_file), "--json", "--slip", "10", "30"],
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    r = json.loads(out)
    assert [(i["task"], i["predecessor"], i["days"]) for i in r["inversions"]] == [("11", "10", 62)]
    assert r["critical_path"] == ["10", "11", "12"]
    assert r["affected_tasks"] == ["11", "12"]
    assert r["counts"]["tasks"] == 32 and r["excluded"] == ["22", "24", "29", "30"]
