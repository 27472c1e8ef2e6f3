"""Benchmark: a generated programme of 5,000 tasks, 200 units, ~10,000 predecessor links.

Builds the graph and runs every analysis the dashboard and ``python -m tasks
graph`` run (inversions, critical path, slack, a slip, unit load by month,
collaboration pairs, unit centrality), and prints the time of each step.
Target: build + all analyses ≤ 2 s.  Betweenness is computed on the unit
projection (units that share tasks) and, above 120 units, estimated from a
sample of 60 source units (the output says so).

    .venv/bin/python bench/graph_bench.py [--tasks 5000] [--units 200] [--links 10000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta

from tasks.graph import (
    build_graph,
    collaboration_pairs,
    critical_path,
    dated_dag,
    deadline_inversions,
    load_table,
    slack,
    slip_impact,
    unit_centrality,
    unit_load,
)
from tasks.graph.predecessors import PredecessorLink
from tasks.model import DATE, ONGOING, Milestone, Plan, Task


def generate(n_tasks: int, n_units: int, n_links: int, seed: int) -> tuple[Plan, list[PredecessorLink]]:
    """Tasks with deadlines rising with the id (plus noise, so some links are inverted), a few
    ongoing and milestone tasks, units drawn with a skew (a few carry a lot), links to earlier ids."""
    rng = random.Random(seed)
    units = [f"单位{i:03d}" for i in range(n_units)] + ["市直各相关单位"]
    weights = [1 / (i + 1) ** 0.7 for i in range(n_units)] + [3.0]
    start = date(2021, 1, 1)
    tasks = []
    for i in range(1, n_tasks + 1):
        lead = rng.choices(units[:n_units], weights[:n_units], k=rng.randint(1, 2))
        resp = rng.choices(units, weights, k=rng.randint(1, 4))
        t = Task(
            id=str(i),
            title=f"任务{i}",
            section=f"{(i - 1) * 20 // n_tasks + 1}、第{(i - 1) * 20 // n_tasks + 1}部分",
            lead_units=list(dict.fromkeys(lead)),
            responsible_units=list(dict.fromkeys(resp)),
        )
        if rng.random() < 0.05:
            t.deadline_kind, t.deadline_text = ONGOING, "长期坚持"
        else:
            d = start + timedelta(days=int(i * 1000 / n_tasks) + rng.randint(-40, 40))
            t.deadline, t.deadline_kind, t.deadline_text = d, DATE, f"{d.year}年{d.month}月底前"
            if rng.random() < 0.05:
                t.milestones = [Milestone(d, "试运行"), Milestone(d + timedelta(days=120), "推广")]
        tasks.append(t)
    links: set[tuple[int, int]] = set()
    while len(links) < n_links:
        t = rng.randint(2, n_tasks)  # type: ignore[assignment]
        p = rng.randint(max(1, t - 300), t - 1)  # type: ignore[operator]  # earlier ids only: a DAG
        links.add((t, p))  # type: ignore[arg-type]
    return Plan(title="生成的基准方案", tasks=tasks), [
        PredecessorLink(str(t), str(p), f"bench 第{k + 2}行") for k, (t, p) in enumerate(sorted(links))
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tasks", type=int, default=5000)
    ap.add_argument("--units", type=int, default=200)
    ap.add_argument("--links", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    plan, links = generate(a.tasks, a.units, a.links, a.seed)
    times: list[tuple[str, float]] = []

    def step(name: str, fn):
        t0 = time.perf_counter()
        out = fn()
        times.append((name, time.perf_counter() - t0))
        return out

    g = step("build (nodes, edges, cycle check)", lambda: build_graph(plan, links))
    dag = step("dated DAG + topological order", lambda: dated_dag(g))
    inv = step("deadline inversions", lambda: deadline_inversions(g, dag))
    cp = step("critical path", lambda: critical_path(g, dag))
    sl = step("slack", lambda: slack(g, dag))
    root = min(dag.order[:50], key=lambda t: -len(dag.succs[t]))
    slip = step(f"slip impact (task {root}, 30 days)", lambda: slip_impact(g, root, 30, dag))
    load = step("unit load by month", lambda: unit_load(g))
    step("load table (heat map)", lambda: load_table(g, load))
    pairs = step("collaboration pairs", lambda: collaboration_pairs(g))
    cen = step("unit centrality (reuses load and pairs)", lambda: unit_centrality(g, top=10, load=load, pairs=pairs))
    total = sum(t for _, t in times)

    print(
        f"programme: {a.tasks} tasks, {g.number_of_nodes()} nodes, {g.number_of_edges()} edges, "
        f"{len(links)} predecessor links, {sum(1 for r in load if not r['collective'])} units (+1 collective)"
    )
    for name, t in times:
        print(f"  {name:<40s} {t * 1000:8.1f} ms")
    print(
        f"  {'TOTAL build + all analyses':<40s} {total * 1000:8.1f} ms   (target ≤ 2000 ms: "
        f"{'met' if total <= 2 else 'NOT met'})"
    )
    print(
        f"results: {len(inv)} inversions, critical path {cp['length']} tasks, "
        f"{sum(1 for v in sl.values() if v is not None and v < 0)} tasks with negative slack, "
        f"slip of {root} affects {len(slip['affected_tasks'])} tasks / {len(slip['affected_units'])} units, "
        f"{len(pairs)} collaboration pairs"
    )
    print(f"centrality: {cen['method']}; top unit {cen['units'][0]['unit']}")


if __name__ == "__main__":
    main()
