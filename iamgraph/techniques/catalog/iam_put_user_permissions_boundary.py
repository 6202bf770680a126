"""iam-put-user-permissions-boundary: a bounded user replaces its own permissions boundary with an admin-granting policy."""

from ..base import Case, Category
from ..families import ReplaceOwnBoundary
from ..testkit import ADMIN_ARN, account, allow, arn, deny, doc, managed_policy, user

SRC = arn("user", "dev")
BOUNDARY_ARN = arn("policy", "dev-boundary")
PB = "iam:PermissionsBoundary"


def _account(*boundary_statements: dict, identity: tuple[dict, ...] = (), admin: bool = True) -> dict:
    """dev: AdministratorAccess (if `admin`) + `identity`, bounded by dev-boundary (`boundary_statements`)."""
    b = managed_policy("dev-boundary", doc(allow("s3:*"), *boundary_statements))
    p = user("dev", *identity, managed=(ADMIN_ARN,) if admin else (), boundary=BOUNDARY_ARN)
    return account(users=[p], policies=[b])


TECHNIQUE = ReplaceOwnBoundary(
    id="iam-put-user-permissions-boundary",
    name="iam:PutUserPermissionsBoundary",
    category=Category.SELF_ESCALATION,
    actions=("iam:PutUserPermissionsBoundary",),
    description="A user whose identity policies grant admin sets AdministratorAccess (or another admin-granting policy) as its own permissions boundary.",
    remediation="Allow iam:PutUserPermissionsBoundary only with Condition StringEquals iam:PermissionsBoundary naming the intended boundary, and deny it on the principal's own ARN.",
    references=("https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",),
    cases=(
        Case("boundary-allows-swap", True, _account(allow("iam:PutUserPermissionsBoundary", SRC)), SRC),
        Case("mfa", True, _account(allow("iam:PutUserPermissionsBoundary", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})),
             SRC, conditional=True),
        Case("swap-pinned-to-the-same-boundary", False,
             _account(allow("iam:PutUserPermissionsBoundary", Condition={"StringEquals": {PB: BOUNDARY_ARN}})), SRC),
        Case("boundary-forbids-swap", False, _account(allow("iam:Get*")), SRC),
        Case("identity-not-admin", False, _account(allow("iam:PutUserPermissionsBoundary"),
                                                   identity=(allow(["s3:*", "iam:PutUserPermissionsBoundary"]),), admin=False), SRC),
        Case("explicit-deny", False, _account(allow("iam:*"), identity=(deny("iam:PutUserPermissionsBoundary", SRC),)), SRC),
    ),
)
