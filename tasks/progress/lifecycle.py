"""The supervision loop (督办) per task and lead unit, append-only and replayable as of any date.

States: ``pending_sign`` 待签收 → ``in_progress`` 办理中 → ``claimed`` 申请办结 →
``closed`` 已办结(销号); 退回 sends a claim back to 办理中.  Every step is a
row of ``supervision_events`` (actor, time, note) plus an audit row, written in
one transaction after the step's checks pass; a refused step writes nothing.
Each step returns a frozen :class:`LifecycleEvent`, so a notifier can hook every
transition with one call.

- **签收** (:func:`sign`): a lead unit acknowledges a task assigned to it;
  not signed within ``rules.sign_within_days`` working days lights up.
- **延期申请/审批** (:func:`request_extension`, :func:`decide_extension`): before
  the current deadline, for a later date, on a task not yet closed; the office
  approves (possibly another date) or rejects with a note.  The original
  deadline is kept.
- **申请办结/办结审核** (:func:`claim`, :func:`review`): a claim carries evidence
  files (unless the rules say otherwise); accept → 已办结 on the claim's date;
  return → 办理中 with the reason the unit sees next.
- **申诉** (:func:`appeal`, :func:`decide_appeal`) against a task's card.

>>> from tasks.store import Store
>>> store = Store("sqlite://")
>>> sign(store, "无此计划", "1", actor="office")   # doctest: +ELLIPSIS
Traceback (most recent call last):
...
tasks.store.repo.StoreError: ...
"""

from __future__ import annotations

import os
import threading
import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from core.workdays import add_working_days

from .. import labels
from ..errors import WorkbenchError
from ..store import Store, StoreError
from ..store.driver import as_day, as_json, as_moment, driver_rows
from ..store.kept import bump_version
from ..store.periods import MONTH, PlanCalendar, parse_cycle
from ..store.schema import LEAD, RESPONSIBLE, PlanRow, TaskRow, TaskUnitRow, UnitRow
from ..store.schema_supervision import EvidenceFileRow, LifecycleStateRow, PlanCalendarRow, SupervisionEventRow
from .evidence import BadEvidence, EvidenceFile, check_evidence, files_dir, store_file

__all__ = [
    "PENDING_SIGN",
    "IN_PROGRESS",
    "CLAIMED",
    "CLOSED",
    "STATES",
    "STATE_NAMES",
    "KIND_NAMES",
    "LifecycleError",
    "LifecycleEvent",
    "UnitLifecycle",
    "TaskLifecycle",
    "Extension",
    "Appeal",
    "sign",
    "request_extension",
    "decide_extension",
    "claim",
    "review",
    "appeal",
    "decide_appeal",
    "events",
    "lifecycles",
    "replay",
    "lifecycle_as_of",
    "set_calendar",
    "calendars",
    "calendar_of",
    "evidence_list",
    "evidence_bytes",
    "EvidenceInfo",
    "task_units",
    "unit_of_event",
    "sign_due",
    "QueueItem",
    "office_queue",
]

PENDING_SIGN, IN_PROGRESS, CLAIMED, CLOSED = "pending_sign", "in_progress", "claimed", "closed"
STATES = (PENDING_SIGN, IN_PROGRESS, CLAIMED, CLOSED)
STATE_NAMES = labels.LIFECYCLE_STATE

SIGN, EXT_REQUEST, EXT_APPROVED, EXT_REJECTED = "sign", "extension_request", "extension_approved", "extension_rejected"
CLAIM, ACCEPTED, RETURNED = "claim", "claim_accepted", "claim_returned"
APPEAL, APPEAL_UPHELD, APPEAL_REJECTED = "appeal", "appeal_upheld", "appeal_rejected"
KIND_NAMES = labels.LIFECYCLE_EVENT


class LifecycleError(WorkbenchError):
    """A step that cannot be taken now (wrong state, late request, bad date…); nothing was written."""


@dataclass(frozen=True, slots=True)  # 163,000 at province size, kept with the store: no per-object __dict__
class LifecycleEvent:
    """One stored step: what a notifier hooks on.  ``id`` is the request id for 延期申请."""

    id: int
    plan: str
    task: str
    unit: str
    kind: str
    actor: str
    at: datetime
    note: str = ""
    ref_id: int | None = None
    new_date: date | None = None
    evidence: tuple[int, ...] = ()
    data: tuple[tuple[str, Any], ...] = ()

    @property
    def label(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "plan": self.plan,
            "task": self.task,
            "unit": self.unit,
            "kind": self.kind,
            "label": self.label,
            "actor": self.actor,
            "at": self.at.isoformat(sep=" "),
            "note": self.note,
            "ref_id": self.ref_id,
            "new_date": self.new_date.isoformat() if self.new_date else None,
            "evidence": list(self.evidence),
        }


@dataclass(slots=True)
class Extension:
    """A 延期申请 and what the office decided."""

    id: int
    unit: str
    requested_to: date
    reason: str
    requested_at: datetime
    deadline_before: date | None
    decision: str = "pending"  # pending | approved | rejected
    decided_to: date | None = None
    note: str = ""
    decided_at: datetime | None = None
    decided_by: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "unit": self.unit,
            "requested_to": self.requested_to.isoformat(),
            "reason": self.reason,
            "requested_at": self.requested_at.isoformat(sep=" "),
            "deadline_before": self.deadline_before.isoformat() if self.deadline_before else None,
            "decision": self.decision,
            "decided_to": self.decided_to.isoformat() if self.decided_to else None,
            "note": self.note,
            "decided_at": self.decided_at.isoformat(sep=" ") if self.decided_at else None,
            "decided_by": self.decided_by,
        }


@dataclass(slots=True)
class Appeal:
    """A unit's 申诉 against a card, and the office's decision."""

    id: int
    unit: str
    card: str
    reason: str
    filed_at: datetime
    decision: str = "pending"  # pending | upheld | rejected
    note: str = ""
    decided_at: datetime | None = None
    decided_by: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "unit": self.unit,
            "card": self.card,
            "reason": self.reason,
            "filed_at": self.filed_at.isoformat(sep=" "),
            "decision": self.decision,
            "note": self.note,
            "decided_at": self.decided_at.isoformat(sep=" ") if self.decided_at else None,
            "decided_by": self.decided_by,
        }


@dataclass(slots=True)  # one per task and lead unit in every replay
class UnitLifecycle:
    """One lead unit's state on one task."""

    unit: str
    state: str = PENDING_SIGN
    signed_at: datetime | None = None
    claim_id: int | None = None
    claim_date: date | None = None
    closed_date: date | None = None
    returned_note: str = ""
    evidence: list[int] = field(default_factory=list)
    #: when the office accepted the claim (the lifecycle as of an earlier date reads it)
    closed_at: datetime | None = None


@dataclass(slots=True)
class TaskLifecycle:
    """A task's lifecycle as of a date: the least advanced of its lead units, and its deadlines."""

    task_pk: int
    plan: str
    task: str
    original_deadline: date | None
    deadline: date | None
    units: dict[str, UnitLifecycle] = field(default_factory=dict)
    extensions: list[Extension] = field(default_factory=list)
    appeals: list[Appeal] = field(default_factory=list)

    @property
    def state(self) -> str:
        if not self.units:
            return IN_PROGRESS
        return min((u.state for u in self.units.values()), key=STATES.index)

    @property
    def state_label(self) -> str:
        return STATE_NAMES[self.state]

    @property
    def closed_date(self) -> date | None:
        """The completion date (latest lead unit's accepted claim date) once every lead unit is closed."""
        if self.units and all(u.state == CLOSED for u in self.units.values()):
            return max(u.closed_date for u in self.units.values() if u.closed_date)
        return None

    @property
    def returned_note(self) -> str:
        return ";".join(u.returned_note for u in self.units.values() if u.returned_note and u.state == IN_PROGRESS)

    @property
    def pending_extension(self) -> Extension | None:
        return next((e for e in self.extensions if e.decision == "pending"), None)


# -- calendars ------------------------------------------------------------------------------------------


def set_calendar(
    store: Store, plan: str | None, *, start: date, cycle: str = MONTH, due_day: int | None = None, actor: str
) -> PlanCalendar:
    """Set (or change) a plan's reporting calendar; audited."""
    cycle = parse_cycle(cycle)
    if due_day is not None and not 1 <= int(due_day) <= 31:
        raise LifecycleError(f"报送截止日“{due_day}”应为 1–31 之间的整数(如 5 表示次月5日前,25 表示当月25日前)")
    with store.session(write=True) as s:
        pid = store._plan_id(s, plan)
        key = str(s.scalar(select(PlanRow.key).where(PlanRow.id == pid)))
        row = s.get(PlanCalendarRow, pid)
        values = {"start": start, "cycle": cycle, "due_day": due_day, "updated_at": _now(), "actor": actor}
        if row is None:
            s.execute(insert(PlanCalendarRow), [{"plan_id": pid, **values}])
        else:
            s.execute(update(PlanCalendarRow).where(PlanCalendarRow.plan_id == pid).values(**values))
        bump_version(s, pid)
        store._audit(s, actor, "set_calendar", key, {"start": start.isoformat(), "cycle": cycle, "due_day": due_day})
    return PlanCalendar(key, start, cycle, due_day)


def calendars(store: Store) -> dict[str, PlanCalendar]:
    """Plans with a calendar set by the office (``load --start`` or the settings page)."""
    with store.session() as s:
        q = select(PlanRow.key, PlanCalendarRow.start, PlanCalendarRow.cycle, PlanCalendarRow.due_day).join(
            PlanCalendarRow, PlanCalendarRow.plan_id == PlanRow.id
        )
        return {k: PlanCalendar(k, st, cy, dd) for k, st, cy, dd in s.execute(q)}


def calendar_of(store: Store, plan: str | None) -> PlanCalendar:
    """A plan's calendar; without one set: monthly from its issue date, else from the day it was loaded."""
    key = store.plan_key(plan)
    cal = calendars(store).get(key)
    if cal:
        return cal
    p = next(p for p in store.plans() if p.key == key)
    return PlanCalendar(key, p.date or p.loaded_at.date(), MONTH, None)


# -- reading and replaying --------------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _event_query():
    return (
        select(SupervisionEventRow, PlanRow.key, TaskRow.task_id, UnitRow.name)
        .join(PlanRow, PlanRow.id == SupervisionEventRow.plan_id)
        .join(TaskRow, TaskRow.id == SupervisionEventRow.task_pk)
        .join(UnitRow, UnitRow.id == SupervisionEventRow.unit_id)
    )


def _event(
    id: int, plan: str, task: str, unit: str, kind: str, actor: str, at: datetime, note: str | None,
    ref_id: int | None, new_date: date | None, data: dict | None,
) -> LifecycleEvent:  # fmt: skip
    """A :class:`LifecycleEvent` from a stored step's values (``data``: its JSON, decoded)."""
    data = data or {}
    return LifecycleEvent(
        id,
        plan,
        task,
        unit,
        kind,
        actor,
        at,
        note or "",
        ref_id,
        new_date,
        tuple(data.get("evidence") or ()),
        tuple(sorted((k, v) for k, v in data.items() if k != "evidence"))
        if len(data) > 1 or (data and "evidence" not in data)
        else (),
    )


def _to_event(row: Any, plan: str, task: str, unit: str) -> LifecycleEvent:
    return _event(row.id, plan, task, unit, row.kind, row.actor, row.at, row.note, row.ref_id, row.new_date, row.data)


def events(
    store: Store,
    plan: str | None = None,
    task: str | None = None,
    *,
    as_of: date | None = None,
    all_plans: bool = False,
) -> list[LifecycleEvent]:
    """Stored steps (up to the end of ``as_of``), oldest first.

    A province's year holds 100,000s of steps (a signature per task and unit, then requests,
    claims and reviews), and status reads them all: the rows are taken as the driver gives them
    (:func:`~tasks.store.driver.driver_rows`), plan keys and unit names looked up in their small
    tables instead of joined on every row.  The steps of whole plans are read once per tasks
    version of the store (:meth:`~tasks.store.Store.tasks_version`, moved by every step written
    and by every change of a task, unit or plan, not by uploads) and kept with it: the status
    after each upload does not read them again.

    >>> from tasks.store import Store
    >>> from tasks.model import Plan, Task
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(Plan("示例", tasks=[Task("1", lead_units=["市财政局"])]), actor="doc")
    >>> _ = sign(store, "示例", "1", actor="财政局", at=datetime(2021, 9, 1, 9))
    >>> [(e.task, e.unit, e.kind) for e in events(store, "示例")]
    [('1', '市财政局', 'sign')]
    >>> events(store, "示例")[0] is events(store, "示例")[0], events(store, "示例", as_of=date(2021, 8, 31))
    (True, [])
    """
    if task is not None or not isinstance(store, Store):
        return _read_steps(store, plan, task, as_of, all_plans)
    steps = _every_step(store)
    if not all_plans or plan:
        with store.session() as s:
            key = s.scalar(select(PlanRow.key).where(PlanRow.id == store._plan_id(s, plan)))
        steps = [e for e in steps if e.plan == key]
    if as_of is not None:
        steps = steps[: bisect_left(steps, datetime.combine(as_of, datetime.max.time()), key=_at)]
    return list(steps)


def _at(e: LifecycleEvent) -> datetime:
    return e.at


_STEPS: weakref.WeakKeyDictionary[Store, tuple[int, list[LifecycleEvent]]] = weakref.WeakKeyDictionary()
_STEPS_LOCK = threading.Lock()


def _every_step(store: Store) -> list[LifecycleEvent]:
    """Every stored step, oldest first (shared, not to be changed): read once per tasks version."""
    version = store.tasks_version()  # the version first: never older steps under a newer version
    with _STEPS_LOCK:
        hit = _STEPS.get(store)
    if hit is not None and hit[0] == version:
        return hit[1]
    steps = _read_steps(store, None, None, None, True)
    with _STEPS_LOCK:
        _STEPS[store] = (version, steps)
    return steps


def _read_steps(
    store: Store,
    plan: str | None,
    task: str | None,
    as_of: date | None,
    all_plans: bool,
    kinds: Sequence[str] | None = None,
) -> list[LifecycleEvent]:
    """:func:`events` read from the database (``kinds``: only steps of those kinds)."""
    E = SupervisionEventRow
    with store.session() as s:
        conn = s.connection()
        q = select(E.id, E.kind, E.actor, E.at, E.note, E.ref_id, E.new_date, E.data, E.plan_id, E.task_pk, E.unit_id)
        ids = select(TaskRow.id, TaskRow.task_id)
        if not all_plans or plan:
            pid = store._plan_id(s, plan)
            q = q.where(E.plan_id == pid)
            ids = ids.where(TaskRow.plan_id == pid)
            if task is not None:
                ids = ids.where(TaskRow.task_id == str(task))
                q = q.where(E.task_pk.in_(ids.with_only_columns(TaskRow.id).scalar_subquery()))
        if as_of is not None:
            q = q.where(E.at < datetime.combine(as_of, datetime.max.time()))
        if kinds is not None:
            q = q.where(E.kind.in_(list(kinds)))
        rows = driver_rows(conn, q.order_by(E.at, E.id))
        if not rows:
            return []
        # ids, keys and names from their tables: a join per step cost as much as reading the steps
        task_ids = dict(conn.execute(ids).all())
        keys = dict(conn.execute(select(PlanRow.id, PlanRow.key)).all())
        names = dict(conn.execute(select(UnitRow.id, UnitRow.name)).all())
    words: dict[str, str] = {}  # one string per kind and actor, not one per step (the steps are kept)
    one = words.setdefault
    return [
        _event(
            i,
            keys[pid],
            task_ids[tpk],
            names[uid],
            one(kind, kind),
            one(actor, actor),
            as_moment(at),
            note,
            ref,
            as_day(new),
            as_json(data),
        )  # fmt: skip
        for i, kind, actor, at, note, ref, new, data, pid, tpk, uid in rows
    ]


def task_units(
    store: Store, plan: str | None = None, *, all_plans: bool = False, pks: Sequence[int] | None = None
) -> dict[int, list[str]]:
    """task pk → the units that carry its lifecycle: its lead units (else its responsible units);
    ``pks``: only those tasks."""
    with store.session() as s:
        q = (
            select(TaskUnitRow.task_pk, UnitRow.name, TaskUnitRow.role)
            .join(UnitRow, UnitRow.id == TaskUnitRow.unit_id)
            .join(TaskRow, TaskRow.id == TaskUnitRow.task_pk)
        )
        if not all_plans or plan:
            q = q.where(TaskRow.plan_id == store._plan_id(s, plan))
        if pks is not None:
            q = q.where(TaskUnitRow.task_pk.in_(sorted(set(pks))))
        lead: dict[int, list[str]] = {}
        resp: dict[int, list[str]] = {}
        for pk, name, role in s.execute(q):
            (lead if role == LEAD else resp).setdefault(pk, []).append(name)
    return {pk: sorted(lead.get(pk) or resp.get(pk) or []) for pk in set(lead) | set(resp)}


def replay(
    tasks: Iterable[Any],
    units: dict[int, list[str]],
    evs: Sequence[LifecycleEvent],
    as_of: date | None = None,
    *,
    pks: dict[tuple[str, str], int] | None = None,
    ordered: bool = False,
) -> dict[int, TaskLifecycle]:
    """Pure replay: each task's lifecycle from its events up to ``as_of`` (``tasks`` are StoredTask-like).

    >>> from types import SimpleNamespace as T
    >>> t = T(pk=1, plan="p", id="1", deadline=date(2021, 9, 30))
    >>> ev = [LifecycleEvent(1, "p", "1", "甲", SIGN, "a", datetime(2021, 9, 1)),
    ...       LifecycleEvent(2, "p", "1", "甲", EXT_REQUEST, "a", datetime(2021, 9, 2), "忙", None, date(2021, 10, 31)),
    ...       LifecycleEvent(3, "p", "1", "甲", EXT_APPROVED, "o", datetime(2021, 9, 3), "", 2, date(2021, 10, 31))]
    >>> lc = replay([t], {1: ["甲"]}, ev)[1]
    >>> (lc.state, lc.deadline.isoformat(), lc.original_deadline.isoformat())
    ('in_progress', '2021-10-31', '2021-09-30')
    >>> replay([t], {1: ["甲"]}, ev, date(2021, 8, 31))[1].state
    'pending_sign'
    """
    out: dict[int, TaskLifecycle] = {}
    by_key: dict[tuple[str, str], TaskLifecycle] = {}  # (plan, task) → its lifecycle: one look-up a step
    for t in tasks:
        made = out[t.pk] = TaskLifecycle(
            t.pk, t.plan, t.id, t.deadline, t.deadline, {u: UnitLifecycle(u) for u in units.get(t.pk, [])}
        )
        by_key[(t.plan, t.id)] = made
    for key, pk in (pks or {}).items():  # other names of these tasks; their own names come first
        if key not in by_key and pk in out:
            by_key[key] = out[pk]
    seq = evs if ordered else sorted(evs, key=lambda e: (e.at, e.id))
    if as_of:  # the steps up to the end of that day: a cut, not a test a step
        seq = seq[: bisect_right(seq, datetime.combine(as_of, datetime.max.time()), key=_at)]
    requests: dict[int, Extension] = {}
    appeals: dict[int, Appeal] = {}
    find = by_key.get
    for e in seq:
        lc = find((e.plan, e.task))
        if lc is None:
            continue
        kind = e.kind
        u = lc.units.get(e.unit)
        if u is None:
            u = lc.units[e.unit] = UnitLifecycle(e.unit)
        # the kinds in the order of how often they come (signatures, then claims and reviews)
        if kind == SIGN:
            if u.state == PENDING_SIGN:
                u.state, u.signed_at = IN_PROGRESS, e.at
        elif kind == CLAIM:
            u.state, u.claim_id, u.claim_date = CLAIMED, e.id, e.new_date or e.at.date()
            u.evidence = list(e.evidence)
        elif kind == ACCEPTED:
            if u.state == CLAIMED:
                u.state, u.closed_date, u.returned_note, u.closed_at = CLOSED, u.claim_date, "", e.at
        elif kind == RETURNED:
            if u.state == CLAIMED:
                u.state, u.returned_note, u.claim_id, u.claim_date = IN_PROGRESS, e.note, None, None
        elif kind == EXT_REQUEST:
            if e.new_date:
                ext = Extension(e.id, e.unit, e.new_date, e.note, e.at, lc.deadline)
                requests[e.id] = ext
                lc.extensions.append(ext)
        elif kind in (EXT_APPROVED, EXT_REJECTED):
            if e.ref_id in requests:
                ext = requests[e.ref_id]
                ext.decision = "approved" if kind == EXT_APPROVED else "rejected"
                ext.decided_to, ext.note, ext.decided_at, ext.decided_by = e.new_date, e.note, e.at, e.actor
                if kind == EXT_APPROVED and e.new_date:
                    lc.deadline = e.new_date
        elif kind == APPEAL:
            ap = Appeal(e.id, e.unit, dict(e.data).get("card", ""), e.note, e.at)
            appeals[e.id] = ap
            lc.appeals.append(ap)
        elif kind in (APPEAL_UPHELD, APPEAL_REJECTED) and e.ref_id in appeals:
            ap = appeals[e.ref_id]
            ap.decision = "upheld" if kind == APPEAL_UPHELD else "rejected"
            ap.note, ap.decided_at, ap.decided_by = e.note, e.at, e.actor
    return out


def lifecycle_as_of(lc: TaskLifecycle, day: date) -> TaskLifecycle:
    """What ``lc`` (a later state) was at the end of ``day``, from the times it carries.

    Exact for what the cards read: the completion date (claims accepted by then), the deadline
    (extensions approved by then), the extensions and appeals filed by then with the decisions taken
    by then.  A unit not closed by then is 办理中 if it had signed, else 待签收: a claim still
    waiting then, and the note of a return, are not known from the later state.  Unchanged records
    are shared with ``lc``.

    >>> u = UnitLifecycle("甲", CLOSED, datetime(2021, 9, 1), 5, date(2021, 10, 8), date(2021, 10, 8),
    ...                   closed_at=datetime(2021, 10, 12, 9))
    >>> ext = Extension(3, "甲", date(2021, 11, 30), "忙", datetime(2021, 9, 20), date(2021, 10, 31),
    ...                 "approved", date(2021, 11, 30), "", datetime(2021, 9, 25), "办")
    >>> lc = TaskLifecycle(1, "p", "1", date(2021, 10, 31), date(2021, 11, 30), {"甲": u}, [ext])
    >>> [(v.state, v.deadline, v.extensions[0].decision) for v in
    ...  (lifecycle_as_of(lc, d) for d in (date(2021, 9, 22), date(2021, 10, 11), date(2021, 10, 12)))]
    ...  # doctest: +NORMALIZE_WHITESPACE
    [('in_progress', datetime.date(2021, 10, 31), 'pending'),
     ('in_progress', datetime.date(2021, 11, 30), 'approved'),
     ('closed', datetime.date(2021, 11, 30), 'approved')]
    """
    end = datetime.combine(day, datetime.max.time())
    units: dict[str, UnitLifecycle] = {}
    for name, u in lc.units.items():
        if u.closed_at is not None and u.closed_at <= end:
            units[name] = u
        elif u.signed_at is not None and u.signed_at <= end:
            units[name] = UnitLifecycle(name, IN_PROGRESS, u.signed_at)
        else:
            units[name] = UnitLifecycle(name)
    deadline = lc.original_deadline
    extensions: list[Extension] = []
    for e in sorted(lc.extensions, key=lambda e: (e.requested_at, e.id)):
        if e.requested_at > end:
            continue
        if e.decided_at is not None and e.decided_at > end:
            e = Extension(e.id, e.unit, e.requested_to, e.reason, e.requested_at, e.deadline_before)
        extensions.append(e)
    for e in sorted((e for e in extensions if e.decision == "approved"), key=lambda e: (e.decided_at, e.id)):
        if e.decided_to is not None:
            deadline = e.decided_to
    appeals = [
        a if a.decided_at is None or a.decided_at <= end else Appeal(a.id, a.unit, a.card, a.reason, a.filed_at)
        for a in lc.appeals
        if a.filed_at <= end
    ]
    return TaskLifecycle(lc.task_pk, lc.plan, lc.task, lc.original_deadline, deadline, units, extensions, appeals)


def lifecycles(
    store: Store,
    plan: str | None = None,
    as_of: date | None = None,
    *,
    all_plans: bool = False,
    tasks: Sequence[Any] | None = None,
) -> dict[int, TaskLifecycle]:
    """Every task's lifecycle as of a date (default: now), from the stored events."""
    if tasks is None:
        tasks = store.tasks(plan, all_plans=all_plans) if (plan or not all_plans) else store.tasks(all_plans=True)
    return replay(
        tasks,
        task_units(store, plan, all_plans=all_plans or plan is None),
        events(store, plan, as_of=as_of, all_plans=all_plans or plan is None),
        as_of,
    )


def unit_of_event(store: Store, event_id: int) -> tuple[str, str, str, str]:
    """(plan, task, unit, kind) of a stored event (for checking who may decide it)."""
    with store.session() as s:
        r = s.execute(_event_query().where(SupervisionEventRow.id == int(event_id))).first()
        if r is None:
            raise LifecycleError(f"找不到编号为 {event_id} 的申请")
        row, plan, task, unit = r
        return plan, task, unit, row.kind


# -- the steps ------------------------------------------------------------------------------------------


@dataclass
class _Ctx:
    plan_id: int
    plan: str
    task_pk: int
    task: str
    deadline: date | None
    archived: bool
    units: dict[str, int]  # lifecycle units: name → id
    lc: TaskLifecycle


def _context(store: Store, s: Session, plan: str | None, task: str) -> _Ctx:
    pid = store._plan_id(s, plan)
    key = str(s.scalar(select(PlanRow.key).where(PlanRow.id == pid)))
    row = s.execute(
        select(TaskRow.id, TaskRow.deadline, TaskRow.archived).where(
            TaskRow.plan_id == pid, TaskRow.task_id == str(task)
        )
    ).first()
    if row is None:
        raise StoreError(f"计划“{key}”中没有编号为 {task} 的任务,请核对任务编号")
    pk, deadline, archived = row
    roles = s.execute(
        select(UnitRow.name, UnitRow.id, TaskUnitRow.role)
        .join(TaskUnitRow, TaskUnitRow.unit_id == UnitRow.id)
        .where(TaskUnitRow.task_pk == pk)
    ).all()
    lead = {n: i for n, i, r in roles if r == LEAD}
    units = lead or {n: i for n, i, r in roles if r == RESPONSIBLE}
    evs = [
        _to_event(*r)
        for r in s.execute(
            _event_query()
            .where(SupervisionEventRow.task_pk == pk)
            .order_by(SupervisionEventRow.at, SupervisionEventRow.id)
        )
    ]

    t = SimpleNamespace(pk=pk, plan=key, id=str(task), deadline=deadline)  # StoredTask-like, for replay
    lc = replay([t], {pk: sorted(units)}, evs)[pk]
    return _Ctx(pid, key, pk, str(task), deadline, archived, units, lc)


def _unit(ctx: _Ctx, unit: str | None, states: Sequence[str] | None = None) -> str:
    """The lead unit a step is for: the one named, else the only one (or the only one in ``states``)."""
    if unit:
        if unit not in ctx.units:
            raise LifecycleError(
                f"“{unit}”不是计划“{ctx.plan}”任务 {ctx.task} 的牵头单位,不能办理该任务的签收、"
                f"延期或办结;牵头单位为:{'、'.join(sorted(ctx.units)) or '(无)'}"
            )
        return unit
    cands = sorted(ctx.units)
    if states is not None and len(cands) > 1:
        cands = [u for u in cands if ctx.lc.units[u].state in states] or cands
    if len(cands) == 1:
        return cands[0]
    if not cands:
        raise LifecycleError(f"计划“{ctx.plan}”任务 {ctx.task} 没有牵头单位,无法办理")
    raise LifecycleError(f"计划“{ctx.plan}”任务 {ctx.task} 有多个牵头单位({'、'.join(cands)}),请用 --unit 指定单位")


def _write(
    store: Store,
    s: Session,
    ctx: _Ctx,
    unit: str,
    kind: str,
    actor: str,
    at: datetime,
    note: str = "",
    ref_id: int | None = None,
    new_date: date | None = None,
    data: dict | None = None,
) -> LifecycleEvent:
    res = s.execute(
        insert(SupervisionEventRow).returning(SupervisionEventRow.id),
        [
            {
                "plan_id": ctx.plan_id,
                "task_pk": ctx.task_pk,
                "unit_id": ctx.units[unit],
                "kind": kind,
                "at": at,
                "actor": actor,
                "note": note or "",
                "ref_id": ref_id,
                "new_date": new_date,
                "data": data or {},
            }
        ],
    )
    eid = res.scalar_one()
    from .lifecycle_state import keep_unit_state  # it replays with this module's records

    keep_unit_state(s, ctx.task_pk, ctx.units[unit], eid)
    bump_version(s, ctx.plan_id)
    store._audit(
        s,
        actor,
        kind,
        f"{ctx.plan}/{ctx.task}",
        {
            "event_id": eid,
            "unit": unit,
            "note": note or "",
            "ref_id": ref_id,
            "new_date": new_date.isoformat() if new_date else None,
        },
    )
    return _event(eid, ctx.plan, ctx.task, unit, kind, actor, at, note, ref_id, new_date, data)


def _state_error(ctx: _Ctx, unit: str, what: str) -> LifecycleError:
    st = ctx.lc.units[unit].state
    hint = {
        PENDING_SIGN: "请先签收",
        IN_PROGRESS: "任务正在办理中",
        CLAIMED: "已申请办结,等待办公室审核",
        CLOSED: "任务已办结(销号)",
    }[st]
    return LifecycleError(f"计划“{ctx.plan}”任务 {ctx.task}({unit})当前为“{STATE_NAMES[st]}”,不能{what}:{hint}")


def _live(ctx: _Ctx) -> None:
    if ctx.archived:
        raise LifecycleError(f"计划“{ctx.plan}”任务 {ctx.task} 已归档(不在最新的任务分解表中),不能再办理")


def sign(
    store: Store,
    plan: str | None,
    task: str,
    *,
    unit: str | None = None,
    actor: str,
    note: str = "",
    at: datetime | None = None,
) -> LifecycleEvent:
    """签收: the unit acknowledges the task (待签收 → 办理中)."""
    with store.session(write=True) as s:
        ctx = _context(store, s, plan, task)
        _live(ctx)
        u = _unit(ctx, unit, [PENDING_SIGN])
        if ctx.lc.units[u].state != PENDING_SIGN:
            raise _state_error(ctx, u, "签收")
        return _write(store, s, ctx, u, SIGN, actor, at or _now(), note)


def request_extension(
    store: Store,
    plan: str | None,
    task: str,
    *,
    to: date,
    reason: str,
    unit: str | None = None,
    actor: str,
    at: datetime | None = None,
) -> LifecycleEvent:
    """延期申请: before the current deadline, for a later date, with a reason; the event id is the request id."""
    at = at or _now()
    if not str(reason or "").strip():
        raise LifecycleError("延期申请须写明理由(--reason)")
    with store.session(write=True) as s:
        ctx = _context(store, s, plan, task)
        _live(ctx)
        u = _unit(ctx, unit, [IN_PROGRESS, CLAIMED])
        st = ctx.lc.units[u].state
        if st == CLOSED:
            raise LifecycleError(f"计划“{ctx.plan}”任务 {ctx.task} 已办结(销号),不能申请延期")
        if st != IN_PROGRESS:
            raise _state_error(ctx, u, "申请延期")
        deadline = ctx.lc.deadline
        if deadline is None:
            raise LifecycleError(f"计划“{ctx.plan}”任务 {ctx.task} 没有具体完成时限(如长期任务),无需申请延期")
        if at.date() > deadline:
            raise LifecycleError(
                f"计划“{ctx.plan}”任务 {ctx.task} 的完成时限 {deadline.isoformat()} 已过,"
                f"延期须在时限届满前申请;请向领导小组办公室说明情况"
            )
        if to <= deadline:
            raise LifecycleError(
                f"申请的新时限 {to.isoformat()} 不晚于当前完成时限 {deadline.isoformat()},延期申请应填写更晚的日期"
            )
        if ctx.lc.pending_extension is not None:
            raise LifecycleError(
                f"计划“{ctx.plan}”任务 {ctx.task} 已有待审批的延期申请"
                f"(编号 {ctx.lc.pending_extension.id}),请等待办公室审批"
            )
        return _write(
            store,
            s,
            ctx,
            u,
            EXT_REQUEST,
            actor,
            at,
            reason.strip(),
            new_date=to,
            data={"deadline_before": deadline.isoformat()},
        )


def _event_ctx(
    store: Store, s: Session, event_id: int, kinds: Sequence[str], what: str
) -> tuple[_Ctx, SupervisionEventRow, str]:
    r = s.execute(_event_query().where(SupervisionEventRow.id == int(event_id))).first()
    if r is None or r[0].kind not in kinds:
        raise LifecycleError(f"找不到编号为 {event_id} 的{what}")
    row, plan, task, unit = r
    return _context(store, s, plan, task), row, unit


def decide_extension(
    store: Store,
    request_id: int,
    *,
    approve: bool,
    to: date | None = None,
    note: str = "",
    actor: str,
    at: datetime | None = None,
) -> LifecycleEvent:
    """延期审批: approve (with the requested or another later date) or reject with a note."""
    at = at or _now()
    with store.session(write=True) as s:
        ctx, row, unit = _event_ctx(store, s, request_id, [EXT_REQUEST], "延期申请")
        ext = next(e for e in ctx.lc.extensions if e.id == row.id)
        if ext.decision != "pending":
            raise LifecycleError(
                f"延期申请 {request_id} 已于 {ext.decided_at:%Y-%m-%d} "
                f"{'批准' if ext.decision == 'approved' else '驳回'},不能重复审批"
            )
        if ctx.lc.units[unit].state == CLOSED:
            raise LifecycleError(f"计划“{ctx.plan}”任务 {ctx.task} 已办结(销号),延期申请不再审批")
        if not approve:
            if not str(note or "").strip():
                raise LifecycleError("驳回延期申请须写明意见(--note)")
            return _write(store, s, ctx, unit, EXT_REJECTED, actor, at, note.strip(), ref_id=row.id)
        new = to or ext.requested_to
        if ctx.lc.deadline and new <= ctx.lc.deadline:
            raise LifecycleError(f"批准的新时限 {new.isoformat()} 应晚于当前完成时限 {ctx.lc.deadline.isoformat()}")
        return _write(
            store,
            s,
            ctx,
            unit,
            EXT_APPROVED,
            actor,
            at,
            (note or "").strip(),
            ref_id=row.id,
            new_date=new,
            data={
                "requested_to": ext.requested_to.isoformat(),
                "deadline_before": ctx.lc.deadline.isoformat() if ctx.lc.deadline else None,
            },
        )


def claim(
    store: Store,
    plan: str | None,
    task: str,
    *,
    evidence: Sequence[tuple[str, bytes]] = (),
    unit: str | None = None,
    note: str = "",
    actor: str,
    at: datetime | None = None,
    evidence_required: bool = True,
    root: os.PathLike | str | None = None,
) -> LifecycleEvent:
    """申请办结 with evidence files (checked by content before anything is written;办理中 → 申请办结)."""
    from pathlib import Path

    at = at or _now()
    checked: list[EvidenceFile] = [check_evidence(name, content) for name, content in evidence]
    if evidence_required and not checked:
        raise BadEvidence("申请办结须上传至少一份佐证材料(--evidence 文件),如会议纪要、文件、照片等")
    folder = Path(root) if root else files_dir()
    written: list[Path] = []
    try:
        with store.session(write=True) as s:
            ctx = _context(store, s, plan, task)
            _live(ctx)
            u = _unit(ctx, unit, [IN_PROGRESS])
            if ctx.lc.units[u].state != IN_PROGRESS:
                raise _state_error(ctx, u, "申请办结")
            for ev in checked:
                path, new = store_file(ev, folder)
                if new:
                    written.append(path)
            res = s.execute(
                insert(SupervisionEventRow).returning(SupervisionEventRow.id),
                [
                    {
                        "plan_id": ctx.plan_id,
                        "task_pk": ctx.task_pk,
                        "unit_id": ctx.units[u],
                        "kind": CLAIM,
                        "at": at,
                        "actor": actor,
                        "note": note or "",
                        "ref_id": None,
                        "new_date": at.date(),
                        "data": {},
                    }
                ],
            )
            eid = res.scalar_one()
            ids = []
            for ev in checked:
                r = s.execute(
                    insert(EvidenceFileRow).returning(EvidenceFileRow.id),
                    [
                        {
                            "sha256": ev.sha256,
                            "filename": ev.filename,
                            "size": ev.size,
                            "mime": ev.mime,
                            "task_pk": ctx.task_pk,
                            "unit_id": ctx.units[u],
                            "event_id": eid,
                            "uploaded_at": at,
                            "actor": actor,
                        }
                    ],
                )
                ids.append(r.scalar_one())
            s.execute(update(SupervisionEventRow).where(SupervisionEventRow.id == eid).values(data={"evidence": ids}))
            from .lifecycle_state import keep_unit_state  # it replays with this module's records

            keep_unit_state(s, ctx.task_pk, ctx.units[u], eid)
            bump_version(s, ctx.plan_id)
            store._audit(
                s,
                actor,
                CLAIM,
                f"{ctx.plan}/{ctx.task}",
                {
                    "event_id": eid,
                    "unit": u,
                    "note": note or "",
                    "evidence": [
                        {"id": i, "name": ev.filename, "sha256": ev.sha256, "size": ev.size}
                        for i, ev in zip(ids, checked)
                    ],
                },
            )
            return LifecycleEvent(eid, ctx.plan, ctx.task, u, CLAIM, actor, at, note or "", None, at.date(), tuple(ids))
    except BaseException:
        for p in written:  # a refused or failed claim leaves no file behind
            p.unlink(missing_ok=True)
        raise


def review(
    store: Store,
    plan: str | None,
    task: str,
    *,
    accept: bool,
    note: str = "",
    unit: str | None = None,
    actor: str,
    at: datetime | None = None,
) -> LifecycleEvent:
    """办结审核: accept → 已办结 (on the claim's date); return → 办理中 with the reason."""
    with store.session(write=True) as s:
        ctx = _context(store, s, plan, task)
        u = _unit(ctx, unit, [CLAIMED])
        lu = ctx.lc.units[u]
        if lu.state != CLAIMED:
            raise _state_error(ctx, u, "审核办结" if accept else "退回")
        if not accept and not str(note or "").strip():
            raise LifecycleError("退回须写明理由(--note),单位将在下次填报模板和工作台中看到")
        return _write(
            store,
            s,
            ctx,
            u,
            ACCEPTED if accept else RETURNED,
            actor,
            at or _now(),
            (note or "").strip(),
            ref_id=lu.claim_id,
            new_date=lu.claim_date if accept else None,
        )


def appeal(
    store: Store,
    plan: str | None,
    task: str,
    *,
    card: str,
    reason: str,
    unit: str | None = None,
    actor: str,
    at: datetime | None = None,
) -> LifecycleEvent:
    """申诉: a unit contests the card its task carries, with a reason."""
    if not str(reason or "").strip():
        raise LifecycleError("申诉须写明理由")
    if not str(card or "").strip():
        raise LifecycleError("申诉须指明针对的预警牌")
    with store.session(write=True) as s:
        ctx = _context(store, s, plan, task)
        u = _unit(ctx, unit)
        if any(a.decision == "pending" and a.unit == u for a in ctx.lc.appeals):
            raise LifecycleError(f"计划“{ctx.plan}”任务 {ctx.task} 已有待处理的申诉,请等待办公室决定")
        return _write(store, s, ctx, u, APPEAL, actor, at or _now(), reason.strip(), data={"card": card})


def decide_appeal(
    store: Store, appeal_id: int, *, uphold: bool, note: str, actor: str, at: datetime | None = None
) -> LifecycleEvent:
    """申诉处理: uphold (the card is withdrawn) or reject, with a note."""
    if not str(note or "").strip():
        raise LifecycleError("处理申诉须写明意见")
    with store.session(write=True) as s:
        ctx, row, unit = _event_ctx(store, s, appeal_id, [APPEAL], "申诉")
        ap = next(a for a in ctx.lc.appeals if a.id == row.id)
        if ap.decision != "pending":
            raise LifecycleError(f"申诉 {appeal_id} 已处理,不能重复处理")
        return _write(
            store,
            s,
            ctx,
            unit,
            APPEAL_UPHELD if uphold else APPEAL_REJECTED,
            actor,
            at or _now(),
            note.strip(),
            ref_id=row.id,
            data={"card": ap.card},
        )


# -- evidence -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceInfo:
    id: int
    plan: str
    task: str
    unit: str
    filename: str
    size: int
    mime: str
    sha256: str
    uploaded_at: datetime
    actor: str
    event_id: int


def evidence_list(
    store: Store, plan: str | None = None, task: str | None = None, *, ids: Sequence[int] | None = None
) -> list[EvidenceInfo]:
    """Stored evidence descriptions (of a task, or by id)."""
    with store.session() as s:
        q = (
            select(EvidenceFileRow, PlanRow.key, TaskRow.task_id, UnitRow.name)
            .join(TaskRow, TaskRow.id == EvidenceFileRow.task_pk)
            .join(PlanRow, PlanRow.id == TaskRow.plan_id)
            .join(UnitRow, UnitRow.id == EvidenceFileRow.unit_id)
        )
        if ids is not None:
            q = q.where(EvidenceFileRow.id.in_([int(i) for i in ids]))
        else:
            q = q.where(TaskRow.plan_id == store._plan_id(s, plan))
            if task is not None:
                q = q.where(TaskRow.task_id == str(task))
        return [
            EvidenceInfo(r.id, p, t, u, r.filename, r.size, r.mime, r.sha256, r.uploaded_at, r.actor, r.event_id)
            for r, p, t, u in s.execute(q.order_by(EvidenceFileRow.id))
        ]


def evidence_bytes(store: Store, evidence_id: int, root: os.PathLike | str | None = None) -> tuple[EvidenceInfo, bytes]:
    """One evidence file's description and bytes (callers check who may download it)."""
    from pathlib import Path

    from .evidence import read_file

    found = evidence_list(store, ids=[evidence_id])
    if not found:
        raise LifecycleError(f"找不到编号为 {evidence_id} 的佐证材料")
    return found[0], read_file(found[0].sha256, Path(root) if root else None)


def sign_due(assigned_on: date | None, within: int) -> date | None:
    """The last day to sign: ``within`` working days after the task was assigned."""
    return add_working_days(assigned_on, within) if assigned_on and within > 0 else None


@dataclass(frozen=True)
class QueueItem:
    """Something waiting for the office: a pending extension request, claim or appeal."""

    kind: str  # extension | claim | appeal
    id: int  # request / claim / appeal event id
    plan: str
    task: str
    unit: str
    at: datetime
    text: str  # reason / note
    new_date: date | None = None
    evidence: tuple[int, ...] = ()


@dataclass(frozen=True)
class _QueueTask:
    """What :func:`replay` reads of a task."""

    pk: int
    plan: str
    id: str
    deadline: date | None


def _queue_tasks(s: Session, plan_id: int, pks: Any = None, ids: Sequence[str] | None = None) -> list[_QueueTask]:
    """The plan's live tasks among ``pks`` (a subquery) or with the task ids ``ids``."""
    q = (
        select(TaskRow.id, PlanRow.key, TaskRow.task_id, TaskRow.deadline)
        .join(PlanRow, PlanRow.id == TaskRow.plan_id)
        .where(TaskRow.plan_id == plan_id, TaskRow.archived.is_(False))
    )
    q = q.where(TaskRow.id.in_(pks)) if pks is not None else q.where(TaskRow.task_id.in_(list(ids or ())))
    return [_QueueTask(*r) for r in s.execute(q.order_by(TaskRow.id))]


def office_queue(store: Store, plan: str | None) -> list[QueueItem]:
    """What waits for the office's decision in a plan (oldest first).

    >>> office_queue(Store("sqlite://"), None)   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tasks.store.repo.StoreError: ...
    """
    from .lifecycle_state import kept_lifecycles  # it reads this module's records

    out = []
    # only tasks with stored steps can wait for a decision: those with a kept state row (one for every
    # task and unit with a step), read from the kept state; else replay the steps of those tasks
    with store.session() as s:
        pid = store._plan_id(s, plan)
        live = _queue_tasks(s, pid, select(LifecycleStateRow.task_pk).distinct())
    done = kept_lifecycles(store, live, task_units(store, plan, pks=[t.pk for t in live]), plan, date.max)
    if done is None:
        evs = events(store, plan)
        wanted = sorted({e.task for e in evs})
        with store.session() as s:
            live = [
                t for i in range(0, len(wanted), 500)
                for t in _queue_tasks(s, pid, None, wanted[i : i + 500])
            ]  # fmt: skip
        done = replay(live, task_units(store, plan, pks=[t.pk for t in live]), evs) if live else {}
    for lc in done.values():
        for e in lc.extensions:
            if e.decision == "pending":
                out.append(
                    QueueItem("extension", e.id, lc.plan, lc.task, e.unit, e.requested_at, e.reason, e.requested_to)
                )
        for u in lc.units.values():
            if u.state == CLAIMED and u.claim_id is not None:
                out.append(
                    QueueItem(
                        "claim",
                        u.claim_id,
                        lc.plan,
                        lc.task,
                        u.unit,
                        datetime.combine(u.claim_date or date.today(), datetime.min.time()),
                        "",
                        u.claim_date,
                        tuple(u.evidence),
                    )
                )
        for a in lc.appeals:
            if a.decision == "pending":
                out.append(QueueItem("appeal", a.id, lc.plan, lc.task, a.unit, a.filed_at, a.reason))
    return sorted(out, key=lambda q: (q.at, q.id))
