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
