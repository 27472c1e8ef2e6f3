"""Task-breakdown tables (任务分解表) from xlsx, xls and csv files.

The importer looks at every sheet, finds the header row (possibly two rows,
with header variants such as 牵头部门/牵头单位), picks the sheet that really
holds the table, and reads its rows: section rows (``一、…``), task rows,
rows that continue the task above (vertical merges), blank rows and the
trailing ``注:`` row.  It says which sheet and rows it used.

>>> plan = read_table(Path("data/plans/leiyang-2021-tasks.xlsx"), kind="xlsx",
...                   display_name="leiyang-2021-tasks.xlsx")
>>> plan.used["sheet"], len(plan.tasks)
('任务分解表', 32)
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import ImportFailed
from ..model import Plan, Source, Task
from ..numbers import CN_NUMERAL_CHARS, cn_to_int, parse_serial
from .common import clean_text, make_task
from .tables_header import Header, find_header, is_header_repeat
from .tables_read import Grid, cell_text, is_blank, read_grids

_CN = CN_NUMERAL_CHARS
SECTION_RE = re.compile(rf"^\s*(?:[{_CN}]+\s*[、.．]|第[{_CN}0-9]+(?:部分|章|篇|类|项)|[(\uff08][{_CN}]+[)\uff09])")
NOTE_RE = re.compile(r"^\s*(?:注|备注|说明|附注|注释)\s*(?:[:\uff1a]|[0-9一1][、.．]|$)")
_CN_ONLY = re.compile(rf"^\s*[(（]?([{_CN}]+)[)）]?\s*[、.．]?\s*$")
_ATTACHMENT = re.compile(r"^\s*附\s*件\s*[0-9一二三四五六七八九十]*\s*[:\uff1a]?\s*")
_YEAR = re.compile(rf"((?:19|20)\d{{2}}|[{_CN}]{{4}})\s*年")


# ---------------------------------------------------------------- predecessors
def parse_predecessors(value: Any) -> tuple[list[str], str | None]:
    """A 前置任务 cell to task ids and a warning for the parts that are not ids.

    The parsing rules live in :mod:`tasks.graph.predecessors`.

    >>> parse_predecessors("2、4-6"), parse_predecessors("任务三"), parse_predecessors(7.0)
    ((['2', '4', '5', '6'], None), (['3'], None), (['7'], None))
    """
    from ..graph.predecessors import split_predecessor_text

    ids, bad = split_predecessor_text(value)
    if not bad:
        return ids, None
    text = cell_text(value)
    return ids, f"前置任务“{text}”中“{'、'.join(bad)}”不是任务序号,请写成如“3、5”或“3-5”"


# ---------------------------------------------------------------- rows
@dataclass
class _Pending:
    """A task being read; continuation rows add to it before it becomes a :class:`Task`."""

    row: int
    serial: int | None
    section: str
    title: list[str] = field(default_factory=list)
    description: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    deadline: list[Any] = field(default_factory=list)
    predecessors: list[Any] = field(default_factory=list)
    last_row: int = 0


@dataclass
class SheetResult:
    """What one sheet yields: tasks, warnings and where they were read."""

    grid: Grid
    header: Header
    tasks: list[Task]
    warnings: list[str]
    title: str
    first_row: int | None
    last_row: int | None


def _texts(row: tuple, cols: list[int] | None) -> list[str]:
    if not cols:
        return []
    return [t for c in cols if c < len(row) and (t := cell_text(row[c]))]


def _raw(row: tuple, cols: list[int] | None) -> list[Any]:
    if not cols:
        return []
    return [row[c] for c in cols if c < len(row) and not is_blank(row[c])]


def _columns(header: Header) -> dict[str, list[int]]:
    """Field → columns, with a second title column standing in for a missing description."""
    cols = {k: list(v) for k, v in header.columns.items()}
    titles = cols.get("title", [])
    if len(titles) > 1 and "description" not in cols:
        cols["title"], cols["description"] = titles[:1], titles[1:]
    if "title" not in cols and "description" in cols:
        cols["title"] = cols.pop("description")  # only one text column: it is the title
    return cols


def _merged_width(grid: Grid, r: int, c: int) -> int:
    span = grid.span(r, c + 1)
    return span[3] - span[1] + 1 if span else 1


def _continues_above(grid: Grid, r: int, c: int | None) -> bool:
    """The cell is covered by a vertical merge that starts in an earlier row."""
    if c is None:
        return False
    span = grid.span(r, c + 1)
    return bool(span and span[0] < r)


def _fill_down(grid: Grid, r: int, row: tuple, width: int) -> tuple:
    """A task row with the values of cells merged down from rows above filled in
    (one 牵头单位 merged over several tasks belongs to each of them)."""
    out = list(row) + [None] * (width - len(row))
    for c, v in enumerate(out):
        if is_blank(v):
            span = grid.span(r, c + 1)
            if span and span[0] < r:
                out[c] = grid.value(span[0], span[1])
    return tuple(out)


def _plan_title(grid: Grid, header: Header) -> str:
    """The merged title row above the header (``附件…`` lines skipped)."""
    best = ""
    for r in range(1, header.row):
        vals = {cell_text(v) for v in grid.rows[r - 1] if not is_blank(v)}
        if len(vals) != 1:
            continue
        t = clean_text(_ATTACHMENT.sub("", vals.pop()))
        if not t or len(t) > 120 or re.match(r"^(?:填报|报送|制表|单位|日期)", t):
            continue
        if len(t) >= len(best):
            best = t
    return best


def _year_of(*texts: str | None) -> int | None:
    for t in texts:
        if t:
            m = _YEAR.search(t)
            if m:
                y = cn_to_int(m[1])
                if y and 1990 <= y <= 2100:
                    return y
    return None


def _deadline_year(pendings: list[_Pending]) -> int | None:
    """The most common year among the deadlines (fills ``8月底前`` when the title has no year)."""
    years: Counter[int] = Counter()
    for p in pendings:
        for v in p.deadline:
            if isinstance(v, (date, datetime)):
                years[v.year] += 1
            else:
                years.update(int(y) for y in re.findall(r"(?:19|20)\d{2}", cell_text(v)))
    return years.most_common(1)[0][0] if years else None


def parse_sheet(grid: Grid, header: Header, file_name: str) -> SheetResult:
    """Read the rows under ``header`` into tasks."""
    cols = _columns(header)
    serial_col = header.first("serial")
    title_col = cols.get("title", [None])[0]
    section_cols = cols.get("section")
    text_cols = {c for f in ("serial", "title", "section") for c in cols.get(f, [])}
    warnings: list[str] = []
    pendings: list[_Pending] = []
    section = ""
    after_note = False
    key_col = serial_col if serial_col is not None else title_col
    for r in range(header.last_row + 1, len(grid.rows) + 1):
        row = grid.rows[r - 1]
        filled = [(c, v) for c, v in enumerate(row) if not is_blank(v)]
        if not filled:
            continue
        first_text = cell_text(filled[0][1])
        if NOTE_RE.match(first_text):
            after_note = True
            continue
        if is_header_repeat(row, header):
            continue
        merged_cont = bool(pendings) and _continues_above(grid, r, key_col)
        if not merged_cont and grid.merges:
            row = _fill_down(grid, r, row, header.width)
            filled = [(c, v) for c, v in enumerate(row) if not is_blank(v)]
        serial_cell = row[serial_col] if serial_col is not None and serial_col < len(row) else None
        serial = parse_serial(serial_cell)
        title = _texts(row, cols.get("title"))
        desc = _texts(row, cols.get("description"))
        lead = _texts(row, cols.get("lead"))
        resp = _texts(row, cols.get("responsible"))
        deadline = _raw(row, cols.get("deadline"))
        preds = _raw(row, cols.get("predecessors"))
        has_meta = bool(lead or resp or deadline)
        if section_cols:
            sec = _texts(row, section_cols)
            if sec:
                section = clean_text(sec[0])
        # a section row: one value (often merged across the width), no units or deadline
        distinct = {cell_text(v) for _, v in filled}
        if not has_meta and not desc and len(distinct) == 1:
            text = distinct.pop()
            c0 = filled[0][0]
            if (SECTION_RE.match(text) or _merged_width(grid, r, c0) >= 2 or c0 in text_cols) and not (
                serial and not _CN_ONLY.match(cell_text(serial_cell))
            ):
                section = clean_text(text)
                continue
        if (
            not has_meta
            and not desc
            and serial_cell is not None
            and title
            and (cn_serial := _CN_ONLY.match(cell_text(serial_cell)))
        ):
            # 序号 "一" + 工作要点 "深入推进…" and nothing else: a section numbered in the 序号 column
            section = f"{cn_serial[1]}、{clean_text(title[0])}"
            continue
        pending = pendings[-1] if pendings else None
        continuation = (
            pending is not None and serial is None and (merged_cont or (not title and (desc or has_meta or preds)))
        )
        if continuation:
            assert pending is not None
            if not _continues_above(grid, r, title_col):
                pending.title += [t for t in title if t not in pending.title]
            pending.description += desc
            pending.lead += lead
            pending.responsible += resp
            pending.deadline += deadline
            pending.predecessors += preds
            pending.last_row = r
            continue
        if serial is not None or title or desc:
            if serial is None and not has_meta and not title:
                warnings.append(f"第{r}行没有序号和任务名称,已跳过")
                continue
            if not (title or desc or has_meta):
                continue  # a numbered but empty row of a template
            pendings.append(_Pending(r, serial, section, title, desc, lead, resp, deadline, preds, r))
            continue
        if not after_note:
            warnings.append(f"第{r}行“{clean_text(first_text)[:30]}”不像任务行,已跳过")
    sheet_title = _plan_title(grid, header)
    plan_year = _year_of(sheet_title, grid.name, file_name) or _deadline_year(pendings)
    tasks = _build_tasks(pendings, grid, file_name, plan_year, warnings)
    return SheetResult(
        grid,
        header,
        tasks,
        warnings,
        sheet_title,
        pendings[0].row if pendings else None,
        max((p.last_row for p in pendings), default=None),
    )


def _assign_ids(pendings: list[_Pending], warnings: list[str]) -> list[str]:
    serials = [p.serial for p in pendings if p.serial is not None]
    dupes = [s for s, n in Counter(serials).items() if n > 1]
    if dupes:
        warnings.append(
            f"序号{'、'.join(map(str, dupes[:5]))}等重复出现(可能各部分分别编号),"
            f"已按出现顺序重新编号为1–{len(pendings)}"
        )
        return [str(i) for i in range(1, len(pendings) + 1)]
    ids, used, nxt = [], set(serials), 1
    for p in pendings:
        if p.serial is not None:
            ids.append(str(p.serial))
            continue
        while nxt in used:
            nxt += 1
        used.add(nxt)
        ids.append(str(nxt))
        if serials:  # the table numbers its tasks, this row has no number
            warnings.append(f"第{p.row}行没有序号,已编为{nxt}号")
    return ids


def _build_tasks(
    pendings: list[_Pending], grid: Grid, file_name: str, plan_year: int | None, warnings: list[str]
) -> list[Task]:
    ids = _assign_ids(pendings, warnings)
    tasks = []
    for tid, p in zip(ids, pendings):
        preds: list[str] = []
        pred_warnings = []
        for v in p.predecessors:
            got, w = parse_predecessors(v)
            preds += [x for x in got if x not in preds]
            if w:
                pred_warnings.append(f"任务{tid}:{w}")
        deadline: Any = p.deadline[0] if len(p.deadline) == 1 else ";".join(map(cell_text, p.deadline))
        title = p.title[0] if p.title else ""
        desc = "\n".join(p.title[1:] + p.description) if p.title else "\n".join(p.description)
        task = make_task(
            tid,
            title=title,
            description=desc,
            section=p.section,
            lead="\n".join(p.lead),
            responsible="\n".join(p.responsible),
            deadline=deadline if p.deadline else None,
            predecessors=preds,
            source=Source(file_name, grid.name, p.row),
            plan_year=plan_year,
        )
        task.warnings += pred_warnings
        tasks.append(task)
    known = {t.id for t in tasks}
    for t in tasks:
        missing = [x for x in t.predecessors if x not in known]
        if missing:
            t.warnings.append(f"任务{t.id}:前置任务{'、'.join(missing)}在表中不存在")
        if t.id in t.predecessors:
            t.warnings.append(f"任务{t.id}:前置任务不能是它自己")
    return tasks


# ---------------------------------------------------------------- the file
def _choose(results: list[SheetResult]) -> SheetResult:
    return max(results, key=lambda s: (bool(s.tasks), s.header.score, len(s.tasks)))


def read_table(path: Path, *, kind: str, display_name: str | None = None) -> Plan:
    """Read a task-breakdown table from an xlsx/xls/csv file into a :class:`Plan`.

    Raises :class:`ImportFailed` (Chinese message naming the file and what to fix)
    for an empty workbook, a file without a recognisable header, or a header
    without task rows.
    """
    path = Path(path)
    name = display_name or path.name
    grids = read_grids(path, kind, name)
    nonempty = [g for g in grids if any(not is_blank(v) for row in g.rows for v in row)]
    if not nonempty:
        what = "CSV 文件没有内容(只有空行或分隔符)" if kind == "csv" else "工作簿是空的(所有工作表都没有内容)"
        raise ImportFailed(f"{what},请确认上传的是填好的任务分解表", file=name)
    results = []
    for g in nonempty:
        header = find_header(g)
        if header is not None:
            results.append(parse_sheet(g, header, name))
    if not results:
        where = "、".join(f"“{g.name}”" for g in nonempty if g.name)
        raise ImportFailed(
            f"没有找到任务分解表的表头{'(已查看工作表' + where + ')' if where else ''}。"
            "表头一行应包含“序号”“工作要点/任务名称”“牵头单位”“责任单位”“完成时限”等列名"
            "(至少要有任务名称列和其中两列),请补上表头后再上传",
            file=name,
        )
    best = _choose(results)
    if not best.tasks:
        raise ImportFailed(
            f"第{best.header.row}行找到了表头,但表头下面没有任务行,请填写任务后再上传", file=name, sheet=best.grid.name
        )
    where = f"工作表“{best.grid.name}”" if best.grid.name else "文件"
    plan = Plan(title=best.title or Path(name).stem, source_file=name, tasks=best.tasks)
    plan.used = {
        "sheet": best.grid.name,
        "header_row": best.header.row,
        "rows": [best.first_row, best.last_row],
        "columns": {best.header.labels.get(c, ""): f for f, cs in best.header.columns.items() for c in cs},
    }
    plan.warnings.append(
        f"读取了{where}第{best.first_row}–{best.last_row}行(表头在第{best.header.row}行),共{len(best.tasks)}项任务"
    )
    others = [g.name for g in grids if g is not best.grid and g.name]
    if others:
        plan.warnings.append(f"未使用的工作表:{'、'.join(others)}")
    plan.warnings += best.warnings
    for t in plan.tasks:
        plan.warnings += t.warnings
    return plan
