"""Unit contacts: checking one contact, and reading the xlsx/csv contact list with row-level errors.

The list has a header row with 单位, 联系人, 手机, 邮箱, 群机器人地址 (and optionally 加签密钥
for a 钉钉 robot with a signed secret).  Every bad cell is reported with file, sheet, row and
column; a file with any problem is not imported at all.

>>> check_contact(Contact("市审改办", phone="138 0000 0000", email="a@b.cn")).phone
'13800000000'
>>> check_contact(Contact("市审改办", phone="12345"))
Traceback (most recent call last):
tasks.notify.model.NotifyError: 手机号“12345”无效:应为 11 位手机号或带区号的固定电话
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from core.errors import Issue

from .channels import check_webhook_url
from .model import Contact, NotifyError

__all__ = ["COLUMNS", "ContactSheet", "check_contact", "read_contacts", "is_mobile", "split_emails"]

COLUMNS = ("单位", "联系人", "手机", "邮箱", "群机器人地址")
OPTIONAL = ("加签密钥",)
_HEADER_ALIASES = {
    "单位名称": "单位",
    "责任单位": "单位",
    "联系人姓名": "联系人",
    "手机号": "手机",
    "手机号码": "手机",
    "电子邮箱": "邮箱",
    "邮件": "邮箱",
    "机器人地址": "群机器人地址",
    "Webhook": "群机器人地址",
    "webhook": "群机器人地址",
    "钉钉加签密钥": "加签密钥",
}
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+")


def is_mobile(phone: str) -> bool:
    """True for an 11-digit mainland mobile number (the send list is for SMS).

    Parameters
    ----------
    phone
        A cleaned phone number (as :func:`check_contact` leaves it).

    Returns
    -------
    bool
        Whether an SMS can be sent to it (a landline cannot).

    Examples
    --------
    >>> is_mobile("13800000000"), is_mobile("0734-1234567")
    (True, False)
    """
    return bool(_MOBILE.fullmatch(phone))


def split_emails(text: str) -> list[str]:
    """``a@b.cn;c@d.cn`` → two addresses (separators ; , 、 ; , and spaces).

    Parameters
    ----------
    text
        An e-mail cell (may be empty).

    Returns
    -------
    list of str
        The addresses, unchecked, in order.

    Examples
    --------
    >>> split_emails("a@b.cn;c@d.cn、 e@f.cn"), split_emails("")
    (['a@b.cn', 'c@d.cn', 'e@f.cn'], [])
    """
    return [e for e in re.split(r"[;,、;,\s]+", text or "") if e]


def _phone(text: str) -> str:
    digits = re.sub(r"[\s()()]", "", text or "").replace("—", "-")
    if digits.startswith("+86"):
        digits = digits[3:]
    if not digits:
        return ""
    plain = digits.replace("-", "")
    if _MOBILE.fullmatch(plain):
        return plain
    if _LANDLINE.fullmatch(digits):
        return digits
    raise NotifyError(f"手机号“{text}”无效:应为 11 位手机号或带区号的固定电话")


def check_contact(c: Contact, known_units: Iterable[str] | None = None) -> Contact:
    """A cleaned contact, or :class:`NotifyError` naming the bad field.

    Parameters
    ----------
    c
        The contact as typed or read.
    known_units
        The units of the task tables; when given, ``c.unit`` must be one of them.

    Returns
    -------
    Contact
        Fields stripped; the phone without blanks (a ``+86`` dropped), e-mail addresses joined by
        ``,``, the robot address trimmed.

    Raises
    ------
    NotifyError
        No unit, a unit not in ``known_units``, a bad phone number, e-mail address or robot address,
        a signing secret without a robot address, or none of phone, e-mail and robot address.

    Examples
    --------
    >>> check_contact(Contact("市审改办", email="a@b.cn;c@d.cn")).email
    'a@b.cn,c@d.cn'
    >>> check_contact(Contact("市财政局", phone="13800000000"), known_units=["市审改办"])
    Traceback (most recent call last):
    ...
    tasks.notify.model.NotifyError: 单位“市财政局”不在任务分解表中,请使用任务分解表中的单位全称
    """
    unit = (c.unit or "").strip()
    if not unit:
        raise NotifyError("单位名称不能为空")
    if known_units is not None and unit not in set(known_units):
        raise NotifyError(f"单位“{unit}”不在任务分解表中,请使用任务分解表中的单位全称")
    phone = _phone(c.phone)
    emails = split_emails(c.email)
    bad = [e for e in emails if not _EMAIL.fullmatch(e)]
    if bad:
        raise NotifyError(f"邮箱“{bad[0]}”格式不对,应如 name@example.gov.cn")
    webhook = check_webhook_url(c.webhook) if (c.webhook or "").strip() else ""
    secret = (c.webhook_secret or "").strip()
    if secret and not webhook:
        raise NotifyError("填写了加签密钥但没有群机器人地址")
    if not (phone or emails or webhook):
        raise NotifyError("手机、邮箱、群机器人地址至少填写一项")
    return Contact(
        unit=unit,
        person=(c.person or "").strip(),
        phone=phone,
        email=",".join(emails),
        webhook=webhook,
        webhook_secret=secret,
        region=(c.region or "").strip(),
    )


@dataclass(frozen=True)
class ContactSheet:
    """What a contact list holds: the clean contacts, or the problems (then nothing is imported).

    Parameters
    ----------
    file
        The file name the user knows.
    contacts
        The checked contacts (empty when there is any issue).
    issues
        Every problem, located by file, sheet, row and column.
    has_secret_column
        Whether the list has the optional 加签密钥 column.

    Examples
    --------
    >>> sheet = ContactSheet("联系人.csv", issues=(Issue("表中没有联系人", file="联系人.csv"),))
    >>> sheet.ok, sheet.summary()
    (False, '联系人.csv:发现 1 处问题,未导入任何联系人')
    """

    file: str
    contacts: tuple[Contact, ...] = ()
    issues: tuple[Issue, ...] = ()
    has_secret_column: bool = False

    @property
    def ok(self) -> bool:
        """True when there are contacts and no issues (the list may be imported)."""
        return not self.issues and bool(self.contacts)

    def summary(self) -> str:
        """One Chinese line: how many contacts, or how many problems.

        Returns
        -------
        str
            ``<file>:N 个单位的联系方式``, or ``<file>:发现 N 处问题,未导入任何联系人``.

        Examples
        --------
        >>> ContactSheet("联系人.csv", contacts=(Contact("市财政局", phone="13800000000"),)).summary()
        '联系人.csv:1 个单位的联系方式'
        """
        if self.issues:
            return f"{self.file}:发现 {len(self.issues)} 处问题,未导入任何联系人"
        return f"{self.file}:{len(self.contacts)} 个单位的联系方式"


def _find_header(rows: Sequence[tuple[Any, ...]]) -> tuple[int, dict[str, int]] | None:
    from ..importers.tables_read import cell_text

    for i, row in enumerate(rows[:15]):
        cols: dict[str, int] = {}
        for j, v in enumerate(row):
            name = re.sub(r"\s+", "", cell_text(v)).rstrip("*")
            name = _HEADER_ALIASES.get(name, name)
            if name in COLUMNS + OPTIONAL and name not in cols:
                cols[name] = j
        if "单位" in cols and len(cols) >= 2:
            return i, cols
    return None


def read_contacts(path: str | Path, known_units: Iterable[str], name: str | None = None) -> ContactSheet:
    """Read a contact list (xlsx or csv); every row checked, every problem located.

    Parameters
    ----------
    path
        The xlsx or csv file.
    known_units
        The units of the task tables; every row's unit must be one of them, and appear once.
    name
        The file name the user knows (an upload's name); default ``path.name``.

    Returns
    -------
    ContactSheet
        The contacts, or every problem found (wrong file type, missing file, no header, missing
        columns, empty/unknown/repeated units, bad phone/e-mail/robot address, no contacts) with
        file, sheet, row and column; problems are returned, not raised.

    Raises
    ------
    core.errors.InputError
        The file itself cannot be read as a spreadsheet (damaged, too large, encrypted).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "联系人.csv"
    >>> _ = path.write_text("单位,联系人,手机,邮箱,群机器人地址\\n市审改办,张三,13800000000,,\\n市财政局,李四,123,,\\n",
    ...                     encoding="utf-8")
    >>> sheet = read_contacts(path, known_units=["市审改办", "市财政局"])
    >>> sheet.ok, [str(i) for i in sheet.issues]
    (False, ['联系人.csv / 第3行 / “手机”列: 手机号“123”无效:应为 11 位手机号或带区号的固定电话'])
    >>> _ = path.write_text("单位,联系人,手机,邮箱,群机器人地址\\n市审改办,张三,13800000000,,\\n", encoding="utf-8")
    >>> read_contacts(path, known_units=["市审改办"]).summary()
    '联系人.csv:1 个单位的联系方式'
    """
    from ..importers.tables_read import cell_text, is_blank, read_grids

    path = Path(path)
    name = name or path.name
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("xlsx", "csv"):
        return ContactSheet(name, issues=(Issue("联系人表应为 .xlsx 或 .csv 文件", file=name),))
    if not path.is_file():
        return ContactSheet(name, issues=(Issue("文件不存在", file=name),))
    grids = read_grids(path, kind, name)
    found = None
    for g in grids:
        hit = _find_header(g.rows)
        if hit:
            found = (g, *hit)
            break
    if found is None:
        return ContactSheet(name, issues=(Issue(f"找不到表头:第一行应有“{'、'.join(COLUMNS)}”这些列", file=name),))
    grid, header_idx, cols = found
    sheet = grid.name if kind == "xlsx" else None
    missing = [c for c in COLUMNS if c not in cols]
    if missing:
        return ContactSheet(
            name, issues=(Issue(f"缺少列:{'、'.join(missing)}", file=name, sheet=sheet, row=header_idx + 1),)
        )
    known = set(known_units)
    issues: list[Issue] = []
    contacts: list[Contact] = []
    first_row: dict[str, int] = {}

    def cell(row: tuple[Any, ...], col: str) -> str:
        j = cols.get(col)
        return cell_text(row[j]) if j is not None and j < len(row) else ""

    for i, row in enumerate(grid.rows[header_idx + 1 :], start=header_idx + 2):
        if all(is_blank(v) for v in row):
            continue
        raw = Contact(
            unit=cell(row, "单位"),
            person=cell(row, "联系人"),
            phone=cell(row, "手机"),
            email=cell(row, "邮箱"),
            webhook=cell(row, "群机器人地址"),
            webhook_secret=cell(row, "加签密钥"),
        )
        unit = re.sub(r"\s+", "", raw.unit)
        row_issues = []
        if not unit:
            row_issues.append(Issue("单位不能为空", file=name, sheet=sheet, row=i, column="单位"))
        elif unit not in known:
            row_issues.append(
                Issue(
                    f"单位“{unit}”不在任务分解表中,请使用任务分解表中的单位全称",
                    file=name,
                    sheet=sheet,
                    row=i,
                    column="单位",
                )
            )
        elif unit in first_row:
            row_issues.append(
                Issue(f"单位“{unit}”重复,第{first_row[unit]}行已填写", file=name, sheet=sheet, row=i, column="单位")
            )
        else:
            first_row[unit] = i
        for column, probe in (
            ("手机", replace(raw, unit="x", email="", webhook="", webhook_secret="", phone=raw.phone)),
            ("邮箱", replace(raw, unit="x", phone="", webhook="", webhook_secret="")),
            ("群机器人地址", replace(raw, unit="x", phone="", email="", webhook_secret="")),
        ):
            value = {"手机": raw.phone, "邮箱": raw.email, "群机器人地址": raw.webhook}[column]
            if not value.strip():
                continue
            try:
                check_contact(probe)
            except NotifyError as err:
                row_issues.append(Issue(str(err), file=name, sheet=sheet, row=i, column=column))
        if not row_issues:
            try:
                contacts.append(check_contact(replace(raw, unit=unit)))
            except NotifyError as err:
                column = "加签密钥" if "加签" in str(err) else "手机"
                row_issues.append(
                    Issue(str(err), file=name, sheet=sheet, row=i, column=column if column in cols else None)
                )
        issues += row_issues
    if not issues and not contacts:
        issues.append(Issue("表中没有联系人", file=name, sheet=sheet))
    return ContactSheet(name, tuple(contacts) if not issues else (), tuple(issues), "加签密钥" in cols)
