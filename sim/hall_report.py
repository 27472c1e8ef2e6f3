"""The statistics halls publish, from a ticket log (and a 好差评 export): tables, JSON, xlsx, docx.

Definitions (times in minutes, rates as fractions):

* a *ticket* is one row of the log (one step of a visit); *served* = 正常 or 转号;
* wait = 叫号 − 取号 and service = 办结 − 叫号, over served tickets (mean and P90);
* 过号率 (``no_show_rate``) = 过号 / tickets; 弃号率 = 弃号 / tickets;
* window saturation = busy minutes / open minutes, a window's open time on a day being the
  span from its first call to its last 办结 (the log has no opening times); busy = Σ service;
* peak hours = the hours of the day with the most tickets taken per day the hall issued tickets;
* clerk workload = served tickets, service hours, days worked, tickets per day worked;
* time in hall (多窗联办) = a visit's last 办结 − first 取号 (:func:`sim.ticketlog.visits`).

:func:`hall_report_json` is the ``python -m sim hall-report --json`` contract (DESIGN.md).

>>> from sim.ticketlog import from_frame, synthetic_log
>>> rep = build_hall_report(from_frame(synthetic_log(3, seed=2, businesses={"户籍": 40})))
>>> sorted(hall_report_json(rep)["by_business"]["户籍"])
['mean_service', 'mean_wait', 'no_show_rate', 'p90_wait', 'served', 'tickets']
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.errors import WorkbenchError

from .ratings import DEFAULT_FIX_LIMIT, RatingJoin, Ratings, join_ratings, rating_stats
from .scenario import WEEKDAYS_CN
from .ticketlog import TicketLog, visits

__all__ = [
    "BUSINESS_KEYS",
    "CN",
    "HallReport",
    "RATING_KEYS",
    "build_hall_report",
    "hall_report_docx",
    "hall_report_json",
    "hall_report_xlsx",
    "problem_lines",
    "write_hall_report",
]

BUSINESS_KEYS = ("tickets", "served", "no_show_rate", "mean_wait", "p90_wait", "mean_service")
RATING_KEYS = ("ratings", "active_rate", "bad_rate", "fix_on_time_rate", "revisit_rate")
CN = {
    "business": "业务类型",
    "window": "窗口",
    "clerk": "工号",
    "date": "日期",
    "weekday": "星期",
    "hour": "时段",
    "tickets": "取号数",
    "served": "办理数",
    "no_show": "过号数",
    "abandoned": "弃号数",
    "transferred": "转号数",
    "no_show_rate": "过号率",
    "abandon_rate": "弃号率",
    "mean_wait": "平均等候(分钟)",
    "p90_wait": "P90等候(分钟)",
    "mean_service": "平均办理(分钟)",
    "p90_service": "P90办理(分钟)",
    "busy_hours": "办理时长(小时)",
    "open_hours": "在岗时长(小时)",
    "saturation": "窗口饱和度",
    "days": "工作天数",
    "per_day": "日均办理",
    "tickets_per_day": "日均取号",
    "windows": "窗口",
    "route": "办理路线",
    "visits": "人次",
    "mean_time_in_hall": "平均在厅时间(分钟)",
    "p90_time_in_hall": "P90在厅时间(分钟)",
    "ratings": "评价数",
    "rated_tickets": "被评价办件",
    "bad": "差评数",
    "fixed_on_time": "按时整改数",
    "revisited": "回访数",
    "active_rate": "主动评价率",
    "bad_rate": "差评率",
    "fix_on_time_rate": "差评整改按时率",
    "revisit_rate": "回访率",
    "月份": "月份",
    "窗口": "窗口",
    "工号": "工号",
    "业务类型": "业务类型",
}


@dataclass(frozen=True)
class HallReport:
    """All tables of the report (pandas, English column keys; :data:`CN` has the Chinese headers)."""

    log: TicketLog
    ratings: Ratings | None
    join: RatingJoin | None
    overview: dict[str, Any]
    by_day: pd.DataFrame
    by_hour: pd.DataFrame
    by_business: pd.DataFrame
    by_window: pd.DataFrame
    by_clerk: pd.DataFrame
    routes: pd.DataFrame
    peak_hours: pd.DataFrame
    rating_tables: dict[str, pd.DataFrame]


def _time_stats(df: pd.DataFrame, key: str) -> pd.DataFrame:
    st = df["状态"]
    g = df.groupby(key, sort=True)
    out = pd.DataFrame(
        {
            "tickets": g.size(),
            "served": g["_served"].sum(),
            "no_show": (st == "过号").groupby(df[key]).sum(),
            "abandoned": (st == "弃号").groupby(df[key]).sum(),
            "transferred": (st == "转号").groupby(df[key]).sum(),
        }
    )
    s = df[df["_served"]].groupby(key)
    out = out.join(
        pd.DataFrame(
            {
                "mean_wait": s["_wait"].mean(),
                "p90_wait": s["_wait"].quantile(0.9),
                "mean_service": s["_service"].mean(),
                "p90_service": s["_service"].quantile(0.9),
                "busy_hours": s["_service"].sum() / 60,
            }
        )
    )
    out["no_show_rate"] = out["no_show"] / out["tickets"]
    out["abandon_rate"] = out["abandoned"] / out["tickets"]
    for c in ("served", "no_show", "abandoned", "transferred"):
        out[c] = out[c].astype(int)
    return out


def build_hall_report(log: TicketLog, ratings: Ratings | None = None, fix_limit: int = DEFAULT_FIX_LIMIT) -> HallReport:
    """Every table of the hall report from an imported log (and ratings)."""
    f = log.frame
    df = f.assign(
        _served=f["状态"].isin(("正常", "转号")),
        _wait=(f["叫号时间"] - f["取号时间"]).dt.total_seconds() / 60,
        _service=(f["办结时间"] - f["叫号时间"]).dt.total_seconds() / 60,
        date=f["取号时间"].dt.date,
        hour=f["取号时间"].dt.hour,
    )
    n_days = max(int(df["date"].nunique()), 1)
    by_business = _time_stats(df, "业务类型").rename_axis("business").reset_index()
    served = df[df["_served"]]
    by_window = _time_stats(df[df["窗口"] != ""], "窗口").rename_axis("window")
    span = served.groupby(["窗口", "date"]).agg(a=("叫号时间", "min"), b=("办结时间", "max"))
    open_h = ((span["b"] - span["a"]).dt.total_seconds() / 3600).groupby("窗口").sum()
    by_window["open_hours"] = open_h
    by_window["saturation"] = np.where(
        by_window["open_hours"] > 0,
        by_window["busy_hours"] / by_window["open_hours"].where(by_window["open_hours"] > 0, 1.0),
        np.nan,
    )
    by_window = by_window.reset_index()
    by_day = _time_stats(df, "date").rename_axis("date").reset_index()
    by_day.insert(1, "weekday", [WEEKDAYS_CN[d.weekday()] for d in by_day["date"]])
    hours = df.groupby("hour").size()
    by_hour = pd.DataFrame(
        {
            "hour": [f"{h:02d}:00-{h + 1:02d}:00" for h in hours.index],
            "tickets": hours.to_numpy(),
            "tickets_per_day": hours.to_numpy() / n_days,
        }
    )
    peak = by_hour.sort_values("tickets", ascending=False, kind="stable").head(3).reset_index(drop=True)
    cg = served[served["工号"] != ""].groupby("工号")
    by_clerk = pd.DataFrame(
        {
            "served": cg.size(),
            "busy_hours": cg["_service"].sum() / 60,
            "days": cg["date"].nunique(),
            "mean_service": cg["_service"].mean(),
            "windows": cg["窗口"].agg(lambda s: "、".join(sorted(set(s)))),
        }
    )
    by_clerk["per_day"] = by_clerk["served"] / by_clerk["days"]
    by_clerk = by_clerk.rename_axis("clerk").reset_index()
    v = visits(f)
    rg = v.groupby("route")
    routes = pd.DataFrame(
        {
            "visits": rg.size(),
            "mean_time_in_hall": rg["time_in_hall"].mean(),
            "p90_time_in_hall": rg["time_in_hall"].quantile(0.9),
        }
    ).rename_axis("route")
    routes = routes.reset_index().sort_values("visits", ascending=False, kind="stable").reset_index(drop=True)
    join = join_ratings(log, ratings, fix_limit) if ratings is not None else None
    tables = {}
    if join is not None:
        for key in ("窗口", "工号", "业务类型", "月份"):
            tables[key] = rating_stats(join, key)
    overview = {
        "file": log.file,
        "tickets": len(f),
        "served": int(df["_served"].sum()),
        "days": n_days,
        "first": str(f["取号时间"].min()),
        "last": str(f["取号时间"].max()),
        "unreadable_rows": log.bad_rows,
        "visits": len(v),
        "no_show_rate": float((f["状态"] == "过号").mean()),
        "mean_wait": float(served["_wait"].mean()) if len(served) else math.nan,
        "p90_wait": float(served["_wait"].quantile(0.9)) if len(served) else math.nan,
    }
    return HallReport(
        log, ratings, join, overview, by_day, by_hour, by_business, by_window, by_clerk, routes, peak, tables
    )


# ------------------------------------------------------------------- JSON
def _num(v: Any) -> Any:
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(v) else round(float(v), 4)
    return v


def _rows(df: pd.DataFrame, key: str, cols: tuple[str, ...] | list[str]) -> dict[str, dict[str, Any]]:
    return {str(r[key]): {c: _num(r[c]) for c in cols} for r in df.to_dict("records")}


def hall_report_json(rep: HallReport) -> dict[str, Any]:
    """The contract: ``by_business``, ``by_window``, ``ratings`` (``by_window``, ``unmatched``).

    Business types and windows are the keys of their mappings; by_window entries carry the
    by_business fields plus ``saturation``.
    """
    ratings: dict[str, Any] = {"by_window": {}, "unmatched": []}
    if rep.join is not None:
        ratings["by_window"] = _rows(rep.rating_tables["窗口"], "窗口", RATING_KEYS)
        u = rep.join.unmatched
        ratings["unmatched"] = [
            {
                "row": int(r["row"]),
                "time": str(r["评价时间"]),
                "case_id": r["办件编号"],
                "ticket": r["票号"],
                "window": r["窗口"],
                "clerk": r["工号"],
                "grade": r["评价等级"],
                "reason": r["原因"],
            }
            for r in u.to_dict("records")
        ]
    return {
        "by_business": _rows(rep.by_business, "business", BUSINESS_KEYS),
        "by_window": _rows(rep.by_window, "window", [*BUSINESS_KEYS, "saturation"]),
        "ratings": ratings,
    }


def problem_lines(rep: HallReport) -> list[str]:
    """Every unreadable row of the log and the ratings file, one Chinese line each (for stderr)."""
    out = [f"已跳过无法读取的行:{p.text(rep.log.file, rep.log.sheet)}" for p in rep.log.problems]
    if rep.ratings is not None:
        out += [f"已跳过无法读取的行:{p.text(rep.ratings.file, rep.ratings.sheet)}" for p in rep.ratings.problems]
    return out


# ------------------------------------------------------------------- xlsx
def _cn(df: pd.DataFrame) -> pd.DataFrame:
    out = df.rename(columns={c: CN.get(c, c) for c in df.columns})
    for c in out.columns:
        if out[c].dtype.kind == "f":
            out[c] = out[c].round(3)
    return out


def _sheets(rep: HallReport) -> list[tuple[str, pd.DataFrame]]:
    o = rep.overview
    ov = pd.DataFrame(
        {
            "项目": [
                "叫号记录",
                "日期范围",
                "取号数",
                "办理数",
                "来访人次",
                "过号率",
                "平均等候(分钟)",
                "P90等候(分钟)",
                "无法读取而跳过的行",
            ],
            "数值": [
                o["file"],
                f"{o['first'][:10]} 至 {o['last'][:10]}",
                o["tickets"],
                o["served"],
                o["visits"],
                f"{o['no_show_rate']:.1%}",
                _fmt(o["mean_wait"]),
                _fmt(o["p90_wait"]),
                o["unreadable_rows"],
            ],
        }
    )
    biz = [
        "business",
        "tickets",
        "served",
        "no_show",
        "no_show_rate",
        "abandoned",
        "transferred",
        "mean_wait",
        "p90_wait",
        "mean_service",
        "p90_service",
    ]
    win = [
        "window",
        "tickets",
        "served",
        "no_show_rate",
        "mean_wait",
        "p90_wait",
        "mean_service",
        "busy_hours",
        "open_hours",
        "saturation",
    ]
    sheets = [
        ("概况", ov),
        ("按日", _cn(rep.by_day[["date", "weekday", "tickets", "served", "no_show_rate", "mean_wait", "p90_wait"]])),
        ("按时段", _cn(rep.by_hour)),
        ("高峰时段", _cn(rep.peak_hours)),
        ("按业务", _cn(rep.by_business[biz])),
        ("按窗口", _cn(rep.by_window[win])),
        (
            "工作人员工作量",
            _cn(rep.by_clerk[["clerk", "served", "days", "per_day", "busy_hours", "mean_service", "windows"]]),
        ),
        ("多窗联办", _cn(rep.routes)),
    ]
    cols = [
        "ratings",
        "rated_tickets",
        "served",
        "active_rate",
        "bad",
        "bad_rate",
        "fixed_on_time",
        "fix_on_time_rate",
        "revisited",
        "revisit_rate",
    ]
    for key, title in (
        ("窗口", "好差评-按窗口"),
        ("工号", "好差评-按工作人员"),
        ("业务类型", "好差评-按业务"),
        ("月份", "好差评-按月"),
    ):
        if key in rep.rating_tables:
            sheets.append((title, _cn(rep.rating_tables[key][[key, *cols]])))
    if rep.join is not None:
        u = rep.join.unmatched
        sheets.append(
            (
                "未匹配的评价",
                u[["row", "评价时间", "办件编号", "票号", "窗口", "工号", "评价等级", "原因"]].rename(
                    columns={"row": "行号"}
                ),
            )
        )
    probs = list(rep.log.problems) + (list(rep.ratings.problems) if rep.ratings else [])
    if probs:
        files = [rep.log.file] * len(rep.log.problems) + (
            [rep.ratings.file] * len(rep.ratings.problems) if rep.ratings else []
        )
        sheets.append(
            (
                "跳过的行",
                pd.DataFrame(
                    {
                        "文件": files,
                        "行号": [p.row for p in probs],
                        "票号": [p.ticket for p in probs],
                        "列": [p.column for p in probs],
                        "原因": [p.why for p in probs],
                    }
                ),
            )
        )
    return sheets


def _fmt(v: float) -> str:
    return "—" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.1f}"


def hall_report_xlsx(rep: HallReport) -> bytes:
    """The report as a workbook: one sheet per table, Chinese headers, no empty-cell markers."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for title, df in _sheets(rep):
            df = df.copy()
            for c in df.columns:
                if df[c].dtype.kind in "fO":
                    df[c] = df[c].astype(object).where(df[c].notna(), "")
                if df[c].dtype.kind == "M":
                    df[c] = df[c].dt.strftime("%Y-%m-%d %H:%M:%S").fillna("")
            df.to_excel(xw, sheet_name=title, index=False)
            ws = xw.sheets[title]
            for col in ws.columns:
                width = max(len(str(c.value or "")) for c in col[:200])
                ws.column_dimensions[col[0].column_letter].width = min(max(8, width * 1.6 + 2), 60)
    return buf.getvalue()


# ------------------------------------------------------------------- docx
def _pct(v: Any) -> str:
    return "—" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.1%}"


def hall_report_docx(rep: HallReport, office: str = "政务服务中心") -> bytes:
    """The report as an official document (GB/T 9704 layout, :mod:`core.officedoc`)."""
    import datetime as _dt

    from core.officedoc import OfficialDoc

    o = rep.overview
    doc = OfficialDoc("政务服务大厅运行情况统计报告", author=office)
    doc.paragraph(f"统计范围:{o['first'][:10]} 至 {o['last'][:10]},共{o['days']}个办件日;数据来源:{o['file']}。")
    doc.heading("总体情况")
    doc.paragraph(
        f"共取号{o['tickets']}个,办理{o['served']}件,来访{o['visits']}人次;过号率{_pct(o['no_show_rate'])};"
        f"平均等候{_fmt(o['mean_wait'])}分钟,90%的群众等候不超过{_fmt(o['p90_wait'])}分钟。"
        + (f"另有{o['unreadable_rows']}行记录无法读取,未纳入统计。" if o["unreadable_rows"] else "")
    )
    peaks = "、".join(f"{r['hour']}(日均{r['tickets_per_day']:.0f}个)" for r in rep.peak_hours.to_dict("records"))
    if peaks:
        doc.paragraph(f"取号高峰时段为{peaks}。")
    doc.heading("分业务情况")
    doc.table(
        ["业务类型", "取号数", "办理数", "过号率", "平均等候", "P90等候", "平均办理"],
        [
            [
                r["business"],
                r["tickets"],
                r["served"],
                _pct(r["no_show_rate"]),
                _fmt(r["mean_wait"]),
                _fmt(r["p90_wait"]),
                _fmt(r["mean_service"]),
            ]
            for r in rep.by_business.to_dict("records")
        ],
    )
    doc.paragraph("注:时间单位为分钟。", size_pt=12)
    doc.heading("分窗口情况")
    doc.table(
        ["窗口", "办理数", "平均等候", "平均办理", "窗口饱和度"],
        [
            [r["window"], r["served"], _fmt(r["mean_wait"]), _fmt(r["mean_service"]), _pct(r["saturation"])]
            for r in rep.by_window.to_dict("records")
        ],
    )
    doc.paragraph("窗口饱和度为办理时长占在岗时长(当日首次叫号至末次办结)的比例。", size_pt=12)
    doc.heading("工作人员工作量")
    doc.table(
        ["工号", "办理数", "工作天数", "日均办理", "办理时长(小时)"],
        [
            [r["clerk"], r["served"], r["days"], f"{r['per_day']:.1f}", f"{r['busy_hours']:.1f}"]
            for r in rep.by_clerk.to_dict("records")
        ],
    )
    multi = rep.routes[rep.routes["route"].str.contains("→")]
    if len(multi):
        doc.heading("多窗联办")
        doc.table(
            ["办理路线", "人次", "平均在厅时间", "P90在厅时间"],
            [
                [r["route"], r["visits"], _fmt(r["mean_time_in_hall"]), _fmt(r["p90_time_in_hall"])]
                for r in multi.to_dict("records")
            ],
        )
    if rep.join is not None:
        doc.heading("好差评情况")
        j = rep.join
        doc.paragraph(
            f"共收到评价{len(j.matched) + len(j.unmatched)}条,其中{len(j.matched)}条与办件对应,"
            f"{len(j.unmatched)}条未能对应(见统计表“未匹配的评价”)。差评整改时限按{j.fix_limit}个工作日计。"
        )
        doc.table(
            ["窗口", "评价数", "主动评价率", "差评率", "差评整改按时率", "回访率"],
            [
                [
                    r["窗口"],
                    r["ratings"],
                    _pct(r["active_rate"]),
                    _pct(r["bad_rate"]),
                    _pct(r["fix_on_time_rate"]),
                    _pct(r["revisit_rate"]),
                ]
                for r in rep.rating_tables["窗口"].to_dict("records")
            ],
        )
    try:
        when = _dt.date.fromisoformat(str(o["last"])[:10])
    except ValueError:
        when = _dt.date.today()
    doc.signature(office, when)
    return doc.to_bytes()


def write_hall_report(rep: HallReport, out: str | Path) -> Path:
    """Write the report as xlsx or docx (by the file's suffix)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        out.write_bytes(hall_report_xlsx(rep))
    elif suffix == ".docx":
        out.write_bytes(hall_report_docx(rep))
    else:
        raise WorkbenchError(f"报告文件名应以 .xlsx 或 .docx 结尾:{out.name}")
    return out
