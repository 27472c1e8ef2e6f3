"""Reading xlsx/xls/csv files (and HTML tables saved as .xls) into plain grids of cell values.

A :class:`Grid` is one sheet: ``rows[i]`` holds the values of sheet row
``i + 1`` (so row numbers users see in Excel stay true) and ``merges`` the
merged ranges.  Every way a library can fail on a damaged file becomes one
:class:`~tasks.errors.ImportFailed` with a Chinese message.

>>> g = Grid("Sheet1", [("标题", None), ("序号", "工作要点")], [(1, 1, 1, 2)])
>>> g.value(2, 2), g.span(1, 1)
('工作要点', (1, 1, 1, 2))
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import ImportFailed

_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
#: more rows than any task table has: a sheet formatted down to row 1,048,576
MAX_ROWS = 100_000
#: merged ranges larger than this are not expanded cell by cell (a whole-sheet merge is decoration)
_MAX_COVER = 200_000


@dataclass
class Grid:
    """One sheet's values (row ``i + 1`` is ``rows[i]``) and merged ranges ``(r1, c1, r2, c2)``, 1-based."""

    name: str | None
    rows: list[tuple[Any, ...]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    _cover: dict[tuple[int, int], tuple[int, int, int, int]] | None = field(default=None, repr=False)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def value(self, row: int, col: int) -> Any:
        """The value at 1-based ``row``/``col`` (None outside the data)."""
        if 1 <= row <= len(self.rows):
            r = self.rows[row - 1]
            if 1 <= col <= len(r):
                return r[col - 1]
        return None

    def span(self, row: int, col: int) -> tuple[int, int, int, int] | None:
        """The merged range covering this cell, if any."""
        if self._cover is None:
            cover: dict[tuple[int, int], tuple[int, int, int, int]] = {}
            for m in self.merges:
                r1, c1, r2, c2 = m
                if (r2 - r1 + 1) * (c2 - c1 + 1) > _MAX_COVER:
                    continue
                for r in range(r1, r2 + 1):
                    for c in range(c1, c2 + 1):
                        cover[(r, c)] = m
            self._cover = cover
        return self._cover.get((row, col))

    def merged_value(self, row: int, col: int) -> Any:
        """The value shown in this cell: a merged range shows its top-left value everywhere."""
        m = self.span(row, col)
        return self.value(m[0], m[1]) if m else self.value(row, col)


def _trim(row: tuple[Any, ...] | list[Any]) -> tuple[Any, ...]:
    """The row without its trailing empty cells (formatted but empty cells to column XFD cost memory)."""
    n = len(row)
    while n and is_blank(row[n - 1]):
        n -= 1
    return tuple(row[:n])


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _xlsx_merges(archive: zipfile.ZipFile, member: str) -> list[tuple[int, int, int, int]]:
    """Merged ranges read straight from the sheet XML (read-only openpyxl does not expose them)."""
    with archive.open(member) as f:
        data = f.read()
    start = data.find(b"mergeCell", max(data.rfind(b"sheetData"), 0))  # merges follow the cell data
    if start < 0:
        return []
    out = []
    for m in _MERGE_RE.finditer(data, data.rfind(b"<", 0, start)):
        c1, r1 = _col_number(m[1]), int(m[2])
        c2, r2 = (_col_number(m[3]), int(m[4])) if m[3] else (c1, r1)
        out.append((r1, c1, r2, c2))
    return out


def _one_line(err: Exception, limit: int = 80) -> str:
    """An exception's text cut to one short line (messages are shown on one line)."""
    text = " ".join(str(err).split())
    return text[:limit] + ("…" if len(text) > limit else "")


def _fail_xlsx(name: str, err: Exception) -> ImportFailed:
    return ImportFailed(
        f"无法读取 Excel 工作簿({type(err).__name__}),文件可能已损坏或不是 Excel 保存的 xlsx;"
        "请用 Excel/WPS 打开后“另存为”xlsx 再上传", file=name)


def read_xlsx(path: Path, name: str) -> list[Grid]:
    """All worksheets of an xlsx, values only (read-only mode: fast) plus merged ranges."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:
        raise _fail_xlsx(name, err) from err
    grids = []
    try:
        archive = getattr(wb, "_archive", None)
        for ws in wb.worksheets:
            ws.reset_dimensions()  # some writers store a wrong <dimension>
            rows = []  # type: ignore[var-annotated]
            for r in ws.iter_rows(values_only=True):
                if len(rows) >= MAX_ROWS:
                    raise ImportFailed(f"工作表行数超过 {MAX_ROWS} 行,请删除多余的空行或无关内容后再上传",
                                       file=name, sheet=ws.title)
                rows.append(_trim(r))
            member = getattr(ws, "_worksheet_path", None)
            merges = _xlsx_merges(archive, member) if archive is not None and member else []
            grids.append(Grid(ws.title, rows, merges))
    except ImportFailed:
        raise
    except Exception as err:
        raise _fail_xlsx(name, err) from err
    finally:
        wb.close()
    return grids


def read_xls(path: Path, name: str) -> list[Grid]:
    """All sheets of an old-format .xls (xlrd), dates as ``datetime``."""
    import xlrd

    try:
        try:
            book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=False)
        except NotImplementedError:  # formatting_info is not available for some BIFF versions
            book = xlrd.open_workbook(str(path), on_demand=False)
    except Exception as err:
        if "encrypt" in str(err).lower():
            raise ImportFailed("工作簿已加密(设有打开密码),请在 Excel 中取消密码后另存再上传",
                               file=name) from err
        raise ImportFailed(
            f"无法读取 .xls 工作簿({type(err).__name__}: {_one_line(err)}),文件可能已损坏或设有密码;"
            "请用 Excel/WPS 打开后另存为 xlsx 再上传", file=name) from err
    grids = []
    try:
        for sh in book.sheets():
            rows = []
            for r in range(sh.nrows):
                vals = []
                for _c, cell in enumerate(sh.row(r)):
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        try:
                            vals.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
                        except Exception:
                            vals.append(cell.value)
                    elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                        vals.append(None)
                    else:
                        vals.append(cell.value)
                rows.append(_trim(vals))
            merges = [(r1 + 1, c1 + 1, r2, c2) for r1, r2, c1, c2 in getattr(sh, "merged_cells", [])]
            grids.append(Grid(sh.name, rows, merges))
    finally:
        book.release_resources()
    return grids


def decode_text(data: bytes, name: str) -> str:
    """CSV bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (GBK), else a guess."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise ImportFailed("文件不是文本格式的 CSV(含有二进制内容),请在 Excel 中另存为“CSV UTF-8”后上传",
                           file=name)
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:
        best = None
    if best is None:
        raise ImportFailed("无法识别 CSV 文件的编码,请在 Excel 中另存为“CSV UTF-8(逗号分隔)”后上传", file=name)
    return str(best)


def _guess_delimiter(sample: str) -> str:
    """The delimiter giving the most records of one width ≥ 3 (Chinese prose is full of commas,
    so ``csv.Sniffer`` guesses wrong too often)."""
    best, best_score = ",", -1
    for d in (",", "\t", ";"):
        try:
            widths = [len(r) for r, _ in zip(csv.reader(io.StringIO(sample, newline=""), delimiter=d),
                                              range(40))]
        except csv.Error:
            continue
        wide = [w for w in widths if w >= 3]
        score = max((wide.count(w) for w in set(wide)), default=0)
        if score > best_score:
            best, best_score = d, score
    return best


def read_csv(path: Path, name: str) -> list[Grid]:
    """A CSV as one grid; the delimiter (comma, tab, semicolon) is guessed from the first lines."""
    text = decode_text(path.read_bytes(), name)
    delimiter = _guess_delimiter(text[:16384])
    try:
        rows = [_trim(tuple(v if v.strip() else None for v in r))
                for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as err:
        raise ImportFailed(f"CSV 格式错误({err}),请检查引号是否成对", file=name) from err
    return [Grid(None, rows, [])]


def _html_cell_text(cell: Any) -> str | None:
    for br in cell.find_all("br"):
        br.replace_with("\n")
    text = "\n".join(line.strip() for line in cell.get_text().splitlines())
    return text.strip() or None


def _span(td: Any, attr: str, cap: int) -> int:
    v = str(td.get(attr) or "1").strip()
    return max(1, min(int(v), cap)) if v.isdigit() else 1


def read_html_tables(path: Path, name: str) -> list[Grid]:
    """Each <table> of an HTML page (an “Excel export” of a web system) as a grid;
    rowspan/colspan become merged ranges, as in a real workbook."""
    from bs4 import BeautifulSoup

    data = path.read_bytes()
    meta = re.search(rb'charset=["\']?([\w-]+)', data[:4096], re.I)
    text = None
    if meta:
        try:
            enc = meta[1].decode("ascii").lower()
            text = data.decode("gb18030" if enc in ("gb2312", "gbk", "gb18030") else enc)
        except (LookupError, UnicodeDecodeError):
            text = None
    soup = BeautifulSoup(text if text is not None else decode_text(data, name), "lxml")
    grids = []
    for i, table in enumerate(soup.find_all("table"), start=1):
        if table.find_parent("table") is not None:
            continue  # a table nested in a cell belongs to that cell
        cells: dict[tuple[int, int], Any] = {}
        taken: set[tuple[int, int]] = set()
        merges = []
        nrows = 0
        for r, tr in enumerate(table.find_all("tr"), start=1):
            if tr.find_parent("table") is not table:
                continue
            nrows = r
            c = 1
            for td in tr.find_all(["td", "th"], recursive=False):
                while (r, c) in taken:
                    c += 1
                rs, cs = _span(td, "rowspan", 1000), _span(td, "colspan", 100)
                cells[(r, c)] = _html_cell_text(td)
                for rr in range(r, r + rs):
                    for cc in range(c, c + cs):
                        taken.add((rr, cc))
                if rs > 1 or cs > 1:
                    merges.append((r, c, r + rs - 1, c + cs - 1))
                c += cs
        width = max((c for _, c in taken), default=0)
        rows = [tuple(cells.get((r, c)) for c in range(1, width + 1)) for r in range(1, nrows + 1)]
        grids.append(Grid(f"表格{i}", rows, merges))
    if not grids:
        raise ImportFailed("网页文件中没有表格,请在系统中重新“导出 Excel”或另存为 xlsx 后上传", file=name)
    return grids


def read_grids(path: Path, kind: str, name: str) -> list[Grid]:
    """Every sheet of a table file of the given kind (``xlsx``, ``xls`` or ``csv``)."""
    if kind == "xlsx":
        return read_xlsx(path, name)
    if kind == "xls":
        return read_xls(path, name)
    if kind == "csv":
        return read_csv(path, name)
    if kind == "html_table":
        return read_html_tables(path, name)
    raise ImportFailed(f"不支持的表格类型 {kind}", file=name)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    """A cell as text: ``3.0`` → ``3``, dates as ISO, strings stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()
