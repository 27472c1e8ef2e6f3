"""Tables of the progress store (SQLAlchemy declarative models).

The schema itself is created and changed only by the Alembic migrations in
``tasks/store/migrations``; these models describe it for queries.  A test
compares the two so they cannot drift apart.

>>> {"plans", "tasks", "progress_reports", "audit_log"} <= set(Base.metadata.tables)
True
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

LEAD, RESPONSIBLE = "lead", "responsible"


class Base(DeclarativeBase):
    pass


class PlanRow(Base):
    """One imported programme; ``key`` names it for re-imports (default: its title)."""

    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("key", name="uq_plans_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text, default="")
    issuer: Mapped[str] = mapped_column(Text, default="")
    issued: Mapped[date | None] = mapped_column(Date, nullable=True)
    source_file: Mapped[str] = mapped_column(Text, default="")
    loaded_at: Mapped[datetime] = mapped_column(DateTime)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class UnitRow(Base):
    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("name", name="uq_units_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    collective: Mapped[bool] = mapped_column(Boolean, default=False)


class TaskRow(Base):
    """A task of a plan, addressed by (plan, task id); removed tasks are archived."""

    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("plan_id", "task_id", name="uq_tasks_plan_task"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    task_id: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(Text, default="")
    section: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    deadline_text: Mapped[str] = mapped_column(Text, default="")
    deadline_kind: Mapped[str] = mapped_column(String(20), default="none")
    data: Mapped[dict] = mapped_column(JSON, default=dict)  # the full Task.to_dict()
    position: Mapped[int] = mapped_column(Integer, default=0)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class TaskUnitRow(Base):
    """A unit's role in a task: ``lead`` (牵头) or ``responsible`` (责任)."""

    __tablename__ = "task_units"
    task_pk: Mapped[int] = mapped_column(ForeignKey("tasks.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    name_as_written: Mapped[str] = mapped_column(Text, default="")


class PredecessorRow(Base):
    __tablename__ = "predecessors"
    task_pk: Mapped[int] = mapped_column(ForeignKey("tasks.id"), primary_key=True)
    predecessor_pk: Mapped[int] = mapped_column(ForeignKey("tasks.id"), primary_key=True)


class PeriodRow(Base):
    """A reporting period (``2021-09``); closed periods accept no more uploads."""

    __tablename__ = "periods"
    __table_args__ = (UniqueConstraint("key", name="uq_periods_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(20))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    due: Mapped[date] = mapped_column(Date)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class UploadRow(Base):
    """One accepted file: who sent it, when, its name and hash (the same file is refused twice)."""

    __tablename__ = "uploads"
    __table_args__ = (UniqueConstraint("sha256", name="uq_uploads_sha256"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(Text)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    person: Mapped[str] = mapped_column(Text, default="")
    period: Mapped[str] = mapped_column(String(20))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))
    row_count: Mapped[int] = mapped_column(Integer, default=0)


class ProgressReportRow(Base):
    """One accepted row of an upload; never updated or deleted (append-only history)."""

    __tablename__ = "progress_reports"
    __table_args__ = (Index("ix_progress_task_date", "task_pk", "report_date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id"), index=True)
    task_pk: Mapped[int] = mapped_column(ForeignKey("tasks.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    period: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20))
    percent: Mapped[float] = mapped_column(Float)
    progress: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    report_date: Mapped[date] = mapped_column(Date)
    source_sheet: Mapped[str] = mapped_column(Text, default="")
    source_row: Mapped[int] = mapped_column(Integer)


class AuditRow(Base):
    """Who changed what: every mutating store call writes one row."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    target: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
