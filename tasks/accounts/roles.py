"""Roles, the permission matrix, and :func:`require` — the one check every guarded call makes.

Four roles: ``office`` (领导小组办公室: everything), ``planner`` (规划人员: reads
everything, runs simulations and staffing, changes nothing), ``unit`` (责任单位:
its own tasks, template, uploads, scorecard and reminders) and ``leader``
(领导: read-only overview, units, reports).  Actions marked *scoped* carry a unit:
a unit account may do them only for its own unit.

>>> office = Account("ban", "office")
>>> require(office, "close_period")
>>> unit = Account("zwzx", "unit", unit="市政务服务中心")
>>> require(unit, "upload_progress", unit="市政务服务中心")
>>> allowed(unit, "upload_progress", unit="市公安局")
False

Any account may also carry a ``region`` (a city or county, :mod:`tasks.regions`): it then
sees and manages only that region's plans (a city's include its counties'), its units' contacts
and its region's reminders; what the whole province shares — reporting periods, rules, message
templates, the register of regions — is left to the unscoped (provincial) office.  The comparison of regions is read by offices, leaders and planners alike,
each over the regions it sees (the province: every city; a city: itself and its counties):

>>> allowed(Account("sz", "office", region="甲市"), "close_period")
False
>>> allowed(Account("ld", "leader", region="甲市"), "compare_regions"), allowed(unit, "compare_regions")
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import labels
from ..errors import WorkbenchError

OFFICE, PLANNER, UNIT, LEADER = "office", "planner", "unit", "leader"
ROLES = (OFFICE, PLANNER, UNIT, LEADER)
ROLE_NAMES = labels.USER_ROLE

#: every action the workbench guards, with the Chinese words used in refusals
ACTIONS: dict[str, str] = {
    # pages / reading
    "view_overview": "查看总览",
    "view_tasks": "查看任务",
    "view_graph": "查看依赖图",
    "view_progress": "进入进展填报",
    "view_units": "查看单位考评",
    "view_reports": "查看和下载报告",
    "view_hall": "进行窗口仿真",
    "view_staffing": "进行排班测算",
    "view_import": "导入任务分解表",
    "read_all": "查看全部单位的数据",
    # changes
    "load_plan": "导入或更新计划",
    "set_predecessors": "编辑前置任务",
    "download_template": "下载进展填报模板",
    "upload_progress": "上传进展填报",
    "register_period": "登记报告期",
    "open_period": "开启报告期",
    "close_period": "关闭报告期",
    "save_rules": "修改预警与考核规则",
    "manage_accounts": "管理账号",
    "read_audit": "查看操作日志",
    "change_store": "修改进度库",
    # the supervision loop (督办)
    "sign_task": "签收任务",
    "request_extension": "申请延期",
    "decide_extension": "审批延期申请",
    "claim_done": "申请办结",
    "review_claim": "审核办结申请",
    "appeal_card": "对预警牌提出申诉",
    "decide_appeal": "处理申诉",
    "download_evidence": "下载佐证材料",
    "set_calendar": "设置计划的报送日历",
    "freeze_baseline": "冻结基线",
    # reminders (issue 17)
    "manage_notify": "维护通知模板与提醒规则",
    "manage_contacts": "维护单位联系人",
    "view_outbox": "查看发件箱",
    "send_notify": "发送提醒",
    # a province on one deployment (issue 18)
    "manage_regions": "登记地区、调整计划所属地区",
    "compare_regions": "比较各地区",
}
#: actions a unit account may do only for its own unit
SCOPED = frozenset(
    {
        "view_tasks",
        "view_progress",
        "view_units",
        "download_template",
        "upload_progress",
        "sign_task",
        "request_extension",
        "claim_done",
        "appeal_card",
        "download_evidence",
    }
)

#: actions on what the whole deployment shares: an account with a region scope may not do them
PROVINCE_ONLY = frozenset(
    {
        "manage_regions",
        "open_period",
        "close_period",
        "save_rules",
        "manage_notify",
    }
)

_READ_ALL = {"view_overview", "view_tasks", "view_graph", "view_units", "view_reports", "read_all"}
PERMISSIONS: dict[str, frozenset[str]] = {
    OFFICE: frozenset(ACTIONS),
    PLANNER: frozenset(_READ_ALL | {"view_hall", "view_staffing", "compare_regions"}),
    UNIT: frozenset(
        {
            "view_tasks",
            "view_progress",
            "view_units",
            "download_template",
            "upload_progress",
            "register_period",
            "sign_task",
            "request_extension",
            "claim_done",
            "appeal_card",
            "download_evidence",
        }
    ),
    LEADER: frozenset({"view_overview", "view_units", "view_reports", "read_all", "compare_regions"}),
}


class PermissionDenied(WorkbenchError):
    """The acting account may not do this; ``str()`` says who, what, and whom to ask.

    Parameters
    ----------
    *args
        The Chinese message, as for :class:`~core.errors.WorkbenchError`.

    Examples
    --------
    >>> require(None, "close_period")
    Traceback (most recent call last):
    ...
    tasks.accounts.roles.PermissionDenied: 请先登录后再关闭报告期
    """


@dataclass(frozen=True)
class Account:
    """Who is acting: a local account, an OpenID Connect identity, or the server's command line.

    ``unit`` is set for (and only for) unit accounts; ``region`` (any role) limits the account to
    one city's or county's plans (None: unscoped, e.g. the provincial office).

    Parameters
    ----------
    name : str
        The login name.
    role : str
        ``office``, ``planner``, ``unit`` or ``leader``.
    unit : str, optional
        The unit of a unit account.
    display_name : str, optional
        The name shown (default the login name).
    disabled : bool, optional
        A disabled account may do nothing.
    source : str, optional
        ``local``, ``oidc`` or ``cli``.
    must_change_password : bool, optional
        A generated password is still in use: nothing is allowed until it is changed.
    region : str, optional
        The city or county the account is limited to.

    Examples
    --------
    >>> Account("zwzx", "unit", unit="市政务服务中心", display_name="张三").label
    '张三(市政务服务中心)'
    """

    name: str
    role: str
    unit: str | None = None
    display_name: str = ""
    disabled: bool = False
    source: str = "local"  # local | oidc | cli
    #: a generated (first or reset) password still in use: nothing is allowed until it is changed
    must_change_password: bool = False
    #: the city or county the account is limited to (None: all regions)
    region: str | None = None

    @property
    def label(self) -> str:
        """``张三(市政务服务中心)`` / ``ban(领导小组办公室)`` / ``sz(甲市·领导小组办公室)`` for page headers."""
        who = self.display_name or self.name
        what = self.unit if self.role == UNIT and self.unit else ROLE_NAMES.get(self.role, self.role)
        return f"{who}({self.region + '·' if self.region else ''}{what})"

    def to_dict(self) -> dict[str, Any]:
        """The account as a plain dict for display and JSON (never a password).

        Returns
        -------
        dict
            ``name``, ``role``, ``role_name`` (Chinese), ``unit``, ``display_name``, ``disabled``,
            ``source`` and ``region``.

        Examples
        --------
        >>> d = Account("czj", "unit", unit="市财政局").to_dict()
        >>> d["name"], d["role_name"], d["unit"], d["region"]
        ('czj', '责任单位', '市财政局', None)
        """
        return {
            "name": self.name,
            "role": self.role,
            "role_name": ROLE_NAMES.get(self.role, self.role),
            "unit": self.unit,
            "display_name": self.display_name,
            "disabled": self.disabled,
            "source": self.source,
            "region": self.region,
        }


def allowed(account: Account | None, action: str, unit: str | None = None) -> bool:
    """True when :func:`require` would pass.

    Parameters
    ----------
    account : Account or None
        The acting account (None: nobody logged in).
    action : str
        A key of :data:`ACTIONS`.
    unit : str, optional
        The unit the action is for (scoped actions).

    Returns
    -------
    bool
        Whether ``account`` may do ``action`` for ``unit``.

    Raises
    ------
    ValueError
        When ``action`` is not a key of :data:`ACTIONS` (a programming error).

    Examples
    --------
    >>> unit = Account("zwzx", "unit", unit="市政务服务中心")
    >>> allowed(unit, "upload_progress", unit="市政务服务中心"), allowed(unit, "close_period")
    (True, False)
    """
    try:
        require(account, action, unit)
    except PermissionDenied:
        return False
    return True


def require(account: Account | None, action: str, unit: str | None = None) -> None:
    """Raise :class:`PermissionDenied` unless ``account`` may do ``action`` (for ``unit``).

    For a unit account a scoped action needs ``unit`` equal to its own unit
    (``unit=None`` means "for all units" and is refused).

    Parameters
    ----------
    account : Account or None
        The acting account (None: nobody logged in).
    action : str
        A key of :data:`ACTIONS`.
    unit : str, optional
        The unit the action is for (scoped actions).

    Raises
    ------
    PermissionDenied
        When nobody is logged in (``请先登录后再…``), the account is disabled or still has its initial
        password, its role lacks the action, a region-scoped account asks for a province-wide action,
        or a unit account acts for another unit (``单位账号“…”只能为本单位“…”…``).
    ValueError
        When ``action`` is not a key of :data:`ACTIONS` (a programming error).

    Examples
    --------
    >>> unit = Account("zwzx", "unit", unit="市政务服务中心")
    >>> require(unit, "upload_progress", unit="市政务服务中心")
    >>> require(unit, "upload_progress", unit="市公安局")
    Traceback (most recent call last):
    ...
    tasks.accounts.roles.PermissionDenied: 单位账号“zwzx”只能为本单位“市政务服务中心”上传进展填报,不能为“市公安局”上传进展填报
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    what = ACTIONS[action]
    if account is None:
        raise PermissionDenied(f"请先登录后再{what}")
    if account.disabled:
        raise PermissionDenied(f"账号“{account.name}”已停用,不能{what};如有需要请联系领导小组办公室")
    if account.must_change_password:
        raise PermissionDenied(f"账号“{account.name}”仍在使用初始密码:请先修改初始密码,再{what}")
    role_name = ROLE_NAMES.get(account.role, account.role)
    if account.role not in PERMISSIONS:
        raise PermissionDenied(f"账号“{account.name}”的角色“{account.role}”无效,请联系领导小组办公室")
    if action not in PERMISSIONS[account.role]:
        raise PermissionDenied(f"{role_name}账号“{account.name}”无权{what};如确需办理,请联系领导小组办公室")
    if account.region and action in PROVINCE_ONLY:
        raise PermissionDenied(
            f"{account.region}的账号“{account.name}”不能{what}:此项全省统一,由省级领导小组办公室办理"
        )
    if account.role == UNIT and action in SCOPED:
        if not account.unit:
            raise PermissionDenied(f"单位账号“{account.name}”未绑定单位,不能{what},请联系领导小组办公室")
        if unit != account.unit:
            target = f"“{unit}”" if unit else "其他单位"
            raise PermissionDenied(f"单位账号“{account.name}”只能为本单位“{account.unit}”{what},不能为{target}{what}")


def actions_of(role: str) -> list[str]:
    """The actions of a role, in :data:`ACTIONS` order (for the permission table).

    Parameters
    ----------
    role : str
        ``office``, ``planner``, ``unit`` or ``leader``.

    Returns
    -------
    list of str
        Its actions; empty for an unknown role.

    Examples
    --------
    >>> actions_of("leader")
    ['view_overview', 'view_units', 'view_reports', 'read_all', 'compare_regions']
    """
    return [a for a in ACTIONS if a in PERMISSIONS.get(role, ())]


def permission_table() -> list[dict[str, str]]:
    """The matrix as rows (action × role → ✓/本单位/省级/—) for the accounts page and the README
    (``省级``: only an account without a region scope).

    Returns
    -------
    list of dict
        One row per action: ``操作`` (its words) and one column per role's Chinese name.

    Examples
    --------
    >>> permission_table()[0]
    {'操作': '查看总览', '领导小组办公室': '✓', '规划人员': '✓', '责任单位': '—', '领导(只读)': '✓'}
    """
    rows = []
    for action, words in ACTIONS.items():
        row = {"操作": words}
        for role in ROLES:
            ok = action in PERMISSIONS[role]
            mark = "本单位" if role == UNIT and action in SCOPED else ("省级" if action in PROVINCE_ONLY else "✓")
            row[ROLE_NAMES[role]] = mark if ok else "—"
        rows.append(row)
    return rows
