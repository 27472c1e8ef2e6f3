"""``python -m sim sweep SPEC`` — halls × variants × replications, on Dask, as one tidy table."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.cli import print_json
from core.errors import WorkbenchError

from ..sweep import load_spec, run_sweep, summarise
from .sim_cmd import _progress, _records


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sweep", help="多大厅×多方案×多次重复的仿真研究(Dask 并行),输出一张整洁表")
    p.add_argument("spec", help="研究方案文件(.toml 或 .json:halls、variants、reps、days、seed、target)")
    p.add_argument("--workers", type=int, default=None, help="本机并行进程数(默认CPU数;1 = 在本进程内运行)")
    p.add_argument(
        "--scheduler",
        metavar="ADDR",
        help="已有的 Dask 调度器地址(tcp://主机:8786);默认取环境变量 WORKBENCH_DASK_SCHEDULER",
    )
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="以 JSON 输出每一行(大厅、方案、重复、种子、指标)")
    out.add_argument("--out", metavar="FILE", help="写入 .csv 或 .xlsx")
    p.set_defaults(func=cmd_sweep)


def cmd_sweep(args: argparse.Namespace) -> int:
    spec = load_spec(args.spec)
    if args.out and Path(args.out).suffix.lower() not in (".csv", ".xlsx"):
        raise WorkbenchError(f"--out {args.out}: 只能写 .csv 或 .xlsx")
    table = run_sweep(spec, workers=args.workers, scheduler=args.scheduler, progress=None if args.json else _progress)
    if args.json:
        print_json({"name": spec.name, "reps": spec.reps, "rows": _records(table)})
        return 0
    if args.out:
        if args.out.lower().endswith(".csv"):
            table.to_csv(args.out, index=False, encoding="utf-8-sig")
        else:
            table.to_excel(args.out, index=False, engine="openpyxl")
        print(f"已写入 {args.out}({len(table)}行)", file=sys.stderr)
    print(
        summarise(table)
        .round(3)
        .rename(
            columns={
                "hall": "大厅",
                "variant": "方案",
                "reps": "重复次数",
                "mean_wait": "平均等候(分钟)",
                "p90_wait": "90%等候(分钟)",
                "within_target": "达标率",
            }
        )
        .to_string(index=False)
    )
    return 0
