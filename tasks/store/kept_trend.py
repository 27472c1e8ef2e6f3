"""The kept done-state history (``status_unit_done``): when each unit's newest report on each task
said 已完成, so "which tasks were done at the end of each month" needs no replay of the history.

Per (task, unit) the records are the days the unit reported, each with whether its last report of
that day (by id) said 已完成: as of any day, the last record on or before it tells whether the unit
had reported, when it last reported and whether its newest report said 已完成 (8 bytes a day).  :func:`keep_done` folds an upload in (in its transaction), :func:`fill_done`
rebuilds the table from the history, :func:`done_changes` reads it.

>>> changes([(date(2024, 1, 12), 1, "推进中"), (date(2024, 2, 12), 2, "已完成"), (date(2024, 2, 12), 3, "滞后")])
[(738897, 0), (738928, 0)]
>>> unpack_changes(pack_changes([(738897, 0), (738928, 1)]))
[(738897, 0), (738928, 1)]
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from .protocol import raw_store
from .schema import ProgressReportRow, UnitRow
from .schema_trend import StatusUnitDoneRow

__all__ = ["DONE", "changes", "pack_changes", "unpack_changes", "keep_done", "fill_done", "done_changes"]

#: the reported status that means done (tasks.progress.status.DONE_STATUS)
DONE = "已完成"

_BATCH = 500


def changes(rows: Iterable[tuple[Any, int, str]]) -> list[tuple[int, int]]:
    """(day ordinal, done flag) records of one unit's reports on one task, given as (report date,
    id, status) in (date, id) order: one per day it reported, with the flag of that day's last report
    (so the newest report as of any day is known, and which of two units reported last)."""
    days: list[list[int]] = []
    for day, _id, status in rows:
        if isinstance(day, str):  # a raw SQLite date
            day = date.fromisoformat(day)
        o, flag = day.toordinal(), int(status == DONE)
        if days and days[-1][0] == o:
            days[-1][1] = flag
        else:
            days.append([o, flag])
    return [(o, flag) for o, flag in days]


def pack_changes(records: list[tuple[int, int]]) -> bytes:
    """Records packed as little-endian int32 pairs."""
    flat = [v for rec in records for v in rec]
    return struct.pack(f"<{len(flat)}i", *flat)


def unpack_changes(blob: bytes | None) -> list[tuple[int, int]]:
    """The inverse of :func:`pack_changes`."""
    if not blob:
        return []
    flat = struct.unpack(f"<{len(blob) // 4}i", blob)
    return list(zip(flat[::2], flat[1::2]))


def _rows_of(records: dict[tuple[int, int], list[tuple[int, int]]]) -> list[dict]:
    return [
        {"task_pk": t, "unit_id": u, "changes": pack_changes(rec), "count": len(rec)}
        for (t, u), rec in sorted(records.items())
    ]


def keep_done(s: Session, upload_id: int, unit_id: int) -> int:
    """Recompute the records of the (task, unit) pairs of one upload from their history, in the
    upload's transaction (a back-dated report may fall anywhere in it); returns the rows written."""
    from .kept import _insert_missing

    R = ProgressReportRow
    keys = sorted(set(s.scalars(select(R.task_pk).where(R.upload_id == upload_id))))
    if not keys:
        return 0
    # every row made first, then locked: a concurrent upload of the same unit and task waits here
    # and then reads the history the other one committed
    _insert_missing(
        s, StatusUnitDoneRow, [{"task_pk": k, "unit_id": unit_id, "changes": b"", "count": 0} for k in keys]
    )
    hist: dict[tuple[int, int], list] = {}
    for i in range(0, len(keys), _BATCH):
        chunk = keys[i : i + _BATCH]
        M = StatusUnitDoneRow
        s.execute(
            select(M.task_pk).where(M.unit_id == unit_id, M.task_pk.in_(chunk)).order_by(M.task_pk).with_for_update()
        ).all()
        q = (
            select(R.task_pk, R.report_date, R.id, R.status)
            .where(R.unit_id == unit_id, R.task_pk.in_(chunk))
            .order_by(R.task_pk, R.report_date, R.id)
        )
        for tpk, day, rid, status in s.execute(q):
            hist.setdefault((tpk, unit_id), []).append((day, rid, status))
    rows = _rows_of({k: changes(v) for k, v in hist.items()})
    if rows:
        s.execute(update(StatusUnitDoneRow), rows)
    return len(rows)


def fill_done(conn: Session | Connection) -> int:
    """Fill the (empty) table from the whole history (the 0011 migration and
    :func:`tasks.store.kept.rebuild_kept`); returns the rows written."""
    R = ProgressReportRow
    q = select(R.task_pk, R.unit_id, R.report_date, R.id, R.status).order_by(R.task_pk, R.unit_id, R.report_date, R.id)
    pending: dict[tuple[int, int], list[tuple[int, int]]] = {}
    n = 0
    key: tuple[int, int] | None = None
    rows: list = []

    def flush() -> int:
        out = _rows_of(pending)
        for i in range(0, len(out), 5000):
            conn.execute(insert(StatusUnitDoneRow), out[i : i + 5000])
        pending.clear()
        return len(out)

    for tpk, uid, day, rid, status in conn.execute(q):
        if (tpk, uid) != key:
            if key is not None:
                pending[key] = changes(rows)
                if len(pending) >= 20000:
                    n += flush()
            key, rows = (tpk, uid), []
        rows.append((day, rid, status))
    if key is not None:
        pending[key] = changes(rows)
    return n + flush()


def done_changes(store: Any, pks: Iterable[int]) -> dict[tuple[int, str], bytes]:
    """The packed records of the tasks ``pks``, per (task pk, unit name).

    >>> from tasks.store import Store
    >>> done_changes(Store("sqlite://"), [1, 2])
    {}
    """
    store = raw_store(store)
    wanted = sorted(set(pks))
    out: dict[tuple[int, str], bytes] = {}
    if not wanted:
        return out
    M = StatusUnitDoneRow
    base = select(M.task_pk, UnitRow.name, M.changes).join(UnitRow, UnitRow.id == M.unit_id)
    keep = set(wanted)
    with store.session() as s:
        conn = s.connection()
        if len(wanted) > _BATCH:  # many: one range scan, keep theirs
            qs = [base.where(M.task_pk.between(wanted[0], wanted[-1]))]
        else:
            qs = [base.where(M.task_pk.in_(wanted))]
        for q in qs:
            for tpk, name, blob in conn.execute(q).all():
                if tpk in keep:
                    out[(tpk, name)] = blob
    return out
