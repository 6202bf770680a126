"""Discover query modules by path: the bundled queries/ folder plus user folders (--queries DIR).

A query module `some_name.py` defines `QUERY`, a QueryDef whose id is the file name with `-` for `_`
(`some-name`). Ids are unique: a user query never replaces a bundled one (or another user query)
silently; every problem is one InputError naming the file.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import InputError
from .base import QueryDef


def bundled_queries_dir() -> Path:
    """queries/ next to the package in a checkout, or iamgraph/_queries in an installed wheel."""
    here = Path(__file__).resolve().parent.parent
    for cand in (here / "_queries", here.parent / "queries"):
        if cand.is_dir():
            return cand
    raise RuntimeError("bundled queries folder not found")


def query_id_for(file: Path) -> str:
    """The id a query module must declare: its file name without `.py`, `_` written `-`."""
    return file.stem.replace("_", "-")


def load_queries(extra_dirs: Iterable[str | Path] = ()) -> dict[str, QueryDef[Any]]:
    """id -> QueryDef, bundled first, from every `*.py` (not starting with `_`) of each folder
    (each folder set is imported once per process)."""
    return dict(_load(tuple(str(Path(d).resolve()) for d in extra_dirs)))


def default_queries(extra_dirs: Iterable[str | Path] = ()) -> tuple[str, ...]:
    """Ids of the queries `scan` runs without `--query` (those declaring `default=True`)."""
    return tuple(q.id for q in load_queries(extra_dirs).values() if q.default)


@lru_cache(maxsize=16)
def _load(extra_dirs: tuple[str, ...]) -> tuple[tuple[str, QueryDef[Any]], ...]:
    found: dict[str, QueryDef[Any]] = {}
    origin: dict[str, Path] = {}
    for d in dict.fromkeys((bundled_queries_dir(), *map(Path, extra_dirs))):
        if not d.is_dir():
            raise InputError("queries folder not found", file=str(d))
        for f in sorted(d.glob("*.py")):
            if f.name.startswith("_"):
                continue
            q = _import(f, d)
            if q is None:
                continue
            if q.id in found:
                raise InputError(
                    f"query id {q.id!r} is already defined by {origin[q.id]}; a query folder cannot "
                    "replace a query (choose another file name)",
                    file=str(f),
                )
            found[q.id] = q
            origin[q.id] = f
    return tuple(found.items())


def _import(f: Path, folder: Path) -> QueryDef[Any] | None:
    mod_name = f"iamgraph_queries_{abs(hash(str(folder)))}.{f.stem}"
    spec = importlib.util.spec_from_file_location(mod_name, f)
    if spec is None or spec.loader is None:
        return None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[mod_name] = mod
    try:
        spec.loader.exec_module(mod)
    except Exception as exc:
        sys.modules.pop(mod_name, None)
        raise InputError(f"cannot load query module: {type(exc).__name__}: {exc}", file=str(f)) from None
    q = getattr(mod, "QUERY", None)
    if q is None:
        return None
    if not isinstance(q, QueryDef):
        raise InputError("QUERY must be an iamgraph.query.base.QueryDef", file=str(f), path="QUERY")
    if q.id != query_id_for(f):
        raise InputError(
            f"query id {q.id!r} does not match the file name (expected {query_id_for(f)!r})",
            file=str(f),
            path="QUERY.id",
        )
    try:
        q.parameters()
    except TypeError as exc:
        raise InputError(str(exc), file=str(f), path="QUERY.params") from None
    return q
