"""The progress store on SQLite and (when WORKBENCH_TEST_PG_URL is set) PostgreSQL."""

from __future__ import annotations

import os
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from tasks.model import Plan, Task
from tasks.store import Store, StoreError, parse_period
from tasks.store.config import current_revision, head_revision
from tasks.store.schema import Base
from tasks.store.testing import temporary_store

PG_URL = os.environ.get("WORKBENCH_TEST_PG_URL", "").strip()
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=[
            pytest.mark.pg,
            pytest.mark.skipif(
                not PG_URL, reason="WORKBENCH_TEST_PG_URL not set (make test starts a local PostgreSQL)"
            ),
        ],
    ),
]


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with temporary_store(request.param, tmp_path, PG_URL) as s:
        yield s


def small_plan(title: str = "测试方案", ids=("1", "2", "3")) -> Plan:
    base = {
        "1": Task(
            id="1",
            title="推进简政放权",
            lead_units=["市审改办", "市行政服务中心"],
            lead_units_canonical=["市审改办", "市政务服务中心"],
            responsible_units=["市直各相关单位"],
            deadline=date(2021, 12, 31),
            deadline_text="2021年底前",
            deadline_kind="date",
        ),
        "2": Task(
            id="2",
            title="清单管理",
            lead_units=["市审改办"],
            responsible_units=["市司法局"],
            deadline=date(2021, 8, 31),
            deadline_text="2021年8月底前",
            deadline_kind="date",
            predecessors=["1"],
        ),
        "3": Task(
            id="3",
            title="窗口动态调整",
            lead_units=["市政务服务中心"],
            deadline_kind="ongoing",
            deadline_text="长期坚持",
        ),
        "4": Task(
            id="4",
            title="周末轮班",
            lead_units=["市政务服务中心"],
            responsible_units=["市公安局"],
            deadline=date(2021, 10, 31),
            deadline_text="2021年10月底前",
            deadline_kind="date",
        ),
    }
    return Plan(title=title, date=date(2021, 8, 9), source_file="plan.xlsx", tasks=[base[i] for i in ids])


def test_migrations_match_models(store):
    """The Alembic migrations create exactly the tables the models describe."""
    assert current_revision(store.engine) == head_revision()
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_load_plan_roles_canonical_names_and_audit(store):
    res = store.load_plan_into_store(small_plan(), actor="张三")
    assert res.added == ["1", "2", "3"] and not res.updated
    t1 = store.tasks()[0]
    assert t1.lead_units == ["市审改办", "市政务服务中心"]  # canonical, in source order
    assert t1.responsible_units == ["市直各相关单位"]
    assert store.tasks()[1].predecessors == ["1"]
    assert store.units() == ["市司法局", "市审改办", "市政务服务中心"]  # collective name left out
    assert "市直各相关单位" in store.units(include_collective=True)
    log = store.audit_log()
    assert [(a.actor, a.action) for a in log] == [("张三", "load_plan")]
    assert store.task_dicts()[0].lead_units == ["市审改办", "市行政服务中心"]  # as written kept


def test_reimport_updates_by_id_archives_removed_and_keeps_history(store):
    store.load_plan_into_store(small_plan(), actor="cli")
    store.open_period("2021-09", "cli")
    store.add_upload(
        sha256="a" * 64,
        filename="a.xlsx",
        unit="市审改办",
        plan="测试方案",
        person="李四",
        period="2021-09",
        actor="cli",
        rows=[
            {
                "task_id": "2",
                "status": "推进中",
                "percent": 40,
                "report_date": date(2021, 9, 20),
                "period": "2021-09",
                "source_sheet": "进度填报",
                "source_row": 4,
            }
        ],
    )
    revised = small_plan(ids=("1", "3", "4"))
    revised.tasks[0].title = "大力推进简政放权"
    res = store.load_plan_into_store(revised, actor="cli")
    assert res.added == ["4"] and res.updated == ["1"] and res.archived == ["2"] and res.unchanged == 1
    assert [t.id for t in store.tasks()] == ["1", "3", "4"]
    assert store.tasks()[0].title == "大力推进简政放权"
    archived = [t for t in store.tasks(include_archived=True) if t.archived]
    assert [t.id for t in archived] == ["2"]
    assert [r.percent for r in store.reports()] == [40.0]  # history of the archived task kept
    res = store.load_plan_into_store(small_plan(), actor="cli")  # task 2 comes back
    assert "2" in res.updated and res.archived == ["4"]
    assert store.reports()[0].task_pk == [t for t in store.tasks() if t.id == "2"][0].pk


def test_duplicate_task_ids_refused(store):
    plan = small_plan()
    plan.tasks.append(Task(id="1", title="重复"))
    with pytest.raises(StoreError, match="任务编号重复"):
        store.load_plan_into_store(plan, actor="cli")
    assert store.counts()["tasks"] == 0


def test_set_predecessors_and_unknown_ids(store):
    store.load_plan_into_store(small_plan(), actor="cli")
    store.set_predecessors(None, "3", ["1", "2"], actor="王五")
    assert store.tasks()[2].predecessors == ["1", "2"]
    with pytest.raises(StoreError, match="9"):
        store.set_predecessors(None, "3", ["9"], actor="王五")
    assert store.audit_log()[-1].actor == "王五"
    with pytest.raises(StoreError, match="操作人"):
        store.set_predecessors(None, "3", [], actor="")


def test_periods_open_close_and_upload_dedupe(store):
    store.load_plan_into_store(small_plan(), actor="cli")
    p = store.open_period("2021-09", "cli")
    assert (p.start, p.end, p.due, p.closed) == (date(2021, 9, 1), date(2021, 9, 30), date(2021, 10, 5), False)
    row = {
        "task_id": "1",
        "status": "推进中",
        "percent": 10,
        "report_date": date(2021, 9, 3),
        "period": "2021-09",
        "source_row": 4,
    }
    kw = {
        "sha256": "b" * 64,
        "filename": "b.xlsx",
        "unit": "市审改办",
        "plan": None,
        "person": "",
        "period": "2021-09",
        "actor": "cli",
        "rows": [row],
    }
    first = store.add_upload(**kw)
    assert isinstance(first, int)
    assert store.add_upload(**kw) is None  # same hash
    assert store.counts()["progress_reports"] == 1
    store.close_period("2021-09", "cli")
    assert store.period("2021-09").closed
    before = store.counts()
    with pytest.raises(StoreError, match="已关闭"):
        store.add_upload(**{**kw, "sha256": "c" * 64})
    assert store.counts() == before


def test_reports_replay_filter(store):
    store.load_plan_into_store(small_plan(), actor="cli")
    for i, d in enumerate([date(2021, 9, 5), date(2021, 9, 25), date(2021, 10, 3)]):
        store.add_upload(
            sha256=str(i) * 64,
            filename=f"{i}.xlsx",
            unit="市审改办",
            plan=None,
            person="",
            period=f"2021-{d.month:02d}",
            actor="cli",
            rows=[
                {
                    "task_id": "1",
                    "status": "推进中",
                    "percent": 10 * (i + 1),
                    "report_date": d,
                    "period": f"2021-{d.month:02d}",
                    "source_row": 4,
                }
            ],
        )
    assert [r.percent for r in store.reports(as_of=date(2021, 9, 30))] == [10.0, 20.0]
    assert len(store.reports()) == 3


def test_several_plans_need_a_name(store):
    store.load_plan_into_store(small_plan("甲方案"), actor="cli")
    store.load_plan_into_store(small_plan("乙方案", ids=("4",)), actor="cli")
    with pytest.raises(StoreError, match="多个计划"):
        store.tasks()
    assert [t.id for t in store.tasks("乙方案")] == ["4"]
    assert store.plan_key(unit="市公安局") == "乙方案"  # the only plan the unit works in
    assert len(store.tasks(all_plans=True)) == 4


def test_period_parsing():
    assert parse_period("2021年第三季度").key == "2021-Q3"
    assert parse_period("2021下半年").key == "2021-H2"
    assert parse_period("2021/9").key == "2021-09"
    with pytest.raises(Exception, match="无法识别"):
        parse_period("九月")


def test_store_reopens_without_migrating_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    Store(url).load_plan_into_store(small_plan(), actor="cli")
    again = Store(url)
    assert [t.id for t in again.tasks()] == ["1", "2", "3"]
    assert again.engine.dialect.name == "sqlite"
    with again.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_unreachable_database_is_a_clear_error():
    with pytest.raises(StoreError, match="无法打开进度数据库") as err:
        Store("postgresql+psycopg://nobody:secret@127.0.0.1:1/x")
    assert "secret" not in str(err.value) and "WORKBENCH_DB_URL" in str(err.value)


def test_task_added_by_reimport_owes_reports_from_the_day_it_was_added(store, monkeypatch):
    """Missed periods of a task added later count from its addition, not from the plan's date."""
    from datetime import datetime

    import tasks.store.repo as repo
    from tasks.progress import default_rules, snapshot

    monkeypatch.setattr(repo, "_now", lambda: datetime(2021, 8, 10, 9, 0))
    store.load_plan_into_store(small_plan(ids=("1", "2", "3")), actor="cli")
    for m in ("2021-08", "2021-09", "2021-10"):
        store.open_period(m, "cli")
    monkeypatch.setattr(repo, "_now", lambda: datetime(2021, 10, 20, 9, 0))
    store.load_plan_into_store(small_plan(ids=("1", "2", "3", "4")), actor="cli")
    by_id = {t.id: t for t in store.tasks()}
    assert by_id["4"].added_on == date(2021, 10, 20) and by_id["1"].added_on is None
    snap = snapshot(store, date(2021, 11, 10), rules=default_rules())
    t1, t4 = snap.by_id("1"), snap.by_id("4")
    assert t1.total_missed == 3 and t1.card == "red"  # Aug, Sep, Oct unreported
    assert t4.total_missed == 1 and t4.missed_reports == 1  # only October is owed
    assert t4.card == "red" and t4.status == "overdue"  # red for being overdue, not for misses
    assert {d.period for d in snap.duties if d.task_id == "4"} == {"2021-10"}
    earlier = snapshot(store, date(2021, 10, 10), rules=default_rules()).by_id("4")
    assert earlier.total_missed == 0 and earlier.card is None  # before it was added, nothing owed
