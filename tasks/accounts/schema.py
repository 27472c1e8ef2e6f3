"""Tables of the accounts: local accounts and their login sessions.

They live in the progress store's database and on its declarative ``Base``
(the Alembic revision ``0002_accounts`` creates them), so the store's
"migrations match models" check covers them too.  Only password *hashes* and
session-token *hashes* are kept, never the secrets themselves.

>>> {"account_sessions", "accounts"} <= set(Base.metadata.tables)
True

An account's region scope (a city or county) is kept beside it in ``account_regions``
(:mod:`tasks.store.schema_scoping`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..store.schema import Base


class AccountRow(Base):
    """A local account: role, unit (unit accounts only), argon2 hash, lockout state."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("name", name="uq_accounts_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    display_name: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str | None] = mapped_column(String(200), nullable=True)
    password_hash: Mapped[str] = mapped_column(Text)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class AccountSessionRow(Base):
    """A login session, found by the SHA-256 of its random token; ends on logout or inactivity."""

    __tablename__ = "account_sessions"
    __table_args__ = (UniqueConstraint("token_hash", name="uq_account_sessions_token"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
