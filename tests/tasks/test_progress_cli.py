"""The progress command line: load, template, upload (exit codes), status --json, report, periods, reminders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from progress_helpers import fill

from tasks.__main__ import main
from tasks.store import Store

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "data" / "plans" / "leiyang-2021-tasks.xlsx"
STATUSES = {"done", "on_track", "at_risk", "overdue", "ongoing", "not_started"}


@pytest.fixture
def db(tmp_path, monkeypatch):
    if not BUNDLED.exists():
        pytest.skip("bundled sample plan data/plans/leiyang-2021-tasks.xlsx is absent")
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("WORKBENCH_DB_URL", url)
    return url


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.slow
def test_cli_round_trip(db, tmp_path, capsys):
    code, out, _ = run(capsys, "load", str(BUNDLED), "--start", "2021-09-01")
    assert code == 0 and "新增 32 项" in out
    code, out, _ = run(capsys, "load", str(BUNDLED))
    assert code == 0 and "未变 32 项" in out
    code, out, _ = run(capsys, "template", "--unit", "市审改办", "--period", "2021-09", "--out", str(tmp_path))
    tpl = tmp_path / "2021-09_市审改办_进度填报表.xlsx"
    assert code == 0 and tpl.exists()
    assert [c.value for c in load_workbook(tpl)["进度填报"]["A"]][3:8] == ["1", "2", "3", "4", "5"]

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        fill(
            tpl.read_bytes(),
            {
                "1": {"status": "推进中", "percent": 130, "date": date(2021, 9, 28)},
                "2": {"status": "已完成", "percent": 90, "date": date(2021, 9, 28)},
            },
        )
    )
    code, out, _ = run(capsys, "upload", str(bad), "--yes")
    assert code == 1 and "发现 2 处问题" in out and "第4行 “完成进度(%)”列" in out
    assert Store(db).counts()["uploads"] == 0

    good = tmp_path / "good.xlsx"
    good.write_bytes(
        fill(
            tpl.read_bytes(),
            {
                "1": {"status": "推进中", "percent": 40, "date": date(2021, 9, 28)},
                "2": {"status": "已完成", "percent": 100, "date": date(2021, 9, 28)},
            },
        )
    )
    code, out, _ = run(capsys, "upload", str(good))
    assert code == 0 and "尚未保存" in out and Store(db).counts()["uploads"] == 0
    code, out, _ = run(capsys, "upload", str(good), "--yes", "--unit", "市审改办")
    assert code == 0 and "2 行已保存" in out and Store(db).counts()["progress_reports"] == 2
    code, out, _ = run(capsys, "upload", str(good), "--yes")
    assert code == 0 and "已上传过" in out and Store(db).counts()["uploads"] == 1
    code, out, _ = run(capsys, "upload", str(good), "--unit", "市财政局")
    assert code == 1 and "这是“市审改办”的填报模板" in out

    code, out, _ = run(capsys, "status", "--as-of", "2021-10-10", "--json")
    data = json.loads(out)
    assert code == 0 and data["as_of"] == "2021-10-10" and len(data["tasks"]) == 32
    assert {t["status"] for t in data["tasks"]} <= STATUSES
    by_id = {t["id"]: t for t in data["tasks"]}
    # a reported 已完成 is only a claim: the task is done (已办结) when the office accepts it
    assert by_id["2"]["status"] != "done" and by_id["2"]["last_status"] == "已完成" and by_id["1"]["percent"] == 40.0
    assert by_id["4"]["status"] == "overdue" and by_id["4"]["card"] == "red" and by_id["4"]["card_name"] == "红牌"

    for name in ("月报.xlsx", "月报.docx"):
        code, out, _ = run(capsys, "report", "--kind", "month", "--period", "2021-09", "--out", str(tmp_path / name))
        assert code == 0 and (tmp_path / name).stat().st_size > 5000
    code, out, err = run(
        capsys, "report", "--kind", "quarter", "--period", "2021-09", "--out", str(tmp_path / "q.xlsx")
    )
    assert code == 2 and err.startswith("error: ") and "不是季度报告期" in err and "Traceback" not in err

    code, out, _ = run(capsys, "reminders", "--period", "2021-09", "--as-of", "2021-10-10", "--json")
    owed = {r["unit"]: [t["id"] for t in r["tasks"]] for r in json.loads(out)}
    assert code == 0 and "市政务服务中心" in owed and owed["市审改办"] == ["3", "4", "5"]  # 1 and 2 were sent

    code, out, _ = run(capsys, "periods", "--close", "2021-09")
    assert code == 0 and "2021-09" in out and "已关闭" in out
    late = tmp_path / "late.xlsx"
    late.write_bytes(fill(tpl.read_bytes(), {"3": {"status": "推进中", "percent": 10, "date": date(2021, 9, 29)}}))
    code, out, _ = run(capsys, "upload", str(late), "--yes")
    assert code == 1 and "已关闭" in out
    assert [a.actor for a in Store(db).audit_log()] == ["cli"] * len(Store(db).audit_log())


@pytest.mark.slow
def test_python_m_tasks_status_json_subprocess(db, tmp_path):
    env = {**os.environ, "WORKBENCH_DB_URL": db}
    r = subprocess.run(
        [sys.executable, "-m", "tasks", "load", str(BUNDLED)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    r = subprocess.run(
        [sys.executable, "-m", "tasks", "status", "--as-of", "2021-07-01", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    data = json.loads(r.stdout)
    assert (
        r.returncode == 0
        and data["counts"]["not_started"]
        + data["counts"]["ongoing"]
        + data["counts"]["at_risk"]
        + data["counts"]["overdue"]
        == 32
    )
    assert all("card" in t for t in data["tasks"])


def test_upload_a_zip_of_filled_templates(db, tmp_path, capsys):
    import io
    import zipfile

    assert run(capsys, "load", str(BUNDLED))[0] == 0
    assert run(capsys, "template", "--all", "--period", "2021-09", "--out", str(tmp_path / "all.zip"))[0] == 0
    src = zipfile.ZipFile(tmp_path / "all.zip")
    filled = io.BytesIO()
    with zipfile.ZipFile(filled, "w") as z:
        for unit, pct in (("市审改办", 30), ("市财政局", 40)):
            name = f"2021-09_{unit}_进度填报表.xlsx"
            first = load_workbook(io.BytesIO(src.read(name)))["进度填报"]["A4"].value
            z.writestr(
                name, fill(src.read(name), {first: {"status": "推进中", "percent": pct, "date": date(2021, 9, 25)}})
            )
        z.writestr("说明.txt", "附:两个单位的填报表")
    (tmp_path / "filled.zip").write_bytes(filled.getvalue())
    code, out, _ = run(capsys, "upload", str(tmp_path / "filled.zip"), "--yes")
    assert code == 0 and out.count("1 行已保存") == 2 and "filled.zip/2021-09_市财政局_进度填报表.xlsx" in out
    assert sorted(u.unit for u in Store(db).uploads()) == ["市审改办", "市财政局"]
    code, _, err = run(capsys, "upload", str(tmp_path / "nothere.xlsx"))
    assert code == 2 and "文件不存在" in err


def test_many_files_at_once_bad_one_and_same_file_twice(db, tmp_path, capsys):
    """One command, several files: clean ones saved, the rejected one not, the repeated one known by its hash."""
    assert run(capsys, "load", str(BUNDLED), "--start", "2021-09-01")[0] == 0
    files = {}
    for unit, pct in (("市审改办", 30), ("市财政局", 140), ("市政务服务中心", 50)):
        assert run(capsys, "template", "--unit", unit, "--period", "2021-09", "--out", str(tmp_path))[0] == 0
        tpl = tmp_path / f"2021-09_{unit}_进度填报表.xlsx"
        first = load_workbook(tpl)["进度填报"]["A4"].value
        files[unit] = tmp_path / f"{unit}-填报.xlsx"
        files[unit].write_bytes(
            fill(tpl.read_bytes(), {first: {"status": "推进中", "percent": pct, "date": date(2021, 9, 25)}})
        )
    copy = tmp_path / "副本.xlsx"
    copy.write_bytes(files["市审改办"].read_bytes())
    before = Store(db).counts()
    argv = [str(files["市审改办"]), str(files["市财政局"]), str(files["市政务服务中心"]), str(copy)]
    code, out, _ = run(capsys, "upload", *argv)  # check only: nothing written
    assert (
        code == 1
        and "超出 0–100" in out
        and out.count("行检查通过") == 2
        and "与本批的“市审改办-填报.xlsx”内容完全相同" in out
    )
    assert Store(db).counts() == before
    code, out, _ = run(capsys, "upload", *argv, "--yes", "--json")
    data = {r["filename"]: r for r in json.loads(out)}
    assert code == 1
    assert [data[p.name]["outcome"] for p in (files["市审改办"], files["市财政局"], files["市政务服务中心"], copy)] == [
        "saved",
        "rejected",
        "saved",
        "duplicate",
    ]
    assert data["市财政局-填报.xlsx"]["problems"][0]["row"] == 4
    assert sorted(u.unit for u in Store(db).uploads()) == ["市审改办", "市政务服务中心"]
    code, out, _ = run(
        capsys, "reminders", "--period", "2021-09", "--as-of", "2021-10-10", "--out", str(tmp_path / "催办.xlsx")
    )
    ws = load_workbook(tmp_path / "催办.xlsx")["催办名单"]
    units = [ws.cell(r, 1).value for r in range(3, ws.max_row + 1)]
    assert code == 0 and "市财政局" in units and "市委优化办" in units and ws["A1"].value.startswith("催办名单")


def test_cli_follows_an_edited_rules_file(db, tmp_path, capsys, monkeypatch):
    """A locality's blue/orange/red ladder with points, set in the rules file, drives status and the ranking."""
    import tasks.progress.rules as rules_mod

    ladder = tmp_path / "rules.toml"
    ladder.write_text(
        """
[status]
at_risk_gap = 10
[[levels]]
key = "blue"
name = "蓝色提示"
color = "5B9BD5"
points = 0.5
when = ["status == at_risk", "status == not_started"]
[[levels]]
key = "orange"
name = "橙色预警"
color = "ED7D31"
points = 2
when = ["missed_reports >= 1"]
[[levels]]
key = "red"
name = "红色督办"
color = "C00000"
points = 5
when = ["status == overdue"]
[scoring]
base = 60
""",
        encoding="utf-8",
    )
    monkeypatch.setattr(rules_mod, "RULES_FILE", ladder)
    assert run(capsys, "load", str(BUNDLED))[0] == 0
    code, out, _ = run(capsys, "status", "--as-of", "2021-07-01", "--json")
    tasks = json.loads(out)["tasks"]
    assert code == 0 and {t["card"] for t in tasks} <= {"blue", "orange", "red", None}
    blue = [t for t in tasks if t["status"] == "not_started"]
    assert blue and all((t["card"], t["card_name"], t["card_color"]) == ("blue", "蓝色提示", "5B9BD5") for t in blue)
    code, out, _ = run(capsys, "status", "--as-of", "2022-03-01", "--ranking")
    assert code == 0 and "【红色督办】" in out and "基础分60" in out and "红色督办数×5" in out
