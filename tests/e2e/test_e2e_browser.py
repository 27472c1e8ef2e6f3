"""End to end in a real browser: `streamlit run app.py` on a free port against a temporary SQLite store,
headless Debian chromium driven by Playwright (no browser download).

The dashboard is behind a login.  A unit account logs in, downloads its progress template from the
进展填报 page, fills it in with openpyxl, uploads it through the page, confirms and logs out; the office
logs in and its 总览 page shows the upload (a reported 已完成 is a claim: 已办结 needs the office's
review).  The office also visits every page (screenshots go
to ``test-artifacts/``, gitignored).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from browser_helpers import streamlit_server
from ui_support import ROOT

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
UNIT = "市政务服务中心"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Debian chromium is not installed (make test installs it with scripts/install_system_deps.sh)",
    ),
]


def _accounts(url: str) -> dict[str, tuple[str, str]]:
    """The sample plans and two accounts (office, and the unit UNIT) with fresh random passwords."""
    from tasks.accounts import AccountBook, random_password
    from tasks.samples import load_bundled_plans
    from tasks.store import Store

    store = Store(url)
    load_bundled_plans(store, actor="test")
    book = AccountBook(store)
    out = {"office": ("ban", random_password()), "unit": ("zwzx", random_password())}
    book.add("ban", "office", password=out["office"][1], actor="test")
    book.add("zwzx", "unit", unit=UNIT, password=out["unit"][1], actor="test")
    store.dispose()
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{tmp / 'wb.db'}"
    accounts = _accounts(url)
    with streamlit_server(url, tmp) as base:
        yield {"base": base, "db_url": url, "tmp": tmp, "accounts": accounts}


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
    page.wait_for_selector("h1", timeout=timeout * 1000)
    end = time.time() + timeout
    quiet = 0
    while time.time() < end:
        running = (
            page.locator('[data-testid="stStatusWidget"]').count() > 0
            or page.locator('[data-testid="stSkeleton"]').count() > 0
        )
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


def _login(page, server, who: str) -> None:
    """Open the app (a new session shows the login page) and log in as ``who`` (office/unit)."""
    name, password = server["accounts"][who]
    page.goto(server["base"])
    page.get_by_label("账号").wait_for(timeout=60_000)
    _settle(page)
    page.get_by_label("账号").fill(name)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="退出登录").wait_for(timeout=60_000)
    _settle(page)
    assert name in page.locator('[data-testid="stSidebar"]').inner_text()


def _logout(page) -> None:
    page.get_by_role("button", name="退出登录").click()
    page.get_by_label("账号").wait_for(timeout=60_000)
    _settle(page)
    assert "已退出登录" in page.inner_text("body")


def _open(page, title: str) -> None:
    """Switch page through the sidebar navigation (a reload would start a new, logged-out session)."""
    nav = page.locator('[data-testid="stSidebarNav"]')
    more = nav.get_by_role("button", name=re.compile("View|more|更多", re.I))
    if (
        more.count()
        and nav.locator('[data-testid="stSidebarNavLink"]').filter(has_text=re.compile(rf"{title}$")).count() == 0
    ):
        more.first.click()
    nav.locator('[data-testid="stSidebarNavLink"]').filter(has_text=re.compile(rf"{title}$")).first.click()
    page.wait_for_function(
        "t => [...document.querySelectorAll('h1')].some(h => h.innerText.includes(t))", arg=title, timeout=60_000
    )
    _settle(page)


def test_every_page_renders_in_chromium_with_chinese_text(server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page.goto(server["base"])
    page.get_by_label("账号").wait_for(timeout=60_000)
    _settle(page)
    _no_traceback(page)
    page.screenshot(path=str(ARTIFACTS / "page-login.png"), full_page=True)
    from ui.nav import PAGE_SPECS, url_path

    _login(page, server, "office")
    for script, title, _icon in PAGE_SPECS:
        _open(page, title)
        _no_traceback(page)
        assert page.locator("h1").first.inner_text().strip()
        page.screenshot(path=str(ARTIFACTS / f"page-{url_path(script)}.png"), full_page=True)
    page.close()


def test_unit_uploads_then_office_sees_the_change(server, browser):
    from openpyxl import load_workbook

    from tasks.progress import fill_template

    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True)
    _login(page, server, "office")
    _open(page, "总览")
    done_before = int(_metric(page, "已办结"))
    _logout(page)

    # the unit logs in: it sees only its own pages and its own template
    _login(page, server, "unit")
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "进展填报" in nav and "总览" not in nav and "账号管理" not in nav and "导入" not in nav
    _open(page, "进展填报")
    page.get_by_role("tab", name="下载模板").click()
    _settle(page)
    unit_box = page.locator('[data-testid="stSelectbox"]').filter(has_text="单位").first
    unit_box.click()
    page.get_by_role("option").first.wait_for(timeout=30_000)
    assert [o.strip() for o in page.get_by_role("option").all_inner_texts()] == [UNIT]  # its own only
    page.get_by_role("option", name=UNIT, exact=True).click()
    _settle(page)
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="下载本单位模板").click()
    template = server["tmp"] / "template.xlsx"
    dl.value.save_as(template)
    assert UNIT in dl.value.suggested_filename

    ids = [str(r[0]) for r in load_workbook(template)["进度填报"].iter_rows(min_row=4, values_only=True) if r[0]]
    assert ids
    upload = server["tmp"] / f"{UNIT}-已填.xlsx"
    upload.write_bytes(
        fill_template(
            template.read_bytes(),
            {i: {"status": "已完成", "percent": 100, "progress": "已全部完成,材料已归档"} for i in ids},
        )
    )

    page.get_by_role("tab", name="上传填报表").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(upload))
    page.get_by_text("检查通过").first.wait_for(timeout=60_000)
    _settle(page)
    page.screenshot(path=str(ARTIFACTS / "upload-checked.png"), full_page=True)
    page.get_by_role("button", name="确认保存").click()
    page.get_by_text("已保存").first.wait_for(timeout=60_000)
    _settle(page)
    page.screenshot(path=str(ARTIFACTS / "upload-saved.png"), full_page=True)
    _logout(page)

    # the office logs in and sees the change
    _login(page, server, "office")
    _open(page, "总览")
    _no_traceback(page)
    done_after = int(_metric(page, "已办结"))
    page.screenshot(path=str(ARTIFACTS / "overview-after-upload.png"), full_page=True)
    # a reported 已完成 is a claim, not 已办结: done only after the office's review (test_e2e_supervision.py)
    assert done_after == done_before

    # a red/yellow card is one click away from its task's detail
    cards = page.locator('[data-testid="stDataFrame"]').nth(0)
    box = cards.bounding_box()
    page.mouse.click(box["x"] + 14, box["y"] + 35 + 17)  # the first row's selection box
    go = page.get_by_role("button", name="的详情")
    go.first.wait_for(timeout=30_000)
    go.first.click()
    # the overview's own read-only detail also says "的状态": wait for the 任务 page itself to be drawn
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stMain] h1')].some(h => h.innerText.includes('任务'))"
        " && document.body.innerText.includes('任务详情')",
        timeout=60_000,
    )
    page.get_by_text("的状态").first.wait_for(timeout=60_000)
    _settle(page)
    _no_traceback(page)
    assert "任务详情" in page.inner_text("body")
    page.screenshot(path=str(ARTIFACTS / "task-detail-from-overview.png"), full_page=True)

    from tasks.store import Store

    ups = Store(server["db_url"]).uploads()
    assert [(u.unit, u.actor) for u in ups] == [(UNIT, "zwzx")]  # recorded under the unit's account
    page.close()
