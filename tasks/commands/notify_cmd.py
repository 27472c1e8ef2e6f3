"""Reminder commands: ``contacts import|list``, ``notify`` and ``outbox``.

    python -m tasks contacts import 联系人.xlsx          # 单位, 联系人, 手机, 邮箱, 群机器人地址
    python -m tasks contacts list --json
    python -m tasks notify                               # preview (dry run, the default): nothing written or sent
    python -m tasks notify --send                        # queue and send what is due (safe from cron)
    python -m tasks notify --send-list 短信清单.xlsx       # hand the pending SMS messages over as a list
    python -m tasks outbox --status failed --json
    python -m tasks outbox --retry 12 13

Channels are off until ``WORKBENCH_NOTIFY_CHANNELS=mail,webhook`` (and ``sms``) turns them on;
mail settings come from ``WORKBENCH_SMTP_*`` or ``.streamlit/secrets.toml``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..cli import print_json
from ..errors import WorkbenchError

if TYPE_CHECKING:
    from ..accounts import GuardedStore
    from ..store import LoadResult


def _store() -> GuardedStore:
    from ..accounts import acting_store

    return acting_store()


def _when(text: str) -> datetime:
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"时间“{text}”无法识别,请写成 2021-10-08 09:00")


def after_load(store: GuardedStore, result: LoadResult) -> str | None:
    """Queue 签收通知 for the tasks a ``load`` added (when a channel is on); a sentence for the user, or None.

    A reminder problem never fails the load that already happened: it becomes a 提示 line.
    """
    from ..notify import NotifyError, enabled_channels
    from ..notify.hooks import sign_events

    try:
        if not result.added or not enabled_channels():
            return None
        queued = store.notify_events(sign_events(store.tasks(result.plan), result.added, datetime.now()))
    except NotifyError as err:
        return f"签收通知未加入发件箱:{err}"
    return f"已将 {len(queued)} 条签收通知加入发件箱(python -m tasks notify --send 发送)" if queued else None


def cmd_contacts_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise WorkbenchError(f"文件不存在:{args.file}")
    sheet = _store().import_contacts(path, save=not args.check, region=args.region)
    if args.json:
        print_json(
            {
                "file": sheet.file,
                "ok": sheet.ok,
                "saved": sheet.ok and not args.check,
                "contacts": [c.to_dict() for c in sheet.contacts],
                "issues": [
                    {
                        "message": i.message,
                        "file": i.file,
                        "sheet": i.sheet,
                        "row": i.row,
                        "column": i.column,
                        "text": str(i),
                    }
                    for i in sheet.issues
                ],
            }
        )
    if sheet.issues:
        if not args.json:
            for i in sheet.issues:
                print(f"error: {i}", file=sys.stderr)
        print(f"error: {sheet.summary()}", file=sys.stderr)
        return 2
    if not args.json:
        print(("检查通过:" if args.check else "已导入:") + sheet.summary())
    return 0


def cmd_contacts_list(args: argparse.Namespace) -> int:
    rows = _store().notify_contacts()
    if args.json:
        print_json([c.to_dict() for c in rows])
        return 0
    for c in rows:
        ways = [w for w in (c.phone, c.email, c.to_dict()["webhook"]) if w]
        where = f"[{c.region}] " if c.region else ""
        print(f"{where}{c.unit}:{c.person or '(未填联系人)'} {' '.join(ways)}")
    if not rows:
        print("尚未登记任何单位的联系方式(python -m tasks contacts import 联系人.xlsx)")
    return 0


def cmd_notify(args: argparse.Namespace) -> int:
    store = _store()
    if args.send_list:
        out = Path(args.send_list)
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in ("xlsx", "csv"):
            raise WorkbenchError(f"发送清单文件名应以 .xlsx 或 .csv 结尾:{out.name}")
        data, n = store.export_send_list(fmt)
        out.write_bytes(data)
        print(f"已生成:{out}(短信 {n} 条,已标记为已发送)")
        return 0
    report = store.run_notify(args.now, send=args.send and not args.dry_run)
    if args.json:
        print_json(report.to_dict())
        return 0
    print(report.summary())
    print("规则:" + report.rules.describe())
    for m in report.planned if report.dry_run else report.queued:
        print(f"  [{m.to_dict()['channel_name']}] {m.unit} → {m.to_dict()['address']}:{m.subject}")
    from ..notify import REASONS

    for reason, unit in report.unreached:
        print(f"  提示:{unit} 没有可用的联系方式,无法发送{REASONS[reason]}")
    for w in report.to_dict()["warnings"]:
        print(f"  提示:{w}")
    return 0


def cmd_outbox(args: argparse.Namespace) -> int:
    store = _store()
    if args.retry:
        ids = store.retry_messages(args.retry)
        print(f"已重新排队:{'、'.join(map(str, ids))}")
        return 0
    if args.cancel:
        ids = store.cancel_messages(args.cancel)
        print(f"已取消:{'、'.join(map(str, ids))}")
        return 0
    rows = store.outbox(status=args.status, unit=args.unit, limit=args.limit)
    if args.json:
        print_json([m.to_dict() for m in rows])
        return 0
    for m in rows:
        d = m.to_dict()
        err = f" {m.last_error}" if m.last_error else ""
        print(f"{m.id:>5} {d['status_name']} {d['reason_name']} [{d['channel_name']}] {m.unit}:{m.subject}{err}")
    if not rows:
        print("发件箱为空")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from ..notify import STATUSES

    p = sub.add_parser("contacts", help="单位联系人:导入联系人表、列出联系方式")
    csub = p.add_subparsers(dest="contacts_command", required=True, metavar="ACTION")
    q = csub.add_parser("import", help="导入联系人表(xlsx/csv:单位、联系人、手机、邮箱、群机器人地址)")
    q.add_argument("file", metavar="FILE")
    q.add_argument("--check", action="store_true", help="只检查,不保存")
    q.add_argument(
        "--region",
        help="联系人所属的市县(默认:限定地区账号为本地区,省级办公室为“本级”计划的联系人)",
    )
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_contacts_import)
    q = csub.add_parser("list", help="列出各单位联系方式(机器人地址和密钥已遮盖)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_contacts_list)

    p = sub.add_parser("notify", help="提醒:计划并发送催办、到期提醒和事件通知(默认只预览)")
    p.add_argument("--dry-run", action="store_true", help="只预览,不写入也不发送(默认)")
    p.add_argument("--send", action="store_true", help="加入发件箱并发送到期的消息(需开启 WORKBENCH_NOTIFY_CHANNELS)")
    p.add_argument("--send-list", metavar="FILE", help="把待发的短信导出为发送清单 .xlsx/.csv")
    p.add_argument("--now", type=_when, default=None, help="按此时间计算(默认现在),如 2021-10-08 09:00")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_notify)

    p = sub.add_parser("outbox", help="发件箱:查看消息,重试或取消发送失败的消息")
    p.add_argument("--status", choices=STATUSES)
    p.add_argument("--unit")
    p.add_argument("--limit", type=int, default=1000)
    p.add_argument("--retry", type=int, nargs="+", metavar="ID", help="重试这些发送失败的消息")
    p.add_argument("--cancel", type=int, nargs="+", metavar="ID", help="取消这些待发送或发送失败的消息")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_outbox)
