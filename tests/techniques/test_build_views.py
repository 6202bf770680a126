"""build_views gives every user and role the context keys and policy set evaluate.applicable defines
(asked once per account for the organisation keys and SCP/RCP levels, and without resolving the
ARN again when it surely names the entity itself)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Any

import pytest

from iamgraph import api
from iamgraph.collect.gaad import parse_gaad
from iamgraph.collect.snapshot_io import parse_snapshot_document
from iamgraph.evaluate.applicable import AbsentMemo, find_role, identity_policy_set, principal_context, role_keys
from iamgraph.evaluate.org_keys import org_context
from iamgraph.evaluate.types import ContextValue
from iamgraph.model import Snapshot, account_of, role_arn_of_session
from iamgraph.techniques.principal import build_views, principal_tag_keys

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "org"))
from orgkit import allow, gaad, org_section, role, scp, snapshot, trust, user  # noqa: E402

A, B, M = "222222222222", "333333333333", "111111111111"


def _reference(
    snap: Snapshot, principal: str, tag_keys: frozenset[str], default_session: str | None = None
) -> tuple[list[tuple[str, ContextValue]], set[str]] | None:
    """principal_context's definition, spelled out (keys in order; absent keys as a set)."""
    session_role = role_arn_of_session(principal)
    u = snap.users.get(principal) if session_role is None else None
    acct = account_of(principal)
    absent: set[str] = set()
    if u is not None:
        ctx: dict[str, ContextValue] = {
            "aws:username": u.name,
            "aws:PrincipalArn": u.arn,
            "aws:PrincipalAccount": acct,
            "aws:PrincipalType": "User",
            "aws:PrincipalIsAWSService": "false",
        }
        if u.user_id:
            ctx["aws:userid"] = u.user_id
        tags = u.tags
    else:
        r = find_role(snap, session_role or principal)
        if r is None:
            return None
        ctx = {
            "aws:PrincipalArn": r.arn,
            "aws:PrincipalAccount": account_of(r.arn),
            "aws:PrincipalType": "AssumedRole",
            "aws:PrincipalIsAWSService": "false",
        }
        session = principal.rsplit("/", 1)[-1] if session_role is not None else default_session
        if r.role_id and session is not None:
            ctx["aws:userid"] = f"{r.role_id}:{session}"
        absent.add("aws:username")
        tags = r.tags
    for k, v in tags.items():
        ctx[f"aws:PrincipalTag/{k}"] = v
    if tags:
        ctx["aws:PrincipalTagKeys"] = tuple(tags)
    else:
        absent.add("aws:principaltagkeys")
    have = {t.lower() for t in tags}
    absent.update(k for k in tag_keys if k[len("aws:principaltag/") :] not in have)
    org_values, org_absent = org_context(snap, acct)
    ctx.update(org_values)
    absent |= org_absent
    return list(ctx.items()), absent


def _check(snap: Snapshot) -> int:
    """Every view against the reference and identity_policy_set; principal_context too."""
    tag_keys = principal_tag_keys(snap)
    views = build_views(snap)
    assert list(views) == [*(u.arn for u in snap.users.values()), *(r.arn for r in snap.roles.values())]
    for arn, v in views.items():
        want = _reference(snap, arn, tag_keys)
        assert want is not None
        assert (list(v.base_context.items()), set(v.base_absent)) == want, arn
        assert isinstance(v.base_absent, frozenset)
        pc = principal_context(snap, arn, tag_keys)
        assert pc is not None and (list(pc.values.items()), set(pc.absent)) == want, arn
        assert v.policies == identity_policy_set(snap, arn, account_of(arn)), arn
        assert v.policies.identity is snap.identity_policies(arn)
    for session in ("s1", None):  # sessions and roles under a default session name
        for r in snap.roles.values():
            parts = r.arn.split(":")
            sts = f"arn:aws:sts::{parts[4]}:assumed-role/{r.name}/{session or 'x'}"
            for principal, default in ((sts, None), (r.arn, session)):
                pc = principal_context(snap, principal, tag_keys, default_session=default)
                want = _reference(snap, principal, tag_keys, default)
                assert (pc is None and want is None) or (
                    pc is not None and (list(pc.values.items()), set(pc.absent)) == want
                ), principal
    return len(views)


def _tagged_gaad() -> dict[str, Any]:
    """Users and roles with and without tags, policies testing tag keys (as keys and variables)."""
    tests_tags = allow(
        "s3:GetObject",
        "arn:aws:s3:::b/${aws:PrincipalTag/Project}/*",
        Condition={
            "StringEquals": {"aws:PrincipalTag/Team": "x", "aws:PrincipalTag/Cost": "${aws:PrincipalTag/Owner}"}
        },
    )
    d = gaad(
        users=[user(A, "tagged", tests_tags), user(A, "plain", allow("s3:ListBucket"))],
        roles=[
            role(A, "ci", trust(f"arn:aws:iam::{A}:root"), tests_tags),
            role(A, "bare", trust("*", Condition={"StringEquals": {"aws:PrincipalTag/Late": "y"}})),
        ],
    )
    d["UserDetailList"][0]["Tags"] = [{"Key": "team", "Value": "x"}, {"Key": "Owner", "Value": "me"}]
    d["RoleDetailList"][0]["Tags"] = [{"Key": "PROJECT", "Value": "p"}]
    return d


def test_views_equal_the_definition_on_samples_and_benchmark() -> None:
    for f in sorted((ROOT / "samples").glob("*.json")):
        assert _check(api.load([f])) > 0
    assert _check(parse_gaad(_tagged_gaad(), file="t.json")) == 4


def test_views_per_account_with_organisation_data() -> None:
    """SCP/RCP levels and organisation keys differ per account: each view has its own account's."""
    accounts = {
        A: gaad(users=[user(A, "dev", allow("iam:PassRole"))], roles=[role(A, "ci", trust("*"), admin=True)]),
        B: gaad(roles=[role(B, "deploy", trust(f"arn:aws:iam::{A}:root"))]),
        "444444444444": gaad(roles=[role("444444444444", "outside", trust("*"))]),
    }
    org = org_section(
        {A: "dev", B: "prod"},
        management=M,
        ou_of={A: "ou-ex12-dev"},
        scps={"ou-ex12-dev": [scp("NoIam", allow("s3:*"))]},
    )
    snap = parse_snapshot_document(snapshot(accounts, org), file="t.json")
    assert _check(snap) == 4
    views = build_views(snap)
    dev, deploy = views[f"arn:aws:iam::{A}:user/dev"], views[f"arn:aws:iam::{B}:role/deploy"]
    assert dev.policies.scps != deploy.policies.scps and len(dev.policies.scps) == 3
    assert dev.base_context["aws:PrincipalOrgPaths"] != deploy.base_context["aws:PrincipalOrgPaths"]


def test_odd_entities_take_the_general_path() -> None:
    """A role whose ARN is also a user's, an entity filed under another key, a session-shaped ARN:
    the view has what principal_context gives for that ARN."""
    snap = parse_gaad(_tagged_gaad(), file="t.json")
    u = snap.users[f"arn:aws:iam::{A}:user/tagged"]
    r = snap.roles[f"arn:aws:iam::{A}:role/ci"]
    bare = snap.roles[f"arn:aws:iam::{A}:role/bare"]
    twin = dataclasses.replace(bare, arn=u.arn)  # a role with the user's ARN: the user's keys
    moved = dataclasses.replace(r, arn=f"arn:aws:iam::{A}:role/team/ci2", name="ci2")  # found by name
    session = dataclasses.replace(bare, arn=f"arn:aws:sts::{A}:assumed-role/ci/s")
    dup = dataclasses.replace(r, role_id="AROADUPLICATE", tags={})  # r's ARN, filed after r: reads as r
    plain = snap.users[f"arn:aws:iam::{A}:user/plain"]
    udup = dataclasses.replace(plain, user_id="AIDADUPLICATE")  # likewise for a user
    odd = dataclasses.replace(
        snap,
        users={**snap.users, "udup": udup},
        roles={u.arn: twin, "k": moved, r.arn: r, "dup": dup, session.arn: session, bare.arn: bare},
        incomplete={},
    )
    tag_keys = principal_tag_keys(odd)
    views = build_views(odd)
    for e in (*odd.users.values(), *odd.roles.values()):
        want = _reference(odd, e.arn, tag_keys)
        v = views[e.arn]
        if want is None:
            pytest.fail(f"{e.arn}: not a principal of the snapshot")
        assert (list(v.base_context.items()), set(v.base_absent)) == want, e.arn
    assert views[u.arn].base_context["aws:PrincipalType"] == "User"  # the twin role reads as the user
    assert views[session.arn].base_context["aws:userid"] == f"{r.role_id}:s"  # ci's session s
    assert views[moved.arn].base_context["aws:PrincipalArn"] == moved.arn
    assert views[plain.arn].base_context["aws:userid"] == plain.user_id
    assert views[r.arn].base_context["aws:PrincipalTag/PROJECT"] == "p"


def test_tag_keys_read_each_document_once_but_all_of_them() -> None:
    snap = parse_gaad(_tagged_gaad(), file="t.json")
    assert principal_tag_keys(snap) == {
        "aws:principaltag/project",
        "aws:principaltag/team",
        "aws:principaltag/cost",
        "aws:principaltag/owner",
        "aws:principaltag/late",
    }


def test_the_absent_memo_keys_on_the_tag_keys_too() -> None:
    """One memo asked with other tag keys (a misuse build_views never makes) still answers right."""
    snap = parse_gaad(_tagged_gaad(), file="t.json")
    r = snap.roles[f"arn:aws:iam::{A}:role/ci"]
    memo: AbsentMemo = {}
    org = org_context(snap, A)
    one = role_keys(r, None, frozenset({"aws:principaltag/team"}), org, memo)[1]
    other = role_keys(r, None, frozenset({"aws:principaltag/cost"}), org, memo)[1]
    assert one == {"aws:username", "aws:principaltag/team"} and other == {"aws:username", "aws:principaltag/cost"}
    assert role_keys(r, None, frozenset({"aws:principaltag/team"}), org, memo)[1] is one
