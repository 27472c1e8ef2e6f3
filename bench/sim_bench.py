"""Hall-model speed and memory (prints figures; not a test).

(a) customers simulated per second for a week of the sample hall: one replication,
    and 8 replications in parallel processes (KPIs included);
(b) M/M/c, c=5, rho=0.9, 200,000 customers: the project's hall model (``sim.hall``,
    the code behind ``python -m sim mmc``), a bare SimPy ``Resource`` model and Ciw in
    the same run: rates and ratios; the hall model again with skills (3 types, two
    dedicated groups and a pooled one), 20% appointments and the per-customer
    DataFrame log; peak memory of the 200,000-customer runs: tracemalloc (the run's own
    allocations) and the peak RSS of a fresh process before and after the run.

Usage: ``.venv/bin/python bench/sim_bench.py [--customers N] [--skip-ciw]``
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc

import numpy as np
import simpy

from core import config
from sim.arrivals import Customers
from sim.commands.sim_cmd import mmc
from sim.hall import HallEngine, simulate
from sim.replicate import replicate
from sim.results import kpis
from sim.scenario_io import load_scenario
from sim.schedule import Change

C, RHO, MU = 5, 0.9, 1.0
LAM = RHO * C * MU


def hall_mmc(n: int, seed: int = 1) -> float:
    return mmc(C, LAM, MU, n, seed)["mean_wait"]


def simpy_resource(n: int, seed: int = 1) -> float:
    """The textbook SimPy model: one process per customer, a Resource of capacity c."""
    rng = np.random.default_rng(seed)
    ia = rng.exponential(1 / LAM, n).tolist()
    sv = rng.exponential(1 / MU, n).tolist()
    env = simpy.Environment()
    res = simpy.Resource(env, C)
    waits = []

    def customer(i):
        t = env.now
        with res.request() as req:
            yield req
            waits.append(env.now - t)
            yield env.timeout(sv[i])

    def source():
        for i in range(n):
            yield env.timeout(ia[i])
            env.process(customer(i))

    env.process(source())
    env.run()
    return float(np.mean(waits))


def ciw_mmc(n: int, seed: int = 1) -> float:
    import ciw

    net = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=LAM)],
        service_distributions=[ciw.dists.Exponential(rate=MU)],
        number_of_servers=[C],
    )
    ciw.seed(seed)
    q = ciw.Simulation(net)
    q.simulate_until_max_customers(n, method="Finish")
    return float(np.mean([r.waiting_time for r in q.get_all_records()]))


def hall_skills(n: int, seed: int = 1) -> float:
    """Same total load on 5 windows, but 3 types (shares 40/40/20%) and skills: group 甲 (2 windows)
    serves a and c, 乙 (2) serves b and c, 综合 (1) serves all three; 20% appointment holders;
    the per-customer DataFrame log is built."""
    rng = np.random.default_rng(seed)
    arrival = np.cumsum(rng.exponential(1 / LAM, n))
    types = rng.choice(3, n, p=[0.4, 0.4, 0.2]).astype(np.int32)
    cust = Customers(arrival, types, rng.exponential(1 / MU, n), rng.random(n) < 0.2, np.full(n, np.inf))
    changes = [Change(0.0, 0, 2), Change(0.0, 1, 2), Change(0.0, 2, 1)]
    run = HallEngine(
        cust,
        [[0, 2], [1, 2], [0, 1, 2]],
        changes,
        n_types=3,
        group_names=["甲", "乙", "综合"],
        type_names=["a", "b", "c"],
    ).run()
    log = run.log()
    return float(log["wait"].mean())


CPU: dict[str, float] = {}  # CPU seconds (time.process_time) of the last timed run of each function


def timed(fn, n: int) -> tuple[float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    w = fn(n)
    CPU[fn.__name__] = time.process_time() - c0
    return time.perf_counter() - t0, w


def peak_mib(fn, n: int) -> float:
    tracemalloc.start()
    fn(n)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=200_000)
    ap.add_argument("--skip-ciw", action="store_true")
    args = ap.parse_args()
    n = args.customers
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, SimPy {simpy.__version__}")

    hall = load_scenario(config.data_dir() / "hall" / "sample-hall.xlsx")
    simulate(hall, days=1, seed=0)  # warm caches (calendar, imports)
    t0 = time.perf_counter()
    run = simulate(hall, seed=1)
    t_sim = time.perf_counter() - t0
    t0 = time.perf_counter()
    kpis(run)
    t_kpi = time.perf_counter() - t0
    nc = len(run.customers.arrival)
    print(f"\n(a) sample hall, one week ({hall.calendar.days} days), {nc} customers")
    print(
        f"    1 replication: simulate {t_sim:.3f} s ({nc / t_sim:,.0f} customers/s), KPIs {t_kpi:.3f} s,"
        f" total {t_sim + t_kpi:.3f} s per replication"
    )
    workers = os.cpu_count() or 1
    r = replicate(hall, reps=8, seed=1, workers=workers)
    print(
        f"    8 replications in {workers} processes (KPIs included): {r.wall_seconds:.2f} s,"
        f" {r.customers / r.wall_seconds:,.0f} customers/s overall"
    )

    print(f"\n(b) M/M/c c={C} rho={RHO} mu={MU}/min, {n:,} customers (times include random draws)")
    t_h, w_h = timed(hall_mmc, n)
    print(f"    hall model (sim.hall)        {t_h:6.2f} s  {n / t_h:>10,.0f} customers/s  mean wait {w_h:.3f}")
    t_r, w_r = timed(simpy_resource, n)
    print(f"    bare SimPy Resource          {t_r:6.2f} s  {n / t_r:>10,.0f} customers/s  mean wait {w_r:.3f}")
    t_s, w_s = timed(hall_skills, n)
    print(f"    hall + skills/appts/log      {t_s:6.2f} s  {n / t_s:>10,.0f} customers/s  mean wait {w_s:.3f}")
    if not args.skip_ciw:
        t_c, w_c = timed(ciw_mmc, n)
        print(f"    Ciw                          {t_c:6.2f} s  {n / t_c:>10,.0f} customers/s  mean wait {w_c:.3f}")
        print(
            f"    ratio hall/Ciw {t_c / t_h:.2f}x wall, {CPU['ciw_mmc'] / CPU['hall_mmc']:.2f}x CPU (target >= 10),"
            f" SimPy Resource/Ciw {t_c / t_r:.2f}x, hall+skills/Ciw {t_c / t_s:.2f}x wall,"
            f" {CPU['ciw_mmc'] / CPU['hall_skills']:.2f}x CPU; load average {os.getloadavg()[0]:.1f}"
        )
    print(f"    Erlang C mean wait: {erlang_c_wait():.3f}")
    print("\n    peak memory (tracemalloc) for the 200k-style runs:")
    print(
        f"    hall model {peak_mib(hall_mmc, n):.1f} MiB (target < 100), "
        f"hall + skills/log {peak_mib(hall_skills, n):.1f} MiB"
    )
    if not args.skip_ciw:
        print(f"    Ciw {peak_mib(ciw_mmc, n):.1f} MiB")
    print("    peak RSS of a fresh process, imports alone -> after the run (tracemalloc above counts only the run):")
    hall_run = (
        "import numpy as np; from sim.hall import simulate_arrays; rng = np.random.default_rng(1); "
        f"a = np.cumsum(rng.exponential(1 / {LAM}, {n})); s = rng.exponential(1 / {MU}, {n}); "
        f"simulate_arrays(a, s, {C}).wait().mean()"
    )
    print(f"    hall model {rss_mib(hall_run, 'import numpy, sim.hall')}")
    if not args.skip_ciw:
        ciw_run = (
            "import numpy, ciw; net = ciw.create_network(arrival_distributions=[ciw.dists.Exponential("
            f"rate={LAM})], service_distributions=[ciw.dists.Exponential(rate={MU})], number_of_servers=[{C}]);"
            f" ciw.seed(1); q = ciw.Simulation(net); q.simulate_until_max_customers({n}, method='Finish');"
            " numpy.mean([r.waiting_time for r in q.get_all_records()])"
        )
        print(f"    Ciw        {rss_mib(ciw_run, 'import numpy, ciw')}")


def rss_mib(run: str, imports: str) -> str:
    """Peak resident memory (MiB) of new interpreters: after ``imports`` only, and after ``run``."""
    import subprocess

    def peak(code: str) -> float:
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent (this bench)
        script = f"{code}; print([x for x in open('/proc/self/status') if x.startswith('VmHWM')][0].split()[1])"
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        return int(out.stdout.split()[-1]) / 1024  # KiB

    a, b = peak(imports), peak(run)
    return f"{a:.0f} -> {b:.0f} MiB (+{b - a:.0f})"


def erlang_c_wait() -> float:
    import math

    a = LAM / MU
    top = a**C / math.factorial(C) * C / (C - a)
    p = top / (sum(a**k / math.factorial(k) for k in range(C)) + top)
    return p / (C * MU - LAM)


if __name__ == "__main__":
    main()
