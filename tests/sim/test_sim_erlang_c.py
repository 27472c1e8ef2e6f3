"""M/M/c by the hall model against the textbook Erlang C formulas.

For c in {1, 5, 20} and rho in {0.5, 0.8, 0.95}: the analytic mean wait and
P(wait > t) must lie in the simulated 95% confidence intervals (batch means:
warm-up dropped, 20 batches; fixed seeds; more customers at higher load).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.commands.sim_cmd import mmc
from sim.hall import simulate_arrays


def erlang_c(c: int, lam: float, mu: float) -> tuple[float, float]:
    """(P(wait > 0), mean wait) — C(c, a) = (a^c/c! · c/(c−a)) / (Σ_{k<c} a^k/k! + a^c/c! · c/(c−a))."""
    a = lam / mu
    top = a**c / math.factorial(c) * c / (c - a)
    p_wait = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    return p_wait, p_wait / (c * mu - lam)


def batch_ci(x: np.ndarray, batches: int = 20) -> tuple[float, float]:
    means = np.array([b.mean() for b in np.array_split(x, batches)])
    hw = stats.t.ppf(0.975, batches - 1) * means.std(ddof=1) / math.sqrt(batches)
    return means.mean() - hw, means.mean() + hw


CUSTOMERS = {0.5: 40_000, 0.8: 80_000, 0.95: 200_000}


@pytest.mark.slow
@pytest.mark.parametrize("c", [1, 5, 20])
@pytest.mark.parametrize("rho", [0.5, 0.8, 0.95])
def test_mmc_matches_erlang_c(c, rho):
    mu = 0.1  # 10-minute mean service, rates per minute as in the CLI contract
    lam = rho * c * mu
    n = CUSTOMERS[rho] * (5 if (c, rho) == (1, 0.95) else 1)  # M/M/1 at 0.95: waits correlate over ~10^4 customers
    rng = np.random.default_rng(1000 * c + int(rho * 100))
    arrival = np.cumsum(rng.exponential(1 / lam, n))
    service = rng.exponential(1 / mu, n)
    w = simulate_arrays(arrival, service, c).wait()[n // 10 :]  # drop the warm-up
    p_wait, mean_wait = erlang_c(c, lam, mu)
    t = 1 / (c * mu - lam)  # the mean wait of those who wait: P(W > t) = C·e^-1
    p_gt = p_wait * math.exp(-(c * mu - lam) * t)
    lo, hi = batch_ci(w)
    assert lo <= mean_wait <= hi, (mean_wait, lo, hi)
    lo, hi = batch_ci((w > t).astype(float))
    assert lo <= p_gt <= hi, (p_gt, lo, hi)


def test_cli_contract_mmc_agrees_with_erlang_c_roughly():
    out = mmc(servers=5, arrival_rate=4.0, service_rate=1.0, customers=60_000, seed=3)
    assert set(out) == {"mean_wait", "p_wait", "p_wait_gt", "customers", "wall_seconds"}
    assert set(out["p_wait_gt"]) == {"5", "15"}
    p_wait, mean_wait = erlang_c(5, 4.0, 1.0)
    assert abs(out["p_wait"] - p_wait) < 0.05 and abs(out["mean_wait"] - mean_wait) / mean_wait < 0.15
