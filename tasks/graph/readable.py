"""The dependency graph's first, readable picture: the critical path plus one task's neighbourhood, tasks
coloured by status, titles wrapped — the whole graph stays one click away on the page.

>>> import networkx as nx
>>> from datetime import date
>>> g = nx.DiGraph()
>>> for i in "1234":
...     g.add_node(f"task:{i}", kind="task", task_id=i, title=f"任务{i}推进政务服务标准化建设", due=date(2021, 9, int(i)))
>>> g.add_edge("task:1", "task:2", kind="precedes"); g.add_edge("task:2", "task:3", kind="precedes")
>>> g.add_edge("task:3", "task:4", kind="precedes")
>>> sorted(readable_nodes(g, ["1", "2"], focus="4"))
['task:1', 'task:2', 'task:3', 'task:4']
>>> dot = readable_dot(g, readable_nodes(g, ["1", "2"], None), {"1": "overdue"}, ["1", "2"])
>>> "#c62828" in dot and "任务1推进政务" in dot and "\\\\n" in dot
True
>>> wrap("推进政务服务标准化规范化便利化建设", 8)
['推进政务服务', '标准化规范化', '便利化建设']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from .. import labels
from .export import FONT, _quoted, within

__all__ = ["readable_nodes", "readable_dot", "wrap", "STATUS_FILL", "STATUS_WORDS"]

#: fill colour and words per status (the dashboard's colours, lighter fills, dark text)
STATUS_FILL = {
    "done": "#c8e6c9",
    "on_track": "#bbdefb",
    "at_risk": "#fff3c4",
    "overdue": "#ffcdd2",
    "ongoing": "#e1bee7",
    "not_started": "#eeeeee",
}
STATUS_EDGE = {
    "done": "#2e7d32",
    "on_track": "#1565c0",
    "at_risk": "#f9a825",
    "overdue": "#c62828",
    "ongoing": "#6a1b9a",
    "not_started": "#9e9e9e",
}
STATUS_WORDS = labels.STATUS


def wrap(text: str, width: int = 9) -> list[str]:
    """Cut ``text`` into lines of about ``width`` characters (Chinese has no spaces to break at)."""
    text = text.strip()
    if len(text) <= width + 1:
        return [text]
    n = -(-len(text) // width)
    size = -(-len(text) // n)
    return [text[i : i + size] for i in range(0, len(text), size)]


def readable_nodes(g: nx.DiGraph, critical_path: Iterable[str], focus: str | None, radius: int = 1) -> set[str]:
    """Task nodes on the critical path, plus the ``focus`` task and its task neighbours within ``radius``."""
    tasks = {a["task_id"]: n for n, a in g._node.items() if a.get("kind") == "task"}
    keep = {tasks[t] for t in critical_path if t in tasks}
    if focus and focus in tasks:
        keep |= within(g, tasks[focus], radius, allowed=_TaskNodes(g))
    return keep


class _TaskNodes:
    """``node in _TaskNodes(g)``: is it a task node (a set view without building the set)."""

    def __init__(self, g: nx.DiGraph):
        self._nodes = g._node

    def __contains__(self, n: object) -> bool:
        a = self._nodes.get(n)
        return a is not None and a.get("kind") == "task"


def readable_dot(
    g: nx.DiGraph,
    nodes: set[str],
    statuses: dict[str, str],
    critical_path: list[str],
    title: str = "",
    focus: str | None = None,
) -> str:
    """DOT text of ``nodes``: task boxes filled by status, wrapped titles with due date and status, the
    critical path's links red and thick, the focus task outlined."""
    import pydot

    dot = pydot.Dot(
        graph_type="digraph",
        rankdir="LR",
        charset="UTF-8",
        fontname=FONT,
        label=_quoted(title),
        labelloc="t",
        nodesep="0.3",
        ranksep="0.5",
    )
    dot.set_node_defaults(fontname=FONT, fontsize="11", shape="box", style="rounded,filled", margin="0.12,0.06")
    dot.set_edge_defaults(fontname=FONT, fontsize="9")
    on_path = set(zip(critical_path, critical_path[1:]))
    ids = {n: f"n{i}" for i, n in enumerate(sorted(nodes))}
    for n in sorted(nodes):
        a = g.nodes[n]
        tid = a.get("task_id", "")
        status = statuses.get(tid, "")
        due = a.get("due")
        when = due.isoformat() if due else (a.get("deadline_text") or "无具体时限")
        lines = [f"{tid}. " + wrap(a.get("title", ""))[0], *wrap(a.get("title", ""))[1:3], when]
        if status:
            lines.append(STATUS_WORDS.get(status, status))
        attrs: dict[str, Any] = {
            "label": _quoted(*lines),
            "fillcolor": STATUS_FILL.get(status, "#ffffff"),
            "color": STATUS_EDGE.get(status, "#5f6368"),
        }
        if tid == focus:
            attrs["penwidth"] = "3"
        dot.add_node(pydot.Node(ids[n], **attrs))
    succ = g._succ  # only the chosen nodes' links, in the graph's edge order (not all 350,000 edges)
    chosen_links = ((x, y, a) for x in g._node if x in nodes for y, a in succ[x].items())
    for u, v, a in chosen_links:
        if v not in nodes or a.get("kind") != "precedes":
            continue
        pair = (g.nodes[u].get("task_id"), g.nodes[v].get("task_id"))
        edge: dict[str, Any] = (
            {"color": "#d93025", "penwidth": "3"} if pair in on_path else {"color": "#1a73e8", "penwidth": "1.5"}
        )
        dot.add_edge(pydot.Edge(ids[u], ids[v], **edge))
    return str(dot.to_string())
