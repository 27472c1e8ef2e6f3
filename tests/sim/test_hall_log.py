"""Ticket logs and 好差评 ratings in: a held-out synthetic hall with known parameters.

The log is generated (sim.ticketlog.synthetic_log) with known daily volumes, service means,
no-show shares, a multi-window route and an abandonment share; the ratings are made here from
known ticket steps. Stated tolerances (20 working days, ~6,000 tickets):
daily volume per business within 8 %; service mean within 8 %; no-show share within 0.02
(absolute); route share within 0.04; the route itself exactly. Ratings figures must equal
counts made below by plain loops, exactly.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.errors import InputError
from sim.calibrate import calibrate
from sim.hall_report import BUSINESS_KEYS, RATING_KEYS, build_hall_report, hall_report_json
from sim.ratings import ratings_from_frame, read_ratings
from sim.ticketlog import accept, read_ticket_log, synthetic_log, visits

ROOT = Path(__file__).resolve().parents[2]
VOLUMES = {"户籍": 120.0, "不动产登记": 80.0, "税务": 60.0, "缴费": 40.0}
SERVICE = {"户籍": 8.0, "不动产登记": 15.0, "税务": 10.0, "缴费": 5.0}
NO_SHOW = {"户籍": 0.10, "税务": 0.05}
ROUTE = (["税务", "缴费"], 0.4)
FIX_LIMIT = 15


@pytest.fixture(scope="module")
def log_df():
    return synthetic_log(
        20,
        seed=16,
        businesses=VOLUMES,
        service_mean=SERVICE,
        no_show=NO_SHOW,
        abandon=0.02,
        routes={"不动产登记": ROUTE},
        windows={"户籍": 3, "不动产登记": 3, "税务": 3, "缴费": 2},
    )


@pytest.fixture(scope="module")
def ratings_df(log_df):
    """Ratings of known steps: 60 % by 办件编号, the rest by 票号 only; 6 that match nothing."""
    rng = np.random.default_rng(7)
    served = log_df[log_df["状态"].isin(["正常", "转号"])]
    picked = served.iloc[np.sort(rng.choice(len(served), 900, replace=False))]
    grades = rng.choice(
        ["非常满意", "满意", "基本满意", "不满意", "非常不满意"], len(picked), p=[0.5, 0.25, 0.1, 0.1, 0.05]
    )
    rt = picked["办结时间"] + pd.to_timedelta(rng.uniform(0, 20, len(picked)), unit="min")
    bad = np.isin(grades, ["不满意", "非常不满意"])
    fix_days = rng.integers(0, 35, len(picked))
    fixed = np.where(
        bad & (rng.random(len(picked)) < 0.9),
        (rt.dt.normalize() + pd.to_timedelta(fix_days, unit="D")).dt.strftime("%Y-%m-%d"),
        "",
    )
    revisit = np.where(bad & (rng.random(len(picked)) < 0.7), (rt + pd.Timedelta(days=2)).dt.strftime("%Y-%m-%d"), "")
    by_case = rng.random(len(picked)) < 0.6
    df = pd.DataFrame(
        {
            "评价时间": rt.dt.strftime("%Y-%m-%d %H:%M:%S").to_numpy(),
            "办件编号": np.where(by_case, picked["办件编号"], ""),
            "票号": np.where(by_case, "", picked["票号"]),
            "窗口": picked["窗口"].to_numpy(),
            "工号": picked["工号"].to_numpy(),
            "评价等级": grades,
            "差评原因": np.where(bad, "等候时间长", ""),
            "整改完成时间": fixed,
            "回访时间": revisit,
        }
    )
    df["_step"] = picked.index.to_numpy()
    junk = pd.DataFrame(
        {
            "评价时间": ["2026-11-03 10:00:00"] * 6,
            "办件编号": ["BJ99999999", "BJ99999998", "", "", "", ""],
            "票号": ["", "", "户999999", "", "", ""],
            "窗口": ["A01"] * 6,
            "工号": [""] * 6,
            "评价等级": ["满意"] * 6,
            "差评原因": [""] * 6,
            "整改完成时间": [""] * 6,
            "回访时间": [""] * 6,
            "_step": [-1] * 6,
        }
    )
    return pd.concat([df, junk], ignore_index=True)


@pytest.fixture(scope="module")
def files(log_df, ratings_df, tmp_path_factory):
    d = tmp_path_factory.mktemp("hall")
    csv = d / "叫号记录.csv"
    log_df.to_csv(csv, index=False, encoding="gbk")
    xlsx = d / "叫号记录.xlsx"
    # another system's export: a title row, other header spellings
    renamed = log_df.rename(
        columns={
            "取号时间": "取号",
            "叫号时间": "呼叫时间",
            "办结时间": "完成时间",
            "业务类型": "事项名称",
            "窗口": "窗口号",
            "票号": "排队号",
        }
    )
    with pd.ExcelWriter(xlsx, engine="openpyxl") as xw:
        renamed.astype(str).replace({"NaT": ""}).to_excel(xw, index=False, startrow=1)
        xw.sheets["Sheet1"]["A1"] = "某市政务服务中心叫号记录导出"
    rcsv = d / "好差评.csv"
    ratings_df.drop(columns="_step").to_csv(rcsv, index=False, encoding="utf-8-sig")
    return csv, xlsx, rcsv


# ---------------------------------------------------------------- importer
def test_gbk_csv_and_xlsx_with_title_row_and_header_variants_read_alike(files, log_df):
    csv, xlsx, _ = files
    a, b = read_ticket_log(csv), read_ticket_log(xlsx)
    assert not a.problems and not b.problems
    assert len(a.frame) == len(b.frame) == len(log_df)
    assert a.frame["row"].iloc[0] == 2 and b.frame["row"].iloc[0] == 3  # the title row is counted
    for col in ("取号时间", "叫号时间", "办结时间", "业务类型", "窗口", "票号", "状态"):
        assert a.frame[col].equals(b.frame[col]), col
    assert a.frame["状态"].value_counts().to_dict() == log_df["状态"].value_counts().to_dict()


def test_bad_rows_are_listed_and_imported_only_after_confirmation(tmp_path, log_df):
    df = log_df.head(50).astype(str).replace({"NaT": ""})
    df.loc[3, "取号时间"] = "2026-13-45 09:00"
    df.loc[7, "状态"] = "已接待"
    df.loc[9, "叫号时间"] = "2026-11-01 08:00:00"  # before the ticket was taken
    df.loc[12, "办结时间"] = ""  # served without an end
    p = tmp_path / "log.csv"
    df.to_csv(p, index=False, encoding="gbk")
    log = read_ticket_log(p)
    got = [(q.row, q.column, q.ticket) for q in log.problems]
    assert got == [
        (5, "取号时间", df.loc[3, "票号"]),
        (9, "状态", df.loc[7, "票号"]),
        (11, "叫号时间", df.loc[9, "票号"]),
        (14, "办结时间", df.loc[12, "票号"]),
    ]
    assert "无法识别" in log.problems[0].why and "早于取号时间" in log.problems[2].why
    assert len(log.frame) == 46
    with pytest.raises(InputError) as err:
        accept(log, confirmed=False)
    assert "log.csv / 第5行 / “取号时间”列" in str(err.value) and "--skip-bad-rows" in str(err.value)
    assert len(accept(log, confirmed=True).frame) == 46
    with pytest.raises(InputError, match="第5行"):
        calibrate(p)
    assert calibrate(p, skip_bad_rows=True).report["tickets"].sum() > 0


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "文件是空的"),
        ("票号,窗口\nA1,A01\n".encode(), "缺少“取号时间”"),
        (
            "取号时间,叫号时间,办结时间,业务类型,窗口\n2026-11-02 09:00:00,x,,户籍,A01\n".encode("gbk"),
            "没有一行可以导入",
        ),
    ],
)
def test_unusable_files_give_one_chinese_error(tmp_path, content, message):
    p = tmp_path / "bad.csv"
    p.write_bytes(content)
    with pytest.raises(InputError, match=message) as err:
        read_ticket_log(p)
    assert "bad.csv" in str(err.value)


# ------------------------------------------------------------- calibration
def test_calibration_recovers_the_known_parameters(files):
    cal = calibrate(files[1])
    rep = cal.report.set_index("type")
    for b, vol in VOLUMES.items():
        fitted = np.mean(cal.scenario.type(b).daily_volume[:5])
        assert abs(fitted - vol) / vol < 0.08, (b, fitted)
        assert abs(rep["service_mean"].to_dict()[b] - SERVICE[b]) / SERVICE[b] < 0.08, b
        assert abs(cal.scenario.type(b).no_show - NO_SHOW.get(b, 0.0)) < 0.02, b
    t = cal.scenario.type("不动产登记")
    assert t.route == ROUTE[0] and abs(t.route_share - ROUTE[1]) < 0.04
    assert cal.scenario.type("户籍").route == []
    # transferred steps are not new demand: 税务 volume is its own tickets, not + the 不动产 transfers
    assert np.mean(cal.scenario.type("税务").daily_volume[:5]) < VOLUMES["税务"] * 1.08


# ----------------------------------------------------------------- ratings
def _working_days_after(a: dt.date, b: dt.date) -> int:
    import chinese_calendar

    return sum(chinese_calendar.is_workday(a + dt.timedelta(days=k)) for k in range(1, (b - a).days + 1))


def test_ratings_figures_equal_independent_counts(files, log_df, ratings_df):
    log = read_ticket_log(files[0])
    ratings = read_ratings(files[2])
    assert not ratings.problems
    rep = build_hall_report(log, ratings, FIX_LIMIT)
    out = hall_report_json(rep)["ratings"]
    # independent counts, by plain loops over what was generated
    served: defaultdict[str, int] = defaultdict(int)
    for st, w in zip(log_df["状态"], log_df["窗口"]):
        if st in ("正常", "转号"):
            served[w] += 1
    cnt: defaultdict[str, int] = defaultdict(int)
    bad: defaultdict[str, int] = defaultdict(int)
    on_time: defaultdict[str, int] = defaultdict(int)
    revisit: defaultdict[str, int] = defaultdict(int)
    rated: defaultdict[str, int] = defaultdict(int)
    for r in ratings_df.to_dict("records"):
        if r["_step"] < 0:
            continue
        w = log_df.loc[r["_step"], "窗口"]
        cnt[w] += 1
        rated[w] += 1  # each step rated at most once here
        if r["评价等级"] in ("不满意", "非常不满意"):
            bad[w] += 1
            revisit[w] += bool(r["回访时间"])
            if r["整改完成时间"]:
                a = dt.date.fromisoformat(r["评价时间"][:10])
                on_time[w] += _working_days_after(a, dt.date.fromisoformat(r["整改完成时间"])) <= FIX_LIMIT
    assert set(out["by_window"]) == set(served)
    for w, fig in out["by_window"].items():
        assert list(fig) == list(RATING_KEYS)
        assert fig["ratings"] == cnt[w]
        assert fig["active_rate"] == pytest.approx(rated[w] / served[w], abs=1e-4)
        if cnt[w]:
            assert fig["bad_rate"] == pytest.approx(bad[w] / cnt[w], abs=1e-4)
        if bad[w]:
            assert fig["fix_on_time_rate"] == pytest.approx(on_time[w] / bad[w], abs=1e-4)
            assert fig["revisit_rate"] == pytest.approx(revisit[w] / bad[w], abs=1e-4)
        else:
            assert fig["fix_on_time_rate"] is None and fig["revisit_rate"] is None
    assert sum(on_time.values()) > 0 and sum(on_time.values()) < sum(bad.values())  # the limit bites
    un = out["unmatched"]
    assert len(un) == 6 and [u["row"] for u in un] == list(range(len(ratings_df) - 4, len(ratings_df) + 2))
    assert {u["reason"] for u in un} >= {"没有办件编号,也没有票号", "办件编号在叫号记录中找不到"}
    by_month = rep.rating_tables["月份"]
    assert by_month["ratings"].sum() == sum(cnt.values())


def test_bad_rating_rows_are_named_and_left_out():
    r = ratings_from_frame(
        pd.DataFrame(
            {
                "评价时间": ["2026-11-02 10:00:00", "昨天", "2026-11-02 11:00:00"],
                "办件编号": ["BJ1", "BJ2", "BJ3"],
                "评价等级": ["满意", "满意", "很好"],
            }
        ),
        file="评价.xlsx",
    )
    assert [(p.row, p.column) for p in r.problems] == [(3, "评价时间"), (4, "评价等级")]
    assert len(r.frame) == 1


# ------------------------------------------------------------- hall report
def test_hall_report_figures_match_the_log(files, log_df):
    rep = build_hall_report(read_ticket_log(files[0]))
    js = hall_report_json(rep)
    assert set(js) == {"by_business", "by_window", "ratings"}
    for b in VOLUMES:
        part = log_df[log_df["业务类型"] == b]
        srv = part[part["状态"].isin(["正常", "转号"])]
        wait = (srv["叫号时间"] - srv["取号时间"]).dt.total_seconds().to_numpy() / 60
        svc = (srv["办结时间"] - srv["叫号时间"]).dt.total_seconds().to_numpy() / 60
        fig = js["by_business"][b]
        assert list(fig) == list(BUSINESS_KEYS)
        assert fig["tickets"] == len(part) and fig["served"] == len(srv)
        assert fig["no_show_rate"] == pytest.approx((part["状态"] == "过号").mean(), abs=1e-4)
        assert fig["mean_wait"] == pytest.approx(wait.mean(), abs=1e-4)
        assert fig["p90_wait"] == pytest.approx(np.quantile(wait, 0.9), abs=1e-4)
        assert fig["mean_service"] == pytest.approx(svc.mean(), abs=1e-4)
    for fig in js["by_window"].values():
        assert 0 < fig["saturation"] <= 1
    assert js["ratings"] == {"by_window": {}, "unmatched": []}
    v = visits(rep.log.frame)
    routed = v[v["route"] == "不动产登记→税务→缴费"]
    assert len(routed) and (routed["time_in_hall"] > 0).all()
    assert rep.peak_hours["tickets"].is_monotonic_decreasing and len(rep.peak_hours) == 3


def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "sim", *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow  # a real process per output kind
def test_hall_report_cli_json_contract_and_files(files, tmp_path, log_df):
    csv, _xlsx, rcsv = files
    bad = tmp_path / "带坏行.csv"
    df = log_df.astype(str).replace({"NaT": ""})
    df.loc[4, "叫号时间"] = "九点"
    df.to_csv(bad, index=False, encoding="gbk")
    r = _cli("hall-report", bad, "--ratings", rcsv, "--json")
    assert r.returncode == 0, r.stderr
    js = json.loads(r.stdout)
    assert set(js) == {"by_business", "by_window", "ratings"} and set(js["ratings"]) == {"by_window", "unmatched"}
    assert js["by_business"]["户籍"]["tickets"] + js["by_business"]["不动产登记"]["tickets"] > 0
    assert sum(f["tickets"] for f in js["by_business"].values()) == len(log_df) - 1
    assert f"第6行 / “叫号时间”列 / 票号{df.loc[4, '票号']}" in r.stderr and "九点" in r.stderr
    assert "Traceback" not in r.stderr
    for suffix in (".xlsx", ".docx"):
        out = tmp_path / f"报告{suffix}"
        r = _cli("hall-report", csv, "--ratings", rcsv, "--out", out)
        assert r.returncode == 0 and out.stat().st_size > 1000, r.stderr
    from docx import Document

    text = "\n".join(p.text for p in Document(str(tmp_path / "报告.docx")).paragraphs)
    assert "政务服务大厅运行情况统计报告" in text and "好差评" in text and "nan" not in text.lower()
    sec = Document(str(tmp_path / "报告.docx")).sections[0]  # the official layout (GB/T 9704): A4, 37/35/28/26 mm
    sizes = [sec.page_width, sec.page_height, sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin]
    assert [round(x.mm) if x is not None else None for x in sizes] == [210, 297, 37, 35, 28, 26]
    assert "政务服务中心" in text.split("好差评")[-1]  # 落款 at the end
    import openpyxl

    wb = openpyxl.load_workbook(tmp_path / "报告.xlsx", read_only=True)
    assert {"按业务", "按窗口", "工作人员工作量", "好差评-按窗口", "未匹配的评价", "多窗联办"} <= set(wb.sheetnames)
    r = _cli("hall-report", csv, "--out", tmp_path / "x.pdf")
    assert r.returncode == 2 and r.stderr.startswith("error: ") and ".xlsx 或 .docx" in r.stderr
    r = _cli("hall-report", tmp_path / "nope.csv", "--json")
    assert r.returncode == 2 and "文件不存在" in r.stderr and "Traceback" not in r.stderr


def test_times_of_day_beside_a_date_column(tmp_path, log_df):
    df = log_df.head(40).copy()
    out = pd.DataFrame(
        {
            "日期": df["取号时间"].dt.strftime("%Y/%m/%d"),
            "排队号": df["票号"],
            "取号": df["取号时间"].dt.strftime("%H:%M:%S"),
            "叫号": df["叫号时间"].dt.strftime("%H:%M:%S").fillna(""),
            "完成时间": df["办结时间"].dt.strftime("%H:%M:%S").fillna(""),
            "业务名称": df["业务类型"],
            "窗口号": df["窗口"],
            "状态": df["状态"],
        }
    )
    p = tmp_path / "分列.csv"
    out.to_csv(p, index=False, encoding="gbk")
    log = read_ticket_log(p)
    assert not log.problems
    for col in ("取号时间", "叫号时间", "办结时间"):
        assert log.frame[col].equals(df[col].reset_index(drop=True).astype("datetime64[ns]")), col
