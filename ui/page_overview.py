"""总览 page: the decision board (tasks.board) — what is late, who is lagging, what falls due, how it changes.

The office and leaders see the same board; leaders read only.  A task's detail opens here, read-only,
for every role; links to other pages appear only for roles that may open them.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.auth import page_guard
from ui.board_views import (
    TASKS_PAGE,
    UNITS_PAGE,
    lagging_table,
    may_open,
    pick_task,
    task_detail,
    trend_chart,
    unit_printouts,
)
from ui.common import (
    STATUS_COLORS,
    as_of_control,
    get_board,
    get_reminders,
    get_snapshot,
    get_store,
    go_to_task,
    go_to_unit,
    guard,
    md,
    page_header,
    selected_row,
    snapshot_units,
    store_plans,
)

page_guard(__file__)  # the page checks its role itself (also when run directly)
page_header("总览", "任务推进总体情况:哪些任务逾期、哪些单位落后、近期到期什么;左侧“截至日期”可回看任意一天。")
as_of = as_of_control()


def detail_below(row, key: str) -> None:
    """The picked task's read-only detail, and (for roles that may open it) a link to the 任务 page."""
    if row is None:
        return
    task_detail(store, snap, store_plans(store), row)  # the plans (for the task's text) only once a task is picked
    if may_open(TASKS_PAGE) and st.button(f"在任务页查看任务 {row.id} 的详情", key=f"{key}_go"):
        go_to_task(row.plan, row.id)


with guard("计算总览"):
    store = get_store()
    snap = get_snapshot(store, as_of)
    board = get_board(store, as_of)
    shown = len(board.plans)

    st.info(board.headline, icon=":material/campaign:")
    counts = board.counts
    cols = st.columns(7)
    cols[0].metric("任务总数", board.total, border=True)
    for col, (key, label) in zip(
        cols[1:],
        [
            ("done", "已办结"),
            ("on_track", "正常推进"),
            ("at_risk", "有风险"),
            ("overdue", "逾期"),
            ("ongoing", "长期推进"),
        ],
    ):
        col.metric(label, counts.get(key, 0), border=True)
    cols[6].metric(
        "报送率",
        f"{board.compliance:.0%}" if board.compliance is not None else "—",
        border=True,
        help=f"报告期 {board.period} 应报任务中已报送的比例" if board.period else "尚无已到报送期限的报告期",
    )

    st.subheader(f"逾期与红牌任务({len(board.late)} 项,逾期最久的在前)")
    if board.late:
        detail_below(pick_task(board.late, shown, "ov_late", title="逾期与红牌任务"), "ov_late")
    else:
        st.success("没有逾期或亮红牌的任务。")

    st.subheader("落后单位")
    st.caption("按排名规则取得分最低的五个单位(只列扣了分或有逾期、风险任务的单位)。" + md(board.rule_text))
    if board.lagging:
        unit = lagging_table(board.lagging, "ov_lagging")
        if unit and may_open(UNITS_PAGE) and st.button(f"查看 {unit} 的考评", key="ov_lagging_go"):
            go_to_unit(unit)
    else:
        st.success("各单位均未扣分,没有落后单位。")

    st.subheader(f"30 天内到期({len(board.due_soon)} 项)")
    if board.due_soon:
        detail_below(pick_task(board.due_soon, shown, "ov_soon", days="left", title="30天内到期任务"), "ov_soon")
    else:
        st.info("未来 30 天内没有到期的未完成任务。")

    st.subheader("变化趋势")
    trend_chart(board.trend, board.trend_sentence)

with st.expander("待催办单位"), guard("列出待催办单位"):
    rem = get_reminders(store, as_of)
    if not rem:
        st.info("没有需要催办的单位(或尚无已到报送期限的报告期)。")
    else:
        df_rem = pd.DataFrame(
            [
                {
                    "单位": r.unit,
                    "报告期": r.period,
                    "报送期限": r.due.isoformat(),
                    "是否超期": "已超期" if r.overdue else "未超期",
                    "欠报任务数": len(r.tasks),
                    "涉及任务": "、".join(t["id"] for t in r.tasks),
                }
                for r in rem
            ]
        )
        ev = st.dataframe(
            df_rem, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row", key="ov_rem"
        )
        from ui.tables import xlsx_download

        xlsx_download(df_rem, "待催办单位", "ov_rem_xlsx")
        i = selected_row(ev)
        if (
            i is not None
            and may_open(UNITS_PAGE)
            and st.button(f"查看 {df_rem.iloc[i]['单位']} 的考评", key="ov_rem_go")
        ):
            go_to_unit(df_rem.iloc[i]["单位"])

with st.expander("各状态任务数"), guard("统计任务状态"):
    from collections import Counter

    import altair as alt

    by_status = Counter(s.status_label for s in snap.statuses)  # counted, not a 50,000-row frame grouped
    if by_status:
        labels = sorted(by_status)
        agg = pd.DataFrame({"状态": labels, "任务数": [by_status[k] for k in labels]})
        st.altair_chart(
            alt.Chart(agg)
            .mark_bar()
            .encode(
                x=alt.X("任务数:Q"),
                y=alt.Y("状态:N", sort="-x", title=None),
                color=alt.Color(
                    "状态:N",
                    scale=alt.Scale(domain=list(STATUS_COLORS)[:-1], range=list(STATUS_COLORS.values())[:-1]),
                    legend=None,
                ),
            )
            .properties(height=180),
            width="stretch",
        )

with st.expander("打印单位任务清单"), guard("生成单位任务清单"):
    unit_printouts(snap, snapshot_units(store, as_of), "ov_print")  # cached with the snapshot
