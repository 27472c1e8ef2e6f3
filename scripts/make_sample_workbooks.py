"""Regenerate the bundled task-breakdown workbook(s) in ``data/plans/`` from the seed text.

``data/plans/leiyang-2021-tasks.xlsx`` is the 2021 Leiyang action plan's
appendix table, imported from ``../shared/seeds/leiyang-2021-action-plan.txt``
with the document importer and written back as a real-looking workbook
(merged title, header, merged section rows, 注 row, a 说明 sheet).

    .venv/bin/python scripts/make_sample_workbooks.py [--seeds DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = "leiyang-2021-action-plan.txt"
OUTPUT = "leiyang-2021-tasks.xlsx"
NOTE = (
    "注:本表根据《耒阳市2021年优化营商环境“政务服务便利化”攻坚行动方案》附件整理;"
    "“牵头部门”负总责,“责任部门”按职责分工配合;完成时限为最迟时间。"
)


def make_leiyang(seeds: Path, out_dir: Path) -> Path:
    """Import the seed text and write it as the bundled workbook; returns the written path."""
    from tasks.importers import load_plan
    from tasks.importers.workbook_writer import DEFAULT_README, write_plan_workbook

    plan = load_plan(seeds / SEED)
    if len(plan.tasks) != 32:
        raise SystemExit(f"种子文件应有32项任务,实际读到{len(plan.tasks)}项:请先检查文档导入器")
    plan.title = f"{plan.title}任务分解表"
    return write_plan_workbook(plan, out_dir / OUTPUT, note=NOTE, readme=DEFAULT_README)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "plans")
    args = ap.parse_args(argv)
    if not (args.seeds / SEED).is_file():
        print(f"error: 找不到种子文件 {args.seeds / SEED}(../shared 应在仓库旁边)", file=sys.stderr)
        return 2
    path = make_leiyang(args.seeds, args.out)
    print(f"已生成 {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
