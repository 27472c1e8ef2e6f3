"""Shared helpers for the progress tests: a small plan and a template filler."""
from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook, load_workbook

from tasks.model import Plan, Task

COL = {"status": 5, "percent": 6, "progress": 7, "problems": 8, "next_steps": 9, "evidence": 10, "date": 11}


def small_plan(title: str = "测试方案") -> Plan:
    return Plan(title=title, date=date(2021, 8, 9), source_file="plan.xlsx", tasks=[
        Task(id="1", title="推进简政放权", lead_units=["市审改办", "市政务服务中心"], responsible_units=["市直各相关单位"],
             deadline=date(2021, 12, 31), deadline_text="2021年底前", deadline_kind="date"),
        Task(id="2", title="清单管理", lead_units=["市审改办"], responsible_units=["市司法局"],
             deadline=date(2021, 8, 31), deadline_text="2021年8月底前", deadline_kind="date"),
        Task(id="3", title="窗口动态调整", lead_units=["市政务服务中心"], deadline_kind="ongoing", deadline_text="长期坚持"),
    ])


def fill(template: bytes, values: dict[str, dict[str, Any]], person: str = "") -> bytes:
    """Fill a downloaded template like a unit would: rows by task id, columns by field name.

    ``values[task_id]`` may also hold ``id`` to overwrite the (locked) task id cell.
    """
    wb = load_workbook(io.BytesIO(template))
    ws = wb["进度填报"]
    if person:
        ws["G2"] = person
    for r in range(4, ws.max_row + 1):
        tid = str(ws.cell(r, 1).value)
        for field, v in values.get(tid, {}).items():
            if field == "id":
                ws.cell(r, 1, v)
            else:
                c = ws.cell(r, COL[field], v)
                if isinstance(v, str) and v.startswith("="):
                    c.data_type = "s"   # typed as text (e.g. pasted), not a formula
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def plain_sheet(rows: list[list[Any]]) -> bytes:
    """A workbook that is not our template (a unit's own layout)."""
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
