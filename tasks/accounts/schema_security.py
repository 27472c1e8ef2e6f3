"""Login throttling: failed logins counted per typed account name *and* source (client address).

A row is keyed by the SHA-256 of ``name + source`` (the typed name is never
stored in clear: it may be a password typed into the wrong box), with the
SHA-256 of the name alone so the office can clear an account's rows when it
unlocks or resets it.  Rows with an empty ``name_hash`` count a source's
failures over all names (password spraying).  The Alembic revision
``0006_security`` creates the table.

>>> "login_throttle" in Base.metadata.tables
True
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..store.schema import Base

__all__ = ["LoginThrottleRow"]


class LoginThrottleRow(Base):
    """Failures of one (name, source) pair — or of one source over all names — and its wait."""

    __tablename__ = "login_throttle"
    __table_args__ = (UniqueConstraint("key_hash", name="uq_login_throttle_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    name_hash: Mapped[str] = mapped_column(String(64), index=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_failure_at: Mapped[datetime] = mapped_column(DateTime)
