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
from typing import Any

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
    """How strict logins are (see the module's text for the environment variables).

    Parameters
    ----------
    max_failures : int, optional
        Failed logins before a lockout (default 5).
    lockout_minutes : float, optional
        How long a lockout lasts (default 15).
    session_idle_minutes : float, optional
        Inactivity that ends a session (default 30).
    session_max_hours : float, optional
        The longest a session lasts (default 12).
    backoff_seconds : float, optional
        First wait after ``max_failures`` failures from one source, doubled after each further one.

    Raises
    ------
    AccountError
        From :meth:`from_env`, when a variable is not a number or not above 0
        (``环境变量 … 的值“…”不是数字``).

    Examples
    --------
    >>> AccountPolicy.from_env({"WORKBENCH_SESSION_IDLE_MINUTES": "10"}).session_idle
    datetime.timedelta(seconds=600)
    >>> AccountPolicy.from_env({"WORKBENCH_LOCKOUT_MINUTES": "一刻钟"})
    Traceback (most recent call last):
    ...
    tasks.accounts.errors.AccountError: 环境变量 WORKBENCH_LOCKOUT_MINUTES 的值“一刻钟”不是数字
    """

    max_failures: int = 5
    lockout_minutes: float = 15
    session_idle_minutes: float = 30
    session_max_hours: float = 12
    #: first wait after ``max_failures`` failures from one source; doubled after each further one
    backoff_seconds: float = 60

    @property
    def lockout(self) -> timedelta:
        """The longest a name-and-source pair must wait after failed logins (``lockout_minutes``)."""
        return timedelta(minutes=self.lockout_minutes)

    @property
    def backoff(self) -> timedelta:
        """The first wait after ``max_failures`` failed logins (``backoff_seconds``)."""
        return timedelta(seconds=self.backoff_seconds)

    @property
    def session_idle(self) -> timedelta:
        """Inactivity that ends a session (``session_idle_minutes``)."""
        return timedelta(minutes=self.session_idle_minutes)

    @property
    def session_max(self) -> timedelta:
        """The longest a session lasts, active or not (``session_max_hours``)."""
        return timedelta(hours=self.session_max_hours)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> AccountPolicy:
        """The policy the ``WORKBENCH_*`` login variables set (each unset one keeps its default).

        Parameters
        ----------
        environ : dict, optional
            The variables to read (default: the process environment, through :func:`core.config.setting`).

        Returns
        -------
        AccountPolicy
            The policy.

        Raises
        ------
        AccountError
            When a variable is not a number (``环境变量 … 的值“…”不是数字``) or not above 0.

        Examples
        --------
        >>> AccountPolicy.from_env({"WORKBENCH_LOGIN_MAX_FAILURES": "3"}).max_failures
        3
        >>> AccountPolicy.from_env({"WORKBENCH_SESSION_MAX_HOURS": "0"})
        Traceback (most recent call last):
        ...
        tasks.accounts.errors.AccountError: 环境变量 WORKBENCH_SESSION_MAX_HOURS 须大于 0
        """
        values: dict[str, Any] = {}  # int or float per field, checked below
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
        return cls(**values)
