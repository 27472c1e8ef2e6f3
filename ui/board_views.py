"""Parts of the 总览 board (tasks.board computes, these only show): task tables, the lagging units, the
trend chart, a task's read-only detail, and the per-unit printouts.

Links to other pages are offered only when the viewer's role may open them (:func:`ui.auth.role_may_see`).
"""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from tasks.board import BoardRow, LaggingUnit, TrendPoint
from ui.common import md, selected_row, short_plan_names
from ui.tables import xlsx_download

DASH = "—"
TASKS_PAGE, UNITS_PAGE = "ui/page_tasks.py", "ui/page_units.py"


def may_open(script: str) -> bool:
    """True when the logged-in account's role may open the page ``script``."""
    from ui.auth import acting_account, role_may_see

    account = acting_account()
    return account is not None and role_may_see(account.role, script)


def rows_frame(rows: list[BoardRow], plans_shown: int, *, days: str = "overdue") -> pd.DataFrame:
    """Board rows for display: plan (short name, only when several plans are shown), status, progress,
    deadline and card first, long text last; nothing shows as ``—``."""
    names = short_plan_names(sorted({r.plan for r in rows}))
    out = []
    for r in rows:
        rec: dict[str, object] = {}
        if plans_shown > 1:
            rec["计划"] = names.get(r.plan, r.plan)
        rec.update(
            {
                "编号": r.id,
                "状态": r.status_label or DASH,
                "进度": f"{r.percent:g}%",
                "完成时限": r.deadline.isoformat() if r.deadline else (r.deadline_text or DASH),
                "预警": r.card_name or DASH,
            }
        )
        if days == "overdue":
            rec["逾期天数"] = r.overdue_days
        else:
            rec["剩余天数"] = r.days_left if r.days_left is not None else DASH
        rec.update({"牵头单位": r.lead_units or DASH, "原因": r.reason or DASH, "任务": r.title or DASH})
        out.append(rec)
    return pd.DataFrame(out)


def pick_task(
    rows: list[BoardRow], plans_shown: int, key: str, *, days: str = "overdue", title: str = ""
) -> BoardRow | None:
    """A selectable table of ``rows`` with its Excel download (named ``title``); returns the picked row (or None)."""
    df = rows_frame(rows, plans_shown, days=days)
    ev = st.dataframe(
        df,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=key,
        column_config={
            "任务": st.column_config.TextColumn(width="large"),
            "原因": st.column_config.TextColumn(width="medium"),
        },
    )
    xlsx_download(df, title or "任务清单", f"{key}_xlsx")
    i = selected_row(ev)
    return rows[i] if i is not None and i < len(rows) else None


def lagging_table(units: list[LaggingUnit], key: str) -> str | None:
    """The lagging units with their figures; returns the picked unit's name (or None)."""
    df = pd.DataFrame(
        [
            {
                "名次": f"{u.rank}/{u.units_ranked}",
                "单位": u.unit,
                "得分": f"{u.score:g}",
                "牵头任务": u.led,
                "逾期": u.overdue,
                "有风险": u.at_risk,
                "预警": u.cards,
                "未报送": u.missed,
                "迟报": u.late,
                "报送率": f"{u.compliance:.0%}" if u.compliance is not None else DASH,
            }
            for u in units
        ]
    )
    ev = st.dataframe(df, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row", key=key)
    xlsx_download(df, "落后单位", f"{key}_xlsx")
    i = selected_row(ev)
    return units[i].unit if i is not None and i < len(units) else None


def trend_chart(points: list[TrendPoint], sentence: str) -> None:
    """Done and overdue tasks by month (bars) beside 报送率 by month (line), then the one-line conclusion."""
    if not points:
        st.info("尚无可比较的月份。")
        return
    order = [p.label for p in points]
    counts = pd.DataFrame(
        [
            {"月份": p.label, "指标": name, "任务数": v}
            for p in points
            for name, v in (("已办结", p.done), ("逾期", p.overdue))
        ]
    )
    x = alt.X("月份:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelOverlap=False))
    bars = (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=x,
            xOffset=alt.XOffset("指标:N", sort=["已办结", "逾期"]),
            y=alt.Y("任务数:Q", title="任务数(项)"),
            color=alt.Color(
                "指标:N",
                scale=alt.Scale(domain=["已办结", "逾期"], range=["#2e7d32", "#c62828"]),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=["月份", "指标", "任务数"],
        )
        .properties(height=220, title="已办结与逾期任务")
    )
    rates = pd.DataFrame([{"月份": p.label, "报送率": p.compliance} for p in points if p.compliance is not None])
    c1, c2 = st.columns(2)
    c1.altair_chart(bars, width="stretch")
    if rates.empty:
        c2.info("尚无已到报送期限的月份,报送率暂不计算。")
    else:
        line = (
            alt.Chart(rates)
            .mark_line(point=True, color="#1565c0")
            .encode(
                x=alt.X("月份:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelOverlap=False)),
                y=alt.Y("报送率:Q", title="报送率", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
                tooltip=["月份", alt.Tooltip("报送率:Q", format=".0%")],
            )
            .properties(height=220, title="各月报送率")
        )
        c2.altair_chart(line, width="stretch")
    st.markdown(f"**{sentence}**")


def task_detail(store, snap, plans: dict, row: BoardRow) -> None:
    """One task's fields, state and every progress report on it — read-only, for every role that sees the board."""
    s = next((x for x in snap.statuses if x.plan == row.plan and x.id == row.id), None)
    if s is None:
        st.info("该任务已不在库中。")
        return
    task = None
    plan = plans.get(row.plan)
    if plan is not None:
        task = next((t for t in plan.tasks if t.id == row.id), None)
    with st.container(border=True):
        st.markdown(f"##### 任务详情(只读):{md(s.id)}. {md(s.title)}")
        c1, c2 = st.columns(2)
        c1.markdown(
            f"**计划** {md(s.plan)}  \n**板块** {md(s.section) or DASH}  \n"
            f"**牵头单位** {md('、'.join(s.lead_units)) or DASH}  \n"
            f"**责任单位** {md('、'.join(s.responsible_units)) or DASH}"
        )
        deadline = s.deadline.isoformat() if s.deadline else "无具体日期"
        c2.markdown(
            f"**完成时限** {md(s.deadline_text) or DASH}({deadline})  \n"
            f"**截至 {snap.as_of.isoformat()} 的状态** {s.status_label} · 进度 {s.percent:g}%  \n"
            f"**预警** {md(s.card_name) or '无'}{('(' + md(s.card_reason) + ')') if s.card_reason else ''}  \n"
            f"**最近填报** {s.last_report_date.isoformat() if s.last_report_date else '尚未填报'}"
        )
        if task is not None and task.description:
            st.caption(md(task.description))
        # the task's own rows through the index (the cached snapshot keeps no report history)
        hist = store.task_reports(row.plan, row.id, as_of=snap.as_of)
        if not hist:
            st.caption("尚无填报记录。")
        else:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "填报日期": r.report_date.isoformat(),
                            "报告期": r.period,
                            "单位": r.unit,
                            "状态": r.status or DASH,
                            "完成进度": f"{r.percent:g}%",
                            "进展情况": r.progress or DASH,
                            "存在问题": r.problems or DASH,
                        }
                        for r in reversed(hist)
                    ]
                ),
                hide_index=True,
                width="stretch",
            )


def unit_printouts(snap, units: list[str], key: str) -> None:
    """Pick a unit; download its task list as a print view (HTML) or an official document (Word)."""
    from tasks.board import unit_task_rows
    from tasks.printouts import unit_list_docx, unit_list_html
    from ui.common import DOCX_MIME

    if not units:
        st.info("没有可打印的单位。")
        return
    unit = st.selectbox("单位", units, key=f"{key}_unit")
    rows = unit_task_rows(snap, unit)
    names = short_plan_names(sorted({r.plan for r in rows}))
    as_of: date = snap.as_of
    c1, c2 = st.columns(2)
    c1.download_button(
        "下载打印版(网页,可直接打印或另存为 PDF)",
        data=lambda: unit_list_html(unit, rows, as_of, plan_names=names).encode("utf-8"),  # written on click
        file_name=f"{unit}任务清单.html",
        mime="text/html",
        key=f"{key}_html",
        icon=":material/print:",
        on_click="ignore",
    )
    c2.download_button(
        "下载 Word 版(公文格式)",
        data=lambda: unit_list_docx(unit, rows, as_of, plan_names=names),
        file_name=f"{unit}任务清单.docx",
        mime=DOCX_MIME,
        key=f"{key}_docx",
        icon=":material/article:",
        on_click="ignore",
    )
    st.caption(f"{md(unit)}:牵头或参与任务 {len(rows)} 项。")


def document_preview(data: bytes) -> None:
    """A docx on screen as it reads (title, headings, paragraphs, tables, 落款) before it is downloaded."""
    from core.officedoc import outline

    with st.container(border=True):
        for block in outline(data):
            if block.kind == "title":
                st.markdown(f"<h3 style='text-align:center'>{_escape(block.text)}</h3>", unsafe_allow_html=True)
            elif block.kind == "heading":
                st.markdown(f"**{md(block.text)}**")
            elif block.kind == "signature":
                st.markdown(f"<div style='text-align:right'>{_escape(block.text)}</div>", unsafe_allow_html=True)
            elif block.kind == "table" and block.rows:
                head, *body = block.rows
                st.dataframe(
                    pd.DataFrame([list(r) for r in body], columns=_unique(head)), hide_index=True, width="stretch"
                )
            else:
                st.markdown(md(block.text))


def _escape(text: str) -> str:
    """User text inside our own HTML: tags, Markdown and ``:directive[…]`` made inert."""
    import html

    out = html.escape(text)
    for ch, ent in (("[", "&#91;"), ("]", "&#93;"), ("*", "&#42;"), ("_", "&#95;"), ("`", "&#96;"), ("$", "&#36;")):
        out = out.replace(ch, ent)
    return out


def _unique(names) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}{seen[n]}")
    return out
