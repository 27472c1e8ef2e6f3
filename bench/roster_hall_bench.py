"""Whole-hall roster: 10 window groups, 100 people with cross-training, 28 days, 60 s.

Decomposition (sim.roster_hall) against one CP-SAT model of the whole hall (sim.roster), both
with the same time limit.  `python bench/roster_hall_bench.py [--limit 60] [--mono]`
"""

from __future__ import annotations

import argparse
import time

from sim.roster import default_shifts, solve_roster
from sim.roster_hall import solve_hall_roster
from sim.roster_io import sample_staff
from sim.sample_hall import sample_scenario
from sim.staffing import sipp
from sim.verify import horizon, requirement_from_plan

HEADCOUNT = {
    "不动产登记": 16,
    "住房公积金": 8,
    "社保医保": 14,
    "婚姻登记": 6,
    "户籍": 9,
    "出入境": 6,
    "交警": 9,
    "水电气": 6,
    "市场监管服务": 16,
    "投资项目审批服务": 10,
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=float, default=60.0)
    ap.add_argument("--mono", action="store_true", help="also try one model of the whole hall")
    args = ap.parse_args()
    s = sample_scenario()
    plan = sipp(s, "90%<=15")
    cal, days = horizon(s, None, 4)
    people = sample_staff(HEADCOUNT)
    req = requirement_from_plan(s, plan, cal, set(HEADCOUNT))
    print(
        f"whole hall: {len(HEADCOUNT)} groups, {len(people)} people, {len(days)} days, "
        f"{len(req)} group-slots, {sum(req.values()) * 0.5:.0f} required window-hours"
    )
    t = time.perf_counter()
    h = solve_hall_roster(people, default_shifts(), days, req, time_limit=args.limit)
    r = h.result
    wall = time.perf_counter() - t
    print(
        f"  decomposition + repair: {wall:.1f} s (limit {args.limit:.0f} s), status {r.status}, "
        f"shortfall {r.shortfall_total} window-slots, paid {r.paid_hours:.0f} h, "
        f"gap to bound {h.gap:.3f}, repairs {h.repairs_kept}/{h.repairs_tried}, "
        f"weekend spread (hall-wide) {r.weekend_duty_spread}"
        + ("  [roster found within 60 s: met]" if r.assignments and wall <= 60 else "")
    )
    if args.mono:
        t = time.perf_counter()
        m = solve_roster(people, default_shifts(), days, req, time_limit=args.limit)
        print(
            f"  one model: {time.perf_counter() - t:.1f} s, status {m.status}, "
            f"shortfall {m.shortfall_total if m.assignments else 'no roster'}"
        )


if __name__ == "__main__":
    main()
