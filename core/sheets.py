"""The one spreadsheet/CSV reader: bytes or a path in, one :class:`Sheet` of cell values per sheet out.

Every reader in ``tasks`` and ``sim`` goes through :func:`read_workbook` (or :func:`read_csv`),
so the limits of :mod:`core.limits` hold everywhere: the file's size, every zip member's
declared and real inflated size and ratio, rows (reading stops at the first row past the
limit), the sheet's used area, the length of a cell.  xlsx/xlsm, xls and ods are read by
python-calamine (≈ 7.5× faster than openpyxl); a short streaming scan of each sheet's XML
runs first, because calamine allocates the whole used range at once (a two-cell sheet with
cells at ``A1`` and ``XFD1048576`` would ask for 512 GB).  CSV bytes are decoded by one
detection (UTF-8 with or without BOM, UTF-16 with BOM, GB18030 ⊃ GBK, then a guess).

Values are Python values: text, ``int`` (a whole number, as Excel shows it), ``float``, ``bool``,
``datetime.datetime`` for date-formatted cells (midnight for a plain date, as openpyxl and xlrd
give them), ``datetime.time`` for time-formatted ones, ``None`` for empty cells.  Errors are :class:`~core.errors.InputError` (or the subclass a caller
passes as ``error``) naming file, sheet, row and column, with a Chinese message saying
what to do.

>>> sheet = read_csv("序号,工作要点\\n1,简政放权\\n".encode("gbk"), "a.csv")
>>> sheet.value(2, 2), sheet.rows[1]
('简政放权', ('1', '简政放权'))
>>> import io, openpyxl
>>> wb = openpyxl.Workbook(); ws = wb.active; ws.title = "任务"
>>> ws.append(["任务分解表"]); ws.merge_cells("A1:C1"); ws.append([1, 2.5, "x"])
>>> buf = io.BytesIO(); wb.save(buf)
>>> [s] = read_workbook(buf.getvalue(), "a.xlsx")
>>> s.name, s.rows, s.merges, s.merged_value(1, 3)
('任务', (('任务分解表',), (1, 2.5, 'x')), ((1, 1, 1, 3),), '任务分解表')
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from pathlib import Path
from typing import Any

from .errors import InputError
from .limits import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_FILLED_CELLS,
    MAX_MEMBER_BYTES,
    MAX_ROWS,
    MAX_SPAN,
    MAX_TABLE_CELLS,
    check_html_size,
    check_size,
    check_zip,
)

__all__ = [
    "KINDS",
    "Sheet",
    "cell_text",
    "column_letter",
    "decode_csv",
    "guess_delimiter",
    "html_table",
    "is_blank",
    "iter_values",
    "read_csv",
    "read_workbook",
    "sniff_kind",
]

Merge = tuple[int, int, int, int]
Row = tuple[Any, ...]
#: what :func:`read_workbook` reads
KINDS = ("xlsx", "xls", "ods", "csv")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1024 * 1024
#: merged ranges larger than this are not expanded cell by cell (a whole-sheet merge is decoration)
_MAX_COVER = 200_000


# ---------------------------------------------------------------- the record
@dataclass(frozen=True)
class Sheet:
    """One sheet's values: sheet row ``i + 1`` is ``rows[i]`` (so row numbers users see stay true).

    Parameters
    ----------
    name : str or None
        The sheet's name (None for a CSV read without one).
    rows : tuple of tuple
        The values, row by row (trailing blank cells cut; blank cells None).
    merges : tuple of (int, int, int, int), optional
        Merged ranges ``(r1, c1, r2, c2)``, 1-based and inclusive.
    visible : bool, optional
        False for hidden sheets.
    percent : frozenset of (int, int), optional
        The 1-based ``(row, column)`` of cells with a percent number format (only when
        :func:`read_workbook` is asked for them).

    Examples
    --------
    >>> s = Sheet("Sheet1", [("标题", None), ("序号", "工作要点")], [(1, 1, 1, 2)])
    >>> s.value(2, 2), s.span(1, 2), s.merged_value(1, 2), s.width
    ('工作要点', (1, 1, 1, 2), '标题', 2)
    """

    name: str | None
    rows: tuple[Row, ...] | list[Row]
    merges: tuple[Merge, ...] | list[Merge] = ()
    visible: bool = True
    percent: frozenset[tuple[int, int]] = field(default_factory=frozenset)

    @property
    def width(self) -> int:
        """Columns of the widest row."""
        return max((len(r) for r in self.rows), default=0)

    def value(self, row: int, col: int) -> Any:
        """The value at 1-based ``row``/``col`` (None outside the data).

        Parameters
        ----------
        row, col : int
            The cell's 1-based row and column numbers, as the user sees them.

        Returns
        -------
        object
            The cell's value; None for a blank cell or one outside the data.

        Examples
        --------
        >>> s = Sheet("任务", [("序号", "工作要点"), (1, "简政放权")])
        >>> s.value(2, 2), s.value(2, 9), s.value(0, 1)
        ('简政放权', None, None)
        """
        if 1 <= row <= len(self.rows):
            r = self.rows[row - 1]
            if 1 <= col <= len(r):
                return r[col - 1]
        return None

    @cached_property
    def _cover(self) -> dict[tuple[int, int], Merge]:
        cover: dict[tuple[int, int], Merge] = {}
        for m in self.merges:
            r1, c1, r2, c2 = m
            if (r2 - r1 + 1) * (c2 - c1 + 1) > _MAX_COVER:
                continue
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    cover[(r, c)] = m
        return cover

    def span(self, row: int, col: int) -> Merge | None:
        """The merged range covering this cell, if any.

        Parameters
        ----------
        row, col : int
            The cell's 1-based row and column numbers.

        Returns
        -------
        tuple of int or None
            ``(r1, c1, r2, c2)`` of the merged range the cell is in; None when it is in none.

        Examples
        --------
        >>> s = Sheet("任务", [("任务分解表",), ("序号", "工作要点")], [(1, 1, 1, 2)])
        >>> s.span(1, 2), s.span(2, 2)
        ((1, 1, 1, 2), None)
        """
        return self._cover.get((row, col))

    def merged_value(self, row: int, col: int) -> Any:
        """The value shown in this cell: a merged range shows its top-left value everywhere.

        Parameters
        ----------
        row, col : int
            The cell's 1-based row and column numbers.

        Returns
        -------
        object
            The top-left value of the merged range covering the cell, else the cell's own value.

        Examples
        --------
        >>> s = Sheet("任务", [("任务分解表",), ("序号", "工作要点")], [(1, 1, 1, 2)])
        >>> s.value(1, 2), s.merged_value(1, 2)
        (None, '任务分解表')
        """
        m = self.span(row, col)
        return self.value(m[0], m[1]) if m else self.value(row, col)


# ---------------------------------------------------------------- cells
def is_blank(value: Any) -> bool:
    """None, NaN or text of only spaces.

    Parameters
    ----------
    value : object
        A cell value.

    Returns
    -------
    bool
        True for None, NaN and whitespace-only text; False for anything else (0 and False included).

    Examples
    --------
    >>> is_blank(" "), is_blank(float("nan")), is_blank(0)
    (True, True, False)
    """
    return (
        value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, float) and value != value)
    )


def cell_text(value: Any) -> str:
    """A cell as the text a user sees: ``3.0`` → ``3``, dates as ISO, strings stripped, blanks empty.

    Parameters
    ----------
    value : object
        A cell value as :func:`read_workbook` gives it.

    Returns
    -------
    str
        Whole floats without ``.0``; a datetime as its ISO date; a time as ``HH:MM`` (with seconds
        when it has them); None and NaN as ``""``; anything else ``str()`` stripped.

    Examples
    --------
    >>> cell_text(3.0), cell_text(datetime(2021, 9, 30, 0, 0)), cell_text(None), cell_text(" a ")
    ('3', '2021-09-30', '', 'a')
    >>> cell_text(time(8, 30)), cell_text(float("nan")), cell_text(True)
    ('08:30', '', 'True')
    """
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer():
            return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M") if not value.second else value.isoformat()
    return str(value).strip()


def column_letter(col: int) -> str:
    """1 → ``A``, 28 → ``AB``.

    Parameters
    ----------
    col : int
        A 1-based column number.

    Returns
    -------
    str
        The column's letters as Excel shows them (empty for 0 or less).

    Examples
    --------
    >>> column_letter(1), column_letter(28), column_letter(16384)
    ('A', 'AB', 'XFD')
    """
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _too_long(name: str, sheet: str | None, row: int, col: int, n: int, error: type[InputError]) -> InputError:
    return error(
        f"单元格内容有 {n} 个字符,超过 {MAX_CELL_CHARS} 个字符的上限(Excel 单元格的上限),请删减该单元格内容后再上传",
        file=name,
        sheet=sheet,
        row=row,
        column=column_letter(col),
    )


def _too_many_rows(name: str, sheet: str | None, max_rows: int, error: type[InputError]) -> InputError:
    return error(f"工作表行数超过 {max_rows} 行,请删除多余的空行或无关内容后再上传", file=name, sheet=sheet)


def _clean_row(raw: Iterable[Any], r: int, name: str, sheet: str | None, error: type[InputError]) -> Row:
    """Calamine's row as Python values: '' → None, whole floats → int; long text refused; trailing blanks cut."""
    out: list[Any] = []
    for c, v in enumerate(raw, start=1):
        if v == "" or v is None:
            out.append(None)
        elif type(v) is float:
            out.append(int(v) if v.is_integer() and abs(v) < 1e15 else v)
        elif type(v) is str:
            if len(v) > MAX_CELL_CHARS:
                raise _too_long(name, sheet, r, c, len(v), error)
            out.append(v)
        elif type(v) is date:  # a date cell is a datetime, as openpyxl and xlrd give it
            out.append(datetime(v.year, v.month, v.day))
        else:
            out.append(v)
    n = len(out)
    while n and is_blank(out[n - 1]):
        n -= 1
    return tuple(out[:n])


# ---------------------------------------------------------------- kinds
def sniff_kind(data: bytes, name: str = "") -> str:
    r"""``xlsx``, ``ods``, ``xls``, ``docx``, ``zip`` or ``csv`` from the first bytes (and zip member names).

    Parameters
    ----------
    data : bytes
        The file's bytes.
    name : str, optional
        The file's name (not used to decide: a renamed file is still recognised).

    Returns
    -------
    str
        ``xls`` for an OLE2 file, ``xlsx``/``docx``/``ods`` for a zip with their parts, ``zip`` for
        any other (or a broken) zip, else ``csv``.

    Examples
    --------
    >>> sniff_kind(b"a,b\n"), sniff_kind(_OLE2 + b"..."), sniff_kind(b"PK\x03\x04broken")
    ('csv', 'xls', 'zip')
    """
    if data.startswith(_OLE2):
        return "xls"
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return "zip"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        if "content.xml" in names and "mimetype" in names:
            return "ods"
        return "zip"
    return "csv"


def _source_bytes(source: bytes | str | Path, name: str, error: type[InputError]) -> bytes:
    if isinstance(source, bytes):
        check_size(len(source), name, error)
        return source
    p = Path(source)
    if not p.is_file():
        raise error("文件不存在", file=name)
    check_size(p.stat().st_size, name, error)
    return p.read_bytes()


# ---------------------------------------------------------------- CSV
def decode_csv(data: bytes, name: str, error: type[InputError] = InputError) -> str:
    r"""CSV bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (⊃ GBK), else a guess.

    Parameters
    ----------
    data : bytes
        The CSV file's bytes.
    name : str
        The file's name, for the error message.
    error : type, optional
        The :class:`~core.errors.InputError` subclass to raise (default ``InputError``).

    Returns
    -------
    str
        The decoded text (without a BOM).

    Raises
    ------
    InputError
        (or ``error``) when the bytes are binary, or no encoding fits
        (``无法识别 CSV 文件的编码…``).

    Examples
    --------
    >>> decode_csv("任务".encode("gbk"), "a.csv"), decode_csv("\ufeff任务".encode("utf-8"), "a.csv")
    ('任务', '任务')
    >>> decode_csv("任务".encode("utf-16"), "a.csv")
    '任务'
    >>> decode_csv(b"PK\x00\x00", "a.csv")
    Traceback (most recent call last):
    ...
    core.errors.InputError: a.csv: 文件不是文本格式的 CSV(含有二进制内容),请在 Excel 中另存为“CSV UTF-8”后上传
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise error("文件不是文本格式的 CSV(含有二进制内容),请在 Excel 中另存为“CSV UTF-8”后上传", file=name)
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # the guess is a last resort; any failure means "unknown"
        best = None
    if best is None:
        raise error("无法识别 CSV 文件的编码,请在 Excel 中另存为“CSV UTF-8(逗号分隔)”后上传", file=name)
    return str(best)


def guess_delimiter(sample: str) -> str:
    r"""The delimiter giving the most records of one width ≥ 3 (Chinese prose is full of commas,
    so ``csv.Sniffer`` guesses wrong too often).

    Parameters
    ----------
    sample : str
        The start of the CSV text (:func:`read_csv` passes its first 16 KB).

    Returns
    -------
    str
        ``,``, a tab or ``;`` (``,`` when none gives three or more columns).

    Examples
    --------
    >>> guess_delimiter("a\tb\tc\n1\t2,3\t4\n"), guess_delimiter("a;b;c\n1;2;3\n"), guess_delimiter("甲\n")
    ('\t', ';', ',')
    """
    best, best_score = ",", -1
    for d in (",", "\t", ";"):
        try:
            widths = [
                len(r)
                for r, _ in zip(csv.reader(io.StringIO(sample, newline=""), delimiter=d), range(40), strict=False)
            ]
        except csv.Error:
            continue
        wide = [w for w in widths if w >= 3]
        score = max((wide.count(w) for w in set(wide)), default=0)
        if score > best_score:
            best, best_score = d, score
    return best


def read_csv(
    source: bytes | str | Path,
    name: str | None = None,
    *,
    sheet: str | None = None,
    max_rows: int = MAX_ROWS,
    delimiter: str | None = None,
    trim: bool = True,
    error: type[InputError] = InputError,
) -> Sheet:
    r"""A CSV as one :class:`Sheet` of text cells (blank cells None); the delimiter is guessed when not given.

    ``trim=False`` keeps each record's trailing empty cells (``a,`` is two cells).

    Parameters
    ----------
    source : bytes, str or Path
        The file's bytes or its path.
    name : str, optional
        The file's name for messages (default: the path's name, or ``上传文件.csv``).
    sheet : str, optional
        The sheet name to give the result and messages (default None).
    max_rows : int, optional
        Rows allowed (default :data:`~core.limits.MAX_ROWS`).
    delimiter : str, optional
        The delimiter (default: :func:`guess_delimiter`).
    trim : bool, optional
        Drop each record's trailing empty cells (default True).
    error : type, optional
        The :class:`~core.errors.InputError` subclass to raise.

    Returns
    -------
    Sheet
        Every record as a row of text cells (blank cells None).

    Raises
    ------
    InputError
        (or ``error``) for a file too large, too many rows or cells, a cell longer than
        :data:`~core.limits.MAX_CELL_CHARS`, an unknown encoding or a broken quote, naming the row.

    Examples
    --------
    >>> s = read_csv("序号,工作要点\n1,简政放权\n".encode("gbk"), "a.csv")
    >>> s.rows
    (('序号', '工作要点'), ('1', '简政放权'))
    >>> read_csv(b"a,\n", "a.csv", trim=False).rows
    (('a', None),)
    >>> read_csv(b"a\nb\nc\n", "a.csv", max_rows=2)
    Traceback (most recent call last):
    ...
    core.errors.InputError: a.csv: 工作表行数超过 2 行,请删除多余的空行或无关内容后再上传
    """
    name = name or (Path(source).name if not isinstance(source, bytes) else "上传文件.csv")
    text = decode_csv(_source_bytes(source, name, error), name, error)
    delim = delimiter or guess_delimiter(text[:16384])
    rows: list[Row] = []
    filled = 0
    csv.field_size_limit(MAX_CELL_CHARS + 1)
    try:
        for r, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delim), start=1):
            if r > max_rows:
                raise _too_many_rows(name, sheet, max_rows, error)
            vals = [v if v.strip() else None for v in record]
            while trim and vals and vals[-1] is None:
                vals.pop()
            for c, v in enumerate(vals, start=1):
                if v is not None and len(v) > MAX_CELL_CHARS:
                    raise _too_long(name, sheet, r, c, len(v), error)
            filled += len(vals)
            if filled > MAX_FILLED_CELLS:
                raise error(
                    f"CSV 中的单元格超过 {MAX_FILLED_CELLS} 个(已读到第 {r} 行),请拆分成几个文件或删除无关内容后再上传",
                    file=name,
                    sheet=sheet,
                    row=r,
                )
            rows.append(tuple(vals))
    except csv.Error as err:
        if "field larger than field limit" in str(err):
            raise error(
                f"CSV 中有单元格超过 {MAX_CELL_CHARS} 个字符的上限,请删减后再上传",
                file=name,
                sheet=sheet,
                row=len(rows) + 1,
            ) from None
        raise error(f"CSV 格式错误({err}),请检查引号是否成对", file=name, sheet=sheet, row=len(rows) + 1) from None
    return Sheet(sheet, tuple(rows))


# ---------------------------------------------------------------- xlsx: package parts
_ATTR = re.compile(rb'([\w:.-]+)\s*=\s*"([^"]*)"|([\w:.-]+)\s*=\s*\'([^\']*)\'')
_SHEET_TAG = re.compile(rb"<(?:[\w.-]+:)?sheet\b([^>]*)>")
_REL_TAG = re.compile(rb"<(?:[\w.-]+:)?Relationship\b([^>]*)>")


def _attrs(raw: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR.finditer(raw):
        key = (m[1] or m[3]).decode("utf-8", "replace")
        out[key.rsplit(":", 1)[-1] if key.startswith("r:") else key] = html.unescape(
            (m[2] if m[1] else m[4]).decode("utf-8", "replace")
        )
    return out


def _read_member(archive: zipfile.ZipFile, member: str, limit: int = MAX_MEMBER_BYTES) -> bytes:
    with archive.open(member) as f:
        return f.read(limit + 1)[:limit]


def _xlsx_parts(archive: zipfile.ZipFile) -> list[tuple[str, str | None, bool]]:
    """``(sheet name, worksheet member or None for a chart sheet, visible)`` in workbook order."""
    book = _read_member(archive, "xl/workbook.xml")
    rels: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in archive.namelist():
        for m in _REL_TAG.finditer(_read_member(archive, "xl/_rels/workbook.xml.rels")):
            a = _attrs(m[1])
            if "worksheet" in a.get("Type", "").lower():
                target = a.get("Target", "")
                target = target.lstrip("/") if target.startswith("/") else "xl/" + target
                rels[a.get("Id", "")] = re.sub(r"[^/]+/\.\./", "", target)
    out = []
    for m in _SHEET_TAG.finditer(book):
        a = _attrs(m[1])
        if "name" in a:
            out.append((a["name"], rels.get(a.get("id", "")), a.get("state", "visible") == "visible"))
    return out


_PERCENT_BUILTIN = {9, 10}


def _percent_styles(archive: zipfile.ZipFile) -> set[int]:
    """Indexes of ``cellXfs`` whose number format shows a percent."""
    if "xl/styles.xml" not in archive.namelist():
        return set()
    styles = _read_member(archive, "xl/styles.xml")
    custom = {
        int(a["numFmtId"])
        for m in re.finditer(rb"<(?:\w+:)?numFmt\b([^>]*)>", styles)
        if "%" in (a := _attrs(m[1])).get("formatCode", "").replace("\\%", "") and a.get("numFmtId", "").isdigit()
    }
    section = re.search(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", styles, re.S)
    if not section:
        return set()
    out = set()
    for i, m in enumerate(re.finditer(rb"<(?:\w+:)?xf\b([^>]*)>", section[0])):
        fid = _attrs(m[1]).get("numFmtId", "0")
        if fid.isdigit() and (int(fid) in _PERCENT_BUILTIN or int(fid) in custom):
            out.add(i)
    return out


# ---------------------------------------------------------------- xlsx: the streaming scan
_ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row\b([^>]*)>")
_R_ATTR = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")
# cells at column AA or beyond, with content (not self-closing): the ones that widen the used range
# (any attribute r="AB12": only cells have one of that form, and XML allows spaces and either quote)
_WIDE_CELL = re.compile(rb"""\sr\s*=\s*["']([A-Z]{2,3})(\d+)["'][^>]*?(/?)>""")
_MERGE = re.compile(rb"""<(?:[\w.-]+:)?mergeCell\s[^>]*?ref\s*=\s*["']([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?["']""")
_CELL_REF = re.compile(rb"""\br\s*=\s*["']([A-Z]+)(\d+)["']""")


@dataclass
class _Scan:
    rows: int = 0
    filled: int = 0
    last_row: int = 0
    width: int = 0
    merges: list[Merge] = field(default_factory=list)
    percent: set[tuple[int, int]] = field(default_factory=set)


# any text between tags that long (a cell's text, or junk where no text belongs)
_ENTITY = re.compile(rb"&#?[0-9A-Za-z]+;")
_LONG_TEXT = re.compile(rb">([^<]{%d,})" % (MAX_CELL_CHARS + 1))
#: more bytes than a cell of MAX_CELL_CHARS characters takes in UTF-8 or as character references
#: (``&#1114111;``: 10 bytes a character); a longer run is cut into pieces, the first of which still
#: holds more than MAX_CELL_CHARS characters after its ``>``
_MAX_TEXT_BYTES = 10 * MAX_CELL_CHARS + 4096


def _chunks(archive: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    """A member's bytes 1 MB at a time, each piece ending before the last ``<`` (a tag or a cell's
    text is never cut), so regular expressions can scan the pieces one by one."""
    carry = b""
    with archive.open(member) as f:
        while chunk := f.read(_CHUNK):
            buf = carry + chunk
            cut = buf.rfind(b"<")
            if cut < 0 or len(buf) - cut > _MAX_TEXT_BYTES:
                # nothing open at the end, or a text longer than any cell may be: keep a short tail
                # (enough to see which tag was open) and let _check_text_runs judge the piece
                cut = len(buf) if cut < 0 else max(cut, len(buf) - 256)
            yield buf[:cut]
            carry = buf[cut:]
    if carry:
        yield carry


def _long_text_at(buf: bytes) -> int:
    """Where a cell text longer than MAX_CELL_CHARS characters starts in ``buf`` (-1: none), found
    before any parser holds it."""
    if len(buf) <= MAX_CELL_CHARS:
        return -1
    for m in _LONG_TEXT.finditer(buf):
        # a character written as a reference (``&#38271;``, ``&amp;``) is one character of the cell
        text = _ENTITY.sub(b"x", m[1])
        if len(text) > MAX_CELL_CHARS and len(text.decode("utf-8", "replace")) > MAX_CELL_CHARS:
            return m.start()
    return -1


def _long_text(name: str, sheet: str | None, row: int | None, error: type[InputError]) -> InputError:
    return error(
        f"有单元格内容(或文件中的一段文字)超过 {MAX_CELL_CHARS} 个字符的上限(Excel 单元格的上限),"
        "请删减该单元格内容、用 Excel 重新保存后再上传",
        file=name,
        sheet=sheet,
        row=row,
    )


def _scan_sheet(
    archive: zipfile.ZipFile,
    member: str,
    sheet: str,
    name: str,
    max_rows: int,
    percent_styles: set[int],
    error: type[InputError],
) -> _Scan:
    """One streaming pass over a worksheet's XML (1 MB at a time): rows (stops at the first past
    ``max_rows``), the widest column holding content, merged ranges, percent-formatted cells."""
    scan = _Scan()
    pct = (
        re.compile(
            rb"""<(?:[\w.-]+:)?c\s([^>]*?\bs\s*=\s*["'](?:"""
            + b"|".join(str(i).encode() for i in sorted(percent_styles))
            + rb""")["'][^>]*)>"""
        )
        if percent_styles
        else None
    )
    for buf in _chunks(archive, member):
        long_at = _long_text_at(buf)
        for m in _ROW_TAG.finditer(buf, 0, long_at if long_at >= 0 else len(buf)):
            r_attr = _R_ATTR.search(m[1])
            scan.last_row = int(r_attr[1]) if r_attr else scan.last_row + 1
            scan.rows += 1
            if scan.last_row > max_rows or scan.rows > max_rows:
                raise _too_many_rows(name, sheet, max_rows, error)
        if long_at >= 0:
            raise _long_text(name, sheet, scan.last_row or None, error)
        scan.filled += buf.count(b"</c>") + buf.count(b":c>")  # cells with content end with a closing tag
        if scan.filled > MAX_FILLED_CELLS:
            raise error(
                f"工作表中有内容的单元格超过 {MAX_FILLED_CELLS} 个(已读到第 {scan.last_row} 行),"
                "请拆分成几个文件或删除无关内容后再上传",
                file=name,
                sheet=sheet,
            )
        for m in _WIDE_CELL.finditer(buf):
            if not m[3]:
                scan.width = max(scan.width, _col_number(m[1]))
        if b"mergeCell" in buf:
            for m in _MERGE.finditer(buf):
                c1, r1 = _col_number(m[1]), int(m[2])
                c2, r2 = (_col_number(m[3]), int(m[4])) if m[3] else (c1, r1)
                if len(scan.merges) < MAX_CELLS // 100:
                    scan.merges.append((r1, c1, r2, c2))
        if pct is not None:
            for m in pct.finditer(buf):
                ref = _CELL_REF.search(m[1])
                if ref:
                    scan.percent.add((int(ref[2]), _col_number(ref[1])))
    if scan.width * max(scan.last_row, 1) > MAX_CELLS:
        raise error(
            f"工作表的已用区域过大(约 {scan.last_row} 行 × {scan.width} 列,超过 {MAX_CELLS} 个单元格),"
            f"最右边有内容的一列是 {column_letter(scan.width)} 列;请删除远处多余的单元格后再上传",
            file=name,
            sheet=sheet,
        )
    return scan


# ---------------------------------------------------------------- xlsx/xls/ods via calamine
def _calamine_error(kind: str, name: str, err: Exception, error: type[InputError]) -> InputError:
    text = " ".join(str(err).split())[:80]
    if "password" in text.lower() or "encrypt" in text.lower() or type(err).__name__ == "PasswordError":
        return error("工作簿已加密(设有打开密码),请在 Excel 中取消密码后另存再上传", file=name)
    if kind == "xls":
        return error(
            f"无法读取 .xls 工作簿({type(err).__name__}: {text}),文件可能已损坏或设有密码;"
            "请用 Excel/WPS 打开后另存为 xlsx 再上传",
            file=name,
        )
    what = "ODS 表格" if kind == "ods" else "Excel 工作簿"
    return error(
        f"无法读取 {what}({type(err).__name__}),文件可能已损坏或不是 Excel 保存的 {kind};"
        "请用 Excel/WPS 打开后“另存为”xlsx 再上传",
        file=name,
    )


def _open_calamine(data: bytes, kind: str, name: str, error: type[InputError]) -> Any:
    import python_calamine as pc

    try:
        return pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as err:  # calamine raises CalamineError, XmlError, ZipError, PasswordError …
        raise _calamine_error(kind, name, err, error) from err


def _calamine_rows(
    book: Any, sheet: str, kind: str, name: str, max_rows: int, error: type[InputError]
) -> tuple[tuple[Row, ...], list[Merge] | None]:
    try:
        ws = book.get_sheet_by_name(sheet)
        raw = ws.to_python(skip_empty_area=False)
        ranges = ws.merged_cell_ranges
    except Exception as err:  # see _open_calamine
        raise _calamine_error(kind, name, err, error) from err
    if len(raw) > max_rows:
        raise _too_many_rows(name, sheet, max_rows, error)
    rows = []
    for r, values in enumerate(raw, start=1):
        rows.append(_clean_row(values, r, name, sheet, error))
        raw[r - 1] = None  # let the converted row replace the raw one as we go
    merges = None if ranges is None else [(a[0] + 1, a[1] + 1, b[0] + 1, b[1] + 1) for a, b in ranges]
    return tuple(rows), merges


def _read_xlsx(
    data: bytes, name: str, wanted: Collection[str] | None, max_rows: int, percent: bool, error: type[InputError]
) -> list[Sheet]:
    check_zip(data, name, error)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = _xlsx_parts(archive)
            styles = _percent_styles(archive) if percent else set()
            if "xl/sharedStrings.xml" in archive.namelist():
                for buf in _chunks(archive, "xl/sharedStrings.xml"):
                    if _long_text_at(buf) >= 0:
                        raise _long_text(name, None, None, error)
            scans: dict[str, _Scan] = {}
            for sheet, member, _visible in parts:
                if member is None or (wanted is not None and sheet not in wanted):
                    continue
                if member not in archive.namelist():
                    raise error(f"工作表“{sheet}”的内容缺失,文件已损坏;请用 Excel 另存后再上传", file=name)
                scans[sheet] = _scan_sheet(archive, member, sheet, name, max_rows, styles, error)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise _calamine_error("xlsx", name, err, error) from err
    book = _open_calamine(data, "xlsx", name, error)
    out = []
    try:
        for sheet, _member, visible in parts:
            if sheet not in scans:
                continue
            rows, merges = _calamine_rows(book, sheet, "xlsx", name, max_rows, error)
            scan = scans[sheet]
            out.append(
                Sheet(
                    sheet, rows, tuple(merges if merges is not None else scan.merges), visible, frozenset(scan.percent)
                )
            )
    finally:
        book.close()
    return out


# ---------------------------------------------------------------- xls: a scan of the BIFF records
_BIFF_CELLS = {
    0x0203,
    0x027E,
    0x00FD,
    0x0204,
    0x0205,
    0x0006,
    0x00D6,
}  # NUMBER RK LABELSST LABEL BOOLERR FORMULA RSTRING
_BIFF_MULRK, _BIFF_BOF, _BIFF_EOF, _BIFF_FILEPASS = 0x00BD, 0x0809, 0x000A, 0x002F


def _scan_xls(data: bytes, name: str, max_rows: int, error: type[InputError]) -> None:
    """Refuse an encrypted .xls and sheets whose used area is too large, before calamine allocates it."""
    from xlrd.compdoc import CompDoc

    try:
        doc = CompDoc(data, logfile=io.StringIO())
        stream = doc.get_named_stream("Workbook") or doc.get_named_stream("Book")
    except Exception as err:  # xlrd raises CompDocError, struct.error, IndexError …
        raise _calamine_error("xls", name, err, error) from err
    if not stream:
        raise error(
            "无法读取 .xls 工作簿(文件中没有工作簿数据),文件可能已损坏;请用 Excel/WPS 打开后另存为 xlsx 再上传",
            file=name,
        )
    pos, n = 0, len(stream)
    depth, sheet_no, last_row, last_col, filled = 0, -1, 0, 0, 0
    while pos + 4 <= n:
        rtype = int.from_bytes(stream[pos : pos + 2], "little")
        size = int.from_bytes(stream[pos + 2 : pos + 4], "little")
        body = stream[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if rtype == _BIFF_FILEPASS and sheet_no <= 0:
            raise error("工作簿已加密(设有打开密码),请在 Excel 中取消密码后另存再上传", file=name)
        if rtype == _BIFF_BOF:
            depth += 1
            if depth == 1:  # the globals (0), then each sheet; charts inside a sheet are deeper
                sheet_no += 1
                last_row = last_col = filled = 0
        elif rtype == _BIFF_EOF:
            depth = max(0, depth - 1)
        elif depth == 1 and len(body) >= 4 and (rtype in _BIFF_CELLS or rtype == _BIFF_MULRK):
            row = int.from_bytes(body[0:2], "little")
            col = int.from_bytes(body[2:4], "little")
            filled += 1
            if rtype == _BIFF_MULRK and len(body) >= 6:
                col = int.from_bytes(body[-2:], "little")
                filled += (len(body) - 6) // 6
            if filled > MAX_FILLED_CELLS:
                raise error(
                    f"工作表中有内容的单元格超过 {MAX_FILLED_CELLS} 个,请拆分成几个文件或删除无关内容后再上传",
                    file=name,
                    sheet=f"第{sheet_no}个工作表",
                )
            if row > last_row or col > last_col:
                last_row, last_col = max(last_row, row), max(last_col, col)
                where = f"第{sheet_no}个工作表"
                if last_row + 1 > max_rows:
                    raise _too_many_rows(name, where, max_rows, error)
                if (last_row + 1) * (last_col + 1) > MAX_CELLS:
                    raise error(
                        f"工作表的已用区域过大(约 {last_row + 1} 行 × {last_col + 1} 列),"
                        "请删除远处多余的单元格后再上传",
                        file=name,
                        sheet=where,
                    )


def _read_xls_or_ods(
    data: bytes, kind: str, name: str, wanted: Collection[str] | None, max_rows: int, error: type[InputError]
) -> list[Sheet]:
    if kind == "xls":
        _scan_xls(data, name, max_rows, error)
    else:
        check_zip(data, name, error)
        _scan_ods(data, name, max_rows, error)
    book = _open_calamine(data, kind, name, error)
    out = []
    try:
        for meta in book.sheets_metadata:
            if wanted is not None and meta.name not in wanted:
                continue
            if "WorkSheet" not in str(meta.typ):
                continue
            rows, merges = _calamine_rows(book, meta.name, kind, name, max_rows, error)
            out.append(Sheet(meta.name, rows, tuple(merges or ()), "Visible" in str(meta.visible)))
    finally:
        book.close()
    return out


_ODS_ROW = re.compile(rb"<table:table-row\b([^>]*?)(/?)>")
_ODS_ROW_END = b"</table:table-row>"
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*?)(/?)>")
_ODS_ROWS_REP = re.compile(rb"""number-rows-repeated\s*=\s*["'](\d+)["']""")
_ODS_COLS_REP = re.compile(rb"""number-columns-repeated\s*=\s*["'](\d+)["']""")


def _scan_ods(data: bytes, name: str, max_rows: int, error: type[InputError]) -> None:
    """Refuse repeated rows/columns that would expand past the limits.  LibreOffice writes large
    repeats for trailing empty cells and rows (``<table:table-cell/>``, no value): those are not
    counted; a repeated cell or row with content is counted as often as it repeats."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        content = _read_member(archive, "content.xml")
    if _long_text_at(content) >= 0:
        raise _long_text(name, None, None, error)
    starts = [m.start() for m in re.finditer(rb"<table:table[\s>]", content)] + [len(content)]
    for t_start, t_end in zip(starts, starts[1:], strict=False):
        _scan_ods_table(content, t_start, t_end, name, max_rows, error)


def _scan_ods_table(content: bytes, pos: int, stop: int, name: str, max_rows: int, error: type[InputError]) -> None:
    row_no = last_row = width = 0
    while (m := _ODS_ROW.search(content, pos, stop)) is not None:
        reps = int(r[1]) if (r := _ODS_ROWS_REP.search(m[1])) else 1
        end = m.end() if m[2] else content.find(_ODS_ROW_END, m.end(), stop)
        end = stop if end < 0 else end
        col = used = 0
        for c in _ODS_CELL.finditer(content, m.end(), end):
            n = int(r[1]) if (r := _ODS_COLS_REP.search(c[1])) else 1
            col += n
            if not c[2] or b"value-type" in c[1]:
                used = col
        row_no += reps
        if used:
            last_row, width = row_no, max(width, used)
            if last_row > max_rows:
                raise _too_many_rows(name, None, max_rows, error)
            if last_row * width > MAX_CELLS:
                raise error(
                    f"表格的已用区域过大(约 {last_row} 行 × {width} 列,超过 {MAX_CELLS} 个单元格),"
                    "请删除远处多余的单元格后再上传",
                    file=name,
                )
        pos = end


# ---------------------------------------------------------------- HTML tables
def _span(cell: Any, attr: str) -> int:
    v = re.sub(r"\D", "", str(cell.get(attr) or "1"))[:9]
    return max(1, min(int(v), MAX_SPAN)) if v else 1


def html_table(
    table: Any,
    name: str,
    sheet: str,
    *,
    max_rows: int = MAX_ROWS,
    text: Callable[[Any], str | None] | None = None,
    error: type[InputError] = InputError,
) -> Sheet:
    """A BeautifulSoup ``<table>`` as a :class:`Sheet`: rowspan/colspan become merged ranges.

    Spans are capped at :data:`~core.limits.MAX_SPAN` (HTML itself caps colspan at 1000) and
    the table at :data:`~core.limits.MAX_TABLE_CELLS` cells, so ``colspan="300000000"`` costs nothing.

    Parameters
    ----------
    table : bs4.element.Tag
        The ``<table>`` element (rows of nested tables are not its rows).
    name : str
        The file's name, for messages.
    sheet : str
        The name the sheet gets (e.g. ``表格1``).
    max_rows : int, optional
        Rows allowed (default :data:`~core.limits.MAX_ROWS`).
    text : callable, optional
        Turns a cell into its text or None (default: its text with ``<br>`` as line breaks).
    error : type, optional
        The :class:`~core.errors.InputError` subclass to raise.

    Returns
    -------
    Sheet
        The table's cells, a spanned cell's value at its top-left and its span in ``merges``.

    Raises
    ------
    InputError
        (or ``error``) for too many rows, a table too large once spans are expanded, or a cell
        that is too long.

    Examples
    --------
    >>> from bs4 import BeautifulSoup
    >>> t = BeautifulSoup('<table><tr><td colspan="300000000">a</td></tr><tr><td>b</td></tr></table>',
    ...                   "html.parser").table
    >>> s = html_table(t, "a.html", "表格1")
    >>> s.width, s.merges, s.rows[1][0]
    (1000, ((1, 1, 1, 1000),), 'b')
    """
    cells: dict[tuple[int, int], str | None] = {}
    taken: set[tuple[int, int]] = set()
    merges: list[Merge] = []
    nrows = width = 0
    for r, tr in enumerate((tr for tr in table.find_all("tr") if tr.find_parent("table") is table), start=1):
        if r > max_rows:
            raise _too_many_rows(name, sheet, max_rows, error)
        nrows = r
        c = 1
        for td in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in taken:
                c += 1
            rs, cs = _span(td, "rowspan"), _span(td, "colspan")
            if len(taken) + rs * cs > MAX_TABLE_CELLS:
                raise error(
                    f"网页表格过大(合并单元格展开后超过 {MAX_TABLE_CELLS} 个单元格),"
                    "请检查 rowspan/colspan 或另存为 xlsx 后上传",
                    file=name,
                    sheet=sheet,
                    row=r,
                )
            value = (text or _html_cell_text)(td)
            if value is not None and len(value) > MAX_CELL_CHARS:
                raise _too_long(name, sheet, r, c, len(value), error)
            cells[(r, c)] = value
            for rr in range(r, r + rs):
                for cc in range(c, c + cs):
                    taken.add((rr, cc))
            if rs > 1 or cs > 1:
                merges.append((r, c, r + rs - 1, c + cs - 1))
            width = max(width, c + cs - 1)
            c += cs
    rows = tuple(tuple(cells.get((r, c)) for c in range(1, width + 1)) for r in range(1, nrows + 1))
    return Sheet(sheet, rows, tuple(merges))


def _html_cell_text(cell: Any) -> str | None:
    for br in cell.find_all("br"):
        br.replace_with("\n")
    text = "\n".join(line.strip() for line in cell.get_text().splitlines())
    return text.strip() or None


def _read_html(data: bytes, name: str, max_rows: int, error: type[InputError]) -> list[Sheet]:
    from bs4 import BeautifulSoup

    check_html_size(len(data), name, error)

    meta = re.search(rb'charset=["\']?([\w-]+)', data[:4096], re.I)
    text = None
    if meta:
        try:
            enc = meta[1].decode("ascii").lower()
            text = data.decode("gb18030" if enc in ("gb2312", "gbk", "gb18030") else enc)
        except (LookupError, UnicodeDecodeError):
            text = None
    soup = BeautifulSoup(text if text is not None else decode_csv(data, name, error), "lxml")
    sheets = []
    for i, table in enumerate(soup.find_all("table"), start=1):
        if table.find_parent("table") is not None:
            continue  # a table nested in a cell belongs to that cell
        sheets.append(html_table(table, name, f"表格{i}", max_rows=max_rows, error=error))
    if not sheets:
        raise error("网页文件中没有表格,请在系统中重新“导出 Excel”或另存为 xlsx 后上传", file=name)
    return sheets


# ---------------------------------------------------------------- the entry point
def read_workbook(
    source: bytes | str | Path,
    name: str | None = None,
    *,
    kind: str | None = None,
    sheets: Collection[str] | None = None,
    max_rows: int = MAX_ROWS,
    percent: bool = False,
    error: type[InputError] = InputError,
) -> list[Sheet]:
    r"""Every sheet (or only those named in ``sheets``) of an xlsx/xlsm, xls, ods or csv file.

    ``kind`` is sniffed from the bytes when not given (``html_table`` — an HTML page saved
    as .xls — must be asked for).  ``percent`` also collects which xlsx cells have a percent
    number format (0.8 shown as 80%).  Chart sheets are skipped; hidden sheets are read with
    ``visible=False``.

    Parameters
    ----------
    source : bytes, str or Path
        The file's bytes or its path.
    name : str, optional
        The file's name for messages (default: the path's name, or ``上传文件``).
    kind : str, optional
        ``xlsx``/``xlsm``, ``xls``, ``ods``, ``csv`` or ``html_table`` (default: :func:`sniff_kind`).
    sheets : collection of str, optional
        Read only these sheets (default: all).
    max_rows : int, optional
        Rows allowed per sheet (default :data:`~core.limits.MAX_ROWS`).
    percent : bool, optional
        Collect the percent-formatted cells of an xlsx (default False).
    error : type, optional
        The :class:`~core.errors.InputError` subclass to raise.

    Returns
    -------
    list of Sheet
        The sheets in workbook order.

    Raises
    ------
    InputError
        (or ``error``) naming the file, sheet, row and column, with a Chinese message saying what
        to do: a missing, too large, encrypted or broken file, an unsupported kind, a used area or a
        cell past the limits of :mod:`core.limits`.

    Examples
    --------
    >>> import io, openpyxl
    >>> wb = openpyxl.Workbook(); ws = wb.active; ws.title = "任务"
    >>> ws.append(["任务分解表"]); ws.merge_cells("A1:C1"); ws.append([1, 2.5, "x"])
    >>> buf = io.BytesIO(); wb.save(buf)
    >>> [s] = read_workbook(buf.getvalue(), "a.xlsx")
    >>> s.name, s.rows, s.merges, s.merged_value(1, 3)
    ('任务', (('任务分解表',), (1, 2.5, 'x')), ((1, 1, 1, 3),), '任务分解表')
    >>> read_workbook(b"PK\x03\x04", "b.xlsx")
    Traceback (most recent call last):
    ...
    core.errors.InputError: b.xlsx: 不支持的表格类型 zip,请上传 xlsx、xls、ods 或 csv 文件
    """
    name = name or (Path(source).name if not isinstance(source, bytes) else "上传文件")
    data = _source_bytes(source, name, error)
    kind = kind or sniff_kind(data, name)
    if kind in ("xlsx", "xlsm"):
        return _read_xlsx(data, name, sheets, max_rows, percent, error)
    if kind in ("xls", "ods"):
        return _read_xls_or_ods(data, kind, name, sheets, max_rows, error)
    if kind == "csv":
        return [read_csv(data, name, max_rows=max_rows, error=error)]
    if kind == "html_table":
        return _read_html(data, name, max_rows, error)
    raise error(f"不支持的表格类型 {kind},请上传 xlsx、xls、ods 或 csv 文件", file=name)


def iter_values(sheet: Sheet) -> Iterator[tuple[int, Row]]:
    """``(row number, values)`` of the rows that hold anything.

    Parameters
    ----------
    sheet : Sheet
        The sheet.

    Yields
    ------
    tuple of (int, tuple)
        The 1-based row number and the row's values, for every row with a non-blank cell.

    Examples
    --------
    >>> list(iter_values(Sheet("任务", [("序号",), (None, " "), (1,)])))
    [(1, ('序号',)), (3, (1,))]
    """
    for r, values in enumerate(sheet.rows, start=1):
        if any(not is_blank(v) for v in values):
            yield r, values
