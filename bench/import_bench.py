"""How long importing a large task-breakdown workbook takes (target: ≤ 2 s for 5,000 tasks).

Generates a 5,000-task workbook (decoy sheet, merged title, 50 merged section
rows, multi-line cells, deadlines as text, Excel date cells and ongoing
words, predecessors, a 注 row), then times ``load_plan`` (reading the file
and building the task list) and prints the figures.

    .venv/bin/python bench/import_bench.py [--tasks N] [--repeat R] [--profile]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

UNITS = ["市审改办", "市政务服务中心", "市委编办", "市司法局", "市发改局", "市自然资源局", "市住建局",
         "市市场监督管理局", "市人社局", "市医保局", "市公安局", "市财政局", "各县(市、区)人民政府",
         "市直各相关单位", "各乡镇(街道)"]
TEXT_DEADLINES = ["2021年底前", "2021年8月底前", "20219月底前", "2021年6月30日前", "长期坚持", "三季度末",
                  "2021年9月底前上线试运行,2022年扩容推广", "上半年", "年内", "2021/10/31"]


def make_workbook(path: Path, n_tasks: int, seed: int = 7) -> Path:
    """A big but realistic workbook (same layout as the tables users send)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    rng = random.Random(seed)
    wb = Workbook()
    info = wb.active
    info.title = "说明"
    info["A1"] = "填表说明:请按序号填写。"
    ws = wb.create_sheet("任务分解表")
    ws["A1"] = "某市2021年政务服务改革攻坚行动任务分解表"
    ws.merge_cells("A1:G1")
    ws.append(["序号", "工作要点", "主要任务", "牵头部门", "责任部门", "完成时限", "前置任务"])
    wrap = Alignment(wrap_text=True)
    per_section = max(1, n_tasks // 50)
    for i in range(1, n_tasks + 1):
        if (i - 1) % per_section == 0:
            ws.append([f"第{(i - 1) // per_section + 1}部分 攻坚任务"])
            r = ws.max_row
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=7)
        lead = "\n".join(rng.sample(UNITS[:12], rng.randint(1, 3)))
        resp = "、".join(rng.sample(UNITS, rng.randint(0, 4)))
        deadline = (datetime(2021, rng.randint(1, 12), rng.randint(1, 28)) if rng.random() < 0.3
                    else rng.choice(TEXT_DEADLINES))
        preds = "、".join(str(rng.randint(1, i - 1)) for _ in range(rng.randint(0, 2))) if i > 1 else None
        ws.append([i, f"推进第{i}项改革任务", f"梳理事项清单,\n压减办理材料;\n第{i}项措施落实到位。",
                   lead, resp or None, deadline, preds or None])
        r = ws.max_row
        ws.cell(r, 3).alignment = wrap
        if isinstance(deadline, datetime):
            ws.cell(r, 6).number_format = "yyyy-mm-dd"
    ws.append(["注:牵头部门负总责。"])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=7)
    wb.save(path)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="print the 25 most expensive functions")
    args = ap.parse_args(argv)
    from tasks.importers import load_plan

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.xlsx"
        t0 = time.perf_counter()
        make_workbook(path, args.tasks)
        print(f"generated {args.tasks} tasks in {time.perf_counter() - t0:.2f} s "
              f"({path.stat().st_size / 1024:.0f} KiB)")
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            plan = load_plan(path)
            times.append(time.perf_counter() - t0)
        assert len(plan.tasks) == args.tasks, len(plan.tasks)
        print(f"import + task list: best {min(times):.2f} s, median {statistics.median(times):.2f} s "
              f"over {args.repeat} runs ({args.tasks / min(times):.0f} tasks/s); target ≤ 2 s for 5000")
        print(f"used: {plan.used['sheet']} rows {plan.used['rows']}, warnings: {len(plan.warnings)}")
        if args.profile:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.enable()
            load_plan(path)
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
