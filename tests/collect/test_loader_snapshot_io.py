"""The versioned snapshot document: sections, round trip, schema_version check (docs/snapshot-format.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from gaad_builders import ACCOUNT, DATA, doc, gaad, role, write  # noqa: F401 (fixture)

from iamgraph.collect.loader import load_snapshot
from iamgraph.collect.snapshot_io import (
    parse_snapshot_document,
    snapshot_document,
    snapshot_to_document,
    write_snapshot_document,
)
from iamgraph.errors import InputError
from iamgraph.model import OrgNodeKind, PolicyKind

ROOT = Path(__file__).resolve().parents[2]
SCP_ARN = "arn:aws:organizations::999999999999:policy/o-x/service_control_policy/p-deny"
RCP_ARN = "arn:aws:organizations::999999999999:policy/o-x/resource_control_policy/p-r"


def account_entry(**extra):
    return {
        "account_id": ACCOUNT,
        "authorization_details": json.loads((DATA / "cli_account.json").read_text()),
        **extra,
    }


def full_document():
    deny = doc({"Effect": "Deny", "Action": "iam:*", "Resource": "*"})
    return snapshot_document(
        [
            account_entry(
                identity_providers=[
                    {
                        "arn": f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com",
                        "type": "oidc",
                        "url": "token.actions.githubusercontent.com",
                        "client_ids": ["sts.amazonaws.com"],
                    }
                ],
                inventory=[
                    {
                        "arn": f"arn:aws:lambda:eu-west-1:{ACCOUNT}:function:deploy",
                        "service": "lambda",
                        "resource_type": "function",
                        "role_arn": f"arn:aws:iam::{ACCOUNT}:role/service/deploy",
                        "region": "eu-west-1",
                        "name": "deploy",
                        "extra": {"runtime": "python3.12"},
                    }
                ],
                inventory_collected=["lambda", "ec2"],
                resource_policies=[
                    {
                        "resource_arn": "arn:aws:s3:::my-bucket",
                        "service": "s3",
                        "policy": json.dumps(
                            doc(
                                {
                                    "Effect": "Allow",
                                    "Principal": "*",
                                    "Action": "s3:GetObject",
                                    "Resource": "arn:aws:s3:::my-bucket/*",
                                }
                            )
                        ),
                    }
                ],
                collection_gaps=[{"api": "glue:GetDevEndpoints", "region": "eu-west-1", "detail": "AccessDenied"}],
            )
        ],
        {
            "accounts": {
                ACCOUNT: [
                    {
                        "id": "r-ab12",
                        "kind": "root",
                        "name": "Root",
                        "scps": [{"arn": SCP_ARN, "name": "deny-iam", "document": deny}],
                        "rcps": [],
                    },
                    {
                        "id": "ou-ab12-11111111",
                        "kind": "ou",
                        "name": "Workloads",
                        "scps": [],
                        "rcps": [{"arn": RCP_ARN, "name": "r", "document": deny}],
                    },
                    {"id": ACCOUNT, "kind": "account", "name": "prod"},
                ]
            }
        },
        collected_at="2026-01-01T00:00:00Z",
    )


def test_sections_are_read():
    s = parse_snapshot_document(full_document(), file="snap.json")
    assert s.account_ids == (ACCOUNT,) and len(s.users) == 2
    (idp,) = s.identity_providers
    assert idp.kind == "oidc" and idp.client_ids == ("sts.amazonaws.com",)
    (fn,) = s.inventory
    assert fn.role_arn.endswith("role/service/deploy") and fn.extra == {"runtime": "python3.12"}
    assert s.inventory_collected == frozenset({"lambda", "ec2"})
    rp = s.resource_policy("arn:aws:s3:::my-bucket")
    assert rp.policy.ref.kind is PolicyKind.RESOURCE and rp.policy.ref.id == "arn:aws:s3:::my-bucket"
    assert rp.policy.document.statements[0].principal.wildcard
    assert s.collection_gaps[0].api == "glue:GetDevEndpoints"
    path = s.org_paths[ACCOUNT]
    assert [n.kind for n in path] == [OrgNodeKind.ROOT, OrgNodeKind.OU, OrgNodeKind.ACCOUNT]
    assert path[0].scps[0].ref.kind is PolicyKind.SCP and path[0].scps[0].ref.id == SCP_ARN
    assert path[1].rcps[0].ref.kind is PolicyKind.RCP
    # levels listing no SCP are left out (the data is absent, not "deny all")
    assert len(s.scp_levels(ACCOUNT)) == 1 and s.rcp_levels(ACCOUNT)[1][0].ref.name == "r"


def test_documented_example_loads():
    text = (ROOT / "docs" / "snapshot-format.md").read_text()
    example = json.loads(re.search(r"```json\n(.*?)```", text, re.S).group(1))
    s = parse_snapshot_document(example, file="docs")
    assert s.account_ids == (ACCOUNT,) and s.org_paths[ACCOUNT][0].scps[0].ref.name == "FullAWSAccess"


def test_round_trip_write_then_load(tmp_path, write):
    original = load_snapshot(
        [
            write(full_document(), "in.json"),
            write(
                gaad(
                    roles=[
                        {
                            "Arn": "arn:aws:iam::444455556666:role/x",
                            "AssumeRolePolicyDocument": doc(
                                {
                                    "Effect": "Allow",
                                    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                                    "Action": "sts:AssumeRole",
                                }
                            ),
                        }
                    ]
                ),
                "other.json",
            ),
        ]
    )
    out = tmp_path / "snap.json"
    write_snapshot_document(snapshot_to_document(original), out)
    again = load_snapshot([out])
    for name in (
        "account_ids",
        "users",
        "groups",
        "roles",
        "policies",
        "inventory",
        "resource_policies",
        "identity_providers",
        "org_paths",
        "inventory_collected",
        "collection_gaps",
        "incomplete",
        "warnings",
    ):
        assert getattr(again, name) == getattr(original, name), name
    assert {a: u.tags for a, u in again.users.items()} == {a: u.tags for a, u in original.users.items()}
    assert again.policies["arn:aws:iam::aws:policy/PowerUserAccess"].description.startswith("document from")
    # the catalogue-filled policy is not written as if it had been read from the account
    written = json.loads(out.read_text())
    arns = [p["Arn"] for a in written["accounts"] for p in a["authorization_details"]["Policies"]]
    assert (
        "arn:aws:iam::aws:policy/PowerUserAccess" not in arns and "arn:aws:iam::aws:policy/AdministratorAccess" in arns
    )


def test_schema_version_mismatch(write):
    d = full_document() | {"schema_version": "7"}
    with pytest.raises(InputError) as info:
        load_snapshot([p := write(d)])
    assert info.value.one_line() == (
        f"{p} at $.schema_version: snapshot schema_version '7' is not supported (this iamgraph reads '1')"
    )


def test_missing_schema_version(write):
    d = full_document()
    del d["schema_version"]
    with pytest.raises(InputError, match="no schema_version"):
        load_snapshot([write(d)])


@pytest.mark.parametrize(
    "mutate, where",
    [
        (lambda d: d["accounts"][0].update(account_id="12"), "$.accounts[0].account_id"),
        (lambda d: d["accounts"][0]["inventory"][0].update(role_arn="deploy"), "$.accounts[0].inventory[0].role_arn"),
        (lambda d: d["accounts"][0]["resource_policies"][0].pop("policy"), "$.accounts[0].resource_policies[0]"),
        (
            lambda d: d["accounts"][0]["identity_providers"][0].update(type="ldap"),
            "$.accounts[0].identity_providers[0].type",
        ),
        (
            lambda d: d["organization"]["accounts"][ACCOUNT][1].update(kind="folder"),
            f'$.organization.accounts["{ACCOUNT}"][1].kind',
        ),
        (
            lambda d: d["organization"]["accounts"][ACCOUNT][0]["scps"][0]["document"]["Statement"][0].pop("Effect"),
            f'$.organization.accounts["{ACCOUNT}"][0].scps[0].document.Statement[0]',
        ),
        (
            lambda d: d["accounts"][0]["authorization_details"]["RoleDetailList"][0].update(Arn="r"),
            "$.accounts[0].authorization_details.RoleDetailList[0].Arn",
        ),
        (
            lambda d: d["accounts"][0]["authorization_details"]["UserDetailList"][0].update(
                Arn="arn:aws:iam::444455556666:user/alice"
            ),
            "$.accounts[0].authorization_details.UserDetailList[0].Arn",
        ),
        (lambda d: d.update(accounts={}), "$.accounts"),
    ],
)
def test_bad_sections_name_their_path(write, mutate, where):
    d = full_document()
    mutate(d)
    with pytest.raises(InputError) as info:
        load_snapshot([p := write(d)])
    assert info.value.file == str(p) and info.value.path == where, info.value.one_line()


def test_inventory_collected_is_only_what_every_account_collected(write):
    a = snapshot_document(
        [
            {"account_id": ACCOUNT, "inventory_collected": ["lambda", "ec2"]},
            {"account_id": "444455556666", "inventory_collected": ["lambda"]},
        ]
    )
    assert load_snapshot([write(a)]).inventory_collected == frozenset({"lambda"})
