"""iam-014: iam:AttachRolePolicy + sts:AssumeRole on another (non-admin) role, then assumes it."""

from ..base import Case, Category
from ..families import AccessAndModify
from ..testkit import account, allow, arn, doc, managed_policy, role, trust_aws, trust_service, user

SRC = arn("user", "dev")
TARGET = arn("role", "deployer")
ACTIONS = ("iam:AttachRolePolicy", "sts:AssumeRole")
ROLE_POLICY = managed_policy("deployer-policy", doc(allow("s3:GetObject")))
BOUNDARY = managed_policy("deployer-boundary", doc(allow("s3:*")))


def _account(*statements: dict, trust: dict | None = None, boundary: bool = False) -> dict:
    """dev holds `statements`; deployer is a non-admin role trusting dev."""
    target = role("deployer", trust or trust_aws(SRC), managed=(ROLE_POLICY["Arn"],),
                  boundary=BOUNDARY["Arn"] if boundary else None)
    return account(users=[user("dev", *statements)], roles=[target], policies=[ROLE_POLICY, BOUNDARY])


TECHNIQUE = AccessAndModify(
    id="iam-014",
    name="iam:AttachRolePolicy + sts:AssumeRole",
    category=Category.PRINCIPAL_ACCESS,
    actions=ACTIONS,
    description="Attach an admin managed policy to a role whose trust policy already names the principal, then assume it.",
    remediation="Scope iam:AttachRolePolicy away from roles the principal can assume (or restrict it with Condition ArnEquals iam:PolicyARN to non-admin policies).",
    target_kind="role",
    modify="attach-policy",
    access="assume",
    cases=(
        Case("both-on-target", True, _account(allow(list(ACTIONS), TARGET)), SRC),
        Case("mfa", True, _account(allow(list(ACTIONS), Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})), SRC, conditional=True),
        Case("role-does-not-trust-dev", False, _account(allow(list(ACTIONS)), trust=trust_service("ec2.amazonaws.com")), SRC),
        Case("read-only-policy-only", False, _account(allow("iam:AttachRolePolicy", TARGET, Condition={"ArnEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}}),
                                                    allow("sts:AssumeRole", TARGET)), SRC),
        Case("target-bounded", False, _account(allow(list(ACTIONS)), boundary=True), SRC),
    ),
)
