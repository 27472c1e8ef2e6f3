"""Issue 19, role crossings: ``--as <unit>`` reminders/report/status --ranking go through the
GuardedStore, and ``GuardedStore.commit_upload`` checks a hand-built report itself."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest
from accounts_helpers import UNIT_A, UNIT_B, dump
from progress_helpers import fill, small_plan

from tasks.__main__ import main
from tasks.accounts import Account, AccountBook, GuardedStore
from tasks.errors import WorkbenchError
from tasks.progress import default_rules, template_bytes, validate_upload
from tasks.store import Store

TODAY = date(2021, 10, 3)


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'wb.db'}"
    monkeypatch.setenv("WORKBENCH_DB_URL", url)
    store = Store(url)
    store.load_plan_into_store(small_plan(), actor="cli")
    store.open_period("2021-09", "cli")
    AccountBook(store).add("zwzx", "unit", unit=UNIT_A, password="Zheng-Wu-2021x", actor="cli")
    yield store
    store.dispose()


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_unit_reminders_show_only_its_own_unit(db, capsys):
    code, out, _ = run(capsys, "reminders", "--as-of", "2021-10-20", "--period", "2021-09", "--json")
    assert code == 0 and len({r["unit"] for r in json.loads(out)}) > 1  # the office sees several units
    code, out, err = run(capsys, "--as", "zwzx", "reminders", "--as-of", "2021-10-20", "--period", "2021-09", "--json")
    assert code == 0, err
    assert {r["unit"] for r in json.loads(out)} == {UNIT_A}


def test_unit_status_ranking_shows_only_its_own_row(db, capsys):
    code, out, _ = run(capsys, "status", "--as-of", "2021-10-20", "--ranking")
    office_rows = [line for line in out.splitlines() if " 分(逾期" in line]
    assert len(office_rows) > 1
    code, out, err = run(capsys, "--as", "zwzx", "status", "--as-of", "2021-10-20", "--ranking")
    rows = [line for line in out.splitlines() if " 分(逾期" in line]
    assert code == 0, err
    assert len(rows) == 1 and UNIT_A in rows[0] and UNIT_B not in out.split("单位排名")[1]


def test_unit_report_is_refused_in_chinese(db, capsys, tmp_path):
    out_file = tmp_path / "通报.docx"
    before = dump(db)
    code, out, err = run(
        capsys, "--as", "zwzx", "report", "--kind", "month", "--period", "2021-09", "--out", str(out_file)
    )
    assert code == 2 and err.startswith("error: ") and "无权查看和下载报告" in err and "Traceback" not in err
    assert not out_file.exists() and dump(db) == before
    code, _, _ = run(capsys, "report", "--kind", "month", "--period", "2021-09", "--out", str(out_file))
    assert code == 0 and out_file.exists()


def _clean_report(store):
    data = fill(
        template_bytes(store, UNIT_A, "2021-09"),
        {"3": {"status": "推进中", "percent": 50, "progress": "按计划推进", "date": date(2021, 9, 28)}},
    )
    rep = validate_upload(store, data, "a.xlsx", unit=UNIT_A, today=TODAY, rules=default_rules())
    assert rep.ok, rep.summary()
    return rep


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("status", "HACKED", "状态"),
        ("percent", 1e9, "完成进度"),
        ("percent", float("nan"), "完成进度"),
        ("percent", -5, "完成进度"),
        ("report_date", date(2099, 1, 1), "填报日期"),
        ("period", "2099-01", "报告期"),
        ("progress", "x" * 100_000, "字"),
    ],
)
def test_commit_upload_checks_a_hand_built_report(db, field, value, words):
    g = GuardedStore(db, Account("zwzx", "unit", unit=UNIT_A))
    rep = _clean_report(db)
    rep.rows = [dataclasses.replace(r, **{field: value}) for r in rep.rows]
    before = dump(db)
    with pytest.raises(WorkbenchError) as err:
        g.commit_upload(rep)
    assert words in str(err.value) and "未保存" in str(err.value)
    assert dump(db) == before
    with pytest.raises(WorkbenchError):  # the lower-level call is checked the same way
        g.add_upload(
            sha256="e" * 64,
            filename="a.xlsx",
            unit=UNIT_A,
            plan=rep.plan,
            person="",
            period="2021-09",
            rows=rep.store_rows(),
        )
    assert dump(db) == before


def test_commit_upload_clean_report_still_saves(db):
    g = GuardedStore(db, Account("zwzx", "unit", unit=UNIT_A))
    rep = _clean_report(db)
    assert g.commit_upload(dataclasses.replace(rep)) is not None
