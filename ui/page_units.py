"""单位考评 page: ranking with its rule, one unit's scorecard and tasks, the reminder list and sheet."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tasks.accounts import allowed
from ui.auth import acting_account, page_guard
from ui.common import (
    XLSX_MIME,
    as_of_control,
    get_ranking,
    get_reminders,
    get_snapshot,
    get_store,
    guard,
    page_header,
    unit_scope,
)
from ui.tables import xlsx_download

page_guard(__file__)  # the page checks its role itself (also when run directly)
page_header("单位考评", "按规则计分排名;红黄牌、报送情况一目了然;可下载催办单。")
as_of = as_of_control()

with guard("计算单位考评"):
    from tasks.progress import ranking_rule, reminders_xlsx

    store = get_store()
    snap = get_snapshot(store, as_of)
    cards = get_ranking(store, as_of)
    total = len(cards)
    scope = unit_scope()
    if scope:  # a unit account sees its own card (its rank among all units) and its own reminders
        cards = [c for c in cards if c.unit == scope]
    levels = [(lv.key, lv.name) for lv in snap.rules.levels]
    st.subheader("单位排名")
    st.info(f"计分规则:{ranking_rule(snap)}", icon=":material/rule:")
    rank_df = pd.DataFrame(
        [
            {
                "名次": c.rank,
                "单位": c.unit,
                "得分": c.score,
                "牵头任务": c.led,
                "参与任务": c.joined,
                "已办结": c.done,
                "按期办结": c.done_on_time,
                "逾期": c.overdue,
                "有风险": c.at_risk,
                **{name: c.cards.get(key, 0) for key, name in levels},
                "应报": c.duties,
                "已报": c.reported,
                "迟报": c.late,
                "漏报": c.missed,
                "报送率": c.compliance if c.duties else None,
            }
            for c in cards
        ]
    )
    if rank_df.empty:
        st.info("没有可考评的单位。")
    else:
        st.dataframe(
            rank_df,
            hide_index=True,
            width="stretch",
            key="units_rank",
            column_config={"报送率": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1)},
        )
        xlsx_download(
            rank_df, f"单位排名_{as_of.isoformat()}", "units_rank_xlsx", title=f"单位排名(截至{as_of.isoformat()})"
        )

        st.subheader("单位考评卡")
        units = list(rank_df["单位"])
        if st.session_state.get("units_pick") not in units:
            st.session_state["units_pick"] = units[0]
        unit = st.selectbox("单位", units, key="units_pick")
        c = next(c for c in cards if c.unit == unit)
        m = st.columns(6)
        m[0].metric("名次", f"{c.rank}/{total}", border=True)
        m[1].metric("得分", c.score, border=True)
        m[2].metric("牵头任务", c.led, border=True)
        m[3].metric("逾期", c.overdue, border=True)
        m[4].metric("红黄牌", sum(c.cards.values()), border=True)
        m[5].metric("报送率", f"{c.compliance:.0%}" if c.duties else "—", border=True)
        mine = [s for s in snap.statuses if unit in s.lead_units or unit in s.responsible_units]
        unit_tasks = pd.DataFrame(
            [
                {
                    "计划": s.plan,
                    "编号": s.id,
                    "状态": s.status_label,
                    "进度": s.percent / 100,
                    "完成时限": s.deadline,
                    "预警": s.card_name,
                    "角色": "牵头" if unit in s.lead_units else "责任",
                    "最近填报": s.last_report_date,
                    "任务": s.title,
                }
                for s in mine
            ]
        )
        st.dataframe(
            unit_tasks,
            hide_index=True,
            width="stretch",
            key="units_tasks",
            column_config={"进度": st.column_config.NumberColumn(format="percent")},
        )
        xlsx_download(
            unit_tasks,
            f"{unit}考评卡任务",
            "units_tasks_xlsx",
            title=f"{unit}任务情况(截至{as_of.isoformat()})",
            percent=["进度"],
        )

    st.subheader("催办名单")
    due = [p.key for p in snap.periods if p.due < as_of]
    if not due:
        st.info("截至该日期还没有已过报送期限的报告期。")
    else:
        period = st.selectbox("报告期", list(reversed(due)), key="units_rem_period")
        rem = [r for r in get_reminders(store, as_of, period) if not scope or r.unit == scope]
        if not rem:
            st.success(f"{period} 各单位均已报送。")
        else:
            rem_df = pd.DataFrame(
                [
                    {
                        "单位": r.unit,
                        "报告期": r.period,
                        "报送期限": r.due.isoformat(),
                        "状态": "已超期" if r.overdue else "未超期",
                        "欠报任务": "、".join(f"{t['id']} {t['title']}" for t in r.tasks),
                        "催办内容": r.text(),
                    }
                    for r in rem
                ]
            )
            st.dataframe(rem_df, hide_index=True, width="stretch", key="units_rem")
            st.download_button(
                "下载催办单(Excel)",
                data=lambda: reminders_xlsx(rem, f"{period} 催办单"),  # written on click
                file_name=f"{period}_催办单.xlsx",
                mime=XLSX_MIME,
                key="units_rem_dl",
                icon=":material/download:",
                on_click="ignore",
            )

if allowed(acting_account(), "save_rules"):  # only the office sees and edits the rules
    with st.expander("预警与计分规则(领导小组办公室维护)"):
        st.caption("保存前会逐项检查,出错时不会覆盖原规则。保存后状态、红黄牌和排名立即按新规则重算。")
        from ui.rules_editor import rules_form

        rules_form()
