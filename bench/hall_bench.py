"""Ticket logs, hall report, the hall with every practice on, the AB岗 roster: prints figures (not a test).

(a) import a 500,000-ticket log: GBK csv, xlsx with text times, xlsx with date cells
    (python-calamine)                                                          [<= 10 s]
(b) the hall report on it (tables, JSON, xlsx, docx)
(c) a month (28 days) of the sample hall with no-shows, routes, priority lanes and quotas
    on, seconds per simulated week                                             [<= 2 s]
(d) roster: 60 people x 28 days with AB岗 cover and balanced hours             [<= 60 s]

Usage: ``.venv/bin/python bench/hall_bench.py [--tickets N] [--skip-xlsx] [--skip-roster]``
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import pandas as pd

from sim.hall_features import simulate_features
from sim.hall_report import build_hall_report, hall_report_docx, hall_report_json, hall_report_xlsx
from sim.roster import default_shifts
from sim.sample_hall import sample_scenario
from sim.ticketlog import read_ticket_log, synthetic_log


def bench_log(n: int, xlsx: bool) -> None:
    per_day = {"户籍": 900.0, "不动产登记": 600.0, "税务": 450.0, "缴费": 300.0, "社保医保": 1000.0}
    days = max(1, round(n / (sum(per_day.values()) * 1.15)))
    t = time.perf_counter()
    log = synthetic_log(
        days,
        seed=1,
        businesses=per_day,
        no_show={"户籍": 0.08},
        abandon=0.01,
        routes={"不动产登记": (["税务", "缴费"], 0.4)},
        windows={"户籍": 12, "不动产登记": 12, "税务": 11, "缴费": 6, "社保医保": 14},
    )
    print(f"synthetic log: {len(log):,} tickets over {days} working days, made in {time.perf_counter() - t:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "log.csv"
        log.to_csv(csv, index=False, encoding="gbk")
        t, c = time.perf_counter(), time.process_time()
        rec = read_ticket_log(csv)
        dt_csv, cpu = time.perf_counter() - t, time.process_time() - c
        print(
            f"(a) import GBK csv: {len(rec.frame):,} rows in {dt_csv:.2f} s wall, {cpu:.2f} s CPU "
            f"({len(rec.frame) / dt_csv:,.0f} rows/s), {len(rec.problems)} bad rows  [<= 10 s]; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        if xlsx:
            for cells in ("text", "date"):
                path = Path(tmp) / f"log-{cells}.xlsx"
                t = time.perf_counter()
                _write_xlsx(log, path, dates=cells == "date")
                print(
                    f"    (writing the xlsx with {cells} cells took {time.perf_counter() - t:.1f} s, "
                    f"{path.stat().st_size / 1e6:.0f} MB)"
                )
                t, c = time.perf_counter(), time.process_time()
                rec_x = read_ticket_log(path)
                dt_x, cpu = time.perf_counter() - t, time.process_time() - c
                print(
                    f"(a) import xlsx ({cells} cells for the times): {len(rec_x.frame):,} rows in {dt_x:.2f} s wall, "
                    f"{cpu:.2f} s CPU, {len(rec_x.problems)} bad rows  [<= 10 s]; load average {os.getloadavg()[0]:.1f}"
                )
    t = time.perf_counter()
    rep = build_hall_report(rec)
    t1 = time.perf_counter()
    hall_report_json(rep)
    t2 = time.perf_counter()
    x = hall_report_xlsx(rep)
    t3 = time.perf_counter()
    d = hall_report_docx(rep)
    t4 = time.perf_counter()
    print(
        f"(b) hall report of {len(rec.frame):,} tickets: tables {t1 - t:.2f} s, JSON {t2 - t1:.2f} s, "
        f"xlsx {t3 - t2:.2f} s ({len(x) / 1e3:.0f} kB), docx {t4 - t3:.2f} s ({len(d) / 1e3:.0f} kB)"
    )


def _write_xlsx(log, path: Path, dates: bool) -> None:
    """The log as an xlsx the way queue systems export it: times as text, or as date cells."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "default_date_format": "yyyy-mm-dd hh:mm:ss"})
    ws = wb.add_worksheet("叫号记录")
    cols = list(log.columns)
    ws.write_row(0, 0, cols)
    frame = log.astype(object).where(log.notna(), "")
    for c in cols:
        if str(log[c].dtype).startswith("datetime64"):
            frame[c] = (
                [v.to_pydatetime() if v is not pd.NaT and v != "" else "" for v in log[c]]
                if dates
                else log[c].dt.strftime("%Y-%m-%d %H:%M:%S").fillna("")
            )
    for r, row in enumerate(frame.to_numpy().tolist(), start=1):
        ws.write_row(r, 0, row)
    wb.close()


def bench_month() -> None:
    s = sample_scenario()
    for st in s.types:
        st.no_show, st.priority_share = 0.05, 0.08
    s.types[0].route, s.types[0].route_share = [s.types[1].name], 0.3
    s.practice.no_show_policy, s.practice.keep_calls = "keep", 3
    s.practice.appointment_quota = {s.types[0].name: 4}
    s.practice.weekend_cutoff = "4 12:00"
    t0 = time.perf_counter()
    fr = simulate_features(s, days=28, seed=1)
    wall = time.perf_counter() - t0
    print(
        f"(c) sample hall, 28 days, every practice on: {len(fr.run.customers.arrival):,} tickets in {wall:.2f} s = "
        f"{wall / 4:.2f} s per simulated week  [<= 2 s]"
    )


def bench_roster() -> None:
    from sim.roster_certify import bench_case

    t, c = time.perf_counter(), time.process_time()
    res, people = bench_case(60, 28)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    hours: dict[str, float] = {}
    paid = {sh.code: sh.paid_minutes / 60 for sh in default_shifts()}
    for name, _d, code, _g in res.assignments:
        hours[name] = hours.get(name, 0.0) + paid[code]
    h = sorted(hours.get(p.name, 0.0) for p in people)
    lows = [lo for lo, _hi in res.person_band.values()]
    highs = [hi for _lo, hi in res.person_band.values()]
    gap = "n/a" if res.gap is None else f"{res.gap:.3f}"
    print(
        f"(d) roster {len(people)} people x 28 days with AB岗 and balance: {res.status} (phase 1 {res.phase1_status} "
        f"at {res.phase1_seconds:.1f} s) in {wall:.1f} s wall ({cpu:.1f} s CPU, load average "
        f"{os.getloadavg()[0]:.1f}), shortfall {res.shortfall_total} of {sum(res.requirement.values())} window-slots "
        f"(greedy start {res.greedy_shortfall}), AB岗 gaps {len(res.ab_gaps)}, leave granted "
        f"{len(res.leave_granted)} / refused {len(res.leave_refused)}, weekend spread {res.weekend_duty_spread}, "
        f"paid {res.paid_hours:.0f} h for {res.required_window_hours:.0f} required window-hours, gap {gap}  [<= 60 s]"
    )
    print(
        f"    hours per person {h[0]:.1f}-{h[-1]:.1f} h; band per person low {min(lows):.1f}-{max(lows):.1f} h "
        f"(lowered by granted leave), high {min(highs):.1f}-{max(highs):.1f} h; outside the band: "
        f"{len(res.band_misses)} people"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tickets", type=int, default=500_000)
    ap.add_argument("--skip-xlsx", action="store_true")
    ap.add_argument("--skip-roster", action="store_true")
    a = ap.parse_args()
    bench_log(a.tickets, not a.skip_xlsx)
    bench_month()
    if not a.skip_roster:
        bench_roster()


if __name__ == "__main__":
    main()
