"""Deadline text (完成时限) to dates.

Real tables write deadlines many ways, and text extraction damages them
(``20218月底前`` lost its 年).  :func:`parse_deadline` returns the first date
as the deadline, every dated part as a milestone, ``kind="ongoing"`` for
长期/持续推进, and keeps unreadable text with a warning instead of a silent null.

>>> parse_deadline("2021年8月底前").deadline
datetime.date(2021, 8, 31)
>>> parse_deadline("长期坚持").kind
'ongoing'
>>> [m.date.isoformat() for m in parse_deadline("2017年9月底前上线试运行,2018-2019年扩容推广").milestones]
['2017-09-30', '2019-12-31']
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .model import DATE, NONE, ONGOING, UNKNOWN, Milestone
from .numbers import CN_NUMERAL_CHARS, cn_to_int

ONGOING_WORDS = ("长期坚持", "长期", "持续推进", "持续开展", "常态化", "持续", "长效")
_N = rf"[0-9０-９{CN_NUMERAL_CHARS}]"
_SPLIT_RE = re.compile(r"[,，;；。\n]+")
_FULLWIDTH = str.maketrans("０１２３４５６７８９／－．", "0123456789/-.")
_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass
class Deadline:
    """Result of :func:`parse_deadline`."""

    deadline: date | None
    kind: str
    milestones: list[Milestone] = field(default_factory=list)
    warning: str | None = None
    text: str = ""


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _num(s: str) -> int | None:
    return cn_to_int(s) if s else None


def _compact_digits(s: str) -> date | None:
    """``2017729`` → 2017-07-29, ``20210831`` → 2021-08-31, ``202189`` → 2021-08-09."""
    y, rest = int(s[:4]), s[4:]
    candidates = []
    if len(rest) == 4:
        candidates = [(rest[:2], rest[2:])]
    elif len(rest) == 3:
        candidates = [(rest[:1], rest[1:]), (rest[:2], rest[2:])]
    elif len(rest) == 2:
        candidates = [(rest[:1], rest[1:])]
    for m, d in candidates:
        try:
            return date(y, int(m), int(d))
        except ValueError:
            continue
    return None


def _parse_piece(piece: str, plan_year: int | None) -> date | None:
    """One clause (no commas) to a date, or None."""
    s = piece.translate(_FULLWIDTH).replace(" ", "")
    if not s:
        return None
    # ISO-ish: 2021-08-31, 2021/8/31, 2021.8.31
    m = re.search(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", s)
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    # year ranges: 2018-2019年 → end of the last year
    m = re.search(r"(\d{4})(?:年)?[-~至到—–](\d{4})年", s)
    if m:
        s = s.replace(m[0], f"{m[2]}年", 1)
    # year, possibly damaged (20218月 = 2021年8月) or in Chinese numerals
    year = None
    m = re.search(rf"((?:19|20)\d{{2}}|{_N}{{4}})年", s)
    rest = s
    if m:
        year = _num(m[1])
        rest = s[m.end() :]
    else:
        m = re.match(r"((?:19|20)\d{2})(\d{1,2}月)", s)
        if m:
            year, rest = int(m[1]), m[2] + s[m.end() :]
        elif re.fullmatch(r"(?:19|20)\d{4,6}(?:前|以前|之前|完成)?", s):
            return _compact_digits(s.rstrip("前以之完成"))
    y = year or plan_year
    # month ranges: 8月至9月 / 8-9月 → the last month
    rest = re.sub(rf"{_N}{{1,2}}月?[-~至到—–]({_N}{{1,2}})月", r"\1月", rest, count=1)
    # month and day
    m = re.search(rf"({_N}{{1,2}})月(?:({_N}{{1,3}})[日号]|([上中下])旬)?", rest)
    if m:
        month = _num(m[1])
        if not (month and 1 <= month <= 12):
            return None  # 13月 is a typo to show the user, not a year-end date
        if y is None:
            return None
        if m[2]:
            day = _num(m[2])
            return date(y, month, day) if day else None
        if m[3] in ("上", "中"):
            return date(y, month, 10 if m[3] == "上" else 20)
        return month_end(y, month)
    if y is None:
        return None
    if re.search(r"上半年", rest):
        return date(y, 6, 30)
    if re.search(r"下半年", rest):
        return date(y, 12, 31)
    if "季度" in rest:
        m = re.search(r"(?:第)?([一二三四1-4])季度", rest)
        quarter = _num(m[1]) if m else None
        return month_end(y, 3 * quarter) if quarter else None  # 第五季度: not a quarter
    if year is not None or re.search(r"年底|年末|年内|全年", rest):
        return date(y, 12, 31)  # 2021年底前, 2019年全面推行, 年内
    return None


def parse_deadline(value: object, plan_year: int | None = None) -> Deadline:
    """Parse a 完成时限 cell: text, ``date``/``datetime`` or an Excel serial number.

    ``plan_year`` fills in ``8月31日前``, ``年底前`` and ``年内``.
    """
    if value is None or (isinstance(value, float) and value != value):
        return Deadline(None, NONE)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return Deadline(value, DATE, [Milestone(value, value.isoformat())], text=value.isoformat())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 < value < 80000:  # Excel serial day
            day = _EXCEL_EPOCH + timedelta(days=int(value))
            return Deadline(day, DATE, [Milestone(day, day.isoformat())], text=day.isoformat())
        value = str(int(value)) if float(value).is_integer() else str(value)
    text = re.sub(r"\s+", " ", str(value)).strip()
    if not text:
        return Deadline(None, NONE)
    milestones: list[Milestone] = []
    unreadable: list[str] = []
    ongoing = False
    for piece in (p.strip() for p in _SPLIT_RE.split(text)):
        if not piece:
            continue
        try:
            d = _parse_piece(piece, plan_year)
        except (ValueError, TypeError):
            d = None
        if d is not None:
            milestones.append(Milestone(d, piece))
        elif any(w in piece for w in ONGOING_WORDS):
            ongoing = True
        else:
            unreadable.append(piece)
    if milestones:
        warning = f"完成时限“{text}”中“{'、'.join(unreadable)}”无法识别为日期" if unreadable else None
        return Deadline(milestones[0].date, DATE, milestones, warning, text)
    if ongoing:
        return Deadline(None, ONGOING, [], None, text)
    return Deadline(None, UNKNOWN, [], f"完成时限“{text}”无法识别为日期,请改为如“2021年8月底前”的写法", text)
