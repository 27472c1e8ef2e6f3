"""Is a roster fit to publish? Simulate it with random absences covered by the AB岗 backups.

For each replication, every duty of the roster is missed with probability ``leave_rate`` (sick
leave, urgent matters); a missed duty is taken over by the first of the person's named backups
who is not on duty that day, is available and may serve that group (AB岗 顶岗), else the window
stays shut for that shift. The roster's windows (after absences) go into the hall model with a
fresh seed (:func:`sim.verify.roster_windows`, :func:`sim.hall.simulate`), and the replication
*holds* when the rostered groups, pooled over the whole horizon, meet the target.

The roster is *fit to publish* when the one-sided lower confidence bound (Clopper–Pearson, at
``confidence``) of the probability that the target holds is at least ``required``: with 20
replications that all hold, the 90 % lower bound is 0.89.

>>> round(clopper_pearson_lower(20, 20, 0.9), 3), round(clopper_pearson_lower(18, 20, 0.9), 3)
(0.891, 0.755)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np

from .calendar import Day as CalDay
from .hall import simulate
from .replicate import rep_seeds
from .roster import Person, RosterResult, Shift
from .scenario import CalendarSpec, Scenario
from .targets import Target, parse_target

__all__ = ["Certificate", "absent_roster", "bench_case", "certify", "clopper_pearson_lower", "pair_backups"]


@dataclass(frozen=True)
class Certificate:
    """The verdict and the figures behind it; ``text`` says it in plain Chinese."""

    fit: bool
    reps: int
    holds: int
    leave_rate: float
    confidence: float
    required: float
    lower_bound: float
    missed_duties: float  # mean per replication
    covered_by_backup: float  # mean per replication
    uncovered: float  # mean per replication
    target_text: str
    levels: tuple[float, ...]

    @property
    def text(self) -> str:
        verdict = "可以发布" if self.fit else "暂不宜发布"
        return (
            f"排班可靠性检验:按每人每个班次有 {self.leave_rate:.0%} 的可能临时缺勤(病假、事假等)随机抽取,"
            f"缺勤者的班次由其AB岗备岗人员顶岗(备岗人员当天须未排班且可办理该窗口业务),"
            f"无人顶岗的窗口当班关闭;将这样的排班放回大厅仿真重复 {self.reps} 次。"
            f"平均每次缺勤 {self.missed_duties:.1f} 个班次,其中 {self.covered_by_backup:.1f} 个由备岗人员顶上,"
            f"{self.uncovered:.1f} 个无人顶岗。服务目标“{self.target_text}”在 {self.reps} 次中有 {self.holds} 次达到;"
            f"据此有 {self.confidence:.0%} 的把握认为达标概率不低于 {self.lower_bound:.0%}"
            f"(发布要求:不低于 {self.required:.0%})。结论:{verdict}。"
        )


def clopper_pearson_lower(k: int, n: int, confidence: float) -> float:
    """One-sided lower confidence bound of a binomial proportion (exact, by bisection)."""
    if n <= 0 or k <= 0:
        return 0.0
    alpha = 1.0 - confidence

    def tail(p: float) -> float:  # P(X >= k | p)
        return sum(math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(k, n + 1))

    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if tail(mid) < alpha:
            lo = mid
        else:
            hi = mid
    return lo


def pair_backups(people: list[Person], n: int = 2) -> list[Person]:
    """Name ``n`` backups per person where the staff list has none: the next colleagues of the
    same home group in list order (round robin), else colleagues who can serve that group.

    >>> ps = pair_backups([Person("甲", "户籍", ("户籍",)), Person("乙", "户籍", ("户籍",)),
    ...                    Person("丙", "户籍", ("户籍",))], 1)
    >>> [(p.name, p.backups) for p in ps]
    [('甲', ('乙',)), ('乙', ('丙',)), ('丙', ('甲',))]
    """
    out = []
    for p in people:
        if p.backups:
            out.append(p)
            continue
        same = [q.name for q in people if q.home_group == p.home_group]
        k = same.index(p.name)
        cands = [same[(k + j) % len(same)] for j in range(1, len(same))]
        cands += [q.name for q in people if q.name not in same and p.home_group in q.groups]
        cands += [q.name for q in people if q.name not in cands and q.name != p.name]  # a small group
        out.append(replace(p, backups=tuple(cands[:n])))
    return out


def absent_roster(
    result: RosterResult, people: list[Person], shifts: list[Shift], leave_rate: float, rng: np.random.Generator
) -> tuple[RosterResult, int, int, int]:
    """The roster after random absences and AB岗 cover: (roster, missed, covered, uncovered)."""
    by_name = {p.name: p for p in people}
    shift_by = {s.code: s for s in shifts}
    on_duty: dict[date, set[str]] = {}
    for n, d, _c, _g in result.assignments:
        on_duty.setdefault(d, set()).add(n)
    absent = rng.random(len(result.assignments)) < leave_rate
    out, missed, covered = [], 0, 0
    for (n, d, code, g), gone in zip(result.assignments, absent):
        if not gone:
            out.append((n, d, code, g))
            continue
        missed += 1
        sub = next(
            (
                b
                for b in by_name[n].backups
                if b in by_name and b not in on_duty[d] and d not in by_name[b].unavailable and g in by_name[b].groups
            ),
            None,
        )
        if sub is not None:
            on_duty[d].add(sub)
            out.append((sub, d, code, g))
            covered += 1
    coverage: dict[tuple[str, date, int], int] = {}
    for _n, d, code, g in out:
        sh = shift_by[code]
        for gg, dd, s in result.requirement:
            if gg == g and dd == d and sh.covers(s):
                coverage[g, d, s] = coverage.get((g, d, s), 0) + 1
    return replace(result, assignments=out, coverage=coverage), missed, covered, missed - covered


def certify(
    scenario: Scenario,
    result: RosterResult,
    people: list[Person],
    shifts: list[Shift],
    cal: list[CalDay],
    target: str | Target,
    rostered: set[str],
    plan: Any = None,
    *,
    leave_rate: float = 0.05,
    reps: int = 20,
    confidence: float = 0.9,
    required: float = 0.8,
    seed: int = 20_261_130,
) -> Certificate:
    """Simulate the roster ``reps`` times with absences; see the module docstring."""
    from core.errors import WorkbenchError

    from .verify import roster_windows

    if not 0 <= leave_rate < 1 or not 0 < confidence < 1 or not 0 < required <= 1 or reps < 1:
        raise WorkbenchError("可靠性检验参数无效:缺勤率应在0到1之间,置信度和发布要求应在0到1之间,重复次数≥1")
    tg = parse_target(target)
    within = tg.within if tg.within is not None else 15.0
    sc = scenario.copy()
    sc.calendar = CalendarSpec(cal[0].date, len(cal), scenario.calendar.overrides, scenario.calendar.use_official)
    rost = np.array([g.name in rostered for g in scenario.groups])
    first_group = np.array(
        [next((k for k, g in enumerate(scenario.groups) if t.name in g.types), 0) for t in scenario.types], int
    )
    holds, levels = 0, []
    totals = np.zeros(3)
    for r, s in enumerate(rep_seeds(seed, reps)):
        rng = np.random.default_rng([seed, r, 7])
        res, missed, cov, unc = absent_roster(result, people, shifts, leave_rate, rng)
        totals += (missed, cov, unc)
        run = simulate(sc, seed=s, windows_by_slot=roster_windows(scenario, res, plan, cal, rostered))
        served = run.start >= 0
        grp = np.where(
            served, np.asarray(run.window_group)[np.where(served, run.window, 0)], first_group[run.customers.type]
        )
        mine = rost[grp]
        wait = np.where(served, run.start - run.customers.arrival, np.inf)[mine]
        counted = served[mine] if tg.counted == "served" else np.ones(int(mine.sum()), bool)
        level = float(((wait <= within + 1e-9) & counted).sum() / max(1, counted.sum()))
        ws = wait[served[mine]]
        mean_wait = float(ws.mean()) if len(ws) else None
        levels.append(level)
        holds += bool(tg.met(level, mean_wait))
    lb = clopper_pearson_lower(holds, reps, confidence)
    mean = [float(x) for x in totals / reps]
    return Certificate(
        lb >= required,
        reps,
        holds,
        leave_rate,
        confidence,
        required,
        lb,
        mean[0],
        mean[1],
        mean[2],
        _target_cn(tg),
        tuple(levels),
    )


def _target_cn(tg: Target) -> str:
    parts = []
    if tg.percent is not None:
        parts.append(f"至少{tg.percent:.0%}的群众等候不超过{tg.within:g}分钟")
    if tg.max_mean_wait is not None:
        parts.append(f"平均等候不超过{tg.max_mean_wait:g}分钟")
    return "且".join(parts) + "(排班期内各窗口组合计)"


def bench_case(
    n_people: int = 60, days: int = 28, *, time_limit: float = 60.0, seed: int = 3, phase1_share: float = 0.8
) -> tuple[RosterResult, list[Person]]:
    """The benchmark roster: ``n_people`` staff (five public-facing groups of the sample hall, as in
    ``bench/staffing_bench.py``) over ``days`` days with AB岗 (two named backups each, two leave
    requests each) and balance (paid hours within the band :func:`sim.roster.default_hours_band`
    derives from demand, at most 6 half days and 8 days lent out per person)."""
    from .roster import Balance, default_hours_band, default_shifts, solve_roster
    from .roster_io import sample_staff
    from .sample_hall import sample_scenario
    from .staffing import sipp
    from .verify import horizon, requirement_from_plan

    s = sample_scenario()
    plan = sipp(s, "90%<=15")
    cal, hdays = horizon(s, None, weeks=max(1, days // 7))
    share = {"住房公积金": 10, "出入境": 8, "交警": 11, "户籍": 11, "社保医保": 20}
    scale = n_people / sum(share.values())
    people = sample_staff({g: max(2, round(k * scale)) for g, k in share.items()}, seed=seed)[:n_people]
    rng = np.random.default_rng(seed)
    people = [
        replace(p, leave_requests=frozenset(hdays[int(k)].date for k in rng.choice(len(hdays), 2, replace=False)))
        for p in pair_backups(people)
    ]
    req = requirement_from_plan(s, plan, cal, set(share))
    band = default_hours_band(people, default_shifts(), hdays, req)
    res = solve_roster(
        people,
        default_shifts(),
        hdays,
        req,
        time_limit=time_limit,
        phase1_share=phase1_share,
        ab_cover=True,
        balance=Balance(hours_band=band, max_half_days=6, max_lent_days=8),
    )
    return res, people
