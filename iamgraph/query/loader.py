"""Discover query modules by path: the bundled queries/ folder plus user folders (--queries DIR)."""

from __future__ import annotations

import importlib.util
import sys
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ..errors import InputError
from .base import Query


def bundled_queries_dir() -> Path:
    """queries/ next to the package in a checkout, or iamgraph/_queries in an installed wheel."""
    here = Path(__file__).resolve().parent.parent
    for cand in (here / "_queries", here.parent / "queries"):
        if cand.is_dir():
            return cand
    raise RuntimeError("bundled queries folder not found")


def load_queries(extra_dirs: Iterable[str | Path] = ()) -> dict[str, Query]:
    """name -> Query, from every `*.py` (not starting with `_`) that defines QUERY (each folder set
    is imported once per process)."""
    return dict(_load(tuple(str(Path(d).resolve()) for d in extra_dirs)))


@lru_cache(maxsize=16)
def _load(extra_dirs: tuple[str, ...]) -> tuple[tuple[str, Query], ...]:
    found: dict[str, Query] = {}
    for d in (bundled_queries_dir(), *map(Path, extra_dirs)):
        if not d.is_dir():
            raise InputError("queries folder not found", file=str(d))
        for f in sorted(d.glob("*.py")):
            if f.name.startswith("_"):
                continue
            mod_name = f"iamgraph_queries_{abs(hash(str(d)))}.{f.stem}"
            spec = importlib.util.spec_from_file_location(mod_name, f)
            if spec is None or spec.loader is None:
                continue
            mod = importlib.util.module_from_spec(spec)
            sys.modules[mod_name] = mod
            spec.loader.exec_module(mod)
            q = getattr(mod, "QUERY", None)
            if q is not None:
                found[q.name] = q
    return tuple(found.items())
