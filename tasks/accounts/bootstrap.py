"""First start: make sure someone can log in, without any default password.

When the store has no account at all, an office account is created with a
random password that the caller prints once (``make run`` does, through
``scripts/bootstrap.py``).  With any account present nothing happens.

>>> pw = ensure_office_account(store)      # doctest: +SKIP
>>> pw is None or len(pw) == 16            # doctest: +SKIP
True
"""

from __future__ import annotations

from typing import Any

from .book import AccountBook
from .roles import OFFICE

FIRST_ACCOUNT = "office"
BOOTSTRAP_ACTOR = "bootstrap"


def ensure_office_account(store: Any, name: str = FIRST_ACCOUNT) -> str | None:
    """Create the first office account when there is none; its one-time password, or None.

    Parameters
    ----------
    store : Store
        The store.
    name : str, optional
        The account's name (default :data:`FIRST_ACCOUNT`).

    Returns
    -------
    str or None
        The generated password (print it once), or None when any account exists already.

    Examples
    --------
    >>> from tasks.store import Store
    >>> store = Store("sqlite://")
    >>> len(ensure_office_account(store)), ensure_office_account(store)
    (16, None)
    """
    book = AccountBook(store)
    if book.count():
        return None
    return book.add(name, OFFICE, actor=BOOTSTRAP_ACTOR, display_name="领导小组办公室")


def first_start_message(name: str, password: str) -> str:
    """The console text shown once (Chinese first, for the office; English after).

    Parameters
    ----------
    name : str
        The account created.
    password : str
        Its one-time password.

    Returns
    -------
    str
        Three lines.

    Examples
    --------
    >>> print(first_start_message("office", "AbCd2345EfGh6789").splitlines()[0])
    已创建首个办公室账号:office  初始密码:AbCd2345EfGh6789
    """
    return (
        f"已创建首个办公室账号:{name}  初始密码:{password}\n"
        f"该密码只显示这一次,请立即登录并修改;忘记时用 python -m tasks users reset {name} 重置。\n"
        f"First office account created: {name} (password shown once above)."
    )
