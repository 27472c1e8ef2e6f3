"""Kept done-state history (issue 18): per task and unit, when its newest report said 已完成.

``status_unit_done`` holds one row per (task, unit) that ever reported: the days the unit reported
on the task, each with whether its last report of the day said "已完成" (packed records, see
:func:`tasks.store.kept_trend.pack_changes`).  The board's trend
(done and overdue tasks at each month's end) reads it instead of replaying every report.

Written in the upload's transaction (:func:`tasks.store.kept_trend.keep_done`) and rebuilt from the
history by :func:`tasks.store.kept_trend.fill_done` (the 0011 migration fills it).

>>> "status_unit_done" in Base.metadata.tables
True
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column

from .schema import Base

__all__ = ["StatusUnitDoneRow"]


class StatusUnitDoneRow(Base):
    """The days one unit reported on one task, each with whether its newest report said 已完成."""

    __tablename__ = "status_unit_done"
    task_pk: Mapped[int] = mapped_column(ForeignKey("tasks.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    #: packed records (little-endian int32 pairs): day (proleptic ordinal), 1 when its last report that day said 已完成
    changes: Mapped[bytes] = mapped_column(LargeBinary)
    #: number of records
    count: Mapped[int] = mapped_column(Integer)
