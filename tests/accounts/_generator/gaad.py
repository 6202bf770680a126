"""Tiny builder for GAAD-shaped accounts (used only to generate tests/accounts/*.json)."""

import hashlib
import json

ACCT = "123456789012"


def _id(prefix, key):
    h = hashlib.sha1(key.encode()).digest()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    n = int.from_bytes(h, "big")
    s = ""
    for _ in range(17):
        s += alphabet[n % 32]
        n //= 32
    return prefix + s


def _date(key, year=2023):
    h = int(hashlib.sha1(key.encode()).hexdigest(), 16)
    m = 1 + h % 12
    d = 1 + (h >> 4) % 28
    hh = (h >> 9) % 24
    mm = (h >> 14) % 60
    ss = (h >> 20) % 60
    return f"{year}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}:{ss:02d}+00:00"


def doc(*stmts):
    return {"Version": "2012-10-17", "Statement": list(stmts)}


def allow(actions, resources="*", sid=None, cond=None, not_action=False, not_resource=False):
    s = {}
    if sid:
        s["Sid"] = sid
    s["Effect"] = "Allow"
    s["NotAction" if not_action else "Action"] = actions
    s["NotResource" if not_resource else "Resource"] = resources
    if cond:
        s["Condition"] = cond
    return s


def deny(actions, resources="*", sid=None, cond=None, not_action=False):
    s = allow(actions, resources, sid, cond, not_action)
    s["Effect"] = "Deny"
    return s


def trust_aws(principal, cond=None, sid=""):
    s = {"Sid": sid, "Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
    if cond:
        s["Condition"] = cond
    return doc(s)


def trust_service(services):
    return doc({"Sid": "", "Effect": "Allow", "Principal": {"Service": services}, "Action": "sts:AssumeRole"})


def arn(kind, name, path="/"):
    return f"arn:aws:iam::{ACCT}:{kind}{path}{name}"


ROOT = f"arn:aws:iam::{ACCT}:root"

AWS_MANAGED = {
    "AdministratorAccess": (
        "ANPAIWMBCKSKIEE64ZLYK",
        "2015-02-06T18:39:46+00:00",
        doc({"Effect": "Allow", "Action": "*", "Resource": "*"}),
    ),
    "PowerUserAccess": (
        "ANPAJYRXTHIB4FOVS3ZXS",
        "2015-02-06T18:39:47+00:00",
        doc(
            {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"},
            {
                "Effect": "Allow",
                "Action": [
                    "account:GetAccountInformation",
                    "account:GetPrimaryEmail",
                    "account:ListRegions",
                    "iam:CreateServiceLinkedRole",
                    "iam:DeleteServiceLinkedRole",
                    "iam:ListRoles",
                    "organizations:DescribeOrganization",
                ],
                "Resource": "*",
            },
        ),
    ),
    "AmazonSSMManagedInstanceCore": (
        "ANPAIXSHM2BNB2D3AXXRU",
        "2019-03-15T17:22:12+00:00",
        doc(
            {
                "Effect": "Allow",
                "Action": [
                    "ssm:DescribeAssociation",
                    "ssm:GetDeployablePatchSnapshotForInstance",
                    "ssm:GetDocument",
                    "ssm:DescribeDocument",
                    "ssm:GetManifest",
                    "ssm:GetParameter",
                    "ssm:GetParameters",
                    "ssm:ListAssociations",
                    "ssm:ListInstanceAssociations",
                    "ssm:PutInventory",
                    "ssm:PutComplianceItems",
                    "ssm:PutConfigurePackageResult",
                    "ssm:UpdateAssociationStatus",
                    "ssm:UpdateInstanceAssociationStatus",
                    "ssm:UpdateInstanceInformation",
                ],
                "Resource": "*",
            },
            {
                "Effect": "Allow",
                "Action": [
                    "ssmmessages:CreateControlChannel",
                    "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel",
                    "ssmmessages:OpenDataChannel",
                ],
                "Resource": "*",
            },
            {
                "Effect": "Allow",
                "Action": [
                    "ec2messages:AcknowledgeMessage",
                    "ec2messages:DeleteMessage",
                    "ec2messages:FailMessage",
                    "ec2messages:GetEndpoint",
                    "ec2messages:GetMessages",
                    "ec2messages:SendReply",
                ],
                "Resource": "*",
            },
        ),
    ),
    "AWSLambdaBasicExecutionRole": (
        "ANPAJNCQGXC42545SKXIK",
        "2015-04-09T15:03:43+00:00",
        doc(
            {
                "Effect": "Allow",
                "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": "*",
            }
        ),
    ),
}


def aws_policy_arn(name):
    return (
        f"arn:aws:iam::aws:policy/{name}"
        if name != "AWSLambdaBasicExecutionRole"
        else "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    )


class Account:
    def __init__(self):
        self.users, self.groups, self.roles, self.policies = [], [], [], {}

    def policy(self, name, document, versions=None, description=""):
        """Customer managed policy; versions = list of (doc, is_default) overriding document."""
        a = arn("policy", name)
        vers = versions or [(document, True)]
        vlist = []
        for i, (d, dflt) in enumerate(vers, 1):
            vlist.append(
                {
                    "Document": d,
                    "VersionId": f"v{i}",
                    "IsDefaultVersion": dflt,
                    "CreateDate": _date(a + str(i), 2024 if i > 1 else 2023),
                }
            )
        default = next(v["VersionId"] for v in vlist if v["IsDefaultVersion"])
        self.policies[a] = {
            "PolicyName": name,
            "PolicyId": _id("ANPA", a),
            "Arn": a,
            "Path": "/",
            "DefaultVersionId": default,
            "AttachmentCount": 0,
            "PermissionsBoundaryUsageCount": 0,
            "IsAttachable": True,
            "CreateDate": vlist[0]["CreateDate"],
            "UpdateDate": vlist[-1]["CreateDate"],
            "PolicyVersionList": vlist,
        }
        if description:
            self.policies[a]["Description"] = description
        return a

    def aws(self, name):
        a = aws_policy_arn(name)
        if a not in self.policies:
            pid, date, d = AWS_MANAGED[name]
            self.policies[a] = {
                "PolicyName": name,
                "PolicyId": pid,
                "Arn": a,
                "Path": "/service-role/" if "service-role" in a else "/",
                "DefaultVersionId": "v1",
                "AttachmentCount": 0,
                "PermissionsBoundaryUsageCount": 0,
                "IsAttachable": True,
                "CreateDate": date,
                "UpdateDate": date,
                "PolicyVersionList": [{"Document": d, "VersionId": "v1", "IsDefaultVersion": True, "CreateDate": date}],
            }
        return a

    def _attached(self, arns):
        out = []
        for a in arns:
            if a.startswith("arn:aws:iam::aws:policy/"):
                self.aws(a.rsplit("/", 1)[1])
            self.policies[a]["AttachmentCount"] += 1
            out.append({"PolicyName": self.policies[a]["PolicyName"], "PolicyArn": a})
        return out

    def _boundary(self, entry, b):
        if b:
            if b.startswith("arn:aws:iam::aws:policy/"):
                self.aws(b.rsplit("/", 1)[1])
            self.policies[b]["PermissionsBoundaryUsageCount"] += 1
            entry["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": b}

    def user(self, name, managed=(), inline=None, groups=(), boundary=None, tags=None):
        a = arn("user", name)
        e = {
            "Path": "/",
            "UserName": name,
            "UserId": _id("AIDA", a),
            "Arn": a,
            "CreateDate": _date(a),
            "UserPolicyList": [{"PolicyName": k, "PolicyDocument": v} for k, v in (inline or {}).items()],
            "GroupList": list(groups),
            "AttachedManagedPolicies": self._attached(managed),
            "Tags": tags or [],
        }
        self._boundary(e, boundary)
        self.users.append(e)
        return a

    def group(self, name, managed=(), inline=None):
        a = arn("group", name)
        self.groups.append(
            {
                "Path": "/",
                "GroupName": name,
                "GroupId": _id("AGPA", a),
                "Arn": a,
                "CreateDate": _date(a),
                "GroupPolicyList": [{"PolicyName": k, "PolicyDocument": v} for k, v in (inline or {}).items()],
                "AttachedManagedPolicies": self._attached(managed),
            }
        )
        return a

    def role(self, name, trust, managed=(), inline=None, boundary=None, instance_profile=None, description=""):
        a = arn("role", name)
        rid = _id("AROA", a)
        e = {
            "Path": "/",
            "RoleName": name,
            "RoleId": rid,
            "Arn": a,
            "CreateDate": _date(a),
            "AssumeRolePolicyDocument": trust,
            "InstanceProfileList": [],
            "RolePolicyList": [{"PolicyName": k, "PolicyDocument": v} for k, v in (inline or {}).items()],
            "AttachedManagedPolicies": self._attached(managed),
            "Tags": [],
            "RoleLastUsed": {},
        }
        if description:
            e["Description"] = description
        e["MaxSessionDuration"] = 3600
        self._boundary(e, boundary)
        if instance_profile:
            ip = arn("instance-profile", instance_profile)
            e["InstanceProfileList"].append(
                {
                    "Path": "/",
                    "InstanceProfileName": instance_profile,
                    "InstanceProfileId": _id("AIPA", ip),
                    "Arn": ip,
                    "CreateDate": _date(ip),
                    "Roles": [
                        {
                            "Path": "/",
                            "RoleName": name,
                            "RoleId": rid,
                            "Arn": a,
                            "CreateDate": e["CreateDate"],
                            "AssumeRolePolicyDocument": trust,
                        }
                    ],
                }
            )
        self.roles.append(e)
        return a

    def dump(self, path):
        out = {
            "UserDetailList": self.users,
            "GroupDetailList": self.groups,
            "RoleDetailList": self.roles,
            "Policies": list(self.policies.values()),
        }
        with open(path, "w") as f:
            json.dump(out, f, indent=2)
            f.write("\n")
