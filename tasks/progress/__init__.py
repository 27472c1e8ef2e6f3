"""Progress tracking: unit templates, uploads, status replay, cards, scorecards, reminders, reports.

>>> from tasks.store import Store
>>> from tasks.progress import snapshot, ranking, reminders, validate_upload, commit_upload
"""

from .demo import load_demo
from .reports import PeriodReport, build_report, reminders_xlsx, report_docx, report_xlsx, write_report
from .rules import (
    RULES_FILE,
    STATUS_NAMES,
    BadRules,
    Level,
    Rules,
    default_rules,
    load_rules,
    rules_from_toml,
    save_rules,
)
from .safe import safe_text
from .scorecard import Reminder, Scorecard, ranking, ranking_rule, reminders, scorecards
from .status import Snapshot, TaskStatus, compute, snapshot, task_status
from .template import (
    DATA_SHEET,
    FIRST_DATA_ROW,
    STATUS_CHOICES,
    all_templates_zip,
    build_template,
    fill_template,
    template_bytes,
    template_filename,
    write_template,
)
from .upload import Problem, UploadRejected, UploadReport, UploadRow, commit_upload, upload_files, validate_upload

__all__ = [
    "BadRules",
    "DATA_SHEET",
    "FIRST_DATA_ROW",
    "Level",
    "PeriodReport",
    "Problem",
    "RULES_FILE",
    "Reminder",
    "Rules",
    "STATUS_CHOICES",
    "STATUS_NAMES",
    "Scorecard",
    "Snapshot",
    "TaskStatus",
    "UploadRejected",
    "UploadReport",
    "UploadRow",
    "all_templates_zip",
    "build_report",
    "build_template",
    "commit_upload",
    "compute",
    "default_rules",
    "fill_template",
    "load_demo",
    "load_rules",
    "ranking",
    "ranking_rule",
    "reminders",
    "reminders_xlsx",
    "report_docx",
    "report_xlsx",
    "rules_from_toml",
    "safe_text",
    "save_rules",
    "scorecards",
    "snapshot",
    "task_status",
    "template_bytes",
    "template_filename",
    "upload_files",
    "validate_upload",
    "write_report",
    "write_template",
]
