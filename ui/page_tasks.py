"""任务 page: the task table of the plans, with filters by plan, section, unit, role and deadline."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.common import TASK_COLUMN_CONFIG, bundled_plans, filter_tasks, guard, tasks_frame, visible

st.title("任务")

loads = bundled_plans()
for load in loads:
    if load.error:
        st.warning(f"示例计划未能读取:{load.error}")
plans = {(l.plan.title or l.name): l.plan for l in loads if l.plan}
if not plans:
    st.info("还没有可显示的计划。请到“导入”页上传任务分解表。")
    st.stop()

with guard("显示任务表"):
    chosen = st.multiselect("计划", list(plans), default=list(plans), key="tasks_plans")
    frames = [tasks_frame(plans[t].tasks, t) for t in chosen]
    df = pd.concat(frames, ignore_index=True) if frames else tasks_frame([], "")

    all_units = sorted({u for col in ("_lead", "_resp") for v in df[col] for u in v})
    sections = sorted({s for s in df["板块"] if s})
    dated = df["完成时限"].dropna()

    c1, c2, c3 = st.columns([3, 1, 2])
    units = c1.multiselect("单位", all_units, key="tasks_units", placeholder="全部单位")
    role = c2.radio("角色", ["全部", "牵头", "责任"], horizontal=True, key="tasks_role")
    section_sel = c3.multiselect("板块", sections, key="tasks_sections", placeholder="全部板块")

    c4, c5, c6 = st.columns([2, 1, 3])
    lo = dated.min().date() if len(dated) else None
    hi = dated.max().date() if len(dated) else None
    rng = c4.date_input("完成时限范围", value=(lo, hi) if lo else (), key="tasks_range", format="YYYY-MM-DD")
    include_undated = c5.checkbox("含长期/无期限", value=True, key="tasks_undated")
    text = c6.text_input("全文搜索", key="tasks_text", placeholder="任务名称、内容、单位…")

    d_from = rng[0] if isinstance(rng, (list, tuple)) and len(rng) >= 1 else None
    d_to = rng[1] if isinstance(rng, (list, tuple)) and len(rng) == 2 else None
    shown = filter_tasks(df, sections=section_sel, units=units, role=role, deadline_from=d_from,
                         deadline_to=d_to, include_undated=include_undated, text=text)

    st.caption(f"共 {len(df)} 项任务,筛选后 {len(shown)} 项")
    st.dataframe(visible(shown), hide_index=True, width="stretch", column_config=TASK_COLUMN_CONFIG,
                 key="tasks_table")
    warn = shown[shown["提示"] != ""]
    if len(warn):
        with st.expander(f"需要核对的任务({len(warn)} 项)"):
            st.dataframe(warn[["计划", "编号", "任务", "时限原文", "提示", "出处"]], hide_index=True, width="stretch")
