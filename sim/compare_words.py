"""A scenario comparison (:func:`sim.compare.compare`) told in one sentence, a readable table and a chart frame.

- :func:`verdict`: ``关闭周末轮班:平均等候增加3.2分钟(95%置信区间 2.5–3.9)`` — the paired difference
  of the second scenario against the first, in words; when the interval holds 0 it says the
  difference is not clear;
- :func:`readable_table`: values as text — minutes to one decimal, shares as percentages, counts whole;
- :func:`weekday_frame`: mean wait per weekday and scenario, weekdays 周一…周日 in order, for a chart.

>>> import pandas as pd
>>> diff = pd.DataFrame([{"指标": "平均等候(分钟)", "metric": "mean_wait", "scenario": "b",
...                       "difference": 3.21, "lo": 2.48, "hi": 3.94}])
>>> verdict(diff, "关闭周末轮班")
'关闭周末轮班:平均等候增加3.2分钟(95%置信区间 2.5–3.9)。'
>>> verdict(diff.assign(difference=0.2, lo=-0.4, hi=0.8), "合并综合窗口")
'合并综合窗口:平均等候增加0.2分钟(95%置信区间 −0.4–0.8),差异在随机波动范围内,不能认为有变化。'
>>> fmt("within_target", 0.9134), fmt("mean_wait", 3.456), fmt("customers", 1203.6)
('91.3%', '3.5', '1204')
"""

from __future__ import annotations

import math

import pandas as pd

from .scenario import WEEKDAYS_CN

__all__ = ["verdict", "readable_table", "weekday_frame", "fmt", "SHARES", "MINUTES"]

#: metrics that are shares (shown as percentages) and minutes (one decimal)
SHARES = frozenset({"within_target", "utilisation"})
MINUTES = frozenset({"mean_wait", "p50_wait", "p90_wait", "p95_wait", "max_wait", "overtime_minutes", "mean_service"})
_WORDS = {
    "mean_wait": ("平均等候", "分钟"),
    "p90_wait": ("九成群众的等候上限", "分钟"),
    "within_target": ("目标内办理比例", "个百分点"),
    "utilisation": ("窗口利用率", "个百分点"),
    "staff_hours": ("人员工时", "人·小时"),
    "open_window_hours": ("开窗时长", "窗口·小时"),
    "overtime_minutes": ("延时服务", "分钟"),
}


def _base(metric: str) -> str:
    return metric.split("|", 1)[0]


def fmt(metric: str, value: float | None) -> str:
    """One value as users read it (``—`` for nothing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    base = _base(metric)
    if base in SHARES:
        return f"{value:.1%}"
    if base in MINUTES:
        return f"{value:.1f}"
    return f"{value:.0f}" if abs(value) >= 10 or float(value).is_integer() else f"{value:.1f}"


def verdict(diff: pd.DataFrame, change: str, metric: str = "mean_wait") -> str:
    """One sentence: what ``change`` (the second scenario against the first) does to ``metric``."""
    rows = diff[diff["metric"] == metric] if "metric" in diff.columns else diff.iloc[0:0]
    if rows.empty:
        return f"{change}:没有可比较的结果。"
    r = rows.iloc[0]
    d, lo, hi = float(r["difference"]), float(r["lo"]), float(r["hi"])
    name, unit = _WORDS.get(metric, (str(r.get("指标", metric)), ""))
    scale = 100 if metric in SHARES else 1
    direction = "增加" if d > 0 else "减少" if d < 0 else "不变"
    if metric in SHARES:
        direction = "提高" if d > 0 else "降低" if d < 0 else "不变"
    size = f"{abs(d) * scale:.1f}{unit}"
    ci = f"(95%置信区间 {_signed(lo * scale)}–{_signed(hi * scale)})"
    text = f"{change}:{name}{direction}{size if d else ''}{ci}"
    if lo <= 0 <= hi:
        return text + ",差异在随机波动范围内,不能认为有变化。"
    return text + "。"


def _signed(v: float) -> str:
    return f"−{abs(v):.1f}" if v < -0.05 else f"{abs(v):.1f}"


def readable_table(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison table with every value as text (minutes 1 decimal, shares as %); ``±`` columns
    merged into their scenario's column as ``均值 ± 半宽``; the internal ``metric`` column dropped."""
    names = [c for c in table.columns if c not in ("指标", "metric") and not str(c).endswith(" ±")]
    rows = []
    for _, r in table.iterrows():
        metric = str(r.get("metric", ""))
        row = {"指标": r["指标"]}
        for n in names:
            hw = r.get(f"{n} ±")
            value = fmt(metric, r[n])
            row[n] = value if hw is None or pd.isna(hw) or value == "—" else f"{value} ± {fmt(metric, float(hw))}"
        rows.append(row)
    return pd.DataFrame(rows, columns=["指标", *names])


def weekday_frame(table: pd.DataFrame) -> pd.DataFrame:
    """Mean wait per weekday (rows ``mean_wait|周一`` …) and scenario, weekdays in calendar order.

    >>> t = pd.DataFrame([{"指标": "x", "metric": "mean_wait|周二", "a": 2.0, "a ±": 0.1},
    ...                   {"指标": "x", "metric": "mean_wait|周一", "a": 1.0, "a ±": 0.1}])
    >>> weekday_frame(t).to_dict("records")
    [{'星期': '周一', '方案': 'a', '平均等候(分钟)': 1.0}, {'星期': '周二', '方案': 'a', '平均等候(分钟)': 2.0}]
    """
    names = [c for c in table.columns if c not in ("指标", "metric") and not str(c).endswith(" ±")]
    rows = []
    for day in WEEKDAYS_CN:
        hit = table[table["metric"] == f"mean_wait|{day}"]
        for n in names:
            if len(hit) and not pd.isna(hit.iloc[0][n]):
                rows.append({"星期": day, "方案": n, "平均等候(分钟)": round(float(hit.iloc[0][n]), 1)})
    return pd.DataFrame(rows, columns=["星期", "方案", "平均等候(分钟)"])
