"""Executors for the fan-out: all are `concurrent.futures.Executor`s (no home-made scheduler).

- `serial`: runs each task in the calling thread (one process);
- `process` (default): `ProcessPoolExecutor`;
- `dask`: `distributed.Client(...).get_executor()`, on a scheduler address or a local cluster
  (optional extra `iamgraph[dask]`). The local cluster runs without Dask's diagnostics
  (`LOCAL_DASK_CONFIG`): on a small machine they compete with the tasks for the same cores.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from enum import Enum
from typing import Any

from ..errors import InputError

# Dask settings of the local cluster (a remote cluster keeps its own): no statistical profiler
# (it samples every task thread's stack every 10 ms), and the event loops' monitors at a slower
# pace (system monitor 0.5 s, tick 20 ms and memory monitor 0.1 s by default). There is no
# dashboard to show them; measured on 2 cores, they cost the tasks 8-20 % more CPU. No work
# stealing (a 100 ms callback in the scheduler, which runs in the driver's process: the
# scheduler's queue hands each task to the next free worker, largest first as submitted) and no
# spilling (the tasks keep no data in Dask; the nanny still restarts a worker near the memory limit).
LOCAL_DASK_CONFIG: dict[str, object] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.tick.limit": "60s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.scheduler.work-stealing": False,
    "distributed.worker.memory.target": False,
    "distributed.worker.memory.spill": False,
    "distributed.worker.memory.pause": False,
}


class Mode(str, Enum):
    SERIAL = "serial"
    PROCESS = "process"
    DASK = "dask"


class SerialExecutor(Executor):
    """Runs each submitted call at once, in this thread."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        fut: Future[Any] = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            fut.set_exception(exc)
        return fut


@contextmanager
def executor(mode: Mode, workers: int | None = None, scheduler: str | None = None) -> Iterator[Executor]:
    """The executor for `mode`, shut down (and its cluster closed) on exit."""
    if mode is Mode.SERIAL:
        yield SerialExecutor()
        return
    if mode is Mode.PROCESS:
        with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
            yield pool
        return
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError(
            "--dask-scheduler / --executor dask need the optional extra: pip install 'iamgraph[dask]'"
        ) from None
    if scheduler:
        client = Client(scheduler)
        try:
            yield client.get_executor(pure=False)
        finally:
            client.close()
        return
    # the nannies hand the settings in force to the worker processes they start
    with dask.config.set(LOCAL_DASK_CONFIG):
        cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
        try:
            yield client.get_executor(pure=False)
        finally:
            client.close()
            cluster.close()
