"""Rows as the database driver gives them, for the reads of 100,000s of rows.

SQLAlchemy converts each value of a result row in Python (a regular expression per SQLite date,
``json.loads`` per JSON cell), which costs more than the query for the large reads of status
(task lists, upload lists, lifecycle steps).  These reads take the driver's tuples and convert
only the columns that need it, with the C parsers of :mod:`datetime` and :mod:`json`.

>>> from datetime import date, datetime
>>> as_day("2021-09-30"), as_day(date(2021, 9, 30)), as_day(None)
(datetime.date(2021, 9, 30), datetime.date(2021, 9, 30), None)
>>> as_moment("2021-09-30 08:15:00.000000")
datetime.datetime(2021, 9, 30, 8, 15)
>>> as_json('{"evidence": [3]}'), as_json("{}"), as_json({"card": "red"}), as_json(None)
({'evidence': [3]}, {}, {'card': 'red'}, {})
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

__all__ = ["driver_rows", "as_day", "as_moment", "as_json"]


def driver_rows(conn: Any, statement: Any) -> list[tuple]:
    """The rows of a Core ``statement`` as the database driver returns them: tuples, without
    SQLAlchemy's per-value result processing (half the time for the 100,000s of rows of
    :meth:`Store.tasks`). Dates and booleans come as the driver gives them (SQLite: text and 0/1):
    convert them with :func:`as_day`, :func:`as_moment` and :func:`as_json`."""
    result = conn.execute(statement)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def as_day(value: Any) -> date | None:
    """A ``Date`` column's value from :func:`driver_rows` (a date, SQLite's ISO text, or None) as a date."""
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    return date.fromisoformat(str(value)[:10])


def as_moment(value: Any) -> datetime:
    """A ``DateTime`` column's value from :func:`driver_rows` (a datetime or SQLite's ISO text)."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def as_json(value: Any) -> Any:
    """A ``JSON`` column's value from :func:`driver_rows` (SQLite's text, or what a driver that
    decodes JSON itself gives) as Python data; ``{}`` for None and for the empty object."""
    if value is None or value == "{}":
        return {}
    return json.loads(value) if isinstance(value, (str, bytes)) else value
