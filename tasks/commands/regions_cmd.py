"""Region commands (a province on one deployment): compare cities, register cities and counties,
move a plan to another region.

    python -m tasks regions --json                      # figures per city (the provincial office)
    python -m tasks regions --by region --as-of 2021-10-31
    python -m tasks regions add 甲市
    python -m tasks regions add 乙县 --parent 甲市
    python -m tasks regions list [--json]
    python -m tasks regions plan 某某方案 甲市            # the plan now belongs to 甲市 (本级: back to the province)

Each acts as ``--as ACCOUNT`` (default: the office, ``cli``); a refusal prints one ``error:`` line,
exits 2 and changes nothing.
"""

from __future__ import annotations

import argparse

from ..cli import print_json
from .progress_cmd import _date, _store

__all__ = ["register"]


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def cmd_compare(args: argparse.Namespace) -> int:
    from ..regions import comparison_conclusion

    rows, period = _store().compare_regions(args.as_of, by=args.by)
    if args.json:
        print_json(
            {
                "by": args.by,
                "period": period,
                "regions": [r.to_dict() for r in rows],
                "conclusion": comparison_conclusion(rows),
            }
        )
        return 0
    print(f"各地区比较({'按市,含所辖县' if args.by == 'city' else '按地区'};报送率按 {period or '—'} 期)")
    print("地区      计划  任务  已办结  逾期  报送率  红牌")
    for r in rows:
        print(
            f"{r.region:<8} {r.plans:>4} {r.tasks:>5} {r.done:>6} {r.overdue:>5} {_pct(r.report_rate):>6} {r.red_cards:>4}"
        )
    print(comparison_conclusion(rows))
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    r = _store().add_region(args.name, parent=args.parent)
    print(f"已登记{r.label}" + ("(县级)" if r.kind == "county" else "(市级)"))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from ..regions import KIND_NAMES

    store = _store()
    regions = store.regions()
    plans = store.plan_regions()
    if args.json:
        print_json(
            [
                {
                    "name": r.name,
                    "kind": r.kind,
                    "parent": r.parent,
                    "plans": sorted(k for k, v in plans.items() if v == r.name),
                }
                for r in regions
            ]
        )
        return 0
    if not regions:
        print("尚未登记地区(python -m tasks regions add 某某市)")
    for r in regions:
        mine = [k for k, v in plans.items() if v == r.name]
        print(f"{r.label:<16} {KIND_NAMES[r.kind]:<6} 计划 {len(mine)} 个{(':' + '、'.join(mine)) if mine else ''}")
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    before = _store().set_plan_region(args.plan, args.region)
    if before is None:
        print(f"计划“{args.plan}”已属于{args.region},未作改动")
    else:
        print(f"计划“{args.plan}”已由{before}调整为{args.region}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from .supervision_cmd import one_line_errors

    p = one_line_errors(sub.add_parser("regions", help="各市县比较;登记市县;调整计划所属地区(省级办公室)"))
    p.add_argument("--as-of", type=_date, help="比较的日期(默认今天)")
    p.add_argument(
        "--by", choices=["city", "region"], default="city", help="city:按市汇总(含所辖县);region:每个地区单列"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_compare)
    actions = p.add_subparsers(dest="regions_command", required=False, metavar="ACTION")

    a = one_line_errors(actions.add_parser("add", help="登记市或县(县可用 --parent 指定所属市)"))
    a.add_argument("name")
    a.add_argument("--parent", help="所属市(县、区)")
    a.set_defaults(func=cmd_add)

    a = one_line_errors(actions.add_parser("list", help="列出已登记的市县及其计划"))
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_list)

    a = one_line_errors(actions.add_parser("plan", help="调整计划所属的市县(“本级”:不属于任何市县)"))
    a.add_argument("plan")
    a.add_argument("region")
    a.set_defaults(func=cmd_plan)
