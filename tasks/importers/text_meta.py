"""A policy document's title, issuing body and date, read from its first lines.

Official documents open with ``X关于印发《Y》的通知``, a signature line
(``耒阳市人民政府办公室``) and a date line that text extraction often damages
(``202189`` = 2021-08-09).  Web pages add ``发文机关:`` / ``成文日期:`` fields.

>>> read_meta(["耒阳市人民政府办公室关于印发《耒阳市2021年行动方案》的通知", "耒阳市人民政府办公室", "202189"])
('耒阳市2021年行动方案', '耒阳市人民政府办公室', datetime.date(2021, 8, 9))
"""

from __future__ import annotations

import re
from datetime import date

from ..deadlines import _compact_digits

_PLAN_WORDS = r"(?:方案|意见|计划|规划|办法|细则|要点|清单|分解表|措施|通知|决定|规定|实施方案(?:\(试行\)|（试行）)?)"
_BOOK_TITLE = re.compile(r"《([^《》]{4,80}?)》")
_ISSUER_FIELD = re.compile(r"发文机关\s*[:：]\s*(\S+)")
_DATE_FIELD = re.compile(r"成文日期\s*[:：]\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_ISSUER_PREFIX = re.compile(r"^\s*(\S{2,40}?)关于(?:印发|转发|进一步|加快|推进|做好|开展|建立)")
_ORG = re.compile(r"^\S{2,30}(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|领导小组|委员会|局|厅|中心)$")
_DATE_LINE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?\s*$")
_COMPACT_LINE = re.compile(r"^\s*((?:19|20)\d{4,6})\s*(?:日)?\s*$")
_HEAD_LINES = 60


def _title(lines: list[str]) -> str:
    for line in lines[:_HEAD_LINES]:
        for m in _BOOK_TITLE.finditer(line):
            if re.search(_PLAN_WORDS + r"(?:\(试行\)|（试行）)?$", m[1]):
                return m[1].strip()
    for line in lines[:_HEAD_LINES]:
        about = re.search(r"关于(?:印发)?(.{4,80}?(?:方案|意见|计划|规划|办法))(?:的通知)?$", line.strip())
        if about:
            return about[1] if "印发" in line else "关于" + about[1]
    for line in lines[:_HEAD_LINES]:
        s = line.strip()
        if 4 <= len(s) <= 60 and re.search(_PLAN_WORDS + "$", s):
            return s
    return ""


def _issuer(lines: list[str]) -> str:
    for line in lines[:_HEAD_LINES]:
        m = _ISSUER_FIELD.search(line)
        if m:
            return m[1]
    for line in lines[:_HEAD_LINES]:
        m = _ISSUER_PREFIX.match(line)
        if m and not re.search(r"[:：>]", m[1]):
            return m[1]
    for line in lines[:_HEAD_LINES]:
        s = line.strip()
        if _ORG.match(s) and not s.startswith(("各", "市直", "关于")):
            return s
    return ""


def _date(lines: list[str]) -> date | None:
    for line in lines[:_HEAD_LINES]:
        m = _DATE_FIELD.search(line)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                pass
    for line in lines[:_HEAD_LINES]:
        m = _DATE_LINE.match(line)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                continue
        m = _COMPACT_LINE.match(line)
        if m:
            d = _compact_digits(m[1])
            if d:
                return d
    return None


def read_meta(lines: list[str]) -> tuple[str, str, date | None]:
    """``(title, issuer, date)`` from the document's text lines ('' / None where absent)."""
    return _title(lines), _issuer(lines), _date(lines)


def plan_year(title: str, doc_date: date | None, lines: list[str]) -> int | None:
    """The year ``年底前``/``8月31日前`` refer to: the title's year, else the document's."""
    m = re.search(r"((?:19|20)\d{2})年", title or "")
    if m:
        return int(m[1])
    if doc_date:
        return doc_date.year
    for line in lines[:_HEAD_LINES]:
        m = re.search(r"[〔\[［(（]((?:19|20)\d{2})[〕\]］)）]", line)
        if m:
            return int(m[1])
    return None
