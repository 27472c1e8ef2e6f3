"""Finding tasks in the lines of a policy text, in its three layouts.

* ``appendix``: the task-breakdown table flattened one cell per line (text
  copied from a web page): header lines 序号/工作要点/…/完成时限, section lines
  ``一、…``, then per task a serial line, text cells, unit cells, deadline.
* ``block``: a numbered task paragraph followed by ``牵头单位:`` ``责任单位:``
  ``完成时限:`` lines.
* ``inline``: a numbered paragraph ending ``(X牵头,Y按职责分工负责,2021年底前完成)``.

Each parser returns :class:`RawTask` records (cell text as written); the
caller turns them into :class:`~tasks.model.Task` once the plan year is known.

>>> lines = [(1, "一、提升效率"), (2, "(一)推行叫号。全市联网。"), (3, "牵头单位:市数字办"), (4, "完成时限:长期")]
>>> [(r.id, r.title, r.lead, r.deadline, r.section) for r in parse_body(lines).tasks]
[('1', '推行叫号', '市数字办', '长期', '一、提升效率')]
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

from ..deadlines import parse_deadline
from ..model import DATE, ONGOING
from ..numbers import CN_NUMERAL_CHARS, parse_serial
from ..units import split_units, is_collective
from .text_units import is_unit_line, join_unit_fragments

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
    residue = re.sub(r"[\d０-９年月日号底前末内之以完成止季度第上下半全-－/.~至到—–,，;；、\s]|长期|坚持|持续|推进|开展|常态化",
                     "", s)
    return len(residue) <= 14


# ---------------------------------------------------------------- appendix (one cell per line)
def _find_header(lines: list[Line], start: int) -> tuple[int, int, list[str]] | None:
    """Index range and roles of a header written one cell per line, from ``start``."""
    for i in range(start, len(lines)):
        if header_role(lines[i][1]) != "id":
            continue
        roles, j = ["id"], i + 1
        while j < len(lines) and len(roles) < 12:
            r = header_role(lines[j][1])
            if r is None:
                break
            roles.append(r)
            j += 1
        if len(roles) >= 3 and ("lead" in roles or "responsible" in roles):
            return i, j, roles
    return None


def _split_units_lines(unit_lines: list[str], roles: list[str], hint: tuple[set, set] | None,
                       task_id: str) -> tuple[list[str], list[str], str | None]:
    """Share the unit lines of one row between the lead and the responsible cell."""
    has_lead, has_resp = "lead" in roles, "responsible" in roles
    n = len(unit_lines)
    if not has_resp:
        return unit_lines, [], None
    if not has_lead:
        return [], unit_lines, None
    if n <= 1:
        if n == 1 and hint and not hint[0] and set(split_units(unit_lines[0])) <= hint[1]:
            return [], unit_lines, None
        return unit_lines, [], None
    if n == 2 and not hint:
        return unit_lines[:1], unit_lines[1:], None

    def units(ls: list[str]) -> set[str]:
        return {u for l in ls for u in split_units(l)}

    if hint and (hint[0] or hint[1]):
        lead_h, resp_h = hint
        scored = []
        for k in range(1, n):
            lu, ru = units(unit_lines[:k]), units(unit_lines[k:])
            score = len(lu & lead_h) + len(ru & resp_h) - len(lu & resp_h - lead_h) - len(ru & lead_h - resp_h)
            scored.append((score, k))
        best = max(s for s, _ in scored)
        ks = [k for s, k in scored if s == best]
        if len(ks) == 1:
            return unit_lines[:ks[0]], unit_lines[ks[0]:], None
    if n == 2:
        return unit_lines[:1], unit_lines[1:], None
    for k in range(1, n):
        if any(is_collective(u) for u in split_units(unit_lines[k])):
            return unit_lines[:k], unit_lines[k:], None
    k = n - 1
    note = (f"任务{task_id}:附件表牵头单位与责任单位分在{n}行,无法确定分界,"
            f"已按最后一行为责任单位处理,请核对")
    return unit_lines[:k], unit_lines[k:], note


def parse_appendix(lines: list[Line], *, plan_year: int | None = None,
                   hints: dict[str, tuple[set, set]] | None = None, start: int = 0) -> Found | None:
    """The flattened task-breakdown table (one cell per line), or None if there is none.

    ``hints`` maps task id → (lead units, responsible units) read from the body
    text; they decide where the lead cell ends when both cells span several lines.
    """
    head = _find_header(lines, start)
    if head is None:
        return None
    h0, h1, roles = head
    found = Found("appendix", first=lines[h0][0])
    # rows: (serial, section, [line indices])
    rows: list[tuple[int, str, list[int]]] = []
    section, expected, cur = "", None, None
    for i in range(h1, len(lines)):
        text = lines[i][1].strip()
        serial = parse_serial(text)
        if serial is not None and (expected is None or serial == expected) and len(text) <= 6:
            cur = (serial, section, [])
            rows.append(cur)
            expected = serial + 1
            continue
        if is_header_word(text) and cur is not None and not cur[2]:
            continue
        if SECTION_RE.match(text) and len(text) <= 40 and "。" not in text:
            section, cur = text, None
            continue
        if cur is not None:
            cur[2].append(i)
    last_used = h1 - 1
    for r_index, (serial, sec, idx) in enumerate(rows):
        tid = str(serial)
        texts = [lines[i][1].strip() for i in idx]
        is_last = r_index == len(rows) - 1
        if not texts:
            found.warnings.append(f"任务{tid}:附件表中这一行是空的")
            continue
        # deadline: the last line(s) of the row; in the last row, the first deadline-like
        # line after the title (what follows is the document's footer)
        k = end = None
        if "deadline" in roles:
            def dl_at(j: int) -> bool:
                return j >= 1 and is_deadline_text(texts[j], plan_year)

            if not is_last and dl_at(len(texts) - 1):
                k = end = len(texts) - 1
                while k - 1 >= 1 and dl_at(k - 1):
                    k -= 1
            else:
                k = next((j for j in range(1, len(texts)) if dl_at(j)), None)
                end = k
                while k is not None and end + 1 < len(texts) and dl_at(end + 1):
                    end += 1
        if k is not None:
            deadline = ",".join(t.rstrip(",，;；、") for t in texts[k:end + 1])
            middle = texts[1:k]
            last_used = idx[end]
            if end + 1 < len(texts) and not is_last:
                found.warnings.append(f"任务{tid}:完成时限之后还有内容“{''.join(texts[end + 1:])[:40]}”,未导入")
        else:
            deadline = ""
            middle = texts[1:]
            if is_last:  # stop after the unit lines: the rest is the footer
                cut = next((j for j in range(1, len(middle)) if is_unit_line(middle[j - 1])
                            and not is_unit_line(middle[j])), len(middle))
                middle = middle[:cut]
                last_used = idx[cut] if cut < len(idx) else idx[-1]
            else:
                last_used = idx[-1]
        # units: the trailing run of unit-shaped lines (fragments glued)
        glued = join_unit_fragments(middle)
        u = len(glued)
        while u > 0 and is_unit_line(glued[u - 1]):
            u -= 1
        text_cells, unit_lines = glued[:u], glued[u:]
        if u == 0 and unit_lines and ("title" in roles or "description" in roles):
            text_cells, unit_lines = unit_lines[:0], unit_lines  # title line itself is texts[0]
        lead, resp, note = _split_units_lines(unit_lines, roles, (hints or {}).get(tid), tid)
        if note:
            found.warnings.append(note)
        title = texts[0]
        has_desc = "description" in roles and "title" in roles
        description = "".join(text_cells) if has_desc else ""
        if not has_desc and text_cells:
            title = title + "".join(text_cells)
        found.tasks.append(RawTask(
            id=tid, title=title, description=description, section=sec,
            lead="\n".join(lead), responsible="\n".join(resp), deadline=deadline,
            line=lines[idx[0] - 1][0] if idx and idx[0] > 0 else None, layout="appendix"))
    # the serial line is the task's first line
    serial_lines = {}
    for serial, _sec, idx in rows:
        if idx:
            serial_lines[str(serial)] = lines[idx[0] - 1][0]
    for t in found.tasks:
        t.line = serial_lines.get(t.id, t.line)
    found.last = lines[last_used][0] if last_used >= 0 else found.first
    return found if found.tasks else None


# ---------------------------------------------------------------- body: block and inline
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


def _top_level_split(s: str) -> list[str]:
    parts, buf, depth = [], [], 0
    for ch in s:
        if ch in "(（[【〔":
            depth += 1
        elif ch in ")）]】〕":
            depth = max(0, depth - 1)
        if ch in ",，;；" and depth == 0:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return [p.strip() for p in parts if p.strip()]


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
    for clause in _top_level_split(content):
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
            joined = "\n".join(lines[k][1].strip() for k in field_lines)
            role = None
            for k in field_lines:
                t = lines[k][1].strip()
                if _FIELD_RE.match(t):
                    for r, v in parse_fields(t).items():
                        fields[r] = fields[r] + "、" + v if r in fields and r != "deadline" else v
                    role = _LABEL_ROLE[_FIELD_RE.match(t)[1]]
                elif role:
                    sep = "," if role == "deadline" else "\n"
                    fields[role] = fields.get(role, "") + sep + t
            del joined
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
            body_text = text[:paren[1]]
            if num:
                body_text = rest[: max(0, len(rest) - (len(text) - paren[1]))]
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
