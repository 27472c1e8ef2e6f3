"""The numpy paths of the unit analyses (issue 18: every ``python -m tasks graph`` analysis ≤ 2 s at
50,000 tasks) give exactly what plain networkx gives.

* ``collaboration_pairs`` counts pairs from the unit-task incidence with numpy — compared with the
  pair-by-pair reference of ``test_graph_speed`` (ids ``A3``, ``2021/7``, ``01`` beside ``1``,
  collectives left out or expanded, combined graphs, repeated task ids);
* ``_betweenness`` walks breadth-first levels with numpy — compared with
  ``nx.betweenness_centrality(..., normalized=False)`` to the last bit, sampled and exact, on graphs
  of many shapes, including path counts past 2**53 (where it falls back to the loop);
* ``unit_centrality`` builds the projection as arrays and counts the waiting tasks in C — compared
  with the plain definition below (``unit_projection``, networkx's betweenness, one edge at a time).
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date

import networkx as nx
import pytest
from test_graph_speed import random_plan, ref_pairs

from tasks.graph import (
    build_combined,
    build_graph,
    collaboration_pairs,
    expand_collectives,
    unit_centrality,
    unit_load,
    unit_projection,
)
from tasks.graph.load import BETWEENNESS_SAMPLES, EXACT_BETWEENNESS_LIMIT, _betweenness
from tasks.model import DATE, Plan, Task


def ref_centrality(g: nx.DiGraph, top: int | None = 10, seed: int = 0, pairs: list | None = None) -> dict:
    """unit_centrality written plainly: the networkx projection, networkx's betweenness, a loop per edge."""
    p = unit_projection(g, pairs)
    n = p.number_of_nodes()
    if n > EXACT_BETWEENNESS_LIMIT:
        raw = nx.betweenness_centrality(p, k=BETWEENNESS_SAMPLES, seed=seed, normalized=False)
        method = f"单位协作网络的中介中心性,按{BETWEENNESS_SAMPLES}个抽样单位估算(共{n}个单位)"
    else:
        raw = nx.betweenness_centrality(p, normalized=False) if n > 2 else dict.fromkeys(p, 0.0)
        method = f"单位协作网络的中介中心性,精确计算(共{n}个单位)"
    n_pairs = (n - 1) * (n - 2) / 2 or 1
    bc = {u: v / n_pairs for u, v in raw.items()}
    by_unit = {r["unit"]: r for r in unit_load(g)}
    successors: dict[str, set[str]] = defaultdict(set)
    for u, v, k in g.edges(data="kind"):
        if k == "precedes":
            successors[u].add(v)
    waiting: dict[str, set[str]] = defaultdict(set)
    for u, v, k in g.edges(data="kind"):
        if k == "unit" and v in successors:
            waiting[u[len("unit:") :]].update(successors[v])
    dependants = Counter({u: len(s) for u, s in waiting.items()})
    ranked = sorted(p.nodes, key=lambda u: (-round(bc.get(u, 0.0), 9), -by_unit[u]["total"], -p.degree(u), u))
    out = []
    for rank, u in enumerate(ranked[:top] if top else ranked, start=1):
        r = by_unit[u]
        words = [f"牵头{r['led']}项、参与{r['joined']}项任务", f"与{p.degree(u)}个单位共同承担任务"]
        b = bc.get(u, 0.0)
        if raw.get(u, 0.0) >= 0.5:
            words.append(f"中介中心性{b:.3f}:约{raw[u]:.0f}对不直接协作的单位要经过它才能联系,是协作枢纽")
        else:
            words.append("不处在其他单位协作的必经位置")
        if dependants[u]:
            words.append(f"其任务有{dependants[u]}项后续任务在等待,延误会向下游传递")
        if r["collective"]:
            words.append("注意:这是集体单位,代表多个部门")
        out.append(
            {
                "unit": u,
                "rank": rank,
                "betweenness": round(b, 4),
                "partners": p.degree(u),
                "led": r["led"],
                "joined": r["joined"],
                "dependants": dependants[u],
                "collective": r["collective"],
                "reason": ";".join(words),
            }
        )
    return {"method": method, "units": out}


def many_units_plan(seed: int, n: int = 400, units: int = 150) -> Plan:
    """More units than EXACT_BETWEENNESS_LIMIT (the sampled estimate), a skewed share of the work,
    and ids ``01``/``1`` side by side."""
    rng = random.Random(seed)
    names = [f"单位{i:03d}" for i in range(units)] + ["市直各相关单位"]
    weights = [1 / (i + 1) ** 0.7 for i in range(units)] + [3.0]
    tasks: list[Task] = []
    for i in range(1, n + 1):
        tid = f"0{i}" if i % 50 == 7 else str(i)
        t = Task(
            id=tid,
            lead_units=list(dict.fromkeys(rng.choices(names[:units], weights[:units], k=rng.randint(1, 2)))),
            responsible_units=list(dict.fromkeys(rng.choices(names, weights, k=rng.randint(0, 4)))),
            deadline=date(2022, 1 + i % 12, 1),
            deadline_kind=DATE,
        )
        if i > 1 and rng.random() < 0.6:
            t.predecessors = [tasks[rng.randrange(max(0, i - 30), i - 1)].id]
        tasks.append(t)
    return Plan(title=f"多单位方案{seed}", tasks=tasks)


GRAPHS = [(f"random-{s}", lambda s=s: build_graph(*random_plan(s, 70))) for s in (41, 42, 43)] + [
    (f"many-units-{s}", lambda s=s: build_graph(many_units_plan(s))) for s in (1, 2)
]


@pytest.mark.parametrize("name,make", GRAPHS, ids=[n for n, _ in GRAPHS])
def test_pairs_and_centrality_equal_the_plain_definitions(name, make):
    g = make()
    assert collaboration_pairs(g) == ref_pairs(g)
    for min_tasks in (1, 2, 5):
        for coll in (True, False):
            assert collaboration_pairs(g, min_tasks, coll) == ref_pairs(g, min_tasks, coll), (min_tasks, coll)
    pairs = collaboration_pairs(g)
    for seed in (0, 3):
        want = ref_centrality(g, top=None, seed=seed)
        assert unit_centrality(g, top=None, seed=seed) == want
        assert unit_centrality(g, top=None, seed=seed, load=unit_load(g), pairs=pairs) == want
        assert unit_centrality(g, top=None, seed=seed, pairs=ref_pairs(g)) == want  # a plain list of pairs
    assert unit_centrality(g, top=4) == ref_centrality(g, top=4)
    h = expand_collectives(g, {"市直各相关单位": ["局1", "单位001", "新局"], "各县(市、区)人民政府": ["某县"]})
    assert collaboration_pairs(h) == ref_pairs(h)
    assert unit_centrality(h, top=None) == ref_centrality(h, top=None)


def test_centrality_with_odd_pairs_builds_the_projection_as_networkx_does():
    g = build_graph(*random_plan(44, 60))
    pairs = collaboration_pairs(g)
    doubled = pairs + [dict(pairs[0], units=pairs[0]["units"][::-1])]  # one pair twice, once reversed
    assert unit_centrality(g, top=None, pairs=doubled) == ref_centrality(g, top=None, pairs=doubled)
    fewer = collaboration_pairs(g, min_tasks=2)
    assert unit_centrality(g, top=None, pairs=fewer) == ref_centrality(g, top=None, pairs=fewer)


def test_combined_graph_and_repeated_task_ids():
    (a, la), (b, lb) = random_plan(45, 40), random_plan(46, 40)
    g = build_combined({"A": a, "B": b}, {"A": la, "B": lb})
    assert collaboration_pairs(g) == ref_pairs(g)
    assert unit_centrality(g, top=None) == ref_centrality(g, top=None)
    # a hand-made graph where two task nodes carry the same id: counted pair by pair, as before
    m = nx.DiGraph()
    for node, tid in (("task:x", "1"), ("task:y", "1"), ("task:z", "2")):
        m.add_node(node, kind="task", task_id=tid, due=None, deadline_kind="ongoing")
    for u in ("甲", "乙", "丙"):
        m.add_node(f"unit:{u}", kind="unit", label=u, collective=False)
    for u, t in (
        ("甲", "task:x"),
        ("乙", "task:x"),
        ("乙", "task:y"),
        ("丙", "task:y"),
        ("甲", "task:z"),
        ("丙", "task:z"),
    ):
        m.add_edge(f"unit:{u}", t, kind="unit", role="lead")
    m.add_edge("task:x", "task:z", kind="precedes")
    assert collaboration_pairs(m) == [
        {"units": ["丙", "乙"], "tasks": 1, "task_ids": ["1"]},
        {"units": ["丙", "甲"], "tasks": 1, "task_ids": ["2"]},
        {"units": ["乙", "甲"], "tasks": 1, "task_ids": ["1"]},
    ]
    assert unit_centrality(m, top=None) == ref_centrality(m, top=None)


def shapes() -> list[tuple[str, nx.Graph]]:
    out = [
        ("path", nx.path_graph(30)),
        ("grid", nx.grid_2d_graph(8, 9)),
        ("barbell", nx.barbell_graph(10, 5)),
        ("caveman", nx.connected_caveman_graph(6, 7)),
        ("sparse", nx.gnm_random_graph(300, 500, seed=5)),
        ("dense", nx.gnm_random_graph(200, 6000, seed=6)),
        ("star", nx.star_graph(40)),
        ("empty", nx.empty_graph(5)),
    ]
    parts = nx.disjoint_union(nx.cycle_graph(12), nx.complete_graph(9))
    out.append(("two parts", nx.disjoint_union(parts, nx.path_graph(4))))
    # 70 layers of 2 nodes, each joined to both of the next: 2**69 shortest paths end to end
    ladder = nx.Graph()
    for i in range(69):
        ladder.add_edges_from((f"{i}{a}", f"{i + 1}{b}") for a in "ab" for b in "ab")
    out.append(("2**69 paths", ladder))
    rng = random.Random(8)
    return [(name, nx.relabel_nodes(h, {u: f"单位{rng.randrange(10**6)}-{u}" for u in h})) for name, h in out]


@pytest.mark.parametrize("name,h", shapes(), ids=[n for n, _ in shapes()])
def test_betweenness_is_networkx_to_the_last_bit_on_many_shapes(name, h):
    n = h.number_of_nodes()
    for k in (None, 2, 7, n // 2, n):  # k = 1 rescales its one source by NaN: NaN != NaN
        if k is not None and not 1 < k <= n:
            continue
        for seed in (0, 11):
            assert _betweenness(h, k, seed) == nx.betweenness_centrality(h, k=k, seed=seed, normalized=False), (k, seed)
