"""Status of every task as of a date, from the append-only history.

The state on any date is what the reports whose report date (填报日期) is on or
before it say, so ``as_of=2021-09-30`` gives the state as reported for that day.
Statuses: ``done, on_track, at_risk, overdue, ongoing, not_started``; cards come
from the rules file.

Two ways give the same statuses (a test compares them day by day):

- :func:`kept_compute` (what :func:`snapshot` uses) reads the kept tables that each
  upload maintains in its own transaction (:mod:`tasks.store.kept`): the latest
  report of each task and unit (an index seek per pair for a past date) and the
  periods each task reported with their first report dates (one row per task);
  the owed, missed and late periods are counted with numpy.  Its cost grows with
  the number of tasks, not with the length of the history.  Lifecycles are
  replayed from their events (a handful per task).
- :func:`compute` replays every report up to the date (``snapshot(..., replay=True)``;
  also used when "done" is a reported 已完成 or cards escalate).

Definitions (all dates inclusive):
- a task's progress is its lead units' latest report (any unit's if no lead reported);
- ``done``: that report says 已完成; ``overdue``: past the deadline and not done;
- ``ongoing`` (长期) tasks: ``ongoing`` while they report every period, else ``at_risk``;
- ``at_risk``: reported 滞后, or progress behind the share of time elapsed since the
  plan's date by more than ``at_risk_gap`` points; ``not_started``: nothing reported;
- a task added by a later re-import owes reports (and its time share runs) from the day it was added;
- a period is owed once its due date has passed; ``missed_reports`` counts the
  latest owed periods in a row with no report on the task from any unit;
- each lead unit owes a report on each of its open tasks for each period (duties).

>>> snap = snapshot(store, date(2021, 11, 10))            # doctest: +SKIP
>>> [(s.id, s.status, s.card) for s in snap.statuses][:2]  # doctest: +SKIP
[('1', 'on_track', None), ('2', 'overdue', 'red')]
"""

from __future__ import annotations

import threading
import weakref
from collections import defaultdict
from collections.abc import Callable
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any, NamedTuple

import numpy as np

from core.gcpause import pause_gc, paused_gc

from ..model import ONGOING
from ..store import BadPeriod, PeriodInfo, ReportRecord, Store, StoredTask, StoreLike, parse_period, raw_store
from ..store.kept import latest_pairs, period_blobs, unit_names, unpack_periods
from ..store.periods import PlanCalendar
from .lifecycle import (
    CLOSED,
    IN_PROGRESS,
    PENDING_SIGN,
    STATE_NAMES,
    STATES,
    LifecycleEvent,
    TaskLifecycle,
    lifecycle_as_of,
    sign_due,
)
from .lifecycle import replay as replay_lifecycles
from .rules import _OPS, STATUS_NAMES, Rules, load_rules

DONE_STATUS, LAGGING = "已完成", "滞后"
_STATE_RANK = {s: i for i, s in enumerate(STATES)}


@dataclass(slots=True)  # 50,000 of them in a cached snapshot: no per-object __dict__ for the collector to walk
class TaskStatus:
    """One task's state as of a date, with the figures behind it.

    Parameters
    ----------
    plan, id, title, section : str
        The task's plan key, number, title and section.
    deadline : date or None
        The current deadline (after approved extensions).
    deadline_text : str
        The deadline as the plan wrote it.
    lead_units, responsible_units : list of str
        The lead (牵头) and responsible (责任) units.
    status : str
        ``done``, ``on_track``, ``at_risk``, ``overdue``, ``ongoing`` or ``not_started``.
    status_label : str
        Its Chinese label.
    **figures
        The remaining fields (progress, reports missed and late, overdue days, the card and its
        reason, the supervision lifecycle) default to "nothing known".

    Examples
    --------
    >>> ts = TaskStatus("示例", "2", "任务二", "", date(2021, 9, 30), "9月底前", ["市公安局"], [], "overdue", "逾期")
    >>> ts.to_dict()["deadline"], ts.missed_reports, ts.card
    ('2021-09-30', 0, None)
    """

    plan: str
    id: str
    title: str
    section: str
    deadline: date | None
    deadline_text: str
    lead_units: list[str]
    responsible_units: list[str]
    status: str
    status_label: str
    percent: float = 0.0
    expected: float | None = None
    gap: float | None = None
    last_report_date: date | None = None
    last_status: str = ""
    last_progress: str = ""
    last_problems: str = ""
    reported_by: str = ""
    missed_reports: int = 0
    total_missed: int = 0
    late_reports: int = 0
    overdue_days: int = 0
    done_date: date | None = None
    done_on_time: bool = False
    card: str | None = None
    card_name: str = ""
    card_color: str = ""
    card_reason: str = ""
    #: 督办: lifecycle (pending_sign / in_progress / claimed / closed) and the per-unit states
    lifecycle: str = "in_progress"
    lifecycle_label: str = "办理中"
    unit_lifecycle: dict[str, str] = field(default_factory=dict)
    #: the deadline as first set; ``deadline`` is the current one (after approved extensions)
    original_deadline: date | None = None
    extensions: list[dict[str, Any]] = field(default_factory=list)
    claim_date: date | None = None
    returned_note: str = ""
    sign_due: date | None = None
    sign_overdue: bool = False
    #: the card(s) the task carries, each with the rule behind it and any appeal
    cards: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The status as JSON (dates as ISO text).

        Returns
        -------
        dict
            Every field; ``deadline``, ``last_report_date``, ``done_date``, ``original_deadline``,
            ``claim_date`` and ``sign_due`` as ISO text or None.

        Examples
        --------
        >>> ts = TaskStatus("示例", "2", "任务二", "", date(2021, 9, 30), "9月底前", ["市公安局"], [], "overdue", "逾期")
        >>> d = ts.to_dict()
        >>> d["id"], d["deadline"], d["status"], d["done_date"]
        ('2', '2021-09-30', 'overdue', None)
        """
        d = asdict(self)
        for k in ("deadline", "last_report_date", "done_date", "original_deadline", "claim_date", "sign_due"):
            d[k] = d[k].isoformat() if d[k] else None
        return d


@dataclass(slots=True)  # millions of them at province size: no per-object __dict__
class UnitDuty:
    """A unit's obligation to report one task for one period, and what it did."""

    unit: str
    task_pk: int
    task_id: str
    period: str
    due: date
    reported: date | None = None  # first report date for this period (≤ as_of)

    @property
    def on_time(self) -> bool:
        return self.reported is not None and self.reported <= self.due


@dataclass(frozen=True)
class DutyCounts:
    """A snapshot's reporting duties counted per (plan, unit, period key, due date): how many were
    owed, how many reported by the snapshot's date, and how many of those on time.

    What the scorecards, the 报送率 and the region comparison read: one cell per unit and period
    instead of one :class:`UnitDuty` per task, unit and period (two million at 50,000 tasks after
    36 months).

    >>> d = [UnitDuty("甲", 1, "1", "2021-09", date(2021, 10, 5), date(2021, 10, 7)),
    ...      UnitDuty("甲", 2, "2", "2021-09", date(2021, 10, 5))]
    >>> c = DutyCounts.of(d, {1: "p", 2: "p"})
    >>> c.cells, c.period("2021-09"), c.period("2021-10")
    ({('p', '甲', '2021-09', datetime.date(2021, 10, 5)): (2, 1, 0)}, (2, 1), (0, 0))
    """

    #: (plan, unit, period key, due) → (duties, reported, reported on time)
    cells: dict[tuple[str, str, str, date], tuple[int, int, int]]

    @classmethod
    def of(cls, duties: list[UnitDuty], plan_of: dict[int, str]) -> DutyCounts:
        """Count a list of duties (``plan_of``: task pk → plan key)."""
        acc: dict[tuple[str, str, str, date], tuple[int, int, int]] = {}
        for d in duties:
            key = (plan_of.get(d.task_pk, ""), d.unit, d.period, d.due)
            n, r, o = acc.get(key, (0, 0, 0))
            if d.reported is None:
                acc[key] = (n + 1, r, o)
            else:
                acc[key] = (n + 1, r + 1, o + (d.reported <= d.due))
        return cls(acc)

    def period(self, key: str) -> tuple[int, int]:
        """(duties, reported) of one period key, over every plan and unit."""
        n = r = 0
        for (_plan, _unit, period, _due), (dn, dr, _do) in self.cells.items():
            if period == key:
                n += dn
                r += dr
        return n, r


_LAZY = frozenset({"duties", "reports"})


@dataclass
class Snapshot:
    """Everything derived for one date: task statuses and reporting duties.

    Parameters
    ----------
    as_of : date
        The date.
    rules : Rules
        The rules the statuses and cards follow.
    tasks : list of StoredTask
        The live tasks.
    statuses : list of TaskStatus
        One per task.
    duties : list of UnitDuty, optional
        Every unit's reporting duty per task and period, and what it did.
    periods : list of PeriodInfo, optional
        The reporting periods.
    reports : list of ReportRecord, optional
        The reports up to ``as_of``.

    Examples
    --------
    >>> from tasks.progress.rules import default_rules
    >>> ts = TaskStatus("示例", "1", "任务一", "", None, "", ["市财政局"], [], "on_track", "正常推进")
    >>> snap = Snapshot(date(2021, 10, 20), default_rules(), [], [ts])
    >>> snap.by_id("1").status, snap.counts()["on_track"], snap.compliance()
    ('on_track', 1, None)
    """

    as_of: date
    rules: Rules
    tasks: list[StoredTask]
    statuses: list[TaskStatus]
    duties: list[UnitDuty] = field(default_factory=list)
    periods: list[PeriodInfo] = field(default_factory=list)
    reports: list[ReportRecord] = field(default_factory=list)
    #: ``duties``/``reports`` read on first use (:func:`kept_compute`: most callers never need them)
    _loaders: dict[str, Callable[[], list]] = field(default_factory=dict, repr=False, compare=False)
    #: the kept path's duty counter (:class:`_KeptDuties`): counts without listing every duty
    _kept: Any = field(default=None, repr=False, compare=False)
    _counts: Any = field(default=None, repr=False, compare=False)

    def __getattribute__(self, name: str) -> Any:
        if name in _LAZY:
            loaders = object.__getattribute__(self, "_loaders")
            if name in loaders:
                value = loaders.pop(name)()
                object.__setattr__(self, name, value)
                return value
        return object.__getattribute__(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _LAZY:  # a value set by a caller replaces what would have been read
            with suppress(AttributeError):  # not yet made (in __init__)
                object.__getattribute__(self, "_loaders").pop(name, None)
        object.__setattr__(self, name, value)

    def by_id(self, task_id: str, plan: str | None = None) -> TaskStatus:
        """The status of task ``task_id`` (of ``plan`` when given).

        Parameters
        ----------
        task_id : str
            The task's number in its plan.
        plan : str, optional
            The plan's key (needed when several plans have a task with that number).

        Returns
        -------
        TaskStatus
            The first matching status.

        Raises
        ------
        KeyError
            When the snapshot has no such task.

        Examples
        --------
        >>> from tasks.progress import snapshot
        >>> snap = snapshot(store, date(2021, 10, 20))
        >>> s = snap.by_id("2", plan="demo")
        >>> s.title, s.status, s.card
        ('清单管理', 'overdue', 'red')
        """
        for s in self.statuses:
            if s.id == task_id and (plan is None or s.plan == plan):
                return s
        raise KeyError(task_id)

    def counts(self) -> dict[str, int]:
        """How many tasks are in each status.

        Returns
        -------
        dict
            Every key of ``STATUS_NAMES`` (``done``, ``on_track``, ``at_risk``, ``overdue``, ``ongoing``,
            ``not_started``), with 0 for the statuses no task has.

        Examples
        --------
        >>> from tasks.progress import snapshot
        >>> snapshot(store, date(2021, 10, 20)).counts()
        {'done': 0, 'on_track': 1, 'at_risk': 1, 'overdue': 1, 'ongoing': 0, 'not_started': 0}
        """
        out = dict.fromkeys(STATUS_NAMES, 0)
        for s in self.statuses:
            out[s.status] += 1
        return out

    def due_within(self, days: int) -> list[TaskStatus]:
        """Unfinished tasks whose deadline falls in the next ``days`` days (from ``as_of``), soonest first.

        Parameters
        ----------
        days : int
            How far ahead to look.

        Returns
        -------
        list of TaskStatus
            Tasks not done with a deadline from ``as_of`` to ``as_of + days``, by deadline.

        Examples
        --------
        >>> from tasks.progress.rules import default_rules
        >>> def ts(i, d, status="on_track"): return TaskStatus("p", i, "", "", d, "", [], [], status, "")
        >>> snap = Snapshot(date(2021, 9, 1), default_rules(), [], [ts("1", date(2021, 9, 20)),
        ...     ts("2", date(2021, 9, 10)), ts("3", date(2021, 9, 5), "done"), ts("4", date(2021, 12, 1))])
        >>> [s.id for s in snap.due_within(30)]
        ['2', '1']
        """
        end = self.as_of + timedelta(days=days)
        soon = [s for s in self.statuses if s.deadline and self.as_of <= s.deadline <= end and s.status != "done"]
        return sorted(soon, key=lambda s: s.deadline or self.as_of)  # every one has a deadline

    def latest_due_period(self) -> str | None:
        """The most recent reporting period whose deadline has passed by ``as_of`` (the one to check).

        Returns
        -------
        str or None
            The period's key, or None when no period is due yet.

        Examples
        --------
        >>> from tasks.progress import snapshot
        >>> snapshot(store, date(2021, 10, 20)).latest_due_period(), snapshot(store, date(2021, 10, 1)).latest_due_period()
        ('2021-09', None)
        """
        due = [p for p in self.periods if p.due < self.as_of]
        return due[-1].key if due else None

    def compliance(self, period: str | None = None) -> float | None:
        """Share of ``period``'s reporting duties that were met (default: :meth:`latest_due_period`).

        None when nothing was due: a rate of 100% would claim reports nobody owed.

        Parameters
        ----------
        period : str, optional
            The period's key (default: the latest period that is due).

        Returns
        -------
        float or None
            Duties reported over duties owed; None when none were owed.

        Examples
        --------
        >>> from tasks.progress import snapshot
        >>> snap = snapshot(store, date(2021, 10, 20))   # of three lead units, only 市财政局 reported
        >>> round(snap.compliance(), 3), snap.compliance("2021-10")
        (0.333, None)
        """
        period = period or self.latest_due_period()
        n, reported = self.duty_counts().period(period) if period else (0, 0)
        return reported / n if n else None

    def duty_counts(self) -> DutyCounts:
        """The duties counted per plan, unit and period (:class:`DutyCounts`); the kept path counts
        them from the kept tables without listing them (computed once per snapshot).

        Returns
        -------
        DutyCounts
            (duties, reported, reported on time) per (plan, unit, period key, due date).

        Examples
        --------
        >>> from tasks.progress import snapshot
        >>> counts = snapshot(store, date(2021, 10, 20)).duty_counts()   # three lead units owe 2021-09
        >>> counts.period("2021-09"), counts.period("2021-10")
        ((3, 1), (0, 0))
        """
        counts = object.__getattribute__(self, "_counts")
        if counts is None:
            if self._kept is not None and "duties" in object.__getattribute__(self, "_loaders"):
                counts = self._kept.counts()
            else:
                counts = DutyCounts.of(self.duties, {t.pk: t.plan for t in self.tasks})
            object.__setattr__(self, "_counts", counts)
        return counts

    def past_done_overdue(self, days: list[date]) -> dict[date, tuple[int, int]] | None:
        """(done, overdue) as of each of ``days`` (on or before ``as_of``) as :func:`compute` from the
        reports alone counts them, read from the kept tables; None when this snapshot is not kept
        (replay its ``reports`` then).

        Parameters
        ----------
        days : list of date
            The days to count at (e.g. month ends), none after the snapshot's date.

        Returns
        -------
        dict or None
            ``{day: (done tasks, overdue tasks)}``; None for a replayed snapshot.

        Examples
        --------
        >>> from tasks.progress import snapshot
        >>> snapshot(store, date(2021, 10, 20)).past_done_overdue([date(2021, 9, 30), date(2021, 10, 20)])
        {datetime.date(2021, 9, 30): (0, 1), datetime.date(2021, 10, 20): (0, 1)}
        """
        if self._kept is None:
            return None
        return self._kept.done_overdue(days)

    def unreported(self, period: str) -> list[UnitDuty]:
        """The duties of period key ``period`` not reported by the snapshot's date, in task order
        (then lead-unit order): what :func:`~tasks.progress.reminders` lists.

        Parameters
        ----------
        period : str
            The period key, e.g. ``"2021-09"``.

        Returns
        -------
        list of UnitDuty
            One per lead unit and task that owed the period and has not reported it.

        Examples
        --------
        >>> from tasks.progress import snapshot
        >>> [(d.unit, d.task_id, d.due) for d in snapshot(store, date(2021, 10, 20)).unreported("2021-09")]
        [('市司法局', '2', datetime.date(2021, 10, 5)), ('市政务服务中心', '3', datetime.date(2021, 10, 5))]
        """
        if self._kept is not None and "duties" in object.__getattribute__(self, "_loaders"):
            return self._kept.unreported(period)
        return [d for d in self.duties if d.period == period and d.reported is None]


def _pick_chain(t: StoredTask, reps: list[ReportRecord]) -> list[ReportRecord]:
    """The reports that speak for the task: its lead units' if any, else everyone's."""
    lead = [r for r in reps if r.unit in t.lead_units]
    return lead or reps


@dataclass
class Supervision:
    """What the supervision loop adds to a replay: plan calendars and task lifecycles (as of the date)."""

    calendars: dict[str, PlanCalendar] = field(default_factory=dict)
    lifecycles: dict[int, TaskLifecycle] = field(default_factory=dict)
    #: the inputs of the replay, to see the loop as of an earlier date
    units: dict[int, list[str]] = field(default_factory=dict)
    #: the steps replayed; None: the lifecycles came from the kept state
    events: list[LifecycleEvent] | None = field(default_factory=list)

    def at(self, as_of: date, tasks: list[StoredTask]) -> Supervision:
        """The same loop as of an earlier date, for ``tasks``: replayed from the steps, or (kept
        state) derived from the times the lifecycles carry (:func:`~tasks.progress.lifecycle.lifecycle_as_of`:
        exact for what cards read)."""
        if self.events is None:
            lcs = {t.pk: lifecycle_as_of(self.lifecycles[t.pk], as_of) for t in tasks if t.pk in self.lifecycles}
        else:
            lcs = replay_lifecycles(tasks, self.units, self.events, as_of, ordered=True)
        return Supervision(self.calendars, lcs, self.units, self.events)


def _plan_start(t: StoredTask, periods: list[PeriodInfo], cal: PlanCalendar | None = None) -> date | None:
    """When the task's clock starts: the plan's calendar start (else its date, else the day it was
    loaded), or the day a later re-import added it."""
    start = (cal.start if cal else None) or t.plan_issued or t.plan_loaded or (periods[0].start if periods else None)
    if t.added_on and (start is None or t.added_on > start):
        return t.added_on
    return start


def _calendar_periods(cal: PlanCalendar, as_of: date, rules: Rules) -> list[PeriodInfo]:
    return [PeriodInfo(p.key, p.start, p.end, due, False) for p, due in cal.periods(as_of, rules.grace_days)]


def _figures(
    t: StoredTask,
    as_of: date,
    rules: Rules,
    start: date | None,
    deadline: date | None,
    done_date: date | None,
    last: ReportRecord | _Last | None,
    n_owed: int,
    streak: int,
) -> tuple[str, float, float | None, float | None, int]:
    """(status, percent, expected percent, gap, overdue days) of one task."""
    percent = float(last.percent) if last else 0.0
    expected = gap = None
    if deadline and start:
        span = (deadline - start).days
        if span <= 0:  # deadline on or before the plan's start: all the time is used up at the deadline
            share = 1.0 if as_of >= deadline else 0.0
        else:
            share = min(1.0, max(0.0, (as_of - start).days / span))
        expected = round(share * 100, 1)
        gap = round(expected - percent, 1)
    overdue_days = (as_of - deadline).days if deadline and as_of > deadline and not done_date else 0
    if done_date:
        status = "done"
    elif overdue_days > 0:
        status = "overdue"
    elif t.deadline_kind == ONGOING:
        status = "ongoing" if streak == 0 and (last is not None or not n_owed) else "at_risk"
    elif last and last.status == LAGGING or gap is not None and gap > rules.at_risk_gap:
        status = "at_risk"
    elif not last or (last.status == "未启动" and percent == 0):
        status = "not_started"
    else:
        status = "on_track"
    return status, percent, expected, gap, overdue_days


def _task_status(
    t: StoredTask,
    as_of: date,
    rules: Rules,
    start: date | None,
    deadline: date | None,
    done_date: date | None,
    last: ReportRecord | _Last | None,
    n_owed: int,
    streak: int,
    total_missed: int,
    late: int,
    lc: TaskLifecycle | None,
    memo: dict[tuple, Any] | None = None,
) -> TaskStatus:
    """One task's status from the figures a replay (or the kept tables) gives for it."""
    status, percent, expected, gap, overdue_days = _figures(
        t, as_of, rules, start, deadline, done_date, last, n_owed, streak
    )
    if status == "done":  # 已办结 (销号): nothing is owed any more, so no run of missed reports and no card for it
        streak = 0
    scored_deadline = deadline if rules.extended_deadline_counts else t.deadline
    ts = TaskStatus(
        plan=t.plan,
        id=t.id,
        title=t.title,
        section=t.section,
        deadline=deadline,
        deadline_text=t.deadline_text,
        lead_units=t.lead_units,
        responsible_units=t.responsible_units,
        status=status,
        status_label=STATUS_NAMES[status],
        percent=percent,
        expected=expected,
        gap=gap,
        last_report_date=last.report_date if last else None,
        last_status=last.status if last else "",
        last_progress=last.progress if last else "",
        last_problems=last.problems if last else "",
        reported_by=last.unit if last else "",
        missed_reports=streak,
        total_missed=total_missed,
        late_reports=late,
        overdue_days=overdue_days,
        done_date=done_date,
        done_on_time=bool(done_date and (scored_deadline is None or done_date <= scored_deadline)),
        original_deadline=t.deadline,
    )
    if lc is not None:
        # TaskLifecycle.state / .returned_note, read in one pass over the units (50,000 tasks)
        units = lc.units
        if len(units) == 1:  # most tasks have one lead unit: the same figures without the passes
            ((u, v),) = units.items()
            state = v.state
            ts.unit_lifecycle = {u: state}
            ts.claim_date = v.claim_date or None
            ts.returned_note = v.returned_note if v.returned_note and state == IN_PROGRESS else ""
        else:
            ts.unit_lifecycle = {u: v.state for u, v in units.items()}
            state = min(ts.unit_lifecycle.values(), key=_STATE_RANK.__getitem__) if units else IN_PROGRESS
            claims = [v.claim_date for v in units.values() if v.claim_date]
            ts.claim_date = max(claims) if claims else None
            notes = [v.returned_note for v in units.values() if v.returned_note and v.state == IN_PROGRESS]
            ts.returned_note = ";".join(notes) if notes else ""
        ts.lifecycle, ts.lifecycle_label = state, STATE_NAMES[state]
        if lc.extensions:
            ts.extensions = [e.to_dict() for e in lc.extensions]
        if state == PENDING_SIGN:
            key = ("sign_due", t.assigned_on)
            if memo is None or key not in memo:
                due = sign_due(t.assigned_on, rules.sign_within_days)
                if memo is None:
                    ts.sign_due = due
                else:
                    memo[key] = due
            ts.sign_due = memo[key] if memo is not None else ts.sign_due
            ts.sign_overdue = bool(ts.sign_due and as_of > ts.sign_due)
    elif done_date:
        ts.lifecycle, ts.lifecycle_label = CLOSED, STATE_NAMES[CLOSED]
    card = _card_of(rules, (status, streak, late, overdue_days, gap if gap is not None else 0), memo)
    if card is not None:
        ts.card, ts.card_name, ts.card_color, ts.card_reason = card
    return ts


def _card_of(
    rules: Rules, figures: tuple[str, int, int, int, float], memo: dict[tuple, Any] | None = None
) -> tuple[str, str, str, str] | None:
    """(key, name, colour, reason) of the card that ``figures`` (status, missed in a row, late,
    overdue days, gap) earn under ``rules``, or None; ``memo`` (one per computation) words each
    distinct set of figures once."""
    if memo is not None:
        key = _card_key(rules, figures, memo)
        if key in memo:
            return memo[key]
    status, streak, late, overdue_days, gap = figures
    metrics = {
        "status": status,
        "missed_reports": streak,
        "late_reports": late,
        "overdue_days": overdue_days,
        "gap": gap,
    }
    level = rules.card(metrics)
    out = None
    if level:
        reason = ";".join(dict.fromkeys(c.reason(metrics) for c in level.when if c.holds(metrics)))
        out = (level.key, level.name, level.color, reason)
    if memo is not None:
        memo[key] = out
    return out


_FIGURES = ("missed_reports", "late_reports", "overdue_days", "gap")  # figures[1:] of _card_of


def _card_key(rules: Rules, figures: tuple[str, int, int, int, float], memo: dict[tuple, Any]) -> tuple:
    """The part of ``figures`` that decides the card and its wording under ``rules``: a number no
    condition reads, or that meets none of the conditions on it, stands as None (it changes neither
    the level nor the reason), so tasks differing only there share one memo entry.  The overdue days
    stay whenever the status is read (the reason for "status == overdue" quotes them).

    >>> from tasks.progress.rules import default_rules
    >>> rules = default_rules()
    >>> memo = {}
    >>> _card_key(rules, ("on_track", 0, 0, 0, 3.25), memo) == _card_key(rules, ("on_track", 0, 0, 0, 4.5), memo)
    True
    >>> _card_of(rules, ("overdue", 0, 0, 12, 3.25), memo)[3], _card_of(rules, ("overdue", 0, 0, 13, 3.25), memo)[3]
    ('已逾期12天', '已逾期13天')
    """
    plan = memo.get(_CARD_PLAN)
    if plan is None or plan[0] is not rules:
        conds = [c for lv in rules.levels for c in lv.when]
        status_read = any(c.metric == "status" for c in conds)
        by_figure = [
            (i, tuple((_OPS[c.op], c.value) for c in conds if c.metric == m))
            for i, m in enumerate(_FIGURES, 1)
            if not (m == "overdue_days" and status_read)
        ]
        plan = memo[_CARD_PLAN] = (rules, [(i, t) for i, t in by_figure if t], [i for i, t in by_figure if not t])
    _rules, read, unread = plan
    out: list[Any] = list(figures)
    for i in unread:
        out[i] = None
    for i, tests in read:
        v = out[i]
        for op, value in tests:
            if op(v, value):
                break
        else:
            out[i] = None
    return tuple(out)


_CARD_PLAN = ("card conditions",)  # the memo's entry for the rules' conditions by figure


def compute(
    tasks: list[StoredTask],
    reports: list[ReportRecord],
    periods: list[PeriodInfo],
    as_of: date,
    rules: Rules,
    *,
    escalate: bool = True,
    supervision: Supervision | None = None,
    recover: bool = True,
) -> Snapshot:
    """Pure replay: statuses and duties from plain data (reports after ``as_of`` are ignored).

    With ``supervision``, a plan with its own calendar owes its own periods (from its start),
    "done" means 已办结 when ``rules.completion_review``, and deadlines follow approved extensions.

    Parameters
    ----------
    tasks : list of StoredTask
        The live tasks.
    reports : list of ReportRecord
        The reports (those after ``as_of`` are ignored).
    periods : list of PeriodInfo
        The reporting periods.
    as_of : date
        The date.
    rules : Rules
        The warning and scoring rules.
    escalate : bool, optional
        Escalate cards held over ``rules.escalate_after`` period ends (default True).
    supervision : Supervision, optional
        Plan calendars and task lifecycles (:func:`supervision_data`).
    recover : bool, optional
        Let a top card drop to ``rules.recover_to`` once the unit has caught up (default True).

    Returns
    -------
    Snapshot
        The statuses and duties as of ``as_of``.

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.store import Store
    >>> from tasks.model import Plan, Task
    >>> from tasks.progress import commit_upload, fill_template, template_bytes, validate_upload
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(Plan("示例", date=date(2021, 8, 1), tasks=[
    ...     Task("1", "任务一", lead_units=["市财政局"], deadline=date(2021, 12, 31)),
    ...     Task("2", "任务二", lead_units=["市公安局"], deadline=date(2021, 9, 30))]), actor="doc")
    >>> data = fill_template(template_bytes(store, "市财政局", "2021-09"), {"1": {"status": "推进中", "percent": 40}})
    >>> _ = commit_upload(store, validate_upload(store, data, "财政局.xlsx", today=date(2021, 9, 28)), actor="doc")
    >>> from tasks.progress import default_rules
    >>> snap = compute(store.tasks("示例"), store.reports(), store.periods(), date(2021, 10, 20), default_rules())
    >>> [(s.id, s.status, s.card) for s in snap.statuses]
    [('1', 'on_track', None), ('2', 'overdue', 'red')]
    """
    all_reports = reports
    sup = supervision
    cal_periods: dict[str, list[PeriodInfo]] = {}
    period_key: dict[tuple[str, str], str] = {}
    reports = [r for r in reports if r.report_date <= as_of]
    by_task: dict[int, list[ReportRecord]] = defaultdict(list)
    for r in sorted(reports, key=lambda r: (r.report_date, r.id)):
        by_task[r.task_pk].append(r)
    periods = sorted(periods, key=lambda p: p.start)
    statuses, duties = [], []
    lifecycles_by_status: list[TaskLifecycle | None] = []
    memo: dict[tuple, Any] = {}
    for t in tasks:
        reps = by_task.get(t.pk, [])
        chain = _pick_chain(t, reps)
        last = chain[-1] if chain else None
        cal = sup.calendars.get(t.plan) if sup else None
        lc = sup.lifecycles.get(t.pk) if sup else None
        deadline = lc.deadline if lc else t.deadline
        done_date = None
        if lc is not None and rules.completion_review:
            done_date = lc.closed_date
        else:
            for r in chain:
                if r.status == DONE_STATUS:
                    done_date = done_date or r.report_date
                else:
                    done_date = None
        start = _plan_start(t, periods, cal)
        task_periods = periods
        if cal is not None:
            if t.plan not in cal_periods:
                cal_periods[t.plan] = _calendar_periods(cal, as_of, rules)
            task_periods = cal_periods[t.plan]

        def pkey(r: ReportRecord, t: StoredTask = t, cal: PlanCalendar | None = cal) -> str:
            if cal is None:
                return r.period
            k = (t.plan, r.period)
            if k not in period_key:
                try:
                    period_key[k] = cal.period_of(parse_period(r.period).start).key
                except BadPeriod:
                    period_key[k] = r.period
            return period_key[k]

        # reporting periods this task owes: due by as_of, not before the plan, not after completion
        owed = [
            p
            for p in task_periods
            if p.due < as_of and (start is None or p.end >= start) and (done_date is None or done_date >= p.start)
        ]
        first_report: dict[str, date] = {}
        for r in reps:
            first_report.setdefault(pkey(r), r.report_date)
        streak = 0
        for p in owed:
            streak = 0 if p.key in first_report else streak + 1
        total_missed = sum(1 for p in owed if p.key not in first_report)
        late = sum(1 for p in owed if p.key in first_report and first_report[p.key] > p.due)
        ts = _task_status(
            t, as_of, rules, start, deadline, done_date, last, len(owed), streak, total_missed, late, lc, memo
        )
        statuses.append(ts)
        lifecycles_by_status.append(lc)
        # duties: each lead unit reports each owed period (plus the period containing as_of when due)
        unit_first: dict[tuple[str, str], date] = {}
        for r in reps:
            unit_first.setdefault((r.unit, pkey(r)), r.report_date)
        for p in task_periods:
            if (start is not None and p.end < start) or p.start > as_of:
                continue
            if done_date is not None and done_date < p.start:
                continue
            for u in t.lead_units:
                duties.append(UnitDuty(u, t.pk, t.id, p.key, p.due, unit_first.get((u, p.key))))
    snap = Snapshot(
        as_of=as_of, rules=rules, tasks=tasks, statuses=statuses, duties=duties, periods=periods, reports=reports
    )
    if escalate and rules.escalate_after > 0:
        _escalate(snap, (tasks, all_reports, periods), rules)
    if recover and rules.recover_to:
        _recover(snap, (tasks, all_reports, periods, sup), rules)
    for ts, lc in zip(snap.statuses, lifecycles_by_status):
        _card_list(ts, lc)
    return snap


def _previous_check(snap: Snapshot, sup: Supervision | None) -> date | None:
    """The last period due date before ``as_of`` among all calendars in play (the previous check)."""
    dues = [p.due for p in snap.periods if p.due < snap.as_of]
    if sup:
        for cal in sup.calendars.values():
            dues += [d for _p, d in cal.periods(snap.as_of, snap.rules.grace_days) if d < snap.as_of]
    return max(dues) if dues else None


def _recover(snap: Snapshot, data: tuple, rules: Rules, past_of: Any = None) -> None:
    """A task that held the top card at the previous check and has caught up drops to ``recover_to``
    (a red card turns yellow, not green) until the next check.

    ``past_of(tasks, day, supervision)`` gives those tasks' snapshot as of the previous check
    (default: a replay of ``data``'s reports)."""
    tasks, reports, periods, sup = data
    top = rules.levels[-1].key if rules.levels else None
    prev = _previous_check(snap, sup)
    if not top or prev is None or top == rules.recover_to:
        return
    to = rules.level(rules.recover_to)
    order = [lv.key for lv in rules.levels]
    # only a task now without a card, or with one below recover_to, can drop to it
    idx = [
        i
        for i, s in enumerate(snap.statuses)
        if s.status != "done" and (s.card is None or order.index(s.card) < order.index(to.key))
    ]
    if not idx:
        return
    some = [tasks[i] for i in idx]
    wanted = {t.pk for t in some}
    prev_sup = sup.at(prev, some) if sup is not None else None
    if past_of is not None:
        past = past_of(some, prev, prev_sup)
    else:
        past = compute(
            some,
            [r for r in reports if r.task_pk in wanted],
            periods,
            prev,
            rules,
            escalate=False,
            supervision=prev_sup,
            recover=False,
        )
    for i, p in zip(idx, past.statuses):
        s = snap.statuses[i]
        if p.card != top:
            continue
        if s.card is None or order.index(s.card) < order.index(to.key):
            s.card, s.card_name, s.card_color = to.key, to.name, to.color
            s.card_reason = f"{rules.level(top).name}已整改,降为{to.name}(上期{p.card_reason})"


def _escalate(snap: Snapshot, store_data: tuple, rules: Rules) -> None:
    """A card held unchanged over ``escalate_after`` consecutive period ends goes up one level."""
    n = rules.escalate_after
    ends = [p.due for p in snap.periods if p.due < snap.as_of][-n:]
    if n <= 0 or len(ends) < n:
        return
    tasks, reports, periods = store_data
    past = [compute(tasks, reports, periods, d, rules, escalate=False) for d in ends]
    for i, s in enumerate(snap.statuses):
        if s.card and all(p.statuses[i].card == s.card for p in past):
            up = rules.escalate(rules.level(s.card))
            if up and up.key != s.card:
                s.card_reason += f";{rules.level(s.card).name}连续{n}期未消除,升级为{up.name}"
                s.card, s.card_name, s.card_color = up.key, up.name, up.color


def _card_list(ts: TaskStatus, lc: TaskLifecycle | None) -> None:
    """``ts.cards``: the card the task carries with the rule behind it; an upheld appeal withdraws it."""
    if not ts.card:
        ts.cards = []
        return
    appeals = [a for a in lc.appeals if a.card == ts.card] if lc is not None and lc.appeals else []
    entry = {
        "level": ts.card,
        "name": ts.card_name,
        "color": ts.card_color,
        "reason": ts.card_reason,
        "state": "active",
        "appeals": [a.to_dict() for a in appeals],
    }
    if appeals and any(a.decision == "upheld" for a in appeals):
        entry["state"] = "withdrawn"
        ts.card, ts.card_name, ts.card_color = None, "", ""
        ts.card_reason = "申诉成立,预警撤销"
    ts.cards = [entry]


# -- the kept path: status from the kept tables instead of a replay of every report ---------------------


def _month_table(plist: list[PeriodInfo], calendar: bool) -> tuple[int, np.ndarray]:
    """(first month ordinal, month → period index table, -1 where none) for a period list.

    With a plan calendar every month of a period maps to it (a report's period counts for the
    calendar period holding its start); without one only a period's own month key does."""
    months: dict[int, int] = {}
    for i, p in enumerate(plist):
        first = p.start.year * 12 + p.start.month - 1
        if calendar:
            last = p.end.year * 12 + p.end.month - 1
            for m in range(first, last + 1):
                months.setdefault(m, i)
        elif p.key == f"{p.start.year:04d}-{p.start.month:02d}":
            months.setdefault(first, i)
    if not months:
        return 0, np.full(0, -1, dtype=np.int64)
    base = min(months)
    table = np.full(max(months) - base + 1, -1, dtype=np.int64)
    for m, i in months.items():
        table[m - base] = i
    return base, table


def _first_reports(
    blobs: list[bytes], plist: list[PeriodInfo], calendar: bool, today: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Decode packed reported periods (:func:`tasks.store.kept.pack_periods`, one blob per row of a
    task or a task and unit) into ``(row, calendar period index, first report day)``, one entry per row
    and reported period, with the first report on or before the ordinal ``today``: several report
    periods inside one calendar period count once, by their first report."""
    base, table = _month_table(plist, calendar)
    rec = np.frombuffer(b"".join(blobs), dtype="<i4").reshape(-1, 2)  # int32 views: half the memory
    row = np.repeat(np.arange(len(blobs), dtype=np.int32), [len(b) // 8 for b in blobs])
    code, first = rec[:, 0], rec[:, 1]
    idx = (code >> 3) - base
    ok = (idx >= 0) & (idx < len(table)) & (first <= today)
    if not calendar:
        ok &= (code & 7) == 0  # only a month key written as the period's own key matches it
    row, idx, first = row[ok], idx[ok], first[ok]
    pidx = table[idx]
    ok = pidx >= 0
    row, pidx, first = row[ok], pidx[ok], first[ok]
    if len(row):
        brk = np.flatnonzero(np.concatenate(([True], (row[1:] != row[:-1]) | (pidx[1:] != pidx[:-1]))))
        first = np.minimum.reduceat(first, brk)
        row, pidx = row[brk], pidx[brk]
    return row, pidx, first


def _period_stats(
    blobs: list[bytes],
    starts: list[date | None],
    dones: list[date | None],
    plist: list[PeriodInfo],
    as_of: date,
    calendar: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(periods owed, missed in a row, missed in all, late) per task, from the kept reported periods.

    The same figures as the replay in :func:`compute`, vectorised: each task's owed periods are
    those due before ``as_of`` between its start and its completion; a period counts as reported
    when its first report is on or before ``as_of``, and late when that report is after its due date.
    """
    nt, m = len(blobs), len(plist)
    zeros = np.zeros(nt, dtype=np.int64)
    if m == 0 or nt == 0:
        return zeros, zeros.copy(), zeros.copy(), zeros.copy()
    p_start = np.array([p.start.toordinal() for p in plist], dtype=np.int64)
    p_end = np.array([p.end.toordinal() for p in plist], dtype=np.int64)
    p_due = np.array([p.due.toordinal() for p in plist], dtype=np.int64)
    today = as_of.toordinal()
    due_ok = p_due < today
    cum = np.concatenate(([0], np.cumsum(due_ok)))
    start_o = np.array([d.toordinal() if d else 0 for d in starts], dtype=np.int64)
    done_o = np.array([d.toordinal() if d else 10**8 for d in dones], dtype=np.int64)
    lo = np.searchsorted(p_end, start_o, side="left")  # first period ending on or after the start
    hi = np.searchsorted(p_start, done_o, side="right") - 1  # last period starting by completion
    hi1 = np.clip(hi + 1, 0, m)
    lo_c = np.clip(lo, 0, m)
    n_owed = np.maximum(cum[hi1] - cum[lo_c], 0)
    ti, pidx, first = _first_reports(blobs, plist, calendar, today)
    owed = due_ok[pidx] & (pidx >= lo[ti]) & (pidx <= hi[ti])
    t_o, p_o = ti[owed], pidx[owed]
    reported = np.bincount(t_o, minlength=nt)
    late = np.bincount(t_o[first[owed] > p_due[p_o]], minlength=nt)
    last = np.full(nt, -1, dtype=np.int64)
    if len(t_o):
        is_last = np.concatenate((t_o[1:] != t_o[:-1], [True]))
        last[t_o[is_last]] = p_o[is_last]
    after = np.clip(np.maximum(last + 1, lo), 0, m)
    streak = np.where(n_owed > 0, np.maximum(cum[hi1] - cum[np.minimum(after, hi1)], 0), 0)
    return n_owed, streak, n_owed - reported, late


class _Last(NamedTuple):
    """The report that speaks for a task (the fields status shows of it)."""

    report_date: date
    id: int
    unit: str
    status: str
    percent: float
    progress: str
    problems: str


def _latest_by_task(store: Any, tasks: list[StoredTask], as_of: date) -> dict[int, _Last]:
    """The report that speaks for each task as of ``as_of``: its lead units' newest, else anyone's."""
    plans = {t.plan for t in tasks}
    rows = latest_pairs(
        store, as_of=as_of, plan=next(iter(plans)) if len(plans) == 1 else None, tasks=[t.pk for t in tasks]
    )
    names = unit_names(store)
    leads = {t.pk: t.lead_units for t in tasks}
    best: dict[int, tuple] = {}
    for row in rows:
        tpk = row[0]
        have = best.get(tpk)
        if have is None:  # the first row of a task (most have one): compared only when another comes
            if tpk in leads:
                best[tpk] = row
            continue
        lead_units = leads[tpk]
        # lead units first, then the newest by (date, id)
        if (names[row[1]] in lead_units, row[3], row[2]) > (names[have[1]] in lead_units, have[3], have[2]):
            best[tpk] = row
    out = {
        tpk: _Last(row[3], row[2], names[row[1]], row[4], row[5], row[6] or "", row[7] or "")
        for tpk, row in best.items()
    }
    return out


def _kept_duties(
    store: Any, tasks: list[StoredTask], plans: list[tuple[list[int], list[PeriodInfo], bool]], starts: list,
    dones: list, as_of: date,
) -> list[UnitDuty]:  # fmt: skip
    """The reporting duties (as :func:`compute` lists them) from the kept per-unit reported periods."""
    blobs = period_blobs(store, [t.pk for t in tasks], units=True)
    today = as_of.toordinal()
    out: list[UnitDuty] = []
    for members, plist, calendar in plans:
        base, table = _month_table(plist, calendar)
        key_of: dict[int, int] = {}

        def pidx(
            code: int, base: int = base, table: np.ndarray = table, calendar: bool = calendar, key_of: dict = key_of
        ) -> int:
            if code not in key_of:
                i = (code >> 3) - base
                ok = 0 <= i < len(table) and (calendar or code & 7 == 0)
                key_of[code] = int(table[i]) if ok else -1
            return key_of[code]

        for j in members:
            t, start, done = tasks[j], starts[j], dones[j]
            firsts: dict[tuple[str, int], int] = {}
            for u in t.lead_units:
                for code, first in unpack_periods(blobs.get((t.pk, u))).items():
                    i = pidx(code)
                    if i >= 0 and first <= today and first < firsts.get((u, i), 10**8):
                        firsts[(u, i)] = first
            for i, p in enumerate(plist):
                if (start is not None and p.end < start) or p.start > as_of:
                    continue
                if done is not None and done < p.start:
                    continue
                for u in t.lead_units:
                    f = firsts.get((u, i))
                    out.append(UnitDuty(u, t.pk, t.id, p.key, p.due, date.fromordinal(f) if f else None))
    return out


class _KeptDuties:
    """The reporting duties of a kept snapshot, counted (or the unreported ones of one period listed)
    with numpy from the kept per-unit reported periods, without a record per duty: the same duties
    :func:`_kept_duties` lists (and :func:`compute` replays)."""

    def __init__(
        self,
        store: Any,
        tasks: list[StoredTask],
        plans: list[tuple[list[int], list[PeriodInfo], bool]],
        starts: list,
        dones: list,
        as_of: date,
    ) -> None:
        self.store, self.tasks, self.plans, self.starts, self.dones, self.as_of = (
            store, tasks, plans, starts, dones, as_of
        )  # fmt: skip

    def _groups(self) -> Any:
        """Per plan group: (plist, pair task index, pair unit, pair lo, pair hi, reported records
        (pair, period index, first report ordinal) inside each pair's range)."""
        tasks, today = self.tasks, self.as_of.toordinal()
        blobs = period_blobs(self.store, [t.pk for t in tasks], units=True)
        for members, plist, calendar in self.plans:
            m = len(plist)
            pj: list[int] = []
            pu: list[str] = []
            pm: list[int] = []
            chunks: list[bytes] = []
            for k, j in enumerate(members):
                t = tasks[j]
                for u in t.lead_units:
                    pj.append(j)
                    pu.append(u)
                    pm.append(k)
                    chunks.append(blobs.get((t.pk, u), b""))
            np_ = len(pj)
            if m == 0 or np_ == 0:
                continue
            p_start = np.array([p.start.toordinal() for p in plist], dtype=np.int64)
            p_end = np.array([p.end.toordinal() for p in plist], dtype=np.int64)
            start_o = np.array([d.toordinal() if d else 0 for d in (self.starts[j] for j in members)], dtype=np.int64)
            done_o = np.array([d.toordinal() if d else 10**8 for d in (self.dones[j] for j in members)], dtype=np.int64)
            lo_t = np.searchsorted(p_end, start_o, side="left")  # first period ending on or after the start
            hi_t = np.minimum(  # last period starting by the date and by completion
                np.searchsorted(p_start, today, side="right") - 1, np.searchsorted(p_start, done_o, side="right") - 1
            )
            pm_a = np.array(pm, dtype=np.int64)
            lo, hi = lo_t[pm_a], hi_t[pm_a]
            pi, pidx, first = _first_reports(chunks, plist, calendar, today)
            inside = (pidx >= lo[pi]) & (pidx <= hi[pi])
            yield plist, np.array(pj, dtype=np.int64), pu, lo, hi, (pi[inside], pidx[inside], first[inside])

    def counts(self) -> DutyCounts:
        """Every duty counted per (plan, unit, period key, due)."""
        cells: dict[tuple[str, str, str, date], tuple[int, int, int]] = {}
        with pause_gc():
            for plist, pj, pu, lo, hi, (pi, pidx, first) in self._groups():
                m = len(plist)
                owners: dict[tuple[str, str], int] = {}
                po = np.array(
                    [owners.setdefault((self.tasks[j].plan, u), len(owners)) for j, u in zip(pj.tolist(), pu)],
                    dtype=np.int64,
                )
                n_own = len(owners)
                has = lo <= hi
                diff = np.zeros((n_own, m + 1), dtype=np.int64)
                np.add.at(diff, (po[has], lo[has]), 1)
                np.add.at(diff, (po[has], hi[has] + 1), -1)
                owed = np.cumsum(diff, axis=1)[:, :m]
                p_due = np.array([p.due.toordinal() for p in plist], dtype=np.int64)
                reported = np.zeros((n_own, m), dtype=np.int64)
                on_time = np.zeros((n_own, m), dtype=np.int64)
                np.add.at(reported, (po[pi], pidx), 1)
                np.add.at(on_time, (po[pi], pidx), (first <= p_due[pidx]).astype(np.int64))
                names = list(owners)
                oi, ii = np.nonzero(owed)
                for o, i, n, r, t in zip(
                    oi.tolist(), ii.tolist(), owed[oi, ii].tolist(), reported[oi, ii].tolist(), on_time[oi, ii].tolist()
                ):
                    plan, unit = names[o]
                    p = plist[i]
                    key = (plan, unit, p.key, p.due)
                    had = cells.get(key)
                    cells[key] = (n, r, t) if had is None else (had[0] + n, had[1] + r, had[2] + t)
        return DutyCounts(cells)

    def unreported(self, period: str) -> list[UnitDuty]:
        """The duties of period key ``period`` with no report by the date, in task then lead-unit order."""
        found: list[tuple[int, int, str, date]] = []
        for plist, pj, pu, lo, hi, (pi, pidx, _first) in self._groups():
            i = next((k for k, p in enumerate(plist) if p.key == period), None)
            if i is None:
                continue
            owe = (lo <= i) & (hi >= i)
            owe[pi[pidx == i]] = False
            due = plist[i].due
            found += [(int(pj[q]), q, pu[q], due) for q in np.flatnonzero(owe).tolist()]
        found.sort(key=lambda x: (x[0], x[1]))
        return [UnitDuty(u, self.tasks[j].pk, self.tasks[j].id, period, due) for j, _q, u, due in found]

    def done_overdue(self, days: list[date]) -> dict[date, tuple[int, int]]:
        """(done, overdue) task counts as of each of ``days`` as a replay without the supervision
        loop counts them (:func:`compute` with the reports only: done when the report that speaks
        for the task — its lead units' newest, else anyone's — says 已完成; overdue when past the
        plan's deadline and not done), from the kept done-state history."""
        from ..store.kept_trend import done_changes

        tasks = self.tasks
        out: dict[date, tuple[int, int]] = {}
        if not days:
            return out
        blobs = done_changes(self.store, [t.pk for t in tasks])
        j_of = {t.pk: j for j, t in enumerate(tasks)}
        pt: list[int] = []
        lead: list[bool] = []
        chunks: list[bytes] = []
        for (tpk, unit), blob in blobs.items():
            j = j_of.get(tpk)
            if j is None:
                continue
            pt.append(j)
            lead.append(unit in tasks[j].lead_units)
            chunks.append(blob)
        nt, n_pairs = len(tasks), len(pt)
        pt_a = np.array(pt, dtype=np.int64)
        lead_a = np.array(lead, dtype=bool)
        rec = np.frombuffer(b"".join(chunks), dtype="<i4").reshape(-1, 2)
        pair = np.repeat(np.arange(n_pairs, dtype=np.int64), [len(b) // 8 for b in chunks])
        keys = pair * (1 << 22) + rec[:, 0]  # sorted: pairs in order, days ascending within a pair
        flags = rec[:, 1].astype(bool)
        dl = np.array([t.deadline.toordinal() if t.deadline else 10**8 for t in tasks], dtype=np.int64)
        for day in days:
            d = day.toordinal()
            pos = np.searchsorted(keys, np.arange(n_pairs) * (1 << 22) + d, side="right") - 1
            seen = pos >= 0
            seen[seen] = pair[pos[seen]] == np.flatnonzero(seen)
            flag = np.zeros(n_pairs, dtype=bool)
            flag[seen] = flags[pos[seen]]
            newest = np.full(n_pairs, -1, dtype=np.int64)  # each unit's last report day so far
            newest[seen] = rec[pos[seen], 0]
            leads_seen = np.bincount(pt_a, weights=seen & lead_a, minlength=nt) > 0
            use = seen & (lead_a | ~leads_seen[pt_a])
            top = np.full(nt, -1, dtype=np.int64)
            np.maximum.at(top, pt_a[use], newest[use])
            use &= newest == top[pt_a]  # the units that reported last speak
            n_use = np.bincount(pt_a, weights=use, minlength=nt)
            n_done = np.bincount(pt_a, weights=use & flag, minlength=nt)
            done = (n_use > 0) & (n_done == n_use)
            mixed = np.flatnonzero((n_done > 0) & (n_done < n_use))
            if len(mixed):  # units that last reported on the same day disagree: the newer report (by id) speaks
                some = [tasks[j] for j in mixed.tolist()]
                latest = _latest_by_task(self.store, some, day)
                for j, t in zip(mixed.tolist(), some):
                    last = latest.get(t.pk)
                    done[j] = last is not None and last.status == DONE_STATUS
            overdue = ~done & (d > dl)
            out[day] = (int(done.sum()), int(overdue.sum()))
        return out


def _closed_date(lc: TaskLifecycle | None) -> date | None:
    """``lc.closed_date`` (None without a lifecycle or lead units), with a cheap look first: most
    tasks have a unit not closed."""
    if lc is None or not lc.units:
        return None
    for u in lc.units.values():
        if u.state != CLOSED:
            return None
    return lc.closed_date


@dataclass
class _Kept:
    """Per task (in the order of ``tasks``): what the kept tables say as of a date."""

    latest: dict[int, _Last]
    starts: list[date | None]
    dones: list[date | None]
    lcs: list[TaskLifecycle | None]
    n_owed: list[int]
    streak: list[int]
    missed: list[int]
    late: list[int]
    plans: list[tuple[list[int], list[PeriodInfo], bool]]
    #: the kept reported periods read (task pk → packed periods): the same whatever the date
    blobs: dict[int, bytes]


def _kept_figures(
    store: Any,
    tasks: list[StoredTask],
    periods: list[PeriodInfo],
    as_of: date,
    rules: Rules,
    sup: Supervision,
    with_latest: bool = True,
    blobs: dict[int, bytes] | None = None,
) -> _Kept:
    latest = _latest_by_task(store, tasks, as_of) if with_latest else {}
    if blobs is None:  # else read for a superset of ``tasks`` (the same rows: they do not depend on the date)
        blobs = period_blobs(store, [t.pk for t in tasks])
    groups: dict[str | None, list[int]] = defaultdict(list)
    starts: list[date | None] = []
    dones: list[date | None] = []
    lcs: list[TaskLifecycle | None] = []
    known: dict[tuple, date | None] = {}
    for j, t in enumerate(tasks):
        cal = sup.calendars.get(t.plan)
        lc = sup.lifecycles.get(t.pk)
        lcs.append(lc)
        key = (t.plan, t.plan_issued, t.plan_loaded, t.added_on)  # all that a task's start depends on
        if key not in known:
            known[key] = _plan_start(t, periods, cal)
        starts.append(known[key])
        dones.append(_closed_date(lc))
        groups[t.plan if cal is not None else None].append(j)
    n = len(tasks)
    n_owed = np.zeros(n, dtype=np.int64)
    streak, missed, late = n_owed.copy(), n_owed.copy(), n_owed.copy()
    plans: list[tuple[list[int], list[PeriodInfo], bool]] = []
    for plan, members in groups.items():
        plist = periods if plan is None else _calendar_periods(sup.calendars[plan], as_of, rules)
        plans.append((members, plist, plan is not None))
        got = _period_stats(
            [blobs.get(tasks[j].pk, b"") for j in members],
            [starts[j] for j in members],
            [dones[j] for j in members],
            plist,
            as_of,
            plan is not None,
        )
        where = np.array(members, dtype=np.int64)
        for whole, part in zip((n_owed, streak, missed, late), got):
            whole[where] = part
    # plain ints: indexing a list is cheaper than a numpy array, task by task
    return _Kept(
        latest, starts, dones, lcs, n_owed.tolist(), streak.tolist(), missed.tolist(), late.tolist(), plans, blobs
    )


_MISSING = object()


def _py_round(values: np.ndarray) -> np.ndarray:
    """``round(v, 1)`` of each value as Python rounds it (numpy's round can differ in the last
    digit), computed once per distinct value."""
    if not len(values):
        return values.astype(np.float64)
    uniq, inv = np.unique(values, return_inverse=True)
    return np.array([round(v, 1) for v in uniq.tolist()], dtype=np.float64)[inv.reshape(-1)]


def _nones(values: np.ndarray, keep: np.ndarray) -> list[Any]:
    """The values as Python numbers, None where ``keep`` is False."""
    return [v if k else None for v, k in zip(values.tolist(), keep.tolist())]


class _Columns(NamedTuple):
    """:func:`_figures` of every task at once (Python lists, in task order) and the card each earns."""

    deadlines: list[date | None]
    status: list[str]
    percent: list[float]
    expected: list[float | None]
    gap: list[float | None]
    overdue_days: list[int]
    streak: list[int]
    cards: list[tuple[str, str, str, str] | None]


def _figure_columns(
    tasks: list[StoredTask], as_of: date, rules: Rules, k: _Kept, lasts: list[_Last | None], *,
    done_clears_streak: bool, memo: dict[tuple, Any],
) -> _Columns:  # fmt: skip
    """:func:`_figures` and :func:`_card_of` for every task with numpy: the same values, the same
    Python rounding (``round`` once per distinct value), the card worded once per distinct key
    (the memo of :func:`_card_of`, filled in task order as a loop over the tasks fills it).
    ``done_clears_streak``: a done task's run of missed reports is 0 for its card (what
    :func:`_task_status` does; the recovery check's past cards keep it)."""
    n = len(tasks)
    today = as_of.toordinal()
    deadlines = [lc.deadline if lc is not None else t.deadline for t, lc in zip(tasks, k.lcs)]
    dl = np.array([d.toordinal() if d else 0 for d in deadlines], dtype=np.int64)
    st = np.array([d.toordinal() if d else 0 for d in k.starts], dtype=np.int64)
    done = np.array([d is not None for d in k.dones], dtype=bool)
    has_last = np.array([x is not None for x in lasts], dtype=bool)
    pct = np.array([float(x.percent) if x is not None else 0.0 for x in lasts], dtype=np.float64)
    last_status = [x.status if x is not None else "" for x in lasts]
    lagging = np.array([s == LAGGING for s in last_status], dtype=bool)
    unstarted = np.array([s == "未启动" for s in last_status], dtype=bool)
    ongoing = np.array([t.deadline_kind == ONGOING for t in tasks], dtype=bool)
    streak = np.array(k.streak, dtype=np.int64)
    n_owed = np.array(k.n_owed, dtype=np.int64)
    has_gap = (dl > 0) & (st > 0)
    span = dl - st
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(
            span <= 0, (today >= dl).astype(np.float64), np.minimum(1.0, np.maximum(0.0, (today - st) / span))
        )
    expected = np.zeros(n, dtype=np.float64)
    expected[has_gap] = _py_round(share[has_gap] * 100)
    gap = np.zeros(n, dtype=np.float64)
    gap[has_gap] = _py_round(expected[has_gap] - pct[has_gap])
    overdue = np.where((dl > 0) & (today > dl) & ~done, today - dl, 0)
    at_risk = (has_last & lagging) | (has_gap & (gap > rules.at_risk_gap))
    codes = np.select(
        [done, overdue > 0, ongoing & (streak == 0) & (has_last | (n_owed == 0)), ongoing, at_risk,
         ~has_last | (unstarted & (pct == 0))],
        [0, 1, 2, 3, 3, 4],
        5,
    )  # fmt: skip
    names = ("done", "overdue", "ongoing", "at_risk", "not_started", "on_track")
    status = [names[c] for c in codes.tolist()]
    card_streak = np.where(done, 0, streak) if done_clears_streak else streak
    late = np.array(k.late, dtype=np.int64)
    figures = (card_streak, late, overdue, np.where(has_gap, gap, 0.0))
    # _card_key: a figure no condition reads, or that meets none of the conditions on it, stands as None
    _card_key(rules, ("on_track", 0, 0, 0, 0.0), memo)  # the memo's plan of the conditions
    _rules, read, unread = memo[_CARD_PLAN]
    masked: list[list[Any]] = [f.tolist() for f in figures]  # overdue days stay when the status is read
    for i in unread:
        masked[i - 1] = [None] * n
    for i, tests in read:
        holds = np.zeros(n, dtype=bool)
        for op, value in tests:
            holds |= op(figures[i - 1], value)
        masked[i - 1] = _nones(figures[i - 1], holds)
    streak_l, late_l, overdue_l = card_streak.tolist(), late.tolist(), overdue.tolist()
    gap_l = _nones(gap, has_gap)
    cards: list[tuple[str, str, str, str] | None] = []
    for j, key in enumerate(zip(status, *masked)):
        card = memo.get(key, _MISSING)
        if card is _MISSING:  # worded from this task's own figures, as the loop over the tasks would
            g = gap_l[j]
            card = _card_of(rules, (status[j], streak_l[j], late_l[j], overdue_l[j], g if g is not None else 0), memo)
        cards.append(card)
    return _Columns(deadlines, status, pct.tolist(), _nones(expected, has_gap), gap_l, overdue_l, streak_l, cards)


def _kept_statuses(
    tasks: list[StoredTask], as_of: date, rules: Rules, k: _Kept, memo: dict[tuple, Any]
) -> list[TaskStatus]:
    """:func:`_task_status` of every task from the kept figures: the figures and cards by
    :func:`_figure_columns`, then one positional constructor call per task."""
    latest = k.latest
    lasts = [latest.get(t.pk) for t in tasks]
    cols = _figure_columns(tasks, as_of, rules, k, lasts, done_clears_streak=True, memo=memo)
    scored_extended = rules.extended_deadline_counts
    names = STATUS_NAMES
    out: list[TaskStatus] = []
    append = out.append
    for t, lc, last, done, deadline, status, percent, expected, gap, overdue, streak, missed, late, card in zip(
        tasks, k.lcs, lasts, k.dones, cols.deadlines, cols.status, cols.percent, cols.expected, cols.gap,
        cols.overdue_days, cols.streak, k.missed, k.late, cols.cards,
    ):  # fmt: skip
        scored_deadline = deadline if scored_extended else t.deadline
        done_on_time = bool(done and (scored_deadline is None or done <= scored_deadline))
        claim = sign = None
        note = ""
        sign_late = False
        extensions: list[dict[str, Any]] = []
        if lc is not None:
            units = lc.units
            if len(units) == 1:  # most tasks have one lead unit
                ((u, v),) = units.items()
                state = v.state
                unit_lc = {u: state}
                claim = v.claim_date or None
                note = v.returned_note if v.returned_note and state == IN_PROGRESS else ""
            else:
                unit_lc = {u: v.state for u, v in units.items()}
                state = min(unit_lc.values(), key=_STATE_RANK.__getitem__) if units else IN_PROGRESS
                claims = [v.claim_date for v in units.values() if v.claim_date]
                claim = max(claims) if claims else None
                notes = [v.returned_note for v in units.values() if v.returned_note and v.state == IN_PROGRESS]
                note = ";".join(notes) if notes else ""
            if lc.extensions:
                extensions = [e.to_dict() for e in lc.extensions]
            if state == PENDING_SIGN:
                key = ("sign_due", t.assigned_on)
                sign = memo.get(key, _MISSING)
                if sign is _MISSING:
                    sign = memo[key] = sign_due(t.assigned_on, rules.sign_within_days)
                sign_late = bool(sign and as_of > sign)
        else:
            unit_lc = {}
            state = CLOSED if done else IN_PROGRESS
        if card is None:
            card_key = None
            card_name = card_color = card_reason = ""
        else:
            card_key, card_name, card_color, card_reason = card
        if last is None:
            last_date, last_status, last_progress, last_problems, reported_by = None, "", "", "", ""
        else:
            last_date, last_status, last_progress, last_problems, reported_by = (
                last.report_date, last.status, last.progress, last.problems, last.unit
            )  # fmt: skip
        append(
            TaskStatus(
                t.plan,
                t.id,
                t.title,
                t.section,
                deadline,
                t.deadline_text,
                t.lead_units,
                t.responsible_units,
                status,
                names[status],
                percent,
                expected,
                gap,
                last_date,
                last_status,
                last_progress,
                last_problems,
                reported_by,
                streak,
                missed,
                late,
                overdue,
                done,
                done_on_time,
                card_key,
                card_name,
                card_color,
                card_reason,
                state,
                STATE_NAMES[state],
                unit_lc,
                t.deadline,
                extensions,
                claim,
                note,
                sign,
                sign_late,
                [],
            )  # fmt: skip
        )
    return out


class _PastCard(NamedTuple):
    card: str | None
    card_reason: str


def _kept_cards(
    store: Any,
    tasks: list[StoredTask],
    periods: list[PeriodInfo],
    as_of: date,
    rules: Rules,
    sup: Supervision,
    blobs: dict[int, bytes] | None = None,
) -> list[_PastCard]:
    """Only whether each task carried the top card as of ``as_of`` (what the recovery check
    compares), with its reason: the same figures, the same rules, the same withdrawal by an upheld
    appeal.  Any other card is reported as None.  When the top level's conditions do not depend on
    the last report (missed or late reports, overdue days, status done or overdue), it is not read."""
    top = rules.levels[-1]
    blind = {"missed_reports", "late_reports", "overdue_days"}
    needs_last = any(c.metric not in blind and not (c.metric == "status" and c.value in ("done", "overdue"))
                     for c in top.when)  # fmt: skip
    k = _kept_figures(store, tasks, periods, as_of, rules, sup, with_latest=needs_last, blobs=blobs)
    lasts = [k.latest.get(t.pk) for t in tasks]
    cols = _figure_columns(tasks, as_of, rules, k, lasts, done_clears_streak=False, memo={})
    out = []
    for lc, card in zip(k.lcs, cols.cards):
        if card is None or card[0] != top.key:
            out.append(_PastCard(None, ""))
        elif lc is not None and any(a.card == card[0] and a.decision == "upheld" for a in lc.appeals):
            out.append(_PastCard(None, "申诉成立,预警撤销"))
        else:
            out.append(_PastCard(card[0], card[3]))
    return out


def kept_compute(
    store: Any,
    tasks: list[StoredTask],
    periods: list[PeriodInfo],
    as_of: date,
    rules: Rules,
    supervision: Supervision,
    *,
    recover: bool = True,
    reports: Callable[[], list[ReportRecord]] | None = None,
) -> Snapshot:
    """:func:`compute` from the kept tables: the latest report of each task and unit, the periods
    each task reported with their first report dates, and the lifecycles of ``supervision``.

    Reads one kept row per task (and per task and unit), whatever the length of the history;
    the duties (and ``reports``, when given) are read only when a caller asks for them.  Needs
    ``rules.completion_review`` (done means 已办结) and no escalation: :func:`snapshot` replays
    otherwise.
    """
    sup = supervision
    periods = sorted(periods, key=lambda p: p.start)
    k = _kept_figures(store, tasks, periods, as_of, rules, sup)
    statuses = _kept_statuses(tasks, as_of, rules, k, {})
    snap = Snapshot(
        as_of=as_of,
        rules=rules,
        tasks=tasks,
        statuses=statuses,
        periods=periods,
    )
    plans, starts, dones = k.plans, k.starts, k.dones  # what the lazy reads need (not the lifecycles)
    snap._loaders["duties"] = paused_gc(  # read lazily, outside snapshot()'s pause: millions of records at 50,000
        lambda: _kept_duties(store, tasks, plans, starts, dones, as_of)
    )
    snap._kept = _KeptDuties(store, tasks, plans, starts, dones, as_of)  # counts without that list
    if reports is not None:
        snap._loaders["reports"] = reports
    if recover and rules.recover_to:

        def past_of(some: list[StoredTask], day: date, past_sup: Supervision | None) -> Any:
            return SimpleNamespace(statuses=_kept_cards(store, some, periods, day, rules, past_sup or sup, k.blobs))

        _recover(snap, (tasks, [], periods, sup), rules, past_of)
    for ts, lc in zip(snap.statuses, k.lcs):
        if ts.card:  # a task without a card keeps its fresh empty list
            _card_list(ts, lc)
    return snap


#: store → (its tasks version, kept or replayed, date, plan, task pks) and the lifecycles (and the
#: steps replayed, if any) for them: the last one only (30 MiB at 50,000 tasks), shared by the
#: snapshots computed until a step or a change of tasks
_REPLAYED: weakref.WeakKeyDictionary[
    Any, tuple[tuple, tuple[dict[int, TaskLifecycle], list[LifecycleEvent] | None]]
] = weakref.WeakKeyDictionary()
_REPLAYED_LOCK = threading.Lock()


def supervision_data(
    store: StoreLike, as_of: date, plan: str | None, tasks: list[StoredTask], *, kept: bool = True
) -> Supervision:
    """Calendars and lifecycles (as of ``as_of``) for :func:`compute`.

    ``kept``: from the kept state (:func:`~tasks.progress.lifecycle_state.kept_lifecycles`: one
    row per task and unit) when it can say, else replayed from the steps; ``kept=False`` always
    replays (the reference the tests compare with).  The lifecycles depend on the steps, the tasks
    and their units, all of which move the store's tasks version, and not on reports: the last ones
    are kept with the store, so the status after an upload neither reads nor replays them again.
    They are shared between snapshots: read, never changed."""
    from .lifecycle import calendars, events
    from .lifecycle_state import kept_lifecycles

    raw = raw_store(store)  # lifecycle reads are narrowed by the task list
    version = raw.tasks_version() if isinstance(raw, Store) else None  # first: never older lifecycles
    units = {t.pk: sorted(t.lead_units or t.responsible_units) for t in tasks}
    key = (version, kept, as_of, plan, tuple(t.pk for t in tasks))
    with _REPLAYED_LOCK:
        hit = _REPLAYED.get(raw) if version is not None else None
    if hit is not None and hit[0] == key:
        lcs, evs = hit[1]
    else:
        evs = None
        found = kept_lifecycles(raw, tasks, units, plan, as_of) if kept and isinstance(raw, Store) else None
        if found is None:
            evs = events(raw, plan, as_of=as_of, all_plans=plan is None)
            found = replay_lifecycles(tasks, units, evs, as_of, ordered=True)
        lcs = found
        if version is not None:
            with _REPLAYED_LOCK:
                _REPLAYED[raw] = (key, (lcs, evs))
    return Supervision(calendars(raw), lcs, units, None if kept else evs)


def snapshot(
    store: StoreLike,
    as_of: date | None = None,
    *,
    plan: str | None = None,
    rules: Rules | None = None,
    replay: bool = False,
) -> Snapshot:
    """Status of one plan or all plans as of ``as_of`` (default today).

    Read from the kept tables (:func:`kept_compute`): one row per task and per task and unit,
    whatever the length of the history.  ``replay=True`` (and rules under which "done" is a
    reported 已完成, or cards escalate) replays the whole history instead (:func:`compute`);
    both give the same statuses.

    Parameters
    ----------
    store : StoreLike
        The store (or a :class:`~tasks.accounts.GuardedStore`, narrowed to what its user may see).
    as_of : date, optional
        The date (default today); reports dated later are ignored.
    plan : str, optional
        One plan's key; default all plans.
    rules : Rules, optional
        The rules (default :func:`load_rules`).
    replay : bool, optional
        Replay the whole history instead of reading the kept tables.

    Returns
    -------
    Snapshot
        The statuses and duties as of ``as_of``.

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.store import Store
    >>> from tasks.model import Plan, Task
    >>> from tasks.progress import commit_upload, fill_template, template_bytes, validate_upload
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(Plan("示例", date=date(2021, 8, 1), tasks=[
    ...     Task("1", "任务一", lead_units=["市财政局"], deadline=date(2021, 12, 31)),
    ...     Task("2", "任务二", lead_units=["市公安局"], deadline=date(2021, 9, 30))]), actor="doc")
    >>> data = fill_template(template_bytes(store, "市财政局", "2021-09"), {"1": {"status": "推进中", "percent": 40}})
    >>> _ = commit_upload(store, validate_upload(store, data, "财政局.xlsx", today=date(2021, 9, 28)), actor="doc")
    >>> snap = snapshot(store, date(2021, 10, 20))
    >>> [(s.id, s.status, s.card) for s in snap.statuses]
    [('1', 'on_track', None), ('2', 'overdue', 'red')]
    >>> snapshot(store, date(2021, 10, 20), replay=True).counts() == snap.counts()
    True
    """
    as_of = as_of or date.today()
    rules = rules or load_rules()
    kept = not replay and rules.completion_review and rules.escalate_after <= 0
    # tens of thousands of short-lived records: the cyclic collector would double the time; the
    # statuses kept go straight to the oldest generation (keep=True): no young collection walks them
    with pause_gc(keep=True):
        # computed in a function of its own: its intermediate records (lifecycles, replays) are freed
        # before the collector resumes, so its first pass walks only what the snapshot keeps
        return _snapshot(store, as_of, plan, rules, kept)


def _snapshot(store: StoreLike, as_of: date, plan: str | None, rules: Rules, kept: bool) -> Snapshot:
    tasks = store.tasks(plan) if plan else store.tasks(all_plans=True)
    periods = store.periods()
    sup = supervision_data(store, as_of, plan, tasks, kept=kept)
    if kept:
        return kept_compute(
            store, tasks, periods, as_of, rules, sup, reports=lambda: store.reports(as_of=as_of, plan=plan)
        )
    reports = store.reports(as_of=as_of, plan=plan)
    return compute(tasks, reports, periods, as_of, rules, supervision=sup)


def task_status(
    store: StoreLike, as_of: date | None = None, *, plan: str | None = None, rules: Rules | None = None
) -> list[TaskStatus]:
    """Every live task's :class:`TaskStatus` as of a date.

    Parameters
    ----------
    store : StoreLike
        The store.
    as_of : date, optional
        The date (default today).
    plan : str, optional
        One plan's key; default all plans.
    rules : Rules, optional
        The rules (default :func:`load_rules`).

    Returns
    -------
    list of TaskStatus
        In plan order (:attr:`Snapshot.statuses` of :func:`snapshot`).

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.store import Store
    >>> from tasks.model import Plan, Task
    >>> from tasks.progress import commit_upload, fill_template, template_bytes, validate_upload
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(Plan("示例", date=date(2021, 8, 1), tasks=[
    ...     Task("1", "任务一", lead_units=["市财政局"], deadline=date(2021, 12, 31)),
    ...     Task("2", "任务二", lead_units=["市公安局"], deadline=date(2021, 9, 30))]), actor="doc")
    >>> data = fill_template(template_bytes(store, "市财政局", "2021-09"), {"1": {"status": "推进中", "percent": 40}})
    >>> _ = commit_upload(store, validate_upload(store, data, "财政局.xlsx", today=date(2021, 9, 28)), actor="doc")
    >>> [(s.id, s.status_label) for s in task_status(store, date(2021, 10, 20), plan="示例")]
    [('1', '正常推进'), ('2', '逾期')]
    """
    return snapshot(store, as_of, plan=plan, rules=rules).statuses
