"""The warning and scoring rules as form fields with Chinese labels, and back, with checks.

The office edits the rules in a form (not TOML): numbers for the reporting grace days, the at-risk gap,
escalation and scoring, and one row per card level with its name, colour, points and conditions —
"状态为有风险", "状态为逾期", and thresholds "连续未报送≥N期", "迟报≥N次", "逾期≥N天", "落后时间进度≥N个百分点"
(empty: not a condition).  :func:`rules_from_form` checks every field and raises
:class:`~tasks.progress.rules.BadRules` naming the field (and level row) in Chinese.

>>> from tasks.progress.rules import default_rules
>>> fields, levels = form_from_rules(default_rules())
>>> fields["基础分"], levels[1]["名称"], levels[1]["状态为逾期"], levels[1]["连续未报送≥(期)"]
(100, '红牌', True, 2)
>>> rules_from_form(fields, levels).levels[1].describe()
'红牌:状态为逾期;或连续2期及以上未报送'
>>> bad = [dict(levels[0], **{"颜色": "黄色"})]
>>> rules_from_form(fields, bad)
Traceback (most recent call last):
...
tasks.progress.rules.BadRules: 预警等级第1行(黄牌):颜色“黄色”应为6位十六进制色值,如 FFC000
"""

from __future__ import annotations

import math
import re
from typing import Any

from .rules import BadRules, Rules, rules_from_dict

__all__ = [
    "FIELDS",
    "LEVEL_COLUMNS",
    "STATUS_FLAGS",
    "THRESHOLDS",
    "form_from_rules",
    "representable",
    "rules_from_form",
]

#: number fields: label → (rules attribute, minimum, maximum, whole number?)
FIELDS: dict[str, tuple[str, float, float, bool]] = {
    "报送宽限天数": ("grace_days", 0, 31, True),
    "有风险阈值(落后时间进度百分点)": ("at_risk_gap", 0, 100, False),
    "连续几期未消除升一级(0为不升级)": ("escalate_after", 0, 12, True),
    "基础分": ("base", 0, 1000, False),
    "每次迟报扣分": ("late_report", 0, 100, False),
    "每次未报送扣分": ("missed_report", 0, 100, False),
    "每项按时完成加分": ("done_on_time", 0, 100, False),
}
#: threshold columns of a level row → metric (condition ``metric >= value``)
THRESHOLDS = {
    "连续未报送≥(期)": "missed_reports",
    "迟报≥(次)": "late_reports",
    "逾期≥(天)": "overdue_days",
    "落后时间进度≥(百分点)": "gap",
}
STATUS_FLAGS = {"状态为有风险": "at_risk", "状态为逾期": "overdue"}
LEVEL_COLUMNS = ["代码", "名称", "颜色", "扣分", *STATUS_FLAGS, *THRESHOLDS]


def representable(rules: Rules) -> bool:
    """True when every condition fits the form (status is at_risk/overdue, thresholds are ≥)."""
    for lv in rules.levels:
        for c in lv.when:
            if c.metric == "status":
                if c.op != "==" or c.value not in STATUS_FLAGS.values():
                    return False
            elif c.op != ">=" or c.metric not in THRESHOLDS.values():
                return False
        if len({c.metric for c in lv.when if c.metric != "status"}) != len(
            [c for c in lv.when if c.metric != "status"]
        ):
            return False
    return True


def _whole(v: float) -> float | int:
    return int(v) if float(v).is_integer() else v


def form_from_rules(rules: Rules) -> tuple[dict[str, float | int], list[dict[str, Any]]]:
    """The form's number fields and level rows for ``rules``."""
    fields = {label: _whole(getattr(rules, attr)) for label, (attr, *_rest) in FIELDS.items()}
    rows = []
    for lv in rules.levels:
        row: dict[str, Any] = {"代码": lv.key, "名称": lv.name, "颜色": lv.color, "扣分": _whole(lv.points)}
        for label, status in STATUS_FLAGS.items():
            row[label] = any(c.metric == "status" and c.value == status for c in lv.when)
        for label, metric in THRESHOLDS.items():
            row[label] = next((_whole(c.value) for c in lv.when if c.metric == metric), None)
        rows.append(row)
    return fields, rows


def _number(v: Any) -> float | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise ValueError
    f = float(v)
    if math.isnan(f):
        return None
    return f


def rules_from_form(fields: dict[str, Any], levels: list[dict[str, Any]]) -> Rules:
    """Check the form and build the rules; a mistake raises :class:`BadRules` naming the field."""
    values: dict[str, float] = {}
    for label, (attr, lo, hi, whole) in FIELDS.items():
        try:
            v = _number(fields.get(label))
        except (TypeError, ValueError):
            raise BadRules(f"“{label}”应为数字,而不是“{fields.get(label)}”") from None
        if v is None:
            raise BadRules(f"请填写“{label}”")
        if not lo <= v <= hi:
            raise BadRules(f"“{label}”应在{_whole(lo)}到{_whole(hi)}之间,而不是{_whole(v)}")
        if whole and not v.is_integer():
            raise BadRules(f"“{label}”应为整数,而不是{v:g}")
        values[attr] = v
    rows = [r for r in levels if any(str(r.get(c) or "").strip() for c in ("代码", "名称"))]
    if not rows:
        raise BadRules("至少需要一个预警等级")
    out_levels = []
    keys: set[str] = set()
    for i, r in enumerate(rows, 1):
        name = str(r.get("名称") or "").strip()
        where = f"预警等级第{i}行" + (f"({name})" if name else "")
        if not name:
            raise BadRules(f"{where}:请填写名称,如“黄牌”")
        key = str(r.get("代码") or "").strip() or f"level{i}"
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", key):
            raise BadRules(f"{where}:代码“{key}”只能用英文字母、数字和下划线,且以字母开头,如 yellow")
        if key in keys:
            raise BadRules(f"{where}:代码“{key}”与上面的等级重复")
        keys.add(key)
        color = str(r.get("颜色") or "").strip().lstrip("#").upper()
        if not re.fullmatch(r"[0-9A-F]{6}", color):
            raise BadRules(f"{where}:颜色“{r.get('颜色')}”应为6位十六进制色值,如 FFC000")
        try:
            points = _number(r.get("扣分")) or 0.0
        except (TypeError, ValueError):
            raise BadRules(f"{where}:扣分应为数字,而不是“{r.get('扣分')}”") from None
        if points < 0:
            raise BadRules(f"{where}:扣分不能为负数")
        when = [f"status == {status}" for label, status in STATUS_FLAGS.items() if bool(r.get(label))]
        for label, metric in THRESHOLDS.items():
            try:
                v = _number(r.get(label))
            except (TypeError, ValueError):
                raise BadRules(f"{where}:“{label}”应为数字,而不是“{r.get(label)}”") from None
            if v is None:
                continue
            if v < 0 or (metric != "gap" and not v.is_integer()):
                raise BadRules(f"{where}:“{label}”应为{'不小于0的数' if metric == 'gap' else '正整数'},而不是{v:g}")
            when.append(f"{metric} >= {_whole(v)}")
        if not when:
            raise BadRules(f"{where}:至少勾选或填写一个亮牌条件")
        out_levels.append({"key": key, "name": name, "color": color, "points": _whole(points), "when": when})
    return rules_from_dict(
        {
            "reporting": {"grace_days": int(values["grace_days"])},
            "status": {"at_risk_gap": _whole(values["at_risk_gap"])},
            "levels": out_levels,
            "escalation": {"after_periods": int(values["escalate_after"])},
            "scoring": {
                "base": _whole(values["base"]),
                "late_report": _whole(values["late_report"]),
                "missed_report": _whole(values["missed_report"]),
                "done_on_time": _whole(values["done_on_time"]),
            },
        },
        "规则",
    )
