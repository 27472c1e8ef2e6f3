"""Tables never show ``None``/``nan``/``NaT``: every ``st.dataframe`` of the dashboard shows ``—`` instead.

Streamlit draws a missing value as a grey "None".  :func:`install` (called once by ``app.py``) wraps
``st.dataframe`` so that, for a pandas table, missing values and empty texts become ``—`` and dates
read ``2021-11-30`` (no time of day); a column whose values had to become text loses a date/number
column type from ``column_config`` but keeps its label and width.  Pages keep their own frame (a
selected row index still fits it); only what is drawn changes.

>>> import pandas as pd
>>> from datetime import date
>>> df = pd.DataFrame({"任务": ["甲", None, ""], "完成时限": pd.to_datetime(["2021-11-30", None, None]),
...                    "进度": [1.0, float("nan"), 2.5], "最近填报": [date(2021, 9, 1), None, None]})
>>> shown, _cfg = dash_nulls(df, None)
>>> shown.to_dict("list")
{'任务': ['甲', '—', '—'], '完成时限': ['2021-11-30', '—', '—'], '进度': ['1', '—', '2.5'], '最近填报': ['2021-09-01', '—', '—']}
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

DASH = "—"
_MARK = "_workbench_dash_nulls"


def _missing(v: Any) -> bool:
    if v is None or v is pd.NaT:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    if isinstance(v, str) and v.strip() == "":
        return True
    try:
        return bool(pd.isna(v)) if not isinstance(v, (list, tuple, dict, set)) else False
    except (TypeError, ValueError):
        return False


def _text(v: Any) -> Any:
    if _missing(v):
        return DASH
    if isinstance(v, pd.Timestamp | datetime):
        return v.strftime("%Y-%m-%d") if (v.hour, v.minute, v.second) == (0, 0, 0) else v.strftime("%Y-%m-%d %H:%M")
    if isinstance(v, date):
        return v.isoformat()
    return v


def _number(v: Any) -> str:
    if _missing(v):
        return DASH
    f = float(v)
    return str(int(f)) if f.is_integer() else f"{f:g}"


def _untyped(conf: Any) -> Any:
    """A column config without its date/number type (label, width and help kept)."""
    if isinstance(conf, dict):
        return {k: v for k, v in conf.items() if k != "type_config"}
    return conf


def dash_nulls(df: pd.DataFrame, column_config: dict | None) -> tuple[pd.DataFrame, dict | None]:
    """``df`` as drawn (missing → ``—``, dates as ``YYYY-MM-DD``) and the column config adjusted to it."""
    out = df.copy()
    cfg = dict(column_config) if column_config else {}
    changed = False
    for col in out.columns:
        s = out[col]
        conf = cfg.get(col)
        typed = isinstance(conf, dict) and conf.get("type_config", {}).get("type") not in (None, "text")
        if pd.api.types.is_datetime64_any_dtype(s):
            out[col] = s.map(_text).astype(object)
            if conf is not None:
                cfg[col] = _untyped(conf)
            changed = True
        elif pd.api.types.is_bool_dtype(s):
            continue
        elif pd.api.types.is_numeric_dtype(s):
            if s.isna().any():
                out[col] = s.map(_number).astype(object)
                if conf is not None:
                    cfg[col] = _untyped(conf)
                changed = True
        elif (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)) and any(
            _missing(v) or isinstance(v, date) for v in s
        ):
            kind = conf.get("type_config", {}).get("type") if isinstance(conf, dict) else None
            if typed and kind not in ("date", "datetime"):
                continue  # e.g. a list or link column: leave it to its own type
            out[col] = s.map(_text)
            if conf is not None:
                cfg[col] = _untyped(conf)
            changed = True
    return (out if changed else df), (cfg if column_config is not None or cfg else column_config)


def install() -> None:
    """Wrap ``dataframe`` of every Streamlit container once (idempotent): ``st.dataframe`` and
    ``column.dataframe`` alike draw ``—`` for nothing."""
    from streamlit.delta_generator import DeltaGenerator

    original = DeltaGenerator.dataframe
    if getattr(original, _MARK, False):
        return

    def dataframe(self: DeltaGenerator, data: Any = None, *args: Any, **kwargs: Any) -> Any:
        if isinstance(data, pd.DataFrame):
            data, cfg = dash_nulls(data, kwargs.get("column_config"))
            if cfg is not None:
                kwargs["column_config"] = cfg
        return original(self, data, *args, **kwargs)

    setattr(dataframe, _MARK, True)
    dataframe.__doc__ = original.__doc__
    DeltaGenerator.dataframe = dataframe  # type: ignore[assignment,method-assign]
    st.dataframe = st._main.dataframe  # type: ignore[attr-defined]


#: audit-log detail keys in words (unknown keys are shown as they are)
DETAIL_WORDS = {
    "role": "角色",
    "unit": "单位",
    "until": "锁定至",
    "due": "报送期限",
    "predecessors": "前置任务",
    "source_file": "来源文件",
    "added": "新增",
    "updated": "更新",
    "archived": "归档",
    "upload_id": "上传编号",
    "period": "报告期",
    "rows": "行数",
    "sha256": "文件指纹",
    "levels": "预警等级",
    "scoring": "计分",
    "reporting": "报送",
    "status": "状态",
    "escalation": "升级",
    "reason": "原因",
    "note": "说明",
    "to": "延期至",
    "plan": "计划",
}


def detail_text(detail: dict | None) -> str:
    """An audit entry's details in words: ``角色:领导小组办公室;单位:—`` (never ``unit=None``).

    >>> detail_text({"role": "office", "unit": None, "rows": 3, "predecessors": ["1", "2"]})
    '角色:领导小组办公室;单位:—;行数:3;前置任务:1、2'
    >>> detail_text(None)
    '—'
    """
    from tasks.accounts.roles import ROLE_NAMES

    if not detail:
        return DASH
    parts = []
    for k, v in detail.items():
        if k == "role":
            v = ROLE_NAMES.get(v, v)
        if isinstance(v, bool):
            v = "是" if v else "否"
        elif isinstance(v, list | tuple):
            v = "、".join(str(x) for x in v) or DASH
        elif isinstance(v, dict):
            v = f"{len(v)}项设置"
        parts.append(f"{DETAIL_WORDS.get(k, k)}:{DASH if _missing(v) else v}")
    return ";".join(parts)
