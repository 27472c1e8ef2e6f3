"""Tables that keep derived state current as data is committed (issue 18, a province on one deployment).

- ``progress_latest``: the latest accepted progress report per task and unit (by report date,
  then id), written in the same transaction as the upload, so "the last report" is one indexed
  read instead of a replay of the whole history.
- ``data_versions``: counters bumped in the same transaction as any change of data: scope ``""``
  for the whole store, ``plan:<id>`` for one plan's tasks, reports and lifecycle.  Caches key on
  them; logins and other account audit rows do not touch them.

>>> {"progress_latest", "data_versions"} <= set(Base.metadata.tables)
True
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .schema import Base

__all__ = ["ProgressLatestRow", "DataVersionRow"]


class ProgressLatestRow(Base):
    """The newest report of one unit on one task (kept current by :meth:`Store.add_upload`)."""

    __tablename__ = "progress_latest"
    task_pk: Mapped[int] = mapped_column(ForeignKey("tasks.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("progress_reports.id"))
    report_date: Mapped[date] = mapped_column(Date)
    period: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    percent: Mapped[float] = mapped_column(Float)
    #: the report's texts, kept beside it: status reads them without a join to the whole history
    progress: Mapped[str] = mapped_column(Text, default="", server_default="")
    problems: Mapped[str] = mapped_column(Text, default="", server_default="")


class DataVersionRow(Base):
    """A counter per scope (``""``: all data; ``plan:<id>``: one plan), bumped on every data change."""

    __tablename__ = "data_versions"
    scope: Mapped[str] = mapped_column(String(50), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
