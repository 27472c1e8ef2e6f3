"""Every page in every role, in a real browser, shows no None, nan, Traceback, English or error box.

The store holds the bundled plans and four months of demo reports (so tables are full); one account per
role logs in and opens each page its role may see (``ui.nav.pages_for``), then opens every expander and
every tab (editors such as the hall's 周末窗口 table live there) and the first date picker.  A screenshot per
page and role goes to ``test-artifacts/every-page/`` (gitignored).

What is checked is what a user can see: the text of every element drawn with a size (text made invisible
by our CSS — ``font-size: 0`` under a Chinese ``::after`` — is not seen), input placeholders, browser
tooltips (``title``), the cells of every table from the grid's accessible copy, and every string drawn on a
canvas (Streamlit draws tables and editors on a canvas; an empty editor cell is drawn there as "None"
unless the app gives a placeholder): no None/nan/Traceback, none of Streamlit's English ("Choose an
option", "No options to select", "Drag and drop…", "… per file", "Upload", "Press Enter to apply",
English month and weekday names…), and no English word at all beyond a short list of names
(Erlang, Excel, GraphML…).
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
#: Streamlit's own English (widgets, file uploader, date picker, table toolbar, navigation)
ENGLISH = re.compile(
    r"Choose an? option|Choose options|No options to select|No results|Drag and drop|per file|Browse files|"
    r"(?<![A-Za-z])Upload(?![A-Za-z])|Press Enter|Add row|Delete rows?|Search|Fullscreen|Clear (all|value)|"
    r"View (\d+ )?more|View less|Show/hide|January|February|March|April|June|July|August|September|October|"
    r"November|December|Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday"
)
#: a Latin word standing alone (not part of a file name, address or account name such as e2e-office)
LATIN_WORD = re.compile(r"(?<![A-Za-z0-9_.@/-])[A-Za-z]{3,}(?![A-Za-z0-9_./-])")
#: names, formats and units that are not English sentences (in lower case)
NAMES = {
    "erlang",
    "excel",
    "word",
    "graphml",
    "gexf",
    "svg",
    "xlsx",
    "xls",
    "xlsm",
    "csv",
    "docx",
    "txt",
    "html",
    "htm",
    "json",
    "pdf",
    "png",
    "jpg",
    "jpeg",
    "zip",
    "toml",
    "smtp",
    "http",
    "https",
    "gephi",
    "yed",
    "python",
    "tasks",
    "sim",
    "cli",
    "app",
    "dask",
    "sipp",
    "oidc",
    "max",
    "min",
    "sms",
    "gbk",
    "utf",
    "ukey",  # in the bundled plan's text (税务Ukey)
}
#: records every string drawn on a canvas (tables, editors, charts)
CANVAS_SPY = """
window.__drawn = [];
const _fillText = CanvasRenderingContext2D.prototype.fillText;
CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
  try { if (window.__drawn.length < 50000) window.__drawn.push(String(text)); } catch (e) {}
  return _fillText.call(this, text, ...rest);
};
"""
#: the text a user can see in the main area and sidebar: text nodes of elements drawn with a size,
#: placeholders of visible inputs, browser tooltips
SEEN_JS = """
() => {
  const out = [];
  const shown = el => {
    if (!el || !el.getClientRects().length) return false;
    if (el.closest('[data-testid="stIconMaterial"], [data-testid="stIconEmoji"]')) return false;  // icon glyphs
    const cs = getComputedStyle(el);
    if (cs.fontFamily.includes('Material')) return false;  // an icon named by a ligature
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) return false;  // text for screen readers only
    return cs.visibility !== 'hidden' && parseFloat(cs.fontSize) > 0 && cs.opacity !== '0';
  };
  const roots = ['[data-testid="stMain"]', '[data-testid="stSidebar"]', '[data-testid="stDateInputCalendar"]'];
  for (const sel of roots) {
    const root = document.querySelector(sel);
    if (!root) continue;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const t = node.textContent.trim();
      if (t && shown(node.parentElement)) out.push(t);
    }
    root.querySelectorAll('input[placeholder], textarea[placeholder]').forEach(e => {
      if (shown(e) && e.placeholder) out.push(e.placeholder);
    });
    root.querySelectorAll('[title]').forEach(e => { if (shown(e) && e.title) out.push(e.title); });
  }
  return out.join('\\n');
}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from tasks.accounts import AccountBook, random_password
    from tasks.progress.demo import load_demo
    from tasks.samples import load_bundled_plans
    from tasks.store import Store

    tmp = tmp_path_factory.mktemp("every-page")
    url = f"sqlite:///{tmp / 'wb.db'}"
    store = Store(url)
    load_bundled_plans(store, actor="测试")
    plan = next(p.key for p in store.plans() if "耒阳" in p.key)
    load_demo(store, plan, actor="测试")
    book = AccountBook(store)
    accounts = {}
    for role, unit in ROLES.items():
        password = random_password()
        book.add(f"e2e-{role}", role, unit=unit, password=password, actor="测试")
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


def _drawn(page) -> str:
    """Every string drawn on a canvas since the last call."""
    return "\n".join(page.evaluate("() => (window.__drawn || []).splice(0)"))


def _open_everything(page) -> list[str]:
    """Open every expander and, one after another, every tab and every option of a segmented control; open
    (and close) the first date picker.
    Returns what was seen on the way (tabs hide each other's text)."""
    seen = []
    for summary in page.locator('[data-testid="stExpander"] details:not([open]) > summary').all():
        try:
            summary.click(timeout=5_000)
        except Exception:  # scrolled away or re-drawn meanwhile: the next expander
            continue
    settle(page)
    tabs = page.locator('[data-testid="stMain"] [role="tab"]')
    for i in range(tabs.count()):
        try:
            tabs.nth(i).click(timeout=5_000)
        except Exception:
            continue
        settle(page)
        page.wait_for_timeout(300)  # tables of the tab draw on their canvas
        seen.append(page.evaluate(SEEN_JS) + "\n" + _table_cells(page) + "\n" + _drawn(page))
    views = page.locator('[data-testid="stMain"] [data-testid="stButtonGroup"] button')
    for i in range(views.count()):  # segmented controls: the 任务 page's 时间轴/任务详情, the graph's views
        try:
            views.nth(i).click(timeout=5_000)
        except Exception:
            continue
        settle(page)
        page.wait_for_timeout(500)  # charts draw after the script run
        seen.append(page.evaluate(SEEN_JS) + "\n" + _table_cells(page) + "\n" + _drawn(page))
    date_field = page.locator('[data-testid="stMain"] [data-testid="stDateInputField"]')
    if date_field.count() and date_field.first.is_visible():
        try:
            date_field.first.click(timeout=5_000)
            page.keyboard.press("Alt+ArrowDown")
            page.locator('[data-testid="stDateInputCalendar"]').first.wait_for(timeout=5_000)
            seen.append(page.evaluate(SEEN_JS))
            page.keyboard.press("Escape")
        except Exception:
            pass
    return seen


def _problems(where: str, text: str, seen: str = "") -> list[str]:
    """Python's empty values and tracebacks anywhere in ``text`` (page text, icons included) or ``seen``;
    English in ``seen`` (what is drawn as text: not icon names)."""
    out = []
    for m in BAD.finditer(text + "\n" + seen):
        out.append(f"{where}: shows {m.group(0)!r} in …{text[max(0, m.start() - 60) : m.end() + 60]!r}")
    text = seen
    for m in ENGLISH.finditer(text):
        out.append(f"{where}: Streamlit English {m.group(0)!r} in …{text[max(0, m.start() - 60) : m.end() + 60]!r}")
    for m in LATIN_WORD.finditer(text):
        if m.group(0).lower() not in NAMES:
            out.append(f"{where}: English word {m.group(0)!r} in …{text[max(0, m.start() - 40) : m.end() + 40]!r}")
    return out


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_the_role_is_clean(role, site, browser):
    from ui.nav import PAGE_SPECS, pages_for, url_path

    out = ARTIFACTS / "every-page"
    out.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page.add_init_script(CANVAS_SPY)
    login(page, site["base"], *site["accounts"][role])
    allowed = set(pages_for(role))
    titles = {s: t for s, t, _i in PAGE_SPECS}
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    problems = []
    read_cells = 0  # pages whose table cells were read (tables in closed tabs are not drawn)
    canvas_read = 0  # pages whose canvas-drawn strings (grid cells) were read
    for script in [s for s, _t, _i in PAGE_SPECS]:
        if script not in allowed:
            assert not re.search(rf"(^|\n){titles[script]}(\n|$)", nav), f"{role} is offered {script}"
            continue
        _drawn(page)
        open_page(page, titles[script])
        settle(page)
        page.wait_for_timeout(300)
        page.screenshot(path=str(out / f"{role}-{url_path(script)}.png"), full_page=True)
        errors = page.locator('[data-testid="stAlertContentError"], [data-testid="stException"]')
        if errors.count():
            problems.append(f"{role} {script}: error box {errors.first.inner_text()[:200]!r}")
        text = _visible_text(page)
        read_cells += bool(_table_cells(page).strip())
        drawn = _drawn(page)
        canvas_read += bool(drawn.strip())
        problems += _problems(f"{role} {script}", text, page.evaluate(SEEN_JS) + "\n" + drawn)
        for k, seen in enumerate(_open_everything(page)):
            problems += _problems(f"{role} {script} (opened {k})", "", seen)
    page.close()
    problems = list(dict.fromkeys(problems))
    assert not problems, "\n".join(problems[:60])
    assert read_cells, f"{role}: no table cell could be read on any page, the check would be blind"
    assert canvas_read, f"{role}: nothing drawn on a canvas was read, the check of grid cells would be blind"


CONTROL = """
import pandas as pd
import streamlit as st

if {ours}:
    from ui import tables
    from ui.common import page_header

    tables.install()
    page_header("对照")
else:
    st.title("对照")
df = pd.DataFrame({{"窗口组": ["户籍", "税务"], "周末窗口": [2, None], "周六时间": ["09:00-12:00", None]}})
st.data_editor(df, key="groups", num_rows="dynamic")
st.selectbox("没有选项", [], key="empty")
st.multiselect("多选", ["甲", "乙"], key="many")
st.file_uploader("上传文件", type=["xlsx"], key="up")
st.date_input("日期", key="day")
"""


@pytest.mark.parametrize("ours", [False, True])
def test_the_sweep_sees_streamlit_none_and_english_and_our_wrappers_remove_them(ours, tmp_path, browser):
    """A control: the same widgets drawn by Streamlit alone fail the sweep's checks (grey None in the
    editor, "No options to select", "Choose options", the uploader's English); through ``ui.tables`` and the
    page header's CSS they pass."""
    from ui_support import ROOT

    script = tmp_path / "control_app.py"
    script.write_text(CONTROL.format(ours=ours), encoding="utf-8")
    with streamlit_server(
        f"sqlite:///{tmp_path / 'wb.db'}", tmp_path, script=str(script), env={"PYTHONPATH": str(ROOT)}
    ) as base:
        page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="zh-CN")
        page.add_init_script(CANVAS_SPY)
        page.goto(base)
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=60_000)
        settle(page)
        page.wait_for_timeout(500)
        seen = page.evaluate(SEEN_JS) + "\n" + _drawn(page)
        page.screenshot(path=str(ARTIFACTS / f"every-page-control-{'ours' if ours else 'streamlit'}.png"))
        page.close()
    problems = _problems("control", "", seen)
    if ours:
        assert not problems, "\n".join(problems)
        assert "—" in seen and "没有可选项" in seen  # the editor's empty cells and the empty select, in Chinese
    else:
        found = " ".join(problems)
        for word in ("'None'", "No options to select", "Choose options", "per file"):
            assert word in found, (word, problems)
