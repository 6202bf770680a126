"""risky-trust: trust policies that let outsiders in too easily.

- cross-account trust without `sts:ExternalId` (confused deputy);
- `Principal: "*"` (public) trust, with or without restricting conditions;
- account-root trust on a privileged role (every principal allowed sts:AssumeRole by its own policy gets in);
- OIDC / web-identity trust without `aud` and `sub` conditions (or a wildcard `sub`, e.g. any GitHub repo);
- SAML federation trust (an entry point; without `SAML:aud` on the sign-in URL it is flagged higher); the
  standard IAM Identity Center trust (`AWSSSO_*_DO_NOT_DELETE` provider, `SAML:aud` = sign-in URL) is expected.
"""

from __future__ import annotations

import re

from iamgraph.evaluate.types import Decision, Result, StatementRef
from iamgraph.graph.model import IamGraph
from iamgraph.model import Role, Statement, account_of
from iamgraph.query.base import DataNeed, Finding, Hop, QueryDef, QueryKind, Severity
from iamgraph.query.shared import distances
from iamgraph.techniques.evidence import EdgeKind, Evidence, Grant
from iamgraph.techniques.trust import aws_principal_account

_RESTRICTING = {
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:userid",
    "sts:externalid",
}


# SAML:aud values AWS sign-in uses: global, regional, China and GovCloud endpoints
_SIGNIN_AUD = re.compile(
    r"^https://([a-z0-9-]+\.)?signin\.(aws\.amazon\.com|amazonaws\.cn|amazonaws-us-gov\.com)/saml/?$"
)
_IDC_PROVIDER = re.compile(r":saml-provider/AWSSSO_[0-9A-Za-z]+_DO_NOT_DELETE$")


def _identity_center_trust(provider: str, auds: list[str]) -> bool:
    """The trust IAM Identity Center writes on the roles it provisions: its own `AWSSSO_<id>_DO_NOT_DELETE`
    SAML provider, with SAML:aud pinned to the AWS sign-in URL."""
    return bool(_IDC_PROVIDER.search(provider)) and bool(auds) and all(_SIGNIN_AUD.match(a) for a in auds)


def _keys(s: Statement) -> set[str]:
    return {c.key.lower() for c in s.conditions}


def _values(s: Statement, key: str) -> list[str]:
    return [v for c in s.conditions if c.key.lower() == key for v in c.values]


def _open_subject(host: str, value: str) -> bool:
    """A `sub` pattern that admits any workload: `*`, or for GitHub Actions a wildcard in the
    owner part of `repo:OWNER/REPO:...` (any organisation's repository could assume the role)."""
    v = value.strip()
    if v in ("*", "?*"):
        return True
    if "githubusercontent.com" in host:
        if not v.startswith("repo:"):
            return "*" in v.split(":", 1)[0]
        owner = v[len("repo:") :].split("/", 1)[0]
        return "*" in owner or "?" in owner or "/" not in v
    return False


def _hop(role: Role, s: Statement, src: str, action: str, note: str) -> Hop:
    ref = StatementRef(role.trust_policy.ref, s.index, s.sid)
    res = Result(
        Decision.ALLOWED if not s.conditions else Decision.UNKNOWN, (ref,), (), frozenset(c.key for c in s.conditions)
    )
    return Hop(src, role.arn, Evidence("trust", EdgeKind.ASSUME_ROLE, (Grant(action, role.arn, res),), note=note))


def run(graph: IamGraph) -> list[Finding]:
    snap = graph.snapshot
    local = set(snap.account_ids) | {account_of(a) for a in snap.roles}
    to_admin: dict[str, int] = {}
    for sink in sorted(graph.admin_sinks.values()) or [graph.admin_node]:
        to_admin.update(distances(graph, sink, definite_only=False))
    out: list[Finding] = []

    def add(
        sev: Severity, title: str, src: str, role: Role, s: Statement, action: str, remediation: str, kind: str
    ) -> None:
        privileged = role.arn in to_admin
        if privileged and sev is not Severity.CRITICAL:
            sev = Severity(list(Severity)[max(0, list(Severity).index(sev) - 1)].value)
        out.append(
            Finding(
                query="risky-trust",
                severity=sev,
                title=title + (" (privileged role)" if privileged else ""),
                source=src,
                target=role.arn,
                reaches_admin=privileged,
                path=(_hop(role, s, src, action, title),),
                remediation=remediation,
                conditional_override=bool(s.conditions),
                details={"kind": kind, "fingerprint": f"{kind}:{s.index}"},
            )
        )

    for role in sorted(snap.roles.values(), key=lambda r: r.arn):
        racct = account_of(role.arn)
        for s in graph.context.trust_index.trusted_statements(role.arn):
            p, keys = s.principal, _keys(s)
            assert p is not None
            if p.wildcard or "*" in p.aws:
                if keys & _RESTRICTING:
                    add(
                        Severity.MEDIUM,
                        "Wildcard principal trust, narrowed only by conditions",
                        "*",
                        role,
                        s,
                        "sts:AssumeRole",
                        "Name the trusted principals explicitly instead of `*`.",
                        "wildcard-conditional",
                    )
                else:
                    add(
                        Severity.CRITICAL,
                        "Public trust: any AWS principal may assume this role",
                        "*",
                        role,
                        s,
                        "sts:AssumeRole",
                        "Replace Principal `*` with the specific account or role ARNs that need access.",
                        "public",
                    )
            for e in p.aws:
                if e == "*":
                    continue
                acct = aws_principal_account(e) or account_of(e)
                if acct and acct not in local:
                    if "sts:externalid" not in keys:
                        add(
                            Severity.HIGH,
                            "Cross-account trust without sts:ExternalId (confused deputy)",
                            e,
                            role,
                            s,
                            "sts:AssumeRole",
                            "Add Condition StringEquals sts:ExternalId with the value agreed with the third party.",
                            "cross-account-no-external-id",
                        )
                elif acct == racct and aws_principal_account(e) and role.arn in to_admin:
                    add(
                        Severity.MEDIUM,
                        "Account-wide trust on a privileged role",
                        e,
                        role,
                        s,
                        "sts:AssumeRole",
                        "Trust specific role or user ARNs rather than the account root.",
                        "account-root-privileged",
                    )
            for fed in p.federated:
                if ":saml-provider/" in fed:
                    auds = _values(s, "saml:aud")
                    if _identity_center_trust(fed, auds):
                        continue  # the role IAM Identity Center provisions: expected, not a risk
                    if auds and all(_SIGNIN_AUD.match(a) for a in auds):
                        add(
                            Severity.LOW,
                            "SAML federation trust",
                            fed,
                            role,
                            s,
                            "sts:AssumeRoleWithSAML",
                            "Keep Condition StringEquals SAML:aud on the AWS sign-in URL, and have the identity "
                            "provider assign this role only to the people who need it.",
                            "saml",
                        )
                    else:
                        add(
                            Severity.MEDIUM,
                            "SAML federation trust without SAML:aud"
                            if not auds
                            else "SAML federation trust with SAML:aud not the AWS sign-in URL",
                            fed,
                            role,
                            s,
                            "sts:AssumeRoleWithSAML",
                            "Add Condition StringEquals SAML:aud https://signin.aws.amazon.com/saml (the AWS sign-in "
                            "URL), so only SAML assertions meant for AWS sign-in are accepted.",
                            "saml",
                        )
                    continue
                host = fed.split(":oidc-provider/", 1)[-1]
                aud, sub = f"{host}:aud".lower(), f"{host}:sub".lower()
                subs = _values(s, sub)
                if sub not in keys or any(_open_subject(host, v) for v in subs):
                    add(
                        Severity.CRITICAL,
                        "Web-identity trust without a specific subject (any repository/workload may assume it)",
                        fed,
                        role,
                        s,
                        "sts:AssumeRoleWithWebIdentity",
                        f"Add Condition StringEquals {host}:sub (e.g. repo:ORG/REPO:ref:refs/heads/main) and {host}:aud.",
                        "oidc-no-sub",
                    )
                elif aud not in keys:
                    add(
                        Severity.MEDIUM,
                        "Web-identity trust without an audience condition",
                        fed,
                        role,
                        s,
                        "sts:AssumeRoleWithWebIdentity",
                        f"Add Condition StringEquals {host}:aud.",
                        "oidc-no-aud",
                    )
    return out


QUERY: QueryDef[None] = QueryDef(
    id="risky-trust",
    title="Risky role trust",
    description="A role trust policy lets a principal outside the expected boundary assume the role "
    "(no ExternalId, public, account-wide, OIDC without sub/aud, SAML).",
    severity=Severity.CRITICAL,
    kind=QueryKind.POSTURE,
    fn=run,
    default=True,
    needs=frozenset({DataNeed.IAM}),
)
