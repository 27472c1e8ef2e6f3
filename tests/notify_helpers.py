"""Shared helpers for the reminder tests: a real SMTP server (aiosmtpd) and a real HTTP server
that record what they receive, a small store with contacts, and an independent 钉钉 signature check."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import socket
import threading
import urllib.parse
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from progress_helpers import small_plan

from tasks.notify import Contact, save_contact
from tasks.store import Store

UNIT_A, UNIT_B, UNIT_C = "市审改办", "市政务服务中心", "市司法局"
DING_SECRET = "SECtest-钉钉-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Mail:
    sender: str
    rcpt: list[str]
    raw: bytes

    @property
    def message(self):
        return message_from_bytes(self.raw, policy=default_policy)

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        return self.message.get_content()


class SmtpSink:
    """aiosmtpd on a free local port; ``mails`` holds every accepted message; ``refuse`` addresses get 550."""

    def __init__(
        self,
        refuse: tuple[str, ...] = (),
        *,
        tls: str = "none",
        cert: tuple[str, str] | None = None,
        password: str = "",
    ) -> None:
        import ssl

        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        self.mails: list[Mail] = []
        self.refused: list[str] = []
        sink = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if address in refuse:
                    sink.refused.append(address)
                    return "550 5.1.1 mailbox unavailable"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                sink.mails.append(
                    Mail(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or envelope.content)
                )
                return "250 OK"

        self.logins: list[tuple[str, str]] = []

        def authenticator(server, session, envelope, mechanism, auth_data):
            login, secret = auth_data.login.decode(), auth_data.password.decode()
            sink.logins.append((login, secret))
            return AuthResult(success=secret == password, handled=False)

        kwargs: dict[str, Any] = {}
        if cert:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*cert)
            if tls == "ssl":
                kwargs["ssl_context"] = ctx
            else:
                kwargs.update(tls_context=ctx, require_starttls=True)
        if password:
            # implicit TLS (ssl) is invisible to aiosmtpd's STARTTLS bookkeeping: there AUTH is allowed as such
            kwargs.update(authenticator=authenticator, auth_require_tls=tls != "ssl")
        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, **kwargs)

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.controller.stop()


@dataclass
class Hit:
    path: str
    query: dict[str, str]
    body: dict[str, Any]
    raw_query: str = ""


@dataclass
class HttpSink:
    """A local HTTP server: robot paths answer like the robots (``errcode`` 0), ``/hook`` with 204;
    paths under ``/fail`` answer 500, under ``/refuse`` a robot's errcode, under ``/hang`` only when released."""

    hits: list[Hit] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> HttpSink:
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                parts = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length).decode("utf-8"))
                sink.hits.append(Hit(parts.path, dict(urllib.parse.parse_qsl(parts.query)), body, parts.query))
                if parts.path.startswith("/hang"):
                    sink.release.wait(10)
                if parts.path.startswith("/fail"):
                    self.send_response(500)
                    self.end_headers()
                    return
                answer = (
                    {"errcode": 310000, "errmsg": "sign not match"}
                    if parts.path.startswith("/refuse")
                    else {"errcode": 0, "errmsg": "ok"}
                )
                data = json.dumps(answer).encode()
                self.send_response(204 if parts.path == "/hook" else 200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)) if parts.path != "/hook" else "0")
                self.end_headers()
                if parts.path != "/hook":
                    with contextlib.suppress(OSError):
                        self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def at(self, path: str) -> list[Hit]:
        return [h for h in self.hits if h.path == path]


def expected_sign(secret: str, timestamp: str) -> str:
    """钉钉's documented signature, computed here independently of tasks.notify."""
    string_to_sign = f"{timestamp}\n{secret}"
    code = hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), digestmod=hashlib.sha256).digest()
    return base64.b64encode(code).decode()


def plan_store(url: str) -> Store:
    """The small plan, the 2021-09 period (due 2021-10-05): 市审改办 and 市政务服务中心 owe reports."""
    store = Store(url)
    store.load_plan_into_store(small_plan(), actor="cli")
    store.open_period("2021-09", "cli")
    return store


def report(store: Store, unit: str, task_id: str, sha: str, day: date = date(2021, 10, 3)) -> None:
    """An accepted progress row for ``unit`` on ``task_id`` in 2021-09."""
    store.add_upload(
        sha256=sha * 64,
        filename=f"{unit}.xlsx",
        unit=unit,
        plan="测试方案",
        person="张三",
        period="2021-09",
        actor="cli",
        rows=[
            {
                "task_id": task_id,
                "status": "正常推进",
                "percent": 50,
                "progress": "推进中",
                "report_date": day,
                "period": "2021-09",
                "source_sheet": "进展",
                "source_row": 5,
            }
        ],
    )


DING_PATH, WECOM_PATH = "/robot/send", "/cgi-bin/webhook/send"


def add_contacts(store: Store, http: HttpSink | None = None, *, a_prefix: str = "") -> None:
    """A: mail + 钉钉 robot (signed); B: mail + 企业微信 robot; C: plain JSON webhook + mobile."""
    base = http.url if http else "http://127.0.0.1:9"
    save_contact(
        store,
        Contact(
            UNIT_A,
            "王五",
            "13800000001",
            "wangwu@example.gov.cn",
            f"{base}{a_prefix}{DING_PATH}?access_token=tok-a",
            DING_SECRET,
        ),
        "cli",
    )
    save_contact(
        store,
        Contact(UNIT_B, "赵六", "", "zhaoliu@example.gov.cn,office@example.gov.cn", f"{base}{WECOM_PATH}?key=key-b"),
        "cli",
    )
    save_contact(store, Contact(UNIT_C, "钱七", "13800000003", "", f"{base}/hook"), "cli")


def self_signed(directory) -> tuple[str, str]:
    """A certificate for 127.0.0.1/localhost and its key (PEM files), for TLS tests."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=36500))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = f"{directory}/cert.pem", f"{directory}/key.pem"
    with open(cert_path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as f:
        f.write(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    return cert_path, key_path
