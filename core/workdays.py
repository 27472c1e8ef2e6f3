"""Working days by the official Chinese calendar (public holidays and 调休上班 weekend days).

Shared by ``sim`` (which days a simulated hall opens) and ``tasks`` (how many
working days a unit has to sign for a task).  The maintained ``chinesecalendar``
package is used for the years it covers, else ``holidays.China`` plus ordinary weekends.

>>> import datetime as dt
>>> official_kind(dt.date(2026, 10, 1))
'holiday'
>>> add_working_days(dt.date(2026, 9, 29), 3).isoformat()   # 10-01..10-07 National Day
'2026-10-09'
>>> working_days_between(dt.date(2026, 9, 29), dt.date(2026, 10, 9))
3
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

__all__ = ["official_kind", "is_working_day", "add_working_days", "working_days_between"]


@lru_cache(maxsize=8192)
def official_kind(day: dt.date) -> str:
    """``workday``/``weekend``/``holiday``/``swap_workday`` by the official calendar.

    Parameters
    ----------
    day
        The date.

    Returns
    -------
    str
        ``workday``, ``weekend``, ``holiday`` (a public holiday, or a weekday given off) or
        ``swap_workday`` (a weekend day worked in exchange, 调休上班).

    Examples
    --------
    >>> official_kind(dt.date(2026, 9, 20)), official_kind(dt.date(2026, 9, 21))
    ('swap_workday', 'workday')
    """
    weekend = day.weekday() >= 5
    try:
        import chinese_calendar

        workday = chinese_calendar.is_workday(day)
        if workday:
            return "swap_workday" if weekend else "workday"
        if weekend:
            holiday, _name = chinese_calendar.get_holiday_detail(day)
            return "holiday" if holiday and _name else "weekend"
        return "holiday"
    except (NotImplementedError, ImportError):
        pass
    import holidays

    if day in holidays.country_holidays("CN", years=day.year):
        return "holiday"
    return "weekend" if weekend else "workday"


def is_working_day(day: dt.date) -> bool:
    """True on ordinary working days and on weekend days worked in exchange (调休上班).

    Parameters
    ----------
    day
        The date.

    Returns
    -------
    bool
        Whether offices are open that day.

    Examples
    --------
    >>> is_working_day(dt.date(2026, 9, 20)), is_working_day(dt.date(2026, 10, 1))
    (True, False)
    """
    return official_kind(day) in ("workday", "swap_workday")


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start`` (``start`` itself not counted).

    Parameters
    ----------
    start
        The day counting starts from.
    n
        Working days to add; 0 or less returns ``start``.

    Returns
    -------
    datetime.date
        The day the ``n``-th working day falls on.

    Examples
    --------
    >>> add_working_days(dt.date(2026, 9, 24), 1).isoformat()  # 09-25..09-27 off
    '2026-09-28'
    """
    d, left = start, n
    while left > 0:
        d += dt.timedelta(days=1)
        if is_working_day(d):
            left -= 1
    return d


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]; 0 when ``end`` is not after ``start``.

    Parameters
    ----------
    start
        The first day, not counted.
    end
        The last day, counted.

    Returns
    -------
    int
        How many working days lie after ``start`` up to ``end``.

    Examples
    --------
    >>> working_days_between(dt.date(2026, 9, 24), dt.date(2026, 9, 28))
    1
    """
    n, d = 0, start
    while d < end:
        d += dt.timedelta(days=1)
        n += is_working_day(d)
    return n
