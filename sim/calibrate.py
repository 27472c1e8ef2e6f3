"""Fit a scenario from a hall's ticket log (取号/叫号/办结 times, window, type).

What is estimated, and how:

* daily volume per type and weekday = tickets of the type on that weekday / days of
  that weekday the hall issued tickets (so a Monday peak from shifted weekend demand
  is already in the Monday volume: the fitted types get ``weekend_shift = 0``);
* the arrival profile by 30-minute slot (weekday and weekend), pooled over types
  (per type only with ``per_type_profiles=True``);
* service time = 办结 − 叫号 of served steps, as lognormal by mean and CV (or the sample
  itself with ``empirical=True``); the appointment share if the log has a 预约 column, the
  priority share if it has a 优先 column (是/1/老年人… = yes);
* volumes count *visits* by their first business: the later steps of a transferred ticket
  (转号, same 票号) are the route, not new demand; ``no_show`` = 过号 / first-step tickets
  called from a queue (过号 or called after the ticket time — as in the model, whoever finds
  a window free is there);
  ``route``/``route_share`` = the most frequent multi-window route starting at the type and
  its share of the type's visits served at the first step (all routes are in ``routes``);
* window groups: from a 窗口组 column if present, else windows with the same set of
  served types form a group; regular windows = median of distinct windows used per
  day, reserve = the maximum minus that; hours = first/last ticket of each weekday
  rounded out to the half hour; lunch closed if no ticket was issued 12:00–13:30.

With ``base`` the base scenario's groups, policy and calendar are kept and only the
types' arrival and service parameters are replaced.

>>> import pandas as pd
>>> log = pd.DataFrame({"取号时间": pd.to_datetime(["2026-11-02 09:00", "2026-11-02 09:10"]),
...                     "叫号时间": pd.to_datetime(["2026-11-02 09:01", "2026-11-02 09:12"]),
...                     "办结时间": pd.to_datetime(["2026-11-02 09:11", "2026-11-02 09:20"]),
...                     "窗口": ["A01", "A01"], "业务类型": ["户籍", "户籍"]})
>>> cal = calibrate(log)
>>> cal.scenario.type("户籍").service_mean
9.0
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from core.errors import InputError as ImportFailed

from .results import HallRun
from .scenario import SLOT_MINUTES, CalendarSpec, Policy, Scenario, ServiceType, WindowGroup, hm_to_min, min_to_hm
from .ticketlog import FIELDS, TicketLog, accept, from_frame, with_steps
from .ticketlog import read_ticket_log as read_log_file

COLUMNS = {c: list(FIELDS[c]) for c in ("取号时间", "叫号时间", "办结时间", "窗口", "业务类型")}
OPTIONAL = {c: list(FIELDS[c]) for c in ("窗口组", "预约", "优先", "状态", "票号", "办件编号", "工号")}
_YES = ("是", "1", "Y", "y", "yes", "预约", "优先", "true", "True")


@dataclass
class Calibration:
    scenario: Scenario
    report: pd.DataFrame  # per type: tickets, days, weekday volumes, service mean/CV, shares
    routes: pd.DataFrame = field(default_factory=pd.DataFrame)  # first type, route, visits, share


def read_ticket_log(path: str | Path, display_name: str | None = None, *, skip_bad_rows: bool = False) -> pd.DataFrame:
    """The log's good rows (canonical Chinese columns, see :mod:`sim.ticketlog`).

    With bad rows it raises :class:`~core.errors.InputError` naming the first (row, column,
    why) and counting the rest, unless ``skip_bad_rows`` (the user confirmed).
    """
    p = Path(path)
    return accept(read_log_file(p, display_name or p.name), skip_bad_rows).frame


def normalise_log(
    raw: pd.DataFrame, name: str = "叫号记录", sheet: str | None = None, *, skip_bad_rows: bool = False
) -> pd.DataFrame:
    """A log held in a DataFrame, checked like a file."""
    return accept(from_frame(raw, file=name, sheet=sheet), skip_bad_rows).frame


def ticket_log(run: HallRun) -> pd.DataFrame:
    """A run's log in the calibration input format (what a hall's queuing system exports)."""
    df = run.log()
    df = df[df["start"].notna()]
    start = pd.Timestamp(run.days[0].date) if run.days else pd.Timestamp("2026-01-05")
    td = lambda m: start + pd.to_timedelta(m, unit="min")
    return pd.DataFrame(
        {
            "取号时间": td(df["arrival"].to_numpy()),
            "叫号时间": td(df["start"].to_numpy()),
            "办结时间": td(df["end"].to_numpy()),
            "窗口": df["window"].to_numpy(),
            "窗口组": df["group"].to_numpy(),
            "业务类型": df["type"].to_numpy(),
            "预约": np.where(df["appointment"].to_numpy(), "是", "否"),
        }
    )


def _profile(minutes: pd.Series, days: int) -> dict[str, float]:
    if not len(minutes) or not days:
        return {}
    slots = (minutes // SLOT_MINUTES).astype(int).value_counts().sort_index()
    w = slots / days
    w = w / w.mean()
    return {
        min_to_hm(int(s) * SLOT_MINUTES): round(float(v), 4) for s, v in zip(w.index, w.to_numpy(float), strict=True)
    }


def _hours(day_minutes: pd.DataFrame) -> tuple[list[str], bool]:
    """Opening hours per weekday from first/last tickets; lunch closed if none 12:00–13:30."""
    hours = [""] * 7
    lunch_tickets = 0
    lo_l, hi_l = hm_to_min("12:00"), hm_to_min("13:30")
    for wd, part in day_minutes.groupby("weekday"):
        m = part["minute"]
        a = int(np.floor(m.quantile(0.001) / SLOT_MINUTES) * SLOT_MINUTES)
        b = int(np.ceil(m.max() / SLOT_MINUTES) * SLOT_MINUTES)
        assert isinstance(wd, int | np.integer)  # weekday numbers 0–6
        hours[int(wd)] = f"{min_to_hm(a)}-{min_to_hm(min(b, 24 * 60))}"
        lunch_tickets += int(((m >= lo_l) & (m < hi_l)).sum())
    return hours, lunch_tickets == 0


def calibrate(
    log: pd.DataFrame | str | Path | TicketLog,
    base: Scenario | None = None,
    *,
    name: str | None = None,
    empirical: bool = False,
    per_type_profiles: bool = False,
    skip_bad_rows: bool = False,
) -> Calibration:
    """A scenario fitted to the log (see the module docstring for each estimate)."""
    if isinstance(log, TicketLog):
        raw = accept(log, skip_bad_rows).frame
    elif isinstance(log, (str, Path)):
        raw = read_ticket_log(log, skip_bad_rows=skip_bad_rows)
    else:
        raw = normalise_log(log, skip_bad_rows=skip_bad_rows)
    steps = with_steps(raw)
    served_steps = steps[steps["状态"].isin(("正常", "转号"))]
    df = steps[steps["step"] == 0]
    day = df["取号时间"].dt.normalize()
    df = df.assign(date=day.dt.date, weekday=day.dt.weekday, minute=(df["取号时间"] - day).dt.total_seconds() / 60)
    service_by_type = {
        t: ((p["办结时间"] - p["叫号时间"]).dt.total_seconds() / 60).to_numpy(float)
        for t, p in served_steps.groupby("业务类型", sort=False)
    }
    routes = _routes(steps)
    days_per_wd = df.groupby("weekday")["date"].nunique()
    n_days = lambda wd: int(days_per_wd.get(wd, 0))
    wd_mask = df["weekday"] < 5
    weekday_days = int(df.loc[wd_mask, "date"].nunique())
    weekend_days = int(df.loc[~wd_mask, "date"].nunique())
    types, report = [], []
    names = list(dict.fromkeys(list(df["业务类型"]) + list(steps["业务类型"])))
    for tname in names:
        part = df[df["业务类型"] == tname]
        counts = part.groupby("weekday").size()
        vols = [round(float(counts.get(wd, 0)) / n_days(wd), 2) if n_days(wd) else 0.0 for wd in range(7)]
        s = service_by_type.get(tname, np.zeros(0))
        s = s[s > 0]
        mean = float(s.mean()) if len(s) else 10.0
        cv = float(s.std(ddof=1) / mean) if len(s) > 1 else 0.6
        appt = float(part["预约"].astype(str).isin(_YES).mean()) if "预约" in part and len(part) else 0.0
        prio = (
            float((part["优先"].astype(str).str.strip().isin(_YES + ("老年人", "孕妇", "残疾人", "爱心通道"))).mean())
            if "优先" in part and len(part)
            else 0.0
        )
        called = part[part["状态"].isin(("正常", "转号", "过号"))]
        queued = called[(called["状态"] == "过号") | (called["叫号时间"] > called["取号时间"])]
        no_show = float((queued["状态"] == "过号").mean()) if len(queued) else 0.0
        r = routes[routes["first"] == tname]
        route, route_share = ([], 0.0) if r.empty else (r.iloc[0]["route"].split("→")[1:], float(r.iloc[0]["share"]))
        t = ServiceType(
            tname,
            "",
            vols,
            "empirical" if empirical else "lognormal",
            round(mean, 3),
            round(cv, 3),
            [round(float(x), 2) for x in s[:2000]] if empirical else [],
            round(appt, 3),
            None,
            0.0,
            no_show=round(no_show, 4),
            route=route,
            route_share=round(route_share, 4),
            priority_share=round(prio, 4),
        )
        if per_type_profiles:
            t.weekday_profile = _profile(part.loc[part["weekday"] < 5, "minute"], weekday_days) or None
            t.weekend_profile = _profile(part.loc[part["weekday"] >= 5, "minute"], weekend_days) or None
        types.append(t)
        report.append(
            {
                "type": tname,
                "tickets": len(part),
                "service_mean": mean,
                "service_cv": cv,
                "appointment_share": appt,
                "no_show": no_show,
                "route": "→".join([tname, *route]) if route else "",
                "route_share": route_share,
                "priority_share": prio,
                **{f"volume_{wd}": v for wd, v in enumerate(vols)},
            }
        )
    if base is not None:
        scen = base.copy()
        fitted = {t.name: t for t in types}
        for t in scen.types:
            f = fitted.get(t.name)
            if f is None:
                t.daily_volume = [0.0] * 7
                continue
            t.daily_volume, t.service_dist, t.service_mean, t.service_cv = (
                f.daily_volume,
                f.service_dist,
                f.service_mean,
                f.service_cv,
            )
            t.service_sample, t.appointment_share, t.weekend_shift = f.service_sample, f.appointment_share, 0.0
            t.weekday_profile, t.weekend_profile = f.weekday_profile, f.weekend_profile
            t.no_show, t.route, t.route_share, t.priority_share = f.no_show, f.route, f.route_share, f.priority_share
        known = {t.name for t in scen.types}
        unknown = [t.name for t in types if t.name not in known]
        if unknown:
            raise ImportFailed(
                f"叫号记录中的业务类型不在基础场景中:{'、'.join(unknown[:5])}", file="叫号记录", column="业务类型"
            )
    else:
        scen = Scenario(
            name or "由叫号记录标定的场景",
            types,
            _groups(df),
            Policy(),
            CalendarSpec(start=min(df["date"]), days=int((max(df["date"]) - min(df["date"])).days) + 1),
            description="由叫号记录自动标定",
        )
    scen.weekday_profile = _profile(df.loc[wd_mask, "minute"], weekday_days)
    scen.weekend_profile = _profile(df.loc[~wd_mask, "minute"], weekend_days)
    if name:
        scen.name = name
    return Calibration(scen, pd.DataFrame(report), routes)


def _routes(steps: pd.DataFrame) -> pd.DataFrame:
    """Multi-window routes: per first type, each route's visits and share of the visits
    served at the first step (most frequent first)."""
    first = steps[steps["step"] == 0]
    served_first = first[first["状态"].isin(("正常", "转号"))]
    base = served_first.groupby("业务类型").size()
    multi = steps[steps["visit"].isin(served_first.loc[served_first["状态"] == "转号", "visit"])]
    if multi.empty:
        return pd.DataFrame({"first": [], "route": [], "visits": [], "share": []})
    route = multi.groupby("visit", sort=False)["业务类型"].agg("→".join)
    first_t = route.str.split("→").str[0]
    counts = pd.DataFrame({"first": first_t, "route": route}).groupby(["first", "route"]).size()
    tab: pd.DataFrame = counts.rename("visits").reset_index()
    tab["share"] = tab["visits"] / tab["first"].map(base)
    return tab.sort_values(["first", "visits"], ascending=[True, False], kind="stable").reset_index(drop=True)


def _groups(df: pd.DataFrame) -> list[WindowGroup]:
    if "窗口组" in df:
        key = df["窗口组"].astype(str)
    else:
        sets = df.groupby("窗口")["业务类型"].agg(lambda s: "、".join(sorted(set(s))))
        key = df["窗口"].map(sets)
    groups = []
    for gname, part in df.assign(_g=key).groupby("_g", sort=False):
        served = list(dict.fromkeys(part["业务类型"]))
        per_day = part.groupby("date")["窗口"].nunique()
        regular = int(np.median(per_day)) if len(per_day) else 1
        hours, lunch_closed = _hours(part[["weekday", "minute"]])
        groups.append(
            WindowGroup(
                str(gname),
                served,
                max(regular, 1),
                int(per_day.max()) - regular,
                "综合窗" if len(served) > 1 else "专窗",
                hours,
                lunch_mode="closed" if lunch_closed else "staggered",
            )
        )
    return groups


def compare_parameters(true: Scenario, fitted: Scenario) -> pd.DataFrame:
    """Per type: relative errors of weekday volume, service mean and CV (for the round-trip check)."""
    rows = []
    for t in true.types:
        try:
            f = fitted.type(t.name)
        except KeyError:
            continue
        tv, fv = np.mean(t.daily_volume[1:4]), np.mean(f.daily_volume[1:4])
        rows.append(
            {
                "type": t.name,
                "volume_rel_err": abs(fv - tv) / tv if tv else np.nan,
                "mean_rel_err": abs(f.service_mean - t.service_mean) / t.service_mean,
                "cv_rel_err": abs(f.service_cv - t.service_cv) / t.service_cv if t.service_cv else np.nan,
            }
        )
    return pd.DataFrame(rows)
