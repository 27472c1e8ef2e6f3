"""Tables of the reminders (issue 17): unit contacts, message templates, settings and the outbox.

They live on the store's declarative ``Base`` (the Alembic revision ``0004_outbox``
creates them), so the "migrations match models" check covers them.  Mail-server
credentials are never stored here: they come from the environment or
``.streamlit/secrets.toml`` (see :mod:`tasks.notify.channels`).

>>> sorted(t for t in Base.metadata.tables if t.startswith("notify"))
['notify_contacts', 'notify_outbox', 'notify_settings', 'notify_templates']
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .schema import Base

__all__ = ["ContactRow", "TemplateRow", "SettingRow", "OutboxRow"]


class ContactRow(Base):
    """Where a unit is reached: contact person, mobile, e-mail, group-robot webhook (set by an office).

    ``region`` is the city or county whose office keeps the contact (``""``: the province's, for the
    plans of no region — every contact written before regions existed); one contact per unit and region.
    """

    __tablename__ = "notify_contacts"
    __table_args__ = (UniqueConstraint("region", "unit", name="uq_notify_contacts_region_unit"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(100), default="", server_default="")
    unit: Mapped[str] = mapped_column(String(200))
    person: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(Text, default="")
    webhook: Mapped[str] = mapped_column(Text, default="")
    #: 钉钉 robot signing secret (加签); empty when the robot uses keywords or IP lists instead
    webhook_secret: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))


class TemplateRow(Base):
    """The office's wording for one reason (subject and body with ``{占位符}``)."""

    __tablename__ = "notify_templates"
    reason: Mapped[str] = mapped_column(String(30), primary_key=True)
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))


class SettingRow(Base):
    """One named group of settings (``rules``: reasons on/off, days ahead, quiet hours, caps…)."""

    __tablename__ = "notify_settings"
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))


class OutboxRow(Base):
    """One message the workbench decided to send; ``key`` is unique so it is never queued twice."""

    __tablename__ = "notify_outbox"
    __table_args__ = (
        UniqueConstraint("key", name="uq_notify_outbox_key"),
        Index("ix_notify_outbox_status_next", "status", "next_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the region of the plan the message is about (``""``: plans of no region); its office sends it
    region: Mapped[str] = mapped_column(String(100), default="", server_default="", index=True)
    key: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(String(30))
    unit: Mapped[str] = mapped_column(String(200), index=True)
    person: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[str] = mapped_column(Text, default="")
    task_id: Mapped[str] = mapped_column(Text, default="")
    period: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    #: not sent before this time (quiet hours, retry backoff)
    next_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
