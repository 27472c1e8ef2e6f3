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
    """Mixed into :class:`~tasks.accounts.GuardedStore` (which sets ``_store`` and ``account``).

    The examples use the doctest ``office`` and ``unit`` guarded stores (see
    :class:`~tasks.accounts.GuardedStore`).
    """

    _store: Store
    account: Account

    def _plan(self, plan: str | None, what: str = "查看或办理", *, unit: str | None = None) -> str | None:
        """The plan a region-scoped account may use (:meth:`GuardedStore._plan <tasks.accounts.GuardedStore>`
        checks it; without a region scope the plan unchanged)."""
        return plan

    @property
    def actor(self) -> str:
        """The acting account's name."""
        return self.account.name

    # -- contacts ------------------------------------------------------------------------------------------
    def notify_contacts(self) -> list[Contact]:
        """Every unit's contact (office only).

        Returns
        -------
        list of Contact
            By unit (:func:`tasks.notify.contacts`).

        Raises
        ------
        PermissionDenied
            For accounts that may not manage reminders.

        Examples
        --------
        >>> from tasks.notify import Contact
        >>> _ = office.save_contact(Contact("市财政局", person="王敏", email="czj@example.cn"))
        >>> [(c.unit, c.person) for c in office.notify_contacts()]
        [('市财政局', '王敏')]
        >>> unit.notify_contacts()
        Traceback (most recent call last):
        ...
        tasks.accounts.roles.PermissionDenied: 责任单位账号“czj”无权维护联系人、通知模板与提醒规则;如确需办理,请联系领导小组办公室
        """
        from ..notify import contacts

        require(self.account, "manage_notify")
        return contacts(self._store)

    def save_contact(self, contact: Contact, *, keep_secret: bool = False) -> Contact:
        """Set a unit's contact, robot address included (office only).

        Parameters
        ----------
        contact : Contact
            The contact.
        keep_secret : bool, optional
            Keep the stored robot signing secret when ``contact`` has none (an edit form that does not
            show it).

        Returns
        -------
        Contact
            The contact as saved (:func:`tasks.notify.save_contact`).

        Raises
        ------
        PermissionDenied
            For accounts that may not manage reminders.
        NotifyError
            For a bad phone, mail or robot address.

        Examples
        --------
        >>> from tasks.notify import Contact
        >>> office.save_contact(Contact("市财政局", person="王敏", phone="13800000000"))
        Contact(unit='市财政局', person='王敏', phone='13800000000', email='', webhook='', webhook_secret='')
        """
        from ..notify import save_contact

        require(self.account, "manage_notify")
        return save_contact(self._store, contact, self.actor, keep_secret=keep_secret)

    def apply_contact_edits(self, edited: Sequence[Contact]) -> tuple[int, list[str]]:
        """Save the changed rows of the contact table (office only).

        Parameters
        ----------
        edited : sequence of Contact
            The table's rows after editing.

        Returns
        -------
        tuple of (int, list of str)
            How many contacts changed, and the problems of rows not saved (:func:`tasks.notify.apply_contact_edits`).

        Raises
        ------
        PermissionDenied
            For accounts that may not manage reminders.

        Examples
        --------
        >>> from tasks.notify import Contact
        >>> office.apply_contact_edits([Contact("市财政局", person="李华", email="czj@example.cn"),
        ...                             Contact("市司法局", email="sfj@example.cn")])
        (2, [])
        """
        from ..notify import apply_contact_edits

        require(self.account, "manage_notify")
        return apply_contact_edits(self._store, edited, self.actor)

    def delete_contact(self, unit: str) -> None:
        """Remove a unit's contact (office only).

        Parameters
        ----------
        unit : str
            The unit.

        Raises
        ------
        PermissionDenied
            For accounts that may not manage reminders.

        Examples
        --------
        >>> from tasks.notify import Contact
        >>> _ = office.save_contact(Contact("市司法局", email="sfj@example.cn"))
        >>> office.delete_contact("市司法局")
        >>> office.notify_contacts()
        []
        """
        from ..notify import delete_contact

        require(self.account, "manage_notify")
        delete_contact(self._store, unit, self.actor)

    def import_contacts(self, path: str | Path, *, name: str | None = None, save: bool = True) -> ContactSheet:
        r"""Read a contact list (xlsx or csv) and, when it is clean and ``save``, store it (office only).

        Parameters
        ----------
        path : str or Path
            The file.
        name : str, optional
            The file's name for messages (default: the path's name).
        save : bool, optional
            Store the contacts when the list has no problems (default True).

        Returns
        -------
        ContactSheet
            The contacts or the problems (then nothing is stored).

        Raises
        ------
        PermissionDenied
            For accounts that may not manage reminders.

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

        require(self.account, "manage_notify")
        return import_contacts(self._store, path, self.actor, name=name, save=save)

    # -- templates and rules ----------------------------------------------------------------------------------
    def notify_templates(self) -> dict[str, Template]:
        """The message template of every reason (office only).

        Returns
        -------
        dict of str to Template
            Reason → template (the stored one, else the default).

        Raises
        ------
        PermissionDenied
            For accounts that may not manage reminders.

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
        """Change the template of one reason (office only).

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
            For accounts that may not manage reminders.
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
        """Go back to the default template of one reason (office only).

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
            For accounts that may not manage reminders.

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
        """The reminder rules (office only).

        Returns
        -------
        NotifyRules
            The stored rules, else the defaults.

        Raises
        ------
        PermissionDenied
            For accounts that may not manage reminders.

        Examples
        --------
        >>> r = office.notify_rules()
        >>> r.period, r.quiet_start, r.quiet_end
        ('week', '20:00', '08:00')
        """
        from ..notify import load_notify_rules

        require(self.account, "manage_notify")
        return load_notify_rules(self._store)

    def save_notify_rules(self, rules: NotifyRules | dict[str, Any]) -> NotifyRules:
        """Store the reminder rules (office only).

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
            For accounts that may not manage reminders.
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
        """The messages in the outbox, newest first (accounts that may view it).

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
        return outbox(self._store, status=status, unit=unit, limit=limit)

    def run_notify(self, now: datetime | None = None, *, send: bool = False, **kwargs: Any) -> RunReport:
        """Plan (and with ``send``: queue and send) reminders; a preview needs ``view_outbox``, sending ``send_notify``.

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
        return run_notify(self._store, now, send=send, actor=self.actor, **kwargs)

    def notify_events(
        self, events: Sequence[TaskEvent], *, now: datetime | None = None, channels: Iterable[str] | None = None
    ) -> list[Message]:
        """Queue lifecycle-event messages (office: the steps that notify units — loading tasks, deciding an
        extension, returning a claim — are the office's; a unit could otherwise message other units).
        A city's office queues them for its own regions' plans only (sending stays with the province).

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
        return export_send_list(self._store, self.actor, fmt=fmt)
