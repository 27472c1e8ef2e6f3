"""Every kind of bad file gives one clear Chinese ImportFailed (library) and one `error:` line, exit 2 (CLI)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

import tasks.importers as importers
from tasks.errors import ImportFailed
from tasks.importers import load_plan

ROOT = Path(__file__).resolve().parents[2]


def _good_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务表"
    ws.append(["序号", "工作要点", "牵头单位", "完成时限"])
    ws.append([1, "简政放权", "市审改办", "2021年底前"])
    wb.save(path)
    return path


def renamed_text(tmp: Path) -> Path:
    p = tmp / "任务表.xlsx"
    p.write_text("序号,工作要点,牵头单位\n1,简政放权,市审改办\n", encoding="utf-8")
    return p


def empty_workbook(tmp: Path) -> Path:
    p = tmp / "空白.xlsx"
    wb = openpyxl.Workbook()
    wb.create_sheet("Sheet2")
    wb.save(p)
    return p


def no_header(tmp: Path) -> Path:
    p = tmp / "流水账.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["日期", "窗口", "取号数"])
    ws.append(["2021-03-01", "综合窗口", 120])
    ws.append(["2021-03-02", "不动产窗口", 95])
    wb.save(p)
    return p


def encrypted_workbook(tmp: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = _good_workbook(tmp / "plain.xlsx")
    p = tmp / "加密.xlsx"
    with plain.open("rb") as f, p.open("wb") as out:
        OOXMLFile(f).encrypt("1234", out)
    return p


def encrypted_xls(tmp: Path) -> Path:
    """An old .xls with an open password: its globals carry a FILEPASS record (type 0x2F)."""
    import io

    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("任务表")
    for col, value in enumerate(["序号", "工作要点", "牵头单位", "完成时限"]):
        sheet.write(0, col, value)
    buf = io.BytesIO()
    book.save(buf)
    data = buf.getvalue()
    at = data.find(b"\xe1\x00\x02\x00")  # INTERFACEHDR, same length: retyped as FILEPASS
    assert at > 0
    p = tmp / "加密旧表.xls"
    p.write_bytes(data[:at] + b"\x2f\x00" + data[at + 2 :])
    return p


def oversized(tmp: Path) -> Path:
    p = tmp / "巨大.xlsx"
    with p.open("wb") as f:  # sparse: costs no disk
        f.truncate(importers.MAX_BYTES + 1)
    return p


def corrupt_zip(tmp: Path) -> Path:
    good = _good_workbook(tmp / "good.xlsx").read_bytes()
    p = tmp / "损坏.xlsx"
    p.write_bytes(good[: len(good) // 2])  # a download cut off half way
    return p


def broken_sheet_xml(tmp: Path) -> Path:
    """A valid zip whose sheet XML is garbage: openpyxl itself fails."""
    good = _good_workbook(tmp / "good.xlsx")
    p = tmp / "坏工作表.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(p, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = b"<worksheet><sheetData><row r='1'><c r='A1' t='s'><v>99</v"
            dst.writestr(item, data)
    return p


def empty_file(tmp: Path) -> Path:
    p = tmp / "空文件.xlsx"
    p.write_bytes(b"")
    return p


def unsupported(tmp: Path) -> Path:
    p = tmp / "方案.pdf"
    p.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    return p


def corrupt_xls(tmp: Path) -> Path:
    p = tmp / "旧表.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 4)
    return p


def binary_csv(tmp: Path) -> Path:
    p = tmp / "导出.csv"
    p.write_bytes(b"\x00\x01\x02\x03" * 100)
    return p


def header_without_rows(tmp: Path) -> Path:
    p = tmp / "模板.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "工作要点", "牵头单位", "责任单位", "完成时限"])
    wb.save(p)
    return p


def empty_csv(tmp: Path) -> Path:
    p = tmp / "空.csv"
    p.write_text(",,,\n,,,\n", encoding="utf-8")
    return p


# (maker, words the message must contain)
CASES = {
    "renamed_text": (renamed_text, "改了扩展名"),
    "empty_workbook": (empty_workbook, "工作簿是空的"),
    "no_header": (no_header, "没有找到任务分解表的表头"),
    "encrypted": (encrypted_workbook, "已加密"),
    "encrypted_xls": (encrypted_xls, "已加密"),
    "oversized": (oversized, "文件过大"),
    "corrupt_zip": (corrupt_zip, "已损坏"),
    "broken_sheet_xml": (broken_sheet_xml, "无法读取 Excel 工作簿"),
    "empty_file": (empty_file, "文件是空的"),
    "unsupported": (unsupported, "不支持的文件类型"),
    "corrupt_xls": (corrupt_xls, "无法读取 .xls 工作簿"),
    "binary_csv": (binary_csv, "不是文本格式的 CSV"),
    "header_without_rows": (header_without_rows, "表头下面没有任务行"),
    "empty_csv": (empty_csv, "CSV 文件没有内容"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_library_raises_import_failed(tmp_path, case):
    maker, words = CASES[case]
    path = maker(tmp_path)
    with pytest.raises(ImportFailed) as info:
        load_plan(path)
    msg = str(info.value)
    assert words in msg
    assert msg.startswith(path.name)  # names the file
    assert "\n" not in msg


def test_size_limit_is_configurable(tmp_path, monkeypatch):
    path = _good_workbook(tmp_path / "t.xlsx")
    assert len(load_plan(path).tasks) == 1
    monkeypatch.setattr(importers, "MAX_BYTES", path.stat().st_size - 1)
    with pytest.raises(ImportFailed, match="文件过大"):
        load_plan(path)


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_cli_one_error_line_exit_2(tmp_path, case):
    maker, words = CASES[case]
    path = maker(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "tasks", "import", str(path), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"error: {path.name}")
    assert words in lines[0]
    assert "Traceback" not in proc.stderr


def test_missing_file_cli(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "tasks", "import", str(tmp_path / "无.xlsx")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 2 and proc.stderr.strip() == "error: 无.xlsx: 文件不存在"


def test_folder_is_not_a_file_cli(tmp_path):
    folder = tmp_path / "任务表.xlsx"
    folder.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "tasks", "import", str(folder), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip() == "error: 任务表.xlsx: 这是一个文件夹,不是文件,请选择其中的任务分解表文件"
