"""The reminder calls of :class:`tasks.accounts.GuardedStore`: contacts, templates, rules, sending — office only.

Units and leaders may not read or change contacts (phone numbers, robot addresses), templates or
rules, nor send: every method checks the role first, in the library, whatever a page shows.

>>> from tasks.store import Store
>>> from tasks.accounts import Account, GuardedStore
>>> g = GuardedStore(Store("sqlite://"), Account("ld", "leader"))
>>> g.notify_contacts()
Traceback (most recent call last):
tasks.accounts.roles.PermissionDenied: 领导(只读)账号“ld”无权维护联系人、通知模板与提醒规则;如确需办理,请联系领导小组办公室
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .roles import Account, require

if TYPE_CHECKING:
    from ..notify import Contact, ContactSheet, Message, NotifyRules, RunReport, TaskEvent, Template
    from ..store import Store

__all__ = ["NotifyMethods"]


class NotifyMethods:
    """Mixed into :class:`~tasks.accounts.GuardedStore` (which sets ``_store`` and ``account``)."""

    _store: Store
    account: Account

    def _plan(self, plan: str | None, what: str = "查看或办理", *, unit: str | None = None) -> str | None:
        """The plan a region-scoped account may use (:meth:`GuardedStore._plan <tasks.accounts.GuardedStore>`
        checks it; without a region scope the plan unchanged)."""
        return plan

    @property
    def actor(self) -> str:
        return self.account.name

    # -- contacts ------------------------------------------------------------------------------------------
    def notify_contacts(self) -> list[Contact]:
        from ..notify import contacts

        require(self.account, "manage_notify")
        return contacts(self._store)

    def save_contact(self, contact: Contact, *, keep_secret: bool = False) -> Contact:
        """Set a unit's contact, robot address included (office only)."""
        from ..notify import save_contact

        require(self.account, "manage_notify")
        return save_contact(self._store, contact, self.actor, keep_secret=keep_secret)

    def apply_contact_edits(self, edited: Sequence[Contact]) -> tuple[int, list[str]]:
        """Save the changed rows of the contact table (office only)."""
        from ..notify import apply_contact_edits

        require(self.account, "manage_notify")
        return apply_contact_edits(self._store, edited, self.actor)

    def delete_contact(self, unit: str) -> None:
        from ..notify import delete_contact

        require(self.account, "manage_notify")
        delete_contact(self._store, unit, self.actor)

    def import_contacts(self, path: str | Path, *, name: str | None = None, save: bool = True) -> ContactSheet:
        from ..notify import import_contacts

        require(self.account, "manage_notify")
        return import_contacts(self._store, path, self.actor, name=name, save=save)

    # -- templates and rules ----------------------------------------------------------------------------------
    def notify_templates(self) -> dict[str, Template]:
        from ..notify import templates

        require(self.account, "manage_notify")
        return templates(self._store)

    def save_template(self, reason: str, subject: str, body: str) -> Template:
        from ..notify import save_template

        require(self.account, "manage_notify")
        return save_template(self._store, reason, subject, body, self.actor)

    def reset_template(self, reason: str) -> Template:
        from ..notify import reset_template

        require(self.account, "manage_notify")
        return reset_template(self._store, reason, self.actor)

    def notify_rules(self) -> NotifyRules:
        from ..notify import load_notify_rules

        require(self.account, "manage_notify")
        return load_notify_rules(self._store)

    def save_notify_rules(self, rules: NotifyRules | dict[str, Any]) -> NotifyRules:
        from ..notify import save_notify_rules

        require(self.account, "manage_notify")
        return save_notify_rules(self._store, rules, self.actor)

    # -- the outbox -------------------------------------------------------------------------------------------
    def outbox(self, *, status: str | None = None, unit: str | None = None, limit: int = 1000) -> list[Message]:
        from ..notify import outbox

        require(self.account, "view_outbox")
        return outbox(self._store, status=status, unit=unit, limit=limit)

    def run_notify(self, now: datetime | None = None, *, send: bool = False, **kwargs: Any) -> RunReport:
        """Plan (and with ``send``: queue and send) reminders; a preview needs ``view_outbox``, sending ``send_notify``."""
        from ..notify import run_notify

        require(self.account, "send_notify" if send else "view_outbox")
        return run_notify(self._store, now, send=send, actor=self.actor, **kwargs)

    def notify_events(
        self, events: Sequence[TaskEvent], *, now: datetime | None = None, channels: Iterable[str] | None = None
    ) -> list[Message]:
        """Queue lifecycle-event messages (office: the steps that notify units — loading tasks, deciding an
        extension, returning a claim — are the office's; a unit could otherwise message other units).
        A city's office queues them for its own regions' plans only (sending stays with the province)."""
        import dataclasses

        from ..notify import notify_events

        if self.account.region:  # a city's office: messages on its own regions' tasks only
            require(dataclasses.replace(self.account, region=None), "send_notify")
            for plan in sorted({e.plan for e in events}):
                self._plan(plan, "发送通知")
        else:
            require(self.account, "send_notify")
        return notify_events(self._store, events, self.actor, now=now, channels=channels)

    def retry_messages(self, ids: Sequence[int]) -> list[int]:
        from ..notify import retry_messages

        require(self.account, "send_notify")
        return retry_messages(self._store, ids, self.actor)

    def cancel_messages(self, ids: Sequence[int]) -> list[int]:
        from ..notify import cancel_messages

        require(self.account, "send_notify")
        return cancel_messages(self._store, ids, self.actor)

    def export_send_list(self, fmt: str = "xlsx") -> tuple[bytes, int]:
        from ..notify import export_send_list

        require(self.account, "send_notify")
        return export_send_list(self._store, self.actor, fmt=fmt)
