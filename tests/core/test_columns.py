"""core.columns: the column-wise reader for large single tables (ticket logs) and its guards."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import bombs
import openpyxl
import pytest

from core.columns import Columns, read_columns
from core.errors import InputError

SHEET_XML = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>'
)


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "叫号记录"
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _with_sheet_xml(rows_xml: str) -> bytes:
    """An openpyxl workbook whose sheet XML is replaced by ``rows_xml`` (hand-written layouts)."""
    src = zipfile.ZipFile(io.BytesIO(_xlsx([["x"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = SHEET_XML.format(rows=rows_xml).encode()
            z.writestr(info.filename, data)
    return out.getvalue()


def test_columns_hold_each_cell_at_its_row():
    data = _xlsx([["票号", "取号时间", "工号"], ["A001", datetime(2026, 11, 2, 9, 0, 5), 1012], ["A002", None, "1013"]])
    t = read_columns(data, "log.xlsx")
    assert isinstance(t, Columns) and t.name == "叫号记录" and t.height == 3
    assert t.columns[0] == ["票号", "A001", "A002"]
    assert t.columns[1] == ["取号时间", datetime(2026, 11, 2, 9, 0, 5), ""]
    assert t.columns[2][1:] == [1012.0, "1013"]


def test_rows_and_cells_without_references_and_wide_columns_are_scanned_exactly():
    """Rows without r="…" and cells past column Z take the exact scan; the values still land right."""
    cells = "".join(f'<c r="{c}{{r}}" t="inlineStr"><is><t>{c}{{r}}</t></is></c>' for c in ("A", "AB"))
    rows = '<row r="1">' + cells.format(r=1) + "</row><row>" + cells.format(r=2) + "</row>"
    t = read_columns(_with_sheet_xml(rows), "wide.xlsx")
    assert t.height == 2 and len(t.columns) == 28
    assert t.columns[0] == ["A1", "A2"] and t.columns[27] == ["AB1", "AB2"]


def test_sparse_sheet_is_refused_before_anything_is_allocated(tmp_path):
    """A1 and XFD1048576: calamine would allocate 16384 × 1048576 cells; refused with the far column named."""
    path = bombs.sparse_xlsx(tmp_path / "稀疏.xlsx")
    code = f"from core.columns import read_columns; read_columns({str(path)!r})"
    r = bombs.run_child(code)
    assert r.returncode != 0 and "已用区域过大" in r.stderr and "XFD" in r.stderr
    assert r.peak_mb < 500
    with pytest.raises(InputError, match="已用区域过大"):
        read_columns(path)


def test_limits_and_kinds_give_one_chinese_error(tmp_path):
    data = _xlsx([[i] for i in range(10)])
    with pytest.raises(InputError, match="行数超过 5 行"):
        read_columns(data, "a.xlsx", max_rows=5)
    with pytest.raises(InputError, match="文件过大"):
        read_columns(data, "a.xlsx", max_bytes=1000)
    with pytest.raises(InputError, match="不是 Excel 工作簿"):
        read_columns("取号时间\n".encode(), "a.csv")
    with pytest.raises(InputError, match="文件是空的"):
        read_columns(b"", "a.xlsx")
    with pytest.raises(InputError, match="文件不存在"):
        read_columns(Path(tmp_path / "none.xlsx"))
    with pytest.raises(InputError, match="a.xlsx"):
        read_columns(b"PK\x03\x04 not a zip", "a.xlsx")
