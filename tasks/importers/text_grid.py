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
        found.tasks.append(RawTask(
            id=str(serial if serial is not None else counter),
            title=title,
            description=_cell(row, cols.get("description")) if cols.get("description") != cols.get("title") else "",
            section=section,
            lead=_units(_cell(row, cols.get("lead"))),
            responsible=_units(_cell(row, cols.get("responsible"))),
            deadline=_cell(row, cols.get("deadline")),
            line=r + 1, sheet=sheet, layout="table"))
        found.last = r + 1
    return found
