"""Only the office may change contacts, templates or rules, see the outbox, or send (enforced in the library)."""

from __future__ import annotations

import pytest
from accounts_helpers import dump
from notify_helpers import UNIT_A, UNIT_B, add_contacts, plan_store
from openpyxl import Workbook

from tasks.__main__ import main
from tasks.accounts import Account, AccountBook, GuardedStore, PermissionDenied
from tasks.notify import Contact, NotifyRules, TaskEvent

UNIT = Account("zwzx", "unit", unit=UNIT_B)
LEADER = Account("ld", "leader")
PLANNER = Account("gh", "planner")
OFFICE = Account("ban", "office")


@pytest.fixture
def store(tmp_path):
    s = plan_store(f"sqlite:///{tmp_path / 'wb.db'}")
    add_contacts(s)
    yield s
    s.dispose()


def contact_sheet(path):
    wb = Workbook()
    wb.active.append(["单位", "联系人", "手机", "邮箱", "群机器人地址"])
    wb.active.append([UNIT_B, "我", "13800000009", "me@example.gov.cn", "https://evil.example.com/hook"])
    wb.save(path)
    return path


CALLS = {
    "set own robot address": lambda g, p: g.save_contact(Contact(UNIT_B, webhook="https://evil.example.com/hook")),
    "delete a contact": lambda g, p: g.delete_contact(UNIT_A),
    "edit the contact table": lambda g, p: g.apply_contact_edits([Contact(UNIT_B, "我", "13800000009")]),
    "import contacts": lambda g, p: g.import_contacts(contact_sheet(p / "c.xlsx")),
    "read contacts": lambda g, p: g.notify_contacts(),
    "edit a template": lambda g, p: g.save_template("urge", "催办", "请报送"),
    "reset a template": lambda g, p: g.reset_template("urge"),
    "read templates": lambda g, p: g.notify_templates(),
    "change rules": lambda g, p: g.save_notify_rules(NotifyRules(daily_cap=0)),
    "send": lambda g, p: g.run_notify(send=True, channels={"mail"}),
    "preview": lambda g, p: g.run_notify(send=False),
    "read the outbox": lambda g, p: g.outbox(),
    "retry": lambda g, p: g.retry_messages([1]),
    "cancel": lambda g, p: g.cancel_messages([1]),
    "send list": lambda g, p: g.export_send_list(),
    "queue event notices": lambda g, p: g.notify_events(
        [TaskEvent("sign", "x", "测试方案", "1", UNIT_A, "推进简政放权")], channels={"mail"}
    ),
}


@pytest.mark.parametrize("account", [UNIT, LEADER, PLANNER], ids=lambda a: a.role)
@pytest.mark.parametrize("call", list(CALLS))
def test_units_leaders_planners_refused_and_nothing_written(store, tmp_path, account, call):
    before = dump(store)
    with pytest.raises(PermissionDenied) as err:
        CALLS[call](GuardedStore(store, account), tmp_path)
    assert account.name in str(err.value) and "领导小组办公室" in str(err.value)
    assert dump(store) == before


def test_office_may_and_is_audited(store, tmp_path):
    g = GuardedStore(store, OFFICE)
    g.save_contact(Contact(UNIT_B, "赵六", webhook="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"))
    g.save_template("urge", "催办:{单位}", "请报送 {报告期}")
    g.save_notify_rules({"daily_cap": 10})
    assert g.notify_rules().daily_cap == 10 and g.notify_templates()["urge"].subject == "催办:{单位}"
    assert g.import_contacts(contact_sheet(tmp_path / "c.xlsx")).ok
    actions = [(a.actor, a.action) for a in store.audit_log()]
    assert ("ban", "notify_contact") in actions and ("ban", "notify_template") in actions
    assert ("ban", "notify_rules") in actions and ("ban", "notify_contacts_import") in actions


def test_raw_store_change_methods_stay_office_only_through_getattr(store):
    """The generic pass-through for store changes is office-only too (the unit cannot reach the session)."""
    g = GuardedStore(store, UNIT)
    with pytest.raises(AttributeError):
        _ = g.session
    with pytest.raises(PermissionDenied):
        g.record_action(None, "manage_notify", "x")


def test_cli_as_unit_account_is_refused(store, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DB_URL", str(store.engine.url))
    AccountBook(store).add("zwzx", "unit", unit=UNIT_B, password="Zheng-Wu-2021x", actor="cli")
    before = dump(store)
    for argv in (
        ["contacts", "import", str(contact_sheet(tmp_path / "c.xlsx"))],
        ["contacts", "list"],
        ["notify", "--send"],
        ["outbox", "--retry", "1"],
    ):
        code = main(["--as", "zwzx", *argv])
        err = capsys.readouterr().err
        assert code == 2 and err.startswith("error: 责任单位账号“zwzx”无权"), argv
    assert dump(store) == before
