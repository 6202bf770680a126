"""iam-delete-role-permissions-boundary: a role removes the permissions boundary that is all that keeps it from admin."""

from ..base import Case, Category
from ..families import RemoveOwnBoundary
from ..testkit import account, allow, arn, doc, managed_policy, role, trust_service

SRC = arn("role", "app")
BOUNDARY_ARN = arn("policy", "app-boundary")


def _account(*boundary_statements: dict, identity: tuple[dict, ...] = (), admin: bool = True) -> dict:
    """app: AdministratorAccess (if `admin`) + `identity`, bounded by app-boundary (`boundary_statements`)."""
    b = managed_policy("app-boundary", doc(allow("s3:*"), *boundary_statements))
    r = role("app", trust_service("ec2.amazonaws.com"), *identity, admin=admin, boundary=BOUNDARY_ARN)
    return account(roles=[r], policies=[b])


TECHNIQUE = RemoveOwnBoundary(
    id="iam-delete-role-permissions-boundary",
    name="iam:DeleteRolePermissionsBoundary",
    category=Category.SELF_ESCALATION,
    actions=("iam:DeleteRolePermissionsBoundary",),
    description="A role whose identity policies grant admin deletes its own permissions boundary.",
    remediation="Leave iam:DeleteRolePermissionsBoundary (and iam:PutRolePermissionsBoundary) out of the boundary policy itself, or add a Deny for it on the role's own ARN.",
    references=("https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",),
    cases=(
        Case("boundary-allows-removal", True, _account(allow("iam:DeleteRolePermissionsBoundary", SRC)), SRC),
        Case("source-ip", True, _account(allow("iam:DeleteRolePermissionsBoundary", Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),
             SRC, conditional=True),
        Case("boundary-forbids-removal", False, _account(allow("iam:List*")), SRC),
        Case("removal-scoped-to-other-roles", False, _account(allow("iam:DeleteRolePermissionsBoundary", "arn:aws:iam::111111111111:role/tmp-*")), SRC),
        Case("identity-not-admin", False, _account(allow("iam:DeleteRolePermissionsBoundary"),
                                                   identity=(allow(["s3:*", "iam:DeleteRolePermissionsBoundary"]),), admin=False), SRC),
    ),
)
