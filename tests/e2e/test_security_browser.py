"""Issue 19 in a real browser: Streamlit's own "Download as CSV" on a table's toolbar is hidden by the
page header's style (our neutralised ``table_download`` replaces it), while the rest of the toolbar
still works."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from ui_support import ROOT

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]

APP = """
import pandas as pd
import streamlit as st

from ui.common import page_header, table_download

page_header("表格")
df = pd.DataFrame({"任务": ["=HYPERLINK(\\"http://evil.example\\")", "普通"], "进度": [1, 2]})
st.dataframe(df, key="t")
table_download(df, "表.csv", "t_csv")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_builtin_table_csv_download_is_hidden(tmp_path):
    from playwright.sync_api import sync_playwright

    script = tmp_path / "table_app.py"
    script.write_text(APP, encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WORKBENCH_DB_URL": f"sqlite:///{tmp_path / 'wb.db'}"}
    with open(tmp_path / "streamlit.log", "w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(script),
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).read() == b"ok":
                        break
                except OSError:
                    time.sleep(0.5)
            with sync_playwright() as p:
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
                assert page.get_by_text("下载表格(csv)").first.is_visible()  # ours is there
                browser.close()
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
