"""iam-018: iam:PutUserPolicy + iam:CreateAccessKey on another (non-admin) user, then acting with a new access key of it."""

from ..base import Case, Category
from ..families import AccessAndModify
from ..testkit import account, allow, arn, deny, doc, managed_policy, user

SRC = arn("user", "dev")
TARGET = arn("user", "svc-report")
ACTIONS = ("iam:PutUserPolicy", "iam:CreateAccessKey")
BOUNDARY = managed_policy("svc-boundary", doc(allow("s3:*")))


def _account(*statements: dict, boundary: bool = False) -> dict:
    """dev holds `statements`; svc-report is a non-admin user."""
    target = user("svc-report", allow("s3:GetObject"), boundary=BOUNDARY["Arn"] if boundary else None)
    return account(users=[user("dev", *statements), target], policies=[BOUNDARY])


TECHNIQUE = AccessAndModify(
    id="iam-018",
    name="iam:PutUserPolicy + iam:CreateAccessKey",
    category=Category.PRINCIPAL_ACCESS,
    actions=ACTIONS,
    description="Write an admin inline policy onto another user and create an access key for it.",
    remediation="Scope iam:PutUserPolicy and iam:CreateAccessKey to the caller's own user (or deny them on other users), or bound service users with a permissions boundary.",
    target_kind="user",
    modify="put-policy",
    access="access-key",
    cases=(
        Case("both-on-target", True, _account(allow(list(ACTIONS), TARGET)), SRC),
        Case("service-users", True, _account(allow(list(ACTIONS), "arn:aws:iam::111111111111:user/svc-*")), SRC),
        Case("mfa", True, _account(allow(list(ACTIONS), Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})), SRC, conditional=True),
        Case("key-denied", False, _account(allow(list(ACTIONS)), deny("iam:CreateAccessKey", TARGET)), SRC),
        Case("put-own-user-only", False, _account(allow("iam:PutUserPolicy", "arn:aws:iam::111111111111:user/${aws:username}"), allow("iam:CreateAccessKey")), SRC),
        Case("target-bounded", False, _account(allow(list(ACTIONS)), boundary=True), SRC),
    ),
)
