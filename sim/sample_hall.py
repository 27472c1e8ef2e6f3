"""The bundled illustrative county hall (示例数据), and the variants planners compare.

The comprehensive groups follow the 2018 Dunhuang one-window plan (市场监管服务,
投资项目审批服务, 社会服务, 其他综合服务 and the departments listed under each);
the dedicated windows are the high-frequency ones the reform plans name. Volumes,
service times and window counts are made up but plausible for a county hall:
about 1,700 visits on a mid-week day, a Monday peak and a morning peak.
``data/hall/sample-hall.{xlsx,json}`` are written from :func:`sample_scenario`.

>>> s = sample_scenario()
>>> len(s.groups), sum(t.daily_volume[1] for t in s.types) > 1500
(12, True)
"""

from __future__ import annotations

import datetime as dt
import math

from .scenario import CalendarSpec, Policy, Scenario, ServiceType, WindowGroup

WEEKDAY_PROFILE = {
    "08:30": 0.9,
    "09:00": 1.4,
    "09:30": 1.6,
    "10:00": 1.6,
    "10:30": 1.4,
    "11:00": 1.1,
    "11:30": 0.7,
    "12:00": 0.3,
    "12:30": 0.3,
    "13:00": 0.4,
    "13:30": 0.8,
    "14:00": 1.0,
    "14:30": 1.1,
    "15:00": 1.0,
    "15:30": 0.9,
    "16:00": 0.8,
    "16:30": 0.6,
    "17:00": 0.3,
}
WEEKEND_PROFILE = {
    "09:00": 1.0,
    "09:30": 1.3,
    "10:00": 1.4,
    "10:30": 1.3,
    "11:00": 1.0,
    "11:30": 0.7,
    "12:00": 0.4,
    "12:30": 0.4,
    "13:00": 0.5,
    "13:30": 0.8,
    "14:00": 1.0,
    "14:30": 1.0,
    "15:00": 0.9,
    "15:30": 0.8,
    "16:00": 0.6,
    "16:30": 0.4,
}
WEEKDAY_HOURS = "08:30-17:30"
WEEKEND_HOURS = "09:00-17:00"

# name, department, mid-week volume, service mean, CV, appointment share, weekend rota (1 = yes)
DEDICATED = [
    ("不动产登记", "自然资源局(不动产登记中心)", 200, 15.0, 0.7, 0.2, 1),
    ("住房公积金", "住房公积金管理中心", 120, 10.0, 0.6, 0.0, 1),
    ("社保医保", "人社局、医保局", 300, 8.0, 0.8, 0.0, 1),
    ("婚姻登记", "民政局", 50, 15.0, 0.4, 0.4, 0),
    ("户籍", "公安局(户政)", 200, 7.0, 0.6, 0.0, 1),
    ("出入境", "公安局(出入境)", 90, 9.0, 0.5, 0.3, 1),
    ("交警", "公安局(交警大队)", 150, 9.0, 0.7, 0.0, 1),
    ("水电气", "供水公司、供电公司、燃气公司", 130, 6.0, 0.6, 0.0, 0),
]
# comprehensive group → its types (name, departments from the 2018 seed, volume, mean, CV)
COMPREHENSIVE = {
    "市场监管服务": [
        ("食品药品与工信许可", "食药监局、工信局", 60, 20.0, 0.6),
        ("文旅卫健许可", "文广局、旅游局、卫计局", 50, 18.0, 0.6),
        ("环保安监执法", "环保局、安监局、执法局、民宗局", 35, 20.0, 0.6),
    ],
    "投资项目审批服务": [
        ("立项与专项审批", "发改局、科技(地震)局、气象局", 25, 30.0, 0.7),
        ("用地规划建设审批", "国土局、住建局(人防办)、规划局、消防大队", 35, 25.0, 0.7),
    ],
    "社会服务": [
        ("交通农林水", "交通局、林业局、水务局、农牧局", 50, 12.0, 0.6),
        ("民政教育", "民政局、教育局", 60, 10.0, 0.6),
        ("房管财政", "房管局、财政局", 40, 12.0, 0.6),
    ],
    "其他综合服务": [
        ("档案残联", "档案局、残联", 30, 8.0, 0.5),
    ],
}
MONDAY, FRIDAY = 1.25, 0.95


def _volumes(mid: float, rota: bool) -> list[float]:
    sat, sun = (0.5, 0.3) if rota else (0.3, 0.2)
    return [round(mid * f, 1) for f in (MONDAY, 1.0, 1.0, 1.0, FRIDAY, sat, sun)]


def _windows(volume: float, mean: float) -> int:
    """Regular windows: 1.2 × the average load (erlangs) over a 7.5-hour day."""
    load = volume * mean / 450.0
    return max(1, math.ceil(load * 1.2))


def _weekend_windows(volume: float, mean: float) -> int:
    """Saturday rota size: 1.25 × Saturday's average load over 8 hours."""
    return max(1, math.ceil(volume * 0.5 * mean / 480.0 * 1.25))


def sample_scenario() -> Scenario:
    """The illustrative county hall (示例数据): dedicated windows, comprehensive windows and a weekend rota.

    Returns
    -------
    Scenario
        A fresh copy each call (callers may change it).

    Examples
    --------
    >>> s = sample_scenario()
    >>> s.calendar.days, s.group("户籍").kind
    (7, '专窗')
    """
    types: list[ServiceType] = []
    groups: list[WindowGroup] = []
    for name, dept, vol, mean, cv, appt, rota in DEDICATED:
        types.append(
            ServiceType(
                name, dept, _volumes(vol, bool(rota)), "lognormal", mean, cv, appointment_share=appt, weekend_shift=0.6
            )
        )
        hours = [WEEKDAY_HOURS] * 5 + ([WEEKEND_HOURS] * 2 if rota else ["", ""])
        staggered = name in ("社保医保", "不动产登记")
        n = _windows(vol * MONDAY * 0.9, mean)
        groups.append(
            WindowGroup(
                name,
                [name],
                regular=n,
                reserve=max(1, n // 3),
                kind="专窗",
                hours=hours,
                lunch_mode="staggered" if staggered else "closed",
                weekend_windows=_weekend_windows(vol, mean) if rota else None,
            )
        )
    for gname, items in COMPREHENSIVE.items():
        load = 0.0
        for name, dept, vol, mean, cv in items:
            types.append(ServiceType(name, dept, _volumes(vol, False), "lognormal", mean, cv, weekend_shift=0.6))
            load += vol * MONDAY * 0.9 * mean
        n = max(1, math.ceil(load / 450.0 * 1.2))
        groups.append(
            WindowGroup(
                gname,
                [i[0] for i in items],
                regular=n,
                reserve=max(1, n // 3),
                kind="综合窗",
                hours=[WEEKDAY_HOURS] * 5 + ["", ""],
            )
        )
    return Scenario(
        name="示例县政务服务中心(示例数据)",
        description="示例数据:县级政务服务中心,数值为演示用的假设值,不代表任何真实大厅。"
        "综合窗口分类取自2018年敦煌市“一窗受理”改革方案。",
        types=types,
        groups=groups,
        policy=Policy(
            enabled=True,
            open_per_window=3.0,
            open_longest_wait=30.0,
            switch_delay=10.0,
            close_idle=20.0,
            check_every=5.0,
            target_wait=15.0,
        ),
        calendar=CalendarSpec(start=dt.date(2026, 11, 2), days=7),
        weekday_profile=dict(WEEKDAY_PROFILE),
        weekend_profile=dict(WEEKEND_PROFILE),
    )


def pooled_variant(scenario: Scenario, groups: list[str], name: str = "综合窗口") -> Scenario:
    """Merge dedicated groups into one comprehensive group with the same staff (一窗受理).

    Parameters
    ----------
    scenario : Scenario
        The hall; not changed.
    groups : list of str
        Names of the groups to merge.
    name : str, default "综合窗口"
        Name of the merged group.

    Returns
    -------
    Scenario
        A copy with the merged group last, its windows the sum of the merged groups'.

    Examples
    --------
    >>> s = pooled_variant(sample_scenario(), ["户籍", "出入境"], name="公安综合窗")
    >>> g = s.group("公安综合窗")
    >>> g.types, g.regular == sum(sample_scenario().group(n).regular for n in ("户籍", "出入境"))
    (['户籍', '出入境'], True)
    """
    s = scenario.copy()
    chosen = [g for g in s.groups if g.name in groups]
    merged = WindowGroup(
        name,
        [t for g in chosen for t in g.types],
        regular=sum(g.regular for g in chosen),
        reserve=sum(g.reserve for g in chosen),
        kind="综合窗",
        hours=list(chosen[0].hours),
        lunch_start=chosen[0].lunch_start,
        lunch_end=chosen[0].lunch_end,
        lunch_mode=chosen[0].lunch_mode,
        weekend_windows=(sum(g.weekend_windows or 0 for g in chosen) or None),
    )
    s.groups = [g for g in s.groups if g.name not in groups] + [merged]
    s.name = f"{scenario.name}-合并{name}"
    return s


def weekend_rota_variant(scenario: Scenario, on: bool) -> Scenario:
    """Weekend rota on (rota groups open Sat/Sun) or off (closed; demand shifts to Monday).

    Parameters
    ----------
    scenario : Scenario
        The hall; not changed.
    on : bool
        Keep the weekend hours (True) or close every group on Saturday and Sunday (False).

    Returns
    -------
    Scenario
        A copy, its name marked 周末轮班开/关.

    Examples
    --------
    >>> s = weekend_rota_variant(sample_scenario(), on=False)
    >>> any(g.hours[5] or g.hours[6] for g in s.groups), s.name.endswith("周末轮班关")
    (False, True)
    """
    s = scenario.copy()
    for g in s.groups:
        if not on:
            g.hours = list(g.hours[:5]) + ["", ""]
    s.name = f"{scenario.name}-周末轮班{'开' if on else '关'}"
    return s


def policy_variant(scenario: Scenario, on: bool) -> Scenario:
    """Dynamic window adjustment (动态调整) on or off.

    Parameters
    ----------
    scenario : Scenario
        The hall; not changed.
    on : bool
        Whether the controller opens and closes reserve windows.

    Returns
    -------
    Scenario
        A copy, its name marked 动态调整开/关.

    Examples
    --------
    >>> policy_variant(sample_scenario(), on=False).policy.enabled
    False
    """
    s = scenario.copy()
    s.policy.enabled = on
    s.name = f"{scenario.name}-动态调整{'开' if on else '关'}"
    return s
