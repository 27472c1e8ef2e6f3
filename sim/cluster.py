"""Run many independent simulation jobs: in this process, or spread over a Dask cluster.

Replications, scenario comparisons, simulation-corrected staffing and multi-hall sweeps are
all "the same function over a list of arguments".  :func:`map_jobs` runs such a list and
returns the results **in input order**, so a study gives identical numbers whether it ran in
one process, on a local cluster of worker processes, or on an existing Dask scheduler
(``WORKBENCH_DASK_SCHEDULER=tcp://host:8786`` or ``scheduler=`` / ``--scheduler``):
every job carries its own seed, and nothing depends on which worker ran it or when.

Progress is reported as ``progress(done, total)``; ``cancel`` (a ``threading.Event`` or a
callable returning True) stops the study between jobs and cancels what is still queued.  On Dask,
consecutive jobs travel in batches (about :data:`BATCHES_PER_THREAD` per worker thread: fewer
tasks to schedule and results to hand over, which matter on a small machine where the client
shares the cores with the workers); progress then moves a batch at a time.

>>> map_jobs(pow, [(2, 3), (3, 2)], workers=1)
[8, 9]
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from core.config import setting
from core.errors import WorkbenchError

from .hall import Cancelled

__all__ = ["BATCHES_PER_THREAD", "Cancelled", "SCHEDULER_ENV", "dask_client", "map_jobs", "scheduler_address"]

#: environment variable naming an existing Dask scheduler (``tcp://host:8786``)
SCHEDULER_ENV = "WORKBENCH_DASK_SCHEDULER"
#: batches of jobs per worker thread on Dask (enough to even out jobs of different lengths)
BATCHES_PER_THREAD = 4


def scheduler_address(scheduler: str | None = None) -> str | None:
    """The scheduler to use: the argument, else ``WORKBENCH_DASK_SCHEDULER``, else None (local).

    >>> scheduler_address("tcp://10.0.0.5:8786")
    'tcp://10.0.0.5:8786'
    """
    addr = (scheduler or setting(SCHEDULER_ENV)).strip()
    if addr and not addr.startswith(("tcp://", "tls://", "inproc://", "ucx://", "ws://", "wss://")):
        raise WorkbenchError(f"Dask 调度器地址“{addr}”应形如 tcp://主机:8786")
    return addr or None


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None) -> Iterator[Any]:
    """A ``distributed.Client``: to ``scheduler`` (or the env address), else a local cluster.

    The local cluster has ``workers`` single-threaded worker *processes* (the hall model is
    pure Python, so threads would share one GIL) and no dashboard.  It is closed on exit;
    a remote scheduler is only disconnected from.
    """
    from distributed import Client, LocalCluster

    addr = scheduler_address(scheduler)
    if addr:
        try:
            client = Client(addr, timeout="10s")
        except OSError as err:
            raise WorkbenchError(f"无法连接 Dask 调度器 {addr}:{err}") from err
        try:
            yield client
        finally:
            client.close()
        return
    n = max(1, int(workers or (os.cpu_count() or 1)))
    with (
        LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _stopper(cancel: Any) -> Callable[[], bool] | None:
    if cancel is None:
        return None
    stop = cancel.is_set if hasattr(cancel, "is_set") else cancel
    if not callable(stop):
        raise TypeError("cancel must be a threading.Event or a callable returning bool")
    return lambda: bool(stop())


def _run_batch(fn: Callable[..., Any], batch: Sequence[tuple[Any, ...]], /, **shared: Any) -> list[Any]:
    """The jobs of one batch in order: one Dask task.

    >>> _run_batch(divmod, [(7, 2), (9, 4)])
    [(3, 1), (2, 1)]
    """
    return [fn(*job, **shared) for job in batch]


def _scatter_worthy(value: Any) -> bool:
    """Whether a shared argument is sent to the workers once (a scenario) rather than with each task (a number).

    >>> _scatter_worthy(None), _scatter_worthy(7), _scatter_worthy({"windows": [1, 2]})
    (False, False, True)
    """
    return not (value is None or isinstance(value, (bool, int, float, str)))


def map_jobs(
    fn: Callable[..., Any],
    jobs: Sequence[tuple[Any, ...]],
    *,
    workers: int | None = 1,
    scheduler: str | None = None,
    shared: dict[str, Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: Any = None,
) -> list[Any]:
    """``[fn(*job, **shared) for job in jobs]``, in input order, here or on Dask.

    Parameters
    ----------
    fn : callable
        A module-level function (it is pickled to the workers).
    jobs : sequence of tuples
        Positional arguments of each call.
    workers : int or None
        1 (and no scheduler) runs in this process; more starts a local cluster of that many
        worker processes; None uses one per core.
    scheduler : str or None
        Address of an existing Dask scheduler; default ``WORKBENCH_DASK_SCHEDULER``.
    shared : dict
        Keyword arguments common to every call, sent to each worker once (e.g. a scenario).
    progress, cancel
        ``progress(done, total)`` after each job (on Dask, each batch); ``cancel`` stops the study.

    Returns
    -------
    list
        One result per job, in the order of ``jobs``.

    Raises
    ------
    Cancelled
        When ``cancel`` was set before every job finished.

    Examples
    --------
    >>> map_jobs(divmod, [(7, 2), (9, 4)], workers=1)
    [(3, 1), (2, 1)]
    """
    stop = _stopper(cancel)
    shared = dict(shared or {})
    total = len(jobs)
    addr = scheduler_address(scheduler)
    if not addr and (workers == 1 or total <= 1):
        out = []
        for i, job in enumerate(jobs):
            if stop and stop():
                raise Cancelled()
            out.append(fn(*job, **shared))
            if progress:
                progress(i + 1, total)
        return out
    from distributed import as_completed

    with dask_client(addr, workers if workers is not None else None) as client:
        sent = {k: client.scatter(v, broadcast=True) if _scatter_worthy(v) else v for k, v in shared.items()}
        threads = sum(client.nthreads().values()) or 1
        size = max(1, -(-total // (BATCHES_PER_THREAD * threads)))  # jobs per batch, rounded up
        futures = [
            client.submit(_run_batch, fn, list(jobs[i : i + size]), **sent, pure=False) for i in range(0, total, size)
        ]
        first = {f.key: i * size for i, f in enumerate(futures)}  # each batch's first job
        results: list[Any] = [None] * total
        done = 0
        try:
            for fut in as_completed(futures):
                out = fut.result()
                results[first[fut.key] : first[fut.key] + len(out)] = out
                done += len(out)
                if progress:
                    progress(done, total)
                if stop and stop() and done < total:
                    raise Cancelled()
        except BaseException:
            client.cancel(futures)
            raise
        return results
