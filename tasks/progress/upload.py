"""Check filled progress sheets and save clean ones: all or nothing per file.

:func:`validate_upload` reads a file and lists every problem at once (sheet,
row, column and a Chinese reason) without writing anything;
:func:`commit_upload` then saves a clean file in one transaction.  Our own
templates are recognised by their hidden ``_meta`` sheet; other sheets are
matched by their header names.

>>> report = validate_upload(store, "市政务服务中心.xlsx", today=date(2021, 10, 3))   # doctest: +SKIP
>>> report.ok, [str(p) for p in report.problems]                                    # doctest: +SKIP
(True, [])
>>> commit_upload(store, report, actor="cli")                                       # doctest: +SKIP
17
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from core.limits import MAX_UPLOAD_BYTES, cap_problems, check_zip, more_problems_line
from core.sheets import Sheet, read_csv, read_workbook, sniff_kind
from core.sheets import cell_text as core_cell_text

from ..errors import InputError
from ..store import BadPeriod, StoreError, StoreLike, month_of, parse_period
from .rules import Rules, load_rules
from .safe import unsafe_text
from .template import DATA_SHEET, META_SHEET, STATUS_CHOICES, TEMPLATE_MARK, is_unchanged, prefill_from_meta

#: the one upload size limit (:data:`core.limits.MAX_UPLOAD_BYTES`)
MAX_BYTES = MAX_UPLOAD_BYTES
TEXT_LIMIT = 4000
DONE = "已完成"

#: field -> header names it is known under (normalised: no spaces, brackets or %)
HEADERS: dict[str, tuple[str, ...]] = {
    "task_id": ("任务编号", "编号", "序号", "任务序号", "任务id", "id"),
    "status": ("状态", "进展状态", "完成状态", "推进状态", "任务状态", "当前状态"),
    "percent": ("完成进度", "进度", "完成比例", "完成率", "完成百分比", "进度百分比", "完成进度百分比"),
    "progress": ("进展情况", "工作进展", "推进情况", "完成情况", "进展", "工作进展情况"),
    "problems": ("存在问题", "问题", "存在的问题", "困难和问题", "存在困难"),
    "next_steps": ("下步计划", "下一步计划", "下步工作", "下一步工作", "下步打算", "下一步工作计划"),
    "evidence": ("佐证材料", "佐证", "证明材料", "附件"),
    "report_date": ("填报日期", "报告日期", "日期", "填报时间"),
    "period": ("报告期", "填报期", "所属期", "月份"),
}
FIELD_NAMES = {
    "task_id": "任务编号",
    "status": "状态",
    "percent": "完成进度(%)",
    "progress": "进展情况",
    "problems": "存在问题",
    "next_steps": "下步计划",
    "evidence": "佐证材料",
    "report_date": "填报日期",
    "period": "报告期",
}
REQUIRED = ("task_id", "status", "percent")
INPUTS = ("status", "percent", "progress", "problems", "next_steps", "evidence", "report_date")


class UploadRejected(InputError):
    """A file with problems was asked to be saved (or could not be read: then ``sheet``/``row``/``column`` say where).

    Parameters
    ----------
    message : str
        What is wrong, in Chinese.
    file, sheet, row, column, task
        Where, as for :class:`~core.errors.InputError`.

    Examples
    --------
    >>> err = UploadRejected("完成进度 140 超出 0–100 的范围", file="财政局.xlsx", sheet="进度填报", row=4)
    >>> err.sheet, err.row
    ('进度填报', 4)
    """


@dataclass
class Problem:
    """One reason a file is refused, located so the unit can find it.

    Parameters
    ----------
    reason : str
        What is wrong, in Chinese.
    sheet : str, optional
        The sheet.
    row : int, optional
        The spreadsheet row (1-based, as Excel shows it).
    column : str, optional
        The column header.
    task : str, optional
        The task number of the row.

    Examples
    --------
    >>> str(Problem("进度应为 0–100 的数字", "进度填报", 4, "完成进度(%)", task="1"))
    '进度填报 任务1 第4行 “完成进度(%)”列:进度应为 0–100 的数字'
    """

    reason: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    #: the task number of the row, when the problem is in a task's row
    task: str = ""

    def __str__(self) -> str:
        where = [self.sheet] if self.sheet else []
        if self.task:
            where.append(f"任务{self.task}")
        if self.row is not None:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"“{self.column}”列")
        return f"{' '.join(where)}:{self.reason}" if where else self.reason

    def to_dict(self) -> dict[str, Any]:
        """The problem as JSON, with the whole located message.

        Returns
        -------
        dict
            ``sheet``, ``row``, ``column``, ``task``, ``reason`` and ``message`` (what ``str()`` gives).

        Examples
        --------
        >>> Problem("进度应为 0–100 的数字", "进度填报", 4, "完成进度(%)", task="1").to_dict()["message"]
        '进度填报 任务1 第4行 “完成进度(%)”列:进度应为 0–100 的数字'
        """
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "task": self.task,
            "reason": self.reason,
            "message": str(self),
        }


@dataclass(frozen=True)
class UploadRow:
    """One checked row of a progress sheet, ready to be saved (a frozen record: ``pd.DataFrame(rows)`` works).

    Parameters
    ----------
    task_id : str
        The task number.
    status : str
        The reported status (``推进中``, ``已完成``, ``滞后``, …).
    percent : float or None
        The reported progress, 0–100.
    report_date : date or None
        The date typed in 填报日期 (None: the upload day).
    period : str
        The reporting period (``2021-09``).
    source_sheet : str
        The sheet the row came from.
    source_row : int
        Its spreadsheet row.
    progress, problems, next_steps, evidence : str, optional
        The free-text columns.

    Examples
    --------
    >>> row = UploadRow("3", "推进中", 50.0, date(2021, 9, 28), "2021-09", "进度填报", 4, progress="已完成选址")
    >>> row.to_store()["percent"], row.to_store()["progress"]
    (50.0, '已完成选址')
    """

    task_id: str
    status: str
    percent: float | None
    report_date: date | None
    period: str
    source_sheet: str
    source_row: int
    progress: str = ""
    problems: str = ""
    next_steps: str = ""
    evidence: str = ""

    def to_store(self) -> dict[str, Any]:
        """The plain mapping :meth:`tasks.store.Store.add_upload` and :func:`check_saved_rows` take.

        Returns
        -------
        dict
            Every field of the row.

        Examples
        --------
        >>> row = UploadRow("3", "推进中", 50.0, date(2021, 9, 28), "2021-09", "进度填报", 4, progress="已完成选址")
        >>> row.to_store()["percent"], row.to_store()["progress"]
        (50.0, '已完成选址')
        """
        return asdict(self)


@dataclass
class UploadReport:
    """What :func:`validate_upload` found; ``ok`` means the file can be saved.

    Parameters
    ----------
    filename : str
        The uploaded file's name.
    sha256 : str
        Its content hash (a file saved before is a duplicate).
    unit, person, period, plan : str, optional
        The reporting unit, contact person, period and plan the file was read as.
    is_template : bool, optional
        Whether it is our template (recognised by its ``_meta`` sheet).
    rows : list of UploadRow, optional
        The checked rows (empty when there are problems).
    problems : list of Problem, optional
        Every problem found.
    duplicate : bool, optional
        The same bytes were saved before.
    skipped_rows : int, optional
        Blank rows skipped.
    grace_days : int, optional
        The rules' grace days, used when the period is opened on saving.
    upload_id : int, optional
        Set by :func:`commit_upload` once saved.
    duplicate_of : str, optional
        An earlier file of the same batch with the same bytes.
    more_problems : int, optional
        Problems beyond those listed.
    not_filled, unchanged : list of str, optional
        Template rows left blank, and prefilled rows left as prefilled.

    Examples
    --------
    >>> rep = UploadReport("财政局.xlsx", "00", unit="市财政局", period="2021-09", problems=[Problem("找不到表头")])
    >>> rep.ok, rep.outcome
    (False, 'rejected')
    """

    filename: str
    sha256: str
    unit: str = ""
    person: str = ""
    period: str = ""
    plan: str = ""
    is_template: bool = False
    rows: list[UploadRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    duplicate: bool = False
    skipped_rows: int = 0
    grace_days: int = 5
    upload_id: int | None = None
    #: name of an earlier file of the same batch with exactly these bytes
    duplicate_of: str = ""
    #: problems found beyond the first :data:`core.limits.MAX_PROBLEMS` (counted, not listed)
    more_problems: int = 0
    #: task numbers of template rows left blank (reported back, not counted as reports)
    not_filled: list[str] = field(default_factory=list)
    #: task numbers of prefilled template rows left exactly as prefilled (沿用上期未更新: not reports)
    unchanged: list[str] = field(default_factory=list)

    def store_rows(self) -> list[dict[str, Any]]:
        """The rows as the plain mappings the store saves.

        Returns
        -------
        list of dict
            :meth:`UploadRow.to_store` of each accepted row.

        Examples
        --------
        >>> row = UploadRow("1", "推进中", 40.0, date(2021, 9, 28), "2021-09", "进度填报", 4)
        >>> rep = UploadReport("财政局.xlsx", "00", unit="市财政局", period="2021-09", rows=[row])
        >>> [(r["task_id"], r["percent"]) for r in rep.store_rows()]
        [('1', 40.0)]
        """
        return [r.to_store() for r in self.rows]

    @property
    def ok(self) -> bool:
        """True when the file may be saved: rows were read, no problems, not a duplicate."""
        return not self.problems and not self.duplicate and bool(self.rows)

    @property
    def outcome(self) -> str:
        """``accepted`` (clean), ``rejected``, ``duplicate`` or ``saved``."""
        if self.upload_id is not None:
            return "saved"
        if self.problems:
            return "rejected"
        return "duplicate" if self.duplicate else "accepted"

    def summary(self) -> str:
        """Chinese summary lines for the CLI and the dashboard.

        Returns
        -------
        str
            One line for an accepted, saved or duplicate file; for a refused one, a head line and one
            ``  - `` line per problem.

        Examples
        --------
        >>> rep = UploadReport("财政局.xlsx", "00", unit="市财政局", period="2021-09", problems=[Problem("找不到表头")])
        >>> print(rep.summary())
        财政局.xlsx(市财政局,2021-09):发现 1 处问题,整个文件未保存,请修改后重新上传:
          - 找不到表头
        """
        head = f"{self.filename}({self.unit or '单位未知'},{self.period or '报告期未知'})"
        if self.duplicate and not self.problems:
            if self.duplicate_of:
                return f"{head}:与本批的“{self.duplicate_of}”内容完全相同,本次忽略"
            return f"{head}:该文件已上传过(内容完全相同),本次忽略"
        if self.problems:
            lines = [f"{head}:发现 {len(self.problems) + self.more_problems} 处问题,整个文件未保存,请修改后重新上传:"]
            more = [f"  - {more_problems_line(self.more_problems)}"] if self.more_problems else []
            return "\n".join(lines + [f"  - {p}" for p in self.problems] + more)
        state = "已保存" if self.upload_id is not None else "检查通过(尚未保存,确认后保存)"
        blank = ""
        if self.not_filled:
            blank = f";未填写:任务{'、'.join(self.not_filled)}(如本期确无进展也请填写状态和进度)"
        elif self.skipped_rows and not self.unchanged:
            blank = f",{self.skipped_rows} 行空白未填"
        if self.unchanged:
            blank += (
                f";沿用上期未更新:任务{'、'.join(self.unchanged)}(预填的状态和进度未作修改,不计为本期报送;"
                "如确无新进展,请在“进展情况”中注明或填写填报日期后重新上传)"
            )
        return f"{head}:{len(self.rows)} 行{state}" + blank

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON for the command line (dates as ISO text).

        Returns
        -------
        dict
            The file, unit, period, plan, outcome, counts, problems and rows.

        Examples
        --------
        >>> row = UploadRow("1", "推进中", 40.0, date(2021, 9, 28), "2021-09", "进度填报", 4)
        >>> d = UploadReport("财政局.xlsx", "00", unit="市财政局", period="2021-09", rows=[row]).to_dict()
        >>> d["outcome"], d["accepted_rows"], d["rows"][0]["report_date"]
        ('accepted', 1, '2021-09-28')
        """
        return {
            "filename": self.filename,
            "sha256": self.sha256,
            "unit": self.unit,
            "person": self.person,
            "period": self.period,
            "plan": self.plan,
            "template": self.is_template,
            "outcome": self.outcome,
            "accepted_rows": len(self.rows) if not self.problems else 0,
            "skipped_rows": self.skipped_rows,
            "not_filled": list(self.not_filled),
            "unchanged": list(self.unchanged),
            "upload_id": self.upload_id,
            "problems": [p.to_dict() for p in self.problems],
            "more_problems": self.more_problems,
            "rows": [
                {k: (v.isoformat() if isinstance(v, date) else v) for k, v in r.items()} for r in self.store_rows()
            ],
        }


# -- reading cells ----------------------------------------------------------
def norm_header(v: Any) -> str:
    """``完成进度(%)`` → ``完成进度``; spaces, stars and brackets dropped."""
    s = re.sub(r"[\s*＊:：]", "", str(v or ""))
    s = re.sub(r"[((][^))]*[))]", "", s)
    return s.replace("%", "").replace("%", "").lower()


_HEADER_LOOKUP = {n: f for f, names in HEADERS.items() for n in names}


def cell_text(v: Any) -> str:
    """:func:`core.sheets.cell_text` of a value, our exports' formula guard undone.

    >>> cell_text(3.0), cell_text("'=1+1"), cell_text(None)
    ('3', '=1+1', '')
    """
    return core_cell_text(unsafe_text(v) if isinstance(v, str) else v)


def parse_percent(v: Any, number_format: str = "") -> float | None:
    """A percent 0–100 from 80, 0.8 in a %-formatted cell, '80%', '80'; None if unreadable."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        x = float(v)
        if "%" in (number_format or "") and 0 <= x <= 1:
            x *= 100
    else:
        s = cell_text(v).replace("%", "%").replace(" ", "")
        s = s.rstrip("%")
        try:
            x = float(s)
        except ValueError:
            return None
    return None if math.isnan(x) or math.isinf(x) else round(x, 2)


_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(v: Any) -> date | None:
    """A date from a date cell, an Excel serial number or ``2021-09-30``/``2021年9月30日``/``20210930``."""
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool) and 20000 < v < 80000:
        return date(1899, 12, 30) + timedelta(days=int(v))
    s = cell_text(v)
    m = _DATE_RE.match(s) or re.match(r"^(\d{4})(\d{2})(\d{2})$", s)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


@dataclass
class _Sheet:
    name: str
    rows: list[tuple[int, list[Any], list[str]]]  # (row number, values, number formats)
    meta: dict[str, str] = field(default_factory=dict)


def _sheet_rows(sheet: Sheet) -> list[tuple[int, list[Any], list[str]]]:
    """(row number, values, number formats) of the rows that hold anything; a percent-formatted
    cell's format is ``"0%"`` (0.8 in it means 80), other cells' ``""``."""
    out = []
    for rn, vals in enumerate(sheet.rows, 1):
        if any(v not in (None, "") for v in vals):
            out.append((rn, list(vals), ["0%" if (rn, c) in sheet.percent else "" for c in range(1, len(vals) + 1)]))
    return out


def _read_xlsx(data: bytes, name: str = "上传文件.xlsx") -> tuple[list[_Sheet], dict[str, str]]:
    """Values and percent formats of the visible sheets, and our template's ``_meta`` (if any),
    read by :func:`core.sheets.read_workbook` (limits checked before parsing)."""
    book = read_workbook(data, name, kind="xlsx", percent=True, error=UploadRejected)
    meta: dict[str, str] = {}
    sheets = []
    for ws in book:
        if ws.name == META_SHEET:
            meta = {cell_text(r[0]): cell_text(r[1]) for r in ws.rows if len(r) > 1 and r[0] is not None}
            if meta.get("mark") != TEMPLATE_MARK:
                meta = {}
        elif ws.visible or ws.name == DATA_SHEET:
            sheets.append(_Sheet(ws.name or "", _sheet_rows(ws)))
    return sheets, meta


def _read_csv(data: bytes, name: str) -> list[_Sheet]:
    sheet = read_csv(data, name, sheet=Path(name).stem, error=UploadRejected)
    return [_Sheet(Path(name).stem, _sheet_rows(sheet))]


def _find_header(sheet: _Sheet) -> tuple[int, dict[str, int]] | None:
    """Index into ``sheet.rows`` of the header row and field → column index."""
    best = None
    for i, (_rn, vals, _f) in enumerate(sheet.rows[:20]):
        cols: dict[str, int] = {}
        for j, v in enumerate(vals):
            f = _HEADER_LOOKUP.get(norm_header(v))
            if f and f not in cols:
                cols[f] = j
        if "task_id" in cols and len(cols) >= 2 and (best is None or len(cols) > len(best[1])):
            best = (i, cols)
    return best


def _label_value(sheet: _Sheet, upto: int, labels: Iterable[str]) -> tuple[str, int] | None:
    """A value written beside a label above the header (``填报单位:X`` or label cell + next cell)."""
    labels = tuple(labels)
    for rn, vals, _f in sheet.rows[:upto]:
        for j, v in enumerate(vals):
            t = cell_text(v)
            for lab in labels:
                if t.startswith(lab):
                    rest = t[len(lab) :].lstrip(":: ")
                    if rest:
                        return rest, rn
                    nxt = next((cell_text(x) for x in vals[j + 1 :] if cell_text(x)), "")
                    if nxt:
                        return nxt, rn
    return None


def _is_workbook(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "xl/workbook.xml" in z.namelist()
    except zipfile.BadZipFile:
        return True  # let the workbook reader report the damage


def expand_files(files: Iterable[str | Path | tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """(name, bytes) for every file; a zip of filled sheets becomes its xlsx/csv members.

    The whole batch is looked at before anything is checked or saved: a file that is not a
    filled sheet (a Word document, a PDF, a zip with no sheet in it) or a zip bomb refuses the
    batch with :class:`UploadRejected` naming it.

    >>> [n for n, _ in expand_files([("a.csv", b"x")])]
    ['a.csv']
    """
    out: list[tuple[str, bytes]] = []
    for f in files:
        name, data = (f[0], f[1]) if isinstance(f, tuple) else (Path(f).name, Path(f).read_bytes())
        kind = sniff_kind(data[:8] if data[:2] != b"PK" else data, name)
        suffix = Path(name).suffix.lower()
        if kind == "docx" or suffix in (".docx", ".doc", ".pdf", ".txt", ".html", ".htm", ".json", ".xls"):
            raise UploadRejected(
                f"{name}:不支持的文件类型({suffix or kind}),进度填报请上传填报模板 xlsx、"
                "csv 表格或装有它们的 zip 压缩包"
            )
        if kind == "zip":
            if len(data) > MAX_BYTES:
                raise UploadRejected(f"{name}:文件超过 {MAX_BYTES // 1024 // 1024} MB,请分批上传")
            try:
                check_zip(data, name, UploadRejected)
            except UploadRejected as err:
                raise UploadRejected(str(err).replace(f"{name}: ", f"{name}:", 1)) from None
            members = []
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for info in z.infolist():
                    member = info.filename
                    if info.flag_bits & 0x800 == 0:  # names from Windows zip tools are often GBK
                        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
                            member = member.encode("cp437").decode("gbk")
                    base = member.rsplit("/", 1)[-1]
                    if base.lower().endswith((".xlsx", ".xlsm", ".csv")) and not base.startswith(("~$", ".")):
                        members.append((f"{name}/{base}", z.read(info)))
            if not members:
                raise UploadRejected(f"{name}:压缩包中没有 xlsx 或 csv 填报表")
            out.extend(members)
        else:
            out.append((name, data))
    return out


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- validation -----------------------------------------------------------------
def validate_upload(
    store: StoreLike,
    source: bytes | str | Path,
    filename: str | None = None,
    *,
    unit: str | None = None,
    period: str | None = None,
    plan: str | None = None,
    person: str | None = None,
    today: date | None = None,
    rules: Rules | None = None,
) -> UploadReport:
    """Read and check one file; nothing is written.  Every problem is listed in ``problems``.

    ``unit`` is the uploading unit (a template for another unit is refused);
    ``period``/``plan`` are needed only for sheets that are not our template.

    Parameters
    ----------
    store : StoreLike
        The store holding the plan (read only).
    source : bytes, str or Path
        The file's bytes, or its path.
    filename : str, optional
        The file's name (default the path's name, or ``上传文件.xlsx`` for bytes).
    unit : str, optional
        The uploading unit.
    period, plan : str, optional
        The period and plan of a sheet that is not our template.
    person : str, optional
        The contact person, when the sheet does not name one.
    today : date, optional
        The upload day (default today): report dates may not be later.
    rules : Rules, optional
        The rules (default :func:`load_rules`): their status synonyms and grace days.

    Returns
    -------
    UploadReport
        The rows and every problem (sheet, row, column and a Chinese reason); ``ok`` when clean.

    Raises
    ------
    UploadRejected
        When ``source`` is a path that does not exist (``…:文件不存在``); every other problem of the
        file is listed in the report instead.

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.store import Store
    >>> from tasks.model import Plan, Task
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(Plan("示例", tasks=[Task("1", "任务", lead_units=["市财政局"])]), actor="doc")
    >>> from tasks.progress import fill_template, template_bytes
    >>> data = fill_template(template_bytes(store, "市财政局", "2021-09"), {"1": {"status": "推进中", "percent": 40}})
    >>> validate_upload(store, data, "财政局.xlsx", today=date(2021, 9, 28)).summary()
    '财政局.xlsx(市财政局,2021-09):1 行检查通过(尚未保存,确认后保存)'
    >>> bad = fill_template(template_bytes(store, "市财政局", "2021-09"), {"1": {"status": "推进中", "percent": 140}})
    >>> [str(p) for p in validate_upload(store, bad, "财政局.xlsx", today=date(2021, 9, 28)).problems]
    ['进度填报 任务1 第4行 “完成进度(%)”列:完成进度 140 超出 0–100 的范围']
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        filename = filename or path.name
        if not path.is_file():
            raise UploadRejected(f"{filename}:文件不存在")
        data = path.read_bytes()
    else:
        data = bytes(source)
        filename = filename or "上传文件.xlsx"
    today = today or date.today()
    rules = rules or load_rules()
    rep = UploadReport(filename=filename, sha256=sha256_of(data), grace_days=rules.grace_days)
    if len(data) > MAX_BYTES:
        rep.problems.append(Problem(f"文件超过 {MAX_BYTES // 1024 // 1024} MB,请只保留填报表后再上传"))
        return rep
    meta: dict[str, str] = {}
    try:
        if filename.lower().endswith(".csv"):
            sheets = _read_csv(data, filename)
        elif data[:2] == b"PK" and not _is_workbook(data):
            rep.problems.append(
                Problem("这是一个压缩包而不是 xlsx 工作簿:请解压后上传其中的填报表(命令行和批量上传会自动展开 zip)")
            )
            return rep
        elif data[:2] == b"PK":
            sheets, meta = _read_xlsx(data, filename)
        elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            rep.problems.append(Problem("这是旧版 .xls 或加密的工作簿,请用 Excel 另存为 .xlsx(不设密码)后上传"))
            return rep
        else:
            rep.problems.append(Problem("文件不是 Excel 工作簿(xlsx),请上传填报模板或 xlsx/csv 表格"))
            return rep
    except UploadRejected as err:
        rep.problems.append(Problem(err.message, err.sheet or "", err.row, err.column or ""))
        return rep
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        rep.problems.append(Problem(f"无法读取工作簿({type(err).__name__}),文件可能已损坏,请重新保存后上传"))
        return rep
    rep.is_template = bool(meta)
    _check(
        store,
        rep,
        sheets,
        meta,
        unit=unit,
        period=period,
        plan=plan,
        person=person,
        today=today,
        synonyms=rules.status_synonyms,
    )
    rep.problems, rep.more_problems = cap_problems(rep.problems)
    if rep.problems:
        rep.rows = []
    elif store.has_upload(rep.sha256):
        rep.duplicate = True
    return rep


def _check(
    store: StoreLike,
    rep: UploadReport,
    sheets: list[_Sheet],
    meta: dict[str, str],
    *,
    unit: str | None,
    period: str | None,
    plan: str | None,
    person: str | None,
    today: date,
    synonyms: dict[str, str] | None = None,
) -> None:
    """Check a read workbook in named steps; each step stops the check at the first problem it cannot pass."""
    located = _locate_table(rep, sheets, meta)
    if located is None:
        return
    sheet, hidx, cols = located
    if not (
        _resolve_unit(store, rep, sheet, hidx, meta, unit)
        and _resolve_plan(store, rep, sheet, meta, plan)
        and _resolve_period(rep, sheet, hidx, meta, period)
    ):
        return
    _resolve_person(rep, sheet, hidx, person)
    ctx = _RowContext.build(store, rep, sheet, hidx, cols, meta, today, synonyms or {})
    for rn, vals, fmts in sheet.rows[hidx + 1 :]:
        row = ctx.check(rn, vals, fmts)
        if row is not None:
            rep.rows.append(row)
    if not rep.rows and not rep.problems and rep.unchanged:
        rep.problems.append(
            Problem(
                f"表中各任务均沿用上期预填的状态和进度、未作更新(任务{'、'.join(rep.unchanged)}),不能作为本期报送;"
                "请修改有变化的状态和进度,确无新进展的请在“进展情况”中注明或填写填报日期",
                sheet.name,
            )
        )
    elif not rep.rows and not rep.problems:
        rep.problems.append(Problem("表中没有填写任何任务的进展(状态、完成进度等均为空)", sheet.name))
    if not rep.period and rep.rows:
        rep.period = rep.rows[0].period


def _locate_table(
    rep: UploadReport, sheets: list[_Sheet], meta: dict[str, str]
) -> tuple[_Sheet, int, dict[str, int]] | None:
    """Step 1: the sheet and header row to read (our template's data sheet, else the first sheet with a header)."""
    found: tuple[_Sheet, tuple[int, dict[str, int]]] | None = None
    if meta:
        sheet = next((s for s in sheets if s.name == DATA_SHEET), None)
        header = _find_header(sheet) if sheet is not None else None
        if sheet is None or header is None:
            rep.problems.append(Problem(f"找不到“{DATA_SHEET}”工作表或其表头,请使用下载的模板原样填写"))
            return None
        found = (sheet, header)
    else:
        found = next(((s, h) for s in sheets if (h := _find_header(s))), None)
        if found is None:
            rep.problems.append(
                Problem(
                    "找不到表头:需要有“任务编号”(或序号)、“状态”、“完成进度”等列名的一行。"
                    "请使用下载的填报模板,或在表格第一行写上这些列名"
                )
            )
            return None
    sheet, (hidx, cols) = found
    header_rn = sheet.rows[hidx][0]
    missing = [FIELD_NAMES[f] for f in REQUIRED if f not in cols]
    if missing:
        rep.problems.append(Problem(f"缺少必需的列:{'、'.join(missing)}(表头在第{header_rn}行)", sheet.name, header_rn))
        return None
    return sheet, hidx, cols


def _resolve_unit(
    store: StoreLike, rep: UploadReport, sheet: _Sheet, hidx: int, meta: dict[str, str], unit: str | None
) -> bool:
    """Step 2: the reporting unit, from the template, the sheet's label or the uploader; it must be in the plan."""
    if meta:
        tpl_unit = meta.get("unit", "")
        if unit and unit != tpl_unit:
            rep.problems.append(
                Problem(
                    f"这是“{tpl_unit}”的填报模板,不能作为“{unit}”的填报上传;请下载本单位的模板",
                    sheet.name,
                    2,
                    "填报单位",
                )
            )
            return False
        rep.unit = tpl_unit
    else:
        lab = _label_value(sheet, hidx, ("填报单位", "单位名称", "报送单位"))
        if unit and lab and lab[0] != unit:
            rep.problems.append(
                Problem(f"表中填报单位为“{lab[0]}”,与上传单位“{unit}”不一致", sheet.name, lab[1], "填报单位")
            )
            return False
        rep.unit = unit or (lab[0] if lab else "")
        if not rep.unit:
            rep.problems.append(
                Problem(
                    "无法确定填报单位:请使用本单位模板,或在表头写“填报单位:单位名称”,或上传时指定单位(--unit)",
                    sheet.name,
                )
            )
            return False
    if not store.unit_exists(rep.unit):
        rep.problems.append(Problem(f"单位“{rep.unit}”不在任务分解表中,请核对单位全称", sheet.name))
        return False
    return True


def _resolve_plan(store: StoreLike, rep: UploadReport, sheet: _Sheet, meta: dict[str, str], plan: str | None) -> bool:
    """Step 3: the plan, from the template or the uploader (a unit in one plan needs no choice)."""
    try:
        rep.plan = store.plan_key(meta.get("plan") or plan, unit=rep.unit)
    except StoreError as err:
        rep.problems.append(Problem(str(err), sheet.name))
        return False
    return True


def _resolve_period(rep: UploadReport, sheet: _Sheet, hidx: int, meta: dict[str, str], period: str | None) -> bool:
    """Step 4: the reporting month, from the template, the uploader or the sheet's label (rows may carry their own)."""
    file_period: str | None
    period_row: int | None
    if meta:
        file_period, period_row = meta.get("period"), 2
        if period and file_period and parse_period(period).key != parse_period(file_period).key:
            rep.problems.append(
                Problem(f"模板的报告期为 {file_period},与指定的报告期 {period} 不一致", sheet.name, 2, "报告期")
            )
            return False
    elif period:
        file_period, period_row = period, None
    else:
        lab = _label_value(sheet, hidx, ("报告期", "填报期", "所属期"))
        file_period, period_row = lab if lab else (None, None)
    if file_period:
        try:
            file_period = parse_period(file_period, "month").key
        except BadPeriod as err:
            rep.problems.append(Problem(str(err), sheet.name, period_row, "报告期"))
            return False
    rep.period = file_period or ""
    return True


def _resolve_person(rep: UploadReport, sheet: _Sheet, hidx: int, person: str | None) -> None:
    """Step 5: who filled it in (the uploader's word, else the sheet's 填报人 label)."""
    if person:
        rep.person = person
        return
    lab = _label_value(sheet, hidx, ("填报人", "联系人"))
    rep.person = lab[0] if lab and not lab[0].startswith("联系电话") else ""


#: reports one problem of the current row: (field, reason)
_Bad = Callable[[str, str], None]


@dataclass
class _RowContext:
    """Step 6: what every row is checked against (the unit's tasks, the plan's numbers, the periods)."""

    rep: UploadReport
    sheet: _Sheet
    cols: dict[str, int]
    meta: dict[str, str]
    today: date
    synonyms: dict[str, str]
    tasks: dict[str, Any]
    known: dict[str, bool]
    periods: dict[str, Any]
    seen: dict[str, int] = field(default_factory=dict)
    #: task id → the (status, percent) our template prefilled the row with (基层减负)
    prefilled: dict[str, tuple[str, float]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        store: StoreLike,
        rep: UploadReport,
        sheet: _Sheet,
        hidx: int,
        cols: dict[str, int],
        meta: dict[str, str],
        today: date,
        synonyms: dict[str, str],
    ) -> _RowContext:
        tasks = {t.id: t for t in store.tasks(rep.plan, include_archived=True, unit=rep.unit)}
        id_col = cols["task_id"]
        known = {t.id: t.archived for t in tasks.values()}
        others = {cell_text(v[id_col]) for _, v, _ in sheet.rows[hidx + 1 :] if id_col < len(v)} - set(known) - {""}
        if others:  # ids outside the unit's tasks: in the plan at all?
            known.update(store.task_ids(rep.plan, sorted(others)))
        periods = {p.key: p for p in store.periods()}
        prefilled = prefill_from_meta(meta) if meta else {}
        return cls(rep, sheet, cols, meta, today, synonyms, tasks, known, periods, prefilled=prefilled)

    def check(self, rn: int, vals: list[Any], fmts: list[str]) -> UploadRow | None:
        """One row: an :class:`UploadRow` when it is clean, else None with its problems added to the report."""
        rep, cols = self.rep, self.cols

        def get(f: str) -> Any:
            j = cols.get(f)
            return vals[j] if j is not None and j < len(vals) else None

        tid = cell_text(get("task_id"))

        def bad(f: str, reason: str) -> None:
            rep.problems.append(Problem(reason, self.sheet.name, rn, FIELD_NAMES[f], tid))

        if not any(cell_text(get(f)) for f in INPUTS):
            rep.skipped_rows += 1
            if self.meta and tid:
                rep.not_filled.append(tid)
            return None
        if tid in self.prefilled:  # left exactly as prefilled: 沿用上期未更新, not a report
            st = cell_text(get("status"))
            j = cols.get("percent")
            fmt = fmts[j] if j is not None and j < len(fmts) else ""
            pct_now = parse_percent(get("percent"), fmt) if cell_text(get("percent")) else None
            typed = [cell_text(get(f)) for f in INPUTS if f not in ("status", "percent")]
            if is_unchanged(self.prefilled[tid], self.synonyms.get(st, st), pct_now, typed):
                rep.skipped_rows += 1
                rep.unchanged.append(tid)
                return None
        before = len(rep.problems)
        self._check_task(tid, rn, bad)
        status = cell_text(get("status"))
        status = self.synonyms.get(status, status)
        if not status:
            bad("status", "状态为空,请从下拉列表选择 " + "/".join(STATUS_CHOICES))
        elif status not in STATUS_CHOICES:
            bad("status", f"状态“{status}”无效,应为 " + "/".join(STATUS_CHOICES) + " 之一")
        j = cols.get("percent")
        pct = _check_percent(get("percent"), fmts[j] if j is not None and j < len(fmts) else "", status, bad)
        rdate = self._check_date(get("report_date"), bad)
        row_period = self._check_period(cell_text(get("period")), rdate, bad)
        texts = {f: cell_text(get(f)) for f in ("progress", "problems", "next_steps", "evidence")}
        for f, t in texts.items():
            if len(t) > TEXT_LIMIT:
                bad(f, f"内容超过 {TEXT_LIMIT} 字,请精简")
        if len(rep.problems) != before:
            return None
        return UploadRow(tid, status, pct, rdate, row_period, self.sheet.name, rn, **texts)

    def _check_task(self, tid: str, rn: int, bad: _Bad) -> None:
        task = self.tasks.get(tid)
        if not tid:
            bad("task_id", "任务编号为空,请勿删除或修改模板中的任务编号")
        elif tid not in self.known:
            bad("task_id", f"任务编号“{tid}”不在计划“{self.rep.plan}”中,请核对编号")
        elif self.known[tid]:
            bad("task_id", f"任务{tid}已从计划中撤销(归档),无需再填报")
        elif task is None or task.role_of(self.rep.unit) is None:
            bad("task_id", f"“{self.rep.unit}”不是任务{tid}的牵头或责任单位,不能填报该任务")
        elif tid in self.seen:
            bad("task_id", f"任务{tid}在本表中重复填报(第{self.seen[tid]}行已填),每项任务只填一行")
        if tid and tid not in self.seen:
            self.seen[tid] = rn

    def _check_date(self, raw: Any, bad: _Bad) -> date | None:
        if not cell_text(raw):
            return self.today
        rdate = parse_date(raw)
        if rdate is None:
            bad("report_date", f"填报日期“{cell_text(raw)}”无法识别,请写成 2021-09-30")
        elif rdate > self.today:
            bad("report_date", f"填报日期 {rdate.isoformat()} 晚于今天({self.today.isoformat()}),不能预填将来的日期")
        return rdate

    def _check_period(self, raw: str, rdate: date | None, bad: _Bad) -> str:
        row_period = self.rep.period
        if raw and not self.meta:
            try:
                row_period = parse_period(raw, "month").key
            except BadPeriod as err:
                bad("period", str(err))
        if not row_period and rdate:
            row_period = month_of(rdate).key
        pinfo = self.periods.get(row_period)
        if row_period and pinfo and pinfo.closed:
            bad("period", f"报告期 {row_period} 已关闭,不再接收填报;如需补报请联系领导小组办公室")
        if rdate and row_period and rdate < parse_period(row_period).start:
            bad("report_date", f"填报日期 {rdate.isoformat()} 早于报告期 {row_period} 的开始日期")
        return row_period


def _check_percent(raw: Any, number_format: str, status: str, bad: _Bad) -> float | None:
    """完成进度: a number 0–100 (blank means 0 for 未启动); 已完成 needs 100."""
    pct = None
    if cell_text(raw) == "":
        if status == "未启动":
            pct = 0.0
        else:
            bad("percent", "完成进度为空,请填写 0–100 的数字")
    else:
        pct = parse_percent(raw, number_format)
        if pct is None:
            bad("percent", f"完成进度“{cell_text(raw)}”不是数字,请填写 0–100 的数字")
        elif not 0 <= pct <= 100:
            bad("percent", f"完成进度 {cell_text(raw)} 超出 0–100 的范围")
            pct = None
    if status == "已完成" and pct is not None and pct < 100:
        bad("percent", f"状态为“已完成”但完成进度为 {pct:g}%,已完成的任务完成进度须为 100")
    return pct


def commit_upload(store: StoreLike, report: UploadReport, actor: str) -> int | None:
    """Save a clean report in one transaction; None when the same file was saved before.

    Raises :class:`UploadRejected` for a report with problems (nothing is written).

    Parameters
    ----------
    store : StoreLike
        Where to save the rows (the report's periods are opened when new).
    report : UploadReport
        A report from :func:`validate_upload`.
    actor : str
        Who saves it (recorded with the upload).

    Returns
    -------
    int or None
        The new upload's id, or None when the same bytes were saved before.

    Raises
    ------
    UploadRejected
        When the report has problems or no rows (its :meth:`UploadReport.summary` is the message), or
        the store refuses the rows; nothing is written.

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.store import Store
    >>> from tasks.model import Plan, Task
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(Plan("示例", tasks=[Task("1", "任务", lead_units=["市财政局"])]), actor="doc")
    >>> from tasks.progress import fill_template, template_bytes
    >>> data = fill_template(template_bytes(store, "市财政局", "2021-09"), {"1": {"status": "推进中", "percent": 40}})
    >>> commit_upload(store, validate_upload(store, data, "财政局.xlsx", today=date(2021, 9, 28)), actor="doc")
    1
    >>> commit_upload(store, validate_upload(store, data, "财政局.xlsx", today=date(2021, 9, 28)), actor="doc") is None
    True
    >>> commit_upload(store, UploadReport("空.xlsx", "00", problems=[Problem("找不到表头")]), actor="doc")
    Traceback (most recent call last):
    ...
    tasks.progress.upload.UploadRejected: 空.xlsx(单位未知,报告期未知):发现 1 处问题,整个文件未保存,请修改后重新上传:
      - 找不到表头
    """
    if report.problems or not report.rows and not report.duplicate:
        raise UploadRejected(report.summary())
    if report.duplicate:
        return None
    if not report.rows:
        raise UploadRejected(report.summary())
    for key in sorted({r.period for r in report.rows}):
        store.open_period(key, actor, grace_days=report.grace_days)
    try:
        upload_id = store.add_upload(
            sha256=report.sha256,
            filename=report.filename,
            unit=report.unit,
            plan=report.plan,
            person=report.person,
            period=report.period,
            rows=report.store_rows(),
            actor=actor,
        )
    except StoreError as err:
        report.problems.append(Problem(str(err)))
        raise UploadRejected(report.summary()) from None
    if upload_id is None:
        report.duplicate = True
    report.upload_id = upload_id
    return upload_id


def upload_files(
    store: StoreLike, files: Iterable[str | Path | tuple[str, bytes]], *, actor: str, save: bool = False, **kwargs: Any
) -> list[UploadReport]:
    """Validate many files (and save the clean ones when ``save``); one report per file.

    Zips are opened and each xlsx/csv inside is one file.  A file whose bytes
    repeat an earlier one of the batch is a duplicate (checked or saved once).

    Parameters
    ----------
    store : StoreLike
        The store holding the plan.
    files : iterable of str, Path or (name, bytes)
        The files (zips are expanded).
    actor : str
        Who saves them.
    save : bool, optional
        Save the clean files (default: only check).
    **kwargs
        Passed to :func:`validate_upload` (``unit``, ``period``, ``plan``, ``today``, …).

    Returns
    -------
    list of UploadReport
        One report per file, in order; a saved one has ``upload_id`` set.

    Raises
    ------
    UploadRejected
        When a named file does not exist or a zip cannot be opened.

    Examples
    --------
    >>> from datetime import date
    >>> from tasks.store import Store
    >>> from tasks.model import Plan, Task
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(Plan("示例", tasks=[Task("1", "任务", lead_units=["市财政局"])]), actor="doc")
    >>> from tasks.progress import fill_template, template_bytes
    >>> data = fill_template(template_bytes(store, "市财政局", "2021-09"), {"1": {"status": "推进中", "percent": 40}})
    >>> reports = upload_files(store, [("a.xlsx", data), ("b.xlsx", data)], actor="doc", save=True,
    ...                        today=date(2021, 9, 28))
    >>> [(r.filename, r.outcome) for r in reports]
    [('a.xlsx', 'saved'), ('b.xlsx', 'duplicate')]
    """
    out: list[UploadReport] = []
    first: dict[str, str] = {}
    for name, data in expand_files(files):  # every file is checked before any is saved
        rep = validate_upload(store, data, name, **kwargs)
        if rep.sha256 in first and not rep.problems and not rep.duplicate:
            rep.duplicate, rep.duplicate_of = True, first[rep.sha256]
        first.setdefault(rep.sha256, name)
        out.append(rep)
    if save:
        for rep in out:
            if rep.ok:
                with contextlib.suppress(UploadRejected):  # a race with another upload: the report says so
                    commit_upload(store, rep, actor)
    return out
