"""政务服务改革工作台 — Streamlit entry: navigation only (pages live in ui/).

Before login only the login page exists; after login the navigation holds the
pages the account's role may see (``ui.nav.build_pages``).
"""
import streamlit as st

from ui import auth, tables
from ui.nav import build_pages, login_pages

tables.install()   # every table draws — for a missing value, never "None"

st.set_page_config(page_title="政务服务改革工作台", page_icon=":material/account_balance:", layout="wide")
account = auth.current_account()
if account is None:
    st.navigation(login_pages()).run()
else:
    auth.sidebar(account)
    st.navigation(build_pages(account.role)).run()
