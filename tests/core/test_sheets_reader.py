"""The one spreadsheet/CSV reader (core.sheets): values, dates, merges, percent formats, hidden sheets,
encodings, limits; the one upload limit; and the callers that go through it."""

from __future__ import annotations

import io
import subprocess
import sys
import tomllib
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest

from core import limits
from core.errors import InputError
from core.sheets import Sheet, cell_text, decode_csv, read_csv, read_workbook

ROOT = Path(__file__).resolve().parents[2]


def _xlsx(build) -> bytes:
    wb = openpyxl.Workbook()
    build(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _with_text(xlsx: bytes, marker: str, text: str) -> bytes:
    """``xlsx`` with ``marker`` replaced by ``text`` in UTF-8 (openpyxl itself cuts cells at 32,767
    characters and writes other scripts as character references, so a longer cell is made by hand)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(marker.encode(), text.encode())
            dst.writestr(item, data)
    return buf.getvalue()


def test_values_dates_merges_and_row_numbers():
    def build(wb):
        ws = wb.active
        ws.title = "任务分解表"
        ws["A1"] = "附件"
        ws.merge_cells("A2:D2")
        ws["A2"] = "任务分解表"
        ws.append([1, 2.5, date(2021, 8, 31), datetime(2021, 9, 1, 8, 30)])
        ws["E3"] = time(8, 30)
        ws["B5"] = True

    [s] = read_workbook(_xlsx(build), "a.xlsx")
    assert s.name == "任务分解表" and s.visible
    assert s.rows[0] == ("附件",) and s.rows[1] == ("任务分解表",)
    assert s.rows[2] == (1, 2.5, datetime(2021, 8, 31), datetime(2021, 9, 1, 8, 30), time(8, 30))
    assert type(s.rows[2][0]) is int
    assert s.rows[3] == () and s.value(5, 2) is True
    assert s.merges == ((2, 1, 2, 4),) and s.merged_value(2, 4) == "任务分解表"
    assert [cell_text(v) for v in s.rows[2]] == ["1", "2.5", "2021-08-31", "2021-09-01", "08:30"]


def test_leading_empty_rows_and_columns_keep_their_place():
    def build(wb):
        wb.active["C3"] = "x"
        wb.active["D5"] = 7

    [s] = read_workbook(_xlsx(build), "a.xlsx")
    assert s.value(3, 3) == "x" and s.value(5, 4) == 7 and s.rows[0] == ()


def test_hidden_sheets_chosen_sheets_and_percent_formats():
    def build(wb):
        ws = wb.active
        ws.title = "进度"
        ws.append(["任务编号", "完成进度"])
        ws.append(["1", 0.8])
        ws["B2"].number_format = "0%"
        ws.append(["2", 80])
        ws["B3"].number_format = "0.0\\%"  # a literal % sign, not a percent format
        hidden = wb.create_sheet("_meta")
        hidden.sheet_state = "hidden"
        hidden.append(["mark", "x"])
        wb.create_sheet("其他").append(["y"])

    sheets = read_workbook(_xlsx(build), "a.xlsx", percent=True)
    assert [(s.name, s.visible) for s in sheets] == [("进度", True), ("_meta", False), ("其他", True)]
    assert sheets[0].percent == frozenset({(2, 2)})
    assert [s.name for s in read_workbook(_xlsx(build), "a.xlsx", sheets={"其他"})] == ["其他"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_encodings(encoding):
    text = (
        "序号,工作要点,牵头单位\n1,简政放权,市审改办\n2,𠀀字,市数据局\n"
        if encoding != "gbk"
        else "序号,工作要点,牵头单位\n1,简政放权,市审改办\n"
    )
    s = read_csv(text.encode(encoding), "a.csv")
    assert s.rows[1] == ("1", "简政放权", "市审改办")


def test_csv_delimiter_blank_cells_and_binary():
    s = read_csv("序号\t工作要点\t牵头单位\n1\t\t市审改办\t\n".encode(), "a.csv")
    assert s.rows[1] == ("1", None, "市审改办")
    assert read_csv(b"a,\n", "a.csv", trim=False).rows[0] == ("a", None)
    with pytest.raises(InputError, match="不是文本格式的 CSV"):
        decode_csv(b"\x00\x01\x02" * 10, "a.csv")


def test_csv_row_limit_stops_at_the_first_row_past_it():
    with pytest.raises(InputError, match="行数超过 3 行"):
        read_csv(b"a,b,c\n" * 1_000_000, "a.csv", max_rows=3)


def test_long_cells_are_refused_with_their_place():
    long = "长" * (limits.MAX_CELL_CHARS + 1)
    with pytest.raises(InputError) as err:
        read_workbook(_with_text(_xlsx(lambda wb: wb.active.append(["序号", "LONGTEXT"])), "LONGTEXT", long), "a.xlsx")
    assert (err.value.sheet, err.value.row) == ("Sheet", 1)
    # exactly Excel's limit, written as character references as openpyxl does, is a legal cell
    at_limit = read_workbook(_xlsx(lambda wb: wb.active.append(["序号", long[:-1]])), "a.xlsx")
    assert len(at_limit[0].rows[0][1]) == limits.MAX_CELL_CHARS
    assert "超过 32767 个字符" in str(err.value)
    shared = _xlsx(lambda wb: wb.active.append(["序号"]))  # the long text in the shared strings part
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(shared)) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/sharedStrings.xml", b'<sst><si><t xml:space="preserve">' + b"x" * 200_000 + b"</t></si></sst>")
    with pytest.raises(InputError, match="超过 32767 个字符"):
        read_workbook(buf.getvalue(), "a.xlsx")
    with pytest.raises(InputError, match="超过 32767 个字符"):
        read_csv(f"a,{long}\n".encode(), "a.csv")


def test_xls_values_merges_and_encryption(tmp_path):
    import xlwt

    book = xlwt.Workbook()
    sh = book.add_sheet("任务表")
    sh.write_merge(0, 0, 0, 2, "任务分解表")
    sh.write(1, 0, 1)
    sh.write(1, 1, "简政放权")
    buf = io.BytesIO()
    book.save(buf)
    [s] = read_workbook(buf.getvalue(), "a.xls")
    assert s.rows[1] == (1, "简政放权") and s.merges == ((1, 1, 1, 3),)
    data = buf.getvalue()
    at = data.find(b"\xe1\x00\x02\x00")
    with pytest.raises(InputError, match="已加密"):
        read_workbook(data[:at] + b"\x2f\x00" + data[at + 2 :], "a.xls")


def test_xls_with_a_far_cell_is_refused_before_it_is_allocated():
    import xlwt

    book = xlwt.Workbook()
    sh = book.add_sheet("任务表")
    sh.write(0, 0, "a")
    sh.write(65535, 255, "z")
    buf = io.BytesIO()
    book.save(buf)
    with pytest.raises(InputError, match="已用区域过大"):
        read_workbook(buf.getvalue(), "a.xls", max_rows=70_000)


def test_zip_member_lying_about_its_size():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.csv", b"1,2,3\n" * 1000)
    data = bytearray(buf.getvalue())
    # shrink the declared size in the central directory (and the local header): the real size wins
    for sig in (b"PK\x01\x02", b"PK\x03\x04"):
        at = data.find(sig)
        off = at + (24 if sig == b"PK\x01\x02" else 22)
        data[off : off + 4] = (10).to_bytes(4, "little")
    with pytest.raises(InputError, match="大小与压缩包记录的不符|无法解压"):
        limits.check_zip(bytes(data), "a.zip")


def test_broken_xml_is_one_chinese_message():
    good = _xlsx(lambda wb: wb.active.append(["序号"]))
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = b"<worksheet><sheetData><row r='1'><c r='A1' t='s'><v>99</v"
            dst.writestr(item, data)
    with pytest.raises(InputError, match="无法读取 Excel 工作簿"):
        read_workbook(buf.getvalue(), "a.xlsx")


def test_sheet_record_is_frozen():
    s = Sheet("a", [("x",)])
    with pytest.raises(AttributeError):
        s.name = "b"  # type: ignore[misc]


def test_one_upload_limit_everywhere():
    """Before: 10 MB for progress uploads, 20 MB for imports and the widget (a 15 MB sheet passed the widget)."""
    import tasks.importers
    import tasks.progress.upload

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == limits.MAX_UPLOAD_MB
    assert tasks.importers.MAX_BYTES == tasks.progress.upload.MAX_BYTES == limits.MAX_UPLOAD_BYTES


# ------------------------------------------------------------------ progress upload through the reader
@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("WORKBENCH_DB_URL", url)
    from tasks.__main__ import main

    assert main(["load", str(ROOT / "data" / "plans" / "leiyang-2021-tasks.xlsx")]) == 0
    return url


def _progress(rows: list[list[object]]) -> bytes:
    def build(wb):
        ws = wb.active
        ws.title = "进展"
        ws.append(["任务编号", "状态", "完成进度", "填报日期"])
        for r in rows:
            ws.append(r)

    return _xlsx(build)


def _cli(*argv: str, env_db: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tasks", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "WORKBENCH_DB_URL": env_db, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )


def test_problems_are_capped_at_200_and_counted(db):
    from tasks.progress import validate_upload
    from tasks.store import Store

    data = _progress([["1", "乱填", 10, "2021-09-30"] for _ in range(250)])
    rep = validate_upload(Store(db), data, "a.xlsx", unit="市审改办", period="2021-09", today=date(2021, 10, 3))
    assert len(rep.problems) == 200 and rep.more_problems > 50
    text = rep.summary()
    assert f"发现 {200 + rep.more_problems} 处问题" in text and f"另有 {rep.more_problems} 处问题未列出" in text
    assert rep.to_dict()["more_problems"] == rep.more_problems


def test_upload_refuses_a_docx_and_checks_a_batch_whole(db, tmp_path):
    import docx

    good = tmp_path / "good.xlsx"
    good.write_bytes(_progress([["1", "推进中", 40, "2021-09-28"]]))
    word = tmp_path / "说明.docx"
    d = docx.Document()
    d.add_paragraph("进展说明")
    d.save(word)
    r = _cli("upload", str(good), str(word), "--yes", "--unit", "市审改办", "--period", "2021-09", env_db=db)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip() == (
        "error: 说明.docx:不支持的文件类型(.docx),进度填报请上传填报模板 xlsx、csv 表格或装有它们的 zip 压缩包"
    )
    from tasks.store import Store

    assert Store(db).counts()["uploads"] == 0


def test_broken_xml_in_a_batch_is_a_message_and_the_rest_are_checked(db, tmp_path):
    a, b, c = (tmp_path / n for n in ("a.xlsx", "b.xlsx", "c.xlsx"))
    a.write_bytes(_progress([["1", "推进中", 40, "2021-09-28"]]))
    c.write_bytes(_progress([["2", "推进中", 30, "2021-09-28"]]))
    with zipfile.ZipFile(io.BytesIO(a.read_bytes())) as src, zipfile.ZipFile(b, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, data[: len(data) // 2] if item.filename.startswith("xl/worksheets/") else data)
    r = _cli("upload", str(a), str(b), str(c), "--yes", "--unit", "市审改办", "--period", "2021-09", env_db=db)
    assert "Traceback" not in r.stderr and r.stderr == "", r.stderr
    assert r.returncode == 1
    assert "b.xlsx" in r.stdout and "无法读取 Excel 工作簿" in r.stdout and "c.xlsx" in r.stdout
    from tasks.store import Store

    assert sorted(u.filename for u in Store(db).uploads()) == ["a.xlsx", "c.xlsx"]


_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def _ods(rows_xml: str) -> bytes:
    """A minimal OpenDocument spreadsheet with one table."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="任务">{rows_xml}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
    return buf.getvalue()


def _cell(v: str) -> str:
    return f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'


def test_ods_values_and_trailing_repeats():
    data = _ods(
        "<table:table-row>"
        + _cell("序号")
        + _cell("工作要点")
        + '<table:table-cell table:number-columns-repeated="16382"/></table:table-row>'
        '<table:table-row><table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p>'
        "</table:table-cell>" + _cell("简政放权") + "</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
        'table:number-columns-repeated="16384"/></table:table-row>'
    )
    [s] = read_workbook(data, "a.ods")
    assert s.name == "任务" and s.rows[:2] == (("序号", "工作要点"), (1, "简政放权"))


def test_ods_repeated_content_past_the_limits_is_refused():
    wide = _ods(
        '<table:table-row table:number-rows-repeated="50000"><table:table-cell '
        'table:number-columns-repeated="1000" office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row>"
    )
    with pytest.raises(InputError, match="已用区域过大"):
        read_workbook(wide, "a.ods")
    tall = _ods('<table:table-row table:number-rows-repeated="1048576">' + _cell("x") + "</table:table-row>")
    with pytest.raises(InputError, match="行数超过 100000 行"):
        read_workbook(tall, "a.ods")


def test_html_over_5_mb_and_csv_over_a_million_cells_are_refused(tmp_path):
    """A parsed HTML tree takes ~60× the page (13 MB of HTML reached 968 MB); a million cells ~250 MB."""
    from tasks.errors import ImportFailed
    from tasks.importers import load_plan

    page = tmp_path / "大.html"
    page.write_text(
        "<html><body><table>" + "<tr><td>任务</td></tr>" * 300_000 + "</table></body></html>", encoding="utf-8"
    )
    with pytest.raises(ImportFailed, match="网页文件过大"):
        load_plan(page)
    with pytest.raises(InputError, match="单元格超过 1000000 个"):
        read_csv(("a," * 99 + "a\n").encode() * 10_001, "a.csv")
