"""Prepare the bundled sample data before `make run` starts the dashboard.

Loads the sample plans into the default store when it is empty (the store is
added by the progress-tracking work; until then the dashboard reads data/).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    from tasks.importers import load_plan

    for f in sorted((ROOT / "data" / "plans").glob("*")):
        plan = load_plan(f)
        print(f"示例计划 {f.name}: {len(plan.tasks)} 项任务")
    return 0


if __name__ == "__main__":
    sys.exit(main())
