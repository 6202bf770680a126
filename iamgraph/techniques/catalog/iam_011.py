"""iam-011: iam:PutGroupPolicy on a group the user belongs to."""

from ..base import Case, Category
from ..families import EditOwnPolicy
from ..testkit import account, allow, arn, deny, group, user

SRC = arn("user", "dev")
DEVS = arn("group", "devs")


def _account(*statements: dict, member: bool = True) -> dict:
    u = user("dev", *statements, groups=("devs",) if member else ())
    return account(users=[u], groups=[group("devs", allow("s3:ListBucket")), group("ops")])


TECHNIQUE = EditOwnPolicy(
    id="iam-011",
    name="iam:PutGroupPolicy",
    category=Category.SELF_ESCALATION,
    actions=("iam:PutGroupPolicy",),
    description="A user writes an inline policy granting `*` on `*` onto one of its own groups.",
    remediation="Do not allow iam:PutGroupPolicy on groups the principal belongs to (scope Resource to other groups), or cap it with a permissions boundary.",
    references=("https://pathfinding.cloud/paths/iam-011",),
    target="own-groups",
    cases=(
        Case("own-group", True, _account(allow("iam:PutGroupPolicy", DEVS)), SRC),
        Case("group-wildcard", True, _account(allow("iam:PutGroupPolicy", "arn:aws:iam::111111111111:group/dev*")), SRC),
        Case("source-ip", True, _account(allow("iam:PutGroupPolicy", DEVS, Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),
             SRC, conditional=True),
        Case("not-a-member", False, _account(allow("iam:PutGroupPolicy", DEVS), member=False), SRC),
        Case("other-group-only", False, _account(allow("iam:PutGroupPolicy", arn("group", "ops"))), SRC),
        Case("explicit-deny", False, _account(allow("iam:PutGroupPolicy"), deny("iam:PutGroupPolicy", DEVS)), SRC),
    ),
)
