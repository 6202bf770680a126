"""Executors for the fan-out: all are `concurrent.futures.Executor`s (no home-made scheduler).

- `serial`: runs each task in the calling thread (one process);
- `process` (default): `ProcessPoolExecutor`;
- `dask`: `distributed.Client(...).get_executor()`, on a scheduler address or a local cluster
  (optional extra `iamgraph[dask]`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from enum import Enum
from typing import Any

from ..errors import InputError


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
    cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    try:
        yield client.get_executor(pure=False)
    finally:
        client.close()
        cluster.close()
