"""`iamgraph simulate`: batch line format (issue 2 §4) and snapshot mode."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from iamgraph.cli.commands_simulate import simulate
from iamgraph.collect.policy_parse import parse_policy_document
from iamgraph.model import Policy, PolicyKind, PolicyRef, Role, Snapshot, User
from iamgraph.simulate.batch import run_batch

ACCT = "111122223333"
BOB = f"arn:aws:iam::{ACCT}:user/bob"
ALLOW_S3 = {"Version": "2012-10-17", "Statement": [{"Sid": "S3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}


def line(**kw: object) -> str:
    base: dict[str, object] = {"id": "x", "principal": BOB, "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"}
    base.update(kw)
    return json.dumps(base)


def out(*lines: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(o) for o in run_batch(lines)]


def test_batch_output_shape_and_citation_ids() -> None:
    scp_full = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    (r,) = out(line(identity_policies=[ALLOW_S3], scps=[[scp_full], [scp_full]], permission_boundaries=[ALLOW_S3]))
    assert r["id"] == "x" and r["decision"] == "Allowed" and r["denied_by"] == []
    assert {c["policy"] for c in r["allowed_by"]} == {
        "identity_policies[0]",
        "permission_boundaries[0]",
        "scps[0][0]",
        "scps[1][0]",
    }
    assert {"policy": "identity_policies[0]", "statement": 0, "sid": "S3"} in r["allowed_by"]
    assert "unknown_keys" not in r


def test_batch_deny_cites_resource_policy() -> None:
    rp = {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "D", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}],
    }
    (r,) = out(line(identity_policies=[ALLOW_S3], resource_policy=rp))
    assert r["decision"] == "ExplicitlyDenied" and r["denied_by"] == [
        {"policy": "resource_policy", "statement": 0, "sid": "D"}
    ]


def test_batch_is_concrete_unless_unknown_keys_given() -> None:
    cond = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:*",
                "Resource": "*",
                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
            }
        ],
    }
    a, b, c = out(
        line(identity_policies=[cond]),
        line(identity_policies=[cond], unknown_context_keys=["aws:MultiFactorAuthPresent"]),
        line(identity_policies=[cond], context={"aws:MultiFactorAuthPresent": True}),
    )
    assert a["decision"] == "ImplicitlyDenied"
    assert b["decision"] == "Unknown" and b["unknown_keys"] == ["aws:MultiFactorAuthPresent"]
    assert c["decision"] == "Allowed"


def test_batch_nothing_is_derived_from_the_principal() -> None:
    home = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/${aws:username}/*"}],
    }
    a, b = out(
        line(resource="arn:aws:s3:::b/bob/k", identity_policies=[home]),
        line(resource="arn:aws:s3:::b/bob/k", identity_policies=[home], context={"aws:username": "bob"}),
    )
    assert a["decision"] == "ImplicitlyDenied" and b["decision"] == "Allowed"


def test_batch_string_and_urlencoded_documents_and_cross_account() -> None:
    from urllib.parse import quote

    rp = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": ACCT}, "Action": "s3:GetObject", "Resource": "*"}],
    }
    a, b, c = out(
        line(
            identity_policies=[json.dumps(ALLOW_S3)],
            resource_account="444455556666",
            resource_policy=quote(json.dumps(rp)),
        ),
        line(identity_policies=[ALLOW_S3], resource_account="444455556666"),
        line(identity_policies=[ALLOW_S3], resource_account=None),
    )
    assert (a["decision"], b["decision"], c["decision"]) == ("Allowed", "ImplicitlyDenied", "Allowed")


def test_batch_errors_do_not_stop_the_run() -> None:
    bad_doc = {"Version": "2012-10-17", "Statement": [{"Action": "s3:*", "Resource": "*"}]}
    rows = out(
        "{not json",
        line(id="b", identity_policies=[bad_doc]),
        "[1]",
        line(id="c", principal=None),
        line(id="d", context="x"),
        line(id="e", scps=[ALLOW_S3]),
        line(id="ok", identity_policies=[ALLOW_S3], extra_field=1),
        "",
        "  ",
    )
    assert [r.get("id") for r in rows] == [None, "b", None, "c", "d", "e", "ok"]
    assert all("error" in r for r in rows[:-1]) and rows[-1]["decision"] == "Allowed"
    assert "identity_policies[0].Statement[0]" in rows[1]["error"] and "Effect" in rows[1]["error"]


def _cli() -> typer.Typer:
    t = typer.Typer()
    t.callback()(lambda: None)
    t.command("simulate")(simulate)
    return t


def test_cli_batch_file_and_stdin(tmp_path: Path) -> None:
    f = tmp_path / "req.jsonl"
    f.write_text(line(identity_policies=[ALLOW_S3]) + "\n" + line(id="y") + "\n", encoding="utf-8")
    r = CliRunner().invoke(_cli(), ["simulate", "--batch", str(f)])
    assert r.exit_code == 0, r.output
    got = [json.loads(x)["decision"] for x in r.stdout.splitlines()]
    assert got == ["Allowed", "ImplicitlyDenied"]
    r = CliRunner().invoke(_cli(), ["simulate", "--batch", "-"], input=line(identity_policies=[ALLOW_S3]) + "\n")
    assert r.exit_code == 0 and json.loads(r.stdout)["decision"] == "Allowed"


def test_cli_missing_batch_file_is_exit_2(tmp_path: Path) -> None:
    r = CliRunner().invoke(_cli(), ["simulate", "--batch", str(tmp_path / "nope.jsonl")])
    assert r.exit_code == 2 and "nope.jsonl" in r.output and "Traceback" not in r.output


def _snapshot() -> Snapshot:
    def p(name: str, doc: dict, kind=PolicyKind.INLINE, owner=None) -> Policy:  # type: ignore[no-untyped-def]
        return Policy(PolicyRef(kind, name, owner=owner), parse_policy_document(doc))

    home = {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Home", "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/${aws:username}/*"},
            {
                "Sid": "Team",
                "Effect": "Allow",
                "Action": "ec2:*",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:PrincipalTag/team": "red"}},
            },
        ],
    }
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": BOB}, "Action": "sts:AssumeRole"}],
    }
    role_arn = f"arn:aws:iam::{ACCT}:role/deploy"
    return Snapshot(
        account_ids=(ACCT,),
        users={BOB: User(arn=BOB, name="bob", inline_policies=(p("home", home, owner=BOB),), tags={"team": "red"})},
        roles={
            role_arn: Role(arn=role_arn, name="deploy", trust_policy=p(role_arn, trust, PolicyKind.TRUST, role_arn))
        },
    )


def test_snapshot_mode_derives_principal_keys() -> None:
    from iamgraph.cli.commands_simulate import principal_context, snapshot_policy_set
    from iamgraph.evaluate.engine import evaluate
    from iamgraph.evaluate.types import Decision, Request

    snap = _snapshot()
    ctx = principal_context(snap, BOB)
    assert (
        ctx["aws:username"] == "bob" and ctx["aws:PrincipalTag/team"] == "red" and ctx["aws:PrincipalAccount"] == ACCT
    )

    def decide(action: str, resource: str) -> Decision:
        ps = snapshot_policy_set(snap, BOB, action, resource)
        return evaluate(Request(principal_arn=BOB, action=action, resource=resource, context=ctx), ps).decision

    assert decide("s3:GetObject", "arn:aws:s3:::b/bob/x") is Decision.ALLOWED
    assert decide("s3:GetObject", "arn:aws:s3:::b/eve/x") is Decision.IMPLICIT_DENY
    assert decide("ec2:RunInstances", "*") is Decision.ALLOWED
    assert decide("sts:AssumeRole", f"arn:aws:iam::{ACCT}:role/deploy") is Decision.ALLOWED  # trust names bob


def test_cli_snapshot_mode_with_gaad(tmp_path: Path) -> None:
    gaad = {
        "UserDetailList": [
            {
                "UserName": "bob",
                "UserId": "AIDA1",
                "Arn": BOB,
                "Path": "/",
                "GroupList": [],
                "UserPolicyList": [{"PolicyName": "s3", "PolicyDocument": ALLOW_S3}],
                "AttachedManagedPolicies": [],
            }
        ],
        "GroupDetailList": [],
        "RoleDetailList": [],
        "Policies": [],
    }
    f = tmp_path / "gaad.json"
    f.write_text(json.dumps(gaad), encoding="utf-8")
    r = CliRunner().invoke(
        _cli(),
        [
            "simulate",
            "--input",
            str(f),
            "--principal",
            BOB,
            "--action",
            "s3:GetObject",
            "--resource",
            "arn:aws:s3:::b/k",
        ],
    )
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[0] == "Allowed" and "statement 0 (S3)" in r.stdout
    r = CliRunner().invoke(
        _cli(), ["simulate", "--input", str(f), "--principal", BOB, "--action", "iam:CreateUser", "--format", "json"]
    )
    assert r.exit_code == 0 and json.loads(r.stdout)["decision"] == "ImplicitlyDenied"
    r = CliRunner().invoke(
        _cli(),
        ["simulate", "--input", str(f), "--principal", f"arn:aws:iam::{ACCT}:user/nobody", "--action", "s3:GetObject"],
    )
    assert r.exit_code == 2 and "nobody" in r.output
    r = CliRunner().invoke(
        _cli(), ["simulate", "--input", str(f), "--principal", BOB, "--action", "s3:GetObject", "--context", "novalue"]
    )
    assert r.exit_code == 2
