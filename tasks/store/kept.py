"""Current state kept as data is committed: the latest report per task and unit, the periods each
task and unit reported (with the first report date of each), data versions.

Everything here runs inside the writer's transaction (``bump_version``, ``keep_latest``) or is a
cheap read (``latest_reports``, ``period_blobs``; the versions through :meth:`Store.data_version`).  The append-only history stays
the source of truth: :func:`latest_reports` as of a past date seeks the history's (task, unit,
report date) index once per pair, :func:`rebuild_kept` recomputes every kept table from it, and the
tests check the kept tables against a replay.

>>> from tasks.store import Store
>>> store = Store("sqlite://")
>>> store.data_version(), latest_reports(store)
(1, [])
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from datetime import date
from typing import Any, Literal, overload

from sqlalchemy import delete, func, insert, select, true, update
from sqlalchemy.engine import Connection, CursorResult
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import Executable

from .periods import MONTH, BadPeriod, parse_period
from .protocol import raw_store
from .schema import PlanRow, ProgressReportRow, TaskRow, UnitRow
from .schema_kept import StatusTaskPeriodsRow, StatusUnitPeriodsRow
from .schema_province import DataVersionRow, ProgressLatestRow
from .schema_trend import StatusUnitDoneRow

__all__ = [
    "GLOBAL",
    "plan_scope",
    "bump_version",
    "keep_latest",
    "latest_reports",
    "latest_pairs",
    "unit_names",
    "task_reports",
    "rebuild_latest",
    "rebuild_kept",
    "keep_periods",
    "fill_status_periods",
    "period_code",
    "pack_periods",
    "unpack_periods",
    "period_blobs",
    "LATEST_BACKFILL_SQL",
]

#: the scope of the whole store's data version
GLOBAL = ""
#: the scope that moves when what :meth:`tasks.store.Store.tasks` returns may change (every change
#: but those that only add reports or open and close periods)
TASKS = "tasks"

#: fills ``progress_latest`` from the history (:func:`rebuild_latest` runs it; the 0005 migration keeps its
#: own copy, of the columns of its day)
LATEST_BACKFILL_SQL = (
    "INSERT INTO progress_latest (task_pk, unit_id, report_id, report_date, period, status, percent, "
    "progress, problems) "
    "SELECT task_pk, unit_id, id, report_date, period, status, percent, "
    "COALESCE(progress, ''), COALESCE(problems, '') FROM ("
    " SELECT task_pk, unit_id, id, report_date, period, status, percent, progress, problems, row_number() OVER ("
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


def bump_version(s: Session, plan_id: int | None = None, *, tasks: bool = True) -> None:
    """Add one to the store's data version (and the plan's, when given), in the caller's transaction.

    ``tasks=False`` says the change leaves every task, unit, link and calendar as it was (it only
    adds reports): the :data:`TASKS` version then stays, and so do the task lists kept by the store.
    """
    scopes = [GLOBAL] if plan_id is None else [GLOBAL, plan_scope(plan_id)]
    for scope in scopes + [TASKS] if tasks else scopes:
        res = s.execute(
            update(DataVersionRow).where(DataVersionRow.scope == scope).values(version=DataVersionRow.version + 1)
        )
        if not (isinstance(res, CursorResult) and res.rowcount):
            s.execute(insert(DataVersionRow), [{"scope": scope, "version": 1}])


def keep_latest(s: Session, upload_id: int, unit_id: int) -> int:
    """Fold one upload's rows into ``progress_latest`` (newest by report date, then id) and into the
    reported periods (:func:`keep_periods`); returns the ``progress_latest`` rows changed."""
    best: dict[int, tuple] = {}
    for row in s.execute(
        select(
            ProgressReportRow.task_pk,
            ProgressReportRow.report_date,
            ProgressReportRow.id,
            ProgressReportRow.period,
            ProgressReportRow.status,
            ProgressReportRow.percent,
            ProgressReportRow.progress,
            ProgressReportRow.problems,
        ).where(ProgressReportRow.upload_id == upload_id)
    ):
        tpk = row[0]
        if tpk not in best or (row[1], row[2]) > (best[tpk][1], best[tpk][2]):
            best[tpk] = tuple(row)
    values = {
        tpk: {
            "task_pk": tpk,
            "unit_id": unit_id,
            "report_id": rid,
            "report_date": d,
            "period": period,
            "status": status,
            "percent": percent,
            "progress": progress or "",
            "problems": problems or "",
        }
        for tpk, (_t, d, rid, period, status, percent, progress, problems) in best.items()
    }
    keys = sorted(best)
    # a task this unit never reported gets this upload's row; a row another upload of the same unit
    # is writing meanwhile is waited for (not a failure), then read locked and compared
    _insert_missing(s, ProgressLatestRow, [values[k] for k in keys])
    have: dict[int, tuple[date, int]] = {}
    for i in range(0, len(keys), _BATCH):
        q = (
            select(ProgressLatestRow.task_pk, ProgressLatestRow.report_date, ProgressLatestRow.report_id)
            .where(ProgressLatestRow.unit_id == unit_id, ProgressLatestRow.task_pk.in_(keys[i : i + _BATCH]))
            .order_by(ProgressLatestRow.task_pk)
            .with_for_update()
        )
        have.update((t, (d, r)) for t, d, r in s.execute(q))
    changed = [values[t] for t in keys if (values[t]["report_date"], values[t]["report_id"]) > have[t]]
    if changed:
        s.execute(update(ProgressLatestRow), changed)
    mine = sum(1 for t in keys if (values[t]["report_date"], values[t]["report_id"]) == have[t])
    keep_periods(s, upload_id, unit_id)  # and the periods each task and unit reported
    from .kept_trend import keep_done

    keep_done(s, upload_id, unit_id)  # and when each unit's newest report said 已完成
    return mine + len(changed)


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


def latest_reports(
    store, *, as_of: date | None = None, plan: str | None = None, tasks: Iterable[int] | None = None
) -> list:
    """The newest report (≤ ``as_of``) of each unit on each task, oldest first, as
    :class:`~tasks.store.ReportRecord`; the same rows a replay of :meth:`Store.reports` ends with.

    The kept table answers for every pair whose kept report is dated on or before ``as_of``;
    for the others (a past date) one seek of the history's (task, unit, report date) index per
    pair finds the report that was the newest then.  Neither depends on the history's length.
    ``tasks`` (task pks) narrows the answer to those tasks.
    """
    store = raw_store(store)
    R = ProgressReportRow
    L = ProgressLatestRow
    cols = _report_columns()
    wanted = sorted(set(tasks)) if tasks is not None else None
    chunks: list = [None]
    if wanted is not None and len(wanted) <= 4 * _BATCH:
        chunks = [wanted[i : i + _BATCH] for i in range(0, len(wanted), _BATCH)]
    out: list = []
    with store.session() as s:
        pid = store._plan_id(s, plan) if plan else None

        def joined(q):
            q = (
                q.join(UnitRow, UnitRow.id == R.unit_id)
                .join(TaskRow, TaskRow.id == R.task_pk)
                .join(PlanRow, PlanRow.id == TaskRow.plan_id)
            )
            return q.where(TaskRow.plan_id == pid) if pid is not None else q

        for chunk in chunks:
            q = joined(select(*cols).select_from(L).join(R, R.id == L.report_id))
            if chunk is not None:
                q = q.where(L.task_pk.in_(chunk))
            if as_of is not None:
                q = q.where(L.report_date <= as_of)
            out += _records(s, q)
            if as_of is None:
                continue
            R2 = aliased(ProgressReportRow)
            rid = (
                select(R2.id)
                .where(R2.task_pk == L.task_pk, R2.unit_id == L.unit_id, R2.report_date <= as_of)
                .order_by(R2.report_date.desc(), R2.id.desc())
                .limit(1)
                .correlate(L)
                .scalar_subquery()
            )
            pairs = select(rid.label("rid")).select_from(L).where(L.report_date > as_of)
            if chunk is not None:
                pairs = pairs.where(L.task_pk.in_(chunk))
            elif pid is not None:
                pairs = pairs.where(L.task_pk.in_(select(TaskRow.id).where(TaskRow.plan_id == pid)))
            sub = pairs.subquery()
            out += _records(s, joined(select(*cols).select_from(sub).join(R, R.id == sub.c.rid)))
    if wanted is not None and chunks == [None]:
        keep = set(wanted)
        out = [r for r in out if r.task_pk in keep]
    out.sort(key=lambda r: (r.report_date, r.id))
    return out


def latest_pairs(
    store, *, as_of: date | None = None, plan: str | None = None, tasks: Iterable[int] | None = None
) -> list[tuple]:
    """The lean form of :func:`latest_reports` that status reads: one tuple per (task, unit),
    ``(task_pk, unit_id, report_id, report_date, status, percent, progress, problems)``, unordered.

    >>> from tasks.store import Store
    >>> latest_pairs(Store("sqlite://"), as_of=date(2021, 9, 30))
    []
    """
    store = raw_store(store)
    R = ProgressReportRow
    L = ProgressLatestRow
    wanted = sorted(set(tasks)) if tasks is not None else None
    chunks: list = [None]
    if wanted is not None and len(wanted) <= 20000:  # a few tasks: by task; many: read all, keep theirs
        chunks = [wanted[i : i + 5000] for i in range(0, len(wanted), 5000)]
    out: list[tuple] = []
    with store.session() as s:
        conn = s.connection()
        pid = store._plan_id(s, plan) if plan else None
        of_plan = select(TaskRow.id).where(TaskRow.plan_id == pid) if pid is not None else None
        for chunk in chunks:
            # the kept row holds the report's texts: no join to the history
            q = select(L.task_pk, L.unit_id, L.report_id, L.report_date, L.status, L.percent, L.progress, L.problems)
            if chunk is not None:
                q = q.where(L.task_pk.in_(chunk))  # at most 5,000 bound values (SQLite allows 32,766)
            elif of_plan is not None:
                q = q.where(L.task_pk.in_(of_plan))
            if as_of is not None:
                q = q.where(L.report_date <= as_of)
            out += conn.execute(q).fetchall()
            if as_of is None:
                continue
            R2 = aliased(ProgressReportRow)
            newest = (
                select(R2.task_pk, R2.unit_id, R2.id, R2.report_date, R2.status, R2.percent, R2.progress, R2.problems)
                .where(R2.task_pk == L.task_pk, R2.unit_id == L.unit_id, R2.report_date <= as_of)
                .order_by(R2.report_date.desc(), R2.id.desc())
                .limit(1)
            )
            if conn.dialect.name == "postgresql":
                # a lateral join: one index probe per pair (joined on a scalar subquery instead,
                # PostgreSQL hashes the whole report table — 2 million rows at 36 months — and probes
                # twice a pair)
                lat = newest.lateral()
                q = select(lat).select_from(L).join(lat, true())
            else:
                rid = newest.with_only_columns(R2.id).correlate(L).scalar_subquery()
                sub = select(rid.label("rid")).select_from(L)
                sub = sub.where(L.report_date > as_of)
                if chunk is not None:
                    sub = sub.where(L.task_pk.in_(chunk))
                elif of_plan is not None:
                    sub = sub.where(L.task_pk.in_(of_plan))
                joined = sub.subquery()
                q = select(R.task_pk, R.unit_id, R.id, R.report_date, R.status, R.percent, R.progress, R.problems)
                out += conn.execute(q.select_from(joined).join(R, R.id == joined.c.rid)).fetchall()
                continue
            q = q.where(L.report_date > as_of)
            if chunk is not None:
                q = q.where(L.task_pk.in_(chunk))
            elif of_plan is not None:
                q = q.where(L.task_pk.in_(of_plan))
            out += conn.execute(q).fetchall()
    if wanted is not None and chunks == [None]:
        keep = set(wanted)
        out = [r for r in out if r[0] in keep]
    return out


def unit_names(store) -> dict[int, str]:
    """Unit id → name."""
    store = raw_store(store)
    with store.session() as s:
        return dict(s.connection().execute(select(UnitRow.id, UnitRow.name)).all())


def task_reports(store, plan: str | None, task_id: str, *, as_of: date | None = None) -> list:
    """One task's accepted reports (≤ ``as_of``), oldest first: the rows :meth:`Store.reports` holds
    for it, read through the (task, report date) index instead of kept in memory with a snapshot.

    >>> from tasks.store import Store
    >>> task_reports(Store("sqlite://"), None, "1")
    []
    """
    from .repo import StoreError

    store = raw_store(store)
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
    """Recompute every kept table from the history (repair): ``progress_latest`` (as the 0005
    and 0012 migrations fill it), the reported periods (as the 0008 migration does) and the done-state history
    (as the 0011 migration does)."""
    from sqlalchemy import text

    s.execute(delete(ProgressLatestRow))
    s.execute(text(LATEST_BACKFILL_SQL))
    s.execute(delete(StatusUnitPeriodsRow))
    s.execute(delete(StatusTaskPeriodsRow))
    fill_status_periods(s)
    from .kept_trend import fill_done

    s.execute(delete(StatusUnitDoneRow))
    fill_done(s)


def rebuild_kept(store) -> dict[str, int]:
    """Rebuild the kept tables of ``store`` from its history in one transaction; row counts after.

    >>> from tasks.store import Store
    >>> rebuild_kept(Store("sqlite://"))
    {'progress_latest': 0, 'status_task_periods': 0, 'status_unit_periods': 0, 'status_unit_done': 0}
    """
    store = raw_store(store)
    with store.session(write=True) as s:
        rebuild_latest(s)
        bump_version(s)
        return {
            t.__tablename__: int(s.scalar(select(func.count()).select_from(t)) or 0)
            for t in (ProgressLatestRow, StatusTaskPeriodsRow, StatusUnitPeriodsRow, StatusUnitDoneRow)
        }


# -- reported periods ------------------------------------------------------------------------------

_KIND_CODE = {MONTH: 0, "quarter": 1, "half": 2, "year": 3}
_codes: dict[str, int | None] = {}


def period_code(raw: str) -> int | None:
    """A report period as a sortable code: ``month ordinal × 8 + kind`` (+4 when not written in the
    canonical form); None when unreadable (such a row never counts for a period).

    >>> period_code("2024-03") == (2024 * 12 + 2) * 8, period_code("2024-Q2") == (2024 * 12 + 3) * 8 + 1
    (True, True)
    >>> period_code("2024-3") - period_code("2024-03"), period_code("下个月")
    (4, None)
    """
    if raw in _codes:
        return _codes[raw]
    try:
        p = parse_period(raw)
    except BadPeriod:
        code = None
    else:
        code = (p.start.year * 12 + p.start.month - 1) * 8 + _KIND_CODE[p.kind] + (0 if p.key == raw else 4)
    if len(_codes) < 10000:
        _codes[raw] = code
    return code


def pack_periods(records: dict[int, int]) -> bytes:
    """Period code → first report date (ordinal), packed in code order (little-endian int32 pairs).

    >>> unpack_periods(pack_periods({16: 738000, 8: 737990}))
    {8: 737990, 16: 738000}
    """
    flat: list[int] = []
    for code in sorted(records):
        flat += (code, records[code])
    return struct.pack(f"<{len(flat)}i", *flat)


def unpack_periods(blob: bytes | None) -> dict[int, int]:
    """The inverse of :func:`pack_periods`."""
    if not blob:
        return {}
    flat = struct.unpack(f"<{len(blob) // 4}i", blob)
    return dict(zip(flat[::2], flat[1::2]))


def _merge(target: dict[tuple, dict[int, int]], key: tuple, code: int, first: int) -> None:
    rec = target.setdefault(key, {})
    if code not in rec or first < rec[code]:
        rec[code] = first


def _write_blobs(s, model, keycols: tuple[str, ...], merged: dict[tuple, dict[int, int]], existing: set) -> None:
    new: list[dict] = []
    changed: list[dict] = []
    for key, rec in merged.items():
        values = dict(zip(keycols, key)) | {"periods": pack_periods(rec), "count": len(rec)}
        (changed if key in existing else new).append(values)
    for i in range(0, len(new), 5000):
        s.execute(insert(model), new[i : i + 5000])
    if changed:
        s.execute(update(model), changed)


def _insert_missing(s: Session, model: Any, rows: list[dict]) -> None:
    """Insert the rows whose primary key is not there yet (INSERT … ON CONFLICT DO NOTHING)."""
    if not rows:
        return
    dialect = s.get_bind().dialect.name
    upsert: Executable
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        upsert = pg_insert(model).on_conflict_do_nothing()
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        upsert = sqlite_insert(model).on_conflict_do_nothing()
    else:  # another database: the rows not seen in this transaction
        keys = [c.name for c in model.__table__.primary_key.columns]
        have = {tuple(r) for r in s.execute(select(*[getattr(model, k) for k in keys]))}
        rows = [r for r in rows if tuple(r[k] for k in keys) not in have]
        if rows:
            s.execute(insert(model), rows)
        return
    for i in range(0, len(rows), 5000):
        s.execute(upsert, rows[i : i + 5000])


def keep_periods(s: Session, upload_id: int, unit_id: int) -> int:
    """Fold one upload's rows into the reported periods of its tasks (task level and unit level),
    in the upload's transaction; returns the number of kept rows written."""
    R = ProgressReportRow
    fresh: dict[tuple, dict[int, int]] = {}
    for tpk, period, day in s.execute(
        select(R.task_pk, R.period, func.min(R.report_date))
        .where(R.upload_id == upload_id)
        .group_by(R.task_pk, R.period)
    ):
        code = period_code(period)
        if code is not None:
            _merge(fresh, (tpk,), code, day.toordinal())
    if not fresh:
        return 0
    keys = sorted(k[0] for k in fresh)
    written = 0
    for model, extra in ((StatusUnitPeriodsRow, True), (StatusTaskPeriodsRow, False)):
        # every row made first (a concurrent upload on the same task waits here, not fails), then
        # read and locked: the merge below starts from what the other upload committed
        _insert_missing(
            s,
            model,
            [{"task_pk": k, **({"unit_id": unit_id} if extra else {}), "periods": b"", "count": 0} for k in keys],
        )
        have: dict[tuple, dict[int, int]] = {}
        for i in range(0, len(keys), _BATCH):
            q = select(model.task_pk, model.periods).where(model.task_pk.in_(keys[i : i + _BATCH]))
            if extra:
                q = q.where(StatusUnitPeriodsRow.unit_id == unit_id)
            q = q.order_by(model.task_pk).with_for_update()
            have.update(((tpk, unit_id) if extra else (tpk,), unpack_periods(b)) for tpk, b in s.execute(q))
        merged: dict[tuple, dict[int, int]] = {}
        for (tpk,), rec in fresh.items():
            key = (tpk, unit_id) if extra else (tpk,)
            old = have.get(key, {})
            both = dict(old)
            for code, first in rec.items():
                if code not in both or first < both[code]:
                    both[code] = first
            if both != old:
                merged[key] = both
        cols = ("task_pk", "unit_id") if extra else ("task_pk",)
        _write_blobs(s, model, cols, merged, set(have))
        written += len(merged)
    return written


def fill_status_periods(conn: Session | Connection) -> int:
    """Fill the (empty) reported-period tables from the whole history; the 0008 migration's data
    step and :func:`rebuild_kept` run it.  Returns the number of (task, unit, period) records."""
    R = ProgressReportRow
    q = (
        select(R.task_pk, R.unit_id, R.period, func.min(R.report_date))
        .group_by(R.task_pk, R.unit_id, R.period)
        .order_by(R.task_pk, R.unit_id)
    )
    unit_level: dict[tuple, dict[int, int]] = {}
    task_level: dict[tuple, dict[int, int]] = {}
    n = 0

    def flush() -> None:
        _write_blobs(conn, StatusUnitPeriodsRow, ("task_pk", "unit_id"), unit_level, set())
        _write_blobs(conn, StatusTaskPeriodsRow, ("task_pk",), task_level, set())
        unit_level.clear()
        task_level.clear()

    current = None
    for tpk, uid, period, first in conn.execute(q):
        if tpk != current and len(task_level) >= 20000:
            flush()  # rows come task by task: a task's records are never split between flushes
        current = tpk
        code = period_code(period)
        if code is None:
            continue
        if isinstance(first, str):  # a raw SQLite date
            first = date.fromisoformat(first)
        _merge(unit_level, (tpk, uid), code, first.toordinal())
        _merge(task_level, (tpk,), code, first.toordinal())
        n += 1
    flush()
    return n


@overload
def period_blobs(store: Any, pks: Iterable[int], *, units: Literal[False] = False) -> dict[int, bytes]: ...


@overload
def period_blobs(store: Any, pks: Iterable[int], *, units: Literal[True]) -> dict[tuple[int, str], bytes]: ...


def period_blobs(
    store: Any, pks: Iterable[int], *, units: bool = False
) -> dict[int, bytes] | dict[tuple[int, str], bytes]:
    """The kept reported periods of the tasks ``pks`` (packed, see :func:`pack_periods`): per task,
    or with ``units`` per (task, unit name)."""
    store = raw_store(store)
    wanted = sorted(set(pks))
    out: dict = {}
    if not wanted:
        return out
    with store.session() as s:
        conn = s.connection()
        lo, hi = wanted[0], wanted[-1]
        dense = len(wanted) > _BATCH
        base: Any
        if units:
            M = StatusUnitPeriodsRow
            base = select(M.task_pk, UnitRow.name, M.periods).join(UnitRow, UnitRow.id == M.unit_id)
        else:
            base = select(StatusTaskPeriodsRow.task_pk, StatusTaskPeriodsRow.periods)
        col = StatusUnitPeriodsRow.task_pk if units else StatusTaskPeriodsRow.task_pk
        keep = set(wanted)
        chunks = [None] if dense else [wanted[i : i + _BATCH] for i in range(0, len(wanted), _BATCH)]
        for chunk in chunks:
            q = base.where(col.between(lo, hi)) if chunk is None else base.where(col.in_(chunk))
            for row in conn.execute(q).fetchall():
                if row[0] in keep:
                    if units:
                        out[(row[0], row[1])] = row[2]
                    else:
                        out[row[0]] = row[1]
    return out
