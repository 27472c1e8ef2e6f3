"""The guarded store: each role's forbidden changes are refused in the library and write nothing;
a unit account reports only for itself and reads only its own data."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from accounts_helpers import BACKENDS, PG_URL, UNIT_A, UNIT_B, dump
from progress_helpers import fill, plain_sheet, small_plan

from tasks.accounts import Account, AccountBook, GuardedStore, PermissionDenied
from tasks.progress import (
    UploadRejected,
    commit_upload,
    default_rules,
    ranking,
    reminders,
    snapshot,
    template_bytes,
    validate_upload,
)
from tasks.store.testing import temporary_store

TODAY = date(2021, 10, 3)
RULES = default_rules()
KW: dict[str, Any] = {"today": TODAY, "rules": RULES}
GOOD = {"status": "推进中", "percent": 50, "progress": "按计划推进", "date": date(2021, 9, 28)}


def _fill(store) -> None:
    store.load_plan_into_store(small_plan(), actor="cli")
    store.open_period("2021-09", "cli")
    AccountBook(store).add("zwzx", "unit", unit=UNIT_A, actor="cli")  # the one the office manages


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory):
    """The SQLite database :func:`_fill` writes, built once per module (hashing the account's password
    is most of it); each test opens its own copy."""
    folder = tmp_path_factory.mktemp("guarded")
    with temporary_store("sqlite", folder) as store:
        _fill(store)
    return folder / "workbench-test.db"


def _env(kind, tmp_path, request):
    if kind == "sqlite":  # temporary_store opens the copy at the path it would have created
        shutil.copyfile(request.getfixturevalue("sqlite_template"), tmp_path / "workbench-test.db")
    with temporary_store(kind, tmp_path, PG_URL) as store:
        if kind != "sqlite":
            _fill(store)
        accounts = [
            Account("ban", "office"),
            Account("gh", "planner"),
            Account("ld", "leader"),
            Account("zwzx", "unit", unit=UNIT_A),
            Account("sgb", "unit", unit=UNIT_B),
        ]
        yield store, {a.name: GuardedStore(store, a) for a in accounts}, tmp_path


@pytest.fixture(params=BACKENDS)
def env(request, tmp_path):
    yield from _env(request.param, tmp_path, request)


@pytest.fixture
def env_sqlite(request, tmp_path):
    """The role × change matrix: the guard does not depend on the backend (the upload tests run on both)."""
    yield from _env("sqlite", tmp_path, request)


def _template_for_b(store):
    return fill(template_bytes(store, UNIT_B, "2021-09"), {"2": GOOD})


#: every change the library guards, as (name, call on a GuardedStore)
CHANGES = {
    "load_plan": lambda g, store, tmp: g.load_plan_into_store(small_plan("另一方案"), "cli"),
    "set_predecessors": lambda g, store, tmp: g.set_predecessors(None, "3", ["1"]),
    "open_period": lambda g, store, tmp: g.open_period("2021-10", due=date(2021, 11, 10)),
    "close_period": lambda g, store, tmp: g.close_period("2021-09"),
    "save_rules": lambda g, store, tmp: g.save_rules(default_rules(), path=tmp / "rules.toml"),
    "add_account": lambda g, store, tmp: g.add_account("new1", "leader"),
    "disable_account": lambda g, store, tmp: g.disable_account("zwzx"),
    "enable_account": lambda g, store, tmp: g.enable_account("zwzx"),
    "update_account": lambda g, store, tmp: g.update_account("zwzx", display_name="改名"),
    "promote_self": lambda g, store, tmp: g.update_account("zwzx", role="office"),
    "reset_password": lambda g, store, tmp: g.reset_password("zwzx"),
    "unlock_account": lambda g, store, tmp: g.unlock_account("zwzx"),
    "list_accounts": lambda g, store, tmp: g.list_accounts(),
    "audit_log": lambda g, store, tmp: g.audit_log(),
    "all_templates": lambda g, store, tmp: g.all_templates_zip("2021-09"),
    "template_of_b": lambda g, store, tmp: g.template_bytes(UNIT_B, "2021-09"),
    "upload_for_b": lambda g, store, tmp: g.commit_upload(
        validate_upload(store, _template_for_b(store), "b.xlsx", unit=UNIT_B, **KW)
    ),
    "add_upload_for_b": lambda g, store, tmp: g.add_upload(
        sha256="f" * 64,
        filename="b.xlsx",
        unit=UNIT_B,
        plan="测试方案",
        person="",
        period="2021-09",
        rows=[
            {
                "task_id": "2",
                "status": "推进中",
                "percent": 50,
                "report_date": date(2021, 9, 28),
                "period": "2021-09",
                "source_sheet": "进度填报",
                "source_row": 4,
            }
        ],
    ),
}
FORBIDDEN = {
    "gh": list(CHANGES),
    "ld": list(CHANGES),
    "zwzx": list(CHANGES),  # a unit: everything above concerns the office or another unit
}


@pytest.mark.parametrize("who, change", [(w, c) for w, cs in FORBIDDEN.items() for c in cs])
def test_forbidden_change_refused_and_database_unchanged(env_sqlite, who, change):
    store, g, tmp = env_sqlite
    before = dump(store)
    with pytest.raises(PermissionDenied) as err:
        CHANGES[change](g[who], store, tmp)
    msg = str(err.value)
    assert f"“{who}”" in msg and ("无权" in msg or "只能" in msg or "不是任务" in msg), msg
    assert dump(store) == before
    assert not (tmp / "rules.toml").exists()


@pytest.mark.parametrize("change", list(CHANGES))
def test_office_may_do_every_change_as_itself(env_sqlite, change):
    store, g, tmp = env_sqlite
    n = len(store.audit_log())
    CHANGES[change](g["ban"], store, tmp)
    new = store.audit_log()[n:]
    if change in ("list_accounts", "audit_log", "all_templates", "template_of_b"):
        assert new == []  # reads write nothing
    else:
        assert new and {a.actor for a in new} == {"ban"}, new


def test_unit_cannot_upload_another_units_template(env):
    store, g, _ = env
    unit = g["zwzx"]
    before = dump(store)
    rep = unit.validate_upload(_template_for_b(store), "市审改办.xlsx", **KW)
    assert not rep.ok and "这是“市审改办”的填报模板,不能作为“市政务服务中心”的填报上传" in rep.problems[0].reason
    with pytest.raises(UploadRejected):
        unit.commit_upload(rep)
    with pytest.raises(PermissionDenied, match="只能为本单位"):
        unit.validate_upload(_template_for_b(store), "市审改办.xlsx", unit=UNIT_B, **KW)
    assert dump(store) == before


def test_unit_cannot_upload_hand_made_sheet_on_another_units_task(env):
    store, g, _ = env
    unit = g["zwzx"]
    before = dump(store)
    # no unit written in the sheet: checked as the account's own unit; task 2 is 市审改办/市司法局's
    data = plain_sheet(
        [
            ["任务编号", "状态", "完成进度", "填报日期"],
            ["3", "推进中", 40, "2021-09-28"],
            ["2", "已完成", 100, "2021-09-28"],
        ]
    )
    rep = unit.validate_upload(data, "自制.xlsx", period="2021-09", **KW)
    assert not rep.ok
    assert [(p.row, p.column) for p in rep.problems] == [(3, "任务编号")]
    assert "“市政务服务中心”不是任务2的牵头或责任单位" in rep.problems[0].reason
    with pytest.raises(UploadRejected):
        unit.commit_upload(rep)
    # the sheet says it is 市审改办's
    data = plain_sheet([["填报单位:市审改办"], ["任务编号", "状态", "完成进度"], ["2", "推进中", 40]])
    rep = unit.validate_upload(data, "自制2.xlsx", period="2021-09", **KW)
    assert not rep.ok and "与上传单位“市政务服务中心”不一致" in rep.problems[0].reason
    assert dump(store) == before


def test_tampered_report_refused_at_commit(env):
    store, g, _ = env
    unit = g["zwzx"]
    rep = unit.validate_upload(fill(template_bytes(store, UNIT_A, "2021-09"), {"3": GOOD}), "a.xlsx", **KW)
    assert rep.ok
    before = dump(store)
    bad = replace(rep.rows[0], task_id="2")
    rep.rows.append(bad)
    with pytest.raises(PermissionDenied, match="不是任务2的牵头或责任单位"):
        unit.commit_upload(rep)
    rep.rows.pop()
    rep.unit = UNIT_B
    with pytest.raises(PermissionDenied, match="只能为本单位"):
        unit.commit_upload(rep)
    with pytest.raises(PermissionDenied):  # the plain library call with the guarded store
        commit_upload(unit, rep, actor="cli")
    assert dump(store) == before


def test_refused_upload_for_a_new_month_registers_nothing(env):
    """A unit's month is registered only with an accepted upload: a bare request or a refused
    (tampered) file for a month nobody opened leaves the database unchanged."""
    store, g, _ = env
    unit = g["zwzx"]
    before = dump(store)
    info = unit.open_period("2020-01")  # allowed to ask, but nothing is written
    assert info.key == "2020-01" and store.period("2020-01") is None
    data = fill(unit.template_bytes(None, "2021-10"), {"3": dict(GOOD, date=date(2021, 10, 2))})
    rep = unit.validate_upload(data, "十月.xlsx", **KW)
    assert rep.ok, rep.summary()
    rep.rows.append(replace(rep.rows[0], task_id="2"))  # a row on another unit's task, added by hand
    with pytest.raises(PermissionDenied, match="不是任务2的牵头或责任单位"):
        commit_upload(unit, rep, actor="cli")  # the plain library call (opens months first)
    with pytest.raises(PermissionDenied, match="不是任务2的牵头或责任单位"):
        unit.commit_upload(rep)
    assert dump(store) == before and store.period("2021-10") is None
    with pytest.raises(PermissionDenied, match="无权开启报告期"):
        unit.open_period("2021-11", due=date(2021, 12, 1))


def test_unit_uploads_for_itself_recorded_under_its_account(env):
    store, g, _ = env
    unit = g["zwzx"]
    data = fill(unit.template_bytes(None, "2021-09"), {"1": GOOD, "3": GOOD}, person="王五")
    reps = unit.upload_files([("政务中心.xlsx", data)], save=True, **KW)
    assert reps[0].upload_id is not None, reps[0].summary()
    up = store.uploads()[-1]
    assert (up.unit, up.actor, up.person, up.rows) == (UNIT_A, "zwzx", "王五", 2)
    assert store.audit_log()[-1].actor == "zwzx" and store.audit_log()[-1].action == "upload"
    # a month nobody opened yet is registered by the upload, under the unit's name
    data = fill(unit.template_bytes(None, "2021-10"), {"3": dict(GOOD, date=date(2021, 10, 2))})
    rep = unit.validate_upload(data, "十月.xlsx", **KW)
    assert unit.commit_upload(rep) is not None
    assert [a.actor for a in store.audit_log() if a.action == "open_period"][-1] == "zwzx"


def test_plain_library_calls_with_guarded_store_act_as_the_account(env):
    store, g, _ = env
    unit = g["sgb"]
    rep = validate_upload(unit, _template_for_b(store), "b.xlsx", **KW)
    assert rep.ok
    commit_upload(unit, rep, actor="cli")  # the passed actor is ignored
    assert store.uploads()[-1].actor == "sgb"
    with pytest.raises(PermissionDenied):
        template_bytes(unit, UNIT_A, "2021-09")


def test_unit_reads_only_its_own(env):
    store, g, _ = env
    office, unit = g["ban"], g["zwzx"]
    b_rep = validate_upload(store, _template_for_b(store), "b.xlsx", unit=UNIT_B, **KW)
    office.commit_upload(b_rep)
    assert [t.id for t in office.tasks()] == ["1", "2", "3"]
    assert [t.id for t in unit.tasks()] == ["1", "3"]
    assert [t.id for t in unit.task_dicts()] == ["1", "3"]
    assert unit.units() == [UNIT_A]
    assert unit.uploads() == [] and len(office.uploads()) == 1
    assert unit.reports() == []  # 市审改办 reported on task 2 only
    snap = unit.snapshot(date(2021, 10, 20), rules=RULES)
    assert sorted(s.id for s in snap.statuses) == ["1", "3"]
    cards = unit.scorecards(date(2021, 10, 20), rules=RULES)
    assert [c.unit for c in cards] == [UNIT_A]
    full = ranking(snapshot(store, date(2021, 10, 20), rules=RULES))
    assert [c.to_dict() for c in office.scorecards(date(2021, 10, 20), rules=RULES)] == [c.to_dict() for c in full]
    mine = next(c for c in full if c.unit == UNIT_A)
    assert cards[0].to_dict() == mine.to_dict()  # the same card (rank included) the office sees
    rem = unit.reminders(date(2021, 10, 20), "2021-09", rules=RULES)
    everyone = reminders(snapshot(store, date(2021, 10, 20), rules=RULES), "2021-09")
    assert len(everyone) > 1 and UNIT_A in {r.unit for r in everyone}
    assert [r.to_dict() for r in rem] == [r.to_dict() for r in everyone if r.unit == UNIT_A]


def test_leader_and_planner_read_everything_but_change_nothing(env):
    store, g, _ = env
    for who in ("ld", "gh"):
        assert [t.id for t in g[who].tasks()] == ["1", "2", "3"]
        assert len(g[who].snapshot(date(2021, 10, 20), rules=RULES).statuses) == 3
        with pytest.raises(PermissionDenied):
            g[who].validate_upload(_template_for_b(store), "b.xlsx", **KW)


def test_other_store_changes_are_office_only_and_transactions_hidden(env):
    store, g, _ = env
    with pytest.raises(AttributeError):
        g["zwzx"].session(write=True)
    with pytest.raises(AttributeError):
        _ = g["zwzx"].engine
    before = dump(store)
    with pytest.raises(PermissionDenied, match="无权修改进度库"):
        g["ld"].record_action("cli", "note", "x")  # explicit wrapper: unknown action → office only
    with pytest.raises(PermissionDenied, match="无权修改进度库"):
        g["gh"].__getattr__("record_action")("cli", "note", "x")  # the generic wrapper of store changes
    assert dump(store) == before
    g["ban"].__getattr__("record_action")("cli", "note", "x")
    assert store.audit_log()[-1].actor == "ban"
    assert g["zwzx"].task_ids(None, ["1", "2"]) == {"1": False, "2": False}  # reads pass through


def test_zip_of_sheets_from_a_unit_checked_file_by_file(env):
    import io
    import zipfile

    store, g, _ = env
    unit = g["zwzx"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("own.xlsx", fill(template_bytes(store, UNIT_A, "2021-09"), {"3": GOOD}))
        z.writestr("other.xlsx", _template_for_b(store))
    reps = unit.upload_files([("批量.zip", buf.getvalue())], save=True, **KW)
    by = {r.filename.split("/")[-1]: r for r in reps}
    assert by["own.xlsx"].upload_id is not None
    assert by["other.xlsx"].upload_id is None and "这是“市审改办”的填报模板" in by["other.xlsx"].problems[0].reason
    assert [u.unit for u in store.uploads()] == [UNIT_A]
