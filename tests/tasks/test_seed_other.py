"""The two other real seeds hold no task-breakdown table: importing them fails clearly.

* ``dunhuang-2018-one-window.txt``: an implementation plan whose numbered
  measures name no lead unit or deadline, and whose appendix lists units per
  service area (not tasks).
* ``hubei-2009-service-system.txt``: a provincial opinion in numbered
  paragraphs, also without 牵头单位/完成时限.

Neither may come back as an empty success: :class:`ImportFailed` names the file.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from conftest import ROOT

from tasks.errors import ImportFailed
from tasks.importers import load_plan
from tasks.importers.documents import read_document
from tasks.importers.text_meta import read_meta


@pytest.mark.parametrize("name", ["dunhuang-2018-one-window.txt", "hubei-2009-service-system.txt"])
def test_seed_without_tasks_fails_clearly(seeds_dir, name):
    with pytest.raises(ImportFailed) as err:
        load_plan(seeds_dir / name)
    msg = str(err.value)
    assert msg.startswith(name) and "没有找到任何任务" in msg


def test_dunhuang_metadata_is_still_read(seeds_dir):
    """The document itself is recognised (title, issuer, date) even though it holds no tasks."""
    path = seeds_dir / "dunhuang-2018-one-window.txt"
    plan = read_document(path, kind="txt", display_name=path.name)
    assert plan.tasks == []
    assert plan.title == "敦煌市“一窗受理,集成服务”审批服务模式改革实施方案(试行)"
    assert plan.issuer == "敦煌市人民政府办公室"
    assert plan.date == date(2018, 7, 16)  # 成文日期 field of the web page


def test_hubei_metadata(seeds_dir):
    lines = (seeds_dir / "hubei-2009-service-system.txt").read_text(encoding="utf-8").splitlines()
    title, _issuer, _date = read_meta(lines)
    assert title == "关于进一步加强行政服务体系建设的意见"


def test_cli_error_line_for_seed_without_tasks(seeds_dir):
    path = seeds_dir / "hubei-2009-service-system.txt"
    out = subprocess.run(
        [sys.executable, "-m", "tasks", "import", str(path), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 2 and out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert (
        len(lines) == 1
        and lines[0].startswith("error: hubei-2009-service-system.txt")
        and "Traceback" not in out.stderr
    )
