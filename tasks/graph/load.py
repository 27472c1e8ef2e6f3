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
from dataclasses import dataclass, field
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


def _unit_nodes(g: nx.DiGraph) -> list[tuple[str, dict, list[str], list[str]]]:
    """(node, its attributes, task nodes, roles) of every node with ``unit`` edges, in node and edge order.

    The edges' kinds and roles are read with ``map`` (in C), not one Python step per edge.
    """
    out: list[tuple[str, dict, list[str], list[str]]] = []
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
        out.append((u, nodes[u], targets, roles))
    return out


def _unit_tasks(
    g: nx.DiGraph, unit_nodes: list[tuple[str, dict, list[str], list[str]]] | None = None
) -> dict[str, tuple[list[str], list[str]]]:
    """unit name → (task nodes, roles), direct and via-collective edges alike (in edge order)."""
    out: dict[str, tuple[list[str], list[str]]] = {}
    for _u, attrs, targets, roles in _unit_nodes(g) if unit_nodes is None else unit_nodes:
        label = attrs["label"]
        have = out.get(label)
        if have is None:
            out[label] = (list(targets), list(roles))
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
    return _unit_load(g, done)


def _unit_load(
    g: nx.DiGraph, done: Collection[str], unit_nodes: list[tuple[str, dict, list[str], list[str]]] | None = None
) -> list[dict[str, Any]]:
    """:func:`unit_load`, reusing :func:`_unit_nodes` of ``g`` if at hand."""
    done = set(done)
    nodes = g._node
    per_unit = _unit_tasks(g, unit_nodes)
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
    co = _cooccurrence(g, include_collective)
    if co is None:  # task ids not unique (a hand-made graph): counted pair by pair
        return _pairs_by_loop(g, min_tasks, include_collective)
    if not len(co.counts):
        return []
    np = _numpy()
    # most shared first, then by the two names: the pair number (ascending already) orders as the names do
    kept = np.flatnonzero(co.counts >= min_tasks)
    order = kept[np.argsort(-co.counts[kept], kind="stable")]
    ids = co.tids
    task_ids = list(map(ids.__getitem__, co.pair_tasks.tolist()))
    names = co.names
    starts = co.starts[order]
    return [
        {"units": [names[a], names[b]], "tasks": c, "task_ids": task_ids[s : s + c]}
        for a, b, c, s in zip(co.a[order].tolist(), co.b[order].tolist(), co.counts[order].tolist(), starts.tolist())
    ]


def _pairs_by_loop(g: nx.DiGraph, min_tasks: int, include_collective: bool) -> list[dict[str, Any]]:
    """:func:`collaboration_pairs` one task at a time (graphs whose task ids repeat)."""
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


def _numpy() -> Any:
    import numpy

    return numpy


@dataclass
class _Cooccurrence:
    """Units that share tasks, as arrays: pair ``i`` is units ``names[a[i]]`` and ``names[b[i]]``
    (``a < b``; pairs in ascending ``a * len(names) + b``, i.e. in name order), sharing ``counts[i]``
    tasks; with tasks, ``pair_tasks[starts[i]:starts[i] + counts[i]]`` are their places in natural id
    order (``tids`` gives the id of each place)."""

    names: list[str]
    a: Any
    b: Any
    counts: Any
    starts: Any = None
    pair_tasks: Any = None
    tids: list[str] = field(default_factory=list)


def _task_order(tids: list[str]) -> list[int]:
    """Positions of ``tids`` (all different) sorted by natural id order (:func:`~tasks.graph.build.id_key`)."""
    np = _numpy()
    if all(t.isdecimal() and t.isascii() and len(t) < 18 for t in tids):
        ints = np.fromiter(map(int, tids), dtype=np.int64, count=len(tids))
        by = np.argsort(ints, kind="stable")
        if not (np.diff(ints[by]) == 0).any():  # no 1 and 01: the number alone orders them
            return by.tolist()
    return sorted(range(len(tids)), key=lambda i: (id_key(tids[i]), tids[i]))


def _cooccurrence(
    g: nx.DiGraph,
    include_collective: bool = True,
    tasks: bool = True,
    unit_nodes: list[tuple[str, dict, list[str], list[str]]] | None = None,
) -> _Cooccurrence | None:
    """The unit pairs of :func:`collaboration_pairs` counted with numpy (the co-occurrence of the
    unit-task incidence: each task's units sorted, every two of them a pair); None when two task
    nodes share an id (then the per-task loop decides the order)."""
    np = _numpy()
    nodes = g._node
    labels: list[str] = []
    lists: list[list[str]] = []
    for _u, attrs, targets, _roles in _unit_nodes(g) if unit_nodes is None else unit_nodes:
        if not include_collective and attrs.get("collective"):
            continue
        labels.append(attrs["label"])
        lists.append(targets)
    names = sorted(set(labels))
    task_nodes = list(dict.fromkeys(chain.from_iterable(lists)))
    tids = [nodes[t]["task_id"] for t in task_nodes]
    if len(set(tids)) != len(tids):
        return None
    order = _task_order(tids)
    place = dict(zip(map(task_nodes.__getitem__, order), range(len(order))))
    size, n_tasks = len(names), len(task_nodes)
    index = {n: i for i, n in enumerate(names)}
    lens = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    unit = np.repeat(np.fromiter(map(index.__getitem__, labels), dtype=np.int64, count=len(labels)), lens)
    task = np.fromiter(map(place.__getitem__, chain.from_iterable(lists)), dtype=np.int64, count=int(lens.sum()))
    # each task's units, once each, in name order; tasks in natural id order
    key = np.sort(task * size + unit)
    if len(key):
        key = key[np.concatenate(([True], key[1:] != key[:-1]))]
    t, u = key // size, key % size
    parts_a, parts_b, parts_t = [], [], []
    j = 1
    while j < len(key):  # the j-th next unit of the same task: every pair once, a < b
        same = t[j:] == t[:-j]
        if not same.any():
            break
        parts_a.append(u[:-j][same])
        parts_b.append(u[j:][same])
        parts_t.append(t[:-j][same])
        j += 1
    empty = np.zeros(0, dtype=np.int64)
    a = np.concatenate(parts_a) if parts_a else empty
    b = np.concatenate(parts_b) if parts_b else empty
    pair = a * size + b
    if not tasks:
        pair = np.sort(pair)
        starts = np.flatnonzero(np.concatenate(([True], pair[1:] != pair[:-1]))) if len(pair) else empty
        upair = pair[starts]
        return _Cooccurrence(names, upair // size, upair % size, np.diff(np.append(starts, len(pair))))
    pt = np.concatenate(parts_t) if parts_t else empty
    if size * size * max(n_tasks, 1) < 2**62:
        by = np.argsort(pair * n_tasks + pt)  # (pair, task) are all different: no ties
    else:
        by = np.lexsort((pt, pair))
    pair, pt = pair[by], pt[by]
    starts = np.flatnonzero(np.concatenate(([True], pair[1:] != pair[:-1]))) if len(pair) else empty
    counts = np.diff(np.append(starts, len(pair)))
    upair = pair[starts]
    return _Cooccurrence(names, upair // size, upair % size, counts, starts, pt, list(map(tids.__getitem__, order)))


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
    rescaling), computed by :func:`_brandes` on the graph's adjacency as arrays.

    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("b", "d"), ("d", "e")])
    >>> _betweenness(g, None, 0) == nx.betweenness_centrality(g, normalized=False)
    True
    """
    np = _numpy()
    nodes = list(p)
    index = {u: i for i, u in enumerate(nodes)}
    adj = p._adj
    lens = np.fromiter(map(len, map(adj.__getitem__, nodes)), dtype=np.int64, count=len(nodes))
    indptr = np.concatenate(([0], np.cumsum(lens)))
    indices = np.fromiter(
        map(index.__getitem__, chain.from_iterable(map(adj.__getitem__, nodes))), dtype=np.int64, count=int(indptr[-1])
    )
    return _betweenness_arrays(nodes, indptr, indices, k, seed)


def _betweenness_arrays(nodes: list[str], indptr: Any, indices: Any, k: int | None, seed: int) -> dict[str, float]:
    """:func:`_betweenness` of the undirected graph whose node ``i`` is ``nodes[i]`` and whose
    neighbours of ``i``, in the graph's order, are ``indices[indptr[i]:indptr[i + 1]]``."""
    try:
        from networkx.algorithms.centrality.betweenness import _rescale
    except ImportError:  # another networkx: its own function
        p = nx.Graph()
        p.add_nodes_from(nodes)
        p.add_edges_from((nodes[i], nodes[j]) for i in range(len(nodes)) for j in indices[indptr[i] : indptr[i + 1]])
        return nx.betweenness_centrality(p, k=k, seed=seed, normalized=False)
    n = len(nodes)
    if k == n:
        k = None
    sources = nodes if k is None else random.Random(seed).sample(nodes, k)  # networkx's sample
    index = {u: i for i, u in enumerate(nodes)}
    picked = [index[u] for u in sources]
    bc = _brandes(indptr, indices, picked)
    if bc is None:  # path counts past 2**53: summed one at a time, in networkx's order
        bc = _brandes_loop([indices[indptr[i] : indptr[i + 1]].tolist() for i in range(n)], picked)
    return _rescale(
        dict(zip(nodes, bc)),
        n,
        normalized=False,
        directed=False,
        endpoints=False,
        sampled_nodes=None if k is None else sources,
    )


def _neighbours(indptr: Any, indices: Any, rows: Any) -> tuple[Any, Any]:
    """The neighbours of ``rows``, one row after the other, and how many each row has."""
    np = _numpy()
    starts, ends = indptr[rows], indptr[rows + 1]
    if len(rows) == 1:
        return indices[int(starts[0]) : int(ends[0])], ends - starts
    return np.concatenate([indices[a:b] for a, b in zip(starts.tolist(), ends.tolist())]), ends - starts


def _brandes(indptr: Any, indices: Any, sources: list[int]) -> list[float] | None:
    """Brandes' betweenness sums (before rescaling) from ``sources``, one breadth-first level at a
    time in numpy, giving networkx's floats exactly: a level's nodes are found in the order
    networkx's queue meets them, path counts are added up in that order (``np.bincount`` adds its
    weights one after the other), and each node's dependency sums its successors' shares in the
    order networkx pops them (last found first).  None when a path count passes 2**53 (the counts
    are whole numbers, exact in any order below it)."""
    np = _numpy()
    n = len(indptr) - 1
    bc = np.zeros(n)
    whole = np.zeros(n, dtype=np.int64)  # size of the node's component, once a search has met it
    for s in sources:
        dist = np.full(n, -1, dtype=np.int64)
        sigma = np.zeros(n)
        dist[s], sigma[s] = 0, 1.0
        levels = [np.array([s], dtype=np.int64)]
        reached, size = 1, int(whole[s])
        while size == 0 or reached < size:
            front = levels[-1]
            cand, lens = _neighbours(indptr, indices, front)
            fresh = dist[cand] < 0
            found = cand[fresh]
            if not len(found):
                break
            first = np.full(n, len(found))
            np.minimum.at(first, found, np.arange(len(found)))  # where the queue first meets each
            new = np.flatnonzero(first < len(found))
            new = new[np.argsort(first[new])]  # in that order
            d = len(levels)
            dist[new] = d
            # every link to a node found now: the path counts add up in the queue's order
            sigma[new] = np.bincount(found, weights=np.repeat(sigma[front], lens)[fresh], minlength=n)[new]
            levels.append(new)
            reached += len(new)
        if size == 0:
            whole[np.concatenate(levels)] = reached
        if sigma.max() >= 2.0**53:
            return None
        delta = np.zeros(n)
        for d in range(len(levels) - 1, 0, -1):
            level = levels[d][::-1]  # popped from networkx's stack: last found first
            coeff = (1.0 + delta[level]) / sigma[level]
            cand, lens = _neighbours(indptr, indices, level)
            on = dist[cand] == d - 1
            v = cand[on]
            delta += np.bincount(v, weights=sigma[v] * np.repeat(coeff, lens)[on], minlength=n)
        delta[s] = 0.0
        bc += delta
    return bc.tolist()


def _brandes_loop(adj: list[list[int]], sources: list[int]) -> list[float]:
    """:func:`_brandes` one node at a time (networkx's own loop on lists)."""
    n = len(adj)
    bc = [0.0] * n
    for s in sources:
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
    return bc


def _projection_arrays(
    g: nx.DiGraph, co: _Cooccurrence | None = None, pairs: list[dict[str, Any]] | None = None
) -> tuple[list[str], Any, Any] | None:
    """:func:`unit_projection` (of the pairs ``co`` counted, or of ``pairs``) as arrays: its nodes in
    its order, and each node's neighbours in the order networkx keeps them (the order of the pairs,
    most shared first) as ``indptr``/``indices``; None for ``pairs`` that name a pair twice."""
    np = _numpy()
    nodes = list(dict.fromkeys(at["label"] for at in g._node.values() if at.get("kind") == "unit"))
    pos = {u: i for i, u in enumerate(nodes)}
    if co is not None:
        by = np.argsort(-co.counts, kind="stable")  # most shared first, then by name
        names = co.names
        a, b = co.a[by], co.b[by]
    else:
        names = list(dict.fromkeys(chain.from_iterable(pair["units"] for pair in pairs or ())))
        index = {u: i for i, u in enumerate(names)}
        ends = np.fromiter(
            map(index.__getitem__, chain.from_iterable(pair["units"] for pair in pairs or ())),
            dtype=np.int64,
            count=2 * len(pairs or ()),
        )
        a, b = ends[0::2], ends[1::2]
        low, high = np.minimum(a, b), np.maximum(a, b)
        if (low == high).any() or (np.diff(np.sort(low * len(names) + high)) == 0).any():
            return None  # a unit paired with itself, or a pair twice: networkx keeps one edge
    if any(name not in pos for name in names):  # names only on edges: added where a pair first names them
        ends = np.empty(2 * len(a), dtype=np.int64)
        ends[0::2], ends[1::2] = a, b
        for i in dict.fromkeys(ends.tolist()):
            if names[i] not in pos:
                pos[names[i]] = len(nodes)
                nodes.append(names[i])
    at = np.fromiter(map(pos.__getitem__, names), dtype=np.int64, count=len(names))
    src = np.empty(2 * len(a), dtype=np.int64)
    dst = np.empty(2 * len(a), dtype=np.int64)
    src[0::2], src[1::2] = at[a], at[b]
    dst[0::2], dst[1::2] = at[b], at[a]
    indices = dst[np.argsort(src, kind="stable")]
    indptr = np.concatenate(([0], np.cumsum(np.bincount(src, minlength=len(nodes)))))
    return nodes, indptr, indices


def _dependants(g: nx.DiGraph, unit_nodes: list[tuple[str, dict, list[str], list[str]]]) -> Counter:
    """Unit (its node's name without ``unit:``) → how many tasks wait on (follow) one of its tasks."""
    succ, get = g._succ, dict.get
    following: dict[str, Any] = {}  # task node -> the tasks right after it
    for v in dict.fromkeys(chain.from_iterable(targets for _u, _a, targets, _r in unit_nodes)):
        nbrs = succ[v]
        if not nbrs:
            continue
        kinds = list(map(get, nbrs.values(), repeat("kind")))
        n_prec = kinds.count("precedes")
        if n_prec == len(kinds):
            following[v] = nbrs
        elif n_prec:
            following[v] = list(compress(nbrs, [k == "precedes" for k in kinds]))
    waiting: dict[str, set[str]] = {}
    for u, _attrs, targets, _roles in unit_nodes:
        found = set(chain.from_iterable(map(following.get, targets, repeat(()))))  # in C, no step per task
        if found:
            have = waiting.setdefault(u[len("unit:") :], set())
            have |= found
    return Counter({u: len(s) for u, s in waiting.items()})


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
    unit_nodes = _unit_nodes(g)
    co = _cooccurrence(g, tasks=False, unit_nodes=unit_nodes) if pairs is None else None
    arrays = None if pairs is None and co is None else _projection_arrays(g, co, pairs)
    if arrays is None:  # task ids that repeat, or odd pairs: the projection as networkx builds it
        p = unit_projection(g, pairs)
        nodes, indptr, indices = list(p), None, None
        degree = dict(p.degree())
    else:
        nodes, indptr, indices = arrays
        degree = dict(zip(nodes, _numpy().diff(indptr).tolist()))
    n = len(nodes)

    def betweenness(k: int | None) -> dict[str, float]:
        return _betweenness(p, k, seed) if indptr is None else _betweenness_arrays(nodes, indptr, indices, k, seed)

    if n > EXACT_BETWEENNESS_LIMIT:
        raw = betweenness(BETWEENNESS_SAMPLES)
        method = f"单位协作网络的中介中心性,按{BETWEENNESS_SAMPLES}个抽样单位估算(共{n}个单位)"
    else:
        raw = betweenness(None) if n > 2 else dict.fromkeys(nodes, 0.0)
        method = f"单位协作网络的中介中心性,精确计算(共{n}个单位)"
    n_pairs = (n - 1) * (n - 2) / 2 or 1
    bc = {u: v / n_pairs for u, v in raw.items()}
    by_unit = {r["unit"]: r for r in (load if load is not None else _unit_load(g, (), unit_nodes))}
    dependants = _dependants(g, unit_nodes)
    ranked = sorted(nodes, key=lambda u: (-round(bc.get(u, 0.0), 9), -by_unit[u]["total"], -degree[u], u))
    out = []
    for rank, u in enumerate(ranked[:top] if top else ranked, start=1):
        r = by_unit[u]
        words = [f"牵头{r['led']}项、参与{r['joined']}项任务", f"与{degree[u]}个单位共同承担任务"]
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
                "partners": degree[u],
                "led": r["led"],
                "joined": r["joined"],
                "dependants": dependants[u],
                "collective": r["collective"],
                "reason": ";".join(words),
            }
        )
    return {"method": method, "units": out}
