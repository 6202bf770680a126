"""The technique catalogue, discovered from iamgraph/techniques/catalog/ (one module per technique)."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from .base import Technique


@lru_cache(maxsize=1)
def catalogue() -> tuple[Technique, ...]:
    """Every technique, sorted by id. A module is a technique if it defines TECHNIQUE."""
    from . import catalog

    found: list[Technique] = []
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
    return {t.id: t for t in catalogue()}
