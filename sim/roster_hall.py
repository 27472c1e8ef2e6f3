"""Whole-hall rosters by decomposition: one CP-SAT model per window group, then repair across groups.

Why: one CP-SAT model for a whole hall (10 groups, 100 people, 28 days) has hundreds of
thousands of variables; on 2 cores it found no roster at all in 180 s.  Halls are organised by
window group, and most people work in their home group, so the problem decomposes well:

1. **By group.**  Each group is solved on its own with the people based there (only their home
   group), with :func:`sim.roster.solve_roster`, which already warm-starts from a greedy roster.
   Every group model is small, so each solves to (near) optimality in seconds.
2. **Repair across groups (large-neighbourhood search).**  While a group is short of windows
   and time remains, the people of that group and of the groups its cross-trained helpers come
   from are re-solved *together* (everyone may now serve any of their trained groups in the
   neighbourhood), against the requirement left after everyone outside the neighbourhood.  The
   previous roster of the neighbourhood is the starting hint, and a repair is kept only when it
   lowers (shortfall, paid hours).

Every rule of :mod:`sim.roster` holds per person exactly as in one big model (a person belongs to
exactly one sub-problem at a time).  Weekend fairness is enforced among the people re-solved
together (colleagues of a group, or a neighbourhood); the hall-wide spread is reported.  The gap
is reported against a bound every roster must respect: paid hours ≥ required window-hours not
left short.

>>> from datetime import date
>>> from sim.roster import Day, Person, default_shifts
>>> days = [Day(date(2026, 3, 2), workday=True)]
>>> people = [Person("甲", "户籍", ("户籍",)), Person("乙", "交警", ("交警", "户籍"))]
>>> req = {("户籍", date(2026, 3, 2), 510): 2}
>>> r = solve_hall_roster(people, default_shifts(), days, req, time_limit=10)
>>> r.result.shortfall_total, r.repairs_kept >= 1
(0, True)
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from .roster import SLOT, Day, Person, Requirement, RosterResult, Shift, solve_roster

__all__ = ["HallRoster", "solve_hall_roster"]

Key = tuple[str, date, int]


@dataclass(frozen=True)
class HallRoster:
    """A whole-hall roster and how it was found.

    ``result`` is an ordinary :class:`sim.roster.RosterResult` (assignments, coverage,
    shortfall, weekend duties, 调休) so every export, check and simulation works on it;
    ``groups_solved`` per-group statuses of step 1; ``repairs_tried``/``repairs_kept`` of
    step 2; ``lower_bound_hours`` and ``gap`` the proven distance to optimal paid hours.
    """

    result: RosterResult
    groups_solved: tuple[tuple[str, str, float], ...]  # (group, status, seconds)
    repairs_tried: int
    repairs_kept: int
    lower_bound_hours: float
    gap: float
    wall_seconds: float
    method: str = "按窗口组分解求解 + 跨组修复(大邻域搜索)"


def _score(short: int, paid: float) -> tuple[int, float]:
    return (short, paid)


def _coverage(
    assignments: list[tuple[str, date, str, str]], shifts: dict[str, Shift], req: dict[Key, int]
) -> dict[Key, int]:
    cov: dict[Key, int] = defaultdict(int)
    slots_of: dict[tuple[str, date], list[int]] = defaultdict(list)
    for g, d, s in req:
        slots_of[g, d].append(s)
    for _name, d, code, g in assignments:
        sh = shifts[code]
        for s in slots_of.get((g, d), ()):
            if sh.covers(s):
                cov[g, d, s] += 1
    return cov


def _solve_block(
    people: list[Person],
    shifts: list[Shift],
    days: list[Day],
    req: dict[Key, int],
    time_limit: float,
    workers: int,
    seed: int,
    opts: dict,
) -> RosterResult:
    return solve_roster(people, shifts, days, req, time_limit=time_limit, workers=workers, seed=seed, **opts)


def solve_hall_roster(
    people: list[Person],
    shifts: list[Shift],
    days: list[Day],
    requirement: Requirement,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    max_days_per_week: int = 5,
    max_consecutive: int = 6,
    fair_spread: int = 1,
    first_share: float = 0.5,
    progress: Callable[[str], None] | None = None,
) -> HallRoster:
    """Roster a whole hall within ``time_limit`` seconds by decomposition (see the module docstring).

    Parameters
    ----------
    people, shifts, days, requirement
        As :func:`sim.roster.solve_roster`; ``Person.home_group`` decides each person's group
        in step 1, ``Person.groups`` the groups they may be lent to in step 2.
    time_limit : float
        Seconds for the whole hall; ``first_share`` of it goes to step 1, shared among the groups
        by their size.
    progress : callable
        Receives one Chinese line per step (for a page or a command line).

    Returns
    -------
    HallRoster
    """
    t0 = time.perf_counter()
    opts = {"max_days_per_week": max_days_per_week, "max_consecutive": max_consecutive, "fair_spread": fair_spread}
    say = progress or (lambda _m: None)
    req = {k: int(v) for k, v in requirement.items() if v and v > 0}
    by_code = {s.code: s for s in shifts}
    groups = sorted({g for g, _d, _s in req} | {p.home_group for p in people})
    home: dict[str, list[Person]] = defaultdict(list)
    for p in people:
        home[p.home_group].append(p)
    req_of: dict[str, dict[Key, int]] = defaultdict(dict)
    for k, v in req.items():
        req_of[k[0]][k] = v

    # step 1: each group alone, people restricted to their home group
    budget = time_limit * first_share
    weight = {g: max(1, len(req_of[g])) for g in groups if home[g] and req_of[g]}
    total_w = sum(weight.values()) or 1
    assign: dict[str, list[tuple[str, date, str, str]]] = {}
    comp: dict[str, dict[tuple[str, date], date]] = defaultdict(dict)  # group -> 调休 of its people
    pending: dict[str, list[tuple[str, date]]] = defaultdict(list)
    solved: list[tuple[str, str, float]] = []
    for g in groups:
        if g not in weight:
            assign[g] = []
            continue
        members = [replace(p, groups=(g,)) for p in home[g]]
        r = _solve_block(members, shifts, days, req_of[g], max(2.0, budget * weight[g] / total_w), workers, seed, opts)
        assign[g] = list(r.assignments)
        comp[g], pending[g] = dict(r.comp_rest), list(r.pending_comp_rest)
        solved.append((g, r.status, round(r.wall_seconds, 2)))
        say(f"{g}:{len(members)}人,{r.status},缺口{r.shortfall_total}个窗口时段")

    # step 2: repair short groups together with the groups their cross-trained helpers come from
    def all_assignments() -> list[tuple[str, date, str, str]]:
        return [a for g in groups for a in assign[g]]

    def shortfall_by_group() -> dict[str, int]:
        cov = _coverage(all_assignments(), by_code, req)
        out: dict[str, int] = defaultdict(int)
        for k, n in req.items():
            if cov.get(k, 0) < n:
                out[k[0]] += n - cov.get(k, 0)
        return out

    tried = kept = 0
    tabu: set[frozenset[str]] = set()
    while time.perf_counter() - t0 < time_limit - 2:
        short = shortfall_by_group()
        candidates = sorted((n, g) for g, n in short.items() if n > 0)
        hood = None
        for _n, g in reversed(candidates):
            donors = sorted(
                {p.home_group for p in people if g in p.groups and p.home_group != g}, key=lambda d: -len(home[d])
            )
            for size in (1, 2, 3):
                h = frozenset([g, *donors[:size]])
                if h not in tabu and len(h) > 1:
                    hood = h
                    break
            if hood:
                break
        if hood is None:
            break
        tabu.add(hood)
        tried += 1
        members = [
            replace(p, groups=tuple(x for x in p.groups if x in hood) or (p.home_group,))
            for g in sorted(hood)
            for p in home[g]
        ]
        names = {p.name for p in members}
        outside = [a for a in all_assignments() if a[0] not in names]
        cov_out = _coverage(outside, by_code, req)
        residual = {k: n - cov_out.get(k, 0) for k, n in req.items() if k[0] in hood and n > cov_out.get(k, 0)}
        before = [a for a in all_assignments() if a[0] in names]
        cov_before = _coverage(before, by_code, residual)
        short_before = sum(max(0, n - cov_before.get(k, 0)) for k, n in residual.items())
        paid_before = sum(by_code[a[2]].paid_minutes for a in before) / 60
        left = time_limit - (time.perf_counter() - t0) - 1
        if left < 2:
            break
        r = _solve_block(
            members, shifts, days, residual, min(left, max(5.0, time_limit * 0.25)), workers, seed + tried, opts
        )
        if r.assignments and _score(r.shortfall_total, r.paid_hours) < _score(short_before, paid_before):
            home_of = {p.name: p.home_group for p in members}
            for g in hood:
                assign[g], comp[g], pending[g] = [], {}, []
            for a in r.assignments:
                assign[home_of[a[0]]].append(a)
            for (name, d), c in r.comp_rest.items():
                comp[home_of[name]][name, d] = c
            for name, d in r.pending_comp_rest:
                pending[home_of[name]].append((name, d))
            kept += 1
            tabu.clear()
            tabu.add(hood)
            say(f"跨组修复({'、'.join(sorted(hood))}):缺口 {short_before} → {r.shortfall_total}")

    comp_all = {k: v for g in groups for k, v in comp[g].items()}
    pending_all = [x for g in groups for x in pending[g]]
    return _assemble(
        people, days, req, all_assignments(), comp_all, pending_all, tuple(solved), tried, kept, t0, by_code
    )


def _assemble(
    people: list[Person],
    days: list[Day],
    req: dict[Key, int],
    assignments: list[tuple[str, date, str, str]],
    comp: dict[tuple[str, date], date],
    pending: list[tuple[str, date]],
    solved: tuple[tuple[str, str, float], ...],
    tried: int,
    kept: int,
    t0: float,
    by_code: dict[str, Shift],
) -> HallRoster:
    """One :class:`RosterResult` for the hall from the sub-problems' rosters and 调休."""
    assignments = sorted(assignments, key=lambda a: (a[1], a[0]))
    cov = _coverage(assignments, by_code, req)
    shortfall = {k: n - cov.get(k, 0) for k, n in req.items() if cov.get(k, 0) < n}
    rest = {d.date for d in days if not d.workday}
    rest_groups = {g for (g, d, _s) in req if d in rest}
    duties = {p.name: 0 for p in people}
    for name, d, _c, _g in assignments:
        if d in rest:
            duties[name] += 1
    eligible = [p.name for p in people if set(p.groups) & rest_groups and any(d not in p.unavailable for d in rest)]
    paid = sum(by_code[a[2]].paid_minutes for a in assignments) / 60
    required = sum(req.values()) * SLOT / 60
    bound = max(0.0, required - sum(shortfall.values()) * SLOT / 60)
    statuses = {s for _g, s, _t in solved}
    status = "FEASIBLE" if assignments else (statuses.pop() if len(statuses) == 1 else "UNKNOWN")
    wall = time.perf_counter() - t0
    result = RosterResult(
        status,
        assignments,
        dict(cov),
        dict(req),
        shortfall,
        duties,
        eligible,
        sorted(pending, key=lambda x: (x[1], x[0])),
        paid * 60,
        bound * 60,
        wall,
        paid,
        required,
        list(days),
        comp_rest=dict(comp),
    )
    gap = (paid - bound) / paid if paid else 0.0
    return HallRoster(result, solved, tried, kept, bound, gap, wall)
