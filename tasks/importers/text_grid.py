"""Task-breakdown tables held as real tables inside a Word or HTML document.

A grid is a list of rows of cell strings (merged cells already repeated).
:func:`parse_grid` finds the header row by its words (序号/工作要点/牵头部门/…),
reads section rows (``一、…`` across the width), stops at a ``注:`` row and
returns :class:`~.text_layouts.RawTask` records.

>>> rows = [["序号", "工作要点", "牵头单位", "责任单位", "完成时限"],
...         ["一、提升效率", "一、提升效率", "一、提升效率", "一、提升效率", "一、提升效率"],
...         ["1", "推行叫号", "市数字办", "市直各相关\\n单位", "2018年8月底前"]]
>>> [(t.id, t.section, t.responsible, t.line) for t in parse_grid(rows, sheet="表格1").tasks]
[('1', '一、提升效率', '市直各相关单位', 3)]
"""

from __future__ import annotations

import csv
import io
import re

from ..numbers import parse_serial
from .text_layouts import Found, RawTask, header_role
from .text_units import join_unit_fragments


def _header(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    for r, row in enumerate(rows[:15]):
        cols: dict[str, int] = {}
        for c, cell in enumerate(row):
            role = header_role(cell)
            if role and role not in cols:
                cols[role] = c
        if len(cols) >= 3 and ("lead" in cols or "responsible" in cols):
            # a two-row header: 责任单位 over 牵头单位 | 配合单位
            if r + 1 < len(rows):
                sub = {
                    c: role
                    for c, cell in enumerate(rows[r + 1])
                    if (role := header_role(cell)) in ("lead", "responsible")
                }
                if sub:
                    cols = {role: c for role, c in cols.items() if c not in sub}
                    for c, role in sorted(sub.items()):
                        cols.setdefault(role, c)
                    return r + 1, cols
            return r, cols
    return None


def _cell(row: list[str], col: int | None) -> str:
    if col is None or col >= len(row):
        return ""
    return (row[col] or "").strip()


def _units(text: str) -> str:
    return "\n".join(join_unit_fragments(text.replace("\r", "\n").split("\n")))


def parse_grid(rows: list[list[str]], *, sheet: str) -> Found:
    """Tasks of one document table (empty ``Found.tasks`` when it is not a task table)."""
    found = Found("table", sheet=sheet)
    head = _header(rows)
    if head is None:
        return found
    h, cols = head
    found.first = h + 1
    section, counter = "", 0
    for r in range(h + 1, len(rows)):
        row = [(c or "").strip() for c in rows[r]]
        values = [c for c in row if c]
        if not values:
            continue
        if len({header_role(c) for c in row} - {None}) >= 3:
            continue  # header repeated after a page break
        if re.match(r"^(?:注|备注|说明)\s*[:：]", values[0]):
            break
        distinct = list(dict.fromkeys(values))
        serial = parse_serial(_cell(row, cols.get("id"))) if "id" in cols else None
        if serial is None and len(distinct) == 1:
            section = distinct[0]
            continue
        title = _cell(row, cols.get("title"))
        if serial is None and "id" in cols and not (title or _cell(row, cols.get("description"))):
            continue
        counter += 1
        found.tasks.append(
            RawTask(
                id=str(serial if serial is not None else counter),
                title=title,
                description=_cell(row, cols.get("description")) if cols.get("description") != cols.get("title") else "",
                section=section,
                lead=_units(_cell(row, cols.get("lead"))),
                responsible=_units(_cell(row, cols.get("responsible"))),
                deadline=_cell(row, cols.get("deadline")),
                line=r + 1,
                sheet=sheet,
                layout="table",
                predecessors=_cell(row, cols.get("predecessors")),
            )
        )
        found.last = r + 1
    return found


def parse_tsv(text: str) -> Found | None:
    """A table pasted from Excel/Word as tab-separated text (quoted multi-line cells allowed).

    Rows start at the header line (the first line with three header words
    between tabs); ``line`` of each task is its line in the file.
    """
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = next(
        (i for i, ln in enumerate(raw) if "\t" in ln and len({header_role(c) for c in ln.split("\t")} - {None}) >= 3),
        None,
    )
    if start is None:
        return None
    reader = csv.reader(io.StringIO("\n".join(raw[start:])), delimiter="\t")
    rows, first_lines = [], []
    line_before = 0
    for row in reader:
        first_lines.append(start + line_before + 1)
        line_before = reader.line_num
        rows.append(row)
    found = parse_grid(rows, sheet="tsv")
    if not found.tasks:
        return None
    for t in found.tasks:
        t.line, t.sheet, t.layout = first_lines[t.line - 1] if t.line else None, None, "tsv"
    if found.first is not None and found.last is not None:
        found.first, found.last = first_lines[found.first - 1], first_lines[found.last - 1]
    found.layout, found.sheet = "tsv", None
    return found
