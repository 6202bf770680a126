"""condition_tag_keys reads each distinct document and statement once: the same keys as reading
every document of the snapshot, statement by statement (organisation and resource policies too)."""

from __future__ import annotations

from pathlib import Path

import pytest

from iamgraph import api
from iamgraph.model import Snapshot
from iamgraph.techniques.attacker_view import _documents, condition_tag_keys

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = [
    str(p.relative_to(ROOT))
    for p in (*sorted((ROOT / "samples").glob("*.json")), *sorted((ROOT / "tests" / "accounts").glob("*.json")))
    if p.name != "expected.json"
]


def _every_statement(snapshot: Snapshot) -> frozenset[str]:
    keys: set[str] = set()
    for d in _documents(snapshot):
        for s in d.statements:
            for c in s.conditions:
                low = c.key.lower()
                for marker in (":resourcetag/", ":principaltag/"):
                    if marker in low:
                        keys.add(low.split(marker, 1)[1])
    return frozenset(keys)


@pytest.mark.parametrize("account_file", [*ACCOUNTS, "generated-500"], indirect=True)
def test_the_keys_of_every_statement(account_file: str) -> None:
    """(The generated account's documents share statements, and its conditions name tag keys.)"""
    snap = api.load([str(ROOT / account_file)])
    assert condition_tag_keys(snap) == _every_statement(snap)
