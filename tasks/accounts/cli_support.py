"""Who the command line acts as: the office by default (shell access on the server is trusted),
or, with ``python -m tasks --as NAME …``, that local account — so a unit's view and its
refusals can be reproduced exactly.

>>> use_cli_account(None); cli_account().role
'office'
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .errors import AccountError
from .guarded import GuardedStore
from .roles import OFFICE, Account

#: the server's command line; audit rows of CLI changes carry this name
CLI_ACCOUNT = Account("cli", OFFICE, display_name="服务器命令行", source="cli")

_requested: str | None = None
_resolved: Account | None = None


def use_cli_account(name: str | None) -> None:
    """Remember the ``--as`` name (resolved on first use, so commands without a store stay fast).

    Parameters
    ----------
    name : str or None
        The local account to act as; None or blank: the server's command line (:data:`CLI_ACCOUNT`).

    Examples
    --------
    >>> use_cli_account("  ")
    >>> cli_account() is CLI_ACCOUNT
    True
    """
    global _requested, _resolved
    _requested, _resolved = (name or "").strip() or None, None


def cli_account(store: Any = None) -> Account:
    """The acting account: :data:`CLI_ACCOUNT`, or the ``--as`` account (must exist and be enabled).

    Parameters
    ----------
    store : Store, optional
        Where to look the ``--as`` account up; default the configured store.

    Returns
    -------
    Account
        The acting account (an initial password still to be changed does not apply on the server).

    Raises
    ------
    AccountError
        When the ``--as`` account does not exist (``--as 指定的账号“…”不存在…``) or is disabled.

    Examples
    --------
    >>> from tasks.store import Store
    >>> from tasks.accounts import AccountBook
    >>> store = Store("sqlite://")
    >>> _ = AccountBook(store).add("liu", "leader", actor="admin")
    >>> use_cli_account("liu")
    >>> cli_account(store).role
    'leader'
    >>> use_cli_account("nobody")
    >>> cli_account(store)
    Traceback (most recent call last):
    ...
    tasks.accounts.errors.AccountError: --as 指定的账号“nobody”不存在(python -m tasks users list 查看账号)
    >>> use_cli_account(None)
    """
    global _resolved
    if _requested is None:
        return CLI_ACCOUNT
    if _resolved is None:
        from ..store import Store
        from .book import AccountBook

        account = AccountBook(store if store is not None else Store()).get(_requested)
        if account is None:
            raise AccountError(f"--as 指定的账号“{_requested}”不存在(python -m tasks users list 查看账号)")
        if account.disabled:
            raise AccountError(f"--as 指定的账号“{_requested}”已停用")
        # the server's shell needs no password, so a password still to be changed does not apply here
        _resolved = dataclasses.replace(account, must_change_password=False)
    return _resolved


def acting_store(store: Any = None) -> GuardedStore:
    """The default store (or ``store``) guarded as the acting account.

    Parameters
    ----------
    store : Store or GuardedStore, optional
        The store (a guarded one is unwrapped); default the configured store.

    Returns
    -------
    GuardedStore
        ``store`` as :func:`cli_account`.

    Raises
    ------
    AccountError
        When the ``--as`` account does not exist or is disabled.

    Examples
    --------
    >>> from tasks.store import Store
    >>> use_cli_account(None)
    >>> acting_store(Store("sqlite://")).account.name
    'cli'
    """
    if store is None:
        from ..store import Store

        store = Store()
    raw = store._store if isinstance(store, GuardedStore) else store
    return GuardedStore(raw, cli_account(raw))
