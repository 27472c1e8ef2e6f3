"""Parts of the 任务 page: timeline, one task's detail and history, the predecessor editor."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tasks import Plan
from ui.common import STATUS_COLORS, current_actor, current_as_of, flash, get_snapshot, log, md, short_plan_names

TIMELINE_LIMIT = 300


def timeline_chart(store, plans: dict[str, Plan], shown: pd.DataFrame) -> None:
    """Gantt-like view: a bar from the plan date to each deadline, milestones as ticks, reported %."""
    import altair as alt  # the chart library only when the view is opened (it costs a first load)

    dated = shown.dropna(subset=["完成时限"])
    if dated.empty:
        st.info("筛选结果中没有带完成日期的任务(长期任务不在时间轴上显示)。")
        return
    if len(dated) > TIMELINE_LIMIT:
        st.caption(f"任务较多,时间轴只显示完成时限最早的 {TIMELINE_LIMIT} 项;可用上方筛选缩小范围。")
        dated = dated.sort_values("完成时限").head(TIMELINE_LIMIT)
    percent = _percents(store)
    starts = _plan_starts(store)
    by_id = {(k, t.id): t for k, p in plans.items() for t in p.tasks}
    names = short_plan_names(sorted(set(dated["计划"])))
    several = len(names) > 1
    dated = dated.assign(_plan_order=dated["计划"].map({k: i for i, k in enumerate(plans)}))
    dated = dated.sort_values(["_plan_order", "完成时限"], kind="stable")  # bars grouped by plan
    rows, marks = [], []
    for _, r in dated.iterrows():
        plan = plans.get(r["计划"])
        begin = starts.get(r["计划"]) or (plan.date if plan and plan.date else None)
        start = pd.Timestamp(begin) if begin else dated["完成时限"].min() - pd.Timedelta(days=90)
        label = (f"{names[r['计划']]} · " if several else "") + f"{r['编号']} {str(r['任务'])[:18]}"
        rows.append(
            {
                "任务": label,
                "计划": names[r["计划"]],
                "开始": min(start, r["完成时限"]),
                "完成时限": r["完成时限"],
                "状态": r["状态"] or "未填报",
                "进度": percent.get((r["计划"], r["编号"]), 0.0),
                "牵头单位": r["牵头单位"],
            }
        )
        task = by_id.get((r["计划"], r["编号"]))
        if task:
            for m in task.milestones:
                if m.date:
                    marks.append({"任务": label, "日期": pd.Timestamp(m.date), "节点": m.text})
    df = pd.DataFrame(rows)
    order = list(df["任务"])
    height = max(160, 22 * len(df))
    colors = alt.Scale(
        domain=list(STATUS_COLORS)[:-1] + ["未填报"], range=list(STATUS_COLORS.values())[:-1] + ["#9e9e9e"]
    )
    lo, hi = df["开始"].min(), df["完成时限"].max() + pd.Timedelta(days=30)
    as_of = pd.Timestamp(current_as_of())
    x_scale = alt.Scale(domain=[lo, max(hi, as_of) if as_of - hi < pd.Timedelta(days=400) else hi])
    y = alt.Y("任务:N", sort=order, title=None, axis=alt.Axis(labelLimit=260, labelOverlap=False))
    base = alt.Chart(df).encode(y=y)
    bars = base.mark_bar(opacity=0.35).encode(
        # the axis in numbers (Vega's default names months in English: "April", "Jul")
        x=alt.X("开始:T", title="日期", scale=x_scale, axis=alt.Axis(format="%Y-%m", labelOverlap=True)),
        x2="完成时限:T",
        color=alt.Color("状态:N", scale=colors),
        tooltip=[
            "计划",
            "任务",
            "牵头单位",
            "状态",
            alt.Tooltip("开始:T", format="%Y-%m-%d"),
            alt.Tooltip("完成时限:T", format="%Y-%m-%d"),
            alt.Tooltip("进度:Q", format=".0f"),
        ],
    )
    ends = base.mark_point(shape="diamond", filled=True, size=70).encode(
        x="完成时限:T", color=alt.Color("状态:N", scale=colors)
    )
    text = (
        base.mark_text(align="left", dx=6, fontSize=10)
        .transform_filter(alt.datum.进度 > 0)
        .encode(x="完成时限:T", text=alt.Text("进度:Q", format=".0f"))
    )
    layers = [bars, ends, text]
    if marks:
        layers.append(
            alt.Chart(pd.DataFrame(marks))
            .mark_tick(color="#333", thickness=2, size=14)
            .encode(x="日期:T", y=y, tooltip=["节点", alt.Tooltip("日期:T", format="%Y-%m-%d")])
        )
    if as_of <= x_scale.domain[1]:
        layers.append(
            alt.Chart(pd.DataFrame({"日期": [as_of]})).mark_rule(color="#b22222", strokeDash=[4, 3]).encode(x="日期:T")
        )
    st.altair_chart(alt.layer(*layers).properties(height=height), width="stretch")
    st.caption(
        "色条:所属计划的开始日期(印发或首个报告期)至完成时限,按计划分组;◆ 完成时限;竖线 阶段节点;数字为最近一次填报的完成进度(%);"
        "红色虚线为截至日期(远晚于各项时限时不画)。"
    )


def _plan_starts(store) -> dict:
    from tasks.board import plan_starts

    try:
        return plan_starts(get_snapshot(store))
    except ImportError:
        return {}


def _percents(store) -> dict[tuple[str, str], float]:
    try:
        snap = get_snapshot(store)
    except ImportError:
        return {}
    return {(s.plan, s.id): s.percent for s in snap.statuses}


def history_table(store, plans: dict[str, Plan], shown: pd.DataFrame) -> None:
    """One task's fields, its status as of the date, and every progress report on it."""
    if shown.empty:
        st.info("筛选结果为空。")
        return
    options = [f"{p}|{i}" for p, i in zip(shown["计划"], shown["编号"])]
    titles = dict(zip(options, shown["任务"].astype(str)))
    if st.session_state.get("tasks_detail_pick") not in options:
        st.session_state.pop("tasks_detail_pick", None)  # filtered out meanwhile
    pick = st.selectbox(
        "选择任务",
        options,
        key="tasks_detail_pick",
        format_func=lambda o: f"{o.split('|', 1)[1]} {titles.get(o, '')[:30]}({o.split('|', 1)[0]})",
    )
    plan_key, task_id = pick.split("|", 1)
    task = plans[plan_key].task(task_id)
    c1, c2 = st.columns(2)
    # user text is escaped (md) or plain text: no outside images, no fake coloured notices
    c1.markdown(f"**{md(task.id)}. {md(task.title)}**")
    c1.text(task.description or "")
    c2.markdown(
        f"**板块** {md(task.section or '—')}  \n**牵头单位** {md('、'.join(task.lead_units) or '—')}  \n"
        f"**责任单位** {md('、'.join(task.responsible_units) or '—')}  \n"
        f"**完成时限** {md(task.deadline_text or '—')}({task.deadline or '无具体日期'})  \n"
        f"**前置任务** {md('、'.join(task.predecessors) or '无')}  \n**出处** {md(task.source.label())}"
    )
    for m in task.milestones:
        c2.caption(f"节点:{m.date or '—'} {md(m.text)}")
    try:
        snap = get_snapshot(store)
    except ImportError:
        st.info("进展跟踪模块尚未就绪,暂不显示状态与填报历史。")
        return
    try:
        s = snap.by_id(task_id, plan_key)
    except KeyError:
        return
    st.markdown(
        f"**截至 {snap.as_of} 的状态:{s.status_label}**"
        + (f" · {md(s.card_name)}({md(s.card_reason)})" if s.card else "")
    )
    from tasks.errors import WorkbenchError
    from tasks.progress.card_guard import guarded_card_history
    from tasks.progress.card_history import history_table as card_rows

    try:  # 预警牌履历: issued, changed, closed, with the rule and any appeal (a unit sees its own tasks)
        cards = guarded_card_history(store, plan_key, task_id)
    except WorkbenchError:  # not this account's task: nothing to show
        cards = []
    if cards:
        st.markdown("**预警牌履历**")
        st.dataframe(pd.DataFrame(card_rows(cards)), hide_index=True, width="stretch")
    hist = store.task_reports(plan_key, task_id, as_of=snap.as_of)  # the task's own rows, not a whole history
    if not hist:
        st.caption("尚无填报记录。")
        return
    reports = pd.DataFrame(
        [
            {
                "填报日期": r.report_date,
                "报告期": r.period,
                "单位": r.unit,
                "状态": r.status,
                "完成进度(%)": r.percent,
                "进展情况": r.progress,
                "存在问题": r.problems,
                "下步计划": r.next_steps,
            }
            for r in reversed(hist)
        ]
    )
    st.dataframe(reports, hide_index=True, width="stretch")
    from ui.tables import xlsx_download

    xlsx_download(reports, f"任务{task_id}填报记录", "tasks_history_xlsx", title=f"任务 {task_id} 填报记录")


def predecessor_editor(store, plan_key: str, plan: Plan, shown: pd.DataFrame) -> None:
    """Edit predecessors in a table (or one task at a time); loops and unknown ids are refused before saving."""
    ids = set(shown["编号"])
    titles = {t.id: t.title for t in plan.tasks}
    base = pd.DataFrame(
        [
            {"编号": t.id, "任务": t.title, "完成时限": t.deadline, "前置任务": "、".join(t.predecessors)}
            for t in plan.tasks
            if t.id in ids
        ]
    )
    st.caption("在“前置任务”列填写任务编号,多个用顿号分隔(如“3、5”)。保存前会检查循环依赖和时限倒挂。")
    editor_key = f"pred_editor_{plan_key}_{st.session_state.get('pred_round', 0)}"
    edited = st.data_editor(
        base,
        key=editor_key,
        hide_index=True,
        width="stretch",
        disabled=["编号", "任务", "完成时限"],
        column_config={"完成时限": st.column_config.DateColumn(format="YYYY-MM-DD")},
    )
    changes = {
        r["编号"]: str(r["前置任务"] or "")
        for (_, r), (_, b) in zip(edited.iterrows(), base.iterrows())
        if str(r["前置任务"] or "") != str(b["前置任务"] or "")
    }
    with st.expander("逐项修改", expanded=False):
        c1, c2 = st.columns([2, 3])
        one = c1.selectbox(
            "任务",
            [""] + list(base["编号"]),
            key="pred_one_task",
            format_func=lambda i: f"{i} {titles.get(i, '')[:24]}" if i else "(选择任务)",
        )
        text = c2.text_input("前置任务编号", key="pred_one_text", placeholder="如:3、5;留空表示无前置任务")
        if one and st.button("检查此项", key="pred_one_check"):
            st.session_state["pred_one_pending"] = {one: text}
        pending = st.session_state.get("pred_one_pending") or {}
        if pending and not changes:
            changes = dict(pending)
    if not changes:
        return
    from tasks.graph import review_changes  # networkx only once there is a change to check

    trial, blocking, warnings = review_changes(plan, changes)
    st.write(f"待保存的修改:{len(changes)} 项任务")
    for msg in blocking:
        st.error(msg, icon=":material/block:")
    for msg in warnings:
        st.warning(msg, icon=":material/warning:")
    if blocking:
        st.error("存在上述问题,修改未保存。请改正标红的前置任务后再保存。")
        return
    confirm = True
    if warnings:
        confirm = st.checkbox("我已知晓时限倒挂,仍然保存", key="pred_accept_inversions")
    if st.button("保存前置任务", type="primary", key="pred_save", disabled=not confirm):
        for tid in changes:
            store.set_predecessors(plan_key, tid, trial.task(tid).predecessors, actor=current_actor())
        log.info("predecessors saved for %s: %s", plan_key, changes)
        st.session_state["pred_round"] = st.session_state.get("pred_round", 0) + 1
        st.session_state.pop("pred_one_pending", None)
        flash(f"已保存 {len(changes)} 项任务的前置任务。")
        st.rerun()
