"""Who carries what: unit load by month, collaboration pairs, bottleneck hubs.

A unit *leads* a task (牵头) or *joins* it (责任/配合).  Months are those of
the task's due date (``2021-08``); ongoing tasks count under ``长期`` and
undated ones under ``未定``.  Collective units (``市直各相关单位``) are kept as
their own unit and flagged, since one of them stands for many departments.

>>> from tasks.model import Plan, Task
>>> from datetime import date
>>> from tasks.graph.build import build_graph
>>> g = build_graph(Plan(tasks=[Task("1", lead_units=["市审改办"], responsible_units=["市财政局"],
...                                  deadline=date(2021, 8, 31))]))
>>> unit_load(g)[0]["by_month"]
{'2021-08': {'led': 1, 'joined': 0}}
>>> collaboration_pairs(g)[0]["units"]
['市审改办', '市财政局']
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from itertools import combinations
from typing import Any

import networkx as nx

from .build import LEAD, id_key

ONGOING_KEY, UNDATED_KEY = "长期", "未定"
#: above this many units, betweenness is estimated from a sample of source units
EXACT_BETWEENNESS_LIMIT = 120
BETWEENNESS_SAMPLES = 60


def _month(attrs: dict) -> str:
    due = attrs.get("due")
    if due is not None:
        return f"{due.year:04d}-{due.month:02d}"
    return ONGOING_KEY if attrs.get("deadline_kind") == "ongoing" else UNDATED_KEY


def _unit_tasks(g: nx.DiGraph) -> dict[str, list[tuple[str, str]]]:
    """unit name → [(task node, role)], direct and via-collective edges alike."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for u, v, a in g.edges(data=True):
        if a.get("kind") == "unit":
            out[g.nodes[u]["label"]].append((v, a["role"]))
    return out


def unit_load(g: nx.DiGraph, done: Collection[str] = ()) -> list[dict[str, Any]]:
    """Per unit: tasks led and joined, open (not in ``done``), ongoing, and both by month.

    Sorted by open work (led counts first), then name.
    """
    done = set(done)
    rows = []
    for name, items in _unit_tasks(g).items():
        by_month: dict[str, dict[str, int]] = {}
        led = joined = open_ = ongoing = 0
        for node, role in items:
            a = g.nodes[node]
            key = "led" if role == LEAD else "joined"
            m = by_month.setdefault(_month(a), {"led": 0, "joined": 0})
            m[key] += 1
            led += role == LEAD
            joined += role != LEAD
            open_ += a["task_id"] not in done
            ongoing += a.get("deadline_kind") == "ongoing"
        rows.append(
            {
                "unit": name,
                "collective": bool(g.nodes[f"unit:{name}"].get("collective")),
                "led": led,
                "joined": joined,
                "total": led + joined,
                "open": open_,
                "ongoing": ongoing,
                "by_month": dict(sorted(by_month.items())),
            }
        )
    rows.sort(key=lambda r: (-r["open"], -r["led"], r["unit"]))  # type: ignore[operator]
    return rows


def load_table(g: nx.DiGraph, rows: list[dict[str, Any]] | None = None) -> tuple[list[str], dict[str, dict[str, int]]]:
    """Months (sorted, 长期/未定 last) and unit → month → tasks (led + joined): a heat-map's data.

    ``rows`` reuses a :func:`unit_load` result.
    """
    rows = unit_load(g) if rows is None else rows
    months = sorted({m for r in rows for m in r["by_month"]}, key=lambda m: (m in (ONGOING_KEY, UNDATED_KEY), m))
    return months, {r["unit"]: {m: c["led"] + c["joined"] for m, c in r["by_month"].items()} for r in rows}


def collaboration_pairs(g: nx.DiGraph, min_tasks: int = 1, include_collective: bool = True) -> list[dict[str, Any]]:
    """Pairs of units that share tasks, most shared first: ``units``, ``tasks`` (count), ``task_ids``."""
    per_task: dict[str, list[str]] = defaultdict(list)
    for u, v, a in g.edges(data=True):
        if a.get("kind") == "unit" and (include_collective or not g.nodes[u].get("collective")):
            per_task[v].append(g.nodes[u]["label"])
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    ordered = sorted((g.nodes[node]["task_id"], names) for node, names in per_task.items())
    ordered.sort(key=lambda x: id_key(x[0]))  # tasks in natural order: every task_ids list comes out sorted
    for tid, names in ordered:
        for a, b in combinations(sorted(set(names)), 2):
            shared[(a, b)].append(tid)
    out = [{"units": [a, b], "tasks": len(ts), "task_ids": ts} for (a, b), ts in shared.items() if len(ts) >= min_tasks]
    out.sort(key=lambda r: (-r["tasks"], r["units"]))  # type: ignore[operator]
    return out


def unit_projection(g: nx.DiGraph, pairs: list[dict[str, Any]] | None = None) -> nx.Graph:
    """Units joined when they share a task; ``weight`` = shared tasks (the bipartite projection).

    ``pairs`` reuses a :func:`collaboration_pairs` result already at hand.
    """
    p = nx.Graph()
    for _n, a in g.nodes(data=True):
        if a.get("kind") == "unit":
            p.add_node(a["label"])
    for pair in collaboration_pairs(g) if pairs is None else pairs:
        p.add_edge(*pair["units"], weight=pair["tasks"])
    return p


def unit_centrality(
    g: nx.DiGraph,
    top: int | None = 10,
    seed: int = 0,
    *,
    load: list[dict[str, Any]] | None = None,
    pairs: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Which units are hubs and bottlenecks, with the reason in words.

    Betweenness is computed on the unit projection (units that share tasks),
    exactly up to :data:`EXACT_BETWEENNESS_LIMIT` units and from
    :data:`BETWEENNESS_SAMPLES` sampled units above (``method`` says which).
    ``dependants`` counts the tasks that wait on one of the unit's tasks.
    Ranked by betweenness, then tasks, then partners.  ``load``/``pairs``
    reuse :func:`unit_load`/:func:`collaboration_pairs` results (all pairs).
    """
    p = unit_projection(g, pairs)
    n = p.number_of_nodes()
    if n > EXACT_BETWEENNESS_LIMIT:
        raw = nx.betweenness_centrality(p, k=BETWEENNESS_SAMPLES, seed=seed, normalized=False)
        method = f"单位协作网络的中介中心性,按{BETWEENNESS_SAMPLES}个抽样单位估算(共{n}个单位)"
    else:
        raw = nx.betweenness_centrality(p, normalized=False) if n > 2 else dict.fromkeys(p, 0.0)
        method = f"单位协作网络的中介中心性,精确计算(共{n}个单位)"
    pairs = (n - 1) * (n - 2) / 2 or 1  # type: ignore[assignment]
    bc = {u: v / pairs for u, v in raw.items()}
    by_unit = {r["unit"]: r for r in (load if load is not None else unit_load(g))}
    successors: dict[str, set[str]] = defaultdict(set)
    unit_edges = []
    for u, v, k in g.edges(data="kind"):
        if k == "precedes":
            successors[u].add(v)
        elif k == "unit":
            unit_edges.append((u, v))
    waiting: dict[str, set[str]] = defaultdict(set)
    for u, v in unit_edges:
        if v in successors:
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
