"""Public entry: input files (GAAD or iamgraph snapshot, any mix) -> one Snapshot.

Raises only InputError for bad input; each message names the file and the JSON path.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Snapshot
from .assemble import SnapshotParts, finish
from .files import read_json
from .gaad import read_gaad_into
from .snapshot_io import is_snapshot_document, read_snapshot_into


def read_input_into(parts: SnapshotParts, obj: Any, *, file: str | None) -> None:
    """Add one parsed input (snapshot document, GAAD page or list of pages) to `parts`."""
    if is_snapshot_document(obj):
        read_snapshot_into(parts, obj, file=file)
    else:
        read_gaad_into(parts, obj, file=file)


def snapshot_from_json(objs: Sequence[tuple[Any, str | None]]) -> Snapshot:
    """Like load_snapshot, for inputs already parsed: a sequence of (JSON value, file name)."""
    parts = SnapshotParts()
    for obj, file in objs:
        read_input_into(parts, obj, file=file)
    return finish(parts)


def load_snapshot(paths: Sequence[str | Path]) -> Snapshot:
    """Read every path (GAAD file, list of GAAD pages, or snapshot) and merge them into one
    Snapshot: accounts merged, entities deduplicated by ARN, references checked at the end."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if not paths:
        raise InputError("no input file given")
    parts = SnapshotParts()
    for p in paths:
        read_input_into(parts, read_json(p), file=str(p))
    return finish(parts)
