"""The sample hall and small halls: invariants, reproducibility, pooling, controller, closing rules."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from conftest import DATA

from sim.arrivals import generate
from sim.calendar import build_days
from sim.hall import simulate
from sim.results import kpis, slot_service_levels
from sim.sample_hall import policy_variant, pooled_variant, weekend_rota_variant
from sim.scenario import CalendarSpec, DayOverride, Policy, Scenario, ServiceType, WindowGroup, hm_to_min
from sim.scenario_io import load_scenario

MONDAY = dt.date(2026, 11, 2)


@pytest.fixture(scope="module")
def sample():
    return load_scenario(DATA / "hall" / "sample-hall.xlsx")


@pytest.fixture(scope="module")
def week(sample):
    return simulate(sample, seed=11)


def test_sample_hall_is_marked_illustrative_and_has_the_2018_comprehensive_groups(sample):
    assert "示例数据" in sample.name and "示例数据" in sample.description
    names = {g.name for g in sample.groups}
    assert {"市场监管服务", "投资项目审批服务", "社会服务", "其他综合服务"} <= names
    assert {"不动产登记", "住房公积金", "社保医保", "婚姻登记", "户籍", "出入境", "交警", "水电气"} <= names
    assert all(len(g.types) > 1 for g in sample.groups if g.name in ("市场监管服务", "社会服务"))


def test_sample_week_volumes_monday_peak_and_morning_peak(week):
    log = week.log()
    per_day = log.groupby("weekday").size()
    assert all(1500 <= per_day[d] <= 3000 for d in range(5))
    assert per_day[0] == per_day[:5].max()  # Monday peak
    slots = log[log["weekday"] < 5].groupby("slot").size()
    assert slots.idxmax() in (18, 19, 20, 21)  # 09:00-11:00


def test_nobody_with_a_ticket_is_left_unserved(sample):
    s = policy_variant(sample, False)
    for t in s.types:
        t.daily_volume = [v * 1.4 for v in t.daily_volume]  # an overloaded week
    run = simulate(s, seed=3)
    log = run.log()
    assert run.unserved() == 0 and log["start"].notna().all()
    assert (log["wait"] >= 0).all()
    k = kpis(run)
    assert k["overall"]["overtime_minutes"] > 0  # served past closing, not turned away
    # the last call of each day comes after 17:30 for at least one group, and no ticket is taken after it
    last_ticket = (log["arrival"] % 1440).max()
    assert last_ticket <= hm_to_min("17:30")
    assert ((log["end"] % 1440) > hm_to_min("17:30")).any()


def test_littles_law_on_the_sample_hall(week):
    log = week.log()
    a, s, e = log["arrival"].to_numpy(), log["start"].to_numpy(), log["end"].to_numpy()
    horizon = e.max() - a.min()

    def area(t_in, t_out):  # time integral of the number present, by an event sweep
        times = np.concatenate([t_in, t_out])
        steps = np.concatenate([np.ones(len(t_in)), -np.ones(len(t_out))])
        order = np.argsort(times, kind="stable")
        level = np.cumsum(steps[order])
        return float(np.sum(level[:-1] * np.diff(times[order])))

    lam = len(log) / horizon
    lq = area(a, s) / horizon
    ls = area(a, e) / horizon
    assert lq == pytest.approx(lam * log["wait"].mean(), rel=1e-9)
    assert ls == pytest.approx(lam * (log["wait"] + log["service"]).mean(), rel=1e-9)


def test_no_window_serves_two_customers_at_once_and_only_while_open(week):
    log = week.log().sort_values(["window", "start"])
    for _, part in log.groupby("window"):
        assert (part["start"].to_numpy()[1:] >= part["end"].to_numpy()[:-1] - 1e-9).all()
    opened = {}  # type: ignore[var-annotated]
    for w, a, b in week.open_log:
        opened.setdefault(w, []).append((a, b))
    names = {f"{week.group_names[g]}-{k}": i for i, (g, k) in enumerate(zip(week.window_group, week.window_index))}
    for r in log.sample(500, random_state=1).itertuples():
        ivs = opened[names[r.window]]
        assert any(a - 1e-9 <= r.start and r.end <= b + 1e-9 for a, b in ivs)


def test_every_reserve_window_opened_is_logged_closed_with_a_reason(week):
    adj = kpis(week)["adjustments"]
    assert len(adj) and adj["reason"].str.len().gt(0).all()
    counts = adj.groupby(["group", "action"]).size().unstack(fill_value=0)
    assert (counts["open"] == counts["close"]).all(), counts  # none silently withdrawn at closing time
    assert adj["reason"].str.contains("营业时段结束").any()  # some were still open at noon/evening closing


def test_same_seed_same_log_other_seed_other_log(sample):
    a = simulate(sample, days=2, seed=5).log()
    b = simulate(sample, days=2, seed=5).log()
    c = simulate(sample, days=2, seed=6).log()
    assert a.equals(b)
    assert not a["arrival"].equals(c["arrival"]) if len(a) == len(c) else len(a) != len(c)


def _two_departments(pooled: bool) -> Scenario:
    types = [ServiceType(n, daily_volume=[220.0] * 7, service_mean=10, service_cv=0.8) for n in ("甲", "乙")]
    if pooled:
        groups = [WindowGroup("综合窗", ["甲", "乙"], regular=10, hours=["08:30-17:30"] * 7)]
    else:
        groups = [WindowGroup(n, [n], regular=5, hours=["08:30-17:30"] * 7) for n in ("甲", "乙")]
    return Scenario("池化" if pooled else "专窗", types, groups, calendar=CalendarSpec(MONDAY, 5), weekday_profile={})


def test_pooling_gives_shorter_waits_than_dedicated_windows_with_the_same_staff():
    ded, pool = _two_departments(False), _two_departments(True)
    cust = generate(ded, build_days(ded.calendar), seed=4)  # the very same customers on both sides
    w_ded = simulate(ded, seed=4, customers=cust)
    w_pool = simulate(pool, seed=4, customers=cust)
    assert kpis(w_pool)["overall"]["open_window_hours"] == pytest.approx(
        kpis(w_ded)["overall"]["open_window_hours"], rel=0.02
    )
    assert np.nanmean(w_pool.wait()) < 0.8 * np.nanmean(w_ded.wait())


def test_pooled_variant_of_the_sample_keeps_staff_and_shortens_waits(sample):
    base = policy_variant(sample, False)
    pooled = pooled_variant(base, ["住房公积金", "户籍", "交警", "出入境"])
    assert sum(g.regular for g in pooled.groups) == sum(g.regular for g in base.groups)
    cust = generate(base, build_days(base.calendar, 5), seed=2)
    a = simulate(base, days=5, seed=2, customers=cust)
    b = simulate(pooled, days=5, seed=2, customers=cust)
    assert np.nanmean(b.wait()) < np.nanmean(a.wait())


def _surge(policy_on: bool) -> Scenario:
    prof = {f"{h:02d}:{m:02d}": 1.0 for h in range(8, 18) for m in (0, 30)}
    prof.update({"10:00": 6.0, "10:30": 6.0})
    t = ServiceType("社保", daily_volume=[400.0] * 7, service_mean=8, service_cv=0.7)
    g = WindowGroup("社保窗口", ["社保"], regular=6, reserve=4, hours=["08:30-17:30"] * 7, lunch_mode="staggered")
    return Scenario(
        "突增",
        [t],
        [g],
        Policy(
            enabled=policy_on, open_per_window=3, open_longest_wait=20, switch_delay=10, close_idle=15, check_every=5
        ),
        CalendarSpec(MONDAY, 1),
        weekday_profile=prof,
    )


def test_surge_makes_the_controller_open_windows_and_the_wait_falls():
    off, on = _surge(False), _surge(True)
    cust = generate(off, build_days(off.calendar), seed=9)
    r_off = simulate(off, seed=9, customers=cust)
    r_on = simulate(on, seed=9, customers=cust)
    adj = kpis(r_on)["adjustments"]
    opened = adj[adj["action"] == "open"]
    assert len(opened) >= 2 and opened["reason"].str.contains("阈值").all()
    first = opened["minute"].min()
    assert hm_to_min("10:00") <= first <= hm_to_min("11:30")  # it reacts to the surge, not before
    assert (adj["action"] == "close").any() and adj["reason"].str.len().gt(0).all()
    assert (opened["minute"] - opened["requested"] == 10).all()  # the switching delay
    assert adj["open_after"].max() <= 6 + 4  # never beyond regular + reserve
    assert r_on.adjustments and not r_off.adjustments
    assert np.nanmean(r_on.wait()) < 0.7 * np.nanmean(r_off.wait())
    assert r_on.unserved() == 0


def test_closed_lunch_issues_no_tickets_and_serves_only_morning_tickets_at_noon():
    t = ServiceType("户籍", daily_volume=[300.0] * 7, service_mean=9)
    g = WindowGroup("户籍", ["户籍"], regular=3, hours=["08:30-17:30"] * 7, lunch_mode="closed")
    run = simulate(Scenario("午休", [t], [g], calendar=CalendarSpec(MONDAY, 1)), seed=1)
    log = run.log()
    m = log["arrival"] % 1440
    assert not ((m >= 720) & (m < 810)).any()
    called_at_lunch = log[(log["start"] >= 720) & (log["start"] < 810)]
    assert (called_at_lunch["arrival"] < 720).all()
    assert any(a == 720 < b for _g, a, b in run.overtime)  # serving into lunch is recorded as overtime


def test_staggered_lunch_keeps_fewer_windows_open_at_noon():
    t = ServiceType("社保", daily_volume=[300.0] * 7, service_mean=9)
    g = WindowGroup("社保", ["社保"], regular=4, hours=["08:30-17:30"] * 7, lunch_mode="staggered")
    run = simulate(Scenario("不打烊", [t], [g], calendar=CalendarSpec(MONDAY, 1)), seed=1)
    log = run.log()
    m = log["arrival"] % 1440
    assert ((m >= 720) & (m < 810)).sum() > 5  # tickets are issued at noon
    open_at = lambda x: sum(1 for _w, a, b in run.open_log if a <= x < b)
    assert open_at(740) == 2 and open_at(790) == 2 and open_at(600) == 4
    grp = kpis(run)["by_group"].iloc[0]  # staff eating in rotation are on duty: 4 staff × 90 min / 2
    assert grp["staff_hours"] - grp["open_window_hours"] == pytest.approx(3.0)


def test_abandonment_is_optional_and_reported_apart():
    t = ServiceType("交警", daily_volume=[500.0] * 7, service_mean=10, patience_mean=10)
    g = WindowGroup("交警", ["交警"], regular=3, hours=["08:30-17:30"] * 7)
    run = simulate(Scenario("离开", [t], [g], calendar=CalendarSpec(MONDAY, 1)), seed=2)
    k = kpis(run)["overall"]
    assert k["abandoned"] > 0 and k["served"] + k["abandoned"] == k["customers"]
    log = run.log()
    assert log.loc[log["abandoned"], "start"].isna().all()
    assert run.unserved() == 0
    t.patience_mean = None
    assert (
        kpis(simulate(Scenario("不离开", [t], [g], calendar=CalendarSpec(MONDAY, 1)), seed=2))["overall"]["abandoned"]
        == 0
    )


def test_staffing_plan_override_sets_open_windows_per_slot(sample):
    s = policy_variant(sample, False)
    plan = {("户籍", 0, slot): 9 for slot in range(17, 20)}  # 08:30-10:00
    plan.update({("户籍", 0, slot): 2 for slot in range(30, 35)})  # 15:00-17:30
    run = simulate(s, days=1, seed=1, windows_by_slot=plan)
    g = run.group_names.index("户籍")
    open_at = lambda x: sum(1 for w, a, b in run.open_log if run.window_group[w] == g and a <= x < b)
    assert open_at(17 * 30 + 15) == 9 and open_at(31 * 30 + 15) == 2
    assert open_at(21 * 30 + 15) == open_at(27 * 30 + 15) == s.group("户籍").regular
    sl = slot_service_levels(run, target=15)
    assert list(sl.columns) == ["group", "day", "slot", "customers", "within_target", "mean_wait", "p90_wait"]
    hj = sl[sl["group"] == "户籍"].set_index("slot")
    base = slot_service_levels(simulate(s, days=1, seed=1), 15)
    hb = base[base["group"] == "户籍"].set_index("slot")
    assert hj.loc[19, "mean_wait"] <= hb.loc[19, "mean_wait"]  # type: ignore[arg-type, operator]  # more windows in the morning, no longer waits
    assert hj.loc[list(range(31, 35)), "mean_wait"].mean() > hb.loc[list(range(31, 35)), "mean_wait"].mean()


def test_calendar_holidays_overrides_and_weekend_shift_to_monday():
    days = build_days(
        CalendarSpec(dt.date(2026, 9, 28), 14, [DayOverride(dt.date(2026, 10, 9), "holiday", "本地调整")])
    )
    kinds = {d.date.isoformat(): d.kind for d in days}
    assert kinds["2026-10-01"] == "holiday" and kinds["2026-10-10"] == "swap_workday"
    assert kinds["2026-10-09"] == "holiday"  # the local override wins
    t = ServiceType("户籍", daily_volume=[200.0] * 5 + [100.0, 100.0], weekend_shift=0.6)
    s = Scenario(
        "节假日", [t], [WindowGroup("户籍", ["户籍"], regular=4)], calendar=CalendarSpec(dt.date(2026, 9, 28), 14)
    )
    c = generate(s, days, seed=1)
    per_day = np.bincount((c.arrival // 1440).astype(int), minlength=14)
    assert per_day[3:10].sum() == 0 and per_day[11] == 0  # Oct 1-7 closed, Oct 9 by the local override
    # 60% of the 7 closed days' demand (720) comes back, at most doubling a day: Oct 8 and Oct 10
    # (swap workday) each take 200 extra, the rest keeps waiting for later days
    assert per_day[10] == pytest.approx(400, rel=0.12)
    assert per_day[12] == pytest.approx(400, rel=0.12)
    assert per_day[13] == 0  # an ordinary Sunday: this group has no weekend rota


def test_weekend_rota_off_moves_demand_to_monday(sample):
    on = weekend_rota_variant(sample, True)
    off = weekend_rota_variant(sample, False)
    days = build_days(on.calendar)
    c_on, c_off = generate(on, days, seed=3), generate(off, days, seed=3)
    day_on = np.bincount((c_on.arrival // 1440).astype(int), minlength=7)
    day_off = np.bincount((c_off.arrival // 1440).astype(int), minlength=7)
    assert day_off[5] == day_off[6] == 0 and day_on[5] > 300
    assert day_off[0] > day_on[0] + 150  # Monday absorbs the closed weekend's share
    assert (day_off[1:5] == day_on[1:5]).all()  # common random numbers: the other days are identical
