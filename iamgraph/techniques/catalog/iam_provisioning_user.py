"""iam-provisioning-user: iam:CreateUser, then put/attach an admin policy on the new user and get its credentials.

Safe only when an `iam:PermissionsBoundary` condition forces a boundary that keeps the new user
below admin and the boundary cannot be deleted afterwards.
"""

from ...model import NodeKind
from ..base import Case, Category
from ..case_builders import account, allow, arn, deny, doc, managed_policy, user
from ..families import Provisioning

SRC = arn("user", "provisioner")
S3_ONLY = arn("policy", "s3-only")
WIDE = arn("policy", "wide-boundary")
FORCE = {"StringEquals": {"iam:PermissionsBoundary": S3_ONLY}}


def _account(*statements: dict) -> dict:
    """provisioner holds `statements`; boundaries s3-only (narrow) and wide-boundary (`*`) exist."""
    return account(
        users=[user("provisioner", *statements)],
        policies=[managed_policy("s3-only", doc(allow("s3:*"))), managed_policy("wide-boundary", doc(allow("*")))],
    )


TECHNIQUE = Provisioning(
    id="iam-provisioning-user",
    name="iam:CreateUser + iam:PutUserPolicy/AttachUserPolicy + iam:CreateAccessKey",
    category=Category.SELF_ESCALATION,
    actions=("iam:CreateUser",),  # plus one of Put/AttachUserPolicy and one of CreateAccessKey/CreateLoginProfile
    description="Create a new user, give it an admin policy, and take its access key or console password.",
    remediation="Require Condition StringEquals iam:PermissionsBoundary <a narrow boundary> on iam:CreateUser, iam:PutUserPolicy and iam:AttachUserPolicy, and Deny iam:DeleteUserPermissionsBoundary.",
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html#access_policies_boundaries-delegate",
    ),
    entity=NodeKind.USER,
    cases=(
        Case("unbounded", True, _account(allow(["iam:CreateUser", "iam:PutUserPolicy", "iam:CreateAccessKey"])), SRC),
        Case(
            "attach-admin-and-password",
            True,
            _account(
                allow(
                    ["iam:CreateUser", "iam:AttachUserPolicy", "iam:CreateLoginProfile"],
                    "arn:aws:iam::111111111111:user/app-*",
                )
            ),
            SRC,
        ),
        Case(
            "mfa",
            True,
            _account(
                allow("iam:CreateUser", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
                allow(["iam:PutUserPolicy", "iam:CreateAccessKey"]),
            ),
            SRC,
            conditional=True,
        ),
        Case(
            "boundary-forced-but-removable",
            True,
            _account(
                allow(["iam:CreateUser", "iam:PutUserPolicy"], Condition=FORCE),
                allow(["iam:CreateAccessKey", "iam:DeleteUserPermissionsBoundary"]),
            ),
            SRC,
        ),
        Case(
            "boundary-forced-but-wide",
            True,
            _account(
                allow(
                    ["iam:CreateUser", "iam:PutUserPolicy"],
                    Condition={"StringEquals": {"iam:PermissionsBoundary": WIDE}},
                ),
                allow("iam:CreateAccessKey"),
            ),
            SRC,
        ),
        Case(
            "boundary-forced",
            False,
            _account(
                allow(["iam:CreateUser", "iam:PutUserPolicy", "iam:AttachUserPolicy"], Condition=FORCE),
                allow("iam:CreateAccessKey"),
            ),
            SRC,
        ),
        Case(
            "no-credentials",
            False,
            _account(allow(["iam:CreateUser", "iam:PutUserPolicy", "iam:AttachUserPolicy"])),
            SRC,
        ),
        Case(
            "cannot-grant",
            False,
            _account(
                allow(["iam:CreateUser", "iam:CreateAccessKey", "iam:TagUser"]),
                deny(["iam:PutUserPolicy", "iam:AttachUserPolicy"]),
                allow("iam:PutUserPolicy"),
            ),
            SRC,
        ),
    ),
)
