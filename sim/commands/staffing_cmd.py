"""``python -m sim erlang|staff|roster``: windows needed per slot, who works when, and the proof."""
from __future__ import annotations

import argparse

from tasks.cli import print_json
from tasks.errors import WorkbenchError


def _erlang(args: argparse.Namespace) -> int:
    from sim.erlang import staff_for
    from sim.targets import parse_target

    target = parse_target(args.target)
    if args.arrival_rate < 0 or args.service_rate <= 0:
        raise WorkbenchError("到达率须不小于0、服务率须大于0(单位:人/分钟)")
    res = staff_for(args.arrival_rate, args.service_rate, within=target.within if target.within else 15.0,
                    percent=target.percent, max_mean_wait=target.max_mean_wait, minimum=args.minimum)
    data = res.to_dict() | {"offered_load": args.arrival_rate / args.service_rate, "target": target.text,
                            "definition": target.definition()}
    if args.json:
        print_json(data)
    else:
        print(f"至少需要 {res.servers} 个窗口:等候概率 {res.p_wait:.3f},平均等候 {res.mean_wait:.2f} 分钟,"
              f"{target.within or 15:g} 分钟内叫号比例 {res.service_level:.1%},窗口利用率 {res.utilisation:.1%}")
        print(target.definition())
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("erlang", help="Erlang C 计算器:满足服务目标的最少窗口数")
    p.add_argument("--arrival-rate", type=float, required=True, help="到达率(人/分钟)")
    p.add_argument("--service-rate", type=float, required=True, help="每窗口服务率(人/分钟)")
    p.add_argument("--target", default="90%<=15", help='服务目标,如 "90%%<=15"、"mean<=10" 或两者')
    p.add_argument("--minimum", type=int, default=0, help="窗口数下限")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_erlang)
