"""The public surface: every package lists its names in a sorted ``__all__``, each name resolves, the
top-level packages stay cheap to import, and notebooks and pages import only public names."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = sorted(
    ".".join(p.relative_to(ROOT).parent.parts)
    for lib in ("core", "tasks", "sim")
    for p in (ROOT / lib).rglob("__init__.py")
)


def test_the_packages_are_found() -> None:
    assert {"core", "tasks", "sim", "tasks.store", "tasks.progress", "tasks.graph"} <= set(PACKAGES)


@pytest.mark.parametrize("name", PACKAGES)
def test_package_has_a_sorted_resolvable_all(name: str) -> None:
    module = importlib.import_module(name)
    names = module.__all__
    assert isinstance(names, list)
    assert names == sorted(names), f"{name}.__all__ is not sorted"
    assert len(set(names)) == len(names), f"{name}.__all__ has duplicates"
    missing = [n for n in names if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ names what it does not have: {missing}"


def test_top_level_packages_import_lazily() -> None:
    """``import tasks, sim`` loads neither the solver nor the simulation stack until a name is used."""
    code = (
        "import sys, core, tasks, sim; heavy = ['ortools', 'simpy', 'scipy', 'sqlalchemy', 'openpyxl'];"
        "print(','.join(m for m in heavy if m in sys.modules)); sim.simulate; print('simpy' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, timeout=300
    ).stdout.split("\n")
    assert out[0] == "" and out[1] == "True", out


def _is_public(module: str, name: str) -> bool:
    mod = importlib.import_module(module)
    if name in getattr(mod, "__all__", ()):
        return True
    if hasattr(mod, "__path__"):  # a submodule of a package (``from tasks.progress import rules``)
        try:
            importlib.import_module(f"{module}.{name}")
        except ImportError:
            return False
        return True
    return False


def private_imports(paths: list[Path], root: Path = ROOT) -> list[str]:
    """``file:line module.name`` for every library name imported that its module does not publish."""
    out = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ImportFrom)
                and node.level == 0
                and node.module
                and node.module.split(".")[0] in ("core", "tasks", "sim")
            ):
                out += [
                    f"{path.relative_to(root)}:{node.lineno} {node.module}.{a.name}"
                    for a in node.names
                    if not _is_public(node.module, a.name)
                ]
    return out


def test_notebooks_and_pages_import_only_public_names() -> None:
    paths = sorted([*(ROOT / "notebooks").glob("*.py"), *(ROOT / "ui").glob("*.py"), ROOT / "app.py"])
    assert len(paths) > 10
    assert private_imports(paths) == []


def test_private_import_is_seen(tmp_path: Path) -> None:
    """The check above can fail: a helper not in ``__all__`` is reported, a public name is not."""
    bad = tmp_path / "page_probe.py"
    bad.write_text(
        "from sim.hall import build_engine\nfrom sim import simulate\nfrom tasks.progress import rules\n",
        encoding="utf-8",
    )
    assert private_imports([bad], tmp_path) == ["page_probe.py:1 sim.hall.build_engine"]
