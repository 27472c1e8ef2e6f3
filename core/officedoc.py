"""Official documents (公文) as docx in the layout of GB/T 9704-2012, as far as a report needs it.

Every Word document the workbench writes goes through :class:`OfficialDoc`, so
reports can be sent as they are: A4 paper; margins top 37 mm, bottom 35 mm,
left 28 mm, right 26 mm; the title in 方正小标宋简体 二号 (22 pt, centred); the
body in 仿宋_GB2312 三号 (16 pt) with a real first-line indent of two
characters and a fixed line pitch (22 lines a page); first-level headings
(一、) in 黑体, second-level headings ((一)) in 楷体_GB2312; page numbers
``— 1 —`` at the foot (a PAGE field, 宋体 四号, odd pages right and even
pages left, one character in from the edge); the issuing office and the date
(落款) at the end, the date written ``2021年11月30日``.

Fonts that a computer may lack are declared in the document's font table with
an alternative (``w:altName``: 方正小标宋简体 → 华文中宋/宋体, 仿宋_GB2312 → 仿宋,
楷体_GB2312 → 楷体), and every run names its Chinese font in ``w:eastAsia`` (Word
ignores ``w:ascii`` for Chinese characters), digits and Latin letters in
Times New Roman.

>>> doc = OfficialDoc("关于2021年第三季度重点任务推进情况的通报", addressee="各有关单位")
>>> doc.heading("总体情况")
>>> doc.paragraph("纳入督查的任务共36项,已办结22项。")
>>> doc.heading("工作要求", level=2)
>>> doc.table(["编号", "任务"], [["1", "清理证明事项"]])
>>> doc.signature("市优化营商环境工作领导小组办公室", date(2021, 11, 30))
>>> data = doc.to_bytes()
>>> data[:2]
b'PK'
>>> cn_date(date(2021, 11, 30))
'2021年11月30日'
>>> heading_number(2, 1), heading_number(12, 2)
('二、', '(十二)')
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from core.safe_export import safe_text

__all__ = [
    "Block",
    "outline",
    "OfficialDoc",
    "cn_date",
    "join_words",
    "doubled_words",
    "cn_number",
    "heading_number",
    "FONT_FALLBACKS",
    "TITLE_FONT",
    "BODY_FONT",
    "HEADING1_FONT",
    "HEADING2_FONT",
    "PAGE_NUMBER_FONT",
    "MARGINS_MM",
    "TITLE_PT",
    "BODY_PT",
    "TABLE_PT",
    "LATIN_FONT",
]

#: page margins in millimetres (GB/T 9704-2012 §5.2.1: 天头 37 mm, 订口 28 mm; 版心 156 × 225 mm)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
TITLE_PT, BODY_PT, PAGE_NUMBER_PT, TABLE_PT = 22, 16, 14, 12
#: a font the reader's computer may lack → what Word should use instead (written into the font table)
FONT_FALLBACKS = {
    TITLE_FONT: "华文中宋",
    BODY_FONT: "仿宋",
    HEADING2_FONT: "楷体",
    HEADING1_FONT: "SimHei",
    PAGE_NUMBER_FONT: "SimSun",
}
#: exact line pitch: 225 mm type area / 22 lines ≈ 28.9 pt
LINE_PT = 28.9
_DIGITS = "零一二三四五六七八九"


def cn_date(d: date) -> str:
    """A date as official documents write it: ``2021年11月30日`` (no leading zeros).

    Parameters
    ----------
    d
        The date.

    Returns
    -------
    str
        Year, month and day with 年/月/日.

    Examples
    --------
    >>> cn_date(date(2021, 8, 3))
    '2021年8月3日'
    """
    return f"{d.year}年{d.month}月{d.day}日"


def join_words(head: str, tail: str, *, min_overlap: int = 2) -> str:
    """``head + tail`` without repeating the words where they meet (titles must not read "季度季度评估").

    Parameters
    ----------
    head, tail
        The two parts, e.g. a period name and a document kind.
    min_overlap
        The shortest overlap dropped (a one-character overlap such as ``月`` + ``月度`` is kept).

    Returns
    -------
    str
        The joined text, the longest overlap of at least ``min_overlap`` characters written once.

    Examples
    --------
    >>> join_words("2021年第三季度", "季度评估"), join_words("2021年下半年", "半年通报")
    ('2021年第三季度评估', '2021年下半年通报')
    >>> join_words("2021年9月", "月度检查")
    '2021年9月月度检查'
    """
    for k in range(min(len(head), len(tail)), min_overlap - 1, -1):
        if head.endswith(tail[:k]):
            return head + tail[k:]
    return head + tail


def doubled_words(text: str, *, min_len: int = 2) -> list[str]:
    """Words of at least ``min_len`` characters written twice in a row (``季度季度`` → ``['季度']``).

    Parameters
    ----------
    text
        A title or sentence to check.
    min_len
        The shortest word counted (numbers such as ``1111`` never count).

    Returns
    -------
    list of str
        Each doubled word once, shortest first; empty when the text reads well.

    Examples
    --------
    >>> doubled_words("测试方案2021年第三季度季度评估"), doubled_words("2021年第三季度评估")
    (['季度'], [])
    """
    found = []
    for n in range(min_len, len(text) // 2 + 1):
        for i in range(len(text) - 2 * n + 1):
            w = text[i : i + n]
            if w == text[i + n : i + 2 * n] and not w.isdigit() and w not in found:
                found.append(w)
    return found


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (for heading numbers up to 99).

    Parameters
    ----------
    n
        The number.

    Returns
    -------
    str
        The number in Chinese characters; outside 1–99 the Arabic digits.

    Examples
    --------
    >>> [cn_number(n) for n in (1, 10, 11, 20, 99)]
    ['一', '十', '十一', '二十', '九十九']
    """
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else _DIGITS[tens]) + "十" if tens else "") + (_DIGITS[ones] if ones else "")


def heading_number(n: int, level: int) -> str:
    """The numbering GB/T 9704 uses: level 1 ``一、``, level 2 ``(一)``, level 3 ``1.``, level 4 ``(1)``.

    Parameters
    ----------
    n
        The heading's number within its level (1-based).
    level
        1 to 4 (anything above 3 is numbered as level 4).

    Returns
    -------
    str
        The number with its punctuation, to put before the heading's text.

    Examples
    --------
    >>> [heading_number(3, level) for level in (1, 2, 3, 4)]
    ['三、', '(三)', '3.', '(3)']
    """
    if level == 1:
        return f"{cn_number(n)}、"
    if level == 2:
        return f"({cn_number(n)})"
    if level == 3:
        return f"{n}."
    return f"({n})"


def _set_run_font(run: Any, east_asia: str, size_pt: float | None = None, *, bold: bool = False) -> None:
    """Name the Chinese font in ``w:eastAsia`` (and Times New Roman for Latin text) on one run."""
    run.font.name = LATIN_FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    if size_pt is not None:
        run.font.size = Pt(size_pt)
    run.bold = bold


def _style_fonts(style: Any, east_asia: str, size_pt: float) -> None:
    style.font.name = LATIN_FONT
    style.font.size = Pt(size_pt)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _declare_fallbacks(doc: Any) -> None:
    """Add each Chinese font to ``word/fontTable.xml`` with its alternative (``w:altName``)."""
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    root = etree.fromstring(part.blob)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for name, alt in FONT_FALLBACKS.items():
        for old in root.findall(f"{{{w}}}font"):
            if old.get(f"{{{w}}}name") == name:
                root.remove(old)
        font = etree.SubElement(root, f"{{{w}}}font")
        font.set(f"{{{w}}}name", name)
        etree.SubElement(font, f"{{{w}}}altName").set(f"{{{w}}}val", alt)
        etree.SubElement(font, f"{{{w}}}charset").set(f"{{{w}}}val", "86")  # GB2312
        etree.SubElement(font, f"{{{w}}}family").set(f"{{{w}}}val", "modern" if "黑" in name else "roman")
        etree.SubElement(font, f"{{{w}}}pitch").set(f"{{{w}}}val", "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _first_line_indent(paragraph: Any, chars: int, size_pt: float) -> None:
    """A real first-line indent of ``chars`` characters (``w:firstLineChars``, with the twips for older readers)."""
    ppr = paragraph._p.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(int(chars * size_pt * 20)))


def _page_field(paragraph: Any, size_pt: float) -> None:
    """``— PAGE —`` as a real field (Word and LibreOffice fill in the number)."""

    def run(text: str = "") -> Any:
        r = paragraph.add_run(text)
        _set_run_font(r, PAGE_NUMBER_FONT, size_pt)
        return r

    run("— ")
    begin = run()
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "begin")
    begin._r.append(fld)
    instr = run()
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = " PAGE "
    instr._r.append(it)
    sep = run()
    f2 = OxmlElement("w:fldChar")
    f2.set(qn("w:fldCharType"), "separate")
    sep._r.append(f2)
    run("1")
    end = run()
    f3 = OxmlElement("w:fldChar")
    f3.set(qn("w:fldCharType"), "end")
    end._r.append(f3)
    run(" —")


class OfficialDoc:
    """Build one document in the official layout, paragraph by paragraph; :meth:`to_bytes` gives the docx.

    Headings are numbered automatically (一、 … / (一) …, level 2 restarting under each level 1)
    unless ``numbered=False``.  ``landscape=True`` turns the page for wide tables (margins keep
    their places relative to the text).

    Parameters
    ----------
    title
        The document's title (方正小标宋简体 二号, centred); also the file's title property.
    addressee
        主送机关, e.g. ``各有关单位``; a full-width colon is added.
    author
        The file's author property (default 政务服务改革工作台).
    landscape
        Turn the page (for wide tables).
    subtitle
        A line under the title in 楷体, e.g. the period covered.

    Examples
    --------
    >>> doc = OfficialDoc("关于测试的通知", addressee="各单位", subtitle="(2021年第三季度)")
    >>> doc.paragraph("请按时报送。")
    >>> [b.text for b in outline(doc.to_bytes())]
    ['关于测试的通知', '(2021年第三季度)', '各单位:', '请按时报送。']
    >>> round(OfficialDoc("宽表", landscape=True).text_width_mm)
    243
    """

    def __init__(
        self, title: str, *, addressee: str | None = None, author: str = "", landscape: bool = False, subtitle: str = ""
    ) -> None:
        self.title = title
        self.doc = Document()
        self._numbers = [0, 0]
        self._setup(landscape, author)
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._spacing(p, LINE_PT * 1.25)
        _set_run_font(p.add_run(title), TITLE_FONT, TITLE_PT)
        if subtitle:
            sp = self.doc.add_paragraph()
            sp.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self._spacing(sp)
            _set_run_font(sp.add_run(subtitle), HEADING2_FONT, BODY_PT)
        self.blank()
        if addressee:
            ap = self.doc.add_paragraph()
            self._spacing(ap)
            _set_run_font(ap.add_run(addressee.rstrip(":").rstrip(":").strip() + ":"), BODY_FONT, BODY_PT)

    # -- page set-up -------------------------------------------------------------------
    def _setup(self, landscape: bool, author: str) -> None:
        doc = self.doc
        sec = doc.sections[0]
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        if landscape:
            sec.orientation = WD_ORIENT.LANDSCAPE
            sec.page_width, sec.page_height = Mm(297), Mm(210)
        sec.top_margin, sec.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        sec.left_margin, sec.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
        sec.header_distance, sec.footer_distance = Mm(15), Mm(25)
        _style_fonts(doc.styles["Normal"], BODY_FONT, BODY_PT)
        _declare_fallbacks(doc)
        doc.settings.odd_and_even_pages_header_footer = True
        for footer, align in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT), (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
            footer.is_linked_to_previous = False
            p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
            p.alignment = align
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                p.paragraph_format.right_indent = Pt(PAGE_NUMBER_PT)  # 单页码居右空一字
            else:
                p.paragraph_format.left_indent = Pt(PAGE_NUMBER_PT)  # 双页码居左空一字
            _page_field(p, PAGE_NUMBER_PT)
        props = doc.core_properties
        props.title = self.title
        props.author = author or "政务服务改革工作台"
        props.language = "zh-CN"
        props.comments = ""

    @property
    def text_width_mm(self) -> float:
        """Width of the type area (156 mm on portrait A4)."""
        sec = self.doc.sections[0]
        width = int(sec.page_width or Mm(210)) - int(sec.left_margin or 0) - int(sec.right_margin or 0)
        return width / int(Mm(1))

    @staticmethod
    def _spacing(p: Any, line_pt: float = LINE_PT) -> None:
        f = p.paragraph_format
        f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        f.line_spacing = Pt(line_pt)
        f.space_before = f.space_after = Pt(0)

    # -- content -----------------------------------------------------------------------------
    def blank(self) -> None:
        """An empty line of body text.

        Examples
        --------
        >>> doc = OfficialDoc("通报")
        >>> doc.blank()
        >>> doc.doc.paragraphs[-1].text
        ''
        """
        self._spacing(self.doc.add_paragraph())

    def heading(self, text: str, level: int = 1, *, numbered: bool = True) -> None:
        """A first-level (黑体, ``一、``) or second-level (楷体, ``(一)``) heading, indented two characters.

        Parameters
        ----------
        text : str
            The heading's words.
        level : int, optional
            1 or 2 (default 1); a new first-level heading restarts the second-level numbers.
        numbered : bool, optional
            Put the number in front (default True).

        Raises
        ------
        ValueError
            When ``level`` is not 1 or 2.

        Examples
        --------
        >>> doc = OfficialDoc("通报")
        >>> doc.heading("总体情况"); doc.heading("进展", level=2); doc.heading("附则", numbered=False)
        >>> [p.text for p in doc.doc.paragraphs[-3:]]
        ['一、总体情况', '(一)进展', '附则']
        """
        if level not in (1, 2):
            raise ValueError("level must be 1 or 2")
        if numbered:
            if level == 1:
                self._numbers = [self._numbers[0] + 1, 0]
            else:
                self._numbers[1] += 1
            text = heading_number(self._numbers[level - 1], level) + text
        p = self.doc.add_paragraph()
        self._spacing(p)
        _first_line_indent(p, 2, BODY_PT)
        p.paragraph_format.keep_with_next = True
        _set_run_font(p.add_run(text), HEADING1_FONT if level == 1 else HEADING2_FONT, BODY_PT)

    def paragraph(self, text: str, *, indent: bool = True, size_pt: float = BODY_PT, align: str = "justify") -> None:
        """Body text in 仿宋 三号 with a two-character first-line indent (leading spaces are dropped).

        Parameters
        ----------
        text : str
            The paragraph's words.
        indent : bool, optional
            Indent the first line by two characters (default True).
        size_pt : float, optional
            Font size in points (default 三号, 16 pt).
        align : str, optional
            ``justify`` (default), ``left``, ``center`` or ``right``.

        Examples
        --------
        >>> doc = OfficialDoc("通报")
        >>> doc.paragraph("  纳入督查的任务共36项。")
        >>> doc.doc.paragraphs[-1].text
        '纳入督查的任务共36项。'
        """
        p = self.doc.add_paragraph()
        self._spacing(p, LINE_PT if size_pt >= BODY_PT else size_pt * 1.6)
        p.alignment = {
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
        }[align]
        if indent:
            _first_line_indent(p, 2, size_pt)
        _set_run_font(p.add_run(text.lstrip(" \u3000")), BODY_FONT, size_pt)

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        empty: str = "(无)",
        widths_mm: Sequence[float] | None = None,
        size_pt: float = TABLE_PT,
    ) -> None:
        """A bordered table: header row in 黑体, cells in 仿宋 (``None`` shows as ``—``), header repeated on
        every page.  No rows: one body paragraph saying ``empty``.

        Parameters
        ----------
        headers : sequence of str
            The column headings.
        rows : sequence of sequence
            The cells, row by row (neutralised like every export, so no cell starts a formula).
        empty : str, optional
            What to write instead of a table without rows (default ``(无)``).
        widths_mm : sequence of float, optional
            Column widths in millimetres (default: shared out by content over the type area).
        size_pt : float, optional
            Font size in points (default 四号 for tables).

        Examples
        --------
        >>> doc = OfficialDoc("通报")
        >>> doc.table(["编号", "任务"], [["1", "清理证明事项"], ["2", None]])
        >>> [[c.text for c in r.cells] for r in doc.doc.tables[0].rows]
        [['编号', '任务'], ['1', '清理证明事项'], ['2', '—']]
        >>> doc.table(["编号"], [], empty="本期无逾期任务。")
        >>> doc.doc.paragraphs[-1].text
        '本期无逾期任务。'
        """
        if not rows:
            self.paragraph(empty)
            return
        t = self.doc.add_table(rows=1, cols=len(headers))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        head = t.rows[0]
        trpr = head._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        trpr.append(repeat)
        for j, h in enumerate(headers):
            self._cell(head.cells[j], str(safe_text(h)), HEADING1_FONT, size_pt, center=True)
        for row in rows:
            cells = t.add_row().cells
            for j, v in enumerate(row):
                # neutralised like every export: a cell copied from Word into a spreadsheet stays text
                self._cell(cells[j], _cell_text(safe_text(v)), BODY_FONT, size_pt)
        widths_mm = list(widths_mm) if widths_mm else _auto_widths(headers, rows, self.text_width_mm)
        t.autofit = False
        for j, wmm in enumerate(widths_mm):
            t.columns[j].width = Mm(wmm)
            for cell in t.columns[j].cells:
                cell.width = Mm(wmm)
        self._spacing(self.doc.add_paragraph(), size_pt * 1.2)

    def _cell(self, cell: Any, text: str, font: str, size_pt: float, *, center: bool = False) -> None:
        cell.text = ""
        p = cell.paragraphs[0]
        p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.line_spacing = 1.0
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_run_font(p.add_run(text), font, size_pt)

    def signature(self, office: str, when: date) -> None:
        """落款: the issuing office over the date, the date four characters in from the right margin.

        Parameters
        ----------
        office : str
            The issuing office's name.
        when : date
            The date, written out in Chinese (:func:`cn_date`).

        Examples
        --------
        >>> doc = OfficialDoc("通报")
        >>> doc.signature("市优化营商环境工作领导小组办公室", date(2021, 11, 30))
        >>> [p.text for p in doc.doc.paragraphs[-2:]]
        ['市优化营商环境工作领导小组办公室', '2021年11月30日']
        """
        self.blank()
        self.blank()
        when_text = cn_date(when)
        date_indent = 4 * BODY_PT
        # centre the office's name over the date
        office_indent = date_indent + max(0.0, (len(when_text) - len(office)) / 2 * BODY_PT)
        for text, indent in ((office, office_indent), (when_text, date_indent)):
            p = self.doc.add_paragraph()
            self._spacing(p)
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(indent)
            _set_run_font(p.add_run(text), BODY_FONT, BODY_PT)

    def page_break(self) -> None:
        """Start a new page (e.g. before an annex).

        Examples
        --------
        >>> doc = OfficialDoc("通报")
        >>> before = doc.doc.element.xml.count('w:type="page"')
        >>> doc.page_break()
        >>> doc.doc.element.xml.count('w:type="page"') - before
        1
        """
        from docx.enum.text import WD_BREAK

        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # -- output ------------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """The document as docx bytes (to download or attach).

        Returns
        -------
        bytes
            The .docx file.

        Examples
        --------
        >>> data = OfficialDoc("通报").to_bytes()
        >>> data[:2], len(data) > 5000
        (b'PK', True)
        """
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()

    def save(self, path: str | Path) -> Path:
        """Write the docx to ``path`` and return it as a :class:`~pathlib.Path`.

        Parameters
        ----------
        path : str or Path
            Where to write (an existing file is replaced).

        Returns
        -------
        Path
            ``path``.

        Examples
        --------
        >>> import tempfile
        >>> path = OfficialDoc("通报").save(Path(tempfile.mkdtemp()) / "通报.docx")
        >>> path.name, path.read_bytes()[:2]
        ('通报.docx', b'PK')
        """
        path = Path(path)
        path.write_bytes(self.to_bytes())
        return path


def _auto_widths(headers: Sequence[str], rows: Sequence[Sequence[Any]], total_mm: float) -> list[float]:
    """Column widths sharing ``total_mm`` by how much text each column holds (long columns capped).

    >>> [round(w) for w in _auto_widths(["编号", "任务"], [["1", "清理证明事项并公布清单"]], 156)]
    [34, 122]
    """
    weights = []
    for j, h in enumerate(headers):
        longest = max([len(str(h))] + [len(_cell_text(r[j])) for r in rows if j < len(r)])
        weights.append(min(max(longest, len(str(h))) + 1.5, 24))  # +1.5: the cell's own padding
    total = sum(weights)
    return [total_mm * w / total for w in weights]


def _cell_text(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        if v != v:  # NaN
            return "—"
        return f"{v:g}"
    if isinstance(v, date):
        return v.isoformat()
    return str(v) if str(v) != "" else "—"


@dataclass(frozen=True)
class Block:
    """One block of a document for an on-screen preview: ``kind`` is title, heading, paragraph, signature
    or table; ``text`` the words, ``rows`` the cells of a table (header first).

    Parameters
    ----------
    kind
        ``title``, ``heading``, ``paragraph``, ``signature`` or ``table``.
    text
        The words of a paragraph (empty for a table).
    rows
        The cells of a table, header row first (empty for a paragraph).

    Examples
    --------
    >>> Block("table", rows=(("编号",), ("1",))).rows[1]
    ('1',)
    """

    kind: str
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


def outline(data: bytes) -> list[Block]:
    """The blocks of a docx in reading order (paragraphs and tables), for showing it before download.

    The first non-empty paragraph is the title; paragraphs in 黑体/楷体 are headings and right-aligned
    ones the signature; empty paragraphs are skipped.

    Parameters
    ----------
    data
        The docx's bytes (e.g. :meth:`OfficialDoc.to_bytes`).

    Returns
    -------
    list of Block
        In the order they appear.

    Raises
    ------
    ValueError
        (from python-docx, or :class:`zipfile.BadZipFile`) ``data`` is not a docx.

    Examples
    --------
    >>> doc = OfficialDoc("关于测试的通知", addressee="各单位")
    >>> doc.heading("要求")
    >>> doc.table(["编号", "任务"], [["1", "清理"]])
    >>> doc.signature("办公室", date(2021, 11, 30))
    >>> [(b.kind, b.text or b.rows) for b in outline(doc.to_bytes())]  # doctest: +NORMALIZE_WHITESPACE
    [('title', '关于测试的通知'), ('paragraph', '各单位:'), ('heading', '一、要求'),
     ('table', (('编号', '任务'), ('1', '清理'))), ('signature', '办公室'), ('signature', '2021年11月30日')]
    """
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(io.BytesIO(data))
    blocks: list[Block] = []
    body = doc.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:tbl"):
            table = Table(child, doc)
            blocks.append(Block("table", rows=tuple(tuple(c.text for c in row.cells) for row in table.rows)))
        elif child.tag == qn("w:p"):
            p = Paragraph(child, doc)
            text = p.text.strip()
            if not text:
                continue
            font = _east_asia_of(p)
            if not blocks:
                kind = "title"
            elif font in (HEADING1_FONT, HEADING2_FONT):
                kind = "heading"
            elif p.alignment == WD_ALIGN_PARAGRAPH.RIGHT:
                kind = "signature"
            else:
                kind = "paragraph"
            blocks.append(Block(kind, text))
    return blocks


def _east_asia_of(paragraph: Any) -> str | None:
    for run in paragraph.runs:
        rpr = run._element.rPr
        fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            return str(fonts.get(qn("w:eastAsia")))
    return None
