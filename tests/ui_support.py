"""Shared set-up for the dashboard tests: a small plan workbook and a temporary store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tasks.model import Plan, Task

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def small_plan() -> Plan:
    """Four tasks, two sections, two lead units, one ongoing task, one chain 1→2."""
    return Plan(
        title="测试计划",
        issuer="测试领导小组",
        tasks=[
            Task(
                id="1",
                section="一、简政放权",
                title="清理证明事项",
                lead_units=["市审改办"],
                responsible_units=["市司法局"],
                deadline=date(2021, 6, 30),
                deadline_text="2021年6月30日前",
                deadline_kind="date",
            ),
            Task(
                id="2",
                section="一、简政放权",
                title="公布保留证明清单",
                lead_units=["市审改办"],
                responsible_units=["市直各相关单位"],
                deadline=date(2021, 8, 31),
                deadline_text="2021年8月底前",
                deadline_kind="date",
                predecessors=["1"],
            ),
            Task(
                id="3",
                section="二、优化服务",
                title="设立综合窗口",
                lead_units=["市政务服务中心"],
                responsible_units=["市自然资源局", "市住建局"],
                deadline=date(2021, 12, 31),
                deadline_text="2021年底前",
                deadline_kind="date",
            ),
            Task(
                id="4",
                section="二、优化服务",
                title="推行周末无休",
                lead_units=["市政务服务中心"],
                responsible_units=["市公安局"],
                deadline=None,
                deadline_text="长期坚持",
                deadline_kind="ongoing",
            ),
        ],
    )


def write_small_plan(directory: Path) -> Path:
    from tasks.importers.workbook_writer import write_plan_workbook

    directory.mkdir(parents=True, exist_ok=True)
    return write_plan_workbook(small_plan(), directory / "测试计划.xlsx")


TEST_PASSWORD = "Test-Only-Pass-9"  # accounts made by log_in live only in throw-away test databases


def log_in(at, role: str = "office", unit: str | None = None, name: str | None = None):
    """Give the AppTest a logged-in session of an account of ``role`` (created if missing) in the
    store of ``WORKBENCH_DB_URL``; the dashboard shows only the login page otherwise."""
    from tasks.accounts import AccountBook
    from tasks.store import Store, default_url

    store = Store(default_url())
    try:
        book = AccountBook(store)
        name = name or f"test-{role}"
        if book.get(name) is None:
            book.add(name, role, unit=unit, password=TEST_PASSWORD, actor="test")
        at.session_state["wb_session_token"] = book.login(name, TEST_PASSWORD).token
    finally:
        store.dispose()
    return at


def app_on(
    tmp_path,
    monkeypatch,
    page: str,
    plans_dir: Path | None = None,
    timeout: int = 120,
    db_url: str | None = None,
    role: str = "office",
    unit: str | None = None,
):
    """An AppTest of ``page`` against a fresh store (SQLite file unless ``db_url``) seeded from
    ``plans_dir`` (default: the small plan), logged in as an account of ``role`` (default the office)."""
    from streamlit.testing.v1 import AppTest

    if plans_dir is None:
        plans_dir = tmp_path / "plans"
        write_small_plan(plans_dir)
    monkeypatch.setenv("WORKBENCH_PLANS_DIR", str(plans_dir))
    monkeypatch.setenv("WORKBENCH_DB_URL", db_url or f"sqlite:///{tmp_path / 'wb.db'}")
    at = AppTest.from_file(APP, default_timeout=timeout)
    log_in(at, role, unit)
    at.run()
    at.switch_page(page).run()
    return at


def filled_template(
    store, unit: str, period: str, plan: str, status: str = "已完成", percent: float = 100, report_date=None
) -> bytes:
    """The unit's template with every task row filled in (what a unit sends back)."""
    from tasks.progress import fill_template, template_bytes
    from tasks.progress.template import unit_tasks

    text = "按计划推进,已完成全部工作" if status == "已完成" else "正在推进"
    values = {
        t.id: {"status": status, "percent": percent, "progress": text, **({"date": report_date} if report_date else {})}
        for t, _role in unit_tasks(store, unit, plan)
    }
    return fill_template(template_bytes(store, unit, period, plan), values)


def downloaded(at, deferred: dict, key: str) -> bytes:
    """What the download button ``key`` of the AppTest hands the user when clicked."""
    button = next(b for b in at.get("download_button") if b.proto.id.endswith(key))
    assert button.proto.deferred_file_id, key  # written only when clicked
    data = deferred[button.proto.deferred_file_id]()
    assert isinstance(data, bytes)
    return data
