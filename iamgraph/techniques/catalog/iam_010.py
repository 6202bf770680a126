"""iam-010: iam:AttachGroupPolicy on a group the user belongs to."""

from ..base import Case, Category
from ..families import EditOwnPolicy
from ..testkit import account, allow, arn, doc, group, managed_policy, user

SRC = arn("user", "dev")
DEVS = arn("group", "devs")
BOUNDARY = managed_policy("dev-boundary", doc(allow(["s3:*", "iam:AttachGroupPolicy"])))


def _account(resource: str, *, member: bool = True, boundary: bool = False, **extra: object) -> dict:
    u = user("dev", allow("iam:AttachGroupPolicy", resource, **extra), groups=("devs",) if member else (),
             boundary=arn("policy", "dev-boundary") if boundary else None)
    return account(users=[u], groups=[group("devs", allow("s3:ListBucket")), group("ops")], policies=[BOUNDARY])


TECHNIQUE = EditOwnPolicy(
    id="iam-010",
    name="iam:AttachGroupPolicy",
    category=Category.SELF_ESCALATION,
    actions=("iam:AttachGroupPolicy",),
    description="A user attaches an admin managed policy to one of its own groups.",
    remediation="Do not allow iam:AttachGroupPolicy on groups the principal is a member of, or restrict it with Condition ArnEquals iam:PolicyARN to non-admin policies.",
    references=("https://pathfinding.cloud/paths/iam-010",),
    target="own-groups",
    attach=True,
    cases=(
        Case("own-group", True, _account(DEVS), SRC),
        Case("all-groups", True, _account("*"), SRC),
        Case("mfa", True, _account(DEVS, Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}), SRC, conditional=True),
        Case("not-a-member", False, _account(DEVS, member=False), SRC),
        Case("other-group-only", False, _account(arn("group", "ops")), SRC),
        Case("bounded", False, _account(DEVS, boundary=True), SRC),
    ),
)
