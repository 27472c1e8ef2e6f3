"""Errors of logging in and of managing accounts (Chinese messages, no secrets in them)."""

from __future__ import annotations

from ..errors import WorkbenchError


class AccountError(WorkbenchError):
    """A bad account request: unknown name, bad role, weak password…"""


class LoginFailed(WorkbenchError):
    """Wrong name or password (deliberately the same message for both), locked or disabled."""


class AccountLocked(LoginFailed):
    """Too many failed logins: the account is locked until ``until``."""

    def __init__(self, message: str, until=None):
        super().__init__(message)
        self.until = until


class SessionExpired(WorkbenchError):
    """The session ended (logout, inactivity, disabled account): log in again."""
