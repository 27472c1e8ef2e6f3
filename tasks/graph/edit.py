"""Setting a task's predecessors from the dashboard, checked before anything is saved.

:func:`check_predecessors` says what a new predecessor list would cause,
without touching the plan; :func:`set_predecessors` applies it only when
nothing blocks (unknown ids, a loop).  Inversions are warnings: the office may
keep them knowingly.

>>> from tasks.model import Plan, Task
>>> from datetime import date
>>> plan = Plan(tasks=[Task("5", deadline=date(2021, 9, 30)), Task("7", deadline=date(2021, 8, 31),
...                                                                 predecessors=["5"])])
>>> [p["kind"] for p in check_predecessors(plan, "5", ["7"])]
['cycle']
>>> plan.task("5").predecessors
[]
"""

from __future__ import annotations

import copy
from typing import Any

from ..model import Plan
from .analysis import deadline_inversions
from .build import build_graph
from .errors import BadPredecessorText, CycleError, UnknownPredecessor
from .predecessors import PredecessorLink, parse_predecessor_text

BLOCKING = ("unknown", "cycle", "text")


def check_predecessors(plan: Plan, task_id: str, predecessors: list[str] | str) -> list[dict[str, Any]]:
    """Problems a new predecessor list for ``task_id`` would cause: dicts with ``kind`` and ``message``.

    ``kind`` is ``text`` (unreadable), ``unknown`` (no such task), ``cycle``
    (``loop`` holds the ids) or ``inversion`` (``days`` the task would be due
    before that predecessor).  An empty list means it can be saved as is.

    Parameters
    ----------
    plan : Plan
        The plan (left unchanged).
    task_id : str
        The task edited.
    predecessors : list of str or str
        Its new predecessors: ids, or 前置任务 text (``3-5、7``).

    Returns
    -------
    list of dict
        The problems; unreadable text, unknown ids and loops are reported here, not raised.

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.model import Task
    >>> plan = Plan(tasks=[Task("5", deadline=date(2021, 9, 30)), Task("7", deadline=date(2021, 8, 31))])
    >>> [p["message"] for p in check_predecessors(plan, "7", "5")]
    ['任务7的完成时限(2021-08-31)比前置任务5(2021-09-30)早30天']
    >>> [p["kind"] for p in check_predecessors(plan, "7", "见上")]
    ['text']
    """
    try:
        ids = (
            parse_predecessor_text(predecessors)
            if isinstance(predecessors, str)
            else [i for p in predecessors for i in parse_predecessor_text(p)]
        )
    except BadPredecessorText as err:
        return [{"kind": "text", "message": str(err)}]
    trial = copy.deepcopy(plan)
    try:
        trial.task(task_id).predecessors = list(dict.fromkeys(ids))
    except KeyError:
        return [{"kind": "unknown", "task": task_id, "message": f"任务“{task_id}”不存在"}]
    for t in trial.tasks:  # the dashboard edits one task; leave the others' messages out
        t.source.file = t.source.file or "方案"
    try:
        g = build_graph(trial)
    except UnknownPredecessor as err:
        return [{"kind": "unknown", "task": err.task_id, "message": f"前置任务“{err.task_id}”不存在"}]
    except CycleError as err:
        return [
            {
                "kind": "cycle",
                "loop": err.loop,
                "message": f"会形成循环依赖:{' → '.join(err.loop)},请去掉其中一条前置关系",
            }
        ]
    return [
        {
            "kind": "inversion",
            "predecessor": inv["predecessor"],
            "days": inv["days"],
            "message": f"任务{task_id}的完成时限({inv['task_due']})比前置任务{inv['predecessor']}"
            f"({inv['predecessor_due']})早{inv['days']}天",
        }
        for inv in deadline_inversions(g)
        if inv["task"] == task_id
    ]


def set_predecessors(plan: Plan, task_id: str, predecessors: list[str] | str) -> list[dict[str, Any]]:
    """Check, then save into ``plan`` unless a problem blocks; returns the problems either way.

    The plan is changed only when no problem has a kind in :data:`BLOCKING`.

    Parameters
    ----------
    plan : Plan
        The plan, changed in place when nothing blocks.
    task_id : str
        The task edited.
    predecessors : list of str or str
        Its new predecessors: ids, or 前置任务 text.

    Returns
    -------
    list of dict
        The problems, as :func:`check_predecessors` gives them.

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.model import Task
    >>> plan = Plan(tasks=[Task("5", deadline=date(2021, 9, 30)), Task("7", deadline=date(2021, 8, 31))])
    >>> [p["kind"] for p in set_predecessors(plan, "7", ["5"])], plan.task("7").predecessors
    (['inversion'], ['5'])
    >>> [p["message"] for p in set_predecessors(plan, "7", "9")], plan.task("7").predecessors
    (['前置任务“9”不存在'], ['5'])
    """
    problems = check_predecessors(plan, task_id, predecessors)
    if not any(p["kind"] in BLOCKING for p in problems):
        ids = (
            parse_predecessor_text(predecessors)
            if isinstance(predecessors, str)
            else [i for p in predecessors for i in parse_predecessor_text(p)]
        )
        plan.task(task_id).predecessors = list(dict.fromkeys(ids))
    return problems


def review_changes(plan: Plan, changes: dict[str, str]) -> tuple[Plan, list[str], list[str]]:
    """Apply ``changes`` (task id → predecessor text) to a copy of ``plan`` with the checks above.

    Returns the trial plan, the blocking messages (unknown id, loop, unreadable
    text) and the warnings (deadline inversions), each prefixed with its task,
    so an editor can show them all before saving.  ``plan`` is never touched.

    Parameters
    ----------
    plan : Plan
        The plan (left unchanged).
    changes : dict of str to str
        Task id → its new 前置任务 text.

    Returns
    -------
    tuple of (Plan, list of str, list of str)
        The trial plan, the blocking messages and the warnings.

    Examples
    --------
    >>> from tasks.model import Plan, Task
    >>> plan = Plan(tasks=[Task("1"), Task("2", predecessors=["1"])])
    >>> trial, blocking, warnings = review_changes(plan, {"1": "2"})
    >>> blocking
    ['任务1:会形成循环依赖:1 → 2 → 1,请去掉其中一条前置关系']
    >>> plan.task("1").predecessors
    []
    """
    trial = copy.deepcopy(plan)
    blocking: list[str] = []
    warnings: list[str] = []
    for tid, text in changes.items():
        for p in set_predecessors(trial, tid, text):
            (blocking if p["kind"] in BLOCKING else warnings).append(f"任务{tid}:{p['message']}")
    return trial, blocking, warnings


def with_links(plan: Plan, links: list[PredecessorLink]) -> Plan:
    """A copy of ``plan`` whose ``Task.predecessors`` also hold ``links`` (e.g. a predecessors file).

    Checked first: an unknown id or a loop raises the same errors as
    :func:`~tasks.graph.build.build_graph`, naming the row, and nothing is
    returned.  Use it to keep file links with the plan (store, workbook export).

    Parameters
    ----------
    plan : Plan
        The plan (left unchanged).
    links : list of PredecessorLink
        The links to add.

    Returns
    -------
    Plan
        The copy with the links.

    Raises
    ------
    UnknownPredecessor
        When a link names a task the plan lacks (``p.csv 第2行: 前置任务“9”不存在``).
    CycleError
        When the links loop.

    Examples
    --------
    >>> from tasks.model import Task
    >>> plan = Plan(tasks=[Task("1"), Task("2")])
    >>> with_links(plan, [PredecessorLink("2", "1", "p.csv 第2行")]).task("2").predecessors, plan.task("2").predecessors
    (['1'], [])
    >>> with_links(plan, [PredecessorLink("2", "9", "p.csv 第2行")])
    Traceback (most recent call last):
    ...
    tasks.graph.errors.UnknownPredecessor: p.csv 第2行: 前置任务“9”不存在
    """
    build_graph(plan, links)
    merged = copy.deepcopy(plan)
    for link in links:
        t = merged.task(link.task)
        if link.predecessor not in t.predecessors:
            t.predecessors.append(link.predecessor)
    return merged
