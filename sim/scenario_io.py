"""Scenarios as Excel workbooks planners edit (Chinese sheets and columns) or as JSON.

One sheet per part: 说明, 业务类型, 窗口组, 到达曲线, 经验办理时长, 调整策略, 日历, 日历调整.
Every mistake is reported with its sheet, row and column, all at once, so a planner
fixes the workbook in one pass; nothing is half-loaded.

>>> from sim.sample_hall import sample_scenario
>>> import tempfile, os
>>> p = os.path.join(tempfile.mkdtemp(), "hall.xlsx")
>>> write_xlsx(sample_scenario(), p)
>>> load_scenario(p).group("社会服务").types
['交通农林水', '民政教育', '房管财政']
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from core.errors import InputError, WorkbenchError
from core.safe_export import save_workbook
from core.sheets import Sheet, read_workbook, sniff_kind

from . import labels
from .scenario import (
    LUNCH_MODES,
    SERVICE_DISTS,
    WEEKDAYS_CN,
    CalendarSpec,
    DayOverride,
    Policy,
    Practice,
    Scenario,
    ServiceType,
    WindowGroup,
    hm_to_min,
    min_to_hm,
    parse_hours,
)

S_INFO, S_TYPES, S_GROUPS, S_PROFILE, S_SAMPLE, S_POLICY, S_CAL, S_CALADJ, S_PRACTICE = (
    "说明",
    "业务类型",
    "窗口组",
    "到达曲线",
    "经验办理时长",
    "调整策略",
    "日历",
    "日历调整",
    "办理规则",
)

TYPE_COLS = (
    ["业务名称", "所属部门"]
    + [f"{d}到达量" for d in WEEKDAYS_CN]
    + ["办理时长分布", "平均办理时长(分钟)", "变异系数", "预约比例", "平均耐心(分钟)", "周末转次日比例"]
    + ["过号比例", "转办后续业务", "转办比例", "优先比例", "每时段预约上限"]
)
GROUP_COLS = (
    ["窗口组", "类别", "可办业务", "常设窗口数", "后备窗口数"]
    + [f"{d}营业时间" for d in WEEKDAYS_CN]
    + ["午休开始", "午休结束", "午休方式", "周末窗口数", "爱心窗口"]
)
#: columns added with no-shows, routes, priority and quotas: optional (older workbooks lack them)
OPTIONAL_COLS = ("过号比例", "转办后续业务", "转办比例", "优先比例", "每时段预约上限", "爱心窗口")
PROFILE_COLS = ["业务名称", "日类型", "时段", "权重"]
SAMPLE_COLS = ["业务名称", "办理时长(分钟)"]
KV_COLS = ["参数", "取值"]
CALADJ_COLS = ["日期", "类型", "说明"]

DIST_CN = labels.DISTRIBUTION
DIST_FROM_CN = {v: k for k, v in DIST_CN.items()} | {k: k for k in DIST_CN}
LUNCH_CN = labels.LUNCH
LUNCH_FROM_CN = {v: k for k, v in LUNCH_CN.items()} | {k: k for k in LUNCH_CN} | {"闭厅": "closed", "错峰": "staggered"}
POLICY_KEYS = [
    ("enabled", "启用动态调整"),
    ("open_per_window", "每窗等候人数阈值"),
    ("open_longest_wait", "最长等候阈值(分钟)"),
    ("switch_delay", "切换延迟(分钟)"),
    ("close_idle", "空闲关闭(分钟)"),
    ("check_every", "检查间隔(分钟)"),
    ("target_wait", "服务目标(分钟)"),
]
#: the 办理规则 sheet (:class:`~sim.scenario.Practice`): key, label
PRACTICE_KEYS = [
    ("recall_minutes", "过号呼叫时长(分钟)"),
    ("no_show_policy", "过号处理"),
    ("keep_calls", "顺延叫号次数"),
    ("priority_mode", "优先方式"),
    ("booking_lead_days", "平均提前预约天数"),
    ("weekend_cutoff", "周末预约截止"),
    ("weekend_appointment_only", "周末仅限预约"),
]
NO_SHOW_CN = labels.NO_SHOW_POLICY
NO_SHOW_FROM_CN = {v: k for k, v in NO_SHOW_CN.items()} | {k: k for k in NO_SHOW_CN} | {"过号作废": "drop"}
PRIORITY_CN = labels.PRIORITY_LANE
PRIORITY_FROM_CN = {v: k for k, v in PRIORITY_CN.items()} | {k: k for k in PRIORITY_CN} | {"专窗": "dedicated"}
ALL_TYPES = "全部"
DAYKIND = {"工作日": "weekday", "周末": "weekend"}
CALKIND = {"放假": "holiday", "节假日": "holiday", "调休上班": "workday", "上班": "workday"}
CALKIND_CN = labels.CALENDAR_OVERRIDE
YES = ("是", "启用", "开", "true", "True", "1", "yes", "Y", "y")
NO = ("否", "不启用", "关", "false", "False", "0", "no", "N", "n")


class ScenarioInvalid(WorkbenchError):
    """All problems of a scenario file; each names sheet, row and column.

    Parameters
    ----------
    file : str
        The file as the user named it.
    issues : list of tuple
        ``(sheet, row, column, message)`` per problem; ``row``/``column`` may be None, and a
        single problem with no sheet is about the whole file.

    Examples
    --------
    >>> str(ScenarioInvalid("a.xlsx", [("窗口组", 3, "可办业务", "业务“X”不存在")]))
    'a.xlsx 有1处错误:\\n  窗口组 第3行 “可办业务”列: 业务“X”不存在'
    """

    def __init__(self, file: str, issues: list[tuple[str, int | None, str | None, str]]):
        self.file, self.issues = file, issues
        if len(issues) == 1 and not issues[0][0]:
            super().__init__(f"{file}: {issues[0][3]}")
            return
        lines = []
        for sheet, row, col, msg in issues:
            where = sheet + (f" 第{row}行" if row is not None else "") + (f" “{col}”列" if col else "")
            lines.append(f"  {where}: {msg}")
        super().__init__(f"{file} 有{len(issues)}处错误:\n" + "\n".join(lines))


class _Issues:
    def __init__(self) -> None:
        self.items: list[tuple[str, int | None, str | None, str]] = []

    def add(self, sheet: str, row: int | None, col: str | None, msg: str) -> None:
        self.items.append((sheet, row, col, msg))


#: where a cell is: (sheet, row, column) for :meth:`_Issues.add`
Where = tuple[str, int | None, str | None]


def _value(x: float | None) -> float:
    """A number read with a default (so never missing) as a float."""
    return 0.0 if x is None else float(x)


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and v != v)


def _text(v: Any) -> str:
    if _blank(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def split_names(v: Any) -> list[str]:
    """Names in a 可办业务 cell: separated by 、 , , ; or line breaks, blanks dropped.

    Parameters
    ----------
    v : Any
        The cell value (None and blanks give an empty list).

    Returns
    -------
    list of str
        The names, in order.

    Examples
    --------
    >>> split_names("户籍、婚姻登记, 社保")
    ['户籍', '婚姻登记', '社保']
    """
    return [
        x.strip()
        for x in _text(v).replace(",", "、").replace(",", "、").replace(";", "、").replace("\n", "、").split("、")
        if x.strip()
    ]


def _num(
    iss: _Issues,
    where: Where,
    v: Any,
    *,
    lo: float | None = None,
    hi: float | None = None,
    integer: bool = False,
    default: float | None = None,
    what: str = "数值",
) -> float | None:
    sheet, row, col = where
    if _blank(v):
        if default is None:
            iss.add(sheet, row, col, f"不能为空,请填写{what}")
        return default
    try:
        x = float(str(v).strip().rstrip("%")) / (100 if str(v).strip().endswith("%") else 1)
    except ValueError:
        iss.add(sheet, row, col, f"“{v}”不是数字,请填写{what}")
        return default
    if integer and not float(x).is_integer():
        iss.add(sheet, row, col, f"“{v}”应为整数")
        return default
    if (lo is not None and x < lo) or (hi is not None and x > hi):
        rng = f"{lo:g}~{hi:g}" if hi is not None else f"不小于{lo:g}"
        iss.add(sheet, row, col, f"“{v}”超出范围,应为{rng}")
        return default
    return int(x) if integer else x


def _hours(iss: _Issues, where: Where, v: Any) -> str:
    s = _text(v)
    try:
        if not parse_hours(s):
            return ""
    except (ValueError, IndexError):
        iss.add(*where, f"营业时间“{s}”无法识别,应写成 08:30-17:30 或 08:30-12:00,13:30-17:30,不开放填“休”")
        return ""
    return s


def _hm(iss: _Issues, where: Where, v: Any, default: str) -> str:
    if _blank(v):
        return default
    if isinstance(v, dt.time):
        return f"{v.hour:02d}:{v.minute:02d}"
    try:
        return min_to_hm(hm_to_min(_text(v)))
    except (ValueError, IndexError):
        iss.add(*where, f"时刻“{v}”无法识别,应写成 12:00")
        return default


NOT_A_WORKBOOK = "不是可读取的 xlsx 工作簿(文件损坏或不是 Excel 格式),请用 Excel 另存为 .xlsx 后再上传"


def _open_book(path: str | Path, name: str) -> dict[str, Sheet]:
    """The workbook's sheets by name, read by :func:`core.sheets.read_workbook` (limits checked first)."""
    try:
        data = Path(path).read_bytes()
        if sniff_kind(data[:8] if data[:2] != b"PK" else data, name) not in ("xlsx", "xls", "ods"):
            raise ScenarioInvalid(name, [("", None, None, NOT_A_WORKBOOK)])
        return {s.name or "": s for s in read_workbook(data, name)}
    except InputError as err:
        msg = (
            err.message
            if "过大" in err.message or "超过" in err.message or "压缩" in err.message
            else f"{NOT_A_WORKBOOK}({err.message})"
        )
        raise ScenarioInvalid(name, [(err.sheet or "", err.row, err.column, msg)]) from err


def _rows(
    book: dict[str, Sheet], name: str, cols: list[str], iss: _Issues, required: bool = True
) -> list[tuple[int, dict]]:
    """Data rows of a sheet as (excel row number, {column: value}); header checked."""
    if name not in book:
        if required:
            iss.add(name, None, None, f"缺少工作表“{name}”")
        return []
    rows = book[name].rows
    header = [_text(h) for h in (rows[0] if rows else ())]
    pos = {}
    for c in cols:
        if c in header:
            pos[c] = header.index(c)
        elif required and c not in OPTIONAL_COLS:
            iss.add(name, 1, c, f"缺少列“{c}”(表头应为:{'、'.join(cols)})")
    out = []
    for r, values in enumerate(rows[1:], start=2):
        if all(_blank(v) for v in values):
            continue
        out.append((r, {c: (values[i] if i < len(values) else None) for c, i in pos.items()}))
    return out


def _kv(rows: list[tuple[int, dict]]) -> dict[str, tuple[int, Any]]:
    return {_text(d.get("参数")): (r, d.get("取值")) for r, d in rows if _text(d.get("参数"))}


def _bool(iss: _Issues, where: Where, v: Any, default: bool) -> bool:
    s = _text(v)
    if not s:
        return default
    if s in YES:
        return True
    if s in NO:
        return False
    iss.add(*where, f"“{s}”应填“是”或“否”")
    return default


def _date(iss: _Issues, where: Where, v: Any) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    s = _text(v).replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    try:
        y, m, d = (int(x) for x in s.split("-"))
        return dt.date(y, m, d)
    except (ValueError, TypeError):
        iss.add(*where, f"日期“{_text(v)}”无法识别,应写成 2026-11-02")
        return None


# ----------------------------------------------------------------- reading
def _unique_name(
    iss: _Issues, sheet: str, row: int, col: str, value: object, seen: dict[str, int], what: str
) -> str | None:
    """The row's name, or None (with the problem recorded) when it is empty or repeats an earlier row."""
    name = _text(value)
    if not name:
        iss.add(sheet, row, col, f"{what}名称不能为空")
        return None
    if name in seen:
        iss.add(sheet, row, col, f"{what}“{name}”与第{seen[name]}行重名")
        return None
    seen[name] = row
    return name


def _type_row(iss: _Issues, r: int, d: dict, type_rows: dict[str, int]) -> ServiceType | None:
    """One row of 业务类型 as a service type (None, with the problem recorded, for a bad name)."""
    w = lambda c: (S_TYPES, r, c)
    tname = _unique_name(iss, S_TYPES, r, "业务名称", d.get("业务名称"), type_rows, "业务")
    if not tname:
        return None
    vols = [
        _value(_num(iss, w(f"{day}到达量"), d.get(f"{day}到达量"), lo=0, default=0.0, what="日均到达人次"))
        for day in WEEKDAYS_CN
    ]
    dist_cn = _text(d.get("办理时长分布")) or "对数正态"
    dist = DIST_FROM_CN.get(dist_cn)
    if dist is None:
        iss.add(S_TYPES, r, "办理时长分布", f"“{dist_cn}”不可用,应为{'、'.join(DIST_CN.values())}")
        dist = "lognormal"
    mean = (
        _num(
            iss,
            w("平均办理时长(分钟)"),
            d.get("平均办理时长(分钟)"),
            lo=0.01,
            default=None if dist != "empirical" else 10.0,
            what="平均办理时长",
        )
        or 10.0
    )
    cv = _value(_num(iss, w("变异系数"), d.get("变异系数"), lo=0, hi=5, default=1.0 if dist == "exponential" else 0.6))
    appt = _value(_num(iss, w("预约比例"), d.get("预约比例"), lo=0, hi=1, default=0.0))
    pat = _num(iss, w("平均耐心(分钟)"), d.get("平均耐心(分钟)"), lo=0.01, default=-1.0)
    shift = _value(_num(iss, w("周末转次日比例"), d.get("周末转次日比例"), lo=0, hi=1, default=0.5))
    no_show = _num(iss, w("过号比例"), d.get("过号比例"), lo=0, hi=1, default=0.0)
    route = split_names(_text(d.get("转办后续业务")).replace("->", "、").replace("→", "、"))
    route_share = _num(iss, w("转办比例"), d.get("转办比例"), lo=0, hi=1, default=0.0)
    if route_share and not route:
        iss.add(S_TYPES, r, "转办后续业务", "填写了转办比例,但没有写转办后续业务(如“税务→缴费”)")
    if tname in route:
        iss.add(S_TYPES, r, "转办后续业务", f"转办后续业务不能包含本业务“{tname}”")
    prio = _num(iss, w("优先比例"), d.get("优先比例"), lo=0, hi=1, default=0.0)
    return ServiceType(
        tname,
        _text(d.get("所属部门")),
        vols,
        dist,
        mean,
        cv,
        [],
        appt,
        None if pat is None or pat < 0 else pat,
        shift,
        no_show=float(no_show or 0.0),
        route=route,
        route_share=float(route_share or 0.0),
        priority_share=float(prio or 0.0),
    )


def _quota_row(iss: _Issues, r: int, d: dict) -> int | None:
    """每时段预约上限 of one 业务类型 row (None: no cap)."""
    quota = _num(iss, (S_TYPES, r, "每时段预约上限"), d.get("每时段预约上限"), lo=0, integer=True, default=-1)
    return None if quota is None or quota < 0 else int(quota)


def _check_routes(iss: _Issues, type_rows: dict[str, int], types: list[ServiceType]) -> None:
    for t in types:
        for x in t.route:
            if x not in type_rows:
                iss.add(S_TYPES, type_rows.get(t.name), "转办后续业务", f"业务“{x}”不在“{S_TYPES}”表中")


def _group_row(
    iss: _Issues, r: int, d: dict, type_rows: dict[str, int], group_rows: dict[str, int]
) -> WindowGroup | None:
    """One row of 窗口组 as a window group (None, with the problem recorded, for a bad name)."""
    w = lambda c: (S_GROUPS, r, c)
    gname = _unique_name(iss, S_GROUPS, r, "窗口组", d.get("窗口组"), group_rows, "窗口组")
    if not gname:
        return None
    served = split_names(d.get("可办业务"))
    if not served:
        iss.add(S_GROUPS, r, "可办业务", "至少填写一项可办业务(多项用“、”分隔)")
    for x in served:
        if x not in type_rows:
            iss.add(S_GROUPS, r, "可办业务", f"业务“{x}”不在“{S_TYPES}”表中")
    regular = _num(iss, w("常设窗口数"), d.get("常设窗口数"), lo=0, integer=True, what="窗口数")
    reserve = _num(iss, w("后备窗口数"), d.get("后备窗口数"), lo=0, integer=True, default=0)
    hours = [_hours(iss, w(f"{day}营业时间"), d.get(f"{day}营业时间")) for day in WEEKDAYS_CN]
    mode_cn = _text(d.get("午休方式")) or "午间闭厅"
    mode = LUNCH_FROM_CN.get(mode_cn)
    if mode is None:
        iss.add(S_GROUPS, r, "午休方式", f"“{mode_cn}”不可用,应为“午间闭厅”或“午间不打烊”")
        mode = "closed"
    ls = _hm(iss, w("午休开始"), d.get("午休开始"), "12:00")
    le = _hm(iss, w("午休结束"), d.get("午休结束"), "13:30")
    if hm_to_min(le) <= hm_to_min(ls):
        iss.add(S_GROUPS, r, "午休结束", "午休结束应晚于午休开始")
    wk = d.get("周末窗口数")
    wkn = None if _blank(wk) else int(_num(iss, w("周末窗口数"), wk, lo=0, integer=True, default=0) or 0)
    lane = _bool(iss, w("爱心窗口"), d.get("爱心窗口"), False)
    return WindowGroup(
        gname,
        served,
        int(regular or 0),
        int(reserve or 0),
        _text(d.get("类别")) or ("综合窗" if len(served) > 1 else "专窗"),
        hours,
        ls,
        le,
        mode,
        wkn,
        lane,
    )


def _check_served(iss: _Issues, type_rows: dict[str, int], groups: list[WindowGroup]) -> None:
    served_all = {t for g in groups for t in g.types}
    for tname, r in type_rows.items():
        if tname not in served_all:
            iss.add(S_TYPES, r, "业务名称", f"业务“{tname}”没有任何窗口组可办理,请在“{S_GROUPS}”表的“可办业务”中加入")


Profile = dict[str, float]


def _read_profiles(
    book: dict[str, Sheet], iss: _Issues, type_rows: dict[str, int]
) -> tuple[Profile, Profile, dict[tuple[str, str], Profile]]:
    """到达曲线: the all-types weekday and weekend profiles and per-type ones."""
    weekday_prof: Profile = {}
    weekend_prof: Profile = {}
    per_type: dict[tuple[str, str], Profile] = {}
    for r, d in _rows(book, S_PROFILE, PROFILE_COLS, iss, required=False):
        tname = _text(d.get("业务名称")) or ALL_TYPES
        if tname != ALL_TYPES and tname not in type_rows:
            iss.add(S_PROFILE, r, "业务名称", f"业务“{tname}”不在“{S_TYPES}”表中(对所有业务填“{ALL_TYPES}”)")
            continue
        kind = DAYKIND.get(_text(d.get("日类型")))
        if kind is None:
            iss.add(S_PROFILE, r, "日类型", f"“{_text(d.get('日类型'))}”应为“工作日”或“周末”")
            continue
        slot = _hm(iss, (S_PROFILE, r, "时段"), d.get("时段"), "")
        if slot and hm_to_min(slot) % 30:
            iss.add(S_PROFILE, r, "时段", f"时段“{slot}”应为整点或半点(每30分钟一个时段)")
            continue
        weight = _num(iss, (S_PROFILE, r, "权重"), d.get("权重"), lo=0, what="权重")
        if not slot or weight is None:
            continue
        if tname == ALL_TYPES:
            (weekday_prof if kind == "weekday" else weekend_prof)[slot] = weight
        else:
            per_type.setdefault((tname, kind), {})[slot] = weight
    return weekday_prof, weekend_prof, per_type


def _attach_samples(
    book: dict[str, Sheet],
    iss: _Issues,
    types: list[ServiceType],
    type_rows: dict[str, int],
    per_type: dict[tuple[str, str], Profile],
) -> None:
    """经验办理时长 and the per-type profiles onto the service types."""
    samples: dict[str, list[float]] = {}
    for r, d in _rows(book, S_SAMPLE, SAMPLE_COLS, iss, required=False):
        tname = _text(d.get("业务名称"))
        if tname not in type_rows:
            iss.add(S_SAMPLE, r, "业务名称", f"业务“{tname}”不在“{S_TYPES}”表中")
            continue
        x = _num(iss, (S_SAMPLE, r, "办理时长(分钟)"), d.get("办理时长(分钟)"), lo=0.01, what="办理时长")
        if x is not None:
            samples.setdefault(tname, []).append(x)
    for t in types:
        t.weekday_profile = per_type.get((t.name, "weekday"))
        t.weekend_profile = per_type.get((t.name, "weekend"))
        t.service_sample = samples.get(t.name, [])
        if t.service_dist == "empirical" and not t.service_sample:
            iss.add(
                S_TYPES,
                type_rows[t.name],
                "办理时长分布",
                f"选了“经验样本”,但“{S_SAMPLE}”表中没有业务“{t.name}”的办理时长",
            )


def _read_policy(book: dict[str, Sheet], iss: _Issues) -> Policy:
    pol = _kv(_rows(book, S_POLICY, KV_COLS, iss, required=False))
    policy = Policy()
    for key, label in POLICY_KEYS:
        if label not in pol:
            continue
        r, v = pol[label]
        if key == "enabled":
            policy.enabled = _bool(iss, (S_POLICY, r, "取值"), v, policy.enabled)
        else:
            setattr(policy, key, _num(iss, (S_POLICY, r, "取值"), v, lo=0, default=getattr(policy, key)))
    if policy.check_every <= 0:
        iss.add(S_POLICY, pol.get("检查间隔(分钟)", (None,))[0], "取值", "检查间隔应大于0")
    return policy


def _cutoff(iss: _Issues, where: Where, v: Any) -> str:
    """周末预约截止 as ``"weekday HH:MM"`` (0 = Monday): 周五 12:00, 星期五12:00 or 4 12:00."""
    s = _text(v).replace("星期", "周").replace("礼拜", "周")
    if not s:
        return ""
    m = re.fullmatch(r"(周[一二三四五六日天]|[0-6])\s*(\d{1,2}:\d{2})", s)
    if m:
        day = m[1]
        wd = int(day) if day.isdigit() else "一二三四五六日".find(day[1].replace("天", "日"))
        try:
            return f"{wd} {min_to_hm(hm_to_min(m[2]))}"
        except (ValueError, IndexError):
            pass
    iss.add(*where, f"“{_text(v)}”无法识别,应写成 周五 12:00(该时刻后不再接受周末预约;不限制则留空)")
    return ""


def _cutoff_text(cutoff: str) -> str:
    """``"4 12:00"`` → ``"周五 12:00"``."""
    wd, _, hm = cutoff.partition(" ")
    return f"周{'一二三四五六日'[int(wd)]} {hm}" if wd.isdigit() and 0 <= int(wd) <= 6 else cutoff


def _read_practice(book: dict[str, Sheet], iss: _Issues, quotas: dict[str, int]) -> Practice:
    return _practice_from_rows(_rows(book, S_PRACTICE, KV_COLS, iss, required=False), iss, quotas)


def _practice_from_rows(rows: list[tuple[int, dict]], iss: _Issues, quotas: dict[str, int]) -> Practice:
    """The 办理规则 sheet's (row number, {参数, 取值}) rows as :class:`Practice`; a parameter left
    out keeps its default, an unknown one is named."""
    kv = _kv(rows)
    known = {label for _key, label in PRACTICE_KEYS}
    for name, (r, _v) in kv.items():
        if name not in known:
            iss.add(S_PRACTICE, r, "参数", f"“{name}”不是办理规则参数(可选:{'、'.join(sorted(known))})")
    p = Practice(appointment_quota=dict(quotas))
    for key, label in PRACTICE_KEYS:
        if label not in kv:
            continue
        r, v = kv[label]
        where = (S_PRACTICE, r, "取值")
        if key == "no_show_policy":
            p.no_show_policy = NO_SHOW_FROM_CN.get(_text(v), "") or p.no_show_policy
            if _text(v) and _text(v) not in NO_SHOW_FROM_CN:
                iss.add(*where, f"“{_text(v)}”应为“作废”或“顺延”")
        elif key == "priority_mode":
            p.priority_mode = PRIORITY_FROM_CN.get(_text(v), "") or p.priority_mode
            if _text(v) and _text(v) not in PRIORITY_FROM_CN:
                iss.add(*where, f"“{_text(v)}”应为“优先叫号”或“爱心窗口专办”")
        elif key == "weekend_cutoff":
            p.weekend_cutoff = _cutoff(iss, where, v)
        elif key == "weekend_appointment_only":
            p.weekend_appointment_only = _bool(iss, where, v, False)
        elif key == "keep_calls":
            p.keep_calls = int(_num(iss, where, v, lo=0, hi=100, integer=True, default=p.keep_calls) or 0)
        elif key == "booking_lead_days":
            p.booking_lead_days = float(_num(iss, where, v, lo=0.01, default=p.booking_lead_days) or 0)
        else:
            p.recall_minutes = float(_num(iss, where, v, lo=0, hi=60, default=p.recall_minutes) or 0)
    return p


def _read_calendar(book: dict[str, Sheet], iss: _Issues) -> CalendarSpec:
    cal = _kv(_rows(book, S_CAL, KV_COLS, iss, required=False))
    spec = CalendarSpec()
    if "开始日期" in cal:
        r, v = cal["开始日期"]
        spec.start = _date(iss, (S_CAL, r, "取值"), v) or spec.start
    if "天数" in cal:
        r, v = cal["天数"]
        spec.days = int(_value(_num(iss, (S_CAL, r, "取值"), v, lo=1, hi=3660, integer=True, default=7)))
    if "使用法定节假日" in cal:
        r, v = cal["使用法定节假日"]
        spec.use_official = _bool(iss, (S_CAL, r, "取值"), v, True)
    for r, d in _rows(book, S_CALADJ, CALADJ_COLS, iss, required=False):
        day = _date(iss, (S_CALADJ, r, "日期"), d.get("日期"))
        kind = CALKIND.get(_text(d.get("类型")))
        if kind is None:
            iss.add(S_CALADJ, r, "类型", f"“{_text(d.get('类型'))}”应为“放假”或“调休上班”")
        if day and kind:
            spec.overrides.append(DayOverride(day, kind, _text(d.get("说明"))))
    return spec


def read_xlsx(path: str | Path, display_name: str | None = None) -> Scenario:
    """A scenario from a workbook; raises :class:`ScenarioInvalid` listing every problem."""
    name = display_name or Path(path).name
    book = _open_book(path, name)
    iss = _Issues()
    info = _kv(_rows(book, S_INFO, KV_COLS, iss, required=False))
    type_rows: dict[str, int] = {}
    types: list[ServiceType] = []
    quotas: dict[str, int] = {}
    for r, d in _rows(book, S_TYPES, TYPE_COLS, iss):
        if (t := _type_row(iss, r, d, type_rows)) is not None:
            types.append(t)
            if (q := _quota_row(iss, r, d)) is not None:
                quotas[t.name] = q
    _check_routes(iss, type_rows, types)
    group_rows: dict[str, int] = {}
    groups = [
        g for r, d in _rows(book, S_GROUPS, GROUP_COLS, iss) if (g := _group_row(iss, r, d, type_rows, group_rows))
    ]
    _check_served(iss, type_rows, groups)
    weekday_prof, weekend_prof, per_type = _read_profiles(book, iss, type_rows)
    _attach_samples(book, iss, types, type_rows, per_type)
    policy = _read_policy(book, iss)
    spec = _read_calendar(book, iss)
    practice = _read_practice(book, iss, quotas)
    if iss.items:
        raise ScenarioInvalid(name, iss.items)
    sname = _text(info.get("场景名称", (0, ""))[1]) or Path(name).stem
    return Scenario(
        sname,
        types,
        groups,
        policy,
        spec,
        weekday_prof,
        weekend_prof,
        _text(info.get("说明", (0, ""))[1]),
        practice,
    )


# ----------------------------------------------------------------- tables (the dashboard's editor)
def _type_cells(t: ServiceType, quota: int | None = None) -> list[Any]:
    return [
        t.name,
        t.department,
        *t.daily_volume,
        DIST_CN[t.service_dist],
        t.service_mean,
        t.service_cv,
        t.appointment_share,
        t.patience_mean if t.patience_mean else None,
        t.weekend_shift,
        t.no_show,
        "→".join(t.route),
        t.route_share,
        t.priority_share,
        quota,
    ]


def _group_cells(g: WindowGroup) -> list[Any]:
    return [
        g.name,
        g.kind,
        "、".join(g.types),
        g.regular,
        g.reserve,
        *[h or "休" for h in g.hours],
        g.lunch_start,
        g.lunch_end,
        LUNCH_CN[g.lunch_mode],
        g.weekend_windows,
        "是" if g.priority_lane else "否",
    ]


def types_table(s: Scenario) -> list[dict[str, Any]]:
    """The 业务类型 sheet as rows keyed by the workbook's column names (:data:`TYPE_COLS`).

    Parameters
    ----------
    s : Scenario
        The scenario.

    Returns
    -------
    list of dict
        One row per service type, in order.

    Examples
    --------
    >>> from sim.sample_hall import sample_scenario
    >>> types_table(sample_scenario())[0]["业务名称"]
    '不动产登记'
    """
    quota = s.practice.appointment_quota
    return [dict(zip(TYPE_COLS, _type_cells(t, quota.get(t.name)), strict=True)) for t in s.types]


def groups_table(s: Scenario) -> list[dict[str, Any]]:
    """The 窗口组 sheet as rows keyed by the workbook's column names (:data:`GROUP_COLS`).

    Parameters
    ----------
    s : Scenario
        The scenario.

    Returns
    -------
    list of dict
        One row per window group, in order.

    Examples
    --------
    >>> from sim.sample_hall import sample_scenario
    >>> row = groups_table(sample_scenario())[0]
    >>> row["窗口组"], row["常设窗口数"] == sample_scenario().groups[0].regular
    ('不动产登记', True)
    """
    return [dict(zip(GROUP_COLS, _group_cells(g), strict=True)) for g in s.groups]


def practice_table(s: Scenario) -> list[dict[str, Any]]:
    """The 办理规则 sheet as rows ``{"参数": …, "取值": …}`` (:data:`PRACTICE_KEYS` order, workbook values).

    Parameters
    ----------
    s : Scenario
        The scenario whose :class:`~sim.scenario.Practice` is shown.

    Returns
    -------
    list of dict
        One row per rule, with the Chinese parameter name and the value as the workbook writes it
        (e.g. 过号处理 作废, 周末仅预约 是/否).

    Examples
    --------
    >>> from sim.sample_hall import sample_scenario
    >>> [r["取值"] for r in practice_table(sample_scenario())][:2]
    [1.0, '作废']
    """
    pr = s.practice
    values: dict[str, Any] = {
        "recall_minutes": pr.recall_minutes,
        "no_show_policy": NO_SHOW_CN.get(pr.no_show_policy, pr.no_show_policy),
        "keep_calls": pr.keep_calls,
        "priority_mode": PRIORITY_CN.get(pr.priority_mode, pr.priority_mode),
        "booking_lead_days": pr.booking_lead_days,
        "weekend_cutoff": _cutoff_text(pr.weekend_cutoff),
        "weekend_appointment_only": "是" if pr.weekend_appointment_only else "否",
    }
    return [{"参数": label, "取值": values[key]} for key, label in PRACTICE_KEYS]


def scenario_from_tables(
    base: Scenario,
    types: list[dict[str, Any]],
    groups: list[dict[str, Any]],
    name: str = "编辑后的场景",
    practice: list[dict[str, Any]] | None = None,
) -> Scenario:
    """``base`` with its types and window groups replaced by edited table rows, checked as the workbook is.

    Rows use the workbook's column names; a column a row lacks keeps the value ``base`` has for
    the same name (the weekday/weekend profiles and empirical samples of a type always come
    from ``base``); rows with every cell blank are ignored.  Raises :class:`ScenarioInvalid`
    listing every problem (row numbers as in the workbook: the first row below the header is 2).

    Parameters
    ----------
    base : Scenario
        The scenario being edited; not changed.
    types : list of dict
        业务类型 rows (as :func:`types_table` gives them).
    groups : list of dict
        窗口组 rows (as :func:`groups_table` gives them).
    name : str, default "编辑后的场景"
        Name of the result, also the file name in error messages.
    practice : list of dict or None, default None
        办理规则 rows (as :func:`practice_table` gives them); None keeps ``base``'s rules.

    Returns
    -------
    Scenario
        The edited scenario.

    Raises
    ------
    ScenarioInvalid
        Listing every bad cell with sheet (业务类型/窗口组), row and column, in Chinese.

    Examples
    --------
    >>> from sim.sample_hall import sample_scenario
    >>> s = sample_scenario()
    >>> rows = groups_table(s); rows[0]["常设窗口数"] += 1
    >>> scenario_from_tables(s, types_table(s), rows).groups[0].regular == s.groups[0].regular + 1
    True
    """
    iss = _Issues()
    old_types = {r["业务名称"]: r for r in types_table(base)}
    old_groups = {r["窗口组"]: r for r in groups_table(base)}
    type_rows: dict[str, int] = {}
    new_types: list[ServiceType] = []
    quotas: dict[str, int] = {}
    for r, row in enumerate(types, start=2):
        if all(_blank(v) for v in row.values()):
            continue
        full = {**old_types.get(_text(row.get("业务名称")), {}), **row}
        t = _type_row(iss, r, full, type_rows)
        if t is not None:
            new_types.append(t)
            if (q := _quota_row(iss, r, full)) is not None:
                quotas[t.name] = q
    _check_routes(iss, type_rows, new_types)
    group_rows: dict[str, int] = {}
    new_groups: list[WindowGroup] = []
    for r, row in enumerate(groups, start=2):
        if all(_blank(v) for v in row.values()):
            continue
        full = {**old_groups.get(_text(row.get("窗口组")), {}), **row}
        g = _group_row(iss, r, full, type_rows, group_rows)
        if g is not None:
            new_groups.append(g)
    _check_served(iss, type_rows, new_groups)
    rules = None
    if practice is not None:
        rows = [(r, row) for r, row in enumerate(practice, start=2) if not all(_blank(v) for v in row.values())]
        rules = _practice_from_rows(rows, iss, quotas)
    if iss.items:
        raise ScenarioInvalid(name, iss.items)
    by_name = {t.name: t for t in base.types}
    for t in new_types:
        if t.name in by_name:
            old = by_name[t.name]
            t.weekday_profile, t.weekend_profile = old.weekday_profile, old.weekend_profile
            t.service_sample = list(old.service_sample)
    out = base.copy()
    out.types, out.groups = new_types, new_groups
    if rules is not None:
        out.practice = rules
    out.practice.appointment_quota = quotas
    return out


def _json_problem(err: Exception) -> str:
    """A Chinese description of why JSON is not a scenario (what to fix, not the exception class)."""
    if isinstance(err, json.JSONDecodeError):
        return f"不是有效的 JSON(第{err.lineno}行第{err.colno}列附近格式错误),请检查括号、引号和逗号"
    missing = re.findall(r"'(\w+)'", str(err)) if "required" in str(err) else []
    if isinstance(err, KeyError) or missing:
        name = err.args[0] if isinstance(err, KeyError) else "、".join(missing)
        return f"JSON 中缺少必填项“{name}”,请对照示例场景(data/hall/sample-hall.json)补上"
    return "JSON 的结构与场景格式不符,请从看板或 python -m sim 导出的场景文件改起"


def read_json(path: str | Path, display_name: str | None = None) -> Scenario:
    """A scenario from JSON (``Scenario.to_dict`` layout), checked like a workbook."""
    name = display_name or Path(path).name
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        scenario = Scenario.from_dict(data)
    except (ValueError, TypeError, KeyError, AttributeError) as err:
        raise ScenarioInvalid(name, [("", None, None, _json_problem(err))]) from err
    issues = validate(scenario)
    if issues:
        raise ScenarioInvalid(name, issues)
    return scenario


def validate(s: Scenario) -> list[tuple[str, int | None, str | None, str]]:
    """Semantic checks of a scenario built in code or JSON (rows = item number + 1, as in the workbook).

    Parameters
    ----------
    s : Scenario
        The scenario to check.

    Returns
    -------
    list of tuple
        ``(sheet, row, column, Chinese message)`` per problem; empty when the scenario is sound.

    Examples
    --------
    >>> from sim.sample_hall import sample_scenario
    >>> validate(sample_scenario())
    []
    >>> s = sample_scenario(); s.groups[0].types.append("无此业务")
    >>> validate(s)
    [('窗口组', 2, '可办业务', '业务“无此业务”不在“业务类型”中')]
    """
    iss = _Issues()
    names = [t.name for t in s.types]
    for i, t in enumerate(s.types, start=2):
        if len(t.daily_volume) != 7 or any(v < 0 for v in t.daily_volume):
            iss.add(S_TYPES, i, "周一到达量", "应有周一至周日7个不小于0的到达量")
        if t.service_dist not in SERVICE_DISTS:
            iss.add(S_TYPES, i, "办理时长分布", f"“{t.service_dist}”不可用")
        if t.service_mean <= 0:
            iss.add(S_TYPES, i, "平均办理时长(分钟)", "应大于0")
        if not 0 <= t.appointment_share <= 1:
            iss.add(S_TYPES, i, "预约比例", "应在0~1之间")
        if t.service_dist == "empirical" and not t.service_sample:
            iss.add(S_TYPES, i, "办理时长分布", "经验样本为空")
        if names.count(t.name) > 1:
            iss.add(S_TYPES, i, "业务名称", f"业务“{t.name}”重名")
        for label, share in (("过号比例", t.no_show), ("转办比例", t.route_share), ("优先比例", t.priority_share)):
            if not 0 <= share <= 1:
                iss.add(S_TYPES, i, label, "应在0~1之间")
        for step in t.route:
            if step not in names or step == t.name:
                iss.add(S_TYPES, i, "转办后续业务", f"业务“{step}”不在“{S_TYPES}”中或就是本业务")
    for i, g in enumerate(s.groups, start=2):
        for x in g.types:
            if x not in names:
                iss.add(S_GROUPS, i, "可办业务", f"业务“{x}”不在“{S_TYPES}”中")
        if g.regular < 0 or g.reserve < 0:
            iss.add(S_GROUPS, i, "常设窗口数", "窗口数不能为负")
        if g.lunch_mode not in LUNCH_MODES:
            iss.add(S_GROUPS, i, "午休方式", f"“{g.lunch_mode}”不可用")
        if len(g.hours) != 7:
            iss.add(S_GROUPS, i, "周一营业时间", "应有周一至周日7个营业时间")
        for d, h in zip(WEEKDAYS_CN, g.hours):
            try:
                parse_hours(h)
            except (ValueError, IndexError):
                iss.add(S_GROUPS, i, f"{d}营业时间", f"营业时间“{h}”无法识别")
    served = {t for g in s.groups for t in g.types}
    for i, t in enumerate(s.types, start=2):
        if t.name not in served:
            iss.add(S_TYPES, i, "业务名称", f"业务“{t.name}”没有任何窗口组可办理")
    return iss.items


def load_scenario(path: str | Path, display_name: str | None = None) -> Scenario:
    """xlsx or JSON by extension.

    Parameters
    ----------
    path : str or Path
        A ``.json`` file, or a workbook (any other extension).
    display_name : str or None, default None
        The name used in error messages (default: the path).

    Returns
    -------
    Scenario
        The scenario read.

    Raises
    ------
    ScenarioInvalid
        When the file does not exist (文件不存在), is not a readable workbook or JSON, or has bad
        cells (each named by sheet, row and column, in Chinese).

    Examples
    --------
    >>> load_scenario("data/hall/sample-hall.json").groups[0].name
    '不动产登记'
    >>> load_scenario("no/such.xlsx", display_name="大厅.xlsx")
    Traceback (most recent call last):
    ...
    sim.scenario_io.ScenarioInvalid: 大厅.xlsx: 文件不存在
    """
    p = Path(path)
    if not p.exists():
        raise ScenarioInvalid(display_name or str(path), [("", None, None, "文件不存在")])
    if p.suffix.lower() == ".json":
        return read_json(p, display_name)
    return read_xlsx(p, display_name)


def scenario_from_bytes(name: str, data: bytes) -> Scenario:
    """An uploaded file's content as a scenario (xlsx or JSON by the extension of ``name``).

    Errors name the file as the user called it, not a temporary path.

    Parameters
    ----------
    name : str
        The uploaded file's name (its extension picks the reader).
    data : bytes
        The file's content.

    Returns
    -------
    Scenario
        The scenario read.

    Raises
    ------
    ScenarioInvalid
        As :func:`load_scenario`, naming the file ``name``.

    Examples
    --------
    >>> import json
    >>> from sim.sample_hall import sample_scenario
    >>> raw = json.dumps(sample_scenario().to_dict(), ensure_ascii=False, default=str).encode()
    >>> scenario_from_bytes("上传/hall.json", raw).group("社会服务").types
    ['交通农林水', '民政教育', '房管财政']
    """
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / Path(name).name
        p.write_bytes(data)
        return load_scenario(p, display_name=name)


# ----------------------------------------------------------------- writing
HEAD_FONT = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


def _sheet(
    wb: Workbook,
    title: str,
    cols: list[str],
    rows: list[list[Any]],
    widths: dict[int, int] | None = None,
    validations: list[tuple[str, str]] | None = None,
) -> None:
    ws = wb.create_sheet(title)
    ws.append(cols)
    for c in ws[1]:
        c.font, c.fill = HEAD_FONT, HEAD_FILL
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r in rows:
        ws.append(r)
    for i, col in enumerate(cols, start=1):
        letter = ws.cell(1, i).column_letter
        ws.column_dimensions[letter].width = (widths or {}).get(i, max(10, min(40, 2 * len(col) + 2)))
    ws.freeze_panes = "A2"
    for rng, formula in validations or []:
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
        ws.add_data_validation(dv)
        dv.add(rng)


def write_xlsx(s: Scenario, path: str | Path) -> None:
    """Write a workbook :func:`read_xlsx` reads back to an equal scenario.

    Parameters
    ----------
    s : Scenario
        The scenario to write.
    path : str or Path
        The workbook to create (overwritten when it exists).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from sim.sample_hall import sample_scenario
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d) / "hall.xlsx"
    ...     write_xlsx(sample_scenario(), p)
    ...     load_scenario(p).groups == sample_scenario().groups
    True
    """
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(
        wb,
        S_INFO,
        KV_COLS,
        [
            ["场景名称", s.name],
            ["说明", s.description],
            [
                "填写提示",
                "时间单位为分钟;营业时间写成 08:30-17:30,不开放填“休”;"
                "到达量为该星期几的日均取号人次(周末为开放时的需求)。",
            ],
        ],
        widths={1: 14, 2: 90},
    )
    _sheet(
        wb,
        S_TYPES,
        TYPE_COLS,
        [_type_cells(t, s.practice.appointment_quota.get(t.name)) for t in s.types],
        widths={1: 20, 2: 30},
        validations=[("J2:J500", '"对数正态,指数,经验样本"')],
    )
    _sheet(
        wb,
        S_GROUPS,
        GROUP_COLS,
        [_group_cells(g) for g in s.groups],
        widths={1: 18, 3: 40},
        validations=[("O2:O200", '"午间闭厅,午间不打烊"'), ("B2:B200", '"专窗,综合窗"'), ("Q2:Q200", '"是,否"')],
    )
    prof_rows = [[ALL_TYPES, "工作日", k, v] for k, v in s.weekday_profile.items()]
    prof_rows += [[ALL_TYPES, "周末", k, v] for k, v in s.weekend_profile.items()]
    for t in s.types:
        prof_rows += [[t.name, "工作日", k, v] for k, v in (t.weekday_profile or {}).items()]
        prof_rows += [[t.name, "周末", k, v] for k, v in (t.weekend_profile or {}).items()]
    _sheet(wb, S_PROFILE, PROFILE_COLS, prof_rows, widths={1: 20}, validations=[("B2:B5000", '"工作日,周末"')])
    _sheet(wb, S_SAMPLE, SAMPLE_COLS, [[t.name, x] for t in s.types for x in t.service_sample], widths={1: 20})
    p = s.policy
    _sheet(
        wb,
        S_POLICY,
        KV_COLS,
        [[label, ("是" if p.enabled else "否") if key == "enabled" else getattr(p, key)] for key, label in POLICY_KEYS],
        widths={1: 22},
    )
    _sheet(
        wb,
        S_CAL,
        KV_COLS,
        [
            ["开始日期", s.calendar.start],
            ["天数", s.calendar.days],
            ["使用法定节假日", "是" if s.calendar.use_official else "否"],
        ],
        widths={1: 18, 2: 14},
    )
    _sheet(
        wb,
        S_CALADJ,
        CALADJ_COLS,
        [[o.date, CALKIND_CN.get(o.kind, o.kind), o.note] for o in s.calendar.overrides],
        widths={1: 14, 3: 30},
        validations=[("B2:B500", '"放假,调休上班"')],
    )
    _sheet(
        wb,
        S_PRACTICE,
        KV_COLS,
        [[r["参数"], r["取值"]] for r in practice_table(s)],
        widths={1: 22, 2: 16},
        validations=[("B3", '"作废,顺延"'), ("B5", '"优先叫号,爱心窗口专办"'), ("B8", '"是,否"')],
    )
    for ws in (wb[S_CAL], wb[S_CALADJ]):
        for row in ws.iter_rows(min_row=2):
            for c in row:
                if isinstance(c.value, dt.date):
                    c.number_format = "yyyy-mm-dd"
    save_workbook(wb, path)


def write_json(s: Scenario, path: str | Path) -> None:
    Path(path).write_text(json.dumps(s.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")


def save_scenario(s: Scenario, path: str | Path) -> None:
    """xlsx or JSON by extension."""
    (write_json if str(path).lower().endswith(".json") else write_xlsx)(s, path)
