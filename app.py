"""政务服务改革工作台 — Streamlit entry: navigation only (pages live in ui/).

Before login only the login page exists; after login the navigation holds the
pages the account's role may see (``ui.nav.build_pages``).
"""

import streamlit as st

from ui import auth, tables
from ui.nav import build_pages, login_pages

tables.install()  # every table draws — for a missing value, never "None"

st.set_page_config(page_title="政务服务改革工作台", page_icon=":material/account_balance:", layout="wide")
tables.style()  # Chinese widget texts, Streamlit's English hidden: on every page, the login page too
account = auth.current_account()
if account is None:
    st.navigation(login_pages()).run()
elif account.must_change_password:  # a generated password: nothing else until it is changed
    auth.sidebar(account)
    st.navigation(
        [
            st.Page(
                auth.CHANGE_PASSWORD_PAGE,
                title="修改初始密码",
                icon=":material/key:",
                default=True,
                url_path="change-password",
            )
        ]
    ).run()
else:
    auth.sidebar(account)
    st.navigation(build_pages(account.role, account=account)).run()
