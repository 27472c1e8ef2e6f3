"""AppTest: the rough edges of issue 15 and the leader's 督办 view of issue 13.

- every table and editor draws ``—`` for a missing value (never Streamlit's grey "None");
- every select box and multiselect has a Chinese placeholder, every date input writes ``YYYY-MM-DD``;
- the tables users take away have our own Chinese xlsx button (:func:`ui.tables.xlsx_download`), written
  typed by :mod:`core.xlsxout`; ``ui.common.xlsx_bytes`` is gone;
- leaders see the 督办 page read-only, with no button their role cannot use; the office and units keep theirs.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pandas as pd
import pytest
from conftest import demo_copy
from openpyxl import load_workbook
from ui_support import APP, ROOT, downloaded, log_in

AS_OF = date(2021, 11, 30)
UNIT = "市政务服务中心"
LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture(scope="module")
def demo_url(demo_template, tmp_path_factory):
    """The bundled plans with four months of demo reports (the same data the browser sweep uses): this
    module's copy of the shared demo store (tests/conftest.py)."""
    return demo_copy(demo_template, tmp_path_factory.mktemp("rough"))


def _app(monkeypatch, url: str, role: str, page: str, unit: str | None = None):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("WORKBENCH_PLANS_DIR", str(ROOT / "data" / "plans"))
    monkeypatch.setenv("WORKBENCH_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=300)
    log_in(at, role, unit, name=f"rough-{role}")
    at.session_state["_as_of"] = AS_OF
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _downloads(at) -> dict[str, str]:
    return {b.proto.id.rsplit("-", 1)[-1]: b.proto.label for b in at.get("download_button")}


# -- 1. no grey None ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "page", ["ui/page_hall.py", "ui/page_notify.py", "ui/page_import.py", "ui/page_overview.py", "ui/page_units.py"]
)
def test_every_table_and_editor_draws_a_dash_for_nothing(page, demo_url, monkeypatch):
    at = _app(monkeypatch, demo_url, "office", page)
    grids = list(at.dataframe)
    if page in ("ui/page_hall.py", "ui/page_notify.py"):
        assert any(d.proto.editing_mode for d in grids), "the editors (周末窗口, 联系人) are on this page"
    for d in grids:
        assert d.proto.placeholder == "—", (page, list(d.value.columns)[:4])


def test_the_hall_weekend_column_has_empty_cells_and_they_show_a_dash(demo_url, monkeypatch):
    """The issue's example: groups without a weekend rota have no 周末窗口 — drawn —, not None."""
    at = _app(monkeypatch, demo_url, "office", "ui/page_hall.py")
    groups = next(d for d in at.dataframe if "周末窗口" in d.value.columns)
    assert groups.proto.editing_mode and groups.proto.placeholder == "—"
    assert groups.value.isna().to_numpy().any()  # there are empty cells to draw


def test_the_wrappers_are_installed_once():
    from streamlit.delta_generator import DeltaGenerator

    from ui import tables

    tables.install()
    before = DeltaGenerator.data_editor
    tables.install()
    assert DeltaGenerator.data_editor is before  # idempotent: not wrapped twice
    for name in ("dataframe", "data_editor", "selectbox", "multiselect", "date_input"):
        assert getattr(getattr(DeltaGenerator, name), "_workbench_dash_nulls", False), name


# -- 3. Chinese placeholders, one date format ------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "page"),
    [
        ("office", "ui/page_tasks.py"),
        ("office", "ui/page_progress.py"),
        ("office", "ui/page_supervision.py"),
        ("office", "ui/page_notify.py"),
        ("office", "ui/page_hall.py"),
        ("office", "ui/page_staffing.py"),
        ("unit", "ui/page_supervision.py"),
    ],
)
def test_selects_have_chinese_placeholders_and_dates_one_format(role, page, demo_url, monkeypatch):
    at = _app(monkeypatch, demo_url, role, page, UNIT if role == "unit" else None)
    selects = list(at.selectbox) + list(at.multiselect)
    assert selects or list(at.date_input), page
    for w in selects:
        assert w.proto.placeholder and not LATIN.search(w.proto.placeholder), (page, w.label, w.proto.placeholder)
    for w in at.date_input:
        assert w.proto.format == "YYYY-MM-DD", (page, w.label, w.proto.format)
    for w in at.text_input:
        assert not LATIN.search(w.proto.placeholder or ""), (page, w.label)


def test_a_select_without_options_says_so_in_chinese():
    """Streamlit's own words are "No options to select" / "Choose an option"; the app's wrapper says it in Chinese."""
    from streamlit.testing.v1 import AppTest

    probe = AppTest.from_string(
        "import streamlit as st\nfrom ui import tables\ntables.install()\n"
        "st.selectbox('甲', [], key='a')\nst.multiselect('乙', [], key='b')\n"
        "st.selectbox('丙', ['x'], index=None, key='c')\nst.multiselect('丁', ['x'], key='e')\n"
        "st.selectbox('戊', ['x'], index=None, key='f', placeholder='选择计划')\n"
        "st.date_input('己', value=None, key='d')\n"
    ).run()
    assert not probe.exception
    assert probe.selectbox(key="a").proto.placeholder == "没有可选项" and probe.selectbox(key="a").disabled
    assert probe.multiselect(key="b").proto.placeholder == "没有可选项"
    assert probe.selectbox(key="c").proto.placeholder == "请选择"
    assert probe.multiselect(key="e").proto.placeholder == "请选择(可多选)"
    assert probe.selectbox(key="f").proto.placeholder == "选择计划"  # a page's own placeholder wins
    assert probe.date_input(key="d").proto.format == "YYYY-MM-DD"


# -- 2. one Chinese xlsx download per table ---------------------------------------------------------
def test_common_xlsx_bytes_is_retired():
    import ui.common

    assert not hasattr(ui.common, "xlsx_bytes") and not hasattr(ui.common, "table_download")


def test_table_xlsx_is_typed_filtered_and_printable():
    from ui.tables import table_xlsx

    df = pd.DataFrame(
        {
            "单位": ['=HYPERLINK("http://x")', "乙", "丙"],
            "完成时限": pd.to_datetime(pd.Series(["2021-11-30", None, "2022-01-05"])),
            "填报日期": [date(2021, 9, 1), None, date(2021, 10, 2)],
            "进度": ["50%", "—", "100%"],
            "报送率": [0.83, None, 1.0],
            "逾期": [1, 0, 3],
            "得分": [97.5, 100.0, None],
            "_hidden": [1, 2, 3],
        }
    )
    ws = load_workbook(io.BytesIO(table_xlsx({"排名": df}, "单位排名(截至2021-11-30)")))["排名"]
    assert ws["A1"].value == "单位排名(截至2021-11-30)"
    assert [c.value for c in ws[2]] == ["单位", "完成时限", "填报日期", "进度", "报送率", "逾期", "得分"]
    assert ws["A3"].value.startswith("'=")  # a formula from a user is text
    assert ws["B3"].value.date() == date(2021, 11, 30) and ws["B3"].number_format == "yyyy-mm-dd"
    assert ws["C5"].value.date() == date(2021, 10, 2)
    assert ws["B4"].value is None and ws["D4"].value is None and ws["E4"].value is None  # — and nan: empty
    assert (ws["D3"].value, ws["D3"].number_format) == (0.5, "0%")
    assert (ws["E3"].value, ws["E3"].number_format) == (0.83, "0%")
    assert ws["F5"].value == 3 and ws["G3"].value == 97.5
    assert ws.auto_filter.ref == "A2:G5" and ws.print_title_rows == "$1:$2"
    assert int(ws.page_setup.paperSize) == 9 and ws.max_column == 7  # A4


@pytest.mark.parametrize(
    ("role", "page", "keys"),
    [
        ("office", "ui/page_units.py", {"units_rank_xlsx", "units_tasks_xlsx", "units_rem_dl"}),
        ("leader", "ui/page_overview.py", {"ov_late_xlsx", "ov_lagging_xlsx", "ov_rem_xlsx"}),
        ("office", "ui/page_supervision.py", {"sup_table_xlsx", "sup_periods_xlsx", "sup_record_xlsx"}),
        ("office", "ui/page_progress.py", {"prog_hist_xlsx"}),
        ("office", "ui/page_graph.py", {"graph_load_xlsx"}),
        ("office", "ui/page_tasks.py", {"tasks_export"}),
    ],
)
def test_tables_have_our_chinese_xlsx_button(role, page, keys, demo_url, monkeypatch):
    at = _app(monkeypatch, demo_url, role, page)
    found = {b.proto.id for b in at.get("download_button")}
    labels = {b.proto.label for b in at.get("download_button")}
    for k in keys:
        assert any(i.endswith(k) for i in found), (k, sorted(found))
    assert not any("csv" in lab.lower() for lab in labels), labels  # the old csv buttons are gone
    assert not any("Download" in lab for lab in labels), labels


def test_the_ranking_download_holds_the_table_typed(demo_url, monkeypatch, deferred):
    """What the 单位排名 button downloads: the ranking shown, 报送率 as a percentage number."""
    at = _app(monkeypatch, demo_url, "office", "ui/page_units.py")
    shown = next(d.value for d in at.dataframe if "名次" in d.value.columns)
    ws = load_workbook(io.BytesIO(downloaded(at, deferred, "units_rank_xlsx"))).active
    assert "单位排名" in ws["A1"].value
    header = [c.value for c in ws[2]]
    assert header == list(shown.columns)
    assert [ws.cell(r, 2).value for r in range(3, ws.max_row + 1)] == list(shown["单位"])
    rate = header.index("报送率") + 1
    rates = [ws.cell(r, rate) for r in range(3, ws.max_row + 1) if ws.cell(r, rate).value is not None]
    assert rates and all(isinstance(c.value, (int, float)) and c.number_format == "0%" for c in rates)
    assert all(0 <= c.value <= 1 for c in rates)
    assert ws.auto_filter.ref and ws.print_title_rows == "$1:$2"


def test_the_unit_task_download_has_dates_as_dates(demo_url, monkeypatch, deferred):
    at = _app(monkeypatch, demo_url, "office", "ui/page_units.py")
    ws = load_workbook(io.BytesIO(downloaded(at, deferred, "units_tasks_xlsx"))).active
    header = [c.value for c in ws[2]]
    col = header.index("完成时限") + 1
    days = [ws.cell(r, col).value for r in range(3, ws.max_row + 1) if ws.cell(r, col).value is not None]
    assert days and all(hasattr(d, "year") for d in days)
    pct = header.index("进度") + 1
    assert ws.cell(3, pct).number_format == "0%" and 0 <= ws.cell(3, pct).value <= 1


# -- 4. the leader reads 督办; nobody is offered a button their role cannot use ---------------------------
def test_leader_sees_supervision_read_only(demo_url, monkeypatch):
    from ui.nav import pages_for

    assert "ui/page_supervision.py" in pages_for("leader")
    at = _app(monkeypatch, demo_url, "leader", "ui/page_supervision.py")
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "督办"
    assert [t.label for t in at.tabs] == ["任务督办状态", "报送日历与报告期", "基线对比", "督办记录"]
    assert not list(at.main.button)  # no 签收/审批/冻结/开启/关闭/保存 for a leader
    assert not list(at.main.text_input) and not list(at.main.date_input) and not list(at.main.number_input)
    assert not list(at.get("file_uploader"))
    assert any("计划起始日" in m.value for m in at.markdown)  # the calendar, read
    assert at.dataframe  # the state table (and the periods) are there


def test_office_and_unit_keep_their_supervision_controls(demo_url, monkeypatch):
    at = _app(monkeypatch, demo_url, "office", "ui/page_supervision.py")
    assert [t.label for t in at.tabs] == ["任务督办状态", "待办审批", "报送日历与报告期", "基线对比", "督办记录"]
    keys = {b.key for b in at.main.button}
    assert {"sup_cal_save", "sup_open_btn", "sup_freeze"} <= keys
    at = _app(monkeypatch, demo_url, "unit", "ui/page_supervision.py", UNIT)
    assert [t.label for t in at.tabs] == ["我的任务", "督办记录"]
    assert not {"sup_cal_save", "sup_open_btn", "sup_freeze"} & {b.key for b in at.main.button}


@pytest.mark.parametrize("role", ["leader", "planner"])
def test_read_only_roles_are_offered_no_action_on_any_page(role, demo_url, monkeypatch):
    """Every page a reading role may open: the only buttons are reading ones (build a report)."""
    from ui.nav import pages_for

    readable = {"rep_build"}
    for page in pages_for(role):
        at = _app(monkeypatch, demo_url, role, page)
        assert not at.error, (page, [e.value for e in at.error])
        keys = {b.key for b in at.main.button}
        if page in ("ui/page_hall.py", "ui/page_staffing.py", "ui/page_hall_report.py"):
            continue  # the planner's own tools: simulations change nothing stored
        assert keys <= readable, (role, page, keys - readable)
        assert not list(at.get("file_uploader")), (role, page)
        assert not [d for d in at.dataframe if d.proto.editing_mode], (role, page)


def test_planner_is_not_offered_the_predecessor_editor(demo_url, monkeypatch):
    at = _app(monkeypatch, demo_url, "planner", "ui/page_tasks.py")
    assert "前置任务" not in at.segmented_control(key="tasks_view").options
    at = _app(monkeypatch, demo_url, "office", "ui/page_tasks.py")
    assert "前置任务" in at.segmented_control(key="tasks_view").options


# -- 5. one date format ---------------------------------------------------------------------------------
DATE_LIKE = re.compile(r"\d{4}[/.年]\d{1,2}[/.月]\d{1,2}日?|\d{1,2}/\d{1,2}/\d{4}")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$")


@pytest.mark.parametrize(
    "page", ["ui/page_overview.py", "ui/page_units.py", "ui/page_supervision.py", "ui/page_progress.py"]
)
def test_tables_write_dates_one_way(page, demo_url, monkeypatch):
    at = _app(monkeypatch, demo_url, "office", page)
    dated = 0
    for d in at.dataframe:
        for col in d.value.columns:
            if not any(w in str(col) for w in ("时限", "日期", "期限", "时间", "起始", "截止")) or "原文" in str(col):
                continue
            cells = {str(v) for v in d.value[col]}
            odd = sorted(v for v in cells if DATE_LIKE.search(v))
            assert not odd, (page, col, odd[:5])
            dated += any(ISO.match(v) for v in cells)
    assert dated, f"{page}: no date column was checked"


@pytest.mark.parametrize(("role", "page"), [("office", "ui/accounts.py"), ("unit", "ui/page_tasks.py")])
def test_every_page_gets_the_chinese_widget_css(role, page, demo_url, monkeypatch):
    """app.py styles every page (also pages that draw no page header): the uploader's English replaced,
    Streamlit's toolbar, "Press Enter", "View 3 more" and the date-range quick select dealt with."""
    at = _app(monkeypatch, demo_url, role, page, UNIT if role == "unit" else None)
    html = " ".join(str(h.proto) for h in at.get("html"))
    for rule in (
        "stFileUploaderDropzoneInstructions",
        "stElementToolbar",
        "InputInstructions",
        "stSidebarNavViewButton",
        "stDateInputQuickSelect",
        'aria-label^=\\"Download as CSV\\"',
    ):
        assert rule in html, rule


def test_every_action_in_the_operation_log_reads_in_chinese(demo_url):
    """The 操作日志 (accounts page) names each action and its details in words, never a code like ``claim``."""
    from tasks.accounts.audit import action_label
    from tasks.store import Store
    from ui.tables import detail_text

    store = Store(demo_url)
    entries = store.audit_log()
    store.dispose()
    assert {"sign", "claim", "claim_accepted"} <= {a.action for a in entries}  # the demo runs the loop
    for a in entries:
        assert not LATIN.search(action_label(a.action)), a.action
        text = detail_text(a.detail)
        assert "{" not in text and "sha256" not in text, text
