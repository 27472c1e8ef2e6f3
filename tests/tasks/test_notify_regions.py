"""City offices send their own notices (issue 18): contacts and outbox messages belong to a region.

One database holds 甲市 (with its county 乙县), 丙市 and the province's own plan (本级); every plan
has the same unit names, as cities do.  Through a real SMTP server (aiosmtpd) and a real HTTP robot
server: the province queues everything during quiet hours; 甲市's office then sends exactly its own
and its county's messages, each to the contact its office keeps, and 丙市's and the province's rows
stay as they were; the province's run sends the rest.  Every refused call writes nothing.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from accounts_helpers import BACKENDS, PG_URL, dump
from notify_helpers import HttpSink, SmtpSink
from progress_helpers import small_plan

from tasks.accounts import Account, GuardedStore, PermissionDenied
from tasks.model import Task
from tasks.notify import Contact, MailSettings, NotifyError, NotifyRules
from tasks.regions import add_region
from tasks.store.testing import temporary_store

JIA, YI, BING, OWN = "甲市方案", "乙县方案", "丙市方案", "本级方案"
REGION = {JIA: "甲市", YI: "乙县", BING: "丙市", OWN: ""}
SGB, ZW = "市审改办", "市政务服务中心"  # the two lead units of every plan: both owe the 2021-09 report
QUIET = datetime(2021, 10, 8, 7, 0)  # before 08:00: queued, not sent
T0 = datetime(2021, 10, 8, 9, 0)
RULES = NotifyRules(reasons=("urge",))
CHANNELS = ["mail", "webhook"]


def outbox_rows(store) -> list[tuple]:
    """Every outbox row as stored (the refusals and other regions' runs must leave them alone)."""
    return dump(store)["notify_outbox"]


@pytest.fixture(params=BACKENDS)
def world(request, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_FILES_DIR", str(tmp_path / "files"))
    with temporary_store(request.param, tmp_path, PG_URL) as store, SmtpSink() as smtp, HttpSink() as http:
        add_region(store, "甲市", actor="cli")
        add_region(store, "乙县", parent="甲市", actor="cli")
        add_region(store, "丙市", actor="cli")
        prov = GuardedStore(store, Account("sheng", "office"))
        for key, region in REGION.items():
            plan = small_plan(key)
            if key == BING:  # a unit only 丙市 has
                plan.tasks.append(Task(id="4", title="气象服务", lead_units=["市气象局"], deadline_kind="ongoing"))
            prov.load_plan_into_store(plan, region=region or None)
        store.open_period("2021-09", "cli")
        g = {
            "prov": prov,
            "jia": GuardedStore(store, Account("jia", "office", region="甲市")),
            "yi": GuardedStore(store, Account("yi", "office", region="乙县")),
            "bing": GuardedStore(store, Account("bing", "office", region="丙市")),
            "jia_leader": GuardedStore(store, Account("jld", "leader", region="甲市")),
            "jia_unit": GuardedStore(store, Account("jzw", "unit", unit=ZW, region="甲市")),
        }
        # each office keeps its own units' contacts; 乙县's 市审改办 has its own, its 市政务服务中心 is the city's
        g["jia"].save_contact(Contact(SGB, "甲王", email="jia-sgb@example.gov.cn"))
        g["jia"].save_contact(Contact(ZW, "甲李", webhook=f"{http.url}/jia-zw"))
        g["jia"].save_contact(Contact(SGB, "乙赵", email="yi-sgb@example.gov.cn"), region="乙县")
        g["bing"].save_contact(Contact(SGB, "丙王", email="bing-sgb@example.gov.cn"))
        g["bing"].save_contact(Contact(ZW, "丙李", webhook=f"{http.url}/bing-zw"))
        prov.save_contact(Contact(SGB, "省王", email="own-sgb@example.gov.cn"))  # the province's: 本级 plans
        prov.save_contact(Contact(ZW, "省李", webhook=f"{http.url}/own-zw"))
        mail = MailSettings("127.0.0.1", smtp.port, sender="ban@example.gov.cn", tls="none")
        yield store, g, smtp, http, mail


def run(office, now, mail):
    return office.run_notify(now, send=True, channels=CHANNELS, rules=RULES, mail=mail)


def test_contacts_belong_to_their_office(world):
    store, g, *_ = world
    assert {(c.region, c.unit) for c in g["jia"].notify_contacts()} == {("甲市", SGB), ("甲市", ZW), ("乙县", SGB)}
    assert {(c.region, c.unit) for c in g["bing"].notify_contacts()} == {("丙市", SGB), ("丙市", ZW)}
    assert {c.region for c in g["yi"].notify_contacts()} == {"乙县"}
    assert len(g["prov"].notify_contacts()) == 7  # the province sees every office's
    # the same unit name in two cities: two contacts, never one overwriting the other
    assert {c.email for c in g["prov"].notify_contacts() if c.unit == SGB} == {
        "jia-sgb@example.gov.cn",
        "yi-sgb@example.gov.cn",
        "bing-sgb@example.gov.cn",
        "own-sgb@example.gov.cn",
    }


def test_a_city_office_sends_its_own_messages_and_the_province_the_rest(world):
    store, g, smtp, http, mail = world
    queued = run(g["prov"], QUIET, mail)  # the province's run in quiet hours: everything queued, nothing sent
    assert queued.send.quiet and not queued.send.sent and not queued.unreached[:0]
    by_region = sorted((m.region, m.unit, m.channel) for m in g["prov"].outbox())
    assert by_region == sorted(
        [(r, SGB, "mail") for r in ("", "甲市", "乙县", "丙市")]
        + [(r, ZW, "webhook") for r in ("", "甲市", "乙县", "丙市")]
    )
    assert ("urge", "市气象局(丙市)") in queued.unreached  # 丙市 keeps no contact for it; nobody else's is used
    assert smtp.mails == [] and http.hits == []
    others = [r for r in outbox_rows(store) if "'甲市'" not in r and "'乙县'" not in r]
    assert len(others) == 4

    rep = run(g["jia"], T0, mail)  # 甲市's office: its own and its county's messages
    assert len(rep.send.sent) == 4 and not rep.send.failed and not rep.queued  # already queued by the province
    assert sorted(tuple(m.rcpt) for m in smtp.mails) == [("jia-sgb@example.gov.cn",), ("yi-sgb@example.gov.cn",)]
    mails = {m.rcpt[0]: m for m in smtp.mails}
    assert "甲王您好" in mails["jia-sgb@example.gov.cn"].body and JIA in mails["jia-sgb@example.gov.cn"].body
    assert "乙赵您好" in mails["yi-sgb@example.gov.cn"].body and YI in mails["yi-sgb@example.gov.cn"].body
    assert BING not in mails["jia-sgb@example.gov.cn"].body + mails["yi-sgb@example.gov.cn"].body
    assert sorted(h.path for h in http.hits) == ["/jia-zw", "/jia-zw"]  # the county's goes to its city's robot
    assert sorted(h.body["plan"] for h in http.hits) == sorted([JIA, YI])
    assert [r for r in outbox_rows(store) if "'甲市'" not in r and "'乙县'" not in r] == others  # untouched
    assert {(m.region, m.status) for m in g["jia"].outbox()} == {("甲市", "sent"), ("乙县", "sent")}
    assert {m.region for m in g["bing"].outbox()} == {"丙市"} and len(g["yi"].outbox()) == 2

    rep = run(g["prov"], T0.replace(minute=30), mail)  # the province sends what is left
    assert len(rep.send.sent) == 4 and not rep.send.failed
    assert sorted(tuple(m.rcpt) for m in smtp.mails[2:]) == [("bing-sgb@example.gov.cn",), ("own-sgb@example.gov.cn",)]
    assert sorted(h.path for h in http.hits[2:]) == ["/bing-zw", "/own-zw"]
    assert len(smtp.mails) == 4 and len(http.hits) == 4  # nothing sent twice
    assert {m.status for m in g["prov"].outbox()} == {"sent"} and len(g["prov"].outbox()) == 8


def test_a_city_run_queues_only_its_own_and_keeps_its_own_cap(world):
    store, g, smtp, http, mail = world
    rules = dataclasses.replace(RULES, daily_cap=1)
    rep = g["jia"].run_notify(T0, send=True, channels=CHANNELS, rules=rules, mail=mail)
    assert {m.region for m in rep.queued} == {"甲市", "乙县"} and len(rep.queued) == 4
    sent = {m.id: m.region for m in g["prov"].outbox(status="sent")}
    assert sorted(sent.values()) == ["乙县", "甲市"] and rep.send.capped and rep.send.deferred == 2  # a cap each …
    rep = g["bing"].run_notify(T0, send=True, channels=CHANNELS, rules=rules, mail=mail)
    assert {m.region for m in rep.queued} == {"丙市"} and len(rep.send.sent) == 1  # … 丙市's not used up by 甲市
    assert {m.region for m in g["prov"].outbox()} == {"甲市", "乙县", "丙市"}  # the province's own: not queued


def refusals(g):
    jia, bing_msg = g["jia"], [m.id for m in g["prov"].outbox() if m.region == "丙市"]
    return [
        (lambda: jia.cancel_messages(bing_msg), PermissionDenied, "不能取消消息"),
        (lambda: jia.retry_messages(bing_msg), PermissionDenied, "不能重试消息"),
        (
            lambda: jia.save_contact(Contact(SGB, email="x@example.gov.cn"), region="丙市"),
            PermissionDenied,
            "不能维护丙市",
        ),
        (lambda: jia.delete_contact(SGB, region="丙市"), PermissionDenied, "不能维护丙市"),
        (lambda: jia.import_contacts("联系人.csv", region="丙市"), PermissionDenied, "不能维护丙市"),
        (lambda: jia.save_contact(Contact("市气象局", email="x@example.gov.cn")), NotifyError, "不在任务分解表中"),
        (lambda: g["yi"].save_contact(Contact(SGB, email="x@example.gov.cn"), region="甲市"), PermissionDenied, "乙县"),
        (lambda: jia.save_template("urge", "主题", "正文"), PermissionDenied, "此项全省统一"),
        (lambda: jia.save_notify_rules(RULES), PermissionDenied, "此项全省统一"),
        (lambda: g["jia_leader"].outbox(), PermissionDenied, "无权查看发件箱"),
        (lambda: g["jia_leader"].run_notify(T0, send=True), PermissionDenied, "无权发送提醒"),
        (lambda: g["jia_unit"].notify_contacts(), PermissionDenied, "无权维护单位联系人"),
        (lambda: g["jia_unit"].cancel_messages(bing_msg), PermissionDenied, "无权发送提醒"),
    ]


def test_refusals_write_nothing(world):
    store, g, smtp, http, mail = world
    run(g["prov"], QUIET, mail)
    before, counts = dump(store), store.counts()
    for i, (call, error, words) in enumerate(refusals(g)):
        with pytest.raises(error, match=words):
            call()
        assert store.counts() == counts and dump(store) == before, i
    assert smtp.mails == [] and http.hits == []


def test_cli_as_a_city_office(world, monkeypatch, capsys, tmp_path):
    """``--as`` a city's office: the contact list goes into its own region, another region's is refused
    with a Chinese message and nothing written, and ``notify --send`` touches its own messages only."""
    import json

    from tasks.__main__ import main
    from tasks.accounts import AccountBook, use_cli_account

    store, g, smtp, http, mail = world
    monkeypatch.setenv("WORKBENCH_DB_URL", store.url)
    AccountBook(store).add("jia", "office", region="甲市", password="Vq8#Lm2x-Rt6pZw", actor="cli")
    sheet = tmp_path / "联系人.csv"
    sheet.write_text(
        "单位,联系人,手机,邮箱,群机器人地址\n市司法局,甲周,13800000000,sfj@example.gov.cn,\n", encoding="utf-8"
    )

    def cli(*argv: str) -> int:
        use_cli_account(None)
        try:
            return main(list(argv))
        finally:
            use_cli_account(None)

    assert cli("--as", "jia", "contacts", "import", str(sheet), "--json") == 0
    assert json.loads(capsys.readouterr().out)["saved"]
    assert ("甲市", "市司法局") in {(c.region, c.unit) for c in g["prov"].notify_contacts()}
    before = dump(store)
    assert cli("--as", "jia", "contacts", "import", str(sheet), "--region", "丙市") == 2
    err = capsys.readouterr().err
    assert "不能维护丙市" in err and "Traceback" not in err
    assert dump(store) == before
    assert cli("--as", "jia", "contacts", "list") == 0
    listed = capsys.readouterr().out
    assert "[甲市] 市司法局" in listed and "丙" not in listed
