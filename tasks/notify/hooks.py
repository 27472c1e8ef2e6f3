"""Turning what happens to tasks into :class:`~tasks.notify.TaskEvent` records (one call per hook).

- :func:`sign_events`: tasks newly loaded (``LoadResult.added``) → 签收通知 to each lead unit;
- :func:`card_events`: cards issued, changed or lifted between two looks at the status → 预警通知;
- :func:`lifecycle_events`: the supervision loop's stored steps (延期批准/驳回, 办结退回, objects with
  ``id, plan, task, unit, kind, at, note, new_date``) → 延期审批结果 / 办结申请退回.

All three are pure: they take plain records and return events; :func:`tasks.notify.notify_events`
queues them.

>>> from types import SimpleNamespace as R
>>> ev = R(id=7, plan="测试方案", task="2", unit="市审改办", kind="extension_approved",
...        at=datetime(2021, 10, 8, 10, 0), note="", new_date=date(2021, 11, 30))
>>> e = lifecycle_events([ev], {("测试方案", "2"): ("清单管理", date(2021, 11, 30))})[0]
>>> e.kind, e.event_id, e.detail
('extension', 'lifecycle-7', '同意延期至 2021-11-30')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..units import is_collective
from .model import TaskEvent

__all__ = ["sign_events", "card_events", "lifecycle_events", "CardChange"]


def sign_events(tasks: Iterable[Any], added: Iterable[str], at: datetime) -> list[TaskEvent]:
    """签收通知 for the tasks whose ids are in ``added`` (``tasks``: objects with ``plan, id, title,
    deadline, lead_units``): one notice per plan and lead unit listing its new tasks; the event id
    names the plan, unit, day and tasks, so loading the same tasks again the same day queues nothing new.

    Parameters
    ----------
    tasks
        The plan's tasks (objects with ``plan, id, title, deadline, lead_units``).
    added
        Ids of the tasks just added (``LoadResult.added``).
    at
        When they were loaded.

    Returns
    -------
    list of TaskEvent
        ``sign`` events, one per plan and lead unit (collective names such as ``各县市区`` get none).

    Examples
    --------
    >>> from types import SimpleNamespace as R
    >>> t = R(plan="测试方案", id="4", title="周末轮班", deadline=date(2021, 10, 31), lead_units=["市政务服务中心", "各县市区"])
    >>> [(e.unit, e.event_id, e.items) for e in sign_events([t], ["4"], datetime(2021, 9, 1, 8, 0))]
    [('市政务服务中心', 'load|测试方案|市政务服务中心|2021-09-01|4', ('4 周末轮班(完成时限 2021-10-31)',))]
    """
    new = set(added)
    per_unit: dict[tuple[str, str], list[Any]] = {}
    for t in tasks:
        if t.id not in new:
            continue
        for unit in t.lead_units:
            if not is_collective(unit):
                per_unit.setdefault((t.plan, unit), []).append(t)
    out = []
    for (plan, unit), ts in per_unit.items():
        items = tuple(f"{t.id} {t.title}" + (f"(完成时限 {t.deadline.isoformat()})" if t.deadline else "") for t in ts)
        ids = ",".join(t.id for t in ts)
        out.append(
            TaskEvent(
                "sign",
                f"load|{plan}|{unit}|{at.date().isoformat()}|{ids}"[:250],
                plan,
                "、".join(t.id for t in ts),
                unit,
                "、".join(t.title for t in ts),
                at,
                ts[0].deadline if len(ts) == 1 else None,
                "请及时签收并组织落实",
                items=items,
            )
        )
    return out


@dataclass(frozen=True)
class CardChange:
    """One task's card before and after a look at the status (card keys, empty for none).

    Parameters
    ----------
    plan, task
        The task.
    before, after
        Its card key at the previous look and now.

    Examples
    --------
    >>> CardChange("测试方案", "2", "yellow", "red").after
    'red'
    """

    plan: str
    task: str
    before: str
    after: str


def card_events(
    before: Mapping[str, str], statuses: Iterable[Any], names: Mapping[str, str], at: datetime
) -> tuple[list[TaskEvent], dict[str, str]]:
    """Compare each task's card with ``before`` (``"plan#task" → card key``, empty for none).

    Returns the 预警通知 events for the lead units of tasks whose card was issued, changed or lifted,
    and the new map to keep for next time.  ``statuses``: objects with ``plan, id, title, deadline,
    lead_units, card, status``; ``names``: card key → name (红牌, 黄牌…).

    Parameters
    ----------
    before
        ``"plan#task"`` → card key at the previous look.
    statuses
        The tasks' current status records.
    names
        Card key → its Chinese name.
    at
        The moment of this look.

    Returns
    -------
    tuple of (list of TaskEvent, dict)
        ``card`` events for each non-collective lead unit, and ``"plan#task"`` → card key now.

    Examples
    --------
    >>> from types import SimpleNamespace as R
    >>> s = R(plan="p", id="2", title="清单管理", deadline=None, lead_units=["市审改办"], card="red", status="overdue")
    >>> evs, now = card_events({"p#2": "yellow"}, [s], {"red": "红牌", "yellow": "黄牌"}, datetime(2021, 10, 8))
    >>> [(e.unit, e.detail) for e in evs], now
    ([('市审改办', '黄牌→红牌')], {'p#2': 'red'})
    """
    after: dict[str, str] = {}
    events: list[TaskEvent] = []
    for s in statuses:
        key = f"{s.plan}#{s.id}"
        new = s.card or ""
        after[key] = new
        old = before.get(key, "")
        if old == new:
            continue
        if old and new:
            detail = f"{names.get(old, old)}→{names.get(new, new)}"
        elif new:
            detail = f"亮{names.get(new, new)}"
        else:
            detail = f"{names.get(old, old)}已撤销"
        for unit in s.lead_units:
            if not is_collective(unit):
                events.append(
                    TaskEvent(
                        "card",
                        f"card|{key}|{old or '-'}>{new or '-'}|{at.date().isoformat()}",
                        s.plan,
                        s.id,
                        unit,
                        s.title,
                        at,
                        s.deadline,
                        detail,
                        task_closed=False,
                    )
                )
    return events, after


_LIFECYCLE = {"extension_approved": "extension", "extension_rejected": "extension", "claim_returned": "returned"}


def lifecycle_events(evs: Iterable[Any], tasks: Mapping[tuple[str, str], tuple[str, date | None]]) -> list[TaskEvent]:
    """Events of the supervision loop the units hear about; ``tasks`` maps (plan, task) → (title, deadline).

    Parameters
    ----------
    evs
        Stored steps (objects with ``id, plan, task, unit, kind, at, note, new_date``); kinds other than
        ``extension_approved``, ``extension_rejected`` and ``claim_returned`` are left out.
    tasks
        (plan, task id) → (title, deadline), for the wording.

    Returns
    -------
    list of TaskEvent
        ``extension`` or ``returned`` events, event id ``lifecycle-<step id>``; an approved extension
        carries the new deadline.

    Examples
    --------
    >>> from types import SimpleNamespace as R
    >>> step = R(id=8, plan="测试方案", task="3", unit="市审改办", kind="claim_returned",
    ...          at=datetime(2021, 10, 9, 9, 0), note="缺少佐证材料", new_date=None)
    >>> [(e.kind, e.detail) for e in lifecycle_events([step], {})]
    [('returned', '缺少佐证材料')]
    """
    out = []
    for ev in evs:
        kind = _LIFECYCLE.get(ev.kind)
        if kind is None:
            continue
        title, deadline = tasks.get((ev.plan, ev.task), ("", None))
        if ev.kind == "extension_approved":
            detail = f"同意延期至 {ev.new_date.isoformat()}" if ev.new_date else "同意延期"
            deadline = ev.new_date or deadline
        elif ev.kind == "extension_rejected":
            detail = "不同意延期"
        else:
            detail = ""
        if ev.note:
            detail = f"{detail},意见:{ev.note}" if detail else ev.note
        out.append(TaskEvent(kind, f"lifecycle-{ev.id}", ev.plan, ev.task, ev.unit, title, ev.at, deadline, detail))
    return out
