"""Seeded generator of a realistic GAAD (`aws iam get-account-authorization-details`) at quota scale.

    python benchmarks/generate_account.py --roles 5000 --seed 7 --out benchmarks/data/acct-5000.json

Writes the GAAD to OUT and the planted ground truth to OUT.truth.json. The same (roles, seed) gives
byte-identical files. Noise is built so that it contains no escalation path to admin of its own:
every *definite* privilege-escalation source in the account is listed in the truth file (see
benchmarks/README.md for the rules the noise follows and why).
"""

from __future__ import annotations

import argparse
import json
import random
import string
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ACCOUNT = "111122223333"
VENDOR_ACCOUNTS = ("444455556666", "464622532012", "257597320193", "803453453453", "672188301118")
MGMT_ACCOUNT = "999988887777"
TRUTH_VERSION = "1"
IAM = f"arn:aws:iam::{ACCOUNT}"
OIDC_GH = f"{IAM}:oidc-provider/token.actions.githubusercontent.com"
SAML_SSO = f"{IAM}:saml-provider/AWSSSO_6c2b8d2e41f0a3b7_DO_NOT_DELETE"
ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"

Doc = dict[str, Any]


def aws_policy_arn(name: str, path: str = "/") -> str:
    return f"arn:aws:iam::aws:policy{path}{name}"


def doc(*statements: Doc) -> Doc:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(
    actions: str | list[str],
    resources: str | list[str] = "*",
    sid: str | None = None,
    condition: Doc | None = None,
    *,
    not_action: bool = False,
    effect: str = "Allow",
) -> Doc:
    st: Doc = {}
    if sid:
        st["Sid"] = sid
    st["Effect"] = effect
    st["NotAction" if not_action else "Action"] = actions
    st["Resource"] = resources
    if condition:
        st["Condition"] = condition
    return st


def deny(
    actions: str | list[str],
    resources: str | list[str] = "*",
    sid: str | None = None,
    condition: Doc | None = None,
    *,
    not_action: bool = False,
) -> Doc:
    return allow(actions, resources, sid, condition, not_action=not_action, effect="Deny")


def trust(principal: Doc, action: str | list[str] = "sts:AssumeRole", condition: Doc | None = None) -> Doc:
    st: Doc = {"Effect": "Allow", "Principal": principal, "Action": action}
    if condition:
        st["Condition"] = condition
    return doc(st)


def service_trust(*services: str) -> Doc:
    svc: str | list[str] = services[0] if len(services) == 1 else list(services)
    return trust({"Service": svc})


# ---------------------------------------------------------------------------------------------
# AWS managed policies: real documents shipped by moto
# ---------------------------------------------------------------------------------------------

_MANAGED_CACHE: dict[str, Doc] = {}


def aws_managed_catalog() -> dict[str, Doc]:
    """{name: {"Document", "Path", "DefaultVersionId", "CreateDate", "UpdateDate", ...}} from moto."""
    if not _MANAGED_CACHE:
        try:
            from moto.iam.aws_managed_policies import aws_managed_policies_data
        except ImportError:  # pragma: no cover - moto is a dev dependency of the project
            sys.exit("generate_account: needs moto installed (it ships the AWS managed policy documents)")
        _MANAGED_CACHE.update(json.loads(aws_managed_policies_data))
    return _MANAGED_CACHE


# ---------------------------------------------------------------------------------------------
# The builder: accumulates GAAD entries, hands out realistic ids and dates
# ---------------------------------------------------------------------------------------------


@dataclass
class Gaad:
    rng: random.Random
    account: str = ACCOUNT
    users: list[Doc] = field(default_factory=list)
    groups: list[Doc] = field(default_factory=list)
    roles: list[Doc] = field(default_factory=list)
    policies: dict[str, Doc] = field(default_factory=dict)  # arn -> GAAD policy entry
    customer_count: int = 0
    _names: set[str] = field(default_factory=set)

    # ---- ids, dates ----------------------------------------------------------------------
    def uid(self, prefix: str) -> str:
        return prefix + "".join(self.rng.choices(string.ascii_uppercase + "234567", k=17))

    def date(self, start_year: int = 2016, end_year: int = 2025) -> str:
        start = datetime(start_year, 1, 1, tzinfo=timezone.utc)
        span = (datetime(end_year, 12, 31, tzinfo=timezone.utc) - start).total_seconds()
        return (start + timedelta(seconds=int(self.rng.random() * span))).strftime("%Y-%m-%dT%H:%M:%S+00:00")

    def unique(self, kind: str, name: str) -> str:
        base, n = name, 2
        while f"{kind}:{name}" in self._names:
            name, n = f"{base}-{n}", n + 1
        self._names.add(f"{kind}:{name}")
        return name

    # ---- policies ------------------------------------------------------------------------
    def aws_managed(self, name: str) -> str:
        """Reference a real AWS managed policy by name; its document is included in `Policies`."""
        entry = aws_managed_catalog()[name]
        arn = aws_policy_arn(name, entry["Path"])
        if arn not in self.policies:
            vid = entry["DefaultVersionId"]
            self.policies[arn] = {
                "PolicyName": name,
                "PolicyId": self.uid("ANPA"),
                "Arn": arn,
                "Path": entry["Path"],
                "DefaultVersionId": vid,
                "AttachmentCount": 0,
                "PermissionsBoundaryUsageCount": 0,
                "IsAttachable": True,
                "CreateDate": entry.get("CreateDate", self.date()),
                "UpdateDate": entry.get("UpdateDate", self.date()),
                "PolicyVersionList": [
                    {
                        "Document": entry["Document"],
                        "VersionId": vid,
                        "IsDefaultVersion": True,
                        "CreateDate": entry.get("UpdateDate", self.date()),
                    }
                ],
            }
        return arn

    def customer_policy(
        self,
        name: str,
        document: Doc,
        *,
        path: str = "/",
        description: str = "",
        older: Iterable[Doc] = (),
        default_index: int | None = None,
    ) -> str:
        """A customer-managed policy; `older` are earlier versions (v1..), the default is the last
        unless `default_index` (0-based over older + [document]) says otherwise."""
        name = self.unique("policy", name)
        arn = f"arn:aws:iam::{self.account}:policy{path}{name}"
        docs = [*older, document]
        default = len(docs) - 1 if default_index is None else default_index
        created = self.date(2016, 2021)
        versions = [
            {
                "Document": d,
                "VersionId": f"v{i + 1}",
                "IsDefaultVersion": i == default,
                "CreateDate": self.date(2021, 2025) if i else created,
            }
            for i, d in enumerate(docs)
        ]
        entry: Doc = {
            "PolicyName": name,
            "PolicyId": self.uid("ANPA"),
            "Arn": arn,
            "Path": path,
            "DefaultVersionId": f"v{default + 1}",
            "AttachmentCount": 0,
            "PermissionsBoundaryUsageCount": 0,
            "IsAttachable": True,
            "CreateDate": created,
            "UpdateDate": versions[-1]["CreateDate"],
            "PolicyVersionList": list(reversed(versions)),
        }
        if description:
            entry["Description"] = description
        self.policies[arn] = entry
        self.customer_count += 1
        return arn

    def _attached(self, arns: Iterable[str]) -> list[Doc]:
        out = []
        for arn in arns:
            if arn not in self.policies and arn.startswith("arn:aws:iam::aws:policy/"):
                self.aws_managed(arn.rsplit("/", 1)[-1])
            p = self.policies[arn]
            p["AttachmentCount"] += 1
            out.append({"PolicyName": p["PolicyName"], "PolicyArn": arn})
        return out

    def _boundary(self, entry: Doc, arn: str | None) -> None:
        if arn:
            self.policies[arn]["PermissionsBoundaryUsageCount"] += 1
            entry["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn}

    @staticmethod
    def _tags(tags: dict[str, str] | None) -> list[Doc]:
        return [{"Key": k, "Value": v} for k, v in (tags or {}).items()]

    # ---- principals ----------------------------------------------------------------------
    def user(
        self,
        name: str,
        *,
        path: str = "/",
        groups: Iterable[str] = (),
        inline: dict[str, Doc] | None = None,
        managed: Iterable[str] = (),
        boundary: str | None = None,
        tags: dict[str, str] | None = None,
    ) -> str:
        name = self.unique("user", name)
        arn = f"arn:aws:iam::{self.account}:user{path}{name}"
        entry: Doc = {
            "Path": path,
            "UserName": name,
            "UserId": self.uid("AIDA"),
            "Arn": arn,
            "CreateDate": self.date(),
            "UserPolicyList": [{"PolicyName": k, "PolicyDocument": v} for k, v in (inline or {}).items()],
            "GroupList": list(groups),
            "AttachedManagedPolicies": self._attached(managed),
        }
        self._boundary(entry, boundary)
        if tags:
            entry["Tags"] = self._tags(tags)
        self.users.append(entry)
        return arn

    def group(
        self, name: str, *, path: str = "/", inline: dict[str, Doc] | None = None, managed: Iterable[str] = ()
    ) -> str:
        name = self.unique("group", name)
        self.groups.append(
            {
                "Path": path,
                "GroupName": name,
                "GroupId": self.uid("AGPA"),
                "Arn": f"arn:aws:iam::{self.account}:group{path}{name}",
                "CreateDate": self.date(),
                "GroupPolicyList": [{"PolicyName": k, "PolicyDocument": v} for k, v in (inline or {}).items()],
                "AttachedManagedPolicies": self._attached(managed),
            }
        )
        return name

    def role(
        self,
        name: str,
        trust_policy: Doc,
        *,
        path: str = "/",
        inline: dict[str, Doc] | None = None,
        managed: Iterable[str] = (),
        boundary: str | None = None,
        tags: dict[str, str] | None = None,
        instance_profile: bool = False,
        description: str = "",
        max_session: int = 3600,
    ) -> str:
        name = self.unique("role", name)
        arn = f"arn:aws:iam::{self.account}:role{path}{name}"
        created = self.date()
        entry: Doc = {
            "Path": path,
            "RoleName": name,
            "RoleId": self.uid("AROA"),
            "Arn": arn,
            "CreateDate": created,
            "AssumeRolePolicyDocument": trust_policy,
        }
        if description:
            entry["Description"] = description
        entry["MaxSessionDuration"] = max_session
        profiles = []
        if instance_profile:
            profiles.append(
                {
                    "Path": path,
                    "InstanceProfileName": name,
                    "InstanceProfileId": self.uid("AIPA"),
                    "Arn": f"arn:aws:iam::{self.account}:instance-profile{path}{name}",
                    "CreateDate": created,
                    "Roles": [
                        {
                            "Path": path,
                            "RoleName": name,
                            "RoleId": entry["RoleId"],
                            "Arn": arn,
                            "CreateDate": created,
                            "AssumeRolePolicyDocument": trust_policy,
                        }
                    ],
                }
            )
        entry["InstanceProfileList"] = profiles
        entry["RolePolicyList"] = [{"PolicyName": k, "PolicyDocument": v} for k, v in (inline or {}).items()]
        entry["AttachedManagedPolicies"] = self._attached(managed)
        self._boundary(entry, boundary)
        entry["Tags"] = self._tags(tags)
        r = self.rng.random()
        entry["RoleLastUsed"] = (
            {}
            if r < 0.2
            else {
                "LastUsedDate": self.date(2025, 2025),
                "Region": self.rng.choice(["eu-west-1", "us-east-1", "eu-central-1"]),
            }
        )
        self.roles.append(entry)
        return arn

    def gaad(self) -> Doc:
        return {
            "UserDetailList": self.users,
            "GroupDetailList": self.groups,
            "RoleDetailList": self.roles,
            "Policies": [self.policies[k] for k in sorted(self.policies)],
        }


# ---------------------------------------------------------------------------------------------
# Planted escalation paths and near-misses (the ground truth)
# ---------------------------------------------------------------------------------------------


@dataclass
class Truth:
    reaches_admin: list[Doc] = field(default_factory=list)
    near_misses: list[Doc] = field(default_factory=list)
    admins: list[str] = field(default_factory=list)
    external_to_admin: list[Doc] = field(default_factory=list)
    risky_trust: dict[str, list[str]] = field(
        default_factory=lambda: {
            "cross_account_without_external_id": [],
            "cross_account_with_external_id": [],
            "oidc_without_sub": [],
            "oidc_with_sub": [],
            "saml": [],
        }
    )

    def path(self, source: str, techniques: list[str], story: str, hint: str = "") -> None:
        """`techniques`: pathfinding ids the reported path must include (in this order)."""
        entry: Doc = {"source": source, "techniques": techniques, "story": story}
        if hint:
            entry["technique_hint"] = hint
        self.reaches_admin.append(entry)

    def miss(self, source: str, blocked_by: str, story: str) -> None:
        self.near_misses.append({"source": source, "blocked_by": blocked_by, "story": story})


def _person_tags(rng: random.Random, team: str) -> dict[str, str]:
    return {"team": team, "cost-center": f"CC-{rng.randint(1000, 9999)}", "managed-by": "terraform"}


def plant(g: Gaad, t: Truth) -> None:
    """10 escalation paths that must be found (definite) and 10 near-misses that must not."""
    rng = g.rng
    admins = g.group("admins", managed=[g.aws_managed("AdministratorAccess")])
    breakglass = g.user("breakglass-admin", groups=[admins], tags={"purpose": "emergency access"})
    t.admins.append(breakglass)
    t.admins.append(g.user("ops.lead", groups=[admins], tags=_person_tags(rng, "platform")))
    admin = [ADMIN_ARN]
    bucket_read = doc(
        allow(
            ["s3:GetObject", "s3:ListBucket"],
            ["arn:aws:s3:::acme-reports", "arn:aws:s3:::acme-reports/*"],
            "ReportsRead",
        )
    )

    # P1 lambda-001: PassRole on * + create/invoke; an admin role trusts Lambda.
    t1 = g.role(
        "legacy-lambda-deployer",
        service_trust("lambda.amazonaws.com"),
        managed=admin,
        description="Old deployment function role (pre-2020)",
    )
    t.admins.append(t1)
    lambda_dev = [
        allow(
            [
                "lambda:CreateFunction",
                "lambda:InvokeFunction",
                "lambda:GetFunction",
                "lambda:UpdateFunctionConfiguration",
            ],
            f"arn:aws:lambda:*:{ACCOUNT}:function:*",
            "LambdaDev",
        )
    ]
    src = g.user(
        "contractor-jdoe",
        path="/contractors/",
        tags={"company": "Acme Contracting"},
        inline={"lambda-dev": doc(*lambda_dev, allow("iam:PassRole", "*", "PassAnyRole"))},
    )
    t.path(src, ["lambda-001"], "PassRole on * lets it run code as legacy-lambda-deployer (admin)")
    # N1: PassRole restricted to Glue by iam:PassedToService; it has no Glue actions.
    src = g.user(
        "contractor-asmith",
        path="/contractors/",
        tags={"company": "Acme Contracting"},
        inline={
            "lambda-dev": doc(
                *lambda_dev,
                allow(
                    "iam:PassRole",
                    f"{IAM}:role/*",
                    "PassToGlueOnly",
                    {"StringEquals": {"iam:PassedToService": "glue.amazonaws.com"}},
                ),
            )
        },
    )
    t.miss(src, "iam:PassedToService", "may pass roles only to Glue, and holds no Glue action")

    # P2 iam-001: CreatePolicyVersion on its own attached policy.
    own = g.customer_policy(
        "release-tooling",
        doc(
            allow(
                ["iam:CreatePolicyVersion", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions"],
                f"{IAM}:policy/release-tooling",
                "ManageOwnPolicy",
            ),
            allow(["codepipeline:StartPipelineExecution"], "*", "Pipelines"),
        ),
    )
    src = g.user("release-bot", path="/system/", managed=[own])
    t.path(src, ["iam-001"], "can write a new default version of the policy attached to itself")
    # N2: same, but the group iam-guardrails denies CreatePolicyVersion.
    guard = g.group(
        "iam-guardrails",
        inline={
            "deny-iam-policy-writes": doc(
                deny(
                    [
                        "iam:CreatePolicyVersion",
                        "iam:SetDefaultPolicyVersion",
                        "iam:AttachUserPolicy",
                        "iam:PutUserPolicy",
                    ],
                    "*",
                    "DenyPolicyWrites",
                )
            )
        },
    )
    own2 = g.customer_policy(
        "release-tooling-v2",
        doc(
            allow(["iam:CreatePolicyVersion", "iam:GetPolicyVersion"], f"{IAM}:policy/release-tooling-v2", "OwnPolicy")
        ),
    )
    src = g.user("release-bot-2", path="/system/", groups=[guard], managed=[own2])
    t.miss(src, "explicit Deny (group iam-guardrails)", "CreatePolicyVersion on its own policy is denied by its group")

    # P3 iam-008: AttachUserPolicy on itself through ${aws:username}.
    self_attach = doc(
        allow(
            ["iam:AttachUserPolicy", "iam:DetachUserPolicy", "iam:ListAttachedUserPolicies"],
            f"{IAM}:user/${{aws:username}}",
            "ManageOwnAttachments",
        )
    )
    src = g.user("data.wrangler", groups=[], inline={"self-service": self_attach}, tags=_person_tags(rng, "data"))
    t.path(src, ["iam-008"], "may attach any managed policy (AdministratorAccess) to itself")
    # N3: same, under a boundary that allows only S3 reads.
    boundary = g.customer_policy("reports-reader-boundary", bucket_read, path="/boundaries/")
    src = g.user("data.intern", inline={"self-service": self_attach}, boundary=boundary, tags=_person_tags(rng, "data"))
    t.miss(src, "permissions boundary", "its boundary allows only S3 reads, so AttachUserPolicy is denied")

    # P4 sts-001 x2: user -> role naming the user -> role naming that role (admin).
    mid_name, top_name = "ops-bastion", "platform-admin"
    user = g.user(
        "oncall.engineer",
        inline={"assume-bastion": doc(allow("sts:AssumeRole", f"{IAM}:role/{mid_name}", "AssumeBastion"))},
        tags=_person_tags(rng, "sre"),
    )
    mid = g.role(
        mid_name,
        trust({"AWS": user}),
        inline={
            "hop": doc(
                allow("sts:AssumeRole", f"{IAM}:role/{top_name}", "AssumePlatformAdmin"),
                allow(["ec2:Describe*", "cloudwatch:Get*"], "*", "Observe"),
            )
        },
    )
    top = g.role(top_name, trust({"AWS": mid}), managed=admin)
    t.admins.append(top)
    t.path(user, ["sts-001", "sts-001"], "assumes ops-bastion, which assumes platform-admin")
    t.path(mid, ["sts-001"], "assumes platform-admin (its trust names ops-bastion)")
    # N4: the admin role's trust requires MFA -> only a conditional path.
    sec_name = "security-admin"
    user = g.user(
        "sec.analyst",
        inline={"assume-security-admin": doc(allow("sts:AssumeRole", f"{IAM}:role/{sec_name}", "AssumeSecurityAdmin"))},
        tags=_person_tags(rng, "security"),
    )
    sec = g.role(
        sec_name, trust({"AWS": user}, condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}), managed=admin
    )
    t.admins.append(sec)
    t.miss(
        user,
        "aws:MultiFactorAuthPresent condition (conditional only)",
        "the trust of security-admin requires MFA: a conditional path, never a definite one",
    )

    # P5 iam-002: CreateAccessKey on an admin user.
    src = g.user(
        "svc-key-rotation",
        path="/system/",
        inline={
            "rotate-keys": doc(
                allow(
                    ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys"],
                    f"{IAM}:user/breakglass-admin",
                    "RotateKeys",
                )
            )
        },
    )
    t.path(src, ["iam-002"], "can mint access keys for breakglass-admin")
    # N5: CreateAccessKey only on itself.
    src = g.user(
        "svc-self-rotation",
        path="/system/",
        inline={
            "rotate-own-keys": doc(
                allow(
                    ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys"],
                    f"{IAM}:user/system/${{aws:username}}",
                    "RotateOwnKeys",
                )
            )
        },
    )
    t.miss(src, "policy variable ${aws:username}", "may create access keys only for itself")

    # P6 ec2-001: PassRole of an admin instance role + RunInstances.
    t2_name = "ec2-maintenance-admin"
    t2 = g.role(t2_name, service_trust("ec2.amazonaws.com"), managed=admin, instance_profile=True)
    t.admins.append(t2)
    launch = doc(
        allow("iam:PassRole", f"{IAM}:role/{t2_name}", "PassMaintenanceRole"),
        allow(["ec2:RunInstances", "ec2:Describe*", "ec2:CreateTags"], "*", "LaunchInstances"),
    )
    src = g.user("maint.scheduler", path="/system/", inline={"launch-maintenance": launch})
    t.path(src, ["ec2-001"], "launches an instance with the admin instance profile")
    # N6: same policy under a boundary that has no iam:PassRole.
    ec2_boundary = g.customer_policy(
        "ec2-operator-boundary", doc(allow(["ec2:*", "cloudwatch:*", "logs:*"], "*", "Ec2Only")), path="/boundaries/"
    )
    src = g.user("maint.scheduler-dev", path="/system/", inline={"launch-maintenance": launch}, boundary=ec2_boundary)
    t.miss(src, "permissions boundary", "its boundary does not allow iam:PassRole")

    # P7 glue-001 with permissions split over a group policy and the user's inline policy.
    t3_name = "glue-etl-admin"
    t3 = g.role(t3_name, service_trust("glue.amazonaws.com"), managed=admin)
    t.admins.append(t3)
    pass_group = g.group(
        "etl-operators",
        inline={
            "pass-etl-role": doc(
                allow(
                    "iam:PassRole",
                    f"{IAM}:role/{t3_name}",
                    "PassEtlRole",
                    {"StringEquals": {"iam:PassedToService": "glue.amazonaws.com"}},
                )
            )
        },
    )
    src = g.user(
        "etl.developer",
        groups=[pass_group],
        inline={
            "glue-dev": doc(
                allow(["glue:CreateDevEndpoint", "glue:GetDevEndpoint", "glue:GetDevEndpoints"], "*", "DevEndpoints")
            )
        },
        tags=_person_tags(rng, "data"),
    )
    t.path(src, ["glue-001"], "PassRole from its group + CreateDevEndpoint from its inline policy")

    # P8 SetDefaultPolicyVersion back to an older admin version of its own policy.
    arn = f"{IAM}:policy/ci-runner-permissions"
    cur = doc(
        allow(["iam:SetDefaultPolicyVersion", "iam:ListPolicyVersions"], arn, "ManageVersions"),
        allow(["s3:GetObject"], "arn:aws:s3:::acme-artifacts/*", "Artifacts"),
    )
    own = g.customer_policy("ci-runner-permissions", cur, older=[doc(allow("*", "*", "Bootstrap"))])
    src = g.user("ci-runner-legacy", path="/system/", managed=[own])
    t.path(
        src,
        [],
        "can make v1 (Action * on *) the default version of its own policy",
        hint="iam:SetDefaultPolicyVersion (no pathfinding id)",
    )
    # N7: the same, but every older version is harmless.
    arn = f"{IAM}:policy/ci-runner-permissions-2"
    cur = doc(allow(["iam:SetDefaultPolicyVersion", "iam:ListPolicyVersions"], arn, "ManageVersions"))
    own = g.customer_policy(
        "ci-runner-permissions-2",
        cur,
        older=[
            doc(allow(["s3:GetObject"], "arn:aws:s3:::acme-artifacts/*")),
            doc(
                allow(
                    ["s3:GetObject", "s3:ListBucket"], ["arn:aws:s3:::acme-artifacts", "arn:aws:s3:::acme-artifacts/*"]
                )
            ),
        ],
    )
    src = g.user("ci-runner-legacy-2", path="/system/", managed=[own])
    t.miss(src, "older versions are harmless", "SetDefaultPolicyVersion, but no version grants more than S3 reads")
    # N8: a role whose NON-default version is admin; nobody can change the default.
    own = g.customer_policy(
        "legacy-app-access",
        doc(allow(["sqs:SendMessage", "sqs:ReceiveMessage"], f"arn:aws:sqs:eu-west-1:{ACCOUNT}:legacy-*")),
        older=[doc(allow("*", "*")), doc(allow(["sqs:*", "s3:*"], "*"))],
    )
    src = g.role("legacy-app", service_trust("ec2.amazonaws.com"), managed=[own], instance_profile=True)
    t.miss(src, "non-default policy version", "only a non-default version of its policy grants * on *")

    # P9 provisioning: CreateUser + AttachUserPolicy + CreateAccessKey on user/* (no boundary forced).
    prov = [
        allow(
            ["iam:CreateUser", "iam:TagUser", "iam:AttachUserPolicy", "iam:PutUserPolicy", "iam:CreateAccessKey"],
            f"{IAM}:user/partners/*",
            "ProvisionUsers",
        )
    ]
    src = g.user("svc-partner-provisioner", path="/system/", inline={"provision": doc(*prov)})
    t.path(
        src,
        [],
        "creates a user under /partners/, attaches AdministratorAccess to it, takes its keys",
        hint="provisioning: iam:CreateUser + iam:AttachUserPolicy/PutUserPolicy + iam:CreateAccessKey",
    )
    # N9: the same actions only with a forced boundary, boundary edits denied.
    pb = g.customer_policy("provisioned-boundary", bucket_read, path="/boundaries/")
    cond = {"StringEquals": {"iam:PermissionsBoundary": pb}}
    src = g.user(
        "svc-partner-provisioner-v2",
        path="/system/",
        inline={
            "provision": doc(
                allow(
                    ["iam:CreateUser", "iam:AttachUserPolicy", "iam:PutUserPolicy"],
                    f"{IAM}:user/partners/*",
                    "ProvisionWithBoundary",
                    cond,
                ),
                allow(["iam:CreateAccessKey", "iam:TagUser"], f"{IAM}:user/partners/*", "PartnerKeys"),
                deny(["iam:DeleteUserPermissionsBoundary", "iam:PutUserPermissionsBoundary"], "*", "KeepBoundary"),
                deny(
                    [
                        "iam:CreatePolicyVersion",
                        "iam:SetDefaultPolicyVersion",
                        "iam:DeletePolicy",
                        "iam:DeletePolicyVersion",
                    ],
                    pb,
                    "ProtectBoundary",
                ),
            )
        },
    )
    t.miss(src, "iam:PermissionsBoundary condition", "every user it creates carries provisioned-boundary (S3 read)")

    # P10 iam-012 + sts-001: rewrite the trust of an admin role, then assume it.
    rel_name = "release-admin"
    rel = g.role(rel_name, service_trust("codebuild.amazonaws.com"), managed=admin)
    t.admins.append(rel)
    src = g.user(
        "release.manager",
        inline={
            "release": doc(
                allow(
                    ["iam:UpdateAssumeRolePolicy", "iam:GetRole", "sts:AssumeRole"], f"{IAM}:role/{rel_name}", "Release"
                )
            )
        },
        tags=_person_tags(rng, "release"),
    )
    t.path(src, ["iam-012"], "rewrites release-admin's trust policy to name itself, then assumes it")
    # N10: NotAction iam:* ("everything but IAM") - no PassRole, no IAM writes.
    src = g.user(
        "platform.engineer",
        inline={
            "everything-but-iam": doc(
                allow(["iam:*", "organizations:*", "account:*"], "*", "NotIam", not_action=True),
                allow(["iam:Get*", "iam:List*"], "*", "IamRead"),
            )
        },
        tags=_person_tags(rng, "platform"),
    )
    t.miss(src, "NotAction iam:*", "broad NotAction grant, but no iam:PassRole or IAM write to escalate with")


# ---------------------------------------------------------------------------------------------
# Noise: a realistic account around the plants, built so it holds no escalation of its own
# ---------------------------------------------------------------------------------------------
# Rules that keep the truth exhaustive (checked by tests/benchmarks/test_generator.py):
#  N-1 no noise principal holds an IAM write action, except self-service credential actions on
#      `user/${aws:username}` (and AWS managed policies that hold none: see SAFE_MANAGED);
#  N-2 iam:PassRole in noise is scoped to `role/app-*` names (or, in AmazonSageMakerFullAccess, by
#      iam:PassedToService to SageMaker); no admin role is named `app-*` or trusts SageMaker;
#  N-3 roles that trust the account root or another principal of the account are never admin;
#  N-4 the only admin noise is AWSReservedSSO_AdministratorAccess_* (SAML trust) and
#      OrganizationAccountAccessRole (management account trust).

APPS = (
    "orders",
    "payments",
    "checkout",
    "inventory",
    "catalog",
    "search",
    "auth",
    "notifications",
    "reporting",
    "analytics",
    "ingest",
    "etl",
    "fraud",
    "ledger",
    "shipping",
    "pricing",
    "recs",
    "profile",
    "media",
    "thumbnails",
    "export",
    "audit",
    "scheduler",
    "gateway",
    "webhooks",
    "crm",
    "support",
    "billing",
    "invoicing",
    "geo",
    "loyalty",
    "chat",
    "feeds",
    "identity",
    "risk",
)
ENVS = ("dev", "staging", "prod")
COMPONENTS = ("api", "worker", "consumer", "processor", "sync", "cron", "stream", "indexer", "backfill")
TEAMS = (
    "platform",
    "payments",
    "data",
    "ml",
    "web",
    "mobile",
    "security",
    "sre",
    "finance",
    "growth",
    "search",
    "identity",
    "logistics",
    "marketing",
    "partners",
)
FIRST = (
    "alex",
    "maria",
    "sam",
    "li",
    "priya",
    "john",
    "fatima",
    "lucas",
    "emma",
    "noah",
    "olga",
    "kenji",
    "sofia",
    "omar",
    "nina",
    "david",
    "chen",
    "ana",
    "tom",
    "zoe",
    "ivan",
    "leila",
    "raj",
    "eva",
)
LAST = (
    "smith",
    "garcia",
    "muller",
    "wang",
    "patel",
    "kim",
    "silva",
    "novak",
    "rossi",
    "dubois",
    "jensen",
    "tanaka",
    "okafor",
    "ivanova",
    "haddad",
    "nguyen",
    "brown",
    "costa",
    "berg",
    "khan",
)
SERVICE_MIX = (
    ("lambda", 34),
    ("ec2", 14),
    ("ecs-tasks", 20),
    ("glue", 5),
    ("codebuild", 5),
    ("sagemaker", 4),
    ("cloudformation", 4),
    ("states", 7),
    ("events", 7),
)
SERVICE_LINKED = (
    ("AWSServiceRoleForSupport", "support.amazonaws.com", "AWSSupportServiceRolePolicy"),
    ("AWSServiceRoleForTrustedAdvisor", "trustedadvisor.amazonaws.com", "AWSTrustedAdvisorServiceRolePolicy"),
    ("AWSServiceRoleForECS", "ecs.amazonaws.com", "AmazonECSServiceRolePolicy"),
    (
        "AWSServiceRoleForElasticLoadBalancing",
        "elasticloadbalancing.amazonaws.com",
        "AWSElasticLoadBalancingServiceRolePolicy",
    ),
    ("AWSServiceRoleForRDS", "rds.amazonaws.com", "AmazonRDSServiceRolePolicy"),
    ("AWSServiceRoleForConfig", "config.amazonaws.com", "AWSConfigServiceRolePolicy"),
    ("AWSServiceRoleForComputeOptimizer", "compute-optimizer.amazonaws.com", "ComputeOptimizerServiceRolePolicy"),
)
# AWS managed policies the noise attaches (checked: no IAM writes, no unscoped PassRole/AssumeRole).
SAFE_MANAGED = (
    "ReadOnlyAccess",
    "ViewOnlyAccess",
    "SecurityAudit",
    "Billing",
    "AWSSupportAccess",
    "AmazonS3ReadOnlyAccess",
    "AmazonEC2ReadOnlyAccess",
    "CloudWatchReadOnlyAccess",
    "AWSLambdaBasicExecutionRole",
    "AWSLambdaVPCAccessExecutionRole",
    "AmazonSSMManagedInstanceCore",
    "CloudWatchAgentServerPolicy",
    "AmazonECSTaskExecutionRolePolicy",
    "AWSGlueServiceRole",
    "AWSXrayWriteOnlyAccess",
    "AmazonSageMakerFullAccess",
    "AmazonAthenaFullAccess",
    "AmazonDynamoDBReadOnlyAccess",
    "AmazonSQSReadOnlyAccess",
    "AWSCodeBuildReadOnlyAccess",
    "AmazonEC2ContainerRegistryReadOnly",
    "PowerUserAccess",
)
REGIONS = ("eu-west-1", "us-east-1")


def _app_statements(rng: random.Random, app: str, env: str) -> list[Doc]:
    pool = [
        allow(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], f"arn:aws:s3:::acme-{app}-{env}-*/*", "Objects"),
        allow(["s3:ListBucket"], f"arn:aws:s3:::acme-{app}-{env}-*", "Buckets"),
        allow(
            [
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:Query",
                "dynamodb:BatchWriteItem",
            ],
            f"arn:aws:dynamodb:*:{ACCOUNT}:table/{app}-{env}-*",
            "Tables",
        ),
        allow(
            ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
            f"arn:aws:sqs:*:{ACCOUNT}:{app}-{env}-*",
            "Queues",
        ),
        allow(["sns:Publish"], f"arn:aws:sns:*:{ACCOUNT}:{app}-{env}-*", "Topics"),
        allow(["secretsmanager:GetSecretValue"], f"arn:aws:secretsmanager:*:{ACCOUNT}:secret:{app}/{env}/*", "Secrets"),
        allow(
            ["kms:Decrypt", "kms:GenerateDataKey"],
            f"arn:aws:kms:*:{ACCOUNT}:key/*",
            "Kms",
            {"StringLike": {"kms:ViaService": [f"s3.{r}.amazonaws.com" for r in REGIONS]}},
        ),
        allow(
            ["ssm:GetParameter", "ssm:GetParametersByPath"],
            f"arn:aws:ssm:*:{ACCOUNT}:parameter/{app}/{env}/*",
            "Params",
        ),
    ]
    return rng.sample(pool, rng.randint(2, 5))


def _older_versions(rng: random.Random, current: Doc) -> list[Doc]:
    """Earlier versions of an app policy: subsets or broader S3 grants, never IAM or `*`."""
    out = []
    for _ in range(rng.randint(1, 4)):
        sts = current["Statement"]
        pick = rng.sample(sts, max(1, len(sts) - 1))
        if rng.random() < 0.3:
            pick = [*pick, allow("s3:*", "arn:aws:s3:::acme-*", "LegacyS3")]
        out.append(doc(*pick))
    return out


def noise(g: Gaad, t: Truth, *, roles: int, users: int, groups: int, policies: int) -> None:
    rng = g.rng
    m = g.aws_managed
    # ---- account-wide policies and groups --------------------------------------------------
    force_mfa = g.customer_policy(
        "require-mfa",
        doc(
            allow(["iam:ListVirtualMFADevices", "iam:ListMFADevices", "iam:GetUser"], "*", "AllowViewMfa"),
            deny(
                [
                    "iam:CreateVirtualMFADevice",
                    "iam:EnableMFADevice",
                    "iam:GetUser",
                    "iam:ListMFADevices",
                    "iam:ListVirtualMFADevices",
                    "iam:ResyncMFADevice",
                    "sts:GetSessionToken",
                    "iam:ChangePassword",
                ],
                "*",
                "DenyAllExceptListedIfNoMFA",
                {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
                not_action=True,
            ),
        ),
        description="Deny everything but MFA set-up without MFA",
    )
    self_manage = g.customer_policy(
        "self-manage-credentials",
        doc(
            allow(
                [
                    "iam:ChangePassword",
                    "iam:GetLoginProfile",
                    "iam:UpdateLoginProfile",
                    "iam:CreateAccessKey",
                    "iam:DeleteAccessKey",
                    "iam:ListAccessKeys",
                    "iam:UpdateAccessKey",
                    "iam:GetAccessKeyLastUsed",
                ],
                f"{IAM}:user/${{aws:username}}",
                "ManageOwnCredentials",
            ),
            allow(
                ["iam:CreateVirtualMFADevice", "iam:DeleteVirtualMFADevice"],
                f"{IAM}:mfa/${{aws:username}}",
                "ManageOwnVirtualMFA",
            ),
            allow(
                ["iam:EnableMFADevice", "iam:DeactivateMFADevice", "iam:ResyncMFADevice"],
                f"{IAM}:user/${{aws:username}}",
                "ManageOwnMFA",
                {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
            ),
        ),
    )
    dev_boundary = g.customer_policy(
        "developer-boundary",
        doc(
            allow(["iam:*", "organizations:*", "account:*"], "*", "NoIam", not_action=True),
            allow(["iam:Get*", "iam:List*"], "*", "IamRead"),
        ),
        path="/boundaries/",
    )
    app_boundary = g.customer_policy(
        "app-boundary",
        doc(
            allow(
                [
                    "s3:*",
                    "dynamodb:*",
                    "sqs:*",
                    "sns:*",
                    "logs:*",
                    "xray:*",
                    "kms:Decrypt",
                    "ssm:Get*",
                    "secretsmanager:GetSecretValue",
                    "cloudwatch:PutMetricData",
                ],
                "*",
                "AppServices",
            ),
            deny(["s3:DeleteBucket", "dynamodb:DeleteTable"], "*", "NoDestroy"),
        ),
        path="/boundaries/",
    )
    dev_pass = g.customer_policy(
        "developer-passrole",
        doc(
            allow(
                "iam:PassRole",
                f"{IAM}:role/app-*",
                "PassAppRoles",
                {"StringEquals": {"iam:PassedToService": ["lambda.amazonaws.com", "ecs-tasks.amazonaws.com"]}},
            ),
            allow(["iam:Get*", "iam:List*"], "*", "ReadIam"),
        ),
    )
    region_guard = g.customer_policy(
        "region-guard",
        doc(
            deny(
                [
                    "iam:*",
                    "sts:*",
                    "organizations:*",
                    "support:*",
                    "cloudfront:*",
                    "route53:*",
                    "budgets:*",
                    "waf:*",
                    "globalaccelerator:*",
                ],
                "*",
                "DenyOutsideApprovedRegions",
                {"StringNotEquals": {"aws:RequestedRegion": list(REGIONS)}},
                not_action=True,
            )
        ),
    )
    deny_delete = g.customer_policy(
        "deny-prod-data-delete",
        doc(
            deny(
                [
                    "s3:DeleteBucket",
                    "s3:DeleteObjectVersion",
                    "dynamodb:DeleteTable",
                    "rds:DeleteDBInstance",
                    "rds:DeleteDBCluster",
                ],
                "*",
                "NoProdDataDeletion",
                {"StringEquals": {"aws:ResourceTag/env": "prod"}},
            )
        ),
    )
    all_staff = g.group("all-staff", managed=[force_mfa, self_manage])
    fixed_groups = {
        "developers": [m("PowerUserAccess"), dev_pass, deny_delete],
        "readonly": [m("ReadOnlyAccess")],
        "billing": [m("Billing")],
        "security-audit": [m("SecurityAudit")],
        "support": [m("AWSSupportAccess"), m("ViewOnlyAccess")],
        "data-analysts": [m("AmazonAthenaFullAccess"), m("AmazonS3ReadOnlyAccess")],
    }
    group_names = [g.group(k, managed=v) for k, v in fixed_groups.items()]
    while len(g.groups) < groups:
        team, env = rng.choice(TEAMS), rng.choice(ENVS)
        kind = rng.choice(("developers", "operators", "readers"))
        sts = [
            allow(
                ["s3:GetObject", "s3:ListBucket", *(["s3:PutObject"] if kind != "readers" else [])],
                [f"arn:aws:s3:::acme-{team}-{env}-*", f"arn:aws:s3:::acme-{team}-{env}-*/*"],
                "TeamBuckets",
            ),
            allow(
                ["ec2:StartInstances", "ec2:StopInstances", "ec2:RebootInstances"],
                "*",
                "OwnInstances",
                {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}},
            ),
            allow(["logs:Get*", "logs:Describe*", "logs:FilterLogEvents", "cloudwatch:Get*"], "*", "Observe"),
        ]
        if kind == "operators":
            sts.append(
                allow(
                    ["ecs:UpdateService", "ecs:DescribeServices"],
                    f"arn:aws:ecs:*:{ACCOUNT}:service/{team}-{env}/*",
                    "RollServices",
                    {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]}},
                )
            )
        managed = [g.customer_policy(f"{team}-{env}-{kind}", doc(*sts))]
        if rng.random() < 0.3:
            managed.append(region_guard)
        if env == "prod" and rng.random() < 0.6:
            managed.append(deny_delete)
        group_names.append(g.group(f"{team}-{env}-{kind}", managed=managed))

    # ---- roles ---------------------------------------------------------------------------
    for name, svc, pol in SERVICE_LINKED:
        g.role(
            name,
            service_trust(svc),
            path=f"/aws-service-role/{svc}/",
            managed=[m(pol)],
            description="Service-linked role",
        )
    sso_sets = (
        "AdministratorAccess",
        "PowerUserAccess",
        "ReadOnlyAccess",
        "ViewOnlyAccess",
        "Billing",
        "SecurityAudit",
        "DeveloperAccess",
        "DataAnalyst",
    )
    saml_trust = trust(
        {"Federated": SAML_SSO},
        ["sts:AssumeRoleWithSAML", "sts:TagSession"],
        {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
    )
    for ps in sso_sets:
        suffix = "".join(rng.choices("0123456789abcdef", k=16))
        managed = [m(ps)] if ps not in ("DeveloperAccess", "DataAnalyst") else []
        inline = (
            {
                "AwsSSOInlinePolicy": doc(
                    allow(["s3:*", "dynamodb:*", "lambda:Get*", "logs:*"], "*", "Dev"), deny("iam:*", "*", "NoIam")
                )
            }
            if ps == "DeveloperAccess"
            else {
                "AwsSSOInlinePolicy": doc(
                    allow(["athena:*", "glue:Get*", "s3:GetObject", "s3:ListBucket"], "*", "Analyst")
                )
            }
            if ps == "DataAnalyst"
            else None
        )
        arn = g.role(
            f"AWSReservedSSO_{ps}_{suffix}",
            saml_trust,
            path="/aws-reserved/sso.amazonaws.com/",
            managed=managed,
            inline=inline,
            max_session=43200,
        )
        t.risky_trust["saml"].append(arn)
        if ps == "AdministratorAccess":
            t.admins.append(arn)
            t.external_to_admin.append({"source": SAML_SSO, "target": arn})
    org = g.role(
        "OrganizationAccountAccessRole", trust({"AWS": f"arn:aws:iam::{MGMT_ACCOUNT}:root"}), managed=[ADMIN_ARN]
    )
    t.admins.append(org)
    t.external_to_admin.append({"source": f"arn:aws:iam::{MGMT_ACCOUNT}:root", "target": org})
    t.risky_trust["cross_account_without_external_id"].append(org)

    for i in range(max(4, roles // 100)):
        vendor = VENDOR_ACCOUNTS[i % len(VENDOR_ACCOUNTS)]
        principal = f"arn:aws:iam::{vendor}:root" if i % 3 else f"arn:aws:iam::{vendor}:role/integration-{i}"
        with_id = i % 2 == 0
        cond = {"StringEquals": {"sts:ExternalId": f"acme-{rng.getrandbits(64):016x}"}} if with_id else None
        arn = g.role(
            f"vendor-{('audit', 'monitoring', 'costs', 'backup')[i % 4]}-{i}",
            trust({"AWS": principal}, condition=cond),
            managed=[m(("SecurityAudit", "ReadOnlyAccess", "ViewOnlyAccess", "CloudWatchReadOnlyAccess")[i % 4])],
            tags={"vendor-account": vendor},
        )
        t.risky_trust["cross_account_with_external_id" if with_id else "cross_account_without_external_id"].append(arn)

    for _ in range(max(4, roles // 50)):
        app, env = rng.choice(APPS), rng.choice(ENVS)
        cond: Doc = {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}
        with_sub = rng.random() < 0.7
        if with_sub:
            cond["StringLike"] = {
                "token.actions.githubusercontent.com:sub": rng.choice(
                    [
                        f"repo:acme-corp/{app}:ref:refs/heads/main",
                        f"repo:acme-corp/{app}:environment:{env}",
                        f"repo:acme-corp/{app}:*",
                    ]
                )
            }
        arn = g.role(
            f"gha-{app}-{env}-deploy",
            trust({"Federated": OIDC_GH}, "sts:AssumeRoleWithWebIdentity", cond),
            path="/ci/",
            inline={
                "deploy": doc(
                    allow(
                        ["s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:DeleteObject"],
                        [f"arn:aws:s3:::acme-{app}-{env}-deploy", f"arn:aws:s3:::acme-{app}-{env}-deploy/*"],
                    ),
                    allow(
                        ["lambda:UpdateFunctionCode", "lambda:GetFunction", "lambda:PublishVersion"],
                        f"arn:aws:lambda:*:{ACCOUNT}:function:app-{app}-{env}-*",
                        "Functions",
                    ),
                    allow(
                        [
                            "cloudformation:CreateStack",
                            "cloudformation:UpdateStack",
                            "cloudformation:Describe*",
                            "cloudformation:CreateChangeSet",
                            "cloudformation:ExecuteChangeSet",
                        ],
                        f"arn:aws:cloudformation:*:{ACCOUNT}:stack/app-{app}-{env}-*/*",
                        "Stacks",
                    ),
                    allow(
                        "iam:PassRole",
                        f"{IAM}:role/app-{app}-{env}-*",
                        "PassAppRoles",
                        {
                            "StringEquals": {
                                "iam:PassedToService": ["lambda.amazonaws.com", "cloudformation.amazonaws.com"]
                            }
                        },
                    ),
                    allow(["ecr:GetAuthorizationToken"], "*"),
                    allow(
                        [
                            "ecr:PutImage",
                            "ecr:InitiateLayerUpload",
                            "ecr:UploadLayerPart",
                            "ecr:CompleteLayerUpload",
                            "ecr:BatchCheckLayerAvailability",
                        ],
                        f"arn:aws:ecr:*:{ACCOUNT}:repository/{app}-*",
                    ),
                )
            },
        )
        t.risky_trust["oidc_with_sub" if with_sub else "oidc_without_sub"].append(arn)

    root = f"arn:aws:iam::{ACCOUNT}:root"
    for _ in range(max(3, roles // 25)):
        team = rng.choice(TEAMS)
        mfa = {"Bool": {"aws:MultiFactorAuthPresent": "true"}} if rng.random() < 0.5 else None
        kind = rng.choice(("readonly", "oncall", "viewer"))
        managed = [
            m({"readonly": "ReadOnlyAccess", "oncall": "CloudWatchReadOnlyAccess", "viewer": "ViewOnlyAccess"}[kind])
        ]
        inline = (
            {
                "oncall": doc(
                    allow(["ssm:GetParameter", "logs:StartQuery", "logs:GetQueryResults"], "*"),
                    allow(["ecs:DescribeServices", "ecs:ListTasks"], "*"),
                )
            }
            if kind == "oncall"
            else None
        )
        g.role(
            f"team-{team}-{kind}",
            trust({"AWS": root}, condition=mfa),
            managed=managed,
            inline=inline,
            tags={"team": team},
        )

    app_policy_budget = policies - max(2, policies // 10)  # leave ~10% unattached legacy policies
    app_role_arns: list[str] = []
    services = [s for s, w in SERVICE_MIX for _ in range(w)]
    while len(g.roles) < roles:
        svc, app, env, comp = rng.choice(services), rng.choice(APPS), rng.choice(ENVS), rng.choice(COMPONENTS)
        sts = _app_statements(rng, app, env)
        managed: list[str] = []
        inline: dict[str, Doc] | None = None
        if g.customer_count < app_policy_budget and rng.random() < 0.6:
            current = doc(*sts)
            older = _older_versions(rng, current) if rng.random() < 0.12 else []
            managed.append(g.customer_policy(f"app-{app}-{env}-{comp}-{svc.split('-')[0]}", current, older=older))
        else:
            inline = {f"{app}-{env}-access": doc(*sts)}
        path, name, profile = "/", f"app-{app}-{env}-{comp}-{svc.split('-')[0]}", False
        if svc == "lambda":
            managed.append(
                m("AWSLambdaVPCAccessExecutionRole" if rng.random() < 0.3 else "AWSLambdaBasicExecutionRole")
            )
        elif svc == "ec2":
            profile = True
            managed += [m("AmazonSSMManagedInstanceCore"), m("CloudWatchAgentServerPolicy")]
        elif svc == "ecs-tasks":
            if rng.random() < 0.4:
                name, managed = f"app-{app}-{env}-{comp}-task-exec", [m("AmazonECSTaskExecutionRolePolicy")]
        elif svc == "glue":
            managed.append(m("AWSGlueServiceRole"))
            path, name = "/service-role/", f"AWSGlueServiceRole-{app}-{env}"
        elif svc == "codebuild":
            path, name = "/service-role/", f"codebuild-{app}-{env}-service-role"
            inline = {
                f"CodeBuildBasePolicy-{app}-{env}": doc(
                    allow(
                        ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                        f"arn:aws:logs:*:{ACCOUNT}:log-group:/aws/codebuild/{app}-{env}*",
                    ),
                    allow(
                        ["s3:PutObject", "s3:GetObject", "s3:GetObjectVersion"], f"arn:aws:s3:::codepipeline-*-{app}/*"
                    ),
                )
            }
        elif svc == "sagemaker":
            managed.append(m("AmazonSageMakerFullAccess"))
            path, name = "/service-role/", f"AmazonSageMaker-ExecutionRole-{g.date(2020, 2025)[:10].replace('-', '')}"
        elif svc == "cloudformation":
            name = f"app-{app}-{env}-cfn-exec"
            inline = {
                "deploy": doc(
                    allow(["lambda:*", "dynamodb:*", "sqs:*", "sns:*", "s3:*", "logs:*", "events:*"], "*", "AppStack"),
                    allow(
                        "iam:PassRole",
                        f"{IAM}:role/app-{app}-{env}-*",
                        "PassAppRoles",
                        {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}},
                    ),
                    deny(["s3:DeleteBucket"], "*"),
                )
            }
        elif svc == "states":
            inline = {
                "invoke": doc(
                    allow("lambda:InvokeFunction", f"arn:aws:lambda:*:{ACCOUNT}:function:app-{app}-*"),
                    allow(["xray:PutTraceSegments", "xray:GetSamplingRules"], "*"),
                )
            }
        elif svc == "events":
            inline = {
                "targets": doc(
                    allow("states:StartExecution", f"arn:aws:states:*:{ACCOUNT}:stateMachine:{app}-*"),
                    allow("lambda:InvokeFunction", f"arn:aws:lambda:*:{ACCOUNT}:function:app-{app}-*"),
                )
            }
        roll = rng.random()
        if roll < 0.03 and app_role_arns:  # a role assumable by another app role of the account
            trust_doc = trust({"AWS": rng.choice(app_role_arns)})
            name = f"app-{app}-{env}-{comp}-reader"
        else:
            trust_doc = service_trust(f"{svc}.amazonaws.com")
        arn = g.role(
            name,
            trust_doc,
            path=path,
            managed=managed,
            inline=inline,
            instance_profile=profile,
            boundary=app_boundary if rng.random() < 0.2 else None,
            tags={"app": app, "env": env, "owner": rng.choice(TEAMS)},
        )
        app_role_arns.append(arn)

    # ---- users ---------------------------------------------------------------------------
    while len(g.users) < users:
        if rng.random() < 0.25:
            app, env = rng.choice(APPS), rng.choice(ENVS)
            sts = _app_statements(rng, app, env)
            if rng.random() < 0.4:
                sts = [{**s, "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}} for s in sts]
            g.user(
                f"svc-{app}-{env}",
                path=rng.choice(("/system/", "/service-accounts/")),
                inline={f"{app}-access": doc(*sts)},
                tags={"app": app, "env": env},
            )
            continue
        team = rng.choice(TEAMS)
        mine = [all_staff, *rng.sample(group_names, rng.randint(1, 3))]
        inline = None
        if rng.random() < 0.05:
            inline = {
                "temporary-access": doc(
                    allow(
                        ["s3:GetObject"],
                        f"arn:aws:s3:::acme-{team}-prod-*/*",
                        None,
                        {"DateLessThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}},
                    )
                )
            }
        g.user(
            f"{rng.choice(FIRST)}.{rng.choice(LAST)}",
            path=rng.choice(("/", "/", "/people/")),
            groups=mine,
            inline=inline,
            boundary=dev_boundary if rng.random() < 0.15 else None,
            tags=_person_tags(rng, team),
        )

    # ---- unattached customer policies to reach the policy count -----------------------------
    while g.customer_count < policies:
        app, env = rng.choice(APPS), rng.choice(ENVS)
        current = doc(*_app_statements(rng, app, env))
        g.customer_policy(
            f"legacy-{app}-{env}", current, older=_older_versions(rng, current) if rng.random() < 0.2 else []
        )


def generate(roles: int, seed: int) -> tuple[Doc, Doc]:
    """(GAAD, truth) for an account of `roles` roles; users ~ roles/2, groups ~ roles/20 (<= 300),
    customer-managed policies ~ roles/2."""
    if roles < 100:
        raise ValueError("roles must be >= 100")
    g, t = Gaad(random.Random(seed)), Truth()
    plant(g, t)
    noise(g, t, roles=roles, users=roles // 2, groups=min(300, max(12, roles // 20)), policies=roles // 2)
    truth = {
        "truth_version": TRUTH_VERSION,
        "generator": "benchmarks/generate_account.py",
        "seed": seed,
        "roles": roles,
        "account": ACCOUNT,
        "exhaustive": True,
        "counts": {
            "users": len(g.users),
            "groups": len(g.groups),
            "roles": len(g.roles),
            "customer_policies": g.customer_count,
            "aws_managed_policies": len(g.policies) - g.customer_count,
        },
        "reaches_admin": t.reaches_admin,
        "near_misses": t.near_misses,
        "admins": sorted(t.admins),
        "external_to_admin": t.external_to_admin,
        "risky_trust": t.risky_trust,
        "notes": [
            "reaches_admin: every in-account principal expected to reach admin definitively (and not admin "
            "itself); techniques: pathfinding ids the path must include, in order (empty: no pathfinding id, "
            "see technique_hint)",
            "near_misses: principals that must NOT reach admin definitively (a conditional finding is allowed)",
            "exhaustive: no other in-account user or role reaches admin definitively",
            "admins: principals allowed * on * themselves",
        ],
    }
    return g.gaad(), truth


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--roles", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    gaad, truth = generate(args.roles, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(gaad) + "\n", encoding="utf-8")
    Path(f"{args.out}.truth.json").write_text(json.dumps(truth, indent=2) + "\n", encoding="utf-8")
    c = truth["counts"]
    print(
        f"{args.out}: {args.out.stat().st_size / 1e6:.1f} MB, {c['roles']} roles, {c['users']} users, "
        f"{c['groups']} groups, {c['customer_policies']} customer + {c['aws_managed_policies']} AWS managed "
        f"policies; {len(truth['reaches_admin'])} planted paths, {len(truth['near_misses'])} near-misses",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
