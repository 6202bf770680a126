"""SARIF 2.1.0 log from a Report: one rule per query/technique, stable fingerprints.

Each result points at the policy document and statement that enable the finding's first enabling hop
(``physicalLocation`` = the input file when the report names one, else a synthetic ``iam/...`` URI;
``logicalLocations`` = the policy ARN/name and ``<policy>/Statement[i]``). An incomplete analysis is a
run-level ``toolExecutionNotification`` (level ``error`` when IAM itself was not fully read, and then
``executionSuccessful`` is false).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from iamgraph.query.report import EvidenceRow, FindingRecord, HopRecord, Report
from iamgraph.query.severity import Severity
from iamgraph.render.sarif_regions import locate
from iamgraph.render.text import Labeller, labeller, path_text, short_name

from ..model.arn import account_of, resource_of

SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "iamgraphFindingId/v1"
LEVELS = {s.value: s.sarif_level for s in Severity}
SECURITY_SEVERITY = {s.value: s.security_score for s in Severity}


def key_hop(finding: FindingRecord) -> HopRecord | None:
    """The hop a finding's location and rule are keyed to: the first hop with statement evidence
    that is not a plain group membership, else the first hop, else None."""
    for hop in finding.path:
        if hop.evidence and hop.kind != "membership":
            return hop
    return finding.path[0] if finding.path else None


def rule_id(finding: FindingRecord) -> str:
    """``<query>/<technique of the key hop>``, or the query alone for a finding without a path."""
    hop = key_hop(finding)
    query = finding.query or "finding"
    technique = hop.label if hop else None
    return f"{query}/{technique}" if technique else query


def policy_uri(evidence: EvidenceRow) -> str:
    """Relative URI naming a policy document: ``iam/policy/<account>/<path+name>`` for managed policies,
    ``iam/<kind>/<name>/inline-policy/<name>`` for inline ones, ``iam/role/<name>/trust-policy`` for trust."""
    policy = str(evidence.policy or "unknown")
    ptype = str(evidence.get("policy_type") or "")
    owner = str(evidence.get("attached_to") or "")
    owner_part = resource_of(owner) or owner
    if policy.startswith("arn:") and ":policy/" in policy:
        account = account_of(policy) or "aws"
        uri = f"iam/policy/{account}/{policy.split(':policy/', 1)[1]}"
    elif ptype == "trust" and owner_part:
        uri = f"iam/{owner_part}/trust-policy"
    elif owner_part:
        uri = f"iam/{owner_part}/inline-policy/{policy}"
    else:
        uri = f"iam/policy/{policy}"
    return quote(uri, safe="/-_.~")


def _input_uri(report: Report) -> str | None:
    for name in report.inputs:
        if name:
            return quote(str(name).replace("\\", "/"), safe="/-_.~:")
    return None


def _location(
    evidence: EvidenceRow, input_uri: str | None, message: str | None = None, files: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A SARIF location for the statement `evidence` cites: the input file that holds it with the statement's
    region (lines/columns), else the first input file, else a synthetic ``iam/...`` URI."""
    policy = str(evidence.policy or "unknown")
    statement = evidence.get("statement")
    statement_name = f"Statement[{statement}]" if statement is not None else "Statement"
    found = locate(list(files), evidence) if files else None
    uri = quote(found[0].replace("\\", "/"), safe="/-_.~:") if found else input_uri
    artifact: dict[str, Any] = {"uri": uri or policy_uri(evidence)}
    if uri:
        artifact["description"] = {"text": f"policy {policy}, {statement_name}"}
    row = evidence.to_json()
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if found:
        physical["region"] = found[1].to_sarif()
    location: dict[str, Any] = {
        "physicalLocation": physical,
        "logicalLocations": [
            {"name": short_name(policy), "fullyQualifiedName": policy, "kind": "resource"},
            {
                "name": str(evidence.get("sid") or statement_name),
                "fullyQualifiedName": f"{policy}/{statement_name}",
                "kind": "element",
            },
        ],
        "properties": {
            k: row[k]
            for k in ("policy", "policy_type", "statement", "sid", "attached_to", "action", "resource")
            if k in row
        },
    }
    if message:
        location["message"] = {"text": message}
    return location


def _hop_text(hop: HopRecord, label: Labeller) -> str:
    text = f"{label(hop.src)} -[{hop.label}]-> {label(hop.dst)}"
    if hop.conditional:
        reasons = [*hop.conditions, *hop.missing]
        text += " (conditional" + (": " + ", ".join(reasons) if reasons else "") + ")"
    return text


def _message(finding: FindingRecord, hop: HopRecord | None, label: Labeller) -> str:
    parts = [(finding.title or rule_id(finding)).rstrip(".") + ".", f"Path: {path_text(finding, label)}."]
    if hop and hop.evidence:
        ev = hop.evidence[0]
        sid = f" (Sid {ev.sid})" if ev.sid else ""
        parts.append(
            f"First hop allowed by {ev.policy} statement {ev.get('statement')}{sid} "
            f"for {ev.get('action')} on {ev.get('resource')}."
        )
    if finding.conditional:
        parts.append("Conditional: a hop rests on an undecidable condition or missing inventory (potential path).")
    if finding.incomplete:
        parts.append("Incomplete: " + "; ".join(finding.incomplete) + ".")
    if finding.remediation:
        parts.append(f"Remediation: {finding.remediation}")
    return " ".join(parts)


def _rule(rid: str, finding: FindingRecord, report: Report) -> dict[str, Any]:
    query = finding.query or "finding"
    hop = key_hop(finding)
    technique = hop.label if hop else None
    actions = ", ".join(hop.actions) if hop else ""
    info = report.query_info(query)
    full = info.description if info is not None and info.description else f"Finding of the iamgraph query {query}."
    if not full.endswith((".", "?")):
        full += "."
    if technique:
        full += f" Technique {technique}" + (f" uses {actions}." if actions else ".")
    help_text = (
        full + " Narrow or deny the statement that enables the first hop (each result names the policy "
        "and statement), add a permissions boundary, or require a condition the caller cannot meet."
    )
    severity = finding.severity_name or "medium"
    return {
        "id": rid,
        "name": "".join(p.capitalize() for p in rid.replace("/", "-").replace("_", "-").split("-") if p),
        "shortDescription": {"text": f"{query}: {technique}" if technique else query},
        "fullDescription": {"text": full},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": LEVELS.get(severity, "warning")},
        "properties": {
            "tags": ["security", "iam", query] + ([technique] if technique else []),
            "security-severity": SECURITY_SEVERITY.get(severity, "5.5"),
        },
    }


def _notifications(report: Report) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    inc = report.incomplete
    if inc is not None and (inc.gaps or inc.callouts):
        level = "error" if inc.analysis else "warning"
        head = (
            "Incomplete analysis: IAM data is missing or partial; the results cannot be relied on as complete."
            if inc.analysis
            else "Partial data: some findings may be missing or incomplete."
        )
        out.append(
            {
                "level": level,
                "message": {"text": head},
                "descriptor": {"id": "iamgraph/incomplete-analysis" if inc.analysis else "iamgraph/partial-data"},
                "properties": {"reasons": list(inc.reasons), "callouts": list(inc.callouts)},
            }
        )
        out += [{"level": level, "message": {"text": f"could not read {r}"}} for r in inc.reasons]
        out += [{"level": "warning", "message": {"text": c}} for c in inc.callouts]
    return out


def render_sarif(report: Report) -> dict[str, Any]:
    """The SARIF 2.1.0 log (a JSON-ready dict) for ``report``; results keep the finding order."""
    input_uri = _input_uri(report)
    files = tuple(str(n) for n in report.inputs if n)
    label = labeller(report)
    rules: dict[str, dict[str, Any]] = {}
    results = []
    for finding in report.findings:
        rid = rule_id(finding)
        if rid not in rules:
            rules[rid] = _rule(rid, finding, report)
        hop = key_hop(finding)
        severity = finding.severity_name or "medium"
        props: dict[str, Any] = {
            "finding_id": finding.id,
            "severity": severity,
            "source": finding.source,
            "target": finding.target,
            "reaches_admin": finding.reaches_admin,
            "conditional": finding.conditional,
            "remediation": finding.remediation,
        }
        if finding.incomplete:
            props["incomplete"] = list(finding.incomplete)
        extra = dict(finding.extra)
        if extra.get("admin_account"):  # issue 12: the account of every node on the path
            from .org_overview import node_account

            props["admin_account"] = extra["admin_account"]
            nodes = [finding.source, *(h.dst for h in finding.path)]
            props["accounts"] = {n: node_account(n) for n in nodes if node_account(n)}
        result: dict[str, Any] = {
            "ruleId": rid,
            "ruleIndex": list(rules).index(rid),
            "level": LEVELS.get(severity, "warning"),
            "message": {"text": _message(finding, hop, label)},
            "partialFingerprints": {FINGERPRINT_KEY: finding.id},
            "properties": props,
        }
        evidence = hop.evidence if hop else ()
        result["locations"] = (
            [_location(evidence[0], input_uri, files=files)]
            if evidence
            else [
                {
                    "logicalLocations": [
                        {"name": label(finding.source), "fullyQualifiedName": finding.source, "kind": "resource"}
                    ]
                }
            ]
        )
        flow = []
        for hop_ in finding.path:
            loc = (
                _location(hop_.evidence[0], input_uri, _hop_text(hop_, label), files=files)
                if hop_.evidence
                else {
                    "logicalLocations": [{"name": label(hop_.src), "fullyQualifiedName": hop_.src, "kind": "resource"}],
                    "message": {"text": _hop_text(hop_, label)},
                }
            )
            flow.append({"location": loc})
        if flow:
            result["codeFlows"] = [{"threadFlows": [{"locations": flow}]}]
        results.append(result)
    version = report.tool_version or "0.0.0"
    notifications = _notifications(report) + [
        {"level": "warning", "message": {"text": str(w)}} for w in report.warnings
    ]
    summary = report.summary_json()
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": report.tool_name or "iamgraph",
                "semanticVersion": version,
                "version": version,
                "rules": list(rules.values()),
            }
        },
        "invocations": [
            {"executionSuccessful": not report.analysis_incomplete, "toolExecutionNotifications": notifications}
        ],
        "results": results,
        "properties": {"accounts": list(report.accounts), "schema_version": report.schema_version, "summary": summary},
    }
    if report.incomplete is not None and (report.incomplete.gaps or report.incomplete.callouts):
        run["properties"]["incomplete"] = report.incomplete.to_json()
    if input_uri:
        run["artifacts"] = [{"location": {"uri": input_uri}, "roles": ["analysisTarget"]}]
    return {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [run]}
