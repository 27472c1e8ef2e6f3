"""`python -m tasks import PATH [--json] [--aliases CSV]`: the DESIGN.md contract, driven as a user would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "data" / "plans" / "leiyang-2021-tasks.xlsx"
CONTRACT_KEYS = {
    "id",
    "section",
    "title",
    "description",
    "lead_units",
    "responsible_units",
    "deadline",
    "deadline_text",
    "milestones",
    "predecessors",
    "source",
}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tasks", "import", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


@pytest.fixture(scope="module")
def bundled_json():
    proc = run_cli(str(BUNDLED), "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_json_is_an_array_of_tasks_with_the_contract_fields(bundled_json):
    assert isinstance(bundled_json, list) and len(bundled_json) == 32
    for t in bundled_json:
        assert set(t) >= CONTRACT_KEYS
    t1 = bundled_json[0]
    assert t1["id"] == "1"
    assert t1["section"] == "一、深入推进行政审批制度改革"
    assert t1["lead_units"] == ["市审改办", "市政务服务中心"]
    assert t1["deadline"] == "2021-12-31" and t1["deadline_text"] == "2021年底前"
    assert t1["milestones"] == [{"date": "2021-12-31", "text": "2021年底前"}]
    assert t1["source"] == {"file": "leiyang-2021-tasks.xlsx", "sheet": "任务分解表", "row": 4}
    ongoing = [t for t in bundled_json if t["deadline_text"] == "长期坚持"]
    assert len(ongoing) == 4 and all(t["deadline"] is None and t["deadline_kind"] == "ongoing" for t in ongoing)


@pytest.mark.slow
def test_unit_names_as_written_and_canonical_separately(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "工作要点", "牵头单位", "责任单位", "完成时限", "前置任务"])
    ws.append([1, "窗口动态调整", "市行政服务中心管委会", "市人力资源和社会保障局", "2021年8月底前", None])
    ws.append([2, "周末轮班", "市政务服务中心", "市公安局", "2021年底前", "1"])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    data = json.loads(run_cli(str(path), "--json").stdout)
    assert data[0]["lead_units"] == ["市行政服务中心管委会"]  # as the document says
    assert data[0]["lead_units_canonical"] == ["市政务服务中心"]  # the shipped alias table
    assert data[0]["responsible_units_canonical"] == ["市人社局"]
    assert data[1]["predecessors"] == ["1"]
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("别名,标准名称\n市公安局,市公安局(含交警)\n", encoding="utf-8")
    data = json.loads(run_cli(str(path), "--json", "--aliases", str(aliases)).stdout)
    assert data[1]["responsible_units_canonical"] == ["市公安局(含交警)"]
    assert data[0]["lead_units_canonical"] == ["市行政服务中心管委会"]  # the given table replaces the default


@pytest.mark.slow
def test_summary_in_chinese():
    proc = run_cli(str(BUNDLED))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "计划:耒阳市2021年优化营商环境“政务服务便利化”攻坚行动方案任务分解表" in out
    assert "读取范围:工作表“任务分解表”第4–42行(表头在第2行)" in out
    assert "任务数:32" in out
    assert "一、深入推进行政审批制度改革" in out
    assert "未使用的工作表:说明" in out


@pytest.mark.slow
def test_summary_lists_unreadable_deadlines(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "工作要点", "牵头单位", "完成时限"])
    ws.append([1, "窗口动态调整", "市政务服务中心", "尽快"])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    proc = run_cli(str(path))
    assert proc.returncode == 0
    assert "无法识别(尽快)" in proc.stdout
    assert "任务1:完成时限“尽快”无法识别为日期" in proc.stdout


def test_missing_alias_file_is_an_error(tmp_path):
    proc = run_cli(str(BUNDLED), "--aliases", str(tmp_path / "none.csv"))
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("error: ") and "别名表文件不存在" in proc.stderr


@pytest.mark.slow
def test_document_summary_and_json(block_sample):
    proc = run_cli(str(block_sample))
    assert proc.returncode == 0, proc.stderr
    assert "计划:某市优化窗口服务工作方案" in proc.stdout and "任务数:4" in proc.stdout
    assert "读取范围:" in proc.stdout
    data = json.loads(run_cli(str(block_sample), "--json").stdout)
    assert len(data) == 4 and all(set(t) >= CONTRACT_KEYS for t in data)
    assert data[0]["lead_units"] == ["市数字办", "市政务服务中心管委会"]
    assert data[0]["lead_units_canonical"] == ["市数字办", "市政务服务中心"]
    assert data[0]["deadline"] == "2018-08-31"
