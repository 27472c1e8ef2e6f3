"""AB岗 cover, leave refused only where it breaks cover, balance rules and the fit-to-publish
certificate — each checked on the solved roster by counting, not trusted from the solver."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from core.errors import WorkbenchError
from sim.roster import SLOT, Balance, Day, Person, check_backups, default_shifts, solve_roster
from sim.roster_certify import absent_roster, certify, clopper_pearson_lower, pair_backups

MON = date(2026, 11, 9)
WEEK = [Day(MON + timedelta(days=k), workday=k < 5) for k in range(7)]
SHIFTS = default_shifts()
PAID = {s.code: s.paid_minutes for s in SHIFTS}


def _req(group, days, slots=range(510, 1050, 30), n=1, weekdays_only=True):
    return {(group, d.date, s): n for d in days if d.workday or not weekdays_only for s in slots if not 720 <= s < 810}


def _on(r, name, d):
    return any(a[0] == name and a[1] == d for a in r.assignments)


def test_ab_cover_holds_and_leave_is_refused_only_where_it_breaks_cover():
    wed, thu = WEEK[2].date, WEEK[3].date
    people = [
        Person("甲", "户籍", ("户籍",), backups=("乙",), leave_requests=frozenset({wed})),
        Person("乙", "户籍", ("户籍",), backups=("丙",), unavailable=frozenset({wed})),
        Person("丙", "户籍", ("户籍",), backups=("甲",), leave_requests=frozenset({thu})),
    ]
    r = solve_roster(people, SHIFTS, WEEK, _req("户籍", WEEK), time_limit=20, ab_cover=True)
    assert r.status in ("OPTIMAL", "FEASIBLE") and r.shortfall_total == 0
    # cover, counted on the roster: on each open day the person or a named backup is on duty
    for p in people:
        for d in WEEK[:5]:
            assert _on(r, p.name, d.date) or any(_on(r, b, d.date) for b in p.backups), (p.name, d.date)
    assert r.ab_gaps == []
    # 甲's Wednesday: 乙 (the only backup) is away, so 甲 must stay; 丙's Thursday: 甲 can cover
    assert r.leave_refused == [("甲", wed)] and _on(r, "甲", wed)
    assert r.leave_granted == [("丙", thu)] and not _on(r, "丙", thu) and _on(r, "甲", thu)


def test_without_ab_cover_the_same_leave_is_granted():
    wed = WEEK[2].date
    people = [
        Person("甲", "户籍", ("户籍",), backups=("乙",), leave_requests=frozenset({wed})),
        Person("乙", "户籍", ("户籍",), backups=("甲",), unavailable=frozenset({wed})),
        Person("丙", "户籍", ("户籍",), backups=("甲",)),
    ]
    r = solve_roster(people, SHIFTS, WEEK, _req("户籍", WEEK), time_limit=20, ab_cover=False)
    assert r.leave_granted == [] and r.leave_refused == []  # requests only matter under AB岗


def test_every_post_needs_a_named_backup_on_the_list():
    with pytest.raises(WorkbenchError, match="没有指定B岗.*乙"):
        check_backups([Person("甲", "户籍", ("户籍",), backups=("乙",)), Person("乙", "户籍", ("户籍",))])
    with pytest.raises(WorkbenchError, match="甲的备岗“丁”"):
        check_backups(
            [Person("甲", "户籍", ("户籍",), backups=("丁",)), Person("乙", "户籍", ("户籍",), backups=("甲",))]
        )
    with pytest.raises(WorkbenchError):
        solve_roster([Person("甲", "户籍", ("户籍",))], SHIFTS, WEEK, _req("户籍", WEEK), ab_cover=True)
    paired = pair_backups([Person(n, "户籍", ("户籍",)) for n in "甲乙丙"] + [Person("丁", "交警", ("交警", "户籍"))])
    check_backups(paired)
    assert paired[3].backups == ("甲", "乙")  # alone in 交警: colleagues from elsewhere


@pytest.mark.slow  # CP-SAT runs to its time limit (~20 s)
def test_hours_band_half_day_and_lent_day_caps_hold_on_the_roster():
    days = WEEK + [Day(WEEK[-1].date + timedelta(days=k + 1), workday=k < 5) for k in range(7)]
    people = [Person(f"员{k}", "户籍", ("户籍", "交警")) for k in range(5)]
    # mornings only at 户籍 (half days are cheapest), full days at 交警
    req = {**_req("户籍", days, range(510, 720, 30), n=2), **_req("交警", days, n=1)}
    free = solve_roster(people, SHIFTS, days, req, time_limit=20)
    free_hours = sorted(sum(PAID[c] for n, _d, c, _g in free.assignments if n == p.name) / 60 for p in people)
    band = (36.0, 48.0)
    bal = Balance(hours_band=band, max_half_days=3, max_lent_days=4)
    r = solve_roster(people, SHIFTS, days, req, time_limit=30, balance=bal)
    assert r.shortfall_total == 0
    for p in people:
        mine = [a for a in r.assignments if a[0] == p.name]
        hours = sum(PAID[c] for _n, _d, c, _g in mine) / 60
        assert band[0] <= hours <= band[1], (p.name, hours)
        assert sum(PAID[c] < 300 for _n, _d, c, _g in mine) <= 3
        assert sum(g != p.home_group for _n, _d, _c, g in mine) <= 4
    assert free_hours[0] < band[0] or free_hours[-1] > band[1]  # the band changed the roster


def test_absences_are_covered_by_the_first_free_backup():
    people = [
        Person("甲", "户籍", ("户籍",), backups=("乙", "丙")),
        Person("乙", "户籍", ("户籍",), backups=("甲",)),
        Person("丙", "户籍", ("户籍",), backups=("甲",)),
    ]
    req = _req("户籍", WEEK[:1], n=2)
    r = solve_roster(people, SHIFTS, WEEK[:1], req, time_limit=10)
    on = {a[0] for a in r.assignments}
    assert len(on) == 2
    res, missed, covered, uncovered = absent_roster(r, people, SHIFTS, 1.0, np.random.default_rng(0))
    assert missed == 2  # everyone absent: each duty goes to a backup not on duty, if there is one
    free = [p.name for p in people if p.name not in on]
    assert covered == 1 and uncovered == 1  # the free one covers one duty; the other backups are on duty
    assert {a[0] for a in res.assignments} <= set(free)
    expected = sum(
        1
        for _n, d, c, g in res.assignments
        for (gg, dd, slot) in req
        if gg == g and dd == d and SHIFTS_BY[c].covers(slot)
    )
    assert sum(res.coverage.values()) == expected > 0


SHIFTS_BY = {s.code: s for s in SHIFTS}


def test_certificate_passes_a_sound_roster_and_fails_one_gutted_by_absences():
    from sim.sample_hall import policy_variant, sample_scenario
    from sim.staffing import sipp
    from sim.verify import horizon, requirement_from_plan

    s = policy_variant(sample_scenario(), False)
    plan = sipp(s, "90%<=15")
    cal, days = horizon(s, None, weeks=1)
    people = pair_backups([Person(f"户{k}", "户籍", ("户籍",)) for k in range(9)])
    req = requirement_from_plan(s, plan, cal, {"户籍"})
    r = solve_roster(people, SHIFTS, days, req, time_limit=20, ab_cover=True)
    assert r.shortfall_total == 0
    ok = certify(
        s, r, people, SHIFTS, cal, "90%<=15", {"户籍"}, plan, leave_rate=0.0, reps=10, confidence=0.9, required=0.75
    )
    assert ok.holds == 10 and ok.fit and ok.missed_duties == 0
    assert "可以发布" in ok.text and "AB岗" in ok.text and "None" not in ok.text
    bad = certify(
        s, r, people, SHIFTS, cal, "90%<=15", {"户籍"}, plan, leave_rate=0.6, reps=10, confidence=0.9, required=0.75
    )
    assert not bad.fit and bad.uncovered > 0 and bad.covered_by_backup > 0 and "暂不宜发布" in bad.text
    assert bad.lower_bound == pytest.approx(clopper_pearson_lower(bad.holds, 10, 0.9))
    assert SLOT == 30
