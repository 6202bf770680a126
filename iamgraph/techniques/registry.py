"""The technique catalogue: the specs in iamgraph/techniques/catalog/*.toml plus the catalog modules
(one per technique that needs hand-written cases or its own family class; each defines TECHNIQUE)."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from pathlib import Path

from .base import Technique


@lru_cache(maxsize=1)
def catalogue() -> tuple[Technique, ...]:
    """Every technique, sorted by id; duplicate ids are an error."""
    from . import catalog
    from .families.spec_file import load_dir

    found: list[Technique] = []
    for folder in catalog.__path__:
        found.extend(load_dir(Path(folder)))
    for info in pkgutil.iter_modules(catalog.__path__):
        mod = importlib.import_module(f"{catalog.__name__}.{info.name}")
        t = getattr(mod, "TECHNIQUE", None)
        if isinstance(t, Technique):
            found.append(t)
    ids = [t.id for t in found]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise RuntimeError(f"duplicate technique ids: {sorted(dupes)}")
    return tuple(sorted(found, key=lambda t: t.id))


def by_id() -> dict[str, Technique]:
    """Every technique by id (a fresh dict: callers may change it)."""
    return dict(_by_id())


@lru_cache(maxsize=1)
def _by_id() -> dict[str, Technique]:
    return {t.id: t for t in catalogue()}
