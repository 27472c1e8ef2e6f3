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
    """Plan files in ``directory`` (predecessor side files and hidden files left out).

    Parameters
    ----------
    directory
        The folder to list; default the bundled plans (:func:`plans_dir`).

    Returns
    -------
    list of Path
        Table and document files the importers read, sorted by name; empty when the folder is missing.

    Examples
    --------
    >>> [p.name for p in plan_files()]
    ['leiyang-2021-tasks.xlsx', 'sample-block-plan.txt']
    >>> plan_files("no/such/folder")
    []
    """
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
    """:func:`~tasks.importers.load_plan` plus the links of a predecessors file beside it.

    Parameters
    ----------
    path
        A plan file (table or policy document).

    Returns
    -------
    Plan
        The plan, with the predecessors file's links merged in when there is one.

    Raises
    ------
    ImportFailed
        The plan file or its predecessors file cannot be read (a Chinese message naming the file,
        and sheet, row and column where they apply).

    Examples
    --------
    >>> plan = read_plan_file(plan_files()[0])
    >>> len(plan.tasks), plan.task("11").predecessors
    (32, ['10'])
    """
    from .graph import predecessor_file_beside, read_predecessor_file, with_links

    plan = load_plan(path)
    side = predecessor_file_beside(path)
    return with_links(plan, read_predecessor_file(side)) if side else plan


def predecessor_stamp(path: Path) -> float:
    """Latest modification time of a plan file and its predecessors file (a cache key).

    Parameters
    ----------
    path
        A plan file.

    Returns
    -------
    float
        The later ``st_mtime`` of the two (of the plan file alone when it has no predecessors file).

    Raises
    ------
    OSError
        ``path`` does not exist.

    Examples
    --------
    >>> path = plan_files()[0]
    >>> predecessor_stamp(path) >= path.stat().st_mtime
    True
    """
    from .graph import predecessor_file_beside

    side = predecessor_file_beside(path)
    return max(path.stat().st_mtime, side.stat().st_mtime if side else 0.0)


def load_bundled_plans(store, actor: str, directory: str | Path | None = None) -> list[str]:
    """Load every bundled plan into ``store`` (a :class:`tasks.store.Store`).

    Returns one Chinese line per file: what was loaded, or why a file was not.

    Parameters
    ----------
    store
        The task store to load into.
    actor
        Who loads them (written into the store's history).
    directory
        The folder of plans; default the bundled ones.

    Returns
    -------
    list of str
        One Chinese line per plan file; a file that cannot be read gives a ``未导入`` line instead of
        an error, so one bad file does not stop the others.

    Examples
    --------
    >>> from tasks.store import Store
    >>> lines = load_bundled_plans(Store("sqlite://"), actor="admin")
    >>> [(line.split()[1][:16], "新增" in line) for line in lines]
    [('leiyang-2021-tas', True), ('sample-block-pla', True)]
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
