"""A province on one database (issue 18): a plan belongs to a city or county; a city's accounts see and
manage only their own plans (and their counties'), every refusal writes nothing; the provincial office
sees everything and compares cities, with figures equal to counts made here independently."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

import pytest
from accounts_helpers import BACKENDS, PG_URL, dump, must
from progress_helpers import small_plan
from supervision_helpers import xlsx_bytes

from tasks.accounts import Account, AccountBook, AccountError, GuardedStore, PermissionDenied, allowed, use_cli_account
from tasks.notify.model import Contact
from tasks.progress import default_rules, snapshot
from tasks.regions import (
    DEFAULT_REGION,
    RegionError,
    add_region,
    comparison_conclusion,
    plan_regions,
    regions,
    set_plan_region,
)
from tasks.store import StoreError
from tasks.store.testing import temporary_store

TODAY = date(2021, 10, 10)
RULES = default_rules()
PW = "Vq8#Lm2x-Rt6pZw"
JIA, YI, BING = "甲市方案", "乙县方案", "丙市方案"
OWN = "本级方案"
REGION_OF = {JIA: "甲市", YI: "乙县", BING: "丙市", OWN: DEFAULT_REGION}


def at(month: int, day: int) -> datetime:
    return datetime(2021, month, day, 10, 0)


def _row(task: str, status: str, percent: float, day: date, row: int = 4) -> dict:
    return {
        "task_id": task,
        "status": status,
        "percent": percent,
        "report_date": day,
        "period": "2021-09",
        "source_sheet": "进度填报",
        "source_row": row,
    }


def _env(kind, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_FILES_DIR", str(tmp_path / "files"))
    with temporary_store(kind, tmp_path, PG_URL) as store:
        add_region(store, "甲市", actor="cli")
        add_region(store, "乙县", parent="甲市", actor="cli")
        add_region(store, "丙市", actor="cli")
        prov = GuardedStore(store, Account("sheng", "office"))
        for key, region in REGION_OF.items():
            prov.load_plan_into_store(small_plan(key), region=None if region == DEFAULT_REGION else region)
        store.open_period("2021-09", "cli")
        # 甲市: task 1 reported by one of its two lead units; 丙市: tasks 1 and 2 reported (2 as done)
        for n, (plan, unit, rows) in enumerate(
            [
                (
                    JIA,
                    "市审改办",
                    [_row("1", "推进中", 50, date(2021, 9, 28)), _row("2", "滞后", 20, date(2021, 9, 28), 5)],
                ),
                (
                    BING,
                    "市审改办",
                    [_row("1", "推进中", 60, date(2021, 9, 27)), _row("2", "已完成", 100, date(2021, 9, 27), 5)],
                ),
                (
                    BING,
                    "市政务服务中心",
                    [_row("1", "推进中", 60, date(2021, 9, 29)), _row("3", "推进中", 10, date(2021, 9, 29), 5)],
                ),
                (YI, "市政务服务中心", [_row("3", "推进中", 30, date(2021, 9, 30))]),
            ]
        ):
            store.add_upload(
                sha256=f"{n:064d}",
                filename=f"{n}.xlsx",
                unit=unit,
                plan=plan,
                person="张三",
                period="2021-09",
                rows=rows,
                actor="cli",
            )
        # 丙市 closes task 2 (已办结); 乙县 task 2 gets an extension request (left pending)
        prov.sign_task(BING, "2", unit="市审改办", at=at(9, 1))
        prov.claim_done(BING, "2", unit="市审改办", evidence=[("验收.xlsx", xlsx_bytes())], at=at(9, 20), rules=RULES)
        prov.review_claim(BING, "2", accept=True, at=at(9, 21))
        prov.sign_task(BING, "1", unit="市审改办", at=at(9, 1))
        request = prov.request_extension(
            BING, "1", unit="市审改办", to=date(2022, 3, 31), reason="等待省级系统对接", at=at(9, 2)
        )
        book = AccountBook(store)
        book.add("jia", "office", region="甲市", actor="cli", password=PW)
        book.add("bing", "office", region="丙市", actor="cli", password=PW)
        book.add("sheng2", "office", actor="cli", password=PW)
        g = {
            "prov": prov,
            "jia": GuardedStore(store, Account("jia", "office", region="甲市")),
            "yi": GuardedStore(store, Account("yi", "office", region="乙县")),
            "bing": GuardedStore(store, Account("bing", "office", region="丙市")),
            "jia_leader": GuardedStore(store, Account("jld", "leader", region="甲市")),
            "jia_unit": GuardedStore(store, Account("jzw", "unit", unit="市政务服务中心", region="甲市")),
        }
        yield store, g, request.id


@pytest.fixture(params=BACKENDS)
def env(request, tmp_path, monkeypatch):
    yield from _env(request.param, tmp_path, monkeypatch)


@pytest.fixture
def env_sqlite(tmp_path, monkeypatch):
    yield from _env("sqlite", tmp_path, monkeypatch)


# -- who sees what -----------------------------------------------------------------------------------
def test_city_sees_its_own_and_its_counties_plans_province_sees_all(env):
    store, g, _ = env
    keys = {name: {p.key for p in s.plans()} for name, s in g.items() if name != "jia_unit"}
    assert keys["prov"] == set(REGION_OF)
    assert keys["jia"] == keys["jia_leader"] == {JIA, YI}  # a city sees its county
    assert keys["yi"] == {YI}  # a county only itself
    assert keys["bing"] == {BING}
    assert g["prov"].plans() == store.plans()  # unscoped: exactly the store's answer
    assert {t.plan for t in g["jia"].tasks(all_plans=True)} == {JIA, YI}
    assert {t.plan for t in g["prov"].tasks(all_plans=True)} == set(REGION_OF)
    assert {r.plan for r in g["jia"].reports()} == {JIA, YI}
    assert {r.plan for r in g["bing"].reports()} == {BING}
    assert {s.plan for s in g["jia"].snapshot(TODAY, rules=RULES).statuses} == {JIA, YI}
    assert [(r.name, r.parent) for r in g["jia"].regions()] == [("甲市", None), ("乙县", "甲市")]
    assert g["jia"].plan_regions() == {JIA: "甲市", YI: "乙县"}
    assert {u.unit for u in g["bing"].uploads()} == {"市审改办", "市政务服务中心"} and len(g["bing"].uploads()) == 2
    assert len(g["jia"].uploads()) == 2 and len(g["prov"].uploads()) == 4
    # the only plan of a county is its default; a city with two plans must name one
    assert g["yi"].plan_key() == YI and [t.plan for t in g["yi"].tasks()] == [YI] * 3
    with pytest.raises(StoreError, match="甲市有多个计划"):
        g["jia"].tasks()
    # units: those with a role in the region's plans
    assert g["jia"].units() == sorted({"市审改办", "市政务服务中心", "市司法局"})
    # a unit account of 甲市 sees its own unit's tasks in 甲市 and 乙县 only
    assert {(t.plan, t.id) for t in g["jia_unit"].tasks(all_plans=True)} == {(p, i) for p in (JIA, YI) for i in "13"}
    assert {e.plan for e in g["bing"].lifecycle_events()} == {BING}
    assert g["jia"].lifecycle_events() == []
    assert g["bing"].evidence_list(BING) and not g["jia"].evidence_list(YI)
    assert g["jia"].card_history(JIA) == g["prov"].card_history(JIA)
    report = g["jia"].build_report("month", "2021-09", rules=RULES)  # 月度检查 of 甲市 (with 乙县) only
    assert {s.plan for s in report.snap.statuses} == {JIA, YI} and len(report.snap.statuses) == 6
    assert {c.unit for c in g["jia_unit"].scorecards(TODAY, rules=RULES)} == {"市政务服务中心"}


def test_audit_log_of_a_city_office(env_sqlite):
    store, g, _ = env_sqlite
    targets = {a.target for a in g["jia"].audit_log()}
    assert JIA in targets and YI in targets and "jia" in targets
    assert not {BING, OWN, "bing", "sheng2"} & targets
    assert len(g["prov"].audit_log()) == len(store.audit_log())


# -- refusals: clear, Chinese, and nothing written ----------------------------------------------------------
def _refusals(g, request_id):
    jia, unit = g["jia"], g["jia_unit"]
    return [
        lambda: jia.plan(BING),
        lambda: jia.tasks(BING),
        lambda: jia.task_dicts(BING),
        lambda: jia.reports(plan=BING),
        lambda: jia.snapshot(TODAY, plan=BING, rules=RULES),
        lambda: jia.scorecards(TODAY, plan=BING, rules=RULES),
        lambda: jia.reminders(TODAY, plan=BING, rules=RULES),
        lambda: jia.build_report("month", "2021-09", plan=BING, rules=RULES),
        lambda: jia.task_ids(BING),  # a store read passed through
        lambda: jia.set_predecessors(BING, "2", ["1"]),
        lambda: jia.sign_task(BING, "1", unit="市政务服务中心", at=at(9, 3)),
        lambda: jia.request_extension(BING, "3", unit="市政务服务中心", to=date(2022, 1, 1), reason="忙", at=at(9, 3)),
        lambda: jia.claim_done(BING, "3", unit="市政务服务中心", evidence=[("a.xlsx", xlsx_bytes())], rules=RULES),
        lambda: jia.review_claim(BING, "2", accept=False, note="退回"),
        lambda: jia.decide_extension(request_id, approve=True),
        lambda: jia.set_calendar(BING, start=date(2021, 9, 1)),
        lambda: jia.freeze_baseline(BING, "手动"),
        lambda: jia.baselines(BING),
        lambda: jia.compare_baseline(BING),
        lambda: jia.calendar(BING),
        lambda: jia.office_queue(BING),
        lambda: jia.evidence_list(BING),
        lambda: jia.card_history(BING),
        lambda: jia.record_card_history(JIA),  # recording is the province's (it closes periods)
        lambda: jia.evidence_download(g["prov"].evidence_list(BING)[0].id),
        lambda: jia.template_bytes("市审改办", "2021-09", BING),
        lambda: jia.all_templates_zip("2021-09", BING),
        lambda: jia.add_upload(
            sha256="f" * 64,
            filename="x.xlsx",
            unit="市审改办",
            plan=BING,
            person="李四",
            period="2021-09",
            rows=[_row("1", "推进中", 70, date(2021, 9, 30))],
        ),
        lambda: jia.load_plan_into_store(small_plan(BING)),  # updating another city's plan
        lambda: jia.load_plan_into_store(small_plan("新方案"), region="丙市"),
        lambda: jia.set_plan_region(JIA, "丙市"),
        lambda: jia.add_region("丁市"),
        lambda: jia.close_period("2021-09"),
        lambda: jia.open_period("2021-10", due=date(2021, 11, 3)),
        lambda: jia.notify_templates(),  # the province's templates and rules
        lambda: jia.save_contact(Contact("市审改办", email="x@example.gov.cn"), region="丙市"),
        lambda: jia.add_account("x1", "office", region="丙市", password=PW),
        lambda: jia.add_account("x2", "office", region="全省", password=PW),
        lambda: jia.reset_password("bing"),
        lambda: jia.disable_account("sheng2"),
        lambda: jia.update_account("bing", display_name="改名"),
        lambda: unit.sign_task(BING, "1", at=at(9, 3)),
        lambda: unit.template_bytes(None, "2021-09", BING),
        lambda: g["yi"].tasks(JIA),  # a county does not see its city's plan
    ]


def test_every_refusal_of_another_regions_plan_leaves_the_database_unchanged(env):
    store, g, request_id = env
    before = dump(store)
    for i, call in enumerate(_refusals(g, request_id)):
        with pytest.raises(PermissionDenied) as err:
            call()
        text = str(err.value)
        assert "甲市" in text or "乙县" in text, (i, text)
        assert dump(store) == before, i
    assert "计划“丙市方案”:该计划属于丙市,本账号只能查看甲市(含乙县)的计划" in _message(lambda: g["jia"].tasks(BING))
    assert "此项全省统一" in _message(lambda: g["jia"].add_region("丁市"))


def _message(call) -> str:
    with pytest.raises(PermissionDenied) as err:
        call()
    return str(err.value)


def test_city_office_works_on_its_own_and_its_countys_plans(env_sqlite, tmp_path):
    store, g, _ = env_sqlite
    jia = g["jia"]
    jia.set_predecessors(YI, "2", ["1"])
    assert store.tasks(YI)[1].predecessors == ["1"]
    ev = jia.sign_task(YI, "1", unit="市审改办", at=at(9, 5))
    assert ev.plan == YI
    res = jia.load_plan_into_store(small_plan("甲市新方案"))  # a new plan goes to the account's region
    assert plan_regions(store)[res.plan] == "甲市"
    jia.load_plan_into_store(small_plan("乙县新方案"), region="乙县")
    assert plan_regions(store)["乙县新方案"] == "乙县"
    jia.load_plan_into_store(small_plan(JIA))  # updating its own plan keeps its region
    assert plan_regions(store)[JIA] == "甲市"
    assert jia.template_bytes("市审改办", "2021-09", JIA)[:2] == b"PK"
    # a city office registers a month with the default due date (as units do), not a due date of its own
    assert jia.open_period("2021-10").key == "2021-10"


def test_city_office_manages_only_its_regions_accounts(env_sqlite):
    store, g, _ = env_sqlite
    jia = g["jia"]
    assert {a["name"] for a in jia.list_accounts()} == {"jia"}
    jia.add_account("jzwzx", "unit", unit="市政务服务中心", password=PW)
    jia.add_account("yiban", "office", region="乙县", password=PW)
    book = AccountBook(store)
    assert must(book.get("jzwzx")).region == "甲市" and must(book.get("yiban")).region == "乙县"
    assert {a["name"] for a in jia.list_accounts()} == {"jia", "jzwzx", "yiban"}
    assert must(book.authenticate("yiban", PW)).region == "乙县"  # the scope survives login
    jia.update_account("yiban", region="甲市")
    assert must(book.get("yiban")).region == "甲市"
    # the province: unscoped; it may lift a scope ("全省") or set any region
    g["prov"].update_account("yiban", region="全省")
    assert must(book.get("yiban")).region is None
    g["prov"].update_account("yiban", region="丙市")
    assert must(book.get("yiban")).region == "丙市"
    before = dump(store)
    with pytest.raises(RegionError, match="尚未登记"):
        g["prov"].add_account("zz", "office", region="戊市", password=PW)
    with pytest.raises(PermissionDenied, match="没有任务"):
        jia.add_account("gaj", "unit", unit="市公安局", password=PW)
    with pytest.raises(AccountError, match="不在任务分解表中"):
        g["prov"].add_account("gaj", "unit", unit="市公安局", password=PW)
    assert dump(store) == before


def test_scoped_rights_and_unscoped_unchanged():
    city = Account("jia", "office", region="甲市")
    assert allowed(city, "load_plan") and allowed(city, "review_claim") and allowed(city, "manage_accounts")
    for action in ("manage_regions", "close_period", "save_rules", "manage_notify"):
        assert not allowed(city, action)
        assert allowed(Account("sheng", "office"), action)
    # its own units' contacts and its own region's reminders (tests/tasks/test_notify_regions.py)
    assert allowed(city, "manage_contacts") and allowed(city, "send_notify") and allowed(city, "view_outbox")
    # the comparison: every reading role, over the regions it sees (tests/tasks/test_region_compare_roles.py)
    assert allowed(city, "compare_regions") and allowed(Account("ld", "leader"), "compare_regions")
    assert not allowed(Account("zw", "unit", unit="市政务服务中心"), "compare_regions")
    assert city.label == "jia(甲市·领导小组办公室)"


# -- regions and plans --------------------------------------------------------------------------------------
def test_region_registry_and_bad_names(env_sqlite):
    store, g, _ = env_sqlite
    before = dump(store)
    for name, parent, words in [
        ("甲", None, "无效"),
        ("甲市", None, "已登记"),
        ("丁县", "乙县", "不能再下辖"),
        ("丁县", "戊市", "尚未登记"),
        ("本级", None, "保留"),
        ("全省", None, "保留"),
        ("", None, "无效"),
    ]:
        with pytest.raises(RegionError, match=words):
            add_region(store, name, parent=parent, actor="cli")
    with pytest.raises(RegionError, match="库中没有计划"):
        set_plan_region(store, "没有的方案", "甲市", actor="cli")
    with pytest.raises(RegionError, match="尚未登记"):
        g["prov"].load_plan_into_store(small_plan("新方案"), region="戊市")  # checked before loading
    assert dump(store) == before
    assert [(r.name, r.kind, r.parent) for r in regions(store)] == [
        ("丙市", "city", None),
        ("甲市", "city", None),
        ("乙县", "county", "甲市"),
    ]
    assert g["prov"].set_plan_region(OWN, "丙市") == DEFAULT_REGION
    assert g["prov"].set_plan_region(OWN, "丙市") is None  # unchanged
    assert {p.key for p in g["bing"].plans()} == {BING, OWN}
    assert g["prov"].set_plan_region(OWN, DEFAULT_REGION) == "丙市"
    assert plan_regions(store)[OWN] == DEFAULT_REGION
    assert [a.action for a in store.audit_log()[-2:]] == ["plan_region", "plan_region"]


# -- the comparison -----------------------------------------------------------------------------------------
def _independent(store, by_city: bool):
    """Counts made here from the raw snapshot and the test's own plan → region table."""
    group = {"甲市": "甲市", "乙县": "甲市" if by_city else "乙县", "丙市": "丙市", DEFAULT_REGION: DEFAULT_REGION}
    snap = snapshot(store, TODAY, rules=RULES)
    region = {s.plan: group[REGION_OF[s.plan]] for s in snap.statuses}
    plan_of = {t.pk: t.plan for t in snap.tasks}
    period = snap.latest_due_period()
    duties = [d for d in snap.duties if d.period == period]
    out = {}
    for r in sorted(set(group.values())):
        mine = [s for s in snap.statuses if region[s.plan] == r]
        owed = [d for d in duties if region[plan_of[d.task_pk]] == r]
        out[r] = {
            "plans": len({s.plan for s in mine}),
            "tasks": len(mine),
            "done": sum(s.lifecycle == "closed" for s in mine),
            "overdue": sum(s.status == "overdue" for s in mine),
            "red_cards": sum(s.card == "red" for s in mine),
            "duties": len(owed),
            "reported": sum(d.reported is not None for d in owed),
        }
    return out, period


@pytest.mark.parametrize("by", ["city", "region"])
def test_comparison_equals_independent_counts(env, by):
    store, g, _ = env
    rows, period = g["prov"].compare_regions(TODAY, by=by, rules=RULES)
    expected, expected_period = _independent(store, by == "city")
    assert period == expected_period == "2021-09"
    got = {
        r.region: {k: getattr(r, k) for k in ("plans", "tasks", "done", "overdue", "red_cards", "duties", "reported")}
        for r in rows
    }
    assert got == expected
    assert rows[-1].region == DEFAULT_REGION
    figures = {r.region: r for r in rows}
    assert figures["丙市"].done == 1  # the closed task
    assert sum(r.tasks for r in rows) == 12 and sum(r.plans for r in rows) == 4
    if by == "city":
        assert figures["甲市"].counties == ("乙县",) and figures["甲市"].plans == 2
        assert figures["甲市"].report_rate == pytest.approx(expected["甲市"]["reported"] / expected["甲市"]["duties"])
    assert comparison_conclusion(rows).startswith("报送率最低的是")


def test_regions_cli(env_sqlite, monkeypatch, capsys):
    import json

    from tasks.__main__ import main

    def run(_prog, argv):
        use_cli_account(None)
        try:
            return main(argv)
        finally:
            use_cli_account(None)

    store, g, _ = env_sqlite
    monkeypatch.setenv("WORKBENCH_DB_URL", store.url)
    assert run("tasks", ["regions", "--as-of", TODAY.isoformat(), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    rows, _period = g["prov"].compare_regions(TODAY)
    assert [(r["region"], r["tasks"], r["overdue"], r["red_cards"]) for r in out["regions"]] == [
        (r.region, r.tasks, r.overdue, r.red_cards) for r in rows
    ]
    assert out["conclusion"] == comparison_conclusion(rows)
    before = dump(store)
    assert run("tasks", ["--as", "jia", "regions", "--as-of", TODAY.isoformat(), "--json"]) == 0
    mine = json.loads(capsys.readouterr().out)  # a city compares itself with its county, nothing else
    assert [(r["region"], r["tasks"], r["counties"]) for r in mine["regions"]] == [("甲市", 6, ["乙县"])]
    assert run("tasks", ["--as", "jia", "regions", "plan", JIA, "丙市"]) == 2
    assert run("tasks", ["--as", "jia", "status", "--plan", BING, "--json"]) == 2
    err = capsys.readouterr().err
    assert err.count("error:") == 2 and "该计划属于丙市" in err and "此项全省统一" in err and "Traceback" not in err
    assert dump(store) == before
    assert run("tasks", ["users", "add", "yiban", "--role", "office", "--region", "乙县"]) == 0
    assert "乙县·领导小组办公室" in capsys.readouterr().out
    assert must(AccountBook(store).get("yiban")).region == "乙县"
    assert run("tasks", ["regions", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {r["name"]: r["plans"] for r in listed} == {"丙市": [BING], "甲市": [JIA], "乙县": [YI]}


def test_counts_unchanged_for_one_city_deployment(tmp_path):
    """No region anywhere: every plan is 本级 and the comparison has one row."""
    with temporary_store("sqlite", tmp_path) as store:
        g = GuardedStore(store, Account("ban", "office"))
        g.load_plan_into_store(small_plan())
        assert plan_regions(store) == {"测试方案": DEFAULT_REGION}
        rows, _ = g.compare_regions(TODAY, rules=RULES)
        assert [(r.region, r.tasks) for r in rows] == [(DEFAULT_REGION, 3)]
        assert Counter(a.action for a in store.audit_log())["plan_region"] == 0


def test_uploads_of_another_regions_template_are_refused_whole(env_sqlite):
    from progress_helpers import fill

    from tasks.progress import template_bytes

    store, g, _ = env_sqlite
    good = {"status": "推进中", "percent": 50, "progress": "按计划推进", "date": date(2021, 9, 29)}
    theirs = fill(template_bytes(store, "市审改办", "2021-09", BING), {"2": good})
    mine = fill(template_bytes(store, "市审改办", "2021-09", YI), {"2": good})
    before = dump(store)
    for call in (
        lambda: g["jia"].validate_upload(theirs, "丙市.xlsx", today=TODAY, rules=RULES),
        lambda: g["jia"].upload_files([("甲.xlsx", mine), ("丙市.xlsx", theirs)], save=True, today=TODAY, rules=RULES),
    ):
        with pytest.raises(PermissionDenied, match="该计划属于丙市"):
            call()
        assert dump(store) == before  # the batch is checked before anything is saved
    reports = g["jia"].upload_files([("乙县.xlsx", mine)], save=True, today=TODAY, rules=RULES)
    assert [r.ok for r in reports] == [True] and len(store.uploads()) == 5


def test_oidc_region_claim():
    from tasks.accounts import account_from_oidc

    m = {"roles": {"wb-office": "office"}, "region_claim": "region", "regions": {"js": "甲市"}}
    assert (
        account_from_oidc(
            {"preferred_username": "w", "groups": "wb-office", "region": "js"}, m, known_regions=["甲市"]
        ).region
        == "甲市"
    )
    with pytest.raises(PermissionDenied, match="没有所属地区"):  # never silently province-wide
        account_from_oidc({"preferred_username": "w", "groups": "wb-office"}, m)
    with pytest.raises(PermissionDenied, match="尚未登记"):
        account_from_oidc(
            {"preferred_username": "w", "groups": "wb-office", "region": "戊市"}, m, known_regions=["甲市"]
        )
    assert (
        account_from_oidc({"preferred_username": "w", "groups": "wb-office"}, {"roles": {"wb-office": "office"}}).region
        is None
    )


def test_city_office_queues_sign_notices_for_its_own_plans_only(env_sqlite, monkeypatch):
    from tasks.notify.model import Contact, TaskEvent

    store, g, _ = env_sqlite
    g["jia"].save_contact(Contact("市审改办", "王五", email="wangwu@example.gov.cn"))  # 甲市's own unit
    mine = [TaskEvent("sign", "jia-1", JIA, "1", "市审改办", "推进简政放权")]
    theirs = [TaskEvent("sign", "bing-1", BING, "1", "市审改办", "推进简政放权")]
    before = dump(store)
    with pytest.raises(PermissionDenied, match="该计划属于丙市"):
        g["jia"].notify_events(mine + theirs, channels=["mail"])
    assert dump(store) == before
    with pytest.raises(PermissionDenied, match="此项全省统一"):
        g["jia"].save_notify_rules({})
    with pytest.raises(PermissionDenied, match="无权"):
        g["jia_leader"].notify_events(mine, channels=["mail"])
    queued = g["jia"].notify_events(mine, channels=["mail"])  # its own plan: allowed
    assert [(m.unit, m.channel) for m in queued] == [("市审改办", "mail")], queued


def test_report_rate_follows_each_plans_own_calendar(tmp_path):
    """No period registered by hand: each plan's latest period due before the date (monthly for one city,
    quarterly for the other) is the one whose 报送率 is compared."""
    with temporary_store("sqlite", tmp_path) as store:
        add_region(store, "甲市", actor="cli")
        add_region(store, "丙市", actor="cli")
        prov = GuardedStore(store, Account("sheng", "office"))
        prov.load_plan_into_store(small_plan(JIA), region="甲市", start=date(2021, 7, 1), cycle="monthly")
        prov.load_plan_into_store(small_plan(BING), region="丙市", start=date(2021, 7, 1), cycle="quarterly")
        store.add_upload(
            sha256="1" * 64, filename="a.xlsx", unit="市审改办", plan=JIA, person="张三", period="2021-09",
            rows=[_row("1", "推进中", 50, date(2021, 10, 2)), _row("2", "推进中", 50, date(2021, 10, 2), 5)],
            actor="cli",
        )  # fmt: skip
        snap = snapshot(store, date(2021, 11, 10), rules=RULES)
        expected = {}
        for plan, region in ((JIA, "甲市"), (BING, "丙市")):
            pks = {t.pk for t in snap.tasks if t.plan == plan}
            mine = [d for d in snap.duties if d.task_pk in pks and d.due < snap.as_of]
            last = max(d.due for d in mine)
            owed = [d for d in mine if d.due == last]
            expected[region] = (len(owed), sum(d.reported is not None for d in owed))
        rows, period = prov.compare_regions(date(2021, 11, 10), rules=RULES)
        assert {r.region: (r.duties, r.reported) for r in rows} == expected
        assert expected["甲市"][0] > 0 and expected["丙市"][0] > 0
        assert period is not None and "、" in period  # a month and a quarter


def test_task_history_is_read_within_the_accounts_scope(env):
    """A task's own history (what the detail shows): a city reads its own plans' tasks, not another
    city's; a unit reads only the tasks it is on; the province reads every plan's."""
    store, g, _ = env
    every = store.reports()
    pks = {(t.plan, t.id): t.pk for t in store.tasks(all_plans=True)}

    def expected(plan: str, task: str) -> list[tuple]:
        return [(r.unit, r.percent, r.report_date) for r in every if r.task_pk == pks[plan, task]]

    def read(who: str, plan: str, task: str) -> list[tuple]:
        return [(r.unit, r.percent, r.report_date) for r in g[who].task_reports(plan, task)]

    assert read("prov", BING, "1") == expected(BING, "1") and len(expected(BING, "1")) == 2
    assert read("jia", JIA, "1") == expected(JIA, "1") == [("市审改办", 50.0, date(2021, 9, 28))]
    assert read("jia", YI, "3") == expected(YI, "3")  # its county's plan
    assert read("jia_leader", JIA, "2") == expected(JIA, "2")
    assert read("prov", JIA, "1") == read("jia", JIA, "1")
    assert g["prov"].task_reports(BING, "1", as_of=date(2021, 9, 28)) == [
        r for r in store.task_reports(BING, "1") if r.report_date <= date(2021, 9, 28)
    ]
    assert "该计划属于丙市" in _message(lambda: g["jia"].task_reports(BING, "1"))
    assert "该计划属于甲市" in _message(lambda: g["bing"].task_reports(JIA, "1"))
    # 市政务服务中心 co-leads task 1 of 甲市's plan (it reads 市审改办's row there) and is not on task 2
    assert read("jia_unit", JIA, "1") == expected(JIA, "1") != []
    assert read("jia_unit", JIA, "2") == [] != expected(JIA, "2")
    assert store.task_reports("没有的计划", "1") == [] and store.task_reports(JIA, "99") == []
