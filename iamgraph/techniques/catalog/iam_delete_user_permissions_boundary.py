"""iam-delete-user-permissions-boundary: a user removes the permissions boundary that is all that keeps it from admin."""

from ..base import Case, Category
from ..families import RemoveOwnBoundary
from ..testkit import ADMIN_ARN, account, allow, arn, deny, doc, managed_policy, user

SRC = arn("user", "dev")
BOUNDARY_ARN = arn("policy", "dev-boundary")


def _account(*boundary_statements: dict, identity: tuple[dict, ...] = (), admin: bool = True) -> dict:
    """dev: AdministratorAccess (if `admin`) + `identity`, bounded by dev-boundary (`boundary_statements`)."""
    b = managed_policy("dev-boundary", doc(allow("s3:*"), *boundary_statements))
    u = user("dev", *identity, managed=(ADMIN_ARN,) if admin else (), boundary=BOUNDARY_ARN)
    return account(users=[u], policies=[b])


TECHNIQUE = RemoveOwnBoundary(
    id="iam-delete-user-permissions-boundary",
    name="iam:DeleteUserPermissionsBoundary",
    category=Category.SELF_ESCALATION,
    actions=("iam:DeleteUserPermissionsBoundary",),
    description="A user whose identity policies grant admin deletes its own permissions boundary.",
    remediation="Leave iam:DeleteUserPermissionsBoundary (and iam:PutUserPermissionsBoundary) out of the boundary policy itself, or add a Deny for it on the user's own ARN.",
    references=("https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",),
    cases=(
        Case("boundary-allows-removal", True, _account(allow("iam:DeleteUserPermissionsBoundary")), SRC),
        Case("boundary-allows-iam-star", True, _account(allow("iam:*")), SRC),
        Case("mfa", True, _account(allow("iam:DeleteUserPermissionsBoundary", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})),
             SRC, conditional=True),
        Case("boundary-forbids-removal", False, _account(allow("iam:Get*")), SRC),
        Case("identity-not-admin", False, _account(allow("iam:DeleteUserPermissionsBoundary"),
                                                   identity=(allow(["s3:*", "iam:DeleteUserPermissionsBoundary"]),), admin=False), SRC),
        Case("explicit-deny", False, _account(allow("iam:*"), identity=(deny("iam:DeleteUserPermissionsBoundary", SRC),)), SRC),
    ),
)
