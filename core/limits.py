"""Limits on what one uploaded file may cost, and the checks that enforce them before parsing.

A small file can still be a bomb: a 1 MB xlsx holding a 1 GB cell, a zip whose CSV inflates
to 3 GB, a 300-byte HTML table with ``colspan=300000000``, a two-cell sheet whose cells sit
at ``A1`` and ``XFD1048576``.  Every reader in :mod:`core.sheets` (and the document importers)
checks these limits first, so that no file the size limit lets in takes the process past a
few hundred MB.  The limits are plain constants: one place to read them, one place to change
them (the dashboard's ``server.maxUploadSize`` in ``.streamlit/config.toml`` agrees with
:data:`MAX_UPLOAD_MB`; a test checks that).

>>> MAX_UPLOAD_BYTES == MAX_UPLOAD_MB * 1024 * 1024
True
>>> shown, more = cap_problems(list(range(250)))
>>> len(shown), more
(200, 50)
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from .errors import InputError

__all__ = [
    "MAX_CELLS",
    "MAX_CELL_CHARS",
    "MAX_DOCX_XML_BYTES",
    "MAX_FILLED_CELLS",
    "MAX_HTML_BYTES",
    "MAX_MEMBERS",
    "MAX_MEMBER_BYTES",
    "MAX_PROBLEMS",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_SPAN",
    "MAX_TABLE_CELLS",
    "MAX_TOTAL_BYTES",
    "MAX_UPLOAD_BYTES",
    "MAX_UPLOAD_MB",
    "RATIO_FLOOR",
    "cap_problems",
    "check_html_size",
    "check_size",
    "check_zip",
    "more_problems_line",
]

#: one uploaded or imported file, in MB (the dashboard's upload widget uses the same number)
MAX_UPLOAD_MB = 20
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
#: rows of one sheet (more than any task table or progress sheet has); reading stops at the first row past it
MAX_ROWS = 100_000
#: characters in one cell: Excel's own limit, so no cell typed in Excel is refused
MAX_CELL_CHARS = 32_767
#: the area (rows × columns) of one sheet's used range, which a columnar reader allocates densely
MAX_CELLS = 3_000_000
#: cells holding something in one sheet (each becomes a Python object)
MAX_FILLED_CELLS = 1_000_000
#: one member of a zip package (a sheet's XML, shared strings, a CSV in a zip) once inflated
MAX_MEMBER_BYTES = 100 * 1024 * 1024
#: all members of one package once inflated
MAX_TOTAL_BYTES = 200 * 1024 * 1024
#: an HTML page or table: a parsed HTML tree takes about 60 times the page's size
MAX_HTML_BYTES = 5 * 1024 * 1024
#: a Word document's body (word/document.xml) once inflated: its parsed tree takes about 10 times that
MAX_DOCX_XML_BYTES = 20 * 1024 * 1024
#: inflated ÷ compressed size allowed for members larger than :data:`RATIO_FLOOR`
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024
#: members of one package (a workbook has a few dozen)
MAX_MEMBERS = 5_000
#: colspan/rowspan of one HTML or Word table cell (HTML caps colspan at 1000 itself)
MAX_SPAN = 1_000
#: cells of one HTML or Word table once spans are expanded
MAX_TABLE_CELLS = 1_000_000
#: problems listed for one file; the rest are counted
MAX_PROBLEMS = 200

_T = TypeVar("_T")
_CHUNK = 1024 * 1024


def _mb(n: int) -> str:
    return f"{n / 1048576:.0f} MB" if n >= 1048576 else f"{n / 1024:.0f} KB"


def check_size(size: int, name: str, error: type[InputError] = InputError) -> None:
    """Refuse a file larger than :data:`MAX_UPLOAD_BYTES` (or an empty one).

    Parameters
    ----------
    size
        The file's size in bytes.
    name
        The file name the user knows, put in the message.
    error
        The :class:`~core.errors.InputError` subclass to raise (each library has its own).

    Raises
    ------
    InputError
        ``文件是空的`` for an empty file, ``文件过大…`` for one over the limit.

    Examples
    --------
    >>> check_size(1024, "a.xlsx")  # fine: nothing happens
    >>> check_size(MAX_UPLOAD_BYTES + 1, "a.xlsx")
    Traceback (most recent call last):
    ...
    core.errors.InputError: a.xlsx: 文件过大(20.0 MB),上限为 20 MB,请删除无关工作表或图片后再上传
    """
    if size == 0:
        raise error("文件是空的", file=name)
    if size > MAX_UPLOAD_BYTES:
        raise error(
            f"文件过大({size / 1048576:.1f} MB),上限为 {MAX_UPLOAD_MB} MB,请删除无关工作表或图片后再上传", file=name
        )


def check_html_size(size: int, name: str, error: type[InputError] = InputError) -> None:
    """Refuse an HTML file larger than :data:`MAX_HTML_BYTES` (its parsed tree would not fit).

    Parameters
    ----------
    size
        The file's size in bytes.
    name
        The file name the user knows, put in the message.
    error
        The :class:`~core.errors.InputError` subclass to raise.

    Raises
    ------
    InputError
        ``网页文件过大…`` when ``size`` is over :data:`MAX_HTML_BYTES`.

    Examples
    --------
    >>> check_html_size(6 * 1024 * 1024, "a.html")
    Traceback (most recent call last):
    ...
    core.errors.InputError: a.html: 网页文件过大(6.0 MB),网页格式的上限为 5 MB,请在 Excel/Word 中另存为 xlsx 或 docx 后再上传
    """
    if size > MAX_HTML_BYTES:
        raise error(
            f"网页文件过大({size / 1048576:.1f} MB),网页格式的上限为 {MAX_HTML_BYTES // 1048576} MB,"
            "请在 Excel/Word 中另存为 xlsx 或 docx 后再上传",
            file=name,
        )


def check_zip(
    source: bytes | str | Path,
    name: str,
    error: type[InputError] = InputError,
    *,
    member_limit: int = MAX_MEMBER_BYTES,
    total_limit: int = MAX_TOTAL_BYTES,
) -> None:
    """Check a zip package (xlsx, docx, a zip of CSVs) before anything parses it.

    Every member's declared size, and the size it really inflates to (read in 1 MB chunks and
    stopped at the limit, so a member lying about its size costs nothing), must stay under
    ``member_limit``; all of them under ``total_limit``; and a member over 1 MB may not be
    compressed more than :data:`MAX_RATIO` times (whitespace and repeated cells compress
    ~1000×; real sheets ~5–20×).

    Parameters
    ----------
    source
        The package's bytes, or its path.
    name
        The file name the user knows, put in the message.
    error
        The :class:`~core.errors.InputError` subclass to raise.
    member_limit, total_limit
        Inflated bytes allowed for one member and for all of them.

    Raises
    ------
    InputError
        The file is not a readable zip (``文件已损坏…``), has more than :data:`MAX_MEMBERS` members,
        a member (declared or really) over ``member_limit`` or compressed over :data:`MAX_RATIO`
        times, all members over ``total_limit``, or a member that cannot be inflated (damaged or
        password-protected).

    Examples
    --------
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("big.csv", b" " * (3 * 1024 * 1024))
    >>> check_zip(buf.getvalue(), "a.zip")
    Traceback (most recent call last):
    ...
    core.errors.InputError: a.zip: 压缩包内的“big.csv”解压后 3 MB,压缩比超过 100 倍(疑似“压缩炸弹”),已拒绝;请删除多余内容、用 Excel/Word 重新保存后再上传
    """
    with io.BytesIO(source) if isinstance(source, bytes) else Path(source).open("rb") as fileobj:
        try:
            archive = zipfile.ZipFile(fileobj)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
            raise error("文件已损坏(不是有效的压缩包),请重新导出后再上传", file=name) from err
        with archive:
            _check_members(archive, name, error, member_limit, total_limit)


def _part(member: str) -> str:
    """What a package member is, in the user's words.

    >>> _part("xl/worksheets/sheet1.xml"), _part("xl/sharedStrings.xml"), _part("审改办.csv")
    ('工作表数据“xl/worksheets/sheet1.xml”', '单元格文字“xl/sharedStrings.xml”', '“审改办.csv”')
    """
    if member.startswith("xl/worksheets/"):
        return f"工作表数据“{member}”"
    if member == "xl/sharedStrings.xml":
        return f"单元格文字“{member}”"
    if member == "word/document.xml":
        return f"文档正文“{member}”"
    return f"“{member}”"


def _refuse_member(info: zipfile.ZipInfo, size: int, name: str, error: type[InputError], why: str) -> InputError:
    hint = "(可能含有大量行、超长单元格或被篡改)" if info.filename.endswith(".xml") else ""
    size_text = f" {_mb(size)}," if size >= 0 else ""
    return error(
        f"压缩包内的{_part(info.filename)}解压后{size_text}{why}{hint},已拒绝;"
        "请删除多余内容、用 Excel/Word 重新保存后再上传",
        file=name,
    )


def _check_members(
    archive: zipfile.ZipFile, name: str, error: type[InputError], member_limit: int, total_limit: int
) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise error(f"压缩包内有 {len(infos)} 个文件,超过 {MAX_MEMBERS} 个,已拒绝", file=name)
    declared = 0
    for info in infos:
        declared += info.file_size
        if info.file_size > member_limit:
            raise _refuse_member(info, info.file_size, name, error, f"超过 {_mb(member_limit)} 的上限")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse_member(info, info.file_size, name, error, f"压缩比超过 {MAX_RATIO} 倍(疑似“压缩炸弹”)")
    if declared > total_limit:
        raise error(f"压缩包解压后共 {_mb(declared)},超过 {_mb(total_limit)} 的上限,已拒绝", file=name)
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        actual = 0
        try:
            with archive.open(info) as member:
                while chunk := member.read(_CHUNK):
                    actual += len(chunk)
                    total += len(chunk)
                    if actual > max(info.file_size, 0) or actual > member_limit or total > total_limit:
                        raise _refuse_member(info, -1, name, error, "的大小与压缩包记录的不符或超过上限")
        except InputError:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError) as err:
            # RuntimeError: an encrypted member; NotImplementedError: an unknown compression method
            raise error(
                f"压缩包内的“{info.filename}”无法解压({type(err).__name__}),文件已损坏或设有密码,请重新保存后再上传",
                file=name,
            ) from err
        if actual > RATIO_FLOOR and actual > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse_member(info, actual, name, error, f"压缩比超过 {MAX_RATIO} 倍(疑似“压缩炸弹”)")


def cap_problems(problems: Sequence[_T], limit: int = MAX_PROBLEMS) -> tuple[list[_T], int]:
    """The first ``limit`` problems to list and how many more there are (only counted).

    Parameters
    ----------
    problems
        Every problem found, in the order to show them.
    limit
        How many to list (default :data:`MAX_PROBLEMS`).

    Returns
    -------
    tuple of (list, int)
        The problems to list, and how many were left off.

    Examples
    --------
    >>> cap_problems(["a", "b", "c"], limit=2)
    (['a', 'b'], 1)
    """
    return list(problems[:limit]), max(0, len(problems) - limit)


def more_problems_line(more: int) -> str:
    """The line that stands for the problems not listed.

    Parameters
    ----------
    more
        How many problems were left off (the second value of :func:`cap_problems`).

    Returns
    -------
    str
        A Chinese line to append to the listed problems.

    Examples
    --------
    >>> more_problems_line(5)
    '另有 5 处问题未列出(只列出前 200 处),请先改正以上问题后重新检查'
    """
    return f"另有 {more} 处问题未列出(只列出前 {MAX_PROBLEMS} 处),请先改正以上问题后重新检查"
