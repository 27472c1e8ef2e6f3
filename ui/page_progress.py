"""进展填报 page: download templates, upload filled sheets (many at once), review, confirm, history."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from tasks.accounts import allowed
from ui.auth import acting_account, page_guard
from ui.common import (
    XLSX_MIME,
    current_actor,
    current_as_of,
    flash,
    get_store,
    guard,
    md,
    page_header,
    plan_picker,
    plan_units,
    show_error,
    unit_scope,
    uploads_frame,
)

page_guard(__file__)  # the page checks its role itself (also when run directly)
page_header("进展填报", "各单位下载本单位填报模板,在 Excel 中填写后上传;系统逐行检查,确认后保存。")

store = get_store()
tab_tpl, tab_up, tab_hist = st.tabs(["下载模板", "上传填报表", "上传记录"])

with tab_tpl, guard("生成填报模板"):
    from tasks.progress import all_templates_zip, template_bytes, template_filename

    plan_key = plan_picker(store, key="prog_plan")
    if plan_key:
        period = st.text_input(
            "报告期(月份)", value=current_as_of().strftime("%Y-%m"), key="prog_period", help="格式如 2021-09"
        )
        from tasks.store import parse_period

        period = parse_period(period, "month").key
        unit_counts = plan_units(store, plan_key)
        units = list(unit_counts)
        scope = unit_scope()
        if scope:  # a unit account: its own template only
            units = [u for u in units if u == scope]
        c1, c2 = st.columns([3, 2])
        unit = c1.selectbox("单位", units, key="prog_unit")
        if unit:
            n = unit_counts[unit]
            c1.caption(f"{md(unit)}在本计划中有 {n} 项牵头或责任任务。")
            c1.download_button(
                "下载本单位模板",
                data=lambda: template_bytes(store, unit, period, plan_key),
                file_name=template_filename(unit, period),
                mime=XLSX_MIME,
                key="prog_dl_one",
                icon=":material/download:",
                on_click="ignore",
            )
        if not scope:
            c2.download_button(
                f"下载全部 {len(units)} 个单位的模板(zip)",
                data=lambda: all_templates_zip(store, period, plan_key),
                file_name=f"{period}_进度填报模板.zip",
                mime="application/zip",
                key="prog_dl_all",
                icon=":material/folder_zip:",
                on_click="ignore",
            )

with tab_up:
    round_ = st.session_state.get("prog_round", 0)
    files = st.file_uploader(
        "上传填报表(可一次选择多个 xlsx/csv 文件)",
        type=["xlsx", "csv"],
        accept_multiple_files=True,
        key=f"prog_files_{round_}",
    )
    with st.expander("非模板表格的补充信息(使用本系统模板时不必填写)"):
        c1, c2, c3 = st.columns(3)
        extra_unit = c1.selectbox("填报单位", [""] + store.units(), key="prog_extra_unit")
        extra_period = c2.text_input("报告期", key="prog_extra_period", placeholder="如 2021-09")
        extra_plan = c3.selectbox("计划", [""] + [p.key for p in store.plans()], key="prog_extra_plan")
    if files:
        from tasks.progress import commit_upload, validate_upload

        reports = []
        for f in files:
            try:
                rep = validate_upload(
                    store,
                    f.getvalue(),
                    f.name,
                    unit=extra_unit or None,
                    period=extra_period or None,
                    plan=extra_plan or None,
                    today=date.today(),
                )
            except Exception as exc:
                st.markdown(f"**{md(f.name)}**")
                show_error(exc)
                continue
            reports.append(rep)
            if rep.duplicate:
                st.info(md(rep.summary()), icon=":material/content_copy:")
            elif rep.problems:
                st.error(
                    f"{md(rep.filename)}({md(rep.unit or '单位未知')}):发现 {len(rep.problems)} 处问题,"
                    "整个文件不会保存,请按下表修改后重新上传。",
                    icon=":material/error:",
                )
                problems = pd.DataFrame(
                    [{"工作表": p.sheet, "行": p.row, "列": p.column, "问题": p.reason} for p in rep.problems]
                )
                st.dataframe(problems, hide_index=True, width="stretch")
                from ui.tables import xlsx_download

                xlsx_download(
                    problems,
                    f"{rep.filename}问题清单",
                    f"prog_problems_xlsx_{len(reports)}",
                    label="下载问题清单(Excel,按此修改)",
                )
            else:
                st.success(md(rep.summary()), icon=":material/task_alt:")
                with st.expander(f"预览 {rep.filename} 的 {len(rep.rows)} 行"):
                    st.dataframe(
                        pd.DataFrame(
                            [
                                {
                                    "任务编号": r.task_id,
                                    "状态": r.status,
                                    "完成进度(%)": r.percent,
                                    "进展情况": r.progress,
                                    "填报日期": r.report_date,
                                    "报告期": r.period,
                                }
                                for r in rep.rows
                            ]
                        ),
                        hide_index=True,
                        width="stretch",
                    )
        good = [r for r in reports if r.ok]
        if good and st.button(f"确认保存 {len(good)} 个检查通过的文件", type="primary", key="prog_confirm"):
            saved = []
            with guard("保存填报"):
                for rep in good:
                    if commit_upload(store, rep, actor=current_actor()) is not None:
                        saved.append(f"{rep.unit} {rep.filename}({len(rep.rows)} 行)")
            if saved:
                flash("已保存:" + ";".join(saved))
                st.session_state["prog_round"] = round_ + 1
                st.rerun()

with tab_hist, guard("读取上传记录"):
    ups = uploads_frame(store)  # cached until the data changes
    if ups.empty:
        st.info("还没有上传记录。")
    else:
        df = ups.rename(
            columns={
                "unit": "单位",
                "person": "填报人",
                "filename": "文件",
                "period": "报告期",
                "uploaded_at": "上传时间",
                "rows": "行数",
                "actor": "操作人",
            }
        )
        unit_f = st.selectbox("单位", ["全部"] + sorted(df["单位"].unique()), key="prog_hist_unit")
        if unit_f != "全部":
            df = df[df["单位"] == unit_f]
        history = df[["上传时间", "单位", "报告期", "文件", "行数", "填报人", "操作人"]].sort_values(
            "上传时间", ascending=False
        )
        st.dataframe(history, hide_index=True, width="stretch")
        from ui.tables import xlsx_download

        xlsx_download(history, "上传记录", "prog_hist_xlsx")

if allowed(acting_account(), "load_plan"):  # demo uploads for many units: the office only
    with st.expander("演示数据(示例)"):
        st.caption(
            "为内置的2021年示例计划载入2021年9–12月的示例填报(数值为虚构,部分单位迟报或漏报),"
            "用于体验总览、红黄牌、排名和“截至日期”回看。只在该计划尚无填报时可用。"
        )
        with guard("载入演示数据"):
            from tasks.progress import load_demo

            demo_plan = next((p.key for p in store.plans() if "耒阳" in p.key and p.tasks), None)
            has_reports = bool(demo_plan) and bool(store.reports(plan=demo_plan))
            if st.button("载入演示填报数据", key="prog_demo", disabled=not demo_plan or has_reports) and demo_plan:
                bar = st.progress(0.0, text="正在载入演示数据…")

                def step(i: int, n: int) -> None:
                    bar.progress(i / n, text=f"已处理 {i}/{n} 份")

                n_saved, _problems = load_demo(store, demo_plan, actor=current_actor(), progress=step)
                flash(f"已载入 {n_saved} 份演示填报(2021年9–12月)。可在“总览”把截至日期设为 2021-12-10 查看。")
                st.rerun()
