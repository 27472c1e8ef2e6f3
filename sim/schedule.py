"""When each window group is open and how many windows it staffs, minute by minute.

The hall model consumes a list of :class:`Change` (time, group, windows, drain):
``drain=True`` marks a session end (noon closing or evening closing) after which
the group's windows still serve every ticket issued before that moment.

>>> from sim.scenario import WindowGroup
>>> from sim.calendar import Day
>>> import datetime as dt
>>> g = WindowGroup("户籍", types=["户籍"], regular=3)
>>> sessions(g, Day(0, dt.date(2026, 11, 2), 0, "workday"))
[(510, 720), (810, 1050)]
"""

from __future__ import annotations

from dataclasses import dataclass

from .calendar import Day
from .scenario import SLOT_MINUTES, WindowGroup, hm_to_min, parse_hours

DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class Change:
    """A new open-window target for one window group at one moment of a run.

    Parameters
    ----------
    time : float
        Absolute minutes since the start of day 0.
    group : int
        Window group index.
    windows : int
        Windows to have open from ``time`` on.
    drain : bool, default False
        Closing windows finish their current customer but call nobody new (end of hours).

    Examples
    --------
    >>> Change(540.0, 0, 2).windows
    2
    """

    time: float  # absolute minutes since the start of day 0
    group: int
    windows: int
    drain: bool = False


def sessions(group: WindowGroup, day: Day) -> list[tuple[int, int]]:
    """Open intervals (minutes of day); a closed lunch is cut out."""
    if day.closed_all:
        return []
    hours = parse_hours(group.hours[day.as_weekday] if day.as_weekday < len(group.hours) else "")
    if group.lunch_mode != "closed" or not hours:
        return hours
    lo, hi = hm_to_min(group.lunch_start), hm_to_min(group.lunch_end)
    out = []
    for a, b in hours:
        for x, y in ((a, min(b, lo)), (max(a, hi), b)):
            if y > x:
                out.append((x, y))
    return out


def base_windows(group: WindowGroup, day: Day, minute: float) -> int:
    """Windows the regular plan opens at ``minute`` of an open session."""
    n = group.regular
    if day.as_weekday >= 5 and group.weekend_windows is not None:
        n = group.weekend_windows
    if group.lunch_mode == "staggered":
        lo, hi = hm_to_min(group.lunch_start), hm_to_min(group.lunch_end)
        mid = (lo + hi) / 2
        if lo <= minute < mid:
            return n - n // 2
        if mid <= minute < hi:
            return n // 2 if n > 1 else n  # a lone clerk keeps the window: lunch is covered by nobody
    return n


def group_changes(
    gi: int, group: WindowGroup, day: Day, override: dict[tuple[str, int, int], int] | None = None
) -> list[Change]:
    """Changes of the open-window target for one group and day.

    ``override[(group name, day index, slot)]`` replaces the regular count in that
    30-minute slot (a staffing plan); the hall still only opens within its hours.
    """
    sess = sessions(group, day)
    if not sess:
        return []
    base = day.index * DAY_MINUTES
    points: set[float] = set()
    for a, b in sess:
        points.update((a, b))
        if group.lunch_mode == "staggered":
            lo, hi = hm_to_min(group.lunch_start), hm_to_min(group.lunch_end)
            points.update(p for p in (lo, (lo + hi) / 2, hi) if a < p < b)
        if override:
            s0 = int(a // SLOT_MINUTES) + 1
            points.update(s * SLOT_MINUTES for s in range(s0, int((b - 1) // SLOT_MINUTES) + 1))
    out: list[Change] = []
    last = None
    ends = {b for _a, b in sess}
    for p in sorted(points):
        inside = any(a <= p < b for a, b in sess)
        if not inside:
            if p in ends:
                out.append(Change(base + p, gi, 0, True))
                last = None
            continue
        n = base_windows(group, day, p)
        if override:
            n = override.get((group.name, day.index, int(p // SLOT_MINUTES)), n)
        if n != last:
            out.append(Change(base + p, gi, int(n), False))
            last = n
    return out


def type_open_intervals(group_sessions: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Union of the sessions of the groups serving a type (when its tickets are issued)."""
    ivs = sorted(iv for s in group_sessions for iv in s)
    out: list[list[int]] = []
    for a, b in ivs:
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def lunch_relief_minutes(group: WindowGroup, day: Day) -> float:
    """Staff minutes on duty but at lunch in rotation (午间不打烊): they count as staff-hours
    though their windows are shut. ``n`` staff, lunch of ``L`` minutes: ``n·L/2`` (none for n=1)."""
    if group.lunch_mode != "staggered" or not sessions(group, day):
        return 0.0
    n = group.weekend_windows if (day.as_weekday >= 5 and group.weekend_windows is not None) else group.regular
    lo, hi = hm_to_min(group.lunch_start), hm_to_min(group.lunch_end)
    inside = any(a <= lo and hi <= b for a, b in sessions(group, day))
    return n * (hi - lo) / 2 if inside and n > 1 else 0.0
