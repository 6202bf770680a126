"""Requests AWS decides before (or regardless of) policy evaluation.

- `sts:GetCallerIdentity`: "No permissions are required to perform this operation. If an
  administrator attaches a policy to your identity that explicitly denies access to the
  sts:GetCallerIdentity action, you can still perform this operation." (AWS STS API Reference,
  GetCallerIdentity, https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html)
- AWS managed policies (`arn:<partition>:iam::aws:policy/...`): "You cannot change the permissions
  defined in AWS managed policies." (IAM User Guide, "AWS managed policies",
  https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies):
  creating, deleting or choosing a version, or deleting the policy, cannot succeed.
"""

from __future__ import annotations

from .types import Decision, Result

ALWAYS_ALLOWED = frozenset({"sts:getcalleridentity"})
MANAGED_POLICY_WRITES = frozenset({"iam:createpolicyversion", "iam:setdefaultpolicyversion",
                                   "iam:deletepolicyversion", "iam:deletepolicy"})
_ALLOWED = Result(Decision.ALLOWED)
_IMPOSSIBLE = Result(Decision.IMPLICIT_DENY)


def is_aws_managed_policy(resource: str) -> bool:
    """`arn:aws:iam::aws:policy/...` in any partition."""
    parts = resource.split(":", 5)
    return len(parts) == 6 and parts[0] == "arn" and parts[2] == "iam" and parts[4] == "aws" \
        and parts[5].startswith("policy/")


def special_decision(action_lower: str, resource: str, caller_is_service: bool) -> Result | None:
    """The fixed answer for a request AWS decides without the policies, or None (evaluate normally)."""
    if action_lower in ALWAYS_ALLOWED and not caller_is_service:
        return _ALLOWED
    if action_lower in MANAGED_POLICY_WRITES and is_aws_managed_policy(resource):
        return _IMPOSSIBLE
    return None


__all__ = ["special_decision", "is_aws_managed_policy", "ALWAYS_ALLOWED", "MANAGED_POLICY_WRITES"]
