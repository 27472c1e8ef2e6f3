"""Parts of the 窗口仿真 page: scenario tables for editing, and the charts of a run.

The scenario ↔ table mapping (lunch-mode words and 可办业务 splitting are the workbook's,
:mod:`sim.scenario_io`) and the Chinese framing of two views of the
per-customer log (computed by :mod:`sim.results`) are presentation only.
"""
from __future__ import annotations

import hashlib
import json

import altair as alt
import numpy as np
import pandas as pd

from sim import (
    LUNCH_CN,
    LUNCH_FROM_CN,
    WEEKDAYS_CN,
    Scenario,
    ServiceType,
    WindowGroup,
    queue_length,
    split_names,
    weekday_slot_table,
)

TYPE_COLS = ["业务名称", "部门", *WEEKDAYS_CN, "平均办理时长(分钟)", "办理时长变异系数", "预约比例"]
GROUP_COLS = ["窗口组", "类型", "可办业务", "常设窗口", "备用窗口", "周末窗口", "工作日时间", "周六时间",
              "周日时间", "午休方式"]


def scenario_key(s: Scenario) -> str:
    """A short hash of the whole scenario (cache key for runs)."""
    return hashlib.sha256(json.dumps(s.to_dict(), sort_keys=True, ensure_ascii=False, default=str)
                          .encode()).hexdigest()[:16]


def types_frame(s: Scenario) -> pd.DataFrame:
    return pd.DataFrame([[t.name, t.department, *[float(v) for v in t.daily_volume], float(t.service_mean),
                          float(t.service_cv), float(t.appointment_share)] for t in s.types], columns=TYPE_COLS)


def groups_frame(s: Scenario) -> pd.DataFrame:
    return pd.DataFrame([[g.name, g.kind, "、".join(g.types), int(g.regular), int(g.reserve),
                          None if g.weekend_windows is None else int(g.weekend_windows),
                          g.hours[0], g.hours[5], g.hours[6], LUNCH_CN.get(g.lunch_mode, g.lunch_mode)]
                         for g in s.groups], columns=GROUP_COLS)


def _text(v) -> str:
    return "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip()


def scenario_from_frames(base: Scenario, types: pd.DataFrame, groups: pd.DataFrame) -> Scenario:
    """``base`` with its types and window groups replaced by the edited tables (other fields kept)."""
    s = base.copy()
    old_types = {t.name: t for t in base.types}
    new_types = []
    for r in types.to_dict("records"):
        name = _text(r["业务名称"])
        if not name:
            continue
        t = ServiceType(**{**old_types[name].__dict__}) if name in old_types else ServiceType(name)
        t.department = _text(r["部门"])
        t.daily_volume = [float(r[d] or 0) for d in WEEKDAYS_CN]
        t.service_mean = float(r["平均办理时长(分钟)"] or 0)
        t.service_cv = float(r["办理时长变异系数"] or 0)
        t.appointment_share = float(r["预约比例"] or 0)
        new_types.append(t)
    old_groups = {g.name: g for g in base.groups}
    new_groups = []
    for r in groups.to_dict("records"):
        name = _text(r["窗口组"])
        if not name:
            continue
        g = WindowGroup(**{**old_groups[name].__dict__}) if name in old_groups else WindowGroup(name, [])
        g.kind = _text(r["类型"]) or "专窗"
        g.types = split_names(r["可办业务"])
        g.regular = int(r["常设窗口"] or 0)
        g.reserve = int(r["备用窗口"] or 0)
        ww = r["周末窗口"]
        g.weekend_windows = None if ww is None or (isinstance(ww, float) and np.isnan(ww)) else int(ww)
        g.hours = [_text(r["工作日时间"])] * 5 + [_text(r["周六时间"]), _text(r["周日时间"])]
        g.lunch_mode = LUNCH_FROM_CN.get(_text(r["午休方式"]), _text(r["午休方式"]))
        new_groups.append(g)
    s.types, s.groups = new_types, new_groups
    return s


def wait_by_weekday_slot(log: pd.DataFrame, target: float = 15.0) -> pd.DataFrame:
    """:func:`sim.results.weekday_slot_table` with the Chinese column names the heat-map shows."""
    t = weekday_slot_table(log, target)
    if t.empty:
        return pd.DataFrame(columns=["星期", "时段", "平均等候(分钟)", "人次"])
    return t.rename(columns={"weekday_cn": "星期", "slot_start": "时段", "mean_wait": "平均等候(分钟)",
                             "customers": "人次"})[["星期", "时段", "平均等候(分钟)", "人次"]]


def queue_frame(log: pd.DataFrame, step: float = 5.0) -> pd.DataFrame:
    """:func:`sim.results.queue_length` with Chinese column names (日 counts from 1)."""
    q = queue_length(log, step)
    return pd.DataFrame({"日": q["day"] + 1, "星期": [WEEKDAYS_CN[int(d)] for d in q["weekday"]],
                         "时刻": q["time"], "等候人数": q["waiting"].astype(int)})


def heatmap(df: pd.DataFrame) -> alt.Chart:
    return alt.Chart(df).mark_rect().encode(
        x=alt.X("时段:O", title="取号时段"),
        y=alt.Y("星期:O", sort=WEEKDAYS_CN, title=None, axis=alt.Axis(labelOverlap=False)),
        color=alt.Color("平均等候(分钟):Q", scale=alt.Scale(scheme="orangered")),
        tooltip=["星期", "时段", alt.Tooltip("平均等候(分钟):Q", format=".1f"), "人次"]).properties(height=240)


def queue_chart(df: pd.DataFrame) -> alt.Chart:
    return alt.Chart(df).mark_line().encode(
        x=alt.X("时刻:O", title="时刻", axis=alt.Axis(labelOverlap=True)),
        y=alt.Y("等候人数:Q", title="等候人数"),
        color=alt.Color("日:N", title="第几天"), tooltip=["日", "星期", "时刻", "等候人数"]).properties(height=260)


def utilisation_chart(by_group: pd.DataFrame) -> alt.Chart:
    df = by_group.assign(利用率=by_group["utilisation"]).rename(columns={"group": "窗口组"})
    return alt.Chart(df).mark_bar().encode(
        x=alt.X("利用率:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("窗口组:N", sort="-x", title=None),
        color=alt.condition(alt.datum.利用率 > 0.85, alt.value("#c62828"), alt.value("#1565c0")),
        tooltip=["窗口组", alt.Tooltip("利用率:Q", format=".0%")]).properties(height=max(160, 24 * len(df)))
