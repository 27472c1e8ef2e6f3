"""Date analyses of the predecessor links: inversions, critical path, slack, slip impact.

Task-breakdown tables give deadlines, never durations, so every analysis here
works on **due dates** only (:func:`tasks.graph.build.due_date`: the last dated
milestone where a task has milestones, else its deadline).  Ongoing (长期坚持)
and undated tasks have no due date: they and the links touching them are left
out of these analyses (their ids are listed under ``excluded``).

Definitions (the tests compute them by hand the same way):

* **Inversion** — a link ``p → t`` with ``due(t) < due(p)``: the task is due
  ``days = due(p) - due(t)`` days before its predecessor.  Equal dates are fine.
* **Finish** — a task cannot finish before its predecessors:
  ``finish(t) = max(due(t), finish(p) for every predecessor p)``.  A task whose
  finish passes its due date is *at risk*.
* **Slip impact** of task X late by N days — X's finish becomes
  ``max(due(X) + N, finish of its predecessors)`` and the rule above carries it
  downstream; the affected tasks are those whose finish moves and so passes
  their due date (X itself excluded).  A successor due late enough absorbs the
  slip and stops it.
* **Slack** of a task — ``min(due(u)) - due(t)`` over every task ``u``
  downstream of it: the days it can slip with nothing downstream put at risk
  (negative: something downstream is already due before it).  ``None`` when
  nothing dated depends on it.
* **Critical path by deadlines** — with no durations, the longest-path rule of
  CPM has nothing to add up, so we take the *longest chain* of predecessor
  links between dated tasks: the run with the most tasks that must be done one
  after another.  Among chains of equal length the *tightest* wins: the least
  total slack along its links, ``sum(due(next) - due(prev))`` (= due of the
  last minus due of the first).  Remaining ties: the chain whose ids come first.
  No links → an empty path.

>>> from tasks.model import Plan, Task
>>> from datetime import date
>>> from tasks.graph.build import build_graph
>>> g = build_graph(Plan(tasks=[Task("1", deadline=date(2021, 8, 31)),
...                             Task("2", deadline=date(2021, 6, 30), predecessors=["1"])]))
>>> deadline_inversions(g)[0]["days"]
62
>>> slip_impact(g, "1", 10)["affected_tasks"]
['2']
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import repeat
from typing import Any

import networkx as nx

from core.gcpause import paused_gc

from .build import LEAD, ROLE_WORDS, id_key, require_task, task_node
from .errors import GraphError


@dataclass
class DatedDag:
    """The predecessor links between dated tasks as plain dicts (fast to walk).

    ``order`` is a topological order (ties by natural id order), ``due`` maps
    task id → due date; ``preds``/``succs`` map id → ids; ``links`` counts every
    predecessor link, undated tasks' too (None in a DatedDag made by hand).  ``rank`` gives each
    task's place in natural id order (equal ids such as ``01`` and ``1`` share
    one), so sorting by it is sorting by :func:`~tasks.graph.build.id_key`.
    Build it once per graph (:func:`dated_dag`) and pass it to the analyses;
    it is not to be changed afterwards (the base finishes are kept in it).
    """

    due: dict[str, date] = field(default_factory=dict)
    preds: dict[str, list[str]] = field(default_factory=dict)
    succs: dict[str, list[str]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    rank: dict[str, int] = field(default_factory=dict)
    links: int | None = None  # predecessor links leaving task nodes (dated or not); None: not counted
    _finish: dict[str, date] | None = field(default=None, repr=False, compare=False)
    _pos: dict[str, int] | None = field(default=None, repr=False, compare=False)

    def base_finishes(self) -> dict[str, date]:
        """:func:`finishes` without overrides, computed once."""
        if self._finish is None:
            self._finish = finishes(self)
        return self._finish

    def positions(self) -> dict[str, int]:
        """Each task's place in ``order``, computed once."""
        if self._pos is None:
            self._pos = {t: i for i, t in enumerate(self.order)}
        return self._pos


def _ranks(ids: list[str], order: list[str] | None = None) -> dict[str, int]:
    """Place of each id in natural order; ids with equal keys share a place.  ``order`` (a list) gets
    the ids sorted by (natural order, text): the order of (rank, id) pairs."""
    keyed: list[tuple[Any, str]]
    if all(t.isdecimal() and t.isascii() for t in ids):  # plain numbers: id_key orders them as int does
        keyed = sorted((int(t), t) for t in ids)
    else:
        keyed = sorted((id_key(t), t) for t in ids)
    if order is not None:
        order.extend(t for _k, t in keyed)
    rank: dict[str, int] = {}
    prev: object = None
    r = -1
    for k, t in keyed:
        if k != prev:
            r, prev = r + 1, k
        rank[t] = r
    return rank


@paused_gc
def dated_dag(g: nx.DiGraph) -> DatedDag:
    """Extract the dated task DAG from a plan graph (see the module doc for what is left out).

    Linear in the graph's size plus a sort of the task ids: one pass over the
    nodes, one over the dated tasks' outgoing links, Kahn's algorithm with a
    heap on the id ranks.

    Parameters
    ----------
    g : networkx.DiGraph
        A plan graph (:func:`~tasks.graph.build_graph`).

    Returns
    -------
    DatedDag
        The dated tasks, their links, a topological order and the undated ids (``excluded``).

    Raises
    ------
    GraphError
        When the links loop (``前置任务出现循环依赖,无法排出先后顺序``; only a hand-made graph can:
        :func:`~tasks.graph.build_graph` refuses loops).

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.graph import build_graph
    >>> from tasks.model import ONGOING, Plan, Task
    >>> g = build_graph(Plan(tasks=[Task("1", lead_units=["市审改办"], deadline=date(2021, 8, 31)),
    ...     Task("2", lead_units=["市财政局"], deadline=date(2021, 6, 30), predecessors=["1"]),
    ...     Task("3", lead_units=["市财政局"], deadline=date(2021, 12, 31), predecessors=["2"]),
    ...     Task("4", deadline_kind=ONGOING)]))
    >>> d = dated_dag(g)
    >>> d.order, d.excluded, d.preds["3"]
    (['1', '2', '3'], ['4'], ['2'])
    >>> g.add_edge("task:3", "task:1", kind="precedes")
    >>> dated_dag(g)
    Traceback (most recent call last):
    ...
    tasks.graph.errors.GraphError: 前置任务出现循环依赖,无法排出先后顺序
    """
    d = DatedDag()
    node_of: dict[str, str] = {}  # dated task node -> task id
    task_nodes: list[str] = []
    excluded = []
    for n, a in g._node.items():  # plain dict access: the public views cost more per item
        if a.get("kind") != "task":
            continue
        task_nodes.append(n)
        due = a.get("due")
        if due is None:
            excluded.append(a["task_id"])
        else:
            d.due[a["task_id"]] = due
            node_of[n] = a["task_id"]
    preds: dict[str, list[str]] = {t: [] for t in d.due}
    succs: dict[str, list[str]] = {t: [] for t in d.due}
    links = 0
    succ_of = g._succ
    for u in task_nodes:
        pu = node_of.get(u)
        for v, a in succ_of[u].items():
            if a.get("kind") == "precedes":
                links += 1
                tv = node_of.get(v)
                if tv is not None and pu is not None:
                    succs[pu].append(tv)
                    preds[tv].append(pu)
    d.preds, d.succs, d.links = preds, succs, links
    d.excluded = sorted(excluded, key=id_key)
    by_key: list[str] = []
    d.rank = _ranks(list(d.due), by_key)
    place = {t: i for i, t in enumerate(by_key)}  # one int orders tasks as (rank, id) pairs would
    # Kahn's algorithm, smallest id first, so results never depend on insertion order
    indeg = {t: len(p) for t, p in preds.items()}
    heap = [place[t] for t, n in indeg.items() if n == 0]
    heapq.heapify(heap)
    order = d.order
    while heap:
        t = by_key[heapq.heappop(heap)]
        order.append(t)
        for s in succs[t]:
            indeg[s] -= 1
            if indeg[s] == 0:
                heapq.heappush(heap, place[s])
    if len(order) != len(d.due):  # build_graph refuses cycles; a hand-made graph may not
        raise GraphError("前置任务出现循环依赖,无法排出先后顺序")
    return d


def _count_links(g: nx.DiGraph) -> int:
    """Predecessor links (``precedes`` edges) leaving task nodes, as :func:`dated_dag` counts them."""
    nodes, get = g._node, dict.get
    return sum(
        list(map(get, nbrs.values(), repeat("kind"))).count("precedes")
        for n, nbrs in g._succ.items()
        if nbrs and nodes[n].get("kind") == "task"
    )


def _rank(d: DatedDag) -> dict[str, int]:
    if len(d.rank) != len(d.due):  # a DatedDag made by hand
        d.rank = _ranks(list(d.due))
    return d.rank


def deadline_inversions(g: nx.DiGraph, dag: DatedDag | None = None) -> list[dict[str, Any]]:
    """Links where the task is due before its predecessor, largest gap first.

    Each item: ``task``, ``predecessor``, ``days`` (> 0), ``task_due``, ``predecessor_due``.

    Parameters
    ----------
    g : networkx.DiGraph
        A plan graph (:func:`~tasks.graph.build_graph`).
    dag : DatedDag, optional
        :func:`dated_dag` of ``g``, if already at hand.

    Returns
    -------
    list of dict
        The inversions, largest gap first (ties in id order).

    Raises
    ------
    GraphError
        When the links loop (:func:`dated_dag`).

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.graph import build_graph
    >>> from tasks.model import ONGOING, Plan, Task
    >>> g = build_graph(Plan(tasks=[Task("1", lead_units=["市审改办"], deadline=date(2021, 8, 31)),
    ...     Task("2", lead_units=["市财政局"], deadline=date(2021, 6, 30), predecessors=["1"]),
    ...     Task("3", lead_units=["市财政局"], deadline=date(2021, 12, 31), predecessors=["2"]),
    ...     Task("4", deadline_kind=ONGOING)]))
    >>> deadline_inversions(g)
    [{'task': '2', 'predecessor': '1', 'days': 62, 'task_due': '2021-06-30', 'predecessor_due': '2021-08-31'}]
    """
    d = dag or dated_dag(g)
    due, rank = d.due, _rank(d)
    # one int orders the inversions as (-days, rank of the task, rank of the predecessor) would
    size = len(rank) + 1
    found: list[tuple[int, int, int, str, str]] = []
    for t in d.order:
        dt = due[t]
        rt = None
        for p in d.preds[t]:
            dp = due[p]
            if dt < dp:
                if rt is None:
                    rt = rank[t] * size
                days = (dp - dt).days
                found.append((rt + rank[p] - days * size * size, len(found), days, t, p))  # ties: as found
    found.sort()
    iso = {d: d.isoformat() for d in set(due.values())} if found else {}  # few distinct dates: write each once
    return [
        {
            "task": t,
            "predecessor": p,
            "days": days,
            "task_due": iso[due[t]],
            "predecessor_due": iso[due[p]],
        }
        for _key, _n, days, t, p in found
    ]


def finishes(d: DatedDag, override: dict[str, date] | None = None) -> dict[str, date]:
    """``finish(t) = max(due(t), finish(preds))``; ``override`` replaces some tasks' own date.

    Parameters
    ----------
    d : DatedDag
        The dated DAG (:func:`dated_dag`).
    override : dict of str to date, optional
        Task id → the date to use instead of its due date (a slip).

    Returns
    -------
    dict of str to date
        Task id → its earliest finish, in topological order.

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.graph import build_graph
    >>> from tasks.model import ONGOING, Plan, Task
    >>> g = build_graph(Plan(tasks=[Task("1", lead_units=["市审改办"], deadline=date(2021, 8, 31)),
    ...     Task("2", lead_units=["市财政局"], deadline=date(2021, 6, 30), predecessors=["1"]),
    ...     Task("3", lead_units=["市财政局"], deadline=date(2021, 12, 31), predecessors=["2"]),
    ...     Task("4", deadline_kind=ONGOING)]))
    >>> [f.isoformat() for f in finishes(dated_dag(g)).values()]
    ['2021-08-31', '2021-08-31', '2021-12-31']
    >>> finishes(dated_dag(g), {"1": date(2021, 9, 30)})["2"].isoformat()
    '2021-09-30'
    """
    override = override or {}
    f: dict[str, date] = {}
    due, preds = d.due, d.preds
    for t in d.order:
        own = override.get(t, due[t]) if override else due[t]
        for p in preds[t]:
            fp = f[p]
            if fp > own:
                own = fp
        f[t] = own
    return f


def slack(g: nx.DiGraph, dag: DatedDag | None = None) -> dict[str, int | None]:
    """Days each dated task can slip before anything downstream is at risk (None: nothing depends on it).

    Parameters
    ----------
    g : networkx.DiGraph
        A plan graph (:func:`~tasks.graph.build_graph`).
    dag : DatedDag, optional
        :func:`dated_dag` of ``g``, if already at hand.

    Returns
    -------
    dict of str to int or None
        Task id → its slack in days (negative: something downstream is due before it), in
        topological order.

    Raises
    ------
    GraphError
        When the links loop (:func:`dated_dag`).

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.graph import build_graph
    >>> from tasks.model import ONGOING, Plan, Task
    >>> g = build_graph(Plan(tasks=[Task("1", lead_units=["市审改办"], deadline=date(2021, 8, 31)),
    ...     Task("2", lead_units=["市财政局"], deadline=date(2021, 6, 30), predecessors=["1"]),
    ...     Task("3", lead_units=["市财政局"], deadline=date(2021, 12, 31), predecessors=["2"]),
    ...     Task("4", deadline_kind=ONGOING)]))
    >>> slack(g)
    {'1': -62, '2': 184, '3': None}
    """
    d = dag or dated_dag(g)
    due, succs = d.due, d.succs
    min_down: dict[str, date | None] = {}
    for t in reversed(d.order):
        best = None
        for s in succs[t]:
            for cand in (due[s], min_down[s]):
                if cand is not None and (best is None or cand < best):
                    best = cand
        min_down[t] = best
    return {t: (None if (m := min_down[t]) is None else (m - due[t]).days) for t in d.order}


def critical_path(g: nx.DiGraph, dag: DatedDag | None = None) -> dict[str, Any]:
    """The longest chain of links between dated tasks, tightest first (module doc has the rule).

    Returns ``tasks`` (ids in order), ``steps`` (id, due, days after the
    previous step), ``total_slack_days`` and ``length``.  One pass in
    topological order (dynamic programming over the DAG).

    Parameters
    ----------
    g : networkx.DiGraph
        A plan graph (:func:`~tasks.graph.build_graph`).
    dag : DatedDag, optional
        :func:`dated_dag` of ``g``, if already at hand.

    Returns
    -------
    dict
        ``tasks``, ``steps``, ``total_slack_days`` and ``length`` (empty path, length 0, when there
        are no links between dated tasks).

    Raises
    ------
    GraphError
        When the links loop (:func:`dated_dag`).

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.graph import build_graph
    >>> from tasks.model import ONGOING, Plan, Task
    >>> g = build_graph(Plan(tasks=[Task("1", lead_units=["市审改办"], deadline=date(2021, 8, 31)),
    ...     Task("2", lead_units=["市财政局"], deadline=date(2021, 6, 30), predecessors=["1"]),
    ...     Task("3", lead_units=["市财政局"], deadline=date(2021, 12, 31), predecessors=["2"]),
    ...     Task("4", deadline_kind=ONGOING)]))
    >>> path = critical_path(g)
    >>> path["tasks"], path["total_slack_days"], [s["days_after_previous"] for s in path["steps"]]
    (['1', '2', '3'], 122, [None, -62, 184])
    """
    d = dag or dated_dag(g)
    due, preds, rank = d.due, d.preds, _rank(d)
    best: dict[str, tuple[int, int, str | None]] = {}
    for t in d.order:
        ps = preds[t]
        if not ps:
            best[t] = (1, 0, None)
            continue
        dt = due[t]
        # the longest, then tightest, then first in id order (the first of equals in the list)
        length, gap, via, r = 0, 0, None, 0
        for p in ps:
            pl, pg, _ = best[p]
            cand_gap = pg + (dt - due[p]).days
            rp = rank[p]
            if (
                via is None
                or pl + 1 > length
                or (pl + 1 == length and (cand_gap < gap or (cand_gap == gap and rp < r)))
            ):
                length, gap, via, r = pl + 1, cand_gap, p, rp
        best[t] = (length, gap, via)
    longest = max((b[0] for b in best.values()), default=0)
    if longest < 2:
        return {"tasks": [], "steps": [], "total_slack_days": 0, "length": 0}

    def chain(end: str) -> list[str]:
        out = [end]
        while (prev := best[out[-1]][2]) is not None:
            out.append(prev)
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


def _units_of(g: nx.DiGraph, task_id: str) -> list[tuple[str, str]]:
    nodes = g._node
    return [
        (nodes[u]["label"], dd["role"])
        for u, dd in g._pred[task_node(task_id)].items()
        if dd.get("kind") == "unit" and not dd.get("via")
    ]


@paused_gc
def slip_impact(g: nx.DiGraph, task_id: str, days: int, dag: DatedDag | None = None) -> dict[str, Any]:
    """What a slip of ``task_id`` by ``days`` puts at risk downstream (module doc has the rule).

    Returns ``affected_tasks`` (ids, topological order), ``details`` (per task:
    due, new finish, days late, units), ``affected_units`` (unit, roles, tasks),
    ``absorbed_by`` (successors whose due date leaves room: the slip stops there).

    Parameters
    ----------
    g : networkx.DiGraph
        A plan graph (:func:`~tasks.graph.build_graph`).
    task_id : str
        The task that slips.
    days : int
        By how many days (≥ 0).
    dag : DatedDag, optional
        :func:`dated_dag` of ``g``, if already at hand.

    Returns
    -------
    dict
        ``task``, ``days``, ``due``, ``finish`` and the keys above.

    Raises
    ------
    GraphError
        When the task does not exist (``任务“…”不存在``), has no due date (``任务“…”为…的任务,没有完成日期,
        无法计算延误影响``) or ``days`` is negative (``延误天数不能为负数``).

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.graph import build_graph
    >>> from tasks.model import ONGOING, Plan, Task
    >>> g = build_graph(Plan(tasks=[Task("1", lead_units=["市审改办"], deadline=date(2021, 8, 31)),
    ...     Task("2", lead_units=["市财政局"], deadline=date(2021, 6, 30), predecessors=["1"]),
    ...     Task("3", lead_units=["市财政局"], deadline=date(2021, 12, 31), predecessors=["2"]),
    ...     Task("4", deadline_kind=ONGOING)]))
    >>> impact = slip_impact(g, "1", 10)
    >>> impact["affected_tasks"], impact["absorbed_by"], impact["details"][0]["days_late"]
    (['2'], ['3'], 72)
    >>> impact["affected_units"]
    [{'unit': '市财政局', 'roles': ['牵头'], 'tasks': ['2']}]
    >>> slip_impact(g, "4", 10)
    Traceback (most recent call last):
    ...
    tasks.graph.errors.GraphError: 任务“4”为无完成时限的任务,没有完成日期,无法计算延误影响
    """
    d = dag or dated_dag(g)
    node = require_task(g, task_id)
    if task_id not in d.due:
        raise GraphError(
            f"任务“{task_id}”为{g.nodes[node].get('deadline_text') or '无完成时限'}的任务,没有完成日期,无法计算延误影响"
        )
    if days < 0:
        raise GraphError("延误天数不能为负数")
    base = d.base_finishes()
    new_own = d.due[task_id] + timedelta(days=days)
    moved = {task_id}
    new: dict[str, date] = {task_id: max([new_own, *(base[p] for p in d.preds[task_id])])}
    # Finishes only ever grow, so a task whose predecessors all kept their finish keeps its own:
    # walk in topological order from the slipped task's successors, and go on past a task only
    # when its finish moved (the tasks that absorb the slip end the walk there).
    pos = d.positions()
    preds, succs, due = d.preds, d.succs, d.due
    heap = [(pos[s], s) for s in set(succs[task_id])]
    heapq.heapify(heap)
    queued = {s for _, s in heap}
    affected, absorbed = [], []
    while heap:
        _, t = heapq.heappop(heap)
        f = due[t]
        for p in preds[t]:
            fp = new.get(p)
            if fp is None:
                fp = base[p]
            if fp > f:
                f = fp
        if f > base[t]:  # finish moved; base >= due, so it now passes the due date
            new[t] = f
            moved.add(t)
            affected.append(t)
            for s in succs[t]:
                if s not in queued:
                    queued.add(s)
                    heapq.heappush(heap, (pos[s], s))
        else:  # queued only because a predecessor moved: it absorbs the slip
            absorbed.append(t)
    details: list[dict[str, Any]] = []
    units: dict[str, dict[str, Any]] = {}
    for t in affected:
        us = _units_of(g, t)
        details.append(
            {
                "task": t,
                "title": g.nodes[task_node(t)].get("title", ""),
                "due": d.due[t].isoformat(),
                "finish": new[t].isoformat(),
                "days_late": (new[t] - d.due[t]).days,
                "lead_units": [u for u, r in us if r == LEAD],
                "responsible_units": [u for u, r in us if r != LEAD],
            }
        )
        for u, r in us:
            entry = units.setdefault(u, {"unit": u, "roles": [], "tasks": []})
            if ROLE_WORDS[r] not in entry["roles"]:
                entry["roles"].append(ROLE_WORDS[r])
            entry["tasks"].append(t)
    return {
        "task": task_id,
        "days": days,
        "due": d.due[task_id].isoformat(),
        "finish": new[task_id].isoformat(),
        "affected_tasks": affected,
        "details": details,
        "affected_units": sorted(units.values(), key=lambda e: (-len(e["tasks"]), e["unit"])),
        "absorbed_by": absorbed,
    }


@paused_gc
def analyse(g: nx.DiGraph, dag: DatedDag | None = None) -> dict[str, Any]:
    """Counts, inversions, critical path and the tightest tasks, in one pass over the DAG.

    ``dag`` reuses a :func:`dated_dag` of ``g`` already at hand.

    Parameters
    ----------
    g : networkx.DiGraph
        A plan graph (:func:`~tasks.graph.build_graph`).
    dag : DatedDag, optional
        :func:`dated_dag` of ``g``, if already at hand.

    Returns
    -------
    dict
        ``counts`` (tasks, units, sections, links, dated and excluded tasks), ``excluded``,
        ``inversions``, ``critical_path``, ``slack`` (in id order) and ``least_slack`` (the ten tightest).

    Raises
    ------
    GraphError
        When the links loop (:func:`dated_dag`).

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.graph import build_graph
    >>> from tasks.model import ONGOING, Plan, Task
    >>> g = build_graph(Plan(tasks=[Task("1", lead_units=["市审改办"], deadline=date(2021, 8, 31)),
    ...     Task("2", lead_units=["市财政局"], deadline=date(2021, 6, 30), predecessors=["1"]),
    ...     Task("3", lead_units=["市财政局"], deadline=date(2021, 12, 31), predecessors=["2"]),
    ...     Task("4", deadline_kind=ONGOING)]))
    >>> report = analyse(g)
    >>> report["counts"]
    {'tasks': 4, 'units': 2, 'sections': 0, 'predecessor_links': 2, 'dated_tasks': 3, 'excluded_tasks': 1}
    >>> report["least_slack"][0]
    {'task': '1', 'slack_days': -62}
    """
    d = dag or dated_dag(g)
    kinds = Counter(map(dict.get, g._node.values(), repeat("kind")))  # counted in C, not a Python step per node
    links = d.links if d.links is not None else _count_links(g)
    sl = slack(g, d)
    rank = _rank(d)
    # the ten tightest (== sorted(...)[:10], ties kept in order, without sorting every task)
    tight = heapq.nsmallest(10, ((t, s) for t, s in sl.items() if s is not None), key=lambda x: (x[1], rank[x[0]]))
    return {
        "counts": {
            "tasks": kinds.get("task", 0),
            "units": kinds.get("unit", 0),
            "sections": kinds.get("section", 0),
            "predecessor_links": links,
            "dated_tasks": len(d.due),
            "excluded_tasks": len(d.excluded),
        },
        "excluded": d.excluded,
        "inversions": deadline_inversions(g, d),
        "critical_path": critical_path(g, d),
        "slack": dict(sorted(sl.items(), key=lambda x: rank[x[0]])),
        "least_slack": [{"task": t, "slack_days": s} for t, s in tight],
    }
