"""AppTest: the 窗口仿真 page's scenario editor shows the practice columns of the workbook (过号比例,
转办后续业务, 转办比例, 优先比例, 每时段预约上限, 爱心窗口, 办理规则); an edit reaches the model
(the result table changes), a bad edit is refused in Chinese and leaves the scenario as it was."""

from __future__ import annotations

from ui_support import app_on

from sim.scenario_io import GROUP_COLS as BOOK_GROUP_COLS
from sim.scenario_io import PRACTICE_KEYS
from sim.scenario_io import TYPE_COLS as BOOK_TYPE_COLS


def _editor(at, prefix):
    return next(e for e in at.data_editor if str(e.key).startswith(prefix))


def _edit(at, prefix, rows):
    """Edit cells ``{row: {column: value}}`` of the editor whose key starts with ``prefix``, then rerun."""
    at.session_state[_editor(at, prefix).key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    return at.run()


def _run(at):
    at.number_input(key="hall_reps").set_value(1).run()
    at.number_input(key="hall_days").set_value(1).run()
    at.button(key="hall_run").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    table = next(d.value for d in at.dataframe if list(d.value.columns[:2]) == ["业务类型", "取号人次"])
    return table.set_index("业务类型")


def _page(tmp_path, monkeypatch):
    at = app_on(tmp_path, monkeypatch, "ui/page_hall.py")
    assert not at.exception and not at.error
    return at


def test_editor_shows_the_workbook_practice_columns_under_their_names(tmp_path, monkeypatch):
    at = _page(tmp_path, monkeypatch)
    types = _editor(at, "hall_types_").value
    for col in ("过号比例", "转办后续业务", "转办比例", "优先比例", "每时段预约上限"):
        assert col in types.columns and col in BOOK_TYPE_COLS
    groups = _editor(at, "hall_groups_").value
    assert "爱心窗口" in groups.columns and "爱心窗口" in BOOK_GROUP_COLS
    assert set(groups["爱心窗口"]) <= {"是", "否"}
    practice = _editor(at, "hall_practice_").value
    assert list(practice["参数"]) == [label for _key, label in PRACTICE_KEYS]
    shown = " ".join(str(v) for v in practice["取值"])
    assert "None" not in shown and "nan" not in shown
    assert all(isinstance(v, str) for v in types["转办后续业务"])  # empty text, never None
    assert types["每时段预约上限"].isna().all() or types["每时段预约上限"].dropna().ge(0).all()  # blank = no cap


def test_a_no_show_share_edited_in_the_table_changes_the_result(tmp_path, monkeypatch):
    at = _page(tmp_path, monkeypatch)
    name = _editor(at, "hall_types_").value.loc[0, "业务名称"]
    before = _run(at)
    _edit(at, "hall_types_", {0: {"过号比例": 0.5}})
    assert not at.error
    s = at.session_state["hall_current"]
    assert s.type(name).no_show == 0.5
    after = _run(at)
    assert after.loc[name, "已办理"] < 0.9 * before.loc[name, "已办理"]  # tickets gone when called are not served
    others = [t for t in before.index if t != name]
    assert (after.loc[others, "取号人次"] == before.loc[others, "取号人次"]).all()  # same arrivals elsewhere


def test_routes_priority_quota_lane_and_rules_reach_the_scenario_and_the_model(tmp_path, monkeypatch):
    at = _page(tmp_path, monkeypatch)
    types = _editor(at, "hall_types_").value
    groups = _editor(at, "hall_groups_").value
    first, second = types.loc[0, "业务名称"], types.loc[1, "业务名称"]
    before = _run(at)
    _edit(
        at,
        "hall_types_",
        {0: {"转办后续业务": second, "转办比例": 0.6, "优先比例": 0.2, "每时段预约上限": 1}},
    )
    _edit(at, "hall_groups_", {0: {"爱心窗口": "是"}})
    rules = list(_editor(at, "hall_practice_").value["参数"])
    _edit(
        at,
        "hall_practice_",
        {rules.index("过号处理"): {"取值": "顺延"}, rules.index("顺延叫号次数"): {"取值": "2"}},
    )
    assert not at.exception and not at.error, [e.value for e in at.error]
    s = at.session_state["hall_current"]
    t = s.type(first)
    assert t.route == [second] and t.route_share == 0.6 and t.priority_share == 0.2
    assert s.practice.appointment_quota == {first: 1}
    assert s.group(groups.loc[0, "窗口组"]).priority_lane
    assert s.practice.no_show_policy == "keep" and s.practice.keep_calls == 2
    after = _run(at)
    # priority visitors are called first and reported on a row of their own, about 20 % of the business
    lane = f"{first}(优先)"
    assert lane not in before.index and lane in after.index
    share = after.loc[lane, "取号人次"] / before.loc[first, "取号人次"]
    assert 0.1 < share < 0.3
    assert after.loc[lane, "平均等候(分钟)"] < before.loc[first, "平均等候(分钟)"]


def test_bad_edits_are_refused_in_chinese_and_the_scenario_is_unchanged(tmp_path, monkeypatch):
    at = _page(tmp_path, monkeypatch)
    kept = at.session_state["hall_current"]
    cases = [
        ("hall_types_", {0: {"过号比例": 1.5}}, ["业务类型", "第2行", "过号比例", "超出范围"]),
        ("hall_types_", {1: {"转办后续业务": "不存在的业务"}}, ["业务类型", "第3行", "转办后续业务", "不存在的业务"]),
        ("hall_types_", {0: {"每时段预约上限": -2}}, ["业务类型", "第2行", "每时段预约上限"]),
        ("hall_groups_", {0: {"爱心窗口": "也许"}}, ["窗口组", "第2行", "爱心窗口", "是"]),
        ("hall_practice_", {1: {"取值": "随便"}}, ["办理规则", "第3行", "作废", "顺延"]),
    ]
    for prefix, rows, words in cases:
        _edit(at, prefix, rows)
        assert not at.exception
        msg = " ".join(e.value for e in at.error)
        assert all(w in msg for w in words), (words, msg)
        assert "Traceback" not in msg and "None" not in msg
        assert not [b for b in at.button if b.key == "hall_run"]
        assert at.session_state["hall_current"].to_dict() == kept.to_dict()  # the scenario is unchanged
        _edit(at, prefix, {})  # undo the edit
        assert not at.error
