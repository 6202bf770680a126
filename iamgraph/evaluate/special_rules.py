"""Requests AWS decides before (or regardless of) policy evaluation.

- `sts:GetCallerIdentity`: "No permissions are required to perform this operation. If an
  administrator attaches a policy to your identity that explicitly denies access to the
  sts:GetCallerIdentity action, you can still perform this operation." (AWS STS API Reference,
  GetCallerIdentity, https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html)
- AWS managed policies (`arn:<partition>:iam::aws:policy/...`): "You cannot change the permissions
  defined in AWS managed policies." (IAM User Guide, "AWS managed policies",
  https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies):
  creating, deleting or choosing a version, or deleting the policy, cannot succeed.
- Protected roles: service-linked roles (`role/aws-service-role/...`: "you cannot edit the
  permissions policies or the trust policy of a service-linked role", IAM User Guide, "Using
  service-linked roles") and the roles IAM Identity Center provisions
  (`role/aws-reserved/sso.amazonaws.com/...`, managed by its service-linked role through
  AWSSSOServiceRolePolicy; IAM rejects other callers with UnmodifiableEntity, "this role is only
  modifiable by AWS") cannot be changed through IAM by a customer principal. They stay assumable.
"""

from __future__ import annotations

from .types import Decision, Result

ALWAYS_ALLOWED = frozenset({"sts:getcalleridentity"})
MANAGED_POLICY_WRITES = frozenset(
    {"iam:createpolicyversion", "iam:setdefaultpolicyversion", "iam:deletepolicyversion", "iam:deletepolicy"}
)
ROLE_WRITES = frozenset(
    {
        "iam:attachrolepolicy",
        "iam:detachrolepolicy",
        "iam:putrolepolicy",
        "iam:deleterolepolicy",
        "iam:updateassumerolepolicy",
        "iam:putrolepermissionsboundary",
        "iam:deleterolepermissionsboundary",
        "iam:updaterole",
        "iam:deleterole",
        "iam:tagrole",
        "iam:untagrole",
    }
)
SSO_RESERVED = "role/aws-reserved/sso.amazonaws.com/"
_ALLOWED = Result(Decision.ALLOWED)
_IMPOSSIBLE = Result(Decision.IMPLICIT_DENY)


def is_aws_managed_policy(resource: str) -> bool:
    """`arn:aws:iam::aws:policy/...` in any partition."""
    parts = resource.split(":", 5)
    return (
        len(parts) == 6
        and parts[0] == "arn"
        and parts[2] == "iam"
        and parts[4] == "aws"
        and parts[5].startswith("policy/")
    )


def is_protected_role(resource: str) -> bool:
    """A service-linked role or an IAM Identity Center role, by ARN."""
    parts = resource.split(":", 5)
    if len(parts) != 6 or parts[2] != "iam":
        return False
    return parts[5].startswith("role/aws-service-role/") or parts[5].startswith(SSO_RESERVED)


def special_decision(
    action_lower: str, resource: str, caller_is_service: bool, caller_is_service_linked: bool = False
) -> Result | None:
    """The fixed answer for a request AWS decides without the policies, or None (evaluate normally).
    A service-linked role (e.g. Identity Center's own) is the one caller that may change protected roles."""
    if action_lower in ALWAYS_ALLOWED and not caller_is_service:
        return _ALLOWED
    if action_lower in MANAGED_POLICY_WRITES and is_aws_managed_policy(resource):
        return _IMPOSSIBLE
    if (
        action_lower in ROLE_WRITES
        and not (caller_is_service or caller_is_service_linked)
        and is_protected_role(resource)
    ):
        return _IMPOSSIBLE
    return None


__all__ = [
    "special_decision",
    "is_aws_managed_policy",
    "is_protected_role",
    "ALWAYS_ALLOWED",
    "MANAGED_POLICY_WRITES",
    "ROLE_WRITES",
]
