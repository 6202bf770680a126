"""iam-provisioning-role: iam:CreateRole trusting itself, then put/attach an admin policy on it and assume it.

Safe only when an `iam:PermissionsBoundary` condition forces a boundary that keeps the new role
below admin and the boundary cannot be deleted afterwards.
"""

from ...model import NodeKind
from ..base import Case, Category
from ..case_builders import account, allow, arn, deny, doc, managed_policy, role, trust_service
from ..families import Provisioning

SRC = arn("role", "ci-deployer")
S3_ONLY = arn("policy", "s3-only")
FORCE = {"StringEquals": {"iam:PermissionsBoundary": S3_ONLY}}


def _account(*statements: dict) -> dict:
    """ci-deployer (a CodeBuild role) holds `statements`; boundary s3-only exists."""
    return account(
        roles=[role("ci-deployer", trust_service("codebuild.amazonaws.com"), *statements)],
        policies=[managed_policy("s3-only", doc(allow("s3:*")))],
    )


TECHNIQUE = Provisioning(
    id="iam-provisioning-role",
    name="iam:CreateRole + iam:PutRolePolicy/AttachRolePolicy + sts:AssumeRole",
    category=Category.SELF_ESCALATION,
    actions=("iam:CreateRole",),  # plus one of Put/AttachRolePolicy; the trust it writes lets it assume the role
    description="Create a new role whose trust policy names the principal, give it an admin policy, and assume it.",
    remediation="Require Condition StringEquals iam:PermissionsBoundary <a narrow boundary> on iam:CreateRole, iam:PutRolePolicy and iam:AttachRolePolicy, and Deny iam:DeleteRolePermissionsBoundary.",
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html#access_policies_boundaries-delegate",
    ),
    entity=NodeKind.ROLE,
    cases=(
        Case("unbounded", True, _account(allow(["iam:CreateRole", "iam:PutRolePolicy"])), SRC),
        Case(
            "attach-admin",
            True,
            _account(allow(["iam:CreateRole", "iam:AttachRolePolicy"], "arn:aws:iam::111111111111:role/app-*")),
            SRC,
        ),
        Case(
            "source-ip",
            True,
            _account(
                allow(["iam:CreateRole", "iam:PutRolePolicy"], Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})
            ),
            SRC,
            conditional=True,
        ),
        Case(
            "boundary-forced-but-removable",
            True,
            _account(
                allow(["iam:CreateRole", "iam:PutRolePolicy"], Condition=FORCE),
                allow("iam:DeleteRolePermissionsBoundary"),
            ),
            SRC,
        ),
        Case(
            "boundary-forced",
            False,
            _account(allow(["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy"], Condition=FORCE)),
            SRC,
        ),
        Case(
            "assume-denied",
            False,
            _account(allow(["iam:CreateRole", "iam:PutRolePolicy"]), deny("sts:AssumeRole")),
            SRC,
        ),
        Case(
            "attach-read-only-only",
            False,
            _account(
                allow("iam:CreateRole"),
                allow(
                    "iam:AttachRolePolicy",
                    Condition={"ArnEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}},
                ),
            ),
            SRC,
        ),
    ),
)
