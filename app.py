"""政务服务改革工作台 — Streamlit entry: navigation only (pages live in ui/)."""
import streamlit as st

from ui.nav import build_pages

st.set_page_config(page_title="政务服务改革工作台", page_icon=":material/account_balance:", layout="wide")
st.navigation(build_pages()).run()
