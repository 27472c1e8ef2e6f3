"""``python -m tasks import PATH [--json] [--aliases CSV]``: read a plan and print its tasks.

With ``--json`` the output is the contract of DESIGN.md: a JSON array of
tasks (``Task.to_dict()``).  Without it a short Chinese summary: plan title,
the sheet and rows read, the number of tasks, one line per task, warnings.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import print_json
from ..errors import ImportFailed
from ..importers import load_plan
from ..model import Plan, Task
from ..units import AliasTable


def _deadline_label(t: Task) -> str:
    if t.deadline:
        return t.deadline.isoformat()
    return {"ongoing": "长期", "unknown": f"无法识别({t.deadline_text})"}.get(t.deadline_kind, "未填写")


def summary_lines(plan: Plan) -> list[str]:
    """The readable (non-JSON) report of an imported plan, in Chinese."""
    lines = [f"计划:{plan.title}", f"来源:{plan.source_file}"]
    used = plan.used or {}
    if used.get("layouts"):  # a policy document: which layouts were found where
        for lay in used["layouts"]:
            lines.append(f"读取范围:{lay.get('label', lay.get('layout', ''))},{lay.get('where', '')},"
                         f"{lay.get('tasks', '?')}项")
    elif used.get("rows"):
        first, last = used["rows"]
        sheet = f"工作表“{used['sheet']}”" if used.get("sheet") else "文件"
        head = f"(表头在第{used['header_row']}行)" if used.get("header_row") else ""
        lines.append(f"读取范围:{sheet}第{first}–{last}行{head}")
    lines.append(f"任务数:{len(plan.tasks)}")
    lines.append("")
    section = None
    for t in plan.tasks:
        if t.section and t.section != section:
            section = t.section
            lines.append(section)
        lead = "、".join(t.lead_units) or "(无牵头单位)"
        lines.append(f"  {t.id:>3}. {t.title[:30]} | 牵头:{lead} | 完成时限:{_deadline_label(t)}")
    warnings = [w for w in plan.warnings if not w.startswith("读取了")]
    if warnings:
        lines.append("")
        lines.append(f"提示({len(warnings)}条):")
        lines += [f"  - {w}" for w in warnings]
    return lines


def run_import(args: argparse.Namespace) -> int:
    aliases = None
    if args.aliases:
        if not Path(args.aliases).is_file():
            raise ImportFailed("别名表文件不存在,请检查 --aliases 参数", file=args.aliases)
        aliases = AliasTable.load(args.aliases)
    plan = load_plan(args.path, aliases=aliases)
    if args.json:
        print_json([t.to_dict() for t in plan.tasks])
    else:
        print("\n".join(summary_lines(plan)))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "import", help="导入任务分解表或政策文件(xlsx/xls/csv/docx/txt/html)",
        description="导入任务分解表(xlsx/xls/csv)或政策文件(docx/txt/html),打印任务清单")
    p.add_argument("path", help="要导入的文件")
    p.add_argument("--json", action="store_true", help="以 JSON 数组输出全部任务")
    p.add_argument("--aliases", metavar="CSV", help="单位别名表(两列:别名,标准名称)")
    p.set_defaults(func=run_import)
