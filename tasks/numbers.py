"""Chinese and Arabic numerals as they appear in 序号 columns and dates.

>>> cn_to_int("十二"), cn_to_int("二〇二一"), cn_to_int("12"), cn_to_int("三十五")
(12, 2021, 12, 35)
"""

from __future__ import annotations

import re

_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS)
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def cn_to_int(text: str) -> int | None:
    """Parse Arabic (also full-width) or Chinese numerals; None if not a number."""
    s = text.strip().translate(_FULLWIDTH)
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if any(c not in _DIGITS and c not in _UNITS for c in s):
        return None
    if not any(c in _UNITS for c in s):  # positional: 二〇二一
        return int("".join(str(_DIGITS[c]) for c in s))
    total, current = 0, 0
    for c in s:
        if c in _DIGITS:
            current = _DIGITS[c]
        else:
            total += (current or 1) * _UNITS[c]
            current = 0
    return total + current


_ID_RE = re.compile(rf"^\s*[(（]?\s*([0-9０-９]+|[{CN_NUMERAL_CHARS}]+)\s*[)）]?\s*[、.．,，]?\s*$")


def parse_serial(text: object) -> int | None:
    """A 序号 cell (``3``, ``3.0``, ``三``, ``(三)``, ``3、``) as an int, else None."""
    if isinstance(text, bool) or text is None:
        return None
    if isinstance(text, (int, float)):
        return int(text) if float(text).is_integer() and text > 0 else None
    m = _ID_RE.match(str(text))
    if not m:
        s = str(text).strip()
        if re.fullmatch(r"\d+\.0+", s):
            return int(float(s))
        return None
    return cn_to_int(m.group(1))
