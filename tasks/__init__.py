"""Task-breakdown tables: import, model, dependency graph, progress store, status and reports.

No Streamlit here: the dashboard (``ui/``) and the notebooks call these functions. The model classes
are imported with the package; the other public names on first use. Subpackages have their own
public names: :mod:`tasks.importers`, :mod:`tasks.graph`, :mod:`tasks.store`, :mod:`tasks.progress`,
:mod:`tasks.accounts`.

>>> import tasks
>>> plan = tasks.read_plan_file(tasks.plan_files()[0])
>>> len(plan.tasks), type(plan) is tasks.Plan
(32, True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.lazy import lazy_exports

from .model import DATE, ONGOING, Milestone, Plan, Source, Task

if TYPE_CHECKING:
    from .errors import ImportFailed, WorkbenchError
    from .importers import load_plan
    from .plan_views import short_plan_names, unit_tasks, unit_view
    from .samples import load_bundled_plans, plan_files, predecessor_stamp, read_plan_file
    from .units import AliasTable, is_collective

__all__ = [
    "AliasTable",
    "DATE",
    "ImportFailed",
    "Milestone",
    "ONGOING",
    "Plan",
    "Source",
    "Task",
    "WorkbenchError",
    "is_collective",
    "load_bundled_plans",
    "load_plan",
    "plan_files",
    "predecessor_stamp",
    "read_plan_file",
    "short_plan_names",
    "unit_tasks",
    "unit_view",
]

# everything but the model is imported on first use, so ``import tasks`` stays cheap
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "ImportFailed": "tasks.errors",
        "WorkbenchError": "tasks.errors",
        "load_plan": "tasks.importers",
        "short_plan_names": "tasks.plan_views",
        "unit_tasks": "tasks.plan_views",
        "unit_view": "tasks.plan_views",
        "load_bundled_plans": "tasks.samples",
        "plan_files": "tasks.samples",
        "predecessor_stamp": "tasks.samples",
        "read_plan_file": "tasks.samples",
        "AliasTable": "tasks.units",
        "is_collective": "tasks.units",
    },
)
