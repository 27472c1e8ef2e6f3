"""Issue 19 in a real browser: Streamlit's own "Download as CSV" on a table's toolbar is hidden by the
page header's style (our neutralised, typed ``ui.tables.xlsx_download`` replaces it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import ARGS, CHROMIUM, streamlit_server
from ui_support import ROOT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]

APP = """
import pandas as pd
import streamlit as st

from ui.common import page_header
from ui.tables import xlsx_download

page_header("表格")
df = pd.DataFrame({"任务": ["=HYPERLINK(\\"http://evil.example\\")", "普通"], "进度": [1, 2]})
st.dataframe(df, key="t")
xlsx_download(df, "表", "t_xlsx")
"""


def test_builtin_table_csv_download_is_hidden(tmp_path):
    from playwright.sync_api import sync_playwright

    script = tmp_path / "table_app.py"
    script.write_text(APP, encoding="utf-8")
    db_url = f"sqlite:///{tmp_path / 'wb.db'}"
    server = streamlit_server(db_url, tmp_path, script=str(script), env={"PYTHONPATH": str(ROOT)})
    with server as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page()
        page.goto(base)
        table = page.locator('[data-testid="stDataFrame"]').first
        table.wait_for(timeout=60_000)
        table.hover()
        toolbar = page.locator('[data-testid="stElementToolbar"]').first
        toolbar.wait_for(state="attached", timeout=30_000)
        csv_button = page.locator('button[aria-label^="Download as CSV"]')
        # Streamlit's own CSV download (and, since the board issue, its whole English toolbar)
        # is there in the page but never visible
        assert not toolbar.is_visible()
        assert all(not csv_button.nth(i).is_visible() for i in range(csv_button.count()))
        assert page.get_by_text("下载表格(Excel)").first.is_visible()  # ours is there
        browser.close()
