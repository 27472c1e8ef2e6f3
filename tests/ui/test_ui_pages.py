"""AppTest: every dashboard page renders on the bundled sample data without an exception or error."""

from __future__ import annotations

import pytest
from ui_support import ROOT, app_on

PAGES = [
    "ui/page_overview.py",
    "ui/page_tasks.py",
    "ui/page_graph.py",
    "ui/page_import.py",
    "ui/page_progress.py",
    "ui/page_supervision.py",
    "ui/page_units.py",
    "ui/page_reports.py",
    "ui/page_hall.py",
    "ui/page_staffing.py",
    "ui/accounts.py",
    "ui/page_hall_report.py",
    "ui/page_notify.py",
    "ui/page_regions.py",
]


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_the_bundled_sample_data(page, tmp_path, monkeypatch):
    if not (ROOT / page).exists():
        pytest.fail(f"{page} is missing")
    at = app_on(tmp_path, monkeypatch, page, plans_dir=ROOT / "data" / "plans")
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value  # the page's Chinese title is shown
    assert "Traceback" not in " ".join(m.value for m in at.markdown)


def test_navigation_lists_every_page_once():
    from ui.nav import PAGE_SPECS

    scripts = [s for s, _t, _i in PAGE_SPECS]
    assert sorted(scripts) == sorted(PAGES)
    assert all((ROOT / s).exists() for s in scripts)


def test_overview_tables_name_the_plan_briefly_when_several_plans_are_loaded(tmp_path, monkeypatch):
    """Two bundled plans share task ids ("1"): the cards table must say which plan, in a short name."""
    at = app_on(tmp_path, monkeypatch, "ui/page_overview.py", plans_dir=ROOT / "data" / "plans")
    assert not at.exception
    cards = next(d.value for d in at.dataframe if "原因" in d.value.columns)
    assert set(cards["计划"]) == {"政务服务便利化", "某市优化窗口服务"}
    assert "报送率" in {m.label for m in at.metric}
    assert not any("—  计" in c.value or "报告期 — 计" in c.value for c in at.caption)
