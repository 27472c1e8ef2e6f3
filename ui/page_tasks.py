"""任务 page: filter the task table, see a timeline and one task's history, edit predecessors."""

from __future__ import annotations

from typing import Any

import streamlit as st

from tasks.accounts import allowed
from ui.auth import acting_account, page_guard
from ui.common import (
    TABLE_PAGE_ROWS,
    TASK_COLUMN_CONFIG,
    as_of_control,
    filter_tasks,
    get_snapshot,
    get_store,
    guard,
    page_header,
    page_of,
    plan_keys,
    store_plans,
    table_for_display,
    task_table,
)
from ui.task_views import history_table, predecessor_editor, timeline_chart

page_guard(__file__)  # the page checks its role itself (also when run directly)
page_header("任务", "按计划、板块、单位、状态和时限筛选任务;查看时间轴、任务详情,编辑前置任务。")

as_of = as_of_control()
with guard("读取任务"):
    store = get_store()
    keys = plan_keys(store)  # the plans themselves only for the views that need their tasks (not the table)
if not locals().get("keys"):
    st.info("库中还没有计划。请到“导入”页上传任务分解表。")
    st.stop()

with guard("显示任务表"):
    if [k for k in st.session_state.get("tasks_plans", []) if k not in keys]:
        del st.session_state["tasks_plans"]  # a plan was removed meanwhile
    chosen = st.multiselect(
        "计划", keys, default=None if "tasks_plans" in st.session_state else keys, key="tasks_plans"
    )
    table = task_table(store, chosen, as_of)  # cached until the data changes: do not mutate
    df, all_units, sections, statuses = table.frame, table.units, table.sections, table.statuses
    dated = df["完成时限"].dropna()

    c1, c2, c3, c4 = st.columns([3, 1.3, 2, 2])
    units = c1.multiselect("单位", all_units, key="tasks_units", placeholder="全部单位")
    role = c2.radio("角色", ["全部", "牵头", "责任"], horizontal=True, key="tasks_role")
    section_sel = c3.multiselect("板块", sections, key="tasks_sections", placeholder="全部板块")
    status_sel = c4.multiselect("状态", statuses, key="tasks_status", placeholder="全部状态")

    c5, c6, c7 = st.columns([2, 1, 3])
    lo = dated.min().date() if len(dated) else None
    hi = dated.max().date() if len(dated) else None
    span: list[Any] = [lo, hi] if lo else []  # a range widget, empty when no task has a date
    rng = c5.date_input("完成时限范围", value=span, key="tasks_range", format="YYYY-MM-DD")
    include_undated = c6.checkbox("含长期/无期限", value=True, key="tasks_undated")
    text = c7.text_input("全文搜索", key="tasks_text", placeholder="任务名称、内容、单位…")

    d_from = rng[0] if isinstance(rng, (list, tuple)) and len(rng) >= 1 else None
    d_to = rng[1] if isinstance(rng, (list, tuple)) and len(rng) == 2 else None
    shown = filter_tasks(
        df,
        sections=section_sel,
        units=units,
        role=role,
        statuses=status_sel,
        deadline_from=d_from,
        deadline_to=d_to,
        include_undated=include_undated,
        text=text,
    )
    st.caption(f"共 {len(df)} 项任务,筛选后 {len(shown)} 项")

may_edit = allowed(acting_account(), "set_predecessors")  # the 前置任务 editor is offered to the office only
if not may_edit and st.session_state.get("tasks_view") == "前置任务":
    del st.session_state["tasks_view"]
view = (
    st.segmented_control(
        "视图",
        ["任务表", "时间轴", "任务详情"] + (["前置任务"] if may_edit else []),
        default=None if "tasks_view" in st.session_state else "任务表",
        key="tasks_view",
        label_visibility="collapsed",
    )
    or "任务表"
)

if view == "任务表":
    with guard("显示任务表"):
        page_rows = page_of(shown, TABLE_PAGE_ROWS, key="tasks_page")  # 50,000 rows at once: slow to send and to read
        st.dataframe(
            table_for_display(page_rows, len(chosen)),
            hide_index=True,
            width="stretch",
            column_config=TASK_COLUMN_CONFIG,
            key="tasks_table",
        )
        from ui.exports import task_list_button

        task_list_button(shown, get_snapshot(store, as_of), as_of)  # the export: every filtered row
        warn = shown[shown["提示"] != ""]
        if len(warn):
            with st.expander(f"需要核对的任务({len(warn)} 项)"):
                if len(warn) > TABLE_PAGE_ROWS:
                    st.caption(f"只显示前 {TABLE_PAGE_ROWS} 项;可用上方筛选缩小范围。")
                st.dataframe(
                    warn[["计划", "编号", "任务", "时限原文", "提示", "出处"]].head(TABLE_PAGE_ROWS),
                    hide_index=True,
                    width="stretch",
                )
elif view == "时间轴":
    with guard("绘制时间轴"):
        timeline_chart(store, store_plans(store), shown)
elif view == "任务详情":
    with guard("显示任务详情"):
        history_table(store, store_plans(store), shown)
else:
    with guard("编辑前置任务"):
        if len(chosen) != 1:
            st.info("编辑前置任务时请只选择一个计划。")
        else:
            predecessor_editor(store, chosen[0], store_plans(store)[chosen[0]], shown)
