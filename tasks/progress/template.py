"""Per-unit progress templates (xlsx): locked task columns, drop-downs, an instruction sheet.

The unit, period and plan are in the header and in a hidden sheet ``_meta``
(named cells ``WB_UNIT``, ``WB_PERIOD``, ``WB_PLAN``) so an upload knows
which template it is.

基层减负: the template lists only the tasks still open for the unit (closed ones are left out), a
returned claim shows the office's reason, and each row is **prefilled** with the unit's last
status and percent (from the kept latest report).  The prefilled values are also written to the
hidden ``_meta`` sheet (``prefill:<task>``), so an upload can tell a row the unit left as it was
from one it edited: a row still showing exactly the prefilled status and percent, with no
progress text, problems, next steps, evidence or report date typed in, is *not* a report for the
period — it is listed back as 沿用上期未更新 (like a blank row is listed as 未填写), and the unit
re-confirms an unchanged state by writing a line in 进展情况 (e.g. 本期无新进展) or a 填报日期.
The rule is explained to the unit in the 填报说明 sheet.

>>> data = template_bytes(store, "市政务服务中心", "2021-09")   # doctest: +SKIP
>>> zip_bytes = all_templates_zip(store, "2021-09")               # doctest: +SKIP
"""

from __future__ import annotations

import io
import zipfile
from copy import copy
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from core.safe_export import safe_filename, save_workbook

from .. import labels
from ..store import StoreError, StoreLike, parse_period, raw_store
from .safe import safe_text

__all__ = [
    "TEMPLATE_MARK",
    "TEMPLATE_VERSION",
    "PREFILL_PREFIX",
    "DATA_SHEET",
    "HELP_SHEET",
    "META_SHEET",
    "STATUS_CHOICES",
    "COLUMNS",
    "FIRST_DATA_ROW",
    "FIELDS",
    "unit_tasks",
    "last_reports",
    "prefill_values",
    "prefill_from_meta",
    "is_unchanged",
    "build_template",
    "template_bytes",
    "fill_template",
    "template_filename",
    "write_template",
    "all_templates_zip",
]

TEMPLATE_MARK = "workbench-progress-template"
TEMPLATE_VERSION = 2  # 2: rows prefilled with the last status and percent (``prefill:`` rows in _meta)
PREFILL_PREFIX = "prefill:"
DATA_SHEET, HELP_SHEET, META_SHEET = "进度填报", "填报说明", "_meta"
STATUS_CHOICES = ("未启动", "推进中", "已完成", "滞后", "暂缓")
ROLE_NAMES = labels.UNIT_ROLE
#: template columns: (header, width, input?)
COLUMNS = [
    ("任务编号", 9, False),
    ("工作要点", 36, False),
    ("完成时限", 16, False),
    ("本单位角色", 10, False),
    ("状态", 10, True),
    ("完成进度(%)", 11, True),
    ("进展情况", 40, True),
    ("存在问题", 28, True),
    ("下步计划", 28, True),
    ("佐证材料", 20, True),
    ("填报日期", 12, True),
]
HEADER_ROW, FIRST_DATA_ROW = 3, 4
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
_HEAD_FILL = PatternFill("solid", fgColor="1F4E78")
_INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")
_DATA_ALIGN = Alignment(vertical="top", wrap_text=True)
_DATA_FONT = Font(name="宋体", size=10)
_UNLOCKED = Protection(locked=False)


def unit_tasks(store: StoreLike, unit: str, plan: str | None = None, tasks: list | None = None) -> list[tuple]:
    """(task, role) pairs of a unit's live tasks in plan order (``tasks``: the plan's tasks, already read)."""
    out = [(t, t.role_of(unit)) for t in (store.tasks(plan, unit=unit) if tasks is None else tasks)]
    return [(t, r) for t, r in out if r]


def _open_rows(store: StoreLike, unit: str, plan_key: str, rows: list[tuple]) -> tuple[list[tuple], dict[str, str]]:
    """基层减负: drop the tasks closed (已办结) for this unit; the office's reason for each returned claim."""
    from .lifecycle import CLOSED, IN_PROGRESS, lifecycles

    lcs = lifecycles(raw_store(store), plan_key, tasks=[t for t, _r in rows])
    keep, notes = [], {}
    for t, role in rows:
        lc = lcs[t.pk]
        mine = lc.units.get(unit)
        if (mine is not None and mine.state == CLOSED) or lc.state == CLOSED:
            continue
        if mine is not None and mine.state == IN_PROGRESS and mine.returned_note:
            notes[t.id] = mine.returned_note
        keep.append((t, role))
    return keep, notes


#: a unit's last (status, percent) per task pk, from the kept latest reports
Prefill = dict[int, tuple[str, float]]


def last_reports(store: StoreLike, plan_key: str, unit: str | None = None) -> dict[str, Prefill]:
    """unit → task pk → its last reported (status, percent) in the plan (``unit``: only that unit's).

    Read from the kept latest report of each unit on each task (:func:`tasks.store.kept.latest_reports`).
    """
    from ..store.kept import latest_reports

    out: dict[str, Prefill] = {}
    for r in latest_reports(store, plan=plan_key):
        if unit is None or r.unit == unit:
            out.setdefault(r.unit, {})[r.task_pk] = (r.status, float(r.percent))
    return out


def prefill_values(last: tuple[str, float] | None, returned: bool = False) -> tuple[str, float] | None:
    """What a row is prefilled with: the last status and percent; a claim the office returned is not
    done, so a last 已完成 shows as 推进中 (the percent is kept).

    >>> prefill_values(("推进中", 40.0)), prefill_values(("已完成", 100.0), returned=True), prefill_values(None)
    (('推进中', 40.0), ('推进中', 100.0), None)
    """
    if last is None:
        return None
    status, percent = last
    if returned and status == "已完成":
        status = "推进中"
    return status, float(percent)


def prefill_from_meta(meta: dict[str, str]) -> dict[str, tuple[str, float]]:
    """task id → the (status, percent) a template row was prefilled with, read back from ``_meta``.

    >>> prefill_from_meta({"unit": "甲", "prefill:3": "推进中|40", "prefill:x": "坏"})
    {'3': ('推进中', 40.0)}
    """
    out = {}
    for k, v in meta.items():
        if not k.startswith(PREFILL_PREFIX) or "|" not in str(v):
            continue
        status, _sep, pct = str(v).rpartition("|")
        try:
            out[k[len(PREFILL_PREFIX) :]] = (status, float(pct))
        except ValueError:
            continue
    return out


def is_unchanged(prefill: tuple[str, float] | None, status: str, percent: float | None, typed: list[str]) -> bool:
    """A prefilled row the unit left as it was: same status and percent and nothing else typed in
    (no progress, problems, next steps, evidence or report date).  Such a row is not a report.

    >>> is_unchanged(("推进中", 40.0), "推进中", 40.0, ["", ""])
    True
    >>> is_unchanged(("推进中", 40.0), "推进中", 40.0, ["本期无新进展"])  # re-confirmed in 进展情况
    False
    >>> is_unchanged(("推进中", 40.0), "推进中", 60.0, []), is_unchanged(None, "推进中", 40.0, [])
    (False, False)
    """
    if prefill is None or any(str(t).strip() for t in typed):
        return False
    return status == prefill[0] and percent is not None and abs(percent - prefill[1]) < 1e-9


def build_template(
    store: StoreLike,
    unit: str,
    period: str,
    plan: str | None = None,
    *,
    tasks: list | None = None,
    last: Prefill | None = None,
) -> Workbook:
    """The template workbook for one unit and reporting month (``tasks``: the plan's tasks, if already
    read; ``last``: the unit's :func:`last_reports`, if already read).

    Parameters
    ----------
    store : StoreLike
        The store holding the plan.
    unit : str
        The reporting unit.
    period : str
        The reporting month (``2021-09``).
    plan : str, optional
        The plan key; default the unit's only plan.
    tasks : list of StoredTask, optional
        The plan's tasks, if already read (``plan`` must then be given).
    last : dict, optional
        The unit's :func:`last_reports` (task pk → status and percent), if already read.

    Returns
    -------
    openpyxl.Workbook
        The data sheet (one row per open task of the unit, locked columns grey), the help sheet and
        the hidden ``_meta`` sheet.

    Raises
    ------
    StoreError
        When the plan is not in the store (``库中没有计划“…”``), the unit has no lead or responsible task
        in it (``单位“…”在计划“…”中没有牵头或责任任务,无法生成填报模板``) or all its tasks are closed.
    BadPeriod
        When ``period`` is not a month (``无法识别的报告期“…”``).

    Examples
    --------
    >>> from tasks.store import Store
    >>> from tasks.model import Plan, Task
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(Plan("示例", tasks=[Task("1", "任务", lead_units=["市财政局"])]), actor="doc")
    >>> build_template(store, "市财政局", "2021-09").sheetnames
    ['进度填报', '填报说明', '_meta']
    >>> build_template(store, "市气象局", "2021-09")
    Traceback (most recent call last):
    ...
    tasks.store.repo.StoreError: 单位“市气象局”在计划“示例”中没有牵头或责任任务,无法生成填报模板
    """
    p = parse_period(period, "month")
    plan_key = plan if plan and tasks is not None else store.plan_key(plan, unit=unit)
    rows = unit_tasks(store, unit, plan_key, tasks)
    if not rows:
        raise StoreError(f"单位“{unit}”在计划“{plan_key}”中没有牵头或责任任务,无法生成填报模板")
    rows, notes = _open_rows(store, unit, plan_key, rows)
    if not rows:
        raise StoreError(f"单位“{unit}”在计划“{plan_key}”中的任务均已办结(销号),本期无需填报")
    if last is None:
        last = last_reports(store, plan_key, unit).get(unit, {})
    prefill = {t.id: prefill_values(last.get(t.pk), t.id in notes) for t, _r in rows}
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ncol = len(COLUMNS)
    last_col = chr(ord("A") + ncol - 1)
    ws.merge_cells(f"A1:{last_col}1")
    ws["A1"] = safe_text(f"{plan_key} 任务进展填报表({p.label()})")
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    header = [
        ("A2", "填报单位:"),
        ("B2", safe_text(unit)),
        ("D2", "报告期:"),
        ("E2", p.key),
        ("F2", "填报人:"),
        ("H2", "联系电话:"),
    ]
    for ref, v in header:
        ws[ref] = v
        ws[ref].font = Font(name="宋体", size=11, bold=ref in ("A2", "D2", "F2", "H2"))
    ws.merge_cells("B2:C2")
    for ref in ("G2", "I2"):
        ws[ref].protection = Protection(locked=False)
        ws[ref].border = _BORDER
    for j, (name, width, _inp) in enumerate(COLUMNS, 1):
        c = ws.cell(HEADER_ROW, j, name)
        c.font = Font(name="宋体", bold=True, color="FFFFFF")
        c.fill = _HEAD_FILL
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.border = _BORDER
        ws.column_dimensions[c.column_letter].width = width
    # style the first data row, then copy its style ids to the other rows: setting
    # openpyxl style objects cell by cell costs ~0.1 s per template (hashing)
    for j, (_name, _w, inp) in enumerate(COLUMNS, 1):
        c = ws.cell(FIRST_DATA_ROW, j)
        c.border = _BORDER
        c.alignment = _DATA_ALIGN
        c.font = _DATA_FONT
        if inp:
            c.protection = _UNLOCKED
            c.fill = _INPUT_FILL
        else:
            c.fill = _LOCKED_FILL
    ws.cell(FIRST_DATA_ROW, 6).number_format = "0"
    ws.cell(FIRST_DATA_ROW, 11).number_format = "yyyy-mm-dd"
    styles = [ws.cell(FIRST_DATA_ROW, j)._style for j in range(1, len(COLUMNS) + 1)]
    for i, (t, role) in enumerate(rows):
        r = FIRST_DATA_ROW + i
        values = [
            t.id,
            t.title + (f"\n【办公室退回意见】{notes[t.id]}" if t.id in notes else ""),
            t.deadline_text or (t.deadline.isoformat() if t.deadline else ""),
            ROLE_NAMES[role],
        ]
        pre = prefill[t.id]
        if pre is not None:
            values += [pre[0], int(pre[1]) if float(pre[1]).is_integer() else pre[1]]
        for j in range(1, len(COLUMNS) + 1):
            c = ws.cell(r, j, safe_text(values[j - 1]) if j <= len(values) else None)
            if i:
                c._style = copy(styles[j - 1])
    last_row = FIRST_DATA_ROW + len(rows) - 1
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUS_CHOICES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="状态无效",
        error="请从下拉列表中选择状态",
        promptTitle="状态",
        prompt="未启动/推进中/已完成/滞后/暂缓",
    )
    dv.add(f"E{FIRST_DATA_ROW}:E{last_row}")
    pct = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="完成进度无效",
        error="请填写 0 到 100 之间的数字",
        promptTitle="完成进度",
        prompt="0–100,已完成须填 100",
    )
    pct.add(f"F{FIRST_DATA_ROW}:F{last_row}")
    dt = DataValidation(
        type="date",
        operator="between",
        formula1="DATE(2000,1,1)",
        formula2="DATE(2100,12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="日期无效",
        error="请填写日期,如 2021-09-30",
        promptTitle="填报日期",
        prompt="不填则按上传当天计",
    )
    dt.add(f"K{FIRST_DATA_ROW}:K{last_row}")
    for v in (dv, pct, dt):
        ws.add_data_validation(v)
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 3)
    ws.protection.sheet = True
    ws.protection.formatRows = False
    ws.protection.formatColumns = False
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    _help_sheet(wb, unit, p.label(), plan_key)
    _meta_sheet(wb, unit, p.key, plan_key, {tid: v for tid, v in prefill.items() if v is not None})
    wb.active = 0
    return wb


def _help_sheet(wb: Workbook, unit: str, label: str, plan_key: str) -> None:
    ws = wb.create_sheet(HELP_SHEET)
    lines = [
        f"{label}任务进展填报说明",
        f"填报单位:{unit};所属计划:{plan_key}",
        "1. 灰色列(任务编号、工作要点、完成时限、本单位角色)已锁定,请勿修改,也不要增删行。",
        "2. 状态:从下拉列表选择 未启动 / 推进中 / 已完成 / 滞后 / 暂缓。",
        "3. 完成进度:填 0–100 的数字(百分比,不带%号);状态为“已完成”时须填 100。",
        "4. 进展情况、存在问题、下步计划:简要文字;佐证材料:文件名或链接。",
        "5. 填报日期:不填则按上传当天计;不得晚于上传当天,不得早于报告期开始。",
        "6. 状态和完成进度已按本单位上次填报预填(已办结销号的任务不再列出);有变化的请直接修改。"
        "本期确无新进展的任务,请在“进展情况”中写明(如“本期无新进展”)或填写填报日期,以确认沿用上期状态;"
        "预填内容未作任何修改、也未填写进展情况和填报日期的行,视为“沿用上期未更新”,不计为本期报送,"
        "上传后会按任务编号列出。从未填报过的任务没有预填内容,请选择状态并填写进度;整行空白视为未填报。",
        "7. 报送期限:报告期结束后 5 日内(以领导小组办公室通知为准);报告期关闭后不再接收。",
        "8. 系统逐行检查,发现问题会一次列出所在工作表、行、列和原因,修改后整表重新上传。",
        "9. 同一文件重复上传会被识别并忽略;修改内容后再上传即为新的一次填报,以最新填报日期为准。",
    ]
    for i, line in enumerate(lines, 1):
        c = ws.cell(i, 1, safe_text(line))
        c.font = Font(name="宋体", size=14 if i == 1 else 11, bold=i == 1)
        c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 100


def _meta_sheet(
    wb: Workbook, unit: str, period: str, plan_key: str, prefill: dict[str, tuple[str, float]] | None = None
) -> None:
    ws = wb.create_sheet(META_SHEET)
    pairs: list[tuple[str, object]] = [
        ("mark", TEMPLATE_MARK),
        ("unit", unit),
        ("period", period),
        ("plan", plan_key),
        ("version", TEMPLATE_VERSION),
        ("generated", date.today().isoformat()),
    ]
    pairs += [(f"{PREFILL_PREFIX}{tid}", f"{st}|{pct:g}") for tid, (st, pct) in (prefill or {}).items()]
    for r, (k, v) in enumerate(pairs, 1):
        ws.cell(r, 1, k)
        ws.cell(r, 2, safe_text(v))
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
    for name, ref in (("WB_UNIT", "$B$2"), ("WB_PERIOD", "$B$3"), ("WB_PLAN", "$B$4")):
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{META_SHEET}'!{ref}")


def template_bytes(
    store: StoreLike,
    unit: str,
    period: str,
    plan: str | None = None,
    *,
    tasks: list | None = None,
    last: Prefill | None = None,
) -> bytes:
    """One unit's template for a month as xlsx bytes (:func:`build_template`, saved).

    Parameters
    ----------
    store : StoreLike
        The store holding the plan.
    unit : str
        The reporting unit.
    period : str
        The reporting month (``2021-09``).
    plan : str, optional
        The plan key; default the unit's only plan.
    tasks : list of StoredTask, optional
        The plan's tasks, if already read.
    last : dict, optional
        The unit's :func:`last_reports`, if already read.

    Returns
    -------
    bytes
        The xlsx file.

    Raises
    ------
    StoreError
        As :func:`build_template`: unknown plan, or no open task of the unit in it.
    BadPeriod
        When ``period`` is not a month.

    Examples
    --------
    >>> from tasks.store import Store
    >>> from tasks.model import Plan, Task
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(Plan("示例", tasks=[Task("1", "任务", lead_units=["市财政局"])]), actor="doc")
    >>> template_bytes(store, "市财政局", "2021-09")[:2]
    b'PK'
    """
    buf = io.BytesIO()
    save_workbook(build_template(store, unit, period, plan, tasks=tasks, last=last), buf)
    return buf.getvalue()


#: ``fill_template`` field names → template column headers
FIELDS = {
    "status": "状态",
    "percent": "完成进度(%)",
    "progress": "进展情况",
    "problems": "存在问题",
    "next_steps": "下步计划",
    "evidence": "佐证材料",
    "date": "填报日期",
}


def fill_template(template: bytes, values: dict[str, dict[str, object]], *, person: str = "", phone: str = "") -> bytes:
    """Fill a downloaded template the way a unit does in Excel; returns the xlsx bytes.

    Parameters
    ----------
    template : bytes
        A template as :func:`template_bytes` gives it.
    values : dict
        Task id → field → the value typed in (see below).
    person, phone : str, optional
        The contact person and phone typed in the header row.

    Returns
    -------
    bytes
        The filled xlsx file.

    Notes
    -----

    ``values[task_id]`` maps a field (``status``, ``percent``, ``progress``,
    ``problems``, ``next_steps``, ``evidence``, ``date`` — or the Chinese column
    header) to the value typed in; ``id`` overwrites the locked task-id cell (as
    a careless unit might).  Demo data, notebooks and tests make uploads this way,
    so they go through exactly the validation real files do.

    Examples
    --------

    >>> from tasks.store import Store
    >>> from tasks.model import Plan, Task
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(Plan("示例", tasks=[Task("1", "任务", lead_units=["市财政局"])]), actor="doc")
    >>> data = fill_template(template_bytes(store, "市财政局", "2021-09"), {"1": {"status": "已完成", "percent": 100}})
    >>> from openpyxl import load_workbook; import io
    >>> [c.value for c in load_workbook(io.BytesIO(data))[DATA_SHEET][FIRST_DATA_ROW]][4:6]
    ['已完成', 100]
    """
    from openpyxl import load_workbook

    col = {name: j for j, (name, _w, _i) in enumerate(COLUMNS, 1)}
    wb = load_workbook(io.BytesIO(template))
    ws = wb[DATA_SHEET]
    if person:
        ws["G2"] = person
    if phone:
        ws["I2"] = phone
    for r in range(FIRST_DATA_ROW, ws.max_row + 1):
        tid = ws.cell(r, 1).value
        for field, v in values.get(str(tid) if tid is not None else "", {}).items():
            if field == "id":
                ws.cell(r, 1, v)
                continue
            c = ws.cell(r, col[FIELDS.get(field, field)], v)
            if isinstance(v, str) and v[:1] in "=+-@":
                c.data_type = "s"  # typed as text, not a formula
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_filename(unit: str, period: str) -> str:
    """The file name of a unit's template for a period (safe on every system).

    Parameters
    ----------
    unit : str
        The reporting unit.
    period : str
        The reporting period (``2021-09``).

    Returns
    -------
    str
        ``<period>_<unit>_进度填报表.xlsx``.

    Raises
    ------
    BadPeriod
        When ``period`` is not a period (``无法识别的报告期“…”``).

    Examples
    --------
    >>> template_filename("市财政局", "2021-09")
    '2021-09_市财政局_进度填报表.xlsx'
    """
    return safe_filename(f"{parse_period(period).key}_{unit}_进度填报表.xlsx")


def write_template(
    store: StoreLike, unit: str, period: str, out: str | Path | None = None, plan: str | None = None
) -> Path:
    """Write one unit's template; ``out`` may be a directory or a file name.

    Parameters
    ----------
    store : StoreLike
        The store holding the plan.
    unit : str
        The reporting unit.
    period : str
        The reporting month (``2021-09``).
    out : str or Path, optional
        A directory (the file gets :func:`template_filename`) or a file; default that name in the
        current directory.
    plan : str, optional
        The plan key; default the unit's only plan.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    StoreError
        As :func:`build_template`: unknown plan, or no open task of the unit in it.
    BadPeriod
        When ``period`` is not a month.

    Examples
    --------
    >>> import tempfile
    >>> from tasks.store import Store
    >>> from tasks.model import Plan, Task
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(Plan("示例", tasks=[Task("1", "任务", lead_units=["市财政局"])]), actor="doc")
    >>> write_template(store, "市财政局", "2021-09", tempfile.mkdtemp()).name
    '2021-09_市财政局_进度填报表.xlsx'
    """
    target = Path(out) if out else Path(template_filename(unit, period))
    if target.is_dir():
        target = target / template_filename(unit, period)
    target.write_bytes(template_bytes(store, unit, period, plan))
    return target


def all_templates_zip(store: StoreLike, period: str, plan: str | None = None) -> bytes:
    """A zip with the template of every (non-collective) unit that has tasks.

    Parameters
    ----------
    store : StoreLike
        The store holding the plan.
    period : str
        The reporting month (``2021-09``).
    plan : str, optional
        The plan key; default the store's only plan.

    Returns
    -------
    bytes
        The zip file: one :func:`template_filename` per unit with open tasks.

    Raises
    ------
    StoreError
        When the plan is not in the store, or no plan is named and the store holds several.
    BadPeriod
        When ``period`` is not a month.

    Examples
    --------
    >>> import io, zipfile
    >>> from tasks.store import Store
    >>> from tasks.model import Plan, Task
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(Plan("示例", tasks=[Task("1", "任务", lead_units=["市财政局"])]), actor="doc")
    >>> zipfile.ZipFile(io.BytesIO(all_templates_zip(store, "2021-09"))).namelist()
    ['2021-09_市财政局_进度填报表.xlsx']
    """
    plan_key = store.plan_key(plan)
    tasks = store.tasks(plan_key)
    units = sorted({u for t in tasks for u in t.units} & set(store.units()))
    last = last_reports(store, plan_key)  # one read for every unit's prefill
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for u in units:
            try:
                data = template_bytes(store, u, period, plan_key, tasks=tasks, last=last.get(u, {}))
            except StoreError:  # every task of this unit is closed (销号): nothing to report
                continue
            z.writestr(template_filename(u, period), data)
    return buf.getvalue()
