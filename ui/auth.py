"""Who is using the dashboard: login state, session expiry, logout, and the role's pages.

Local accounts are the default: :func:`login` keeps the session token (never
the password) in ``st.session_state``; every run calls
:meth:`tasks.accounts.AccountBook.resume`, so inactivity ends the session and
the login page shows why.  So that reloading the page does not log the user
out, the same opaque token is also kept in a browser session cookie
(``wb_session``: ``SameSite=Strict``, no expiry date, so it ends with the
browser; ``Secure`` over https).  Not in the URL: a copied link must not carry
a login.  The server keeps only the token's SHA-256, checks idle/max age on
every resume, and :func:`logout` revokes it (a stale cookie then opens nothing).  Where ``.streamlit/secrets.toml`` has
``[workbench_oidc]`` (see ``.streamlit/secrets.example.toml``), ``st.login``
identities are mapped with :func:`tasks.accounts.account_from_oidc`.
Pages get the store through :func:`guarded_store`, so the library refuses
whatever the role may not do, whatever the page shows.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import streamlit as st

from tasks.accounts import (
    ACTIONS,
    PERMISSIONS,
    UNIT,
    Account,
    AccountBook,
    GuardedStore,
    PermissionDenied,
    SessionExpired,
    account_from_oidc,
    allowed,
)
from ui.store import get_raw_store
from ui.text import md

log = logging.getLogger("workbench.ui.auth")

TOKEN_KEY = "wb_session_token"
NOTICE_KEY = "wb_login_notice"
#: browser cookie holding the opaque session token (survives a reload, not a browser restart)
COOKIE = "wb_session"
#: set after logout / a refused cookie: this browser session's cookie snapshot is stale, ignore it
IGNORE_COOKIE_KEY = "wb_ignore_cookie"
LOGIN_PAGE = "ui/login.py"
#: the only page of an account whose generated (first or reset) password must be changed
CHANGE_PASSWORD_PAGE = "ui/change_password.py"
ACCOUNTS_PAGE = "ui/accounts.py"

#: the action a role needs to see each page (tasks.accounts.roles.PERMISSIONS decides); a tuple: any of them
PAGE_ACTIONS: dict[str, str | tuple[str, ...]] = {
    "ui/page_overview.py": "view_overview",
    "ui/page_tasks.py": "view_tasks",
    "ui/page_graph.py": "view_graph",
    "ui/page_import.py": "view_import",
    "ui/page_progress.py": "view_progress",
    # units act on their own tasks; the office decides; leaders (and planners) read every plan's state
    "ui/page_supervision.py": ("view_progress", "read_all"),
    "ui/page_units.py": "view_units",
    "ui/page_reports.py": "view_reports",
    "ui/page_hall.py": "view_hall",
    "ui/page_hall_report.py": "view_hall",
    "ui/page_staffing.py": "view_staffing",
    "ui/page_notify.py": "view_outbox",
    "ui/page_regions.py": "compare_regions",
    ACCOUNTS_PAGE: "manage_accounts",
}


def page_actions(script: str) -> tuple[str, ...]:
    """The actions of which a role needs one to open ``script`` (unknown pages: ``change_store``, the office)."""
    need = PAGE_ACTIONS.get(script, "change_store")
    return (need,) if isinstance(need, str) else need


assert {a for s in PAGE_ACTIONS for a in page_actions(s)} <= set(ACTIONS)


def role_may_see(role: str | None, script: str) -> bool:
    """True when ``role`` may open the page ``script`` (unknown pages: office only)."""
    if role is None:
        return script == LOGIN_PAGE
    return any(a in PERMISSIONS.get(role, ()) for a in page_actions(script))


# -- the account book of the dashboard's store ------------------------------------------
def raw_store():
    """The unguarded store (for login itself and cached reads); pages use :func:`guarded_store`."""
    return get_raw_store()


def book() -> AccountBook:
    return AccountBook(raw_store())


def oidc_mapping() -> dict[str, Any] | None:
    """``[workbench_oidc]`` from secrets.toml, or None when OpenID Connect is not configured."""
    try:
        section = st.secrets.get("workbench_oidc")
    except Exception:
        return None
    return dict(section) if section else None


def _oidc_claims() -> dict[str, Any] | None:
    """The identity token's claims when logged in through ``st.login``, else None."""
    user = getattr(st, "user", None)
    if user is None or not getattr(user, "is_logged_in", False):
        return None
    return user.to_dict()


def _oidc_account(mapping: dict[str, Any]) -> Account | None:
    claims = _oidc_claims()
    if claims is None:
        return None
    try:
        from tasks.regions import regions

        known_regions = [r.name for r in regions(raw_store())] if mapping.get("region_claim") else None
        return account_from_oidc(claims, mapping, known_units=raw_store().units(), known_regions=known_regions)
    except PermissionDenied as err:
        st.session_state[NOTICE_KEY] = str(err)
        return None


# -- the session cookie (reload keeps the login) ----------------------------------------------
def _cookie_token() -> str | None:
    """The token in the ``wb_session`` cookie the browser sent when this page was (re)loaded."""
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:
        return None
    return value if isinstance(value, str) and value else None


def cookie_script(token: str | None) -> str:
    """JavaScript setting (``token``) or deleting (None) the session cookie in the browser."""
    value = json.dumps(token or "")
    expiry = "" if token else "; max-age=0"
    return (
        f"<script>document.cookie = {json.dumps(COOKIE + '=')} + encodeURIComponent({value}) + "
        f"'; path=/; SameSite=Strict{expiry}' + (location.protocol === 'https:' ? '; Secure' : '');</script>"
    )


def sync_cookie(account: Account | None) -> None:
    """Write the session cookie for a logged-in local account, delete it otherwise (each run; idempotent)."""
    token = st.session_state.get(TOKEN_KEY) if account is not None and account.source == "local" else None
    st.html(cookie_script(token), unsafe_allow_javascript=True, width="content")


# -- login state -------------------------------------------------------------------------
def current_account() -> Account | None:
    """The logged-in account, or None (not logged in, session expired, account disabled).

    The token is the session's own, else (after a page reload) the browser cookie's.
    """
    mapping = oidc_mapping()
    if mapping is not None:
        account = _oidc_account(mapping)
        if account is not None:
            return account
    token = st.session_state.get(TOKEN_KEY)
    from_cookie = False
    if not token and not st.session_state.get(IGNORE_COOKIE_KEY):
        token, from_cookie = _cookie_token(), True
    if not token:
        return None
    try:
        account = book().resume(token)
    except SessionExpired as err:
        st.session_state.pop(TOKEN_KEY, None)
        st.session_state[IGNORE_COOKIE_KEY] = True
        st.session_state[NOTICE_KEY] = str(err)
        return None
    if from_cookie:
        st.session_state[TOKEN_KEY] = token
    return account


def acting_account() -> Account | None:
    """The account acting now: checked again on every call (a callback may run before ``app.py``
    notices an expired session, so nothing cached from an earlier run is trusted)."""
    return current_account()


def client_source() -> str:
    """The browser's address as Streamlit sees it ("" when unknown): failed logins are counted per
    account *and* source, so guesses from one place do not lock the real user out elsewhere."""
    try:
        ip = st.context.ip_address
    except Exception:  # no browser request (bare script run)
        return ""
    return ip if isinstance(ip, str) else ""  # the test harness hands out a mock


def login(name: str, password: str) -> Account:
    """Check the password and keep the new session's token; raises LoginFailed/AccountLocked."""
    session = book().login(name, password, source=client_source())
    st.session_state[TOKEN_KEY] = session.token
    st.session_state.pop(NOTICE_KEY, None)
    st.session_state.pop(IGNORE_COOKIE_KEY, None)
    return session.account


def logout() -> None:
    token = st.session_state.pop(TOKEN_KEY, None)
    if token:
        book().logout(token)  # revoked: the browser cookie (deleted on the login page) opens nothing
    st.session_state[IGNORE_COOKIE_KEY] = True
    st.session_state[NOTICE_KEY] = "已退出登录"
    if oidc_mapping() is not None and _oidc_claims() is not None:
        st.logout()


def guarded_store(account: Account | None = None) -> GuardedStore:
    """The store as the logged-in account; pages call this instead of the raw store."""
    account = account or acting_account()
    if account is None:
        raise PermissionDenied("请先登录")
    return GuardedStore(raw_store(), account)


def require_page(action: str | tuple[str, ...]) -> Account:
    """Top of a page: the account, or a Chinese refusal and ``st.stop()`` (defence behind the navigation);
    a tuple of actions: any one of them will do."""
    account = current_account()
    scope = account.unit if account is not None and account.role == UNIT else None
    if account is None or not any(
        allowed(account, a, scope) for a in ((action,) if isinstance(action, str) else action)
    ):
        st.error("您的账号无权查看此页面。" if account else "请先登录。", icon=":material/lock:")
        st.stop()
    return account


def page_guard(script_file: str) -> Account:
    """First line of every page script: the page checks its own role (:func:`require_page` with the
    page's action), so a page run directly — not through the navigation — refuses what the role may
    not see; the page then reads through the guarded store, so a unit sees only its own data."""
    from pathlib import Path

    return require_page(page_actions(f"ui/{Path(script_file).name}"))


def sidebar(account: Account) -> None:
    """Who is logged in, change password, logout — in the sidebar of every page."""
    with st.sidebar:
        sync_cookie(account)
        st.caption(f"当前用户:{md(account.label)}")
        if account.source == "local" and (book().info(account.name) or {}).get("must_change_password"):
            st.warning("您正在使用初始密码,请尽快修改。", icon=":material/key:")
        if account.source == "local" and not account.must_change_password:  # else the page is the form
            with st.popover("修改密码", icon=":material/key:"):
                _change_password_form(account)
        if st.button("退出登录", icon=":material/logout:", key="wb_logout"):
            logout()
            st.rerun()


def _change_password_form(account: Account, *, rerun: bool = False) -> None:
    from tasks.errors import WorkbenchError

    with st.form("wb_change_password", clear_on_submit=True):
        old = st.text_input("原密码", type="password")
        new = st.text_input("新密码(至少 10 位)", type="password")
        again = st.text_input("再次输入新密码", type="password")
        if st.form_submit_button("保存新密码"):
            if new != again:
                st.error("两次输入的新密码不一致")
            else:
                try:
                    # every other session of the account ends; this one stays
                    book().change_password(
                        account.name, old, new, keep_token=st.session_state.get(TOKEN_KEY), source=client_source()
                    )
                    st.success("密码已修改,其他设备上的登录已退出")
                    if rerun:
                        st.rerun()
                except WorkbenchError as err:
                    st.error(str(err))
