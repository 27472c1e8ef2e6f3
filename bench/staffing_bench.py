"""Staffing and roster benchmark: prints figures (targets in brackets); not a test.

.venv/bin/python bench/staffing_bench.py
"""

from __future__ import annotations

import time

from core import config
from sim.replicate import rep_seeds
from sim.roster import default_shifts, solve_roster
from sim.roster_io import read_staff, sample_staff
from sim.sample_hall import sample_scenario
from sim.staffing import measure, simulation_corrected, sipp
from sim.verify import horizon, requirement_from_plan, roster_for_scenario, verify_roster


def main() -> None:
    s = sample_scenario()
    t = time.perf_counter()
    for _ in range(5):
        erl = sipp(s, "90%<=15")
    per = (time.perf_counter() - t) / 5
    print(f"per-slot Erlang C (SIPP), sample hall, one week: {len(erl.windows)} group-slots in {per:.3f} s  [<= 0.2 s]")

    t = time.perf_counter()
    cor = simulation_corrected(s, "90%<=15", reps=30, seed=1)
    print(
        f"simulation-corrected staffing (30 simulated weeks per iteration): {time.perf_counter() - t:.1f} s, "
        f"{len(cor.iterations)} iterations, {cor.stop_reason}  [<= 60 s]"
    )
    print(
        f"  staff-hours per week: Erlang C {erl.staff_hours:.1f}, corrected {cor.staff_hours:.1f} "
        f"(+{(cor.staff_hours / erl.staff_hours - 1) * 100:.1f}%)"
    )

    t = time.perf_counter()
    trimmed = simulation_corrected(s, "90%<=15", reps=30, seed=1, trim=True)
    print(
        f"  with trimming (--trim): {time.perf_counter() - t:.1f} s, {len(trimmed.iterations)} iterations, "
        f"{trimmed.staff_hours:.1f} window-hours/week ({(trimmed.staff_hours / erl.staff_hours - 1) * 100:+.1f}%)"
    )
    fresh = rep_seeds(4242, 60)
    for label, plan in (("Erlang C", erl), ("corrected", cor), ("trimmed", trimmed)):
        st = measure(s, plan, fresh, plan.target)
        met = sum(1 for k in plan.windows if plan.target.met(st.within[k], st.mean_wait[k]))
        print(f"  fresh simulation (60 new weeks): {label}: {met}/{len(plan.windows)} slots meet 90%<=15")

    cal, days = horizon(s, None, 4)
    for n, groups, limit in (
        (30, {"住房公积金": 9, "出入境": 9, "交警": 12}, 10.0),
        (60, {"住房公积金": 10, "出入境": 8, "交警": 11, "户籍": 11, "社保医保": 20}, 60.0),
    ):
        people = sample_staff(groups)
        req = requirement_from_plan(s, cor, cal, set(groups))
        r = solve_roster(people, default_shifts(), days, req, time_limit=limit)
        print(
            f"roster {n} people x 28 days ({len(groups)} groups, {len(req)} group-slots): status {r.status}, "
            f"full coverage found after {r.phase1_seconds:.1f} s, stopped at {r.wall_seconds:.1f} s "
            f"(limit {limit:.0f} s), gap {r.gap:.3f}, shortfall slots {len(r.shortfall)}, "
            f"weekend spread {r.weekend_duty_spread}, paid/required {r.paid_hours / r.required_window_hours:.2f}"
            f"  [<= {limit:.0f} s]"
        )

    people, shifts = read_staff(config.data_dir() / "hall" / "staff.xlsx", [g.name for g in s.groups])
    r, plan, cal, rostered = roster_for_scenario(s, people, shifts, weeks=4, plan=cor, time_limit=30)
    v = verify_roster(s, r, cal, "90%<=15", rostered, plan, reps=10)
    print(
        f"sample roster ({len(people)} people, 4 weeks): status {r.status}, {r.wall_seconds:.1f} s, "
        f"paid {r.paid_hours:.0f} h vs requirement {r.required_window_hours:.0f} window-hours = "
        f"{r.paid_hours / r.required_window_hours:.2f}x  [<= 1.25x]; fresh simulation: "
        f"{v['slots_meeting_target']}/{v['open_slots']} slots meet the target"
    )


if __name__ == "__main__":
    main()
