"""Errors users can cause, with a Chinese message that says where and what to fix."""

from __future__ import annotations

from core.errors import InputError, Issue, WorkbenchError

__all__ = ["ImportFailed", "InputError", "Issue", "WorkbenchError"]


class ImportFailed(InputError):
    """A file could not be imported as a task-breakdown table.

    Parameters
    ----------
    message : str
        What is wrong and how to fix it, in Chinese.
    file, sheet, row, column, task
        Where, as for :class:`~core.errors.InputError`.

    Examples
    --------
    >>> str(ImportFailed("找不到表头", file="a.xlsx", sheet="Sheet1"))
    'a.xlsx / Sheet1: 找不到表头'
    """
