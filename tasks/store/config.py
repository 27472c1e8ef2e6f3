"""Where the store lives and how to connect to it.

The URL comes from env ``WORKBENCH_DB_URL`` (e.g.
``postgresql+psycopg://user@host/db``); without it the store is the SQLite file
``var/workbench.db`` under the repository (``var/`` is not versioned).  SQLite
runs in WAL mode with a generous busy timeout, and write transactions start
with ``BEGIN IMMEDIATE`` so concurrent uploads queue instead of failing with
"database is locked".

>>> default_url().endswith("workbench.db") or "WORKBENCH_DB_URL" in os.environ
True
"""

from __future__ import annotations

import os  # noqa: F401  (the doctest above reads os.environ)
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import StaticPool

from core import config
from core.config import package_file

MIGRATIONS = package_file("tasks.store", "migrations")
ENV_URL = "WORKBENCH_DB_URL"
BUSY_TIMEOUT_MS = 60_000


def default_url() -> str:
    """``WORKBENCH_DB_URL`` or the SQLite file under ``var/`` (:func:`core.config.db_url`).

    Returns
    -------
    str
        The SQLAlchemy URL of the store.

    Examples
    --------
    >>> default_url().startswith("sqlite") or "WORKBENCH_DB_URL" in os.environ
    True
    """
    return config.db_url()


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default :func:`default_url`), SQLite tuned for many writers.

    A SQLite file is created private (``0600`` in a ``0700`` directory) before SQLite opens it.

    Parameters
    ----------
    url : str, optional
        A SQLAlchemy URL (``sqlite://`` is in memory); default :func:`default_url`.

    Returns
    -------
    sqlalchemy.Engine
        The engine (SQLite: WAL mode, a long busy timeout, foreign keys on).

    Examples
    --------
    >>> engine = make_engine("sqlite://")
    >>> engine.dialect.name, engine.pool.__class__.__name__
    ('sqlite', 'StaticPool')
    """
    url = url or default_url()
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        memory = not path or path == ":memory:"
        if not memory:
            _private_sqlite_file(Path(path))
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            **({"poolclass": StaticPool} if memory else {"pool_size": 5, "max_overflow": 40}),
        )
        _tune_sqlite(engine)
        return engine
    return create_engine(url, pool_recycle=1800, pool_size=5, max_overflow=40)


def _private_sqlite_file(path: Path) -> None:
    """Create the database file ``0600`` in a ``0700`` directory before SQLite does (its WAL and
    shared-memory files then get the same mode); the workbench's own ``var/`` is tightened too."""
    from core.private_files import private_dir, touch_private

    if path.parent.resolve() == config.var_dir().resolve():
        private_dir(path.parent, tighten=True)
    else:
        private_dir(path.parent)
    touch_private(path)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        immediate = conn.get_execution_options().get("write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    if head is None:  # the package's migrations are missing
        raise RuntimeError(f"no Alembic migrations found in {MIGRATIONS}")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (no-op when it is there already).

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The database to migrate.

    Raises
    ------
    sqlalchemy.exc.SQLAlchemyError
        When a migration fails and no other process has migrated the database meanwhile.

    Examples
    --------
    >>> engine = make_engine("sqlite://")
    >>> migrate(engine)
    >>> current_revision(engine) == head_revision()
    True
    """
    if current_revision(engine) == head_revision():
        return
    cfg = _alembic_config()
    try:
        with engine.connect().execution_options(write=True) as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()
    except Exception:
        # another process opening the same fresh store may have migrated it meanwhile
        if current_revision(engine) != head_revision():
            raise
