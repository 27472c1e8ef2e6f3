"""Views of a plan for display: one unit's share of it, and short plan names for table columns.

>>> from tasks import Plan, Task
>>> plan = Plan(title="示例", tasks=[Task(id="1", title="甲", lead_units=["市财政局"]),
...                                  Task(id="2", title="乙", responsible_units=["市税务局"])])
>>> [t.id for t in unit_view(plan, "市税务局").tasks], len(plan.tasks)
(['2'], 2)
"""

from __future__ import annotations

import copy
import re

from .model import Plan, Task

__all__ = ["short_plan_names", "unit_tasks", "unit_view"]

_PLAN_SUFFIXES = ("任务分解表", "任务清单", "工作方案", "实施方案", "行动方案", "方案")


def unit_tasks(tasks: list[Task], unit: str) -> list[Task]:
    """The tasks ``unit`` leads or takes part in (canonical names where the alias table gave them).

    Parameters
    ----------
    tasks
        Tasks of one or more plans.
    unit
        A unit name as stored (e.g. a unit account's unit).

    Returns
    -------
    list of Task
        Those of ``tasks`` that name ``unit`` as lead or responsible unit, in their order.

    Examples
    --------
    >>> tasks = [Task(id="1", title="甲", lead_units=["市财政局"]),
    ...          Task(id="2", title="乙", responsible_units=["市财政局", "市税务局"])]
    >>> [t.id for t in unit_tasks(tasks, "市财政局")], [t.id for t in unit_tasks(tasks, "市公安局")]
    (['1', '2'], [])
    """

    def mine(t: Task) -> bool:
        return unit in (t.lead_units_canonical or t.lead_units) or unit in (
            t.responsible_units_canonical or t.responsible_units
        )

    return [t for t in tasks if mine(t)]


def unit_view(plan: Plan, unit: str) -> Plan:
    """A shallow copy of ``plan`` holding only the tasks of ``unit`` (``plan`` itself is unchanged).

    Parameters
    ----------
    plan
        The whole plan.
    unit
        The unit whose share is wanted.

    Returns
    -------
    Plan
        Same title, source and warnings; ``tasks`` filtered with :func:`unit_tasks`.

    Examples
    --------
    >>> plan = Plan(title="示例", tasks=[Task(id="1", title="甲", lead_units=["市财政局"])])
    >>> view = unit_view(plan, "市税务局")
    >>> view.title, view.tasks, len(plan.tasks)
    ('示例', [], 1)
    """
    out = copy.copy(plan)
    out.tasks = unit_tasks(plan.tasks, unit)
    return out


def short_plan_names(titles: list[str], limit: int = 12) -> dict[str, str]:
    """Full plan title → a short name for a table column.

    The quoted theme if the title has one, else the title without its document-type suffix, cut to
    ``limit`` characters. Names stay distinct: where two titles would shorten alike, both keep their
    full title.

    Parameters
    ----------
    titles
        Plan titles.
    limit
        Longest short name, in characters (a cut name ends with ``…``).

    Returns
    -------
    dict
        Title → short name.

    Examples
    --------
    >>> short_plan_names(["耒阳市2021年优化营商环境“政务服务便利化”攻坚行动方案任务分解表"])
    {'耒阳市2021年优化营商环境“政务服务便利化”攻坚行动方案任务分解表': '政务服务便利化'}
    >>> short_plan_names(["甲市“一网通办”方案", "乙市“一网通办”方案"])
    {'甲市“一网通办”方案': '甲市“一网通办”方案', '乙市“一网通办”方案': '乙市“一网通办”方案'}
    """

    def short(title: str) -> str:
        quoted = re.search(r'[“"]([^”"]{2,20})[”"]', title)
        if quoted:
            return quoted.group(1)
        name = title
        for suffix in _PLAN_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                name = name[: -len(suffix)]
                break
        return name if len(name) <= limit else name[: limit - 1] + "…"

    names = {t: short(t) for t in titles}
    counts: dict[str, int] = {}
    for n in names.values():
        counts[n] = counts.get(n, 0) + 1
    return {t: (n if counts[n] == 1 else t) for t, n in names.items()}
