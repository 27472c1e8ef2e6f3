"""Card history (红黄牌履历): issued → changed (red → yellow on catching up) → closed over several periods,
closed when a task is 已办结, withdrawn by an upheld appeal (linked, with its trail), a rejected appeal
linked to the card it contested; recording is idempotent and incremental, a period close records up
to that period; roles; the ``cards`` command — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from accounts_helpers import BACKENDS, PG_URL, dump
from progress_helpers import fill
from supervision_helpers import PDF, UNIT_A, UNIT_B, loop_plan

from tasks.accounts import Account, GuardedStore, PermissionDenied
from tasks.progress import commit_upload, default_rules, template_bytes, validate_upload
from tasks.progress.card_guard import CardHistoryMethods, guarded_card_history, guarded_record_card_history
from tasks.progress.card_history import (
    CHANGED,
    CLOSED_CARD,
    ISSUED,
    WITHDRAWN,
    CardRecord,
    card_history,
    check_points,
    record_card_history,
)
from tasks.store.testing import temporary_store

PLAN = "督办测试计划"
RULES = default_rules()


def at(m: int, d: int, h: int = 9) -> datetime:
    return datetime(2021, m, d, h)


@pytest.fixture(params=BACKENDS)
def env(request, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_FILES_DIR", str(tmp_path / "files"))
    with temporary_store(request.param, tmp_path, PG_URL) as store:
        office = GuardedStore(store, Account("ban", "office"))
        office.load_plan_into_store(loop_plan(), start=date(2021, 8, 9))
        accounts = [
            Account("ban", "office"),
            Account("ld", "leader"),
            Account("zwzx", "unit", unit=UNIT_A),
            Account("sgb", "unit", unit=UNIT_B),
        ]
        yield store, {a.name: GuardedStore(store, a) for a in accounts}


def report(store, unit_g, month: str, values: dict, day: date) -> None:
    store.open_period(month, "ban")
    data = fill(template_bytes(store, UNIT_A, month, PLAN), values)
    rep = validate_upload(unit_g, data, f"{month}.xlsx", today=day, rules=RULES)
    assert rep.ok, rep.summary()
    commit_upload(unit_g, rep, "zwzx")


def play_year(store, g) -> dict[str, int]:
    """Task 4 (ongoing, A): misses Aug and Sep, reports Oct and Nov.  Task 2 (B, due 09-30): never
    reports, appeals its red card, upheld.  Task 1 (A): misses Aug, reports Sep, closed (已办结) in September.  Task 4's yellow
    card is appealed and the appeal rejected."""
    unit_a, unit_b, office = g["zwzx"], g["sgb"], g["ban"]
    unit_a.sign_task(PLAN, "1", at=at(8, 10))
    rejected = unit_a.appeal_card(PLAN, "4", card="yellow", reason="8月已口头汇报", at=at(9, 7))
    office.decide_appeal(rejected.id, uphold=False, note="须按模板书面报送", at=at(9, 8))
    v = {"status": "推进中", "percent": 50, "progress": "周末无休已落实"}
    report(store, unit_a, "2021-09", {"1": dict(v, percent=90, date=date(2021, 9, 15))}, date(2021, 9, 15))
    unit_a.claim_done(PLAN, "1", evidence=[("验收.pdf", PDF)], at=at(9, 20), rules=RULES)
    office.review_claim(PLAN, "1", accept=True, at=at(9, 21))
    upheld = unit_b.appeal_card(PLAN, "2", card="red", reason="省级系统未开通,非本单位原因", at=at(10, 7))
    office.decide_appeal(upheld.id, uphold=True, note="情况属实,撤销红牌", at=at(10, 8))
    report(store, unit_a, "2021-10", {"4": dict(v, date=date(2021, 10, 20))}, date(2021, 10, 20))
    report(store, unit_a, "2021-11", {"4": dict(v, date=date(2021, 11, 25))}, date(2021, 11, 25))
    return {"rejected": rejected.id, "upheld": upheld.id}


def steps(history: list[CardRecord], task: str) -> list[tuple]:
    return [(r.checked_on, r.kind, r.previous or None, r.level or None) for r in history if r.task == task]


def test_issued_changed_closed_withdrawn_over_several_periods_and_idempotent(env):
    store, g = env
    ids = play_year(store, g)
    office = g["ban"]
    checks = check_points(store, PLAN, date(2021, 12, 10), RULES)
    assert [(c.period, c.on) for c in checks] == [
        ("2021-08", date(2021, 9, 6)),
        ("2021-09", date(2021, 10, 6)),
        ("2021-10", date(2021, 11, 6)),
        ("2021-11", date(2021, 12, 6)),
    ]
    # first run up to 2021-10-10, then the rest: the same history as one run
    first = record_card_history(store, PLAN, actor="ban", as_of=date(2021, 10, 10), rules=RULES)
    assert {r.check for r in first} == {"period:2021-08", "period:2021-09", f"appeal:{ids['upheld']}"}
    rest = record_card_history(store, PLAN, actor="ban", as_of=date(2021, 12, 10), rules=RULES)
    assert {r.check for r in rest} <= {"period:2021-10", "period:2021-11"} and rest
    before = dump(store)
    assert record_card_history(store, PLAN, actor="ban", as_of=date(2021, 12, 10), rules=RULES) == []
    assert dump(store) == before  # idempotent: nothing written the second time
    history = card_history(store, PLAN)
    assert history == first + rest
    y, r = "yellow", "red"
    # task 4: yellow (one missed) → red (two missed) → yellow on catching up (not green) → closed
    assert steps(history, "4") == [
        (date(2021, 9, 6), ISSUED, None, y),
        (date(2021, 10, 6), CHANGED, y, r),
        (date(2021, 11, 6), CHANGED, r, y),
        (date(2021, 12, 6), CLOSED_CARD, y, None),
    ]
    h4 = [x for x in history if x.task == "4"]
    assert h4[0].rule == "yellow: status == at_risk 或 missed_reports >= 1" and h4[0].figure("missed_reports") == 1
    assert h4[1].rule == "red: missed_reports >= 2" and h4[1].figure("missed_reports") == 2
    assert h4[2].rule == "supervision.recover_to = yellow" and "红牌已整改" in h4[2].reason
    assert h4[2].figure("missed_reports") == 0 and h4[3].figure("status") == "ongoing"
    assert (h4[1].period, h4[1].level_name, h4[1].previous_name) == ("2021-09", "红牌", "黄牌")
    # the rejected appeal is linked to the yellow card it contested, with its decision and trail
    (linked,) = h4[0].appeals
    assert (linked.id, linked.decision, linked.note, linked.decided_by) == (
        ids["rejected"],
        "rejected",
        "须按模板书面报送",
        "ban",
    )
    assert [e.kind for e in linked.trail] == ["appeal", "appeal_rejected"]
    assert all(not x.appeals for x in h4[1:])
    # task 2: yellow → red (overdue) → withdrawn the day the appeal was upheld; nothing after
    assert steps(history, "2") == [
        (date(2021, 9, 6), ISSUED, None, y),
        (date(2021, 10, 6), CHANGED, y, r),
        (date(2021, 10, 8), WITHDRAWN, r, None),
    ]
    h2 = [x for x in history if x.task == "2"]
    assert h2[1].figure("overdue_days") == 6 and "status == overdue" in h2[1].rule
    assert h2[2].appeal_id == ids["upheld"] and h2[2].check == f"appeal:{ids['upheld']}"
    assert [a.decision for a in h2[1].appeals] == ["upheld"] and h2[2].appeals[0].note == "情况属实,撤销红牌"
    # task 1: yellow, then closed because the task was 已办结
    assert steps(history, "1") == [(date(2021, 9, 6), ISSUED, None, y), (date(2021, 10, 6), CLOSED_CARD, y, None)]
    assert "已办结" in [x for x in history if x.task == "1"][1].reason
    # one task's history, frozen records, JSON-ready
    only = card_history(store, PLAN, "4")
    assert only == h4
    with pytest.raises(AttributeError):
        only[0].kind = "x"  # type: ignore[misc]
    d = only[1].to_dict()
    assert d["kind_label"] == "变更" and d["figures"]["missed_reports"] == 2 and "黄牌变更为红牌" in d["text"]
    json.dumps([x.to_dict() for x in history], ensure_ascii=False)
    assert office.lifecycle_events(PLAN, "2")  # the appeal's trail is the stored lifecycle


def test_period_close_records_up_to_that_period_and_roles(env):
    store, g = env
    play_year(store, g)
    office, leader, unit_a = g["ban"], g["ld"], g["zwzx"]
    with pytest.raises(PermissionDenied):
        guarded_record_card_history(unit_a, PLAN, as_of=date(2021, 12, 10), rules=RULES)
    with pytest.raises(PermissionDenied):
        guarded_record_card_history(leader, PLAN, as_of=date(2021, 12, 10), rules=RULES)
    assert card_history(store, PLAN) == []
    office.close_period("2021-09")
    recorded = {r.check for r in card_history(store, PLAN)}
    assert "period:2021-09" in recorded and "period:2021-10" not in recorded
    office.close_period("2021-09")  # again: nothing new
    assert {r.check for r in card_history(store, PLAN)} == recorded
    # reading: leaders everything, a unit only its own tasks (task 2 is B's)
    assert {r.task for r in guarded_card_history(leader, PLAN)} == {"1", "2", "3", "4"}
    assert {r.task for r in guarded_card_history(unit_a, PLAN)} == {"1", "3", "4"}
    with pytest.raises(PermissionDenied, match="任务 2 不是本单位"):
        guarded_card_history(unit_a, PLAN, "2")

    assert issubclass(GuardedStore, CardHistoryMethods)  # the guarded store offers the methods
    m = GuardedStore(store, Account("ban", "office"))
    more = m.record_card_history(PLAN, as_of=date(2021, 12, 10), rules=RULES)
    assert {r.check for r in more} >= {"period:2021-10", "period:2021-11"}
    assert all(r.actor == "ban" for r in more)
    assert m.card_history(PLAN, "4")[-1].kind == CLOSED_CARD


def test_plan_loaded_today_has_no_checks_and_no_history(env):
    store, g = env
    today = date.today()
    plan = loop_plan("新计划", today.year + 50)
    plan.date = None
    g["ban"].load_plan_into_store(plan)
    assert check_points(store, "新计划", today, RULES) == []
    assert record_card_history(store, "新计划", actor="ban", rules=RULES) == []
    assert card_history(store, "新计划") == []


def test_cards_command(tmp_path, monkeypatch, capsys):
    from tasks.__main__ import main
    from tasks.accounts import AccountBook
    from tasks.store import Store

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("WORKBENCH_DB_URL", url)
    monkeypatch.setenv("WORKBENCH_FILES_DIR", str(tmp_path / "files"))
    store = Store(url)
    GuardedStore(store, Account("ban", "office")).load_plan_into_store(loop_plan(), start=date(2021, 8, 9))
    AccountBook(store).add("zwzx", "unit", unit=UNIT_A, password="Test-Only-Pass-9", actor="test")
    args = ["cards", "--plan", PLAN, "--as-of", "2021-10-10", "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["plan"] == PLAN and out["recorded"] == len(out["history"]) > 0
    kinds = {(h["task"], h["checked_on"], h["kind"], h["level"]) for h in out["history"]}
    assert ("2", "2021-10-06", "changed", "red") in kinds and ("4", "2021-09-06", "issued", "yellow") in kinds
    assert main(args) == 0  # idempotent
    again = json.loads(capsys.readouterr().out)
    assert again["recorded"] == 0 and again["history"] == out["history"]
    # a unit lists its own tasks only and records nothing
    assert main(["--as", "zwzx", "cards", "--plan", PLAN, "--as-of", "2021-12-10", "--json"]) == 0
    mine = json.loads(capsys.readouterr().out)
    assert mine["recorded"] == 0 and {h["task"] for h in mine["history"]} == {"1", "3", "4"}
    assert main(["--as", "zwzx", "cards", "--plan", PLAN, "--task", "2"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "任务 2 不是本单位" in err and "Traceback" not in err
    assert main(["cards", "--plan", "无此计划"]) == 2
    assert "无此计划" in capsys.readouterr().err
    assert main(["cards", "--plan", PLAN, "--task", "4"]) == 0
    text = capsys.readouterr().out
    assert "任务 4" in text and "发出黄牌" in text and "None" not in text
    store.dispose()
