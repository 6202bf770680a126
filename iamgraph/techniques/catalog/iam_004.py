"""iam-004: iam:CreateLoginProfile on another user, who is an administrator."""

from ..base import Case, Category
from ..families import PrincipalAccess
from ..testkit import ADMIN_ARN, account, allow, arn, deny, user

SRC = arn("user", "dev")
TARGET = arn("user", "alice")
ACTIONS = ("iam:CreateLoginProfile",)


def _account(*statements: dict) -> dict:
    """dev holds `statements`; alice is an administrator."""
    return account(users=[user("dev", *statements), user("alice", managed=(ADMIN_ARN,))])


TECHNIQUE = PrincipalAccess(
    id="iam-004",
    name="iam:CreateLoginProfile",
    category=Category.PRINCIPAL_ACCESS,
    actions=ACTIONS,
    description="Set a console password for another user who has none, then sign in as that user.",
    remediation="Allow iam:CreateLoginProfile only on the caller's own user (Resource arn:aws:iam::*:user/${aws:username}) or to an administrators-only role.",
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
