"""What a service hall is: service types, window groups, adjustment policy, calendar.

Plain dataclasses so the dashboard, notebooks, the xlsx/JSON readers
(:mod:`sim.scenario_io`) and the model (:mod:`sim.hall`) share one vocabulary.
Times of day are ``"HH:MM"`` strings; durations are minutes.

>>> t = ServiceType("户籍", department="公安局", daily_volume=[200, 150, 150, 150, 150, 60, 40])
>>> g = WindowGroup("户籍窗口", types=["户籍"], regular=3)
>>> s = Scenario("示例", types=[t], groups=[g])
>>> s.group("户籍窗口").regular
3
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

SLOT_MINUTES = 30
WEEKDAYS_CN = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
DEFAULT_WEEKDAY_HOURS = "08:30-17:30"
SERVICE_DISTS = ("lognormal", "exponential", "empirical")
LUNCH_MODES = ("closed", "staggered")


def hm_to_min(text: str) -> int:
    """``"08:30"`` → 510 minutes after midnight.

    >>> hm_to_min("13:30")
    810
    """
    hh, mm = str(text).strip().replace(":", ":").split(":")[:2]
    value = int(hh) * 60 + int(mm)
    if not 0 <= value <= 24 * 60:
        raise ValueError(f"时刻超出范围: {text}")
    return value


def min_to_hm(minutes: float) -> str:
    """510 → ``"08:30"``.

    Parameters
    ----------
    minutes : float
        Minutes since midnight (rounded to the nearest minute).

    Returns
    -------
    str
        The clock time ``HH:MM``.

    Examples
    --------
    >>> min_to_hm(810)
    '13:30'
    """
    m = int(round(minutes))
    return f"{m // 60:02d}:{m % 60:02d}"


def parse_hours(text: str | None) -> list[tuple[int, int]]:
    """Opening hours ``"08:30-12:00,13:30-17:30"`` → minute intervals; empty/``休`` → closed.

    >>> parse_hours("08:30-12:00,13:30-17:30")
    [(510, 720), (810, 1050)]
    >>> parse_hours("休")
    []
    """
    if text is None:
        return []
    s = str(text).strip().replace(",", ",").replace(";", ",").replace("—", "-").replace("~", "-")
    if s in ("", "休", "闭厅", "不开放", "-", "无", "nan", "None"):
        return []
    out = []
    for part in s.split(","):
        part = part.strip()
        if not part:
            continue
        a, b = part.split("-")
        lo, hi = hm_to_min(a), hm_to_min(b)
        if hi <= lo:
            raise ValueError(f"结束时刻应晚于开始时刻: {part}")
        out.append((lo, hi))
    return sorted(out)


@dataclass
class ServiceType:
    """One kind of business customers take a ticket for.

    ``daily_volume`` holds expected visits Mon..Sun on an ordinary week; the
    Saturday/Sunday values are the demand *if* the type is served that day.
    When no window serves the type on a day, ``weekend_shift`` of that day's
    demand arrives on the next day it is served instead (the Monday peak).

    ``no_show`` is the share of ticket holders gone when called (过号); ``route`` lists the
    types of the later steps a share ``route_share`` of visits go on to without a new ticket
    (多窗联办, e.g. 不动产登记 → 税务 → 缴费); ``priority_share`` the share of visitors with
    priority (老年人、孕妇、残疾人 …) — the three are estimated by :mod:`sim.calibrate`.

    Parameters
    ----------
    name : str
        Business name (业务名称), unique in a scenario.
    department : str, default ""
        Department that runs it.
    daily_volume : list of float
        Expected visits Monday..Sunday.
    service_dist : str, default "lognormal"
        Service-time distribution (``lognormal``, ``exponential``, ``empirical`` …).
    service_mean, service_cv : float
        Mean service minutes and coefficient of variation.
    service_sample : list of float
        Observed service minutes for ``service_dist="empirical"``.
    appointment_share : float, default 0.0
        Share of visits booked ahead (预约).
    patience_mean : float or None, default None
        Mean minutes before a waiting visitor leaves (None: nobody leaves).
    weekend_shift : float, default 0.5
        Share of a closed day's demand arriving on the next open day.
    weekday_profile, weekend_profile : dict or None
        The type's own arrival profile (slot start → weight); None uses the scenario's.
    no_show, route, route_share, priority_share
        See above.

    Examples
    --------
    >>> t = ServiceType("户籍", "公安", [100.0] * 5 + [0.0, 0.0], service_mean=8.0)
    >>> t.name, t.service_mean, t.daily_volume[0]
    ('户籍', 8.0, 100.0)
    """

    name: str
    department: str = ""
    daily_volume: list[float] = field(default_factory=lambda: [100.0] * 5 + [0.0, 0.0])
    service_dist: str = "lognormal"
    service_mean: float = 10.0
    service_cv: float = 0.6
    service_sample: list[float] = field(default_factory=list)
    appointment_share: float = 0.0
    patience_mean: float | None = None
    weekend_shift: float = 0.5
    weekday_profile: dict[str, float] | None = None
    weekend_profile: dict[str, float] | None = None
    no_show: float = 0.0
    route: list[str] = field(default_factory=list)
    route_share: float = 0.0
    priority_share: float = 0.0


@dataclass
class WindowGroup:
    """Windows that serve the same set of types (专窗 = one department, 综合窗 = pooled).

    ``hours`` has one entry per weekday Mon..Sun, ``""`` when closed. With
    ``lunch_mode="closed"`` the lunch interval is cut out of the hours; with
    ``"staggered"`` (午间不打烊) half of the staff lunch in each half of it.
    ``weekend_windows`` is the Saturday/Sunday rota size (default: ``regular``).
    ``priority_lane`` marks a dedicated priority window group (爱心窗口): with
    ``Practice.priority_mode == "dedicated"`` it serves only priority visitors of its types.

    Parameters
    ----------
    name : str
        Group name (窗口组名称), unique in a scenario.
    types : list of str
        Names of the service types the group serves.
    regular : int, default 1
        Windows open as a rule (常设窗口数).
    reserve : int, default 0
        Extra windows the controller may open (备用窗口数).
    kind : str, default "专窗"
        ``专窗`` or ``综合窗``.
    hours : list of str
        Opening hours per weekday, e.g. ``"08:30-17:30"``; ``""`` when closed.
    lunch_start, lunch_end : str
        The lunch interval (``HH:MM``).
    lunch_mode : str, default "closed"
        ``closed`` or ``staggered``.
    weekend_windows : int or None, default None
        Saturday/Sunday rota size.
    priority_lane : bool, default False
        A dedicated priority window group.

    Examples
    --------
    >>> g = WindowGroup("户籍", ["户籍"], regular=3, hours=["08:30-17:30"] * 5 + ["", ""])
    >>> g.regular, g.kind, g.hours[5]
    (3, '专窗', '')
    """

    name: str
    types: list[str]
    regular: int = 1
    reserve: int = 0
    kind: str = "专窗"
    hours: list[str] = field(default_factory=lambda: [DEFAULT_WEEKDAY_HOURS] * 5 + ["", ""])
    lunch_start: str = "12:00"
    lunch_end: str = "13:30"
    lunch_mode: str = "closed"
    weekend_windows: int | None = None
    priority_lane: bool = False


@dataclass
class Policy:
    """Dynamic window adjustment (窗口动态调整): open reserve windows when queues grow."""

    enabled: bool = False
    open_per_window: float = 4.0
    open_longest_wait: float = 30.0
    switch_delay: float = 10.0
    close_idle: float = 20.0
    check_every: float = 5.0
    target_wait: float = 15.0


@dataclass
class Practice:
    """How the hall treats no-shows, priority visitors and appointments (see :mod:`sim.hall_features`).

    * 过号: a window calling an absent holder spends ``recall_minutes``; ``no_show_policy``
      ``"drop"`` (the ticket is void) or ``"keep"`` (顺延: called again after ``keep_calls``
      later calls of the group, and then served);
    * priority: ``priority_mode`` ``"first"`` (called before everyone else at every window
      serving them) or ``"dedicated"`` (served only at ``priority_lane`` groups);
    * 预约: ``appointment_quota[type]`` caps appointments per 30-minute slot (the rest come as
      walk-ins); bookings are made ``booking_lead_days`` (exponential mean) ahead and those
      for Saturday/Sunday made after ``weekend_cutoff`` (weekday 0=Mon, "HH:MM", e.g.
      ``"4 12:00"`` = Friday noon) are refused; ``weekend_appointment_only`` turns
      weekend walk-ins away (counted, not served).
    """

    recall_minutes: float = 1.0
    no_show_policy: str = "drop"
    keep_calls: int = 3
    priority_mode: str = "first"
    appointment_quota: dict[str, int] = field(default_factory=dict)
    booking_lead_days: float = 3.0
    weekend_cutoff: str = ""
    weekend_appointment_only: bool = False


@dataclass
class DayOverride:
    """A local calendar change: ``kind`` is ``"holiday"`` (closed) or ``"workday"`` (调休上班)."""

    date: dt.date
    kind: str
    note: str = ""


@dataclass
class CalendarSpec:
    start: dt.date = dt.date(2026, 11, 2)
    days: int = 7
    overrides: list[DayOverride] = field(default_factory=list)
    use_official: bool = True


@dataclass
class Scenario:
    """A whole hall. ``weekday_profile``/``weekend_profile`` map slot start → weight.

    Parameters
    ----------
    name : str
        Scenario name shown to users.
    types : list of ServiceType
        The kinds of business.
    groups : list of WindowGroup
        The window groups serving them.
    policy : Policy
        The dynamic window-adjustment controller (动态调整).
    calendar : CalendarSpec
        First day, number of days and calendar overrides of a run.
    weekday_profile, weekend_profile : dict of str to float
        Arrival weight per slot start (``HH:MM``).
    description : str, default ""
        Free text shown with the scenario.
    practice : Practice
        Service practices (no-shows, priority lanes, appointment quotas …).

    Examples
    --------
    >>> t = ServiceType("户籍", daily_volume=[40.0] * 5 + [0.0, 0.0])
    >>> s = Scenario("小厅", [t], [WindowGroup("户籍", ["户籍"], hours=["09:00-12:00"] * 5 + ["", ""])])
    >>> s.group("户籍").types
    ['户籍']
    """

    name: str
    types: list[ServiceType]
    groups: list[WindowGroup]
    policy: Policy = field(default_factory=Policy)
    calendar: CalendarSpec = field(default_factory=CalendarSpec)
    weekday_profile: dict[str, float] = field(default_factory=dict)
    weekend_profile: dict[str, float] = field(default_factory=dict)
    description: str = ""
    practice: Practice = field(default_factory=Practice)

    def type(self, name: str) -> ServiceType:
        """The service type called ``name``.

        Parameters
        ----------
        name : str
            The type's name.

        Returns
        -------
        ServiceType
            The first type of :attr:`types` with that name.

        Raises
        ------
        KeyError
            When the scenario has no such type.

        Examples
        --------
        >>> s = Scenario("小厅", [ServiceType("户籍", daily_volume=[40.0] * 5 + [0.0] * 2)], [WindowGroup("户籍", ["户籍"])])
        >>> s.type("户籍").daily_volume[0]
        40.0
        """
        for t in self.types:
            if t.name == name:
                return t
        raise KeyError(name)

    def group(self, name: str) -> WindowGroup:
        """The window group called ``name``.

        Parameters
        ----------
        name : str
            The group's name.

        Returns
        -------
        WindowGroup
            The first group of :attr:`groups` with that name.

        Raises
        ------
        KeyError
            When the scenario has no such group.

        Examples
        --------
        >>> s = Scenario("小厅", [ServiceType("户籍")], [WindowGroup("户籍窗口", ["户籍"], regular=2)])
        >>> s.group("户籍窗口").regular
        2
        """
        for g in self.groups:
            if g.name == name:
                return g
        raise KeyError(name)

    def copy(self) -> Scenario:
        """A deep copy, to change without touching this scenario.

        Returns
        -------
        Scenario
            An independent copy (its types and groups are copies too).

        Examples
        --------
        >>> s = Scenario("小厅", [ServiceType("户籍")], [WindowGroup("户籍", ["户籍"], regular=2)])
        >>> t = s.copy()
        >>> t.groups[0].regular = 5
        >>> s.groups[0].regular, t.groups[0].regular
        (2, 5)
        """
        return copy.deepcopy(self)

    def to_dict(self) -> dict[str, Any]:
        """The scenario as plain dicts and lists, for JSON (dates as ISO strings).

        Returns
        -------
        dict
            What :meth:`from_dict` reads back.

        Examples
        --------
        >>> s = Scenario("小厅", [ServiceType("户籍")], [WindowGroup("户籍", ["户籍"], regular=2)])
        >>> d = s.to_dict()
        >>> d["name"], d["groups"][0]["regular"], Scenario.from_dict(d) == s
        ('小厅', 2, True)
        """
        d = asdict(self)
        d["calendar"]["start"] = self.calendar.start.isoformat()
        for o in d["calendar"]["overrides"]:
            o["date"] = o["date"].isoformat()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Scenario:
        """A scenario from :meth:`to_dict`'s plain dicts (e.g. read back from JSON).

        Parameters
        ----------
        d : dict
            ``name``, ``types`` and ``groups`` are required; ``policy``, ``calendar`` (dates as ISO
            strings), the profiles, ``description`` and ``practice`` take their defaults when absent.

        Returns
        -------
        Scenario
            The scenario.

        Raises
        ------
        KeyError
            When ``name``, ``types`` or ``groups`` is missing.

        Examples
        --------
        >>> s = Scenario.from_dict({"name": "小厅", "types": [{"name": "户籍"}],
        ...                         "groups": [{"name": "户籍", "types": ["户籍"]}]})
        >>> s.name, s.type("户籍").name, s.group("户籍").types
        ('小厅', '户籍', ['户籍'])
        """
        cal = dict(d.get("calendar") or {})
        if "start" in cal:
            cal["start"] = dt.date.fromisoformat(str(cal["start"]))
        cal["overrides"] = [
            DayOverride(dt.date.fromisoformat(str(o["date"])), o["kind"], o.get("note", ""))
            for o in cal.get("overrides", [])
        ]
        return cls(
            name=d["name"],
            types=[ServiceType(**t) for t in d["types"]],
            groups=[WindowGroup(**g) for g in d["groups"]],
            policy=Policy(**(d.get("policy") or {})),
            calendar=CalendarSpec(**cal),
            weekday_profile={k: float(v) for k, v in (d.get("weekday_profile") or {}).items()},
            weekend_profile={k: float(v) for k, v in (d.get("weekend_profile") or {}).items()},
            description=d.get("description", ""),
            practice=Practice(**(d.get("practice") or {})),
        )
