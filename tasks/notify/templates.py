"""Message wording: one subject and body per reason, with ``{占位符}`` the office may edit.

>>> t = DEFAULT_TEMPLATES["urge"]
>>> render(t, {"单位": "市审改办", "报告期": "2021-09", "报送期限": "2021-10-05", "任务清单": "1 推进简政放权",
...            "任务数": 1, "联系人": "张三"})[0]
'【催办】市审改办 2021-09 工作进展尚未报送'
>>> check_template("urge", "催办{单位", "x")
Traceback (most recent call last):
tasks.notify.model.NotifyError: “催办”模板的标题写法有误:大括号不配对(占位符应写成 {单位} 这样)
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .model import REASONS, NotifyError

__all__ = ["Template", "PLACEHOLDERS", "DEFAULT_TEMPLATES", "check_template", "render"]

#: every placeholder a template may use (missing values render empty)
PLACEHOLDERS: dict[str, str] = {
    "单位": "收件单位",
    "联系人": "单位联系人",
    "计划": "计划名称",
    "日期": "发送日期",
    "报告期": "报告期(催办)",
    "报送期限": "报送期限(催办)",
    "任务清单": "涉及任务,每行一项",
    "任务数": "涉及任务数",
    "天数": "距完成时限天数(到期提醒)",
    "任务编号": "任务编号(事件通知)",
    "任务": "任务名称(事件通知)",
    "完成时限": "完成时限",
    "说明": "审批意见、退回意见或预警说明",
}


@dataclass(frozen=True)
class Template:
    """One reason's wording: a one-line subject and a body, with ``{占位符}`` from :data:`PLACEHOLDERS`.

    Parameters
    ----------
    reason
        One of :data:`tasks.notify.REASONS` (``urge``, ``deadline``, ``sign`` …).
    subject, body
        The wording (check an edited one with :func:`check_template`).

    Examples
    --------
    >>> DEFAULT_TEMPLATES["sign"].subject
    '【签收通知】请签收 {任务数} 项交办任务'
    """

    reason: str
    subject: str
    body: str


DEFAULT_TEMPLATES: dict[str, Template] = {
    t.reason: t
    for t in (
        Template(
            "urge",
            "【催办】{单位} {报告期} 工作进展尚未报送",
            "{联系人}您好:\n{单位}牵头的以下 {任务数} 项任务 {报告期} 的工作进展尚未报送"
            "(报送期限 {报送期限}),请尽快通过工作台填报:\n{任务清单}\n\n领导小组办公室 {日期}",
        ),
        Template(
            "deadline",
            "【到期提醒】{单位}有 {任务数} 项任务即将到期",
            "{联系人}您好:\n{单位}承担的以下任务将在 {天数} 天内到完成时限,请抓紧推进,按期完成后及时申请办结:\n"
            "{任务清单}\n\n领导小组办公室 {日期}",
        ),
        Template(
            "sign",
            "【签收通知】请签收 {任务数} 项交办任务",
            "{联系人}您好:\n{计划}向{单位}交办以下任务,请登录工作台签收:\n{任务清单}\n{说明}\n\n领导小组办公室 {日期}",
        ),
        Template(
            "extension",
            "【延期审批结果】任务 {任务编号}",
            "{联系人}您好:\n{单位}关于任务 {任务编号} {任务} 的延期申请已审批:{说明}。\n现完成时限:{完成时限}\n\n"
            "领导小组办公室 {日期}",
        ),
        Template(
            "returned",
            "【办结申请退回】任务 {任务编号}",
            "{联系人}您好:\n{单位}关于任务 {任务编号} {任务} 的办结申请已退回,退回意见:{说明}\n请补充佐证材料后重新申请。\n\n"
            "领导小组办公室 {日期}",
        ),
        Template(
            "card",
            "【预警通知】任务 {任务编号} {说明}",
            "{联系人}您好:\n{单位}牵头的任务 {任务编号} {任务}(完成时限 {完成时限})预警变化:{说明}。\n请及时整改并报送进展。\n\n"
            "领导小组办公室 {日期}",
        ),
    )
}
assert set(DEFAULT_TEMPLATES) == set(REASONS)


def _fields(text: str, what: str) -> list[str]:
    try:
        return [f for _, f, spec, conv in string.Formatter().parse(text) if f is not None]
    except ValueError:
        raise NotifyError(f"{what}写法有误:大括号不配对(占位符应写成 {{单位}} 这样)") from None


def check_template(reason: str, subject: str, body: str) -> Template:
    """A checked template: known reason, non-empty subject/body, only known placeholders.

    Parameters
    ----------
    reason
        One of :data:`tasks.notify.REASONS`.
    subject, body
        The office's wording.

    Returns
    -------
    Template
        With subject and body stripped.

    Raises
    ------
    NotifyError
        An unknown reason, an empty subject or body, a subject of several lines, unpaired braces, or
        a placeholder not in :data:`PLACEHOLDERS` (the message lists the allowed ones).

    Examples
    --------
    >>> check_template("urge", " 请报送{报告期}进展 ", "{单位}:请报送。").subject
    '请报送{报告期}进展'
    >>> check_template("urge", "请报送", "{部门}:请报送。")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tasks.notify.model.NotifyError: “催办”模板的正文中有未知占位符 {部门};可用:{单位}、...
    """
    if reason not in REASONS:
        raise NotifyError(f"未知的提醒类型“{reason}”")
    name = REASONS[reason]
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject or not body:
        raise NotifyError(f"“{name}”模板的标题和正文都不能为空")
    if "\n" in subject:
        raise NotifyError(f"“{name}”模板的标题只能有一行")
    for what, text in (("标题", subject), ("正文", body)):
        unknown = [f for f in _fields(text, f"“{name}”模板的{what}") if f not in PLACEHOLDERS]
        if unknown:
            raise NotifyError(
                f"“{name}”模板的{what}中有未知占位符 {{{unknown[0]}}};"
                f"可用:{'、'.join('{' + p + '}' for p in PLACEHOLDERS)}"
            )
    return Template(reason, subject, body)


def render(template: Template, values: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, body) with the placeholders filled (missing ones empty).

    Parameters
    ----------
    template
        A checked template.
    values
        Placeholder → value (``None`` and missing placeholders render empty).

    Returns
    -------
    tuple of (str, str)
        The subject and body, stripped.

    Examples
    --------
    >>> render(Template("urge", "{单位}请报送", "{联系人}您好"), {"单位": "市审改办", "联系人": None})
    ('市审改办请报送', '您好')
    """
    filled = {k: ("" if values.get(k) is None else str(values.get(k))) for k in PLACEHOLDERS}
    return (template.subject.format_map(filled).strip(), template.body.format_map(filled).strip())
