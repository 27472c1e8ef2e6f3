"""How long importing a large task-breakdown workbook and a large policy text take
(target: ≤ 2 s for 5,000 tasks each).

Generates a 5,000-task workbook (decoy sheet, merged title, 50 merged section
rows, multi-line cells, deadlines as text, Excel date cells and ongoing
words, predecessors, a 注 row) and a 5,000-task policy text mixing the text
conventions (``牵头单位:`` blocks with compound labels, inline brackets, unlabelled
lists under a stated first-listed-leads rule, sub-items, 〔〕 brackets with notes),
then times ``load_plan`` on each and prints the figures.  The text generator is
linear in the number of tasks (one list of lines, joined once).

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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tasks.model import Plan

UNITS = [
    "市审改办",
    "市政务服务中心",
    "市委编办",
    "市司法局",
    "市发改局",
    "市自然资源局",
    "市住建局",
    "市市场监督管理局",
    "市人社局",
    "市医保局",
    "市公安局",
    "市财政局",
    "各县(市、区)人民政府",
    "市直各相关单位",
    "各乡镇(街道)",
]
TEXT_DEADLINES = [
    "2021年底前",
    "2021年8月底前",
    "20219月底前",
    "2021年6月30日前",
    "长期坚持",
    "三季度末",
    "2021年9月底前上线试运行,2022年扩容推广",
    "上半年",
    "年内",
    "2021/10/31",
]


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
        deadline = (
            datetime(2021, rng.randint(1, 12), rng.randint(1, 28)) if rng.random() < 0.3 else rng.choice(TEXT_DEADLINES)
        )
        preds = "、".join(str(rng.randint(1, i - 1)) for _ in range(rng.randint(0, 2))) if i > 1 else None
        ws.append(
            [
                i,
                f"推进第{i}项改革任务",
                f"梳理事项清单,\n压减办理材料;\n第{i}项措施落实到位。",
                lead,
                resp or None,
                deadline,
                preds or None,
            ]
        )
        r = ws.max_row
        ws.cell(r, 3).alignment = wrap
        if isinstance(deadline, datetime):
            ws.cell(r, 6).number_format = "yyyy-mm-dd"
    ws.append(["注:牵头部门负总责。"])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=7)
    wb.save(path)
    return path


def make_text(path: Path, n_tasks: int, seed: int = 7) -> Path:
    """A long policy text with ``n_tasks`` tasks in every text convention the importer knows."""
    rng = random.Random(seed)
    out = ["某市2021年政务服务改革攻坚行动方案", "排在第一位的部门为牵头部门,下同。"]
    per_section = max(1, n_tasks // 50)
    i = 0
    while i < n_tasks:
        if i % per_section == 0:
            out.append(f"{_CN[(i // per_section) % len(_CN)]}、第{i // per_section + 1}部分攻坚任务")
        n = i + 1
        units = rng.sample(UNITS, 3)
        deadline = rng.choice(TEXT_DEADLINES[:5])
        form = n % 5
        if form == 0:
            out += [
                f"{n}.推进第{n}项改革任务。梳理事项清单,压减办理材料。",
                f"牵头责任单位:{units[0]}",
                f"协同责任单位:{units[1]}、{units[2]}",
                "牵头负责领导:某某",
                f"完成时限:{deadline}",
            ]
        elif form == 1:
            out.append(f"{n}.推进第{n}项改革任务。落实到位。({units[0]}牵头,{units[1]}按职责分工负责,{deadline}完成)")
        elif form == 2:
            out.append(f"{n}.推进第{n}项改革任务。({units[0]}、{units[1]}、{units[2]}负责)")
        elif form == 3:
            out.append(
                f"{n}.推进第{n}项改革任务。〔牵头单位:{units[0]};责任单位:{units[1]}。"
                "以下任务均需各区落实,不再一一列出〕"
            )
        else:
            out.append(
                f"{n}.推进第{n}项改革任务。(1)梳理清单。({units[0]}牵头)(2)压减材料。({units[1]}牵头,"
                f"{units[2]}配合,{deadline}完成)"
            )
        i += 1
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


_CN = "一二三四五六七八九十"


def expected_text_tasks(n_tasks: int) -> int:
    """Tasks :func:`make_text` holds: every fifth numbered item has two sub-item tasks."""
    return n_tasks + sum(1 for n in range(1, n_tasks + 1) if n % 5 == 4)


def _time(label: str, path: Path, expected: int, repeat: int) -> Plan:
    from tasks.importers import load_plan

    times: list[float] = []
    cpu: list[float] = []
    plan = None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        plan = load_plan(path)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    assert plan is not None and len(plan.tasks) == expected, (len(plan.tasks) if plan else 0, expected)
    print(
        f"{label}: best {min(times):.2f} s wall ({min(cpu):.2f} s CPU), median {statistics.median(times):.2f} s "
        f"over {repeat} runs ({expected / min(times):.0f} tasks/s); target ≤ 2 s for 5000"
    )
    return plan


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
        print(
            f"generated {args.tasks} tasks in {time.perf_counter() - t0:.2f} s ({path.stat().st_size / 1024:.0f} KiB)"
        )
        plan = _time("workbook import + task list", path, args.tasks, args.repeat)
        print(f"used: {plan.used['sheet']} rows {plan.used['rows']}, warnings: {len(plan.warnings)}")
        text_path = Path(tmp) / "bench.txt"
        t0 = time.perf_counter()
        make_text(text_path, args.tasks)
        print(
            f"generated a {args.tasks}-item policy text in {time.perf_counter() - t0:.2f} s "
            f"({text_path.stat().st_size / 1024:.0f} KiB)"
        )
        tplan = _time("policy text import + task list", text_path, expected_text_tasks(args.tasks), args.repeat)
        from tasks.importers.confidence import confidence

        c = confidence(tplan)
        print(
            f"text: {len(tplan.tasks)} tasks, no lead {len(c['no_lead'])}, unlabelled lists "
            f"{len(c['unlabelled'])}, warnings {len(tplan.warnings)}"
        )
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
