"""The 窗口仿真 page's table ↔ scenario mapping and its two views of a run's customer log."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.sample_hall import sample_scenario
from ui.hall_views import (
    groups_frame,
    queue_frame,
    scenario_from_frames,
    scenario_key,
    types_frame,
    wait_by_weekday_slot,
)


def test_tables_round_trip_to_the_same_scenario():
    s = sample_scenario()
    back = scenario_from_frames(s, types_frame(s), groups_frame(s))
    assert back.to_dict() == s.to_dict()
    assert scenario_key(back) == scenario_key(s)


def test_edited_cells_change_the_scenario_and_its_key():
    s = sample_scenario()
    groups = groups_frame(s)
    types = types_frame(s)
    groups.loc[0, "常设窗口"] = int(groups.loc[0, "常设窗口"]) + 2  # type: ignore[arg-type, index]
    groups.loc[0, "周六时间"] = ""
    types.loc[1, "周一"] = 999.0
    e = scenario_from_frames(s, types, groups)
    g0 = e.group(groups.loc[0, "窗口组"])  # type: ignore[arg-type]
    assert g0.regular == s.groups[0].regular + 2 and g0.hours[5] == ""
    assert e.type(types.loc[1, "业务名称"]).daily_volume[0] == 999.0  # type: ignore[arg-type]
    assert scenario_key(e) != scenario_key(s)
    assert s.groups[0].regular != g0.regular  # the base is not modified


def test_new_group_row_and_blank_rows():
    s = sample_scenario()
    groups = pd.concat(
        [
            groups_frame(s),
            pd.DataFrame(
                [
                    {
                        "窗口组": "新综合窗",
                        "类型": "综合窗",
                        "可办业务": "户籍、婚姻登记",
                        "常设窗口": 2,
                        "备用窗口": 0,
                        "周末窗口": None,
                        "工作日时间": "08:30-17:30",
                        "周六时间": "",
                        "周日时间": "",
                        "午休方式": "午间不打烊",
                    },
                    {"窗口组": None},
                ]
            ),
        ],
        ignore_index=True,
    )
    e = scenario_from_frames(s, types_frame(s), groups)
    g = e.group("新综合窗")
    assert g.types == ["户籍", "婚姻登记"] and g.lunch_mode == "staggered" and g.weekend_windows is None
    assert len(e.groups) == len(s.groups) + 1


def _log(arrival, start, weekday=0):
    arrival, start = np.asarray(arrival, float), np.asarray(start, float)
    return pd.DataFrame(
        {
            "day": 0,
            "weekday": weekday,
            "slot": (arrival // 30).astype(int),
            "arrival": arrival,
            "start": start,
            "wait": start - arrival,
            "abandoned": False,
        }
    )


def test_queue_length_counts_tickets_not_yet_called():
    # tickets at 9:00, 9:01, 9:02; called at 9:10, 9:03, 9:20 (minutes of day 540...)
    log = _log([540, 541, 542], [550, 543, 560])
    q = queue_frame(log, step=5).set_index("时刻")["等候人数"]
    assert q["09:00"] == 1  # only the 9:00 ticket is in at 9:00
    assert q["09:05"] == 2  # 541 was called at 543; 540 and 542 still wait
    assert q["09:15"] == 1  # 540 called at 550
    assert q["09:20"] == 0


def test_wait_by_weekday_and_slot_is_the_mean_per_cell():
    log = pd.concat([_log([540, 545], [550, 565], weekday=0), _log([600], [601], weekday=2)])
    h = wait_by_weekday_slot(log).set_index(["星期", "时段"])
    assert h.loc[("周一", "09:00"), "平均等候(分钟)"] == 15.0 and h.loc[("周一", "09:00"), "人次"] == 2
    assert h.loc[("周三", "10:00"), "平均等候(分钟)"] == 1.0
