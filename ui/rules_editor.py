"""The card and scoring rules as a form with Chinese labels (office only); tasks.progress.rules_form checks it."""

from __future__ import annotations

import streamlit as st

from ui.common import current_actor, flash, get_store, guard, show_error


def rules_form() -> None:
    """Number fields and one group of fields per card level; saving checks everything, rescoring follows."""
    from tasks.progress import load_rules, save_rules
    from tasks.progress.rules_form import (
        FIELDS,
        STATUS_FLAGS,
        THRESHOLDS,
        form_from_rules,
        representable,
        rules_from_form,
    )

    try:
        current = load_rules()
    except Exception as exc:
        show_error(exc)
        return
    if not representable(current):
        st.warning(
            "当前规则中有表单无法表示的条件(如“小于”或其他状态);保存表单会按表单内容改写这些条件。",
            icon=":material/warning:",
        )
    fields, levels = form_from_rules(current)
    version = st.session_state.get("rules_form_round", 0)
    extra = st.session_state.get("rules_form_extra", 0)
    levels += [{"代码": f"level{len(levels) + k + 1}", "名称": "", "颜色": "#FF8C00", "扣分": 0} for k in range(extra)]
    k = f"rf{version}"
    with st.form(f"rules_form_{version}"):
        st.markdown("**报送与状态**")
        values = {}
        labels = list(FIELDS)
        for cols, group in ((st.columns(3), labels[:3]), (st.columns(4), labels[3:])):
            for col, label in zip(cols, group):
                _attr, lo, hi, whole = FIELDS[label]
                values[label] = col.number_input(
                    label,
                    min_value=float(lo),
                    max_value=float(hi),
                    value=float(fields[label]),
                    step=1.0 if whole else 0.5,
                    format="%.0f" if whole else "%.1f",
                    key=f"{k}_{_attr}",
                )
            if group is labels[:3]:
                st.markdown("**计分**")
        st.markdown("**预警等级**(从低到高;满足任一条件即亮该等级的牌,取最高等级;阈值不填表示不作为条件)")
        rows = []
        for i, lv in enumerate(levels):
            with st.container(border=True):
                c = st.columns([1.2, 1, 0.8, 1, 0.8])
                row = {
                    "代码": c[0].text_input("代码(英文)", value=lv["代码"], key=f"{k}_{i}_key"),
                    "名称": c[1].text_input("名称", value=lv["名称"], key=f"{k}_{i}_name", placeholder="如 黄牌"),
                    "颜色": c[2].color_picker("颜色", value="#" + str(lv["颜色"]).lstrip("#"), key=f"{k}_{i}_color"),
                    "扣分": c[3].number_input(
                        "扣分(每张牌)", min_value=0.0, value=float(lv["扣分"] or 0), step=0.5, key=f"{k}_{i}_points"
                    ),
                }
                drop = c[4].checkbox("删除此等级", key=f"{k}_{i}_drop")
                f = st.columns(len(STATUS_FLAGS) + len(THRESHOLDS))
                for j, label in enumerate(STATUS_FLAGS):
                    row[label] = f[j].checkbox(label, value=bool(lv.get(label)), key=f"{k}_{i}_s{j}")
                for j, label in enumerate(THRESHOLDS, len(STATUS_FLAGS)):
                    v = lv.get(label)
                    row[label] = f[j].number_input(
                        label,
                        min_value=0.0,
                        value=None if v is None else float(v),
                        step=1.0,
                        format="%g",
                        key=f"{k}_{i}_t{j}",
                        placeholder="不作为条件",
                    )
                if not drop:
                    rows.append(row)
        c1, c2 = st.columns([1, 3])
        add = c1.form_submit_button("增加一个等级", key=f"{k}_add")
        submitted = c2.form_submit_button("检查并保存规则", type="primary", key=f"{k}_save")
    if add:
        st.session_state["rules_form_extra"] = extra + 1
        st.rerun()
    if submitted:
        with guard("保存规则"):
            saved = save_rules(rules_from_form(values, rows), current_actor(), get_store())
            st.session_state["rules_form_round"] = version + 1
            st.session_state["rules_form_extra"] = 0
            flash(f"规则已保存。{saved.scoring_text()}")
            st.rerun()
