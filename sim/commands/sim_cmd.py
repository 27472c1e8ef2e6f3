"""``python -m sim run | mmc | compare | calibrate`` — the hall simulation from the command line."""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.cli import print_json
from core.safe_export import safe_frame

from .. import labels
from ..calibrate import calibrate
from ..compare import compare
from ..hall import simulate, simulate_arrays
from ..replicate import Replications, rep_seeds, replicate
from ..results import KPI_LABELS_CN, TABLE_CN, adjustments_frame, kpis
from ..scenario_io import load_scenario, save_scenario
from ..sweep import apply_variant

LOG_CN = labels.CUSTOMER_LOG


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="仿真一个大厅场景(xlsx或JSON),输出指标与置信区间")
    p.add_argument("scenario")
    p.add_argument("--days", type=int, default=None, help="仿真天数(默认取场景日历)")
    p.add_argument("--reps", type=int, default=5, help="重复次数(默认5)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workers", type=int, default=None, help="并行进程数(默认CPU数)")
    p.add_argument(
        "--scheduler",
        metavar="ADDR",
        help="已有的 Dask 调度器地址(tcp://主机:8786);默认取环境变量 WORKBENCH_DASK_SCHEDULER,没有则在本机启动",
    )
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="以JSON输出")
    out.add_argument("--xlsx", metavar="OUT", help="把指标、调整记录和顾客明细写入xlsx")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("mmc", help="M/M/c 排队(与大厅同一模型代码),时间单位分钟")
    p.add_argument("--servers", type=int, required=True)
    p.add_argument("--arrival-rate", type=float, required=True, help="每分钟到达人数")
    p.add_argument("--service-rate", type=float, required=True, help="每窗口每分钟办结人数")
    p.add_argument("--customers", type=int, default=100000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_mmc)

    p = sub.add_parser("compare", help="并排比较多个场景(共同随机数)")
    p.add_argument("scenarios", nargs="+")
    p.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="KIND[:ARG]",
        help="由第一个场景派生的对照方案,可重复:policy:on|off(动态调整)、rota:on|off(周末轮班)、"
        "pooled:组1,组2,…(合并为综合窗口,人数不变)",
    )
    p.add_argument("--days", type=int, default=None)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--scheduler", metavar="ADDR", help="已有的 Dask 调度器地址(tcp://主机:8786)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("calibrate", help="由叫号记录(取号/叫号/办结时间、窗口、业务类型)标定场景")
    p.add_argument("log")
    p.add_argument("--base", help="基础场景:保留其窗口组、策略和日历,只替换到达与办理参数")
    p.add_argument("--out", help="把标定出的场景写入 .xlsx 或 .json")
    p.add_argument("--empirical", action="store_true", help="办理时长用经验样本而非对数正态")
    p.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="确认跳过无法读取的行,只用其余的行标定(默认:有无法读取的行时报错并列出)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_calibrate)


def _num(v: Any) -> Any:
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(v) else round(float(v), 4)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def _records(df: pd.DataFrame) -> list[dict]:
    return [{k: _num(v) for k, v in r.items()} for r in df.to_dict("records")]


def _progress(done: int, total: int) -> None:
    print(f"\r仿真进度 {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)


def _ci_text(r: Replications) -> pd.DataFrame:
    ci = r.ci[r.ci["metric"].isin(KPI_LABELS_CN)]
    return pd.DataFrame(
        {
            "指标": [KPI_LABELS_CN[m] for m in ci["metric"]],
            "均值": ci["mean"].round(3),
            "95%置信区间": [f"[{a:.3f}, {b:.3f}]" for a, b in zip(ci["lo"], ci["hi"])],
        }
    )


def cmd_run(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    r = replicate(
        scenario,
        reps=args.reps,
        days=args.days,
        seed=args.seed,
        workers=args.workers,
        progress=None if args.json else _progress,
        scheduler=args.scheduler,
    )
    if args.json:
        print_json(
            {
                "scenario": scenario.name,
                "reps": args.reps,
                "seed": args.seed,
                "seeds": r.seeds,
                "customers": r.customers,
                "wall_seconds": round(r.wall_seconds, 3),
                "ci": _records(r.ci),
                **{k: _records(v) for k, v in r.tables.items()},
                "adjustments_rep0": _records(r.adjustments),
            }
        )
        return 0
    if args.xlsx:
        run0 = simulate(scenario, days=args.days, seed=rep_seeds(args.seed, args.reps)[0])
        k = kpis(run0)
        with pd.ExcelWriter(args.xlsx, engine="openpyxl") as xw:
            safe_frame(_ci_text(r)).to_excel(xw, sheet_name="总体指标", index=False)
            for key, title in (
                ("by_type", "按业务"),
                ("by_group", "按窗口组"),
                ("by_weekday", "按星期"),
                ("by_slot", "按时段"),
            ):
                safe_frame(r.tables[key].rename(columns=TABLE_CN)).to_excel(xw, sheet_name=title, index=False)
            safe_frame(adjustments_frame(k["adjustments"])).to_excel(xw, sheet_name="窗口调整记录", index=False)
            safe_frame(k["log"].rename(columns=LOG_CN)).to_excel(xw, sheet_name="顾客明细(第1次)", index=False)
        print(f"已写入 {args.xlsx}")
        return 0
    print(
        f"场景:{scenario.name}  重复{args.reps}次  种子{args.seed}  顾客{r.customers}人次  用时{r.wall_seconds:.1f}秒"
    )
    print(_ci_text(r).to_string(index=False))
    print("\n按窗口组(各次平均):")
    cols = [
        "group",
        "customers",
        "mean_wait",
        "p90_wait",
        "within_target",
        "utilisation",
        "overtime_minutes",
        "adjustments",
    ]
    print(r.tables["by_group"][cols].rename(columns=TABLE_CN).round(2).to_string(index=False))
    return 0


def mmc(servers: int, arrival_rate: float, service_rate: float, customers: int, seed: int) -> dict[str, Any]:
    """M/M/c by the hall model: the ``python -m sim mmc`` contract (minutes, rates per minute)."""
    if servers < 1 or arrival_rate <= 0 or service_rate <= 0 or customers < 1:
        from core.errors import WorkbenchError

        raise WorkbenchError("参数应为正数:窗口数≥1,到达率、服务率>0,顾客数≥1")
    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    arrival = np.cumsum(rng.exponential(1.0 / arrival_rate, customers))
    service = rng.exponential(1.0 / service_rate, customers)
    w = simulate_arrays(arrival, service, servers).wait()
    return {
        "mean_wait": float(w.mean()),
        "p_wait": float((w > 0).mean()),
        "p_wait_gt": {"5": float((w > 5).mean()), "15": float((w > 15).mean())},
        "customers": int(customers),
        "wall_seconds": round(time.perf_counter() - t0, 4),
    }


def cmd_mmc(args: argparse.Namespace) -> int:
    out = mmc(args.servers, args.arrival_rate, args.service_rate, args.customers, args.seed)
    if args.json:
        print_json(out)
    else:
        print(
            f"平均等候 {out['mean_wait']:.3f} 分钟;需等候比例 {out['p_wait']:.3f};"
            f"等候超5分钟 {out['p_wait_gt']['5']:.3f};超15分钟 {out['p_wait_gt']['15']:.3f};"
            f"{out['customers']}人,用时{out['wall_seconds']:.2f}秒"
        )
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    scenarios = [load_scenario(p) for p in args.scenarios]
    for p, s in zip(args.scenarios, scenarios):
        if [x.name for x in scenarios].count(s.name) > 1:
            s.name = Path(p).stem
    scenarios += [variant(scenarios[0], v) for v in args.variant]
    c = compare(
        scenarios,
        reps=args.reps,
        days=args.days,
        seed=args.seed,
        workers=args.workers,
        progress=None if args.json else _progress,
        scheduler=args.scheduler,
    )
    if args.json:
        print_json({"scenarios": c.names, "table": _records(c.table), "diff": _records(c.diff)})
        return 0
    pd.set_option("display.width", 200)
    print(c.table[["指标"] + c.names].round(3).to_string(index=False))
    if len(c.names) > 1:
        print(f"\n与“{c.names[0]}”之差(共同随机数,配对95%置信区间):")
        d = c.diff.assign(区间=[f"[{a:.3f}, {b:.3f}]" for a, b in zip(c.diff["lo"], c.diff["hi"])])
        print(
            d[["指标", "scenario", "difference", "区间"]]
            .rename(columns={"scenario": "场景", "difference": "差值"})
            .round(3)
            .to_string(index=False)
        )
    return 0


def variant(base, spec: str):
    """``policy:off``, ``rota:on``, ``pooled:户籍,交警`` → a scenario derived from ``base``."""
    return apply_variant(base, spec)


def cmd_calibrate(args: argparse.Namespace) -> int:
    base = load_scenario(args.base) if args.base else None
    from ..ticketlog import accept, read_ticket_log

    log = accept(read_ticket_log(Path(args.log)), args.skip_bad_rows)
    for p in log.problems:
        print(f"已跳过无法读取的行:{p.text(log.file, log.sheet)}", file=sys.stderr)
    cal = calibrate(log, base, empirical=args.empirical)
    if args.out:
        save_scenario(cal.scenario, args.out)
    if args.json:
        print_json({"scenario": cal.scenario.to_dict(), "report": _records(cal.report), "routes": _records(cal.routes)})
    else:
        print(
            cal.report.round(3)
            .rename(
                columns={
                    "type": "业务类型",
                    "tickets": "记录数",
                    "service_mean": "平均办理时长",
                    "service_cv": "变异系数",
                    "appointment_share": "预约比例",
                    "no_show": "过号比例",
                    "route": "多窗联办路线",
                    "route_share": "联办比例",
                    "priority_share": "优先比例",
                }
            )
            .to_string(index=False)
        )
        if args.out:
            print(f"已写入 {args.out}")
    return 0
