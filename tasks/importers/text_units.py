"""Recognising unit names in loose text lines.

A flattened table cell (one cell per line, the 2021 seed) or a narrow Word cell
breaks one unit over two lines (``市直各相关`` / ``单位``).  These helpers say
whether a string is shaped like a unit name and glue such fragments back.

>>> is_unit_name("各乡镇(街道)"), is_unit_name("市直各相关"), is_unit_name("增强用户黏性")
(True, False, False)
>>> join_unit_fragments(["市审改办", "市政务服务中心", "市直各相关", "单位"])
['市审改办', '市政务服务中心', '市直各相关单位']
>>> is_unit_line("市城管局、国网耒阳市供电公司等相关涉及部门")
True
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..units import split_top_level, split_units

_SUFFIX = re.compile(
    r"(?:办公室|办|局|委员会|管委会|委|部|中心|单位|部门|机关|机构|政府|办事处|街道|社区|区|县|市|镇|乡"
    r"|院|所|公司|集团|银行|支行|分行|处|科|室|大队|支队|中队|队|站|协会|商会|联合会|工会|联社"
    r"|合作社|厅|馆|小组|工作组|专班|团|署|电视台|学校|大学|医院|指挥部|管理部|组织|企业|集团公司"
    r"|会|联|协|校|海关|监狱|法庭)$"
)
_BARE_SUFFIX = re.compile(r"^(?:单位|部门|中心|人民政府|政府|办事处|办公室|管委会|委员会|局|办)$")
_TRAILING_BRACKET = re.compile(r"[(（][^()（）]*[)）]$")


@lru_cache(maxsize=4096)
def is_unit_name(name: str) -> bool:
    """True if ``name`` looks like one organisation (ends like 局/办/中心/单位/政府…)."""
    n = name.strip()
    if not 2 <= len(n) <= 32 or re.search(r"[。:：!?！？“”\"]", n):
        return False
    core = n
    for _ in range(3):
        core = _TRAILING_BRACKET.sub("", core)
    return bool(core) and bool(_SUFFIX.search(core))


@lru_cache(maxsize=4096)
def is_unit_line(line: str) -> bool:
    """True if every name on the line (split on 、,;) is shaped like a unit."""
    s = line.strip()
    if not s or len(s) > 200 or "。" in s.rstrip("。"):
        return False
    names = split_units(s)
    return bool(names) and all(is_unit_name(n) for n in names)


def _should_join(current: str, nxt: str) -> bool:
    if _BARE_SUFFIX.match(nxt.strip()):
        return True
    cur_parts, next_parts = split_top_level(current), split_top_level(nxt)
    if not cur_parts or not next_parts:
        return False
    last, first = cur_parts[-1], next_parts[0]
    return not is_unit_name(last) and not is_unit_name(first) and is_unit_name(last + first)


def join_unit_fragments(lines: list[str]) -> list[str]:
    """Glue a line that ends in half a unit name to the next line."""
    out: list[str] = []
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out and _should_join(out[-1], line):
            out[-1] = out[-1] + line
        else:
            out.append(line)
    return out
