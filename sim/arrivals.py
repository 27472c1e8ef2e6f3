"""Who arrives when: non-homogeneous Poisson arrivals by type and 30-minute slot.

Random numbers come from one stream per (seed, type name, day) so two scenarios
with the same types see the same customers on days where their demand is the same
(common random numbers, :mod:`sim.compare`); service times come from a separate
stream per (seed, type, day), so the k-th customer of a type and day has the same
service time whichever window serves it.

Within a day, the type's demand is spread over the slots when a window serving it
is open, in proportion to the slot weights (weekday or weekend profile). A share
``weekend_shift`` of the demand of a day when the type is not served (weekend
without rota, holiday) arrives on the next day it is served — at most doubling that
day's own demand (``MAX_CARRY_SHARE``); after a long holiday the rest spreads over
the following days instead of one impossible day. Appointment holders
book a slot and arrive within ±10 minutes of its start (never outside that session's hours).

>>> from sim.scenario import Scenario, ServiceType, WindowGroup, CalendarSpec
>>> import datetime as dt
>>> s = Scenario("x", [ServiceType("a", daily_volume=[100] * 7)], [WindowGroup("g", ["a"])],
...              calendar=CalendarSpec(dt.date(2026, 11, 2), 7))
>>> c = generate(s, build_days(s.calendar), seed=1)
>>> 400 < len(c.arrival) < 1100  # 5 weekdays of 100 plus half of the weekend's 200
True
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .calendar import Day, build_days
from .scenario import SLOT_MINUTES, Scenario, ServiceType, min_to_hm
from .schedule import DAY_MINUTES, sessions, type_open_intervals

MAX_CARRY_SHARE = 1.0  # a day absorbs shifted demand up to its own volume; the rest waits a day more

__all__ = ["Customers", "generate", "build_days", "sample_service", "type_day_intervals"]


@dataclass
class Customers:
    """Arrays, one entry per customer, sorted by arrival (absolute minutes from day 0 00:00).

    Parameters
    ----------
    arrival : ndarray
        Arrival minute from day 0 00:00.
    type : ndarray
        Service type index.
    service : ndarray
        Service minutes.
    appointment : ndarray
        Whether the visit was booked.
    patience : ndarray
        Minutes before leaving unserved (``inf``: stays).

    Examples
    --------
    >>> import numpy as np
    >>> c = Customers(np.array([540.0]), np.array([0]), np.array([8.0]), np.array([False]), np.array([np.inf]))
    >>> len(c)
    1
    """

    arrival: np.ndarray
    type: np.ndarray
    service: np.ndarray
    appointment: np.ndarray
    patience: np.ndarray

    def __len__(self) -> int:
        return len(self.arrival)


def _stream(seed: int, name: str, day: int, part: int) -> np.random.Generator:
    return np.random.default_rng([int(seed) & 0xFFFFFFFF, zlib.crc32(name.encode("utf-8")), day, part])


def sample_service(t: ServiceType, rng: np.random.Generator, n: int) -> np.ndarray:
    """Service times in minutes: lognormal by mean and CV, exponential, or resampled sample."""
    if n == 0:
        return np.empty(0)
    if t.service_dist == "exponential":
        return rng.exponential(t.service_mean, n)
    if t.service_dist == "empirical" and t.service_sample:
        return rng.choice(np.asarray(t.service_sample, dtype=float), n)
    cv = max(float(t.service_cv), 1e-9)
    sigma2 = np.log1p(cv * cv)
    mu = np.log(t.service_mean) - sigma2 / 2
    return rng.lognormal(mu, np.sqrt(sigma2), n)


def type_day_intervals(scenario: Scenario, day: Day) -> dict[str, list[tuple[int, int]]]:
    """For each type, when its tickets can be taken on ``day`` (minutes of day)."""
    per_group = {g.name: sessions(g, day) for g in scenario.groups}
    out = {}
    for t in scenario.types:
        out[t.name] = type_open_intervals([per_group[g.name] for g in scenario.groups if t.name in g.types])
    return out


def _weights(profile: dict[str, float] | None, fallback: dict[str, float]) -> dict[str, float]:
    return profile if profile else fallback


def _segments(intervals: list[tuple[int, int]], weights: dict[str, float]) -> tuple[np.ndarray, ...]:
    """Split open intervals at slot boundaries: start, end, weight, and the bounds of
    the open interval each piece belongs to."""
    starts: list[float] = []
    ends: list[float] = []
    ws: list[float] = []
    lo: list[float] = []
    hi: list[float] = []
    for a, b in intervals:
        x = a
        while x < b:
            slot_start = (x // SLOT_MINUTES) * SLOT_MINUTES
            y = min(b, slot_start + SLOT_MINUTES)
            w = weights.get(min_to_hm(slot_start), 0.0) if weights else 1.0
            starts.append(x)
            ends.append(y)
            ws.append(float(w) * (y - x) / SLOT_MINUTES)
            lo.append(a)
            hi.append(b)
            x = y
    s_arr, e_arr, w_arr = np.array(starts, float), np.array(ends, float), np.array(ws, float)
    if len(w_arr) and w_arr.sum() <= 0:  # profile silent on these hours: spread evenly
        w_arr = (e_arr - s_arr) / SLOT_MINUTES
    return s_arr, e_arr, w_arr, np.array(lo, float), np.array(hi, float)


def _volume(t: ServiceType, day: Day) -> float:
    if day.kind == "swap_workday":
        return float(np.mean(t.daily_volume[:5]))
    return float(t.daily_volume[day.weekday])


def _carry_in(scenario: Scenario, first: Day | None, volume_factor: float) -> dict[str, float]:
    """Demand shifted into the run from the closed days just before it (the weekend
    before a run that starts on Monday), so the first Monday has its peak too."""
    carry = {t.name: 0.0 for t in scenario.types}
    if first is None:
        return carry
    import datetime as dt

    from .scenario import CalendarSpec

    spec = scenario.calendar
    before = build_days(CalendarSpec(first.date - dt.timedelta(days=7), 7, spec.overrides, spec.use_official))
    for d in before:
        opened = type_day_intervals(scenario, d)
        for t in scenario.types:
            _, carry[t.name] = _carried(t, _volume(t, d) * volume_factor, carry[t.name], bool(opened[t.name]))
    return carry


def _carried(t: ServiceType, demand: float, carry: float, open_today: bool) -> tuple[float, float]:
    """(today's demand, carry to the next days). A closed day passes ``weekend_shift`` of its
    demand on; an open day takes the carried demand up to ``MAX_CARRY_SHARE`` of its own."""
    if not open_today:
        return 0.0, carry + demand * t.weekend_shift
    take = min(carry, MAX_CARRY_SHARE * demand) if demand > 0 else carry
    return demand + take, carry - take


@dataclass
class DemandPiece:
    """Expected arrivals of one type on one day, split at 30-minute slot boundaries.

    ``start``/``end`` are minutes of the day, ``expected`` the mean number of
    arrivals in each piece; ``lo``/``hi`` bound the open interval each piece
    belongs to (appointments stay inside it).
    """

    day: Day
    type_index: int
    type: ServiceType
    start: np.ndarray
    end: np.ndarray
    expected: np.ndarray
    lo: np.ndarray
    hi: np.ndarray


def expected_pieces(scenario: Scenario, days: list[Day], volume_factor: float = 1.0) -> Iterator[DemandPiece]:
    """The demand model without the dice: what :func:`generate` draws Poisson counts from.

    Staffing uses it so that Erlang C sees exactly the demand the simulation
    produces (same weekday volumes, slot profiles and closed-day carry-over).
    """
    carry = _carry_in(scenario, days[0] if days else None, volume_factor)
    for d in days:
        opened = type_day_intervals(scenario, d)
        weekend = d.as_weekday >= 5
        for ti, t in enumerate(scenario.types):
            demand = _volume(t, d) * volume_factor
            ivs = opened[t.name]
            demand, carry[t.name] = _carried(t, demand, carry[t.name], bool(ivs))
            if not ivs:
                continue
            prof = _weights(
                t.weekend_profile if weekend else t.weekday_profile,
                scenario.weekend_profile if weekend else scenario.weekday_profile,
            )
            s, e, w, ilo, ihi = _segments(ivs, prof)
            if demand <= 0 or not len(w):
                continue
            yield DemandPiece(d, ti, t, s, e, demand * w / w.sum(), ilo, ihi)


def generate(scenario: Scenario, days: list[Day] | None = None, seed: int = 0, volume_factor: float = 1.0) -> Customers:
    """All customers of the run (see the module docstring for the model).

    Parameters
    ----------
    scenario : Scenario
        The hall.
    days : list of Day or None, default None
        The run's days (default: the scenario's calendar).
    seed : int, default 0
        Random seed; each type and day draws from its own stream.
    volume_factor : float, default 1.0
        Multiplies every expected volume.

    Returns
    -------
    Customers
        Every customer, sorted by arrival.

    Examples
    --------
    >>> from sim.scenario import Scenario, ServiceType, WindowGroup
    >>> week = ["09:00-12:00"] * 5 + ["", ""]
    >>> s = Scenario("小厅", [ServiceType("户籍", daily_volume=[40.0] * 5 + [0.0] * 2)],
    ...              [WindowGroup("户籍", ["户籍"], regular=2, hours=week)])
    >>> c = generate(s, seed=1)
    >>> len(c), bool((c.arrival[:-1] <= c.arrival[1:]).all()), len(generate(s, seed=1, volume_factor=0))
    (180, True, 0)
    """
    days = build_days(scenario.calendar) if days is None else days
    parts: list[tuple[np.ndarray, ...]] = []
    for piece in expected_pieces(scenario, days, volume_factor):
        d, ti, t = piece.day, piece.type_index, piece.type
        s, e, ilo, ihi = piece.start, piece.end, piece.lo, piece.hi
        rng = _stream(seed, t.name, d.index, 0)
        counts = rng.poisson(piece.expected)
        n = int(counts.sum())
        if n == 0:
            continue
        seg = np.repeat(np.arange(len(s)), counts)
        times = s[seg] + rng.random(n) * (e[seg] - s[seg])
        appt = rng.random(n) < t.appointment_share
        if appt.any():
            slot0 = (s[seg] // SLOT_MINUTES) * SLOT_MINUTES
            jitter = slot0 + rng.uniform(-10.0, 10.0, n)
            times = np.where(appt, np.clip(jitter, ilo[seg], ihi[seg] - 1e-6), times)
        order = np.argsort(times, kind="stable")
        times, appt = times[order], appt[order]
        srng = _stream(seed, t.name, d.index, 1)
        service = sample_service(t, srng, n)
        patience = srng.exponential(t.patience_mean, n) if t.patience_mean else np.full(n, np.inf)
        parts.append((times + d.index * DAY_MINUTES, np.full(n, ti, np.int32), service, appt, patience))
    if not parts:
        z = np.empty(0)
        return Customers(z, np.empty(0, np.int32), z, np.empty(0, bool), z)
    arr = np.concatenate([p[0] for p in parts])
    order = np.argsort(arr, kind="stable")
    return Customers(
        arr[order],
        np.concatenate([p[1] for p in parts])[order],
        np.concatenate([p[2] for p in parts])[order],
        np.concatenate([p[3] for p in parts])[order],
        np.concatenate([p[4] for p in parts])[order],
    )
