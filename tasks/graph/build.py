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
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

import networkx as nx

from core.config import package_file
from core.sheets import cell_text

from .. import labels
from ..model import ONGOING, Plan, Task
from ..units import is_collective
from .errors import CycleError, GraphError, UnknownPredecessor
from .predecessors import PredecessorLink, _rows, links_from_plan

LEAD, RESPONSIBLE = "lead", "responsible"
ROLE_WORDS = labels.UNIT_ROLE
DEFAULT_MEMBERS = package_file("tasks", "data", "collective_units.csv")


def task_node(task_id: str) -> str:
    """Node id of a task (its display id, plan-prefixed in a combined graph)."""
    return f"task:{task_id}"


def require_task(g: nx.DiGraph, task_id: str) -> str:
    """The node of task ``task_id``, or a :class:`GraphError` that says how to write it.

    In a combined graph ids carry the plan (``2021/5``); a bare ``5`` names
    the ids it could mean.
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
    return f"unit:{name}"


def due_date(task: Task) -> date | None:
    """The date graph analyses use for a task: its last dated milestone, else its deadline.

    A task written ``2017年9月底前上线试运行,2018-2019年扩容推广`` is done at
    its last milestone (2019-12-31); ``Task.deadline`` keeps the first.
    Ongoing (长期坚持) and undated tasks have no due date.
    """
    if task.deadline_kind == ONGOING:
        return None
    dated = [m.date for m in task.milestones if m.date]
    if dated:
        return max(dated)
    return task.deadline


def _units(written: list[str], canonical: list[str]) -> list[str]:
    names = canonical if canonical and len(canonical) == len(written) else written
    return list(dict.fromkeys(n for n in names if n))


def _add_plan(g: nx.DiGraph, plan: Plan, prefix: str, plan_key: str) -> None:
    for t in plan.tasks:
        tid = f"{prefix}{t.id}"
        g.add_node(
            task_node(tid),
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
            g.add_edge(sec, task_node(tid), kind="section")
        lead = _units(t.lead_units, t.lead_units_canonical)
        resp = [u for u in _units(t.responsible_units, t.responsible_units_canonical) if u not in lead]
        for role, names in ((LEAD, lead), (RESPONSIBLE, resp)):
            for name in names:
                un = unit_node(name)
                if un not in g:
                    g.add_node(un, kind="unit", label=name, collective=is_collective(name))
                g.add_edge(un, task_node(tid), kind="unit", role=role)


def _add_links(g: nx.DiGraph, links: Iterable[PredecessorLink], prefix: str) -> None:
    for link in links:
        t, p = task_node(f"{prefix}{link.task}"), task_node(f"{prefix}{link.predecessor}")
        if t not in g:
            raise UnknownPredecessor(link.task, origin=link.origin, role="任务")
        if p not in g:
            raise UnknownPredecessor(link.predecessor, origin=link.origin)
        if p == t:
            raise CycleError([link.task, link.task], [link.origin])
        if g.has_edge(p, t):
            continue
        g.add_edge(p, t, kind="precedes", origin=link.origin)


def check_acyclic(g: nx.DiGraph) -> None:
    """Raise :class:`CycleError` naming one loop (``5 → 7 → 5``) and the rows of its links.

    Kahn's algorithm removes every task not on or behind a loop (linear time;
    ``nx.find_cycle`` is far slower on thousands of links); from what is left,
    walking back along predecessors must come round to a node seen before.
    """
    preds: dict[str, list[str]] = {}
    succs: dict[str, list[str]] = {}
    for u, v, k in g.edges(data="kind"):
        if k == "precedes":
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
    """Natural order of ids: ``2`` before ``10``, ``2021/3`` before ``2021/12``."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", task_id))


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
    """
    g = graph if graph is not None else nx.DiGraph(title=plan.title)
    _add_plan(g, plan, prefix, plan_key)
    _add_links(g, [*links_from_plan(plan), *links], prefix)
    check_acyclic(g)
    return g


def build_combined(
    plans: Mapping[str, Plan], links: Mapping[str, Iterable[PredecessorLink]] | None = None
) -> nx.DiGraph:
    """One graph across several plans; task ids become ``<key>/<id>`` (``2021/5``).

    Units are shared: a unit in two programmes is one node, so its load and
    collaborations add up across them.

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
