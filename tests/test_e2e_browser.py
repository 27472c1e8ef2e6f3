"""End to end in a real browser: `streamlit run app.py` on a free port against a temporary SQLite store,
headless Debian chromium driven by Playwright (no browser download).

A unit's progress template is downloaded from the 进展填报 page, filled in with openpyxl, uploaded
through the page and confirmed; the 总览 page then shows the tasks as done.  A screenshot of every
page goes to ``test-artifacts/`` (gitignored).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from test_ui_support import ROOT

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
UNIT = "市政务服务中心"
PAGES = ["overview", "tasks", "graph", "import", "progress", "units", "reports", "hall", "staffing"]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed "
                                "(make test installs it with scripts/install_system_deps.sh)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{tmp / 'wb.db'}"
    port = _free_port()
    env = {**os.environ, "WORKBENCH_DB_URL": url, "PYTHONUNBUFFERED": "1"}
    log = open(tmp / "streamlit.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.headless", "true", "--server.address", "127.0.0.1",
                             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("streamlit did not start:\n" + (tmp / "streamlit.log").read_text())
        yield {"base": base, "db_url": url, "tmp": tmp}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def _settle(page, timeout: float = 60) -> None:
    """Wait until the app has drawn the page and no script run is in progress."""
    page.wait_for_selector('[data-testid="stMain"]', timeout=timeout * 1000)
    page.wait_for_selector('h1', timeout=timeout * 1000)
    end = time.time() + timeout
    quiet = 0
    while time.time() < end:
        running = page.locator('[data-testid="stStatusWidget"]').count() > 0 or \
            page.locator('[data-testid="stSkeleton"]').count() > 0
        quiet = 0 if running else quiet + 1
        if quiet >= 3:
            return
        time.sleep(0.3)


def _metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def _no_traceback(page) -> None:
    body = page.inner_text("body")
    assert "Traceback" not in body and "Error:" not in body, body[:2000]
    assert "Page not found" not in body, body[:500]
    assert page.locator('[data-testid="stException"]').count() == 0


def test_every_page_renders_in_chromium_with_chinese_text(server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    from ui.nav import DEFAULT_PAGE, url_path

    for name in PAGES:
        # the default page lives at the root address
        page.goto(f"{server['base']}/{'' if name == url_path(DEFAULT_PAGE) else name}")
        _settle(page)
        _no_traceback(page)
        assert page.locator("h1").first.inner_text().strip()
        page.screenshot(path=str(ARTIFACTS / f"page-{name}.png"), full_page=True)
    page.close()


def test_upload_filled_template_changes_status_on_overview(server, browser):
    from openpyxl import load_workbook

    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True)
    page.goto(f"{server['base']}/overview")
    _settle(page)
    done_before = int(_metric(page, "已完成"))

    page.goto(f"{server['base']}/progress")
    _settle(page)
    # the unit's template, downloaded through the page
    page.get_by_role("tab", name="下载模板").click()
    unit_box = page.locator('[data-testid="stSelectbox"]').filter(has_text="单位").first
    unit_box.click()
    page.get_by_role("option", name=UNIT, exact=True).click()
    _settle(page)
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="下载本单位模板").click()
    template = server["tmp"] / "template.xlsx"
    dl.value.save_as(template)
    assert UNIT in dl.value.suggested_filename

    wb = load_workbook(template)
    ws = wb["进度填报"]
    filled = 0
    for r in range(4, ws.max_row + 1):
        if ws.cell(r, 1).value:
            ws.cell(r, 5, "已完成")
            ws.cell(r, 6, 100)
            ws.cell(r, 7, "已全部完成,材料已归档")
            filled += 1
    assert filled >= 1
    upload = server["tmp"] / f"{UNIT}-已填.xlsx"
    wb.save(upload)

    page.get_by_role("tab", name="上传填报表").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(upload))
    page.get_by_text("检查通过").first.wait_for(timeout=60_000)
    _settle(page)
    page.screenshot(path=str(ARTIFACTS / "upload-checked.png"), full_page=True)
    page.get_by_role("button", name="确认保存").click()
    page.get_by_text("已保存").first.wait_for(timeout=60_000)
    _settle(page)
    page.screenshot(path=str(ARTIFACTS / "upload-saved.png"), full_page=True)

    page.goto(f"{server['base']}/overview")
    _settle(page)
    _no_traceback(page)
    done_after = int(_metric(page, "已完成"))
    page.screenshot(path=str(ARTIFACTS / "overview-after-upload.png"), full_page=True)
    assert done_after == done_before + filled

    # a red/yellow card is one click away from its task's detail
    cards = page.locator('[data-testid="stDataFrame"]').nth(0)
    box = cards.bounding_box()
    page.mouse.click(box["x"] + 14, box["y"] + 35 + 17)          # the first row's selection box
    go = page.get_by_role("button", name="的详情")
    go.first.wait_for(timeout=30_000)
    go.first.click()
    page.get_by_text("的状态").first.wait_for(timeout=60_000)
    _settle(page)
    _no_traceback(page)
    assert "任务详情" in page.inner_text("body")
    page.screenshot(path=str(ARTIFACTS / "task-detail-from-overview.png"), full_page=True)

    from tasks.store import Store

    assert [u["unit"] for u in Store(server["db_url"]).uploads()] == [UNIT]
    page.close()
