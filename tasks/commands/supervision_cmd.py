"""Supervision loop commands (督办): ``sign``, ``extend``, ``decide``, ``claim``, ``review``, ``appeal``,
``calendar``, ``events``, ``evidence`` and ``baseline``.

Each acts as ``--as ACCOUNT`` (default: the office, ``cli``); a refused step prints one
``error: …`` line, exits 2 and changes nothing.

    python -m tasks --as zwzx sign 3 --plan 耒阳
    python -m tasks --as zwzx extend 3 --plan 耒阳 --to 2021-12-31 --reason 等待省级系统对接
    python -m tasks decide 17 --approve [--to 2021-11-30]  |  --reject --note 理由不充分
    python -m tasks --as zwzx claim 3 --plan 耒阳 --evidence 纪要.pdf --evidence 照片.jpg
    python -m tasks review 3 --plan 耒阳 --accept  |  --return --note 佐证不足
    python -m tasks baseline --plan 耒阳 [--against 2021-10-01] --json
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

from ..cli import print_json
from ..errors import WorkbenchError
from .progress_cmd import _date, _store

__all__ = ["register", "one_line_errors"]


def _print_event(ev, as_json: bool, line: str) -> None:
    if as_json:
        print_json(ev.to_dict())
    else:
        print(line)


def cmd_sign(args: argparse.Namespace) -> int:
    ev = _store().sign_task(args.plan, args.task, unit=args.unit, note=args.note or "")
    _print_event(ev, args.json, f"已签收:计划“{ev.plan}”任务 {ev.task}({ev.unit}),{ev.at:%Y-%m-%d %H:%M}")
    return 0


def cmd_extend(args: argparse.Namespace) -> int:
    ev = _store().request_extension(args.plan, args.task, to=args.to, reason=args.reason, unit=args.unit)
    if args.json:
        print_json(ev.to_dict())
    else:
        print(ev.id)
    return 0


def cmd_decide(args: argparse.Namespace) -> int:
    if args.reject and not (args.note or "").strip():
        raise WorkbenchError("驳回延期申请须写明意见(--note)")
    if args.reject and args.to:
        raise WorkbenchError("驳回时不能指定 --to 日期")
    ev = _store().decide_extension(args.request, approve=args.approve, to=args.to, note=args.note or "")
    what = f"已批准,新的完成时限 {ev.new_date.isoformat()}" if args.approve else "已驳回"
    _print_event(ev, args.json, f"延期申请 {args.request}{what}(计划“{ev.plan}”任务 {ev.task},{ev.unit})")
    return 0


def cmd_claim(args: argparse.Namespace) -> int:
    files = []
    for f in args.evidence or []:
        p = Path(f)
        if not p.is_file():
            raise WorkbenchError(f"佐证材料文件不存在:{f}")
        files.append((p.name, p.read_bytes()))
    ev = _store().claim_done(args.plan, args.task, evidence=files, unit=args.unit, note=args.note or "")
    _print_event(
        ev,
        args.json,
        f"已申请办结:计划“{ev.plan}”任务 {ev.task}({ev.unit}),佐证材料 {len(ev.evidence)} 份,等待办公室审核",
    )
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    if args.return_ and not (args.note or "").strip():
        raise WorkbenchError("退回须写明理由(--note),单位将在下次填报模板和工作台中看到")
    ev = _store().review_claim(args.plan, args.task, accept=args.accept, note=args.note or "", unit=args.unit)
    what = f"审核通过,已办结(办结日期 {ev.new_date.isoformat()})" if args.accept else f"已退回:{ev.note}"
    _print_event(ev, args.json, f"计划“{ev.plan}”任务 {ev.task}({ev.unit}){what}")
    return 0


def cmd_appeal(args: argparse.Namespace) -> int:
    store = _store()
    if args.decide is not None:
        if args.uphold == args.reject:
            raise WorkbenchError("处理申诉须选择 --uphold(成立)或 --reject(驳回)之一")
        ev = store.decide_appeal(args.decide, uphold=args.uphold, note=args.note or "")
        _print_event(ev, args.json, f"申诉 {args.decide}:{ev.label}")
        return 0
    if not args.task or not args.plan:
        raise WorkbenchError("提出申诉须给出任务编号和 --plan;处理申诉用 --decide 申诉编号")
    card = args.card
    if not card:
        from ..progress import snapshot

        st = snapshot(store, plan=args.plan).by_id(args.task)
        if not st.card:
            raise WorkbenchError(f"任务 {args.task} 目前没有预警牌,无需申诉")
        card = st.card
    ev = store.appeal_card(args.plan, args.task, card=card, reason=args.reason or "", unit=args.unit)
    if args.json:
        print_json(ev.to_dict())
    else:
        print(ev.id)
    return 0


def cmd_calendar(args: argparse.Namespace) -> int:
    from ..store.periods import CYCLE_NAMES

    store = _store()
    if args.start or args.cycle or args.due_day is not None:
        cur = store.calendar(args.plan)
        store.set_calendar(
            args.plan,
            start=args.start or cur.start,
            cycle=args.cycle or cur.cycle,
            due_day=args.due_day if args.due_day is not None else cur.due_day,
        )
    cal = store.calendar(args.plan)
    if args.json:
        print_json({"plan": cal.plan, "start": cal.start, "cycle": cal.cycle, "due_day": cal.due_day})
    else:
        due = f"截止日 {cal.due_day} 日" if cal.due_day else "报告期结束后宽限期内"
        print(f"计划“{cal.plan}”:起始日 {cal.start.isoformat()},{CYCLE_NAMES[cal.cycle]}报送,{due}")
    return 0


def cmd_events(args: argparse.Namespace) -> int:
    rows = _store().lifecycle_events(args.plan, args.task, as_of=args.as_of)
    if args.json:
        print_json([e.to_dict() for e in rows])
    else:
        for e in rows:
            extra = f" → {e.new_date.isoformat()}" if e.new_date else ""
            print(
                f"{e.at:%Y-%m-%d %H:%M} [{e.id}] 任务 {e.task} {e.unit} {e.label}{extra} "
                f"({e.actor}){':' + e.note if e.note else ''}"
            )
        if not rows:
            print("没有督办记录")
    return 0


def cmd_evidence(args: argparse.Namespace) -> int:
    store = _store()
    if args.download is not None:
        info, data = store.evidence_download(args.download)
        out = Path(args.out) if args.out else Path(info.filename)
        if out.is_dir():
            out = out / info.filename
        out.write_bytes(data)
        print(f"已下载:{out}")
        return 0
    rows = store.evidence_list(args.plan, args.task)
    if args.json:
        print_json(
            [
                {
                    "id": r.id,
                    "task": r.task,
                    "unit": r.unit,
                    "filename": r.filename,
                    "size": r.size,
                    "mime": r.mime,
                    "sha256": r.sha256,
                    "uploaded_at": r.uploaded_at,
                    "actor": r.actor,
                }
                for r in rows
            ]
        )
    else:
        for r in rows:
            print(f"[{r.id}] 任务 {r.task} {r.unit} {r.filename}({r.size} 字节,{r.uploaded_at:%Y-%m-%d})")
    return 0


def cmd_baseline(args: argparse.Namespace) -> int:
    store = _store()
    if args.freeze:
        b = store.freeze_baseline(args.plan, args.label or "")
        if args.json:
            print_json(b)
        else:
            print(f"已冻结基线 {b['id']}:计划“{b['plan']}”{b['tasks']} 项任务")
        return 0
    if args.list:
        rows = store.baselines(args.plan)
        if args.json:
            print_json(rows)
        else:
            for b in rows:
                print(f"[{b['id']}] {b['at']:%Y-%m-%d %H:%M} {b['label']}({b['tasks']} 项)")
        return 0
    d = store.compare_baseline(args.plan, args.against)
    if args.json:
        print_json(d)
        return 0
    b = d["baseline"]
    print(f"计划“{d['plan']}”对比基线 [{b['id']}] {b['label']}({b['at']}):")
    print(f"  新增任务:{'、'.join(d['added']) or '无'};归档任务:{'、'.join(d['archived']) or '无'}")
    for m in d["deadline_moves"]:
        ext = m["extension"]
        why = f"(延期申请 {ext['id']}:{ext['reason']})" if ext else ""
        print(f"  任务 {m['task']} 时限 {m['from']} → {m['to']}{why}")
    late = [v for v in d["variance"] if v["days_late"]]
    for v in late:
        print(
            f"  任务 {v['task']} 较原定时限 {v['original_deadline']} 晚 {v['days_late']} 天"
            f"{'(已办结)' if v['closed'] else '(未办结)'}"
        )
    return 0


class _OneLineErrors(argparse.ArgumentParser):
    """A parser whose usage mistakes print one ``error:`` line and exit 2."""

    def error(self, message: str) -> NoReturn:
        print(f"error: 参数错误:{message}(用 --help 查看用法)", file=sys.stderr)
        sys.exit(2)


def one_line_errors(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Usage mistakes print one ``error:`` line and exit 2, like every other refusal."""
    p.__class__ = _OneLineErrors  # made by ``add_parser``, which takes no parser class of its own
    p.add_argument(
        "--as",
        dest="as_account",
        metavar="ACCOUNT",
        default=argparse.SUPPRESS,
        help="以该账号的身份执行(也可写在子命令之前)",
    )
    return p


def register(sub: argparse._SubParsersAction) -> None:
    p = one_line_errors(sub.add_parser("sign", help="签收任务(牵头单位)"))
    p.add_argument("task", metavar="TASK")
    p.add_argument("--plan", required=True)
    p.add_argument("--unit", help="牵头单位(办公室代为办理、或任务有多个牵头单位时)")
    p.add_argument("--note")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_sign)

    p = one_line_errors(sub.add_parser("extend", help="申请延期(输出申请编号)"))
    p.add_argument("task", metavar="TASK")
    p.add_argument("--plan", required=True)
    p.add_argument("--to", required=True, type=_date, help="申请的新完成时限 YYYY-MM-DD")
    p.add_argument("--reason", required=True)
    p.add_argument("--unit")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_extend)

    p = one_line_errors(sub.add_parser("decide", help="审批延期申请(办公室)"))
    p.add_argument("request", type=int, metavar="REQUEST")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--approve", action="store_true")
    g.add_argument("--reject", action="store_true")
    p.add_argument("--to", type=_date, help="批准的完成时限(默认按申请)")
    p.add_argument("--note")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_decide)

    p = one_line_errors(sub.add_parser("claim", help="申请办结,附佐证材料"))
    p.add_argument("task", metavar="TASK")
    p.add_argument("--plan", required=True)
    p.add_argument("--evidence", action="append", metavar="FILE", help="佐证材料(pdf/jpg/png/docx/xlsx,≤20MB),可多次")
    p.add_argument("--note")
    p.add_argument("--unit")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_claim)

    p = one_line_errors(sub.add_parser("review", help="办结审核(办公室):通过销号或退回"))
    p.add_argument("task", metavar="TASK")
    p.add_argument("--plan", required=True)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--accept", action="store_true")
    g.add_argument("--return", dest="return_", action="store_true")
    p.add_argument("--note")
    p.add_argument("--unit")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_review)

    p = one_line_errors(sub.add_parser("appeal", help="对预警牌申诉(单位),或处理申诉(办公室 --decide)"))
    p.add_argument("task", nargs="?", metavar="TASK")
    p.add_argument("--plan")
    p.add_argument("--card", help="预警等级 key(默认为任务当前的牌)")
    p.add_argument("--reason")
    p.add_argument("--unit")
    p.add_argument("--decide", type=int, metavar="APPEAL")
    p.add_argument("--uphold", action="store_true")
    p.add_argument("--reject", action="store_true")
    p.add_argument("--note")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_appeal)

    p = one_line_errors(sub.add_parser("calendar", help="查看或设置计划的报送日历"))
    p.add_argument("--plan", required=True)
    p.add_argument("--start", type=_date)
    p.add_argument("--cycle", choices=["monthly", "quarterly"])
    p.add_argument("--due-day", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_calendar)

    p = one_line_errors(sub.add_parser("events", help="督办记录(签收、延期、办结、退回、申诉)"))
    p.add_argument("task", nargs="?", metavar="TASK")
    p.add_argument("--plan")
    p.add_argument("--as-of", type=_date)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_events)

    p = one_line_errors(sub.add_parser("evidence", help="列出或下载佐证材料"))
    p.add_argument("task", nargs="?", metavar="TASK")
    p.add_argument("--plan")
    p.add_argument("--download", type=int, metavar="ID")
    p.add_argument("--out")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_evidence)

    p = one_line_errors(sub.add_parser("baseline", help="基线:与冻结的基线对比,或冻结/列出基线"))
    p.add_argument("--plan", required=True)
    p.add_argument("--against", type=_date, help="对比该日及以前最近一次冻结的基线(默认导入时的基线)")
    p.add_argument("--freeze", action="store_true", help="现在冻结一条基线")
    p.add_argument("--label")
    p.add_argument("--list", action="store_true")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_baseline)
