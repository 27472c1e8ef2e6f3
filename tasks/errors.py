"""Errors users can cause, with a Chinese message that says where and what to fix."""
from __future__ import annotations


class WorkbenchError(Exception):
    """Base class: ``str(err)`` is a complete Chinese message fit for the UI and CLI."""


class ImportFailed(WorkbenchError):
    """A file could not be imported as a task-breakdown table.

    >>> str(ImportFailed("找不到表头", file="a.xlsx", sheet="Sheet1"))
    'a.xlsx / Sheet1: 找不到表头'
    """

    def __init__(self, message: str, *, file: str = "", sheet: str | None = None,
                 row: int | None = None, column: str | None = None):
        self.message, self.file, self.sheet, self.row, self.column = message, file, sheet, row, column
        where = [p for p in (file, sheet) if p]
        if row is not None:
            where.append(f"第{row}行")
        if column:
            where.append(f"“{column}”列")
        super().__init__(f"{' / '.join(where)}: {message}" if where else message)
