"""Independent replications in parallel processes, with 95% confidence intervals.

Replications run in this process or on Dask (:mod:`sim.cluster`).
Replication ``r`` uses the seed ``SeedSequence(seed).spawn(reps)[r]`` reduced to one
integer, so the same ``seed`` gives the same numbers whatever the worker count or
completion order. Long runs report ``progress(done, total)`` and stop when
``cancel`` (a ``threading.Event`` or a callable returning True) is set: between
replications in parallel mode, between simulated days in a single process.

>>> from sim.sample_hall import sample_scenario
>>> r = replicate(sample_scenario(), reps=2, days=1, seed=7, workers=1)
>>> row = r.ci.set_index("metric").loc["mean_wait"]
>>> bool(row["lo"] <= row["mean"] <= row["hi"])
True
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .cluster import map_jobs, scheduler_address
from .hall import Cancelled, simulate
from .results import kpis, summary_of
from .scenario import Scenario

__all__ = [
    "KEYS",
    "Replications",
    "SHARES",
    "TABLES",
    "cancel_fn",
    "confidence",
    "rep_seeds",
    "replicate",
    "run_one",
]

TABLES = ("by_type", "by_group", "by_weekday", "by_slot")
KEYS = {
    "by_type": ["type"],
    "by_group": ["group"],
    "by_weekday": ["weekday", "weekday_cn"],
    "by_slot": ["slot", "slot_start"],
}


@dataclass
class Replications:
    """``summaries``: one row per replication; ``ci``: metric, mean, half_width, lo, hi;
    ``tables``: KPI tables averaged over replications; ``adjustments`` of replication 0."""

    seed: int
    seeds: list[int]
    summaries: pd.DataFrame
    ci: pd.DataFrame
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    adjustments: pd.DataFrame = field(default_factory=pd.DataFrame)
    wall_seconds: float = 0.0
    customers: int = 0


def rep_seeds(seed: int, reps: int) -> list[int]:
    """One integer seed per replication from numpy's ``SeedSequence``.

    Parameters
    ----------
    seed : int
        The master seed.
    reps : int
        Number of replications.

    Returns
    -------
    list of int
        ``reps`` independent seeds, the same for the same ``seed``.

    Examples
    --------
    >>> seeds = rep_seeds(1, 3)
    >>> len(seeds), len(set(seeds)), seeds == rep_seeds(1, 3)
    (3, 3, True)
    """
    return [int(ss.generate_state(1)[0]) for ss in np.random.SeedSequence(int(seed)).spawn(reps)]


def cancel_fn(cancel: Any) -> Callable[[], bool] | None:
    """Accept a ``threading.Event``, a callable or None."""
    if cancel is None:
        return None
    if hasattr(cancel, "is_set"):
        return cancel.is_set
    return cancel


def _run_job(
    seed: int, *, scenario: Scenario, days: int | None, target: float | None, windows_by_slot: dict | None
) -> dict[str, Any]:
    """:func:`run_one` with the shared arguments by keyword (what :func:`map_jobs` sends)."""
    return run_one(scenario, days, seed, target, windows_by_slot)


def run_one(
    scenario: Scenario,
    days: int | None,
    seed: int,
    target: float | None,
    windows_by_slot: dict | None = None,
    cancel: Callable[[], bool] | None = None,
) -> dict[str, Any]:
    """One replication reduced to picklable summaries (what a worker process returns)."""
    run = simulate(scenario, days=days, seed=seed, windows_by_slot=windows_by_slot, cancel=cancel)
    k = kpis(run, target, weekday_slot=False)
    return {
        "summary": summary_of(k),
        "tables": {t: k[t] for t in TABLES},
        "adjustments": k["adjustments"],
        "customers": len(run.customers.arrival),
        "wall_seconds": run.wall_seconds,
    }


SHARES = ("within_target", "utilisation")  # metrics that are shares, never above 1


def confidence(summaries: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Student-t interval of each column's mean (half-width 0 with one replication).

    Every hall KPI is a count, a duration or a share, so ``lo``/``hi`` are clipped
    to [0, ∞) and shares to [0, 1]: with few replications a raw interval such as
    "overtime −2,217 … 9,096 minutes" only confuses readers; ``half_width`` keeps
    the unclipped value.

    >>> confidence(pd.DataFrame({"overtime_minutes": [0.0, 100.0], "within_target": [0.9, 1.0]}))[
    ...     ["metric", "lo", "hi"]].round(2).values.tolist()
    [['overtime_minutes', 0.0, 685.31], ['within_target', 0.31, 1.0]]
    """
    rows = []
    n = len(summaries)
    q = stats.t.ppf(0.5 + level / 2, n - 1) if n > 1 else 0.0
    for col in summaries.columns:
        v = summaries[col].to_numpy(dtype=float)
        v = v[~np.isnan(v)]
        if not len(v):
            continue
        m = float(v.mean())
        hw = float(q * v.std(ddof=1) / np.sqrt(len(v))) if len(v) > 1 else 0.0
        hi_cap = 1.0 if col.split("|")[0] in SHARES else np.inf
        rows.append(
            {
                "metric": col,
                "mean": m,
                "half_width": hw,
                "lo": max(m - hw, 0.0),
                "hi": min(m + hw, hi_cap),
                "reps": len(v),
            }
        )
    return pd.DataFrame(rows)


def _average(tables: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    df = pd.concat([t for t in tables if len(t)], ignore_index=True) if any(len(t) for t in tables) else pd.DataFrame()
    if not len(df):
        return df
    keys = [k for k in keys if k in df.columns]
    num = [c for c in df.columns if c not in keys and pd.api.types.is_numeric_dtype(df[c])]
    return df.groupby(keys, sort=True)[num].mean().reset_index()


def replicate(
    scenario: Scenario,
    *,
    reps: int = 10,
    days: int | None = None,
    seed: int = 0,
    workers: int | None = None,
    target: float | None = None,
    windows_by_slot: dict | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: Any = None,
    scheduler: str | None = None,
) -> Replications:
    """Run ``reps`` replications: in this process (``workers=1``), on a local Dask cluster of
    ``workers`` processes, or on the Dask ``scheduler`` given (or ``WORKBENCH_DASK_SCHEDULER``).
    The numbers are the same in every case (one seed per replication)."""
    import time

    t0 = time.perf_counter()
    seeds = rep_seeds(seed, reps)
    stop = cancel_fn(cancel)
    workers = workers or min(reps, os.cpu_count() or 1)
    if (workers <= 1 or reps == 1) and not scheduler_address(scheduler):
        ordered = []
        for r, s in enumerate(seeds):
            if stop and stop():
                raise Cancelled()
            ordered.append(run_one(scenario, days, s, target, windows_by_slot, stop))
            if progress:
                progress(r + 1, reps)
    else:  # worker processes of a local Dask cluster, or an existing scheduler
        ordered = map_jobs(
            _run_job,
            [(s,) for s in seeds],
            workers=workers,
            scheduler=scheduler,
            shared={"scenario": scenario, "days": days, "target": target, "windows_by_slot": windows_by_slot},
            progress=progress,
            cancel=stop,
        )
    summaries = pd.DataFrame([o["summary"] for o in ordered])
    tables = {t: _average([o["tables"][t] for o in ordered], KEYS[t]) for t in TABLES}
    return Replications(
        seed,
        seeds,
        summaries,
        confidence(summaries),
        tables,
        ordered[0]["adjustments"],
        time.perf_counter() - t0,
        sum(o["customers"] for o in ordered),
    )
