"""Calibration round trip: a log simulated from known parameters is fitted back to them.

Stated tolerances (28 simulated days of the sample hall, ~38,000 tickets):
mid-week volume per type within 12% (Poisson noise on ~30–300 visits a day) and
within 5% on average; service mean within 6%; service CV within 15%; the weekday
arrival profile within total-variation distance 0.06; window groups recovered.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.errors import InputError as ImportFailed  # what sim raises for a bad ticket log (sim never imports tasks)
from sim.calibrate import calibrate, compare_parameters, read_ticket_log, ticket_log
from sim.hall import simulate
from sim.sample_hall import policy_variant, sample_scenario


@pytest.fixture(scope="module")
def truth_and_log():
    truth = policy_variant(sample_scenario(), False)
    return truth, ticket_log(simulate(truth, days=28, seed=5))


def test_round_trip_recovers_parameters(truth_and_log, tmp_path):
    truth, log = truth_and_log
    path = tmp_path / "叫号记录.csv"
    log.drop(columns=["窗口组"]).to_csv(path, index=False, encoding="gbk")  # a plain export, GBK like many halls
    fitted = calibrate(path).scenario
    err = compare_parameters(truth, fitted)
    assert len(err) == len(truth.types)
    assert err["volume_rel_err"].max() < 0.12 and err["volume_rel_err"].mean() < 0.05
    assert err["mean_rel_err"].max() < 0.06
    assert err["cv_rel_err"].max() < 0.15
    keys = list(truth.weekday_profile)
    a = np.array([truth.weekday_profile[k] for k in keys])
    b = np.array([fitted.weekday_profile.get(k, 0.0) for k in keys])
    assert 0.5 * np.abs(a / a.sum() - b / b.sum()).sum() < 0.06
    # groups: windows with the same set of types form a group — the comprehensive ones keep their types
    served = {frozenset(g.types) for g in fitted.groups}
    assert frozenset(truth.group("社会服务").types) in served
    hukou = next(g for g in fitted.groups if g.types == ["户籍"])
    assert hukou.hours[0] == "08:30-17:30" and hukou.hours[5] == "09:00-17:00" and hukou.lunch_mode == "closed"
    assert next(g for g in fitted.groups if g.types == ["社保医保"]).lunch_mode == "staggered"


def test_calibrated_scenario_reproduces_the_waits_roughly(truth_and_log):
    truth, log = truth_and_log
    fitted = calibrate(log, base=truth).scenario
    assert fitted.group("户籍").regular == truth.group("户籍").regular  # groups kept from the base
    a = simulate(truth, days=5, seed=8).wait()
    b = simulate(fitted, days=5, seed=8).wait()
    assert abs(len(a) - len(b)) / len(a) < 0.08
    assert abs(np.nanmean(a) - np.nanmean(b)) < 0.35 * np.nanmean(a) + 0.5


def test_bad_log_rows_are_named(tmp_path):
    p = tmp_path / "log.xlsx"
    df = pd.DataFrame(
        {
            "取号时间": ["2026-11-02 09:00", "2026-11-02 09:05"],
            "叫号时间": ["2026-11-02 09:02", "2026-11-02 09:01"],
            "办结时间": ["2026-11-02 09:10", "2026-11-02 09:12"],
            "窗口": ["A1", "A1"],
            "业务类型": ["户籍", "户籍"],
        }
    )
    df.to_excel(p, index=False, engine="openpyxl")
    with pytest.raises(ImportFailed, match="log.xlsx / Sheet1 / 第3行 / “叫号时间”列: 叫号时间早于取号时间"):
        read_ticket_log(p)
    df.drop(columns=["窗口"]).to_excel(p, index=False, engine="openpyxl")
    with pytest.raises(ImportFailed, match="缺少“窗口”列"):
        read_ticket_log(p)
