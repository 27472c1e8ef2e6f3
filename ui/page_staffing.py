"""排班 page: windows needed per weekday and slot (Erlang C, then corrected by simulation), then the
staff roster solved with CP-SAT and checked again by simulation."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from core import config
from sim import StaffingReport
from ui.auth import page_guard
from ui.common import RecentResults, guard, md, page_header
from ui.hall_views import scenario_key

page_guard(__file__)  # the page checks its role itself (also when run directly)
page_header("排班", "按服务目标测算各时段最少开窗数(Erlang C 与仿真修正对照),再排出人员班表并用仿真验证。")

SLOT_COLS = {
    "group": "窗口组",
    "weekday_cn": "星期",
    "slot_start": "时段",
    "erlang_windows": "Erlang C 窗口数",
    "erlang_predicted_level": "Erlang C 预测达标率",
    "erlang_sim_level": "Erlang C 仿真达标率",
    "erlang_met": "Erlang C 达标",
    "sim_windows": "仿真修正窗口数",
    "sim_level": "修正后仿真达标率",
    "sim_met": "修正后达标",
    "customers": "取号人次",
}


@st.cache_resource
def _results() -> RecentResults:
    """Finished staffing runs by (scenario hash, target, method, reps, seed)."""
    return RecentResults(12)


def current_scenario():
    """The scenario edited on the 窗口仿真 page in this session, else the bundled sample hall."""
    s = st.session_state.get("hall_current")
    if s is not None:
        return s, "窗口仿真页当前场景"

    sample = config.data_dir() / "hall" / "sample-hall.xlsx"
    return _sample(sample.read_bytes()), "示例大厅(示例数据)"


@st.cache_data(show_spinner=False, max_entries=2)
def _sample(data: bytes):
    from sim import scenario_from_bytes

    return scenario_from_bytes("sample-hall.xlsx", data)


#: weeks of fresh simulation that judge both plans: a short check is too noisy to tell them apart
CHECK_REPS = 20


def requirement(scenario, target_text: str, method: str, reps: int, seed: int) -> StaffingReport:
    from sim import staffing_report

    key = (scenario_key(scenario), target_text, method, reps, seed)
    cache = _results()
    if key not in cache:
        bar = st.progress(0.0, text="正在测算开窗需求…")

        def show(step: str, share: float) -> None:
            bar.progress(min(share, 1.0), text=step)

        cache[key] = staffing_report(
            scenario,
            target_text,
            method,
            reps=reps,
            seed=seed,
            check_reps=max(reps, CHECK_REPS),
            progress=show,
        )
        bar.empty()
    return cache[key]


def heat(df: pd.DataFrame, col: str, title: str, top: float) -> alt.Chart:
    """Windows by weekday × slot; both methods share the colour scale ``0..top`` so they compare."""
    from sim import WEEKDAYS_CN

    return (
        alt.Chart(df)
        .mark_rect()
        .encode(
            x=alt.X("时段:O", title="时段"),
            y=alt.Y("星期:O", sort=WEEKDAYS_CN, title=None, axis=alt.Axis(labelOverlap=False)),
            color=alt.Color(f"{col}:Q", title="窗口数", scale=alt.Scale(scheme="blues", domain=[0, top])),
            tooltip=["星期", "时段", f"{col}:Q"],
        )
        .properties(title=title, height=230)
    )


with guard("准备排班"):
    scenario, source = current_scenario()
    st.caption(f"场景:{md(scenario.name)}({md(source)})")
    c1, c2, c3, c4 = st.columns([2, 2, 1, 1])
    t1, t2, t3 = c1.columns(3)  # the service target as numbers (sim.target_form checks them)
    pct = t1.number_input(
        "达标比例(%)",
        1.0,
        100.0,
        90.0,
        5.0,
        format="%g",
        key="staff_target_pct",
        help="至少多少比例的群众等候不超过右侧的分钟数",
    )
    within = t2.number_input("等候不超过(分钟)", 1.0, 480.0, 15.0, 1.0, format="%g", key="staff_target_min")
    mean_max = t3.number_input(
        "平均等候上限(分钟)", 0.0, 480.0, 0.0, 1.0, format="%g", key="staff_target_mean", help="0 表示不设平均等候条件"
    )
    method_name = c2.radio("方法", ["Erlang C + 仿真修正", "仅 Erlang C"], horizontal=True, key="staff_method")
    reps = c3.number_input(
        "仿真重复", 2, 50, 10, key="staff_reps", help="仿真修正每轮的重复次数;次数越多结果越稳定,用时也越长"
    )
    seed = c4.number_input("随机种子", 0, 10**6, 1, key="staff_seed")
    from sim.target_form import target_from_numbers

    target = target_from_numbers(pct, within, mean_minutes=mean_max)
    st.session_state["staff_target"] = target.text  # the roster part reads the same target
    st.info(target.definition(), icon=":material/flag:")
    method = "sim" if method_name.startswith("Erlang C +") else "erlang"
    if st.button("测算开窗需求", type="primary", key="staff_run"):
        st.session_state["staff_last"] = (scenario_key(scenario), target.text, method, int(reps), int(seed))

last = st.session_state.get("staff_last")
if last and last[0] == scenario_key(scenario):
    with guard("测算开窗需求"):
        rep = requirement(scenario, *last[1:])
        slots = pd.DataFrame(rep.slots)
        for col in ("erlang_met", "sim_met"):
            if col in slots:
                slots[col] = slots[col].map({True: "达标", False: "未达标"}).fillna("—")
        erl, cor = rep.erlang, rep.sim
        m = st.columns(4)
        m[0].metric("Erlang C 窗口·小时/周", f"{erl.staff_hours_per_week:.0f}", border=True)
        m[1].metric(
            "Erlang C 达标时段", f"{erl.share_meeting_target or 0:.0%}", border=True, help="按新的随机种子仿真检验"
        )
        if cor:
            m[2].metric(
                "仿真修正 窗口·小时/周",
                f"{cor.staff_hours_per_week:.0f}",
                border=True,
                delta=f"{cor.staff_hours_per_week - erl.staff_hours_per_week:+.0f}",
                delta_color="off",
            )
            m[3].metric("仿真修正 达标时段", f"{cor.share_meeting_target or 0:.0%}", border=True)
            st.caption(f"仿真修正:{cor.stop_reason},用时 {cor.wall_seconds:.1f} 秒。")
        groups = sorted(slots["group"].unique())
        g = st.selectbox("窗口组", groups, key="staff_group")
        view = slots[slots["group"] == g].rename(columns=SLOT_COLS)
        top = float(
            max(view["Erlang C 窗口数"].max(), view["仿真修正窗口数"].max() if "仿真修正窗口数" in view else 0, 1)
        )
        left, right = st.columns(2)
        left.altair_chart(heat(view, "Erlang C 窗口数", "Erlang C", top), width="stretch")
        if cor:
            right.altair_chart(heat(view, "仿真修正窗口数", "仿真修正", top), width="stretch")
        table = slots.drop(columns=["weekday", "slot"]).rename(columns=SLOT_COLS)
        st.markdown("**开窗需求表**(每个窗口组、星期、半小时时段)")
        st.dataframe(table, hide_index=True, width="stretch", key="staff_table")
        from ui.tables import xlsx_download

        xlsx_download({"开窗需求": table}, "开窗需求", "staff_dl_req", title="开窗需求表", label="下载开窗需求(Excel)")
        st.session_state["staff_requirement"] = (last, rep)
elif last:
    st.info("场景或目标已修改,请重新测算。")

st.divider()
st.subheader("人员排班")
with guard("人员排班"):
    from ui.roster_views import roster_section

    roster_section(scenario, st.session_state.get("staff_requirement"))
