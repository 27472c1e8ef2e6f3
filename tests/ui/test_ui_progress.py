"""AppTest: 进展填报 upload → confirm → status on 总览/单位考评/报告; a bad sheet is refused row by row."""

from __future__ import annotations

import os
from datetime import date

import pytest
from ui_support import app_on, filled_template

PLAN = "测试计划"


PG_URL = os.environ.get("WORKBENCH_TEST_PG_URL", "").strip()


def _store(tmp_path):
    from tasks.store import Store

    return Store(f"sqlite:///{tmp_path / 'wb.db'}")


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=[
                pytest.mark.pg,
                pytest.mark.skipif(
                    not PG_URL, reason="WORKBENCH_TEST_PG_URL not set (make test starts a local PostgreSQL)"
                ),
            ],
        ),
    ]
)
def db_url(request, tmp_path):
    """The dashboard's store: a SQLite file, or a fresh PostgreSQL database (dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'wb.db'}"
        return
    from tasks.store.testing import temporary_database

    with temporary_database(PG_URL) as url:
        yield url
        from ui.store import store_at as cached

        cached.clear()  # close the dashboard's pooled connections


def test_filled_template_is_checked_saved_and_changes_the_status(tmp_path, monkeypatch, db_url):
    from tasks.store import Store

    at = app_on(tmp_path, monkeypatch, "ui/page_progress.py", db_url=db_url)
    assert at.selectbox(key="prog_plan").value == PLAN
    store = Store(db_url)
    data = filled_template(store, "市政务服务中心", "2021-07", PLAN, report_date=date(2021, 7, 20))
    at.file_uploader(key="prog_files_0").set_value(("市政务服务中心.xlsx", data, "application/octet-stream")).run()
    assert not at.exception and not at.error
    assert any("检查通过" in s.value for s in at.success)
    assert store.uploads() == []  # nothing saved before confirming
    at.button(key="prog_confirm").click().run()
    assert not at.exception
    assert any("已保存" in s.value for s in at.success)
    assert [u.unit for u in store.uploads()] == ["市政务服务中心"]

    # a reported 已完成 is a claim: done (已办结) only once the office accepts it
    from datetime import datetime

    from tasks.progress.lifecycle import claim, review, sign

    for tid in ("3", "4"):
        sign(store, PLAN, tid, actor="test", at=datetime(2021, 7, 1, 9))
        claim(
            store, PLAN, tid, actor="test", evidence=[("纪要.pdf", b"%PDF-1.4\n%%EOF\n")], at=datetime(2021, 7, 20, 9)
        )
    review(store, PLAN, "3", accept=True, actor="test", at=datetime(2021, 7, 25, 9))
    review(store, PLAN, "4", accept=True, actor="test", at=datetime(2021, 7, 25, 9))
    at.switch_page("ui/page_overview.py").run()
    at.date_input(key="as_of_widget").set_value(date(2021, 8, 1)).run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["已办结"] == "2"  # tasks 3 and 4: claimed with evidence, accepted
    at.date_input(key="as_of_widget").set_value(date(2021, 7, 10)).run()
    assert {m.label: m.value for m in at.metric}["已办结"] == "0"  # before the claim: replayed
    store.dispose()


def test_sheet_with_bad_rows_is_refused_and_nothing_is_saved(tmp_path, monkeypatch):
    at = app_on(tmp_path, monkeypatch, "ui/page_progress.py")
    store = _store(tmp_path)
    data = filled_template(store, "市审改办", "2021-07", PLAN, status="已完成", percent=250)
    at.file_uploader(key="prog_files_0").set_value(("市审改办.xlsx", data, "application/octet-stream")).run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "问题" in errors and "不会保存" in errors
    problems = at.dataframe[0].value
    assert set(problems["列"]) >= {"完成进度(%)"} and problems["行"].notna().all()
    assert not [b for b in at.button if b.key == "prog_confirm"]
    assert store.uploads() == []


def test_units_page_ranks_and_offers_the_reminder_sheet(tmp_path, monkeypatch):
    at = app_on(tmp_path, monkeypatch, "ui/page_units.py")
    at.date_input(key="as_of_widget").set_value(date(2021, 9, 1)).run()
    assert not at.exception and not at.error
    ranking = at.dataframe[0].value
    assert {"市审改办", "市政务服务中心"} <= set(ranking["单位"])
    assert "得分" in " ".join(i.value for i in at.info)  # the scoring rule is shown


def test_reports_page_builds_downloads(tmp_path, monkeypatch):
    at = app_on(tmp_path, monkeypatch, "ui/page_reports.py")
    at.text_input(key="rep_period_month").input("2021-07").run()
    at.button(key="rep_build").click().run()
    assert not at.exception and not at.error
    assert any("已生成" in s.value for s in at.success)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "下载 Excel 报表" in labels and "下载 Word 通报稿" in labels


def test_demo_progress_loads_through_validation_and_fills_the_overview(tmp_path, monkeypatch):
    from ui_support import ROOT

    at = app_on(tmp_path, monkeypatch, "ui/page_progress.py", plans_dir=ROOT / "data" / "plans", timeout=300)
    at.button(key="prog_demo").click().run()
    assert not at.exception and not at.error
    assert any("演示填报" in s.value for s in at.success)
    store = _store(tmp_path)
    assert len(store.uploads()) > 40
    assert at.button(key="prog_demo").disabled  # only once
    at.switch_page("ui/page_overview.py").run()
    at.date_input(key="as_of_widget").set_value(date(2021, 12, 10)).run()
    metrics = {m.label: int(m.value) for m in at.metric if m.value.isdigit()}
    assert metrics["已办结"] > 10 and metrics["任务总数"] == 36


@pytest.fixture
def rules_copy(tmp_path, monkeypatch):
    """The rules file the dashboard reads and writes, as a copy (the repository's stays untouched)."""
    import shutil

    from tasks.progress import rules as rules_mod

    copy = tmp_path / "rules.toml"
    shutil.copy(rules_mod.RULES_FILE, copy)
    monkeypatch.setattr(rules_mod, "RULES_FILE", copy)
    return copy


def test_rules_edit_is_checked_saved_and_rescores(tmp_path, monkeypatch, rules_copy):
    at = app_on(tmp_path, monkeypatch, "ui/page_units.py")
    at.date_input(key="as_of_widget").set_value(date(2021, 9, 1)).run()  # task 1 overdue: a red card
    rank = at.dataframe[0].value.set_index("单位")
    score, red = rank.loc["市审改办", "得分"], rank.loc["市审改办", "红牌"]
    assert red == 2  # tasks 1 and 2 are overdue on 2021-09-01
    assert at.number_input(key="rf0_1_points").label == "扣分(每张牌)"  # a form with Chinese labels, no TOML
    at.number_input(key="rf0_1_points").set_value(7.0)  # the red card: 3 -> 7 points
    at.button(key="rf0_save").click().run()  # (a form: set and submit at once)
    assert not at.exception and not at.error
    assert any("规则已保存" in s.value for s in at.success)
    assert "points = 7" in rules_copy.read_text(encoding="utf-8")
    after = dict(zip(at.dataframe[0].value["单位"], at.dataframe[0].value["得分"]))["市审改办"]
    assert after == score - 4 * red  # each red card now costs 7 points instead of 3


def test_bad_rules_are_refused_and_the_file_is_kept(tmp_path, monkeypatch, rules_copy):
    before = rules_copy.read_text(encoding="utf-8")
    at = app_on(tmp_path, monkeypatch, "ui/page_units.py")
    at.text_input(key="rf0_1_name").input("")  # a level without a name
    at.button(key="rf0_save").click().run()
    assert not at.exception
    assert any("保存规则失败" in e.value and "预警等级第2行:请填写名称" in e.value for e in at.error)
    at.text_input(key="rf0_1_name").input("红牌")
    at.text_input(key="rf0_1_key").input("yellow")  # the same code as the level above
    at.button(key="rf0_save").click().run()
    assert any("预警等级第2行(红牌):代码“yellow”与上面的等级重复" in e.value for e in at.error), [
        e.value for e in at.error
    ]
    assert rules_copy.read_text(encoding="utf-8") == before
