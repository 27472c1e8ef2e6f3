"""Who may read and record the card history (红黄牌履历) — checked in the library, whatever a page shows.

- the office reads every plan's history and records it (on demand; a period close records it too);
- planners and leaders read every plan's history;
- a unit reads the history of its own tasks only, and cannot record it.

:func:`guarded_card_history` and :func:`guarded_record_card_history` take a
:class:`tasks.accounts.GuardedStore` (checked as its account) or a plain store (trusted: the
server's own code).  :class:`CardHistoryMethods` offers them as methods; it is meant to be mixed
into ``GuardedStore`` (``class GuardedStore(NotifyMethods, CardHistoryMethods)``).

>>> from tasks.store import Store
>>> from tasks.accounts import Account, GuardedStore
>>> g = GuardedStore(Store("sqlite://"), Account("ld", "leader"))
>>> guarded_record_card_history(g, None)
Traceback (most recent call last):
tasks.accounts.roles.PermissionDenied: 领导(只读)账号“ld”无权关闭报告期;如确需办理,请联系领导小组办公室
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from ..store.protocol import raw_store
from .card_history import CardRecord, card_history, record_card_history

if TYPE_CHECKING:
    from ..store import Store
    from .rules import Rules

__all__ = ["CardHistoryMethods", "guarded_card_history", "guarded_record_card_history", "may_record"]


def _account(store: Any) -> Any:
    return getattr(store, "account", None) if hasattr(store, "_store") else None


def may_record(store: Any) -> bool:
    """Whether ``store``'s account may record the card history (the office, or a plain store)."""
    from ..accounts.roles import allowed

    account = _account(store)
    return account is None or allowed(account, "close_period")


def guarded_card_history(store: Any, plan: str | None, task: str | None = None) -> list[CardRecord]:
    """:func:`tasks.progress.card_history.card_history`, narrowed to a unit account's own tasks."""
    from ..accounts.roles import UNIT, PermissionDenied, require

    account = _account(store)
    raw = raw_store(store)
    if account is None:
        return card_history(raw, plan, task)
    if account.role != UNIT:
        require(account, "read_all")
        return card_history(raw, plan, task)
    require(account, "view_tasks", account.unit)
    key = raw.plan_key(plan, unit=account.unit)
    own = {t.id for t in raw.tasks(key, include_archived=True, unit=account.unit)}
    if task is not None and str(task) not in own:
        raise PermissionDenied(
            f"单位账号“{account.name}”只能查看本单位“{account.unit}”任务的预警牌履历,"
            f"计划“{key}”任务 {task} 不是本单位牵头或参与的任务"
        )
    return [r for r in card_history(raw, key, task) if r.task in own]


def guarded_record_card_history(
    store: Any, plan: str | None, *, as_of: date | None = None, rules: Rules | None = None
) -> list[CardRecord]:
    """:func:`tasks.progress.card_history.record_card_history` as the office (others are refused)."""
    from ..accounts.roles import require

    account = _account(store)
    raw = raw_store(store)
    if account is None:
        return record_card_history(raw, plan, actor="system", as_of=as_of, rules=rules)
    require(account, "close_period")
    return record_card_history(raw, plan, actor=account.name, as_of=as_of, rules=rules)


class CardHistoryMethods:
    """Card-history calls of :class:`~tasks.accounts.GuardedStore` (which sets ``_store`` and ``account``)."""

    _store: Store

    def card_history(self, plan: str | None, task: str | None = None) -> list[CardRecord]:
        return guarded_card_history(self, plan, task)

    def record_card_history(
        self, plan: str | None, *, as_of: date | None = None, rules: Rules | None = None
    ) -> list[CardRecord]:
        return guarded_record_card_history(self, plan, as_of=as_of, rules=rules)
