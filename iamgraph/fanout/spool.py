"""Disk-backed stores of the fan-out driver, so its memory does not grow with the organisation.

`RowFile` / `read_rows`: JSON rows (stub roles, customer managed policies) written once by the
driver and read back by place in the tasks. `HopStore`: hop rows (a path hop's JSON and its
remediation) appended to one file, read back by id (a small LRU of parsed rows). `FindingRuns`: findings written as sorted runs per severity, then
streamed in one global order (runs that do not overlap are concatenated, the others merged).
"""

from __future__ import annotations

import heapq
import itertools
import json
import os
from array import array
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

Key = tuple[str, str, str]  # (source, target, id): the order of findings of one severity
PATH_REF = 1 << 39  # a ref with this bit: a path of rows (`HopStore.path`), else one row's id
Place = tuple[int, int, int, int, bool]  # a hop row: file id, offset, hop bytes, remediation bytes, replaced


class RowFile:
    """JSON values appended to one file; `add` returns the place [offset, length] `read_rows` takes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh = path.open("wb")
        self._end = 0

    def add(self, value: Any) -> list[int]:
        data = json.dumps(value, ensure_ascii=False).encode()
        self._fh.write(data)
        at = [self._end, len(data)]
        self._end += len(data)
        return at

    def close(self) -> None:
        self._fh.close()


def read_rows(path: str, places: Sequence[Sequence[int]]) -> list[Any]:
    """The values of a `RowFile` at `places`, in that order."""
    if not places:
        return []
    fd = os.open(path, os.O_RDONLY)
    try:
        return [json.loads(os.pread(fd, n, off)) for off, n in places]
    finally:
        os.close(fd)


class HopStore:
    """Hop rows on disk, in the files the tasks wrote (`worker.HopFile`): `ref` registers a place
    (file, [offset, hop bytes, remediation bytes]) and returns an id; `place_of` / `place` give a
    row's place, `load` the parsed (hop, remediation), through a small LRU of parsed rows (bounded
    by their bytes) and of open files. A row may ask for one
    literal text replacement in its hop's JSON (the SCP editors, known only after every summary),
    applied as the driver always did: on `json.dumps(hop)`."""

    def __init__(self, cache_bytes: int = 250_000, open_files: int = 32) -> None:
        self._files: dict[str, int] = {}
        self._paths: list[str] = []
        self._fds: OrderedDict[int, int] = OrderedDict()
        self._max_fds = open_files
        self._fid = array("i")
        self._off = array("q")
        self._nh = array("i")
        self._nr = array("i")
        self._replaced = bytearray()
        self._path_at = array("I", [0])
        self._path_ids = array("I")
        self._cache: OrderedDict[tuple[int, int], tuple[tuple[dict[str, Any], str], int]] = OrderedDict()
        self._budget = cache_bytes  # of the cached rows' JSON (parsed, they take about 6x that)
        self._cached = 0
        self.replace: tuple[str, str] | None = None

    def file(self, path: str) -> int:
        fid = self._files.get(path)
        if fid is None:
            fid = self._files[path] = len(self._paths)
            self._paths.append(path)
        return fid

    def ref(self, path: str, at: Sequence[int], *, replaced: bool = False) -> int:
        self._fid.append(self.file(path))
        self._off.append(at[0])
        self._nh.append(at[1])
        self._nr.append(at[2])
        self._replaced.append(replaced)
        return len(self._fid) - 1

    def path(self, ids: Sequence[int]) -> int:
        """A ref standing for the rows `ids` in that order (one row: its id)."""
        if len(ids) == 1:
            return ids[0]
        self._path_ids.extend(ids)
        self._path_at.append(len(self._path_ids))
        return PATH_REF | (len(self._path_at) - 2)

    def hops(self, ref: int) -> Sequence[int]:
        """The row ids a `ref` or `path` stands for."""
        if not ref & PATH_REF:
            return (ref,)
        k = ref & ~PATH_REF
        return self._path_ids[self._path_at[k] : self._path_at[k + 1]]

    def place_of(self, i: int) -> Place:
        """Where row `i` (a `ref`) is."""
        return (self._fid[i], self._off[i], self._nh[i], self._nr[i], bool(self._replaced[i]))

    def place(self, path: str, at: Sequence[int]) -> Place:
        """Where the row at `at` of file `path` is (not registered)."""
        return (self.file(path), at[0], at[1], at[2], False)

    def load(self, place: Place) -> tuple[dict[str, Any], str]:
        """The parsed (hop, remediation) at `place`; rows are cached by (file, offset)."""
        fid, off, nh, nr, replaced = place
        key = (fid, off)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit[0]
        raw = os.pread(self._fd(fid), nh + nr, off)
        text = raw[:nh].decode()
        if replaced and self.replace is not None:
            text = text.replace(*self.replace)
        row = (json.loads(text), json.loads(raw[nh:]))
        self._cache[key] = (row, nh + nr)
        self._cached += nh + nr
        while self._cached > self._budget and len(self._cache) > 1:
            self._cached -= self._cache.popitem(last=False)[1][1]
        return row

    def _fd(self, fid: int) -> int:
        fd = self._fds.get(fid)
        if fd is not None:
            self._fds.move_to_end(fid)
            return fd
        fd = self._fds[fid] = os.open(self._paths[fid], os.O_RDONLY)
        if len(self._fds) > self._max_fds:
            os.close(self._fds.popitem(last=False)[1])
        return fd

    def __len__(self) -> int:
        return len(self._fid)

    def close(self) -> None:
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()


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
