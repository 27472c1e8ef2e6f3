"""Shared fixtures: where the real seed documents are, and a temporary store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SHARED = Path(os.environ.get("WORKBENCH_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"
SAMPLES = SHARED / "samples"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent: the real seed documents live in ../shared beside the clone")
    return path


@pytest.fixture
def seed_2021() -> Path:
    """The 2021 Leiyang action plan (policy text with its 32-row appendix table)."""
    return _need(SEEDS / "leiyang-2021-action-plan.txt")


@pytest.fixture
def block_sample() -> Path:
    """The made-up plan in the ``牵头单位:`` block layout."""
    return _need(SAMPLES / "block-format-example.txt")


@pytest.fixture
def seeds_dir() -> Path:
    return _need(SEEDS)


@pytest.fixture
def deferred(monkeypatch) -> dict[str, object]:
    """The callables of deferred download buttons, by placeholder id (AppTest drops its media store after a run)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    seen: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def spy(self, data_callable, *args, **kwargs):
        file_id = original(self, data_callable, *args, **kwargs)
        seen[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return seen


# -- the demo store: built once, copied by each test that opens it ----------------------------------
def _shared_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's temporary folder shared by every xdist worker (each worker's own one otherwise)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _build_demo(path: Path) -> None:
    from tasks.progress.demo import load_demo
    from tasks.samples import load_bundled_plans
    from tasks.store import Store

    store = Store(f"sqlite:///{path}")
    try:
        load_bundled_plans(store, actor="test", directory=ROOT / "data" / "plans")
        plan = next(p.key for p in store.plans() if "耒阳" in p.key)
        saved, problems = load_demo(store, plan, actor="office")
        assert saved and not problems, problems
    finally:
        store.dispose()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file of the bundled plans with four months of demo reports (what 载入示例进度 saves; the
    browser sweep uses the same data), built once per run and shared by the xdist workers (the first
    to need it builds it, the others wait). Never open it: :func:`demo_copy` gives each user its own copy."""
    import fcntl

    folder = _shared_tmp(tmp_path_factory) / "demo-store"
    folder.mkdir(exist_ok=True)
    path = folder / "template.db"
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "built").exists():
            for stale in folder.glob("template.db*"):  # a build that failed half-way
                stale.unlink()
            _build_demo(path)
            (folder / "built").touch()
    return path


def demo_copy(template: Path, folder: Path) -> str:
    """Copy the demo store ``template`` to ``folder``/wb.db; its SQLite URL."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "wb.db"
    shutil.copyfile(template, target)
    wal = template.with_name(template.name + "-wal")
    if wal.exists():  # the build closed its store, so normally there is none
        shutil.copyfile(wal, target.with_name(target.name + "-wal"))
    return f"sqlite:///{target}"


@pytest.fixture
def demo_db_url(demo_template: Path, tmp_path: Path) -> str:
    """A fresh copy of the demo store for this test (it may write: logging in saves a session): its URL."""
    return demo_copy(demo_template, tmp_path)
