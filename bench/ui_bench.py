"""Benchmark: AppTest render time of every dashboard page with 5,000 generated tasks.

A temporary SQLite store gets one generated plan (5,000 tasks, 200 units, 5,000 predecessor
links, from ``bench/graph_bench.generate``) and three months of progress reports for a
quarter of the tasks; then each page is rendered by ``streamlit.testing.v1.AppTest``
twice: the first run fills the caches, the second is what a user sees when coming back
to the page or changing a widget.  Target: ≤ 2 s after the first load.

    .venv/bin/python bench/ui_bench.py [--tasks 5000] [--seed 7]
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PAGES = [
    "ui/page_overview.py",
    "ui/page_tasks.py",
    "ui/page_graph.py",
    "ui/page_import.py",
    "ui/page_progress.py",
    "ui/page_units.py",
    "ui/page_reports.py",
    "ui/page_hall.py",
    "ui/page_staffing.py",
]


def fill_store(url: str, n_tasks: int, seed: int) -> tuple[str, int]:
    from graph_bench import generate

    from tasks.store import Store

    plan, links = generate(n_tasks, 200, n_tasks, seed)
    preds: dict[str, list[str]] = {}
    for link in links:
        preds.setdefault(link.task, []).append(link.predecessor)
    for t in plan.tasks:
        t.predecessors = preds.get(t.id, [])
    store = Store(url)
    t0 = time.perf_counter()
    store.load_plan_into_store(plan, actor="bench")
    load_s = time.perf_counter() - t0
    rng = random.Random(seed)
    by_unit: dict[str, list[str]] = {}
    for t in plan.tasks:
        if rng.random() < 0.25:
            by_unit.setdefault(t.lead_units[0], []).append(t.id)
    n_rows = 0
    for month in (7, 8, 9):
        period = f"2021-{month:02d}"
        store.open_period(period, "bench")
        for unit, ids in by_unit.items():
            rows = [
                {
                    "task_id": i,
                    "status": rng.choice(["推进中", "已完成", "滞后"]),
                    "percent": rng.choice([30, 60, 100]),
                    "progress": "推进中",
                    "report_date": date(2021, month, 28),
                    "period": period,
                    "source_sheet": "进度填报",
                    "source_row": k + 4,
                }
                for k, i in enumerate(ids)
            ]
            store.add_upload(
                sha256=f"{unit}-{period}",
                filename=f"{unit}.xlsx",
                unit=unit,
                plan=plan.title,
                person="",
                period=period,
                rows=rows,
                actor="bench",
            )
            n_rows += len(rows)
    return f"{load_s:.2f}", n_rows


def office_token(url: str) -> str:
    """A logged-in office session for the AppTests (the dashboard opens on the login page otherwise)."""
    from tasks.accounts import AccountBook, random_password
    from tasks.store import Store

    book = AccountBook(Store(url))
    password = random_password()
    book.add("bench-office", "office", password=password, actor="bench")
    return book.login("bench-office", password).token


def quiet_bare_mode_warnings() -> None:
    """Cached calls made outside a page run log "missing ScriptRunContext" each time: noise here."""
    from streamlit.runtime.scriptrunner_utils import script_run_context

    logging.getLogger(script_run_context.__name__).addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage()
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    quiet_bare_mode_warnings()
    tmp = Path(tempfile.mkdtemp(prefix="ui-bench-"))
    url = f"sqlite:///{tmp / 'wb.db'}"
    os.environ["WORKBENCH_DB_URL"] = url
    os.environ["WORKBENCH_PLANS_DIR"] = str(tmp / "no-plans")  # nothing bundled: only the generated plan
    load_s, n_rows = fill_store(url, args.tasks, args.seed)
    print(f"store: {args.tasks} tasks loaded in {load_s} s, {n_rows} progress rows, {url}")

    from streamlit.testing.v1 import AppTest

    token = office_token(url)

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.session_state["wb_session_token"] = token
    t0 = time.perf_counter()
    at.run()
    print(f"opening the app (default page, empty caches): {time.perf_counter() - t0:.2f} s")
    print(f"{'page':<22}{'first run (s)':>15}{'again (s)':>12}  problems")
    worst = 0.0
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.session_state["wb_session_token"] = token
        at.session_state["_as_of"] = date(2021, 10, 10)
        at.run()
        t0 = time.perf_counter()
        at.switch_page(page).run()
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        at.run()
        again = time.perf_counter() - t0
        worst = max(worst, again)
        problems = [e.value for e in at.exception] + [e.value for e in at.error]
        print(f"{page:<22}{first:>15.2f}{again:>12.2f}  {'; '.join(str(p)[:80] for p in problems) or '-'}")
    print(f"slowest page after the first load: {worst:.2f} s (target ≤ 2 s)")

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.session_state["wb_session_token"] = token
    at.session_state["_as_of"] = date(2021, 10, 10)
    at.run()
    at.switch_page("ui/page_tasks.py").run()
    steps = [
        ("unit filter", lambda: at.multiselect(key="tasks_units").set_value(["单位000"])),
        ("role = 牵头", lambda: at.radio(key="tasks_role").set_value("牵头")),
        ("full-text search", lambda: at.text_input(key="tasks_text").input("任务1")),
        ("timeline view", lambda: at.segmented_control(key="tasks_view").set_value("时间轴")),
        ("task detail view", lambda: at.segmented_control(key="tasks_view").set_value("任务详情")),
    ]
    for label, act in steps:
        act()
        t0 = time.perf_counter()
        at.run()
        rows = len(at.dataframe[0].value) if label != "timeline view" and len(at.dataframe) else "-"
        print(
            f"任务 page, {label:<18}{time.perf_counter() - t0:>8.2f} s   rows shown: {rows}"
            f"{'  ERROR' if at.exception or at.error else ''}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
