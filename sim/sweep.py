"""Multi-hall studies: halls × policy variants × replications, as one tidy table.

A sweep is described in a small TOML (or JSON) file::

    name = "各厅周末轮班对比"
    reps = 8            # replications per hall and variant (common random numbers)
    days = 7            # simulated days (default: each scenario's calendar)
    seed = 1
    target = "90%<=15"  # optional service target
    variants = ["base", "rota:off", "policy:on"]

    [[halls]]
    path = "hall-a.xlsx"      # relative to the spec file; "sample" = the bundled sample hall
    name = "甲区政务服务中心"   # optional display name
    scale = 1                 # optional: demand and windows × scale (a bigger hall)

Every (hall, variant, replication) is one job of :func:`sim.cluster.map_jobs`, so a sweep runs
in this process, on a local Dask cluster, or on an existing Dask scheduler, with identical
numbers: replication ``r`` of every hall and variant uses the seed ``rep_seeds(seed, reps)[r]``.

>>> spec = SweepSpec(halls=(HallSpec("sample", scale=0.5),), variants=("base", "policy:on"), reps=1, days=1)
>>> table = run_sweep(spec, workers=1)
>>> sorted(table["variant"].unique().tolist()), int(table["rep"].max())
(['base', 'policy:on'], 0)
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from core.errors import WorkbenchError

from .cluster import map_jobs
from .replicate import rep_seeds, run_one
from .scenario import Scenario
from .targets import parse_target

__all__ = ["HallSpec", "SweepSpec", "apply_variant", "load_spec", "run_sweep", "scaled", "spec_from_dict", "summarise"]

#: columns that identify a row of the sweep table; the rest are KPI summaries
ID_COLUMNS = ["hall", "variant", "rep", "seed"]


@dataclass(frozen=True)
class HallSpec:
    """One hall of a sweep: a scenario file (or ``"sample"``), a display name, a scale factor."""

    path: str
    name: str = ""
    scale: float = 1.0


@dataclass(frozen=True)
class SweepSpec:
    """What to run: ``halls`` × ``variants`` × ``reps`` replications of ``days`` days."""

    halls: tuple[HallSpec, ...]
    variants: tuple[str, ...] = ("base",)
    reps: int = 4
    days: int | None = None
    seed: int = 0
    target: str | None = None
    name: str = ""
    base_dir: str = "."


def scaled(scenario: Scenario, factor: float) -> Scenario:
    """The same hall ``factor`` times as big: demand and every window count scaled.

    >>> from sim.sample_hall import sample_scenario
    >>> s = sample_scenario(); big = scaled(s, 8)
    >>> big.groups[0].regular == 8 * s.groups[0].regular, big.types[0].daily_volume[0] == 8 * s.types[0].daily_volume[0]
    (True, True)
    """
    if factor <= 0 or not math.isfinite(factor):
        raise WorkbenchError(f"规模系数应为正数,收到 {factor}")
    out = scenario.copy()
    if factor == 1:
        return out
    for t in out.types:
        t.daily_volume = [v * factor for v in t.daily_volume]
    for g in out.groups:
        g.regular = max(1, round(g.regular * factor))
        g.reserve = round(g.reserve * factor)
        if g.weekend_windows is not None:
            g.weekend_windows = round(g.weekend_windows * factor)
    out.name = f"{scenario.name}×{factor:g}"
    return out


def apply_variant(base: Scenario, spec: str) -> Scenario:
    """``base``, ``policy:on|off``, ``rota:on|off``, ``pooled:组1,组2`` → a derived scenario.

    >>> from sim.sample_hall import sample_scenario
    >>> apply_variant(sample_scenario(), "policy:on").policy.enabled
    True
    """
    from .sample_hall import policy_variant, pooled_variant, weekend_rota_variant

    kind, _, arg = spec.strip().partition(":")
    if kind == "base" and not arg:
        return base.copy()
    if kind in ("policy", "rota") and arg in ("on", "off"):
        return (policy_variant if kind == "policy" else weekend_rota_variant)(base, arg == "on")
    if kind == "pooled":
        names = [x.strip() for x in arg.replace(",", ",").split(",") if x.strip()]
        missing = [n for n in names if n not in {g.name for g in base.groups}]
        if len(names) < 2 or missing:
            raise WorkbenchError(
                f"方案 {spec}: 需列出至少两个已有窗口组" + (f",找不到:{'、'.join(missing)}" if missing else "")
            )
        return pooled_variant(base, names)
    raise WorkbenchError(f"方案 {spec}: 应为 base、policy:on|off、rota:on|off 或 pooled:组1,组2")


def load_spec(path: str | Path) -> SweepSpec:
    """Read a sweep description (``.toml`` or ``.json``) and check it.

    Raises
    ------
    WorkbenchError
        With a Chinese message naming the file and the field to fix.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
        raw = json.loads(text) if p.suffix.lower() == ".json" else tomllib.loads(text)
    except FileNotFoundError as err:
        raise WorkbenchError(f"{p.name}: 文件不存在") from err
    except (UnicodeDecodeError, json.JSONDecodeError, tomllib.TOMLDecodeError) as err:
        raise WorkbenchError(f"{p.name}: 无法读取研究方案({err});应为 UTF-8 的 TOML 或 JSON") from err
    return spec_from_dict(raw, name=p.name, base_dir=str(p.parent))


def _int(raw: dict[str, Any], key: str, default: int | None, lo: int, hi: int, file: str) -> int | None:
    v = raw.get(key, default)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise WorkbenchError(f"{file}: “{key}”应为 {lo}–{hi} 的整数,收到 {v!r}")
    return v


def spec_from_dict(raw: dict[str, Any], *, name: str = "研究方案", base_dir: str = ".") -> SweepSpec:
    """A checked :class:`SweepSpec` from the parsed file (see the module docstring).

    >>> spec_from_dict({"halls": [{"path": "sample"}], "reps": 2}).reps
    2
    >>> spec_from_dict({"halls": []})
    Traceback (most recent call last):
    ...
    core.errors.WorkbenchError: 研究方案: 至少要有一个 [[halls]](大厅场景文件)
    """
    halls_raw = raw.get("halls") or []
    if not isinstance(halls_raw, list) or not halls_raw:
        raise WorkbenchError(f"{name}: 至少要有一个 [[halls]](大厅场景文件)")
    halls = []
    for i, h in enumerate(halls_raw, 1):
        if not isinstance(h, dict) or not str(h.get("path", "")).strip():
            raise WorkbenchError(f"{name}: 第{i}个大厅缺少 path(场景文件路径,或 sample 表示示例大厅)")
        scale = h.get("scale", 1)
        if isinstance(scale, bool) or not isinstance(scale, int | float) or not 0 < scale <= 100:
            raise WorkbenchError(f"{name}: 第{i}个大厅的 scale 应为 0–100 之间的正数,收到 {scale!r}")
        halls.append(HallSpec(str(h["path"]).strip(), str(h.get("name", "")).strip(), float(scale)))
    variants = raw.get("variants", ["base"])
    if isinstance(variants, str):
        variants = [variants]
    if not isinstance(variants, list) or not variants or not all(isinstance(v, str) for v in variants):
        raise WorkbenchError(f'{name}: variants 应为方案列表,如 ["base", "rota:off"]')
    target = raw.get("target")
    if target is not None:
        parse_target(str(target))  # a readable target or a clear error now, not after an hour
    reps = _int(raw, "reps", 4, 1, 10_000, name)
    seed = _int(raw, "seed", 0, 0, 2**32 - 1, name)
    return SweepSpec(
        halls=tuple(halls),
        variants=tuple(variants),
        reps=int(reps or 1),
        days=_int(raw, "days", None, 1, 366, name),
        seed=int(seed or 0),
        target=None if target is None else str(target),
        name=str(raw.get("name", "")),
        base_dir=base_dir,
    )


def _hall_scenario(h: HallSpec, base_dir: str) -> Scenario:
    if h.path == "sample":
        from .sample_hall import sample_scenario

        s = sample_scenario()
    else:
        from .scenario_io import load_scenario

        p = Path(h.path)
        s = load_scenario(p if p.is_absolute() else Path(base_dir) / p)
    s = scaled(s, h.scale)
    if h.name:
        s.name = h.name
    return s


def _sweep_job(
    hall: str,
    variant: str,
    rep: int,
    seed: int,
    *,
    scenarios: dict[tuple[str, str], Scenario],
    days: int | None,
    target: float | None,
) -> dict[str, Any]:
    """One replication of one hall under one variant → a flat row (what a worker returns)."""
    out = run_one(scenarios[(hall, variant)], days, seed, target)
    return {
        "hall": hall,
        "variant": variant,
        "rep": rep,
        "seed": seed,
        **out["summary"],
        "wall_seconds": out["wall_seconds"],
    }


def run_sweep(
    spec: SweepSpec,
    *,
    workers: int | None = 1,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: Any = None,
) -> pd.DataFrame:
    """Run every (hall, variant, replication) and return one tidy table.

    Parameters
    ----------
    spec : SweepSpec
        What to run (see :func:`load_spec`).
    workers, scheduler, progress, cancel
        As :func:`sim.cluster.map_jobs`: 1 = this process, n = a local Dask cluster,
        ``scheduler`` = an existing Dask scheduler.

    Returns
    -------
    pandas.DataFrame
        One row per (hall, variant, rep): ``hall, variant, rep, seed`` and the KPI summary
        (``mean_wait``, ``p90_wait``, ``within_target``, ``utilisation`` …, minutes and shares),
        in the order hall, variant, rep — the same whatever ran it.
    """
    target = parse_target(spec.target) if spec.target else None
    within = target.within if target is not None else None
    scenarios: dict[tuple[str, str], Scenario] = {}
    names: list[str] = []
    for h in spec.halls:
        base = _hall_scenario(h, spec.base_dir)
        name = base.name if base.name not in names else f"{base.name}({len(names) + 1})"
        names.append(name)
        for v in spec.variants:
            scenarios[(name, v)] = apply_variant(base, v)
    seeds = rep_seeds(spec.seed, spec.reps)
    jobs = [(hall, v, r, seeds[r]) for hall in names for v in spec.variants for r in range(spec.reps)]
    rows = map_jobs(
        _sweep_job,
        jobs,
        workers=workers,
        scheduler=scheduler,
        shared={"scenarios": scenarios, "days": spec.days, "target": within},
        progress=progress,
        cancel=cancel,
    )
    table = pd.DataFrame(rows)
    metrics = [c for c in table.columns if c not in ID_COLUMNS]
    return table[ID_COLUMNS + metrics]


def summarise(
    table: pd.DataFrame, metrics: tuple[str, ...] = ("mean_wait", "p90_wait", "within_target")
) -> pd.DataFrame:
    """Mean of each metric per (hall, variant) over the replications.

    >>> t = pd.DataFrame({"hall": ["甲"] * 2, "variant": ["base"] * 2, "rep": [0, 1], "seed": [1, 2],
    ...                   "mean_wait": [1.0, 3.0]})
    >>> summarise(t, ("mean_wait",)).to_dict("records")
    [{'hall': '甲', 'variant': 'base', 'reps': 2, 'mean_wait': 2.0}]
    """
    present = [m for m in metrics if m in table.columns]
    g = table.groupby(["hall", "variant"], sort=False)
    out = g[present].mean().reset_index()
    out.insert(2, "reps", g.size().to_numpy())
    return out
