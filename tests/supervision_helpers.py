"""Shared set-up for the supervision-loop tests: a plan, accounts, real evidence files, a file-store listing."""

from __future__ import annotations

import io
import os
from datetime import date
from pathlib import Path

from tasks.model import Plan, Task

UNIT_A, UNIT_B = "市政务服务中心", "市审改办"

#: a real (tiny) one-page PDF
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(64)
HTML = b"<html><script>alert(1)</script></html>"


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["会议", "日期"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def docx_bytes() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("会议纪要")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def loop_plan(title: str = "督办测试计划", year: int = 2021) -> Plan:
    """Three tasks: 1 led by A, 2 led by B, 3 led by both; one ongoing task 4 led by A."""
    return Plan(
        title=title,
        date=date(year, 8, 9),
        source_file="plan.xlsx",
        tasks=[
            Task(
                id="1",
                title="设立综合窗口",
                lead_units=[UNIT_A],
                responsible_units=["市住建局"],
                deadline=date(year, 10, 31),
                deadline_text=f"{year}年10月底前",
                deadline_kind="date",
            ),
            Task(
                id="2",
                title="公布证明清单",
                lead_units=[UNIT_B],
                responsible_units=["市司法局"],
                deadline=date(year, 9, 30),
                deadline_text=f"{year}年9月底前",
                deadline_kind="date",
            ),
            Task(
                id="3",
                title="推行一窗受理",
                lead_units=[UNIT_A, UNIT_B],
                deadline=date(year, 12, 31),
                deadline_text=f"{year}年底前",
                deadline_kind="date",
            ),
            Task(id="4", title="周末无休", lead_units=[UNIT_A], deadline_kind="ongoing", deadline_text="长期坚持"),
        ],
    )


def files_in(root: Path) -> list[tuple[str, int]]:
    """Every file under the file store with its mode (proves a refusal stored nothing)."""
    if not root.exists():
        return []
    return sorted((str(p.relative_to(root)), p.stat().st_mode & 0o777) for p in root.rglob("*") if p.is_file())


def mode(path: Path) -> int:
    return os.stat(path).st_mode & 0o777
