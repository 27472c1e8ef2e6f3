"""Tables of the card history (红黄牌履历, revision ``0010_card_history``).

``card_history`` keeps every change of a task's card — issued, changed (a red card turned
yellow when the unit caught up, or raised), closed, withdrawn on an upheld appeal — with the rule
and the figures behind it, as decided at the time; rows are never updated or deleted.
``card_checks`` records which checks (one per reporting period of a plan, and one per upheld
appeal) have been evaluated, so that recording the history again writes nothing twice.

>>> {"card_history", "card_checks"} <= set(Base.metadata.tables)
True
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .schema import Base

__all__ = ["CardHistoryRow", "CardCheckRow"]


class CardHistoryRow(Base):
    """One change of one task's card at one check; append-only."""

    __tablename__ = "card_history"
    __table_args__ = (
        UniqueConstraint("task_pk", "check_key", name="uq_card_history_task_check"),
        Index("ix_card_history_plan_task", "plan_id", "task_pk"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    task_pk: Mapped[int] = mapped_column(ForeignKey("tasks.id"))
    #: what triggered the check: ``period:2021-09`` or ``appeal:17``
    check_key: Mapped[str] = mapped_column(String(60))
    #: the reporting period whose check this is (empty for an appeal)
    period: Mapped[str] = mapped_column(String(20), default="")
    #: the day the figures are as of
    checked_on: Mapped[date] = mapped_column(Date)
    #: issued | changed | closed | withdrawn
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(40), default="")
    level_name: Mapped[str] = mapped_column(Text, default="")
    previous: Mapped[str] = mapped_column(String(40), default="")
    previous_name: Mapped[str] = mapped_column(Text, default="")
    #: the rule that applied, in the rules file's own words (``status == overdue``)
    rule: Mapped[str] = mapped_column(Text, default="")
    #: why, in Chinese, with the task's own figures
    reason: Mapped[str] = mapped_column(Text, default="")
    #: the figures: status, missed_reports, total_missed, late_reports, overdue_days, gap, lifecycle
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    #: the upheld 申诉 (a ``supervision_events`` id) that withdrew the card
    appeal_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))


class CardCheckRow(Base):
    """A check of one plan's cards that has been recorded (whether or not any card changed)."""

    __tablename__ = "card_checks"
    __table_args__ = (UniqueConstraint("plan_id", "check_key", name="uq_card_checks_plan_check"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    check_key: Mapped[str] = mapped_column(String(60))
    checked_on: Mapped[date] = mapped_column(Date)
    changes: Mapped[int] = mapped_column(Integer, default=0)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))
