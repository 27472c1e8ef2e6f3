"""Card history (红黄牌履历): every card a task carried — issued, changed, closed, withdrawn — kept.

Cards are recomputed from the history at any date (:mod:`tasks.progress.status`); this module keeps
what each *check* decided, so the office can show when a card was issued, by which rule and on what
figures, when it changed (a red card turned yellow when the unit caught up, or a card was raised),
and when and why it ended (the unit caught up, the task was closed or archived, or an appeal was
upheld), with every appeal's decision and trail linked.

**Checks.**  A plan is checked once per reporting period of its calendar, on the first day that
period's report counts as missed (the day after its due date; a plan without a calendar of its own
follows the store's reporting periods), and once for each upheld appeal (on the day it was decided).
At a check the task's card is the one :func:`tasks.progress.status.snapshot` gives as of that day
(recovery, escalation and withdrawn appeals included); compared with the card the history last
recorded for the task it is one of

- ``issued`` (发出): no card before, a card now;
- ``changed`` (变更): another level (红牌 → 黄牌 on catching up, 黄牌 → 红牌 when it got worse);
- ``closed`` (消除): no card any more (caught up, task 已办结 or archived);
- ``withdrawn`` (撤销): taken back by an upheld appeal (``appeal_id`` names it).

**Idempotent.**  :func:`record_card_history` evaluates only the checks that are due by ``as_of``
and not yet recorded (``card_checks``) and appends only the changes; running it again writes
nothing.  Rows are never updated: what a check decided stays as decided, even if a report is
later back-dated.  It runs when a period is closed
(:func:`tasks.progress.baselines.close_period_and_freeze`) and on demand (``python -m tasks cards``).

>>> kind_of(None, "red"), kind_of("red", "yellow"), kind_of("yellow", None), kind_of("red", "red")
('issued', 'changed', 'closed', None)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from ..labels import CARD_HISTORY_KIND
from ..store import Store, StoreError, raw_store
from ..store.kept import bump_version
from ..store.periods import PlanCalendar
from ..store.schema import PlanRow, TaskRow
from ..store.schema_card_history import CardCheckRow, CardHistoryRow
from .lifecycle import APPEAL, APPEAL_REJECTED, APPEAL_UPHELD, LifecycleEvent, calendars, events
from .rules import Rules, load_rules

__all__ = [
    "ISSUED",
    "CHANGED",
    "CLOSED_CARD",
    "WITHDRAWN",
    "KIND_LABELS",
    "Check",
    "AppealLink",
    "CardRecord",
    "kind_of",
    "check_points",
    "record_card_history",
    "record_all_card_history",
    "card_history",
    "history_table",
]

ISSUED, CHANGED, CLOSED_CARD, WITHDRAWN = "issued", "changed", "closed", "withdrawn"
KIND_LABELS = CARD_HISTORY_KIND  # 发出 / 变更 / 消除 / 申诉撤销 (tasks.labels)
_FIGURES = ("status", "missed_reports", "total_missed", "late_reports", "overdue_days", "gap", "lifecycle")


def kind_of(before: str | None, after: str | None) -> str | None:
    """The history step from one card level to another (None: nothing changed)."""
    if (before or None) == (after or None):
        return None
    if not before:
        return ISSUED
    return CLOSED_CARD if not after else CHANGED


@dataclass(frozen=True)
class Check:
    """One check of a plan's cards: ``key`` is ``period:2021-09`` or ``appeal:17``."""

    key: str
    on: date
    period: str = ""
    appeal_id: int | None = None


@dataclass(frozen=True)
class AppealLink:
    """An appeal (申诉) against a card, its decision and its trail (the stored lifecycle steps)."""

    id: int
    unit: str
    card: str
    reason: str
    filed_at: datetime
    filed_by: str
    decision: str  # pending | upheld | rejected
    note: str = ""
    decided_at: datetime | None = None
    decided_by: str = ""
    trail: tuple[LifecycleEvent, ...] = ()

    @property
    def decision_label(self) -> str:
        return {"pending": "待处理", "upheld": "申诉成立", "rejected": "申诉驳回"}[self.decision]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "unit": self.unit,
            "card": self.card,
            "reason": self.reason,
            "filed_at": self.filed_at.isoformat(sep=" "),
            "filed_by": self.filed_by,
            "decision": self.decision,
            "decision_label": self.decision_label,
            "note": self.note,
            "decided_at": self.decided_at.isoformat(sep=" ") if self.decided_at else None,
            "decided_by": self.decided_by,
            "trail": [e.to_dict() for e in self.trail],
        }


@dataclass(frozen=True)
class CardRecord:
    """One stored step of a task's card history, with the appeals filed against that card."""

    id: int
    plan: str
    task: str
    check: str
    period: str
    checked_on: date
    kind: str
    level: str
    level_name: str
    previous: str
    previous_name: str
    rule: str
    reason: str
    figures: tuple[tuple[str, Any], ...]
    appeal_id: int | None
    recorded_at: datetime
    actor: str
    appeals: tuple[AppealLink, ...] = ()

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def figure(self, name: str) -> Any:
        return dict(self.figures).get(name)

    def text(self) -> str:
        """One Chinese line for the dashboard: ``2021-10-06 发出红牌(2021-09):逾期12天``."""
        what = {
            ISSUED: f"发出{self.level_name}",
            CHANGED: f"{self.previous_name}变更为{self.level_name}",
            CLOSED_CARD: f"{self.previous_name}消除",
            WITHDRAWN: f"{self.previous_name}经申诉撤销",
        }.get(self.kind, self.kind)
        when = f"({self.period}报告期检查)" if self.period else ""
        return f"{self.checked_on.isoformat()} {what}{when}:{self.reason}" if self.reason else f"{what}{when}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "plan": self.plan,
            "task": self.task,
            "check": self.check,
            "period": self.period or None,
            "checked_on": self.checked_on.isoformat(),
            "kind": self.kind,
            "kind_label": self.kind_label,
            "level": self.level or None,
            "level_name": self.level_name,
            "previous": self.previous or None,
            "previous_name": self.previous_name,
            "rule": self.rule,
            "reason": self.reason,
            "figures": dict(self.figures),
            "appeal_id": self.appeal_id,
            "recorded_at": self.recorded_at.isoformat(sep=" "),
            "actor": self.actor,
            "appeals": [a.to_dict() for a in self.appeals],
            "text": self.text(),
        }


# -- checks ------------------------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def check_points(
    store: Store,
    plan: str,
    as_of: date,
    rules: Rules,
    *,
    through: date | None = None,
    cals: dict[str, PlanCalendar] | None = None,
) -> list[Check]:
    """The plan's period checks due by ``as_of`` (optionally only for periods ending by ``through``).

    The check of a period is the day after its due date: from then on its report counts as missed,
    exactly as :func:`tasks.progress.status.compute` counts it.
    """
    raw = raw_store(store)
    cals = calendars(raw) if cals is None else cals
    cal = cals.get(plan)
    if cal is not None:
        items = [(p.key, p.end, due) for p, due in cal.periods(as_of, rules.grace_days)]
    else:
        info = next((p for p in raw.plans() if p.key == plan), None)
        if info is None:
            raise StoreError(f"库中没有计划“{plan}”")
        start = info.date or info.loaded_at.date()
        items = [(p.key, p.end, p.due) for p in raw.periods() if p.end >= start]
    out = []
    for key, end, due in items:
        on = due + timedelta(days=1)
        if on <= as_of and (through is None or end <= through):
            out.append(Check(f"period:{key}", on, key))
    return out


def _rule_of(ts: Any, rules: Rules) -> str:
    """The rule behind a task's card at a check, in the rules file's words."""
    if not ts.card:
        return ""
    try:
        level = rules.level(ts.card)
    except KeyError:
        return ""
    metrics = {
        "status": ts.status,
        "missed_reports": ts.missed_reports,
        "late_reports": ts.late_reports,
        "overdue_days": ts.overdue_days,
        "gap": ts.gap if ts.gap is not None else 0,
    }
    held = [c.source() for c in level.when if c.holds(metrics)]
    if held:
        return f"{level.key}: " + " 或 ".join(held)
    if ts.card == rules.recover_to:
        return f"supervision.recover_to = {rules.recover_to}"
    return f"escalation.after_periods = {rules.escalate_after}"


def _figures(ts: Any) -> dict[str, Any]:
    return {k: getattr(ts, k) for k in _FIGURES}


def _appeals_of(evs: Sequence[LifecycleEvent]) -> dict[int, AppealLink]:
    """Appeal id → its link (decision and trail), from a plan's lifecycle events (oldest first)."""
    out: dict[int, AppealLink] = {}
    for e in evs:
        if e.kind == APPEAL:
            out[e.id] = AppealLink(
                e.id, e.unit, dict(e.data).get("card", ""), e.note, e.at, e.actor, "pending", trail=(e,)
            )
        elif e.kind in (APPEAL_UPHELD, APPEAL_REJECTED) and e.ref_id in out:
            a = out[e.ref_id]
            out[e.ref_id] = AppealLink(
                a.id,
                a.unit,
                a.card,
                a.reason,
                a.filed_at,
                a.filed_by,
                "upheld" if e.kind == APPEAL_UPHELD else "rejected",
                e.note,
                e.at,
                e.actor,
                a.trail + (e,),
            )
    return out


def record_card_history(
    store: Store,
    plan: str | None,
    *,
    actor: str,
    as_of: date | None = None,
    through: date | None = None,
    rules: Rules | None = None,
) -> list[CardRecord]:
    """Record the plan's card changes at every check due by ``as_of`` (default today) and not yet
    recorded; returns the new steps (none when run again).  ``through`` limits the period checks to
    periods ending by that day (a period close records up to the closed period)."""
    from .status import snapshot

    raw = raw_store(store)
    if not str(actor or "").strip():
        raise StoreError("缺少操作人(actor),无法记录预警牌履历")
    as_of = as_of or date.today()
    rules = rules or load_rules()
    key = raw.plan_key(plan)
    with raw.session() as s:
        pid = raw._plan_id(s, key)
        done = set(s.scalars(select(CardCheckRow.check_key).where(CardCheckRow.plan_id == pid)))
        current: dict[int, tuple[str, str]] = {}
        for held_pk, level, name in s.execute(
            select(CardHistoryRow.task_pk, CardHistoryRow.level, CardHistoryRow.level_name)
            .where(CardHistoryRow.plan_id == pid)
            .order_by(CardHistoryRow.checked_on, CardHistoryRow.id)
        ):
            current[held_pk] = (level, name)
    evs = events(raw, key, as_of=as_of)
    appeals = _appeals_of(evs)
    checks = [c for c in check_points(raw, key, as_of, rules, through=through) if c.key not in done]
    upheld = [
        Check(f"appeal:{a.id}", a.decided_at.date(), "", a.id)
        for a in appeals.values()
        if a.decision == "upheld" and a.decided_at and f"appeal:{a.id}" not in done
    ]
    todo = sorted(checks + upheld, key=lambda c: (c.on, c.appeal_id is None, c.key))
    if not todo:
        return []
    tasks_now = {t.id: t for t in raw.tasks(key, include_archived=True)}
    pk_of = {tid: t.pk for tid, t in tasks_now.items()}
    new_rows: list[dict[str, Any]] = []
    check_rows: list[dict[str, Any]] = []
    now = _now()
    for chk in todo:
        rows: list[dict[str, Any]] = []
        base = {"plan_id": pid, "check_key": chk.key, "period": chk.period, "checked_on": chk.on}
        base |= {"recorded_at": now, "actor": str(actor), "appeal_id": None}
        if chk.appeal_id is not None:
            a = appeals[chk.appeal_id]
            ev = next(e for e in a.trail if e.kind == APPEAL)
            tpk = pk_of.get(ev.task)
            before = current.get(tpk, ("", "")) if tpk is not None else ("", "")
            if tpk is not None and before[0] and before[0] == a.card:
                rows.append(
                    base
                    | {
                        "task_pk": tpk,
                        "kind": WITHDRAWN,
                        "level": "",
                        "level_name": "",
                        "previous": before[0],
                        "previous_name": before[1],
                        "rule": "申诉成立",
                        "reason": f"{a.unit}申诉成立,{before[1]}撤销:{a.note}",
                        "data": {"appeal_reason": a.reason},
                        "appeal_id": a.id,
                    }
                )
                current[tpk] = ("", "")
        else:
            snap = snapshot(raw, chk.on, plan=key, rules=rules)
            seen: set[int] = set()
            for ts in snap.statuses:
                tpk = pk_of.get(ts.id)
                if tpk is None:
                    continue
                seen.add(tpk)
                before = current.get(tpk, ("", ""))
                step = kind_of(before[0], ts.card)
                if step is None:
                    continue
                appeal_id = None
                reason = ts.card_reason
                if step == CLOSED_CARD:
                    withdrawn = [a for e in ts.cards for a in e.get("appeals", []) if a.get("decision") == "upheld"]
                    if withdrawn:
                        step, appeal_id = WITHDRAWN, int(withdrawn[-1]["id"])
                        reason = f"申诉成立,{before[1]}撤销:{withdrawn[-1].get('note', '')}"
                    elif ts.status == "done":
                        reason = f"任务已办结,{before[1]}消除"
                    else:
                        reason = f"已整改(按期报送、未逾期),{before[1]}消除"
                rows.append(
                    base
                    | {
                        "task_pk": tpk,
                        "kind": step,
                        "level": ts.card or "",
                        "level_name": ts.card_name or "",
                        "previous": before[0],
                        "previous_name": before[1],
                        "rule": _rule_of(ts, rules),
                        "reason": reason,
                        "data": _figures(ts),
                        "appeal_id": appeal_id,
                    }
                )
                current[tpk] = (ts.card or "", ts.card_name or "")
            for tpk, (level, name) in list(current.items()):
                if level and tpk not in seen:  # archived since: its card ends with it
                    rows.append(
                        base
                        | {
                            "task_pk": tpk,
                            "kind": CLOSED_CARD,
                            "level": "",
                            "level_name": "",
                            "previous": level,
                            "previous_name": name,
                            "rule": "",
                            "reason": f"任务已从计划中撤销(归档),{name}消除",
                            "data": {},
                        }
                    )
                    current[tpk] = ("", "")
        new_rows += rows
        check_rows.append(
            {"plan_id": pid, "check_key": chk.key, "checked_on": chk.on, "changes": len(rows)}
            | {"recorded_at": now, "actor": str(actor)}
        )
    try:
        keys = _write(raw, pid, key, check_rows, new_rows, str(actor), as_of)
    except IntegrityError:  # another writer recorded the same checks at the same moment: theirs stand
        return []
    return [r for r in card_history(raw, key) if r.check in keys]


def _write(
    raw: Store, pid: int, key: str, check_rows: list[dict], new_rows: list[dict], actor: str, as_of: date
) -> list[str]:
    """Append the checks and steps not recorded meanwhile, in one transaction; the check keys written."""
    with raw.session(write=True) as s:
        # another writer may have recorded some of these checks meanwhile: skip those, keep the rest
        taken = set(
            s.scalars(
                select(CardCheckRow.check_key).where(
                    CardCheckRow.plan_id == pid, CardCheckRow.check_key.in_([c["check_key"] for c in check_rows])
                )
            )
        )
        check_rows = [c for c in check_rows if c["check_key"] not in taken]
        new_rows = [r for r in new_rows if r["check_key"] not in taken]
        if not check_rows:
            return []
        s.execute(insert(CardCheckRow), check_rows)
        if new_rows:
            s.execute(insert(CardHistoryRow), new_rows)
        bump_version(s, pid)
        raw._audit(
            s,
            actor,
            "record_card_history",
            key,
            {"checks": [c["check_key"] for c in check_rows], "changes": len(new_rows), "as_of": as_of.isoformat()},
        )
        return [c["check_key"] for c in check_rows]


def record_all_card_history(
    store: Store, *, actor: str, as_of: date | None = None, through: date | None = None, rules: Rules | None = None
) -> list[CardRecord]:
    """:func:`record_card_history` for every live plan (what a period close runs)."""
    raw = raw_store(store)
    rules = rules or load_rules()
    out: list[CardRecord] = []
    for p in raw.plans():
        out += record_card_history(raw, p.key, actor=actor, as_of=as_of, through=through, rules=rules)
    return out


# -- reading -------------------------------------------------------------------------------------------


def card_history(store: Store, plan: str | None, task: str | None = None) -> list[CardRecord]:
    """A plan's (or one task's) stored card history, oldest first, each step with the appeals filed
    against that card (decision and trail).  Only reads; nothing is recomputed.

    An appeal is linked to the latest step that set the card it names on or before the day it was
    filed (else the first step that set it), and the step that withdrew it names it in ``appeal_id``.

    >>> card_history(Store("sqlite://"), None)   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tasks.store.repo.StoreError: ...
    """
    raw = raw_store(store)
    with raw.session() as s:
        pid = raw._plan_id(s, plan)
        key = str(s.scalar(select(PlanRow.key).where(PlanRow.id == pid)))
        q = (
            select(CardHistoryRow, TaskRow.task_id)
            .join(TaskRow, TaskRow.id == CardHistoryRow.task_pk)
            .where(CardHistoryRow.plan_id == pid)
        )
        if task is not None:
            q = q.where(TaskRow.task_id == str(task))
        rows = s.execute(q.order_by(CardHistoryRow.checked_on, CardHistoryRow.id)).all()
    if not rows:
        return []
    evs = events(raw, key, task)
    appeals = _appeals_of(evs)
    by_task: dict[str, list[tuple[Any, str]]] = {}
    for r, tid in rows:
        by_task.setdefault(tid, []).append((r, tid))
    linked: dict[int, list[AppealLink]] = {}
    evs_task = {e.id: e.task for e in evs if e.kind == APPEAL}
    for a in appeals.values():
        steps = [r for r, _t in by_task.get(evs_task.get(a.id, ""), []) if r.level == a.card]
        if not steps:
            continue
        before = [r for r in steps if r.checked_on <= a.filed_at.date()]
        target = (before or steps)[-1 if before else 0]
        linked.setdefault(target.id, []).append(a)
    out = []
    for r, tid in rows:
        links = linked.get(r.id, [])
        if r.appeal_id is not None and r.appeal_id in appeals and all(a.id != r.appeal_id for a in links):
            links = [*links, appeals[r.appeal_id]]
        out.append(
            CardRecord(
                r.id,
                key,
                tid,
                r.check_key,
                r.period,
                r.checked_on,
                r.kind,
                r.level,
                r.level_name,
                r.previous,
                r.previous_name,
                r.rule,
                r.reason,
                tuple(sorted((r.data or {}).items())),
                r.appeal_id,
                r.recorded_at,
                r.actor,
                tuple(links),
            )
        )
    return out


def history_table(records: Sequence[CardRecord]) -> list[dict[str, str]]:
    """Rows for a page's table of a task's card history (Chinese headers, no empty values shown).

    >>> r = CardRecord(1, "p", "4", "period:2021-09", "2021-09", date(2021, 10, 6), CHANGED, "red", "红牌",
    ...                "yellow", "黄牌", "red: missed_reports >= 2", "连续2期未报送", (), None,
    ...                datetime(2021, 10, 6, 9), "ban")
    >>> history_table([r])[0]["变化"], history_table([r])[0]["申诉"]
    ('黄牌 → 红牌', '—')
    """
    out = []
    for r in records:
        change = {
            ISSUED: f"发出{r.level_name}",
            CHANGED: f"{r.previous_name} → {r.level_name}",
            CLOSED_CARD: f"{r.previous_name}消除",
            WITHDRAWN: f"{r.previous_name}经申诉撤销",
        }.get(r.kind, r.kind)
        appeals = ";".join(
            f"{a.unit}申诉({a.filed_at:%Y-%m-%d}):{a.reason} → {a.decision_label}" + (f"({a.note})" if a.note else "")
            for a in r.appeals
        )
        out.append(
            {
                "日期": r.checked_on.isoformat(),
                "检查": f"{r.period}报告期" if r.period else "申诉处理",
                "变化": change,
                "原因": r.reason or "—",
                "规则": r.rule or "—",
                "申诉": appeals or "—",
            }
        )
    return out
