"""Erlang C against the textbook formula in exact arithmetic and against published table values."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from sim.erlang import (
    beta_for_p_wait,
    erlang_b,
    erlang_c,
    evaluate,
    halfin_whitt_p_wait,
    mean_wait,
    min_servers,
    p_wait_gt,
    sqrt_staffing,
)
from sim.targets import TargetError, parse_target

ROOT = Path(__file__).resolve().parents[2]


def exact_erlang_c(c: int, a: Fraction) -> Fraction:
    """Textbook: C = (a^c/c! · c/(c−a)) / (Σ_{k<c} a^k/k! + a^c/c! · c/(c−a)), all exact."""
    top = a**c / math.factorial(c) * Fraction(c) / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


@pytest.mark.parametrize(
    "c,a",
    [
        (1, Fraction(1, 2)),
        (2, Fraction(1)),
        (5, Fraction(4)),
        (20, Fraction(19)),
        (50, Fraction(499, 10)),
        (100, Fraction(95)),
        (100, Fraction(9999, 100)),
        (200, Fraction(150)),
    ],
)
def test_erlang_c_matches_exact_fractions(c, a):
    exact = exact_erlang_c(c, a)
    assert erlang_c(c, float(a)) == pytest.approx(float(exact), rel=1e-9)
    # mean wait and tail from the same exact C
    mu = Fraction(1, 10)
    lam = a * mu
    drain = c * mu - lam
    assert mean_wait(c, float(lam), float(mu)) == pytest.approx(float(exact / drain), rel=1e-9)
    assert p_wait_gt(c, float(lam), float(mu), 15) == pytest.approx(
        float(exact) * math.exp(-float(drain) * 15), rel=1e-9
    )


def test_published_table_values():
    # Erlang B tables: 5 circuits, 2 Erlangs -> 3.67 %; 10 circuits, 5 Erlangs -> 1.84 %
    assert erlang_b(5, 2.0) == pytest.approx(0.0367, abs=5e-5)
    assert erlang_b(10, 5.0) == pytest.approx(0.0184, abs=5e-5)
    # Erlang C: M/M/2 at a=1 waits with probability 1/3 (textbook example)
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3, abs=1e-12)
    # M/M/1: P(wait) = rho
    assert erlang_c(1, 0.7) == pytest.approx(0.7)
    # the call-centre worked example (100 calls per 30 min, 180 s handling: a = 10 Erlangs):
    # 11 agents -> P(wait) 68.21 %, 39.0 % answered within 20 s; 14 agents -> 88.8 %
    lam, mu = 100 / 30, 1 / 3
    assert erlang_c(11, 10.0) == pytest.approx(0.6821, abs=5e-5)
    assert evaluate(11, lam, mu, within=1 / 3).service_level == pytest.approx(0.390, abs=5e-4)
    assert evaluate(14, lam, mu, within=1 / 3).service_level == pytest.approx(0.888, abs=5e-4)
    assert min_servers(lam, mu, within=1 / 3, percent=0.8) == 14


def test_large_c_and_heavy_load_are_stable():
    c = erlang_c(5000, 4999.0)
    assert 0.9 < c < 1.0 and math.isfinite(c)
    assert erlang_c(3, 3.0) == 1.0 and erlang_c(3, 4.0) == 1.0
    assert math.isinf(mean_wait(3, 4.0, 1.0))


def test_min_servers_is_smallest_meeting_target():
    lam, mu = 1.0, 0.1
    c = min_servers(lam, mu, within=15, percent=0.9)
    assert evaluate(c, lam, mu, 15).service_level >= 0.9
    assert evaluate(c - 1, lam, mu, 15).service_level < 0.9
    c2 = min_servers(lam, mu, within=None, percent=None, max_mean_wait=1.0)
    assert mean_wait(c2, lam, mu) <= 1.0 < mean_wait(c2 - 1, lam, mu)
    assert min_servers(0.0, 0.1, minimum=1) == 1
    assert min_servers(0.01, 0.1, minimum=3) == 3


def test_square_root_rule_close_to_exact_for_large_load():
    lam, mu = 10.0, 0.1  # a = 100
    beta = beta_for_p_wait(0.2)
    assert halfin_whitt_p_wait(beta) == pytest.approx(0.2, abs=1e-9)
    c_sqrt = sqrt_staffing(lam, mu, beta)
    exact = min(c for c in range(101, 200) if erlang_c(c, 100.0) <= 0.2)
    assert abs(c_sqrt - exact) <= 2


def test_targets_parse_and_define():
    t = parse_target("90%<=15")
    assert (t.percent, t.within, t.max_mean_wait) == (0.9, 15.0, None)
    both = parse_target("90% <= 15, mean<=10")
    assert both.max_mean_wait == 10 and both.percent == 0.9
    assert not both.met(0.95, 11) and both.met(0.95, 9) and not both.met(0.85, 5)
    m = parse_target("mean<=10")
    assert m.percent is None and m.met(None, 3.0)
    assert "15分钟" in t.definition() and "时段" in t.definition()
    with pytest.raises(TargetError, match="无法识别"):
        parse_target("fast please")


@pytest.mark.slow
def test_erlang_cli_json():
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "erlang",
            "--arrival-rate",
            "1",
            "--service-rate",
            "0.1",
            "--target",
            "90%<=15",
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stdout)
    assert data["servers"] == min_servers(1.0, 0.1, within=15, percent=0.9)
    assert data["service_level"] >= 0.9 and 0 < data["p_wait"] < 1 and data["mean_wait"] > 0
    bad = subprocess.run(
        [sys.executable, "-m", "sim", "erlang", "--arrival-rate", "1", "--service-rate", "0.1", "--target", "soon"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and bad.stderr.startswith("error:") and "Traceback" not in bad.stderr
    huge = subprocess.run(
        [sys.executable, "-m", "sim", "erlang", "--arrival-rate", "1e9", "--service-rate", "1", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert huge.returncode == 2 and "窗口" in huge.stderr and "Traceback" not in huge.stderr
