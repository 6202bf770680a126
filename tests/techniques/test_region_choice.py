"""The region of an attacker-named resource is the attacker's choice, and a request on a regional
resource goes to that region (aws:RequestedRegion, evaluate.request_keys): iamgraph tries the
regions the principal's policies name, so a region guard decides the hop instead of leaving it
conditional; a guard that allows no usable region still blocks."""

from __future__ import annotations

from typing import Any

from iamgraph.collect.loader import snapshot_from_json
from iamgraph.graph.build import build_graph
from iamgraph.techniques.case_builders import account, allow, arn, role, trust_service, user

STEPS = ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]
SRC, TARGET = arn("user", "dev"), arn("role", "fn-admin")


def _guard(*regions: str, exempt: tuple[str, ...] = ("iam:*", "sts:*")) -> dict[str, Any]:
    """The usual region guard: Deny everything but `exempt` outside `regions`."""
    return {
        "Effect": "Deny",
        "NotAction": list(exempt),
        "Resource": "*",
        "Condition": {"StringNotEquals": {"aws:RequestedRegion": list(regions)}},
    }


def _edges(*statements: dict[str, Any]) -> list[Any]:
    acct = account(
        users=[user("dev", *statements)], roles=[role("fn-admin", trust_service("lambda.amazonaws.com"), admin=True)]
    )
    g = build_graph(snapshot_from_json([(acct, "region-choice")]))
    return [e for e in g.edges_between(SRC, TARGET) if e.technique == "lambda-001"]


def test_a_region_guard_allowing_another_region_leaves_a_definite_path_there() -> None:
    ev = _edges(allow(STEPS), _guard("eu-west-1"))
    assert ev and not ev[0].conditional
    functions = {r["resource"] for r in ev[0].to_json()["evidence"] if r["action"].startswith("lambda:")}
    assert functions == {"arn:aws:lambda:eu-west-1:111111111111:function:iamgraph"}


def test_an_allow_limited_to_one_region_is_used_in_that_region() -> None:
    ev = _edges(
        allow("iam:PassRole"), allow(STEPS[1:], Condition={"StringEquals": {"aws:RequestedRegion": "ap-south-1"}})
    )
    assert ev and not ev[0].conditional


def test_allow_and_guard_in_disjoint_regions_block() -> None:
    limited = allow(STEPS[1:], Condition={"StringEquals": {"aws:RequestedRegion": "ap-south-1"}})
    assert _edges(allow("iam:PassRole"), limited, _guard("eu-west-1")) == []


def test_a_guard_that_also_covers_iam_leaves_passrole_open() -> None:
    """iam:PassRole is checked inside the Lambda request, whose region the policies do not tie to
    the role ARN: a guard without an IAM exemption keeps the hop conditional, never dropped."""
    ev = _edges(allow(STEPS), _guard("eu-west-1", exempt=("sts:*",)))
    assert ev and ev[0].conditional and "aws:RequestedRegion" in ev[0].conditions
