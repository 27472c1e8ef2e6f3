"""The supervision loop's current state, kept as each step is committed (issue 18).

:mod:`~tasks.progress.lifecycle` stores steps; replaying a province's year of them (a signature
per task and lead unit, then requests, claims and reviews: 160,000 steps at 50,000 tasks) cost
more than the rest of a status.  ``supervision_state`` keeps, for every task and unit with a step,
that unit's :class:`~tasks.progress.lifecycle.UnitLifecycle` after all its steps:

- :func:`keep_unit_state` rewrites the pair's row in the step's own transaction (``sign``,
  ``claim``, ``review``… call it), replaying that pair's few steps, so the row is what a replay
  gives whatever the order in which steps were dated;
- :func:`fill_lifecycle_state` fills the table from every step (the 0013 migration and
  :func:`rebuild_lifecycle_state` run it);
- :func:`kept_lifecycles` reads one row per pair and replays only the rare steps that act on the
  task itself (extensions and appeals), as of today or any earlier date: the rows carry the times
  of signing, claiming and acceptance, and only a pair with a returned claim and steps after that
  date replays its own steps.

The id of the last step folded in is kept beside the table (the ``lifecycle_state`` scope of
``data_versions``): steps written past this module (a bulk import, the bench generator) leave it
behind, and status then replays until :func:`rebuild_lifecycle_state` runs.

>>> from tasks.store import Store
>>> from tasks.model import Plan, Task
>>> from tasks.progress import lifecycle as lc
>>> store = Store("sqlite://")
>>> _ = store.load_plan_into_store(Plan("示例", tasks=[Task("1", lead_units=["市财政局"])]), actor="doc")
>>> _ = lc.sign(store, "示例", "1", actor="财政局", at=datetime(2021, 9, 1, 9))
>>> tasks = store.tasks("示例")
>>> units = {t.pk: list(t.lead_units) for t in tasks}
>>> [[(v.task, v.state) for v in kept_lifecycles(store, tasks, units, "示例", day).values()]
...  for day in (date(2021, 9, 30), date(2021, 8, 31))]
[[('1', 'in_progress')], [('1', 'pending_sign')]]
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any, NamedTuple

from sqlalchemy import case, delete, func, insert, select, update
from sqlalchemy.engine import Connection, CursorResult
from sqlalchemy.orm import Session

from ..store import Store, StoreLike, raw_store
from ..store.driver import as_day, as_json, as_moment, driver_rows
from ..store.kept import bump_version
from ..store.schema import UnitRow
from ..store.schema_province import DataVersionRow
from ..store.schema_supervision import LifecycleStateRow, SupervisionEventRow
from .lifecycle import (
    APPEAL,
    APPEAL_REJECTED,
    APPEAL_UPHELD,
    CLAIM,
    CLAIMED,
    CLOSED,
    EXT_APPROVED,
    EXT_REJECTED,
    EXT_REQUEST,
    IN_PROGRESS,
    PENDING_SIGN,
    RETURNED,
    LifecycleEvent,
    TaskLifecycle,
    UnitLifecycle,
    _event,
    _read_steps,
    replay,
)

__all__ = ["STATE_SCOPE", "keep_unit_state", "fill_lifecycle_state", "rebuild_lifecycle_state", "kept_lifecycles"]

#: the ``data_versions`` scope that holds the id of the last step folded into ``supervision_state``
STATE_SCOPE = "lifecycle_state"
#: the steps that act on a task rather than on one unit's state: few, replayed on each read
TASK_KINDS = (EXT_REQUEST, EXT_APPROVED, EXT_REJECTED, APPEAL, APPEAL_UPHELD, APPEAL_REJECTED)

_E = SupervisionEventRow
_S = LifecycleStateRow
_STEP_COLUMNS = (_E.id, _E.kind, _E.actor, _E.at, _E.note, _E.ref_id, _E.new_date, _E.data, _E.task_pk, _E.unit_id)
_BATCH = 5000


def _steps(rows: list[tuple]) -> list[LifecycleEvent]:
    """Driver rows of :data:`_STEP_COLUMNS` as steps of task ``str(task_pk)`` and unit ``str(unit_id)``."""
    return [
        _event(i, "", str(tpk), str(uid), kind, actor, as_moment(at), note, ref, as_day(new), as_json(data))
        for i, kind, actor, at, note, ref, new, data, tpk, uid in rows
    ]


def _state_rows(evs: list[LifecycleEvent]) -> list[dict[str, Any]]:
    """One ``supervision_state`` row per (task, unit) of ``evs`` (oldest first): its replayed state."""
    tasks = [SimpleNamespace(pk=int(t), plan="", id=t, deadline=None) for t in dict.fromkeys(e.task for e in evs)]
    first: dict[tuple[str, str], datetime] = {}
    last: dict[tuple[str, str], datetime] = {}
    returns: dict[tuple[str, str], int] = {}
    claimed: dict[int, datetime] = {}
    for e in evs:
        pair = (e.task, e.unit)
        first.setdefault(pair, e.at)
        last[pair] = e.at
        if e.kind == CLAIM:
            claimed[e.id] = e.at
        elif e.kind == RETURNED:
            returns[pair] = returns.get(pair, 0) + 1
    out = []
    for pk, lc in replay(tasks, {}, evs, ordered=True).items():
        for uid, u in lc.units.items():
            pair = (lc.task, uid)
            out.append(
                _row(pk, int(uid), u)
                | {
                    "claimed_at": claimed.get(u.claim_id) if u.claim_id is not None else None,
                    "first_at": first[pair],
                    "last_at": last[pair],
                    "returns": returns.get(pair, 0),
                }
            )
    return out


def _row(task_pk: int, unit_id: int, u: UnitLifecycle) -> dict[str, Any]:
    return {
        "task_pk": task_pk,
        "unit_id": unit_id,
        "state": u.state,
        "signed_at": u.signed_at,
        "claim_id": u.claim_id,
        "claim_date": u.claim_date,
        "closed_date": u.closed_date,
        "closed_at": u.closed_at,
        "returned_note": u.returned_note,
        "evidence": list(u.evidence),
    }


def _mark(s: Session | Connection, step_id: int, *, exact: bool = False) -> None:
    """Record that steps up to ``step_id`` are folded in (never lowered, unless ``exact``)."""
    v = DataVersionRow.version
    value = step_id if exact else case((v < step_id, step_id), else_=v)
    res = s.execute(update(DataVersionRow).where(DataVersionRow.scope == STATE_SCOPE).values(version=value))
    if not (isinstance(res, CursorResult) and res.rowcount):
        s.execute(insert(DataVersionRow), [{"scope": STATE_SCOPE, "version": step_id}])


def keep_unit_state(s: Session, task_pk: int, unit_id: int, step_id: int) -> None:
    """Rewrite one task and unit's kept state from its steps, in the caller's transaction, after
    it wrote step ``step_id`` (the steps of one pair: a handful, read through the task's index)."""
    rows = driver_rows(
        s.connection(),
        select(*_STEP_COLUMNS).where(_E.task_pk == task_pk, _E.unit_id == unit_id).order_by(_E.at, _E.id),
    )
    s.execute(delete(_S).where(_S.task_pk == task_pk, _S.unit_id == unit_id))
    s.execute(insert(_S), _state_rows(_steps(rows)))
    _mark(s, step_id)


def fill_lifecycle_state(conn: Session | Connection) -> int:
    """Fill ``supervision_state`` (empty) from every stored step; returns the rows written."""
    c = conn.connection() if isinstance(conn, Session) else conn
    rows = _state_rows(_steps(driver_rows(c, select(*_STEP_COLUMNS).order_by(_E.at, _E.id))))
    for i in range(0, len(rows), _BATCH):
        conn.execute(insert(_S), rows[i : i + _BATCH])
    _mark(conn, int(c.scalar(select(func.max(_E.id))) or 0), exact=True)
    return len(rows)


def rebuild_lifecycle_state(store: StoreLike) -> dict[str, int]:
    """Rebuild ``supervision_state`` from the steps in one transaction (after steps were written
    past the workbench, or a repair); its row count after.

    >>> rebuild_lifecycle_state(Store("sqlite://"))
    {'supervision_state': 0}
    """
    with raw_store(store).session(write=True) as s:
        s.execute(delete(_S))
        n = fill_lifecycle_state(s)
        bump_version(s)  # what was read of the state before is not read again
        return {"supervision_state": n}


class _Kept(NamedTuple):
    """A ``supervision_state`` row, decoded (the unit by name)."""

    task_pk: int
    unit: str
    state: str
    signed_at: datetime | None
    claim_id: int | None
    claim_date: date | None
    closed_date: date | None
    closed_at: datetime | None
    returned_note: str
    evidence: tuple[int, ...]
    claimed_at: datetime | None
    first_at: datetime
    last_at: datetime
    returns: int
    unit_id: int


#: store → (its tasks version, every kept state row decoded): read once per version, as the steps are
_ROWS: weakref.WeakKeyDictionary[Store, tuple[int, list[_Kept]]] = weakref.WeakKeyDictionary()
_ROWS_LOCK = threading.Lock()


def _kept_rows(store: Store) -> list[_Kept] | None:
    """Every kept state row (shared, not to be changed), or None when steps were written past it."""
    version = store.tasks_version()  # the version first: never older rows under a newer version
    with store.session() as s:
        conn = s.connection()
        last_id = conn.scalar(select(func.max(_E.id)))
        folded = conn.scalar(select(DataVersionRow.version).where(DataVersionRow.scope == STATE_SCOPE))
        if last_id is not None and folded != last_id:
            return None
        with _ROWS_LOCK:
            hit = _ROWS.get(store)
        if hit is not None and hit[0] == version:
            return hit[1]
        q = select(_S.task_pk, _S.unit_id, _S.state, _S.signed_at, _S.claim_id, _S.claim_date, _S.closed_date,
                   _S.closed_at, _S.returned_note, _S.evidence, _S.claimed_at, _S.first_at, _S.last_at,
                   _S.returns)  # fmt: skip
        raw = driver_rows(conn, q) if last_id is not None else []
        names = dict(conn.execute(select(UnitRow.id, UnitRow.name)).all()) if raw else {}
    words: dict[str, str] = {}
    one = words.setdefault
    rows = [
        _Kept(
            pk,
            names[uid],
            one(state, state),
            as_moment(signed) if signed is not None else None,
            claim_id,
            as_day(claim_date),
            as_day(closed),
            as_moment(closed_at) if closed_at is not None else None,
            note or "",
            tuple(as_json(evidence) or ()) if evidence not in (None, "[]") else (),  # kept after a return too
            as_moment(claimed_at) if claimed_at is not None else None,
            as_moment(first_at),
            as_moment(last_at),
            returns,
            uid,
        )
        for pk, uid, state, signed, claim_id, claim_date, closed, closed_at, note, evidence, claimed_at, first_at,
        last_at, returns in raw
    ]  # fmt: skip
    with _ROWS_LOCK:
        _ROWS[store] = (version, rows)
    return rows


def kept_lifecycles(
    store: Store,
    tasks: Sequence[Any],
    units: dict[int, list[str]],
    plan: str | None,
    as_of: date,
) -> dict[int, TaskLifecycle] | None:
    """The lifecycles of ``tasks`` (StoredTask-like; ``units``: their lead units) as of ``as_of``,
    as :func:`~tasks.progress.lifecycle.replay` gives them, from the kept state; None when steps
    were written past it (replay then).

    A pair whose newest step is not later than ``as_of`` is its row.  One with later steps and no
    claim ever returned went pending → signed → claimed → closed, and its row's times say how far
    by then.  Only the pairs with a returned claim and later steps replay their own steps, and the
    steps that act on the task (extensions, appeals) are replayed up to that date.  The rows are
    read once per tasks version of the store.  ``plan=None``: the tasks may come from every plan."""
    rows = _kept_rows(store)
    if rows is None:
        return None
    end = datetime.combine(as_of, datetime.max.time())
    lcs = replay(tasks, units, _read_steps(store, plan, None, as_of, plan is None, TASK_KINDS), as_of, ordered=True)
    again: dict[tuple[int, int], str] = {}  # pairs to replay (a claim returned, and steps after the date)
    for r in rows:
        lc = lcs.get(r.task_pk)
        if lc is None or r.first_at > end:  # no step yet then: a lead unit waits to sign (as replayed)
            continue
        if r.last_at <= end:
            u = UnitLifecycle(r.unit, r.state, r.signed_at, r.claim_id, r.claim_date, r.closed_date,
                              r.returned_note, list(r.evidence), r.closed_at)  # fmt: skip
        elif r.returns:
            again[(r.task_pk, r.unit_id)] = r.unit
            continue
        else:
            u = _unit_then(r, end)
        lc.units[r.unit] = u
    if again:
        for (pk, uid), u in _replay_pairs(store, set(again), end).items():
            u.unit = again[(pk, uid)]  # replayed under its id
            lcs[pk].units[u.unit] = u
    return lcs


def _unit_then(r: _Kept, end: datetime) -> UnitLifecycle:
    """A unit whose claims were never returned, at ``end``, from its kept row's times."""
    signed_at = r.signed_at if r.signed_at is not None and r.signed_at <= end else None
    if r.claimed_at is None or r.claimed_at > end:
        return UnitLifecycle(r.unit, IN_PROGRESS if signed_at else PENDING_SIGN, signed_at)
    if r.closed_at is not None and r.closed_at <= end:
        return UnitLifecycle(r.unit, CLOSED, signed_at, r.claim_id, r.claim_date, r.closed_date, "",
                             list(r.evidence), r.closed_at)  # fmt: skip
    return UnitLifecycle(r.unit, CLAIMED, signed_at, r.claim_id, r.claim_date, None, "", list(r.evidence))


def _replay_pairs(store: Store, pairs: set[tuple[int, int]], end: datetime) -> dict[tuple[int, int], UnitLifecycle]:
    """Each (task pk, unit id) of ``pairs`` replayed from its own steps up to ``end``."""
    pks = sorted({pk for pk, _ in pairs})
    rows: list[tuple] = []
    with store.session() as s:
        for i in range(0, len(pks), 500):
            q = select(*_STEP_COLUMNS).where(_E.task_pk.in_(pks[i : i + 500]), _E.at <= end)
            rows += [r for r in driver_rows(s.connection(), q.order_by(_E.at, _E.id)) if (r[8], r[9]) in pairs]
    rows.sort(key=lambda r: (as_moment(r[3]), r[0]))
    evs = _steps(rows)
    tasks = [SimpleNamespace(pk=int(t), plan="", id=t, deadline=None) for t in dict.fromkeys(e.task for e in evs)]
    return {(pk, int(uid)): u for pk, lc in replay(tasks, {}, evs, ordered=True).items() for uid, u in lc.units.items()}
