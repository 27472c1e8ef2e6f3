"""Import profiles in the progress store's database (table ``import_profiles``).

``store`` is a :class:`tasks.store.Store` or a :class:`tasks.accounts.GuardedStore`;
through a guarded store only accounts that may import plans (the office) save
or delete profiles, every role that may import reads them.

>>> from tasks.store import Store
>>> from tasks.importers.profiles import ImportProfile
>>> store = Store("sqlite://")
>>> save_profile(store, ImportProfile(name="某县", lead_labels=("主办单位",)), actor="办公室")
>>> profile_names(store), get_profile(store, "某县").lead_labels
(['某县'], ('主办单位',))
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..store.protocol import raw_store
from ..store.schema_import_profiles import ImportProfileRow
from .profiles import ImportProfile, profile_from_dict, profile_to_dict

__all__ = ["save_profile", "get_profile", "profile_names", "delete_profile"]


def _engine(store: Any, action: str | None) -> tuple[Any, str]:
    account = getattr(store, "account", None)
    if account is not None and action:
        from ..accounts import require

        require(account, action)
    raw = raw_store(store)
    return raw.engine, getattr(store, "actor", "")


def save_profile(store: Any, profile: ImportProfile, actor: str = "") -> None:
    """Insert or replace the profile of this name.

    Parameters
    ----------
    store
        A :class:`tasks.store.Store`, or a :class:`tasks.accounts.GuardedStore` (whose account must
        be allowed to import plans; its account is recorded as the editor).
    profile
        The profile.
    actor
        Who saves it (with a raw store).

    Raises
    ------
    tasks.accounts.PermissionDenied
        Through a guarded store, an account that may not import plans.

    Examples
    --------
    >>> from tasks.store import Store
    >>> store = Store("sqlite://")
    >>> save_profile(store, ImportProfile(name="某县"), actor="办公室")
    >>> save_profile(store, ImportProfile(name="某县", lead_labels=("主办单位",)), actor="办公室")
    >>> profile_names(store), get_profile(store, "某县").lead_labels
    (['某县'], ('主办单位',))
    """
    engine, who = _engine(store, "load_plan")
    body = json.dumps(profile_to_dict(profile), ensure_ascii=False)
    with Session(engine.execution_options(write=True)) as s:
        row = s.scalars(select(ImportProfileRow).where(ImportProfileRow.name == profile.name)).first()
        if row is None:
            row = ImportProfileRow(name=profile.name, body=body)
            s.add(row)
        row.body, row.updated_by, row.updated_at = body, who or actor, datetime.now()
        s.commit()


def get_profile(store: Any, name: str) -> ImportProfile | None:
    """The saved profile of this name, or None.

    Parameters
    ----------
    store
        A store or guarded store (any role that may view imports).
    name
        The profile's name.

    Returns
    -------
    ImportProfile or None
        ``None`` when none is saved under ``name``.

    Raises
    ------
    tasks.accounts.PermissionDenied
        Through a guarded store, an account that may not view imports.

    Examples
    --------
    >>> from tasks.store import Store
    >>> store = Store("sqlite://")
    >>> get_profile(store, "某县") is None
    True
    """
    engine, _ = _engine(store, "view_import")
    with Session(engine) as s:
        row = s.scalars(select(ImportProfileRow).where(ImportProfileRow.name == name)).first()
        return profile_from_dict(json.loads(row.body), name) if row else None


def profile_names(store: Any) -> list[str]:
    """Names of the saved profiles, sorted.

    Parameters
    ----------
    store
        A store or guarded store (any role that may view imports).

    Returns
    -------
    list of str
        Sorted names.

    Raises
    ------
    tasks.accounts.PermissionDenied
        Through a guarded store, an account that may not view imports.

    Examples
    --------
    >>> from tasks.store import Store
    >>> store = Store("sqlite://")
    >>> profile_names(store)
    []
    """
    engine, _ = _engine(store, "view_import")
    with Session(engine) as s:
        return sorted(s.scalars(select(ImportProfileRow.name)))


def delete_profile(store: Any, name: str) -> bool:
    """Remove a saved profile; False if there was none.

    Parameters
    ----------
    store
        A store or guarded store (whose account must be allowed to import plans).
    name
        The profile's name.

    Returns
    -------
    bool
        Whether a profile was removed.

    Raises
    ------
    tasks.accounts.PermissionDenied
        Through a guarded store, an account that may not import plans.

    Examples
    --------
    >>> from tasks.store import Store
    >>> store = Store("sqlite://")
    >>> save_profile(store, ImportProfile(name="某县"), actor="办公室")
    >>> delete_profile(store, "某县"), delete_profile(store, "某县")
    (True, False)
    """
    engine, _ = _engine(store, "load_plan")
    with Session(engine.execution_options(write=True)) as s:
        result: Any = s.execute(delete(ImportProfileRow).where(ImportProfileRow.name == name))
        n = result.rowcount
        s.commit()
        return bool(n)
