"""How many windows each group needs per weekday and 30-minute slot: Erlang C (SIPP), then
corrected by simulation on the hall model.

Why two methods: stationary per-slot Erlang C (SIPP) ignores that a queue built in the morning
peak spills into later slots and that service is not exponential; the simulation-based search
runs the hall model itself (:func:`sim.hall.simulate` with a ``windows_by_slot`` plan) and adds a
window wherever a slot misses the target, until every slot meets it (an equivalent of the
iterative staffing algorithm of Feldman, Mandelbaum, Massey & Whitt, 2008, for a wait-time
target).  Both results carry per-slot service levels measured in simulation, side by side.

A plan maps ``(group, weekday 0=Mon…6=Sun, slot)`` to windows; ``slot = minute // 30``.

>>> from sim.sample_hall import sample_scenario
>>> plan = sipp(sample_scenario(), "90%<=15")
>>> plan.windows[("户籍", 0, 19)] >= 1
True
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .arrivals import expected_pieces
from .calendar import Day, build_days
from .erlang import staff_for
from .hall import simulate
from .replicate import rep_seeds
from .scenario import SLOT_MINUTES, WEEKDAYS_CN, CalendarSpec, Scenario, ServiceType, min_to_hm
from .schedule import DAY_MINUTES, sessions
from .targets import Target, TargetError, parse_target

Key = tuple[str, int, int]  # (group, weekday, slot)


def _ordinary(d: Day) -> bool:
    return d.kind == ("weekend" if d.weekday >= 5 else "workday")


def representative_week(scenario: Scenario) -> list[Day]:
    """The first ordinary week from the Monday of the scenario's start week: Monday–Friday
    working days and a plain weekend, after an ordinary week (so no holiday carry-over).

    Why: the plan is one template per weekday; a start week holding National Day would leave
    Thursday to Sunday without any windows (and a 调休 Saturday would overwrite Monday).
    Falls back to a plain week without the official calendar when a year has no ordinary week.
    """
    cal = scenario.calendar
    monday = cal.start - dt.timedelta(days=cal.start.weekday())
    for k in range(53):
        first = monday + dt.timedelta(weeks=k)
        two = build_days(CalendarSpec(first - dt.timedelta(weeks=1), 14, cal.overrides, cal.use_official))
        if all(_ordinary(d) for d in two):
            return build_days(CalendarSpec(first, 7, cal.overrides, cal.use_official))
    return build_days(CalendarSpec(monday, 7, [], False))


def mean_service(t: ServiceType) -> float:
    if t.service_dist == "empirical" and t.service_sample:
        return float(np.mean(t.service_sample))
    return float(t.service_mean)


def open_slots(scenario: Scenario, day: Day) -> dict[str, list[int]]:
    """Slots (minute // 30) during which each group is open on ``day``."""
    out = {}
    for g in scenario.groups:
        slots: set[int] = set()
        for a, b in sessions(g, day):
            slots.update(range(a // SLOT_MINUTES, (b - 1) // SLOT_MINUTES + 1))
        out[g.name] = sorted(slots)
    return out


def expected_demand(
    scenario: Scenario, days: list[Day] | None = None
) -> dict[tuple[str, int, int], tuple[float, float]]:
    """Expected arrivals per (group, day index, slot) and their mean service time (minutes).

    The demand is :func:`sim.arrivals.expected_pieces`, the model :func:`sim.arrivals.generate`
    draws from; a type served by several open groups is split evenly among them.
    """
    days = representative_week(scenario) if days is None else days
    count: dict[tuple[str, int, int], float] = {}
    work: dict[tuple[str, int, int], float] = {}
    sess_by_day: dict[int, dict[str, list[tuple[int, int]]]] = {}
    for piece in expected_pieces(scenario, days):
        d, t = piece.day, piece.type
        gsess = sess_by_day.setdefault(d.index, {g.name: sessions(g, d) for g in scenario.groups})
        ms = mean_service(t)
        for a, b, n in zip(piece.start, piece.end, piece.expected):
            slot = int(a // SLOT_MINUTES)
            mid = (a + b) / 2
            gs = [g.name for g in scenario.groups if t.name in g.types and any(x <= mid < y for x, y in gsess[g.name])]
            for gname in gs:
                k = (gname, d.index, slot)
                count[k] = count.get(k, 0.0) + n / len(gs)
                work[k] = work.get(k, 0.0) + n / len(gs) * ms
    return {k: (n, work[k] / n if n else 0.0) for k, n in count.items()}


@dataclass
class StaffingPlan:
    """Windows per (group, weekday, slot), how they were found, and what simulation says of them."""

    method: str
    target: Target
    windows: dict[Key, int]
    erlang_level: dict[Key, float] = field(default_factory=dict)  # predicted by Erlang C
    sim_level: dict[Key, float] = field(default_factory=dict)  # measured in simulation
    sim_mean_wait: dict[Key, float] = field(default_factory=dict)
    sim_customers: dict[Key, int] = field(default_factory=dict)
    sim_level_se: dict[Key, float] = field(default_factory=dict)  # across simulated weeks
    sim_reps: int = 0
    day_level: dict[tuple[str, int], float] = field(default_factory=dict)  # pooled over the day
    day_mean_wait: dict[tuple[str, int], float] = field(default_factory=dict)
    iterations: list[dict] = field(default_factory=list)
    stop_reason: str = ""
    wall_seconds: float = 0.0

    @property
    def staff_hours(self) -> float:
        """Window-hours of one week (each slot is half an hour)."""
        return sum(self.windows.values()) * SLOT_MINUTES / 60

    def met(self, key: Key) -> bool | None:
        """Whether the slot meets the target as defined: its own level (scope "slot"), or the
        level of its group's whole day pooled (scope "day")."""
        if self.target.scope == "day":
            day = key[:2]
            if day not in self.day_level:
                return None
            return self.target.met(self.day_level[day], self.day_mean_wait.get(day))
        if key not in self.sim_level:
            return None
        return self.target.met(self.sim_level[key], self.sim_mean_wait.get(key))

    def slots_meeting(self) -> tuple[int, int]:
        keys = list(self.windows)
        return sum(1 for k in keys if self.met(k)), len(keys)

    def days_meeting(self) -> tuple[int, int]:
        """(group, weekday) pairs whose whole day, pooled, meets the target; and how many there are."""
        days = sorted({k[:2] for k in self.windows})
        ok = sum(
            1 for d in days if d in self.day_level and self.target.met(self.day_level[d], self.day_mean_wait.get(d))
        )
        return ok, len(days)

    def windows_by_slot(self, days: list[Day]) -> dict[tuple[str, int, int], int]:
        """The plan laid onto a run's days, in :func:`sim.hall.simulate`'s key format."""
        out = {}
        for d in days:
            for (g, wd, slot), n in self.windows.items():
                if wd == d.as_weekday and not d.closed_all:
                    out[g, d.index, slot] = n
        return out


def _slot_target(target: str | Target) -> Target:
    """The target; windows are decided slot by slot under either scope (per slot or pooled day)."""
    tg = parse_target(target)
    if tg.scope not in ("slot", "day"):
        raise TargetError(f"统计口径无效:scope={tg.scope}")
    return tg


def sipp(scenario: Scenario, target: str | Target = "90%<=15", minimum: int = 1) -> StaffingPlan:
    """Stationary independent period-by-period staffing: Erlang C per group, weekday and slot.

    Parameters
    ----------
    scenario : Scenario
        The hall.
    target : str or Target, default "90%<=15"
        The service target.
    minimum : int, default 1
        Fewest windows in an open slot.

    Returns
    -------
    StaffingPlan
        Windows per (group, weekday, slot), method ``"erlang"``, with the predicted levels.

    Raises
    ------
    TargetError
        When ``target`` cannot be read (Chinese message, see :func:`sim.targets.parse_target`).

    Examples
    --------
    >>> from sim.scenario import Scenario, ServiceType, WindowGroup
    >>> week = ["09:00-12:00"] * 5 + ["", ""]
    >>> s = Scenario("小厅", [ServiceType("户籍", daily_volume=[40.0] * 5 + [0.0] * 2)],
    ...              [WindowGroup("户籍", ["户籍"], regular=2, hours=week)])
    >>> plan = sipp(s, "90%<=15")
    >>> plan.method, plan.windows["户籍", 0, 18], len(plan.windows)
    ('erlang', 4, 30)
    """
    t0 = time.perf_counter()
    tg = _slot_target(target)
    days = representative_week(scenario)
    demand = expected_demand(scenario, days)
    windows, level = {}, {}
    within = tg.within if tg.within is not None else 15.0
    for d in days:
        for gname, slots in open_slots(scenario, d).items():
            for slot in slots:
                n, ms = demand.get((gname, d.index, slot), (0.0, 0.0))
                key = (gname, d.as_weekday, slot)
                if n <= 0 or ms <= 0:
                    windows[key], level[key] = minimum, 1.0
                    continue
                lam, mu = n / SLOT_MINUTES, 1.0 / ms
                res = staff_for(
                    lam, mu, within=within, percent=tg.percent, max_mean_wait=tg.max_mean_wait, minimum=minimum
                )
                windows[key], level[key] = res.servers, res.service_level
    return StaffingPlan(
        "erlang", tg, windows, erlang_level=level, stop_reason="逐时段Erlang C", wall_seconds=time.perf_counter() - t0
    )


@dataclass
class SlotStats:
    """Pooled per-slot results; ``*_se`` are standard errors across replications (days)."""

    customers: dict[Key, int]
    within: dict[Key, float]
    mean_wait: dict[Key, float]
    within_se: dict[Key, float] = field(default_factory=dict)
    mean_wait_se: dict[Key, float] = field(default_factory=dict)
    # the same pooled over each (group, weekday) — for a target judged over the whole day
    day_within: dict[tuple[str, int], float] = field(default_factory=dict)
    day_mean_wait: dict[tuple[str, int], float] = field(default_factory=dict)
    day_within_se: dict[tuple[str, int], float] = field(default_factory=dict)
    day_mean_wait_se: dict[tuple[str, int], float] = field(default_factory=dict)
    reps: int = 0


def measure(scenario: Scenario, plan: StaffingPlan, seeds: list[int], target: Target | None = None) -> SlotStats:
    """Simulate one representative week per seed with the plan; pool per (group, weekday, slot).

    Customers count in the slot they took their ticket, for the group that served them
    (all arrivals are served: 不限号).

    Parameters
    ----------
    scenario : Scenario
        The hall.
    plan : StaffingPlan
        The windows to simulate.
    seeds : list of int
        One seed per simulated week.
    target : Target or None, default None
        The target judged (default: the plan's).

    Returns
    -------
    SlotStats
        Pooled levels, mean waits and standard errors per slot and per group day.

    Raises
    ------
    TargetError
        When ``target`` cannot be read (Chinese message, see :func:`sim.targets.parse_target`).

    Examples
    --------
    >>> from sim.scenario import Scenario, ServiceType, WindowGroup
    >>> week = ["09:00-12:00"] * 5 + ["", ""]
    >>> s = Scenario("小厅", [ServiceType("户籍", daily_volume=[40.0] * 5 + [0.0] * 2)],
    ...              [WindowGroup("户籍", ["户籍"], regular=2, hours=week)])
    >>> stats = measure(s, sipp(s), [1, 2])
    >>> stats.reps, stats.customers["户籍", 0, 18] > 0, 0 <= stats.within["户籍", 0, 18] <= 1
    (2, True, True)
    """
    tg = _slot_target(target or plan.target)
    within_t = tg.within if tg.within is not None else 15.0
    gnames = [g.name for g in scenario.groups]
    first_group = np.array(
        [next((gi for gi, g in enumerate(scenario.groups) if t.name in g.types), 0) for t in scenario.types], int
    )
    G, S = len(gnames), DAY_MINUTES // SLOT_MINUTES
    n = np.zeros((G, 7, S))
    ok = np.zeros((G, 7, S))
    wsum = np.zeros((G, 7, S))
    nserved = np.zeros((G, 7, S))
    # per-replication moments: one replication is one sample of each weekday slot
    reps_seen, l1, l2, m1, m2 = (np.zeros((G, 7, S)) for _ in range(5))
    dreps, dl1, dl2, dm1, dm2 = (np.zeros((G, 7)) for _ in range(5))
    sc = scenario.copy()
    sc.calendar = CalendarSpec(
        representative_week(scenario)[0].date, 7, scenario.calendar.overrides, scenario.calendar.use_official
    )
    days = build_days(sc.calendar)
    wbs = plan.windows_by_slot(days)
    as_wd = np.array([d.as_weekday for d in days])
    for seed in seeds:
        run = simulate(sc, seed=seed, windows_by_slot=wbs)
        arr = run.customers.arrival
        if not len(arr):
            continue
        served = run.start >= 0
        grp = np.where(
            served, np.asarray(run.window_group)[np.where(served, run.window, 0)], first_group[run.customers.type]
        )
        day = (arr // DAY_MINUTES).astype(int)
        slot = ((arr - day * DAY_MINUTES) // SLOT_MINUTES).astype(int)
        wd = as_wd[day]
        wait = np.where(served, run.start - arr, np.inf)
        counted = served if tg.counted == "served" else np.ones(len(arr), bool)
        rn, rok, rw, rs = (np.zeros((G, 7, S)) for _ in range(4))
        np.add.at(rn, (grp, wd, slot), counted.astype(float))
        np.add.at(rok, (grp, wd, slot), ((wait <= within_t + 1e-9) & counted).astype(float))
        np.add.at(rw, (grp, wd, slot), np.where(served, wait, 0.0))
        np.add.at(rs, (grp, wd, slot), served.astype(float))
        n += rn
        ok += rok
        wsum += rw
        nserved += rs
        has = rn > 0
        lv = np.divide(rok, rn, out=np.zeros_like(rn), where=has)
        mv = np.divide(rw, rs, out=np.zeros_like(rn), where=rs > 0)
        reps_seen += has
        l1 += lv
        l2 += lv * lv
        m1 += mv
        m2 += mv * mv
        dn, dok, dw, ds = rn.sum(axis=2), rok.sum(axis=2), rw.sum(axis=2), rs.sum(axis=2)
        dlv = np.divide(dok, dn, out=np.zeros_like(dn), where=dn > 0)
        dmv = np.divide(dw, ds, out=np.zeros_like(dn), where=ds > 0)
        dreps += dn > 0
        dl1 += dlv
        dl2 += dlv * dlv
        dm1 += dmv
        dm2 += dmv * dmv
    gi = {g: i for i, g in enumerate(gnames)}
    cust, lvl, mw, lse, mse = {}, {}, {}, {}, {}
    for key in plan.windows:
        g, wd, s = key
        ix = (gi[g], wd, s)
        c = n[ix]
        cust[key] = int(c)
        lvl[key] = float(ok[ix] / c) if c else 1.0
        mw[key] = float(wsum[ix] / nserved[ix]) if nserved[ix] else 0.0
        r = reps_seen[ix]
        lse[key] = _se(l1[ix], l2[ix], r)
        mse[key] = _se(m1[ix], m2[ix], r)
    dlvl, dmw, dlse, dmse = {}, {}, {}, {}
    for g, wd in {k[:2] for k in plan.windows}:
        dx = (gi[g], wd)
        c, cs = n[dx].sum(), nserved[dx].sum()
        dlvl[g, wd] = float(ok[dx].sum() / c) if c else 1.0
        dmw[g, wd] = float(wsum[dx].sum() / cs) if cs else 0.0
        dlse[g, wd] = _se(dl1[dx], dl2[dx], dreps[dx])
        dmse[g, wd] = _se(dm1[dx], dm2[dx], dreps[dx])
    return SlotStats(cust, lvl, mw, lse, mse, dlvl, dmw, dlse, dmse, len(seeds))


def _se(s1: float, s2: float, r: float) -> float:
    if r < 2:
        return 0.0
    var = max(0.0, (s2 - s1 * s1 / r) / (r - 1))
    return float(np.sqrt(var / r))


def attach(plan: StaffingPlan, stats: SlotStats) -> StaffingPlan:
    """Store what simulation measured (``stats``) on ``plan``, in place.

    Parameters
    ----------
    plan : StaffingPlan
        The plan measured.
    stats : SlotStats
        What :func:`measure` found.

    Returns
    -------
    StaffingPlan
        ``plan`` itself, with its ``sim_*`` and ``day_*`` fields set.

    Examples
    --------
    >>> from sim.scenario import Scenario, ServiceType, WindowGroup
    >>> week = ["09:00-12:00"] * 5 + ["", ""]
    >>> s = Scenario("小厅", [ServiceType("户籍", daily_volume=[40.0] * 5 + [0.0] * 2)],
    ...              [WindowGroup("户籍", ["户籍"], regular=2, hours=week)])
    >>> plan = sipp(s)
    >>> attach(plan, measure(s, plan, [1, 2])) is plan, plan.sim_reps
    (True, 2)
    """
    plan.sim_level, plan.sim_mean_wait, plan.sim_customers = stats.within, stats.mean_wait, stats.customers
    plan.day_level, plan.day_mean_wait = stats.day_within, stats.day_mean_wait
    plan.sim_level_se, plan.sim_reps = stats.within_se, stats.reps
    return plan


def simulation_corrected(
    scenario: Scenario,
    target: str | Target = "90%<=15",
    *,
    reps: int = 30,
    seed: int = 1,
    max_iter: int = 20,
    z: float = 1.645,
    margin: float = 0.0,
    trim: bool = False,
    slack: float = 0.05,
    start: StaffingPlan | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> StaffingPlan:
    """Start from SIPP and simulate ``reps`` weeks per iteration.  A slot *misses* when its
    one-sided confidence bound (``z`` standard errors across replications, plus ``margin``)
    fails the target: it gets one more window and is frozen (never trimmed again).  With
    ``trim``, a slot that meets the target with ``slack`` to spare loses one window (Erlang C
    assumes exponential service; real, less variable service often needs fewer) — fewer
    window-hours, but a more jagged profile, which can cost more paid hours in a roster of whole
    shifts; so it is off by default.  Repeat until
    nothing misses and nothing can be trimmed, a plan repeats (cycle) or ``max_iter`` iterations;
    the cheapest plan seen with no miss is returned.

    Parameters
    ----------
    scenario : Scenario
        The hall.
    target : str or Target, default "90%<=15"
        The service target.
    reps : int, default 30
        Simulated weeks per iteration.
    seed : int, default 1
        Seed of the replications.
    max_iter : int, default 20
        Most iterations.
    z : float, default 1.645
        Standard errors subtracted from a slot's measured level before judging it.
    margin : float, default 0.0
        Extra margin added to the target when judging.
    trim : bool, default False
        Whether slots with ``slack`` to spare lose a window.
    slack : float, default 0.05
        Spare level needed before trimming.
    start : StaffingPlan or None, default None
        The first plan (default: :func:`sipp`).
    progress : callable or None
        Called with ``(iteration, max_iter)``.

    Returns
    -------
    StaffingPlan
        Method ``"sim"``; ``iterations`` and the Chinese ``stop_reason`` tell how it ended.

    Raises
    ------
    TargetError
        When ``target`` cannot be read (Chinese message, see :func:`sim.targets.parse_target`).

    Examples
    --------
    >>> from sim.scenario import Scenario, ServiceType, WindowGroup
    >>> week = ["09:00-12:00"] * 5 + ["", ""]
    >>> s = Scenario("小厅", [ServiceType("户籍", daily_volume=[40.0] * 5 + [0.0] * 2)],
    ...              [WindowGroup("户籍", ["户籍"], regular=2, hours=week)])
    >>> plan = simulation_corrected(s, "90%<=15", reps=2, max_iter=2)
    >>> plan.method, sum(plan.windows.values()) >= sum(sipp(s).windows.values())
    ('sim', True)
    """
    t0 = time.perf_counter()
    tg = _slot_target(target)
    strict = Target(
        percent=min(1.0, tg.percent + margin) if tg.percent is not None else None,
        within=tg.within,
        max_mean_wait=tg.max_mean_wait,
        scope=tg.scope,
        counted=tg.counted,
    )
    roomy = Target(
        percent=min(1.0, strict.percent + slack) if strict.percent is not None else None,
        within=tg.within,
        max_mean_wait=tg.max_mean_wait * (1 - 2 * slack) if tg.max_mean_wait is not None else None,
        scope=tg.scope,
        counted=tg.counted,
    )
    base = start or sipp(scenario, tg)
    plan = StaffingPlan("sim", tg, dict(base.windows), erlang_level=dict(base.erlang_level))
    seeds = rep_seeds(seed, reps)
    seen: set[tuple] = set()
    frozen: set[Key] = set()
    best: dict[Key, int] | None = None
    plan.stop_reason = f"达到{max_iter}轮上限"
    for it in range(1, max_iter + 1):
        stats = measure(scenario, plan, seeds, strict)
        lcb = {k: stats.within[k] - z * stats.within_se[k] for k in plan.windows}
        ucb = {k: stats.mean_wait[k] + z * stats.mean_wait_se[k] for k in plan.windows}
        if tg.scope == "day":
            miss, cut = _day_moves(plan, stats, strict, roomy, z, frozen, trim)
        else:
            miss = [k for k in plan.windows if not strict.met(lcb[k], ucb[k])]
            cut = [
                k
                for k in plan.windows
                if trim and k not in frozen and plan.windows[k] > 1 and roomy.met(lcb[k], ucb[k])
            ]
        if miss and it == max_iter:
            cut = []
        plan.iterations.append(
            {"iteration": it, "staff_hours": plan.staff_hours, "missed_slots": len(miss), "trimmed_slots": len(cut)}
        )
        if progress:
            progress(it, max_iter)
        if not miss and (best is None or sum(plan.windows.values()) < sum(best.values())):
            best = dict(plan.windows)
        if not miss and not cut:
            plan.stop_reason = f"第{it}轮收敛:所有时段均达标"
            break
        sig = tuple(sorted(plan.windows.items()))
        if sig in seen:
            plan.stop_reason = f"第{it}轮检测到循环,停止"
            break
        seen.add(sig)
        for k in miss:
            plan.windows[k] += 1
            frozen.add(k)
        for k in cut:
            plan.windows[k] -= 1
    if best is not None:
        plan.windows = best
        if "收敛" not in plan.stop_reason:
            plan.stop_reason += ",采用其中所有时段均达标且工时最少的方案"
    else:
        plan.stop_reason += ",仍有时段未达标"
    # the plan's own levels are measured against the stated target (not the stricter one)
    attach(plan, measure(scenario, plan, seeds, tg))
    plan.wall_seconds = time.perf_counter() - t0
    return plan


def _day_moves(
    plan: StaffingPlan, stats: SlotStats, strict: Target, roomy: Target, z: float, frozen: set[Key], trim: bool
) -> tuple[list[Key], list[Key]]:
    """For a target pooled over the day: a (group, weekday) whose day misses (confidence bound)
    gets one more window in its worst slot; with ``trim``, a day with room to spare loses one
    window in its best unfrozen slot."""
    by_day: dict[tuple[str, int], list[Key]] = {}
    for k in plan.windows:
        by_day.setdefault(k[:2], []).append(k)
    miss, cut = [], []
    for day, keys in sorted(by_day.items()):
        lcb = stats.day_within[day] - z * stats.day_within_se[day]
        ucb = stats.day_mean_wait[day] + z * stats.day_mean_wait_se[day]
        busy = [k for k in keys if stats.customers.get(k)]
        if not strict.met(lcb, ucb):
            if busy:
                miss.append(min(busy, key=lambda k: (stats.within[k], -stats.mean_wait[k], k)))
        elif trim and roomy.met(lcb, ucb):
            spare = [k for k in keys if k not in frozen and plan.windows[k] > 1]
            if spare:
                cut.append(max(spare, key=lambda k: (stats.within[k], -stats.mean_wait[k], k)))
    return miss, cut


def compare_rows(erlang: StaffingPlan, corrected: StaffingPlan | None, with_ci: bool = False) -> list[dict]:
    """Per-slot rows side by side, for tables and exports; ``with_ci`` adds each slot's 95%
    half-width (``erlang_ci95``, ``sim_ci95``).

    Parameters
    ----------
    erlang : StaffingPlan
        The Erlang C plan (:func:`sipp`), ideally measured (:func:`attach`).
    corrected : StaffingPlan or None
        The simulation-corrected plan, or None.
    with_ci : bool, default False
        Whether to add the 95% half-widths.

    Returns
    -------
    list of dict
        One row per (group, weekday, slot), sorted.

    Examples
    --------
    >>> from sim.scenario import Scenario, ServiceType, WindowGroup
    >>> week = ["09:00-12:00"] * 5 + ["", ""]
    >>> s = Scenario("小厅", [ServiceType("户籍", daily_volume=[40.0] * 5 + [0.0] * 2)],
    ...              [WindowGroup("户籍", ["户籍"], regular=2, hours=week)])
    >>> row = compare_rows(sipp(s), None)[0]
    >>> row["group"], row["weekday_cn"], row["slot_start"], row["erlang_windows"]
    ('户籍', '周一', '09:00', 4)
    """
    rows = []
    for key in sorted(erlang.windows, key=lambda k: (k[0], k[1], k[2])):
        g, wd, s = key
        r = {
            "group": g,
            "weekday": wd,
            "weekday_cn": WEEKDAYS_CN[wd],
            "slot": s,
            "slot_start": min_to_hm(s * SLOT_MINUTES),
            "erlang_windows": erlang.windows[key],
            "erlang_predicted_level": round(erlang.erlang_level.get(key, float("nan")), 4),
            "erlang_sim_level": round(erlang.sim_level[key], 4) if key in erlang.sim_level else None,
            "erlang_met": erlang.met(key),
        }
        if with_ci:
            r["erlang_ci95"] = _ci95(erlang, key)
        if corrected is not None:
            r.update(
                {
                    "sim_windows": corrected.windows.get(key),
                    "sim_level": round(corrected.sim_level[key], 4) if key in corrected.sim_level else None,
                    "sim_met": corrected.met(key),
                }
            )
            if with_ci:
                r["sim_ci95"] = _ci95(corrected, key)
        if erlang.target.scope == "day":  # the judged level is the group's whole day, pooled
            r["erlang_day_level"] = _rounded(erlang.day_level.get(key[:2]))
            if corrected is not None:
                r["sim_day_level"] = _rounded(corrected.day_level.get(key[:2]))
        r["customers"] = (corrected or erlang).sim_customers.get(key)
        rows.append(r)
    return rows


def _ci95(plan: StaffingPlan, key: Key) -> float | None:
    """Half-width of the 95% confidence interval of the slot's measured level (across weeks)."""
    return round(1.96 * plan.sim_level_se[key], 4) if key in plan.sim_level_se else None


def _rounded(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


@dataclass(frozen=True)
class PlanSummary:
    """What one staffing method gives, judged in a fresh simulation (a row of the comparison).

    ``share_meeting_target`` is ``slots_meeting_target / open_slots`` (None without slots);
    ``ci95_halfwidth_*`` are the 95% confidence half-widths of the slots' measured levels across the
    ``fresh_reps`` simulated weeks; ``iterations`` and ``stop_reason`` (Chinese) tell how the
    simulation correction ended.

    Parameters
    ----------
    method : str
        ``"erlang"`` or ``"sim"``.
    staff_hours_per_week : float
        Window hours of the plan over a week.
    open_slots, slots_meeting_target : int
        Slots judged, and those meeting the target in the fresh check.
    share_meeting_target : float or None
        Their ratio.
    group_days, group_days_meeting_target : int
        The same per group day.
    fresh_reps : int
        Weeks simulated in the fresh check.
    ci95_halfwidth_mean, ci95_halfwidth_max : float or None
        Mean and largest 95% half-width of the slots' levels.
    iterations : list of dict
        The correction's iterations.
    stop_reason : str
        Why the correction stopped (Chinese).
    wall_seconds : float
        Seconds the method took.

    Examples
    --------
    >>> from sim.scenario import Scenario, ServiceType, WindowGroup
    >>> week = ["09:00-12:00"] * 5 + ["", ""]
    >>> s = Scenario("小厅", [ServiceType("户籍", daily_volume=[40.0] * 5 + [0.0] * 2)],
    ...              [WindowGroup("户籍", ["户籍"], regular=2, hours=week)])
    >>> summary = staffing_report(s, method="erlang", reps=2).erlang
    >>> summary.method, summary.open_slots
    ('erlang', 30)
    """

    method: str
    staff_hours_per_week: float
    open_slots: int
    slots_meeting_target: int
    share_meeting_target: float | None
    group_days: int
    group_days_meeting_target: int
    fresh_reps: int
    ci95_halfwidth_mean: float | None
    ci95_halfwidth_max: float | None
    iterations: list[dict[str, Any]]
    stop_reason: str
    wall_seconds: float


@dataclass(frozen=True)
class StaffingReport:
    """Both staffing methods side by side (:func:`staffing_report`).

    ``target`` is :meth:`sim.targets.Target.to_dict`; ``erlang`` and ``sim`` (None when only Erlang C
    was asked for) summarise each method; ``slots`` holds one row per (group, weekday, slot), ready
    for :class:`pandas.DataFrame` (columns named in English; ``sim.commands.staffing_cmd.STAFF_HEAD``
    gives their Chinese headings).

    Parameters
    ----------
    target : dict
        The target as :meth:`sim.targets.Target.to_dict`.
    method : str
        ``"erlang"`` or ``"sim"``.
    erlang : PlanSummary
        The Erlang C plan's summary.
    sim : PlanSummary or None
        The simulation-corrected plan's, when asked for.
    slots : list of dict
        Per-slot rows (:func:`compare_rows`).

    Examples
    --------
    >>> from sim.scenario import Scenario, ServiceType, WindowGroup
    >>> week = ["09:00-12:00"] * 5 + ["", ""]
    >>> s = Scenario("小厅", [ServiceType("户籍", daily_volume=[40.0] * 5 + [0.0] * 2)],
    ...              [WindowGroup("户籍", ["户籍"], regular=2, hours=week)])
    >>> report = staffing_report(s, method="erlang", reps=2)
    >>> report.sim is None, len(report.slots), report.to_dict()["method"]
    (True, 30, 'erlang')
    """

    target: dict[str, Any]
    method: str
    erlang: PlanSummary
    sim: PlanSummary | None
    slots: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        """Plain dicts and lists, for JSON.

        Returns
        -------
        dict
            The report's fields (``target``, ``method``, ``erlang``, ``sim``, ``slots``) as plain values.

        Examples
        --------
        >>> from sim.scenario import Scenario, ServiceType, WindowGroup
        >>> week = ["09:00-12:00"] * 5 + ["", ""]
        >>> s = Scenario("小厅", [ServiceType("户籍", daily_volume=[40.0] * 5 + [0.0] * 2)],
        ...              [WindowGroup("户籍", ["户籍"], regular=2, hours=week)])
        >>> d = staffing_report(s, method="erlang", reps=2).to_dict()
        >>> sorted(d), d["sim"], len(d["slots"])
        (['erlang', 'method', 'sim', 'slots', 'target'], None, 30)
        """
        return asdict(self)


def staffing_report(
    scenario: Scenario,
    target: str | Target = "90%<=15",
    method: str = "sim",
    *,
    reps: int = 30,
    seed: int = 1,
    check_seed: int = 99,
    trim: bool = False,
    check_reps: int | None = None,
    with_ci: bool = False,
    progress: Callable[[str, float], None] | None = None,
) -> StaffingReport:
    """Both methods side by side, each judged in a fresh simulation (new seeds, ``check_reps``
    weeks, default ``reps``).  Each slot's 95% confidence half-width is reported, so a planner
    sees whether the fresh check is long enough for its pass/fail to mean anything: with few
    weeks, slots truly at 92% fall below 90% by chance, for either method.

    ``progress(step, share)`` reports the stage (Chinese text) and the share done, for a bar.

    Parameters
    ----------
    scenario : Scenario
        The hall.
    target : str or Target, default "90%<=15"
        The service target.
    method : str, default "sim"
        ``"sim"`` adds the simulation-corrected plan; any other value gives Erlang C only.
    reps : int, default 30
        Simulated weeks per correction iteration.
    seed : int, default 1
        Seed of the correction.
    check_seed : int, default 99
        Seed of the fresh check.
    trim : bool, default False
        Passed to :func:`simulation_corrected`.
    check_reps : int or None, default None
        Weeks of the fresh check (default ``reps``).
    with_ci : bool, default False
        Add per-slot 95% half-widths to ``slots``.
    progress : callable or None
        Called with ``(stage, share)``.

    Returns
    -------
    StaffingReport
        Both plans' summaries and the per-slot rows.

    Raises
    ------
    TargetError
        When ``target`` cannot be read (Chinese message, see :func:`sim.targets.parse_target`).

    Examples
    --------
    >>> from sim.scenario import Scenario, ServiceType, WindowGroup
    >>> week = ["09:00-12:00"] * 5 + ["", ""]
    >>> s = Scenario("小厅", [ServiceType("户籍", daily_volume=[40.0] * 5 + [0.0] * 2)],
    ...              [WindowGroup("户籍", ["户籍"], regular=2, hours=week)])
    >>> report = staffing_report(s, "90%<=15", method="sim", reps=2, check_reps=2)
    >>> report.erlang.method, report.sim.method, report.sim.fresh_reps
    ('erlang', 'sim', 2)
    """
    say = progress or (lambda step, share: None)
    tg = _slot_target(target)
    say("逐时段 Erlang C 测算", 0.0)
    erl = sipp(scenario, tg)
    fresh = rep_seeds(check_seed, check_reps or reps)
    say("新随机数仿真检验 Erlang C 方案", 0.1)
    attach(erl, measure(scenario, erl, fresh, tg))
    cor = None
    if method == "sim":
        cor = simulation_corrected(
            scenario,
            tg,
            reps=reps,
            seed=seed,
            trim=trim,
            progress=lambda it, n: say(f"仿真修正第 {it} 轮(最多 {n} 轮)", 0.2 + 0.6 * it / n),
        )
        say("新随机数仿真检验修正方案", 0.85)
        attach(cor, measure(scenario, cor, fresh, tg))
    say("完成", 1.0)
    return StaffingReport(
        target=tg.to_dict(),
        method=method,
        erlang=_plan_summary(erl),
        sim=_plan_summary(cor) if cor else None,
        slots=compare_rows(erl, cor, with_ci),
    )


def _plan_summary(p: StaffingPlan) -> PlanSummary:
    met, total = p.slots_meeting()
    dmet, dtotal = p.days_meeting()
    return PlanSummary(
        method=p.method,
        staff_hours_per_week=p.staff_hours,
        open_slots=total,
        slots_meeting_target=met,
        share_meeting_target=met / total if total else None,
        group_days=dtotal,
        group_days_meeting_target=dmet,
        fresh_reps=p.sim_reps,
        ci95_halfwidth_mean=_rounded(float(np.mean(list(p.sim_level_se.values()))) * 1.96 if p.sim_level_se else None),
        ci95_halfwidth_max=_rounded(max(p.sim_level_se.values()) * 1.96 if p.sim_level_se else None),
        iterations=list(p.iterations),
        stop_reason=p.stop_reason,
        wall_seconds=round(p.wall_seconds, 3),
    )
