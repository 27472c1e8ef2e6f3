"""窗口仿真 page: load or edit a hall scenario, run replications with a progress bar, read KPIs with
confidence intervals, wait heat-map, queue length, utilisation, adjustment log; compare variants."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from core import config
from ui.auth import page_guard
from ui.common import XLSX_MIME, RecentResults, guard, md, page_header, show_error
from ui.hall_views import (
    LUNCH_CN,
    groups_frame,
    heatmap,
    practice_frame,
    queue_chart,
    queue_frame,
    scenario_from_frames,
    scenario_key,
    types_frame,
    utilisation_chart,
    wait_by_weekday_slot,
)

page_guard(__file__)  # the page checks its role itself (also when run directly)
page_header("窗口仿真", "模拟大厅一周的取号、等候与办理:调整窗口数、综合窗口、周末轮班和动态调整策略,比较效果。")

SAMPLE = config.data_dir() / "hall" / "sample-hall.xlsx"
KPIS = [
    ("mean_wait", "平均等候(分钟)", "{:.1f}"),
    ("p90_wait", "P90 等候(分钟)", "{:.1f}"),
    ("within_target", "目标内办理比例", "{:.0%}"),
    ("utilisation", "窗口利用率", "{:.0%}"),
    ("overtime_minutes", "延时服务(分钟)", "{:.0f}"),
    ("adjustments", "窗口调整次数", "{:.0f}"),
    ("customers", "取号人次", "{:.0f}"),
]


@st.cache_resource
def _results() -> RecentResults:
    """Finished runs by (scenario hash, settings): a run is never repeated for the same inputs."""
    return RecentResults(12)


@st.cache_data(show_spinner="正在读取场景…", max_entries=8)
def read_scenario(name: str, data: bytes):
    from sim import scenario_from_bytes

    return scenario_from_bytes(name, data)


@st.cache_data(show_spinner=False)
def scenario_xlsx(_s, key: str) -> bytes:
    from sim import write_xlsx

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "hall.xlsx"
        write_xlsx(_s, p)
        return p.read_bytes()


def load_base():
    source = st.radio("场景来源", ["示例大厅(示例数据)", "上传场景文件"], horizontal=True, key="hall_source")
    if source.startswith("上传"):
        up = st.file_uploader("场景工作簿(xlsx)或 JSON", type=["xlsx", "json"], key="hall_upload")
        if up is None:
            st.info("可先下载示例场景工作簿,按说明修改后上传。")
            st.download_button(
                "下载示例场景工作簿",
                data=SAMPLE.read_bytes(),
                file_name="示例大厅场景.xlsx",
                mime=XLSX_MIME,
                key="hall_dl_sample",
                on_click="ignore",
            )
            return None
        try:
            return read_scenario(up.name, up.getvalue())
        except Exception as exc:
            show_error(exc)
            return None
    return read_scenario(SAMPLE.name, SAMPLE.read_bytes())


def edit(base):
    """The scenario as edited on the page (tables and controls), or None with errors shown."""
    from sim import validate

    bkey = scenario_key(base)
    with st.expander("编辑场景(业务类型、窗口组、办理规则、调整策略、日历)", expanded=False):
        t1, t2, t4, t3 = st.tabs(["业务类型", "窗口组", "办理规则", "调整策略与日历"])
        with t1:
            st.caption(
                "每天到达量(人次)按周一至周日填写;周末的数值是“若当天开放”时的需求。过号比例、转办比例、优先比例填 0~1 的小数;"
                "转办后续业务如“税务→缴费”;每时段预约上限留空为不限。"
            )
            types = st.data_editor(
                types_frame(base),
                key=f"hall_types_{bkey}",
                num_rows="dynamic",
                hide_index=True,
                width="stretch",
                column_config={
                    "过号比例": st.column_config.NumberColumn(help="叫号时已离开的取号人比例(0~1)"),
                    "转办后续业务": st.column_config.TextColumn(
                        help="多窗联办:办完本业务后依次到这些业务的窗口,如 税务→缴费"
                    ),
                    "转办比例": st.column_config.NumberColumn(help="需要转办后续业务的比例(0~1)"),
                    "优先比例": st.column_config.NumberColumn(help="老年人、孕妇、残疾人等优先办理的比例(0~1)"),
                    "每时段预约上限": st.column_config.NumberColumn(help="每半小时可预约的人数上限;留空不限", step=1),
                },
            )
        with t2:
            st.caption("可办业务用顿号分隔;营业时间如 08:30-17:30,不开放留空;周末窗口为周末轮班的窗口数。")
            groups = st.data_editor(
                groups_frame(base),
                key=f"hall_groups_{bkey}",
                num_rows="dynamic",
                hide_index=True,
                width="stretch",
                column_config={
                    "午休方式": st.column_config.SelectboxColumn(options=list(LUNCH_CN.values())),
                    "类型": st.column_config.SelectboxColumn(options=["专窗", "综合窗"]),
                    "爱心窗口": st.column_config.SelectboxColumn(
                        options=["是", "否"],
                        help="是否为爱心窗口(优先通道);办理规则“优先方式”为爱心窗口专办时专办优先人员",
                    ),
                },
            )
        with t4:
            st.caption("过号处理:作废或顺延(保留号码,在其后若干次叫号中再叫);优先方式:优先叫号或爱心窗口专办。")
            practice = st.data_editor(
                practice_frame(base),
                key=f"hall_practice_{bkey}",
                num_rows="fixed",
                hide_index=True,
                width="stretch",
                disabled=["参数"],
            )
        with t3:
            p = base.policy
            c1, c2, c3 = st.columns(3)
            enabled = c1.checkbox("启用窗口动态调整", value=p.enabled, key=f"hall_pol_on_{bkey}")
            per_window = c1.number_input(
                "每窗等候人数超过此值即开备用窗口", 0.5, 50.0, float(p.open_per_window), 0.5, key=f"hall_pol_pw_{bkey}"
            )
            longest = c2.number_input(
                "最长等候超过(分钟)即开窗", 1.0, 240.0, float(p.open_longest_wait), 5.0, key=f"hall_pol_lw_{bkey}"
            )
            delay = c2.number_input(
                "开窗准备时间(分钟)", 0.0, 60.0, float(p.switch_delay), 1.0, key=f"hall_pol_sd_{bkey}"
            )
            target = c3.number_input("等候目标(分钟)", 1.0, 120.0, float(p.target_wait), 1.0, key=f"hall_pol_tw_{bkey}")
            start = c3.date_input("仿真开始日期", value=base.calendar.start, key=f"hall_cal_start_{bkey}")
    from sim import ScenarioInvalid

    try:
        s = scenario_from_frames(base, types, groups, practice)
    except ScenarioInvalid as err:
        st.error(str(err).replace("\n", "  \n") + "  \n请按提示修改表格后再运行。", icon=":material/error:")
        return None
    s.policy.enabled, s.policy.open_per_window, s.policy.open_longest_wait = enabled, per_window, longest
    s.policy.switch_delay, s.policy.target_wait, s.calendar.start = delay, target, start
    issues = validate(s)
    if issues:
        from sim import ScenarioInvalid

        st.error(
            str(ScenarioInvalid("编辑后的场景", issues)).replace("\n", "  \n") + "  \n请按提示修改表格后再运行。",
            icon=":material/error:",
        )
        return None
    return s


def run(s, reps: int, days: int, seed: int):
    from sim import simulate
    from sim.replicate import replicate

    key = (scenario_key(s), reps, days, seed)
    cache = _results()
    if key not in cache:
        bar = st.progress(0.0, text="正在仿真…")

        def step(d: int, n: int) -> None:
            bar.progress(d / n, text=f"已完成 {d}/{n} 次重复")

        rep = replicate(
            s,
            reps=reps,
            days=days,
            seed=seed,
            workers=1,
            progress=step,
        )
        bar.progress(1.0, text="正在整理代表性运行…")
        log = simulate(s, days=days, seed=rep.seeds[0]).log()  # replication 1 in full, for the day views
        bar.empty()
        cache[key] = (rep, log)
    return cache[key]


def show(rep, log) -> None:
    ci = rep.ci.set_index("metric")
    cols = st.columns(4) + st.columns(4)
    for col, (m, label, fmt) in zip(cols, KPIS):
        if m not in ci.index:
            continue
        r = ci.loc[m]
        col.metric(
            label,
            fmt.format(r["mean"]),
            border=True,
            help=f"{int(r['reps'])} 次重复的均值;95% 置信区间 {fmt.format(r['lo'])} ~ {fmt.format(r['hi'])}",
        )
        col.caption(f"95%CI {fmt.format(r['lo'])}~{fmt.format(r['hi'])}")
    st.caption(
        f"{len(rep.seeds)} 次重复,共 {rep.customers} 人次,用时 {rep.wall_seconds:.1f} 秒;"
        "热力图与排队曲线取第 1 次重复。"
    )
    tabs = st.tabs(["等候热力图", "排队人数", "窗口利用率", "调整记录", "分业务", "分窗口组"])
    with tabs[0]:
        st.altair_chart(heatmap(wait_by_weekday_slot(log)), width="stretch")
    with tabs[1]:
        st.altair_chart(queue_chart(queue_frame(log)), width="stretch")
    with tabs[2]:
        if len(rep.tables.get("by_group", [])):
            st.altair_chart(utilisation_chart(rep.tables["by_group"]), width="stretch")
    with tabs[3]:
        adj = rep.adjustments
        if adj is None or adj.empty:
            st.info("本次运行没有窗口调整(未启用动态调整,或排队未达到阈值)。")
        else:
            from sim import adjustments_frame

            shown = adj.drop(columns=[c for c in ("minute", "requested") if c in adj.columns])
            shown = shown.assign(day=shown["day"] + 1) if "day" in shown else shown
            st.dataframe(adjustments_frame(shown), hide_index=True, width="stretch", key="hall_adj")
    with tabs[4]:
        st.dataframe(_cn(rep.tables["by_type"]), hide_index=True, width="stretch", key="hall_by_type")
    with tabs[5]:
        st.dataframe(_cn(rep.tables["by_group"]), hide_index=True, width="stretch", key="hall_by_group")
    from ui.tables import xlsx_download

    xlsx_download(
        {"分业务": _cn(rep.tables["by_type"]), "分窗口组": _cn(rep.tables["by_group"])},
        "仿真结果",
        "hall_results_xlsx",
        label="下载分业务、分窗口组结果(Excel)",
    )


def _cn(df: pd.DataFrame) -> pd.DataFrame:
    from sim import TABLE_CN

    return df.rename(columns=TABLE_CN)


with guard("准备场景"):
    base = load_base()
if base is None:
    st.stop()
with guard("编辑场景"):
    scenario = edit(base)
    st.caption(f"场景:{md(base.name)}。{md(base.description)}")
if scenario is None:
    st.stop()
st.session_state["hall_current"] = scenario  # the 排班 page sizes this hall

st.subheader("运行仿真")
c1, c2, c3, c4 = st.columns([1, 1, 1, 2])
reps = c1.number_input("重复次数", 1, 50, 5, key="hall_reps")
days = c2.number_input("仿真天数", 1, 28, int(scenario.calendar.days), key="hall_days")
seed = c3.number_input("随机种子", 0, 10**6, 2026, key="hall_seed", help="相同种子、相同场景得到相同结果")
c4.download_button(
    "下载当前场景(xlsx)",
    data=scenario_xlsx(scenario, scenario_key(scenario)),
    file_name="大厅场景.xlsx",
    mime=XLSX_MIME,
    key="hall_dl_current",
    on_click="ignore",
)
if st.button("运行仿真", type="primary", key="hall_run"):
    st.session_state["hall_last"] = (scenario_key(scenario), int(reps), int(days), int(seed))
last = st.session_state.get("hall_last")
if last and last[0] == scenario_key(scenario):
    with guard("运行仿真"):
        rep, log = run(scenario, *last[1:])
        show(rep, log)
elif last:
    st.info("场景已修改,请重新运行仿真。")

st.subheader("方案比较")
st.caption("同一批随机到达(共同随机数)下比较各方案;差值的置信区间按重复逐一配对计算。")
with guard("方案比较"):
    from sim import policy_variant, pooled_variant, weekend_rota_variant

    options = {"动态调整:开 vs 关": "policy", "周末轮班:开 vs 关": "rota", "综合窗口 vs 专窗": "pool"}
    choice = st.radio("比较内容", list(options), horizontal=True, key="hall_cmp_kind")
    kind = options[choice]
    if kind == "pool":
        dedicated = [g.name for g in scenario.groups if g.kind == "专窗"]
        merge = st.multiselect("合并为综合窗口的专窗", dedicated, default=dedicated[:3], key="hall_cmp_pool")
        variants = [scenario, pooled_variant(scenario, merge)] if len(merge) >= 2 else []
        if len(merge) < 2:
            st.info("请至少选择两个专窗组。")
    elif kind == "rota":
        variants = [weekend_rota_variant(scenario, True), weekend_rota_variant(scenario, False)]
    else:
        variants = [policy_variant(scenario, True), policy_variant(scenario, False)]
    cmp_reps = st.columns(4)[0].number_input("每个方案的重复次数", 2, 30, 4, key="hall_cmp_reps")
    if variants and st.button("运行比较", key="hall_cmp_run"):
        from sim.compare import compare

        bar = st.progress(0.0, text="正在比较…")

        def step_run(d: int, n: int) -> None:
            bar.progress(d / n, text=f"已完成 {d}/{n} 次运行")

        c = compare(
            variants,
            reps=int(cmp_reps),
            days=int(days),
            seed=int(seed),
            workers=1,
            progress=step_run,
        )
        bar.empty()
        st.session_state["hall_cmp"] = (choice, c.table, c.diff)
    res = st.session_state.get("hall_cmp")
    if res:
        from ui.hall_compare import comparison_view

        comparison_view(*res)
