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
    """Mixed into :class:`~tasks.accounts.GuardedStore` (which sets ``_store`` and ``account``).

    The examples use the doctest ``office`` and ``unit`` guarded stores (see
    :class:`~tasks.accounts.GuardedStore`).
    """

    _store: Store
    account: Account

    if TYPE_CHECKING:  # provided by GuardedStore (tasks/accounts/guarded.py)

        def _scope(self) -> frozenset[str] | None: ...

        def _scope_words(self, scope: frozenset[str]) -> str: ...

    def _plan(self, plan: str | None, what: str = "查看或办理", *, unit: str | None = None) -> str | None:
        """The plan a region-scoped account may use (:meth:`GuardedStore._plan <tasks.accounts.GuardedStore>`
        checks it; without a region scope the plan unchanged)."""
        return plan

    @property
    def actor(self) -> str:
        """The acting account's name."""
        return self.account.name

    # -- the regions an office sends for --------------------------------------------------------------------
    def notify_regions(self) -> frozenset[str] | None:
        """The regions whose contacts and messages the account handles (None: every region, the province).

        Returns
        -------
        frozenset of str or None
            A scoped account's regions (a city's include its counties); None for an unscoped one.

        Examples
        --------
        >>> office.notify_regions() is None
        True
        """
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
        no region — the provincial office's only).

        Returns
        -------
        list of str
            The regions, the account's own first.

        Raises
        ------
        PermissionDenied
            For accounts that may not keep contacts.

        Examples
        --------
        >>> office.contact_regions()
        ['']
        """
        require(self.account, "manage_contacts")
        mine = self.notify_regions()
        if mine is None:
            from ..regions import regions

            return ["", *(r.name for r in regions(self._store))]
        own = self.account.region or ""
        return [own, *sorted(mine - {own})]

    def contact_units(self, region: str | None = None) -> list[str]:
        """The units a contact of ``region`` may name (its plans' units; the province's: every unit).

        Parameters
        ----------
        region : str, optional
            The region (as for :meth:`save_contact`).

        Returns
        -------
        list of str
            The unit names.

        Raises
        ------
        PermissionDenied
            For accounts that may not keep contacts, or a region outside a scoped office's.

        Examples
        --------
        >>> office.contact_units()
        ['市司法局', '市政务服务中心', '市财政局']
        """
        require(self.account, "manage_contacts")
        units = self._region_units(self._contact_region(region))
        return self._store.units() if units is None else units

    def notify_contacts(self) -> list[Contact]:
        """The contacts the account keeps: a scoped office its own regions', the province every region's.

        Returns
        -------
        list of Contact
            By unit, then region (:func:`tasks.notify.contacts`).

        Raises
        ------
        PermissionDenied
            For accounts that may not keep contacts (units, leaders, planners).

        Examples
        --------
        >>> from tasks.notify import Contact
        >>> _ = office.save_contact(Contact("市财政局", person="王敏", email="czj@example.cn"))
        >>> [(c.unit, c.person) for c in office.notify_contacts()]
        [('市财政局', '王敏')]
        >>> unit.notify_contacts()
        Traceback (most recent call last):
        ...
        tasks.accounts.roles.PermissionDenied: 责任单位账号“czj”无权维护单位联系人;如确需办理,请联系领导小组办公室
        """
        from ..notify import contacts

        require(self.account, "manage_contacts")
        return contacts(self._store, self.notify_regions())

    def save_contact(self, contact: Contact, *, keep_secret: bool = False, region: str | None = None) -> Contact:
        """Set a unit's contact, robot address included, for one region (offices; a scoped office: its own
        regions' units only).

        Parameters
        ----------
        contact : Contact
            The contact.
        keep_secret : bool, optional
            Keep the stored robot signing secret when ``contact`` has none (an edit form that does not
            show it).
        region : str, optional
            The region whose contact it is (default ``contact.region``; empty: a scoped office's own
            region, the province's own contacts for the provincial office).

        Returns
        -------
        Contact
            The contact as saved (:func:`tasks.notify.save_contact`).

        Raises
        ------
        PermissionDenied
            For accounts that may not keep contacts, or a region outside a scoped office's.
        NotifyError
            For a bad phone, mail or robot address, or a unit not in the region's task tables.

        Examples
        --------
        >>> from tasks.notify import Contact
        >>> office.save_contact(Contact("市财政局", person="王敏", phone="13800000000"))
        Contact(unit='市财政局', person='王敏', phone='13800000000', email='', webhook='', webhook_secret='', region='')
        """
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
        """Save the changed rows of one region's contact table (offices; a scoped office: its own regions).

        Parameters
        ----------
        edited : sequence of Contact
            The table's rows after editing.
        region : str, optional
            The region whose table it is (as for :meth:`save_contact`).

        Returns
        -------
        tuple of (int, list of str)
            How many contacts changed, and the problems of rows not saved (:func:`tasks.notify.apply_contact_edits`).

        Raises
        ------
        PermissionDenied
            For accounts that may not keep contacts, or a region outside a scoped office's.

        Examples
        --------
        >>> from tasks.notify import Contact
        >>> office.apply_contact_edits([Contact("市财政局", person="李华", email="czj@example.cn"),
        ...                             Contact("市司法局", email="sfj@example.cn")])
        (2, [])
        """
        from ..notify import apply_contact_edits

        require(self.account, "manage_contacts")
        where = self._contact_region(region)
        return apply_contact_edits(self._store, edited, self.actor, region=where, known_units=self._region_units(where))

    def delete_contact(self, unit: str, *, region: str | None = None) -> None:
        """Remove a unit's contact kept by one region (offices; a scoped office: its own regions).

        Parameters
        ----------
        unit : str
            The unit.
        region : str, optional
            The region whose contact it is (as for :meth:`save_contact`).

        Raises
        ------
        PermissionDenied
            For accounts that may not keep contacts, or a region outside a scoped office's.

        Examples
        --------
        >>> from tasks.notify import Contact
        >>> _ = office.save_contact(Contact("市司法局", email="sfj@example.cn"))
        >>> office.delete_contact("市司法局")
        >>> office.notify_contacts()
        []
        """
        from ..notify import delete_contact

        require(self.account, "manage_contacts")
        delete_contact(self._store, unit, self.actor, region=self._contact_region(region))

    def import_contacts(
        self, path: str | Path, *, name: str | None = None, save: bool = True, region: str | None = None
    ) -> ContactSheet:
        r"""Read a contact list (xlsx or csv) and, when it is clean and ``save``, store it as one region's
        contacts (offices; a scoped office: its own regions' units only).

        Parameters
        ----------
        path : str or Path
            The file.
        name : str, optional
            The file's name for messages (default: the path's name).
        save : bool, optional
            Store the contacts when the list has no problems (default True).
        region : str, optional
            The region whose contacts they become (as for :meth:`save_contact`).

        Returns
        -------
        ContactSheet
            The contacts or the problems (then nothing is stored).

        Raises
        ------
        PermissionDenied
            For accounts that may not keep contacts, or a region outside a scoped office's.

        Examples
        --------
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "联系人.csv"
        >>> _ = path.write_text("单位,联系人,手机,邮箱,群机器人地址\n市司法局,李强,13900000000,sfj@example.cn,\n",
        ...                     encoding="utf-8")
        >>> office.import_contacts(path).summary(), [c.unit for c in office.notify_contacts()]
        ('联系人.csv:1 个单位的联系方式', ['市司法局'])
        """
        from ..notify import import_contacts

        require(self.account, "manage_contacts")
        where = self._contact_region(region)
        return import_contacts(
            self._store, path, self.actor, name=name, save=save, region=where, known_units=self._region_units(where)
        )

    # -- templates and rules (the province's) ---------------------------------------------------------------
    def notify_templates(self) -> dict[str, Template]:
        """The message template of every reason (the provincial office).

        Returns
        -------
        dict of str to Template
            Reason → template (the stored one, else the default).

        Raises
        ------
        PermissionDenied
            For accounts other than the provincial office (templates and rules are the province's).

        Examples
        --------
        >>> sorted(office.notify_templates())
        ['card', 'deadline', 'extension', 'returned', 'sign', 'urge']
        >>> office.notify_templates()["urge"].subject
        '【催办】{单位} {报告期} 工作进展尚未报送'
        """
        from ..notify import templates

        require(self.account, "manage_notify")
        return templates(self._store)

    def save_template(self, reason: str, subject: str, body: str) -> Template:
        """Change the template of one reason (the provincial office).

        Parameters
        ----------
        reason : str
            A reason of :data:`tasks.notify.REASONS`.
        subject : str
            The subject, with ``{占位符}`` placeholders.
        body : str
            The text, with placeholders.

        Returns
        -------
        Template
            The template as saved.

        Raises
        ------
        PermissionDenied
            For accounts other than the provincial office (templates and rules are the province's).
        NotifyError
            For an unknown placeholder (the message lists the known ones).

        Examples
        --------
        >>> office.save_template("urge", "【催办】{单位} {报告期} 进展", "{联系人}您好:请于{报送期限}前报送。").subject
        '【催办】{单位} {报告期} 进展'
        """
        from ..notify import save_template

        require(self.account, "manage_notify")
        return save_template(self._store, reason, subject, body, self.actor)

    def reset_template(self, reason: str) -> Template:
        """Go back to the default template of one reason (the provincial office).

        Parameters
        ----------
        reason : str
            A reason of :data:`tasks.notify.REASONS`.

        Returns
        -------
        Template
            The default template.

        Raises
        ------
        PermissionDenied
            For accounts other than the provincial office (templates and rules are the province's).

        Examples
        --------
        >>> _ = office.save_template("urge", "催办", "请报送。")
        >>> office.reset_template("urge").subject
        '【催办】{单位} {报告期} 工作进展尚未报送'
        """
        from ..notify import reset_template

        require(self.account, "manage_notify")
        return reset_template(self._store, reason, self.actor)

    def notify_rules(self) -> NotifyRules:
        """The province's reminder rules (every office that sends reads them; the province changes them).

        Returns
        -------
        NotifyRules
            The stored rules, else the defaults.

        Raises
        ------
        PermissionDenied
            For accounts that may not view the outbox.

        Examples
        --------
        >>> r = office.notify_rules()
        >>> r.period, r.quiet_start, r.quiet_end
        ('week', '20:00', '08:00')
        """
        from ..notify import load_notify_rules

        require(self.account, "view_outbox")
        return load_notify_rules(self._store)

    def save_notify_rules(self, rules: NotifyRules | dict[str, Any]) -> NotifyRules:
        """Store the reminder rules (the provincial office).

        Parameters
        ----------
        rules : NotifyRules or dict
            The rules, or their fields as a form gives them (checked by :func:`tasks.notify.rules_from_dict`).

        Returns
        -------
        NotifyRules
            The rules as saved.

        Raises
        ------
        PermissionDenied
            For accounts other than the provincial office (templates and rules are the province's).
        NotifyError
            For a bad value.

        Examples
        --------
        >>> office.save_notify_rules({"period": "day"}).period, office.notify_rules().period
        ('day', 'day')
        """
        from ..notify import save_notify_rules

        require(self.account, "manage_notify")
        return save_notify_rules(self._store, rules, self.actor)

    # -- the outbox -------------------------------------------------------------------------------------------
    def outbox(self, *, status: str | None = None, unit: str | None = None, limit: int = 1000) -> list[Message]:
        """The messages in the outbox, newest first (accounts that may view it; a scoped office: its own
        regions' messages only).

        Parameters
        ----------
        status : str, optional
            Only messages in this state (``pending``, ``sent``, ``failed``, ``skipped``…).
        unit : str, optional
            Only this unit's.
        limit : int, optional
            At most this many (default 1000).

        Returns
        -------
        list of Message
            The messages.

        Raises
        ------
        PermissionDenied
            For accounts that may not view the outbox.

        Examples
        --------
        >>> from tasks.notify import Contact, TaskEvent
        >>> _ = office.save_contact(Contact("市财政局", email="czj@example.cn"))
        >>> _ = office.notify_events([TaskEvent("extension", "r7", "demo", "1", "市财政局", detail="同意延期至2022-03-31")],
        ...                          now=datetime(2021, 10, 8, 9, 0), channels=["mail"])
        >>> [(m.unit, m.reason, m.status) for m in office.outbox(status="pending")]
        [('市财政局', 'extension', 'pending')]
        """
        from ..notify import outbox

        require(self.account, "view_outbox")
        return outbox(self._store, status=status, unit=unit, limit=limit, regions=self.notify_regions())

    def run_notify(self, now: datetime | None = None, *, send: bool = False, **kwargs: Any) -> RunReport:
        """Plan (and with ``send``: queue and send) reminders; a preview needs ``view_outbox``, sending ``send_notify``.

        A scoped office's run plans, queues, re-checks and sends only its own regions' messages; other
        regions' outbox rows are not touched.

        Parameters
        ----------
        now : datetime, optional
            The moment to plan for (default: now).
        send : bool, optional
            Queue and send (default False: a preview that writes nothing).
        **kwargs
            ``channels``, ``rules``, ``mail``, ``deliver``… as :func:`tasks.notify.run_notify`.

        Returns
        -------
        RunReport
            What was planned, queued, sent, skipped or deferred.

        Raises
        ------
        PermissionDenied
            For accounts that may not view the outbox (a preview) or send.

        Examples
        --------
        >>> from tasks.notify import Contact
        >>> _ = office.save_contact(Contact("市司法局", person="李强", email="sfj@example.cn"))
        >>> preview = office.run_notify(datetime(2021, 10, 8, 9, 0), channels={"mail"})
        >>> preview.summary(), [(m.unit, m.reason) for m in preview.planned]
        ('预览(未写入、未发送);计划 1 条;1 个单位没有可用的联系方式', [('市司法局', 'urge')])
        >>> sent = []
        >>> office.run_notify(datetime(2021, 10, 8, 9, 0), send=True, channels={"mail"},
        ...                   deliver=lambda message, contact: sent.append(message.unit)).summary(), sent
        ('新加入发件箱 1 条;发送成功 1 条;1 个单位没有可用的联系方式', ['市司法局'])
        """
        from ..notify import run_notify

        require(self.account, "send_notify" if send else "view_outbox")
        kwargs.pop("regions", None)  # the scope is the account's, never the caller's
        return run_notify(self._store, now, send=send, actor=self.actor, regions=self.notify_regions(), **kwargs)

    def notify_events(
        self, events: Sequence[TaskEvent], *, now: datetime | None = None, channels: Iterable[str] | None = None
    ) -> list[Message]:
        """Queue lifecycle-event messages (office: the steps that notify units — loading tasks, deciding an
        extension, returning a claim — are the office's; a unit could otherwise message other units).
        A city's office queues them for its own regions' plans only (and sends them with :meth:`run_notify`).

        Parameters
        ----------
        events : sequence of TaskEvent
            The steps to tell units about.
        now : datetime, optional
            The moment (default: now).
        channels : iterable of str, optional
            The channels on (default: ``WORKBENCH_NOTIFY_CHANNELS``).

        Returns
        -------
        list of Message
            The messages queued.

        Raises
        ------
        PermissionDenied
            For accounts that may not send.

        Examples
        --------
        >>> from tasks.notify import Contact, TaskEvent
        >>> _ = office.save_contact(Contact("市财政局", email="czj@example.cn"))
        >>> event = TaskEvent("extension", "r7", "demo", "1", "市财政局", detail="同意延期至2022-03-31")
        >>> [(m.unit, m.reason, m.channel) for m in office.notify_events([event], now=datetime(2021, 10, 8, 9, 0),
        ...                                                                 channels=["mail"])]
        [('市财政局', 'extension', 'mail')]
        """
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
        """Send failed messages again (accounts that may send).

        Parameters
        ----------
        ids : sequence of int
            The messages' ids.

        Returns
        -------
        list of int
            The ids set back to pending.

        Raises
        ------
        PermissionDenied
            For accounts that may not send.
        NotifyError
            For an unknown id or a message that did not fail.

        Examples
        --------
        >>> office.retry_messages([1])
        Traceback (most recent call last):
        ...
        tasks.notify.model.NotifyError: 发件箱中没有编号为 1 的消息
        """
        from ..notify import retry_messages

        require(self.account, "send_notify")
        self._own_messages(ids, "重试")
        return retry_messages(self._store, ids, self.actor)

    def cancel_messages(self, ids: Sequence[int]) -> list[int]:
        """Failed or pending messages are not sent (status ``skipped``; accounts that may send).

        Parameters
        ----------
        ids : sequence of int
            The messages' ids.

        Returns
        -------
        list of int
            The ids withdrawn (now ``skipped``).

        Raises
        ------
        PermissionDenied
            For accounts that may not send.
        NotifyError
            For an unknown id.

        Examples
        --------
        >>> from tasks.notify import Contact, TaskEvent
        >>> _ = office.save_contact(Contact("市财政局", email="czj@example.cn"))
        >>> [m] = office.notify_events([TaskEvent("extension", "r7", "demo", "1", "市财政局")],
        ...                            now=datetime(2021, 10, 8, 9, 0), channels=["mail"])
        >>> office.cancel_messages([m.id]), office.outbox()[0].status
        ([1], 'skipped')
        """
        from ..notify import cancel_messages

        require(self.account, "send_notify")
        self._own_messages(ids, "取消")
        return cancel_messages(self._store, ids, self.actor)

    def export_send_list(self, fmt: str = "xlsx") -> tuple[bytes, int]:
        """The pending SMS messages as a send list (单位, 联系人, 手机, 短信内容), marked sent (handed over to
        the SMS system); accounts that may send.

        Parameters
        ----------
        fmt : str, optional
            ``xlsx`` (default) or ``csv``.

        Returns
        -------
        tuple of (bytes, int)
            The file and how many messages it lists (:func:`tasks.notify.export_send_list`).

        Raises
        ------
        PermissionDenied
            For accounts that may not send.

        Examples
        --------
        >>> data, n = office.export_send_list()
        >>> data[:2], n
        (b'PK', 0)
        """
        from ..notify import export_send_list

        require(self.account, "send_notify")
        return export_send_list(self._store, self.actor, fmt=fmt, regions=self.notify_regions())
