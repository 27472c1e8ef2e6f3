"""导入 page: upload a task table or policy document, preview what was read, fix, commit to the store.

The office can read with a saved import profile, see per task the source text each field was taken
from (highlighted), change the reading rules and re-parse the whole document, and save the rules as a
named import profile (database and ``data/import_profiles/``).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from tasks import Plan
from ui.auth import page_guard
from ui.common import DEADLINE_KIND_CN, current_actor, flash, get_store, guard, md, page_header, show_error
from ui.import_views import FIELD_CN, MARK, highlighted

page_guard(__file__)  # the page checks its role itself (also when run directly)
page_header(
    "导入", "上传任务分解表(xlsx/xls/csv)或政策文件(docx/txt/html),核对识别结果,修正后导入为新计划或更新已有计划。"
)

KINDS = ["xlsx", "xls", "xlsm", "csv", "docx", "txt", "html", "htm"]
EDIT_COLS = ["编号", "板块", "任务", "具体内容", "牵头单位", "责任单位", "完成时限", "前置任务"]


@st.cache_data(show_spinner="正在识别文件…", max_entries=8)
def read_upload(name: str, data: bytes, profile_json: str = "") -> Plan:
    """:func:`tasks.importers.load_plan` on an uploaded file (cached by content and profile)."""
    from tasks.importers import load_plan
    from tasks.importers.profiles import profile_from_dict

    profile = profile_from_dict(json.loads(profile_json)) if profile_json else None
    with tempfile.TemporaryDirectory() as d:
        # keep the user's file name: some importer messages name the file on disk
        safe = Path(name).name.replace("\x00", "") or "upload"
        path = Path(d) / safe
        path.write_bytes(data)
        return load_plan(path, display_name=name, profile=profile)


def editable(plan: Plan) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "编号": t.id,
                "板块": t.section,
                "任务": t.title,
                "具体内容": t.description,
                "牵头单位": "、".join(t.lead_units),
                "责任单位": "、".join(t.responsible_units),
                "完成时限": t.deadline_text,
                "前置任务": "、".join(t.predecessors),
            }
            for t in plan.tasks
        ],
        columns=EDIT_COLS,
    )


#: editor column → :func:`tasks.importers.common.reread_rows` cell name
EDIT_FIELDS = {
    "编号": "id",
    "板块": "section",
    "任务": "title",
    "具体内容": "description",
    "牵头单位": "lead",
    "责任单位": "responsible",
    "完成时限": "deadline",
    "前置任务": "predecessors",
}


def apply_fixes(plan: Plan, before: pd.DataFrame, after: pd.DataFrame) -> Plan:
    """The plan with edited rows re-read by the importer's own cell rules (units split, deadline parsed)."""
    from tasks.importers import reread_rows

    edits = {
        i: {EDIT_FIELDS[str(c)]: v for c, v in a.items()}
        for i, (b, a) in enumerate(zip(before.to_dict("records"), after.to_dict("records")))
        if b != a
    }
    return reread_rows(plan, edits)


def used_text(plan: Plan) -> str:
    u = plan.used or {}
    if "sheet" in u:
        rows = u.get("rows") or ["?", "?"]
        return f"工作表“{u['sheet']}”第{rows[0]}–{rows[-1]}行(表头在第{u.get('header_row', '?')}行)"
    layouts = u.get("layouts") or []
    if layouts:
        return ";".join(
            f"{x.get('label', x.get('layout'))} {x.get('where', '')} {x.get('tasks', '')}项" for x in layouts
        )
    return ""


round_ = st.session_state.get("imp_round", 0)
up = st.file_uploader("选择文件", type=KINDS, key=f"imp_file_{round_}")
if up is None:
    st.info(
        "支持带标题行、合并单元格、板块行、多工作表的任务分解表,以及附件表、“牵头单位:”分段、正文括注三种政策文件写法"
        "(含“牵头责任单位/协同责任单位”等复合标签、“排在第一位的部门为牵头部门”、(1)(2)分项、〔〕[]括号、繁体字)。"
        "读错的版式可在识别后调整规则并保存为导入方案。"
    )
    st.stop()

data = up.getvalue()
store = get_store()


def _profiles() -> dict[str, str]:
    """Profile name → where it is kept (文件 / 库), files first."""
    from tasks.importers.profile_store import profile_names
    from tasks.importers.profiles import list_profile_files

    out = dict.fromkeys(list_profile_files(), "文件")
    for n in profile_names(store):
        out[n] = "文件+库" if n in out else "库"
    return out


def _load_profile(name: str):
    from tasks.importers.profiles import find_profile

    return find_profile(name, store=store)


DEFAULT_RULES = "(默认规则)"
known_profiles: dict[str, str] = {}
chosen = DEFAULT_RULES
if "imp_profile_next" in st.session_state:
    st.session_state["imp_profile"] = st.session_state.pop("imp_profile_next")
with guard("读取导入方案"):
    known_profiles = _profiles()
    names = [DEFAULT_RULES] + list(known_profiles)
    chosen = st.selectbox(
        "导入方案",
        names,
        key="imp_profile",
        format_func=lambda n: n if n == DEFAULT_RULES else f"{n}({known_profiles[n]})",
        help="办公室保存的识别规则:哪个标签表示牵头、哪个表示责任,是否以第一个单位为牵头,哪一列是什么",
    )
profile = None
if chosen != DEFAULT_RULES:
    try:
        profile = _load_profile(chosen)
    except Exception as exc:
        show_error(exc)
        st.stop()
rules = st.session_state.get("imp_rules")  # rules edited on this page and applied with 重新识别
if rules is not None and rules.get("_base") == chosen:
    from tasks.importers.profiles import profile_from_dict

    profile = profile_from_dict({k: v for k, v in rules.items() if k != "_base"})


def _profile_json(p) -> str:
    from tasks.importers.profiles import profile_to_dict

    return json.dumps(profile_to_dict(p), ensure_ascii=False, sort_keys=True) if p is not None else ""


plan: Plan | None
try:
    plan = read_upload(up.name, data, _profile_json(profile))
except Exception as exc:
    show_error(exc)
    st.caption("文件未导入,库中数据未作任何改动。可在下方调整识别规则后重新识别。")
    plan = None

with st.expander("调整识别规则(导入方案)", expanded=plan is None or bool(rules)):
    from tasks.importers.profiles import FIRST_LEADS_CHOICES, profile_form_values

    form = profile_form_values(profile)
    tag = hashlib.sha256(f"{chosen}|{_profile_json(profile)}".encode()).hexdigest()[:8]
    st.caption(
        "标签用顿号或逗号分隔,例如“主办单位、主办科室”;列对应每行一条“表头=角色”,"
        "角色为 序号、任务名称、具体内容、牵头单位、责任单位、完成时限、前置任务、备注、忽略 之一。"
    )
    r_lead = st.text_input("表示牵头单位的标签", value=form["lead"], key=f"imp_rule_lead_{tag}")
    r_resp = st.text_input("表示责任单位的标签", value=form["responsible"], key=f"imp_rule_resp_{tag}")
    r_persons = st.text_input("表示责任领导(人员,不是单位)的标签", value=form["persons"], key=f"imp_rule_persons_{tag}")
    r_first = st.radio(
        "未标明牵头/责任的单位列表",
        list(FIRST_LEADS_CHOICES),
        horizontal=True,
        index=list(FIRST_LEADS_CHOICES).index(form["first"]),
        key=f"imp_rule_first_{tag}",
    )
    r_cols = st.text_area("表格列对应(表头=角色)", value=form["columns"], key=f"imp_rule_cols_{tag}")
    c1, c2, c3 = st.columns([1, 1, 1])
    reparse = c1.button("按此规则重新识别", key="imp_reparse")
    p_name = c2.text_input(
        "方案名称",
        value=profile.name if profile is not None else "",
        key=f"imp_pname_{tag}",
        label_visibility="collapsed",
        placeholder="方案名称",
    )
    save = c3.button("保存为导入方案", key="imp_save_profile")
    if reparse or save:
        with guard("保存识别规则" if save else "重新识别"):
            from tasks.importers.profiles import profile_from_form, profile_to_dict, save_profile_file

            new = profile_from_form(
                p_name.strip() if save else (p_name.strip() or "临时规则"),
                lead=r_lead,
                responsible=r_resp,
                persons=r_persons,
                first=r_first,
                columns=r_cols,
            )
            if save:
                from tasks.importers.profile_store import save_profile

                save_profile(store, new, actor=current_actor())
                save_profile_file(new)
                flash(
                    f"已保存导入方案“{new.name}”(库中和 data/import_profiles/{new.name}.toml),"
                    "以后导入时可在“导入方案”中选用,命令行用 --profile " + new.name
                )
                st.session_state.pop("imp_rules", None)
                st.session_state["imp_profile_next"] = new.name  # chosen on the next run
            else:
                st.session_state["imp_rules"] = {**profile_to_dict(new), "_base": chosen}
            st.rerun()
if plan is None:
    st.stop()

with guard("显示识别结果"):
    st.subheader(md(plan.title or up.name))
    meta = [f"共识别 {len(plan.tasks)} 项任务"]
    if plan.issuer:
        meta.append(f"发文单位:{plan.issuer}")
    if plan.date:
        meta.append(f"日期:{plan.date.isoformat()}")
    if used_text(plan):
        meta.append(f"读取范围:{used_text(plan)}")
    st.caption(md(" · ".join(meta)))

    digest = hashlib.sha256(data).hexdigest()[:16]
    before = editable(plan)
    st.markdown("**识别结果**(可直接在表中修改;修改的行会按导入规则重新拆分单位、解析时限)")
    after = st.data_editor(
        before,
        key=f"imp_edit_{digest}",
        hide_index=True,
        width="stretch",
        num_rows="fixed",
        disabled=["编号"],
        column_config={"具体内容": st.column_config.TextColumn(width="large")},
    )
    fixed = apply_fixes(plan, before, after)
    from tasks.importers.confidence import confidence, confidence_lines

    conf = confidence(fixed)
    lines = confidence_lines(fixed)
    box = {"high": st.success, "medium": st.info, "low": st.warning}[conf["level"]]
    box(lines[0] + (":" + ";".join(lines[1:]) if len(lines) > 1 else ""), icon=":material/fact_check:")
    sources = (plan.used or {}).get("source_text") or {}
    if sources:
        with st.expander("逐项查看原文(各字段取自哪段文字)"):
            ids = [t.id for t in fixed.tasks if t.id in sources]
            pick = (
                st.selectbox(
                    "任务", ids, key=f"imp_src_{digest}", format_func=lambda i: f"{i} {fixed.task(i).title[:30]}"
                )
                if ids
                else None
            )
            if pick is not None:
                legend = " ".join(f'<mark style="background:{c}">{FIELD_CN[f]}</mark>' for f, c in MARK.items())
                st.markdown(legend, unsafe_allow_html=True)
                st.markdown(highlighted(sources[pick], fixed.task(pick)), unsafe_allow_html=True)
                t = fixed.task(pick)
                st.dataframe(
                    pd.DataFrame(
                        [
                            {"字段": "牵头单位", "识别结果": "、".join(t.lead_units) or "(未识别)"},
                            {"字段": "责任单位", "识别结果": "、".join(t.responsible_units) or "(未识别)"},
                            {"字段": "责任领导", "识别结果": "、".join(t.persons) or "(无)"},
                            {"字段": "完成时限", "识别结果": t.deadline_text or "(未写)"},
                        ]
                    ),
                    hide_index=True,
                    width="stretch",
                    key=f"imp_src_tbl_{digest}_{pick}",
                )
    parsed = pd.DataFrame(
        [
            {
                "编号": t.id,
                "解析后时限": t.deadline,
                "时限类型": DEADLINE_KIND_CN.get(t.deadline_kind),
                "阶段节点": ";".join(f"{m.date or '—'} {m.text}" for m in t.milestones),
                "牵头单位(规范名)": "、".join(t.lead_units_canonical or t.lead_units),
                "集合单位": "、".join(t.collective_units),
            }
            for t in fixed.tasks
        ]
    )
    with st.expander("解析结果(时限、阶段节点、单位规范名)"):
        st.dataframe(parsed, hide_index=True, width="stretch")
    if fixed.warnings:
        st.warning(
            f"有 {len(fixed.warnings)} 条提示需要核对(无法识别的时限、正文与附件表不一致等):", icon=":material/warning:"
        )
        st.dataframe(pd.DataFrame({"提示": fixed.warnings}), hide_index=True, width="stretch", key="imp_warn")
    else:
        st.success("没有需要核对的问题。", icon=":material/task_alt:")

    st.subheader("导入到库")
    existing = [p.key for p in store.plans()]
    mode = st.radio(
        "方式",
        ["作为新计划", "更新已有计划"],
        horizontal=True,
        key="imp_mode",
        help="更新时按任务编号对应:新编号新增,已有编号更新,表中没有的编号归档(历史填报保留)",
    )
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
