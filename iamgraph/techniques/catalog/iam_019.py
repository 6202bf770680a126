"""iam-019: iam:AttachRolePolicy + iam:UpdateAssumeRolePolicy on another (non-admin) role, rewrites its trust policy and assumes it."""

from ..base import Case, Category
from ..families import AccessAndModify
from ..testkit import account, allow, arn, deny, doc, managed_policy, role, trust_service, user

SRC = arn("user", "dev")
TARGET = arn("role", "deployer")
ACTIONS = ("iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy")
ROLE_POLICY = managed_policy("deployer-policy", doc(allow("s3:GetObject")))
BOUNDARY = managed_policy("deployer-boundary", doc(allow("s3:*")))


def _account(*statements: dict, trust: dict | None = None, boundary: bool = False) -> dict:
    """dev holds `statements`; deployer is a non-admin role trusting only EC2."""
    target = role("deployer", trust or trust_service("ec2.amazonaws.com"), managed=(ROLE_POLICY["Arn"],),
                  boundary=BOUNDARY["Arn"] if boundary else None)
    return account(users=[user("dev", *statements)], roles=[target], policies=[ROLE_POLICY, BOUNDARY])


TECHNIQUE = AccessAndModify(
    id="iam-019",
    name="iam:AttachRolePolicy + iam:UpdateAssumeRolePolicy",
    category=Category.PRINCIPAL_ACCESS,
    actions=ACTIONS,
    description="Attach an admin managed policy to a role, rewrite its trust policy to name the principal, and assume it.",
    remediation="Deny iam:UpdateAssumeRolePolicy (and iam:AttachRolePolicy with admin iam:PolicyARN values) on roles the principal does not own.",
    target_kind="role",
    modify="attach-policy",
    access="update-trust",
    cases=(
        Case("both-on-target", True, _account(allow(list(ACTIONS), TARGET)), SRC),
        Case("mfa", True, _account(allow(list(ACTIONS), Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})), SRC, conditional=True),
        Case("trust-update-elsewhere", False, _account(allow("iam:AttachRolePolicy", TARGET), allow("iam:UpdateAssumeRolePolicy", "arn:aws:iam::111111111111:role/app-*")), SRC),
        Case("assume-denied", False, _account(allow(list(ACTIONS)), deny("sts:AssumeRole")), SRC),
        Case("target-bounded", False, _account(allow(list(ACTIONS)), boundary=True), SRC),
    ),
)
