"""sts-001: sts:AssumeRole where trust policy and identity policy allow it."""

from ..base import Case, Category
from ..families import AssumeRole
from ..testkit import account, allow, arn, deny, role, trust_aws, user

SRC = arn("user", "dev")
TARGET = arn("role", "target")

TECHNIQUE = AssumeRole(
    id="sts-001",
    name="sts:AssumeRole",
    category=Category.PRINCIPAL_ACCESS,
    actions=("sts:AssumeRole",),
    description="Assume a role whose trust policy allows the principal (directly, or its account with an identity policy allowing it).",
    remediation="Name specific principals in the trust policy (not the account root), and limit sts:AssumeRole in identity policies to the roles needed.",
    references=("https://pathfinding.cloud/paths/sts-001",),
    cases=(
        Case("trust-names-user", True, account(users=[user("dev")], roles=[role("target", trust_aws(SRC))]), SRC, target=TARGET),
        Case("root-trust-with-identity", True, account(users=[user("dev", allow("sts:AssumeRole", TARGET))],
                                                       roles=[role("target", trust_aws("arn:aws:iam::111111111111:root"))]), SRC, target=TARGET),
        Case("root-trust-without-identity", False, account(users=[user("dev", allow("s3:*"))],
                                                           roles=[role("target", trust_aws("arn:aws:iam::111111111111:root"))]), SRC, target=TARGET),
        Case("denied", False, account(users=[user("dev", deny("sts:AssumeRole"))], roles=[role("target", trust_aws(SRC))]), SRC, target=TARGET),
        Case("mfa-trust", True, account(users=[user("dev")], roles=[role("target", trust_aws(SRC, Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}))]),
             SRC, target=TARGET, conditional=True),
    ),
)
