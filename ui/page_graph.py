"""依赖图 page: the network (or one task's neighbourhood), critical path, inversions, slip impact,
unit load by month, exports."""

from __future__ import annotations

import re
import tempfile
from functools import partial
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from core.safe_export import safe_filename
from ui.auth import page_guard
from ui.common import (
    XLSX_MIME,
    current_as_of,
    get_snapshot,
    get_store,
    guard,
    md,
    page_header,
    plan_graph,
    plan_picker,
    rules_stamp,
    store_plans,
    unit_scope,
)
from ui.graph_readable import task_picker
from ui.tables import xlsx_download

page_guard(__file__)  # the page checks its role itself (also when run directly)
page_header("依赖图", "任务、单位之间的关系网络;关键路径、时限倒挂、延误影响和单位负荷。")

BIG = 120  # above this many tasks the picture starts on one task's neighbourhood


def highlight(dot_text: str, path: list[str]) -> str:
    """Colour the critical-path task boxes and links of a DOT picture (presentation only).

    Works on the lines :func:`tasks.graph.to_dot` writes (``n3 [label="12. …"];``,
    ``n3 -> n5 [...];``); a repeated attribute in DOT takes the last value.
    """
    if not path:
        return dot_text
    on_path, pairs = set(path), set(zip(path, path[1:]))
    node_re = re.compile(r'^(n\d+) \[label="([^".]+)\. ')
    edge_re = re.compile(r"^(n\d+) -> (n\d+) \[")
    red = ', color="#d93025", penwidth=3];'
    ids: dict[str, str] = {}
    lines = dot_text.splitlines()
    for i, line in enumerate(lines):
        m = node_re.match(line)
        if m and m.group(2) in on_path and line.endswith("];"):
            ids[m.group(1)] = m.group(2)
            lines[i] = line[:-2] + red
    for i, line in enumerate(lines):
        m = edge_re.match(line)
        if m and (ids.get(m.group(1)), ids.get(m.group(2))) in pairs and line.endswith("];"):
            lines[i] = line[:-2] + red
    return "\n".join(lines)


@st.cache_data(show_spinner="正在生成导出文件…", max_entries=16)
def export_bytes(_g, version_key: tuple, kind: str) -> bytes:
    from tasks.graph import render, write_edge_list, write_gexf, write_graphml

    with tempfile.TemporaryDirectory() as d:
        path = (
            Path(d)
            / {"graphml": "g.graphml", "gexf": "g.gexf", "svg": "g.svg", "png": "g.png", "xlsx": "edges.xlsx"}[kind]
        )
        {"graphml": write_graphml, "gexf": write_gexf, "xlsx": write_edge_list}.get(kind, render)(_g, path)
        return path.read_bytes()


@st.cache_resource(show_spinner="正在分析依赖图…", max_entries=4)
def analysed(_g, version_key: tuple) -> tuple:
    """The dated DAG (computed once, kept for slips) and :func:`tasks.graph.analyse` of the plan's
    graph, per plan data version; shared between sessions, not to be mutated (no copy per run)."""
    from tasks.graph import analyse, dated_dag

    dag = dated_dag(_g)
    return dag, analyse(_g, dag)


SHOWN = 1000  # inversion rows shown (a province's plan can have tens of thousands)


@st.cache_resource(show_spinner=False, max_entries=4)
def inversion_table(_info: dict, version_key: tuple) -> pd.DataFrame:
    """The largest :data:`SHOWN` inversions as a table, built once per data version (shared, read-only)."""
    return pd.DataFrame(
        [
            {
                "任务": v["task"],
                "完成时限": v["task_due"],
                "前置任务": v["predecessor"],
                "前置任务时限": v["predecessor_due"],
                "早于前置(天)": v["days"],
            }
            for v in _info["inversions"][:SHOWN]
        ]
    )


@st.cache_resource(show_spinner=False, max_entries=8)  # a slip of an early task can list most of the plan
def slipped(_g, version_key: tuple, task_id: str, days: int) -> dict:
    from tasks.graph import slip_impact

    return slip_impact(_g, task_id, days, analysed(_g, version_key)[0])


@st.cache_resource(show_spinner=False, max_entries=32)
def around(_g, version_key: tuple, task_id: str, radius: int, units: bool):
    """One task's neighbourhood (units dropped unless asked), cached; not to be mutated."""
    from tasks.graph import neighbourhood

    sub = neighbourhood(_g, task_id, radius)
    if not units:
        sub = sub.subgraph([n for n, k in sub.nodes(data="kind") if k != "unit"]).copy()
    return sub


@st.cache_resource(show_spinner=False, max_entries=8)
def plan_statuses(version_key: tuple, status_key: tuple, _snap) -> dict[str, str]:
    """Task id → status of the plan in the status snapshot ``_snap`` (identified by ``status_key``:
    as-of date, store version, rules file), for the readable view's colours and the open/done load;
    one pass over the snapshot per data version, shared, not to be mutated."""
    if _snap is None:
        return {}
    return {s.id: s.status for s in _snap.statuses if s.plan == version_key[0]}


@st.cache_resource(show_spinner=False, max_entries=8)
def loads(_g, version_key: tuple, status_key: tuple, _statuses: dict) -> tuple[list, list, dict]:
    """Unit load with open/done from :func:`plan_statuses` (identified by ``status_key``; hashing
    50,000 done ids on every run cost more than the load)."""
    from tasks.graph import load_table, unit_load

    rows = unit_load(_g, {t for t, s in _statuses.items() if s == "done"})
    months, table = load_table(_g, rows)
    return rows, months, table


@st.cache_resource(show_spinner=False, max_entries=4)
def task_lists(_plan, plan_key: tuple, _excluded: list) -> tuple[list[str], dict[str, str], list[str]]:
    """The plan's task ids, id → title, and the ids of the dated tasks (not in ``_excluded``), once
    per plan data version and unit scope (``plan_key``; shared, not to be mutated)."""
    ids = [t.id for t in _plan.tasks]
    excluded = set(_excluded)
    return ids, {t.id: t.title for t in _plan.tasks}, [i for i in ids if i not in excluded]


with guard("构建依赖图"):
    from tasks.graph import to_dot

    store = get_store()
    plan_key = plan_picker(store, key="graph_plan")
    if not plan_key:
        st.stop()
    plan = store_plans(store)[plan_key]
    g = plan_graph(store, plan_key)
    vkey = (plan_key, store.data_version(plan_key))
    status_key = (current_as_of(), store.data_version(), rules_stamp())

    def statuses() -> dict[str, str]:
        """The plan's statuses (the snapshot is read only when a tab needs them; cached)."""
        try:
            snap = get_snapshot(store)
        except ImportError:
            snap = None
        return plan_statuses(vkey, status_key, snap)

    info = analysed(g, vkey)[1]
    ids, titles, dated = task_lists(plan, (*vkey, unit_scope()), info["excluded"])  # a unit sees its own tasks
    counts = info["counts"]
    m = st.columns(5)
    m[0].metric("任务", counts["tasks"], border=True)
    m[1].metric("单位", counts["units"], border=True)
    m[2].metric("前置关系", counts["predecessor_links"], border=True)
    m[3].metric("时限倒挂", len(info["inversions"]), border=True)
    m[4].metric("关键路径长度", info["critical_path"]["length"], border=True)

tab_net, tab_slip, tab_load, tab_exp = st.tabs(["关系网络", "延误影响", "单位负荷", "导出"])

with tab_net, guard("绘制关系网络"):
    view = st.segmented_control(
        "视图",
        ["易读视图", "整个计划"],
        default="易读视图",
        key="graph_view",
        help="易读视图:关键路径和所选任务的前后任务,按状态着色;整个计划:全部任务和单位",
    )
    path = info["critical_path"]["tasks"]
    if (view or "易读视图") == "易读视图":
        from ui.graph_readable import readable_view

        readable_view(g, plan_key, ids, titles, path, statuses())
    else:
        c1, c2, c3 = st.columns([2, 1, 1])
        whole = "(整个计划)"
        default = whole if len(ids) <= BIG else ids[0]
        focus = task_picker(
            c1,
            "范围",
            ids,
            titles,
            "graph_focus",
            default=default,
            first=[whole],
            format_func=lambda i: i if i == whole else f"任务 {i} 的邻域:{titles.get(i, '')[:24]}",
        )
        radius = c2.number_input("邻域层数", 1, 4, 1, key="graph_radius", disabled=focus == whole)
        show_units = c3.checkbox(
            "显示单位",
            value=len(ids) <= 12,
            key="graph_units",
            help="整个计划的单位较多时,建议只在查看某项任务的邻域时显示单位",
        )
        if focus == whole:
            sub = g if show_units else g.subgraph([n for n, k in g.nodes(data="kind") if k != "unit"])
        else:
            sub = around(g, vkey, focus, int(radius), show_units)
        if focus == whole and len(ids) > BIG:
            st.warning(f"计划有 {len(ids)} 项任务,整图较大,绘制可能较慢;建议选择某项任务的邻域。")
        path = info["critical_path"]["tasks"]
        st.graphviz_chart(highlight(to_dot(sub, plan_key), path), width="stretch")
        st.caption("蓝色实线:前置关系;红色粗线/框:关键路径;红色“倒挂”:后续任务的完成时限早于前置任务。")
    left, right = st.columns(2)
    with left:
        st.markdown("**关键路径**(前后衔接最长、最紧的一串任务)")
        if path:
            cp = pd.DataFrame(
                [
                    {
                        "序": i + 1,
                        "编号": s["task"],
                        "任务": titles.get(s["task"], ""),
                        "完成时限": s["due"],
                        "距前一步(天)": s["days_after_previous"],
                    }
                    for i, s in enumerate(info["critical_path"]["steps"])
                ]
            )
            st.dataframe(cp, hide_index=True, width="stretch", key="graph_cp")
            xlsx_download(cp, f"{plan_key[:40]}关键路径", "graph_cp_xlsx")
        else:
            from tasks.accounts import allowed
            from ui.auth import acting_account

            hint = "可在“任务”页编辑前置任务。" if allowed(acting_account(), "set_predecessors") else ""
            st.info("还没有前置关系,无法确定关键路径。" + hint)
    with right:
        st.markdown("**时限倒挂**")
        if info["inversions"]:
            st.dataframe(inversion_table(info, vkey), hide_index=True, width="stretch", key="graph_inv")
            if len(info["inversions"]) > SHOWN:
                st.caption(f"共 {len(info['inversions'])} 处时限倒挂,表中列出相差天数最多的 {SHOWN} 处。")
        else:
            st.success("没有时限倒挂。")

with tab_slip, guard("计算延误影响"):
    if not dated:
        st.info("没有带完成日期的任务。")
    else:
        c1, c2 = st.columns([3, 1])
        tid = task_picker(
            c1, "延误的任务", dated, titles, "graph_slip_task", format_func=lambda i: f"{i} {titles.get(i, '')[:30]}"
        )
        days = c2.number_input("延误天数", 0, 3650, 30, step=5, key="graph_slip_days")
        res = slipped(g, vkey, tid, int(days))
        st.markdown(f"任务 {md(tid)} 原定 {res['due']} 完成,延误 {days} 天后为 {res['finish']}。")
        if res["affected_tasks"]:
            st.warning(f"将使 {len(res['affected_tasks'])} 项后续任务无法按期完成:", icon=":material/warning:")
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "编号": d["task"],
                            "任务": d["title"],
                            "完成时限": d["due"],
                            "预计完成": d["finish"],
                            "超期(天)": d["days_late"],
                            "牵头单位": "、".join(d["lead_units"]),
                            "责任单位": "、".join(d["responsible_units"]),
                        }
                        for d in res["details"]
                    ]
                ),
                hide_index=True,
                width="stretch",
                key="graph_slip_tbl",
            )
            st.markdown("**受影响单位**")
            st.dataframe(
                pd.DataFrame(
                    [
                        {"单位": u["unit"], "角色": "、".join(u["roles"]), "涉及任务": "、".join(u["tasks"])}
                        for u in res["affected_units"]
                    ]
                ),
                hide_index=True,
                width="stretch",
                key="graph_slip_units",
            )
            xlsx_download(
                {
                    "受影响任务": pd.DataFrame(
                        [
                            {
                                "编号": d["task"],
                                "任务": d["title"],
                                "完成时限": d["due"],
                                "预计完成": d["finish"],
                                "超期(天)": d["days_late"],
                                "牵头单位": "、".join(d["lead_units"]),
                                "责任单位": "、".join(d["responsible_units"]),
                            }
                            for d in res["details"]
                        ]
                    )
                },
                f"任务{tid}延误{days}天的影响",
                "graph_slip_xlsx",
            )
        else:
            st.success("没有后续任务会因此超期。")
        if res["absorbed_by"]:
            st.caption(f"时限宽裕、可吸收此次延误的后续任务:{md('、'.join(res['absorbed_by']))}")

with tab_load, guard("计算单位负荷"):
    rows, months, table = loads(g, vkey, status_key, statuses())
    include_collective = st.checkbox("含集合单位(如“市直各相关单位”)", value=False, key="graph_coll")
    # a slider needs a range: with 5 units or fewer every unit is shown
    top = st.slider("显示单位数", 5, len(rows), min(25, len(rows)), key="graph_top") if len(rows) > 5 else len(rows)
    keep = [r for r in rows if include_collective or not r["collective"]][:top]
    heat = pd.DataFrame(
        [{"单位": r["unit"], "月份": mth, "任务数": table[r["unit"]].get(mth, 0)} for r in keep for mth in months]
    )
    if heat.empty:
        st.info("没有单位负荷数据。")
    else:
        st.altair_chart(
            alt.Chart(heat)
            .mark_rect()
            .encode(
                x=alt.X("月份:O", sort=months, title="完成时限所在月份"),
                y=alt.Y(
                    "单位:N",
                    sort=[r["unit"] for r in keep],
                    title=None,
                    axis=alt.Axis(labelOverlap=False, labelLimit=220),
                ),
                color=alt.Color("任务数:Q", scale=alt.Scale(scheme="orangered")),
                tooltip=["单位", "月份", "任务数"],
            )
            .properties(height=max(200, 22 * len(keep))),
            width="stretch",
        )
        load_df = pd.DataFrame(
            [
                {
                    "单位": r["unit"],
                    "牵头": r["led"],
                    "参与": r["joined"],
                    "未完成": r["open"],
                    "长期任务": r["ongoing"],
                    **{m: table[r["unit"]].get(m, 0) for m in months},
                }
                for r in keep
            ]
        )
        st.dataframe(load_df, hide_index=True, width="stretch", key="graph_load_tbl")
        xlsx_download(load_df, f"{plan_key[:40]}单位负荷", "graph_load_xlsx", title="单位负荷(按完成时限所在月份)")

with tab_exp, guard("导出依赖图"):
    st.caption("GraphML/GEXF 可用 Gephi、yEd 打开;边列表可用 Excel 打开;图片为 SVG。")
    c = st.columns(4)
    for col, (kind, label, mime) in zip(
        c,
        [
            ("graphml", "GraphML", "application/xml"),
            ("gexf", "GEXF", "application/xml"),
            ("xlsx", "边列表(xlsx)", XLSX_MIME),
            ("svg", "图片(SVG)", "image/svg+xml"),
        ],
    ):
        col.download_button(
            label,
            data=partial(export_bytes, g, vkey, kind),
            file_name=safe_filename(f"{plan_key[:40]}.{kind}"),
            mime=mime,
            key=f"graph_dl_{kind}",
            icon=":material/download:",
            on_click="ignore",
        )
