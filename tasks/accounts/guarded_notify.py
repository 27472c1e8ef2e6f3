"""The reminder calls of :class:`tasks.accounts.GuardedStore`: contacts, templates, rules, sending — offices only.

Units and leaders may not read or change contacts (phone numbers, robot addresses), templates or
rules, nor send: every method checks the role first, in the library, whatever a page shows.

An office limited to a city (or county) keeps the contacts of its own regions' units and sees,
queues, sends, retries and cancels only its own regions' messages (a message belongs to the region
of the plan it is about); templates and rules stay the province's.  The provincial office sees and
sends everything.  Every refusal is raised before anything is written.

>>> from tasks.store import Store
>>> from tasks.accounts import Account, GuardedStore
>>> g = GuardedStore(Store("sqlite://"), Account("ld", "leader"))
>>> g.notify_contacts()
Traceback (most recent call last):
tasks.accounts.roles.PermissionDenied: 领导(只读)账号“ld”无权维护单位联系人;如确需办理,请联系领导小组办公室
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .roles import Account, PermissionDenied, require

if TYPE_CHECKING:
    from ..notify import Contact, ContactSheet, Message, NotifyRules, RunReport, TaskEvent, Template
    from ..store import Store

__all__ = ["NotifyMethods"]


class NotifyMethods:
    """Mixed into :class:`~tasks.accounts.GuardedStore` (which sets ``_store`` and ``account``)."""

    _store: Store
    account: Account

    if TYPE_CHECKING:  # provided by GuardedStore (tasks/accounts/guarded.py)

        def _scope(self) -> frozenset[str] | None: ...

        def _scope_words(self, scope: frozenset[str]) -> str: ...

        def _plan(self, plan: str | None, what: str = ..., *, unit: str | None = None) -> str | None: ...

    @property
    def actor(self) -> str:
        return self.account.name

    # -- the regions an office sends for --------------------------------------------------------------------
    def notify_regions(self) -> frozenset[str] | None:
        """The regions whose contacts and messages the account handles (None: every region, the province)."""
        if not self.account.region:
            return None
        return frozenset(self._scope() or ())

    def _contact_region(self, region: str | None) -> str:
        """The region a contact is kept for: a scoped office's own by default, and only one of its regions;
        the province's contacts (``""``) by default for the provincial office, or any registered region."""
        from ..regions import DEFAULT_REGION, PROVINCE, scope_of

        region = (region or "").strip()
        if region in (DEFAULT_REGION, PROVINCE):
            region = ""
        mine = self.notify_regions()
        if mine is None:
            if region:
                scope_of(self._store, region)  # registered? (names the known regions if not)
            return region
        if not region:
            return self.account.region or ""
        if region not in mine:
            raise PermissionDenied(
                f"{self.account.region}的账号“{self.account.name}”只能维护"
                f"{self._scope_words(mine)}单位的联系人,不能维护{region}的"
            )
        return region

    def _region_units(self, region: str) -> list[str] | None:
        """The units a contact of ``region`` may name: those of the region's plans (a city's include its
        counties'); None (every unit of the task tables) for the province's own contacts."""
        if not region:
            return None
        from ..regions import plan_regions, scope_of
        from ..units import is_collective

        seen = scope_of(self._store, region)
        keys = [k for k, r in plan_regions(self._store, archived=False).items() if r in seen]
        return sorted({u for k in keys for t in self._store.tasks(k) for u in t.units if not is_collective(u)})

    # -- contacts ------------------------------------------------------------------------------------------
    def contact_regions(self) -> list[str]:
        """The regions whose contacts the account keeps, its own first (``""``: the province's, for plans of
        no region — the provincial office's only)."""
        require(self.account, "manage_contacts")
        mine = self.notify_regions()
        if mine is None:
            from ..regions import regions

            return ["", *(r.name for r in regions(self._store))]
        own = self.account.region or ""
        return [own, *sorted(mine - {own})]

    def contact_units(self, region: str | None = None) -> list[str]:
        """The units a contact of ``region`` may name (its plans' units; the province's: every unit)."""
        require(self.account, "manage_contacts")
        units = self._region_units(self._contact_region(region))
        return self._store.units() if units is None else units

    def notify_contacts(self) -> list[Contact]:
        """The contacts the account keeps (a scoped office: its regions'; the province: all)."""
        from ..notify import contacts

        require(self.account, "manage_contacts")
        return contacts(self._store, self.notify_regions())

    def save_contact(self, contact: Contact, *, keep_secret: bool = False, region: str | None = None) -> Contact:
        """Set a unit's contact, robot address included, for one region (offices; a scoped office: its
        own regions' units only)."""
        import dataclasses

        from ..notify import save_contact

        require(self.account, "manage_contacts")
        where = self._contact_region(region if region is not None else contact.region)
        return save_contact(
            self._store,
            dataclasses.replace(contact, region=where),
            self.actor,
            keep_secret=keep_secret,
            known_units=self._region_units(where),
        )

    def apply_contact_edits(self, edited: Sequence[Contact], *, region: str | None = None) -> tuple[int, list[str]]:
        """Save the changed rows of one region's contact table (offices; a scoped office: its own regions)."""
        from ..notify import apply_contact_edits

        require(self.account, "manage_contacts")
        where = self._contact_region(region)
        return apply_contact_edits(
            self._store, edited, self.actor, region=where, known_units=self._region_units(where)
        )

    def delete_contact(self, unit: str, *, region: str | None = None) -> None:
        from ..notify import delete_contact

        require(self.account, "manage_contacts")
        delete_contact(self._store, unit, self.actor, region=self._contact_region(region))

    def import_contacts(
        self, path: str | Path, *, name: str | None = None, save: bool = True, region: str | None = None
    ) -> ContactSheet:
        """Read a contact list into one region's contacts (a scoped office: its own regions' units only)."""
        from ..notify import import_contacts

        require(self.account, "manage_contacts")
        where = self._contact_region(region)
        return import_contacts(
            self._store, path, self.actor, name=name, save=save, region=where, known_units=self._region_units(where)
        )

    # -- templates and rules (the province's) ---------------------------------------------------------------
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
        """The province's reminder rules: read by every office that sends (changed by the province only)."""
        from ..notify import load_notify_rules

        require(self.account, "view_outbox")
        return load_notify_rules(self._store)

    def save_notify_rules(self, rules: NotifyRules | dict[str, Any]) -> NotifyRules:
        from ..notify import save_notify_rules

        require(self.account, "manage_notify")
        return save_notify_rules(self._store, rules, self.actor)

    # -- the outbox -------------------------------------------------------------------------------------------
    def outbox(self, *, status: str | None = None, unit: str | None = None, limit: int = 1000) -> list[Message]:
        """Messages, newest first (a scoped office: its own regions')."""
        from ..notify import outbox

        require(self.account, "view_outbox")
        return outbox(self._store, status=status, unit=unit, limit=limit, regions=self.notify_regions())

    def run_notify(self, now: datetime | None = None, *, send: bool = False, **kwargs: Any) -> RunReport:
        """Plan (and with ``send``: queue and send) reminders; a preview needs ``view_outbox``, sending
        ``send_notify``.  A scoped office's run plans, queues, re-checks and sends only its own regions'
        messages; other regions' rows are not touched."""
        from ..notify import run_notify

        require(self.account, "send_notify" if send else "view_outbox")
        kwargs.pop("regions", None)  # the scope is the account's, never the caller's
        return run_notify(self._store, now, send=send, actor=self.actor, regions=self.notify_regions(), **kwargs)

    def notify_events(
        self, events: Sequence[TaskEvent], *, now: datetime | None = None, channels: Iterable[str] | None = None
    ) -> list[Message]:
        """Queue lifecycle-event messages (office: the steps that notify units — loading tasks, deciding an
        extension, returning a claim — are the office's; a unit could otherwise message other units).
        A city's office queues them for its own regions' plans only."""
        from ..notify import notify_events

        require(self.account, "send_notify")
        if self.account.region:  # a city's office: messages on its own regions' tasks only
            for plan in sorted({e.plan for e in events}):
                self._plan(plan, "发送通知")
        return notify_events(self._store, events, self.actor, now=now, channels=channels)

    def _own_messages(self, ids: Sequence[int], what: str) -> None:
        """Refuse (before anything changes) when a scoped office names another region's message."""
        mine = self.notify_regions()
        if mine is None:
            return
        from ..notify import message_regions

        theirs = sorted(i for i, r in message_regions(self._store, ids).items() if r not in mine)
        if theirs:
            raise PermissionDenied(
                f"{self.account.region}的账号“{self.account.name}”不能{what}消息 {'、'.join(map(str, theirs))}:"
                f"只能{what}{self._scope_words(mine)}的消息"
            )

    def retry_messages(self, ids: Sequence[int]) -> list[int]:
        from ..notify import retry_messages

        require(self.account, "send_notify")
        self._own_messages(ids, "重试")
        return retry_messages(self._store, ids, self.actor)

    def cancel_messages(self, ids: Sequence[int]) -> list[int]:
        from ..notify import cancel_messages

        require(self.account, "send_notify")
        self._own_messages(ids, "取消")
        return cancel_messages(self._store, ids, self.actor)

    def export_send_list(self, fmt: str = "xlsx") -> tuple[bytes, int]:
        """The pending SMS messages as a send list (a scoped office: its own regions')."""
        from ..notify import export_send_list

        require(self.account, "send_notify")
        return export_send_list(self._store, self.actor, fmt=fmt, regions=self.notify_regions())
