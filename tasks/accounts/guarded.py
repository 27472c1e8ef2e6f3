"""The store as one account may use it: every change checks the role, then runs with ``actor=account.name``.

:class:`GuardedStore` offers the same methods as :class:`tasks.store.Store`
(so library functions such as ``validate_upload``, ``commit_upload``,
``snapshot`` or ``save_rules`` accept it in place of a store) plus the
higher-level calls the dashboard and the command line use.  For a unit
account the reads are narrowed to its own tasks, uploads, scorecard and
reminders, uploads are forced to its own unit, and a file reporting on a task
where the unit has no role is refused — in the library, whatever the UI shows.
An account with a region scope (``Account.region``: a city or county) sees only
the plans of its region (a city's include its counties'): listings are
filtered, and every call naming another region's plan is refused before
anything is written.  The raw store's transactions are not exposed.

>>> g = GuardedStore(store, Account("zwzx", "unit", unit="市政务服务中心"))   # doctest: +SKIP
>>> g.close_period("2021-09")                                               # doctest: +SKIP
Traceback (most recent call last):
PermissionDenied: 责任单位账号“zwzx”无权关闭报告期;如确需办理,请联系领导小组办公室
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from ..model import Plan, Task
from ..plan_views import unit_view
from ..progress.card_guard import CardHistoryMethods
from ..store import (
    DEFAULT_GRACE_DAYS,
    AuditEntry,
    PeriodInfo,
    ReportRecord,
    Store,
    StoredPlan,
    StoredTask,
    StoredUpload,
    StoreError,
    parse_period,
)
from .book import AccountBook
from .guarded_notify import NotifyMethods
from .roles import ACTIONS, PLANNER, UNIT, Account, PermissionDenied, require

#: never handed out: with them any role could write around the checks
_HIDDEN = frozenset({"session", "engine", "dispose", "_write_engine"})


class GuardedStore(NotifyMethods, CardHistoryMethods):
    """``store`` seen and changed as ``account``.

    Every method checks :func:`~tasks.accounts.require` first; a unit account reads only its own
    unit's tasks, and a region-scoped account only its region's plans.

    Parameters
    ----------
    store : Store
        The store (a GuardedStore is unwrapped).
    account : Account
        Who acts.
    book : AccountBook, optional
        The account book, for account management through the guarded store.

    Raises
    ------
    PermissionDenied
        When ``account`` still has its generated password (nothing is allowed until it is changed),
        and from every method the account may not call.

    Examples
    --------
    >>> from tasks.store import Store
    >>> from tasks.accounts import Account
    >>> empty = Store("sqlite://")
    >>> GuardedStore(empty, Account("ban", "office")).plans()
    []
    >>> GuardedStore(empty, Account("czj", "unit", unit="市财政局")).close_period("2021-09")
    Traceback (most recent call last):
    ...
    tasks.accounts.roles.PermissionDenied: 责任单位账号“czj”无权关闭报告期;如确需办理,请联系领导小组办公室

    The examples of the methods use two guarded stores (given to every docstring example by the
    repository's ``conftest.py``) on the doctest ``store`` and ``book`` (see :class:`tasks.store.Store`
    and :class:`~tasks.accounts.AccountBook`): ``office``, the office account ``ban``, and ``unit``, the
    unit account ``czj`` of 市财政局, which leads task 1 of the plan ``demo``:

    >>> office = GuardedStore(store, book.get("ban"), book=book)
    >>> unit = GuardedStore(store, book.get("czj"), book=book)
    >>> [t.id for t in office.tasks("demo")], [t.id for t in unit.tasks("demo")]
    (['1', '2', '3'], ['1'])
    """

    def __init__(self, store: Store, account: Account, *, book: AccountBook | None = None):
        if isinstance(store, GuardedStore):
            store = store._store
        if account.must_change_password:  # a generated password still in use: nothing until it is changed
            require(account, "view_tasks")
        self._store = store
        self.account = account
        self._book = book
        #: months a unit account asked to register: written only with an accepted upload for them
        self._pending_periods: dict[str, int] = {}

    # -- who ------------------------------------------------------------------------
    @property
    def actor(self) -> str:
        """The acting account's name: every change is recorded under it."""
        return self.account.name

    @property
    def url(self) -> str:
        """The store's database URL (password hidden)."""
        return self._store.url

    @property
    def is_unit(self) -> bool:
        """True for a unit account (its reads are narrowed to its own unit)."""
        return self.account.role == UNIT

    def _own(self, unit: str | None, action: str) -> str | None:
        """The unit a scoped call is for: a unit account's own unit (asking for another is refused)."""
        if self.is_unit:
            if unit and unit != self.account.unit:
                require(self.account, action, unit)  # raises with the clear message
            return self.account.unit
        return unit

    def _book_(self) -> AccountBook:
        if self._book is None:
            self._book = AccountBook(self._store)
        return self._book

    def _own_task_pks(self) -> set[int]:
        rows = self._store.tasks(all_plans=True, include_archived=True, unit=self.account.unit)
        return {t.pk for t in self._in_scope(rows)}

    # -- region scope (a city or county) ------------------------------------------------------
    @property
    def region(self) -> str | None:
        """The city or county the account is limited to (None: every region)."""
        return self.account.region

    def _scope(self) -> frozenset[str] | None:
        """The regions the account sees (its own and, for a city, its counties); None: all."""
        if not self.account.region:
            return None
        from ..regions import scope_of

        return scope_of(self._store, self.account.region)

    def _scope_words(self, scope: frozenset[str]) -> str:
        """``甲市(含乙县、丁县)`` / ``乙县``: the account's regions in words."""
        own = self.account.region or ""
        rest = sorted(scope - {own})
        return f"{own}(含{'、'.join(rest)})" if rest else own

    def _plan_regions(self) -> dict[str, str]:
        from ..regions import plan_regions

        return plan_regions(self._store)

    def _my_plans(self) -> set[str] | None:
        """Keys of the plans (archived ones too) in the account's regions; None when unscoped."""
        scope = self._scope()
        if scope is None:
            return None
        return {k for k, r in self._plan_regions().items() if r in scope}

    def _in_scope(self, rows: list, attr: str = "plan") -> list:
        """``rows`` (with a plan key in ``attr``) of the account's regions only."""
        mine = self._my_plans()
        return rows if mine is None else [r for r in rows if getattr(r, attr) in mine]

    def _plan(self, plan: str | None, what: str = "查看或办理", *, unit: str | None = None) -> str | None:
        """``plan`` unchanged for an unscoped account; for a scoped one the plan's key (the only plan
        of its regions when None) or a refusal when the plan belongs to another region."""
        if not self.account.region:
            return plan
        regions = self._plan_regions()
        scope = self._scope() or frozenset()
        if plan:
            region = regions.get(plan)
            if region is None or region in scope:
                return plan  # an unknown plan: the store's own error names the plans there are
            raise PermissionDenied(
                f"{self.account.region}的账号“{self.account.name}”不能{what}计划“{plan}”:该计划属于{region},"
                f"本账号只能{what}{self._scope_words(scope)}的计划"
            )
        from ..regions import plan_regions

        mine = [k for k, r in plan_regions(self._store, archived=False).items() if r in scope]
        if unit and len(mine) > 1:
            with_unit = {t.plan for t in self._store.tasks(all_plans=True, unit=unit)}
            mine = [k for k in mine if k in with_unit] or mine
        if len(mine) == 1:
            return mine[0]
        if not mine:
            raise StoreError(f"{self.account.region}还没有计划,请先导入本地区的任务分解表")
        raise StoreError(f"{self.account.region}有多个计划({'、'.join(mine)}),请用 --plan 指定其一")

    def _reader(self) -> GuardedStore:
        """A read-everything view limited to the account's regions (ranks a unit among its region's units)."""
        import dataclasses

        return GuardedStore(self._store, dataclasses.replace(self.account, role=PLANNER, unit=None))

    # -- anything else the store offers -------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        """Other store reads pass through; other store *changes* (methods taking ``actor``) are
        office-only and run as the account; transactions and the engine stay hidden."""
        if name.startswith("_") or name in _HIDDEN:
            raise AttributeError(f"GuardedStore does not expose {name!r}")
        attr = getattr(self._store, name)
        if not callable(attr):
            return attr
        sig = inspect.signature(attr)
        scoped = bool(self.account.region) and ("plan" in sig.parameters or "all_plans" in sig.parameters)
        if "actor" not in sig.parameters and not scoped:
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            bound = sig.bind_partial(*args, **kwargs)
            if "actor" in sig.parameters:
                require(self.account, "change_store")
                bound.arguments["actor"] = self.actor
            if scoped:  # a region's account: only its own plans, never all plans at once
                if bound.arguments.get("all_plans"):
                    raise PermissionDenied(
                        f"{self.account.region}的账号“{self.account.name}”只能读取本地区的计划,不能一次读取全部计划"
                    )
                if "plan" in sig.parameters:
                    bound.arguments["plan"] = self._plan(bound.arguments.get("plan"))
            return attr(*bound.args, **bound.kwargs)

        return call

    # -- reads (Store-compatible) ---------------------------------------------------------
    def plans(self) -> list[StoredPlan]:
        """Every plan; for a scoped account those of its regions.

        Returns
        -------
        list of StoredPlan
            As :meth:`tasks.store.Store.plans`.

        Examples
        --------
        >>> [p.key for p in office.plans()]
        ['demo']
        """
        rows = self._store.plans()
        mine = self._my_plans()
        return rows if mine is None else [p for p in rows if p.key in mine]

    def plan(self, key: str) -> Plan:
        """The plan ``key`` (:meth:`tasks.store.Store.plan`); for a unit account only its own unit's tasks.

        Parameters
        ----------
        key : str
            The plan's key.

        Returns
        -------
        Plan
            The live plan (a unit account's view keeps the tasks its unit leads or shares).

        Raises
        ------
        PermissionDenied
            For a plan of another region (scoped accounts).
        StoreError
            When there is no such plan.

        Examples
        --------
        >>> [t.id for t in office.plan("demo").tasks], [t.id for t in unit.plan("demo").tasks]
        (['1', '2', '3'], ['1'])
        """
        plan = self._store.plan(self._plan(key, "查看") or key)
        if not self.is_unit:
            return plan
        require(self.account, "view_tasks", self.account.unit)
        return unit_view(plan, self.account.unit or "")

    def plan_key(self, plan: str | None = None, unit: str | None = None) -> str:
        """Resolve ``plan`` to its key (:meth:`tasks.store.Store.plan_key`); a unit account may name only its own unit.

        Parameters
        ----------
        plan : str, optional
            A plan's key (None: the only plan, or the only one where ``unit`` has tasks).
        unit : str, optional
            The unit whose plan is meant.

        Returns
        -------
        str
            The plan's key.

        Raises
        ------
        PermissionDenied
            When a unit account names another unit, or a scoped account another region's plan.

        Examples
        --------
        >>> unit.plan_key(unit="市财政局")
        'demo'
        >>> unit.plan_key(unit="市司法局")
        Traceback (most recent call last):
        ...
        tasks.accounts.roles.PermissionDenied: 单位账号“czj”只能查看和填报本单位“市财政局”的任务,不能使用“市司法局”的填报模板或任务
        """
        if self.is_unit and unit and unit != self.account.unit:
            raise PermissionDenied(
                f"单位账号“{self.account.name}”只能查看和填报本单位“{self.account.unit}”的任务,"
                f"不能使用“{unit}”的填报模板或任务"
            )
        return self._store.plan_key(self._plan(plan, "查看", unit=unit), unit=unit)

    def tasks(
        self,
        plan: str | None = None,
        *,
        all_plans: bool = False,
        include_archived: bool = False,
        unit: str | None = None,
    ) -> list[StoredTask]:
        """All tasks (or ``unit``'s); for a unit account only those where its own unit leads or takes part;
        for a scoped account only its regions' plans.

        Parameters
        ----------
        plan : str, optional
            The plan's key (None: the only plan).
        all_plans : bool, optional
            Tasks of every live plan the account sees.
        include_archived : bool, optional
            Include archived tasks.
        unit : str, optional
            Only the tasks this unit leads or shares.

        Returns
        -------
        list of StoredTask
            As :meth:`tasks.store.Store.tasks`.

        Examples
        --------
        >>> [t.id for t in office.tasks("demo", unit="市司法局")], [t.id for t in unit.tasks(all_plans=True)]
        (['1', '2'], ['1'])
        """
        if not all_plans:
            plan = self._plan(plan, "查看")
        if not self.is_unit:
            rows = self._store.tasks(plan, all_plans=all_plans, include_archived=include_archived, unit=unit)
            return self._in_scope(rows) if all_plans else rows
        require(self.account, "view_tasks", self.account.unit)
        rows = self._store.tasks(plan, all_plans=all_plans, include_archived=include_archived, unit=self.account.unit)
        if all_plans:
            rows = self._in_scope(rows)
        return [t for t in rows if unit is None or t.role_of(unit)]

    def task_dicts(self, plan: str | None = None) -> list[Task]:
        """The plan's tasks as imported (:meth:`tasks.store.Store.task_dicts`); a unit account's own only.

        Parameters
        ----------
        plan : str, optional
            The plan's key (None: the only plan).

        Returns
        -------
        list of Task
            The live tasks.

        Examples
        --------
        >>> [t.title for t in unit.task_dicts("demo")]
        ['推进简政放权']
        """
        plan = self._plan(plan, "查看")
        rows = self._store.task_dicts(plan)
        if self.is_unit:
            mine = {t.id for t in self.tasks(plan)}
            rows = [t for t in rows if t.id in mine]
        return rows

    def task_ids(self, plan: str | None = None, ids: Sequence[str] | None = None) -> dict[str, bool]:
        """Task id → archived flag (:meth:`tasks.store.Store.task_ids`); a scoped account's own plans only.

        Parameters
        ----------
        plan : str, optional
            The plan's key (None: the only plan the account sees).
        ids : sequence of str, optional
            Only these task numbers.

        Returns
        -------
        dict
            Task number → whether it is archived.

        Raises
        ------
        PermissionDenied
            For a plan of another region (scoped accounts).

        Examples
        --------
        >>> unit.task_ids("demo", ["1", "9"])
        {'1': False}
        """
        return self._store.task_ids(self._plan(plan), ids)

    def units(self, *, include_collective: bool = False) -> list[str]:
        """The units with a role in a live task; a unit account's own, a scoped account's regions'.

        Parameters
        ----------
        include_collective : bool, optional
            Also list collective names such as ``市直各相关单位``.

        Returns
        -------
        list of str
            The units' names, sorted.

        Examples
        --------
        >>> office.units(), unit.units()
        (['市司法局', '市政务服务中心', '市财政局'], ['市财政局'])
        """
        if self.is_unit:
            return [self.account.unit] if self.account.unit else []
        if self.account.region:  # the units with a role in a live task of the account's regions
            from ..units import is_collective

            names = {u for t in self.tasks(all_plans=True) for u in t.units}
            return sorted(u for u in names if include_collective or not is_collective(u))
        return self._store.units(include_collective=include_collective)

    def unit_exists(self, name: str) -> bool:
        """Whether the store knows a unit of this name (:meth:`tasks.store.Store.unit_exists`).

        Parameters
        ----------
        name : str
            The unit's name.

        Returns
        -------
        bool
            True when a loaded plan named the unit.

        Examples
        --------
        >>> unit.unit_exists("市司法局"), unit.unit_exists("市公安局")
        (True, False)
        """
        return self._store.unit_exists(name)

    def period(self, key: str) -> PeriodInfo | None:
        """The reporting period ``key`` (:meth:`tasks.store.Store.period`).

        Parameters
        ----------
        key : str
            The month's key, ``2021-09``.

        Returns
        -------
        PeriodInfo or None
            The period, or None when it was never opened.

        Examples
        --------
        >>> unit.period("2021-09").due
        datetime.date(2021, 10, 5)
        """
        return self._store.period(key)

    def periods(self) -> list[PeriodInfo]:
        """Every reporting period opened (:meth:`tasks.store.Store.periods`).

        Returns
        -------
        list of PeriodInfo
            Oldest first.

        Examples
        --------
        >>> [p.key for p in unit.periods()]
        ['2021-09']
        """
        return self._store.periods()

    def has_upload(self, sha256: str) -> bool:
        """Whether a file with this content was saved before (:meth:`tasks.store.Store.has_upload`).

        Parameters
        ----------
        sha256 : str
            The file's SHA-256.

        Returns
        -------
        bool
            True when an upload with that hash is stored.

        Examples
        --------
        >>> unit.has_upload("0" * 64)
        False
        """
        return self._store.has_upload(sha256)

    def task_reports(self, plan: str | None, task_id: str, *, as_of: date | None = None) -> list[ReportRecord]:
        """One task's accepted rows (:meth:`tasks.store.Store.task_reports`); a unit account sees them only
        on its own tasks, a scoped account only on its regions' plans.

        Parameters
        ----------
        plan : str or None
            The plan's key (None: the only plan).
        task_id : str
            The task's number in the plan.
        as_of : date, optional
            Leave out rows reported after this day.

        Returns
        -------
        list of ReportRecord
            The rows, oldest first; empty for a task the account may not see.

        Examples
        --------
        >>> [(r.unit, r.percent) for r in office.task_reports("demo", "1")]
        [('市财政局', 50.0)]
        >>> [(r.unit, r.percent) for r in unit.task_reports("demo", "1")]
        [('市财政局', 50.0)]
        """
        plan = self._plan(plan, "查看")
        rows = self._store.task_reports(plan, task_id, as_of=as_of)
        if self.is_unit and rows:
            mine = self._own_task_pks()
            rows = [r for r in rows if r.task_pk in mine]
        return rows

    def reports(
        self, *, as_of: date | None = None, plan: str | None = None, all_plans: bool = True
    ) -> list[ReportRecord]:
        """Accepted rows; a unit account sees those on its own tasks (co-units' rows included);
        a scoped account those on its regions' plans.

        Parameters
        ----------
        as_of : date, optional
            Leave out rows reported after this day.
        plan : str, optional
            Only this plan's rows.
        all_plans : bool, optional
            False with no ``plan``: only the only plan's rows (default True).

        Returns
        -------
        list of ReportRecord
            As :meth:`tasks.store.Store.reports`.

        Examples
        --------
        >>> [(r.unit, r.task_id, r.percent) for r in unit.reports()]
        [('市财政局', '1', 50.0)]
        """
        if plan or not all_plans:
            plan = self._plan(plan, "查看")
        rows = self._store.reports(as_of=as_of, plan=plan, all_plans=all_plans)
        if not plan and all_plans:
            rows = self._in_scope(rows)
        if self.is_unit:
            mine = self._own_task_pks()
            rows = [r for r in rows if r.task_pk in mine]
        return rows

    def uploads(self) -> list[StoredUpload]:
        """The saved uploads; a unit account's own, a scoped account's regions'.

        Returns
        -------
        list of StoredUpload
            As :meth:`tasks.store.Store.uploads`.

        Examples
        --------
        >>> [(u.unit, u.filename) for u in unit.uploads()]
        [('市财政局', '财政局.xlsx')]
        """
        rows = self._store.uploads()
        if self.is_unit:
            rows = [u for u in rows if u.unit == self.account.unit]
        mine = self._my_plans()
        if mine is not None:
            ids = self._upload_ids(mine)
            rows = [u for u in rows if u.id in ids]
        return rows

    def _upload_ids(self, plans: set[str]) -> set[int]:
        from sqlalchemy import select

        from ..store.schema import PlanRow, UploadRow

        with self._store.session() as s:
            q = select(UploadRow.id).join(PlanRow, PlanRow.id == UploadRow.plan_id).where(PlanRow.key.in_(plans))
            return set(s.scalars(q))

    def audit_log(self) -> list[AuditEntry]:
        """The audit trail (office only); a scoped office sees the rows on its regions' plans and
        those written by its regions' accounts.

        Returns
        -------
        list of dict
            As :meth:`tasks.store.Store.audit_log`.

        Raises
        ------
        PermissionDenied
            For any account but the office's.

        Examples
        --------
        >>> [a.action for a in office.audit_log()][:3]
        ['load_plan', 'open_period', 'upload']
        >>> unit.audit_log()
        Traceback (most recent call last):
        ...
        tasks.accounts.roles.PermissionDenied: 责任单位账号“czj”无权查看操作日志;如确需办理,请联系领导小组办公室
        """
        require(self.account, "read_audit")
        rows = self._store.audit_log()
        mine = self._my_plans()
        if mine is None:
            return rows
        scope = self._scope() or frozenset()
        people = {a["name"] for a in self._book_().list() if a.get("region") in scope}
        return [a for a in rows if a.actor in people or str(a.target).split("#", 1)[0] in mine or a.target in people]

    def counts(self) -> dict[str, int]:
        """Row count of every table (:meth:`tasks.store.Store.counts`).

        Returns
        -------
        dict of str to int
            Table name → rows.

        Examples
        --------
        >>> office.counts()["tasks"]
        3
        """
        return self._store.counts()

    def data_version(self, plan: str | None = None) -> int:
        """The store's data version, or plan ``plan``'s (:meth:`tasks.store.Store.data_version`); a
        region-scoped account may ask only for its regions' plans.

        Parameters
        ----------
        plan : str, optional
            A plan key; None for the whole store's version.

        Returns
        -------
        int
            The version: it moves with every change of data, never with a login or a read.

        Raises
        ------
        PermissionDenied
            For a plan of another region (scoped accounts).

        Examples
        --------
        >>> before = office.data_version("demo")
        >>> _ = office.tasks("demo"), office.audit_log()
        >>> office.data_version("demo") == before == store.data_version("demo")
        True
        """
        if plan is not None:
            plan = self._plan(plan, "查看")
        return self._store.data_version(plan)

    # -- changes (Store-compatible; ``actor`` is always the account) ------------------------------
    def load_plan_into_store(
        self,
        plan: Plan,
        actor: str | None = None,
        key: str | None = None,
        *,
        start: date | None = None,
        cycle: str | None = None,
        due_day: int | None = None,
        region: str | None = None,
    ):
        """Load (or update) a plan and freeze a baseline; ``start``/``cycle``/``due_day`` set its calendar.

        ``region`` puts the plan in a city or county (registered first).  A scoped account's new
        plans go to its own region by default, and it may load only into its regions and update
        only its regions' plans; without ``region`` an existing plan keeps its region.

        Parameters
        ----------
        plan : Plan
            The plan as an importer read it.
        actor : str, optional
            Ignored: the account is the actor.
        key : str, optional
            The plan's key (default: its title, else its file name).
        start : date, optional
            The reporting calendar's start.
        cycle : str, optional
            The reporting cycle (``month``, ``quarter``…).
        due_day : int, optional
            The day of the month reports are due (1–31).
        region : str, optional
            The city or county the plan belongs to.

        Returns
        -------
        LoadResult
            As :meth:`tasks.store.Store.load_plan_into_store`.

        Raises
        ------
        PermissionDenied
            For accounts that may not load plans, or a region outside a scoped account's.
        LifecycleError
            When ``due_day`` is not 1–31.

        Examples
        --------
        >>> import dataclasses
        >>> plan = office.plan("demo")
        >>> office.load_plan_into_store(dataclasses.replace(plan, tasks=plan.tasks[:2]), key="demo").summary()
        '计划“demo”:新增 0 项,更新 0 项,归档 1 项,未变 2 项'
        >>> unit.load_plan_into_store(plan, key="demo")
        Traceback (most recent call last):
        ...
        tasks.accounts.roles.PermissionDenied: 责任单位账号“czj”无权导入或更新计划;如确需办理,请联系领导小组办公室
        """
        from ..progress.baselines import freeze_baseline
        from ..progress.lifecycle import calendar_of, set_calendar

        require(self.account, "load_plan")
        if due_day is not None and not 1 <= int(due_day) <= 31:
            from ..progress.lifecycle import LifecycleError

            raise LifecycleError(f"报送截止日“{due_day}”应为 1–31 之间的整数(如 5 表示次月5日前,25 表示当月25日前)")
        region = self._load_region(plan, key, region)
        res = self._store.load_plan_into_store(plan, self.actor, key=key)
        if region is not None:
            from ..regions import set_plan_region

            set_plan_region(self._store, res.plan, region, actor=self.actor)
        if start is not None or cycle is not None or due_day is not None:
            cal = calendar_of(self._store, res.plan)
            set_calendar(
                self._store,
                res.plan,
                start=start or cal.start,
                cycle=cycle or cal.cycle,
                due_day=due_day if due_day is not None else cal.due_day,
                actor=self.actor,
            )
        freeze_baseline(self._store, res.plan, kind="load", label="导入时", actor=self.actor)
        return res

    def _load_region(self, plan: Plan, key: str | None, region: str | None) -> str | None:
        """The region to put a plan being loaded in (None: leave it), checked before anything is written."""
        from ..regions import DEFAULT_REGION, check_region_name, scope_of

        region = (region or "").strip() or None
        if region is not None and region != DEFAULT_REGION:
            check_region_name(region)
            scope_of(self._store, region)  # registered? (names the known regions if not)
        if not self.account.region:
            return region
        scope = self._scope() or frozenset()
        if region is not None and region not in scope:
            raise PermissionDenied(
                f"{self.account.region}的账号“{self.account.name}”只能把计划导入{self._scope_words(scope)},"
                f"不能导入{region}"
            )
        the_key = (key or plan.title or plan.source_file or "未命名计划").strip()
        current = self._plan_regions().get(the_key)
        if current is not None:
            self._plan(the_key, "更新")
            return region
        return region or self.account.region

    def set_predecessors(
        self, plan: str | None, task_id: str, predecessors: Sequence[str], actor: str | None = None
    ) -> None:
        """Replace a task's predecessors (:meth:`tasks.store.Store.set_predecessors`), as the account.

        Parameters
        ----------
        plan : str or None
            The plan's key (None: the only plan).
        task_id : str
            The task whose predecessors change.
        predecessors : sequence of str
            The new predecessors' ids.
        actor : str, optional
            Ignored: the account is the actor.

        Raises
        ------
        PermissionDenied
            For accounts that may not edit predecessors.

        Examples
        --------
        >>> office.set_predecessors("demo", "1", ["2"])
        >>> office.plan("demo").task("1").predecessors
        ['2']
        >>> unit.set_predecessors("demo", "1", [])
        Traceback (most recent call last):
        ...
        tasks.accounts.roles.PermissionDenied: 责任单位账号“czj”无权编辑前置任务;如确需办理,请联系领导小组办公室
        """
        require(self.account, "set_predecessors")
        self._store.set_predecessors(self._plan(plan, "修改"), task_id, predecessors, self.actor)

    def open_period(
        self, period: str, actor: str | None = None, *, due: date | None = None, grace_days: int = DEFAULT_GRACE_DAYS
    ) -> PeriodInfo:
        """Office: open with any due date.  Units may only register a month with the default
        due date (it happens when they upload for a month nobody opened yet); for them nothing is
        written here — the month is registered by :meth:`add_upload` once their rows pass every
        check, so a refused upload (or a bare call) leaves the database unchanged.

        Parameters
        ----------
        period : str
            The month, ``2021-10``.
        actor : str, optional
            Ignored: the account is the actor.
        due : date, optional
            The report's due date (office only).
        grace_days : int, optional
            Days after the month's end the report is due.

        Returns
        -------
        PeriodInfo
            The period (for a unit account, as it will be once registered).

        Examples
        --------
        >>> office.open_period("2021-11", due=date(2021, 12, 10)).due
        datetime.date(2021, 12, 10)
        >>> unit.open_period("2021-10").due, unit.period("2021-10")
        (datetime.date(2021, 11, 5), None)
        """
        province = not self.is_unit and not self.account.region
        require(self.account, "open_period" if due is not None or province else "register_period")
        if not self.is_unit:  # a city's office registers the month with the default due date only
            return self._store.open_period(period, self.actor, due=due, grace_days=grace_days)
        p = parse_period(period, "month")
        existing = self._store.period(p.key)
        if existing:
            return existing
        self._pending_periods[p.key] = grace_days
        return PeriodInfo(p.key, p.start, p.end, p.end + timedelta(days=grace_days), False)

    def close_period(self, period: str, actor: str | None = None) -> PeriodInfo:
        """Close a period (office) and freeze a baseline of every plan.

        Parameters
        ----------
        period : str
            The month, ``2021-09``.
        actor : str, optional
            Ignored: the account is the actor.

        Returns
        -------
        PeriodInfo
            The closed period.

        Raises
        ------
        PermissionDenied
            For accounts that may not close periods.

        Examples
        --------
        >>> office.close_period("2021-09").closed
        True
        >>> unit.close_period("2021-09")
        Traceback (most recent call last):
        ...
        tasks.accounts.roles.PermissionDenied: 责任单位账号“czj”无权关闭报告期;如确需办理,请联系领导小组办公室
        """
        from ..progress.baselines import close_period_and_freeze

        require(self.account, "close_period")
        return close_period_and_freeze(self._store, period, self.actor)

    def add_upload(
        self,
        *,
        sha256: str,
        filename: str,
        unit: str,
        plan: str,
        person: str,
        period: str,
        rows: list[dict[str, Any]],
        actor: str | None = None,
    ) -> int | None:
        """Refused unless the account may upload for ``unit`` and ``unit`` has a role in every row's task.

        Parameters
        ----------
        sha256, filename, unit, plan, person, period, rows
            As :meth:`tasks.store.Store.add_upload` (the rows are checked again: status, percent,
            dates, texts).
        actor : str, optional
            Ignored: the account is the actor.

        Returns
        -------
        int or None
            The new upload's id; None when the same file was saved before.

        Raises
        ------
        PermissionDenied
            When the account may not upload for ``unit``, or ``unit`` has no role in a row's task
            (nothing is saved).

        Examples
        --------
        >>> row = {"task_id": "2", "status": "已完成", "percent": 100, "report_date": date(2021, 9, 29),
        ...        "period": "2021-09", "source_row": 4}
        >>> office.add_upload(sha256="ab" * 32, filename="司法局.xlsx", unit="市司法局", plan="demo", person="李强",
        ...                   period="2021-09", rows=[row])
        2
        >>> unit.add_upload(sha256="cd" * 32, filename="x.xlsx", unit="市财政局", plan="demo", person="王敏",
        ...                 period="2021-09", rows=[row])
        Traceback (most recent call last):
        ...
        tasks.accounts.roles.PermissionDenied: “市财政局”不是任务2的牵头或责任单位,不能填报这些任务;整个文件未保存
        """
        self._check_rows(unit, plan, rows)
        for key in sorted({str(r["period"]) for r in rows} & set(self._pending_periods)):
            self._store.open_period(key, self.actor, grace_days=self._pending_periods.pop(key))
        return self._store.add_upload(
            sha256=sha256,
            filename=filename,
            unit=unit,
            plan=plan,
            person=person,
            period=period,
            rows=rows,
            actor=self.actor,
        )

    def _check_rows(self, unit: str, plan: str, rows: list[dict[str, Any]]) -> None:
        """Refuse (before anything is written) rows the account may not save for ``unit``."""
        require(self.account, "upload_progress", unit)
        key = self._store.plan_key(self._plan(plan, "填报"))
        roles = {t.id: t.role_of(unit) for t in self._store.tasks(key, include_archived=True, unit=unit)}
        foreign = sorted(
            {str(r["task_id"]) for r in rows if not roles.get(str(r["task_id"]))}, key=lambda x: (len(x), x)
        )
        if foreign:
            raise PermissionDenied(
                f"“{unit}”不是任务{'、'.join(foreign)}的牵头或责任单位,不能填报这些任务;整个文件未保存"
            )
        from ..progress.saved_rows import check_saved_rows

        check_saved_rows(rows)  # status, percent, dates, texts: checked here, whoever built the rows

    def record_action(self, actor: str | None, action: str, target: str, detail: dict | None = None) -> None:
        """Audit a change made outside the database; the action itself must be allowed (office otherwise).

        Parameters
        ----------
        actor : str or None
            Ignored: the account is the actor.
        action : str
            What was done (an action name of :data:`tasks.accounts.ACTIONS` is checked as such).
        target : str
            What it was done to.
        detail : dict, optional
            More about it.

        Raises
        ------
        PermissionDenied
            When the account may not do ``action``.

        Examples
        --------
        >>> office.record_action(None, "save_rules", "rules.toml")
        >>> office.audit_log()[-1].actor, office.audit_log()[-1].action
        ('ban', 'save_rules')
        >>> unit.record_action(None, "save_rules", "rules.toml")
        Traceback (most recent call last):
        ...
        tasks.accounts.roles.PermissionDenied: 责任单位账号“czj”无权修改预警与考核规则;如确需办理,请联系领导小组办公室
        """
        require(self.account, action if action in ACTIONS else "change_store")
        self._store.record_action(self.actor, action, target, detail)

    # -- progress, the way the dashboard and CLI call it ----------------------------------------------
    def template_bytes(self, unit: str | None, period: str, plan: str | None = None) -> bytes:
        """A unit's xlsx template; a unit account gets only its own.

        Parameters
        ----------
        unit : str or None
            The unit (None: a unit account's own).
        period : str
            The month the template reports on.
        plan : str, optional
            The plan's key (None: the only plan with the unit's tasks).

        Returns
        -------
        bytes
            The xlsx template (:func:`tasks.progress.template_bytes`).

        Raises
        ------
        PermissionDenied
            When a unit account asks for another unit's template.

        Examples
        --------
        >>> unit.template_bytes(None, "2021-10")[:2]
        b'PK'
        >>> unit.template_bytes("市司法局", "2021-10")
        Traceback (most recent call last):
        ...
        tasks.accounts.roles.PermissionDenied: 单位账号“czj”只能为本单位“市财政局”下载进展填报模板,不能为“市司法局”下载进展填报模板
        """
        from ..progress import template_bytes

        unit = self._own(unit, "download_template")
        require(self.account, "download_template", unit)
        if unit is None:
            raise StoreError("请指定要生成填报模板的单位")
        plan = self._plan(plan, "下载填报模板", unit=unit)
        return template_bytes(self._store, unit, period, plan)

    def all_templates_zip(self, period: str, plan: str | None = None) -> bytes:
        """Every unit's template in one zip (:func:`tasks.progress.all_templates_zip`); not for unit accounts.

        Parameters
        ----------
        period : str
            The month the templates report on.
        plan : str, optional
            The plan's key (None: the only plan).

        Returns
        -------
        bytes
            The zip file.

        Raises
        ------
        PermissionDenied
            For unit accounts.

        Examples
        --------
        >>> office.all_templates_zip("2021-10")[:2]
        b'PK'
        """
        from ..progress import all_templates_zip

        require(self.account, "download_template")  # unit accounts: refused (all units)
        return all_templates_zip(self._store, period, self._plan(plan, "下载填报模板"))

    def validate_upload(
        self, source: bytes | str | Path, filename: str | None = None, *, unit: str | None = None, **kwargs: Any
    ):
        """Check a file (nothing written); a unit account's files are checked as its own unit's,
        so another unit's template or rows for another unit's tasks are reported as problems.

        Parameters
        ----------
        source : bytes, str or Path
            The file.
        filename : str, optional
            Its name as uploaded.
        unit : str, optional
            The reporting unit (a unit account: its own; naming another is refused).
        **kwargs
            ``period``, ``plan``, ``person``, ``today``, ``rules`` as :func:`tasks.progress.validate_upload`.

        Returns
        -------
        UploadReport
            The checked rows or the problems.

        Raises
        ------
        PermissionDenied
            When the account may not upload for ``unit``.

        Examples
        --------
        >>> from tasks.progress import fill_template
        >>> data = fill_template(unit.template_bytes(None, "2021-10"),
        ...                      {"1": {"status": "推进中", "percent": 70, "date": date(2021, 10, 27)}})
        >>> unit.validate_upload(data, "财政局10月.xlsx", today=date(2021, 10, 27)).summary()
        '财政局10月.xlsx(市财政局,2021-10):1 行检查通过(尚未保存,确认后保存)'
        """
        from ..progress import validate_upload

        unit = self._own(unit, "upload_progress")
        require(self.account, "upload_progress", unit)
        if kwargs.get("plan"):
            kwargs["plan"] = self._plan(kwargs["plan"], "填报")
        report = validate_upload(self._store, source, filename, unit=unit, **kwargs)
        if self.account.region and getattr(report, "plan", None):
            self._plan(report.plan, "填报")
        return report

    def commit_upload(self, report) -> int | None:
        """Save a clean report as this account (checks unit and every row's task again).

        Parameters
        ----------
        report : UploadReport
            A report from :meth:`validate_upload`.

        Returns
        -------
        int or None
            The new upload's id; None for a duplicate file.

        Raises
        ------
        UploadRejected
            For a report with problems (nothing is written).
        PermissionDenied
            When the account may not save for the report's unit or tasks.

        Examples
        --------
        >>> from tasks.progress import fill_template
        >>> data = fill_template(unit.template_bytes(None, "2021-10"),
        ...                      {"1": {"status": "推进中", "percent": 70, "date": date(2021, 10, 27)}})
        >>> unit.commit_upload(unit.validate_upload(data, "财政局10月.xlsx", today=date(2021, 10, 27)))
        2
        """
        from ..progress import commit_upload

        # a report with problems is refused by commit_upload itself (UploadRejected, nothing written)
        require(self.account, "upload_progress", report.unit if report.ok or not self.is_unit else self.account.unit)
        if report.ok and report.rows:
            self._check_rows(report.unit, report.plan, report.store_rows())
        return commit_upload(self, report, self.actor)

    def upload_files(
        self,
        files: Iterable[str | Path | tuple[str, bytes]],
        *,
        save: bool = False,
        unit: str | None = None,
        **kwargs: Any,
    ) -> list:
        """Validate many files (zips opened), saving the clean ones when ``save``; a unit's as its own.

        Parameters
        ----------
        files : iterable
            Paths or ``(name, bytes)`` pairs (:func:`tasks.progress.upload_files`).
        save : bool, optional
            Save every clean file (default False: check only).
        unit : str, optional
            The reporting unit (a unit account: its own).
        **kwargs
            ``period``, ``plan``, ``today``… as :func:`tasks.progress.upload_files`.

        Returns
        -------
        list of UploadReport
            One report per file.

        Examples
        --------
        >>> from tasks.progress import fill_template
        >>> data = fill_template(unit.template_bytes(None, "2021-11"),
        ...                      {"1": {"status": "推进中", "percent": 80, "date": date(2021, 11, 27)}})
        >>> [r.summary() for r in unit.upload_files([("财政局11月.xlsx", data)], save=True, today=date(2021, 11, 27))]
        ['财政局11月.xlsx(市财政局,2021-11):1 行已保存']
        """
        from ..progress import upload_files

        unit = self._own(unit, "upload_progress")
        require(self.account, "upload_progress", unit)
        return upload_files(self, files, actor=self.actor, save=save, unit=unit, **kwargs)

    def snapshot(self, as_of: date | None = None, *, plan: str | None = None, rules=None):
        """Status replay; a unit account's covers only its own tasks.

        Parameters
        ----------
        as_of : date, optional
            The day to replay to (default: today).
        plan : str, optional
            Only this plan.
        rules : Rules, optional
            The warning rules (default: :func:`tasks.progress.load_rules`).

        Returns
        -------
        Snapshot
            Every visible task's status (:func:`tasks.progress.snapshot`).

        Examples
        --------
        >>> [(s.id, s.status) for s in office.snapshot(date(2021, 10, 20)).statuses]
        [('1', 'on_track'), ('2', 'overdue'), ('3', 'at_risk')]
        >>> [(s.id, s.status) for s in unit.snapshot(date(2021, 10, 20)).statuses]
        [('1', 'on_track')]
        """
        from ..progress import snapshot

        if not self.is_unit:
            require(self.account, "read_all")
        if plan:
            plan = self._plan(plan, "查看")
        return snapshot(self, as_of, plan=plan, rules=rules)

    def scorecards(self, as_of: date | None = None, *, plan: str | None = None, rules=None) -> list:
        """Scorecards with rank; a unit account gets only its own card.

        Parameters
        ----------
        as_of : date, optional
            The day to replay to (default: today).
        plan : str, optional
            Only this plan.
        rules : Rules, optional
            The scoring rules.

        Returns
        -------
        list of Scorecard
            Ranked (:func:`tasks.progress.ranking`); a unit's card keeps its rank among all units.

        Examples
        --------
        >>> [(c.rank, c.unit, c.score) for c in office.scorecards(date(2021, 10, 20))]
        [(1, '市财政局', 100), (2, '市政务服务中心', 97), (3, '市司法局', 95)]
        >>> [(c.rank, c.unit) for c in unit.scorecards(date(2021, 10, 20))]
        [(1, '市财政局')]
        """
        from ..progress import ranking, snapshot

        if self.is_unit:  # its rank is among all units, so rank on everything, then keep its own card
            require(self.account, "view_units", self.account.unit)
            if self.account.region:  # … of its regions
                cards = ranking(self._reader().snapshot(as_of, plan=plan, rules=rules))
                return [c for c in cards if c.unit == self.account.unit]
            cards = ranking(snapshot(self._store, as_of, plan=plan, rules=rules))
            return [c for c in cards if c.unit == self.account.unit]
        require(self.account, "view_units")
        return ranking(self.snapshot(as_of, plan=plan, rules=rules))

    def reminders(
        self, as_of: date | None = None, period: str | None = None, *, plan: str | None = None, rules=None
    ) -> list:
        """催办名单; a unit account gets only its own reminder.

        Parameters
        ----------
        as_of : date, optional
            The day to replay to (default: today).
        period : str, optional
            The period to check (default: the latest one due).
        plan : str, optional
            Only this plan.
        rules : Rules, optional
            The rules.

        Returns
        -------
        list of Reminder
            The units that have not reported.

        Examples
        --------
        >>> [r.text() for r in office.reminders(date(2021, 10, 20))][0]
        '市司法局:2021-09 进展已超过报送期限(期限 2021-10-05),涉及任务 2'
        >>> unit.reminders(date(2021, 10, 20))
        []
        """
        from ..progress import reminders

        items = reminders(self.snapshot(as_of, plan=plan, rules=rules), period)
        if self.is_unit:
            items = [r for r in items if r.unit == self.account.unit]
        return items

    def build_report(self, kind: str, period: str, **kwargs: Any):
        """A period report (office, planners, leaders; units lack ``view_reports``).

        Parameters
        ----------
        kind : str
            ``month``, ``quarter``, ``half`` or ``year``.
        period : str
            The period's key (``2021-09``, ``2021-Q3``…).
        **kwargs
            As :func:`tasks.progress.build_report` (``plan``, ``as_of``, ``rules``…).

        Returns
        -------
        PeriodReport
            The report.

        Raises
        ------
        PermissionDenied
            For unit accounts.

        Examples
        --------
        >>> office.build_report("month", "2021-09").doc_title
        '关于demo2021年9月任务推进情况的通报'
        >>> unit.build_report("month", "2021-09")
        Traceback (most recent call last):
        ...
        tasks.accounts.roles.PermissionDenied: 责任单位账号“czj”无权查看和下载报告;如确需办理,请联系领导小组办公室
        """
        from ..progress import build_report

        require(self.account, "view_reports")
        if kwargs.get("plan"):
            kwargs["plan"] = self._plan(kwargs["plan"], "查看")
        return build_report(self, kind, period, **kwargs)

    def write_report(self, kind: str, period: str, out: str | Path, **kwargs: Any) -> Path:
        """Write a period report as a docx (:func:`tasks.progress.write_report`); not for unit accounts.

        Parameters
        ----------
        kind : str
            ``month``, ``quarter``, ``half`` or ``year``.
        period : str
            The period's key.
        out : str or Path
            The file to write.
        **kwargs
            As :func:`tasks.progress.write_report`.

        Returns
        -------
        Path
            The file written.

        Raises
        ------
        PermissionDenied
            For unit accounts.

        Examples
        --------
        >>> import tempfile
        >>> office.write_report("month", "2021-09", Path(tempfile.mkdtemp()) / "通报.docx").name
        '通报.docx'
        """
        from ..progress import write_report

        require(self.account, "view_reports")
        if kwargs.get("plan"):
            kwargs["plan"] = self._plan(kwargs["plan"], "查看")
        return write_report(self, kind, period, out, **kwargs)

    def save_rules(self, rules, path: str | Path | None = None):
        """Write the warning/scoring rules (office only; audited).

        Parameters
        ----------
        rules : Rules
            The rules.
        path : str or Path, optional
            The rules file (default: the configured one).

        Returns
        -------
        Rules
            The rules as saved (with their path).

        Raises
        ------
        PermissionDenied
            For any account but the office's.

        Examples
        --------
        >>> import tempfile
        >>> from tasks.progress import default_rules
        >>> office.save_rules(default_rules(), Path(tempfile.mkdtemp()) / "rules.toml").path.endswith("rules.toml")
        True
        """
        from ..progress import save_rules

        require(self.account, "save_rules")
        return save_rules(rules, self.actor, store=self, path=path)

    # -- accounts (office; a scoped office: the accounts of its regions) --------------------------------
    def list_accounts(self) -> list[dict[str, Any]]:
        """Every account (:meth:`AccountBook.list`; office only; a scoped office: its regions').

        Returns
        -------
        list of dict
            The accounts, never with a password hash.

        Raises
        ------
        PermissionDenied
            For accounts that may not manage accounts.

        Examples
        --------
        >>> [(a["name"], a["role"]) for a in office.list_accounts()]
        [('ban', 'office'), ('czj', 'unit')]
        >>> unit.list_accounts()
        Traceback (most recent call last):
        ...
        tasks.accounts.roles.PermissionDenied: 责任单位账号“czj”无权管理账号;如确需办理,请联系领导小组办公室
        """
        require(self.account, "manage_accounts")
        rows = self._book_().list()
        scope = self._scope()
        return rows if scope is None else [a for a in rows if a.get("region") in scope]

    def _new_region(self, region: str | None) -> str | None:
        """The region a new or changed account of a scoped office gets: its own by default, else one of its regions."""
        from ..regions import PROVINCE

        if not self.account.region:
            return region
        scope = self._scope() or frozenset()
        region = (region or "").strip() or self.account.region
        if region == PROVINCE or region not in scope:
            raise PermissionDenied(
                f"{self.account.region}的账号“{self.account.name}”只能为{self._scope_words(scope)}建立或调整账号,"
                f"不能设为{region}"
            )
        return region

    def _account_in_scope(self, name: str, what: str) -> None:
        """Refuse a scoped office's change to an account outside its regions (unscoped ones included)."""
        scope = self._scope()
        if scope is None:
            return
        info = self._book_().info(name)
        if info is None:
            return  # the book's own error: 账号不存在
        if info.get("region") not in scope:
            raise PermissionDenied(
                f"{self.account.region}的账号“{self.account.name}”不能{what}“{name}”:该账号不属于{self._scope_words(scope)}"
            )

    def _unit_in_scope(self, unit: str | None) -> None:
        if self.account.region and unit and unit.strip() not in self.units(include_collective=True):
            raise PermissionDenied(f"单位“{unit}”在{self.account.region}的计划中没有任务,不能为其建立单位账号")

    def add_account(
        self,
        name: str,
        role: str,
        *,
        unit: str | None = None,
        password: str | None = None,
        display_name: str = "",
        region: str | None = None,
    ) -> str | None:
        """New account; a scoped office's accounts belong to its regions (its own by default).

        Parameters
        ----------
        name, role : str
            As :meth:`AccountBook.add`.
        unit, password, display_name, region : str, optional
            As :meth:`AccountBook.add` (a scoped office: a unit with tasks in its regions, one of its regions).

        Returns
        -------
        str or None
            The generated password, or None when ``password`` was given.

        Raises
        ------
        PermissionDenied
            For accounts that may not manage accounts, or outside a scoped office's regions.
        AccountError
            As :meth:`AccountBook.add`.

        Examples
        --------
        >>> generated = office.add_account("sfj", "unit", unit="市司法局")
        >>> len(generated) >= 12, book.get("sfj").unit
        (True, '市司法局')
        """
        require(self.account, "manage_accounts")
        region = self._new_region(region)
        self._unit_in_scope(unit)
        return self._book_().add(
            name, role, unit=unit, password=password, display_name=display_name, actor=self.actor, region=region
        )

    def update_account(self, name: str, **changes: Any):
        """Change an account (:meth:`AccountBook.update`; office only, a scoped office within its regions).

        Parameters
        ----------
        name : str
            The account's name.
        **changes
            ``role``, ``unit``, ``display_name``, ``region``.

        Returns
        -------
        Account
            The account as it is now.

        Raises
        ------
        PermissionDenied
            For accounts that may not manage accounts, or an account outside a scoped office's regions.

        Examples
        --------
        >>> office.update_account("czj", display_name="王敏").display_name
        '王敏'
        """
        require(self.account, "manage_accounts")
        self._account_in_scope(name, "修改账号")
        if self.account.region and changes.get("region") is not None:
            changes["region"] = self._new_region(changes["region"])
        self._unit_in_scope(changes.get("unit"))
        return self._book_().update(name, actor=self.actor, **changes)

    def disable_account(self, name: str) -> None:
        """Disable an account, ending its sessions (:meth:`AccountBook.set_disabled`; office only).

        Parameters
        ----------
        name : str
            The account's name.

        Raises
        ------
        PermissionDenied
            For accounts that may not manage accounts.
        AccountError
            For an unknown name, or the last active office account.

        Examples
        --------
        >>> office.disable_account("czj")
        >>> book.get("czj").disabled
        True
        """
        require(self.account, "manage_accounts")
        self._account_in_scope(name, "停用账号")
        self._book_().set_disabled(name, True, actor=self.actor)

    def enable_account(self, name: str) -> None:
        """Enable a disabled account again (office only).

        Parameters
        ----------
        name : str
            The account's name.

        Raises
        ------
        PermissionDenied
            For accounts that may not manage accounts.

        Examples
        --------
        >>> office.disable_account("czj"); office.enable_account("czj")
        >>> book.get("czj").disabled
        False
        """
        require(self.account, "manage_accounts")
        self._account_in_scope(name, "启用账号")
        self._book_().set_disabled(name, False, actor=self.actor)

    def reset_password(self, name: str) -> str:
        """A new random password for ``name`` (:meth:`AccountBook.reset_password`; office only).

        Parameters
        ----------
        name : str
            The account's name.

        Returns
        -------
        str
            The new password (show it once); the user must change it at the next login.

        Raises
        ------
        PermissionDenied
            For accounts that may not manage accounts.

        Examples
        --------
        >>> new = office.reset_password("czj")
        >>> book.get("czj").must_change_password
        True
        """
        require(self.account, "manage_accounts")
        self._account_in_scope(name, "重置密码")
        return self._book_().reset_password(name, actor=self.actor)

    def unlock_account(self, name: str) -> None:
        """Clear an account's failed-login counts (:meth:`AccountBook.unlock`; office only).

        Parameters
        ----------
        name : str
            The account's name.

        Raises
        ------
        PermissionDenied
            For accounts that may not manage accounts.

        Examples
        --------
        >>> office.unlock_account("czj")
        >>> book.info("czj")["failed_logins"]
        0
        """
        require(self.account, "manage_accounts")
        self._account_in_scope(name, "解锁账号")
        self._book_().unlock(name, actor=self.actor)

    # -- regions (a province on one deployment) ----------------------------------------------------------
    def regions(self) -> list:
        """The registered cities and counties (:class:`tasks.regions.Region`); a scoped account's own.

        Returns
        -------
        list of Region
            The regions.

        Examples
        --------
        >>> office.regions()
        []
        >>> office.add_region("示例市")
        Region(name='示例市', kind='city', parent=None)
        >>> [r.name for r in office.regions()]
        ['示例市']
        """
        from ..regions import regions

        rows = regions(self._store)
        scope = self._scope()
        return rows if scope is None else [r for r in rows if r.name in scope]

    def plan_regions(self) -> dict[str, str]:
        """Plan key → region for the plans the account sees.

        Returns
        -------
        dict of str to str
            Each plan's region (``本级`` for a plan in none).

        Examples
        --------
        >>> office.plan_regions()
        {'demo': '本级'}
        """
        rows = self._plan_regions()
        mine = self._my_plans()
        return rows if mine is None else {k: r for k, r in rows.items() if k in mine}

    def add_region(self, name: str, *, parent: str | None = None):
        """Register a city or county (the provincial office).

        Parameters
        ----------
        name : str
            The region's name.
        parent : str, optional
            The city a county belongs to (None: a city).

        Returns
        -------
        Region
            The region registered.

        Raises
        ------
        PermissionDenied
            For accounts that may not manage regions.

        Examples
        --------
        >>> office.add_region("示例市"), office.add_region("示例县", parent="示例市").kind
        (Region(name='示例市', kind='city', parent=None), 'county')
        >>> unit.add_region("某县")
        Traceback (most recent call last):
        ...
        tasks.accounts.roles.PermissionDenied: 责任单位账号“czj”无权登记地区、调整计划所属地区;如确需办理,请联系领导小组办公室
        """
        from ..regions import add_region

        require(self.account, "manage_regions")
        return add_region(self._store, name, parent=parent, actor=self.actor)

    def set_plan_region(self, plan: str, region: str) -> str | None:
        """Move a plan to another region (the provincial office); returns its former region.

        Parameters
        ----------
        plan : str
            The plan's key.
        region : str
            A registered region.

        Returns
        -------
        str or None
            The region the plan was in.

        Raises
        ------
        PermissionDenied
            For accounts that may not manage regions.

        Examples
        --------
        >>> _ = office.add_region("示例市")
        >>> office.set_plan_region("demo", "示例市"), office.plan_regions()
        ('本级', {'demo': '示例市'})
        """
        from ..regions import set_plan_region

        require(self.account, "manage_regions")
        return set_plan_region(self._store, plan, region, actor=self.actor)

    def compare_regions(self, as_of: date | None = None, *, by: str = "city", rules=None, snap=None):
        """Figures per city (or per region) and the period of their 报送率: offices, leaders and planners.

        The provincial (unscoped) accounts compare every city; an account limited to a city compares
        the city's own plans with each of its counties' (a county's: its own figures), and only
        those plans count whatever ``snap`` holds.  ``snap``: a snapshot for ``as_of`` already at
        hand (the dashboard's cached one).  Unit accounts are refused.

        Parameters
        ----------
        as_of : date, optional
            The day to replay to (default: today).
        by : str, optional
            ``city`` (a city with its counties) or ``region`` (each region alone).
        rules : Rules, optional
            The rules.
        snap : Snapshot, optional
            A snapshot of all plans for ``as_of`` to reuse.

        Returns
        -------
        tuple of (list of RegionFigures, str or None)
            The figures and the period the report rate is for (:func:`tasks.regions.region_comparison`).

        Raises
        ------
        PermissionDenied
            For a unit account (or one whose role lacks ``compare_regions``).

        Examples
        --------
        >>> _ = office.add_region("示例市"); _ = office.set_plan_region("demo", "示例市")
        >>> figures, period = office.compare_regions(date(2021, 10, 20))
        >>> [(f.region, f.tasks, f.overdue, f.reported) for f in figures], period
        ([('示例市', 3, 1, 1)], '2021-09')
        """
        from ..regions import region_comparison

        require(self.account, "compare_regions")
        return region_comparison(self, as_of, by=by, rules=rules, snap=snap, scope=self._scope())

    # -- the supervision loop (督办) -------------------------------------------------------------------
    def _acting_unit(self, plan: str | None, task: str, unit: str | None, action: str) -> str | None:
        """The unit a unit-side step is for: a unit account acts only for its own unit, on tasks it leads."""
        from ..progress.lifecycle import task_units

        if not self.is_unit:
            require(self.account, action)
            return unit
        unit = self._own(unit, action)
        require(self.account, action, unit)
        key = self._store.plan_key(self._plan(plan, ACTIONS[action], unit=unit))
        ids = {t.id: t.pk for t in self._store.tasks(key, include_archived=True, unit=unit)}
        pk = ids.get(str(task))
        if pk is None or unit not in task_units(self._store, key).get(pk, []):
            raise PermissionDenied(
                f"单位账号“{self.account.name}”({unit})不是计划“{key}”任务 {task} 的牵头单位,"
                f"不能{ACTIONS[action]};只能办理本单位牵头的任务"
            )
        return unit

    def sign_task(
        self, plan: str | None, task: str, *, unit: str | None = None, note: str = "", at: datetime | None = None
    ):
        """签收 (a lead unit, or the office for it).

        Parameters
        ----------
        plan : str or None
            The plan's key (None: the only plan).
        task : str
            The task's number.
        unit : str, optional
            The lead unit signing (a unit account: its own).
        note : str, optional
            A note kept with the step.
        at : datetime, optional
            When it happened (default: now).

        Returns
        -------
        LifecycleEvent
            The stored step.

        Raises
        ------
        PermissionDenied
            When a unit account does not lead the task.
        LifecycleError
            When the task is not waiting to be signed.

        Examples
        --------
        >>> ev = unit.sign_task("demo", "1", at=datetime(2021, 8, 10, 9, 0))
        >>> ev.kind, ev.label, ev.unit, ev.actor
        ('sign', '签收', '市财政局', 'czj')
        >>> unit.sign_task("demo", "2")
        Traceback (most recent call last):
        ...
        tasks.accounts.roles.PermissionDenied: 单位账号“czj”(市财政局)不是计划“demo”任务 2 的牵头单位,不能签收任务;只能办理本单位牵头的任务
        """
        from ..progress.lifecycle import sign

        plan = self._plan(plan, "签收", unit=unit or self.account.unit)
        unit = self._acting_unit(plan, task, unit, "sign_task")
        return sign(self._store, plan, task, unit=unit, actor=self.actor, note=note, at=at)

    def request_extension(
        self, plan: str | None, task: str, *, to: date, reason: str, unit: str | None = None, at: datetime | None = None
    ):
        """延期申请; the returned event's id is the request id.

        Parameters
        ----------
        plan : str or None
            The plan's key (None: the only plan).
        task : str
            The task's number.
        to : date
            The deadline asked for.
        reason : str
            Why.
        unit : str, optional
            The lead unit asking (a unit account: its own).
        at : datetime, optional
            When (default: now).

        Returns
        -------
        LifecycleEvent
            The request (its ``id`` is what :meth:`decide_extension` takes).

        Raises
        ------
        PermissionDenied
            When a unit account does not lead the task.
        LifecycleError
            When the task is not in a state that allows a request, or the date is not later.

        Examples
        --------
        >>> _ = unit.sign_task("demo", "1", at=datetime(2021, 8, 10, 9, 0))
        >>> req = unit.request_extension("demo", "1", to=date(2022, 3, 31), reason="需省级系统对接",
        ...                              at=datetime(2021, 10, 8, 9, 0))
        >>> req.kind, req.new_date
        ('extension_request', datetime.date(2022, 3, 31))
        """
        from ..progress.lifecycle import request_extension

        plan = self._plan(plan, "申请延期", unit=unit or self.account.unit)
        unit = self._acting_unit(plan, task, unit, "request_extension")
        return request_extension(self._store, plan, task, to=to, reason=reason, unit=unit, actor=self.actor, at=at)

    def decide_extension(
        self, request_id: int, *, approve: bool, to: date | None = None, note: str = "", at: datetime | None = None
    ):
        """延期审批 (office).

        Parameters
        ----------
        request_id : int
            The request's id (:meth:`request_extension`, :meth:`office_queue`).
        approve : bool
            Approve or refuse.
        to : date, optional
            The deadline granted (default: the one asked for).
        note : str, optional
            The office's note.
        at : datetime, optional
            When (default: now).

        Returns
        -------
        LifecycleEvent
            The decision.

        Raises
        ------
        PermissionDenied
            For any account but the office's.

        Examples
        --------
        >>> _ = unit.sign_task("demo", "1", at=datetime(2021, 8, 10, 9, 0))
        >>> req = unit.request_extension("demo", "1", to=date(2022, 3, 31), reason="需省级系统对接",
        ...                              at=datetime(2021, 10, 8, 9, 0))
        >>> ok = office.decide_extension(req.id, approve=True, note="同意", at=datetime(2021, 10, 9, 9, 0))
        >>> ok.kind, ok.new_date
        ('extension_approved', datetime.date(2022, 3, 31))
        """
        from ..progress.lifecycle import decide_extension

        require(self.account, "decide_extension")
        self._event_in_scope(request_id, "审批")
        return decide_extension(self._store, request_id, approve=approve, to=to, note=note, actor=self.actor, at=at)

    def claim_done(
        self,
        plan: str | None,
        task: str,
        *,
        evidence: Sequence[tuple[str, bytes]] = (),
        unit: str | None = None,
        note: str = "",
        at: datetime | None = None,
        rules=None,
    ):
        """申请办结 with evidence files.

        Parameters
        ----------
        plan : str or None
            The plan's key (None: the only plan).
        task : str
            The task's number.
        evidence : sequence of (str, bytes), optional
            The evidence files, as ``(file name, content)`` (required when the rules say so).
        unit : str, optional
            The lead unit claiming (a unit account: its own).
        note : str, optional
            What was done.
        at : datetime, optional
            When (default: now).
        rules : Rules, optional
            The rules (default: :func:`tasks.progress.load_rules`).

        Returns
        -------
        LifecycleEvent
            The claim (its ``evidence`` holds the stored files' ids).

        Raises
        ------
        PermissionDenied
            When a unit account does not lead the task.
        LifecycleError
            No evidence where it is required, a refused file, or a task not in a state to claim.

        Examples
        --------
        >>> _ = unit.sign_task("demo", "1", at=datetime(2021, 8, 10, 9, 0))
        >>> claim = unit.claim_done("demo", "1", evidence=[("清单.pdf", b"%PDF-1.4 demo")], note="已完成",
        ...                         at=datetime(2021, 12, 20, 9, 0))
        >>> claim.kind, claim.evidence
        ('claim', (1,))
        """
        from ..progress import load_rules
        from ..progress.lifecycle import claim

        plan = self._plan(plan, "申请办结", unit=unit or self.account.unit)
        unit = self._acting_unit(plan, task, unit, "claim_done")
        rules = rules or load_rules()
        return claim(
            self._store,
            plan,
            task,
            evidence=evidence,
            unit=unit,
            note=note,
            actor=self.actor,
            at=at,
            evidence_required=rules.evidence_required,
        )

    def review_claim(
        self,
        plan: str | None,
        task: str,
        *,
        accept: bool,
        note: str = "",
        unit: str | None = None,
        at: datetime | None = None,
    ):
        """办结审核 (office): accept → 已办结, or return with a reason.

        Parameters
        ----------
        plan : str or None
            The plan's key (None: the only plan).
        task : str
            The task's number.
        accept : bool
            Accept the claim (the task is closed) or return it.
        note : str, optional
            The office's note (the reason, when returned).
        unit : str, optional
            The unit whose claim it is (when several units claimed).
        at : datetime, optional
            When (default: now).

        Returns
        -------
        LifecycleEvent
            The decision.

        Raises
        ------
        PermissionDenied
            For any account but the office's.

        Examples
        --------
        >>> _ = unit.sign_task("demo", "1", at=datetime(2021, 8, 10, 9, 0))
        >>> _ = unit.claim_done("demo", "1", evidence=[("清单.pdf", b"%PDF-1.4 demo")], at=datetime(2021, 12, 20, 9, 0))
        >>> office.review_claim("demo", "1", accept=True, note="材料齐全", at=datetime(2021, 12, 22, 9, 0)).label
        '办结审核通过(销号)'
        """
        from ..progress.lifecycle import review

        require(self.account, "review_claim")
        plan = self._plan(plan, "审核")
        return review(self._store, plan, task, accept=accept, note=note, unit=unit, actor=self.actor, at=at)

    def appeal_card(
        self,
        plan: str | None,
        task: str,
        *,
        card: str,
        reason: str,
        unit: str | None = None,
        at: datetime | None = None,
    ):
        """申诉 against a task's card (its lead unit).

        Parameters
        ----------
        plan : str or None
            The plan's key (None: the only plan).
        task : str
            The task's number.
        card : str
            The card appealed against (``yellow``, ``red``).
        reason : str
            Why.
        unit : str, optional
            The lead unit appealing (a unit account: its own).
        at : datetime, optional
            When (default: now).

        Returns
        -------
        LifecycleEvent
            The appeal (its ``id`` is what :meth:`decide_appeal` takes).

        Raises
        ------
        PermissionDenied
            When a unit account does not lead the task.

        Examples
        --------
        >>> ap = office.appeal_card("demo", "2", card="red", reason="清单已于8月底报送", unit="市司法局",
        ...                         at=datetime(2021, 10, 21, 9, 0))
        >>> ap.kind, ap.unit
        ('appeal', '市司法局')
        >>> unit.appeal_card("demo", "2", card="red", reason="x")
        Traceback (most recent call last):
        ...
        tasks.accounts.roles.PermissionDenied: 单位账号“czj”(市财政局)不是计划“demo”任务 2 的牵头单位,不能对预警牌提出申诉;只能办理本单位牵头的任务
        """
        from ..progress.lifecycle import appeal

        plan = self._plan(plan, "申诉", unit=unit or self.account.unit)
        unit = self._acting_unit(plan, task, unit, "appeal_card")
        return appeal(self._store, plan, task, card=card, reason=reason, unit=unit, actor=self.actor, at=at)

    def decide_appeal(self, appeal_id: int, *, uphold: bool, note: str, at: datetime | None = None):
        """申诉处理 (office).

        Parameters
        ----------
        appeal_id : int
            The appeal's id.
        uphold : bool
            Uphold the appeal (the card is withdrawn) or reject it.
        note : str
            The office's reasons (required).
        at : datetime, optional
            When (default: now).

        Returns
        -------
        LifecycleEvent
            The decision.

        Raises
        ------
        PermissionDenied
            For any account but the office's.
        LifecycleError
            An empty note, or an appeal already decided.

        Examples
        --------
        >>> ap = office.appeal_card("demo", "2", card="red", reason="清单已于8月底报送", unit="市司法局",
        ...                         at=datetime(2021, 10, 21, 9, 0))
        >>> office.decide_appeal(ap.id, uphold=True, note="情况属实,撤销红牌", at=datetime(2021, 10, 22, 9, 0)).kind
        'appeal_upheld'
        """
        from ..progress.lifecycle import decide_appeal

        require(self.account, "decide_appeal")
        self._event_in_scope(appeal_id, "处理申诉")
        return decide_appeal(self._store, appeal_id, uphold=uphold, note=note, actor=self.actor, at=at)

    def card_history(self, plan: str | None, task: str | None = None):
        """A plan's card history (红黄牌履历), checked by role and, for a scoped account, by region.

        Parameters
        ----------
        plan : str or None
            The plan's key (None: the only plan).
        task : str, optional
            Only this task's.

        Returns
        -------
        list of CardRecord
            The recorded cards (a unit account: its own tasks').

        Examples
        --------
        >>> _ = office.record_card_history("demo", as_of=date(2021, 10, 20))
        >>> [(r.task, r.kind, r.level_name) for r in office.card_history("demo")]
        [('2', 'issued', '红牌'), ('3', 'issued', '黄牌')]
        >>> unit.card_history("demo")
        []
        """
        return super().card_history(self._plan(plan, "查看", unit=self.account.unit), task)

    def record_card_history(self, plan: str | None, *, as_of: date | None = None, rules=None):
        """Record a plan's card history (the provincial office; a city's office is refused by role).

        Parameters
        ----------
        plan : str or None
            The plan's key (None: the only plan).
        as_of : date, optional
            The day to record up to (default: today).
        rules : Rules, optional
            The rules.

        Returns
        -------
        list of CardRecord
            The records written now.

        Examples
        --------
        >>> [(r.task, r.period, r.reason) for r in office.record_card_history("demo", as_of=date(2021, 10, 20))]
        [('2', '2021-09', '已逾期36天'), ('3', '2021-09', '状态为有风险;连续1期未报送')]
        """
        return super().record_card_history(self._plan(plan, "记录预警牌履历"), as_of=as_of, rules=rules)

    def _event_in_scope(self, event_id: int, what: str) -> None:
        """Refuse a scoped office's decision on a request or appeal of another region's plan."""
        if not self.account.region:
            return
        from ..progress.lifecycle import unit_of_event

        plan = unit_of_event(self._store, event_id)[0]
        self._plan(plan, what)

    def lifecycle_events(self, plan: str | None = None, task: str | None = None, *, as_of: date | None = None):
        """The stored steps; a unit account sees those on its own tasks.

        Parameters
        ----------
        plan : str, optional
            The plan's key (None: every plan the account sees).
        task : str, optional
            Only this task's.
        as_of : date, optional
            Only the steps up to this day.

        Returns
        -------
        list of LifecycleEvent
            Oldest first.

        Examples
        --------
        >>> _ = unit.sign_task("demo", "1", at=datetime(2021, 8, 10, 9, 0))
        >>> [(e.task, e.label) for e in unit.lifecycle_events("demo")]
        [('1', '签收')]
        """
        from ..progress.lifecycle import events

        if plan:
            plan = self._plan(plan, "查看")
        rows = self._in_scope(events(self._store, plan, task, as_of=as_of, all_plans=plan is None))
        if self.is_unit:
            require(self.account, "view_tasks", self.account.unit)
            mine = {
                (t.plan, t.id) for t in self._store.tasks(all_plans=True, include_archived=True, unit=self.account.unit)
            }
            rows = [e for e in rows if (e.plan, e.task) in mine]
        elif self.account.role != "office":
            require(self.account, "read_all")
        return rows

    def evidence_list(self, plan: str | None, task: str | None = None):
        """Evidence descriptions of a plan (or task); a unit account sees its own unit's.

        Parameters
        ----------
        plan : str or None
            The plan's key (None: the only plan).
        task : str, optional
            Only this task's.

        Returns
        -------
        list of EvidenceInfo
            File name, size, type, hash, who stored it and when.

        Examples
        --------
        >>> _ = unit.sign_task("demo", "1", at=datetime(2021, 8, 10, 9, 0))
        >>> _ = unit.claim_done("demo", "1", evidence=[("清单.pdf", b"%PDF-1.4 demo")], at=datetime(2021, 12, 20, 9, 0))
        >>> [(e.filename, e.unit, e.size) for e in unit.evidence_list("demo", "1")]
        [('清单.pdf', '市财政局', 13)]
        """
        from ..progress.lifecycle import evidence_list

        rows = evidence_list(self._store, self._plan(plan, "查看"), task)
        if self.is_unit:
            rows = [r for r in rows if r.unit == self.account.unit]
        else:
            require(self.account, "download_evidence")
        return rows

    def evidence_download(self, evidence_id: int):
        """(description, bytes) of an evidence file: the office and the owning unit only.

        Parameters
        ----------
        evidence_id : int
            The file's id (:meth:`evidence_list`).

        Returns
        -------
        tuple of (EvidenceInfo, bytes)
            The description and the content.

        Raises
        ------
        PermissionDenied
            For another unit's file.
        LifecycleError
            When there is no such file.

        Examples
        --------
        >>> _ = unit.sign_task("demo", "1", at=datetime(2021, 8, 10, 9, 0))
        >>> claim = unit.claim_done("demo", "1", evidence=[("清单.pdf", b"%PDF-1.4 demo")], at=datetime(2021, 12, 20, 9, 0))
        >>> info, data = office.evidence_download(claim.evidence[0])
        >>> info.filename, data
        ('清单.pdf', b'%PDF-1.4 demo')
        """
        from ..progress.lifecycle import evidence_bytes, evidence_list

        found = evidence_list(self._store, ids=[evidence_id])
        owner = found[0].unit if found else None
        require(self.account, "download_evidence", owner if self.is_unit else None)
        if found:
            self._plan(found[0].plan, "下载佐证材料")
        return evidence_bytes(self._store, evidence_id)

    def set_calendar(self, plan: str | None, *, start: date, cycle: str = "month", due_day: int | None = None):
        """A plan's reporting calendar (office).

        Parameters
        ----------
        plan : str or None
            The plan's key (None: the only plan).
        start : date
            When reporting starts.
        cycle : str, optional
            ``month`` (default), ``quarter``…
        due_day : int, optional
            The day reports are due (None: the default grace days).

        Returns
        -------
        PlanCalendar
            The calendar.

        Raises
        ------
        PermissionDenied
            For any account but the office's.

        Examples
        --------
        >>> office.set_calendar("demo", start=date(2021, 8, 9), cycle="quarter", due_day=10)
        PlanCalendar(plan='demo', start=datetime.date(2021, 8, 9), cycle='quarter', due_day=10)
        """
        from ..progress.lifecycle import set_calendar

        require(self.account, "set_calendar")
        plan = self._plan(plan, "设置报送日历")
        return set_calendar(self._store, plan, start=start, cycle=cycle, due_day=due_day, actor=self.actor)

    def office_queue(self, plan: str | None):
        """Pending extension requests, claims and appeals (office).

        Parameters
        ----------
        plan : str or None
            The plan's key (None: the only plan).

        Returns
        -------
        list of QueueItem
            What waits for a decision, oldest first.

        Raises
        ------
        PermissionDenied
            For accounts that may not review claims.

        Examples
        --------
        >>> _ = unit.sign_task("demo", "1", at=datetime(2021, 8, 10, 9, 0))
        >>> _ = unit.request_extension("demo", "1", to=date(2022, 3, 31), reason="需省级系统对接",
        ...                            at=datetime(2021, 10, 8, 9, 0))
        >>> [(q.kind, q.unit, q.text) for q in office.office_queue("demo")]
        [('extension', '市财政局', '需省级系统对接')]
        """
        from ..progress.lifecycle import office_queue

        require(self.account, "review_claim")
        return office_queue(self._store, self._plan(plan, "查看"))

    def calendar(self, plan: str | None):
        """A plan's reporting calendar (anyone who may see the plan).

        Parameters
        ----------
        plan : str or None
            The plan's key (None: the only plan).

        Returns
        -------
        PlanCalendar
            Its start, cycle and due day (defaults when never set).

        Examples
        --------
        >>> unit.calendar("demo")
        PlanCalendar(plan='demo', start=datetime.date(2021, 8, 9), cycle='month', due_day=None)
        """
        from ..progress.lifecycle import calendar_of

        return calendar_of(self._store, self.plan_key(plan))

    def freeze_baseline(self, plan: str | None, label: str = ""):
        """Freeze a baseline on demand (office).

        Parameters
        ----------
        plan : str or None
            The plan's key (None: the only plan).
        label : str, optional
            The baseline's name.

        Returns
        -------
        dict
            ``id``, ``plan``, ``kind``, ``label``, ``at`` and ``tasks``.

        Raises
        ------
        PermissionDenied
            For any account but the office's.

        Examples
        --------
        >>> b = office.freeze_baseline("demo", "九月底")
        >>> b["kind"], b["label"], b["tasks"]
        ('manual', '九月底', 3)
        """
        from ..progress.baselines import freeze_baseline

        require(self.account, "freeze_baseline")
        plan = self._plan(plan, "冻结基线")
        return freeze_baseline(self._store, plan, kind="manual", label=label, actor=self.actor)

    def compare_baseline(self, plan: str | None, against: date | int | None = None):
        """Now against a baseline (office, leaders, planners: readers of all data).

        Parameters
        ----------
        plan : str or None
            The plan's key (None: the only plan).
        against : date or int, optional
            The baseline: its id (int), the latest frozen on or before a date, or None for the first
            one (frozen at load).

        Returns
        -------
        dict
            ``plan``, ``baseline``, tasks ``added`` and ``archived`` since, ``deadline_moves`` and ``variance``.

        Raises
        ------
        PermissionDenied
            For accounts that may not read all data.

        Examples
        --------
        >>> _ = office.freeze_baseline("demo", "九月底")
        >>> office.set_predecessors("demo", "1", ["2"])
        >>> cmp = office.compare_baseline("demo")
        >>> cmp["baseline"]["label"], cmp["added"], cmp["deadline_moves"]
        ('九月底', [], [])
        """
        from ..progress.baselines import compare

        require(self.account, "read_all")
        return compare(self._store, self._plan(plan, "查看"), against)

    def baselines(self, plan: str | None):
        """The baselines frozen for a plan (readers of all data).

        Parameters
        ----------
        plan : str or None
            The plan's key (None: the only plan).

        Returns
        -------
        list of dict
            ``id``, ``kind``, ``label``, ``at`` and ``tasks`` of each, oldest first.

        Raises
        ------
        PermissionDenied
            For accounts that may not read all data.

        Examples
        --------
        >>> _ = office.freeze_baseline("demo", "九月底")
        >>> [(b["kind"], b["label"]) for b in office.baselines("demo")]
        [('manual', '九月底')]
        """
        from ..progress.baselines import baselines

        require(self.account, "read_all")
        return baselines(self._store, self._plan(plan, "查看"))
