"""What a run produced: the per-customer log (pandas) and the KPIs planners read.

Waits are minutes from taking the ticket to being called. KPIs are given per
type, group, weekday and 30-minute slot: mean, P50, P90, P95 and max wait, the share
served within the target (default 15 min), abandonment (reported apart, default none);
per group: window utilisation, open-window-hours, staff-hours, overtime, adjustments.

>>> import numpy as np
>>> from sim.hall import simulate_arrays
>>> run = simulate_arrays(np.array([0.0, 1.0]), np.array([3.0, 3.0]), servers=1)
>>> kpis(run)["overall"]["mean_wait"]
1.0
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from . import labels
from .scenario import SLOT_MINUTES, WEEKDAYS_CN, min_to_hm

DAY_MINUTES = 24 * 60
_HM = np.array([min_to_hm(m) for m in range(DAY_MINUTES + 1)], dtype=object)  # minute of day -> "HH:MM"

KPI_LABELS_CN = labels.KPI
#: Chinese column names of the KPI tables (by_type, by_group …) and of the adjustment log,
#: shared by the exported workbook and the dashboard
TABLE_CN = labels.TABLE
ADJ_CN = labels.ADJUSTMENT
#: Chinese words of :attr:`Adjustment.action` for display and exports
ACTION_CN = labels.ADJUSTMENT_ACTION


@dataclass(frozen=True)
class Adjustment:
    """One entry of the window-adjustment log: a window group opened or closed a window.

    ``day`` counts from 0; ``time`` is the clock time (``HH:MM``) and ``minute`` the simulation
    minute of the change; ``requested`` the minute the controller asked for it (later than
    ``minute`` by the switch delay when opening). ``reason`` is the Chinese explanation shown to users.

    Parameters
    ----------
    day : int
        Day index from 0.
    time : str
        Clock time of the change, ``HH:MM``.
    minute : float
        Simulation minute of the change.
    group : str
        Window group name.
    action : {"open", "close"}
        Whether a window opened or closed.
    reason : str
        Chinese explanation.
    open_after : int
        Open windows after the change.
    requested : float
        Simulation minute the controller asked for the change.

    Examples
    --------
    >>> a = Adjustment(day=0, time="09:30", minute=570.0, group="户籍", action="open", reason="排队过长",
    ...                open_after=4, requested=565.0)
    >>> adjustments_frame([a]).loc[0, "动作"]
    '开启'
    """

    day: int
    time: str
    minute: float
    group: str
    action: Literal["open", "close"]
    reason: str
    open_after: int
    requested: float


def adjustments_frame(adjustments: list[Adjustment] | pd.DataFrame) -> pd.DataFrame:
    """The adjustment log with Chinese column names and actions (:data:`ADJ_CN`, :data:`ACTION_CN`),
    for display and exports.

    Parameters
    ----------
    adjustments : list of Adjustment or DataFrame
        The log (:attr:`HallRun.adjustments`, or a frame of it).

    Returns
    -------
    DataFrame
        The same rows with Chinese column names and actions (开启/关闭).

    Examples
    --------
    >>> a = Adjustment(0, "10:00", 600.0, "户籍", "close", "空闲", 2, 600.0)
    >>> adjustments_frame([a])[["窗口组", "动作"]].values.tolist()
    [['户籍', '关闭']]
    """
    df = adjustments if isinstance(adjustments, pd.DataFrame) else pd.DataFrame(adjustments)
    if "action" in df.columns:
        df = df.assign(action=df["action"].map(ACTION_CN).fillna(df["action"]))
    return df.rename(columns=ADJ_CN)


@dataclass(frozen=True)
class HallRun:
    """Raw outcome of :class:`sim.hall.HallEngine`; arrays indexed by customer. Built once, not changed.

    Parameters
    ----------
    customers : Customers
        The run's customers (:class:`sim.arrivals.Customers`).
    start, window, abandoned, window_group, window_index : ndarray
        Per customer: service start minute, window, whether they left, group and window index.
    group_names, type_names : list of str
        Names of the groups and types, by index.
    open_log : list of tuple
        ``(window, from, to)``: each interval a window was open.
    overtime : list of tuple
        ``(group, closing time, end)``: minutes served past closing.
    adjustments : list of Adjustment
        The controller's log.
    switch_minutes, lunch_relief_minutes : list of float
        Per group: minutes lost switching windows, and lunch relief minutes.
    end_time : float
        Simulation minute the run ended.
    days : list
        The run's calendar days.
    scenario_name : str
        Name of the scenario run.
    target_wait : float, default 15.0
        Default wait target for the KPI tables.
    wall_seconds : float
        Wall-clock seconds the run took.

    Examples
    --------
    >>> from sim.scenario import Scenario, ServiceType, WindowGroup
    >>> week = ["09:00-12:00"] * 5 + ["", ""]
    >>> s = Scenario("小厅", [ServiceType("户籍", daily_volume=[40.0] * 5 + [0.0] * 2)],
    ...              [WindowGroup("户籍", ["户籍"], regular=2, hours=week)])
    >>> from sim.hall import simulate
    >>> run = simulate(s, days=1, seed=1)
    >>> run.group_names, len(run.log()) == len(run.customers.arrival)
    (['户籍'], True)
    """

    customers: Any
    start: np.ndarray
    window: np.ndarray
    abandoned: np.ndarray
    window_group: np.ndarray
    window_index: np.ndarray
    group_names: list[str]
    type_names: list[str]
    open_log: list[tuple[int, float, float]]
    overtime: list[tuple[int, float, float]]
    adjustments: list[Adjustment]
    switch_minutes: list[float] = field(default_factory=list)
    lunch_relief_minutes: list[float] = field(default_factory=list)
    end_time: float = 0.0
    days: list[Any] = field(default_factory=list)
    scenario_name: str = ""
    target_wait: float = 15.0
    wall_seconds: float = 0.0

    def wait(self) -> np.ndarray:
        """Minutes waited by each customer (NaN for those who left).

        Returns
        -------
        numpy.ndarray
            One float per customer: start minus arrival, NaN where the customer was never served.

        Examples
        --------
        >>> import numpy as np
        >>> from sim.hall import simulate_arrays
        >>> simulate_arrays(np.array([0.0, 1.0]), np.array([3.0, 3.0]), servers=1).wait().tolist()
        [0.0, 2.0]
        """
        w = self.start - self.customers.arrival
        return np.where(self.start >= 0, w, np.nan)

    def unserved(self) -> int:
        """Customers with a ticket who were neither served nor left of their own accord.

        Returns
        -------
        int
            How many were still waiting when the windows closed.

        Examples
        --------
        >>> import numpy as np
        >>> from sim.hall import simulate_arrays
        >>> simulate_arrays(np.array([0.0, 1.0]), np.array([3.0, 3.0]), servers=1).unserved()
        0
        """
        return int(((self.start < 0) & ~self.abandoned).sum())

    def log(self) -> pd.DataFrame:
        """Per-customer log: one row per ticket.

        Returns
        -------
        pandas.DataFrame
            Columns ``customer``, ``day``, ``date``, ``weekday``, ``slot``, ``type``, ``appointment``,
            ``arrival``, ``ticket_time``, ``start``, ``end``, ``wait``, ``service``, ``group``, ``window``
            and ``abandoned`` (English names; :mod:`sim.labels` gives the Chinese headings).

        Examples
        --------
        >>> import numpy as np
        >>> from sim.hall import simulate_arrays
        >>> log = simulate_arrays(np.array([0.0, 1.0]), np.array([3.0, 3.0]), servers=1).log()
        >>> log[["customer", "start", "end", "wait", "window"]].values.tolist()
        [[0, 0.0, 3.0, 0.0, '窗口-1'], [1, 3.0, 6.0, 2.0, '窗口-1']]
        """
        c = self.customers
        arr = c.arrival
        day = (arr // DAY_MINUTES).astype(int)
        minute = arr - day * DAY_MINUTES
        served = self.start >= 0
        win = np.where(served, self.window, 0)
        gidx = np.where(served, self.window_group[win], -1)
        gnames = np.array(self.group_names + [""], dtype=object)
        wnames = np.array(
            [f"{self.group_names[g]}-{k}" for g, k in zip(self.window_group, self.window_index)] + [""], dtype=object
        )
        dates = [d.date for d in self.days] if self.days else None
        weekday = np.array([d.weekday for d in self.days])[day] if self.days else day % 7
        df = pd.DataFrame(
            {
                "customer": np.arange(len(arr)),
                "day": day,
                "date": [dates[d] for d in day] if dates else day,
                "weekday": weekday,
                "slot": (minute // SLOT_MINUTES).astype(int),
                "type": np.array(self.type_names, dtype=object)[c.type] if len(arr) else [],
                "appointment": c.appointment,
                "arrival": arr,
                "ticket_time": _HM[np.floor(minute).astype(int)],
                "start": np.where(served, self.start, np.nan),
                "end": np.where(served, self.start + c.service, np.nan),
                "wait": self.wait(),
                "service": c.service,
                "group": gnames[gidx],
                "window": wnames[np.where(served, self.window, -1)],
                "abandoned": self.abandoned,
            }
        )
        return df


def _stats(w: pd.Series, target: float, abandoned: pd.Series) -> dict[str, float]:
    s = w.dropna()
    if not len(s):
        return {
            "customers": int(len(w)),
            "served": 0,
            "abandoned": int(abandoned.sum()),
            "mean_wait": np.nan,
            "p50_wait": np.nan,
            "p90_wait": np.nan,
            "p95_wait": np.nan,
            "max_wait": np.nan,
            "within_target": np.nan,
        }
    v = s.to_numpy()
    p50, p90, p95 = np.percentile(v, [50, 90, 95])
    return {
        "customers": int(len(w)),
        "served": int(len(v)),
        "abandoned": int(abandoned.sum()),
        "mean_wait": float(v.mean()),
        "p50_wait": float(p50),
        "p90_wait": float(p90),
        "p95_wait": float(p95),
        "max_wait": float(v.max()),
        "within_target": float((v <= target).sum() / len(w)),
    }


def _table(df: pd.DataFrame, by: str | list[str], target: float) -> pd.DataFrame:
    rows = []
    for key, part in df.groupby(by, sort=True):
        r = dict(zip([by] if isinstance(by, str) else by, key if isinstance(key, tuple) else (key,)))
        r.update(_stats(part["wait"], target, part["abandoned"]))
        rows.append(r)
    return pd.DataFrame(rows)


def group_table(run: HallRun, df: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per group: open-window-hours, busy hours, utilisation, staff-hours, overtime, adjustments.

    Staff-hours = open-window-hours + the minutes reserve staff spend switching over
    from the back office + the lunch-rotation minutes of 午间不打烊 groups (staff on
    duty whose window is shut while they eat).
    """
    df = run.log() if df is None else df
    rows = []
    busy = df[df["start"].notna()].groupby("group")["service"].sum()
    open_min = np.zeros(len(run.group_names))
    for w, a, b in run.open_log:
        open_min[run.window_group[w]] += b - a
    ot = np.zeros(len(run.group_names))
    for g, a, b in run.overtime:
        ot[g] += b - a
    adj = pd.Series([a.group for a in run.adjustments]).value_counts() if run.adjustments else pd.Series()
    for g, name in enumerate(run.group_names):
        b = float(busy.get(name, 0.0))
        extra = (run.switch_minutes[g] if run.switch_minutes else 0.0) + (
            run.lunch_relief_minutes[g] if run.lunch_relief_minutes else 0.0
        )
        rows.append(
            {
                "group": name,
                "open_window_hours": open_min[g] / 60,
                "busy_hours": b / 60,
                "utilisation": b / open_min[g] if open_min[g] > 0 else np.nan,
                "staff_hours": (open_min[g] + extra) / 60,
                "overtime_minutes": ot[g],
                "adjustments": int(adj.get(name, 0)),
            }
        )
    return pd.DataFrame(rows)


def kpis(run: HallRun, target: float | None = None, weekday_slot: bool = True) -> dict[str, Any]:
    """All KPI tables of one run; ``overall`` is a flat dict (what replications average).

    ``weekday_slot=False`` skips ``by_weekday_slot`` (left empty), the dearest table, which
    replications do not average.

    Parameters
    ----------
    run : HallRun
        The run.
    target : float or None, default None
        Wait target in minutes (default: ``run.target_wait``).
    weekday_slot : bool, default True
        Whether to build ``by_weekday_slot``.

    Returns
    -------
    dict
        ``overall`` (dict), ``by_type``, ``by_group``, ``by_weekday``, ``by_slot``,
        ``by_weekday_slot``, ``adjustments`` and ``log`` (DataFrames).

    Examples
    --------
    >>> from sim.scenario import Scenario, ServiceType, WindowGroup
    >>> week = ["09:00-12:00"] * 5 + ["", ""]
    >>> s = Scenario("小厅", [ServiceType("户籍", daily_volume=[40.0] * 5 + [0.0] * 2)],
    ...              [WindowGroup("户籍", ["户籍"], regular=2, hours=week)])
    >>> from sim.hall import simulate
    >>> k = kpis(simulate(s, days=1, seed=1), target=15)
    >>> k["overall"]["customers"], round(k["overall"]["within_target"], 2), list(k["by_group"]["group"])
    (28, 0.89, ['户籍'])
    """
    target = run.target_wait if target is None else target
    df = run.log()
    groups = group_table(run, df)
    overall = _stats(df["wait"], target, df["abandoned"])
    open_h = float(groups["open_window_hours"].sum()) if len(groups) else 0.0
    busy_h = float(groups["busy_hours"].sum()) if len(groups) else 0.0
    overall.update(
        {
            "mean_service": float(df["service"].mean()) if len(df) else np.nan,
            "utilisation": busy_h / open_h if open_h else np.nan,
            "open_window_hours": open_h,
            "staff_hours": float(groups["staff_hours"].sum()) if len(groups) else 0.0,
            "overtime_minutes": float(groups["overtime_minutes"].sum()) if len(groups) else 0.0,
            "adjustments": len(run.adjustments),
        }
    )
    by_weekday = _table(df, "weekday", target)
    if len(by_weekday):
        by_weekday.insert(1, "weekday_cn", [WEEKDAYS_CN[int(d)] for d in by_weekday["weekday"]])
    by_slot = _table(df, "slot", target)
    if len(by_slot):
        by_slot.insert(1, "slot_start", [min_to_hm(s * SLOT_MINUTES) for s in by_slot["slot"]])
    return {
        "overall": overall,
        "by_type": _table(df, "type", target),
        "by_group": _table(df[df["group"] != ""], "group", target).merge(groups, on="group", how="right")
        if len(groups)
        else groups,
        "by_weekday": by_weekday,
        "by_slot": by_slot,
        "by_weekday_slot": weekday_slot_table(df, target) if weekday_slot else pd.DataFrame(),
        "adjustments": pd.DataFrame(run.adjustments),
        "log": df,
    }


def weekday_slot_table(log: pd.DataFrame, target: float) -> pd.DataFrame:
    """Wait statistics per (weekday, 30-minute slot of ticket time), for heat-maps.

    Columns: ``weekday``, ``weekday_cn``, ``slot``, ``slot_start`` and those of
    the other KPI tables (``customers``, ``mean_wait``, ``p90_wait``, ``within_target`` …).

    Parameters
    ----------
    log : DataFrame
        A run's per-customer log (:meth:`HallRun.log`).
    target : float
        Wait target in minutes.

    Returns
    -------
    DataFrame
        One row per (weekday, slot) with customers.

    Examples
    --------
    >>> from sim.scenario import Scenario, ServiceType, WindowGroup
    >>> week = ["09:00-12:00"] * 5 + ["", ""]
    >>> s = Scenario("小厅", [ServiceType("户籍", daily_volume=[40.0] * 5 + [0.0] * 2)],
    ...              [WindowGroup("户籍", ["户籍"], regular=2, hours=week)])
    >>> from sim.hall import simulate
    >>> t = weekday_slot_table(simulate(s, days=1, seed=1).log(), 15)
    >>> t[["weekday_cn", "slot_start", "customers"]].astype(str).iloc[0].tolist()
    ['周一', '09:00', '2']
    """
    t = _table(log, ["weekday", "slot"], target)
    if len(t):
        t.insert(1, "weekday_cn", [WEEKDAYS_CN[int(d)] for d in t["weekday"]])
        t.insert(3, "slot_start", [min_to_hm(int(x) * SLOT_MINUTES) for x in t["slot"]])
    return t


def queue_length(log: pd.DataFrame, step: float = 5.0) -> pd.DataFrame:
    """Tickets taken but not yet called, every ``step`` minutes of each day of a run.

    Columns: ``day``, ``weekday``, ``minute`` (of the day), ``time`` (HH:MM), ``waiting``.

    Parameters
    ----------
    log : DataFrame
        A per-customer log with ``day``, ``weekday``, ``arrival`` and ``start`` (minutes of the day).
    step : float, default 5.0
        Minutes between samples.

    Returns
    -------
    DataFrame
        One row per sample time.

    Examples
    --------
    >>> log = pd.DataFrame({"day": 0, "weekday": 0, "arrival": [540.0, 541, 542], "start": [550.0, 543, 560]})
    >>> queue_length(log).set_index("time")["waiting"].loc[["09:00", "09:05", "09:15", "09:20"]].tolist()
    [1, 2, 1, 0]
    """
    frames = []
    for day_key, d in log.groupby("day"):
        assert isinstance(day_key, int | np.integer)  # the simulation's day numbers
        day = int(day_key)
        base = day * 24 * 60
        arr = d["arrival"].to_numpy(float) - base
        start = d["start"].to_numpy(float)
        called = np.where(np.isnan(start), np.inf, start - base)  # leavers never get called
        last = np.where(np.isinf(called), arr, called).max()
        grid = np.arange(np.floor(arr.min() / step) * step, np.ceil(last / step) * step + step, step)
        waiting = np.searchsorted(np.sort(arr), grid, side="right") - np.searchsorted(
            np.sort(called), grid, side="right"
        )
        frames.append(
            pd.DataFrame(
                {
                    "day": day,
                    "weekday": int(d["weekday"].iloc[0]),
                    "minute": pd.Series(grid),
                    "time": [min_to_hm(int(m)) for m in grid],
                    "waiting": waiting,
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=["day", "weekday", "minute", "time", "waiting"])
    return pd.concat(frames, ignore_index=True)


def flat_summary(run: HallRun, target: float | None = None) -> dict[str, float]:
    """Scalar KPIs for replication averages: overall ones plus ``mean_wait|<type>`` etc."""
    return summary_of(kpis(run, target))


def summary_of(k: dict[str, Any]) -> dict[str, float]:
    """:func:`flat_summary` from tables :func:`kpis` already computed (no second pass over the log).

    >>> import numpy as np
    >>> from sim.hall import simulate_arrays
    >>> run = simulate_arrays(np.array([0.0, 1.0]), np.array([3.0, 3.0]), servers=1)
    >>> summary_of(kpis(run)) == flat_summary(run)
    True
    """
    out = {key: float(v) for key, v in k["overall"].items()}
    for _, r in k["by_type"].iterrows():
        out[f"mean_wait|{r['type']}"] = float(r["mean_wait"])
        out[f"within_target|{r['type']}"] = float(r["within_target"])
    for _, r in k["by_group"].iterrows():
        out[f"utilisation|{r['group']}"] = float(r["utilisation"])
    for _, r in k["by_weekday"].iterrows():
        out[f"mean_wait|{WEEKDAYS_CN[int(r['weekday'])]}"] = float(r["mean_wait"])
    return out


def slot_service_levels(run: HallRun, target: float | None = None, by: str = "group") -> pd.DataFrame:
    """Service level per (``by`` = group or type, day, slot of ticket time).

    Columns: ``group``/``type``, ``day``, ``slot``, ``customers``, ``within_target``
    (share waiting ≤ target, leavers count as misses), ``mean_wait``, ``p90_wait``.
    Customers who left before being called have no group: with ``by="group"`` they are
    attributed to nobody and dropped (the default scenario has no abandonment).

    Parameters
    ----------
    run : HallRun
        The run.
    target : float or None, default None
        Wait target in minutes (default: ``run.target_wait``).
    by : str, default "group"
        ``"group"`` or ``"type"``.

    Returns
    -------
    DataFrame
        One row per (group or type, day, slot) with customers.

    Examples
    --------
    >>> from sim.scenario import Scenario, ServiceType, WindowGroup
    >>> week = ["09:00-12:00"] * 5 + ["", ""]
    >>> s = Scenario("小厅", [ServiceType("户籍", daily_volume=[40.0] * 5 + [0.0] * 2)],
    ...              [WindowGroup("户籍", ["户籍"], regular=2, hours=week)])
    >>> from sim.hall import simulate
    >>> sl = slot_service_levels(simulate(s, days=1, seed=1), target=15, by="type")
    >>> sl[["type", "day", "slot", "customers"]].astype(str).iloc[0].tolist()
    ['户籍', '0', '18', '2']
    """
    target = run.target_wait if target is None else target
    df = run.log()
    if by == "group":
        df = df[df["group"] != ""]
    df = df.assign(ok=(df["wait"] <= target))
    g = df.groupby([by, "day", "slot"], sort=True)
    out = g.agg(
        customers=("wait", "size"),
        within_target=("ok", "mean"),
        mean_wait=("wait", "mean"),
        p90_wait=("wait", lambda s: float(np.nanpercentile(s, 90)) if s.notna().any() else np.nan),
    )
    return out.reset_index()
