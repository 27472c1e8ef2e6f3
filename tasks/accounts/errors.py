"""Errors of logging in and of managing accounts (Chinese messages, no secrets in them)."""

from __future__ import annotations

from ..errors import WorkbenchError


class AccountError(WorkbenchError):
    """A bad account request: unknown name, bad role, weak password…

    Parameters
    ----------
    *args
        The Chinese message, as for :class:`~core.errors.WorkbenchError`.

    Examples
    --------
    >>> from tasks.accounts.passwords import check_strength
    >>> check_strength("short")
    Traceback (most recent call last):
    ...
    tasks.accounts.errors.AccountError: 密码至少 10 位
    """


class LoginFailed(WorkbenchError):
    """Wrong name or password (deliberately the same message for both), locked or disabled.

    Parameters
    ----------
    *args
        The Chinese message, as for :class:`~core.errors.WorkbenchError`.

    Examples
    --------
    >>> str(LoginFailed("账号或密码不正确"))
    '账号或密码不正确'
    """


class AccountLocked(LoginFailed):
    """Too many failed logins: the account is locked until ``until``.

    Parameters
    ----------
    message : str
        The Chinese message.
    until : datetime, optional
        When the lock ends.

    Examples
    --------
    >>> from datetime import datetime
    >>> err = AccountLocked("登录失败次数过多,账号已锁定至 09:15", until=datetime(2021, 9, 1, 9, 15))
    >>> isinstance(err, LoginFailed), err.until.minute
    (True, 15)
    """

    def __init__(self, message: str, until=None):
        super().__init__(message)
        self.until = until


class SessionExpired(WorkbenchError):
    """The session ended (logout, inactivity, disabled account): log in again.

    Parameters
    ----------
    *args
        The Chinese message, as for :class:`~core.errors.WorkbenchError`.

    Examples
    --------
    >>> str(SessionExpired("登录已过期,请重新登录"))
    '登录已过期,请重新登录'
    """
