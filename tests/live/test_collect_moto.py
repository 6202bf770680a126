"""Live collection against an in-process moto account: contents, read-only proof, no secrets."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from livekit import MOTO_UNIMPLEMENTED, ROOT_KEY_ID, ROOT_SECRET

from iamgraph.collect.live import collect_document, enabled_regions, open_account
from iamgraph.collect.readonly import ALLOWED_OPERATIONS, READ_ONLY_PREFIXES, OperationRecorder, ReadOnlyViolation
from iamgraph.collect.snapshot_io import parse_snapshot_document
from iamgraph.errors import InputError


@pytest.fixture(scope="module")
def collected(moto_account: dict[str, Any]) -> tuple[dict[str, Any], OperationRecorder, list[str]]:
    recorder, messages = OperationRecorder(), []
    doc = collect_document(
        profiles=[None],
        regions=["us-east-1"],
        role_arn=None,
        external_id=None,
        progress=messages.append,
        recorder=recorder,
    )
    return doc, recorder, messages


def _account(doc: dict[str, Any]) -> dict[str, Any]:
    assert len(doc["accounts"]) == 1
    return doc["accounts"][0]


def test_gaad_pages_merged_with_all_policy_versions(collected, moto_account):
    acc = _account(collected[0])
    gaad = acc["authorization_details"]
    assert acc["account_id"] == "123456789012"
    users = {u["UserName"]: u for u in gaad["UserDetailList"]}
    assert users["freelancer"]["GroupList"] == ["devs"]
    assert [p["PolicyName"] for p in users["freelancer"]["UserPolicyList"]] == ["deploy"]
    roles = {r["RoleName"]: r for r in gaad["RoleDetailList"]}
    assert roles["lambda-admin"]["AttachedManagedPolicies"][0]["PolicyArn"] == moto_account["admin_policy"]
    versioned = next(p for p in gaad["Policies"] if p["Arn"].endswith(":policy/Versioned"))  # moto omits PolicyName
    assert len(versioned["PolicyVersionList"]) == 2
    assert isinstance(versioned["CreateDate"], str)  # datetimes serialised as ISO text
    json.dumps(collected[0])  # whole document is plain JSON


def test_inventory_resolves_the_role_each_resource_runs_as(collected, moto_account):
    acc = _account(collected[0])
    roles = moto_account["roles"]
    by_arn = {i["arn"]: i for i in acc["inventory"]}
    expected = {
        moto_account["function"]: ("lambda", "function", moto_account["lambda_admin"]),
        moto_account["instance"]: ("ec2", "instance", roles["ec2-role"]),  # via instance profile
        moto_account["launch_template"]: ("ec2", "launch-template", roles["ec2-role"]),
        moto_account["stack"]: ("cloudformation", "stack", roles["cfn-role"]),
        moto_account["project"]: ("codebuild", "project", roles["build-role"]),
        "arn:aws:glue:us-east-1:123456789012:job/etl": ("glue", "job", roles["glue-role"]),
        moto_account["notebook"]: ("sagemaker", "notebook-instance", roles["sm-role"]),
        moto_account["task_definition"]: ("ecs", "task-definition", roles["task-role"]),
        moto_account["ecs_service"]: ("ecs", "service", roles["task-role"]),
        moto_account["ecs_task"]: ("ecs", "task", roles["task-override-role"]),  # the launch override wins
        moto_account["asg_template"]: ("autoscaling", "group", roles["ec2-role"]),  # launch template's profile
        moto_account["asg_config"]: ("autoscaling", "group", roles["ec2-role"]),  # launch configuration's profile
        moto_account["state_machine"]: ("states", "state-machine", roles["sfn-role"]),
        moto_account["job_definition"]: ("batch", "job-definition", roles["task-role"]),
        moto_account["deployment_group"]: ("codedeploy", "deployment-group", roles["ec2-role"]),  # its tagged target
    }
    for arn, (service, rtype, role) in expected.items():
        assert arn in by_arn, arn
        assert (by_arn[arn]["service"], by_arn[arn]["resource_type"], by_arn[arn]["role_arn"]) == (service, rtype, role)
        assert by_arn[arn]["region"] == "us-east-1"
    assert set(acc["inventory_collected"]) == {
        "lambda",
        "ec2",
        "cloudformation",
        "codebuild",
        "glue",
        "sagemaker",
        "ecs",
        "autoscaling",
        "states",
        "batch",
        "cognito-identity",
        "codedeploy",
    }
    pool_arn, pool_id = moto_account["identity_pool"]
    assert by_arn[pool_arn]["extra"] == {"pool_id": pool_id, "allow_unauthenticated": "true"}
    lt_group = by_arn[moto_account["asg_template"]]["extra"]
    assert lt_group == {"launch_template_arn": moto_account["launch_template"], "launch_template_version": "$Latest"}
    assert by_arn[moto_account["ecs_task"]]["extra"]["task_definition"] == moto_account["task_definition"]


def test_resource_policies_of_every_service(collected, moto_account):
    acc = _account(collected[0])
    pols = {p["resource_arn"]: p for p in acc["resource_policies"]}
    for key, service in [
        ("function", "lambda"),
        ("key", "kms"),
        ("queue", "sqs"),
        ("topic", "sns"),
        ("secret", "secretsmanager"),
        ("repo", "ecr"),
    ]:
        assert pols[moto_account[key]]["service"] == service
        assert isinstance(pols[moto_account[key]]["policy"]["Statement"], list)
    bucket = pols["arn:aws:s3:::data-bucket"]["policy"]
    assert bucket["Statement"][0]["Principal"] == {"AWS": moto_account["freelancer"]}
    assert "arn:aws:s3:::no-policy-bucket" not in pols  # no policy: absent, not an error
    lam = pols[moto_account["function"]]["policy"]["Statement"][0]
    assert lam["Principal"] == {"Service": "s3.amazonaws.com"}


def test_identity_providers(collected):
    idps = {p["type"]: p for p in _account(collected[0])["identity_providers"]}
    assert idps["saml"]["arn"].endswith(":saml-provider/corp-idp")
    assert idps["oidc"]["url"] == "token.actions.githubusercontent.com"
    assert idps["oidc"]["client_ids"] == ["sts.amazonaws.com"]


def test_organization_path_with_scps_and_rcps(collected, moto_account):
    org = moto_account["org"]
    path = collected[0]["organization"]["accounts"][org["account"]]
    assert [(n["kind"], n["id"]) for n in path] == [
        ("root", org["root"]),
        ("ou", org["ou"]),
        ("account", org["account"]),
    ]
    assert path[1]["name"] == "Workloads"
    assert org["scp"] in {p["arn"] for p in path[1]["scps"]}
    assert org["rcp"] in {p["arn"] for p in path[0]["rcps"]}
    assert org["scp"] not in {p["arn"] for p in path[0]["scps"] + path[2]["scps"]}
    deny = next(p for p in path[1]["scps"] if p["arn"] == org["scp"])["document"]
    assert deny["Statement"][0]["Action"] == "organizations:LeaveOrganization"


def test_only_moto_unimplemented_apis_are_gaps(collected):
    gaps = _account(collected[0])["collection_gaps"]
    assert {g["api"] for g in gaps} == MOTO_UNIMPLEMENTED
    assert all(f"needs {g['api']}" in g["detail"] for g in gaps)


def test_document_parses_into_a_snapshot(collected, moto_account):
    snap = parse_snapshot_document(collected[0], file="live")
    assert moto_account["lambda_admin"] in snap.roles
    assert any(
        i.arn == moto_account["instance"] and i.role_arn == moto_account["roles"]["ec2-role"] for i in snap.inventory
    )
    assert snap.resource_policy("arn:aws:s3:::data-bucket") is not None
    assert snap.org_paths[moto_account["org"]["account"]][1].scps
    assert "ec2" in snap.inventory_collected and "apprunner" not in snap.inventory_collected


# ---- read-only, provably ------------------------------------------------------------------


def test_every_recorded_operation_is_allow_listed_and_the_run_is_not_trivial(collected):
    ops = collected[1].operations
    assert ops <= set(ALLOWED_OPERATIONS)
    assert len(ops) >= 20
    # the run exercised every family: IAM, inventory, resource policies, Organizations
    services = {s for s, _ in ops}
    assert {"iam", "sts", "lambda", "ec2", "s3", "kms", "organizations", "ecs", "codebuild"} <= services


def test_allow_list_holds_only_read_operations():
    for service, op in ALLOWED_OPERATIONS:
        assert op.startswith(READ_ONLY_PREFIXES), f"{service}:{op}"
        assert not op.startswith(("GetSecretValue", "GetObject", "GetParameter")), f"{service}:{op} reads secrets"


def test_guard_refuses_a_write_before_it_is_sent(moto_account):
    ctx = open_account(None, role_arn=None, external_id=None, recorder=OperationRecorder())
    iam = ctx.client("iam")
    with pytest.raises(ReadOnlyViolation, match="iam:CreateUser"):
        iam.create_user(UserName="should-not-exist")
    with pytest.raises(ReadOnlyViolation, match="sts:AssumeRole"):  # only with --role-arn
        ctx.client("sts").assume_role(RoleArn=moto_account["lambda_admin"], RoleSessionName="probe")
    plain = boto3.client("iam", region_name="us-east-1")
    assert "should-not-exist" not in {u["UserName"] for u in plain.list_users()["Users"]}


# ---- credentials never leak -------------------------------------------------------------------


def test_static_credentials_absent_from_document_and_progress(collected):
    doc, _, messages = collected
    text = json.dumps(doc) + "\n".join(messages)
    assert messages, "progress was reported"
    for secret in (ROOT_KEY_ID, ROOT_SECRET):
        assert secret not in text


def test_role_arn_assumes_then_scans_without_leaking_the_session(moto_account):
    iam = boto3.client("iam", region_name="us-east-1")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}}
        ],
    }
    role = iam.create_role(RoleName="iamgraph-scan", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    recorder, messages = OperationRecorder(), []
    doc = collect_document(
        profiles=[None],
        regions=["us-east-1"],
        role_arn=role,
        external_id="ext-123",
        progress=messages.append,
        recorder=recorder,
    )
    assert ("sts", "AssumeRole") in recorder.operations
    assert recorder.operations - {("sts", "AssumeRole")} <= set(ALLOWED_OPERATIONS)
    assert doc["accounts"][0]["account_id"] == "123456789012"
    assert any("assumed-role/iamgraph-scan" in m for m in messages)
    sts = boto3.client("sts", region_name="us-east-1")
    # the secret half and token of any session moto issued must be absent
    text = json.dumps(doc) + "\n".join(messages)
    from moto.sts.models import sts_backends

    issued_roles = sts_backends["123456789012"]["aws"].assumed_roles
    assert issued_roles, "a session was issued"
    for s in issued_roles:
        for secret in (s.access_key_id, s.secret_access_key, s.session_token):
            assert secret not in text
    assert sts.get_caller_identity()["Account"] == "123456789012"


# ---- regions and credentials ------------------------------------------------------------------


def test_default_regions_are_the_enabled_regions(moto_account):
    ctx = open_account(None, role_arn=None, external_id=None, recorder=OperationRecorder())
    regions = enabled_regions(ctx)
    assert "us-east-1" in regions and "eu-west-1" in regions and len(regions) > 10
    assert regions == sorted(regions)


def test_unknown_profile_is_an_input_error(moto_account):
    with pytest.raises(InputError, match="profile 'nope'"):
        collect_document(profiles=["nope"], regions=["us-east-1"], role_arn=None, external_id=None)


def test_cli_unknown_profile_is_one_line_and_exit_2(moto_account, tmp_path):
    from typer.testing import CliRunner

    from iamgraph.cli import commands_collect  # noqa: F401 - registers the command
    from iamgraph.cli.app import app

    result = CliRunner().invoke(
        app, ["collect", "--profile", "nope", "--region", "us-east-1", "--output", str(tmp_path / "s.json")]
    )
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("iamgraph: error: profile 'nope'")
    assert not (tmp_path / "s.json").exists()
