"""The layering rules of docs/architecture.md, checked statically (with :mod:`ast`, nothing is imported).

- ``tasks`` never imports ``sim`` and ``sim`` never imports ``tasks`` (both use ``core``);
- ``core`` imports neither;
- no library (``core``, ``tasks``, ``sim``) imports Streamlit;
- the ``ui`` modules import each other without a cycle.

Every import counts, also one inside a function or under ``if TYPE_CHECKING``, and so does a module
named by a string literal to ``importlib.import_module``/``__import__``. The checker itself is tested
on small made-up trees, so a rule that stopped working would show.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[2]
LIBRARIES = ("core", "tasks", "sim")
FORBIDDEN = {
    "core": {"tasks", "sim", "ui", "streamlit"},
    "tasks": {"sim", "ui", "streamlit"},
    "sim": {"tasks", "ui", "streamlit"},
}


def module_name(root: Path, path: Path) -> str:
    """``tasks/store/repo.py`` -> ``tasks.store.repo``; ``tasks/__init__.py`` -> ``tasks``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(root: Path, path: Path) -> list[tuple[str, int]]:
    """Absolute names of every module ``path`` imports, with the line (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    me = module_name(root, path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    out: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            out.append((prefix, node.lineno))
            # ``from pkg import sub`` may name a submodule: record pkg.sub too
            out += [(f"{prefix}.{alias.name}", node.lineno) for alias in node.names if alias.name != "*"]
        elif isinstance(node, ast.Call):
            fn = node.func
            name = fn.attr if isinstance(fn, ast.Attribute) else fn.id if isinstance(fn, ast.Name) else ""
            if (
                name in ("import_module", "__import__")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                out.append((node.args[0].value, node.lineno))
    return out


def layer_violations(root: Path) -> list[str]:
    """One line per forbidden import in the libraries under ``root``."""
    found = []
    for lib in LIBRARIES:
        for path in sorted((root / lib).rglob("*.py")):
            if "migrations" in path.parts and "versions" in path.parts:
                continue
            for name, line in imports_of(root, path):
                top = name.split(".")[0]
                if top in FORBIDDEN[lib]:
                    found.append(f"{path.relative_to(root)}:{line} imports {name}")
    return sorted(set(found))


def ui_graph(root: Path) -> nx.DiGraph:
    """Which ``ui`` module imports which (submodules only: ``ui`` itself, the package, is left out)."""
    modules = {module_name(root, p): p for p in sorted((root / "ui").rglob("*.py"))}
    g = nx.DiGraph()
    g.add_nodes_from(m for m in modules if m != "ui")
    for mod, path in modules.items():
        if mod == "ui":
            continue
        for name, _line in imports_of(root, path):
            if name in modules and name not in ("ui", mod):
                g.add_edge(mod, name)
    return g


def ui_cycles(root: Path) -> list[list[str]]:
    return sorted(sorted(c) for c in nx.simple_cycles(ui_graph(root)))


# -- the rules on the real tree --------------------------------------------------------------------
def test_libraries_keep_their_layers() -> None:
    assert layer_violations(ROOT) == []


def test_ui_has_no_import_cycle() -> None:
    assert ui_cycles(ROOT) == []


def test_the_checker_sees_the_real_tree() -> None:
    """The rules above read real files: the libraries do import core, and ui imports ui.common."""
    core_users = {name for p in (ROOT / "sim").rglob("*.py") for name, _ in imports_of(ROOT, p)}
    assert any(n.startswith("core") for n in core_users)
    assert ("ui.page_tasks", "ui.common") in ui_graph(ROOT).edges


# -- the checker itself, on made-up trees ------------------------------------------------------------
def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    for pkg in ("core", "tasks", "sim", "ui"):
        (tmp_path / pkg).mkdir(exist_ok=True)
        (tmp_path / pkg / "__init__.py").touch()
    return tmp_path


@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        ("tasks/a.py", "import sim\n", "tasks/a.py:1 imports sim"),
        ("tasks/a.py", "def f():\n    from sim.hall import simulate\n", "tasks/a.py:2 imports sim.hall"),
        ("sim/b.py", "from tasks.errors import WorkbenchError\n", "sim/b.py:1 imports tasks.errors"),
        ("sim/x/c.py", "from ...tasks import model\n", "sim/x/c.py:1 imports tasks"),
        ("core/c.py", "from sim import hall\n", "core/c.py:1 imports sim"),
        ("core/c.py", "import tasks.cli\n", "core/c.py:1 imports tasks.cli"),
        ("sim/d.py", "import streamlit as st\n", "sim/d.py:1 imports streamlit"),
        (
            "tasks/e.py",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import streamlit\n",
            "tasks/e.py:3 imports streamlit",
        ),
        (
            "tasks/f.py",
            "import importlib\nm = importlib.import_module('sim.commands')\n",
            "tasks/f.py:2 imports sim.commands",
        ),
    ],
)
def test_checker_flags_a_forbidden_import(tmp_path: Path, rel: str, text: str, expected: str) -> None:
    root = _tree(tmp_path, {rel: text})
    assert expected in layer_violations(root)


def test_checker_allows_core_and_own_package(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "tasks/a.py": "from core.errors import InputError\nfrom . import b\nfrom .b import x\n",
            "tasks/b.py": "x = 1\n",
            "sim/s.py": "import core.cli\nfrom .t import y\nimport simpy\n",
            "sim/t.py": "y = 2\n",
            "core/k.py": "from .errors import Issue\n",
            "core/errors.py": "Issue = None\n",
        },
    )
    assert layer_violations(root) == []


def test_checker_finds_a_ui_cycle(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "ui/a.py": "from ui.b import f\n",
            "ui/b.py": "def f():\n    from ui import c\n",
            "ui/c.py": "from .a import g\n",
            "ui/d.py": "from ui.a import f\n",
        },
    )
    assert ui_cycles(root) == [["ui.a", "ui.b", "ui.c"]]
    (root / "ui" / "c.py").write_text("import json\n", encoding="utf-8")
    assert ui_cycles(root) == []
