"""The readable first view of the 依赖图 page (tasks.graph.readable draws it): critical path plus one
task's neighbourhood, coloured by status; the whole graph is the page's other view.  Also the page's
task picker: a plain select box for a small plan, a search box narrowing it for a large one (a
select box of 50,000 tasks is slow to send and useless to scroll)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

#: a task picker lists at most this many tasks at once; a larger plan gets a search box
PICK_LIMIT = 200


def task_picker(
    where,
    label: str,
    ids: Sequence[str],
    titles: dict[str, str],
    key: str,
    *,
    default: str | None = None,
    format_func: Callable[[str], str] = str,
    first: Sequence[str] = (),
    help: str | None = None,
) -> str:
    """A select box of ``first`` + ``ids``; above :data:`PICK_LIMIT` ids a search box (``<key>_q``)
    narrows the ids to those whose number or title contains the words typed (the exact number
    first), and the one picked or ``default`` stays listed."""
    if len(ids) <= PICK_LIMIT:
        options = [*first, *ids]
        index = options.index(default) if default in options else 0
        return where.selectbox(label, options, index=index, key=key, format_func=format_func, help=help)
    q = where.text_input(
        f"查找{label}",
        key=f"{key}_q",
        placeholder="输入任务编号或名称中的字词",
        help=f"计划有 {len(ids)} 项任务,下拉框只列出匹配的前 {PICK_LIMIT} 项",
    ).strip()
    if q:
        found = [i for i in ids if q in i or q in titles.get(i, "")]
        shown = ([q] if q in titles and q in found else []) + [i for i in found if i != q][: PICK_LIMIT - 1]
    else:
        found, shown = list(ids), list(ids[:PICK_LIMIT])
    current = st.session_state.get(key)
    valid = set(first)
    keep = [
        x
        for x in dict.fromkeys((current, default))
        if x is not None and (x in valid or x in titles) and x not in shown and x not in first
    ]
    options = [*first, *keep, *shown]
    pick = current if current in options else default if default in options else options[0]
    where.caption(
        f"匹配 {len(found)} 项,列出前 {len(shown)} 项"
        if q
        else f"共 {len(ids)} 项任务,列出前 {len(shown)} 项;可在上方查找"
    )
    return where.selectbox(label, options, index=options.index(pick), key=key, format_func=format_func, help=help)


def readable_view(
    g, plan_key: str, ids: list[str], titles: dict[str, str], path: list[str], statuses: dict[str, str]
) -> None:
    from tasks.graph.readable import STATUS_FILL, STATUS_WORDS, readable_dot, readable_nodes

    c1, c2 = st.columns([3, 1])
    start = path[0] if path else (ids[0] if ids else "")
    focus = task_picker(
        c1,
        "所选任务(显示其前后任务)",
        ids,
        titles,
        "graph_readable_focus",
        default=start,
        format_func=lambda i: f"{i}. {titles.get(i, '')[:30]}",
    )
    radius = c2.number_input("前后层数", 1, 3, 1, key="graph_readable_radius")
    nodes = readable_nodes(g, path, focus, int(radius))
    if not nodes:
        st.info("该计划还没有任务。")
        return
    st.graphviz_chart(readable_dot(g, nodes, statuses, path, focus=focus), width="stretch")
    legend = " ".join(
        f"<span style='background:{STATUS_FILL[k]};padding:1px 6px;border-radius:3px'>{w}</span>"
        for k, w in STATUS_WORDS.items()
    )
    st.markdown(
        f"{legend}  红色粗线:关键路径;粗框:所选任务。切换到“整个计划”可看全部任务和单位。", unsafe_allow_html=True
    )
