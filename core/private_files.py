"""Files only the workbench's own user may read: the SQLite database (and its WAL), evidence files.

Directories the workbench creates are ``0700`` and files ``0600``, whatever the
process umask; directories that already existed are left alone (``/tmp`` must
not be tightened because a database was put there), except when asked
(``tighten=True``, for the workbench's own ``var/``).

>>> import tempfile, stat
>>> d = private_dir(Path(tempfile.mkdtemp()) / "var" / "files")
>>> oct(stat.S_IMODE(d.stat().st_mode)), oct(stat.S_IMODE(write_private(d / "a", b"x").stat().st_mode))
('0o700', '0o600')
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DIR_MODE", "FILE_MODE", "private_dir", "write_private", "touch_private"]

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: str | Path, *, tighten: bool = False) -> Path:
    """Create ``path`` (and missing parents) as ``0700``; with ``tighten`` an existing ``path`` too.

    Parameters
    ----------
    path
        The directory.
    tighten
        Also set an already existing ``path`` to ``0700`` (its parents are never changed).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    OSError
        A parent cannot be created (no permission, or a file in the way).

    Examples
    --------
    >>> import tempfile, stat
    >>> d = private_dir(Path(tempfile.mkdtemp()) / "a" / "b")
    >>> oct(stat.S_IMODE(d.stat().st_mode)), oct(stat.S_IMODE(d.parent.stat().st_mode))
    ('0o700', '0o700')
    """
    p = Path(path)
    missing = []
    q = p
    while not q.exists():
        missing.append(q)
        if q.parent == q:
            break
        q = q.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(d, DIR_MODE)
    if tighten and p.is_dir():
        os.chmod(p, DIR_MODE)
    return p


def touch_private(path: str | Path) -> Path:
    """Create an empty ``0600`` file when ``path`` does not exist (an existing file is not changed).

    Parameters
    ----------
    path
        The file; its directory is created ``0700`` when missing.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    OSError
        The directory or the file cannot be created.

    Examples
    --------
    >>> import tempfile, stat
    >>> f = touch_private(Path(tempfile.mkdtemp()) / "db" / "workbench.db")
    >>> f.stat().st_size, oct(stat.S_IMODE(f.stat().st_mode))
    (0, '0o600')
    """
    p = Path(path)
    private_dir(p.parent)
    try:
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return p
    os.close(fd)
    os.chmod(p, FILE_MODE)
    return p


def write_private(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to a ``0600`` file (created or replaced), its directory created ``0700``.

    Parameters
    ----------
    path
        The file.
    data
        Its new content.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    OSError
        The directory or the file cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> write_private(Path(tempfile.mkdtemp()) / "evidence.pdf", b"%PDF").read_bytes()
    b'%PDF'
    """
    p = Path(path)
    private_dir(p.parent)
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb", closefd=False) as f:
            f.write(data)
    finally:
        os.close(fd)
    return p
