"""Shared by the technique tests: a catalogue case as the Snapshot it describes, and the service
principals an account's trust policies name."""

from __future__ import annotations

from iamgraph.collect.gaad import parse_gaad
from iamgraph.collect.snapshot_io import parse_snapshot_document
from iamgraph.model import Snapshot
from iamgraph.techniques.base import Case, Technique
from iamgraph.techniques.case_builders import ACCOUNT


def case_snapshot(t: Technique, c: Case) -> Snapshot:
    """The case's account (a GAAD, or a snapshot document when it carries inventory)."""
    if not c.inventory and not c.inventory_collected:
        return parse_gaad(c.account, file=f"case:{t.id}:{c.name}")
    doc = {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": [
            {
                "account_id": ACCOUNT,
                "authorization_details": c.account,
                "inventory": list(c.inventory),
                "inventory_collected": list(c.inventory_collected),
            }
        ],
    }
    return parse_snapshot_document(doc, file=f"case:{t.id}:{c.name}")


def trusted_services(snap: Snapshot) -> list[str]:
    """Every service principal a role's trust policy names, sorted."""
    return sorted(
        {
            s
            for r in snap.roles.values()
            for st in r.trust_policy.document.statements
            if st.principal
            for s in st.principal.service
        }
    )
