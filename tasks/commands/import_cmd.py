"""``python -m tasks import PATH [--json] [--aliases CSV] [--profile NAME] [--confidence]``.

With ``--json`` the output is the contract of DESIGN.md: a JSON array of
tasks (``Task.to_dict()``).  Without it a short Chinese summary: plan title,
the sheet and rows read, the number of tasks, one line per task, the
confidence summary, warnings.  ``--profile`` reads with an import profile (a
name under ``data/import_profiles/``, a .toml/.json file, or a profile saved in
the database); ``--confidence`` with ``--json`` writes the confidence summary as
one JSON object on stderr (stdout stays the task array).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..cli import print_json
from ..errors import ImportFailed
from ..importers import load_plan
from ..importers.confidence import confidence, confidence_lines
from ..importers.profiles import ImportProfile, find_profile
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
            lines.append(
                f"读取范围:{lay.get('label', lay.get('layout', ''))},{lay.get('where', '')},{lay.get('tasks', '?')}项"
            )
    elif used.get("rows"):
        first, last = used["rows"]
        sheet = f"工作表“{used['sheet']}”" if used.get("sheet") else "文件"
        head = f"(表头在第{used['header_row']}行)" if used.get("header_row") else ""
        lines.append(f"读取范围:{sheet}第{first}–{last}行{head}")
    lines.append(f"任务数:{len(plan.tasks)}")
    lines += confidence_lines(plan)
    lines.append("")
    section = None
    for t in plan.tasks:
        if t.section and t.section != section:
            section = t.section
            lines.append(section)
        lead = "、".join(t.lead_units) or "(无牵头单位)"
        resp = "、".join(t.responsible_units)
        lines.append(
            f"  {t.id:>3}. {t.title[:30]} | 牵头:{lead}"
            + (f" | 责任:{resp}" if resp else "")
            + f" | 完成时限:{_deadline_label(t)}"
        )
    warnings = [w for w in plan.warnings if not w.startswith("读取了")]
    if warnings:
        lines.append("")
        lines.append(f"提示({len(warnings)}条):")
        lines += [f"  - {w}" for w in warnings]
    return lines


def _profile(name: str) -> ImportProfile:
    """A profile from a file or the profiles folder, else from the database."""
    from ..errors import InputError

    try:
        return find_profile(name)
    except InputError:
        if Path(name).suffix.lower() in (".toml", ".json"):
            raise
        from ..store import Store

        store = Store()
        try:
            return find_profile(name, store=store)
        finally:
            store.dispose()


def run_import(args: argparse.Namespace) -> int:
    aliases = None
    if args.aliases:
        if not Path(args.aliases).is_file():
            raise ImportFailed("别名表文件不存在,请检查 --aliases 参数", file=args.aliases)
        aliases = AliasTable.load(args.aliases)
    profile = _profile(args.profile) if args.profile else None
    plan = load_plan(args.path, aliases=aliases, profile=profile)
    if args.json:
        print_json([t.to_dict() for t in plan.tasks])
        if args.confidence:
            print(json.dumps(confidence(plan), ensure_ascii=False), file=sys.stderr)
    else:
        print("\n".join(summary_lines(plan)))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "import",
        help="导入任务分解表或政策文件(xlsx/xls/csv/docx/txt/html)",
        description="导入任务分解表(xlsx/xls/csv)或政策文件(docx/txt/html),打印任务清单",
    )
    p.add_argument("path", help="要导入的文件")
    p.add_argument("--json", action="store_true", help="以 JSON 数组输出全部任务")
    p.add_argument("--aliases", metavar="CSV", help="单位别名表(两列:别名,标准名称)")
    p.add_argument(
        "--profile", metavar="NAME", help="导入方案:data/import_profiles/ 下的名称、TOML/JSON 文件,或库中保存的方案名"
    )
    p.add_argument(
        "--confidence", action="store_true", help="与 --json 同用时,在标准错误输出上另写一行识别可信度摘要(JSON)"
    )
    p.set_defaults(func=run_import)
