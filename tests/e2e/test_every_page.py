"""Every page in every role, in a real browser, shows no None, nan, Traceback, English error or error box.

The store holds the bundled plans and four months of demo reports (so tables are full); one account per
role logs in and opens each page its role may see (``ui.nav.pages_for``).  A screenshot per page and role
goes to ``test-artifacts/every-page/`` (gitignored).  The visible text checked is the page's text plus
the cells of every table (Streamlit draws tables on a canvas; their cells are read from the grid's
accessible copy).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_helpers import ARGS, ARTIFACTS, CHROMIUM, login, open_page, settle, streamlit_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Debian chromium is not installed (make test installs it with scripts/install_system_deps.sh)",
    ),
]

UNIT = "市政务服务中心"
ROLES = {"office": None, "planner": None, "leader": None, "unit": UNIT}
#: what must never be visible: Python's empty values, tracebacks, English error words
BAD = re.compile(
    r"(?<![A-Za-z])(None|nan|NaN|NaT|null|undefined)(?![A-Za-z])|Traceback|Exception|Error:|"
    r"Page not found|StreamlitAPI|Choose an option|Choose options|No results|Press Enter to|Running\.\.\.|"
    r"Deploy|Download as CSV"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from tasks.accounts import AccountBook, random_password
    from tasks.progress.demo import load_demo
    from tasks.samples import load_bundled_plans
    from tasks.store import Store

    tmp = tmp_path_factory.mktemp("every-page")
    url = f"sqlite:///{tmp / 'wb.db'}"
    store = Store(url)
    load_bundled_plans(store, actor="test")
    plan = next(p["key"] for p in store.plans() if "耒阳" in p["key"])
    load_demo(store, plan, actor="test")
    book = AccountBook(store)
    accounts = {}
    for role, unit in ROLES.items():
        password = random_password()
        book.add(f"e2e-{role}", role, unit=unit, password=password, actor="test")
        accounts[role] = (f"e2e-{role}", password)
    store.dispose()
    with streamlit_server(url, tmp) as base:
        yield {"base": base, "accounts": accounts}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def _table_cells(page) -> str:
    """Every table cell drawn (Streamlit's data grid keeps an accessible copy of its cells in the page)."""
    return page.eval_on_selector_all(
        '[data-testid="stDataFrame"] [role="gridcell"], [data-testid="stDataFrame"] td, [data-testid="stTable"] td',
        "els => els.map(e => e.textContent).join('\\n')",
    )


def _visible_text(page) -> str:
    """The page's text and every table cell."""
    return (
        page.inner_text("[data-testid='stMain']")
        + "\n"
        + page.inner_text("[data-testid='stSidebar']")
        + "\n"
        + _table_cells(page)
    )


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_the_role_is_clean(role, site, browser):
    from ui.nav import PAGE_SPECS, pages_for, url_path

    out = ARTIFACTS / "every-page"
    out.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    login(page, site["base"], *site["accounts"][role])
    allowed = set(pages_for(role))
    titles = {s: t for s, t, _i in PAGE_SPECS}
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    problems = []
    read_cells = 0  # pages whose table cells were read (tables in closed tabs are not drawn)
    for script in [s for s, _t, _i in PAGE_SPECS]:
        if script not in allowed:
            assert not re.search(rf"(^|\n){titles[script]}(\n|$)", nav), f"{role} is offered {script}"
            continue
        open_page(page, titles[script])
        settle(page)
        page.screenshot(path=str(out / f"{role}-{url_path(script)}.png"), full_page=True)
        errors = page.locator('[data-testid="stAlertContentError"], [data-testid="stException"]')
        if errors.count():
            problems.append(f"{role} {script}: error box {errors.first.inner_text()[:200]!r}")
        text = _visible_text(page)
        read_cells += bool(_table_cells(page).strip())
        for m in BAD.finditer(text):
            problems.append(
                f"{role} {script}: shows {m.group(0)!r} in …{text[max(0, m.start() - 60) : m.end() + 60]!r}"
            )
    page.close()
    assert not problems, "\n".join(problems[:40])
    assert read_cells, f"{role}: no table cell could be read on any page, the check would be blind"
