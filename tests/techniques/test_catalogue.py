"""Every technique runs its own vulnerable and safe cases (the catalogue tests itself)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from techhelpers import case_snapshot

from iamgraph.graph.build import build_graph
from iamgraph.techniques.base import Case, Technique
from iamgraph.techniques.registry import catalogue

CASES = [(t, c) for t in catalogue() for c in t.cases]
DATA = Path(__file__).resolve().parents[2] / "iamgraph" / "techniques" / "data"


@pytest.mark.parametrize("technique,case", CASES, ids=[f"{t.id}:{c.name}" for t, c in CASES])
def test_case(technique: Technique, case: Case) -> None:
    graph = build_graph(case_snapshot(technique, case), [technique])
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
    """A catalog module is named by its technique id; a TOML table sits in the file of its service."""
    import iamgraph.techniques.catalog as cat
    from iamgraph.techniques.families.spec_file import load_file

    folder = Path(cat.__file__).parent
    modules = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
    specs = {t.id: p.stem for p in folder.glob("*.toml") for t in load_file(p)}
    for tid, stem in specs.items():
        assert tid.split("-")[0] == stem, f"{tid} belongs in {tid.split('-')[0]}.toml, not {stem}.toml"
    ids = [t.id for t in catalogue()]
    assert len(ids) == len(set(ids))
    assert {i for i in ids if i not in specs} == {m.replace("_", "-") for m in modules}


def test_all_pathfinding_paths_are_covered() -> None:
    """Every path of the vendored pathfinding.cloud snapshot is a catalogue id."""
    paths = json.loads((DATA / "pathfinding-cloud-paths.json").read_text(encoding="utf-8"))
    ours = {t.id for t in catalogue()}
    theirs = {p["id"] for p in paths["paths"]}
    assert len(theirs) == 65
    assert theirs - ours == set(), f"missing: {sorted(theirs - ours)}"


def test_all_pathfinding_labs_scenarios_are_covered() -> None:
    """Every pathfinding-labs one-hop scenario resolves (through today's public ids, which renumbered
    the EC2 paths) to a technique sharing its distinctive permissions."""
    from iamgraph.techniques.public_catalog import labs_scenarios, resolve

    techniques = catalogue()
    generic = {"iam:PassRole", "sts:AssumeRole"}
    for sc in labs_scenarios():
        t = resolve(sc["pathfinding_cloud_id"], techniques, current=True)
        assert t is not None, f"no technique for {sc['pathfinding_cloud_id']} ({sc['scenario']})"
        shared = set(t.actions) & set(sc["required"])
        assert shared - generic or set(t.actions) <= generic, (t.id, sc["scenario"], sc["required"])


def test_renumbered_ec2_ids_resolve_to_the_right_technique() -> None:
    from iamgraph.techniques.public_catalog import resolve

    techniques = catalogue()
    assert resolve("ec2-003", techniques, current=True).id == "ec2instanceconnect-003"  # type: ignore[union-attr]
    assert resolve("ec2-004", techniques, current=True).id == "ec2-003"  # type: ignore[union-attr]
    assert resolve("ec2-005", techniques, current=True).id == "ec2-004"  # type: ignore[union-attr]
    assert resolve("ec2-003", techniques, current=False).id == "ec2-003"  # type: ignore[union-attr]


def test_every_technique_cites_a_reference() -> None:
    for t in catalogue():
        assert t.references and all(r.startswith("https://") for r in t.references), t.id
