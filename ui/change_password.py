"""修改初始密码 — the only page of an account still using a generated (first or reset) password.

The library refuses everything else for such an account (``tasks.accounts.require``); this page
lets the user set their own password, after which the whole workbench opens.
"""

from __future__ import annotations

import streamlit as st

from ui import auth

account = auth.current_account()
if account is None:
    st.warning("请先登录。", icon=":material/lock:")
    st.stop()
st.title("修改初始密码")
if not account.must_change_password:
    st.success("密码已修改,请从左侧菜单进入各页面。", icon=":material/check_circle:")
    st.stop()
st.warning(
    "您正在使用系统生成的初始密码。为保护数据安全,请先设置自己的密码,之后才能使用工作台。", icon=":material/key:"
)
st.caption("新密码至少 10 位,不能包含账号名,不能是常见密码、连续数字或字母、键盘顺序。")
left, _right = st.columns([2, 3])
with left:
    auth._change_password_form(account, rerun=True)
