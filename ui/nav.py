"""The dashboard's page list, built in one place and filtered by the logged-in account's role.

Which role sees which page is decided by :mod:`tasks.accounts.roles` (see
``ui.auth.PAGE_ACTIONS``); before login only the login page exists, so no
other page can be opened by address.

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
        ("ui/page_supervision.py", "督办", ":material/assignment_turned_in:"),
        ("ui/page_units.py", "单位考评", ":material/leaderboard:"),
        ("ui/page_reports.py", "报告", ":material/description:"),
        ("ui/page_regions.py", "各地区比较", ":material/map:"),
        ("ui/page_notify.py", "提醒与发件箱", ":material/notifications:"),
    ],
    "窗口与排班": [
        ("ui/page_hall.py", "窗口仿真", ":material/groups:"),
        ("ui/page_hall_report.py", "大厅运行报告", ":material/query_stats:"),
        ("ui/page_staffing.py", "排班", ":material/calendar_month:"),
    ],
    "系统管理": [
        ("ui/accounts.py", "账号管理", ":material/manage_accounts:"),
    ],
}
PAGE_SPECS = [spec for specs in PAGE_SPECS_BY_GROUP.values() for spec in specs]
DEFAULT_PAGE = "ui/page_tasks.py"
#: where each role lands after login when the general default page is not theirs
ROLE_DEFAULT = {"unit": "ui/page_progress.py", "leader": "ui/page_overview.py"}
LOGIN_PAGE = "ui/login.py"


def url_path(script: str) -> str:
    """``ui/page_tasks.py`` → ``tasks`` (the page's address in the browser)."""
    return script.rsplit("/", 1)[-1].removeprefix("page_").removesuffix(".py")


def pages_for(role: str | None, account=None) -> list[str]:
    """The page scripts ``role`` may see, in sidebar order (``None``: every page, for tools and benches);
    with ``account``, an account limited to a region does not get the province-wide pages."""
    from tasks.accounts import PROVINCE_ONLY
    from ui.auth import page_actions, role_may_see

    scoped = account is not None and bool(getattr(account, "region", None))
    return [
        s
        for s, _t, _i in PAGE_SPECS
        if (role is None or role_may_see(role, s)) and not (scoped and any(a in PROVINCE_ONLY for a in page_actions(s)))
    ]


def build_pages(role: str | None = None, *, root=None, account=None) -> dict[str, list[st.Page]]:
    """Grouped ``st.Page`` objects for ``st.navigation``, only those ``role`` (and ``account``'s region
    scope) may see; pages whose file is missing are skipped.  The app passes the logged-in account."""
    from pathlib import Path

    base = Path(root) if root else Path(__file__).resolve().parent.parent
    allowed = set(pages_for(role, account))
    default = DEFAULT_PAGE if DEFAULT_PAGE in allowed else ROLE_DEFAULT.get(role or "", DEFAULT_PAGE)
    groups: dict[str, list[st.Page]] = {}
    for group, specs in PAGE_SPECS_BY_GROUP.items():
        pages = [
            st.Page(script, title=title, icon=icon, default=(script == default), url_path=url_path(script))
            for script, title, icon in specs
            if script in allowed and (base / script).is_file()
        ]
        if pages:
            groups[group] = pages
    return groups


def login_pages() -> list[st.Page]:
    """Before login: the login page only."""
    return [st.Page(LOGIN_PAGE, title="登录", icon=":material/login:", default=True, url_path="login")]
