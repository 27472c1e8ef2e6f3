"""Tasks in the body text: ``牵头单位:`` blocks and inline ``(X牵头,…完成)`` endings.

* ``block``: a numbered task paragraph followed by ``牵头单位:`` ``责任单位:``
  ``完成时限:`` lines (full- or half-width colon, or all on one line);
* ``inline``: a numbered paragraph ending ``(X牵头,Y按职责分工负责,2021年底前完成)``,
  also without 牵头 (then every unit is responsible) or with labels inside.

Short numbered lines without fields are headings: ``一、…`` sections and
``(一)…`` sub-sections give each task its ``section``.

>>> lines = [(1, "一、提升效率"), (2, "(一)推行叫号。全市联网。"), (3, "牵头单位:市数字办"), (4, "完成时限:长期")]
>>> [(r.id, r.title, r.lead, r.deadline, r.section) for r in parse_body(lines).tasks]
[('1', '推行叫号', '市数字办', '长期', '一、提升效率')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..deadlines import parse_deadline
from ..model import DATE, ONGOING
from ..numbers import CN_NUMERAL_CHARS, parse_serial
from ..units import split_top_level
from .text_layouts import SECTION_RE, Found, Line, RawTask, is_deadline_text
from .text_units import is_unit_line

_NUMBERED = re.compile(
    rf"^\s*(?:[(（]\s*(?P<p>[{CN_NUMERAL_CHARS}]+|\d{{1,3}})\s*[)）]\s*[、.．]?"
    rf"|(?P<a>\d{{1,3}})\s*[.、．](?!\d)|(?P<c>[{CN_NUMERAL_CHARS}]+)\s*[、.．]|第(?P<d>[{CN_NUMERAL_CHARS}\d]+)[条项])"
    r"\s*(?P<rest>.*)$"
)
FIELD_LABELS = {
    "lead": ("牵头单位", "牵头部门", "牵头领导单位"),
    "responsible": ("责任单位", "责任部门", "配合单位", "配合部门", "协办单位", "参与单位"),
    "deadline": ("完成时限", "完成时间", "时间节点", "完成期限", "时限要求"),
}
_FIELD_RE = re.compile(
    "(" + "|".join(w for ws in FIELD_LABELS.values() for w in ws) + r")\s*[:：]\s*")
_LABEL_ROLE = {w: role for role, ws in FIELD_LABELS.items() for w in ws}
_OPENERS, _CLOSERS = "(（", ")）"
_RESP_MARK = re.compile(r"(?:按照?职责分工|分工)?(?:负责|落实|配合|参与|协助|协同)$")


def _numbered(text: str) -> tuple[str, str, str] | None:
    """``(kind, number, rest)`` for a numbered paragraph, kind in p/a/c/d."""
    m = _NUMBERED.match(text)
    if not m:
        return None
    for kind in "pacd":
        if m[kind]:
            return kind, m[kind], m["rest"].strip()
    return None


def parse_fields(text: str) -> dict[str, str]:
    """Labelled fields ``牵头单位:A;责任单位:B`` anywhere in ``text``."""
    out: dict[str, list[str]] = {}
    ms = list(_FIELD_RE.finditer(text))
    for i, m in enumerate(ms):
        end = ms[i + 1].start() if i + 1 < len(ms) else len(text)
        value = text[m.end():end].strip().rstrip(";；,,。 ")
        if value:
            out.setdefault(_LABEL_ROLE[m[1]], []).append(value)
    return {k: "、".join(v) if k != "deadline" else ",".join(v) for k, v in out.items()}


def trailing_paren(text: str) -> tuple[str, int] | None:
    """Content and start of the bracket group that ends ``text`` (nested brackets allowed)."""
    s = text.rstrip().rstrip("。.;；")
    if not s or s[-1] not in _CLOSERS:
        return None
    depth = 0
    for i in range(len(s) - 1, -1, -1):
        if s[i] in _CLOSERS:
            depth += 1
        elif s[i] in _OPENERS:
            depth -= 1
            if depth == 0:
                return s[i + 1:-1], i
    return None


def parse_inline(content: str) -> dict[str, str] | None:
    """``市审改办牵头,市直各相关单位按职责分工负责,2021年底前完成`` → lead/responsible/deadline.

    >>> parse_inline("市审改办、市政务服务中心牵头,市直各相关单位按职责分工负责,2021年底前完成")
    {'lead': '市审改办、市政务服务中心', 'responsible': '市直各相关单位', 'deadline': '2021年底前'}
    """
    label = _FIELD_RE.search(content)
    if label:
        fields = parse_fields(content)
        before = content[:label.start()].strip(" ,，;；")
        if before:  # 市X牵头;完成时限:2021年底前
            for k, v in (parse_inline(before) or {}).items():
                fields.setdefault(k, v)
        return fields or None
    if not re.search(r"牵头|负责|配合|完成|长期|持续", content):
        return None
    has_lead_word = "牵头" in content
    lead: list[str] = []
    resp: list[str] = []
    deadline: list[str] = []
    pending: list[str] = []
    for clause in split_top_level(content, ",，;；"):
        c = re.sub(r"^(?:由|请)", "", clause)
        if re.search(r"牵头(?:负责|抓总)?$", c):
            lead.extend(pending + [re.sub(r"牵头(?:负责|抓总)?$", "", c)])
            pending = []
            continue
        d_text = re.sub(r"(?:前)?完成$", lambda m: "前" if m[0].startswith("前") else "", c)
        if not is_unit_line(c) and parse_deadline(d_text, 2000).kind in (DATE, ONGOING) \
                and not _RESP_MARK.search(c):
            deadline.append(d_text)
            continue
        if _RESP_MARK.search(c):
            plain_duty = re.search(r"负责$", c) and not re.search(r"(?:职责|分工)负责$", c)
            c = _RESP_MARK.sub("", c).rstrip("等")
            if not has_lead_word and plain_duty and not lead and not resp:
                lead.extend(pending + [c])
            else:
                resp.extend(pending + [c])
            pending = []
            continue
        if is_unit_line(c):
            pending.append(c)
        elif re.search(r"完成$", c) and d_text:  # 2021年13月底前完成 / 尽快完成: kept, warned later
            deadline.append(d_text)
    if pending:
        (resp if lead else lead).extend(pending)
    if not (lead or resp or deadline):
        return None
    out = {}
    if lead:
        out["lead"] = "、".join(lead)
    if resp:
        out["responsible"] = "、".join(resp)
    if deadline:
        out["deadline"] = ",".join(deadline)
    return out


def _title_and_description(rest: str) -> tuple[str, str]:
    """Split a task paragraph into its heading sentence and the rest."""
    s = rest.strip()
    m = re.match(r"^(.{2,80}?)[。;；](.*)$", s)
    if m:
        return m[1].strip(), m[2].strip()
    m = re.match(r"^(.{2,60}?)[,，](.*)$", s)
    if m and len(s) > 60:
        return m[1].strip(), m[2].strip()
    return s.rstrip("。"), ""


@dataclass
class BodyResult:
    """Tasks found in the body text, by layout."""

    tasks: list[RawTask] = field(default_factory=list)
    found: list[Found] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _attach_bracket_lines(lines: list[Line]) -> list[Line]:
    """A line that is only ``(X牵头,…完成)`` belongs to the paragraph above (an HTML <br>)."""
    out: list[Line] = []
    for n, text in lines:
        paren = trailing_paren(text) if text.lstrip()[:1] in _OPENERS else None
        if out and paren and paren[1] == len(text) - len(text.lstrip()) and parse_inline(paren[0]) \
                and not _numbered(text) and not trailing_paren(out[-1][1]):
            out[-1] = (out[-1][0], out[-1][1] + text.strip())
        else:
            out.append((n, text))
    return out


def parse_body(lines: list[Line], *, skip: tuple[int, int] | None = None) -> BodyResult:
    """Block-layout and inline-layout tasks in document order.

    ``skip`` is a range of line numbers, both ends included (the flattened
    appendix table), not to read.
    """
    result = BodyResult()
    if skip:
        lines = [(n, t) for n, t in lines if not skip[0] <= n <= skip[1]]
    lines = _attach_bracket_lines(lines)
    by_layout: dict[str, Found] = {}
    top, sub = "", ""
    n = len(lines)
    i = 0
    counter = 0

    def record(raw: RawTask, last_line: int) -> None:
        f = by_layout.setdefault(raw.layout, Found(raw.layout, first=raw.line))
        f.tasks.append(raw)
        f.last = last_line
        result.tasks.append(raw)

    while i < n:
        lineno, text = lines[i]
        num = _numbered(text)
        paren = trailing_paren(text)
        inline = parse_inline(paren[0]) if paren else None
        if num is None and inline is None:
            i += 1
            continue
        kind, number, rest = num if num else ("", "", text)
        # block layout: field lines follow (maybe after a few description paragraphs)
        field_lines: list[int] = []
        extra: list[int] = []
        j = i + 1
        while j < n:
            t = lines[j][1]
            if _FIELD_RE.match(t.strip()):
                field_lines.append(j)
            elif _numbered(t) or (SECTION_RE.match(t) and len(t) <= 40):
                break
            elif field_lines:
                if len(t) <= 60 and (is_unit_line(t) or is_deadline_text(t)):
                    field_lines.append(j)
                else:
                    break
            elif len(extra) < 3:
                extra.append(j)
            else:
                break
            j += 1
        own_fields = parse_fields(rest) if _FIELD_RE.search(rest) and inline is None else {}
        if field_lines or own_fields:
            fields = dict(own_fields)
            pos = _FIELD_RE.search(rest)
            body_text = rest[:pos.start()] if own_fields and pos else rest
            role = None
            for k in field_lines:
                t = lines[k][1].strip()
                if _FIELD_RE.match(t):
                    for r, v in parse_fields(t).items():
                        fields[r] = fields[r] + "、" + v if r in fields and r != "deadline" else v
                    role = _LABEL_ROLE[_FIELD_RE.match(t)[1]]  # type: ignore[index]
                elif role:
                    sep = "," if role == "deadline" else "\n"
                    fields[role] = fields.get(role, "") + sep + t
            title, desc = _title_and_description(body_text)
            more = "".join(lines[k][1].strip() for k in extra if (not field_lines or k < field_lines[0]))
            counter += 1
            raw = RawTask(id=str(parse_serial(number) or counter) if number else str(counter),
                          title=title, description=(desc + more).strip(), section=sub or top,
                          lead=fields.get("lead", ""), responsible=fields.get("responsible", ""),
                          deadline=fields.get("deadline", ""), line=lineno, layout="block")
            record(raw, lines[field_lines[-1]][0] if field_lines else lineno)
            i = (field_lines[-1] + 1) if field_lines else i + 1
            continue
        if inline is not None:
            body_text = text[:paren[1]]  # type: ignore[index]
            if num:
                body_text = rest[: max(0, len(rest) - (len(text) - paren[1]))]  # type: ignore[index]
            title, desc = _title_and_description(body_text)
            counter += 1
            raw = RawTask(id=str(parse_serial(number) or counter) if number else str(counter),
                          title=title, description=desc, section=sub or top,
                          lead=inline.get("lead", ""), responsible=inline.get("responsible", ""),
                          deadline=inline.get("deadline", ""), line=lineno, layout="inline")
            record(raw, lineno)
            i += 1
            continue
        # a numbered line without task fields: a heading if short
        if len(text) <= 40 and "。" not in text.rstrip("。"):
            if kind == "c" or (kind == "d"):
                top, sub = text.strip(), ""
            elif kind == "p":
                sub = text.strip()
        i += 1
    result.found = list(by_layout.values())
    return result
