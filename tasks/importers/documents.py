"""Policy documents (txt, docx, html) to a :class:`~tasks.model.Plan`.

The text is cut into numbered lines (a docx paragraph or an HTML block is one
line) and real tables into grids; then every layout is looked for: the
appendix table (as a grid, or flattened one cell per line), ``牵头单位:``
blocks and inline ``(X牵头,Y按职责分工负责,2021年底前完成)`` endings.
When both the body and the appendix table hold the tasks, the table wins
field by field, the body fills its gaps, and every disagreement becomes a
Chinese warning in ``plan.warnings`` — nothing is dropped silently.

Example (the sample plan beside the repository)::

    plan = read_document(Path("../shared/samples/block-format-example.txt"), kind="txt",
                         display_name="block.txt")
    [t.id for t in plan.tasks], plan.date.isoformat()   # (['1', '2', '3', '4'], '2018-06-12')
"""

from __future__ import annotations

import re
from pathlib import Path

from core.limits import MAX_SPAN, MAX_TABLE_CELLS
from core.sheets import html_table

from ..errors import ImportFailed
from ..model import Plan, Source, Task
from ..units import split_units
from .common import clean_text, make_task, simplified, traditional_share
from .text_appendix import parse_appendix
from .text_body import parse_body
from .text_decode import decode_bytes, looks_garbled
from .text_grid import parse_grid, parse_tsv
from .text_layouts import Found, Line, RawTask
from .text_meta import plan_year, read_meta

LAYOUT_LABELS = {
    "appendix": "附件任务分解表(每格一行的文本)",
    "table": "文档中的任务分解表(表格)",
    "block": "任务段落 + “牵头单位:/责任单位:/完成时限:”行",
    "inline": "正文段落末尾括注(×牵头,×负责,时限)",
    "tsv": "制表符分隔的任务表(从 Excel/Word 复制出的文本)",
}


# ---------------------------------------------------------------- extraction
def _text_lines(text: str) -> list[Line]:
    out = []
    for n, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        s = raw.replace("\u3000", " ").replace("\xa0", " ").strip()
        if s:
            out.append((n, s))
    return out


def _docx_content(path: Path, name: str) -> tuple[list[Line], list[tuple[str, list[list[str]]]]]:
    """Paragraph lines (numbered by paragraph) and tables (as grids) in document order."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        doc = Document(str(path))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise ImportFailed(
            f"Word 文档无法打开({type(exc).__name__}),请用 Word 另存为 .docx 后再上传", file=name
        ) from None
    lines: list[Line] = []
    grids: list[tuple[str, list[list[str]]]] = []
    para_no = 0
    for item in doc.iter_inner_content():
        if isinstance(item, Paragraph):
            para_no += 1
            for part in item.text.split("\n"):
                s = part.replace("\u3000", " ").strip()
                if s:
                    lines.append((para_no, s))
        elif isinstance(item, Table):
            sheet = f"表格{len(grids) + 1}"
            grids.append((sheet, _docx_table_rows(item, name, sheet)))
    return lines, grids


def _docx_table_rows(table, name: str, sheet: str) -> list[list[str]]:
    """A Word table as rows of cell texts, a cell spanning columns repeated in each (as python-docx's
    ``row.cells`` does), but with ``gridSpan`` capped and the table's size limited, so a
    ``<w:gridSpan w:val="300000000"/>`` costs nothing; a vertically merged cell repeats the text above."""
    from docx.table import _Cell

    rows: list[list[str]] = []
    cells = 0
    for r, tr in enumerate(table._tbl.tr_lst, start=1):
        row: list[str] = []
        above = rows[-1] if rows else []
        for tc in tr.tc_lst:
            span = max(1, min(int(tc.grid_span or 1), MAX_SPAN))
            if tc.vMerge == "continue":
                text = above[len(row)] if len(row) < len(above) else ""
            else:
                text = _Cell(tc, table).text
            cells += span
            if cells > MAX_TABLE_CELLS:
                raise ImportFailed(
                    f"Word 表格过大(合并单元格展开后超过 {MAX_TABLE_CELLS} 个单元格),请检查表格或另存为 xlsx 后上传",
                    file=name,
                    sheet=sheet,
                    row=r,
                )
            row.extend([text] * span)
        rows.append(row)
    return rows


_BLOCK_TAGS = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "td",
    "th",
    "dd",
    "dt",
    "center",
    "title",
}


def _html_text(node) -> str:
    """Text of an HTML node with block elements and <br> as line breaks."""
    from bs4 import NavigableString, Tag

    out: list[str] = []

    def walk(n) -> None:
        if isinstance(n, NavigableString):
            if type(n).__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction"):
                return
            out.append(re.sub(r"[ \t\r\n]+", " ", str(n)))
            return
        if not isinstance(n, Tag) or n.name in ("script", "style", "noscript", "head"):
            return
        if n.name == "br":
            out.append("\n")
            return
        block = n.name in _BLOCK_TAGS
        if block:
            out.append("\n")
        for c in n.children:
            walk(c)
        if block:
            out.append("\n")

    walk(node)
    return "".join(out)


def _html_grid(table, name: str = "", sheet: str = "") -> list[list[str]]:
    """Rows of cell texts, rowspan/colspan expanded by repeating the merged cell.

    Spans and the table's size are capped by :func:`core.sheets.html_table`
    (``colspan="300000000"`` is read as 1000 columns, a table past a million cells is refused).
    """
    grid = html_table(table, name, sheet, text=_html_cell, error=ImportFailed)
    if not grid.rows:
        return []
    width = grid.width
    return [[_fill_text(grid.merged_value(r, c)) for c in range(1, width + 1)] for r in range(1, len(grid.rows) + 1)]


def _html_cell(cell) -> str:
    return "\n".join(line.strip() for line in _html_text(cell).split("\n") if line.strip())


def _fill_text(value: object) -> str:
    return "" if value is None else str(value)


def _html_content(text: str, file: str = "") -> tuple[list[Line], list[tuple[str, list[list[str]]]]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "lxml")
    grids: list[tuple[str, list[list[str]]]] = []
    for table in soup.find_all("table"):
        if table.find("table"):
            continue  # a layout table around the content
        name = f"表格{len(grids) + 1}"
        rows = _html_grid(table, file, name)
        if parse_grid(rows, sheet=name).tasks:
            grids.append((name, rows))
            table.replace_with(soup.new_string(f"\n〔{name}〕\n"))
    body = soup.body or soup
    return _text_lines(_html_text(body)), grids


# ---------------------------------------------------------------- reading
_LEAD_MARK = re.compile(r"[(（]\s*牵头(?:单位|部门)?\s*[)）]")


def _lead_marked(lead: str, responsible: str) -> tuple[str, str]:
    """``责任单位:市发改局(牵头)、市财政局`` names its lead inside the list: move it out.

    >>> _lead_marked("", "市发改局(牵头)、市财政局")
    ('市发改局', '市财政局')
    """
    if lead.strip() or not _LEAD_MARK.search(responsible):
        return lead, responsible
    names = split_units(responsible)
    leads = [_LEAD_MARK.sub("", n) for n in names if _LEAD_MARK.search(n)]
    others = [n for n in names if not _LEAD_MARK.search(n)]
    return "、".join(leads), "、".join(others)


def _build(raw: RawTask, name: str, year: int | None) -> Task:
    from .tables import parse_predecessors

    preds, warning = parse_predecessors(raw.predecessors) if raw.predecessors else ([], None)
    lead, responsible = _lead_marked(raw.lead, raw.responsible)
    task = make_task(
        raw.id,
        title=raw.title,
        description=raw.description,
        section=raw.section,
        lead=lead,
        responsible=responsible,
        deadline=raw.deadline or None,
        predecessors=preds,
        source=Source(name, raw.sheet, raw.line),
        plan_year=year,
        persons=raw.persons,
    )
    if warning:
        task.warnings.append(f"任务{task.id}:{warning}")
    for note in raw.notes:
        task.warnings.append(f"任务{task.id}:括号内“{note[:40]}”是说明文字,不是单位,未计入")
    if raw.unlabelled:
        task.warnings.append(
            f"任务{task.id}:单位列表未写明牵头或责任"
            + (
                ",已按文中“排在第一位的部门为牵头部门”的说明以第一个单位为牵头单位"
                if task.lead_units
                else "(文中也没有“排在第一位的部门为牵头部门”一类说明),已全部列为责任单位,请核对牵头单位"
            )
        )
    return task


_TRADITIONAL_SHARE = 0.04


class _AsWritten:
    """Maps text read from the simplified copy of a traditional document back to how it is written."""

    def __init__(self, original: str):
        self.original = original
        self.simple = simplified(original)
        self._cache: dict[str, str] = {}

    def __call__(self, s: str) -> str:
        if not s:
            return s
        if s not in self._cache:
            k = self.simple.find(s)
            self._cache[s] = self.original[k : k + len(s)] if k >= 0 else s
        return self._cache[s]

    def task(self, t: Task) -> None:
        t.lead_units = [self(u) for u in t.lead_units]
        t.responsible_units = [self(u) for u in t.responsible_units]
        t.persons = [self(u) for u in t.persons]
        t.title, t.description, t.section = self(t.title), self(t.description), self(t.section)
        t.deadline_text = self(t.deadline_text)


def _fmt(units: list[str]) -> str:
    return "、".join(units) if units else "(未写)"


def _deadline_label(t: Task) -> str:
    return t.deadline_text or "(未写)"


def reconcile(
    table: list[RawTask], body: list[RawTask], name: str, year: int | None, built: dict[str, Task] | None = None
) -> tuple[list[Task], list[str]]:
    """Merge body tasks into the appendix table's; return tasks and warnings.

    The table is authoritative for every field; an empty table field is
    filled from the body (with a warning); every difference is reported.
    ``built`` holds body tasks already built, by id (saves parsing twice).
    """
    built = built or {}
    warnings: list[str] = []
    body_by_id = {r.id: r for r in body}
    table_ids = {r.id for r in table}
    tasks: list[Task] = []
    for raw in table:
        b = body_by_id.get(raw.id)
        if b is None:
            warnings.append(f"任务{raw.id}:只在附件表中出现,正文中没有对应的任务段落")
            tasks.append(_build(raw, name, year))
            continue
        tt = _build(raw, name, year)
        bt = built[b.id] if b.id in built and built[b.id].source.row == b.line else _build(b, name, year)
        merged = RawTask(**{**raw.__dict__})
        msgs: list[str] = []
        if not raw.title and b.title:
            merged.title = b.title
        if not raw.description and b.description:
            merged.description = b.description
        if not raw.section and b.section:
            merged.section = b.section
        lead_t, lead_b = set(tt.lead_units), set(bt.lead_units)
        resp_t, resp_b = set(tt.responsible_units), set(bt.responsible_units)
        if not tt.lead_units and bt.lead_units:
            merged.lead = b.lead
            msgs.append(f"附件表未写牵头单位,已采用正文中的“{_fmt(bt.lead_units)}”")
        elif not bt.lead_units and tt.lead_units and resp_b and resp_b == lead_t | resp_t:
            msgs.append(
                f"正文未单列牵头单位(正文写“{_fmt(bt.responsible_units)}”按职责分工负责),"
                f"附件表牵头单位为“{_fmt(tt.lead_units)}”、责任单位为“{_fmt(tt.responsible_units)}”,"
                "已采用附件表"
            )
            resp_b = resp_t  # explained above
        elif lead_t != lead_b:
            msgs.append(
                f"正文与附件表的牵头单位不一致:正文为“{_fmt(bt.lead_units)}”,"
                f"附件表为“{_fmt(tt.lead_units)}”,已采用附件表"
            )
        if not tt.responsible_units and bt.responsible_units and resp_b != resp_t:
            merged.responsible = b.responsible
            msgs.append(f"附件表未写责任单位,已采用正文中的“{_fmt(bt.responsible_units)}”")
        elif resp_t != resp_b:
            msgs.append(
                f"正文与附件表的责任单位不一致:正文为“{_fmt(bt.responsible_units)}”,"
                f"附件表为“{_fmt(tt.responsible_units)}”,已采用附件表"
            )
        t_has = tt.deadline is not None or tt.deadline_kind == "ongoing"
        b_has = bt.deadline is not None or bt.deadline_kind == "ongoing"
        if not t_has and b_has:
            merged.deadline = b.deadline
            msgs.append(f"附件表完成时限为“{_deadline_label(tt)}”,已采用正文中的“{_deadline_label(bt)}”")
        elif b_has and (tt.deadline, tt.deadline_kind) != (bt.deadline, bt.deadline_kind):
            msgs.append(
                f"正文与附件表的完成时限不一致:正文为“{_deadline_label(bt)}”,"
                f"附件表为“{_deadline_label(tt)}”,已采用附件表"
            )
        elif b_has and [m.date for m in tt.milestones] != [m.date for m in bt.milestones]:
            msgs.append(
                f"正文与附件表的时间节点不一致:正文为“{_deadline_label(bt)}”,"
                f"附件表为“{_deadline_label(tt)}”,已采用附件表"
            )
        elif not b_has and b.deadline:
            msgs.append(f"正文中的完成时限“{_deadline_label(bt)}”无法识别,已采用附件表的“{_deadline_label(tt)}”")
        task = _build(merged, name, year) if merged.__dict__ != raw.__dict__ else tt
        for m in msgs:
            w = f"任务{raw.id}:{m}"
            warnings.append(w)
            task.warnings.append(w)
        tasks.append(task)
    for b in body:
        if b.id not in table_ids:
            w = f"任务{b.id}:只在正文中出现,附件表中没有,已按正文导入"
            warnings.append(w)
            task = _build(b, name, year)
            task.warnings.append(w)
            tasks.append(task)
    return tasks, warnings


def _unique_ids(raws: list[RawTask], what: str) -> tuple[list[RawTask], list[str]]:
    ids = [r.id for r in raws]
    if len(set(ids)) == len(ids):
        return raws, []
    for n, r in enumerate(raws, start=1):
        r.id = str(n)
    return raws, [f"{what}中的任务编号有重复(各部分分别编号),已按出现顺序重新编号为1至{len(raws)}"]


def _used_entry(f: Found) -> dict:
    unit = "行" if f.sheet is None else "行(表格内)"
    entry = {"layout": f.layout, "label": LAYOUT_LABELS[f.layout], "tasks": len(f.tasks), "lines": [f.first, f.last]}
    if f.sheet:
        entry["sheet"] = f.sheet
    entry["where"] = f"{f.sheet + ' ' if f.sheet else ''}第{f.first}至{f.last}{unit}"
    return entry


def read_document(path: Path, *, kind: str, display_name: str) -> Plan:
    """Read a txt/docx/html policy document; a plan with no tasks when none are found.

    ``kind`` is what :func:`tasks.importers.sniff` decided.  Mojibake and text
    without tasks give an empty plan (``load_plan`` then raises "no tasks found").
    """
    name = display_name
    grids: list[tuple[str, list[list[str]]]] = []
    used: dict = {"kind": kind}
    tsv = None
    if kind == "docx":
        lines, grids = _docx_content(path, name)
    else:
        text, encoding = decode_bytes(path.read_bytes())
        used["encoding"] = encoding
        if kind == "html":
            lines, grids = _html_content(text, name)
        else:
            lines = _text_lines(text)
            tsv = parse_tsv(text)
    all_text = [t for _, t in lines]
    if looks_garbled("".join(all_text)):
        return Plan(
            source_file=name,
            used=used,
            warnings=["文本疑似乱码(编码识别失败或文件已损坏),未导入任何任务,请另存为 UTF-8 后重试"],
        )
    warnings: list[str] = []
    as_written = None
    if traditional_share("".join(all_text)) >= _TRADITIONAL_SHARE:
        # labels and deadlines are read from a simplified copy; names are given back as written
        as_written = _AsWritten("\n".join(all_text + [c for _, g in grids for row in g for c in row]))
        lines = [(n, simplified(t)) for n, t in lines]
        grids = [(g, [[simplified(c) for c in row] for row in rows]) for g, rows in grids]
        if tsv is not None:
            tsv = parse_tsv(simplified(text))
        all_text = [t for _, t in lines]
        used["traditional"] = True
        warnings.append("文档为繁体字:已按简体识别标签与时限,单位名称、任务名称保留原文写法,规范名为简体")
    title, issuer, doc_date = read_meta(all_text)
    year = plan_year(title, doc_date, all_text)

    body = parse_body(lines)
    hints, built = {}, {}
    for r in body.tasks:
        t = built[r.id] = _build(r, name, year)
        hints[r.id] = (set(t.lead_units), set(t.responsible_units))
    appendix = parse_appendix(lines, plan_year=year, hints=hints)
    text_table = appendix or tsv
    if text_table is not None and text_table.first is not None and text_table.last is not None:
        body = parse_body(lines, skip=(text_table.first, text_table.last))  # not the table's lines
    tables: list[Found] = [f for f in (parse_grid(rows, sheet=s) for s, rows in grids) if f.tasks]
    if tsv is not None:
        tables.insert(0, tsv)
    if appendix is not None:
        tables.insert(0, appendix)
    table = max(tables, key=lambda f: len(f.tasks)) if tables else None
    for f in tables:
        if f is not table:
            warnings.append(
                f"文档中还有一个任务表({_used_entry(f)['where']},{len(f.tasks)}项),与采用的任务表重复或另成一表,未导入"
            )
    body_raw, w = _unique_ids(list(body.tasks), "正文")
    warnings += w
    layouts = []
    if table is not None:
        table_raw, w = _unique_ids(list(table.tasks), "任务表")
        warnings += w + table.warnings
        layouts.append(_used_entry(table))
        # the same keys as the table importer, for summaries that show where the table was
        used.update({"rows": [table.first, table.last], "header_row": table.first})
        if table.sheet:
            used["sheet"] = table.sheet
        if body_raw:
            tasks, rec = reconcile(table_raw, body_raw, name, year, built)
            warnings += rec
        else:
            tasks = [_build(r, name, year) for r in table_raw]
    else:
        tasks = [_build(r, name, year) for r in body_raw]
    layouts += [_used_entry(f) for f in body.found]
    warnings += body.warnings
    if as_written is not None:
        for t in tasks:
            as_written.task(t)
        title, issuer = as_written(title), as_written(issuer)
    for t in tasks:
        for note in t.warnings:
            if note not in warnings:
                warnings.append(note)
    used["layouts"] = layouts
    used["plan_year"] = year
    used["unknown_labels"] = body.unknown_labels
    # a task the table also holds takes its units from the table's labelled columns
    in_table = {r.id for r in table.tasks} if table is not None else set()
    used["unlabelled_tasks"] = [r.id for r in body_raw if r.unlabelled and r.id not in in_table]
    used["renumbered"] = list(body.renumbered)
    if body.first_leads_line is not None:
        used["first_leads_line"] = body.first_leads_line
    texts = {r.id: r.text for r in body_raw if r.text}
    if as_written is not None:
        texts = {k: as_written(v) for k, v in texts.items()}
    used["source_text"] = texts
    if table is not None and all(t.id.isdigit() for t in tasks):
        tasks.sort(key=lambda t: int(t.id))  # body-only tasks join the table's order
    return Plan(
        title=clean_text(title),
        issuer=issuer,
        date=doc_date,
        source_file=name,
        tasks=tasks,
        warnings=warnings,
        used=used,
    )
