"""Shared by the loader's fast-path tests: the account files they read, and every field of a
model value as plain data (exact types, compare=False fields too) for exact comparisons."""

from __future__ import annotations

import dataclasses
import enum
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = [
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "samples").glob("*.json")),
    *sorted(
        str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "accounts").glob("*.json") if p.name != "expected.json"
    ),
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "data" / "gaad").glob("*.json")),
    "generated-500",
]


def fields_of(x: Any, skip: frozenset[str] = frozenset()) -> Any:
    """Every field of a model value, recursively, with exact types (compare=False fields too;
    fields named in `skip` left out at every level)."""
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return (
            type(x).__name__,
            tuple((f.name, fields_of(getattr(x, f.name), skip)) for f in dataclasses.fields(x) if f.name not in skip),
        )
    if isinstance(x, enum.Enum):
        return (type(x).__name__, x.value)
    if isinstance(x, dict):
        return ("dict", tuple((fields_of(k, skip), fields_of(v, skip)) for k, v in x.items()))
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, tuple(fields_of(v, skip) for v in x))
    return (type(x).__name__, repr(x))
