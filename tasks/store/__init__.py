"""The progress store (SQLAlchemy; SQLite file by default, PostgreSQL by URL).

>>> from tasks.store import Store
>>> store = Store("sqlite://")          # in-memory, migrated on open
>>> store.plans()
[]
"""
from .config import default_url, make_engine, migrate
from .periods import BadPeriod, Period, month_of, month_period, parse_period, period_of
from .repo import DEFAULT_GRACE_DAYS, LoadResult, PeriodInfo, ReportRecord, Store, StoredTask, StoreError
from .schema import LEAD, RESPONSIBLE

__all__ = ["Store", "StoredTask", "StoreError", "LoadResult", "PeriodInfo", "ReportRecord",
           "Period", "BadPeriod", "parse_period", "period_of", "month_of", "month_period", "default_url",
           "make_engine", "migrate", "LEAD", "RESPONSIBLE", "DEFAULT_GRACE_DAYS"]
