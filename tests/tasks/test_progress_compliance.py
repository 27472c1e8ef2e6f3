"""Reporting compliance (报送率) of a period, as the overview shows it."""

from __future__ import annotations

from datetime import date

from progress_helpers import small_plan

from tasks.progress import commit_upload, fill_template, snapshot, template_bytes, validate_upload
from tasks.store import Store


def test_compliance_counts_the_latest_period_past_its_due_date(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'wb.db'}")
    store.load_plan_into_store(small_plan(), actor="test")
    store.open_period("2021-09", actor="test")
    # 市审改办 leads tasks 1 and 2 and reports both; 市政务服务中心 leads 1 and 3 and stays silent
    data = fill_template(
        template_bytes(store, "市审改办", "2021-09"),
        {
            "1": {"status": "推进中", "percent": 40, "date": date(2021, 10, 2)},
            "2": {"status": "已完成", "percent": 100, "date": date(2021, 10, 2)},
        },
    )
    report = validate_upload(store, data, "审改办.xlsx", unit="市审改办", today=date(2021, 10, 2))
    assert report.ok, report.summary()
    commit_upload(store, report, actor="test")

    before_due = snapshot(store, date(2021, 10, 3))
    assert before_due.latest_due_period() is None and before_due.compliance() is None  # nothing owed yet
    after_due = snapshot(store, date(2021, 10, 20))
    period = after_due.latest_due_period()
    assert period == "2021-09"
    duties = [d for d in after_due.duties if d.period == period]
    assert {d.unit for d in duties if d.reported} == {"市审改办"}
    assert {d.unit for d in duties if not d.reported} == {"市政务服务中心"}
    met = sum(1 for d in duties if d.reported)
    assert 0 < met < len(duties) and after_due.compliance() == met / len(duties)
