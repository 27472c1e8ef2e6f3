"""Plain data classes for plans and tasks.

Everything the importers produce and the graph, store and UI consume is one of
these.  They hold plain values (str, date, list) so they serialise to JSON and
compare by value.

>>> t = Task(id="1", title="推进简政放权", lead_units=["市审改办"])
>>> t.to_dict()["lead_units"]
['市审改办']
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

#: ``deadline_kind`` values
DATE, ONGOING, UNKNOWN, NONE = "date", "ongoing", "unknown", "none"


@dataclass
class Source:
    """Where a task was read: file name, sheet (None for text) and 1-based row or line.

    Parameters
    ----------
    file : str, optional
        The file's name.
    sheet : str, optional
        The sheet (None for a text document).
    row : int, optional
        The 1-based row or line.

    Examples
    --------
    >>> Source("plan.xlsx", "任务表", 5).label()
    'plan.xlsx / 任务表 / 第5行'
    """

    file: str = ""
    sheet: str | None = None
    row: int | None = None

    def label(self) -> str:
        """Human readable location, e.g. ``plan.xlsx / 任务表 / 第5行``.

        Returns
        -------
        str
            File, sheet and row joined by `` / `` (the parts that are known).

        Examples
        --------
        >>> Source("plan.xlsx", "任务表", 5).label(), Source("plan.docx").label()
        ('plan.xlsx / 任务表 / 第5行', 'plan.docx')
        """
        parts = [self.file] if self.file else []
        if self.sheet:
            parts.append(self.sheet)
        if self.row is not None:
            parts.append(f"第{self.row}行")
        return " / ".join(parts)


@dataclass
class Milestone:
    """One dated step of a task (``2017年9月底前上线试运行``).

    Parameters
    ----------
    date : date or None
        The step's date (None when the text names none).
    text : str
        What is to be done by then.

    Examples
    --------
    >>> Milestone(date(2017, 9, 30), "上线试运行")
    Milestone(date=datetime.date(2017, 9, 30), text='上线试运行')
    """

    date: date | None
    text: str


@dataclass
class Task:
    """One row of a task-breakdown table (任务分解表).

    ``lead_units``/``responsible_units`` are the names as written in the source
    (split and trimmed); the ``*_canonical`` lists hold the alias-table names in
    the same order.  ``deadline`` is the first dated milestone, ``None`` for an
    ongoing task (``deadline_kind == "ongoing"``) or unreadable text
    (``deadline_kind == "unknown"``, with a warning).

    Parameters
    ----------
    id : str
        The task number (``1``, ``3.2``).
    title, section, description : str, optional
        Its title (工作要点), section heading and fuller text.
    lead_units, responsible_units : list of str, optional
        Lead (牵头) and responsible (责任) units as written.
    deadline : date, optional
        The first dated milestone.
    deadline_text : str, optional
        The deadline as written.
    deadline_kind : str, optional
        ``date``, ``ongoing``, ``unknown`` or ``none``.
    milestones : list of Milestone, optional
        The dated steps of the deadline text.
    predecessors : list of str, optional
        Numbers of the tasks it waits for.
    source : Source, optional
        Where it was read.
    lead_units_canonical, responsible_units_canonical : list of str, optional
        The alias-table names, in the same order.
    collective_units : list of str, optional
        Names standing for many units (``市直各相关单位``).
    persons : list of str, optional
        People named by 牵头负责领导/责任领导.
    warnings : list of str, optional
        Messages a user should see.

    Examples
    --------
    >>> t = Task("1", "推进简政放权", lead_units=["市审改办"], responsible_units=["市财政局", "市审改办"])
    >>> t.units
    ['市审改办', '市财政局']
    >>> Task.from_dict(t.to_dict()) == t
    True
    """

    id: str
    title: str = ""
    section: str = ""
    description: str = ""
    lead_units: list[str] = field(default_factory=list)
    responsible_units: list[str] = field(default_factory=list)
    deadline: date | None = None
    deadline_text: str = ""
    deadline_kind: str = NONE
    milestones: list[Milestone] = field(default_factory=list)
    predecessors: list[str] = field(default_factory=list)
    source: Source = field(default_factory=Source)
    lead_units_canonical: list[str] = field(default_factory=list)
    responsible_units_canonical: list[str] = field(default_factory=list)
    collective_units: list[str] = field(default_factory=list)
    #: people named by 牵头负责领导/责任领导 (not units)
    persons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def units(self) -> list[str]:
        """Lead then responsible units, without repeats."""
        return list(dict.fromkeys(self.lead_units + self.responsible_units))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (dates as ISO strings).

        Returns
        -------
        dict
            Every field of the task; ``deadline`` and the milestones' dates as ISO strings.

        Examples
        --------
        >>> from datetime import date
        >>> d = Task("1", "推进简政放权", lead_units=["市财政局"], deadline=date(2021, 12, 31)).to_dict()
        >>> d["id"], d["lead_units"], d["deadline"]
        ('1', ['市财政局'], '2021-12-31')
        """
        d = asdict(self)
        d["deadline"] = self.deadline.isoformat() if self.deadline else None
        d["milestones"] = [{"date": m.date.isoformat() if m.date else None, "text": m.text} for m in self.milestones]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Task:
        """Inverse of :meth:`to_dict`.

        Parameters
        ----------
        d : dict
            A task as :meth:`to_dict` gives it (keys that are no field are ignored).

        Returns
        -------
        Task
            The task, with its dates, milestones and source rebuilt.

        Examples
        --------
        >>> from datetime import date
        >>> t = Task("1", "推进简政放权", deadline=date(2021, 12, 31))
        >>> Task.from_dict(t.to_dict()) == t, Task.from_dict({"id": "2", "title": "清单", "extra": 1}).title
        (True, '清单')
        """
        d = dict(d)
        d["deadline"] = date.fromisoformat(d["deadline"]) if d.get("deadline") else None
        d["milestones"] = [
            Milestone(date.fromisoformat(m["date"]) if m.get("date") else None, m.get("text", ""))
            for m in d.get("milestones") or []
        ]
        d["source"] = Source(**(d.get("source") or {}))
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in d.items() if k in known})


@dataclass
class Plan:
    """A programme: its title, issuing body, date, source file and tasks.

    ``used`` says what the importer read (sheet and row range, or the text
    layouts found); ``warnings`` are messages a user should see.

    Parameters
    ----------
    title, issuer : str, optional
        The programme's title and issuing body.
    date : date, optional
        Its date.
    source_file : str, optional
        The file it was read from.
    tasks : list of Task, optional
        Its tasks, in table order.
    warnings : list of str, optional
        Messages a user should see.
    used : dict, optional
        What the importer read.

    Examples
    --------
    >>> plan = Plan("示例方案", tasks=[Task("1", "推进简政放权")])
    >>> plan.task("1").title
    '推进简政放权'
    >>> plan.task("9")
    Traceback (most recent call last):
    ...
    KeyError: '9'
    """

    title: str = ""
    issuer: str = ""
    date: date | None = None
    source_file: str = ""
    tasks: list[Task] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    used: dict[str, Any] = field(default_factory=dict)

    def task(self, task_id: str) -> Task:
        """The task with this id (KeyError if absent).

        Parameters
        ----------
        task_id : str
            The task's number as in the plan (e.g. ``"11"``).

        Returns
        -------
        Task
            The first task with that id.

        Raises
        ------
        KeyError
            When the plan has no such task.

        Examples
        --------
        >>> plan = Plan("示例方案", tasks=[Task("1", "推进简政放权")])
        >>> plan.task("1").title
        '推进简政放权'
        """
        for t in self.tasks:
            if t.id == task_id:
                return t
        raise KeyError(task_id)

    def to_dict(self) -> dict[str, Any]:
        """The plan as a JSON-ready dict (dates as ISO strings, each task by :meth:`Task.to_dict`).

        Returns
        -------
        dict
            ``title``, ``issuer``, ``date``, ``source_file``, ``used``, ``warnings`` and ``tasks``.

        Examples
        --------
        >>> from datetime import date
        >>> d = Plan("示例方案", date=date(2021, 8, 9), tasks=[Task("1", "推进简政放权")]).to_dict()
        >>> d["title"], d["date"], [t["id"] for t in d["tasks"]]
        ('示例方案', '2021-08-09', ['1'])
        """
        return {
            "title": self.title,
            "issuer": self.issuer,
            "date": self.date.isoformat() if self.date else None,
            "source_file": self.source_file,
            "used": self.used,
            "warnings": list(self.warnings),
            "tasks": [t.to_dict() for t in self.tasks],
        }
