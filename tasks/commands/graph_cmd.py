"""``python -m tasks graph PATH… [--predecessors FILE] [--json] [--slip ID DAYS] [--export DIR]``.

Prints the programme as a network: counts, deadline inversions, the critical
path by deadlines, the tightest tasks, the most loaded units, collaboration
pairs and hub units; ``--slip`` adds what a delay of one task puts at risk.
Several PATHs give one combined graph whose task ids are ``<file stem>/<id>``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..cli import print_json
from ..errors import WorkbenchError
from ..graph import (
    analyse,
    build_combined,
    build_graph,
    collaboration_pairs,
    expand_collectives,
    export_all,
    load_members,
    predecessor_file_beside,
    read_predecessor_file,
    require_task,
    slip_impact,
    unit_centrality,
    unit_load,
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "graph",
        help="依赖关系图:倒挂、关键路径、延误影响、单位负荷",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="方案文件(xlsx/xls/csv/txt/docx/html),可多个")
    p.add_argument(
        "--predecessors",
        action="append",
        metavar="FILE",
        help="前置任务文件(csv/xlsx,列“任务,前置任务”);多个方案时按顺序各给一个",
    )
    p.add_argument("--slip", nargs=2, metavar=("ID", "DAYS"), help="任务 ID 延误 DAYS 天的影响")
    p.add_argument("--export", metavar="DIR", help="导出 GraphML、GEXF、边列表和图片到该目录")
    p.add_argument("--focus", metavar="ID", help="图片只画该任务及其相邻节点")
    p.add_argument("--members", metavar="FILE", help="集体单位成员表(默认为随程序提供的示例表)")
    p.add_argument("--expand-collective", action="store_true", help="把集体单位展开到成员单位")
    p.add_argument("--top", type=int, default=10, help="列出前 N 个单位(默认 10)")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=run)


def _plan_keys(paths: list[Path]) -> list[str]:
    keys: list[str] = []
    for p in paths:
        k = p.stem.replace("/", "-") or "plan"
        keys.append(k if k not in keys else f"{k}-{len(keys) + 1}")
    return keys


def _build(args: argparse.Namespace):
    from ..importers import load_plan

    paths = [Path(p) for p in args.paths]
    given = args.predecessors or []
    if given and len(given) != len(paths):
        raise WorkbenchError(f"给了{len(paths)}个方案、{len(given)}个前置任务文件:多个方案时请按顺序各给一个")
    plans = [load_plan(p) for p in paths]
    link_files = [Path(f) for f in given] if given else [predecessor_file_beside(p) for p in paths]
    links = [read_predecessor_file(f) if f else [] for f in link_files]
    if len(plans) == 1:
        g = build_graph(plans[0], links[0])
    else:
        keys = _plan_keys(paths)
        g = build_combined(dict(zip(keys, plans)), dict(zip(keys, links)))
    if args.expand_collective:
        members = load_members(args.members)
        if not members:
            raise WorkbenchError("没有集体单位成员表,请用 --members 指定(列“集体单位,成员单位”)")
        g = expand_collectives(g, members)
    return g, plans, [str(f) for f in link_files if f]


def _result(args: argparse.Namespace) -> dict[str, Any]:
    if args.focus and not args.export:
        raise WorkbenchError("--focus 只决定导出图片画哪个任务,请同时用 --export DIR 指定导出目录")
    g, plans, files = _build(args)
    if args.focus:
        require_task(g, args.focus)  # before anything is written
    out: dict[str, Any] = {"plans": [p.title or p.source_file for p in plans], "predecessor_files": files}
    a = analyse(g)
    out.update(
        {
            "counts": a["counts"],
            "excluded": a["excluded"],
            "inversions": a["inversions"],
            "critical_path": a["critical_path"]["tasks"],
            "critical_path_steps": a["critical_path"]["steps"],
            "critical_path_slack_days": a["critical_path"]["total_slack_days"],
            "slack": a["slack"],
            "least_slack": a["least_slack"],
        }
    )
    load, pairs = unit_load(g), collaboration_pairs(g)
    out.update(
        {
            "top_units": load[: args.top],
            "collaboration_pairs": pairs[: args.top],
            "centrality": unit_centrality(g, top=args.top, load=load, pairs=pairs),
        }
    )
    if args.slip:
        try:
            days = int(args.slip[1])
        except ValueError:
            raise WorkbenchError(f"--slip 的天数“{args.slip[1]}”不是整数") from None
        impact = slip_impact(g, args.slip[0], days)
        out["affected_tasks"] = impact["affected_tasks"]
        out["slip"] = impact
    if args.export:
        out["exports"] = [str(p) for p in export_all(g, args.export, focus=args.focus)]
    return out


def _print_human(r: dict[str, Any]) -> None:
    c = r["counts"]
    print(f"方案:{';'.join(r['plans'])}")
    if r["predecessor_files"]:
        print(f"前置任务文件:{';'.join(r['predecessor_files'])}")
    print(
        f"任务 {c['tasks']} 项(有完成日期 {c['dated_tasks']} 项),单位 {c['units']} 个,"
        f"章节 {c['sections']} 个,前置关系 {c['predecessor_links']} 条"
    )
    if r["excluded"]:
        print(f"长期/无时限任务(不参与日期分析):{'、'.join(r['excluded'])}")
    print("\n【时限倒挂】任务的完成时限早于其前置任务")
    for inv in r["inversions"] or []:
        print(
            f"  任务{inv['task']}({inv['task_due']})早于前置任务{inv['predecessor']}"
            f"({inv['predecessor_due']}){inv['days']}天"
        )
    if not r["inversions"]:
        print("  无")
    print("\n【关键路径】最长的先后衔接任务链(同长取最紧的)")
    if r["critical_path"]:
        print("  " + " → ".join(f"{s['task']}({s['due']})" for s in r["critical_path_steps"]))
        print(f"  共{len(r['critical_path'])}项,首尾相隔{r['critical_path_slack_days']}天")
    else:
        print("  无(没有前置关系)")
    if r["least_slack"]:
        print("\n【余量最少的任务】可延误天数(负数表示下游已有更早的时限)")
        for s in r["least_slack"][:5]:
            print(f"  任务{s['task']}:{s['slack_days']}天")
    print("\n【任务最多的单位】")
    for u in r["top_units"]:
        mark = "(集体单位)" if u["collective"] else ""
        print(f"  {u['unit']}{mark}:牵头{u['led']}项,参与{u['joined']}项,未完成{u['open']}项")
    if r["collaboration_pairs"]:
        print("\n【经常协作的单位】")
        for pr in r["collaboration_pairs"][:5]:
            print(f"  {pr['units'][0]} + {pr['units'][1]}:共同承担{pr['tasks']}项")
    cen = r["centrality"]
    if cen["units"]:
        print(f"\n【枢纽单位】({cen['method']})")
        for u in cen["units"][:5]:
            print(f"  {u['rank']}. {u['unit']}:{u['reason']}")
    if "slip" in r:
        s = r["slip"]
        print(f"\n【延误影响】任务{s['task']}延误{s['days']}天,完成日期由{s['due']}推迟到{s['finish']}")
        if s["details"]:
            for d in s["details"]:
                units = "、".join(d["lead_units"]) or "—"
                print(f"  任务{d['task']}:时限{d['due']},将推迟到{d['finish']}(超期{d['days_late']}天),牵头:{units}")
            print("  涉及单位:" + "、".join(u["unit"] for u in s["affected_units"]))
        else:
            print("  没有后续任务受影响")
        if s["absorbed_by"]:
            print(f"  时限余量足以吸收延误的后续任务:{'、'.join(s['absorbed_by'])}")
    if "exports" in r:
        print("\n已导出:")
        for p in r["exports"]:
            print(f"  {p}")


def run(args: argparse.Namespace) -> int:
    result = _result(args)
    if args.json:
        print_json(result)
    else:
        _print_human(result)
    return 0
