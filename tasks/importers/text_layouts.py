"""Shared pieces of the text-layout parsers: the raw task record and header words.

A policy text holds tasks in three layouts, each with its own parser module:

* ``appendix`` (:mod:`.text_appendix`): the task-breakdown table flattened one
  cell per line (text copied from a web page);
* ``block`` and ``inline`` (:mod:`.text_body`): a numbered task paragraph
  followed by ``牵头单位:`` lines, or ending ``(X牵头,Y按职责分工负责,2021年底前完成)``.

Each parser returns :class:`RawTask` records (cell text as written); the
caller turns them into :class:`~tasks.model.Task` once the plan year is known.

>>> header_role("牵头部门"), header_role("完成时限"), header_role("一、主要任务")
('lead', 'deadline', None)
>>> is_deadline_text("20218月底前"), is_deadline_text("市直各相关单位")
(True, False)
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..deadlines import parse_deadline
from ..model import DATE, ONGOING
from ..numbers import CN_NUMERAL_CHARS
from .profiles import profile_column
from .text_units import is_unit_line

Line = tuple[int, str]


@dataclass
class RawTask:
    """One task as found in the text: cell strings, not yet parsed."""

    id: str
    title: str = ""
    description: str = ""
    section: str = ""
    lead: str = ""
    responsible: str = ""
    deadline: object = ""
    line: int | None = None
    sheet: str | None = None
    layout: str = ""
    notes: list[str] = field(default_factory=list)
    predecessors: str = ""
    #: person labels (牵头负责领导/责任领导): people, not units
    persons: str = ""
    #: the units came from a list without 牵头/责任 words
    unlabelled: bool = False
    #: the source text the fields were read from (paragraph and field lines)
    text: str = ""


@dataclass
class Found:
    """What one layout parser found: tasks, the line span used, and warnings."""

    layout: str
    tasks: list[RawTask] = field(default_factory=list)
    first: int | None = None
    last: int | None = None
    warnings: list[str] = field(default_factory=list)
    sheet: str | None = None


# ---------------------------------------------------------------- headers
_ROLE_WORDS = [
    ("id", ("序号", "编号")),
    ("lead", ("牵头部门", "牵头单位", "牵头")),
    ("responsible", ("责任部门", "责任单位", "配合单位", "配合部门", "协办单位", "参与单位", "责任主体")),
    ("deadline", ("完成时限", "完成时间", "时间节点", "完成期限", "时限要求", "时限")),
    ("predecessors", ("前置任务",)),
    ("description", ("主要任务", "工作内容", "具体措施", "任务内容", "工作措施", "具体任务", "主要内容", "工作举措")),
    ("title", ("工作要点", "任务名称", "重点任务", "工作任务", "任务事项", "重点工作", "项目名称", "工作事项", "任务")),
    ("note", ("备注", "说明")),
]
_EXACT_ONLY = {"任务", "牵头", "时限", "说明"}


def header_role(cell: object) -> str | None:
    """The column a header cell names (``牵头部门`` → ``lead``), or None."""
    profiled = profile_column(str(cell or ""))
    if profiled is not None:  # an import profile names this column
        return None if profiled in ("ignore", "persons", "section") else profiled
    s = re.sub(r"\s+", "", str(cell or ""))
    if not s or len(s) > 12 or re.match(rf"^[(（]?[{CN_NUMERAL_CHARS}\d]+[)）]?[、.．]", s):
        return None
    for role, words in _ROLE_WORDS:
        if any(w == s if w in _EXACT_ONLY else w in s for w in words):
            return role
    return None


def is_header_word(text: str) -> bool:
    """True when the whole line is one header word (a header repeated after a page break)."""
    s = re.sub(r"\s+", "", text)
    return any(s == w for _, words in _ROLE_WORDS for w in words)


SECTION_RE = re.compile(rf"^\s*[{CN_NUMERAL_CHARS}]+\s*[、.．]\s*\S")


@lru_cache(maxsize=4096)
def is_deadline_text(text: str, plan_year: int | None = None) -> bool:
    """True for a short line that reads as a 完成时限 (date, milestones or 长期坚持)."""
    s = text.strip()
    if not s or len(s) > 48 or is_unit_line(s):
        return False
    d = parse_deadline(s, plan_year or 2000)
    if d.kind not in (DATE, ONGOING):
        return False
    residue = re.sub(
        r"[\d０-９年月日号底前末内之以完成止季度第上下半全-－/.~至到—–,，;；、\s]|长期|坚持|持续|推进|开展|常态化",
        "",
        s,
    )
    return len(residue) <= 14
