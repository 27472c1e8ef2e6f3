"""The one table of Chinese words for the codes and columns of the hall library.

Code keeps English keys (``"mean_wait"``, ``"lognormal"``); pages, exports and command-line tables
take the words users read from here.  Modules that had their own table keep their old name as an
alias of the one here (``sim.results.KPI_LABELS_CN is KPI``).

>>> KPI["p90_wait"], DISTRIBUTION["lognormal"], DAY_KIND["swap_workday"]
('P90等候(分钟)', '对数正态', '调休上班')
>>> label(ADJUSTMENT_ACTION, "open"), label(ADJUSTMENT_ACTION, None)
('开启', '—')
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "ADJUSTMENT",
    "ADJUSTMENT_ACTION",
    "CALENDAR_OVERRIDE",
    "CUSTOMER_LOG",
    "DAY_KIND",
    "DISTRIBUTION",
    "EMPTY",
    "KPI",
    "LUNCH",
    "NO_SHOW_POLICY",
    "PRIORITY_LANE",
    "TABLE",
    "label",
]

#: what an empty cell shows
EMPTY = "—"

#: simulation key figures (:class:`sim.results.HallRun` KPIs)
KPI: dict[str, str] = {
    "customers": "取号人次",
    "served": "已办理",
    "abandoned": "中途离开",
    "mean_wait": "平均等候(分钟)",
    "p50_wait": "等候中位数(分钟)",
    "p90_wait": "P90等候(分钟)",
    "p95_wait": "P95等候(分钟)",
    "max_wait": "最长等候(分钟)",
    "within_target": "目标内办理比例",
    "utilisation": "窗口利用率",
    "open_window_hours": "开窗时长(窗口·小时)",
    "staff_hours": "人员工时(人·小时)",
    "overtime_minutes": "延时服务(分钟)",
    "adjustments": "窗口调整次数",
    "mean_service": "平均办理时长(分钟)",
}
#: columns of the KPI tables (by_type, by_group …), shared by the exported workbook and the dashboard
TABLE: dict[str, str] = {
    "type": "业务类型",
    "group": "窗口组",
    "weekday": "星期",
    "weekday_cn": "星期",
    "slot": "时段序号",
    "slot_start": "时段",
    "busy_hours": "办理时长合计(小时)",
    **KPI,
}
#: columns of the window-adjustment log
ADJUSTMENT: dict[str, str] = {
    "day": "第几天",
    "time": "时间",
    "minute": "时刻(分钟)",
    "group": "窗口组",
    "action": "动作",
    "reason": "原因",
    "open_after": "调整后开放窗口数",
    "requested": "发起时刻(分钟)",
}
#: :attr:`sim.results.Adjustment.action`
ADJUSTMENT_ACTION: dict[str, str] = {"open": "开启", "close": "关闭"}

#: columns of the per-customer log (``python -m sim run --xlsx``)
CUSTOMER_LOG: dict[str, str] = {
    "customer": "顾客序号",
    "day": "第几天",
    "date": "日期",
    "weekday": "星期(0=周一)",
    "slot": "时段序号",
    "type": "业务类型",
    "appointment": "预约",
    "arrival": "取号时刻(分钟)",
    "ticket_time": "取号时间",
    "start": "叫号时刻(分钟)",
    "end": "办结时刻(分钟)",
    "wait": "等候(分钟)",
    "service": "办理时长(分钟)",
    "group": "窗口组",
    "window": "窗口",
    "abandoned": "中途离开",
}

#: kinds of calendar day (:mod:`sim.calendar`)
DAY_KIND: dict[str, str] = {"workday": "工作日", "weekend": "周末", "holiday": "节假日", "swap_workday": "调休上班"}
#: a calendar override in the scenario workbook
CALENDAR_OVERRIDE: dict[str, str] = {"holiday": "放假", "workday": "调休上班"}

#: service-time distributions and lunch-time practice in the scenario workbook
DISTRIBUTION: dict[str, str] = {"lognormal": "对数正态", "exponential": "指数", "empirical": "经验样本"}
LUNCH: dict[str, str] = {"closed": "午间闭厅", "staggered": "午间不打烊"}
#: what happens to a no-show's ticket, and how priority tickets are served (:class:`sim.scenario.Practice`)
NO_SHOW_POLICY: dict[str, str] = {"drop": "作废", "keep": "顺延"}
PRIORITY_LANE: dict[str, str] = {"first": "优先叫号", "dedicated": "爱心窗口专办"}


def label(table: Mapping[str, str], code: str | None) -> str:
    """The Chinese words for ``code`` in ``table``: :data:`EMPTY` for no code, the code itself if unknown.

    Parameters
    ----------
    table : mapping
        One of the tables of this module.
    code : str or None
        The English code of a record or scenario.

    Returns
    -------
    str
        What a user reads.

    Examples
    --------
    >>> label(KPI, "utilisation")
    '窗口利用率'
    """
    if not code:
        return EMPTY
    return table.get(code, code)
