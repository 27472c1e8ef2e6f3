"""Task-breakdown tables: import, model, dependency graph, progress store, status and reports.

No Streamlit here: the dashboard (``ui/``) and the notebooks call these functions.
"""
from .model import Milestone, Plan, Source, Task

__all__ = ["Milestone", "Plan", "Source", "Task"]
