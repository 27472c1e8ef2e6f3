"""``python -m sim roster … --verify --json``: the contract keys, the xlsx, and clean errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_roster_cli_verify_json(tmp_path):
    out = tmp_path / "roster.xlsx"
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "roster",
            "data/hall/sample-hall.xlsx",
            "data/hall/staff.xlsx",
            "--weeks",
            "2",
            "--method",
            "erlang",
            "--time-limit",
            "15",
            "--reps",
            "3",
            "--out",
            str(out),
            "--verify",
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    for key in ("status", "shortfall_slots", "open_slots", "slots_meeting_target", "weekend_duty_spread"):
        assert key in data
    assert data["status"] in ("OPTIMAL", "FEASIBLE")
    assert data["days"] == 14 and data["weekend_duty_spread"] <= 1
    assert 0 < data["slots_meeting_target"] <= data["open_slots"]
    assert len(data["failed_slots"]) == data["open_slots"] - data["slots_meeting_target"]
    wb = load_workbook(out)
    assert "仿真验证" in wb.sheetnames and wb["仿真验证"].max_row == data["open_slots"] + 1
    assert "排班表" in wb.sheetnames and any("仿真验证" in str(r[0]) for r in wb["说明"].iter_rows(values_only=True))


@pytest.mark.slow
def test_roster_cli_bad_staff_file(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    p = subprocess.run(
        [sys.executable, "-m", "sim", "roster", "data/hall/sample-hall.xlsx", str(bad), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert p.returncode == 2 and p.stderr.startswith("error:") and "bad.xlsx" in p.stderr
    assert "Traceback" not in p.stderr
