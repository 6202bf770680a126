"""iam-009: iam:AttachRolePolicy on the principal's own role (an admin managed policy exists)."""

from ..base import Case, Category
from ..families import EditOwnPolicy
from ..testkit import account, allow, arn, deny, role, trust_service

SRC = arn("role", "app")
READ_ONLY = {"ArnEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}}


def _account(*statements: dict) -> dict:
    return account(roles=[role("app", trust_service("lambda.amazonaws.com"), *statements)])


TECHNIQUE = EditOwnPolicy(
    id="iam-009",
    name="iam:AttachRolePolicy",
    category=Category.SELF_ESCALATION,
    actions=("iam:AttachRolePolicy",),
    description="A role attaches an admin managed policy (e.g. AdministratorAccess) to itself.",
    remediation="Do not allow iam:AttachRolePolicy on the role's own ARN, or restrict it with Condition ArnEquals iam:PolicyARN to non-admin policies.",
    references=("https://pathfinding.cloud/paths/iam-009",),
    target="self-role",
    attach=True,
    cases=(
        Case("own-role", True, _account(allow("iam:AttachRolePolicy", SRC)), SRC),
        Case("any-policy-not-readonly", True, _account(allow("iam:AttachRolePolicy", SRC, Condition={"ArnNotEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}})), SRC),
        Case("source-ip", True, _account(allow("iam:AttachRolePolicy", SRC, Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),
             SRC, conditional=True),
        Case("read-only-policy-only", False, _account(allow("iam:AttachRolePolicy", SRC, Condition=READ_ONLY)), SRC),
        Case("explicit-deny", False, _account(allow("iam:AttachRolePolicy"), deny("iam:AttachRolePolicy")), SRC),
    ),
)
