"""总览 page: KPI cards, reporting compliance, deadlines ahead, cards and units to remind, as of a date."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.auth import page_guard
from ui.common import (
    STATUS_COLORS,
    as_of_control,
    get_snapshot,
    get_store,
    go_to_task,
    go_to_unit,
    guard,
    page_header,
    selected_row,
    short_plan_column,
    table_download,
)


def task_table(df: pd.DataFrame, key: str) -> None:
    """A selectable task table (short plan names) with a button opening the picked task's detail."""
    ev = st.dataframe(short_plan_column(df), hide_index=True, width="stretch",
                      on_select="rerun", selection_mode="single-row", key=key)
    i = selected_row(ev)
    if i is not None:
        r = df.iloc[i]
        if st.button(f"查看任务 {r['编号']} 的详情", key=f"{key}_go"):
            go_to_task(r["计划"], r["编号"])


page_guard(__file__)   # the page checks its role itself (also when run directly)
page_header("总览", "任务推进总体情况;左侧“截至日期”可回看任意一天的状态。")
as_of = as_of_control()

with guard("计算总览"):
    from tasks.progress import reminders

    store = get_store()
    snap = get_snapshot(store, as_of)
    counts = snap.counts()
    total = len(snap.statuses)
    period = snap.latest_due_period()
    compliance = snap.compliance(period)

    cols = st.columns(7)
    cols[0].metric("任务总数", total, border=True)
    for col, (key, label) in zip(cols[1:], [("done", "已办结"), ("on_track", "正常推进"), ("at_risk", "有风险"),
                                            ("overdue", "逾期"), ("ongoing", "长期推进")]):
        col.metric(label, counts.get(key, 0), border=True)
    cols[6].metric("报送率", f"{compliance:.0%}" if compliance is not None else "—", border=True,
                   help=f"本期(报告期 {period or '—'})应报任务中已报送的比例")
    st.caption(f"截至 {as_of.isoformat()};未启动 {counts.get('not_started', 0)} 项;"
               + (f"报送率按报告期 {period} 计。" if period else "尚无已到报送期限的报告期,报送率暂不计算。"))

    left, right = st.columns(2)
    with left:
        st.subheader("30 天内到期")
        soon = snap.due_within(30)
        df_soon = pd.DataFrame([{"计划": s.plan, "编号": s.id, "任务": s.title, "完成时限": s.deadline,
                                 "牵头单位": "、".join(s.lead_units), "状态": s.status_label,
                                 "进度(%)": s.percent} for s in soon],
                               columns=["计划", "编号", "任务", "完成时限", "牵头单位", "状态", "进度(%)"])
        if df_soon.empty:
            st.info("未来 30 天内没有到期的未完成任务。")
        else:
            task_table(df_soon, "ov_soon")
    with right:
        st.subheader("红黄牌预警")
        carded = [s for s in snap.statuses if s.card]
        carded.sort(key=lambda s: (s.card_name, s.plan, s.id))
        df_cards = pd.DataFrame([{"计划": s.plan, "编号": s.id, "任务": s.title, "预警": s.card_name,
                                  "原因": s.card_reason, "牵头单位": "、".join(s.lead_units)} for s in carded],
                                columns=["计划", "编号", "任务", "预警", "原因", "牵头单位"])
        if df_cards.empty:
            st.success("当前没有红黄牌。")
        else:
            task_table(df_cards, "ov_cards")

    st.subheader("待催办单位")
    rem = reminders(snap)
    if not rem:
        st.info("没有需要催办的单位(或尚无已到报送期限的报告期)。")
    else:
        df_rem = pd.DataFrame([{"单位": r.unit, "报告期": r.period, "报送期限": r.due,
                                "是否超期": "已超期" if r.overdue else "未超期", "欠报任务数": len(r.tasks),
                                "涉及任务": "、".join(t["id"] for t in r.tasks)} for r in rem])
        ev = st.dataframe(df_rem, hide_index=True, width="stretch", on_select="rerun",
                          selection_mode="single-row", key="ov_rem")
        i = selected_row(ev)
        if i is not None and st.button(f"查看 {df_rem.iloc[i]['单位']} 的考评", key="ov_rem_go"):
            go_to_unit(df_rem.iloc[i]["单位"])

    st.subheader("全部任务状态")
    df_all = pd.DataFrame([{"计划": s.plan, "编号": s.id, "任务": s.title, "状态": s.status_label,
                            "完成时限": s.deadline, "进度(%)": s.percent, "预警": s.card_name,
                            "最近填报": s.last_report_date} for s in snap.statuses])
    if not df_all.empty:
        import altair as alt

        agg = df_all.groupby("状态").size().reset_index(name="任务数")
        st.altair_chart(alt.Chart(agg).mark_bar().encode(
            x=alt.X("任务数:Q"), y=alt.Y("状态:N", sort="-x", title=None),
            color=alt.Color("状态:N", scale=alt.Scale(domain=list(STATUS_COLORS)[:-1],
                                                       range=list(STATUS_COLORS.values())[:-1]), legend=None)
        ).properties(height=180), width="stretch")
        st.dataframe(short_plan_column(df_all), hide_index=True, width="stretch", key="ov_all",
                     column_config={"完成时限": st.column_config.DateColumn(format="YYYY-MM-DD")})
        table_download(short_plan_column(df_all), "全部任务状态.csv", "ov_all_csv")
