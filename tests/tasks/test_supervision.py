"""The supervision loop: every transition, every refusal (database and file store unchanged), replay,
per-plan calendars, baselines, cards (recovery, appeals) — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from accounts_helpers import BACKENDS, PG_URL, dump
from supervision_helpers import EXE, HTML, PDF, PNG, UNIT_A, UNIT_B, docx_bytes, files_in, loop_plan, xlsx_bytes

from tasks.accounts import Account, GuardedStore, PermissionDenied
from tasks.progress import default_rules, snapshot
from tasks.progress.evidence import MAX_BYTES, BadEvidence
from tasks.progress.lifecycle import LifecycleError, lifecycles, sign_due
from tasks.store import StoreError
from tasks.store.testing import temporary_store

PLAN = "督办测试计划"
RULES = default_rules()


def at(m: int, d: int, h: int = 9) -> datetime:
    return datetime(2021, m, d, h)


@pytest.fixture(params=BACKENDS)
def env(request, tmp_path, monkeypatch):
    files = tmp_path / "files"
    monkeypatch.setenv("WORKBENCH_FILES_DIR", str(files))
    with temporary_store(request.param, tmp_path, PG_URL) as store:
        office = GuardedStore(store, Account("ban", "office"))
        office.load_plan_into_store(loop_plan(), start=date(2021, 8, 9))
        accounts = [
            Account("ban", "office"),
            Account("gh", "planner"),
            Account("ld", "leader"),
            Account("zwzx", "unit", unit=UNIT_A),
            Account("sgb", "unit", unit=UNIT_B),
        ]
        yield store, {a.name: GuardedStore(store, a) for a in accounts}, files


def status_of(store, day: date, task: str = "1", rules=RULES):
    return snapshot(store, day, plan=PLAN, rules=rules).by_id(task)


def test_whole_loop_every_transition_and_replay(env):
    store, g, files = env
    unit, office = g["zwzx"], g["ban"]
    ev = unit.sign_task(PLAN, "1", note="已收到", at=at(8, 10))
    assert (ev.kind, ev.unit, ev.actor, ev.note) == ("sign", UNIT_A, "zwzx", "已收到")
    req = unit.request_extension(PLAN, "1", to=date(2021, 11, 30), reason="等待省级系统对接", at=at(9, 20))
    assert req.kind == "extension_request" and req.id > ev.id
    dec = office.decide_extension(req.id, approve=True, to=date(2021, 12, 15), note="同意,延至12月中旬", at=at(9, 22))
    assert (dec.kind, dec.ref_id, dec.new_date) == ("extension_approved", req.id, date(2021, 12, 15))
    c1 = unit.claim_done(
        PLAN, "1", evidence=[("会议纪要.pdf", PDF), ("现场.png", PNG)], note="已完成建设", at=at(11, 1), rules=RULES
    )
    assert c1.kind == "claim" and len(c1.evidence) == 2
    ret = office.review_claim(PLAN, "1", accept=False, note="缺少验收材料", at=at(11, 3))
    assert (ret.kind, ret.ref_id) == ("claim_returned", c1.id)
    c2 = unit.claim_done(PLAN, "1", evidence=[("验收报告.docx", docx_bytes())], at=at(11, 10), rules=RULES)
    acc = office.review_claim(PLAN, "1", accept=True, at=at(11, 12))
    assert (acc.kind, acc.ref_id, acc.new_date) == ("claim_accepted", c2.id, date(2021, 11, 10))

    # replay: the state and the deadline that held on each day
    expect = [
        (date(2021, 8, 9), "pending_sign", date(2021, 10, 31)),
        (date(2021, 9, 21), "in_progress", date(2021, 10, 31)),  # request pending: deadline unchanged
        (date(2021, 9, 22), "in_progress", date(2021, 12, 15)),
        (date(2021, 11, 2), "claimed", date(2021, 12, 15)),
        (date(2021, 11, 5), "in_progress", date(2021, 12, 15)),
        (date(2021, 11, 11), "claimed", date(2021, 12, 15)),
        (date(2021, 11, 12), "closed", date(2021, 12, 15)),
    ]
    for day, state, deadline in expect:
        s = status_of(store, day)
        assert (day, s.lifecycle, s.deadline) == (day, state, deadline)
        assert s.original_deadline == date(2021, 10, 31)
    assert status_of(store, date(2021, 11, 5)).returned_note == "缺少验收材料"
    assert status_of(store, date(2021, 11, 11)).returned_note == ""
    assert status_of(store, date(2021, 11, 11)).status != "done"  # a claim is not 已办结
    done = status_of(store, date(2021, 11, 12))
    assert done.status == "done" and done.status_label == "已办结" and done.done_date == date(2021, 11, 10)
    assert done.done_on_time is False  # scored against the original deadline
    relaxed = default_rules()
    relaxed.extended_deadline_counts = True
    assert status_of(store, date(2021, 11, 12), rules=relaxed).done_on_time is True
    assert [e["decision"] for e in done.extensions] == ["approved"]
    # as of 2021-11-01 (before the deadline moved? no: after) the task is not overdue; with the original it would be
    assert status_of(store, date(2021, 11, 2)).status != "overdue"
    # every step has its audit row, actor and note
    audit = [(a.action, a.actor) for a in office.audit_log() if a.target == f"{PLAN}/1"]
    assert audit == [
        ("sign", "zwzx"),
        ("extension_request", "zwzx"),
        ("extension_approved", "ban"),
        ("claim", "zwzx"),
        ("claim_returned", "ban"),
        ("claim", "zwzx"),
        ("claim_accepted", "ban"),
    ]
    # evidence: content-addressed, 0700 folders, 0600 files; office and owning unit may download
    stored = files_in(files)
    assert len(stored) == 3 and all(m == 0o600 for _n, m in stored)
    assert all((p.stat().st_mode & 0o777) == 0o700 for p in [files, *[d for d in files.rglob("*") if d.is_dir()]])
    ev_ids = [e.id for e in office.evidence_list(PLAN, "1")]
    info, data = unit.evidence_download(ev_ids[0])
    assert data == PDF and info.filename == "会议纪要.pdf"
    assert office.evidence_download(ev_ids[0])[1] == PDF
    for other in ("sgb", "ld", "gh"):
        with pytest.raises(PermissionDenied):
            g[other].evidence_download(ev_ids[0])


def test_two_lead_units_close_only_when_both_are_accepted(env):
    store, g, _files = env
    g["zwzx"].sign_task(PLAN, "3", at=at(8, 10))
    assert status_of(store, date(2021, 8, 11), "3").lifecycle == "pending_sign"  # B has not signed
    g["sgb"].sign_task(PLAN, "3", at=at(8, 11))
    for name in ("zwzx", "sgb"):
        g[name].claim_done(PLAN, "3", evidence=[("表.xlsx", xlsx_bytes())], at=at(10, 1), rules=RULES)
    with pytest.raises(LifecycleError, match="多个牵头单位"):
        g["ban"].review_claim(PLAN, "3", accept=True, at=at(10, 2))
    g["ban"].review_claim(PLAN, "3", accept=True, unit=UNIT_A, at=at(10, 2))
    s = status_of(store, date(2021, 10, 3), "3")
    assert s.lifecycle == "claimed" and s.unit_lifecycle == {UNIT_A: "closed", UNIT_B: "claimed"}
    g["ban"].review_claim(PLAN, "3", accept=True, unit=UNIT_B, at=at(10, 4))
    assert status_of(store, date(2021, 10, 5), "3").status == "done"


def _refused(store, files, exc, fn, match=None):
    before, before_files = dump(store), files_in(files)
    with pytest.raises(exc, match=match):
        fn()
    assert dump(store) == before and files_in(files) == before_files


def test_every_refusal_changes_nothing(env):
    store, g, files = env
    unit, office, other = g["zwzx"], g["ban"], g["sgb"]
    pdf = [("纪要.pdf", PDF)]
    # wrong role
    _refused(store, files, PermissionDenied, lambda: g["ld"].sign_task(PLAN, "1", at=at(8, 10)))
    _refused(store, files, PermissionDenied, lambda: g["gh"].claim_done(PLAN, "1", evidence=pdf, at=at(8, 10)))
    # wrong state: claim, extension and review before signing
    _refused(store, files, LifecycleError, lambda: unit.claim_done(PLAN, "1", evidence=pdf, at=at(8, 10)), "请先签收")
    _refused(
        store,
        files,
        LifecycleError,
        lambda: unit.request_extension(PLAN, "1", to=date(2021, 11, 30), reason="忙", at=at(8, 10)),
        "请先签收",
    )
    _refused(store, files, LifecycleError, lambda: office.review_claim(PLAN, "1", accept=True, at=at(8, 10)))
    # a unit acting on another unit's task
    _refused(store, files, PermissionDenied, lambda: unit.sign_task(PLAN, "2", at=at(8, 10)), "不是.*牵头单位")
    _refused(store, files, PermissionDenied, lambda: unit.sign_task(PLAN, "1", unit=UNIT_B, at=at(8, 10)))
    unit.sign_task(PLAN, "1", at=at(8, 10))
    _refused(store, files, LifecycleError, lambda: unit.sign_task(PLAN, "1", at=at(8, 11)), "办理中")
    _refused(
        store,
        files,
        PermissionDenied,
        lambda: other.request_extension(PLAN, "1", to=date(2021, 11, 30), reason="x", at=at(8, 12)),
    )
    _refused(store, files, PermissionDenied, lambda: other.claim_done(PLAN, "1", evidence=pdf, at=at(8, 12)))
    # extension: late request, earlier date, no reason; decisions only by the office, once
    _refused(
        store,
        files,
        LifecycleError,
        lambda: unit.request_extension(PLAN, "1", to=date(2021, 12, 31), reason="忙", at=at(11, 1)),
        "已过",
    )
    _refused(
        store,
        files,
        LifecycleError,
        lambda: unit.request_extension(PLAN, "1", to=date(2021, 10, 15), reason="忙", at=at(9, 1)),
        "更晚",
    )
    _refused(
        store,
        files,
        LifecycleError,
        lambda: unit.request_extension(PLAN, "1", to=date(2021, 11, 15), reason=" ", at=at(9, 1)),
        "理由",
    )
    req = unit.request_extension(PLAN, "1", to=date(2021, 11, 30), reason="等待对接", at=at(9, 1))
    _refused(
        store,
        files,
        LifecycleError,
        lambda: unit.request_extension(PLAN, "1", to=date(2021, 12, 30), reason="再延", at=at(9, 2)),
        "待审批",
    )
    for name in ("zwzx", "ld", "gh"):
        _refused(
            store, files, PermissionDenied, lambda n=name: g[n].decide_extension(req.id, approve=True, at=at(9, 2))
        )
    _refused(store, files, LifecycleError, lambda: office.decide_extension(req.id, approve=False, at=at(9, 2)), "意见")
    _refused(store, files, LifecycleError, lambda: office.decide_extension(999999, approve=True, at=at(9, 2)), "找不到")
    office.decide_extension(req.id, approve=False, note="理由不充分", at=at(9, 3))
    _refused(
        store, files, LifecycleError, lambda: office.decide_extension(req.id, approve=True, at=at(9, 4)), "不能重复"
    )
    # bad evidence files: refused by content, nothing stored
    for name, content, match in [
        ("照片.pdf", PNG, "与扩展名 .pdf 不符"),
        ("工具.pdf", EXE, "不是可接受的文件类型"),
        ("页面.pdf", HTML, "不是可接受的文件类型"),
        ("空.pdf", b"", "空文件"),
        ("表.docx", xlsx_bytes(), "Excel"),
        ("大.pdf", PDF + bytes(MAX_BYTES), "超过 20 MB"),
    ]:
        _refused(
            store,
            files,
            BadEvidence,
            lambda n=name, c=content: unit.claim_done(
                PLAN, "1", evidence=[("好.pdf", PDF), (n, c)], at=at(9, 5), rules=RULES
            ),
            match,
        )
    _refused(
        store,
        files,
        BadEvidence,
        lambda: unit.claim_done(PLAN, "1", evidence=[], at=at(9, 5), rules=RULES),
        "至少一份佐证材料",
    )
    unit.claim_done(PLAN, "1", evidence=pdf, at=at(9, 6), rules=RULES)
    _refused(store, files, LifecycleError, lambda: unit.claim_done(PLAN, "1", evidence=pdf, at=at(9, 7)), "申请办结")
    _refused(store, files, PermissionDenied, lambda: unit.review_claim(PLAN, "1", accept=True, at=at(9, 7)))
    _refused(store, files, PermissionDenied, lambda: g["ld"].review_claim(PLAN, "1", accept=True, at=at(9, 7)))
    _refused(store, files, LifecycleError, lambda: office.review_claim(PLAN, "1", accept=False, at=at(9, 7)), "理由")
    office.review_claim(PLAN, "1", accept=True, at=at(9, 8))
    # a closed task: no extension, no second claim
    _refused(
        store,
        files,
        LifecycleError,
        lambda: unit.request_extension(PLAN, "1", to=date(2021, 12, 31), reason="x", at=at(9, 9)),
        "已办结",
    )
    _refused(store, files, LifecycleError, lambda: unit.claim_done(PLAN, "1", evidence=pdf, at=at(9, 9)), "已办结")
    # unknown task / ongoing task without a deadline
    _refused(store, files, StoreError, lambda: office.sign_task(PLAN, "99", at=at(9, 9)), "没有编号为 99")
    unit.sign_task(PLAN, "4", at=at(9, 9))
    _refused(
        store,
        files,
        LifecycleError,
        lambda: unit.request_extension(PLAN, "4", to=date(2021, 12, 31), reason="x", at=at(9, 9)),
        "长期",
    )


def test_evidence_optional_when_the_rules_say_so(env):
    store, g, _files = env
    g["sgb"].sign_task(PLAN, "2", at=at(8, 10))
    relaxed = default_rules()
    relaxed.evidence_required = False
    ev = g["sgb"].claim_done(PLAN, "2", at=at(9, 1), rules=relaxed)
    assert ev.kind == "claim" and ev.evidence == ()


def test_sign_rule_counts_working_days_with_the_holiday_calendar(env):
    store, g, _files = env
    assert sign_due(date(2026, 9, 29), 3) == date(2026, 10, 9)  # over the National Day holidays
    assert sign_due(date(2021, 8, 6), 3) == date(2021, 8, 11)  # Friday → Wednesday
    t = store.tasks(PLAN)[0]
    assert t.assigned_on == date(2021, 8, 9)  # 交办 on the plan's start, not on the day it was loaded
    due = sign_due(t.assigned_on, 3)
    assert due == date(2021, 8, 12)
    late = status_of(store, date.fromordinal(due.toordinal() + 1))
    assert late.lifecycle == "pending_sign" and late.sign_overdue and late.sign_due == due
    assert not status_of(store, due).sign_overdue
    g["zwzx"].sign_task(PLAN, "1", at=at(8, 12))
    assert not status_of(store, date.fromordinal(due.toordinal() + 1)).sign_overdue


def test_plan_started_in_the_past_and_plan_loaded_today_side_by_side(env):
    store, g, _files = env
    office = g["ban"]
    today = date.today()
    old_start = date(today.year - 1, today.month, 1)
    far = today.year + 50
    old, new = loop_plan("旧计划", far), loop_plan("新计划", far)
    new.date = None
    office.load_plan_into_store(old, start=old_start)
    office.load_plan_into_store(new)  # no --start: the day it is loaded
    snap = snapshot(store, today, rules=RULES)
    fresh = [s for s in snap.statuses if s.plan == "新计划"]
    past = [s for s in snap.statuses if s.plan == "旧计划"]
    assert fresh and all(
        s.missed_reports == 0 and s.total_missed == 0 and s.cards == [] and s.card is None for s in fresh
    )
    # the old plan owes every month from its start whose due date (5 days after its end) has passed
    from tasks.progress.lifecycle import calendar_of

    cal = calendar_of(store, "旧计划")
    owed = [p for p, due in cal.periods(today, RULES.grace_days) if due < today]
    assert owed[0].start == old_start and len(owed) in (11, 12)
    assert all(s.total_missed == len(owed) and s.card == "red" and s.cards[0]["level"] == "red" for s in past)
    # nothing is owed for periods before the start: a year earlier the old plan had no missed reports
    earlier = snapshot(store, old_start, plan="旧计划", rules=RULES)
    assert all(s.total_missed == 0 and s.card is None for s in earlier.statuses)


def test_quarterly_calendar_and_due_day(env):
    store, g, _files = env
    g["ban"].set_calendar(PLAN, start=date(2021, 8, 9), cycle="quarterly", due_day=10)
    s = snapshot(store, date(2021, 10, 11), plan=PLAN, rules=RULES)
    # 2021-Q3 is due 2021-10-10 (次季首月10日前): one quarter missed, counted once
    assert s.by_id("4").total_missed == 1
    assert snapshot(store, date(2021, 10, 10), plan=PLAN, rules=RULES).by_id("4").total_missed == 0
    with pytest.raises(LifecycleError, match="1–31"):
        g["ban"].set_calendar(PLAN, start=date(2021, 8, 9), due_day=40)
    with pytest.raises(PermissionDenied):
        g["zwzx"].set_calendar(PLAN, start=date(2021, 8, 9))


def test_red_card_turns_yellow_on_catching_up_and_appeal_withdraws(env):
    store, g, _files = env
    from progress_helpers import fill

    from tasks.progress import commit_upload, template_bytes, validate_upload

    # task 4 (ongoing, led by A) misses Aug and Sep: red on 2021-10-06
    red = status_of(store, date(2021, 10, 6), "4")
    assert red.card == "red" and red.missed_reports == 2
    # A catches up: reports for October before its due date
    store.open_period("2021-10", "ban")
    data = fill(
        template_bytes(store, UNIT_A, "2021-10", PLAN),
        {"4": {"status": "推进中", "percent": 50, "progress": "周末无休已落实", "date": date(2021, 10, 20)}},
    )
    rep = validate_upload(g["zwzx"], data, "a.xlsx", today=date(2021, 10, 20), rules=RULES)
    assert rep.ok, rep.summary()
    commit_upload(g["zwzx"], rep, "zwzx")
    caught_up = status_of(store, date(2021, 11, 6), "4")
    assert caught_up.missed_reports == 0 and caught_up.card == "yellow" and "红牌已整改" in caught_up.card_reason
    # appeal against the yellow card; the office upholds it: the card is withdrawn, the trail kept
    ap = g["zwzx"].appeal_card(PLAN, "4", card="yellow", reason="10月已按时报送", at=at(11, 7))
    with pytest.raises(PermissionDenied):
        g["sgb"].appeal_card(PLAN, "4", card="yellow", reason="x", at=at(11, 7))
    with pytest.raises(PermissionDenied):
        g["zwzx"].decide_appeal(ap.id, uphold=True, note="x", at=at(11, 8))
    pending = status_of(store, date(2021, 11, 7), "4")
    assert pending.card == "yellow" and pending.cards[0]["appeals"][0]["decision"] == "pending"
    g["ban"].decide_appeal(ap.id, uphold=True, note="情况属实", at=at(11, 8))
    upheld = status_of(store, date(2021, 11, 8), "4")
    assert upheld.card is None and upheld.cards[0]["state"] == "withdrawn"
    assert upheld.cards[0]["appeals"][0]["decision"] == "upheld" and upheld.cards[0]["appeals"][0]["note"] == "情况属实"
    with pytest.raises(LifecycleError, match="已处理"):
        g["ban"].decide_appeal(ap.id, uphold=False, note="改判", at=at(11, 9))
    kinds = [e.kind for e in g["ban"].lifecycle_events(PLAN, "4")]
    assert kinds[-2:] == ["appeal", "appeal_upheld"]


def test_baselines_at_load_and_on_demand_with_comparison(env):
    store, g, _files = env
    office = g["ban"]
    assert [b["kind"] for b in office.baselines(PLAN)] == ["load"]
    g["zwzx"].sign_task(PLAN, "1", at=at(8, 10))
    req = g["zwzx"].request_extension(PLAN, "1", to=date(2021, 11, 30), reason="等待对接", at=at(9, 1))
    office.decide_extension(req.id, approve=True, at=at(9, 2))
    g["zwzx"].claim_done(PLAN, "1", evidence=[("a.pdf", PDF)], at=at(11, 20), rules=RULES)
    office.review_claim(PLAN, "1", accept=True, at=at(11, 21))
    plan = loop_plan()
    plan.tasks = [t for t in plan.tasks if t.id != "2"]
    from tasks.model import Task

    plan.tasks.append(
        Task(
            id="5",
            title="新增任务",
            lead_units=[UNIT_B],
            deadline=date(2021, 12, 31),
            deadline_text="2021年底前",
            deadline_kind="date",
        )
    )
    office.load_plan_into_store(plan)
    d = office.compare_baseline(PLAN)
    assert d["baseline"]["kind"] == "load" and d["added"] == ["5"] and d["archived"] == ["2"]
    assert [(m["task"], m["from"], m["to"], m["extension"]["id"]) for m in d["deadline_moves"]] == [
        ("1", "2021-10-31", "2021-11-30", req.id)
    ]
    var = {v["task"]: v for v in d["variance"]}
    assert var["1"]["days_late"] == 20 and var["1"]["closed"]  # 11-20 against the original 10-31
    frozen = office.freeze_baseline(PLAN, "季度评估前")
    assert frozen["tasks"] == 5
    again = office.compare_baseline(PLAN, frozen["id"])
    assert again["added"] == [] and again["deadline_moves"] == []
    with pytest.raises(PermissionDenied):
        g["zwzx"].freeze_baseline(PLAN)
    with pytest.raises(LifecycleError, match="没有冻结的基线"):
        office.compare_baseline(PLAN, date(2000, 1, 1))
    before = len(office.baselines(PLAN))
    office.close_period("2021-09")  # period close freezes a baseline
    assert [b["kind"] for b in office.baselines(PLAN)][before:] == ["period_close"]


def test_lifecycles_replay_matches_step_by_step(env):
    """Replaying all events as of each day equals the state seen right after each step."""
    store, g, _files = env
    steps = [
        (at(8, 10), lambda t: g["sgb"].sign_task(PLAN, "2", at=t)),
        (at(8, 20), lambda t: g["sgb"].claim_done(PLAN, "2", evidence=[("a.pdf", PDF)], at=t, rules=RULES)),
        (at(8, 25), lambda t: g["ban"].review_claim(PLAN, "2", accept=False, note="补充", at=t)),
        (at(9, 2), lambda t: g["sgb"].claim_done(PLAN, "2", evidence=[("b.pdf", PDF + b"1")], at=t, rules=RULES)),
        (at(9, 3), lambda t: g["ban"].review_claim(PLAN, "2", accept=True, at=t)),
    ]
    seen = []
    for when, step in steps:
        step(when)
        seen.append((when.date(), lifecycles(store, PLAN)[store.tasks(PLAN)[1].pk].state))
    pk = store.tasks(PLAN)[1].pk
    assert [(d, lifecycles(store, PLAN, d)[pk].state) for d, _ in seen] == seen
    assert [s for _d, s in seen] == ["in_progress", "claimed", "in_progress", "claimed", "closed"]


def test_quarter_report_has_the_lifecycle_columns_and_the_baseline_section(env, tmp_path):
    import io

    from docx import Document
    from openpyxl import load_workbook

    from tasks.progress import build_report, report_docx, report_xlsx

    store, g, _files = env
    g["zwzx"].sign_task(PLAN, "1", at=at(8, 10))
    req = g["zwzx"].request_extension(PLAN, "1", to=date(2021, 11, 30), reason="等待对接", at=at(9, 1))
    g["ban"].decide_extension(req.id, approve=True, at=at(9, 2))
    g["zwzx"].claim_done(PLAN, "1", evidence=[("a.pdf", PDF)], at=at(9, 20), rules=RULES)
    g["ban"].review_claim(PLAN, "1", accept=True, at=at(9, 21))
    rep = build_report(store, "quarter", "2021-Q3", plan=PLAN, rules=RULES, as_of=date(2021, 10, 6))
    wb = load_workbook(io.BytesIO(report_xlsx(rep)))
    rows = list(wb["任务状态"].iter_rows(values_only=True))
    head = rows[1] if "督办状态" in rows[1] else rows[2]
    t1 = next(r for r in rows if r[0] == PLAN and r[1] == "1")
    cell = dict(zip(head, t1))
    # dates are stored as dates (issue 15), so openpyxl reads them back as datetimes
    assert (cell["状态"], cell["督办状态"], cell["原定时限"].date(), cell["当前时限"].date()) == (
        "已办结",
        "已办结",
        date(2021, 10, 31),
        date(2021, 11, 30),
    )
    base = [r for r in wb["基线对比"].iter_rows(values_only=True) if r[2] == "调整时限"]
    assert base and base[0][3] == "1" and f"延期申请 {req.id}" in base[0][5]
    text = "\n".join(p.text for p in Document(io.BytesIO(report_docx(rep))).paragraphs)
    assert "与基线对比" in text and f"经批准的延期申请{req.id}" in text and "已办结1项" in text


def test_a_closed_task_carries_no_card_for_reports_missed_while_open(env):
    """Task 4's twin: task 1 misses August and September (red), then is claimed and accepted (已办结):
    nothing is owed any more, so it shows no run of missed reports and no card; the history keeps them."""
    store, g, _files = env
    red = status_of(store, date(2021, 10, 6), "1")
    assert red.card == "red" and red.missed_reports == 2
    g["zwzx"].sign_task(PLAN, "1", at=at(8, 10))
    g["zwzx"].claim_done(PLAN, "1", evidence=[("验收报告.pdf", PDF)], at=at(10, 8), rules=RULES)
    g["ban"].review_claim(PLAN, "1", accept=True, at=at(10, 9))
    closed = status_of(store, date(2021, 10, 10), "1")
    assert closed.status == "done" and closed.lifecycle == "closed"
    assert closed.card is None and closed.missed_reports == 0 and closed.total_missed == 2
    replayed = snapshot(store, date(2021, 10, 10), plan=PLAN, rules=RULES, replay=True).by_id("1")
    assert (replayed.card, replayed.missed_reports) == (None, 0)  # the kept path and the replay agree
    assert status_of(store, date(2021, 10, 6), "1").card == "red"  # as of before the closure: still red
