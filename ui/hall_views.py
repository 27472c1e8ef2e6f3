"""Parts of the 窗口仿真 page: scenario tables for editing, and the charts of a run.

The scenario tables and their checking are :mod:`sim.scenario_io`'s (the workbook's columns and
rules); this module only puts them under the page's short column labels.  The Chinese framing
of two views of the per-customer log (computed by :mod:`sim.results`) is presentation only.
"""

from __future__ import annotations

import hashlib
import json

import altair as alt
import numpy as np
import pandas as pd

from sim import (
    LUNCH_CN,
    WEEKDAYS_CN,
    Scenario,
    groups_table,
    practice_table,
    queue_length,
    scenario_from_tables,
    types_table,
    weekday_slot_table,
)

__all__ = [
    "GROUP_COLS",
    "LUNCH_CN",
    "PRACTICE_COLS",
    "TYPE_COLS",
    "groups_frame",
    "heatmap",
    "practice_frame",
    "queue_chart",
    "queue_frame",
    "scenario_from_frames",
    "scenario_key",
    "types_frame",
    "utilisation_chart",
    "wait_by_weekday_slot",
]

#: the practice columns keep the workbook's names (过号比例 … 每时段预约上限, 爱心窗口, 办理规则)
PRACTICE_TYPE_COLS = ["过号比例", "转办后续业务", "转办比例", "优先比例", "每时段预约上限"]
TYPE_COLS = [
    "业务名称",
    "部门",
    *WEEKDAYS_CN,
    "平均办理时长(分钟)",
    "办理时长变异系数",
    "预约比例",
    *PRACTICE_TYPE_COLS,
]
_TYPE_NUMBERS = {*WEEKDAYS_CN, "平均办理时长(分钟)", "办理时长变异系数", "预约比例", "过号比例", "转办比例", "优先比例"}
#: the 办理规则 sheet: one row per rule (参数, 取值), as in the workbook
PRACTICE_COLS = ["参数", "取值"]
GROUP_COLS = [
    "窗口组",
    "类型",
    "可办业务",
    "常设窗口",
    "备用窗口",
    "周末窗口",
    "工作日时间",
    "周六时间",
    "周日时间",
    "午休方式",
    "爱心窗口",
]
#: the page's short column labels → the workbook's column names (:mod:`sim.scenario_io` reads the rows)
TYPE_LABELS = {
    "业务名称": "业务名称",
    "部门": "所属部门",
    **{d: f"{d}到达量" for d in WEEKDAYS_CN},
    "平均办理时长(分钟)": "平均办理时长(分钟)",
    "办理时长变异系数": "变异系数",
    "预约比例": "预约比例",
    **{c: c for c in PRACTICE_TYPE_COLS},
}
GROUP_LABELS = {
    "窗口组": "窗口组",
    "类型": "类别",
    "可办业务": "可办业务",
    "常设窗口": "常设窗口数",
    "备用窗口": "后备窗口数",
    "周末窗口": "周末窗口数",
    "周六时间": "周六营业时间",
    "周日时间": "周日营业时间",
    "午休方式": "午休方式",
    "爱心窗口": "爱心窗口",
}
_WORKDAYS = WEEKDAYS_CN[:5]


def scenario_key(s: Scenario) -> str:
    """A short hash of the whole scenario (cache key for runs)."""
    return hashlib.sha256(
        json.dumps(s.to_dict(), sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()[:16]


def types_frame(s: Scenario) -> pd.DataFrame:
    """:func:`sim.scenario_io.types_table` under the page's short labels (每时段预约上限 blank when unlimited)."""
    rows = types_table(s)
    frame = pd.DataFrame(
        [[float(r[TYPE_LABELS[c]]) if c in _TYPE_NUMBERS else r[TYPE_LABELS[c]] for c in TYPE_COLS] for r in rows],
        columns=TYPE_COLS,
    )
    frame["每时段预约上限"] = frame["每时段预约上限"].astype("Int64")
    return frame


def practice_frame(s: Scenario) -> pd.DataFrame:
    """:func:`sim.scenario_io.practice_table` as text (the 取值 column mixes numbers and words).

    >>> from sim.sample_hall import sample_scenario
    >>> practice_frame(sample_scenario()).iloc[0].tolist()
    ['过号呼叫时长(分钟)', '1']
    """
    return pd.DataFrame(
        [[r["参数"], f"{r['取值']:g}" if isinstance(r["取值"], float) else str(r["取值"])] for r in practice_table(s)],
        columns=PRACTICE_COLS,
    )


def groups_frame(s: Scenario) -> pd.DataFrame:
    """:func:`sim.scenario_io.groups_table` under the page's short labels (one column for Monday–Friday hours)."""
    rows = groups_table(s)
    out = []
    for g, r in zip(s.groups, rows, strict=True):
        row = {c: r[w] for c, w in GROUP_LABELS.items()}
        row["工作日时间"], row["周六时间"], row["周日时间"] = g.hours[0], g.hours[5], g.hours[6]
        out.append(row)
    return pd.DataFrame(out, columns=GROUP_COLS)


def _cell(v: object) -> object:
    """An edited cell as the workbook reader takes it: NaN, NA and NaT → None."""
    missing = v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float | np.floating) and np.isnan(v))
    return None if missing else v


def _rows(frame: pd.DataFrame, labels: dict[str, str]) -> list[dict]:
    """The edited table's rows under the workbook's column names (NaN → None)."""
    rows = []
    for r in frame.to_dict("records"):
        row = {labels[str(c)]: _cell(v) for c, v in r.items() if c in labels}
        if "工作日时间" in r:
            v = _cell(r["工作日时间"])
            for d in _WORKDAYS:
                row[f"{d}营业时间"] = v
        rows.append(row)
    return rows


def scenario_from_frames(
    base: Scenario, types: pd.DataFrame, groups: pd.DataFrame, practice: pd.DataFrame | None = None
) -> Scenario:
    """``base`` with its types, window groups and (given ``practice``) 办理规则 replaced by the
    edited tables, checked by :func:`sim.scenario_io.scenario_from_tables` (raises
    :class:`~sim.scenario_io.ScenarioInvalid`; ``base`` is never changed)."""
    rules = None if practice is None else _rows(practice, {c: c for c in PRACTICE_COLS})
    return scenario_from_tables(base, _rows(types, TYPE_LABELS), _rows(groups, GROUP_LABELS), practice=rules)


def wait_by_weekday_slot(log: pd.DataFrame, target: float = 15.0) -> pd.DataFrame:
    """:func:`sim.results.weekday_slot_table` with the Chinese column names the heat-map shows."""
    t = weekday_slot_table(log, target)
    if t.empty:
        return pd.DataFrame(columns=["星期", "时段", "平均等候(分钟)", "人次"])
    return t.rename(
        columns={"weekday_cn": "星期", "slot_start": "时段", "mean_wait": "平均等候(分钟)", "customers": "人次"}
    )[["星期", "时段", "平均等候(分钟)", "人次"]]


def queue_frame(log: pd.DataFrame, step: float = 5.0) -> pd.DataFrame:
    """:func:`sim.results.queue_length` with Chinese column names (日 counts from 1)."""
    q = queue_length(log, step)
    return pd.DataFrame(
        {
            "日": q["day"] + 1,
            "星期": [WEEKDAYS_CN[int(d)] for d in q["weekday"]],
            "时刻": q["time"],
            "等候人数": q["waiting"].astype(int),
        }
    )


def heatmap(df: pd.DataFrame) -> alt.Chart:
    return (
        alt.Chart(df)
        .mark_rect()
        .encode(
            x=alt.X("时段:O", title="取号时段"),
            y=alt.Y("星期:O", sort=WEEKDAYS_CN, title=None, axis=alt.Axis(labelOverlap=False)),
            color=alt.Color("平均等候(分钟):Q", scale=alt.Scale(scheme="orangered")),
            tooltip=["星期", "时段", alt.Tooltip("平均等候(分钟):Q", format=".1f"), "人次"],
        )
        .properties(height=240)
    )


def queue_chart(df: pd.DataFrame) -> alt.Chart:
    return (
        alt.Chart(df)
        .mark_line()
        .encode(
            x=alt.X("时刻:O", title="时刻", axis=alt.Axis(labelOverlap=True)),
            y=alt.Y("等候人数:Q", title="等候人数"),
            color=alt.Color("日:N", title="第几天"),
            tooltip=["日", "星期", "时刻", "等候人数"],
        )
        .properties(height=260)
    )


def utilisation_chart(by_group: pd.DataFrame) -> alt.Chart:
    df = by_group.assign(利用率=by_group["utilisation"]).rename(columns={"group": "窗口组"})
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X("利用率:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("窗口组:N", sort="-x", title=None),
            color=alt.condition(alt.datum.利用率 > 0.85, alt.value("#c62828"), alt.value("#1565c0")),
            tooltip=["窗口组", alt.Tooltip("利用率:Q", format=".0%")],
        )
        .properties(height=max(160, 24 * len(df)))
    )
