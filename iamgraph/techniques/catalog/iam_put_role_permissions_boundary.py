"""iam-put-role-permissions-boundary: a bounded role replaces its own permissions boundary with an admin-granting policy."""

from ..base import Case, Category
from ..families import ReplaceOwnBoundary
from ..testkit import ADMIN_ARN, account, allow, arn, deny, doc, managed_policy, role, trust_service

SRC = arn("role", "dev")
BOUNDARY_ARN = arn("policy", "dev-boundary")
PB = "iam:PermissionsBoundary"


def _account(*boundary_statements: dict, identity: tuple[dict, ...] = (), admin: bool = True) -> dict:
    """dev: AdministratorAccess (if `admin`) + `identity`, bounded by dev-boundary (`boundary_statements`)."""
    b = managed_policy("dev-boundary", doc(allow("s3:*"), *boundary_statements))
    p = role("dev", trust_service("ec2.amazonaws.com"), *identity, managed=(ADMIN_ARN,) if admin else (), boundary=BOUNDARY_ARN)
    return account(roles=[p], policies=[b])


TECHNIQUE = ReplaceOwnBoundary(
    id="iam-put-role-permissions-boundary",
    name="iam:PutRolePermissionsBoundary",
    category=Category.SELF_ESCALATION,
    actions=("iam:PutRolePermissionsBoundary",),
    description="A role whose identity policies grant admin sets AdministratorAccess (or another admin-granting policy) as its own permissions boundary.",
    remediation="Allow iam:PutRolePermissionsBoundary only with Condition StringEquals iam:PermissionsBoundary naming the intended boundary, and deny it on the principal's own ARN.",
    references=("https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",),
    cases=(
        Case("boundary-allows-swap", True, _account(allow("iam:PutRolePermissionsBoundary", SRC)), SRC),
        Case("mfa", True, _account(allow("iam:PutRolePermissionsBoundary", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})),
             SRC, conditional=True),
        Case("swap-pinned-to-the-same-boundary", False,
             _account(allow("iam:PutRolePermissionsBoundary", Condition={"StringEquals": {PB: BOUNDARY_ARN}})), SRC),
        Case("boundary-forbids-swap", False, _account(allow("iam:Get*")), SRC),
        Case("identity-not-admin", False, _account(allow("iam:PutRolePermissionsBoundary"),
                                                   identity=(allow(["s3:*", "iam:PutRolePermissionsBoundary"]),), admin=False), SRC),
        Case("explicit-deny", False, _account(allow("iam:*"), identity=(deny("iam:PutRolePermissionsBoundary", SRC),)), SRC),
    ),
)
