"""Card history command (红黄牌履历): ``python -m tasks cards --plan PLAN [--task T] [--as-of D] --json``.

Acting as the office, the command first records the checks due by ``--as-of`` (default today)
that are not recorded yet — idempotent: run it twice and the second run adds nothing — then lists
the stored history (issued, changed, closed, withdrawn, with rule, figures and appeals).  Other
accounts only list: leaders and planners every task, a unit its own tasks.  ``--no-record`` only
lists.  JSON: ``{"plan", "recorded", "history": [...]}``.

    python -m tasks cards --plan 耒阳 --json
    python -m tasks --as zwzx cards --plan 耒阳 --task 3
"""

from __future__ import annotations

import argparse

from ..cli import print_json
from .progress_cmd import _date, _store
from .supervision_cmd import one_line_errors

__all__ = ["register", "cmd_cards"]


def cmd_cards(args: argparse.Namespace) -> int:
    from ..progress.card_guard import guarded_card_history, guarded_record_card_history, may_record

    store = _store()
    plan = store.plan_key(args.plan)
    new = []
    if not args.no_record and may_record(store):
        new = guarded_record_card_history(store, plan, as_of=args.as_of)
    history = guarded_card_history(store, plan, args.task)
    if args.json:
        print_json({"plan": plan, "recorded": len(new), "history": [r.to_dict() for r in history]})
        return 0
    head = f"计划“{plan}”" + (f"任务 {args.task} " if args.task else "") + "的预警牌履历"
    print(f"{head}(本次新记录 {len(new)} 条):" if history else f"{head}:暂无记录")
    for r in history:
        print(f"  任务 {r.task}  {r.text()}")
        for a in r.appeals:
            print(
                f"      申诉 {a.id}({a.unit},{a.filed_at:%Y-%m-%d}):{a.reason} → {a.decision_label} {a.note}".rstrip()
            )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = one_line_errors(sub.add_parser("cards", help="预警牌履历:发出、变更、消除、申诉撤销(办公室运行时先补记)"))
    p.add_argument("--plan", required=True)
    p.add_argument("--task", metavar="TASK")
    p.add_argument("--as-of", type=_date, help="补记截至该日已到期的检查(默认今天)")
    p.add_argument("--no-record", action="store_true", help="只列出,不补记")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_cards)
