"""Import task-breakdown tables from any file users have.

:func:`load_plan` looks at the file's bytes (not only its extension), refuses
what it cannot read with one clear :class:`~tasks.errors.ImportFailed`, and
hands tables (xlsx/xls/csv) to :mod:`.tables` and policy documents
(txt/docx/html) to :mod:`.documents`.

>>> plan = load_plan("data/plans/sample-block-plan.txt")
>>> len(plan.tasks), plan.tasks[0].lead_units
(4, ['市数字办', '市政务服务中心管委会'])
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from core import limits

from ..errors import ImportFailed
from ..model import Plan
from ..units import AliasTable
from .common import apply_aliases, reread_rows
from .profiles import ImportProfile, using_profile
from .workbook_writer import DEFAULT_README, write_plan_workbook

__all__ = [
    "DEFAULT_README",
    "DOCUMENT_SUFFIXES",
    "ImportProfile",
    "MAX_BYTES",
    "TABLE_SUFFIXES",
    "load_plan",
    "reread_rows",
    "sniff",
    "using_profile",
    "write_plan_workbook",
]

#: the one upload size limit (:data:`core.limits.MAX_UPLOAD_BYTES`)
MAX_BYTES = limits.MAX_UPLOAD_BYTES
TABLE_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv"}
DOCUMENT_SUFFIXES = {".txt", ".docx", ".html", ".htm"}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _is_html_table(path: Path) -> bool:
    """An HTML page holding a <table> (what “export to Excel” of many web systems writes)."""
    with path.open("rb") as f:
        text = f.read(262144).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head")) and b"<table" in text


def sniff(path: Path, display_name: str | None = None) -> str:
    """The file's real kind: ``xlsx``, ``xls``, ``csv``, ``html_table`` (an HTML table saved
    as .xls), ``docx``, ``html`` or ``txt``.

    Raises :class:`ImportFailed` for encrypted workbooks and files whose
    content does not match their extension (a text file renamed ``.xlsx``).

    Parameters
    ----------
    path
        The file to look at.
    display_name
        The name the user knows the file by (its extension counts, and it goes into messages);
        default ``path.name``.

    Returns
    -------
    str
        One of ``xlsx``, ``xls``, ``csv``, ``html_table``, ``docx``, ``html``, ``txt``.

    Raises
    ------
    ImportFailed
        A damaged or unknown zip, an encrypted workbook, an old ``.doc``, an ``.xlsx``/``.xls``/``.docx``
        whose content is not Office, or an unsupported extension.

    Examples
    --------
    >>> sniff(Path("data/plans/leiyang-2021-tasks.xlsx")), sniff(Path("data/plans/sample-block-plan.txt"))
    ('xlsx', 'txt')
    >>> sniff(Path("data/plans/sample-block-plan.txt"), display_name="任务表.xlsx")
    Traceback (most recent call last):
    ...
    tasks.errors.ImportFailed: 任务表.xlsx: 文件扩展名为 .xlsx,但内容不是 Excel/Word 文件(可能是改了扩展名的文本文件),请用 Excel/Word 另存为正确格式后上传
    """
    name, suffix = display_name or path.name, Path(display_name or path.name).suffix.lower()
    head = path.read_bytes()[:4096]
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile as err:
            raise ImportFailed("文件已损坏(不是有效的 xlsx/docx 压缩包),请重新导出后再上传", file=name) from err
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise ImportFailed("无法识别的压缩文件,请上传 xlsx、xls、csv、docx、txt 或 html 文件", file=name)
    if head.startswith(_OLE2):
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data or b"EncryptedPackage" in data:
            raise ImportFailed("工作簿已加密(设有打开密码),请在 Excel 中取消密码后另存再上传", file=name)
        if suffix == ".doc":
            raise ImportFailed("暂不支持旧版 .doc 文档,请在 Word 中另存为 .docx 后上传", file=name)
        return "xls"
    if suffix in (".xls", ".xlsx") and _is_html_table(path):
        return "html_table"  # many government systems export an HTML table named .xls
    if suffix in (".xlsx", ".xlsm", ".xls", ".docx"):
        raise ImportFailed(
            f"文件扩展名为 {suffix},但内容不是 Excel/Word 文件(可能是改了扩展名的文本文件),"
            "请用 Excel/Word 另存为正确格式后上传",
            file=name,
        )
    if suffix == ".csv":
        return "csv"
    text_head = head.lstrip().lower()
    if suffix in (".html", ".htm") or text_head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if suffix in DOCUMENT_SUFFIXES or suffix == "":
        return "txt"
    raise ImportFailed(f"不支持的文件类型 {suffix},请上传 xlsx、xls、csv、docx、txt 或 html 文件", file=name)


def load_plan(
    path: str | Path,
    *,
    aliases: AliasTable | None = None,
    display_name: str | None = None,
    profile: ImportProfile | None = None,
) -> Plan:
    """Read any supported file into a :class:`Plan`; raise :class:`ImportFailed` on bad input.

    ``display_name`` is the name the user knows the file by (an upload's
    original name) and goes into messages and ``source.file``.  ``profile``
    is an office's import profile (extra labels, first-listed-leads, columns);
    :func:`tasks.importers.confidence.confidence` summarises what to check.

    Parameters
    ----------
    path
        The file: xlsx, xlsm, xls (or an HTML table saved as .xls), csv, docx, txt or html.
    aliases
        The unit alias table; default the shipped one (:meth:`AliasTable.load`).
    display_name
        The file's name as the user knows it; default the file's own name.
    profile
        The office's import profile; its name is recorded in ``plan.used["profile"]``.

    Returns
    -------
    Plan
        The tasks with units split and mapped to canonical names, deadlines parsed, and warnings.

    Raises
    ------
    ImportFailed
        The path is a folder, missing, unreadable, empty, larger than :data:`MAX_BYTES`, a zip bomb,
        of the wrong kind (see :func:`sniff`), or holds no task table; or a cell cannot be read
        (the message names the file, sheet, row and column). Nothing is imported then.

    Examples
    --------
    >>> plan = load_plan("data/plans/leiyang-2021-tasks.xlsx", display_name="任务分解表.xlsx")
    >>> len(plan.tasks), plan.source_file
    (32, '任务分解表.xlsx')
    >>> load_plan("data/plans")
    Traceback (most recent call last):
    ...
    tasks.errors.ImportFailed: plans: 这是一个文件夹,不是文件,请选择其中的任务分解表文件
    """
    with using_profile(profile):
        plan = _load_plan(path, aliases=aliases, display_name=display_name)
    if profile is not None:
        plan.used["profile"] = profile.name
    return plan


def _load_plan(path: str | Path, *, aliases: AliasTable | None, display_name: str | None) -> Plan:
    p = Path(path)
    name = display_name or p.name
    if p.is_dir():
        raise ImportFailed("这是一个文件夹,不是文件,请选择其中的任务分解表文件", file=name)
    if not p.is_file():
        raise ImportFailed("文件不存在", file=name)
    if not os.access(p, os.R_OK):
        raise ImportFailed("没有读取该文件的权限,请检查文件权限或先复制到自己的目录", file=name)
    size = p.stat().st_size
    if size == 0:
        raise ImportFailed("文件是空的", file=name)
    if size > MAX_BYTES:
        raise ImportFailed(
            f"文件过大({size / 1048576:.1f} MB),上限为 {MAX_BYTES // 1048576} MB,请删除无关工作表或图片后再上传",
            file=name,
        )
    kind = sniff(p, name)
    if kind == "docx":  # xlsx packages are checked by the reader itself
        limits.check_zip(p, name, ImportFailed, member_limit=limits.MAX_DOCX_XML_BYTES)
    if kind in ("html", "html_table"):
        limits.check_html_size(size, name, ImportFailed)
    if kind in ("xlsx", "xls", "csv", "html_table"):
        from .tables import read_table

        plan = read_table(p, kind=kind, display_name=name)
    else:
        from .documents import read_document

        plan = read_document(p, kind=kind, display_name=name)
    if not plan.tasks:
        raise ImportFailed("没有找到任何任务(未识别到任务分解表或“牵头单位”等字样),请确认文件内容与编码", file=name)
    table = aliases or AliasTable.load()
    for t in plan.tasks:
        apply_aliases(t, table)
    plan.source_file = plan.source_file or name
    return plan
