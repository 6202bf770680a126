"""iam-002: iam:CreateAccessKey on another user, who is an administrator."""

from ..base import Case, Category
from ..families import PrincipalAccess
from ..testkit import ADMIN_ARN, account, allow, arn, deny, user

SRC = arn("user", "dev")
TARGET = arn("user", "alice")
ACTIONS = ("iam:CreateAccessKey",)


def _account(*statements: dict) -> dict:
    """dev holds `statements`; alice is an administrator."""
    return account(users=[user("dev", *statements), user("alice", managed=(ADMIN_ARN,))])


TECHNIQUE = PrincipalAccess(
    id="iam-002",
    name="iam:CreateAccessKey",
    category=Category.PRINCIPAL_ACCESS,
    actions=ACTIONS,
    description="Create an access key for another user and act with that user's permissions.",
    remediation="Allow iam:CreateAccessKey only on the caller's own user (Resource arn:aws:iam::*:user/${aws:username}), never on other users.",
    cases=(
        Case("all-users", True, _account(allow(list(ACTIONS))), SRC, target=TARGET),
        Case("target-named", True, _account(allow(list(ACTIONS), TARGET)), SRC, target=TARGET),
        Case("mfa", True, _account(allow(list(ACTIONS), Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})),
             SRC, target=TARGET, conditional=True),
        Case("own-user-only", False, _account(allow(list(ACTIONS), "arn:aws:iam::111111111111:user/${aws:username}")),
             SRC, target=TARGET),
        Case("admin-user-denied", False, _account(allow(list(ACTIONS)), deny(ACTIONS[0], TARGET)), SRC, target=TARGET),
        Case("service-users-only", False, _account(allow(list(ACTIONS), "arn:aws:iam::111111111111:user/svc-*")), SRC, target=TARGET),
    ),
)
