"""Public functions carry numpydoc sections, as networkx's do (issue 12).

For every function in the ``__all__`` of the modules in :data:`COVERED`, the docstring has a
``Parameters`` section (when the function takes parameters), ``Returns`` or ``Yields`` (unless it
returns ``None``) and ``Examples`` (run as doctests by ``--doctest-modules``). ``Raises`` is written
where a function raises, but is not checked: whether it raises cannot be read from the signature.
Extend :data:`COVERED` as more packages are documented.

Methods are held to the same rule. For every public class exported from a covered module, each public
method (a name not starting with ``_``; plain methods, classmethods and staticmethods alike) needs
``Parameters`` (when it takes parameters besides ``self``/``cls``), ``Returns``/``Yields`` (unless
it returns ``None``) and ``Examples`` with a ``>>>`` line. Methods a class inherits from the
project's own bases and mixins (any class defined in ``core``, ``tasks`` or ``sim``, e.g.
``GuardedStore``'s ``NotifyMethods`` and ``CardHistoryMethods``) count as the class's own; what
comes from the standard library or third-party bases (``object``, ``Enum``, ``NamedTuple``,
``Exception``, dataclass machinery) does not. A property is read like an attribute, so it needs only
a one-line summary (a ``Returns`` section is allowed, not required; its examples usually live in the
class docstring). A ``typing.Protocol`` only declares methods: they are documented where they are
implemented, and it has no constructor to document (its docstring needs Examples). Store-backed examples use ready objects (``store``, ``office``, ``unit``, ``book``)
that the root ``conftest.py`` puts in the doctest namespace; each such class's docstring shows how
they are built.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol

import pytest

#: modules whose ``__all__`` functions must carry the sections (``tasks``: its exported functions,
#: which live in tasks.samples, tasks.plan_views, tasks.units and tasks.importers)
COVERED = (
    "core",
    "core.cli",
    "core.config",
    "core.lazy",
    "core.limits",
    "core.officedoc",
    "core.private_files",
    "core.safe_export",
    "core.sheets",
    "core.workdays",
    "core.xlsxout",
    "sim",
    "tasks",
    "tasks.accounts",
    "tasks.errors",
    "tasks.graph",
    "tasks.importers",
    "tasks.importers.common",
    "tasks.importers.confidence",
    "tasks.importers.profile_store",
    "tasks.importers.profiles",
    "tasks.importers.tables_read",
    "tasks.notify",
    "tasks.notify.channels",
    "tasks.notify.contacts",
    "tasks.notify.hooks",
    "tasks.notify.model",
    "tasks.notify.outbox",
    "tasks.notify.templates",
    "tasks.progress",
    "tasks.store",
)
#: modules not covered yet: a covered module may re-export their names (tables_read re-exports
#: core.sheets.cell_text and is_blank), which are then left to the module's own turn
NOT_YET: tuple[str, ...] = ()
#: classes whose methods are not documented yet (their constructors are); empty once all are done
NOT_YET_CLASSES: tuple[str, ...] = ()
#: packages whose classes and methods are the project's own (their methods are checked)
PROJECT = ("core", "tasks", "sim")


def _section(doc: str, name: str) -> bool:
    """Whether ``doc`` has a numpydoc section ``name`` (its title underlined with dashes)."""
    return re.search(rf"^[ \t]*{name}[ \t]*\n[ \t]*-{{3,}}[ \t]*$", doc, re.MULTILINE) is not None


def missing_sections(func: Callable[..., Any], *, method: bool = False) -> list[str]:
    """The numpydoc sections ``func``'s docstring lacks (empty when it is complete).

    ``method`` says ``func`` is a plain function read off a class, whose first parameter
    (``self``) needs no description.
    """
    doc = inspect.getdoc(func) or ""
    signature = inspect.signature(func)
    parameters = list(signature.parameters)[1 if method else 0 :]
    missing = []
    if parameters and not _section(doc, "Parameters"):
        missing.append("Parameters")
    returns_none = signature.return_annotation in (None, "None")
    if not returns_none and not (_section(doc, "Returns") or _section(doc, "Yields")):
        missing.append("Returns")
    if not _section(doc, "Examples") or ">>>" not in doc:
        missing.append("Examples")
    return missing


def _public(kind: Callable[[object], bool]) -> list[tuple[str, Any]]:
    """``(public name, object)`` for every object of ``kind`` in the covered ``__all__``, once each."""
    found: dict[str, tuple[str, Any]] = {}
    for module_name in COVERED:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = inspect.unwrap(getattr(module, name))  # lru_cache and friends
            if kind(obj) and obj.__module__ not in NOT_YET:
                found.setdefault(f"{obj.__module__}.{obj.__qualname__}", (f"{module_name}.{name}", obj))
    return sorted(found.values(), key=lambda item: item[0])


PUBLIC = _public(inspect.isfunction)
CLASSES = _public(inspect.isclass)


def _own(cls: type) -> bool:
    return cls.__module__.split(".")[0] in PROJECT


def _is_protocol(cls: type) -> bool:
    return bool(getattr(cls, "_is_protocol", False))


def methods_of(cls: type, own: Callable[[type], bool] = _own) -> list[str]:
    """The public methods and properties of ``cls`` that are checked, in MRO order.

    Walks the MRO keeping the classes ``own`` accepts (so mixin methods count, and what comes from
    ``object``, ``Exception`` or a third-party base does not) and the first definition of each name
    (so an override is checked, not what it overrides).
    """
    found: list[str] = []
    seen: set[str] = set()
    for klass in cls.__mro__:
        for name, raw in vars(klass).items():
            if name in seen:
                continue
            seen.add(name)
            if name.startswith("_") or not own(klass):
                continue
            if isinstance(raw, (property, classmethod, staticmethod)) or inspect.isfunction(raw):
                found.append(name)
    return found


def _methods() -> list[tuple[str, type, str]]:
    """``(public name, class, method name)`` for every checked method of the covered classes."""
    return [
        (f"{public_name}.{name}", cls, name)
        for public_name, cls in CLASSES
        if _own(cls) and not _is_protocol(cls) and f"{cls.__module__}.{cls.__qualname__}" not in NOT_YET_CLASSES
        for name in methods_of(cls)
    ]


METHODS = _methods()


def method_missing(cls: type, name: str) -> list[str]:
    """What the docstring of ``cls``'s public attribute ``name`` lacks (see the module docstring)."""
    raw = inspect.getattr_static(cls, name)
    if isinstance(raw, property):
        doc = inspect.getdoc(raw) or ""
        return [] if doc.strip() else ["summary"]
    if isinstance(raw, (classmethod, staticmethod)):
        return missing_sections(getattr(cls, name))  # bound classmethod: no ``cls`` left
    return missing_sections(raw, method=True)


def test_every_covered_package_exports_functions() -> None:
    covered = {name.rsplit(".", 1)[0] for name, _ in PUBLIC}
    assert {"core.config", "core.safe_export", "tasks", "tasks.importers", "tasks.notify"} <= covered
    assert len(PUBLIC) > 90


@pytest.mark.parametrize("name, func", PUBLIC, ids=[name for name, _ in PUBLIC])
def test_public_function_has_numpydoc_sections(name: str, func: Callable[..., Any]) -> None:
    assert not missing_sections(func), f"{name}: docstring lacks {missing_sections(func)}"


@pytest.mark.parametrize("name, cls", CLASSES, ids=[name for name, _ in CLASSES])
def test_public_class_documents_its_constructor(name: str, cls: type) -> None:
    """A class's docstring has Parameters (what its constructor takes) and Examples."""
    doc = inspect.getdoc(cls) or ""
    wanted = ("Examples",) if _is_protocol(cls) else ("Parameters", "Examples")
    missing = [s for s in wanted if not _section(doc, s)]
    assert not missing, f"{name}: class docstring lacks {missing}"


@pytest.mark.parametrize("name, cls, method", METHODS, ids=[name for name, _, _ in METHODS])
def test_public_method_has_numpydoc_sections(name: str, cls: type, method: str) -> None:
    assert not method_missing(cls, method), f"{name}: docstring lacks {method_missing(cls, method)}"


def test_methods_are_collected_from_mixins_not_from_foreign_bases() -> None:
    short = {f"{cls.__name__}.{method}" for _, cls, method in METHODS}
    assert {"GuardedStore.outbox", "GuardedStore.card_history", "Store.tasks", "Sheet.value"} <= short
    assert "WorkbenchError.with_traceback" not in short  # Exception's, not ours
    assert len(METHODS) > 200


class _Mixin:
    def shared(self) -> None:
        """From the mixin."""

    def own(self) -> None:
        """Overridden below."""


class _Record(_Mixin, OrderedDict[str, int]):
    def own(self) -> None:
        """The override."""

    def _private(self) -> None:
        """Not public."""


class _Readable(Protocol):
    """Anything with rows."""

    def rows(self) -> int: ...


def test_protocols_are_declarations() -> None:
    assert _is_protocol(_Readable) and not _is_protocol(_Record) and not _is_protocol(_Sample)


def test_methods_of_keeps_mixins_and_overrides_and_drops_foreign_bases() -> None:
    ours = methods_of(_Record, own=lambda k: k.__module__ == __name__)
    assert ours == ["own", "shared"]
    assert "keys" in dir(_Record) and "keys" not in ours


def _undocumented(path: str, rows: int = 0) -> int:
    """Count rows.

    >>> 1
    1
    """
    return rows


def _documented(path: str) -> None:
    """Remove a file.

    Parameters
    ----------
    path
        The file.

    Examples
    --------
    >>> _documented("x")
    """


def test_the_check_notices_missing_sections() -> None:
    assert missing_sections(_undocumented) == ["Parameters", "Returns", "Examples"]
    assert missing_sections(_documented) == []
    assert missing_sections(lambda: None) == ["Returns", "Examples"]


class _Sample:
    """A sample class.

    Parameters
    ----------
    rows
        The rows.

    Examples
    --------
    >>> _Sample(1).total()
    1
    """

    def __init__(self, rows: int) -> None:
        self.rows = rows

    def total(self) -> int:
        """The rows."""
        return self.rows

    def clear(self) -> None:
        """Drop the rows.

        Examples
        --------
        >>> _Sample(1).clear()
        """

    @classmethod
    def empty(cls, note: str = "") -> _Sample:
        """An empty sample."""
        return cls(0)

    @property
    def size(self) -> int:
        """The rows."""
        return self.rows

    @property
    def bare(self) -> int:
        return self.rows


def test_the_method_check_skips_self_and_lets_properties_go_with_a_summary() -> None:
    assert method_missing(_Sample, "total") == ["Returns", "Examples"]
    assert method_missing(_Sample, "clear") == []
    assert method_missing(_Sample, "empty") == ["Parameters", "Returns", "Examples"]
    assert method_missing(_Sample, "size") == []
    assert method_missing(_Sample, "bare") == ["summary"]
