"""iam-005: iam:PutRolePolicy on the principal's own role."""

from ..base import Case, Category
from ..families import EditOwnPolicy
from ..testkit import account, allow, arn, doc, managed_policy, role, trust_service

SRC = arn("role", "app")
BOUNDARY = managed_policy("app-boundary", doc(allow(["s3:*", "iam:PutRolePolicy"])))


def _account(*statements: dict, boundary: bool = False) -> dict:
    r = role("app", trust_service("ec2.amazonaws.com"), *statements, boundary=arn("policy", "app-boundary") if boundary else None)
    return account(roles=[r], policies=[BOUNDARY])


TECHNIQUE = EditOwnPolicy(
    id="iam-005",
    name="iam:PutRolePolicy",
    category=Category.SELF_ESCALATION,
    actions=("iam:PutRolePolicy",),
    description="A role writes an inline policy granting `*` on `*` onto itself.",
    remediation="Do not allow iam:PutRolePolicy on the role's own ARN (scope Resource to the roles it manages), or attach a permissions boundary that caps it.",
    references=("https://pathfinding.cloud/paths/iam-005",),
    target="self-role",
    cases=(
        Case("own-role", True, _account(allow("iam:PutRolePolicy", SRC)), SRC),
        Case("all-roles", True, _account(allow("iam:PutRolePolicy", "arn:aws:iam::111111111111:role/*")), SRC),
        Case("source-ip", True, _account(allow("iam:PutRolePolicy", Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),
             SRC, conditional=True),
        Case("other-roles-only", False, _account(allow("iam:PutRolePolicy", "arn:aws:iam::111111111111:role/lambda-*")), SRC),
        Case("bounded", False, _account(allow("iam:PutRolePolicy"), boundary=True), SRC),
    ),
)
