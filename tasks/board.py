"""The decision board (总览) for the office and for leaders: what is late, who is lagging, what comes next.

Everything is computed here from a :class:`tasks.progress.Snapshot` (plain data in, plain data
out); the page only shows it.

- :func:`headline`: one sentence, e.g. ``截至2021年11月30日,36项任务已办结22项;本月新增逾期2项;
  报送率83%,较上月下降5个百分点。``
- ``late``: overdue tasks and tasks holding the top card, most days overdue first, each with plan,
  lead unit and the reason in words;
- ``lagging``: the five lowest units by the ranking rule (:func:`tasks.progress.ranking`), worst
  first, only units that lost points or have late tasks;
- ``due_soon``: unfinished tasks due in the next 30 days;
- ``trend``: done, overdue and 报送率 at the end of each month (as a replay of the reports as of that
  day counts them, read from the kept done-state history), with one sentence comparing the last two
  months.

报送率 of a month is the share of that month's reporting duties (each lead unit, each open task)
that had been reported by the board's date.

>>> from datetime import date
>>> from tasks.progress.rules import default_rules
>>> from tasks.progress.status import Snapshot, TaskStatus
>>> def ts(i, status, deadline, days=0, card=None):
...     return TaskStatus("计划甲", i, f"任务{i}", "", deadline, "", ["市审改办"], [], status, "",
...                       overdue_days=days, card=card, card_name="红牌" if card else "",
...                       card_reason=f"已逾期{days}天" if days else "")
>>> snap = Snapshot(date(2021, 11, 30), default_rules(), [], [
...     ts("1", "done", date(2021, 9, 30)), ts("2", "overdue", date(2021, 11, 10), 20, "red"),
...     ts("3", "overdue", date(2021, 10, 20), 41, "red"), ts("4", "on_track", date(2021, 12, 20))])
>>> b = build_board(snap)
>>> b.headline
'截至2021年11月30日,4项任务已办结1项;本月新增逾期1项;尚无到期的报送期,报送率暂不计算。'
>>> [(r.id, r.overdue_days) for r in b.late], [r.id for r in b.due_soon]
([('3', 41), ('2', 20)], ['4'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from core.officedoc import cn_date

from .progress.scorecard import Scorecard, ranking, ranking_rule
from .progress.status import Snapshot, TaskStatus, compute
from .store import month_of

__all__ = [
    "Board",
    "BoardRow",
    "LaggingUnit",
    "TrendPoint",
    "build_board",
    "headline",
    "trend",
    "trend_sentence",
    "late_tasks",
    "lagging_units",
    "board_rows",
    "unit_task_rows",
    "change_words",
    "plan_starts",
]


@dataclass(frozen=True)
class BoardRow:
    """One task as the board lists it: status, progress, deadline and card first, long text last."""

    plan: str
    id: str
    status: str
    status_label: str
    percent: float
    deadline: date | None
    deadline_text: str
    card: str
    card_name: str
    overdue_days: int
    days_left: int | None
    lead_units: str
    reason: str
    title: str
    last_report_date: date | None = None
    last_progress: str = ""
    leads: tuple[str, ...] = ()


@dataclass(frozen=True)
class LaggingUnit:
    """A unit near the bottom of the ranking, with the figures behind its score."""

    rank: int
    units_ranked: int
    unit: str
    score: float
    led: int
    overdue: int
    at_risk: int
    cards: str
    missed: int
    late: int
    compliance: float | None


@dataclass(frozen=True)
class TrendPoint:
    """The state at the end of one month (or on the board's date for the current month)."""

    month: str
    label: str
    on: date
    done: int
    overdue: int
    compliance: float | None


@dataclass(frozen=True)
class Board:
    """Everything the 总览 page shows."""

    as_of: date
    total: int
    counts: dict[str, int]
    compliance: float | None
    period: str | None
    headline: str
    late: list[BoardRow]
    lagging: list[LaggingUnit]
    due_soon: list[BoardRow]
    trend: list[TrendPoint]
    trend_sentence: str
    rule_text: str
    plans: list[str] = field(default_factory=list)


def board_rows(statuses: list[TaskStatus], as_of: date) -> list[BoardRow]:
    """Board rows of ``statuses`` in their order (reason: the card's reason, else 逾期N天)."""
    out = []
    for s in statuses:
        reason = s.card_reason or (f"已逾期{s.overdue_days}天" if s.overdue_days else "")
        out.append(
            BoardRow(
                plan=s.plan,
                id=s.id,
                status=s.status,
                status_label=s.status_label,
                percent=s.percent,
                deadline=s.deadline,
                deadline_text=s.deadline_text,
                card=s.card or "",
                card_name=s.card_name,
                overdue_days=s.overdue_days,
                days_left=(s.deadline - as_of).days if s.deadline else None,
                lead_units="、".join(s.lead_units),
                reason=reason,
                title=s.title,
                last_report_date=s.last_report_date,
                last_progress=s.last_progress,
                leads=tuple(s.lead_units),
            )
        )
    return out


def _id_key(task_id: str) -> tuple[int, int, str]:
    return (0, int(task_id), "") if task_id.isdigit() else (1, 0, task_id)


def late_tasks(snap: Snapshot) -> list[BoardRow]:
    """Overdue tasks and tasks holding the highest card level, most days overdue first."""
    top = snap.rules.levels[-1].key if snap.rules.levels else None
    late = [s for s in snap.statuses if s.status == "overdue" or (top and s.card == top)]
    late.sort(key=lambda s: (-s.overdue_days, s.plan, _id_key(s.id)))
    return board_rows(late, snap.as_of)


def lagging_units(snap: Snapshot, n: int = 5, cards: list[Scorecard] | None = None) -> list[LaggingUnit]:
    """The ``n`` lowest-ranked units (worst first) that lost points or lead overdue/at-risk tasks."""
    cards = cards if cards is not None else ranking(snap)
    base = snap.rules.base
    names = {lv.key: lv.name for lv in snap.rules.levels}
    behind = [c for c in cards if c.score < base or c.overdue or c.at_risk]
    worst = sorted(behind, key=lambda c: (-c.rank, c.unit))[:n]
    return [
        LaggingUnit(
            rank=c.rank,
            units_ranked=len(cards),
            unit=c.unit,
            score=c.score,
            led=c.led,
            overdue=c.overdue,
            at_risk=c.at_risk,
            cards="、".join(f"{names.get(k, k)}{v}张" for k, v in c.cards.items() if v) or "无",
            missed=c.missed,
            late=c.late,
            compliance=c.compliance if c.duties else None,
        )
        for c in worst
    ]


def _month_ends(snap: Snapshot, months: int) -> list[tuple[str, date]]:
    """(month key, day to replay) for the last ``months`` months up to the board's date."""
    starts = [p.start for p in snap.periods]
    first = min(starts) if starts else snap.as_of.replace(day=1)
    out: list[tuple[str, date]] = []
    m = month_of(snap.as_of)
    while m.end >= first and len(out) < months:
        out.append((m.key, min(m.end, snap.as_of)))
        m = month_of(m.start - timedelta(days=1))
    return list(reversed(out))


def trend(snap: Snapshot, months: int = 12) -> list[TrendPoint]:
    """Done, overdue and 报送率 at the end of each month since the first reporting period (at most ``months``)."""
    due = {p.key for p in snap.periods if p.due < snap.as_of}
    out = []
    ends = _month_ends(snap, months)
    one_year = len({key[:4] for key, _day in ends}) <= 1
    # earlier month ends: from the kept done-state history when the snapshot was read from the kept
    # tables, else replayed from its reports (the same counts: a test compares them)
    kept = snap.past_done_overdue([day for _key, day in ends if day != snap.as_of])
    for key, day in ends:
        if day == snap.as_of:
            counts = snap.counts() if snap.statuses else {}
        elif kept is not None:
            counts = dict(zip(("done", "overdue"), kept[day])) if snap.statuses else {}
        else:
            past = compute(snap.tasks, snap.reports, snap.periods, day, snap.rules, escalate=False)
            counts = past.counts() if past.statuses else {}
        m = int(key[5:])
        out.append(
            TrendPoint(
                month=key,
                label=f"{m}月" if one_year else f"{key[:4]}年{m}月",
                on=day,
                done=counts.get("done", 0),
                overdue=counts.get("overdue", 0),
                compliance=snap.compliance(key) if key in due else None,
            )
        )
    return out


def change_words(now: float, before: float, unit: str = "项", *, points: bool = False) -> str:
    """``增加3项`` / ``减少2项`` / ``持平``; with ``points`` a rate change in 百分点 (fractions in).

    >>> change_words(5, 2), change_words(0.78, 0.83, points=True), change_words(4, 4)
    ('增加3项', '下降5个百分点', '持平')
    """
    if points:
        diff = round(now * 100) - round(before * 100)
        return "持平" if diff == 0 else f"{'上升' if diff > 0 else '下降'}{abs(diff)}个百分点"
    d = now - before
    d_text = f"{abs(d):g}"
    return "持平" if d == 0 else f"{'增加' if d > 0 else '减少'}{d_text}{unit}"


def trend_sentence(points: list[TrendPoint]) -> str:
    """One line comparing the last two months (or saying there is not enough history).

    >>> p = [TrendPoint("2021-10", "10月", date(2021, 10, 31), 18, 1, 0.88),
    ...      TrendPoint("2021-11", "11月", date(2021, 11, 30), 22, 3, 0.83)]
    >>> trend_sentence(p)
    '11月与10月相比:已办结增加4项,逾期增加2项,报送率下降5个百分点。'
    """
    if len(points) < 2:
        return "历史不足两个月,暂无变化趋势。"
    a, b = points[-2], points[-1]
    parts = [f"已办结{change_words(b.done, a.done)}", f"逾期{change_words(b.overdue, a.overdue)}"]
    if a.compliance is not None and b.compliance is not None:
        parts.append(f"报送率{change_words(b.compliance, a.compliance, points=True)}")
    return f"{b.label}与{a.label}相比:" + ",".join(parts) + "。"


def headline(snap: Snapshot) -> str:
    """The board's first sentence, built from the data."""
    counts = snap.counts()
    total = len(snap.statuses)
    month_start = snap.as_of.replace(day=1)
    new_overdue = sum(
        1
        for s in snap.statuses
        if s.status == "overdue" and s.deadline and s.deadline >= month_start - timedelta(days=1)
    )
    parts = [
        f"截至{cn_date(snap.as_of)},{total}项任务已办结{counts.get('done', 0)}项",
        f"本月新增逾期{new_overdue}项" if new_overdue else "本月无新增逾期任务",
    ]
    period = snap.latest_due_period()
    rate = snap.compliance(period) if period else None
    if rate is None:
        parts.append("尚无到期的报送期,报送率暂不计算")
    else:
        text = f"报送率{rate:.0%}"
        due = [p.key for p in snap.periods if p.due < snap.as_of]
        prev = snap.compliance(due[-2]) if len(due) >= 2 else None
        if prev is not None:
            change = change_words(rate, prev, points=True)
            text += ",与上月持平" if change == "持平" else f",较上月{change}"
        parts.append(text)
    return ";".join(parts) + "。"


def build_board(snap: Snapshot, *, due_days: int = 30, lagging: int = 5, months: int = 12) -> Board:
    """The whole board as of the snapshot's date."""
    cards = ranking(snap)
    points = trend(snap, months)
    period = snap.latest_due_period()
    return Board(
        as_of=snap.as_of,
        total=len(snap.statuses),
        counts=snap.counts(),
        compliance=snap.compliance(period) if period else None,
        period=period,
        headline=headline(snap),
        late=late_tasks(snap),
        lagging=lagging_units(snap, lagging, cards),
        due_soon=board_rows(snap.due_within(due_days), snap.as_of),
        trend=points,
        trend_sentence=trend_sentence(points),
        rule_text=ranking_rule(snap),
        plans=sorted({s.plan for s in snap.statuses}),
    )


def unit_task_rows(snap: Snapshot, unit: str) -> list[BoardRow]:
    """Every task a unit leads or joins (leads first), for its printable task list.

    >>> from tasks.progress.rules import default_rules
    >>> from tasks.progress.status import TaskStatus
    >>> a = TaskStatus("p", "2", "甲", "", None, "长期", ["市局"], [], "ongoing", "长期推进")
    >>> b = TaskStatus("p", "1", "乙", "", None, "", ["市委"], ["市局"], "on_track", "正常推进")
    >>> [r.id for r in unit_task_rows(Snapshot(date(2021, 9, 1), default_rules(), [], [a, b]), "市局")]
    ['2', '1']
    """
    mine = [s for s in snap.statuses if unit in s.lead_units or unit in s.responsible_units]
    mine.sort(key=lambda s: (unit not in s.lead_units, s.plan, _id_key(s.id)))
    return board_rows(mine, snap.as_of)


def plan_starts(snap: Snapshot) -> dict[str, date]:
    """Each plan's start date as the supervision loop counts it (its issue date, else the first reporting
    period's start); plans with neither are left out.

    >>> from tasks.progress.rules import default_rules
    >>> from tasks.store import StoredTask
    >>> t = StoredTask(1, "甲", "1", "", "", None, "none", "", plan_issued=date(2021, 8, 9))
    >>> plan_starts(Snapshot(date(2021, 9, 1), default_rules(), [t], []))
    {'甲': datetime.date(2021, 8, 9)}
    """
    first_period = min((p.start for p in snap.periods), default=None)
    out: dict[str, date] = {}
    for t in snap.tasks:
        start = t.plan_issued or first_period
        if start is not None and (t.plan not in out or start < out[t.plan]):
            out[t.plan] = start
    return out
