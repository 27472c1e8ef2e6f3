"""Staffing: SIPP from Erlang C, the simulation-corrected search on the hall model, the report and CLI."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sim.erlang import evaluate
from sim.replicate import rep_seeds
from sim.sample_hall import sample_scenario
from sim.scenario import CalendarSpec, Scenario, ServiceType, WindowGroup
from sim.staffing import expected_demand, measure, representative_week, simulation_corrected, sipp, staffing_report
from sim.targets import parse_target

ROOT = Path(__file__).resolve().parents[2]
PEAK = {
    "08:30": 1.0,
    "09:00": 3.0,
    "09:30": 3.5,
    "10:00": 3.0,
    "10:30": 1.5,
    "11:00": 1.0,
    "11:30": 0.6,
    "13:30": 0.8,
    "14:00": 1.5,
    "14:30": 1.5,
    "15:00": 1.0,
    "15:30": 0.8,
    "16:00": 0.6,
    "16:30": 0.5,
    "17:00": 0.3,
}


def profile_scenario() -> Scenario:
    """A one-group test profile with a sharp morning peak and lognormal service (CV 0.8)."""
    t = ServiceType(
        "综合业务",
        daily_volume=[330, 300, 300, 300, 280, 0, 0],
        service_dist="lognormal",
        service_mean=12.0,
        service_cv=0.8,
        weekend_shift=0.0,
    )
    g = WindowGroup("综合窗口", ["综合业务"], regular=8, hours=["08:30-17:30"] * 5 + ["", ""])
    return Scenario(
        "测试时段曲线",
        [t],
        [g],
        calendar=CalendarSpec(dt.date(2026, 11, 2), 7),
        weekday_profile=dict(PEAK),
        weekend_profile={},
    )


def test_expected_demand_adds_up_to_daily_volume():
    s = profile_scenario()
    d = expected_demand(s, representative_week(s))
    for day, vol in enumerate([330, 300, 300, 300, 280]):
        total = sum(n for (g, di, _), (n, _m) in d.items() if di == day)
        assert total == pytest.approx(vol, rel=1e-9)
    assert all(ms == pytest.approx(12.0) for (_n, ms) in d.values())
    # the peak slot gets the largest share
    mon = {slot: n for (g, di, slot), (n, _m) in d.items() if di == 0}
    assert max(mon, key=mon.get) == 19  # type: ignore[arg-type]  # 09:30


def test_sipp_is_erlang_c_per_slot():
    s = profile_scenario()
    tg = parse_target("90%<=15")
    plan = sipp(s, tg)
    d = expected_demand(s, representative_week(s))
    for (g, wd, slot), c in plan.windows.items():
        n, ms = d[(g, wd, slot)]
        lam, mu = n / 30, 1 / ms
        assert evaluate(c, lam, mu, 15).service_level >= 0.9
        if c > 1:
            assert evaluate(c - 1, lam, mu, 15).service_level < 0.9
    # lunch is closed (no 12:00-13:30 slots) and the weekend is closed
    assert not any(slot in (24, 25, 26) for (_g, _wd, slot) in plan.windows)
    assert not any(wd >= 5 for (_g, wd, _s) in plan.windows)


@pytest.mark.slow
def test_correction_converges_and_beats_sipp_on_test_profile():
    s = profile_scenario()
    tg = parse_target("90%<=15")
    erl = sipp(s, tg)
    fresh = rep_seeds(999, 100)  # fresh seeds, 100 simulated weeks per slot
    erl_stats = measure(s, erl, fresh, tg)
    erl_miss = [k for k in erl.windows if not tg.met(erl_stats.within[k], erl_stats.mean_wait[k])]
    assert len(erl_miss) >= 3, "the test profile should show per-slot Erlang C missing after the peak"
    # up only (default): monotone, so it converges; every slot at least SIPP
    up = simulation_corrected(s, tg, reps=30, seed=3, trim=False)
    assert "收敛" in up.stop_reason and len(up.iterations) <= 20
    assert all(up.windows[k] >= erl.windows[k] for k in erl.windows) and up.staff_hours > erl.staff_hours
    # both ways (trim=True): adds after the peak, trims where Erlang C overstaffs
    both = simulation_corrected(s, tg, reps=30, seed=3, trim=True)
    assert len(both.iterations) <= 20 and ("收敛" in both.stop_reason or "循环" in both.stop_reason)
    assert both.staff_hours < up.staff_hours
    assert any(both.windows[k] > erl.windows[k] for k in erl.windows)
    for plan in (up, both):
        st = measure(s, plan, fresh, tg)
        miss = [k for k in plan.windows if not tg.met(st.within[k], st.mean_wait[k])]
        assert len(miss) <= 0.05 * len(plan.windows)


def test_iteration_cap_is_reported():
    s = profile_scenario()
    cor = simulation_corrected(s, "90%<=15", reps=5, seed=3, max_iter=1)
    assert "上限" in cor.stop_reason and len(cor.iterations) == 1


def test_mean_wait_target_is_used():
    s = profile_scenario()
    loose = sipp(s, "mean<=10")
    tight = sipp(s, "mean<=1")
    assert tight.staff_hours > loose.staff_hours
    both = sipp(s, "90%<=15,mean<=1")
    assert all(both.windows[k] >= tight.windows[k] for k in tight.windows)


@pytest.fixture(scope="module")
def sample_report():
    return staffing_report(sample_scenario(), "90%<=15", "sim", reps=30, seed=1, check_seed=4242)


@pytest.mark.slow
def test_sample_hall_corrected_meets_target_in_fresh_simulation(sample_report):
    e, c = sample_report.erlang, sample_report.sim
    assert c is not None and c.share_meeting_target is not None
    assert c.share_meeting_target >= 0.95
    assert abs(c.staff_hours_per_week / e.staff_hours_per_week - 1) < 0.15
    assert any(r["sim_windows"] != r["erlang_windows"] for r in sample_report.slots)
    assert len(c.iterations) <= 20 and ("收敛" in c.stop_reason or "循环" in c.stop_reason)
    # Erlang C is shown side by side, with its misses
    misses = [r for r in sample_report.slots if r["erlang_met"] is False]
    assert misses and e.slots_meeting_target == e.open_slots - len(misses)
    assert all(
        {"erlang_windows", "sim_windows", "erlang_sim_level", "sim_level"} <= set(r) for r in sample_report.slots
    )
    # weekend slots exist only for the rota groups
    weekend_groups = {r["group"] for r in sample_report.slots if r["weekday"] >= 5}
    assert weekend_groups == {g.name for g in sample_scenario().groups if g.hours[5]}
    assert "90%" in sample_report.target["definition"]
    # the records are frozen and turn into plain JSON-able dicts
    assert sample_report.to_dict()["erlang"]["open_slots"] == e.open_slots
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.open_slots = 0


@pytest.mark.slow
def test_staff_cli_json_and_xlsx(tmp_path):
    out = tmp_path / "staff.xlsx"
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "staff",
            str(ROOT / "data/hall/sample-hall.json"),
            "--target",
            "90%<=15",
            "--method",
            "erlang",
            "--reps",
            "3",
            "--json",
            "--xlsx",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(p.stdout)
    assert data["sim"] is None and data["erlang"]["open_slots"] == len(data["slots"])
    wb = load_workbook(out)
    assert wb.sheetnames == ["逐时段对比", "汇总"]
    assert wb["逐时段对比"].max_row == len(data["slots"]) + 1
    pooled = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "staff",
            str(ROOT / "data/hall/sample-hall.json"),
            "--method",
            "erlang",
            "--reps",
            "2",
            "--check-reps",
            "2",
            "--scope",
            "day",
            "--counted",
            "served",
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    pd = json.loads(pooled.stdout)
    assert data["erlang"]["fresh_reps"] == 60 and all(r["erlang_ci95"] is not None for r in data["slots"])
    assert (pd["target"]["scope"], pd["target"]["counted"]) == ("day", "served")
    assert "全天" in pd["target"]["definition"] and "已办结" in pd["target"]["definition"]
    assert pd["erlang"]["group_days"] > 0 and "erlang_day_level" in pd["slots"][0]
    bad = subprocess.run(
        [sys.executable, "-m", "sim", "staff", str(ROOT / "data/hall/sample-hall.json"), "--target", "90%<=abc"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and bad.stderr.startswith("error:")


def test_expected_demand_matches_the_hall_models_arrivals():
    """SIPP's λ per slot must be what :func:`sim.arrivals.generate` actually produces."""
    import numpy as np

    from sim.arrivals import generate

    s = sample_scenario()
    days = representative_week(s)
    exp = expected_demand(s, days)
    reps = 60
    counts: dict = {}
    tgroup = {t: g.name for g in s.groups for t in g.types}
    for seed in range(reps):
        c = generate(s, days, seed=seed)
        day = (c.arrival // 1440).astype(int)
        slot = ((c.arrival - day * 1440) // 30).astype(int)
        appt = c.appointment
        for ti, d, sl, a in zip(c.type, day, slot, appt):
            if not a:  # appointment holders are jittered ±10 min around their slot
                key = (tgroup[s.types[ti].name], int(d), int(sl))
                counts[key] = counts.get(key, 0) + 1
    total_exp = sum(n for n, _m in exp.values())
    total_sim = sum(counts.values()) / reps
    walk_in = 1 - np.average([t.appointment_share for t in s.types], weights=[sum(t.daily_volume) for t in s.types])
    assert total_sim == pytest.approx(total_exp * walk_in, rel=0.03)
    # slot by slot for a walk-in-only group
    for key, (n, _m) in exp.items():
        if key[0] == "户籍" and n > 10:
            assert counts.get(key, 0) / reps == pytest.approx(n, rel=0.15), key


def test_counting_rule_and_scope_of_the_target():
    """Counted over all arrivals, a customer who gave up is a miss; over served ones, not."""
    from sim.targets import Target, TargetError

    s = profile_scenario()
    s.types[0].patience_mean = 10.0  # impatient customers leave: abandonment is reported apart
    plan = sipp(s, "90%<=15")
    for k in plan.windows:
        plan.windows[k] = max(1, plan.windows[k] - 3)  # understaffed: queues and leavers
    seeds = rep_seeds(5, 5)
    arrivals = measure(s, plan, seeds, Target(0.9, 15.0, counted="arrivals"))
    served = measure(s, plan, seeds, Target(0.9, 15.0, counted="served"))
    lower = [k for k in plan.windows if arrivals.within[k] < served.within[k] - 1e-9]
    assert lower and all(arrivals.within[k] <= served.within[k] + 1e-9 for k in plan.windows)
    assert all(served.customers[k] <= arrivals.customers[k] for k in plan.windows)
    with pytest.raises(TargetError, match="统计口径"):
        parse_target("90%<=15", scope="week")


def test_target_pooled_over_the_day():
    """scope="day": a slot is judged by its group's whole day pooled; the search adds windows
    where a day misses, in its worst slot."""
    from sim.targets import Target

    s = profile_scenario()
    day = Target(0.9, 15.0, scope="day")
    plan = sipp(s, day)
    for k in plan.windows:
        plan.windows[k] = max(1, plan.windows[k] - 1)  # a little understaffed
    st = measure(s, plan, rep_seeds(5, 4), day)
    for (g, wd), level in st.day_within.items():
        keys = [k for k in plan.windows if k[:2] == (g, wd)]
        n = sum(st.customers[k] for k in keys)
        assert level == pytest.approx(sum(st.within[k] * st.customers[k] for k in keys) / n)
    from sim.staffing import attach

    attach(plan, st)
    bad_slots = [k for k in plan.windows if not day.met(st.within[k], st.mean_wait[k])]
    good_day = [k for k in bad_slots if day.met(st.day_within[k[:2]], st.day_mean_wait[k[:2]])]
    assert good_day, "some slot misses on its own while its day pooled passes"
    assert all(plan.met(k) for k in good_day)
    # the search under the pooled definition: every day meets it in fresh simulation
    cor = simulation_corrected(s, day, reps=10, seed=3, start=plan)
    assert "收敛" in cor.stop_reason and len(cor.iterations) <= 20
    fresh = measure(s, cor, rep_seeds(77, 30), day)
    attach(cor, fresh)
    met, total = cor.days_meeting()
    assert total == 5 and met == 5
    slot_cor = simulation_corrected(s, "90%<=15", reps=10, seed=3)
    assert cor.staff_hours < slot_cor.staff_hours  # pooling over the day asks for less


def test_fresh_check_reports_how_tight_each_slot_is():
    """Each slot's 95% half-width comes with the fresh check; more weeks make it tighter."""
    s = profile_scenario()
    short = staffing_report(s, "90%<=15", "erlang", reps=2, check_reps=4)
    long = staffing_report(s, "90%<=15", "erlang", reps=2, check_reps=16, with_ci=True)
    assert short.erlang.fresh_reps == 4 and long.erlang.fresh_reps == 16
    assert long.erlang.ci95_halfwidth_mean is not None and short.erlang.ci95_halfwidth_mean is not None
    assert 0 < long.erlang.ci95_halfwidth_mean < short.erlang.ci95_halfwidth_mean
    assert all(r["erlang_ci95"] is not None and r["erlang_ci95"] >= 0 for r in long.slots)


def test_a_start_week_with_holidays_still_plans_every_weekday():
    """Starting in the National Day week must not leave Thursday–Sunday without windows."""
    s = sample_scenario()
    s.calendar.start = dt.date(2026, 9, 30)
    week = representative_week(s)
    assert [d.weekday for d in week] == list(range(7))
    assert all(d.kind == ("weekend" if d.weekday >= 5 else "workday") for d in week)
    plan = sipp(s, "90%<=15")
    assert {wd for (_g, wd, _s) in plan.windows} == set(range(7))
    assert plan.windows == sipp(sample_scenario(), "90%<=15").windows


def test_staffing_report_reports_its_progress_in_order():
    """The dashboard's bar: stages in Chinese, shares rising to 1."""
    from sim.sample_hall import sample_scenario
    from sim.staffing import staffing_report

    seen = []
    staffing_report(
        sample_scenario(), "90%<=15", "erlang", reps=2, progress=lambda step, share: seen.append((step, share))
    )
    shares = [s for _step, s in seen]
    assert shares == sorted(shares) and shares[-1] == 1.0 and seen[0][0] == "逐时段 Erlang C 测算"
