"""Progress commands: ``load``, ``template``, ``upload``, ``status``, ``report``, ``periods``, ``reminders``.

All of them use the store at ``WORKBENCH_DB_URL`` (default ``var/workbench.db``)
and record the actor ``cli`` for every change.

    python -m tasks load data/plans/leiyang-2021-tasks.xlsx
    python -m tasks template --unit 市政务服务中心 --period 2021-09
    python -m tasks template --all --period 2021-09 --out 模板.zip
    python -m tasks upload 填报/*.xlsx            # check only
    python -m tasks upload 填报/*.xlsx --yes      # save the clean files
    python -m tasks status --as-of 2021-09-30 --json
    python -m tasks report --kind quarter --period 2021-Q3 --out 通报.docx
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from ..cli import print_json
from ..errors import WorkbenchError

ACTOR = "cli"


def _store():
    """The store as the acting account: the office (``cli``), or ``python -m tasks --as NAME …``."""
    from ..accounts import acting_store

    return acting_store()


def _date(text: str) -> date:
    from ..progress.upload import parse_date

    d = parse_date(text)
    if d is None:
        raise argparse.ArgumentTypeError(f"日期“{text}”无法识别,请写成 2021-09-30")
    return d


def cmd_load(args: argparse.Namespace) -> int:
    from ..importers import load_plan

    plan = load_plan(args.path)
    store = _store()
    res = store.load_plan_into_store(
        plan, ACTOR, key=args.plan, start=args.start, cycle=args.cycle, due_day=args.due_day, region=args.region
    )
    from .notify_cmd import after_load

    notice = after_load(store, res)  # 签收通知 for new tasks (issue 17), when a channel is on
    if notice:
        plan.warnings.append(notice)
    if args.json:
        print_json(
            {
                "plan": res.plan,
                "added": res.added,
                "updated": res.updated,
                "archived": res.archived,
                "unchanged": res.unchanged,
                "warnings": plan.warnings + res.warnings,
            }
        )
    else:
        print(res.summary())
        for w in plan.warnings + res.warnings:
            print(f"提示:{w}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from ..progress import all_templates_zip, load_rules, template_bytes, template_filename

    store = _store()
    rules = load_rules()
    store.open_period(args.period, ACTOR, grace_days=rules.grace_days)
    if args.all:
        out = Path(args.out or f"{args.period}_各单位进度填报模板.zip")
        out.write_bytes(all_templates_zip(store, args.period, args.plan))
    else:
        if not args.unit:
            raise WorkbenchError("请用 --unit 指定单位,或用 --all 生成全部单位的模板")
        out = Path(args.out) if args.out else Path(template_filename(args.unit, args.period))
        if out.is_dir():
            out = out / template_filename(args.unit, args.period)
        out.write_bytes(template_bytes(store, args.unit, args.period, args.plan))
    print(f"已生成:{out}")
    return 0


def cmd_upload(args: argparse.Namespace) -> int:
    from ..progress import load_rules, upload_files

    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        raise WorkbenchError(f"文件不存在:{'、'.join(missing)}")
    reports = upload_files(
        _store(),
        args.files,
        actor=ACTOR,
        save=args.yes,
        unit=args.unit,
        period=args.period,
        plan=args.plan,
        person=args.person,
        rules=load_rules(),
    )
    bad = any(r.problems for r in reports)
    if args.json:
        print_json([r.to_dict() for r in reports])
    else:
        for r in reports:
            print(r.summary())
        if not args.yes and any(r.ok for r in reports):
            print("以上为检查结果,尚未保存;确认无误后加 --yes 保存检查通过的文件。")
    return 1 if bad else 0


def cmd_status(args: argparse.Namespace) -> int:
    from ..progress import snapshot

    store = _store()
    snap = snapshot(store, args.as_of, plan=args.plan)
    if args.json:
        print_json(
            {"as_of": snap.as_of.isoformat(), "counts": snap.counts(), "tasks": [s.to_dict() for s in snap.statuses]}
        )
        return 0
    print(f"截至 {snap.as_of.isoformat()} 的任务状态:")
    for s in snap.statuses:
        card = f" 【{s.card_name}】{s.card_reason}" if s.card else ""
        print(f"  {s.id:>4} {s.status_label:<5} {s.percent:>5g}%  {s.title[:24]}({'、'.join(s.lead_units)}){card}")
    print("合计:" + ",".join(f"{k} {v}" for k, v in snap.counts().items()))
    if args.ranking:
        print("单位排名:" + snap.rules.scoring_text())
        for c in store.scorecards(snap.as_of, plan=args.plan, rules=snap.rules):  # a unit: its own row
            print(f"  {c.rank:>3}. {c.unit} {c.score:g} 分(逾期 {c.overdue},报送率 {c.compliance:.0%})")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    out = _store().write_report(args.kind, args.period, args.out, plan=args.plan, as_of=args.as_of)
    print(f"已生成:{out}")
    return 0


def cmd_periods(args: argparse.Namespace) -> int:
    from ..progress import load_rules

    store = _store()
    if args.open:
        store.open_period(args.open, ACTOR, grace_days=load_rules().grace_days)
    if args.close:
        store.close_period(args.close, ACTOR)
    rows = store.periods()
    if args.json:
        print_json([{"period": p.key, "start": p.start, "end": p.end, "due": p.due, "closed": p.closed} for p in rows])
    else:
        for p in rows:
            print(f"{p.key} {p.start}~{p.end} 报送期限 {p.due} {'已关闭' if p.closed else '开放'}")
        if not rows:
            print("尚无报告期(生成模板或上传填报时自动登记)")
    return 0


def cmd_reminders(args: argparse.Namespace) -> int:
    from ..progress import load_rules

    as_of = args.as_of or date.today()
    items = _store().reminders(as_of, args.period, plan=args.plan, rules=load_rules())  # a unit: its own
    if args.out:
        from ..progress import reminders_xlsx

        out = Path(args.out)
        if out.suffix.lower() != ".xlsx":
            raise WorkbenchError(f"催办名单文件名应以 .xlsx 结尾:{out.name}")
        out.write_bytes(reminders_xlsx(items, f"催办名单(截至 {as_of.isoformat()})"))
        print(f"已生成:{out}")
    if args.json:
        print_json([r.to_dict() for r in items])
    else:
        for r in items:
            print(r.text())
        if not items:
            print("没有需要催办的单位")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from .supervision_cmd import one_line_errors

    p = one_line_errors(sub.add_parser("load", help="把任务分解表导入(或更新到)进度库"))
    p.add_argument("path")
    p.add_argument("--plan", help="计划名称(默认取文件中的标题);同名再次导入即更新")
    p.add_argument("--start", type=_date, help="计划起始日 YYYY-MM-DD(此前的报告期不计未报)")
    p.add_argument("--cycle", choices=["monthly", "quarterly"], help="报送周期(默认按月)")
    p.add_argument("--due-day", type=int, help="报送截止日:1–15 为次期N日前,16–31 为当期N日前")
    p.add_argument("--region", help="计划所属的市或县(须先用 regions add 登记;默认:本级,或地区账号的本地区)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("template", help="生成单位进度填报模板(xlsx),或全部单位的 zip")
    p.add_argument("--unit")
    p.add_argument("--all", action="store_true", help="全部单位,打包为 zip")
    p.add_argument("--period", required=True, help="报告期,如 2021-09")
    p.add_argument("--plan")
    p.add_argument("--out", help="输出文件或目录")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("upload", help="检查(加 --yes 则保存)单位填报的进度表")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--unit", help="上传单位(非模板表格必填;模板须与之一致)")
    p.add_argument("--period", help="报告期(非模板表格)")
    p.add_argument("--plan")
    p.add_argument("--person", help="填报人")
    p.add_argument("--yes", action="store_true", help="保存检查通过的文件")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_upload)

    p = sub.add_parser("status", help="各项任务在某日的状态和预警")
    p.add_argument("--as-of", type=_date, default=None, help="日期,默认今天")
    p.add_argument("--plan")
    p.add_argument("--ranking", action="store_true", help="同时列出单位排名")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("report", help="月度检查/季度评估/半年通报(xlsx 或 docx)")
    p.add_argument("--kind", choices=["month", "quarter", "half"], required=True)
    p.add_argument("--period", required=True, help="2021-09 / 2021-Q3 / 2021-H2")
    p.add_argument("--out", required=True, help="输出文件 .xlsx 或 .docx")
    p.add_argument("--plan")
    p.add_argument("--as-of", type=_date, default=None)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("periods", help="列出、登记或关闭报告期")
    p.add_argument("--open", metavar="PERIOD")
    p.add_argument("--close", metavar="PERIOD")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_periods)

    p = sub.add_parser("reminders", help="催办名单:某报告期未报送的单位及其任务")
    p.add_argument("--period", help="报告期,默认最近一个已到期的")
    p.add_argument("--as-of", type=_date, default=None)
    p.add_argument("--plan")
    p.add_argument("--out", help="另存为催办单 .xlsx")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_reminders)
