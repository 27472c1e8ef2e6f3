"""Scenario workbooks and JSON: round trips and validation messages naming sheet/row/column."""

from __future__ import annotations

import json

import pytest
from conftest import DATA
from openpyxl import load_workbook

from sim.sample_hall import sample_scenario
from sim.scenario_io import ScenarioInvalid, load_scenario, save_scenario

SAMPLE_XLSX = DATA / "hall" / "sample-hall.xlsx"


def test_bundled_files_equal_the_builder():
    s = sample_scenario()
    assert load_scenario(SAMPLE_XLSX) == s
    assert load_scenario(DATA / "hall" / "sample-hall.json") == s


def test_xlsx_round_trip_with_every_feature(tmp_path):
    s = sample_scenario()
    s.types[0].service_dist, s.types[0].service_sample = "empirical", [3.5, 7.0, 12.25]
    s.types[1].patience_mean = 25.0
    s.types[2].weekday_profile = {"09:00": 2.0, "14:00": 1.0}
    s.groups[0].lunch_mode = "staggered"
    s.calendar.overrides = [
        __import__("sim.scenario", fromlist=["DayOverride"]).DayOverride(
            __import__("datetime").date(2026, 11, 6), "holiday", "本地停电"
        )
    ]
    s.policy.enabled = False
    p = tmp_path / "场景.xlsx"
    save_scenario(s, p)
    wb = load_workbook(p)
    assert wb.sheetnames == [
        "说明",
        "业务类型",
        "窗口组",
        "到达曲线",
        "经验办理时长",
        "调整策略",
        "日历",
        "日历调整",
        "办理规则",
    ]
    assert load_scenario(p) == s
    j = tmp_path / "场景.json"
    save_scenario(s, j)
    assert load_scenario(j) == s


def _broken(tmp_path):
    p = tmp_path / "坏场景.xlsx"
    save_scenario(sample_scenario(), p)
    wb = load_workbook(p)
    wb["窗口组"]["C3"] = "住房公积金、不存在的业务"
    wb["业务类型"]["K4"] = "十分钟"  # 平均办理时长
    wb["业务类型"]["M5"] = 1.5  # 预约比例
    wb["窗口组"]["F6"] = "8点半到5点"
    wb["到达曲线"]["C2"] = "09:10"
    wb["调整策略"]["B2"] = "也许"
    wb.save(p)
    return p


def test_validation_lists_every_mistake_with_sheet_row_and_column(tmp_path):
    with pytest.raises(ScenarioInvalid) as err:
        load_scenario(_broken(tmp_path))
    msg = str(err.value)
    assert msg.startswith("坏场景.xlsx 有")
    for where in (
        "窗口组 第3行 “可办业务”列: 业务“不存在的业务”不在“业务类型”表中",
        "业务类型 第4行 “平均办理时长(分钟)”列",
        "业务类型 第5行 “预约比例”列",
        "窗口组 第6行 “周一营业时间”列",
        "到达曲线 第2行 “时段”列",
        "调整策略 第2行 “取值”列",
    ):
        assert where in msg, where
    assert len(err.value.issues) == 6


def test_missing_sheet_and_missing_column_are_named(tmp_path):
    p = tmp_path / "缺表.xlsx"
    save_scenario(sample_scenario(), p)
    wb = load_workbook(p)
    del wb["窗口组"]
    wb["业务类型"]["B1"] = "部门"
    wb.save(p)
    with pytest.raises(ScenarioInvalid) as err:
        load_scenario(p)
    msg = str(err.value)
    assert "缺少工作表“窗口组”" in msg and "业务类型 第1行 “所属部门”列" in msg


def test_a_type_no_window_serves_is_an_error(tmp_path):
    s = sample_scenario()
    s.groups = [g for g in s.groups if g.name != "水电气"]
    p = tmp_path / "a.xlsx"
    save_scenario(s, p)
    with pytest.raises(ScenarioInvalid, match="业务类型 第9行 “业务名称”列: 业务“水电气”没有任何窗口组可办理"):
        load_scenario(p)


def test_bad_json_and_non_workbook_are_clear_errors(tmp_path):
    j = tmp_path / "x.json"
    d = sample_scenario().to_dict()
    d["groups"][1]["types"] = ["无此业务"]
    j.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ScenarioInvalid, match="窗口组 第3行 “可办业务”列"):
        load_scenario(j)
    j.write_text("{not json", encoding="utf-8")
    with pytest.raises(ScenarioInvalid, match="不是有效的 JSON.第1行第2列附近格式错误") as err:
        load_scenario(j)
    assert "Error" not in str(err.value)  # what to fix, not an exception class
    del d["types"][0]["name"]
    j.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ScenarioInvalid, match="缺少必填项“name”"):
        load_scenario(j)
    x = tmp_path / "x.xlsx"
    x.write_text("not a workbook")
    with pytest.raises(ScenarioInvalid, match="不是可读取的 xlsx 工作簿"):
        load_scenario(x)
