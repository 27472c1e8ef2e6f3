"""The roster part of the 排班 page: staff list, CP-SAT solve with a progress bar, the grid,
shortfalls, verification by simulation, download.  Solving and checking are :mod:`sim`'s."""

from __future__ import annotations

import hashlib
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import streamlit as st

from core import config
from ui.common import XLSX_MIME, RecentResults, show_error
from ui.hall_views import scenario_key

STAFF = config.data_dir() / "hall" / "staff.xlsx"


@st.cache_resource
def _rosters() -> RecentResults:
    """Solved rosters by all their inputs: the same request is never solved twice."""
    return RecentResults(6)


@st.cache_data(show_spinner="正在读取人员名单…", max_entries=8)
def read_staff_file(name: str, data: bytes, groups: tuple[str, ...]):
    from sim import read_staff

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / Path(name).name
        p.write_bytes(data)
        return read_staff(p, list(groups), display_name=name)


def _while(bar, fn, seconds: float, text: str):
    """Run ``fn`` in a worker thread, moving ``bar`` with the elapsed share of ``seconds``."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        fut = pool.submit(fn)
        t0 = time.perf_counter()
        while not fut.done():
            share = min(0.99, (time.perf_counter() - t0) / max(seconds, 0.1))
            bar.progress(share, text=f"{text}(已用 {time.perf_counter() - t0:.0f} 秒,最长约 {seconds:.0f} 秒)")
            time.sleep(0.25)
        return fut.result()


def solve(
    scenario,
    people,
    shifts,
    staff_key: str,
    target,
    method: str,
    weeks: int,
    start,
    limit: float,
    seed: int,
    rules: tuple = (),
):
    """``rules`` = (AB岗 on, hours band, "auto" (from demand) or None, half-day cap or None, lent-day cap or
    None, leave rate or None)."""
    from sim import Balance, roster_for_scenario, simulation_corrected, sipp, verify_roster
    from sim.roster_certify import certify, pair_backups

    key = (scenario_key(scenario), staff_key, target.text, method, weeks, start, limit, seed, rules)
    ab, band, half, lent, leave_rate = rules or (False, None, None, None, None)
    if ab:
        people = pair_backups(people)
    options: dict = {"ab_cover": bool(ab)}
    if band or half is not None or lent is not None:
        auto = band == "auto"
        options["balance"] = Balance(None if auto else band, half, lent, auto_band=auto)
    cache = _rosters()
    if key in cache:
        return cache[key]
    bar = st.progress(0.0, text="第 1/3 步:测算开窗需求…")

    def step(i: int, n: int) -> None:
        bar.progress(min(0.3, 0.3 * i / n), text=f"第 1/3 步:仿真修正第 {i} 轮")

    if method == "sim":
        plan = simulation_corrected(
            scenario,
            target,
            reps=10,
            seed=seed,
            progress=step,
        )
    else:
        plan = sipp(scenario, target)
    result, plan, cal, rostered = _while(
        bar,
        lambda: roster_for_scenario(
            scenario,
            people,
            shifts,
            weeks=weeks,
            start=start,
            target=target,
            plan=plan,
            time_limit=limit,
            seed=seed,
            **options,
        ),
        limit + 2,
        "第 2/3 步:求解排班",
    )
    bar.progress(0.99, text="第 3/3 步:用新的随机种子仿真验证排班…")
    ver = cert = None
    if result.assignments:
        ver = verify_roster(scenario, result, cal, target, rostered, plan, reps=5)
        if leave_rate is not None:
            bar.progress(0.99, text="可靠性检验:随机缺勤、AB岗顶岗后重复仿真…")
            cert = certify(
                scenario, result, people, shifts, cal, target, rostered, plan, leave_rate=leave_rate, reps=10
            )
    bar.empty()
    cache[key] = (result, plan, cal, rostered, ver, cert, people)
    return cache[key]


def _days_text(days) -> str:
    """Dates as tables show them everywhere, 2026-11-03、2026-11-05 (empty when none)."""
    return "、".join(d.isoformat() for d in sorted(days))


def staff_table(people) -> pd.DataFrame:
    """The staff list as the page shows it: the staff workbook's columns, AB岗 backups and leave included.

    >>> from datetime import date
    >>> from sim.roster import Person
    >>> t = staff_table([Person("张三", "户籍", ("户籍", "交警"), 40.0, frozenset(), ("李四",), frozenset({date(2026, 11, 5)}))])
    >>> t.iloc[0].astype(str).tolist()
    ['张三', '户籍', '户籍、交警', '40.0', '', '李四', '2026-11-05']
    """
    return pd.DataFrame(
        [
            {
                "姓名": p.name,
                "所属窗口组": p.home_group,
                "可办理窗口组": "、".join(p.groups),
                "每周工时": float(p.weekly_hours),
                "不可排班日期": _days_text(p.unavailable),
                "AB岗备岗": "、".join(p.backups),
                "请假日期": _days_text(p.leave_requests),
            }
            for p in people
        ],
        columns=["姓名", "所属窗口组", "可办理窗口组", "每周工时", "不可排班日期", "AB岗备岗", "请假日期"],
    )


def grid(result, people) -> pd.DataFrame:
    """Person × date table of what each day shows (:func:`sim.roster_io.roster_marks`)."""
    from sim import WEEKDAYS_CN, roster_marks

    marks = roster_marks(result, people)
    rows = []
    for p in people:
        row = {"姓名": p.name, "所属窗口组": p.home_group}
        for d in result.days:
            row[f"{d.date.month}/{d.date.day}{WEEKDAYS_CN[d.date.weekday()]}"] = marks[p.name, d.date]
        row["周末值班"] = result.weekend_duties.get(p.name, 0)
        rows.append(row)
    return pd.DataFrame(rows)


def roster_bytes(result, people, shifts, ver, definition: str, cert=None) -> bytes:
    from sim import export_roster

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "roster.xlsx"
        export_roster(result, people, shifts, p, verification=ver, definition=definition, certificate=cert)
        return p.read_bytes()


def roster_section(scenario, requirement) -> None:
    """Staff list → roster → verification, for the scenario of the page."""
    from sim import min_to_hm, parse_target

    groups = tuple(g.name for g in scenario.groups)
    c1, c2 = st.columns([3, 2])
    up = c1.file_uploader("人员名单(xlsx,工作表“人员”,可选“班次”)", type=["xlsx"], key="roster_staff")
    c2.download_button(
        "下载示例人员名单",
        data=STAFF.read_bytes(),
        file_name="示例人员名单.xlsx",
        mime=XLSX_MIME,
        key="roster_dl_sample",
        on_click="ignore",
        icon=":material/download:",
    )
    name, data = (up.name, up.getvalue()) if up is not None else (STAFF.name, STAFF.read_bytes())
    try:
        people, shifts = read_staff_file(name, data, groups)
    except Exception as exc:
        show_error(exc)
        return
    staff_key = hashlib.sha256(data).hexdigest()[:16]
    covered = sorted({g for p in people for g in p.groups} & set(groups))
    st.caption(
        f"{'上传的' if up else '示例'}人员名单:{len(people)} 人,班次 {len(shifts)} 种;"
        f"排班的窗口组:{'、'.join(covered) or '无'}(其余窗口组按开窗需求计)。"
    )
    with st.expander(f"人员名单({len(people)} 人;AB岗备岗 {sum(1 for p in people if p.backups)} 人已指定)"):
        st.dataframe(staff_table(people), hide_index=True, width="stretch", key="roster_staff_table")
        if not any(p.backups for p in people):
            st.caption("人员名单未填写“AB岗备岗”:勾选AB岗时按同组顺序自动指定两名备岗人员。")
    c1, c2, c3, c4 = st.columns(4)
    weeks = c1.number_input("排班周数", 1, 8, 2, key="roster_weeks")
    start = c2.date_input("起始日期(取其后第一个周一)", value=scenario.calendar.start, key="roster_start")
    limit = c3.number_input("求解时限(秒)", 2, 300, 20, key="roster_limit")
    method_name = c4.radio("需求来源", ["仿真修正", "Erlang C"], key="roster_method")
    target = parse_target(st.session_state.get("staff_target", "90%<=15"))
    st.caption(target.definition())
    with st.expander("AB岗、工时均衡与可靠性检验"):
        r1, r2, r3 = st.columns(3)
        ab = r1.checkbox(
            "AB岗:每个岗位有备岗人员,请假会使岗位无人时不予批准",
            key="roster_ab",
            help="人员名单未指定备岗人员时,按同组顺序自动指定两名。",
        )
        band_mode = r2.radio(
            "每人工时区间(排班期内)",
            ["不限", "按需求自动确定", "自定"],
            key="roster_band_mode",
            help="按需求自动确定:以需求按整班次至少需要的工时平均到每人为中心,下浮10%、上浮25%,不超过合同工时。"
            "上限必须遵守;下限尽量满足(获批请假相应降低)。区间装不下需求时求解前即提示。",
        )
        use_band = band_mode == "自定"
        band_lo = r2.number_input(
            "工时下限(小时)", 0, 400, 30 * int(weeks), key="roster_band_lo", disabled=not use_band
        )
        band_hi = r2.number_input(
            "工时上限(小时)", 0, 400, 40 * int(weeks), key="roster_band_hi", disabled=not use_band
        )
        half = r3.number_input("每人半天班上限(-1 为不限)", -1, 60, -1, key="roster_half")
        lent = r3.number_input("每人支援其他组天数上限(-1 为不限)", -1, 60, -1, key="roster_lent")
        certify_on = r1.checkbox("可靠性检验:随机缺勤后仿真,判定是否可以发布", key="roster_certify")
        leave_rate = r1.number_input(
            "临时缺勤概率", 0.0, 0.5, 0.05, step=0.01, key="roster_leave_rate", disabled=not certify_on
        )
    if use_band and band_lo > band_hi:
        st.error("工时下限不能高于上限。", icon=":material/error:")
        return
    rules = (
        bool(ab),
        (float(band_lo), float(band_hi)) if use_band else ("auto" if band_mode == "按需求自动确定" else None),
        None if half < 0 else int(half),
        None if lent < 0 else int(lent),
        float(leave_rate) if certify_on else None,
    )
    if st.button("求解排班", type="primary", key="roster_run"):
        st.session_state["roster_last"] = (
            scenario_key(scenario),
            staff_key,
            target.text,
            "sim" if method_name == "仿真修正" else "erlang",
            int(weeks),
            start,
            float(limit),
            1,
            rules,
        )
    last = st.session_state.get("roster_last")
    if not last or last[0] != scenario_key(scenario) or last[1] != staff_key:
        return
    result, plan, cal, rostered, ver, cert, people = solve(scenario, people, shifts, staff_key, target, *last[3:])
    if not result.assignments:
        st.error(
            f"排班未能求出(求解状态 {result.status})。请延长求解时限、减少排班周数,"
            "或在人员名单中增加可上岗人员/放宽请假安排后重试。",
            icon=":material/error:",
        )
        return
    s = result.summary()
    m = st.columns(5)
    m[0].metric(
        "求解状态",
        {"OPTIMAL": "最优", "FEASIBLE": "可行"}.get(result.status, result.status),
        border=True,
        help=f"相对差距 {s['gap']:.4f}" if s["gap"] is not None else None,
    )
    m[1].metric("缺口时段", s["shortfall_slots"], border=True)
    m[2].metric("周末值班极差", s["weekend_duty_spread"], border=True)
    m[3].metric("工时/需求", f"{(s['paid_to_required'] or 0):.2f}", border=True)
    if ver:
        m[4].metric("仿真验证达标时段", f"{ver['slots_meeting_target']}/{ver['open_slots']}", border=True)
    if result.shortfall:
        st.warning(
            f"人员不足:{len(result.shortfall)} 个时段缺 {result.shortfall_total} 个窗口·时段,明细见下表;"
            "可增加人员或跨组培训。",
            icon=":material/warning:",
        )
        st.dataframe(
            pd.DataFrame(
                [
                    {"窗口组": g, "日期": d, "时段": min_to_hm(t), "缺少窗口": n}
                    for g, d, t, n in result.shortfall_list()
                ]
            ),
            hide_index=True,
            width="stretch",
            key="roster_short",
        )
    if cert is not None:
        (st.success if cert.fit else st.warning)(
            cert.text, icon=":material/verified:" if cert.fit else ":material/warning:"
        )
    if result.leave_refused:
        st.info(
            "以下请假因会使AB岗无人在岗而未批准:"
            + "、".join(f"{p}({d.month}月{d.day}日)" for p, d in result.leave_refused)
        )
    if result.ab_gaps:
        st.warning(
            "AB岗缺岗(本人和备岗人员都不在岗):" + "、".join(f"{p}({d.month}月{d.day}日)" for p, d in result.ab_gaps),
            icon=":material/warning:",
        )
    if s["pending_comp_rest"]:
        st.caption(f"{len(s['pending_comp_rest'])} 次周末值班的调休落在排班期之后,请在下一期安排。")
    st.markdown(
        "**排班表**(D 全天;D1/D2 错峰午休;AM 上午;PM 下午;W 周末班;调 调休;假 请假;休 休息;“·户籍”表示到其他窗口组支援)"
    )
    st.dataframe(grid(result, people), hide_index=True, width="stretch", key="roster_grid")
    if ver:
        slots = pd.DataFrame(ver["slots"])
        failed = slots[~slots["pass"]]
        st.markdown(
            f"**仿真验证**:{ver['reps']} 次重复,{ver['slots_meeting_target']}/{ver['open_slots']} "
            "个开放时段达到服务目标。"
        )
        g = st.selectbox("查看窗口组", sorted(slots["group"].unique()), key="roster_ver_group")
        view = slots[slots["group"] == g].assign(
            日期=lambda d: d["date"].str[5:] + d["weekday_cn"],
            结果=lambda d: d["pass"].map({True: "达标", False: "未达标"}),
        )
        import altair as alt

        st.altair_chart(
            alt.Chart(view)
            .mark_rect(stroke="white")
            .encode(
                x=alt.X("slot_start:O", title="时段"),
                y=alt.Y(
                    "日期:O", sort=list(dict.fromkeys(view["日期"])), title=None, axis=alt.Axis(labelOverlap=False)
                ),
                color=alt.Color("结果:N", scale=alt.Scale(domain=["达标", "未达标"], range=["#a5d6a7", "#c62828"])),
                tooltip=[
                    "日期",
                    alt.Tooltip("slot_start:N", title="时段"),
                    alt.Tooltip("on_duty:Q", title="在岗人数"),
                    alt.Tooltip("required:Q", title="需求窗口"),
                    alt.Tooltip("service_level:Q", title="达标率", format=".0%"),
                    "结果",
                ],
            )
            .properties(height=max(160, 18 * view["日期"].nunique())),
            width="stretch",
        )
        names = {
            "group": "窗口组",
            "date": "日期",
            "weekday_cn": "星期",
            "slot_start": "时段",
            "required": "需求窗口",
            "on_duty": "在岗人数",
            "customers": "取号人次",
            "service_level": "达标率",
            "mean_wait": "平均等候(分钟)",
            "pass": "达标",
        }
        only_failed = st.checkbox("只列出未达标时段", value=True, key="roster_only_failed")
        table = failed if only_failed else slots
        if len(table):
            st.dataframe(
                table.assign(**{"pass": table["pass"].map({True: "是", False: "否"})}).rename(columns=names),
                hide_index=True,
                width="stretch",
                key="roster_failed",
            )
        else:
            st.success("所有开放时段均达到服务目标。")
    st.download_button(
        "下载排班表(xlsx)",
        data=roster_bytes(result, people, shifts, ver, target.definition(), cert),
        file_name="排班表.xlsx",
        mime=XLSX_MIME,
        key="roster_dl",
        on_click="ignore",
        icon=":material/download:",
    )
