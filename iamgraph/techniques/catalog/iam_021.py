"""iam-021: iam:PutRolePolicy + iam:UpdateAssumeRolePolicy on another (non-admin) role, rewrites its trust policy and assumes it."""

from ..base import Case, Category
from ..families import AccessAndModify
from ..testkit import account, allow, arn, deny, doc, managed_policy, role, trust_service, user

SRC = arn("user", "dev")
TARGET = arn("role", "deployer")
ACTIONS = ("iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy")
ROLE_POLICY = managed_policy("deployer-policy", doc(allow("s3:GetObject")))
BOUNDARY = managed_policy("deployer-boundary", doc(allow("s3:*")))


def _account(*statements: dict, trust: dict | None = None, boundary: bool = False) -> dict:
    """dev holds `statements`; deployer is a non-admin role trusting only EC2."""
    target = role("deployer", trust or trust_service("ec2.amazonaws.com"), managed=(ROLE_POLICY["Arn"],),
                  boundary=BOUNDARY["Arn"] if boundary else None)
    return account(users=[user("dev", *statements)], roles=[target], policies=[ROLE_POLICY, BOUNDARY])


TECHNIQUE = AccessAndModify(
    id="iam-021",
    name="iam:PutRolePolicy + iam:UpdateAssumeRolePolicy",
    category=Category.PRINCIPAL_ACCESS,
    actions=ACTIONS,
    description="Write an admin inline policy onto a role, rewrite its trust policy to name the principal, and assume it.",
    remediation="Deny iam:PutRolePolicy and iam:UpdateAssumeRolePolicy on roles the principal does not own, or give those roles a permissions boundary.",
    target_kind="role",
    modify="put-policy",
    access="update-trust",
    cases=(
        Case("both-on-target", True, _account(allow(list(ACTIONS), TARGET)), SRC),
        Case("mfa", True, _account(allow(list(ACTIONS), Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})), SRC, conditional=True),
        Case("put-elsewhere", False, _account(allow("iam:PutRolePolicy", "arn:aws:iam::111111111111:role/app-*"), allow("iam:UpdateAssumeRolePolicy", TARGET)), SRC),
        Case("assume-denied", False, _account(allow(list(ACTIONS)), deny("sts:AssumeRole", TARGET)), SRC),
        Case("target-bounded", False, _account(allow(list(ACTIONS)), boundary=True), SRC),
    ),
)
