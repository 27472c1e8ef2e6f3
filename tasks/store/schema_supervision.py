"""Tables of the supervision loop (督办): plan calendars, lifecycle events, evidence files, baselines.

``supervision_events`` is append-only: every 签收, 延期申请/审批, 申请办结, 办结审核 and
申诉 is one row with actor, time and note; the state on any date is replayed
from the rows up to that date (:mod:`tasks.progress.lifecycle`).

>>> {"plan_calendars", "supervision_events", "evidence_files", "baselines"} <= set(Base.metadata.tables)
True
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .schema import Base

__all__ = ["PlanCalendarRow", "SupervisionEventRow", "EvidenceFileRow", "BaselineRow"]


class PlanCalendarRow(Base):
    """A plan's reporting calendar: start date, cycle (month/quarter) and cut-off day."""

    __tablename__ = "plan_calendars"
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), primary_key=True)
    start: Mapped[date] = mapped_column(Date)
    cycle: Mapped[str] = mapped_column(String(20), default="month")
    due_day: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))


class SupervisionEventRow(Base):
    """One lifecycle step of a task for one unit; never updated or deleted."""

    __tablename__ = "supervision_events"
    __table_args__ = (Index("ix_supervision_events_task", "task_pk", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    task_pk: Mapped[int] = mapped_column(ForeignKey("tasks.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    kind: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")
    #: the request, claim or appeal this event answers
    ref_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: a date the event carries: requested/approved deadline, claimed completion date
    new_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    data: Mapped[dict] = mapped_column(JSON, default=dict)


class EvidenceFileRow(Base):
    """A 佐证材料 file: stored content-addressed (sha256) in the file store, described here."""

    __tablename__ = "evidence_files"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    mime: Mapped[str] = mapped_column(String(100))
    task_pk: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    event_id: Mapped[int] = mapped_column(ForeignKey("supervision_events.id"), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))


class BaselineRow(Base):
    """A frozen copy of a plan's tasks and deadlines (at load, at each period close, on demand)."""

    __tablename__ = "baselines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
