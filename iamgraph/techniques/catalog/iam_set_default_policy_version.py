"""iam-set-default-policy-version: iam:SetDefaultPolicyVersion back to an older, admin version of a policy it holds."""

from ..base import Case, Category
from ..families import SetDefaultVersion
from ..testkit import ADMIN_DOC, account, allow, arn, deny, doc, managed_policy, user

SRC = arn("user", "dev")
OWN = arn("policy", "dev-tools")
SET_DEFAULT = allow("iam:SetDefaultPolicyVersion", OWN)


def _account(old: dict, current: dict, *, attached: bool = True) -> dict:
    """dev-tools has versions v1 (`old`) and v2 (`current`, the default); dev holds it if `attached`."""
    pol = managed_policy("dev-tools", old, current, default=1)
    other = user("dev", allow("s3:ListBucket")) if not attached else user("dev", managed=(OWN,))
    return account(users=[other], policies=[pol])


TECHNIQUE = SetDefaultVersion(
    id="iam-set-default-policy-version",
    name="iam:SetDefaultPolicyVersion",
    category=Category.SELF_ESCALATION,
    actions=("iam:SetDefaultPolicyVersion",),
    description="Make an older, more permissive version of a customer managed policy the principal holds its default version.",
    remediation="Delete stale permissive versions of customer managed policies and do not allow iam:SetDefaultPolicyVersion on policies attached to the principal itself.",
    references=("https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/", "https://docs.aws.amazon.com/IAM/latest/APIReference/API_SetDefaultPolicyVersion.html"),
    cases=(
        Case("old-admin-version", True, _account(ADMIN_DOC, doc(allow("s3:GetObject"), SET_DEFAULT)), SRC),
        Case("old-iam-star-version", True, _account(doc(allow("*", "*")), doc(SET_DEFAULT)), SRC),
        Case("mfa", True, _account(ADMIN_DOC, doc(allow("iam:SetDefaultPolicyVersion", OWN, Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}))),
             SRC, conditional=True),
        Case("old-version-harmless", False, _account(doc(allow("s3:*")), doc(allow("s3:GetObject"), SET_DEFAULT)), SRC),
        Case("old-version-denies", False, _account(doc(allow("*"), deny("iam:*")), doc(SET_DEFAULT)), SRC),
        Case("set-default-denied", False, _account(ADMIN_DOC, doc(SET_DEFAULT, deny("iam:SetDefaultPolicyVersion"))), SRC),
        Case("policy-not-held", False, _account(ADMIN_DOC, doc(SET_DEFAULT), attached=False), SRC),
    ),
)
