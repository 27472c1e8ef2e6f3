"""基层减负: the unit's template is prefilled with its own last status and percent (a returned claim's
已完成 shows as 推进中, with the office's reason); closed tasks are not listed; a prefilled row the unit
leaves exactly as it was is not a report (沿用上期未更新, listed by task number) unless the unit
re-confirms it in 进展情况 or with a 填报日期 — on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from accounts_helpers import BACKENDS, PG_URL
from openpyxl import load_workbook
from progress_helpers import fill
from supervision_helpers import PDF, UNIT_A, UNIT_B, loop_plan

from tasks.accounts import Account, GuardedStore
from tasks.progress import all_templates_zip, commit_upload, default_rules, template_bytes, validate_upload
from tasks.progress.template import DATA_SHEET, FIRST_DATA_ROW, HELP_SHEET, META_SHEET, TEMPLATE_VERSION
from tasks.store.testing import temporary_store

PLAN = "督办测试计划"
RULES = default_rules()
TODAY = date(2021, 10, 28)


def rows_of(data: bytes) -> dict[str, tuple]:
    """task id → (工作要点, 状态, 完成进度) as the unit sees them."""
    ws = load_workbook(io.BytesIO(data))[DATA_SHEET]
    return {
        str(ws.cell(r, 1).value): (ws.cell(r, 2).value, ws.cell(r, 5).value, ws.cell(r, 6).value)
        for r in range(FIRST_DATA_ROW, ws.max_row + 1)
        if ws.cell(r, 1).value
    }


def check(store, data: bytes, name: str = "a.xlsx"):
    return validate_upload(store, data, name, unit=UNIT_A, today=TODAY, rules=RULES)


@pytest.fixture(params=BACKENDS)
def env(request, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_FILES_DIR", str(tmp_path / "files"))
    with temporary_store(request.param, tmp_path, PG_URL) as store:
        office = GuardedStore(store, Account("ban", "office"))
        unit = GuardedStore(store, Account("zwzx", "unit", unit=UNIT_A))
        office.load_plan_into_store(loop_plan(), start=date(2021, 8, 9))
        store.open_period("2021-09", "ban")
        store.open_period("2021-10", "ban")
        # September: A reports tasks 1 (done), 3 and 4
        sept = fill(
            template_bytes(store, UNIT_A, "2021-09", PLAN),
            {
                "1": {"status": "已完成", "percent": 100, "progress": "窗口已设立", "date": date(2021, 9, 25)},
                "3": {"status": "推进中", "percent": 40, "progress": "方案起草", "date": date(2021, 9, 25)},
                "4": {"status": "推进中", "percent": 50, "progress": "已排班", "date": date(2021, 9, 25)},
            },
        )
        rep = unit.validate_upload(sept, "9月.xlsx", today=date(2021, 9, 26), rules=RULES)
        assert rep.ok, rep.summary()
        unit.commit_upload(rep)
        # task 1: claim returned by the office; task 3: A's part accepted (closed for A)
        for tid in ("1", "3"):
            unit.sign_task(PLAN, tid, at=datetime(2021, 8, 10, 9))
            unit.claim_done(PLAN, tid, evidence=[("a.pdf", PDF)], at=datetime(2021, 10, 8, 9), rules=RULES)
        office.review_claim(PLAN, "1", accept=False, note="缺少验收材料", at=datetime(2021, 10, 9, 9))
        office.review_claim(PLAN, "3", accept=True, unit=UNIT_A, at=datetime(2021, 10, 9, 9))
        yield store, unit


def test_template_prefilled_with_the_units_last_report(env):
    store, _unit = env
    tpl = template_bytes(store, UNIT_A, "2021-10", PLAN)
    rows = rows_of(tpl)
    assert sorted(rows) == ["1", "4"]  # task 3 is closed for A: not listed
    assert rows["4"][1:] == ("推进中", 50)
    # the returned claim: 推进中 (not 已完成) with the last percent, and the office's reason
    assert rows["1"][1:] == ("推进中", 100) and "【办公室退回意见】缺少验收材料" in rows["1"][0]
    wb = load_workbook(io.BytesIO(tpl))
    meta = {wb[META_SHEET].cell(r, 1).value: wb[META_SHEET].cell(r, 2).value for r in range(1, 20)}
    assert meta["prefill:4"] == "推进中|50" and meta["prefill:1"] == "推进中|100"
    assert meta["version"] == TEMPLATE_VERSION == 2
    notes = "".join(str(c.value or "") for c in wb[HELP_SHEET]["A"])
    assert "沿用上期未更新" in notes and "本期无新进展" in notes and "不计为本期报送" in notes
    # B has never reported: its rows are not prefilled, and never with A's figures
    b_rows = rows_of(template_bytes(store, UNIT_B, "2021-10", PLAN))
    assert b_rows["3"][1:] == (None, None) and b_rows["2"][1:] == (None, None)
    # the zip of every unit's template carries each unit's own prefill
    with zipfile.ZipFile(io.BytesIO(all_templates_zip(store, "2021-10", PLAN))) as z:
        names = z.namelist()
        a_name = next(n for n in names if UNIT_A in n)
        assert rows_of(z.read(a_name)) == rows
        b_name = next(n for n in names if UNIT_B in n)
        assert rows_of(z.read(b_name)) == b_rows


def test_untouched_prefilled_rows_are_not_reports(env):
    store, unit = env
    tpl = template_bytes(store, UNIT_A, "2021-10", PLAN)
    # task 4 edited (percent), task 1 left as prefilled: one report, task 1 listed back
    rep = check(store, fill(tpl, {"4": {"percent": 60}}))
    assert rep.ok, rep.summary()
    assert [(r.task_id, r.status, r.percent) for r in rep.rows] == [("4", "推进中", 60.0)]
    assert rep.unchanged == ["1"] and rep.not_filled == []
    assert "沿用上期未更新:任务1" in rep.summary() and rep.to_dict()["unchanged"] == ["1"]
    # re-confirming an unchanged state: a line in 进展情况, or a 填报日期, makes it a report
    rep = check(store, fill(tpl, {"4": {"progress": "本期无新进展"}, "1": {"date": date(2021, 10, 27)}}))
    assert rep.ok and rep.unchanged == []
    assert {(r.task_id, r.status, r.percent, r.progress) for r in rep.rows} == {
        ("4", "推进中", 50.0, "本期无新进展"),
        ("1", "推进中", 100.0, ""),
    }
    # a synonym for the same status is still the same state
    rep = check(store, fill(tpl, {"4": {"status": "进行中"}, "1": {"percent": 95}}))
    assert rep.unchanged == ["4"] and [r.task_id for r in rep.rows] == ["1"]
    # nothing changed at all: the file is refused with the reason, and nothing is saved
    rep = check(store, tpl)
    assert not rep.ok and rep.rows == []
    (p,) = rep.problems
    assert "沿用上期" in p.reason and "任务1、4" in p.reason and p.sheet == DATA_SHEET
    # clearing a prefilled cell is an edit: checked as usual, the error names the task
    rep = check(store, fill(tpl, {"4": {"percent": ""}, "1": {"progress": "补充验收"}}))
    assert not rep.ok and rep.problems[0].task == "4" and rep.problems[0].column == "完成进度(%)"
    # saving: only the edited row is stored; the kept latest of task 1 stays September's
    from tasks.store.kept import latest_reports

    rep = check(store, fill(tpl, {"4": {"percent": 70, "date": date(2021, 10, 27)}}), "b.xlsx")
    commit_upload(unit, rep, "zwzx")
    latest = {(r.task_id, r.unit): (r.period, r.percent) for r in latest_reports(store, plan=PLAN)}
    assert latest[("4", UNIT_A)] == ("2021-10", 70.0) and latest[("1", UNIT_A)] == ("2021-09", 100.0)
    assert rows_of(template_bytes(store, UNIT_A, "2021-11", PLAN))["4"][1:] == ("推进中", 70)
