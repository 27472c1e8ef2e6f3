"""Card history benchmark: recording a year of monthly card checks for 5,000 tasks × 200 units.

The store is the supervision bench's (``bench/supervision_bench.py``: a year of lifecycle events
and monthly progress rows, fixed seed).  Prints wall and CPU seconds for: the first recording (every
monthly check of 2021, one replayed status per check), a second run (idempotent: nothing to do),
reading the plan's whole history, and one task's.  Asserts nothing.

    .venv/bin/python bench/card_history_bench.py
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

from supervision_bench import fill

from tasks.progress import default_rules
from tasks.progress.card_history import card_history, record_card_history
from tasks.store import Store

PLAN = "督办基准计划"


def timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="cards-bench-"))
    store = Store(f"sqlite:///{tmp / 'wb.db'}")
    n = fill(store, args.seed)
    print(f"store: {n['events']} lifecycle events, {n['reports']} progress rows")
    rules = default_rules()
    as_of = date(2022, 1, 10)
    new, wall, cpu = timed(lambda: record_card_history(store, PLAN, actor="bench", as_of=as_of, rules=rules))
    checks = len({r.check for r in new})
    kinds = Counter(r.kind for r in new)
    print(
        f"first recording to {as_of}: {wall:.2f} s wall, {cpu:.2f} s CPU; {len(new)} steps {dict(kinds)} "
        f"from {checks} checks with a change"
    )
    again, wall, cpu = timed(lambda: record_card_history(store, PLAN, actor="bench", as_of=as_of, rules=rules))
    print(f"second run (idempotent, {len(again)} new steps): {wall:.3f} s wall, {cpu:.3f} s CPU")
    hist, wall, cpu = timed(lambda: card_history(store, PLAN))
    print(f"read the plan's history ({len(hist)} steps): {wall:.3f} s wall, {cpu:.3f} s CPU")
    task = hist[-1].task if hist else "1"
    one, wall, cpu = timed(lambda: card_history(store, PLAN, task))
    print(f"read task {task}'s history ({len(one)} steps): {wall:.3f} s wall, {cpu:.3f} s CPU")
    store.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
