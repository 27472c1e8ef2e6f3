"""What library functions need from a store: :class:`StoreLike`.

A :class:`~tasks.store.Store` has it, and so has :class:`~tasks.accounts.GuardedStore` (the store as
one account may use it), so a function annotated with ``StoreLike`` accepts either and a guarded
store can pass itself to it.  Functions that open transactions of their own (``store.session()``)
take a :class:`~tasks.store.Store`: a guarded store hands them its raw store after its checks.

>>> from tasks.store import Store
>>> store: StoreLike = Store("sqlite://")
>>> isinstance(store, StoreLike), store.plans(), store.data_version()
(True, [], 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from ..model import Plan, Task
    from .records import AuditEntry, StoredPlan, StoredUpload
    from .repo import LoadResult, PeriodInfo, ReportRecord, Store, StoredTask

__all__ = ["StoreLike", "raw_store"]


@runtime_checkable
class StoreLike(Protocol):
    """The reads and changes of :class:`~tasks.store.Store` that library functions use.

    Every change takes ``actor`` (a guarded store ignores it and acts as its account); reads of a
    guarded store are narrowed to what its account may see.

    Parameters
    ----------
    None
        A protocol is not built: any object with these methods and the ``url`` property has it
        (``isinstance`` checks their presence, a type checker their signatures).

    Examples
    --------
    >>> from tasks.store import Store
    >>> from tasks.accounts import Account, GuardedStore
    >>> store = Store("sqlite://")
    >>> [isinstance(s, StoreLike) for s in (store, GuardedStore(store, Account("ban", "office")), "店")]
    [True, True, False]
    """

    @property
    def url(self) -> str:
        """The database URL (password hidden)."""
        ...

    # -- plans and tasks
    def plans(self) -> list[StoredPlan]:
        """Every plan (:meth:`tasks.store.Store.plans`)."""
        ...

    def plan(self, key: str) -> Plan:
        """The live plan ``key`` (:meth:`tasks.store.Store.plan`)."""
        ...

    def plan_key(self, plan: str | None = None, unit: str | None = None) -> str:
        """``plan`` resolved to a key (:meth:`tasks.store.Store.plan_key`)."""
        ...

    def tasks(
        self,
        plan: str | None = None,
        *,
        all_plans: bool = False,
        include_archived: bool = False,
        unit: str | None = None,
    ) -> list[StoredTask]:
        """Tasks with units and predecessors (:meth:`tasks.store.Store.tasks`)."""
        ...

    def task_dicts(self, plan: str | None = None) -> list[Task]:
        """Tasks as last imported (:meth:`tasks.store.Store.task_dicts`)."""
        ...

    def task_ids(self, plan: str | None = None, ids: Sequence[str] | None = None) -> dict[str, bool]:
        """Task id → archived flag (:meth:`tasks.store.Store.task_ids`)."""
        ...

    def units(self, *, include_collective: bool = False) -> list[str]:
        """Units with a role in a live task (:meth:`tasks.store.Store.units`)."""
        ...

    def unit_exists(self, name: str) -> bool:
        """Whether the store knows unit ``name``."""
        ...

    def load_plan_into_store(self, plan: Plan, actor: str, key: str | None = None) -> LoadResult:
        """Insert or update a plan (:meth:`tasks.store.Store.load_plan_into_store`)."""
        ...

    def set_predecessors(self, plan: str | None, task_id: str, predecessors: Sequence[str], actor: str) -> None:
        """Replace a task's predecessors (:meth:`tasks.store.Store.set_predecessors`)."""
        ...

    # -- periods
    def period(self, key: str) -> PeriodInfo | None:
        """The reporting period ``key`` if opened."""
        ...

    def periods(self) -> list[PeriodInfo]:
        """Every opened reporting period, oldest first."""
        ...

    def open_period(self, period: str, actor: str, *, due: date | None = None, grace_days: int = ...) -> PeriodInfo:
        """Register a monthly period (:meth:`tasks.store.Store.open_period`)."""
        ...

    def close_period(self, period: str, actor: str) -> PeriodInfo:
        """Close a period (:meth:`tasks.store.Store.close_period`)."""
        ...

    # -- uploads, history and audit
    def has_upload(self, sha256: str) -> bool:
        """Whether a file with this hash was accepted."""
        ...

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
        actor: str,
    ) -> int | None:
        """Save one file's rows (:meth:`tasks.store.Store.add_upload`)."""
        ...

    def reports(
        self, *, as_of: date | None = None, plan: str | None = None, all_plans: bool = True
    ) -> list[ReportRecord]:
        """Accepted progress rows (:meth:`tasks.store.Store.reports`)."""
        ...

    def uploads(self) -> list[StoredUpload]:
        """Accepted uploads (:meth:`tasks.store.Store.uploads`)."""
        ...

    def audit_log(self) -> list[AuditEntry]:
        """The audit trail (:meth:`tasks.store.Store.audit_log`)."""
        ...

    def record_action(self, actor: str, action: str, target: str, detail: dict | None = None) -> None:
        """Audit an action done outside the database."""
        ...

    def data_version(self, plan: str | None = None) -> int:
        """The data version, the cache key for reads (:meth:`tasks.store.Store.data_version`)."""
        ...

    def counts(self) -> dict[str, int]:
        """Row count of every table."""
        ...


def raw_store(store: StoreLike) -> Store:
    """The :class:`~tasks.store.Store` under ``store``: a guarded store's raw store, else ``store``.

    For library functions that open their own transactions after a guarded store has checked the
    request (or whose reads are narrowed otherwise, e.g. by a task list already read through it).

    Parameters
    ----------
    store : StoreLike
        A store or a :class:`~tasks.accounts.GuardedStore`.

    Returns
    -------
    Store
        The store itself.

    Raises
    ------
    TypeError
        When ``store`` holds no :class:`~tasks.store.Store`.

    Examples
    --------
    >>> from tasks.store import Store
    >>> from tasks.accounts import Account, GuardedStore
    >>> store = Store("sqlite://")
    >>> raw_store(store) is store, raw_store(GuardedStore(store, Account("ban", "office"))) is store
    (True, True)
    """
    from .repo import Store

    inner = getattr(store, "_store", store)
    if not isinstance(inner, Store):
        raise TypeError(f"not a store: {type(store).__name__}")
    return inner
