"""iam-020: iam:CreatePolicyVersion + iam:UpdateAssumeRolePolicy on another (non-admin) role, through a customer managed policy attached to it, rewrites its trust and assumes it."""

from ..base import Case, Category
from ..families import AccessAndModify
from ..testkit import account, allow, arn, deny, doc, managed_policy, role, trust_service, user

SRC = arn("user", "dev")
TARGET = arn("role", "deployer")
ACTIONS = ("iam:CreatePolicyVersion", "iam:UpdateAssumeRolePolicy")
ROLE_POLICY = managed_policy("deployer-policy", doc(allow("s3:GetObject")))
BOUNDARY = managed_policy("deployer-boundary", doc(allow("s3:*")))


def _account(*statements: dict, trust: dict | None = None, boundary: bool = False) -> dict:
    """dev holds `statements`; deployer is a non-admin role trusting only EC2."""
    target = role("deployer", trust or trust_service("ec2.amazonaws.com"), managed=(ROLE_POLICY["Arn"],),
                  boundary=BOUNDARY["Arn"] if boundary else None)
    return account(users=[user("dev", *statements)], roles=[target], policies=[ROLE_POLICY, BOUNDARY])


TECHNIQUE = AccessAndModify(
    id="iam-020",
    name="iam:CreatePolicyVersion + iam:UpdateAssumeRolePolicy",
    category=Category.PRINCIPAL_ACCESS,
    actions=ACTIONS,
    description="Publish an admin version of a customer managed policy attached to a role, rewrite the role's trust policy to name the principal, and assume it.",
    remediation="Restrict iam:CreatePolicyVersion to policies not attached to privileged roles, and Deny iam:UpdateAssumeRolePolicy on roles the principal does not own.",
    target_kind="role",
    modify="create-policy-version",
    access="update-trust",
    cases=(
        Case("both-on-target", True, _account(allow(list(ACTIONS), [TARGET, ROLE_POLICY["Arn"]])), SRC),
        Case("mfa", True, _account(allow(list(ACTIONS), Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})), SRC, conditional=True),
        Case("no-customer-policy", False, account(users=[user("dev", allow(list(ACTIONS)))],
                                               roles=[role("deployer", trust_service("ec2.amazonaws.com"), allow("s3:GetObject"))]), SRC),
        Case("trust-update-denied", False, _account(allow(list(ACTIONS)), deny("iam:UpdateAssumeRolePolicy", TARGET)), SRC),
        Case("target-bounded", False, _account(allow(list(ACTIONS)), boundary=True), SRC),
    ),
)
