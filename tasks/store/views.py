"""Reads the dashboard and notebooks need that combine several store queries.

>>> from tasks.store import Store
>>> from tasks.samples import plan_files, read_plan_file
>>> store = Store("sqlite://")
>>> before = store.data_version()
>>> _ = store.load_plan_into_store(read_plan_file(plan_files()[0]), actor="doctest", key="p")
>>> store.data_version() > before, len(store.plan("p").tasks), store.plan("p").task("11").predecessors
(True, 32, ['10'])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from ..model import Plan
from .schema import AuditRow

if TYPE_CHECKING:
    from .repo import Store

__all__ = ["data_version", "plan_from_store", "unit_task_counts"]


def data_version(store: Store) -> int:
    """A number that grows whenever anything is written to ``store`` (the newest audit row's id).

    Every change the store makes is audited, so this is a cheap cache key for reads.

    Parameters
    ----------
    store
        The store.

    Returns
    -------
    int
        0 for an empty store.
    """
    with store.session() as s:
        return int(s.scalar(select(func.max(AuditRow.id))) or 0)


def plan_from_store(store: Store, key: str) -> Plan:
    """The live plan ``key`` rebuilt from the store: its tasks as last imported, with the predecessors
    as they are now (links edited in the dashboard live in their own table).

    Parameters
    ----------
    store
        The store.
    key
        The plan's key (see :meth:`tasks.store.Store.plans`).

    Returns
    -------
    Plan
        Title, issuer, date and source file from the plan's row (the key when it has no title).

    Raises
    ------
    tasks.store.StoreError
        ``key`` is not a plan of the store.
    """
    info = next((p for p in store.plans() if p["key"] == key), None)
    tasks = store.task_dicts(key)
    preds = {t.id: t.predecessors for t in store.tasks(key)}
    for t in tasks:
        t.predecessors = list(preds.get(t.id, t.predecessors))
    row = info or {}
    return Plan(
        title=row.get("title") or key,
        issuer=row.get("issuer", ""),
        date=row.get("date"),
        source_file=row.get("source_file", ""),
        tasks=tasks,
    )


def unit_task_counts(store: Store, key: str) -> dict[str, int]:
    """Units with a lead or responsible role in plan ``key`` → their number of tasks, by name.

    Collective names (``市直各相关单位``) are left out: they are not units that report.

    Parameters
    ----------
    store
        The store.
    key
        The plan's key.

    Returns
    -------
    dict
        Unit → number of live tasks of the plan naming it, sorted by unit name.

    Examples
    --------
    >>> from tasks.store import Store
    >>> from tasks.samples import plan_files, read_plan_file
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(read_plan_file(plan_files()[0]), actor="doctest", key="p")
    >>> counts = unit_task_counts(store, "p")
    >>> counts["市政务服务中心"] > 0, "市直各相关单位" in counts
    (True, False)
    """
    named = set(store.units())
    counts: dict[str, int] = {}
    for t in store.tasks(key):
        for u in t.units:
            if u in named:
                counts[u] = counts.get(u, 0) + 1
    return dict(sorted(counts.items()))
