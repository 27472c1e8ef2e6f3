"""导入 page: upload a task table or policy document, preview what was read, fix, commit to the store."""
from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from tasks.model import Plan
from ui.common import DEADLINE_KIND_CN, current_actor, flash, get_store, guard, page_header, show_error

page_header("导入", "上传任务分解表(xlsx/xls/csv)或政策文件(docx/txt/html),核对识别结果,修正后导入为新计划或更新已有计划。")

KINDS = ["xlsx", "xls", "xlsm", "csv", "docx", "txt", "html", "htm"]
EDIT_COLS = ["编号", "板块", "任务", "具体内容", "牵头单位", "责任单位", "完成时限", "前置任务"]


@st.cache_data(show_spinner="正在识别文件…", max_entries=8)
def read_upload(name: str, data: bytes) -> Plan:
    """:func:`tasks.importers.load_plan` on an uploaded file (cached by content)."""
    from tasks.importers import load_plan

    with tempfile.TemporaryDirectory() as d:
        # keep the user's file name: some importer messages name the file on disk
        safe = Path(name).name.replace("\x00", "") or "upload"
        path = Path(d) / safe
        path.write_bytes(data)
        return load_plan(path, display_name=name)


def editable(plan: Plan) -> pd.DataFrame:
    return pd.DataFrame([{"编号": t.id, "板块": t.section, "任务": t.title, "具体内容": t.description,
                          "牵头单位": "、".join(t.lead_units), "责任单位": "、".join(t.responsible_units),
                          "完成时限": t.deadline_text, "前置任务": "、".join(t.predecessors)} for t in plan.tasks],
                        columns=EDIT_COLS)


#: editor column → :func:`tasks.importers.common.reread_rows` cell name
EDIT_FIELDS = {"编号": "id", "板块": "section", "任务": "title", "具体内容": "description", "牵头单位": "lead",
               "责任单位": "responsible", "完成时限": "deadline", "前置任务": "predecessors"}


def apply_fixes(plan: Plan, before: pd.DataFrame, after: pd.DataFrame) -> Plan:
    """The plan with edited rows re-read by the importer's own cell rules (units split, deadline parsed)."""
    from tasks.importers.common import reread_rows

    edits = {i: {EDIT_FIELDS[c]: v for c, v in a.items()}  # type: ignore[index]
             for i, (b, a) in enumerate(zip(before.to_dict("records"), after.to_dict("records"))) if b != a}
    return reread_rows(plan, edits)


def used_text(plan: Plan) -> str:
    u = plan.used or {}
    if "sheet" in u:
        rows = u.get("rows") or ["?", "?"]
        return f"工作表“{u['sheet']}”第{rows[0]}–{rows[-1]}行(表头在第{u.get('header_row', '?')}行)"
    layouts = u.get("layouts") or []
    if layouts:
        return ";".join(f"{x.get('label', x.get('layout'))} {x.get('where', '')} {x.get('tasks', '')}项"
                        for x in layouts)
    return ""


round_ = st.session_state.get("imp_round", 0)
up = st.file_uploader("选择文件", type=KINDS, key=f"imp_file_{round_}")
if up is None:
    st.info("支持带标题行、合并单元格、板块行、多工作表的任务分解表,以及附件表、“牵头单位:”分段、正文括注三种政策文件写法。")
    st.stop()

data = up.getvalue()
try:
    plan = read_upload(up.name, data)
except Exception as exc:
    show_error(exc)
    st.caption("文件未导入,库中数据未作任何改动。")
    st.stop()

with guard("显示识别结果"):
    st.subheader(plan.title or up.name)
    meta = [f"共识别 {len(plan.tasks)} 项任务"]
    if plan.issuer:
        meta.append(f"发文单位:{plan.issuer}")
    if plan.date:
        meta.append(f"日期:{plan.date.isoformat()}")
    if used_text(plan):
        meta.append(f"读取范围:{used_text(plan)}")
    st.caption(" · ".join(meta))

    digest = hashlib.sha256(data).hexdigest()[:16]
    before = editable(plan)
    st.markdown("**识别结果**(可直接在表中修改;修改的行会按导入规则重新拆分单位、解析时限)")
    after = st.data_editor(before, key=f"imp_edit_{digest}", hide_index=True, width="stretch",
                           num_rows="fixed", disabled=["编号"],
                           column_config={"具体内容": st.column_config.TextColumn(width="large")})
    fixed = apply_fixes(plan, before, after)
    parsed = pd.DataFrame([{"编号": t.id, "解析后时限": t.deadline, "时限类型": DEADLINE_KIND_CN.get(t.deadline_kind),
                            "阶段节点": ";".join(f"{m.date or '—'} {m.text}" for m in t.milestones),
                            "牵头单位(规范名)": "、".join(t.lead_units_canonical or t.lead_units),
                            "集合单位": "、".join(t.collective_units)} for t in fixed.tasks])
    with st.expander("解析结果(时限、阶段节点、单位规范名)"):
        st.dataframe(parsed, hide_index=True, width="stretch")
    if fixed.warnings:
        st.warning(f"有 {len(fixed.warnings)} 条提示需要核对(无法识别的时限、正文与附件表不一致等):",
                   icon=":material/warning:")
        st.dataframe(pd.DataFrame({"提示": fixed.warnings}), hide_index=True, width="stretch", key="imp_warn")
    else:
        st.success("没有需要核对的问题。", icon=":material/task_alt:")

    st.subheader("导入到库")
    store = get_store()
    existing = [p["key"] for p in store.plans()]
    mode = st.radio("方式", ["作为新计划", "更新已有计划"], horizontal=True, key="imp_mode",
                    help="更新时按任务编号对应:新编号新增,已有编号更新,表中没有的编号归档(历史填报保留)")
    if mode == "作为新计划":
        key = st.text_input("计划名称", value=plan.title or Path(up.name).stem, key=f"imp_key_{digest}").strip()
        clash = key in existing
        if clash:
            st.error(f"库中已有名为“{key}”的计划。请换一个名称,或选择“更新已有计划”。")
    else:
        clash = False
        key = st.selectbox("要更新的计划", existing, key="imp_target") if existing else ""
        if not existing:
            st.info("库中还没有计划,请选择“作为新计划”。")
    if st.button("导入", type="primary", key="imp_commit", disabled=not key or clash):
        with guard("导入到库"):
            result = store.load_plan_into_store(fixed, actor=current_actor(), key=key)
            msg = result.summary() + ("。" + ";".join(result.warnings) if result.warnings else "")
            flash(msg)
            st.session_state["imp_round"] = round_ + 1
            st.rerun()
