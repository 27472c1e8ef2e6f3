"""Configuration: every ``WORKBENCH_*`` environment variable and every data path, read here only.

Library data (the unit alias table, the collective-unit member list, the database migrations) ships
inside the packages and is found with :mod:`importlib.resources`, so an installed ``tasks``/``sim``
works from any directory. User-facing files (sample plans, the office's rules file, the SQLite store,
evidence files) live under the *home* directory: ``WORKBENCH_HOME``, else the source checkout these
packages were loaded from (the folder holding ``pyproject.toml``), else the current directory.

Values are read when a function is called (not at import), so a test can set a variable with
``monkeypatch.setenv`` and see it honoured.

>>> sorted(VARIABLES)[:3]
['WORKBENCH_BENCH_DB_URL', 'WORKBENCH_DASK_SCHEDULER', 'WORKBENCH_DATA_DIR']
>>> setting("WORKBENCH_DB_URL", environ={"WORKBENCH_DB_URL": "  sqlite:///x.db "})
'sqlite:///x.db'
>>> home(environ={"WORKBENCH_HOME": "/srv/wb"})
PosixPath('/srv/wb')
>>> plans_dir(environ={"WORKBENCH_HOME": "/srv/wb"})
PosixPath('/srv/wb/data/plans')
>>> package_file("core", "config.py").name
'config.py'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

__all__ = [
    "VARIABLES",
    "data_dir",
    "db_url",
    "files_dir",
    "flag",
    "home",
    "import_profiles_dir",
    "package_file",
    "plans_dir",
    "rules_file",
    "setting",
    "shared_dir",
    "var_dir",
]

#: every environment variable the workbench reads, with what it sets (the single list: docs refer here)
VARIABLES: dict[str, str] = {
    "WORKBENCH_BENCH_DB_URL": "database URL the progress benchmark writes to (default: a temporary SQLite file)",
    "WORKBENCH_DASK_SCHEDULER": "address of a running Dask scheduler for replications and sweeps (default: local)",
    "WORKBENCH_DATA_DIR": "folder of user-facing data: sample plans, rules.toml (default: <home>/data)",
    "WORKBENCH_DB_URL": "SQLAlchemy URL of the task store (default: SQLite file <home>/var/workbench.db)",
    "WORKBENCH_FILES_DIR": "where evidence files are stored, content-addressed (default: <home>/var/files)",
    "WORKBENCH_HOME": "base folder for data/ and var/ (default: the source checkout, else the current folder)",
    "WORKBENCH_IMPORT_PROFILES_DIR": "folder of the office's import profiles (default: <data dir>/import_profiles)",
    "WORKBENCH_LOCKOUT_MINUTES": "minutes an account stays locked after too many failed logins (15)",
    "WORKBENCH_LOGIN_MAX_FAILURES": "failed logins before the account is locked (5)",
    "WORKBENCH_PLANS_DIR": "folder of the bundled sample plans (default: <data dir>/plans)",
    "WORKBENCH_RULES_FILE": "the office's warning and scoring rules (default: <data dir>/rules.toml)",
    "WORKBENCH_SESSION_IDLE_MINUTES": "dashboard session ends after this many idle minutes (30)",
    "WORKBENCH_SESSION_MAX_HOURS": "dashboard session ends this many hours after login (12)",
    "WORKBENCH_SHARED": "folder of the real seed documents used by tests and notebooks (default: ../shared)",
    "WORKBENCH_SMALL": "1 = notebooks and benches use small data (automatic runs)",
    "WORKBENCH_NOTIFY_CHANNELS": "reminder channels turned on: mail,webhook,sms (default none: preview only)",
    "WORKBENCH_SMTP_HOST": "mail server for reminders (or the same key in .streamlit/secrets.toml)",
    "WORKBENCH_SMTP_PORT": "mail server port (default 25 / 587 starttls / 465 ssl)",
    "WORKBENCH_SMTP_USER": "mail server login (empty: no login)",
    "WORKBENCH_SMTP_PASSWORD": "mail server password (never stored in the database or logged)",
    "WORKBENCH_SMTP_FROM": "sender of reminder mails, e.g. 领导小组办公室 <ban@example.gov.cn>",
    "WORKBENCH_SMTP_TLS": "none / starttls / ssl (default starttls)",
    "WORKBENCH_TEST_PG_URL": "PostgreSQL URL for the pg-marked tests (unset: they are skipped)",
}

_SOURCE_ROOT = Path(__file__).resolve().parent.parent


def setting(name: str, default: str = "", environ: Mapping[str, str] | None = None) -> str:
    """The stripped value of the environment variable ``name`` (one of :data:`VARIABLES`), or ``default``.

    Parameters
    ----------
    name
        A ``WORKBENCH_*`` variable listed in :data:`VARIABLES`.
    default
        Returned when the variable is unset or blank.
    environ
        Variables to read instead of :data:`os.environ` (tests pass a plain dict).

    Returns
    -------
    str
        The value without surrounding blanks, or ``default``.

    Raises
    ------
    KeyError
        ``name`` is not a variable the workbench knows (a typo would otherwise be silently ignored).

    Examples
    --------
    >>> setting("WORKBENCH_SMTP_TLS", "starttls", environ={"WORKBENCH_SMTP_TLS": " ssl "})
    'ssl'
    >>> setting("WORKBENCH_SMTP_TLS", "starttls", environ={})
    'starttls'
    """
    if name not in VARIABLES:
        raise KeyError(f"unknown workbench setting {name!r}; add it to core.config.VARIABLES")
    env = os.environ if environ is None else environ
    return (env.get(name) or "").strip() or default


def flag(name: str, environ: Mapping[str, str] | None = None) -> bool:
    """True when the variable ``name`` is set to ``1`` (``true``/``yes`` also count).

    Parameters
    ----------
    name
        A ``WORKBENCH_*`` variable listed in :data:`VARIABLES`.
    environ
        Variables to read instead of :data:`os.environ` (tests pass a plain dict).

    Returns
    -------
    bool
        Whether the flag is on.

    Raises
    ------
    KeyError
        ``name`` is not listed in :data:`VARIABLES`.

    Examples
    --------
    >>> flag("WORKBENCH_SMALL", environ={"WORKBENCH_SMALL": "1"}), flag("WORKBENCH_SMALL", environ={})
    (True, False)
    """
    return setting(name, environ=environ).lower() in ("1", "true", "yes")


def home(environ: Mapping[str, str] | None = None) -> Path:
    """``WORKBENCH_HOME``, else the source checkout holding these packages, else the current folder.

    Parameters
    ----------
    environ
        Variables to read instead of :data:`os.environ` (tests pass a plain dict).

    Returns
    -------
    Path
        The home folder (not created).

    Examples
    --------
    >>> home(environ={"WORKBENCH_HOME": "/srv/wb"})
    PosixPath('/srv/wb')
    >>> home(environ={}).is_absolute()
    True
    """
    explicit = setting("WORKBENCH_HOME", environ=environ)
    if explicit:
        return Path(explicit)
    if (_SOURCE_ROOT / "pyproject.toml").is_file() and (_SOURCE_ROOT / "data").is_dir():
        return _SOURCE_ROOT
    return Path.cwd()


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """User-facing data: ``WORKBENCH_DATA_DIR`` or ``<home>/data``.

    Parameters
    ----------
    environ
        Variables to read instead of :data:`os.environ` (tests pass a plain dict).

    Returns
    -------
    Path
        The data folder (not created).

    Examples
    --------
    >>> data_dir(environ={"WORKBENCH_HOME": "/srv/wb"})
    PosixPath('/srv/wb/data')
    >>> data_dir(environ={"WORKBENCH_DATA_DIR": "/mnt/data"})
    PosixPath('/mnt/data')
    """
    explicit = setting("WORKBENCH_DATA_DIR", environ=environ)
    return Path(explicit) if explicit else home(environ) / "data"


def var_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Run-time state (SQLite store, evidence files): ``<home>/var`` (not versioned).

    Parameters
    ----------
    environ
        Variables to read instead of :data:`os.environ` (tests pass a plain dict).

    Returns
    -------
    Path
        The folder (not created).

    Examples
    --------
    >>> var_dir(environ={"WORKBENCH_HOME": "/srv/wb"})
    PosixPath('/srv/wb/var')
    """
    return home(environ) / "var"


def plans_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The bundled sample plans: ``WORKBENCH_PLANS_DIR`` or ``<data dir>/plans``.

    Parameters
    ----------
    environ
        Variables to read instead of :data:`os.environ` (tests pass a plain dict).

    Returns
    -------
    Path
        The folder (not created).

    Examples
    --------
    >>> plans_dir(environ={"WORKBENCH_DATA_DIR": "/mnt/data"})
    PosixPath('/mnt/data/plans')
    """
    explicit = setting("WORKBENCH_PLANS_DIR", environ=environ)
    return Path(explicit) if explicit else data_dir(environ) / "plans"


def rules_file(environ: Mapping[str, str] | None = None) -> Path:
    """The office's rules file: ``WORKBENCH_RULES_FILE`` or ``<data dir>/rules.toml``.

    Parameters
    ----------
    environ
        Variables to read instead of :data:`os.environ` (tests pass a plain dict).

    Returns
    -------
    Path
        The file's path (it may not exist).

    Examples
    --------
    >>> rules_file(environ={"WORKBENCH_HOME": "/srv/wb"})
    PosixPath('/srv/wb/data/rules.toml')
    """
    explicit = setting("WORKBENCH_RULES_FILE", environ=environ)
    return Path(explicit) if explicit else data_dir(environ) / "rules.toml"


def shared_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The real seed documents: ``WORKBENCH_SHARED`` or ``shared/`` beside the home folder.

    Parameters
    ----------
    environ
        Variables to read instead of :data:`os.environ` (tests pass a plain dict).

    Returns
    -------
    Path
        The folder (it may not exist).

    Examples
    --------
    >>> shared_dir(environ={"WORKBENCH_HOME": "/srv/wb"})
    PosixPath('/srv/shared')
    """
    explicit = setting("WORKBENCH_SHARED", environ=environ)
    return Path(explicit) if explicit else home(environ).parent / "shared"


def import_profiles_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The office's import profiles: ``WORKBENCH_IMPORT_PROFILES_DIR`` or ``<data dir>/import_profiles``.

    Parameters
    ----------
    environ
        Variables to read instead of :data:`os.environ` (tests pass a plain dict).

    Returns
    -------
    Path
        The folder (not created).

    Examples
    --------
    >>> import_profiles_dir(environ={"WORKBENCH_HOME": "/srv/wb"})
    PosixPath('/srv/wb/data/import_profiles')
    """
    explicit = setting("WORKBENCH_IMPORT_PROFILES_DIR", environ=environ)
    return Path(explicit) if explicit else data_dir(environ) / "import_profiles"


def files_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Evidence files: ``WORKBENCH_FILES_DIR`` or ``<home>/var/files``.

    Parameters
    ----------
    environ
        Variables to read instead of :data:`os.environ` (tests pass a plain dict).

    Returns
    -------
    Path
        The folder (not created).

    Examples
    --------
    >>> files_dir(environ={"WORKBENCH_HOME": "/srv/wb"})
    PosixPath('/srv/wb/var/files')
    """
    explicit = setting("WORKBENCH_FILES_DIR", environ=environ)
    return Path(explicit) if explicit else var_dir(environ) / "files"


def db_url(environ: Mapping[str, str] | None = None) -> str:
    """``WORKBENCH_DB_URL``, else the SQLite file ``<home>/var/workbench.db``.

    Parameters
    ----------
    environ
        Variables to read instead of :data:`os.environ` (tests pass a plain dict).

    Returns
    -------
    str
        A SQLAlchemy database URL.

    Examples
    --------
    >>> db_url(environ={"WORKBENCH_HOME": "/srv/wb"})
    'sqlite:////srv/wb/var/workbench.db'
    >>> db_url(environ={"WORKBENCH_DB_URL": "postgresql://wb@db/wb"})
    'postgresql://wb@db/wb'
    """
    return setting("WORKBENCH_DB_URL", environ=environ) or f"sqlite:///{var_dir(environ) / 'workbench.db'}"


def package_file(package: str, *parts: str) -> Path:
    """A data file shipped inside ``package`` (found with :mod:`importlib.resources`).

    Parameters
    ----------
    package
        Dotted package name, e.g. ``"tasks"``.
    *parts
        Path below the package, e.g. ``"data", "unit_aliases.csv"``.

    Returns
    -------
    Path
        The file on disk (packages are installed as plain folders, editable or not).

    Raises
    ------
    FileNotFoundError
        The package is installed in a form without files on disk (a zip).

    Examples
    --------
    >>> package_file("core", "config.py").name
    'config.py'
    """
    target = resources.files(package).joinpath(*parts)
    path = Path(str(target))
    if not isinstance(target, Path) and not path.exists():
        raise FileNotFoundError(f"{package}/{'/'.join(parts)} is not a file on disk")
    return path
