"""Errors users can cause, with a Chinese message that says where and what to fix.

Every "your file is wrong" error carries :class:`Issue` records (file, sheet, row, column,
message) so that the UI, the command line and the tests all read the same fields.
"""

from __future__ import annotations

from dataclasses import dataclass


class WorkbenchError(Exception):
    """Base class: ``str(err)`` is a complete Chinese message fit for the UI and CLI."""


@dataclass(frozen=True)
class Issue:
    """One problem in a user's file, located as precisely as the file allows.

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
        """The location part of the message (empty when the problem is the whole file)."""
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
