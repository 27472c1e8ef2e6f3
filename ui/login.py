"""登录 — local account login (and OpenID Connect where configured); the only page before login.

The password is checked in the submit callback and its widget emptied there,
so it does not stay in the session state.
"""

from __future__ import annotations

import streamlit as st

from tasks.accounts import LoginFailed
from ui import auth

ERROR_KEY = "wb_login_error"


def _submit() -> None:
    name = st.session_state.get("wb_login_name", "")
    password = st.session_state.get("wb_login_password", "")
    st.session_state["wb_login_password"] = ""
    try:
        auth.login(name, password)
    except LoginFailed as err:
        st.session_state[ERROR_KEY] = str(err)


if not st.session_state.get(auth.TOKEN_KEY):
    auth.sync_cookie(None)  # logged out: the browser forgets any session cookie (revoked anyway)
st.title("政务服务改革工作台")
st.caption("领导小组办公室 · 规划人员 · 各责任单位 · 领导")
if auth.book().count() == 0:  # also shows a Chinese message (and stops) when the database is unreachable
    st.warning(
        "还没有任何账号。请在服务器上运行 make run(首次启动会创建办公室账号并在控制台显示一次密码),"
        "或运行 python -m tasks users add 账号 --role office。",
        icon=":material/person_add:",
    )

notice = st.session_state.pop(auth.NOTICE_KEY, None)
if notice:
    (st.info if notice == "已退出登录" else st.warning)(notice, icon=":material/info:")

left, _right = st.columns([2, 3])
with left:
    with st.form("wb_login"):
        st.text_input("账号", key="wb_login_name")
        st.text_input("密码", type="password", key="wb_login_password")
        st.form_submit_button("登录", type="primary", icon=":material/login:", on_click=_submit)
    error = st.session_state.pop(ERROR_KEY, None)
    if error:
        st.error(error, icon=":material/error:")
    elif st.session_state.get(auth.TOKEN_KEY):
        st.success("已登录", icon=":material/check_circle:")

    mapping = auth.oidc_mapping()
    if mapping is not None:
        provider = mapping.get("provider") or None
        if st.button("使用统一身份认证登录", icon=":material/badge:"):
            st.login(provider) if provider else st.login()

st.caption(
    "账号由领导小组办公室分配;忘记密码或账号被锁定,请联系办公室重置或解锁。"
    "连续多次输错密码须等待一段时间才能再试;长时间未操作将自动退出。"
)
