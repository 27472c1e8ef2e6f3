"""Finding the header row of a task-breakdown table and what each column holds.

Real tables name the same column many ways (序号/编号, 牵头部门/牵头单位,
完成时限/时间节点 …) and sometimes split the header over two rows (``责任单位``
merged above ``牵头单位 | 配合单位``).  Columns are matched by normalised
header text to one of the :data:`FIELDS`.

>>> header_field("牵头 单位"), header_field("完成时限\\n(时间节点)"), header_field("配合单位")
('lead', 'deadline', 'responsible')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .profiles import profile_column
from .tables_read import Grid, cell_text, is_blank

FIELDS = ("serial", "section", "title", "description", "lead", "responsible", "deadline", "predecessors", "note")
#: fields that make a row look like the header of a task table
_CORE = ("serial", "lead", "responsible", "deadline")
HEADER_SCAN_ROWS = 40

# order matters: the first field whose keyword occurs in the header text wins
_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("lead", ("牵头",)),
    ("predecessors", ("前置", "依赖", "紧前", "前序")),
    (
        "deadline",
        (
            "时限",
            "完成时间",
            "时间节点",
            "完成期限",
            "截止时间",
            "截止日期",
            "完成日期",
            "时间要求",
            "办结时间",
            "进度安排",
        ),
    ),
    ("serial", ("序号", "编号")),
    ("note", ("备注",)),
    (
        "description",
        (
            "主要任务",
            "工作内容",
            "具体措施",
            "工作措施",
            "主要内容",
            "任务内容",
            "具体内容",
            "工作举措",
            "主要措施",
            "具体任务",
            "实施内容",
            "目标任务",
        ),
    ),
    (
        "title",
        (
            "工作要点",
            "任务名称",
            "重点任务",
            "工作任务",
            "改革任务",
            "任务事项",
            "事项名称",
            "项目名称",
            "工作事项",
            "改革事项",
            "重点工作",
        ),
    ),
    (
        "responsible",
        (
            "责任单位",
            "责任部门",
            "配合单位",
            "配合部门",
            "协办单位",
            "协办部门",
            "参与单位",
            "参与部门",
            "责任主体",
            "协同单位",
            "协作单位",
        ),
    ),
    ("section", ("类别", "分类", "板块", "领域")),
)
_EXACT = {
    "序": "serial",
    "序号": "serial",
    "编号": "serial",
    "no": "serial",
    "任务": "title",
    "措施": "description",
    "内容": "description",
    "时间": "deadline",
    "责任": "responsible",
    "配合": "responsible",
    "协办": "responsible",
    "单位": "responsible",
}
_NORMALISE = re.compile(r"[\s\u3000:\uff1a()\uff08\uff09\[\]【】<>《》*※/／、,\uff0c.。]")


def normalise_header(text: str) -> str:
    return _NORMALISE.sub("", text).lower()


def header_field(value: object) -> str | None:
    """Which task field a header cell names, or None."""
    if not isinstance(value, str) or len(value) > 40 or not value.strip():
        return None  # header labels are short text
    profiled = profile_column(value)
    if profiled is not None:
        return {"id": "serial", "ignore": None, "persons": None}.get(profiled, profiled) or None
    t = normalise_header(value)
    if not t or len(t) > 16:
        return None
    if re.search(r"领导|责任人|联系人", t):
        return None  # 牵头负责领导 / 责任领导 name people, not units (issue 14)
    if t in _EXACT:
        return _EXACT[t]
    for name, words in _KEYWORDS:
        if any(w in t for w in words):
            return name
    return None


@dataclass
class Header:
    """Where the header is and which 0-based columns hold each field."""

    row: int
    last_row: int
    columns: dict[str, list[int]] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)

    @property
    def score(self) -> int:
        return len([f for f in self.columns if f != "note"])

    @property
    def width(self) -> int:
        return max(self.labels, default=-1) + 1

    def first(self, name: str) -> int | None:
        cols = self.columns.get(name)
        return cols[0] if cols else None


def _is_table_header(fields: set[str]) -> bool:
    return bool(fields & {"title", "description"}) and len(fields & set(_CORE)) >= 2


def _row_fields(grid: Grid, r: int) -> dict[int, str]:
    out = {}
    for c, v in enumerate(grid.rows[r - 1] if r <= len(grid.rows) else ()):
        f = header_field(v)
        if f:
            out[c] = f
    return out


def _continues_header(grid: Grid, r: int) -> bool:
    """True when row ``r`` is the lower half of a two-row header (every filled cell is a header name)."""
    if r > len(grid.rows):
        return False
    filled = [(c, v) for c, v in enumerate(grid.rows[r - 1]) if not is_blank(v)]
    if not filled:
        return False
    for c, v in filled:
        span = grid.span(r, c + 1)
        if span and span[0] < r:  # a vertical merge from the row above repeats its label
            continue
        if header_field(v) is None:
            return False
    return True


def _build(grid: Grid, r: int, two_rows: bool) -> Header:
    header = Header(row=r, last_row=r + 1 if two_rows else r)
    upper = grid.rows[r - 1]
    width = max(len(upper), len(grid.rows[r]) if two_rows else 0)
    carried = ""
    for c in range(width):
        up_text = cell_text(grid.merged_value(r, c + 1))
        low_text = ""
        if two_rows:
            span = grid.span(r + 1, c + 1)
            if not (span and span[0] < r + 1):
                low_text = cell_text(grid.value(r + 1, c + 1))
        if not is_blank(upper[c] if c < len(upper) else None):
            carried = up_text
        elif not up_text and low_text and not grid.merges:
            up_text = carried  # no merge information (csv): the upper label spans to the right
        name = header_field(low_text) or header_field(up_text)
        label = "/".join(t for t in (up_text, low_text) if t) or ""
        if label:
            header.labels[c] = label.replace("\n", "")
        if name:
            header.columns.setdefault(name, []).append(c)
    return header


def find_header(grid: Grid, scan_rows: int = HEADER_SCAN_ROWS) -> Header | None:
    """The best header within the first ``scan_rows`` rows, or None if there is none."""
    best: Header | None = None
    for r in range(1, min(len(grid.rows), scan_rows) + 1):
        own = _row_fields(grid, r)
        fields = set(own.values())
        two = len(own) >= 2 and _continues_header(grid, r + 1)
        if two:
            fields |= set(_row_fields(grid, r + 1).values())
        if not _is_table_header(fields):
            continue
        h = _build(grid, r, two)
        if not _is_table_header(set(h.columns)):
            continue
        if best is None or h.score > best.score:
            best = h
    return best


def is_header_repeat(row: tuple, header: Header) -> bool:
    """A header printed again inside the table (tables that ran over several pages)."""
    fields = {f for f in map(header_field, row) if f is not None}
    return len(fields) >= 3 and _is_table_header(fields)
