"""提醒与发件箱 as a city's office (AppTest): the page is offered, lists and sends only its own regions'
messages, keeps contacts for its own regions only, and shows no rules or templates to edit."""

from __future__ import annotations

from datetime import datetime

import pytest
from accounts_helpers import dump, must
from progress_helpers import small_plan

from tasks.accounts import Account, AccountBook, GuardedStore
from tasks.notify import Contact, NotifyRules, TaskEvent
from tasks.regions import add_region
from tasks.store import Store

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
PW = "Vq8#Lm2x-Rt6pZw"
PAGE = "ui/page_notify.py"
WHEN = datetime(2021, 10, 8, 10, 0)


@pytest.fixture
def store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'wb.db'}"
    monkeypatch.setenv("WORKBENCH_DB_URL", url)
    monkeypatch.setenv("WORKBENCH_FILES_DIR", str(tmp_path / "files"))
    monkeypatch.delenv("WORKBENCH_NOTIFY_CHANNELS", raising=False)
    s = Store(url)
    add_region(s, "甲市", actor="cli")
    add_region(s, "乙县", parent="甲市", actor="cli")
    add_region(s, "丙市", actor="cli")
    prov = GuardedStore(s, Account("cli", "office"))
    for key, region in (("甲市方案", "甲市"), ("乙县方案", "乙县"), ("丙市方案", "丙市")):
        prov.load_plan_into_store(small_plan(key), region=region)
    prov.save_notify_rules(NotifyRules(quiet_start="00:00", quiet_end="00:00"))
    for region, box in (("甲市", "jia"), ("丙市", "bing")):
        prov.save_contact(Contact("市审改办", f"{region}王", email=f"{box}@example.gov.cn"), region=region)
        prov.notify_events([TaskEvent("sign", f"e-{region}", f"{region}方案", "1", "市审改办", "推进简政放权", WHEN)],
                           now=WHEN, channels=["mail"])  # fmt: skip
    book = AccountBook(s)
    book.add("jia", "office", region="甲市", password=PW, actor="cli")
    book.add("sheng", "office", password=PW, actor="cli")
    yield s
    s.dispose()


def page(store, name: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=120)
    at.session_state["wb_session_token"] = AccountBook(store).login(name, PW).token
    return at.run()


def test_city_office_sees_and_keeps_only_its_own(store):
    from ui.nav import pages_for

    account = must(AccountBook(store).get("jia"))
    assert PAGE in pages_for(account.role, account)
    at = page(store, "jia")
    assert not at.exception and not at.error, [e.value for e in at.exception] + [e.value for e in at.error]
    table = at.dataframe[0].value
    assert list(table["地区"]) == ["甲市"] and list(table["联系人"]) == ["甲市王"]
    assert len(at.tabs) == 2  # no rules or templates to edit
    assert not [b for b in at.button if b.key in ("nt_tpl_save", "nt_tpl_reset")]
    assert at.selectbox(key="nt_contacts_region").options == ["甲市", "乙县"]
    assert "丙市" not in "".join(str(e.value) for kind in ("caption", "info", "markdown") for e in getattr(at, kind))
    before = dump(store)
    at.multiselect(key="nt_pick").set_value([m.id for m in GuardedStore(store, account).outbox()]).run()
    at.button(key="nt_cancel").click().run()
    assert not at.exception
    statuses = {m.region: m.status for m in GuardedStore(store, Account("sheng", "office")).outbox()}
    assert statuses == {"甲市": "skipped", "丙市": "pending"}  # 丙市's message untouched
    assert dump(store) != before


def test_province_sees_every_region_and_edits_rules(store):
    at = page(store, "sheng")
    assert not at.exception and not at.error
    assert sorted(at.dataframe[0].value["地区"]) == ["丙市", "甲市"]
    assert len(at.tabs) == 3 and at.button(key="nt_tpl_save")
    assert at.selectbox(key="nt_contacts_region").options == ["全省(本级计划)", "丙市", "甲市", "乙县"]
