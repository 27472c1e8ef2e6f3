"""Status of every task as of a date, replayed from the append-only history.

Nothing here reads "current" columns: the state on any date is recomputed
from the reports whose report date (填报日期) is on or before it, so
``as_of=2021-09-30`` gives the state as reported for that day.  Statuses:
``done, on_track, at_risk, overdue, ongoing, not_started``; cards come from
the rules file.

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

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from ..model import ONGOING
from ..store import PeriodInfo, ReportRecord, Store, StoredTask
from .rules import STATUS_NAMES, Rules, load_rules

DONE_STATUS, LAGGING = "已完成", "滞后"


@dataclass
class TaskStatus:
    """One task's state as of a date, with the figures behind it."""

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

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("deadline", "last_report_date", "done_date"):
            d[k] = d[k].isoformat() if d[k] else None
        return d


@dataclass
class UnitDuty:
    """A unit's obligation to report one task for one period, and what it did."""

    unit: str
    task_pk: int
    task_id: str
    period: str
    due: date
    reported: date | None = None   # first report date for this period (≤ as_of)

    @property
    def on_time(self) -> bool:
        return self.reported is not None and self.reported <= self.due


@dataclass
class Snapshot:
    """Everything derived for one date: task statuses and reporting duties."""

    as_of: date
    rules: Rules
    tasks: list[StoredTask]
    statuses: list[TaskStatus]
    duties: list[UnitDuty] = field(default_factory=list)
    periods: list[PeriodInfo] = field(default_factory=list)
    reports: list[ReportRecord] = field(default_factory=list)

    def by_id(self, task_id: str, plan: str | None = None) -> TaskStatus:
        for s in self.statuses:
            if s.id == task_id and (plan is None or s.plan == plan):
                return s
        raise KeyError(task_id)

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUS_NAMES, 0)
        for s in self.statuses:
            out[s.status] += 1
        return out

    def due_within(self, days: int) -> list[TaskStatus]:
        """Unfinished tasks whose deadline falls in the next ``days`` days (from ``as_of``), soonest first.

        >>> from tasks.progress.rules import default_rules
        >>> def ts(i, d, status="on_track"): return TaskStatus("p", i, "", "", d, "", [], [], status, "")
        >>> snap = Snapshot(date(2021, 9, 1), default_rules(), [], [ts("1", date(2021, 9, 20)),
        ...     ts("2", date(2021, 9, 10)), ts("3", date(2021, 9, 5), "done"), ts("4", date(2021, 12, 1))])
        >>> [s.id for s in snap.due_within(30)]
        ['2', '1']
        """
        end = self.as_of + timedelta(days=days)
        soon = [s for s in self.statuses if s.deadline and self.as_of <= s.deadline <= end and s.status != "done"]
        return sorted(soon, key=lambda s: s.deadline)  # type: ignore[arg-type, return-value]

    def latest_due_period(self) -> str | None:
        """The most recent reporting period whose deadline has passed by ``as_of`` (the one to check)."""
        due = [p for p in self.periods if p.due < self.as_of]
        return due[-1].key if due else None

    def compliance(self, period: str | None = None) -> float | None:
        """Share of ``period``'s reporting duties that were met (default: :meth:`latest_due_period`).

        None when nothing was due: a rate of 100% would claim reports nobody owed.
        """
        period = period or self.latest_due_period()
        duties = [d for d in self.duties if d.period == period] if period else []
        return sum(1 for d in duties if d.reported) / len(duties) if duties else None


def _pick_chain(t: StoredTask, reps: list[ReportRecord]) -> list[ReportRecord]:
    """The reports that speak for the task: its lead units' if any, else everyone's."""
    lead = [r for r in reps if r.unit in t.lead_units]
    return lead or reps


def _plan_start(t: StoredTask, periods: list[PeriodInfo]) -> date | None:
    """When the task's clock starts: the plan's date, or the day a later re-import added it."""
    start = t.plan_issued or (periods[0].start if periods else None)
    if t.added_on and (start is None or t.added_on > start):
        return t.added_on
    return start


def compute(tasks: list[StoredTask], reports: list[ReportRecord], periods: list[PeriodInfo],
            as_of: date, rules: Rules, *, escalate: bool = True) -> Snapshot:
    """Pure replay: statuses and duties from plain data (reports after ``as_of`` are ignored)."""
    all_reports = reports
    reports = [r for r in reports if r.report_date <= as_of]
    by_task: dict[int, list[ReportRecord]] = defaultdict(list)
    for r in sorted(reports, key=lambda r: (r.report_date, r.id)):
        by_task[r.task_pk].append(r)
    periods = sorted(periods, key=lambda p: p.start)
    statuses, duties = [], []
    for t in tasks:
        reps = by_task.get(t.pk, [])
        chain = _pick_chain(t, reps)
        last = chain[-1] if chain else None
        done_date = None
        for r in chain:
            if r.status == DONE_STATUS:
                done_date = done_date or r.report_date
            else:
                done_date = None
        start = _plan_start(t, periods)
        # reporting periods this task owes: due by as_of, not before the plan, not after completion
        owed = [p for p in periods if p.due < as_of and (start is None or p.end >= start)
                and (done_date is None or done_date >= p.start)]
        first_report: dict[str, date] = {}
        for r in reps:
            first_report.setdefault(r.period, r.report_date)
        streak = 0
        for p in owed:
            streak = 0 if p.key in first_report else streak + 1
        total_missed = sum(1 for p in owed if p.key not in first_report)
        late = sum(1 for p in owed if p.key in first_report and first_report[p.key] > p.due)
        percent = float(last.percent) if last else 0.0
        expected = gap = None
        if t.deadline and start:
            span = (t.deadline - start).days
            share = 1.0 if span <= 0 else min(1.0, max(0.0, (as_of - start).days / span))
            expected = round(share * 100, 1)
            gap = round(expected - percent, 1)
        overdue_days = (as_of - t.deadline).days if t.deadline and as_of > t.deadline and not done_date else 0
        if done_date:
            status = "done"
        elif overdue_days > 0:
            status = "overdue"
        elif t.deadline_kind == ONGOING:
            status = "ongoing" if streak == 0 and (chain or not owed) else "at_risk"
        elif last and last.status == LAGGING or gap is not None and gap > rules.at_risk_gap:
            status = "at_risk"
        elif not last or (last.status == "未启动" and percent == 0):
            status = "not_started"
        else:
            status = "on_track"
        ts = TaskStatus(
            plan=t.plan, id=t.id, title=t.title, section=t.section, deadline=t.deadline,
            deadline_text=t.deadline_text, lead_units=t.lead_units, responsible_units=t.responsible_units,
            status=status, status_label=STATUS_NAMES[status], percent=percent, expected=expected, gap=gap,
            last_report_date=last.report_date if last else None, last_status=last.status if last else "",
            last_progress=last.progress if last else "", last_problems=last.problems if last else "",
            reported_by=last.unit if last else "", missed_reports=streak, total_missed=total_missed,
            late_reports=late, overdue_days=overdue_days, done_date=done_date,
            done_on_time=bool(done_date and (t.deadline is None or done_date <= t.deadline)))
        metrics = {"status": status, "missed_reports": streak, "late_reports": late,
                   "overdue_days": overdue_days, "gap": gap if gap is not None else 0}
        level = rules.card(metrics)
        if level:
            ts.card, ts.card_name, ts.card_color = level.key, level.name, level.color
            ts.card_reason = ";".join(c.text() for c in level.when if c.holds(metrics))
        statuses.append(ts)
        # duties: each lead unit reports each owed period (plus the period containing as_of when due)
        unit_first: dict[tuple[str, str], date] = {}
        for r in reps:
            unit_first.setdefault((r.unit, r.period), r.report_date)
        for p in periods:
            if (start is not None and p.end < start) or p.start > as_of:
                continue
            if done_date is not None and done_date < p.start:
                continue
            for u in t.lead_units:
                duties.append(UnitDuty(u, t.pk, t.id, p.key, p.due, unit_first.get((u, p.key))))
    snap = Snapshot(as_of=as_of, rules=rules, tasks=tasks, statuses=statuses, duties=duties,
                    periods=periods, reports=reports)
    if escalate and rules.escalate_after > 0:
        _escalate(snap, (tasks, all_reports, periods), rules)
    return snap


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


def snapshot(store: Store, as_of: date | None = None, *, plan: str | None = None,
             rules: Rules | None = None) -> Snapshot:
    """Replay the store's history up to ``as_of`` (default today) for one plan or all plans."""
    as_of = as_of or date.today()
    rules = rules or load_rules()
    tasks = store.tasks(plan) if plan else store.tasks(all_plans=True)
    reports = store.reports(as_of=as_of, plan=plan)
    periods = store.periods()
    return compute(tasks, reports, periods, as_of, rules)


def task_status(store: Store, as_of: date | None = None, *, plan: str | None = None,
                rules: Rules | None = None) -> list[TaskStatus]:
    """Every live task's :class:`TaskStatus` as of a date."""
    return snapshot(store, as_of, plan=plan, rules=rules).statuses
