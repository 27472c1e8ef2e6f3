"""Exports: GraphML and GEXF (Gephi, yEd), a graphviz picture, a tidy edge list.

GraphML/GEXF hold only strings, numbers and booleans, so dates become ISO
text, lists become ``;``-joined text and missing values are left out.  The
picture is drawn by graphviz's ``dot`` (through pydot) with a CJK font.

>>> from tasks.model import Plan, Task
>>> from tasks.graph.build import build_graph
>>> g = build_graph(Plan(tasks=[Task("1", lead_units=["市审改办"])]))
>>> edge_list(g)[0]["关系"]
'牵头'
"""

from __future__ import annotations

from collections.abc import Collection, Container
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from core.gcpause import paused_gc
from core.safe_export import save_workbook, write_csv

from ..errors import WorkbenchError
from .build import ROLE_WORDS, require_task

FONT = "Noto Sans CJK SC"
KIND_WORDS = {"task": "任务", "unit": "单位", "section": "章节"}
EDGE_WORDS = {"precedes": "前置", "section": "包含", "member": "成员"}
_STYLE: dict[str, dict[str, Any]] = {
    "task": {"shape": "box", "style": "rounded,filled", "fillcolor": "#e8f0fe"},
    "unit": {"shape": "ellipse", "style": "filled", "fillcolor": "#fef7e0"},
    "collective": {"shape": "doubleoctagon", "style": "filled", "fillcolor": "#fce8e6"},
    "section": {"shape": "note", "style": "filled", "fillcolor": "#e6f4ea"},
}


class ExportFailed(WorkbenchError):
    """An export that could not be written (graphviz missing, bad format)."""


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ";".join(
            " ".join(str(_plain(x)) for x in v if x is not None) if isinstance(v, tuple) else str(_plain(v))
            for v in value
        )
    return value


def plain_graph(g: nx.DiGraph) -> nx.DiGraph:
    """A copy whose attributes GraphML/GEXF can store (ISO dates, joined lists, no None)."""
    h = nx.DiGraph()
    h.graph.update({k: _plain(v) for k, v in g.graph.items() if v is not None})
    for n, a in g.nodes(data=True):
        h.add_node(n, **{k: _plain(v) for k, v in a.items() if v is not None})
    for u, v, a in g.edges(data=True):
        attrs = {k: _plain(x) for k, x in a.items() if x is not None}
        attrs["label"] = ROLE_WORDS.get(a.get("role"), EDGE_WORDS.get(a.get("kind"), ""))
        h.add_edge(u, v, **attrs)
    return h


def write_graphml(g: nx.DiGraph, path: str | Path) -> Path:
    """Write the graph as GraphML (yEd, Gephi); dates as ISO text, lists joined by ``;``.

    Parameters
    ----------
    g : networkx.DiGraph
        A plan graph.
    path : str or Path
        The file to write.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.graph import build_graph
    >>> from tasks.model import Plan, Task
    >>> g = build_graph(Plan("示例", tasks=[Task("1", "建成平台", lead_units=["市审改办"], deadline=date(2021, 8, 31)),
    ...                                  Task("2", "推广", lead_units=["市财政局"], predecessors=["1"])]))
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> nx.read_graphml(write_graphml(g, folder / "graph.graphml")).nodes["task:1"]["due"]
    '2021-08-31'
    """
    nx.write_graphml(plain_graph(g), path)
    return Path(path)


def write_gexf(g: nx.DiGraph, path: str | Path) -> Path:
    """Write the graph as GEXF (Gephi); dates as ISO text, lists joined by ``;``.

    Parameters
    ----------
    g : networkx.DiGraph
        A plan graph.
    path : str or Path
        The file to write.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.graph import build_graph
    >>> from tasks.model import Plan, Task
    >>> g = build_graph(Plan("示例", tasks=[Task("1", "建成平台", lead_units=["市审改办"], deadline=date(2021, 8, 31)),
    ...                                  Task("2", "推广", lead_units=["市财政局"], predecessors=["1"])]))
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> sorted(nx.read_gexf(write_gexf(g, folder / "graph.gexf")).nodes)
    ['task:1', 'task:2', 'unit:市审改办', 'unit:市财政局']
    """
    nx.write_gexf(plain_graph(g), path)
    return Path(path)


def within(g: nx.DiGraph, start: str, radius: int, allowed: Container[str] | None = None) -> set[str]:
    """Nodes at most ``radius`` links from ``start``, links followed either way (breadth first).

    The node set of ``nx.ego_graph(g, start, radius, undirected=True)`` (of the subgraph on
    ``allowed`` when given), without the undirected deep copy of the whole graph that
    ``ego_graph`` makes: the cost is that of the nodes reached.

    >>> g = nx.DiGraph([("a", "b"), ("c", "b"), ("c", "d")])
    >>> sorted(within(g, "a", 2)), sorted(within(g, "a", 2, allowed={"a", "b", "d"}))
    (['a', 'b', 'c'], ['a', 'b'])
    """
    seen = {start}
    frontier = [start]
    succ, pred = g._succ, g._pred  # plain dict access, no views
    for _ in range(radius):
        nxt = []
        for n in frontier:
            for nbrs in (succ[n], pred[n]):
                for m in nbrs:
                    if m not in seen and (allowed is None or m in allowed):
                        seen.add(m)
                        nxt.append(m)
        if not nxt:
            break
        frontier = nxt
    return seen


def neighbourhood(g: nx.DiGraph, task_id: str, radius: int = 1) -> nx.DiGraph:
    """One task with its predecessors, successors and units up to ``radius`` steps (either direction).

    Parameters
    ----------
    g : networkx.DiGraph
        A plan graph.
    task_id : str
        The task in the middle.
    radius : int, optional
        How many links away (default 1).

    Returns
    -------
    networkx.DiGraph
        A copy of that part of ``g``.

    Raises
    ------
    GraphError
        When the graph has no such task (``任务“…”不存在``).

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.graph import build_graph
    >>> from tasks.model import Plan, Task
    >>> g = build_graph(Plan("示例", tasks=[Task("1", "建成平台", lead_units=["市审改办"], deadline=date(2021, 8, 31)),
    ...                                  Task("2", "推广", lead_units=["市财政局"], predecessors=["1"])]))
    >>> sorted(neighbourhood(g, "1"))
    ['task:1', 'task:2', 'unit:市审改办']
    >>> sorted(neighbourhood(g, "1", radius=2))
    ['task:1', 'task:2', 'unit:市审改办', 'unit:市财政局']
    """
    n = require_task(g, task_id)
    return induced(g, within(g, n, radius))


@paused_gc
def induced(g: nx.DiGraph, keep: Collection[str]) -> nx.DiGraph:
    """A copy of the subgraph on ``keep``, nodes and links in ``g``'s order (the picture does not
    depend on how ``keep`` was gathered); attribute dicts are copied as ``subgraph(...).copy()`` does.

    >>> g = nx.DiGraph([("a", "b"), ("b", "c")], title="t")
    >>> h = induced(g, {"c", "b"})
    >>> list(h.nodes), list(h.edges), h.graph["title"]
    (['b', 'c'], [('b', 'c')], 't')
    """
    keep = keep if isinstance(keep, (set, frozenset, dict)) else set(keep)
    h = g.__class__()
    h.graph.update(g.graph)
    nodes = g._node
    order = [n for n in nodes if n in keep]  # one pass over the node dict: a few ms at 50,000 tasks
    h.add_nodes_from((n, nodes[n].copy()) for n in order)
    succ = g._succ
    h.add_edges_from((u, v, a.copy()) for u in order for v, a in succ[u].items() if v in keep)
    return h


def _quoted(*lines: str) -> str:
    """A DOT string literal: quotes and backslashes escaped, lines joined by ``\\n``.

    >>> _quoted('推进"一件事"', "2021-08-31")
    '"推进\\\\"一件事\\\\"\\\\n2021-08-31"'
    """
    esc = (str(x).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") for x in lines)
    return '"' + "\\n".join(esc) + '"'


def to_dot(g: nx.DiGraph, title: str = "") -> str:
    """The DOT text of a picture: tasks as boxes with their due date, units as ellipses.

    Predecessor links are blue, inversions red with their days; lead units' links solid,
    responsible units' dashed.

    Parameters
    ----------
    g : networkx.DiGraph
        A plan graph.
    title : str, optional
        The picture's title (default the graph's title).

    Returns
    -------
    str
        The DOT text (UTF-8, a CJK font).

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.graph import build_graph
    >>> from tasks.model import Plan, Task
    >>> g = build_graph(Plan("示例", tasks=[Task("1", "建成平台", lead_units=["市审改办"], deadline=date(2021, 8, 31)),
    ...                                  Task("2", "推广", lead_units=["市财政局"], predecessors=["1"])]))
    >>> text = to_dot(g)
    >>> text.splitlines()[0], "建成平台" in text, 'label="示例"' in text
    ('digraph G {', True, True)
    """
    import pydot

    dot = pydot.Dot(
        graph_type="digraph",
        rankdir="LR",
        charset="UTF-8",
        fontname=FONT,
        label=_quoted(title or g.graph.get("title", "")),
        labelloc="t",
    )
    dot.set_node_defaults(fontname=FONT, fontsize="10")
    dot.set_edge_defaults(fontname=FONT, fontsize="8")
    ids = {n: f"n{i}" for i, n in enumerate(g.nodes)}
    for n, a in g.nodes(data=True):
        kind = a.get("kind", "task")
        style = _STYLE["collective" if a.get("collective") else kind]
        if kind == "task":
            due = a.get("due")
            when = due.isoformat() if due else (a.get("deadline_text") or "无时限")
            label = _quoted(f"{a['task_id']}. {a.get('title', '')[:14]}", when)
        else:
            label = _quoted(a.get("label", n))
        dot.add_node(pydot.Node(ids[n], label=label, **style))
    for u, v, a in g.edges(data=True):
        k = a.get("kind")
        attrs: dict[str, Any] = {}
        if k == "precedes":
            attrs = {"color": "#1a73e8", "penwidth": "2"}
            du, dv = g.nodes[u].get("due"), g.nodes[v].get("due")
            if du and dv and dv < du:  # an inversion: the successor is due first
                attrs.update(color="#d93025", fontcolor="#d93025", label=f'"倒挂{(du - dv).days}天"')
        elif k == "unit":
            attrs = {
                "color": "#5f6368",
                "style": "solid" if a.get("role") == "lead" else "dashed",
                "label": _quoted(ROLE_WORDS.get(a.get("role"), "")),
            }
        else:
            attrs = {"color": "#9aa0a6", "style": "dotted"}
        dot.add_edge(pydot.Edge(ids[u], ids[v], **attrs))
    return dot.to_string()


def render(g: nx.DiGraph, path: str | Path, title: str = "") -> Path:
    """Draw the graph to ``path``; the format follows the suffix (svg, png, pdf, dot).

    Parameters
    ----------
    g : networkx.DiGraph
        A plan graph.
    path : str or Path
        The file to write; ``.dot``/``.gv`` writes :func:`to_dot`'s text, the others run graphviz.
    title : str, optional
        The picture's title (default the graph's title).

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ExportFailed
        When the suffix is not a supported format (``不支持的图片格式“…”,请用 svg、png、pdf 或 dot``),
        graphviz is not installed, or it fails.

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.graph import build_graph
    >>> from tasks.model import Plan, Task
    >>> g = build_graph(Plan("示例", tasks=[Task("1", "建成平台", lead_units=["市审改办"], deadline=date(2021, 8, 31)),
    ...                                  Task("2", "推广", lead_units=["市财政局"], predecessors=["1"])]))
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> render(g, folder / "graph.dot").read_text(encoding="utf-8") == to_dot(g)
    True
    >>> render(g, folder / "graph.bmp")
    Traceback (most recent call last):
    ...
    tasks.graph.export.ExportFailed: 不支持的图片格式“bmp”,请用 svg、png、pdf 或 dot
    """
    import subprocess

    p = Path(path)
    fmt = p.suffix.lower().lstrip(".")
    text = to_dot(g, title)
    if fmt in ("dot", "gv"):
        p.write_text(text, encoding="utf-8")
        return p
    if fmt not in ("svg", "png", "pdf"):
        raise ExportFailed(f"不支持的图片格式“{fmt}”,请用 svg、png、pdf 或 dot")
    try:
        out = subprocess.run(
            ["dot", f"-T{fmt}"], input=text.encode("utf-8"), capture_output=True, check=True, timeout=120
        )
    except FileNotFoundError:
        raise ExportFailed("未安装 graphviz(找不到 dot 命令),无法生成图片;GraphML/GEXF 导出不受影响") from None
    except subprocess.CalledProcessError as err:
        raise ExportFailed(f"graphviz 绘图失败:{err.stderr.decode('utf-8', 'replace')[:200]}") from None
    p.write_bytes(out.stdout)
    return p


def edge_list(g: nx.DiGraph) -> list[dict[str, Any]]:
    """One row per edge with Chinese column names, ready for Excel.

    Parameters
    ----------
    g : networkx.DiGraph
        A plan graph.

    Returns
    -------
    list of dict
        ``起点``, ``起点类型``, ``终点``, ``终点类型``, ``关系``, ``经由集体单位`` and ``来源`` per edge.

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.graph import build_graph
    >>> from tasks.model import Plan, Task
    >>> g = build_graph(Plan("示例", tasks=[Task("1", "建成平台", lead_units=["市审改办"], deadline=date(2021, 8, 31)),
    ...                                  Task("2", "推广", lead_units=["市财政局"], predecessors=["1"])]))
    >>> edge_list(g)[0]
    {'起点': '1', '起点类型': '任务', '终点': '2', '终点类型': '任务', '关系': '前置', '经由集体单位': '', '来源': '任务2'}
    """
    rows = []
    for u, v, a in g.edges(data=True):
        au, av = g.nodes[u], g.nodes[v]
        rows.append(
            {
                "起点": au.get("task_id") or au.get("label", u),
                "起点类型": KIND_WORDS.get(au.get("kind"), ""),
                "终点": av.get("task_id") or av.get("label", v),
                "终点类型": KIND_WORDS.get(av.get("kind"), ""),
                "关系": ROLE_WORDS.get(a.get("role"), EDGE_WORDS.get(a.get("kind"), "")),
                "经由集体单位": a.get("via", ""),
                "来源": a.get("origin", ""),
            }
        )
    return rows


def write_edge_list(g: nx.DiGraph, path: str | Path) -> Path:
    """The edge list as csv (UTF-8 with BOM, opens in Excel) or xlsx, by suffix.

    Parameters
    ----------
    g : networkx.DiGraph
        A plan graph.
    path : str or Path
        The file to write: ``.xlsx`` for a workbook, anything else csv.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.graph import build_graph
    >>> from tasks.model import Plan, Task
    >>> g = build_graph(Plan("示例", tasks=[Task("1", "建成平台", lead_units=["市审改办"], deadline=date(2021, 8, 31)),
    ...                                  Task("2", "推广", lead_units=["市财政局"], predecessors=["1"])]))
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_edge_list(g, folder / "edges.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    '1,任务,2,任务,前置,,任务2'
    """
    p = Path(path)
    rows = edge_list(g)
    header = ["起点", "起点类型", "终点", "终点类型", "关系", "经由集体单位", "来源"]
    if p.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "边列表"
        ws.append(header)
        for r in rows:
            ws.append([r[h] for h in header])
        ws.freeze_panes = "A2"
        save_workbook(wb, p)
    else:
        write_csv(p, rows, header)
    return p


def export_all(g: nx.DiGraph, directory: str | Path, *, focus: str | None = None, picture: bool = True) -> list[Path]:
    """Write graph.graphml, graph.gexf, edges.csv, edges.xlsx and the picture (svg/png) into ``directory``.

    With ``focus`` (a task id) the picture shows only that task's neighbourhood.

    Parameters
    ----------
    g : networkx.DiGraph
        A plan graph.
    directory : str or Path
        Where to write (created when missing).
    focus : str, optional
        A task id: the picture shows its :func:`neighbourhood` only.
    picture : bool, optional
        Also draw the picture (``.dot``, ``.svg``, ``.png``; needs graphviz).

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    GraphError
        When ``focus`` is not a task of the graph.
    ExportFailed
        When graphviz is missing or fails.

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.graph import build_graph
    >>> from tasks.model import Plan, Task
    >>> g = build_graph(Plan("示例", tasks=[Task("1", "建成平台", lead_units=["市审改办"], deadline=date(2021, 8, 31)),
    ...                                  Task("2", "推广", lead_units=["市财政局"], predecessors=["1"])]))
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> [p.name for p in export_all(g, folder, picture=False)]
    ['graph.graphml', 'graph.gexf', 'edges.csv', 'edges.xlsx']
    """
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    out = [
        write_graphml(g, d / "graph.graphml"),
        write_gexf(g, d / "graph.gexf"),
        write_edge_list(g, d / "edges.csv"),
        write_edge_list(g, d / "edges.xlsx"),
    ]
    if picture:
        pic = neighbourhood(g, focus) if focus else g
        stem = f"task-{focus.replace('/', '-')}" if focus else "graph"
        out.append(render(pic, d / f"{stem}.dot"))
        out.append(render(pic, d / f"{stem}.svg"))
        out.append(render(pic, d / f"{stem}.png"))
    return out
