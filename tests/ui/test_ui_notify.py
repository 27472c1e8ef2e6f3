"""提醒与发件箱 page (AppTest): office sends, previews, retries failed messages, edits rules and templates;
units and leaders cannot open it."""

from __future__ import annotations

from datetime import datetime

import pytest
from notify_helpers import DING_PATH, HttpSink
from ui_support import ROOT, app_on

from tasks.notify import Contact, NotifyRules, TaskEvent, notify_events, outbox, save_contact, save_notify_rules
from tasks.store import Store

PAGE = "ui/page_notify.py"


def texts(at) -> str:
    return "\n".join(
        str(e.value)
        for kind in ("error", "warning", "info", "success", "caption", "markdown")
        for e in getattr(at, kind)
    )


@pytest.fixture
def db(tmp_path):
    return f"sqlite:///{tmp_path / 'wb.db'}"


def test_office_sends_and_retries_a_failed_message(tmp_path, monkeypatch, db):
    monkeypatch.delenv("WORKBENCH_NOTIFY_CHANNELS", raising=False)
    at = app_on(tmp_path, monkeypatch, PAGE, db_url=db)
    assert not at.exception
    assert "只预览,不发送" in texts(at)
    assert at.button(key="nt_send").disabled  # no channel on: nothing can leave
    store = Store(db)
    with HttpSink() as http:
        save_contact(store, Contact("市审改办", "王五", webhook=f"{http.url}{DING_PATH}?access_token=t"), "test")
        save_contact(
            store, Contact("市政务服务中心", "赵六", webhook=f"{http.url}/fail{DING_PATH}?access_token=u"), "test"
        )
        save_notify_rules(store, NotifyRules(quiet_start="00:00", quiet_end="00:00", max_attempts=1), "test")
        when = datetime(2021, 10, 8, 10, 0)
        notify_events(
            store,
            [
                TaskEvent("sign", "e1", "测试计划", "1", "市审改办", "清理证明事项", when),
                TaskEvent("sign", "e2", "测试计划", "3", "市政务服务中心", "设立综合窗口", when),
            ],
            "test",
            now=when,
            channels={"dingtalk"},
        )
        monkeypatch.setenv("WORKBENCH_NOTIFY_CHANNELS", "webhook")
        at.run()
        at.button(key="nt_send").click().run()
        assert not at.exception
        assert "发送成功 1 条" in texts(at) and "发送失败 1 条" in texts(at)
        assert len(http.at(DING_PATH)) == 1
        failed = [m for m in outbox(store) if m.status == "failed"]
        assert [m.unit for m in failed] == ["市政务服务中心"]
        at.multiselect(key="nt_pick").select(failed[0].id).run()
        at.button(key="nt_retry").click().run()
        assert not at.exception and "已重新排队 1 条" in texts(at)
        assert outbox(store, status="pending")[0].id == failed[0].id
    store.dispose()


def test_office_edits_rules_and_templates(tmp_path, monkeypatch, db):
    at = app_on(tmp_path, monkeypatch, PAGE, db_url=db)
    at.number_input(key="nt_days").set_value(3)
    at.text_input(key="nt_qs").set_value("21:30")
    at.button[[b.label for b in at.button].index("保存规则")].click().run()
    assert not at.exception and "提醒规则已保存" in texts(at)
    store = Store(db)
    assert store.counts()["notify_settings"] == 1
    from tasks.notify import load_notify_rules

    assert load_notify_rules(store).days_ahead == 3 and load_notify_rules(store).quiet_start == "21:30"
    at.text_input(key="nt_qe").set_value("8点")
    at.button[[b.label for b in at.button].index("保存规则")].click().run()
    assert "免打扰结束时间“8点”应写成 时:分" in texts(at) and load_notify_rules(store).quiet_end == "08:00"
    at.text_input(key="nt_tpl_subject_urge").set_value("请{部门}报送")
    at.button(key="nt_tpl_save").click().run()
    assert "未知占位符 {部门}" in texts(at) and "Traceback" not in texts(at)
    at.text_input(key="nt_tpl_subject_urge").set_value("请{单位}报送{报告期}进展")
    at.button(key="nt_tpl_save").click().run()
    from tasks.notify import templates

    assert templates(store)["urge"].subject == "请{单位}报送{报告期}进展"
    store.dispose()


@pytest.mark.parametrize("role,unit", [("unit", "市审改办"), ("leader", None), ("planner", None)])
def test_units_and_leaders_cannot_open_the_page(tmp_path, monkeypatch, db, role, unit):
    from streamlit.testing.v1 import AppTest
    from ui_support import log_in

    from ui.nav import pages_for

    assert PAGE not in pages_for(role)
    monkeypatch.setenv("WORKBENCH_DB_URL", db)
    from ui_support import small_plan

    store = Store(db)
    store.load_plan_into_store(small_plan(), actor="test")
    store.dispose()
    at = log_in(AppTest.from_file(str(ROOT / PAGE), default_timeout=60), role, unit)
    at.run()
    assert not at.exception and "无权查看此页面" in texts(at) and not at.button
