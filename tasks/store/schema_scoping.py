"""Tables of city/county scoping (issue 18, a province on one deployment).

- ``regions``: the cities and counties the deployment serves (``某某市``; ``某某县`` optionally
  under a city through ``parent_id``).
- ``plan_regions``: the region a plan belongs to.  A plan without a row belongs to the
  deployment's own level (``本级``), so a one-city deployment needs no row at all.
- ``account_regions``: an account's region scope.  An account without a row is unscoped (the
  provincial office, or everyone in a one-city deployment).

The Alembic revision ``0009_scoping`` creates them.

>>> {"regions", "plan_regions", "account_regions"} <= set(Base.metadata.tables)
True
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .schema import Base

__all__ = ["AccountRegionRow", "PlanRegionRow", "RegionRow"]


class RegionRow(Base):
    """A city or county; a county may name the city it belongs to."""

    __tablename__ = "regions"
    __table_args__ = (UniqueConstraint("name", name="uq_regions_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(20))  # city | county
    created_at: Mapped[datetime] = mapped_column(DateTime)


class PlanRegionRow(Base):
    """The region a plan belongs to (no row: the deployment's own level)."""

    __tablename__ = "plan_regions"
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)


class AccountRegionRow(Base):
    """An account's region scope (no row: unscoped)."""

    __tablename__ = "account_regions"
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
