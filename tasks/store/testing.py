"""Throw-away stores for tests and notebooks: a SQLite file, or a fresh PostgreSQL database.

>>> with temporary_store("sqlite", tmp_dir) as store:     # doctest: +SKIP
...     store.load_plan_into_store(plan, actor="test")

For PostgreSQL give the server's URL (any database on it, e.g. ``.../postgres``);
a database ``wbtest_<random>`` is created, migrated, and dropped afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from .repo import Store


@contextmanager
def temporary_database(server_url: str) -> Iterator[str]:
    """Create an empty PostgreSQL database on ``server_url``; yield its URL; drop it after."""
    name = f"wbtest_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def temporary_store(kind: str, directory: str | Path, pg_url: str | None = None) -> Iterator[Store]:
    """A migrated, empty :class:`Store`: ``kind`` is ``sqlite`` (file in ``directory``) or ``postgresql``.

    Parameters
    ----------
    kind : str
        ``sqlite`` or ``postgresql``.
    directory : str or Path
        Where the SQLite file goes (``workbench-test.db``).
    pg_url : str, optional
        The PostgreSQL server's URL (needed for ``postgresql``); a database ``wbtest_<random>`` is
        created on it and dropped afterwards.

    Yields
    ------
    Store
        The store, disposed of when the block ends.

    Raises
    ------
    ValueError
        When ``kind`` is ``postgresql`` and no ``pg_url`` is given.

    Examples
    --------
    >>> import tempfile
    >>> with temporary_store("sqlite", tempfile.mkdtemp()) as store:
    ...     store.plans()
    []
    """
    if kind == "sqlite":
        store = Store(f"sqlite:///{Path(directory) / 'workbench-test.db'}")
        try:
            yield store
        finally:
            store.dispose()
        return
    if not pg_url:
        raise ValueError("PostgreSQL server URL needed")
    with temporary_database(pg_url) as url:
        store = Store(url)
        try:
            yield store
        finally:
            store.dispose()
