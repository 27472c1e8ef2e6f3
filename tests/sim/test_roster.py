"""The sample roster (data/hall/staff.xlsx, sample hall, 4 weeks): every rule checked on the solved
roster itself (not trusted from the solver), the exports, and the proof in simulation."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sim.roster import SLOT, Day, Person, default_shifts, solve_roster
from sim.roster_io import StaffInvalid, export_roster, read_staff, write_staff
from sim.scenario_io import load_scenario
from sim.verify import roster_for_scenario, verify_roster

ROOT = Path(__file__).resolve().parents[2]
HALL = ROOT / "data/hall/sample-hall.json"
STAFF = ROOT / "data/hall/staff.xlsx"


@pytest.fixture(scope="module")
def solved():
    scenario = load_scenario(HALL)
    people, shifts = read_staff(STAFF, [g.name for g in scenario.groups])
    result, plan, cal, rostered = roster_for_scenario(scenario, people, shifts, weeks=4, reps=20, time_limit=40)
    return scenario, people, shifts, result, plan, cal, rostered


@pytest.mark.slow
def test_staff_list_is_the_illustrative_sample(solved):
    _s, people, shifts, *_ = solved
    assert 35 <= len(people) <= 45
    assert {s.code for s in shifts} >= {"D", "AM", "PM", "W"}
    wb = load_workbook(STAFF)
    assert "示例数据" in wb["说明"]["A1"].value


@pytest.mark.slow
def test_feasible_without_shortfall_and_status_reported(solved):
    _s, _p, _sh, result, _plan, cal, rostered = solved
    assert result.status in ("OPTIMAL", "FEASIBLE")
    assert result.gap is not None and result.gap >= 0
    assert len(cal) == 28 and cal[0].date.weekday() == 0
    assert result.shortfall == {}
    assert rostered == {"住房公积金", "户籍", "出入境", "交警"}


@pytest.mark.slow
def test_coverage_recomputed_from_assignments(solved):
    _s, people, shifts, result, *_ = solved
    by_code = {s.code: s for s in shifts}
    cov = defaultdict(int)  # type: ignore[var-annotated]
    for _name, d, code, g in result.assignments:
        for rg, rd, slot in result.requirement:
            if (
                rg == g
                and rd == d
                and by_code[code].start <= slot
                and slot + SLOT <= by_code[code].end
                and not (by_code[code].lunch and slot < by_code[code].lunch[1] and slot + SLOT > by_code[code].lunch[0])
            ):
                cov[rg, rd, slot] += 1
    for key, need in result.requirement.items():
        assert cov[key] >= need, key
        assert result.coverage.get(key, 0) == cov[key]


@pytest.mark.slow
def test_one_shift_a_day_skills_leave_and_day_kinds(solved):
    _s, people, shifts, result, *_ = solved
    by_name = {p.name: p for p in people}
    by_code = {s.code: s for s in shifts}
    workday = {d.date: d.workday for d in result.days}
    seen = set()
    for name, d, code, g in result.assignments:
        assert (name, d) not in seen, f"{name} has two shifts on {d}"
        seen.add((name, d))
        assert g in by_name[name].groups, f"{name} cannot serve {g}"
        assert d not in by_name[name].unavailable
        s = by_code[code]
        assert s.days == "all" or (s.days == "workday") == workday[d]
    assert any(p.unavailable for p in people), "the sample has leave to respect"


def _worked(result):
    out = defaultdict(set)
    for name, d, _c, _g in result.assignments:
        out[name].add(d)
    return out


@pytest.mark.slow
def test_weekly_limits_and_consecutive_days(solved):
    _s, people, shifts, result, *_ = solved
    by_code = {s.code: s for s in shifts}
    worked = _worked(result)
    week_days, week_min = defaultdict(int), defaultdict(int)  # type: ignore[var-annotated]
    for name, d, code, _g in result.assignments:
        wk = d.isocalendar()[:2]
        week_days[name, wk] += 1
        week_min[name, wk] += by_code[code].paid_minutes
    hours = {p.name: p.weekly_hours for p in people}
    assert max(week_days.values()) <= 5
    assert all(m <= hours[n] * 60 for (n, _w), m in week_min.items())
    for p in people:
        run = best = 0
        for day in result.days:
            run = run + 1 if day.date in worked[p.name] else 0
            best = max(best, run)
        assert best <= 6, p.name


def _check_comp_rest(people, result) -> int:
    """Each rest-day duty gets its own working day off within the next 7 days (earliest-deadline
    matching, exact for these equal-length windows); unmatched only when the 7 days run past
    the horizon, and then reported as pending."""
    worked = _worked(result)
    days = result.days
    last = days[-1].date
    checked = 0
    for p in people:
        used: set = set()
        for day in days:
            if day.workday or day.date not in worked[p.name]:
                continue
            window = [
                d.date
                for d in days
                if day.date < d.date <= day.date + dt.timedelta(days=7)
                and d.workday
                and d.date not in worked[p.name] | p.unavailable
                and d.date not in used
            ]
            if window:
                used.add(window[0])
                checked += 1
                continue
            assert last < day.date + dt.timedelta(days=7), f"{p.name}: no 调休 of its own after {day.date}"
            assert (p.name, day.date) in result.pending_comp_rest
        # the solver's own matching names distinct working days off
        mine = [rest for (n, _duty), rest in result.comp_rest.items() if n == p.name]
        assert len(mine) == len(set(mine)) and not set(mine) & (worked[p.name] | p.unavailable)
    return checked


@pytest.mark.slow
def test_compensatory_rest_after_weekend_duty(solved):
    _s, people, _sh, result, *_ = solved
    assert _check_comp_rest(people, result) > 20
    worked = _worked(result)
    both = [
        (p.name, d.date)
        for p in people
        for d in result.days
        if d.date.weekday() == 5
        and not d.workday
        and d.date in worked[p.name]
        and d.date + dt.timedelta(days=1) in worked[p.name]
    ]
    assert both, "the sample has people on duty both weekend days: each day earns its own 调休"


def test_two_weekend_days_earn_two_rest_days():
    """One person, both weekend days needed, then a full working week wanted: only 3 weekdays can be
    worked (two 调休 days; one would still allow 4 under the 6-in-a-row rule), so two weekday slots
    stay short and are reported."""
    days = [Day(dt.date(2026, 11, 7) + dt.timedelta(days=k), workday=k not in (0, 1, 7, 8)) for k in range(9)]
    people = [Person("甲", "户籍", ("户籍",))]
    req = {("户籍", d.date, 600): 1 for d in days[:7]}
    r = solve_roster(people, default_shifts(), days, req, time_limit=10)
    assert r.status == "OPTIMAL"
    worked = _worked(r)["甲"]
    # with one 调休 for the whole weekend, Sat–Thu (6 in a row) would cover 6 of the 7 days
    assert len(worked) == 5 and len(r.shortfall) == 2
    duties = sorted(d for d in worked if d.weekday() >= 5)
    assert sorted(duty for (_n, duty) in r.comp_rest) == duties
    assert _check_comp_rest(people, r) == len(duties)
    # a day of leave is not 调休: on leave on Monday, 甲 can work only 4 of the 7 days
    r2 = solve_roster(
        [Person("甲", "户籍", ("户籍",), unavailable=frozenset({days[2].date}))],
        default_shifts(),
        days,
        req,
        time_limit=10,
    )
    assert len(_worked(r2)["甲"]) == 4 and days[2].date not in r2.comp_rest.values()


@pytest.mark.slow
def test_weekend_duty_is_fair(solved):
    _s, people, _sh, result, *_ = solved
    worked = _worked(result)
    rest_days = {d.date for d in result.days if not d.workday}
    open_rest = {d for (_g, d, _s) in result.requirement if d in rest_days}
    rest_groups = {g for (g, d, _s) in result.requirement if d in rest_days}
    eligible = [p for p in people if set(p.groups) & rest_groups and any(d not in p.unavailable for d in open_rest)]
    duties = [len(worked[p.name] & rest_days) for p in eligible]
    assert len(eligible) == len(people)
    assert max(duties) - min(duties) <= 1
    assert min(duties) >= 1
    assert result.weekend_duty_spread == max(duties) - min(duties)


@pytest.mark.slow
def test_paid_hours_close_to_requirement(solved):
    *_, result, _plan, _cal, _r = solved
    assert result.paid_hours <= 1.25 * result.required_window_hours


@pytest.mark.slow
def test_roster_meets_target_in_fresh_simulation(solved):
    scenario, _p, _sh, result, plan, cal, rostered = solved
    v = verify_roster(scenario, result, cal, "90%<=15", rostered, plan, reps=10, seed=777)
    assert v["open_slots"] == len(v["slots"]) > 1000
    assert v["slots_meeting_target"] >= 0.95 * v["open_slots"]
    assert all(r["on_duty"] >= r["required"] for r in v["slots"])
    # a roster with nobody on Monday morning at 户籍 fails there: the check can fail
    broken = type(result)(
        **{
            **result.__dict__,
            "coverage": {k: (0 if k[0] == "户籍" and k[1] == cal[0].date else n) for k, n in result.coverage.items()},
        }
    )
    vb = verify_roster(scenario, broken, cal, "90%<=15", rostered, plan, reps=3, seed=777)
    assert vb["slots_meeting_target"] < v["slots_meeting_target"] - 5


@pytest.mark.slow
def test_verification_pooled_over_the_day(solved):
    from sim.targets import Target

    scenario, _p, _sh, result, plan, cal, rostered = solved
    v = verify_roster(scenario, result, cal, Target(0.9, 15.0, scope="day"), rostered, plan, reps=2, seed=5)
    days = {(r["group"], r["date"]): r for r in v["group_day_results"]}
    assert v["group_days"] == len(days) == len({(r["group"], r["date"]) for r in v["slots"]})
    for r in v["slots"]:
        assert r["pass"] == days[r["group"], r["date"]]["pass"]
    for (g, d), row in days.items():
        slots = [r for r in v["slots"] if (r["group"], r["date"]) == (g, d) and r["customers"]]
        n = sum(r["customers"] for r in slots)
        assert row["service_level"] == pytest.approx(sum(r["service_level"] * r["customers"] for r in slots) / n)
    assert "全天" in v["definition"]


@pytest.mark.slow
def test_exports(solved, tmp_path):
    _s, people, shifts, result, *_ = solved
    out = tmp_path / "roster.xlsx"
    export_roster(result, people, shifts, out, definition="服务目标")
    wb = load_workbook(out)
    assert wb.sheetnames[:5] == ["排班表", "需求热力图", "缺口明细", "说明", "班次"]
    assert len(wb.sheetnames) == 5 + len(people)
    ws = wb["排班表"]
    head = [c.value for c in ws[1]]
    assert head[-2] == "周末值班"
    for row in ws.iter_rows(min_row=2, max_row=len(people) + 1):
        name = row[0].value
        assert row[len(head) - 2].value == result.weekend_duties[name]
        coloured = [c for c in row[2 : 2 + len(result.days)] if c.value not in ("休", "假", "调")]
        assert all(c.fill.fgColor.rgb.endswith(tuple(s.colour for s in shifts)) for c in coloured)
    marked = sum(
        1 for row in ws.iter_rows(min_row=2, max_row=len(people) + 1, values_only=True) for v in row if v == "调"
    )
    assert marked == len(result.comp_rest) > 0
    hm = wb["需求热力图"]
    assert hm.conditional_formatting and hm.max_row > 10


def test_shortfall_is_reported_slot_by_slot():
    days = [Day(dt.date(2026, 11, 2), True), Day(dt.date(2026, 11, 3), True)]
    people = [Person("甲", "户籍", ("户籍",)), Person("乙", "交警", ("交警",))]
    req = {
        ("户籍", dt.date(2026, 11, 2), 540): 2,
        ("户籍", dt.date(2026, 11, 2), 570): 1,
        ("交警", dt.date(2026, 11, 3), 900): 1,
    }
    r = solve_roster(people, default_shifts(), days, req, time_limit=5)
    assert r.shortfall == {("户籍", dt.date(2026, 11, 2), 540): 1}
    # least paid time: a half-day shift covers it
    assert sorted(code for *_x, code, _g in r.assignments) == ["AM", "PM"]


def test_bad_staff_workbook_names_sheet_row_column(tmp_path):
    good = [Person("张三", "户籍", ("户籍", "交警"))]
    path = tmp_path / "staff.xlsx"
    write_staff(good, path)
    wb = load_workbook(path)
    ws = wb["人员"]
    ws.append(["张三", "户籍", "户籍", 40, ""])
    ws.append(["李四", "户籍", "户籍、婚姻登记处", "四十", "2026-13-01"])
    wb.save(path)
    with pytest.raises(StaffInvalid) as err:
        read_staff(path, ["户籍", "交警"])
    msg = str(err.value)
    assert "人员 / 第3行 / “姓名”列" in msg and "重复" in msg
    assert "第4行 / “可办理窗口组”列" in msg and "婚姻登记处" in msg
    assert "第4行 / “每周工时”列" in msg
    assert "第4行 / “不可排班日期”列" in msg
    with pytest.raises(StaffInvalid, match="文件不存在"):
        read_staff(tmp_path / "missing.xlsx")


def test_holiday_calendar_swap_workdays_and_local_overrides():
    """Around National Day 2026: closed on public holidays, a 调休上班 Saturday runs on Monday's
    plan, a local override closes one more day; the weekly and 调休 rules still hold."""
    from sim.scenario import DayOverride
    from sim.staffing import sipp
    from sim.verify import horizon, requirement_from_plan

    scenario = load_scenario(HALL)
    scenario.calendar.overrides = [DayOverride(dt.date(2026, 9, 29), "holiday", "本地停电检修")]
    people, shifts = read_staff(STAFF, [g.name for g in scenario.groups])
    plan = sipp(scenario, "90%<=15")
    cal, days = horizon(scenario, dt.date(2026, 9, 28), weeks=2)
    kinds = {d.date: d.kind for d in cal}
    assert kinds[dt.date(2026, 10, 1)] == "holiday" and kinds[dt.date(2026, 10, 10)] == "swap_workday"
    rostered = {"住房公积金", "户籍", "出入境", "交警"}
    req = requirement_from_plan(scenario, plan, cal, rostered)
    req_days = {d for (_g, d, _s) in req}
    closed = {d for d, k in kinds.items() if k == "holiday"}
    assert dt.date(2026, 9, 29) in closed and not (req_days & closed)
    sat = dt.date(2026, 10, 10)
    mon_plan = {(g, s): n for (g, wd, s), n in plan.windows.items() if wd == 0 and g in rostered}
    assert {(g, s // 30): n for (g, d, s), n in req.items() if d == sat} == mon_plan
    r = solve_roster(people, shifts, days, req, time_limit=20)
    assert r.status in ("OPTIMAL", "FEASIBLE") and not r.shortfall
    worked = _worked(r)
    assert not any(d in closed for ds in worked.values() for d in ds)
    for ds in worked.values():
        for wk in {d.isocalendar()[:2] for d in ds}:
            assert sum(1 for d in ds if d.isocalendar()[:2] == wk) <= 5
    # the only rest day with service is Sunday 10-11; its duty is fairly spread
    duties = [len(worked[p.name] & {dt.date(2026, 10, 11)}) for p in people]
    assert max(duties) - min(duties) <= 1 and sum(duties) > 0
