"""The records the store lists: plans, uploads and audit entries.

Frozen dataclasses with English field names; a list of them goes straight into pandas
(``pd.DataFrame(store.uploads())``) and :func:`dataclasses.asdict` gives the plain dict a JSON
output needs.

>>> import dataclasses
>>> from datetime import datetime
>>> entry = AuditEntry(datetime(2021, 9, 28, 9, 0), "ban", "close_period", "2021-09", {})
>>> entry.action, dataclasses.asdict(entry)["target"]
('close_period', '2021-09')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

__all__ = ["AuditEntry", "StoredPlan", "StoredUpload"]


@dataclass(frozen=True, slots=True)
class StoredPlan:
    """One plan of the store, as :meth:`tasks.store.Store.plans` lists it.

    Parameters
    ----------
    key : str
        The plan's key in the store (what ``--plan`` names).
    title, issuer : str
        The document's title and issuing office.
    date : date or None
        The document's date.
    source_file : str
        The file it was last loaded from.
    loaded_at : datetime
        When it was last loaded.
    tasks : int
        Its number of live (not archived) tasks.

    Examples
    --------
    >>> from tasks.store import Store
    >>> from tasks.model import Plan, Task
    >>> store = Store("sqlite://")
    >>> _ = store.load_plan_into_store(Plan("示例", tasks=[Task("1", "任务")]), actor="doc")
    >>> [(p.key, p.tasks) for p in store.plans()]
    [('示例', 1)]
    """

    key: str
    title: str
    issuer: str
    date: date | None
    source_file: str
    loaded_at: datetime
    tasks: int


@dataclass(frozen=True, slots=True)
class StoredUpload:
    """One accepted upload (a unit's filled-in progress sheet), as :meth:`tasks.store.Store.uploads`
    lists it.

    Parameters
    ----------
    id : int
        The upload's id.
    unit, person : str
        The reporting unit and the person named in the sheet.
    filename, sha256 : str
        The file's name and content hash (a file is accepted once).
    period : str
        The period key the file reports on.
    uploaded_at : datetime
        When it was accepted.
    actor : str
        The account that uploaded it.
    rows : int
        The number of progress rows it holds.

    Examples
    --------
    >>> up = StoredUpload(1, "市财政局", "张三", "a.xlsx", "ab12", "2021-09", datetime(2021, 9, 28), "czj", 3)
    >>> up.unit, up.rows
    ('市财政局', 3)
    """

    id: int
    unit: str
    person: str
    filename: str
    sha256: str
    period: str
    uploaded_at: datetime
    actor: str
    rows: int


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One row of the audit trail, as :meth:`tasks.store.Store.audit_log` lists it.

    Parameters
    ----------
    at : datetime
        When it happened.
    actor : str
        The account (``cli`` on the command line).
    action : str
        The action key (``load_plan``, ``upload``, ``login``, …; see :mod:`tasks.accounts.audit`).
    target : str
        What it was done to (a plan, ``plan#task``, a file, an account).
    detail : dict, optional
        Further facts (never a password or hash).

    Examples
    --------
    >>> AuditEntry(datetime(2021, 9, 28, 9, 0), "ban", "close_period", "2021-09").detail
    {}
    """

    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any] = field(default_factory=dict)
