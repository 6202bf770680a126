"""iam-007: iam:PutUserPolicy on itself."""

from ..base import Case, Category
from ..families import EditOwnPolicy
from ..testkit import account, allow, arn, doc, managed_policy, user

SRC = arn("user", "dev")
BOUNDARY = managed_policy("s3-only", doc(allow("s3:GetObject")))

TECHNIQUE = EditOwnPolicy(
    id="iam-007",
    name="iam:PutUserPolicy",
    category=Category.SELF_ESCALATION,
    actions=("iam:PutUserPolicy",),
    description="Write an inline policy granting `*` on `*` to itself.",
    remediation="Do not allow iam:PutUserPolicy on the principal's own ARN (scope it to other paths, or require a permissions boundary).",
    references=("https://pathfinding.cloud/paths/iam-007",),
    target="self-user",
    cases=(
        Case("own-user", True, account(users=[user("dev", allow("iam:PutUserPolicy", "arn:aws:iam::111111111111:user/dev"))]), SRC),
        Case("other-users-only", False, account(users=[user("dev", allow("iam:PutUserPolicy", "arn:aws:iam::111111111111:user/svc-*"))]), SRC),
        Case("bounded", False, account(users=[user("dev", allow("iam:PutUserPolicy"), boundary=arn("policy", "s3-only"))],
                                       policies=[BOUNDARY]), SRC),
        Case("mfa", True, account(users=[user("dev", allow("iam:PutUserPolicy", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}))]),
             SRC, conditional=True),
    ),
)
