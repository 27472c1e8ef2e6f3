"""好差评 ratings (国办发〔2019〕51号; GB/T 39734-2020): import, join to the ticket log, figures.

A ratings export has 评价时间, 办件编号 and/or 票号, 窗口, 工号, 评价等级 (非常满意/满意/基本满意/
不满意/非常不满意, or 5–1 stars), 差评原因, 整改时间 (整改完成日期) and 回访时间. Each rating is joined to
one served ticket step of the log:

1. by 办件编号 — among the case's served steps, the one at the rating's 窗口, else the last one;
2. else by 票号 on the day of 评价时间 — a step taken no later than the rating, same preference;
3. otherwise it is *unmatched*: listed with the reason, never silently dropped.

Figures per window, clerk, business type and month (the month the ticket was taken):

* ``ratings`` (评价数) — matched ratings;
* ``active_rate`` (主动评价率) — distinct rated ticket steps / served ticket steps;
* ``bad_rate`` (差评率) — ratings in the bottom two grades (不满意, 非常不满意) / ratings;
* ``fix_on_time_rate`` (差评整改按时率) — bad ratings fixed within ``fix_limit`` working days after
  the rating day (the official working-day calendar of :mod:`sim.calendar`, 调休 included) / bad
  ratings; ``None`` when there is no bad rating;
* ``revisit_rate`` (回访率) — bad ratings with a 回访 date / bad ratings (差评回访); ``None`` likewise.

>>> import pandas as pd
>>> from sim.ticketlog import from_frame
>>> log = from_frame(pd.DataFrame({"取号时间": ["2026-11-02 09:00:00"], "叫号时间": ["2026-11-02 09:01:00"],
...     "办结时间": ["2026-11-02 09:11:00"], "业务类型": ["户籍"], "窗口": ["A01"], "办件编号": ["BJ1"]}))
>>> r = ratings_from_frame(pd.DataFrame({"评价时间": ["2026-11-02 09:12:00", "2026-11-02 10:00:00"],
...     "办件编号": ["BJ1", "BJ9"], "评价等级": ["不满意", "满意"], "整改时间": ["2026-11-20", ""]}))
>>> j = join_ratings(log, r)
>>> s = rating_stats(j, by="窗口").iloc[0]
>>> int(s["ratings"]), float(s["bad_rate"]), float(s["fix_on_time_rate"]), len(j.unmatched)
(1, 1.0, 1.0, 1)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from core.errors import InputError

from .calendar import official_kind
from .ticketlog import RowProblem, TicketLog, _text, find_columns, parse_times, read_table

__all__ = [
    "BAD_GRADES",
    "GRADES",
    "RATING_FIELDS",
    "Ratings",
    "RatingJoin",
    "join_ratings",
    "rating_stats",
    "ratings_from_frame",
    "read_ratings",
    "synthetic_ratings",
    "working_days_between",
]

GRADES = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")
BAD_GRADES = ("不满意", "非常不满意")
_GRADE_ALIASES = {
    **{g: g for g in GRADES},
    "5": "非常满意",
    "4": "满意",
    "3": "基本满意",
    "2": "不满意",
    "1": "非常不满意",
    "5星": "非常满意",
    "4星": "满意",
    "3星": "基本满意",
    "2星": "不满意",
    "1星": "非常不满意",
    "一般": "基本满意",
    "很满意": "非常满意",
    "很不满意": "非常不满意",
}
RATING_FIELDS: dict[str, tuple[str, ...]] = {
    "评价时间": ("评价时间", "评价日期", "rating_time"),
    "办件编号": ("办件编号", "办件号", "申请编号", "受理编号", "case_id"),
    "票号": ("票号", "排队号", "号码", "取号号码", "ticket", "ticket_no"),
    "窗口": ("窗口", "窗口号", "窗口编号", "window"),
    "工号": ("工号", "员工工号", "工作人员", "clerk"),
    "评价等级": ("评价等级", "评价结果", "满意度", "评价", "grade"),
    "差评原因": ("差评原因", "不满意原因", "评价内容", "reason"),
    "整改时间": ("整改时间", "整改完成时间", "整改日期", "整改完成日期", "fixed"),
    "回访时间": ("回访时间", "回访日期", "revisit"),
}
RATING_REQUIRED = ("评价时间", "评价等级")
DEFAULT_FIX_LIMIT = 15


@dataclass(frozen=True)
class Ratings:
    """The readable ratings (``row`` = file row) and the rows left out."""

    frame: pd.DataFrame
    problems: tuple[RowProblem, ...]
    file: str
    sheet: str | None


@dataclass(frozen=True)
class RatingJoin:
    """Ratings with their ticket step (``matched``: ticket columns added), the unmatched ones,
    and the served steps (the denominator of 主动评价率)."""

    matched: pd.DataFrame
    unmatched: pd.DataFrame
    served: pd.DataFrame
    fix_limit: int


def read_ratings(path: str | Path | bytes, name: str | None = None) -> Ratings:
    """Read a ratings export (xlsx/csv, UTF-8 or GBK); bad rows are collected, not raised."""
    fname = name or (Path(path).name if not isinstance(path, bytes) else "好差评数据")
    raw, sheet = read_table(path, fname, "好差评数据")
    return _check(raw, fname, sheet)


def ratings_from_frame(raw: pd.DataFrame, *, file: str = "好差评数据", sheet: str | None = None) -> Ratings:
    """Check a ratings table already in a DataFrame (columns = its header)."""
    grid = pd.concat(
        [
            pd.DataFrame([list(raw.columns)], columns=range(raw.shape[1])),
            pd.DataFrame(raw.to_numpy(), columns=range(raw.shape[1])),
        ],
        ignore_index=True,
    )
    return _check(grid, file, sheet)


def _check(grid: pd.DataFrame, name: str, sheet: str | None) -> Ratings:
    if grid.empty:
        raise InputError("文件中没有数据", file=name, sheet=sheet)
    hrow, cols = find_columns(grid, RATING_FIELDS, RATING_REQUIRED, name, sheet, "好差评数据")
    body = grid.iloc[hrow + 1 :]
    text = {c: _text(body.iloc[:, pos]) for c, pos in cols.items()}
    n = len(body)
    rows = np.arange(hrow + 2, hrow + 2 + n)
    blank = np.ones(n, bool)
    for s in text.values():
        blank &= (s == "").to_numpy()
    out = pd.DataFrame(index=body.index)
    flags: list[tuple[np.ndarray, str, str]] = []
    for c in ("评价时间", "整改时间", "回访时间"):
        if c in text:
            t, bad = parse_times(text[c])
            out[c] = t
            flags.append((bad, c, "时间“{v}”无法识别,应为 2026-11-02 或 2026-11-02 09:30:00"))
        else:
            out[c] = pd.Series(pd.NaT, index=body.index, dtype="datetime64[ns]")
    flags.append(((text["评价时间"] == "").to_numpy(), "评价时间", "缺少评价时间"))
    for c in ("办件编号", "票号", "窗口", "工号", "差评原因"):
        out[c] = text.get(c, "")
    grade = text["评价等级"].map(_GRADE_ALIASES)
    flags.append(
        (
            grade.isna().to_numpy(),
            "评价等级",
            "评价等级“{v}”无法识别,应为 非常满意、满意、基本满意、不满意 或 非常不满意",
        )
    )
    out["评价等级"] = grade.fillna("")
    any_bad = np.zeros(n, bool)
    problems: list[tuple[int, int, str, str]] = []
    for order, (mask, col, reason) in enumerate(flags):
        mask = np.asarray(mask, bool) & ~blank & ~any_bad
        any_bad |= mask
        for i in np.flatnonzero(mask):
            v = str(text[col].iat[int(i)]) if col in text else ""
            problems.append((int(rows[i]), order, col, reason.replace("{v}", v)))
    problems.sort()
    tickets = out["票号"].to_numpy()
    probs = tuple(RowProblem(r, c, w, str(tickets[r - hrow - 2])) for r, _o, c, w in problems)
    keep = ~any_bad & ~blank
    frame = out[keep].copy()
    frame["row"] = rows[keep]
    frame["bad"] = frame["评价等级"].isin(BAD_GRADES)
    return Ratings(frame.reset_index(drop=True), probs, name, sheet)


# ------------------------------------------------------------------ join
def _pick(cand: pd.DataFrame) -> pd.DataFrame:
    """Per rating: the step at the rating's window if any, else the latest finished step."""
    cand = cand.assign(_wm=(cand["窗口_r"] != "") & (cand["窗口_r"] == cand["窗口"]))
    cand = cand.sort_values(["rid", "_wm", "办结时间"], ascending=[True, False, False], kind="stable")
    return cand.drop_duplicates("rid")


def join_ratings(log: TicketLog, ratings: Ratings, fix_limit: int = DEFAULT_FIX_LIMIT) -> RatingJoin:
    """Join each rating to one served ticket step of ``log`` (a :class:`~sim.ticketlog.TicketLog`)."""
    f = log.frame
    served = f[f["状态"].isin(("正常", "转号"))].copy()
    served["tid"] = np.arange(len(served))
    served["月份"] = served["取号时间"].dt.strftime("%Y-%m")
    r = ratings.frame.copy()
    r["rid"] = np.arange(len(r))
    keep_t = ["tid", "办件编号", "票号", "窗口", "工号", "业务类型", "取号时间", "办结时间", "月份"]
    rr = r[["rid", "办件编号", "票号", "窗口", "评价时间"]].rename(columns={"窗口": "窗口_r"})
    by_case = rr[rr["办件编号"] != ""].merge(served[keep_t].drop(columns="票号"), on="办件编号")
    picked = [_pick(by_case)] if len(by_case) else []
    done = set(by_case["rid"])
    rest = rr[~rr["rid"].isin(done) & (rr["票号"] != "")]
    if len(rest):
        rest = rest.assign(_d=rest["评价时间"].dt.normalize())
        st = served[keep_t].drop(columns="办件编号").assign(_d=served["取号时间"].dt.normalize())
        by_ticket = rest.drop(columns="办件编号").merge(st, on=["票号", "_d"])
        by_ticket = by_ticket[by_ticket["取号时间"] <= by_ticket["评价时间"]]
        if len(by_ticket):
            picked.append(_pick(by_ticket.drop(columns="_d")))
    link = pd.concat(picked)[["rid", "tid"]] if picked else pd.DataFrame({"rid": [], "tid": []}, dtype=int)
    tcols = served.set_index("tid")[["窗口", "工号", "业务类型", "月份", "取号时间"]]
    matched = r.merge(link, on="rid").drop(columns=["窗口", "工号"]).join(tcols, on="tid")
    un = r[~r["rid"].isin(link["rid"])].copy()
    case_known = un["办件编号"].isin(set(f["办件编号"])) & (un["办件编号"] != "")
    un["原因"] = np.where(
        (un["办件编号"] == "") & (un["票号"] == ""),
        "没有办件编号,也没有票号",
        np.where(
            case_known,
            "办件编号对应的记录未办理(过号或弃号)",
            np.where(un["票号"] != "", "办件编号找不到,当天也没有该票号的已办理记录", "办件编号在叫号记录中找不到"),
        ),
    )
    return RatingJoin(matched.reset_index(drop=True), un.drop(columns="rid").reset_index(drop=True), served, fix_limit)


# -------------------------------------------------------------- figures
@lru_cache(maxsize=64)
def _workday_index(lo: dt.date, hi: dt.date) -> tuple[np.ndarray, np.ndarray]:
    days = pd.date_range(lo, hi, freq="D")
    work = np.array([official_kind(d.date()) in ("workday", "swap_workday") for d in days])
    return days.to_numpy(), np.cumsum(work)


def working_days_between(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Working days after the day of ``a`` up to and including the day of ``b`` (official calendar).

    >>> a = pd.Series(pd.to_datetime(["2026-09-30", "2026-11-06"]))
    >>> b = pd.Series(pd.to_datetime(["2026-10-09", "2026-11-09"]))
    >>> working_days_between(a, b).tolist()  # 国庆 holidays do not count; Fri → Mon is one
    [2, 1]
    """
    da, db = a.dt.normalize(), b.dt.normalize()
    lo = min(da.min(), db.min()).date()
    hi = max(da.max(), db.max()).date()
    days, cum = _workday_index(lo, hi)
    ia = np.searchsorted(days, da.to_numpy())
    ib = np.searchsorted(days, db.to_numpy())
    return np.asarray(cum[ib] - cum[ia])


def rating_stats(join: RatingJoin, by: str | list[str] = "窗口") -> pd.DataFrame:
    """评价数, 主动评价率, 差评率, 差评整改按时率, 回访率 per ``by`` (窗口, 工号, 业务类型, 月份 or a list)."""
    keys = [by] if isinstance(by, str) else list(by)
    m = join.matched.copy()
    fixed = m["整改时间"].notna().to_numpy()
    on_time = np.zeros(len(m), bool)
    if fixed.any():
        on_time[fixed] = working_days_between(m.loc[fixed, "评价时间"], m.loc[fixed, "整改时间"]) <= join.fix_limit
    m["on_time"] = on_time & m["bad"].to_numpy()
    m["revisited"] = m["回访时间"].notna() & m["bad"]
    g = m.groupby(keys)
    out = pd.DataFrame(
        {
            "ratings": g.size(),
            "rated_tickets": g["tid"].nunique(),
            "bad": g["bad"].sum(),
            "fixed_on_time": g["on_time"].sum(),
            "revisited": g["revisited"].sum(),
        }
    )
    served = join.served.groupby(keys).size().rename("served")
    out = out.join(served, how="outer").fillna(0)
    for c in ("ratings", "rated_tickets", "bad", "fixed_on_time", "revisited", "served"):
        out[c] = out[c].astype(int)
    out["active_rate"] = np.where(out["served"] > 0, out["rated_tickets"] / out["served"].clip(lower=1), np.nan)
    out["bad_rate"] = np.where(out["ratings"] > 0, out["bad"] / out["ratings"].clip(lower=1), np.nan)
    out["fix_on_time_rate"] = np.where(out["bad"] > 0, out["fixed_on_time"] / out["bad"].clip(lower=1), np.nan)
    out["revisit_rate"] = np.where(out["bad"] > 0, out["revisited"] / out["bad"].clip(lower=1), np.nan)
    return out.reset_index()


def synthetic_ratings(log: pd.DataFrame, share: float = 0.3, *, seed: int = 0) -> pd.DataFrame:
    """A ratings export for a (synthetic) ticket log: ``share`` of served steps rated a few minutes
    after 办结; bad grades fixed within 0–30 days (most), revisited mostly (示例数据).

    >>> from sim.ticketlog import synthetic_log
    >>> r = synthetic_ratings(synthetic_log(2, seed=1, businesses={"户籍": 40}), seed=1)
    >>> list(r.columns)[:4], len(r) > 5
    (['评价时间', '办件编号', '窗口', '工号'], True)
    """
    rng = np.random.default_rng(seed)
    served = log[log["状态"].isin(("正常", "转号"))]
    picked = served[rng.random(len(served)) < share]
    n = len(picked)
    grades = rng.choice(list(GRADES), n, p=[0.55, 0.3, 0.08, 0.05, 0.02])
    rt = picked["办结时间"] + pd.to_timedelta(rng.uniform(0.5, 10, n), unit="min")
    bad = np.isin(grades, BAD_GRADES)
    fixed = (rt.dt.normalize() + pd.to_timedelta(rng.integers(1, 30, n), unit="D")).dt.strftime("%Y-%m-%d")
    revisit = (rt.dt.normalize() + pd.to_timedelta(rng.integers(1, 5, n), unit="D")).dt.strftime("%Y-%m-%d")
    return pd.DataFrame(
        {
            "评价时间": rt.dt.strftime("%Y-%m-%d %H:%M:%S").to_numpy(),
            "办件编号": picked["办件编号"].to_numpy(),
            "窗口": picked["窗口"].to_numpy(),
            "工号": picked["工号"].to_numpy(),
            "评价等级": grades,
            "差评原因": np.where(bad, "等候时间长", ""),
            "整改时间": np.where(bad & (rng.random(n) < 0.9), fixed, ""),
            "回访时间": np.where(bad & (rng.random(n) < 0.8), revisit, ""),
        }
    )
