"""Proof that a roster works: its open windows per slot go back into the hall model.

Why: a roster that covers the requirement on paper can still miss the target (queues carry
over between slots, service is not exponential); only a fresh simulation (new seeds) of the
very windows the roster opens says pass or fail, slot by slot.

Also the glue between a staffing plan (per weekday) and a dated roster horizon.

>>> import datetime as dt
>>> from sim.sample_hall import sample_scenario
>>> cal, days = horizon(sample_scenario(), dt.date(2026, 11, 4), weeks=1)
>>> days[0].date.isoformat(), days[5].workday
('2026-11-09', False)
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from .calendar import Day as CalDay
from .calendar import build_days
from .hall import simulate
from .replicate import rep_seeds
from .roster import SLOT, Balance, Day, RosterResult
from .scenario import SLOT_MINUTES, WEEKDAYS_CN, CalendarSpec, Scenario, min_to_hm
from .schedule import DAY_MINUTES
from .staffing import StaffingPlan, open_slots
from .targets import Target, TargetError, parse_target


def horizon(scenario: Scenario, start: dt.date | None = None, weeks: int = 4) -> tuple[list[CalDay], list[Day]]:
    """The roster horizon from the first Monday on or after ``start`` (default: the scenario's start),
    with the scenario's calendar (public holidays, 调休上班, local overrides).

    Parameters
    ----------
    scenario : Scenario
        The hall (its calendar overrides apply).
    start : date or None, default None
        Earliest first day.
    weeks : int, default 4
        Length of the horizon.

    Returns
    -------
    tuple of (list of CalDay, list of Day)
        The calendar days (for simulation) and the roster's days (``workday`` set).

    Examples
    --------
    >>> import datetime as dt
    >>> from sim.sample_hall import sample_scenario
    >>> cal, days = horizon(sample_scenario(), start=dt.date(2026, 11, 4), weeks=1)
    >>> len(cal), days[0].date, days[0].workday, days[5].workday
    (7, datetime.date(2026, 11, 9), True, False)
    """
    start = start or scenario.calendar.start
    start = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    spec = CalendarSpec(start, weeks * 7, scenario.calendar.overrides, scenario.calendar.use_official)
    cal = build_days(spec)
    return cal, [Day(d.date, d.kind in ("workday", "swap_workday"), d.kind) for d in cal]


def requirement_from_plan(
    scenario: Scenario, plan: StaffingPlan, cal: list[CalDay], groups: set[str] | None = None
) -> dict[tuple[str, dt.date, int], int]:
    """Windows needed per (group, date, slot start minute) over the horizon, for ``groups``.

    Parameters
    ----------
    scenario : Scenario
        The hall.
    plan : StaffingPlan
        Windows per (group, weekday, slot).
    cal : list of CalDay
        The horizon's calendar days (:func:`horizon`).
    groups : set of str or None, default None
        The groups wanted (default: all).

    Returns
    -------
    dict
        ``(group, date, slot start minute) → windows``, positive entries only.

    Examples
    --------
    >>> from sim.scenario import Scenario, ServiceType, WindowGroup
    >>> week = ["09:00-12:00"] * 5 + ["", ""]
    >>> s = Scenario("小厅", [ServiceType("户籍", daily_volume=[40.0] * 5 + [0.0] * 2)],
    ...              [WindowGroup("户籍", ["户籍"], regular=2, hours=week)])
    >>> from sim.staffing import sipp
    >>> cal, _ = horizon(s, weeks=1)
    >>> req = requirement_from_plan(s, sipp(s), cal, {"户籍"})
    >>> len(req), req["户籍", cal[0].date, 540]
    (30, 4)
    """
    req = {}
    for d in cal:
        for g, slots in open_slots(scenario, d).items():
            if groups is not None and g not in groups:
                continue
            for s in slots:
                n = plan.windows.get((g, d.as_weekday, s), 0)
                if n > 0:
                    req[g, d.date, s * SLOT_MINUTES] = n
    return req


def roster_windows(
    scenario: Scenario, result: RosterResult, plan: StaffingPlan | None, cal: list[CalDay], rostered: set[str]
) -> dict[tuple[str, int, int], int]:
    """``windows_by_slot`` for :func:`sim.hall.simulate`: the roster's people on duty for rostered
    groups (0 where nobody is), the staffing plan for the other groups."""
    out = {}
    for d in cal:
        for g, slots in open_slots(scenario, d).items():
            for s in slots:
                if g in rostered:
                    out[g, d.index, s] = result.coverage.get((g, d.date, s * SLOT_MINUTES), 0)
                elif plan is not None and (g, d.as_weekday, s) in plan.windows:
                    out[g, d.index, s] = plan.windows[g, d.as_weekday, s]
    return out


def verify_roster(
    scenario: Scenario,
    result: RosterResult,
    cal: list[CalDay],
    target: str | Target,
    rostered: set[str],
    plan: StaffingPlan | None = None,
    *,
    reps: int = 10,
    seed: int = 20_260_101,
) -> dict:
    """Simulate the horizon ``reps`` times with fresh seeds; pass/fail per (group, date, slot)
    of the rostered groups, pooled over the replications.  With a target defined over the whole
    day (``scope="day"``) a slot passes when its group's day, pooled, passes; the per-day rows
    are in ``group_day_results`` either way.

    Parameters
    ----------
    scenario : Scenario
        The hall.
    result : RosterResult
        The roster.
    cal : list of CalDay
        The horizon's calendar days.
    target : str or Target
        The service target.
    rostered : set of str
        The groups the roster staffs (the others keep the plan's windows).
    plan : StaffingPlan or None, default None
        The plan for the groups not rostered.
    reps : int, default 10
        Simulated replications of the horizon.
    seed : int, default 20260101
        Seed of the replications.

    Returns
    -------
    dict
        ``status``, shortfall counts, ``slots_meeting_target``/``open_slots``,
        ``share_meeting_target``, per-slot ``slots`` and per-day ``group_day_results`` …

    Raises
    ------
    TargetError
        When ``target`` cannot be read or its scope is unknown (统计口径无效).

    Examples
    --------
    >>> from sim.scenario import Scenario, ServiceType, WindowGroup
    >>> week = ["09:00-12:00"] * 5 + ["", ""]
    >>> s = Scenario("小厅", [ServiceType("户籍", daily_volume=[40.0] * 5 + [0.0] * 2)],
    ...              [WindowGroup("户籍", ["户籍"], regular=2, hours=week)])
    >>> from sim.roster import default_shifts
    >>> from sim.roster_io import sample_staff
    >>> people = sample_staff({"户籍": 3})
    >>> result, plan, cal, rostered = roster_for_scenario(s, people, default_shifts(), weeks=1, method="erlang")
    >>> v = verify_roster(s, result, cal, "90%<=15", rostered, plan, reps=2)
    >>> v["status"], v["open_slots"]
    ('OPTIMAL', 30)
    """
    tg = parse_target(target)
    if tg.scope not in ("slot", "day"):
        raise TargetError(f"统计口径无效:scope={tg.scope}")
    within = tg.within if tg.within is not None else 15.0
    sc = scenario.copy()
    sc.calendar = CalendarSpec(cal[0].date, len(cal), scenario.calendar.overrides, scenario.calendar.use_official)
    wbs = roster_windows(scenario, result, plan, cal, rostered)
    gi = {g.name: i for i, g in enumerate(scenario.groups)}
    first_group = np.array(
        [next((k for k, g in enumerate(scenario.groups) if t.name in g.types), 0) for t in scenario.types], int
    )
    shape = (len(scenario.groups), len(cal), DAY_MINUTES // SLOT_MINUTES)
    n, ok, wsum, nserved = np.zeros(shape), np.zeros(shape), np.zeros(shape), np.zeros(shape)
    for s in rep_seeds(seed, reps):
        run = simulate(sc, seed=s, windows_by_slot=wbs)
        arr = run.customers.arrival
        served = run.start >= 0
        grp = np.where(
            served, np.asarray(run.window_group)[np.where(served, run.window, 0)], first_group[run.customers.type]
        )
        day = (arr // DAY_MINUTES).astype(int)
        slot = ((arr - day * DAY_MINUTES) // SLOT_MINUTES).astype(int)
        wait = np.where(served, run.start - arr, np.inf)
        counted = served if tg.counted == "served" else np.ones(len(arr), bool)
        np.add.at(n, (grp, day, slot), counted.astype(float))
        np.add.at(ok, (grp, day, slot), ((wait <= within + 1e-9) & counted).astype(float))
        np.add.at(wsum, (grp, day, slot), np.where(served, wait, 0.0))
        np.add.at(nserved, (grp, day, slot), served.astype(float))
    rows, day_rows = [], []
    for d in cal:
        for g, slots in open_slots(scenario, d).items():
            if g not in rostered or not slots:
                continue
            # the group's whole day pooled (the judgement when the target is defined over the day)
            ix = (gi[g], d.index, slots)
            dc, dns = n[ix].sum(), nserved[ix].sum()
            dlevel = float(ok[ix].sum() / dc) if dc else None
            dmw = float(wsum[ix].sum() / dns) if dns else None
            dpass = tg.met(dlevel, dmw)
            day_rows.append(
                {
                    "group": g,
                    "date": d.date.isoformat(),
                    "customers": int(dc),
                    "service_level": dlevel,
                    "mean_wait": dmw,
                    "pass": dpass,
                }
            )
            for s in slots:
                c = n[gi[g], d.index, s]
                level = float(ok[gi[g], d.index, s] / c) if c else None
                ns = nserved[gi[g], d.index, s]
                mw = float(wsum[gi[g], d.index, s] / ns) if ns else None
                rows.append(
                    {
                        "group": g,
                        "date": d.date.isoformat(),
                        "weekday_cn": WEEKDAYS_CN[d.weekday],
                        "slot_start": min_to_hm(s * SLOT_MINUTES),
                        "required": result.requirement.get((g, d.date, s * SLOT), 0),
                        "on_duty": wbs.get((g, d.index, s), 0),
                        "customers": int(c),
                        "service_level": level,
                        "mean_wait": mw,
                        "pass": dpass if tg.scope == "day" else tg.met(level, mw),
                    }
                )
    met = sum(1 for r in rows if r["pass"])
    return {
        "status": result.status,
        "gap": result.gap,
        "shortfall_slots": len(result.shortfall),
        "shortfall_window_slots": result.shortfall_total,
        "open_slots": len(rows),
        "slots_meeting_target": met,
        "share_meeting_target": met / len(rows) if rows else None,
        "group_days": len(day_rows),
        "group_days_meeting_target": sum(1 for r in day_rows if r["pass"]),
        "weekend_duty_spread": result.weekend_duty_spread,
        "reps": reps,
        "target": tg.to_dict(),
        "definition": tg.definition(),
        "rostered_groups": sorted(rostered),
        "slots": rows,
        "group_day_results": day_rows,
    }


#: staff lists of this size or more are rostered by decomposition (one model stalls above ~100)
DECOMPOSE_FROM = 90


def roster_for_scenario(
    scenario: Scenario,
    people: list,
    shifts: list,
    *,
    weeks: int = 4,
    start: dt.date | None = None,
    target: str | Target = "90%<=15",
    method: str = "sim",
    plan: StaffingPlan | None = None,
    time_limit: float = 30.0,
    reps: int = 20,
    seed: int = 1,
    solver: str = "auto",
    ab_cover: bool = False,
    balance: Balance | None = None,
) -> tuple[RosterResult, StaffingPlan, list[CalDay], set[str]]:
    """Staffing plan → dated requirement for the groups the staff list covers → CP-SAT roster.

    ``solver``: ``"single"`` one CP-SAT model; ``"decompose"`` by window group with repair across
    groups (:mod:`sim.roster_hall`, for whole halls); ``"auto"`` decomposes from
    :data:`DECOMPOSE_FROM` people or 6 groups up. AB岗 ``ab_cover`` and ``balance`` go to :func:`sim.roster.solve_roster` and need the single model: with them
    ``"auto"`` solves one model.

    Parameters
    ----------
    scenario : Scenario
        The hall.
    people : list of Person
        The staff list.
    shifts : list of Shift
        The shifts people may work.
    weeks : int, default 4
        Length of the horizon.
    start : date or None, default None
        Earliest first day (:func:`horizon`).
    target : str or Target, default "90%<=15"
        The service target.
    method : str, default "sim"
        ``"sim"`` (simulation-corrected plan) or ``"erlang"``.
    plan : StaffingPlan or None, default None
        A plan to use instead of computing one.
    time_limit : float, default 30.0
        CP-SAT seconds.
    reps : int, default 20
        Simulated weeks per correction iteration.
    seed : int, default 1
        Seed of the correction.
    solver : str, default "auto"
        ``"single"``, ``"decompose"`` or ``"auto"``.
    ab_cover : bool, default False
        AB岗 cover, for :func:`sim.roster.solve_roster`.
    balance : Balance or None, default None
        Balance rules (hours band, caps), for :func:`sim.roster.solve_roster`.

    Returns
    -------
    tuple
        ``(roster, plan, calendar days, rostered groups)``.

    Raises
    ------
    TargetError
        When ``target`` cannot be read (Chinese message).
    WorkbenchError
        With ``ab_cover``, when someone names no backup or an unknown one (AB岗: …).

    Examples
    --------
    >>> from sim.scenario import Scenario, ServiceType, WindowGroup
    >>> week = ["09:00-12:00"] * 5 + ["", ""]
    >>> s = Scenario("小厅", [ServiceType("户籍", daily_volume=[40.0] * 5 + [0.0] * 2)],
    ...              [WindowGroup("户籍", ["户籍"], regular=2, hours=week)])
    >>> from sim.roster import default_shifts
    >>> from sim.roster_io import sample_staff
    >>> result, plan, cal, rostered = roster_for_scenario(
    ...     s, sample_staff({"户籍": 4}), default_shifts(), weeks=1, method="erlang", time_limit=5)
    >>> result.status, rostered, sum(result.shortfall.values())
    ('OPTIMAL', {'户籍'}, 0)
    """
    from .roster import solve_roster
    from .roster_hall import solve_hall_roster
    from .staffing import simulation_corrected, sipp

    tg = parse_target(target)
    if plan is None:
        plan = simulation_corrected(scenario, tg, reps=reps, seed=seed) if method == "sim" else sipp(scenario, tg)
    cal, days = horizon(scenario, start, weeks)
    rostered = {g for p in people for g in p.groups} & {g.name for g in scenario.groups}
    req = requirement_from_plan(scenario, plan, cal, rostered)
    rules = ab_cover or balance is not None
    big = len(people) >= DECOMPOSE_FROM or len({p.home_group for p in people}) >= 6
    if solver == "decompose" or (solver == "auto" and big and not rules):
        result = solve_hall_roster(people, shifts, days, req, time_limit=time_limit).result
    else:
        result = solve_roster(people, shifts, days, req, time_limit=time_limit, ab_cover=ab_cover, balance=balance)
    return result, plan, cal, rostered
