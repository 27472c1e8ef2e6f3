"""No-shows, multi-window routes, priority lanes and appointment quotas, each against outside truth.

* no-shows (drop), one window: customer by customer equal to an independent recursion, and the
  mean wait to be called equal to Welch's M/G/1 with exceptional first service (a holder who
  finds the window idle is there; one called from the queue is gone with probability p and
  costs the recall time) — within 4 %;
* no-shows (keep, 过号顺延): a hand-worked example;
* priority "first": M/M/c non-pre-emptive priority, equal service rates (Cobham):
  Wq_k = C(c, a) / (cμ (1 − σ_{k−1})(1 − σ_k)) — within 6 %; and the same set-up in Ciw
  (priority classes) — within 10 %;
* priority "dedicated": two independent M/M/c (Erlang C) — within 6 %;
* routes: a tandem of M/M/c stations; by Burke's theorem the second sees Poisson arrivals,
  so the mean time in hall = Σ (Erlang C wait + service) — within 5 %;
* quotas, cut-off, weekend by appointment only: counts equal an independent loop.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import WorkbenchError
from sim.arrivals import Customers
from sim.erlang import erlang_c, mean_wait
from sim.hall import simulate
from sim.hall_features import FeatureEngine, _as_feature_run, run_arrays, simulate_features
from sim.sample_hall import policy_variant, sample_scenario
from sim.schedule import Change


def _customers(arrival, service, appointment=None):
    n = len(arrival)
    return Customers(
        np.asarray(arrival, float),
        np.zeros(n, np.int32),
        np.asarray(service, float),
        np.zeros(n, bool) if appointment is None else np.asarray(appointment, bool),
        np.full(n, np.inf),
    )


def _mm(n, lam, mean, seed):
    rng = np.random.default_rng(seed)
    return np.cumsum(rng.exponential(1 / lam, n)), rng.exponential(mean, n), rng


def test_no_show_drop_equals_recursion_and_welch_formula():
    lam, m, p, r = 0.85, 1.0, 0.2, 0.25
    arr, svc, rng = _mm(300_000, lam, m, 161)
    ns = rng.random(len(arr)) < p
    fr = run_arrays(_customers(arr, svc), servers=1, no_show=ns, recall=r)
    called = np.where(fr.run.start >= 0, fr.run.start, fr.no_show_called)
    # independent recursion (time form of Lindley's), the same rule
    ref = np.empty(len(arr))
    free = 0.0
    for k, (a, s, gone) in enumerate(zip(arr.tolist(), svc.tolist(), ns.tolist())):
        start = a if a >= free else free
        ref[k] = start
        free = start + (r if (gone and start > a) else s)
    assert np.max(np.abs(called - ref)) == 0.0
    dropped = fr.no_show_called >= 0
    assert dropped.sum() > 0.05 * len(arr) and not (fr.run.start[dropped] >= 0).any()
    assert fr.run.abandoned[dropped].all()
    es, es2 = p * r + (1 - p) * m, p * r * r + (1 - p) * 2 * m * m
    rho, rho0 = lam * es, lam * m
    welch = lam * es2 / (2 * (1 - rho)) + lam * (2 * m * m - es2) / (2 * (1 - rho + rho0))
    assert abs((called - arr).mean() - welch) / welch < 0.04


def test_no_show_keep_calls_the_ticket_again_after_n_calls():
    c = _customers([0, 1, 2, 3, 4], [5, 5, 5, 5, 5])
    fr = run_arrays(c, servers=1, no_show=np.array([0, 1, 0, 0, 0], bool), recall=1.0, keep_calls=2)
    assert fr.run.start.tolist() == [0, 16, 6, 11, 21]  # absent at 5; two calls later (16) served
    assert fr.no_show_called.tolist() == [-1, 5, -1, -1, -1]
    assert not fr.run.abandoned.any()
    # nobody else waiting: the kept ticket is called at once after the recall
    fr = run_arrays(_customers([0, 1], [5, 5]), servers=1, no_show=np.array([0, 1], bool), recall=1.0, keep_calls=3)
    assert fr.run.start.tolist() == [0, 6]


def test_priority_first_matches_non_preemptive_mmc_priority():
    c, mu, lam, share = 3, 1.0, 2.4, 0.3
    arr, svc, rng = _mm(400_000, lam, 1 / mu, 162)
    prio = rng.random(len(arr)) < share
    fr = run_arrays(_customers(arr, svc), servers=c, priority=prio)
    w = fr.run.wait()
    pw = erlang_c(c, lam / mu)
    s1, s = share * lam / (c * mu), lam / (c * mu)
    w1, w2 = pw / (c * mu * (1 - s1)), pw / (c * mu * (1 - s1) * (1 - s))
    assert abs(w[prio].mean() - w1) / w1 < 0.06
    assert abs(w[~prio].mean() - w2) / w2 < 0.06
    lanes = fr.lanes().set_index("lane")
    lane_wait = lanes["mean_wait"].to_dict()
    assert lane_wait["优先"] < lane_wait["普通"] / 3
    # the same visitors without priority: one FCFS queue, Erlang C for everyone
    fr0 = run_arrays(_customers(arr, svc), servers=c, priority=prio, priority_first=False)
    w0 = fr0.run.wait().mean()
    assert abs(w0 - mean_wait(c, lam, mu)) / mean_wait(c, lam, mu) < 0.06


def test_dedicated_priority_window_is_its_own_erlang_c_queue():
    lam, share, mu = 2.0, 0.25, 1.0
    arr, svc, rng = _mm(300_000, lam, 1 / mu, 163)
    prio = rng.random(len(arr)) < share
    n = len(arr)
    cust = Customers(arr, prio.astype(np.int32), svc, np.zeros(n, bool), np.full(n, np.inf))
    eng = FeatureEngine(
        cust,
        [[0], [1]],
        [Change(0.0, 0, 2), Change(0.0, 1, 1)],
        n_types=2,
        n_base=1,
        n_primary=n,
        no_show=np.zeros(n, bool),
        next_step=np.full(n, -1),
        priority_first=False,
    )
    run = eng.run()
    w = run.wait()
    assert (run.window_group[run.window[prio]] == 1).all() and (run.window_group[run.window[~prio]] == 0).all()
    for mask, servers, rate in ((prio, 1, lam * share), (~prio, 2, lam * (1 - share))):
        theory = mean_wait(servers, rate, mu)
        assert abs(w[mask].mean() - theory) / theory < 0.06


def test_route_tandem_time_in_hall_matches_burke():
    lam, mu1, mu2, share = 1.5, 1.0, 1.25, 0.6
    arr, svc, rng = _mm(200_000, lam, 1 / mu1, 164)
    n0 = len(arr)
    routed = np.flatnonzero(rng.random(n0) < share)
    k = len(routed)
    n = n0 + k
    next_step = np.full(n, -1)
    next_step[routed] = n0 + np.arange(k)
    visit = np.concatenate([np.arange(n0), routed])
    cust = Customers(
        np.concatenate([arr, np.full(k, np.inf)]),
        np.r_[np.zeros(n0), np.ones(k)].astype(np.int32),
        np.concatenate([svc, rng.exponential(1 / mu2, k)]),
        np.zeros(n, bool),
        np.full(n, np.inf),
    )
    eng = FeatureEngine(
        cust,
        [[0], [1]],
        [Change(0.0, 0, 2), Change(0.0, 1, 1)],
        n_types=2,
        n_base=2,
        n_primary=n0,
        no_show=np.zeros(n, bool),
        next_step=next_step,
        visit=visit,
    )
    fr = _as_feature_run(eng, eng.run(), visit, (np.arange(n) >= n0).astype(int), np.zeros(n, bool))
    v = fr.visits()
    assert (v["steps"] == 2).sum() == k and v["completed"].all()
    theory = (mean_wait(2, lam, mu1) + 1 / mu1) + share * (mean_wait(1, lam * share, mu2) + 1 / mu2)
    assert abs(v["time_in_hall"].mean() - theory) / theory < 0.05
    # step 2 starts only after step 1 ended, at the other group
    r = fr.run
    step2 = fr.step == 1
    first_end = (r.start + r.customers.service)[fr.visit[step2]]
    assert (r.start[step2] >= first_end - 1e-9).all() and (r.window_group[r.window[step2]] == 1).all()


def test_features_off_give_the_plain_model_customer_by_customer():
    s = policy_variant(sample_scenario(), False)
    plain = simulate(s, days=3, seed=4)
    s.practice.appointment_quota = {s.types[0].name: 10_000}  # switches the feature layer on, changes nothing
    fr = simulate_features(s, days=3, seed=4)
    assert np.array_equal(plain.start, fr.run.start) and np.array_equal(plain.window, fr.run.window)


def _quota_scenario():
    s = policy_variant(sample_scenario(), False)
    for t in s.types:
        t.appointment_share = 0.5
    return s


def test_quotas_cutoff_and_weekend_appointment_only_count_exactly():
    from sim.arrivals import generate
    from sim.calendar import build_days
    from sim.hall_features import apply_quotas

    s = _quota_scenario()
    days = build_days(s.calendar, 7)
    base = generate(s, days, 9)
    name = s.types[0].name
    s.practice.appointment_quota = {name: 2}
    cust, counts = apply_quotas(base, s, days, 9)
    # independent count: per 30-minute slot, appointments beyond the first two become walk-ins
    per_slot: dict[int, int] = {}
    over = 0
    for a, t, ap in zip(base.arrival.tolist(), base.type.tolist(), base.appointment.tolist()):
        if t == 0 and ap:
            k = int(a // 30)
            per_slot[k] = per_slot.get(k, 0) + 1
            over += per_slot[k] > 2
    assert counts["quota_overflow"] == over > 0
    slots = (cust.arrival[(cust.type == 0) & cust.appointment] // 30).astype(int)
    assert np.bincount(slots).max() <= 2
    assert cust.appointment.sum() == base.appointment.sum() - over
    s.practice.appointment_quota = {}
    s.practice.weekend_appointment_only = True
    cust, counts = apply_quotas(base, s, days, 9)
    weekend = np.array([d.weekday >= 5 for d in days])[(base.arrival // 1440).astype(int)]
    assert counts["turned_away"] == int((weekend & ~base.appointment).sum()) > 0
    wk = np.array([d.weekday >= 5 for d in days])[(cust.arrival // 1440).astype(int)]
    assert cust.appointment[wk].all()


def test_weekend_cutoff_refuses_late_bookings_only_for_weekend_slots():
    from sim.arrivals import generate
    from sim.calendar import build_days
    from sim.hall_features import _stream, apply_quotas

    s = _quota_scenario()
    days = build_days(s.calendar, 7)
    base = generate(s, days, 3)
    s.practice.weekend_cutoff = "4 12:00"  # Friday noon
    s.practice.booking_lead_days = 1.5
    cust, counts = apply_quotas(base, s, days, 3)
    lead = _stream(3, "booking-lead").exponential(1.5, len(base.arrival)) * 1440
    refused = 0
    for a, ap, ld in zip(base.arrival.tolist(), base.appointment.tolist(), lead.tolist()):
        d = int(a // 1440)
        wd = days[d].weekday
        if ap and wd >= 5:
            friday_noon = (d - (wd - 4)) * 1440 + 12 * 60
            refused += (a - ld) > friday_noon
    assert counts["refused_bookings"] == refused > 0
    assert cust.appointment.sum() == base.appointment.sum() - refused


def test_sample_hall_with_every_feature_reports_lanes_routes_and_no_shows():
    s = policy_variant(sample_scenario(), False)
    for t in s.types:
        t.no_show, t.priority_share = 0.05, 0.1
    s.types[0].route, s.types[0].route_share = [s.types[1].name], 0.3
    s.practice.priority_mode = "dedicated"
    with pytest.raises(WorkbenchError, match="联办路线"):
        bad = s.copy()
        bad.types[0].route = ["没有这个业务"]
        simulate_features(bad, days=1, seed=1)
    s.practice.priority_mode = "first"
    fr = simulate_features(s, days=5, seed=2)
    assert fr.run.unserved() == 0
    lanes = fr.lanes().set_index("lane")
    lane_wait = lanes["mean_wait"].to_dict()
    assert lane_wait["优先"] < lane_wait["普通"]
    v = fr.visits()
    two = v[v["steps"] == 2]
    assert len(two) > 100 and two["time_in_hall"].mean() > v.loc[v["steps"] == 1, "time_in_hall"].mean()
    assert 0.005 < (fr.no_show_called >= 0).mean() < 0.05  # only those called from a queue can be gone
    assert any(n.endswith("(优先)") for n in fr.run.type_names)


def test_priority_first_agrees_with_the_same_setup_in_ciw():
    import ciw

    c, mu, lam, share, horizon = 3, 1.0, 2.4, 0.3, 40_000.0
    net = ciw.create_network(
        arrival_distributions={
            "prio": [ciw.dists.Exponential(rate=lam * share)],
            "normal": [ciw.dists.Exponential(rate=lam * (1 - share))],
        },
        service_distributions={"prio": [ciw.dists.Exponential(rate=mu)], "normal": [ciw.dists.Exponential(rate=mu)]},
        number_of_servers=[c],
        priority_classes={"prio": 0, "normal": 1},
    )
    ciw.seed(16)
    q = ciw.Simulation(net)
    q.simulate_until_max_time(horizon)
    ciw_wait: dict[str, list[float]] = {"prio": [], "normal": []}
    for r in q.get_all_records():
        ciw_wait[r.customer_class].append(r.waiting_time)
    arr, svc, rng = _mm(int(lam * horizon), lam, 1 / mu, 165)
    prio = rng.random(len(arr)) < share
    w = run_arrays(_customers(arr, svc), servers=c, priority=prio).run.wait()
    for mask, name in ((prio, "prio"), (~prio, "normal")):
        ours, theirs = w[mask].mean(), float(np.mean(ciw_wait[name]))
        assert abs(ours - theirs) / theirs < 0.1, (name, ours, theirs)
