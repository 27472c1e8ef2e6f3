"""One neutralising writer for everything the workbench exports (xlsx, csv, file and zip-entry names).

A spreadsheet runs a cell as a formula when its text starts with ``= + - @``
(or a tab/CR/LF before one), so text that came from users — task titles,
unit and person names, scenario names — could become a live
``=HYPERLINK(...)`` or DDE call in the office's Excel.  Every export goes
through this module: :func:`safe_text` prefixes such text with an apostrophe,
:func:`save_workbook` neutralises every cell and sheet title of an openpyxl
workbook before saving it, :func:`csv_bytes`/:func:`write_csv` do the same for
csv, and :func:`safe_filename` turns a generated name (``../市局`` as a unit
name) into a plain file name without directories.

>>> safe_text("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> safe_text("-5"), safe_text(-5), safe_text("推进中"), safe_text("\\t=1+1")
("'-5", -5, '推进中', "'\\t=1+1")
>>> unsafe_text(safe_text("@SUM(A1)"))
'@SUM(A1)'
>>> safe_filename("2021-09_../../etc/passwd_进度填报表.xlsx")
'2021-09_____etc_passwd_进度填报表.xlsx'
>>> safe_filename("..\\\\..\\\\boot.ini"), safe_filename(""), safe_filename("..")
('____boot.ini', '文件', '文件')
>>> safe_sheet_title("个人-[张三]/:*?")
'个人-张三'
>>> csv_bytes([["任务", "单位"], ["=1+1", "+市局"]]).decode("utf-8-sig").splitlines()
['任务,单位', "'=1+1,'+市局"]
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "DANGEROUS",
    "safe_text",
    "unsafe_text",
    "safe_row",
    "neutralise_workbook",
    "save_workbook",
    "csv_bytes",
    "write_csv",
    "safe_frame",
    "safe_filename",
    "safe_sheet_title",
]

#: first characters that make Excel/WPS/LibreOffice treat a cell as a formula
DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n")
_FORMULA_START = "=+-@"


def safe_text(value: Any) -> Any:
    """The value, with a string a spreadsheet would run as a formula made plain text (``'`` prefix).

    Strings whose first character is dangerous, or whose first non-blank character is one of
    ``= + - @`` (``"  =1+1"``), are prefixed; other values are returned unchanged.

    Parameters
    ----------
    value
        A cell's value, of any type.

    Returns
    -------
    object
        ``"'" + value`` for a dangerous string, else ``value`` itself.

    Examples
    --------
    >>> safe_text("=1+1"), safe_text("  +市局"), safe_text("推进中"), safe_text(3)
    ("'=1+1", "'  +市局", '推进中', 3)
    """
    if (
        isinstance(value, str)
        and value
        and (value.startswith(DANGEROUS) or value.lstrip()[:1] in tuple(_FORMULA_START))
    ):
        return "'" + value
    return value


def unsafe_text(value: Any) -> Any:
    """Undo :func:`safe_text` when reading our own exports back.

    Parameters
    ----------
    value
        A cell's value as read from an export.

    Returns
    -------
    object
        The value without the apostrophe :func:`safe_text` added; anything else unchanged.

    Examples
    --------
    >>> unsafe_text("'=1+1"), unsafe_text("'引号开头"), unsafe_text(5)
    ('=1+1', "'引号开头", 5)
    """
    if (
        isinstance(value, str)
        and value.startswith("'")
        and len(value) > 1
        and (value[1] in DANGEROUS or value[1:].lstrip()[:1] in tuple(_FORMULA_START))
    ):
        return value[1:]
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """:func:`safe_text` applied to every value of a row.

    Parameters
    ----------
    values
        The row's cells.

    Returns
    -------
    list
        The neutralised cells, in order.

    Examples
    --------
    >>> safe_row(["=SUM(A1)", 2, "市局"])
    ["'=SUM(A1)", 2, '市局']
    """
    return [safe_text(v) for v in values]


_BAD_TITLE = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def safe_sheet_title(title: Any, default: str = "Sheet") -> str:
    """A legal, inert sheet title: no ``[]:*?/\\`` or control characters, no edge apostrophes, ≤ 31.

    Parameters
    ----------
    title
        The wanted title (any value; ``None`` counts as empty).
    default
        Used when nothing is left of ``title``.

    Returns
    -------
    str
        At most 31 characters, not starting with ``= + - @``.

    Examples
    --------
    >>> safe_sheet_title("=进度:汇总"), safe_sheet_title("[]"), safe_sheet_title("", "汇总")
    ('进度汇总', 'Sheet', '汇总')
    """
    text = _BAD_TITLE.sub("", str(title if title is not None else "")).strip().strip("'")
    text = text.lstrip("=+-@").strip() or default
    return text[:31]


def neutralise_workbook(wb: Any) -> Any:
    """Make every text cell and sheet title of an openpyxl workbook inert (in place); returns ``wb``.

    Formula cells become plain text too; sheet titles are made legal with :func:`safe_sheet_title`
    and numbered ``(2)``, ``(3)`` … when two would be the same.

    Parameters
    ----------
    wb
        An :class:`openpyxl.Workbook`.

    Returns
    -------
    openpyxl.Workbook
        ``wb`` itself, changed.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> wb = Workbook()
    >>> wb.active["A1"] = "=HYPERLINK(A2)"
    >>> ws = neutralise_workbook(wb).active
    >>> ws["A1"].value, ws["A1"].data_type
    ("'=HYPERLINK(A2)", 's')
    """
    titles: set[str] = set()
    for ws in wb.worksheets:
        title = safe_sheet_title(ws.title)
        n = 1
        while title in titles:
            n += 1
            title = f"{safe_sheet_title(ws.title)[:27]}({n})"
        titles.add(title)
        if ws.title != title:
            ws.title = title
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str):
                    safe = safe_text(value)
                    if safe is not value or cell.data_type == "f":
                        cell.value = safe
                        cell.data_type = "s"
    return wb


def save_workbook(wb: Any, target: str | Path | io.IOBase | None = None) -> bytes | Path | None:
    """Neutralise ``wb`` and save it: to ``target`` (path or binary file), or return the bytes.

    Parameters
    ----------
    wb
        An :class:`openpyxl.Workbook` (changed in place by :func:`neutralise_workbook`).
    target
        A path, a binary file, or ``None``.

    Returns
    -------
    bytes or Path or None
        The xlsx bytes when ``target`` is ``None``; the path when it is a path; ``None`` for a file.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> save_workbook(Workbook())[:2]
    b'PK'
    """
    neutralise_workbook(wb)
    if target is None:
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()
    wb.save(target)
    return Path(target) if isinstance(target, (str, Path)) else None


def _rows(rows: Iterable[Sequence[Any] | Mapping[str, Any]], header: Sequence[str] | None) -> list[list[Any]]:
    out: list[list[Any]] = []
    if header is not None:
        out.append(safe_row(header))
    for r in rows:
        values = (
            [r.get(h, "") for h in header]
            if isinstance(r, Mapping) and header is not None
            else list(r.values())
            if isinstance(r, Mapping)
            else list(r)
        )
        out.append(safe_row("" if v is None else v for v in values))
    return out


def csv_bytes(rows: Iterable[Sequence[Any] | Mapping[str, Any]], header: Sequence[str] | None = None) -> bytes:
    """Neutralised csv, UTF-8 with BOM (Excel opens it as UTF-8).

    Parameters
    ----------
    rows
        Sequences of cells, or mappings (read in ``header`` order when a header is given, else in
        their own order); ``None`` cells are written empty.
    header
        The first line, neutralised like the rest.

    Returns
    -------
    bytes
        The csv with CRLF line ends.

    Examples
    --------
    >>> csv_bytes([{"任务": "=1+1", "单位": None}], header=["任务", "单位"]).decode("utf-8-sig").splitlines()
    ['任务,单位', "'=1+1,"]
    """
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(_rows(rows, header))
    return buf.getvalue().encode("utf-8-sig")


def write_csv(
    path: str | Path, rows: Iterable[Sequence[Any] | Mapping[str, Any]], header: Sequence[str] | None = None
) -> Path:
    """Write :func:`csv_bytes` of ``rows`` to ``path``.

    Parameters
    ----------
    path
        The csv file (created or replaced).
    rows, header
        As for :func:`csv_bytes`.

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
    >>> p = write_csv(Path(tempfile.mkdtemp()) / "a.csv", [["-1"]], header=["进度"])
    >>> p.read_bytes().decode("utf-8-sig").split()
    ['进度', "'-1"]
    """
    p = Path(path)
    p.write_bytes(csv_bytes(rows, header))
    return p


def safe_frame(df: Any) -> Any:
    """A copy of a pandas DataFrame with every cell and column name neutralised.

    Parameters
    ----------
    df
        A :class:`pandas.DataFrame` (not changed).

    Returns
    -------
    pandas.DataFrame
        The copy; column names become strings.

    Examples
    --------
    >>> import pandas as pd
    >>> safe_frame(pd.DataFrame({"=名称": ["@市局", "区局"]})).to_dict("list")
    {"'=名称": ["'@市局", '区局']}
    """
    return df.map(safe_text).rename(columns=lambda c: safe_text(str(c)))


_BAD_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(name: Any, default: str = "文件", limit: int = 120) -> str:
    """A file or zip-entry name with no directory part: separators and characters Windows refuses
    become ``_``, leading dots/blanks go (no ``..``, no hidden files), reserved device names are
    prefixed; the suffix is kept when cutting to ``limit`` characters.

    Parameters
    ----------
    name
        The wanted name (any value; ``None`` counts as empty).
    default
        Used when nothing usable is left.
    limit
        The longest name returned.

    Returns
    -------
    str
        A name safe to write into any folder or zip.

    Examples
    --------
    >>> safe_filename("../市局/进度.xlsx"), safe_filename("CON.txt"), safe_filename(None)
    ('__市局_进度.xlsx', '_CON.txt', '文件')
    >>> len(safe_filename("很长" * 100 + ".xlsx", limit=20)), safe_filename("很长" * 100 + ".xlsx", limit=20)[-5:]
    (20, '.xlsx')
    """
    text = unicodedata.normalize("NFC", str(name if name is not None else ""))
    text = re.sub(r"\.{2,}", "_", _BAD_NAME.sub("_", text)).strip().lstrip(". ").rstrip(". ")
    if not text or set(text) <= {"_", "."}:
        return default
    if text.split(".", 1)[0].upper() in _RESERVED:
        text = "_" + text
    if len(text) > limit:
        stem, dot, suffix = text.rpartition(".")
        text = (stem[: limit - len(suffix) - 1] + dot + suffix) if dot and len(suffix) <= 10 else text[:limit]
    return text
