"""One module decides which policies apply to a request; simulate and who-can agree through it.

Pins two divergences found in review: a bucket policy granting an object read was seen by
`simulate` but not by `who-can`, and `sts:SetContext` on a role that trusts only Lambda was allowed
by `simulate` (a trust action is decided by the role's trust policy: IAM User Guide, "Role trust
policies"; STS API reference, AssumeRole `ProvidedContexts` / sts:SetContext).
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from iamgraph import api
from iamgraph.cli import commands_scan, commands_simulate  # noqa: F401 - register the commands
from iamgraph.cli.app import app
from iamgraph.evaluate import applicable

ACCT = "111122223333"
ALICE = f"arn:aws:iam::{ACCT}:user/alice"
BUCKET = "arn:aws:s3:::reports"
OBJECT = f"{BUCKET}/q3.csv"
LAMBDA_ROLE = f"arn:aws:iam::{ACCT}:role/fn-exec"


def _snapshot(tmp_path: Path) -> Path:
    doc = {"Version": "2012-10-17"}
    gaad = {
        "UserDetailList": [
            {
                "UserName": "alice",
                "Arn": ALICE,
                "Path": "/",
                "UserPolicyList": [
                    {
                        "PolicyName": "ctx",
                        "PolicyDocument": {
                            **doc,
                            "Statement": [
                                {"Sid": "Ctx", "Effect": "Allow", "Action": "sts:SetContext", "Resource": "*"}
                            ],
                        },
                    }
                ],
            }
        ],
        "GroupDetailList": [],
        "RoleDetailList": [
            {
                "RoleName": "fn-exec",
                "Arn": LAMBDA_ROLE,
                "Path": "/",
                "AssumeRolePolicyDocument": {
                    **doc,
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "lambda.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                },
            }
        ],
        "Policies": [],
    }
    bucket_policy = {
        **doc,
        "Statement": [
            {
                "Sid": "AliceReads",
                "Effect": "Allow",
                "Principal": {"AWS": ALICE},
                "Action": "s3:GetObject",
                "Resource": f"{BUCKET}/*",
            }
        ],
    }
    snap = {
        "format": "iamgraph-snapshot",
        "schema_version": "1",
        "accounts": [
            {
                "account_id": ACCT,
                "authorization_details": gaad,
                "resource_policies": [{"resource_arn": BUCKET, "service": "s3", "policy": bucket_policy}],
            }
        ],
    }
    path = tmp_path / "snap.json"
    path.write_text(json.dumps(snap))
    return path


def _simulate(path: Path, action: str, resource: str) -> str:
    result = CliRunner().invoke(
        app,
        [
            "simulate",
            "--input",
            str(path),
            "--principal",
            ALICE,
            "--action",
            action,
            "--resource",
            resource,
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    return str(json.loads(result.output)["decision"])


def test_object_read_through_the_bucket_policy_is_seen_by_simulate_and_who_can(tmp_path: Path) -> None:
    path = _snapshot(tmp_path)
    snapshot = api.load([path])
    policy = applicable.resource_policy_for(snapshot, "s3:GetObject", OBJECT)
    assert policy is not None and policy.document.statements[0].sid == "AliceReads"
    assert _simulate(path, "s3:GetObject", OBJECT) == "Allowed"
    result = CliRunner().invoke(app, ["who-can", "s3:GetObject", OBJECT, "--input", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)["findings"]
    assert [f["source"] for f in findings] == [ALICE]
    cited = findings[0]["path"][0]["evidence"][0]
    assert cited["sid"] == "AliceReads"


def test_set_context_on_a_role_that_trusts_only_lambda_is_denied(tmp_path: Path) -> None:
    path = _snapshot(tmp_path)
    snapshot = api.load([path])
    assert applicable.is_trust_action("sts:SetContext")
    trust = applicable.resource_policy_for(snapshot, "sts:SetContext", LAMBDA_ROLE)
    assert trust is not None and trust.document.statements[0].principal is not None
    assert _simulate(path, "sts:SetContext", LAMBDA_ROLE) == "ImplicitlyDenied"
    # the identity policy alone still allows it on a resource that has no trust policy
    assert _simulate(path, "sts:SetContext", "*") == "Allowed"


def test_a_role_trust_policy_never_applies_to_non_trust_actions(tmp_path: Path) -> None:
    snapshot = api.load([_snapshot(tmp_path)])
    assert applicable.resource_policy_for(snapshot, "iam:GetRole", LAMBDA_ROLE) is None
    assert applicable.resource_policy_for(snapshot, "sts:AssumeRole", LAMBDA_ROLE) is not None


def test_principal_context_is_shared_by_simulate_and_the_graph(tmp_path: Path) -> None:
    snapshot = api.load([_snapshot(tmp_path)])
    pc = applicable.principal_context(snapshot, ALICE)
    assert pc is not None
    assert pc.values["aws:username"] == "alice" and pc.values["aws:PrincipalType"] == "User"
    assert "aws:principaltagkeys" in pc.absent
    graph = api.build_graph(snapshot)
    assert dict(graph.context.views[ALICE].base_context) == pc.values
    session = f"arn:aws:sts::{ACCT}:assumed-role/fn-exec/s1"
    spc = applicable.principal_context(snapshot, session)
    assert spc is not None and spc.values["aws:PrincipalArn"] == LAMBDA_ROLE
    assert "aws:username" in spc.absent
    assert applicable.principal_context(snapshot, f"arn:aws:iam::{ACCT}:user/nobody") is None


def test_identity_policy_set_is_the_keyword_set() -> None:
    """identity_policy_set builds its PolicySet positionally: the same set as by keywords, with
    every other field at its default (a reordered PolicySet, or levels swapped, fail here)."""
    from dataclasses import fields

    from iamgraph.evaluate.types import PolicySet

    assert [f.name for f in fields(PolicySet)][:5] == ["identity", "boundaries", "session", "scps", "rcps"]
    for path in ("samples/multi-hop-chain.json", "tests/accounts/pathfinding_principal_access.json"):
        snap = api.load([path])
        some = [p for u in snap.users.values() for p in u.inline_policies] + [
            r.trust_policy for r in snap.roles.values()
        ]
        given = (((some[0],), (some[-1], some[0])), ((some[-1],),))  # SCP and RCP levels, told apart
        for arn in (*snap.users, *snap.roles):
            acct = arn.split(":")[4]
            for levels in (None, given):
                got = applicable.identity_policy_set(snap, arn, levels=levels)
                scps, rcps = levels or (snap.scp_levels(acct), snap.rcp_levels(acct))
                want = PolicySet(
                    identity=snap.identity_policies(arn),
                    boundaries=snap.boundary_policies(arn),
                    scps=scps,
                    rcps=rcps,
                )
                assert got == want and got.session is None and got.resource is None
                assert got.resource_account is None
