"""Our own Chinese download buttons for tables (Streamlit's English table toolbar is hidden by ui.common's CSS)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from ui.common import XLSX_MIME


def task_rows(shown: pd.DataFrame, snap) -> list[dict]:
    """The filtered task table as rows for :func:`tasks.printouts.task_list_xlsx` (progress and card from
    the snapshot; progress as a fraction)."""
    by_key = {(s.plan, s.id): s for s in snap.statuses} if snap is not None else {}
    rows = []
    for rec in shown.to_dict("records"):
        s = by_key.get((rec.get("计划"), rec.get("编号")))
        deadline = rec.get("完成时限")
        rows.append(
            {
                **{k: v for k, v in rec.items() if not str(k).startswith("_")},
                "完成时限": deadline if not pd.isna(deadline) else None,
                "完成进度": round(s.percent / 100, 4) if s is not None else None,
                "预警": s.card_name if s is not None else "",
            }
        )
    return rows


def task_list_button(shown: pd.DataFrame, snap, as_of: date, key: str = "tasks_export") -> None:
    """``导出筛选结果(Excel)``: the rows now shown, styled, with autofilter and print set-up."""
    from tasks.printouts import task_list_xlsx

    title = f"任务清单(截至{as_of.isoformat()},{len(shown)}项)"
    st.download_button(
        "导出筛选结果(Excel)",
        data=lambda: task_list_xlsx(task_rows(shown, snap), title),  # written on click, not on every run
        file_name=f"任务清单_{as_of.isoformat()}.xlsx",
        mime=XLSX_MIME,
        key=key,
        icon=":material/download:",
        on_click="ignore",
        disabled=shown.empty,
    )
