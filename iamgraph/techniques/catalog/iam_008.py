"""iam-008: iam:AttachUserPolicy on the principal's own user (an admin managed policy exists)."""

from ..base import Case, Category
from ..families import EditOwnPolicy
from ..testkit import account, allow, arn, deny, user

SRC = arn("user", "dev")
READ_ONLY = {"ArnEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}}

TECHNIQUE = EditOwnPolicy(
    id="iam-008",
    name="iam:AttachUserPolicy",
    category=Category.SELF_ESCALATION,
    actions=("iam:AttachUserPolicy",),
    description="A user attaches an admin managed policy (e.g. AdministratorAccess) to itself.",
    remediation="Do not allow iam:AttachUserPolicy on the user's own ARN, or restrict it with Condition ArnEquals iam:PolicyARN to a list of non-admin policies.",
    references=("https://pathfinding.cloud/paths/iam-008",),
    target="self-user",
    attach=True,
    cases=(
        Case("own-user", True, account(users=[user("dev", allow("iam:AttachUserPolicy", SRC))]), SRC),
        Case("username-variable", True, account(users=[user("dev", allow("iam:AttachUserPolicy", "arn:aws:iam::111111111111:user/${aws:username}"))]), SRC),
        Case("mfa", True, account(users=[user("dev", allow("iam:AttachUserPolicy", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}))]),
             SRC, conditional=True),
        Case("read-only-policy-only", False, account(users=[user("dev", allow("iam:AttachUserPolicy", SRC, Condition=READ_ONLY))]), SRC),
        Case("other-users-only", False, account(users=[user("dev", allow("iam:AttachUserPolicy", "arn:aws:iam::111111111111:user/svc-*"))]), SRC),
        Case("explicit-deny", False, account(users=[user("dev", allow("iam:AttachUserPolicy"), deny("iam:AttachUserPolicy", SRC))]), SRC),
    ),
)
