"""Import the ticket logs (叫号记录) that queuing systems export: xlsx or csv, UTF-8 or GBK.

One row per ticket step: 取号时间, 叫号时间, 办结时间, 业务类型, 窗口, 工号, 办件编号, 票号,
状态 (正常/过号/弃号/转号); times may be times of day beside a 日期 column. Columns are found by header variants (``取号时间``/``取号``/…); the
header may sit below a title row. Reading is columnar (python-calamine for xlsx, the pandas C
parser for csv) and every check is vectorised, so half a million tickets take a few seconds.

Row rules (a row that breaks one is *bad*: listed with row, column and why, left out):

* 取号时间 and 业务类型 are required; an unknown 状态 is bad;
* 正常 and 转号 rows need 叫号时间, 办结时间 and 窗口, with 取号 ≤ 叫号 ≤ 办结;
* 过号 rows may carry 叫号时间 (when the number was called), never before 取号;
* 弃号 rows (left before being called) need nothing more;
* a time that is present but cannot be read is bad wherever it is.

Without a 状态 column the status is inferred: 办结 present → 正常, called only → 过号,
neither → 弃号. A transferred ticket (转号, 多窗联办) continues on a later row with the same
票号 (or 办件编号) on the same day; that row's 取号时间 is when it joined the next queue.

:func:`read_ticket_log` returns a :class:`TicketLog` with the good rows and the problems;
:func:`accept` is the confirmation step: with bad rows it refuses (naming them) unless the
user confirmed importing the good rows only.

>>> import pandas as pd
>>> raw = pd.DataFrame({"取号时间": ["2026-11-02 09:00:00", "2026-11-02 09:05:00", "bad"],
...                     "叫号时间": ["2026-11-02 09:01:00", "", ""],
...                     "办结时间": ["2026-11-02 09:11:00", "", ""],
...                     "业务": ["户籍", "户籍", "户籍"], "窗口号": ["A01", "", ""]})
>>> log = from_frame(raw, file="log.csv")
>>> log.frame["状态"].tolist(), [(p.row, p.column) for p in log.problems]
(['正常', '弃号'], [(4, '取号时间')])
>>> accept(log, confirmed=True).frame.shape[0]
2
"""

from __future__ import annotations

import io
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core.errors import InputError, Issue

__all__ = [
    "FIELDS",
    "REQUIRED",
    "STATUSES",
    "RowProblem",
    "TicketLog",
    "accept",
    "from_frame",
    "problems_text",
    "read_table",
    "read_ticket_log",
    "synthetic_log",
    "visits",
    "with_steps",
]

#: canonical column → header variants (compared without spaces, case-insensitive)
FIELDS: dict[str, tuple[str, ...]] = {
    "取号时间": ("取号时间", "取号", "取票时间", "排队时间", "ticket_time"),
    "叫号时间": ("叫号时间", "叫号", "呼叫时间", "受理时间", "call_time"),
    "办结时间": ("办结时间", "办结", "完成时间", "结束时间", "finish_time"),
    "业务类型": ("业务类型", "业务", "事项类型", "业务名称", "事项名称", "type", "business"),
    "窗口": ("窗口", "窗口号", "窗口编号", "办理窗口", "window"),
    "工号": ("工号", "员工工号", "工作人员", "办理人", "受理人", "clerk"),
    "办件编号": ("办件编号", "办件号", "申请编号", "受理编号", "case_id"),
    "票号": ("票号", "排队号", "号码", "取号号码", "排队号码", "ticket", "ticket_no"),
    "状态": ("状态", "办理状态", "叫号状态", "status"),
    "窗口组": ("窗口组", "窗口分组", "group"),
    "预约": ("预约", "是否预约", "appointment"),
    "优先": ("优先", "优先通道", "爱心通道", "绿色通道", "priority"),
    "日期": ("日期", "业务日期", "取号日期", "办理日期", "date"),
}
REQUIRED = ("取号时间", "叫号时间", "办结时间", "业务类型", "窗口")
STATUSES = ("正常", "过号", "弃号", "转号")
_STATUS_ALIASES = {
    "正常": "正常",
    "已办结": "正常",
    "办结": "正常",
    "完成": "正常",
    "已完成": "正常",
    "过号": "过号",
    "叫号未到": "过号",
    "未到": "过号",
    "过号作废": "过号",
    "弃号": "弃号",
    "放弃": "弃号",
    "未叫号": "弃号",
    "离开": "弃号",
    "作废": "弃号",
    "转号": "转号",
    "转办": "转号",
    "转窗": "转号",
    "转移": "转号",
}
_TIME_COLS = ("取号时间", "叫号时间", "办结时间")
_EMPTY = {"", "nan", "NaN", "NaT", "None", "none", "null", "NULL", "-"}
HEADER_SCAN_ROWS = 15
_DATELIKE = r"^(19|20)\d{2}[-/]\d{1,2}[-/]\d{1,2}"
_READY = "[已读]"  # stands for a time cell already read (never shown)
_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default text dtype


@dataclass(frozen=True)
class RowProblem:
    """One unreadable row: spreadsheet ``row`` (1-based, as Excel shows it), ``column``, ``why``."""

    row: int
    column: str
    why: str
    ticket: str = ""

    def text(self, file: str = "", sheet: str | None = None) -> str:
        """The problem as one Chinese line.

        >>> RowProblem(5, "叫号时间", "叫号时间早于取号时间", "A012").text("log.csv")
        'log.csv / 第5行 / “叫号时间”列 / 票号A012: 叫号时间早于取号时间'
        """
        where = str(Issue(self.why, file=file, sheet=sheet, row=self.row, column=self.column))
        if self.ticket:
            head, _, why = where.rpartition(": ")
            return f"{head} / 票号{self.ticket}: {why}"
        return where


@dataclass(frozen=True)
class TicketLog:
    """The good rows (canonical columns, times as datetime64) and the problems found.

    ``frame`` has 取号时间, 叫号时间, 办结时间 (NaT where absent), 业务类型, 窗口, 工号, 办件编号,
    票号, 状态 (always), 窗口组/预约/优先 when the file has them, and ``row`` (the file's row).
    """

    frame: pd.DataFrame
    problems: tuple[RowProblem, ...]
    file: str
    sheet: str | None
    rows_read: int
    confirmed: bool = False

    @property
    def bad_rows(self) -> int:
        """How many distinct rows were left out."""
        return len({p.row for p in self.problems})


def problems_text(log: TicketLog, limit: int | None = 20) -> list[str]:
    """The problems as Chinese lines (the first ``limit``; ``None`` = all)."""
    probs = log.problems if limit is None else log.problems[:limit]
    return [p.text(log.file, log.sheet) for p in probs]


def accept(log: TicketLog, confirmed: bool) -> TicketLog:
    """The confirmation step: a log with bad rows is imported only when ``confirmed``.

    Raises :class:`~core.errors.InputError` naming the first bad rows otherwise.
    """
    if not log.problems or log.confirmed:
        return log
    if not confirmed:
        first = log.problems[0]
        others = "\n".join(problems_text(log, 10)[1:])
        more = f"\n……另有{len(log.problems) - 10}处问题" if len(log.problems) > 10 else ""
        ticket = f"(票号{first.ticket})" if first.ticket else ""
        raise InputError(
            f"{first.why}{ticket}。共{log.bad_rows}行无法读取"
            + (f",其余:\n{others}{more}\n" if others else ";")
            + f"确认后可只导入其余{len(log.frame)}行(命令行加 --skip-bad-rows,页面上勾选“确认只导入可读的行”)",
            file=log.file,
            sheet=log.sheet,
            row=first.row,
            column=first.column,
        )
    return TicketLog(log.frame, log.problems, log.file, log.sheet, log.rows_read, True)


# ----------------------------------------------------------------- reading
def read_table(path: str | Path | bytes, name: str, what: str = "叫号记录") -> tuple[pd.DataFrame, str | None]:
    """A sheet or csv as cell values with no header interpretation (``header=None``).

    xlsx/xlsm/xls/ods through :func:`core.columns.read_columns` (python-calamine, column by
    column, first sheet); csv decoded by :func:`core.sheets.decode_csv` (UTF-8 with or without
    BOM, UTF-16, GBK/GB18030) and split by Arrow's CSV reader.
    """
    from core.columns import read_columns
    from core.sheets import decode_csv, sniff_kind

    try:
        if isinstance(path, bytes):
            data = path
        else:
            p = Path(path)
            if not p.is_file():
                raise InputError("文件不存在", file=name)
            data = p.read_bytes()
        if not data:
            raise InputError("文件是空的", file=name)
        kind = sniff_kind(data, name)
        if kind in ("xlsx", "xls", "ods"):
            table = read_columns(data, name)
            frame = pd.DataFrame({j: pd.Series(c, dtype=object) for j, c in enumerate(table.columns)}, dtype=object)
            return frame, table.name
        if kind != "csv" or Path(name).suffix.lower() in (".xlsx", ".xlsm", ".xls", ".docx"):
            raise InputError(f"无法读取{what}(不是 xlsx 或 csv 文件),请确认是 xlsx 或 csv 文件", file=name)
        return _read_csv_text(decode_csv(data, name)), None
    except InputError:
        raise
    except Exception as err:
        raise InputError(f"无法读取{what}({type(err).__name__}),请确认是 xlsx 或 csv 文件", file=name) from err


def _read_csv_text(text: str) -> pd.DataFrame:
    """All cells as strings, no header: Arrow's multi-threaded reader, else pandas' C parser
    (title rows narrower than the table, odd quoting)."""
    import csv

    sample = list(csv.reader(text[:200_000].splitlines()[:50]))
    ncols = max((len(r) for r in sample), default=1)
    names = [f"f{i}" for i in range(ncols)]
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        raw = table.to_pandas()
    except Exception:  # the tolerant parser below decides what is wrong
        raw = pd.read_csv(
            io.StringIO(text),
            header=None,
            names=names,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
    raw.columns = range(raw.shape[1])
    return pd.DataFrame(raw)


def _norm(text: object) -> str:
    return "".join(str(text).split()).lower().replace("(", "(").replace(")", ")")


def find_columns(
    raw: pd.DataFrame,
    fields: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    name: str,
    sheet: str | None,
    what: str = "叫号记录",
) -> tuple[int, dict[str, int]]:
    """(header row index, canonical field → column position) by header variants."""
    best: tuple[int, dict[str, int]] = (-1, {})
    for r in range(min(HEADER_SCAN_ROWS, len(raw))):
        cells = [_norm(v) for v in raw.iloc[r].tolist()]
        found: dict[str, int] = {}
        for canon, variants in fields.items():
            keys = [_norm(v) for v in variants]
            for k in keys:  # the first variant that matches wins (取号时间 before 取号)
                if k in cells:
                    pos = cells.index(k)
                    if pos not in found.values():
                        found[canon] = pos
                        break
        if len(found) > len(best[1]):
            best = (r, found)
    row, found = best
    missing = [c for c in required if c not in found]
    if row < 0 or missing:
        raise InputError(
            f"找不到{what}的表头,缺少“{'”“'.join(missing or list(required))}”列(需要:{'、'.join(required)})",
            file=name,
            sheet=sheet,
            row=(row + 1) if row >= 0 else 1,
        )
    return row, found


def _text(col: pd.Series) -> pd.Series:
    """Cells as stripped text, ``""`` where blank (None, NaN, "nan", "-" …).

    All-text columns go through Arrow in one step; other values as the user sees them
    (whole numbers without ``.0``, dates as ``2026-11-02``, times of day as ``09:30``).

    >>> _text(pd.Series([" A01 ", None, 1012.0, "nan"], dtype=object)).tolist()
    ['A01', '', '1012', '']
    """
    import pyarrow as pa

    if isinstance(col.dtype, pd.StringDtype):  # csv columns: text already
        s = col.fillna("").str.strip()
        return s.mask(s.isin(list(_EMPTY)), "")
    values = col.to_numpy(dtype=object)
    try:
        arr = pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        from core.sheets import cell_text

        arr = pa.array([v if type(v) is str else cell_text(v) for v in values], type=pa.string())
    s = pd.Series(arr, index=col.index, dtype=_STR).fillna("").str.strip()
    return s.mask(s.isin(list(_EMPTY)), "")


def _marked(ok: np.ndarray, col: pd.Series) -> pd.Series:
    """Text of a time column: :data:`_READY` where the cell was read already, else the cell's text."""
    import pyarrow as pa

    out = pd.Series(pa.repeat(pa.scalar(_READY), len(col)), index=col.index, dtype=_STR)
    if not ok.all():
        out[~ok] = _text(col[~ok]).to_numpy()
    return out


def _time_cells(col: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """A time column's cells already readable as they are (datetime cells, 2026-11-02 09:30:00
    text) as datetime64, and the mask of those cells; the others are left to :func:`parse_times`."""
    values = col if isinstance(col.dtype, pd.StringDtype) else col.to_numpy(dtype=object)
    try:
        t = pd.to_datetime(values, format="%Y-%m-%d %H:%M:%S", errors="coerce")
    except (TypeError, ValueError, OverflowError):
        t = pd.to_datetime(
            pd.Series(values, dtype=object).map(lambda v: v if isinstance(v, str) else None),
            format="%Y-%m-%d %H:%M:%S",
            errors="coerce",
        )
    out = pd.Series(np.asarray(t, dtype="datetime64[ns]"), index=col.index)
    return out, out.notna().to_numpy()


def parse_times(text: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Strings → datetime64 (NaT where empty) and a mask of present-but-unreadable cells.

    >>> t, bad = parse_times(pd.Series(["2026-11-02 09:00:00", "2026/11/2 9:05", "", "9点", "2026年11月2日 9:30"]))
    >>> t.dt.strftime("%H:%M").tolist()[:2], t.iloc[4].strftime("%H:%M"), bad.tolist()
    (['09:00', '09:05'], '09:30', [False, False, False, True, False])
    """
    out = pd.to_datetime(text, format="%Y-%m-%d %H:%M:%S", errors="coerce").astype("datetime64[ns]")
    todo = out.isna() & (text != "")
    datelike = _DATELIKE
    for fmt in ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d", "ISO8601"):
        if not todo.any():
            break
        sub = text[todo]
        sub = sub[sub.str.match(datelike)]
        if len(sub):
            out[sub.index] = pd.to_datetime(sub, format=fmt, errors="coerce").astype("datetime64[ns]")
        todo = out.isna() & (text != "")
    if todo.any():  # other spellings (2026年11月2日 9:05, 2026.11.02 …): only what looks like a date
        cand = text[todo].str.replace(r"[年月.]", "-", regex=True).str.replace("日", " ", regex=False).str.strip()
        cand = cand[cand.str.match(datelike)]
        fixed: dict[Hashable, pd.Timestamp] = {}
        for i, v in cand.items():
            try:
                fixed[i] = pd.Timestamp(str(v))
            except (ValueError, OverflowError):
                continue
        if fixed:
            parsed = pd.Series(fixed).astype("datetime64[ns]")
            out.loc[parsed.index] = parsed
        todo = out.isna() & (text != "")
    return out.astype("datetime64[ns]"), todo.to_numpy()


def from_frame(
    raw: pd.DataFrame, *, file: str = "叫号记录", sheet: str | None = None, header_found: bool = True
) -> TicketLog:
    """Check and normalise a log already in a DataFrame (columns = its header)."""
    if header_found:
        grid = pd.concat(
            [
                pd.DataFrame([list(raw.columns)], columns=range(raw.shape[1])),
                pd.DataFrame(raw.to_numpy(), columns=range(raw.shape[1])),
            ],
            ignore_index=True,
        )
    else:
        grid = raw
    return _check(grid, file, sheet)


def read_ticket_log(path: str | Path | bytes, name: str | None = None) -> TicketLog:
    """Read a log file (path or bytes with ``name``); row problems are collected, not raised.

    File-level problems (missing, empty, unreadable, no header, no good row) raise
    :class:`~core.errors.InputError`.
    """
    from core.gcpause import pause_gc

    fname = name or (Path(path).name if not isinstance(path, bytes) else "叫号记录")
    with pause_gc():  # millions of cells, no cycles: a collection every few thousand objects costs more
        raw, sheet = read_table(path, fname)
        return _check(raw, fname, sheet)


def _check(grid: pd.DataFrame, name: str, sheet: str | None) -> TicketLog:
    if grid.empty:
        raise InputError("文件中没有数据", file=name, sheet=sheet)
    hrow, cols = find_columns(grid, FIELDS, REQUIRED, name, sheet)
    body = grid.iloc[hrow + 1 :]
    ready: dict[str, tuple[pd.Series, np.ndarray]] = {}  # time cells readable as they are
    text: dict[str, pd.Series] = {}
    for c, pos in cols.items():
        cells = body.iloc[:, pos]
        if c in _TIME_COLS:
            t0, ok = _time_cells(cells)
            ready[c] = (t0, ok)
            if ok.any():  # present; its text is not needed
                text[c] = _marked(ok, cells)
                continue
        text[c] = _text(cells)
    n = len(body)
    rows = np.arange(hrow + 2, hrow + 2 + n)
    blank = np.ones(n, bool)
    for s in text.values():
        blank &= (s == "").to_numpy()
    out = pd.DataFrame(index=body.index)
    flags: list[tuple[np.ndarray, str, str]] = []  # (mask, column, why) in the order checked
    if "日期" in text:  # times of day beside a date column (09:30:00 + 2026-11-02)
        day = text["日期"].str.replace(r"\s+00:00(:00)?$", "", regex=True)
        for c in _TIME_COLS:
            if c in text:
                only_time = text[c].str.match(r"^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$") & (day != "")
                if only_time.any():
                    text[c] = text[c].mask(only_time, day + " " + text[c])
    for c in _TIME_COLS:
        if c in text:
            t, ok = ready[c]
            unreadable = np.zeros(n, bool)
            if not ok.all():
                rest = text[c][~ok]
                t_rest, unreadable[~ok] = parse_times(rest)
                t = t.copy()
                t[~ok] = t_rest.to_numpy()
            out[c] = t
            flags.append((unreadable, c, "时间“{v}”无法识别,应为 2026-11-02 09:30:00 这样的日期时间"))
        else:
            out[c] = pd.Series(pd.NaT, index=body.index, dtype="datetime64[ns]")
    for c in ("业务类型", "窗口", "工号", "办件编号", "票号", "窗口组", "预约", "优先"):
        if c in text:
            out[c] = text[c]
        elif c in ("窗口", "工号", "办件编号", "票号"):
            out[c] = ""
    has_call = out["叫号时间"].notna().to_numpy()
    has_end = out["办结时间"].notna().to_numpy()
    if "状态" in text:
        st = text["状态"].map(_STATUS_ALIASES)
        unknown = st.isna().to_numpy() & (text["状态"] != "").to_numpy()
        flags.append((unknown, "状态", "状态“{v}”无法识别,应为 正常、过号、弃号 或 转号"))
        inferred = np.where(has_end, "正常", np.where(has_call, "过号", "弃号"))
        status = np.where(st.isna().to_numpy(), inferred, st.fillna("").to_numpy())
    else:
        status = np.where(has_end, "正常", np.where(has_call, "过号", "弃号"))
    out["状态"] = status
    served = np.isin(status, ("正常", "转号"))
    flags.append(((text["取号时间"] == "").to_numpy(), "取号时间", "缺少取号时间"))
    flags.append(((text["业务类型"] == "").to_numpy(), "业务类型", "缺少业务类型"))
    flags.append((served & ~has_call, "叫号时间", "已办理的记录缺少叫号时间"))
    flags.append((served & ~has_end, "办结时间", "已办理的记录缺少办结时间"))
    flags.append((served & (out["窗口"] == "").to_numpy(), "窗口", "已办理的记录缺少窗口"))
    take, call, end = (out[c].to_numpy() for c in _TIME_COLS)
    with np.errstate(invalid="ignore"):
        flags.append(((call < take) & has_call, "叫号时间", "叫号时间早于取号时间"))
        flags.append(((end < call) & has_end & has_call, "办结时间", "办结时间早于叫号时间"))
    flags.append(((status == "过号") & has_end, "办结时间", "过号的记录不应有办结时间"))
    problems: list[tuple[int, int, str, str]] = []
    any_bad = np.zeros(n, bool)
    for order, (mask, col, reason) in enumerate(flags):
        mask = np.asarray(mask, bool) & ~blank & ~any_bad  # one problem per row: the first found
        if not mask.any():
            continue
        any_bad |= mask
        for i in np.flatnonzero(mask):
            v = str(text[col].iat[int(i)]) if col in text else ""
            problems.append((int(rows[i]), order, col, reason.replace("{v}", v)))
    tickets = text.get("票号")
    problems.sort()
    probs = tuple(
        RowProblem(r, c, w, str(tickets.iat[r - hrow - 2]) if tickets is not None else "") for r, _o, c, w in problems
    )
    keep = ~any_bad & ~blank
    frame = out[keep].copy()
    frame["row"] = rows[keep]
    frame = frame.reset_index(drop=True)
    if frame.empty:
        first = "; ".join(p.text() for p in probs[:3])
        raise InputError("没有一行可以导入" + (f"(例如 {first})" if first else ""), file=name, sheet=sheet)
    return TicketLog(frame, probs, name, sheet, int((~blank).sum()))


# ------------------------------------------------------------------ visits
def with_steps(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with ``visit`` (an id) and ``step`` (0 = the ticket's first business) columns,
    sorted by visit and step.

    Steps of one visit share 票号 (or, when 票号 is empty, 办件编号) on the same day and are
    ordered by 取号时间; a row with neither is a visit of its own.
    """
    key = frame["票号"].where(frame["票号"] != "", frame["办件编号"]).to_numpy()
    codes = pd.factorize(key)[0].astype(np.int64)
    anon = key == ""
    codes[anon] = codes.max(initial=0) + 1 + np.arange(int(anon.sum()))
    day = frame["取号时间"].dt.normalize().to_numpy().astype("int64")
    t = frame["取号时间"].to_numpy().astype("int64")
    order = np.lexsort((t, codes, day))
    d, c = day[order], codes[order]
    new_visit = np.r_[True, (d[1:] != d[:-1]) | (c[1:] != c[:-1])] if len(order) else np.zeros(0, bool)
    vid = np.cumsum(new_visit) - 1
    starts = np.flatnonzero(new_visit)
    step = np.arange(len(order)) - starts[vid] if len(order) else np.zeros(0, np.int64)
    df = frame.iloc[order].copy()
    df["visit"], df["step"] = vid, step
    return df


def visits(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per visit (a ticket and its transfers): first business, route, time in hall.

    ``route`` is the businesses joined by ``→``; ``time_in_hall`` is the last 办结 (or call,
    for 过号) minus the first 取号, in minutes; ``status`` that of the last step.
    """
    df = with_steps(frame)
    if df.empty:
        return pd.DataFrame(
            columns=["first", "route", "steps", "start", "end", "first_status", "status", "time_in_hall"]
        )
    first = np.flatnonzero(df["step"].to_numpy() == 0)
    last = np.r_[first[1:] - 1, len(df) - 1]
    last_t = df["办结时间"].fillna(df["叫号时间"]).fillna(df["取号时间"]).to_numpy().astype("int64")
    end = np.maximum.reduceat(last_t, first)
    biz = df["业务类型"].to_numpy()
    route = biz[first].astype(object)
    multi = np.flatnonzero(last > first)
    for k in multi:  # few: only transferred tickets
        route[k] = "→".join(biz[first[k] : last[k] + 1])
    st = df["状态"].to_numpy()
    start = df["取号时间"].to_numpy()[first]
    out = pd.DataFrame(
        {
            "first": biz[first],
            "route": route,
            "steps": last - first + 1,
            "start": start,
            "end": end.astype("datetime64[ns]"),
            "first_status": st[first],
            "status": st[last],
        }
    )
    out["time_in_hall"] = (out["end"] - out["start"]).dt.total_seconds() / 60
    return out


# --------------------------------------------------------------- synthetic
def synthetic_log(
    days: int = 20,
    *,
    seed: int = 0,
    start: str = "2026-11-02",
    businesses: dict[str, float] | None = None,
    windows: dict[str, int] | None = None,
    service_mean: dict[str, float] | None = None,
    no_show: dict[str, float] | None = None,
    abandon: float = 0.0,
    routes: dict[str, tuple[list[str], float]] | None = None,
    open_hm: tuple[int, int] = (9 * 60, 17 * 60),
) -> pd.DataFrame:
    """A ticket log with known parameters (for tests, benchmarks and demonstrations).

    ``businesses`` = tickets per working day (Poisson), ``windows`` = windows per business,
    ``service_mean`` = exponential service mean (min), ``no_show`` = share gone when called
    from the queue (as in the model: whoever finds a window free is there),
    ``abandon`` = share that leave before being called, ``routes[b] = (next businesses, share)``
    = the share of ``b``'s served visits transferred along that route (转号, same 票号).
    Waits are FCFS per business with its windows; weekends are skipped.

    >>> log = synthetic_log(2, seed=1, businesses={"户籍": 50})
    >>> sorted(set(log["状态"])), len(log) > 50
    (['正常'], True)
    """
    import heapq

    rng = np.random.default_rng(seed)
    businesses = businesses or {"户籍": 120.0, "不动产登记": 80.0, "税务": 60.0, "缴费": 40.0}
    windows = windows or {b: max(1, int(round(v * 10 / 480 / 0.7))) + 1 for b, v in businesses.items()}
    service_mean = service_mean or dict.fromkeys(businesses, 10.0)
    no_show = no_show or {}
    routes = routes or {}
    win_names = {b: [f"{chr(65 + i)}{j + 1:02d}" for j in range(windows[b])] for i, b in enumerate(windows)}
    clerks = {w: f"{1000 + k}" for k, w in enumerate(w for ws in win_names.values() for w in ws)}
    base = pd.Timestamp(start)
    recs: list[tuple[object, ...]] = []
    counter = 0
    day = 0
    d = 0
    while day < days:
        date = base + pd.Timedelta(days=d)
        d += 1
        if date.weekday() >= 5:
            continue
        day += 1
        # arrivals: all businesses, then steps queued in time order per business
        pending: list[tuple[float, int, str, str, str]] = []  # (time, seq, business, ticket, case)
        for b, vol in businesses.items():
            k = rng.poisson(vol)
            for t in np.sort(rng.uniform(open_hm[0], open_hm[1], k)):
                counter += 1
                pending.append((float(t), counter, b, f"{b[0]}{counter:06d}", f"BJ{counter:08d}"))
        heapq.heapify(pending)
        free = {b: [float(open_hm[0])] * windows[b] for b in businesses}
        wins = {b: list(range(windows[b])) for b in businesses}
        route_left: dict[str, list[str]] = {}
        while pending:
            t, seq, b, ticket, case = heapq.heappop(pending)
            if b not in free:
                free[b] = [float(open_hm[0])]
                wins[b] = [0]
                win_names.setdefault(b, [f"Z{len(win_names):02d}"])
                clerks.setdefault(win_names[b][0], f"{2000 + len(clerks)}")
            first_step = ticket not in route_left
            if first_step and rng.random() < abandon:
                recs.append((date, t, np.nan, np.nan, b, "", "", case, ticket, "弃号"))
                continue
            # earliest free window of the business
            j = int(np.argmin(free[b]))
            call = max(t, free[b][j])
            w = win_names[b][wins[b][j]]
            if first_step and call > t and rng.random() < no_show.get(b, 0.0):
                recs.append((date, t, call, np.nan, b, w, clerks[w], case, ticket, "过号"))
                free[b][j] = call + 0.5  # the window waits a moment and calls the next
                continue
            s = float(rng.exponential(service_mean.get(b, 10.0)))
            free[b][j] = call + s
            if first_step and b in routes and rng.random() < routes[b][1]:
                route_left[ticket] = list(routes[b][0])
            nxt = route_left.get(ticket)
            status = "转号" if nxt else "正常"
            recs.append((date, t, call, call + s, b, w, clerks[w], case, ticket, status))
            if nxt:
                nb = nxt.pop(0)
                if not nxt:
                    route_left[ticket] = []
                heapq.heappush(pending, (call + s, seq, nb, ticket, case))
    df = pd.DataFrame(recs, columns=["date", "t", "c", "e", "业务类型", "窗口", "工号", "办件编号", "票号", "状态"])

    def to_ts(col: str) -> pd.Series:
        return pd.to_datetime(df["date"]) + pd.to_timedelta(df[col].to_numpy(float), unit="min")

    out = pd.DataFrame(
        {
            "票号": df["票号"],
            "办件编号": df["办件编号"],
            "业务类型": df["业务类型"],
            "取号时间": to_ts("t").dt.floor("s"),
            "叫号时间": to_ts("c").dt.floor("s"),
            "办结时间": to_ts("e").dt.floor("s"),
            "窗口": df["窗口"],
            "工号": df["工号"],
            "状态": df["状态"],
        }
    )
    return out.sort_values("取号时间", kind="stable").reset_index(drop=True)
