"""The ``import_profiles`` table: import profiles an office saved (revision ``0007_import_profiles``).

A profile's rules are kept as the JSON of
:func:`tasks.importers.profiles.profile_to_dict`, by unique name.

>>> "import_profiles" in Base.metadata.tables
True
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .schema import Base

__all__ = ["ImportProfileRow"]


class ImportProfileRow(Base):
    """One named import profile."""

    __tablename__ = "import_profiles"
    __table_args__ = (UniqueConstraint("name", name="uq_import_profiles_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)
