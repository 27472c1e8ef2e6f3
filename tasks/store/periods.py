"""Reporting and report periods: ``2021-09`` (month), ``2021-Q3`` (quarter), ``2021-H2`` (half), ``2021`` (year).

>>> p = parse_period("2021-Q3"); (p.kind, p.start.isoformat(), p.end.isoformat())
('quarter', '2021-07-01', '2021-09-30')
>>> [m.key for m in parse_period("2021-H2").months()][:2]
['2021-07', '2021-08']
>>> parse_period("2021年9月").key
'2021-09'
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .. import labels
from ..errors import WorkbenchError

MONTH, QUARTER, HALF, YEAR = "month", "quarter", "half", "year"
KIND_NAMES = labels.PERIOD_KIND


class BadPeriod(WorkbenchError):
    """A period text that cannot be read.

    Parameters
    ----------
    *args
        The Chinese message, as for :class:`~core.errors.WorkbenchError`.

    Examples
    --------
    >>> parse_period("2021-13")
    Traceback (most recent call last):
    ...
    tasks.store.periods.BadPeriod: 无法识别的报告期“2021-13”,请写成 2021-09(月)、2021-Q3(季度)或 2021-H2(半年)
    """


@dataclass(frozen=True)
class Period:
    """A reporting period: a month, quarter, half-year or year.

    Parameters
    ----------
    key : str
        ``2021-09``, ``2021-Q3``, ``2021-H2`` or ``2021``.
    kind : str
        ``month``, ``quarter``, ``half`` or ``year``.
    start, end : date
        Its first and last day.

    Examples
    --------
    >>> q3 = Period("2021-Q3", QUARTER, date(2021, 7, 1), date(2021, 9, 30))
    >>> q3.label(), [m.key for m in q3.months()]
    ('2021年第三季度', ['2021-07', '2021-08', '2021-09'])
    """

    key: str
    kind: str
    start: date
    end: date

    def months(self) -> list[Period]:
        """The months inside this period, in order.

        Returns
        -------
        list of Period
            One month period per calendar month from :attr:`start` to :attr:`end`.

        Examples
        --------
        >>> q3 = Period("2021-Q3", QUARTER, date(2021, 7, 1), date(2021, 9, 30))
        >>> [m.key for m in q3.months()]
        ['2021-07', '2021-08', '2021-09']
        """
        out, d = [], self.start
        while d <= self.end:
            out.append(month_period(d.year, d.month))
            d = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
        return out

    def label(self) -> str:
        """Chinese label, e.g. ``2021年9月``, ``2021年第三季度``, ``2021年下半年``.

        Returns
        -------
        str
            The period in words (a year is ``2021年``).

        Examples
        --------
        >>> Period("2021-Q3", QUARTER, date(2021, 7, 1), date(2021, 9, 30)).label()
        '2021年第三季度'
        """
        y = self.start.year
        if self.kind == MONTH:
            return f"{y}年{self.start.month}月"
        if self.kind == QUARTER:
            return f"{y}年第{'一二三四'[(self.start.month - 1) // 3]}季度"
        if self.kind == HALF:
            return f"{y}年{'上' if self.start.month == 1 else '下'}半年"
        return f"{y}年"

    def contains(self, d: date) -> bool:
        """Whether ``d`` lies in the period (both ends included).

        Parameters
        ----------
        d : date
            The day.

        Returns
        -------
        bool
            ``start <= d <= end``.

        Examples
        --------
        >>> q3 = Period("2021-Q3", QUARTER, date(2021, 7, 1), date(2021, 9, 30))
        >>> q3.contains(date(2021, 9, 30)), q3.contains(date(2021, 10, 1))
        (True, False)
        """
        return self.start <= d <= self.end


def month_period(year: int, month: int) -> Period:
    """The month ``year``-``month`` as a :class:`Period`.

    Parameters
    ----------
    year : int
        The year.
    month : int
        The month, 1–12.

    Returns
    -------
    Period
        From the month's first to its last day.

    Raises
    ------
    ValueError
        When ``month`` is not 1–12 (a programming error: user text goes through :func:`parse_period`).

    Examples
    --------
    >>> month_period(2021, 2)
    Period(key='2021-02', kind='month', start=datetime.date(2021, 2, 1), end=datetime.date(2021, 2, 28))
    """
    last = calendar.monthrange(year, month)[1]
    return Period(f"{year:04d}-{month:02d}", MONTH, date(year, month, 1), date(year, month, last))


def month_of(d: date) -> Period:
    """The month that holds ``d``.

    Parameters
    ----------
    d : date
        A day.

    Returns
    -------
    Period
        Its month.

    Examples
    --------
    >>> month_of(date(2021, 9, 28)).key
    '2021-09'
    """
    return month_period(d.year, d.month)


def period_of(d: date, kind: str) -> Period:
    """The ``kind`` period (month, quarter, half, year) that holds ``d``: the default a report form offers.

    Parameters
    ----------
    d : date
        A day.
    kind : str
        ``month``, ``quarter``, ``half`` or ``year``.

    Returns
    -------
    Period
        The period of that kind holding ``d``.

    Raises
    ------
    KeyError
        When ``kind`` is none of those (a programming error).

    Examples
    --------
    >>> [period_of(date(2021, 8, 15), k).key for k in (MONTH, QUARTER, HALF, YEAR)]
    ['2021-08', '2021-Q3', '2021-H2', '2021']
    """
    keys = {
        MONTH: f"{d.year}-{d.month:02d}",
        QUARTER: f"{d.year}-Q{(d.month - 1) // 3 + 1}",
        HALF: f"{d.year}-H{1 if d.month <= 6 else 2}",
        YEAR: f"{d.year}",
    }
    return parse_period(keys[kind], kind)


_MONTH = re.compile(r"^(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*月?$")
_QUARTER = re.compile(r"^(\d{4})\s*(?:-|年)?\s*(?:Q|q|第)\s*([1-4一二三四])\s*(?:季度)?$")
_HALF = re.compile(r"^(\d{4})\s*(?:-|年)?\s*(?:H([12])|([上下])半年)$")


def parse_period(text: object, kind: str | None = None) -> Period:
    """Read a period key or its Chinese spelling; ``kind`` checks what was expected.

    Parameters
    ----------
    text : object
        ``2021-09``, ``2021年9月``, ``2021-Q3``, ``2021年第三季度``, ``2021-H2``, ``2021年下半年``, ``2021``, ….
    kind : str, optional
        The kind expected (``month``, ``quarter``, ``half``, ``year``); default any.

    Returns
    -------
    Period
        The period.

    Raises
    ------
    BadPeriod
        When the text is not a period (``无法识别的报告期“…”,请写成 2021-09(月)、2021-Q3(季度)或
        2021-H2(半年)``) or not of ``kind`` (``报告期“…”不是…报告期``).

    Examples
    --------
    >>> parse_period("2021年第三季度").key, parse_period("2021年9月", "month").label()
    ('2021-Q3', '2021年9月')
    >>> parse_period("2021-Q3", "month")
    Traceback (most recent call last):
    ...
    tasks.store.periods.BadPeriod: 报告期“2021-Q3”不是月度报告期
    """
    s = str(text or "").strip()
    p: Period | None = None
    if m := _MONTH.match(s):
        y, mo = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12:
            p = month_period(y, mo)
    elif m := _QUARTER.match(s):
        y, q = int(m.group(1)), "1234一二三四".index(m.group(2)) % 4 + 1
        start = date(y, 3 * q - 2, 1)
        p = Period(f"{y}-Q{q}", QUARTER, start, month_period(y, 3 * q).end)
    elif m := _HALF.match(s):
        y = int(m.group(1))
        h = int(m.group(2)) if m.group(2) else (1 if m.group(3) == "上" else 2)
        p = Period(f"{y}-H{h}", HALF, date(y, 1 if h == 1 else 7, 1), date(y, 6, 30) if h == 1 else date(y, 12, 31))
    elif re.fullmatch(r"\d{4}年?", s):
        y = int(s[:4])
        p = Period(f"{y}", YEAR, date(y, 1, 1), date(y, 12, 31))
    if p is None:
        raise BadPeriod(f"无法识别的报告期“{s}”,请写成 2021-09(月)、2021-Q3(季度)或 2021-H2(半年)")
    if kind and p.kind != kind:
        raise BadPeriod(f"报告期“{s}”不是{KIND_NAMES.get(kind, kind)}报告期")
    return p


CYCLES = {"monthly": MONTH, "month": MONTH, "quarterly": QUARTER, "quarter": QUARTER}
CYCLE_NAMES = labels.CYCLE


@dataclass(frozen=True)
class PlanCalendar:
    """A plan's own reporting calendar.

    ``due_day`` is the cut-off day: 16–31 means 当期N日前 (the period's last month,
    e.g. 每月25日前报送当月), 1–15 means 次期N日前 (the month after the period,
    e.g. 次月5日前报送上月); None means ``grace_days`` after the period's end.

    >>> cal = PlanCalendar("p", date(2021, 8, 20), MONTH, 5)
    >>> [(p.key, d.isoformat()) for p, d in cal.periods(date(2021, 10, 31))]
    [('2021-08', '2021-09-05'), ('2021-09', '2021-10-05'), ('2021-10', '2021-11-05')]
    >>> PlanCalendar("p", date(2021, 8, 20), QUARTER, 25).periods(date(2021, 9, 1))[0][1].isoformat()
    '2021-09-25'
    """

    plan: str
    start: date
    cycle: str = MONTH
    due_day: int | None = None

    def due(self, p: Period, grace_days: int = 5) -> date:
        """The day ``p``'s report is due."""
        if self.due_day is None:
            return p.end + timedelta(days=grace_days)
        if self.due_day > 15:
            return p.end.replace(day=min(self.due_day, p.end.day))
        nxt = p.end + timedelta(days=1)
        return nxt.replace(day=min(self.due_day, calendar.monthrange(nxt.year, nxt.month)[1]))

    def period_of(self, d: date) -> Period:
        return period_of(d, self.cycle)

    def periods(self, until: date, grace_days: int = 5) -> list[tuple[Period, date]]:
        """The plan's periods from the one holding ``start`` to the one holding ``until``, with due dates."""
        out: list[tuple[Period, date]] = []
        p = self.period_of(self.start)
        while p.start <= until:
            out.append((p, self.due(p, grace_days)))
            p = self.period_of(p.end + timedelta(days=1))
        return out


def parse_cycle(text: str | None) -> str:
    """``monthly``/``quarterly`` (or 按月/按季度) → ``month``/``quarter``."""
    s = str(text or "monthly").strip().lower()
    s = {"按月": "month", "月": "month", "按季度": "quarter", "季度": "quarter"}.get(s, s)
    if s not in CYCLES:
        raise BadPeriod(f"报送周期“{text}”无法识别,请写 monthly(按月)或 quarterly(按季度)")
    return CYCLES[s]
