"""Errors users can cause, with a Chinese message that says where and what to fix.

Every "your file is wrong" error carries :class:`Issue` records (file, sheet, row, column,
message) so that the UI, the command line and the tests all read the same fields.
"""

from __future__ import annotations

from dataclasses import dataclass


class WorkbenchError(Exception):
    """Base class: ``str(err)`` is a complete Chinese message fit for the UI and CLI.

    Parameters
    ----------
    *args
        As for :class:`Exception`; the first is the Chinese message.

    Examples
    --------
    >>> str(WorkbenchError("没有找到该任务"))
    '没有找到该任务'
    """


@dataclass(frozen=True)
class Issue:
    """One problem in a user's file, located as precisely as the file allows.

    Parameters
    ----------
    message
        What is wrong and how to fix it, in Chinese.
    file
        The file name the user knows (empty when the problem is not in a file).
    sheet
        The worksheet, when the file has several.
    row
        The row number as the user sees it (1-based, as in Excel).
    column
        The column's header text.
    task
        The task number the row belongs to.

    Examples
    --------
    >>> str(Issue("应为日期", file="a.xlsx", sheet="进展", row=3, column="完成时限", task="5"))
    'a.xlsx / 进展 / 第3行 / “完成时限”列 / 任务5: 应为日期'
    """

    message: str
    file: str = ""
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    task: str | None = None

    def where(self) -> str:
        """The location part of the message (empty when the problem is the whole file).

        Returns
        -------
        str
            File, sheet, row, column and task joined by `` / ``.

        Examples
        --------
        >>> Issue("应为日期", file="a.xlsx", row=3).where()
        'a.xlsx / 第3行'
        """
        parts = [p for p in (self.file, self.sheet) if p]
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"“{self.column}”列")
        if self.task:
            parts.append(f"任务{self.task}")
        return " / ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


class InputError(WorkbenchError):
    """A file (or one cell of it) cannot be read; ``issue`` says where.

    Parameters
    ----------
    message
        What is wrong and how to fix it, in Chinese.
    file, sheet, row, column, task
        Where, as in :class:`Issue`; each is also kept as an attribute of the error (``task`` only
        in ``issue``).

    Examples
    --------
    >>> err = InputError("找不到表头", file="a.xlsx", sheet="Sheet1")
    >>> str(err), err.issue.sheet
    ('a.xlsx / Sheet1: 找不到表头', 'Sheet1')
    """

    def __init__(
        self,
        message: str,
        *,
        file: str = "",
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        task: str | None = None,
    ):
        self.issue = Issue(message, file=file, sheet=sheet, row=row, column=column, task=task)
        self.message, self.file, self.sheet, self.row, self.column = message, file, sheet, row, column
        super().__init__(str(self.issue))
