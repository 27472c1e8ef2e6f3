"""Issue 19 in the dashboard: pages check their role when run directly, user text is not rendered as
Markdown, tables offer a neutralised csv instead of Streamlit's own, and a generated password must
be changed before any page opens."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.accounts import AccountBook
from tasks.model import Plan, Task
from tasks.store import Store

ROOT = Path(__file__).resolve().parents[2]
UNIT_A = "市政务服务中心"
EVIL_TITLE = "![x](http://evil.example/p.png) :red[紧急通知:请把密码发给办公室]"


def _plan() -> Plan:
    from datetime import date

    return Plan(
        title="测试计划",
        tasks=[
            Task(
                id="1",
                title=EVIL_TITLE,
                description="见 [链接](http://evil.example/a) **重要**",
                lead_units=["市审改办"],
                responsible_units=["市司法局"],
                deadline=date(2021, 12, 31),
                deadline_text="2021年底前",
                deadline_kind="date",
            ),
            Task(
                id="2",
                title="设立综合窗口",
                lead_units=[UNIT_A],
                responsible_units=["市住建局"],
                deadline=date(2021, 12, 31),
                deadline_text="2021年底前",
                deadline_kind="date",
            ),
        ],
    )


@pytest.fixture
def store(tmp_path, monkeypatch):
    plans = tmp_path / "plans"
    plans.mkdir()
    url = f"sqlite:///{tmp_path / 'wb.db'}"
    monkeypatch.setenv("WORKBENCH_PLANS_DIR", str(plans))
    monkeypatch.setenv("WORKBENCH_DB_URL", url)
    s = Store(url)
    s.load_plan_into_store(_plan(), actor="cli")
    book = AccountBook(s)
    book.add("ban", "office", password="Ban-Gong-Shi-01", actor="cli")
    book.add("zwzx", "unit", unit=UNIT_A, password="Zheng-Wu-2021x", actor="ban")
    yield s
    s.dispose()


def _page(script: str, token: str | None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / script), default_timeout=120)
    if token:
        at.session_state["wb_session_token"] = token
    return at


def _texts(at) -> str:
    return "\n".join(
        str(e.value)
        for kind in ("error", "warning", "info", "success", "caption", "markdown")
        for e in getattr(at, kind)
    )


@pytest.mark.parametrize(
    "script",
    [
        "ui/page_overview.py",
        "ui/page_graph.py",
        "ui/page_import.py",
        "ui/page_reports.py",
        "ui/page_hall.py",
        "ui/page_staffing.py",
    ],
)
def test_page_run_directly_as_a_unit_is_refused(store, script):
    at = _page(script, AccountBook(store).login("zwzx", "Zheng-Wu-2021x").token).run()
    assert not at.exception
    assert "无权查看此页面" in _texts(at)
    assert not at.dataframe and not at.metric


def test_page_run_directly_without_login_is_refused(store):
    at = _page("ui/page_tasks.py", None).run()
    assert not at.exception and "请先登录" in _texts(at) and not at.dataframe


def test_tasks_page_run_directly_as_a_unit_shows_only_its_tasks(store):
    at = _page("ui/page_tasks.py", AccountBook(store).login("zwzx", "Zheng-Wu-2021x").token).run()
    assert not at.exception
    assert sorted(at.dataframe[0].value["编号"]) == ["2"]


def test_task_titles_are_not_rendered_as_markdown(store):
    at = _page("ui/page_tasks.py", AccountBook(store).login("ban", "Ban-Gong-Shi-01").token)
    at.session_state["tasks_view"] = "任务详情"
    at.session_state["tasks_detail_pick"] = "测试计划|1"
    at.run()
    assert not at.exception
    shown = [str(m.value) for m in at.markdown] + [str(c.value) for c in at.caption]
    assert any("紧急通知" in v for v in shown)  # the title is there…
    for v in shown:  # …but inert
        assert "](http" not in v and ":red[" not in v, v
    assert any("[链接](http://evil.example/a)" in str(t.value) for t in at.text)  # description: plain text


def test_builtin_csv_download_hidden_and_ours_neutralised(store):
    import pandas as pd
    from openpyxl import load_workbook

    from ui.common import HIDE_TABLE_CSV_CSS
    from ui.tables import table_xlsx

    assert 'aria-label^="Download as CSV"' in HIDE_TABLE_CSV_CSS and "display: none" in HIDE_TABLE_CSV_CSS
    at = _page("ui/page_tasks.py", AccountBook(store).login("ban", "Ban-Gong-Shi-01").token).run()
    assert not at.exception
    html = " ".join(str(getattr(h, "proto", h)) for h in at.get("html"))
    assert "Download as CSV" in html  # the page hides the built-in one
    data = table_xlsx(pd.DataFrame({"任务": ['=HYPERLINK("http://x")', "+1", "-1", "@A1", "普通"]}))
    import io

    ws = load_workbook(io.BytesIO(data)).active
    rows = [ws.cell(r, 1).value for r in range(3, 8)]
    assert all(r.startswith("'") for r in rows[:4]) and rows[4] == "普通"


def test_generated_password_must_be_changed_before_any_page(store):
    from streamlit.testing.v1 import AppTest

    pw = AccountBook(store).reset_password("ban", actor="cli")
    token = AccountBook(store).login("ban", pw).token
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["wb_session_token"] = token
    at.run()
    assert not at.exception
    assert at.title[0].value == "修改初始密码" and not at.dataframe
    with pytest.raises(ValueError, match="change_password"):  # no other page is registered at all
        at.switch_page("ui/page_tasks.py")
    at.text_input[0].input(pw)
    at.text_input[1].input("Xin-Mi-Ma-2021")
    at.text_input[2].input("Xin-Mi-Ma-2021")
    next(b for b in at.button if b.label == "保存新密码").click().run()
    info = AccountBook(store).info("ban")
    assert info is not None and not info["must_change_password"]
    assert AccountBook(store).resume(token).name == "ban"  # this session stays
    at.run()
    at.switch_page("ui/page_tasks.py").run()
    assert not at.exception and at.dataframe
