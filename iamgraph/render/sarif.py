"""SARIF 2.1.0 log from a report dict (design.md §6): one rule per query/technique, stable fingerprints.

Each result points at the policy document and statement that enable the finding's first enabling hop
(``physicalLocation`` = the input file when ``report["inputs"]`` names one, else a synthetic
``iam/...`` URI; ``logicalLocations`` = the policy ARN/name and ``<policy>/Statement[i]``).
"""

from __future__ import annotations

from urllib.parse import quote

from iamgraph.render.text import path_text, short_name

SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "iamgraphFindingId/v1"
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
_QUERY_TEXT = {
    "privesc-to-admin": "A principal can become an administrator of the account through a privilege-escalation path.",
    "risky-trust": "A role trust policy lets a principal outside the expected boundary assume the role.",
}


def key_hop(finding: dict) -> dict | None:
    """The hop a finding's location and rule are keyed to: the first hop with statement evidence
    that is not a plain group membership, else the first hop, else None."""
    path = finding.get("path") or []
    for hop in path:
        if hop.get("evidence") and hop.get("kind") != "membership":
            return hop
    return path[0] if path else None


def rule_id(finding: dict) -> str:
    """``<query>/<technique of the key hop>``, or the query alone for a finding without a path."""
    hop = key_hop(finding)
    query = str(finding.get("query") or "finding")
    technique = hop.get("technique") or hop.get("kind") if hop else None
    return f"{query}/{technique}" if technique else query


def policy_uri(evidence: dict) -> str:
    """Relative URI naming a policy document: ``iam/policy/<account>/<path+name>`` for managed policies,
    ``iam/<kind>/<name>/inline-policy/<name>`` for inline ones, ``iam/role/<name>/trust-policy`` for trust."""
    policy = str(evidence.get("policy") or "unknown")
    ptype = str(evidence.get("policy_type") or "")
    owner = str(evidence.get("attached_to") or "")
    owner_part = owner.split(":", 5)[-1] if owner.startswith("arn:") else owner
    if policy.startswith("arn:") and ":policy/" in policy:
        account = policy.split(":")[4] or "aws"
        uri = f"iam/policy/{account}/{policy.split(':policy/', 1)[1]}"
    elif ptype == "trust" and owner_part:
        uri = f"iam/{owner_part}/trust-policy"
    elif owner_part:
        uri = f"iam/{owner_part}/inline-policy/{policy}"
    else:
        uri = f"iam/policy/{policy}"
    return quote(uri, safe="/-_.~")


def _input_uri(report: dict) -> str | None:
    inputs = report.get("inputs") or []
    if isinstance(inputs, (str, dict)):
        inputs = [inputs]
    for item in inputs:
        name = item if isinstance(item, str) else (item.get("path") or item.get("file") if isinstance(item, dict)
                                                   else None)
        if name:
            return quote(str(name).replace("\\", "/"), safe="/-_.~:")
    return None


def _location(evidence: dict, input_uri: str | None, message: str | None = None) -> dict:
    policy = str(evidence.get("policy") or "unknown")
    statement = evidence.get("statement")
    statement_name = f"Statement[{statement}]" if statement is not None else "Statement"
    artifact: dict = {"uri": input_uri or policy_uri(evidence)}
    if input_uri:
        artifact["description"] = {"text": f"policy {policy}, {statement_name}"}
    location: dict = {
        "physicalLocation": {"artifactLocation": artifact},
        "logicalLocations": [
            {"name": short_name(policy), "fullyQualifiedName": policy, "kind": "resource"},
            {"name": str(evidence.get("sid") or statement_name), "fullyQualifiedName": f"{policy}/{statement_name}",
             "kind": "element"},
        ],
        "properties": {k: evidence[k] for k in ("policy", "policy_type", "statement", "sid", "attached_to",
                                                "action", "resource") if k in evidence},
    }
    if message:
        location["message"] = {"text": message}
    return location


def _hop_text(hop: dict) -> str:
    text = f"{short_name(hop.get('from', ''))} -[{hop.get('technique') or hop.get('kind', '')}]-> " \
           f"{short_name(hop.get('to', ''))}"
    if hop.get("conditional"):
        reasons = list(hop.get("conditions") or []) + list(hop.get("missing") or [])
        text += " (conditional" + (": " + ", ".join(map(str, reasons)) if reasons else "") + ")"
    return text


def _message(finding: dict, hop: dict | None) -> str:
    parts = [str(finding.get("title") or rule_id(finding)).rstrip(".") + ".", f"Path: {path_text(finding)}."]
    if hop and hop.get("evidence"):
        ev = hop["evidence"][0]
        sid = f" (Sid {ev['sid']})" if ev.get("sid") else ""
        parts.append(f"First hop allowed by {ev.get('policy')} statement {ev.get('statement')}{sid} "
                     f"for {ev.get('action')} on {ev.get('resource')}.")
    if finding.get("conditional"):
        parts.append("Conditional: a hop rests on an undecidable condition or missing inventory (potential path).")
    if finding.get("remediation"):
        parts.append(f"Remediation: {finding['remediation']}")
    return " ".join(parts)


def _rule(rid: str, finding: dict) -> dict:
    query = str(finding.get("query") or "finding")
    hop = key_hop(finding)
    technique = (hop.get("technique") or hop.get("kind")) if hop else None
    actions = ", ".join(hop.get("actions") or []) if hop else ""
    full = _QUERY_TEXT.get(query, f"Finding of the iamgraph query {query}.")
    if technique:
        full += f" Technique {technique}" + (f" uses {actions}." if actions else ".")
    help_text = (full + " Narrow or deny the statement that enables the first hop (each result names the policy "
                 "and statement), add a permissions boundary, or require a condition the caller cannot meet.")
    severity = str(finding.get("severity") or "medium")
    return {
        "id": rid,
        "name": "".join(p.capitalize() for p in rid.replace("/", "-").replace("_", "-").split("-") if p),
        "shortDescription": {"text": f"{query}: {technique}" if technique else query},
        "fullDescription": {"text": full},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": LEVELS.get(severity, "warning")},
        "properties": {"tags": ["security", "iam", query] + ([technique] if technique else []),
                       "security-severity": SECURITY_SEVERITY.get(severity, "5.5")},
    }


def render_sarif(report: dict) -> dict:
    """The SARIF 2.1.0 log (a JSON-ready dict) for ``report``; results keep the finding order."""
    input_uri = _input_uri(report)
    rules: dict[str, dict] = {}
    results = []
    for finding in report.get("findings", []):
        rid = rule_id(finding)
        if rid not in rules:
            rules[rid] = _rule(rid, finding)
        hop = key_hop(finding)
        severity = str(finding.get("severity") or "medium")
        result: dict = {
            "ruleId": rid,
            "ruleIndex": list(rules).index(rid),
            "level": LEVELS.get(severity, "warning"),
            "message": {"text": _message(finding, hop)},
            "partialFingerprints": {FINGERPRINT_KEY: str(finding.get("id"))},
            "properties": {"finding_id": finding.get("id"), "severity": severity,
                           "source": finding.get("source"), "target": finding.get("target"),
                           "reaches_admin": bool(finding.get("reaches_admin")),
                           "conditional": bool(finding.get("conditional")),
                           "remediation": finding.get("remediation", "")},
        }
        evidence = (hop or {}).get("evidence") or []
        result["locations"] = [_location(evidence[0], input_uri)] if evidence else [
            {"logicalLocations": [{"name": short_name(str(finding.get("source", ""))),
                                   "fullyQualifiedName": str(finding.get("source", "")), "kind": "resource"}]}]
        flow = []
        for hop_ in finding.get("path", []):
            hop_ev = hop_.get("evidence") or []
            loc = _location(hop_ev[0], input_uri, _hop_text(hop_)) if hop_ev else {
                "logicalLocations": [{"name": short_name(str(hop_.get("from", ""))),
                                      "fullyQualifiedName": str(hop_.get("from", "")), "kind": "resource"}],
                "message": {"text": _hop_text(hop_)}}
            flow.append({"location": loc})
        if flow:
            result["codeFlows"] = [{"threadFlows": [{"locations": flow}]}]
        results.append(result)
    tool = report.get("tool") or {}
    run: dict = {
        "tool": {"driver": {"name": str(tool.get("name") or "iamgraph"),
                            "semanticVersion": str(tool.get("version") or "0.0.0"),
                            "version": str(tool.get("version") or "0.0.0"),
                            "rules": list(rules.values())}},
        "invocations": [{"executionSuccessful": True,
                         "toolExecutionNotifications": [{"level": "warning", "message": {"text": str(w)}}
                                                        for w in report.get("warnings", [])]}],
        "results": results,
        "properties": {"accounts": list(report.get("accounts", [])),
                       "schema_version": report.get("schema_version"), "summary": report.get("summary", {})},
    }
    if input_uri:
        run["artifacts"] = [{"location": {"uri": input_uri}, "roles": ["analysisTarget"]}]
    return {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [run]}
