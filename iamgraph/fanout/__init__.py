"""Analysis of an organisation fanned out per account behind a concurrent.futures.Executor."""

from .driver import FanoutStats, run_fanout, write_fanout
from .executors import Mode, SerialExecutor, executor
from .manifest import Manifest, read_manifest, split_snapshot, write_manifest

__all__ = [
    "FanoutStats",
    "Manifest",
    "Mode",
    "SerialExecutor",
    "executor",
    "read_manifest",
    "run_fanout",
    "split_snapshot",
    "write_fanout",
    "write_manifest",
]
