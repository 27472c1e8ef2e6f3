"""Staff roster with OR-Tools CP-SAT: named people, skills, weekly limits, fair weekend duty, 调休.

Why: the staffing step says how many windows each group needs per 30-minute slot; this module
decides who opens them, day by day, so that the rota is legal and fair and can be simulated.

Rules (each is checked again on the solved roster by the tests, not trusted from the solver):
- at most one shift a day, only shifts allowed on that kind of day, only groups the person can serve,
  never on a day the person is unavailable;
- at most ``max_days_per_week`` (5) working days in each calendar week (Mon–Sun) and at most
  the person's weekly hours; never more than ``max_consecutive`` (6) working days in a row;
- 调休: every duty on a rest day (weekend or public holiday) earns its own day off on a statutory
  working day within the next 7 days (two weekend days worked, two days off); a duty whose 7 days
  run past the horizon and cannot be compensated inside it is reported as pending;
- weekend duties (duties on rest days) differ by at most 1 between eligible people (those who can
  serve a group open on rest days and are available on at least one such day);
- coverage: for each group, date and slot, the people on duty there ≥ the requirement; a shortfall
  is allowed only at a high penalty and is reported slot by slot.
- AB岗 (``ab_cover=True``): every person names backups (:func:`check_backups`); on each working
  day their home group is open, the person or one of the backups is on duty; a leave request
  (``Person.leave_requests``) is granted unless granting it would break that cover;
- balance (``balance=Balance(...)``): paid hours per person within a band over the horizon
  (upper limit hard; lower limit soft but outweighing any shortfall; a band no roster can hold
  is refused before solving, :func:`check_hours_band`; :func:`default_hours_band` derives one
  from demand), at most so many half-day shifts and so many days lent to other groups per person.
Objective (lexicographic): phase 1 — AB岗 gaps, then refused leave, then hours under the band,
then shortfall (weights ``W_*``); phase 2 — with that held, paid staff-hours (= excess over the
requirement), then unfairness (spread of weekend duties). The steps that build the model are
named functions (``_add_coverage``, ``_add_work_limits``, ``_add_comp_rest`` …).

>>> from datetime import date
>>> days = [Day(date(2026, 3, 2), workday=True)]
>>> people = [Person("甲", "社会服务", ("社会服务",))]
>>> req = {("社会服务", date(2026, 3, 2), 510): 1}
>>> r = solve_roster(people, default_shifts(), days, req, time_limit=5)
>>> r.status, r.shortfall_total
('OPTIMAL', 0)
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from ortools.sat.python import cp_model

from .scenario import hm_to_min

SLOT = 30  # minutes per slot

#: requirement: (group, date, slot start in minutes from midnight) -> windows to staff
Requirement = Mapping[tuple[str, date, int], int]


@dataclass(frozen=True)
class Person:
    """One member of staff; ``groups`` are the window groups the person may serve.

    ``unavailable`` days are fixed (approved leave, training); ``backups`` name the person's
    AB岗 B-post colleagues; ``leave_requests`` are days asked off, granted by the roster unless
    granting would leave the post without cover (see :func:`solve_roster` ``ab_cover``).
    """

    name: str
    home_group: str
    groups: tuple[str, ...]
    weekly_hours: float = 40.0
    unavailable: frozenset[date] = frozenset()
    backups: tuple[str, ...] = ()
    leave_requests: frozenset[date] = frozenset()


@dataclass(frozen=True)
class Shift:
    """A shift from ``start`` to ``end`` (minutes from midnight) with an optional unpaid lunch break.

    ``days``: "workday" (statutory working days), "restday" (weekends and holidays) or "all".
    """

    code: str
    name: str
    start: int
    end: int
    lunch: tuple[int, int] | None = None
    days: str = "all"
    colour: str = "C6EFCE"

    def covers(self, slot: int) -> bool:
        """True when the person is at the window for the whole slot starting at ``slot``."""
        if slot < self.start or slot + SLOT > self.end:
            return False
        return not (self.lunch and slot < self.lunch[1] and slot + SLOT > self.lunch[0])

    @property
    def paid_minutes(self) -> int:
        lunch = (self.lunch[1] - self.lunch[0]) if self.lunch else 0
        return self.end - self.start - lunch

    def allowed_on(self, day: Day) -> bool:
        return self.days == "all" or (self.days == "workday") == day.workday


@dataclass(frozen=True)
class Day:
    """A date of the horizon; ``workday`` is a statutory working day (incl. adjusted working weekends)."""

    date: date
    workday: bool
    label: str = ""


def default_shifts() -> list[Shift]:
    """Full day with lunch closed, two staggered lunch-cover full days (午间不打烊), half days, weekend.

    Returns
    -------
    list of Shift
        Codes ``D``, ``D1``, ``D2``, ``AM``, ``PM`` and ``W`` (weekend duty).

    Examples
    --------
    >>> [(s.code, s.paid_minutes) for s in default_shifts()][:2]
    [('D', 450), ('D1', 480)]
    """
    return [
        Shift(
            "D",
            "全天",
            hm_to_min("08:30"),
            hm_to_min("17:30"),
            (hm_to_min("12:00"), hm_to_min("13:30")),
            "all",
            "C6EFCE",
        ),
        Shift(
            "D1",
            "全天(早午休)",
            hm_to_min("08:30"),
            hm_to_min("17:30"),
            (hm_to_min("11:30"), hm_to_min("12:30")),
            "all",
            "A9D08E",
        ),
        Shift(
            "D2",
            "全天(晚午休)",
            hm_to_min("08:30"),
            hm_to_min("17:30"),
            (hm_to_min("12:30"), hm_to_min("13:30")),
            "all",
            "70AD47",
        ),
        Shift("AM", "上午", hm_to_min("08:30"), hm_to_min("12:00"), None, "all", "FFF2CC"),
        Shift("PM", "下午", hm_to_min("13:30"), hm_to_min("17:30"), None, "all", "FCE4D6"),
        Shift(
            "W",
            "周末班",
            hm_to_min("09:00"),
            hm_to_min("17:00"),
            (hm_to_min("12:00"), hm_to_min("13:00")),
            "restday",
            "BDD7EE",
        ),
    ]


@dataclass
class RosterResult:
    """The solved roster and everything a planner needs to judge it."""

    status: str
    assignments: list[tuple[str, date, str, str]]  # (person, date, shift code, group)
    coverage: dict[tuple[str, date, int], int]
    requirement: dict[tuple[str, date, int], int]
    shortfall: dict[tuple[str, date, int], int]
    weekend_duties: dict[str, int]
    eligible_weekend: list[str]
    pending_comp_rest: list[tuple[str, date]]
    objective: float | None
    bound: float | None
    wall_seconds: float
    paid_hours: float
    required_window_hours: float
    days: list[Day] = field(default_factory=list)
    phase1_status: str = ""
    phase1_seconds: float = 0.0
    greedy_shortfall: int | None = None
    comp_rest: dict[tuple[str, date], date] = field(default_factory=dict)  # (person, duty day) -> 调休 day
    leave_granted: list[tuple[str, date]] = field(default_factory=list)
    leave_refused: list[tuple[str, date]] = field(default_factory=list)  # would have broken AB岗 cover
    ab_gaps: list[tuple[str, date]] = field(default_factory=list)  # post open, neither A nor a B on duty
    person_hours: dict[str, float] = field(default_factory=dict)  # paid hours per person over the horizon
    person_band: dict[str, tuple[float, float]] = field(default_factory=dict)  # hours band per person (scaled)

    @property
    def band_misses(self) -> list[tuple[str, float, float, float]]:
        """People whose paid hours are outside their band: (name, hours, low, high).

        >>> r = RosterResult("FEASIBLE", [], {}, {}, {}, {}, [], [], None, None, 0.0, 0.0, 0.0,
        ...                  person_hours={"甲": 30.0, "乙": 40.0}, person_band={"甲": (32.0, 48.0), "乙": (32.0, 48.0)})
        >>> r.band_misses
        [('甲', 30.0, 32.0, 48.0)]
        """
        return [
            (n, self.person_hours.get(n, 0.0), lo, hi)
            for n, (lo, hi) in self.person_band.items()
            if not lo - 1e-6 <= self.person_hours.get(n, 0.0) <= hi + 1e-6
        ]

    @property
    def shortfall_total(self) -> int:
        return sum(self.shortfall.values())

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        return abs(self.objective - self.bound) / max(1.0, abs(self.objective))

    @property
    def weekend_duty_spread(self) -> int:
        vals = [self.weekend_duties.get(p, 0) for p in self.eligible_weekend]
        return (max(vals) - min(vals)) if vals else 0

    def shortfall_list(self) -> list[tuple[str, date, int, int]]:
        """Shortfalls as (group, date, slot start minute, missing windows) by date, group, slot:
        the one order the CLI, the roster workbook and the page list them in.

        >>> d1, d2 = date(2026, 3, 2), date(2026, 3, 3)
        >>> r = RosterResult("FEASIBLE", [], {}, {}, {("综合", d2, 510): 1, ("综合", d1, 540): 2, ("综合", d1, 510): 1},
        ...                  {}, [], [], None, None, 0.0, 0.0, 0.0)
        >>> [(d.day, s, n) for _, d, s, n in r.shortfall_list()]
        [(2, 510, 1), (2, 540, 2), (3, 510, 1)]
        """
        return [
            (g, d, s, n)
            for (g, d, s), n in sorted(self.shortfall.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[0][2]))
        ]

    def summary(self) -> dict:
        return {
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "wall_seconds": round(self.wall_seconds, 3),
            "phase1_status": self.phase1_status,
            "phase1_seconds": round(self.phase1_seconds, 3),
            "greedy_shortfall": self.greedy_shortfall,
            "shortfall_slots": len(self.shortfall),
            "shortfall_window_slots": self.shortfall_total,
            "weekend_duty_spread": self.weekend_duty_spread,
            "paid_hours": self.paid_hours,
            "required_window_hours": self.required_window_hours,
            "paid_to_required": (self.paid_hours / self.required_window_hours if self.required_window_hours else None),
            "comp_rest_days": len(self.comp_rest),
            "leave_granted": len(self.leave_granted),
            "leave_refused": [[p, d.isoformat()] for p, d in self.leave_refused],
            "ab_gaps": [[p, d.isoformat()] for p, d in self.ab_gaps],
            "hours_min": min(self.person_hours.values(), default=0.0),
            "hours_max": max(self.person_hours.values(), default=0.0),
            "band_misses": [[n, h, lo, hi] for n, h, lo, hi in self.band_misses],
            "pending_comp_rest": [[p, d.isoformat()] for p, d in self.pending_comp_rest],
        }


def weeks_of(days: list[Day]) -> list[list[int]]:
    """Indices of ``days`` grouped by calendar week (Monday–Sunday)."""
    out: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, d in enumerate(days):
        iso = d.date.isocalendar()
        out[iso.year, iso.week].append(i)
    return list(out.values())


def comp_rest_window(days: list[Day], i: int) -> list[int] | None:
    """Workday indices within 7 days after rest-day duty ``i``; None when they fall outside the horizon."""
    end = days[i].date + timedelta(days=7)
    window = [j for j in range(i + 1, len(days)) if days[j].date <= end and days[j].workday]
    if days[-1].date < end and not window:
        return None
    return window


def _greedy(
    people: list[Person],
    shifts: list[Shift],
    days: list[Day],
    req: dict,
    need_by_day: dict,
    useful: dict,
    max_days_per_week: int,
    max_consecutive: int,
    balance: Balance | None = None,
    grant_leave: bool = False,
    ab_cover: bool = False,
    fair_spread: int = 1,
) -> set[tuple[int, int, int, str]]:
    """A quick day-by-day roster used as the solver's starting hint (it may leave gaps).

    It keeps every hard rule (so the solver starts from a feasible roster): one shift a day,
    weekly days and hours, consecutive days, 调休 owed, the caps on half days and days lent out
    and the upper limit of the hours band of ``balance`` (the least paid are chosen first, which
    brings people towards the lower limit); with ``grant_leave`` requested leave is treated as a day off; with ``ab_cover``
    each open post gets its person or a backup on duty (refusing leave only when no one else can)."""
    max_half = balance.max_half_days if balance is not None and balance.max_half_days is not None else 10**9
    max_lent = balance.max_lent_days if balance is not None and balance.max_lent_days is not None else 10**9
    band = balance.hours_band if balance is not None else None
    cap = [person_band_minutes(pr, days, band)[1] if band is not None else 10**9 for pr in people]
    halves = [0] * len(people)
    lent = [0] * len(people)
    week_of = {i: n for n, week in enumerate(weeks_of(days)) for i in week}
    days_in_week: dict[tuple[int, int], int] = defaultdict(int)
    mins_in_week: dict[tuple[int, int], int] = defaultdict(int)
    run = [0] * len(people)
    duties = [0] * len(people)
    owed: list[list[int]] = [[] for _ in people]  # last workday index by which a rest is due
    total = [0] * len(people)
    chosen: set[tuple[int, int, int, str]] = set()
    for i, day in enumerate(days):
        # shifts per group: cover the day's profile, most newly covered window-slots per paid minute
        demands = []
        for g, slots in need_by_day.get(i, {}).items():
            left = {s: req[g, day.date, s] for s in slots}
            while any(v > 0 for v in left.values()):

                def gain(k, left=left):
                    return sum(1 for s, v in left.items() if v > 0 and shifts[k].covers(s))

                best = max(useful.get((i, g), []), key=lambda k: gain(k) / shifts[k].paid_minutes, default=None)
                if best is None or gain(best) == 0:
                    break
                for s in left:
                    if shifts[best].covers(s):
                        left[s] -= 1
                demands.append((g, best))
        cands = {g: [p for p, pr in enumerate(people) if g in pr.groups] for g, _ in demands}
        demands.sort(key=lambda d: len(cands[d[0]]))
        busy: set[int] = set()

        def fits(
            p: int, k: int, g: str, leave_ok: bool = True, i: int = i, day: Day = day, busy: set[int] = busy
        ) -> bool:
            pr = people[p]
            if p in busy or day.date in pr.unavailable or run[p] >= max_consecutive:
                return False
            if leave_ok and grant_leave and day.date in pr.leave_requests:
                return False
            if shifts[k].paid_minutes < HALF_DAY_MINUTES and halves[p] >= max_half:
                return False
            if g != pr.home_group and lent[p] >= max_lent:
                return False
            if days_in_week[p, week_of[i]] >= max_days_per_week:
                return False
            if mins_in_week[p, week_of[i]] + shifts[k].paid_minutes > pr.weekly_hours * 60:
                return False
            if total[p] + shifts[k].paid_minutes > cap[p]:  # the band's upper limit
                return False
            return not (day.workday and any(due <= i for due in owed[p]))

        def room(p: int, k: int, i: int = i) -> bool:
            """Room left in the week for a weekend duty after shift ``k`` (for the extra assignments:
            a substituted full day, an AB岗 cover), so weekend fairness (a hard rule) stays reachable."""
            return (
                days_in_week[p, week_of[i]] + 1 < max_days_per_week
                and mins_in_week[p, week_of[i]] + shifts[k].paid_minutes + 480 <= people[p].weekly_hours * 60
            )

        def take(p: int, k: int, g: str, i: int = i, busy: set[int] = busy) -> None:
            busy.add(p)
            chosen.add((p, i, k, g))
            halves[p] += shifts[k].paid_minutes < HALF_DAY_MINUTES
            lent[p] += g != people[p].home_group

        for g, k in demands:
            # the shift itself, else one covering at least its slots (a full day when half days run out)
            slots_k = {s for s in need_by_day[i][g] if shifts[k].covers(s)}
            options = [k] + sorted(
                (
                    k2
                    for k2 in useful.get((i, g), [])
                    if k2 != k and slots_k <= {s for s in need_by_day[i][g] if shifts[k2].covers(s)}
                ),
                key=lambda k2: shifts[k2].paid_minutes,
            )
            for kk in options:
                ok = [p for p in cands[g] if fits(p, kk, g) and (kk == k or room(p, kk))]
                if ok:
                    p = min(
                        ok,
                        key=lambda q: (
                            (duties[q] if not day.workday else 0),
                            g != people[q].home_group,
                            days_in_week[q, week_of[i]],
                            total[q],
                            len(people[q].groups),
                        ),
                    )
                    take(p, kk, g)
                    break
        if ab_cover and day.workday:  # AB岗: the post or one of its backups on duty wherever the group is open
            index = {pr.name: q for q, pr in enumerate(people)}
            for p, pr in enumerate(people):
                home = pr.home_group
                if home not in need_by_day.get(i, {}):
                    continue
                team = [p] + [index[x] for x in pr.backups if x in index and x != pr.name]
                if any(q in busy for q in team):
                    continue
                order = sorted(useful.get((i, home), []), key=lambda k: -shifts[k].paid_minutes)
                done = False
                for leave_ok in (True, False):  # refuse the leave only when no one else can cover
                    for q in team:
                        k = next(
                            (
                                k
                                for k in order
                                if home in people[q].groups and fits(q, k, home, leave_ok) and room(q, k)
                            ),
                            None,
                        )
                        if k is not None:
                            take(q, k, home)
                            done = True
                            break
                    if done:
                        break
        for p in range(len(people)):
            if p in busy:
                run[p] += 1
                days_in_week[p, week_of[i]] += 1
                k = next(c[2] for c in chosen if c[0] == p and c[1] == i)
                mins_in_week[p, week_of[i]] += shifts[k].paid_minutes
                total[p] += shifts[k].paid_minutes  # paid minutes so far: the least paid are chosen first
                if not day.workday:
                    duties[p] += 1
                    window = comp_rest_window(days, i)
                    if window:
                        owed[p].append(window[-1])
            else:
                run[p] = 0
                if day.workday and owed[p]:
                    owed[p].pop(0)
    return _fair_weekends(chosen, people, days, need_by_day, fair_spread)


def _fair_weekends(
    chosen: set[tuple[int, int, int, str]],
    people: list[Person],
    days: list[Day],
    need_by_day: dict,
    fair_spread: int,
) -> set[tuple[int, int, int, str]]:
    """Drop the latest rest-day duties of the busiest people until weekend duties differ by at most
    ``fair_spread`` among the eligible (as :func:`_add_weekend_fairness` counts them).  Dropping a
    duty never breaks another rule (fewer days, hours and 调休 owed), so the roster stays feasible."""
    rest = [i for i, d in enumerate(days) if not d.workday and i in need_by_day]
    rest_groups = {g for i in rest for g in need_by_day[i]}
    eligible = [
        p
        for p, person in enumerate(people)
        if set(person.groups) & rest_groups and any(days[i].date not in person.unavailable for i in rest)
    ]
    if not eligible:
        return chosen
    rest_set = set(rest)
    duties: dict[int, list[tuple[int, int, int, str]]] = {p: [] for p in eligible}
    for c in chosen:
        if c[1] in rest_set and c[0] in duties:
            duties[c[0]].append(c)
    out = set(chosen)
    while True:
        hi = max(eligible, key=lambda p: (len(duties[p]), p))
        lo = min(len(duties[p]) for p in eligible)
        if len(duties[hi]) - lo <= fair_spread:
            return out
        last = max(duties[hi], key=lambda c: c[1])
        duties[hi].remove(last)
        out.discard(last)


@dataclass(frozen=True)
class Balance:
    """Balance rules over the horizon (``None`` = no rule).

    ``hours_band``: paid hours per person within (low, high) — scaled down for a person by the
    share of the horizon's days they are available: the upper limit is hard, the lower limit is
    soft but outweighs any shortfall and drops by a day's share for each granted leave day; a
    band no roster can hold is refused before solving (:func:`check_hours_band`); ``max_half_days``: at most this many half-day shifts (under 5 paid hours)
    per person; ``max_lent_days``: at most this many days per person at a group other than
    their home group (lent out).

    Parameters
    ----------
    hours_band : tuple of (float, float) or None, default None
        Low and high paid hours per person over the horizon.
    max_half_days : int or None, default None
        Most half-day shifts per person.
    max_lent_days : int or None, default None
        Most days per person away from the home group.
    auto_band : bool, default False
        With no ``hours_band``: derive one from demand and contracted hours
        (:func:`default_hours_band`) when the roster is solved.

    Examples
    --------
    >>> Balance(hours_band=(30.0, 40.0), max_half_days=2)
    Balance(hours_band=(30.0, 40.0), max_half_days=2, max_lent_days=None, auto_band=False)
    """

    hours_band: tuple[float, float] | None = None
    max_half_days: int | None = None
    max_lent_days: int | None = None
    auto_band: bool = False


def available_share(person: Person, days: list[Day]) -> float:
    """Share of the horizon's days the person is not unavailable (the band is scaled by it).

    >>> d = [Day(date(2026, 3, 2), True), Day(date(2026, 3, 3), True)]
    >>> available_share(Person("甲", "户籍", ("户籍",), unavailable=frozenset({date(2026, 3, 2)})), d)
    0.5
    """
    return sum(1 for d in days if d.date not in person.unavailable) / max(1, len(days))


def min_paid_hours(
    shifts: list[Shift], days: list[Day], requirement: Requirement, *, time_limit: float = 10.0
) -> float:
    """The fewest paid hours any roster needs to cover ``requirement`` without shortfall
    (the sum of :func:`min_paid_by_group`).

    >>> d = [Day(date(2026, 3, 2), True)]
    >>> min_paid_hours(default_shifts(), d, {("户籍", date(2026, 3, 2), 510): 2})  # two mornings
    7.0
    """
    return sum(min_paid_by_group(shifts, days, requirement, time_limit=time_limit).values())


def min_paid_by_group(
    shifts: list[Shift], days: list[Day], requirement: Requirement, *, time_limit: float = 10.0
) -> dict[str, float]:
    """Per window group, the fewest paid hours any roster needs to cover its requirement.

    Each group and day is covered on its own by whole shifts (as many of each as needed, only
    shifts allowed that day), ignoring who works them: a lower bound on every roster's paid hours,
    tighter than the required window-hours because shifts come in blocks (a full day covers the
    quiet afternoon too). Solved exactly with CP-SAT; should it not prove the optimum in
    ``time_limit`` (or a slot no shift covers), a group's required window-hours stand in (a
    weaker bound, still a bound).

    >>> d = [Day(date(2026, 3, 2), True)]
    >>> min_paid_by_group(default_shifts(), d, {("户籍", date(2026, 3, 2), 510): 2, ("交警", date(2026, 3, 2), 900): 1})
    {'户籍': 7.0, '交警': 4.0}
    """
    req, _day_index, need_by_day = _index_requirement(requirement, days)
    window_hours: dict[str, float] = defaultdict(float)
    for (g, _d, _s), n in req.items():
        window_hours[g] += n * SLOT / 60
    m = cp_model.CpModel()
    paid: dict[str, list] = defaultdict(list)
    for i, by_group in need_by_day.items():
        for g, slots in by_group.items():
            terms: dict[int, list] = defaultdict(list)
            top = max(req[g, days[i].date, s] for s in slots)
            for k, sh in enumerate(shifts):
                if not sh.allowed_on(days[i]) or not any(sh.covers(s) for s in slots):
                    continue
                n = m.new_int_var(0, top, f"n_{i}_{g}_{k}")
                paid[g].append((sh.paid_minutes, n))
                for s in slots:
                    if sh.covers(s):
                        terms[s].append(n)
            for s in slots:
                m.add(sum(terms[s]) >= req[g, days[i].date, s])
    if not paid:
        return dict(window_hours)
    m.minimize(sum(c * n for terms_g in paid.values() for c, n in terms_g))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = float(time_limit)
    if solver.solve(m) != cp_model.OPTIMAL:
        return dict(window_hours)
    return {g: sum(c * solver.value(n) for c, n in paid[g]) / 60 if g in paid else h for g, h in window_hours.items()}


def _capacity_minutes(
    person: Person, shifts: list[Shift], days: list[Day], groups_open: dict[int, set[str]], max_days_per_week: int
) -> int:
    """Most paid minutes the person can work over the horizon: per calendar week, the longest
    shifts on at most ``max_days_per_week`` of the days their groups are open and they are
    available, within their weekly hours."""
    total = 0
    for week in weeks_of(days):
        best = sorted(
            (
                max((sh.paid_minutes for sh in shifts if sh.allowed_on(days[i])), default=0)
                for i in week
                if days[i].date not in person.unavailable and groups_open.get(i, set()) & set(person.groups)
            ),
            reverse=True,
        )[:max_days_per_week]
        total += min(sum(best), int(round(person.weekly_hours * 60)))
    return total


def check_hours_band(
    band: tuple[float, float],
    people: list[Person],
    shifts: list[Shift],
    days: list[Day],
    requirement: Requirement,
    *,
    max_days_per_week: int = 5,
) -> float:
    """Refuse, in Chinese, a paid-hours band that no roster can hold; return the demand's fewest paid hours.

    The band (per person over the horizon, scaled by each person's available share) must be
    ordered and not negative; its upper limits added over the staff must reach the fewest paid
    hours the demand needs (:func:`min_paid_hours`); and each person's lower limit must be
    within what their weekly limits and their groups' open days allow.

    Raises
    ------
    WorkbenchError
        Naming the band, the demand and the people concerned.

    Examples
    --------
    >>> d = [Day(date(2026, 3, 2), True)]
    >>> ps = [Person("甲", "户籍", ("户籍",))]
    >>> check_hours_band((0, 8), ps, default_shifts(), d, {("户籍", date(2026, 3, 2), 510): 1})
    3.5
    >>> check_hours_band((0, 3), ps, default_shifts(), d, {("户籍", date(2026, 3, 2), 510): 2})
    Traceback (most recent call last):
    core.errors.WorkbenchError: 工时区间 0–3 小时无法满足需求:1 人按出勤天数折算后工时上限合计 3 小时,而需求(1 个窗口时段、1 个窗口小时)按整班次排至少需要 7 小时。请提高上限(全员平均至少约 7 小时)或增加人员。
    """
    from core.errors import WorkbenchError

    lo, hi = band
    if not 0 <= lo <= hi:
        raise WorkbenchError(f"工时区间 {lo:g}–{hi:g} 小时无效:下限应不小于0且不大于上限")
    req = {k: int(v) for k, v in requirement.items() if v and v > 0}
    by_group = min_paid_by_group(shifts, days, req)
    need = sum(by_group.values())
    shares = [available_share(p, days) for p in people]
    top = hi * sum(shares)
    if top + 1e-6 < need:
        window_hours = sum(req.values()) * SLOT / 60
        mean = need / max(sum(shares), 1e-9)
        raise WorkbenchError(
            f"工时区间 {lo:g}–{hi:g} 小时无法满足需求:{len(people)} 人按出勤天数折算后工时上限合计 {top:.0f} 小时,"
            f"而需求({len(req)} 个窗口时段、{window_hours:g} 个窗口小时)按整班次排至少需要 {need:.0f} 小时。"
            f"请提高上限(全员平均至少约 {math.ceil(mean):.0f} 小时)或增加人员。"
        )
    groups_short = []
    for g, need_g in by_group.items():
        able = [share for p, share in zip(people, shares, strict=True) if g in p.groups]
        if hi * sum(able) + 1e-6 < need_g:
            groups_short.append(
                f"{g}(可上岗 {len(able)} 人,上限合计 {hi * sum(able):.0f} 小时,至少需要 {need_g:.0f} 小时)"
            )
    if groups_short:
        raise WorkbenchError(
            f"工时区间 {lo:g}–{hi:g} 小时无法满足以下窗口组的需求:"
            + "、".join(groups_short)
            + "。请提高上限,或让更多人员可办理这些窗口组的业务。"
        )
    day_index = {d.date: i for i, d in enumerate(days)}
    groups_open: dict[int, set[str]] = defaultdict(set)
    for g, d, _s in req:
        if d in day_index:
            groups_open[day_index[d]].add(g)
    short = [
        (p.name, lo * share, cap / 60)
        for p, share in zip(people, shares, strict=True)
        if (cap := _capacity_minutes(p, shifts, days, groups_open, max_days_per_week)) + 1e-6 < lo * share * 60
    ]
    if short:
        listed = "、".join(f"{n}(下限 {want:.0f} 小时,最多可排 {cap:.0f} 小时)" for n, want, cap in short[:10])
        more = f"等 {len(short)} 人" if len(short) > 10 else ""
        raise WorkbenchError(
            f"工时区间 {lo:g}–{hi:g} 小时的下限达不到:{listed}{more}受每周工作天数、每周工时和所在窗口组开放日的限制。"
            "请降低下限或调整这些人员的可办理业务和不可排班日期。"
        )
    return need


def default_hours_band(
    people: list[Person],
    shifts: list[Shift],
    days: list[Day],
    requirement: Requirement,
    *,
    below: float = 0.1,
    above: float = 0.25,
) -> tuple[float, float]:
    """A paid-hours band derived from demand and contracted hours.

    The centre is the demand's fewest paid hours (:func:`min_paid_hours`) shared over the
    staff's available days; the band runs ``below`` under it and ``above`` over it (rosters
    need some paid time beyond the bare demand: AB岗 cover, weekly limits, 调休), and never
    above the contracted hours (``weekly_hours`` per week of the horizon, the largest of the staff).

    >>> d = [Day(date(2026, 3, 2) + timedelta(days=k), True) for k in range(5)]
    >>> ps = [Person("甲", "户籍", ("户籍",)), Person("乙", "户籍", ("户籍",))]
    >>> req = {("户籍", x.date, s): 1 for x in d for s in range(510, 1050, 30) if not 720 <= s < 810}
    >>> default_hours_band(ps, default_shifts(), d, req)
    (16.8, 23.5)
    """
    need = min_paid_hours(shifts, days, requirement)
    staff = sum(available_share(p, days) for p in people)
    mean = need / max(staff, 1e-9)
    contracted = max((p.weekly_hours for p in people), default=40.0) * len(days) / 7
    hi = min(contracted, mean * (1 + above))
    lo = min(hi, mean * (1 - below))
    return (math.floor(lo * 10) / 10, math.ceil(hi * 10) / 10)


#: phase-1 weights: AB岗 cover first, then granted leave, then the band's lower limit (per minute
#: under it: 30 minutes under cost more than a refused leave day, one minute more than a window-slot
#: short), then the requirement; the band's upper limit is hard. Phase 2 keeps phase 1's value and
#: minimises paid time + spread
W_AB, W_LEAVE, W_BAND, W_SHORT = 3_000_000, 30_000, 1_200, 300
HALF_DAY_MINUTES = 300


@dataclass
class _Build:
    """The CP-SAT model under construction and the index structures its steps share."""

    people: list[Person]
    shifts: list[Shift]
    days: list[Day]
    req: dict[tuple[str, date, int], int]
    day_index: dict[date, int]
    need_by_day: dict[int, dict[str, list[int]]]
    useful: dict[tuple[int, str], list[int]] = field(default_factory=dict)
    m: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    y: dict[tuple[int, int, int, str], cp_model.IntVar] = field(default_factory=dict)
    work: dict[tuple[int, int], list] = field(default_factory=lambda: defaultdict(list))
    minutes: dict[tuple[int, int], list] = field(default_factory=lambda: defaultdict(list))
    w: dict[tuple[int, int], cp_model.IntVar | int] = field(default_factory=dict)
    short_vars: dict[tuple[str, date, int], cp_model.IntVar] = field(default_factory=dict)
    comp: dict[tuple[int, int], list[tuple[int, cp_model.IntVar]]] = field(default_factory=lambda: defaultdict(list))
    comp_of: dict[tuple[int, int], list] = field(default_factory=dict)
    pending_windows: dict[int, None] = field(default_factory=dict)
    eligible: list[int] = field(default_factory=list)
    rest_days: list[int] = field(default_factory=list)
    spread: Any = 0
    ab_gap: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    leave: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    band_dev: list = field(default_factory=list)
    band_minutes: dict[int, tuple[int, int]] = field(default_factory=dict)  # person -> (low, high) paid minutes

    def works(self, p: int, i: int) -> Any:
        return self.w.get((p, i), 0)


def _index_requirement(
    requirement: Requirement, days: list[Day]
) -> tuple[dict, dict[date, int], dict[int, dict[str, list[int]]]]:
    """Positive requirements inside the horizon, the day index, and the required slots per day and group."""
    if any((b.date - a.date).days != 1 for a, b in zip(days, days[1:])):
        raise ValueError("the horizon's days must be consecutive dates")
    req = {k: int(v) for k, v in requirement.items() if v and v > 0}
    day_index = {d.date: i for i, d in enumerate(days)}
    req = {k: v for k, v in req.items() if k[1] in day_index}
    need_by_day: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for g, d, s in req:
        need_by_day[day_index[d]][g].append(s)
    return req, day_index, need_by_day


def _useful_shifts(b: _Build, half_days_capped: bool = False) -> None:
    """Per (day, group): the useful shifts, dropping any shift another one dominates (covers a
    superset of the required slots for no more paid time) — a smaller model, same optimum.
    With a cap on half days a half-day shift never makes a full-day one redundant."""
    shifts, days = b.shifts, b.days

    def half(k: int) -> bool:
        return shifts[k].paid_minutes < HALF_DAY_MINUTES

    for i, by_group in b.need_by_day.items():
        for g, slots in by_group.items():
            cov = {
                k: frozenset(s for s in slots if sh.covers(s)) for k, sh in enumerate(shifts) if sh.allowed_on(days[i])
            }
            keep = []
            for k, c in cov.items():
                if not c:
                    continue
                dominated = any(
                    k2 != k
                    and c <= c2
                    and shifts[k2].paid_minutes <= shifts[k].paid_minutes
                    and not (half_days_capped and half(k2) and not half(k))
                    and (c2 != c or shifts[k2].paid_minutes < shifts[k].paid_minutes or k2 < k)
                    for k2, c2 in cov.items()
                )
                if not dominated:
                    keep.append(k)
            b.useful[i, g] = keep


def _add_assignments(b: _Build) -> None:
    """y[p, i, k, g]: person p works shift k at group g on day i; w[p, i]: p works that day (≤ 1 shift)."""
    m = b.m
    for p, person in enumerate(b.people):
        for i, day in enumerate(b.days):
            if day.date in person.unavailable or i not in b.need_by_day:
                continue
            for g in person.groups:
                for k in b.useful.get((i, g), ()):
                    v = m.new_bool_var(f"y_{p}_{i}_{k}_{g}")
                    b.y[p, i, k, g] = v
                    b.work[p, i].append(v)
                    b.minutes[p, i].append((b.shifts[k].paid_minutes, v))
    for p in range(len(b.people)):
        for i in range(len(b.days)):
            if b.work[p, i]:
                wv = m.new_bool_var(f"w_{p}_{i}")
                m.add(sum(b.work[p, i]) == wv)
                b.w[p, i] = wv
            else:
                b.w[p, i] = 0


def _add_coverage(b: _Build) -> None:
    """People on duty per (group, date, slot) + shortfall ≥ requirement (shortfall penalised)."""
    cover_terms: dict[tuple[str, int, int], list] = defaultdict(list)
    for (_p, i, k, g), v in b.y.items():
        for s in b.need_by_day[i][g]:
            if b.shifts[k].covers(s):
                cover_terms[g, i, s].append(v)
    for (g, d, s), n in b.req.items():
        i = b.day_index[d]
        sv = b.m.new_int_var(0, n, f"short_{g}_{i}_{s}")
        b.short_vars[g, d, s] = sv
        b.m.add(sum(cover_terms.get((g, i, s), [])) + sv >= n)


def _add_work_limits(b: _Build, max_days_per_week: int, max_consecutive: int) -> None:
    """Days and hours per calendar week; a day off in any ``max_consecutive + 1`` days."""
    m, days = b.m, b.days
    for p, person in enumerate(b.people):
        for week in weeks_of(days):
            terms = [b.w[p, i] for i in week if not isinstance(b.w[p, i], int)]
            if terms:
                m.add(sum(terms) <= max_days_per_week)
                mins = [c * v for i in week for c, v in b.minutes[p, i]]
                m.add(sum(mins) <= int(round(person.weekly_hours * 60)))
        for start in range(0, len(days) - max_consecutive):
            terms = [b.w[p, i] for i in range(start, start + max_consecutive + 1) if not isinstance(b.w[p, i], int)]
            if len(terms) > max_consecutive:
                m.add(sum(terms) <= max_consecutive)


def _add_comp_rest(b: _Build) -> None:
    """调休: each rest-day duty earns its own day off on a working day within the next 7 days.

    A matching: z[p, i, j] says duty i is compensated on working day j; every working day
    compensates at most one duty. A duty whose 7 days run past the horizon may stay unmatched:
    it is reported as pending (to be given in the next roster period)."""
    m, days, people = b.m, b.days, b.people
    for i, day in enumerate(days):
        if day.workday:
            continue
        window = comp_rest_window(days, i)
        if window is None:
            b.pending_windows[i] = None
            continue
        truncated = days[-1].date < day.date + timedelta(days=7)
        for p in range(len(people)):
            if isinstance(b.w[p, i], int):
                continue
            zs = []
            for j in window:
                if days[j].date in people[p].unavailable:
                    continue  # leave is not 调休
                z = m.new_bool_var(f"comp_{p}_{i}_{j}")
                wj = b.w[p, j]
                if not isinstance(wj, int):
                    m.add_implication(z, wj.Not())
                b.comp[p, j].append((i, z))
                zs.append(z)
            b.comp_of[p, i] = zs
            if truncated:
                m.add(sum(zs) <= b.w[p, i])
            else:
                m.add(sum(zs) == b.w[p, i])
    for matched in b.comp.values():
        if len(matched) > 1:
            m.add_at_most_one([z for _i, z in matched])


def _add_weekend_fairness(b: _Build, fair_spread: int) -> None:
    """Rest-day duties differ by at most ``fair_spread`` between eligible people."""
    m, days, people = b.m, b.days, b.people
    b.rest_days = [i for i, d in enumerate(days) if not d.workday and i in b.need_by_day]
    rest_groups = {g for i in b.rest_days for g in b.need_by_day[i]}
    b.eligible = [
        p
        for p, person in enumerate(people)
        if set(person.groups) & rest_groups and any(days[i].date not in person.unavailable for i in b.rest_days)
    ]
    if not b.eligible:
        return
    n = len(b.rest_days)
    hi, lo = m.new_int_var(0, n, "duty_max"), m.new_int_var(0, n, "duty_min")
    for p in b.eligible:
        dv = m.new_int_var(0, n, f"duty_{p}")
        m.add(dv == sum(b.w[p, i] for i in b.rest_days if not isinstance(b.w[p, i], int)))
        m.add(dv <= hi)
        m.add(dv >= lo)
    m.add(hi - lo <= fair_spread)
    b.spread = hi - lo


def check_backups(people: list[Person]) -> None:
    """AB岗: every person (post) names at least one backup who is on the staff list and not themself.

    >>> check_backups([Person("甲", "户籍", ("户籍",), backups=("乙",)), Person("乙", "户籍", ("户籍",), backups=("甲",))])
    >>> check_backups([Person("甲", "户籍", ("户籍",))])
    Traceback (most recent call last):
    core.errors.WorkbenchError: AB岗:以下人员没有指定B岗(备岗)人员:甲
    """
    from core.errors import WorkbenchError

    names = {p.name for p in people}
    missing = [p.name for p in people if not [x for x in p.backups if x != p.name]]
    if missing:
        raise WorkbenchError("AB岗:以下人员没有指定B岗(备岗)人员:" + "、".join(missing))
    unknown = sorted({f"{p.name}的备岗“{x}”" for p in people for x in p.backups if x not in names})
    if unknown:
        raise WorkbenchError("AB岗:备岗人员不在人员名单中:" + "、".join(unknown))


def _add_ab_cover(b: _Build) -> None:
    """AB岗: on every working day the person's home group is open, the person or one of their
    backups is on duty (weekend rota days are covered by the rota itself) (a gap is allowed only at the highest penalty); requested leave is granted unless it
    would break that cover (a refused request costs more than any shortfall)."""
    m, people = b.m, b.people
    index = {p.name: k for k, p in enumerate(people)}
    for p, person in enumerate(people):
        backs = [index[x] for x in person.backups if x in index and x != person.name]
        for i, day in enumerate(b.days):
            if not day.workday or person.home_group not in b.need_by_day.get(i, {}):
                continue
            terms = [b.w[q, i] for q in [p, *backs] if not isinstance(b.w[q, i], int)]
            gap = m.new_bool_var(f"abgap_{p}_{i}")
            b.ab_gap[p, i] = gap
            m.add(sum(terms) + gap >= 1)
        for d in sorted(person.leave_requests):
            li = b.day_index.get(d)
            if li is None or isinstance(b.w[p, li], int):
                continue
            g = m.new_bool_var(f"leave_{p}_{li}")
            b.leave[p, li] = g
            m.add(b.w[p, li] == 0).only_enforce_if(g)


def person_band_minutes(person: Person, days: list[Day], band: tuple[float, float]) -> tuple[int, int]:
    """The person's band in paid minutes: ``band`` scaled by their available share of the horizon.

    >>> d = [Day(date(2026, 3, 2), True), Day(date(2026, 3, 3), True)]
    >>> person_band_minutes(Person("甲", "户籍", ("户籍",), unavailable=frozenset({date(2026, 3, 3)})), d, (10, 16))
    (300, 480)
    """
    share = available_share(person, days)
    return int(round(band[0] * 60 * share)), int(round(band[1] * 60 * share))


def _add_balance(b: _Build, bal: Balance) -> None:
    """Half-day shifts and days lent out capped (hard); paid hours at most the band's upper limit
    (hard) and at least its lower limit (soft at weight ``W_BAND`` a minute, which outweighs any
    shortfall); each granted leave day lowers the person's lower limit by one day's share."""
    m, people, days = b.m, b.people, b.days
    for p, person in enumerate(people):
        ys = [(k, g, v) for (q, _i, k, g), v in b.y.items() if q == p]
        if bal.max_half_days is not None:
            m.add(sum(v for k, _g, v in ys if b.shifts[k].paid_minutes < HALF_DAY_MINUTES) <= bal.max_half_days)
        if bal.max_lent_days is not None:
            m.add(sum(v for _k, g, v in ys if g != person.home_group) <= bal.max_lent_days)
        if bal.hours_band is not None:
            lo, hi = person_band_minutes(person, days, bal.hours_band)
            b.band_minutes[p] = (lo, hi)
            total = sum(c * v for i in range(len(days)) for c, v in b.minutes[p, i])
            m.add(total <= hi)
            free_days = max(1, sum(1 for d in days if d.date not in person.unavailable))
            per_leave = lo // free_days
            leave = [g for (q, _i), g in b.leave.items() if q == p]
            under = m.new_int_var(0, max(lo, 0), f"under_{p}")
            m.add(total + under + per_leave * sum(leave) >= lo)
            b.band_dev.append(under)


def _solve_phases(
    b: _Build,
    *,
    time_limit: float,
    workers: int,
    seed: int,
    phase1_share: float,
    max_days_per_week: int,
    max_consecutive: int,
    t0: float,
    balance: Balance | None = None,
    fair_spread: int = 1,
) -> tuple[cp_model.CpSolver, Any, str, str, float, int]:
    """Two phases, lexicographic: (1) AB岗 gaps, refused leave, hours under the band, shortfall
    (weights W_*); (2) with phase 1's value held, least paid minutes (= excess staff-hours over the
    requirement), then the weekend-duty spread (minutes are multiples of 30, so one unit of spread
    weighs less than any paid time). Phase 2 starts from phase 1's roster as a hint; the greedy
    roster is phase 1's hint. Two phases solve far faster than one weighted objective on 2 cores."""
    m = b.m
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = int(workers)
    solver.parameters.random_seed = int(seed)
    solver.parameters.max_time_in_seconds = max(1.0, float(time_limit) * phase1_share)
    phase1_obj = (
        W_SHORT * sum(b.short_vars.values())
        + W_AB * sum(b.ab_gap.values())
        + W_LEAVE * sum(1 - g for g in b.leave.values())
        + W_BAND * sum(b.band_dev)
    )
    m.minimize(phase1_obj)
    start = _greedy(
        b.people,
        b.shifts,
        b.days,
        b.req,
        b.need_by_day,
        b.useful,
        max_days_per_week,
        max_consecutive,
        balance,
        grant_leave=bool(b.leave),
        ab_cover=bool(b.ab_gap),
        fair_spread=fair_spread,
    )
    # complete the greedy roster (feasible by construction) into values for every variable, so phase 1
    # starts from a whole solution instead of repairing a partial hint (which can fail on a busy machine)
    first = m.clone()
    for key, v in b.y.items():
        first.add(first.get_bool_var_from_proto_index(v.index) == (1 if key in start else 0))
    completion = cp_model.CpSolver()
    completion.parameters.num_workers = int(workers)
    completion.parameters.random_seed = int(seed)
    completion.parameters.max_time_in_seconds = max(1.0, 0.25 * float(time_limit) * phase1_share)
    c0 = completion.solve(first)
    completed = c0 in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if completed:
        for idx in range(len(m.proto.variables)):
            var = m.get_int_var_from_proto_index(idx)
            m.add_hint(var, completion.value(var))
    else:
        for key, v in b.y.items():
            m.add_hint(v, 1 if key in start else 0)
    solver.parameters.max_time_in_seconds = max(1.0, float(time_limit) * phase1_share - (time.perf_counter() - t0))
    code = solver.solve(m)
    phase1 = solver.status_name(code)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE) and completed:
        solver, code, phase1 = completion, cp_model.FEASIBLE, "FEASIBLE"  # the completed greedy roster
    greedy_cov: dict = defaultdict(int)
    for _p, i, k, g in start:
        for s in b.need_by_day[i][g]:
            if b.shifts[k].covers(s):
                greedy_cov[g, b.days[i].date, s] += 1
    greedy_short = sum(max(0, n - greedy_cov.get(key, 0)) for key, n in b.req.items())
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return solver, code, phase1, phase1, 0.0, greedy_short
    best = int(round(solver.objective_value))
    phase1_seconds = time.perf_counter() - t0
    every = [m.get_int_var_from_proto_index(idx) for idx in range(len(m.proto.variables))]
    hints = [solver.value(v) for v in every]
    m.add(phase1_obj <= best)
    m.clear_objective()
    m.clear_hints()
    paid = [c * v for lst in b.minutes.values() for c, v in lst]
    m.minimize(sum(paid) + b.spread)
    for v, h in zip(every, hints, strict=True):
        m.add_hint(v, h)
    # keep a little of the budget for reading the roster out, so the whole call ends within time_limit
    # (CP-SAT stops a fraction of a second after its own limit)
    remaining = float(time_limit) * 0.98 - (time.perf_counter() - t0)
    phase2 = cp_model.CpSolver()
    phase2.parameters.num_workers = int(workers)
    phase2.parameters.random_seed = int(seed)
    phase2.parameters.max_time_in_seconds = max(1.0, remaining)
    code2 = phase2.solve(m)
    if code2 not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # phase 2 found nothing in time: keep phase 1's roster
        return solver, cp_model.FEASIBLE, "FEASIBLE", phase1, phase1_seconds, greedy_short
    solver, code = phase2, code2
    status = solver.status_name(code)
    if status == "OPTIMAL" and phase1 != "OPTIMAL":
        status = "FEASIBLE"
    return solver, code, status, phase1, phase1_seconds, greedy_short


def _extract(
    b: _Build,
    solver: cp_model.CpSolver,
    status: str,
    phase1: str,
    phase1_seconds: float,
    greedy_short: int,
    wall: float,
) -> RosterResult:
    """The solved roster read back from the solver, with its checks and reports."""
    people, days, shifts = b.people, b.days, b.shifts
    assignments = []
    coverage: dict[tuple[str, date, int], int] = defaultdict(int)
    paid_min = 0
    for (p, i, k, g), v in b.y.items():
        if solver.value(v):
            sh = shifts[k]
            assignments.append((people[p].name, days[i].date, sh.code, g))
            paid_min += sh.paid_minutes
            for s in b.need_by_day[i][g]:
                if sh.covers(s):
                    coverage[g, days[i].date, s] += 1
    assignments.sort(key=lambda a: (a[1], a[0]))
    shortfall = {k: n - coverage.get(k, 0) for k, n in b.req.items() if coverage.get(k, 0) < n}

    def on(p: int, i: int) -> bool:
        wv = b.w[p, i]
        return not isinstance(wv, int) and bool(solver.value(wv))

    duties = {people[p].name: sum(1 for i in b.rest_days if on(p, i)) for p in range(len(people))}
    pending = [(people[p].name, days[i].date) for i in b.pending_windows for p in range(len(people)) if on(p, i)]
    pending += [
        (people[p].name, days[i].date)
        for (p, i), zs in b.comp_of.items()
        if on(p, i) and not any(solver.value(z) for z in zs)
    ]
    pending.sort(key=lambda x: (x[1], x[0]))
    comp_rest = {
        (people[p].name, days[i].date): days[j].date for (p, j), zs in b.comp.items() for i, z in zs if solver.value(z)
    }
    granted = sorted((people[p].name, days[i].date) for (p, i), g in b.leave.items() if solver.value(g))
    refused = sorted((people[p].name, days[i].date) for (p, i), g in b.leave.items() if not solver.value(g))
    gaps = sorted((people[p].name, days[i].date) for (p, i), g in b.ab_gap.items() if solver.value(g))
    hours = {p.name: 0.0 for p in people}
    for name, _d, code, _g in assignments:
        hours[name] += next(sh.paid_minutes for sh in shifts if sh.code == code) / 60
    band: dict[str, tuple[float, float]] = {}
    for p, (lo, hi) in b.band_minutes.items():
        free_days = max(1, sum(1 for d in days if d.date not in people[p].unavailable))
        on_leave = sum(1 for (q, _i), g in b.leave.items() if q == p and solver.value(g))
        band[people[p].name] = (round(max(0, lo - (lo // free_days) * on_leave) / 60, 1), round(hi / 60, 1))
    return RosterResult(
        status,
        assignments,
        dict(coverage),
        b.req,
        shortfall,
        duties,
        [people[p].name for p in b.eligible],
        pending,
        solver.objective_value,
        solver.best_objective_bound,
        wall,
        paid_min / 60,
        sum(b.req.values()) * SLOT / 60,
        days,
        phase1,
        phase1_seconds,
        greedy_short,
        comp_rest,
        granted,
        refused,
        gaps,
        hours,
        band,
    )


def solve_roster(
    people: list[Person],
    shifts: list[Shift],
    days: list[Day],
    requirement: Requirement,
    *,
    max_days_per_week: int = 5,
    max_consecutive: int = 6,
    fair_spread: int = 1,
    time_limit: float = 30.0,
    workers: int = 2,
    seed: int = 0,
    phase1_share: float = 0.5,
    ab_cover: bool = False,
    balance: Balance | None = None,
) -> RosterResult:
    """Build and solve the CP-SAT model; see the module docstring for the rules.

    ``ab_cover``: AB岗 (every person names backups, :func:`check_backups`; cover on every open
    day; leave requests refused only where they would break it); ``balance``: :class:`Balance`.

    Parameters
    ----------
    people : list of Person
        The staff.
    shifts : list of Shift
        The shifts.
    days : list of Day
        Consecutive dates of the horizon.
    requirement : Requirement
        ``(group, date, slot start minute) → windows`` to staff.
    max_days_per_week : int, default 5
        Most working days per person and week.
    max_consecutive : int, default 6
        Most consecutive working days.
    fair_spread : int, default 1
        Largest difference in weekend duties between eligible people.
    time_limit : float, default 30.0
        CP-SAT seconds.
    workers : int, default 2
        CP-SAT search workers.
    seed : int, default 0
        CP-SAT random seed.
    phase1_share : float, default 0.5
        Share of ``time_limit`` for the shortfall phase.
    ab_cover : bool, default False
        Enforce AB岗 cover.
    balance : Balance or None, default None
        Balance rules.

    Returns
    -------
    RosterResult
        Assignments, coverage, shortfall, weekend duties, 调休 and solver figures.

    Raises
    ------
    WorkbenchError
        With ``ab_cover``, when someone names no backup (AB岗:以下人员没有指定B岗…) or an unknown one;
        with an hours band no roster can hold (:func:`check_hours_band`: 工时区间…无法满足需求…).
    ValueError
        When ``days`` are not consecutive dates.

    Examples
    --------
    >>> import datetime as dt
    >>> d = dt.date(2026, 11, 2)
    >>> people = [Person("甲", "户籍", ("户籍",)), Person("乙", "户籍", ("户籍",))]
    >>> req = {("户籍", d, 540): 2, ("户籍", d, 840): 1}
    >>> r = solve_roster(people, default_shifts(), [Day(d, True)], req, time_limit=5)
    >>> r.status, sum(r.shortfall.values()), sorted(p for p, *_ in r.assignments)
    ('OPTIMAL', 0, ['乙', '甲'])
    """
    t0 = time.perf_counter()
    req, day_index, need_by_day = _index_requirement(requirement, days)
    if ab_cover:
        check_backups(people)
    if balance is not None and balance.hours_band is None and balance.auto_band:
        balance = replace(balance, hours_band=default_hours_band(people, shifts, days, req))
    if balance is not None and balance.hours_band is not None:
        check_hours_band(balance.hours_band, people, shifts, days, req, max_days_per_week=max_days_per_week)
    b = _Build(people, shifts, days, req, day_index, need_by_day)
    _useful_shifts(b, balance is not None and balance.max_half_days is not None)
    _add_assignments(b)
    _add_coverage(b)
    _add_work_limits(b, max_days_per_week, max_consecutive)
    _add_comp_rest(b)
    _add_weekend_fairness(b, fair_spread)
    if ab_cover:
        _add_ab_cover(b)
    if balance is not None:
        _add_balance(b, balance)
    solver, code, status, phase1, phase1_seconds, greedy_short = _solve_phases(
        b,
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        phase1_share=phase1_share,
        max_days_per_week=max_days_per_week,
        max_consecutive=max_consecutive,
        t0=t0,
        balance=balance,
        fair_spread=fair_spread,
    )
    wall = time.perf_counter() - t0
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return RosterResult(
            status,
            [],
            {},
            req,
            dict(req),
            {},
            [people[p].name for p in b.eligible],
            [],
            None,
            None,
            wall,
            0.0,
            sum(req.values()) * SLOT / 60,
            days,
        )
    return _extract(b, solver, status, phase1, phase1_seconds, greedy_short, wall)
