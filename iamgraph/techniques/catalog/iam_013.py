"""iam-013: iam:AddUserToGroup into a group whose policies make the user admin."""

from ..base import Case, Category
from ..families import AddSelfToGroup
from ..testkit import ADMIN_ARN, account, allow, arn, deny, doc, group, managed_policy, user

SRC = arn("user", "dev")
ADMINS = arn("group", "admins")
BOUNDARY = managed_policy("dev-boundary", doc(allow(["s3:*", "iam:AddUserToGroup"])))


def _account(*statements: dict, boundary: bool = False) -> dict:
    u = user("dev", *statements, boundary=arn("policy", "dev-boundary") if boundary else None)
    return account(users=[u], groups=[group("admins", managed=(ADMIN_ARN,)), group("readers", allow("s3:GetObject"))],
                   policies=[BOUNDARY])


TECHNIQUE = AddSelfToGroup(
    id="iam-013",
    name="iam:AddUserToGroup",
    category=Category.SELF_ESCALATION,
    actions=("iam:AddUserToGroup",),
    description="A user adds itself to a group that holds administrator permissions.",
    remediation="Scope iam:AddUserToGroup to the groups the principal administers and Deny it on privileged groups (e.g. Resource arn:aws:iam::*:group/admins).",
    references=("https://pathfinding.cloud/paths/iam-013",),
    cases=(
        Case("any-group", True, _account(allow("iam:AddUserToGroup")), SRC),
        Case("admin-group-named", True, _account(allow("iam:AddUserToGroup", ADMINS)), SRC),
        Case("mfa", True, _account(allow("iam:AddUserToGroup", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})),
             SRC, conditional=True),
        Case("readers-only", False, _account(allow("iam:AddUserToGroup", arn("group", "readers"))), SRC),
        Case("admin-group-denied", False, _account(allow("iam:AddUserToGroup"), deny("iam:AddUserToGroup", ADMINS)), SRC),
        Case("bounded", False, _account(allow("iam:AddUserToGroup"), boundary=True), SRC),
    ),
)
