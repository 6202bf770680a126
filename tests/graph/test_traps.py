"""Red-team traps for the escalation graph: small accounts, each with the expected outcome per source.

Every principal of a trap account that is not listed must get *no* privesc-to-admin finding (noise
and negative controls). A listed source is one of:
  NONE            no finding at all;
  COND            a potential (conditional) finding only, never a definite one;
  Definite(...)   a definite finding whose path uses one of `techniques`, and whose evidence cites
                  each (action, policy, statement) in `cites` (policy: inline name or managed ARN).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from iamgraph import api
from iamgraph.collect.gaad import parse_gaad
from iamgraph.techniques.case_builders import (
    ACCOUNT,
    ADMIN_ARN,
    account,
    allow,
    arn,
    deny,
    doc,
    group,
    managed_policy,
    role,
    trust_aws,
    trust_service,
    user,
)


@dataclass(frozen=True)
class Definite:
    techniques: tuple[str, ...]
    cites: tuple[tuple[str, str, int], ...] = ()  # (action, policy id, statement index)
    hops: int | None = None


NONE = "none"
COND = "conditional"
Outcome = Definite | str


@dataclass(frozen=True)
class Trap:
    name: str
    account: dict
    expect: dict[str, Outcome]  # source ("user/dev", "role/x") -> outcome


ROOT = f"arn:aws:iam::{ACCOUNT}:root"
MFA = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
LAMBDA = "lambda.amazonaws.com"
LAMBDA_ACTIONS = ["lambda:CreateFunction", "lambda:InvokeFunction"]
S3_ONLY = managed_policy("s3-only", doc(allow("s3:*")))
S3_ONLY_ARN = arn("policy", "s3-only")


def _alice() -> dict:
    return user("alice", managed=(ADMIN_ARN,))


def _lambda_admin(name: str = "fn-admin", **kw: object) -> dict:
    return role(name, kw.pop("trust", trust_service(LAMBDA)), admin=True, **kw)  # type: ignore[arg-type]


def _slr(name: str, service: str, *statements: dict) -> dict:
    r = role(name, trust_service(service), *statements)
    r["Path"] = f"/aws-service-role/{service}/"
    r["Arn"] = f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/{service}/{name}"
    return r


def _with_path(r: dict, path: str) -> dict:
    r = dict(r)
    r["Path"] = path
    r["Arn"] = (
        f"arn:aws:iam::{ACCOUNT}:{'role' if 'RoleName' in r else 'user'}{path}{r.get('RoleName') or r['UserName']}"
    )
    return r


TRAPS: list[Trap] = [
    # ---------------------------------------------------------------- false-positive traps
    Trap(
        "deny-on-target-user-only",
        account(
            users=[
                user("dev", allow("iam:CreateAccessKey"), deny("iam:CreateAccessKey", arn("user", "alice"))),
                _alice(),
            ]
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "group-deny-on-target-user",
        account(
            users=[user("dev", allow("iam:CreateAccessKey"), groups=("guarded",)), _alice()],
            groups=[group("guarded", deny("iam:*", arn("user", "alice")))],
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "boundary-on-source-blocks-iam",
        account(users=[user("dev", allow("iam:*"), boundary=S3_ONLY_ARN), _alice()], policies=[S3_ONLY]),
        {"user/dev": NONE},
    ),
    Trap(
        "notresource-excludes-admin",
        account(
            users=[
                user("dev", {"Effect": "Allow", "Action": "iam:CreateAccessKey", "NotResource": arn("user", "alice")}),
                _alice(),
            ]
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "notaction-split-without-iam-writes",
        account(
            users=[
                user(
                    "dev",
                    {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
                    allow(["iam:Get*", "iam:List*"]),
                    deny(["organizations:*", "account:*"]),
                )
            ]
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "target-role-admin-policy-but-bounded",
        account(
            users=[user("dev", allow("sts:AssumeRole"))],
            roles=[role("ops", trust_aws(ROOT), admin=True, boundary=S3_ONLY_ARN)],
            policies=[S3_ONLY],
        ),
        {"user/dev": NONE, "role/ops": NONE},
    ),
    Trap(
        "modify-bounded-role-then-assume",
        account(
            users=[user("dev", allow(["iam:AttachRolePolicy", "iam:PutRolePolicy", "sts:AssumeRole"]))],
            roles=[role("app", trust_aws(ROOT), boundary=S3_ONLY_ARN)],
            policies=[S3_ONLY],
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "modify-bounded-user-then-key",
        account(
            users=[
                user(
                    "dev",
                    allow(["iam:PutUserPolicy", "iam:AttachUserPolicy", "iam:CreateAccessKey"], arn("user", "svc")),
                ),
                user("svc", boundary=S3_ONLY_ARN),
            ],
            policies=[S3_ONLY],
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "passrole-only-to-ec2",
        account(
            users=[
                user(
                    "dev",
                    allow("iam:PassRole", Condition={"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}),
                    allow(LAMBDA_ACTIONS),
                )
            ],
            roles=[_lambda_admin()],
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "service-trust-source-account-elsewhere",
        account(
            users=[user("dev", allow(["iam:PassRole", *LAMBDA_ACTIONS]))],
            roles=[
                _lambda_admin(
                    trust=doc(
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": LAMBDA},
                            "Action": "sts:AssumeRole",
                            "Condition": {"StringEquals": {"aws:SourceAccount": "999999999999"}},
                        }
                    )
                )
            ],
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "trust-names-source-only-with-mfa",
        account(users=[user("dev")], roles=[role("ops", trust_aws(arn("user", "dev"), Condition=MFA), admin=True)]),
        {"user/dev": COND},
    ),
    Trap(
        "attach-self-only-harmless-policy",
        account(
            users=[
                user(
                    "dev",
                    allow(
                        "iam:AttachUserPolicy",
                        arn("user", "dev"),
                        Condition={"ArnEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}},
                    ),
                )
            ]
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "create-policy-version-on-unattached-policy",
        account(
            users=[
                user(
                    "dev", allow("iam:CreatePolicyVersion", arn("policy", "shared")), managed=(arn("policy", "mine"),)
                ),
                user("bob", managed=(arn("policy", "shared"),)),
            ],
            policies=[
                managed_policy("shared", doc(allow("s3:GetObject"))),
                managed_policy("mine", doc(allow("ec2:Describe*"))),
            ],
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "service-linked-role-is-no-source",
        account(
            roles=[
                _slr(
                    "AWSServiceRoleForSupport",
                    "support.amazonaws.com",
                    allow(["iam:PutRolePolicy", "iam:CreateRole", "iam:AttachRolePolicy", "iam:CreateAccessKey"]),
                )
            ],
            users=[_alice()],
        ),
        {},
    ),
    Trap(
        "admin-is-no-source",
        account(
            users=[_alice(), user("root-ish", allow("*"))],
            roles=[role("break-glass", trust_aws(arn("user", "alice")), admin=True)],
        ),
        {},
    ),
    Trap(
        "boundary-keeps-self-written-policy-low",
        account(
            users=[
                user(
                    "dev",
                    allow(["iam:PutUserPolicy", "iam:AttachUserPolicy"], arn("user", "dev")),
                    boundary=arn("policy", "dev-boundary"),
                )
            ],
            policies=[
                managed_policy("dev-boundary", doc(allow(["s3:*", "iam:PutUserPolicy", "iam:AttachUserPolicy"])))
            ],
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "deny-notaction-survives-self-written-policy",
        account(
            users=[
                user(
                    "dev",
                    allow("iam:PutUserPolicy", arn("user", "dev")),
                    {"Effect": "Deny", "NotAction": ["iam:PutUserPolicy", "s3:*"], "Resource": "*"},
                )
            ]
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "trust-denies-the-source",
        account(
            users=[user("dev", allow("sts:AssumeRole"))],
            roles=[
                role(
                    "ops",
                    doc(
                        {"Effect": "Allow", "Principal": {"AWS": ROOT}, "Action": "sts:AssumeRole"},
                        {"Effect": "Deny", "Principal": {"AWS": arn("user", "dev")}, "Action": "sts:AssumeRole"},
                    ),
                    admin=True,
                )
            ],
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "trust-allows-only-tag-session",
        account(
            users=[user("dev", allow("sts:*"))],
            roles=[
                role(
                    "ops",
                    doc({"Effect": "Allow", "Principal": {"AWS": arn("user", "dev")}, "Action": "sts:TagSession"}),
                    admin=True,
                )
            ],
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "root-trust-without-identity-allow",
        account(users=[user("dev", allow("s3:*"))], roles=[role("ops", trust_aws(ROOT), admin=True)]),
        {"user/dev": NONE},
    ),
    Trap(
        "passrole-only-to-harmless-role",
        account(
            users=[user("dev", allow("iam:PassRole", arn("role", "fn-basic")), allow(LAMBDA_ACTIONS))],
            roles=[_lambda_admin(), role("fn-basic", trust_service(LAMBDA), allow("logs:*"))],
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "passrole-denied-on-admin-role-by-group",
        account(
            users=[user("dev", allow(["iam:PassRole", *LAMBDA_ACTIONS]), groups=("devs",))],
            groups=[group("devs", deny("iam:PassRole", arn("role", "fn-admin")))],
            roles=[_lambda_admin()],
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "lambda-role-without-create-function",
        account(
            users=[user("dev", allow(["iam:PassRole", "lambda:InvokeFunction", "lambda:Get*"]))],
            roles=[_lambda_admin()],
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "scp-like-deny-via-managed-policy-on-iam-for-all-but-self",
        account(
            users=[user("dev", allow("iam:*"), managed=(arn("policy", "guard"),)), _alice()],
            policies=[
                managed_policy(
                    "guard",
                    doc(
                        {"Effect": "Deny", "Action": "iam:*", "NotResource": arn("user", "dev")},
                        deny(
                            [
                                "iam:PutUserPolicy",
                                "iam:AttachUserPolicy",
                                "iam:CreatePolicyVersion",
                                "iam:AddUserToGroup",
                                "iam:DeleteUserPermissionsBoundary",
                                "iam:CreateUser",
                                "iam:CreateRole",
                                "iam:PassRole",
                            ]
                        ),
                    ),
                )
            ],
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "create-and-invoke-allowed-on-different-functions",
        account(
            users=[
                user(
                    "dev",
                    allow("iam:PassRole"),
                    allow("lambda:CreateFunction", "arn:aws:lambda:*:*:function:app-*"),
                    allow("lambda:InvokeFunction", "arn:aws:lambda:*:*:function:other-*"),
                )
            ],
            roles=[_lambda_admin()],
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "service-trust-source-arn-elsewhere-is-potential-at-most",
        account(
            users=[user("dev", allow(["iam:PassRole", *LAMBDA_ACTIONS]))],
            roles=[
                _lambda_admin(
                    trust=doc(
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": LAMBDA},
                            "Action": "sts:AssumeRole",
                            "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:lambda:*:999999999999:*"}},
                        }
                    )
                )
            ],
        ),
        {"user/dev": COND},
    ),
    Trap(
        "role-with-empty-trust-is-no-source",
        account(
            users=[_alice()],
            roles=[
                role("ghost", doc(), allow("iam:CreateAccessKey")),
                role("orphan", trust_aws("AROAABCDEFGHIJKLMNOP"), allow("iam:CreateAccessKey")),
            ],
        ),
        {},
    ),
    # ---------------------------------------------------------------- false-negative traps
    Trap(
        "passrole-split-user-group-managed",
        account(
            users=[
                user("dev", allow("lambda:InvokeFunction"), groups=("devs",), managed=(arn("policy", "fn-create"),))
            ],
            groups=[group("devs", allow("iam:PassRole", arn("role", "fn-admin")))],
            policies=[managed_policy("fn-create", doc(allow("lambda:CreateFunction")))],
            roles=[_lambda_admin()],
        ),
        {
            "user/dev": Definite(
                ("lambda-001",),
                cites=(
                    ("iam:PassRole", "devs-policy", 0),
                    ("lambda:CreateFunction", arn("policy", "fn-create"), 0),
                    ("lambda:InvokeFunction", "dev-policy", 0),
                ),
            )
        },
    ),
    Trap(
        "wildcard-iam-put-star",
        account(users=[user("dev", allow("iam:Put*", arn("user", "dev")))]),
        {"user/dev": Definite(("iam-007",), cites=(("iam:PutUserPolicy", "dev-policy", 0),))},
    ),
    Trap(
        "wildcard-iam-star-policy-on-role",
        account(roles=[role("app", trust_aws(ROOT), allow("iam:*Policy", arn("role", "app")))]),
        {"role/app": Definite(("iam-005", "iam-009"))},
    ),
    Trap(
        "star-minus-deny-still-gets-admin-keys",
        account(users=[user("dev", allow("*"), deny(["s3:*", "kms:*"])), _alice()]),
        {"user/dev": Definite(("iam-002", "iam-004", "iam-006", "iam-provisioning-user", "iam-provisioning-role"))},
    ),
    Trap(
        "allow-notaction-s3-can-write-own-policy",
        account(users=[user("dev", {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"})]),
        {"user/dev": Definite(("iam-007", "iam-008"))},
    ),
    Trap(
        "role-arn-with-path-in-passrole",
        account(
            users=[user("dev", allow("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/service/*"), allow(LAMBDA_ACTIONS))],
            roles=[_with_path(_lambda_admin("app-admin"), "/service/")],
        ),
        {"user/dev": Definite(("lambda-001",), cites=(("iam:PassRole", "dev-policy", 0),))},
    ),
    Trap(
        "username-variable-self-service",
        account(users=[user("dev", allow("iam:PutUserPolicy", f"arn:aws:iam::{ACCOUNT}:user/${{aws:username}}"))]),
        {"user/dev": Definite(("iam-007",), cites=(("iam:PutUserPolicy", "dev-policy", 0),))},
    ),
    Trap(
        "role-chain-then-passrole",
        account(
            users=[user("dev")],
            roles=[
                role("hop1", trust_aws(arn("user", "dev"))),
                role("hop2", trust_aws(arn("role", "hop1")), allow(["iam:PassRole", *LAMBDA_ACTIONS])),
                _lambda_admin(),
            ],
        ),
        {
            "user/dev": Definite(("sts-001", "lambda-001"), hops=4),
            "role/hop1": Definite(("sts-001", "lambda-001"), hops=3),
            "role/hop2": Definite(("lambda-001",), hops=2),
        },
    ),
    Trap(
        "trust-names-bare-account-id",
        account(
            users=[user("dev", allow("sts:AssumeRole", arn("role", "ops")))],
            roles=[role("ops", trust_aws(ACCOUNT), admin=True)],
        ),
        {"user/dev": Definite(("sts-001",), cites=(("sts:AssumeRole", "dev-policy", 0),))},
    ),
    Trap(
        "trust-names-role-with-path",
        account(
            roles=[
                _with_path(role("ci", trust_service("codebuild.amazonaws.com")), "/team/"),
                role("deploy", trust_aws(f"arn:aws:iam::{ACCOUNT}:role/team/ci"), admin=True),
            ]
        ),
        {"role/team/ci": Definite(("sts-001",))},
    ),
    Trap(
        "create-access-key-on-admin-user",
        account(users=[user("dev", allow("iam:CreateAccessKey", arn("user", "alice"))), _alice()]),
        {"user/dev": Definite(("iam-002",), cites=(("iam:CreateAccessKey", "dev-policy", 0),))},
    ),
    Trap(
        "update-trust-of-admin-role",
        account(
            users=[user("dev", allow("iam:UpdateAssumeRolePolicy", arn("role", "ops")))],
            roles=[role("ops", trust_service("ec2.amazonaws.com"), admin=True)],
        ),
        {"user/dev": Definite(("iam-012",), cites=(("iam:UpdateAssumeRolePolicy", "dev-policy", 0),))},
    ),
    Trap(
        "add-self-to-admin-group",
        account(
            users=[user("dev", allow("iam:AddUserToGroup", arn("group", "admins")))],
            groups=[group("admins", managed=(ADMIN_ARN,))],
        ),
        {"user/dev": Definite(("iam-013",), cites=(("iam:AddUserToGroup", "dev-policy", 0),))},
    ),
    Trap(
        "set-default-version-to-admin",
        account(
            users=[user("dev", managed=(arn("policy", "tools"),))],
            policies=[
                managed_policy(
                    "tools",
                    doc(allow("*")),
                    doc(allow("iam:SetDefaultPolicyVersion", arn("policy", "tools")), allow("s3:*")),
                    default=1,
                )
            ],
        ),
        {
            "user/dev": Definite(
                ("iam-set-default-policy-version",), cites=(("iam:SetDefaultPolicyVersion", arn("policy", "tools"), 0),)
            )
        },
    ),
    Trap(
        "provision-role-that-trusts-creator",
        account(users=[user("dev", allow(["iam:CreateRole", "iam:AttachRolePolicy"]))]),
        {"user/dev": Definite(("iam-provisioning-role",))},
    ),
    Trap(
        "create-policy-version-on-assumable-role-policy",
        account(
            users=[user("dev", allow(["iam:CreatePolicyVersion", "sts:AssumeRole"]))],
            roles=[role("app", trust_aws(ROOT), managed=(arn("policy", "app-pol"),))],
            policies=[managed_policy("app-pol", doc(allow("s3:GetObject")))],
        ),
        {
            "user/dev": Definite(
                ("iam-001", "iam-014", "iam-015", "iam-016", "iam-017", "iam-018", "iam-019", "iam-020", "iam-021")
            )
        },
    ),
    Trap(
        "mixed-case-action-and-question-mark",
        account(users=[user("dev", allow("IAM:createaccesskey", arn("user", "al?ce"))), _alice()]),
        {"user/dev": Definite(("iam-002",))},
    ),
    Trap(
        "root-trust-role-source-via-managed",
        account(
            roles=[
                role("ci", trust_service("codebuild.amazonaws.com"), managed=(arn("policy", "hop"),)),
                role("ops", trust_aws(ROOT), admin=True),
            ],
            policies=[managed_policy("hop", doc(allow("sts:AssumeRole", arn("role", "ops"))))],
        ),
        {"role/ci": Definite(("sts-001",), cites=(("sts:AssumeRole", arn("policy", "hop"), 0),))},
    ),
    Trap(
        "role-with-empty-trust-reached-by-trust-rewrite",
        account(
            users=[user("dev", allow("iam:UpdateAssumeRolePolicy", arn("role", "ghost"))), _alice()],
            roles=[role("ghost", doc(), allow("iam:CreateAccessKey", arn("user", "alice")))],
        ),
        {
            "user/dev": Definite(
                ("iam-012",),
                cites=(("iam:UpdateAssumeRolePolicy", "dev-policy", 0), ("iam:CreateAccessKey", "ghost-policy", 0)),
                hops=3,
            )
        },
    ),
    Trap(
        "delete-own-boundary-then-write-admin-policy",
        account(
            roles=[
                role(
                    "app",
                    trust_aws(ROOT),
                    allow(["iam:PutRolePolicy", "iam:DeleteRolePermissionsBoundary"], arn("role", "app")),
                    boundary=arn("policy", "app-boundary"),
                )
            ],
            policies=[
                managed_policy(
                    "app-boundary", doc(allow(["iam:PutRolePolicy", "iam:DeleteRolePermissionsBoundary", "s3:*"]))
                )
            ],
        ),
        {
            "role/app": Definite(
                ("iam-delete-role-permissions-boundary",),
                cites=(
                    ("iam:DeleteRolePermissionsBoundary", arn("policy", "app-boundary"), 0),
                    ("iam:PutRolePolicy", "app-policy", 0),
                ),
            )
        },
    ),
    Trap(
        "delete-own-boundary-but-self-edit-denied",
        account(
            users=[
                user(
                    "dev",
                    allow(["iam:AttachUserPolicy", "iam:DeleteUserPermissionsBoundary"], arn("user", "dev")),
                    deny("iam:AttachUserPolicy", Condition={"ArnEquals": {"iam:PolicyARN": ADMIN_ARN}}),
                    boundary=arn("policy", "dev-boundary"),
                )
            ],
            policies=[managed_policy("dev-boundary", doc(allow(["iam:*", "s3:*"])))],
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "rewrite-the-one-held-policy-that-carries-the-deny",
        account(
            users=[user("dev", managed=(arn("policy", "b-tools"), arn("policy", "a-guard")))],
            policies=[
                managed_policy("b-tools", doc(allow("iam:CreatePolicyVersion", f"arn:aws:iam::{ACCOUNT}:policy/*"))),
                managed_policy("a-guard", doc(allow("ec2:Describe*"), deny("s3:*"))),
            ],
        ),
        {"user/dev": Definite(("iam-001",), cites=(("iam:CreatePolicyVersion", arn("policy", "b-tools"), 0),))},
    ),
    Trap(
        "create-policy-version-at-quota-needs-delete",
        account(
            users=[user("dev", managed=(arn("policy", "tools"),)), user("ops", managed=(arn("policy", "ops-tools"),))],
            policies=[
                managed_policy(
                    "tools",
                    *[doc(allow("s3:GetObject"))] * 4,
                    doc(allow("iam:CreatePolicyVersion", arn("policy", "tools"))),
                    default=4,
                ),
                managed_policy(
                    "ops-tools",
                    *[doc(allow("s3:GetObject"))] * 4,
                    doc(allow(["iam:CreatePolicyVersion", "iam:DeletePolicyVersion"], arn("policy", "ops-tools"))),
                    default=4,
                ),
            ],
        ),
        {
            "user/dev": NONE,
            "user/ops": Definite(("iam-001",), cites=(("iam:DeletePolicyVersion", arn("policy", "ops-tools"), 0),)),
        },
    ),
    Trap(
        "rewrite-policy-that-is-identity-and-boundary",
        account(
            users=[user("dev", managed=(arn("policy", "p"),), boundary=arn("policy", "p"))],
            policies=[managed_policy("p", doc(allow("iam:CreatePolicyVersion", arn("policy", "p")), allow("s3:*")))],
        ),
        {"user/dev": Definite(("iam-001",), cites=(("iam:CreatePolicyVersion", arn("policy", "p"), 0),))},
    ),
    Trap(
        "put-admin-policy-on-a-group-then-join-it",
        account(
            users=[user("dev", allow(["iam:PutGroupPolicy", "iam:AddUserToGroup"], arn("group", "empty")))],
            groups=[group("empty")],
        ),
        {
            "user/dev": Definite(
                ("iam-013",), cites=(("iam:PutGroupPolicy", "dev-policy", 0), ("iam:AddUserToGroup", "dev-policy", 0))
            )
        },
    ),
    Trap(
        "join-a-group-it-cannot-edit",
        account(
            users=[
                user(
                    "dev",
                    allow("iam:AddUserToGroup", arn("group", "empty")),
                    allow("iam:PutGroupPolicy", arn("group", "other")),
                )
            ],
            groups=[group("empty"), group("other")],
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "attach-customer-admin-policy-written-as-notaction-split",
        account(
            users=[
                user(
                    "dev",
                    allow(
                        "iam:AttachUserPolicy",
                        arn("user", "dev"),
                        Condition={"ArnLike": {"iam:PolicyARN": f"arn:aws:iam::{ACCOUNT}:policy/team-*"}},
                    ),
                )
            ],
            policies=[
                managed_policy(
                    "team-power", doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}, allow("iam:*"))
                )
            ],
        ),
        {"user/dev": Definite(("iam-008",), cites=(("iam:AttachUserPolicy", "dev-policy", 0),))},
    ),
    Trap(
        "attach-only-customer-policy-with-a-deny",
        account(
            users=[
                user(
                    "dev",
                    allow(
                        "iam:AttachUserPolicy",
                        arn("user", "dev"),
                        Condition={"ArnLike": {"iam:PolicyARN": f"arn:aws:iam::{ACCOUNT}:policy/team-*"}},
                    ),
                )
            ],
            policies=[managed_policy("team-almost", doc(allow("*"), deny("iam:*")))],
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "root-trust-limited-by-principal-arn",
        account(
            users=[user("dev", allow("sts:AssumeRole"))],
            roles=[
                role("ci-x", trust_service("codebuild.amazonaws.com"), allow("sts:AssumeRole")),
                role(
                    "ops",
                    trust_aws(ROOT, Condition={"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/ci-*"}}),
                    admin=True,
                ),
            ],
        ),
        {
            "user/dev": NONE,
            "role/ci-x": Definite(
                ("sts-001",), cites=(("sts:AssumeRole", "ci-x-policy", 0), ("sts:AssumeRole", arn("role", "ops"), 0))
            ),
        },
    ),
    Trap(
        "group-deny-unless-break-glass-principal",
        account(
            users=[user("dev", allow("iam:CreateAccessKey"), groups=("g",)), _alice()],
            groups=[
                group("g", deny("iam:*", Condition={"StringNotEquals": {"aws:PrincipalArn": arn("user", "alice")}}))
            ],
        ),
        {"user/dev": NONE},
    ),
    Trap(
        "trust-names-same-name-user-on-another-path",
        account(
            users=[_with_path(user("dev"), "/team/")], roles=[role("ops", trust_aws(arn("user", "dev")), admin=True)]
        ),
        {"user/team/dev": NONE},
    ),
    Trap(
        "many-passable-roles-through-a-hub",
        account(
            users=[
                user("dev", allow("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/app-*"), allow(LAMBDA_ACTIONS)),
                user("eve", allow(["iam:PassRole", *LAMBDA_ACTIONS]), groups=("guarded",)),
                user("bob", allow("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/app-0*"), allow(LAMBDA_ACTIONS)),
            ],
            groups=[group("guarded", deny("iam:PassRole", arn("role", "app-admin")))],
            roles=[role(f"app-{i:02d}", trust_service(LAMBDA), allow("logs:*")) for i in range(12)]
            + [_lambda_admin("app-admin")],
        ),
        {
            "user/dev": Definite(
                ("lambda-001",),
                cites=(("iam:PassRole", "dev-policy", 0), ("sts:AssumeRole", arn("role", "app-admin"), 0)),
                hops=3,
            ),
            "user/eve": NONE,
            "user/bob": NONE,
        },
    ),
    Trap(
        "bounded-by-notaction-iam-still-assumes-root-trusting-admin",
        account(
            users=[user("dev", allow("*"), boundary=arn("policy", "no-iam"))],
            roles=[role("ops", trust_aws(ROOT), admin=True)],
            policies=[managed_policy("no-iam", doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}))],
        ),
        {"user/dev": Definite(("sts-001",), cites=(("sts:AssumeRole", "dev-policy", 0),))},
    ),
    Trap(
        "identity-mfa-on-key-creation",
        account(users=[user("dev", allow("iam:CreateAccessKey", arn("user", "alice"), Condition=MFA)), _alice()]),
        {"user/dev": COND},
    ),
]


def _findings(acct: dict) -> dict[str, dict]:
    graph = api.build_graph(parse_gaad(acct, file="trap"))
    report = api.run_queries(graph, ("privesc-to-admin",))
    return {f["source"]: f for f in report["findings"]}


def _principals(acct: dict) -> list[str]:
    return [u["Arn"] for u in acct["UserDetailList"]] + [r["Arn"] for r in acct["RoleDetailList"]]


@pytest.mark.parametrize("trap", TRAPS, ids=[t.name for t in TRAPS])
def test_trap(trap: Trap) -> None:
    found = _findings(trap.account)
    expect = {f"arn:aws:iam::{ACCOUNT}:{k}": v for k, v in trap.expect.items()}
    for src in _principals(trap.account):
        want = expect.get(src, NONE)
        got = found.get(src)
        if want == NONE:
            assert got is None, f"{src}: unexpected finding {got}"
            continue
        assert got is not None, f"{src}: no finding"
        if want == COND:
            assert got["conditional"], f"{src}: must be potential only: {got}"
            continue
        assert isinstance(want, Definite)
        assert not got["conditional"], f"{src}: expected a definite path: {got}"
        assert got["reaches_admin"]
        techs = [h["technique"] for h in got["path"]]
        assert set(techs) & set(want.techniques), f"{src}: techniques {techs}, expected one of {want.techniques}"
        if want.hops is not None:
            assert len(got["path"]) == want.hops, techs
        rows = [r for h in got["path"] for r in h["evidence"]]
        for action, policy, index in want.cites:
            assert any(
                r["action"] == action and r.get("policy") == policy and r.get("statement") == index for r in rows
            ), f"{src}: no citation of {policy}#{index} for {action}: {rows}"


def test_every_trap_lists_real_principals() -> None:
    for t in TRAPS:
        arns = set(_principals(t.account))
        for k in t.expect:
            assert f"arn:aws:iam::{ACCOUNT}:{k}" in arns, f"{t.name}: {k} is not in the account"


def test_trust_naming_a_session_of_the_source_role() -> None:
    """A trust policy may name one assumed-role session (arn:aws:sts::A:assumed-role/R/name): whoever
    acts as R can choose that session name (Principal element page), so R reaches the trusting role."""
    from iamgraph import api
    from iamgraph.collect.gaad import parse_gaad
    from iamgraph.techniques.case_builders import account, allow, arn, role, trust_aws, user

    session = "arn:aws:sts::111111111111:assumed-role/ci/deploy-session"
    acct = account(
        users=[user("dev", allow("sts:AssumeRole", arn("role", "ci")))],
        roles=[
            role("ci", trust_aws("arn:aws:iam::111111111111:root"), allow("sts:AssumeRole", "*")),
            role("target", trust_aws(session), admin=True),
        ],
    )
    rep = api.run_queries(api.build_graph(parse_gaad(acct, file="t")), ("privesc-to-admin",))
    by_src = {f["source"].rsplit("/", 1)[-1]: f for f in rep["findings"]}
    assert not by_src["ci"]["conditional"] and by_src["ci"]["path"][0]["via"] == session
    assert [h["technique"] for h in by_src["dev"]["path"]][:2] == ["sts-001", "sts-001"]


def test_create_policy_then_attach_it_to_oneself() -> None:
    """iam:AttachUserPolicy limited by iam:PolicyARN to `policy/team-*` is still escalation when the
    user may also iam:CreatePolicy a `team-*` policy: it writes an admin policy and attaches it."""
    from iamgraph import api
    from iamgraph.collect.gaad import parse_gaad
    from iamgraph.techniques.case_builders import account, allow, arn, user

    team = "arn:aws:iam::111111111111:policy/team-*"
    attach = allow("iam:AttachUserPolicy", arn("user", "dev"), Condition={"ArnLike": {"iam:PolicyARN": team}})

    def definite(*statements: dict) -> list[dict]:
        rep = api.run_queries(
            api.build_graph(parse_gaad(account(users=[user("dev", *statements)]), file="t")), ("privesc-to-admin",)
        )
        return [f for f in rep["findings"] if not f["conditional"]]

    [f] = definite(attach, allow("iam:CreatePolicy", team))
    hop = f["path"][0]
    assert hop["technique"] == "iam-008" and hop["actions"] == ["iam:CreatePolicy", "iam:AttachUserPolicy"]
    assert definite(attach) == []  # cannot create one
    assert definite(attach, allow("iam:CreatePolicy", "arn:aws:iam::111111111111:policy/ops-*")) == []


def test_resource_control_policy_blocks_assume_role() -> None:
    """An RCP Deny on sts:AssumeRole for a protected role removes the edge (RCPs restrict the
    resource owner's account: Organizations "Resource control policies"); without it the path stands."""
    from iamgraph import api
    from iamgraph.collect.snapshot_io import parse_snapshot_document
    from iamgraph.techniques.case_builders import account, allow, arn, role, trust_aws, user

    acct = account(
        users=[user("dev", allow("sts:AssumeRole", "*"))],
        roles=[role("protected-admin", trust_aws("arn:aws:iam::111111111111:root"), admin=True)],
    )

    def privesc(rcp_statements: list[dict]) -> list[dict]:
        org = {
            "accounts": {
                "111111111111": [
                    {
                        "id": "r-root",
                        "kind": "root",
                        "name": "Root",
                        "scps": [],
                        "rcps": [
                            {
                                "arn": "arn:aws:organizations::999999999999:policy/o-x/resource_control_policy/p-1",
                                "name": "guard",
                                "document": {"Version": "2012-10-17", "Statement": rcp_statements},
                            }
                        ],
                    },
                    {"id": "111111111111", "kind": "account", "name": "prod", "scps": [], "rcps": []},
                ]
            }
        }
        doc = {
            "format": "iamgraph-snapshot",
            "schema_version": "1",
            "organization": org,
            "accounts": [{"account_id": "111111111111", "authorization_details": acct}],
        }
        graph = api.build_graph(parse_snapshot_document(doc, file="t"))
        return [f for f in api.run_queries(graph, ("privesc-to-admin",))["findings"] if not f["conditional"]]

    allow_all = {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
    assert [f["source"] for f in privesc([allow_all])] == [arn("user", "dev")]
    deny = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "sts:AssumeRole",
        "Resource": "arn:aws:iam::111111111111:role/protected-*",
    }
    assert privesc([allow_all, deny]) == []
