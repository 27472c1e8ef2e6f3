"""Synthetic province-sized plans and report histories (for benches and tests), generated linearly.

``synthetic_plan`` makes a plan of ``n_tasks`` tasks over ``n_units`` units (every fifth task
has two lead units); ``monthly_rows`` yields each unit's upload for each month; ``bulk_history``
writes a whole history with a handful of bulk inserts and then rebuilds the kept state, as the
migration would for an existing database.

>>> plan = synthetic_plan(12, 4, seed=1)
>>> len(plan.tasks), plan.tasks[5].lead_units
(12, ['单位001', '单位002'])
>>> sum(len(rows) for _unit, _period, rows in monthly_rows(plan, date(2024, 1, 1), 2, seed=1))
29
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from ..model import Plan, Task
from .kept import bump_version, rebuild_latest
from .schema import PlanRow, ProgressReportRow, TaskRow, UnitRow, UploadRow

__all__ = ["synthetic_plan", "monthly_rows", "bulk_history", "STATUSES"]

STATUSES = ("未启动", "推进中", "推进中", "推进中", "滞后", "已完成")


def synthetic_plan(
    n_tasks: int, n_units: int, *, seed: int = 0, title: str = "全省测试方案", issued: date = date(2024, 1, 1)
) -> Plan:
    """A plan of ``n_tasks`` tasks; deadlines spread over three years; every 7th task is ongoing."""
    rng = random.Random(seed)
    tasks = []
    for i in range(n_tasks):
        lead = [f"单位{i % n_units:03d}"]
        if i % 5 == 0 and n_units > 1:
            lead.append(f"单位{(i + 1) % n_units:03d}")
        resp = [f"单位{(i + 7) % n_units:03d}"] if n_units > 2 else []
        resp = [u for u in resp if u not in lead]
        if i % 7 == 3:
            deadline, text, kind = None, "长期", "ongoing"
        else:
            deadline = issued + timedelta(days=rng.randrange(60, 1100))
            text, kind = f"{deadline.year}年{deadline.month}月{deadline.day}日前", "date"
        tasks.append(
            Task(
                id=str(i + 1),
                title=f"任务{i + 1}",
                section=f"第{i // 100 + 1}部分",
                lead_units=lead,
                responsible_units=resp,
                deadline=deadline,
                deadline_text=text,
                deadline_kind=kind,
            )
        )
    return Plan(title=title, issuer="测试", date=issued, source_file="synthetic", tasks=tasks)


def _month(start: date, k: int) -> date:
    y, m = divmod(start.month - 1 + k, 12)
    return date(start.year + y, m + 1, 1)


def monthly_rows(
    plan: Plan, start: date, months: int, *, seed: int = 0, first: int = 0
) -> Iterator[tuple[str, str, list[dict[str, Any]]]]:
    """(unit, period, rows) for each lead unit and month ``first`` … ``months - 1`` after ``start``:
    one row per task it leads (8% missed), report dates from the 11th to the next month's 9th,
    each task finished (已完成) from a month of its own, with some relapses.  Each month has its
    own random stream, so a history can be written in parts."""
    by_unit: dict[str, list[Task]] = {}
    for t in plan.tasks:
        for u in t.lead_units:
            by_unit.setdefault(u, []).append(t)
    pick = random.Random(seed)
    done_from = {t.id: pick.randrange(2, 48) for t in plan.tasks}
    for k in range(first, months):
        rng = random.Random(seed * 1_000_003 + k)
        month = _month(start, k)
        period = f"{month.year}-{month.month:02d}"
        for unit in sorted(by_unit):
            rows = []
            for n, t in enumerate(by_unit[unit]):
                if rng.random() < 0.08:  # missed this month
                    continue
                if k >= done_from[t.id] and rng.random() < 0.9:
                    status = "已完成"
                else:
                    status = rng.choice(STATUSES)
                percent = 100.0 if status == "已完成" else float(rng.randrange(0, 100, 5))
                rdate = month + timedelta(days=rng.randrange(10, 40))
                rows.append(
                    {
                        "task_id": t.id,
                        "status": status,
                        "percent": percent,
                        "report_date": rdate,
                        "period": period,
                        "progress": f"第{k + 1}月进展",
                        "problems": "",
                        "next_steps": "",
                        "evidence": "",
                        "source_sheet": "进度",
                        "source_row": n + 3,
                    }
                )
            if rows:
                yield unit, period, rows


def bulk_history(
    store, plan_key: str, plan: Plan, start: date, months: int, *, seed: int = 0, first: int = 0, actor: str = "bench"
) -> int:
    """Write the history of :func:`monthly_rows` with bulk inserts (linear); returns the row count."""
    total = 0
    with store.session(write=True) as s:
        pid = s.scalar(select(PlanRow.id).where(PlanRow.key == plan_key))
        pk = dict(s.execute(select(TaskRow.task_id, TaskRow.id).where(TaskRow.plan_id == pid)).all())
        units = dict(s.execute(select(UnitRow.name, UnitRow.id)).all())
        next_upload = int(s.scalar(select(func.max(UploadRow.id))) or 0) + 1
        uploads, reports = [], []
        for unit, period, rows in monthly_rows(plan, start, months, seed=seed, first=first):
            uid = next_upload
            next_upload += 1
            sha = hashlib.sha256(f"{plan_key}/{unit}/{period}/{seed}".encode()).hexdigest()
            uploads.append(
                {
                    "id": uid,
                    "sha256": sha,
                    "filename": f"{unit}-{period}.xlsx",
                    "unit_id": units[unit],
                    "plan_id": pid,
                    "person": "",
                    "period": period,
                    "uploaded_at": datetime.combine(max(r["report_date"] for r in rows), datetime.min.time()),
                    "actor": actor,
                    "row_count": len(rows),
                }
            )
            reports += [{**r, "upload_id": uid, "task_pk": pk[r.pop("task_id")], "unit_id": units[unit]} for r in rows]
            if len(reports) >= 20000:
                total += _flush(s, uploads, reports)
        total += _flush(s, uploads, reports)
        rebuild_latest(s)
        bump_version(s, pid, tasks=False)  # reports only
    return total


def _flush(s, uploads: list[dict], reports: list[dict]) -> int:
    n = len(reports)
    if uploads:
        s.execute(insert(UploadRow), uploads)
    if reports:
        s.execute(insert(ProgressReportRow), reports)
    uploads.clear()
    reports.clear()
    return n
