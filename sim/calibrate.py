"""Fit a scenario from a hall's ticket log (取号/叫号/办结 times, window, type).

What is estimated, and how:

* daily volume per type and weekday = tickets of the type on that weekday / days of
  that weekday the hall issued tickets (so a Monday peak from shifted weekend demand
  is already in the Monday volume: the fitted types get ``weekend_shift = 0``);
* the arrival profile by 30-minute slot (weekday and weekend), pooled over types
  (per type only with ``per_type_profiles=True``);
* service time = 办结 − 叫号, as lognormal by mean and CV (or the sample itself with
  ``empirical=True``); the appointment share if the log has a 预约 column;
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

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core.errors import InputError as ImportFailed

from .results import HallRun
from .scenario import SLOT_MINUTES, CalendarSpec, Policy, Scenario, ServiceType, WindowGroup, hm_to_min, min_to_hm

COLUMNS = {"取号时间": ["取号时间", "取号", "ticket_time"], "叫号时间": ["叫号时间", "叫号", "call_time"],
           "办结时间": ["办结时间", "办结", "完成时间", "finish_time"], "窗口": ["窗口", "窗口号", "window"],
           "业务类型": ["业务类型", "业务", "事项类型", "type"]}
OPTIONAL = {"窗口组": ["窗口组", "group"], "预约": ["预约", "是否预约", "appointment"]}


@dataclass
class Calibration:
    scenario: Scenario
    report: pd.DataFrame  # per type: tickets, days, weekday volumes, service mean/CV


def read_ticket_log(path: str | Path, display_name: str | None = None) -> pd.DataFrame:
    """The log as a DataFrame with the canonical Chinese columns; bad rows named by row/column."""
    name = display_name or Path(path).name
    p = Path(path)
    try:
        if p.suffix.lower() in (".xlsx", ".xlsm"):
            raw = pd.read_excel(p, engine="openpyxl")
            sheet = pd.ExcelFile(p, engine="openpyxl").sheet_names[0]
        else:
            try:
                raw = pd.read_csv(p, encoding="utf-8-sig")
            except UnicodeDecodeError:
                raw = pd.read_csv(p, encoding="gbk")
            sheet = None
    except (OSError, ValueError) as err:
        raise ImportFailed(f"无法读取叫号记录({type(err).__name__})", file=name) from err
    return normalise_log(raw, name, sheet)  # type: ignore[arg-type]


def normalise_log(raw: pd.DataFrame, name: str = "叫号记录", sheet: str | None = None) -> pd.DataFrame:
    cols = {str(c).strip(): c for c in raw.columns}
    out = pd.DataFrame(index=raw.index)
    for canon, aliases in list(COLUMNS.items()) + list(OPTIONAL.items()):
        found = next((cols[a] for a in aliases if a in cols), None)
        if found is None:
            if canon in COLUMNS:
                raise ImportFailed(f"缺少“{canon}”列(需要:{'、'.join(COLUMNS)})", file=name, sheet=sheet, row=1)
            continue
        out[canon] = raw[found]
    for c in ("取号时间", "叫号时间", "办结时间"):
        parsed = pd.to_datetime(out[c], errors="coerce")
        bad = parsed.isna() & out[c].notna() | out[c].isna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ImportFailed(f"时间“{out[c].iloc[i]}”无法识别,应为 2026-11-02 09:30:00 这样的日期时间",
                               file=name, sheet=sheet, row=i + 2, column=c)
        out[c] = parsed
    for a, b in (("取号时间", "叫号时间"), ("叫号时间", "办结时间")):
        bad = out[b] < out[a]
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ImportFailed(f"{b}早于{a}", file=name, sheet=sheet, row=i + 2, column=b)
    out["窗口"] = out["窗口"].astype(str).str.strip()
    out["业务类型"] = out["业务类型"].astype(str).str.strip()
    return out.reset_index(drop=True)


def ticket_log(run: HallRun) -> pd.DataFrame:
    """A run's log in the calibration input format (what a hall's queuing system exports)."""
    df = run.log()
    df = df[df["start"].notna()]
    start = pd.Timestamp(run.days[0].date) if run.days else pd.Timestamp("2026-01-05")
    td = lambda m: start + pd.to_timedelta(m, unit="min")
    return pd.DataFrame({"取号时间": td(df["arrival"].to_numpy()), "叫号时间": td(df["start"].to_numpy()),
                         "办结时间": td(df["end"].to_numpy()), "窗口": df["window"].to_numpy(),
                         "窗口组": df["group"].to_numpy(), "业务类型": df["type"].to_numpy(),
                         "预约": np.where(df["appointment"].to_numpy(), "是", "否")})


def _profile(minutes: pd.Series, days: int) -> dict[str, float]:
    if not len(minutes) or not days:
        return {}
    slots = (minutes // SLOT_MINUTES).astype(int).value_counts().sort_index()
    w = slots / days
    w = w / w.mean()
    return {min_to_hm(s * SLOT_MINUTES): round(float(v), 4) for s, v in w.items()}  # type: ignore[operator]


def _hours(day_minutes: pd.DataFrame) -> tuple[list[str], bool]:
    """Opening hours per weekday from first/last tickets; lunch closed if none 12:00–13:30."""
    hours = [""] * 7
    lunch_tickets = 0
    lo_l, hi_l = hm_to_min("12:00"), hm_to_min("13:30")
    for wd, part in day_minutes.groupby("weekday"):
        m = part["minute"]
        a = int(np.floor(m.quantile(0.001) / SLOT_MINUTES) * SLOT_MINUTES)
        b = int(np.ceil(m.max() / SLOT_MINUTES) * SLOT_MINUTES)
        hours[int(wd)] = f"{min_to_hm(a)}-{min_to_hm(min(b, 24 * 60))}"  # type: ignore[arg-type]
        lunch_tickets += int(((m >= lo_l) & (m < hi_l)).sum())
    return hours, lunch_tickets == 0


def calibrate(log: pd.DataFrame | str | Path, base: Scenario | None = None, *, name: str | None = None,
              empirical: bool = False, per_type_profiles: bool = False) -> Calibration:
    """A scenario fitted to the log (see the module docstring for each estimate)."""
    df = read_ticket_log(log) if isinstance(log, (str, Path)) else normalise_log(log)
    day = df["取号时间"].dt.normalize()
    df = df.assign(date=day.dt.date, weekday=day.dt.weekday,
                   minute=(df["取号时间"] - day).dt.total_seconds() / 60,
                   service=(df["办结时间"] - df["叫号时间"]).dt.total_seconds() / 60)
    days_per_wd = df.groupby("weekday")["date"].nunique()
    n_days = lambda wd: int(days_per_wd.get(wd, 0))
    wd_mask = df["weekday"] < 5
    weekday_days = int(df.loc[wd_mask, "date"].nunique())
    weekend_days = int(df.loc[~wd_mask, "date"].nunique())
    types, report = [], []
    for tname, part in df.groupby("业务类型", sort=False):
        counts = part.groupby("weekday").size()
        vols = [round(float(counts.get(wd, 0)) / n_days(wd), 2) if n_days(wd) else 0.0 for wd in range(7)]
        s = part["service"].to_numpy(float)
        s = s[s > 0]
        mean = float(s.mean()) if len(s) else 10.0
        cv = float(s.std(ddof=1) / mean) if len(s) > 1 else 0.6
        appt = float((part["预约"].astype(str) == "是").mean()) if "预约" in part else 0.0
        t = ServiceType(tname, "", vols, "empirical" if empirical else "lognormal", round(mean, 3),  # type: ignore[arg-type]
                        round(cv, 3), [round(float(x), 2) for x in s[:2000]] if empirical else [],
                        round(appt, 3), None, 0.0)
        if per_type_profiles:
            t.weekday_profile = _profile(part.loc[part["weekday"] < 5, "minute"], weekday_days) or None
            t.weekend_profile = _profile(part.loc[part["weekday"] >= 5, "minute"], weekend_days) or None
        types.append(t)
        report.append({"type": tname, "tickets": len(part), "service_mean": mean, "service_cv": cv,
                       "appointment_share": appt, **{f"volume_{wd}": v for wd, v in enumerate(vols)}})
    if base is not None:
        scen = base.copy()
        fitted = {t.name: t for t in types}
        for t in scen.types:
            f = fitted.get(t.name)
            if f is None:
                t.daily_volume = [0.0] * 7
                continue
            t.daily_volume, t.service_dist, t.service_mean, t.service_cv = (
                f.daily_volume, f.service_dist, f.service_mean, f.service_cv)
            t.service_sample, t.appointment_share, t.weekend_shift = f.service_sample, f.appointment_share, 0.0
            t.weekday_profile, t.weekend_profile = f.weekday_profile, f.weekend_profile
        known = {t.name for t in scen.types}
        unknown = [t.name for t in types if t.name not in known]
        if unknown:
            raise ImportFailed(f"叫号记录中的业务类型不在基础场景中:{'、'.join(unknown[:5])}", file="叫号记录",
                               column="业务类型")
    else:
        scen = Scenario(name or "由叫号记录标定的场景", types, _groups(df), Policy(),
                        CalendarSpec(start=min(df["date"]), days=int((max(df["date"]) - min(df["date"])).days) + 1),
                        description="由叫号记录自动标定")
    scen.weekday_profile = _profile(df.loc[wd_mask, "minute"], weekday_days)
    scen.weekend_profile = _profile(df.loc[~wd_mask, "minute"], weekend_days)
    if name:
        scen.name = name
    return Calibration(scen, pd.DataFrame(report))


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
        groups.append(WindowGroup(str(gname), served, max(regular, 1), int(per_day.max()) - regular,
                                  "综合窗" if len(served) > 1 else "专窗", hours,
                                  lunch_mode="closed" if lunch_closed else "staggered"))
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
        rows.append({"type": t.name, "volume_rel_err": abs(fv - tv) / tv if tv else np.nan,
                     "mean_rel_err": abs(f.service_mean - t.service_mean) / t.service_mean,
                     "cv_rel_err": abs(f.service_cv - t.service_cv) / t.service_cv if t.service_cv else np.nan})
    return pd.DataFrame(rows)


