"""Accounts and roles: who may do what, enforced in the library.

>>> from tasks.accounts import AccountBook, GuardedStore, require, PermissionDenied
>>> book = AccountBook(store)                                   # doctest: +SKIP
>>> office = book.authenticate("office", password)              # doctest: +SKIP
>>> GuardedStore(store, office).close_period("2021-09")         # doctest: +SKIP
"""

from .audit import action_label, audit_csv, audit_xlsx
from .book import AccountBook, LoginSession
from .bootstrap import FIRST_ACCOUNT, ensure_office_account, first_start_message
from .cli_support import CLI_ACCOUNT, acting_store, cli_account, use_cli_account
from .errors import AccountError, AccountLocked, LoginFailed, SessionExpired
from .guarded import GuardedStore
from .oidc import account_from_oidc
from .passwords import hash_password, random_password, verify_password
from .policy import AccountPolicy
from .roles import (
    ACTIONS,
    LEADER,
    OFFICE,
    PERMISSIONS,
    PLANNER,
    PROVINCE_ONLY,
    ROLE_NAMES,
    ROLES,
    UNIT,
    Account,
    PermissionDenied,
    actions_of,
    allowed,
    permission_table,
    require,
)

__all__ = [
    "ACTIONS",
    "Account",
    "AccountBook",
    "AccountError",
    "AccountLocked",
    "AccountPolicy",
    "CLI_ACCOUNT",
    "FIRST_ACCOUNT",
    "GuardedStore",
    "LEADER",
    "LoginFailed",
    "LoginSession",
    "OFFICE",
    "PERMISSIONS",
    "PLANNER",
    "PROVINCE_ONLY",
    "PermissionDenied",
    "ROLES",
    "ROLE_NAMES",
    "SessionExpired",
    "UNIT",
    "account_from_oidc",
    "acting_store",
    "action_label",
    "actions_of",
    "allowed",
    "audit_csv",
    "audit_xlsx",
    "cli_account",
    "ensure_office_account",
    "first_start_message",
    "hash_password",
    "permission_table",
    "random_password",
    "require",
    "use_cli_account",
    "verify_password",
]
