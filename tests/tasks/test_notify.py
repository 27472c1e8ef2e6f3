"""Reminders: planning from the store, a real SMTP server and a real HTTP server receiving them,
retries, quiet hours, daily caps, the unique key, lifecycle events, the send list."""

from __future__ import annotations

import io
import urllib.parse
from datetime import date, datetime, timedelta

import pytest
from notify_helpers import (
    DING_PATH,
    DING_SECRET,
    UNIT_A,
    UNIT_B,
    UNIT_C,
    WECOM_PATH,
    HttpSink,
    SmtpSink,
    add_contacts,
    expected_sign,
    plan_store,
    report,
)
from openpyxl import load_workbook

from tasks.notify import (
    ChannelError,
    MailSettings,
    NotifyError,
    NotifyRules,
    TaskEvent,
    cancel_messages,
    export_send_list,
    notify_events,
    outbox,
    plan_scheduled,
    retry_messages,
    run_notify,
    save_notify_rules,
    save_template,
    send_mail,
)

T0 = datetime(2021, 10, 8, 9, 0)  # after the 2021-09 cut-off (2021-10-05)
WEBHOOKS = frozenset({"dingtalk", "wecom", "webhook"})
ALL = WEBHOOKS | {"mail"}


@pytest.fixture
def store(tmp_path):
    s = plan_store(f"sqlite:///{tmp_path / 'wb.db'}")
    yield s
    s.dispose()


def mail_to(smtp: SmtpSink) -> MailSettings:
    return MailSettings("127.0.0.1", smtp.port, sender="领导小组办公室 <ban@example.gov.cn>", tls="none")


def by(store, **kw):
    return [m for m in outbox(store) if all(getattr(m, k) == v for k, v in kw.items())]


# -- planning ---------------------------------------------------------------------------------------------------
def test_reported_unit_gets_no_reminder(store):
    add_contacts(store)
    plan = plan_scheduled(store, T0, channels=ALL, rules=NotifyRules(reasons=("urge",)))
    assert {m.unit for m in plan.messages} == {UNIT_A, UNIT_B}
    report(store, UNIT_B, "1", "b")
    report(store, UNIT_B, "3", "c")
    plan = plan_scheduled(store, T0, channels=ALL, rules=NotifyRules(reasons=("urge",)))
    assert {m.unit for m in plan.messages} == {UNIT_A}
    a_mail = next(m for m in plan.messages if m.channel == "mail")
    assert "2021-09" in a_mail.subject and "1 推进简政放权" in a_mail.body and "2 清单管理" in a_mail.body
    assert a_mail.key == f"urge|2021-09|{UNIT_A}|mail|2021-W40"


def test_pending_reminder_skipped_once_the_unit_reports(store):
    """Queued while the unit owed its report; it reports; the next run skips it instead of sending."""
    add_contacts(store)
    rules = NotifyRules(reasons=("urge",), quiet_start="00:00", quiet_end="00:00")
    sent = []
    night = datetime(2021, 10, 8, 21, 0)
    run_notify(
        store,
        night,
        send=True,
        channels={"mail"},
        rules=NotifyRules(reasons=("urge",)),
        deliver=lambda m, c: sent.append(m),
    )  # quiet hours: queued, not sent
    assert sent == [] and {m.unit for m in by(store, status="pending")} == {UNIT_A, UNIT_B}
    report(store, UNIT_B, "1", "b")
    report(store, UNIT_B, "3", "c")
    rep = run_notify(
        store,
        night + timedelta(hours=12),
        send=True,
        channels={"mail"},
        rules=rules,
        deliver=lambda m, c: sent.append(m),
    )
    assert [m.unit for m in sent] == [UNIT_A]
    skipped = by(store, status="skipped")
    assert [m.unit for m in skipped] == [UNIT_B] and "已报送" in skipped[0].last_error
    assert rep.skipped == (skipped[0].id,)


def test_deadline_reminders_days_ahead_and_done_tasks_left_out(store):
    add_contacts(store)
    rules = NotifyRules(reasons=("deadline",), days_ahead=10)
    plan = plan_scheduled(store, datetime(2021, 8, 25, 9, 0), channels={"mail"}, rules=rules)
    # task 2 (due 2021-08-31) is within 10 days: its lead 市审改办 (mail) is reminded; 市司法局 has no mail
    assert [(m.unit, m.task_id) for m in plan.messages] == [(UNIT_A, "2")]
    assert "剩 6 天" in plan.messages[0].body and (("deadline", UNIT_C) in plan.unreached)
    assert plan_scheduled(store, datetime(2021, 8, 20, 9, 0), channels={"mail"}, rules=rules).messages == ()
    # 市审改办 closes task 2 in the supervision loop (签收 → 申请办结 → 审核通过 销号): no more reminders
    from tasks.progress import lifecycle

    at = datetime(2021, 8, 24, 9, 0)
    lifecycle.sign(store, "测试方案", "2", unit=UNIT_A, actor="sgb", at=at)
    lifecycle.claim(store, "测试方案", "2", unit=UNIT_A, actor="sgb", at=at, evidence_required=False)
    lifecycle.review(store, "测试方案", "2", accept=True, unit=UNIT_A, actor="ban", at=at)
    assert plan_scheduled(store, datetime(2021, 8, 25, 9, 0), channels={"mail"}, rules=rules).messages == ()
    # one lead unit's part closed in the lifecycle: that unit is not reminded of it, the other still is
    plan = plan_scheduled(
        store,
        T0,
        channels={"mail"},
        rules=NotifyRules(reasons=("urge",)),
        closed_tasks={("测试方案", "1", UNIT_B), ("测试方案", "3", UNIT_B)},
    )
    assert [(m.unit, m.task_id) for m in plan.messages] == [(UNIT_A, "1")]
    # closed in the lifecycle (销号): nobody is reminded either
    assert (
        plan_scheduled(
            store,
            T0,
            channels=ALL,
            rules=NotifyRules(reasons=("urge",)),
            closed_tasks={("测试方案", "1"), ("测试方案", "2"), ("测试方案", "3")},
        ).messages
        == ()
    )


def test_dry_run_writes_nothing_and_channels_off_means_preview(store):
    add_contacts(store)
    before = store.counts()
    rep = run_notify(store, T0, send=False, channels=ALL)
    assert rep.dry_run and rep.planned and store.counts() == before
    rep = run_notify(store, T0, send=True, channels=frozenset())  # nothing turned on
    assert rep.dry_run and "未开启任何发送通道" in rep.summary() and store.counts() == before


# -- real servers -----------------------------------------------------------------------------------------------
def test_mail_over_real_smtp_server_with_chinese_headers_and_body(store):
    add_contacts(store)
    with SmtpSink() as smtp:
        rep = run_notify(
            store, T0, send=True, channels={"mail"}, rules=NotifyRules(reasons=("urge",)), mail=mail_to(smtp)
        )
    assert len(rep.send.sent) == 2 and not rep.send.failed
    mails = {tuple(m.rcpt): m for m in smtp.mails}
    assert set(mails) == {("wangwu@example.gov.cn",), ("zhaoliu@example.gov.cn", "office@example.gov.cn")}
    a = mails[("wangwu@example.gov.cn",)]
    assert a.subject == "【催办】市审改办 2021-09 工作进展尚未报送"
    assert "王五您好" in a.body and "1 推进简政放权" in a.body and "报送期限 2021-10-05" in a.body
    raw_head = a.raw.split(b"\r\n\r\n", 1)[0].decode("ascii")  # headers are pure ASCII (RFC 2047)
    assert "=?utf-8?" in raw_head.lower() and "领导小组办公室" not in raw_head
    assert a.message["From"].addresses[0].display_name == "领导小组办公室"
    assert a.message["To"].addresses[0].display_name == "王五"
    assert a.sender == "ban@example.gov.cn"
    assert all(m.status == "sent" and m.attempts == 1 for m in outbox(store))


def test_starttls_refused_by_a_server_without_it():
    with SmtpSink() as smtp:
        settings = MailSettings("127.0.0.1", smtp.port, sender="ban@example.gov.cn", tls="starttls")
        with pytest.raises(ChannelError, match="不支持 STARTTLS"):
            send_mail(settings, ["a@example.gov.cn"], "主题", "正文")
    assert smtp.mails == []


def test_robot_webhooks_json_and_dingtalk_signature(store):
    with HttpSink() as http:
        add_contacts(store, http)
        rep = run_notify(store, T0, send=True, channels=WEBHOOKS, rules=NotifyRules(reasons=("urge", "deadline")))
    assert not rep.send.failed
    ding = http.at(DING_PATH)
    assert len(ding) == 1
    hit = ding[0]
    assert hit.query["access_token"] == "tok-a"
    assert hit.query["sign"] == expected_sign(DING_SECRET, hit.query["timestamp"])
    assert "sign=" + urllib.parse.quote_plus(hit.query["sign"]) in hit.raw_query  # url-encoded on the wire
    assert hit.body["msgtype"] == "markdown"
    assert hit.body["markdown"]["title"] == "【催办】市审改办 2021-09 工作进展尚未报送"
    assert "1 推进简政放权" in hit.body["markdown"]["text"]
    wecom = http.at(WECOM_PATH)
    assert len(wecom) == 1 and wecom[0].query == {"key": "key-b"}
    assert wecom[0].body["msgtype"] == "markdown" and "市政务服务中心" in wecom[0].body["markdown"]["content"]
    assert "timestamp" not in wecom[0].query  # only 钉钉 is signed
    # 市司法局 owes no report (not a lead) and has no task due within 7 days: nothing to its plain webhook
    assert http.at("/hook") == []


def test_failing_server_is_retried_with_backoff_then_failed_and_others_still_sent(store):
    rules = NotifyRules(reasons=("urge",), max_attempts=3, backoff_minutes=5)
    with HttpSink() as http:
        add_contacts(store, http, a_prefix="/fail")
        rep = run_notify(store, T0, send=True, channels=WEBHOOKS, rules=rules)
        assert len(rep.send.sent) == 1 and len(rep.send.retrying) == 1  # B went out although A failed
        a = by(store, unit=UNIT_A)[0]
        assert a.status == "pending" and a.attempts == 1 and "HTTP 500" in a.last_error
        assert a.next_at == T0 + timedelta(minutes=5)
        run_notify(store, T0 + timedelta(minutes=4), send=True, channels=WEBHOOKS, rules=rules)
        assert len(http.at("/fail" + DING_PATH)) == 1  # not due yet
        run_notify(store, T0 + timedelta(minutes=5), send=True, channels=WEBHOOKS, rules=rules)
        a = by(store, unit=UNIT_A)[0]
        assert a.attempts == 2 and a.next_at == T0 + timedelta(minutes=15)  # backoff doubles
        rep = run_notify(store, T0 + timedelta(minutes=15), send=True, channels=WEBHOOKS, rules=rules)
        a = by(store, unit=UNIT_A)[0]
        assert a.status == "failed" and a.attempts == 3 and "不再重试" in a.last_error and rep.send.failed == [a.id]
        run_notify(store, T0 + timedelta(hours=2), send=True, channels=WEBHOOKS, rules=rules)
        assert len(http.at("/fail" + DING_PATH)) == 3 and len(http.at(WECOM_PATH)) == 1
        # the office retries it: back to pending, sent (and failing) again on the next run
        retry_messages(store, [a.id], "ban", now=T0 + timedelta(hours=3))
        assert by(store, unit=UNIT_A)[0].status == "pending"
        run_notify(store, T0 + timedelta(hours=3), send=True, channels=WEBHOOKS, rules=rules)
        assert len(http.at("/fail" + DING_PATH)) == 4
    with pytest.raises(NotifyError, match="状态不能重试"):
        retry_messages(store, [by(store, unit=UNIT_B)[0].id], "ban")
    cancel_messages(store, [a.id], "ban")
    a = by(store, unit=UNIT_A)[0]
    assert a.status == "skipped" and "ban 取消" in a.last_error


def test_robot_errcode_and_timeout_are_failures(store):
    rules = NotifyRules(reasons=("urge",), max_attempts=1, timeout_seconds=0.3)
    with HttpSink() as http:
        add_contacts(store, http, a_prefix="/refuse")
        run_notify(store, T0, send=True, channels={"dingtalk"}, rules=rules)
        a = by(store, unit=UNIT_A)[0]
        assert a.status == "failed" and "errcode=310000" in a.last_error
    with HttpSink() as http:
        add_contacts(store, http, a_prefix="/hang")
        run_notify(store, T0 + timedelta(days=7), send=True, channels={"dingtalk"}, rules=rules)
        http.release.set()
    newest = by(store, unit=UNIT_A)[0]
    assert newest.status == "failed" and "超时" in newest.last_error


def test_same_reminder_never_sent_twice(store):
    with HttpSink() as http:
        add_contacts(store, http)
        for minutes in (0, 5, 30, 120):
            run_notify(
                store,
                T0 + timedelta(minutes=minutes),
                send=True,
                channels=WEBHOOKS,
                rules=NotifyRules(reasons=("urge",)),
            )
        assert len(http.at(DING_PATH)) == 1 and len(http.at(WECOM_PATH)) == 1
        # next week (a new rule period) the units that still owe are reminded again, once
        run_notify(store, T0 + timedelta(days=7), send=True, channels=WEBHOOKS, rules=NotifyRules(reasons=("urge",)))
        run_notify(
            store, T0 + timedelta(days=7, hours=1), send=True, channels=WEBHOOKS, rules=NotifyRules(reasons=("urge",))
        )
        assert len(http.at(DING_PATH)) == 2


def test_quiet_hours_hold_messages_until_morning(store):
    rules = NotifyRules(reasons=("urge",), quiet_start="22:00", quiet_end="07:30")
    with HttpSink() as http:
        add_contacts(store, http)
        rep = run_notify(store, datetime(2021, 10, 8, 23, 15), send=True, channels=WEBHOOKS, rules=rules)
        assert rep.send.quiet and len(rep.queued) == 2 and http.hits == []
        rep = run_notify(store, datetime(2021, 10, 9, 7, 29), send=True, channels=WEBHOOKS, rules=rules)
        assert rep.send.quiet and http.hits == []
        rep = run_notify(store, datetime(2021, 10, 9, 7, 30), send=True, channels=WEBHOOKS, rules=rules)
        assert len(rep.send.sent) == 2 and len(http.hits) == 2


def test_daily_caps(store):
    rules = NotifyRules(
        reasons=("urge", "deadline"),
        daily_cap=2,
        unit_daily_cap=0,
        quiet_start="00:00",
        quiet_end="00:00",
        days_ahead=100,
    )
    with HttpSink() as http:
        add_contacts(store, http)
        rep = run_notify(store, T0, send=True, channels=WEBHOOKS, rules=rules)
        # urge: A, B; deadline (task 1 due 2021-12-31 within 100 days): its leads A, B → 4 messages
        assert len(rep.queued) == 4 and len(rep.send.sent) == 2 and rep.send.deferred == 2 and rep.send.capped
        rep = run_notify(store, T0 + timedelta(hours=5), send=True, channels=WEBHOOKS, rules=rules)
        assert rep.send.sent == [] and len(http.hits) == 2  # same day: cap reached
        rep = run_notify(store, T0 + timedelta(days=1), send=True, channels=WEBHOOKS, rules=rules)
        assert len(rep.send.sent) == 2
    unit_rules = NotifyRules(
        reasons=("urge", "deadline"),
        daily_cap=0,
        unit_daily_cap=1,
        days_ahead=100,
        quiet_start="00:00",
        quiet_end="00:00",
    )
    with HttpSink() as http:
        add_contacts(store, http)
        rep = run_notify(store, T0 + timedelta(days=14), send=True, channels=WEBHOOKS, rules=unit_rules)
        units = [m.unit for m in outbox(store) if m.id in rep.send.sent]
        assert sorted(units) == [UNIT_A, UNIT_B] and rep.send.deferred == 2  # one per unit that day


def test_reason_turned_off_skips_pending_and_plans_nothing(store):
    add_contacts(store)
    run_notify(store, datetime(2021, 10, 8, 23, 0), send=True, channels={"mail"}, rules=NotifyRules(reasons=("urge",)))
    rep = run_notify(
        store,
        datetime(2021, 10, 9, 9, 0),
        send=True,
        channels={"mail"},
        rules=NotifyRules(reasons=("deadline",)),
        deliver=lambda m, c: None,
    )
    assert rep.send.sent == [] and all("已关闭" in m.last_error for m in by(store, status="skipped"))
    assert len(by(store, status="skipped")) == 2


# -- lifecycle events --------------------------------------------------------------------------------------------
def events() -> list[TaskEvent]:
    at = datetime(2021, 10, 8, 10, 0)
    return [
        TaskEvent("sign", "task-1-new", "测试方案", "1", UNIT_A, "推进简政放权", at, date(2021, 12, 31)),
        TaskEvent(
            "extension", "req-7", "测试方案", "2", UNIT_A, "清单管理", at, date(2021, 11, 30), "同意延期至2021-11-30"
        ),
        TaskEvent("returned", "claim-3", "测试方案", "3", UNIT_B, "窗口动态调整", at, None, "佐证材料不全"),
        TaskEvent("card", "card-9", "测试方案", "2", UNIT_A, "清单管理", at, date(2021, 8, 31), "黄牌→红牌"),
        TaskEvent("sign", "task-3-closed", "测试方案", "3", UNIT_B, "窗口动态调整", at, task_closed=True),
        TaskEvent("sign", "task-1-co", "测试方案", "1", "市直各相关单位", "推进简政放权", at),
    ]


def test_lifecycle_events_become_messages_once(store):
    with HttpSink() as http:
        add_contacts(store, http)
        queued = notify_events(store, events(), "ban", now=T0, channels=WEBHOOKS)
        # closed task and collective unit name: nothing
        assert sorted((m.reason, m.unit) for m in queued) == [
            ("card", UNIT_A),
            ("extension", UNIT_A),
            ("returned", UNIT_B),
            ("sign", UNIT_A),
        ]
        assert notify_events(store, events(), "ban", now=T0, channels=WEBHOOKS) == []  # same events again
        run_notify(
            store,
            T0,
            send=True,
            channels=WEBHOOKS,
            rules=NotifyRules(reasons=tuple(r for r in ("sign", "extension", "returned", "card"))),
        )
        texts = [h.body["markdown"]["text"] for h in http.at(DING_PATH)]
        assert len(texts) == 3
        assert any("同意延期至2021-11-30" in t and "2021-11-30" in t for t in texts)
        assert any("黄牌→红牌" in t for t in texts)
        assert any("请签收 1 项交办任务" in t and "1 推进简政放权(完成时限 2021-12-31)" in t for t in texts)
        (wecom,) = http.at(WECOM_PATH)
        assert "佐证材料不全" in wecom.body["markdown"]["content"]


def test_event_reason_off_and_template_edited(store):
    add_contacts(store)
    save_notify_rules(store, {"reasons": ["urge", "extension"]}, "ban")
    save_template(store, "extension", "延期结果:{任务编号}", "{单位}:{说明}", "ban")
    queued = notify_events(store, events(), "ban", now=T0, channels={"mail"})
    assert [(m.reason, m.subject, m.body) for m in queued] == [
        ("extension", "延期结果:2", "市审改办:同意延期至2021-11-30")
    ]
    with pytest.raises(NotifyError, match="未知占位符"):
        save_template(store, "urge", "催办{部门}", "x", "ban")
    with pytest.raises(NotifyError, match="未知的事件类型"):
        TaskEvent("deleted", "1", "p", "1", UNIT_A)


# -- send list ------------------------------------------------------------------------------------------------------
def test_send_list_xlsx_and_csv(store):
    add_contacts(store)
    run_notify(
        store,
        datetime(2021, 8, 25, 9, 0),
        send=True,
        channels={"sms"},
        rules=NotifyRules(reasons=("urge", "deadline"), days_ahead=10),
    )
    pending = by(store, channel="sms", status="pending")
    assert {m.unit for m in pending} == {UNIT_A, UNIT_C}  # task 2 due 08-31: its lead A and responsible C
    data, n = export_send_list(store, "ban", fmt="xlsx", now=T0)
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.values)
    assert rows[0] == ("单位", "联系人", "手机", "短信内容") and n == 2
    assert (UNIT_A, "王五", "13800000001") in [r[:3] for r in rows[1:]]
    assert all(m.status == "sent" for m in by(store, channel="sms"))
    data, n = export_send_list(store, "ban", fmt="csv", now=T0)
    assert n == 0 and data.decode("utf-8-sig").splitlines() == ["单位,联系人,手机,短信内容"]


def test_card_issued_or_changed_is_notified_once(store):
    add_contacts(store)
    rules = NotifyRules(reasons=("card",), quiet_start="00:00", quiet_end="00:00")
    got = []

    def deliver(m, c):
        got.append((m.unit, m.subject))

    def run(day):
        return run_notify(
            store, datetime(2021, day[0], day[1], 9, 0), send=True, channels={"mail"}, rules=rules, deliver=deliver
        )

    rep = run((8, 30))  # first look: task 2's yellow card is only recorded
    assert rep.queued == () and got == []
    run((9, 1))  # task 2 overdue: yellow → red
    assert got == [(UNIT_A, "【预警通知】任务 2 黄牌→红牌")]
    run((9, 1))
    run((9, 15))  # task 1 falls behind: yellow card for both leads
    assert sorted(got[1:]) == [(UNIT_A, "【预警通知】任务 1 亮黄牌"), (UNIT_B, "【预警通知】任务 1 亮黄牌")]
    run((9, 16))
    assert len(got) == 3
    assert run_notify(store, datetime(2021, 9, 16, 9, 0), send=False, channels={"mail"}, rules=rules).planned == ()


def test_sign_notices_for_newly_loaded_tasks(store):
    from progress_helpers import small_plan

    from tasks.model import Task
    from tasks.notify.hooks import sign_events

    add_contacts(store)
    plan = small_plan()
    plan.tasks.append(
        Task(
            id="4",
            title="周末轮班",
            lead_units=[UNIT_B],
            responsible_units=[UNIT_C],
            deadline=date(2021, 10, 31),
            deadline_text="2021年10月底前",
            deadline_kind="date",
        )
    )
    plan.tasks.append(Task(id="5", title="综合窗口", lead_units=[UNIT_B], deadline_kind="ongoing"))
    res = store.load_plan_into_store(plan, actor="cli")
    at = datetime(2021, 9, 1, 8, 0)
    queued = notify_events(store, sign_events(store.tasks(res.plan), res.added, at), "cli", now=at, channels={"mail"})
    assert [(m.unit, m.reason) for m in queued] == [(UNIT_B, "sign")]  # one notice listing both tasks
    assert queued[0].subject == "【签收通知】请签收 2 项交办任务"
    assert "4 周末轮班(完成时限 2021-10-31)\n5 综合窗口" in queued[0].body
    assert (
        notify_events(store, sign_events(store.tasks(res.plan), res.added, at), "cli", now=at, channels={"mail"}) == []
    )


def test_supervision_steps_become_decision_and_return_notices(store):
    """The supervision loop's stored steps (plain records here) → 延期审批结果 / 办结申请退回, once each."""
    from types import SimpleNamespace as Step

    from tasks.notify.hooks import lifecycle_events

    add_contacts(store)
    at = datetime(2021, 10, 8, 10, 0)
    steps = [
        Step(
            id=11,
            plan="测试方案",
            task="2",
            unit=UNIT_A,
            kind="extension_rejected",
            at=at,
            note="理由不充分",
            new_date=None,
        ),
        Step(
            id=12,
            plan="测试方案",
            task="3",
            unit=UNIT_B,
            kind="claim_returned",
            at=at,
            note="缺少佐证材料",
            new_date=None,
        ),
        Step(id=13, plan="测试方案", task="1", unit=UNIT_B, kind="sign", at=at, note="", new_date=None),
    ]
    titles = {(t.plan, t.id): (t.title, t.deadline) for t in store.tasks()}
    evs = lifecycle_events(steps, titles)
    assert [(e.kind, e.event_id) for e in evs] == [("extension", "lifecycle-11"), ("returned", "lifecycle-12")]
    queued = notify_events(store, evs, "ban", now=at, channels={"mail"})
    bodies = {m.unit: m.body for m in queued}
    assert "不同意延期,意见:理由不充分" in bodies[UNIT_A] and "2 清单管理" in bodies[UNIT_A]
    assert "退回意见:缺少佐证材料" in bodies[UNIT_B] and "3 窗口动态调整" in bodies[UNIT_B]
    assert notify_events(store, lifecycle_events(steps, titles), "ban", now=at, channels={"mail"}) == []


def test_mail_settings_from_secrets_file_env_first_password_never_shown(tmp_path):
    from tasks.notify import mail_settings

    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        'WORKBENCH_SMTP_HOST = "smtp.example.gov.cn"\nWORKBENCH_SMTP_USER = "ban@example.gov.cn"\n'
        'WORKBENCH_SMTP_PASSWORD = "S3cret-Pa55"\nWORKBENCH_SMTP_TLS = "ssl"\n\n[auth]\nx = 1\n',
        encoding="utf-8",
    )
    s = mail_settings({}, secrets)
    assert s is not None
    assert (s.host, s.port, s.user, s.sender, s.tls) == (
        "smtp.example.gov.cn",
        465,
        "ban@example.gov.cn",
        "ban@example.gov.cn",
        "ssl",
    )
    assert "S3cret" not in repr(s) and "S3cret" not in s.describe() and s.password == "S3cret-Pa55"
    s = mail_settings({"WORKBENCH_SMTP_HOST": "127.0.0.1", "WORKBENCH_SMTP_TLS": "none"}, secrets)
    assert s is not None
    assert (s.host, s.port, s.tls) == ("127.0.0.1", 25, "none")
    assert mail_settings({}, tmp_path / "none.toml") is None
    secrets.write_text('WORKBENCH_SMTP_HOST = "smtp\n', encoding="utf-8")
    with pytest.raises(NotifyError, match="secrets.toml 无法读取"):
        mail_settings({}, secrets)


def test_smtp_refusal_retried_then_failed_other_units_delivered(store):
    add_contacts(store)
    rules = NotifyRules(reasons=("urge",), max_attempts=2, backoff_minutes=10)
    with SmtpSink(refuse=("wangwu@example.gov.cn",)) as smtp:
        rep = run_notify(store, T0, send=True, channels={"mail"}, rules=rules, mail=mail_to(smtp))
        assert len(rep.send.sent) == 1 and len(rep.send.retrying) == 1
        a = by(store, unit=UNIT_A)[0]
        assert a.status == "pending" and "拒收" in a.last_error and "wangwu@example.gov.cn" in a.last_error
        run_notify(store, T0 + timedelta(minutes=10), send=True, channels={"mail"}, rules=rules, mail=mail_to(smtp))
    a = by(store, unit=UNIT_A)[0]
    assert a.status == "failed" and a.attempts == 2 and smtp.refused == ["wangwu@example.gov.cn"] * 2
    assert [tuple(m.rcpt) for m in smtp.mails] == [("zhaoliu@example.gov.cn", "office@example.gov.cn")]


def test_unreachable_servers_give_chinese_errors(store):
    from notify_helpers import free_port

    add_contacts(store)  # robots at http://127.0.0.1:9 (nothing listens)
    rules = NotifyRules(reasons=("urge",), max_attempts=1)
    run_notify(
        store,
        T0,
        send=True,
        channels=ALL,
        rules=rules,
        mail=MailSettings("127.0.0.1", free_port(), sender="ban@example.gov.cn", tls="none"),
    )
    errors = {m.channel: m.last_error for m in outbox(store)}
    assert set(errors) == {"mail", "dingtalk", "wecom"} and {m.status for m in outbox(store)} == {"failed"}
    for text in errors.values():
        assert "对方拒绝连接" in text and "Error" not in text and "errno" not in text.lower()


def test_interrupted_send_is_marked_failed_never_resent_blindly(store):
    from sqlalchemy import update

    from tasks.store.schema_notify import OutboxRow

    add_contacts(store)
    rules = NotifyRules(reasons=("urge",))
    run_notify(store, datetime(2021, 10, 8, 23, 0), send=True, channels={"mail"}, rules=rules)  # queued (quiet)
    with store.session(write=True) as s:  # a run died after claiming one message
        s.execute(update(OutboxRow).where(OutboxRow.unit == UNIT_A).values(status="sending"))
    sent = []
    rep = run_notify(
        store,
        datetime(2021, 10, 9, 9, 0),
        send=True,
        channels={"mail"},
        rules=rules,
        deliver=lambda m, c: sent.append(m.unit),
    )
    a = by(store, unit=UNIT_A)[0]
    assert a.status == "failed" and "是否送达未知" in a.last_error and a.id in rep.send.failed
    assert sent == [UNIT_B]


@pytest.mark.parametrize("tls", ["starttls", "ssl"])
def test_mail_over_tls_with_login_certificate_checked(tmp_path, tls):
    import ssl

    from notify_helpers import self_signed

    cert = self_signed(tmp_path)
    trusted = ssl.create_default_context(cafile=cert[0])
    with SmtpSink(tls=tls, cert=cert, password="S3cret-Pa55") as smtp:
        settings = MailSettings(
            "127.0.0.1", smtp.port, "ban@example.gov.cn", "S3cret-Pa55", "领导小组办公室 <ban@example.gov.cn>", tls
        )
        send_mail(settings, ["wangwu@example.gov.cn"], "【催办】测试", "请报送进展。", to_name="王五", context=trusted)
        assert [m.subject for m in smtp.mails] == ["【催办】测试"] and smtp.logins == [
            ("ban@example.gov.cn", "S3cret-Pa55")
        ]
        with pytest.raises(ChannelError) as err:  # untrusted certificate: refused, nothing sent
            send_mail(settings, ["wangwu@example.gov.cn"], "主题", "正文")
        assert "加密连接" in str(err.value) and "S3cret" not in str(err.value)
        wrong = MailSettings("127.0.0.1", smtp.port, "ban@example.gov.cn", "wrong-password", "ban@example.gov.cn", tls)
        with pytest.raises(ChannelError, match="登录失败"):
            send_mail(wrong, ["wangwu@example.gov.cn"], "主题", "正文", context=trusted)
    assert len(smtp.mails) == 1


def test_lifecycle_steps_since_last_run_are_notified_once(store):
    """run_notify(steps=…) — the one call the supervision loop needs: new steps since the last run."""
    from types import SimpleNamespace as Step

    add_contacts(store)
    rules = NotifyRules(reasons=("extension", "returned"), quiet_start="00:00", quiet_end="00:00")
    at = datetime(2021, 10, 8, 10, 0)
    old = Step(
        id=5,
        plan="测试方案",
        task="2",
        unit=UNIT_A,
        kind="extension_approved",
        at=at,
        note="",
        new_date=date(2021, 9, 30),
    )
    got = []

    def run(steps, hour):
        return run_notify(
            store,
            at.replace(hour=hour),
            send=True,
            channels={"mail"},
            rules=rules,
            steps=steps,
            deliver=lambda m, c: got.append((m.unit, m.reason, m.body)),
        )

    run([old], 10)  # first look: history before the notifier is only recorded
    assert got == []
    new = Step(
        id=9, plan="测试方案", task="3", unit=UNIT_B, kind="claim_returned", at=at, note="请补充照片", new_date=None
    )
    run([old, new], 11)
    run([old, new], 12)
    assert [(u, r) for u, r, _ in got] == [(UNIT_B, "returned")] and "请补充照片" in got[0][2]


def test_changed_address_is_used_and_removed_one_fails_cleanly(store):
    from tasks.notify import Contact, delete_contact, save_contact

    add_contacts(store)
    rules = NotifyRules(reasons=("urge",), max_attempts=1)
    run_notify(store, datetime(2021, 10, 8, 23, 0), send=True, channels={"mail"}, rules=rules)  # queued at night
    save_contact(store, Contact(UNIT_A, "王五", email="new-wangwu@example.gov.cn"), "ban")
    delete_contact(store, UNIT_B, "ban")
    with SmtpSink() as smtp:
        run_notify(store, datetime(2021, 10, 9, 9, 0), send=True, channels={"mail"}, rules=rules, mail=mail_to(smtp))
    assert [m.rcpt for m in smtp.mails] == [["new-wangwu@example.gov.cn"]]
    b = by(store, unit=UNIT_B)[0]  # no longer reachable by mail: not sent, and said why
    assert b.status == "skipped" and "单位已没有邮件联系方式" in b.last_error
    # removed between queueing and sending (send_due alone, no re-planning): fails with the reason
    from tasks.notify import send_due

    run_notify(store, datetime(2021, 10, 15, 23, 0), send=True, channels={"mail"}, rules=rules)
    delete_contact(store, UNIT_A, "ban")
    rep = send_due(store, datetime(2021, 10, 16, 9, 0), "ban", channels={"mail"}, rules=rules, mail=mail_to(smtp))
    a = by(store, unit=UNIT_A)[0]
    assert rep.failed == [a.id] and "联系方式已被删除" in a.last_error


def test_contact_table_edits_saved_row_by_row(store):
    from tasks.notify import Contact, apply_contact_edits, contacts

    add_contacts(store)
    before = {c.unit: c for c in contacts(store)}
    edited = [
        Contact(UNIT_A, "王五", "13800000001", "wangwu@example.gov.cn", before[UNIT_A].webhook, ""),  # unchanged
        Contact(UNIT_B, "", "", "", "", ""),  # cleared
        Contact(UNIT_C, "钱七", "12", "", "", ""),  # bad phone
        Contact("市公安局", "孙八", "13900000000", "", "", ""),  # not in the plan: refused
    ]
    changed, errors = apply_contact_edits(store, edited, "ban")
    after = {c.unit: c for c in contacts(store)}
    assert changed == 1 and set(after) == {UNIT_A, UNIT_C}
    assert after[UNIT_A].webhook_secret == DING_SECRET  # empty secret field keeps the stored one
    assert after[UNIT_C] == before[UNIT_C]  # the bad row changed nothing
    assert [e.split(":")[0] for e in errors] == [UNIT_C, "市公安局"] and "手机号“12”无效" in errors[0]


def test_real_supervision_loop_decision_reaches_the_unit(store):
    """Hooked to the supervision loop: an approved extension is read from the store by the next run."""
    from tasks.progress import lifecycle

    add_contacts(store)
    rules = NotifyRules(reasons=("extension", "returned"), quiet_start="00:00", quiet_end="00:00")
    got = []

    def run(at):
        return run_notify(
            store,
            at,
            send=True,
            channels={"mail"},
            rules=rules,
            deliver=lambda m, c: got.append((m.unit, m.subject, m.body)),
        )

    run(datetime(2021, 10, 8, 9, 0))  # first run: records where the loop stands
    at = datetime(2021, 10, 8, 10, 0)
    lifecycle.sign(store, "测试方案", "1", unit=UNIT_A, actor="sgb", at=at)
    req = lifecycle.request_extension(
        store, "测试方案", "1", to=date(2022, 3, 31), reason="需协调省级系统", unit=UNIT_A, actor="sgb", at=at
    )
    lifecycle.decide_extension(store, req.id, approve=True, note="同意", actor="ban", at=at)
    run(datetime(2021, 10, 8, 11, 0))
    run(datetime(2021, 10, 8, 12, 0))
    assert [(u, s) for u, s, _ in got] == [(UNIT_A, "【延期审批结果】任务 1")]
    assert "同意延期至 2022-03-31" in got[0][2] and "2022-03-31" in got[0][2]
