"""Synthetic province-sized plans and report histories (for benches and tests), generated linearly.

``synthetic_plan`` makes a plan of ``n_tasks`` tasks over ``n_units`` units (every fifth task
has two lead units); ``monthly_rows`` yields each unit's upload for each month; ``bulk_history``
writes a whole history with a handful of bulk inserts and then rebuilds the kept state, as the
migration would for an existing database.  ``lifecycle_rows`` and ``bulk_lifecycle`` add the
supervision loop's steps a year of real work leaves: every lead unit signs, some ask for more
time, and each task's completion is claimed and reviewed when its reports say 已完成.

>>> plan = synthetic_plan(12, 4, seed=1)
>>> len(plan.tasks), plan.tasks[5].lead_units
(12, ['单位001', '单位002'])
>>> sum(len(rows) for _unit, _period, rows in monthly_rows(plan, date(2024, 1, 1), 2, seed=1))
29
>>> plan = synthetic_plan(200, 20, seed=1)
>>> steps = lifecycle_rows(plan, date(2024, 1, 1), 24, seed=1)
>>> from collections import Counter
>>> sorted(Counter(e["kind"] for e in steps).items())  # doctest: +NORMALIZE_WHITESPACE
[('claim', 118), ('claim_accepted', 107), ('claim_returned', 11), ('extension_approved', 6),
 ('extension_rejected', 3), ('extension_request', 9), ('sign', 240)]
>>> sum(e["kind"] == "sign" for e in steps) == sum(len(t.lead_units) for t in plan.tasks)
True
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
from .schema_supervision import SupervisionEventRow

__all__ = ["synthetic_plan", "monthly_rows", "bulk_history", "lifecycle_rows", "bulk_lifecycle", "STATUSES"]

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


def _done_from(plan: Plan, seed: int) -> dict[str, int]:
    """Task id → the month (after the start) from which its reports say 已完成."""
    pick = random.Random(seed)
    return {t.id: pick.randrange(2, 48) for t in plan.tasks}


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
    done_from = _done_from(plan, seed)
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


def lifecycle_rows(plan: Plan, start: date, months: int, *, seed: int = 0) -> list[dict[str, Any]]:
    """The lifecycle steps of the first ``months`` months after ``start``, oldest first (ids in that
    order, as a live store numbers them): each lead unit signs in its first ten days; one dated task
    in 20 asks for 90 more days before its deadline (approved, one in five of them rejected); a task
    whose reports say 已完成 (:func:`monthly_rows`) has its completion claimed that month and
    accepted five days later (one claim in ten is returned once and claimed again).  Values keyed
    ``task_id`` and ``unit`` (names), ``ref`` an index into the list for the step answered."""
    rng = random.Random(seed * 7_919 + 1)
    done_from = _done_from(plan, seed)
    end = datetime.combine(_month(start, months), datetime.min.time())
    opening = datetime.combine(start, datetime.min.time()) + timedelta(hours=9)
    steps: list[tuple[datetime, int, dict[str, Any]]] = []  # (at, order made, values)

    def step(task: Task, unit: str, kind: str, at: datetime, **more: Any) -> int:
        steps.append((at, len(steps), {"task_id": task.id, "unit": unit, "kind": kind, "at": at, **more}))
        return len(steps) - 1

    for t in plan.tasks:
        for unit in t.lead_units:
            signed = opening + timedelta(minutes=rng.randrange(0, 10 * 24 * 60))
            step(t, unit, "sign", signed)
            if t.deadline and rng.random() < 0.05:
                asked = datetime.combine(t.deadline, datetime.min.time()) - timedelta(days=rng.randrange(10, 40))
                if asked > signed:
                    new = t.deadline + timedelta(days=90)
                    req = step(t, unit, "extension_request", asked, new_date=new, note="需协调多个部门")
                    kind = "extension_rejected" if rng.random() < 0.2 else "extension_approved"
                    step(t, unit, kind, asked + timedelta(days=3), ref=req, new_date=new, note="")
            claimed = datetime.combine(_month(start, done_from[t.id]), datetime.min.time()) + timedelta(
                days=rng.randrange(10, 25), hours=10
            )
            if claimed <= signed:
                continue
            if rng.random() < 0.1:
                first = step(t, unit, "claim", claimed, new_date=claimed.date(), data={"evidence": []})
                step(t, unit, "claim_returned", claimed + timedelta(days=3), ref=first, note="佐证材料不全")
                claimed += timedelta(days=10)
            claim = step(t, unit, "claim", claimed, new_date=claimed.date(), data={"evidence": []})
            step(t, unit, "claim_accepted", claimed + timedelta(days=5), ref=claim)
    kept = sorted((s for s in steps if s[0] < end), key=lambda s: (s[0], s[1]))  # an answer follows its step
    order = {old: new for new, (_at, old, _v) in enumerate(kept)}
    out = []
    for _at, _old, values in kept:
        if "ref" in values:
            values["ref"] = order[values["ref"]]
        out.append(values)
    return out


def bulk_lifecycle(store, plan_key: str, plan: Plan, start: date, months: int, *, seed: int = 0, first: int = 0) -> int:
    """Write :func:`lifecycle_rows` with bulk inserts (ids in time order); returns the step count.

    ``first``: only the steps from that month on, after an earlier call wrote the months before
    (and nothing else wrote steps since): ids and references continue that call's."""
    with store.session(write=True) as s:
        pid = s.scalar(select(PlanRow.id).where(PlanRow.key == plan_key))
        pk = dict(s.execute(select(TaskRow.task_id, TaskRow.id).where(TaskRow.plan_id == pid)).all())
        units = dict(s.execute(select(UnitRow.name, UnitRow.id)).all())
        steps = lifecycle_rows(plan, start, months, seed=seed)
        cut = datetime.combine(_month(start, first), datetime.min.time())
        done = sum(1 for v in steps if v["at"] < cut) if first else 0  # written by the earlier call
        base = int(s.scalar(select(func.max(SupervisionEventRow.id))) or 0) + 1 - done
        rows = [
            {
                "id": base + i,
                "plan_id": pid,
                "task_pk": pk[v["task_id"]],
                "unit_id": units[v["unit"]],
                "kind": v["kind"],
                "at": v["at"],
                "actor": "bench",
                "note": v.get("note", ""),
                "ref_id": base + v["ref"] if "ref" in v else None,
                "new_date": v.get("new_date"),
                "data": v.get("data", {}),
            }
            for i, v in enumerate(steps)
            if i >= done
        ]
        for i in range(0, len(rows), 20000):
            s.execute(insert(SupervisionEventRow), rows[i : i + 20000])
        bump_version(s, pid)  # an extension moves a deadline: the plan's data, not only its reports
    return len(rows)
