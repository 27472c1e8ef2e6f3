"""Shared helpers for the account tests: a fake clock, a full database dump, stores with accounts."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from typing import TypeVar

import pytest
from sqlalchemy import select

from tasks.accounts import AccountBook, AccountPolicy
from tasks.store.schema import Base

T = TypeVar("T")

PG_URL = os.environ.get("WORKBENCH_TEST_PG_URL", "").strip()
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=[
            pytest.mark.pg,
            pytest.mark.skipif(
                not PG_URL, reason="WORKBENCH_TEST_PG_URL not set (make test starts a local PostgreSQL)"
            ),
        ],
    ),
]
UNIT_A, UNIT_B = "市政务服务中心", "市审改办"


class FakeClock:
    """A clock the test moves by hand (naive local time, like the store)."""

    def __init__(self, start: datetime = datetime(2021, 10, 8, 9, 0, 0)):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw) -> None:
        self.now += timedelta(**kw)


def must(value: T | None) -> T:
    """``value``, which the test knows is there (an account, a record): fails the test if it is None."""
    assert value is not None
    return value


def dump(store) -> dict[str, list[tuple]]:
    """Every row of every table (content, not just counts): proves a refusal wrote nothing."""
    out = {}
    with store.session() as s:
        for name, table in sorted(Base.metadata.tables.items()):
            rows = s.execute(select(table)).all()
            out[name] = sorted(tuple(map(repr, r)) for r in rows)
    return out


def make_book(store, clock=None, **policy) -> AccountBook:
    return AccountBook(store, AccountPolicy(**policy) if policy else AccountPolicy(), clock=clock or FakeClock())
