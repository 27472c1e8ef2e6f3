"""A scenario with every newer field (no-shows, routes, priority lanes, quotas, the 办理规则 sheet)
is written to xlsx and read back equal; older workbooks without those columns still read; mistakes
in the new cells are named by sheet, row and column."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from sim.sample_hall import sample_scenario
from sim.scenario import Scenario
from sim.scenario_io import (
    ScenarioInvalid,
    groups_table,
    read_json,
    read_xlsx,
    scenario_from_tables,
    types_table,
    write_json,
    write_xlsx,
)


def _featured() -> Scenario:
    s = sample_scenario()
    s.types[0].no_show, s.types[0].route, s.types[0].route_share = 0.06, [s.types[1].name, s.types[2].name], 0.35
    s.types[1].priority_share = 0.12
    s.types[2].no_show = 0.5
    s.groups[-1].priority_lane = True
    p = s.practice
    p.recall_minutes, p.no_show_policy, p.keep_calls = 1.5, "keep", 2
    p.priority_mode, p.booking_lead_days = "dedicated", 4.5
    p.appointment_quota = {s.types[0].name: 4, s.types[3].name: 0}
    p.weekend_cutoff, p.weekend_appointment_only = "4 12:00", True
    return s


def test_every_field_round_trips_through_xlsx(tmp_path):
    s = _featured()
    path = tmp_path / "hall.xlsx"
    write_xlsx(s, path)
    back = read_xlsx(path)
    assert back == s
    assert back.practice.weekend_cutoff == "4 12:00" and back.groups[-1].priority_lane
    wb = load_workbook(path)
    assert [c.value for c in wb["办理规则"]["B"]][6] == "周五 12:00"  # written as people write it
    j = tmp_path / "hall.json"
    write_json(s, j)
    assert read_json(j) == s


def test_editor_tables_keep_the_new_fields():
    s = _featured()
    assert scenario_from_tables(s, types_table(s), groups_table(s)) == s


def test_older_workbook_without_the_new_columns_reads_with_defaults(tmp_path):
    s = sample_scenario()
    path = tmp_path / "old.xlsx"
    write_xlsx(s, path)
    wb = load_workbook(path)
    for sheet, first in (("业务类型", "过号比例"), ("窗口组", "爱心窗口")):
        ws = wb[sheet]
        col = [c.value for c in ws[1]].index(first) + 1
        ws.delete_cols(col, ws.max_column - col + 1)
    del wb["办理规则"]
    wb.save(path)
    assert read_xlsx(path) == s


def test_mistakes_in_the_new_cells_are_named(tmp_path):
    s = _featured()
    path = tmp_path / "bad.xlsx"
    write_xlsx(s, path)
    wb = load_workbook(path)
    ws = wb["业务类型"]
    head = [c.value for c in ws[1]]
    ws.cell(2, head.index("过号比例") + 1, "1.5")
    ws.cell(2, head.index("转办后续业务") + 1, "税务→不存在的业务")
    ws.cell(3, head.index("转办比例") + 1, 0.2)
    ws.cell(3, head.index("每时段预约上限") + 1, "2.5")
    wb["窗口组"].cell(2, [c.value for c in wb["窗口组"][1]].index("爱心窗口") + 1, "也许")
    wp = wb["办理规则"]
    wp.cell(3, 2, "保留")
    wp.cell(7, 2, "周八 12:00")
    wb.save(path)
    with pytest.raises(ScenarioInvalid) as err:
        read_xlsx(path)
    msg = str(err.value)
    for where in (
        "业务类型 第2行 “过号比例”列: “1.5”超出范围",
        "业务类型 第2行 “转办后续业务”列: 业务“税务”不在“业务类型”表中",
        "业务类型 第2行 “转办后续业务”列: 业务“不存在的业务”不在“业务类型”表中",
        "业务类型 第3行 “转办后续业务”列: 填写了转办比例,但没有写转办后续业务",
        "业务类型 第3行 “每时段预约上限”列: “2.5”应为整数",
        "窗口组 第2行 “爱心窗口”列: “也许”应填“是”或“否”",
        "办理规则 第3行 “取值”列: “保留”应为“作废”或“顺延”",
        "办理规则 第7行 “取值”列: “周八 12:00”无法识别",
    ):
        assert where in msg, (where, msg)


def test_json_with_a_bad_route_or_share_is_refused(tmp_path):
    s = _featured()
    s.types[1].route, s.types[1].priority_share = ["不存在的业务"], 1.2
    path = tmp_path / "bad.json"
    write_json(s, path)
    with pytest.raises(ScenarioInvalid) as err:
        read_json(path)
    msg = str(err.value)
    assert "业务类型 第3行 “转办后续业务”列: 业务“不存在的业务”不在“业务类型”中或就是本业务" in msg
    assert "业务类型 第3行 “优先比例”列: 应在0~1之间" in msg
