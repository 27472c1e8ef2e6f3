"""The audit trail for people: Chinese action names, text rows, xlsx/csv exports (office only).

Audit rows never hold passwords or hashes (see :mod:`tasks.accounts.book`);
exports neutralise cells that a spreadsheet would run as formulas.

>>> action_label("account_reset_password")
'重置密码'
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from core.safe_export import csv_bytes, save_workbook

from ..errors import WorkbenchError

HEADERS = ["时间", "操作账号", "操作", "对象", "详情"]
ACTION_LABELS = {
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
    # the supervision loop (督办) and its settings
    "sign": "签收",
    "extension_request": "延期申请",
    "extension_approved": "延期批准",
    "extension_rejected": "延期驳回",
    "claim": "申请办结",
    "claim_accepted": "办结审核通过(销号)",
    "claim_returned": "退回办结申请",
    "appeal": "申诉",
    "appeal_upheld": "申诉成立",
    "appeal_rejected": "申诉驳回",
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


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def audit_rows(entries: list[dict[str, Any]]) -> list[list[str]]:
    """Entries as text rows (details flattened ``key=value``), safe for spreadsheets."""
    from ..progress import safe_text

    out = []
    for a in entries:
        detail = ";".join(f"{k}={v}" for k, v in (a.get("detail") or {}).items())
        at = a["at"].strftime("%Y-%m-%d %H:%M:%S") if hasattr(a["at"], "strftime") else str(a["at"])
        out.append([at, *(safe_text(str(x)) for x in (a["actor"], action_label(a["action"]), a["target"], detail))])
    return out


def audit_xlsx(entries: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "操作日志"
    ws.append(HEADERS)
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in audit_rows(entries):
        ws.append(r)
    for col, width in zip("ABCDE", (20, 16, 18, 30, 60)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    save_workbook(wb, buf)
    return buf.getvalue()


def audit_csv(entries: list[dict[str, Any]]) -> bytes:
    """UTF-8 with BOM so Excel shows the Chinese."""
    return csv_bytes(audit_rows(entries), HEADERS)


def write_audit(entries: list[dict[str, Any]], out: str | Path) -> Path:
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise WorkbenchError(f"输出文件“{out.name}”须为 .xlsx 或 .csv")
    out.write_bytes(audit_csv(entries) if suffix == ".csv" else audit_xlsx(entries))
    return out
