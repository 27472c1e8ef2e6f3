"""各地区比较 — plans, tasks, 已办结, 逾期, 报送率 and red cards per city (counties counted for their
city, or each region alone), a chart with a one-line conclusion; for the provincial office also the
register of cities and counties and which plan belongs where.

Offices, leaders and planners read it: the provincial (unscoped) accounts compare every city, an
account of a city compares the city's own plans with each of its counties'.  Everything is computed
and checked in the library (:meth:`tasks.accounts.GuardedStore.compare_regions`); the register is
offered only to those the library lets manage it."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from tasks.accounts import allowed
from tasks.regions import DEFAULT_REGION, KIND_NAMES, PROVINCE, comparison_conclusion
from ui.auth import page_guard
from ui.common import as_of_control, flash, get_store, guard, page_header, region_figures
from ui.tables import xlsx_download

account = page_guard(__file__)  # offices, leaders and planners (units are refused here and in the library)
store = get_store()
home = account.region  # a city's or county's account compares within its region
manages = allowed(account, "manage_regions")
if home:
    page_header("各地区比较", f"{home}及所辖县(区)的计划、任务、已办结、逾期、报送率和红牌,各地区单列;全省统一口径。")
else:
    page_header("各地区比较", "各市(含所辖县)或各市县的计划、任务、已办结、逾期、报送率和红牌;全省统一口径。")
as_of = as_of_control()

if home:
    by = "region"  # one city summed up is one row: its own plans and each county side by side instead
else:
    by = st.radio(
        "比较口径",
        ["city", "region"],
        format_func=lambda x: "按市汇总(县计入所属市)" if x == "city" else "各市县单列",
        horizontal=True,
        key="regions_by",
    )

with guard("比较各地区"):
    rows, period = region_figures(store, as_of, by)  # cached until the data changes
    if not any(r.tasks or r.plans for r in rows):
        if manages:
            st.info("还没有计划。请先在“导入”页面导入各地的任务分解表,并在下方登记市县。")
        else:
            st.info(f"{home or '各地区'}还没有计划;计划导入后,这里将列出各地区的比较。")
    else:
        st.markdown(f"**{comparison_conclusion(rows)}**")
        shown = [r for r in rows if r.plans or r.tasks]
        order = [r.region for r in shown]
        counts = pd.DataFrame(
            [
                {"地区": r.region, "指标": name, "数量": v}
                for r in shown
                for name, v in (("已办结", r.done), ("逾期", r.overdue), ("红牌", r.red_cards))
            ]
        )
        bars = (
            alt.Chart(counts)
            .mark_bar()
            .encode(
                x=alt.X("地区:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelOverlap=False)),
                xOffset=alt.XOffset("指标:N", sort=["已办结", "逾期", "红牌"]),
                y=alt.Y("数量:Q", title="任务数(项)/红牌(张)"),
                color=alt.Color(
                    "指标:N",
                    scale=alt.Scale(domain=["已办结", "逾期", "红牌"], range=["#2e7d32", "#ef6c00", "#c62828"]),
                    legend=alt.Legend(title=None, orient="top"),
                ),
                tooltip=["地区", "指标", "数量"],
            )
            .properties(height=260, title="已办结、逾期任务与红牌")
        )
        rates = pd.DataFrame([{"地区": r.region, "报送率": r.report_rate} for r in shown if r.report_rate is not None])
        c1, c2 = st.columns(2)
        c1.altair_chart(bars, width="stretch")
        if rates.empty:
            c2.info("尚无已到报送期限的报告期,报送率暂不计算。")
        else:
            c2.altair_chart(
                alt.Chart(rates)
                .mark_bar(color="#1565c0")
                .encode(
                    x=alt.X("地区:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelOverlap=False)),
                    y=alt.Y("报送率:Q", title="报送率", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
                    tooltip=["地区", alt.Tooltip("报送率:Q", format=".0%")],
                )
                .properties(height=260, title=f"报送率({period}期)"),
                width="stretch",
            )
        table = pd.DataFrame(
            [
                {
                    "地区": r.region,
                    "级别": KIND_NAMES.get(r.kind, r.kind),
                    "所辖县(区)": "、".join(r.counties) or "—",
                    "计划": r.plans,
                    "任务": r.tasks,
                    "已办结": r.done,
                    "逾期": r.overdue,
                    "应报": r.duties,
                    "已报": r.reported,
                    "报送率": f"{r.report_rate:.0%}" if r.report_rate is not None else "未到报送期",
                    "红牌": r.red_cards,
                }
                for r in rows
            ]
        )
        if by == "region":
            table = table.drop(columns=["所辖县(区)"])
        st.dataframe(table, hide_index=True, width="stretch")
        st.caption(
            f"截至 {as_of:%Y-%m-%d};报送率按各计划最近一个已过报送期限的报告期({period or '尚无'})计算;"
            f"“{DEFAULT_REGION}”为未划归任何市县的计划。"
        )
        xlsx_download(table, f"各地区比较_{as_of:%Y%m%d}", "regions_xlsx", title=f"各地区比较(截至{as_of:%Y-%m-%d})")

if not manages:  # the register belongs to the provincial office: nothing to offer anyone else
    st.stop()

with st.expander("登记市县、调整计划所属地区"):
    known = store.regions()
    st.caption("已登记:" + ("、".join(r.label for r in known) if known else "暂无"))
    with st.form("regions_add", clear_on_submit=True):
        name = st.text_input("市或县(区)的全称", placeholder="如:某某市、某某县")
        cities = [r.name for r in known if r.kind == "city"]
        parent = st.selectbox("所属市(县、区可选)", ["(无)", *cities])
        if st.form_submit_button("登记"):
            with guard("登记地区"):
                made = store.add_region(name, parent=None if parent == "(无)" else parent)
                flash(f"已登记{made.label}")
                st.rerun()
    plans = store.plan_regions()
    if plans:
        with st.form("regions_plan"):
            plan = st.selectbox("计划", list(plans), key="regions_plan_pick")
            target = st.selectbox("所属地区", [DEFAULT_REGION, *[r.name for r in known]], key="regions_plan_target")
            if st.form_submit_button("调整所属地区"):
                with guard("调整计划所属地区"):
                    before = store.set_plan_region(plan, target)
                    flash(f"计划“{plan}”已由{before}调整为{target}" if before else f"计划“{plan}”已属于{target}")
                    st.rerun()
    st.caption(f"账号的所属地区在“账号管理”中设置;不设地区(“{PROVINCE}”)的办公室账号即省级办公室,可见全部市县。")
