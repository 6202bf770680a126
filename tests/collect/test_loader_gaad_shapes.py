"""Every GAAD shape real users have loads into the same typed Snapshot (issue 2 §2)."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from gaad_builders import ACCOUNT, DATA, doc, gaad, managed, role, user, write  # noqa: F401 (fixture)

from iamgraph.collect.gaad import parse_gaad
from iamgraph.collect.loader import load_snapshot
from iamgraph.model import Effect, PolicyKind, Principal

CLI = DATA / "cli_account.json"
ALICE = f"arn:aws:iam::{ACCOUNT}:user/alice"
DEPLOY = f"arn:aws:iam::{ACCOUNT}:role/service/deploy"
CI_DEPLOY = f"arn:aws:iam::{ACCOUNT}:policy/ci-deploy"


def test_cli_output_entities():
    s = load_snapshot([CLI])
    assert s.account_ids == (ACCOUNT,)
    alice = s.users[ALICE]
    assert alice.groups == ("devs",)
    assert alice.permissions_boundary_arn == f"arn:aws:iam::{ACCOUNT}:policy/boundary"
    assert alice.tags == {"team": "platform"}
    (inline,) = alice.inline_policies
    assert inline.ref.kind is PolicyKind.INLINE and inline.ref.id == "pass-deploy" and inline.ref.owner == ALICE
    assert inline.document.statements[0].actions == ("iam:PassRole", "lambda:CreateFunction")
    assert inline.document.statements[0].sid == "PassDeploy"

    bob = s.users[f"arn:aws:iam::{ACCOUNT}:user/contractors/bob"]
    assert (bob.name, bob.path) == ("bob", "/contractors/")

    deploy = s.roles[DEPLOY]
    assert deploy.path == "/service/" and deploy.tags == {"env": "prod"}
    assert deploy.last_used == "2024-01-05T12:00:00+00:00"
    assert deploy.trust_policy.ref.kind is PolicyKind.TRUST and deploy.trust_policy.ref.id == DEPLOY
    (stmt,) = deploy.trust_policy.document.statements  # Statement given as a single object
    assert stmt.principal == Principal(service=("lambda.amazonaws.com",))
    assert stmt.actions == ("sts:AssumeRole",) and stmt.resources is None
    assert deploy.managed_policy_arns == (CI_DEPLOY,)

    admin = s.roles[f"arn:aws:iam::{ACCOUNT}:role/admin"]
    assert admin.instance_profile_arns == (f"arn:aws:iam::{ACCOUNT}:instance-profile/admin",)
    assert admin.last_used is None
    assert s.groups[f"arn:aws:iam::{ACCOUNT}:group/devs"].managed_policy_arns[1] == CI_DEPLOY


def test_non_default_versions_are_kept():
    pol = load_snapshot([CLI]).policies[CI_DEPLOY]
    assert pol.default_version_id == "v2"
    assert [(v.version_id, v.is_default) for v in pol.versions] == [("v2", True), ("v1", False)]
    assert pol.default_document.statements[0].actions == ("lambda:*",)
    old = next(v for v in pol.versions if v.version_id == "v1")
    assert old.document.statements[0].actions == ("*",)
    assert (pol.attachment_count, pol.boundary_usage_count) == (2, 0)


def test_boto3_response_saved_with_default_str():
    """tests/data/gaad/moto_boto3.json: moto's GAAD via boto3, json.dump(default=str): datetimes as
    '2026-11-29 14:24:29+00:00', no PolicyName in Policies, ResponseMetadata/IsTruncated present."""
    s = load_snapshot([DATA / "moto_boto3.json"])
    assert s.account_ids == ("123456789012",)
    pol = s.policies["arn:aws:iam::123456789012:policy/ci-deploy"]
    assert pol.name == "ci-deploy"  # derived from the ARN
    assert [v.is_default for v in pol.versions] == [True, False]
    assert pol.versions[0].create_date.startswith("2026-11-29 14:24:29")
    deploy = s.roles["arn:aws:iam::123456789012:role/deploy"]
    assert deploy.instance_profile_arns == ("arn:aws:iam::123456789012:instance-profile/ip",)
    assert deploy.tags == {"team": "ci"}
    assert s.users["arn:aws:iam::123456789012:user/alice"].groups == ("devs",)


def test_live_moto_account_round_trips_through_json(tmp_path):
    """A GAAD fetched with boto3 from moto, saved as users do, loads with the same entities."""
    boto3 = pytest.importorskip("boto3")
    moto = pytest.importorskip("moto")
    with moto.mock_aws():
        iam = boto3.client("iam", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
        iam.create_role(
            RoleName="r",
            AssumeRolePolicyDocument=json.dumps(
                doc(
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                        "Action": "sts:AssumeRole",
                    }
                )
            ),
        )
        iam.put_role_policy(
            RoleName="r",
            PolicyName="p",
            PolicyDocument=json.dumps(doc({"Effect": "Deny", "NotAction": "s3:*", "NotResource": "arn:aws:s3:::b/*"})),
        )
        iam.create_user(UserName="u")
        pages = list(
            iam.get_paginator("get_account_authorization_details").paginate(
                Filter=["User", "Role", "Group", "LocalManagedPolicy"]
            )
        )
    path = tmp_path / "boto3.json"
    path.write_text(json.dumps(pages, default=str))
    s = load_snapshot([path])
    r = s.roles["arn:aws:iam::123456789012:role/r"]
    (stmt,) = r.inline_policies[0].document.statements
    assert stmt.effect is Effect.DENY and stmt.not_actions == ("s3:*",) and stmt.not_resources == ("arn:aws:s3:::b/*",)
    assert r.trust_policy.document.statements[0].principal.aws == ("arn:aws:iam::123456789012:root",)
    assert "arn:aws:iam::123456789012:user/u" in s.users


def test_list_of_pages_equals_one_page(write):
    a, b = (
        user("a"),
        user(
            "b",
            UserPolicyList=[
                {"PolicyName": "x", "PolicyDocument": doc({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})}
            ],
        ),
    )
    r = role("r", AttachedManagedPolicies=[{"PolicyArn": f"arn:aws:iam::{ACCOUNT}:policy/p"}])
    p = managed("p", ("v1", True, doc({"Effect": "Allow", "Action": "*", "Resource": "*"})))
    pages = [
        gaad(users=[a], roles=[r]) | {"IsTruncated": True, "Marker": "m"},
        gaad(users=[b], policies=[p]) | {"IsTruncated": False},
    ]
    one = load_snapshot([write(gaad(users=[a, b], roles=[r], policies=[p]), "one.json")])
    many = load_snapshot([write(pages, "pages.json")])
    split = load_snapshot([write(pages[0], "p1.json"), write(pages[1], "p2.json")])
    for s in (many, split):
        assert s.users == one.users and s.roles == one.roles and s.policies == one.policies
        assert s.warnings == () and s.incomplete == {}  # the policy on page 2 satisfies page 1's role


def test_all_pages_truncated_warns(write):
    s = load_snapshot([write(gaad(users=[user("a")]) | {"IsTruncated": True, "Marker": "m"})])
    assert any("IsTruncated" in w for w in s.warnings)


def test_several_files_of_several_accounts_merge(write):
    other = {"UserName": "z", "Arn": "arn:aws:iam::444455556666:user/z"}
    s = load_snapshot([CLI, write(gaad(users=[other]))])
    assert s.account_ids == ("111122223333", "444455556666")
    assert "arn:aws:iam::444455556666:user/z" in s.users and ALICE in s.users


def test_same_entity_twice_is_deduplicated(write):
    s = load_snapshot([CLI, CLI])
    assert len(s.users) == 2 and s.warnings == load_snapshot([CLI]).warnings
    changed = json.loads(CLI.read_text())
    changed["UserDetailList"][0]["GroupList"] = []
    s = load_snapshot([CLI, write(changed)])
    assert s.users[ALICE].groups == ("devs",)
    assert any(ALICE in w and "more than once" in w for w in s.warnings)


def test_url_encoded_documents(write):
    trust = quote(
        json.dumps(
            doc(
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}},
                }
            )
        )
    )
    inline = quote(json.dumps(doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})))
    version = json.dumps(doc({"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}))  # plain JSON text
    s = load_snapshot(
        [
            write(
                gaad(
                    roles=[role("r", trust=trust, RolePolicyList=[{"PolicyName": "i", "PolicyDocument": inline}])],
                    policies=[managed("p", ("v1", True, version))],
                )
            )
        ]
    )
    r = s.roles[f"arn:aws:iam::{ACCOUNT}:role/r"]
    t = r.trust_policy.document.statements[0]
    assert t.principal == Principal(wildcard=True)
    assert t.conditions[0].operator == "StringEquals" and t.conditions[0].values == ("o-abc",)
    assert r.inline_policies[0].document.statements[0].resources == ("arn:aws:s3:::b/*",)
    assert s.policies[f"arn:aws:iam::{ACCOUNT}:policy/p"].default_document.statements[0].actions == ("ec2:*",)


def test_single_strings_and_lists_give_the_same_statement(write):
    single = doc(
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
            "Action": "sts:AssumeRole",
            "Resource": "*",
        }
    )
    listed = doc(
        {
            "Effect": "Allow",
            "Principal": {"AWS": ["arn:aws:iam::444455556666:root"]},
            "Action": ["sts:AssumeRole"],
            "Resource": ["*"],
        }
    )
    s = load_snapshot([write(gaad(roles=[role("a", trust=single), role("b", trust=listed)]))])
    a, b = (s.roles[f"arn:aws:iam::{ACCOUNT}:role/{n}"].trust_policy.document.statements for n in "ab")
    assert a == b


def test_missing_optional_keys(write):
    """Only Arn (and the policy documents) are required; names and paths come from the ARN."""
    s = load_snapshot(
        [
            write(
                gaad(
                    users=[{"Arn": f"arn:aws:iam::{ACCOUNT}:user/ops/carol"}],
                    groups=[{"Arn": f"arn:aws:iam::{ACCOUNT}:group/g"}],
                    roles=[
                        {
                            "Arn": f"arn:aws:iam::{ACCOUNT}:role/r",
                            "AssumeRolePolicyDocument": doc(
                                {
                                    "Effect": "Allow",
                                    "Principal": {"Service": "ec2.amazonaws.com"},
                                    "Action": "sts:AssumeRole",
                                }
                            ),
                        }
                    ],
                    policies=[
                        {
                            "Arn": f"arn:aws:iam::{ACCOUNT}:policy/p",
                            "PolicyVersionList": [
                                {"Document": doc({"Effect": "Allow", "Action": "*", "Resource": "*"})}
                            ],
                        }
                    ],
                )
            )
        ]
    )
    carol = s.users[f"arn:aws:iam::{ACCOUNT}:user/ops/carol"]
    assert (carol.name, carol.path, carol.tags, carol.permissions_boundary_arn) == ("carol", "/ops/", {}, None)
    r = s.roles[f"arn:aws:iam::{ACCOUNT}:role/r"]
    assert (r.last_used, r.max_session_duration, r.instance_profile_arns) == (None, None, ())
    p = s.policies[f"arn:aws:iam::{ACCOUNT}:policy/p"]
    assert (p.name, p.default_version_id, p.versions[0].is_default) == ("p", "v1", True)
    assert p.default_document is not None
    assert s.warnings == ()


def test_inline_policy_without_name_gets_one_and_a_warning(write):
    body = doc({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})
    s = load_snapshot(
        [
            write(
                gaad(
                    users=[
                        user(
                            "u", UserPolicyList=[{"PolicyName": "a", "PolicyDocument": body}, {"PolicyDocument": body}]
                        )
                    ]
                )
            )
        ]
    )
    names = [p.ref.id for p in s.users[f"arn:aws:iam::{ACCOUNT}:user/u"].inline_policies]
    assert names == ["a", "inline-1"]
    assert any("$.UserDetailList[0].UserPolicyList[1]" in w and "inline-1" in w for w in s.warnings)


def test_role_without_trust_policy_is_incomplete(write):
    r = role("r")
    del r["AssumeRolePolicyDocument"]
    s = load_snapshot([write(gaad(roles=[r]))])
    arn = f"arn:aws:iam::{ACCOUNT}:role/r"
    assert s.roles[arn].trust_policy.document.statements == ()
    assert "trust policy" in s.incomplete[arn][0]


def test_unknown_keys_are_ignored(write):
    base = json.loads(CLI.read_text())
    noisy = json.loads(CLI.read_text())
    noisy["SomethingNew"] = {"x": 1}
    noisy["UserDetailList"][0]["FutureField"] = [1, 2]
    noisy["RoleDetailList"][0]["RoleLastUsed"]["Extra"] = True
    noisy["Policies"][0]["PolicyVersionList"][0]["Note"] = "n"
    assert load_snapshot([write(noisy, "noisy.json")]).users == load_snapshot([write(base, "base.json")]).users


@pytest.mark.parametrize(
    "encoding, bom",
    [
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-16-le", b""),
    ],
)
def test_encodings(write, encoding, bom):
    """UTF-8 with BOM, and UTF-16 with BOM and CRLF as Windows PowerShell's `>` writes it."""
    text = CLI.read_text(encoding="utf-8").replace("\n", "\r\n").replace("platform", "plateforme-\u00e9t\u00e9")
    s = load_snapshot([write(bom + text.encode(encoding))])
    assert s.users[ALICE].tags == {"team": "plateforme-\u00e9t\u00e9"}
    assert len(s.roles) == 2


def test_parse_gaad_on_python_objects_with_datetimes():
    """The live collector may hand boto3 pages (datetime objects, dict documents) straight over."""
    from datetime import datetime, timezone

    when = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    page = gaad(roles=[role("r", CreateDate=when, RoleLastUsed={"LastUsedDate": when})])
    s = parse_gaad([page], file=None, account_id=ACCOUNT)
    assert s.roles[f"arn:aws:iam::{ACCOUNT}:role/r"].last_used == "2024-01-02T03:04:05+00:00"
