"""iam-016: iam:CreatePolicyVersion + sts:AssumeRole on another (non-admin) role, through a customer managed policy attached to it, then assumes it."""

from ..base import Case, Category
from ..families import AccessAndModify
from ..testkit import account, allow, arn, deny, doc, managed_policy, role, trust_aws, trust_service, user

SRC = arn("user", "dev")
TARGET = arn("role", "deployer")
ACTIONS = ("iam:CreatePolicyVersion", "sts:AssumeRole")
ROLE_POLICY = managed_policy("deployer-policy", doc(allow("s3:GetObject")))
BOUNDARY = managed_policy("deployer-boundary", doc(allow("s3:*")))


def _account(*statements: dict, trust: dict | None = None, boundary: bool = False) -> dict:
    """dev holds `statements`; deployer is a non-admin role trusting dev."""
    target = role("deployer", trust or trust_aws(SRC), managed=(ROLE_POLICY["Arn"],),
                  boundary=BOUNDARY["Arn"] if boundary else None)
    return account(users=[user("dev", *statements)], roles=[target], policies=[ROLE_POLICY, BOUNDARY])


TECHNIQUE = AccessAndModify(
    id="iam-016",
    name="iam:CreatePolicyVersion + sts:AssumeRole",
    category=Category.PRINCIPAL_ACCESS,
    actions=ACTIONS,
    description="Publish an admin version of a customer managed policy attached to a role that trusts the principal, then assume the role.",
    remediation="Restrict iam:CreatePolicyVersion to policies not attached to roles the principal can assume, or remove the principal from those roles' trust policies.",
    target_kind="role",
    modify="create-policy-version",
    access="assume",
    cases=(
        Case("both-on-target", True, _account(allow(list(ACTIONS), [TARGET, ROLE_POLICY["Arn"]])), SRC),
        Case("mfa", True, _account(allow(list(ACTIONS), Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})), SRC, conditional=True),
        Case("role-does-not-trust-dev", False, _account(allow(list(ACTIONS)), trust=trust_service("ec2.amazonaws.com")), SRC),
        Case("other-policies-only", False, _account(allow("iam:CreatePolicyVersion", "arn:aws:iam::111111111111:policy/app-*"), allow("sts:AssumeRole")), SRC),
        Case("assume-denied", False, _account(allow(list(ACTIONS)), deny("sts:AssumeRole", TARGET)), SRC),
    ),
)
