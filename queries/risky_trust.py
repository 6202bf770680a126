"""risky-trust: trust policies that let outsiders in too easily.

- cross-account trust without `sts:ExternalId` (confused deputy);
- `Principal: "*"` (public) trust, with or without restricting conditions;
- account-root trust on a privileged role (every principal allowed sts:AssumeRole by its own policy gets in);
- OIDC / web-identity trust without `aud` and `sub` conditions (or a wildcard `sub`, e.g. any GitHub repo);
- SAML federation trust (an entry point; without `SAML:aud` it is flagged higher).
"""

from __future__ import annotations

from iamgraph.evaluate.types import Decision, Result, StatementRef
from iamgraph.graph.model import IamGraph
from iamgraph.model import Role, Statement, account_of
from iamgraph.query.base import DataNeed, Finding, Hop, QueryDef, QueryKind, Severity
from iamgraph.query.paths import distances_to
from iamgraph.techniques.evidence import EdgeKind, Evidence, Grant
from iamgraph.techniques.trust import aws_principal_account

_RESTRICTING = {"aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn",
                "aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:userid", "sts:externalid"}


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
        owner = v[len("repo:"):].split("/", 1)[0]
        return "*" in owner or "?" in owner or "/" not in v
    return False


def _hop(role: Role, s: Statement, src: str, action: str, note: str) -> Hop:
    ref = StatementRef(role.trust_policy.ref, s.index, s.sid)
    res = Result(Decision.ALLOWED if not s.conditions else Decision.UNKNOWN, (ref,), (),
                 frozenset(c.key for c in s.conditions))
    return Hop(src, role.arn, Evidence("trust", EdgeKind.ASSUME_ROLE, (Grant(action, role.arn, res),), note=note))


def run(graph: IamGraph) -> list[Finding]:
    snap = graph.snapshot
    local = set(snap.account_ids) | {account_of(a) for a in snap.roles}
    to_admin: dict[str, int] = {}
    for sink in sorted(graph.admin_sinks.values()) or [graph.admin_node]:
        to_admin.update(distances_to(graph, sink, definite_only=False))
    out: list[Finding] = []

    def add(sev: Severity, title: str, src: str, role: Role, s: Statement, action: str, remediation: str, kind: str) -> None:
        privileged = role.arn in to_admin
        if privileged and sev is not Severity.CRITICAL:
            sev = Severity(list(Severity)[max(0, list(Severity).index(sev) - 1)].value)
        out.append(Finding(query="risky-trust", severity=sev, title=title + (" (privileged role)" if privileged else ""),
                           source=src, target=role.arn, reaches_admin=privileged,
                           path=(_hop(role, s, src, action, title),), remediation=remediation,
                           conditional_override=bool(s.conditions), details={"kind": kind, "fingerprint": f"{kind}:{s.index}"}))

    for role in sorted(snap.roles.values(), key=lambda r: r.arn):
        racct = account_of(role.arn)
        for s in graph.context.trust_index.trusted_statements(role.arn):
            p, keys = s.principal, _keys(s)
            assert p is not None
            if p.wildcard or "*" in p.aws:
                if keys & _RESTRICTING:
                    add(Severity.MEDIUM, "Wildcard principal trust, narrowed only by conditions", "*", role, s, "sts:AssumeRole",
                        "Name the trusted principals explicitly instead of `*`.", "wildcard-conditional")
                else:
                    add(Severity.CRITICAL, "Public trust: any AWS principal may assume this role", "*", role, s, "sts:AssumeRole",
                        "Replace Principal `*` with the specific account or role ARNs that need access.", "public")
            for e in p.aws:
                if e == "*":
                    continue
                acct = aws_principal_account(e) or account_of(e)
                if acct and acct not in local:
                    if "sts:externalid" not in keys:
                        add(Severity.HIGH, "Cross-account trust without sts:ExternalId (confused deputy)", e, role, s,
                            "sts:AssumeRole", "Add Condition StringEquals sts:ExternalId with the value agreed with the third party.",
                            "cross-account-no-external-id")
                elif acct == racct and aws_principal_account(e) and role.arn in to_admin:
                    add(Severity.MEDIUM, "Account-wide trust on a privileged role", e, role, s, "sts:AssumeRole",
                        "Trust specific role or user ARNs rather than the account root.", "account-root-privileged")
            for fed in p.federated:
                if ":saml-provider/" in fed:
                    sev = Severity.LOW if "saml:aud" in keys else Severity.MEDIUM
                    add(sev, "SAML federation trust" + ("" if "saml:aud" in keys else " without SAML:aud"), fed, role, s,
                        "sts:AssumeRoleWithSAML", "Keep Condition StringEquals SAML:aud https://signin.aws.amazon.com/saml.", "saml")
                    continue
                host = fed.split(":oidc-provider/", 1)[-1]
                aud, sub = f"{host}:aud".lower(), f"{host}:sub".lower()
                subs = _values(s, sub)
                if sub not in keys or any(_open_subject(host, v) for v in subs):
                    add(Severity.CRITICAL, "Web-identity trust without a specific subject (any repository/workload may assume it)",
                        fed, role, s, "sts:AssumeRoleWithWebIdentity",
                        f"Add Condition StringEquals {host}:sub (e.g. repo:ORG/REPO:ref:refs/heads/main) and {host}:aud.",
                        "oidc-no-sub")
                elif aud not in keys:
                    add(Severity.MEDIUM, "Web-identity trust without an audience condition", fed, role, s,
                        "sts:AssumeRoleWithWebIdentity", f"Add Condition StringEquals {host}:aud.", "oidc-no-aud")
    return out


QUERY: QueryDef[None] = QueryDef(
    id="risky-trust", title="Risky role trust",
    description="A role trust policy lets a principal outside the expected boundary assume the role "
                "(no ExternalId, public, account-wide, OIDC without sub/aud, SAML).",
    severity=Severity.CRITICAL, kind=QueryKind.POSTURE, fn=run, default=True,
    needs=frozenset({DataNeed.IAM}))
