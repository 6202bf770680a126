"""iam-001: iam:CreatePolicyVersion on a customer managed policy attached to the principal (or its groups)."""

from ..base import Case, Category
from ..families import EditOwnPolicy
from ..testkit import account, allow, arn, deny, doc, group, managed_policy, user

SRC = arn("user", "dev")
OWN = arn("policy", "dev-tools")


def _account(*statements: dict, attach_to_group: bool = False, extra: tuple[dict, ...] = ()) -> dict:
    """dev holds the managed policy dev-tools (directly or through group devs) with `statements`."""
    pol = managed_policy("dev-tools", doc(allow("s3:GetObject"), *statements))
    if attach_to_group:
        return account(users=[user("dev", groups=("devs",))], groups=[group("devs", managed=(OWN,))], policies=[pol, *extra])
    return account(users=[user("dev", managed=(OWN,))], policies=[pol, *extra])


TECHNIQUE = EditOwnPolicy(
    id="iam-001",
    name="iam:CreatePolicyVersion",
    category=Category.SELF_ESCALATION,
    actions=("iam:CreatePolicyVersion",),
    description="Publish a new default version of a customer managed policy the principal already holds, granting `*` on `*`.",
    remediation="Remove iam:CreatePolicyVersion on policies attached to the principal itself (scope its Resource to policies it does not hold), or require a permissions boundary without that action.",
    references=("https://pathfinding.cloud/paths/iam-001",),
    target="attached-policies",
    cases=(
        Case("own-policy", True, _account(allow("iam:CreatePolicyVersion", OWN)), SRC),
        Case("via-group-policy", True, _account(allow("iam:CreatePolicyVersion", "arn:aws:iam::111111111111:policy/*"), attach_to_group=True), SRC),
        Case("mfa", True, _account(allow("iam:CreatePolicyVersion", OWN, Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})),
             SRC, conditional=True),
        Case("other-policies-only", False, _account(allow("iam:CreatePolicyVersion", "arn:aws:iam::111111111111:policy/app-*")), SRC),
        Case("explicit-deny", False, _account(allow("iam:CreatePolicyVersion"), deny("iam:CreatePolicyVersion", OWN)), SRC),
    ),
)
