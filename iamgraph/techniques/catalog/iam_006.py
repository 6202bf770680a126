"""iam-006: iam:UpdateLoginProfile on another user, who is an administrator."""

from ..base import Case, Category
from ..families import PrincipalAccess
from ..testkit import ADMIN_ARN, account, allow, arn, deny, user

SRC = arn("user", "dev")
TARGET = arn("user", "alice")
ACTIONS = ("iam:UpdateLoginProfile",)


def _account(*statements: dict) -> dict:
    """dev holds `statements`; alice is an administrator."""
    return account(users=[user("dev", *statements), user("alice", managed=(ADMIN_ARN,))])


TECHNIQUE = PrincipalAccess(
    id="iam-006",
    name="iam:UpdateLoginProfile",
    category=Category.PRINCIPAL_ACCESS,
    actions=ACTIONS,
    description="Reset another user's console password and sign in as that user.",
    remediation="Allow iam:UpdateLoginProfile only on the caller's own user (Resource arn:aws:iam::*:user/${aws:username}); use iam:ChangePassword for self-service.",
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
