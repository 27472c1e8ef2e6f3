"""The supervision loop's command line, as outside checks drive it: each step as ``--as ACCOUNT``,
``extend`` prints the request id, ``status --json`` and ``baseline --json``, refusals are one
``error:`` line with exit 2 and change nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from accounts_helpers import dump
from supervision_helpers import PDF, PNG, UNIT_A, UNIT_B, files_in, loop_plan

from tasks.__main__ import main
from tasks.accounts import AccountBook
from tasks.store import Store

ROOT = Path(__file__).resolve().parents[2]
FAR = date.today().year + 5
PLAN = "督办计划"


@pytest.fixture
def cli(tmp_path, monkeypatch):
    from tasks.importers.workbook_writer import write_plan_workbook

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("WORKBENCH_DB_URL", url)
    monkeypatch.setenv("WORKBENCH_FILES_DIR", str(tmp_path / "files"))
    plan = loop_plan(PLAN, FAR)
    path = write_plan_workbook(plan, tmp_path / "督办计划.xlsx")
    assert (
        main(
            [
                "load",
                str(path),
                "--plan",
                PLAN,
                "--start",
                date.today().isoformat(),
                "--cycle",
                "monthly",
                "--due-day",
                "5",
            ]
        )
        == 0
    )
    store = Store(url)
    for name, role, unit in (("zwzx", "unit", UNIT_A), ("sgb", "unit", UNIT_B), ("ld", "leader", None)):
        AccountBook(store).add(name, role, unit=unit, password="Test-Only-Pass-9", actor="test")
    (tmp_path / "纪要.pdf").write_bytes(PDF)
    (tmp_path / "假的.pdf").write_bytes(PNG)
    yield store, path, tmp_path
    store.dispose()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    from tasks.accounts.cli_support import use_cli_account

    try:
        code = main(list(argv))
    except SystemExit as e:  # argparse usage errors
        code = int(e.code or 0)
    finally:
        use_cli_account(None)
    out = capsys.readouterr()
    return code, out.out, out.err


def refused(capsys, store, files, *argv: str, match: str) -> str:
    before, before_files = dump(store), files_in(files)
    code, out, err = run(capsys, *argv)
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1, err
    assert match in err and "Traceback" not in err
    assert dump(store) == before and files_in(files) == before_files
    return err


def test_the_loop_on_the_command_line(cli, capsys):
    store, path, tmp = cli
    files = tmp / "files"
    code, out, _ = run(capsys, "calendar", "--plan", PLAN, "--json")
    assert code == 0 and json.loads(out) == {
        "plan": PLAN,
        "start": date.today().isoformat(),
        "cycle": "month",
        "due_day": 5,
    }
    code, out, _ = run(capsys, "status", "--plan", PLAN, "--json")
    tasks = {t["id"]: t for t in json.loads(out)["tasks"]}
    assert code == 0 and tasks["1"]["lifecycle"] == "pending_sign" and tasks["1"]["missed_reports"] == 0
    assert tasks["1"]["cards"] == [] and tasks["1"]["deadline"] == tasks["1"]["original_deadline"] == f"{FAR}-10-31"

    refused(capsys, store, files, "--as", "zwzx", "sign", "2", "--plan", PLAN, match="不是")
    refused(capsys, store, files, "--as", "ld", "sign", "1", "--plan", PLAN, match="无权")
    refused(
        capsys,
        store,
        files,
        "--as",
        "zwzx",
        "claim",
        "1",
        "--plan",
        PLAN,
        "--evidence",
        str(tmp / "纪要.pdf"),
        match="请先签收",
    )
    assert run(capsys, "--as", "zwzx", "sign", "1", "--plan", PLAN)[0] == 0
    refused(capsys, store, files, "sign", "1", "--plan", PLAN, "--as", "zwzx", match="办理中")  # --as after too
    refused(
        capsys,
        store,
        files,
        "--as",
        "zwzx",
        "extend",
        "1",
        "--plan",
        PLAN,
        "--to",
        f"{FAR}-10-01",
        "--reason",
        "x",
        match="不晚于",
    )
    code, out, _ = run(
        capsys, "--as", "zwzx", "extend", "1", "--plan", PLAN, "--to", f"{FAR}-11-30", "--reason", "等待省级系统对接"
    )
    assert code == 0 and out.strip().isdigit()
    request = out.strip()
    refused(capsys, store, files, "--as", "zwzx", "decide", request, "--approve", match="无权")
    refused(capsys, store, files, "decide", request, "--reject", match="意见")
    refused(capsys, store, files, "decide", request, match="参数错误")
    assert run(capsys, "decide", request, "--approve", "--to", f"{FAR}-12-15")[0] == 0
    refused(capsys, store, files, "decide", request, "--reject", "--note", "x", match="不能重复")

    refused(
        capsys,
        store,
        files,
        "--as",
        "zwzx",
        "claim",
        "1",
        "--plan",
        PLAN,
        "--evidence",
        str(tmp / "假的.pdf"),
        match="与扩展名 .pdf 不符",
    )
    refused(capsys, store, files, "--as", "zwzx", "claim", "1", "--plan", PLAN, match="至少一份佐证材料")
    assert run(capsys, "--as", "zwzx", "claim", "1", "--plan", PLAN, "--evidence", str(tmp / "纪要.pdf"))[0] == 0
    refused(capsys, store, files, "--as", "zwzx", "review", "1", "--plan", PLAN, "--accept", match="无权")
    refused(capsys, store, files, "review", "1", "--plan", PLAN, "--return", match="理由")
    assert run(capsys, "review", "1", "--plan", PLAN, "--return", "--note", "缺少验收材料")[0] == 0
    code, out, _ = run(capsys, "--as", "zwzx", "status", "--plan", PLAN, "--json")
    t1 = {t["id"]: t for t in json.loads(out)["tasks"]}["1"]
    assert t1["lifecycle"] == "in_progress" and t1["returned_note"] == "缺少验收材料"
    assert (
        run(
            capsys,
            "--as",
            "zwzx",
            "claim",
            "1",
            "--plan",
            PLAN,
            "--evidence",
            str(tmp / "纪要.pdf"),
            "--note",
            "已补充",
        )[0]
        == 0
    )
    assert run(capsys, "review", "1", "--plan", PLAN, "--accept")[0] == 0

    code, out, _ = run(capsys, "status", "--as-of", date.today().isoformat(), "--plan", PLAN, "--json")
    t1 = {t["id"]: t for t in json.loads(out)["tasks"]}["1"]
    assert (t1["status"], t1["lifecycle"], t1["status_label"]) == ("done", "closed", "已办结")
    assert (t1["deadline"], t1["original_deadline"]) == (f"{FAR}-12-15", f"{FAR}-10-31")
    assert t1["missed_reports"] == 0 and t1["cards"] == []

    code, out, _ = run(capsys, "baseline", "--plan", PLAN, "--json")
    d = json.loads(out)
    assert code == 0 and d["baseline"]["kind"] == "load" and d["added"] == [] and d["archived"] == []
    assert [(m["task"], m["to"], m["extension"]["id"]) for m in d["deadline_moves"]] == [
        ("1", f"{FAR}-12-15", int(request))
    ]
    code, out, _ = run(capsys, "baseline", "--plan", PLAN, "--against", "2000-01-01", "--json")
    assert code == 2

    # evidence: listed and downloadable by the office and the owning unit only
    code, out, _ = run(capsys, "evidence", "1", "--plan", PLAN, "--json")
    ev = json.loads(out)
    assert code == 0 and len(ev) == 2 and ev[0]["filename"] == "纪要.pdf"
    refused(
        capsys, store, files, "--as", "sgb", "evidence", "--download", str(ev[0]["id"]), "--out", str(tmp), match="只能"
    )
    refused(capsys, store, files, "--as", "ld", "evidence", "--download", str(ev[0]["id"]), match="无权")
    code, out, _ = run(capsys, "--as", "zwzx", "evidence", "--download", str(ev[0]["id"]), "--out", str(tmp / "dl.pdf"))
    assert code == 0 and (tmp / "dl.pdf").read_bytes() == PDF
    code, out, _ = run(capsys, "events", "1", "--plan", PLAN, "--json")
    assert [e["kind"] for e in json.loads(out)] == [
        "sign",
        "extension_request",
        "extension_approved",
        "claim",
        "claim_returned",
        "claim",
        "claim_accepted",
    ]


@pytest.mark.slow
def test_errors_are_one_line_in_a_real_process(cli):
    """Run as outside checks do: a child process, its stderr one ``error:`` line, exit 2."""
    store, path, tmp = cli
    env = {**os.environ}
    r = subprocess.run(
        [sys.executable, "-m", "tasks", "load", str(path), "--plan", PLAN, "--start", "2021-13-01"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2 and r.stderr.startswith("error: ") and r.stderr.count("\n") == 1
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "tasks",
            "load",
            str(path),
            "--plan",
            PLAN,
            "--start",
            "2021-01-01",
            "--cycle",
            "quarterly",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "tasks",
            "--as",
            "zwzx",
            "claim",
            "1",
            "--plan",
            PLAN,
            "--evidence",
            str(tmp / "不存在.pdf"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "不存在" in r.stderr
    r = subprocess.run(
        [sys.executable, "-m", "tasks", "calendar", "--plan", PLAN, "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert json.loads(r.stdout) == {"plan": PLAN, "start": "2021-01-01", "cycle": "quarter", "due_day": 5}
