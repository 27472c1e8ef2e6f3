"""Account commands: ``users add|set|list|disable|enable|unlock|reset|audit|roles``.

The command line acts as the office (``cli``) unless ``--as NAME`` is given,
so ``python -m tasks --as zwzx users list`` is refused like in the dashboard.
A generated password is printed once and never again; hashes are never printed.

    python -m tasks users add zwzx --role unit --unit 市政务服务中心
    python -m tasks users add li --role leader --password-stdin < pw.txt
    python -m tasks users add jsban --role office --region 甲市     # 甲市的办公室(只管甲市及其所辖县)
    python -m tasks users list --json
    python -m tasks users reset zwzx
    python -m tasks users audit --out 操作日志.xlsx
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from ..cli import print_json
from ..errors import WorkbenchError


def _guarded():
    from ..accounts import acting_store

    return acting_store()


def _password_note(name: str, password: str) -> str:
    return f"账号“{name}”的密码:{password}\n(只显示这一次,请当面或通过安全渠道交给本人,首次登录后修改)"


def cmd_add(args: argparse.Namespace) -> int:
    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise WorkbenchError("标准输入中没有密码")
    g = _guarded()
    generated = g.add_account(
        args.name,
        args.role,
        unit=args.unit,
        password=password,
        display_name=args.display_name or "",
        region=args.region,
    )
    from ..accounts import ROLE_NAMES

    region = (g.account.region or "") if args.region is None else args.region
    where = f"{region}·" if region and region != "全省" else ""
    print(f"已创建账号“{args.name}”({where}{ROLE_NAMES[args.role]}{'·' + args.unit if args.unit else ''})")
    if generated:
        print(_password_note(args.name, generated))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    rows = _guarded().list_accounts()
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("尚无账号")
    for r in rows:
        state = (
            "已停用"
            if r["disabled"]
            else (f"锁定至 {r['locked_until']:%Y-%m-%d %H:%M}" if r["locked_until"] else "正常")
        )
        last = f"{r['last_login_at']:%Y-%m-%d %H:%M}" if r["last_login_at"] else "从未登录"
        where = f"{r.get('region') or '全省':<8} " if any(x.get("region") for x in rows) else ""
        print(f"{r['name']:<16} {r['role_name']:<8} {where}{r['unit'] or '':<16} {state}  最近登录 {last}")
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    if args.role is None and args.unit is None and args.display_name is None and args.region is None:
        raise WorkbenchError("请指定要修改的内容:--role、--unit、--display-name 或 --region")
    from ..accounts import ROLE_NAMES

    changes = {"role": args.role, "unit": args.unit, "display_name": args.display_name}
    if args.region is not None:
        changes["region"] = args.region
    account = _guarded().update_account(args.name, **changes)
    where = f"{account.region}·" if account.region else ""
    print(
        f"已修改账号“{account.name}”:{where}{ROLE_NAMES[account.role]}{'·' + account.unit if account.unit else ''}"
        f"(其登录会话已结束)"
    )
    return 0


def cmd_disable(args: argparse.Namespace) -> int:
    _guarded().disable_account(args.name)
    print(f"已停用账号“{args.name}”,其登录会话已结束")
    return 0


def cmd_enable(args: argparse.Namespace) -> int:
    _guarded().enable_account(args.name)
    print(f"已启用账号“{args.name}”")
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    _guarded().unlock_account(args.name)
    print(f"已解锁账号“{args.name}”")
    return 0


def cmd_reset(args: argparse.Namespace) -> int:
    password = _guarded().reset_password(args.name)
    print(f"已重置账号“{args.name}”的密码,原有登录会话已结束,锁定已解除。")
    print(_password_note(args.name, password))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from ..accounts.audit import audit_rows, write_audit

    entries = _guarded().audit_log()
    if args.actor:
        entries = [a for a in entries if a.actor == args.actor]
    if args.limit:
        entries = entries[-args.limit :]
    if args.out:
        print(f"已导出 {len(entries)} 条操作日志:{write_audit(entries, Path(args.out))}")
    elif args.json:
        print_json([dataclasses.asdict(a) for a in entries])
    else:
        for row in audit_rows(entries):
            print("  ".join(x for x in row if x))
    return 0


def cmd_roles(args: argparse.Namespace) -> int:
    from ..accounts import permission_table

    rows = permission_table()
    if args.json:
        print_json(rows)
        return 0
    heads = list(rows[0])
    print(" | ".join(heads))
    for r in rows:
        print(" | ".join(r[h] for h in heads))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from ..accounts import ROLES

    p = sub.add_parser("users", help="账号管理(新增、列出、停用、启用、解锁、重置密码、操作日志)")
    users = p.add_subparsers(dest="users_command", required=True, metavar="ACTION")

    a = users.add_parser("add", help="新增账号(不给密码则生成随机密码并只显示一次)")
    a.add_argument("name")
    a.add_argument(
        "--role",
        required=True,
        choices=ROLES,
        help="office 领导小组办公室 / planner 规划人员 / unit 责任单位 / leader 领导(只读)",
    )
    a.add_argument("--unit", help="所属单位(单位账号必填,须与任务分解表中的单位全称一致)")
    a.add_argument("--display-name", help="姓名或说明")
    a.add_argument("--region", help="所属市或县:只能查看和办理该地区(市含所辖县)的计划;不给则为全省(省级)")
    a.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码(不出现在命令行历史中)")
    a.set_defaults(func=cmd_add)

    a = users.add_parser("set", help="修改账号的角色、所属单位或姓名")
    a.add_argument("name")
    a.add_argument("--role", choices=ROLES)
    a.add_argument("--unit")
    a.add_argument("--display-name")
    a.add_argument("--region", help="所属市或县;“全省”取消地区限制")
    a.set_defaults(func=cmd_set)

    a = users.add_parser("list", help="列出账号(不含密码)")
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_list)

    for name, func, text in (
        ("disable", cmd_disable, "停用账号并结束其登录"),
        ("enable", cmd_enable, "启用账号"),
        ("unlock", cmd_unlock, "解除登录失败锁定"),
        ("reset", cmd_reset, "重置密码(新随机密码只显示一次)"),
    ):
        a = users.add_parser(name, help=text)
        a.add_argument("name")
        a.set_defaults(func=func)

    a = users.add_parser("audit", help="操作日志(谁在何时做了什么)")
    a.add_argument("--actor", help="只看某个账号")
    a.add_argument("--limit", type=int, default=0, help="只看最近 N 条")
    a.add_argument("--out", help="导出为 .xlsx 或 .csv")
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_audit)

    a = users.add_parser("roles", help="角色权限表")
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_roles)
