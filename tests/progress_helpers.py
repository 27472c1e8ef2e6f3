"""Shared helpers for the progress tests: a small plan and a template filler."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook

from tasks.model import Plan, Task
from tasks.progress import fill_template


def small_plan(title: str = "测试方案") -> Plan:
    return Plan(
        title=title,
        date=date(2021, 8, 9),
        source_file="plan.xlsx",
        tasks=[
            Task(
                id="1",
                title="推进简政放权",
                lead_units=["市审改办", "市政务服务中心"],
                responsible_units=["市直各相关单位"],
                deadline=date(2021, 12, 31),
                deadline_text="2021年底前",
                deadline_kind="date",
            ),
            Task(
                id="2",
                title="清单管理",
                lead_units=["市审改办"],
                responsible_units=["市司法局"],
                deadline=date(2021, 8, 31),
                deadline_text="2021年8月底前",
                deadline_kind="date",
            ),
            Task(
                id="3",
                title="窗口动态调整",
                lead_units=["市政务服务中心"],
                deadline_kind="ongoing",
                deadline_text="长期坚持",
            ),
        ],
    )


def fill(template: bytes, values: dict[str, dict[str, Any]], person: str = "") -> bytes:
    """Fill a downloaded template like a unit would (see :func:`tasks.progress.fill_template`)."""
    return fill_template(template, values, person=person)


def plain_sheet(rows: list[list[Any]]) -> bytes:
    """A workbook that is not our template (a unit's own layout)."""
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
