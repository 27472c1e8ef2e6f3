"""Progress tracking: unit templates, uploads, status replay, cards, scorecards, reminders, reports.

>>> from tasks.store import Store
>>> from tasks.progress import snapshot, ranking, reminders, validate_upload, commit_upload
"""
from .reports import PeriodReport, build_report, reminders_xlsx, report_docx, report_xlsx, write_report
from .rules import RULES_FILE, BadRules, Level, Rules, default_rules, load_rules, save_rules
from .safe import safe_text
from .scorecard import Reminder, Scorecard, ranking, ranking_rule, reminders, scorecards
from .status import Snapshot, TaskStatus, compute, snapshot, task_status
from .template import (
                       STATUS_CHOICES,
                       all_templates_zip,
                       build_template,
                       fill_template,
                       template_bytes,
                       template_filename,
                       write_template,
)
from .upload import Problem, UploadRejected, UploadReport, commit_upload, upload_files, validate_upload

__all__ = [
    "PeriodReport", "build_report", "reminders_xlsx", "write_report", "report_docx", "report_xlsx", "BadRules", "Level", "Rules", "default_rules",
    "load_rules", "save_rules", "RULES_FILE", "safe_text", "Reminder", "Scorecard", "ranking",
    "ranking_rule", "reminders", "scorecards", "Snapshot", "TaskStatus", "compute", "snapshot",
    "task_status", "STATUS_CHOICES", "all_templates_zip", "build_template", "fill_template",
    "template_bytes",
    "template_filename", "write_template", "Problem", "UploadRejected", "UploadReport",
    "commit_upload", "upload_files", "validate_upload"]
