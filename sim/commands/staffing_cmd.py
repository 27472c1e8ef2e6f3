"""``python -m sim erlang|staff|roster``: windows needed per slot, who works when, and the proof."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from core.cli import print_json
from core.errors import WorkbenchError
from core.safe_export import save_workbook

if TYPE_CHECKING:
    from ..staffing import StaffingReport


def _erlang(args: argparse.Namespace) -> int:
    from sim.erlang import beta_for_p_wait, sqrt_staffing, staff_for
    from sim.targets import parse_target

    target = parse_target(args.target)
    if args.arrival_rate < 0 or args.service_rate <= 0:
        raise WorkbenchError("到达率须不小于0、服务率须大于0(单位:人/分钟)")
    try:
        res = staff_for(
            args.arrival_rate,
            args.service_rate,
            within=target.within if target.within else 15.0,
            percent=target.percent,
            max_mean_wait=target.max_mean_wait,
            minimum=args.minimum,
        )
    except ValueError:
        raise WorkbenchError(
            f"负荷过大:需要超过10万个窗口才能满足“{target.text}”,请检查到达率与服务率的单位(人/分钟)"
        ) from None
    data = res.to_dict() | {
        "offered_load": args.arrival_rate / args.service_rate,
        "target": target.text,
        "definition": target.definition(),
    }
    if 0 < res.p_wait < 1:  # the square-root rule at the same delay probability, to compare
        beta = beta_for_p_wait(res.p_wait)
        data["sqrt_rule"] = {"beta": beta, "servers": sqrt_staffing(args.arrival_rate, args.service_rate, beta)}
    if args.json:
        print_json(data)
    else:
        print(
            f"至少需要 {res.servers} 个窗口:等候概率 {res.p_wait:.3f},平均等候 {res.mean_wait:.2f} 分钟,"
            f"{target.within or 15:g} 分钟内叫号比例 {res.service_level:.1%},窗口利用率 {res.utilisation:.1%}"
        )
        if "sqrt_rule" in data:
            print(f"平方根法则(β={data['sqrt_rule']['beta']:.2f}):{data['sqrt_rule']['servers']} 个窗口")
        print(target.definition())
    return 0


def _staff(args: argparse.Namespace) -> int:
    from sim.scenario_io import load_scenario
    from sim.staffing import staffing_report
    from sim.targets import parse_target

    scenario = load_scenario(args.scenario)
    target = parse_target(args.target, scope=args.scope, counted=args.counted)
    rep = staffing_report(
        scenario,
        target,
        args.method,
        reps=args.reps,
        seed=args.seed,
        trim=args.trim,
        check_reps=args.check_reps,
        with_ci=True,
    )
    if args.xlsx:
        write_staffing_xlsx(rep, args.xlsx)
    if args.json:
        print_json(rep.to_dict())
        return 0
    e, c = rep.erlang, rep.sim
    print(rep.target["definition"])
    print(
        f"检验:新随机种子仿真 {e.fresh_reps} 周;逐时段达标率95%置信半宽平均 "
        f"{e.ci95_halfwidth_mean or 0:.1%},最大 {e.ci95_halfwidth_max or 0:.1%}"
    )
    print(
        f"逐时段Erlang C:每周 {e.staff_hours_per_week:.1f} 窗口·小时,仿真中 "
        f"{e.slots_meeting_target}/{e.open_slots} 个时段达标"
    )
    if c:
        print(
            f"仿真修正:每周 {c.staff_hours_per_week:.1f} 窗口·小时,仿真中 "
            f"{c.slots_meeting_target}/{c.open_slots} 个时段达标({c.stop_reason})"
        )
    if target.scope == "day":
        for p, label in ((e, "逐时段Erlang C"), (c, "仿真修正")):
            if p:
                print(f"{label}:按全天汇总,{p.group_days_meeting_target}/{p.group_days} 个窗口组·星期达标")
    if args.xlsx:
        print(f"已写出 {args.xlsx}")
    return 0


STAFF_HEAD = {
    "group": "窗口组",
    "weekday_cn": "星期",
    "slot_start": "时段开始",
    "customers": "仿真取号人次",
    "erlang_windows": "Erlang C窗口数",
    "erlang_predicted_level": "Erlang C预测达标率",
    "erlang_sim_level": "Erlang C方案仿真达标率",
    "erlang_met": "Erlang C方案达标",
    "erlang_ci95": "Erlang C方案达标率95%置信半宽",
    "erlang_day_level": "Erlang C方案全天汇总达标率",
    "sim_windows": "仿真修正窗口数",
    "sim_level": "仿真修正方案达标率",
    "sim_ci95": "仿真修正方案达标率95%置信半宽",
    "sim_day_level": "仿真修正方案全天汇总达标率",
    "sim_met": "仿真修正方案达标",
}


def write_staffing_xlsx(rep: StaffingReport, path: str) -> None:
    """Per-slot table of both methods side by side, misses highlighted, and a summary sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "逐时段对比"
    present = set().union(*(r.keys() for r in rep.slots)) if rep.slots else set()
    cols = [k for k in STAFF_HEAD if k in present or k in ("customers",)]
    ws.append([STAFF_HEAD[k] for k in cols])
    for c in ws[1]:
        c.font = Font(bold=True)
    miss = PatternFill("solid", fgColor="F8CBAD")
    for r in rep.slots:
        ws.append(
            [
                {True: "是", False: "否", None: ""}.get(r.get(k), r.get(k))
                if isinstance(r.get(k), bool) or r.get(k) is None
                else r.get(k)
                for k in cols
            ]
        )
        for j, k in enumerate(cols, start=1):
            if k.endswith("_met") and r.get(k) is False:
                ws.cell(ws.max_row, j).fill = miss
    ws.freeze_panes = "D2"
    info = wb.create_sheet("汇总")
    info.append([rep.target["definition"]])
    e = rep.erlang
    info.append(
        [
            f"检验:新随机种子仿真 {e.fresh_reps} 周;逐时段达标率95%置信半宽平均 "
            f"{e.ci95_halfwidth_mean or 0:.1%},最大 {e.ci95_halfwidth_max or 0:.1%}"
        ]
    )
    for p, label in ((rep.erlang, "逐时段Erlang C"), (rep.sim, "仿真修正")):
        if p:
            info.append(
                [
                    f"{label}:每周 {p.staff_hours_per_week:.1f} 窗口·小时;仿真达标时段 "
                    f"{p.slots_meeting_target}/{p.open_slots};{p.stop_reason}"
                ]
            )
    info.column_dimensions["A"].width = 110
    save_workbook(wb, path)


def _roster(args: argparse.Namespace) -> int:
    import datetime as dt

    from sim.roster_io import export_roster, read_staff
    from sim.scenario import min_to_hm
    from sim.scenario_io import load_scenario
    from sim.targets import parse_target
    from sim.verify import roster_for_scenario, verify_roster

    scenario = load_scenario(args.scenario)
    people, shifts = read_staff(args.staff, [g.name for g in scenario.groups])
    target = parse_target(args.target, scope=args.scope, counted=args.counted)
    start = dt.date.fromisoformat(args.start) if args.start else None
    if args.weeks < 1 or args.weeks > 12:
        raise WorkbenchError("--weeks 应在1到12之间")
    options = _roster_rules(args)
    if args.ab:
        from sim.roster_certify import pair_backups

        people = pair_backups(people)
    result, plan, cal, rostered = roster_for_scenario(
        scenario,
        people,
        shifts,
        weeks=args.weeks,
        start=start,
        target=target,
        method=args.method,
        time_limit=args.time_limit,
        reps=args.reps,
        seed=args.seed,
        **options,
    )
    if not result.assignments and result.status not in ("OPTIMAL", "FEASIBLE"):
        if result.status == "INFEASIBLE":
            raise WorkbenchError(
                f"{args.staff}: 排班规则无法同时满足(周末值班均衡、调休、每周至多5天、"
                "不可排班日期相互冲突):请检查“人员”表的不可排班日期与可办理窗口组"
            )
        raise WorkbenchError(f"排班求解在时限内未找到方案(状态 {result.status}):请放宽时限 --time-limit")
    ver = verify_roster(scenario, result, cal, target, rostered, plan, reps=args.verify_reps) if args.verify else None
    cert = None
    if args.certify:
        from sim.roster_certify import certify

        cert = certify(
            scenario,
            result,
            people,
            shifts,
            cal,
            target,
            rostered,
            plan,
            leave_rate=args.leave_rate,
            reps=args.certify_reps,
            confidence=args.confidence,
            required=args.required,
        )
    if args.out:
        export_roster(
            result, people, shifts, args.out, verification=ver, definition=target.definition(), certificate=cert
        )
    out = result.summary() | {
        "rostered_groups": sorted(rostered),
        "people": len(people),
        "days": len(cal),
        "start": cal[0].date.isoformat(),
        "target": target.text,
        "definition": target.definition(),
        "shortfall": [
            {"group": g, "date": d.isoformat(), "slot_start": min_to_hm(s), "missing": n}
            for g, d, s, n in result.shortfall_list()
        ],
        "weekend_duties": result.weekend_duties,
    }
    if cert is not None:
        out["certificate"] = {
            "fit": cert.fit,
            "reps": cert.reps,
            "holds": cert.holds,
            "leave_rate": cert.leave_rate,
            "confidence": cert.confidence,
            "required": cert.required,
            "lower_bound": round(cert.lower_bound, 4),
            "text": cert.text,
        }
    if ver:
        out |= {k: v for k, v in ver.items() if k not in ("target",)}
        out["failed_slots"] = [r for r in ver["slots"] if not r["pass"]]
        if not args.slots:
            out.pop("slots")
            out.pop("group_day_results")
    if args.json:
        print_json(out)
        return 0
    print(f"排班:{len(people)} 人 × {len(cal)} 天({cal[0].date} 起),窗口组:{'、'.join(sorted(rostered))}")
    print(
        f"求解状态 {result.status},相对差距 {result.gap if result.gap is not None else '—'},"
        f"用时 {result.wall_seconds:.1f} 秒;缺口时段 {len(result.shortfall)} 个;"
        f"周末值班极差 {result.weekend_duty_spread};工时比 {out['paid_to_required'] or 0:.2f}"
    )
    if result.person_band:
        from sim.roster_io import band_lines

        print(*band_lines(result), sep="\n")
    if ver:
        print(
            f"仿真验证:{ver['slots_meeting_target']}/{ver['open_slots']} 个开放时段达标;按全天汇总 "
            f"{ver['group_days_meeting_target']}/{ver['group_days']} 个窗口组·日达标"
        )
    if cert is not None:
        print(cert.text)
    if args.out:
        print(f"已写出 {args.out}")
    return 0


def _roster_rules(args: argparse.Namespace) -> dict:
    """AB岗 and balance options for :func:`sim.roster.solve_roster` from the command line."""
    from sim.roster import Balance

    band = None
    auto = (args.hours_band or "").strip().lower() in ("auto", "自动")
    if args.hours_band and not auto:
        try:
            lo, hi = (float(x) for x in args.hours_band.replace("~", "-").split("-"))
        except ValueError:
            raise WorkbenchError(f"--hours-band 应写成“下限-上限”(小时),如 120-160,而不是“{args.hours_band}”") from None
        if not 0 <= lo <= hi:
            raise WorkbenchError("--hours-band 的下限应不大于上限且不小于0")
        band = (lo, hi)
    for name in ("max_half_days", "max_lent_days"):
        v = getattr(args, name)
        if v is not None and v < 0:
            raise WorkbenchError(f"--{name.replace('_', '-')} 应为不小于0的天数")
    out: dict = {"ab_cover": bool(args.ab)}
    if band or auto or args.max_half_days is not None or args.max_lent_days is not None:
        out["balance"] = Balance(band, args.max_half_days, args.max_lent_days, auto_band=auto)
    return out


def _add_target_args(p) -> None:
    """The service target and its definition (scope, what is counted), shared by ``staff`` and ``roster``."""
    p.add_argument("--target", default="90%<=15")
    p.add_argument(
        "--scope",
        choices=["slot", "day"],
        default="slot",
        help="达标口径:slot 每个半小时时段分别判定;day 每个窗口组全天汇总判定",
    )
    p.add_argument(
        "--counted",
        choices=["arrivals", "served"],
        default="arrivals",
        help="计数口径:arrivals 全部取号者(离开未办者计为未达标);served 仅已办结者",
    )


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("erlang", help="Erlang C 计算器:满足服务目标的最少窗口数")
    p.add_argument("--arrival-rate", type=float, required=True, help="到达率(人/分钟)")
    p.add_argument("--service-rate", type=float, required=True, help="每窗口服务率(人/分钟)")
    p.add_argument("--target", default="90%<=15", help='服务目标,如 "90%%<=15"、"mean<=10" 或两者')
    p.add_argument("--minimum", type=int, default=0, help="窗口数下限")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_erlang)

    p = sub.add_parser("staff", help="各窗口组每个星期几、每半小时需开窗口数(Erlang C 与仿真修正对比)")
    p.add_argument("scenario", help="场景文件(xlsx 或 JSON)")
    _add_target_args(p)
    p.add_argument("--method", choices=["erlang", "sim"], default="sim")
    p.add_argument("--reps", type=int, default=30, help="每轮仿真的重复次数(每次一周)")
    p.add_argument("--trim", action="store_true", help="仿真修正时也削减富余时段的窗口(窗口工时更少,但时段曲线更起伏)")
    p.add_argument(
        "--check-reps", type=int, default=60, help="用新随机种子检验两种方案时仿真的周数(越多,逐时段达标判定越可靠)"
    )
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", action="store_true")
    p.add_argument("--xlsx", metavar="OUT")
    p.set_defaults(func=_staff)

    p = sub.add_parser("roster", help="按人员名单排班(CP-SAT),可用仿真验证")
    p.add_argument("scenario", help="场景文件(xlsx 或 JSON)")
    p.add_argument("staff", help="人员名单 xlsx(工作表“人员”,可选“班次”)")
    p.add_argument("--weeks", type=int, default=4)
    p.add_argument("--start", help="起始日期(取其当天或之后的第一个周一),默认场景起始日期")
    p.add_argument("--out", help="排班表 xlsx")
    _add_target_args(p)
    p.add_argument("--method", choices=["erlang", "sim"], default="sim", help="需求来源")
    p.add_argument("--time-limit", type=float, default=30.0, help="求解时限(秒)")
    p.add_argument("--reps", type=int, default=30, help="仿真修正需求时每轮仿真的周数")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--verify", action="store_true", help="用新随机种子仿真排班,逐时段判定是否达标")
    p.add_argument("--verify-reps", type=int, default=10, help="验证仿真的重复次数(每次整个排班期)")
    p.add_argument("--slots", action="store_true", help="JSON 中输出每个时段及每个窗口组·日的验证结果")
    p.add_argument(
        "--ab",
        action="store_true",
        help="AB岗:每人须有备岗人员(名单未指定时按同组顺序自动指定两名),请假会使岗位无人时不予批准",
    )
    p.add_argument(
        "--hours-band",
        metavar="LO-HI|auto",
        help="排班期内每人计薪工时范围(小时),如 120-160;auto 为按需求和合同工时自动确定",
    )
    p.add_argument("--max-half-days", type=int, default=None, help="每人半天班次上限")
    p.add_argument("--max-lent-days", type=int, default=None, help="每人支援其他窗口组的天数上限")
    p.add_argument("--certify", action="store_true", help="随机缺勤、AB岗顶岗后重复仿真,判定排班是否可以发布")
    p.add_argument("--leave-rate", type=float, default=0.05, help="每个班次临时缺勤的概率(默认0.05)")
    p.add_argument("--certify-reps", type=int, default=20, help="可靠性检验的仿真次数")
    p.add_argument("--confidence", type=float, default=0.9, help="可靠性检验的置信度")
    p.add_argument("--required", type=float, default=0.8, help="发布要求:达标概率的下限")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_roster)
