"""督办 page: units sign, ask for extensions, claim completion with evidence and appeal cards; the office
decides requests, reviews claims, sets each plan's reporting calendar, opens and closes periods, and
compares baselines; leaders (and planners) read it all — state, calendar, periods, baselines, the record —
with no button they could not use.  Every step is a :class:`tasks.accounts.GuardedStore` call (the library
checks roles); the page offers only what :func:`tasks.accounts.allowed` grants the viewer."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

import pandas as pd
import streamlit as st

from tasks.accounts import allowed
from tasks.progress.lifecycle import STATE_NAMES
from ui.auth import acting_account, page_guard
from ui.common import (
    TABLE_PAGE_ROWS,
    flash,
    get_store,
    guard,
    office_queue,
    page_header,
    page_of,
    plan_picker,
    plan_snapshot,
    unit_scope,
)
from ui.tables import xlsx_download

#: queue items shown at once (each has its own buttons)
QUEUE_PAGE = 20

page_guard(__file__)  # the page checks its role itself (also when run directly)
page_header("督办", "签收 → 办理 → 延期申请/审批 → 申请办结(附佐证材料)→ 办结审核(销号或退回),每一步留痕。")

store = get_store()
account = acting_account()
scope = unit_scope()
plan_key = plan_picker(store, key="sup_plan")
if not plan_key:
    st.stop()

with guard("计算督办状态"):
    snap = plan_snapshot(store, plan_key, date.today())  # recomputed after each step below (it changes the data)
rows = [s for s in snap.statuses if s.plan == plan_key and (scope is None or scope in s.unit_lifecycle)]


def _evidence_bytes(evidence_id: int) -> bytes:
    """Read only when the office clicks download (checked again by the library)."""
    return store.evidence_download(evidence_id)[1]


def _d(x) -> str:
    return x.isoformat() if x else "—"


def _task_label(s) -> str:
    return f"{s.id} {s.title[:30]}"


def status_table(rows: list) -> pd.DataFrame:
    """The 督办状态 table of ``rows`` (one row per task)."""
    return pd.DataFrame(
        [
            {
                "任务编号": s.id,
                "工作要点": s.title,
                "督办状态": s.lifecycle_label,
                "各牵头单位": ";".join(f"{u}:{STATE_NAMES[v]}" for u, v in s.unit_lifecycle.items()) or "—",
                "当前时限": _d(s.deadline),
                "原定时限": _d(s.original_deadline),
                "状态": s.status_label,
                "退回意见": s.returned_note or "—",
                "签收期限": _d(s.sign_due) if s.lifecycle == "pending_sign" else "—",
                "超期未签收": "是" if s.sign_overdue else "",
            }
            for s in rows
        ]
    )


tabs = ["我的任务" if scope else "任务督办状态"]
office = allowed(account, "review_claim")
reader = scope is None and allowed(account, "read_all")  # the office, leaders and planners
if office:
    tabs.append("待办审批")
if reader:
    tabs += ["报送日历与报告期", "基线对比"]
tabs.append("督办记录")
views = dict(zip(tabs, st.tabs(tabs)))

with views[tabs[0]]:
    if not rows:
        st.info("本计划中没有需要本单位牵头办理的任务。" if scope else "本计划还没有任务。")
    else:  # a province's 50,000 tasks a page at a time; the download builds every row when clicked
        first = int(page_of(pd.DataFrame(index=range(len(rows))), TABLE_PAGE_ROWS, key="sup_table_page").index[0])
        st.dataframe(status_table(rows[first : first + TABLE_PAGE_ROWS]), hide_index=True, width="stretch", height=420)
        xlsx_download(
            partial(status_table, rows),
            f"{plan_key}督办状态",
            "sup_table_xlsx",
            title=f"{plan_key} 督办状态({date.today()})",
        )
    mine = [s for s in rows if scope is None or scope in s.unit_lifecycle]
    if scope and mine:
        by_id = {t.id: t for t in mine}
        s = by_id[st.selectbox("选择任务", list(by_id), format_func=lambda i: _task_label(by_id[i]), key="sup_task")]
        state = s.unit_lifecycle.get(scope, "")
        st.markdown(
            f"**任务 {s.id}**:{STATE_NAMES.get(state, state)};当前完成时限 {_d(s.deadline)}"
            f"(原定 {_d(s.original_deadline)})"
        )
        if s.returned_note and state == "in_progress":
            st.warning(f"办公室退回意见:{s.returned_note}", icon=":material/undo:")
        if state == "pending_sign":
            note = st.text_input("签收备注(可不填)", key="sup_sign_note")
            if st.button("签收", type="primary", key="sup_sign"):
                with guard("签收"):
                    store.sign_task(plan_key, s.id, note=note)
                    flash(f"已签收任务 {s.id}")
                    st.rerun()
        elif state == "in_progress":
            c1, c2 = st.columns(2)
            with c1:
                st.subheader("申请延期")
                default_to = (s.deadline or date.today()) + timedelta(days=30)
                to = st.date_input("申请的新完成时限", value=default_to, key="sup_ext_to")
                reason = st.text_area("延期理由", key="sup_ext_reason")
                if st.button("提交延期申请", key="sup_ext", disabled=s.deadline is None):
                    with guard("申请延期"):
                        ev = store.request_extension(plan_key, s.id, to=to, reason=reason)
                        flash(f"延期申请已提交(编号 {ev.id}),等待办公室审批")
                        st.rerun()
            with c2:
                st.subheader("申请办结")
                files = st.file_uploader(
                    "佐证材料(pdf/jpg/png/docx/xlsx,每个不超过 20 MB)",
                    type=["pdf", "jpg", "jpeg", "png", "docx", "xlsx"],
                    accept_multiple_files=True,
                    key=f"sup_ev_{st.session_state.get('sup_round', 0)}",
                )
                note = st.text_area("办结说明", key="sup_claim_note")
                if st.button("提交办结申请", type="primary", key="sup_claim"):
                    with guard("申请办结"):
                        store.claim_done(
                            plan_key, s.id, evidence=[(f.name, f.getvalue()) for f in files or []], note=note
                        )
                        st.session_state["sup_round"] = st.session_state.get("sup_round", 0) + 1
                        flash(f"任务 {s.id} 已申请办结,等待办公室审核")
                        st.rerun()
        elif state == "claimed":
            st.info("已申请办结,等待办公室审核。", icon=":material/hourglass_top:")
        elif state == "closed":
            st.success("已办结(销号)。", icon=":material/task_alt:")
        if s.card:
            with st.expander(f"对{s.card_name}提出申诉"):
                st.caption(f"亮牌原因:{s.card_reason}")
                why = st.text_area("申诉理由", key="sup_appeal_reason")
                if st.button("提交申诉", key="sup_appeal"):
                    with guard("提出申诉"):
                        store.appeal_card(plan_key, s.id, card=s.card, reason=why)
                        flash("申诉已提交,等待办公室处理")
                        st.rerun()

if office:
    with views["待办审批"], guard("读取待办"):
        queue = office_queue(store, plan_key)
        if not queue:
            st.info("没有待审批的延期申请、办结申请或申诉。")
        elif len(queue) > QUEUE_PAGE:
            st.caption(f"共 {len(queue)} 项待办,按提交时间先后显示最早的 {QUEUE_PAGE} 项;办理后自动显示后续各项。")
        names = {"extension": "延期申请", "claim": "办结申请", "appeal": "申诉"}
        files_of: dict[int, list] = {}
        if any(q.kind == "claim" for q in queue[:QUEUE_PAGE]):
            for ev in store.evidence_list(plan_key):
                files_of.setdefault(ev.event_id, []).append(ev)
        for q in queue[:QUEUE_PAGE]:
            with st.container(border=True):
                st.markdown(
                    f"**{names[q.kind]}** · 任务 {q.task} · {q.unit} · {q.at:%Y-%m-%d}"
                    + (f" · 申请至 {q.new_date.isoformat()}" if q.kind == "extension" and q.new_date else "")
                )
                if q.text:
                    st.caption(f"理由/说明:{q.text}")
                k = f"{q.kind}_{q.id}"
                if q.kind == "extension":
                    to = st.date_input("批准的完成时限", value=q.new_date, key=f"sup_to_{k}")
                    note = st.text_input("审批意见(驳回时必填)", key=f"sup_note_{k}")
                    c1, c2 = st.columns(2)
                    if c1.button("批准延期", key=f"sup_ok_{k}", type="primary"):
                        with guard("批准延期"):
                            store.decide_extension(q.id, approve=True, to=to, note=note)
                            flash(f"已批准任务 {q.task} 的延期申请")
                            st.rerun()
                    if c2.button("驳回延期", key=f"sup_no_{k}"):
                        with guard("驳回延期"):
                            store.decide_extension(q.id, approve=False, note=note)
                            flash(f"已驳回任务 {q.task} 的延期申请")
                            st.rerun()
                elif q.kind == "claim":
                    for ev in files_of.get(q.id, []):
                        if ev.event_id == q.id:
                            st.download_button(
                                f"下载佐证材料:{ev.filename}({ev.size // 1024 + 1} KB)",
                                data=partial(_evidence_bytes, ev.id),
                                file_name=ev.filename,
                                mime="application/octet-stream",
                                key=f"sup_dl_{ev.id}",
                                on_click="ignore",
                            )
                    note = st.text_input("审核意见(退回时必填,单位将看到)", key=f"sup_note_{k}")
                    c1, c2 = st.columns(2)
                    if c1.button("审核通过(销号)", key=f"sup_ok_{k}", type="primary"):
                        with guard("审核办结"):
                            store.review_claim(plan_key, q.task, accept=True, note=note, unit=q.unit)
                            flash(f"任务 {q.task}({q.unit})已办结")
                            st.rerun()
                    if c2.button("退回", key=f"sup_no_{k}"):
                        with guard("退回办结申请"):
                            store.review_claim(plan_key, q.task, accept=False, note=note, unit=q.unit)
                            flash(f"已退回任务 {q.task}({q.unit})的办结申请")
                            st.rerun()
                else:
                    note = st.text_input("处理意见", key=f"sup_note_{k}")
                    c1, c2 = st.columns(2)
                    if c1.button("申诉成立(撤销预警)", key=f"sup_ok_{k}"):
                        with guard("处理申诉"):
                            store.decide_appeal(q.id, uphold=True, note=note)
                            st.rerun()
                    if c2.button("驳回申诉", key=f"sup_no_{k}"):
                        with guard("处理申诉"):
                            store.decide_appeal(q.id, uphold=False, note=note)
                            st.rerun()

if reader:
    CYCLES = {"month": "按月", "quarter": "按季度"}
    with views["报送日历与报告期"], guard("设置报送日历" if office else "读取报送日历"):
        cal = store.calendar(plan_key)
        if allowed(account, "set_calendar"):
            c1, c2, c3 = st.columns(3)
            start = c1.date_input("计划起始日(此前的报告期不计未报)", value=cal.start, key="sup_cal_start")
            cycle = c2.selectbox(
                "报送周期",
                list(CYCLES),
                index=0 if cal.cycle == "month" else 1,
                format_func=lambda c: CYCLES[c],
                key="sup_cal_cycle",
            )
            due = c3.number_input(
                "报送截止日(0=期末后宽限期;1–15 次期N日前;16–31 当期N日前)",
                min_value=0,
                max_value=31,
                value=cal.due_day or 0,
                key="sup_cal_due",
            )
            if st.button("保存报送日历", key="sup_cal_save"):
                store.set_calendar(plan_key, start=start, cycle=cycle, due_day=int(due) or None)
                flash("报送日历已保存")
                st.rerun()
        else:  # leaders and planners read the calendar; the office sets it
            st.markdown(
                f"**计划起始日** {_d(cal.start)} · **报送周期** {CYCLES.get(cal.cycle, cal.cycle)} · "
                f"**报送截止日** {f'每期 {cal.due_day} 日' if cal.due_day else '期末后宽限期内'}"
            )
        st.divider()
        periods = store.periods()
        if periods:
            period_table = pd.DataFrame(
                [
                    {
                        "报告期": p.key,
                        "起始": p.start,
                        "截止": p.end,
                        "报送期限": p.due,
                        "状态": "已关闭" if p.closed else "开放",
                    }
                    for p in periods
                ]
            )
            st.dataframe(period_table, hide_index=True, width="stretch")
            xlsx_download(period_table, "报告期", "sup_periods_xlsx")
        else:
            st.info("还没有登记的报告期。")
        c1, c2 = st.columns(2)
        if allowed(account, "open_period"):
            new = c1.text_input("开启报告期(如 2021-09)", key="sup_open", placeholder="如 2021-09")
            if c1.button("开启", key="sup_open_btn") and new:
                from tasks.progress import load_rules

                store.open_period(new, grace_days=load_rules().grace_days)
                flash(f"已开启报告期 {new}")
                st.rerun()
        open_ones = [p.key for p in periods if not p.closed]
        if allowed(account, "close_period") and open_ones:
            shut = c2.selectbox("关闭报告期(关闭时自动冻结基线)", open_ones, key="sup_close")
            if shut and c2.button("关闭", key="sup_close_btn"):
                store.close_period(shut)
                flash(f"已关闭报告期 {shut},并冻结了各计划的基线")
                st.rerun()

    with views["基线对比"], guard("基线对比"):
        bases = store.baselines(plan_key)
        if not bases:
            st.info("本计划还没有冻结的基线。")
        else:
            b = st.selectbox(
                "对比的基线",
                bases,
                format_func=lambda b: f"[{b['id']}] {b['at']:%Y-%m-%d %H:%M} {b['label']}",
                key="sup_base",
            )
            d = store.compare_baseline(plan_key, int(b["id"]))
            c1, c2, c3 = st.columns(3)
            c1.metric("新增任务", len(d["added"]))
            c2.metric("归档任务", len(d["archived"]))
            c3.metric("调整时限", len(d["deadline_moves"]))
            if d["deadline_moves"]:
                moves = pd.DataFrame(
                    [
                        {
                            "任务编号": m["task"],
                            "原时限": m["from"] or "—",
                            "现时限": m["to"] or "—",
                            "天数": m["days"],
                            "依据": f"延期申请 {m['extension']['id']}:{m['extension']['reason']}"
                            if m["extension"]
                            else "—",
                        }
                        for m in d["deadline_moves"]
                    ]
                )
                st.dataframe(moves, hide_index=True, width="stretch")
                xlsx_download(moves, f"{plan_key}时限调整", "sup_moves_xlsx")
            late = [v for v in d["variance"] if v["days_late"]]
            if late:
                st.markdown("**完成偏差(较原定时限)**")
                variance = pd.DataFrame(
                    [
                        {
                            "任务编号": v["task"],
                            "原定时限": v["original_deadline"],
                            "办结日期": v["closed_date"] or "未办结",
                            "晚(天)": v["days_late"],
                        }
                        for v in late
                    ]
                )
                st.dataframe(variance, hide_index=True, width="stretch")
                xlsx_download(variance, f"{plan_key}完成偏差", "sup_variance_xlsx")
        if allowed(account, "freeze_baseline") and st.button("现在冻结一条基线", key="sup_freeze"):
            store.freeze_baseline(plan_key, "手动冻结")
            flash("已冻结基线")
            st.rerun()

with views["督办记录"], guard("读取督办记录"):
    evs = store.lifecycle_events(plan_key)
    if not evs:
        st.info("还没有督办记录。")
    else:
        if len(evs) > 1000:
            st.caption(f"共 {len(evs)} 条记录,显示最近 1000 条(完整记录可用 python -m tasks events 导出)。")
        record = pd.DataFrame(
            [
                {
                    "时间": f"{e.at:%Y-%m-%d %H:%M}",
                    "任务编号": e.task,
                    "单位": e.unit,
                    "事项": e.label,
                    "日期": _d(e.new_date),
                    "操作人": e.actor,
                    "说明": e.note or "—",
                }
                for e in reversed(evs[-1000:])
            ]
        )
        st.dataframe(record, hide_index=True, width="stretch")
        xlsx_download(record, f"{plan_key}督办记录", "sup_record_xlsx")
