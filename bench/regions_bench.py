"""Region scoping benchmark: a province of 10 cities, each with one county, one plan per city and county.

The tasks (5,000 by default; ``--sizes 5000 50000``) are spread evenly over the 20 plans, each with 3 months
of monthly reports (the linear generator :mod:`tasks.store.synthetic`).  Measured, as CPU and wall seconds:

- ``compare``: the provincial office's :meth:`GuardedStore.compare_regions` (a status snapshot of every
  plan, then the figures per city);
- ``city snapshot``: a city office's snapshot (its plan and its county's: a tenth of the province);
- ``province snapshot``: the same snapshot for the unscoped office (every plan);
- ``scope check``: one call naming a plan (``plan_key``) by a city account, and the same by the province
  (the extra cost of the scope per call; target ≤ 10 ms CPU).

Prints "target met" only where a target exists and the CPU figure is within it.

    .venv/bin/python bench/regions_bench.py
    .venv/bin/python bench/regions_bench.py --sizes 5000 50000
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from collections.abc import Callable
from datetime import date

from tasks.accounts import Account, GuardedStore
from tasks.progress import default_rules
from tasks.progress.lifecycle import set_calendar
from tasks.regions import add_region, set_plan_region
from tasks.store.synthetic import bulk_history, synthetic_plan
from tasks.store.testing import temporary_store

START = date(2024, 1, 1)
AS_OF = date(2024, 4, 10)
CITIES = [f"{n}市" for n in "甲乙丙丁戊己庚辛壬癸"]
SCOPE_TARGET = 0.010


def timed(fn: Callable[[], object], repeat: int = 1) -> tuple[float, float]:
    """(wall, CPU) seconds per call, garbage collected before."""
    gc.collect()
    w, c = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - w) / repeat, (time.process_time() - c) / repeat


def build(store, size: int) -> None:
    per_plan = max(1, size // (2 * len(CITIES)))
    for i, city in enumerate(CITIES):
        county = city[0] + "城县"
        add_region(store, city, actor="bench")
        add_region(store, county, parent=city, actor="bench")
        for j, region in enumerate((city, county)):
            key = f"{region}方案"
            plan = synthetic_plan(per_plan, 40, seed=10 * i + j, title=key, issued=START)
            store.load_plan_into_store(plan, actor="bench", key=key)
            set_calendar(store, key, start=START, cycle="month", actor="bench")
            set_plan_region(store, key, region, actor="bench")
            bulk_history(store, key, plan, START, 3, seed=10 * i + j)


def run(size: int) -> None:
    rules = default_rules()
    with tempfile.TemporaryDirectory() as tmp, temporary_store("sqlite", tmp) as store:
        w, c = timed(lambda: build(store, size))
        print(f"\n{size:,} tasks in 20 plans (10 cities, 10 counties), 3 months of reports: built in {w:.1f} s")
        prov = GuardedStore(store, Account("sheng", "office"))
        city = GuardedStore(store, Account("jia", "office", region=CITIES[0]))
        rows: list[tuple[str, float, float, float | None]] = []
        w, c = timed(lambda: prov.compare_regions(AS_OF, rules=rules))
        rows.append(("compare (province)", w, c, None))
        w, c = timed(lambda: city.snapshot(AS_OF, rules=rules))
        rows.append(("city snapshot", w, c, None))
        w, c = timed(lambda: prov.snapshot(AS_OF, rules=rules))
        rows.append(("province snapshot", w, c, None))
        key = f"{CITIES[0]}方案"
        w, c = timed(lambda: city.plan_key(key), repeat=50)
        rows.append(("scope check (city)", w, c, SCOPE_TARGET))
        w, c = timed(lambda: prov.plan_key(key), repeat=50)
        rows.append(("plan_key (province)", w, c, None))
        print(f"{'measure':<22}{'wall s':>10}{'CPU s':>10}")
        for name, w, c, target in rows:
            note = ""
            if target is not None:
                note = f"  target ≤ {target * 1000:.0f} ms CPU: " + ("met" if c <= target else "NOT met")
            print(f"{name:<22}{w:>10.4f}{c:>10.4f}{note}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[5000])
    for size in ap.parse_args().sizes:
        run(size)


if __name__ == "__main__":
    main()
