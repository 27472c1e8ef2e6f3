"""基层减负: the unit's template lists only its open tasks, shows a returned claim's reason; blank rows are
reported by task number; synonyms from the rules file are accepted; every row error names its task."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import load_workbook
from progress_helpers import fill
from supervision_helpers import PDF, UNIT_A, loop_plan

from tasks.accounts import Account, GuardedStore
from tasks.progress import default_rules, template_bytes, validate_upload
from tasks.progress.template import DATA_SHEET, FIRST_DATA_ROW
from tasks.store.testing import temporary_store

PLAN = "督办测试计划"


def rows_of(data: bytes) -> dict[str, str]:
    ws = load_workbook(io.BytesIO(data))[DATA_SHEET]
    return {
        str(ws.cell(r, 1).value): ws.cell(r, 2).value
        for r in range(FIRST_DATA_ROW, ws.max_row + 1)
        if ws.cell(r, 1).value
    }


def test_template_open_tasks_returned_reason_blank_rows_synonyms(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_FILES_DIR", str(tmp_path / "files"))
    with temporary_store("sqlite", tmp_path) as store:
        office = GuardedStore(store, Account("ban", "office"))
        unit = GuardedStore(store, Account("zwzx", "unit", unit=UNIT_A))
        office.load_plan_into_store(loop_plan(), start=date(2021, 8, 9))
        store.open_period("2021-09", "ban")
        assert sorted(rows_of(template_bytes(store, UNIT_A, "2021-09", PLAN))) == ["1", "3", "4"]
        for tid in ("1", "4"):
            unit.sign_task(PLAN, tid, at=datetime(2021, 8, 10, 9))
        unit.claim_done(PLAN, "1", evidence=[("a.pdf", PDF)], at=datetime(2021, 9, 1, 9), rules=default_rules())
        office.review_claim(PLAN, "1", accept=True, at=datetime(2021, 9, 2, 9))
        unit.claim_done(PLAN, "4", evidence=[("a.pdf", PDF)], at=datetime(2021, 9, 3, 9), rules=default_rules())
        office.review_claim(PLAN, "4", accept=False, note="长期任务不能销号,请继续报送", at=datetime(2021, 9, 4, 9))
        tpl = template_bytes(store, UNIT_A, "2021-09", PLAN)
        rows = rows_of(tpl)
        assert sorted(rows) == ["3", "4"]  # the closed task 1 is gone
        assert "【办公室退回意见】长期任务不能销号,请继续报送" in rows["4"]
        # synonyms: 进行中 → 推进中; a blank row is reported by its task number
        data = fill(tpl, {"4": {"status": "进行中", "percent": 50, "date": date(2021, 9, 28)}})
        rep = validate_upload(store, data, "a.xlsx", unit=UNIT_A, today=date(2021, 9, 30), rules=default_rules())
        assert rep.ok and rep.rows[0].status == "推进中" and rep.not_filled == ["3"]
        assert "未填写:任务3" in rep.summary()
        # every row error names the task number
        data = fill(tpl, {"4": {"status": "差不多", "percent": 50, "date": date(2021, 9, 28)}})
        rep = validate_upload(store, data, "b.xlsx", unit=UNIT_A, today=date(2021, 9, 30), rules=default_rules())
        assert not rep.ok and rep.problems[0].task == "4" and "任务4" in str(rep.problems[0])
        rules = default_rules()
        rules.status_synonyms = {"差不多": "推进中"}  # the office's own list
        rep = validate_upload(store, data, "b.xlsx", unit=UNIT_A, today=date(2021, 9, 30), rules=rules)
        assert rep.ok and rep.rows[0].status == "推进中"
