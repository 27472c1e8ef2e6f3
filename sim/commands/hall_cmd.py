"""``python -m sim hall-report LOG [--ratings FILE] (--out FILE | --json)`` — the hall's statistics."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.cli import print_json

from ..hall_report import build_hall_report, hall_report_json, problem_lines, write_hall_report
from ..ratings import DEFAULT_FIX_LIMIT, read_ratings
from ..ticketlog import read_ticket_log


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("hall-report", help="由叫号记录(及好差评数据)生成大厅运行统计报告")
    p.add_argument("log", help="叫号记录 xlsx 或 csv(UTF-8 或 GBK)")
    p.add_argument("--ratings", metavar="FILE", help="好差评数据 xlsx 或 csv")
    p.add_argument(
        "--fix-limit",
        type=int,
        default=DEFAULT_FIX_LIMIT,
        metavar="DAYS",
        help=f"差评整改时限(工作日,默认{DEFAULT_FIX_LIMIT})",
    )
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("--out", metavar="FILE", help="写入 .xlsx 或 .docx")
    out.add_argument("--json", action="store_true", help="以JSON输出(时间单位分钟,比例为小数)")
    p.set_defaults(func=cmd_hall_report)


def cmd_hall_report(args: argparse.Namespace) -> int:
    from core.errors import WorkbenchError

    if args.fix_limit < 0:
        raise WorkbenchError("--fix-limit 应为不小于0的工作日数")
    if args.out and Path(args.out).suffix.lower() not in (".xlsx", ".docx"):
        raise WorkbenchError(f"报告文件名应以 .xlsx 或 .docx 结尾:{Path(args.out).name}")
    log = read_ticket_log(Path(args.log))
    ratings = read_ratings(Path(args.ratings)) if args.ratings else None
    rep = build_hall_report(log, ratings, args.fix_limit)
    for line in problem_lines(rep):
        print(line, file=sys.stderr)
    if args.json:
        print_json(hall_report_json(rep))
    else:
        write_hall_report(rep, args.out)
        print(f"已写入 {args.out}")
    return 0
