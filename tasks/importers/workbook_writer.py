"""Writing a :class:`~tasks.model.Plan` as a real-looking task-breakdown workbook.

The sheet looks like the tables offices circulate: a merged title row, the
header 序号/工作要点/主要任务/牵头部门/责任部门/完成时限 (plus 前置任务 when
any task has predecessors), merged section rows (``一、…``), wrapped
multi-line cells and a closing ``注:`` row, optionally followed by a 说明
sheet.  Used to ship the bundled plan and to build test fixtures; reading the
file back with :func:`tasks.importers.load_plan` gives the same tasks.

>>> from tasks.model import Plan, Task
>>> plan = Plan(title="示例任务分解表", tasks=[Task(id="1", title="简政放权", lead_units=["市审改办"],
...             deadline_text="2021年底前")])
>>> write_plan_workbook(plan, "/tmp/plan.xlsx")   # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from core.safe_export import save_workbook

from ..model import Plan, Task

HEADER = ["序号", "工作要点", "主要任务", "牵头部门", "责任部门", "完成时限"]
WIDTHS = [6, 24, 60, 22, 26, 14, 10]
DEFAULT_NOTE = "注:“牵头部门”负总责,“责任部门”按职责分工配合;完成时限为最迟时间,能提前的要提前完成。"
DEFAULT_README = [
    "填表说明",
    "1. 本表由领导小组办公室统一制发,请勿改动“序号”“工作要点”等列。",
    "2. 单位之间用顿号“、”分隔;完成时限写为“2021年8月底前”“2021年底前”或“长期坚持”。",
    "3. 前置任务填写任务序号,多个用顿号分隔,如“3、5”。",
]


def _deadline_cell(task: Task) -> str:
    if task.deadline_text:
        return task.deadline_text
    return task.deadline.isoformat() if task.deadline else ""


def write_plan_workbook(
    plan: Plan,
    path: str | Path,
    *,
    sheet_title: str = "任务分解表",
    note: str | None = DEFAULT_NOTE,
    readme: list[str] | None = None,
    unit_separator: str = "、",
) -> Path:
    """Write ``plan`` to ``path`` (xlsx) and return the path.

    ``readme`` adds a second sheet “说明” with one line per row (``None`` leaves it
    out; pass :data:`DEFAULT_README` for the standard text).

    Parameters
    ----------
    plan
        The plan to write; tasks are grouped under their ``section`` rows.
    path
        The xlsx file (created or replaced).
    sheet_title
        The table sheet's tab name.
    note
        The closing ``注:`` row (``None`` leaves it out).
    readme
        Lines of a second sheet “说明”.
    unit_separator
        Joins several units in one cell.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    OSError
        The file cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> from tasks.importers import load_plan
    >>> from tasks.model import Plan, Task
    >>> plan = Plan(title="示例任务分解表", tasks=[Task(id="1", title="简政放权", lead_units=["市审改办"],
    ...             deadline_text="2021年底前")])
    >>> path = write_plan_workbook(plan, Path(tempfile.mkdtemp()) / "plan.xlsx", readme=DEFAULT_README)
    >>> back = load_plan(path)
    >>> [(t.id, t.title, t.lead_units, t.deadline.isoformat()) for t in back.tasks]
    [('1', '简政放权', ['市审改办'], '2021-12-31')]
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    with_preds = any(t.predecessors for t in plan.tasks)
    header = HEADER + (["前置任务"] if with_preds else [])
    ncol = len(header)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")

    ws.cell(1, 1, plan.title or "任务分解表").font = Font(name="方正小标宋简体", size=16, bold=True)
    ws.cell(1, 1).alignment = centre
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.row_dimensions[1].height = 40
    for c, label in enumerate(header, start=1):
        cell = ws.cell(2, c, label)
        cell.font = Font(name="黑体", bold=True)
        cell.alignment = centre
        cell.border = border
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
    for c, width in enumerate(WIDTHS[:ncol], start=1):
        ws.column_dimensions[chr(64 + c)].width = width
    ws.freeze_panes = "A3"

    r = 3
    section = None
    for t in plan.tasks:
        if t.section and t.section != section:
            section = t.section
            ws.cell(r, 1, section).font = Font(name="黑体", bold=True)
            ws.cell(r, 1).alignment = Alignment(vertical="center")
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
            r += 1
        values = [
            int(t.id) if t.id.isdigit() else t.id,
            t.title,
            t.description,
            unit_separator.join(t.lead_units),
            unit_separator.join(t.responsible_units),
            _deadline_cell(t),
        ]
        if with_preds:
            values.append("、".join(t.predecessors))
        for c, v in enumerate(values, start=1):
            cell = ws.cell(r, c, v if v != "" else None)
            cell.alignment = centre if c in (1, 6, 7) else wrap
            cell.border = border
        r += 1
    if note:
        ws.cell(r, 1, note).alignment = wrap
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
        ws.row_dimensions[r].height = 30
    if readme:
        info = wb.create_sheet("说明")
        for i, line in enumerate(readme, start=1):
            info.cell(i, 1, line)
        info.column_dimensions["A"].width = 90
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    save_workbook(wb, out)
    return out
