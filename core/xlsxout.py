"""Styled xlsx tables that print and filter as an office expects.

One writer for every table the workbench exports (reports, task lists, hall
figures): a title row, a coloured header row, dates stored as dates
(``yyyy-mm-dd``), percentages stored as numbers with a percent format,
empty cells left empty (never ``None``/``nan`` text), an autofilter over the
table, frozen header, and a print set-up: A4, landscape when the table is wide,
the header rows repeated on every printed page, fitted to the page width.

``clean`` (e.g. :func:`tasks.progress.safe_text`) is applied to every text cell,
so a task title cannot become a live formula.

>>> import io
>>> from datetime import date
>>> from openpyxl import load_workbook
>>> cols = [Column("编号", 6), Column("完成时限", 12, DATE), Column("进度", 8, PERCENT)]
>>> data = table_workbook([Sheet("任务", "任务清单", cols, [["1", date(2021, 11, 30), 0.5], ["2", None, None]])])
>>> ws = load_workbook(io.BytesIO(data))["任务"]
>>> ws["B3"].value.date(), ws["B3"].number_format, ws["C3"].value, ws["C3"].number_format
(datetime.date(2021, 11, 30), 'yyyy-mm-dd', 0.5, '0%')
>>> ws.auto_filter.ref, ws.print_title_rows, ws.page_setup.paperSize, ws["B4"].value
('A2:C4', '$1:$2', 9, None)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "Column",
    "Sheet",
    "write_table",
    "table_workbook",
    "print_setup",
    "TEXT",
    "LONG",
    "DATE",
    "PERCENT",
    "NUMBER",
    "INTEGER",
    "DATE_FORMAT",
    "PERCENT_FORMAT",
    "cell_value",
]

TEXT, LONG, DATE, PERCENT, NUMBER, INTEGER = "text", "long", "date", "percent", "number", "integer"
DATE_FORMAT, PERCENT_FORMAT = "yyyy-mm-dd", "0%"
_FORMATS = {DATE: DATE_FORMAT, PERCENT: PERCENT_FORMAT, NUMBER: "0.0", INTEGER: "0"}
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = PatternFill("solid", fgColor="1F4E78")
#: total column width (characters) above which a sheet prints in landscape
LANDSCAPE_WIDTH = 110


@dataclass(frozen=True)
class Column:
    """One column: its header, width in characters, and kind (text, long, date, percent, number, integer).

    ``percent`` values are fractions (0.83 shows as 83%).

    Parameters
    ----------
    title
        The header text.
    width
        The column width in characters.
    kind
        :data:`TEXT`, :data:`LONG`, :data:`DATE`, :data:`PERCENT`, :data:`NUMBER` or :data:`INTEGER`.

    Examples
    --------
    >>> Column("进度", 8, PERCENT).kind
    'percent'
    """

    title: str
    width: float = 12
    kind: str = TEXT


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its tab name, the title printed above the table, columns, rows, optional row fills
    (hex colours, one per row or None) and notes written under the table.

    Parameters
    ----------
    name
        The tab name (cut to 31 characters when written).
    title
        The title printed above the table.
    columns
        The :class:`Column` of each position.
    rows
        The data, one sequence per row (missing trailing cells are empty).
    fills
        A hex fill colour per row, or ``None`` for no fill.
    notes
        Lines written under the table.

    Examples
    --------
    >>> Sheet("任务", "任务清单", [Column("编号")], [["1"]], notes=["注:示例"]).notes
    ['注:示例']
    """

    name: str
    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    fills: Sequence[str | None] | None = None
    notes: Sequence[str] = field(default_factory=tuple)


def cell_value(v: Any, kind: str = TEXT) -> Any:
    """What to store for ``v``: None/NaN/"" stay empty, dates as dates, numbers as numbers.

    Parameters
    ----------
    v
        The value (Python, numpy or pandas).
    kind
        The column's kind; a value that does not fit it (``"待定"`` in a date column) is kept as text.

    Returns
    -------
    object
        ``None``, a date, an int/float, or the value (numpy scalars as Python ones).

    Examples
    --------
    >>> cell_value("待定", DATE), cell_value("7", INTEGER), cell_value(True, NUMBER)
    ('待定', 7, 1)
    >>> cell_value(float("nan")), cell_value("2021-11-30", DATE), cell_value("0.5", PERCENT)
    (None, datetime.date(2021, 11, 30), 0.5)
    """
    if v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and v.strip() == ""):
        return None
    if type(v).__name__ in ("NaTType",):
        return None
    if kind == DATE:
        if isinstance(v, datetime):
            return v.date()
        if isinstance(v, date):
            return v
        if hasattr(v, "to_pydatetime"):
            return v.to_pydatetime().date()
        try:
            return date.fromisoformat(str(v)[:10])
        except ValueError:
            return str(v)
    if kind in (PERCENT, NUMBER, INTEGER):
        if isinstance(v, bool):
            return int(v)
        try:
            f = float(v)
        except (TypeError, ValueError):
            return str(v)
        return int(f) if kind == INTEGER and f.is_integer() else f
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalars
        return v.item()
    return v


def print_setup(ws: Worksheet, *, header_rows: str, total_width: float) -> None:
    """A4, landscape when wide, header rows repeated on every page, fitted to one page wide.

    Parameters
    ----------
    ws
        The worksheet (changed in place); its footer gets ``第 &P 页,共 &N 页``.
    header_rows
        The rows repeated on each printed page, e.g. ``"1:2"``.
    total_width
        The table's total column width in characters; above :data:`LANDSCAPE_WIDTH` it prints landscape.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> ws = Workbook().active
    >>> print_setup(ws, header_rows="1:2", total_width=150)
    >>> ws.page_setup.orientation, ws.print_title_rows
    ('landscape', '$1:$2')
    """
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if total_width > LANDSCAPE_WIDTH else "portrait"
    setup = ws.sheet_properties.pageSetUpPr
    if setup is not None:
        setup.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = header_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    footer = ws.oddFooter
    if footer is not None:
        footer.center.text = "第 &P 页,共 &N 页"


def write_table(
    ws: Worksheet,
    title: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    *,
    fills: Sequence[str | None] | None = None,
    notes: Sequence[str] = (),
    clean: Callable[[Any], Any] | None = None,
    empty: str = "(无)",
) -> None:
    """Write a titled table into ``ws`` (title row 1, header row 2, data from row 3).

    Parameters
    ----------
    ws
        An empty worksheet.
    title
        Printed in row 1 across the table.
    columns
        The :class:`Column` of each position.
    rows
        The data; values are stored with :func:`cell_value`.
    fills
        A hex fill colour per row, or ``None``.
    notes
        Lines written (italic) under the table.
    clean
        Applied to every text cell, title and note (e.g. :func:`core.safe_export.safe_text`).
    empty
        Written in row 3 when there are no rows.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> ws = Workbook().active
    >>> write_table(ws, "任务清单", [Column("编号", 6), Column("任务", 40)], [])
    >>> ws["A1"].value, ws["B2"].value, ws["A3"].value, ws.freeze_panes
    ('任务清单', '任务', '(无)', 'A3')
    """
    clean = clean or (lambda x: x)
    n = len(columns)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(1, n))
    ws.cell(1, 1, clean(title)).font = Font(name="宋体", size=14, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 24
    for j, col in enumerate(columns, 1):
        c = ws.cell(2, j, clean(col.title))
        c.font = Font(name="宋体", bold=True, color="FFFFFF")
        c.fill, c.border = _HEAD, _BORDER
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = col.width
    for i, row in enumerate(rows, 3):
        fill = fills[i - 3] if fills and i - 3 < len(fills) else None
        for j, col in enumerate(columns, 1):
            raw = row[j - 1] if j - 1 < len(row) else None
            v = cell_value(raw, col.kind)
            c = ws.cell(i, j, clean(v) if isinstance(v, str) else v)
            c.border = _BORDER
            c.font = Font(name="宋体", size=10)
            c.alignment = Alignment(
                vertical="top", wrap_text=col.kind in (TEXT, LONG), horizontal="center" if col.kind == DATE else None
            )
            if isinstance(v, date):
                c.number_format = DATE_FORMAT
            elif col.kind in _FORMATS and not isinstance(v, str):
                c.number_format = _FORMATS[col.kind]
            if fill:
                c.fill = PatternFill("solid", fgColor=fill)
    last = 2 + len(rows)
    if rows:
        ws.auto_filter.ref = f"A2:{get_column_letter(n)}{last}"
    else:
        ws.cell(3, 1, empty)
        last = 3
    for k, note in enumerate(notes, 2):
        ws.cell(last + k, 1, clean(note)).font = Font(name="宋体", italic=True)
    ws.freeze_panes = "A3"
    print_setup(ws, header_rows="1:2", total_width=sum(c.width for c in columns))


def table_workbook(sheets: Sequence[Sheet], *, clean: Callable[[Any], Any] | None = None) -> bytes:
    """A workbook of one styled table per sheet (see :func:`write_table`).

    Every text cell is neutralised once more on saving (:func:`core.safe_export.save_workbook`).

    Parameters
    ----------
    sheets
        One :class:`Sheet` per worksheet, in tab order.
    clean
        Applied to every text cell, as in :func:`write_table`.

    Returns
    -------
    bytes
        The xlsx file.

    Examples
    --------
    >>> import io
    >>> from openpyxl import load_workbook
    >>> data = table_workbook([Sheet("甲", "表甲", [Column("编号")], [["=1"]]), Sheet("乙", "表乙", [], [])])
    >>> wb = load_workbook(io.BytesIO(data))
    >>> wb.sheetnames, wb["甲"]["A3"].value
    (['甲', '乙'], "'=1")
    """
    wb = Workbook()
    for ws0 in list(wb.worksheets):
        wb.remove(ws0)
    for sh in sheets:
        ws = wb.create_sheet(sh.name[:31])
        write_table(ws, sh.title, sh.columns, sh.rows, fills=sh.fills, notes=sh.notes, clean=clean)
    from core.safe_export import save_workbook

    data = save_workbook(wb)  # every text cell neutralised once more (formula injection)
    assert isinstance(data, bytes)
    return data
