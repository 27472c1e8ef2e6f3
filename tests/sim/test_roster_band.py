"""The paid-hours band: refused in Chinese when no roster can hold it, derived from demand by
default, and held by the solved roster (every person's hours counted on the assignments)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from core.errors import WorkbenchError
from sim import roster as R
from sim.roster import Balance, Day, Person, default_shifts, solve_roster

ROOT = Path(__file__).resolve().parents[2]
MON = date(2026, 11, 9)
WEEK = [Day(MON + timedelta(days=k), workday=k < 5) for k in range(7)]
SHIFTS = default_shifts()
PAID = {s.code: s.paid_minutes for s in SHIFTS}


def _req(group, days, n=1):
    """``n`` windows all day (08:30–17:30, lunch closed) on working days: 7.5 h a window a day."""
    return {(group, d.date, s): n for d in days if d.workday for s in range(510, 1050, 30) if not 720 <= s < 810}


def _hours(result, name):
    return sum(PAID[c] for n, _d, c, _g in result.assignments if n == name) / 60


def test_min_paid_hours_counts_whole_shifts():
    # one window all day for 5 days = 37.5 h; mornings only: two half days (3.5 h) cover 2 windows
    assert R.min_paid_hours(SHIFTS, WEEK, _req("户籍", WEEK)) == pytest.approx(37.5)
    mornings = {("户籍", MON, s): 2 for s in range(510, 720, 30)}
    assert R.min_paid_hours(SHIFTS, WEEK, mornings) == pytest.approx(7.0)
    # a late-morning peak of 1 slot still costs a whole half day: more than the 0.5 window-hours
    assert R.min_paid_hours(SHIFTS, WEEK, {("户籍", MON, 600): 1}) == pytest.approx(3.5)


def test_a_band_below_demand_is_refused_in_chinese_before_solving():
    people = [Person("甲", "户籍", ("户籍",)), Person("乙", "户籍", ("户籍",))]
    req = _req("户籍", WEEK, n=2)  # 2 windows × 7.5 h × 5 days = 75 h for 2 people
    with pytest.raises(WorkbenchError) as e:
        solve_roster(people, SHIFTS, WEEK, req, time_limit=5, balance=Balance(hours_band=(10, 30)))
    msg = str(e.value)
    assert "工时区间 10–30 小时无法满足需求" in msg  # names the band
    assert "工时上限合计 60 小时" in msg and "75 个窗口小时" in msg and "至少需要 75 小时" in msg  # and the demand
    assert "平均至少约 38 小时" in msg and "None" not in msg
    # the same staff with a band that can hold the demand is solved
    r = solve_roster(people, SHIFTS, WEEK, req, time_limit=10, balance=Balance(hours_band=(30, 40)))
    assert r.shortfall_total == 0 and all(30 <= _hours(r, p.name) <= 40 for p in people)


def test_an_unreachable_lower_limit_and_a_reversed_band_are_refused():
    people = [Person("甲", "户籍", ("户籍",)), Person("乙", "户籍", ("户籍",), weekly_hours=20)]
    req = _req("户籍", WEEK)
    with pytest.raises(WorkbenchError, match=r"下限达不到:乙\(下限 30 小时,最多可排 20 小时\)") as e:
        R.check_hours_band((30, 40), people, SHIFTS, WEEK, req)
    assert "甲" not in str(e.value)
    with pytest.raises(WorkbenchError, match="工时区间 40–30 小时无效"):
        R.check_hours_band((40, 30), people, SHIFTS, WEEK, req)


def test_default_band_is_centred_on_the_demand_and_capped_by_contracted_hours():
    people = [Person(n, "户籍", ("户籍",)) for n in "甲乙丙"]
    req = _req("户籍", WEEK, n=2)  # 75 h over 3 people: 25 h each
    lo, hi = R.default_hours_band(people, SHIFTS, WEEK, req)
    assert lo == pytest.approx(22.5) and hi == pytest.approx(31.3)
    R.check_hours_band((lo, hi), people, SHIFTS, WEEK, req)  # a default band is never refused
    # one person over a busy week: the band stops at the contracted 40 h a week
    lo1, hi1 = R.default_hours_band(people[:1], SHIFTS, WEEK, req)
    assert hi1 == pytest.approx(40.0) and lo1 <= hi1


def test_band_upper_limit_is_hard_and_the_lower_limit_outweighs_shortfall():
    """Four people, two weeks, demand for 2.5 people: without the band the solver may load some
    people to their weekly limit; with it everyone is inside, and the demand is still met."""
    days = WEEK + [Day(WEEK[-1].date + timedelta(days=k + 1), workday=k < 5) for k in range(7)]
    people = [Person(n, "户籍", ("户籍",)) for n in "甲乙丙丁"]
    req = {
        **_req("户籍", days, n=2),
        **{("户籍", d.date, s): 3 for d in days if d.workday for s in range(540, 690, 30)},
    }
    band = R.default_hours_band(people, SHIFTS, days, req)
    r = solve_roster(people, SHIFTS, days, req, time_limit=20, balance=Balance(hours_band=band))
    assert r.shortfall_total == 0
    hours = [_hours(r, p.name) for p in people]
    assert all(band[0] - 1e-9 <= h <= band[1] + 1e-9 for h in hours), (hours, band)
    assert r.band_misses == [] and r.person_band["甲"] == band
    assert r.person_hours == {p.name: h for p, h in zip(people, hours, strict=True)}


def test_greedy_start_keeps_the_upper_limit():
    days = WEEK + [Day(WEEK[-1].date + timedelta(days=k + 1), workday=k < 5) for k in range(7)]
    people = [Person(n, "户籍", ("户籍",)) for n in "甲乙丙丁"]
    req = _req("户籍", days, n=3)
    bal = Balance(hours_band=(40.0, 55.0))
    req2, day_index, need = R._index_requirement(req, days)
    b = R._Build(people, SHIFTS, days, req2, day_index, need)
    R._useful_shifts(b)
    start = R._greedy(people, SHIFTS, days, req2, need, b.useful, 5, 6, bal)
    per = {p: sum(SHIFTS[k].paid_minutes for q, _i, k, _g in start if q == p) / 60 for p in range(len(people))}
    assert max(per.values()) <= 55 and sum(per.values()) > 0
    free = R._greedy(people, SHIFTS, days, req2, need, b.useful, 5, 6, None)
    per_free = {p: sum(SHIFTS[k].paid_minutes for q, _i, k, _g in free if q == p) / 60 for p in range(len(people))}
    assert max(per_free.values()) > 55  # without the cap the greedy roster goes over: the test can fail


def test_roster_cli_refuses_an_impossible_band_in_chinese():
    p = subprocess.run(
        [sys.executable, "-m", "sim", "roster", "data/hall/sample-hall.xlsx", "data/hall/staff.xlsx"]
        + ["--weeks", "1", "--method", "erlang", "--time-limit", "5", "--hours-band", "1-2", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert p.returncode == 2, p.stderr
    assert "工时区间 1–2 小时无法满足需求" in p.stderr and "窗口小时" in p.stderr
    assert "Traceback" not in p.stderr


@pytest.mark.slow  # CP-SAT runs to its time limit
def test_sample_hall_roster_holds_the_default_band():
    from core import config
    from sim.roster_io import read_staff
    from sim.sample_hall import sample_scenario
    from sim.staffing import sipp
    from sim.verify import horizon, requirement_from_plan, roster_for_scenario

    s = sample_scenario()
    people, shifts = read_staff(config.data_dir() / "hall" / "staff.xlsx", [g.name for g in s.groups])
    plan = sipp(s, "90%<=15")
    cal, days = horizon(s, None, 4)
    req = requirement_from_plan(s, plan, cal, {g for p in people for g in p.groups})
    band = R.default_hours_band(people, shifts, days, req)
    r, *_ = roster_for_scenario(s, people, shifts, weeks=4, plan=plan, time_limit=40, balance=Balance(hours_band=band))
    paid = {sh.code: sh.paid_minutes for sh in shifts}
    for p in people:
        share = R.available_share(p, days)
        h = sum(paid[c] for n, _d, c, _g in r.assignments if n == p.name) / 60
        assert band[0] * share - 0.05 <= h <= band[1] * share + 0.05, (p.name, h, band, share)
    assert r.band_misses == [] and r.shortfall_total == 0


@pytest.mark.slow  # the benchmark case: 60 people × 28 days with AB岗, leave and balance, 60 s
def test_sixty_people_with_ab_cover_hold_the_band():
    from sim.roster_certify import bench_case

    r, people = bench_case(60, 28)
    assert r.status in ("OPTIMAL", "FEASIBLE") and r.ab_gaps == []
    top = max(hi for _lo, hi in r.person_band.values())
    for p in people:
        h = sum(PAID[c] for n, _d, c, _g in r.assignments if n == p.name) / 60
        lo, hi = r.person_band[p.name]
        assert lo - 0.05 <= h <= hi + 0.05, (p.name, h, lo, hi)
        if not p.unavailable:
            assert hi == top
    assert r.band_misses == [] and top < 119  # the old free roster ranged 76.5–119 h


def test_auto_band_is_derived_from_demand_when_solving():
    people = [Person(n, "户籍", ("户籍",)) for n in "甲乙丙"]
    req = _req("户籍", WEEK, n=2)
    r = solve_roster(people, SHIFTS, WEEK, req, time_limit=10, balance=Balance(auto_band=True))
    band = R.default_hours_band(people, SHIFTS, WEEK, req)
    assert all(r.person_band[p.name] == band for p in people)
    assert r.band_misses == [] and r.shortfall_total == 0
    from sim.roster_io import band_lines

    line = band_lines(r)[0]
    assert (
        line.startswith(f"工时区间:每人排班工时应在 {band[0]:g}–{band[1]:g} 小时之间") and "全部人员都在区间内" in line
    )


def test_a_band_too_low_for_one_group_is_refused_naming_the_group():
    # enough hours in total, but only 乙 can serve 交警 (7.5 h a day for 5 days = 37.5 h > 30 h)
    people = [Person("甲", "户籍", ("户籍",)), Person("乙", "交警", ("交警",)), Person("丙", "户籍", ("户籍",))]
    req = {**_req("户籍", WEEK), **_req("交警", WEEK)}
    with pytest.raises(WorkbenchError) as e:
        R.check_hours_band((0, 30), people, SHIFTS, WEEK, req)
    assert "无法满足以下窗口组的需求:交警(可上岗 1 人,上限合计 30 小时,至少需要 38 小时)" in str(e.value)
    assert R.min_paid_by_group(SHIFTS, WEEK, req) == {"户籍": 37.5, "交警": 37.5}


def test_notes_sheet_says_the_band_in_plain_chinese(tmp_path):
    from openpyxl import load_workbook

    from sim.roster_io import export_roster

    people = [Person("甲", "户籍", ("户籍",)), Person("乙", "户籍", ("户籍",))]
    req = _req("户籍", WEEK, n=2)
    r = solve_roster(people, SHIFTS, WEEK, req, time_limit=10, balance=Balance(hours_band=(36, 40)))
    path = tmp_path / "roster.xlsx"
    export_roster(r, people, SHIFTS, path)
    notes = [str(row[0]) for row in load_workbook(path)["说明"].iter_rows(values_only=True) if row[0]]
    line = next(n for n in notes if n.startswith("工时区间"))
    assert "每人排班工时应在 36–40 小时之间" in line and "实际每人 37.5 小时" in line and "全部人员都在区间内" in line
    assert "None" not in " ".join(notes)
