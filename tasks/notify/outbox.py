"""The outbox in the store: contacts, templates and rules kept per database; planning, queueing and sending.

Every function takes the raw :class:`tasks.store.Store` (the guarded store's methods call them for
the office) and an ``actor`` for each change, which is audited.  Time is passed in (``now``), so
quiet hours, daily caps and retry backoff are tested with a fake clock.

The cycle :func:`run_notify` does what ``python -m tasks notify --send`` does:

1. plan what the rules want now: 催办 for units that have not reported for the latest period whose
   cut-off has passed, deadline reminders for unfinished tasks due within ``days_ahead`` days — one
   message per unit, reason, channel and rule period (the message key), for enabled channels only;
2. queue the new ones (a key already in the outbox is never queued again);
3. skip pending messages the rules no longer want (the unit has reported, the task is done or
   closed, the reason was turned off, a newer period's reminder replaced it);
4. send what is due, outside quiet hours, within the daily caps; a failure is retried with
   backoff, then marked failed with its error; one failing unit does not stop the others.

>>> from tasks.store import Store
>>> store = Store("sqlite://")
>>> run_notify(store, datetime(2021, 10, 8, 9, 0), send=True, channels=frozenset()).summary()
'未开启任何发送通道(WORKBENCH_NOTIFY_CHANNELS),只预览不发送;计划 0 条'
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..store import Store
from ..store.schema_notify import ContactRow, OutboxRow, SettingRow, TemplateRow
from ..units import is_collective
from .channels import (
    ChannelError,
    MailSettings,
    enabled_channels,
    mail_settings,
    post_webhook,
    robot_payload,
    send_list_bytes,
    send_mail,
)
from .contacts import ContactSheet, check_contact, is_mobile, read_contacts, split_emails
from .model import (
    CHANNEL_NAMES,
    REASONS,
    SCHEDULED,
    Contact,
    Message,
    NotifyError,
    NotifyRules,
    TaskEvent,
    rules_from_dict,
)
from .templates import DEFAULT_TEMPLATES, Template, check_template, render

__all__ = [
    "contacts",
    "contact",
    "save_contact",
    "delete_contact",
    "apply_contact_edits",
    "import_contacts",
    "templates",
    "save_template",
    "reset_template",
    "load_notify_rules",
    "save_notify_rules",
    "plan_scheduled",
    "plan_events",
    "queue_messages",
    "notify_events",
    "send_due",
    "run_notify",
    "outbox",
    "retry_messages",
    "cancel_messages",
    "export_send_list",
    "contact_book",
    "message_regions",
    "plan_regions_of",
    "RunReport",
    "SendReport",
    "STALE_SENDING",
]

log = logging.getLogger("workbench.notify")

#: a message left "sending" longer than this (the process died mid-send) is marked failed, never resent blindly
STALE_SENDING = timedelta(minutes=15)
_RULES_KEY = "rules"
_ROBOTS = ("dingtalk", "wecom", "webhook")


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


# -- contacts ---------------------------------------------------------------------------------------------------
def _contact(r: ContactRow) -> Contact:
    return Contact(r.unit, r.person, r.phone, r.email, r.webhook, r.webhook_secret, r.region or "")


def contacts(store: Store, regions: Iterable[str] | None = None) -> list[Contact]:
    """Every unit's contact, by unit name (then region).

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`; the guarded store checks roles first).
    regions
        Only the contacts kept by these regions (``""``: the province's); default all.

    Returns
    -------
    list of Contact
        Sorted by unit name, then region.

    Examples
    --------
    >>> from tasks import plan_files, read_plan_file
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(read_plan_file(plan_files()[0]), actor="admin")
    >>> _ = save_contact(store, Contact("市公安局", person="张三", phone="13800000000"), actor="admin")
    >>> [(c.unit, c.person) for c in contacts(store)]
    [('市公安局', '张三')]
    """
    with store.session() as s:
        q = select(ContactRow).order_by(ContactRow.unit, ContactRow.region)
        if regions is not None:
            q = q.where(ContactRow.region.in_(sorted(set(regions))))
        return [_contact(r) for r in s.scalars(q)]


def contact(store: Store, unit: str, region: str = "") -> Contact | None:
    """One unit's contact, as kept by one region's office.

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`; the guarded store checks roles first).
    unit
        The unit's name.
    region
        The region whose contact it is (``""``: the province's).

    Returns
    -------
    Contact or None
        ``None`` when the unit has no contact.

    Examples
    --------
    >>> from tasks import plan_files, read_plan_file
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(read_plan_file(plan_files()[0]), actor="admin")
    >>> _ = save_contact(store, Contact("市公安局", email="ga@example.cn"), actor="admin")
    >>> contact(store, "市公安局").email, contact(store, "市财政局")
    ('ga@example.cn', None)
    """
    with store.session() as s:
        r = s.scalar(select(ContactRow).where(ContactRow.unit == unit, ContactRow.region == (region or "")))
        return _contact(r) if r else None


def plan_regions_of(store: Store) -> dict[str, str]:
    """Plan key → the region its messages belong to (``""`` for plans of no region).

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`).

    Returns
    -------
    dict of str to str
        Every plan's region, in load order.

    Examples
    --------
    >>> from tasks import plan_files, read_plan_file
    >>> from tasks.regions import add_region, set_plan_region
    >>> store = Store("sqlite://")
    >>> key = store.load_plan_into_store(read_plan_file(plan_files()[0]), actor="admin").plan
    >>> plan_regions_of(store) == {key: ""}
    True
    >>> _ = add_region(store, "甲市", actor="admin"); _ = set_plan_region(store, key, "甲市", actor="admin")
    >>> plan_regions_of(store) == {key: "甲市"}
    True
    """
    from ..regions import DEFAULT_REGION, plan_regions

    return {k: ("" if r == DEFAULT_REGION else r) for k, r in plan_regions(store).items()}


def contact_book(store: Store) -> Callable[[str, str], Contact | None]:
    """``find(region, unit)``: the contact a message of ``region`` for ``unit`` goes to — the region's
    own, else (a county) its city's; the province's contacts serve the plans of no region only, so a
    message of one city never reaches another city's unit of the same name.

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`).

    Returns
    -------
    callable
        ``find(region, unit)`` → the :class:`~tasks.notify.Contact`, or None when nobody is kept for it.

    Examples
    --------
    >>> from tasks import plan_files, read_plan_file
    >>> from tasks.regions import add_region
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(read_plan_file(plan_files()[0]), actor="admin")
    >>> _ = add_region(store, "甲市", actor="admin"); _ = add_region(store, "乙县", parent="甲市", actor="admin")
    >>> _ = save_contact(store, Contact("市公安局", email="jia@example.cn", region="甲市"), actor="admin")
    >>> find = contact_book(store)
    >>> find("乙县", "市公安局").email, find("", "市公安局")  # the county uses its city's; 本级 has none
    ('jia@example.cn', None)
    """
    from ..regions import regions as all_regions

    people = {(c.region, c.unit): c for c in contacts(store)}
    parent = {r.name: r.parent for r in all_regions(store)}

    def find(region: str, unit: str) -> Contact | None:
        c = people.get((region or "", unit))
        if c is None and region and parent.get(region):
            c = people.get((parent[region] or "", unit))
        return c

    return find


def _known_units(store: Store) -> list[str]:
    return [u for u in store.units(include_collective=True) if not is_collective(u)]


def _upsert(s: Any, c: Contact, actor: str, now: datetime) -> None:
    row = s.scalar(select(ContactRow).where(ContactRow.unit == c.unit, ContactRow.region == c.region))
    if row is None:
        s.add(
            ContactRow(
                region=c.region,
                unit=c.unit,
                person=c.person,
                phone=c.phone,
                email=c.email,
                webhook=c.webhook,
                webhook_secret=c.webhook_secret,
                updated_at=now,
                updated_by=actor,
            )
        )
    else:
        row.person, row.phone, row.email, row.webhook = c.person, c.phone, c.email, c.webhook
        row.webhook_secret, row.updated_at, row.updated_by = c.webhook_secret, now, actor


def save_contact(
    store: Store, c: Contact, actor: str, *, keep_secret: bool = False, known_units: Iterable[str] | None = None
) -> Contact:
    """Add or change one unit's contact (checked; the unit must be in a task-breakdown table).

    ``keep_secret``: an empty ``webhook_secret`` keeps the stored one (forms never show it back).

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`; the guarded store checks roles first).
    c
        The contact as typed.
    actor
        Who makes the change (audited).
    keep_secret
        Keep the stored signing secret when ``c`` has none.
    known_units
        The units ``c.unit`` must be one of (default: every unit of the task tables).

    Returns
    -------
    Contact
        The contact as stored (cleaned by :func:`~tasks.notify.check_contact`).

    Raises
    ------
    NotifyError
        The unit is not in a loaded task table, or a field is wrong (see :func:`~tasks.notify.check_contact`);
        nothing is written then.

    Examples
    --------
    >>> from tasks import plan_files, read_plan_file
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(read_plan_file(plan_files()[0]), actor="admin")
    >>> save_contact(store, Contact("市公安局", phone="138 0000 0000"), actor="admin").phone
    '13800000000'
    >>> save_contact(store, Contact("市气象局", phone="13800000000"), actor="admin")
    Traceback (most recent call last):
    ...
    tasks.notify.model.NotifyError: 单位“市气象局”不在任务分解表中,请使用任务分解表中的单位全称
    """
    if keep_secret and not c.webhook_secret and c.webhook:
        old = contact(store, c.unit, c.region)
        if old and old.webhook_secret:
            c = replace(c, webhook_secret=old.webhook_secret)
    c = check_contact(c, _known_units(store) if known_units is None else known_units)
    with store.session(write=True) as s:
        _upsert(s, c, actor, _now())
        details: dict[str, Any] = {"webhook": bool(c.webhook), "email": bool(c.email), "phone": bool(c.phone)}
        if c.region:
            details["region"] = c.region
        store._audit(s, actor, "notify_contact", c.unit, details)
    return c


def apply_contact_edits(
    store: Store,
    edited: Sequence[Contact],
    actor: str,
    *,
    region: str = "",
    known_units: Iterable[str] | None = None,
) -> tuple[int, list[str]]:
    """Save the rows of the dashboard's contact table that changed: a row with every field empty removes
    that unit's contact; an empty 加签密钥 keeps the stored one.  One bad row does not stop the others.

    Returns how many units changed and one Chinese message per refused row.

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`; the guarded store checks roles first).
    edited
        Every row of the table as the office left it.
    actor
        Who makes the change (audited).
    region
        The region whose contact table it is (``""``: the province's).
    known_units
        As for :func:`save_contact`.

    Returns
    -------
    tuple of (int, list of str)
        Units added, changed or removed; and ``单位:原因`` for each refused row.

    Examples
    --------
    >>> from tasks import plan_files, read_plan_file
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(read_plan_file(plan_files()[0]), actor="admin")
    >>> apply_contact_edits(store, [Contact("市公安局", phone="13800000000"), Contact("市住建局", phone="123")],
    ...                     actor="admin")
    (1, ['市住建局:手机号“123”无效:应为 11 位手机号或带区号的固定电话'])
    >>> apply_contact_edits(store, [Contact("市公安局")], actor="admin"), contacts(store)
    ((1, []), [])
    """
    region = region or ""
    current = {c.unit: c for c in contacts(store, [region])}
    changed, errors = 0, []
    for c in edited:
        c = replace(c, region=region)
        old = current.get(c.unit)
        empty = not any((c.person.strip(), c.phone.strip(), c.email.strip(), c.webhook.strip()))
        if empty:
            if old is not None:
                delete_contact(store, c.unit, actor, region=region)
                changed += 1
            continue
        same = (
            old is not None
            and (old.person, old.phone, old.email, old.webhook)
            == (c.person.strip(), c.phone.strip(), c.email.strip(), c.webhook.strip())
            and not c.webhook_secret
        )
        if same:
            continue
        try:
            save_contact(store, c, actor, keep_secret=True, known_units=known_units)
            changed += 1
        except NotifyError as err:
            errors.append(f"{c.unit}:{err}")
    return changed, errors


def delete_contact(store: Store, unit: str, actor: str, *, region: str = "") -> None:
    """Remove one unit's contact (audited).

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`; the guarded store checks roles first).
    unit
        The unit's name.
    actor
        Who makes the change (audited).
    region
        The region whose contact it is (``""``: the province's).

    Raises
    ------
    NotifyError
        The unit has no contact.

    Examples
    --------
    >>> from tasks import plan_files, read_plan_file
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(read_plan_file(plan_files()[0]), actor="admin")
    >>> _ = save_contact(store, Contact("市公安局", phone="13800000000"), actor="admin")
    >>> delete_contact(store, "市公安局", actor="admin")
    >>> delete_contact(store, "市公安局", actor="admin")
    Traceback (most recent call last):
    ...
    tasks.notify.model.NotifyError: 单位“市公安局”没有联系方式可删除
    """
    with store.session(write=True) as s:
        row = s.scalar(select(ContactRow).where(ContactRow.unit == unit, ContactRow.region == (region or "")))
        if row is None:
            raise NotifyError(f"单位“{unit}”没有联系方式可删除")
        s.delete(row)
        store._audit(s, actor, "notify_contact_delete", unit, {"region": region} if region else None)


def import_contacts(
    store: Store,
    path: str | Path,
    actor: str,
    *,
    name: str | None = None,
    save: bool = True,
    region: str = "",
    known_units: Iterable[str] | None = None,
) -> ContactSheet:
    """Read a contact list; when it is clean and ``save``, add or replace those units' contacts in one
    transaction.  A list with any problem writes nothing (its ``issues`` say where).

    Without a 加签密钥 column, a unit's stored signing secret is kept.

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`; the guarded store checks roles first).
    path
        The xlsx or csv contact list.
    actor
        Who makes the change (audited).
    name
        The file name the user knows; default the file's own.
    save
        ``False`` only checks the list.
    region
        The region whose contacts they become (``""``: the province's).
    known_units
        The units a row may name (default: every unit of the task tables).

    Returns
    -------
    ContactSheet
        The contacts read, or the problems found (then nothing was written).

    Raises
    ------
    core.errors.InputError
        The file cannot be read as a spreadsheet at all.

    Examples
    --------
    >>> from tasks import plan_files, read_plan_file
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(read_plan_file(plan_files()[0]), actor="admin")
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "联系人.csv"
    >>> _ = path.write_text("单位,联系人,手机,邮箱,群机器人地址\\n市公安局,张三,13800000000,,\\n", encoding="utf-8")
    >>> import_contacts(store, path, actor="admin").summary(), contact(store, "市公安局").person
    ('联系人.csv:1 个单位的联系方式', '张三')
    """
    region = region or ""
    sheet = read_contacts(path, _known_units(store) if known_units is None else known_units, name)
    if not sheet.ok or not save:
        return sheet
    now = _now()
    with store.session(write=True) as s:
        old = {r.unit: r.webhook_secret for r in s.scalars(select(ContactRow).where(ContactRow.region == region))}
        for c in sheet.contacts:
            c = replace(c, region=region)
            if not sheet.has_secret_column and c.webhook and old.get(c.unit):
                c = replace(c, webhook_secret=old[c.unit])
            _upsert(s, c, actor, now)
        detail: dict[str, Any] = {"units": [c.unit for c in sheet.contacts]}
        if region:
            detail["region"] = region
        store._audit(s, actor, "notify_contacts_import", sheet.file, detail)
    return sheet


# -- templates and rules -----------------------------------------------------------------------------------------
def templates(store: Store) -> dict[str, Template]:
    """The wording per reason: the office's where saved, else the defaults.

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`; the guarded store checks roles first).

    Returns
    -------
    dict of str to Template
        Reason → template, for every reason.

    Examples
    --------
    >>> store = Store("sqlite://")
    >>> templates(store) == DEFAULT_TEMPLATES
    True
    """
    out = dict(DEFAULT_TEMPLATES)
    with store.session() as s:
        for r in s.scalars(select(TemplateRow)):
            if r.reason in out:
                out[r.reason] = Template(r.reason, r.subject, r.body)
    return out


def save_template(store: Store, reason: str, subject: str, body: str, actor: str) -> Template:
    """Keep the office's wording for ``reason`` (checked; audited).

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`; the guarded store checks roles first).
    reason
        One of :data:`~tasks.notify.REASONS`.
    subject, body
        The wording, with placeholders from :data:`~tasks.notify.PLACEHOLDERS`.
    actor
        Who makes the change (audited).

    Returns
    -------
    Template
        As stored.

    Raises
    ------
    NotifyError
        See :func:`~tasks.notify.check_template`; nothing is written then.

    Examples
    --------
    >>> store = Store("sqlite://")
    >>> _ = save_template(store, "urge", "请报送{报告期}进展", "{联系人}:请报送。", actor="admin")
    >>> templates(store)["urge"].subject
    '请报送{报告期}进展'
    """
    t = check_template(reason, subject, body)
    now = _now()
    with store.session(write=True) as s:
        row = s.get(TemplateRow, reason)
        if row is None:
            s.add(TemplateRow(reason=reason, subject=t.subject, body=t.body, updated_at=now, updated_by=actor))
        else:
            row.subject, row.body, row.updated_at, row.updated_by = t.subject, t.body, now, actor
        store._audit(s, actor, "notify_template", reason)
    return t


def reset_template(store: Store, reason: str, actor: str) -> Template:
    """Back to the default wording.

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`; the guarded store checks roles first).
    reason
        One of :data:`~tasks.notify.REASONS`.
    actor
        Who makes the change (audited).

    Returns
    -------
    Template
        The default template.

    Raises
    ------
    NotifyError
        An unknown reason.

    Examples
    --------
    >>> store = Store("sqlite://")
    >>> _ = save_template(store, "urge", "请报送", "请报送。", actor="admin")
    >>> reset_template(store, "urge", actor="admin") == templates(store)["urge"] == DEFAULT_TEMPLATES["urge"]
    True
    """
    if reason not in REASONS:
        raise NotifyError(f"未知的提醒类型“{reason}”")
    with store.session(write=True) as s:
        row = s.get(TemplateRow, reason)
        if row is not None:
            s.delete(row)
        store._audit(s, actor, "notify_template_reset", reason)
    return DEFAULT_TEMPLATES[reason]


def load_notify_rules(store: Store) -> NotifyRules:
    """The office's reminder rules (the defaults until saved).

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`; the guarded store checks roles first).

    Returns
    -------
    NotifyRules
        As saved with :func:`save_notify_rules`.

    Examples
    --------
    >>> load_notify_rules(Store("sqlite://")) == NotifyRules()
    True
    """
    with store.session() as s:
        row = s.get(SettingRow, _RULES_KEY)
        return rules_from_dict(row.value) if row is not None else NotifyRules()


def save_notify_rules(store: Store, rules: NotifyRules | dict[str, Any], actor: str) -> NotifyRules:
    """Keep the office's reminder rules (audited).

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`; the guarded store checks roles first).
    rules
        The rules, or a dict of their fields as :func:`~tasks.notify.rules_from_dict` reads it.
    actor
        Who makes the change (audited).

    Returns
    -------
    NotifyRules
        As stored.

    Raises
    ------
    NotifyError
        A dict with an unknown key or a bad value; nothing is written then.

    Examples
    --------
    >>> store = Store("sqlite://")
    >>> _ = save_notify_rules(store, {"days_ahead": "3", "period": "day"}, actor="admin")
    >>> load_notify_rules(store).days_ahead
    3
    """
    rules = rules if isinstance(rules, NotifyRules) else rules_from_dict(rules)
    now = _now()
    with store.session(write=True) as s:
        row = s.get(SettingRow, _RULES_KEY)
        if row is None:
            s.add(SettingRow(key=_RULES_KEY, value=rules.to_dict(), updated_at=now, updated_by=actor))
        else:
            row.value, row.updated_at, row.updated_by = rules.to_dict(), now, actor
        store._audit(s, actor, "notify_rules", _RULES_KEY, rules.to_dict())
    return rules


# -- planning ----------------------------------------------------------------------------------------------------
def _routes(c: Contact | None, channels: Iterable[str]) -> list[tuple[str, str]]:
    """(channel, address) pairs a unit can be reached on, among ``channels``."""
    if c is None:
        return []
    on = set(channels)
    out = []
    if c.email and "mail" in on:
        out.append(("mail", c.email))
    if c.webhook and c.webhook_kind in on:
        out.append((c.webhook_kind, c.webhook))
    if c.phone and is_mobile(c.phone) and "sms" in on:
        out.append(("sms", c.phone))
    return out


def _task_line(t: dict[str, Any], now: datetime | None = None) -> str:
    """``1 推进简政放权(完成时限 2021-12-31,剩 5 天)``; the plan named first when several plans are loaded.

    >>> _task_line({"id": "1", "title": "推进简政放权", "deadline": "2021-12-31", "plan": "方案",
    ...             "plan_shown": True}, datetime(2021, 12, 26, 9, 0))
    '1 推进简政放权(方案,完成时限 2021-12-31,剩 5 天)'
    """
    line = f"{t['id']} {t['title']}"
    extra = []
    if t.get("plan_shown"):
        extra.append(str(t["plan"]))
    if t.get("deadline"):
        extra.append(f"完成时限 {t['deadline']}")
        if now is not None:
            left = (date.fromisoformat(str(t["deadline"])) - now.date()).days
            extra.append("今天到期" if left == 0 else f"剩 {left} 天")
    return line + (f"({','.join(extra)})" if extra else "")


@dataclass(frozen=True)
class Planned:
    """What the rules want now: messages (all channels the contacts allow) and units no channel reaches."""

    messages: tuple[Message, ...] = ()
    unreached: tuple[tuple[str, str], ...] = ()  # (reason, unit; ``unit(region)`` for a region's)
    wanted_units: frozenset[tuple[str, ...]] = frozenset()  # (reason, region, unit) still owed a reminder


def _in(region: str, regions: frozenset[str] | None) -> bool:
    return regions is None or region in regions


def _region_key(region: str, key: str) -> str:
    """Keys of a region's messages start with the region (two cities' units may share a name)."""
    return f"{region}|{key}" if region else key


def _who(unit: str, region: str) -> str:
    return f"{unit}({region})" if region else unit


def _key(text: str) -> str:
    """The message key, shortened with a hash when names make it longer than the column."""
    if len(text) <= 300:
        return text
    import hashlib

    return text[:255] + "#" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


def _message(
    reason: str,
    unit: str,
    c: Contact | None,
    channel: str,
    address: str,
    tpl: Template,
    values: dict[str, Any],
    key: str,
    **kw: Any,
) -> Message:
    subject, body = render(tpl, {**values, "单位": unit, "联系人": (c.person if c else "") or "同志"})
    return Message(
        key=_key(key),
        reason=reason,
        unit=unit,
        channel=channel,
        address=address,
        subject=subject,
        body=body,
        person=c.person if c else "",
        **kw,
    )


def plan_scheduled(
    store: Store,
    now: datetime,
    *,
    rules: NotifyRules | None = None,
    channels: Iterable[str] = ("mail", "dingtalk", "wecom", "webhook", "sms"),
    closed_tasks: Iterable[tuple[str, ...]] = (),
    snap: Any = None,
    regions: frozenset[str] | None = None,
) -> Planned:
    """催办 and deadline reminders wanted at ``now`` (nothing written).

    One message per unit, reason and channel *within each region*: a unit's tasks in two regions'
    plans make two messages, each belonging to (and sent by) its region, each to that region's contact.

    ``closed_tasks``: (plan, task id) pairs whose lifecycle is closed (销号): nobody is reminded of them;
    (plan, task id, unit) triples: that lead unit's part is closed, so that unit is not reminded.

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`; the guarded store checks roles first).
    now
        The moment planned for (rule period, deadlines, reporting periods).
    rules
        Default the stored ones.
    channels
        The channels to plan messages on.
    closed_tasks
        Closed tasks, and closed lead units' parts.
    snap
        A progress snapshot for ``now``'s date (read from the store when not given).
    regions
        Only the messages of these regions (``""``: plans of no region); default all.

    Returns
    -------
    Planned
        ``messages`` (keys ``<reason>|<period or ahead>|<unit>|<channel>|<rule period>``, led by
        ``<region>|`` for a region's),
        ``unreached`` (reason, unit) pairs with no contact on ``channels``, and ``wanted_units``.

    Examples
    --------
    >>> from tasks import plan_files, read_plan_file
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(read_plan_file(plan_files()[0]), actor="admin")
    >>> _ = save_contact(store, Contact("市公安局", person="张三", email="zs@example.cn"), actor="admin")
    >>> planned = plan_scheduled(store, datetime(2021, 8, 27, 9, 0), channels=["mail"])
    >>> [(m.reason, m.unit, m.subject) for m in planned.messages]
    [('deadline', '市公安局', '【到期提醒】市公安局有 1 项任务即将到期')]
    >>> print(planned.messages[0].body.splitlines()[2])
    12 推进企业开办全流程一件事一次办便利化改革(完成时限 2021-08-31,剩 4 天)
    """
    from ..progress import reminders, snapshot

    rules = rules or load_notify_rules(store)
    snap = snap if snap is not None else snapshot(store, now.date())
    closed = set(closed_tasks)
    find = contact_book(store)
    region_of = plan_regions_of(store)
    tpls = templates(store)
    bucket = rules.bucket(now)
    plans_many = len({s.plan for s in snap.statuses}) > 1
    messages: list[Message] = []
    unreached: list[tuple[str, str]] = []
    wanted: set[tuple[str, ...]] = set()
    base = {"日期": now.date().isoformat()}

    def emit(
        reason: str,
        region: str,
        unit: str,
        values: dict[str, Any],
        keypart: str,
        tasks: list[dict[str, Any]],
        period: str,
    ) -> None:
        wanted.add((reason, region, unit))
        c = find(region, unit)
        routes = _routes(c, channels)
        if not routes:
            unreached.append((reason, _who(unit, region)))
        plans = sorted({t["plan"] for t in tasks})
        for channel, address in routes:
            messages.append(
                _message(
                    reason,
                    unit,
                    c,
                    channel,
                    address,
                    tpls[reason],
                    {**base, **values},
                    _region_key(region, f"{reason}|{keypart}|{unit}|{channel}|{bucket}"),
                    plan="、".join(plans),
                    task_id="、".join(t["id"] for t in tasks),
                    period=period,
                    tasks=tuple(f"{t['plan']}#{t['id']}" for t in tasks),
                    region=region,
                )
            )

    if rules.on("urge"):
        for r in reminders(snap):
            by_region: dict[str, list[dict[str, Any]]] = {}
            for t in r.tasks:
                if (t["plan"], t["id"]) in closed or (t["plan"], t["id"], r.unit) in closed:
                    continue
                region = region_of.get(t["plan"], "")
                if _in(region, regions):
                    by_region.setdefault(region, []).append(dict(t, plan_shown=plans_many))
            for region, tasks in sorted(by_region.items()):
                emit(
                    "urge",
                    region,
                    r.unit,
                    {
                        "报告期": r.period,
                        "报送期限": r.due.isoformat(),
                        "任务数": len(tasks),
                        "任务清单": "\n".join(_task_line(t) for t in tasks),
                        "计划": "、".join(sorted({t["plan"] for t in tasks})),
                    },
                    r.period,
                    tasks,
                    r.period,
                )
    if rules.on("deadline"):
        end = now.date() + timedelta(days=rules.days_ahead)
        per_unit: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for st in snap.statuses:
            if not st.deadline or not now.date() <= st.deadline <= end or st.status == "done":
                continue
            if (st.plan, st.id) in closed:
                continue
            region = region_of.get(st.plan, "")
            if not _in(region, regions):
                continue
            for u in dict.fromkeys(st.lead_units + st.responsible_units):
                if not is_collective(u) and (st.plan, st.id, u) not in closed:
                    per_unit[(region, u)].append(
                        {
                            "plan": st.plan,
                            "id": st.id,
                            "title": st.title,
                            "deadline": st.deadline.isoformat(),
                            "plan_shown": plans_many,
                        }
                    )
        for region, unit in sorted(per_unit, key=lambda ru: (ru[1], ru[0])):
            tasks = per_unit[(region, unit)]
            emit(
                "deadline",
                region,
                unit,
                {
                    "天数": rules.days_ahead,
                    "任务数": len(tasks),
                    "任务清单": "\n".join(_task_line(t, now) for t in tasks),
                    "计划": "、".join(sorted({t["plan"] for t in tasks})),
                },
                "ahead",
                tasks,
                bucket,
            )
    return Planned(tuple(messages), tuple(unreached), frozenset(wanted))


def plan_events(
    store: Store,
    events: Sequence[TaskEvent],
    now: datetime,
    *,
    rules: NotifyRules | None = None,
    channels: Iterable[str] = ("mail", "dingtalk", "wecom", "webhook", "sms"),
    regions: frozenset[str] | None = None,
) -> Planned:
    """Messages for lifecycle events (new task to sign, extension decided, claim returned, card changed).

    One message per event, unit and channel (key ``<kind>|<event_id>|<unit>|<channel>``); nothing for
    a reason that is off, a closed task (except the return of its claim), or a collective unit name.

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`; the guarded store checks roles first).
    events
        What happened.
    now
        The date used when an event has no ``at``.
    rules
        Default the stored ones.
    channels
        The channels to plan messages on.
    regions
        Only the events on plans of these regions (``""``: plans of no region); default all.

    Returns
    -------
    Planned
        The messages (nothing written; each belongs to its plan's region and goes to that region's
        contact) and the units no channel reaches.

    Examples
    --------
    >>> from tasks import plan_files, read_plan_file
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(read_plan_file(plan_files()[0]), actor="admin")
    >>> _ = save_contact(store, Contact("市公安局", phone="13800000000", email="zs@example.cn"), actor="admin")
    >>> event = TaskEvent("sign", "42", "测试方案", "1", "市公安局", task_title="清理证明事项")
    >>> [m.key for m in plan_events(store, [event], datetime(2021, 10, 8, 9, 0), channels=["mail", "sms"]).messages]
    ['sign|42|市公安局|mail', 'sign|42|市公安局|sms']
    """
    rules = rules or load_notify_rules(store)
    find = contact_book(store)
    region_of = plan_regions_of(store)
    tpls = templates(store)
    messages: list[Message] = []
    unreached: list[tuple[str, str]] = []
    for e in events:
        if not rules.on(e.kind) or is_collective(e.unit) or (e.task_closed and e.kind != "returned"):
            continue
        region = region_of.get(e.plan, "")
        if not _in(region, regions):
            continue
        c = find(region, e.unit)
        routes = _routes(c, channels)
        if not routes:
            unreached.append((e.kind, _who(e.unit, region)))
        values = {
            "日期": (e.at or now).date().isoformat(),
            "计划": e.plan,
            "任务编号": e.task_id,
            "任务": e.task_title,
            "完成时限": e.deadline.isoformat() if e.deadline else "无",
            "说明": e.detail,
            "任务数": len(e.items) or 1,
            "任务清单": "\n".join(e.items)
            or f"{e.task_id} {e.task_title}" + (f"(完成时限 {e.deadline.isoformat()})" if e.deadline else ""),
        }
        for channel, address in routes:
            messages.append(
                _message(
                    e.kind,
                    e.unit,
                    c,
                    channel,
                    address,
                    tpls[e.kind],
                    values,
                    _region_key(region, f"{e.kind}|{e.event_id}|{e.unit}|{channel}"),
                    plan=e.plan,
                    task_id=e.task_id,
                    period=(e.at or now).date().isoformat(),
                    tasks=(f"{e.plan}#{e.task_id}",),
                    region=region,
                )
            )
    return Planned(tuple(messages), tuple(unreached))


def queue_messages(store: Store, messages: Sequence[Message], now: datetime, actor: str) -> list[Message]:
    """Put new messages in the outbox; those whose key is already there (in any state) are left out.

    Returns the messages actually queued (with their ids).

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`; the guarded store checks roles first).
    messages
        Planned messages.
    now
        Their creation time and first send time.
    actor
        Who makes the change (audited).

    Returns
    -------
    list of Message
        The messages queued, with ``id``, ``created_at`` and ``next_at`` set.

    Examples
    --------
    >>> from tasks import plan_files, read_plan_file
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(read_plan_file(plan_files()[0]), actor="admin")
    >>> _ = save_contact(store, Contact("市公安局", email="zs@example.cn"), actor="admin")
    >>> event = TaskEvent("sign", "42", "测试方案", "1", "市公安局")
    >>> planned = plan_events(store, [event], datetime(2021, 10, 8, 9, 0), channels=["mail"])
    >>> [m.id for m in queue_messages(store, planned.messages, datetime(2021, 10, 8, 9, 0), "admin")]
    [1]
    >>> queue_messages(store, planned.messages, datetime(2021, 10, 8, 9, 0), "admin")  # already queued
    []
    """
    if not messages:
        return []
    keys = [m.key for m in messages]
    try:
        with store.session(write=True) as s:
            have = set()
            for i in range(0, len(keys), 500):
                have |= set(s.scalars(select(OutboxRow.key).where(OutboxRow.key.in_(keys[i : i + 500]))))
            new = [m for m in {m.key: m for m in messages}.values() if m.key not in have]
            rows = [
                OutboxRow(
                    region=m.region,
                    key=m.key,
                    reason=m.reason,
                    unit=m.unit,
                    person=m.person,
                    channel=m.channel,
                    address=m.address,
                    subject=m.subject,
                    body=m.body,
                    plan=m.plan,
                    task_id=m.task_id,
                    period=m.period,
                    created_at=now,
                    next_at=now,
                    status="pending",
                    attempts=0,
                    last_error="",
                    sent_at=None,
                    updated_at=now,
                )
                for m in new
            ]
            s.add_all(rows)
            s.flush()
            if rows:
                store._audit(s, actor, "notify_queue", f"{len(rows)} 条", {"keys": [r.key for r in rows][:200]})
            queued = [replace(m, id=r.id, created_at=now, next_at=now) for m, r in zip(new, rows)]
    except IntegrityError:  # another run queued one of these keys meanwhile: its copy stands, queue the rest
        there = set(_existing(store, keys))
        return queue_messages(store, [m for m in messages if m.key not in there], now, actor)
    return queued


def _existing(store: Store, keys: list[str]) -> list[str]:
    with store.session() as s:
        return list(s.scalars(select(OutboxRow.key).where(OutboxRow.key.in_(keys))))


def notify_events(
    store: Store,
    events: Sequence[TaskEvent],
    actor: str,
    *,
    now: datetime | None = None,
    channels: Iterable[str] | None = None,
) -> list[Message]:
    """Queue the messages for lifecycle events (the one call each lifecycle change makes).

    Only enabled channels (``WORKBENCH_NOTIFY_CHANNELS``) get messages; they leave on the next send.

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`; the guarded store checks roles first).
    events
        What happened.
    actor
        Who makes the change (audited).
    now
        Default the current time.
    channels
        Default the enabled channels.

    Returns
    -------
    list of Message
        The messages queued (an event already queued gives none).

    Raises
    ------
    NotifyError
        ``WORKBENCH_NOTIFY_CHANNELS`` names an unknown channel (when ``channels`` is not given).

    Examples
    --------
    >>> from tasks import plan_files, read_plan_file
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(read_plan_file(plan_files()[0]), actor="admin")
    >>> _ = save_contact(store, Contact("市公安局", email="zs@example.cn"), actor="admin")
    >>> queued = notify_events(store, [TaskEvent("sign", "42", "测试方案", "1", "市公安局")], "admin", channels=["mail"])
    >>> [(m.channel, m.status, m.subject) for m in queued]
    [('mail', 'pending', '【签收通知】请签收 1 项交办任务')]
    """
    now = now or _now()
    chans = enabled_channels() if channels is None else frozenset(channels)
    planned = plan_events(store, events, now, channels=chans)
    return queue_messages(store, planned.messages, now, actor)


# -- sending -----------------------------------------------------------------------------------------------------
def _msg(r: OutboxRow) -> Message:
    return Message(
        key=r.key,
        reason=r.reason,
        unit=r.unit,
        channel=r.channel,
        address=r.address,
        subject=r.subject,
        body=r.body,
        person=r.person,
        plan=r.plan,
        task_id=r.task_id,
        period=r.period,
        id=r.id,
        status=r.status,
        attempts=r.attempts,
        last_error=r.last_error,
        created_at=r.created_at,
        next_at=r.next_at,
        sent_at=r.sent_at,
        region=r.region or "",
    )


@dataclass
class SendReport:
    """What one sending pass did.

    Parameters
    ----------
    sent, retrying, failed
        Message ids sent, failed and to be retried, failed for good (or left mid-send by a dead process).
    deferred
        Messages held back by the daily caps.
    quiet
        Nothing was sent: quiet hours.
    capped
        The daily cap in all was reached.
    warnings
        Chinese lines for the office (e.g. mail is on but no server is set).

    Examples
    --------
    >>> SendReport(sent=[1, 2]).sent, SendReport().quiet
    ([1, 2], False)
    """

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    deferred: int = 0
    quiet: bool = False
    capped: bool = False
    warnings: list[str] = field(default_factory=list)


Deliver = Callable[[Message, Contact | None], None]


def _current_address(m: Message, c: Contact | None) -> str:
    """Where ``m`` goes now: the unit's current address on its channel (ChannelError if it was removed)."""
    if c is None:
        raise ChannelError(f"“{m.unit}”的联系方式已被删除")
    if m.channel == "mail":
        address = c.email
    elif m.channel == "sms":
        address = c.phone
    else:
        address = c.webhook if c.webhook_kind == m.channel else ""
    if not address:
        raise ChannelError(f"“{m.unit}”已没有{CHANNEL_NAMES.get(m.channel, m.channel)}联系方式")
    return address


def _deliverer(mail: MailSettings | None, timeout: float, opener: Any = None) -> Deliver:
    def deliver(m: Message, c: Contact | None) -> None:
        # the office may have changed the unit's address since the message was queued: use the current one
        address = _current_address(m, c)
        if m.channel == "mail":
            if mail is None:
                raise ChannelError("未设置邮件服务器(WORKBENCH_SMTP_HOST 等)")
            send_mail(mail, split_emails(address), m.subject, m.body, timeout=timeout, to_name=m.person)
        elif m.channel in _ROBOTS:
            extra = {
                "key": m.key,
                "reason": m.reason,
                "reason_name": REASONS[m.reason],
                "unit": m.unit,
                "plan": m.plan,
                "task": m.task_id,
                "period": m.period,
            }
            post_webhook(
                m.channel,
                address,
                robot_payload(m.channel, m.subject, m.body, extra),
                secret=c.webhook_secret if c else "",
                timeout=timeout,
                opener=opener,
            )
        else:
            raise ChannelError(f"通道“{m.channel}”不能直接发送")

    return deliver


def send_due(
    store: Store,
    now: datetime,
    actor: str,
    *,
    channels: Iterable[str],
    rules: NotifyRules | None = None,
    mail: MailSettings | None = None,
    deliver: Deliver | None = None,
    opener: Any = None,
    regions: frozenset[str] | None = None,
) -> SendReport:
    """Send the pending messages that are due at ``now`` on enabled channels (not ``sms``: that is the send list).

    With ``regions``, only those regions' messages are touched (a city's office sends its own); the
    daily caps count each region's sending apart, so one city's batch never uses up another's.

    Each message goes to the unit's current address on its channel; a failure is retried after
    :meth:`~tasks.notify.NotifyRules.backoff`, then marked failed with its Chinese reason. A message
    left ``sending`` for :data:`STALE_SENDING` is marked failed, never resent blindly. Nothing is
    sent in quiet hours; the daily caps defer the rest.

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`; the guarded store checks roles first).
    now
        The current time (tests pass a fake clock).
    actor
        Who makes the change (audited).
    channels
        The enabled channels.
    rules
        Default the stored ones.
    mail
        Mail settings; default :func:`~tasks.notify.mail_settings` when mail is on.
    deliver
        Replaces the real delivery: ``deliver(message, contact)`` raising
        :class:`~tasks.notify.ChannelError` on failure.
    opener
        Replaces :func:`urllib.request.urlopen` for robots.
    regions
        Only these regions' messages (``""``: plans of no region); default all.

    Returns
    -------
    SendReport
        What was sent, retried, failed and deferred.

    Examples
    --------
    >>> from tasks import plan_files, read_plan_file
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(read_plan_file(plan_files()[0]), actor="admin")
    >>> _ = save_contact(store, Contact("市公安局", email="zs@example.cn"), actor="admin")
    >>> _ = notify_events(store, [TaskEvent("sign", "42", "测试方案", "1", "市公安局")], "admin", channels=["mail"],
    ...                   now=datetime(2021, 10, 8, 9, 0))
    >>> sent = []
    >>> report = send_due(store, datetime(2021, 10, 8, 9, 5), "admin", channels=["mail"],
    ...                   deliver=lambda m, c: sent.append((m.address, m.subject)))
    >>> report.sent, sent
    ([1], [('zs@example.cn', '【签收通知】请签收 1 项交办任务')])
    >>> send_due(store, datetime(2021, 10, 8, 23, 0), "admin", channels=["mail"]).quiet
    True
    """
    rules = rules or load_notify_rules(store)
    chans = set(channels) - {"sms"}
    rep = SendReport()
    mine = OutboxRow.region.in_(sorted(regions)) if regions is not None else None
    with store.session(write=True) as s:  # a send that died mid-way: its result is unknown, so never resend blindly
        q = select(OutboxRow).where(OutboxRow.status == "sending", OutboxRow.updated_at < now - STALE_SENDING)
        stale = list(s.scalars(q if mine is None else q.where(mine)))
        for r in stale:
            r.status, r.updated_at = "failed", now
            r.last_error = "发送过程中断,是否送达未知;请核实后在发件箱中重试或取消"
            rep.failed.append(r.id)
    if rules.quiet(now):
        rep.quiet = True
        return rep
    if not chans:
        return rep
    day = datetime.combine(now.date(), datetime.min.time())
    with store.session() as s:
        q = select(OutboxRow).where(
            OutboxRow.status == "pending", OutboxRow.next_at <= now, OutboxRow.channel.in_(sorted(chans))
        )
        due = [
            _msg(r) for r in s.scalars((q if mine is None else q.where(mine)).order_by(OutboxRow.next_at, OutboxRow.id))
        ]
        sent_today: Counter[tuple[str, str]] = Counter()
        for region, unit, n in s.execute(
            select(OutboxRow.region, OutboxRow.unit, func.count())
            .where(OutboxRow.sent_at >= day, OutboxRow.channel != "sms")
            .group_by(OutboxRow.region, OutboxRow.unit)
        ):
            sent_today[(region or "", unit)] += n
    if "mail" in chans and mail is None and deliver is None:
        mail = mail_settings()
        if mail is None and any(m.channel == "mail" for m in due):
            rep.warnings.append("邮件通道已开启,但未设置邮件服务器(WORKBENCH_SMTP_HOST),邮件暂不发送")
            due = [m for m in due if m.channel != "mail"]
    deliver = deliver or _deliverer(mail, rules.timeout_seconds, opener)
    find = contact_book(store)
    total: Counter[str] = Counter()  # sent today per region: each region has the daily cap
    for (region, _unit), n in sent_today.items():
        total[region] += n
    for m in due:
        if rules.daily_cap and total[m.region] >= rules.daily_cap:
            rep.capped = True
            rep.deferred += 1
            continue
        if rules.unit_daily_cap and sent_today[(m.region, m.unit)] >= rules.unit_daily_cap:
            rep.deferred += 1
            continue
        with store.session(write=True) as s:  # claim it: a parallel run that claimed it first wins
            got = getattr(
                s.execute(
                    update(OutboxRow)
                    .where(OutboxRow.id == m.id, OutboxRow.status == "pending")
                    .values(status="sending", updated_at=now)
                ),
                "rowcount",
                0,
            )
        if not got:
            continue
        try:
            deliver(m, find(m.region, m.unit))
            error = ""
        except ChannelError as err:
            error = str(err)
        except Exception:
            log.exception("unexpected error sending outbox message %s", m.id)
            error = "发送时出现内部错误,详情见服务器日志"
        attempts = m.attempts + 1
        mid = int(m.id or 0)
        with store.session(write=True) as s:
            row = s.get_one(OutboxRow, mid)
            row.attempts, row.updated_at = attempts, now
            if not error:
                row.status, row.sent_at, row.last_error = "sent", now, ""
                rep.sent.append(mid)
                total[m.region] += 1
                sent_today[(m.region, m.unit)] += 1
            elif attempts >= rules.max_attempts:
                row.status, row.last_error = "failed", f"第 {attempts} 次发送失败,不再重试:{error}"
                rep.failed.append(mid)
            else:
                row.status, row.last_error = "pending", f"第 {attempts} 次发送失败:{error}"
                row.next_at = now + rules.backoff(attempts)
                rep.retrying.append(mid)
    if rep.sent or rep.failed or rep.retrying:
        detail: dict[str, Any] = {"sent": rep.sent, "failed": rep.failed, "retrying": rep.retrying}
        if regions is not None:
            detail["regions"] = sorted(regions)
        store.record_action(actor, "notify_send", f"{len(rep.sent)} 条", detail)
    return rep


def _recheck(
    store: Store,
    planned: Planned,
    rules: NotifyRules,
    channels: Iterable[str],
    now: datetime,
    regions: frozenset[str] | None = None,
) -> list[int]:
    """Skip pending scheduled messages the rules no longer want (only ``regions``' when given); returns their ids."""
    wanted_keys = {m.key for m in planned.messages}
    wanted_routes = {(m.reason, m.region, m.unit, m.channel) for m in planned.messages}
    chans = set(channels)
    skipped = []
    with store.session(write=True) as s:
        q = select(OutboxRow).where(
            OutboxRow.status == "pending", OutboxRow.reason.in_(SCHEDULED), OutboxRow.channel.in_(sorted(chans))
        )
        rows = s.scalars(q if regions is None else q.where(OutboxRow.region.in_(sorted(regions))))
        for r in rows:
            if r.key in wanted_keys:
                continue
            region = r.region or ""
            if not rules.on(r.reason):
                why = f"“{REASONS[r.reason]}”已关闭,不再发送"
            elif (r.reason, region, r.unit, r.channel) in wanted_routes:
                why = "已由新一期的提醒取代"
            elif (r.reason, region, r.unit) in planned.wanted_units:
                why = f"单位已没有{CHANNEL_NAMES.get(r.channel, r.channel)}联系方式,未发送"
            elif r.reason == "urge":
                why = "单位已报送(或任务已完成、已办结),不再催办"
            else:
                why = "任务已完成(或已办结、不在提醒期内),不再提醒"
            r.status, r.last_error, r.updated_at = "skipped", why, now
            skipped.append(r.id)
    return skipped


_CARDS_KEY = "cards"


def _marker(base: str, regions: frozenset[str] | None) -> str:
    """The settings key of what a run last saw: the province's own, or one per set of regions (a city's
    runs keep theirs apart, so they never hide a change from the province's run or from another city's)."""
    if regions is None:
        return base
    import hashlib

    return f"{base}|" + hashlib.sha256("\n".join(sorted(regions)).encode("utf-8")).hexdigest()[:32]


def _card_changes(
    store: Store, snap: Any, now: datetime, key: str = _CARDS_KEY
) -> tuple[list[TaskEvent], dict[str, str]]:
    """预警通知 events since the cards last seen (kept in the settings); the first look only records them."""
    from .hooks import card_events

    with store.session() as s:
        row = s.get(SettingRow, key)
        before = dict(row.value) if row is not None else None
    names = {lv.key: lv.name for lv in snap.rules.levels}
    evs, after = card_events(before or {}, snap.statuses, names, now)
    return (evs if before is not None else []), after


_STEPS_KEY = "lifecycle"


def _closed_in_lifecycle(snap: Any) -> set[tuple[str, ...]]:
    """Tasks closed (销号) in the supervision loop, and lead units whose own part is closed."""
    out: set[tuple[str, ...]] = set()
    for st in snap.statuses:
        if st.lifecycle == "closed":
            out.add((st.plan, st.id))
        out.update((st.plan, st.id, u) for u, state in st.unit_lifecycle.items() if state == "closed")
    return out


def _new_steps(
    store: Store, steps: Sequence[Any], snap: Any, key: str = _STEPS_KEY
) -> tuple[list[TaskEvent], dict[str, int]]:
    """Notices for the lifecycle steps after the last one seen; the first look only records it."""
    from .hooks import lifecycle_events

    with store.session() as s:
        row = s.get(SettingRow, key)
        last = int(row.value.get("last_id", 0)) if row is not None else None
    top = max((int(st.id) for st in steps), default=last or 0)
    if last is None:
        return [], {"last_id": top}
    titles = {(t.plan, t.id): (t.title, t.deadline) for t in snap.tasks}
    return lifecycle_events([st for st in steps if int(st.id) > last], titles), {"last_id": max(top, last)}


def _save_setting(store: Store, key: str, value: dict[str, Any], actor: str, now: datetime) -> None:
    """Insert or update one setting; a concurrent run that inserted it first turns ours into an update."""
    from sqlalchemy.exc import IntegrityError

    for attempt in range(2):
        try:
            with store.session(write=True) as s:
                row = s.get(SettingRow, key)
                if row is None:
                    s.add(SettingRow(key=key, value=value, updated_at=now, updated_by=actor))
                elif row.value != value:
                    row.value, row.updated_at, row.updated_by = value, now, actor
            return
        except IntegrityError:
            if attempt:
                raise


@dataclass
class RunReport:
    """What ``notify`` did (or, in a dry run, would do).

    Parameters
    ----------
    now
        When it ran.
    dry_run
        Nothing was written (no ``send``, or no channel on).
    channels
        The enabled channels.
    rules
        The rules applied.
    planned, queued
        Messages planned, and those newly queued.
    unreached
        (reason, unit) pairs no channel reaches.
    skipped
        Ids of pending messages no longer wanted.
    send
        The sending pass.
    pending_due
        In a dry run: messages in the outbox due now.
    warnings
        Chinese lines for the office.

    Examples
    --------
    >>> report = RunReport(datetime(2021, 10, 8, 9, 0), False, ("mail",), NotifyRules(), send=SendReport(sent=[1]))
    >>> report.summary()
    '新加入发件箱 0 条;发送成功 1 条'
    """

    now: datetime
    dry_run: bool
    channels: tuple[str, ...]
    rules: NotifyRules
    planned: tuple[Message, ...] = ()
    queued: tuple[Message, ...] = ()
    unreached: tuple[tuple[str, str], ...] = ()
    skipped: tuple[int, ...] = ()
    send: SendReport = field(default_factory=SendReport)
    pending_due: int = 0
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        """One Chinese line: what was planned, queued, sent, skipped, deferred.

        Returns
        -------
        str
            The counts joined by ``;`` (a preview says so and counts what would be planned).

        Examples
        --------
        >>> report = RunReport(datetime(2021, 10, 8, 9, 0), False, ("mail",), NotifyRules(), send=SendReport(sent=[1]))
        >>> report.summary()
        '新加入发件箱 0 条;发送成功 1 条'
        >>> RunReport(datetime(2021, 10, 8, 9, 0), True, ("mail",), NotifyRules()).summary()
        '预览(未写入、未发送);计划 0 条'
        """
        if self.dry_run:
            head = (
                "未开启任何发送通道(WORKBENCH_NOTIFY_CHANNELS),只预览不发送"
                if not self.channels
                else "预览(未写入、未发送)"
            )
            parts = [head, f"计划 {len(self.planned)} 条"]
            if self.pending_due:
                parts.append(f"发件箱中待发送 {self.pending_due} 条")
        else:
            parts = [f"新加入发件箱 {len(self.queued)} 条"]
            if self.skipped:
                parts.append(f"不再需要而跳过 {len(self.skipped)} 条")
            parts.append(f"发送成功 {len(self.send.sent)} 条")
            if self.send.retrying:
                parts.append(f"失败待重试 {len(self.send.retrying)} 条")
            if self.send.failed:
                parts.append(f"发送失败 {len(self.send.failed)} 条")
            if self.send.quiet:
                parts.append(f"当前处于免打扰时段({self.rules.quiet_start}—{self.rules.quiet_end}),暂不发送")
            if self.send.deferred:
                parts.append(f"因每日上限顺延 {self.send.deferred} 条")
        if self.unreached:
            parts.append(f"{len({u for _, u in self.unreached})} 个单位没有可用的联系方式")
        return ";".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """As JSON for the command line (robot addresses masked).

        Returns
        -------
        dict
            The run's time, mode, channels, rules, messages planned/queued/skipped, the send counts,
            the units not reached, warnings and :meth:`summary`.

        Examples
        --------
        >>> d = RunReport(datetime(2021, 10, 8, 9, 0), False, ("mail",), NotifyRules(), send=SendReport(sent=[1])).to_dict()
        >>> d["now"], d["sent"], d["summary"]
        ('2021-10-08 09:00:00', [1], '新加入发件箱 0 条;发送成功 1 条')
        """
        send = self.send
        return {
            "now": self.now.isoformat(sep=" "),
            "dry_run": self.dry_run,
            "channels": list(self.channels),
            "rules": self.rules.to_dict(),
            "planned": [m.to_dict() for m in self.planned],
            "queued": [m.id for m in self.queued],
            "skipped": list(self.skipped),
            "sent": send.sent,
            "retrying": send.retrying,
            "failed": send.failed,
            "deferred": send.deferred,
            "quiet": send.quiet,
            "pending_due": self.pending_due,
            "unreached": [{"reason": r, "reason_name": REASONS[r], "unit": u} for r, u in self.unreached],
            "warnings": list(self.warnings) + send.warnings,
            "summary": self.summary(),
        }


def run_notify(
    store: Store,
    now: datetime | None = None,
    *,
    send: bool = False,
    actor: str = "cli",
    channels: Iterable[str] | None = None,
    rules: NotifyRules | None = None,
    mail: MailSettings | None = None,
    deliver: Deliver | None = None,
    opener: Any = None,
    closed_tasks: Iterable[tuple[str, ...]] = (),
    events: Sequence[TaskEvent] = (),
    steps: Sequence[Any] | None = None,
    regions: frozenset[str] | None = None,
) -> RunReport:
    """Plan, then (with ``send`` and at least one channel on) queue, re-check and send what is due.

    ``regions``: a city's office's run — only the messages of those regions' plans are planned,
    queued, re-checked and sent; every other region's outbox rows are left as they are.

    Without ``send`` — or with no channel turned on — nothing is written: the report shows what
    would be queued, for every channel the contacts have.

    ``steps``: the supervision loop's stored steps (default: read from the store; objects with ``id,
    plan, task, unit, kind, at, note, new_date``); those newer than the last run's become
    延期审批结果/办结申请退回 notices (the first run only records where it stands).  Tasks closed in the
    loop (销号, whole or one lead unit's part) get no 催办 or deadline reminder; ``closed_tasks`` adds
    more (see :func:`plan_scheduled`).

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`; the guarded store checks roles first).
    now
        The current time; default the clock.
    send
        Queue and send (else only preview).
    actor
        Who makes the change (audited).
    channels
        Default the enabled channels (``WORKBENCH_NOTIFY_CHANNELS``).
    rules
        Default the stored ones.
    mail, deliver, opener
        As for :func:`send_due`.
    closed_tasks
        More closed tasks (see :func:`plan_scheduled`).
    events
        Lifecycle events to notify as well.
    steps
        The supervision loop's steps (default read from the store).
    regions
        Only these regions' messages (``""``: plans of no region); default all.

    Returns
    -------
    RunReport
        What was (or would be) planned, queued, skipped and sent.

    Raises
    ------
    NotifyError
        ``WORKBENCH_NOTIFY_CHANNELS`` names an unknown channel, or mail settings are wrong.

    Examples
    --------
    >>> from tasks import plan_files, read_plan_file
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(read_plan_file(plan_files()[0]), actor="admin")
    >>> _ = save_contact(store, Contact("市公安局", person="张三", email="zs@example.cn"), actor="admin")
    >>> run_notify(store, datetime(2021, 8, 27, 9, 0), channels=["mail"]).summary()  # a preview: nothing written
    '预览(未写入、未发送);计划 1 条;13 个单位没有可用的联系方式'
    >>> run_notify(store, datetime(2021, 8, 27, 9, 0), send=True, channels=["mail"], deliver=lambda m, c: None).summary()
    '新加入发件箱 1 条;发送成功 1 条;13 个单位没有可用的联系方式'
    """
    from ..progress import snapshot

    now = now or _now()
    chans = enabled_channels() if channels is None else frozenset(channels)
    rules = rules or load_notify_rules(store)
    dry = not send or not chans
    plan_channels = ("mail", "dingtalk", "wecom", "webhook", "sms") if dry else tuple(sorted(chans))
    snap = snapshot(store, now.date())
    closed = {*closed_tasks, *_closed_in_lifecycle(snap)}
    if steps is None:  # the supervision loop's stored steps (延期审批, 退回…) since the last run
        from ..progress.lifecycle import events as lifecycle_steps

        steps = lifecycle_steps(store, all_plans=True)
    planned = plan_scheduled(
        store, now, rules=rules, channels=plan_channels, closed_tasks=closed, snap=snap, regions=regions
    )
    cards_key, steps_key = _marker(_CARDS_KEY, regions), _marker(_STEPS_KEY, regions)
    cards_after = None
    if rules.on("card"):
        card_evs, cards_after = _card_changes(store, snap, now, cards_key)
        events = [*events, *card_evs]
    seen_after = None
    if steps is not None:
        step_evs, seen_after = _new_steps(store, steps, snap, steps_key)
        events = [*events, *step_evs]
    if events:
        ev = plan_events(store, events, now, rules=rules, channels=plan_channels, regions=regions)
        planned = Planned(planned.messages + ev.messages, planned.unreached + ev.unreached, planned.wanted_units)
    if dry:
        with store.session() as s:
            have = set(s.scalars(select(OutboxRow.key).where(OutboxRow.key.in_([m.key for m in planned.messages]))))
            q = (
                select(func.count())
                .select_from(OutboxRow)
                .where(OutboxRow.status == "pending", OutboxRow.next_at <= now)
            )
            if regions is not None:
                q = q.where(OutboxRow.region.in_(sorted(regions)))
            pending = s.scalar(q) or 0
        fresh = tuple(m for m in planned.messages if m.key not in have)
        return RunReport(now, True, tuple(sorted(chans)), rules, fresh, (), planned.unreached, pending_due=pending)
    queued = queue_messages(store, planned.messages, now, actor)
    if cards_after is not None:
        _save_setting(store, cards_key, cards_after, actor, now)
    if seen_after is not None:
        _save_setting(store, steps_key, seen_after, actor, now)
    skipped = _recheck(store, planned, rules, chans, now, regions)
    rep = send_due(
        store, now, actor, channels=chans, rules=rules, mail=mail, deliver=deliver, opener=opener, regions=regions
    )
    return RunReport(
        now, False, tuple(sorted(chans)), rules, planned.messages, tuple(queued), planned.unreached, tuple(skipped), rep
    )


# -- the outbox for the office -------------------------------------------------------------------------------------
def outbox(
    store: Store,
    *,
    status: str | None = None,
    unit: str | None = None,
    limit: int = 1000,
    regions: frozenset[str] | None = None,
) -> list[Message]:
    """Messages, newest first.

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`; the guarded store checks roles first).
    status
        Only messages in this state (one of :data:`~tasks.notify.STATUSES`).
    unit
        Only messages for this unit.
    limit
        At most this many.
    regions
        Only these regions' messages (``""``: plans of no region); default all.

    Returns
    -------
    list of Message
        Newest first.

    Examples
    --------
    >>> from tasks import plan_files, read_plan_file
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(read_plan_file(plan_files()[0]), actor="admin")
    >>> _ = save_contact(store, Contact("市公安局", phone="13800000000", email="zs@example.cn"), actor="admin")
    >>> _ = notify_events(store, [TaskEvent("sign", "42", "测试方案", "1", "市公安局")], "admin", channels=["mail", "sms"])
    >>> [(m.id, m.channel, m.status) for m in outbox(store)], len(outbox(store, status="sent"))
    ([(2, 'sms', 'pending'), (1, 'mail', 'pending')], 0)
    """
    with store.session() as s:
        q = select(OutboxRow)
        if status:
            q = q.where(OutboxRow.status == status)
        if unit:
            q = q.where(OutboxRow.unit == unit)
        if regions is not None:
            q = q.where(OutboxRow.region.in_(sorted(regions)))
        return [_msg(r) for r in s.scalars(q.order_by(OutboxRow.id.desc()).limit(limit))]


def message_regions(store: Store, ids: Iterable[int]) -> dict[int, str]:
    """Message id → the region it belongs to (``""``: plans of no region), for the ids in the outbox.

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`).
    ids
        Message ids (those not in the outbox are left out).

    Returns
    -------
    dict of int to str
        Each message's region.

    Examples
    --------
    >>> from tasks import plan_files, read_plan_file
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(read_plan_file(plan_files()[0]), actor="admin")
    >>> _ = save_contact(store, Contact("市公安局", email="zs@example.cn"), actor="admin")
    >>> _ = notify_events(store, [TaskEvent("sign", "42", "测试方案", "1", "市公安局")], "admin", channels=["mail"])
    >>> message_regions(store, [1, 99])
    {1: ''}
    """
    wanted = sorted({int(i) for i in ids})
    with store.session() as s:
        return {
            i: r or "" for i, r in s.execute(select(OutboxRow.id, OutboxRow.region).where(OutboxRow.id.in_(wanted)))
        }


def _change(
    store: Store,
    ids: Sequence[int],
    actor: str,
    now: datetime,
    allowed: tuple[str, ...],
    action: str,
    values: dict[str, Any],
    verb: str,
) -> list[int]:
    ids = sorted({int(i) for i in ids})
    if not ids:
        raise NotifyError(f"请先选择要{verb}的消息")
    with store.session(write=True) as s:
        rows = {r.id: r for r in s.scalars(select(OutboxRow).where(OutboxRow.id.in_(ids)))}
        missing = [i for i in ids if i not in rows]
        if missing:
            raise NotifyError(f"发件箱中没有编号为 {'、'.join(map(str, missing))} 的消息")
        wrong = [i for i in ids if rows[i].status not in allowed]
        if wrong:
            raise NotifyError(
                f"消息 {'、'.join(map(str, wrong))} 的状态不能{verb}(只有"
                f"{'、'.join({'failed': '发送失败', 'pending': '待发送'}[a] for a in allowed)}的消息可以)"
            )
        for r in rows.values():
            for k, v in values.items():
                setattr(r, k, v)
            r.updated_at = now
        store._audit(s, actor, action, "、".join(map(str, ids)))
    return ids


def retry_messages(store: Store, ids: Sequence[int], actor: str, *, now: datetime | None = None) -> list[int]:
    """Failed messages go back to pending with a fresh count of attempts (sent on the next run).

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`; the guarded store checks roles first).
    ids
        The messages' ids.
    actor
        Who makes the change (audited).
    now
        Default the clock.

    Returns
    -------
    list of int
        The ids, sorted.

    Raises
    ------
    NotifyError
        No ids, an id not in the outbox, or a message that has not failed; nothing changes then.

    Examples
    --------
    >>> from tasks import plan_files, read_plan_file
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(read_plan_file(plan_files()[0]), actor="admin")
    >>> _ = save_contact(store, Contact("市公安局", email="zs@example.cn"), actor="admin")
    >>> _ = notify_events(store, [TaskEvent("sign", "42", "测试方案", "1", "市公安局")], "admin", channels=["mail"])
    >>> retry_messages(store, [1], "admin")
    Traceback (most recent call last):
    ...
    tasks.notify.model.NotifyError: 消息 1 的状态不能重试(只有发送失败的消息可以)
    """
    now = now or _now()
    return _change(
        store,
        ids,
        actor,
        now,
        ("failed",),
        "notify_retry",
        {"status": "pending", "attempts": 0, "next_at": now},
        "重试",
    )


def cancel_messages(store: Store, ids: Sequence[int], actor: str, *, now: datetime | None = None) -> list[int]:
    """Failed or pending messages are not sent (status skipped, who cancelled noted).

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`; the guarded store checks roles first).
    ids
        The messages' ids.
    actor
        Who makes the change (audited).
    now
        Default the clock.

    Returns
    -------
    list of int
        The ids, sorted.

    Raises
    ------
    NotifyError
        No ids, an id not in the outbox, or a message already sent or skipped; nothing changes then.

    Examples
    --------
    >>> from tasks import plan_files, read_plan_file
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(read_plan_file(plan_files()[0]), actor="admin")
    >>> _ = save_contact(store, Contact("市公安局", email="zs@example.cn"), actor="admin")
    >>> _ = notify_events(store, [TaskEvent("sign", "42", "测试方案", "1", "市公安局")], "admin", channels=["mail"])
    >>> cancel_messages(store, [1], "admin"), outbox(store)[0].last_error
    ([1], '已由 admin 取消')
    >>> cancel_messages(store, [], "admin")
    Traceback (most recent call last):
    ...
    tasks.notify.model.NotifyError: 请先选择要取消的消息
    """
    now = now or _now()
    return _change(
        store,
        ids,
        actor,
        now,
        ("failed", "pending"),
        "notify_cancel",
        {"status": "skipped", "last_error": f"已由 {actor} 取消"},
        "取消",
    )


def export_send_list(
    store: Store,
    actor: str,
    *,
    fmt: str = "xlsx",
    now: datetime | None = None,
    regions: frozenset[str] | None = None,
) -> tuple[bytes, int]:
    """The pending SMS messages as a send list (单位, 联系人, 手机, 短信内容); they are marked sent
    (handed over to the SMS system).  Returns the file and how many messages it holds.

    Parameters
    ----------
    store
        The task store (the raw :class:`tasks.store.Store`; the guarded store checks roles first).
    actor
        Who makes the change (audited).
    fmt
        ``xlsx`` or ``csv``.
    now
        Default the clock.
    regions
        Only these regions' messages (``""``: plans of no region); default all.

    Returns
    -------
    tuple of (bytes, int)
        The file, and how many messages it holds.

    Raises
    ------
    NotifyError
        ``fmt`` is neither xlsx nor csv; nothing is marked sent then.

    Examples
    --------
    >>> from tasks import plan_files, read_plan_file
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(read_plan_file(plan_files()[0]), actor="admin")
    >>> _ = save_contact(store, Contact("市公安局", person="张三", phone="13800000000"), actor="admin")
    >>> _ = notify_events(store, [TaskEvent("sign", "42", "测试方案", "1", "市公安局")], "admin", channels=["sms"])
    >>> data, n = export_send_list(store, "admin", fmt="csv")
    >>> n, data.decode("utf-8-sig").splitlines()[1].split(",")[:3], outbox(store)[0].status
    (1, ['市公安局', '张三', '13800000000'], 'sent')
    """
    now = now or _now()
    with store.session(write=True) as s:
        q = select(OutboxRow).where(OutboxRow.status == "pending", OutboxRow.channel == "sms")
        if regions is not None:
            q = q.where(OutboxRow.region.in_(sorted(regions)))
        rows = list(s.scalars(q.order_by(OutboxRow.id)))
        data = send_list_bytes(
            [
                {"单位": r.unit, "联系人": r.person, "手机": r.address, "短信内容": f"{r.subject}\n{r.body}"}
                for r in rows
            ],
            fmt,
        )
        for r in rows:
            r.status, r.sent_at, r.attempts, r.updated_at = "sent", now, r.attempts + 1, now
            r.last_error = ""
        if rows:
            store._audit(s, actor, "notify_send_list", f"{len(rows)} 条", {"ids": [r.id for r in rows]})
    return data, len(rows)
