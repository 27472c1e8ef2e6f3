"""Every docx the workbench writes is in the GB/T 9704 layout; one is rendered to PDF with LibreOffice."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from progress_helpers import fill, small_plan

from core.officedoc import BODY_FONT, HEADING1_FONT, HEADING2_FONT, TITLE_FONT, OfficialDoc, doubled_words
from tasks.progress import build_report, commit_upload, default_rules, report_docx, template_bytes, validate_upload
from tasks.store import Store

RULES = default_rules()
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture
def report_bytes(tmp_path) -> bytes:
    s = Store(f"sqlite:///{tmp_path / 'r.db'}")
    s.load_plan_into_store(small_plan(), actor="cli")
    for m in ("2021-08", "2021-09"):
        s.open_period(m, "cli")
    data = fill(
        template_bytes(s, "市审改办", "2021-09"),
        {
            "1": {"status": "推进中", "percent": 30, "date": date(2021, 9, 20)},
            "2": {"status": "推进中", "percent": 90, "date": date(2021, 9, 20)},
        },
    )
    commit_upload(s, validate_upload(s, data, "a.xlsx", unit="市审改办", today=date(2021, 10, 1), rules=RULES), "cli")
    out = report_docx(build_report(s, "quarter", "2021-Q3", rules=RULES))
    s.dispose()
    return out


def _east_asia(run) -> str | None:
    fonts = run._element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def _docs(report_bytes: bytes) -> dict[str, bytes]:
    """Every kind of docx the workbench writes (the period report is the only one in tasks/)."""
    small = OfficialDoc("关于测试工作的通知", addressee="各有关单位")
    small.heading("总体要求")
    small.paragraph("请各单位认真落实。")
    small.signature("测试领导小组办公室", date(2021, 11, 30))
    return {"period report": report_bytes, "OfficialDoc": small.to_bytes()}


def test_every_docx_has_the_official_page_and_fonts(report_bytes):
    for name, data in _docs(report_bytes).items():
        doc = Document(io.BytesIO(data))
        sec = doc.sections[0]
        assert abs(int(sec.page_width or 0) - Mm(210)) < Mm(0.5), name
        assert abs(int(sec.page_height or 0) - Mm(297)) < Mm(0.5), name
        for got, want in ((sec.top_margin, 37), (sec.bottom_margin, 35), (sec.left_margin, 28), (sec.right_margin, 26)):
            assert got is not None and abs(got - Mm(want)) < Mm(0.2), (name, want)
        paras = [p for p in doc.paragraphs if p.text.strip()]
        title = paras[0]
        assert title.alignment == 1 and _east_asia(title.runs[0]) == TITLE_FONT, name  # centred, 小标宋
        assert title.runs[0].font.size == Pt(22), name  # 二号
        assert doubled_words(title.text) == [], title.text
        body = next(p for p in paras if p.text.startswith(("根据", "请各单位")))
        assert _east_asia(body.runs[0]) == BODY_FONT and body.runs[0].font.size == Pt(16), name  # 仿宋 三号
        ppr = body._p.pPr
        assert ppr is not None, name
        ind = ppr.find(qn("w:ind"))
        assert ind.get(qn("w:firstLineChars")) == "200" and not body.text.startswith((" ", "\u3000")), name
        h1 = next(p for p in paras if re.match(r"^[一二三四五六七八九十]+、", p.text))
        assert _east_asia(h1.runs[0]) == HEADING1_FONT, name  # 黑体
        # 落款: the office over the date, date in words, right-aligned at the end
        assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", paras[-1].text) and paras[-1].alignment == 2, name
        assert paras[-2].text.endswith(("办公室", "领导小组")), name
        # page number: a PAGE field between em dashes in the odd and even footers
        for footer in (sec.footer, sec.even_page_footer):
            xml = footer._element.xml
            assert "fldChar" in xml and " PAGE " in xml and footer.paragraphs[0].text.startswith("— "), name
        assert doc.settings.odd_and_even_pages_header_footer
        # fallbacks for fonts a reader may lack are named in the font table
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            fonts = z.read("word/fontTable.xml").decode()
        assert re.search(rf'w:name="{TITLE_FONT}">\s*<w:altName w:val="[^"]+"', fonts), name
        assert re.search(rf'w:name="{BODY_FONT}">\s*<w:altName w:val="仿宋"', fonts), name
        # wording: no operators, no ISO dates in running text
        text = "\n".join(p.text for p in doc.paragraphs)
        assert not re.search(r">=|<=|!=|==", text) and not re.search(r"\d{4}-\d{2}(-\d{2})?", text), name


def test_report_docx_words_and_headings(report_bytes):
    doc = Document(io.BytesIO(report_bytes))
    text = [p.text for p in doc.paragraphs if p.text.strip()]
    assert text[0] == "关于测试方案2021年第三季度任务推进情况的通报"
    assert text[1] == "各有关单位:"
    assert "2021年10月6日" in "".join(text)  # dates as words, no leading zeros
    rule = next(t for t in text if t.startswith("排名规则"))
    assert "连续1期及以上未报送" in rule and ">=" not in rule
    reasons = [row.cells[4].text for row in doc.tables[-1].rows[1:]]
    assert reasons and all(">" not in r and "=" not in r for r in reasons)
    assert any(re.fullmatch(r"连续\d+期未报送|已逾期\d+天", part) for r in reasons for part in r.split(";"))
    heading2 = OfficialDoc("x")
    heading2.heading("甲")
    heading2.heading("乙", level=2)
    d2 = Document(io.BytesIO(heading2.to_bytes()))
    h = [p for p in d2.paragraphs if p.text in ("一、甲", "(一)乙")]
    assert [_east_asia(p.runs[0]) for p in h] == [HEADING1_FONT, HEADING2_FONT]


def _pdf(tmp_path, data: bytes, name: str):
    src = tmp_path / f"{name}.docx"
    src.write_bytes(data)
    subprocess.run(
        [
            str(SOFFICE),
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / f"{name}.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    found = re.search(r"Pages:\s+(\d+)", info)
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert found and size, info
    pages = int(found.group(1))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return pages, (float(size.group(1)), float(size.group(2))), text


@pytest.mark.slow
@pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or poppler-utils (pdftotext) is not installed; "
    "scripts/install_system_deps.sh installs libreoffice-writer-nogui and poppler-utils",
)
def test_docx_renders_to_pdf_with_title_and_page_numbers(report_bytes, tmp_path):
    # the period report: A4, the title in the text layer
    pages, (w, h), text = _pdf(tmp_path, report_bytes, "report")
    assert pages >= 1 and abs(w - 595.3) < 2 and abs(h - 841.9) < 2
    flat = re.sub(r"\s+", "", text)
    assert "关于测试方案2021年第三季度任务推进情况的通报" in flat
    assert "—1—" in flat  # the PAGE field was filled in
    # a document with two page breaks has exactly three pages, numbered — 1 — … — 3 —
    doc = OfficialDoc("关于分页测试的通知", addressee="各有关单位")
    for n in range(3):
        doc.paragraph(f"第{n + 1}页正文。")
        if n < 2:
            doc.page_break()
    doc.signature("测试领导小组办公室", date(2021, 11, 30))
    pages, _size, text = _pdf(tmp_path, doc.to_bytes(), "three")
    flat = re.sub(r"\s+", "", text)
    assert pages == 3
    assert all(f"—{n}—" in flat for n in (1, 2, 3)) and "关于分页测试的通知" in flat and "2021年11月30日" in flat


def test_unit_task_list_docx_is_an_official_landscape_document():
    from tasks.board import BoardRow
    from tasks.printouts import unit_list_docx

    row = BoardRow(
        plan="测试方案",
        id="1",
        status="overdue",
        status_label="逾期",
        percent=30.0,
        deadline=date(2021, 8, 31),
        deadline_text="2021年8月底前",
        card="red",
        card_name="红牌",
        overdue_days=91,
        days_left=-91,
        lead_units="市审改办",
        reason="已逾期91天",
        title="清单管理",
        leads=("市审改办",),
    )
    doc = Document(io.BytesIO(unit_list_docx("市审改办", [row], date(2021, 11, 30), office="测试领导小组办公室")))
    sec = doc.sections[0]
    assert abs(int(sec.page_width or 0) - Mm(297)) < Mm(0.5) and abs(int(sec.page_height or 0) - Mm(210)) < Mm(0.5)
    assert sec.top_margin is not None and abs(sec.top_margin - Mm(37)) < Mm(0.2)
    paras = [p for p in doc.paragraphs if p.text.strip()]
    assert paras[0].text == "市审改办任务清单" and _east_asia(paras[0].runs[0]) == TITLE_FONT
    assert " PAGE " in sec.footer._element.xml
    cells = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert cells[1][:6] == ["测试方案", "1", "牵头", "逾期", "30%", "2021-08-31"] and "—" in cells[1]  # 最近填报: —
    assert paras[-1].text == "2021年11月30日" and paras[-2].text == "测试领导小组办公室"
