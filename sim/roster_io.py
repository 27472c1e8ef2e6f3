"""Staff lists and shift definitions in xlsx, and the styled roster exports planners print.

Why: the office keeps its staff list in Excel; every mistake must be reported by sheet, row and
column before anything is solved.  The exports are what clerks and managers read: the roster
(person × day, shifts coloured, weekend duties counted), the requirement heat-map, the
slot-by-slot shortfall and each person's own schedule.

Staff workbook: sheet ``人员`` (姓名, 所属窗口组, 可办理窗口组, 每周工时, 不可排班日期, and optionally
AB岗备岗 — the post's B-post colleagues — and 请假日期 — days asked off; headers may be spelled as in
:data:`STAFF_VARIANTS`) and an
optional sheet ``班次`` (班次代码, 班次名称, 开始, 结束, 午休开始, 午休结束, 适用日, 颜色).

>>> people = sample_staff({"户籍": 2, "交警": 1}, 3)
>>> [p.home_group for p in people]
['户籍', '户籍', '交警']
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core.errors import InputError, WorkbenchError
from core.safe_export import save_workbook
from core.sheets import Sheet, cell_text, read_workbook, sniff_kind

from .roster import SLOT, Day, Person, RosterResult, Shift, default_shifts
from .scenario import WEEKDAYS_CN, hm_to_min, min_to_hm

STAFF_SHEET, SHIFT_SHEET = "人员", "班次"
STAFF_COLS = ["姓名", "所属窗口组", "可办理窗口组", "每周工时", "不可排班日期", "AB岗备岗", "请假日期"]
#: other spellings of the staff sheet's headers (compared without spaces); the first match wins
STAFF_VARIANTS: dict[str, tuple[str, ...]] = {
    "姓名": ("姓名", "人员姓名", "工作人员"),
    "所属窗口组": ("所属窗口组", "所属组", "所在窗口组", "本岗窗口组"),
    "可办理窗口组": ("可办理窗口组", "可办窗口组", "可办理业务组", "可顶岗窗口组"),
    "每周工时": ("每周工时", "周工时", "每周工作小时"),
    "不可排班日期": ("不可排班日期", "不可排班", "已批假期", "培训日期"),
    "AB岗备岗": ("AB岗备岗", "备岗人员", "B岗人员", "B岗", "备岗", "AB岗", "B角"),
    "请假日期": ("请假日期", "请假申请", "申请请假日期", "拟请假日期", "请假"),
}
SHIFT_COLS = ["班次代码", "班次名称", "开始", "结束", "午休开始", "午休结束", "适用日", "颜色"]
DAYS_CN = {"工作日": "workday", "休息日": "restday", "周末": "restday", "全部": "all", "": "all"}
HEAD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
REST_FILL = PatternFill("solid", fgColor="F2F2F2")
WEEKEND_HEAD = PatternFill("solid", fgColor="F8CBAD")
THIN = Border(*(Side(style="thin", color="BFBFBF"),) * 4)
NOTE = "示例数据:人员名单为演示用的虚构数据,不代表任何真实单位。"


class StaffInvalid(WorkbenchError):
    """A staff workbook with mistakes; the message lists each with sheet, row and column."""

    def __init__(self, file: str, problems: list[tuple[str, int | None, str | None, str]]):
        self.problems = problems
        lines = []
        for sheet, row, col, msg in problems[:20]:
            where = [file, sheet] + ([f"第{row}行"] if row else []) + ([f"“{col}”列"] if col else [])
            lines.append(f"{' / '.join(p for p in where if p)}: {msg}")
        more = f"(另有{len(problems) - 20}处)" if len(problems) > 20 else ""
        super().__init__(";".join(lines) + more)


def _text(v) -> str:
    return cell_text(v)


def _split(v) -> list[str]:
    return [x.strip() for x in re.split(r"[、,,;;/\n]+", _text(v)) if x.strip()]


def _parse_dates(v, problems, row, col) -> list[dt.date]:
    out = []
    if isinstance(v, (dt.datetime, dt.date)):
        return [v.date() if isinstance(v, dt.datetime) else v]
    for part in _split(v):
        part = part.replace("/", "-").replace(".", "-")
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:\s*(?:~|至|--)\s*(\d{4})-(\d{1,2})-(\d{1,2}))?", part)
        if not m:
            problems.append(
                (STAFF_SHEET, row, col, f"日期“{part}”无法识别,请写成 2026-11-03 或 2026-11-03至2026-11-05")
            )
            continue
        try:
            a = dt.date(int(m[1]), int(m[2]), int(m[3]))
            b = dt.date(int(m[4]), int(m[5]), int(m[6])) if m[4] else a
        except ValueError:
            problems.append((STAFF_SHEET, row, col, f"日期“{part}”不存在"))
            continue
        while a <= b:
            out.append(a)
            a += dt.timedelta(days=1)
    return out


def _header(
    ws: Sheet, cols: list[str], required: list[str], problems, variants: dict[str, tuple[str, ...]] | None = None
) -> dict[str, int] | None:
    head = ["".join(_text(c).split()) for c in ws.rows[0]] if ws.rows else []
    idx: dict[str, int] = {}
    for name in cols:
        for v in (variants or {}).get(name, (name,)):
            if v in head and head.index(v) not in idx.values():
                idx[name] = head.index(v)
                break
    missing = [c for c in required if c not in idx]
    if missing:
        problems.append((ws.name, 1, None, f"缺少列:{'、'.join(missing)}(表头应为:{'、'.join(cols)})"))
        return None
    return idx


def read_staff(
    path: str | Path, groups: list[str] | None = None, display_name: str | None = None
) -> tuple[list[Person], list[Shift]]:
    """People and shifts from the staff workbook; ``groups`` (the scenario's) are checked when given.

    Parameters
    ----------
    path : str or Path
        The staff workbook (sheet 人员).
    groups : list of str or None, default None
        The scenario's window groups; people's groups must be among them.
    display_name : str or None, default None
        The name used in error messages (default: the file name).

    Returns
    -------
    tuple of (list of Person, list of Shift)
        The people and the shifts (the workbook's, else :func:`sim.roster.default_shifts`).

    Raises
    ------
    StaffInvalid
        When the file does not exist (文件不存在), is not a readable workbook, lacks the 人员 sheet,
        or has bad cells (each named by sheet, row and column, in Chinese).

    Examples
    --------
    >>> people, shifts = read_staff("data/hall/staff.xlsx")
    >>> len(people) > 0, all(p.home_group in p.groups for p in people)
    (True, True)
    >>> read_staff("no/such.xlsx", display_name="人员.xlsx")
    Traceback (most recent call last):
    ...
    sim.roster_io.StaffInvalid: 人员.xlsx: 文件不存在
    """
    name = display_name or Path(path).name
    if not Path(path).is_file():
        raise StaffInvalid(name, [("", None, None, "文件不存在")])
    try:
        data = Path(path).read_bytes()
        if sniff_kind(data[:8] if data[:2] != b"PK" else data, name) not in ("xlsx", "xls", "ods"):
            raise InputError("not a workbook")
        wb = {s.name: s for s in read_workbook(data, name)}
    except InputError as err:
        msg = (
            err.message
            if "过大" in err.message or "超过" in err.message or "压缩" in err.message
            else "不是可读取的 xlsx 工作簿(文件损坏或不是 Excel 格式),请用 Excel 另存为 .xlsx 后再上传"
        )
        raise StaffInvalid(name, [(err.sheet or "", err.row, err.column, msg)]) from None
    problems: list[tuple[str, int | None, str | None, str]] = []
    if STAFF_SHEET not in wb:
        raise StaffInvalid(name, [("", None, None, f"缺少工作表“{STAFF_SHEET}”(现有:{'、'.join(map(str, wb))})")])
    ws = wb[STAFF_SHEET]
    people: list[Person] = []
    idx = _header(ws, STAFF_COLS, STAFF_COLS[:3], problems, STAFF_VARIANTS)
    seen: dict[str, int] = {}
    backups_at: dict[str, tuple[int, list[str]]] = {}  # person → (row, backups as written)
    if idx is not None:
        for r, row in enumerate(ws.rows[1:], start=2):
            get = lambda c, row=row: row[idx[c]] if c in idx and idx[c] < len(row) else None
            if all(_text(v) == "" for v in row):
                continue
            pname = _text(get("姓名"))
            if not pname:
                problems.append((STAFF_SHEET, r, "姓名", "姓名为空"))
                continue
            if pname in seen:
                problems.append((STAFF_SHEET, r, "姓名", f"姓名“{pname}”与第{seen[pname]}行重复"))
                continue
            seen[pname] = r
            home = _text(get("所属窗口组"))
            can = _split(get("可办理窗口组"))
            if not home:
                problems.append((STAFF_SHEET, r, "所属窗口组", "所属窗口组为空"))
            if home and home not in can:
                can = [home] + can
            for g in can:
                if groups is not None and g not in groups:
                    problems.append(
                        (STAFF_SHEET, r, "可办理窗口组", f"窗口组“{g}”不在场景中(可选:{'、'.join(groups)})")
                    )
            hours_raw = get("每周工时")
            hours = 40.0
            if _text(hours_raw):
                try:
                    hours = float(_text(hours_raw))
                except (TypeError, ValueError):
                    problems.append((STAFF_SHEET, r, "每周工时", f"“{hours_raw}”不是数字"))
                else:
                    if not 0 < hours <= 60:
                        problems.append((STAFF_SHEET, r, "每周工时", f"每周工时{hours:g}应在0到60之间"))
            off = _parse_dates(get("不可排班日期"), problems, r, "不可排班日期")
            leave = _parse_dates(get("请假日期"), problems, r, "请假日期")
            backs = list(dict.fromkeys(_split(get("AB岗备岗"))))
            backups_at[pname] = (r, backs)
            people.append(
                Person(
                    pname,
                    home,
                    tuple(dict.fromkeys(can)),
                    hours,
                    frozenset(off),
                    tuple(backs),
                    frozenset(leave) - frozenset(off),
                )
            )
        if not people and not problems:
            problems.append((STAFF_SHEET, 2, None, "人员名单为空"))
        problems += _backup_problems(people, backups_at)
    shifts = default_shifts()
    if SHIFT_SHEET in wb:
        shifts = _read_shifts(wb[SHIFT_SHEET], problems) or shifts
    if problems:
        raise StaffInvalid(name, problems)
    return people, shifts


def _backup_problems(
    people: list[Person], backups_at: dict[str, tuple[int, list[str]]]
) -> list[tuple[str, int | None, str | None, str]]:
    """AB岗 backups: on the list, not the person, trained for the person's home group."""
    by_name = {p.name: p for p in people}
    out: list[tuple[str, int | None, str | None, str]] = []
    for p in people:
        row, backs = backups_at.get(p.name, (None, []))
        for b in backs:
            where: tuple[str, int | None, str | None] = (STAFF_SHEET, row, "AB岗备岗")
            if b == p.name:
                out.append((*where, f"备岗人员不能是本人“{b}”"))
            elif b not in by_name:
                out.append((*where, f"备岗人员“{b}”不在“{STAFF_SHEET}”表中(请写人员表中的姓名,多人用顿号分隔)"))
            elif p.home_group and p.home_group not in by_name[b].groups:
                out.append(
                    (*where, f"备岗人员“{b}”不能办理“{p.home_group}”窗口组(请在其“可办理窗口组”中加上,或换一位备岗)")
                )
    return out


def _read_shifts(ws: Sheet, problems) -> list[Shift]:
    idx = _header(ws, SHIFT_COLS, SHIFT_COLS[:4], problems)
    if idx is None:
        return []
    out, codes = [], set()
    for r, row in enumerate(ws.rows[1:], start=2):
        get = lambda c, row=row: row[idx[c]] if c in idx and idx[c] < len(row) else None
        if all(_text(v) == "" for v in row):
            continue
        code = _text(get("班次代码"))
        if not code or code in codes:
            problems.append((SHIFT_SHEET, r, "班次代码", "班次代码为空或重复"))
            continue
        codes.add(code)
        try:
            times = {
                c: (hm_to_min(_hm_text(get(c))) if _text(get(c)) else None)
                for c in ("开始", "结束", "午休开始", "午休结束")
            }
        except (ValueError, IndexError):
            problems.append((SHIFT_SHEET, r, None, "时刻应写成 08:30 这样的格式"))
            continue
        start, end = times["开始"], times["结束"]
        if start is None or end is None or end <= start:
            problems.append((SHIFT_SHEET, r, "结束", "结束时刻应晚于开始时刻"))
            continue
        lunch = None
        l0, l1 = times["午休开始"], times["午休结束"]
        if l0 is not None or l1 is not None:
            if l0 is None or l1 is None or not (start < l0 < l1 < end):
                problems.append((SHIFT_SHEET, r, "午休开始", "午休应在班次之内,且开始早于结束"))
                continue
            lunch = (l0, l1)
        days = DAYS_CN.get(_text(get("适用日")))
        if days is None:
            problems.append((SHIFT_SHEET, r, "适用日", "适用日应为 工作日、休息日 或 全部"))
            continue
        colour = _text(get("颜色")).lstrip("#") or "C6EFCE"
        if not re.fullmatch(r"[0-9A-Fa-f]{6}", colour):
            problems.append((SHIFT_SHEET, r, "颜色", "颜色应为6位十六进制,如 C6EFCE"))
            continue
        out.append(
            Shift(
                code,
                _text(get("班次名称")) or code,
                start,
                end,
                lunch,
                days,
                colour.upper(),
            )
        )
    return out


def _hm_text(v) -> str:
    if isinstance(v, dt.time):
        return v.strftime("%H:%M")
    if isinstance(v, float) and 0 <= v < 1:  # Excel time fraction
        return min_to_hm(v * 1440)
    return _text(v)


def _fmt(m: int | None) -> str:
    return "" if m is None else min_to_hm(m)


def _style_head(ws, row: int = 1) -> None:
    for c in ws[row]:
        c.font, c.fill, c.border = HEAD, HEAD_FILL, THIN
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def write_staff(people: list[Person], path: str | Path, shifts: list[Shift] | None = None) -> None:
    """The staff workbook (人员, 班次, 说明)."""
    wb = Workbook()
    ws = wb.active
    ws.title = STAFF_SHEET
    ws.append(STAFF_COLS)
    for p in people:
        ws.append(
            [
                p.name,
                p.home_group,
                "、".join(p.groups),
                p.weekly_hours,
                ",".join(d.isoformat() for d in sorted(p.unavailable)),
                "、".join(p.backups),
                ",".join(d.isoformat() for d in sorted(p.leave_requests)),
            ]
        )
    _style_head(ws)
    for col, w in zip("ABCDEFG", (10, 14, 36, 10, 28, 18, 28)):
        ws.column_dimensions[col].width = w
    ws2 = wb.create_sheet(SHIFT_SHEET)
    ws2.append(SHIFT_COLS)
    for s in shifts or default_shifts():
        ws2.append(
            [
                s.code,
                s.name,
                _fmt(s.start),
                _fmt(s.end),
                _fmt(s.lunch[0] if s.lunch else None),
                _fmt(s.lunch[1] if s.lunch else None),
                {"workday": "工作日", "restday": "休息日", "all": "全部"}[s.days],
                s.colour,
            ]
        )
        ws2.cell(ws2.max_row, 8).fill = PatternFill("solid", fgColor=s.colour)
    _style_head(ws2)
    ws3 = wb.create_sheet("说明")
    for line in (
        NOTE,
        "“可办理窗口组”用顿号分隔;“不可排班日期”写成 2026-11-03 或 2026-11-03至2026-11-05,多个用逗号分隔。",
        "“AB岗备岗”写本岗的B岗人员姓名(须在人员表中、能办理本岗的窗口组),多人用顿号分隔;"
        "“请假日期”是申请的假期,排班时若批准会使本岗和B岗都不在岗则不予批准(写法同“不可排班日期”)。",
        "“班次”表:适用日为 工作日(法定工作日,含调休上班)、休息日(周末和节假日)或 全部。",
    ):
        ws3.append([line])
    ws3.column_dimensions["A"].width = 100
    save_workbook(wb, path)


def sample_staff(headcount: dict[str, int], n: int | None = None, seed: int = 7) -> list[Person]:
    """An illustrative staff list: ``headcount[group]`` people based in each group, each also
    trained for one or two other groups; a few people have days of leave.

    Names are generated (示例数据).  Cross-training follows departments: 户籍/出入境/交警 are all
    public-security windows.

    Parameters
    ----------
    headcount : dict of str to int
        People per home group.
    n : int or None, default None
        Keep only the first ``n`` people.
    seed : int, default 7
        Seed of names, cross-training and leave.

    Returns
    -------
    list of Person
        The staff list, the same for the same arguments.

    Examples
    --------
    >>> people = sample_staff({"户籍": 2, "出入境": 1})
    >>> [p.home_group for p in people], people == sample_staff({"户籍": 2, "出入境": 1})
    (['户籍', '户籍', '出入境'], True)
    """
    rng = random.Random(seed)
    surnames = (
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    )
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建文斌宇浩凯"
    groups = list(headcount)
    people: list[Person] = []
    used: set[str] = set()
    for g in groups:
        for _ in range(headcount[g]):
            while True:
                name = rng.choice(surnames) + rng.choice(given) + (rng.choice(given) if rng.random() < 0.6 else "")
                if name not in used:
                    used.add(name)
                    break
            others = [h for h in groups if h != g]
            extra = rng.sample(others, k=min(len(others), rng.choice((1, 1, 2)))) if others else []
            people.append(Person(name, g, tuple([g] + extra), 40.0))
    if n is not None:
        people = people[:n]
    return people


# ------------------------------------------------------------------ exports
def roster_marks(result: RosterResult, people: list[Person]) -> dict[tuple[str, dt.date], str]:
    """What each person's day shows in a roster (workbook and page alike): the shift code
    (``code·组名`` when serving away from the home group), 假 (unavailable), 调 (调休 earned by a
    rest-day duty) or 休.

    Parameters
    ----------
    result : RosterResult
        The roster.
    people : list of Person
        The staff list.

    Returns
    -------
    dict
        ``(person, date) → mark`` for every person and day of the horizon.

    Examples
    --------
    >>> from sim.roster import Day
    >>> d1, d2, d3, d4 = (dt.date(2026, 3, k) for k in (7, 9, 10, 11))
    >>> r = RosterResult("OPTIMAL", [("甲", d1, "W", "户籍"), ("甲", d2, "D", "社会服务")], {}, {}, {}, {},
    ...                  [], [], None, None, 0.0, 0.0, 0.0, days=[Day(d, d != d1) for d in (d1, d2, d3, d4)],
    ...                  comp_rest={("甲", d1): d3})
    >>> p = Person("甲", "社会服务", ("社会服务", "户籍"), unavailable=frozenset({d4}))
    >>> [roster_marks(r, [p])["甲", d] for d in (d1, d2, d3, d4)]
    ['W·户籍', 'D', '调', '假']
    """
    cell_of = {(n, d): (code, g) for n, d, code, g in result.assignments}
    comp_days = {(n, rest) for (n, _duty), rest in result.comp_rest.items()}
    marks = {}
    for p in people:
        for d in result.days:
            if (p.name, d.date) in cell_of:
                code, g = cell_of[p.name, d.date]
                mark = code if g == p.home_group else f"{code}·{g[:2]}"
            else:
                mark = "假" if d.date in p.unavailable else "调" if (p.name, d.date) in comp_days else "休"
            marks[p.name, d.date] = mark
    return marks


def _day_head(d: Day) -> str:
    return f"{d.date.month}/{d.date.day}\n{WEEKDAYS_CN[d.date.weekday()]}"


def export_roster(
    result: RosterResult,
    people: list[Person],
    shifts: list[Shift],
    path: str | Path,
    *,
    verification: dict | None = None,
    definition: str = "",
    certificate: Any = None,
) -> None:
    """Styled roster workbook: 排班表, 需求热力图, 缺口明细, 说明, 仿真验证, 班次, 个人排班 (one sheet each).

    ``certificate`` (:class:`sim.roster_certify.Certificate`) adds the fit-to-publish verdict
    to the notes sheet in plain Chinese.

    Parameters
    ----------
    result : RosterResult
        The roster.
    people : list of Person
        The staff list.
    shifts : list of Shift
        The shifts.
    path : str or Path
        The workbook to write.
    verification : dict or None, default None
        :func:`sim.verify.verify_roster`'s result, for the 仿真验证 sheet.
    definition : str, default ""
        The target's definition in words, for the notes.
    certificate : Certificate or None, default None
        The fit-to-publish verdict.

    Examples
    --------
    >>> import datetime as dt, tempfile, pathlib
    >>> from openpyxl import load_workbook
    >>> from sim.roster import Day, Person, default_shifts, solve_roster
    >>> d = dt.date(2026, 11, 2)
    >>> people = [Person("甲", "户籍", ("户籍",))]
    >>> r = solve_roster(people, default_shifts(), [Day(d, True)], {("户籍", d, 540): 1}, time_limit=5)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "排班.xlsx"
    ...     export_roster(r, people, default_shifts(), path)
    ...     load_workbook(path).sheetnames[0]
    '排班表'
    """
    wb = Workbook()
    shift_by = {s.code: s for s in shifts}
    _sheet_roster(wb, result, people, shifts, shift_by)
    _sheet_heatmap(wb, result)
    _sheet_shortfall(wb, result)
    _sheet_notes(wb, result, definition, verification, certificate)
    if verification:
        _sheet_verification(wb, verification)
    _sheet_shifts(wb, shifts)
    _sheets_personal(wb, result, people, shift_by)
    save_workbook(wb, path)


def _sheet_roster(
    wb: Workbook, result: RosterResult, people: list[Person], shifts: list[Shift], shift_by: dict[str, Shift]
) -> None:
    """排班表: one row per person, one column per day, coloured by shift; days and hours totals."""
    ws = wb.active
    ws.title = "排班表"
    cell_of = {(n, d): (code, g) for n, d, code, g in result.assignments}
    marks = roster_marks(result, people)
    days = result.days
    ws.append(["姓名", "所属窗口组"] + [_day_head(d) for d in days] + ["出勤天数", "周末值班", "工时(小时)"])
    _style_head(ws)
    ws.row_dimensions[1].height = 32
    for j, d in enumerate(days, start=3):
        if not d.workday:
            ws.cell(1, j).fill = WEEKEND_HEAD
    for p in people:
        row: list[str | int | float] = [p.name, p.home_group]
        worked, hours = 0, 0.0
        for d in days:
            row.append(marks[p.name, d.date])
            if (p.name, d.date) in cell_of:
                worked += 1
                hours += shift_by[cell_of[p.name, d.date][0]].paid_minutes / 60
        row += [worked, result.weekend_duties.get(p.name, 0), hours]
        ws.append(row)
        r = ws.max_row
        for j, d in enumerate(days, start=3):
            c = ws.cell(r, j)
            c.alignment = Alignment(horizontal="center")
            c.border = THIN
            if (p.name, d.date) in cell_of:
                c.fill = PatternFill("solid", fgColor=shift_by[cell_of[p.name, d.date][0]].colour)
            elif not d.workday:
                c.fill = REST_FILL
    ws.freeze_panes = "C2"
    ws.column_dimensions["A"].width = 9
    ws.column_dimensions["B"].width = 12
    for j in range(3, len(days) + 3):
        ws.column_dimensions[get_column_letter(j)].width = 7
    ws.append([])
    ws.append(
        [
            "图例:",
            "、".join(f"{s.code}={s.name}" for s in shifts)
            + ";“·XX”表示支援其他窗口组;休=休息,调=休息日值班的调休,假=不可排班",
        ]
    )


def _sheet_heatmap(wb: Workbook, result: RosterResult) -> None:
    """需求热力图: rows (group, slot), columns dates, coloured by the windows required."""
    days = result.days
    hm_ws = wb.create_sheet("需求热力图")
    hm_ws.append(["窗口组", "时段"] + [_day_head(d) for d in days])
    _style_head(hm_ws)
    hm_ws.row_dimensions[1].height = 32
    keys = sorted({(g, s) for g, _d, s in result.requirement})
    for g, s in keys:
        hm_ws.append([g, _fmt(s) + "-" + _fmt(s + SLOT)] + [result.requirement.get((g, d.date, s), None) for d in days])
    if keys:
        rng = f"C2:{get_column_letter(len(days) + 2)}{len(keys) + 1}"
        hm_ws.conditional_formatting.add(
            rng,
            ColorScaleRule(
                start_type="min",
                start_color="FFFFFF",
                mid_type="percentile",
                mid_value=50,
                mid_color="FFEB84",
                end_type="max",
                end_color="F8696B",
            ),
        )
    hm_ws.freeze_panes = "C2"
    hm_ws.column_dimensions["A"].width = 14
    hm_ws.column_dimensions["B"].width = 12


def _sheet_shortfall(wb: Workbook, result: RosterResult) -> None:
    """缺口明细: every (group, date, slot) with fewer people than required."""
    sf = wb.create_sheet("缺口明细")
    sf.append(["窗口组", "日期", "星期", "时段", "需求窗口", "在岗人数", "缺口"])
    _style_head(sf)
    for g, d, slot, short in result.shortfall_list():
        need = result.requirement[(g, d, slot)]
        sf.append(
            [
                g,
                d.isoformat(),
                WEEKDAYS_CN[d.weekday()],
                _fmt(slot) + "-" + _fmt(slot + SLOT),
                need,
                need - short,
                short,
            ]
        )
    if not result.shortfall:
        sf.append(["无缺口:每个时段的在岗人数均不少于需求"])


def _sheet_notes(
    wb: Workbook, result: RosterResult, definition: str, verification: dict | None, certificate: Any
) -> None:
    """说明: how the roster was made, its rules, AB岗 and balance, verification and certificate."""
    info = wb.create_sheet("说明")
    summ = result.summary()
    lines = [
        NOTE,
        f"求解状态:{result.status}(先使缺口最小:{summ['phase1_status']});"
        f"第二阶段目标值(计薪分钟+周末值班极差){summ['objective']},下界 {summ['bound']};"
        f"相对差距 {summ['gap'] if summ['gap'] is not None else '—'};用时 {summ['wall_seconds']} 秒",
        f"缺口时段数:{summ['shortfall_slots']};周末值班次数极差(最多-最少):{summ['weekend_duty_spread']}",
        f"排班工时 {summ['paid_hours']:.1f} 小时,需求窗口工时 {summ['required_window_hours']:.1f} 小时"
        + (f",比值 {summ['paid_to_required']:.2f}" if summ["paid_to_required"] else ""),
        "规则:每人每天至多一个班次,只排其可办理的窗口组;每周(周一至周日)至多5天且不超过本人每周工时;"
        "连续工作不超过6天;休息日(周末、节假日)每值班一天,须在其后7天内的一个工作日调休一天;"
        "有周末值班资格者之间的周末值班次数相差不超过1;优先满足需求,其次减少多余工时,再次均衡周末值班。",
    ]
    if summ["pending_comp_rest"]:
        lines.append(
            "排班期末的周末值班,调休须在下一排班期安排:" + "、".join(f"{p}({d})" for p, d in summ["pending_comp_rest"])
        )
    if definition:
        lines.append(definition)
    if verification:
        lines.append(
            f"仿真验证:开放时段 {verification['open_slots']} 个,达标 {verification['slots_meeting_target']} 个,"
            f"未达标 {verification['open_slots'] - verification['slots_meeting_target']} 个"
            f"(新随机种子,{verification.get('reps', '')} 次重复)"
        )
        if "group_days" in verification:
            lines.append(
                f"按全天汇总:{verification['group_days_meeting_target']}/{verification['group_days']} 个窗口组·日达标"
            )
    lines += _ab_lines(result)
    lines += band_lines(result)
    if certificate is not None:
        lines.append(certificate.text)
    for line in lines:
        info.append([line])
    info.column_dimensions["A"].width = 120


def _ab_lines(result: RosterResult) -> list[str]:
    """AB岗 and leave in plain Chinese (nothing when the roster was made without them)."""
    out = []
    if result.leave_granted or result.leave_refused:
        out.append(
            f"请假:共批准 {len(result.leave_granted)} 天"
            + (
                ";以下请假因会使AB岗无人在岗而未批准:"
                + "、".join(f"{p}({d.month}月{d.day}日)" for p, d in result.leave_refused)
                if result.leave_refused
                else ",没有因AB岗而不予批准的请假。"
            )
        )
    if result.ab_gaps:
        out.append(
            "AB岗缺岗(本人和备岗人员都不在岗):" + "、".join(f"{p}({d.month}月{d.day}日)" for p, d in result.ab_gaps)
        )
    return out


def band_lines(result: RosterResult) -> list[str]:
    """The paid-hours band in plain Chinese (nothing when the roster was made without one).

    >>> from sim.roster import RosterResult
    >>> r = RosterResult("FEASIBLE", [], {}, {}, {}, {}, [], [], None, None, 0.0, 0.0, 0.0,
    ...                  person_hours={"甲": 30.0, "乙": 40.0}, person_band={"甲": (32.0, 48.0), "乙": (32.0, 48.0)})
    >>> print(band_lines(r)[0])
    工时区间:每人排班工时应在 32–48 小时之间(按可排班天数折算,获批请假相应降低下限);实际每人 30–40 小时。以下人员不在区间内:甲(30 小时,区间 32–48 小时)。
    """
    if not result.person_band:
        return []
    lows = [lo for lo, _hi in result.person_band.values()]
    highs = [hi for _lo, hi in result.person_band.values()]
    hours = [result.person_hours.get(n, 0.0) for n in result.person_band]

    def span(a: list[float]) -> str:
        return f"{min(a):g}" if min(a) == max(a) else f"{min(a):g}–{max(a):g}"

    head = (
        f"工时区间:每人排班工时应在 {span(lows)}–{span(highs)} 小时之间(按可排班天数折算,获批请假相应降低下限);"
        f"实际每人 {span(hours)} 小时。"
    )
    misses = result.band_misses
    if not misses:
        return [head + "全部人员都在区间内。"]
    return [
        head
        + "以下人员不在区间内:"
        + "、".join(f"{n}({h:g} 小时,区间 {lo:g}–{hi:g} 小时)" for n, h, lo, hi in misses)
        + "。"
    ]


def _sheet_verification(wb: Workbook, verification: dict) -> None:
    """仿真验证: pass or fail per slot from the simulation of the roster."""
    vs = wb.create_sheet("仿真验证")
    vs.append(
        [
            "窗口组",
            "日期",
            "星期",
            "时段开始",
            "需求窗口",
            "在岗人数",
            "仿真取号人次",
            "目标内比例",
            "平均等候(分钟)",
            "是否达标",
        ]
    )
    _style_head(vs)
    bad = PatternFill("solid", fgColor="F8CBAD")
    for r in verification["slots"]:
        vs.append(
            [
                r["group"],
                r["date"],
                "周" + r["weekday_cn"][-1],
                r["slot_start"],
                r["required"],
                r["on_duty"],
                r["customers"],
                None if r["service_level"] is None else round(r["service_level"], 4),
                None if r["mean_wait"] is None else round(r["mean_wait"], 2),
                "达标" if r["pass"] else "未达标",
            ]
        )
        if not r["pass"]:
            vs.cell(vs.max_row, 10).fill = bad
    vs.freeze_panes = "A2"


def _sheet_shifts(wb: Workbook, shifts: list[Shift]) -> None:
    """班次: the shift definitions."""
    shifts_ws = wb.create_sheet("班次")
    shifts_ws.append(["代码", "名称", "开始", "结束", "午休", "计薪小时", "适用日"])
    _style_head(shifts_ws)
    for sh in shifts:
        shifts_ws.append(
            [
                sh.code,
                sh.name,
                _fmt(sh.start),
                _fmt(sh.end),
                f"{_fmt(sh.lunch[0])}-{_fmt(sh.lunch[1])}" if sh.lunch else "无(午间值守)",
                sh.paid_minutes / 60,
                {"workday": "工作日", "restday": "休息日", "all": "全部"}[sh.days],
            ]
        )
        shifts_ws.cell(shifts_ws.max_row, 1).fill = PatternFill("solid", fgColor=sh.colour)


def _sheets_personal(wb: Workbook, result: RosterResult, people: list[Person], shift_by: dict[str, Shift]) -> None:
    """个人-姓名: one sheet per person with their days, shifts, rest and 调休."""
    days = result.days
    comp_days = {(n, rest): duty for (n, duty), rest in result.comp_rest.items()}
    by_person: dict[str, list[tuple[dt.date, str, str]]] = defaultdict(list)
    for n, duty_day, code, g in result.assignments:
        by_person[n].append((duty_day, code, g))
    used_titles: set[str] = set(wb.sheetnames)
    for p in people:
        title = re.sub(r"[\[\]:*?/\\]", "", f"个人-{p.name}")[:31]
        while title in used_titles:
            title = title[:29] + f"{len(used_titles) % 100:02d}"
        used_titles.add(title)
        pw = wb.create_sheet(title)
        pw.append([f"{p.name}({p.home_group})个人排班", "", "", "", ""])
        pw["A1"].font = Font(bold=True, size=12)
        pw.append(["日期", "星期", "班次", "时间", "窗口组"])
        _style_head(pw, 2)
        duties = {dd: (code, g) for dd, code, g in by_person[p.name]}
        for d in days:
            if d.date in duties:
                code, g = duties[d.date]
                s = shift_by[code]
                t = f"{_fmt(s.start)}-{_fmt(s.end)}" + (
                    f"(午休{_fmt(s.lunch[0])}-{_fmt(s.lunch[1])})" if s.lunch else ""
                )
                pw.append([d.date.isoformat(), WEEKDAYS_CN[d.date.weekday()], s.name, t, g])
                pw.cell(pw.max_row, 3).fill = PatternFill("solid", fgColor=s.colour)
            else:
                duty = comp_days.get((p.name, d.date))
                pw.append(
                    [
                        d.date.isoformat(),
                        WEEKDAYS_CN[d.date.weekday()],
                        "不可排班" if d.date in p.unavailable else "调休" if duty else "休息",
                        f"补{duty.month}月{duty.day}日值班" if duty else "",
                        "",
                    ]
                )
        pw.append([f"出勤 {len(duties)} 天,周末值班 {result.weekend_duties.get(p.name, 0)} 次"])
        for col, w in zip("ABCDE", (12, 6, 14, 30, 14)):
            pw.column_dimensions[col].width = w
