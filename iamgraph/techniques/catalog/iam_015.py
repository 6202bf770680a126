"""iam-015: iam:AttachUserPolicy + iam:CreateAccessKey on another (non-admin) user, then acting with a new access key of it."""

from ..base import Case, Category
from ..families import AccessAndModify
from ..testkit import account, allow, arn, doc, managed_policy, user

SRC = arn("user", "dev")
TARGET = arn("user", "svc-report")
ACTIONS = ("iam:AttachUserPolicy", "iam:CreateAccessKey")
BOUNDARY = managed_policy("svc-boundary", doc(allow("s3:*")))


def _account(*statements: dict, boundary: bool = False) -> dict:
    """dev holds `statements`; svc-report is a non-admin user."""
    target = user("svc-report", allow("s3:GetObject"), boundary=BOUNDARY["Arn"] if boundary else None)
    return account(users=[user("dev", *statements), target], policies=[BOUNDARY])


TECHNIQUE = AccessAndModify(
    id="iam-015",
    name="iam:AttachUserPolicy + iam:CreateAccessKey",
    category=Category.PRINCIPAL_ACCESS,
    actions=ACTIONS,
    description="Attach an admin managed policy to another user and create an access key for it.",
    remediation="Restrict iam:AttachUserPolicy with Condition ArnEquals iam:PolicyARN to non-admin policies, and allow iam:CreateAccessKey only on the caller's own user.",
    target_kind="user",
    modify="attach-policy",
    access="access-key",
    cases=(
        Case("both-on-target", True, _account(allow(list(ACTIONS), TARGET)), SRC),
        Case("service-users", True, _account(allow(list(ACTIONS), "arn:aws:iam::111111111111:user/svc-*")), SRC),
        Case("mfa", True, _account(allow(list(ACTIONS), Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})), SRC, conditional=True),
        Case("key-own-user-only", False, _account(allow("iam:AttachUserPolicy"), allow("iam:CreateAccessKey", "arn:aws:iam::111111111111:user/${aws:username}")), SRC),
        Case("read-only-policy-only", False, _account(allow("iam:AttachUserPolicy", Condition={"ArnEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}}),
                                                    allow("iam:CreateAccessKey")), SRC),
        Case("target-bounded", False, _account(allow(list(ACTIONS)), boundary=True), SRC),
    ),
)
