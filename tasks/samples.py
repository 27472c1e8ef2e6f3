"""The sample plans bundled in ``data/plans/``, read the same way everywhere.

``make run`` (scripts/bootstrap.py), the dashboard and the notebooks all open
on these files.  A plan may have a predecessors file beside it
(``<plan>.predecessors.csv``, see :mod:`tasks.graph.predecessors`); its links
are merged into the plan so the dependency views have something to show.

>>> [p.name for p in plan_files()]
['leiyang-2021-tasks.xlsx', 'sample-block-plan.txt']
>>> plan = read_plan_file(plan_files()[0])
>>> plan.task("11").predecessors
['10']
"""

from __future__ import annotations

from pathlib import Path

from core import config

from .importers import DOCUMENT_SUFFIXES, TABLE_SUFFIXES, load_plan
from .model import Plan

_SIDE_FILES = (".predecessors.", ".前置任务.")


def plans_dir() -> Path:
    """``WORKBENCH_PLANS_DIR`` if set (tests use an empty one), else ``data/plans`` (:func:`core.config.plans_dir`)."""
    return config.plans_dir()


def plan_files(directory: str | Path | None = None) -> list[Path]:
    """Plan files in ``directory`` (predecessor side files and hidden files left out)."""
    d = Path(directory) if directory else plans_dir()
    if not d.is_dir():
        return []
    return [
        p
        for p in sorted(d.iterdir())
        if p.is_file()
        and not p.name.startswith(".")
        and p.suffix.lower() in TABLE_SUFFIXES | DOCUMENT_SUFFIXES
        and not any(s in p.name for s in _SIDE_FILES)
    ]


def read_plan_file(path: str | Path) -> Plan:
    """:func:`~tasks.importers.load_plan` plus the links of a predecessors file beside it."""
    from .graph import predecessor_file_beside, read_predecessor_file, with_links

    plan = load_plan(path)
    side = predecessor_file_beside(path)
    return with_links(plan, read_predecessor_file(side)) if side else plan


def predecessor_stamp(path: Path) -> float:
    """Latest modification time of a plan file and its predecessors file (a cache key)."""
    from .graph import predecessor_file_beside

    side = predecessor_file_beside(path)
    return max(path.stat().st_mtime, side.stat().st_mtime if side else 0.0)


def load_bundled_plans(store, actor: str, directory: str | Path | None = None) -> list[str]:
    """Load every bundled plan into ``store`` (a :class:`tasks.store.Store`).

    Returns one Chinese line per file: what was loaded, or why a file was not.
    """
    from .errors import WorkbenchError

    lines = []
    for p in plan_files(directory):
        try:
            result = store.load_plan_into_store(read_plan_file(p), actor=actor)
        except WorkbenchError as err:
            lines.append(f"示例计划 {p.name} 未导入:{err}")
        else:
            lines.append(f"示例计划 {p.name}:{result.summary()}")
    return lines
