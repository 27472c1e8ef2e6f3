"""Tables of the supervision loop (督办): plan calendars, lifecycle events, evidence files, baselines.

``supervision_events`` is append-only: every 签收, 延期申请/审批, 申请办结, 办结审核 and
申诉 is one row with actor, time and note; the state on any date is replayed
from the rows up to that date (:mod:`tasks.progress.lifecycle`).  ``supervision_state`` keeps
each task and unit's state after all its steps, written in each step's transaction
(:mod:`tasks.progress.lifecycle_state`), so that status as of today reads one row per pair
instead of replaying every step.

>>> {"plan_calendars", "supervision_events", "evidence_files", "baselines", "supervision_state"} <= set(
...     Base.metadata.tables)
True
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .schema import Base

__all__ = ["PlanCalendarRow", "SupervisionEventRow", "LifecycleStateRow", "EvidenceFileRow", "BaselineRow"]


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


class LifecycleStateRow(Base):
    """One unit's lifecycle on one task after all its steps (a row for every pair with a step).

    Kept, not a source: :func:`tasks.progress.lifecycle_state.rebuild_lifecycle_state` rebuilds it
    from ``supervision_events``.  The times (signed, claimed, accepted, first and newest step) let
    status see the loop as of an earlier date without replaying it.
    """

    __tablename__ = "supervision_state"
    task_pk: Mapped[int] = mapped_column(ForeignKey("tasks.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    #: pending_sign | in_progress | claimed | closed
    state: Mapped[str] = mapped_column(String(20))
    signed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: the pending or accepted claim (its step id) and the completion date it claims
    claim_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    claim_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    closed_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: when the office accepted the claim
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    returned_note: Mapped[str] = mapped_column(Text, default="")
    #: the evidence file ids of the latest claim
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    #: when the pending or accepted claim was made
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: the pair's first and newest step, and how many of its claims were returned: with them the
    #: state as of an earlier date is read from this row, or (after a return) replayed from the pair's steps
    first_at: Mapped[datetime] = mapped_column(DateTime)
    last_at: Mapped[datetime] = mapped_column(DateTime)
    returns: Mapped[int] = mapped_column(Integer, default=0)


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
