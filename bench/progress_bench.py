"""Progress store benchmark: 200 units × 25 rows uploaded, then status of 5,000 tasks as of a date.

Targets (issue 4): all 200 uploads (validate + commit, one file after another)
≤ 10 s; status of 5,000 tasks ≤ 1 s.  Prints seconds; asserts nothing.

    .venv/bin/python bench/progress_bench.py            # SQLite in a temp dir
    WORKBENCH_BENCH_DB_URL=postgresql+psycopg://... .venv/bin/python bench/progress_bench.py
"""

from __future__ import annotations

import io
import random
import sys
import tempfile
import time
from datetime import date

from openpyxl import load_workbook

from core import config
from tasks.model import Plan, Task
from tasks.progress import all_templates_zip, commit_upload, default_rules, snapshot, template_bytes, validate_upload
from tasks.store import Store
from tasks.store.testing import temporary_store

UNITS, ROWS = 200, 25
STATUSES = ["推进中", "推进中", "推进中", "滞后", "已完成", "未启动"]


def make_plan() -> Plan:
    units = [f"基准单位{i:03d}" for i in range(UNITS)]
    tasks = []
    for i in range(UNITS * ROWS):
        deadline = date(2021, 6 + i % 7, 28)
        tasks.append(
            Task(
                id=str(i + 1),
                title=f"基准任务{i + 1}",
                lead_units=[units[i // ROWS]],
                responsible_units=[units[(i // ROWS + 1) % UNITS]],
                deadline=deadline,
                deadline_text=f"{deadline.year}年{deadline.month}月底前",
                deadline_kind="date",
            )
        )
    return Plan(title="基准计划", date=date(2021, 3, 1), tasks=tasks)


def filled(store: Store, unit: str, rng: random.Random) -> bytes:
    wb = load_workbook(io.BytesIO(template_bytes(store, unit, "2021-09")))
    ws = wb["进度填报"]
    for r in range(4, ws.max_row + 1):
        if ws.cell(r, 4).value != "牵头":
            continue
        status = rng.choice(STATUSES)
        ws.cell(r, 5, status)
        ws.cell(r, 6, 100 if status == "已完成" else 0 if status == "未启动" else rng.randint(5, 95))
        ws.cell(r, 7, "按计划推进,已完成阶段性工作")
        ws.cell(r, 11, date(2021, 9, rng.randint(1, 30)))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def run(store: Store) -> None:
    rng = random.Random(4)
    rules = default_rules()
    t = time.perf_counter()
    store.load_plan_into_store(make_plan(), actor="bench")
    store.open_period("2021-09", "bench")
    print(f"load plan of {UNITS * ROWS} tasks: {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    zipped = all_templates_zip(store, "2021-09")
    print(f"zip of all {UNITS} units' templates ({len(zipped) // 1024} KiB): {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    files = [(f"基准单位{i:03d}", filled(store, f"基准单位{i:03d}", rng)) for i in range(UNITS)]
    print(f"write + fill {UNITS} templates (not timed by the target): {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    saved = 0
    for unit, data in files:
        rep = validate_upload(store, data, f"{unit}.xlsx", unit=unit, today=date(2021, 10, 3), rules=rules)
        if not rep.ok:
            raise SystemExit(rep.summary())
        saved += commit_upload(store, rep, actor=unit) is not None
    up = time.perf_counter() - t
    rows = store.counts()["progress_reports"]
    print(f"upload {saved} files / {rows} rows (validate + commit): {up:.2f} s  (target ≤ 10 s)")
    for as_of in (date(2021, 9, 15), date(2021, 10, 10)):
        t = time.perf_counter()
        snap = snapshot(store, as_of, rules=rules)
        st = time.perf_counter() - t
        print(f"status of {len(snap.statuses)} tasks as of {as_of}: {st:.2f} s  (target ≤ 1 s)  {snap.counts()}")


def main() -> int:
    url = config.setting("WORKBENCH_BENCH_DB_URL")
    with tempfile.TemporaryDirectory() as tmp:
        if url:
            with temporary_store("postgresql", tmp, url) as store:
                print(f"store: PostgreSQL ({url})")
                run(store)
        else:
            with temporary_store("sqlite", tmp) as store:
                print("store: SQLite (WAL) in a temporary directory")
                run(store)
    return 0


if __name__ == "__main__":
    sys.exit(main())
