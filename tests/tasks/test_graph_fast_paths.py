"""The shortcuts added to bring the graph page under 2 s at 50,000 tasks (issue 18) change no result.

Each rewritten piece is compared with the plain networkx references of ``test_graph_speed``:

* ``slip_impact`` walks only past tasks whose finish moved (not every descendant) — compared on
  long, densely linked plans where most of the plan lies downstream of an early task;
* ``build_graph`` skips the loop check when every link points back to an earlier row, and still
  names a loop (and builds the same graph) when links point forward;
* ``unit_load`` counts each unit's edges in C — compared on a graph whose collectives are expanded
  (unit nodes with ``member`` and ``via`` edges) and on a hand-made graph with unlabelled edges;
* ``analyse`` takes the link count from ``dated_dag`` and orders inversions by one integer key —
  compared on graphs with undated tasks' links and with ids that share a natural order (``01``/``1``).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import networkx as nx
import pytest
from test_graph_speed import graph_facts, random_plan, ref_build, ref_inversions, ref_load, ref_slip

from tasks.graph import (
    CycleError,
    analyse,
    build_graph,
    dated_dag,
    deadline_inversions,
    expand_collectives,
    slip_impact,
    unit_load,
)
from tasks.graph.analysis import DatedDag
from tasks.graph.build import id_key
from tasks.graph.predecessors import PredecessorLink
from tasks.model import DATE, ONGOING, Plan, Task


def chained_plan(seed: int, n: int = 300) -> tuple[Plan, list[PredecessorLink]]:
    """Deadlines rising with noise, each task linked to 1-3 of the 12 before it: long chains, so a
    slip of an early task has most of the plan downstream and stops in many places."""
    rng = random.Random(seed)
    tasks = []
    for i in range(1, n + 1):
        t = Task(id=str(i), title=f"任务{i}", lead_units=[f"局{rng.randrange(6)}"])
        if rng.random() < 0.05:
            t.deadline_kind, t.deadline_text = ONGOING, "长期坚持"
        else:
            d = date(2022, 1, 1) + timedelta(days=i * 3 + rng.randint(-25, 25))
            t.deadline, t.deadline_kind, t.deadline_text = d, DATE, f"{d.year}年{d.month}月底前"
        if i > 1:
            t.predecessors = [str(j) for j in rng.sample(range(max(1, i - 12), i), min(i - 1, rng.randint(1, 3)))]
        tasks.append(t)
    return Plan(title=f"链式方案{seed}", tasks=tasks), []


@pytest.mark.parametrize("seed", [21, 22])
def test_pruned_slip_equals_the_reference_on_long_chains(seed):
    plan, links = chained_plan(seed)
    g = build_graph(plan, links)
    d = dated_dag(g)
    checked = 0
    for t in d.order[:40:3] + d.order[len(d.order) // 2 :: 37]:
        for days in (0, 1, 15, 90, 2000):
            got = slip_impact(g, t, days, d)
            assert got == ref_slip(g, t, days), (t, days)
            checked += bool(got["affected_tasks"]) and bool(got["absorbed_by"])
    assert checked > 10  # the walk both spread and stopped in many of the cases compared


def test_links_to_later_rows_build_the_same_graph_and_a_loop_is_still_named():
    plan, _links = random_plan(31, 50)
    for t in plan.tasks:  # only the links below
        t.predecessors = []
    links = [PredecessorLink(t.id, p.id, "前置表 第1行") for t, p in zip(plan.tasks[1::2], plan.tasks[::2])]
    ids = [t.id for t in plan.tasks]
    # predecessors that come later in the table: no loop, but not every link points back
    forward = [PredecessorLink(ids[i], ids[i + 5], f"前置表 第{i + 2}行") for i in range(0, 40, 4)]
    g = build_graph(plan, links + forward)
    assert graph_facts(g) == graph_facts(ref_build(plan, links + forward))
    loop = [PredecessorLink(ids[45], ids[3], "前置表 第77行"), PredecessorLink(ids[3], ids[45], "前置表 第78行")]
    with pytest.raises(CycleError) as err:
        build_graph(plan, links + loop)
    assert "前置表 第77行" in err.value.origins or "前置表 第78行" in err.value.origins
    # every link pointing back: the quick path; the graph is still the reference's
    back = [PredecessorLink(ids[i + 5], ids[i], f"前置表 第{i + 2}行") for i in range(0, 40, 4)]
    assert graph_facts(build_graph(plan, back)) == graph_facts(ref_build(plan, back))


def test_unit_load_on_expanded_collectives_and_hand_made_edges():
    plan, links = random_plan(32, 80)
    g = build_graph(plan, links)
    h = expand_collectives(g, {"市直各相关单位": ["局1", "局2", "新局"], "各县(市、区)人民政府": ["某县"]})
    assert any(k == "member" for *_, k in h.edges(data="kind")) and any(v for *_, v in h.edges(data="via"))
    done = {t.id for t in plan.tasks[::4]}
    assert unit_load(h, done) == ref_load(h, done)
    # a hand-made graph: a unit node with an edge of no kind, a task pointing at a unit node
    m = nx.DiGraph()
    m.add_node("task:1", kind="task", task_id="1", due=date(2021, 3, 1), deadline_kind=DATE)
    m.add_node("task:2", kind="task", task_id="2", due=None, deadline_kind=ONGOING)
    m.add_node("unit:甲", kind="unit", label="甲", collective=False)
    m.add_node("unit:乙", kind="unit", label="乙", collective=False)
    m.add_edge("unit:甲", "task:1", kind="unit", role="lead")
    m.add_edge("unit:甲", "task:2", kind="unit", role="responsible")
    m.add_edge("unit:甲", "unit:乙")
    m.add_edge("unit:乙", "task:2", kind="unit", role="lead")
    m.add_edge("task:1", "task:2", kind="precedes")
    assert unit_load(m, {"2"}) == ref_load(m, {"2"})


def test_link_count_and_inversion_order_with_undated_and_equal_ids():
    tasks = [
        Task("1", deadline=date(2021, 9, 30), deadline_kind=DATE),
        Task("01", deadline=date(2021, 9, 30), deadline_kind=DATE),
        Task("2", deadline=date(2021, 6, 30), deadline_kind=DATE, predecessors=["1", "01"]),
        Task("02", deadline=date(2021, 6, 30), deadline_kind=DATE, predecessors=["01", "1"]),
        Task("3", deadline_kind=ONGOING, predecessors=["2"]),
        Task("4", deadline=date(2021, 3, 31), deadline_kind=DATE, predecessors=["3", "02"]),
    ]
    g = build_graph(Plan(tasks=tasks))
    a = analyse(g)
    assert a["counts"]["predecessor_links"] == sum(1 for *_, k in g.edges(data="kind") if k == "precedes") == 7
    d = dated_dag(g)
    # the reference's rows, in the documented order: gap, then natural id order of the task and its
    # predecessor; ids of equal natural order (01 and 1) as met in topological order, then link order
    pos = {t: i for i, t in enumerate(d.order)}
    expected = sorted(
        ref_inversions(g),
        key=lambda r: (
            -r["days"],
            id_key(r["task"]),
            id_key(r["predecessor"]),
            pos[r["task"]],
            d.preds[r["task"]].index(r["predecessor"]),
        ),
    )
    assert a["inversions"] == deadline_inversions(g) == expected
    assert len(expected) == 5 and [v["task"] for v in expected[:4]] == ["02", "02", "2", "2"]
    # a dated DAG made by hand (no link count): analyse counts the links itself, with the same answer
    by_hand = DatedDag(due=d.due, preds=d.preds, succs=d.succs, order=d.order, excluded=d.excluded)
    assert by_hand.links is None and analyse(g, by_hand) == a
