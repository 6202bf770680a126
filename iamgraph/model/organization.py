"""What a snapshot knows about the AWS Organization beyond the per-account OU paths."""

from __future__ import annotations

from dataclasses import dataclass, field

# Service principals whose delegated administrators matter to the analysis.
SSO_SERVICE = "sso.amazonaws.com"
IAM_SERVICE = "iam.amazonaws.com"  # centralised root access (sts:AssumeRoot)
POLICY_ADMIN_SERVICE = "organizations.amazonaws.com"  # delegated policy management (SCP editing)


@dataclass(frozen=True, slots=True, kw_only=True)
class Organization:
    """The organisation as a whole: its id, management account and delegated administrators.

    `root_sessions_enabled` is None when the collector could not tell whether centralised root
    access (privileged root sessions, sts:AssumeRoot) is enabled."""

    id: str = ""  # o-xxxxxxxxxx ("" when unknown)
    management_account: str = ""  # "" when unknown
    accounts: tuple[str, ...] = ()  # every member account listed (collected or not)
    account_names: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    delegated_administrators: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)
    root_sessions_enabled: bool | None = None

    def delegated(self, service: str) -> tuple[str, ...]:
        """Accounts registered as delegated administrator for `service` (sorted)."""
        return tuple(sorted(self.delegated_administrators.get(service, ())))
