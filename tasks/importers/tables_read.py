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
    """All worksheets of an xlsx, values and merged ranges.

    Parameters
    ----------
    path
        The file.
    name
        The file name the user knows, for messages.

    Returns
    -------
    list of Grid
        One per worksheet, in tab order.

    Raises
    ------
    ImportFailed
        The file is damaged, encrypted, a zip bomb, or a sheet is over the limits of :mod:`core.limits`
        (a Chinese message naming the file and sheet).

    Examples
    --------
    >>> grids = read_xlsx(Path("data/plans/leiyang-2021-tasks.xlsx"), "任务分解表.xlsx")
    >>> [g.name for g in grids], grids[0].rows[1][:4]
    (['任务分解表', '说明'], ('序号', '工作要点', '主要任务', '牵头部门'))
    """
    return _read(path, "xlsx", name)


def read_xls(path: Path, name: str) -> list[Grid]:
    """All sheets of an old-format .xls, dates as ``datetime``.

    Parameters
    ----------
    path
        The file.
    name
        The file name the user knows, for messages.

    Returns
    -------
    list of Grid
        One per sheet.

    Raises
    ------
    ImportFailed
        The file is not a readable .xls (damaged, password-protected) or a sheet is over the limits.

    Examples
    --------
    >>> read_xls(Path("data/plans/sample-block-plan.txt"), "旧表.xls")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tasks.errors.ImportFailed: 旧表.xls: 无法读取 .xls 工作簿(...),文件可能已损坏或设有密码;请用 Excel/WPS 打开后另存为 xlsx 再上传
    """
    return _read(path, "xls", name)


def decode_text(data: bytes, name: str) -> str:
    """CSV bytes to text (:func:`core.sheets.decode_csv`).

    Parameters
    ----------
    data
        The file's bytes (UTF-8 with or without BOM, UTF-16, GBK/GB18030 …).
    name
        The file name the user knows, for messages.

    Returns
    -------
    str
        The text.

    Raises
    ------
    ImportFailed
        Binary content, or no encoding reads it.

    Examples
    --------
    >>> decode_text("单位,联系人".encode("gbk"), "联系人.csv")
    '单位,联系人'
    """
    return decode_csv(data, name, ImportFailed)


def read_csv(path: Path, name: str) -> list[Grid]:
    """A CSV as one grid; the delimiter (comma, tab, semicolon) is guessed from the first lines.

    Parameters
    ----------
    path
        The file.
    name
        The file name the user knows, for messages.

    Returns
    -------
    list of Grid
        One grid.

    Raises
    ------
    ImportFailed
        Binary content, an unknown encoding, or more rows or cells than the limits allow.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "任务.csv"
    >>> _ = path.write_bytes("序号;任务;牵头单位\\n1;简政放权;市审改办\\n".encode("gbk"))
    >>> read_csv(path, "任务.csv")[0].rows
    (('序号', '任务', '牵头单位'), ('1', '简政放权', '市审改办'))
    """
    return _read(path, "csv", name)


def read_html_tables(path: Path, name: str) -> list[Grid]:
    """Each <table> of an HTML page (an “Excel export” of a web system) as a grid;
    rowspan/colspan become merged ranges, as in a real workbook.

    Parameters
    ----------
    path
        The file.
    name
        The file name the user knows, for messages.

    Returns
    -------
    list of Grid
        One per table.

    Raises
    ------
    ImportFailed
        The page is too large, a span is over :data:`core.limits.MAX_SPAN`, or a table has too many cells.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "导出.xls"
    >>> _ = path.write_text("<table><tr><td colspan=2>任务表</td></tr><tr><td>1</td><td>简政放权</td></tr></table>",
    ...                     encoding="utf-8")
    >>> g = read_html_tables(path, "导出.xls")[0]
    >>> g.rows, g.merges
    ((('任务表', None), ('1', '简政放权')), ((1, 1, 1, 2),))
    """
    return _read(path, "html_table", name)


def read_grids(path: Path, kind: str, name: str) -> list[Grid]:
    """Every sheet of a table file of the given kind (``xlsx``, ``xls``, ``csv`` or ``html_table``).

    Parameters
    ----------
    path
        The file.
    kind
        As :func:`tasks.importers.sniff` tells it.
    name
        The file name the user knows, for messages.

    Returns
    -------
    list of Grid
        As the reader for ``kind`` gives them.

    Raises
    ------
    ImportFailed
        Another kind, or the reader refuses the file.

    Examples
    --------
    >>> len(read_grids(Path("data/plans/leiyang-2021-tasks.xlsx"), "xlsx", "任务分解表.xlsx"))
    2
    >>> read_grids(Path("data/plans/sample-block-plan.txt"), "docx", "方案.docx")
    Traceback (most recent call last):
    ...
    tasks.errors.ImportFailed: 方案.docx: 不支持的表格类型 docx
    """
    if kind not in ("xlsx", "xls", "csv", "html_table"):
        raise ImportFailed(f"不支持的表格类型 {kind}", file=name)
    return _read(path, kind, name)
