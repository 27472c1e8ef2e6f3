"""Kept reporting coverage for status (issues 18 and 13): which periods each task and unit reported, and when.

- ``status_task_periods``: per task, every report period any unit reported, with the first
  report date for it (one row per task: its periods packed as fixed-width records);
- ``status_unit_periods``: the same per task and unit (the reporting duties read it);
- ``ix_progress_task_unit_date``: the history's (task, unit, report date, id) index, so "the
  latest report of each unit on each task as of a past date" is one index seek per pair.

Both tables are written in the upload's transaction (:func:`tasks.store.kept.keep_latest`) and
rebuilt from the history by :func:`tasks.store.kept.rebuild_kept` (the 0008 migration fills them).
A row holds one record per period, so status reads one row per task whatever the history's length.

>>> {"status_task_periods", "status_unit_periods"} <= set(Base.metadata.tables)
True
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column

from .schema import Base, ProgressReportRow

__all__ = ["StatusTaskPeriodsRow", "StatusUnitPeriodsRow", "REPORT_SEEK_INDEX"]


class StatusTaskPeriodsRow(Base):
    """The periods one task was reported for (by any unit), each with its first report date."""

    __tablename__ = "status_task_periods"
    task_pk: Mapped[int] = mapped_column(ForeignKey("tasks.id"), primary_key=True)
    #: packed records (little-endian int32 pairs): period code, first report date (proleptic ordinal)
    periods: Mapped[bytes] = mapped_column(LargeBinary)
    #: number of records (periods reported)
    count: Mapped[int] = mapped_column(Integer)


class StatusUnitPeriodsRow(Base):
    """The periods one unit reported one task for, each with its first report date."""

    __tablename__ = "status_unit_periods"
    task_pk: Mapped[int] = mapped_column(ForeignKey("tasks.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    periods: Mapped[bytes] = mapped_column(LargeBinary)
    count: Mapped[int] = mapped_column(Integer)


#: one seek per (task, unit) for the latest report on or before a date
REPORT_SEEK_INDEX = Index(
    "ix_progress_task_unit_date",
    ProgressReportRow.task_pk,
    ProgressReportRow.unit_id,
    ProgressReportRow.report_date,
    ProgressReportRow.id,
)
