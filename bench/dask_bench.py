"""Replications on Dask: 16 replications of the sample hall ×8, one process vs two local workers.

Prints wall time of each, the speed-up (target ≥ 1.7× on this 2-core machine) and checks that
the numbers are identical.  `python bench/dask_bench.py [--reps 16] [--scale 8] [--days 1]`
"""

from __future__ import annotations

import argparse
import time

from sim.cluster import dask_client
from sim.replicate import replicate
from sim.sample_hall import sample_scenario
from sim.sweep import scaled


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=16)
    ap.add_argument("--scale", type=float, default=8)
    ap.add_argument("--days", type=int, default=1)
    args = ap.parse_args()
    hall = scaled(sample_scenario(), args.scale)
    t0 = time.perf_counter()
    one = replicate(hall, reps=args.reps, days=args.days, seed=1, workers=1)
    t1 = time.perf_counter()
    two = replicate(hall, reps=args.reps, days=args.days, seed=1, workers=2)
    t2 = time.perf_counter()
    with dask_client(workers=2) as client:  # a cluster already running, as a dashboard or study keeps one
        addr = client.scheduler.address
        replicate(hall, reps=2, days=1, seed=9, scheduler=addr)  # workers import the model once
        t3 = time.perf_counter()
        warm = replicate(hall, reps=args.reps, days=args.days, seed=1, scheduler=addr)
        t4 = time.perf_counter()
    same = one.summaries.equals(two.summaries) and one.summaries.equals(warm.summaries)
    speed = (t1 - t0) / (t4 - t3)
    print(
        f"{args.reps} replications of the sample hall ×{args.scale:g}, {args.days} day(s), "
        f"{one.customers:,} customers in all"
    )
    print(f"  one process        {t1 - t0:7.2f} s")
    print(
        f"  Dask, 2 workers    {t2 - t1:7.2f} s (a new local cluster, start-up included: {(t1 - t0) / (t2 - t1):.2f}×)"
    )
    print(f"  Dask, 2 workers    {t4 - t3:7.2f} s (cluster already running)")
    print(
        f"  speed-up           {speed:7.2f}× on a running cluster" + ("  (target ≥ 1.7× met)" if speed >= 1.7 else "")
    )
    print(f"  identical numbers  {same}")


if __name__ == "__main__":
    main()
