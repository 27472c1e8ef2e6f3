"""Baselines (基线): a plan's tasks and deadlines frozen at load, at each period close and on demand,
and the comparison of now against any of them.

The comparison lists tasks added and archived since the baseline, deadlines moved
(each with the approved extension behind the move) and the finish variance per
task: days late against the original deadline (for closed tasks on their
completion date, for open ones as of today).

>>> base = {"tasks": {"1": {"deadline": "2021-09-30", "archived": False}}}
>>> now = {"tasks": {"1": {"deadline": "2021-10-31", "archived": False},
...                  "2": {"deadline": None, "archived": False}}}
>>> d = diff(base, now)
>>> d["added"], [(m["task"], m["from"], m["to"]) for m in d["deadline_moves"]]
(['2'], [('1', '2021-09-30', '2021-10-31')])
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select

from ..store import Store
from ..store.schema_supervision import BaselineRow
from .lifecycle import LifecycleError, lifecycles

__all__ = ["freeze_baseline", "freeze_all", "baselines", "compare", "diff", "close_period_and_freeze", "BASELINE_KINDS"]

BASELINE_KINDS = {"load": "导入时", "period_close": "报告期关闭时", "manual": "手动冻结"}


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _state(store: Store, plan: str, as_of: date | None = None) -> dict[str, Any]:
    """The plan's tasks now: deadline (current), original deadline, archived, lifecycle, completion."""
    tasks = store.tasks(plan, include_archived=True)
    lcs = lifecycles(store, plan, as_of, tasks=tasks)
    out = {}
    for t in tasks:
        lc = lcs[t.pk]
        closed = lc.closed_date
        out[t.id] = {
            "title": t.title,
            "deadline": lc.deadline.isoformat() if lc.deadline else None,
            "original_deadline": t.deadline.isoformat() if t.deadline else None,
            "archived": t.archived,
            "lifecycle": lc.state,
            "closed_date": closed.isoformat() if closed else None,
            "extensions": [e.to_dict() for e in lc.extensions if e.decision == "approved"],
        }
    return {"tasks": out}


def freeze_baseline(
    store: Store, plan: str | None, *, kind: str = "manual", label: str = "", actor: str, at: datetime | None = None
) -> dict[str, Any]:
    """Freeze the plan's current tasks and deadlines; returns the stored baseline's summary."""
    if kind not in BASELINE_KINDS:
        raise LifecycleError(f"基线类型“{kind}”无效")
    key = store.plan_key(plan)
    at = at or _now()
    data = _state(store, key, at.date())
    with store.session(write=True) as s:
        pid = store._plan_id(s, key)
        res = s.execute(
            insert(BaselineRow).returning(BaselineRow.id),
            [
                {
                    "plan_id": pid,
                    "kind": kind,
                    "label": label or BASELINE_KINDS[kind],
                    "at": at,
                    "actor": actor,
                    "data": data,
                }
            ],
        )
        bid = res.scalar_one()
        store._audit(s, actor, "freeze_baseline", key, {"baseline_id": bid, "kind": kind, "label": label})
    return {
        "id": bid,
        "plan": key,
        "kind": kind,
        "label": label or BASELINE_KINDS[kind],
        "at": at.isoformat(sep=" "),
        "tasks": len(data["tasks"]),
    }


def freeze_all(store: Store, *, kind: str, label: str, actor: str) -> list[dict[str, Any]]:
    """Freeze every live plan (at a period close)."""
    return [freeze_baseline(store, p.key, kind=kind, label=label, actor=actor) for p in store.plans()]


def close_period_and_freeze(store: Store, period: str, actor: str):
    """Close a reporting period, freeze a baseline of every plan and record every plan's card
    history up to that period (:func:`tasks.progress.card_history.record_all_card_history`)."""
    from .card_history import record_all_card_history
    from .rules import load_rules

    rules = load_rules()  # a broken rules file refuses the close before anything is written
    info = store.close_period(period, actor)
    freeze_all(store, kind="period_close", label=f"{info.key} 报告期关闭", actor=actor)
    record_all_card_history(store, actor=actor, through=info.end, rules=rules)
    return info


def baselines(store: Store, plan: str | None) -> list[dict[str, Any]]:
    """A plan's baselines, oldest first (without their data)."""
    with store.session() as s:
        pid = store._plan_id(s, plan)
        return [
            {
                "id": b.id,
                "kind": b.kind,
                "label": b.label,
                "at": b.at,
                "actor": b.actor,
                "tasks": len((b.data or {}).get("tasks", {})),
            }
            for b in s.scalars(
                select(BaselineRow).where(BaselineRow.plan_id == pid).order_by(BaselineRow.at, BaselineRow.id)
            )
        ]


def _days(a: str | None, b: str | date | None) -> int | None:
    if not a or not b:
        return None
    db = b if isinstance(b, date) else date.fromisoformat(b)
    return (db - date.fromisoformat(a)).days


def diff(base: dict[str, Any], now: dict[str, Any], today: date | None = None) -> dict[str, Any]:
    """Differences between a baseline's data and the current data (see the module doc)."""
    bt, nt = base.get("tasks", {}), now.get("tasks", {})
    live_b = {k for k, v in bt.items() if not v.get("archived")}
    live_n = {k for k, v in nt.items() if not v.get("archived")}

    def order(ids):
        return sorted(ids, key=lambda x: (len(x), x))

    moves = []
    for k in order(live_b & live_n):
        a, b = bt[k].get("deadline"), nt[k].get("deadline")
        if a != b:
            exts = [
                e for e in nt[k].get("extensions", []) if e.get("decided_to") and (a is None or e["decided_to"] > a)
            ]
            moves.append(
                {
                    "task": k,
                    "title": nt[k].get("title", ""),
                    "from": a,
                    "to": b,
                    "days": _days(a, b),
                    "extension": exts[-1] if exts else None,
                }
            )
    variance = []
    for k in order(live_n):
        v = nt[k]
        orig = v.get("original_deadline")
        if not orig:
            continue
        end = v.get("closed_date") or (today or date.today())
        late = _days(orig, end)
        variance.append(
            {
                "task": k,
                "title": v.get("title", ""),
                "original_deadline": orig,
                "deadline": v.get("deadline"),
                "closed_date": v.get("closed_date"),
                "days_late": max(0, late or 0) if v.get("closed_date") or (late or 0) > 0 else 0,
                "closed": bool(v.get("closed_date")),
            }
        )
    return {
        "added": order(live_n - live_b),
        "archived": order(live_b - live_n),
        "deadline_moves": moves,
        "variance": variance,
    }


def compare(store: Store, plan: str | None, against: date | int | None = None) -> dict[str, Any]:
    """Now against a baseline: the one with id ``against`` (int), the latest frozen on or before the
    date ``against``, or (None) the first one (at load)."""
    key = store.plan_key(plan)
    with store.session() as s:
        pid = store._plan_id(s, key)
        q = select(BaselineRow).where(BaselineRow.plan_id == pid)
        if isinstance(against, int):
            row = s.scalar(q.where(BaselineRow.id == against))
        elif isinstance(against, date):
            row = s.scalar(
                q.where(BaselineRow.at <= datetime.combine(against, datetime.max.time()))
                .order_by(BaselineRow.at.desc(), BaselineRow.id.desc())
                .limit(1)
            )
        else:
            row = s.scalar(q.order_by(BaselineRow.at, BaselineRow.id).limit(1))
        if row is None:
            when = f"{against.isoformat()} 及以前" if isinstance(against, date) else ""
            raise LifecycleError(
                f"计划“{key}”{when}没有冻结的基线;基线在导入、报告期关闭时自动冻结,"
                f"也可用 python -m tasks baseline --plan 计划 --freeze 手动冻结"
            )
        base = {"id": row.id, "kind": row.kind, "label": row.label, "at": row.at.isoformat(sep=" ")}
        data = row.data or {}
    out = diff(data, _state(store, key))
    return {"plan": key, "baseline": base, **out}
