"""Current state kept as data is committed: the latest report per task and unit, data versions.

Everything here runs inside the writer's transaction (``bump_version``, ``keep_latest``) or is a
cheap read (``latest_reports``, ``data_version``).  The append-only history stays the source of
truth: :func:`latest_reports` as of a past date reads it with one indexed window query, and the
kept table is checked against a replay by the tests.

>>> from tasks.store import Store
>>> store = Store("sqlite://")
>>> data_version(store), latest_reports(store)
(1, [])
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from .schema import PlanRow, ProgressReportRow, TaskRow, UnitRow
from .schema_province import DataVersionRow, ProgressLatestRow

__all__ = [
    "GLOBAL",
    "plan_scope",
    "bump_version",
    "data_version",
    "plan_version",
    "keep_latest",
    "latest_reports",
    "task_reports",
    "rebuild_latest",
    "LATEST_BACKFILL_SQL",
]

#: the scope of the whole store's data version
GLOBAL = ""

#: fills ``progress_latest`` from the history (the migration and :func:`rebuild_latest` run it)
LATEST_BACKFILL_SQL = (
    "INSERT INTO progress_latest (task_pk, unit_id, report_id, report_date, period, status, percent) "
    "SELECT task_pk, unit_id, id, report_date, period, status, percent FROM ("
    " SELECT task_pk, unit_id, id, report_date, period, status, percent, row_number() OVER ("
    "  PARTITION BY task_pk, unit_id ORDER BY report_date DESC, id DESC) AS rn FROM progress_reports) t "
    "WHERE rn = 1"
)

_BATCH = 500


def plan_scope(plan_id: int) -> str:
    """The version scope of one plan.

    >>> plan_scope(7)
    'plan:7'
    """
    return f"plan:{int(plan_id)}"


def bump_version(s: Session, plan_id: int | None = None) -> None:
    """Add one to the store's data version (and the plan's, when given), in the caller's transaction."""
    for scope in [GLOBAL] if plan_id is None else [GLOBAL, plan_scope(plan_id)]:
        res = s.execute(
            update(DataVersionRow).where(DataVersionRow.scope == scope).values(version=DataVersionRow.version + 1)
        )
        if not res.rowcount:  # type: ignore[attr-defined]
            s.execute(insert(DataVersionRow), [{"scope": scope, "version": 1}])


def data_version(store, plan: str | None = None) -> int:
    """The store's data version (``plan``: that plan's); 0 before any change."""
    store = getattr(store, "_store", store)
    with store.session() as s:
        scope = GLOBAL
        if plan is not None:
            pid = s.scalar(select(PlanRow.id).where(PlanRow.key == plan))
            if pid is None:
                return 0
            scope = plan_scope(pid)
        return int(s.scalar(select(DataVersionRow.version).where(DataVersionRow.scope == scope)) or 0)


def plan_version(store, plan: str) -> int:
    """Shorthand for ``data_version(store, plan)``."""
    return data_version(store, plan)


def keep_latest(s: Session, upload_id: int, unit_id: int) -> int:
    """Fold one upload's rows into ``progress_latest`` (newest by report date, then id); rows changed."""
    best: dict[int, tuple] = {}
    for row in s.execute(
        select(
            ProgressReportRow.task_pk,
            ProgressReportRow.report_date,
            ProgressReportRow.id,
            ProgressReportRow.period,
            ProgressReportRow.status,
            ProgressReportRow.percent,
        ).where(ProgressReportRow.upload_id == upload_id)
    ):
        tpk = row[0]
        if tpk not in best or (row[1], row[2]) > (best[tpk][1], best[tpk][2]):
            best[tpk] = tuple(row)
    keys = sorted(best)
    have: dict[int, tuple[date, int]] = {}
    for i in range(0, len(keys), _BATCH):
        have.update(
            (t, (d, r))
            for t, d, r in s.execute(
                select(ProgressLatestRow.task_pk, ProgressLatestRow.report_date, ProgressLatestRow.report_id).where(
                    ProgressLatestRow.unit_id == unit_id, ProgressLatestRow.task_pk.in_(keys[i : i + _BATCH])
                )
            )
        )
    new, changed = [], []
    for tpk, (_t, d, rid, period, status, percent) in best.items():
        values = {
            "task_pk": tpk,
            "unit_id": unit_id,
            "report_id": rid,
            "report_date": d,
            "period": period,
            "status": status,
            "percent": percent,
        }
        if tpk not in have:
            new.append(values)
        elif (d, rid) > have[tpk]:
            changed.append(values)
    if new:
        s.execute(insert(ProgressLatestRow), new)
    if changed:
        s.execute(update(ProgressLatestRow), changed)
    return len(new) + len(changed)


def _records(s: Session, q) -> list:
    from .repo import ReportRecord

    return [ReportRecord(*r) for r in s.execute(q)]


def _report_columns() -> tuple:
    """The columns of a :class:`~tasks.store.ReportRecord`, in its field order (joined with unit, task, plan)."""
    R = ProgressReportRow
    return (
        R.id,
        R.upload_id,
        R.task_pk,
        UnitRow.name,
        R.period,
        R.status,
        R.percent,
        R.report_date,
        R.progress,
        R.problems,
        R.next_steps,
        R.evidence,
        TaskRow.task_id,
        PlanRow.key,
    )


def latest_reports(store, *, as_of: date | None = None, plan: str | None = None) -> list:
    """The newest report (≤ ``as_of``) of each unit on each task, oldest first, as
    :class:`~tasks.store.ReportRecord`; the same rows a replay of :meth:`Store.reports` ends with.

    Without ``as_of`` (or when no kept report is dated after it) the kept table answers; for an
    earlier date one window query over the history's (task, report date) index does.
    """
    store = getattr(store, "_store", store)
    R = ProgressReportRow
    cols = _report_columns()
    with store.session() as s:
        pid = store._plan_id(s, plan) if plan else None
        later = False
        if as_of is not None:
            cq = select(func.count()).select_from(ProgressLatestRow).where(ProgressLatestRow.report_date > as_of)
            if pid is not None:
                cq = cq.join(TaskRow, TaskRow.id == ProgressLatestRow.task_pk).where(TaskRow.plan_id == pid)
            later = bool(s.scalar(cq))
        if not later:
            q = select(*cols).select_from(ProgressLatestRow).join(R, R.id == ProgressLatestRow.report_id)
        else:
            ranked = select(
                R.id.label("rid"),
                func.row_number()
                .over(partition_by=(R.task_pk, R.unit_id), order_by=(R.report_date.desc(), R.id.desc()))
                .label("rn"),
            ).where(R.report_date <= as_of)
            if pid is not None:
                ranked = ranked.where(R.task_pk.in_(select(TaskRow.id).where(TaskRow.plan_id == pid)))
            sub = ranked.subquery()
            q = select(*cols).select_from(sub).join(R, R.id == sub.c.rid).where(sub.c.rn == 1)
        q = (
            q.join(UnitRow, UnitRow.id == R.unit_id)
            .join(TaskRow, TaskRow.id == R.task_pk)
            .join(PlanRow, PlanRow.id == TaskRow.plan_id)
        )
        if pid is not None:
            q = q.where(TaskRow.plan_id == pid)
        return _records(s, q.order_by(R.report_date, R.id))


def task_reports(store, plan: str | None, task_id: str, *, as_of: date | None = None) -> list:
    """One task's accepted reports (≤ ``as_of``), oldest first: the rows :meth:`Store.reports` holds
    for it, read through the (task, report date) index instead of kept in memory with a snapshot.

    >>> from tasks.store import Store
    >>> task_reports(Store("sqlite://"), None, "1")
    []
    """
    from .repo import StoreError

    store = getattr(store, "_store", store)
    R = ProgressReportRow
    with store.session() as s:
        try:
            pid = store._plan_id(s, plan)
        except StoreError:  # no such plan (or none yet): no history to show
            return []
        pk = s.scalar(select(TaskRow.id).where(TaskRow.plan_id == pid, TaskRow.task_id == task_id))
        if pk is None:
            return []
        q = (
            select(*_report_columns())
            .join(UnitRow, UnitRow.id == R.unit_id)
            .join(TaskRow, TaskRow.id == R.task_pk)
            .join(PlanRow, PlanRow.id == TaskRow.plan_id)
            .where(R.task_pk == pk)
        )
        if as_of is not None:
            q = q.where(R.report_date <= as_of)
        return _records(s, q.order_by(R.report_date, R.id))


def rebuild_latest(s: Session) -> None:
    """Recompute ``progress_latest`` from the history (repair; the migration does the same)."""
    from sqlalchemy import delete, text

    s.execute(delete(ProgressLatestRow))
    s.execute(text(LATEST_BACKFILL_SQL))
