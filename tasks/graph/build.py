"""A plan as a networkx graph: tasks, units and sections as nodes.

Nodes (string ids, ``kind`` attribute):

* ``task:<id>`` — a task (``task:2021/5`` in a combined graph); attributes
  ``task_id`` (what analyses return), ``plan``, ``title``, ``section``,
  ``deadline`` (date or None), ``due`` (the date graph analyses use: the last
  dated milestone, else the deadline; None for ongoing/undated tasks),
  ``deadline_kind``, ``deadline_text``, ``milestones`` (list of (date, text)),
  ``source``.
* ``unit:<name>`` — a unit under its canonical name (alias table applied);
  ``collective=True`` for names that stand for many units (``市直各相关单位``).
* ``section:<plan>/<title>`` — a section heading (``一、深入推进…``).

Edges: ``unit → task`` with ``kind="unit"`` and ``role`` ``lead``/``responsible``;
``section → task`` ``kind="section"``; ``predecessor → task`` ``kind="precedes"``
with ``origin`` (where the link was written); ``collective → member``
``kind="member"`` after :func:`expand_collectives`.

>>> from tasks.model import Plan, Task
>>> from datetime import date
>>> plan = Plan(tasks=[Task("1", lead_units=["市审改办"], deadline=date(2021, 8, 31)),
...                    Task("2", lead_units=["市审改办"], deadline=date(2021, 9, 30), predecessors=["1"])])
>>> g = build_graph(plan)
>>> sorted(g.predecessors("task:2"))
['task:1', 'unit:市审改办']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path

import networkx as nx

from core.config import package_file
from core.gcpause import paused_gc
from core.sheets import cell_text

from .. import labels
from ..model import ONGOING, Plan, Task
from ..units import is_collective
from .errors import CycleError, GraphError, UnknownPredecessor
from .predecessors import PredecessorLink, _rows

LEAD, RESPONSIBLE = "lead", "responsible"
ROLE_WORDS = labels.UNIT_ROLE
DEFAULT_MEMBERS = package_file("tasks", "data", "collective_units.csv")


def task_node(task_id: str) -> str:
    """Node id of a task (its display id, plan-prefixed in a combined graph).

    Parameters
    ----------
    task_id : str
        The task's id (``5``, or ``2021/5`` in a combined graph).

    Returns
    -------
    str
        ``task:<id>``.

    Examples
    --------
    >>> task_node("5"), task_node("2021/5")
    ('task:5', 'task:2021/5')
    """
    return f"task:{task_id}"


def require_task(g: nx.DiGraph, task_id: str) -> str:
    """The node of task ``task_id``, or a :class:`GraphError` that says how to write it.

    In a combined graph ids carry the plan (``2021/5``); a bare ``5`` names
    the ids it could mean.

    Parameters
    ----------
    g : networkx.DiGraph
        A plan graph (:func:`build_graph` or :func:`build_combined`).
    task_id : str
        The task's id.

    Returns
    -------
    str
        Its node id.

    Raises
    ------
    GraphError
        When the graph has no such task (``任务“…”不存在``, with the plan-prefixed ids a bare number
        could mean).

    Examples
    --------
    >>> plan = Plan(tasks=[Task("1", lead_units=["市审改办"]),
    ...                    Task("2", lead_units=["市直各相关单位"], predecessors=["1"])])
    >>> require_task(build_graph(plan), "2")
    'task:2'
    >>> require_task(build_combined({"A": plan, "B": plan}), "1")
    Traceback (most recent call last):
    ...
    tasks.graph.errors.GraphError: 任务“1”不存在;合并多个方案时任务编号要带方案名,如“A/1”“B/1”
    """
    node = task_node(task_id)
    if node in g and g.nodes[node].get("kind") == "task":
        return node
    like = sorted(
        (a["task_id"] for _, a in g.nodes(data=True) if a.get("kind") == "task" and a.get("local_id") == task_id),
        key=id_key,
    )
    hint = f";合并多个方案时任务编号要带方案名,如“{'”“'.join(like[:3])}”" if like else ""
    raise GraphError(f"任务“{task_id}”不存在{hint}")


def unit_node(name: str) -> str:
    """Node id of a unit.

    Parameters
    ----------
    name : str
        The unit's canonical name.

    Returns
    -------
    str
        ``unit:<name>``.

    Examples
    --------
    >>> unit_node("市财政局")
    'unit:市财政局'
    """
    return f"unit:{name}"


def due_date(task: Task) -> date | None:
    """The date graph analyses use for a task: its last dated milestone, else its deadline.

    A task written ``2017年9月底前上线试运行,2018-2019年扩容推广`` is done at
    its last milestone (2019-12-31); ``Task.deadline`` keeps the first.
    Ongoing (长期坚持) and undated tasks have no due date.

    Parameters
    ----------
    task : Task
        An imported task.

    Returns
    -------
    date or None
        Its due date.

    Examples
    --------
    >>> from tasks.model import Milestone
    >>> task = Task("1", deadline=date(2017, 9, 30),
    ...             milestones=[Milestone(date(2017, 9, 30), "上线试运行"), Milestone(date(2019, 12, 31), "扩容推广")])
    >>> due_date(task), due_date(Task("2", deadline_kind=ONGOING))
    (datetime.date(2019, 12, 31), None)
    """
    if task.deadline_kind == ONGOING:
        return None
    dated = [m.date for m in task.milestones if m.date]
    if dated:
        return max(dated)
    return task.deadline


def _units(written: list[str], canonical: list[str]) -> list[str]:
    names = canonical if canonical and len(canonical) == len(written) else written
    return [n for n in dict.fromkeys(names) if n]


def _add_plan(g: nx.DiGraph, plan: Plan, prefix: str, plan_key: str) -> dict[str, int]:
    """Add the plan's task, section and unit nodes and their edges; returns task node → row (first)."""
    # Nodes and edges are gathered first and added in two bulk calls (one networkx call per edge
    # took most of the build at 50,000 tasks); the order is the one single calls would give.
    nodes: list[tuple[str, dict]] = []
    edges: list[tuple[str, str, dict]] = []
    new_nodes: set[str] = set()
    have = g._node  # ``n in g`` is a Python call per test; the node dict answers the same in C
    rows: dict[str, int] = {}
    unit_keys: dict[str, str] = {}  # unit name -> its node, made (and added) once
    section_keys: dict[str, str] = {}
    for i, t in enumerate(plan.tasks):
        tid = f"{prefix}{t.id}"
        tn = f"task:{tid}"
        if tn not in rows:
            rows[tn] = i
        ms = t.milestones
        nodes.append(
            (
                tn,
                {
                    "kind": "task",
                    "task_id": tid,
                    "plan": plan_key,
                    "local_id": t.id,
                    "title": t.title,
                    "section": t.section,
                    "deadline": t.deadline,
                    "due": due_date(t) if ms else (None if t.deadline_kind == ONGOING else t.deadline),
                    "deadline_kind": t.deadline_kind,
                    "deadline_text": t.deadline_text,
                    "milestones": [(m.date, m.text) for m in ms] if ms else [],
                    "source": t.source.label(),
                    "label": f"{tid} {t.title[:16]}".strip(),
                },
            )
        )
        if t.section:
            sec = section_keys.get(t.section)
            if sec is None:
                sec = section_keys[t.section] = (
                    f"section:{plan_key}/{t.section}" if plan_key else f"section:{t.section}"
                )
                if sec not in new_nodes and sec not in have:
                    new_nodes.add(sec)
                    nodes.append((sec, {"kind": "section", "label": t.section, "plan": plan_key}))
            edges.append((sec, tn, {"kind": "section"}))
        lead = _units(t.lead_units, t.lead_units_canonical)
        resp = _units(t.responsible_units, t.responsible_units_canonical)
        if lead and resp:
            resp = [u for u in resp if u not in lead]
        for role, names in ((LEAD, lead), (RESPONSIBLE, resp)):
            for name in names:
                un = unit_keys.get(name)
                if un is None:
                    un = unit_keys[name] = f"unit:{name}"
                    if un not in new_nodes and un not in have:
                        new_nodes.add(un)
                        nodes.append((un, {"kind": "unit", "label": name, "collective": is_collective(name)}))
                edges.append((un, tn, {"kind": "unit", "role": role}))
    _insert(g, nodes, edges)
    return rows


def _insert(g: nx.DiGraph, nodes: list[tuple[str, dict]], edges: list[tuple[str, str, dict]]) -> None:
    """``g.add_nodes_from(nodes); g.add_edges_from(edges)`` for a plain DiGraph, written straight
    into its dicts (the two calls spend more on checks and copies than on the work at 350,000
    edges); the result is the same graph, same order.  Every edge's ends are in ``nodes`` or ``g``,
    and the attribute dicts given are fresh (they become the graph's own)."""
    if type(g) is not nx.DiGraph:  # a subclass may have its own dict factories
        g.add_nodes_from(nodes)
        g.add_edges_from(edges)
        return
    node, succ, pred = g._node, g._succ, g._pred
    for n, a in nodes:
        if n in node:
            node[n].update(a)
        else:
            node[n] = a
            succ[n] = {}
            pred[n] = {}
    for u, v, a in edges:
        old = succ[u].get(v)
        if old is None:
            succ[u][v] = a
            pred[v][u] = a
        else:
            old.update(a)
    clear = getattr(nx, "_clear_cache", None)  # networkx ≥ 3.3 caches some views
    if clear is not None:
        clear(g)


def _add_links(
    g: nx.DiGraph, links: Iterable[tuple[str, str, str]], prefix: str, rows: dict[str, int] | None = None
) -> tuple[list[tuple[str, str]], bool]:
    """Add the predecessor links, given as (task, predecessor, origin); returns the (predecessor,
    task) node pairs added, and whether every one points back to an earlier row of ``rows`` (task
    node → row): links that all do cannot loop, so the cycle check can be skipped."""
    forward = rows is not None
    row = rows if rows is not None else {}
    edges: list[tuple[str, str, dict]] = []
    seen: set[tuple[str, str]] = set()
    succ = g._succ  # plain dict access: the public views cost several times more per edge
    for task, predecessor, origin in links:
        t, p = f"task:{prefix}{task}", f"task:{prefix}{predecessor}"
        if t not in succ:
            g.add_edges_from(edges)  # as if added one by one up to the bad link
            raise UnknownPredecessor(task, origin=origin, role="任务")
        if p not in succ:
            g.add_edges_from(edges)
            raise UnknownPredecessor(predecessor, origin=origin)
        if p == t:
            g.add_edges_from(edges)
            raise CycleError([task, task], [origin])
        if (p, t) in seen or t in succ[p]:
            continue
        if forward:
            rp, rt = row.get(p), row.get(t)
            forward = rp is not None and rt is not None and rp < rt
        seen.add((p, t))
        edges.append((p, t, {"kind": "precedes", "origin": origin}))
    _insert(g, [], edges)
    return [(p, t) for p, t, _a in edges], forward


def _all_links(plan: Plan, links: Iterable[PredecessorLink]) -> Iterator[tuple[str, str, str]]:
    """(task, predecessor, origin) of :func:`links_from_plan` then ``links``, without making a link
    record per table link (each task's source label is worked out once)."""
    for t in plan.tasks:
        if t.predecessors:
            origin = t.source.label() or f"任务{t.id}"
            for p in t.predecessors:
                yield t.id, p, origin
    for link in links:
        yield link.task, link.predecessor, link.origin


def _links_acyclic(g: nx.DiGraph, added: list[tuple[str, str]]) -> None:
    """:func:`check_acyclic` for a graph whose only predecessor links are ``added`` (a fresh build):
    Kahn's algorithm on those links alone; on a loop, the full check names it."""
    succs: dict[str, list[str]] = {}
    indeg: dict[str, int] = {}
    for p, t in added:
        succs.setdefault(p, []).append(t)
        indeg[t] = indeg.get(t, 0) + 1
    ready = [n for n in succs if n not in indeg]
    cleared = 0
    while ready:
        n = ready.pop()
        for s in succs.get(n, ()):
            cleared += 1
            indeg[s] -= 1
            if indeg[s] == 0:
                ready.append(s)
    if cleared != len(added):
        check_acyclic(g)


@paused_gc
def check_acyclic(g: nx.DiGraph) -> None:
    """Raise :class:`CycleError` naming one loop (``5 → 7 → 5``) and the rows of its links.

    Kahn's algorithm removes every task not on or behind a loop (linear time;
    ``nx.find_cycle`` is far slower on thousands of links); from what is left,
    walking back along predecessors must come round to a node seen before.

    Parameters
    ----------
    g : networkx.DiGraph
        A plan graph; only its ``precedes`` edges count.

    Raises
    ------
    CycleError
        When the links loop (``前置任务出现循环依赖:1 → 2 → 1(见 …),请删除其中一条前置关系``), starting at
        the smallest id so the message is the same every run.

    Examples
    --------
    >>> plan = Plan(tasks=[Task("1", lead_units=["市审改办"]),
    ...                    Task("2", lead_units=["市直各相关单位"], predecessors=["1"])])
    >>> g = build_graph(plan)
    >>> check_acyclic(g)
    >>> g.add_edge("task:2", "task:1", kind="precedes", origin="界面")
    >>> check_acyclic(g)
    Traceback (most recent call last):
    ...
    tasks.graph.errors.CycleError: 前置任务出现循环依赖:1 → 2 → 1(见 任务2、界面),请删除其中一条前置关系
    """
    preds: dict[str, list[str]] = {}
    succs: dict[str, list[str]] = {}
    for u, nbrs in g._succ.items():  # g.edges(data=...) costs several times more per edge
        for v, a in nbrs.items():
            if a.get("kind") == "precedes":
                succs.setdefault(u, []).append(v)
                preds.setdefault(v, []).append(u)
    indeg = {n: len(p) for n, p in preds.items()}
    ready = [n for n in succs if n not in indeg]
    while ready:
        n = ready.pop()
        for s in succs.get(n, ()):
            indeg[s] -= 1
            if indeg[s] == 0:
                ready.append(s)
    left = {n for n, d in indeg.items() if d > 0}
    if not left:
        return
    walk, seen = [min(left, key=lambda n: id_key(g.nodes[n]["task_id"]))], {}
    while walk[-1] not in seen:
        seen[walk[-1]] = len(walk) - 1
        walk.append(min((p for p in preds[walk[-1]] if p in left), key=lambda n: id_key(g.nodes[n]["task_id"])))
    loop = walk[seen[walk[-1]] :][::-1]  # forward order, first node repeated at the end
    edges = list(zip(loop, loop[1:]))
    ids = [g.nodes[u]["task_id"] for u, _ in edges]
    k = min(range(len(ids)), key=lambda i: id_key(ids[i]))  # start at the smallest id: same message every run
    ids, edges = ids[k:] + ids[:k], edges[k:] + edges[:k]
    raise CycleError(ids + [ids[0]], [g.edges[u, v].get("origin", "") for u, v in edges])


def id_key(task_id: str) -> tuple:
    """Natural order of ids: ``2`` before ``10``, ``2021/3`` before ``2021/12``.

    >>> id_key("12"), id_key("2021/3")
    (('', 12, ''), ('', 2021, '/', 3, ''))
    """
    if task_id.isdecimal() and task_id.isascii():  # the common case, without the regex
        return ("", int(task_id), "")
    return _split_key(task_id)


@lru_cache(maxsize=1 << 16)
def _split_key(task_id: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in _DIGITS.split(task_id))


_DIGITS = re.compile(r"(\d+)")


@paused_gc
def build_graph(
    plan: Plan,
    links: Iterable[PredecessorLink] = (),
    *,
    prefix: str = "",
    plan_key: str = "",
    graph: nx.DiGraph | None = None,
) -> nx.DiGraph:
    """The graph of one plan; ``links`` add predecessor links (e.g. from a predecessors file).

    Links from ``Task.predecessors`` are always included.  Raises
    :class:`UnknownPredecessor` for an id the plan lacks and :class:`CycleError`
    for a loop, both naming the row the link came from.  ``prefix``/``plan_key``
    are used by :func:`build_combined`.

    Parameters
    ----------
    plan : Plan
        An imported plan.
    links : iterable of PredecessorLink, optional
        More predecessor links (a predecessors file, the dashboard's edits).
    prefix : str, optional
        Prepended to task ids (``2021/``).
    plan_key : str, optional
        The plan's key in a combined graph.
    graph : networkx.DiGraph, optional
        A graph to add to; default a new one titled with the plan's title.

    Returns
    -------
    networkx.DiGraph
        Task, unit and section nodes and their edges (see the module's text).

    Raises
    ------
    UnknownPredecessor
        When a link names a task the plan lacks (``p.csv 第2行: 前置任务“9”不存在``).
    CycleError
        When the links loop.

    Examples
    --------
    >>> plan = Plan(tasks=[Task("1", lead_units=["市审改办"]),
    ...                    Task("2", lead_units=["市直各相关单位"], predecessors=["1"])])
    >>> g = build_graph(plan)
    >>> g.edges["task:1", "task:2"]
    {'kind': 'precedes', 'origin': '任务2'}
    >>> from tasks.graph import PredecessorLink
    >>> build_graph(plan, [PredecessorLink("1", "9", "p.csv 第2行")])
    Traceback (most recent call last):
    ...
    tasks.graph.errors.UnknownPredecessor: p.csv 第2行: 前置任务“9”不存在
    """
    g = graph if graph is not None else nx.DiGraph(title=plan.title)
    rows = _add_plan(g, plan, prefix, plan_key)
    added, forward = _add_links(g, _all_links(plan, links), prefix, rows)
    if not forward:  # links that all point back to earlier rows cannot loop
        _links_acyclic(g, added)
    return g


@paused_gc
def build_combined(
    plans: Mapping[str, Plan], links: Mapping[str, Iterable[PredecessorLink]] | None = None
) -> nx.DiGraph:
    """One graph across several plans; task ids become ``<key>/<id>`` (``2021/5``).

    Units are shared: a unit in two programmes is one node, so its load and
    collaborations add up across them.

    Parameters
    ----------
    plans : mapping of str to Plan
        Plan key (no ``/``) → plan.
    links : mapping of str to iterable of PredecessorLink, optional
        Plan key → its extra predecessor links (ids without the key).

    Returns
    -------
    networkx.DiGraph
        One graph, titled with the keys joined by `` + ``.

    Raises
    ------
    GraphError
        When a key contains ``/`` (``方案代号“…”不能含“/”``).
    UnknownPredecessor, CycleError
        As :func:`build_graph`, for any plan.

    Examples
    --------
    >>> from tasks.model import Plan, Task
    >>> g = build_combined({"A": Plan(tasks=[Task("1", lead_units=["市财政局"])]),
    ...                     "B": Plan(tasks=[Task("1", lead_units=["市财政局"])])})
    >>> sorted(g.successors("unit:市财政局"))
    ['task:A/1', 'task:B/1']
    """
    g = nx.DiGraph(title=" + ".join(plans))
    for key, plan in plans.items():
        if "/" in key:
            raise GraphError(f"方案代号“{key}”不能含“/”")
        build_graph(plan, (links or {}).get(key, ()), prefix=f"{key}/", plan_key=key, graph=g)
    return g


def load_members(path: str | Path | None = None) -> dict[str, list[str]]:
    """Collective unit → member units, from a csv/xlsx ``集体单位,成员单位[,说明]`` (one member a row).

    The bundled ``tasks/data/collective_units.csv`` is an illustrative list, not an
    official one; offices replace it with their own (saved by Excel as xlsx,
    or as csv in UTF-8 or GBK).  A file named but missing is an error; the
    bundled one missing just means no member lists.

    Parameters
    ----------
    path : str or Path, optional
        The members file; default the bundled one.

    Returns
    -------
    dict of str to list of str
        Collective unit → its members, in file order, each once.

    Raises
    ------
    GraphError
        When the file named does not exist (``…: 集体单位成员表文件不存在``) or a row's member is empty
        (``… 第N行: “成员单位”是空的``).
    PredecessorFileError
        When the file cannot be read as a table.

    Examples
    --------
    >>> load_members()["市直各相关单位"][:2]
    ['市发改局', '市财政局']
    >>> load_members("/nonexistent/members.csv")
    Traceback (most recent call last):
    ...
    tasks.graph.errors.GraphError: members.csv: 集体单位成员表文件不存在
    """
    if path is not None and not Path(path).is_file():
        raise GraphError(f"{Path(path).name}: 集体单位成员表文件不存在")
    p = Path(path) if path else DEFAULT_MEMBERS
    if not p.is_file():
        return {}
    out: dict[str, list[str]] = {}
    for i, row in enumerate(_rows(p, p.name), start=1):
        cells = [cell_text(c) for c in row]
        if len(cells) < 2 or not cells[0] or cells[0] in ("集体单位", "collective"):
            continue
        if not cells[1]:
            raise GraphError(f"{p.name} 第{i}行: “成员单位”是空的")
        members = out.setdefault(cells[0], [])
        if cells[1] not in members:
            members.append(cells[1])
    return out


def expand_collectives(g: nx.DiGraph, members: Mapping[str, list[str]]) -> nx.DiGraph:
    """A copy where each collective unit with a member list links to its members.

    The collective node stays (``collective → member``, ``kind="member"``) and
    each member also gets the collective's task edges, marked ``via=<collective>``,
    so load and collaboration count them.  Direct edges win over ``via`` ones.

    Parameters
    ----------
    g : networkx.DiGraph
        A plan graph (left unchanged).
    members : mapping of str to list of str
        Collective unit → its members (:func:`load_members`).

    Returns
    -------
    networkx.DiGraph
        The copy.

    Examples
    --------
    >>> plan = Plan(tasks=[Task("1", lead_units=["市审改办"]),
    ...                    Task("2", lead_units=["市直各相关单位"], predecessors=["1"])])
    >>> h = expand_collectives(build_graph(plan), {"市直各相关单位": ["市财政局", "市公安局"]})
    >>> sorted(h.successors("unit:市直各相关单位"))
    ['task:2', 'unit:市公安局', 'unit:市财政局']
    >>> h.edges["unit:市财政局", "task:2"]
    {'kind': 'unit', 'role': 'lead', 'via': '市直各相关单位'}
    """
    h = g.copy()
    for name, names in members.items():
        cn = unit_node(name)
        if cn not in h:
            continue
        task_edges = [(t, d["role"]) for _, t, d in g.out_edges(cn, data=True) if d.get("kind") == "unit"]
        for member in names:
            mn = unit_node(member)
            if mn not in h:
                h.add_node(mn, kind="unit", label=member, collective=is_collective(member))
            h.add_edge(cn, mn, kind="member")
            for t, role in task_edges:
                if not h.has_edge(mn, t):
                    h.add_edge(mn, t, kind="unit", role=role, via=name)
    return h
