"""Scenarios side by side with common random numbers.

Every scenario is replicated with the same seeds, and arrivals/service times are
drawn per (seed, type, day) (:mod:`sim.arrivals`), so scenarios that differ only
in windows, pooling or policy see exactly the same customers: a difference is the
policy's, not the dice's. Differences against the first scenario get a paired
95% interval (replication by replication), much tighter than two separate CIs.

>>> from sim.sample_hall import sample_scenario, policy_variant
>>> a = sample_scenario()
>>> c = compare([policy_variant(a, False), policy_variant(a, True)], reps=2, days=1, seed=1, workers=1)
>>> list(c.table.columns)[:2]
['指标', '示例县政务服务中心(示例数据)-动态调整关']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .replicate import Replications, replicate
from .results import KPI_LABELS_CN
from .scenario import Scenario

__all__ = [
    "Comparison",
    "SHOWN",
    "compare",
]

SHOWN = [
    "customers",
    "mean_wait",
    "p50_wait",
    "p90_wait",
    "p95_wait",
    "max_wait",
    "within_target",
    "utilisation",
    "open_window_hours",
    "staff_hours",
    "overtime_minutes",
    "adjustments",
    "abandoned",
]


@dataclass
class Comparison:
    """``table``: one row per KPI, one column per scenario (mean, ± half-width);
    ``diff``: paired difference of each scenario against the first."""

    names: list[str]
    runs: list[Replications]
    table: pd.DataFrame
    diff: pd.DataFrame


def _label(metric: str) -> str:
    if "|" in metric:
        base, key = metric.split("|", 1)
        return f"{KPI_LABELS_CN.get(base, base)}·{key}"
    return KPI_LABELS_CN.get(metric, metric)


def _metrics(runs: list[Replications]) -> list[str]:
    extra = [c for c in runs[0].summaries.columns if c.startswith("mean_wait|周")]
    return [m for m in SHOWN + extra if all(m in r.summaries.columns for r in runs)]


def compare(
    scenarios: list[Scenario],
    *,
    reps: int = 5,
    days: int | None = None,
    seed: int = 0,
    workers: int | None = None,
    target: float | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: Any = None,
    scheduler: str | None = None,
) -> Comparison:
    """Replicate each scenario with the same seeds and tabulate KPIs side by side."""
    names = []
    for i, s in enumerate(scenarios):
        n = s.name
        names.append(n if n not in names else f"{n}({i + 1})")
    total = reps * len(scenarios)
    runs = []
    for i, s in enumerate(scenarios):
        step = (lambda d, _n, i=i: progress(i * reps + d, total)) if progress else None
        runs.append(
            replicate(
                s,
                reps=reps,
                days=days,
                seed=seed,
                workers=workers,
                target=target,
                progress=step,
                cancel=cancel,
                scheduler=scheduler,
            )
        )
    metrics = _metrics(runs)
    rows, diffs = [], []
    q = stats.t.ppf(0.975, reps - 1) if reps > 1 else 0.0
    for m in metrics:
        row: dict[str, Any] = {"指标": _label(m), "metric": m}
        for n, r in zip(names, runs):
            ci = r.ci.set_index("metric")
            means, halves = ci["mean"].to_dict(), ci["half_width"].to_dict()
            row[n] = float(means[m]) if m in means else np.nan
            row[f"{n} ±"] = float(halves[m]) if m in halves else np.nan
        rows.append(row)
        base = runs[0].summaries[m].to_numpy(float)
        for n, r in zip(names[1:], runs[1:]):
            d = r.summaries[m].to_numpy(float) - base
            d = d[~np.isnan(d)]
            hw = float(q * d.std(ddof=1) / np.sqrt(len(d))) if len(d) > 1 else 0.0
            mean = float(d.mean()) if len(d) else np.nan
            diffs.append(
                {"指标": _label(m), "metric": m, "scenario": n, "difference": mean, "lo": mean - hw, "hi": mean + hw}
            )
    cols = ["指标"] + names + [f"{n} ±" for n in names] + ["metric"]
    return Comparison(names, runs, pd.DataFrame(rows)[cols], pd.DataFrame(diffs))
