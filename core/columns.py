"""Large single tables (ticket logs of half a million rows) read column by column.

:func:`core.sheets.read_workbook` is built for task tables and progress sheets: a row limit of
:data:`~core.limits.MAX_ROWS`, cells cleaned one by one into row tuples, a full scan of the
sheet's XML.  A queue system's 叫号记录 export has hundreds of thousands of rows of a few short
cells, so this module is its fast path through the same parts of :mod:`core.sheets`
(:func:`~core.sheets.sniff_kind`, :func:`~core.sheets.decode_csv`, the workbook's sheet list,
calamine and its Chinese errors), with limits of its own (:data:`MAX_LARGE_BYTES`,
:data:`MAX_LARGE_ROWS`, :data:`MAX_LARGE_CELLS`) checked before calamine allocates anything:

* the zip package: every member's declared size and compression ratio, and the size each one
  really inflates to (the sheet's XML is inflated once, by the scan below);
* one streaming pass over the sheet's XML: the highest row number and the widest column, so
  a sparse sheet (cells at ``A1`` and ``XFD1048576``) is refused instead of allocated.  The
  common layout (``<row r="…">``, ``<c r="…">`` without namespace prefixes, columns A–Z) is
  checked with byte searches; any other chunk falls back to the regular expressions of
  :mod:`core.sheets`.

Values are calamine's: text, float, ``datetime``/``date``/``time``, bool, ``""`` for empty
cells; rows are read with the garbage collector paused (millions of small objects otherwise
trigger a collection every few thousand allocations, which costs more than the reading).

>>> import io, openpyxl
>>> wb = openpyxl.Workbook(); ws = wb.active; ws.title = "叫号记录"
>>> ws.append(["票号", "取号时间"]); ws.append(["A001", "2026-11-02 09:00:00"]); ws.append(["A002", None])
>>> buf = io.BytesIO(); wb.save(buf)
>>> t = read_columns(buf.getvalue(), "log.xlsx")
>>> t.name, t.height, t.columns[0], t.columns[1][1:]
('叫号记录', 3, ['票号', 'A001', 'A002'], ['2026-11-02 09:00:00', ''])
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .gcpause import pause_gc
from .limits import MAX_RATIO, RATIO_FLOOR
from .sheets import (
    _R_ATTR,
    _ROW_TAG,
    _WIDE_CELL,
    _calamine_error,
    _chunks,
    _col_number,
    _open_calamine,
    _xlsx_parts,
    column_letter,
    sniff_kind,
)

__all__ = [
    "MAX_LARGE_BYTES",
    "MAX_LARGE_CELLS",
    "MAX_LARGE_ROWS",
    "Columns",
    "read_columns",
]

#: one large table's file (a busy hall's year of tickets is about 50 MB as xlsx)
MAX_LARGE_BYTES = 512 * 1024 * 1024
#: rows of a large table: Excel's own grid
MAX_LARGE_ROWS = 1_048_576
#: the sheet's used area (rows × columns) calamine may allocate, and its XML once inflated
MAX_LARGE_CELLS = 30_000_000
MAX_LARGE_XML = 2 * 1024 * 1024 * 1024

#: a reference with two or more letters (column AA on) or a row number of seven digits
_ODD_REF = re.compile(rb'r="(?:[A-Z]{2}|\d{7})')
#: a row tag whose first attribute is not r="…"
_ODD_ROW = re.compile(rb'<row(?! r=")')
_PLAIN_ROWS = 999_999


@dataclass(frozen=True)
class Columns:
    """One table's values column by column: ``columns[j][i]`` is the cell at sheet row ``i + 1``,
    column ``j + 1`` (``""`` where empty); every column has ``height`` values."""

    name: str | None
    columns: tuple[list[Any], ...]

    @property
    def height(self) -> int:
        """Rows (the sheet's used range, from row 1)."""
        return len(self.columns[0]) if self.columns else 0


def _large_bytes(source: bytes | str | Path, name: str, max_bytes: int, error: type[InputError]) -> bytes:
    if isinstance(source, bytes):
        data = source
    else:
        p = Path(source)
        if not p.is_file():
            raise error("文件不存在", file=name)
        size = p.stat().st_size
        if size > max_bytes:
            raise _too_big(size, max_bytes, name, error)
        data = p.read_bytes()
    if not data:
        raise error("文件是空的", file=name)
    if len(data) > max_bytes:
        raise _too_big(len(data), max_bytes, name, error)
    return data


def _too_big(size: int, max_bytes: int, name: str, error: type[InputError]) -> InputError:
    return error(f"文件过大({size / 1048576:.0f} MB),上限为 {max_bytes // 1048576} MB,请按月拆分后再导入", file=name)


def _refuse(member: str, name: str, error: type[InputError], why: str) -> InputError:
    return error(f"压缩包内的“{member}”{why},已拒绝;请删除多余内容、用 Excel 重新保存后再导入", file=name)


def _check_package(archive: zipfile.ZipFile, skip: str, name: str, error: type[InputError]) -> None:
    """Declared sizes and ratios of every member; real sizes of all but ``skip`` (inflated by the scan)."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.file_size > MAX_LARGE_XML or total > 2 * MAX_LARGE_XML:
            raise _refuse(info.filename, name, error, f"解压后超过 {MAX_LARGE_XML // 1048576} MB 的上限")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse(info.filename, name, error, f"压缩比超过 {MAX_RATIO} 倍(疑似“压缩炸弹”)")
        if info.is_dir() or info.filename == skip:
            continue
        actual = 0
        with archive.open(info) as f:
            while chunk := f.read(1 << 20):
                actual += len(chunk)
                if actual > info.file_size:
                    raise _refuse(info.filename, name, error, "的大小与压缩包记录的不符")


def _scan_rows_cols(
    archive: zipfile.ZipFile,
    member: str,
    sheet: str,
    name: str,
    max_rows: int,
    error: type[InputError],
    exact: bool = False,
) -> tuple[int, int]:
    """The highest row number (or a bound) and the widest column (1-based) of the sheet's XML, in one
    pass; ``exact`` parses every row tag (done again only when the bound alone would refuse the sheet)."""
    info = archive.getinfo(member)
    last_row = width = inflated = seq = bound = 0
    for buf in _chunks(archive, member):
        inflated += len(buf)
        if inflated > max(info.file_size, 0) + 1 or inflated > MAX_LARGE_XML:
            raise _refuse(member, name, error, "的大小与压缩包记录的不符或超过上限")
        # the common layout needs no parsing: every row tag is <row r="…"> with at most 6 digits and
        # every cell reference has one letter, so the used range is within 999,999 rows × 26 columns
        plain = not exact and _ODD_REF.search(buf) is None and _ODD_ROW.search(buf) is None and b":row" not in buf
        if plain:  # rows below 1,000,000: the bound is enough (the row limit is checked on the rows read)
            bound = _PLAIN_ROWS
        else:
            seq = max(seq, bound)
            for m in _ROW_TAG.finditer(buf):
                r_attr = _R_ATTR.search(m[1])
                seq = int(r_attr[1]) if r_attr else seq + 1
                last_row = max(last_row, seq)
            for m in _WIDE_CELL.finditer(buf):
                if not m[3]:
                    width = max(width, _col_number(m[1]))
        if last_row > max_rows:
            raise error(f"工作表行数超过 {max_rows} 行,请按月拆分后再导入", file=name, sheet=sheet)
    width = max(width, 26)  # columns A–Z are always allowed (a narrow bound is not needed)
    if max(last_row, bound) * width > MAX_LARGE_CELLS:
        if bound > last_row:
            return _scan_rows_cols(archive, member, sheet, name, max_rows, error, exact=True)
        raise error(
            f"工作表的已用区域过大(约 {last_row} 行 × {width} 列),最右边有内容的一列是 {column_letter(width)} 列;"
            "请删除远处多余的单元格后再导入",
            file=name,
            sheet=sheet,
        )
    return last_row, width


def _transpose(rows: list[list[Any]]) -> tuple[list[Any], ...]:
    """Rows (calamine's are all as wide as the used range) to columns."""
    if not rows:
        return ()
    try:
        return tuple(list(c) for c in zip(*rows, strict=True))
    except ValueError:  # ragged rows: pad with empty cells
        width = max(len(r) for r in rows)
        return tuple(list(c) for c in zip(*(r + [""] * (width - len(r)) for r in rows), strict=True))


def read_columns(
    source: bytes | str | Path,
    name: str | None = None,
    *,
    max_bytes: int = MAX_LARGE_BYTES,
    max_rows: int = MAX_LARGE_ROWS,
    error: type[InputError] = InputError,
) -> Columns:
    """The first worksheet of an xlsx/xlsm, xls or ods file, column by column.

    CSV is not read here (decode it with :func:`core.sheets.decode_csv` and give the text to a
    columnar CSV parser).  Raises ``error`` naming the file (and sheet) with a Chinese message.
    """
    name = name or (Path(source).name if not isinstance(source, bytes) else "上传文件")
    data = _large_bytes(source, name, max_bytes, error)
    kind = sniff_kind(data, name)
    if kind not in ("xlsx", "xls", "ods"):
        raise error("不是 Excel 工作簿(xlsx/xls/ods),请另存为 xlsx 或 csv 后再导入", file=name)
    sheet: str | None = None
    if kind == "xlsx":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                parts = [(s, m) for s, m, _v in _xlsx_parts(archive) if m is not None]
                if not parts:
                    raise error("工作簿中没有工作表", file=name)
                sheet, member = parts[0]
                if member not in archive.namelist():
                    raise error(f"工作表“{sheet}”的内容缺失,文件已损坏;请用 Excel 另存后再导入", file=name)
                _check_package(archive, member, name, error)
                _scan_rows_cols(archive, member, sheet, name, max_rows, error)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, RuntimeError) as err:
            raise _calamine_error("xlsx", name, err, error) from err
    elif kind == "ods":
        from .sheets import _scan_ods

        _scan_ods(data, name, max_rows, error)
    else:
        from .sheets import _scan_xls

        _scan_xls(data, name, max_rows, error)
    book = _open_calamine(data, kind, name, error)
    try:
        with pause_gc():
            try:
                ws = book.get_sheet_by_name(sheet) if sheet is not None else book.get_sheet_by_index(0)
                sheet = ws.name
                rows = ws.to_python(skip_empty_area=False)
            except Exception as err:  # calamine raises CalamineError, XmlError, ZipError …
                raise _calamine_error(kind, name, err, error) from err
            if len(rows) > max_rows:
                raise error(f"工作表行数超过 {max_rows} 行,请按月拆分后再导入", file=name, sheet=sheet)
            columns = _transpose(rows)
            del rows
    finally:
        book.close()
    return Columns(sheet, columns)
