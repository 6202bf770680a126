"""iam-012: iam:UpdateAssumeRolePolicy on a role, rewriting its trust to name the principal, then assuming it."""

from ..base import Case, Category
from ..families import UpdateTrustThenAssume
from ..testkit import account, allow, arn, deny, role, trust_service, user

SRC = arn("user", "dev")
TARGET = arn("role", "ops-admin")


def _account(*statements: dict) -> dict:
    """dev holds `statements`; ops-admin is an admin role trusting only EC2."""
    return account(users=[user("dev", *statements)], roles=[role("ops-admin", trust_service("ec2.amazonaws.com"), admin=True)])


TECHNIQUE = UpdateTrustThenAssume(
    id="iam-012",
    name="iam:UpdateAssumeRolePolicy",
    category=Category.PRINCIPAL_ACCESS,
    actions=("iam:UpdateAssumeRolePolicy",),
    description="Rewrite a role's trust policy so it trusts the principal, then assume the role.",
    remediation="Scope iam:UpdateAssumeRolePolicy to the roles the principal owns and Deny it on privileged roles; an identity Deny on sts:AssumeRole for those roles also breaks the second step.",
    references=("https://pathfinding.cloud/paths/iam-012",),
    cases=(
        Case("all-roles", True, _account(allow("iam:UpdateAssumeRolePolicy")), SRC, target=TARGET),
        Case("target-named", True, _account(allow("iam:UpdateAssumeRolePolicy", TARGET)), SRC, target=TARGET),
        Case("mfa", True, _account(allow("iam:UpdateAssumeRolePolicy", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})),
             SRC, target=TARGET, conditional=True),
        Case("other-roles-only", False, _account(allow("iam:UpdateAssumeRolePolicy", "arn:aws:iam::111111111111:role/app-*")),
             SRC, target=TARGET),
        Case("assume-denied", False, _account(allow("iam:UpdateAssumeRolePolicy"), deny("sts:AssumeRole", TARGET)), SRC, target=TARGET),
        Case("update-denied", False, _account(allow("iam:*"), deny("iam:UpdateAssumeRolePolicy", TARGET)), SRC, target=TARGET),
    ),
)
