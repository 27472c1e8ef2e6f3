"""Small files that cost a lot to read (issue 19 "resource exhaustion"), built in the test, and a way to
measure what reading one costs: the peak RSS of a child process (``os.wait4``), capped so that a
regression fails the test instead of taking the shared machine's memory."""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
#: a child reading a bomb may not take more than this (address space); the test limit is far lower
CHILD_CAP = 3 * 1024 * MB


def _base_xlsx(rows: list[list[object]] | None = None, title: str = "任务表") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r in rows or [["序号", "工作要点", "牵头单位", "完成时限"], [1, "简政放权", "市审改办", "2021年底前"]]:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _stream_member(z: zipfile.ZipFile, name: str, parts) -> None:
    """Write a member from an iterator of byte chunks, deflated at level 9 (about 1000× on repeats)."""
    info = zipfile.ZipInfo(name, date_time=(2021, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = 9  # type: ignore[attr-defined]  # zipfile reads it for ZIP_DEFLATED
    with z.open(info, "w", force_zip64=True) as out:
        for chunk in parts:
            out.write(chunk)


def _replace_sheet(base: bytes, path: Path, parts) -> Path:
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                _stream_member(dst, item.filename, parts)
            else:
                dst.writestr(item, src.read(item.filename))
    return path


_HEAD = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe5\xba\x8f\xe5\x8f\xb7</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>\xe5\xb7\xa5\xe4\xbd\x9c\xe8\xa6\x81\xe7\x82\xb9</t></is></c>'
    b'<c r="C1" t="inlineStr"><is><t>\xe7\x89\xb5\xe5\xa4\xb4\xe5\x8d\x95\xe4\xbd\x8d</t></is></c></row>'
)


def huge_cell_xlsx(path: Path, cell_bytes: int = 1024 * MB) -> Path:
    """An xlsx of about 1 MB whose task cell (B2) holds ``cell_bytes`` characters."""

    def parts():
        yield _HEAD + b'<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>'
        chunk = b"x" * MB
        for _ in range(cell_bytes // MB):
            yield chunk
        yield b'</t></is></c><c r="C2" t="inlineStr"><is><t>a</t></is></c></row></sheetData></worksheet>'

    return _replace_sheet(_base_xlsx(), path, parts())


def many_rows_xlsx(path: Path, rows: int = 5_000_000) -> Path:
    """A sheet of ``rows`` rows of one number each (about 150 KB as xlsx, 130 MB of XML)."""

    def parts():
        yield _HEAD
        batch = []
        for _ in range(rows):
            batch.append(b"<row><c><v>1</v></c></row>")
            if len(batch) == 50_000:
                yield b"".join(batch)
                batch = []
        yield b"".join(batch) + b"</sheetData></worksheet>"

    return _replace_sheet(_base_xlsx(), path, parts())


def trailer_xlsx(path: Path, trailer_bytes: int = 2048 * MB) -> Path:
    """A normal task sheet followed, after ``</sheetData>``, by ``trailer_bytes`` of spaces."""

    def parts():
        yield (
            _HEAD + b'<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>a</t></is></c>'
            b'<c r="C2" t="inlineStr"><is><t>b</t></is></c></row></sheetData>'
        )
        chunk = b" " * MB
        for _ in range(trailer_bytes // MB):
            yield chunk
        yield b'<mergeCells count="1"><mergeCell ref="A1:C1"/></mergeCells></worksheet>'

    return _replace_sheet(_base_xlsx(), path, parts())


def sparse_xlsx(path: Path, ref: str = "XFD1048576") -> Path:
    """Two cells: A1 and ``ref`` (a few KB; a columnar reader would allocate 16384 × 1048576 cells)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "序号"
    ws[ref] = "x"
    wb.save(path)
    return path


def colspan_html(path: Path) -> Path:
    """About 200 bytes of HTML: a cell spanning 300,000,000 columns with one more cell after it."""
    path.write_text(
        '<html><body><table><tr><td colspan="300000000">任务</td><td>牵头单位</td></tr>'
        "<tr><td>1</td><td>简政放权</td></tr></table></body></html>",
        encoding="utf-8",
    )
    return path


def csv_zip(path: Path, inflated: int = 3 * 1024 * MB) -> Path:
    """A zip holding one progress CSV that inflates to ``inflated`` bytes (about 3 MB zipped)."""
    line = "1,推进中,50,进展顺利\n".encode()
    chunk = line * (MB // len(line))
    with zipfile.ZipFile(path, "w") as z:

        def parts():
            yield "任务编号,状态,完成进度,进展情况\n".encode()
            for _ in range(inflated // len(chunk)):
                yield chunk

        _stream_member(z, "审改办.csv", parts())
    return path


def progress_rows_xlsx(path: Path, rows: int = 300_000) -> Path:
    """A progress sheet (our column names) with ``rows`` rows, each with a bad status (about 200 KB)."""

    def parts():
        yield (
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + b'<row r="1">'
            + b"".join(
                b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (c.encode(), h.encode())
                for c, h in zip("ABC", ("任务编号", "状态", "完成进度"), strict=True)
            )
            + b"</row>"
        )
        batch = []
        for r in range(2, rows + 2):
            batch.append(
                b'<row r="%d"><c r="A%d"><v>1</v></c><c r="B%d" t="inlineStr"><is><t>?</t></is></c>'
                b'<c r="C%d"><v>5</v></c></row>' % (r, r, r, r)
            )
            if len(batch) == 50_000:
                yield b"".join(batch)
                batch = []
        yield b"".join(batch) + b"</sheetData></worksheet>"

    return _replace_sheet(_base_xlsx([["x"]], "进展"), path, parts())


def gridspan_docx(path: Path, span: int = 300_000_000) -> Path:
    """A Word document whose table has one cell spanning ``span`` grid columns."""
    import docx

    d = docx.Document()
    d.add_paragraph("关于深化改革的实施方案")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(1, 0).text = "序号", "1"
    buf = io.BytesIO()
    d.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="%d"/>' % span, 1)
            dst.writestr(item, data)
    return path


@dataclass(frozen=True)
class ChildRun:
    """What a child process printed and cost."""

    returncode: int
    stdout: str
    stderr: str
    peak_mb: float
    cpu_s: float


def run_child(code: str, *, env: dict[str, str] | None = None, timeout: float = 300) -> ChildRun:
    """Run ``python -c code`` from the repository root under a 3 GB address-space cap; its own peak RSS
    (``os.wait4`` reports the rusage of that one child)."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (CHILD_CAP, CHILD_CAP))

    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe:
        proc = subprocess.Popen(
            [sys.executable, "-c", code], cwd=ROOT, env=full_env, stdout=fo, stderr=fe, preexec_fn=cap
        )
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        fo.seek(0)
        fe.seek(0)
        return ChildRun(
            proc.returncode,
            fo.read().decode("utf-8", "replace"),
            fe.read().decode("utf-8", "replace"),
            usage.ru_maxrss / 1024,
            usage.ru_utime + usage.ru_stime,
        )


__all__ = [
    "MB",
    "ChildRun",
    "colspan_html",
    "csv_zip",
    "gridspan_docx",
    "huge_cell_xlsx",
    "many_rows_xlsx",
    "progress_rows_xlsx",
    "run_child",
    "sparse_xlsx",
    "trailer_xlsx",
]
