"""Shared dashboard helpers: error display, cached loading of plans, Chinese table frames.

Pages call :func:`guard` around anything a user can break, so a
:class:`~tasks.errors.WorkbenchError` shows its Chinese message and anything
unexpected shows a generic Chinese message (details go to the log, never a
traceback on the page).
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from core.gcpause import pause_gc, paused_gc
from tasks import Plan, Task, labels, short_plan_names, unit_view
from tasks.errors import WorkbenchError
from ui.auth import acting_account
from ui.store import ACTOR, get_raw_store, store_at
from ui.tables import CHINESE_WIDGETS_CSS, HIDE_TABLE_CSV_CSS, XLSX_MIME  # noqa: F401  (pages import them from here)
from ui.text import md  # noqa: F401  (pages import it from here)

log = logging.getLogger("workbench.ui")

GENERIC_ERROR = "操作未能完成:系统内部出错。请检查输入后重试;如仍失败,请联系系统管理员(详细信息已记入日志)。"

DEADLINE_KIND_CN = labels.DEADLINE_KIND
STATUS_COLORS = {
    "已办结": "#2e7d32",
    "已完成": "#2e7d32",
    "正常推进": "#1565c0",
    "有风险": "#f9a825",
    "逾期": "#c62828",
    "长期推进": "#6a1b9a",
    "未启动": "#9e9e9e",
    "": "#9e9e9e",
}


def show_error(exc: BaseException) -> None:
    """Show ``exc`` on the page in Chinese: its own message if the user caused it, else a generic one."""
    if isinstance(exc, WorkbenchError):
        st.error(str(exc), icon=":material/error:")
    else:
        log.exception("unexpected error in the dashboard", exc_info=exc)
        st.error(GENERIC_ERROR, icon=":material/error:")


def flash(message: str) -> None:
    """Show ``message`` as a success note on the next run (survives ``st.rerun``)."""
    st.session_state.setdefault("_flash", []).append(message)


def show_flash() -> None:
    for message in st.session_state.pop("_flash", []):
        st.success(message, icon=":material/check_circle:")


@contextmanager
def guard(action: str = "") -> Iterator[None]:
    """Run a block; on error show a Chinese message (prefixed with ``action``) instead of a traceback.

    >>> with guard("导入文件"):          # doctest: +SKIP
    ...     load_plan(path)
    """
    try:
        yield
    except Exception as exc:
        if action and isinstance(exc, WorkbenchError):
            st.error(f"{action}失败:{exc}", icon=":material/error:")
        elif action:
            log.exception("unexpected error while %s", action)
            st.error(
                f"{action}失败:系统内部出错。请检查输入后重试;如仍失败,请联系系统管理员。", icon=":material/error:"
            )
        else:
            show_error(exc)


@dataclass
class PlanLoad:
    """A bundled plan file and what came of reading it (``plan`` or a Chinese ``error``)."""

    name: str
    plan: Plan | None = None
    error: str = ""


def _plan_files() -> tuple[tuple[str, float], ...]:
    from tasks import plan_files, predecessor_stamp

    return tuple((str(p), predecessor_stamp(p)) for p in plan_files())


@st.cache_data(show_spinner="正在读取示例计划…")
def _load_bundled(files: tuple[tuple[str, float], ...]) -> list[PlanLoad]:
    from tasks import read_plan_file

    out = []
    for path, _mtime in files:
        name = Path(path).name
        try:
            out.append(PlanLoad(name, plan=read_plan_file(path)))
        except WorkbenchError as exc:
            out.append(PlanLoad(name, error=str(exc)))
        except Exception:
            log.exception("reading bundled plan %s", name)
            out.append(PlanLoad(name, error=f"{name}: 暂时无法读取此文件(导入模块出错,详情见日志)"))
    return out


def bundled_plans() -> list[PlanLoad]:
    """Every bundled plan (:mod:`tasks.samples`), cached on file names and modification times."""
    return _load_bundled(_plan_files())


def units_text(units: list[str]) -> str:
    return "、".join(units)


def tasks_frame(
    tasks: list[Task] | list[dict], plan_title: str = "", status: dict[str, str] | None = None
) -> pd.DataFrame:
    """A Chinese-labelled table of tasks (one row per task) for display and filtering.

    ``tasks``: :class:`~tasks.model.Task` objects, or the same tasks as stored dicts
    (:func:`tasks.store.plan_task_dicts`: a whole plan's table without building its Task objects).
    Hidden helper columns (``_lead``, ``_resp``) keep unit lists for filters.
    """
    from tasks.progress import STATUS_NAMES

    status = status or {}
    # built column by column (50,000 tasks: a frame from row dicts costs several times more)
    columns = _dict_columns(tasks) if tasks and isinstance(tasks[0], dict) else _task_columns(tasks)
    states = [status.get(i, "") for i in columns["编号"]]
    columns = {
        "计划": [plan_title] * len(states),
        **{k: columns[k] for k in ("编号", "板块", "任务", "具体内容", "牵头单位", "责任单位", "完成时限", "时限原文")},
        "时限类型": columns["时限类型"],
        "状态": [STATUS_NAMES.get(v, v) for v in states],
        **{k: columns[k] for k in ("前置任务", "出处", "提示", "_lead", "_resp")},
    }
    df = pd.DataFrame(columns, columns=list(columns))
    df["完成时限"] = pd.to_datetime(df["完成时限"], errors="coerce")
    return df


def _task_columns(tasks: list) -> dict[str, list]:
    """:func:`tasks_frame`'s columns (but 计划 and 状态) from Task objects."""
    kinds = DEADLINE_KIND_CN
    return {
        "编号": [t.id for t in tasks],
        "板块": [t.section for t in tasks],
        "任务": [t.title for t in tasks],
        "具体内容": [t.description for t in tasks],
        "牵头单位": ["、".join(t.lead_units) for t in tasks],
        "责任单位": ["、".join(t.responsible_units) for t in tasks],
        "完成时限": [t.deadline for t in tasks],
        "时限原文": [t.deadline_text for t in tasks],
        "时限类型": [kinds.get(t.deadline_kind, t.deadline_kind) for t in tasks],
        "前置任务": ["、".join(t.predecessors) for t in tasks],
        "出处": [t.source.label() for t in tasks],
        "提示": [";".join(t.warnings) for t in tasks],
        "_lead": [list(t.lead_units_canonical or t.lead_units) for t in tasks],
        "_resp": [list(t.responsible_units_canonical or t.responsible_units) for t in tasks],
    }


def _dict_columns(tasks: list) -> dict[str, list]:
    """The same columns from stored task dicts, each value as :meth:`tasks.model.Task.from_dict` would
    give it (a missing key: the field's default)."""
    from tasks import Source

    kinds = DEADLINE_KIND_CN
    none: list[str] = []
    deadline_kinds = [d.get("deadline_kind", Task.deadline_kind) for d in tasks]  # the field's default
    return {
        "编号": [d["id"] for d in tasks],
        "板块": [d.get("section", "") for d in tasks],
        "任务": [d.get("title", "") for d in tasks],
        "具体内容": [d.get("description", "") for d in tasks],
        "牵头单位": ["、".join(d.get("lead_units", none)) for d in tasks],
        "责任单位": ["、".join(d.get("responsible_units", none)) for d in tasks],
        "完成时限": [date.fromisoformat(x) if (x := d.get("deadline")) else None for d in tasks],
        "时限原文": [d.get("deadline_text", "") for d in tasks],
        "时限类型": [kinds.get(k, k) for k in deadline_kinds],
        "前置任务": ["、".join(d.get("predecessors", none)) for d in tasks],
        "出处": [Source(**x).label() if (x := d.get("source")) else "" for d in tasks],
        "提示": [";".join(d.get("warnings", none)) for d in tasks],
        "_lead": [list(d.get("lead_units_canonical") or d.get("lead_units", none)) for d in tasks],
        "_resp": [list(d.get("responsible_units_canonical") or d.get("responsible_units", none)) for d in tasks],
    }


def filter_tasks(
    df: pd.DataFrame,
    *,
    sections: list[str] | None = None,
    units: list[str] | None = None,
    role: str = "全部",
    statuses: list[str] | None = None,
    deadline_from: date | None = None,
    deadline_to: date | None = None,
    include_undated: bool = True,
    text: str = "",
) -> pd.DataFrame:
    """Rows of :func:`tasks_frame` matching the dashboard filters (pure presentation filtering)."""
    mask = pd.Series(True, index=df.index)
    if sections:
        mask &= df["板块"].isin(sections)
    if statuses:
        mask &= df["状态"].isin(statuses)
    if units:
        wanted = set(units)
        if role == "牵头":
            cols = ["_lead"]
        elif role == "责任":
            cols = ["_resp"]
        else:
            cols = ["_lead", "_resp"]
        mask &= df[cols].apply(lambda r: any(wanted & set(v) for v in r), axis=1)
    dl = df["完成时限"]
    in_range = pd.Series(True, index=df.index)
    if deadline_from:
        in_range &= dl >= pd.Timestamp(deadline_from)
    if deadline_to:
        in_range &= dl <= pd.Timestamp(deadline_to)
    mask &= in_range | (dl.isna() & include_undated)
    if text.strip():
        needle = text.strip()
        cols = ["编号", "板块", "任务", "具体内容", "牵头单位", "责任单位", "时限原文"]
        found = pd.Series(False, index=df.index)
        for c in cols:  # column by column: vectorised, much faster than joining rows
            found |= df[c].astype(str).str.contains(needle, regex=False)
        mask &= found
    return df[mask]


def short_plan_column(df: pd.DataFrame, plans_shown: int | None = None) -> pd.DataFrame:
    """``df`` for display: its 计划 column dropped when one plan is shown (default: counted in ``df``),
    else holding short plan names; rows keep their order, so a selected row index still fits ``df``."""
    if "计划" not in df.columns:
        return df
    if (df["计划"].nunique() if plans_shown is None else plans_shown) <= 1:
        return df.drop(columns=["计划"])
    out = df.copy()
    out["计划"] = out["计划"].map(short_plan_names(sorted(set(out["计划"]))))
    return out


def table_for_display(df: pd.DataFrame, plans_chosen: int) -> pd.DataFrame:
    """The visible task table: no 计划 column when one plan is shown, else short plan names."""
    return short_plan_column(visible(df), plans_chosen)


def visible(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` without the hidden helper columns."""
    return df[[c for c in df.columns if not c.startswith("_")]]


#: rows per page of a long table (a province's plan has 50,000 tasks; the export keeps them all)
TABLE_PAGE_ROWS = 500


def page_of(df: pd.DataFrame, size: int = TABLE_PAGE_ROWS, *, key: str, where=None) -> pd.DataFrame:
    """The rows of ``df`` on the page picked in a 页码 box (shown only when ``df`` has more than ``size``
    rows), in ``df``'s order; a page beyond the last (the filter narrowed meanwhile) shows the last.

    >>> import pandas as pd
    >>> [len(part) for part in (page_of(pd.DataFrame({"a": range(3)}), 5, key="doc"),)]
    [3]
    """
    where = where or st
    pages = max(1, -(-len(df) // size))
    if pages == 1:
        return df
    if st.session_state.get(key, 1) > pages:
        st.session_state[key] = pages
    c1, c2 = where.columns([1, 4])
    page = int(c1.number_input("页码", min_value=1, max_value=pages, step=1, key=key) or 1)
    first = (page - 1) * size
    c2.caption(
        f"第 {page}/{pages} 页:第 {first + 1}–{min(first + size, len(df))} 项,共 {len(df)} 项"
        f"(每页 {size} 项;“导出筛选结果”包含全部筛选结果)"
    )
    return df.iloc[first : first + size]


TASK_COLUMN_CONFIG = {
    "完成时限": st.column_config.DateColumn("完成时限", format="YYYY-MM-DD"),
    "任务": st.column_config.TextColumn("任务", width="large"),
    "具体内容": st.column_config.TextColumn("具体内容", width="medium"),
}


# -- the store ------------------------------------------------------------------
def get_store():
    """The store of ``WORKBENCH_DB_URL`` (default SQLite file), seeded with the samples when empty,
    as the logged-in account (:class:`tasks.accounts.GuardedStore`): the library refuses what the
    role may not do.

    When the database cannot be reached the page says so in Chinese and stops (no traceback).
    """
    from tasks.accounts import GuardedStore

    store = get_raw_store()
    account = acting_account()
    if account is None:  # never the raw store for someone not logged in
        st.warning("请先登录。", icon=":material/lock:")
        st.stop()
    return GuardedStore(store, account)


def current_actor() -> str:
    """Who is acting, for the store's audit trail: the logged-in account (the guarded store enforces it)."""
    account = acting_account()
    return account.name if account is not None else ACTOR


def unit_scope() -> str | None:
    """The logged-in unit account's unit (its pages show only its own tasks and cards), else None."""
    account = acting_account()
    return account.unit if account is not None and account.role == "unit" else None


class NewestVersions:
    """Values kept per key for their newest data version only: when a plan's version moves (a report
    upload moves it too), its old plan and graph are freed at once instead of lingering among a cache's
    ``max_entries`` (a 50,000-task graph is about 160 MiB).

    >>> kept = NewestVersions()
    >>> kept.get("甲", 1, lambda: "v1"), kept.get("甲", 1, lambda: "again"), kept.get("甲", 2, lambda: "v2")
    ('v1', 'v1', 'v2')
    >>> len(kept)
    1
    """

    def __init__(self) -> None:
        from threading import Lock

        self._items: dict = {}
        self._lock = Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key, version: int, make):
        """The value of ``key`` at ``version``, made by ``make()`` when not kept (replacing older ones)."""
        with self._lock:
            hit = self._items.get(key)
        if hit is not None and hit[0] == version:
            return hit[1]
        # a large build the cache keeps (a 50,000-task plan or graph): built with the collector paused and
        # moved to its oldest generation as the pause ends (core.gcpause, keep=True); built paused and moved
        # afterwards, its objects were walked by a young collection on the way (0.4 s at 50,000 tasks)
        with pause_gc(keep=True):
            value = make()
        with self._lock:
            current = self._items.get(key)
            if current is None or current[0] <= version:
                self._items[key] = (version, value)
        return value


@st.cache_resource(show_spinner=False)
def _newest() -> NewestVersions:
    """The process-wide plan and graph store (emptied with ``st.cache_resource.clear()``)."""
    return NewestVersions()


def _plan_from_store(url: str, key: str, version: int) -> Plan:
    return _newest().get(("plan", url, key), version, lambda: store_at(url).plan(key))


def store_plans(store=None) -> dict[str, Plan]:
    """Every live plan of the store by key (cached until the store changes; shared, do not mutate)."""
    from tasks.store import default_url

    store = store or get_store()
    url = default_url()
    plans = {p.key: _plan_from_store(url, p.key, store.data_version(p.key)) for p in store.plans() if p.tasks}
    unit = unit_scope()
    if unit:  # a unit account sees only the tasks its unit leads or joins
        plans = {k: unit_view(p, unit) for k, p in plans.items()}
        plans = {k: p for k, p in plans.items() if p.tasks}
    return plans


# -- status as of a date (tasks.progress) --------------------------------------------
def as_of_control(where=None) -> date:
    """The dashboard-wide "as of" date (sidebar), kept across pages; default today."""
    where = where or st.sidebar
    current = st.session_state.get("_as_of") or date.today()

    def _keep() -> None:
        st.session_state["_as_of"] = st.session_state["as_of_widget"]

    st.session_state.setdefault("as_of_widget", current)
    where.date_input(
        "截至日期",
        key="as_of_widget",
        on_change=_keep,
        format="YYYY-MM-DD",
        help="查看该日期时的任务状态(按当日及以前的填报记录重算)",
    )
    return st.session_state.get("_as_of") or st.session_state["as_of_widget"]


def current_as_of() -> date:
    return st.session_state.get("_as_of") or st.session_state.get("as_of_widget") or date.today()


@st.cache_resource(show_spinner="正在计算任务状态…", max_entries=4)
@paused_gc(keep=True)  # kept by the cache: see NewestVersions.get
def _snapshot(url: str, as_of: date, version: int, rules_stamp: tuple, region: str | None = None):
    from tasks.progress import snapshot
    from tasks.store import StoreLike

    raw = store_at(url)
    source: StoreLike = raw
    if region:  # a city's or county's account: its regions' plans only (tasks.accounts checks it)
        from tasks.accounts import Account, GuardedStore

        source = GuardedStore(raw, Account("(地区视图)", "planner", region=region))
    snap = snapshot(source, as_of)
    snap.reports = []  # bounded memory: pages read one task's history with tasks.store.kept.task_reports
    return snap


def rules_stamp() -> tuple:
    """The rules file's (path, mtime, size): statuses are recomputed when the office edits it."""
    from tasks.progress import rules as rules_mod

    p = Path(rules_mod.RULES_FILE)
    try:
        st_ = p.stat()
        return (str(p), st_.st_mtime_ns, st_.st_size)
    except OSError:
        return (str(p), 0, 0)


def _snapshot_key(store, as_of: date | None) -> tuple:
    """What a snapshot of all plans depends on: (url, as of, store data version, rules stamp, region)."""
    from tasks.store import default_url

    region = getattr(getattr(store, "account", None), "region", None)
    return (default_url(), as_of or current_as_of(), store.data_version(), rules_stamp(), region)


def get_snapshot(store=None, as_of: date | None = None):
    """:func:`tasks.progress.snapshot` of all plans, cached until the store changes (shared, do not mutate)."""
    return _snapshot(*_snapshot_key(store or get_store(), as_of))


@st.cache_resource(show_spinner="正在汇总总览…", max_entries=2)
@paused_gc(keep=True)  # kept by the cache: see NewestVersions.get
def _board(url: str, as_of: date, version: int, rules_stamp: tuple, region: str | None = None):
    from tasks.board import build_board

    return build_board(_snapshot(url, as_of, version, rules_stamp, region))


def get_board(store=None, as_of: date | None = None):
    """:func:`tasks.board.build_board` of :func:`get_snapshot`, cached with it (shared, do not mutate)."""
    return _board(*_snapshot_key(store or get_store(), as_of))


@st.cache_resource(show_spinner="正在计算单位排名…", max_entries=2)
@paused_gc(keep=True)  # kept by the cache: see NewestVersions.get
def _ranking(url: str, as_of: date, version: int, rules_stamp: tuple, region: str | None = None):
    from tasks.progress import ranking

    return ranking(_snapshot(url, as_of, version, rules_stamp, region))


def get_ranking(store=None, as_of: date | None = None):
    """:func:`tasks.progress.ranking` of :func:`get_snapshot`, cached with it (shared, do not mutate)."""
    return _ranking(*_snapshot_key(store or get_store(), as_of))


@st.cache_resource(show_spinner=False, max_entries=2)
def _snapshot_units(url: str, as_of: date, version: int, rules_stamp: tuple, region: str | None) -> list[str]:
    from tasks import is_collective

    snap = _snapshot(url, as_of, version, rules_stamp, region)
    named = {u for s in snap.statuses for units in (s.lead_units, s.responsible_units) for u in units}
    return sorted(u for u in named if not is_collective(u))


def snapshot_units(store=None, as_of: date | None = None) -> list[str]:
    """The units (collective names left out) with a lead or responsible role in a task of
    :func:`get_snapshot`, sorted; cached with it (a province's 50,000 tasks name 2,000 units).

    >>> snapshot_units.__name__
    'snapshot_units'
    """
    return _snapshot_units(*_snapshot_key(store or get_store(), as_of))


@st.cache_resource(show_spinner="正在比较各地区…", max_entries=4)
def _regions(_store, url: str, as_of: date, version: int, rules_stamp: tuple, region: str | None, by: str, who: tuple):
    return _store.compare_regions(as_of, by=by, snap=_snapshot(url, as_of, version, rules_stamp, region))


def region_figures(store, as_of: date | None = None, by: str = "city") -> tuple[list, str | None]:
    """``store.compare_regions`` (the guarded store: the library checks the account and limits the scope)
    on :func:`get_snapshot`, cached with it per comparison (``by``) and account (shared, do not mutate).

    >>> region_figures.__name__
    'region_figures'
    """
    url, day, version, stamp, region = _snapshot_key(store, as_of)
    return _regions(store, url, day, version, stamp, region, by, _who(store))


@st.cache_resource(show_spinner=False, max_entries=4)
def _reminders(url: str, as_of: date, version: int, rules_stamp: tuple, region: str | None, period: str | None):
    from tasks.progress import reminders

    return reminders(_snapshot(url, as_of, version, rules_stamp, region), period)


def get_reminders(store=None, as_of: date | None = None, period: str | None = None):
    """:func:`tasks.progress.reminders` of :func:`get_snapshot` for ``period`` (default: the latest due),
    cached with it (shared, do not mutate)."""
    url, day, version, stamp, region = _snapshot_key(store or get_store(), as_of)
    return _reminders(url, day, version, stamp, region, period)


@st.cache_resource(show_spinner="正在计算督办状态…", max_entries=2)
@paused_gc(keep=True)  # kept by the cache: see NewestVersions.get
def _plan_snapshot(_store, url: str, today: date, plan: str, version: int, rules_stamp: tuple, who: tuple):
    from tasks.progress import snapshot

    snap = snapshot(_store, today, plan=plan)
    snap.reports = []  # bounded memory, as in _snapshot
    return snap


def plan_snapshot(store, plan: str, today: date | None = None):
    """:func:`tasks.progress.snapshot` of one plan as of ``today`` read through ``store`` (the guarded
    store: what its account may see), cached until the store changes (shared, do not mutate)."""
    from tasks.store import default_url

    return _plan_snapshot(
        store, default_url(), today or date.today(), plan, store.data_version(), rules_stamp(), _who(store)
    )


@st.cache_resource(show_spinner="正在读取待办…", max_entries=2)
def _office_queue(_store, url: str, today: date, plan: str, version: int, who: tuple):
    return _store.office_queue(plan)


def office_queue(store, plan: str) -> list:
    """The office's pending decisions in a plan (``store.office_queue``, checked by the library on the
    first read of each data version), cached until the store changes (shared, do not mutate)."""
    from tasks.store import default_url

    return _office_queue(store, default_url(), date.today(), plan, store.data_version(), _who(store))


def plan_statuses(store, as_of: date | None = None) -> dict[str, dict[str, str]]:
    """Plan key → task id → status key as of the date, from one snapshot ({} when progress tracking is
    unavailable)."""
    try:
        snap = get_snapshot(store, as_of)
    except ImportError:
        log.warning("tasks.progress is not available yet; statuses are not shown")
        return {}
    out: dict[str, dict[str, str]] = {}
    for s in snap.statuses:
        out.setdefault(s.plan, {})[s.id] = s.status
    return out


@st.cache_resource(show_spinner="正在读取上传记录…", max_entries=2)
@paused_gc(keep=True)  # kept by the cache: see NewestVersions.get
def _uploads_frame(_store, url: str, version: int, who: tuple) -> pd.DataFrame:
    from dataclasses import fields

    from tasks.store import StoredUpload

    names = [f.name for f in fields(StoredUpload)]
    rows = _store.uploads()  # 72,000 uploads: column by column (a frame of dataclasses deep-copies each one)
    return pd.DataFrame({n: [getattr(u, n) for u in rows] for n in names}, columns=names)


def uploads_frame(store) -> pd.DataFrame:
    """``store.uploads()`` (what the account may see) as a table, one row per upload with the store's
    field names; cached until the store changes (shared, do not mutate)."""
    from tasks.store import default_url

    return _uploads_frame(store, default_url(), store.data_version(), _who(store))


@st.cache_data(show_spinner=False, max_entries=8)
def _store_units(_store, url: str, version: int, who: tuple) -> list[str]:
    return list(_store.units())


def store_units(store) -> list[str]:
    """``store.units()`` (what the account may see), cached until the store changes (a province's
    2,000 units took 0.2 s on every run of a page listing them)."""
    from tasks.store import default_url

    return _store_units(store, default_url(), store.data_version(), _who(store))


def _who(store) -> tuple:
    """What a guarded store's reads depend on: its account's (role, region, unit)."""
    account = getattr(store, "account", None)
    return (getattr(account, "role", None), getattr(account, "region", None), getattr(account, "unit", None))


@dataclass(frozen=True)
class TaskTable:
    """The task table of some plans (:func:`tasks_frame` rows, statuses as of a date) and its filter
    choices; shared between runs, do not mutate ``frame``."""

    frame: pd.DataFrame
    units: list[str]
    sections: list[str]
    statuses: list[str]


@st.cache_resource(show_spinner="正在整理任务表…", max_entries=2)
@paused_gc(keep=True)  # kept by the cache: see NewestVersions.get
def _task_table(url: str, chosen: tuple, snapshot_key: tuple, scope: str | None) -> TaskTable:
    from tasks.store import plan_task_dicts

    by_plan: dict[str, dict[str, str]] = {}
    wanted = set(chosen)
    for s in _snapshot(*snapshot_key).statuses:
        if s.plan in wanted:
            by_plan.setdefault(s.plan, {})[s.id] = s.status
    raw = store_at(url)
    if scope:  # a unit account's share of each plan (unit_view): from the cached plans
        rows: dict[str, list] = {
            k: unit_view(_plan_from_store(url, k, raw.data_version(k)), scope).tasks for k in chosen
        }
    else:  # the whole plans: their stored task dicts, without building (and caching) the plans' Task objects
        rows = {k: plan_task_dicts(raw, k) for k in chosen}
    frames = [tasks_frame(rows[k], k, by_plan.get(k, {})) for k in chosen]
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0] if frames else tasks_frame([], "")
    return TaskTable(
        df,
        sorted({u for col in ("_lead", "_resp") for v in df[col] for u in v}),
        sorted({s for s in df["板块"] if s}),
        sorted({s for s in df["状态"] if s}),
    )


def task_table(store, chosen: list[str], as_of: date | None = None) -> TaskTable:
    """The task table of the ``chosen`` plans (keys from :func:`plan_keys`) with statuses as of the date,
    cached until the store changes; a unit account's table holds its own tasks only (as :func:`store_plans`)."""
    from tasks.store import default_url

    key = _snapshot_key(store, as_of)
    return _task_table(default_url(), tuple(chosen), key, unit_scope())


def plan_keys(store=None) -> list[str]:
    """The keys of :func:`store_plans` (live plans with tasks; for a unit account, those holding its
    tasks), in the store's order, without reading the plans where that is not needed.

    >>> plan_keys.__name__
    'plan_keys'
    """
    store = store or get_store()
    if unit_scope():
        return list(store_plans(store))
    return [p.key for p in store.plans() if p.tasks]


def page_header(title: str, caption: str = "") -> None:
    """The page title, an optional caption, any pending success notes, and the Chinese widget texts."""
    st.html(CHINESE_WIDGETS_CSS)
    st.html(HIDE_TABLE_CSV_CSS)
    st.title(title)
    if caption:
        st.caption(caption)
    show_flash()


def plan_picker(store, key: str, label: str = "计划", where=None) -> str | None:
    """A select box of the store's plans (by key); None when the store has none."""
    where = where or st
    keys = [p.key for p in store.plans() if p.tasks]
    if not keys:
        where.info("库中还没有计划。请到“导入”页上传任务分解表。")
        return None
    return where.selectbox(label, keys, key=key)


def go_to_task(plan_key: str, task_id: str) -> None:
    """Open the 任务 page on one task's detail (call it in the script, not in a widget callback)."""
    st.session_state["tasks_plans"] = [plan_key]
    st.session_state["tasks_view"] = "任务详情"
    st.session_state["tasks_detail_pick"] = f"{plan_key}|{task_id}"
    for k in ("tasks_units", "tasks_sections", "tasks_status", "tasks_text"):
        st.session_state.pop(k, None)
    st.session_state.pop("tasks_range", None)
    st.switch_page("ui/page_tasks.py")


def go_to_unit(unit: str) -> None:
    """Open the 单位考评 page on one unit's scorecard."""
    st.session_state["units_pick"] = unit
    st.switch_page("ui/page_units.py")


def selected_row(event) -> int | None:
    """Index of the row picked in a ``st.dataframe(on_select=...)`` event, or None."""
    try:
        rows = event.selection.rows
    except AttributeError:
        return None
    return rows[0] if rows else None


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _graph(url: str, key: str, version: int):
    def make():
        from tasks.graph import build_graph

        with st.spinner("正在构建依赖图…"):
            return build_graph(_plan_from_store(url, key, version))

    return _newest().get(("graph", url, key), version, make)


def plan_graph(store, plan_key: str):
    """The dependency graph (networkx) of a stored plan, cached until the store changes. Do not mutate."""
    from tasks.store import default_url

    return _graph(default_url(), plan_key, store.data_version(plan_key))


@st.cache_data(show_spinner=False, max_entries=16)
def _plan_units(url: str, key: str, version: int) -> dict[str, int]:
    from tasks.store import unit_task_counts

    return unit_task_counts(store_at(url), key)


def plan_units(store, plan_key: str) -> dict[str, int]:
    """Units with a lead or responsible role in the plan → their number of tasks (cached)."""
    from tasks.store import default_url

    return _plan_units(default_url(), plan_key, store.data_version(plan_key))


class RecentResults:
    """A small shared store of finished long runs by their inputs, keeping only the ``size`` most recent.

    Used through ``st.cache_resource`` so a simulation or a roster is never run twice for the
    same inputs, while memory stays bounded.
    """

    def __init__(self, size: int = 12):
        from collections import OrderedDict
        from threading import Lock

        self.size, self._lock = size, Lock()
        self._items: OrderedDict[Hashable, Any] = OrderedDict()

    def __contains__(self, key) -> bool:
        with self._lock:
            return key in self._items

    def __getitem__(self, key):
        with self._lock:
            self._items.move_to_end(key)
            return self._items[key]

    def __setitem__(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
