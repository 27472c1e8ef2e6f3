"""Per-unit scorecards, the ranking (with its rule in words) and the reminder list (催办).

>>> snap = snapshot(store, date(2021, 11, 10))       # doctest: +SKIP
>>> [(c.rank, c.unit, c.score) for c in ranking(snap)][:3]   # doctest: +SKIP
>>> reminders(snap, "2021-10")                               # doctest: +SKIP
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from core.officedoc import cn_date

from ..store import parse_period
from .status import Snapshot


@dataclass
class Scorecard:
    """A unit's record as of a date; ``score`` follows ``rules.scoring_text()``."""

    unit: str
    led: int = 0
    joined: int = 0
    done: int = 0
    done_on_time: int = 0
    overdue: int = 0
    at_risk: int = 0
    duties: int = 0
    reported: int = 0
    on_time: int = 0
    late: int = 0
    missed: int = 0
    cards: dict[str, int] = field(default_factory=dict)
    score: float = 0.0
    rank: int = 0

    @property
    def compliance(self) -> float:
        """Share of due reports that were sent (1.0 when nothing was due yet)."""
        return 1.0 if self.duties == 0 else round(self.reported / self.duties, 4)

    @property
    def on_time_rate(self) -> float:
        return 1.0 if self.duties == 0 else round(self.on_time / self.duties, 4)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["compliance"], d["on_time_rate"] = self.compliance, self.on_time_rate
        return d


def scorecards(snap: Snapshot, units: list[str] | None = None, *, period: str | None = None) -> list[Scorecard]:
    """One card per unit that leads or joins a task (collective names such as 市直各相关单位 excluded).

    ``period`` (``2021-09``, ``2021-Q3``, ``2021-H2``) counts reporting duties
    (reported, late, missed) only for the months of that period, so a period
    report ranks units on that period; task states and cards are as of the
    snapshot date.  Without it every duty since the plan started counts.
    """
    from ..units import is_collective as collective

    is_collective = lru_cache(maxsize=None)(collective)  # asked once per duty: millions of times at 50,000 tasks

    months = {m.key for m in parse_period(period).months()} if period else None
    cards: dict[str, Scorecard] = {}

    def card(u: str) -> Scorecard:
        if u not in cards:
            cards[u] = Scorecard(u, cards={lv.key: 0 for lv in snap.rules.levels})
        return cards[u]

    for s in snap.statuses:
        for u in s.lead_units:
            if is_collective(u):
                continue
            c = card(u)
            c.led += 1
            c.done += s.status == "done"
            c.done_on_time += s.done_on_time
            c.overdue += s.status == "overdue"
            c.at_risk += s.status == "at_risk"
            if s.card:
                c.cards[s.card] = c.cards.get(s.card, 0) + 1
        for u in s.responsible_units:
            if not is_collective(u) and u not in s.lead_units:
                card(u).joined += 1
    as_of = snap.as_of  # read once: a Snapshot attribute goes through its lazy-loading __getattribute__
    for d in snap.duties:
        if is_collective(d.unit) or d.due >= as_of and d.reported is None:
            continue
        if months is not None and d.period not in months:
            continue  # not due yet and not sent: no merit, no fault
        c = card(d.unit)
        c.duties += 1
        if d.reported is None:
            c.missed += 1
        else:
            c.reported += 1
            c.on_time += d.on_time
            c.late += not d.on_time
    r = snap.rules
    points = {lv.key: lv.points for lv in r.levels}
    for c in cards.values():
        c.score = round(
            r.base
            - sum(points[k] * n for k, n in c.cards.items())
            - r.late_report * c.late
            - r.missed_report * c.missed
            + r.done_on_time * c.done_on_time,
            2,
        )
    out = [cards[u] for u in sorted(cards)]
    if units is not None:
        out = [c for c in out if c.unit in set(units)]
    return out


def ranking(snap: Snapshot, units: list[str] | None = None, *, period: str | None = None) -> list[Scorecard]:
    """Scorecards of units that lead tasks, best first; equal (score, on-time completions, compliance) share a rank.

    Units that only join tasks (责任单位) owe no reports and are not ranked.
    """
    cards = sorted(
        (c for c in scorecards(snap, units, period=period) if c.led),
        key=lambda c: (-c.score, -c.done_on_time, -c.compliance, c.unit),
    )
    prev, rank = None, 0
    for i, c in enumerate(cards, 1):
        key = (c.score, c.done_on_time, c.compliance)
        if key != prev:
            rank, prev = i, key
        c.rank = rank
    return cards


def ranking_rule(snap: Snapshot, period: str | None = None) -> str:
    """The scoring rule in words, to print beside every ranking (``period`` as given to :func:`ranking`)."""
    text = snap.rules.scoring_text()
    if period:
        text += f"。报送情况(应报、迟报、未报送)只计{parse_period(period).label()}内各月,任务状态和预警截至{cn_date(snap.as_of)}"
    return text


@dataclass
class Reminder:
    """A unit that has not reported for a period, and the tasks it still owes."""

    unit: str
    period: str
    due: date
    overdue: bool
    tasks: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["due"] = self.due.isoformat()
        return d

    def text(self) -> str:
        ids = "、".join(t["id"] for t in self.tasks)
        state = "已超过报送期限" if self.overdue else "尚未报送"
        return f"{self.unit}:{self.period} 进展{state}(期限 {self.due.isoformat()}),涉及任务 {ids}"


def reminders(snap: Snapshot, period: str | None = None) -> list[Reminder]:
    """催办名单: units with open tasks that have not reported for ``period`` (default: latest period due).

    A unit is listed with every task it leads that has no report from it for
    the period as of the snapshot date.
    """
    from ..units import is_collective as collective

    is_collective = lru_cache(maxsize=None)(collective)  # asked once per duty

    if period is None:
        due = [p for p in snap.periods if p.due < snap.as_of]
        if not due:
            return []
        period = due[-1].key
    key = parse_period(period, "month").key
    by_pk = {t.pk: t for t in snap.tasks}
    status = {(s.plan, s.id): s for s in snap.statuses}
    owed: dict[str, list] = defaultdict(list)
    due_of = None
    for d in snap.duties:
        if d.period != key or d.reported is not None or is_collective(d.unit):
            continue
        due_of = d.due
        t = by_pk[d.task_pk]
        st = status[(t.plan, t.id)]
        owed[d.unit].append(
            {
                "plan": t.plan,
                "id": t.id,
                "title": t.title,
                "deadline": t.deadline.isoformat() if t.deadline else None,
                "status": st.status,
                "status_label": st.status_label,
            }
        )
    pinfo = next((p for p in snap.periods if p.key == key), None)
    due_date = pinfo.due if pinfo else due_of
    return [Reminder(u, key, due_date, snap.as_of > due_date, owed[u]) for u in sorted(owed)]  # type: ignore[arg-type, operator]
