"""Attacker re-decisions see the request-fixed keys (aws:RequestedRegion, aws:ResourceAccount, ...)
the first decision saw: a condition on such a key is decided in every re-decision too, never left
Unknown (techniques/attacker_view.py `redecide`, evaluate/request_keys.py)."""

from __future__ import annotations

from typing import Any

from iamgraph.collect.snapshot_io import parse_snapshot_document
from iamgraph.evaluate.types import Decision
from iamgraph.graph.build import build_graph
from iamgraph.model import Snapshot
from iamgraph.techniques.account_index import AccountIndex
from iamgraph.techniques.case_builders import ACCOUNT, account, allow, arn, role, trust_service, user
from iamgraph.techniques.evidence import Evidence
from iamgraph.techniques.registry import catalogue

DEV, ADMIN = arn("user", "dev"), arn("role", "fn-admin")
TEAM_TAG = "aws:ResourceTag/team"


def _function(region: str) -> str:
    return f"arn:aws:lambda:{region}:{ACCOUNT}:function:prod-app"


def _snapshot(region: str, *statements: dict[str, Any]) -> Snapshot:
    """`dev` holds `statements`; one function in `region` (tags not in the input) runs as the admin role."""
    gaad = account(
        users=[user("dev", *statements)], roles=[role("fn-admin", trust_service("lambda.amazonaws.com"), admin=True)]
    )
    item = {
        "arn": _function(region),
        "service": "lambda",
        "resource_type": "function",
        "role_arn": ADMIN,
        "region": region,
        "name": "prod-app",
        "extra": {},
    }
    doc = {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": [
            {
                "account_id": ACCOUNT,
                "authorization_details": gaad,
                "inventory": [item],
                "inventory_collected": ["lambda"],
            }
        ],
    }
    return parse_snapshot_document(doc, file="case:redecision")


def _update_code_edges(snapshot: Snapshot) -> list[Evidence]:
    lambda_003 = [t for t in catalogue() if t.id == "lambda-003"]
    g = build_graph(snapshot, lambda_003)
    return [e for e in g.edges_between(DEV, ADMIN) if e.technique == "lambda-003"]


def _tagged_update(*regions: str) -> list[dict[str, Any]]:
    """UpdateFunctionCode on functions tagged team=dev in `regions`, and the right to tag them."""
    cond = {"StringEquals": {TEAM_TAG: "dev", "aws:RequestedRegion": list(regions)}}
    return [allow("lambda:UpdateFunctionCode", Condition=cond), allow("lambda:TagResource")]


def test_a_hop_conditional_only_on_a_fixed_region_becomes_definite() -> None:
    """The function's tags are not in the input (Unknown at first); the attacker tags it team=dev;
    the request goes to us-east-1, which the policy allows: a definite hop with the tag step."""
    edges = _update_code_edges(_snapshot("us-east-1", *_tagged_update("us-east-1")))
    assert edges, "no lambda-003 hop"
    ev = edges[0]
    assert not ev.conditional, ev.to_json()
    assert "aws:RequestedRegion" not in ev.conditions
    assert ev.actions == ("lambda:TagResource", "lambda:UpdateFunctionCode")
    update = next(r for r in ev.to_json()["evidence"] if r["action"] == "lambda:UpdateFunctionCode")
    assert update["context"] == {TEAM_TAG: "dev"}


def test_a_fixed_region_the_condition_excludes_keeps_the_request_denied() -> None:
    """The same policy, the function in eu-west-1: whatever tag the attacker sets, the request goes to
    eu-west-1, which the condition does not allow: no hop (not a hop conditional on the region)."""
    assert _update_code_edges(_snapshot("eu-west-1", *_tagged_update("us-east-1"))) == []
    assert _update_code_edges(_snapshot("eu-west-1", *_tagged_update("us-east-1", "eu-west-1")))


def test_a_redecision_sees_the_resource_account_too() -> None:
    """aws:ResourceAccount is fixed by the ARN: the re-decision (tagging the function first) knows it."""
    own = {"StringEquals": {TEAM_TAG: "dev", "aws:ResourceAccount": ACCOUNT}}
    other = {"StringEquals": {TEAM_TAG: "dev", "aws:ResourceAccount": "999999999999"}}
    tag = allow("lambda:TagResource")
    idx_own = AccountIndex.create(_snapshot("us-east-1", allow("lambda:UpdateFunctionCode", Condition=own), tag))
    idx_other = AccountIndex.create(_snapshot("us-east-1", allow("lambda:UpdateFunctionCode", Condition=other), tag))
    r_own = idx_own.views[DEV].can("lambda:UpdateFunctionCode", _function("us-east-1"))
    r_other = idx_other.views[DEV].can("lambda:UpdateFunctionCode", _function("us-east-1"))
    assert r_own.decision is Decision.ALLOWED and [s.action for s in r_own.steps] == ["lambda:TagResource"]
    assert r_other.decision is Decision.IMPLICIT_DENY and not r_other.unknown_keys
