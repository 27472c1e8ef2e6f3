"""The 方案比较 result on the 窗口仿真 page: one sentence, a weekday chart, a readable table (sim.compare_words)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

#: what the second scenario of each comparison changes (the first is the current hall)
CHANGES = {
    "动态调整:开 vs 关": "关闭动态调整",
    "周末轮班:开 vs 关": "关闭周末轮班",
    "综合窗口 vs 专窗": "合并为综合窗口",
}


def comparison_view(title: str, table: pd.DataFrame, diff: pd.DataFrame) -> None:
    from sim.compare_words import readable_table, verdict, weekday_frame
    from sim.scenario import WEEKDAYS_CN

    st.markdown(f"**{title}**")
    if "metric" in diff.columns and len(diff):
        st.info(verdict(diff, CHANGES.get(title, "方案二与方案一相比")), icon=":material/insights:")
    days = weekday_frame(table) if "metric" in table.columns else pd.DataFrame()
    if not days.empty:
        chart = (
            alt.Chart(days)
            .mark_bar()
            .encode(
                x=alt.X(
                    "星期:N",
                    sort=WEEKDAYS_CN,
                    title=None,
                    axis=alt.Axis(labelAngle=0, labelOverlap=False),
                    scale=alt.Scale(domain=WEEKDAYS_CN),
                ),
                xOffset=alt.XOffset("方案:N"),
                y=alt.Y("平均等候(分钟):Q", title="平均等候(分钟)"),
                color=alt.Color("方案:N", legend=alt.Legend(title=None, orient="top", labelLimit=360)),
                tooltip=["星期", "方案", alt.Tooltip("平均等候(分钟):Q", format=".1f")],
            )
        )
        st.altair_chart(chart.properties(height=260), width="stretch")
    st.dataframe(readable_table(table), hide_index=True, width="stretch", key="hall_cmp_table")
