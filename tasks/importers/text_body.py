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
from functools import lru_cache

from ..deadlines import parse_deadline
from ..model import DATE, ONGOING
from ..numbers import CN_NUMERAL_CHARS, parse_serial
from ..units import is_collective, split_top_level, split_units
from .profiles import active_profile
from .text_layouts import SECTION_RE, Found, Line, RawTask, is_deadline_text
from .text_units import is_unit_line, is_unit_name

_NUMBERED = re.compile(
    rf"^\s*(?:[(（]\s*(?P<p>[{CN_NUMERAL_CHARS}]+|\d{{1,4}})\s*[)）]\s*[、.．]?"
    rf"|(?P<a>\d{{1,5}})\s*[.、．](?!\d)|(?P<c>[{CN_NUMERAL_CHARS}]+)\s*[、.．]|第(?P<d>[{CN_NUMERAL_CHARS}\d]+)[条项]"
    r"|(?P<b>\d{1,4})\s*[)）]|(?P<e>[\u2460-\u2473]))"
    r"\s*(?P<rest>.*)$"
)
#: the field labels known without a profile; compound labels (牵头责任单位) are matched before
#: the labels they contain (责任单位)
FIELD_LABELS = {
    "lead": ("牵头责任单位", "牵头责任部门", "牵头单位", "牵头部门", "牵头领导单位"),
    "responsible": (
        "协同责任单位",
        "协同责任部门",
        "责任单位",
        "责任部门",
        "配合单位",
        "配合部门",
        "协办单位",
        "协办部门",
        "参与单位",
        "参与部门",
        "协同单位",
        "协作单位",
    ),
    "persons": ("牵头负责领导", "牵头责任领导", "责任领导", "分管领导", "牵头领导", "责任人"),
    "deadline": ("完成时限", "完成时间", "时间节点", "完成期限", "时限要求"),
}
#: a label-shaped word the importer does not know (reported in the confidence summary)
UNKNOWN_LABEL = re.compile(r"([\u4e00-\u9fff]{2,8}(?:单位|部门|科室|处室|机构|领导|主体|责任人))\s*[:：]")


@dataclass(frozen=True)
class Labels:
    """The field labels in force (defaults plus an import profile's), compiled once."""

    regex: re.Pattern
    role: dict[str, str]

    def known(self, word: str) -> bool:
        return word in self.role


@lru_cache(maxsize=32)
def _compile(lead: tuple[str, ...], resp: tuple[str, ...], persons: tuple[str, ...]) -> Labels:
    role: dict[str, str] = {}
    for r, words in (("lead", lead), ("responsible", resp), ("persons", persons)):
        for w in words:
            role[w] = r  # a profile's label overrides the default role of the same word
    for r, words in FIELD_LABELS.items():
        for w in words:
            role.setdefault(w, r)
    alternation = "|".join(re.escape(w) for w in sorted(role, key=len, reverse=True))
    return Labels(re.compile("(" + alternation + r")\s*[:：]\s*"), role)


def labels() -> Labels:
    """The labels of the active import profile (the defaults when none is active).

    >>> labels().role["牵头责任单位"], labels().role["协同责任单位"], labels().role["责任领导"]
    ('lead', 'responsible', 'persons')
    """
    p = active_profile()
    if p is None:
        return _compile((), (), ())
    return _compile(p.lead_labels, p.responsible_labels, p.person_labels)


_OPENERS, _CLOSERS = "(（〔[［【", ")）〕]］】"
_RESP_MARK = re.compile(r"(?:按照?职责分工|分工)?(?:负责|落实|配合|参与|协助|协同)$")
#: ``排在第一位的部门为牵头部门`` and its variants: the first unit of an unlabelled list leads
FIRST_LEADS_RULE = re.compile(r"(?:排|列)(?:在|于)?(?:第一位|首位|第一)的?(?:部门|单位)?(?:为|是)牵头(?:部门|单位)")


def _numbered(text: str) -> tuple[str, str, str] | None:
    """``(kind, number, rest)`` for a numbered paragraph, kind in p/a/c/d: ``(1)``, ``1)`` and ``①``
    are all sub-item numbers (kind p).

    >>> _numbered("1)推行叫号"), _numbered("③推行预约"), _numbered("(十三)推行延时")
    (('p', '1', '推行叫号'), ('p', '3', '推行预约'), ('p', '十三', '推行延时'))
    """
    m = _NUMBERED.match(text)
    if not m:
        return None
    for kind in "pacd":
        if m[kind]:
            return kind, m[kind], m["rest"].strip()
    if m["b"]:
        return "p", m["b"], m["rest"].strip()
    if m["e"]:
        return "p", str(ord(m["e"]) - 0x2460 + 1), m["rest"].strip()
    return None


def _cut_note(value: str) -> tuple[str, str]:
    """``市财政局。以下任务均需各区市落实`` → (``市财政局``, the note): a sentence after ``。`` is no unit."""
    depth = 0
    for i, ch in enumerate(value):
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(0, depth - 1)
        elif ch == "。" and depth == 0:
            return value[:i], value[i + 1 :].strip()
    return value, ""


def parse_fields(text: str, notes: list[str] | None = None) -> dict[str, str]:
    """Labelled fields ``牵头单位:A;责任单位:B`` anywhere in ``text``.

    >>> parse_fields("牵头责任单位:市财政局;协同责任单位:市税务局。以下任务不再一一列出")
    {'lead': '市财政局', 'responsible': '市税务局'}
    """
    lab = labels()
    out: dict[str, list[str]] = {}
    ms = list(lab.regex.finditer(text))
    for i, m in enumerate(ms):
        end = ms[i + 1].start() if i + 1 < len(ms) else len(text)
        value, note = _cut_note(text[m.end() : end].strip())
        if note and notes is not None:
            notes.append(note)
        value = value.strip().rstrip(";；,,。 ")
        if value:
            out.setdefault(lab.role[m[1]], []).append(value)
    return {k: "、".join(v) if k != "deadline" else ",".join(v) for k, v in out.items()}


def trailing_paren(text: str) -> tuple[str, int] | None:
    """Content and start of the bracket group that ends ``text`` (nested brackets allowed).

    >>> trailing_paren("推行叫号。〔牵头单位:市数字办〕")
    ('牵头单位:市数字办', 5)
    """
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
                return s[i + 1 : -1], i
    return None


def _units_and_deadline(content: str) -> bool:
    """``市人社局、市医保局,2021年底前``: a unit list and a deadline without any role word."""
    clauses = split_top_level(content, ",，;；")
    return (
        len(clauses) >= 2
        and is_unit_line(clauses[0])
        and any(parse_deadline(c, 2000).kind in (DATE, ONGOING) and not is_unit_line(c) for c in clauses[1:])
    )


def parse_inline(content: str, first_leads: bool = False) -> dict[str, str] | None:
    """``市审改办牵头,市直各相关单位按职责分工负责,2021年底前完成`` → lead/responsible/deadline.

    A list that names no lead (``财政部、海关总署负责``) is responsible units and
    ``unlabelled`` is set; with ``first_leads`` (the document says
    ``排在第一位的部门为牵头部门``) its first unit leads.

    >>> parse_inline("市审改办、市政务服务中心牵头,市直各相关单位按职责分工负责,2021年底前完成")
    {'lead': '市审改办、市政务服务中心', 'responsible': '市直各相关单位', 'deadline': '2021年底前'}
    >>> parse_inline("财政部、海关总署、税务总局负责")
    {'responsible': '财政部、海关总署、税务总局', 'unlabelled': '1'}
    >>> parse_inline("财政部、海关总署、税务总局负责", first_leads=True)
    {'lead': '财政部', 'responsible': '海关总署、税务总局', 'unlabelled': '1'}
    """
    content, note = _cut_note(content)
    lab = labels()
    label = lab.regex.search(content)
    if label:
        fields = parse_fields(content)
        before = content[: label.start()].strip(" ,，;；")
        if before:  # 市X牵头;完成时限:2021年底前
            for k, v in (parse_inline(before, first_leads) or {}).items():
                fields.setdefault(k, v)
        if note:
            fields["note"] = note
        return fields or None
    if not re.search(r"牵头|负责|配合|完成|长期|持续", content) and not _units_and_deadline(content):
        return None
    has_lead_word = "牵头" in content
    lead: list[str] = []
    resp: list[str] = []
    deadline: list[str] = []
    pending: list[str] = []
    unlabelled: list[str] = []
    for clause in split_top_level(content, ",，;；"):
        c = re.sub(r"^(?:由|请)", "", clause)
        if re.search(r"牵头(?:负责|抓总)?$", c):
            lead.extend(pending + [re.sub(r"牵头(?:负责|抓总)?$", "", c)])
            pending = []
            continue
        d_text = re.sub(r"(?:前)?完成$", lambda m: "前" if m[0].startswith("前") else "", c)
        if not is_unit_line(c) and parse_deadline(d_text, 2000).kind in (DATE, ONGOING) and not _RESP_MARK.search(c):
            deadline.append(d_text)
            continue
        if _RESP_MARK.search(c):
            plain_duty = re.search(r"负责$", c) and not re.search(r"(?:职责|分工)负责$", c)
            c = _RESP_MARK.sub("", c).rstrip("等")
            if not has_lead_word and not lead and not resp:
                if plain_duty and len(split_units(c)) == 1 and not pending:
                    lead.append(c)  # 市政务服务中心负责: one unit in charge leads
                else:
                    unlabelled.extend(pending + [c])
            else:
                resp.extend(pending + [c])
            pending = []
            continue
        if is_unit_line(c):
            pending.append(c)
        elif re.search(r"完成$", c) and d_text:  # 2021年13月底前完成 / 尽快完成: kept, warned later
            deadline.append(d_text)
    if pending:
        if lead:
            resp.extend(pending)
        elif has_lead_word or resp or (not unlabelled and len(split_units("、".join(pending))) == 1):
            lead.extend(pending)  # 市X局,2021年底前完成: the one unit named leads
        else:
            unlabelled.extend(pending)
    out: dict[str, str] = {}
    if unlabelled:
        names = [u for x in unlabelled for u in split_units(x)]
        if first_leads and names:
            lead, resp = names[:1], names[1:] + resp
        else:
            resp = names + resp
        out["unlabelled"] = "1"
    if not (lead or resp or deadline):
        return None
    if lead:
        out = {"lead": "、".join(lead), **out}
    if resp:
        out = {
            **{k: v for k, v in out.items() if k == "lead"},
            "responsible": "、".join(resp),
            **{k: v for k, v in out.items() if k != "lead"},
        }
    if deadline:
        out["deadline"] = ",".join(deadline)
    if note:
        out["note"] = note
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
    """Tasks found in the body text, by layout, and what the confidence summary needs."""

    tasks: list[RawTask] = field(default_factory=list)
    found: list[Found] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: label-shaped words (``主办科室:``) that are no known field label
    unknown_labels: list[str] = field(default_factory=list)
    #: line of the document's ``排在第一位的部门为牵头部门`` sentence
    first_leads_line: int | None = None
    #: tasks given a number because the document has none for them
    renumbered: list[str] = field(default_factory=list)


def _attach_bracket_lines(lines: list[Line]) -> list[Line]:
    """A line that is only ``(X牵头,…完成)`` belongs to the paragraph above (an HTML <br>)."""
    out: list[Line] = []
    for n, text in lines:
        paren = trailing_paren(text) if text.lstrip()[:1] in _OPENERS else None
        if (
            out
            and paren
            and paren[1] == len(text) - len(text.lstrip())
            and parse_inline(paren[0])
            and not _numbered(text)
            and not trailing_paren(out[-1][1])
        ):
            out[-1] = (out[-1][0], out[-1][1] + text.strip())
        else:
            out.append((n, text))
    return out


_SUBITEM = re.compile(r"[(（]\s*(\d{1,2})\s*[)）]|([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def split_subitems(text: str) -> list[str]:
    """``1.深化改革。(1)甲。(X牵头)(2)乙。(Y牵头)`` → the heading and one line per sub-item,
    when at least two sub-items carry their own assignment; else ``[text]``.

    >>> split_subitems("1.深化改革。(1)放宽登记。(市工商局牵头负责)(2)推行全程电子化。(市数据局牵头)")
    ['1.深化改革。', '(1)放宽登记。(市工商局牵头负责)', '(2)推行全程电子化。(市数据局牵头)']
    """
    if "(" not in text and "（" not in text and not any(c in text for c in _CIRCLED):
        return [text]
    starts = []
    depth = 0
    i = 0
    while i < len(text):
        ch = text[i]
        m = _SUBITEM.match(text, i) if depth == 0 else None
        if m and i > 0 and text[i - 1] in "。;；)）:：":
            starts.append(i)
            i = m.end()
            continue
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(0, depth - 1)
        i += 1
    if len(starts) < 2:
        return [text]
    parts = [text[: starts[0]]] + [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]
    carrying = sum(1 for p in parts[1:] if (tp := trailing_paren(p)) and parse_inline(tp[0]))
    if carrying < 2:
        return [text]
    return [p.strip() for p in parts if p.strip()]


def _split_subitem_lines(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    for n, text in lines:
        out.extend((n, part) for part in split_subitems(text))
    return out


_NOT_FIELD_LABELS = ("发文单位", "主送单位", "抄送单位", "印发单位", "联系单位", "发文机关", "成文单位")


def _unknown_labels(text: str, lab: Labels) -> list[str]:
    out = []
    for m in UNKNOWN_LABEL.finditer(text):
        word = m[1]
        if m.start() and text[m.start() - 1] not in "(（〔[［【;；,,。 ":
            # 的牵头单位: / 各单位: inside prose — only count a word that starts a field
            continue
        if lab.known(word) or any(
            word.endswith(k) and len(word) - len(k) <= 1 and word[0] in "各市县区" for k in lab.role
        ):
            continue
        if word in _NOT_FIELD_LABELS and word not in lab.role:
            continue
        if not text[m.end() :].strip() or is_collective(word) or re.match(r"^(?:各|[市县区]直)", word):
            continue  # 各县(市、区)人民政府,市直有关单位: — the addressees of a notice, not a field
        out.append(word)
    return out


def _value_is_truncated(value: str) -> bool:
    units = split_units(value)
    return bool(units) and not is_unit_name(units[-1])


def parse_body(lines: list[Line], *, skip: tuple[int, int] | None = None) -> BodyResult:
    """Block-layout and inline-layout tasks in document order.

    ``skip`` is a range of line numbers, both ends included (the flattened
    appendix table), not to read.
    """
    result = BodyResult()
    lab = labels()
    profile = active_profile()
    first_leads = bool(profile and profile.first_listed_leads)
    follow_document = profile is None or profile.first_listed_leads is None
    if skip:
        lines = [(n, t) for n, t in lines if not skip[0] <= n <= skip[1]]
    lines = _split_subitem_lines(_attach_bracket_lines(lines))
    by_layout: dict[str, Found] = {}
    top, sub = "", ""
    parent: tuple[str, str] | None = None  # (number, text) of a 1. heading over (1) sub-items
    last_a = 0
    n = len(lines)
    i = 0
    counter = 0
    unknown: dict[str, None] = {}

    def record(raw: RawTask, last_line: int) -> None:
        f = by_layout.setdefault(raw.layout, Found(raw.layout, first=raw.line))
        f.tasks.append(raw)
        f.last = last_line
        result.tasks.append(raw)

    def task_id(kind: str, number: str) -> str:
        nonlocal counter
        counter += 1
        serial = parse_serial(number) if number else None
        if serial is None:
            result.renumbered.append(str(counter))
            return str(counter)
        if kind == "p" and parent is not None and number.isdigit():
            return f"{parent[0]}.{serial}"
        return str(serial)

    for _, text in lines:
        for w in _unknown_labels(text, lab):
            unknown.setdefault(w, None)
    while i < n:
        lineno, text = lines[i]
        if follow_document and not first_leads and FIRST_LEADS_RULE.search(text):
            first_leads = True
            result.first_leads_line = lineno
        num = _numbered(text)
        if num and num[0] == "a" and int(num[1]) >= 1000 and int(num[1]) != last_a + 1:
            num = None  # 2021.… is a year, not task 2021 (unless task 2020 came just before)
        paren = trailing_paren(text)
        inline = parse_inline(paren[0], first_leads) if paren else None
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
            if lab.regex.match(t.strip()):
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
        own_fields = parse_fields(rest) if lab.regex.search(rest) and inline is None else {}
        if kind == "a":
            last_a = int(number)
        if field_lines or own_fields:
            notes: list[str] = []
            fields = dict(own_fields)
            pos = lab.regex.search(rest)
            body_text = rest[: pos.start()] if own_fields and pos else rest
            role = None
            for k in field_lines:
                t = lines[k][1].strip()
                m = lab.regex.match(t)
                if m:
                    for r, v in parse_fields(t, notes).items():
                        fields[r] = fields[r] + "、" + v if r in fields and r != "deadline" else v
                    role = lab.role[m[1]]
                elif role:
                    sep = "," if role == "deadline" else "\n"
                    fields[role] = fields.get(role, "") + sep + t
            title, desc = _title_and_description(body_text)
            more = "".join(lines[k][1].strip() for k in extra if (not field_lines or k < field_lines[0]))
            if kind == "a":
                parent = None
            raw = RawTask(
                id=task_id(kind, number),
                title=title,
                description=(desc + more).strip(),
                section=_section(kind, parent, sub, top),
                lead=fields.get("lead", ""),
                responsible=fields.get("responsible", ""),
                deadline=fields.get("deadline", ""),
                line=lineno,
                layout="block",
                persons=fields.get("persons", ""),
                notes=notes,
                text="\n".join(lines[k][1] for k in [i] + extra + field_lines),
            )
            record(raw, lines[field_lines[-1]][0] if field_lines else lineno)
            i = (field_lines[-1] + 1) if field_lines else i + 1
            continue
        if inline is not None and paren is not None:  # an inline task always has its parenthesis
            body_text = text[: paren[1]]
            if num:
                body_text = rest[: max(0, len(rest) - (len(text) - paren[1]))]
            title, desc = _title_and_description(body_text)
            if kind == "a":
                parent = None
            raw = RawTask(
                id=task_id(kind, number),
                title=title,
                description=desc,
                section=_section(kind, parent, sub, top),
                lead=inline.get("lead", ""),
                responsible=inline.get("responsible", ""),
                deadline=inline.get("deadline", ""),
                line=lineno,
                layout="inline",
                persons=inline.get("persons", ""),
                unlabelled=bool(inline.get("unlabelled")),
                notes=[inline["note"]] if inline.get("note") else [],
                text=text,
            )
            record(raw, lineno)
            i += 1
            continue
        # a numbered line without task fields: a heading if short
        if kind == "a":
            parent = (str(parse_serial(number) or number), text.strip().rstrip("。"))
        elif kind in ("c", "d") or (kind == "p" and not number.isdigit()):
            parent = None
        if len(text) <= 40 and "。" not in text.rstrip("。"):
            if kind == "c" or (kind == "d"):
                top, sub = text.strip(), ""
            elif kind == "p":
                sub = text.strip()
        i += 1
    _drop_truncated_tail(result, lines)
    result.found = [f for f in by_layout.values() if f.tasks]
    result.unknown_labels = list(unknown)
    if result.renumbered:
        result.warnings.append(
            f"正文中有{len(result.renumbered)}项任务没有编号,已按出现顺序编号"
            f"(任务{'、'.join(result.renumbered[:10])}{'等' if len(result.renumbered) > 10 else ''})"
        )
    return result


def _section(kind: str, parent: tuple[str, str] | None, sub: str, top: str) -> str:
    """A sub-item's section is its ``1.`` heading; other tasks take the nearest heading."""
    if kind == "p" and parent is not None:
        return parent[1]
    return sub or top


def _drop_truncated_tail(result: BodyResult, lines: list[Line]) -> None:
    """The document ends in the middle of its last task: warn with its text instead of importing it."""
    if not lines:
        return
    last_no, last_text = lines[-1]
    tail = last_text.strip()
    opens = sum(tail.count(c) for c in _OPENERS)
    closes = sum(tail.count(c) for c in _CLOSERS)
    if (
        opens > closes
        and re.search(r"牵头|负责|单位|部门|完成", tail)
        and not (result.tasks and result.tasks[-1].line == last_no)
    ):
        result.warnings.append(
            f"第{last_no}行:文档末尾的任务文字不完整(括号未闭合,疑似截断):“{tail[-60:]}”,未导入,请核对原文"
        )
        return
    if not result.tasks:
        return
    raw = result.tasks[-1]
    if raw.text.split("\n")[-1] != last_text or tail.endswith(tuple("。.;；)）〕]】")):
        return  # the last task is not at the end of the text, or the text ends complete
    for value in (raw.responsible, raw.lead):
        if value.strip():
            if _value_is_truncated(value):
                result.tasks.pop()
                for f in result.found:
                    if raw in f.tasks:
                        f.tasks.remove(raw)
                result.warnings.append(
                    f"任务{raw.id}:文档末尾的任务文字不完整(疑似截断,最后一个单位"
                    f"“{split_units(value)[-1]}”不像单位名称):“{raw.text[-80:]}”,未导入,请核对原文"
                )
            return
