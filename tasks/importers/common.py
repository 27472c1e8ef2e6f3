"""Building a :class:`~tasks.model.Task` from raw cell text, shared by every importer."""

from __future__ import annotations

import re
from functools import lru_cache

from ..deadlines import parse_deadline
from ..errors import ImportFailed
from ..model import Plan, Source, Task
from ..units import AliasTable, is_collective, split_units

__all__ = [
    "MAX_TITLE",
    "MAX_DESCRIPTION",
    "clean_text",
    "make_task",
    "apply_aliases",
    "reread_rows",
    "simplified",
    "traditional_share",
]

#: longest task title / description an import accepts (characters); a spreadsheet cell holds 32,767
MAX_TITLE = 1000
MAX_DESCRIPTION = 20000


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def _char_t2s(ch: str) -> str:
    out = _t2s().convert(ch)
    return out if len(out) == 1 else ch


def simplified(text: str) -> str:
    """``text`` with traditional characters replaced one for one by simplified ones (same length,
    so positions in both texts match).

    Parameters
    ----------
    text
        Any text.

    Returns
    -------
    str
        Of the same length; characters with no one-character simplified form are kept.

    Examples
    --------
    >>> simplified("牽頭單位:市財政局;按職責分工負責,6月底完成")
    '牵头单位:市财政局;按职责分工负责,6月底完成'
    """
    if text.isascii():
        return text
    return "".join(_char_t2s(c) if c > "\u2fff" else c for c in text)


def traditional_share(text: str, sample: int = 20000) -> float:
    """Share of the CJK characters of ``text`` (its first ``sample``) that are traditional forms.

    Parameters
    ----------
    text
        Any text.
    sample
        How many leading characters to look at.

    Returns
    -------
    float
        From 0 to 1; 0 when there are no CJK characters.

    Examples
    --------
    >>> traditional_share("牽頭單位") > 0.5, traditional_share("牵头单位")
    (True, 0.0)
    """
    cjk = [c for c in text[:sample] if "\u4e00" <= c <= "\u9fff"]
    if not cjk:
        return 0.0
    return sum(1 for c in cjk if _char_t2s(c) != c) / len(cjk)


def clean_text(value: object) -> str:
    """Cell text with line breaks and runs of spaces folded (Chinese text has no spaces).

    Parameters
    ----------
    value
        A cell's value (``None`` gives ``""``).

    Returns
    -------
    str
        One line: a break inside Chinese prose is dropped, any other becomes one space.

    Examples
    --------
    >>> clean_text("推进\\n简政放权"), clean_text("  Step 1\\nStep 2 "), clean_text(None)
    ('推进简政放权', 'Step 1 Step 2', '')
    """
    if value is None:
        return ""
    s = str(value).replace("\r", "\n")
    s = re.sub(r"[ \t\u3000\xa0]*\n[ \t\u3000\xa0]*", "\n", s).strip()
    # a line break inside Chinese prose is layout, not content
    s = re.sub(r"(?<=[^\x00-\x7f,;:.!?])\n(?=[^\x00-\x7f])", "", s)
    s = re.sub(r"(?<=[,;:.!?])\n(?=[^\x00-\x7f])", "", s)
    return re.sub(r"[ \t\u3000\xa0]+", " ", s.replace("\n", " ")).strip()


def make_task(
    task_id: str,
    *,
    title: object = "",
    description: object = "",
    section: str = "",
    lead: object = "",
    responsible: object = "",
    deadline: object = None,
    predecessors: list[str] | None = None,
    source: Source | None = None,
    plan_year: int | None = None,
    persons: object = "",
) -> Task:
    """A task from raw cells: units split, deadline parsed, warnings collected.

    A title longer than :data:`MAX_TITLE` or a description longer than
    :data:`MAX_DESCRIPTION` characters is refused with :class:`ImportFailed`
    naming the task and where it is (nothing is imported).

    Parameters
    ----------
    task_id
        The task's number.
    title, description, section
        The task's text cells.
    lead, responsible
        Unit cells (split with :func:`tasks.units.split_units`).
    deadline
        A deadline cell (text or date), parsed with :func:`tasks.deadlines.parse_deadline`.
    predecessors
        Predecessor task numbers.
    source
        Where the row is (file, sheet, row).
    plan_year
        The year a deadline without one falls in.
    persons
        Responsible persons, separated by ``、 , ;`` or line breaks.

    Returns
    -------
    Task
        With ``warnings`` for an unreadable deadline or a missing lead unit.

    Raises
    ------
    ImportFailed
        The title or description is over its limit.

    Examples
    --------
    >>> make_task("2", title="清单管理", deadline="下周").warnings  # doctest: +ELLIPSIS
    ['任务2:...', '任务2:没有牵头单位']
    >>> t = make_task("1", title="简政放权", lead="市审改办、市政务服务中心", deadline="2021年底前")
    >>> t.lead_units, t.deadline.isoformat()
    (['市审改办', '市政务服务中心'], '2021-12-31')
    """
    src = source or Source()
    for what, value, limit in (("任务名称", title, MAX_TITLE), ("具体内容", description, MAX_DESCRIPTION)):
        length = len(str(value)) if value is not None else 0
        if length > limit:
            raise ImportFailed(
                f"{what}有{length:,}字,超过上限{limit:,}字(可能是误把整段或整篇文字放进了一格),"
                "请拆分或删减后再导入;未导入任何任务",
                file=src.file,
                sheet=src.sheet,
                row=src.row,
                column=what,
                task=str(task_id),
            )
    d = parse_deadline(deadline, plan_year)
    task = Task(
        id=str(task_id),
        title=clean_text(title),
        description=clean_text(description),
        section=section,
        lead_units=split_units(lead),
        responsible_units=split_units(responsible),
        deadline=d.deadline,
        deadline_text=d.text,
        deadline_kind=d.kind,
        milestones=d.milestones,
        predecessors=list(predecessors or []),
        source=src,
        persons=[re.sub(r"\s+", "", p) for p in re.split(r"[、,，;；\n]", str(persons or "")) if p.strip()],
    )
    if d.warning:
        task.warnings.append(f"任务{task.id}:{d.warning}")
    if not task.lead_units:
        task.warnings.append(f"任务{task.id}:没有牵头单位")
    return task


def apply_aliases(task: Task, aliases: AliasTable) -> Task:
    """Fill the canonical-name and collective-unit fields (names as written stay as they are).

    Parameters
    ----------
    task
        The task (changed in place).
    aliases
        The unit alias table; names are simplified (traditional → simplified) before lookup.

    Returns
    -------
    Task
        ``task`` itself.

    Examples
    --------
    >>> table = AliasTable({"市行政服务中心": "市政务服务中心"})
    >>> t = apply_aliases(make_task("1", title="甲", lead="市行政服务中心、各乡镇"), table)
    >>> t.lead_units, t.lead_units_canonical, t.collective_units
    (['市行政服务中心', '各乡镇'], ['市政务服务中心', '各乡镇'], ['各乡镇'])
    """
    task.lead_units_canonical = [aliases.canonical(simplified(u)) for u in task.lead_units]
    task.responsible_units_canonical = [aliases.canonical(simplified(u)) for u in task.responsible_units]
    task.collective_units = [u for u in task.units if is_collective(u)]
    return task


def reread_rows(plan: Plan, edits: dict[int, dict[str, object]], aliases: AliasTable | None = None) -> Plan:
    """A copy of ``plan`` whose edited rows are read again by the import's own cell rules.

    ``edits`` maps a row index to its new cells (``id``, ``title``, ``description``,
    ``section``, ``lead``, ``responsible``, ``deadline``, ``predecessors`` text), as
    a reviewer corrects them before committing: units are split, the deadline parsed,
    warnings collected again; the row keeps its source.  ``plan`` is not changed.

    Parameters
    ----------
    plan
        The plan as imported.
    edits
        Row index (position in ``plan.tasks``) → the row's corrected cells.
    aliases
        The unit alias table; default the shipped one.

    Returns
    -------
    Plan
        A deep copy with the edited rows rebuilt and the task warnings collected again.

    Raises
    ------
    ImportFailed
        An edited title or description is longer than the import accepts (naming the task and its
        place in the file).

    Examples
    --------
    >>> plan = Plan(tasks=[make_task("1", title="甲", lead="市审改办", deadline="2021年底前")],
    ...             used={"plan_year": 2021})
    >>> fixed = reread_rows(plan, {0: {"id": "1", "title": "甲", "lead": "市审改办、市政务服务中心",
    ...                                "deadline": "9月底前", "predecessors": ""}})
    >>> fixed.tasks[0].lead_units, fixed.tasks[0].deadline.isoformat(), plan.tasks[0].lead_units
    (['市审改办', '市政务服务中心'], '2021-09-30', ['市审改办'])
    """
    import copy

    from ..graph import parse_predecessor_text

    fixed = copy.deepcopy(plan)
    year = plan.date.year if plan.date else plan.used.get("plan_year")
    aliases = aliases or AliasTable.load()
    for i, row in edits.items():
        t = make_task(
            str(row.get("id", "")).strip(),
            title=row.get("title", ""),
            description=row.get("description", ""),
            section=str(row.get("section") or ""),
            lead=row.get("lead", ""),
            responsible=row.get("responsible", ""),
            deadline=row.get("deadline") or None,
            predecessors=parse_predecessor_text(row.get("predecessors") or ""),
            source=fixed.tasks[i].source,
            plan_year=year,
        )
        fixed.tasks[i] = apply_aliases(t, aliases)
    fixed.warnings = [w for w in plan.warnings if not w.startswith("任务")] + [
        w for t in fixed.tasks for w in t.warnings
    ]
    return fixed
