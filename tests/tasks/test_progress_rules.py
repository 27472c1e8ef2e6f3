"""Rules are configuration: levels, colours, conditions, escalation and points come from the file."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from tasks.progress import BadRules, compute, default_rules, load_rules, ranking, save_rules
from tasks.progress.rules import RULES_FILE, rules_from_dict
from tasks.store import PeriodInfo, ReportRecord, Store, StoredTask

LADDER = """
[reporting]
grace_days = 3
[status]
at_risk_gap = 10
[[levels]]
key = "blue"
name = "蓝色提示"
color = "#5B9BD5"
points = 0.5
when = ["status == at_risk"]
[[levels]]
key = "orange"
name = "橙色预警"
color = "ED7D31"
points = 2
when = ["missed_reports >= 1", "late_reports >= 2"]
[[levels]]
key = "red"
name = "红色督办"
color = "C00000"
points = 5
when = ["status == overdue", "overdue_days >= 1"]
[escalation]
after_periods = 2
[scoring]
base = 60
late_report = 0.5
missed_report = 3
done_on_time = 1
"""


def task(pk: int, tid: str, deadline: date | None, unit: str = "甲局", kind: str = "date") -> StoredTask:
    return StoredTask(
        pk=pk,
        plan="p",
        id=tid,
        title=f"任务{tid}",
        section="",
        deadline=deadline,
        deadline_kind=kind,
        deadline_text="",
        lead_units=[unit],
        plan_issued=date(2021, 1, 1),
    )


def report(
    i: int, pk: int, d: date, pct: float, status: str = "推进中", unit: str = "甲局", period: str | None = None
) -> ReportRecord:
    return ReportRecord(
        id=i,
        upload_id=i,
        task_pk=pk,
        unit=unit,
        period=period or f"{d.year}-{d.month:02d}",
        status=status,
        percent=pct,
        report_date=d,
    )


PERIODS = [
    PeriodInfo(f"2021-{m:02d}", date(2021, m, 1), date(2021, m, 28), date(2021, m + 1, 3), False) for m in (8, 9, 10)
]


def test_shipped_file_is_the_default_yellow_red_scheme():
    shipped = load_rules()
    assert shipped.to_dict() == default_rules().to_dict()
    assert [(lv.key, lv.name, lv.color, lv.points) for lv in shipped.levels] == [
        ("yellow", "黄牌", "FFC000", 1),
        ("red", "红牌", "C00000", 3),
    ]
    assert shipped.path == str(RULES_FILE)


def test_three_level_ladder_with_escalation_and_points():
    rules = rules_from_dict(tomllib.loads(LADDER))
    tasks = [
        task(1, "1", date(2021, 12, 31)),
        task(2, "2", date(2021, 12, 31), unit="乙局"),
        task(3, "3", date(2021, 9, 30), unit="乙局"),
    ]
    reports = [report(i, 1, date(2021, m, 20), 10) for i, m in enumerate((8, 9, 10), 1)]  # far behind, always
    reports += [
        report(10, 2, date(2021, 8, 20), 80, unit="乙局"),
        report(11, 2, date(2021, 9, 20), 80, unit="乙局"),
    ]  # silent in October
    reports += [
        report(20, 3, date(2021, 9, 5), 100, "已完成", unit="乙局", period="2021-08"),  # late
        report(21, 3, date(2021, 9, 20), 100, "已完成", unit="乙局"),
    ]
    snap = compute(tasks, reports, PERIODS, date(2021, 11, 10), rules)
    s1, s2, s3 = snap.statuses
    assert s1.status == "at_risk" and s1.card == "orange"  # blue at both period ends → one level up
    assert "连续2期未消除,升级为橙色预警" in s1.card_reason
    assert (s2.status, s2.missed_reports, s2.card) == ("on_track", 1, "orange")
    assert (s3.status, s3.done_on_time, s3.late_reports, s3.card) == ("done", True, 1, None)
    before = compute(tasks, reports, PERIODS, date(2021, 9, 25), rules)
    assert before.statuses[0].card == "blue"  # only one period end so far: no escalation
    board = {c.unit: c for c in ranking(snap)}
    assert board["甲局"].score == 60 - 2  # one orange card
    assert board["乙局"].score == 60 - 2 - 0.5 * 1 - 3 * 1 + 1 * 1  # orange, one late, one missed, one on time
    text = rules.scoring_text()
    assert "基础分60" in text and "橙色预警数×2" in text and "+ 按时完成任务数×1" in text


def test_ongoing_task_judged_by_reporting_each_period():
    rules = default_rules()
    t = [task(1, "1", None, kind="ongoing")]
    ok = compute(t, [report(1, 1, date(2021, 10, 1), 50, period="2021-09")], PERIODS[:2], date(2021, 10, 10), rules)
    assert (ok.statuses[0].status, ok.statuses[0].card) == ("ongoing", None)
    silent = compute(t, [report(1, 1, date(2021, 9, 1), 50, period="2021-08")], PERIODS[:2], date(2021, 10, 10), rules)
    assert (silent.statuses[0].status, silent.statuses[0].missed_reports, silent.statuses[0].card) == (
        "at_risk",
        1,
        "yellow",
    )


@pytest.mark.parametrize(
    "bad, words",
    [
        ('when = ["speed > 3"]', "未知指标“speed”"),
        ('when = ["status == lost"]', "状态可为"),
        ('when = ["missed_reports >= many"]', "应为数字"),
        ('when = ["missed reports"]', "写法不对"),
    ],
)
def test_bad_rules_are_explained(bad, words):
    doc = LADDER.replace('when = ["status == at_risk"]', bad)
    with pytest.raises(BadRules, match=words):
        rules_from_dict(tomllib.loads(doc), "rules.toml")


def test_bad_colour_and_broken_file(tmp_path):
    with pytest.raises(BadRules, match="颜色"):
        rules_from_dict(tomllib.loads(LADDER.replace("ED7D31", "橙色")))
    p = tmp_path / "rules.toml"
    p.write_text("[status\nat_risk_gap = 1", encoding="utf-8")
    with pytest.raises(BadRules, match="格式错误"):
        load_rules(p)


def test_save_rules_round_trip_and_audit(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    rules = rules_from_dict(tomllib.loads(LADDER))
    saved = save_rules(rules, actor="办公室", store=store, path=tmp_path / "rules.toml")
    again = load_rules(tmp_path / "rules.toml")
    assert again.to_dict() == rules.to_dict() and saved.path == str(tmp_path / "rules.toml")
    assert [(a.actor, a.action) for a in store.audit_log()] == [("办公室", "save_rules")]
    with pytest.raises(BadRules):
        save_rules({"levels": []}, actor="办公室", store=store, path=tmp_path / "rules.toml")
    assert load_rules(tmp_path / "rules.toml").to_dict() == rules.to_dict()  # bad rules not written
