"""The attacker's view in the graph (issue 10): tag-then-act, attacker-chosen request tags,
credential types, `--context` pins, protected roles; chosen values in JSON, text and HTML."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from iamgraph import api
from iamgraph.cli import app
from iamgraph.techniques.case_builders import (
    ACCOUNT,
    SOURCE_IP,
    account,
    allow,
    arn,
    deny,
    role,
    trust_aws,
    trust_service,
    user,
)

ROOT = f"arn:aws:iam::{ACCOUNT}:root"
EVE, OPS = arn("user", "eve"), arn("role", "ops-admin")
SSO = f"arn:aws:iam::{ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef"
TAGGED_ASSUME = allow("sts:AssumeRole", "*", Condition={"StringEquals": {"aws:ResourceTag/team": "eve-team"}})
runner = CliRunner()


def _scan(tmp_path: Path, acct: dict[str, Any], *extra: str) -> dict[str, Any]:
    p = tmp_path / "gaad.json"
    p.write_text(json.dumps(acct))
    r = runner.invoke(app, ["scan", "--input", str(p), "--format", "json", *extra])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def _hops(report: dict[str, Any], source: str, technique: str) -> list[dict[str, Any]]:
    return [h for f in report["findings"] if f["source"] == source for h in f["path"] if h["technique"] == technique]


def _tag_account(*eve: dict[str, Any]) -> dict[str, Any]:
    return account(users=[user("eve", *eve)], roles=[role("ops-admin", trust_aws(ROOT), admin=True)])


def test_tag_then_assume_is_definite_with_the_tag_step_in_evidence(tmp_path: Path) -> None:
    rep = _scan(tmp_path, _tag_account(allow("iam:TagRole", OPS), TAGGED_ASSUME))
    hop = _hops(rep, EVE, "sts-001")[0]
    assert not hop["conditional"] and hop["actions"] == ["iam:TagRole", "sts:AssumeRole"]
    step = hop["evidence"][0]
    assert step["action"] == "iam:TagRole" and step["resource"] == OPS and step["step"] == "before sts:AssumeRole"
    assume = next(r for r in hop["evidence"] if r["action"] == "sts:AssumeRole")
    assert assume["context"] == {"aws:ResourceTag/team": "eve-team"}


def test_tag_then_assume_near_miss_when_tagging_is_denied(tmp_path: Path) -> None:
    rep = _scan(tmp_path, _tag_account(allow("iam:TagRole", OPS), TAGGED_ASSUME, deny("iam:TagRole", OPS)))
    assert not _hops(rep, EVE, "sts-001")


def test_tag_then_assume_conditional_when_tagging_needs_a_source_ip(tmp_path: Path) -> None:
    rep = _scan(tmp_path, _tag_account(allow("iam:TagRole", OPS, Condition=SOURCE_IP), TAGGED_ASSUME))
    hop = _hops(rep, EVE, "sts-001")[0]
    assert hop["conditional"] and "aws:SourceIp" in hop["conditions"]
    assert hop["condition_classes"]["aws:SourceIp"] == "outside-control"


def test_a_role_already_tagged_needs_no_step(tmp_path: Path) -> None:
    acct = _tag_account(TAGGED_ASSUME)
    acct["RoleDetailList"][0]["Tags"] = [{"Key": "team", "Value": "eve-team"}]
    hop = _hops(_scan(tmp_path, acct), EVE, "sts-001")[0]
    assert not hop["conditional"] and hop["actions"] == ["sts:AssumeRole"]
    assert all("context" not in r for r in hop["evidence"])


def test_a_tag_deny_the_attacker_cannot_dodge_blocks(tmp_path: Path) -> None:
    # the role is tagged protected=yes; changing it needs iam:TagRole, which a Deny on that very tag blocks
    acct = _tag_account(
        allow(["iam:TagRole", "sts:AssumeRole"], OPS),
        deny("sts:AssumeRole", "*", Condition={"StringEquals": {"aws:ResourceTag/protected": "yes"}}),
        deny("iam:TagRole", "*", Condition={"ForAnyValue:StringEquals": {"aws:TagKeys": ["protected"]}}),
    )
    acct["RoleDetailList"][0]["Tags"] = [{"Key": "protected", "Value": "yes"}]
    assert not _hops(_scan(tmp_path, acct), EVE, "sts-001")


def test_chosen_request_tag_on_create_is_recorded(tmp_path: Path) -> None:
    acct = account(
        users=[
            user(
                "eve",
                allow(
                    ["iam:CreateRole", "iam:TagRole"], "*", Condition={"StringEquals": {"aws:RequestTag/owner": "eve"}}
                ),
                allow(["iam:AttachRolePolicy", "sts:AssumeRole"]),
            )
        ]
    )
    hops = _hops(_scan(tmp_path, acct), EVE, "iam-provisioning-role")
    assert hops and not hops[0]["conditional"]
    create = next(r for r in hops[0]["evidence"] if r["action"] == "iam:CreateRole" and "context" in r)
    assert create["context"] == {"aws:RequestTag/owner": "eve"}


def test_mfa_stays_conditional_and_a_pin_decides_it(tmp_path: Path) -> None:
    acct = _tag_account(allow("sts:AssumeRole", OPS, Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}))
    hop = _hops(_scan(tmp_path, acct), EVE, "sts-001")[0]
    assert hop["conditional"] and hop["conditions"] == ["aws:MultiFactorAuthPresent"]
    pinned = _hops(_scan(tmp_path, acct, "--context", "aws:MultiFactorAuthPresent=true"), EVE, "sts-001")[0]
    assert not pinned["conditional"]
    assert not _hops(_scan(tmp_path, acct, "--context", "aws:MultiFactorAuthPresent=false"), EVE, "sts-001")


def test_mfa_if_exists_holds_for_the_users_access_key(tmp_path: Path) -> None:
    acct = _tag_account(
        allow("sts:AssumeRole", OPS, Condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}})
    )
    hop = _hops(_scan(tmp_path, acct), EVE, "sts-001")[0]
    assert not hop["conditional"]
    assert next(r for r in hop["evidence"] if r["action"] == "sts:AssumeRole")["credential"] == "access key"


def test_bad_context_pin_is_an_input_error(tmp_path: Path) -> None:
    p = tmp_path / "gaad.json"
    p.write_text(json.dumps(_tag_account()))
    r = runner.invoke(app, ["reach", EVE, "--input", str(p), "--context", "no-equals-sign"])
    assert r.exit_code == 2 and "--context" in r.output


def test_chosen_context_in_text_and_html(tmp_path: Path) -> None:
    p = tmp_path / "gaad.json"
    p.write_text(json.dumps(_tag_account(allow("iam:TagRole", OPS), TAGGED_ASSUME)))
    r = runner.invoke(app, ["path", EVE, OPS, "--input", str(p), "--no-color", "--html", str(tmp_path / "r.html")])
    assert r.exit_code == 0, r.output
    assert "attacker-chosen context: aws:ResourceTag/team=eve-team" in r.output
    assert "attacker step: before sts:AssumeRole" in r.output
    page = (tmp_path / "r.html").read_text()
    assert "eve-team" in page and "attacker-chosen context: " in page


def test_protected_roles_are_assumable_but_never_modified() -> None:
    sso = role("AWSReservedSSO_Admin_0123456789abcdef", trust_aws(ROOT))
    sso.update(Path="/aws-reserved/sso.amazonaws.com/", Arn=SSO)
    slr = role("AWSServiceRoleForSupport", trust_service("support.amazonaws.com"), admin=True)
    slr.update(
        Path="/aws-service-role/support.amazonaws.com/",
        Arn=f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport",
    )
    acct = account(
        users=[
            user(
                "eve",
                allow(
                    [
                        "sts:AssumeRole",
                        "iam:PutRolePolicy",
                        "iam:AttachRolePolicy",
                        "iam:UpdateAssumeRolePolicy",
                        "iam:TagRole",
                    ]
                ),
            )
        ],
        roles=[sso, slr],
    )
    graph = api.build_graph(_snapshot(acct))
    into_sso = graph.edges_between(EVE, SSO)
    assert any(e.technique == "sts-001" for e in into_sso)  # still assumable
    writes = {"iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:TagRole"}
    seen = 0
    for _src, _dst, data in graph.g.out_edges(EVE, data=True):
        ev = data["evidence"]
        seen += 1
        touched = {r["resource"] for r in ev.to_json()["evidence"] if r["action"] in writes}
        assert not touched & {SSO, slr["Arn"]}, ev.to_json()
    assert seen


def _snapshot(acct: dict[str, Any]) -> Any:
    from iamgraph.collect.gaad import parse_gaad

    return parse_gaad(acct, file="test")


def _session_tag_account(*eve: dict[str, Any]) -> dict[str, Any]:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": ROOT},
                "Action": ["sts:AssumeRole", "sts:TagSession"],
                "Condition": {"StringEquals": {"aws:RequestTag/project": "blue"}},
            }
        ],
    }
    return account(users=[user("eve", *eve)], roles=[role("ops-admin", trust, admin=True)])


def test_session_tags_the_trust_requires_are_chosen_with_sts_tag_session(tmp_path: Path) -> None:
    # "Passing session tags in AWS STS": tags in AssumeRole need sts:TagSession, in the trust and the identity policy
    hop = _hops(
        _scan(tmp_path, _session_tag_account(allow(["sts:AssumeRole", "sts:TagSession"], OPS))), EVE, "sts-001"
    )[0]
    assert not hop["conditional"]
    rows = {r["action"]: r for r in hop["evidence"]}
    assert rows["sts:TagSession"]["step"] == "with sts:AssumeRole"
    assert any(
        r.get("context") == {"aws:RequestTag/project": "blue"}
        for r in hop["evidence"]
        if r["action"] == "sts:AssumeRole"
    )


def test_session_tags_without_sts_tag_session_are_no_path(tmp_path: Path) -> None:
    assert not _hops(_scan(tmp_path, _session_tag_account(allow("sts:AssumeRole", OPS))), EVE, "sts-001")
