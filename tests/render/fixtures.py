"""Report dicts (design.md §6 plus the optional ``graph`` member) used by the renderer tests.

``sample_report()`` is a small realistic account; ``hostile_report()`` is the same account with
attacker-controlled text in every free-text field; ``large_report(n)`` is a synthetic quota-size graph.
"""

from __future__ import annotations

import copy
import json

ACCOUNT = "111122223333"
ADMIN_SINK = "iamgraph:admin"

HOSTILE_STRINGS = (
    "<script>alert(1)</script>",
    "</script><script>window.__pwned=1</script>",
    '"><img src=x onerror="window.__pwned=1">',
    "javascript:window.__pwned=1",
    "{{ 7*7 }} ${7*7} {% raw %}",
    "\u2028\u2029 ünïcödé 管理者 🔥",
)
LONG = "A" * 5000


def _arn(kind: str, name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:{kind}/{name}"


FREELANCER = _arn("user", "freelancer")
DEV = _arn("user", "dev")
OPS_ADMIN = _arn("user", "ops-admin")
DEVELOPERS = _arn("group", "developers")
LAMBDA_ADMIN = _arn("role", "lambda-admin")
CI_DEPLOY = _arn("role", "ci-deploy")
AUDIT = _arn("role", "audit-readonly")
LAMBDA_SVC = "lambda.amazonaws.com"
PARTNER = "arn:aws:iam::999988887777:root"
FREELANCER_POLICY = _arn("policy", "freelancer-lambda")
ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"

ADMIN_DOC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": LAMBDA_SVC}, "Action": "sts:AssumeRole"}],
}


def _ev(action: str, resource: str, policy: str, ptype: str, stmt: int, sid: str, attached: str | None = None) -> dict:
    ev = {"action": action, "resource": resource, "policy": policy, "policy_type": ptype, "statement": stmt, "sid": sid}
    if attached:
        ev["attached_to"] = attached
    return ev


def _hop(
    frm: str,
    to: str,
    technique: str,
    kind: str,
    actions: list[str],
    evidence: list[dict],
    conditions: list[str] | None = None,
    missing: list[str] | None = None,
) -> dict:
    hop = {
        "from": frm,
        "to": to,
        "technique": technique,
        "kind": kind,
        "actions": actions,
        "evidence": evidence,
        "conditional": bool(conditions or missing),
        "conditions": conditions or [],
    }
    if missing:
        hop["missing"] = missing
    return hop


def _findings() -> list[dict]:
    lambda_hop = _hop(
        FREELANCER,
        LAMBDA_ADMIN,
        "lambda-001",
        "pass_role",
        ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
        [
            _ev("iam:PassRole", LAMBDA_ADMIN, FREELANCER_POLICY, "managed", 0, "PassAnyRole", FREELANCER),
            _ev("lambda:CreateFunction", "*", FREELANCER_POLICY, "managed", 1, "LambdaDev", FREELANCER),
            _ev("lambda:InvokeFunction", "*", FREELANCER_POLICY, "managed", 1, "LambdaDev", FREELANCER),
        ],
    )
    admin_hop = _hop(
        LAMBDA_ADMIN, ADMIN_SINK, "admin", "admin", ["*"], [_ev("*", "*", ADMIN_POLICY, "managed", 0, "", LAMBDA_ADMIN)]
    )
    key_hop = _hop(
        DEV,
        OPS_ADMIN,
        "iam-002",
        "principal_access",
        ["iam:CreateAccessKey"],
        [_ev("iam:CreateAccessKey", OPS_ADMIN, "dev-keys", "inline", 0, "RotateKeys", DEVELOPERS)],
        conditions=["aws:MultiFactorAuthPresent"],
    )
    ops_admin_hop = _hop(
        OPS_ADMIN, ADMIN_SINK, "admin", "admin", ["*"], [_ev("*", "*", ADMIN_POLICY, "managed", 0, "", OPS_ADMIN)]
    )
    ci_hop = _hop(
        CI_DEPLOY,
        LAMBDA_ADMIN,
        "lambda-003",
        "existing_resource",
        ["lambda:UpdateFunctionCode"],
        [_ev("lambda:UpdateFunctionCode", "*", "ci-deploy-inline", "inline", 2, "Deploy", CI_DEPLOY)],
        missing=["inventory: lambda functions"],
    )
    trust_hop = _hop(
        PARTNER,
        CI_DEPLOY,
        "sts-001",
        "assume_role",
        ["sts:AssumeRole"],
        [_ev("sts:AssumeRole", CI_DEPLOY, "trust-policy", "trust", 0, "Partner", CI_DEPLOY)],
    )
    return [
        {
            "id": "f-9c1e0a7b2d",
            "query": "privesc-to-admin",
            "severity": "critical",
            "title": "freelancer can become admin via lambda-001",
            "source": FREELANCER,
            "target": ADMIN_SINK,
            "reaches_admin": True,
            "conditional": False,
            "path": [lambda_hop, admin_hop],
            "remediation": "Restrict iam:PassRole in freelancer-lambda statement 0 to named roles with iam:PassedToService.",
        },
        {
            "id": "f-41d07be3aa",
            "query": "privesc-to-admin",
            "severity": "high",
            "title": "dev may become admin via iam-002 (needs MFA)",
            "source": DEV,
            "target": ADMIN_SINK,
            "reaches_admin": True,
            "conditional": True,
            "path": [key_hop, ops_admin_hop],
            "remediation": "Limit iam:CreateAccessKey in dev-keys statement 0 to ${aws:username}.",
        },
        {
            "id": "f-7f22c3d901",
            "query": "privesc-to-admin",
            "severity": "medium",
            "title": "ci-deploy may reach lambda-admin via lambda-003 (inventory missing)",
            "source": CI_DEPLOY,
            "target": ADMIN_SINK,
            "reaches_admin": True,
            "conditional": True,
            "path": [ci_hop, admin_hop],
            "remediation": "Scope lambda:UpdateFunctionCode in ci-deploy-inline statement 2 to the deploy functions.",
        },
        {
            "id": "f-0b5e6a1c44",
            "query": "risky-trust",
            "severity": "low",
            "title": "external account 999988887777 can assume ci-deploy",
            "source": PARTNER,
            "target": CI_DEPLOY,
            "reaches_admin": False,
            "conditional": False,
            "path": [trust_hop],
            "remediation": "Add an sts:ExternalId condition to the ci-deploy trust policy.",
        },
    ]


def _node(arn: str, kind: str, label: str, **details) -> dict:
    base = {"path": "/", "tags": {}, "description": "", "policies": [], "admin": False, "incomplete": []}
    base.update(details)
    return {"id": arn, "kind": kind, "label": label, "account": ACCOUNT, "details": base}


def _graph(findings: list[dict]) -> dict:
    nodes = [
        _node(
            FREELANCER,
            "user",
            "freelancer",
            tags={"team": "contractors"},
            policies=[
                {
                    "policy": FREELANCER_POLICY,
                    "policy_type": "managed",
                    "document": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {"Sid": "PassAnyRole", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
                            {"Sid": "LambdaDev", "Effect": "Allow", "Action": "lambda:*", "Resource": "*"},
                        ],
                    },
                }
            ],
        ),
        _node(DEV, "user", "dev"),
        _node(
            OPS_ADMIN,
            "user",
            "ops-admin",
            admin=True,
            policies=[{"policy": ADMIN_POLICY, "policy_type": "managed", "document": ADMIN_DOC}],
        ),
        _node(DEVELOPERS, "group", "developers"),
        _node(
            LAMBDA_ADMIN,
            "role",
            "lambda-admin",
            admin=True,
            trust_policy=LAMBDA_TRUST,
            description="Lambda execution role with admin rights",
            policies=[{"policy": ADMIN_POLICY, "policy_type": "managed", "document": ADMIN_DOC}],
        ),
        _node(CI_DEPLOY, "role", "ci-deploy", incomplete=["inventory: lambda functions"]),
        _node(AUDIT, "role", "audit-readonly", description="not on any finding path"),
        _node(LAMBDA_SVC, "service", LAMBDA_SVC),
        _node(PARTNER, "external", "999988887777"),
        _node(ADMIN_SINK, "admin", "ADMIN"),
    ]
    nodes[8]["account"] = "999988887777"
    edges: list[dict] = [{**hop} for f in findings for hop in f["path"]]
    edges.append(
        {
            "from": DEV,
            "to": DEVELOPERS,
            "technique": "membership",
            "kind": "membership",
            "actions": [],
            "evidence": [],
            "conditional": False,
            "conditions": [],
        }
    )
    edges.append(
        {
            "from": LAMBDA_SVC,
            "to": LAMBDA_ADMIN,
            "technique": "sts-001",
            "kind": "assume_role",
            "actions": ["sts:AssumeRole"],
            "evidence": [],
            "conditional": False,
            "conditions": [],
        }
    )
    edges.append(
        {
            "from": AUDIT,
            "to": CI_DEPLOY,
            "technique": "sts-001",
            "kind": "assume_role",
            "actions": ["sts:AssumeRole"],
            "evidence": [],
            "conditional": False,
            "conditions": [],
        }
    )
    unique: dict[tuple, dict] = {}
    for e in edges:
        unique.setdefault((e["from"], e["to"], e["technique"]), e)
    return {"nodes": nodes, "edges": list(unique.values())}


def sample_report(*, with_graph: bool = True) -> dict:
    """A realistic four-finding report; its graph has 10 nodes, 7 of them on finding paths."""
    findings = _findings()
    report = {
        "schema_version": "1",
        "tool": {"name": "iamgraph", "version": "0.1.0"},
        "accounts": [ACCOUNT],
        "summary": {"principals": 7, "admins": 2, "findings": len(findings)},
        "findings": findings,
        "warnings": ["lambda functions inventory missing: lambda-003 edges are potential only"],
    }
    if with_graph:
        report["graph"] = _graph(findings)
    else:  # what every real report carries: kind and label of each graph node a finding names
        touched = {
            x
            for f in findings
            for x in (f["source"], f["target"], *(n for h in f["path"] for n in (h["from"], h["to"])))
        }
        report["nodes"] = {
            n["id"]: {"kind": n["kind"], "label": n["label"]} for n in _graph(findings)["nodes"] if n["id"] in touched
        }
    return report


SAMPLE_SUBGRAPH_NODES = 7  # all but developers, lambda service, audit-readonly
SAMPLE_FULL_NODES = 10


def _poison(value, payload: str):
    """Return ``value`` with every string replaced by ``payload`` prepended to it (keys too, except ARNs)."""
    if isinstance(value, str):
        return payload + value
    if isinstance(value, list):
        return [_poison(v, payload) for v in value]
    if isinstance(value, dict):
        return {k: _poison(v, payload) for k, v in value.items()}
    return value


def hostile_report() -> dict:
    """The sample report with hostile text in names, labels, paths, tags, descriptions, Sids, documents."""
    report = copy.deepcopy(sample_report())
    evil = "".join(HOSTILE_STRINGS)
    for node in report["graph"]["nodes"]:
        node["label"] = evil + node["label"]
        d = node["details"]
        d["path"] = "/" + evil + "/"
        d["tags"] = {evil: evil, "long": LONG, "url": "javascript:window.__pwned=1"}
        d["description"] = evil + LONG
        for p in d["policies"]:
            p["policy"] = p["policy"] + evil
            p["document"] = _poison(p["document"], evil)
        if "trust_policy" in d:
            d["trust_policy"] = _poison(d["trust_policy"], evil)
    for f in report["findings"]:
        f["title"] = evil + f["title"]
        f["remediation"] = evil + f["remediation"]
        for hop in f["path"]:
            for ev in hop["evidence"]:
                ev["sid"] = evil
                ev["policy"] = ev["policy"] + evil
    for e in report["graph"]["edges"]:
        for ev in e["evidence"]:
            ev["sid"] = evil
        e["conditions"] = [c + evil for c in e["conditions"]]
    # an ARN-like identity carrying the payload, on a finding path
    evil_user = _arn("user", evil)
    report["graph"]["nodes"].append(
        {
            "id": evil_user,
            "kind": "user",
            "label": evil,
            "account": ACCOUNT,
            "details": {
                "path": evil,
                "tags": {"x": evil},
                "description": evil,
                "policies": [],
                "admin": False,
                "incomplete": [evil],
            },
        }
    )
    report["graph"]["edges"].append(
        {
            "from": evil_user,
            "to": FREELANCER,
            "technique": "iam-002",
            "kind": "principal_access",
            "actions": ["iam:CreateAccessKey"],
            "evidence": [],
            "conditional": True,
            "conditions": [evil],
        }
    )
    report["findings"].append(
        {
            "id": "f-" + evil,
            "query": "privesc-to-admin" + evil,
            "severity": "high",
            "title": evil,
            "source": evil_user,
            "target": ADMIN_SINK,
            "reaches_admin": True,
            "conditional": True,
            "remediation": evil,
            "path": [report["graph"]["edges"][-1], report["findings"][0]["path"][0], report["findings"][0]["path"][1]],
        }
    )
    report["warnings"].append(evil)
    report["accounts"].append(evil)
    return report


HOSTILE_SUBGRAPH_NODES = SAMPLE_SUBGRAPH_NODES + 1


def large_report(n_roles: int = 5000, n_users: int = 500, n_findings: int = 200) -> dict:
    """Synthetic quota-size account: ``n_roles`` roles in chains, users who can assume some of them."""
    roles = [_arn("role", f"app-{i:05d}-execution-role") for i in range(n_roles)]
    users = [_arn("user", f"engineer-{i:04d}") for i in range(n_users)]
    nodes = [
        _node(
            r,
            "role",
            r.rsplit("/", 1)[1],
            trust_policy=LAMBDA_TRUST,
            tags={"app": f"app-{i}"},
            admin=(i % 250 == 0),
            policies=[
                {
                    "policy": f"app-{i}-inline",
                    "policy_type": "inline",
                    "document": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Sid": "S3",
                                "Effect": "Allow",
                                "Action": ["s3:GetObject", "s3:PutObject"],
                                "Resource": f"arn:aws:s3:::bucket-{i}/*",
                            }
                        ],
                    },
                }
            ],
        )
        for i, r in enumerate(roles)
    ]
    nodes += [_node(u, "user", u.rsplit("/", 1)[1]) for u in users]
    nodes.append(_node(ADMIN_SINK, "admin", "ADMIN"))
    edges = []
    for i, r in enumerate(roles):
        if i + 1 < n_roles:
            edges.append(
                {
                    "from": r,
                    "to": roles[i + 1],
                    "technique": "sts-001",
                    "kind": "assume_role",
                    "actions": ["sts:AssumeRole"],
                    "evidence": [],
                    "conditional": i % 7 == 0,
                    "conditions": ["aws:SourceIp"] if i % 7 == 0 else [],
                }
            )
        if i % 250 == 0:
            edges.append(
                {
                    "from": r,
                    "to": ADMIN_SINK,
                    "technique": "admin",
                    "kind": "admin",
                    "actions": ["*"],
                    "evidence": [],
                    "conditional": False,
                    "conditions": [],
                }
            )
    for j, u in enumerate(users):
        edges.append(
            {
                "from": u,
                "to": roles[(j * 10) % n_roles],
                "technique": "sts-001",
                "kind": "assume_role",
                "actions": ["sts:AssumeRole"],
                "evidence": [],
                "conditional": False,
                "conditions": [],
            }
        )
    findings = []
    for k in range(n_findings):
        u = users[k % n_users]
        r = roles[(k % n_users * 10) % n_roles]
        ev = [_ev("sts:AssumeRole", r, "assume-app", "inline", 0, "Assume", u)]
        findings.append(
            {
                "id": f"f-large-{k:04d}",
                "query": "privesc-to-admin",
                "severity": "high",
                "title": f"{u} can become admin",
                "source": u,
                "target": ADMIN_SINK,
                "reaches_admin": True,
                "conditional": False,
                "remediation": "narrow sts:AssumeRole",
                "path": [
                    _hop(u, r, "sts-001", "assume_role", ["sts:AssumeRole"], ev),
                    _hop(r, ADMIN_SINK, "admin", "admin", ["*"], []),
                ],
            }
        )
    return {
        "schema_version": "1",
        "tool": {"name": "iamgraph", "version": "0.1.0"},
        "accounts": [ACCOUNT],
        "summary": {"principals": n_roles + n_users, "admins": n_roles // 250, "findings": n_findings},
        "findings": findings,
        "warnings": [],
        "graph": {"nodes": nodes, "edges": edges},
    }


if __name__ == "__main__":  # pragma: no cover - handy for manual runs
    print(json.dumps(sample_report(), indent=2))
