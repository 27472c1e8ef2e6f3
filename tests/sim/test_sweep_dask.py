"""Studies on Dask: the same numbers in one process, on a local cluster and on a real
scheduler with two worker processes started by the test; clear errors for bad sweep files."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from core.errors import WorkbenchError
from sim.cluster import map_jobs, scheduler_address
from sim.hall import Cancelled
from sim.replicate import replicate
from sim.sample_hall import sample_scenario
from sim.sweep import HallSpec, SweepSpec, load_spec, run_sweep, scaled

ROOT = Path(__file__).resolve().parents[2]
SPEC = """name = "两厅对比"
reps = 2
days = 1
seed = 5
variants = ["base", "rota:off"]
[[halls]]
path = "sample"
name = "甲厅"
[[halls]]
path = "sample"
name = "乙厅(两倍)"
scale = 2
"""


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )


def _rows(table) -> list[dict]:
    return table.drop(columns=["wall_seconds"]).to_dict("records")


def test_sweep_table_is_tidy_and_seeded_per_replication(tmp_path):
    (tmp_path / "s.toml").write_text(SPEC, encoding="utf-8")
    t = run_sweep(load_spec(tmp_path / "s.toml"), workers=1)
    assert list(t.columns[:4]) == ["hall", "variant", "rep", "seed"]
    assert len(t) == 2 * 2 * 2
    assert t["hall"].unique().tolist() == ["甲厅", "乙厅(两倍)"]
    # common random numbers: replication r has the same seed in every hall and variant
    assert t.groupby("rep")["seed"].nunique().eq(1).all()
    # the doubled hall really has (about) twice the customers of the same day
    base = t[t["variant"] == "base"].groupby("hall")["customers"].mean()
    assert 1.7 < base["乙厅(两倍)"] / base["甲厅"] < 2.3


def test_scaled_hall_keeps_the_original():
    s = sample_scenario()
    big = scaled(s, 8)
    assert [g.regular for g in big.groups] == [max(1, round(8 * g.regular)) for g in s.groups]
    assert s.types[0].daily_volume != big.types[0].daily_volume
    with pytest.raises(WorkbenchError, match="规模系数"):
        scaled(s, 0)


@pytest.mark.slow
@pytest.mark.parametrize(
    "text, message",
    [
        ("reps = 2\n", "至少要有一个"),
        ("[[halls]]\nname = 'x'\n", "缺少 path"),
        ("[[halls]]\npath = 'sample'\nscale = -1\n", "scale"),
        ("reps = 0\n[[halls]]\npath = 'sample'\n", "“reps”应为"),
        ("target = '九成'\n[[halls]]\npath = 'sample'\n", "九成"),
        ("variants = 'weird:on'\n[[halls]]\npath = 'sample'\n", "方案 weird:on"),
        ("halls = [", "无法读取研究方案"),
    ],
)
def test_bad_sweep_files_get_one_clear_error(tmp_path, text, message):
    f = tmp_path / "bad.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(WorkbenchError, match=message):
        run_sweep(load_spec(f), workers=1)
    r = _cli("sweep", str(f), "--workers", "1", "--json")
    assert r.returncode == 2 and r.stderr.startswith("error: ") and "Traceback" not in r.stderr


@pytest.mark.slow
def test_missing_hall_file_and_bad_scheduler_address(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text("[[halls]]\npath = 'nowhere.xlsx'\n", encoding="utf-8")
    r = _cli("sweep", str(f), "--workers", "1", "--json")
    assert r.returncode == 2 and "nowhere.xlsx" in r.stderr
    with pytest.raises(WorkbenchError, match="tcp://"):
        scheduler_address("localhost:8786")


def test_cancel_stops_between_jobs():
    calls: list[int] = []

    def cancel() -> bool:
        return len(calls) >= 2

    def job(x: int) -> int:
        calls.append(x)
        return x

    with pytest.raises(Cancelled):
        map_jobs(job, [(1,), (2,), (3,), (4,)], workers=1, cancel=cancel)
    assert calls == [1, 2]


@pytest.mark.slow
def test_local_cluster_gives_identical_numbers():
    spec = SweepSpec(halls=(HallSpec("sample"),), variants=("base", "policy:on"), reps=3, days=1, seed=11)
    one = run_sweep(spec, workers=1)
    seen = []
    two = run_sweep(spec, workers=2, progress=lambda d, n: seen.append((d, n)))
    assert _rows(one) == _rows(two)
    assert seen[-1] == (6, 6)
    r1 = replicate(sample_scenario(), reps=3, days=1, seed=4, workers=1)
    r2 = replicate(sample_scenario(), reps=3, days=1, seed=4, workers=2)
    assert r1.summaries.equals(r2.summaries)


@pytest.mark.slow
def test_jobs_in_batches_come_back_in_order_with_progress_per_batch():
    """Ten jobs on two single-thread workers go as five batches of two (four batches per thread, rounded
    up); the results are in input order, the same as in one process, and progress climbs to (10, 10)."""
    jobs = [({"b": x, "a": x % 3},) for x in range(10)]
    shared = {"sort_keys": True, "separators": (",", ":")}  # a flag goes with each task, the tuple is scattered
    seen: list[tuple[int, int]] = []
    here = map_jobs(json.dumps, jobs, workers=1, shared=shared)
    there = map_jobs(json.dumps, jobs, workers=2, shared=shared, progress=lambda d, n: seen.append((d, n)))
    assert there == here == [f'{{"a":{x % 3},"b":{x}}}' for x in range(10)]
    assert [d for d, _ in seen] == [2, 4, 6, 8, 10] and {n for _, n in seen} == {10}


@pytest.mark.slow
def test_cancel_on_a_local_cluster():
    stop = threading.Event()
    stop.set()
    spec = SweepSpec(halls=(HallSpec("sample"),), reps=4, days=1)
    with pytest.raises(Cancelled):
        run_sweep(spec, workers=2, cancel=stop)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_sweep_through_a_real_scheduler_and_two_worker_processes(tmp_path):
    (tmp_path / "s.toml").write_text(SPEC, encoding="utf-8")
    port = _free_port()
    addr = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "distributed.cli.dask_scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-dashboard",
            ],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        for _ in range(2):
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "distributed.cli.dask_worker", addr, "--nthreads", "1", "--no-dashboard"],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        from distributed import Client

        with Client(addr, timeout="30s") as c:
            c.wait_for_workers(2, timeout=120)
            assert len(c.scheduler_info()["workers"]) == 2
        r = _cli("sweep", str(tmp_path / "s.toml"), "--json", env={"WORKBENCH_DASK_SCHEDULER": addr})
        assert r.returncode == 0, r.stderr
        remote = [{k: v for k, v in row.items() if k != "wall_seconds"} for row in json.loads(r.stdout)["rows"]]
        local = _cli("sweep", str(tmp_path / "s.toml"), "--json", "--workers", "1")
        here = [{k: v for k, v in row.items() if k != "wall_seconds"} for row in json.loads(local.stdout)["rows"]]
        assert remote == here and len(remote) == 8
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
