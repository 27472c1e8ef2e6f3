"""The last check before progress rows are written: whatever built them (a validated file, a
hand-made :class:`~tasks.progress.upload.UploadReport`, a script calling ``add_upload``), each row
must hold a status from the drop-down list, a percentage 0–100, a plausible report date and
reporting month, and texts within the length limit.  :class:`tasks.accounts.GuardedStore` calls
:func:`check_saved_rows` before anything is saved.

>>> row = {"task_id": "3", "status": "推进中", "percent": 50, "report_date": date(2021, 9, 28),
...        "period": "2021-09", "source_sheet": "进度填报", "source_row": 4}
>>> check_saved_rows([row], today=date(2021, 10, 3))
>>> check_saved_rows([{**row, "status": "HACKED"}], today=date(2021, 10, 3))
Traceback (most recent call last):
tasks.progress.upload.UploadRejected: 进度填报 第4行(任务3):状态“HACKED”无效,应为 未启动/推进中/已完成/滞后/暂缓 之一;整个文件未保存
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from ..store import parse_period
from .template import STATUS_CHOICES
from .upload import TEXT_LIMIT, UploadRejected

__all__ = ["check_saved_rows", "EARLIEST_DATE"]

#: no progress report of a reform programme predates this
EARLIEST_DATE = date(2000, 1, 1)
_TEXTS = ("progress", "problems", "next_steps", "evidence")


def _row_problems(r: dict[str, Any], today: date) -> list[str]:
    out: list[str] = []
    status = r.get("status")
    if not isinstance(status, str) or status not in STATUS_CHOICES:
        out.append(f"状态“{status}”无效,应为 {'/'.join(STATUS_CHOICES)} 之一")
    pct = r.get("percent")
    if isinstance(pct, bool) or not isinstance(pct, (int, float)) or not math.isfinite(pct) or not 0 <= pct <= 100:
        out.append(f"完成进度“{pct}”无效,应为 0–100 的数字")
    elif status == "已完成" and pct < 100:
        out.append(f"状态为“已完成”但完成进度为 {pct:g}%")
    rdate = r.get("report_date")
    if not isinstance(rdate, date):
        out.append(f"填报日期“{rdate}”不是日期")
    elif not EARLIEST_DATE <= rdate <= today:
        out.append(
            f"填报日期 {rdate.isoformat()} 不合理,应在 {EARLIEST_DATE.isoformat()} 至今天({today.isoformat()})之间"
        )
    try:
        period = parse_period(str(r.get("period") or ""), "month")
    except Exception:
        out.append(f"报告期“{r.get('period')}”无效")
    else:
        if not EARLIEST_DATE <= period.start <= today:
            out.append(f"报告期 {period.key} 不合理,不能早于 {EARLIEST_DATE.year} 年或晚于本月")
        elif isinstance(rdate, date) and rdate < period.start:
            out.append(f"填报日期 {rdate.isoformat()} 早于报告期 {period.key} 的开始日期")
    for f in _TEXTS:
        v = r.get(f, "")
        if v is not None and not isinstance(v, str):
            out.append(f"“{f}”应为文字")
        elif v and len(v) > TEXT_LIMIT:
            out.append(f"填报内容超过 {TEXT_LIMIT} 字")
    if not isinstance(r.get("task_id"), str) or not r.get("task_id"):
        out.append("任务编号为空")
    return out


def check_saved_rows(rows: list[dict[str, Any]], *, today: date | None = None) -> None:
    """Raise :class:`UploadRejected` (one Chinese line per bad row) unless every row is plausible."""
    today = today or date.today()
    lines = []
    for r in rows:
        for reason in _row_problems(r, today):
            where = f"{r.get('source_sheet') or '填报表'} 第{r.get('source_row', '?')}行(任务{r.get('task_id')})"
            lines.append(f"{where}:{reason}")
    if not rows:
        lines.append("没有要保存的填报行")
    if lines:
        shown = lines[:200] + ([f"……另有 {len(lines) - 200} 处问题"] if len(lines) > 200 else [])
        raise UploadRejected("\n".join(shown) + ";整个文件未保存")
