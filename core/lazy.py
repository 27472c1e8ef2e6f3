"""Public names of a package that are imported only when first used (PEP 562 ``__getattr__``).

``import sim`` stays cheap (no SimPy, OR-Tools or pandas until a name that needs them is touched),
while ``sim.simulate`` and ``from sim import simulate`` work as if imported eagerly.

>>> getattr_, dir_ = lazy_exports("core", {"Issue": "core.errors"})
>>> getattr_("Issue").__name__, "Issue" in dir_()
('Issue', True)
>>> getattr_("nothing")
Traceback (most recent call last):
...
AttributeError: module 'core' has no attribute 'nothing'
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping

__all__ = ["lazy_exports"]


def lazy_exports(package: str, names: Mapping[str, str]) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package`` that import ``names[attr]`` on first use.

    Parameters
    ----------
    package
        The package's ``__name__``.
    names
        Public name -> the module that defines it.

    Returns
    -------
    tuple
        ``(__getattr__, __dir__)``, to assign at the package's top level. ``__getattr__`` raises
        :class:`AttributeError` for a name not in ``names``, as a module does.

    Examples
    --------
    >>> getattr_, dir_ = lazy_exports("core", {"Issue": "core.errors"})
    >>> getattr_("Issue").__name__, "Issue" in dir_()
    ('Issue', True)
    """

    def __getattr__(attr: str) -> object:
        module = names.get(attr)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {attr!r}")
        value = getattr(importlib.import_module(module), attr)
        pkg = sys.modules.get(package)
        if pkg is not None:
            setattr(pkg, attr, value)  # next access is a plain attribute lookup
        return value

    def __dir__() -> list[str]:
        pkg = sys.modules.get(package)
        own = list(vars(pkg)) if pkg is not None else []
        return sorted(set(own) | set(names))

    return __getattr__, __dir__
