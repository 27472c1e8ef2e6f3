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

import random
from collections import Counter, defaultdict, deque
from collections.abc import Collection
from itertools import chain, compress, repeat
from operator import eq
from typing import Any

import networkx as nx

from core.gcpause import paused_gc

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


def _unit_tasks(g: nx.DiGraph) -> dict[str, tuple[list[str], list[str]]]:
    """unit name → (task nodes, roles), direct and via-collective edges alike (in edge order).

    The edges' kinds and roles are read with ``map`` (in C), not one Python step per edge.
    """
    out: dict[str, tuple[list[str], list[str]]] = {}
    nodes = g._node  # plain dict access: the public views cost several times more per edge
    get = dict.get
    for u, nbrs in g._succ.items():
        if not nbrs:
            continue
        attrs = nbrs.values()
        kinds = list(map(get, attrs, repeat("kind")))
        n_unit = kinds.count("unit")
        if not n_unit:
            continue
        if n_unit == len(kinds):  # a unit node: every edge is a unit edge
            targets, roles = list(nbrs), [a["role"] for a in attrs]
        else:
            is_unit = [k == "unit" for k in kinds]
            targets = list(compress(nbrs, is_unit))
            roles = [a["role"] for a in compress(attrs, is_unit)]
        label = nodes[u]["label"]
        have = out.get(label)
        if have is None:
            out[label] = (targets, roles)
        else:
            have[0].extend(targets)
            have[1].extend(roles)
    return out


@paused_gc
def unit_load(g: nx.DiGraph, done: Collection[str] = ()) -> list[dict[str, Any]]:
    """Per unit: tasks led and joined, open (not in ``done``), ongoing, and both by month.

    Sorted by open work (led counts first), then name.

    Parameters
    ----------
    g : networkx.DiGraph
        A plan graph (:func:`~tasks.graph.build_graph`).
    done : collection of str, optional
        Ids of the tasks already done (not open).

    Returns
    -------
    list of dict
        Per unit: ``unit``, ``collective``, ``led``, ``joined``, ``total``, ``open``, ``ongoing`` and
        ``by_month`` (month → led and joined; ``长期`` and ``未定`` for tasks without a due date).

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.graph import build_graph
    >>> from tasks.model import ONGOING, Plan, Task
    >>> g = build_graph(Plan(tasks=[
    ...     Task("1", lead_units=["市审改办"], responsible_units=["市财政局"], deadline=date(2021, 8, 31)),
    ...     Task("2", lead_units=["市财政局"], responsible_units=["市公安局"], deadline=date(2021, 9, 30),
    ...          predecessors=["1"]),
    ...     Task("3", lead_units=["市公安局"], deadline_kind=ONGOING)]))
    >>> [(r["unit"], r["led"], r["joined"], r["open"]) for r in unit_load(g, done=["1"])]
    [('市公安局', 1, 1, 2), ('市财政局', 1, 1, 1), ('市审改办', 1, 0, 0)]
    >>> unit_load(g)[0]["by_month"]
    {'2021-09': {'led': 0, 'joined': 1}, '长期': {'led': 1, 'joined': 0}}
    """
    done = set(done)
    nodes = g._node
    per_unit = _unit_tasks(g)
    month: dict[str, str] = {}  # task node -> month key, once per task
    closed: set[str] = set()  # task nodes of done tasks
    ongoing_nodes: set[str] = set()
    by_due: dict[Any, str] = {}  # due date -> month key: a plan has a few hundred distinct dates
    for node in set(chain.from_iterable(targets for targets, _roles in per_unit.values())):  # each task once
        a = nodes[node]
        due = a.get("due")
        key = by_due.get(due) if due is not None else None
        if key is None:
            key = _month(a)
            if due is not None:
                by_due[due] = key
        month[node] = key
        if done and a["task_id"] in done:
            closed.add(node)
        if a.get("deadline_kind") == "ongoing":
            ongoing_nodes.add(node)
    rows: list[dict[str, Any]] = []
    for name, (targets, roles) in per_unit.items():
        # every count below runs in C: map/compress/Counter over the unit's edges
        months = list(map(month.__getitem__, targets))
        is_lead = list(map(eq, roles, repeat(LEAD)))
        all_by_month = Counter(months)
        led_by_month = Counter(compress(months, is_lead))
        led = sum(is_lead)
        joined = len(targets) - led
        by_month = {m: {"led": led_by_month[m], "joined": c - led_by_month[m]} for m, c in sorted(all_by_month.items())}
        rows.append(
            {
                "unit": name,
                "collective": bool(nodes[f"unit:{name}"].get("collective")),
                "led": led,
                "joined": joined,
                "total": led + joined,
                "open": len(targets) - sum(map(closed.__contains__, targets)),
                "ongoing": sum(map(ongoing_nodes.__contains__, targets)),
                "by_month": by_month,
            }
        )
    rows.sort(key=lambda r: (-r["open"], -r["led"], r["unit"]))
    return rows


def load_table(g: nx.DiGraph, rows: list[dict[str, Any]] | None = None) -> tuple[list[str], dict[str, dict[str, int]]]:
    """Months (sorted, 长期/未定 last) and unit → month → tasks (led + joined): a heat-map's data.

    ``rows`` reuses a :func:`unit_load` result.

    Parameters
    ----------
    g : networkx.DiGraph
        A plan graph.
    rows : list of dict, optional
        :func:`unit_load` of ``g``, if already at hand.

    Returns
    -------
    tuple of (list of str, dict)
        The months, and unit → month → number of tasks.

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.graph import build_graph
    >>> from tasks.model import ONGOING, Plan, Task
    >>> g = build_graph(Plan(tasks=[
    ...     Task("1", lead_units=["市审改办"], responsible_units=["市财政局"], deadline=date(2021, 8, 31)),
    ...     Task("2", lead_units=["市财政局"], responsible_units=["市公安局"], deadline=date(2021, 9, 30),
    ...          predecessors=["1"]),
    ...     Task("3", lead_units=["市公安局"], deadline_kind=ONGOING)]))
    >>> months, table = load_table(g)
    >>> months, table["市财政局"]
    (['2021-08', '2021-09', '长期'], {'2021-08': 1, '2021-09': 1})
    """
    rows = unit_load(g) if rows is None else rows
    months = sorted({m for r in rows for m in r["by_month"]}, key=lambda m: (m in (ONGOING_KEY, UNDATED_KEY), m))
    return months, {r["unit"]: {m: c["led"] + c["joined"] for m, c in r["by_month"].items()} for r in rows}


@paused_gc
def collaboration_pairs(g: nx.DiGraph, min_tasks: int = 1, include_collective: bool = True) -> list[dict[str, Any]]:
    """Pairs of units that share tasks, most shared first: ``units``, ``tasks`` (count), ``task_ids``.

    Units are numbered in name order and a pair is one integer while counting (cheap to hash);
    tasks are visited in natural id order, so every ``task_ids`` list comes out sorted.

    Parameters
    ----------
    g : networkx.DiGraph
        A plan graph.
    min_tasks : int, optional
        Keep pairs sharing at least this many tasks (default 1).
    include_collective : bool, optional
        Count collective units (``市直各相关单位``) too (default True).

    Returns
    -------
    list of dict
        ``units`` (the two names, sorted), ``tasks`` and ``task_ids``; most shared first, then by name.

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.graph import build_graph
    >>> from tasks.model import ONGOING, Plan, Task
    >>> g = build_graph(Plan(tasks=[
    ...     Task("1", lead_units=["市审改办"], responsible_units=["市财政局"], deadline=date(2021, 8, 31)),
    ...     Task("2", lead_units=["市财政局"], responsible_units=["市公安局"], deadline=date(2021, 9, 30),
    ...          predecessors=["1"]),
    ...     Task("3", lead_units=["市公安局"], deadline_kind=ONGOING)]))
    >>> collaboration_pairs(g)
    [{'units': ['市公安局', '市财政局'], 'tasks': 1, 'task_ids': ['2']}, {'units': ['市审改办', '市财政局'], 'tasks': 1, 'task_ids': ['1']}]
    >>> collaboration_pairs(g, min_tasks=2)
    []
    """
    nodes = g._node
    per_task: dict[str, list[str]] = defaultdict(list)
    for u, nbrs in g._succ.items():
        label = None
        for v, a in nbrs.items():
            if a.get("kind") == "unit":
                if label is None:
                    au = nodes[u]
                    if not include_collective and au.get("collective"):
                        break
                    label = au["label"]
                per_task[v].append(label)
    names = sorted({n for ns in per_task.values() for n in ns})
    index = {n: i for i, n in enumerate(names)}
    size = len(names)
    ordered = sorted(((id_key(nodes[node]["task_id"]), nodes[node]["task_id"], ns) for node, ns in per_task.items()))
    shared: dict[int, list[str]] = {}
    for _key, tid, ns in ordered:
        ids = sorted({index[n] for n in ns})
        for k, a in enumerate(ids):
            base = a * size
            for b in ids[k + 1 :]:
                lst = shared.get(base + b)
                if lst is None:
                    shared[base + b] = [tid]
                else:
                    lst.append(tid)
    # most shared first, then by the two names: the pair number orders as the names do
    kept = sorted((-len(ts), ab) for ab, ts in shared.items() if len(ts) >= min_tasks)
    return [{"units": [names[ab // size], names[ab % size]], "tasks": -neg, "task_ids": shared[ab]} for neg, ab in kept]


def unit_projection(g: nx.DiGraph, pairs: list[dict[str, Any]] | None = None) -> nx.Graph:
    """Units joined when they share a task; ``weight`` = shared tasks (the bipartite projection).

    ``pairs`` reuses a :func:`collaboration_pairs` result already at hand.

    Parameters
    ----------
    g : networkx.DiGraph
        A plan graph.
    pairs : list of dict, optional
        :func:`collaboration_pairs` of ``g`` (all pairs), if already at hand.

    Returns
    -------
    networkx.Graph
        Every unit as a node; an edge with ``weight`` between units sharing tasks.

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.graph import build_graph
    >>> from tasks.model import ONGOING, Plan, Task
    >>> g = build_graph(Plan(tasks=[
    ...     Task("1", lead_units=["市审改办"], responsible_units=["市财政局"], deadline=date(2021, 8, 31)),
    ...     Task("2", lead_units=["市财政局"], responsible_units=["市公安局"], deadline=date(2021, 9, 30),
    ...          predecessors=["1"]),
    ...     Task("3", lead_units=["市公安局"], deadline_kind=ONGOING)]))
    >>> sorted(unit_projection(g).edges(data="weight"))
    [('市审改办', '市财政局', 1), ('市财政局', '市公安局', 1)]
    """
    p = nx.Graph()
    p.add_nodes_from(a["label"] for a in g._node.values() if a.get("kind") == "unit")
    p.add_edges_from(
        (*pair["units"], {"weight": pair["tasks"]}) for pair in (collaboration_pairs(g) if pairs is None else pairs)
    )
    return p


def _betweenness(p: nx.Graph, k: int | None, seed: int) -> dict[str, float]:
    """``nx.betweenness_centrality(p, k=k, seed=seed, normalized=False)``, the same numbers to the last
    bit (same sources, same breadth-first order, same sums in the same order, networkx's own
    rescaling), on lists indexed by node number instead of dicts: about twice as fast.

    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("b", "d"), ("d", "e")])
    >>> _betweenness(g, None, 0) == nx.betweenness_centrality(g, normalized=False)
    True
    """
    try:
        from networkx.algorithms.centrality.betweenness import _rescale
    except ImportError:  # another networkx: its own function
        return nx.betweenness_centrality(p, k=k, seed=seed, normalized=False)
    nodes = list(p)
    n = len(nodes)
    index = {u: i for i, u in enumerate(nodes)}
    adj = [[index[w] for w in p._adj[u]] for u in nodes]
    if k == n:
        k = None
    sources = nodes if k is None else random.Random(seed).sample(nodes, k)  # networkx's sample
    bc = [0.0] * n
    for src in sources:
        s = index[src]
        stack: list[int] = []
        preds: list[list[int]] = [[] for _ in range(n)]
        sigma = [0.0] * n
        dist = [-1] * n
        sigma[s] = 1.0
        dist[s] = 0
        queue = deque([s])
        while queue:
            v = queue.popleft()
            stack.append(v)
            dv1 = dist[v] + 1
            sigmav = sigma[v]
            for w in adj[v]:
                if dist[w] < 0:
                    queue.append(w)
                    dist[w] = dv1
                if dist[w] == dv1:
                    sigma[w] += sigmav
                    preds[w].append(v)
        delta = [0.0] * n
        while stack:
            w = stack.pop()
            coeff = (1 + delta[w]) / sigma[w]
            for v in preds[w]:
                delta[v] += sigma[v] * coeff
            if w != s:
                bc[w] += delta[w]
    return _rescale(
        dict(zip(nodes, bc)),
        n,
        normalized=False,
        directed=False,
        endpoints=False,
        sampled_nodes=None if k is None else sources,
    )


@paused_gc
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

    Parameters
    ----------
    g : networkx.DiGraph
        A plan graph.
    top : int or None, optional
        How many units to list (default 10; None: all).
    seed : int, optional
        The seed of the sampled estimate (large graphs), so results repeat.
    load : list of dict, optional
        :func:`unit_load` of ``g``, if already at hand.
    pairs : list of dict, optional
        :func:`collaboration_pairs` of ``g`` (all pairs), if already at hand.

    Returns
    -------
    dict
        ``method`` (how betweenness was computed, in words) and ``units``: per unit ``unit``, ``rank``,
        ``betweenness``, ``partners``, ``led``, ``joined``, ``dependants``, ``collective`` and ``reason``.

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.graph import build_graph
    >>> from tasks.model import ONGOING, Plan, Task
    >>> g = build_graph(Plan(tasks=[
    ...     Task("1", lead_units=["市审改办"], responsible_units=["市财政局"], deadline=date(2021, 8, 31)),
    ...     Task("2", lead_units=["市财政局"], responsible_units=["市公安局"], deadline=date(2021, 9, 30),
    ...          predecessors=["1"]),
    ...     Task("3", lead_units=["市公安局"], deadline_kind=ONGOING)]))
    >>> hub = unit_centrality(g, top=1)["units"][0]
    >>> hub["unit"], hub["betweenness"], hub["dependants"]
    ('市财政局', 1.0, 1)
    >>> print(hub["reason"].split(";")[2])
    中介中心性1.000:约1对不直接协作的单位要经过它才能联系,是协作枢纽
    """
    p = unit_projection(g, pairs)
    n = p.number_of_nodes()
    if n > EXACT_BETWEENNESS_LIMIT:
        raw = _betweenness(p, BETWEENNESS_SAMPLES, seed)
        method = f"单位协作网络的中介中心性,按{BETWEENNESS_SAMPLES}个抽样单位估算(共{n}个单位)"
    else:
        raw = _betweenness(p, None, seed) if n > 2 else dict.fromkeys(p, 0.0)
        method = f"单位协作网络的中介中心性,精确计算(共{n}个单位)"
    n_pairs = (n - 1) * (n - 2) / 2 or 1
    bc = {u: v / n_pairs for u, v in raw.items()}
    by_unit = {r["unit"]: r for r in (load if load is not None else unit_load(g))}
    successors: dict[str, set[str]] = defaultdict(set)
    unit_edges = []
    for u, nbrs in g._succ.items():
        for v, a in nbrs.items():
            k = a.get("kind")
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
