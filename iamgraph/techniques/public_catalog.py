"""The public catalogues iamgraph follows, vendored in techniques/data/ (Apache-2.0, NOTICE files there).

- `pathfinding-cloud-paths.json`: pathfinding.cloud at the snapshot whose ids the catalogue keeps;
- `pathfinding-labs-scenarios.json`: pathfinding-labs scenarios and the pathfinding.cloud id each
  carries today (the EC2 paths were renumbered there: a technique lists such ids in `public_ids`);
- `pathfinding-cloud-later-ids.json`: the ids of the later pathfinding.cloud tree (ids only).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .base import Technique

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True, slots=True, kw_only=True)
class PublicSource:
    """One vendored catalogue: its name, provenance line and the public ids it lists."""

    name: str
    source: str
    ids: tuple[str, ...]
    current_ids: bool  # its ids are today's public ids (renumbered ones resolve via public_ids)


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def sources() -> tuple[PublicSource, ...]:
    cloud = _load("pathfinding-cloud-paths.json")
    labs = _load("pathfinding-labs-scenarios.json")
    later = _load("pathfinding-cloud-later-ids.json")
    return (
        PublicSource(
            name="pathfinding.cloud (snapshot)",
            source=cloud["source"],
            ids=tuple(p["id"] for p in cloud["paths"]),
            current_ids=False,
        ),
        PublicSource(
            name="pathfinding-labs",
            source=labs["source"],
            ids=tuple(dict.fromkeys(s["pathfinding_cloud_id"] for s in labs["scenarios"])),
            current_ids=True,
        ),
        PublicSource(
            name="pathfinding.cloud (later tree)", source=later["source"], ids=tuple(later["ids"]), current_ids=True
        ),
    )


def labs_scenarios() -> list[dict[str, Any]]:
    """The vendored pathfinding-labs scenarios (id, name, required permissions, scenario path)."""
    rows: list[dict[str, Any]] = _load("pathfinding-labs-scenarios.json")["scenarios"]
    return rows


def resolve(public_id: str, techniques: tuple[Technique, ...], *, current: bool) -> Technique | None:
    """The technique a public id names. For a source listing today's ids (`current`), a technique
    that claims the id in `public_ids` wins, and a technique whose own id was renumbered away
    (it has `public_ids`) does not answer to it; the snapshot's ids are the catalogue's own ids."""
    if current:
        for t in techniques:
            if public_id in t.public_ids:
                return t
    for t in techniques:
        if t.id == public_id and (not current or not t.public_ids):
            return t
    return None
