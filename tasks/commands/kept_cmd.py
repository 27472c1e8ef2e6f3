"""``python -m tasks rebuild-kept [--json]``: recompute the kept status tables from the history.

The kept tables (the latest report of each task and unit, the periods each task and unit reported,
each task and unit's supervision state) are written with every upload and every step of the loop and
filled by the 0008 and 0013 migrations; this command rebuilds them after a repair of the history or
a bulk import outside the workbench (the reports' tables in one transaction, the supervision state in
another).  Office only; audited.
"""

from __future__ import annotations

import argparse

from ..cli import print_json

ACTOR = "cli"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "rebuild-kept",
        help="从填报和督办历史重建状态保留表(最新填报、已报送报告期、督办状态)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..accounts import acting_store
    from ..accounts.roles import require
    from ..progress.lifecycle_state import rebuild_lifecycle_state
    from ..store.kept import rebuild_kept

    store = acting_store()
    require(store.account, "change_store")
    counts = rebuild_kept(store) | rebuild_lifecycle_state(store)
    store.record_action(ACTOR, "rebuild_kept", "", counts)
    if args.json:
        print_json(counts)
    else:
        print(
            f"已重建:最新填报 {counts['progress_latest']} 条,任务报告期 {counts['status_task_periods']} 项,"
            f"单位报告期 {counts['status_unit_periods']} 项,督办状态 {counts['supervision_state']} 项"
        )
    return 0
