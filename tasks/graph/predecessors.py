"""Predecessor links (前置任务): parse the cell text, read a predecessors file.

Three places give links: a 前置任务/依赖 column of the task table (the table
importer fills ``Task.predecessors`` with :func:`parse_predecessor_text`), a
predecessors file next to a plan (csv/xlsx, columns ``task,predecessor`` or
``任务,前置任务``, one link a row) and the dashboard (:mod:`tasks.graph.edit`).
Each link keeps where it was written (``origin``) so errors can name the row.

>>> parse_predecessor_text("3-5、7,九")
['3', '4', '5', '7', '9']
>>> parse_predecessor_text("无")
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from core.errors import InputError
from core.sheets import cell_text, read_csv, read_workbook, sniff_kind

from ..model import Plan
from ..numbers import CN_NUMERAL_CHARS, cn_to_int
from .errors import BadPredecessorText, PredecessorFileError

_FULLWIDTH = str.maketrans("０１２３４５６７８９－～．", "0123456789-~.")
_NONE_WORDS = {"", "无", "没有", "暂无", "无前置任务", "-", "--", "—", "——", "/", "／", "none", "n/a", "na", "0"}
_SEPARATORS = re.compile(r"[、,，;；\s]+|和|及|与")
_NUM = rf"(?:\d+|[{CN_NUMERAL_CHARS}]+)"
_RANGE = re.compile(rf"^(?:第|任务|序号)?({_NUM})[项条号]?(?:-|~|–|—|至|到)(?:第|任务)?({_NUM})[项条号]?$")
_SINGLE = re.compile(rf"^(?:第|任务|序号)?\(?({_NUM}(?:\.\d+)*)\)?[项条号]?$")
#: a range longer than this is surely a typo (``3-300``), not a list
MAX_RANGE = 200

TASK_HEADERS = ("task", "任务", "任务编号", "任务序号", "序号", "编号")
PREDECESSOR_HEADERS = ("predecessor", "前置任务", "前置任务编号", "前置", "依赖", "依赖任务")


@dataclass(frozen=True)
class PredecessorLink:
    """``task`` cannot finish before ``predecessor``; ``origin`` says where this was written.

    Parameters
    ----------
    task : str
        The task number.
    predecessor : str
        The number of the task it waits for.
    origin : str, optional
        Where the link was written (``predecessors.csv 第3行``).

    Examples
    --------
    >>> PredecessorLink("11", "10", "predecessors.csv 第2行")
    PredecessorLink(task='11', predecessor='10', origin='predecessors.csv 第2行')
    """

    task: str
    predecessor: str
    origin: str = ""


def _number(token: str) -> str | None:
    if re.fullmatch(r"\d+(?:\.\d+)*", token):
        return token if "." in token else str(int(token))
    n = cn_to_int(token)
    return None if n is None else str(n)


def split_predecessor_text(text: object) -> tuple[list[str], list[str]]:
    """Lenient form of :func:`parse_predecessor_text`: ``(ids, unreadable parts)``.

    The table importer uses it so one bad part becomes a warning, not a lost row.

    >>> split_predecessor_text("3、见上")
    (['3'], ['见上'])
    """
    if text is None or isinstance(text, bool):
        return [], []
    if isinstance(text, (int, float)):
        if float(text).is_integer() and text > 0:
            return [str(int(text))], []
        return [], [str(text)]
    raw = str(text).strip()
    s = raw.translate(_FULLWIDTH).replace("\uff08", "(").replace("\uff09", ")")
    if s.lower() in _NONE_WORDS:
        return [], []
    out: list[str] = []
    bad: list[str] = []
    for part in _SEPARATORS.split(s):
        part = part.strip()
        if not part:
            continue
        if re.fullmatch(r"\d+\.0", part):  # Excel float text
            part = part[:-2]
        m = _RANGE.match(part)
        if m:
            a, b = cn_to_int(m[1]), cn_to_int(m[2])
            if a is None or b is None or b < a or b - a > MAX_RANGE:
                bad.append(part)
            else:
                out.extend(str(i) for i in range(a, b + 1))
            continue
        m = _SINGLE.match(part)
        ident = _number(m[1]) if m else None
        if ident is None:
            bad.append(part)
        else:
            out.append(ident)
    return list(dict.fromkeys(out)), bad


def parse_predecessor_text(text: object) -> list[str]:
    """Task ids in a 前置任务 cell: ids, ranges (``3-5``, ``三至五``), Chinese numerals.

    Raises :class:`BadPredecessorText` (no location; the caller adds it) for
    text that is not a list of numbers.

    Parameters
    ----------
    text : object
        The cell's value (text, a number, or None).

    Returns
    -------
    list of str
        The task numbers, each once, in the order written; empty for ``无``, ``—`` or a blank cell.

    Raises
    ------
    BadPredecessorText
        When part of the text is not a task number or range (``无法识别的前置任务“…”:请填写任务序号…``).

    Examples
    --------
    >>> parse_predecessor_text("第2项、任务4至6")
    ['2', '4', '5', '6']
    >>> parse_predecessor_text(12.0)
    ['12']
    >>> parse_predecessor_text("3、见上")
    Traceback (most recent call last):
    ...
    tasks.graph.errors.BadPredecessorText: 无法识别的前置任务“见上”:请填写任务序号,多个用顿号分隔,连续的可写成 3-5
    """
    ids, bad = split_predecessor_text(text)
    if bad:
        raw = str(text).strip()
        raise BadPredecessorText(raw, bad[0])
    return ids


def links_from_plan(plan: Plan) -> list[PredecessorLink]:
    """The links the importer read from the table's 前置任务 column, with each task's source row.

    Parameters
    ----------
    plan : Plan
        An imported plan.

    Returns
    -------
    list of PredecessorLink
        One per (task, predecessor), in plan order; ``origin`` is the task's source row (else ``任务N``).

    Examples
    --------
    >>> from tasks.model import Task
    >>> links_from_plan(Plan("示例", tasks=[Task("1"), Task("2", predecessors=["1"])]))
    [PredecessorLink(task='2', predecessor='1', origin='任务2')]
    """
    return [PredecessorLink(t.id, p, t.source.label() or f"任务{t.id}") for t in plan.tasks for p in t.predecessors]


def _rows(path: Path, name: str) -> list[list[object]]:
    """The first sheet of an xlsx/xls/csv file, read by :func:`core.sheets.read_workbook`."""
    if path.suffix.lower() in (".xlsx", ".xls", ".xlsm") and sniff_kind(path.read_bytes()[:8]) == "csv":
        raise PredecessorFileError("文件扩展名是 Excel,但内容不是 xlsx,请另存为 xlsx 或 csv", file=name)
    try:
        data = path.read_bytes()
        sheets = [read_csv(data, name, trim=False)] if sniff_kind(data[:8]) == "csv" else read_workbook(data, name)
    except InputError as err:
        where = "".join(f"{p} " for p in (err.sheet, f"“{err.column}”列" if err.column else None) if p)
        raise PredecessorFileError(f"{where}{err.message}", file=name, row=err.row) from None
    return [list(r) for r in sheets[0].rows] if sheets else []


def read_predecessor_file(path: str | Path, display_name: str | None = None) -> list[PredecessorLink]:
    """Links from a csv/xlsx with columns ``task,predecessor`` (or ``任务,前置任务``), one a row.

    Row numbers in ``origin`` are the file's own (header = 第1行).  A
    predecessor cell may hold several ids or a range (``3-5``).  Ids are not
    checked here: the graph does that against the plan and names the row.

    Parameters
    ----------
    path : str or Path
        The csv, xlsx or xls file.
    display_name : str, optional
        The name used in messages and origins (default the file's name).

    Returns
    -------
    list of PredecessorLink
        One per (task, predecessor), in file order.

    Raises
    ------
    PredecessorFileError
        When the file does not exist (``前置任务文件不存在``), is empty, cannot be read, has no
        ``任务,前置任务`` header, or a row's task cell is not one number or its predecessor cell is empty
        (the message names the file and row).
    BadPredecessorText
        When a predecessor cell is not a list of numbers (the message names the row).

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "predecessors.csv")
    >>> _ = open(p, "w", encoding="utf-8").write("任务,前置任务\\n11,10\\n12,10-11\\n")
    >>> [(l.task, l.predecessor, l.origin) for l in read_predecessor_file(p)][:2]
    [('11', '10', 'predecessors.csv 第2行'), ('12', '10', 'predecessors.csv 第3行')]
    >>> _ = open(p, "w", encoding="utf-8").write("任务,前置任务\\n11,\\n")
    >>> read_predecessor_file(p)
    Traceback (most recent call last):
    ...
    tasks.graph.errors.PredecessorFileError: predecessors.csv 第2行: “前置任务”列是空的,请填写前置任务序号或删除该行
    """
    p = Path(path)
    name = display_name or p.name
    if not p.is_file():
        raise PredecessorFileError("前置任务文件不存在", file=name)
    rows = _rows(p, name)
    header_at = next((i for i, r in enumerate(rows) if any(cell_text(c) for c in r)), None)
    if header_at is None:
        raise PredecessorFileError("前置任务文件是空的", file=name)
    header = [cell_text(c).lower() for c in rows[header_at]]
    try:  # by header priority: in ``序号,任务,前置任务`` the task column is 任务, not 序号
        pi = next(header.index(h) for h in PREDECESSOR_HEADERS if h in header)
        ti = next(header.index(h) for h in TASK_HEADERS if h in header and header.index(h) != pi)
    except StopIteration:
        raise PredecessorFileError(
            "找不到表头:第一行应为“任务,前置任务”(或 task,predecessor)两列", file=name, row=header_at + 1
        ) from None
    links: list[PredecessorLink] = []
    for i, r in enumerate(rows[header_at + 1 :], start=header_at + 2):
        task_text = cell_text(r[ti]) if ti < len(r) else ""
        pred_text = r[pi] if pi < len(r) else None
        if not task_text and not cell_text(pred_text):
            continue
        origin = f"{name} 第{i}行"
        task_ids = parse_predecessor_text(task_text) if task_text else []
        if len(task_ids) != 1:
            raise PredecessorFileError("“任务”列应填写一个任务序号", file=name, row=i)
        try:
            preds = parse_predecessor_text(pred_text)
        except BadPredecessorText as err:
            raise BadPredecessorText(err.text, err.part, origin) from None
        if not preds:
            raise PredecessorFileError("“前置任务”列是空的,请填写前置任务序号或删除该行", file=name, row=i)
        links.extend(PredecessorLink(task_ids[0], pr, origin) for pr in preds)
    return links


def predecessor_file_beside(plan_path: str | Path) -> Path | None:
    """The predecessors file stored next to a plan, if any.

    Looked for as ``<plan>.predecessors.csv|xlsx`` or ``<plan>.前置任务.csv|xlsx``
    (``plan.xlsx`` → ``plan.predecessors.csv``).

    Parameters
    ----------
    plan_path : str or Path
        The plan's file.

    Returns
    -------
    Path or None
        The first of those files that exists, or None.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> predecessor_file_beside(folder / "plan.xlsx") is None
    True
    >>> _ = (folder / "plan.predecessors.csv").write_text("任务,前置任务\\n", encoding="utf-8")
    >>> predecessor_file_beside(folder / "plan.xlsx").name
    'plan.predecessors.csv'
    """
    p = Path(plan_path)
    for stem in ("predecessors", "前置任务"):
        for ext in ("csv", "xlsx"):
            cand = p.with_name(f"{p.stem}.{stem}.{ext}")
            if cand.is_file():
                return cand
    return None
