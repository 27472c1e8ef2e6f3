"""The audit trail for people: Chinese action names, text rows, xlsx/csv exports (office only).

Audit rows never hold passwords or hashes (see :mod:`tasks.accounts.book`);
exports neutralise cells that a spreadsheet would run as formulas.

>>> action_label("account_reset_password")
'重置密码'
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from core.safe_export import csv_bytes, save_workbook

from .. import labels
from ..errors import WorkbenchError

if TYPE_CHECKING:
    from ..store.records import AuditEntry

HEADERS = ["时间", "操作账号", "操作", "对象", "详情"]
ACTION_LABELS = labels.AUDIT_ACTION


def action_label(action: str) -> str:
    """The Chinese name of an audited action (the key itself when it has none).

    Parameters
    ----------
    action : str
        The action key of an audit row.

    Returns
    -------
    str
        Its Chinese name.

    Examples
    --------
    >>> action_label("close_period"), action_label("unknown_action")
    ('关闭报告期', 'unknown_action')
    """
    return ACTION_LABELS.get(action, action)


def audit_rows(entries: list[AuditEntry]) -> list[list[str]]:
    """Entries as text rows (details flattened ``key=value``), safe for spreadsheets."""
    from ..progress import safe_text

    out = []
    for a in entries:
        detail = ";".join(f"{k}={v}" for k, v in (a.detail or {}).items())
        at = a.at.strftime("%Y-%m-%d %H:%M:%S") if hasattr(a.at, "strftime") else str(a.at)
        out.append([at, *(safe_text(str(x)) for x in (a.actor, action_label(a.action), a.target, detail))])
    return out


def audit_xlsx(entries: list[AuditEntry]) -> bytes:
    """The audit entries as an xlsx sheet ``操作日志`` (time, account, action, target, details).

    Parameters
    ----------
    entries : list of AuditEntry
        Audit entries (:class:`tasks.store.AuditEntry`), as the store lists them.

    Returns
    -------
    bytes
        The xlsx file; text a spreadsheet would run as a formula is kept as text.

    Examples
    --------
    >>> from openpyxl import load_workbook
    >>> from datetime import datetime
    >>> from tasks.store import AuditEntry
    >>> entries = [AuditEntry(datetime(2021, 9, 28, 9, 0), "ban", "close_period", "2021-09", {"grace_days": 5})]
    >>> [c.value for c in load_workbook(io.BytesIO(audit_xlsx(entries))).active[2]]
    ['2021-09-28 09:00:00', 'ban', '关闭报告期', '2021-09', 'grace_days=5']
    """
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


def audit_csv(entries: list[AuditEntry]) -> bytes:
    """The audit entries as CSV: UTF-8 with BOM so Excel shows the Chinese.

    Parameters
    ----------
    entries : list of AuditEntry
        Audit entries (:class:`tasks.store.AuditEntry`).

    Returns
    -------
    bytes
        The CSV file, a header row first.

    Examples
    --------
    >>> from datetime import datetime
    >>> from tasks.store import AuditEntry
    >>> entries = [AuditEntry(datetime(2021, 9, 28, 9, 0), "ban", "close_period", "2021-09", {"grace_days": 5})]
    >>> audit_csv(entries).decode("utf-8-sig").splitlines()[1]
    '2021-09-28 09:00:00,ban,关闭报告期,2021-09,grace_days=5'
    """
    return csv_bytes(audit_rows(entries), HEADERS)


def write_audit(entries: list[AuditEntry], out: str | Path) -> Path:
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise WorkbenchError(f"输出文件“{out.name}”须为 .xlsx 或 .csv")
    out.write_bytes(audit_csv(entries) if suffix == ".csv" else audit_xlsx(entries))
    return out
