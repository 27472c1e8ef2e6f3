"""What the office hands out: the filtered task list as xlsx, and one unit's task list to print.

- :func:`task_list_xlsx`: the task list as shown (after the page's filters) in a styled workbook
  (:mod:`core.xlsxout`: dates as dates, progress as a percentage number, autofilter, A4 landscape,
  header repeated on every printed page);
- :func:`unit_list_html`: a print-friendly page (A4 landscape, header row repeated, a 打印 button
  that does not print) of a unit's tasks; :func:`unit_list_docx`: the same as an official document.

Empty values show as ``—`` on paper and stay empty cells in xlsx; text is escaped / neutralised.

>>> import io
>>> from openpyxl import load_workbook
>>> data = task_list_xlsx([{"计划": "甲", "编号": "1", "完成时限": date(2021, 11, 30), "完成进度": 0.4,
...                         "任务": "=清理证明"}], "任务清单")
>>> ws = load_workbook(io.BytesIO(data))["任务清单"]
>>> [c.value for c in ws[2]][:5]
['计划', '编号', '状态', '完成进度', '完成时限']
>>> ws["D3"].value, ws["D3"].number_format, ws["E3"].is_date, ws.auto_filter.ref[:2]
(0.4, '0%', True, 'A2')
>>> "&lt;script&gt;" in unit_list_html("市局", [], date(2021, 11, 30), title="<script>")
True
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from typing import Any

from core.officedoc import OfficialDoc, cn_date
from core.xlsxout import DATE, LONG, PERCENT, Column, Sheet, table_workbook

from .board import BoardRow
from .progress.safe import safe_text

__all__ = [
    "TASK_LIST_COLUMNS",
    "task_list_xlsx",
    "unit_list_html",
    "unit_list_docx",
    "UNIT_LIST_HEADERS",
    "unit_list_rows",
]

#: the exported task list: status, progress, deadline and card first, long text last
TASK_LIST_COLUMNS = [
    Column("计划", 18),
    Column("编号", 6),
    Column("状态", 9),
    Column("完成进度", 9, PERCENT),
    Column("完成时限", 12, DATE),
    Column("预警", 7),
    Column("牵头单位", 22),
    Column("责任单位", 26),
    Column("板块", 16),
    Column("时限原文", 14),
    Column("任务", 36, LONG),
    Column("具体内容", 60, LONG),
]
UNIT_LIST_HEADERS = [
    "计划",
    "编号",
    "角色",
    "状态",
    "完成进度",
    "完成时限",
    "预警",
    "逾期天数",
    "任务",
    "最近填报",
    "原因",
]


def task_list_xlsx(
    rows: Sequence[dict[str, Any]], title: str, *, columns: Sequence[Column] = tuple(TASK_LIST_COLUMNS)
) -> bytes:
    """The task list (one dict per task, keyed by the column titles; ``完成进度`` a fraction) as xlsx."""
    table = [[r.get(c.title) for c in columns] for r in rows]
    return table_workbook(
        [Sheet("任务清单", title, columns, table, notes=(f"共{len(rows)}项任务。",))], clean=safe_text
    )


def unit_list_rows(unit: str, rows: Sequence[BoardRow], plan_names: dict[str, str] | None = None) -> list[list[str]]:
    """The printed table's cells (text, ``—`` for nothing) in :data:`UNIT_LIST_HEADERS` order."""
    names = plan_names or {}
    out = []
    for r in rows:
        out.append(
            [
                names.get(r.plan, r.plan),
                r.id,
                "牵头" if unit in r.leads else "责任",
                r.status_label,
                f"{r.percent:g}%",
                r.deadline.isoformat() if r.deadline else (r.deadline_text or "—"),
                r.card_name or "—",
                str(r.overdue_days) if r.overdue_days else "—",
                r.title,
                r.last_report_date.isoformat() if r.last_report_date else "—",
                r.reason or "—",
            ]
        )
    return [[c if c else "—" for c in row] for row in out]


_PRINT_CSS = """
@page { size: A4 landscape; margin: 12mm 12mm 14mm 12mm; }
body { font-family: "仿宋_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC", serif; color: #000; margin: 0 8mm; }
h1 { font-family: "方正小标宋简体", "小标宋", "SimSun", "Noto Serif CJK SC", serif; font-size: 20pt;
     text-align: center; font-weight: normal; margin: 6mm 0 2mm; }
p.meta { text-align: center; font-size: 11pt; margin: 0 0 4mm; }
table { border-collapse: collapse; width: 100%; font-size: 10.5pt; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
th { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; font-weight: normal; background: #eee; }
th, td { border: 1px solid #666; padding: 3px 5px; vertical-align: top; }
td.n { text-align: center; white-space: nowrap; }
.noprint { text-align: right; margin: 4mm 0; }
@media print { .noprint { display: none; } }
"""


def unit_list_html(
    unit: str, rows: Sequence[BoardRow], as_of: date, *, title: str = "", plan_names: dict[str, str] | None = None
) -> str:
    """A standalone print-friendly HTML page of a unit's tasks (open it and print, or save as PDF)."""
    e = html.escape
    title = title or f"{unit}任务清单"
    cells = unit_list_rows(unit, rows, plan_names)
    narrow = {"编号", "角色", "状态", "完成进度", "完成时限", "预警", "逾期天数", "最近填报"}
    head = "".join(f"<th>{e(h)}</th>" for h in UNIT_LIST_HEADERS)
    body = "".join(
        "<tr>"
        + "".join(f'<td class="{"n" if h in narrow else ""}">{e(v)}</td>' for h, v in zip(UNIT_LIST_HEADERS, row))
        + "</tr>"
        for row in cells
    )
    if not cells:
        body = f'<tr><td colspan="{len(UNIT_LIST_HEADERS)}">该单位没有牵头或参与的任务。</td></tr>'
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{e(title)}</title>'
        f"<style>{_PRINT_CSS}</style></head><body>"
        '<div class="noprint"><button onclick="window.print()">打印</button></div>'
        f'<h1>{e(title)}</h1><p class="meta">统计截至{e(cn_date(as_of))} · 共{len(cells)}项</p>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></body></html>"
    )


def unit_list_docx(
    unit: str,
    rows: Sequence[BoardRow],
    as_of: date,
    *,
    office: str = "领导小组办公室",
    plan_names: dict[str, str] | None = None,
) -> bytes:
    """The unit's task list as an official document (landscape A4, :class:`core.officedoc.OfficialDoc`)."""
    doc = OfficialDoc(f"{unit}任务清单", landscape=True, author=office)
    cells = unit_list_rows(unit, rows, plan_names)
    lead = sum(1 for c in cells if c[2] == "牵头")
    doc.paragraph(f"截至{cn_date(as_of)},{unit}牵头任务{lead}项、参与任务{len(cells) - lead}项,情况如下。")
    doc.table(UNIT_LIST_HEADERS, cells, empty="该单位没有牵头或参与的任务。", size_pt=10.5)
    doc.signature(office, as_of)
    return doc.to_bytes()
