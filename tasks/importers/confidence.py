"""How far to trust an imported plan: what the office should check first.

:func:`confidence` summarises one imported document: tasks without a lead unit,
tasks whose units came from a list that names no roles (``财政部、海关总署负责``),
label-shaped words the importer did not recognise (``主办科室:``), tasks numbered
by the importer, and the import profile used.  The command line prints it
(``--confidence``), the import page shows it.

>>> from tasks.model import Plan, Task
>>> plan = Plan(tasks=[Task(id="1", lead_units=["市财政局"]), Task(id="2")],
...             used={"unlabelled_tasks": ["2"], "unknown_labels": ["主办科室"]})
>>> c = confidence(plan)
>>> c["tasks"], c["no_lead"], c["unlabelled"], c["unknown_labels"], c["level"]
(2, ['2'], ['2'], ['主办科室'], 'low')
>>> confidence_lines(plan)[0]
'识别可信度:低(2项任务中需核对1项)'
"""

from __future__ import annotations

from typing import Any

from ..model import Plan

__all__ = ["confidence", "confidence_lines", "LEVEL_CN", "SEGMENT_FIELDS", "source_segments"]

LEVEL_CN = {"high": "高", "medium": "中", "low": "低"}


def confidence(plan: Plan) -> dict[str, Any]:
    """The per-document confidence summary (JSON-ready).

    ``level`` is ``low`` when there are unknown labels or more than a fifth of the tasks need
    checking, ``medium`` when some do (or the importer numbered tasks), else ``high``.

    Parameters
    ----------
    plan
        An imported plan (its ``used`` notes what the importer did).

    Returns
    -------
    dict
        ``file, tasks, level, to_check, no_lead, unlabelled, unknown_labels, renumbered,
        first_leads_line, traditional, profile, warnings``.

    Examples
    --------
    >>> from tasks.model import Task
    >>> confidence(Plan(tasks=[Task(id="1", lead_units=["市财政局"])]))["level"]
    'high'
    """
    used = plan.used or {}
    n = len(plan.tasks)
    no_lead = [t.id for t in plan.tasks if not t.lead_units]
    unlabelled = [str(i) for i in used.get("unlabelled_tasks", [])]
    unknown = list(used.get("unknown_labels", []))
    renumbered = [str(i) for i in used.get("renumbered", [])]
    to_check = len(set(no_lead) | set(unlabelled))
    if unknown or (n and to_check / n > 0.2):
        level = "low"
    elif to_check or renumbered:
        level = "medium"
    else:
        level = "high"
    return {
        "file": plan.source_file,
        "tasks": n,
        "level": level,
        "to_check": to_check,
        "no_lead": no_lead,
        "unlabelled": unlabelled,
        "unknown_labels": unknown,
        "renumbered": renumbered,
        "first_leads_line": used.get("first_leads_line"),
        "traditional": bool(used.get("traditional")),
        "profile": used.get("profile") or "",
        "warnings": len(plan.warnings),
    }


def _ids(ids: list[str]) -> str:
    return "、".join(ids[:20]) + (f"等{len(ids)}项" if len(ids) > 20 else "")


def confidence_lines(plan: Plan) -> list[str]:
    """The summary as Chinese lines for the command line and the page.

    Parameters
    ----------
    plan
        An imported plan.

    Returns
    -------
    list of str
        The level first, then one line per kind of thing to check.

    Examples
    --------
    >>> from tasks.model import Task
    >>> confidence_lines(Plan(tasks=[Task(id="1"), Task(id="2", lead_units=["市财政局"])], used={"profile": "某县"}))
    ['识别可信度:低(2项任务中需核对1项)', '导入方案:某县', '没有牵头单位的任务:1']
    """
    c = confidence(plan)
    out = [f"识别可信度:{LEVEL_CN[c['level']]}({c['tasks']}项任务中需核对{c['to_check']}项)"]
    if c["profile"]:
        out.append(f"导入方案:{c['profile']}")
    if c["no_lead"]:
        out.append(f"没有牵头单位的任务:{_ids(c['no_lead'])}")
    if c["unlabelled"]:
        out.append(f"单位来自未标明牵头/责任的列表:{_ids(c['unlabelled'])}")
    if c["first_leads_line"]:
        out.append(f"文中第{c['first_leads_line']}行说明“排在第一位的为牵头单位”,此后未标明的列表以第一个单位为牵头")
    if c["unknown_labels"]:
        out.append(f"未识别的标签:{'、'.join(c['unknown_labels'])}(可在导入方案中指定其含义)")
    if c["renumbered"]:
        out.append(f"文中没有编号、由导入程序编号的任务:{_ids(c['renumbered'])}")
    if c["traditional"]:
        out.append("文档为繁体字,已按简体识别")
    return out


#: field → the highlight it gets where the page shows a task's source text
SEGMENT_FIELDS = ("title", "lead", "responsible", "persons", "deadline")


def source_segments(text: str, task: Any) -> list[tuple[str, str | None]]:
    """``text`` cut into pieces, each tagged with the field it was read into (None: not used).

    Longer values are placed first, each at its first free place in ``text``.

    Parameters
    ----------
    text
        The task's source text.
    task
        The task read from it (``title, lead_units, responsible_units, deadline_text``, optional ``persons``).

    Returns
    -------
    list of (str, str or None)
        Consecutive pieces covering ``text``, with a field of :data:`SEGMENT_FIELDS` or ``None``.

    Examples
    --------
    >>> from tasks.model import Task
    >>> t = Task(id="1", title="推行叫号", lead_units=["市数字办"], responsible_units=["各乡镇"],
    ...          deadline_text="2021年底前")
    >>> source_segments("1.推行叫号。(市数字办牵头,各乡镇负责,2021年底前完成)", t)[:4]
    [('1.', None), ('推行叫号', 'title'), ('。(', None), ('市数字办', 'lead')]
    """
    wanted: list[tuple[str, str]] = []
    for field, values in (
        ("lead", task.lead_units),
        ("responsible", task.responsible_units),
        ("persons", getattr(task, "persons", [])),
        ("deadline", [task.deadline_text]),
        ("title", [task.title]),
    ):
        wanted += [(v, field) for v in values if v]
    tags: list[str | None] = [None] * len(text)
    for value, field in sorted(wanted, key=lambda x: -len(x[0])):
        start = text.find(value)
        while start >= 0:
            span = range(start, start + len(value))
            if all(tags[k] is None for k in span):
                for k in span:
                    tags[k] = field
                break
            start = text.find(value, start + 1)
    out: list[tuple[str, str | None]] = []
    for ch, tag in zip(text, tags):
        if out and out[-1][1] == tag:
            out[-1] = (out[-1][0] + ch, tag)
        else:
            out.append((ch, tag))
    return out
