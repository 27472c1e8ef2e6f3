"""The whole supervision loop in a real browser (headless Debian chromium, Playwright, `streamlit run app.py`).

A unit signs a task, requests an extension, the office approves it, the unit claims completion with a PDF,
the office returns the claim with a reason, the unit claims again, the office accepts: the task is 已办结
in the overview and in the period report downloaded from the 报告 page.
"""

from __future__ import annotations

import os
from datetime import date

import pytest
from browser_helpers import streamlit_server
from supervision_helpers import PDF, UNIT_A, loop_plan
from test_e2e_browser import (
    ARGS,
    ARTIFACTS,
    CHROMIUM,
    _login,
    _logout,
    _metric,
    _no_traceback,
    _open,
    _settle,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]
PLAN = "督办演练计划"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from tasks.accounts import Account, AccountBook, GuardedStore, random_password
    from tasks.store import Store

    tmp = tmp_path_factory.mktemp("e2e_sup")
    url = f"sqlite:///{tmp / 'wb.db'}"
    store = Store(url)
    GuardedStore(store, Account("setup", "office")).load_plan_into_store(
        loop_plan(PLAN, date.today().year + 1), start=date.today()
    )
    accounts = {"office": ("ban", random_password()), "unit": ("zwzx", random_password())}
    AccountBook(store).add("ban", "office", password=accounts["office"][1], actor="test")
    AccountBook(store).add("zwzx", "unit", unit=UNIT_A, password=accounts["unit"][1], actor="test")
    store.dispose()
    with streamlit_server(url, tmp, env={"WORKBENCH_FILES_DIR": str(tmp / "files")}) as base:
        yield {"base": base, "db_url": url, "tmp": tmp, "accounts": accounts}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def _as(page, server, who: str) -> None:
    _login(page, server, who)
    _open(page, "督办")
    _no_traceback(page)


def _click(page, name: str, flash: str) -> None:
    page.get_by_role("button", name=name, exact=True).first.click()
    page.get_by_text(flash).first.wait_for(timeout=60_000)
    _settle(page)
    _no_traceback(page)


def _queue(page) -> None:
    page.get_by_role("tab", name="待办审批").click()
    _settle(page)


def _claim(page, server) -> None:
    pdf = server["tmp"] / "验收纪要.pdf"
    pdf.write_bytes(PDF)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(pdf))
    page.get_by_text("验收纪要.pdf").first.wait_for(timeout=30_000)
    _settle(page)
    _click(page, "提交办结申请", "已申请办结")


def _events(server) -> list[str]:
    from tasks.progress.lifecycle import events
    from tasks.store import Store

    store = Store(server["db_url"])
    try:
        return [e.kind for e in events(store, PLAN)]
    finally:
        store.dispose()


def test_the_whole_loop_in_the_browser(server, browser):
    from openpyxl import load_workbook

    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1100}, locale="zh-CN", accept_downloads=True)
    _login(page, server, "office")
    _open(page, "总览")
    done_before = int(_metric(page, "已办结"))
    _logout(page)

    # the unit signs task 1 and asks for more time
    _as(page, server, "unit")
    _click(page, "签收", "已签收任务 1")
    page.get_by_label("延期理由").fill("等待省级系统对接")
    page.keyboard.press("Tab")
    _settle(page)
    _click(page, "提交延期申请", "延期申请已提交")
    page.screenshot(path=str(ARTIFACTS / "supervision-unit-extension.png"), full_page=True)
    _logout(page)
    assert _events(server) == ["sign", "extension_request"]

    # the office approves it
    _as(page, server, "office")
    _queue(page)
    _click(page, "批准延期", "已批准任务 1 的延期申请")
    _logout(page)

    # the unit claims with a PDF; the office returns it with a reason
    _as(page, server, "unit")
    _claim(page, server)
    _logout(page)
    _as(page, server, "office")
    _queue(page)
    page.get_by_label("审核意见(退回时必填,单位将看到)").fill("请补充验收报告")
    page.keyboard.press("Tab")
    _settle(page)
    _click(page, "退回", "已退回任务 1")
    _logout(page)

    # the unit sees the reason, claims again; the office accepts
    _as(page, server, "unit")
    assert "请补充验收报告" in page.inner_text("body")
    _claim(page, server)
    _logout(page)
    _as(page, server, "office")
    _queue(page)
    _click(page, "审核通过(销号)", "已办结")
    page.screenshot(path=str(ARTIFACTS / "supervision-office-accepted.png"), full_page=True)
    assert _events(server) == [
        "sign",
        "extension_request",
        "extension_approved",
        "claim",
        "claim_returned",
        "claim",
        "claim_accepted",
    ]

    # 已办结 in the overview …
    _open(page, "总览")
    _no_traceback(page)
    assert int(_metric(page, "已办结")) == done_before + 1
    # … and in the report
    _open(page, "报告")
    page.get_by_role("button", name="生成报告").click()
    page.get_by_role("button", name="下载 Excel 报表").wait_for(timeout=60_000)
    _settle(page)
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="下载 Excel 报表").click()
    path = server["tmp"] / "report.xlsx"
    dl.value.save_as(path)
    rows = [list(r) for ws in load_workbook(path).worksheets for r in ws.iter_rows(values_only=True)]
    task_rows = [r for r in rows if PLAN in [str(c) for c in r] and "1" in [str(c) for c in r]]
    assert task_rows and any("已办结" in [str(c) for c in r] for r in task_rows), task_rows
    page.close()
