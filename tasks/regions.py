"""Cities and counties on one deployment: which plan belongs where, and how the regions compare.

A province serves its cities (市) and counties (县/区, optionally under a city) from one
database.  Every plan belongs to one region; a plan loaded without one belongs to the
deployment's own level, :data:`DEFAULT_REGION` (``本级``), so a one-city deployment needs no
region at all.  Who may see which region is decided in :mod:`tasks.accounts` (an account
scoped to a city sees that city's plans and its counties'); this module only keeps the data
and computes the comparison the provincial office reads.

>>> from tasks.store import Store
>>> store = Store("sqlite://")
>>> add_region(store, "甲市", actor="cli").kind, add_region(store, "乙县", parent="甲市", actor="cli").parent
('city', '甲市')
>>> sorted(scope_of(store, "甲市"))
['乙县', '甲市']

The comparison takes plain facts (one per task, one per reporting duty) and gives one frozen
record per city:

>>> facts = [TaskFact("甲市", "p1", "overdue", False, "red"), TaskFact("乙县", "p2", "done", True, None)]
>>> duties = [DutyFact("甲市", True), DutyFact("乙县", False)]
>>> rows = compare_regions(facts, duties, {"甲市": None, "乙县": "甲市"}, plans={"p1": "甲市", "p2": "乙县"})
>>> [(r.region, r.plans, r.tasks, r.done, r.overdue, r.report_rate, r.red_cards) for r in rows]
[('甲市', 2, 2, 1, 1, 0.5, 1)]
>>> [(r.region, r.tasks) for r in compare_regions(facts, duties, {"甲市": None, "乙县": "甲市"}, by="region")]
[('甲市', 1), ('乙县', 1)]
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, select

from .errors import WorkbenchError
from .store.protocol import raw_store
from .store.schema import PlanRow
from .store.schema_scoping import PlanRegionRow, RegionRow

__all__ = [
    "CITY",
    "COUNTY",
    "DEFAULT_REGION",
    "KIND_NAMES",
    "OWN",
    "PROVINCE",
    "DutyFact",
    "Region",
    "RegionError",
    "RegionFigures",
    "TaskFact",
    "add_region",
    "check_region_name",
    "compare_regions",
    "comparison_conclusion",
    "due_periods",
    "facts_from_snapshot",
    "plan_regions",
    "region_comparison",
    "regions",
    "scope_of",
    "set_plan_region",
]

#: the region of plans loaded without one: the deployment's own level
DEFAULT_REGION = "本级"
#: the word for "no region scope" (the provincial office) in forms and on the command line
PROVINCE = "全省"
CITY, COUNTY, OWN = "city", "county", "own"
KIND_NAMES = {CITY: "市", COUNTY: "县(区)", OWN: "本级"}
#: a region's name ends in one of these (市, 县, 区, 旗, 州, 盟, 特区, 林区)
_NAME = re.compile(r"^[\u4e00-\u9fff()()]{1,48}(市|县|区|旗|州|盟)$")


class RegionError(WorkbenchError):
    """A bad region request: a malformed or unknown name, a county under a county…"""


@dataclass(frozen=True)
class Region:
    """A city or county; ``parent`` is the city a county belongs to (None for a city or a county
    directly under the province)."""

    name: str
    kind: str
    parent: str | None = None

    @property
    def label(self) -> str:
        """``乙县(甲市)`` / ``甲市``."""
        return f"{self.name}({self.parent})" if self.parent else self.name


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _raw(store: Any) -> Any:
    return raw_store(store)


def check_region_name(name: str | None) -> str:
    """The trimmed name, or :class:`RegionError` saying what a region's name must look like.

    >>> check_region_name(" 甲市 ")
    '甲市'
    >>> check_region_name("甲")
    Traceback (most recent call last):
    tasks.regions.RegionError: 地区名称“甲”无效:请写全称,以市、县、区、旗、州或盟结尾,如“某某市”“某某县”
    """
    name = (name or "").strip()
    if name in (DEFAULT_REGION, PROVINCE):
        raise RegionError(f"“{name}”是系统保留的名称,不能登记为地区")
    if not _NAME.match(name):
        raise RegionError(f"地区名称“{name}”无效:请写全称,以市、县、区、旗、州或盟结尾,如“某某市”“某某县”")
    return name


def regions(store: Any) -> list[Region]:
    """Every registered region: cities first (by name), each followed by its counties."""
    with _raw(store).session() as s:
        rows = list(s.execute(select(RegionRow.id, RegionRow.name, RegionRow.kind, RegionRow.parent_id)))
    names = {rid: name for rid, name, _k, _p in rows}
    out = [Region(name, kind, names.get(pid) if pid else None) for _rid, name, kind, pid in rows]
    return sorted(out, key=lambda r: (r.parent or r.name, r.parent is not None, r.name))


def _region_id(s: Any, name: str) -> int:
    rid = s.scalar(select(RegionRow.id).where(RegionRow.name == name))
    if rid is None:
        known = "、".join(s.scalars(select(RegionRow.name).order_by(RegionRow.name))) or "无"
        raise RegionError(f"地区“{name}”尚未登记(已登记:{known});请先用 python -m tasks regions add {name} 登记")
    return rid


def add_region(store: Any, name: str, *, parent: str | None = None, actor: str) -> Region:
    """Register a city (or, with ``parent``, a county of that city; a name ending in 县/区/旗 without
    a parent is a county directly under the province).  Audited; an existing name is refused."""
    from .store.repo import Store

    name = check_region_name(name)
    parent = (parent or "").strip() or None
    raw = _raw(store)
    with raw.session(write=True) as s:
        if s.scalar(select(RegionRow.id).where(RegionRow.name == name)) is not None:
            raise RegionError(f"地区“{name}”已登记")
        pid = None
        if parent is not None:
            pid = _region_id(s, parent)
            if s.scalar(select(RegionRow.kind).where(RegionRow.id == pid)) != CITY:
                raise RegionError(f"“{parent}”是县级地区,不能再下辖“{name}”;县(区)只能隶属于市")
        kind = COUNTY if parent is not None or not name.endswith(("市", "州", "盟")) else CITY
        s.execute(insert(RegionRow), [{"name": name, "parent_id": pid, "kind": kind, "created_at": _now()}])
        Store._audit(s, actor, "region_add", name, {"parent": parent, "kind": kind})
    return Region(name, kind, parent)


def scope_of(store: Any, region: str) -> frozenset[str]:
    """The regions an account scoped to ``region`` sees: the region and, for a city, its counties."""
    with _raw(store).session() as s:
        rid = _region_id(s, region)
        kids = s.scalars(select(RegionRow.name).where(RegionRow.parent_id == rid))
        return frozenset([region, *kids])


def plan_regions(store: Any, *, archived: bool = True) -> dict[str, str]:
    """Plan key → its region's name (:data:`DEFAULT_REGION` for plans loaded without one), in load order."""
    with _raw(store).session() as s:
        q = (
            select(PlanRow.key, RegionRow.name)
            .outerjoin(PlanRegionRow, PlanRegionRow.plan_id == PlanRow.id)
            .outerjoin(RegionRow, RegionRow.id == PlanRegionRow.region_id)
            .order_by(PlanRow.id)
        )
        if not archived:
            q = q.where(PlanRow.archived.is_(False))
        return {key: name or DEFAULT_REGION for key, name in s.execute(q)}


def set_plan_region(store: Any, plan: str, region: str, *, actor: str) -> str | None:
    """Put ``plan`` in ``region`` (:data:`DEFAULT_REGION`: back to the deployment's own level); returns
    the region it was in before (None when unchanged).  Audited, and the plan's data version moves."""
    from .store.kept import bump_version
    from .store.repo import Store

    raw = _raw(store)
    region = (region or "").strip()
    with raw.session(write=True) as s:
        pid = s.scalar(select(PlanRow.id).where(PlanRow.key == plan))
        if pid is None:
            raise RegionError(f"库中没有计划“{plan}”")
        before = s.scalar(
            select(RegionRow.name)
            .join(PlanRegionRow, PlanRegionRow.region_id == RegionRow.id)
            .where(PlanRegionRow.plan_id == pid)
        )
        before = before or DEFAULT_REGION
        rid = None if region == DEFAULT_REGION else _region_id(s, check_region_name(region))
        if before == (region if rid is not None else DEFAULT_REGION):
            return None
        s.execute(delete(PlanRegionRow).where(PlanRegionRow.plan_id == pid))
        if rid is not None:
            s.execute(insert(PlanRegionRow), [{"plan_id": pid, "region_id": rid}])
        bump_version(s, pid)
        Store._audit(s, actor, "plan_region", plan, {"from": before, "to": region or DEFAULT_REGION})
    return before


# -- the comparison ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TaskFact:
    """One live task as the comparison needs it: its region, plan, status, whether it is closed
    (已办结) and its card key (None: no card)."""

    region: str
    plan: str
    status: str
    closed: bool
    card: str | None = None


@dataclass(frozen=True)
class DutyFact:
    """One unit's duty to report one task for the period compared, and whether it was met."""

    region: str
    reported: bool


@dataclass(frozen=True)
class RegionFigures:
    """One region's (or city's, counties included) figures."""

    region: str
    kind: str
    plans: int
    tasks: int
    done: int  # 已办结 (closed by the office)
    overdue: int
    red_cards: int
    duties: int  # reports owed for the period compared
    reported: int
    counties: tuple[str, ...] = ()

    @property
    def report_rate(self) -> float | None:
        """报送率: reports made / reports owed (None when nothing was owed)."""
        return self.reported / self.duties if self.duties else None

    @property
    def done_rate(self) -> float | None:
        return self.done / self.tasks if self.tasks else None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["counties"] = list(self.counties)
        d["report_rate"] = None if self.report_rate is None else round(self.report_rate, 4)
        d["done_rate"] = None if self.done_rate is None else round(self.done_rate, 4)
        return d


def compare_regions(
    tasks: Iterable[TaskFact],
    duties: Iterable[DutyFact],
    parents: Mapping[str, str | None],
    *,
    plans: Mapping[str, str] | None = None,
    by: str = "city",
    red: str = "red",
) -> list[RegionFigures]:
    """Figures per city (``by="city"``: a county's figures count for its city) or per region
    (``by="region"``), cities in name order (each followed by its counties), :data:`DEFAULT_REGION` last.

    ``parents`` maps each region to its city (None for a city or a county under the province);
    ``plans`` (plan → region) counts plans that have no task yet too; ``red`` is the card key
    counted as a red card.
    """
    if by not in ("city", "region"):
        raise ValueError(f"by must be 'city' or 'region', not {by!r}")

    def group(region: str) -> str:
        return (parents.get(region) or region) if by == "city" else region

    acc: dict[str, dict[str, Any]] = {}

    def slot(region: str) -> dict[str, Any]:
        g = group(region)
        if g not in acc:
            acc[g] = {"plans": set(), "tasks": 0, "done": 0, "overdue": 0, "red": 0, "duties": 0, "reported": 0}
            acc[g]["members"] = set()
        if region != g:
            acc[g]["members"].add(region)
        return acc[g]

    for region in parents:
        slot(region)
    for plan, region in (plans or {}).items():
        slot(region)["plans"].add(plan)
    for t in tasks:
        a = slot(t.region)
        a["plans"].add(t.plan)
        a["tasks"] += 1
        a["done"] += bool(t.closed)
        a["overdue"] += t.status == "overdue"
        a["red"] += t.card == red
    for d in duties:
        a = slot(d.region)
        a["duties"] += 1
        a["reported"] += bool(d.reported)
    out = []
    for g in sorted(acc, key=lambda x: (x == DEFAULT_REGION, parents.get(x) or x, parents.get(x) is not None, x)):
        a = acc[g]
        kind = (
            OWN if g == DEFAULT_REGION else (CITY if g.endswith(("市", "州", "盟")) and not parents.get(g) else COUNTY)
        )
        out.append(
            RegionFigures(
                region=g,
                kind=kind,
                plans=len(a["plans"]),
                tasks=a["tasks"],
                done=a["done"],
                overdue=a["overdue"],
                red_cards=a["red"],
                duties=a["duties"],
                reported=a["reported"],
                counties=tuple(sorted(a["members"])),
            )
        )
    return out


def comparison_conclusion(rows: Iterable[RegionFigures]) -> str:
    """One Chinese sentence: the lowest 报送率 and the most red cards / overdue tasks.

    >>> rows = [RegionFigures("甲市", "city", 1, 10, 2, 3, 1, 10, 9), RegionFigures("乙市", "city", 1, 8, 1, 0, 0, 8, 4)]
    >>> comparison_conclusion(rows)
    '报送率最低的是乙市(50%);红牌最多的是甲市(1 张);逾期任务最多的是甲市(3 项)。'
    """
    rows = [r for r in rows if r.tasks]
    if not rows:
        return "各地区还没有任务,暂无可比较的数据。"
    parts = []
    rated = [r for r in rows if r.report_rate is not None]
    if len(rated) > 1:
        low = min(rated, key=lambda r: (r.report_rate, r.region))
        parts.append(f"报送率最低的是{low.region}({low.report_rate:.0%})")
    elif not rated:
        parts.append("本期尚无应报送的进展")
    red = max(rows, key=lambda r: (r.red_cards, -len(r.region)))
    parts.append(f"红牌最多的是{red.region}({red.red_cards} 张)" if red.red_cards else "各地区均无红牌")
    late = max(rows, key=lambda r: (r.overdue, -len(r.region)))
    parts.append(f"逾期任务最多的是{late.region}({late.overdue} 项)" if late.overdue else "各地区均无逾期任务")
    return ";".join(parts) + "。"


def facts_from_snapshot(
    snap: Any, plans: Mapping[str, str], period: str | None = None, *, only_listed: bool = False
) -> tuple[list[TaskFact], list[DutyFact]]:
    """The comparison's facts from a :class:`tasks.progress.Snapshot` and the plan → region map.

    Duties are those of ``period``, or by default each plan's latest period whose report was due
    before the snapshot's date (plans keep their own calendars: monthly, quarterly, from their start).
    A plan missing from ``plans`` counts as :data:`DEFAULT_REGION`'s, or with ``only_listed`` is left
    out (a comparison limited to some regions).
    """
    from .progress.lifecycle import CLOSED

    facts = [
        TaskFact(plans.get(s.plan, DEFAULT_REGION), s.plan, s.status, s.lifecycle == CLOSED, s.card)
        for s in snap.statuses
        if not only_listed or s.plan in plans
    ]
    wanted = due_periods(snap) if period is None else None
    duties: list[DutyFact] = []
    for (plan, _unit, key, _due), (n, sent, _on_time) in snap.duty_counts().cells.items():
        if only_listed and plan not in plans:
            continue
        if key == period if wanted is None else wanted.get(plan) == key:
            region = plans.get(plan, DEFAULT_REGION)
            duties += [DutyFact(region, True)] * sent + [DutyFact(region, False)] * (n - sent)  # frozen: shared
    return facts, duties


def due_periods(snap: Any) -> dict[str, str]:
    """Plan → its latest reporting period whose report was due before the snapshot's date."""
    latest: dict[str, tuple[date, str]] = {}
    for plan, _unit, key, due in snap.duty_counts().cells:
        if due < snap.as_of and (plan not in latest or (due, key) > latest[plan]):
            latest[plan] = (due, key)
    return {plan: key for plan, (_due, key) in latest.items()}


def region_comparison(
    store: Any,
    as_of: date | None = None,
    *,
    by: str = "city",
    rules: Any = None,
    snap: Any = None,
    scope: frozenset[str] | None = None,
) -> tuple[list[RegionFigures], str | None]:
    """The comparison of every region as of a date, with the period(s) whose 报送率 it shows (each
    plan's latest period due before the date; several keys joined with ``、`` when calendars differ).

    ``snap``: a snapshot of all plans already computed for that date (the dashboard's cached one);
    ``scope``: compare only these regions (a city and its counties) and only their plans, whatever
    ``snap`` holds — a county whose city is outside the scope then stands alone, also ``by="city"``.
    Callers acting for an account go through :meth:`tasks.accounts.GuardedStore.compare_regions`.
    """
    from .progress import snapshot

    if snap is None:
        snap = snapshot(store, as_of, rules=rules)
    plans = plan_regions(store, archived=False)
    parents: dict[str, str | None] = {r.name: r.parent for r in regions(store)}
    if scope is not None:
        plans = {k: r for k, r in plans.items() if r in scope}
        parents = {r: (p if p in scope else None) for r, p in parents.items() if r in scope}
    if DEFAULT_REGION in plans.values():
        parents[DEFAULT_REGION] = None
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of small records on a large heap: the cyclic collector would dominate
    try:
        periods = due_periods(snap)
        keys = sorted({p for k, p in periods.items() if scope is None or k in plans})
        facts, duties = facts_from_snapshot(snap, plans, only_listed=scope is not None)
        rows = compare_regions(facts, duties, parents, plans=plans, by=by)
    finally:
        if collecting:
            gc.enable()
    return rows, "、".join(keys) or None
