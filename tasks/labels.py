"""The one table of Chinese words for the codes the tasks library uses.

Code keeps English keys and enum values (``"on_track"``, ``"pending_sign"``); everything a user
reads — pages, exports, documents, command-line summaries — takes its words from here, so a code
is said the same way everywhere.  Modules that had their own table keep their old name as an alias
of the table here (``tasks.progress.rules.STATUS_NAMES is STATUS``).

>>> STATUS["done"], LIFECYCLE_STATE["claimed"], PERIOD_KIND["quarter"]
('已办结', '申请办结', '季度')
>>> label(STATUS, "overdue"), label(STATUS, None), label(STATUS, "surprise")
('逾期', '—', 'surprise')
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "AUDIT_ACTION",
    "CARD_HISTORY_KIND",
    "CYCLE",
    "DEADLINE_KIND",
    "DELIVERY_STATUS",
    "EMPTY",
    "LIFECYCLE_EVENT",
    "LIFECYCLE_STATE",
    "METRIC",
    "NOTIFY_CHANNEL",
    "PERIOD_KIND",
    "STATUS",
    "UNIT_ROLE",
    "USER_ROLE",
    "label",
]

#: what an empty cell shows
EMPTY = "—"

#: a task's status as of a date (:mod:`tasks.progress.status`); ``done`` is 已办结 in every view
STATUS: dict[str, str] = {
    "done": "已办结",
    "on_track": "正常推进",
    "at_risk": "有风险",
    "overdue": "逾期",
    "ongoing": "长期推进",
    "not_started": "未启动",
}

#: the figures card rules test (:mod:`tasks.progress.rules`)
METRIC: dict[str, str] = {
    "status": "状态",
    "missed_reports": "连续未报送期数",
    "late_reports": "迟报次数",
    "overdue_days": "逾期天数",
    "gap": "落后时间进度百分点",
}

#: 督办 lifecycle states and events (:mod:`tasks.progress.lifecycle`)
LIFECYCLE_STATE: dict[str, str] = {
    "pending_sign": "待签收",
    "in_progress": "办理中",
    "claimed": "申请办结",
    "closed": "已办结",
}
LIFECYCLE_EVENT: dict[str, str] = {
    "sign": "签收",
    "extension_request": "延期申请",
    "extension_approved": "延期批准",
    "extension_rejected": "延期驳回",
    "claim": "申请办结",
    "claim_accepted": "办结审核通过(销号)",
    "claim_returned": "退回",
    "appeal": "申诉",
    "appeal_upheld": "申诉成立",
    "appeal_rejected": "申诉驳回",
}

#: a unit's part in a task
UNIT_ROLE: dict[str, str] = {"lead": "牵头", "responsible": "责任"}

#: account roles (:mod:`tasks.accounts.roles`)
USER_ROLE: dict[str, str] = {
    "office": "领导小组办公室",
    "planner": "规划人员",
    "unit": "责任单位",
    "leader": "领导(只读)",
}

#: reporting periods and plan cycles (:mod:`tasks.store.periods`)
PERIOD_KIND: dict[str, str] = {"month": "月度", "quarter": "季度", "half": "半年", "year": "年度"}
CYCLE: dict[str, str] = {"month": "按月", "quarter": "按季度"}

#: how a deadline cell was read (:mod:`tasks.deadlines`)
DEADLINE_KIND: dict[str, str] = {"date": "有期限", "ongoing": "长期", "unknown": "无法识别", "none": "未填写"}

#: reminders (:mod:`tasks.notify`)
NOTIFY_CHANNEL: dict[str, str] = {
    "mail": "邮件",
    "dingtalk": "钉钉群机器人",
    "wecom": "企业微信群机器人",
    "webhook": "通用 Webhook",
    "sms": "短信发送清单",
}
DELIVERY_STATUS: dict[str, str] = {
    "pending": "待发送",
    "sending": "发送中",
    "sent": "已发送",
    "failed": "发送失败",
    "skipped": "已跳过",
}

#: the operation log (:mod:`tasks.accounts.audit`); actions not listed show their code
AUDIT_ACTION: dict[str, str] = {
    "load_plan": "导入/更新计划",
    "set_predecessors": "修改前置任务",
    "open_period": "开启报告期",
    "close_period": "关闭报告期",
    "upload": "上传进展",
    "save_rules": "修改预警规则",
    "account_add": "新增账号",
    "account_update": "修改账号",
    "account_disable": "停用账号",
    "account_enable": "启用账号",
    "account_reset_password": "重置密码",
    "account_change_password": "修改本人密码",
    "account_unlock": "解除锁定",
    "account_locked": "连续失败被锁定",
    "login": "登录",
    "logout": "退出登录",
    "login_failed": "登录失败",
    "login_refused_locked": "锁定期内尝试登录",
    "login_refused_disabled": "停用账号尝试登录",
    "session_expired": "登录超时",
    "record_card_history": "记录预警牌履历",
    # the supervision loop (督办): its steps, calendar and baselines
    **LIFECYCLE_EVENT,
    "claim_returned": "退回办结申请",
    "set_calendar": "设置报送日历",
    "freeze_baseline": "冻结基线",
    # reminders
    "notify_contact_delete": "删除联系人",
    "notify_contacts_import": "导入联系人",
    "notify_queue": "提醒加入发件箱",
    "notify_rules": "修改提醒规则",
    "notify_send_list": "生成短信发送清单",
    "notify_template": "修改通知模板",
    "notify_template_reset": "恢复默认通知模板",
}

#: steps of a task's card history (:mod:`tasks.progress.card_history`)
CARD_HISTORY_KIND: dict[str, str] = {"issued": "发出", "changed": "变更", "closed": "消除", "withdrawn": "申诉撤销"}


def label(table: Mapping[str, str], code: str | None) -> str:
    """The Chinese words for ``code`` in ``table``: :data:`EMPTY` for no code, the code itself if unknown.

    Parameters
    ----------
    table : mapping
        One of the tables of this module.
    code : str or None
        The English code stored in the database or a record.

    Returns
    -------
    str
        What a user reads.

    Examples
    --------
    >>> label(LIFECYCLE_STATE, "pending_sign")
    '待签收'
    """
    if not code:
        return EMPTY
    return table.get(code, code)
