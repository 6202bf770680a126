"""Every technique runs its own vulnerable and safe cases (the catalogue tests itself)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iamgraph.collect.gaad import parse_gaad
from iamgraph.collect.snapshot_io import parse_snapshot_document
from iamgraph.graph.build import build_graph
from iamgraph.techniques.base import Case, Technique
from iamgraph.techniques.registry import catalogue

CASES = [(t, c) for t in catalogue() for c in t.cases]
PATHS = json.loads((Path(__file__).resolve().parents[2].parent / "shared/reference/pathfinding-paths.json").read_text()) \
    if (Path(__file__).resolve().parents[2].parent / "shared/reference/pathfinding-paths.json").exists() else None


def _snapshot(t: Technique, c: Case):
    if not c.inventory and not c.inventory_collected:
        return parse_gaad(c.account, file=f"case:{t.id}:{c.name}")
    doc = {"format": "iamgraph-snapshot", "schema_version": "1",
           "accounts": [{"account_id": "111111111111", "authorization_details": c.account,
                         "inventory": list(c.inventory), "inventory_collected": list(c.inventory_collected)}]}
    return parse_snapshot_document(doc, file=f"case:{t.id}:{c.name}")


@pytest.mark.parametrize("technique,case", CASES, ids=[f"{t.id}:{c.name}" for t, c in CASES])
def test_case(technique: Technique, case: Case) -> None:
    graph = build_graph(_snapshot(technique, case), [technique])
    edges = [e for e in graph.edges_between(case.source, case.target) if e.technique == technique.id]
    if not case.vulnerable:
        assert not edges, f"unexpected edge: {[e.to_json() for e in edges]}"
        return
    assert edges, f"{technique.id}: no edge {case.source} -> {case.target}"
    ev = edges[0]
    assert ev.conditional == case.conditional, ev.to_json()
    assert set(technique.actions) <= set(ev.actions), f"evidence lacks required actions: {ev.actions}"
    for row in ev.to_json()["evidence"]:
        assert row["policy"], f"evidence row without a policy citation: {row}"


def test_every_technique_has_vulnerable_and_safe_case() -> None:
    for t in catalogue():
        kinds = {c.vulnerable for c in t.cases}
        assert kinds == {True, False}, f"{t.id} needs both a vulnerable and a safe case"


def test_ids_are_unique_and_named_like_their_file() -> None:
    import iamgraph.techniques.catalog as cat
    files = {p.stem for p in Path(cat.__file__).parent.glob("*.py") if p.stem != "__init__"}
    ids = {t.id.replace("-", "_") for t in catalogue()}
    assert ids == files


@pytest.mark.skipif(PATHS is None, reason="shared/reference not present")
def test_all_pathfinding_paths_are_covered() -> None:
    ours = {t.id for t in catalogue()}
    theirs = {p["id"] for p in PATHS["paths"]}
    assert theirs - ours == set(), f"missing: {sorted(theirs - ours)}"
