"""End to end on the 2021 Leiyang seed plan: templates → filled by three units over two months → status.

市政务服务中心 reports on time, 市审改办 reports late, 市财政局 stays silent.  The expected
figures below were worked out by hand from data/rules.toml's defaults (yellow: at risk or one
missed report; red: overdue or two missed; score = 100 − yellow − 3×red − late − 2×missed).
"""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from progress_helpers import fill

from tasks.importers import load_plan
from tasks.progress import (
    all_templates_zip,
    build_report,
    commit_upload,
    default_rules,
    ranking,
    reminders,
    report_docx,
    report_xlsx,
    snapshot,
    validate_upload,
    write_template,
)
from tasks.store.testing import temporary_store

PG_URL = os.environ.get("WORKBENCH_TEST_PG_URL", "").strip()
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=[
            pytest.mark.pg,
            pytest.mark.skipif(
                not PG_URL, reason="WORKBENCH_TEST_PG_URL not set (make test starts a local PostgreSQL)"
            ),
        ],
    ),
]
RULES = default_rules()
# these figures were worked out for "a reported 已完成 counts as done": the office's rules can say so
# (the supervision loop, where done means 已办结 after review, is tested in test_supervision.py)
RULES.completion_review = False
CENTER, REFORM, FINANCE = "市政务服务中心", "市审改办", "市财政局"
UPLOADED_ON = date(2021, 11, 20)
DUE_BY_SEPT = {
    "2",
    "4",
    "5",
    "6",
    "8",
    "9",
    "10",
    "11",
    "12",
    "13",
    "14",
    "15",
    "17",
    "18",
    "19",
    "20",
    "23",
    "25",
    "26",
    "27",
    "28",
    "31",
}
ONGOING = {"22", "24", "29", "30"}


def center_values(month: int, tasks) -> dict:
    out = {}
    for t in tasks:
        if month == 9:
            if t.id == "5":
                out[t.id] = {"status": "推进中", "percent": 60}
            elif t.id in DUE_BY_SEPT:
                out[t.id] = {"status": "已完成", "percent": 100}
            else:
                out[t.id] = {"status": "推进中", "percent": 50}
        elif t.id not in DUE_BY_SEPT and t.id != "21":  # done tasks left blank, 21 forgotten
            out[t.id] = {"status": "推进中", "percent": 70}
        out.get(t.id, {}).update(
            {"date": date(2021, 9, 28) if month == 9 else date(2021, 10, 29), "progress": f"{month}月按计划推进"}
        )
    if month == 10:
        out["5"] = {"status": "推进中", "percent": 60, "date": date(2021, 10, 29), "problems": "系统对接未完成"}
        out["7"] = {"status": "滞后", "percent": 20, "date": date(2021, 10, 29), "problems": "乡镇人员不足"}
    return out


REFORM_VALUES = {
    9: {
        "1": {"status": "推进中", "percent": 30},
        "2": {"status": "已完成", "percent": 100},
        "3": {"status": "推进中", "percent": 20},
        "4": {"status": "已完成", "percent": 100},
        "5": {"status": "推进中", "percent": 80},
    },
    10: {
        "1": {"status": "推进中", "percent": 40},
        "3": {"status": "滞后", "percent": 30},
        "5": {"status": "推进中", "percent": 90},
    },
}
REFORM_DATES = {9: date(2021, 10, 12), 10: date(2021, 11, 15)}  # both after the 5-day deadline


@pytest.fixture(params=BACKENDS)
def loaded(request, tmp_path, seed_2021):
    plan = load_plan(seed_2021)
    assert len(plan.tasks) == 32
    with temporary_store(request.param, tmp_path, PG_URL) as store:
        store.load_plan_into_store(plan, actor="office")
        for period in ("2021-09", "2021-10"):
            store.open_period(period, "office")
        tasks = store.tasks()
        for month in (9, 10):
            period = f"2021-{month:02d}"
            files = {
                u: write_template(store, u, period, tmp_path / f"{u}-{month}.xlsx") for u in (CENTER, REFORM, FINANCE)
            }
            filled = {
                CENTER: fill(files[CENTER].read_bytes(), center_values(month, tasks), person="张敏"),
                REFORM: fill(
                    files[REFORM].read_bytes(),
                    {k: {**v, "date": REFORM_DATES[month]} for k, v in REFORM_VALUES[month].items()},
                    person="李强",
                ),
            }
            for unit, data in filled.items():
                rep = validate_upload(store, data, f"{unit}-{period}.xlsx", unit=unit, today=UPLOADED_ON, rules=RULES)
                assert rep.ok, rep.summary()
                assert commit_upload(store, rep, actor=unit) is not None
        yield store


def test_status_cards_ranking_and_reminders(loaded):
    snap = snapshot(loaded, date(2021, 11, 10), rules=RULES)
    status = {s.id: s.status for s in snap.statuses}
    expected = dict.fromkeys(DUE_BY_SEPT - {"5"}, "done")
    expected.update(
        {
            "5": "overdue",
            "7": "at_risk",
            **dict.fromkeys(("1", "3", "16", "21", "32"), "on_track"),
            **dict.fromkeys(ONGOING, "ongoing"),
        }
    )
    assert status == expected
    cards = {s.id: (s.card, s.card_reason) for s in snap.statuses if s.card}
    assert cards == {
        "5": ("red", "已逾期41天"),
        "7": ("yellow", "状态为有风险"),
        "21": ("yellow", "连续1期未报送"),
    }  # words with the task's figures, no operators
    s1 = snap.by_id("1")
    assert (s1.percent, s1.expected, s1.reported_by, s1.last_report_date) == (70.0, 64.6, CENTER, date(2021, 10, 29))
    assert snap.by_id("2").done_date == date(2021, 9, 28) and not snap.by_id("2").done_on_time
    assert snap.by_id("13").done_on_time

    board = ranking(snap)
    assert [(c.rank, c.unit, c.score) for c in board] == [
        (1, "市委优化办", 98),
        (1, "市委编办", 98),
        (3, "市科工信局", 96),
        (3, "市税务局", 96),
        (5, "市委组织部", 95),
        (5, "市民政局", 95),
        (7, "市人社局", 94),
        (8, "市司法局", 94),
        (9, CENTER, 93),
        (10, FINANCE, 92),
        (11, "市住建局", 90),
        (11, "市发改局", 90),
        (11, "市自然资源局", 90),
        (14, "市市场监督管理局", 90),
        (15, REFORM, 86),
    ]
    card = {c.unit: c for c in board}
    c = card[CENTER]
    assert (c.led, c.duties, c.reported, c.on_time, c.late, c.missed, c.done_on_time, c.cards) == (
        32,
        43,
        42,
        42,
        0,
        1,
        8,
        {"yellow": 2, "red": 1},
    )
    r = card[REFORM]
    assert (r.duties, r.reported, r.late, r.missed, r.cards) == (8, 5, 5, 3, {"yellow": 0, "red": 1})
    f = card[FINANCE]
    assert (f.duties, f.reported, f.missed, f.compliance, f.done_on_time) == (4, 0, 4, 0.0, 2)
    assert "红牌数×3" in RULES.scoring_text() and "未报送次数×2" in RULES.scoring_text()

    due = {x.unit: [t["id"] for t in x.tasks] for x in reminders(snap, "2021-10")}
    assert due == {
        REFORM: ["1", "3", "5"],
        CENTER: ["21"],
        FINANCE: ["32"],
        "市委组织部": ["7"],
        "市民政局": ["7"],
        "市发改局": ["3", "16"],
        "市司法局": ["3"],
        "市自然资源局": ["3", "16"],
        "市住建局": ["3", "16"],
        "市市场监督管理局": ["3", "22"],
        "市人社局": ["32"],
        "市科工信局": ["32"],
        "市税务局": ["32"],
    }
    assert all(x.overdue for x in reminders(snap, "2021-10"))


def test_replay_as_of_an_earlier_date(loaded):
    snap = snapshot(loaded, date(2021, 9, 30), rules=RULES)
    status = {s.id: s.status for s in snap.statuses}
    expected = dict.fromkeys(DUE_BY_SEPT - {"5"}, "done")
    expected.update(
        {
            "5": "at_risk",
            **dict.fromkeys(("1", "3", "7", "16", "21", "32"), "on_track"),
            **dict.fromkeys(ONGOING, "ongoing"),
        }
    )
    assert status == expected
    s5 = snap.by_id("5")
    assert (s5.card, s5.percent, s5.expected, s5.gap) == ("yellow", 60.0, 100.0, 40.0)
    assert [s.id for s in snap.statuses if s.card] == ["5"]
    assert snap.by_id("1").percent == 50.0  # 审改办's later 30% is not yet known
    assert reminders(snap) == []  # no period due yet
    # between the two: 审改办 has not yet sent September (due 10-05) on 10-10
    mid = snapshot(loaded, date(2021, 10, 10), rules=RULES)
    assert [x.unit for x in reminders(mid, "2021-09") if x.unit in (CENTER, REFORM, FINANCE)] == [REFORM, FINANCE]
    assert snapshot(loaded, date(2021, 11, 10), rules=RULES).by_id("1").percent == 70.0


def test_templates_zip_and_period_reports(loaded, tmp_path):
    z = zipfile.ZipFile(io.BytesIO(all_templates_zip(loaded, "2021-11")))
    names = z.namelist()
    assert "2021-11_市政务服务中心_进度填报表.xlsx" in names and len(names) == len(loaded.units()) == 23
    wb = load_workbook(io.BytesIO(z.read("2021-11_市财政局_进度填报表.xlsx")))
    assert [wb["进度填报"].cell(r, 1).value for r in (4, 5, 6)] == ["15", "23", "32"]

    rep = build_report(loaded, "month", "2021-10", rules=RULES)
    assert rep.as_of == date(2021, 11, 6)
    xl = load_workbook(io.BytesIO(report_xlsx(rep)))
    assert xl.sheetnames == ["概况", "单位排名", "任务状态", "逾期任务", "红黄牌预警", "催办名单"]
    assert xl["逾期任务"]["A3"].value == "5"
    assert xl["单位排名"]["B3"].value == "市委优化办"
    assert xl["红黄牌预警"]["A3"].value == "红牌" and xl["红黄牌预警"]["A3"].fill.fgColor.rgb.endswith("C00000")
    doc = Document(
        io.BytesIO(report_docx(build_report(loaded, "half", "2021-H2", rules=RULES, as_of=date(2021, 11, 10))))
    )
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "2021年下半年任务推进情况的通报" in text and "排名规则" in text
    assert "市财政局:2021年10月进展已超过报送期限" in text and "2021-10" not in text  # dates in words
    assert doc.tables[0].rows[1].cells[1].text == "市委优化办"
    assert [row.cells[0].text for row in doc.tables[1].rows] == ["编号", "5"]  # overdue list
