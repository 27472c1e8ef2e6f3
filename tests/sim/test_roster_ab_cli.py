"""``python -m sim roster --ab --hours-band --max-half-days --certify``: rules on the solved roster,
the certificate in JSON and in plain Chinese on the notes sheet, and clean errors."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]


def _run(*args):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "roster",
            "data/hall/sample-hall.xlsx",
            "data/hall/staff.xlsx",
            "--weeks",
            "1",
            "--method",
            "erlang",
            "--time-limit",
            "20",
            *args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.slow  # CP-SAT runs to its time limit (~20 s)
def test_roster_cli_with_ab_balance_and_certificate(tmp_path):
    out = tmp_path / "roster.xlsx"
    p = _run(
        "--ab",
        "--max-half-days",
        "1",
        "--certify",
        "--certify-reps",
        "4",
        "--leave-rate",
        "0.05",
        "--out",
        str(out),
        "--json",
    )
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert data["status"] in ("OPTIMAL", "FEASIBLE") and data["ab_gaps"] == []
    cert = data["certificate"]
    assert cert["reps"] == 4 and 0 <= cert["holds"] <= 4 and isinstance(cert["fit"], bool)
    assert ("可以发布" in cert["text"]) == cert["fit"]
    wb = load_workbook(out)
    notes = " ".join(str(r[0]) for r in wb["说明"].iter_rows(values_only=True))
    assert "排班可靠性检验" in notes and "AB岗" in notes
    # half days counted on the roster sheet: at most one per person
    ws = wb["排班表"]
    half: defaultdict[str, int] = defaultdict(int)
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[0] and row[1]:
            half[row[0]] += sum(1 for v in row[2:9] if isinstance(v, str) and v.split("·")[0] in ("AM", "PM"))
    assert half and max(half.values()) <= 1


def test_roster_cli_rejects_a_bad_hours_band():
    p = _run("--hours-band", "abc", "--json")
    assert p.returncode == 2 and p.stderr.startswith("error:") and "--hours-band" in p.stderr
    assert "Traceback" not in p.stderr
