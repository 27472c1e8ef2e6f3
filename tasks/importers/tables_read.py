"""Reading xlsx/xls/csv files (and HTML tables saved as .xls) into plain grids of cell values.

The reading itself is :mod:`core.sheets`, the one reader every part of the workbench uses:
a :class:`Grid` is a :class:`core.sheets.Sheet` (``rows[i]`` holds the values of sheet row
``i + 1``, so row numbers users see in Excel stay true; ``merges`` the merged ranges).
Every way a file can fail becomes one :class:`~tasks.errors.ImportFailed` with a Chinese message.

>>> g = Grid("Sheet1", [("标题", None), ("序号", "工作要点")], [(1, 1, 1, 2)])
>>> g.value(2, 2), g.span(1, 1)
('工作要点', (1, 1, 1, 2))
"""

from __future__ import annotations

from pathlib import Path

from core import limits
from core.sheets import Sheet, cell_text, decode_csv, is_blank, read_workbook

from ..errors import ImportFailed

__all__ = [
    "MAX_ROWS",
    "Grid",
    "cell_text",
    "decode_text",
    "is_blank",
    "read_csv",
    "read_grids",
    "read_html_tables",
    "read_xls",
    "read_xlsx",
]

#: more rows than any task table has (a sheet formatted down to row 1,048,576 is refused)
MAX_ROWS = limits.MAX_ROWS
Grid = Sheet


def _read(path: Path, kind: str, name: str) -> list[Grid]:
    return read_workbook(path, name, kind=kind, max_rows=MAX_ROWS, error=ImportFailed)


def read_xlsx(path: Path, name: str) -> list[Grid]:
    """All worksheets of an xlsx, values and merged ranges."""
    return _read(path, "xlsx", name)


def read_xls(path: Path, name: str) -> list[Grid]:
    """All sheets of an old-format .xls, dates as ``datetime``."""
    return _read(path, "xls", name)


def decode_text(data: bytes, name: str) -> str:
    """CSV bytes to text (:func:`core.sheets.decode_csv`)."""
    return decode_csv(data, name, ImportFailed)


def read_csv(path: Path, name: str) -> list[Grid]:
    """A CSV as one grid; the delimiter (comma, tab, semicolon) is guessed from the first lines."""
    return _read(path, "csv", name)


def read_html_tables(path: Path, name: str) -> list[Grid]:
    """Each <table> of an HTML page (an “Excel export” of a web system) as a grid;
    rowspan/colspan become merged ranges, as in a real workbook."""
    return _read(path, "html_table", name)


def read_grids(path: Path, kind: str, name: str) -> list[Grid]:
    """Every sheet of a table file of the given kind (``xlsx``, ``xls``, ``csv`` or ``html_table``)."""
    if kind not in ("xlsx", "xls", "csv", "html_table"):
        raise ImportFailed(f"不支持的表格类型 {kind}", file=name)
    return _read(path, kind, name)
