"""The fast graph analyses (issue 18) give exactly what the straightforward networkx versions give.

Each reference below is the plain way to compute the same thing: networkx calls one at a time
(``add_node``/``add_edge``, ``g.edges(data=...)``, ``nx.ego_graph(undirected=True)``,
``nx.lexicographical_topological_sort``, ``nx.descendants``, ``g.subgraph(...).copy()``) and the
rules of ``tasks.graph.analysis`` written out without shortcuts.  They are compared on random
plans (fixed seeds; ids such as ``A3`` and ``2021/7``, ongoing and undated tasks, milestones,
collective units, duplicate links), on a combined graph, and on the bundled sample plan.
"""

from __future__ import annotations

import gc
import random
import threading
from datetime import date, timedelta
from itertools import combinations

import networkx as nx
import pytest
from graph_helpers import seed_like_plan

from core.gcpause import pause_gc
from tasks.graph import (
    CycleError,
    analyse,
    build_combined,
    build_graph,
    check_acyclic,
    collaboration_pairs,
    critical_path,
    dated_dag,
    deadline_inversions,
    finishes,
    links_from_plan,
    neighbourhood,
    predecessor_file_beside,
    read_predecessor_file,
    slack,
    slip_impact,
    unit_centrality,
    unit_load,
    unit_projection,
)
from tasks.graph.build import ROLE_WORDS, _units, due_date, id_key
from tasks.graph.readable import readable_dot, readable_nodes
from tasks.model import DATE, ONGOING, Milestone, Plan, Task
from tasks.units import is_collective

SEEDS = [1, 2, 3, 4, 5, 6]


# -- references: one networkx call at a time --------------------------------------------------
def ref_build(plan: Plan, links=(), prefix: str = "", plan_key: str = "", g: nx.DiGraph | None = None) -> nx.DiGraph:
    g = g if g is not None else nx.DiGraph(title=plan.title)
    for t in plan.tasks:
        tid = f"{prefix}{t.id}"
        g.add_node(
            f"task:{tid}",
            kind="task",
            task_id=tid,
            plan=plan_key,
            local_id=t.id,
            title=t.title,
            section=t.section,
            deadline=t.deadline,
            due=due_date(t),
            deadline_kind=t.deadline_kind,
            deadline_text=t.deadline_text,
            milestones=[(m.date, m.text) for m in t.milestones],
            source=t.source.label(),
            label=f"{tid} {t.title[:16]}".strip(),
        )
        if t.section:
            sec = f"section:{plan_key}/{t.section}" if plan_key else f"section:{t.section}"
            if sec not in g:
                g.add_node(sec, kind="section", label=t.section, plan=plan_key)
            g.add_edge(sec, f"task:{tid}", kind="section")
        lead = _units(t.lead_units, t.lead_units_canonical)
        resp = [u for u in _units(t.responsible_units, t.responsible_units_canonical) if u not in lead]
        for role, names in (("lead", lead), ("responsible", resp)):
            for name in names:
                if f"unit:{name}" not in g:
                    g.add_node(f"unit:{name}", kind="unit", label=name, collective=is_collective(name))
                g.add_edge(f"unit:{name}", f"task:{tid}", kind="unit", role=role)
    for link in [*links_from_plan(plan), *links]:
        src, dst = f"task:{prefix}{link.predecessor}", f"task:{prefix}{link.task}"
        if not g.has_edge(src, dst):
            g.add_edge(src, dst, kind="precedes", origin=link.origin)
    return g


def ref_dag(g: nx.DiGraph):
    due = {a["task_id"]: a["due"] for _, a in g.nodes(data=True) if a.get("kind") == "task" and a["due"]}
    h = nx.DiGraph()
    h.add_nodes_from(due)
    for u, v, k in g.edges(data="kind"):
        if k == "precedes" and g.nodes[u]["task_id"] in due and g.nodes[v]["task_id"] in due:
            h.add_edge(g.nodes[u]["task_id"], g.nodes[v]["task_id"])
    order = list(nx.lexicographical_topological_sort(h, key=lambda t: (id_key(t), t)))
    excluded = sorted(
        (a["task_id"] for _, a in g.nodes(data=True) if a.get("kind") == "task" and not a["due"]), key=id_key
    )
    return due, h, order, excluded


def ref_inversions(g: nx.DiGraph) -> list[dict]:
    due, h, _order, _ex = ref_dag(g)
    out = [
        {
            "task": t,
            "predecessor": p,
            "days": (due[p] - due[t]).days,
            "task_due": due[t].isoformat(),
            "predecessor_due": due[p].isoformat(),
        }
        for p, t in h.edges
        if due[t] < due[p]
    ]
    return sorted(out, key=lambda r: (-r["days"], id_key(r["task"]), id_key(r["predecessor"])))


def ref_finish(g: nx.DiGraph, override: dict | None = None) -> dict[str, date]:
    due, h, order, _ex = ref_dag(g)
    f: dict[str, date] = {}
    for t in order:
        f[t] = max([(override or {}).get(t, due[t]), *(f[p] for p in h.predecessors(t))])
    return f


def ref_slack(g: nx.DiGraph) -> dict[str, int | None]:
    due, h, order, _ex = ref_dag(g)
    out: dict[str, int | None] = {}
    for t in order:
        down = nx.descendants(h, t)
        out[t] = min((due[u] - due[t]).days for u in down) if down else None
    return out


def ref_critical_path(g: nx.DiGraph) -> dict:
    """Longest chain (most tasks), then least total gap, then (per step) the predecessor first in id
    order — the rule written in analysis.critical_path's first version, predecessors sorted by id."""
    due, h, order, _ex = ref_dag(g)
    best: dict[str, tuple[int, int, str | None]] = {}
    for t in order:
        length, gap, via = 1, 0, None
        for p in sorted(h.predecessors(t), key=id_key):
            pl, pg, _ = best[p]
            cand = pg + (due[t] - due[p]).days
            if pl + 1 > length or (pl + 1 == length and cand < gap):
                length, gap, via = pl + 1, cand, p
        best[t] = (length, gap, via)
    longest = max((b[0] for b in best.values()), default=0)
    if longest < 2:
        return {"tasks": [], "steps": [], "total_slack_days": 0, "length": 0}
    assert longest == nx.dag_longest_path_length(h) + 1  # the chain is as long as networkx finds

    def chain(end):
        out = [end]
        while best[out[-1]][2] is not None:
            out.append(best[out[-1]][2])
        return out[::-1]

    ends = [t for t, b in best.items() if b[0] == longest]
    tight = min(best[t][1] for t in ends)
    path = min((chain(t) for t in ends if best[t][1] == tight), key=lambda c: [id_key(x) for x in c])
    steps = [
        {
            "task": t,
            "due": due[t].isoformat(),
            "days_after_previous": None if i == 0 else (due[t] - due[path[i - 1]]).days,
        }
        for i, t in enumerate(path)
    ]
    return {"tasks": path, "steps": steps, "total_slack_days": tight, "length": longest}


def ref_slip(g: nx.DiGraph, task_id: str, days: int) -> dict:
    due, h, order, _ex = ref_dag(g)
    base = ref_finish(g)
    f = ref_finish(g, {task_id: due[task_id] + timedelta(days=days)})
    down = nx.descendants(h, task_id)
    moved = {task_id} | {t for t in down if f[t] > base[t]}
    affected = [t for t in order if t in down and f[t] > base[t]]
    absorbed = [t for t in order if t in down and t not in moved and any(p in moved for p in h.predecessors(t))]
    details: list = []
    units: dict = {}
    for t in affected:
        us = [
            (g.nodes[u]["label"], d["role"])
            for u, _, d in g.in_edges(f"task:{t}", data=True)
            if d.get("kind") == "unit" and not d.get("via")
        ]
        details.append(
            {
                "task": t,
                "title": g.nodes[f"task:{t}"].get("title", ""),
                "due": due[t].isoformat(),
                "finish": f[t].isoformat(),
                "days_late": (f[t] - due[t]).days,
                "lead_units": [u for u, r in us if r == "lead"],
                "responsible_units": [u for u, r in us if r != "lead"],
            }
        )
        for u, r in us:
            e = units.setdefault(u, {"unit": u, "roles": [], "tasks": []})
            if ROLE_WORDS[r] not in e["roles"]:
                e["roles"].append(ROLE_WORDS[r])
            e["tasks"].append(t)
    return {
        "task": task_id,
        "days": days,
        "due": due[task_id].isoformat(),
        "finish": f[task_id].isoformat(),
        "affected_tasks": affected,
        "details": details,
        "affected_units": sorted(units.values(), key=lambda e: (-len(e["tasks"]), e["unit"])),
        "absorbed_by": absorbed,
    }


def ref_pairs(g: nx.DiGraph, min_tasks: int = 1, include_collective: bool = True) -> list[dict]:
    per_task: dict[str, set[str]] = {}
    for u, v, a in g.edges(data=True):
        if a.get("kind") == "unit" and (include_collective or not g.nodes[u].get("collective")):
            per_task.setdefault(g.nodes[v]["task_id"], set()).add(g.nodes[u]["label"])
    shared: dict[tuple[str, str], list[str]] = {}
    for tid in sorted(per_task, key=lambda t: (id_key(t), t)):
        for a, b in combinations(sorted(per_task[tid]), 2):
            shared.setdefault((a, b), []).append(tid)
    out = [{"units": [a, b], "tasks": len(ts), "task_ids": ts} for (a, b), ts in shared.items() if len(ts) >= min_tasks]
    return sorted(out, key=lambda r: (-r["tasks"], r["units"]))


def ref_load(g: nx.DiGraph, done=()) -> list[dict]:
    rows: dict = {}
    for u, v, a in g.edges(data=True):
        if a.get("kind") != "unit":
            continue
        name, t = g.nodes[u]["label"], g.nodes[v]
        r = rows.setdefault(
            name,
            {
                "unit": name,
                "collective": bool(g.nodes[u].get("collective")),
                "led": 0,
                "joined": 0,
                "total": 0,
                "open": 0,
                "ongoing": 0,
                "by_month": {},
            },
        )
        key = "led" if a["role"] == "lead" else "joined"
        month = (
            f"{t['due'].year:04d}-{t['due'].month:02d}"
            if t["due"]
            else ("长期" if t["deadline_kind"] == "ongoing" else "未定")
        )
        r["by_month"].setdefault(month, {"led": 0, "joined": 0})[key] += 1
        r[key] += 1
        r["total"] += 1
        r["open"] += t["task_id"] not in set(done)
        r["ongoing"] += t["deadline_kind"] == "ongoing"
    for r in rows.values():
        r["by_month"] = dict(sorted(r["by_month"].items()))
    return sorted(rows.values(), key=lambda r: (-r["open"], -r["led"], r["unit"]))


def ref_readable_nodes(g: nx.DiGraph, path: list[str], focus: str | None, radius: int) -> set[str]:
    tasks = {a["task_id"]: n for n, a in g.nodes(data=True) if a.get("kind") == "task"}
    keep = {tasks[t] for t in path if t in tasks}
    if focus in tasks:
        keep |= set(nx.ego_graph(g.subgraph(tasks.values()), tasks[focus], radius=radius, undirected=True).nodes)
    return keep


# -- random plans ---------------------------------------------------------------------------
def random_plan(seed: int, n: int = 60) -> tuple[Plan, list]:
    from tasks.graph.predecessors import PredecessorLink

    rng = random.Random(seed)
    units = [f"局{i}" for i in range(8)] + ["市直各相关单位", "各县(市、区)人民政府"]
    ids = [
        rng.choice([str(i + 1), f"A{i + 1}", f"2021/{i + 1}", f"{i + 1}-1"]) if i % 4 == 3 else str(i + 1)
        for i in range(n)
    ]
    tasks = []
    for i, tid in enumerate(ids):
        t = Task(
            id=tid,
            title=f"任务{tid}推进政务服务“一件事”改革",
            section=rng.choice(["", "一、审批", "二、服务"]),
            lead_units=rng.sample(units[:8], rng.randint(0, 2)),
            responsible_units=rng.sample(units, rng.randint(0, 4)),
        )
        r = rng.random()
        if r < 0.1:
            t.deadline_kind, t.deadline_text = ONGOING, "长期坚持"
        elif r < 0.15:
            t.deadline_text = "按要求"
        else:
            d = date(2021, 1, 1) + timedelta(days=i * 9 + rng.randint(-60, 60))
            t.deadline, t.deadline_kind, t.deadline_text = d, DATE, f"{d.year}年{d.month}月底前"
            if rng.random() < 0.1:
                t.milestones = [Milestone(d, "试点"), Milestone(d + timedelta(days=rng.randint(-30, 200)), "推开")]
        if i and rng.random() < 0.5:
            t.predecessors = [ids[j] for j in rng.sample(range(max(0, i - 10), i), min(i, rng.randint(1, 3)))]
        tasks.append(t)
    links = [
        PredecessorLink(ids[i], ids[j], f"前置表 第{k + 2}行")
        for k, (i, j) in enumerate(
            (i, rng.randrange(max(0, i - 15), i)) for i in [rng.randrange(1, n) for _ in range(n)]
        )
    ]
    links += links[:5]  # duplicates are skipped
    return Plan(title=f"随机方案{seed}", tasks=tasks), links


def graph_facts(g: nx.DiGraph):
    """Everything that makes two graphs the same, order included."""
    return (
        dict(g.graph),
        list(g.nodes(data=True)),
        list(g.edges(data=True)),
        {n: list(g.pred[n]) for n in g},
    )


def sample_plans() -> list[tuple[str, Plan, list]]:
    from tasks.samples import plan_files, read_plan_file

    out: list[tuple] = [("seed-like", seed_like_plan(), [])]
    for path in plan_files():
        plan = read_plan_file(path)
        beside = predecessor_file_beside(path)
        out.append((path.name, plan, read_predecessor_file(beside) if beside else []))
    return out


CASES = [(f"random-{s}", *random_plan(s)) for s in SEEDS] + sample_plans()


@pytest.mark.parametrize("name,plan,links", CASES, ids=[c[0] for c in CASES])
def test_fast_analyses_equal_the_networkx_references(name, plan, links):
    g = build_graph(plan, links)
    assert graph_facts(g) == graph_facts(ref_build(plan, links)), "the bulk build is the one-call-at-a-time graph"
    d = dated_dag(g)
    due, h, order, excluded = ref_dag(g)
    assert (d.due, d.order, d.excluded) == (due, order, excluded)
    assert {t: sorted(p) for t, p in d.preds.items()} == {t: sorted(h.predecessors(t)) for t in due}
    assert finishes(d) == ref_finish(g)
    assert deadline_inversions(g, d) == deadline_inversions(g) == ref_inversions(g)
    assert slack(g, d) == ref_slack(g)
    assert critical_path(g, d) == critical_path(g) == ref_critical_path(g)
    a = analyse(g, d)
    assert a == analyse(g)
    ref_sl = ref_slack(g)
    assert a["slack"] == {t: ref_sl[t] for t in sorted(ref_sl, key=id_key)}
    tightest = sorted(((t, v) for t, v in ref_sl.items() if v is not None), key=lambda x: (x[1], id_key(x[0])))[:10]
    assert a["least_slack"] == [{"task": t, "slack_days": v} for t, v in tightest]
    assert a["inversions"] == ref_inversions(g) and a["critical_path"] == ref_critical_path(g)
    assert a["excluded"] == excluded and a["counts"]["dated_tasks"] == len(due)
    assert a["counts"]["predecessor_links"] == sum(1 for *_, k in g.edges(data="kind") if k == "precedes")
    for t in order[:: max(1, len(order) // 12)] + order[-3:]:
        for days in (0, 20, 400):
            assert slip_impact(g, t, days, d) == ref_slip(g, t, days), (t, days)
    assert slip_impact(g, order[0], 30) == slip_impact(g, order[0], 30, d)  # the kept base finishes change nothing
    done = {t.id for t in plan.tasks[::3]}
    assert unit_load(g, done) == ref_load(g, done)
    assert collaboration_pairs(g) == ref_pairs(g)
    assert collaboration_pairs(g, 2, include_collective=False) == ref_pairs(g, 2, include_collective=False)
    p = unit_projection(g)
    assert list(p.nodes) == [a["label"] for _, a in g.nodes(data=True) if a.get("kind") == "unit"]
    assert sorted((min(u, v), max(u, v), w) for u, v, w in p.edges(data="weight")) == sorted(
        (*r["units"], r["tasks"]) for r in ref_pairs(g)
    )
    assert unit_centrality(g, top=None) == unit_centrality(g, top=None, load=unit_load(g), pairs=ref_pairs(g))
    path = a["critical_path"]["tasks"]
    for t in [plan.tasks[0].id, plan.tasks[len(plan.tasks) // 2].id, plan.tasks[-1].id]:
        for radius in (1, 2, 3):
            nb = neighbourhood(g, f"{t}", radius)
            ego = g.subgraph(nx.ego_graph(g, f"task:{t}", radius=radius, undirected=True).nodes).copy()
            assert set(nb.nodes) == set(ego.nodes) and set(nb.edges) == set(ego.edges)
            assert dict(nb.nodes(data=True)) == dict(ego.nodes(data=True))
            assert list(nb.nodes) == [n for n in g if n in nb]  # in the graph's order: the same picture every run
            keep = readable_nodes(g, path, t, radius)
            assert keep == ref_readable_nodes(g, path, t, radius)
            if radius == 2:  # the picture: the same DOT text as drawn from a graph of only those nodes
                small = nx.DiGraph()
                small.add_nodes_from((n, a) for n, a in g.nodes(data=True) if n in keep)
                small.add_edges_from((u, v, a) for u, v, a in g.edges(data=True) if u in keep and v in keep)
                statuses = dict.fromkeys(list(due)[::2], "overdue")
                assert readable_dot(g, keep, statuses, path, focus=t) == readable_dot(
                    small, keep, statuses, path, focus=t
                )


def test_combined_graph_equals_the_reference():
    (a, la), (b, lb) = random_plan(11, 30), random_plan(12, 30)
    g = build_combined({"甲": a, "乙": b}, {"甲": la, "乙": lb})
    ref = nx.DiGraph(title="甲 + 乙")
    ref_build(a, la, prefix="甲/", plan_key="甲", g=ref)
    ref_build(b, lb, prefix="乙/", plan_key="乙", g=ref)
    assert graph_facts(g) == graph_facts(ref)
    assert analyse(g) == analyse(ref)
    assert collaboration_pairs(g) == ref_pairs(g)


def test_a_loop_is_still_named_with_its_rows():
    plan, links = random_plan(3, 20)
    from tasks.graph.predecessors import PredecessorLink

    ids = [t.id for t in plan.tasks]
    loop = [PredecessorLink(ids[2], ids[15], "前置表 第99行")]
    plan.task(ids[15]).predecessors = [ids[2]]
    with pytest.raises(CycleError) as err:
        build_graph(plan, links + loop)
    assert "前置表 第99行" in err.value.origins and err.value.loop[0] == err.value.loop[-1]
    g = ref_build(plan, links + loop)
    with pytest.raises(CycleError) as again:
        check_acyclic(g)
    assert again.value.loop == err.value.loop and again.value.origins == err.value.origins


def test_id_key_fast_path_matches_the_split():
    import re

    def split(t):
        return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", t))

    for t in ["1", "10", "007", "2021/3", "A12", "", "任务3", "3-1", "٣"]:
        assert id_key(t) == split(t), t
    assert sorted(["10", "2", "2021/3", "2021/12", "A1"], key=id_key) == ["2", "10", "2021/3", "2021/12", "A1"]
    from tasks.graph.analysis import _ranks

    for ids in (["10", "01", "1", "2", "007"], ["10", "01", "1", "A1", "2021/3", "2"]):
        rank = _ranks(ids)  # equal keys share a place; places follow id_key
        assert all((rank[a] < rank[b]) == (id_key(a) < id_key(b)) for a in ids for b in ids), ids


def test_gc_pause_is_shared_by_threads_and_restored():
    assert gc.isenabled()
    inside = threading.Event()
    leave = threading.Event()

    def worker():
        with pause_gc():
            inside.set()
            leave.wait(5)

    th = threading.Thread(target=worker)
    th.start()
    inside.wait(5)
    with pause_gc():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread still holds its pause
    leave.set()
    th.join(5)
    assert gc.isenabled()
    gc.disable()
    try:
        with pause_gc():
            pass
        assert not gc.isenabled()  # it was off before: left off
    finally:
        gc.enable()


def test_plan_from_store_reads_the_same_plan_in_fewer_queries():
    """The graph page's plan (tasks.store.views.plan_from_store) equals what task_dicts + tasks gave:
    tasks as last imported, predecessors as edited since, archived tasks left out, two plans apart."""
    import copy

    from tasks.store import Store

    store = Store("sqlite://")
    plan, _links = random_plan(21, 40)
    store.load_plan_into_store(plan, actor="test", key="甲")
    other, _ = random_plan(22, 10)
    store.load_plan_into_store(other, actor="test", key="乙")
    ids = [t.id for t in plan.tasks]
    store.set_predecessors("甲", ids[30], [ids[3], ids[1]], actor="test")
    store.set_predecessors("甲", ids[5], [], actor="test")
    smaller = copy.deepcopy(plan)
    smaller.tasks = [t for t in smaller.tasks if t.id not in (ids[7], ids[8])]  # removed → archived
    for t in smaller.tasks:
        t.predecessors = [p for p in t.predecessors if p not in (ids[7], ids[8])]
    store.load_plan_into_store(smaller, actor="test", key="甲")
    store.set_predecessors("甲", ids[30], [ids[3], ids[1]], actor="test")

    tasks = store.task_dicts("甲")
    preds = {t.id: t.predecessors for t in store.tasks("甲")}
    for t in tasks:
        t.predecessors = list(preds.get(t.id, t.predecessors))
    got = store.plan("甲")
    assert [t.to_dict() for t in got.tasks] == [t.to_dict() for t in tasks]
    assert sorted(got.task(ids[30]).predecessors) == sorted([ids[3], ids[1]]) and ids[7] not in [
        t.id for t in got.tasks
    ]
    assert [t.id for t in store.plan("乙").tasks] == [t.id for t in other.tasks]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_betweenness_is_networkx_to_the_last_bit(seed):
    """unit_centrality's betweenness equals nx.betweenness_centrality exactly (float ==), sampled and
    exact, on random unit projections and on disconnected graphs."""
    from tasks.graph.load import _betweenness

    rng = random.Random(seed)
    g = nx.gnm_random_graph(150, 900, seed=seed)
    g = nx.relabel_nodes(g, {i: f"单位{rng.randrange(10**6)}-{i}" for i in g})
    g.add_nodes_from(["孤立单位甲", "孤立单位乙"])
    for k in (None, 10, 60, g.number_of_nodes()):
        assert _betweenness(g, k, seed) == nx.betweenness_centrality(g, k=k, seed=seed, normalized=False), k
    plan, links = random_plan(seed, 80)
    p = unit_projection(build_graph(plan, links))
    assert _betweenness(p, None, 0) == nx.betweenness_centrality(p, normalized=False)
