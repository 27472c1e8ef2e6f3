"""The readable first view of the 依赖图 page (tasks.graph.readable draws it): critical path plus one
task's neighbourhood, coloured by status; the whole graph is the page's other view."""

from __future__ import annotations

import streamlit as st


def readable_view(g, plan_key: str, ids: list[str], titles: dict[str, str], path: list[str], snap) -> None:
    from tasks.graph.readable import STATUS_FILL, STATUS_WORDS, readable_dot, readable_nodes

    statuses = {s.id: s.status for s in snap.statuses if s.plan == plan_key}
    c1, c2 = st.columns([3, 1])
    start = path[0] if path else (ids[0] if ids else "")
    focus = c1.selectbox(
        "所选任务(显示其前后任务)",
        ids,
        index=ids.index(start) if start in ids else 0,
        key="graph_readable_focus",
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
