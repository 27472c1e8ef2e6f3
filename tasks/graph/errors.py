"""Errors of the dependency graph: bad predecessor text, unknown ids, cycles.

Every message is complete Chinese naming where the bad link was written,
so the CLI prints it as ``error: …`` and the dashboard shows it as is.

>>> str(UnknownPredecessor("99", origin="predecessors.csv 第3行"))
'predecessors.csv 第3行: 前置任务“99”不存在'
"""

from __future__ import annotations

from ..errors import WorkbenchError


class GraphError(WorkbenchError):
    """Base class of the graph's user errors.

    Parameters
    ----------
    *args
        The Chinese message, as for :class:`~core.errors.WorkbenchError`.

    Examples
    --------
    >>> isinstance(CycleError(["5", "7", "5"]), GraphError)
    True
    """


class BadPredecessorText(GraphError):
    """A 前置任务 cell that is not a list of task numbers (``见上``, ``3-``).

    Parameters
    ----------
    text : str
        The whole cell.
    part : str, optional
        The part of it that cannot be read.
    origin : str, optional
        Where it was written (``predecessors.csv 第3行``).

    Examples
    --------
    >>> str(BadPredecessorText("3、见上", "见上", origin="表1 第5行"))
    '表1 第5行: 无法识别的前置任务“见上”:请填写任务序号,多个用顿号分隔,连续的可写成 3-5'
    """

    def __init__(self, text: str, part: str = "", origin: str = ""):
        self.text, self.part, self.origin = text, part, origin
        what = f"“{part}”" if part and part != text else f"“{text}”"
        msg = f"无法识别的前置任务{what}:请填写任务序号,多个用顿号分隔,连续的可写成 3-5"
        super().__init__(f"{origin}: {msg}" if origin else msg)


class UnknownPredecessor(GraphError):
    """A link names a task id the plan does not have.

    Parameters
    ----------
    task_id : str
        The unknown task number.
    origin : str, optional
        Where the link was written.
    role : str, optional
        What the number was (default ``前置任务``; ``任务`` for the task a link is for).

    Examples
    --------
    >>> str(UnknownPredecessor("99", role="任务"))
    '任务“99”不存在'
    """

    def __init__(self, task_id: str, *, origin: str = "", role: str = "前置任务"):
        self.task_id, self.origin, self.role = task_id, origin, role
        msg = f"{role}“{task_id}”不存在"
        super().__init__(f"{origin}: {msg}" if origin else msg)


class CycleError(GraphError):
    """Predecessor links that loop back (``5 → 7 → 5``): no order can satisfy them.

    ``loop`` is the list of task ids with the first repeated at the end;
    ``origins`` says where each link of the loop was written.

    Parameters
    ----------
    loop : list of str
        The task numbers of the loop, the first repeated at the end.
    origins : list of str, optional
        Where each link of the loop was written.

    Examples
    --------
    >>> str(CycleError(["5", "7", "5"], ["predecessors.csv 第2行", "predecessors.csv 第4行"]))
    '前置任务出现循环依赖:5 → 7 → 5(见 predecessors.csv 第2行、predecessors.csv 第4行),请删除其中一条前置关系'
    """

    def __init__(self, loop: list[str], origins: list[str] | None = None):
        self.loop, self.origins = loop, list(origins or [])
        where = "、".join(dict.fromkeys(o for o in self.origins if o))
        msg = f"前置任务出现循环依赖:{' → '.join(loop)}"
        if where:
            msg += f"(见 {where})"
        msg += ",请删除其中一条前置关系"
        super().__init__(msg)


class PredecessorFileError(GraphError):
    """A predecessors file that cannot be read (missing columns, empty task cell).

    Parameters
    ----------
    message : str
        What is wrong, in Chinese.
    file : str, optional
        The file's name.
    row : int, optional
        The row (with ``file``).

    Examples
    --------
    >>> str(PredecessorFileError("任务列为空", file="predecessors.csv", row=3))
    'predecessors.csv 第3行: 任务列为空'
    """

    def __init__(self, message: str, *, file: str = "", row: int | None = None):
        self.file, self.row = file, row
        where = f"{file} 第{row}行" if file and row is not None else file
        super().__init__(f"{where}: {message}" if where else message)
