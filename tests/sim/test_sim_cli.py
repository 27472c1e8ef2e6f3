"""``python -m sim run | mmc | compare | calibrate`` end to end (in process)."""

from __future__ import annotations

import json

import pytest
from conftest import DATA
from openpyxl import load_workbook

from sim.__main__ import main
from sim.calibrate import ticket_log
from sim.hall import simulate
from sim.sample_hall import sample_scenario

HALL = str(DATA / "hall" / "sample-hall.xlsx")


def test_mmc_json_contract(capsys):
    assert (
        main(
            [
                "mmc",
                "--servers",
                "3",
                "--arrival-rate",
                "0.25",
                "--service-rate",
                "0.1",
                "--customers",
                "20000",
                "--seed",
                "4",
                "--json",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["mean_wait", "p_wait", "p_wait_gt", "customers", "wall_seconds"]
    assert list(out["p_wait_gt"]) == ["5", "15"] and out["customers"] == 20000
    assert 0 < out["p_wait_gt"]["15"] < out["p_wait_gt"]["5"] < out["p_wait"] < 1


@pytest.mark.slow
def test_run_json_and_xlsx(capsys, tmp_path):
    assert main(["run", HALL, "--days", "1", "--reps", "2", "--seed", "1", "--workers", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    metrics = {r["metric"]: r for r in out["ci"]}
    assert metrics["customers"]["mean"] > 1500 and "by_group" in out and len(out["seeds"]) == 2
    x = tmp_path / "结果.xlsx"
    assert main(["run", HALL, "--days", "1", "--reps", "2", "--workers", "1", "--xlsx", str(x)]) == 0
    wb = load_workbook(x, read_only=True)
    assert {"总体指标", "按业务", "按窗口组", "按星期", "按时段", "窗口调整记录", "顾客明细(第1次)"} <= set(
        wb.sheetnames
    )
    header = [c.value for c in next(wb["顾客明细(第1次)"].iter_rows(max_row=1))]
    assert "等候(分钟)" in header and "窗口组" in header


def test_compare_prints_side_by_side(capsys, tmp_path):
    j = tmp_path / "b.json"
    s = sample_scenario()
    s.name = "方案乙"
    s.policy.enabled = False
    from sim.scenario_io import save_scenario

    save_scenario(s, j)
    assert main(["compare", HALL, str(j), "--days", "1", "--reps", "2", "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "方案乙" in out and "平均等候(分钟)" in out and "配对95%置信区间" in out


@pytest.mark.slow
def test_calibrate_writes_a_scenario(capsys, tmp_path):
    log = tmp_path / "log.xlsx"
    ticket_log(simulate(sample_scenario(), days=3, seed=2)).to_excel(log, index=False, engine="openpyxl")
    out = tmp_path / "fitted.xlsx"
    assert main(["calibrate", str(log), "--out", str(out)]) == 0
    assert "户籍" in capsys.readouterr().out
    assert main(["run", str(out), "--days", "1", "--reps", "1", "--json"]) == 0


def test_bad_scenario_is_one_error_line(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    assert main(["run", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: bad.json") and "Traceback" not in err


def test_compare_builtin_variants(capsys):
    assert (
        main(
            [
                "compare",
                HALL,
                "--variant",
                "rota:off",
                "--variant",
                "pooled:户籍,交警",
                "--days",
                "2",
                "--reps",
                "2",
                "--workers",
                "1",
                "--json",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert len(out["scenarios"]) == 3 and "周末轮班关" in out["scenarios"][1]
    assert main(["compare", HALL, "--variant", "pooled:户籍,无此组"]) == 2
    assert "无此组" in capsys.readouterr().err
