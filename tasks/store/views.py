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

import json
from collections import defaultdict
from typing import TYPE_CHECKING

from sqlalchemy import Text, cast, func, select

from core.gcpause import pause_gc, paused_gc

from ..model import Plan, Task
from .schema import PredecessorRow, TaskRow

if TYPE_CHECKING:
    from .protocol import StoreLike
    from .repo import Store

__all__ = ["plan_from_store", "plan_task_dicts", "unit_task_counts"]


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
        ``key`` is not a plan of the store (``库中没有计划“…”,可用的计划:…``).

    Examples
    --------
    >>> from tasks.store import Store
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(Plan("示例", tasks=[Task("1", "任务", lead_units=["市财政局"])]), actor="doc")
    >>> plan = plan_from_store(store, "示例")
    >>> plan.title, [(t.id, t.lead_units) for t in plan.tasks]
    ('示例', [('1', ['市财政局'])])
    >>> plan_from_store(store, "没有")
    Traceback (most recent call last):
    ...
    tasks.store.repo.StoreError: 库中没有计划“没有”,可用的计划:示例
    """
    info = next((p for p in store.plans() if p.key == key), None)
    tasks, preds = _tasks_and_predecessors(store, key)
    for t in tasks:
        t.predecessors = list(preds.get(t.id, t.predecessors))
    return Plan(
        title=(info.title if info else "") or key,
        issuer=info.issuer if info else "",
        date=info.date if info else None,
        source_file=info.source_file if info else "",
        tasks=tasks,
    )


def _tasks_and_predecessors(store: Store, key: str) -> tuple[list[Task], dict[str, list[str]]]:
    """``store.task_dicts(key)`` and each live task's current predecessor ids (see :func:`_dicts_and_links`)."""
    dicts, preds = _dicts_and_links(store, key)
    with pause_gc():  # 50,000 Task objects: the cyclic collector would walk them again and again
        return [Task.from_dict(d) for d in dicts], preds


def plan_task_dicts(store: Store, key: str) -> list[dict]:
    """The live tasks of plan ``key`` as stored (:meth:`tasks.model.Task.to_dict`), in plan order, each
    with ``predecessors`` as they are now: what :func:`plan_from_store` builds its tasks from, without
    making 50,000 :class:`~tasks.model.Task` objects (a table of the plan reads the fields it shows).

    Parameters
    ----------
    store
        The store.
    key
        The plan's key.

    Returns
    -------
    list of dict
        One new dict per task (the caller may keep or change them).

    Raises
    ------
    tasks.store.StoreError
        ``key`` is not a plan of the store.

    Examples
    --------
    >>> from tasks.store import Store
    >>> store = Store("sqlite://")
    >>> plan = Plan("示例", tasks=[Task("1", "甲", lead_units=["市财政局"]), Task("2", "乙", predecessors=["1"])])
    >>> _ = store.load_plan_into_store(plan, actor="doc")
    >>> store.set_predecessors("示例", "2", [], actor="doc")
    >>> [(d["id"], d["title"], d["lead_units"], d["predecessors"]) for d in plan_task_dicts(store, "示例")]
    [('1', '甲', ['市财政局'], []), ('2', '乙', [], [])]
    """
    dicts, preds = _dicts_and_links(store, key)
    for d in dicts:
        current = preds.get(str(d.get("id")))
        d["predecessors"] = list(current if current is not None else d.get("predecessors") or [])
    return dicts


@paused_gc  # 50,000 task dicts: the cyclic collector would walk them again and again
def _dicts_and_links(store: Store, key: str) -> tuple[list[dict], dict[str, list[str]]]:
    """The live tasks' stored dicts and each one's current predecessor ids, in one session of
    three plain queries (the task data column, the links, the ids) instead of the two full task
    reads (entities, units, sources) ``store.task_dicts`` and ``store.tasks`` make: a 50,000-task
    plan in a fraction of the time."""
    with store.session() as s:
        pid = store._plan_id(s, key)
        # the JSON column as its text, decoded below in one call (50,000 json.loads calls cost more)
        rows = s.execute(
            select(TaskRow.id, TaskRow.task_id, cast(TaskRow.data, Text))
            .where(TaskRow.plan_id == pid, TaskRow.archived.is_(False))
            .order_by(TaskRow.position)
        ).all()
        links: dict[int, list[int]] = defaultdict(list)
        # the plan's own links, in the order Store.tasks reads them (the same statement)
        pq = (
            select(PredecessorRow.task_pk, PredecessorRow.predecessor_pk)
            .join(TaskRow, TaskRow.id == PredecessorRow.task_pk)
            .where(TaskRow.plan_id == pid)
        )
        for tpk, ppk in s.connection().execute(pq).all():  # one fetch, not a fetch per link
            links[tpk].append(ppk)
        id_of: dict[int, str] = {}
        if links:
            id_of = dict(s.execute(select(TaskRow.id, TaskRow.task_id).where(TaskRow.plan_id == pid)).all())
            elsewhere = sorted({p for ps in links.values() for p in ps} - id_of.keys())
            if elsewhere:
                id_of.update(s.execute(select(TaskRow.id, TaskRow.task_id).where(TaskRow.id.in_(elsewhere))).all())
    preds = {tid: [id_of[p] for p in links.get(pk, [])] for pk, tid, _data in rows}
    texts = [data or "{}" for _pk, _tid, data in rows]
    return json.loads("[" + ",".join(texts) + "]"), preds


def unit_task_counts(store: StoreLike, key: str) -> dict[str, int]:
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
    from .repo import Store
    from .schema import TaskUnitRow, UnitRow

    if not isinstance(store, Store):  # a store-like view (narrowed tasks): count what it shows
        named = set(store.units())
        counts: dict[str, int] = {}
        for t in store.tasks(key):
            for u in t.units:
                if u in named:
                    counts[u] = counts.get(u, 0) + 1
        return dict(sorted(counts.items()))
    # one aggregate query: a unit counts once per live task naming it (lead or responsible)
    with store.session() as s:
        pid = store._plan_id(s, key)
        q = (
            select(UnitRow.name, func.count(func.distinct(TaskUnitRow.task_pk)))
            .join(TaskUnitRow, TaskUnitRow.unit_id == UnitRow.id)
            .join(TaskRow, TaskRow.id == TaskUnitRow.task_pk)
            .where(TaskRow.plan_id == pid, TaskRow.archived.is_(False), UnitRow.collective.is_(False))
            .group_by(UnitRow.name)
        )
        return dict(sorted((str(u), int(n)) for u, n in s.execute(q).all()))
