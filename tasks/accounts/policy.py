"""How strict logins are: failures before a lockout, its length, session inactivity limit.

Defaults suit an office network; each can be changed with an environment
variable (read when :meth:`AccountPolicy.from_env` is called):
``WORKBENCH_LOGIN_MAX_FAILURES`` (5), ``WORKBENCH_LOCKOUT_MINUTES`` (15),
``WORKBENCH_SESSION_IDLE_MINUTES`` (30), ``WORKBENCH_SESSION_MAX_HOURS`` (12).

>>> AccountPolicy(max_failures=3).lockout
datetime.timedelta(seconds=900)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from core.config import setting

from .errors import AccountError

ENV = {
    "max_failures": "WORKBENCH_LOGIN_MAX_FAILURES",
    "lockout_minutes": "WORKBENCH_LOCKOUT_MINUTES",
    "session_idle_minutes": "WORKBENCH_SESSION_IDLE_MINUTES",
    "session_max_hours": "WORKBENCH_SESSION_MAX_HOURS",
}


@dataclass(frozen=True)
class AccountPolicy:
    max_failures: int = 5
    lockout_minutes: float = 15
    session_idle_minutes: float = 30
    session_max_hours: float = 12
    #: first wait after ``max_failures`` failures from one source; doubled after each further one
    backoff_seconds: float = 60

    @property
    def lockout(self) -> timedelta:
        return timedelta(minutes=self.lockout_minutes)

    @property
    def backoff(self) -> timedelta:
        return timedelta(seconds=self.backoff_seconds)

    @property
    def session_idle(self) -> timedelta:
        return timedelta(minutes=self.session_idle_minutes)

    @property
    def session_max(self) -> timedelta:
        return timedelta(hours=self.session_max_hours)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> AccountPolicy:
        values = {}
        for field, var in ENV.items():
            raw = setting(var, environ=environ)
            if not raw:
                continue
            try:
                value = float(raw)
            except ValueError:
                raise AccountError(f"环境变量 {var} 的值“{raw}”不是数字") from None
            if value <= 0:
                raise AccountError(f"环境变量 {var} 须大于 0")
            values[field] = int(value) if field == "max_failures" else value
        return cls(**values)  # type: ignore[arg-type]
