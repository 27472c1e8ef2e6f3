"""Local accounts in the workbench database: create, list, disable, reset; log in, sessions, log out.

Passwords are argon2 hashes; a generated password is returned once to the
caller (who prints or shows it once) and never stored, logged or audited.
Repeated failed logins lock an account for :attr:`AccountPolicy.lockout`;
sessions end after :attr:`AccountPolicy.session_idle` without activity.
Every change writes an audit row (``audit_log``) with the acting account.
A ``clock`` can be injected (tests use a fake one).

>>> book = AccountBook(store)                                        # doctest: +SKIP
>>> pw = book.add("zwzx", "unit", unit="市政务服务中心", actor="ban")  # doctest: +SKIP
>>> login = book.login("zwzx", pw)                                   # doctest: +SKIP
>>> book.resume(login.token).unit                                    # doctest: +SKIP
'市政务服务中心'
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..store.schema import AuditRow
from ..store.schema_scoping import AccountRegionRow, RegionRow
from .errors import AccountError, AccountLocked, LoginFailed, SessionExpired
from .passwords import burn_time, check_strength, hash_password, needs_rehash, random_password, verify_password
from .policy import AccountPolicy
from .redact import install as _install_log_redaction
from .roles import OFFICE, ROLE_NAMES, ROLES, UNIT, Account
from .schema import AccountRow, AccountSessionRow
from .schema_security import LoginThrottleRow

_install_log_redaction()

ANONYMOUS = "(未登录)"
#: last_seen is written at most this often (every page interaction would be a write otherwise)
TOUCH_SECONDS = 30
_NAME = re.compile(r"^[\w.\-@\u4e00-\u9fff]{2,100}$")


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LoginSession:
    """A successful login: the token to keep (e.g. in the browser session) and the account.

    Parameters
    ----------
    token : str
        The session token (only its hash is stored; :meth:`AccountBook.resume` takes it back).
    account : Account
        Who logged in.

    Examples
    --------
    >>> LoginSession("secret-token", Account("ban", "office"))  # the token is never printed
    LoginSession(account='ban')
    """

    token: str
    account: Account

    def __repr__(self) -> str:  # never print the token by accident
        return f"LoginSession(account={self.account.name!r})"


def _account(row: AccountRow, region: str | None = None) -> Account:
    return Account(
        name=row.name,
        role=row.role,
        unit=row.unit,
        display_name=row.display_name or "",
        disabled=bool(row.disabled),
        source="local",
        must_change_password=bool(row.must_change_password),
        region=region,
    )


def _region_of(s: Session, account_id: int) -> str | None:
    """The region an account is scoped to (None: unscoped)."""
    return s.scalar(
        select(RegionRow.name)
        .join(AccountRegionRow, AccountRegionRow.region_id == RegionRow.id)
        .where(AccountRegionRow.account_id == account_id)
    )


def _set_region(s: Session, account_id: int, region: str | None) -> None:
    """Scope an account to ``region`` (None: unscoped); the region must be registered."""
    from ..regions import _region_id

    rid = _region_id(s, region) if region else None
    s.execute(delete(AccountRegionRow).where(AccountRegionRow.account_id == account_id))
    if rid is not None:
        s.execute(insert(AccountRegionRow), [{"account_id": account_id, "region_id": rid}])


def _region_arg(region: str | None) -> str | None:
    """A region as typed: blank or ``全省`` means unscoped."""
    from ..regions import PROVINCE

    region = (region or "").strip()
    return None if region in ("", PROVINCE) else region


#: one message for every failed login, whether the account exists or not
LOGIN_FAILED = "账号或密码错误"
#: a source's failures over all names before it must wait too (times the per-account limit)
SOURCE_FACTOR = 4
#: failures older than this are forgotten
FORGET_AFTER = timedelta(hours=24)
#: the throttle rows of one attempt, each with its failure limit
_Buckets = list[tuple[LoginThrottleRow, int]]


def _name_hash(name: str) -> str:
    return hashlib.sha256(("name\x00" + name).encode("utf-8")).hexdigest()


def _key_hash(name: str | None, source: str) -> str:
    head = "source\x00" if name is None else "pair\x00" + name + "\x00"
    return hashlib.sha256((head + source).encode("utf-8")).hexdigest()


class AccountBook:
    """Accounts of one :class:`tasks.store.Store`.

    Parameters
    ----------
    store : Store
        The store the accounts live in.
    policy : AccountPolicy, optional
        Lockout and session limits; default :meth:`AccountPolicy.from_env`.
    clock : callable, optional
        Returns the current time (tests inject a fake one).

    Raises
    ------
    AccountError
        From its methods: an unknown name, a bad role, a weak password (the message says which);
        :class:`LoginFailed` / :class:`AccountLocked` from :meth:`login`, :class:`SessionExpired`
        from :meth:`resume`.

    Examples
    --------
    >>> from tasks.store import Store
    >>> book = AccountBook(Store("sqlite://"))
    >>> book.add("ban", "office", password="Xq7-tomato-harbour", actor="admin")
    >>> login = book.login("ban", "Xq7-tomato-harbour")
    >>> book.resume(login.token).role
    'office'
    >>> book.login("ban", "wrong")
    Traceback (most recent call last):
    ...
    tasks.accounts.errors.LoginFailed: 账号或密码错误

    The examples of the methods use a ``book`` (given to every docstring example by the repository's
    ``conftest.py``) on the doctest ``store`` (see :class:`tasks.store.Store`), with a fixed clock and
    two accounts, made so (a one-task plan stands in for the doctest store's here):

    >>> from datetime import datetime
    >>> from tasks.model import Plan, Task
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(Plan("示例方案", tasks=[Task("1", "推进简政放权", lead_units=["市财政局"])]),
    ...                                actor="ban", key="demo")
    >>> book = AccountBook(store, clock=lambda: datetime(2021, 9, 28, 9, 0))
    >>> book.add("ban", "office", password="Xq7-tomato-harbour", actor="admin")
    >>> book.add("czj", "unit", unit="市财政局", password="Lm4-river-lantern-9", actor="ban")
    >>> [(a["name"], a["role_name"], a["unit"]) for a in book.list()]
    [('ban', '领导小组办公室', None), ('czj', '责任单位', '市财政局')]
    """

    def __init__(self, store: Any, policy: AccountPolicy | None = None, clock: Callable[[], datetime] | None = None):
        self.store = store
        self.policy = policy or AccountPolicy.from_env()
        self._clock = clock

    def clock(self) -> datetime:
        """Now: the injected clock, else the module's ``_now`` (looked up each time, so tests can patch it).

        Returns
        -------
        datetime
            The current time, to the second.

        Examples
        --------
        >>> book.clock()
        datetime.datetime(2021, 9, 28, 9, 0)
        """
        return self._clock() if self._clock else _now()

    # -- helpers -------------------------------------------------------------
    def _audit(self, s: Session, actor: str, action: str, target: str, detail: dict | None = None) -> None:
        s.execute(
            insert(AuditRow),
            [
                {
                    "at": self.clock(),
                    "actor": actor or ANONYMOUS,
                    "action": action,
                    "target": target,
                    "detail": detail or {},
                }
            ],
        )

    @staticmethod
    def _row(s: Session, name: str) -> AccountRow | None:
        return s.scalar(select(AccountRow).where(AccountRow.name == name))

    def _must(self, s: Session, name: str) -> AccountRow:
        row = self._row(s, name)
        if row is None:
            raise AccountError(f"账号“{name}”不存在")
        return row

    def _check_role(self, role: str, unit: str | None) -> str | None:
        if role not in ROLES:
            raise AccountError(f"角色“{role}”无效,应为 {'/'.join(ROLES)}({'、'.join(ROLE_NAMES[r] for r in ROLES)})")
        unit = (unit or "").strip() or None
        if role == UNIT:
            if not unit:
                raise AccountError("单位账号须指定所属单位(--unit)")
            if not self.store.unit_exists(unit):
                raise AccountError(f"单位“{unit}”不在任务分解表中,请核对单位全称(可先导入计划)")
            return unit
        if unit:
            raise AccountError(f"只有单位账号才绑定单位,{ROLE_NAMES[role]}账号不能指定单位")
        return None

    @staticmethod
    def _end_sessions(s: Session, account_id: int, now: datetime) -> None:
        s.execute(
            update(AccountSessionRow)
            .where(AccountSessionRow.account_id == account_id, AccountSessionRow.ended_at.is_(None))
            .values(ended_at=now)
        )

    def _active_offices(self, s: Session) -> int:
        return (
            s.scalar(
                select(func.count())
                .select_from(AccountRow)
                .where(AccountRow.role == OFFICE, AccountRow.disabled.is_(False))
            )
            or 0
        )

    # -- reading ---------------------------------------------------------------
    def count(self) -> int:
        """How many accounts there are (disabled ones included).

        Returns
        -------
        int
            The number of accounts.

        Examples
        --------
        >>> book.count()
        2
        """
        with self.store.session() as s:
            return s.scalar(select(func.count()).select_from(AccountRow)) or 0

    def get(self, name: str) -> Account | None:
        """The account called ``name``, or None.

        Parameters
        ----------
        name : str
            The account's name.

        Returns
        -------
        Account or None
            The account (with its region scope), None when there is no such account.

        Examples
        --------
        >>> book.get("czj").unit, book.get("nobody")
        ('市财政局', None)
        """
        with self.store.session() as s:
            row = self._row(s, name)
            return _account(row, _region_of(s, row.id)) if row else None

    def list(self) -> list[dict[str, Any]]:
        """Every account as a plain dict — never with its hash.

        Returns
        -------
        list of dict
            By role, then name: ``name``, ``display_name``, ``role``, ``role_name``, ``unit``, ``region``,
            ``disabled``, ``locked_until``, ``failed_logins``, ``must_change_password``,
            ``last_login_at`` and ``created_at``.

        Examples
        --------
        >>> [(a["name"], a["role"], a["disabled"]) for a in book.list()]
        [('ban', 'office', False), ('czj', 'unit', False)]
        """
        now = self.clock()
        with self.store.session() as s:
            rows = list(s.scalars(select(AccountRow).order_by(AccountRow.role, AccountRow.name)))
            region_of = dict(
                s.execute(
                    select(AccountRegionRow.account_id, RegionRow.name).join(
                        RegionRow, RegionRow.id == AccountRegionRow.region_id
                    )
                ).all()
            )
            waits: dict[str, tuple[datetime | None, int]] = {}
            for t in s.scalars(select(LoginThrottleRow).where(LoginThrottleRow.name_hash != "")):
                until, n = waits.get(t.name_hash, (None, 0))
                if t.blocked_until and t.blocked_until > now and (until is None or t.blocked_until > until):
                    until = t.blocked_until
                waits[t.name_hash] = (until, n + (t.failures or 0))
        return [
            {
                "name": r.name,
                "display_name": r.display_name,
                "role": r.role,
                "role_name": ROLE_NAMES.get(r.role, r.role),
                "unit": r.unit,
                "region": region_of.get(r.id),
                "disabled": bool(r.disabled),
                "locked_until": waits.get(_name_hash(r.name), (None, 0))[0],
                "failed_logins": waits.get(_name_hash(r.name), (None, 0))[1],
                "must_change_password": bool(r.must_change_password),
                "last_login_at": r.last_login_at,
                "created_at": r.created_at,
            }
            for r in rows
        ]

    def info(self, name: str) -> dict[str, Any] | None:
        """One account as :meth:`list` gives it (no hash), or None.

        Parameters
        ----------
        name : str
            The account's name.

        Returns
        -------
        dict or None
            The account's row of :meth:`list`.

        Examples
        --------
        >>> book.info("czj")["created_at"], book.info("nobody")
        (datetime.datetime(2021, 9, 28, 9, 0), None)
        """
        return next((a for a in self.list() if a["name"] == name), None)

    # -- managing ----------------------------------------------------------------
    def add(
        self,
        name: str,
        role: str,
        *,
        actor: str,
        unit: str | None = None,
        password: str | None = None,
        display_name: str = "",
        region: str | None = None,
    ) -> str | None:
        """Create an account (``region``: limited to that city or county); returns the generated
        password when none is given (show it once).

        Parameters
        ----------
        name : str
            The login name: 2–100 characters (汉字, letters, digits, ``. - _ @``), no spaces.
        role : str
            ``office``, ``planner``, ``unit`` or ``leader`` (see :data:`tasks.accounts.ROLES`).
        actor : str
            Who creates it (audited).
        unit : str, optional
            The unit a ``unit`` account reports for (required for that role, refused for others).
        password : str, optional
            The password (checked for strength); default: a generated one the user must change.
        display_name : str, optional
            The name shown on pages.
        region : str, optional
            Limit the account to this registered city or county (``全省`` or empty: unscoped).

        Returns
        -------
        str or None
            The generated password, or None when ``password`` was given.

        Raises
        ------
        AccountError
            A bad name, an existing name, a bad role or unit, a weak password, an unknown region.

        Examples
        --------
        >>> generated = book.add("sfj", "unit", unit="市司法局", actor="ban")
        >>> len(generated) >= 12, book.get("sfj").must_change_password
        (True, True)
        >>> book.add("czj", "unit", unit="市财政局", actor="ban")
        Traceback (most recent call last):
        ...
        tasks.accounts.errors.AccountError: 账号“czj”已存在
        """
        name = (name or "").strip()
        if not _NAME.match(name):
            raise AccountError(f"账号名“{name}”无效:2–100 位,可用汉字、字母、数字和 . - _ @,不能有空格")
        unit = self._check_role(role, unit)
        region = _region_arg(region)
        generated = password is None
        if password is None:
            password = random_password()
        else:
            check_strength(password, name)
        now = self.clock()
        with self.store.session(write=True) as s:
            if self._row(s, name) is not None:
                raise AccountError(f"账号“{name}”已存在")
            row = AccountRow(
                name=name,
                display_name=display_name.strip(),
                role=role,
                unit=unit,
                password_hash=hash_password(password),
                disabled=False,
                failed_logins=0,
                locked_until=None,
                must_change_password=generated,
                created_at=now,
                updated_at=now,
                last_login_at=None,
            )
            s.add(row)
            s.flush()
            _set_region(s, row.id, region)
            detail: dict[str, Any] = {"role": role, "unit": unit}
            if region:
                detail["region"] = region
            self._audit(s, actor, "account_add", name, detail)
        return password if generated else None

    def update(
        self,
        name: str,
        *,
        actor: str,
        role: str | None = None,
        unit: str | None = None,
        display_name: str | None = None,
        region: str | None = None,
    ) -> Account:
        """Change an account's role/unit/display name/region (``region``: None keeps it, ``""`` or
        ``全省`` removes the scope); the last active office account keeps its role.

        Its sessions end (the new rights apply from the next login).

        Parameters
        ----------
        name : str
            The account's name.
        actor : str
            Who changes it (audited).
        role, unit, display_name, region : str, optional
            The new values (None keeps each).

        Returns
        -------
        Account
            The account as it is now.

        Raises
        ------
        AccountError
            An unknown name, a bad role or unit, or the last active office account losing its role.

        Examples
        --------
        >>> book.update("czj", display_name="财政局王敏", actor="ban").display_name
        '财政局王敏'
        >>> book.update("ban", role="leader", actor="ban")
        Traceback (most recent call last):
        ...
        tasks.accounts.errors.AccountError: 这是唯一在用的办公室账号,不能改为其他角色;请先另建一个办公室账号
        """
        with self.store.session(write=True) as s:
            row = self._must(s, name)
            new_role = role or row.role
            new_unit = self._check_role(new_role, unit if unit is not None or role else row.unit)
            if row.role == OFFICE and new_role != OFFICE and not row.disabled and self._active_offices(s) <= 1:
                raise AccountError("这是唯一在用的办公室账号,不能改为其他角色;请先另建一个办公室账号")
            row.role, row.unit = new_role, new_unit
            if display_name is not None:
                row.display_name = display_name.strip()
            old_region = _region_of(s, row.id)
            new_region = old_region if region is None else _region_arg(region)
            if new_region != old_region:
                _set_region(s, row.id, new_region)
            row.updated_at = self.clock()
            self._end_sessions(s, row.id, row.updated_at)
            detail: dict[str, Any] = {"role": new_role, "unit": new_unit}
            if new_region != old_region:
                detail["region"] = new_region or "全省"
            self._audit(s, actor, "account_update", name, detail)
            return _account(row, new_region)

    def set_disabled(self, name: str, disabled: bool, *, actor: str) -> None:
        """Disable (ending its sessions) or enable an account; the last active office account stays.

        Parameters
        ----------
        name : str
            The account's name.
        disabled : bool
            True to disable, False to enable again.
        actor : str
            Who does it (audited).

        Raises
        ------
        AccountError
            An unknown name, or disabling the last active office account.

        Examples
        --------
        >>> book.set_disabled("czj", True, actor="ban")
        >>> book.get("czj").disabled
        True
        >>> book.login("czj", "Lm4-river-lantern-9")
        Traceback (most recent call last):
        ...
        tasks.accounts.errors.LoginFailed: 账号“czj”已停用,请联系领导小组办公室
        """
        with self.store.session(write=True) as s:
            row = self._must(s, name)
            if disabled and row.role == OFFICE and not row.disabled and self._active_offices(s) <= 1:
                raise AccountError("这是唯一在用的办公室账号,不能停用;请先另建一个办公室账号")
            row.disabled, row.updated_at = disabled, self.clock()
            if disabled:
                self._end_sessions(s, row.id, row.updated_at)
            self._audit(s, actor, "account_disable" if disabled else "account_enable", name)

    def reset_password(self, name: str, *, actor: str) -> str:
        """A new random password (returned once); clears the lockout and ends the account's sessions.

        The user must change it at the next login.

        Parameters
        ----------
        name : str
            The account's name.
        actor : str
            Who resets it (audited; the password is not).

        Returns
        -------
        str
            The new password.

        Raises
        ------
        AccountError
            When there is no such account.

        Examples
        --------
        >>> new = book.reset_password("czj", actor="ban")
        >>> book.login("czj", new).account.must_change_password
        True
        """
        password = random_password()
        with self.store.session(write=True) as s:
            row = self._must(s, name)
            now = self.clock()
            row.password_hash, row.must_change_password = hash_password(password), True
            row.failed_logins, row.locked_until, row.updated_at = 0, None, now
            self._end_sessions(s, row.id, now)
            s.execute(delete(LoginThrottleRow).where(LoginThrottleRow.name_hash == _name_hash(name)))
            self._audit(s, actor, "account_reset_password", name)
        return password

    def change_password(
        self, name: str, old: str, new: str, *, keep_token: str | None = None, source: str = ""
    ) -> None:
        """The user changes their own password (the old one must be right); every other session of
        the account ends (``keep_token``: the session the change was made in stays).

        Parameters
        ----------
        name : str
            The account's name.
        old : str
            The current password.
        new : str
            The new password (checked for strength; must differ from ``old``).
        keep_token : str, optional
            The token of the session to keep.
        source : str, optional
            The client's address (failures are counted per name and source).

        Raises
        ------
        LoginFailed
            When ``old`` is wrong (:class:`AccountLocked` after too many failures).
        AccountError
            When ``new`` is weak or equals ``old``.

        Examples
        --------
        >>> book.change_password("czj", "Lm4-river-lantern-9", "Pk8-orchard-violin")
        >>> book.authenticate("czj", "Pk8-orchard-violin").name
        'czj'
        """
        self.authenticate(name, old, source=source)
        check_strength(new, name)
        if new == old:
            raise AccountError("新密码不能与原密码相同")
        with self.store.session(write=True) as s:
            row = self._must(s, name)
            now = self.clock()
            row.password_hash, row.must_change_password, row.updated_at = hash_password(new), False, now
            others = update(AccountSessionRow).where(
                AccountSessionRow.account_id == row.id, AccountSessionRow.ended_at.is_(None)
            )
            if keep_token:
                others = others.where(AccountSessionRow.token_hash != token_hash(keep_token))
            s.execute(others.values(ended_at=now))
            self._audit(s, name, "account_change_password", name)

    def unlock(self, name: str, *, actor: str) -> None:
        """Clear an account's failed-login counts, so it may try again at once.

        Parameters
        ----------
        name : str
            The account's name.
        actor : str
            Who unlocks it (audited).

        Raises
        ------
        AccountError
            When there is no such account.

        Examples
        --------
        >>> for _ in range(5):
        ...     try:
        ...         book.login("czj", "wrong")
        ...     except LoginFailed:
        ...         pass
        >>> book.info("czj")["locked_until"]
        datetime.datetime(2021, 9, 28, 9, 1)
        >>> book.unlock("czj", actor="ban")
        >>> book.info("czj")["locked_until"], book.login("czj", "Lm4-river-lantern-9").account.name
        (None, 'czj')
        """
        with self.store.session(write=True) as s:
            row = self._must(s, name)
            row.failed_logins, row.locked_until, row.updated_at = 0, None, self.clock()
            s.execute(delete(LoginThrottleRow).where(LoginThrottleRow.name_hash == _name_hash(name)))
            self._audit(s, actor, "account_unlock", name)

    # -- logging in ------------------------------------------------------------------
    def authenticate(self, name: str, password: str, *, source: str = "") -> Account:
        """The account when ``password`` is right; else :class:`LoginFailed` / :class:`AccountLocked`.

        Every failure gives the same message, whether the account exists or not.
        Failures are counted per typed name *and* ``source`` (the client's
        address): after :attr:`AccountPolicy.max_failures` that pair must wait,
        :attr:`AccountPolicy.backoff` at first, then twice as long after each
        further failure, at most :attr:`AccountPolicy.lockout`; a source failing
        on many names waits as well.  Others (the real user at another
        computer) are not locked out.  The counts are committed before the
        error is raised.

        Parameters
        ----------
        name : str
            The typed account name.
        password : str
            The typed password.
        source : str, optional
            The client's address.

        Returns
        -------
        Account
            The account (no session is opened: see :meth:`login`).

        Raises
        ------
        LoginFailed
            A wrong name or password (``账号或密码错误``), or a disabled account.
        AccountLocked
            When the name and source must wait after too many failures.

        Examples
        --------
        >>> book.authenticate("czj", "Lm4-river-lantern-9").unit
        '市财政局'
        >>> book.authenticate("nobody", "Lm4-river-lantern-9")
        Traceback (most recent call last):
        ...
        tasks.accounts.errors.LoginFailed: 账号或密码错误
        """
        name = (name or "").strip()
        source = (source or "").strip()[:200]
        now = self.clock()
        account: Account | None = None
        error: LoginFailed | None = None
        for attempt in (1, 2):
            try:
                account, error = self._attempt(name, password, source, now)
                break
            except IntegrityError:  # a concurrent first failure of the same pair/source: count again
                if attempt == 2:
                    raise
        if error is not None:
            raise error
        assert account is not None
        return account

    def _attempt(
        self, name: str, password: str, source: str, now: datetime
    ) -> tuple[Account | None, LoginFailed | None]:
        """One login attempt in one write transaction: (account, None) or (None, the error to raise)."""
        error: LoginFailed | None = None
        account: Account | None = None
        with self.store.session(write=True) as s:
            buckets = self._buckets(s, name, source, now)
            until = max(
                (b.blocked_until for b, _limit in buckets if b.blocked_until is not None and now < b.blocked_until),
                default=None,
            )
            row = self._row(s, name)
            who, target = (name, name) if row is not None else (ANONYMOUS, "(未知账号)")
            detail = {"source": source} if source else None
            if until is not None:
                burn_time(password or "")
                self._audit(s, who, "login_refused_locked", target, detail)
                error = AccountLocked(self._locked_text(until), until)
            elif row is None or not verify_password(row.password_hash, password or ""):
                if row is None:
                    # the typed name is not recorded: it may be a password typed in the wrong box
                    burn_time(password or "")
                until = self._count_failure(s, buckets, now)
                self._audit(s, who, "account_locked" if until else "login_failed", target, detail)
                error = AccountLocked(self._locked_text(until), until) if until else LoginFailed(LOGIN_FAILED)
            elif row.disabled:
                self._audit(s, name, "login_refused_disabled", name)
                error = LoginFailed(f"账号“{name}”已停用,请联系领导小组办公室")
            else:
                row.failed_logins, row.locked_until, row.last_login_at = 0, None, now
                pair = buckets[0][0]
                if pair.id is not None:
                    s.delete(pair)
                if needs_rehash(row.password_hash):
                    row.password_hash = hash_password(password)
                account = _account(row, _region_of(s, row.id))
        return account, error

    def _buckets(self, s: Session, name: str, source: str, now: datetime) -> _Buckets:
        """The (name, source) counter and, for a known source, the source's counter over all names,
        each with its limit (new rows join the session only when a failure is counted)."""
        wanted = [(_key_hash(name, source), _name_hash(name), self.policy.max_failures)]
        if source:
            wanted.append((_key_hash(None, source), "", self.policy.max_failures * SOURCE_FACTOR))
        out = []
        for key, name_hash, limit in wanted:
            b = s.scalar(select(LoginThrottleRow).where(LoginThrottleRow.key_hash == key))
            if b is None:
                b = LoginThrottleRow(
                    key_hash=key, name_hash=name_hash, failures=0, blocked_until=None, last_failure_at=now
                )
            elif now - b.last_failure_at > FORGET_AFTER:
                b.failures, b.blocked_until = 0, None
            out.append((b, limit))
        return out

    def _count_failure(self, s: Session, buckets: _Buckets, now: datetime) -> datetime | None:
        """Count one failure in every bucket; the time until which the source must now wait, or None."""
        until = None
        for b, limit in buckets:
            b.failures = (b.failures or 0) + 1
            b.last_failure_at = now
            if b.failures >= limit:
                wait = min(self.policy.lockout, self.policy.backoff * 2 ** min(b.failures - limit, 20))
                b.blocked_until = now + wait
                until = b.blocked_until if until is None else max(until, b.blocked_until)
            if b.id is None:
                s.add(b)
        return until

    def _locked_text(self, until: datetime) -> str:
        return f"登录失败次数过多,请于 {until:%Y-%m-%d %H:%M:%S} 后再试;忘记密码请联系领导小组办公室重置"

    def login(self, name: str, password: str, *, source: str = "") -> LoginSession:
        """Check the password and open a session; keep ``.token`` and pass it to :meth:`resume`.

        Parameters
        ----------
        name : str
            The typed account name.
        password : str
            The typed password.
        source : str, optional
            The client's address.

        Returns
        -------
        LoginSession
            The session's token (only its hash is stored) and the account.

        Raises
        ------
        LoginFailed, AccountLocked
            As :meth:`authenticate`.

        Examples
        --------
        >>> login = book.login("czj", "Lm4-river-lantern-9")
        >>> login, login.account.unit
        (LoginSession(account='czj'), '市财政局')
        """
        account = self.authenticate(name, password, source=source)
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self.store.session(write=True) as s:
            row = self._must(s, account.name)
            s.add(
                AccountSessionRow(
                    token_hash=token_hash(token), account_id=row.id, created_at=now, last_seen=now, ended_at=None
                )
            )
            self._audit(s, account.name, "login", account.name)
        return LoginSession(token, account)

    def resume(self, token: str | None) -> Account:
        """The account of a live session (and mark it active); :class:`SessionExpired` otherwise.

        Called on every page run, so it only reads, except every :data:`TOUCH_SECONDS` (to mark
        activity) and when it ends a session.

        Parameters
        ----------
        token : str or None
            The token :meth:`login` gave.

        Returns
        -------
        Account
            The session's account.

        Raises
        ------
        SessionExpired
            No token, an unknown or ended session, one idle or open too long, or a disabled account.

        Examples
        --------
        >>> token = book.login("czj", "Lm4-river-lantern-9").token
        >>> book.resume(token).name
        'czj'
        >>> book.resume(None)
        Traceback (most recent call last):
        ...
        tasks.accounts.errors.SessionExpired: 请先登录
        """
        if not token:
            raise SessionExpired("请先登录")
        now = self.clock()
        digest = token_hash(token)
        with self.store.session() as s:
            sess = s.scalar(select(AccountSessionRow).where(AccountSessionRow.token_hash == digest))
            row = s.get(AccountRow, sess.account_id) if sess else None
            region = _region_of(s, row.id) if row is not None else None
        reason = None
        if sess is None or row is None or sess.ended_at is not None:
            raise SessionExpired("登录已失效,请重新登录")
        if now - sess.last_seen > self.policy.session_idle:
            reason = f"超过 {self.policy.session_idle_minutes:g} 分钟未操作,登录已超时,请重新登录"
        elif now - sess.created_at > self.policy.session_max:
            reason = f"登录已超过 {self.policy.session_max_hours:g} 小时,请重新登录"
        elif row.disabled:
            reason = "账号已停用,请联系领导小组办公室"
        if reason:
            with self.store.session(write=True) as s:
                done = s.execute(
                    update(AccountSessionRow)
                    .where(AccountSessionRow.id == sess.id, AccountSessionRow.ended_at.is_(None))
                    .values(ended_at=now)
                ).rowcount
                if done:
                    self._audit(s, row.name, "session_expired", row.name)
            raise SessionExpired(reason)
        if (now - sess.last_seen).total_seconds() >= TOUCH_SECONDS:
            with self.store.session(write=True) as s:
                s.execute(
                    update(AccountSessionRow)
                    .where(AccountSessionRow.id == sess.id, AccountSessionRow.ended_at.is_(None))
                    .values(last_seen=now)
                )
        return _account(row, region)

    def logout(self, token: str | None) -> None:
        """End the session (no error when it already ended).

        Parameters
        ----------
        token : str or None
            The token :meth:`login` gave (None: nothing to do).

        Examples
        --------
        >>> token = book.login("czj", "Lm4-river-lantern-9").token
        >>> book.logout(token)
        >>> book.resume(token)
        Traceback (most recent call last):
        ...
        tasks.accounts.errors.SessionExpired: 登录已失效,请重新登录
        """
        if not token:
            return
        with self.store.session(write=True) as s:
            sess = s.scalar(select(AccountSessionRow).where(AccountSessionRow.token_hash == token_hash(token)))
            if sess is None or sess.ended_at is not None:
                return
            sess.ended_at = self.clock()
            row = s.get(AccountRow, sess.account_id)
            self._audit(s, row.name if row else ANONYMOUS, "logout", row.name if row else "")
