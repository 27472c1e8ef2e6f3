"""How messages leave: SMTP mail, 钉钉/企业微信 group robots, a plain JSON webhook, and the SMS send list.

Mail settings come from the environment (``WORKBENCH_SMTP_HOST``, ``_PORT``, ``_USER``,
``_PASSWORD``, ``_FROM``, ``_TLS`` = none/starttls/ssl) or the same keys at the top of
``.streamlit/secrets.toml``; they are never stored in the database nor logged (the
password is left out of ``repr``).  Channels are off until ``WORKBENCH_NOTIFY_CHANNELS``
(e.g. ``mail,webhook``) turns them on: ``webhook`` covers the 钉钉, 企业微信 and plain JSON robots.

>>> sign_dingtalk("SEC000", 1700000000000)
'ltBBey5eZrWKh1cPzFIdz3v3xpkc4Tjx4lLsPSHqdtA%3D'
>>> mask_url("https://oapi.dingtalk.com/robot/send?access_token=abcdef123456")
'https://oapi.dingtalk.com/robot/send?access_token=abc…'
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import socket
import ssl
import time as _time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path
from typing import Any

from core.config import home, setting

from .model import NotifyError

__all__ = [
    "MailSettings",
    "ChannelError",
    "mail_settings",
    "enabled_channels",
    "check_webhook_url",
    "mask_url",
    "sign_dingtalk",
    "net_reason",
    "dingtalk_url",
    "robot_payload",
    "send_mail",
    "post_webhook",
    "send_list_bytes",
    "secrets_file",
    "CHANNELS_ENV",
]


def secrets_file() -> Path:
    """``.streamlit/secrets.toml`` under the workbench home (where Streamlit reads it too).

    Returns
    -------
    Path
        The file's path (it may not exist).

    Examples
    --------
    >>> secrets_file().parts[-2:]
    ('.streamlit', 'secrets.toml')
    """
    return home() / ".streamlit" / "secrets.toml"


CHANNELS_ENV = "WORKBENCH_NOTIFY_CHANNELS"
_SMTP_KEYS = ("HOST", "PORT", "USER", "PASSWORD", "FROM", "TLS")
#: channel words in WORKBENCH_NOTIFY_CHANNELS → the outbox channels they turn on
_SWITCHES = {"mail": ("mail",), "webhook": ("dingtalk", "wecom", "webhook"), "sms": ("sms",)}


class ChannelError(Exception):
    """One delivery failed (the text goes to the message's ``last_error``; the message is retried).

    Parameters
    ----------
    *args
        As for :class:`Exception`; the first is the Chinese reason.

    Examples
    --------
    >>> str(ChannelError("连接超时"))
    '连接超时'
    """


@dataclass(frozen=True)
class MailSettings:
    """Where mail goes; ``password`` is never shown (``repr`` leaves it out).

    Parameters
    ----------
    host, port
        The SMTP server.
    user, password
        The login (empty ``user``: no login).
    sender
        The From address, ``a@b`` or ``名称 <a@b>``.
    tls
        ``none``, ``starttls`` or ``ssl``.

    Examples
    --------
    >>> s = MailSettings("smtp.example.cn", 465, "ban", "secret", "ban@example.cn", "ssl")
    >>> "secret" in repr(s), s.describe()
    (False, 'smtp.example.cn:465(SSL,账号 ban)')
    """

    host: str
    port: int
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""
    tls: str = "starttls"

    def describe(self) -> str:
        """Server, port, encryption and login in Chinese words, for the settings page (no password).

        Returns
        -------
        str
            ``host:port(encryption,账号 user)``.

        Examples
        --------
        >>> MailSettings("smtp.example.cn", 25, tls="none").describe()
        'smtp.example.cn:25(不加密)'
        """
        who = f",账号 {self.user}" if self.user else ""
        return f"{self.host}:{self.port}({ {'none': '不加密', 'starttls': 'STARTTLS', 'ssl': 'SSL'}[self.tls] }{who})"


def _secrets(path: Path | None) -> Mapping[str, Any]:
    p = path or secrets_file()
    if not p.is_file():
        return {}
    try:
        return tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise NotifyError(f"{p.name} 无法读取(第 {getattr(err, 'lineno', '?')} 行附近格式有误),请检查") from None


def mail_settings(env: Mapping[str, str] | None = None, secrets_path: Path | None = None) -> MailSettings | None:
    """The SMTP settings (environment first, then secrets.toml), or None when no host is set.

    Parameters
    ----------
    env
        Variables to read instead of :data:`os.environ`.
    secrets_path
        The secrets file; default :func:`secrets_file`.

    Returns
    -------
    MailSettings or None
        ``None`` when ``WORKBENCH_SMTP_HOST`` is set nowhere (mail is off). The port defaults by
        ``tls``: 25 (none), 587 (starttls), 465 (ssl).

    Raises
    ------
    NotifyError
        The secrets file is not valid TOML, ``WORKBENCH_SMTP_TLS`` is not none/starttls/ssl, the port
        is not 1–65535, or there is no sender address.

    Examples
    --------
    >>> mail_settings({}, Path("/nonexistent")) is None
    True
    >>> mail_settings({"WORKBENCH_SMTP_HOST": "smtp.example.cn", "WORKBENCH_SMTP_TLS": "ssl",
    ...                "WORKBENCH_SMTP_FROM": "ban@example.cn"}, Path("/nonexistent")).port
    465
    >>> mail_settings({"WORKBENCH_SMTP_HOST": "h", "WORKBENCH_SMTP_PORT": "x"}, Path("/nonexistent"))
    Traceback (most recent call last):
    tasks.notify.model.NotifyError: WORKBENCH_SMTP_PORT 应为端口号(1–65535),现为“x”
    """
    secrets = _secrets(secrets_path)
    values: dict[str, str] = {}
    for key in _SMTP_KEYS:
        name = f"WORKBENCH_SMTP_{key}"
        values[key] = setting(name, environ=env) or str(secrets.get(name, "")).strip()
    if not values["HOST"]:
        return None
    tls = (values["TLS"] or "starttls").lower()
    if tls not in ("none", "starttls", "ssl"):
        raise NotifyError(f"WORKBENCH_SMTP_TLS 应为 none、starttls 或 ssl,现为“{values['TLS']}”")
    port_text = values["PORT"] or {"none": "25", "starttls": "587", "ssl": "465"}[tls]
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise NotifyError(f"WORKBENCH_SMTP_PORT 应为端口号(1–65535),现为“{port_text}”")
    sender = values["FROM"] or values["USER"]
    if not sender or "@" not in sender:
        raise NotifyError("请设置 WORKBENCH_SMTP_FROM(发件人邮箱地址,可写成 领导小组办公室 <ban@example.cn>)")
    return MailSettings(values["HOST"], int(port_text), values["USER"], values["PASSWORD"], sender, tls)


def enabled_channels(env: Mapping[str, str] | None = None) -> frozenset[str]:
    """Outbox channels turned on by ``WORKBENCH_NOTIFY_CHANNELS`` (empty: nothing leaves).

    Parameters
    ----------
    env
        Variables to read instead of :data:`os.environ`.

    Returns
    -------
    frozenset of str
        Outbox channels: ``mail``, ``dingtalk``/``wecom``/``webhook`` (all three for ``webhook``), ``sms``.

    Raises
    ------
    NotifyError
        A word other than mail, webhook or sms.

    Examples
    --------
    >>> sorted(enabled_channels({"WORKBENCH_NOTIFY_CHANNELS": "mail, webhook"}))
    ['dingtalk', 'mail', 'webhook', 'wecom']
    >>> enabled_channels({"WORKBENCH_NOTIFY_CHANNELS": "fax"})
    Traceback (most recent call last):
    tasks.notify.model.NotifyError: WORKBENCH_NOTIFY_CHANNELS 中的“fax”无效,可用:mail、webhook、sms
    """
    out: set[str] = set()
    for word in setting(CHANNELS_ENV, environ=env).replace(",", ",").split(","):
        word = word.strip().lower()
        if not word:
            continue
        if word not in _SWITCHES:
            raise NotifyError(f"{CHANNELS_ENV} 中的“{word}”无效,可用:{'、'.join(_SWITCHES)}")
        out.update(_SWITCHES[word])
    return frozenset(out)


def check_webhook_url(url: str) -> str:
    """The trimmed address if it is an http(s) URL with a host, else :class:`NotifyError`.

    Parameters
    ----------
    url
        A robot address as typed.

    Returns
    -------
    str
        The address without surrounding blanks.

    Raises
    ------
    NotifyError
        Not ``http``/``https``, no host, or blanks inside.

    Examples
    --------
    >>> check_webhook_url(" https://oapi.dingtalk.com/robot/send?access_token=x ")[:8]
    'https://'
    >>> check_webhook_url("file:///etc/passwd")
    Traceback (most recent call last):
    tasks.notify.model.NotifyError: 群机器人地址“file:///etc/passwd”无效:只接受以 http:// 或 https:// 开头的网址
    """
    url = (url or "").strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        raise NotifyError(f"群机器人地址“{url}”无效:只接受以 http:// 或 https:// 开头的网址")
    return url


def mask_url(url: str) -> str:
    """A robot address fit to show: query values (tokens, keys) cut to 3 characters.

    Parameters
    ----------
    url
        A robot address (may be empty).

    Returns
    -------
    str
        The address with each query value cut to 3 characters and ``…``; the fragment dropped.

    Examples
    --------
    >>> mask_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"), mask_url("")
    ('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693…', '')
    """
    if not url:
        return ""
    parts = urllib.parse.urlsplit(url)
    query = "&".join(
        f"{k}={v[:3]}…" if len(v) > 3 else f"{k}={v}"
        for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    )
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def net_reason(err: object) -> str:
    """A network failure in Chinese words (no English exception names for users).

    Parameters
    ----------
    err
        The exception (or a URLError's ``reason``).

    Returns
    -------
    str
        A short Chinese reason; ``发送失败`` for anything that is not a network error.

    Examples
    --------
    >>> net_reason(ConnectionRefusedError(111, "Connection refused"))
    '对方拒绝连接(服务未启动或端口不对)'
    """
    if isinstance(err, ssl.SSLError):
        return "加密连接(SSL/TLS)失败,请检查端口与加密方式"
    if isinstance(err, (TimeoutError, socket.timeout)):
        return "连接超时"
    if isinstance(err, ConnectionRefusedError):
        return "对方拒绝连接(服务未启动或端口不对)"
    if isinstance(err, socket.gaierror):
        return "找不到服务器地址(域名无法解析)"
    if isinstance(err, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError)):
        return "连接被对方中断"
    if isinstance(err, smtplib.SMTPServerDisconnected):
        return "邮件服务器断开了连接"
    if isinstance(err, OSError):
        return "网络不通或服务器不可用"
    return "发送失败"


def sign_dingtalk(secret: str, timestamp_ms: int) -> str:
    """钉钉's 加签: base64(HMAC-SHA256(secret, "timestamp\\nsecret")), url-encoded.

    Parameters
    ----------
    secret
        The robot's ``SEC…`` secret.
    timestamp_ms
        Milliseconds since the epoch (钉钉 refuses signatures over an hour old).

    Returns
    -------
    str
        The ``sign`` query value.

    Examples
    --------
    >>> sign_dingtalk("SEC000", 1700000000000)
    'ltBBey5eZrWKh1cPzFIdz3v3xpkc4Tjx4lLsPSHqdtA%3D'
    """
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def dingtalk_url(url: str, secret: str, timestamp_ms: int) -> str:
    """The robot address with ``timestamp`` and ``sign`` added (unchanged without a secret).

    Parameters
    ----------
    url
        The robot address.
    secret
        The robot's signing secret (empty: the robot does not sign).
    timestamp_ms
        Milliseconds since the epoch.

    Returns
    -------
    str
        The address to POST to.

    Examples
    --------
    >>> dingtalk_url("https://oapi.dingtalk.com/robot/send?access_token=t", "SEC000", 1700000000000)
    'https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1700000000000&sign=ltBBey5eZrWKh1cPzFIdz3v3xpkc4Tjx4lLsPSHqdtA%3D'
    >>> dingtalk_url("https://example.cn/hook", "", 1)
    'https://example.cn/hook'
    """
    if not secret:
        return url
    sep = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{sep}timestamp={timestamp_ms}&sign={sign_dingtalk(secret, timestamp_ms)}"


def robot_payload(kind: str, subject: str, body: str, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The JSON a robot expects: 钉钉/企业微信 markdown messages, or a plain object for other webhooks.

    Parameters
    ----------
    kind
        ``dingtalk``, ``wecom``, or anything else for a plain JSON webhook.
    subject, body
        The message.
    extra
        Further fields of the plain webhook object (ignored by the robots).

    Returns
    -------
    dict
        The payload for :func:`post_webhook`.

    Examples
    --------
    >>> robot_payload("webhook", "催办", "请报送", {"task": "5"})
    {'subject': '催办', 'body': '请报送', 'task': '5'}
    >>> robot_payload("dingtalk", "催办", "请报送")["msgtype"]
    'markdown'
    >>> robot_payload("wecom", "催办", "请报送")["markdown"]["content"]
    '**催办**\\n\\n请报送'
    """
    text = f"**{subject}**\n\n{body}"
    if kind == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": subject, "text": text}}
    if kind == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": text}}
    return {"subject": subject, "body": body, **(extra or {})}


Opener = Callable[..., Any]


def post_webhook(
    kind: str,
    url: str,
    payload: Mapping[str, Any],
    *,
    secret: str = "",
    timeout: float = 10.0,
    now_ms: Callable[[], int] | None = None,
    opener: Opener | None = None,
) -> None:
    """POST ``payload`` as JSON; raise :class:`ChannelError` on a network error, a timeout, a non-2xx
    answer or a robot's ``errcode`` other than 0.

    Parameters
    ----------
    kind
        ``dingtalk`` (the address is signed with ``secret``), ``wecom`` (the answer's ``errcode`` is
        checked, as for 钉钉) or ``webhook``.
    url
        The robot address (checked with :func:`check_webhook_url`).
    payload
        The JSON body, e.g. from :func:`robot_payload`.
    secret
        钉钉's signing secret.
    timeout
        Seconds to wait for the answer.
    now_ms
        The clock for the signature (tests fix it).
    opener
        Replaces :func:`urllib.request.urlopen`.

    Raises
    ------
    NotifyError
        ``url`` is not an http(s) address.
    ChannelError
        The request failed, timed out, got a non-2xx answer, or the robot refused it (its Chinese
        reason names the cause; no URL or token in it).

    Examples
    --------
    >>> import contextlib, io
    >>> sent = []
    >>> def opener(req, timeout):  # stands in for urlopen: records the request, answers like 钉钉
    ...     sent.append(req.full_url)
    ...     return contextlib.nullcontext(io.BytesIO(b'{"errcode": 0}'))
    >>> post_webhook("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=t",
    ...              robot_payload("dingtalk", "催办", "请报送"), secret="SEC000",
    ...              now_ms=lambda: 1700000000000, opener=opener)
    >>> sent[0].endswith("sign=ltBBey5eZrWKh1cPzFIdz3v3xpkc4Tjx4lLsPSHqdtA%3D")
    True
    >>> post_webhook("webhook", "http://127.0.0.1:1/hook", {"subject": "催办"}, timeout=5)
    Traceback (most recent call last):
    ...
    tasks.notify.channels.ChannelError: 无法连接机器人接口:对方拒绝连接(服务未启动或端口不对)
    """
    check_webhook_url(url)
    if kind == "dingtalk":
        url = dingtalk_url(url, secret, (now_ms or (lambda: int(_time.time() * 1000)))())
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with (opener or urllib.request.urlopen)(req, timeout=timeout) as resp:
            raw = resp.read(65536)
    except urllib.error.HTTPError as err:
        raise ChannelError(f"机器人接口返回 HTTP {err.code}") from None
    except TimeoutError:
        raise ChannelError(f"机器人接口 {timeout:g} 秒内无应答(超时)") from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise ChannelError(f"机器人接口 {timeout:g} 秒内无应答(超时)") from None
        raise ChannelError(f"无法连接机器人接口:{net_reason(reason)}") from None
    if kind in ("dingtalk", "wecom"):
        try:
            answer = json.loads(raw.decode("utf-8") or "{}")
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ChannelError("机器人接口的应答不是 JSON") from None
        if isinstance(answer, dict) and answer.get("errcode", 0) not in (0, "0"):
            raise ChannelError(f"机器人拒收:errcode={answer.get('errcode')} {answer.get('errmsg', '')}".strip())


def _sender(text: str) -> str:
    """``名称 <a@b>`` or ``a@b`` as an RFC 2047-encoded From header."""
    if "<" in text and text.rstrip().endswith(">"):
        name, addr = text.rsplit("<", 1)
        return formataddr((name.strip().strip('"'), addr.rstrip("> ").strip()))
    return text.strip()


def send_mail(
    settings: MailSettings,
    to: Sequence[str],
    subject: str,
    body: str,
    *,
    timeout: float = 10.0,
    to_name: str = "",
    context: ssl.SSLContext | None = None,
) -> None:
    """Send one UTF-8 text mail; raise :class:`ChannelError` (no password in it) when it fails.

    The server's certificate is verified against the system's trusted CAs (``context`` replaces them).

    Parameters
    ----------
    settings
        From :func:`mail_settings`.
    to
        Recipient addresses.
    subject, body
        The mail (plain text, UTF-8).
    timeout
        Seconds for each step of the SMTP conversation.
    to_name
        The recipient's name in the ``To`` header (used when there is one recipient).
    context
        The TLS context for ``ssl``/``starttls``.

    Raises
    ------
    ChannelError
        The server cannot be reached, has no STARTTLS when asked for it, refuses the login or a
        recipient, or answers with an error code.

    Examples
    --------
    >>> send_mail(MailSettings("127.0.0.1", 1, sender="ban@example.cn", tls="none"),
    ...           ["a@example.cn"], "催办", "请报送", timeout=5)
    Traceback (most recent call last):
    ...
    tasks.notify.channels.ChannelError: 无法通过 127.0.0.1:1 发信:对方拒绝连接(服务未启动或端口不对)
    """
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = _sender(settings.sender)
    if to_name and len(to) == 1:
        user, _, domain = to[0].partition("@")
        msg["To"] = Address(display_name=to_name, username=user, domain=domain)
    else:
        msg["To"] = ", ".join(to)
    msg["Message-ID"] = make_msgid(domain=(settings.sender.rsplit("@", 1)[-1].strip("> ") or "workbench"))
    msg.set_content(body, charset="utf-8")
    envelope_from = settings.sender.rsplit("<", 1)[-1].rstrip("> ").strip()
    try:
        if settings.tls == "ssl":
            server: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=timeout, context=context or ssl.create_default_context()
            )
        else:
            server = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
        with server:
            if settings.tls == "starttls":
                server.ehlo()
                if not server.has_extn("starttls"):
                    raise ChannelError(
                        f"邮件服务器 {settings.host} 不支持 STARTTLS;如确认无需加密,请设 WORKBENCH_SMTP_TLS=none"
                    )
                server.starttls(context=context or ssl.create_default_context())
            if settings.user:
                server.login(settings.user, settings.password)
            refused = server.send_message(msg, from_addr=envelope_from, to_addrs=list(to))
            if refused:
                raise ChannelError(f"邮件服务器拒收:{'、'.join(refused)}")
    except smtplib.SMTPAuthenticationError:
        raise ChannelError(f"邮件服务器 {settings.host} 登录失败,请检查账号和密码设置") from None
    except smtplib.SMTPRecipientsRefused as err:
        raise ChannelError(f"邮件服务器拒收:{'、'.join(err.recipients)}") from None
    except smtplib.SMTPResponseException as err:
        raise ChannelError(f"邮件服务器返回 {err.smtp_code}") from None
    except (smtplib.SMTPException, OSError) as err:
        raise ChannelError(f"无法通过 {settings.host}:{settings.port} 发信:{net_reason(err)}") from None


SEND_LIST_COLUMNS = ["单位", "联系人", "手机", "短信内容"]


def send_list_bytes(rows: Sequence[Mapping[str, str]], fmt: str = "xlsx") -> bytes:
    """The send list (单位, 联系人, 手机, 短信内容) as xlsx or UTF-8-with-BOM csv (opens right in Excel);
    written by :mod:`core.safe_export`, so text from users' files cannot become a live formula.

    Parameters
    ----------
    rows
        One mapping per message with the keys 单位, 联系人, 手机, 短信内容 (missing keys: empty).
    fmt
        ``xlsx`` or ``csv``.

    Returns
    -------
    bytes
        The file; phone numbers and texts are stored as text in the xlsx.

    Raises
    ------
    NotifyError
        ``fmt`` is neither xlsx nor csv.

    Examples
    --------
    >>> send_list_bytes([], "xlsx")[:2]
    b'PK'
    >>> send_list_bytes([{"单位": "=HYPERLINK(1)", "短信内容": "请报送"}], "csv").decode("utf-8-sig").splitlines()[1]
    "'=HYPERLINK(1),,,请报送"
    """
    from core.safe_export import csv_bytes, save_workbook

    if fmt == "csv":
        return csv_bytes([dict(r) for r in rows], SEND_LIST_COLUMNS)
    if fmt != "xlsx":
        raise NotifyError(f"发送清单只能保存为 xlsx 或 csv,不支持“{fmt}”")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws: Any = wb.active
    ws.title = "短信发送清单"
    ws.append(SEND_LIST_COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([r.get(c, "") for c in SEND_LIST_COLUMNS])
    for col, width in zip("ABCD", (24, 10, 15, 80)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2, min_col=4, max_col=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.number_format = "@"
    for row in ws.iter_rows(min_row=2, min_col=3, max_col=3):
        for cell in row:
            cell.number_format = "@"
    data = save_workbook(wb)
    assert isinstance(data, bytes)
    return data
