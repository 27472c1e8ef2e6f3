"""The hall as it really runs: 过号 no-shows, 多窗联办 routes, priority lanes, 预约 quotas.

A layer over :class:`sim.hall.HallEngine` (same clock, windows, schedule and controller):

* **no-shows** — a share ``ServiceType.no_show`` of ticket holders is gone when their number
  is called from the queue (someone who finds an idle window on arrival is there). The
  window spends ``Practice.recall_minutes`` on the call; with ``no_show_policy="drop"`` the
  ticket is void (the holder counts as *no-show*, not served); with ``"keep"`` (过号顺延) the
  ticket is called again after ``keep_calls`` later calls of that group (or as soon as the
  group has nobody else) and then served — its wait runs from the ticket to that call;
* **routes** — a share ``route_share`` of a type's visits continue along ``route`` (later
  types) on the same ticket: when a step ends the visitor joins the next step's queue at
  once; each step waits at its own windows, called in the order of the visit's *first*
  ticket time (a transferred ticket keeps its place, and a step reached after closing is
  still served that evening); ``time_in_hall`` = last end − first ticket;
* **priority** — a share ``priority_share`` of visitors are *priority* (老年人、孕妇、残疾人…);
  they are modelled as a twin type ``名称(优先)`` (so every KPI table reports them apart);
  ``priority_mode="first"``: every window serving the type calls them before anyone else
  (non-pre-emptive); ``"dedicated"``: only ``priority_lane`` groups serve them, and
  those groups serve nobody else;
* **预约 quotas** — :func:`apply_quotas`: at most ``appointment_quota[type]`` appointments per
  30-minute slot (later bookings come as walk-ins); weekend bookings made after the
  cut-off are refused (walk-ins); with ``weekend_appointment_only`` weekend walk-ins are
  turned away (counted in ``turned_away``).

The random draws (who is a no-show, priority, routed; step service times; booking lead
times) come from streams of their own, so turning one feature on does not move the
others' customers (common random numbers across variants).

>>> import numpy as np
>>> from sim.arrivals import Customers
>>> c = Customers(np.array([0.0, 1.0, 2.0]), np.zeros(3, np.int32), np.array([5.0, 5.0, 5.0]),
...               np.zeros(3, bool), np.full(3, np.inf))
>>> r = run_arrays(c, servers=1, no_show=np.array([False, True, False]), recall=1.0)
>>> r.run.start.tolist(), r.no_show_called.tolist()  # customer 1 absent at 5, next called at 6
([0.0, -1.0, 6.0], [-1.0, 5.0, -1.0])
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from core.errors import WorkbenchError

from .arrivals import Customers, sample_service
from .calendar import Day
from .hall import INF, HallEngine, build_engine
from .results import HallRun
from .scenario import SLOT_MINUTES, Practice, Scenario, hm_to_min
from .schedule import DAY_MINUTES, Change

__all__ = ["FeatureRun", "FeatureEngine", "apply_quotas", "run_arrays", "simulate_features", "uses_features"]

PRIORITY_SUFFIX = "(优先)"


def uses_features(s: Scenario) -> bool:
    """Whether any of the four practices is switched on in the scenario."""
    p = s.practice
    return bool(
        any(t.no_show > 0 or (t.route and t.route_share > 0) or t.priority_share > 0 for t in s.types)
        or p.appointment_quota
        or p.weekend_cutoff
        or p.weekend_appointment_only
    )


def _stream(seed: int, what: str, part: int = 0) -> np.random.Generator:
    return np.random.default_rng([int(seed) & 0xFFFFFFFF, zlib.crc32(what.encode("utf-8")), part, 16])


@dataclass(frozen=True)
class FeatureRun:
    """A run with the practices on. ``run`` is the ordinary :class:`~sim.results.HallRun`
    (no-shows dropped count as left: ``abandoned``, never as served); the arrays here are
    per customer of ``run``: ``no_show_called`` (time the absent holder was called, or −1),
    ``visit`` (the index of the visit's first step), ``step`` (0, 1, …), ``priority``."""

    run: HallRun
    no_show_called: np.ndarray
    visit: np.ndarray
    step: np.ndarray
    priority: np.ndarray
    turned_away: int = 0
    refused_bookings: int = 0
    quota_overflow: int = 0

    def visits(self) -> pd.DataFrame:
        """Per visit: first type, steps, first ticket, last end, time in hall (minutes), completed."""
        r = self.run
        c = r.customers
        served = r.start >= 0
        end = np.where(served, r.start + c.service, np.where(self.no_show_called >= 0, self.no_show_called, np.nan))
        df = pd.DataFrame(
            {
                "visit": self.visit,
                "step": self.step,
                "arrival": c.arrival,
                "end": end,
                "served": served,
                "type": np.asarray(r.type_names, dtype=object)[c.type],
            }
        )
        g = df.sort_values(["visit", "step"]).groupby("visit")
        out = pd.DataFrame(
            {
                "first_type": g["type"].first(),
                "steps": g.size(),
                "start": g["arrival"].min(),
                "end": g["end"].max(),
                "completed": g["served"].all(),
            }
        )
        out["time_in_hall"] = out["end"] - out["start"]
        return out.reset_index()

    def lanes(self, target: float | None = None) -> pd.DataFrame:
        """Waits of priority and ordinary visitors apart (served tickets)."""
        w = self.run.wait()
        tgt = self.run.target_wait if target is None else target
        rows = []
        for name, mask in (("优先", self.priority), ("普通", ~self.priority)):
            v = w[mask & ~np.isnan(w)]
            rows.append(
                {
                    "lane": name,
                    "customers": int(mask.sum()),
                    "served": len(v),
                    "mean_wait": float(v.mean()) if len(v) else math.nan,
                    "p90_wait": float(np.percentile(v, 90)) if len(v) else math.nan,
                    "within_target": float((v <= tgt).mean()) if len(v) else math.nan,
                }
            )
        return pd.DataFrame(rows)


class FeatureEngine(HallEngine):
    """:class:`~sim.hall.HallEngine` with no-shows, routes and priority twin types.

    ``n_base`` types are ordinary; type ``n_base + t`` is the priority twin of ``t`` (when
    ``priority_first``, a window calls twins before ordinary types). Customers ``>= n_primary``
    are later route steps (``arrival`` = inf until the previous step ends); ``next_step[i]``
    links a step to the next (−1 = last).
    """

    def __init__(
        self,
        customers: Customers,
        group_types: list[list[int]],
        changes: list[Change],
        *,
        n_types: int,
        n_base: int,
        n_primary: int,
        no_show: np.ndarray,
        next_step: np.ndarray,
        visit: np.ndarray | None = None,
        recall: float = 1.0,
        keep_calls: int | None = None,
        priority_first: bool = True,
        **kw: Any,
    ):
        super().__init__(customers, group_types, changes, n_types=n_types, **kw)
        self.n_base, self.n_primary = n_base, n_primary
        self.no_show_flag = no_show.tolist()
        self.next_step = next_step.tolist()
        self.recall, self.keep_calls = recall, keep_calls
        split = [([t for t in ts if t >= n_base], [t for t in ts if t < n_base]) for ts in group_types]
        self.pick_order = [[p, o] if priority_first else [p + o] for p, o in split]
        n = len(customers.arrival)
        self.called = [-1.0] * n
        self.true_svc = customers.service.tolist()
        self.kept: list[list[list[int]]] = [[] for _ in group_types]  # per group: [calls left, ticket]
        self.visit = (np.arange(n) if visit is None else visit).tolist()
        self.key = customers.arrival.tolist()  # call order: a later step keeps its visit's ticket time
        self._cb_step = (self._on_step,)

    # -- choosing the next ticket ------------------------------------------------------
    def _pick_from(self, types: list[int], limit: float) -> int:
        arr = self.key
        for queues in (self.appt_q, self.walk_q):
            best, bt = -1, limit
            for t in types:
                dq = queues[t]
                if self.has_patience:
                    while dq and self.abandoned[dq[0]]:
                        dq.popleft()
                if dq and arr[dq[0]] < bt:
                    bt, best = arr[dq[0]], t
            if best >= 0:
                self.nwait[best] -= 1
                return int(queues[best].popleft())
        return -1

    def _pick(self, g: int, limit: float = INF) -> int:
        now = self.env.now
        kept = self.kept[g]
        if kept and kept[0][0] <= 0:
            i = kept.pop(0)[1]
            return self._served(i, now)
        while True:
            i = -1
            for types in self.pick_order[g]:
                i = self._pick_from(types, limit)
                if i >= 0:
                    break
            if i < 0:
                if kept:  # nobody else waiting: the kept ticket's turn
                    return self._served(kept.pop(0)[1], now)
                return -1
            for k in kept:
                k[0] -= 1
            if self.no_show_flag[i] and self.called[i] < 0:
                self.called[i] = now
                self.svc[i] = self.recall  # the window calls, waits, gives up
                if self.keep_calls is not None:
                    kept.append([self.keep_calls, i])
                return i
            return self._served(i, now)

    def _served(self, i: int, now: float) -> int:
        self.svc[i] = self.true_svc[i]
        if self.called[i] >= 0 and self.keep_calls is not None:
            self.called[i] = -2.0 - self.called[i]  # encode "absent at the first call, later served"
        j = self.next_step[i]
        if j >= 0:
            self._at(now + self.svc[i], self._cb_step, j)
        return i

    # -- arrivals: primary customers chain by index; later steps arrive when called ------
    def _dispatch(self, i: int, now: float) -> None:
        t = self.typ[i]
        for g in self.type_groups[t]:
            idle = self.idle[g]
            if idle:
                self._begin(idle.pop(), i, now)
                j = self.next_step[i]
                if j >= 0:
                    self._at(now + self.svc[i], self._cb_step, j)
                return
        (self.appt_q if self.appt[i] else self.walk_q)[t].append(i)
        self.nwait[t] += 1
        if self.has_patience and self.pat[i] < INF:
            self._at(now + self.pat[i], self._cb_renege, i)

    def _on_arrival(self, ev: Any) -> None:
        i = ev.arg
        self._dispatch(i, self.env.now)
        j = i + 1
        if j < self.n_primary:
            self._at(self.arr[j], self._cb_arrival, j)

    def _on_step(self, ev: Any) -> None:
        j = ev.arg
        now = self.env.now
        self.arr[j] = now
        self.key[j] = self.key[self.visit[j]]
        self._dispatch(j, now)


def _as_feature_run(
    eng: FeatureEngine, run: HallRun, visit: np.ndarray, step: np.ndarray, priority: np.ndarray, **counts: int
) -> FeatureRun:
    c = run.customers
    arrived = np.isfinite(np.asarray(eng.arr))
    called = np.asarray(eng.called)
    kept_served = called <= -2.0
    first_call = np.where(kept_served, -2.0 - called, called)
    dropped = (called >= 0) & (eng.keep_calls is None)
    start = np.where(dropped, -1.0, run.start)
    window = np.where(dropped, -1, run.window)
    cust = Customers(
        np.asarray(eng.arr)[arrived],
        c.type[arrived],
        np.asarray(eng.true_svc)[arrived],
        c.appointment[arrived],
        c.patience[arrived],
    )
    new = replace(
        run,
        customers=cust,
        start=start[arrived],
        window=window[arrived].astype(np.int32),
        abandoned=(run.abandoned | dropped)[arrived],
    )
    return FeatureRun(
        new,
        np.where(first_call >= 0, first_call, -1.0)[arrived],
        visit[arrived],
        step[arrived],
        priority[arrived],
        **counts,
    )


# ------------------------------------------------------------------ scenario runs
def apply_quotas(cust: Customers, scenario: Scenario, days: list[Day], seed: int) -> tuple[Customers, dict[str, int]]:
    """Appointment quotas per type and slot, the weekend booking cut-off, weekend by appointment only."""
    p: Practice = scenario.practice
    appt = cust.appointment.copy()
    keep = np.ones(len(cust.arrival), bool)
    counts = {"turned_away": 0, "refused_bookings": 0, "quota_overflow": 0}
    if not len(appt):
        return cust, counts
    day = (cust.arrival // DAY_MINUTES).astype(int)
    weekday = np.array([d.weekday for d in days])[day]
    weekend = weekday >= 5
    if p.weekend_cutoff:
        wd_text, _, hm = p.weekend_cutoff.strip().partition(" ")
        cutoff_wd, cutoff_min = int(wd_text), hm_to_min(hm or "00:00")
        lead = _stream(seed, "booking-lead").exponential(max(p.booking_lead_days, 1e-9), len(appt)) * DAY_MINUTES
        # the cut-off before each weekend day: the latest weekday ``cutoff_wd`` at ``cutoff_min`` before it
        back = (weekday - cutoff_wd) % 7
        cutoff_abs = (day - back) * DAY_MINUTES + cutoff_min
        refused = appt & weekend & (cust.arrival - lead > cutoff_abs)
        counts["refused_bookings"] = int(refused.sum())
        appt &= ~refused
    if p.appointment_quota:
        tindex = {t.name: k for k, t in enumerate(scenario.types)}
        slot = (cust.arrival // SLOT_MINUTES).astype(np.int64)
        for name, cap in p.appointment_quota.items():
            if name not in tindex:
                raise WorkbenchError(f"预约限额中的业务类型不在场景中:{name}")
            m = appt & (cust.type == tindex[name])
            idx = np.flatnonzero(m)
            if not len(idx):
                continue
            order = np.argsort(slot[idx], kind="stable")  # earliest booked first = arrival order in the slot
            s = slot[idx][order]
            rank = np.arange(len(s)) - np.searchsorted(s, s, side="left")
            over = idx[order][rank >= int(cap)]
            appt[over] = False
            counts["quota_overflow"] += len(over)
    if p.weekend_appointment_only:
        away = weekend & ~appt
        counts["turned_away"] = int(away.sum())
        keep &= ~away
    out = Customers(cust.arrival[keep], cust.type[keep], cust.service[keep], appt[keep], cust.patience[keep])
    return out, counts


def simulate_features(
    scenario: Scenario,
    *,
    days: int | None = None,
    seed: int = 0,
    windows_by_slot: dict[tuple[str, int, int], int] | None = None,
    customers: Customers | None = None,
    policy: Any = None,
    on_day: Callable[[int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> FeatureRun:
    """Run the scenario with its practices (see the module docstring)."""
    import time as _time

    t0 = _time.perf_counter()
    p = scenario.practice
    if p.no_show_policy not in ("drop", "keep"):
        raise WorkbenchError(f"过号处理方式应为“drop”(作废)或“keep”(顺延),而不是“{p.no_show_policy}”")
    if p.priority_mode not in ("first", "dedicated"):
        raise WorkbenchError(f"优先通道方式应为“first”(优先叫号)或“dedicated”(专用窗口),而不是“{p.priority_mode}”")
    base, day_list = build_engine(
        scenario,
        days=days,
        seed=seed,
        windows_by_slot=windows_by_slot,
        customers=customers,
        policy=policy,
        on_day=on_day,
        cancel=cancel,
    )
    cust, counts = apply_quotas(base.c, scenario, day_list, seed)
    nb = len(scenario.types)
    tindex = {t.name: k for k, t in enumerate(scenario.types)}
    n0 = len(cust.arrival)
    typ = cust.type.astype(np.int32).copy()
    prio = np.zeros(n0, bool)
    no_show = np.zeros(n0, bool)
    routed_steps: list[tuple[int, int]] = []  # (previous customer, type)
    for k, t in enumerate(scenario.types):
        m = np.flatnonzero(cust.type == k)
        if not len(m):
            continue
        if t.priority_share > 0:
            prio[m] = _stream(seed, "priority:" + t.name).random(len(m)) < t.priority_share
        if t.no_show > 0:
            no_show[m] = _stream(seed, "no-show:" + t.name).random(len(m)) < t.no_show
        if t.route and t.route_share > 0:
            unknown = [r for r in t.route if r not in tindex]
            if unknown:
                raise WorkbenchError(f"业务“{t.name}”的联办路线中有场景里没有的业务:{'、'.join(unknown)}")
            go = m[_stream(seed, "route:" + t.name).random(len(m)) < t.route_share]
            for i in go:
                prev = int(i)
                for r in t.route:
                    routed_steps.append((prev, tindex[r]))
                    prev = -len(routed_steps)  # a placeholder: the step just added
    n = n0 + len(routed_steps)
    next_step = np.full(n, -1, np.int64)
    visit = np.arange(n)
    step = np.zeros(n, np.int64)
    step_type = np.zeros(len(routed_steps), np.int32)
    for k, (prev, rt) in enumerate(routed_steps):
        j = n0 + k
        pi = prev if prev >= 0 else n0 + (-prev - 1)
        next_step[pi] = j
        visit[j], step[j] = visit[pi], step[pi] + 1
        step_type[k] = rt
    svc_steps = np.zeros(len(routed_steps))
    for rt in np.unique(step_type):
        m = np.flatnonzero(step_type == rt)
        svc_steps[m] = sample_service(scenario.types[int(rt)], _stream(seed, "step-service", int(rt)), len(m))
    all_type = np.concatenate([typ, step_type])
    all_prio = np.concatenate([prio, prio[visit[n0:]]]) if len(routed_steps) else prio
    all_type = np.where(all_prio, all_type + nb, all_type).astype(np.int32)
    full = Customers(
        np.concatenate([cust.arrival, np.full(len(routed_steps), np.inf)]),
        all_type,
        np.concatenate([cust.service, svc_steps]),
        np.concatenate([cust.appointment, np.zeros(len(routed_steps), bool)]),
        np.concatenate([cust.patience, np.full(len(routed_steps), np.inf)]),
    )
    dedicated = p.priority_mode == "dedicated"
    group_types = []
    for g, ts in zip(scenario.groups, base.group_types):
        if dedicated:
            group_types.append([t + nb for t in ts] if g.priority_lane else list(ts))
        else:
            group_types.append(list(ts) + [t + nb for t in ts])
    eng = FeatureEngine(
        full,
        group_types,
        base.changes,
        n_types=2 * nb,
        n_base=nb,
        n_primary=n0,
        no_show=np.concatenate([no_show, np.zeros(len(routed_steps), bool)]),
        next_step=next_step,
        visit=visit,
        recall=p.recall_minutes,
        keep_calls=p.keep_calls if p.no_show_policy == "keep" else None,
        priority_first=not dedicated,
        reserve=base.reserve,
        policy=base.policy,
        group_names=base.group_names,
        type_names=[t.name for t in scenario.types] + [t.name + PRIORITY_SUFFIX for t in scenario.types],
        policy_windows=base.policy_windows,
        day_starts=base.day_starts,
        lunch_relief=base.lunch_relief,
        on_day=on_day,
        cancel=cancel,
    )
    run = eng.run(days=day_list, scenario_name=scenario.name, target_wait=scenario.policy.target_wait, started=t0)
    fr = _as_feature_run(eng, run, visit, step, all_prio, **counts)
    return replace(fr, run=replace(fr.run, wall_seconds=_time.perf_counter() - t0))


def run_arrays(
    c: Customers,
    servers: int,
    *,
    no_show: np.ndarray | None = None,
    recall: float = 1.0,
    keep_calls: int | None = None,
    priority: np.ndarray | None = None,
    priority_first: bool = True,
) -> FeatureRun:
    """One group of ``servers`` windows always open, one type (plus its priority twin):
    the set-up of the exact and Ciw checks."""
    n = len(c.arrival)
    prio = np.zeros(n, bool) if priority is None else np.asarray(priority, bool)
    cust = Customers(c.arrival, np.where(prio, 1, 0).astype(np.int32), c.service, c.appointment, c.patience)
    eng = FeatureEngine(
        cust,
        [[0, 1]],
        [Change(0.0, 0, servers)],
        n_types=2,
        n_base=1,
        n_primary=n,
        no_show=np.zeros(n, bool) if no_show is None else np.asarray(no_show, bool),
        next_step=np.full(n, -1),
        recall=recall,
        keep_calls=keep_calls,
        priority_first=priority_first,
        group_names=["窗口"],
        type_names=["业务", "业务(优先)"],
    )
    run = eng.run()
    return _as_feature_run(eng, run, np.arange(n), np.zeros(n, np.int64), prio)
