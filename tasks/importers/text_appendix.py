"""The task-breakdown table flattened one cell per line (the 2021 seed's appendix).

Header lines 序号/工作要点/主要任务/牵头部门/责任部门/完成时限, section lines
``一、…``, then per task: the serial line, the text cells, the unit cells and
the deadline.  A cell may span several lines (``市审改办`` / ``市政务服务中心``
is one lead cell; ``市直各相关`` / ``单位`` one unit): unit-name shapes, the
body text's hints and collective units decide where the lead cell ends.

>>> lines = list(enumerate(["序号", "工作要点", "牵头单位", "责任单位", "完成时限", "一、甲",
...                         "1", "推行叫号", "市数字办", "市直各相关", "单位", "长期坚持"], start=1))
>>> [(t.id, t.section, t.lead, t.responsible, t.deadline, t.line) for t in parse_appendix(lines).tasks]
[('1', '一、甲', '市数字办', '市直各相关单位', '长期坚持', 7)]
"""

from __future__ import annotations

import re

from ..numbers import parse_serial
from ..units import is_collective, split_units
from .text_layouts import SECTION_RE, Found, Line, RawTask, header_role, is_deadline_text, is_header_word
from .text_units import is_unit_line, join_unit_fragments


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


def _split_units_lines(
    unit_lines: list[str], roles: list[str], hint: tuple[set, set] | None, task_id: str
) -> tuple[list[str], list[str], str | None]:
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
        return {u for ln in ls for u in split_units(ln)}

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
            return unit_lines[: ks[0]], unit_lines[ks[0] :], None
    if n == 2:
        return unit_lines[:1], unit_lines[1:], None
    for k in range(1, n):
        if any(is_collective(u) for u in split_units(unit_lines[k])):
            return unit_lines[:k], unit_lines[k:], None
    k = n - 1
    note = f"任务{task_id}:附件表牵头单位与责任单位分在{n}行,无法确定分界,已按最后一行为责任单位处理,请核对"
    return unit_lines[:k], unit_lines[k:], note


_FOOTER_RE = re.compile(r"^(?:抄\s*送|主\s*送|送\s*[::]|印\s*发|附\s*件|联系人|备\s*注|注\s*[::])")


def _unreadable_deadline_cell(texts: list[str]) -> bool:
    """The row ends with a short non-unit line after its unit lines: a 完成时限 the parser
    cannot read (``尽快``, ``2021年13月底前``), not part of the description."""
    last = texts[-1]
    return (
        len(texts) >= 3 and len(last) <= 20 and "。" not in last and not is_unit_line(last) and is_unit_line(texts[-2])
    )


def parse_appendix(
    lines: list[Line], *, plan_year: int | None = None, hints: dict[str, tuple[set, set]] | None = None, start: int = 0
) -> Found | None:
    """The flattened task-breakdown table (one cell per line), or None if there is none.

    ``hints`` maps task id → (lead units, responsible units) read from the body
    text; they decide where the lead cell ends when both cells span several lines.
    """
    head = _find_header(lines, start)
    if head is None:
        return None
    h0, h1, roles = head
    found = Found("appendix", first=lines[h0][0])
    # rows: [serial, section, index of the serial line, [indices of the cell lines]]
    rows: list[tuple[int, str, int, list[int]]] = []
    section = ""
    expected: int | None = None
    cur: tuple[int, str, int, list[int]] | None = None

    def title_follows(i: int) -> bool:
        nxt = lines[i + 1][1].strip() if i + 1 < len(lines) else ""
        return (
            bool(nxt) and parse_serial(nxt) is None and not is_unit_line(nxt) and not is_deadline_text(nxt, plan_year)
        )

    for i in range(h1, len(lines)):
        text = lines[i][1].strip()
        serial = parse_serial(text) if len(text) <= 6 else None
        starts = serial is not None and (expected is None or serial == expected)
        if serial is not None and not starts and expected is not None and title_follows(i):
            if serial == 1 and cur is None and rows:
                starts = True  # numbering starts again in a new section
            elif 0 < serial - expected <= 5 and is_deadline_text(lines[i - 1][1].strip(), plan_year):
                found.warnings.append(f"附件表序号不连续:第{expected - 1}项之后是第{serial}项,请核对是否漏项")
                starts = True
        if starts and serial is not None:
            cur = (serial, section, i, [])
            rows.append(cur)
            expected = serial + 1
            continue
        if is_header_word(text) and cur is not None and not cur[3]:
            continue
        if SECTION_RE.match(text) and len(text) <= 40 and "。" not in text:
            section, cur = text, None
            continue
        if cur is not None:
            cur[3].append(i)
    last_used = h1 - 1
    for r_index, (serial, sec, serial_i, idx) in enumerate(rows):
        tid = str(serial)
        texts = [lines[i][1].strip() for i in idx]
        is_last = r_index == len(rows) - 1
        if not texts:
            found.warnings.append(f"任务{tid}:附件表中这一行是空的")
            continue
        # deadline: the last line(s) of the row; in the last row, the first deadline-like
        # line after the title (what follows is the document's footer)
        k: int | None = None
        end: int | None = None
        if "deadline" in roles:

            def dl_at(j: int, texts: list[str] = texts) -> bool:
                return j >= 1 and is_deadline_text(texts[j], plan_year)

            if not is_last and dl_at(len(texts) - 1):
                k = end = len(texts) - 1
                while k - 1 >= 1 and dl_at(k - 1):
                    k -= 1
            else:
                k = next((j for j in range(1, len(texts)) if dl_at(j)), None)
                end = k
                while end is not None and end + 1 < len(texts) and dl_at(end + 1):
                    end += 1
            if k is None and not is_last and _unreadable_deadline_cell(texts):
                k = end = len(texts) - 1  # kept as written; make_task warns that it is unreadable
            elif is_last:  # the line right after the unit lines, unless it is the footer
                after = next(
                    (
                        j
                        for j in range(2, len(texts))
                        if is_unit_line(texts[j - 1])
                        and not is_unit_line(texts[j])
                        and not (j + 1 < len(texts) and is_unit_line(texts[j] + texts[j + 1]))
                    ),
                    None,
                )  # 市直各相关 / 单位 is a unit broken over two lines
                if (
                    after is not None
                    and (k is None or k > after)
                    and _unreadable_deadline_cell(texts[: after + 1])
                    and not _FOOTER_RE.match(texts[after])
                ):
                    k = end = after
        if k is not None:
            end = k if end is None else end
            deadline = ",".join(t.rstrip(",，;；、") for t in texts[k : end + 1])
            middle = texts[1:k]
            last_used = idx[end]
            if end + 1 < len(texts) and not is_last:
                found.warnings.append(f"任务{tid}:完成时限之后还有内容“{''.join(texts[end + 1 :])[:40]}”,未导入")
        else:
            deadline = ""
            middle = texts[1:]
            if is_last:  # stop after the unit lines: the rest is the footer
                cut = next(
                    (j for j in range(1, len(middle)) if is_unit_line(middle[j - 1]) and not is_unit_line(middle[j])),
                    len(middle),
                )
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
        found.tasks.append(
            RawTask(
                id=tid,
                title=title,
                description=description,
                section=sec,
                lead="\n".join(lead),
                responsible="\n".join(resp),
                deadline=deadline,
                line=lines[serial_i][0],
                layout="appendix",
            )
        )
    found.last = lines[last_used][0] if last_used >= 0 else found.first
    return found if found.tasks else None
