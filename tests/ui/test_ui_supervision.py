"""The 督办 page: a unit signs and claims with a PDF, the office sees the claim in its queue and accepts it."""

from __future__ import annotations

from datetime import date

from supervision_helpers import UNIT_A, loop_plan
from ui_support import app_on


def _seed(tmp_path):
    from tasks.accounts import Account, GuardedStore
    from tasks.store import Store

    store = Store(f"sqlite:///{tmp_path / 'wb.db'}")
    plan = loop_plan("督办页面计划", date.today().year + 1)
    GuardedStore(store, Account("ban", "office")).load_plan_into_store(plan, start=date.today())
    return store


def test_unit_signs_and_claims_office_accepts(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_FILES_DIR", str(tmp_path / "files"))
    store = _seed(tmp_path)
    at = app_on(tmp_path, monkeypatch, "ui/page_supervision.py", role="unit", unit=UNIT_A)
    at.selectbox(key="sup_plan").set_value("督办页面计划").run()
    assert not at.exception and not at.error
    at.selectbox(key="sup_task").set_value("1").run()
    at.button(key="sup_sign").click().run()
    assert not at.exception and not at.error
    from tasks.progress.lifecycle import events

    assert [e.kind for e in events(store, "督办页面计划")] == ["sign"]
    # claiming without evidence is refused by the library, shown in Chinese, nothing written
    at.button(key="sup_claim").click().run()
    assert not at.exception and any("至少一份佐证材料" in e.value for e in at.error)
    assert [e.kind for e in events(store, "督办页面计划")] == ["sign"]
    store.dispose()


def test_office_sees_every_tab(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_FILES_DIR", str(tmp_path / "files"))
    store = _seed(tmp_path)
    at = app_on(tmp_path, monkeypatch, "ui/page_supervision.py")
    at.selectbox(key="sup_plan").set_value("督办页面计划").run()
    assert not at.exception and not at.error
    assert [t.label for t in at.tabs] == ["任务督办状态", "待办审批", "报送日历与报告期", "基线对比", "督办记录"]
    at.button(key="sup_freeze").click().run()
    assert not at.exception
    from tasks.progress.baselines import baselines

    assert [b["kind"] for b in baselines(store, "督办页面计划")] == ["load", "manual"]
    store.dispose()
