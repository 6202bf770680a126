"""The shipped minimal scan policy: identical to the allow-list, sufficient under moto's IAM
authorization, and a narrower policy degrades the scan into listed gaps instead of failing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from livekit import MOTO_BROKEN_WITH_AUTH, user_keys
from moto.core.authorization import enable_iam_authentication
from typer.testing import CliRunner

from iamgraph.collect.live import collect_document
from iamgraph.collect.readonly import ALLOWED_OPERATIONS, OperationRecorder, iam_action, minimal_policy

DOCS_POLICY = Path(__file__).resolve().parents[2] / "docs" / "minimal-scan-policy.json"


def _collect_as(key: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], OperationRecorder]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key[0])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key[1])
    recorder = OperationRecorder()
    with enable_iam_authentication():
        doc = collect_document(
            profiles=[None], regions=["us-east-1"], role_arn=None, external_id=None, recorder=recorder
        )
    return doc, recorder


def test_shipped_policy_file_is_the_generated_one():
    assert json.loads(DOCS_POLICY.read_text()) == minimal_policy()


def test_print_policy_command_prints_it():
    from iamgraph.cli import commands_collect  # noqa: F401 - registers the commands
    from iamgraph.cli.app import app

    result = CliRunner().invoke(app, ["print-policy"])
    assert result.exit_code == 0
    assert json.loads(result.output) == minimal_policy()


def test_every_allow_listed_operation_maps_to_an_action_in_the_policy():
    actions = set(minimal_policy()["Statement"][0]["Action"])
    assert {iam_action(*op) for op in ALLOWED_OPERATIONS} == actions
    assert iam_action("s3", "ListBuckets") == "s3:ListAllMyBuckets"  # the one renamed action


def test_minimal_policy_is_sufficient_under_enforced_iam(moto_account, monkeypatch):
    key = user_keys("scanner-minimal", minimal_policy())
    doc, recorder = _collect_as(key, monkeypatch)
    acc = doc["accounts"][0]
    unexpected = [g for g in acc["collection_gaps"] if g["api"] not in MOTO_BROKEN_WITH_AUTH]
    assert unexpected == []
    assert not any("AccessDenied" in g["detail"] for g in acc["collection_gaps"])
    # the data really came through the authorised calls
    assert {r["RoleName"] for r in acc["authorization_details"]["RoleDetailList"]} >= {"lambda-admin", "ec2-role"}
    assert {p["service"] for p in acc["resource_policies"]} >= {"s3", "kms", "sqs", "sns", "secretsmanager", "ecr"}
    assert moto_account["org"]["account"] in doc["organization"]["accounts"]
    # every action the collector issued is granted by the policy
    granted = set(minimal_policy()["Statement"][0]["Action"])
    assert {iam_action(*op) for op in recorder.operations} <= granted
    assert key[0] not in json.dumps(doc) and key[1] not in json.dumps(doc)


def test_narrower_policy_degrades_into_gaps(moto_account, monkeypatch):
    full = minimal_policy()["Statement"][0]["Action"]
    dropped = {
        "kms:ListKeys",
        "ecs:ListTaskDefinitions",
        "organizations:ListRoots",
        "ec2:DescribeInstances",
        "s3:GetBucketPolicy",
        "iam:ListSAMLProviders",
    }
    narrow = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": [a for a in full if a not in dropped], "Resource": "*"}],
    }
    doc, _ = _collect_as(user_keys("scanner-narrow", narrow), monkeypatch)
    acc = doc["accounts"][0]
    denied = {g["api"]: g for g in acc["collection_gaps"] if "AccessDenied" in g["detail"]}
    assert set(denied) == dropped
    assert all(f"needs {api}" in g["detail"] for api, g in denied.items())
    assert "SCPs/RCPs not readable; analysis assumes none" in denied["organizations:ListRoots"]["detail"]
    # the scan still finished with what it could read
    assert acc["authorization_details"]["UserDetailList"]
    assert "organization" not in doc
    assert "ec2" not in acc["inventory_collected"] and "ecs" not in acc["inventory_collected"]
    assert {"cloudformation", "codebuild", "glue", "sagemaker"} <= set(acc["inventory_collected"])
    services = {p["service"] for p in acc["resource_policies"]}
    assert "kms" not in services and "s3" not in services and "sqs" in services
    assert not any(i["service"] == "ec2" and i["resource_type"] == "instance" for i in acc["inventory"])
    assert any(i["resource_type"] == "launch-template" for i in acc["inventory"])  # other ec2 reader ran
    assert [p["type"] for p in acc["identity_providers"]] == ["oidc"]


def test_denied_region_listing_falls_back_to_the_session_region(moto_account, monkeypatch):
    from iamgraph.collect.live import enabled_regions, open_account

    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"}],
    }
    key = user_keys("scanner-no-regions", policy)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key[0])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key[1])
    with enable_iam_authentication():
        ctx = open_account(None, role_arn=None, external_id=None, recorder=OperationRecorder())
        assert enabled_regions(ctx) == ["us-east-1"]
    assert ctx.gaps.gaps[0]["api"] == "ec2:DescribeRegions"
    assert "only us-east-1 collected" in ctx.gaps.gaps[0]["detail"]
