"""The service-hall model: tickets, windows that open and close, a dispatcher, SimPy's event loop.

Why not ``simpy.Resource``: its capacity is read-only and must be > 0, so windows
that open, close or stay shut all weekend cannot be expressed, and one SimPy
process per customer is the dominant cost. Instead the model keeps its own state
SimPy's ``Environment`` (through its public ``schedule(event, priority, delay)``) drives a
few callbacks (arrival, service end, renege, schedule change, controller check) — no process
per customer.

Queue discipline (stated once, tested in ``tests/test_sim_exact.py``):

* each type has two FIFO deques of waiting tickets: appointment holders and walk-ins;
* an arriving customer goes straight to an idle open window of a group that serves
  the type (groups tried from the most specialised — fewest types — to the most
  pooled, so comprehensive windows stay free for what only they can do);
  otherwise the ticket waits;
* a window that becomes free calls, among the types its group serves, the
  longest-waiting appointment ticket if any, else the longest-waiting walk-in
  ticket (the head with the earliest ticket time across the group's deques);
* with one type and no appointments this is exactly FCFS M/M/c.

Closing: at the end of a session (noon closing, evening closing) a group's windows
keep calling tickets issued before that moment until none is left — nobody with a
ticket goes home unserved (不得限号); the minutes past closing are overtime. If a
group has no window left open but tickets are waiting, one window reopens to serve them.

Public entry points:

* :func:`simulate` — a scenario over its calendar, optionally with a staffing plan
  ``windows_by_slot`` that fixes the open windows per (group, day, slot);
* :func:`slot_service_levels` — per (group, day, slot) service levels of a run,
  what the staffing search needs;
* :func:`simulate_arrays` — given arrival and service times, ``c`` windows always
  open (M/M/c, the exact test and ``python -m sim mmc``).

>>> import numpy as np
>>> run = simulate_arrays(np.array([0.0, 1.0, 2.0]), np.array([5.0, 5.0, 5.0]), servers=2)
>>> run.wait().tolist()
[0.0, 0.0, 3.0]
"""

from __future__ import annotations

import math
import time as _time
from collections import deque
from collections.abc import Callable
from typing import Literal

import numpy as np
import simpy
from simpy.events import NORMAL, URGENT

from core.errors import WorkbenchError

from .arrivals import Customers, generate
from .calendar import Day, build_days
from .policy import decide
from .results import Adjustment, HallRun, slot_service_levels  # noqa: F401  (re-exported for staffing)
from .scenario import Policy, Scenario, min_to_hm
from .schedule import DAY_MINUTES, Change, group_changes, lunch_relief_minutes

INF = math.inf


class Cancelled(WorkbenchError):
    """Raised inside a run when the caller's cancel flag is set (see :mod:`sim.replicate`).

    Parameters
    ----------
    message : str, default "仿真已按要求取消,未产生结果"
        The Chinese message shown to users.

    Examples
    --------
    >>> from sim.scenario import Scenario, ServiceType, WindowGroup
    >>> s = Scenario("小厅", [ServiceType("户籍", daily_volume=[40.0] * 7)], [WindowGroup("户籍", ["户籍"])])
    >>> try:
    ...     simulate(s, days=1, cancel=lambda: True)
    ... except Cancelled as err:
    ...     print(err)
    仿真已按要求取消,未产生结果
    """

    def __init__(self, message: str = "仿真已按要求取消,未产生结果"):
        super().__init__(message)


class _Ev:
    """A bare SimPy-compatible event: what ``Environment.step`` needs and nothing more.

    ``t`` is the absolute time it was meant for; callbacks read it instead of ``env.now`` so arrival
    and completion times are bit-identical to the inputs' arithmetic (``env.schedule`` stores
    ``now + delay``, which can differ from ``t`` in the last bit).
    """

    __slots__ = ("callbacks", "arg", "t")
    _ok = True

    def __init__(self, callbacks, arg, t: float):
        self.callbacks = callbacks
        self.arg = arg
        self.t = t


class HallEngine:
    """One run of the hall. Build with arrays, call :meth:`run`, read :attr:`result`.

    ``group_types[g]`` lists the type indices group ``g`` serves; ``changes`` are
    the open-window targets over time (:class:`sim.schedule.Change`);
    ``reserve[g]`` the reserve windows the controller may open under ``policy``.

    Parameters
    ----------
    customers : Customers
        The run's customers (:func:`sim.arrivals.generate`).
    group_types : list of list of int
        Type indices each group serves.
    changes : list of Change
        Open-window targets over time.
    n_types : int
        Number of service types.
    reserve : list of int or None
        Reserve windows per group.
    policy : Policy or None
        The window controller (None: off).
    group_names, type_names : list of str or None
        Names for the result.
    policy_windows : list of tuple or None
        Intervals in which the controller may act.
    day_starts : list of float or None
        Minute each day of the run starts.
    lunch_relief : list of float or None
        Lunch relief minutes per group.
    on_day : callable or None
        Called with each day index as the run reaches it.
    cancel : callable or None
        Polled; when it returns True the run raises :class:`Cancelled`.

    Examples
    --------
    >>> import numpy as np
    >>> from sim.arrivals import Customers
    >>> from sim.schedule import Change
    >>> c = Customers(np.array([540.0, 541.0]), np.array([0, 0]), np.array([10.0, 10.0]),
    ...               np.array([False, False]), np.array([np.inf, np.inf]))
    >>> eng = HallEngine(c, [[0]], [Change(540.0, 0, 1), Change(600.0, 0, 0, drain=True)], n_types=1)
    >>> eng.run().start.tolist()
    [540.0, 550.0]
    """

    def __init__(
        self,
        customers: Customers,
        group_types: list[list[int]],
        changes: list[Change],
        *,
        n_types: int,
        reserve: list[int] | None = None,
        policy: Policy | None = None,
        group_names: list[str] | None = None,
        type_names: list[str] | None = None,
        policy_windows: list[tuple[float, float]] | None = None,
        day_starts: list[float] | None = None,
        lunch_relief: list[float] | None = None,
        on_day: Callable[[int], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ):
        self.c = customers
        self.n_types = n_types
        self.group_types = group_types
        self.n_groups = len(group_types)
        self.changes = sorted(changes, key=lambda ch: (ch.time, ch.group))
        self.reserve = reserve or [0] * self.n_groups
        self.policy = policy if (policy and policy.enabled) else None
        self.group_names = group_names or [f"G{g}" for g in range(self.n_groups)]
        self.type_names = type_names or [f"T{t}" for t in range(n_types)]
        self.policy_windows = policy_windows or []
        self.day_starts = day_starts or []
        self.lunch_relief = lunch_relief or [0.0] * self.n_groups
        self.on_day, self.cancel = on_day, cancel
        # types → groups, most specialised first
        tg: list[list[int]] = [[] for _ in range(n_types)]
        for g in sorted(range(self.n_groups), key=lambda g: (len(group_types[g]), g)):
            for t in group_types[g]:
                tg[t].append(g)
        self.type_groups = tg
        #: the one type group ``g`` serves, or -1 when it serves several (:meth:`_pick`'s fast path)
        self.single_type = [types[0] if len(types) == 1 else -1 for types in group_types]
        # window ids per group: enough for the largest target plus reserve plus a drain window
        cap = [1] * self.n_groups
        for ch in self.changes:
            cap[ch.group] = max(cap[ch.group], ch.windows)
        self.window_group: list[int] = []
        self.window_index: list[int] = []
        self.closed_pool: list[list[int]] = []
        for g in range(self.n_groups):
            ids = list(range(len(self.window_group), len(self.window_group) + cap[g] + self.reserve[g]))
            self.window_group += [g] * len(ids)
            self.window_index += list(range(1, len(ids) + 1))
            self.closed_pool.append(ids[::-1])

    # ------------------------------------------------------------------ run
    def run(
        self,
        *,
        days: list[Day] | None = None,
        scenario_name: str = "",
        target_wait: float = 15.0,
        started: float | None = None,
    ) -> HallRun:
        """Simulate and return the run, built once with everything it carries.

        ``days`` (the calendar days simulated), ``scenario_name`` and ``target_wait`` are recorded in
        the result; ``started`` (a :func:`time.perf_counter` reading) makes ``wall_seconds`` count
        from then (default: from this call).

        Parameters
        ----------
        days : list of Day, optional
            The calendar days the run covers (recorded in the result; the log's dates come from them).
        scenario_name : str, optional
            The scenario's name, recorded in the result.
        target_wait : float, optional
            The waiting-time target in minutes, recorded in the result (default 15).
        started : float, optional
            A :func:`time.perf_counter` reading ``wall_seconds`` counts from (default: this call).

        Returns
        -------
        HallRun
            Each customer's start and window, the windows' open times and the controller's adjustments.

        Raises
        ------
        Cancelled
            When the engine's ``cancel`` callable returns True during the run.

        Examples
        --------
        >>> import numpy as np
        >>> from sim.arrivals import Customers
        >>> from sim.schedule import Change
        >>> c = Customers(np.array([540.0, 541.0]), np.array([0, 0]), np.array([10.0, 10.0]),
        ...               np.array([False, False]), np.array([np.inf, np.inf]))
        >>> run = HallEngine(c, [[0]], [Change(540.0, 0, 1)], n_types=1).run(scenario_name="示例", target_wait=10)
        >>> run.start.tolist(), run.scenario_name, run.target_wait
        ([540.0, 550.0], '示例', 10)
        """
        t0 = _time.perf_counter() if started is None else started
        c = self.c
        n = len(c.arrival)
        env = simpy.Environment()
        self.env = env
        # SimPy's public API: schedule(event, priority, delay); our events are the bare _Ev
        self._schedule: Callable[..., None] = env.schedule
        self.arr = c.arrival.tolist()
        self.n_customers = n
        self.typ = c.type.tolist()
        self.svc = c.service.tolist()
        self.appt = c.appointment.tolist()
        pat = c.patience
        self.has_patience = bool(n and np.isfinite(pat).any())
        self.pat = pat.tolist()
        self.start = [-1.0] * n
        self.win = [-1] * n
        self.abandoned = [False] * n
        nw = len(self.window_group)
        self.is_open = [False] * nw
        self.closing = [False] * nw
        self.busy = [False] * nw
        self.open_since = [0.0] * nw
        self.idle_since = [0.0] * nw
        self.open_log: list[tuple[int, float, float]] = []
        self.overtime: list[tuple[int, float, float]] = []
        self.adjustments: list[Adjustment] = []
        self.switch_minutes = [0.0] * self.n_groups
        ng = self.n_groups
        self.idle: list[list[int]] = [[] for _ in range(ng)]
        self.n_open = [0] * ng
        self.target = [0] * ng
        self.reserve_active = [0] * ng
        self.pending = [0] * ng
        self.draining = [False] * ng
        self.close_time = [0.0] * ng
        self.appt_q: list[deque[int]] = [deque() for _ in range(self.n_types)]
        self.walk_q: list[deque[int]] = [deque() for _ in range(self.n_types)]
        self.nwait = [0] * self.n_types
        self._cb_arrival = (self._on_arrival,)
        self._cb_complete = (self._on_complete,)
        self._cb_renege = (self._on_renege,)
        self._cb_change = (self._on_change,)
        self._cb_check = (self._on_check,)
        self._cb_activate = (self._on_activate,)
        self._cb_day = (self._on_day,)
        for ch in self.changes:
            self._at(ch.time, self._cb_change, ch, URGENT)
        if self.policy:
            step = self.policy.check_every
            for lo, hi in self.policy_windows:
                k = 1
                while lo + k * step < hi:
                    self._at(lo + k * step, self._cb_check, None)
                    k += 1
        if self.on_day or self.cancel:
            for d, t0 in enumerate(self.day_starts):
                self._at(t0, self._cb_day, d, URGENT)
        if n:
            self._at(self.arr[0], self._cb_arrival, 0)
        env.run()
        for w in range(nw):  # windows still open when the schedule ends (always-open runs)
            if self.is_open[w]:
                self.open_log.append((w, self.open_since[w], env.now))
        return HallRun(
            customers=c,
            start=np.asarray(self.start),
            window=np.asarray(self.win, dtype=np.int32),
            abandoned=np.asarray(self.abandoned, dtype=bool),
            window_group=np.asarray(self.window_group),
            window_index=np.asarray(self.window_index),
            group_names=list(self.group_names),
            type_names=list(self.type_names),
            open_log=self.open_log,
            overtime=self.overtime,
            adjustments=self.adjustments,
            switch_minutes=self.switch_minutes,
            lunch_relief_minutes=list(self.lunch_relief),
            end_time=env.now,
            days=list(days or []),
            scenario_name=scenario_name,
            target_wait=target_wait,
            wall_seconds=_time.perf_counter() - t0,
        )

    def _at(self, t: float, callbacks, arg, priority: int = NORMAL, now: float | None = None) -> None:
        """Schedule at the absolute time ``t``; ``now`` is the current event's time (default
        ``env.now``). The callback sees ``t`` itself as its time (see :class:`_Ev`)."""
        self._schedule(_Ev(callbacks, arg, t), priority, t - (self.env.now if now is None else now))

    # ------------------------------------------------------------ dispatch
    def _begin(self, w: int, i: int, now: float) -> None:
        self.start[i] = now
        self.win[i] = w
        self.busy[w] = True
        s = self.svc[i]
        self._schedule(_Ev(self._cb_complete, w, now + s), NORMAL, s)

    def _on_arrival(self, ev) -> None:
        i = ev.arg
        now = ev.t
        t = self.typ[i]
        idle_of = self.idle
        for g in self.type_groups[t]:
            idle = idle_of[g]
            if idle:
                w = idle.pop()
                self.start[i] = now
                self.win[i] = w
                self.busy[w] = True
                s = self.svc[i]
                self._schedule(_Ev(self._cb_complete, w, now + s), NORMAL, s)
                break
        else:
            (self.appt_q if self.appt[i] else self.walk_q)[t].append(i)
            self.nwait[t] += 1
            if self.has_patience and self.pat[i] < INF:
                self._at(now + self.pat[i], self._cb_renege, i, NORMAL, now)
        j = i + 1
        if j < self.n_customers:
            t_next = self.arr[j]
            self._schedule(_Ev(self._cb_arrival, j, t_next), NORMAL, t_next - now)

    def _pick(self, g: int, limit: float = INF) -> int:
        """The ticket window group ``g`` calls next, or -1 (see module docstring)."""
        arr = self.arr
        t = self.single_type[g]
        if t >= 0:  # one type (M/M/c, 专窗): the head of its appointment queue, else of its walk-ins
            if self.has_patience:
                abandoned = self.abandoned
                for dq in (self.appt_q[t], self.walk_q[t]):
                    while dq and abandoned[dq[0]]:
                        dq.popleft()
            dq = self.appt_q[t]
            if not dq or arr[dq[0]] >= limit:
                dq = self.walk_q[t]
                if not dq or arr[dq[0]] >= limit:
                    return -1
            self.nwait[t] -= 1
            return dq.popleft()
        for queues in (self.appt_q, self.walk_q):
            best, bt = -1, limit
            for t in self.group_types[g]:
                dq = queues[t]
                if self.has_patience:
                    while dq and self.abandoned[dq[0]]:
                        dq.popleft()
                if dq:
                    a = arr[dq[0]]
                    if a < bt:
                        bt, best = a, t
            if best >= 0:
                self.nwait[best] -= 1
                return queues[best].popleft()
        return -1

    def _on_complete(self, ev) -> None:
        w = ev.arg
        now = ev.t
        self.busy[w] = False
        g = self.window_group[w]
        if self.closing[w]:
            self._close(w, now)
            return
        if self.draining[g]:
            i = self._pick(g, self.close_time[g])
            if i < 0:
                self._close(w, now)
                return
        else:
            i = self._pick(g)
            if i < 0:
                self.idle[g].append(w)
                self.idle_since[w] = now
                return
        self.start[i] = now
        self.win[i] = w
        self.busy[w] = True
        s = self.svc[i]
        self._schedule(_Ev(self._cb_complete, w, now + s), NORMAL, s)

    def _on_renege(self, ev) -> None:
        i = ev.arg
        if self.start[i] < 0 and not self.abandoned[i]:
            self.abandoned[i] = True
            self.nwait[self.typ[i]] -= 1

    # ------------------------------------------------------ open and close
    def _open(self, g: int, now: float) -> None:
        w = self.closed_pool[g].pop()
        self.is_open[w] = True
        self.open_since[w] = now
        self.n_open[g] += 1
        i = self._pick(g, self.close_time[g] if self.draining[g] else INF)
        if i >= 0:
            self._begin(w, i, now)
        else:
            self.idle[g].append(w)
            self.idle_since[w] = now

    def _close(self, w: int, now: float) -> None:
        g = self.window_group[w]
        if not self.closing[w]:
            self.n_open[g] -= 1
        self.closing[w] = False
        self.is_open[w] = False
        self.open_log.append((w, self.open_since[w], now))
        if self.draining[g] and now > self.close_time[g]:
            self.overtime.append((g, self.close_time[g], now))
        self.closed_pool[g].append(w)

    def _rebalance(self, g: int, now: float) -> None:
        want = self.target[g] + self.reserve_active[g]
        while self.n_open[g] < want:
            flagged = next((w for w, gg in enumerate(self.window_group) if gg == g and self.closing[w]), -1)
            if flagged >= 0:
                self.closing[flagged] = False
                self.n_open[g] += 1
            elif self.closed_pool[g]:
                self._open(g, now)
            else:
                break
        while self.n_open[g] > want:
            idle = self.idle[g]
            if idle:
                self._close(idle.pop(0), now)  # the longest idle
                continue
            w = next(w for w, gg in enumerate(self.window_group) if gg == g and self.is_open[w] and not self.closing[w])
            self.closing[w] = True
            self.n_open[g] -= 1

    def _waiting(self, g: int) -> tuple[int, float]:
        """(tickets waiting for the group's types, earliest ticket time among them)."""
        n, first = 0, INF
        for t in self.group_types[g]:
            n += self.nwait[t]
            for dq in (self.appt_q[t], self.walk_q[t]):
                if self.has_patience:
                    while dq and self.abandoned[dq[0]]:
                        dq.popleft()
                if dq and self.arr[dq[0]] < first:
                    first = self.arr[dq[0]]
        return n, first

    def _on_change(self, ev) -> None:
        ch: Change = ev.arg
        g, now = ch.group, ev.t
        if ch.drain:
            self.draining[g] = True
            self.close_time[g] = now
            self.target[g] = 0
            withdrawn = self.reserve_active[g]
            self.reserve_active[g] = 0
            for w, gg in enumerate(self.window_group):
                if gg == g and self.closing[w]:  # everyone busy now drains the queue
                    self.closing[w] = False
                    self.n_open[g] += 1
            while self.idle[g]:
                self._close(self.idle[g].pop(), now)
            if (
                not any(self.busy[w] for w, gg in enumerate(self.window_group) if gg == g)
                and self._waiting(g)[1] < now
                and self.closed_pool[g]
            ):
                self._open(g, now)
            for _ in range(withdrawn):  # every close is logged, not only the controller's
                self._log(g, now, "close", "营业时段结束,后备窗口撤回(已取号者由仍在办理的窗口办完)")
            return
        if self.draining[g]:  # still serving the last session's tickets when the next one starts
            for w, gg in enumerate(self.window_group):
                if gg == g and self.is_open[w] and now > self.close_time[g]:
                    self.overtime.append((g, self.close_time[g], now))
        self.draining[g] = False
        self.target[g] = ch.windows
        self._rebalance(g, now)

    # ---------------------------------------------------------- controller
    def _on_check(self, ev) -> None:
        p, now = self.policy, ev.t
        if p is None:  # checks are scheduled only when a controller is on
            return
        for g in range(self.n_groups):
            if not self.reserve[g] or self.draining[g] or self.target[g] <= 0:
                continue
            waiting, first = self._waiting(g)
            idle = self.idle[g]
            d = decide(
                p,
                waiting=waiting,
                open_windows=self.n_open[g],
                longest_wait=now - first if first < INF else 0.0,
                reserve_free=self.reserve[g] - self.reserve_active[g] - self.pending[g],
                longest_idle=now - self.idle_since[idle[0]] if idle else None,
                pending=self.pending[g],
                reserve_active=self.reserve_active[g],
            )
            if d is None:
                continue
            action, reason = d
            if action == "open":
                self.pending[g] += 1
                self.switch_minutes[g] += p.switch_delay
                self._at(now + p.switch_delay, self._cb_activate, (g, reason, now), NORMAL, now)
            else:
                self.reserve_active[g] -= 1
                self._close(idle.pop(0), now)
                self._log(g, now, "close", reason)

    def _on_activate(self, ev) -> None:
        g, reason, asked = ev.arg
        now = ev.t
        self.pending[g] -= 1
        if self.draining[g] or self.target[g] <= 0:
            return
        self.reserve_active[g] += 1
        self._rebalance(g, now)
        self._log(g, now, "open", f"{reason}(于{min_to_hm(asked % DAY_MINUTES)}发起,切换延迟后开窗)", asked)

    def _log(
        self, g: int, now: float, action: Literal["open", "close"], reason: str, requested: float | None = None
    ) -> None:
        self.adjustments.append(
            Adjustment(
                day=int(now // DAY_MINUTES),
                time=min_to_hm(now % DAY_MINUTES),
                minute=now,
                group=self.group_names[g],
                action=action,
                reason=reason,
                open_after=self.n_open[g],
                requested=now if requested is None else requested,
            )
        )

    def _on_day(self, ev) -> None:
        if self.cancel and self.cancel():
            raise Cancelled()
        if self.on_day:
            self.on_day(ev.arg)


# ---------------------------------------------------------------- public API
def build_engine(
    scenario: Scenario,
    *,
    days: int | None = None,
    seed: int = 0,
    windows_by_slot: dict[tuple[str, int, int], int] | None = None,
    customers: Customers | None = None,
    policy: Policy | None = None,
    on_day: Callable[[int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> tuple[HallEngine, list[Day]]:
    """The engine for a scenario (arrivals generated unless ``customers`` is given)."""
    day_list = build_days(scenario.calendar, days)
    if windows_by_slot:
        unknown = {k[0] for k in windows_by_slot} - {g.name for g in scenario.groups}
        if unknown:
            raise WorkbenchError(f"人员配置方案中的窗口组不在场景中:{'、'.join(sorted(unknown))}")
    cust = customers if customers is not None else generate(scenario, day_list, seed)
    tindex = {t.name: i for i, t in enumerate(scenario.types)}
    group_types = [[tindex[n] for n in g.types if n in tindex] for g in scenario.groups]
    changes: list[Change] = []
    windows: list[tuple[float, float]] = []
    relief = [0.0] * len(scenario.groups)
    for d in day_list:
        lo, hi = INF, -INF
        for gi, g in enumerate(scenario.groups):
            ch = group_changes(gi, g, d, windows_by_slot)
            changes += ch
            if ch and windows_by_slot is None:
                relief[gi] += lunch_relief_minutes(g, d)
            if ch:
                lo, hi = min(lo, ch[0].time), max(hi, ch[-1].time)
        if lo < hi:
            windows.append((lo, hi))
    # a staffing plan fixes the windows: no controller on top
    pol: Policy | None = None if windows_by_slot is not None else policy if policy is not None else scenario.policy
    eng = HallEngine(
        cust,
        group_types,
        changes,
        n_types=len(scenario.types),
        reserve=[g.reserve for g in scenario.groups],
        policy=pol,
        group_names=[g.name for g in scenario.groups],
        type_names=[t.name for t in scenario.types],
        policy_windows=windows,
        day_starts=[d.index * DAY_MINUTES for d in day_list],
        lunch_relief=relief,
        on_day=on_day,
        cancel=cancel,
    )
    return eng, day_list


def simulate(
    scenario: Scenario,
    *,
    days: int | None = None,
    seed: int = 0,
    windows_by_slot: dict[tuple[str, int, int], int] | None = None,
    customers: Customers | None = None,
    policy: Policy | None = None,
    on_day: Callable[[int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> HallRun:
    """Run the hall over ``days`` days of its calendar (default ``scenario.calendar.days``).

    ``windows_by_slot[(group name, day index, slot)] = n`` fixes the open windows of
    that group in that 30-minute slot (slot = minute of day // 30, day index from 0),
    replacing the regular counts there (a staffing plan; the controller is then off).
    Slots outside the group's hours are ignored. With no-shows, routes, priority visitors or
    appointment quotas in the scenario the run goes through :mod:`sim.hall_features`. The result's
    :meth:`~sim.results.HallRun.log` is the per-customer DataFrame and
    :func:`slot_service_levels` gives per (group, day, slot) service levels.

    Parameters
    ----------
    scenario : Scenario
        The hall.
    days : int or None, default None
        Days to run (default: the scenario's calendar).
    seed : int, default 0
        Random seed of arrivals and service times.
    windows_by_slot : dict or None, default None
        Fixed open windows per ``(group name, day index, slot)``.
    customers : Customers or None, default None
        Customers to replay instead of drawing new ones.
    policy : Policy or None, default None
        Overrides the scenario's controller.
    on_day : callable or None
        Called with each day index as the run reaches it (progress).
    cancel : callable or None
        Polled during the run; True stops it.

    Returns
    -------
    HallRun
        The run's raw outcome.

    Raises
    ------
    Cancelled
        When ``cancel`` returns True (仿真已按要求取消,未产生结果).
    WorkbenchError
        When ``windows_by_slot`` names a group the scenario lacks
        (人员配置方案中的窗口组不在场景中).

    Examples
    --------
    >>> from sim.scenario_io import load_scenario
    >>> from sim.results import slot_service_levels
    >>> s = load_scenario("data/hall/sample-hall.json")
    >>> run = simulate(s, days=1, seed=1, windows_by_slot={("户籍", 0, 18): 5})
    >>> sl = slot_service_levels(run, target=15)
    >>> list(sl.columns)[:4]
    ['group', 'day', 'slot', 'customers']
    """
    from .hall_features import simulate_features, uses_features  # no-shows, routes, priority, quotas

    if uses_features(scenario):
        return simulate_features(
            scenario,
            days=days,
            seed=seed,
            windows_by_slot=windows_by_slot,
            customers=customers,
            policy=policy,
            on_day=on_day,
            cancel=cancel,
        ).run
    t0 = _time.perf_counter()
    eng, day_list = build_engine(
        scenario,
        days=days,
        seed=seed,
        windows_by_slot=windows_by_slot,
        customers=customers,
        policy=policy,
        on_day=on_day,
        cancel=cancel,
    )
    return eng.run(days=day_list, scenario_name=scenario.name, target_wait=scenario.policy.target_wait, started=t0)


def simulate_arrays(
    arrival: np.ndarray, service: np.ndarray, servers: int, appointment: np.ndarray | None = None
) -> HallRun:
    """FCFS with ``servers`` windows always open, for given arrival/service times (minutes).

    The same :class:`HallEngine` as every scenario, with one type and one group.
    """
    n = len(arrival)
    cust = Customers(
        np.asarray(arrival, float),
        np.zeros(n, np.int32),
        np.asarray(service, float),
        np.zeros(n, bool) if appointment is None else np.asarray(appointment, bool),
        np.full(n, np.inf),
    )
    eng = HallEngine(cust, [[0]], [Change(0.0, 0, servers)], n_types=1, group_names=["窗口"], type_names=["业务"])
    return eng.run()
