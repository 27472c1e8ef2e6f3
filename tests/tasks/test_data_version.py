"""One data version (``Store.data_version``): every write of data the dashboard shows moves the store's
version (and the plan's, for a change of that plan); a login, a failed login, a logout and reads never
do — on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from accounts_helpers import BACKENDS, PG_URL, make_book
from progress_helpers import fill
from supervision_helpers import PDF, UNIT_A, UNIT_B, loop_plan

from tasks.accounts import Account, GuardedStore, LoginFailed, PermissionDenied
from tasks.notify import Contact, NotifyRules, save_contact, save_notify_rules, save_template
from tasks.progress import commit_upload, default_rules, lifecycle, template_bytes, validate_upload
from tasks.progress.baselines import freeze_baseline
from tasks.progress.card_history import record_card_history
from tasks.progress.rules import save_rules
from tasks.progress.status import snapshot
from tasks.regions import add_region, set_plan_region
from tasks.store.testing import temporary_store

PLAN = "督办测试计划"
OTHER = "另一计划"
RULES = default_rules()


def at(m: int, d: int) -> datetime:
    return datetime(2021, m, d, 9)


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_FILES_DIR", str(tmp_path / "files"))
    with temporary_store(request.param, tmp_path, PG_URL) as s:
        s.load_plan_into_store(loop_plan(), actor="test", key=PLAN)
        s.load_plan_into_store(loop_plan(OTHER), actor="test", key=OTHER)
        yield s


def _upload(store) -> None:
    store.open_period("2021-09", "test")
    data = fill(template_bytes(store, UNIT_A, "2021-09", PLAN), {"1": {"status": "推进中", "percent": 40}})
    rep = validate_upload(store, data, "九月.xlsx", today=date(2021, 9, 20), rules=RULES)
    assert rep.ok, rep.summary()
    assert commit_upload(store, rep, "test") is not None


def _writes(store, tmp_path) -> list[tuple[str, Callable[[], object], bool]]:
    """(what, the write, whether it changes plan ``PLAN``'s own data) in an order that works."""
    ids: dict[str, int] = {}

    def request() -> None:
        ids["ext"] = lifecycle.request_extension(
            store, PLAN, "1", to=date(2021, 12, 31), reason="系统对接", actor="t", at=at(9, 1)
        ).id

    def appeal() -> None:
        ids["appeal"] = lifecycle.appeal(
            store, PLAN, "2", card="red", reason="非本单位原因", actor="t", at=at(10, 7)
        ).id

    def cards() -> None:
        assert record_card_history(store, PLAN, actor="t", as_of=date(2021, 10, 10), rules=RULES)

    reloaded = loop_plan()
    reloaded.tasks[0].title = "设立综合窗口(修订)"
    return [
        ("reload the plan", lambda: store.load_plan_into_store(reloaded, actor="t", key=PLAN), True),
        ("edit predecessors", lambda: store.set_predecessors(PLAN, "3", ["1"], actor="t"), True),
        ("calendar", lambda: lifecycle.set_calendar(store, PLAN, start=date(2021, 8, 9), actor="t"), True),
        ("upload", lambda: _upload(store), True),
        ("sign", lambda: lifecycle.sign(store, PLAN, "1", actor="t", at=at(8, 10)), True),
        ("extension request", request, True),
        (
            "extension decision",
            lambda: lifecycle.decide_extension(store, ids["ext"], approve=True, actor="o", at=at(9, 2)),
            True,
        ),
        (
            "claim",
            lambda: lifecycle.claim(store, PLAN, "1", evidence=[("验收.pdf", PDF)], actor="t", at=at(9, 20)),
            True,
        ),
        ("review", lambda: lifecycle.review(store, PLAN, "1", accept=True, actor="o", at=at(9, 21)), True),
        ("card history", cards, True),
        ("appeal", appeal, True),
        (
            "appeal decision",
            lambda: lifecycle.decide_appeal(store, ids["appeal"], uphold=True, note="属实", actor="o", at=at(10, 8)),
            True,
        ),
        ("region", lambda: add_region(store, "甲市", actor="t"), False),
        ("plan region", lambda: set_plan_region(store, PLAN, "甲市", actor="t"), True),
        ("baseline", lambda: freeze_baseline(store, PLAN, actor="t"), False),
        ("rules", lambda: save_rules(RULES, "t", store, tmp_path / "rules.json"), False),
        ("close period", lambda: store.close_period("2021-09", "t"), False),
        ("contact", lambda: save_contact(store, Contact(UNIT_B, "赵六", email="zl@example.gov.cn"), "t"), False),
        ("template", lambda: save_template(store, "urge", "催办:{单位}", "请报送 {报告期}", "t"), False),
        ("notify rules", lambda: save_notify_rules(store, NotifyRules(daily_cap=5), "t"), False),
    ]


def test_every_write_moves_the_version_and_logins_and_reads_do_not(store, tmp_path):
    versions = lambda: (store.data_version(), store.data_version(PLAN), store.data_version(OTHER))
    book = make_book(store)
    book.add("office1", "office", actor="test", password="Secret-pass-123")
    office = GuardedStore(store, Account("office1", "office"))
    moved = []
    for what, write, of_plan in _writes(store, tmp_path):
        before = versions()
        write()
        after = versions()
        assert after[0] > before[0], what
        assert (after[1] > before[1]) == of_plan, what  # the plan's own version: only for its data
        assert after[2] == before[2], what  # another plan's caches stay
        moved.append(what)
    assert len(moved) == 20

    # logins, failed logins, logouts and every read leave the versions (and so the caches) alone
    before = versions()
    audit_rows = len(store.audit_log())
    session = book.login("office1", "Secret-pass-123")
    with pytest.raises(LoginFailed):
        book.login("office1", "wrong-password")
    with pytest.raises(LoginFailed):
        book.login("nobody", "wrong-password")
    book.logout(session.token)
    assert len(store.audit_log()) > audit_rows  # they were audited …
    snapshot(store, date(2021, 10, 10), rules=RULES)
    office.audit_log()
    office.list_accounts()
    office.plans(), office.uploads(), office.tasks(PLAN), office.reports()
    lifecycle.evidence_list(store, PLAN)
    assert versions() == before  # … and moved no version
    assert office.data_version() == before[0] and office.data_version(PLAN) == before[1]


def test_a_refused_write_moves_nothing(store):
    unit = GuardedStore(store, Account("czj", "unit", unit=UNIT_B))
    before = (store.data_version(), store.data_version(PLAN))
    with pytest.raises(PermissionDenied):
        unit.close_period("2021-09")
    with pytest.raises(lifecycle.LifecycleError):
        lifecycle.review(store, PLAN, "1", accept=True, actor="o")  # nothing claimed
    assert (store.data_version(), store.data_version(PLAN)) == before


def test_a_region_account_reads_only_its_plans_version(store):
    add_region(store, "甲市", actor="t")
    add_region(store, "丙市", actor="t")
    set_plan_region(store, PLAN, "甲市", actor="t")
    set_plan_region(store, OTHER, "丙市", actor="t")
    jia = GuardedStore(store, Account("jia", "office", region="甲市"))
    assert jia.data_version(PLAN) == store.data_version(PLAN) > 0
    assert jia.data_version() == store.data_version()
    with pytest.raises(PermissionDenied, match="属于丙市"):
        jia.data_version(OTHER)


def test_task_lists_stay_through_uploads_and_periods_and_are_read_again_after_any_other_write(store, tmp_path):
    """``Store.tasks`` keeps its lists through uploads and period changes (dozens a day) and reads them
    again after every other write, so they are never stale (compared with a store that keeps nothing)."""
    import dataclasses

    from sqlalchemy import event

    from tasks.store import Store

    task_reads = []
    event.listen(
        store.engine,
        "before_cursor_execute",
        lambda conn, cursor, statement, *rest: task_reads.append(1) if "FROM tasks" in statement else None,
    )
    rows = lambda tasks: [dataclasses.astuple(t) for t in tasks]
    kept = {"upload", "close period"}  # an upload opens its period first
    seen = []
    for what, write, _ in _writes(store, tmp_path):
        store.tasks(PLAN)  # both lists kept before the write
        store.tasks(all_plans=True)
        write()
        task_reads.clear()
        mine, every = store.tasks(PLAN), store.tasks(all_plans=True)
        assert bool(task_reads) == (what not in kept), what
        fresh = Store(engine=store.engine, upgrade=False)  # keeps nothing yet
        assert rows(mine) == rows(fresh.tasks(PLAN)) and rows(every) == rows(fresh.tasks(all_plans=True)), what
        seen.append(what)
    assert len(seen) == 20 and kept <= set(seen)
    # the write that changes tasks is seen: the reload's new title is in the kept list
    assert store.tasks(PLAN)[0].title == "设立综合窗口(修订)"
