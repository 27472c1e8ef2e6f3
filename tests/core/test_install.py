"""``pip install .`` into a fresh virtual environment outside the repository, then use it from elsewhere.

The fresh venv has no pip and no packages of its own: a ``.pth`` line lends it the test interpreter's
site-packages (the pinned dependencies and pip/setuptools), so the install runs offline with
``--no-deps --no-build-isolation --no-index``. The source is copied first so the build leaves nothing
in the working tree. Everything then runs from a folder outside the repository with a clean
``PYTHONPATH``: the packages imported must be the installed copies, and their data (the alias table,
the collective-unit list, the database migrations) must come with them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "plans" / "leiyang-2021-tasks.xlsx"

pytestmark = pytest.mark.slow


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(cmd)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("install")
    assert not base.resolve().is_relative_to(ROOT)
    src = base / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for pkg in ("core", "tasks", "sim"):
        shutil.copytree(ROOT / pkg, src / pkg, ignore=ignore)

    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    py = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (site / "_workbench_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "WORKBENCH_", "COVERAGE"))}
    env["PIP_NO_INDEX"] = "1"
    work = base / "elsewhere"
    work.mkdir()
    env["WORKBENCH_DB_URL"] = f"sqlite:///{work / 'wb.db'}"
    _run(
        [str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index", str(src)],
        cwd=work,
        env=env,
    )
    return {"py": py, "venv": venv, "work": work, "env": env, "src": src}


def test_packages_import_from_the_installed_copy(installed: dict[str, object]) -> None:
    py, venv, work, env = installed["py"], installed["venv"], installed["work"], installed["env"]
    assert isinstance(work, Path) and isinstance(venv, Path) and isinstance(env, dict)
    code = "import json, core, sim, tasks; print(json.dumps([m.__file__ for m in (core, tasks, sim)]))"
    files = json.loads(_run([str(py), "-c", code], cwd=work, env=env).stdout)
    for f in files:
        assert Path(f).resolve().is_relative_to(venv.resolve()), f
        assert not Path(f).resolve().is_relative_to(ROOT)


def test_import_command_runs_from_outside_the_repository(installed: dict[str, object]) -> None:
    py, work, env = installed["py"], installed["work"], installed["env"]
    assert isinstance(work, Path) and isinstance(env, dict)
    out = _run([str(py), "-m", "tasks", "import", str(SAMPLE), "--json"], cwd=work, env=env).stdout
    got = json.loads(out)
    # the same tasks as from the source tree (so the alias table shipped with the package was used)
    here = subprocess.run(
        [sys.executable, "-m", "tasks", "import", str(SAMPLE), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    ).stdout
    assert got == json.loads(here)
    assert len(got) == 32 and {"id", "lead_units", "deadline", "source"} <= set(got[0])


def test_installed_package_carries_its_data(installed: dict[str, object]) -> None:
    """Migrations and the bundled tables are package data: a store opens, aliases and members load."""
    py, work, env = installed["py"], installed["work"], installed["env"]
    assert isinstance(work, Path) and isinstance(env, dict)
    code = (
        "from tasks.store import Store; from tasks.units import AliasTable; "
        "from tasks.graph.build import load_members; "
        "s = Store(); print(len(s.plans()), len(AliasTable.load().aliases) > 0, len(load_members()) > 0)"
    )
    assert _run([str(py), "-c", code], cwd=work, env=env).stdout.split() == ["0", "True", "True"]
    assert (work / "wb.db").is_file()


def test_bad_file_is_one_error_line_outside_the_repository(installed: dict[str, object]) -> None:
    py, work, env = installed["py"], installed["work"], installed["env"]
    assert isinstance(work, Path) and isinstance(env, dict)
    bad = work / "坏文件.xlsx"
    bad.write_bytes(b"not a workbook")
    proc = subprocess.run(
        [str(py), "-m", "tasks", "import", str(bad), "--json"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("error: ") and "坏文件.xlsx" in proc.stderr and "Traceback" not in proc.stderr
