"""The progress store (SQLAlchemy; SQLite file by default, PostgreSQL by URL).

>>> from tasks.store import Store
>>> store = Store("sqlite://")          # in-memory, migrated on open
>>> store.plans()
[]
"""

from .config import default_url, make_engine, migrate
from .periods import BadPeriod, Period, month_of, month_period, parse_period, period_of
from .protocol import StoreLike, raw_store
from .records import AuditEntry, StoredPlan, StoredUpload
from .repo import DEFAULT_GRACE_DAYS, LoadResult, PeriodInfo, ReportRecord, Store, StoredTask, StoreError
from .schema import LEAD, RESPONSIBLE
from .testing import temporary_store
from .views import plan_from_store, plan_task_dicts, unit_task_counts

__all__ = [
    "AuditEntry",
    "BadPeriod",
    "DEFAULT_GRACE_DAYS",
    "LEAD",
    "LoadResult",
    "Period",
    "PeriodInfo",
    "RESPONSIBLE",
    "ReportRecord",
    "Store",
    "StoreError",
    "StoreLike",
    "StoredPlan",
    "StoredTask",
    "StoredUpload",
    "default_url",
    "make_engine",
    "migrate",
    "month_of",
    "month_period",
    "parse_period",
    "period_of",
    "plan_from_store",
    "plan_task_dicts",
    "raw_store",
    "temporary_store",
    "unit_task_counts",
]
