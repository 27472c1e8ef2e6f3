"""Accounts and roles: who may do what, enforced in the library.

>>> from tasks.accounts import AccountBook, GuardedStore, require, PermissionDenied
>>> book = AccountBook(store)                                   # doctest: +SKIP
>>> office = book.authenticate("office", password)              # doctest: +SKIP
>>> GuardedStore(store, office).close_period("2021-09")         # doctest: +SKIP
"""
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

__all__ = ["AccountBook", "LoginSession", "FIRST_ACCOUNT", "ensure_office_account", "first_start_message", "CLI_ACCOUNT",
           "acting_store", "cli_account", "use_cli_account", "AccountError", "AccountLocked", "LoginFailed",
           "SessionExpired", "GuardedStore", "account_from_oidc", "hash_password", "random_password",
           "verify_password", "AccountPolicy", "ACTIONS", "LEADER", "OFFICE", "PERMISSIONS", "PLANNER",
           "ROLE_NAMES", "ROLES", "UNIT", "Account", "PermissionDenied", "actions_of", "allowed",
           "permission_table", "require"]
