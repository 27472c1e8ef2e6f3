"""Erlang C for M/M/c queues, numerically stable for large c and load near 1.

Why: per-slot staffing (SIPP) needs the smallest number of windows meeting a
service target for every group, weekday and 30-minute slot; a factorial-based
formula overflows at c≈170 and loses precision near ρ=1.  We use the Erlang B
recursion ``B(k) = a·B(k-1) / (k + a·B(k-1))`` (every term stays in [0, 1])
and ``C = c·B / (c - a·(1 - B))``.

Rates are per minute, times in minutes.

>>> round(erlang_c(2, 1.0), 6)          # c=2, offered load a=λ/μ=1
0.333333
>>> min_servers(1.0, 0.1, within=15, percent=0.9)   # λ=1/min, mean service 10 min
12
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def erlang_b(c: int, a: float) -> float:
    """Blocking probability of M/M/c/c with offered load ``a`` (Erlangs).

    >>> round(erlang_b(1, 1.0), 6)
    0.5
    """
    if c < 0 or a < 0:
        raise ValueError("c and a must be non-negative")
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def _c_from_b(c: int, a: float, b: float) -> float:
    if c <= 0 or a >= c:
        return 1.0
    if a == 0:
        return 0.0
    return c * b / (c - a * (1.0 - b))


def erlang_c(c: int, a: float) -> float:
    """Probability that an arriving customer waits (M/M/c, offered load ``a``); 1 when a ≥ c."""
    return _c_from_b(c, a, erlang_b(c, a))


@dataclass(frozen=True)
class ErlangResult:
    """KPIs of one M/M/c: ``service_level`` is P(wait ≤ within)."""

    servers: int
    p_wait: float
    mean_wait: float
    service_level: float
    utilisation: float

    def to_dict(self) -> dict:
        return {
            "servers": self.servers,
            "p_wait": self.p_wait,
            "mean_wait": self.mean_wait,
            "service_level": self.service_level,
            "utilisation": self.utilisation,
        }


def _kpis(c: int, lam: float, mu: float, within: float, pw: float) -> ErlangResult:
    a = lam / mu if mu > 0 else math.inf
    if lam == 0:
        return ErlangResult(c, 0.0, 0.0, 1.0, 0.0)
    if c <= 0 or a >= c:
        return ErlangResult(c, 1.0, math.inf, 0.0, 1.0)
    drain = c * mu - lam
    return ErlangResult(c, pw, pw / drain, 1.0 - pw * math.exp(-drain * within), a / c)


def mean_wait(c: int, lam: float, mu: float) -> float:
    """Mean wait in queue (minutes): C(c, a) / (cμ − λ); infinite when unstable."""
    return _kpis(c, lam, mu, 0.0, erlang_c(c, lam / mu)).mean_wait


def p_wait_gt(c: int, lam: float, mu: float, t: float) -> float:
    """P(wait > t) = C(c, a)·exp(−(cμ − λ)t)."""
    return 1.0 - _kpis(c, lam, mu, t, erlang_c(c, lam / mu)).service_level


def evaluate(c: int, lam: float, mu: float, within: float = 15.0) -> ErlangResult:
    """All KPIs of M/M/c with ``c`` servers.

    Parameters
    ----------
    c : int
        Number of servers (open windows).
    lam : float
        Arrival rate (customers per minute).
    mu : float
        Service rate of one server (1 / mean service minutes).
    within : float, default 15.0
        Wait limit in minutes for ``service_level``.

    Returns
    -------
    ErlangResult
        ``servers``, ``p_wait``, ``mean_wait``, ``service_level`` and ``utilisation``.

    Raises
    ------
    ValueError
        When ``mu`` is not positive.

    Examples
    --------
    >>> r = evaluate(2, lam=0.1, mu=0.1)
    >>> r.servers, round(r.utilisation, 2), round(r.p_wait, 3)
    (2, 0.5, 0.333)
    """
    if mu <= 0:
        raise ValueError("service rate must be positive")
    return _kpis(c, lam, mu, within, erlang_c(c, lam / mu) if lam > 0 else 0.0)


def min_servers(
    lam: float,
    mu: float,
    *,
    within: float | None = 15.0,
    percent: float | None = 0.9,
    max_mean_wait: float | None = None,
    minimum: int = 0,
    limit: int = 100_000,
) -> int:
    """Smallest c meeting every stated part of the target (O(c), one recursion pass).

    ``percent`` of customers wait at most ``within`` minutes, and/or the mean wait is at most
    ``max_mean_wait`` minutes.  ``minimum`` is a floor (e.g. 1 window whenever a group is open).

    Parameters
    ----------
    lam : float
        Arrival rate (customers per minute).
    mu : float
        Service rate of one server (1 / mean service minutes).
    within : float or None, default 15.0
        Wait limit in minutes of the percentile part of the target.
    percent : float or None, default 0.9
        Share of customers that must wait at most ``within`` minutes (None: no such part).
    max_mean_wait : float or None, default None
        Largest allowed mean wait in minutes (None: no such part).
    minimum : int, default 0
        Fewest servers returned.
    limit : int, default 100000
        Largest ``c`` tried.

    Returns
    -------
    int
        The smallest number of servers meeting the target.

    Raises
    ------
    ValueError
        When a rate is not positive, or no ``c`` up to ``limit`` meets the target.

    Examples
    --------
    >>> min_servers(1.0, 0.1, within=15, percent=0.9)
    12
    >>> min_servers(0.0, 0.1, minimum=1)
    1
    """
    return staff_for(
        lam, mu, within=within, percent=percent, max_mean_wait=max_mean_wait, minimum=minimum, limit=limit
    ).servers


def staff_for(
    lam: float,
    mu: float,
    *,
    within: float | None = 15.0,
    percent: float | None = 0.9,
    max_mean_wait: float | None = None,
    minimum: int = 0,
    limit: int = 100_000,
) -> ErlangResult:
    """Like :func:`min_servers` but returns the KPIs at the chosen c."""
    if mu <= 0 or lam < 0:
        raise ValueError("rates must be positive")
    t = within if within is not None else 0.0
    if lam == 0:
        return ErlangResult(max(minimum, 0), 0.0, 0.0, 1.0, 0.0)
    a = lam / mu
    b = 1.0
    for c in range(1, limit + 1):
        b = a * b / (c + a * b)
        if c < minimum or a >= c:
            continue
        res = _kpis(c, lam, mu, t, _c_from_b(c, a, b))
        ok = True
        if percent is not None and within is not None:
            ok = res.service_level >= percent - 1e-12
        if ok and max_mean_wait is not None:
            ok = res.mean_wait <= max_mean_wait + 1e-12
        if ok:
            return res
    raise ValueError(f"no c ≤ {limit} meets the target")


def sqrt_staffing(lam: float, mu: float, beta: float) -> int:
    """Square-root staffing rule c = ⌈a + β√a⌉ (Halfin–Whitt), to compare with exact Erlang C.

    Parameters
    ----------
    lam : float
        Arrival rate (customers per minute).
    mu : float
        Service rate of one server.
    beta : float
        Quality-of-service parameter β of the rule.

    Returns
    -------
    int
        Number of servers, never below 0.

    Examples
    --------
    >>> sqrt_staffing(10.0, 0.1, 1.0)   # a = 100
    110
    """
    a = lam / mu
    return max(0, math.ceil(a + beta * math.sqrt(a) - 1e-12))


def halfin_whitt_p_wait(beta: float) -> float:
    """Limit of P(wait) under square-root staffing: [1 + β·Φ(β)/φ(β)]⁻¹."""
    if beta <= 0:
        return 1.0
    phi = math.exp(-beta * beta / 2) / math.sqrt(2 * math.pi)
    cdf = 0.5 * (1 + math.erf(beta / math.sqrt(2)))
    return 1.0 / (1.0 + beta * cdf / phi)


def beta_for_p_wait(p_wait: float) -> float:
    """β whose Halfin–Whitt delay probability equals ``p_wait`` (bisection)."""
    if not 0 < p_wait < 1:
        raise ValueError("p_wait must be in (0, 1)")
    lo, hi = 1e-9, 10.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if halfin_whitt_p_wait(mid) > p_wait:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2
