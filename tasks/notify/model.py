"""Records of the reminders: reasons, contacts, rules, events, outbox messages (all frozen).

>>> REASONS["urge"], REASONS["deadline"]
('催办', '到期提醒')
>>> r = NotifyRules()
>>> r.quiet(datetime(2021, 10, 8, 23, 0)), r.quiet(datetime(2021, 10, 8, 9, 0))
(True, False)
>>> r.bucket(datetime(2021, 10, 8, 9, 0))
'2021-W40'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from .. import labels
from ..errors import WorkbenchError

__all__ = [
    "REASONS",
    "SCHEDULED",
    "EVENT_REASONS",
    "CHANNELS",
    "CHANNEL_NAMES",
    "STATUSES",
    "STATUS_NAMES",
    "PERIODS",
    "NotifyError",
    "Contact",
    "NotifyRules",
    "TaskEvent",
    "Message",
    "rules_from_dict",
]

#: why a message is sent; the first two are planned from the store, the others come from lifecycle events
REASONS: dict[str, str] = {
    "urge": "催办",
    "deadline": "到期提醒",
    "sign": "签收通知",
    "extension": "延期审批结果",
    "returned": "办结申请退回",
    "card": "红黄牌通知",
}
SCHEDULED = ("urge", "deadline")
EVENT_REASONS = ("sign", "extension", "returned", "card")

#: where a message goes: ``mail`` (SMTP), a group robot (``dingtalk``/``wecom``), any JSON ``webhook``,
#: or ``sms`` (the send list handed to another system)
CHANNELS = ("mail", "dingtalk", "wecom", "webhook", "sms")
CHANNEL_NAMES = labels.NOTIFY_CHANNEL
STATUSES = ("pending", "sending", "sent", "failed", "skipped")
STATUS_NAMES = labels.DELIVERY_STATUS
#: "at most one reminder per unit per reason per …"
PERIODS = {"day": "每天", "week": "每周", "month": "每月"}


class NotifyError(WorkbenchError):
    """A bad contact, template, rule or channel setting (Chinese message).

    Parameters
    ----------
    *args
        As for :class:`Exception`; the first is the Chinese message.

    Examples
    --------
    >>> isinstance(NotifyError("单位名称不能为空"), WorkbenchError)
    True
    """


@dataclass(frozen=True)
class Contact:
    """How a unit is reached.  ``webhook_secret`` is 钉钉's 加签 secret (never shown back in full).

    Parameters
    ----------
    unit
        The unit's name as in the task tables.
    person
        The contact person.
    phone
        A mobile or landline number.
    email
        One or more addresses, comma-separated.
    webhook
        A group robot's address (钉钉, 企业微信 or a plain JSON webhook).
    webhook_secret
        The robot's signing secret.
    region
        The city or county whose office keeps this contact (``""``: the province's, for plans of no region).

    Examples
    --------
    >>> c = Contact("市审改办", webhook="https://oapi.dingtalk.com/robot/send?access_token=abcdef", webhook_secret="SEC1")
    >>> c.to_dict()["webhook"], c.to_dict()["webhook_secret"]
    ('https://oapi.dingtalk.com/robot/send?access_token=abc…', '已设置')
    """

    unit: str
    person: str = ""
    phone: str = ""
    email: str = ""
    webhook: str = ""
    webhook_secret: str = ""
    region: str = ""

    @property
    def webhook_kind(self) -> str:
        """``dingtalk``, ``wecom`` or ``webhook`` from the robot address (empty without one).

        Recognised by the robots' API paths, so 政务钉钉/专有钉钉 deployments on other hosts count too.

        >>> Contact("x", webhook="https://oapi.dingtalk.com/robot/send?access_token=1").webhook_kind
        'dingtalk'
        >>> Contact("x", webhook="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1").webhook_kind
        'wecom'
        >>> Contact("x", webhook="https://oa.example.gov.cn/api/notice").webhook_kind
        'webhook'
        """
        if not self.webhook:
            return ""
        from urllib.parse import urlsplit

        parts = urlsplit(self.webhook.lower())
        if "dingtalk.com" in parts.netloc or parts.path.rstrip("/").endswith("/robot/send"):
            return "dingtalk"
        if "qyapi.weixin.qq.com" in parts.netloc or parts.path.rstrip("/").endswith("/cgi-bin/webhook/send"):
            return "wecom"
        return "webhook"

    def to_dict(self, *, reveal: bool = False) -> dict[str, Any]:
        """As JSON: the robot address's token and the signing secret are masked unless ``reveal``.

        Parameters
        ----------
        reveal : bool, optional
            Give the address and secret in full (for the owner's edit form; default False).

        Returns
        -------
        dict
            Every field plus ``webhook_kind``.

        Examples
        --------
        >>> c = Contact("市审改办", webhook="https://oapi.dingtalk.com/robot/send?access_token=abcdef", webhook_secret="SEC1")
        >>> c.to_dict()["webhook"], c.to_dict()["webhook_secret"], c.to_dict(reveal=True)["webhook_secret"]
        ('https://oapi.dingtalk.com/robot/send?access_token=abc…', '已设置', 'SEC1')
        """
        from .channels import mask_url

        d = asdict(self)
        if not reveal:
            d["webhook"] = mask_url(self.webhook)
            d["webhook_secret"] = "已设置" if self.webhook_secret else ""
        d["webhook_kind"] = self.webhook_kind
        return d


def _hm(text: str, where: str) -> time:
    try:
        h, m = str(text).strip().replace("：", ":").split(":")
        return time(int(h), int(m))
    except ValueError:
        raise NotifyError(f"{where}“{text}”应写成 时:分,如 22:00") from None


@dataclass(frozen=True)
class NotifyRules:
    """What the office decided: which reasons are on, when and how often messages may go.

    ``quiet_start``/``quiet_end`` (HH:MM, may wrap midnight; equal means no quiet hours);
    ``daily_cap`` messages per day in all (0: no cap) and ``unit_daily_cap`` per unit;
    ``max_attempts`` tries per message, ``backoff_minutes`` before the 2nd try, doubling after.

    Parameters
    ----------
    reasons
        The reasons turned on (keys of :data:`REASONS`).
    days_ahead
        Days before a deadline that the deadline reminder goes (0–365).
    period
        ``day``, ``week`` or ``month``: at most one reminder per unit and reason in each.
    quiet_start, quiet_end
        The quiet hours, ``HH:MM``.
    daily_cap, unit_daily_cap
        Messages a day in all (0–100000) and per unit (0–1000); 0 means no cap.
    max_attempts
        Tries per message (1–20).
    backoff_minutes
        Minutes before the second try (0–1440).
    timeout_seconds
        Seconds a mail server or robot may take to answer (0.1–120).

    Raises
    ------
    NotifyError
        An unknown reason or period, a number out of its range, or a time not written ``HH:MM``.

    Examples
    --------
    >>> NotifyRules(quiet_start="22:00", quiet_end="22:00").quiet(datetime(2021, 10, 8, 23, 0))
    False
    >>> NotifyRules(max_attempts=0)
    Traceback (most recent call last):
    ...
    tasks.notify.model.NotifyError: 最多尝试次数应为 1 到 20 之间的整数,现为“0”
    """

    reasons: tuple[str, ...] = tuple(REASONS)
    days_ahead: int = 7
    period: str = "week"
    quiet_start: str = "20:00"
    quiet_end: str = "08:00"
    daily_cap: int = 200
    unit_daily_cap: int = 5
    max_attempts: int = 3
    backoff_minutes: int = 5
    timeout_seconds: float = 10.0

    def __post_init__(self) -> None:
        bad = [r for r in self.reasons if r not in REASONS]
        if bad:
            raise NotifyError(f"未知的提醒类型:{'、'.join(bad)};可用:{'、'.join(REASONS)}")
        if self.period not in PERIODS:
            raise NotifyError(f"提醒周期“{self.period}”无效,应为 day(每天)、week(每周)或 month(每月)")
        for name, value, low, high in (
            ("提前天数", self.days_ahead, 0, 365),
            ("每日发送上限", self.daily_cap, 0, 100000),
            ("每单位每日上限", self.unit_daily_cap, 0, 1000),
            ("最多尝试次数", self.max_attempts, 1, 20),
            ("重试间隔(分钟)", self.backoff_minutes, 0, 1440),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise NotifyError(f"{name}应为 {low} 到 {high} 之间的整数,现为“{value}”")
        if not 0.1 <= float(self.timeout_seconds) <= 120:
            raise NotifyError(f"请求超时应在 0.1 到 120 秒之间,现为“{self.timeout_seconds}”")
        _hm(self.quiet_start, "免打扰开始时间")
        _hm(self.quiet_end, "免打扰结束时间")

    def on(self, reason: str) -> bool:
        """True when messages for ``reason`` are turned on.

        Parameters
        ----------
        reason : str
            A key of :data:`REASONS` (``urge``, ``deadline``…).

        Returns
        -------
        bool
            Whether ``reason`` is among :attr:`reasons`.

        Examples
        --------
        >>> r = NotifyRules(reasons=("urge",))
        >>> r.on("urge"), r.on("deadline")
        (True, False)
        """
        return reason in self.reasons

    def quiet(self, now: datetime) -> bool:
        """True inside the quiet hours (nothing is sent then).

        Parameters
        ----------
        now : datetime
            The moment to test.

        Returns
        -------
        bool
            Whether ``now`` falls in ``quiet_start``–``quiet_end`` (which may run past midnight); never
            when the two are equal.

        Examples
        --------
        >>> r = NotifyRules()
        >>> r.quiet(datetime(2021, 10, 8, 23, 0)), r.quiet(datetime(2021, 10, 8, 9, 0))
        (True, False)
        """
        start, end, t = _hm(self.quiet_start, ""), _hm(self.quiet_end, ""), now.time()
        if start == end:
            return False
        return start <= t < end if start < end else (t >= start or t < end)

    def quiet_until(self, now: datetime) -> datetime:
        """When the quiet hours that contain ``now`` end (``now`` itself outside them).

        Parameters
        ----------
        now : datetime
            The moment to test.

        Returns
        -------
        datetime
            The end of the quiet hours ``now`` is in (the next morning for a late evening), else ``now``.

        Examples
        --------
        >>> NotifyRules().quiet_until(datetime(2021, 10, 8, 23, 30))
        datetime.datetime(2021, 10, 9, 8, 0)
        >>> NotifyRules().quiet_until(datetime(2021, 10, 8, 10, 0))
        datetime.datetime(2021, 10, 8, 10, 0)
        """
        if not self.quiet(now):
            return now
        end = datetime.combine(now.date(), _hm(self.quiet_end, ""))
        return end if end > now else end + timedelta(days=1)

    def bucket(self, now: datetime) -> str:
        """The period ``now`` falls in (``2021-10-08`` / ``2021-W40`` / ``2021-10``).

        Parameters
        ----------
        now : datetime
            The moment.

        Returns
        -------
        str
            The day, ISO week or month of ``now``, as :attr:`period` says; a unit gets one message of a
            kind per bucket.

        Examples
        --------
        >>> now = datetime(2021, 10, 8, 9, 0)
        >>> NotifyRules().bucket(now), NotifyRules(period="day").bucket(now), NotifyRules(period="month").bucket(now)
        ('2021-W40', '2021-10-08', '2021-10')
        """
        if self.period == "day":
            return now.date().isoformat()
        if self.period == "month":
            return f"{now:%Y-%m}"
        y, w, _ = now.isocalendar()
        return f"{y}-W{w:02d}"

    def backoff(self, attempts: int) -> timedelta:
        """Wait after the ``attempts``-th failed try: base, 2×base, 4×base…

        Parameters
        ----------
        attempts : int
            Failed tries so far (1 for the first failure).

        Returns
        -------
        timedelta
            ``backoff_minutes`` doubled for each failure after the first.

        Examples
        --------
        >>> [NotifyRules(backoff_minutes=5).backoff(n).seconds // 60 for n in (1, 2, 3)]
        [5, 10, 20]
        """
        return timedelta(minutes=self.backoff_minutes * 2 ** max(0, attempts - 1))

    def to_dict(self) -> dict[str, Any]:
        """As JSON (what :func:`rules_from_dict` reads back).

        Returns
        -------
        dict
            Every field; ``reasons`` as a list.

        Examples
        --------
        >>> d = NotifyRules(reasons=("urge",), period="day").to_dict()
        >>> d["reasons"], d["period"], rules_from_dict(d) == NotifyRules(reasons=("urge",), period="day")
        (['urge'], 'day', True)
        """
        d = asdict(self)
        d["reasons"] = list(self.reasons)
        return d

    def describe(self) -> str:
        """One Chinese line for pages and the command line.

        Returns
        -------
        str
            The reasons turned on, the days ahead, the period, the quiet hours, the caps and the retries.

        Examples
        --------
        >>> NotifyRules(reasons=("urge",), period="day").describe()[:26]
        '开启:催办;到期前 7 天提醒;同一单位同类提醒每天'
        """
        on = "、".join(REASONS[r] for r in self.reasons) or "无"
        cap = f"每日最多 {self.daily_cap} 条" if self.daily_cap else "每日不限条数"
        ucap = f"每单位每日最多 {self.unit_daily_cap} 条" if self.unit_daily_cap else "每单位不限"
        quiet = "无免打扰时段" if self.quiet_start == self.quiet_end else f"{self.quiet_start}—{self.quiet_end} 免打扰"
        return (
            f"开启:{on};到期前 {self.days_ahead} 天提醒;同一单位同类提醒{PERIODS[self.period]}至多一次;"
            f"{quiet};{cap}、{ucap};失败重试至多 {self.max_attempts} 次"
        )


def rules_from_dict(d: dict[str, Any]) -> NotifyRules:
    """Checked rules from a dict (stored JSON or the page's form); unknown keys are refused.

    Parameters
    ----------
    d
        Some of :class:`NotifyRules`' fields, as text or numbers; ``reasons`` may be a comma-separated
        string. Missing fields keep their defaults.

    Returns
    -------
    NotifyRules
        The checked rules.

    Raises
    ------
    NotifyError
        An unknown key, a value that is not a number where one is needed, or any check of
        :class:`NotifyRules` failing.

    Examples
    --------
    >>> rules_from_dict({"reasons": "urge,sign", "period": " day "}).reasons
    ('urge', 'sign')
    >>> rules_from_dict({"colour": "red"})
    Traceback (most recent call last):
    ...
    tasks.notify.model.NotifyError: 未知的提醒规则项:colour
    >>> rules_from_dict({"days_ahead": "3"}).days_ahead
    3
    >>> rules_from_dict({"days_ahead": "三"})
    Traceback (most recent call last):
    tasks.notify.model.NotifyError: 提前天数应为整数,现为“三”
    """
    names = {
        "reasons": "提醒类型",
        "days_ahead": "提前天数",
        "period": "提醒周期",
        "quiet_start": "免打扰开始时间",
        "quiet_end": "免打扰结束时间",
        "daily_cap": "每日发送上限",
        "unit_daily_cap": "每单位每日上限",
        "max_attempts": "最多尝试次数",
        "backoff_minutes": "重试间隔(分钟)",
        "timeout_seconds": "请求超时",
    }
    unknown = sorted(set(d) - set(names))
    if unknown:
        raise NotifyError(f"未知的提醒规则项:{'、'.join(unknown)}")
    values: dict[str, Any] = {}
    for key, value in d.items():
        if key == "reasons":
            values[key] = tuple(value.split(",") if isinstance(value, str) else value)
        elif key in ("period", "quiet_start", "quiet_end"):
            values[key] = str(value).strip()
        elif key == "timeout_seconds":
            try:
                values[key] = float(value)
            except (TypeError, ValueError):
                raise NotifyError(f"{names[key]}应为秒数,现为“{value}”") from None
        else:
            try:
                values[key] = int(str(value).strip())
            except (TypeError, ValueError):
                raise NotifyError(f"{names[key]}应为整数,现为“{value}”") from None
    return replace(NotifyRules(), **values)


@dataclass(frozen=True)
class TaskEvent:
    """Something that happened to a task in the lifecycle, for one unit to hear about.

    ``kind``: ``sign`` (new task to sign for), ``extension`` (extension decided), ``returned``
    (claim returned) or ``card`` (card issued or changed).  ``event_id`` is unique per event
    (request id, history row id…): the same event is never queued twice.  ``detail`` is the
    decision or note in words (``同意延期至2021-12-31``, the return note, ``黄牌→红牌``).

    Parameters
    ----------
    kind
        ``sign``, ``extension``, ``returned`` or ``card``.
    event_id
        Unique per event (the queue's key).
    plan, task_id, unit
        Whose task, and the unit to tell.
    task_title
        The task's name, for the message.
    at
        When it happened.
    deadline
        The task's (new) deadline.
    detail
        The decision or note in words.
    task_closed
        The task is done (no deadline reminders follow).
    items
        Several tasks in one notice, one line each.

    Raises
    ------
    NotifyError
        An unknown ``kind``, or an empty ``event_id`` or ``unit``.

    Examples
    --------
    >>> TaskEvent("extension", "r7", "测试方案", "5", "市审改办", detail="同意延期至2021-12-31").detail
    '同意延期至2021-12-31'
    >>> TaskEvent("fax", "1", "测试方案", "5", "市审改办")
    Traceback (most recent call last):
    ...
    tasks.notify.model.NotifyError: 未知的事件类型“fax”,应为 sign、extension、returned、card 之一
    """

    kind: str
    event_id: str
    plan: str
    task_id: str
    unit: str
    task_title: str = ""
    at: datetime | None = None
    deadline: date | None = None
    detail: str = ""
    task_closed: bool = False
    #: several tasks in one notice (one line each, e.g. ``4 周末轮班(完成时限 2021-10-31)``)
    items: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in EVENT_REASONS:
            raise NotifyError(f"未知的事件类型“{self.kind}”,应为 {'、'.join(EVENT_REASONS)} 之一")
        if not str(self.event_id).strip() or not self.unit.strip():
            raise NotifyError("事件缺少编号或单位")


@dataclass(frozen=True)
class Message:
    """One outbox message (a row of ``notify_outbox``).

    Parameters
    ----------
    key
        Unique per message (the same reminder is never queued twice).
    reason
        A key of :data:`REASONS`.
    unit, person
        Who it is for.
    channel
        One of :data:`CHANNELS`.
    address
        The e-mail address, robot address or phone number.
    subject, body
        The rendered wording.
    plan, task_id, period
        What it is about (``period``: the bucket of :meth:`NotifyRules.bucket`).
    id
        The row id once stored.
    status
        One of :data:`STATUSES`.
    attempts, last_error
        Tries so far and the last failure's Chinese reason.
    created_at, next_at, sent_at
        When it was queued, when it may be tried next, when it left.
    tasks
        The task lines the message lists.
    region
        The region of the plan it is about (``""``: plans of no region); that region's office sends it.

    Examples
    --------
    >>> m = Message("k1", "urge", "市审改办", "dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=abcdef",
    ...             "催办", "请报送")
    >>> d = m.to_dict()
    >>> d["address"], d["reason_name"], d["status_name"]
    ('https://oapi.dingtalk.com/robot/send?access_token=abc…', '催办', '待发送')
    """

    key: str
    reason: str
    unit: str
    channel: str
    address: str
    subject: str
    body: str
    person: str = ""
    plan: str = ""
    task_id: str = ""
    period: str = ""
    id: int | None = None
    status: str = "pending"
    attempts: int = 0
    last_error: str = ""
    created_at: datetime | None = None
    next_at: datetime | None = None
    sent_at: datetime | None = None
    tasks: tuple[str, ...] = field(default=(), compare=False)
    region: str = ""

    def to_dict(self) -> dict[str, Any]:
        """As JSON for pages and the command line: robot addresses masked, Chinese names added.

        Returns
        -------
        dict
            Every field (times as ISO text) plus ``reason_name``, ``status_name`` and ``channel_name``.

        Examples
        --------
        >>> m = Message("k1", "urge", "市审改办", "dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=abcdef",
        ...             "催办", "请报送", created_at=datetime(2021, 10, 8, 9, 0))
        >>> d = m.to_dict()
        >>> d["address"], d["channel_name"], d["created_at"]
        ('https://oapi.dingtalk.com/robot/send?access_token=abc…', '钉钉群机器人', '2021-10-08 09:00:00')
        """
        from .channels import mask_url

        d = asdict(self)
        d["address"] = mask_url(self.address) if self.channel in ("dingtalk", "wecom", "webhook") else self.address
        d["reason_name"], d["status_name"] = REASONS[self.reason], STATUS_NAMES.get(self.status, self.status)
        d["channel_name"] = CHANNEL_NAMES.get(self.channel, self.channel)
        d["tasks"] = list(self.tasks)
        for k in ("created_at", "next_at", "sent_at"):
            d[k] = d[k].isoformat(sep=" ") if d[k] else None
        return d
