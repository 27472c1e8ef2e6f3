"""Demo progress reports (示例数据) for the bundled 2021 plan: four months of filled unit templates.

Why: a fresh store has plans but no reports, so the overview, cards, rankings and the "as of"
replay have nothing to show.  These files are made the way a unit makes them — the unit's own
template (:func:`tasks.progress.template_bytes`) filled in — and go through the normal
validation and saving (:func:`tasks.progress.validate_upload` / ``commit_upload``).  The values
are invented, deterministic (fixed seed), and some units report late or not at all, so the
reminder list and cards have content.

>>> from tasks.store import Store
>>> from tasks.samples import load_bundled_plans
>>> store = Store("sqlite://")
>>> _ = load_bundled_plans(store, actor="doc")
>>> plan_key = next(p.key for p in store.plans() if "耒阳" in p.key)
>>> saved, problems = load_demo(store, plan_key, actor="office")
>>> saved > 50, problems
(True, [])
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from ..store.protocol import raw_store

MONTHS = ["2021-09", "2021-10", "2021-11", "2021-12"]
PROGRESS_TEXT = {
    "已完成": "已按要求完成,相关材料已归档",
    "滞后": "受审批流程影响进度滞后",
    "推进中": "正在按计划推进",
    "未启动": "尚未启动",
}


def _month_end(key: str) -> date:
    y, m = map(int, key.split("-"))
    return date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)


def demo_files(store, plan_key: str, seed: int = 2021) -> list[tuple[str, bytes, str, date]]:
    """(file name, xlsx bytes, unit, report day) for every unit and month, oldest first."""
    from tasks.progress import fill_template, template_bytes, template_filename

    rng = random.Random(seed)
    tasks = {t.id: t for t in store.tasks(plan_key)}
    named = set(store.units())
    units = sorted({u for t in tasks.values() for u in t.units} & named)
    start = next(iter(tasks.values())).plan_issued or date(2021, 8, 1)
    percent: dict[tuple[str, str], float] = {}
    out = []
    for month in MONTHS:
        end = _month_end(month)
        for unit in units:
            if rng.random() < 0.12:  # this month's report is missing
                continue
            day = end + timedelta(days=rng.choice([1, 2, 3, 3, 4, 5, 5, 8]))  # due 5 days after the end
            template = template_bytes(store, unit, month, plan_key)
            values: dict[str, dict[str, object]] = {}
            for t in tasks.values():
                if unit not in t.units:
                    continue
                before = percent.get((unit, t.id), 0.0)
                if before >= 100:
                    status, pct = "已完成", 100.0
                elif t.deadline is None:
                    status, pct = "推进中", min(90.0, before + rng.choice([10, 15, 20]))
                else:
                    span = max(1, (t.deadline - start).days)
                    expected = min(100.0, 100.0 * (day - start).days / span)
                    if t.deadline <= day and rng.random() < 0.8:
                        status, pct = "已完成", 100.0
                    elif rng.random() < 0.15:
                        status, pct = "滞后", max(before, expected - rng.choice([25, 35, 45]))
                    else:
                        pct = max(before, min(95.0, expected + rng.choice([-10, -5, 0, 5, 10])))
                        status = "推进中" if pct > 0 else "未启动"
                pct = round(max(0.0, pct))
                percent[(unit, t.id)] = pct
                values[t.id] = {"status": status, "percent": pct, "progress": PROGRESS_TEXT[status], "date": day}
                if status == "滞后":
                    values[t.id].update(problems="部门间协调难度较大", next_steps="下月召开专题协调会")
            data = fill_template(template, values)
            out.append((f"示例_{template_filename(unit, month)}", data, unit, day))
    out.sort(key=lambda f: (f[3], f[2]))
    return out


def load_demo(
    store, plan_key: str, actor: str, seed: int = 2021, progress: Callable[[int, int], None] | None = None
) -> tuple[int, list[str]]:
    """Validate and save every demo file as of its report day: (files saved, problems seen).

    ``progress(done, total)`` is called after each file (the dashboard shows a bar).

    Parameters
    ----------
    store : Store
        The store holding the plan (or a GuardedStore of the office).
    plan_key : str
        The plan to report on.
    actor : str
        Who saves the files.
    seed : int, optional
        The random seed of the invented values (default 2021: the same reports every time).
    progress : callable, optional
        Called as ``progress(done, total)`` after each file.

    Returns
    -------
    tuple of (int, list of str)
        The number of files saved, and the summary of each file refused (none for the demo).

    Raises
    ------
    StoreError
        When the plan is not in the store (``库中没有计划“…”``).

    Examples
    --------
    >>> from tasks.store import Store
    >>> from tasks.model import Plan, Task
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(Plan("示例", date=date(2021, 8, 1), tasks=[
    ...     Task("1", "任务一", lead_units=["市财政局"], deadline=date(2021, 12, 31))]), actor="doc")
    >>> load_demo(store, "示例", actor="office")
    (4, [])
    >>> load_demo(store, "没有", actor="office")
    Traceback (most recent call last):
    ...
    tasks.store.repo.StoreError: 库中没有计划“没有”,可用的计划:示例
    """
    from tasks.progress import commit_upload, validate_upload

    from .lifecycle import calendars, set_calendar

    saved, problems = 0, []
    raw = raw_store(store)  # a GuardedStore checks the office's right to set it below
    if plan_key not in calendars(raw):
        # the demo reports from August 2021: the plan's calendar starts then, as an office would set it
        tasks = raw.tasks(plan_key)
        start = (tasks[0].plan_issued if tasks else None) or date(2021, 8, 1)
        if raw is store:
            set_calendar(store, plan_key, start=start, actor=actor)
        else:
            store.set_calendar(plan_key, start=start)
    files = demo_files(store, plan_key, seed)
    for i, (name, data, unit, day) in enumerate(files, 1):
        rep = validate_upload(store, data, name, unit=unit, today=day)
        if rep.ok and commit_upload(store, rep, actor) is not None:
            saved += 1
        elif rep.problems:
            problems.append(rep.summary())
        if progress:
            progress(i, len(files))
    demo_lifecycle(store, plan_key, actor)
    return saved, problems


#: a one-page PDF used as the demo's 佐证材料
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def demo_lifecycle(store, plan_key: str, actor: str) -> int:
    """Walk the demo through the supervision loop: every lead unit signs the day after the plan's
    date; a unit whose reports say 已完成 claims on that day with a PDF, and the office accepts two
    days later.  Returns the number of steps written."""
    from datetime import datetime, time

    from .lifecycle import CLOSED, IN_PROGRESS, PENDING_SIGN, claim, lifecycles, review, sign

    raw = raw_store(store)
    tasks = raw.tasks(plan_key)
    lcs = lifecycles(raw, plan_key, tasks=tasks)
    done: dict[tuple[int, str], date] = {}
    for r in raw.reports(plan=plan_key):
        if r.status == "已完成":
            done.setdefault((r.task_pk, r.unit), r.report_date)
    steps = 0
    for t in tasks:
        start = t.plan_issued or date(2021, 8, 1)
        for unit, lu in lcs[t.pk].units.items():
            if lu.state == CLOSED:
                continue
            if lu.state == PENDING_SIGN:
                sign(
                    raw, plan_key, t.id, unit=unit, actor=actor, at=datetime.combine(start + timedelta(days=1), time(9))
                )
                steps += 1
            day = done.get((t.pk, unit))
            if day is not None and lu.state in (PENDING_SIGN, IN_PROGRESS):
                claim(
                    raw,
                    plan_key,
                    t.id,
                    unit=unit,
                    actor=actor,
                    evidence=[("办结佐证.pdf", DEMO_PDF)],
                    at=datetime.combine(day, time(10)),
                )
                review(
                    raw,
                    plan_key,
                    t.id,
                    unit=unit,
                    accept=True,
                    actor=actor,
                    at=datetime.combine(day + timedelta(days=2), time(10)),
                )
                steps += 2
    return steps
