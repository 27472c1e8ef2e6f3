"""The roster's starting point: the greedy roster keeps every hard rule (so CP-SAT starts from a
whole solution), and weekend duties are evened out by dropping the busiest people's last ones.

The case is the benchmark's (sample hall, AB岗 with two backups and two leave requests each,
hours band, caps on half days and lent days) at 30 people × 14 days."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np
import pytest
from ortools.sat.python import cp_model

from sim import roster as R
from sim.roster_certify import pair_backups
from sim.roster_io import sample_staff
from sim.sample_hall import sample_scenario
from sim.staffing import sipp
from sim.verify import horizon, requirement_from_plan


@pytest.fixture(scope="module")
def case():
    s = sample_scenario()
    plan = sipp(s, "90%<=15")
    cal, days = horizon(s, None, weeks=2)
    share = {"住房公积金": 10, "出入境": 8, "交警": 11, "户籍": 11, "社保医保": 20}
    people = sample_staff({g: max(2, round(k * 30 / 60)) for g, k in share.items()}, seed=3)[:30]
    rng = np.random.default_rng(3)
    people = [
        replace(p, leave_requests=frozenset(days[int(k)].date for k in rng.choice(len(days), 2, replace=False)))
        for p in pair_backups(people)
    ]
    req = requirement_from_plan(s, plan, cal, set(share))
    mean_h = sum(req.values()) * 0.5 / len(people)
    bal = R.Balance(hours_band=(0.75 * mean_h, 1.25 * mean_h), max_half_days=3, max_lent_days=4)
    req2, day_index, need_by_day = R._index_requirement(req, days)
    b = R._Build(people, R.default_shifts(), days, req2, day_index, need_by_day)
    R._useful_shifts(b, True)
    R._add_assignments(b)
    R._add_coverage(b)
    R._add_work_limits(b, 5, 6)
    R._add_comp_rest(b)
    R._add_weekend_fairness(b, 1)
    R._add_ab_cover(b)
    R._add_balance(b, bal)
    start = R._greedy(people, b.shifts, days, b.req, b.need_by_day, b.useful, 5, 6, bal, True, True, 1)
    return b, bal, start


def test_greedy_roster_keeps_the_hard_rules(case):
    b, bal, start = case
    people, shifts, days = b.people, b.shifts, b.days
    per_day = Counter((p, i) for p, i, _k, _g in start)
    assert max(per_day.values()) == 1
    half = Counter(p for p, _i, k, _g in start if shifts[k].paid_minutes < R.HALF_DAY_MINUTES)
    lent = Counter(p for p, _i, _k, g in start if g != people[p].home_group)
    assert max(half.values()) <= bal.max_half_days and max(lent.values()) <= bal.max_lent_days
    assert all(g in people[p].groups and days[i].date not in people[p].unavailable for p, i, _k, g in start)
    duties = Counter(p for p, i, _k, _g in start if not days[i].workday)
    spread = [duties.get(p, 0) for p in b.eligible]
    assert max(spread) - min(spread) <= 1
    # the whole model accepts it: fixing every assignment to the greedy roster leaves a feasible model
    fixed = b.m.clone()
    for key, v in b.y.items():
        fixed.add(fixed.get_bool_var_from_proto_index(v.index) == (1 if key in start else 0))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(fixed) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _gaps(b, start):
    on = {(p, i) for p, i, _k, _g in start}
    index = {p.name: k for k, p in enumerate(b.people)}
    return [
        (p, i)
        for p, person in enumerate(b.people)
        for i, day in enumerate(b.days)
        if day.workday
        and person.home_group in b.need_by_day.get(i, {})
        and not any((q, i) in on for q in [p, *(index[x] for x in person.backups)])
    ]


def test_open_posts_have_their_person_or_a_backup(case):
    """The AB岗 pass closes gaps (where a cover would take away the day a
    weekend duty needs); without it the greedy roster leaves more."""
    b, bal, start = case
    without = R._greedy(b.people, b.shifts, b.days, b.req, b.need_by_day, b.useful, 5, 6, bal, True, False, 1)
    assert len(_gaps(b, start)) < len(_gaps(b, without))


def test_fair_weekends_drops_the_busiest_last_duties():
    from datetime import date, timedelta

    days = [R.Day(date(2026, 11, 7) + timedelta(days=k), workday=False) for k in range(3)]
    people = [R.Person(n, "户籍", ("户籍",)) for n in "甲乙丙"]
    need = {i: {"户籍": [540]} for i in range(3)}
    chosen = {(0, 0, 0, "户籍"), (0, 1, 0, "户籍"), (0, 2, 0, "户籍"), (1, 0, 0, "户籍")}
    assert R._fair_weekends(chosen, people, days, need, 1) == {(0, 0, 0, "户籍"), (1, 0, 0, "户籍")}
