"""账号管理 — office only: accounts (add, disable, enable, unlock, reset password, region), the audit
trail, the permission table.  Every change goes through the guarded store as the logged-in office
account (a city's office sees and manages only its regions' accounts: the library checks it)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tasks.accounts import ROLE_NAMES, ROLES, UNIT, action_label, audit_csv, audit_xlsx, permission_table
from tasks.errors import WorkbenchError
from tasks.regions import PROVINCE
from ui import auth
from ui.tables import detail_text

ONCE_KEY = "wb_once_password"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

account = auth.require_page("manage_accounts")
store = auth.guarded_store(account)

st.title("账号管理")

once = st.session_state.pop(ONCE_KEY, None)
if once:  # shown on this run only, never stored anywhere
    st.warning(
        f"账号“{once[0]}”的密码如下,只显示这一次,请当面或通过安全渠道交给本人,首次登录后修改:", icon=":material/key:"
    )
    st.code(once[1], language=None)

tab_list, tab_add, tab_audit, tab_roles = st.tabs(["账号", "新增账号", "操作日志", "角色权限"])
#: the regions this office may give an account ("全省": none; only the provincial office may)
known_regions = [r.name for r in store.regions()]
region_choices = ([] if account.region else [PROVINCE]) + known_regions


def _when(t) -> str:
    return f"{t:%Y-%m-%d %H:%M}" if t else ""


def _do(action: str, fn, *args) -> None:
    try:
        result = fn(*args)
    except WorkbenchError as err:
        st.error(f"{action}失败:{err}", icon=":material/error:")
        return
    if isinstance(result, str):
        st.session_state[ONCE_KEY] = (args[0], result)
    st.session_state["wb_accounts_flash"] = f"{action}:已完成"
    st.rerun()


with tab_list:
    flash = st.session_state.pop("wb_accounts_flash", None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    rows = store.list_accounts()
    frame = pd.DataFrame(
        [
            {
                "账号": r["name"],
                "姓名/说明": r["display_name"],
                "角色": r["role_name"],
                "所属单位": r["unit"] or "",
                "所属地区": r.get("region") or PROVINCE,
                "状态": "已停用" if r["disabled"] else ("已锁定" if r["locked_until"] else "正常"),
                "锁定至": _when(r["locked_until"]),
                "需改密码": "是" if r["must_change_password"] else "",
                "最近登录": _when(r["last_login_at"]) or "从未登录",
            }
            for r in rows
        ],
        columns=["账号", "姓名/说明", "角色", "所属单位", "所属地区", "状态", "锁定至", "需改密码", "最近登录"],
    )
    if not known_regions:  # a one-city deployment: no region column
        frame = frame.drop(columns=["所属地区"])
    st.dataframe(frame, hide_index=True, width="stretch")
    names = [r["name"] for r in rows]
    if names:
        who = st.selectbox("选择账号", names, key="wb_accounts_pick")
        c1, c2, c3, c4 = st.columns(4)
        if c1.button("停用", icon=":material/block:", key="wb_acc_disable"):
            _do("停用账号", store.disable_account, who)
        if c2.button("启用", icon=":material/check:", key="wb_acc_enable"):
            _do("启用账号", store.enable_account, who)
        if c3.button("解除锁定", icon=":material/lock_open:", key="wb_acc_unlock"):
            _do("解除锁定", store.unlock_account, who)
        if c4.button("重置密码", icon=":material/password:", key="wb_acc_reset"):
            _do("重置密码", store.reset_password, who)
        if known_regions:
            r1, r2 = st.columns([3, 1])
            target = r1.selectbox("所属地区", region_choices, key="wb_acc_region", help="“全省”:不限地区(省级)")
            if r2.button("调整所属地区", icon=":material/map:", key="wb_acc_set_region"):
                _do("调整所属地区", lambda n: store.update_account(n, region=target), who)

with tab_add:
    units = store.units()
    with st.form("wb_add_account", clear_on_submit=True):
        name = st.text_input("账号名", help="2–100 位,可用汉字、字母、数字和 . - _ @")
        role = st.selectbox("角色", ROLES, format_func=lambda r: ROLE_NAMES[r])
        unit = st.selectbox("所属单位(仅单位账号)", ["(无)", *units])
        region = (
            st.selectbox("所属地区", region_choices, help="账号只能查看和办理该市(含所辖县)或该县的计划;“全省”不限")
            if known_regions
            else None
        )
        display = st.text_input("姓名或说明")
        if st.form_submit_button("新增账号", type="primary"):
            chosen = None if unit == "(无)" or role != UNIT else unit
            _do(
                "新增账号",
                lambda n: store.add_account(n, role, unit=chosen, display_name=display, region=region),
                name.strip(),
            )
    st.caption("新账号的初始密码随机生成并只显示一次;不设任何默认密码。")

with tab_audit:
    entries = list(reversed(store.audit_log()))
    actors = sorted({a.actor for a in entries})
    f1, f2 = st.columns(2)
    pick_actor = f1.multiselect("操作账号", actors, key="wb_audit_actor")
    labels = sorted({action_label(a.action) for a in entries})
    pick_action = f2.multiselect("操作", labels, key="wb_audit_action")
    shown = [
        a
        for a in entries
        if (not pick_actor or a.actor in pick_actor) and (not pick_action or action_label(a.action) in pick_action)
    ]
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "时间": a.at,
                    "操作账号": a.actor,
                    "操作": action_label(a.action),
                    "对象": a.target,
                    "详情": detail_text(a.detail),
                }
                for a in shown
            ],
            columns=["时间", "操作账号", "操作", "对象", "详情"],
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(f"共 {len(shown)} 条(最新在前)。")
    d1, d2 = st.columns(2)
    d1.download_button("下载操作日志(xlsx)", audit_xlsx(list(reversed(shown))), "操作日志.xlsx", XLSX_MIME)
    d2.download_button("下载操作日志(csv)", audit_csv(list(reversed(shown))), "操作日志.csv", "text/csv")

with tab_roles:
    st.dataframe(pd.DataFrame(permission_table()), hide_index=True, width="stretch")
    st.caption(
        "“本单位”:单位账号只能对本单位的任务和数据进行该操作;“省级”:只有不限地区的账号可以办理。"
        "设了所属地区的账号只能查看和办理该地区(市含所辖县)的计划。权限在函数库中检查,页面只是隐藏无权的功能。"
    )
