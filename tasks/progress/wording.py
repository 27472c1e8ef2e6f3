"""Card rules and card reasons in plain Chinese, never as operators (``连续2期未报送``, not ``期数>=2``).

A rule condition is written in the rules file as ``missed_reports >= 2``; people
read it as :func:`condition_phrase` (what the rule says) and, on a task that got
a card, as :func:`reason_phrase` (what actually happened, with the task's figures).

>>> condition_phrase("missed_reports", ">=", 2)
'连续2期及以上未报送'
>>> condition_phrase("overdue_days", ">", 30)
'逾期超过30天'
>>> condition_phrase("late_reports", "<", 3)
'迟报次数少于3'
>>> condition_phrase("status", "==", "at_risk")
'状态为有风险'
>>> reason_phrase("missed_reports", 3, {})
'连续3期未报送'
>>> reason_phrase("status", "overdue", {"overdue_days": 12})
'已逾期12天'
>>> reason_phrase("gap", 25.0, {})
'落后时间进度25个百分点'
"""

from __future__ import annotations

from typing import Any

from .. import labels

__all__ = ["condition_phrase", "reason_phrase", "OP_WORDS"]

STATUS_NAMES = labels.STATUS
METRIC_NAMES = labels.METRIC
#: comparison → words (≥ is 不少于, > is 超过 …)
OP_WORDS = {">=": "不少于", ">": "超过", "<=": "不超过", "<": "少于", "==": "为", "!=": "不为"}
#: metric → (phrase for "≥ v", phrase for "> v") with {v} for the number
_AT_LEAST = {
    "missed_reports": ("连续{v}期及以上未报送", "连续未报送超过{v}期"),
    "late_reports": ("迟报{v}次及以上", "迟报超过{v}次"),
    "overdue_days": ("逾期{v}天及以上", "逾期超过{v}天"),
    "gap": ("落后时间进度{v}个百分点及以上", "落后时间进度超过{v}个百分点"),
}
_ACTUAL = {
    "missed_reports": "连续{v}期未报送",
    "late_reports": "迟报{v}次",
    "overdue_days": "逾期{v}天",
    "gap": "落后时间进度{v}个百分点",
}


def _num(v: Any) -> str:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return str(int(f)) if f.is_integer() else f"{f:g}"


def condition_phrase(metric: str, op: str, value: Any) -> str:
    """What a rule condition says, in words."""
    if metric == "status":
        return f"状态{'为' if op == '==' else '不为'}{STATUS_NAMES.get(value, value)}"
    if metric in _AT_LEAST and op in (">=", ">"):
        return _AT_LEAST[metric][op == ">"].format(v=_num(value))
    return f"{METRIC_NAMES.get(metric, metric)}{OP_WORDS.get(op, op)}{_num(value)}"


def reason_phrase(metric: str, actual: Any, metrics: dict[str, Any]) -> str:
    """Why a task got its card: the metric's actual value in words (``metrics`` gives the context)."""
    if metric == "status":
        if actual == "overdue" and metrics.get("overdue_days"):
            return f"已逾期{_num(metrics['overdue_days'])}天"
        return f"状态为{STATUS_NAMES.get(actual, actual)}"
    if metric in _ACTUAL:
        return _ACTUAL[metric].format(v=_num(actual))
    return f"{METRIC_NAMES.get(metric, metric)}{_num(actual)}"
