"""Disk-backed stores of the fan-out driver, so its memory does not grow with the organisation.

`HopStore`: hop rows (a path hop's JSON and its remediation) appended to one file, read back by id
(a small LRU of parsed rows). `FindingRuns`: findings written as sorted runs per severity, then
streamed in one global order (runs that do not overlap are concatenated, the others merged).
"""

from __future__ import annotations

import heapq
import itertools
import json
import os
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

Key = tuple[str, str, str]  # (source, target, id): the order of findings of one severity


class HopStore:
    """Hop rows on disk: `put` returns an id, `get` the parsed (hop, remediation). A row may ask for
    one literal text replacement in the hop's JSON (the SCP editors, known only after every
    summary), applied as the driver always did: on `json.dumps(hop)`."""

    def __init__(self, path: Path, cache_size: int = 4096) -> None:
        self._fh = open(path, "w+b")
        self._where: list[tuple[int, int, int]] = []  # offset, hop bytes, remediation bytes
        self._cache: OrderedDict[int, tuple[dict[str, Any], str]] = OrderedDict()
        self._size = cache_size
        self._end = 0
        self.replace: tuple[str, str] | None = None
        self._replaced: set[int] = set()

    def put(self, row: dict[str, Any], *, replaced: bool = False) -> int:
        hop = json.dumps(row["hop"]).encode()
        rem = json.dumps(row["remediation"]).encode()
        self._fh.seek(self._end)
        self._fh.write(hop)
        self._fh.write(rem)
        self._where.append((self._end, len(hop), len(rem)))
        self._end += len(hop) + len(rem)
        i = len(self._where) - 1
        if replaced:
            self._replaced.add(i)
        return i

    def get(self, i: int) -> tuple[dict[str, Any], str]:
        hit = self._cache.get(i)
        if hit is not None:
            self._cache.move_to_end(i)
            return hit
        off, nh, nr = self._where[i]
        self._fh.flush()
        raw = os.pread(self._fh.fileno(), nh + nr, off)
        text = raw[:nh].decode()
        if i in self._replaced and self.replace is not None:
            text = text.replace(*self.replace)
        row = (json.loads(text), json.loads(raw[nh:]))
        self._cache[i] = row
        if len(self._cache) > self._size:
            self._cache.popitem(last=False)
        return row

    def __len__(self) -> int:
        return len(self._where)

    def close(self) -> None:
        self._fh.close()


@dataclass(frozen=True, slots=True, kw_only=True)
class _Run:
    offset: int
    count: int
    first: Key
    last: Key


class FindingRuns:
    """Per-severity files of rendered findings. A run is a sequence of findings added in ascending
    key order (`add` ... `end_run`); `stream(severity)` yields the texts of all runs of that
    severity in ascending key order."""

    def __init__(self, directory: Path) -> None:
        self._dir = directory
        self._files: dict[str, BinaryIO] = {}
        self._runs: dict[str, list[_Run]] = {}
        self._open: dict[str, tuple[int, int, Key, Key]] = {}  # severity -> offset, count, first, last

    def add(self, severity: str, key: Key, text: str) -> None:
        fh = self._files.get(severity)
        if fh is None:
            fh = self._files[severity] = open(self._dir / f"findings-{severity}.bin", "w+b")
            self._runs[severity] = []
        data = text.encode()
        cur = self._open.get(severity)
        if cur is None:
            cur = (fh.tell(), 0, key, key)
        elif key <= cur[3]:
            raise ValueError(f"findings of a run out of order: {key} after {cur[3]}")
        fh.write(json.dumps([*key, len(data)], ensure_ascii=False).encode() + b"\n" + data)
        self._open[severity] = (cur[0], cur[1] + 1, cur[2], key)

    def end_run(self) -> None:
        for sev, (off, n, first, last) in self._open.items():
            self._runs[sev].append(_Run(offset=off, count=n, first=first, last=last))
        self._open.clear()

    def stream(self, severity: str) -> Iterator[str]:
        self.end_run()
        runs = sorted(self._runs.get(severity, ()), key=lambda r: r.first)
        if not runs:
            return
        fh = self._files[severity]
        fh.flush()
        path = self._dir / f"findings-{severity}.bin"
        # chains of runs that follow one another: one reader each; overlapping chains are merged
        chains: list[list[_Run]] = []
        for r in runs:
            for ch in chains:
                if ch[-1].last < r.first:
                    ch.append(r)
                    break
            else:
                chains.append([r])
        iters = [itertools.chain.from_iterable(_read(path, r) for r in ch) for ch in chains]
        for _key, text in heapq.merge(*iters, key=lambda kt: kt[0]):
            yield text

    def close(self) -> None:
        for fh in self._files.values():
            fh.close()


def _read(path: Path, run: _Run) -> Iterator[tuple[Key, str]]:
    with open(path, "rb") as fh:
        fh.seek(run.offset)
        for _ in range(run.count):
            src, tgt, fid, n = json.loads(fh.readline())
            yield (src, tgt, fid), fh.read(n).decode()
