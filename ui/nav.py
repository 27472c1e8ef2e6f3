"""The dashboard's page list, built in one place so it can later be filtered by role.

>>> [p for p, _t, _i in PAGE_SPECS][:2]
['ui/page_overview.py', 'ui/page_tasks.py']
"""
from __future__ import annotations

import streamlit as st

#: (script, Chinese title, icon, group); order is the sidebar order.
PAGE_SPECS_BY_GROUP: dict[str, list[tuple[str, str, str]]] = {
    "任务督办": [
        ("ui/page_overview.py", "总览", ":material/dashboard:"),
        ("ui/page_tasks.py", "任务", ":material/checklist:"),
        ("ui/page_graph.py", "依赖图", ":material/account_tree:"),
        ("ui/page_import.py", "导入", ":material/upload_file:"),
        ("ui/page_progress.py", "进展填报", ":material/edit_note:"),
        ("ui/page_units.py", "单位考评", ":material/leaderboard:"),
        ("ui/page_reports.py", "报告", ":material/description:"),
    ],
    "窗口与排班": [
        ("ui/page_hall.py", "窗口仿真", ":material/groups:"),
        ("ui/page_staffing.py", "排班", ":material/calendar_month:"),
    ],
}
PAGE_SPECS = [spec for specs in PAGE_SPECS_BY_GROUP.values() for spec in specs]
DEFAULT_PAGE = "ui/page_tasks.py"


def url_path(script: str) -> str:
    """``ui/page_tasks.py`` → ``tasks`` (the page's address in the browser)."""
    return script.rsplit("/", 1)[-1].removeprefix("page_").removesuffix(".py")


def build_pages(role: str | None = None, *, root=None) -> dict[str, list[st.Page]]:
    """Grouped ``st.Page`` objects for ``st.navigation``; pages whose file is missing are skipped.

    ``role`` is reserved for the accounts issue (pages will be filtered by role).
    """
    from pathlib import Path

    base = Path(root) if root else Path(__file__).resolve().parent.parent
    groups: dict[str, list[st.Page]] = {}
    for group, specs in PAGE_SPECS_BY_GROUP.items():
        pages = [st.Page(script, title=title, icon=icon, default=(script == DEFAULT_PAGE),
                         url_path=url_path(script))
                 for script, title, icon in specs if (base / script).is_file()]
        if pages:
            groups[group] = pages
    return groups
