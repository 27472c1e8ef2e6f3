"""Which simulated days are working days: the official Chinese calendar plus local changes.

Public holidays and the weekend days that are worked in exchange (调休上班) come
from the maintained ``chinesecalendar`` package (years it covers), else from
``holidays.China`` plus ordinary weekends; a scenario's override list wins over both.

>>> from sim.scenario import CalendarSpec
>>> days = build_days(CalendarSpec(start=dt.date(2026, 9, 28), days=7))
>>> [(d.date.isoformat(), d.kind) for d in days][:5]  # doctest: +NORMALIZE_WHITESPACE
[('2026-09-28', 'workday'), ('2026-09-29', 'workday'), ('2026-09-30', 'workday'),
 ('2026-10-01', 'holiday'), ('2026-10-02', 'holiday')]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.workdays import official_kind

from . import labels
from .scenario import CalendarSpec

KINDS_CN = labels.DAY_KIND


@dataclass(frozen=True)
class Day:
    """One simulated day. ``as_weekday`` (0=Mon) picks the hours and volumes to use:
    a swapped working weekend day (调休上班) runs on Monday's hours."""

    index: int
    date: dt.date
    weekday: int
    kind: str  # workday | weekend | holiday | swap_workday

    @property
    def as_weekday(self) -> int:
        return 0 if self.kind == "swap_workday" else self.weekday

    @property
    def closed_all(self) -> bool:
        return self.kind == "holiday"


def build_days(spec: CalendarSpec, days: int | None = None) -> list[Day]:
    """The run's days from ``spec.start``; ``days`` overrides ``spec.days``."""
    n = spec.days if days is None else days
    overrides = {o.date: o.kind for o in spec.overrides}
    out = []
    for i in range(n):
        d = spec.start + dt.timedelta(days=i)
        kind = official_kind(d) if spec.use_official else ("weekend" if d.weekday() >= 5 else "workday")
        if d in overrides:
            o = overrides[d]
            if o == "holiday":
                kind = "holiday"
            elif o == "workday":
                kind = "swap_workday" if d.weekday() >= 5 else "workday"
        out.append(Day(i, d, d.weekday(), kind))
    return out
