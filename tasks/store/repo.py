"""The progress store: plans, tasks, units, periods, uploads and the append-only history.

Every call that changes data takes ``actor`` (the account name; the CLI passes
``"cli"``) and writes an audit row in the same transaction, so a later access
layer can guard exactly these calls.

>>> store = Store("sqlite://")                      # doctest: +SKIP
>>> store.load_plan_into_store(plan, actor="cli")   # doctest: +SKIP
"""

from __future__ import annotations

import json
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Text, cast, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from ..errors import WorkbenchError
from ..model import Plan, Task
from ..units import is_collective
from . import schema_province, schema_supervision  # noqa: F401  (registers the supervision/kept-state tables)
from .config import make_engine, migrate
from .driver import as_day, as_moment, driver_rows
from .kept import GLOBAL, TASKS, bump_version, keep_latest, plan_scope
from .periods import parse_period
from .records import AuditEntry, StoredPlan, StoredUpload
from .schema import (
    LEAD,
    RESPONSIBLE,
    AuditRow,
    PeriodRow,
    PlanRow,
    PredecessorRow,
    ProgressReportRow,
    TaskRow,
    TaskUnitRow,
    UnitRow,
    UploadRow,
)
from .schema_province import DataVersionRow

#: default days after a period's end by which its report is due
DEFAULT_GRACE_DAYS = 5


class StoreError(WorkbenchError):
    """A store request that cannot be done (unknown plan, closed period...).

    Parameters
    ----------
    *args
        The Chinese message, as for :class:`~core.errors.WorkbenchError`.

    Examples
    --------
    >>> Store("sqlite://").plan_key("没有")
    Traceback (most recent call last):
    ...
    tasks.store.repo.StoreError: 库中没有计划“没有”,可用的计划:无
    """


@dataclass(slots=True)  # 50,000 of them per snapshot at province size: no per-object __dict__
class StoredTask:
    """A task as the store holds it, with canonical unit names.

    Parameters
    ----------
    pk : int
        Its row id.
    plan, id, title, section : str
        Its plan key, number, title and section.
    deadline : date or None
        Its deadline.
    deadline_kind, deadline_text : str
        The kind of deadline (``date``, ``ongoing``, ``none``, …) and the deadline as written.
    lead_units, responsible_units : list of str, optional
        Lead (牵头) and responsible (责任) units, canonical names in the plan's order.
    predecessors : list of str, optional
        Numbers of the tasks it waits for.
    archived : bool, optional
        Dropped by a later import of the plan.
    plan_issued, added_on, assigned_on, plan_loaded : date, optional
        The plan's date, the day a re-import added the task, its 交办 day and the plan's first load.

    Examples
    --------
    >>> from tasks.model import Plan, Task
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(Plan("示例", tasks=[Task("1", "任务", lead_units=["市财政局"],
    ...                                                      responsible_units=["市公安局"])]), actor="doc")
    >>> task = store.tasks("示例")[0]
    >>> task.units, task.role_of("市公安局"), task.role_of("市气象局")
    (['市财政局', '市公安局'], 'responsible', None)
    """

    pk: int
    plan: str
    id: str
    title: str
    section: str
    deadline: date | None
    deadline_kind: str
    deadline_text: str
    lead_units: list[str] = field(default_factory=list)
    responsible_units: list[str] = field(default_factory=list)
    predecessors: list[str] = field(default_factory=list)
    archived: bool = False
    plan_issued: date | None = None
    #: the day a later re-import added this task (None for tasks of the plan's first import)
    added_on: date | None = None
    #: its 交办 day, where the signing clock (签收) starts: the plan's start (its calendar start, else
    #: its issue date, else the day it was first loaded), or the day a later re-import added the task
    #: if that is later — from stored data only, so a replay as of any date sees the same day
    assigned_on: date | None = None
    #: the day the plan was first loaded (its start when the document has no date)
    plan_loaded: date | None = None

    @property
    def units(self) -> list[str]:
        """Every unit of the task, lead units first, each once."""
        return list(dict.fromkeys(self.lead_units + self.responsible_units))

    def role_of(self, unit: str) -> str | None:
        """``lead``, ``responsible`` or None.

        Parameters
        ----------
        unit : str
            A unit's name.

        Returns
        -------
        str or None
            ``lead`` when ``unit`` leads the task, ``responsible`` when it shares it, else None.

        Examples
        --------
        >>> t = store.tasks("demo")[0]
        >>> t.units, t.role_of("市财政局"), t.role_of("市司法局"), t.role_of("市公安局")
        (['市财政局', '市司法局'], 'lead', 'responsible', None)
        """
        if unit in self.lead_units:
            return LEAD
        if unit in self.responsible_units:
            return RESPONSIBLE
        return None


@dataclass
class PeriodInfo:
    """A reporting period opened in the store, with its due date.

    Parameters
    ----------
    key : str
        The period key (``2021-09``).
    start, end : date
        Its first and last day.
    due : date
        The day its reports are due (the end plus the grace days).
    closed : bool
        Whether the office has closed it.

    Examples
    --------
    >>> store = Store("sqlite://")
    >>> _ = store.open_period("2021-09", "doc", grace_days=5)
    >>> store.periods()
    [PeriodInfo(key='2021-09', start=datetime.date(2021, 9, 1), end=datetime.date(2021, 9, 30), due=datetime.date(2021, 10, 5), closed=False)]
    """

    key: str
    start: date
    end: date
    due: date
    closed: bool


@dataclass
class ReportRecord:
    """One accepted progress row, as replay needs it.

    Parameters
    ----------
    id, upload_id, task_pk : int
        The row's id, its upload's and its task's.
    unit : str
        The reporting unit.
    period : str
        The period key.
    status : str
        The reported status (``推进中``, ``已完成``, …).
    percent : float
        The reported progress.
    report_date : date
        The report's date.
    progress, problems, next_steps, evidence : str, optional
        The free-text columns.
    task_id, plan : str, optional
        The task's number and plan key.

    Examples
    --------
    >>> r = ReportRecord(1, 1, 1, "市财政局", "2021-09", "推进中", 40.0, date(2021, 9, 28), task_id="1")
    >>> r.unit, r.percent, r.report_date.isoformat()
    ('市财政局', 40.0, '2021-09-28')
    """

    id: int
    upload_id: int
    task_pk: int
    unit: str
    period: str
    status: str
    percent: float
    report_date: date
    progress: str = ""
    problems: str = ""
    next_steps: str = ""
    evidence: str = ""
    task_id: str = ""
    plan: str = ""


@dataclass
class LoadResult:
    """What loading a plan into the store changed.

    Parameters
    ----------
    plan : str
        The plan key.
    added, updated, archived : list of str, optional
        Task numbers added, changed and archived (dropped from the new version).
    unchanged : int, optional
        Tasks left as they were.
    warnings : list of str, optional
        Messages a user should see.

    Examples
    --------
    >>> from tasks.model import Plan, Task
    >>> store = Store("sqlite://")
    >>> store.load_plan_into_store(Plan("示例", tasks=[Task("1", "任务")]), actor="doc").summary()
    '计划“示例”:新增 1 项,更新 0 项,归档 0 项,未变 0 项'
    """

    plan: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One Chinese line: tasks added, updated, archived and unchanged.

        Returns
        -------
        str
            ``计划“…”:新增 N 项,更新 N 项,归档 N 项,未变 N 项``.

        Examples
        --------
        >>> LoadResult("demo", added=["1", "2"], unchanged=1).summary()
        '计划“demo”:新增 2 项,更新 0 项,归档 0 项,未变 1 项'
        """
        return (
            f"计划“{self.plan}”:新增 {len(self.added)} 项,更新 {len(self.updated)} 项,"
            f"归档 {len(self.archived)} 项,未变 {self.unchanged} 项"
        )


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _canonical(names: list[str], canonical: list[str]) -> list[tuple[str, str]]:
    """(canonical, as written) pairs; canonical lists of another length are ignored."""
    if canonical and len(canonical) == len(names):
        return list(zip(canonical, names))
    return [(n, n) for n in names]


def _in_source_order(names: list[str], data: dict, field: str) -> list[str]:
    """Unit names in the order the plan lists them (the database returns them unordered)."""
    if len(names) < 2:
        return names
    listed = data.get(f"{field}_canonical") or data.get(field) or []
    order = {n: i for i, n in enumerate(listed)}
    return sorted(names, key=lambda n: order.get(n, len(order)))


_TASK_FIELDS = ("title", "section", "description", "deadline", "deadline_text", "deadline_kind")
#: task lists kept by Store.tasks (per arguments and tasks version)
_TASKS_CACHED = 4


def _scope_version(s: Session, scope: str) -> int:
    """The data version of one scope (``GLOBAL``, a plan's, ``TASKS``); 0 before any change."""
    return int(s.scalar(select(DataVersionRow.version).where(DataVersionRow.scope == scope)) or 0)


class Store:
    """Handle on one database; creates/upgrades the schema on open.

    ``Store()`` uses ``WORKBENCH_DB_URL`` or ``var/workbench.db``.

    Parameters
    ----------
    url : str, optional
        A SQLAlchemy URL (``sqlite://`` is in memory, ``postgresql+psycopg://…``); default
        :func:`~tasks.store.default_url`.
    engine : sqlalchemy.Engine, optional
        An engine to use instead of ``url``.
    upgrade : bool, optional
        Migrate the schema to the newest revision on open (default True).

    Raises
    ------
    StoreError
        When the database cannot be opened (``无法打开进度数据库 …:…。请检查 WORKBENCH_DB_URL、数据库服务是否
        启动以及文件权限``).

    Examples
    --------
    >>> store = Store("sqlite://")
    >>> store.url, store.plans()
    ('sqlite://', [])

    The examples of the methods use a ``store`` (given to every docstring example by the repository's
    ``conftest.py``) holding a three-task plan ``demo`` and one report for September 2021, made so:

    >>> from datetime import date
    >>> from tasks.model import Plan, Task
    >>> from tasks.progress import commit_upload, fill_template, template_bytes, validate_upload
    >>> plan = Plan("示例方案", issuer="示例市人民政府办公室", date=date(2021, 8, 9), source_file="示例方案.xlsx", tasks=[
    ...     Task("1", "推进简政放权", lead_units=["市财政局"], responsible_units=["市司法局"],
    ...          deadline=date(2021, 12, 31), deadline_text="2021年底前", deadline_kind="date"),
    ...     Task("2", "清单管理", lead_units=["市司法局"], deadline=date(2021, 8, 31), deadline_text="2021年8月底前",
    ...          deadline_kind="date"),
    ...     Task("3", "窗口动态调整", lead_units=["市政务服务中心"], deadline_kind="ongoing", deadline_text="长期坚持")])
    >>> store.load_plan_into_store(plan, actor="ban", key="demo").summary()
    '计划“demo”:新增 3 项,更新 0 项,归档 0 项,未变 0 项'
    >>> data = fill_template(template_bytes(store, "市财政局", "2021-09"), {"1": {"status": "推进中", "percent": 50,
    ...     "progress": "已梳理事项清单", "date": date(2021, 9, 28)}}, person="王敏")
    >>> commit_upload(store, validate_upload(store, data, "财政局.xlsx", today=date(2021, 9, 28)), actor="ban")
    1
    """

    def __init__(self, url: str | None = None, *, engine: Engine | None = None, upgrade: bool = True):
        self.engine = engine or make_engine(url)
        self.url = self.engine.url.render_as_string(hide_password=True)
        if upgrade:
            try:
                migrate(self.engine)
            except (OperationalError, InterfaceError) as err:
                reason = str(getattr(err, "orig", err)).strip().splitlines()[0][:200]
                raise StoreError(
                    f"无法打开进度数据库 {self.url}:{reason}。请检查 WORKBENCH_DB_URL、数据库服务是否启动以及文件权限"
                ) from None
        self._write_engine = self.engine.execution_options(write=True)
        # Store.tasks per (arguments, data version): the task list does not depend on a date, and a
        # snapshot, a page and a template all read it; a few entries (50,000 tasks ≈ 40 MiB each)
        self._tasks_cache: OrderedDict[tuple, list[StoredTask]] = OrderedDict()
        self._tasks_lock = threading.Lock()

    # -- sessions ----------------------------------------------------------
    @contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """A transaction: committed on success, rolled back on error.

        Parameters
        ----------
        write : bool, optional
            A write transaction (on SQLite it takes the write lock at once; default False).

        Yields
        ------
        sqlalchemy.orm.Session
            The session; the transaction commits when the block ends, or rolls back on an exception.

        Examples
        --------
        >>> from sqlalchemy import func, select
        >>> from tasks.store.schema import TaskRow
        >>> with store.session() as s:
        ...     s.scalar(select(func.count()).select_from(TaskRow))
        3
        """
        with Session(self._write_engine if write else self.engine, expire_on_commit=False) as s, s.begin():
            yield s

    def dispose(self) -> None:
        """Close the engine's pooled connections (the store must not be used afterwards).

        Examples
        --------
        >>> s = Store("sqlite://")
        >>> s.dispose()
        """
        self.engine.dispose()

    @staticmethod
    def _audit(
        s: Session, actor: str, action: str, target: str, detail: dict | None = None, *, tasks: bool = True
    ) -> None:
        """Write the audit row and move the data version, in the caller's transaction.

        ``tasks=False`` for an action that changes no task, unit, link or calendar (an upload, opening
        or closing a period): the task lists :meth:`tasks` keeps then stay (uploads come dozens a day,
        and at a province's size a list is 50,000 tasks read again).
        """
        if not actor or not str(actor).strip():
            raise StoreError("缺少操作人(actor),无法记录操作日志")
        s.execute(
            insert(AuditRow),
            [{"at": _now(), "actor": str(actor), "action": action, "target": target, "detail": detail or {}}],
        )
        bump_version(s, tasks=tasks)  # every store change moves the data version (account logins do not come here)

    # -- plans and tasks ---------------------------------------------------
    def load_plan_into_store(self, plan: Plan, actor: str, key: str | None = None) -> LoadResult:
        """Insert or update a plan: tasks by id, removed ones archived, history kept.

        Parameters
        ----------
        plan : Plan
            The plan as an importer read it.
        actor : str
            Who loads it (audited).
        key : str, optional
            The plan's key in the store (default: its title, else its file name); loading under an
            existing key updates that plan.

        Returns
        -------
        LoadResult
            The task ids added, updated and archived, the number unchanged and any warnings.

        Raises
        ------
        StoreError
            When two tasks share an id (``计划“…”中任务编号重复:…``) or ``actor`` is empty; nothing is written.

        Examples
        --------
        >>> import dataclasses
        >>> plan = store.plan("demo")
        >>> store.load_plan_into_store(dataclasses.replace(plan, tasks=plan.tasks[:2]), actor="ban", key="demo").summary()
        '计划“demo”:新增 0 项,更新 0 项,归档 1 项,未变 2 项'
        """
        key = (key or plan.title or plan.source_file or "未命名计划").strip()
        now = _now()
        result = LoadResult(plan=key)
        seen = [t.id for t in plan.tasks]
        dupes = sorted(i for i, n in Counter(seen).items() if n > 1)
        if dupes:
            raise StoreError(f"计划“{key}”中任务编号重复:{'、'.join(dupes)},请修正后再导入")
        nosync = {"synchronize_session": False}
        with self.session(write=True) as s:
            prow = s.scalar(select(PlanRow).where(PlanRow.key == key))
            if prow is None:
                prow = PlanRow(
                    key=key,
                    title=plan.title,
                    issuer=plan.issuer,
                    issued=plan.date,
                    source_file=plan.source_file,
                    loaded_at=now,
                    archived=False,
                )
                s.add(prow)
                s.flush()
            else:
                prow.title, prow.issuer, prow.issued = plan.title, plan.issuer, plan.date
                prow.source_file, prow.loaded_at, prow.archived = plan.source_file, now, False
            existing = {r.task_id: r for r in s.scalars(select(TaskRow).where(TaskRow.plan_id == prow.id))}
            # units first, in one insert
            units = dict(s.execute(select(UnitRow.name, UnitRow.id)).all())
            roles_of: dict[str, dict[tuple[str, str], str]] = {}
            for t in plan.tasks:
                roles: dict[tuple[str, str], str] = {}
                for role, names, canon in (
                    (LEAD, t.lead_units, t.lead_units_canonical),
                    (RESPONSIBLE, t.responsible_units, t.responsible_units_canonical),
                ):
                    for name, written in _canonical(names, canon):
                        if role == RESPONSIBLE and (name, LEAD) in roles:
                            continue
                        roles[(name, role)] = written
                roles_of[t.id] = roles
            new_units = sorted({n for r in roles_of.values() for n, _ in r} - set(units))
            if new_units:
                s.execute(insert(UnitRow), [{"name": n, "collective": is_collective(n)} for n in new_units])
                units = dict(s.execute(select(UnitRow.name, UnitRow.id)).all())
            # tasks: update changed ones, add new ones (one flush)
            for pos, t in enumerate(plan.tasks):
                values = {f: getattr(t, f) for f in _TASK_FIELDS}
                data = t.to_dict()
                row = existing.get(t.id)
                if row is None:
                    row = TaskRow(
                        plan_id=prow.id,
                        task_id=t.id,
                        data=data,
                        position=pos,
                        archived=False,
                        created_at=now,
                        updated_at=now,
                        **values,
                    )
                    s.add(row)
                    existing[t.id] = row
                    result.added.append(t.id)
                    continue
                changed = any(getattr(row, f) != values[f] for f in _TASK_FIELDS) or row.data != data or row.archived
                if changed:
                    for f, v in values.items():
                        setattr(row, f, v)
                    row.data, row.archived, row.updated_at = data, False, now
                    result.updated.append(t.id)
                else:
                    result.unchanged += 1
                row.position = pos
            for tid, row in existing.items():
                if tid not in roles_of and not row.archived:
                    row.archived, row.updated_at = True, now
                    result.archived.append(tid)
            s.flush()
            pk = {tid: r.id for tid, r in existing.items()}
            plan_tasks = select(TaskRow.id).where(TaskRow.plan_id == prow.id)
            s.execute(delete(TaskUnitRow).where(TaskUnitRow.task_pk.in_(plan_tasks)).execution_options(**nosync))
            s.execute(delete(PredecessorRow).where(PredecessorRow.task_pk.in_(plan_tasks)).execution_options(**nosync))
            role_rows = [
                {"task_pk": pk[tid], "unit_id": units[name], "role": role, "name_as_written": w}
                for tid, roles in roles_of.items()
                for (name, role), w in roles.items()
            ]
            if role_rows:
                s.execute(insert(TaskUnitRow), role_rows)
            pred_rows = []
            for t in plan.tasks:
                preds = [p for p in dict.fromkeys(t.predecessors) if p != t.id]
                missing = [p for p in preds if p not in roles_of]
                if missing:
                    result.warnings.append(f"任务{t.id}的前置任务{'、'.join(missing)}不在计划中,已忽略")
                pred_rows += [{"task_pk": pk[t.id], "predecessor_pk": pk[p]} for p in preds if p in roles_of]
            if pred_rows:
                s.execute(insert(PredecessorRow), pred_rows)
            bump_version(s, prow.id)
            self._audit(
                s,
                actor,
                "load_plan",
                key,
                {
                    "source_file": plan.source_file,
                    "added": result.added,
                    "updated": result.updated,
                    "archived": result.archived,
                },
            )
        return result

    def set_predecessors(self, plan: str | None, task_id: str, predecessors: Sequence[str], actor: str) -> None:
        """Replace a task's predecessor list (ids within the same plan).

        Parameters
        ----------
        plan : str or None
            The plan's key (None: the only plan).
        task_id : str
            The task whose predecessors change.
        predecessors : sequence of str
            The new predecessors' ids (repeats and the task itself are dropped).
        actor : str
            Who changes them (audited).

        Raises
        ------
        StoreError
            When a task id is not in the plan (``任务编号不存在:…``), or the plan is unknown.

        Examples
        --------
        >>> store.set_predecessors("demo", "1", ["2"], actor="ban")
        >>> store.plan("demo").task("1").predecessors
        ['2']
        >>> store.set_predecessors("demo", "1", ["9"], actor="ban")
        Traceback (most recent call last):
        ...
        tasks.store.repo.StoreError: 任务编号不存在:9
        """
        with self.session(write=True) as s:
            pid = self._plan_id(s, plan)
            ids = {
                r.task_id: r.id for r in s.execute(select(TaskRow.task_id, TaskRow.id).where(TaskRow.plan_id == pid))
            }
            unknown = [t for t in [task_id, *predecessors] if t not in ids]
            if unknown:
                raise StoreError(f"任务编号不存在:{'、'.join(unknown)}")
            s.execute(delete(PredecessorRow).where(PredecessorRow.task_pk == ids[task_id]))
            preds = [p for p in dict.fromkeys(predecessors) if p != task_id]
            if preds:
                s.execute(insert(PredecessorRow), [{"task_pk": ids[task_id], "predecessor_pk": ids[p]} for p in preds])
            bump_version(s, pid)
            self._audit(s, actor, "set_predecessors", f"{plan or ''}#{task_id}", {"predecessors": preds})

    def _plan_id(self, s: Session, plan: str | None) -> int:
        rows = list(
            s.execute(
                select(PlanRow.id, PlanRow.key)
                .where(PlanRow.archived.is_(False))
                .order_by(PlanRow.loaded_at.desc(), PlanRow.id.desc())
            )
        )
        if plan:
            for pid, key in rows:
                if key == plan:
                    return pid
            raise StoreError(f"库中没有计划“{plan}”,可用的计划:{'、'.join(k for _, k in rows) or '无'}")
        if not rows:
            raise StoreError("库中还没有计划,请先用 python -m tasks load 文件 导入任务分解表")
        if len(rows) > 1:
            raise StoreError(f"库中有多个计划({'、'.join(k for _, k in rows)}),请用 --plan 指定其一")
        return rows[0][0]

    def plan_key(self, plan: str | None = None, unit: str | None = None) -> str:
        """Resolve ``plan`` to its key: the only plan, or the only one where ``unit`` has tasks.

        Parameters
        ----------
        plan : str, optional
            A plan's key (checked to exist).
        unit : str, optional
            With no ``plan``: pick the only live plan where this unit has tasks.

        Returns
        -------
        str
            The plan's key.

        Raises
        ------
        StoreError
            When ``plan`` is unknown, or none is given and the choice is not unique
            (``库中有多个计划(…),请用 --plan 指定其一``).

        Examples
        --------
        >>> store.plan_key(), store.plan_key(unit="市财政局")
        ('demo', 'demo')
        >>> store.plan_key("2020")
        Traceback (most recent call last):
        ...
        tasks.store.repo.StoreError: 库中没有计划“2020”,可用的计划:demo
        """
        with self.session() as s:
            try:
                pid = self._plan_id(s, plan)
            except StoreError:
                if plan or not unit:
                    raise
                keys = sorted(
                    set(
                        s.scalars(
                            select(PlanRow.key)
                            .join(TaskRow, TaskRow.plan_id == PlanRow.id)
                            .join(TaskUnitRow, TaskUnitRow.task_pk == TaskRow.id)
                            .join(UnitRow, UnitRow.id == TaskUnitRow.unit_id)
                            .where(UnitRow.name == unit, TaskRow.archived.is_(False), PlanRow.archived.is_(False))
                        )
                    )
                )
                if len(keys) != 1:
                    raise
                return keys[0]
            return s.scalars(select(PlanRow.key).where(PlanRow.id == pid)).one()

    def plans(self) -> list[StoredPlan]:
        """Every plan in the store (archived ones too), oldest first.

        Returns
        -------
        list of StoredPlan
            ``key``, ``title``, ``issuer``, ``date``, ``source_file``, ``loaded_at`` and ``tasks`` (live tasks).

        Examples
        --------
        >>> [(p.key, p.title, p.tasks) for p in store.plans()]
        [('demo', '示例方案', 3)]
        """
        with self.session() as s:
            counts = dict(
                s.execute(
                    select(TaskRow.plan_id, func.count()).where(TaskRow.archived.is_(False)).group_by(TaskRow.plan_id)
                ).all()
            )
            return [
                StoredPlan(
                    key=p.key,
                    title=p.title,
                    issuer=p.issuer,
                    date=p.issued,
                    source_file=p.source_file,
                    loaded_at=p.loaded_at,
                    tasks=counts.get(p.id, 0),
                )
                for p in s.scalars(select(PlanRow).order_by(PlanRow.id))
            ]

    def tasks(
        self,
        plan: str | None = None,
        *,
        all_plans: bool = False,
        include_archived: bool = False,
        unit: str | None = None,
    ) -> list[StoredTask]:
        """Tasks of one plan (or all plans), in plan order, with units and predecessors.

        ``unit`` keeps only the tasks that unit leads or joins (a cheap query
        for templates and uploads).

        Parameters
        ----------
        plan : str, optional
            The plan's key (None: the only plan).
        all_plans : bool, optional
            Tasks of every live plan instead (``plan`` is ignored).
        include_archived : bool, optional
            Include tasks archived by a later import.
        unit : str, optional
            Only the tasks this unit leads or shares.

        Returns
        -------
        list of StoredTask
            The tasks.

        Raises
        ------
        StoreError
            When ``plan`` is unknown or, with none given, the store has no plan or several.

        Examples
        --------
        >>> [(t.id, t.title, t.lead_units) for t in store.tasks("demo")]
        [('1', '推进简政放权', ['市财政局']), ('2', '清单管理', ['市司法局']), ('3', '窗口动态调整', ['市政务服务中心'])]
        >>> [t.id for t in store.tasks(unit="市司法局")]
        ['1', '2']

        Read once per tasks version: a later call with the same arguments returns the same records
        (a new list) until a change that may touch tasks, units, links or calendars (anything but
        an upload or opening and closing a period) moves that version.

        >>> store.tasks("demo")[0] is store.tasks("demo")[0]
        True
        """
        with self.session() as s:  # the version first: never older data
            version = _scope_version(s, TASKS)
        key = (plan, all_plans, include_archived, unit, version)
        with self._tasks_lock:
            hit = self._tasks_cache.get(key)
            if hit is not None:
                self._tasks_cache.move_to_end(key)
                return list(hit)
        out = self._read_tasks(plan, all_plans=all_plans, include_archived=include_archived, unit=unit)
        with self._tasks_lock:
            self._tasks_cache[key] = out
            while len(self._tasks_cache) > _TASKS_CACHED:
                self._tasks_cache.popitem(last=False)
        return list(out)

    def _read_tasks(
        self, plan: str | None, *, all_plans: bool, include_archived: bool, unit: str | None
    ) -> list[StoredTask]:
        """The tasks :meth:`tasks` returns, read from the database."""
        with self.session() as s:
            q = select(  # the plan's key and date are read once per plan (below), not once per task
                TaskRow.id,
                TaskRow.task_id,
                TaskRow.title,
                TaskRow.section,
                TaskRow.deadline,
                TaskRow.deadline_kind,
                TaskRow.deadline_text,
                TaskRow.archived,
                TaskRow.created_at,
                TaskRow.plan_id,
            ).join(PlanRow, PlanRow.id == TaskRow.plan_id)
            if not all_plans:
                q = q.where(TaskRow.plan_id == self._plan_id(s, plan))
            else:
                q = q.where(PlanRow.archived.is_(False))
            if not include_archived:
                q = q.where(TaskRow.archived.is_(False))
            if unit is not None:
                q = q.where(
                    TaskRow.id.in_(
                        select(TaskUnitRow.task_pk)
                        .join(UnitRow, UnitRow.id == TaskUnitRow.unit_id)
                        .where(UnitRow.name == unit)
                    )
                )
            conn = s.connection()  # plain rows (Core, fetched at once): no ORM bookkeeping for 100,000s of rows
            rows = driver_rows(conn, q.order_by(TaskRow.plan_id, TaskRow.position))  # dates converted below
            # a plan's first import: when its first task row was made (rows are never deleted)
            first_load = {
                pid: s.scalar(select(TaskRow.created_at).where(TaskRow.plan_id == pid).order_by(TaskRow.id).limit(1))
                for pid in sorted({r[-1] for r in rows})
            }
            plan_of = {pid: (key, as_day(issued)) for pid, key, issued in s.execute(
                select(PlanRow.id, PlanRow.key, PlanRow.issued).where(PlanRow.id.in_(sorted(first_load)))
            )}  # fmt: skip
            # 交办: a task is assigned on its plan's start (calendar start, else issue date, else first load)
            cal_start = dict(
                s.execute(
                    select(schema_supervision.PlanCalendarRow.plan_id, schema_supervision.PlanCalendarRow.start).where(
                        schema_supervision.PlanCalendarRow.plan_id.in_(sorted(first_load))
                    )
                ).all()
            )
            pks = [r[0] for r in rows]
            roles: dict[str, dict[int, list[str]]] = {LEAD: {}, RESPONSIBLE: {}}
            preds: dict[int, list[int]] = {}
            if pks:
                # unit ids, named from one read of the units: one string object per unit, not per row
                unit_name = dict(s.execute(select(UnitRow.id, UnitRow.name)).all())
                rq = select(TaskUnitRow.task_pk, TaskUnitRow.unit_id, TaskUnitRow.role)
                pq = select(PredecessorRow.task_pk, PredecessorRow.predecessor_pk)
                if unit is not None:
                    rq = rq.where(TaskUnitRow.task_pk.in_(pks))
                    pq = pq.where(PredecessorRow.task_pk.in_(pks))
                elif not all_plans:  # one plan: its own links only
                    one = TaskRow.plan_id == rows[0][-1]
                    rq = rq.join(TaskRow, TaskRow.id == TaskUnitRow.task_pk).where(one)
                    pq = pq.join(TaskRow, TaskRow.id == PredecessorRow.task_pk).where(one)
                for tpk, uid, role in driver_rows(conn, rq):
                    by_task = roles[role]
                    if tpk in by_task:
                        by_task[tpk].append(unit_name[uid])
                    else:
                        by_task[tpk] = [unit_name[uid]]
                for tpk, ppk in conn.execute(pq).all():
                    preds.setdefault(tpk, []).append(ppk)
            id_of: dict[int, str] = {}
            if preds:
                id_of = {r[0]: r[1] for r in rows}  # the numbers read above; then archived or other plans' tasks
                elsewhere = sorted({p for ps in preds.values() for p in ps} - id_of.keys())
                for i in range(0, len(elsewhere), 5000):
                    id_of.update(
                        conn.execute(
                            select(TaskRow.id, TaskRow.task_id).where(TaskRow.id.in_(elsewhere[i : i + 5000]))
                        ).all()
                    )
            # the source order of units is only needed where a role has several units
            several = sorted({pk for by_task in roles.values() for pk, names in by_task.items() if len(names) > 1})
            datas: dict[int, dict] = {}
            if several:  # the JSON column as its text, decoded in one call (10,000s of json.loads calls cost more)
                texts: list[tuple[int, str | None]] = []
                for i in range(0, len(several), 5000):
                    texts += conn.execute(
                        select(TaskRow.id, cast(TaskRow.data, Text)).where(TaskRow.id.in_(several[i : i + 5000]))
                    ).all()
                decoded = json.loads("[" + ",".join(text or "{}" for _pk, text in texts) + "]")
                datas = {pk: data for (pk, _text), data in zip(texts, decoded)}
        out = []
        leads, resps = roles[LEAD], roles[RESPONSIBLE]
        none_: list[str] = []
        # per plan, once: its first load (a datetime; None only for a plan without task rows) and its day
        plan_first = {pid: (fl, fl.date() if fl else None) for pid, fl in first_load.items()}
        # a province's tasks share a few hundred deadlines and import times: each text is parsed once
        days: dict[Any, date | None] = {}
        moments: dict[Any, datetime] = {}
        for pk, tid, title, section, deadline, kind, dtext, archived, created, plan_pk in rows:
            if deadline in days:
                day = days[deadline]
            else:
                day = days[deadline] = as_day(deadline)
            moment = moments.get(created)
            if moment is None:
                moment = moments[created] = as_moment(created)
            key, issued = plan_of[plan_pk]
            first, loaded = plan_first[plan_pk]
            if first is None or loaded is None:  # (loaded is None only with first)
                first, loaded = moment, moment.date()
            added = moment.date() if moment > first else None
            start = cal_start.get(plan_pk) or issued or loaded
            lead, resp = leads.get(pk, none_), resps.get(pk, none_)
            if pk in datas:
                lead = _in_source_order(lead, datas[pk], "lead_units")
                resp = _in_source_order(resp, datas[pk], "responsible_units")
            out.append(
                StoredTask(  # positional, in field order (a keyword call costs more at 50,000 tasks)
                    pk,
                    key,
                    tid,
                    title,
                    section,
                    day,
                    kind,
                    dtext,
                    list(lead),
                    list(resp),
                    [id_of[p] for p in preds[pk]] if pk in preds else [],
                    bool(archived),
                    issued,
                    added,
                    added if added and added > start else start,
                    loaded,
                )
            )
        return out

    def task_dicts(self, plan: str | None = None) -> list[Task]:
        """The stored tasks as :class:`tasks.model.Task` (as last imported).

        Parameters
        ----------
        plan : str, optional
            The plan's key (None: the only plan).

        Returns
        -------
        list of Task
            The live tasks in plan order, as the importer gave them (predecessors as imported).

        Examples
        --------
        >>> [(t.id, t.deadline_text) for t in store.task_dicts("demo")]
        [('1', '2021年底前'), ('2', '2021年8月底前'), ('3', '长期坚持')]
        """
        with self.session() as s:
            pid = self._plan_id(s, plan)
            rows = s.scalars(
                select(TaskRow).where(TaskRow.plan_id == pid, TaskRow.archived.is_(False)).order_by(TaskRow.position)
            )
            return [Task.from_dict(r.data) for r in rows]

    def units(self, *, include_collective: bool = False) -> list[str]:
        """Units that have a role in a live task, by name.

        Parameters
        ----------
        include_collective : bool, optional
            Also list collective names such as ``市直各相关单位`` (default False).

        Returns
        -------
        list of str
            The units' names, sorted.

        Examples
        --------
        >>> store.units()
        ['市司法局', '市政务服务中心', '市财政局']
        """
        with self.session() as s:
            q = (
                select(UnitRow.name)
                .join(TaskUnitRow, TaskUnitRow.unit_id == UnitRow.id)
                .join(TaskRow, TaskRow.id == TaskUnitRow.task_pk)
                .where(TaskRow.archived.is_(False))
            )
            if not include_collective:
                q = q.where(UnitRow.collective.is_(False))
            return sorted(set(s.scalars(q.distinct())))  # each name once from the database (100,000s of roles)

    def task_ids(self, plan: str | None = None, ids: Sequence[str] | None = None) -> dict[str, bool]:
        """Task id → archived flag for a plan (only ``ids`` when given): for checking uploaded ids.

        Parameters
        ----------
        plan : str, optional
            The plan's key (None: the only plan).
        ids : sequence of str, optional
            Look up only these ids (those not in the plan are left out).

        Returns
        -------
        dict of str to bool
            Each task id and whether it is archived.

        Examples
        --------
        >>> store.task_ids("demo"), store.task_ids("demo", ids=["1", "9"])
        ({'1': False, '2': False, '3': False}, {'1': False})
        """
        with self.session() as s:
            q = select(TaskRow.task_id, TaskRow.archived).where(TaskRow.plan_id == self._plan_id(s, plan))
            if ids is not None:
                q = q.where(TaskRow.task_id.in_(sorted(set(ids))))
            return dict(s.execute(q).all())

    def unit_exists(self, name: str) -> bool:
        """Whether a unit of this name was ever in a loaded plan.

        Parameters
        ----------
        name : str
            The unit's name.

        Returns
        -------
        bool
            True when the store knows the unit (even if its tasks are archived).

        Examples
        --------
        >>> store.unit_exists("市财政局"), store.unit_exists("市公安局")
        (True, False)
        """
        with self.session() as s:
            return s.scalar(select(UnitRow.id).where(UnitRow.name == name)) is not None

    # -- periods ------------------------------------------------------------
    def open_period(
        self, period: str, actor: str, *, due: date | None = None, grace_days: int = DEFAULT_GRACE_DAYS
    ) -> PeriodInfo:
        """Register a monthly reporting period (idempotent); its report is due ``grace_days`` after its end.

        Parameters
        ----------
        period : str
            The month, ``2021-10`` (or as :func:`parse_period` reads it).
        actor : str
            Who opens it (audited).
        due : date, optional
            The report's due date (default: the month's end plus ``grace_days``).
        grace_days : int, optional
            Days after the month's end the report is due (default :data:`DEFAULT_GRACE_DAYS`).

        Returns
        -------
        PeriodInfo
            The period (the existing one, unchanged, when it was opened before).

        Raises
        ------
        BadPeriod
            When ``period`` is not a month (``报告期“2021-Q3”不是月度报告期``).

        Examples
        --------
        >>> store.open_period("2021-10", actor="ban")
        PeriodInfo(key='2021-10', start=datetime.date(2021, 10, 1), end=datetime.date(2021, 10, 31), due=datetime.date(2021, 11, 5), closed=False)
        """
        p = parse_period(period, "month")
        existing = self.period(p.key)
        if existing:
            return existing
        due = due or p.end + timedelta(days=grace_days)
        try:
            with self.session(write=True) as s:
                s.execute(
                    insert(PeriodRow),
                    [{"key": p.key, "start": p.start, "end": p.end, "due": due, "closed": False, "closed_at": None}],
                )
                self._audit(s, actor, "open_period", p.key, {"due": due.isoformat()}, tasks=False)
        except IntegrityError:  # opened by someone else meanwhile
            pass
        return self._opened(p.key)

    def close_period(self, period: str, actor: str) -> PeriodInfo:
        """Close a period: later uploads for it are refused.

        Parameters
        ----------
        period : str
            The month, ``2021-09`` (opened first when new).
        actor : str
            Who closes it (audited).

        Returns
        -------
        PeriodInfo
            The closed period.

        Examples
        --------
        >>> store.close_period("2021-09", actor="ban").closed
        True
        """
        p = parse_period(period, "month")
        self.open_period(p.key, actor)
        with self.session(write=True) as s:
            s.execute(update(PeriodRow).where(PeriodRow.key == p.key).values(closed=True, closed_at=_now()))
            self._audit(s, actor, "close_period", p.key, tasks=False)
        return self._opened(p.key)

    def _opened(self, key: str) -> PeriodInfo:
        """The period ``key``, which the caller has just opened."""
        info = self.period(key)
        if info is None:  # removed meanwhile by hand
            raise StoreError(f"报告期 {key} 不在库中,请重新开启")
        return info

    def period(self, key: str) -> PeriodInfo | None:
        """The reporting period ``key``, or None when it was never opened.

        Parameters
        ----------
        key : str
            The month's key, ``2021-09``.

        Returns
        -------
        PeriodInfo or None
            Its start, end, due date and whether it is closed.

        Examples
        --------
        >>> store.period("2021-09").due, store.period("2021-10")
        (datetime.date(2021, 10, 5), None)
        """
        with self.session() as s:
            r = s.scalar(select(PeriodRow).where(PeriodRow.key == key))
            return PeriodInfo(r.key, r.start, r.end, r.due, r.closed) if r else None

    def periods(self) -> list[PeriodInfo]:
        """Every reporting period opened, oldest first.

        Returns
        -------
        list of PeriodInfo
            The periods.

        Examples
        --------
        >>> [(p.key, p.closed) for p in store.periods()]
        [('2021-09', False)]
        """
        with self.session() as s:
            return [
                PeriodInfo(r.key, r.start, r.end, r.due, r.closed)
                for r in s.scalars(select(PeriodRow).order_by(PeriodRow.start))
            ]

    # -- uploads and history -------------------------------------------------
    def has_upload(self, sha256: str) -> bool:
        """Whether a file with this content was saved before.

        Parameters
        ----------
        sha256 : str
            The file's SHA-256 (:func:`tasks.progress.sha256_of`).

        Returns
        -------
        bool
            True when an upload with that hash is stored.

        Examples
        --------
        >>> store.has_upload(store.uploads()[0].sha256), store.has_upload("0" * 64)
        (True, False)
        """
        with self.session() as s:
            return s.scalar(select(UploadRow.id).where(UploadRow.sha256 == sha256)) is not None

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
        """Write one file's rows in one transaction; None if the same file (hash) is already there.

        Each row dict has ``task_id, status, percent, progress, problems,
        next_steps, evidence, report_date, period, source_sheet, source_row``.
        Uploads normally come through :func:`tasks.progress.commit_upload`, which checks them first.

        Parameters
        ----------
        sha256 : str
            The file's hash (a second file with the same hash is not saved).
        filename : str
            The file's name as uploaded.
        unit : str
            The reporting unit.
        plan : str
            The plan's key.
        person : str
            The contact person the file names.
        period : str
            The month reported on.
        rows : list of dict
            The checked rows (:meth:`tasks.progress.UploadRow.to_store`).
        actor : str
            Who saves it (audited).

        Returns
        -------
        int or None
            The new upload's id; None when the same file was saved before.

        Raises
        ------
        StoreError
            When a row's period is closed (checked again inside the transaction) or the unit is unknown.

        Examples
        --------
        >>> row = {"task_id": "2", "status": "已完成", "percent": 100, "report_date": date(2021, 9, 29),
        ...        "period": "2021-09", "source_row": 4}
        >>> store.add_upload(sha256="ab" * 32, filename="司法局.xlsx", unit="市司法局", plan="demo", person="李强",
        ...                  period="2021-09", rows=[row], actor="ban")
        2
        >>> store.add_upload(sha256="ab" * 32, filename="again.xlsx", unit="市司法局", plan="demo", person="李强",
        ...                  period="2021-09", rows=[row], actor="ban") is None
        True
        """
        try:
            with self.session(write=True) as s:
                if s.scalar(select(UploadRow.id).where(UploadRow.sha256 == sha256)) is not None:
                    return None
                pid = self._plan_id(s, plan)
                uid = s.scalar(select(UnitRow.id).where(UnitRow.name == unit))
                if uid is None:
                    raise StoreError(f"单位“{unit}”不在任务分解表中")
                closed = set(s.scalars(select(PeriodRow.key).where(PeriodRow.closed.is_(True))))
                bad = sorted({r["period"] for r in rows} & closed)
                if bad:
                    raise StoreError(f"报告期 {'、'.join(bad)} 已关闭,不再接收填报")
                ids = sorted({r["task_id"] for r in rows})
                pk = dict(
                    s.execute(
                        select(TaskRow.task_id, TaskRow.id).where(TaskRow.plan_id == pid, TaskRow.task_id.in_(ids))
                    ).all()
                )
                res = s.execute(
                    insert(UploadRow).returning(UploadRow.id),
                    [
                        {
                            "sha256": sha256,
                            "filename": filename,
                            "unit_id": uid,
                            "plan_id": pid,
                            "person": person,
                            "period": period,
                            "uploaded_at": _now(),
                            "actor": actor,
                            "row_count": len(rows),
                        }
                    ],
                )
                upload_id = res.scalar_one()
                s.execute(
                    insert(ProgressReportRow),
                    [
                        {
                            "upload_id": upload_id,
                            "task_pk": pk[r["task_id"]],
                            "unit_id": uid,
                            "period": r["period"],
                            "status": r["status"],
                            "percent": float(r["percent"]),
                            "progress": r.get("progress", ""),
                            "problems": r.get("problems", ""),
                            "next_steps": r.get("next_steps", ""),
                            "evidence": r.get("evidence", ""),
                            "report_date": r["report_date"],
                            "source_sheet": r.get("source_sheet", ""),
                            "source_row": int(r["source_row"]),
                        }
                        for r in rows
                    ],
                )
                keep_latest(s, upload_id, uid)  # the kept current state, in the same transaction
                bump_version(s, pid, tasks=False)
                self._audit(
                    s,
                    actor,
                    "upload",
                    filename,
                    {"upload_id": upload_id, "unit": unit, "period": period, "rows": len(rows), "sha256": sha256},
                    tasks=False,
                )
                return upload_id
        except IntegrityError:
            if self.has_upload(sha256):
                return None
            raise

    def task_reports(self, plan: str | None, task_id: str, *, as_of: date | None = None) -> list[ReportRecord]:
        """One task's accepted rows with report date ≤ ``as_of``, oldest first, read through the
        (task, report date) index: what a task's detail shows, without a whole history in memory.

        Parameters
        ----------
        plan : str or None
            The plan's key (None: the only plan).
        task_id : str
            The task's number in the plan.
        as_of : date, optional
            Leave out rows reported after this day (default: all).

        Returns
        -------
        list of ReportRecord
            The rows (empty for an unknown plan or task).

        Examples
        --------
        >>> [(r.unit, r.period, r.percent) for r in store.task_reports("demo", "1")]
        [('市财政局', '2021-09', 50.0)]
        >>> store.task_reports("demo", "2"), store.task_reports("demo", "1", as_of=date(2021, 9, 27))
        ([], [])
        """
        from .kept import task_reports

        return task_reports(self, plan, task_id, as_of=as_of)

    def reports(
        self, *, as_of: date | None = None, plan: str | None = None, all_plans: bool = True
    ) -> list[ReportRecord]:
        """Accepted progress rows with report date ≤ ``as_of``, oldest first (the replay input).

        Parameters
        ----------
        as_of : date, optional
            Leave out rows reported after this day (default: all).
        plan : str, optional
            Only this plan's rows.
        all_plans : bool, optional
            False with no ``plan``: only the only plan's rows (default True: every plan).

        Returns
        -------
        list of ReportRecord
            The rows.

        Examples
        --------
        >>> [(r.unit, r.task_id, r.status, r.percent) for r in store.reports()]
        [('市财政局', '1', '推进中', 50.0)]
        >>> store.reports(as_of=date(2021, 9, 27))
        []
        """
        with self.session() as s:
            q = (
                select(
                    ProgressReportRow.id,
                    ProgressReportRow.upload_id,
                    ProgressReportRow.task_pk,
                    UnitRow.name,
                    ProgressReportRow.period,
                    ProgressReportRow.status,
                    ProgressReportRow.percent,
                    ProgressReportRow.report_date,
                    ProgressReportRow.progress,
                    ProgressReportRow.problems,
                    ProgressReportRow.next_steps,
                    ProgressReportRow.evidence,
                    TaskRow.task_id,
                    PlanRow.key,
                )
                .join(UnitRow, UnitRow.id == ProgressReportRow.unit_id)
                .join(TaskRow, TaskRow.id == ProgressReportRow.task_pk)
                .join(PlanRow, PlanRow.id == TaskRow.plan_id)
            )
            if as_of:
                q = q.where(ProgressReportRow.report_date <= as_of)
            if plan or not all_plans:
                q = q.where(TaskRow.plan_id == self._plan_id(s, plan))
            q = q.order_by(ProgressReportRow.report_date, ProgressReportRow.id)
            # plain columns through the connection: no ORM row processing for tens of thousands of rows
            return [ReportRecord(*r) for r in s.connection().execute(q)]

    def uploads(self) -> list[StoredUpload]:
        """Every saved upload, oldest first.

        Returns
        -------
        list of StoredUpload
            ``id``, ``unit``, ``person``, ``filename``, ``sha256``, ``period``, ``uploaded_at``, ``actor`` and ``rows``.

        Examples
        --------
        >>> [(u.unit, u.filename, u.rows) for u in store.uploads()]
        [('市财政局', '财政局.xlsx', 1)]
        """
        with self.session() as s:  # plain columns: 72,000 uploads in a fraction of the ORM entities' time
            q = (
                select(
                    UploadRow.id,
                    UnitRow.name,
                    UploadRow.person,
                    UploadRow.filename,
                    UploadRow.sha256,
                    UploadRow.period,
                    UploadRow.uploaded_at,
                    UploadRow.actor,
                    UploadRow.row_count,
                )
                .join(UnitRow, UnitRow.id == UploadRow.unit_id)
                .order_by(UploadRow.id)
            )
            rows = driver_rows(s.connection(), q)  # the driver's tuples; the time converted here
            return [StoredUpload(i, u, p, f, h, per, as_moment(at), a, n) for i, u, p, f, h, per, at, a, n in rows]

    def plan(self, key: str) -> Plan:
        """The live plan ``key`` with its current predecessors (:func:`tasks.store.views.plan_from_store`).

        Parameters
        ----------
        key : str
            The plan's key.

        Returns
        -------
        Plan
            Title, issuer, date, source file and the live tasks.

        Raises
        ------
        StoreError
            When ``key`` is not a plan of the store.

        Examples
        --------
        >>> p = store.plan("demo")
        >>> p.title, p.date, [t.id for t in p.tasks]
        ('示例方案', datetime.date(2021, 8, 9), ['1', '2', '3'])
        """
        from .views import plan_from_store

        return plan_from_store(self, key)

    def data_version(self, plan: str | None = None) -> int:
        """The store's data version, or plan ``plan``'s: the cache key for reads.

        A counter bumped in the same transaction as every change of data (tasks, predecessors,
        reports, lifecycle steps, cards, baselines, rules, regions…); an account's login, a failed
        login or a read never moves it.  A plan's version moves only with changes of that plan.

        Parameters
        ----------
        plan : str, optional
            A plan key; None for the whole store's version.

        Returns
        -------
        int
            0 before any change (and for a plan the store does not have).

        Examples
        --------
        >>> before, plan_before = store.data_version(), store.data_version("demo")
        >>> store.set_predecessors("demo", "2", ["1"], actor="ban")
        >>> store.data_version() > before, store.data_version("demo") > plan_before, store.data_version("没有")
        (True, True, 0)
        """
        with self.session() as s:
            scope = GLOBAL
            if plan is not None:
                pid = s.scalar(select(PlanRow.id).where(PlanRow.key == plan))
                if pid is None:
                    return 0
                scope = plan_scope(pid)
            return _scope_version(s, scope)

    def tasks_version(self) -> int:
        """The store's tasks version: moved by every change but uploads and opening or closing a
        period (tasks, units, links, calendars, lifecycle steps…); the key of what is read once per
        such change (:meth:`tasks`, the lifecycle steps).

        Returns
        -------
        int
            0 before any such change.

        Examples
        --------
        >>> before = store.tasks_version()
        >>> store.set_predecessors("demo", "2", ["1"], actor="ban")
        >>> store.tasks_version() > before
        True
        """
        with self.session() as s:
            return _scope_version(s, TASKS)

    def audit_log(self) -> list[AuditEntry]:
        """Every audited change, oldest first.

        Returns
        -------
        list of AuditEntry
            ``at``, ``actor``, ``action``, ``target`` and ``detail``.

        Examples
        --------
        >>> [(a.actor, a.action, a.target) for a in store.audit_log()][:2]
        [('ban', 'load_plan', 'demo'), ('ban', 'open_period', '2021-09')]
        """
        with self.session() as s:
            return [
                AuditEntry(at=a.at, actor=a.actor, action=a.action, target=a.target, detail=dict(a.detail or {}))
                for a in s.scalars(select(AuditRow).order_by(AuditRow.id))
            ]

    def record_action(self, actor: str, action: str, target: str, detail: dict | None = None) -> None:
        """Audit an action done outside the database (e.g. saving the rules file).

        Parameters
        ----------
        actor : str
            Who did it.
        action : str
            What was done (e.g. ``save_rules``).
        target : str
            What it was done to.
        detail : dict, optional
            More about it (stored as JSON).

        Raises
        ------
        StoreError
            When ``actor`` is empty (``缺少操作人(actor),无法记录操作日志``).

        Examples
        --------
        >>> store.record_action("ban", "save_rules", "rules.toml", {"levels": 2})
        >>> store.audit_log()[-1].action, store.audit_log()[-1].detail
        ('save_rules', {'levels': 2})
        """
        with self.session(write=True) as s:
            self._audit(s, actor, action, target, detail)

    def counts(self) -> dict[str, int]:
        """Row count of every table (tests use it to prove nothing was written).

        Returns
        -------
        dict of str to int
            Table name → rows, by name.

        Examples
        --------
        >>> c = store.counts()
        >>> c["plans"], c["tasks"], c["uploads"], c["progress_reports"]
        (1, 3, 1, 1)
        """
        from .schema import Base

        with self.session() as s:
            return {
                name: int(s.scalar(select(func.count()).select_from(t)) or 0)
                for name, t in sorted(Base.metadata.tables.items())
            }
